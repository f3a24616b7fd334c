//! The printable worksheet (SPEC §10): a [`Sheet`] as one self-contained HTML document,
//! the record a pharmacist signs once it is printed and filled in by hand.
//!
//! The third layout of the same [`Sheet`] as [`super::text`] and [`super::markdown`], so
//! that all three say the same thing with the same figures. The document has inline CSS
//! only: no script, no link, no image, nothing fetched.
//!
//! - Every text is HTML-escaped (`&`, `<`, `>`, `"`, `'`): formula text and command-line
//!   values (`--lot`, `--batch-id`) reach the sheet as they were typed.
//! - Blanks (`________`, repeated for a longer one) are ruled lines to write on, check
//!   boxes (`[ ]`) are drawn boxes, and an empty table cell is ruled writing space.
//! - Nothing a technician reads or copies is split: a number stays with its unit
//!   (`1.0500 g`), and a word holding a digit, a hyphen or a slash (ids, lot numbers,
//!   dates, `mg/mL`) is kept on one line, up to [`NOWRAP_MAX`] characters. Only longer
//!   words may break, so that nothing is ever cut at the right margin.
//! - Print CSS: `@page { margin: 15mm }` and no page size, so that the same file prints on
//!   A4 and Letter; widths are relative; tables repeat their header row on each page; no
//!   table row, check item or small section is split across pages; the procedure (the
//!   first checklist) starts on a new page, so that the first pages are the header, the
//!   components and their weighings, and the rest the procedure, QC, yield, C-III
//!   reconciliation and signatures. Each page's foot names the document and the page
//!   (`page 2 of 3`).

use std::fmt::Write as _;

use super::Report;
use super::sheet::{BLANK, Block, Check, Grid, Section, Sheet};
use super::text::glue;
use super::worksheet::build;

/// Words up to this many characters that hold a digit, a hyphen or a slash never break
/// (every valid id fits); a longer word may, rather than run off the page.
pub(crate) const NOWRAP_MAX: usize = 64;

/// Stands for a check box (`[ ]`) while a text is split into words.
const BOX: char = '\u{2610}';

