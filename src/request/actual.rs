//! `[actual]` (SPEC §14.1): what was read, per ingredient id, and the yield and the final
//! weight, each typed by its grammar and kept with its place in the file.
//!
//! A reading is one figure (a mass or a volume), or the steps of an aliquot (`weigh`,
//! `total`, `take`) or of a dilution (`stock`, `to`, `take`) as an inline table; any step
//! may be missing. What a reading must be for its ingredient (a mass for one weighed, the
//! steps for one weighed through an aliquot, a density for a mass of a liquid) depends on
//! the computed batch: the record checks it, at these spans.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::format::{ACTUAL, ALIQUOT_STEPS, DILUTION_STEPS, STEPS};
use super::load::by_id;
use super::{At, Figure};
use crate::codes::Code;
use crate::formula::{Diagnostic, Kind, Table, TableReader, Value, parse_text};
use crate::measure::{Mass, Measured, Volume};
use crate::quantity::{Quantity, QuantityError, parse_whole_count};
use crate::unit::Dimension;

/// What was read (`[actual]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actual {
    /// The readings, in file order.
    pub readings: Vec<Reading>,
    /// The yield: containers or units made, or the volume or mass filled.
    pub yielded: Option<Yield>,
    /// Mass and molded forms: the net mass of what was made.
    pub final_weight: Option<Figure<Mass>>,
    /// The table's place (`0..0` when the file has no `[actual]`).
    pub span: Range<usize>,
}

/// The reading of one ingredient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The ingredient's id, at its key.
    pub id: At<String>,
    /// What was read.
    pub read: Read,
}

/// What was read for one ingredient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// One figure: a mass weighed, a volume measured or made up to, or a volume drawn (or
    /// its net mass, the gravimetric check).
    One(Figure<Measured>),
    /// An aliquot, step by step.
    Aliquot(AliquotSteps),
    /// A dilution, step by step.
    Dilution(DilutionSteps),
}

/// An aliquot read step by step (SPEC §7.4): by mass three masses, by volume a mass and
/// two volumes (`total` and `take` are of one kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliquotSteps {
    /// The mass weighed.
    pub weigh: Option<Figure<Mass>>,
    /// What it was triturated or made up to.
    pub total: Option<Figure<Measured>>,
    /// The portion taken into the batch.
    pub take: Option<Figure<Measured>>,
    /// The inline table's place.
    pub span: Range<usize>,
}

/// A dilution read step by step (SPEC §12.2): volumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DilutionSteps {
    /// The stock drawn.
    pub stock: Option<Figure<Volume>>,
    /// What it was diluted to.
    pub to: Option<Figure<Volume>>,
    /// The volume taken into the batch.
    pub take: Option<Figure<Volume>>,
    /// The inline table's place.
    pub span: Range<usize>,
}

/// The yield (`[actual] yield`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Yield {
    /// A count of containers filled or units made.
    Count(At<Decimal>),
    /// A volume or a mass filled.
    Filled(Figure<Measured>),
}

/// What a reading is written as, for messages.
const MEASURED: &str = "a mass or a volume, like `2.1181 g` or `21 mL`";

/// What a yield is written as, for messages.
const YIELD: &str = "a count of containers or units, like `3`, or the volume or mass filled";

