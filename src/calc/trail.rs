//! The calculation trail as data (issue 21): each step of working out a figure, with its
//! terms and result as values, so that the worksheet, Markdown, HTML and JSON word it in one
//! place (`report/trail.rs`) and a dry run (`validate`) builds no text at all.

use super::batch::{AsMeasured, Dilution, Syringe};
use crate::measure::{Mass, Volume};
use crate::quantity::Amount;

/// One step of a line's or a bag's calculation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A step still worded here; being replaced by the typed steps below.
    Text(String),
    // ── the compounded lines: amounts, overage, salt and assay, molded, volume ──
    // ── as measured, aliquots, dilutions ──
    /// A volume measured on its syringe, and what it holds (SPEC §12.1, §12.3).
    Measured {
        /// The volume rounded to the syringe's marks.
        rounded: Volume,
        /// The syringe.
        syringe: Syringe,
        /// What the volume holds; `None` when it is not worked out.
        held: Option<AsMeasured>,
    },
    /// A stock volume under 0.2 mL: one millilitre of the stock diluted (SPEC §12.2).
    Diluted {
        /// The dilution.
        dilution: Box<Dilution>,
        /// The stock's strength, as its label says it.
        stock: Amount,
    },
    /// The portion drawn from a dilution: the volume needed × the dilution factor.
    Portion {
        /// The stock volume needed.
        volume: Volume,
        /// The dilution factor `k`.
        factor: u32,
        /// `volume × k`, exact.
        take: Volume,
        /// The portion rounded on its syringe.
        rounded: Volume,
        /// The portion's syringe.
        syringe: Syringe,
        /// What the portion holds.
        held: Option<AsMeasured>,
    },
    /// By mass, the diluent the aliquot portions carry into the batch, taken off what is
    /// weighed from its container (SPEC §7.4).
    Carried {
        /// What the portions carry.
        carried: Mass,
        /// What is left to weigh from the container.
        rest: Mass,
    },
    // ── the infusion ──
}
