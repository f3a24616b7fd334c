//! Controlled-substance accountability (SPEC §3.11, §7.4, §12.3): what to withdraw, and
//! where it goes, so that the record reconciles: withdrawn = in product + loss +
//! remainder. Each line has its exact figures and, beside them, the same record from what
//! is actually measured or weighed.

use rust_decimal::Decimal;

use super::CalcError;
use super::amounts::{stock_amount, stock_labelled};
use super::batch::{AliquotPlan, Controlled, ControlledAsMeasured, LeftInVials, Line, Part};
use super::error::arith_at;
use super::frac::{Frac, containers_for};
use crate::arith::{self, ArithError};
use crate::formula::{Formula, Ingredient, StrengthBasis};
use crate::measure::{BatchSize, Mass, Measured, Volume};
use crate::rounding::RoundingPolicy;

/// The batch's sizes, as the record needs them (a batch of a volume of preparation gives
/// its parts volumes too).
pub(crate) struct Sizes<'a> {
    /// `Q`.
    pub(crate) quantity: BatchSize,
    /// `P`.
    pub(crate) prepared: BatchSize,
    /// The balance readability.
    pub(crate) readability: &'a RoundingPolicy,
}

/// Builds [`Part`]s of one ingredient: its amount, in the stock's own basis when the stock
/// is labelled in the other one.
pub(crate) struct Parts<'i> {
    ing: &'i Ingredient,
    /// Weighed: the factor from the declared amount to the material, when it is not 1.
    material: Option<&'i Frac>,
}

impl<'i> Parts<'i> {
    pub(crate) fn of(ing: &'i Ingredient) -> Self {
        Parts { ing, material: None }
    }

    /// A weighed ingredient whose material is `factor` × the declared amount.
    fn weighed(ing: &'i Ingredient, factor: &'i Frac) -> Result<Self, ArithError> {
        let material = (factor.value()? != Decimal::ONE).then_some(factor);
        Ok(Parts { ing, material })
    }

    /// The basis the stock is labelled in, when it is not the declared one.
    pub(crate) fn stock_basis(&self) -> Option<StrengthBasis> {
        let declared = self.ing.basis.unwrap_or(StrengthBasis::Salt);
        self.ing.stock.and_then(|s| s.basis).filter(|b| *b != declared)
    }

    /// `amount` (declared basis) held in `volume`.
    pub(crate) fn part(&self, amount: Mass, volume: Option<Volume>) -> Result<Part, ArithError> {
        let labelled = match (self.material, self.stock_basis()) {
            (Some(f), _) => Some(Mass::from_mg(Frac::of(amount.mg()).times_frac(f).value()?)),
            (None, Some(_)) => {
                Some(Mass::from_mg(Frac::of(amount.mg()).times_ratio(self.ing.to_stock_basis()).value()?))
            }
            (None, None) => None,
        };
        Ok(Part { amount, labelled, volume })
    }

    /// What `volume` of the stock holds, from that same volume: in the declared basis
    /// and, when it differs, in the stock's own.
    pub(crate) fn of_stock(&self, volume: Volume) -> Result<Part, ArithError> {
        let Some(stock) = &self.ing.stock else { return self.part(Mass::ZERO, Some(volume)) };
        let amount = stock_amount(self.ing, stock, Frac::of(volume.ml())).value()?;
        let labelled = match self.stock_basis() {
            Some(_) => Some(Mass::from_mg(stock_labelled(stock, Frac::of(volume.ml())).value()?)),
            None => None,
        };
        Ok(Part { amount: Mass::from_mg(amount), labelled, volume: Some(volume) })
    }

    /// A stock with a `vial`: the vials opened for `drawn` and what is left in them.
    pub(crate) fn left_in_vials(&self, drawn: Volume) -> Result<Option<LeftInVials>, ArithError> {
        let Some(vial) = self.ing.stock.and_then(|s| s.vial) else { return Ok(None) };
        let vials = containers_for(drawn, vial)?;
        let left = Volume::from_ml(arith::mul(Decimal::from(vials), vial.ml())?).minus(drawn)?;
        Ok(Some(LeftInVials { vials, vial, left: self.of_stock(left)? }))
    }
}