pub(super) fn read(t: &DeTable<'_>, span: Range<usize>, diags: &mut Vec<Diagnostic>) -> Actual {
    let mut r = TableReader::new(t, span.clone(), &ACTUAL);
    let yielded = r.opt_count_text("yield", diags).and_then(|t| {
        let value = parse_text(&t, diags, parse_yield)?;
        Some(match value {
            YieldValue::Count(n) => Yield::Count(At { value: n, span: t.span }),
            YieldValue::Filled(written, value) => Yield::Filled(Figure { written, value, span: t.span }),
        })
    });
    let final_weight = r.opt_parsed("final_weight", diags, |s| mass(s, "a mass, like `31.2 g`")).map(figure);
    let mut readings = Vec::new();
    // A table of steps names one; any other table is a part of a dotted id.
    let is_part = |t: &DeTable<'_>| !STEPS.iter().any(|s| s.names().any(|n| t.get(n).is_some()));
    for (at, value) in by_id(t, &is_part) {
        let id = at.value.as_str();
        if ACTUAL.key(id).is_some() {
            continue;
        }
        // A misspelt `yield` or `final_weight` whose value is no reading is the key misspelt,
        // not a reading of an ingredient.
        let fixed: Vec<&str> = ACTUAL.names().collect();
        if let (DeValue::String(s), Some(near)) = (value.get_ref(), crate::formula::closest(id, &fixed))
            && measured(s, MEASURED).is_err()
        {
            diags.push(
                Diagnostic::error(
                    crate::codes::Code::UnknownKey,
                    format!("unknown key `{id}` in [actual]"),
                    at.span.clone(),
                )
                .with_help(format!("did you mean `{near}`?")),
            );
            continue;
        }
        let read = match value.get_ref() {
            DeValue::String(s) => parse_at(s, value.span(), diags, |s| measured(s, MEASURED)).map(Read::One),
            DeValue::Table(steps) => read_steps(id, steps, value.span(), diags),
            _ => {
                let want = format!("{MEASURED}, or an inline table of its steps");
                r.wrong_type_of(id, Some(Value::Quantity(Kind::Measured)), value, &want, diags);
                None
            }
        };
        if let Some(read) = read {
            readings.push(Reading { id: at, read });
        }
    }
    // The ingredient ids are checked against the formula; only the fixed keys are here.
    Actual { readings, yielded, final_weight, span }
}

/// An inline table of steps: an aliquot's or a dilution's, by the keys only each has.
fn read_steps(id: &str, t: &DeTable<'_>, span: Range<usize>, diags: &mut Vec<Diagnostic>) -> Option<Read> {
    let own = |steps: &Table| {
        steps.names().any(|n| STEPS.iter().filter(|o| o.key(n).is_some()).count() == 1 && t.get(n).is_some())
    };
    let kinds: Vec<&Table> = STEPS.iter().copied().filter(|s| own(s)).collect();
    let label = format!("the steps of `{id}` in [actual]");
    match kinds.as_slice() {
        [one] if std::ptr::eq(*one, &ALIQUOT_STEPS) => {
            let mut r = TableReader::new(t, span.clone(), &ALIQUOT_STEPS).labelled(label);
            let weigh = r.opt_parsed("weigh", diags, |s| mass(s, "a mass, like `84.2 mg`")).map(figure);
            let total = r.opt_parsed("total", diags, |s| measured(s, MEASURED)).map(figure);
            let take = r.opt_parsed("take", diags, |s| measured(s, MEASURED)).map(figure);
            r.finish(diags);
            let (total, take) = same_kind(id, total, take, diags);
            Some(Read::Aliquot(AliquotSteps { weigh, total, take, span }))
        }
        [_] => {
            let mut r = TableReader::new(t, span.clone(), &DILUTION_STEPS).labelled(label);
            let mut read = |key: &'static str, r: &mut TableReader<'_, '_>| {
                r.opt_parsed(key, diags, |s| volume(s, "a volume, like `1 mL`")).map(figure)
            };
            let (stock, to, take) = (read("stock", &mut r), read("to", &mut r), read("take", &mut r));
            r.finish(diags);
            Some(Read::Dilution(DilutionSteps { stock, to, take, span }))
        }
        kinds => {
            let what = if kinds.is_empty() { "are neither" } else { "mix" };
            diags.push(
                Diagnostic::error(
                    Code::BadValue,
                    format!("the steps of `{id}` {what} an aliquot's (`weigh`, `total`, `take`) and a dilution's (`stock`, `to`, `take`)"),
                    span,
                )
                .with_help("write an aliquot as `{ weigh = \"84.2 mg\", total = \"20 mL\", take = \"1 mL\" }`, a dilution as `{ stock = \"1 mL\", to = \"10 mL\", take = \"2.5 mL\" }`"),
            );
            None
        }
    }
}

