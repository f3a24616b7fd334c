//! The completed compounding record (SPEC §14.3) as a [`Sheet`]: the worksheet of the
//! batch ([`super::worksheet`]) with every blank the batch file fills filled in, each
//! reading beside its target with its deviation and status, the actual strengths, the
//! yield, the C-III reconciliation, the QC results, the people and the release line.
//! Every layout of a worksheet (text, Markdown, HTML) renders it, so that all three say
//! the same thing.
//!
//! A status is always a word and a mark (`✓ in`, `▲ over`, `▼ under`, `? missing`), never
//! a colour alone. The release line says `ready` (for the pharmacist's verification),
//! `incomplete` or `check`; ketacalc never says the batch is released, and the record
//! keeps the pharmacist's blanks (`Released by`) for the pharmacist.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::sheet::{BLANK, Block, Grid, Section, Sheet};
use super::{Report, worksheet};
use crate::measure::{Mass, Measured};
use crate::number::{
    mass_exact, mass_rounded, plain, readable, signed_percent, volume_exact, volume_rounded,
};
use crate::record::{
    Controlled, Infusion, Reading, Reconciliation, Record, RecordKind, ReleaseStatus, Status, Step, Strength,
    Yield, YieldFigure, written,
};
use crate::request::Outcome;

/// A status as a mark and a word, which no layout splits: `✓ in` (the space between
/// them is a no-break space).
pub(crate) fn status(s: Status) -> &'static str {
    match s {
        Status::In => "✓\u{a0}in",
        Status::Over => "▲\u{a0}over",
        Status::Under => "▼\u{a0}under",
        Status::Missing => "?\u{a0}missing",
        Status::Unmeasured => "?\u{a0}unmeasured",
        Status::Recorded => "•\u{a0}recorded",
    }
}

fn reconciliation(r: Reconciliation) -> &'static str {
    match r {
        Reconciliation::Reconciled => "✓\u{a0}reconciled",
        Reconciliation::Unreconciled => "✗\u{a0}unreconciled",
        Reconciliation::Missing => "?\u{a0}missing",
    }
}

/// The release line: `RECORD READY for the pharmacist's verification`, or what is
/// incomplete or to check.
fn release_line(record: &Record) -> String {
    let n = record.release.reasons.len();
    let items = if n == 1 { "1 item".to_string() } else { format!("{n} items") };
    match record.release.status {
        ReleaseStatus::Ready => "✓ RECORD READY for the pharmacist's verification".to_string(),
        ReleaseStatus::Incomplete => format!("? RECORD INCOMPLETE: {items} missing or unmeasured"),
        ReleaseStatus::Check => format!("✗ RECORD TO CHECK: {items} for the pharmacist to decide"),
    }
}

/// The figure a worksheet prints for a target: rounded, with its places.
fn target(m: Measured) -> String {
    match m {
        Measured::Mass(m) => mass_rounded(m).to_string(),
        Measured::Volume(v) => volume_rounded(v).to_string(),
    }
}

/// A reading as read, and for the gravimetric check the volume it is.
fn read(r: &Reading) -> String {
    let Some(q) = &r.read else { return "-".to_string() };
    let mut out = written(q);
    if let (Some(d), Some(Measured::Volume(v))) = (r.density, r.actual) {
        let g = crate::arith::div(d, Decimal::ONE_THOUSAND).unwrap_or(d);
        let _ = write!(out, "\n= {} mL at {} g/mL", readable(v.ml(), 4), plain(g));
    }
    out
}

fn deviation(d: Option<Decimal>) -> String {
    d.map_or_else(|| "-".to_string(), |d| signed_percent(d, 2))
}

fn step_name(s: Option<Step>) -> &'static str {
    match s {
        None => "",
        Some(Step::Weigh) => "aliquot: weighed",
        Some(Step::Total) => "aliquot: made up to",
        Some(Step::Take) => "portion taken",
        Some(Step::Stock) => "dilution: stock drawn",
        Some(Step::To) => "dilution: made up to",
    }
}

/// The grid of every reading beside its target.
fn readings(record: &Record) -> Section {
    let rows = record
        .readings
        .iter()
        .map(|r| {
            let what = match r.step {
                None => r.id.clone(),
                Some(_) => format!("{}\n{}", r.id, step_name(r.step)),
            };
            vec![
                what,
                target(r.target),
                read(r),
                deviation(r.deviation),
                r.tolerance.map_or_else(|| "-".to_string(), |t| format!("±{}%", plain(t))),
                status(r.status).to_string(),
            ]
        })
        .collect();
    let header = ["Reading", "Target", "Actual", "Deviation", "Tolerance", "Status"];
    Section::of(
        "Readings",
        Block::Grid(Grid {
            header: header.iter().map(|h| (*h).to_string()).collect(),
            rows,
            min_widths: Vec::new(),
        }),
    )
}

