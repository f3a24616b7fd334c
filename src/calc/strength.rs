//! Strengths in both bases, per-dose amounts and doses per container (SPEC §3.6).

use rust_decimal::Decimal;

use super::CalcError;
use super::batch::Strength;
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

/// Strengths of every active, with `amount_of` giving custom strengths.
pub(crate) fn strengths(
    formula: &Formula,
    amount_of: &dyn Fn(&Ingredient) -> Amount,
) -> Result<Vec<Strength>, CalcError> {
    let mut out = Vec::new();
    for ing in formula.actives() {
        let amount = amount_of(ing);
        let Some(((value, unit), base)) = concentration(formula, ing, &amount)? else { continue };
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

/// Doses in the requested quantity: `floor((Q − residual) ÷ volume − priming)`, or with
/// `per_ml`, `floor((Q − residual) × per_ml − priming)`; never below zero.
pub(crate) fn doses(formula: &Formula, q: Decimal) -> Result<(Option<Decimal>, Option<String>), CalcError> {
    let (Basis::Volume, Some(device)) = (formula.basis(), &formula.device) else { return Ok((None, None)) };
    let e = |source| CalcError::Arith { id: "batch".to_string(), step: "the number of doses", source };
    let usable = arith::sub(q, device.residual).map_err(e)?;
    let (raw, how) = match device.delivery {
        Delivery::Volume(ml) => (arith::div(usable, ml).map_err(e)?, format!("÷ {} mL", trail_num(ml))),
        Delivery::PerMl(n) => (arith::mul(usable, n).map_err(e)?, format!("× {} per mL", trail_num(n))),
    };
    let n = arith::sub(raw, device.priming).map_err(e)?.floor().max(Decimal::ZERO);
    let calc = format!(
        "({} mL − {} mL residual) {how} − {} priming = {} {}s",
        trail_num(q),
        trail_num(device.residual),
        trail_num(device.priming),
        n,
        device.dose
    );
    Ok((Some(n), Some(calc)))
}
