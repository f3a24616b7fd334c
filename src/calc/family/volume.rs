//! Liquids (nasal sprays, sublingual drops, oral solutions): the batch is a volume, the
//! vehicle is made up to it, and a device doses it (SPEC §2.1, §3.5, §3.6, §7.5).

use crate::number::{format_mass, trail_ml};
use rust_decimal::Decimal;

use super::{Doses, Family, PerDose, QsInput, QsOutcome, over_capacity, per_actuation};
use crate::arith::{self, ArithError};
use crate::calc::CalcError;
use crate::calc::amounts::Amounts;
use crate::calc::batch::{AliquotBy, Containers, Line, Qs};
use crate::calc::error::arith_at;
use crate::calc::frac::containers_for;
use crate::calc::trail::{Container, DoseCounting, Step};
use crate::formula::{Delivery, Device, Formula, Ingredient};
use crate::measure::{DoseCount, Mass, Measured, Volume as Ml};
use crate::quantity::Quantity;
use crate::unit::{Dimension, Unit};

/// A liquid weighs at most this much per mL (mg/mL): nothing weighed into a liquid batch
/// may come to more than its volume at this density (denser than any syrup or vehicle).
const MAX_LIQUID_DENSITY: i64 = 2000;

/// The volume family.
pub(crate) struct Volume;

impl Family for Volume {
    fn qs(&self, at: &QsInput<'_>) -> Result<QsOutcome, CalcError> {
        let (err, p) = (at.err(), at.p());
        let volumes = arith::sum(at.others.iter().filter_map(|(_, a)| {
            a.measure.map(Ml::ml).or(match a.required {
                Measured::Volume(v) => Some(v.ml()),
                Measured::Mass(_) => None,
            })
        }))
        .map_err(&err)?;
        over_capacity(at.ing, "the volume-measured ingredients", volumes, p, &trail_ml)?;
        let to = Ml::from_ml(p);
        Ok(QsOutcome {
            qs: Qs { id: at.ing.id.clone(), to: Some(to), weigh: None, in_aliquots: None },
            amounts: Amounts {
                required: Measured::Volume(to),
                weigh: None,
                measure: None,
                trail: vec![Step::QsTo { volume: to }],
                factor: crate::calc::frac::Frac::of(Decimal::ONE),
            },
            unit_weight: None,
        })
    }

    fn fixed_strength(&self, amount: &Quantity, reference: Decimal) -> Result<(Decimal, Unit), ArithError> {
        let base = amount.to_base()?;
        if amount.dimension() == Dimension::Volume {
            // A fixed volume in the reference volume: mL per 100 mL.
            Ok((arith::div(arith::mul(base, Decimal::ONE_HUNDRED)?, reference)?, Unit::PercentVV))
        } else {
            Ok((arith::div(base, reference)?, Unit::MG_PER_ML))
        }
    }

    fn per_dose(&self, formula: &Formula, strength: Quantity) -> Result<Option<PerDose>, ArithError> {
        match (&formula.device, strength.dimension()) {
            (Some(device), Dimension::MassPerVolume) => per_actuation(device, strength.value).map(Some),
            _ => Ok(None),
        }
    }

