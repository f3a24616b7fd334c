//! The compounding worksheet (SPEC §6, §7): what a technician compounds from and a
//! pharmacist signs, as a [`Sheet`] that every layout renders.
//!
//! Every figure and every sentence describes this batch: formula text is filled in with
//! the batch's own figures ([`Figures`]), a custom strength is announced under the title,
//! and a step that still holds a quantity written for the reference batch is marked.
//! Amounts to weigh and measure are the rounded values (SPEC §3.8); the exact values are
//! in the calculation trail (`--explain`) and in the JSON output.

use crate::number::{
    approx_mass, approx_volume, balance, batch_size, mass_exact, mass_readable, mass_rounded, measured,
    readable, value_readable, volume_exact,
};
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::figures::{
    Figures, aliquot_plan, amount_to_take, bud_when, dilution_made, on_syringe, strength_label,
};
use super::sheet::{BLANK, Block, Check, Grid, Section, Sheet, open_vials, schedule_banner, title_case};
use super::text;
use super::{Report, Source};
use crate::calc::{
    AliquotBy, Batch, BatchKind, BudRule, Compounded, Line, MIN_WEIGHT_PER_READABILITY, Period, Strength,
};
use crate::formula::{Formula, Ingredient, Role, Stock, StrengthBasis, Template};
use crate::measure::Measured;

/// The required amount, saying what it is an amount of (SPEC §7.7): `1 g ketamine (as
/// base)`, `1.05 g (as salt)`, `1.05 mg benzalkonium chloride (from a 50% solution)`.
fn required(line: &Line, ing: Option<&Ingredient>, batch: &Batch) -> String {
    if line.qs {
        return "qs".to_string();
    }
    let amount = match line.required {
        Measured::Mass(mg) => approx_mass(mg, batch.readability),
        Measured::Volume(ml) => approx_volume(ml),
    };
    of_what(amount, ing)
}

/// An amount, and what it is an amount of: the basis of an active, the purity of what is
/// weighed, the substance when it is not the ingredient's name.
pub(crate) fn of_what(mut out: String, ing: Option<&Ingredient>) -> String {
    let Some(ing) = ing else { return out };
    let mut of = Vec::new();
    if ing.role == Role::Active
        && let Some(b) = ing.basis
    {
        of.push(format!("as {}", b.as_str()));
    }
    if let Some(p) = ing.purity {
        let what = if ing.density.is_some() { "solution" } else { "pure material" };
        of.push(format!("from a {p} {what}"));
    }
    let named =
        ing.substance.as_ref().filter(|_| ing.purity.is_some() || ing.basis == Some(StrengthBasis::Base));
    if let Some(s) = named {
        let _ = write!(out, " {s}");
    }
    if !of.is_empty() {
        let _ = write!(out, " ({})", of.join(", "));
    }
    out
}

/// The amount to weigh or measure: rounded, with its unit and, for a volume, the syringe
/// it is measured with; `qs to P mL` for the vehicle; the whole aliquot weighing for an
/// ingredient weighed through an aliquot; for a stock, what is drawn (the stock, or its
/// dilution) and the vials to open.
fn to_weigh(line: &Line, ing: Option<&Ingredient>, batch: &Batch, c: &Compounded) -> String {
    if line.qs
        && let Some(to) = c.qs.to
    {
        return format!("qs to {}", volume_exact(to));
    }
    if let Some((n, p)) = aliquot_plan(batch, &line.id) {
        let weigh = balance(p.weigh, batch.readability);
        let take = match p.take {
            Measured::Mass(m) => format!("take {}", balance(m, batch.readability)),
            Measured::Volume(v) => format!("measure {}", measured(v)),
        };
        return format!("by aliquot (warning {}): weigh {weigh}, {take}", n.saturating_add(1));
    }
    let mut out = take(line, ing, false);
    if line.qs {
        out.push_str("\n(qs");
        if let Some(more) = c.qs.in_aliquots {
            let _ = write!(out, "; {} more comes in with the aliquots", approx_mass(more, batch.readability));
        }
        out.push(')');
    }
    out
}

