//! The compounding worksheet as a terminal table (SPEC §6).

use super::Source;
use crate::calc::Batch;
use crate::formula::Formula;

/// How to lay out the worksheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Include the calculation trail.
    pub explain: bool,
    /// Table width in columns.
    pub width: u16,
    /// Use ANSI styling.
    pub color: bool,
}

/// Renders the worksheet.
pub fn render(formula: &Formula, source: &Source, batch: &Batch, layout: Layout) -> String {
    let _ = (formula, source, batch, layout);
    String::new()
}
