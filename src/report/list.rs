//! `list`: the formulas of a formulary as a table.

use comfy_table::{ColumnConstraint, ContentArrangement, Table, presets};

use super::json::ListEntry;
use super::worksheet::cell;

/// The formulas as a table: id, name, dosage form, revision, path.
pub fn table(entries: &[ListEntry], width: u16) -> String {
    let mut t = Table::new();
    t.force_no_tty()
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(vec!["id", "name", "dosage form", "revision", "path"]);
    for e in entries {
        t.add_row(vec![
            cell(&e.id),
            cell(&e.name),
            cell(&e.dosage_form),
            cell(&e.revision.to_string()),
            cell(&e.path),
        ]);
    }
    // Ids are what users type: never wrap them.
    if let Some(c) = t.column_mut(0) {
        c.set_constraint(ColumnConstraint::ContentWidth);
    }
    let mut out = t.to_string();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_formulas() {
        let entries = vec![
            ListEntry {
                id: "ketamine-hcl-nasal-spray-100".into(),
                name: "Ketamine HCl 100 mg/mL Nasal Spray".into(),
                dosage_form: "nasal-spray".into(),
                revision: 1,
                path: "<built-in>/ketamine-hcl-nasal-spray-100.toml".into(),
            },
            ListEntry {
                id: "ketamine-hcl-troche-50".into(),
                name: "Ketamine HCl 50 mg Troche".into(),
                dosage_form: "troche".into(),
                revision: 1,
                path: "<built-in>/ketamine-hcl-troche-50.toml".into(),
            },
        ];
        insta::assert_snapshot!(table(&entries, 100), @r"
            ┌──────────────────────────────┬─────────────────────┬─────────────┬──────────┬────────────────────┐
            │ id                           ┆ name                ┆ dosage form ┆ revision ┆ path               │
            ╞══════════════════════════════╪═════════════════════╪═════════════╪══════════╪════════════════════╡
            │ ketamine-hcl-nasal-spray-100 ┆ Ketamine HCl 100    ┆ nasal-spray ┆ 1        ┆ <built-in>/ketamin │
            │                              ┆ mg/mL Nasal Spray   ┆             ┆          ┆ e-hcl-nasal-spray- │
            │                              ┆                     ┆             ┆          ┆ 100.toml           │
            │ ketamine-hcl-troche-50       ┆ Ketamine HCl 50 mg  ┆ troche      ┆ 1        ┆ <built-in>/ketamin │
            │                              ┆ Troche              ┆             ┆          ┆ e-hcl-troche-50.to │
            │                              ┆                     ┆             ┆          ┆ ml                 │
            └──────────────────────────────┴─────────────────────┴─────────────┴──────────┴────────────────────┘
            ");
    }
}
