//! The compounding worksheet as a terminal table (SPEC §6).
//!
//! The worksheet is built once as a `Sheet` (sections of fields, tables, lists and
//! the calculation trail) and then laid out, here as text tables (comfy-table, UTF-8
//! borders, never tty-dependent) and in [`super::markdown`] as a Markdown document, so
//! that both say the same thing.
//!
//! Every number is printed with its unit. Amounts to weigh and measure are the rounded
//! values (SPEC §3.8); the exact values are in the calculation trail (`--explain`) and
//! in the JSON output.

use std::fmt::Write as _;

use comfy_table::{Attribute, Cell, ColumnConstraint, ContentArrangement, Table, Width, presets};
use rust_decimal::Decimal;

use super::{
    Shown, Source, mass_exact, mass_rounded, readable, units, volume_exact, volume_rounded, with_unit,
};
use crate::calc::{Batch, Line, Measured, Strength, VOLUME_STEP_ML};
use crate::formula::{Basis, Formula, StrengthBasis};
use crate::rounding::RoundingPolicy;

/// How to lay out the worksheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Include the calculation trail.
    pub explain: bool,
    /// Table width in columns.
    pub width: u16,
    /// Use ANSI styling.
    pub color: bool,
}

/// A blank for the technician to fill in.
pub(crate) const BLANK: &str = "________";

/// The worksheet's content, independent of layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sheet {
    /// What the document is, e.g. `Compounding worksheet`.
    pub(crate) kind: &'static str,
    /// The document title (the preparation's name).
    pub(crate) title: String,
    /// The schedule banner, e.g. `C-III CONTROLLED SUBSTANCE`.
    pub(crate) banner: Option<String>,
    /// The sections, in order.
    pub(crate) sections: Vec<Section>,
}

/// A titled section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// Heading, e.g. `Ingredients`.
    pub(crate) heading: String,
    /// Content.
    pub(crate) blocks: Vec<Block>,
}

/// A piece of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    /// Label and value pairs (a value may hold several lines).
    Fields(Vec<(String, String)>),
    /// A table with a header row; cells may hold several lines.
    Grid(Grid),
    /// A paragraph.
    Text(String),
    /// A numbered list.
    Numbered(Vec<String>),
    /// Numbered items with check boxes; with `result`, each has a result blank.
    Checklist {
        /// The items.
        items: Vec<String>,
        /// Whether each item has a `Result:` blank.
        result: bool,
    },
    /// The calculation trail: a title per ingredient and its steps.
    Trail(Vec<(String, Vec<String>)>),
}

/// A table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Grid {
    /// Column headings.
    pub(crate) header: Vec<String>,
    /// Rows of cells.
    pub(crate) rows: Vec<Vec<String>>,
    /// Minimum widths of the columns (0: no minimum), so that blanks have room.
    pub(crate) min_widths: Vec<u16>,
    /// A column that narrow text layouts fold into the column before it, as a last line.
    pub(crate) fold: Option<usize>,
}

/// A batch quantity in the basis' unit.
pub(crate) fn batch_size(formula: &Formula, v: Decimal) -> Shown {
    match formula.basis() {
        Basis::Volume => volume_exact(v),
        Basis::Mass => mass_exact(v),
        Basis::Molded => units(v),
    }
}

/// Rounds `v` to `step` by the one rounding rule; `None` if it cannot.
fn round_to(v: Decimal, step: Decimal) -> Option<Decimal> {
    RoundingPolicy::new(step).and_then(|p| p.round(v).ok())
}

/// Whether `v` has at most two more decimal places than `step` (then it is shown exactly).
fn short_enough(v: Decimal, step: Decimal) -> bool {
    v.normalize().scale() <= step.scale().saturating_add(2)
}

/// A mass for reading: exact when it has at most two decimal places more than `step`,
/// else `≈` the value rounded to `step`.
fn approx_mass(mg: Decimal, step: Decimal) -> String {
    match round_to(mg, step) {
        Some(r) if !short_enough(mg, step) => format!("≈ {}", mass_rounded(r)),
        _ => mass_exact(mg).to_string(),
    }
}

/// A volume for reading: exact when it has at most 4 decimal places, else `≈` the value
/// rounded to 0.01 mL.
fn approx_volume(ml: Decimal) -> String {
    match round_to(ml, VOLUME_STEP_ML) {
        Some(r) if !short_enough(ml, VOLUME_STEP_ML) => format!("≈ {}", volume_rounded(r)),
        _ => volume_exact(ml).to_string(),
    }
}

/// A mass at most `dp` decimal places in mg or g, for strengths.
fn mass_readable(mg: Decimal, dp: u32) -> String {
    let step = Decimal::new(1, dp);
    mass_exact(round_to(mg, step).unwrap_or(mg)).to_string()
}

/// A value with a unit: exact when it has at most 4 decimal places, else `≈` rounded to 4.
fn value_readable(v: Decimal, unit: crate::unit::Unit) -> String {
    if v.normalize().scale() <= 4 {
        with_unit(v, unit).to_string()
    } else {
        format!("≈ {} {unit}", readable(v, 4))
    }
}

fn basis_word(b: StrengthBasis) -> &'static str {
    b.as_str()
}

/// The text with its first letter in upper case.
pub(crate) fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The ingredient's name and id, as the first cell of a row.
fn ingredient_cell(name: &str, id: &str) -> String {
    format!("{name}\n({id})")
}

/// The amount to weigh or measure: rounded, with its unit; `qs to P mL` for the vehicle.
fn to_weigh(line: &Line, batch: &Batch) -> String {
    if line.qs
        && let Some(to) = batch.qs.to
    {
        return format!("qs to {}", volume_exact(to));
    }
    let mut out = match (line.measure_rounded, line.weigh_rounded) {
        (Some(ml), Some(mg)) => format!("{}\n(weighs {})", volume_rounded(ml), mass_rounded(mg)),
        (Some(ml), None) => volume_rounded(ml).to_string(),
        (None, Some(mg)) => mass_rounded(mg).to_string(),
        (None, None) => "-".to_string(),
    };
    if line.qs {
        out.push_str("\n(qs)");
    }
    let aliquot = batch
        .warnings
        .iter()
        .any(|w| w.aliquot.is_some() && w.ingredient.as_deref() == Some(line.id.as_str()));
    if aliquot {
        out.push_str("\nby aliquot: see Warnings");
    }
    out
}

/// The required amount, in the ingredient's declared basis.
fn required(line: &Line, batch: &Batch) -> String {
    if line.qs {
        return "qs".to_string();
    }
    match line.required {
        Measured::Mass(mg) => approx_mass(mg, batch.readability),
        Measured::Volume(ml) => approx_volume(ml),
    }
}

/// `100 mg/mL (salt) = 86.7 mg/mL (base)` and the per-dose line.
fn strength_text(s: &Strength) -> String {
    let (v, unit) = s.concentration;
    let mut out = format!("{} ({})", value_readable(v, unit), basis_word(s.basis));
    if let Some((b, ov, ounit)) = s.other_basis {
        let _ = write!(out, " = {} {} ({})", readable(ov, 2), ounit, basis_word(b));
    }
    if let (Some(per), Some(dose)) = (s.per_dose, &s.dose) {
        let _ = write!(out, "\nper {dose}: {} ({})", mass_readable(per, 2), basis_word(s.basis));
        let other = s.other_basis.and_then(|(b, ov, _)| {
            let x = crate::arith::div(crate::arith::mul(per, ov).ok()?, v).ok()?;
            Some((b, x))
        });
        if let Some((b, x)) = other {
            let _ = write!(out, " = {} ({})", mass_readable(x, 2), basis_word(b));
        }
    }
    out
}

