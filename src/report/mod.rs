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
mod worksheet;

#[cfg(test)]
pub(crate) mod fixtures;

use rust_decimal::Decimal;

pub use label::{COMPOUNDED, FEDERAL_CAUTION};
pub use text::{Layout, MIN_WIDTH};

use crate::calc::Batch;
use crate::formula::Formula;
use crate::measure::{BatchSize, Count, Mass, Measured, Volume};
use crate::quantity::{mass_in_display_unit, plain};
use crate::unit::Unit;

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
        use sha2::Digest;
        let sha256 = sha2::Sha256::digest(bytes).iter().fold(String::with_capacity(64), |mut s, b| {
            use std::fmt::Write;
            let _ = write!(s, "{b:02x}");
            s
        });
        Source { path: path.into(), sha256 }
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

/// A value and unit as reported: exact values normalized, rounded values keeping the
/// decimal places of the step they were rounded to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The number as text (never with an exponent).
    pub value: String,
    /// The canonical unit.
    pub unit: String,
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Prose reads "1 unit"; the JSON keeps the canonical unit `units` whatever the count.
        let unit = if self.unit == "units" && self.value == "1" { "unit" } else { self.unit.as_str() };
        write!(f, "{} {unit}", self.value)
    }
}

/// A mass in the unit reports use for it (`quantity::mass_in_display_unit`), divided
/// the ordinary way when moving the decimal point would pass 28 places.
pub(crate) fn in_display_unit(m: Mass) -> (Decimal, Unit) {
    let mg = m.mg();
    mass_in_display_unit(mg)
        .unwrap_or_else(|| (crate::arith::div(mg, Decimal::ONE_THOUSAND).unwrap_or(mg), Unit::G))
}

/// An exact mass: `mg` below 1 g, else `g`; normalized.
pub fn mass_exact(m: Mass) -> Shown {
    let (v, unit) = in_display_unit(m);
    Shown { value: plain(v), unit: unit.to_string() }
}

/// A rounded mass, keeping its decimal places (`1050.0` mg → `1.0500 g`).
pub fn mass_rounded(m: Mass) -> Shown {
    let (v, unit) = in_display_unit(m);
    Shown { value: v.to_string(), unit: unit.to_string() }
}

/// An exact volume in mL.
pub fn volume_exact(v: Volume) -> Shown {
    Shown { value: plain(v.ml()), unit: "mL".into() }
}

/// A rounded volume in mL, keeping its decimal places.
pub fn volume_rounded(v: Volume) -> Shown {
    Shown { value: v.ml().to_string(), unit: "mL".into() }
}

/// An exact mass or volume.
pub fn measured_exact(m: Measured) -> Shown {
    match m {
        Measured::Mass(mg) => mass_exact(mg),
        Measured::Volume(ml) => volume_exact(ml),
    }
}

/// A value with any unit, normalized.
pub fn with_unit(v: Decimal, unit: Unit) -> Shown {
    Shown { value: plain(v), unit: unit.to_string() }
}

/// A count of units.
pub fn units(n: Count) -> Shown {
    Shown { value: plain(n.units()), unit: "units".into() }
}

/// A batch quantity in its own unit: mL, a mass, or units.
pub fn batch_size(size: BatchSize) -> Shown {
    match size {
        BatchSize::Volume(v) => volume_exact(v),
        BatchSize::Mass(m) => mass_exact(m),
        BatchSize::Count(c) => units(c),
    }
}

/// Rounds a number for reading on a worksheet to at most `dp` decimal places, by the one
/// rounding rule; the JSON output keeps the exact value.
pub fn readable(v: Decimal, dp: u32) -> String {
    match crate::rounding::RoundingPolicy::new(Decimal::new(1, dp)).map(|p| p.round(v)) {
        Some(Ok(r)) => plain(r),
        _ => plain(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn masses_switch_to_grams_at_one_gram() {
        let mg = |v| Mass::from_mg(d(v));
        assert_eq!(mass_exact(mg("1050")).to_string(), "1.05 g");
        assert_eq!(mass_exact(mg("999.9")).to_string(), "999.9 mg");
        assert_eq!(mass_rounded(mg("1050.0")).to_string(), "1.0500 g");
        assert_eq!(mass_rounded(mg("2.0")).to_string(), "2.0 mg");
        assert_eq!(with_unit(d("10"), Unit::PercentWW).to_string(), "10 %w/w");
        assert_eq!(readable(d("86.70265"), 2), "86.7");
    }

    #[test]
    fn one_unit_is_singular_in_prose_but_not_in_json() {
        let one = units(Count::from_units(Decimal::ONE));
        assert_eq!(one.to_string(), "1 unit");
        assert_eq!(one.unit, "units");
        assert_eq!(units(Count::from_units(d("11"))).to_string(), "11 units");
        assert_eq!(units(Count::from_units(Decimal::ZERO)).to_string(), "0 units");
    }
}
