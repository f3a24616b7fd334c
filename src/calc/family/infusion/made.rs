//! The bag as made (SPEC §12.3, §12.4): the drug volume is measured on its syringe (or
//! through a dilution), and everything the person who prepares, checks, labels or hangs
//! the bag reads follows from what that volume holds: `D_m` in the bag, `F_m = bag +
//! overfill + drawn`, `C_m = D_m ÷ F_m`, the volume to infuse and its rates, the dose
//! delivered and its rates per hour and per kg, the fluid per kg, and the warnings a
//! careful pharmacist would raise (a bag holding far more than the dose, a fluid load,
//! an infusion that cannot end before its beyond-use time).

use crate::calc::{Says, Step};
use crate::number::{four_significant as sig, trail_ml as ml, trail_num};
use jiff::SignedDuration;
use jiff::civil::DateTime;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::super::super::batch::{Bud, DoseRate, InfusionAsMeasured, LeftInVials, Warning};
use super::super::super::error::arith_at;
use super::super::super::frac::Frac;
use super::super::super::measured::{self, Measurement};
use super::super::super::{CalcError, Weight};
use super::Parts;
use crate::arith;
use crate::codes::Code;
use crate::formula::InfusionMethod;
use crate::measure::{Mass, Measured, Volume};

/// Fluid above this (mL per kg of body weight) is worth a warning (SPEC §12.3).
const FLUID_LOAD_ML_PER_KG: i64 = 10;

/// A fixed-concentration bag holding more than this many tenths of the dose gets a
/// warning, and its labels print the volume to infuse first (SPEC §12.4).
const EXCEEDS_TENTHS: i64 = 11;

/// The bag as made.
pub(super) struct Made {
    pub(super) measurement: Measurement,
    pub(super) figures: InfusionAsMeasured,
    pub(super) dose_rate: DoseRate,
    pub(super) dose_per_kg: Option<Decimal>,
    pub(super) fluid_per_kg: Option<Decimal>,
    pub(super) bag_exceeds_dose: bool,
    /// A stock with a `vial`: the vials opened for the volume drawn from the stock.
    pub(super) vials: Option<LeftInVials>,
}

/// The exact figures the bag as made starts from.
pub(super) struct Exact {
    /// `D`, the ordered dose.
    pub(super) dose: Decimal,
    /// `T`, the drug the bag should hold.
    pub(super) in_bag: Decimal,
    /// `Vd`.
    pub(super) vd: Decimal,
    /// The bag and its overfill.
    pub(super) bag: Volume,
    /// Minutes.
    pub(super) duration: Decimal,
}

