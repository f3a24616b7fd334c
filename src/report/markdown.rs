//! The compounding worksheet as a Markdown document (SPEC §6).
//!
//! The same content as the terminal worksheet ([`super::worksheet`]): a `#` title, the
//! schedule banner in bold, one `##` section per part of the record, fields as bullet
//! lists with bold labels, tables as pipe tables (`|` in cell text escaped as `\|`,
//! line breaks as `<br>`), procedure steps and QC checks as `- [ ]` task items. Blanks to
//! fill in are `________`. The output is plain text that prints and diffs well.

use std::fmt::Write as _;

use super::Source;
use super::sheet::{BLANK, Block, Grid, Sheet};
use super::worksheet::build;
use crate::calc::Batch;
use crate::formula::Formula;

/// Escapes text for a pipe-table cell: `|` as `\|`, line breaks as `<br>`.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
}

/// Text inside a list item: a line break becomes a hard break (`\` at the end of the
/// line) with the continuation indented under the item.
fn item(text: &str, indent: &str) -> String {
    text.replace('\n', &format!("\\\n{indent}"))
}

fn grid(out: &mut String, g: &Grid) {
    let _ = writeln!(out, "| {} |", g.header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(g.header.len()));
    for r in &g.rows {
        let cells: Vec<String> = r.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

fn block(out: &mut String, b: &Block) {
    match b {
        Block::Fields(fields) => {
            for (k, v) in fields {
                let _ = writeln!(out, "- **{}:** {}", k, item(v, "  "));
            }
        }
        Block::Grid(g) => grid(out, g),
        Block::Text(t) => {
            let _ = writeln!(out, "{t}");
        }
        Block::Numbered(items) => {
            for (n, i) in items.iter().enumerate() {
                let _ = writeln!(out, "{}. {}", n.saturating_add(1), item(i, "   "));
            }
        }
        Block::Checklist { items, result } => {
            for (n, i) in items.iter().enumerate() {
                let _ = write!(out, "- [ ] **{}.** {}", n.saturating_add(1), item(&i.text, "  "));
                if let Some(mark) = &i.mark {
                    let _ = write!(out, "\\\n  **{}**", item(mark, "  "));
                }
                if *result {
                    let _ = write!(out, "\\\n  Result: {BLANK}{BLANK}   Initials: {BLANK}");
                }
                let _ = writeln!(out);
            }
        }
        Block::Trail(items) => {
            for (title, steps) in items {
                let _ = writeln!(out, "- **{title}**");
                for s in steps {
                    let _ = writeln!(out, "  - {s}");
                }
            }
        }
    }
}

/// Lays out a [`Sheet`] as Markdown.
pub fn layout(sheet: &Sheet) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}: {}", sheet.kind, sheet.title);
    for b in &sheet.banners {
        let _ = writeln!(out);
        let _ = writeln!(out, "**{b}**");
    }
    for s in &sheet.sections {
        let _ = writeln!(out);
        let _ = writeln!(out, "## {}", s.heading);
        for b in &s.blocks {
            let _ = writeln!(out);
            block(&mut out, b);
        }
    }
    out
}

/// Renders the worksheet as Markdown.
pub fn render(formula: &Formula, source: &Source, batch: &Batch, explain: bool) -> String {
    layout(&build(formula, source, batch, explain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_cells() {
        assert_eq!(cell("a|b\nc"), "a\\|b<br>c");
    }
}
