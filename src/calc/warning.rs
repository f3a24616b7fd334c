//! What a warning says, as data: the figures it names and their meaning, worded once by
//! its `Display` (a warning is read by the worksheet, JSON, `validate` and the request
//! layer, which sit beside each other above calc, so its words live with its data, as a
//! [`CalcError`](super::CalcError)'s do).

use std::fmt;

use super::batch::Syringe;
use super::syringe::MIN_MEASURABLE_ML;
use crate::measure::{Deviation, Measured, Volume};
use crate::number::{four_significant as sig, signed_percent, trail_ml};

/// The message of a [`Warning`](super::Warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Says {
    /// A message still worded where the warning is raised; being replaced by the typed
    /// messages below.
    Text(String),
    // ── the compounded batch ──
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
    // ── the infusion ──
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

impl fmt::Display for Says {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Says::Text(t) => f.write_str(t),
            // ── the compounded batch ──
            // ── as measured, aliquots, dilutions ──
            Says::BelowMinimumVolume { id, volume, measured } => write!(
                f,
                "`{id}`: {} is below the {} a syringe measures accurately (20% of the 1 mL syringe); it is measured as {} mL on the 1 mL syringe: weigh it instead (give it a `density` and no `measure`), or use a stock solution",
                trail_ml(volume.ml()),
                trail_ml(MIN_MEASURABLE_ML),
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
            } // ── the infusion ──
        }
    }
}
