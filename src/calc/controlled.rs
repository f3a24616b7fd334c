//! Controlled-substance accountability (SPEC §3.11, §7.4): what to withdraw, and where it
//! goes, so that the record reconciles: withdrawn = in product + loss + remainder.

use rust_decimal::Decimal;

use super::CalcError;
use super::batch::{AliquotPlan, Controlled, Line};
use super::error::arith_at;
use crate::arith;
use crate::formula::Formula;
use crate::measure::Mass;
use crate::rounding::RoundingPolicy;

/// One accountability line per scheduled ingredient that is weighed; `lines` are in
/// formula order, `plans` by line index.
pub(crate) fn lines(
    formula: &Formula,
    lines: &[Line],
    plans: &[(usize, AliquotPlan)],
    quantity: Decimal,
    prepared: Decimal,
    readability: &RoundingPolicy,
) -> Result<Vec<Controlled>, CalcError> {
    let mut out = Vec::new();
    for (i, (ing, line)) in formula.ingredients.iter().zip(lines).enumerate() {
        // Drawn from a stock solution, it is measured, not weighed: what is withdrawn is
        // the amount the drawn volume holds (SPEC §8.1).
        let drawn = match (ing.stock, line.required) {
            (Some(_), crate::measure::Measured::Mass(m)) => Some(m.mg()),
            _ => None,
        };
        let (Some(schedule), Some(n)) = (ing.schedule, drawn.or(line.weigh.map(Mass::mg))) else { continue };
        let err = arith_at(&ing.id, "the controlled-substance record");
        let plan = plans.iter().find(|(at, _)| *at == i).map(|(_, p)| p);
        let withdraw = plan.map_or(n, |p| p.weigh.mg());
        // n × Q ÷ P and n × (P − Q) ÷ P: multiply first, divide once.
        let in_product = arith::div(arith::mul(n, quantity).map_err(&err)?, prepared).map_err(&err)?;
        let overage_loss = if prepared == quantity {
            None
        } else {
            let extra = arith::sub(prepared, quantity).map_err(&err)?;
            Some(Mass::from_mg(arith::div(arith::mul(n, extra).map_err(&err)?, prepared).map_err(&err)?))
        };
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
        });
    }
    Ok(out)
}
