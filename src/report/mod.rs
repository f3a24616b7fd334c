//! Rendering: the worksheet (table, Markdown, HTML), the label, the ingredient CSV, JSON,
//! the `list`/`show`/`validate` outputs (human, JSON, GitHub workflow commands, SARIF), and the answers of the pharmacy calculations
//! (`tools`). Everything returns a `String`; nothing prints.

mod accountability;
mod csv;
pub mod diagnostics;
mod dilution;
mod figures;
pub mod github;
mod html;
mod infusion;
pub mod json;
mod label;
pub mod list;
mod markdown;
mod record;
pub mod record_json;
pub mod sarif;
mod sheet;
pub mod show;
mod text;
pub mod tools;
mod trail;
mod worksheet;

#[cfg(test)]
pub(crate) mod fixtures;

pub use label::{COMPOUNDED, FEDERAL_CAUTION};
pub use text::{Layout, MIN_WIDTH};

use crate::calc::Batch;
use crate::formula::Formula;

/// What the reports say about where a formula came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The path as given, or `<built-in>/<id>.toml`.
    pub path: String,
    /// SHA-256 of the file bytes, lowercase hex.
    pub sha256: String,
}

impl Source {
    /// The source of a file with these bytes, hashing them.
    pub fn new(path: impl Into<String>, bytes: &[u8]) -> Self {
        Source { path: path.into(), sha256: crate::digest::sha256_hex(bytes) }
    }

    /// The source of a formula file: a built-in file's hash is the one computed when the
    /// binary was built, any other file's is computed here.
    pub fn of_file(file: &crate::formulary::FormulaFile) -> Self {
        match file.sha256 {
            Some(sha256) => Source { path: file.path.clone(), sha256: sha256.to_string() },
            None => Source::new(file.path.clone(), &file.bytes),
        }
    }

    /// The first 12 hex digits of the hash, as printed in worksheet headers.
    pub fn short_hash(&self) -> &str {
        self.sha256.get(..12).unwrap_or(&self.sha256)
    }
}

/// A computed batch and what it was computed from: the one input of every batch report
/// (worksheet in each format, label).
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// The formula the batch was computed from.
    pub formula: &'a Formula,
    /// Where the formula came from.
    pub source: &'a Source,
    /// The batch.
    pub batch: &'a Batch,
    /// Show the calculation trail of every ingredient (table, Markdown, HTML).
    pub explain: bool,
    /// Width and colour of the table worksheet.
    pub layout: Layout,
}

/// A worksheet format (`batch --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text laid out for a terminal.
    Table,
    /// The JSON document of SPEC §5.
    Json,
    /// Markdown.
    Markdown,
    /// The printable HTML worksheet (SPEC §10).
    Html,
    /// The ingredient table as CSV.
    Csv,
}

/// A label format (`label --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelFormat {
    /// Plain text, at most 60 columns.
    Text,
    /// A 4 × 2 inch printable page.
    Html,
    /// JSON.
    Json,
}

/// A record format (`record --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFormat {
    /// Text laid out for a terminal.
    Table,
    /// The JSON document of SPEC §14.3.
    Json,
    /// Markdown.
    Markdown,
    /// The printable HTML record.
    Html,
}

/// The completed record of a batch (SPEC §14.3) in `format`: the worksheet with every
/// blank the batch file fills filled in, or the JSON document whose `batch` is the
/// worksheet's JSON.
pub fn record(format: RecordFormat, r: &Report<'_>, record: &crate::record::Record) -> String {
    match format {
        RecordFormat::Json => record_json::render(r, record),
        RecordFormat::Table => text::layout(&record::build(r, record), r.layout),
        // Markdown has no no-break space of its own: a status prints `✓ in`.
        RecordFormat::Markdown => markdown::layout(
            &record::build(r, record).map_text(|t| markdown::text(&t.replace('\u{a0}', " "))),
        ),
        RecordFormat::Html => html::layout(&record::build(r, record)),
    }
}

/// The worksheet for a batch in `format`.
pub fn worksheet(format: Format, r: &Report<'_>) -> String {
    match format {
        Format::Table => worksheet::render(r),
        Format::Json => json::render(r),
        Format::Markdown => markdown::render(r),
        Format::Html => html::render(r),
        Format::Csv => csv::render(r),
    }
}

/// The label for a batch in `format`.
pub fn label(format: LabelFormat, r: &Report<'_>) -> String {
    let label = label::Label::new(r.formula, r.batch);
    match format {
        LabelFormat::Text => label::text(&label),
        LabelFormat::Html => label::html(&label),
        LabelFormat::Json => label::json(&label),
    }
}
