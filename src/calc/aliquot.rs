//! Aliquots for amounts below the balance's minimum weight (SPEC §7.4).
//!
//! With `n` the exact mass needed, `M` the minimum weight and `m = ceil(M ÷ n)`, the
//! technician weighs `W = n × m`. Semisolids and molded forms triturate it with a
//! diluent to `T = m × M` and take `A = M`; the portion brings `A − n` of the diluent into
//! the batch, which is taken off the diluent weighed from its container. Liquids dissolve
//! it in the vehicle, make up to `V = m × v × j` and measure `v × j`, where `v` is the
//! smallest volume measured accurately and `j` keeps the aliquot solution at most 75% of
//! the ingredient's solubility.

use crate::number::format_mass;
use rust_decimal::Decimal;

use super::batch::{AliquotBy, AliquotPlan, Line, Warning};
use super::error::arith_at;
use super::{CalcError, Says};
use crate::arith::{self, ArithError};
use crate::codes::Code;
use crate::formula::{Ingredient, MAX_MASS_MG, MAX_VOLUME_ML};
use crate::measure::{BatchSize, Mass, Measured, Volume};

use crate::rounding::RoundingPolicy;

/// What every plan of a batch shares.
pub(crate) struct Setting<'a> {
    /// How the family makes aliquots.
    pub(crate) by: AliquotBy,
    /// The minimum weight `M`.
    pub(crate) min_weight: Mass,
    /// The prepared quantity `P`.
    pub(crate) prepared: BatchSize,
    /// The smallest volume measured with acceptable accuracy `v`.
    pub(crate) min_volume: Volume,
    /// The diluent (by mass) or vehicle (by volume).
    pub(crate) diluent: &'a Ingredient,
    /// For messages.
    pub(crate) readability: &'a RoundingPolicy,
}

/// The weighing of an aliquot, shared with `ketacalc aliquot`: the factor
/// `m = ceil(M ÷ n)` and the drug weighed, `W = n × m`.
pub(crate) struct Weighing {
    /// `m`, a whole number (a ratio of two masses).
    pub(crate) factor: Decimal,
    /// `W`.
    pub(crate) weigh: Mass,
}

impl Weighing {
    /// For `n` needed with a minimum weight of `min_weight`; an error comes with the step
    /// that failed.
    pub(crate) fn new(n: Mass, min_weight: Mass) -> Result<Weighing, (&'static str, ArithError)> {
        let factor = arith::div(min_weight.mg(), n.mg()).map_err(|e| ("the factor", e))?.ceil();
        let weigh = arith::mul(n.mg(), factor).map_err(|e| ("the quantity to weigh", e))?;
        Ok(Weighing { factor, weigh: Mass::from_mg(weigh) })
    }

    /// The triturate by mass, `T × m`, when `take` (T) of it is taken to hold `n`.
    pub(crate) fn total(&self, take: Mass) -> Result<Mass, ArithError> {
        arith::mul(take.mg(), self.factor).map(Mass::from_mg)
    }
}

/// The plan for `n` of `ing`.
pub(crate) fn plan(ing: &Ingredient, n: Mass, s: &Setting<'_>) -> Result<AliquotPlan, CalcError> {
    let err = arith_at(&ing.id, "the aliquot plan");
    // Only the factor can fail: W = n × ceil(M ÷ n) is below M + n.
    let w = Weighing::new(n, s.min_weight).map_err(|(_, e)| err(e))?;
    let (factor, weigh) = (w.factor, w.weigh);
    let m = u64::try_from(factor).map_err(|_| too_small(ing, n))?;
    let (total, take, carried) = match s.by {
        AliquotBy::Mass => {
            let total = w.total(s.min_weight).map_err(&err)?;
            if total.mg() > Decimal::from(MAX_MASS_MG) {
                return Err(too_small(ing, n));
            }
            let carried = s.min_weight.minus(n).map_err(&err)?;
            (Measured::Mass(total), Measured::Mass(s.min_weight), Some(carried))
        }
        AliquotBy::Volume => {
            let j = dilution(ing, n, s.min_volume).map_err(&err)?;
            let take = Volume::from_ml(arith::mul(s.min_volume.ml(), j).map_err(&err)?);
            let total = Volume::from_ml(arith::mul(factor, take.ml()).map_err(&err)?);
            if let BatchSize::Volume(prepared) = s.prepared
                && take >= prepared
            {
                return Err(CalcError::AliquotTooLarge { id: ing.id.clone(), take, prepared });
            }
            if total.ml() > Decimal::from(MAX_VOLUME_ML) {
                return Err(too_small(ing, n));
            }
            (Measured::Volume(total), Measured::Volume(take), None)
        }
    };
    Ok(AliquotPlan {
        by: s.by,
        needed: n,
        factor: m,
        weigh,
        total,
        take,
        carried,
        diluent: s.diluent.id.clone(),
        diluent_name: s.diluent.name.clone(),
    })
}

