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
use crate::measure::{Mass, Measured, Volume};
use crate::rounding::RoundingPolicy;

/// The batch's sizes, as the record needs them.
pub(crate) struct Sizes<'a> {
    /// `Q`.
    pub(crate) quantity: Decimal,
    /// `P`.
    pub(crate) prepared: Decimal,
    /// The batch is a volume of preparation (mL), so that its parts have volumes too.
    pub(crate) volume: bool,
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

    /// `amount` (mg, declared basis) held in `volume`.
    pub(crate) fn part(&self, amount: Decimal, volume: Option<Decimal>) -> Result<Part, ArithError> {
        let labelled = match (self.material, self.stock_basis()) {
            (Some(f), _) => Some(Mass::from_mg(Frac::of(amount).times_frac(f).value()?)),
            (None, Some(_)) => {
                Some(Mass::from_mg(Frac::of(amount).times_ratio(self.ing.to_stock_basis()).value()?))
            }
            (None, None) => None,
        };
        Ok(Part { amount: Mass::from_mg(amount), labelled, volume: volume.map(Volume::from_ml) })
    }

    /// What `volume` mL of the stock holds, from that same volume: in the declared basis
    /// and, when it differs, in the stock's own.
    pub(crate) fn of_stock(&self, volume: Decimal) -> Result<Part, ArithError> {
        let Some(stock) = &self.ing.stock else { return self.part(Decimal::ZERO, Some(volume)) };
        let amount = stock_amount(self.ing, stock, Frac::of(volume)).value()?;
        let labelled = match self.stock_basis() {
            Some(_) => Some(Mass::from_mg(stock_labelled(stock, Frac::of(volume)).value()?)),
            None => None,
        };
        Ok(Part { amount: Mass::from_mg(amount), labelled, volume: Some(Volume::from_ml(volume)) })
    }

    /// A stock with a `vial`: the vials opened for `drawn` mL and what is left in them.
    pub(crate) fn left_in_vials(&self, drawn: Decimal) -> Result<Option<LeftInVials>, ArithError> {
        let Some(vial) = self.ing.stock.and_then(|s| s.vial) else { return Ok(None) };
        let vials = containers_for(Volume::from_ml(drawn), vial)?;
        let left = arith::sub(arith::mul(Decimal::from(vials), vial.ml())?, drawn)?;
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
    let Sizes { quantity, prepared, volume, readability } = sizes;
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
        let extra = arith::sub(prepared, quantity).map_err(&err)?;
        let overage_loss =
            if extra.is_zero() { None } else { Some(Mass::from_mg(share(n, extra).map_err(&err)?)) };
        let parts = if ing.stock.is_some() || line.as_measured.is_some() {
            Parts::of(ing)
        } else {
            Parts::weighed(ing, factor).map_err(&err)?
        };
        let (as_measured, left_in_vials) =
            as_measured(&parts, line, factor, plan, readability, &sizes_of(quantity, extra, volume), &share)
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

/// `Q` and `P − Q`, and whether they are volumes of preparation (mL).
struct Volumes {
    quantity: Decimal,
    extra: Decimal,
    volume: bool,
}

fn sizes_of(quantity: Decimal, extra: Decimal, volume: bool) -> Volumes {
    Volumes { quantity, extra, volume }
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
        (Some(a), Some(d), _) => (a.amount.value(), parts.of_stock(d.stock.ml())?, Some(d.stock.ml())),
        (Some(a), None, Some(r)) if parts.ing.stock.is_some() => {
            (a.amount.value(), parts.of_stock(r.ml())?, Some(r.ml()))
        }
        (Some(a), _, r) if matches!(a.amount, Measured::Mass(_)) => {
            let m = a.amount.value();
            (m, parts.part(m, r.map(Volume::ml))?, None)
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
            (n_m, parts.part(w_m, None)?, None)
        }
    };
    let of_preparation = |v: Decimal| volumes.volume.then_some(v);
    let in_product = parts.part(share(n_m, volumes.quantity)?, of_preparation(volumes.quantity))?;
    let overage_loss = if volumes.extra.is_zero() {
        None
    } else {
        Some(parts.part(share(n_m, volumes.extra)?, of_preparation(volumes.extra))?)
    };
    let dilution_remainder = match &line.dilution {
        Some(d) => {
            let rest = arith::sub(withdraw.amount.mg(), n_m)?;
            Some(parts.part(rest, Some(d.remainder.ml()))?)
        }
        None => None,
    };
    let aliquot_remainder = match plan {
        Some(_) => Some(parts.part(arith::sub(withdraw.amount.mg(), n_m)?, None)?),
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