/// An aliquot's `total` and `take`, both masses or both volumes: a `take` of the other
/// kind is an error at it.
fn same_kind(
    id: &str,
    total: Option<Figure<Measured>>,
    take: Option<Figure<Measured>>,
    diags: &mut Vec<Diagnostic>,
) -> (Option<Figure<Measured>>, Option<Figure<Measured>>) {
    let kind = |m: &Measured| matches!(m, Measured::Mass(_));
    match (total, take) {
        (Some(total), Some(take)) if kind(&total.value) != kind(&take.value) => {
            let what = if kind(&total.value) { "a mass" } else { "a volume" };
            diags.push(
                Diagnostic::error(
                    Code::WrongDimension,
                    format!("`take` of `{id}` is not {what} like its `total`: an aliquot by mass takes a mass, one by volume a volume"),
                    take.span.clone(),
                )
                .with_help(format!("give the portion taken as {what}")),
            );
            (Some(total), None)
        }
        pair => pair,
    }
}

/// A figure parsed from the string at `span`, or its error there.
fn parse_at<T>(
    text: &str,
    span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
    parse: impl FnOnce(&str) -> Result<(Quantity, T), QuantityError>,
) -> Option<Figure<T>> {
    let t = crate::formula::Text { value: text.to_string(), span: span.clone() };
    parse_text(&t, diags, parse).map(|(written, value)| Figure { written, value, span })
}

fn figure<T>(((written, value), span): ((Quantity, T), Range<usize>)) -> Figure<T> {
    Figure { written, value, span }
}

/// A yield, before it has its place.
enum YieldValue {
    Count(Decimal),
    Filled(Quantity, Measured),
}

/// A whole count (`3`, `3 units`), else a mass or a volume.
fn parse_yield(s: &str) -> Result<YieldValue, QuantityError> {
    match parse_whole_count(s) {
        Ok(n) => Ok(YieldValue::Count(n)),
        Err(QuantityError::WrongDimension { .. } | QuantityError::UnknownUnit { .. }) => {
            measured(s, YIELD).map(|(q, m)| YieldValue::Filled(q, m))
        }
        Err(e) => Err(e),
    }
}

/// A mass or a volume.
pub(super) fn measured(s: &str, expected: &'static str) -> Result<(Quantity, Measured), QuantityError> {
    let q = Quantity::parse_expecting(s, expected)?;
    let base = || q.to_base().map_err(QuantityError::conversion(s));
    match q.dimension() {
        Dimension::Mass => Ok((q, Measured::Mass(Mass::from_mg(base()?)))),
        Dimension::Volume => Ok((q, Measured::Volume(Volume::from_ml(base()?)))),
        other => Err(QuantityError::WrongDimension {
            text: s.trim().to_string(),
            found: other.describe(),
            expected,
        }),
    }
}

/// A mass.
fn mass(s: &str, expected: &'static str) -> Result<(Quantity, Mass), QuantityError> {
    let q = Quantity::parse_dim(s, Dimension::Mass, expected)?;
    Ok((q, Mass::from_mg(q.to_base().map_err(QuantityError::conversion(s))?)))
}

