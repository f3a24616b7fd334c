//! The actual strength of each active (SPEC §14.2 item 2), from what its readings put
//! into the batch ([`super::readings`]):
//!
//! - volume basis: `a ÷ V`, `V` the qs reading (the final volume made up to);
//! - mass basis: `a ÷ M`, `M` the sum of the actual masses of every ingredient, the qs
//!   included (a volume read × its density, an aliquot counted by its portion);
//! - molded forms, per unit: `a ÷ M × u`, `u = final_weight ÷ yield` the mean unit mass,
//!   `unmeasured` without a final weight;
//! - an infusion: `a` over `bag + overfill + the volume drawn` (without it with
//!   `replace`); the dose delivered (`a` for a whole bag; the ordered dose for a fixed
//!   concentration, infused as `D ÷ (a ÷ final volume)` at the actual concentration).
//!
//! Each is one product over one product of the readings and the formula's factors; the
//! deviation is from the labelled strength, the status against `strength_tolerance`.

use rust_decimal::Decimal;

use super::asked::{Asked, InfusionAsked, Labelled};
use super::readings::{Read, Taken};
use super::{Infusion, Status, Strength, calculation, deviation};
use crate::calc::Frac;
use crate::formula::{Basis, Diagnostic, InfusionMethod, StrengthBasis};
use crate::measure::{Mass, Measured, Volume};
use crate::request::{BatchFile, Yield as FileYield};
use crate::unit::Dimension;

/// The strengths of the batch as made, and an infusion's bag.
#[derive(Debug, Clone, Default)]
pub(super) struct Made {
    pub(super) strengths: Vec<Strength>,
    pub(super) infusion: Option<Infusion>,
}

/// What the strength of a form divides the amount of an active by.
enum Divisor {
    /// A volume (mL): a liquid's final volume, an infusion's bag as made.
    Volume(Decimal),
    /// The blend's mass (mg); for a molded form also the mean unit mass (mg).
    Mass { blend: Decimal, unit: Option<Decimal> },
}

/// Why a divisor is not there.
enum Gap {
    Missing,
    Unmeasured,
}

/// The actual strengths of `asked`'s actives from the readings `read` of `file`.
pub(super) fn of(asked: &Asked<'_>, read: &Read, file: &BatchFile) -> Result<Made, Diagnostic> {
    let formula = asked.formula;
    let tolerance = formula.strength_tolerance();
    let infusion = asked.infusion();
    let divisor = divisor(asked, read, file, infusion.as_ref())?;
    // A strength rests on the active's readings and the divisor's: the qs of a liquid,
    // every ingredient of a mass or molded form.
    let divisor_unmeasured = match formula.basis() {
        Basis::Volume => formula.qs().and_then(|q| read.of(&q.id)).is_some_and(|t| t.unmeasured),
        Basis::Mass | Basis::Molded => read.taken.iter().any(|t| t.unmeasured),
        Basis::Infusion => false,
    };
    let mut made = Made::default();
    for active in formula.actives() {
        let Some(labelled) = asked.labelled(&active.id) else { continue };
        let taken = read.of(&active.id);
        let basis = active.basis.unwrap_or(StrengthBasis::Salt);
        let amount_frac = taken.and_then(|t| t.amount.clone());
        let amount = match &amount_frac {
            Some(a) => Some(a.value().map_err(|_| calculation(&active.id, "the actual amount"))?),
            None => None,
        };
        let is_volume = asked.required_is_volume(&active.id);
        let amount_shown = amount.map(|a| {
            if is_volume { Measured::Volume(Volume::from_ml(a)) } else { Measured::Mass(Mass::from_mg(a)) }
        });
        let mut strength = Strength {
            id: active.id.clone(),
            basis,
            labelled: (labelled.value, labelled.unit),
            amount: amount_shown,
            actual: None,
            deviation: None,
            tolerance,
            status: Status::Missing,
        };
        let (Some(a), Ok(d)) = (amount_frac, &divisor) else {
            if let Err(Gap::Unmeasured) = &divisor
                && taken.is_some_and(|t| t.complete)
            {
                strength.status = Status::Unmeasured;
            }
            made.strengths.push(strength);
            continue;
        };
        let Some(actual) = in_unit(a, d, is_volume, labelled) else {
            return Err(calculation(&active.id, "the actual strength"));
        };
        let dev =
            deviation(actual, labelled.value).ok_or_else(|| calculation(&active.id, "the deviation"))?;
        strength.actual = Some((actual, labelled.unit));
        strength.deviation = Some(dev);
        strength.status = if taken.is_some_and(|t| t.unmeasured) || divisor_unmeasured {
            Status::Unmeasured
        } else {
            Status::against(dev, tolerance)
        };
        if let (Some(i), Some(a), Divisor::Volume(f)) = (&infusion, amount, d) {
            let mut b = bag(&active.id, i, Mass::from_mg(a), Volume::from_ml(*f), tolerance)?;
            if strength.status == Status::Unmeasured {
                b.status = Status::Unmeasured;
            }
            made.infusion = Some(b);
        }
        made.strengths.push(strength);
    }
    if let (Some(i), None) = (&infusion, &made.infusion) {
        made.infusion = Some(Infusion {
            in_bag: None,
            final_volume: None,
            concentration: None,
            dose: None,
            volume_to_infuse: None,
            rate: None,
            labelled_dose: i.dose_delivered,
            deviation: None,
            tolerance,
            status: Status::Missing,
        });
    }
    Ok(made)
}

