//! Aliquots for amounts below the balance's minimum weight (SPEC §7.4).
//!
//! With `n` the exact mass needed, `M` the minimum weight and `m = ceil(M ÷ n)`, the
//! technician weighs `W = n × m`. Semisolids and molded forms triturate it with a
//! diluent to `T = m × M` and take `A = M`; the portion brings `A − n` of the diluent into
//! the batch, which is taken off the diluent weighed from its container. Liquids dissolve
//! it in the vehicle, make up to `V = m × v × j` and measure `v × j`, where `v` is the
//! smallest volume measured accurately and `j` keeps the aliquot solution at most 75% of
//! the ingredient's solubility.

use crate::number::{format_mass, format_mass_rounded, plain};
use rust_decimal::Decimal;

use super::CalcError;
use super::batch::{AliquotBy, AliquotPlan, Line, Warning};
use super::error::arith_at;
use crate::arith::{self, ArithError};
use crate::codes::Code;
use crate::formula::{Ingredient, MAX_MASS_MG, MAX_VOLUME_ML};
use crate::measure::{Mass, Measured, Volume};

use crate::rounding::RoundingPolicy;

/// What every plan of a batch shares.
pub(crate) struct Setting<'a> {
    /// How the family makes aliquots.
    pub(crate) by: AliquotBy,
    /// The minimum weight `M`, mg.
    pub(crate) min_weight: Decimal,
    /// The prepared quantity `P` (mL for liquids).
    pub(crate) prepared: Decimal,
    /// The smallest volume measured with acceptable accuracy `v`, mL.
    pub(crate) min_volume: Decimal,
    /// The diluent (by mass) or vehicle (by volume).
    pub(crate) diluent: &'a Ingredient,
    /// For messages.
    pub(crate) readability: &'a RoundingPolicy,
}

/// The weighing of an aliquot, shared with `ketacalc aliquot`: the factor
/// `m = ceil(M ÷ n)` and the drug weighed, `W = n × m`.
pub(crate) struct Weighing {
    /// `m`, a whole number.
    pub(crate) factor: Decimal,
    /// `W`, mg.
    pub(crate) weigh: Decimal,
}

impl Weighing {
    /// For `n` mg needed with a minimum weight of `min_weight` mg; an error comes with
    /// the step that failed.
    pub(crate) fn new(n: Decimal, min_weight: Decimal) -> Result<Weighing, (&'static str, ArithError)> {
        let factor = arith::div(min_weight, n).map_err(|e| ("the factor", e))?.ceil();
        let weigh = arith::mul(n, factor).map_err(|e| ("the quantity to weigh", e))?;
        Ok(Weighing { factor, weigh })
    }

    /// The triturate by mass, `T × m`, when `take` (T) mg of it is taken to hold `n`.
    pub(crate) fn total(&self, take: Decimal) -> arith::ArithResult {
        arith::mul(take, self.factor)
    }
}

