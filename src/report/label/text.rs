//! The label as plain text (`label --format text`): at most [`TEXT_WIDTH`] columns, no
//! box drawing.

use super::super::text::wrap;
use super::{COMPOUNDED, InfusionLabel, Label, LabelKind, TEXT_WIDTH};

/// The label as plain text: no line longer than [`TEXT_WIDTH`], no box drawing; numbers
/// stay with their units and ids and dates are never split.
pub(crate) fn text(label: &Label) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut add = |text: &str, rest: &str| lines.extend(wrap(text, TEXT_WIDTH, "", rest));
    add(&label.preparation, "  ");
    for s in &label.strength_lines {
        add(s, "    ");
    }
    for p in &label.prepared_from {
        add(&format!("Prepared from {p}"), "  ");
    }
    add(&label.form_line(), "  ");
    match &label.kind {
        LabelKind::Compounded { quantity, .. } => add(&format!("Quantity: {quantity}"), "  "),
        // An infusion's volume is in its own block.
        LabelKind::Infusion(inf) => {
            for (k, v) in &inf.lines {
                add(&InfusionLabel::line(k, v), "  ");
            }
        }
    }
    add(&format!("Beyond-use date: {}", label.bud_text()), "  ");
    add(&label.storage, "  ");
    add(COMPOUNDED, "  ");
    if let Some(c) = label.controlled_caution {
        add(c, "  ");
    }
    for w in &label.warnings {
        add(&format!("- {w}"), "  ");
    }
    add(&format!("Batch {}   Compounding date {}", label.batch_text(), label.date), "  ");
    add(&label.mfr_text(), "  ");
    let mut out = lines.join("\n");
    out.push('\n');
    out
}
