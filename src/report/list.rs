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

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Vec<ListEntry> {
        crate::formulary::built_in()
            .filter_map(|f| {
                let formula = crate::formula::load_bytes(&f.bytes).formula?;
                Some(ListEntry {
                    name: formula.reference_name(),
                    id: formula.id,
                    dosage_form: formula.dosage_form.as_str().to_string(),
                    revision: formula.revision,
                    path: f.path,
                })
            })
            .collect()
    }

    #[test]
    fn no_word_is_split_at_any_width() {
        let entries = entries();
        assert_eq!(entries.len(), 10);
        for width in [40u16, 50, 60, 80, 100, 140] {
            let table = table(&entries, width);
            for line in table.lines() {
                assert!(line.chars().count() <= usize::from(width), "{width}: {line}");
            }
            // Every word of every cell is whole on some line.
            let lines: Vec<&str> = table.lines().collect();
            for e in &entries {
                for word in e.id.split(' ').chain(e.name.split(' ')).chain([e.dosage_form.as_str()]) {
                    assert!(
                        lines.iter().any(|l| l
                            .split(|c: char| c.is_whitespace() || c == '|' || c == '│')
                            .any(|w| w == word)),
                        "{width}: `{word}` is split:\n{table}"
                    );
                }
            }
        }
    }
}