/// The plan for `n` mg of `ing`.
pub(crate) fn plan(ing: &Ingredient, n: Decimal, s: &Setting<'_>) -> Result<AliquotPlan, CalcError> {
    let err = arith_at(&ing.id, "the aliquot plan");
    // Only the factor can fail: W = n × ceil(M ÷ n) is below M + n.
    let w = Weighing::new(n, s.min_weight).map_err(|(_, e)| err(e))?;
    let (factor, weigh) = (w.factor, w.weigh);
    let m = u64::try_from(factor).map_err(|_| too_small(ing, n))?;
    let (total, take, carried) = match s.by {
        AliquotBy::Mass => {
            let total = w.total(s.min_weight).map_err(&err)?;
            if total > Decimal::from(MAX_MASS_MG) {
                return Err(too_small(ing, n));
            }
            let carried = arith::sub(s.min_weight, n).map_err(&err)?;
            let mass = |v| Measured::Mass(Mass::from_mg(v));
            (mass(total), mass(s.min_weight), Some(Mass::from_mg(carried)))
        }
        AliquotBy::Volume => {
            let j = dilution(ing, n, s.min_volume).map_err(&err)?;
            let take = arith::mul(s.min_volume, j).map_err(&err)?;
            let total = arith::mul(factor, take).map_err(&err)?;
            if take >= s.prepared {
                return Err(CalcError::AliquotTooLarge {
                    id: ing.id.clone(),
                    take: format!("{} mL", plain(take)),
                    prepared: format!("{} mL", plain(s.prepared)),
                });
            }
            if total > Decimal::from(MAX_VOLUME_ML) {
                return Err(too_small(ing, n));
            }
            let volume = |v| Measured::Volume(Volume::from_ml(v));
            (volume(total), volume(take), None)
        }
    };
    Ok(AliquotPlan {
        by: s.by,
        needed: Mass::from_mg(n),
        factor: m,
        weigh: Mass::from_mg(weigh),
        total,
        take,
        carried,
        diluent: s.diluent.id.clone(),
        diluent_name: s.diluent.name.clone(),
    })
}

/// `j`: the smallest whole number ≥ 1 that keeps `W ÷ V = n ÷ (v × j)` at most 75% of the
/// solubility (1 when the ingredient states none).
fn dilution(ing: &Ingredient, n: Decimal, v: Decimal) -> Result<Decimal, arith::ArithError> {
    let Some(sol) = ing.solubility else { return Ok(Decimal::ONE) };
    // n ÷ (v × j) ≤ 0.75 × sol  ⇔  j ≥ 100 n ÷ (75 × sol × v).
    let j = arith::div(arith::mul(n, Decimal::ONE_HUNDRED)?, arith::product(&[Decimal::from(75), sol, v])?)?
        .ceil();
    Ok(j.max(Decimal::ONE))
}

fn too_small(ing: &Ingredient, n: Decimal) -> CalcError {
    CalcError::AliquotImpractical { id: ing.id.clone(), needed: format_mass(n) }
}

/// A mass rounded to the readability for reading, marked `≈` when rounding changed it.
fn mass(mg: Mass, r: &RoundingPolicy) -> String {
    let mg = mg.mg();
    match r.round(mg) {
        Ok(v) if v == mg => format_mass_rounded(v),
        Ok(v) => format!("≈{}", format_mass_rounded(v)),
        Err(_) => format_mass(mg),
    }
}

/// A volume (or, for a plan by mass, a mass) rounded for reading.
fn portion(m: Measured, r: &RoundingPolicy) -> String {
    match m {
        Measured::Mass(mg) => mass(mg, r),
        Measured::Volume(ml) => volume(ml.ml()),
    }
}

/// A volume rounded to 0.01 mL for reading.
fn volume(ml: Decimal) -> String {
    match RoundingPolicy::VOLUME_ML.round(ml) {
        Ok(v) => format!("{v} mL"),
        Err(_) => format!("{} mL", plain(ml)),
    }
}