/// Builds the worksheet's content.
pub(crate) fn build(formula: &Formula, source: &Source, batch: &Batch, explain: bool) -> Sheet {
    let banner = formula.schedule().map(|s| format!("{} CONTROLLED SUBSTANCE", s.banner()));
    let mut sections = vec![header(formula, source, batch), ingredients(batch), strengths(formula, batch)];
    if explain {
        sections.push(trail(batch));
    }
    sections.push(rounding(batch));
    if !batch.warnings.is_empty() {
        sections.push(warnings(batch));
    }
    if !formula.steps.is_empty() {
        sections.push(Section {
            heading: "Procedure".to_string(),
            blocks: vec![Block::Checklist { items: formula.steps.clone(), result: false }],
        });
    }
    if !formula.quality.is_empty() {
        sections.push(Section {
            heading: "Quality control".to_string(),
            blocks: vec![Block::Checklist { items: formula.quality.clone(), result: true }],
        });
    }
    sections.push(yield_section(formula, batch));
    if !batch.controlled.is_empty() {
        sections.push(accountability(formula, batch));
    }
    sections.push(signatures());
    Sheet { kind: "Compounding worksheet", title: formula.name.clone(), banner, sections }
}

fn header(formula: &Formula, source: &Source, batch: &Batch) -> Section {
    let mut f: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: String| f.push((k.to_string(), v));
    push("Preparation", formula.name.clone());
    push(
        "MFR",
        format!("{}, revision {} (file sha256 {})", formula.id, formula.revision, source.short_hash()),
    );
    push("Dosage form", formula.dosage_form.to_string());
    push("Route", formula.route.clone());
    if let Some(s) = formula.schedule() {
        push("Schedule", format!("{} controlled substance ({})", s.banner(), s.as_str()));
    }
    push("Compounding date", format!("{}    time: {BLANK}", batch.date));
    push("Batch id", batch.batch_id.clone().unwrap_or_else(|| BLANK.to_string()));
    push("Quantity requested", batch_size(formula, batch.quantity).to_string());
    // The calculation ends with the prepared quantity (`10 mL × (100% + 5%) = 10.5 mL`,
    // `105 g (no overage)`); with an overage, the quantity comes first as well.
    let prepared = if batch.prepared == batch.quantity {
        batch.prepared_calculation.clone()
    } else {
        format!("{}\n{}", batch_size(formula, batch.prepared), batch.prepared_calculation)
    };
    push("Quantity prepared", prepared);
    let bud = &batch.bud;
    let mut bud_text = format!("{} ({} days after compounding)", bud.date, bud.days);
    if let Some(by) = &bud.limited_by {
        let _ = write!(bud_text, "\nlimited by the expiry of {by}");
    }
    let _ = write!(bud_text, "\nrule: {}", bud.rule.describe());
    if let (crate::calc::BudRule::Formula, Some(o)) = (bud.rule, &formula.bud) {
        let _ = write!(bud_text, ": {}", o.reference);
    }
    push("Beyond-use date", bud_text);
    push("Storage", title_case(formula.storage.describe()));
    if let Some(c) = &formula.container {
        push("Container", c.clone());
    }
    if let Some(d) = &formula.description {
        push("Description", d.clone());
    }
    Section { heading: "Preparation".to_string(), blocks: vec![Block::Fields(f)] }
}

fn ingredients(batch: &Batch) -> Section {
    let rows = batch
        .lines
        .iter()
        .map(|l| {
            vec![
                ingredient_cell(&l.name, &l.id),
                l.role.as_str().to_string(),
                required(l, batch),
                to_weigh(l, batch),
                l.lot.clone().unwrap_or_default(),
                l.expiry.map(|e| e.to_string()).unwrap_or_default(),
                String::new(),
                String::new(),
            ]
        })
        .collect();
    let header = ["Ingredient", "Role", "Required", "Weigh / measure", "Lot", "Expiry", "Actual", "Initials"];
    Section {
        heading: "Ingredients".to_string(),
        blocks: vec![Block::Grid(Grid {
            header: header.iter().map(|s| (*s).to_string()).collect(),
            rows,
            min_widths: vec![0, 0, 0, 0, 10, 10, 10, 8],
            fold: Some(1),
        })],
    }
}

fn strengths(formula: &Formula, batch: &Batch) -> Section {
    let mut f: Vec<(String, String)> =
        batch.strengths.iter().map(|s| (format!("{} ({})", s.name, s.id), strength_text(s))).collect();
    if let Some(n) = batch.doses {
        let dose = formula.device.as_ref().map_or("dose", |d| d.dose.as_str());
        let mut v =
            format!("{} {dose}s in {}", crate::quantity::plain(n), batch_size(formula, batch.quantity));
        if let Some(c) = &batch.doses_calculation {
            let _ = write!(v, "\n{c}");
        }
        f.push(("Doses per container".to_string(), v));
    }
    if let Some(w) = batch.unit_weight {
        let shown = match round_to(w, batch.readability) {
            Some(r) => mass_rounded(r).to_string(),
            None => mass_exact(w).to_string(),
        };
        f.push(("Theoretical unit weight".to_string(), shown));
    }
    if f.is_empty() {
        f.push(("Strength".to_string(), "no active with a stated strength".to_string()));
    }
    Section { heading: "Strengths".to_string(), blocks: vec![Block::Fields(f)] }
}

fn trail(batch: &Batch) -> Section {
    let mut items = vec![("Prepared quantity".to_string(), vec![batch.prepared_calculation.clone()])];
    for l in &batch.lines {
        let mut steps = l.calculation.clone();
        if !(l.qs && batch.qs.to.is_some()) {
            if let Some(mg) = l.weigh_rounded {
                steps.push(format!("rounded to {}: {}", mass_exact(batch.readability), mass_rounded(mg)));
            }
            if let Some(ml) = l.measure_rounded {
                steps.push(format!("rounded to {}: {}", volume_exact(VOLUME_STEP_ML), volume_rounded(ml)));
            }
        }
        items.push((format!("{} ({})", l.name, l.id), steps));
    }
    if let Some(c) = &batch.doses_calculation {
        items.push(("Doses per container".to_string(), vec![c.clone()]));
    }
    Section { heading: "Calculation trail".to_string(), blocks: vec![Block::Trail(items)] }
}

fn rounding(batch: &Batch) -> Section {
    let default_min = crate::arith::mul(batch.readability, Decimal::from(820)).ok();
    let why = if default_min == Some(batch.min_weight) {
        "USP <41>: 820 × readability"
    } else {
        "set for this batch"
    };
    let text = format!(
        "Weights rounded half away from zero to the balance readability {}; volumes to {}; minimum weighable quantity {} ({why}).",
        mass_exact(batch.readability),
        volume_exact(VOLUME_STEP_ML),
        mass_exact(batch.min_weight),
    );
    Section { heading: "Rounding".to_string(), blocks: vec![Block::Text(text)] }
}

