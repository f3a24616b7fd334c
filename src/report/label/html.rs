//! The label as HTML (`label --format html`): one self-contained 4 × 2 in label page.

use std::fmt::Write as _;

use super::super::html::escape;
use super::{COMPOUNDED, Label, LabelKind};

/// The style sheet of the label: a 4 × 2 in label page.
const STYLE: &str = r#"
@page { size: 4in 2in; margin: 0.1in; }
* { box-sizing: border-box; }
html { font-family: "Liberation Sans", Arial, Helvetica, "DejaVu Sans", sans-serif; font-size: 6.5pt;
  line-height: 1.18; color: #000; background: #fff; }
body { margin: 0; overflow-wrap: break-word; }
@media screen { body { width: 3.8in; margin: 1em auto; outline: 1px dotted #999; } }
table.label { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
th { text-align: left; font-size: 8pt; line-height: 1.15; padding: 0 0 1.5pt; border-bottom: 0.75pt solid #000; }
td { padding: 1pt 0 0; vertical-align: top; }
tr.keep { break-inside: avoid; page-break-inside: avoid; }
.strength { font-weight: bold; }
.bud { font-weight: bold; }
.caution { font-weight: bold; }
.warnings { font-size: 6pt; }
.nw { white-space: nowrap; }
.blank { display: inline-block; width: 6em; height: 1.1em; border-bottom: 0.75pt solid #000; vertical-align: bottom; }
"#;

/// A text for the HTML label: escaped, with numbers and units, ids and dates kept whole.
fn h(text: &str) -> String {
    let glued = super::super::text::glue(text);
    glued
        .split(' ')
        .map(|w| {
            let e = escape(w).replace('\u{a0}', "&nbsp;");
            let whole = w.contains(['\u{a0}', '-', '/']) || w.chars().any(|c| c.is_ascii_digit());
            if whole && w.chars().count() <= super::super::html::NOWRAP_MAX {
                format!(r#"<span class="nw">{e}</span>"#)
            } else {
                e
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The label as a self-contained HTML document sized for a 4 × 2 in label (inline CSS, no
/// script, nothing fetched). The preparation's name heads the label; everything the label
/// must say comes first and is kept together; the formula's warnings come last, in small
/// type, run together. When they do not fit the first label they run onto a second label
/// page, which repeats the preparation's name and the batch id at its head.
pub(crate) fn html(label: &Label) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(out, "<title>Label: {}</title>", escape(&label.preparation));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let batch = match &label.batch_id {
        Some(id) => h(id),
        None => r#"<span class="blank"></span>"#.to_string(),
    };
    let _ = writeln!(
        out,
        "<table class=\"label\">\n<thead><tr><th>{} <span class=\"nw\">· Batch {batch}</span></th></tr></thead>\n<tbody>",
        h(&label.preparation),
    );
    out.push_str("<tr class=\"keep\"><td>\n");
    // Each strength on a line of its own; what the preparation was made from after
    // them, never on their line (SPEC §12.5).
    for s in &label.strength_lines {
        let _ = writeln!(out, "<div class=\"strength\">{}</div>", h(s));
    }
    // The form, the quantity, and what it was made from: a 4 × 2 in label has room for
    // few lines.
    let mut form = vec![h(&label.form_line())];
    let bag = match &label.kind {
        LabelKind::Compounded { quantity, .. } => {
            form.push(format!("Qty {}", h(quantity)));
            None
        }
        // The bag's block on its own line, run together, as the warnings are.
        LabelKind::Infusion(inf) => Some(
            inf.lines
                .iter()
                .map(|(k, v)| match k.as_str() {
                    "" => format!("<b>{}</b>", h(v)),
                    "VTBI" | "Start by" => format!("<b>{} {}</b>", h(k), h(v)),
                    _ => format!("<b>{}:</b> {}", h(k), h(v)),
                })
                .collect::<Vec<_>>()
                .join(" · "),
        ),
    };
    form.extend(label.prepared_from.iter().map(|p| format!("prepared from {}", h(p))));
    let _ = writeln!(out, "<div>{}</div>", form.join(" · "));
    if let Some(bag) = bag {
        let _ = writeln!(out, "<div>{bag}</div>");
    }
    // Run together, so that an infusion's longer block still leaves room on one label.
    let _ = writeln!(
        out,
        "<div><span class=\"bud\">Beyond-use date: {}</span> · {} · {COMPOUNDED} · Compounding date {} · {}</div>",
        h(&label.bud_text()),
        h(&label.storage),
        h(&label.date),
        h(&label.mfr_text())
    );
    if let Some(c) = label.controlled_caution {
        let _ = writeln!(out, "<div class=\"caution\">{}</div>", h(c));
    }
    out.push_str("</td></tr>\n");
    if !label.warnings.is_empty() {
        let all: Vec<String> = label.warnings.iter().map(|w| h(w)).collect();
        let _ = writeln!(out, "<tr><td class=\"warnings\">{}</td></tr>", all.join(" • "));
    }
    out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    out
}