/// The warning that carries a plan, worded for the technician.
pub(crate) fn warning(line: &Line, p: &AliquotPlan, s: &Setting<'_>) -> Warning {
    let r = s.readability;
    let (needed, weigh, factor) = (mass(p.needed, r), mass(p.weigh, r), p.factor);
    let (diluent, total, take) = (&p.diluent_name, portion(p.total, r), portion(p.take, r));
    let head = format!(
        "`{}`: {needed} is below the balance's minimum weight of {}; weigh {weigh} ({needed} × {factor})",
        line.id,
        format_mass(s.min_weight)
    );
    let message = match p.by {
        AliquotBy::Mass => format!(
            "{head}, triturate with {diluent} to {total}, mix well, and take {take}, which holds {needed}; the {} of `{id}` it carries comes off the `{id}` weighed from its container",
            mass(p.carried.unwrap_or_default(), r),
            id = p.diluent,
        ),
        AliquotBy::Volume => {
            format!(
                "{head}, dissolve in {diluent} and make up to {total}, mix well, and measure {take}, which holds {needed}"
            )
        }
    };
    Warning {
        code: Code::BelowMinimumWeight,
        ingredient: Some(line.id.clone()),
        message: super::Says::Text(message),
        aliquot: Some(p.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::load_str;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn cream() -> crate::formula::Formula {
        let text = r#"
format = 1
id = "c"
name = "C"
revision = 1
dosage_form = "cream"
route = "topical"
water = "nonaqueous"
storage = "room-temperature"
[batch]
quantity = "30 g"
[[ingredients]]
id = "clonidine"
name = "Clonidine HCl"
role = "active"
basis = "salt"
amount = "0.02 %w/w"
solubility = "40 mg/g"
[[ingredients]]
id = "base"
name = "Base"
role = "base"
amount = "qs"
"#;
        load_str(text).formula.unwrap()
    }

    fn setting<'a>(f: &'a crate::formula::Formula, by: AliquotBy, r: &'a RoundingPolicy) -> Setting<'a> {
        Setting {
            by,
            min_weight: d("82"),
            prepared: d("30000"),
            min_volume: d("1"),
            diluent: &f.ingredients[1],
            readability: r,
        }
    }

    #[test]
    fn by_mass_for_six_milligrams() {
        // SPEC §7.4 worked case: n = 6, M = 82 → m = 14, W = 84, T = 1148, A = 82, carries 76.
        let f = cream();
        let r = RoundingPolicy::new(d("0.1")).unwrap();
        let p = plan(&f.ingredients[0], d("6"), &setting(&f, AliquotBy::Mass, &r)).unwrap();
        assert_eq!((p.by, p.factor), (AliquotBy::Mass, 14));
        let mass = |v| Measured::Mass(Mass::from_mg(d(v)));
        assert_eq!(
            (p.weigh, p.total, p.take, p.carried),
            (Mass::from_mg(d("84")), mass("1148"), mass("82"), Some(Mass::from_mg(d("76"))))
        );
        // The portion holds n: W × A ÷ T.
        assert_eq!(
            arith::div(arith::mul(p.weigh.mg(), p.take.value()).unwrap(), p.total.value()).unwrap(),
            d("6")
        );
    }

    #[test]
    fn by_volume_keeps_the_solution_below_saturation() {
        // 7.5 mg, M = 120 → m = 16, W = 120 mg; with v = 1 mL and a solubility of 10 mg/mL,
        // 7.5 mg/mL would be 75% exactly: j = 1. At 5 mg/mL solubility j = 2.
        let f = cream();
        let r = RoundingPolicy::new(d("0.1")).unwrap();
        let mut s = setting(&f, AliquotBy::Volume, &r);
        s.min_weight = d("120");
        let mut ing = f.ingredients[0].clone();
        ing.solubility = Some(d("10"));
        let p = plan(&ing, d("7.5"), &s).unwrap();
        let ml = |v| Measured::Volume(Volume::from_ml(d(v)));
        assert_eq!((p.factor, p.weigh, p.total, p.take), (16, Mass::from_mg(d("120")), ml("16"), ml("1")));
        ing.solubility = Some(d("5"));
        let p = plan(&ing, d("7.5"), &s).unwrap();
        assert_eq!((p.total, p.take), (ml("32"), ml("2")));
        assert!(arith::div(p.weigh.mg(), p.total.value()).unwrap() <= d("3.75"));
    }

    #[test]
    fn a_portion_as_large_as_the_batch_is_refused() {
        let f = cream();
        let r = RoundingPolicy::new(d("0.1")).unwrap();
        let mut s = setting(&f, AliquotBy::Volume, &r);
        s.prepared = d("1");
        assert!(matches!(plan(&f.ingredients[0], d("6"), &s), Err(CalcError::AliquotTooLarge { .. })));
    }
}