fn warnings(batch: &Batch) -> Section {
    let items = batch
        .warnings
        .iter()
        .map(|w| {
            let mut m = w.message.clone();
            if w.aliquot.is_some() {
                let _ = write!(
                    m,
                    "\nAliquot record: weighed {BLANK}  made up to {BLANK}  taken {BLANK}  initials {BLANK}"
                );
            }
            m
        })
        .collect();
    Section { heading: "Warnings".to_string(), blocks: vec![Block::Numbered(items)] }
}

fn yield_section(formula: &Formula, batch: &Batch) -> Section {
    let f = vec![
        (
            "Theoretical yield".to_string(),
            format!("{} (prepared quantity)", batch_size(formula, batch.prepared)),
        ),
        ("Actual yield".to_string(), BLANK.to_string()),
        ("% yield".to_string(), format!("{BLANK} % (actual ÷ theoretical × 100)")),
        (
            "Acceptable".to_string(),
            "95-105% of theoretical   [ ] within   [ ] outside: investigate and document".to_string(),
        ),
    ];
    Section { heading: "Yield".to_string(), blocks: vec![Block::Fields(f)] }
}

fn accountability(formula: &Formula, batch: &Batch) -> Section {
    let mut blocks = Vec::new();
    for c in &batch.controlled {
        let lot = batch.lines.iter().find(|l| l.id == c.id).and_then(|l| l.lot.clone());
        let mut f = vec![
            ("Substance".to_string(), format!("{} ({})", c.name, c.id)),
            ("Schedule".to_string(), format!("{} ({})", c.schedule.banner(), c.schedule.as_str())),
        ];
        if let Some(s) = batch.strengths.iter().find(|s| s.id == c.id) {
            let (v, unit) = s.concentration;
            f.push((
                "Finished form".to_string(),
                format!("{}, {} ({})", formula.dosage_form, value_readable(v, unit), basis_word(s.basis)),
            ));
        }
        f.push(("Quantity to withdraw".to_string(), mass_rounded(c.withdraw_rounded).to_string()));
        f.push(("Stock lot".to_string(), lot.unwrap_or_else(|| BLANK.to_string())));
        f.push(("Stock before".to_string(), format!("{BLANK} (container weight or perpetual inventory)")));
        f.push(("Stock after".to_string(), BLANK.to_string()));
        f.push(("Withdrawn".to_string(), format!("{BLANK} (stock before − stock after)")));
        for label in ["In product", "QC sample", "Waste / loss"] {
            f.push((label.to_string(), BLANK.to_string()));
        }
        f.push(("Cause of any loss".to_string(), BLANK.to_string()));
        f.push((
            "Reconciled".to_string(),
            "[ ] yes   [ ] no   (withdrawn = in product + QC sample + waste / loss)".to_string(),
        ));
        f.push(("Withdrawn by".to_string(), BLANK.to_string()));
        f.push(("Witness".to_string(), BLANK.to_string()));
        blocks.push(Block::Fields(f));
    }
    Section { heading: "Controlled-substance accountability".to_string(), blocks }
}

fn signatures() -> Section {
    let rows = ["Compounded by", "Verified by (pharmacist)", "Released by"]
        .iter()
        .map(|r| vec![(*r).to_string(), String::new(), String::new(), String::new()])
        .collect();
    Section {
        heading: "Signatures".to_string(),
        blocks: vec![Block::Grid(Grid {
            header: ["Role", "Name / initials", "Signature", "Date / time"]
                .iter()
                .map(|s| (*s).to_string())
                .collect(),
            rows,
            min_widths: vec![0, 18, 18, 18],
            fold: None,
        })],
    }
}

// ---------------------------------------------------------------------------------
// Text layout

/// Greedy word wrap: `first` before the first line, `rest` before the others; a word
/// longer than the width keeps its own line. Explicit newlines start a new line.
pub(crate) fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut prefix = first;
    for para in break_long_words(text).split('\n') {
        let mut line = String::from(prefix);
        let mut empty = true;
        for word in para.split_whitespace() {
            let len = line.chars().count();
            if !empty && len.saturating_add(1).saturating_add(word.chars().count()) > width {
                out.push(line);
                line = String::from(rest);
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(word);
            empty = false;
        }
        out.push(line.trim_end().to_string());
        prefix = rest;
    }
    out
}

fn bold(text: &str, color: bool) -> String {
    if color { format!("\x1b[1m{text}\x1b[0m") } else { text.to_string() }
}

fn new_table(layout: Layout) -> Table {
    let mut t = Table::new();
    t.force_no_tty()
        .load_style(presets::UTF8_FULL)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(layout.width);
    if layout.color {
        t.enforce_styling();
    }
    t
}

/// Words longer than this are broken before they reach comfy-table, whose own word
/// splitting takes time quadratic in the word's length (a 400,000-character name took
/// half a minute). Nothing this long fits a 100-column worksheet anyway.
const LONGEST_WORD: usize = 80;

/// `text` with every word longer than [`LONGEST_WORD`] broken into lines of that length.
pub(crate) fn break_long_words(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.split_whitespace().any(|w| w.chars().count() > LONGEST_WORD) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().saturating_add(text.len() / LONGEST_WORD));
    let mut run = 0usize;
    for c in text.chars() {
        if c.is_whitespace() {
            run = 0;
        } else if run == LONGEST_WORD {
            out.push('\n');
            run = 0;
        }
        if !c.is_whitespace() {
            run = run.saturating_add(1);
        }
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

/// A table cell, with over-long words broken.
pub(crate) fn cell(text: &str) -> Cell {
    Cell::new(break_long_words(text))
}

fn head_cell(text: &str, color: bool) -> Cell {
    let c = cell(text);
    if color { c.add_attribute(Attribute::Bold) } else { c }
}

fn fields_table(fields: &[(String, String)], layout: Layout) -> Table {
    let mut t = new_table(layout);
    for (k, v) in fields {
        t.add_row(vec![head_cell(k, layout.color), cell(v)]);
    }
    t
}

/// Below this width, a grid's `fold` column is folded into the column before it.
const FOLD_BELOW: u16 = 120;

/// Folds column `at` into column `at - 1` (header `A / b`, cell `a` + newline + `b: cell`).
fn fold_row(row: &[String], at: usize, name: &str, header: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(row.len());
    for (i, cell) in row.iter().enumerate() {
        if i == at
            && let Some(prev) = out.last_mut()
        {
            if header {
                let _ = write!(prev, " / {name}");
            } else if !cell.is_empty() {
                let _ = write!(prev, "\n{name}: {cell}");
            }
            continue;
        }
        out.push(cell.clone());
    }
    out
}

fn grid_table(g: &Grid, layout: Layout) -> Table {
    let fold = g.fold.filter(|_| layout.width < FOLD_BELOW);
    let name = fold.and_then(|at| g.header.get(at)).map(|h| h.to_lowercase()).unwrap_or_default();
    let shape = |row: &[String], header: bool| match fold {
        Some(at) => fold_row(row, at, &name, header),
        None => row.to_vec(),
    };
    let mut t = new_table(layout);
    t.set_header(shape(&g.header, true).iter().map(|h| head_cell(h, layout.color)).collect::<Vec<_>>());
    for r in &g.rows {
        t.add_row(shape(r, false).iter().map(|c| cell(c)).collect::<Vec<_>>());
    }
    let mins: Vec<u16> = match fold {
        Some(at) => g.min_widths.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, m)| *m).collect(),
        None => g.min_widths.clone(),
    };
    // Minimum widths only where they leave the other columns room (borders and padding
    // take 3 per column; give each unconstrained column at least 12).
    let need = mins.iter().fold(1u32, |acc, m| {
        let m = u32::from(*m);
        acc.saturating_add(3).saturating_add(if m > 0 { m } else { 12 })
    });
    let fits = need <= u32::from(layout.width);
    for (col, min) in t.column_iter_mut().zip(mins.iter()) {
        if fits && *min > 0 {
            col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(*min)));
        }
    }
    t
}