/// `j`: the smallest whole number ≥ 1 that keeps `W ÷ V = n ÷ (v × j)` at most 75% of the
/// solubility (1 when the ingredient states none).
fn dilution(ing: &Ingredient, n: Mass, v: Volume) -> Result<Decimal, arith::ArithError> {
    let Some(sol) = ing.solubility else { return Ok(Decimal::ONE) };
    // n ÷ (v × j) ≤ 0.75 × sol  ⇔  j ≥ 100 n ÷ (75 × sol × v).
    let j = arith::div(
        arith::mul(n.mg(), Decimal::ONE_HUNDRED)?,
        arith::product(&[Decimal::from(75), sol, v.ml()])?,
    )?
    .ceil();
    Ok(j.max(Decimal::ONE))
}

fn too_small(ing: &Ingredient, n: Mass) -> CalcError {
    CalcError::AliquotImpractical { id: ing.id.clone(), needed: format_mass(n.mg()) }
}

/// The warning that carries a plan (worded by [`Says`]).
pub(crate) fn warning(line: &Line, p: &AliquotPlan, s: &Setting<'_>) -> Warning {
    Warning {
        code: Code::BelowMinimumWeight,
        ingredient: Some(line.id.clone()),
        message: Says::Aliquot {
            id: line.id.clone(),
            plan: Box::new(p.clone()),
            min_weight: s.min_weight,
            readability: *s.readability,
        },
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
            min_weight: Mass::from_mg(d("82")),
            prepared: BatchSize::Volume(Volume::from_ml(d("30000"))),
            min_volume: Volume::from_ml(d("1")),
            diluent: &f.ingredients[1],
            readability: r,
        }
    }

    #[test]
    fn by_mass_for_six_milligrams() {
        // SPEC §7.4 worked case: n = 6, M = 82 → m = 14, W = 84, T = 1148, A = 82, carries 76.
        let f = cream();
        let r = RoundingPolicy::new(d("0.1")).unwrap();
        let p = plan(&f.ingredients[0], Mass::from_mg(d("6")), &setting(&f, AliquotBy::Mass, &r)).unwrap();
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
        s.min_weight = Mass::from_mg(d("120"));
        let mut ing = f.ingredients[0].clone();
        ing.solubility = Some(d("10"));
        let p = plan(&ing, Mass::from_mg(d("7.5")), &s).unwrap();
        let ml = |v| Measured::Volume(Volume::from_ml(d(v)));
        assert_eq!((p.factor, p.weigh, p.total, p.take), (16, Mass::from_mg(d("120")), ml("16"), ml("1")));
        ing.solubility = Some(d("5"));
        let p = plan(&ing, Mass::from_mg(d("7.5")), &s).unwrap();
        assert_eq!((p.total, p.take), (ml("32"), ml("2")));
        assert!(arith::div(p.weigh.mg(), p.total.value()).unwrap() <= d("3.75"));
    }

    #[test]
    fn a_portion_as_large_as_the_batch_is_refused() {
        let f = cream();
        let r = RoundingPolicy::new(d("0.1")).unwrap();
        let mut s = setting(&f, AliquotBy::Volume, &r);
        s.prepared = BatchSize::Volume(Volume::from_ml(d("1")));
        assert!(matches!(
            plan(&f.ingredients[0], Mass::from_mg(d("6")), &s),
            Err(CalcError::AliquotTooLarge { .. })
        ));
    }
}
