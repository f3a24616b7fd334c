//! `list`: the formulas of a formulary as a table.

use super::json::ListEntry;
use super::sheet::Grid;
use super::text;

/// The formulas as a table: id, name, dosage form, revision, and the path unless every
/// formula is built in. Words are never split: when the columns do not fit the width,
/// each formula is listed as a small record.
pub fn table(entries: &[ListEntry], width: u16) -> String {
    let paths = !entries.iter().all(|e| e.path.starts_with("<built-in>/"));
    let mut header = vec!["id", "name", "dosage form", "revision"];
    if paths {
        header.push("path");
    }
    let grid = Grid {
        header: header.into_iter().map(str::to_string).collect(),
        rows: entries
            .iter()
            .map(|e| {
                let mut row =
                    vec![e.id.clone(), e.name.clone(), e.dosage_form.clone(), e.revision.to_string()];
                if paths {
                    row.push(e.path.clone());
                }
                row
            })
            .collect(),
        min_widths: Vec::new(),
    };
    text::grid_only(&grid, width)
}
