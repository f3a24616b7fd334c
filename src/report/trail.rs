//! The calculation trail in words: every [`Step`] of a line or a bag as the worksheet,
//! Markdown, HTML and JSON print it (one wording for all of them).

use crate::calc::Step;

/// The step as one line of the trail.
pub(crate) fn word(step: &Step) -> String {
    match step {
        Step::Text(t) => t.clone(),
        // ── the compounded lines: amounts, overage, salt and assay, molded, volume ──
        // ── as measured, aliquots, dilutions ──
        // ── the infusion ──
    }
}

/// Every step of a trail, in order.
pub(crate) fn words(steps: &[Step]) -> Vec<String> {
    steps.iter().map(word).collect()
}
