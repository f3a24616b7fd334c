//! The calculation trail as data (issue 21): each step of working out a figure, with its
//! terms and result as values, so that the worksheet, Markdown, HTML and JSON word it in one
//! place (`report/trail.rs`) and a dry run (`validate`) builds no text at all.

/// One step of a line's or a bag's calculation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A step still worded here; being replaced by the typed steps below.
    Text(String),
    // ── the compounded lines: amounts, overage, salt and assay, molded, volume ──
    // ── as measured, aliquots, dilutions ──
    // ── the infusion ──
}
