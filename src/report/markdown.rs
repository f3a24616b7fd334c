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
//! `[verify](javascript:…)` link on a rendered worksheet, and `**`, `_` or a backtick in
//! a name would end the layout's bold label early or start a code span. Every text of the
//! sheet is escaped before layout: `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;`;
//! `\`, `[`, `]`, `*`, `` ` `` and `~` are backslash-escaped, and so is `_` unless it is
//! part of a run of underscores standing alone (the `________` blanks, which cannot start
//! emphasis); at the start of a line of a multi-line text, a `#`, `>`, `-`, `+` or `=`
//! (a heading, quote, list item or rule) and the `.` or `)` after leading digits (a
//! numbered item) are escaped too. So a text renders as the characters written and never
//! as HTML, a link or formatting. The Markdown syntax the layout adds (headings, `- [ ]`
//! items, bold labels, tables) is not escaped. The numbers ketacalc computes hold none
//! of these characters and print unchanged.

use std::fmt::Write as _;

use super::Report;
use super::sheet::{Block, Grid, Sheet};
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
                    let _ = write!(out, "\\\n  {}", i.result_line());
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

/// Escapes text for Markdown (see the module documentation): raw HTML, link syntax and
/// emphasis in formula or command-line text must print as text. The numbers ketacalc
/// computes hold none of these characters.
pub(crate) fn text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut line_start = false;
    for (i, &c) in chars.iter().enumerate() {
        let escape = match c {
            '&' => {
                out.push_str("&amp;");
                continue;
            }
            '<' => {
                out.push_str("&lt;");
                continue;
            }
            '>' if line_start => true,
            '>' => {
                out.push_str("&gt;");
                continue;
            }
            '\\' | '[' | ']' | '*' | '`' | '~' => true,
            '_' => !lone_underscores(&chars, i),
            '#' | '-' | '+' | '=' => line_start,
            '.' | ')' => numbered_item(&chars, i),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        line_start = c == '\n' || (line_start && c == ' ');
    }
    out
}

/// Returns true if and only if the `_` at `i` is in a run of underscores with white space
/// (or the text's edge) on both sides: a blank to write on, which cannot start emphasis.
fn lone_underscores(chars: &[char], i: usize) -> bool {
    let run = |c: &char| *c == '_';
    let before = chars.get(..i).unwrap_or_default().iter().rev().find(|c| !run(c));
    let after = chars.get(i..).unwrap_or_default().iter().find(|c| !run(c));
    before.is_none_or(|c| c.is_whitespace()) && after.is_none_or(|c| c.is_whitespace())
}

/// Returns true if and only if the `.` or `)` at `i` follows the digits that begin a line
/// (after a line feed and spaces) and comes before a space or the line's end, which
/// Markdown reads as a numbered item (`1.5 g` is none).
fn numbered_item(chars: &[char], i: usize) -> bool {
    if chars.get(i.saturating_add(1)).is_some_and(|c| !c.is_whitespace()) {
        return false;
    }
    let head = chars.get(..i).unwrap_or_default();
    let digits = head.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return false;
    }
    let rest = head.get(..head.len().saturating_sub(digits)).unwrap_or_default();
    let spaces = rest.iter().rev().take_while(|c| **c == ' ').count();
    let rest = rest.get(..rest.len().saturating_sub(spaces)).unwrap_or_default();
    rest.last() == Some(&'\n')
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
        // Emphasis, code spans and block syntax in formula text print as written.
        assert_eq!(text("Ketamine **50** mg"), "Ketamine \\*\\*50\\*\\* mg");
        assert_eq!(text("__x__ a_b `c` ~~d~~"), "\\_\\_x\\_\\_ a\\_b \\`c\\` \\~\\~d\\~\\~");
        assert_eq!(text("Lot ________ (expected)"), "Lot ________ (expected)");
        assert_eq!(
            text("a\n# b\n  > c\n- d\n12. e\n3) f\n1.5 g"),
            "a\n\\# b\n  \\> c\n\\- d\n12\\. e\n3\\) f\n1.5 g"
        );
        assert_eq!(text("x > y - z"), "x &gt; y - z");

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
