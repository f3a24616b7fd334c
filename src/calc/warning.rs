//! What a warning says, as data: the figures it names and their meaning, worded once by
//! its `Display` (a warning is read by the worksheet, JSON, `validate` and the request
//! layer, which sit beside each other above calc, so its words live with its data, as a
//! [`CalcError`](super::CalcError)'s do).

use std::fmt;

use crate::measure::{BatchSize, Volume};
use crate::number::{trail_ml, trail_num};
use crate::quantity::Quantity;

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
    // ── the infusion ──
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
            // ── the infusion ──
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