/// One accountability line per scheduled ingredient; `lines` and `factors` (from the
/// required amount to the material) are in formula order, `plans` by line index.
pub(crate) fn lines(
    formula: &Formula,
    lines: &[Line],
    factors: &[Frac],
    plans: &[(usize, AliquotPlan)],
    sizes: Sizes<'_>,
) -> Result<Vec<Controlled>, CalcError> {
    let readability = sizes.readability;
    let (quantity, prepared) = (sizes.quantity.value(), sizes.prepared.value());
    let mut out = Vec::new();
    for (i, ((ing, line), factor)) in formula.ingredients.iter().zip(lines).zip(factors).enumerate() {
        // Drawn from a stock solution, it is measured, not weighed: what is withdrawn is
        // the amount the drawn volume holds (SPEC §8.1).
        let drawn = match (ing.stock, line.required) {
            (Some(_), Measured::Mass(m)) => Some(m.mg()),
            _ => None,
        };
        let (Some(schedule), Some(n)) = (ing.schedule, drawn.or(line.weigh.map(Mass::mg))) else { continue };
        let err = arith_at(&ing.id, "the controlled-substance record");
        let plan = plans.iter().find(|(at, _)| *at == i).map(|(_, p)| p);
        let withdraw = plan.map_or(n, |p| p.weigh.mg());
        // n × Q ÷ P and n × (P − Q) ÷ P: multiply first, divide once.
        let share = |n: Decimal, of: Decimal| Frac::of(n).times(of).over(prepared).value();
        let in_product = share(n, quantity).map_err(&err)?;
        let extra = sizes.prepared.with(arith::sub(prepared, quantity).map_err(&err)?);
        let overage_loss = if extra.value().is_zero() {
            None
        } else {
            Some(Mass::from_mg(share(n, extra.value()).map_err(&err)?))
        };
        let parts = if ing.stock.is_some() || line.as_measured.is_some() {
            Parts::of(ing)
        } else {
            Parts::weighed(ing, factor).map_err(&err)?
        };
        let (as_measured, left_in_vials) = as_measured(
            &parts,
            line,
            factor,
            plan,
            readability,
            &Volumes { quantity: sizes.quantity, extra },
            &share,
        )
        .map_err(&err)?;
        out.push(Controlled {
            id: ing.id.clone(),
            name: ing.name.clone(),
            schedule,
            withdraw: Mass::from_mg(withdraw),
            // Drawn by volume, the mass is not read on a balance: it stays exact.
            withdraw_rounded: Mass::from_mg(match drawn {
                Some(_) => withdraw.normalize(),
                None => readability.round(withdraw).map_err(&err)?,
            }),
            in_product: Mass::from_mg(in_product),
            overage_loss,
            aliquot_remainder: plan
                .map(|p| arith::sub(p.weigh.mg(), n).map(Mass::from_mg))
                .transpose()
                .map_err(&err)?,
            withdraw_volume: drawn.and(line.measure),
            undelivered: None,
            as_measured,
            left_in_vials,
            stock_basis: parts.stock_basis(),
            as_weighed: parts.material.is_some(),
            basis: ing.basis.unwrap_or(StrengthBasis::Salt),
        });
    }
    Ok(out)
}

/// `Q` and `P − Q`.
struct Volumes {
    quantity: BatchSize,
    extra: BatchSize,
}

/// The record from what is measured: a stock's volume drawn (or its dilution), or the
/// weighing rounded to the balance, with the material's factors taken the other way.
fn as_measured(
    parts: &Parts<'_>,
    line: &Line,
    factor: &Frac,
    plan: Option<&AliquotPlan>,
    readability: &RoundingPolicy,
    volumes: &Volumes,
    share: &dyn Fn(Decimal, Decimal) -> Result<Decimal, ArithError>,
) -> Result<(ControlledAsMeasured, Option<LeftInVials>), ArithError> {
    // What goes into the preparation `n_m`, what is taken from stock `w_m`, and the volume
    // of stock drawn.
    let (n_m, withdraw, from_stock) = match (line.as_measured, &line.dilution, line.measure_rounded) {
        (Some(a), Some(d), _) => (a.amount.value(), parts.of_stock(d.stock)?, Some(d.stock)),
        (Some(a), None, Some(r)) if parts.ing.stock.is_some() => {
            (a.amount.value(), parts.of_stock(r)?, Some(r))
        }
        (Some(a), _, r) if matches!(a.amount, Measured::Mass(_)) => {
            let m = a.amount.value();
            (m, parts.part(Mass::from_mg(m), r)?, None)
        }
        _ => {
            // Weighed: the balance reading (the whole aliquot weighing) back to the declared
            // basis; an aliquot's portion holds one `m`-th of it.
            let weighed = match plan {
                Some(p) => readability.round(p.weigh.mg())?,
                None => line.weigh_rounded.map_or(Decimal::ZERO, Mass::mg),
            };
            let w_m = Frac::of(weighed).over_frac(factor).value()?;
            let n_m = match plan {
                Some(p) => arith::div(w_m, Decimal::from(p.factor))?,
                None => w_m,
            };
            (n_m, parts.part(Mass::from_mg(w_m), None)?, None)
        }
    };
    let of_preparation = |v: BatchSize| match v {
        BatchSize::Volume(v) => Some(v),
        _ => None,
    };
    let share_of = |of: BatchSize| share(n_m, of.value()).map(Mass::from_mg);
    let in_product = parts.part(share_of(volumes.quantity)?, of_preparation(volumes.quantity))?;
    let overage_loss = if volumes.extra.value().is_zero() {
        None
    } else {
        Some(parts.part(share_of(volumes.extra)?, of_preparation(volumes.extra))?)
    };
    let rest = || withdraw.amount.minus(Mass::from_mg(n_m));
    let dilution_remainder = match &line.dilution {
        Some(d) => Some(parts.part(rest()?, Some(d.remainder))?),
        None => None,
    };
    let aliquot_remainder = match plan {
        Some(_) => Some(parts.part(rest()?, None)?),
        None => None,
    };
    let left = match from_stock {
        Some(v) => parts.left_in_vials(v)?,
        None => None,
    };
    Ok((
        ControlledAsMeasured {
            withdraw,
            in_product,
            overage_loss,
            dilution_remainder,
            aliquot_remainder,
            undelivered: None,
        },
        left,
    ))
}