/// What a line says to take: the stock drawn, the volume on its syringe, or the mass.
pub(crate) fn take(line: &Line, ing: Option<&Ingredient>, infusion: bool) -> String {
    if let Some(stock) = ing.and_then(|i| i.stock) {
        return stock_draw(line, &stock, infusion);
    }
    match (line.measure_rounded, line.syringe, line.weigh_rounded) {
        (Some(ml), Some(s), Some(mg)) => {
            format!("{}\n(weighs {})", on_syringe(ml, &s, false), mass_rounded(mg))
        }
        (Some(ml), Some(s), None) => on_syringe(ml, &s, false),
        _ => amount_to_take(line).unwrap_or_else(|| "-".to_string()),
    }
}

/// What is drawn of a stock solution (SPEC §8.1, §12.1, §12.2): `draw 5.2 mL (10 mL
/// syringe, 0.2 mL marks)\nof the 100 mg/mL stock; open 2 vials of 5 mL`, or the portion
/// of its dilution, made in the procedure's dilution step.
fn stock_draw(line: &Line, stock: &Stock, infusion: bool) -> String {
    let vials = match (stock.vial, line.vials) {
        (Some(v), Some(n)) => format!("; {}", open_vials(n, &volume_exact(v).to_string())),
        _ => String::new(),
    };
    let Some(syringe) = line.syringe else { return "-".to_string() };
    match (&line.dilution, line.measure_rounded) {
        (Some(d), _) => format!(
            "draw {}\nof the {} dilution\n(by the dilution step: {}){vials}",
            on_syringe(d.take_rounded, &syringe, infusion),
            d.labelled,
            dilution_made(d, stock)
        ),
        (None, Some(r)) => {
            format!("draw {}\nof the {} stock{vials}", on_syringe(r, &syringe, infusion), stock.strength)
        }
        (None, None) => "-".to_string(),
    }
}

/// `100 mg/mL (salt) = 86.7 mg/mL (base)` and the per-dose line.
fn strength_text(s: &Strength) -> String {
    let (v, unit) = (s.concentration.value, s.concentration.unit);
    let mut out = format!("{} ({})", value_readable(v, unit), s.basis.as_str());
    if let Some(o) = s.other_basis {
        let c = o.concentration;
        let _ = write!(out, " = {} {} ({})", readable(c.value, 2), c.unit, o.basis.as_str());
    }
    if let (Some(per), Some(dose)) = (s.per_dose, &s.dose) {
        let _ = write!(out, "\nper {dose}: {} ({})", mass_readable(per, 2), s.basis.as_str());
        if let Some((b, x)) = s.other_basis.and_then(|o| Some((o.basis, o.per_dose?))) {
            let _ = write!(out, " = {} ({})", mass_readable(x, 2), b.as_str());
        }
    }
    if let Some(m) = &s.mfr {
        let _ = write!(out, "\ncustom strength: this MFR is written for {}", strength_label(&m.label));
    }
    // Measured by volume: what the syringe's rounding makes of it, when that shows at 0.1%.
    if let Some((c, dev)) = s.as_measured
        && crate::number::readable(dev.percent(), 1) != "0"
    {
        let _ = write!(
            out,
            "\nas measured: {} {} ({} from the strength)",
            readable(c.value, 2),
            c.unit,
            crate::number::signed_percent(dev.percent(), 2)
        );
    }
    out
}

/// The banner lines of a custom strength (SPEC §7.3).
pub(crate) fn custom_banners(batch: &Batch) -> impl Iterator<Item = String> + '_ {
    batch.strengths.iter().filter_map(|s| {
        let m = s.mfr.as_ref()?;
        let (label, mfr) = (strength_label(&s.label), strength_label(&m.label));
        Some(format!("CUSTOM STRENGTH: {} {label} (this MFR is written for {mfr})", s.name))
    })
}

