//! The compounding worksheet as a terminal table (SPEC §6).
//!
//! The worksheet is built once as a [`Sheet`] (sections of fields, tables, lists and
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
    /// The document title.
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

/// A mass for reading: exact when it is a multiple of `step`, else `≈` the value rounded
/// to `step`.
fn approx_mass(mg: Decimal, step: Decimal) -> String {
    match round_to(mg, step) {
        Some(r) if r != mg => format!("≈ {}", mass_rounded(r)),
        _ => mass_exact(mg).to_string(),
    }
}

/// A volume for reading: exact when it is a multiple of 0.01 mL, else `≈` the rounded
/// value.
fn approx_volume(ml: Decimal) -> String {
    match round_to(ml, VOLUME_STEP_ML) {
        Some(r) if r != ml => format!("≈ {}", volume_rounded(r)),
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
    match b {
        StrengthBasis::Salt => "salt",
        StrengthBasis::Base => "base",
    }
}

fn title_case(s: &str) -> String {
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

/// The amount to weigh or measure, rounded, with the action.
fn to_weigh(line: &Line, batch: &Batch) -> String {
    if line.qs {
        if let Some(to) = batch.qs.to {
            return format!("qs to {}", volume_exact(to));
        }
    }
    let mut out = match (line.measure_rounded, line.weigh_rounded) {
        (Some(ml), Some(mg)) => format!("measure {}\n(= {})", volume_rounded(ml), mass_rounded(mg)),
        (Some(ml), None) => format!("measure {}", volume_rounded(ml)),
        (None, Some(mg)) => format!("weigh {}", mass_rounded(mg)),
        (None, None) => "-".to_string(),
    };
    if line.qs {
        out.push_str("\n(qs, remainder)");
    }
    let aliquot = batch
        .warnings
        .iter()
        .any(|w| w.aliquot.is_some() && w.ingredient.as_deref() == Some(line.id.as_str()));
    if aliquot {
        out.push_str("\nby aliquot (see Warnings)");
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
    sections.push(Section {
        heading: "Procedure".to_string(),
        blocks: vec![Block::Checklist { items: formula.steps.clone(), result: false }],
    });
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
    Sheet { title: format!("Compounding worksheet: {}", formula.name), banner, sections }
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
    push(
        "Quantity prepared",
        format!("{}\n({})", batch_size(formula, batch.prepared), batch.prepared_calculation),
    );
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
    let header =
        ["Ingredient", "Role", "Required", "To weigh / measure", "Lot", "Expiry", "Actual", "Initials"];
    Section {
        heading: "Ingredients".to_string(),
        blocks: vec![Block::Grid(Grid {
            header: header.iter().map(|s| (*s).to_string()).collect(),
            rows,
            min_widths: vec![0, 0, 0, 0, 10, 10, 10, 8],
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
        for label in [
            "Stock before (weight or inventory)",
            "Stock after",
            "Quantity withdrawn (before - after)",
            "Quantity in product",
            "QC sample",
            "Waste / loss (cause)",
        ] {
            f.push((label.to_string(), BLANK.to_string()));
        }
        f.push((
            "Reconciled".to_string(),
            "withdrawn = in product + QC sample + waste   [ ] yes   [ ] no".to_string(),
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
    for para in text.split('\n') {
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

fn head_cell(text: &str, color: bool) -> Cell {
    let c = Cell::new(text);
    if color { c.add_attribute(Attribute::Bold) } else { c }
}

fn fields_table(fields: &[(String, String)], layout: Layout) -> Table {
    let mut t = new_table(layout);
    for (k, v) in fields {
        t.add_row(vec![head_cell(k, layout.color), Cell::new(v)]);
    }
    t
}

fn grid_table(g: &Grid, layout: Layout) -> Table {
    let mut t = new_table(layout);
    t.set_header(g.header.iter().map(|h| head_cell(h, layout.color)).collect::<Vec<_>>());
    for r in &g.rows {
        t.add_row(r.iter().map(Cell::new).collect::<Vec<_>>());
    }
    for (col, min) in t.column_iter_mut().zip(g.min_widths.iter()) {
        if *min > 0 {
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

/// Lays out a [`Sheet`] as text.
fn layout_text(sheet: &Sheet, layout: Layout) -> String {
    let width = usize::from(layout.width.max(40));
    let mut out = String::new();
    let _ = writeln!(out, "{}", bold(&sheet.title.to_uppercase(), layout.color));
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
                    for (n, item) in items.iter().enumerate() {
                        let first = format!("{}. ", n.saturating_add(1));
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
        insta::assert_snapshot!(render_default("ketamine-hcl-troche-50", true), @"");
    }

    #[test]
    fn nasal_spray() {
        insta::assert_snapshot!(render_default("ketamine-hcl-nasal-spray-100", true), @"");
    }
}
