//! What a warning says, as data: the figures it names and their meaning, worded once by
//! its `Display` (a warning is read by the worksheet, JSON, `validate` and the request
//! layer, which sit beside each other above calc, so its words live with its data, as a
//! [`CalcError`](super::CalcError)'s do).

use std::fmt;

/// The message of a [`Warning`](super::Warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Says {
    /// A message still worded where the warning is raised; being replaced by the typed
    /// messages below.
    Text(String),
    // ── the compounded batch ──
    // ── as measured, aliquots, dilutions ──
    // ── the infusion ──
}

impl fmt::Display for Says {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Says::Text(t) => f.write_str(t),
            // ── the compounded batch ──
            // ── as measured, aliquots, dilutions ──
            // ── the infusion ──
        }
    }
}
