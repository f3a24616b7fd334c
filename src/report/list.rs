//! `list`: the formulas of a formulary as a table.

use super::json::ListEntry;

/// The formulas as a table.
pub fn table(entries: &[ListEntry], width: u16) -> String {
    let _ = (entries, width);
    String::new()
}
