//! Troches and RDTs: the batch is a count of cavities, and the base is what one cavity
//! holds less what the other ingredients displace (SPEC §2.1, §3.5, §7.6).

use crate::number::format_mass;
use rust_decimal::Decimal;

use super::{Family, PerDose, QsInput, QsOutcome, over_capacity};
use crate::arith::{self, ArithError};
use crate::calc::CalcError;
use crate::calc::trail::Step;
use crate::formula::{Displacement, Formula, Overage};
use crate::measure::{Count, Mass};
use crate::quantity::Quantity;
use crate::unit::{Dimension, Unit};

/// The molded family.
pub(crate) struct Molded;

impl Family for Molded {
    /// `base = P × blank − Σ weigh × f`, and the theoretical unit weight
    /// `(base + Σ weigh) ÷ P` for QC weight checks.
    fn qs(&self, at: &QsInput<'_>) -> Result<QsOutcome, CalcError> {
        let (err, p) = (at.err(), at.p());
        let blank = at.formula.blank_weight.unwrap_or(Mass::ZERO);
        let total = arith::mul(p, blank.mg()).map_err(&err)?;
        let mut displaced = Decimal::ZERO;
        let mut weighed = Decimal::ZERO;
        let mut parts = Vec::new();
        for (ing, a) in at.others {
            let w = a.weigh.unwrap_or(Mass::ZERO);
            weighed = arith::add(weighed, w.mg()).map_err(&err)?;
            let d = match ing.displacement {
                Displacement::Factor(f) => arith::mul(w.mg(), f),
                Displacement::DensityFactor(df) => arith::div(w.mg(), df),
                Displacement::AssumedOneToOne => Ok(w.mg()),
            };
            displaced = arith::add(displaced, d.map_err(&err)?).map_err(&err)?;
            parts.push((w, ing.displacement));
        }
        over_capacity(at.ing, "the other ingredients (by displacement)", displaced, total, &format_mass)?;
        let base = arith::sub(total, displaced).map_err(&err)?;
        let unit_weight = arith::div(arith::add(base, weighed).map_err(&err)?, p).map_err(&err)?;
        let (units, base, weighed) = (Count::from_units(p), Mass::from_mg(base), Mass::from_mg(weighed));
        let unit_weight = Mass::from_mg(unit_weight);
        let trail = vec![
            Step::Blank { units, blank, total: Mass::from_mg(total) },
            Step::Displaced { parts, displaced: Mass::from_mg(displaced) },
            Step::Base { base },
            Step::UnitWeight { base, others: weighed, units, unit_weight },
        ];
        Ok(QsOutcome::weighed(at.ing, base, trail, Some(unit_weight)))
    }

    fn fixed_strength(&self, amount: &Quantity, reference: Decimal) -> Result<(Decimal, Unit), ArithError> {
        Ok((arith::div(amount.to_base()?, reference)?, Unit::MG_PER_UNIT))
    }

    fn per_dose(&self, formula: &Formula, strength: Quantity) -> Result<Option<PerDose>, ArithError> {
        Ok((strength.dimension() == Dimension::MassPerCount).then(|| PerDose {
            amount: Mass::from_mg(strength.value),
            called: formula.dosage_form.as_str().to_string(),
        }))
    }

    /// `Q` plus a unit overage: a percent overage makes more blend, not more cavities.
    fn cavities(&self, q: Decimal, overage: Option<Overage>) -> Result<Option<Decimal>, ArithError> {
        match overage {
            Some(Overage::Amount(extra)) => arith::add(q, extra.value()).map(Some),
            _ => Ok(Some(q)),
        }
    }
}