/// The mark on a step or check that holds a quantity written for the reference batch,
/// when this batch is another (SPEC §7.2); `written_for` names it (`the reference batch`,
/// `the formula's bag`).
fn reference_mark(t: &Template, batch: &Batch, written_for: &str) -> Option<String> {
    if t.literals.is_empty() || batch.at_reference {
        return None;
    }
    Some(match batch.reference {
        Some(q) => format!("(!) written for {written_for} of {}: check before use", batch_size(q)),
        None => "(!) holds a batch quantity written out: check before use".to_string(),
    })
}

/// Builds the worksheet: a nonsterile batch's, or an infusion's ([`super::infusion::sheet`]).
pub(crate) fn build(r: &Report<'_>) -> Sheet {
    match &r.batch.kind {
        BatchKind::Compounded(c) => compounded(r, c),
        BatchKind::Infusion(i) => super::infusion::sheet(r, i),
    }
}

/// The worksheet of a nonsterile batch.
fn compounded(r: &Report<'_>, c: &Compounded) -> Sheet {
    let Report { formula, source, batch, explain, .. } = *r;
    let figures = Figures::new(formula, batch);
    let banners = schedule_banner(formula).into_iter().chain(custom_banners(batch)).collect();
    let mut sections = vec![
        header(formula, source, batch, c, &figures),
        ingredients(formula, batch, |l, ing| [required(l, ing, batch), to_weigh(l, ing, batch, c)]),
        strengths(batch, c, &figures),
    ];
    if explain {
        sections.push(compounded_trail(batch, c));
    }
    sections.push(weighing(batch, c));
    sections.extend(warnings(batch));
    sections.extend(procedure(formula, batch, &figures, "the reference batch", false));
    sections.extend(quality(formula, batch, &figures, "the reference batch"));
    sections.push(yield_section(c));
    if !batch.controlled.is_empty() {
        sections.push(super::accountability::section(formula, batch, c, &figures));
    }
    sections.extend(closing());
    Sheet { kind: "Compounding worksheet", title: figures.title(), banners, sections }
}

/// The formula's steps, checked off, with the dilution steps of what is measured through a
/// dilution in them (or apart, before them).
pub(crate) fn procedure(
    formula: &Formula,
    batch: &Batch,
    figures: &Figures<'_>,
    written_for: &str,
    infusion: bool,
) -> Vec<Section> {
    let (procedure, apart) = super::dilution::insert(
        &formula.steps,
        checks(&formula.steps, batch, figures, written_for),
        super::dilution::all(formula, batch, infusion),
    );
    let mut sections = Vec::new();
    if !apart.is_empty() {
        sections.push(Section::of("Dilution step", Block::Checklist { items: apart, result: false }));
    }
    if !procedure.is_empty() {
        sections.push(Section::of("Procedure", Block::Checklist { items: procedure, result: false }));
    }
    sections
}

/// The formula's quality checks, with a result to record.
pub(crate) fn quality(
    formula: &Formula,
    batch: &Batch,
    figures: &Figures<'_>,
    written_for: &str,
) -> Option<Section> {
    (!formula.quality.is_empty()).then(|| {
        Section::of(
            "Quality control",
            Block::Checklist { items: checks(&formula.quality, batch, figures, written_for), result: true },
        )
    })
}

fn checks(items: &[Template], batch: &Batch, figures: &Figures<'_>, written_for: &str) -> Vec<Check> {
    items
        .iter()
        .map(|t| Check { text: figures.text(t), mark: reference_mark(t, batch, written_for), result: None })
        .collect()
}

