//! The bag as made (SPEC §12.3, §12.4): the drug volume is measured on its syringe (or
//! through a dilution), and everything the person who prepares, checks, labels or hangs
//! the bag reads follows from what that volume holds: `D_m` in the bag, `F_m = bag +
//! overfill + drawn`, `C_m = D_m ÷ F_m`, the volume to infuse and its rates, the dose
//! delivered and its rates per hour and per kg, the fluid per kg, and the warnings a
//! careful pharmacist would raise (a bag holding far more than the dose, a fluid load,
//! an infusion that cannot end before its beyond-use time).

use crate::calc::{Says, Step};
use crate::number::trail_ml as ml;
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
use crate::codes::Code;
use crate::formula::InfusionMethod;
use crate::measure::{
    DripRate, DropFactor, Duration, FluidPerKg, Mass, Measured, PerHour, PerKg, PerKgPerHour, Rate, Volume,
};

/// Fluid above this is worth a warning (SPEC §12.3).
const FLUID_LOAD: FluidPerKg = FluidPerKg::from_ml_per_kg(Decimal::TEN);

/// A fixed-concentration bag holding more than this many tenths of the dose gets a
/// warning, and its labels print the volume to infuse first (SPEC §12.4).
const EXCEEDS_TENTHS: i64 = 11;

/// The bag as made.
pub(super) struct Made {
    pub(super) measurement: Measurement,
    pub(super) figures: InfusionAsMeasured,
    pub(super) dose_rate: DoseRate,
    pub(super) dose_per_kg: Option<PerKg>,
    pub(super) fluid_per_kg: Option<FluidPerKg>,
    pub(super) bag_exceeds_dose: bool,
    /// A stock with a `vial`: the vials opened for the volume drawn from the stock.
    pub(super) vials: Option<LeftInVials>,
}

/// The exact figures the bag as made starts from.
pub(super) struct Exact {
    /// `D`, the ordered dose.
    pub(super) dose: Mass,
    /// `T`, the drug the bag should hold.
    pub(super) in_bag: Mass,
    /// `Vd`.
    pub(super) vd: Volume,
    /// The bag and its overfill.
    pub(super) bag: Volume,
    /// The infusion time.
    pub(super) duration: Duration,
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
    let m = measured::measure(active, x.vd, Measured::Mass(x.in_bag), &one, parts.vehicle, warnings)?;
    let (Some(drawn), Some(held)) = (m.drawn(), m.as_measured) else {
        return Err(CalcError::Unmeasurable { id: active.id.clone(), volume: ml(x.vd.ml()) });
    };
    let d_m = Mass::from_mg(held.amount.value());
    let before = x.bag.plus(spec.overfill).map_err(&e)?;
    let f_m = if spec.replace { before } else { before.plus(drawn).map_err(&e)? };
    let c_m = d_m.per_volume(f_m).map_err(&e)?;
    let (vi_m, dose_m) = match spec.method {
        InfusionMethod::WholeBag => (f_m, d_m),
        // The ordered dose from the bag as made: D ÷ C_m = D × F_m ÷ D_m.
        InfusionMethod::FixedConcentration => (x.dose.share_of(f_m, d_m).map_err(&e)?, x.dose),
    };
    super::fits(x.dose, vi_m, f_m, c_m)?;
    let rate = Rate::of(vi_m, x.duration).map_err(&e)?;
    let drip = match spec.drop_factor.map(DropFactor::from_gtt_per_ml) {
        Some(df) => Some(DripRate::of(vi_m, df, x.duration).map_err(&e)?),
        None => None,
    };
    // Never a `0 mL` or `0 mL/h` to set a pump to (volumes print to 0.01 mL, rates to 0.1).
    // Under half the last printed place: 0.005 mL, 0.05 mL/h.
    if vi_m < Volume::from_ml(dec!(0.005)) || rate < Rate::from_ml_per_h(dec!(0.05)) {
        return Err(CalcError::BelowPumpResolution { dose: x.dose, volume_to_infuse: vi_m, rate });
    }
    let deviation = measured::deviation(active, d_m, x.in_bag)?;
    trail.extend(measured::trail(active, x.vd, &m));
    trail.push(Step::AsMade {
        drawn,
        holds: d_m,
        final_volume: f_m,
        concentration: c_m,
        volume_to_infuse: vi_m,
        rate,
    });
    let per_hour = PerHour::of(dose_m, x.duration).map_err(&e)?;
    let per_kg_per_hour =
        weight.map(|w| PerKgPerHour::of(dose_m, x.duration, w.kg)).transpose().map_err(&e)?;
    let dose_rate = DoseRate { per_hour, per_kg_per_hour };
    let dose_per_kg = weight.map(|w| PerKg::of(dose_m, w.kg)).transpose().map_err(&e)?;
    let fluid_per_kg = weight.map(|w| FluidPerKg::of(vi_m, w.kg)).transpose().map_err(&e)?;
    if let (Some(f), Some(w)) = (fluid_per_kg, weight)
        && f > FLUID_LOAD
    {
        warnings.push(Warning {
            code: Code::FluidLoad,
            ingredient: None,
            message: Says::FluidLoad {
                volume: vi_m,
                weight: w.given,
                per_kg: f,
                limit: FLUID_LOAD,
                option: None,
            },
            aliquot: None,
        });
    }
    let exceeds = spec.method == InfusionMethod::FixedConcentration
        && d_m > x.dose.tenths(EXCEEDS_TENTHS).map_err(&e)?;
    if exceeds {
        warnings.push(Warning {
            code: Code::BagExceedsDose,
            ingredient: Some(active.id.clone()),
            message: Says::BagExceedsDose { holds: d_m, dose: x.dose, volume_to_infuse: vi_m },
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
            in_bag: d_m,
            dose: dose_m,
            drawn,
            final_volume: f_m,
            concentration: c_m,
            volume_to_infuse: vi_m,
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
    duration: Duration,
    zone: &jiff::tz::TimeZone,
    warnings: &mut Vec<Warning>,
) -> Result<(DateTime, bool), CalcError> {
    let range = || CalcError::DateRange { date: start.date().to_string() };
    let seconds = duration.seconds().map_err(|_| range())?;
    let length = SignedDuration::from_secs(i64::try_from(seconds).map_err(|_| range())?);
    let end = bud.date.to_datetime(bud.time.unwrap_or(jiff::civil::Time::midnight()));
    let zoned = |t: DateTime| t.to_zoned_datetime(zone.clone()).map_err(|_| range());
    let latest = zoned(end)?.checked_sub(length).map_err(|_| range())?;
    let finish = zoned(start)?.checked_add(length).map_err(|_| range())?;
    let late = finish > zoned(end)?;
    if late {
        warnings.push(Warning {
            code: Code::BudBeforeInfusionEnds,
            ingredient: None,
            message: Says::EndsAfterBud { duration, start, finish: finish.datetime(), bud: end },
            aliquot: None,
        });
    }
    Ok((latest.datetime(), late))
}
