//! Strengths in both bases, per-dose amounts and doses per container (SPEC §3.6).

use rust_decimal::Decimal;

use super::CalcError;
use super::batch::{Containers, MfrStrength, Strength};
use super::frac::trail_num;
use crate::arith::{self, ArithError};
use crate::formula::{Basis, Delivery, Formula, Ingredient, StrengthBasis};
use crate::quantity::{Amount, RatioKind};
use crate::unit::{Dimension, Unit};

fn err(id: &str) -> impl Fn(ArithError) -> CalcError + '_ {
    super::error::arith_at(id, "the strength")
}

/// A concentration as printed (in its own unit where it has one), and in the
/// dimension's base unit (`mg/mL`, `mg/g`, `%v/v`, `mg/unit`).
type Concentration = ((Decimal, Unit), Decimal);

/// An active's concentration, `None` for `qs` or a fixed amount without a reference batch.
fn concentration(
    formula: &Formula,
    ing: &Ingredient,
    amount: &Amount,
) -> Result<Option<Concentration>, CalcError> {
    let e = err(&ing.id);
    Ok(Some(match amount {
        Amount::Qs => return Ok(None),
        Amount::Ratio { kind, .. } => {
            let base = amount.to_base().unwrap_or(Ok(Decimal::ZERO)).map_err(&e)?;
            let unit = match kind {
                RatioKind::WeightInVolume => Unit::MG_PER_ML,
                RatioKind::WeightInWeight => Unit::MG_PER_G,
            };
            ((base, unit), base)
        }
        Amount::Quantity(q) => match q.dimension() {
            Dimension::Mass | Dimension::Volume | Dimension::Count => {
                // A fixed amount: its share of the reference batch.
                let Some(reference) = formula.batch_quantity else { return Ok(None) };
                let amount_base = q.to_base().map_err(&e)?;
                let (v, unit) = match (formula.basis(), q.dimension()) {
                    (Basis::Volume, Dimension::Volume) => (
                        arith::div(arith::mul(amount_base, Decimal::ONE_HUNDRED).map_err(&e)?, reference)
                            .map_err(&e)?,
                        Unit::PercentVV,
                    ),
                    (Basis::Volume, _) => (arith::div(amount_base, reference).map_err(&e)?, Unit::MG_PER_ML),
                    (Basis::Mass, _) => (
                        arith::div(arith::mul(amount_base, Decimal::ONE_THOUSAND).map_err(&e)?, reference)
                            .map_err(&e)?,
                        Unit::MG_PER_G,
                    ),
                    (Basis::Molded, _) => {
                        (arith::div(amount_base, reference).map_err(&e)?, Unit::MG_PER_UNIT)
                    }
                };
                ((v, unit), v)
            }
            _ => ((q.value, q.unit), q.to_base().map_err(&e)?),
        },
    }))
}

/// How a strength is printed: as written for a concentration or ratio, else the
/// concentration it works out to (a fixed amount's share of the reference batch).
fn label(amount: &Amount, (value, unit): (Decimal, Unit)) -> String {
    match amount {
        Amount::Ratio { .. } => amount.to_string(),
        Amount::Quantity(q) if q.unit == unit => amount.to_string(),
        _ => format!("{} {unit}", crate::rounding::for_reading(value, 6)),
    }
}

/// Strengths of every active, with `amount_of` giving custom strengths (an amount other
/// than the formula's own).
pub(crate) fn strengths(
    formula: &Formula,
    amount_of: &dyn Fn(&Ingredient) -> Amount,
) -> Result<Vec<Strength>, CalcError> {
    let mut out = Vec::new();
    for ing in formula.actives() {
        let amount = amount_of(ing);
        let Some(((value, unit), base)) = concentration(formula, ing, &amount)? else { continue };
        let mfr = if amount == ing.amount {
            None
        } else {
            concentration(formula, ing, &ing.amount)?
                .map(|(c, _)| MfrStrength { concentration: c, label: label(&ing.amount, c) })
        };
        let e = err(&ing.id);
        let basis = ing.basis.unwrap_or(StrengthBasis::Salt);
        let other_basis = match ing.molecular_weights {
            Some((mw, base_mw)) => {
                let (n, d) = match basis {
                    StrengthBasis::Salt => (base_mw, mw),
                    StrengthBasis::Base => (mw, base_mw),
                };
                let v = arith::div(arith::mul(value, n).map_err(&e)?, d).map_err(&e)?;
                Some((basis.other(), v, unit))
            }
            None => None,
        };
        let (per_dose, dose) = per_dose(formula, base, unit.dimension()).map_err(&e)?;
        out.push(Strength {
            id: ing.id.clone(),
            name: ing.name.clone(),
            basis,
            concentration: (value, unit),
            other_basis,
            per_dose,
            dose,
            label: label(&amount, (value, unit)),
            mfr,
        });
    }
    Ok(out)
}