fn push_lines(out: &mut String, lines: Vec<String>) {
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
}

/// Lays out a [`Sheet`] as text (`explain` is not used: the sheet holds what to show).
pub(crate) fn layout_text(sheet: &Sheet, layout: Layout) -> String {
    let width = usize::from(layout.width.max(40));
    let mut out = String::new();
    let title = format!("{}: {}", sheet.kind.to_uppercase(), sheet.title);
    for line in wrap(&title, width, "", "  ") {
        let _ = writeln!(out, "{}", bold(&line, layout.color));
    }
    if let Some(b) = &sheet.banner {
        let _ = writeln!(out, "{}", bold(&format!("*** {b} ***"), layout.color));
    }
    for s in &sheet.sections {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", bold(&format!("== {} ==", s.heading.to_uppercase()), layout.color));
        for (i, b) in s.blocks.iter().enumerate() {
            if i > 0 {
                let _ = writeln!(out);
            }
            match b {
                Block::Fields(f) => {
                    let _ = writeln!(out, "{}", fields_table(f, layout));
                }
                Block::Grid(g) => {
                    let _ = writeln!(out, "{}", grid_table(g, layout));
                }
                Block::Text(t) => push_lines(&mut out, wrap(t, width, "", "")),
                Block::Numbered(items) => {
                    let digits = items.len().to_string().len();
                    for (n, item) in items.iter().enumerate() {
                        let first = format!("{:>digits$}. ", n.saturating_add(1));
                        let rest = " ".repeat(first.chars().count());
                        push_lines(&mut out, wrap(item, width, &first, &rest));
                    }
                }
                Block::Checklist { items, result } => {
                    for (n, item) in items.iter().enumerate() {
                        let first = format!("[ ] {:>2}. ", n.saturating_add(1));
                        let rest = " ".repeat(first.chars().count());
                        push_lines(&mut out, wrap(item, width, &first, &rest));
                        if *result {
                            let _ = writeln!(out, "{rest}Result: {BLANK}{BLANK}   Initials: {BLANK}");
                        }
                    }
                }
                Block::Trail(items) => {
                    for (title, steps) in items {
                        push_lines(&mut out, wrap(title, width, "", ""));
                        for step in steps {
                            push_lines(&mut out, wrap(step, width, "    ", "      "));
                        }
                    }
                }
            }
        }
    }
    out
}

/// Renders the worksheet.
pub fn render(formula: &Formula, source: &Source, batch: &Batch, layout: Layout) -> String {
    layout_text(&build(formula, source, batch, layout.explain), layout)
}

#[cfg(test)]
pub(crate) mod tests {
    #[test]
    fn long_words_are_broken_before_layout() {
        assert_eq!(break_long_words("short words stay"), "short words stay");
        let long = "k".repeat(200);
        let broken = break_long_words(&long);
        assert_eq!(broken.lines().map(str::len).collect::<Vec<_>>(), vec![80, 80, 40]);
        assert_eq!(broken.replace('\n', ""), long);
    }

    use super::*;

