//! What a warning says, as data: the figures it names and their meaning, worded once by
//! its `Display` (a warning is read by the worksheet, JSON, `validate` and the request
//! layer, which sit beside each other above calc, so its words live with its data, as a
//! [`CalcError`](super::CalcError)'s do).

use std::fmt;

use crate::number::{four_significant as sig, mg_four_significant as mg, trail_ml, trail_num};

/// The message of a [`Warning`](super::Warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Says {
    /// A message still worded where the warning is raised; being replaced by the typed
    /// messages below.
    Text(String),
    // ── the compounded batch ──
    // ── as measured, aliquots, dilutions ──
    // ── the infusion ──
    /// A body weight unusual enough to check (a newborn, lb typed for kg).
    UnusualWeight {
        /// As given.
        given: crate::quantity::Quantity,
        /// In kg.
        kg: crate::measure::BodyWeight,
        /// The weights below which, and above which, a weight is unusual.
        light: crate::measure::BodyWeight,
        /// See `light`.
        heavy: crate::measure::BodyWeight,
    },
    /// The formula's rule gives a dose above the ceiling in effect: the ceiling is given.
    DoseCapped {
        /// The dose the rule gives.
        dose: crate::measure::Mass,
        /// `formula's` or `authorized`.
        whose: &'static str,
        /// The ceiling, which is given.
        max: crate::measure::Mass,
    },
    /// A compounding time the clocks go through twice; the earlier is used.
    AmbiguousTime {
        /// The time given.
        time: jiff::civil::Time,
        /// On this date.
        date: jiff::civil::Date,
        /// The zone's name.
        zone: String,
        /// The instant used.
        earlier: jiff::ZonedDateTime,
        /// The other.
        later: jiff::ZonedDateTime,
    },
    /// More fluid per kg of body weight than the allowance (SPEC §12.3).
    FluidLoad {
        /// The volume to infuse as made.
        volume: crate::measure::Volume,
        /// The patient's weight as given.
        weight: crate::quantity::Quantity,
        /// The volume per kg.
        per_kg: crate::measure::FluidPerKg,
        /// The allowance.
        limit: crate::measure::FluidPerKg,
        /// The option that changes it, as the caller names it (`--bag`), once the
        /// request layer has named it.
        option: Option<&'static str>,
    },
    /// A fixed-concentration bag holding far more than the dose (SPEC §12.4).
    BagExceedsDose {
        /// What the bag holds.
        holds: crate::measure::Mass,
        /// The dose.
        dose: crate::measure::Mass,
        /// The volume to infuse for it.
        volume_to_infuse: crate::measure::Volume,
    },
    /// An infusion started at compounding ends after the beyond-use time.
    EndsAfterBud {
        /// The infusion time.
        duration: crate::measure::Duration,
        /// Compounding.
        start: jiff::civil::DateTime,
        /// When it would end.
        finish: jiff::civil::DateTime,
        /// The beyond-use time.
        bud: jiff::civil::DateTime,
    },
}

impl fmt::Display for Says {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Says::Text(t) => f.write_str(t),
            // ── the compounded batch ──
            // ── as measured, aliquots, dilutions ──
            // ── the infusion ──
            Says::UnusualWeight { given, kg, light, heavy } => write!(
                f,
                "a weight of {given} ({} kg) is under {light} or over {heavy}: check that it is this patient's, in the right unit",
                trail_num(kg.kg())
            ),
            Says::DoseCapped { dose, whose, max } => write!(
                f,
                "the dose of {} is above the {whose} maximum of {}: {} is given",
                mg(*dose),
                mg(*max),
                mg(*max)
            ),
            Says::AmbiguousTime { time, date, zone, earlier, later } => {
                let at = |z: &jiff::ZonedDateTime| z.strftime("%H:%M %Z, UTC%:z").to_string();
                write!(
                    f,
                    "the compounding time {} occurs twice on {date} in {zone} (the clocks go back): the earlier, {}, is used, not {}; the beyond-use time counts from it",
                    crate::number::hhmm(*time),
                    at(earlier),
                    at(later)
                )
            }
            Says::FluidLoad { volume, weight, per_kg, limit, option } => {
                write!(
                    f,
                    "{} into a patient of {weight} is {} mL/kg, above {limit}: check the fluid allowance, or use a smaller bag",
                    trail_ml(volume.ml()),
                    sig(per_kg.ml_per_kg())
                )?;
                match option {
                    Some(o) => write!(f, " (`{o}`)"),
                    None => Ok(()),
                }
            }
            Says::BagExceedsDose { holds, dose, volume_to_infuse } => write!(
                f,
                "the bag holds {}; the dose is {}: infuse only {} (VTBI), with an infusion pump",
                mg(*holds),
                mg(*dose),
                crate::number::infusion_volume(*volume_to_infuse)
            ),
            Says::EndsAfterBud { duration, start, finish, bud } => {
                let at = |t: &jiff::civil::DateTime| t.strftime("%Y-%m-%d %H:%M").to_string();
                write!(
                    f,
                    "an infusion of {} min started at compounding ({}) ends at {}, after the beyond-use time {}: the bag cannot be infused in full before it expires; shorten the infusion, or use components that expire later",
                    trail_num(duration.minutes()),
                    at(start),
                    at(finish),
                    at(bud)
                )
            }
        }
    }
}