/// What every worksheet ends with: deviations and signatures.
pub(crate) fn closing() -> [Section; 2] {
    [
        Section::of(
            "Deviations",
            Block::Fields(vec![
                (
                    "Deviations from the MFR".to_string(),
                    format!("[ ] none   [ ] described here: {BLANK}{BLANK}{BLANK}"),
                ),
                ("Problems or reactions".to_string(), format!("{BLANK}{BLANK}{BLANK}")),
            ]),
        ),
        signatures(),
    ]
}

/// The preparation section every worksheet opens with: what is made, from which MFR, the
/// batch's own `fields` (date, batch id, quantities, BUD), then storage, container and
/// description.
pub(crate) fn preparation(
    formula: &Formula,
    source: &Source,
    figures: &Figures<'_>,
    dosage_form: String,
    fields: Vec<(String, String)>,
) -> Section {
    let mut f: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: String| f.push((k.to_string(), v));
    push("Preparation", figures.title());
    push(
        "MFR",
        format!("{}, revision {} (file sha256 {})", formula.id, formula.revision, source.short_hash()),
    );
    push("Dosage form", dosage_form);
    push("Route", formula.route.clone());
    if let Some(s) = formula.schedule() {
        push("Schedule", format!("{} controlled substance ({})", s.banner(), s.as_str()));
    }
    push("Rx / order number", BLANK.to_string());
    f.extend(fields);
    let mut push = |k: &str, v: String| f.push((k.to_string(), v));
    push("Storage", title_case(formula.storage.describe()));
    if let Some(c) = &formula.container {
        push("Container", figures.text(c));
    }
    if let Some(d) = &formula.description {
        push("Description", figures.text(d));
    }
    Section::of("Preparation", Block::Fields(f))
}

fn header(
    formula: &Formula,
    source: &Source,
    batch: &Batch,
    c: &Compounded,
    figures: &Figures<'_>,
) -> Section {
    let mut f: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: String| f.push((k.to_string(), v));
    push("Compounding date", format!("{}   time {BLANK}", batch.date));
    push("Batch id", batch.batch_id.clone().unwrap_or_else(|| BLANK.to_string()));
    let mut requested = figures.quantity(c);
    if let Some(q) = batch.reference.filter(|q| *q != c.quantity) {
        let _ = write!(requested, " (the MFR is written for {})", batch_size(q));
    }
    push("Quantity requested", requested);
    // The calculation ends with the prepared quantity (`10 mL × (100% + 5%) = 10.5 mL`,
    // `105 g (no overage)`); with an overage, the quantity comes first as well.
    let how = crate::report::trail::word(&c.prepared_calculation);
    let prepared = if c.prepared == c.quantity { how } else { format!("{}\n{how}", figures.prepared(c)) };
    push("Quantity prepared", prepared);
    if let Some(n) = c.cavities {
        let q = c.quantity.value();
        let why = if n.units() == q && c.prepared != c.quantity {
            " (the overage makes more blend, not more units)".to_string()
        } else if n.units() != q {
            let extra = crate::arith::sub(n.units(), q).map(crate::number::plain).unwrap_or_default();
            format!(" ({} requested + {extra} overage)", figures.quantity(c))
        } else {
            String::new()
        };
        push("Cavities to fill", format!("{}{why}", figures.cavities(c).unwrap_or_default()));
    }
    if let Some(molds) = figures.molds(c) {
        push("Molds", molds_text(formula, c, molds));
    }
    if let Some(text) = containers_text(c, figures) {
        push("Containers", text);
    }
    push("Beyond-use date", bud_text(formula, batch));
    preparation(formula, source, figures, formula.dosage_form.to_string(), f)
}