/// The style sheet of the worksheet.
const STYLE: &str = r#"
@page { margin: 15mm; }
* { box-sizing: border-box; }
html { font-family: "Liberation Sans", Arial, Helvetica, "DejaVu Sans", sans-serif; font-size: 9pt;
  line-height: 1.3; color: #000; background: #fff; }
body { margin: 0; overflow-wrap: break-word; }
@media screen { body { max-width: 190mm; margin: 1em auto; padding: 0 1em; } }
.kind { font-size: 9pt; font-weight: bold; letter-spacing: 0.08em; text-transform: uppercase; }
h1 { font-size: 16pt; margin: 0 0 6pt; line-height: 1.2; }
.banner { border: 2.5pt solid #000; font-size: 12pt; font-weight: bold; padding: 4pt 8pt; margin: 0 0 6pt;
  text-align: center; }
.banner.custom { border-style: double; border-width: 5pt; text-align: left; }
h2 { font-size: 10.5pt; text-transform: uppercase; letter-spacing: 0.04em; border-bottom: 1.5pt solid #000;
  margin: 12pt 0 4pt; padding-bottom: 1pt; break-after: avoid; page-break-after: avoid; }
section.keep { break-inside: avoid; page-break-inside: avoid; }
section.newpage { break-before: page; page-break-before: always; }
section.newpage > h2 { margin-top: 0; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
tr, li, .block { break-inside: avoid; page-break-inside: avoid; }
th, td { text-align: left; vertical-align: top; }
.fields th { width: 27%; padding: 2.5pt 8pt 2.5pt 0; }
.fields td { padding: 2.5pt 0; }
.fields .blank { height: 1.7em; }
.fields tr + tr > * { border-top: 0.5pt solid #999; }
.grid { font-size: 8.5pt; }
.grid th, .grid td { border: 0.75pt solid #000; padding: 2pt 3pt; }
.grid thead th { border-bottom-width: 1.5pt; }
.grid td.write { height: 2.6em; }
.checks td { padding: 3pt 0; }
.checks tr + tr > td { border-top: 0.5pt solid #999; }
.checks td.box-cell { width: 1.6em; }
.checks td.n { width: 2.2em; text-align: right; padding-right: 0.5em; }
.mark { font-weight: bold; }
.flag { font-weight: bold; }
.result { margin-top: 5pt; }
p { margin: 0 0 4pt; }
ol.numbered { margin: 0; padding-left: 2em; }
ol.numbered li { margin: 0 0 4pt; }
dl.trail { margin: 0; }
dl.trail dt { font-weight: bold; margin-top: 3pt; }
dl.trail dd { margin: 0 0 0 2em; }
.nw { white-space: nowrap; }
.long { overflow-wrap: anywhere; }
.blank { display: inline-block; width: 6em; max-width: 100%; height: 1.1em; border-bottom: 0.75pt solid #000;
  vertical-align: -0.3em; }
.blank.w2 { width: 12em; }
.blank.w3 { width: 18em; }
.box { display: inline-block; width: 0.95em; height: 0.95em; border: 1pt solid #000; vertical-align: -0.15em; }
"#;

/// `text` with `&`, `<`, `>`, `"` and `'` as character references, safe in element
/// content and in quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `text` as the content of a CSS string: every character but ASCII letters, digits and
/// spaces as a six-digit escape, so that nothing in it can end the string or the style
/// element. Each escape ends with a space, which CSS takes as the escape's end (a space
/// that follows in the text is then kept).
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:06x} ", u32::from(c));
        }
    }
    out
}

/// A blank of `n` underscores: a ruled line, wider for a longer blank.
fn blank(n: usize) -> &'static str {
    let unit = BLANK.len();
    if n > unit.saturating_mul(2) {
        r#"<span class="blank w3"></span>"#
    } else if n > unit {
        r#"<span class="blank w2"></span>"#
    } else {
        r#"<span class="blank"></span>"#
    }
}

/// One piece of a word (no space, no no-break space): its runs of four or more
/// underscores as blanks, a check box as a box, the rest escaped.
fn piece(out: &mut String, text: &str) {
    let mut run = 0usize;
    let mut plain = String::new();
    let flush_run = |out: &mut String, plain: &mut String, run: &mut usize| {
        if *run >= 4 {
            out.push_str(&escape(plain));
            plain.clear();
            out.push_str(blank(*run));
        } else {
            plain.extend(std::iter::repeat_n('_', *run));
        }
        *run = 0;
    };
    for c in text.chars() {
        if c == '_' {
            run = run.saturating_add(1);
            continue;
        }
        flush_run(out, &mut plain, &mut run);
        if c == BOX {
            out.push_str(&escape(&plain));
            plain.clear();
            out.push_str(r#"<span class="box"></span>"#);
        } else {
            plain.push(c);
        }
    }
    flush_run(out, &mut plain, &mut run);
    out.push_str(&escape(&plain));
}

/// Whether a word must stay on one line: a number with its unit, an id, a lot number, a
/// date, a strength (`mg/mL`).
fn keep_whole(word: &str) -> bool {
    word.contains(['\u{a0}', '-', '/', '–', '−']) || word.chars().any(|c| c.is_ascii_digit())
}

/// A text as inline HTML: escaped, line breaks as `<br>`, blanks and boxes drawn, numbers
/// kept with their units and ids, lots and dates kept whole.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len().saturating_mul(2));
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        let boxed = line.replace("[ ]", &BOX.to_string());
        let glued = glue(&boxed);
        let mut gap = 0usize;
        let mut first = true;
        for word in glued.split(' ') {
            if word.is_empty() {
                gap = gap.saturating_add(1);
                continue;
            }
            if !first {
                // A run of spaces separates parts of a line (`[ ] yes   [ ] no`).
                out.push_str(if gap > 0 { "&ensp; " } else { " " });
            }
            first = false;
            gap = 0;
            let len = word.chars().count();
            let class = if len > NOWRAP_MAX {
                Some("long")
            } else if keep_whole(word) && word.chars().any(|c| c != BOX && c != '_' && c != '\u{a0}') {
                Some("nw")
            } else {
                None
            };
            if let Some(c) = class {
                let _ = write!(out, r#"<span class="{c}">"#);
            }
            for (j, part) in word.split('\u{a0}').enumerate() {
                if j > 0 {
                    out.push_str("&nbsp;");
                }
                piece(&mut out, part);
            }
            if class.is_some() {
                out.push_str("</span>");
            }
        }
    }
    out
}

fn fields(out: &mut String, fields: &[(String, String)]) {
    out.push_str("<table class=\"fields\">\n");
    for (k, v) in fields {
        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", inline(k), inline(v));
    }
    out.push_str("</table>\n");
}

/// A table whose header row repeats on each page. Columns with a minimum width are the
/// blank columns to write in: they get 0.9 % of the line per character of it (a
/// 10-character column, 9 %), and their empty cells are ruled writing space; the other
/// columns share the rest, each at least as wide as its longest unbreakable word.
fn grid(out: &mut String, g: &Grid) {
    out.push_str("<table class=\"grid\">\n<colgroup>");
    for i in 0..g.header.len() {
        match g.min_widths.get(i).copied().filter(|w| *w > 0) {
            Some(w) => {
                let tenths = u32::from(w).saturating_mul(9);
                let (whole, tenth) =
                    (tenths.checked_div(10).unwrap_or(0), tenths.checked_rem(10).unwrap_or(0));
                let _ = write!(out, r#"<col style="width: {whole}.{tenth}%">"#);
            }
            None => out.push_str("<col>"),
        }
    }
    out.push_str("</colgroup>\n<thead><tr>");
    for h in &g.header {
        let _ = write!(out, "<th>{}</th>", inline(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &g.rows {
        out.push_str("<tr>");
        for c in r {
            if c.is_empty() {
                out.push_str(r#"<td class="write"></td>"#);
            } else if flagged(c) {
                let _ = write!(out, r#"<td class="flag">{}</td>"#, inline(c));
            } else {
                let _ = write!(out, "<td>{}</td>", inline(c));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Whether a cell is a status that asks for a look (a completed record's `▲ over`, `▼
/// under`, `✗ unreconciled`, `? missing`): printed bold, beside its mark and word.
fn flagged(cell: &str) -> bool {
    ["▲", "▼", "✗", "?\u{a0}"].iter().any(|m| cell.starts_with(m))
}

fn checklist(out: &mut String, items: &[Check], result: bool) {
    out.push_str("<table class=\"checks\">\n");
    for (n, item) in items.iter().enumerate() {
        let _ = write!(
            out,
            r#"<tr><td class="box-cell"><span class="box"></span></td><td class="n">{}.</td><td>{}"#,
            n.saturating_add(1),
            inline(&item.text)
        );
        if let Some(mark) = &item.mark {
            let _ = write!(out, r#"<div class="mark">{}</div>"#, inline(mark));
        }
        if result {
            let _ = write!(out, r#"<div class="result">{}</div>"#, inline(&item.result_line()));
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</table>\n");
}

fn block(out: &mut String, b: &Block) {
    match b {
        Block::Fields(f) => fields(out, f),
        Block::Grid(g) => grid(out, g),
        Block::Text(t) => {
            let _ = writeln!(out, "<p>{}</p>", inline(t));
        }
        Block::Numbered(items) => {
            out.push_str("<ol class=\"numbered\">\n");
            for i in items {
                let _ = writeln!(out, "<li>{}</li>", inline(i));
            }
            out.push_str("</ol>\n");
        }
        Block::Checklist { items, result } => checklist(out, items, *result),
        Block::Trail(items) => {
            out.push_str("<dl class=\"trail\">\n");
            for (title, steps) in items {
                let _ = write!(out, "<div class=\"block\"><dt>{}</dt>", inline(title));
                for s in steps {
                    let _ = write!(out, "<dd>{}</dd>", inline(s));
                }
                out.push_str("</div>\n");
            }
            out.push_str("</dl>\n");
        }
    }
}

/// Whether a section is kept on one page: label-and-value blocks and paragraphs only (a
/// table, a list or a checklist may run over pages, row by row).
fn small(s: &Section) -> bool {
    s.blocks.iter().all(|b| matches!(b, Block::Fields(_) | Block::Text(_)))
}

fn is_checklist(s: &Section) -> bool {
    s.blocks.iter().any(|b| matches!(b, Block::Checklist { .. }))
}

/// Lays out a [`Sheet`] as a self-contained HTML document.
pub(crate) fn layout(sheet: &Sheet) -> String {
    let title = format!("{}: {}", sheet.kind, sheet.title);
    let mut out = String::with_capacity(16_384);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(&title));
    out.push_str("<style>");
    out.push_str(STYLE);
    // The page foot names the document on every page; over-long titles are cut short
    // there only (the full title heads the first page).
    let short: String = if title.chars().count() > 90 {
        title.chars().take(89).chain(['…']).collect()
    } else {
        title.clone()
    };
    let _ = writeln!(
        out,
        "@page {{ @bottom-left {{ content: \"{}\"; font-size: 7.5pt; }} \
         @bottom-right {{ content: \"page \" counter(page) \" of \" counter(pages); font-size: 7.5pt; }} }}",
        css_string(&short)
    );
    out.push_str("</style>\n</head>\n<body>\n<header>\n");
    let _ = writeln!(out, "<div class=\"kind\">{}</div>", escape(sheet.kind));
    let _ = writeln!(out, "<h1>{}</h1>", inline(&sheet.title));
    for b in &sheet.banners {
        let class = if b.starts_with("CUSTOM STRENGTH") { "banner custom" } else { "banner" };
        let _ = writeln!(out, "<div class=\"{class}\">{}</div>", inline(b));
    }
    out.push_str("</header>\n");
    let first_checklist = sheet.sections.iter().position(is_checklist);
    for (i, s) in sheet.sections.iter().enumerate() {
        let mut classes = Vec::new();
        if small(s) {
            classes.push("keep");
        }
        if Some(i) == first_checklist && i > 0 {
            classes.push("newpage");
        }
        if classes.is_empty() {
            out.push_str("<section>\n");
        } else {
            let _ = writeln!(out, "<section class=\"{}\">", classes.join(" "));
        }
        let _ = writeln!(out, "<h2>{}</h2>", inline(&s.heading));
        for b in &s.blocks {
            block(&mut out, b);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Renders the worksheet as an HTML document.
pub(crate) fn render(r: &Report<'_>) -> String {
    layout(&build(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{batch, load, rendered, sheet};

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(escape(r#"<script>alert('x')</script> & "y""#), {
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        });
        assert_eq!(css_string("a\"b</style> c"), "a\\000022 b\\00003c \\00002f style\\00003e  c");
    }

    #[test]
    fn blanks_are_lines_boxes_are_boxes_and_numbers_stay_with_units() {
        assert_eq!(
            inline("name ________"),
            r#"<span class="nw">name&nbsp;<span class="blank"></span></span>"#
        );
        assert_eq!(
            inline("[ ] yes   [ ] no"),
            r#"<span class="box"></span> yes&ensp; <span class="box"></span> no"#
        );
        assert_eq!(
            inline("weigh 1.0500 g of lot K-26/11"),
            r#"weigh <span class="nw">1.0500&nbsp;g</span> of lot <span class="nw">K-26/11</span>"#
        );
        assert!(inline(&format!("signature {BLANK}{BLANK}")).contains(r#"class="blank w2""#));
        assert!(inline(&format!("{BLANK}{BLANK}{BLANK}")).contains(r#"class="blank w3""#));
        assert_eq!(inline("a\nb_c"), "a<br>b_c");
        assert_eq!(inline("x <b>&amp;"), "x &lt;b&gt;&amp;amp;");
        let long = "k".repeat(NOWRAP_MAX + 1);
        assert_eq!(inline(&long), format!(r#"<span class="long">{long}</span>"#));
    }

    #[test]
    fn a_small_sheet() {
        let sheet = Sheet {
            kind: "Compounding worksheet",
            title: "A & B <1>".into(),
            banners: vec!["C-III CONTROLLED SUBSTANCE".into(), "CUSTOM STRENGTH: x 5 mg/mL".into()],
            sections: vec![
                Section::of("Preparation", Block::Fields(vec![("Batch id".into(), BLANK.into())])),
                Section::of(
                    "Ingredients",
                    Block::Grid(Grid {
                        header: vec!["Ingredient".into(), "Lot".into()],
                        rows: vec![vec!["Water\n(water, vehicle)".into(), String::new()]],
                        min_widths: vec![0, 10],
                    }),
                ),
                Section::of(
                    "Procedure",
                    Block::Checklist { items: vec![Check::new("Mix.".into())], result: false },
                ),
            ],
        };
        let html = layout(&sheet);
        let body = html.split("<body>").nth(1).unwrap().trim_start();
        insta::assert_snapshot!(body, @r#"
        <header>
        <div class="kind">Compounding worksheet</div>
        <h1>A &amp; B <span class="nw">&lt;1&gt;</span></h1>
        <div class="banner"><span class="nw">C-III</span> CONTROLLED SUBSTANCE</div>
        <div class="banner custom">CUSTOM STRENGTH: x <span class="nw">5&nbsp;mg/mL</span></div>
        </header>
        <section class="keep">
        <h2>Preparation</h2>
        <table class="fields">
        <tr><th>Batch id</th><td><span class="blank"></span></td></tr>
        </table>
        </section>
        <section>
        <h2>Ingredients</h2>
        <table class="grid">
        <colgroup><col><col style="width: 9.0%"></colgroup>
        <thead><tr><th>Ingredient</th><th>Lot</th></tr></thead>
        <tbody>
        <tr><td>Water<br>(water, vehicle)</td><td class="write"></td></tr>
        </tbody>
        </table>
        </section>
        <section class="newpage">
        <h2>Procedure</h2>
        <table class="checks">
        <tr><td class="box-cell"><span class="box"></span></td><td class="n">1.</td><td>Mix.</td></tr>
        </table>
        </section>
        </body>
        </html>
        "#);
        assert!(html.contains("<title>Compounding worksheet: A &amp; B &lt;1&gt;</title>"));
    }

    #[test]
    fn the_document_is_self_contained() {
        let f = load("ketamine-hcl-troche-50");
        let html = rendered(&f, &batch(&f), true, render);
        for banned in ["<script", "<link", "<img", "http:", "https:", "src=", "url(", "@import"] {
            assert!(!html.contains(banned), "{banned}");
        }
        assert!(html.contains("@page { margin: 15mm; }"));
        assert!(html.contains("thead { display: table-header-group; }"));
        assert_eq!(html.matches("<section").count(), html.matches("</section>").count());
    }

    #[test]
    fn the_html_prints_what_the_text_worksheet_prints() {
        let f = load("ketamine-hcl-troche-50");
        let b = batch(&f);
        let sheet = sheet(&f, &b);
        let html = layout(&sheet);
        // Every field value's words are in the document, in order, as the text prints them.
        let text_of = |h: &str| {
            let mut t = String::new();
            let mut tag = false;
            for c in h.replace("&nbsp;", " ").replace("&ensp;", " ").replace("<br>", " ").chars() {
                match c {
                    '<' => tag = true,
                    '>' => {
                        tag = false;
                        t.push(' ');
                    }
                    _ if !tag => t.push(c),
                    _ => {}
                }
            }
            t.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        let flat = text_of(&html);
        for s in &sheet.sections {
            for blk in &s.blocks {
                if let Block::Fields(fs) = blk {
                    for (_, v) in fs {
                        let words = v.replace(BLANK, " ").replace("[ ]", " ");
                        let want = escape(&words.split_whitespace().collect::<Vec<_>>().join(" "));
                        assert!(flat.contains(&want), "`{want}` missing");
                    }
                }
            }
        }
        for w in ["1.6000 g", "533.3 mg", "29.7760 g", "2027-05-25", "1.0255 g"] {
            assert!(flat.contains(w), "{w}");
        }
    }
}
