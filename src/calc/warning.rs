//! What a warning says, as data: the figures it names and their meaning, worded once by
//! its `Display` (a warning is read by the worksheet, JSON, `validate` and the request
//! layer, which sit beside each other above calc, so its words live with its data, as a
//! [`CalcError`](super::CalcError)'s do).

use std::fmt;

use super::batch::{AliquotBy, AliquotPlan, Syringe};
use super::syringe::MIN_MEASURABLE;
use crate::measure::{BatchSize, Deviation, Mass, Measured, Volume};
use crate::number::{
    format_mass, format_mass_rounded, four_significant as sig, mg_four_significant as mg, plain,
    signed_percent, trail_ml, trail_num,
};
use crate::quantity::Quantity;
use crate::rounding::RoundingPolicy;

/// The message of a [`Warning`](super::Warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Says {
    /// A message still worded where the warning is raised; being replaced by the typed
    /// messages below.
    Text(String),
    // ── the compounded batch ──
    /// A part-filled last container that delivers no whole dose.
    LastContainerNoDose {
        /// What the last container holds.
        holds: Volume,
        /// What one dose is called.
        dose: String,
    },
    /// A step or QC check still holds quantities written for the reference batch.
    ReferenceText {
        /// `step` or `QC check`.
        what: &'static str,
        /// Its number, from 1.
        number: usize,
        /// The quantities it writes out (the first few).
        literals: Vec<String>,
        /// How many more it writes out.
        more: usize,
        /// The batch they were written for, when the formula has one.
        written_for: Option<WrittenFor>,
    },
    /// An active at or above 75% of its solubility (as weighed).
    NearSolubility {
        /// The active.
        id: String,
        /// Its concentration as weighed.
        concentration: Quantity,
        /// Its solubility in the vehicle.
        solubility: Quantity,
    },
    // ── as measured, aliquots, dilutions ──
    /// A volume that is not a stock's, under the 0.2 mL a syringe measures (SPEC §12.2).
    BelowMinimumVolume {
        /// The ingredient.
        id: String,
        /// The volume required.
        volume: Volume,
        /// It measured on the 1 mL syringe.
        measured: Volume,
    },
    /// An active measured more than 2% off the amount required (SPEC §12.3).
    RoundingDeviation {
        /// The ingredient.
        id: String,
        /// The volume drawn.
        drawn: Volume,
        /// Its syringe.
        syringe: Syringe,
        /// What it holds.
        held: Measured,
        /// How far that is from the amount required.
        deviation: Deviation,
        /// Two syringes that measure it closer, when there are.
        two: Option<TwoSyringes>,
    },
    /// An amount below the balance's minimum weight, and how to weigh it through an
    /// aliquot (SPEC §7.4).
    Aliquot {
        /// The ingredient.
        id: String,
        /// The plan.
        plan: Box<AliquotPlan>,
        /// The balance's minimum weight.
        min_weight: Mass,
        /// The balance's readability, which the masses are read to.
        readability: RoundingPolicy,
    },
    /// The aliquot diluent itself below the minimum weight: no aliquot can be made of it.
    DiluentBelowMinimumWeight {
        /// The ingredient.
        id: String,
        /// What it needs.
        needed: Mass,
        /// The balance's minimum weight.
        min_weight: Mass,
    },
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

/// A volume measured with two syringes: a full smaller one and the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TwoSyringes {
    /// The full smaller syringe's capacity.
    pub full: Volume,
    /// The rest, rounded on its own syringe.
    pub rest: Volume,
    /// The rest's syringe.
    pub syringe: Syringe,
}

/// A figure of an aliquot as the technician reads it: a mass rounded to the readability
/// (marked `≈` when rounding changed it), a volume to 0.01 mL.
struct Read<'a>(Measured, &'a RoundingPolicy);

impl fmt::Display for Read<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Measured::Mass(m) => match self.1.round(m.mg()) {
                Ok(v) if v == m.mg() => f.write_str(&format_mass_rounded(v)),
                Ok(v) => write!(f, "≈{}", format_mass_rounded(v)),
                Err(_) => f.write_str(&format_mass(m.mg())),
            },
            Measured::Volume(v) => match RoundingPolicy::VOLUME_ML.round(v.ml()) {
                Ok(r) => write!(f, "{r} mL"),
                Err(_) => write!(f, "{} mL", plain(v.ml())),
            },
        }
    }
}

/// An amount as a message prints it: four significant figures and its unit.
struct Held(Measured);

impl fmt::Display for Held {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Measured::Mass(m) => write!(f, "{} mg", sig(m.mg())),
            Measured::Volume(v) => write!(f, "{} mL", sig(v.ml())),
        }
    }
}

/// The batch a formula's steps and checks are written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrittenFor {
    /// An infusion's bag.
    Bag(Volume),
    /// The reference batch.
    Batch(BatchSize),
}

/// A concentration compared with a solubility, as the messages print it (`83.333333 mg/mL`).
pub(crate) struct Concentration<'a>(pub(crate) &'a Quantity);

impl fmt::Display for Concentration<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", trail_num(self.0.value), self.0.unit)
    }
}