/// What the readings of ingredient `id` were, for its line's `Actual` blank.
fn actual_of(record: &Record, id: &str) -> String {
    let lines: Vec<String> = record
        .readings
        .iter()
        .filter(|r| r.id == id)
        .map(|r| {
            let figure = r.read.as_ref().map_or_else(|| "-".to_string(), written);
            match r.step {
                Some(s) => format!("{} {figure} {}", s.as_str(), status(r.status)),
                None => format!("{figure} {}", status(r.status)),
            }
        })
        .collect();
    lines.join("\n")
}

/// A strength in its unit, to 4 decimal places for reading.
fn concentration((v, unit): (Decimal, crate::unit::Unit)) -> String {
    format!("{} {unit}", readable(v, 4))
}

fn strength_text(s: &Strength) -> String {
    let labelled = concentration(s.labelled);
    let Some(actual) = s.actual else {
        let why = if s.status == Status::Unmeasured {
            "per unit unmeasured: the batch file gives no `final_weight`"
        } else {
            "not computed: a reading it needs is missing"
        };
        return format!("{why}; labelled {labelled}   {}", status(s.status));
    };
    let mut out = format!("{} ({})", concentration(actual), s.basis.as_str());
    if let Some(a) = s.amount {
        let amount = match a {
            Measured::Mass(m) => mass_exact(m).to_string(),
            Measured::Volume(v) => volume_exact(v).to_string(),
        };
        let _ = write!(out, ": {} ({}) in the batch as made", readable_amount(&amount), s.basis.as_str());
    }
    let _ = write!(
        out,
        "\nlabelled {labelled}: {} (tolerance ±{}%)   {}",
        deviation(s.deviation),
        plain(s.tolerance),
        status(s.status)
    );
    out
}

/// An exact amount shortened for reading: at most 4 decimal places.
fn readable_amount(shown: &str) -> String {
    match shown.split_once(' ') {
        Some((v, unit)) => match v.parse::<Decimal>() {
            Ok(d) => format!("{} {unit}", readable(d, 4)),
            Err(_) => shown.to_string(),
        },
        None => shown.to_string(),
    }
}

fn strengths(r: &Report<'_>, record: &Record) -> Section {
    let name =
        |id: &str| r.formula.ingredient(id).map_or_else(|| id.to_string(), |i| format!("{} ({id})", i.name));
    let fields = record.strengths.iter().map(|s| (name(&s.id), strength_text(s))).collect();
    Section::of("Actual strengths", Block::Fields(fields))
}

fn bag(i: &Infusion) -> Section {
    let m = |m: Option<Mass>| m.map_or_else(|| "-".to_string(), crate::number::iv::mass);
    let v = |v: Option<crate::measure::Volume>| v.map_or_else(|| "-".to_string(), crate::number::iv::volume);
    let f = vec![
        ("Drug in the bag".to_string(), m(i.in_bag)),
        ("Final volume".to_string(), v(i.final_volume)),
        (
            "Concentration".to_string(),
            i.concentration.map_or_else(|| "-".to_string(), crate::number::iv::concentration),
        ),
        (
            "Dose delivered".to_string(),
            format!("{} (the label says {})", m(i.dose), m(Some(i.labelled_dose))),
        ),
        ("Volume to infuse".to_string(), format!("{} (set the pump from it)", v(i.volume_to_infuse))),
        ("Rate".to_string(), i.rate.map_or_else(|| "-".to_string(), crate::number::iv::rate)),
        (
            "Against the label".to_string(),
            format!("{} (tolerance ±{}%)   {}", deviation(i.deviation), plain(i.tolerance), status(i.status)),
        ),
    ];
    Section::of("Bag as made", Block::Fields(f))
}

/// A yield figure: a count of the form's containers (`2 bottles`) or units (`32 units`),
/// or the volume or mass filled.
fn yield_figure(f: &YieldFigure, noun: &str) -> String {
    match f {
        YieldFigure::Count(n) => {
            let n = n.normalize();
            let s = if n == Decimal::ONE { "" } else { "s" };
            format!("{n} {noun}{s}")
        }
        YieldFigure::Filled(Measured::Mass(m)) => mass_exact(*m).to_string(),
        YieldFigure::Filled(Measured::Volume(v)) => volume_exact(*v).to_string(),
    }
}

