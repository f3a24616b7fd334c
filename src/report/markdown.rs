//! The compounding worksheet as a Markdown document (SPEC §6).
//!
//! The same content as the terminal worksheet ([`super::worksheet`]): a `#` title, the
//! schedule banner in bold, one `##` section per part of the record, fields as bullet
//! lists with bold labels, tables as pipe tables (`|` in cell text escaped as `\|`,
//! line breaks as `<br>`), procedure steps and QC checks as `- [ ]` task items. Blanks to
//! fill in are `________`. The output is plain text that prints and diffs well.
//!
//! # Text from the formula and the command line
//!
//! A Markdown renderer passes raw HTML through and turns `[text](url)` into a link, so
//! formula text (names, steps, checks, container, description…) and command-line text
//! (`--lot`, `--batch-id`) could put `<script>`, `<img onerror=…>` or a
//! `[verify](javascript:…)` link on a rendered worksheet. Every text of the sheet is
//! escaped before layout: `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;`, and `\`,
//! `[` and `]` are backslash-escaped, so it renders as the characters written and never
//! as HTML or a link. The Markdown syntax the layout adds (headings, `- [ ]` items,
//! bold labels, tables) is not. The numbers ketacalc computes hold none of these
//! characters and print unchanged.

use std::fmt::Write as _;

use super::Report;
use super::sheet::{Block, Check, Grid, Sheet};
use super::worksheet::build;

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
                    let _ = write!(out, "\\\n  {}", Check::result_line());
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
pub(crate) fn layout(sheet: &Sheet) -> String {
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
pub(crate) fn render(r: &Report<'_>) -> String {
    layout(&build(r).map_text(text))
}

/// Escapes text for Markdown (see the module documentation): raw HTML and link syntax in
/// formula or command-line text must print as text. The numbers ketacalc computes hold
/// none of these characters.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::rendered;

    #[test]
    fn escapes_cells() {
        assert_eq!(cell("a|b\nc"), "a\\|b<br>c");
    }

    #[test]
    fn formula_and_command_line_text_is_never_html_or_a_link() {
        assert_eq!(text("a <b> & c"), "a &lt;b&gt; &amp; c");
        assert_eq!(text("[x](javascript:alert(1))"), "\\[x\\](javascript:alert(1))");
        assert_eq!(text("\\[x]"), "\\\\\\[x\\]");
        assert_eq!(text("&lt;"), "&amp;lt;");
        assert_eq!(text("1.05 g × 40 = 42 g"), "1.05 g × 40 = 42 g");

        let name = "ketamine-hcl-nasal-spray-100";
        let toml = std::fs::read_to_string(format!("{}/formulas/{name}.toml", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .replace(
                "name = \"Ketamine Hydrochloride USP\"",
                "name = \"Ketamine <img src=x onerror=alert(1)> [verify](javascript:alert(2))\"",
            )
            .replacen("text = \"", "text = \"<script>alert(3)</script> ", 1);
        let f = crate::formula::load_str(&toml).formula.unwrap();
        let mut o = crate::report::fixtures::options();
        o.lot_mut("ketamine-hcl").lot = Some("<b>K1</b>".to_string());
        o.batch_id = Some("[B](javascript:x)".to_string());
        let b = crate::calc::compute(&f, &o).unwrap();
        let md = rendered(&f, &b, true, render);
        for raw in ["<img", "<script", "<b>", "[verify](", "[B]("] {
            assert!(!md.contains(raw), "`{raw}` in:\n{md}");
        }
        assert!(md.contains("Ketamine &lt;img src=x onerror=alert(1)&gt; \\[verify\\](javascript:alert(2))"));
        assert!(md.contains("&lt;script&gt;alert(3)&lt;/script&gt;"));
        assert!(md.contains("&lt;b&gt;K1&lt;/b&gt;") && md.contains("\\[B\\](javascript:x)"));
        // Computed numbers are as they were.
        assert!(md.contains("| 1.05 g (as salt) | 1.0500 g |"), "{md}");
    }
}