impl fmt::Display for Says {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Says::Text(t) => f.write_str(t),
            // ── the compounded batch ──
            Says::LastContainerNoDose { holds, dose } => write!(
                f,
                "the last container holds {}, which delivers no whole {dose} after priming and the residual: make a quantity that fills whole containers, or one whose last container holds a dose",
                trail_ml(holds.ml())
            ),
            Says::ReferenceText { what, number, literals, more, written_for } => {
                write!(f, "{what} {number} says ")?;
                for (i, l) in literals.iter().enumerate() {
                    write!(f, "{}`{l}`", if i == 0 { "" } else { ", " })?;
                }
                if *more > 0 {
                    write!(f, "{}and {more} more", if literals.is_empty() { "" } else { ", " })?;
                }
                match written_for {
                    Some(WrittenFor::Bag(v)) => {
                        write!(f, ", written for the formula's bag of {}", trail_ml(v.ml()))?
                    }
                    Some(WrittenFor::Batch(q)) => {
                        write!(f, ", written for the reference batch of {}", super::trail::size(*q))?
                    }
                    None => f.write_str(", written for another batch")?,
                }
                f.write_str(": check it before use")
            }
            Says::NearSolubility { id, concentration, solubility } => write!(
                f,
                "`{id}` at {} (as weighed) is at or above 75% of its solubility of {}: watch for crystals, especially when refrigerated",
                Concentration(concentration),
                Concentration(solubility)
            ),
            // ── as measured, aliquots, dilutions ──
            Says::BelowMinimumVolume { id, volume, measured } => write!(
                f,
                "`{id}`: {} is below the {} a syringe measures accurately (20% of the 1 mL syringe); it is measured as {} mL on the 1 mL syringe: weigh it instead (give it a `density` and no `measure`), or use a stock solution",
                trail_ml(volume.ml()),
                trail_ml(MIN_MEASURABLE.ml()),
                measured.ml(),
            ),
            Says::RoundingDeviation { id, drawn, syringe, held, deviation, two } => {
                write!(
                    f,
                    "`{id}`: {} mL measured on the {} syringe ({} marks) holds {}, {} from the amount required: ",
                    drawn.ml(),
                    trail_ml(syringe.capacity.ml()),
                    trail_ml(syringe.graduation.ml()),
                    Held(*held),
                    signed_percent(deviation.percent(), 2),
                )?;
                match two {
                    Some(t) => write!(
                        f,
                        "measure it with two syringes: a full {} syringe, and {} mL in a {} syringe",
                        trail_ml(t.full.ml()),
                        t.rest.ml(),
                        trail_ml(t.syringe.capacity.ml())
                    ),
                    None => f.write_str("use a weaker stock, or weigh it"),
                }
            }
            Says::Aliquot { id, plan: p, min_weight, readability: r } => {
                let needed = Read(Measured::Mass(p.needed), r);
                write!(
                    f,
                    "`{id}`: {needed} is below the balance's minimum weight of {}; weigh {} ({needed} × {}), ",
                    format_mass(min_weight.mg()),
                    Read(Measured::Mass(p.weigh), r),
                    p.factor,
                )?;
                let (diluent, total, take) = (&p.diluent_name, Read(p.total, r), Read(p.take, r));
                match p.by {
                    AliquotBy::Mass => write!(
                        f,
                        "triturate with {diluent} to {total}, mix well, and take {take}, which holds {needed}; the {} of `{id}` it carries comes off the `{id}` weighed from its container",
                        Read(Measured::Mass(p.carried.unwrap_or_default()), r),
                        id = p.diluent,
                    ),
                    AliquotBy::Volume => write!(
                        f,
                        "dissolve in {diluent} and make up to {total}, mix well, and measure {take}, which holds {needed}"
                    ),
                }
            }
            Says::DiluentBelowMinimumWeight { id, needed, min_weight } => write!(
                f,
                "`{id}`: {} is below the balance's minimum weight of {}, and it is the aliquot diluent: weigh it on a more sensitive balance",
                format_mass(needed.mg()),
                format_mass(min_weight.mg())
            ), // ── the infusion ──
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

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::unit::Unit;

    #[test]
    fn typed_messages_word_their_figures() {
        let says = Says::ReferenceText {
            what: "step",
            number: 3,
            literals: vec!["120 mL".to_string(), "6 g".to_string()],
            more: 2,
            written_for: Some(WrittenFor::Batch(BatchSize::Volume(Volume::from_ml(Decimal::from(120))))),
        };
        assert_eq!(
            says.to_string(),
            "step 3 says `120 mL`, `6 g`, and 2 more, written for the reference batch of 120 mL: check it before use"
        );
        let near = Says::NearSolubility {
            id: "ketamine".to_string(),
            concentration: Quantity::new(Decimal::from(160), Unit::MG_PER_ML),
            solubility: Quantity::new(Decimal::from(200), Unit::MG_PER_ML),
        };
        assert!(near.to_string().starts_with(
            "`ketamine` at 160 mg/mL (as weighed) is at or above 75% of its solubility of 200 mg/mL"
        ));
    }
}