/// The actual strength `a ÷ divisor` in the labelled strength's unit: the concentration in
/// the dimension's base unit (`mg/mL`, `mg/g`, `%v/v`, `mg/unit`) times the unit's factor
/// the other way, one product over one product.
fn in_unit(a: Frac, d: &Divisor, is_volume: bool, labelled: Labelled) -> Option<Decimal> {
    let (n, den) = labelled.unit.to_base_factor();
    let base = match (d, labelled.unit.dimension()) {
        // mL per mL × 100 = %v/v.
        (Divisor::Volume(v), Dimension::VolumePerVolume) if is_volume => {
            a.times(Decimal::ONE_HUNDRED).over(*v)
        }
        (Divisor::Volume(v), Dimension::MassPerVolume) if !is_volume => a.over(*v),
        // mg per mg × 1000 = mg/g.
        (Divisor::Mass { blend, unit: None }, Dimension::MassPerMass) if !is_volume => {
            a.times(Decimal::ONE_THOUSAND).over(*blend)
        }
        (Divisor::Mass { blend, unit: Some(u) }, Dimension::MassPerCount) if !is_volume => {
            a.times(*u).over(*blend)
        }
        _ => return None,
    };
    base.times(den).over(n).value().ok()
}

/// What the strengths of `asked`'s form divide by, from the readings.
fn divisor(
    asked: &Asked<'_>,
    read: &Read,
    file: &BatchFile,
    infusion: Option<&InfusionAsked>,
) -> Result<Result<Divisor, Gap>, Diagnostic> {
    let formula = asked.formula;
    let calc = |what| calculation(&formula.id, what);
    if let Some(i) = infusion {
        let active = formula.actives().next();
        let drawn = active.and_then(|a| read.of(&a.id)).and_then(|t| t.volume);
        let Some(drawn) = drawn else { return Ok(Err(Gap::Missing)) };
        let before = crate::arith::add(i.bag.ml(), i.overfill.ml()).map_err(|_| calc("the final volume"))?;
        let f = if i.replace {
            before
        } else {
            crate::arith::add(before, drawn).map_err(|_| calc("the final volume"))?
        };
        return Ok(Ok(Divisor::Volume(f)));
    }
    match formula.basis() {
        Basis::Volume => {
            let qs = formula.qs().and_then(|q| read.of(&q.id)).and_then(|t| t.volume);
            Ok(qs.map(Divisor::Volume).ok_or(Gap::Missing))
        }
        Basis::Mass | Basis::Molded => {
            let masses: Option<Vec<Decimal>> = read.taken.iter().map(|t: &Taken| t.mass).collect();
            let Some(masses) = masses else { return Ok(Err(Gap::Missing)) };
            let blend = crate::arith::sum(masses).map_err(|_| calc("the blend's mass"))?;
            if formula.basis() == Basis::Mass {
                return Ok(Ok(Divisor::Mass { blend, unit: None }));
            }
            let units = match &file.actual.yielded {
                Some(FileYield::Count(n)) => n.value,
                _ => return Ok(Err(Gap::Missing)),
            };
            let Some(fw) = &file.actual.final_weight else { return Ok(Err(Gap::Unmeasured)) };
            if units.is_zero() {
                return Ok(Err(Gap::Unmeasured));
            }
            let unit = crate::arith::div(fw.value.mg(), units).map_err(|_| calc("the mean unit mass"))?;
            Ok(Ok(Divisor::Mass { blend, unit: Some(unit) }))
        }
        Basis::Infusion => Ok(Err(Gap::Missing)),
    }
}

/// An infusion's bag as made: `a` in `f`.
fn bag(id: &str, i: &InfusionAsked, a: Mass, f: Volume, tolerance: Decimal) -> Result<Infusion, Diagnostic> {
    let calc = |what| calculation(id, what);
    let c = a.per_volume(f).map_err(|_| calc("the actual concentration"))?;
    let (dose, vtbi, dev) = match i.method {
        InfusionMethod::WholeBag => (a, f, deviation(a.mg(), i.dose_delivered.mg())),
        InfusionMethod::FixedConcentration => {
            // D ÷ C = D × F ÷ a: never through the rounded concentration.
            let vtbi = i.dose.share_of(f, a).map_err(|_| calc("the volume to infuse"))?;
            (i.dose, vtbi, deviation(c.mg_per_ml(), i.concentration.mg_per_ml()))
        }
    };
    let dev = dev.ok_or_else(|| calc("the deviation of the bag"))?;
    Ok(Infusion {
        in_bag: Some(a),
        final_volume: Some(f),
        concentration: Some(c),
        dose: Some(dose),
        volume_to_infuse: Some(vtbi),
        rate: Some(crate::measure::Rate::of(vtbi, i.duration).map_err(|_| calc("the rate"))?),
        labelled_dose: i.dose_delivered,
        deviation: Some(dev),
        tolerance,
        status: Status::against(dev, tolerance),
    })
}