/// `2027-05-25 (180 days after compounding)`, or for an infusion `2026-11-26 21:00 (12
/// hours after compounding)`, the cap and the rule. A beyond-use time (USP <797>, an
/// infusion's) is capped by an expiry at the end of its date, and its hours are elapsed
/// time.
pub(crate) fn bud_text(formula: &Formula, batch: &Batch) -> String {
    let bud = &batch.bud;
    let timed = bud.time.is_some();
    // Under an hour, the minutes: never `0 hours` (SPEC §12.4).
    let period = match bud.minutes {
        Some(m) if m < 60 => format!("{m} minute{}", if m == 1 { "" } else { "s" }),
        _ => bud.period.to_string(),
    };
    let mut text = format!("{} ({period} after compounding)", bud_when(bud));
    if let Some(by) = &bud.limited_by {
        let _ = write!(text, "\nlimited by the expiry of {by}");
        if timed {
            text.push_str(" (the end of its expiry date)");
        }
    }
    let _ = write!(text, "\nrule: {}", bud.rule.describe());
    if let (BudRule::Formula, Some(o)) = (bud.rule, &formula.bud) {
        let _ = write!(text, ": {}", o.reference);
    }
    if let (true, Period::Hours(_)) = (timed, bud.period) {
        text.push_str(" (hours of elapsed time)");
    }
    text
}

/// `3 in all: 2 bottles of 10 mL and 1 bottle of 5 mL; 91 sprays in each 10 mL bottle, 41
/// in the 5 mL bottle`: the containers as they are (SPEC §7.5, §13).
fn containers_text(b: &Compounded, figures: &Figures<'_>) -> Option<String> {
    let c = b.containers.as_ref()?;
    let mut text = figures.container_plan(b)?;
    if c.count > 1 {
        text = format!("{} in all: {text}", c.count);
    }
    if let Some(doses) = figures.dose_plan(b) {
        let _ = write!(text, "; {doses}");
    }
    Some(text)
}

/// The molds line, and what becomes of the blend left over once the cavities are filled:
/// waste (witnessed for a controlled substance), never poured into an empty cavity.
fn molds_text(formula: &Formula, c: &Compounded, molds: String) -> String {
    let empty = c.molds.is_some_and(|m| m.empty > 0);
    if !empty {
        return molds;
    }
    let waste = if formula.schedule().is_some() { "controlled-substance waste, witnessed" } else { "waste" };
    format!(
        "{molds}
blend left over is {waste}: never pour it into the empty cavities"
    )
}

/// The ingredient table; `cells` gives a line's required amount and what to weigh or
/// measure, as the kind of batch prints them.
pub(crate) fn ingredients(
    formula: &Formula,
    batch: &Batch,
    cells: impl Fn(&Line, Option<&Ingredient>) -> [String; 2],
) -> Section {
    // One lookup per line: a 1 MiB formula holds some 17,000 ingredients.
    let by_id: std::collections::HashMap<&str, &Ingredient> =
        formula.ingredients.iter().map(|i| (i.id.as_str(), i)).collect();
    let rows = batch
        .lines
        .iter()
        .map(|l| {
            let [required, to_weigh] = cells(l, by_id.get(l.id.as_str()).copied());
            vec![
                format!("{}\n({}, {})", l.name, l.id, l.role.as_str()),
                required,
                to_weigh,
                l.vendor.clone().unwrap_or_default(),
                l.lot.clone().unwrap_or_default(),
                l.expiry.map(|e| e.to_string()).unwrap_or_default(),
                String::new(),
                String::new(),
            ]
        })
        .collect();
    let header =
        ["Ingredient", "Required", "Weigh / measure", "Vendor", "Lot", "Expiry", "Actual", "Initials"];
    Section::of(
        "Ingredients",
        Block::Grid(Grid {
            header: header.iter().map(|s| (*s).to_string()).collect(),
            rows,
            min_widths: vec![0, 0, 0, 10, 10, 10, 10, 8],
        }),
    )
}

