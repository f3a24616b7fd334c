//! Strengths in both bases and per-dose amounts (SPEC §3.6, §7.3).

use rust_decimal::Decimal;

use super::CalcError;
use super::batch::{Line, MfrStrength, OtherBasis, Strength, StrengthLabel};
use super::family::Family;
use super::frac::Frac;
use crate::arith::{self, ArithError};
use crate::formula::{Formula, Ingredient, StrengthBasis};
use crate::measure::Mass;
use crate::quantity::{Amount, Quantity, RatioKind};
use crate::unit::{Dimension, Unit};

fn err(id: &str) -> impl Fn(ArithError) -> CalcError + '_ {
    super::error::arith_at(id, "the strength")
}

/// A concentration as printed (in its own unit where it has one), and in the
/// dimension's base unit (`mg/mL`, `mg/g`, `%v/v`, `mg/unit`).
type Concentration = ((Decimal, Unit), Decimal);

/// An active's concentration, `None` for `qs` or a fixed amount without a reference batch.
fn concentration(
    family: &dyn Family,
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
                let (v, unit) = family.fixed_strength(q, reference.value()).map_err(&e)?;
                ((v, unit), v)
            }
            _ => ((q.value, q.unit), q.to_base().map_err(&e)?),
        },
    }))
}

/// How a strength is printed: as written for a concentration or ratio, else the
/// concentration it works out to (a fixed amount's share of the reference batch).
fn label(amount: &Amount, (value, unit): (Decimal, Unit)) -> StrengthLabel {
    match amount {
        Amount::Ratio { .. } => StrengthLabel::Written(*amount),
        Amount::Quantity(q) if q.unit == unit => StrengthLabel::Written(*amount),
        _ => StrengthLabel::WorkedOut(Quantity::new(value, unit)),
    }
}

/// Strengths of every active, with `amount_of` giving custom strengths (an amount other
/// than the formula's own).
pub(crate) fn strengths(
    family: &dyn Family,
    formula: &Formula,
    amount_of: &dyn Fn(&Ingredient) -> Amount,
    lines: &[Line],
) -> Result<Vec<Strength>, CalcError> {
    let mut out = Vec::new();
    for ing in formula.actives() {
        let amount = amount_of(ing);
        let Some(((value, unit), base)) = concentration(family, formula, ing, &amount)? else { continue };
        let mfr = if amount == ing.amount {
            None
        } else {
            concentration(family, formula, ing, &ing.amount)?.map(|(c, _)| MfrStrength {
                concentration: Quantity::new(c.0, c.1),
                label: label(&ing.amount, c),
            })
        };
        let e = err(&ing.id);
        let basis = ing.basis.unwrap_or(StrengthBasis::Salt);
        let in_base = Quantity::new(base, unit.dimension().base_unit());
        let (per_dose, dose) =
            family.per_dose(formula, in_base).map_err(&e)?.map(|d| (d.amount, d.called)).unzip();
        let other_basis = match ing.other_basis() {
            Some((other, (n, d))) => {
                let in_other = |v: Decimal| arith::div(arith::mul(v, n)?, d);
                Some(OtherBasis {
                    basis: other,
                    concentration: Quantity::new(in_other(value).map_err(&e)?, unit),
                    per_dose: per_dose.map(|m| in_other(m.mg())).transpose().map_err(&e)?.map(Mass::from_mg),
                })
            }
            None => None,
        };
        // The concentration the as-measured amount makes in P: the strength scaled by
        // as-measured ÷ required, one product over one product (SPEC §12.3).
        let line = lines.iter().find(|l| l.id == ing.id);
        let as_measured = match line.and_then(|l| l.as_measured.map(|a| (l.required, a))) {
            Some((required, a)) => {
                let c = Frac::of(value).times(a.amount.value()).over(required.value()).value().map_err(&e)?;
                Some((Quantity::new(c, unit), a.deviation))
            }
            None => None,
        };
        out.push(Strength {
            id: ing.id.clone(),
            name: ing.name.clone(),
            basis,
            concentration: Quantity::new(value, unit),
            other_basis,
            per_dose,
            dose,
            label: label(&amount, (value, unit)),
            mfr,
            as_measured,
        });
    }
    Ok(out)
}
