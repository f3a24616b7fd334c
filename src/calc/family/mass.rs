//! Semisolids (creams, gels, ointments): the batch is a mass and the base is what the
//! other ingredients leave of it (SPEC §2.1, §3.5).

use crate::number::format_mass;
use rust_decimal::Decimal;

use super::{Family, PerDose, QsInput, QsOutcome, over_capacity, per_actuation};
use crate::arith::{self, ArithError};
use crate::calc::CalcError;
use crate::calc::trail::Step;
use crate::formula::Formula;
use crate::measure::Mass as Mg;
use crate::quantity::Quantity;
use crate::unit::{Dimension, Unit};

/// The mass family.
pub(crate) struct Mass;

impl Family for Mass {
    fn qs(&self, at: &QsInput<'_>) -> Result<QsOutcome, CalcError> {
        let (err, p) = (at.err(), at.p());
        let weighed = arith::sum(at.others.iter().filter_map(|(_, a)| a.weigh.map(Mg::mg))).map_err(&err)?;
        over_capacity(at.ing, "the other ingredients", weighed, p, &format_mass)?;
        let base = Mg::from_mg(arith::sub(p, weighed).map_err(&err)?);
        let trail =
            vec![Step::BaseByDifference { prepared: Mg::from_mg(p), others: Mg::from_mg(weighed), base }];
        Ok(QsOutcome::weighed(at.ing, base, trail, None))
    }

    fn fixed_strength(&self, amount: &Quantity, reference: Decimal) -> Result<(Decimal, Unit), ArithError> {
        // mg per g of the reference batch (held in mg).
        Ok((arith::div(arith::mul(amount.to_base()?, Decimal::ONE_THOUSAND)?, reference)?, Unit::MG_PER_G))
    }

    fn per_dose(&self, formula: &Formula, strength: Quantity) -> Result<Option<PerDose>, ArithError> {
        let (Some(device), Some(density), Dimension::MassPerMass) =
            (&formula.device, formula.density, strength.dimension())
        else {
            return Ok(None);
        };
        // mg/g × g/mL: the density is held in mg/mL, hence ÷ 1000.
        let per_ml = arith::div(arith::mul(strength.value, density)?, Decimal::ONE_THOUSAND)?;
        per_actuation(device, per_ml).map(Some)
    }

    fn concentration_unit(&self) -> Unit {
        Unit::MG_PER_G
    }
}