/// The yield section's blanks, filled; the theoretical yield is the record's (SPEC
/// §14.2 item 3: the containers, `Q`, or the cavities).
fn fill_yield(fields: &mut [(String, String)], y: &Yield, r: &Report<'_>) {
    let molded = r.formula.basis() == crate::formula::Basis::Molded;
    let noun = if molded { "unit" } else { r.formula.container_noun() };
    let (what, of) = match (y.theoretical, molded) {
        (YieldFigure::Count(_), true) => (" (the cavities filled)", "made"),
        (YieldFigure::Count(_), false) => (" (the containers of the batch)", "filled"),
        (YieldFigure::Filled(_), _) => (" (the quantity requested)", "filled"),
    };
    let theoretical = yield_figure(&y.theoretical, noun);
    for (k, v) in fields.iter_mut() {
        match k.as_str() {
            "Theoretical yield" => *v = format!("{theoretical}{what}"),
            "Actual yield" => {
                *v = y
                    .actual
                    .as_ref()
                    .map_or_else(|| "? missing".to_string(), |a| format!("{} {of}", yield_figure(a, noun)));
            }
            "% yield" => {
                *v = match (y.percent, &y.actual) {
                    (Some(p), Some(a)) => {
                        let read = match a {
                            YieldFigure::Count(n) => n.normalize().to_string(),
                            filled => yield_figure(filled, noun),
                        };
                        format!("{}% ({read} of {theoretical})", readable(p, 2))
                    }
                    _ => "-".to_string(),
                };
            }
            "Acceptable" => *v = format!("95-105% of theoretical   {}", status(y.status)),
            _ => {}
        }
    }
}

/// A mass for the C-III record: exact, shortened to the mg's fourth place.
fn cmass(m: Option<Mass>) -> String {
    m.map_or_else(|| "-".to_string(), |m| readable_amount(&mass_exact(m).to_string()))
}

/// A C-III block's blanks filled from `c`, and the reconciliation beside them.
fn fill_controlled(fields: &mut Vec<(String, String)>, c: &Controlled, record: &Record, basis: &str) {
    let written_or =
        |q: &Option<crate::quantity::Quantity>| q.as_ref().map_or_else(|| "? missing".to_string(), written);
    let mut out = Vec::with_capacity(fields.len().saturating_add(3));
    for (k, v) in fields.drain(..) {
        let value = match k.as_str() {
            "Stock before" => written_or(&c.stock_before),
            "Stock after" => written_or(&c.stock_after),
            "Withdrawn" => format!("{} (stock before − stock after)", cmass(c.withdrawn)),
            "In product" | "Into the bag" => {
                let actual = format!("{} ({basis}, as made)", cmass(c.in_product));
                match v.find("(expected") {
                    Some(at) => format!("{actual} {}", v.get(at..).unwrap_or_default()),
                    None => actual,
                }
            }
            "Drawn (actual)" => actual_of(record, &c.id),
            "Other loss and cause" => match c.waste {
                Some(w) => format!("{} recorded in the batch file", cmass(Some(w))),
                None => "none recorded".to_string(),
            },
            "Reconciled" => {
                let tolerance = cmass(c.tolerance);
                match c.status {
                    Reconciliation::Missing => {
                        format!("{}: a stock reading or its reading is missing", reconciliation(c.status))
                    }
                    _ => format!(
                        "{}: accounted for {} (the readings and the waste recorded), difference {}, tolerance {tolerance}",
                        reconciliation(c.status),
                        cmass(c.accounted),
                        c.difference
                            .map_or_else(|| "-".to_string(), |d| readable_amount(&mass_exact(d).to_string())),
                    ),
                }
            }
            "Waste witnessed by" | "Witness" => c.witness.clone().unwrap_or_else(|| BLANK.to_string()),
            _ => v,
        };
        out.push((k, value));
    }
    if let Some(w) = c.expected_waste {
        out.push((
            "Expected waste".to_string(),
            format!("{} (already in the readings; never added)", cmass(Some(w))),
        ));
    }
    *fields = out;
}

/// The QC checklist's results, filled.
fn fill_qc(items: &mut [super::sheet::Check], record: &Record) {
    for (item, q) in items.iter_mut().zip(&record.qc) {
        let note = q.note.as_ref().map(|n| format!(": {n}")).unwrap_or_default();
        item.result = Some(match q.outcome {
            Some(Outcome::Pass) => format!("✓ pass{note}"),
            Some(Outcome::Fail) => format!("✗ fail{note}"),
            None => "? missing: no result in the batch file".to_string(),
        });
    }
}

/// The signature lines with the names the batch file gives; the pharmacist's release
/// stays blank.
fn fill_signatures(fields: &mut Vec<(String, String)>, record: &Record) {
    let line = |name: Option<&str>| {
        format!("name {}   signature {BLANK}{BLANK}   date/time {BLANK}", name.unwrap_or(BLANK))
    };
    let p = &record.people;
    let mut out = Vec::with_capacity(fields.len().saturating_add(1));
    for (k, v) in fields.drain(..) {
        match k.as_str() {
            "Compounded by" => {
                out.push((k, line(p.compounded_by.as_deref())));
                out.push(("Checked by".to_string(), line(p.checked_by.as_deref())));
            }
            "Verified by (pharmacist)" => out.push((k, line(p.verified_by.as_deref()))),
            _ => out.push((k, v)),
        }
    }
    *fields = out;
}