/// The amount in one dose (mg), and what a dose is called.
fn per_dose(
    formula: &Formula,
    base: Decimal,
    dim: Dimension,
) -> Result<(Option<Decimal>, Option<String>), ArithError> {
    match (formula.basis(), &formula.device, dim) {
        (Basis::Molded, _, Dimension::MassPerCount) => {
            Ok((Some(base), Some(formula.dosage_form.as_str().to_string())))
        }
        (Basis::Volume, Some(device), Dimension::MassPerVolume) => {
            let v = match device.delivery {
                Delivery::Volume(ml) => arith::mul(base, ml)?,
                Delivery::PerMl(n) => arith::div(base, n)?,
            };
            Ok((Some(v), Some(device.dose.clone())))
        }
        (Basis::Mass, Some(device), Dimension::MassPerMass) => {
            // mg/g × g/mL × mL: the density is in mg/mL, hence ÷ 1000.
            let Some(density) = formula.density else { return Ok((None, None)) };
            let per_ml = arith::div(arith::mul(base, density)?, Decimal::ONE_THOUSAND)?;
            let v = match device.delivery {
                Delivery::Volume(ml) => arith::mul(per_ml, ml)?,
                Delivery::PerMl(n) => arith::div(per_ml, n)?,
            };
            Ok((Some(v), Some(device.dose.clone())))
        }
        _ => Ok((None, None)),
    }
}

/// Doses in `volume` mL: `floor((volume − residual) ÷ per actuation − priming)`, or with
/// `per_ml`, `floor((volume − residual) × per_ml − priming)` (no rounded `1 ÷ per_ml`
/// enters); never below zero. Returns the count and how it was obtained.
fn doses_in(device: &crate::formula::Device, volume: Decimal) -> Result<(Decimal, String), ArithError> {
    let usable = arith::sub(volume, device.residual)?;
    let (raw, how) = match device.delivery {
        Delivery::Volume(ml) => (arith::div(usable, ml)?, format!("÷ {} mL", trail_num(ml))),
        Delivery::PerMl(n) => (arith::mul(usable, n)?, format!("× {} per mL", trail_num(n))),
    };
    let n = arith::sub(raw, device.priming)?.floor().max(Decimal::ZERO);
    let calc = format!(
        "({} mL − {} mL residual) {how} − {} priming = {} {}s",
        trail_num(volume),
        trail_num(device.residual),
        trail_num(device.priming),
        n,
        device.dose
    );
    Ok((n, calc))
}

/// Doses per container, how they were counted, and the containers.
pub(crate) struct Doses {
    pub(crate) doses: Option<Decimal>,
    pub(crate) calculation: Option<String>,
    pub(crate) containers: Option<Containers>,
}

/// Doses per container and the containers (SPEC §3.6, §7.5): with a `fill`, the batch
/// `q` goes into `ceil(q ÷ fill)` containers and doses are counted for one full one
/// (and for a last, part-filled one); without, in `q` as one container.
pub(crate) fn doses(formula: &Formula, q: Decimal, fill: Option<Decimal>) -> Result<Doses, CalcError> {
    let e = |source| CalcError::Arith { id: "batch".to_string(), step: "the number of doses", source };
    let device = formula.device.as_ref().filter(|_| formula.basis() == Basis::Volume);
    let count_in = |v: Decimal| device.map(|d| doses_in(d, v)).transpose();
    let Some(fill) = fill.filter(|_| formula.basis() == Basis::Volume) else {
        let (doses, calculation) = count_in(q).map_err(e)?.unzip();
        return Ok(Doses { doses, calculation, containers: None });
    };
    let whole = arith::div(q, fill).map_err(e)?;
    let full = whole.floor();
    let rest = arith::sub(q, arith::mul(full, fill).map_err(e)?).map_err(e)?;
    let (per_full, calc) = count_in(fill).map_err(e)?.unzip();
    let last =
        if rest > Decimal::ZERO { Some((rest, count_in(rest).map_err(e)?.map(|(n, _)| n))) } else { None };
    let as_count =
        |d: Decimal| u64::try_from(d).map_err(|_| e(ArithError::Overflow { lhs: q, op: '÷', rhs: fill }));
    let containers =
        Containers { count: as_count(whole.ceil())?, full: as_count(full)?, fill, doses: per_full, last };
    Ok(Doses {
        doses: per_full,
        calculation: calc.map(|c| format!("per {} mL container: {c}", trail_num(fill))),
        containers: Some(containers),
    })
}
