//! `show`: the whole master formulation record for review.

use super::Source;
use crate::formula::Formula;

/// The record as text tables.
pub fn table(formula: &Formula, source: &Source, width: u16) -> String {
    let _ = (formula, source, width);
    String::new()
}

/// The record as JSON.
pub fn json(formula: &Formula, source: &Source) -> String {
    let _ = (formula, source);
    String::new()
}