fn strengths(batch: &Batch, c: &Compounded, figures: &Figures<'_>) -> Section {
    let mut f: Vec<(String, String)> =
        batch.strengths.iter().map(|s| (format!("{} ({})", s.name, s.id), strength_text(s))).collect();
    if let Some(mut v) = figures.dose_plan(c) {
        if c.containers.is_none() {
            let _ = write!(v, " in {}", batch_size(c.quantity));
        }
        let last = c.containers.as_ref().and_then(|n| n.last_calculation.as_ref());
        for how in c.doses_calculation.iter().chain(last) {
            let _ = write!(v, "\n{}", crate::report::trail::word(how));
        }
        f.push(("Doses per container".to_string(), v));
    }
    if let Some(w) = figures.unit_weight(c) {
        f.push(("Theoretical unit weight".to_string(), w));
    }
    if f.is_empty() {
        f.push(("Strength".to_string(), "no active with a stated strength".to_string()));
    }
    Section::of("Strengths", Block::Fields(f))
}

/// The calculation trail every batch has: how the prepared quantity was obtained, then
/// each line's steps, one item per line in line order.
pub(crate) fn trail(batch: &Batch, prepared: String) -> Vec<(String, Vec<String>)> {
    let lines = batch
        .lines
        .iter()
        .map(|l| (format!("{} ({})", l.name, l.id), crate::report::trail::words(&l.calculation)));
    std::iter::once(("Prepared quantity".to_string(), vec![prepared])).chain(lines).collect()
}

/// A nonsterile batch's trail: each weight's rounding, and how the doses were counted.
fn compounded_trail(batch: &Batch, c: &Compounded) -> Section {
    let mut items = trail(batch, crate::report::trail::word(&c.prepared_calculation));
    for (l, (_, steps)) in batch.lines.iter().zip(items.iter_mut().skip(1)) {
        if !(l.qs && c.qs.to.is_some())
            && let Some(mg) = l.weigh_rounded
        {
            steps.push(format!("rounded to {}: {}", mass_exact(batch.readability), mass_rounded(mg)));
        }
    }
    if let Some(d) = &c.doses_calculation {
        let last = c.containers.as_ref().and_then(|n| n.last_calculation.as_ref());
        let steps = std::iter::once(d).chain(last).map(crate::report::trail::word).collect();
        items.push(("Doses per container".to_string(), steps));
    }
    Section::of("Calculation trail", Block::Trail(items))
}

fn weighing(batch: &Batch, c: &Compounded) -> Section {
    let default_min =
        crate::arith::mul(batch.readability.mg(), Decimal::from(MIN_WEIGHT_PER_READABILITY)).ok();
    let why = if default_min == Some(c.min_weight.mg()) {
        format!("USP <41>: {MIN_WEIGHT_PER_READABILITY} × readability")
    } else {
        "set for this batch".to_string()
    };
    let text = format!(
        "Weights rounded half away from zero to the balance readability {}; volumes measured with the smallest syringe that holds them and rounded half away from zero to its marks (1 mL: 0.01 mL; 3 mL: 0.1 mL; 5 and 10 mL: 0.2 mL; 20, 30 and 60 mL: 1 mL), never below 0.2 mL; minimum weighable quantity {} ({why}).",
        mass_exact(batch.readability),
        mass_exact(c.min_weight),
    );
    Section {
        heading: "Weighing and rounding".to_string(),
        blocks: vec![Block::Text(text), Block::Fields(vec![("Balance id".to_string(), BLANK.to_string())])],
    }
}

/// The batch's warnings, numbered (aliquot plans with a record to fill in), if any.
pub(crate) fn warnings(batch: &Batch) -> Option<Section> {
    if batch.warnings.is_empty() {
        return None;
    }
    let items = batch
        .warnings
        .iter()
        .map(|w| {
            let mut m = w.message.to_string();
            if let Some(p) = &w.aliquot {
                let (made, taken) = match p.by {
                    AliquotBy::Mass => ("triturated to", "taken"),
                    AliquotBy::Volume => ("made up to", "measured"),
                };
                let _ = write!(
                    m,
                    "\nAliquot record: weighed {BLANK}  {made} {BLANK}  {taken} {BLANK}  initials {BLANK}"
                );
            }
            m
        })
        .collect();
    Some(Section::of("Warnings", Block::Numbered(items)))
}

