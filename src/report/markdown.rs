//! The compounding worksheet as a Markdown document (SPEC §6).

use super::Source;
use crate::calc::Batch;
use crate::formula::Formula;

/// Renders the worksheet as Markdown.
pub fn render(formula: &Formula, source: &Source, batch: &Batch, explain: bool) -> String {
    let _ = (formula, source, batch, explain);
    String::new()
}