    fn doses(&self, formula: &Formula, q: Decimal, fill: Option<Decimal>) -> Result<Doses, CalcError> {
        let e = arith_at("batch", "the number of doses");
        let count_in = |v: Decimal| {
            let count = |(n, how)| (DoseCount::from_doses(n), how);
            formula.device.as_ref().map(|d| doses_in(d, v).map(count)).transpose()
        };
        let Some(fill) = fill else {
            let (doses, count) = count_in(q).map_err(&e)?.unzip();
            let calculation = count.map(|count| Step::Doses { container: None, count });
            return Ok(Doses { doses, calculation, containers: None });
        };
        // A batch smaller than one fill is one container of its quantity (SPEC §13).
        let fill = fill.min(q);
        let full = arith::div(q, fill).map_err(&e)?.floor();
        let rest = arith::sub(q, arith::mul(full, fill).map_err(&e)?).map_err(&e)?;
        let (per_full, calc) = count_in(fill).map_err(&e)?.unzip();
        if let (Some(n), Some(how)) = (per_full, &calc)
            && n.is_zero()
        {
            return Err(CalcError::NoWholeDose { volume: Ml::from_ml(fill), how: how.clone() });
        }
        let noun = formula.container_noun();
        let per = |last: bool, holds: Decimal, count: DoseCounting| Step::Doses {
            container: Some(Container { last, holds: Ml::from_ml(holds), noun }),
            count,
        };
        let (last, last_calculation) = if rest > Decimal::ZERO {
            let (n, how) = count_in(rest).map_err(&e)?.unzip();
            (Some((Ml::from_ml(rest), n)), how.map(|c| per(true, rest, c)))
        } else {
            (None, None)
        };
        let containers = Containers {
            count: containers_for(Ml::from_ml(q), Ml::from_ml(fill)).map_err(&e)?,
            full: u64::try_from(full).map_err(|_| e(ArithError::Overflow { lhs: q, op: '÷', rhs: fill }))?,
            fill: Ml::from_ml(fill),
            doses: per_full,
            last,
            last_calculation,
        };
        Ok(Doses {
            doses: per_full,
            calculation: calc.map(|c| per(false, fill, c)),
            containers: Some(containers),
        })
    }

    fn aliquot_by(&self) -> AliquotBy {
        AliquotBy::Volume
    }

    fn check_drawn(&self, p: Decimal, formula: &Formula, lines: &[Line]) -> Result<(), CalcError> {
        if lines.iter().all(|l| l.dilution.is_none()) {
            return Ok(());
        }
        let Some(qs) = formula.qs() else { return Ok(()) };
        let err = arith_at(&qs.id, "the qs");
        let volumes =
            arith::sum(lines.iter().filter(|l| !l.qs).filter_map(|l| match (&l.dilution, l.measure) {
                (Some(d), _) => Some(d.take_rounded.ml()),
                (None, Some(m)) => Some(m.ml()),
                (None, None) => match l.required {
                    Measured::Volume(v) => Some(v.ml()),
                    Measured::Mass(_) => None,
                },
            }))
            .map_err(&err)?;
        over_capacity(
            qs,
            "the volume-measured ingredients (with the dilution's portion)",
            volumes,
            p,
            &trail_ml,
        )
    }

    /// Nothing weighed into a liquid may weigh more than the liquid could (a purity or
    /// assay typed wrong would otherwise weigh kilograms into millilitres).
    fn check_capacity(&self, p: Decimal, others: &[(&Ingredient, &Amounts)]) -> Result<(), CalcError> {
        let err = arith_at("batch", "the mass weighed into the liquid");
        let weighed = arith::sum(
            others.iter().filter(|(_, a)| a.measure.is_none()).filter_map(|(_, a)| a.weigh.map(Mass::mg)),
        )
        .map_err(&err)?;
        let limit = arith::mul(p, Decimal::from(MAX_LIQUID_DENSITY)).map_err(&err)?;
        if weighed > limit {
            return Err(CalcError::LiquidOverCapacity {
                volume: trail_ml(p),
                mass: format_mass(weighed),
                limit: format_mass(limit),
            });
        }
        Ok(())
    }
}

/// Doses in `volume` mL: `floor((volume − residual) ÷ per actuation − priming)`, or with
/// `per_ml`, `floor((volume − residual) × per_ml − priming)` (no rounded `1 ÷ per_ml`
/// enters); never below zero. Returns the count and how it was obtained.
fn doses_in(device: &Device, volume: Decimal) -> Result<(Decimal, DoseCounting), ArithError> {
    let usable = arith::sub(volume, device.residual)?;
    let raw = match device.delivery {
        Delivery::Volume(ml) => arith::div(usable, ml)?,
        Delivery::PerMl(n) => arith::mul(usable, n)?,
    };
    let n = arith::sub(raw, device.priming)?.floor().max(Decimal::ZERO);
    let count = DoseCounting {
        volume: Ml::from_ml(volume),
        residual: Ml::from_ml(device.residual),
        delivery: device.delivery,
        priming: device.priming,
        doses: DoseCount::from_doses(n),
        dose: device.dose.clone(),
    };
    Ok((n, count))
}