/// A volume.
fn volume(s: &str, expected: &'static str) -> Result<(Quantity, Volume), QuantityError> {
    let q = Quantity::parse_dim(s, Dimension::Volume, expected)?;
    Ok((q, Volume::from_ml(q.to_base().map_err(QuantityError::conversion(s))?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actual(text: &str) -> (Actual, Vec<Diagnostic>) {
        let doc = DeTable::parse(text).unwrap();
        let mut diags = Vec::new();
        let a = read(doc.get_ref(), 0..0, &mut diags);
        diags.sort_by_key(|d| d.span.clone().map(|s| s.start));
        (a, diags)
    }

    #[test]
    fn readings_are_typed_and_keep_their_place() {
        let text = "a = \"2.1181 g\"\nb = { weigh = \"84.2 mg\", total = \"20 mL\", take = \"1.00 mL\" }\n\
                    c = { stock = \"1 mL\", to = \"10 mL\" }\nyield = \"3\"\nfinal_weight = \"31.2 g\"\n";
        let (a, diags) = actual(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(a.readings.len(), 3);
        let Read::One(f) = &a.readings[0].read else { panic!() };
        assert_eq!(f.value, Measured::Mass(Mass::from_mg(Decimal::new(21181, 1))));
        assert_eq!(f.written.to_string(), "2.1181 g");
        assert_eq!(&text[f.span.clone()], "\"2.1181 g\"");
        assert_eq!(&text[a.readings[1].id.span.clone()], "b");
        let Read::Aliquot(s) = &a.readings[1].read else { panic!() };
        assert_eq!(s.weigh.as_ref().unwrap().value, Mass::from_mg(Decimal::new(842, 1)));
        // The places of a written figure are kept.
        assert_eq!(s.take.as_ref().unwrap().written.value.to_string(), "1.00");
        let Read::Dilution(d) = &a.readings[2].read else { panic!() };
        assert!(d.take.is_none() && d.to.is_some());
        let Some(Yield::Count(n)) = &a.yielded else { panic!("{:?}", a.yielded) };
        assert_eq!((n.value, &text[n.span.clone()]), (Decimal::from(3), "\"3\""));
        assert_eq!(a.final_weight.unwrap().value, Mass::from_mg(Decimal::from(31_200)));
    }

    #[test]
    fn every_bad_reading_is_an_error_at_it() {
        let text = "a = 2.1181\nb = \"5 mg/mL\"\nc = { weigh = \"84 mg\", stock = \"1 mL\" }\n\
                    d = { take = \"1 mL\" }\ne = { weigh = \"1 mL\" }\nf = { weigh = \"8 mg\", total = \"20 mL\", take = \"1 g\" }\n\
                    g = { stock = \"1 mL\", tak = \"2 mL\" }\nyield = \"2.5\"\nfinal_weight = \"3 mL\"\n";
        let (a, diags) = actual(text);
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "toml-float",
                "wrong-dimension",
                "bad-value",
                "bad-value",
                "wrong-dimension",
                "wrong-dimension",
                "unknown-key",
                "bad-number",
                "wrong-dimension"
            ],
            "{diags:#?}"
        );
        assert!(diags[2].message.contains("mix an aliquot's"), "{}", diags[2].message);
        assert_eq!(diags[6].help.as_deref(), Some("did you mean `take`?"));
        // What could be read is kept: `e`, `f` without its `take`, `g`.
        assert_eq!(a.readings.iter().map(|r| r.id.value.as_str()).collect::<Vec<_>>(), ["e", "f", "g"]);
    }

    #[test]
    fn yields_are_counts_volumes_or_masses() {
        assert!(matches!(parse_yield("3"), Ok(YieldValue::Count(_))));
        assert!(matches!(parse_yield("30 units"), Ok(YieldValue::Count(_))));
        assert!(matches!(parse_yield("29.5 mL"), Ok(YieldValue::Filled(_, Measured::Volume(_)))));
        assert!(matches!(parse_yield("98.2 g"), Ok(YieldValue::Filled(_, Measured::Mass(_)))));
        assert!(matches!(parse_yield("2.5"), Err(QuantityError::NotWhole { .. })));
        assert!(matches!(parse_yield("3 bottles"), Err(QuantityError::UnknownUnit { .. })));
        assert!(matches!(parse_yield("3 mg/mL"), Err(QuantityError::WrongDimension { .. })));
    }
}