fn yield_section(c: &Compounded) -> Section {
    let theoretical = match c.cavities {
        Some(n) => format!("{} (cavities filled)", crate::number::units(n)),
        None => format!("{} (prepared quantity)", batch_size(c.prepared)),
    };
    let f = vec![
        ("Theoretical yield".to_string(), theoretical),
        ("Actual yield".to_string(), BLANK.to_string()),
        ("% yield".to_string(), format!("{BLANK} % (actual ÷ theoretical × 100)")),
        (
            "Acceptable".to_string(),
            "95-105% of theoretical   [ ] within   [ ] outside: investigate and document".to_string(),
        ),
    ];
    Section::of("Yield", Block::Fields(f))
}

fn signatures() -> Section {
    let line = |role: &str| {
        (role.to_string(), format!("name {BLANK}   signature {BLANK}{BLANK}   date/time {BLANK}"))
    };
    Section::of(
        "Signatures",
        Block::Fields(vec![line("Compounded by"), line("Verified by (pharmacist)"), line("Released by")]),
    )
}

/// Renders the worksheet as text.
pub(crate) fn render(r: &Report<'_>) -> String {
    text::layout(&build(r), r.layout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;
    use crate::report::fixtures::{batch, load, options, rendered, sheet};

    fn text_of(f: &Formula, b: &Batch) -> String {
        rendered(f, b, false, render)
    }

    #[test]
    fn required_amounts_say_what_they_are_of() {
        let f = load("ketamine-hcl-nasal-spray-100");
        let b = batch(&f);
        let k = b.lines.iter().find(|l| l.id == "ketamine-hcl").unwrap();
        assert_eq!(required(k, f.ingredient("ketamine-hcl"), &b), "1.05 g (as salt)");
        let bak = b.lines.iter().find(|l| l.id == "benzalkonium-chloride-50").unwrap();
        assert_eq!(
            required(bak, f.ingredient("benzalkonium-chloride-50"), &b),
            "1.05 mg benzalkonium chloride (from a 50% solution)"
        );
        // Stated as base, from a salt: the amount is of the active moiety.
        let mut base = f.clone();
        let k_ing = base.ingredients.iter_mut().find(|i| i.id == "ketamine-hcl").unwrap();
        k_ing.basis = Some(StrengthBasis::Base);
        k_ing.substance = Some("ketamine".to_string());
        let b = crate::calc::compute(&base, &options()).unwrap();
        let k = b.lines.iter().find(|l| l.id == "ketamine-hcl").unwrap();
        assert_eq!(required(k, base.ingredient("ketamine-hcl"), &b), "1.05 g ketamine (as base)");
    }

    #[test]
    fn a_custom_strength_is_announced_and_the_text_follows_it() {
        let f = load("ketamine-hcl-cream-10");
        let mut o = options();
        o.strengths =
            [("ketamine-hcl".to_string(), crate::quantity::Amount::parse("15 %w/w").unwrap())].into();
        let b = crate::calc::compute(&f, &o).unwrap();
        let s = sheet(&f, &b);
        assert_eq!(s.title, "Ketamine HCl 15 %w/w Cream");
        assert!(
            s.banners.contains(
                &"CUSTOM STRENGTH: Ketamine Hydrochloride USP 15 %w/w (this MFR is written for 10 %w/w)"
                    .to_string()
            )
        );
        let text = text_of(&f, &b);
        assert!(text.contains("ketamine HCl (salt) 15 %w/w."), "{text}");
        assert!(!text.contains("10 %w/w Cream"), "{text}");
        // A name without `{strength:ID}` gets the custom strength as a suffix.
        let mut plain = f.clone();
        plain.name = Template::plain("Ketamine HCl Cream");
        let b = crate::calc::compute(&plain, &o).unwrap();
        assert_eq!(sheet(&plain, &b).title, "Ketamine HCl Cream, custom strength 15 %w/w");
        // The MFR's own strength, written another way, is no custom strength.
        o.strengths =
            [("ketamine-hcl".to_string(), crate::quantity::Amount::parse("100 mg/g").unwrap())].into();
        let b = crate::calc::compute(&f, &o).unwrap();
        assert_eq!(sheet(&f, &b).banners, vec!["C-III CONTROLLED SUBSTANCE".to_string()]);
    }

    #[test]
    fn lines_written_for_the_reference_batch_are_marked_at_another() {
        let mut f = load("ketamine-hcl-oral-solution-10");
        let mut step = Template::plain("Make up (q.s.) to 100 mL.");
        step.literals = vec!["100 mL".to_string()];
        f.steps.push(step);
        let mark = "(!) written for the reference batch of 100 mL: check before use";
        assert!(!text_of(&f, &batch(&f)).contains(mark));
        let mut o = options();
        o.quantity = Some(f.basis().size(Decimal::from(120)));
        let b = crate::calc::compute(&f, &o).unwrap();
        let text = text_of(&f, &b);
        assert!(
            text.contains("Make up (q.s.) to 100 mL.\n        (!) written for the reference batch of 100"),
            "{text}"
        );
        assert!(b.warnings.iter().any(|w| w.code == Code::ReferenceBatchText && w.ingredient.is_none()));
    }

    #[test]
    fn containers_full_and_part_filled() {
        let f = load("ketamine-hcl-nasal-spray-100");
        let mut o = options();
        o.quantity = Some(f.basis().size(Decimal::from(35)));
        let b = crate::calc::compute(&f, &o).unwrap();
        assert_eq!(
            containers_text(b.compounded().unwrap(), &Figures::new(&f, &b)).unwrap(),
            "4 in all: 3 bottles of 10 mL and 1 bottle of 5 mL; 91 sprays in each 10 mL bottle, 41 in the 5 mL bottle"
        );
        o.quantity = Some(f.basis().size(Decimal::from(30)));
        let b = crate::calc::compute(&f, &o).unwrap();
        assert_eq!(
            containers_text(b.compounded().unwrap(), &Figures::new(&f, &b)).unwrap(),
            "3 in all: 3 bottles of 10 mL; 91 sprays in each 10 mL bottle"
        );
        // A batch smaller than one fill is one bottle of its quantity (SPEC §13).
        o.quantity = Some(f.basis().size(Decimal::from(7)));
        let b = crate::calc::compute(&f, &o).unwrap();
        assert_eq!(
            containers_text(b.compounded().unwrap(), &Figures::new(&f, &b)).unwrap(),
            "1 bottle of 7 mL; 61 sprays"
        );
    }

    #[test]
    fn every_line_fits_80_columns_and_no_token_is_split() {
        for name in [
            "ketamine-hcl-nasal-spray-100",
            "ketamine-hcl-sublingual-drops-50",
            "ketamine-hcl-oral-solution-10",
            "ketamine-hcl-cream-10",
            "ketamine-gabapentin-baclofen-cream",
            "ketamine-hcl-troche-50",
            "ketamine-hcl-rdt-25",
        ] {
            let f = load(name);
            let mut o = options();
            o.lots.insert(
                f.ingredients[0].id.clone(),
                crate::calc::Lot { lot: Some("BZK-2025-004417".into()), ..Default::default() },
            );
            let b = crate::calc::compute(&f, &o).unwrap();
            let text = rendered(&f, &b, true, render);
            for line in text.lines() {
                assert!(line.chars().count() <= 80, "{name}: {line}");
            }
            for token in ["BZK-2025-004417", f.ingredients[0].id.as_str(), "2026-11-26"] {
                assert!(text.contains(token), "{name}: `{token}` split:\n{text}");
            }
        }
    }
}
