//! The document of `list --format json`: the formulas of the formulary.

use serde::Serialize;

use super::to_pretty;

/// One entry of `list --format json`.
#[derive(Debug, Serialize)]
pub struct ListEntry {
    /// Formula id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Dosage form.
    pub dosage_form: String,
    /// Revision.
    pub revision: u32,
    /// Where it was read from.
    pub path: String,
}

/// `[{"id", "name", "dosage_form", "revision", "path"}]`.
pub fn list(entries: &[ListEntry]) -> String {
    to_pretty(&entries)
}