/// The worksheet's aliquot record lines (`Aliquot record: weighed ____ …`), filled with
/// the readings of the ingredient each plan is for.
fn fill_warnings(items: &mut [String], record: &Record, ids: &[Option<String>]) {
    for (item, id) in items.iter_mut().zip(ids) {
        let (Some(at), Some(id)) = (item.find("\nAliquot record:"), id) else { continue };
        item.truncate(at);
        let _ = write!(item, "\nAliquot record: {}", actual_of(record, id).replace('\n', "; "));
    }
}

/// The release section: the status and one reason per item.
fn release(record: &Record) -> Section {
    let mut blocks = vec![Block::Fields(vec![("Status".to_string(), release_line(record))])];
    if !record.release.reasons.is_empty() {
        blocks.push(Block::Numbered(record.release.reasons.clone()));
    }
    blocks.push(Block::Text(
        "ketacalc computes the record; the pharmacist verifies it and decides. It never says a preparation is released.".to_string(),
    ));
    Section { heading: "Release".to_string(), blocks }
}

/// Builds the record's sheet.
pub(crate) fn build(r: &Report<'_>, record: &Record) -> Sheet {
    let mut sheet = worksheet::build(r);
    sheet.kind = "Compounding record";
    sheet.banners.insert(0, release_line(record));
    let warning_ids: Vec<Option<String>> = r.batch.warnings.iter().map(|w| w.ingredient.clone()).collect();
    let mut controlled = record.controlled.iter();
    // What the record adds to its kind's sheet: a compounded batch's yield, in the sheet's
    // Yield section; an infusion's bag as made, a section after the sheet's Infusion
    // section, and its vehicle, the bag itself, read as supplied.
    let (yielded, mut bag, qs_actual) = match &record.kind {
        RecordKind::Compounded { yielded } => (yielded.as_ref(), None, None),
        RecordKind::Infusion(i) => (None, Some(bag(i)), Some("used as supplied: no reading")),
    };
    let mut sections = Vec::with_capacity(sheet.sections.len().saturating_add(4));
    for mut s in std::mem::take(&mut sheet.sections) {
        let heading = s.heading.clone();
        for b in &mut s.blocks {
            match (heading.as_str(), b) {
                ("Ingredients", Block::Grid(g)) => fill_actual(g, r, record, qs_actual),
                ("Yield", Block::Fields(f)) => {
                    if let Some(y) = yielded {
                        fill_yield(f, y, r);
                    }
                }
                ("Controlled-substance accountability", Block::Fields(f)) => {
                    if let Some(c) = controlled.next() {
                        let basis = r
                            .formula
                            .ingredient(&c.id)
                            .and_then(|i| i.basis)
                            .unwrap_or(crate::formula::StrengthBasis::Salt);
                        fill_controlled(f, c, record, basis.as_str());
                    }
                }
                ("Quality control", Block::Checklist { items, .. }) => fill_qc(items, record),
                ("Signatures", Block::Fields(f)) => fill_signatures(f, record),
                ("Warnings", Block::Numbered(items)) => fill_warnings(items, record, &warning_ids),
                _ => {}
            }
        }
        sections.push(s);
        match heading.as_str() {
            "Ingredients" => sections.push(readings(record)),
            "Strengths" => sections.push(strengths(r, record)),
            "Infusion" => {
                sections.extend(bag.take());
                sections.push(strengths(r, record));
            }
            _ => {}
        }
    }
    sections.push(release(record));
    sheet.sections = sections;
    sheet
}

/// The ingredient table's `Actual` column, filled with each line's readings (its rows
/// are the batch's lines, in order); the qs line with `qs_actual` when it takes no reading.
fn fill_actual(g: &mut Grid, r: &Report<'_>, record: &Record, qs_actual: Option<&str>) {
    let Some(col) = g.header.iter().position(|h| h == "Actual") else { return };
    // Room for a reading and its status on one line.
    if let Some(w) = g.min_widths.get_mut(col) {
        *w = (*w).max(16);
    }
    for (row, line) in g.rows.iter_mut().zip(&r.batch.lines) {
        let text = match qs_actual.filter(|_| line.qs) {
            Some(t) => t.to_string(),
            None => actual_of(record, &line.id),
        };
        if let Some(cell) = row.get_mut(col)
            && !text.is_empty()
        {
            *cell = text;
        }
    }
}