    pub(crate) fn load(name: &str) -> Formula {
        let path = format!("{}/formulas/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        crate::formula::load_str(&text).formula.unwrap()
    }

    pub(crate) fn source(name: &str) -> Source {
        Source {
            path: format!("formulas/{name}.toml"),
            sha256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".into(),
        }
    }

    pub(crate) fn options() -> crate::calc::Options {
        crate::calc::Options::new("2026-11-26".parse().unwrap())
    }

    pub(crate) fn batch(f: &Formula) -> Batch {
        crate::calc::compute(f, &options()).unwrap()
    }

    fn render_default(name: &str, explain: bool) -> String {
        let f = load(name);
        let b = batch(&f);
        render(&f, &source(name), &b, Layout { explain, width: 100, color: false })
    }

    #[test]
    fn troche() {
        insta::assert_snapshot!(render_default("ketamine-hcl-troche-50", true), @r"
            COMPOUNDING WORKSHEET: Ketamine HCl 50 mg Troche
            *** C-III CONTROLLED SUBSTANCE ***

            == PREPARATION ==
            ┌────────────────────┬─────────────────────────────────────────────────────────────────────────────┐
            │ Preparation        ┆ Ketamine HCl 50 mg Troche                                                   │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ MFR                ┆ ketamine-hcl-troche-50, revision 1 (file sha256 0123456789ab)               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Dosage form        ┆ troche                                                                      │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Route              ┆ buccal                                                                      │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Schedule           ┆ C-III controlled substance (CIII)                                           │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Compounding date   ┆ 2026-11-26    time: ________                                                │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Batch id           ┆ ________                                                                    │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Quantity requested ┆ 30 units                                                                    │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Quantity prepared  ┆ 32 units                                                                    │
            │                    ┆ 30 units + 2 units overage = 32 units                                       │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Beyond-use date    ┆ 2027-05-25 (180 days after compounding)                                     │
            │                    ┆ rule: USP <795> other nonaqueous (180 days)                                 │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Storage            ┆ Controlled room temperature (20-25 °C)                                      │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Container          ┆ 30-cavity troche mold with snap-on lid, dispensed in a light-resistant,     │
            │                    ┆ child-resistant resealable pouch                                            │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Description        ┆ Firm, smooth, off-white, uniform troches of about 1.03 g, flavoured, free   │
            │                    ┆ of cracks, air bubbles or settled powder                                    │
            └────────────────────┴─────────────────────────────────────────────────────────────────────────────┘

            == INGREDIENTS ==
            ┌───────────────────────┬────────────┬─────────────────┬──────────┬──────────┬──────────┬──────────┐
            │ Ingredient / role     ┆ Required   ┆ Weigh / measure ┆ Lot      ┆ Expiry   ┆ Actual   ┆ Initials │
            ╞═══════════════════════╪════════════╪═════════════════╪══════════╪══════════╪══════════╪══════════╡
            │ Ketamine              ┆ 1.6 g      ┆ 1.6000 g        ┆          ┆          ┆          ┆          │
            │ Hydrochloride USP     ┆            ┆                 ┆          ┆          ┆          ┆          │
            │ (ketamine-hcl)        ┆            ┆                 ┆          ┆          ┆          ┆          │
            │ role: active          ┆            ┆                 ┆          ┆          ┆          ┆          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┤
            │ Acacia NF, powder     ┆ ≈ 533.3 mg ┆ 533.3 mg        ┆          ┆          ┆          ┆          │
            │ (acacia)              ┆            ┆                 ┆          ┆          ┆          ┆          │
            │ role: excipient       ┆            ┆                 ┆          ┆          ┆          ┆          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┤
            │ Silica gel,           ┆ 320 mg     ┆ 320.0 mg        ┆          ┆          ┆          ┆          │
            │ micronized            ┆            ┆                 ┆          ┆          ┆          ┆          │
            │ (silica-gel)          ┆            ┆                 ┆          ┆          ┆          ┆          │
            │ role: excipient       ┆            ┆                 ┆          ┆          ┆          ┆          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┤
            │ Aspartame NF          ┆ ≈ 266.7 mg ┆ 266.7 mg        ┆          ┆          ┆          ┆          │
            │ (aspartame)           ┆            ┆                 ┆          ┆          ┆          ┆          │
            │ role: sweetener       ┆            ┆                 ┆          ┆          ┆          ┆          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┤
            │ Raspberry flavor,     ┆ 320 mg     ┆ 320.0 mg        ┆          ┆          ┆          ┆          │
            │ powder                ┆            ┆                 ┆          ┆          ┆          ┆          │
            │ (flavor-raspberry)    ┆            ┆                 ┆          ┆          ┆          ┆          │
            │ role: flavor          ┆            ┆                 ┆          ┆          ┆          ┆          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┤
            │ Polyethylene Glycol   ┆ qs         ┆ 29.7760 g       ┆          ┆          ┆          ┆          │
            │ 1450 NF (troche base) ┆            ┆ (qs)            ┆          ┆          ┆          ┆          │
            │ (peg-1450)            ┆            ┆                 ┆          ┆          ┆          ┆          │
            │ role: base            ┆            ┆                 ┆          ┆          ┆          ┆          │
            └───────────────────────┴────────────┴─────────────────┴──────────┴──────────┴──────────┴──────────┘

            == STRENGTHS ==
            ┌───────────────────────────────────────────┬────────────────────────────────────────────┐
            │ Ketamine Hydrochloride USP (ketamine-hcl) ┆ 50 mg/unit (salt) = 43.35 mg/unit (base)   │
            │                                           ┆ per troche: 50 mg (salt) = 43.35 mg (base) │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Theoretical unit weight                   ┆ 1.0255 g                                   │
            └───────────────────────────────────────────┴────────────────────────────────────────────┘

            == CALCULATION TRAIL ==
            Prepared quantity
                30 units + 2 units overage = 32 units
            Ketamine Hydrochloride USP (ketamine-hcl)
                50 mg/unit × 32 units = 1.6 g
                rounded to 0.1 mg: 1.6000 g
            Acacia NF, powder (acacia)
                0.5 g × 32 units ÷ 30 units (reference batch) = ≈533.333333 mg
                rounded to 0.1 mg: 533.3 mg
            Silica gel, micronized (silica-gel)
                0.3 g × 32 units ÷ 30 units (reference batch) = 320 mg
                rounded to 0.1 mg: 320.0 mg
            Aspartame NF (aspartame)
                0.25 g × 32 units ÷ 30 units (reference batch) = ≈266.666667 mg
                rounded to 0.1 mg: 266.7 mg
            Raspberry flavor, powder (flavor-raspberry)
                0.3 g × 32 units ÷ 30 units (reference batch) = 320 mg
                rounded to 0.1 mg: 320.0 mg
            Polyethylene Glycol 1450 NF (troche base) (peg-1450)
                32 units × 1 g (blank) = 32 g
                − displacement (1.6 g × 0.7 + ≈533.333333 mg × 0.7 + 320 mg × 1 + ≈266.666667 mg × 0.7 + 320 mg
                  × 0.7) = − 2.224 g
                = 29.776 g base
                unit weight (29.776 g + 3.04 g) ÷ 32 = 1.0255 g
                rounded to 0.1 mg: 29.7760 g

            == ROUNDING ==
            Weights rounded half away from zero to the balance readability 0.1 mg; volumes to 0.01 mL; minimum
            weighable quantity 82 mg (USP <41>: 820 × readability).

            == PROCEDURE ==
            [ ]  1. Verify the MFR revision and the worksheet calculations; confirm the prescription strength is
                    ketamine HCl (salt) 50 mg per troche.
            [ ]  2. Clean the compounding area; don gloves and mask. Calibrate the analytical balance
                    (readability 0.1 mg) and verify with a check weight.
            [ ]  3. C-III: withdraw ketamine HCl from controlled-substance stock with a second person verifying;
                    record the stock container weight (or perpetual inventory) before and after.
            [ ]  4. Weigh the ketamine HCl, acacia, silica gel, aspartame and raspberry flavor. Triturate
                    together in a mortar and pass through a 40-mesh sieve.
            [ ]  5. Weigh the PEG 1450 into a beaker and melt on a water bath or hot plate at about 50-55 °C (do
                    not overheat).
            [ ]  6. Add the sieved powders to the melted base gradually with constant stirring until uniformly
                    dispersed.
            [ ]  7. Remove from the heat and keep stirring as the melt cools; pour into the 30-cavity mold (plus
                    the 2 overage cavities, or a separate mold) when very slightly warm, stirring between
                    cavities so the powder does not settle. Fill each cavity completely.
            [ ]  8. Allow to solidify at room temperature (about 30 minutes); trim any excess flush with the
                    mold surface. Discard the 2 overage troches as documented C-III waste, with a witness.
            [ ]  9. Weigh 10 troches individually for the weight check, cap the mold, label, complete the C-III
                    accountability block (withdrawn = in product + QC + waste), and submit for pharmacist
                    verification.

            == QUALITY CONTROL ==
            [ ]  1. Appearance: firm, smooth, uniform colour; no cracks, air bubbles or powder settled at the
                    bottom
                    Result: ________________   Initials: ________
            [ ]  2. Theoretical unit weight: 1.0255 g for the reference batch (printed on the worksheet for
                    other quantities)
                    Result: ________________   Initials: ________
            [ ]  3. Weight check: weigh 10 troches individually; mean within ±5% and each within ±10% of the
                    theoretical unit weight
                    Result: ________________   Initials: ________
            [ ]  4. Count: 30 troches dispensed; 2 overage troches recorded as C-III waste
                    Result: ________________   Initials: ________
            [ ]  5. Yield: 95% to 105% of theoretical
                    Result: ________________   Initials: ________

            == YIELD ==
            ┌───────────────────┬─────────────────────────────────────────────────────────────────────────────┐
            │ Theoretical yield ┆ 32 units (prepared quantity)                                                │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Actual yield      ┆ ________                                                                    │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ % yield           ┆ ________ % (actual ÷ theoretical × 100)                                     │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Acceptable        ┆ 95-105% of theoretical   [ ] within   [ ] outside: investigate and document │
            └───────────────────┴─────────────────────────────────────────────────────────────────────────────┘

            == CONTROLLED-SUBSTANCE ACCOUNTABILITY ==
            ┌──────────────────────┬────────────────────────────────────────────────────────────────────────┐
            │ Substance            ┆ Ketamine Hydrochloride USP (ketamine-hcl)                              │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Schedule             ┆ C-III (CIII)                                                           │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Finished form        ┆ troche, 50 mg/unit (salt)                                              │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Quantity to withdraw ┆ 1.6000 g                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Stock lot            ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Stock before         ┆ ________ (container weight or perpetual inventory)                     │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Stock after          ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Withdrawn            ┆ ________ (stock before − stock after)                                  │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ In product           ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ QC sample            ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Waste / loss         ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Cause of any loss    ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Reconciled           ┆ [ ] yes   [ ] no   (withdrawn = in product + QC sample + waste / loss) │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Withdrawn by         ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Witness              ┆ ________                                                               │
            └──────────────────────┴────────────────────────────────────────────────────────────────────────┘

            == SIGNATURES ==
            ┌──────────────────────────┬──────────────────┬──────────────────┬──────────────────┐
            │ Role                     ┆ Name / initials  ┆ Signature        ┆ Date / time      │
            ╞══════════════════════════╪══════════════════╪══════════════════╪══════════════════╡
            │ Compounded by            ┆                  ┆                  ┆                  │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Verified by (pharmacist) ┆                  ┆                  ┆                  │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Released by              ┆                  ┆                  ┆                  │
            └──────────────────────────┴──────────────────┴──────────────────┴──────────────────┘
            ");
    }

    #[test]
    fn nasal_spray() {
        insta::assert_snapshot!(render_default("ketamine-hcl-nasal-spray-100", true), @r"
            COMPOUNDING WORKSHEET: Ketamine HCl 100 mg/mL Nasal Spray
            *** C-III CONTROLLED SUBSTANCE ***

            == PREPARATION ==
            ┌────────────────────┬─────────────────────────────────────────────────────────────────────────────┐
            │ Preparation        ┆ Ketamine HCl 100 mg/mL Nasal Spray                                          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ MFR                ┆ ketamine-hcl-nasal-spray-100, revision 1 (file sha256 0123456789ab)         │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Dosage form        ┆ nasal-spray                                                                 │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Route              ┆ nasal                                                                       │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Schedule           ┆ C-III controlled substance (CIII)                                           │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Compounding date   ┆ 2026-11-26    time: ________                                                │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Batch id           ┆ ________                                                                    │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Quantity requested ┆ 10 mL                                                                       │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Quantity prepared  ┆ 10.5 mL                                                                     │
            │                    ┆ 10 mL × (100% + 5%) = 10.5 mL                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Beyond-use date    ┆ 2026-12-31 (35 days after compounding)                                      │
            │                    ┆ rule: USP <795> aqueous, preserved (35 days)                                │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Storage            ┆ Refrigerate (2-8 °C)                                                        │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Container          ┆ 15 mL amber glass bottle fitted with a 0.1 mL metered-dose nasal spray pump │
            │                    ┆ and dust cap; fill 10 mL                                                    │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Description        ┆ Clear, colourless aqueous solution, free of visible particles, in a metered │
            │                    ┆ nasal spray bottle                                                          │
            └────────────────────┴─────────────────────────────────────────────────────────────────────────────┘

            == INGREDIENTS ==
            ┌─────────────────────────┬──────────┬─────────────────┬──────────┬──────────┬──────────┬──────────┐
            │ Ingredient / role       ┆ Required ┆ Weigh / measure ┆ Lot      ┆ Expiry   ┆ Actual   ┆ Initials │
            ╞═════════════════════════╪══════════╪═════════════════╪══════════╪══════════╪══════════╪══════════╡
            │ Ketamine Hydrochloride  ┆ 1.05 g   ┆ 1.0500 g        ┆          ┆          ┆          ┆          │
            │ USP                     ┆          ┆                 ┆          ┆          ┆          ┆          │
            │ (ketamine-hcl)          ┆          ┆                 ┆          ┆          ┆          ┆          │
            │ role: active            ┆          ┆                 ┆          ┆          ┆          ┆          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┤
            │ Benzalkonium Chloride   ┆ 1.05 mg  ┆ 2.1 mg          ┆          ┆          ┆          ┆          │
            │ Solution 50% NF         ┆          ┆ by aliquot: see ┆          ┆          ┆          ┆          │
            │ (benzalkonium-chloride- ┆          ┆ Warnings        ┆          ┆          ┆          ┆          │
            │ 50)                     ┆          ┆                 ┆          ┆          ┆          ┆          │
            │ role: preservative      ┆          ┆                 ┆          ┆          ┆          ┆          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┤
            │ Sodium Chloride 0.9%    ┆ qs       ┆ qs to 10.5 mL   ┆          ┆          ┆          ┆          │
            │ Irrigation USP          ┆          ┆                 ┆          ┆          ┆          ┆          │
            │ (sterile)               ┆          ┆                 ┆          ┆          ┆          ┆          │
            │ (sodium-chloride-0.9)   ┆          ┆                 ┆          ┆          ┆          ┆          │
            │ role: vehicle           ┆          ┆                 ┆          ┆          ┆          ┆          │
            └─────────────────────────┴──────────┴─────────────────┴──────────┴──────────┴──────────┴──────────┘

            == STRENGTHS ==
            ┌───────────────────────────────────────────┬──────────────────────────────────────────────────────┐
            │ Ketamine Hydrochloride USP (ketamine-hcl) ┆ 100 mg/mL (salt) = 86.7 mg/mL (base)                 │
            │                                           ┆ per spray: 10 mg (salt) = 8.67 mg (base)             │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Doses per container                       ┆ 91 sprays in 10 mL                                   │
            │                                           ┆ (10 mL − 0.3 mL residual) ÷ 0.1 mL − 6 priming = 91  │
            │                                           ┆ sprays                                               │
            └───────────────────────────────────────────┴──────────────────────────────────────────────────────┘

            == CALCULATION TRAIL ==
            Prepared quantity
                10 mL × (100% + 5%) = 10.5 mL
            Ketamine Hydrochloride USP (ketamine-hcl)
                100 mg/mL × 10.5 mL = 1.05 g
                rounded to 0.1 mg: 1.0500 g
            Benzalkonium Chloride Solution 50% NF (benzalkonium-chloride-50)
                0.01 %w/v × 10.5 mL = 1.05 mg
                ÷ 50% (purity) = 2.1 mg
                rounded to 0.1 mg: 2.1 mg
            Sodium Chloride 0.9% Irrigation USP (sterile) (sodium-chloride-0.9)
                qs to 10.5 mL
            Doses per container
                (10 mL − 0.3 mL residual) ÷ 0.1 mL − 6 priming = 91 sprays

            == ROUNDING ==
            Weights rounded half away from zero to the balance readability 0.1 mg; volumes to 0.01 mL; minimum
            weighable quantity 82 mg (USP <41>: 820 × readability).

            == WARNINGS ==
            1. `benzalkonium-chloride-50`: 2.1 mg is below the balance's minimum weight of 82 mg; weigh 84 mg
               (2.1 mg × 40), make up to 3.28 g with Sodium Chloride 0.9% Irrigation USP (sterile), mix well,
               and take 82 mg, which holds 2.1 mg
               Aliquot record: weighed ________ made up to ________ taken ________ initials ________

            == PROCEDURE ==
            [ ]  1. Verify the MFR revision and the worksheet calculations; confirm the prescription strength is
                    ketamine HCl (salt) 100 mg/mL, not base.
            [ ]  2. Clean the compounding area; don gloves and mask. Calibrate the analytical balance
                    (readability 0.1 mg) and verify with a check weight.
            [ ]  3. C-III: withdraw ketamine HCl from controlled-substance stock with a second person verifying;
                    record the stock container weight (or perpetual inventory) before and after.
            [ ]  4. Weigh the ketamine HCl on a weighing boat and record the balance readout.
            [ ]  5. Benzalkonium chloride 50%: the amount for one bottle is far below the balance minimum
                    weight; follow the aliquot plan printed on the worksheet (weigh the multiplied amount,
                    dilute with sodium chloride 0.9%, and take the stated aliquot). Record the dilution.
            [ ]  6. Place about 7 mL (about 70% of the prepared volume) of sodium chloride 0.9% in a beaker with
                    a small stir bar. Add the ketamine HCl and stir until completely dissolved (freely soluble;
                    the solution must be clear).
            [ ]  7. Add the benzalkonium chloride aliquot and stir to mix.
            [ ]  8. Transfer to a calibrated graduated cylinder (or volumetric flask), rinse the beaker with
                    small portions of sodium chloride 0.9%, adding the rinses, and make up (q.s.) to the
                    prepared volume with sodium chloride 0.9%. Mix well.
            [ ]  9. Measure the pH (target 3.5 to 5.5). Do not adjust with alkali: ketamine precipitates as the
                    free base at high pH.
            [ ] 10. Inspect against black and white backgrounds for particles. Measure 10 mL into the clean
                    amber bottle with a calibrated syringe and fit the metered pump and dust cap. (Do not filter
                    after adding benzalkonium chloride: it adsorbs to filter membranes.)
            [ ] 11. Prime the pump (6 actuations to waste) and calibrate: weigh the bottle, deliver 10 sprays
                    into a tared bag, re-weigh; mass lost / 10 = mass per spray (SG about 1). Record the
                    calibrated volume per spray.
            [ ] 12. Label, complete the C-III accountability block (withdrawn = in product + QC + waste), and
                    submit for pharmacist verification.

            == QUALITY CONTROL ==
            [ ]  1. Appearance: clear, colourless solution, free of visible particles
                    Result: ________________   Initials: ________
            [ ]  2. pH 3.5 to 5.5 (BP Ketamine Nasal Spray monograph range)
                    Result: ________________   Initials: ________
            [ ]  3. Fill volume: 10 mL per bottle (by weight, SG about 1)
                    Result: ________________   Initials: ________
            [ ]  4. Spray calibration: mean delivered volume 0.1 mL per actuation within ±10% after 6 priming
                    actuations (10 sprays weighed)
                    Result: ________________   Initials: ________
            [ ]  5. Calibrated strength per spray recorded (10 mg ketamine HCl nominal)
                    Result: ________________   Initials: ________
            [ ]  6. Yield: 95% to 105% of theoretical
                    Result: ________________   Initials: ________

            == YIELD ==
            ┌───────────────────┬─────────────────────────────────────────────────────────────────────────────┐
            │ Theoretical yield ┆ 10.5 mL (prepared quantity)                                                 │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Actual yield      ┆ ________                                                                    │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ % yield           ┆ ________ % (actual ÷ theoretical × 100)                                     │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Acceptable        ┆ 95-105% of theoretical   [ ] within   [ ] outside: investigate and document │
            └───────────────────┴─────────────────────────────────────────────────────────────────────────────┘

            == CONTROLLED-SUBSTANCE ACCOUNTABILITY ==
            ┌──────────────────────┬────────────────────────────────────────────────────────────────────────┐
            │ Substance            ┆ Ketamine Hydrochloride USP (ketamine-hcl)                              │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Schedule             ┆ C-III (CIII)                                                           │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Finished form        ┆ nasal-spray, 100 mg/mL (salt)                                          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Quantity to withdraw ┆ 1.0500 g                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Stock lot            ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Stock before         ┆ ________ (container weight or perpetual inventory)                     │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Stock after          ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Withdrawn            ┆ ________ (stock before − stock after)                                  │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ In product           ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ QC sample            ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Waste / loss         ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Cause of any loss    ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Reconciled           ┆ [ ] yes   [ ] no   (withdrawn = in product + QC sample + waste / loss) │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Withdrawn by         ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Witness              ┆ ________                                                               │
            └──────────────────────┴────────────────────────────────────────────────────────────────────────┘

            == SIGNATURES ==
            ┌──────────────────────────┬──────────────────┬──────────────────┬──────────────────┐
            │ Role                     ┆ Name / initials  ┆ Signature        ┆ Date / time      │
            ╞══════════════════════════╪══════════════════╪══════════════════╪══════════════════╡
            │ Compounded by            ┆                  ┆                  ┆                  │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Verified by (pharmacist) ┆                  ┆                  ┆                  │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Released by              ┆                  ┆                  ┆                  │
            └──────────────────────────┴──────────────────┴──────────────────┴──────────────────┘
            ");
    }

    fn all_formulas() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/formulas");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// The lines of one `== HEADING ==` section.
    fn section(text: &str, heading: &str) -> String {
        let start = format!("== {heading} ==");
        text.split("\n\n")
            .skip_while(|chunk| !chunk.starts_with(&start))
            .take_while(|chunk| chunk.starts_with(&start) || !chunk.starts_with("=="))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    #[test]
    fn every_formula_fits_and_shows_every_trail() {
        for name in all_formulas() {
            let f = load(&name);
            let b = batch(&f);
            for width in [60u16, 80, 100, 140] {
                let text = render(&f, &source(&name), &b, Layout { explain: true, width, color: false });
                for line in text.lines() {
                    assert!(line.chars().count() <= usize::from(width), "{name} at {width}: {line}");
                }
                assert!(!text.contains('\x1b'), "{name}: ANSI escape without color");
                for heading in ["INGREDIENTS", "ROUNDING", "PROCEDURE", "YIELD", "SIGNATURES"] {
                    assert!(text.contains(&format!("== {heading} ==")), "{name}: {heading}");
                }
            }
            let md = crate::report::markdown::render(&f, &source(&name), &b, true);
            for line in &b.lines {
                assert!(!line.calculation.is_empty(), "{name}: {} has no trail", line.id);
                for step in &line.calculation {
                    assert!(md.contains(step.as_str()), "{name}: trail step `{step}` missing");
                }
            }
            let plain = render(&f, &source(&name), &b, Layout { explain: false, width: 100, color: false });
            assert!(!plain.contains("CALCULATION TRAIL"), "{name}");
        }
    }

    #[test]
    fn lots_expiry_batch_id_and_limited_bud() {
        let name = "ketamine-gabapentin-baclofen-cream";
        let f = load(name);
        let mut o = options();
        o.batch_id = Some("B-2026-0042".into());
        o.lot_mut("ketamine-hcl").lot = Some("K2291".into());
        o.lot_mut("ketamine-hcl").expiry = Some("2026-12-15".parse().unwrap());
        let b = crate::calc::compute(&f, &o).unwrap();
        let text = render(&f, &source(name), &b, Layout { explain: false, width: 100, color: false });
        insta::assert_snapshot!(section(&text, "PREPARATION"), @r"
            == PREPARATION ==
            ┌────────────────────┬─────────────────────────────────────────────────────────────────────────────┐
            │ Preparation        ┆ Ketamine HCl 10% / Gabapentin 6% / Baclofen 2% Cream                        │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ MFR                ┆ ketamine-gabapentin-baclofen-cream, revision 1 (file sha256 0123456789ab)   │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Dosage form        ┆ cream                                                                       │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Route              ┆ topical                                                                     │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Schedule           ┆ C-III controlled substance (CIII)                                           │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Compounding date   ┆ 2026-11-26    time: ________                                                │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Batch id           ┆ B-2026-0042                                                                 │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Quantity requested ┆ 105 g                                                                       │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Quantity prepared  ┆ 105 g (no overage)                                                          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Beyond-use date    ┆ 2026-12-15 (19 days after compounding)                                      │
            │                    ┆ limited by the expiry of ketamine-hcl                                       │
            │                    ┆ rule: USP <795> aqueous, preserved (35 days)                                │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Storage            ┆ Controlled room temperature (20-25 °C)                                      │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Container          ┆ Topi-CLICK metered-dose dispenser(s), 0.25 mL per click (4 clicks = 1 mL),  │
            │                    ┆ total fill 100 g; or an opaque ointment jar                                 │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Description        ┆ Smooth, white to off-white, homogeneous cream, free of grit or lumps        │
            └────────────────────┴─────────────────────────────────────────────────────────────────────────────┘
            ");
        insta::assert_snapshot!(section(&text, "INGREDIENTS"), @r"
            == INGREDIENTS ==
            ┌─────────────────────┬──────────┬───────────────────┬──────────┬────────────┬──────────┬──────────┐
            │ Ingredient / role   ┆ Required ┆ Weigh / measure   ┆ Lot      ┆ Expiry     ┆ Actual   ┆ Initials │
            ╞═════════════════════╪══════════╪═══════════════════╪══════════╪════════════╪══════════╪══════════╡
            │ Ketamine            ┆ 10.5 g   ┆ 10.5000 g         ┆ K2291    ┆ 2026-12-15 ┆          ┆          │
            │ Hydrochloride USP   ┆          ┆                   ┆          ┆            ┆          ┆          │
            │ (ketamine-hcl)      ┆          ┆                   ┆          ┆            ┆          ┆          │
            │ role: active        ┆          ┆                   ┆          ┆            ┆          ┆          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┤
            │ Gabapentin USP      ┆ 6.3 g    ┆ 6.3000 g          ┆          ┆            ┆          ┆          │
            │ (gabapentin)        ┆          ┆                   ┆          ┆            ┆          ┆          │
            │ role: active        ┆          ┆                   ┆          ┆            ┆          ┆          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┤
            │ Baclofen USP        ┆ 2.1 g    ┆ 2.1000 g          ┆          ┆            ┆          ┆          │
            │ (baclofen)          ┆          ┆                   ┆          ┆            ┆          ┆          │
            │ role: active        ┆          ┆                   ┆          ┆            ┆          ┆          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┤
            │ Ethoxydiglycol      ┆ 4 mL     ┆ 4.00 mL           ┆          ┆            ┆          ┆          │
            │ (diethylene glycol  ┆          ┆ (weighs 3.9520 g) ┆          ┆            ┆          ┆          │
            │ monoethyl ether,    ┆          ┆                   ┆          ┆            ┆          ┆          │
            │ Transcutol)         ┆          ┆                   ┆          ┆            ┆          ┆          │
            │ (ethoxydiglycol)    ┆          ┆                   ┆          ┆            ┆          ┆          │
            │ role: levigant      ┆          ┆                   ┆          ┆            ┆          ┆          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┤
            │ Transdermal cream   ┆ qs       ┆ 82.1480 g         ┆          ┆            ┆          ┆          │
            │ base (e.g. PCCA     ┆          ┆ (qs)              ┆          ┆            ┆          ┆          │
            │ Lipoderm)           ┆          ┆                   ┆          ┆            ┆          ┆          │
            │ (cream-base)        ┆          ┆                   ┆          ┆            ┆          ┆          │
            │ role: base          ┆          ┆                   ┆          ┆            ┆          ┆          │
            └─────────────────────┴──────────┴───────────────────┴──────────┴────────────┴──────────┴──────────┘
            ");
        insta::assert_snapshot!(section(&text, "CONTROLLED-SUBSTANCE ACCOUNTABILITY"), @r"
            == CONTROLLED-SUBSTANCE ACCOUNTABILITY ==
            ┌──────────────────────┬────────────────────────────────────────────────────────────────────────┐
            │ Substance            ┆ Ketamine Hydrochloride USP (ketamine-hcl)                              │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Schedule             ┆ C-III (CIII)                                                           │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Finished form        ┆ cream, 10 %w/w (salt)                                                  │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Quantity to withdraw ┆ 10.5000 g                                                              │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Stock lot            ┆ K2291                                                                  │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Stock before         ┆ ________ (container weight or perpetual inventory)                     │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Stock after          ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Withdrawn            ┆ ________ (stock before − stock after)                                  │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ In product           ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ QC sample            ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Waste / loss         ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Cause of any loss    ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Reconciled           ┆ [ ] yes   [ ] no   (withdrawn = in product + QC sample + waste / loss) │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Withdrawn by         ┆ ________                                                               │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ Witness              ┆ ________                                                               │
            └──────────────────────┴────────────────────────────────────────────────────────────────────────┘
            ");
    }

    #[test]
    fn wide_layout_has_a_role_column_and_color_is_opt_in() {
        let name = "ketamine-hcl-sublingual-drops-50";
        let f = load(name);
        let b = batch(&f);
        let text = render(&f, &source(name), &b, Layout { explain: false, width: 130, color: false });
        insta::assert_snapshot!(section(&text, "INGREDIENTS"), @r"
            == INGREDIENTS ==
            ┌────────────────────────────┬──────────────┬──────────┬──────────────────────────┬──────────┬──────────┬──────────┬──────────┐
            │ Ingredient                 ┆ Role         ┆ Required ┆ Weigh / measure          ┆ Lot      ┆ Expiry   ┆ Actual   ┆ Initials │
            ╞════════════════════════════╪══════════════╪══════════╪══════════════════════════╪══════════╪══════════╪══════════╪══════════╡
            │ Ketamine Hydrochloride USP ┆ active       ┆ 1.5 g    ┆ 1.5000 g                 ┆          ┆          ┆          ┆          │
            │ (ketamine-hcl)             ┆              ┆          ┆                          ┆          ┆          ┆          ┆          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┤
            │ Sodium Benzoate NF         ┆ preservative ┆ 30 mg    ┆ 30.0 mg                  ┆          ┆          ┆          ┆          │
            │ (sodium-benzoate)          ┆              ┆          ┆ by aliquot: see Warnings ┆          ┆          ┆          ┆          │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌┤
            │ Purified Water USP         ┆ vehicle      ┆ qs       ┆ qs to 30 mL              ┆          ┆          ┆          ┆          │
            │ (purified-water)           ┆              ┆          ┆                          ┆          ┆          ┆          ┆          │
            └────────────────────────────┴──────────────┴──────────┴──────────────────────────┴──────────┴──────────┴──────────┴──────────┘
            ");
        let colored = render(&f, &source(name), &b, Layout { explain: false, width: 100, color: true });
        assert!(colored.contains("\x1b[1m== INGREDIENTS ==\x1b[0m"));
        assert!(colored.contains("\x1b[1m*** C-III CONTROLLED SUBSTANCE ***\x1b[0m"));
    }
}