/// Measures the drug volume and computes the bag as made, with each step in `trail`.
pub(super) fn made(
    parts: &Parts<'_>,
    x: &Exact,
    weight: Option<Weight>,
    warnings: &mut Vec<Warning>,
    trail: &mut Vec<Step>,
) -> Result<Made, CalcError> {
    let (spec, active) = (parts.spec, parts.active);
    let e = arith_at(&active.id, "the infusion as made");
    let one = Frac::of(Decimal::ONE);
    let m = measured::measure(
        active,
        Volume::from_ml(x.vd),
        Measured::Mass(Mass::from_mg(x.in_bag)),
        &one,
        parts.vehicle,
        warnings,
    )?;
    let (Some(drawn), Some(held)) = (m.drawn(), m.as_measured) else {
        return Err(CalcError::Unmeasurable { id: active.id.clone(), volume: ml(x.vd) });
    };
    let d_m = held.amount.value();
    let drawn = drawn.ml();
    let before = arith::add(x.bag.ml(), spec.overfill.ml()).map_err(&e)?;
    let f_m = if spec.replace { before } else { arith::add(before, drawn).map_err(&e)? };
    let c_m = arith::div(d_m, f_m).map_err(&e)?;
    let (vi_m, dose_m) = match spec.method {
        InfusionMethod::WholeBag => (f_m, d_m),
        // The ordered dose from the bag as made: D ÷ C_m = D × F_m ÷ D_m.
        InfusionMethod::FixedConcentration => {
            (Frac::of(x.dose).times(f_m).over(d_m).value().map_err(&e)?, x.dose)
        }
    };
    if vi_m > f_m {
        return Err(CalcError::BagTooSmall {
            dose: format!("{} mg", sig(x.dose)),
            volume_to_infuse: ml(vi_m),
            final_volume: ml(f_m),
            concentration: format!("{} mg/mL", sig(c_m)),
        });
    }
    let sixty = Decimal::from(60);
    let rate = Frac::of(vi_m).times(sixty).over(x.duration).value().map_err(&e)?;
    let drip = match spec.drop_factor {
        Some(df) => Some(Frac::of(vi_m).times(df).over(x.duration).value().map_err(&e)?),
        None => None,
    };
    // Never a `0 mL` or `0 mL/h` to set a pump to (volumes print to 0.01 mL, rates to 0.1).
    // Under half the last printed place: 0.005 mL, 0.05 mL/h.
    if vi_m < dec!(0.005) || rate < dec!(0.05) {
        return Err(CalcError::BelowPumpResolution {
            dose: mg(x.dose),
            volume_to_infuse: ml(vi_m),
            rate: format!("{} mL/h", trail_num(rate)),
        });
    }
    let deviation = measured::deviation(active, d_m, x.in_bag)?;
    trail.extend(measured::trail(active, Volume::from_ml(x.vd), &m));
    trail.push(Step::Text(format!(
        "as made: {} mL drawn holds {}; the bag {} at {} mg/mL; {} to infuse at {} mL/h",
        drawn,
        mg(d_m),
        ml(f_m),
        sig(c_m),
        ml(vi_m),
        trail_num(rate)
    )));
    let per_hour = Frac::of(dose_m).times(sixty).over(x.duration).value().map_err(&e)?;
    let per_kg = |v: Frac| -> Result<Option<Decimal>, CalcError> {
        weight.map(|w| v.over(w.kg).value()).transpose().map_err(&e)
    };
    let dose_rate =
        DoseRate { per_hour, per_kg_per_hour: per_kg(Frac::of(dose_m).times(sixty).over(x.duration))? };
    let dose_per_kg = per_kg(Frac::of(dose_m))?;
    let fluid_per_kg = per_kg(Frac::of(vi_m))?;
    if let (Some(f), Some(w)) = (fluid_per_kg, weight)
        && f > Decimal::from(FLUID_LOAD_ML_PER_KG)
    {
        warnings.push(Warning {
            code: Code::FluidLoad,
            ingredient: None,
            message: Says::Text(format!(
                "{} into a patient of {} is {} mL/kg, above {FLUID_LOAD_ML_PER_KG} mL/kg: check the fluid allowance, or use a smaller bag",
                ml(vi_m),
                w.given,
                sig(f)
            )),
            aliquot: None,
        });
    }
    let exceeds = spec.method == InfusionMethod::FixedConcentration
        && d_m
            > Frac::of(x.dose).times(Decimal::from(EXCEEDS_TENTHS)).over(Decimal::TEN).value().map_err(&e)?;
    if exceeds {
        warnings.push(Warning {
            code: Code::BagExceedsDose,
            ingredient: Some(active.id.clone()),
            message: Says::Text(format!(
                "the bag holds {}; the dose is {}: infuse only {} (VTBI), with an infusion pump",
                mg(d_m),
                mg(x.dose),
                volume(vi_m)
            )),
            aliquot: None,
        });
    }
    let vials = match m.drawn_from_stock() {
        Some(v) => super::super::super::controlled::Parts::of(active)
            .left_in_vials(v)
            .map_err(arith_at(&active.id, "the vials to open"))?,
        None => None,
    };
    Ok(Made {
        vials,
        figures: InfusionAsMeasured {
            in_bag: Mass::from_mg(d_m),
            dose: Mass::from_mg(dose_m),
            drawn: Volume::from_ml(drawn),
            final_volume: Volume::from_ml(f_m),
            concentration: c_m,
            volume_to_infuse: Volume::from_ml(vi_m),
            rate,
            drip_rate: drip,
            deviation,
        },
        measurement: m,
        dose_rate,
        dose_per_kg,
        fluid_per_kg,
        bag_exceeds_dose: exceeds,
    })
}

/// The latest start that ends the infusion by the beyond-use time, and whether an
/// infusion started at compounding would end after it; a warning with both times then.
pub(super) fn start_by(
    bud: &Bud,
    start: DateTime,
    duration: Decimal,
    zone: &jiff::tz::TimeZone,
    warnings: &mut Vec<Warning>,
) -> Result<(DateTime, bool), CalcError> {
    let range = || CalcError::DateRange { date: start.date().to_string() };
    let seconds = arith::mul(duration, Decimal::from(60)).map_err(|_| range())?.floor();
    let length = SignedDuration::from_secs(i64::try_from(seconds).map_err(|_| range())?);
    let end = bud.date.to_datetime(bud.time.unwrap_or(jiff::civil::Time::midnight()));
    let zoned = |t: DateTime| t.to_zoned_datetime(zone.clone()).map_err(|_| range());
    let latest = zoned(end)?.checked_sub(length).map_err(|_| range())?;
    let finish = zoned(start)?.checked_add(length).map_err(|_| range())?;
    let late = finish > zoned(end)?;
    if late {
        let at = |t: DateTime| t.strftime("%Y-%m-%d %H:%M").to_string();
        warnings.push(Warning {
            code: Code::BudBeforeInfusionEnds,
            ingredient: None,
            message: Says::Text(format!(
                "an infusion of {} min started at compounding ({}) ends at {}, after the beyond-use time {}: the bag cannot be infused in full before it expires; shorten the infusion, or use components that expire later",
                trail_num(duration),
                at(start),
                at(finish.datetime()),
                at(end)
            )),
            aliquot: None,
        });
    }
    Ok((latest.datetime(), late))
}

fn mg(v: Decimal) -> String {
    format!("{} mg", sig(v))
}

/// A volume to infuse as printed: to 0.01 mL.
fn volume(v: Decimal) -> String {
    let r = crate::rounding::RoundingPolicy::VOLUME_ML.round(v).unwrap_or(v).normalize();
    format!("{r} mL")
}
