//! The compounding worksheet (SPEC §6, §7): what a technician compounds from and a
//! pharmacist signs, as a [`Sheet`] that every layout renders.
//!
//! Every figure and every sentence describes this batch: formula text is filled in with
//! the batch's own figures ([`Figures`]), a custom strength is announced under the title,
//! and a step that still holds a quantity written for the reference batch is marked.
//! Amounts to weigh and measure are the rounded values (SPEC §3.8); the exact values are
//! in the calculation trail (`--explain`) and in the JSON output.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::figures::{
    Figures, aliquot_plan, amount_to_take, balance, bud_when, dilution_made, mass_readable, measured,
    on_syringe, round_mass, round_to,
};
use super::sheet::{BLANK, Block, Check, Grid, Section, Sheet, open_vials, schedule_banner, title_case};
use super::text;
use super::{
    Report, Source, batch_size, mass_exact, mass_rounded, readable, volume_exact, volume_rounded, with_unit,
};
use crate::calc::{
    AliquotBy, Batch, BudRule, Line, MIN_WEIGHT_PER_READABILITY, Period, Strength, VOLUME_STEP_ML,
};
use crate::formula::{Formula, Ingredient, Role, Stock, StrengthBasis, Template};
use crate::measure::{Mass, Measured, Volume};

/// A mass for reading: exact when it has at most two decimal places more than `step`,
/// else `≈` the value rounded to `step`.
pub(crate) fn approx_mass(m: Mass, step: Mass) -> String {
    match round_mass(m, step) {
        Some(r) if m.mg().normalize().scale() > step.mg().scale().saturating_add(2) => {
            format!("≈ {}", mass_rounded(r))
        }
        _ => mass_exact(m).to_string(),
    }
}

/// A volume for reading: exact when it has at most 4 decimal places, else `≈` the value
/// rounded to 0.01 mL.
fn approx_volume(v: Volume) -> String {
    match round_to(v.ml(), VOLUME_STEP_ML) {
        Some(r) if v.ml().normalize().scale() > 4 => format!("≈ {}", volume_rounded(Volume::from_ml(r))),
        _ => volume_exact(v).to_string(),
    }
}

/// A value with a unit: exact when it has at most 4 decimal places, else `≈` rounded to 4.
fn value_readable(v: Decimal, unit: crate::unit::Unit) -> String {
    if v.normalize().scale() <= 4 {
        with_unit(v, unit).to_string()
    } else {
        format!("≈ {} {unit}", readable(v, 4))
    }
}

/// The required amount, saying what it is an amount of (SPEC §7.7): `1 g ketamine (as
/// base)`, `1.05 g (as salt)`, `1.05 mg benzalkonium chloride (from a 50% solution)`.
fn required(line: &Line, ing: Option<&Ingredient>, batch: &Batch) -> String {
    if let (true, Some(i)) = (line.qs, &batch.infusion) {
        return format!("the bag, {}", super::figures::iv::volume(i.bag));
    }
    if line.qs {
        return "qs".to_string();
    }
    let mut out = match (line.required, &batch.infusion) {
        // An infusion's drug is a dose, printed to 4 significant figures (SPEC §8.3).
        (Measured::Mass(mg), Some(_)) => super::figures::iv::mass(mg),
        (Measured::Mass(mg), None) => approx_mass(mg, batch.readability),
        (Measured::Volume(ml), _) => approx_volume(ml),
    };
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
fn to_weigh(line: &Line, ing: Option<&Ingredient>, batch: &Batch) -> String {
    let infusion = batch.infusion.as_ref();
    if let (Some(i), true) = (infusion, line.qs) {
        return format!("{} bag as supplied", super::figures::iv::volume(i.bag));
    }
    if line.qs
        && let Some(to) = batch.qs.to
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
    if let Some(stock) = ing.and_then(|i| i.stock) {
        return stock_draw(line, &stock, infusion.is_some());
    }
    let mut out = match (line.measure_rounded, line.syringe, line.weigh_rounded) {
        (Some(ml), Some(s), Some(mg)) => {
            format!("{}\n(weighs {})", on_syringe(ml, &s, false), mass_rounded(mg))
        }
        (Some(ml), Some(s), None) => on_syringe(ml, &s, false),
        _ => amount_to_take(line).unwrap_or_else(|| "-".to_string()),
    };
    if line.qs {
        out.push_str("\n(qs");
        if let Some(c) = batch.qs.in_aliquots {
            let _ = write!(out, "; {} more comes in with the aliquots", approx_mass(c, batch.readability));
        }
        out.push(')');
    }
    out
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
    let (v, unit) = s.concentration;
    let mut out = format!("{} ({})", value_readable(v, unit), s.basis.as_str());
    if let Some((b, ov, ounit)) = s.other_basis {
        let _ = write!(out, " = {} {} ({})", readable(ov, 2), ounit, b.as_str());
    }
    if let (Some(per), Some(dose)) = (s.per_dose, &s.dose) {
        let _ = write!(out, "\nper {dose}: {} ({})", mass_readable(per, 2), s.basis.as_str());
        let other = s.other_basis.and_then(|(b, ov, _)| {
            let x = crate::arith::div(crate::arith::mul(per.mg(), ov).ok()?, v).ok()?;
            Some((b, Mass::from_mg(x)))
        });
        if let Some((b, x)) = other {
            let _ = write!(out, " = {} ({})", mass_readable(x, 2), b.as_str());
        }
    }
    if let Some(m) = &s.mfr {
        let _ = write!(out, "\ncustom strength: this MFR is written for {}", m.label);
    }
    // Measured by volume: what the syringe's rounding makes of it, when that shows at 0.1%.
    if let Some((c, unit, dev)) = s.as_measured
        && super::readable(dev, 1) != "0"
    {
        let _ = write!(
            out,
            "\nas measured: {} {unit} ({} from the strength)",
            readable(c, 2),
            crate::rounding::signed_percent(dev, 2)
        );
    }
    out
}

/// The banner lines of a custom strength (SPEC §7.3), and of an infusion's own dose, bag
/// or duration (SPEC §8.5).
fn custom_banners(batch: &Batch) -> Vec<String> {
    let strengths = batch.strengths.iter().filter_map(|s| {
        let m = s.mfr.as_ref()?;
        Some(format!("CUSTOM STRENGTH: {} {} (this MFR is written for {})", s.name, s.label, m.label))
    });
    let infusion = batch.infusion.iter().flat_map(|i| &i.custom).map(|c| {
        format!("CUSTOM {}: {} (this MFR is written for {})", c.what.to_uppercase(), c.this, c.formula)
    });
    strengths.chain(infusion).collect()
}

/// The mark on a step or check that holds a quantity written for the reference batch,
/// when this batch is another (SPEC §7.2).
fn reference_mark(t: &Template, batch: &Batch) -> Option<String> {
    if t.literals.is_empty() || batch.at_reference {
        return None;
    }
    Some(match (&batch.infusion, batch.reference) {
        (Some(_), Some(q)) => {
            format!("(!) written for the formula's bag of {}: check before use", batch_size(q))
        }
        (None, Some(q)) => {
            format!("(!) written for the reference batch of {}: check before use", batch_size(q))
        }
        (_, None) => "(!) holds a batch quantity written out: check before use".to_string(),
    })
}

/// Builds the worksheet.
pub(crate) fn build(r: &Report<'_>) -> Sheet {
    let Report { formula, source, batch, explain, .. } = *r;
    let figures = Figures::new(formula, batch);
    // A capped dose is said right under the title (SPEC §12.4), then the schedule.
    let mut banners: Vec<String> =
        batch.infusion.as_ref().and_then(super::infusion::capped_banner).into_iter().collect();
    banners.extend(schedule_banner(formula));
    banners.extend(custom_banners(batch));
    let infusion = batch.infusion.as_ref();
    let mut sections = match infusion {
        Some(i) => vec![
            super::infusion::header(formula, source, batch, &figures),
            super::infusion::patient(i),
            ingredients(formula, batch),
            super::infusion::figures(formula, batch, i),
        ],
        None => vec![
            header(formula, source, batch, &figures),
            ingredients(formula, batch),
            strengths(batch, &figures),
        ],
    };
    if explain {
        sections.push(trail(batch));
    }
    if infusion.is_none() {
        sections.push(weighing(batch));
    }
    if !batch.warnings.is_empty() {
        sections.push(warnings(batch));
    }
    let checks = |items: &[Template]| -> Vec<Check> {
        items
            .iter()
            .map(|t| Check { text: figures.text(t), mark: reference_mark(t, batch), result: None })
            .collect()
    };
    let (procedure, apart) =
        super::dilution::insert(&formula.steps, checks(&formula.steps), super::dilution::all(formula, batch));
    if !apart.is_empty() {
        sections.push(Section::of("Dilution step", Block::Checklist { items: apart, result: false }));
    }
    if !procedure.is_empty() {
        sections.push(Section::of("Procedure", Block::Checklist { items: procedure, result: false }));
    }
    if let Some(i) = infusion {
        sections.push(super::infusion::aseptic(i));
    }
    if !formula.quality.is_empty() {
        sections.push(Section::of(
            "Quality control",
            Block::Checklist { items: checks(&formula.quality), result: true },
        ));
    }
    match infusion {
        Some(i) => {
            if !batch.controlled.is_empty() {
                sections.push(super::infusion::accountability(batch));
            }
            sections.push(super::infusion::bag_label(formula, batch, i, &figures));
        }
        None => {
            sections.push(yield_section(batch));
            if !batch.controlled.is_empty() {
                sections.push(super::accountability::section(formula, batch, &figures));
            }
        }
    }
    sections.push(Section::of(
        "Deviations",
        Block::Fields(vec![
            (
                "Deviations from the MFR".to_string(),
                format!("[ ] none   [ ] described here: {BLANK}{BLANK}{BLANK}"),
            ),
            ("Problems or reactions".to_string(), format!("{BLANK}{BLANK}{BLANK}")),
        ]),
    ));
    sections.push(signatures());
    Sheet { kind: "Compounding worksheet", title: figures.title(), banners, sections }
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

fn header(formula: &Formula, source: &Source, batch: &Batch, figures: &Figures<'_>) -> Section {
    let mut f: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: String| f.push((k.to_string(), v));
    push("Compounding date", format!("{}   time {BLANK}", batch.date));
    push("Batch id", batch.batch_id.clone().unwrap_or_else(|| BLANK.to_string()));
    let mut requested = figures.quantity();
    if let Some(q) = batch.reference.filter(|q| *q != batch.quantity) {
        let _ = write!(requested, " (the MFR is written for {})", batch_size(q));
    }
    push("Quantity requested", requested);
    // The calculation ends with the prepared quantity (`10 mL × (100% + 5%) = 10.5 mL`,
    // `105 g (no overage)`); with an overage, the quantity comes first as well.
    let prepared = if batch.prepared == batch.quantity {
        batch.prepared_calculation.clone()
    } else {
        format!("{}\n{}", figures.prepared(), batch.prepared_calculation)
    };
    push("Quantity prepared", prepared);
    if let Some(c) = batch.cavities {
        let q = batch.quantity.value();
        let why = if c.units() == q && batch.prepared != batch.quantity {
            " (the overage makes more blend, not more units)".to_string()
        } else if c.units() != q {
            let extra = crate::arith::sub(c.units(), q).map(crate::quantity::plain).unwrap_or_default();
            format!(" ({} requested + {extra} overage)", figures.quantity())
        } else {
            String::new()
        };
        push("Cavities to fill", format!("{}{why}", figures.cavities().unwrap_or_default()));
    }
    if let Some(molds) = figures.molds() {
        push("Molds", molds_text(formula, batch, molds));
    }
    if let Some(text) = containers_text(batch, figures) {
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
fn containers_text(batch: &Batch, figures: &Figures<'_>) -> Option<String> {
    let c = batch.containers.as_ref()?;
    let mut text = figures.container_plan()?;
    if c.count > 1 {
        text = format!("{} in all: {text}", c.count);
    }
    if let Some(doses) = figures.dose_plan() {
        let _ = write!(text, "; {doses}");
    }
    Some(text)
}

/// The molds line, and what becomes of the blend left over once the cavities are filled:
/// waste (witnessed for a controlled substance), never poured into an empty cavity.
fn molds_text(formula: &Formula, batch: &Batch, molds: String) -> String {
    let empty = batch.molds.is_some_and(|m| m.empty > 0);
    if !empty {
        return molds;
    }
    let waste = if formula.schedule().is_some() { "controlled-substance waste, witnessed" } else { "waste" };
    format!(
        "{molds}
blend left over is {waste}: never pour it into the empty cavities"
    )
}

fn ingredients(formula: &Formula, batch: &Batch) -> Section {
    // One lookup per line: a 1 MiB formula holds some 17,000 ingredients.
    let by_id: std::collections::HashMap<&str, &Ingredient> =
        formula.ingredients.iter().map(|i| (i.id.as_str(), i)).collect();
    let rows = batch
        .lines
        .iter()
        .map(|l| {
            let ing = by_id.get(l.id.as_str()).copied();
            vec![
                format!("{}\n({}, {})", l.name, l.id, l.role.as_str()),
                required(l, ing, batch),
                to_weigh(l, ing, batch),
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

fn strengths(batch: &Batch, figures: &Figures<'_>) -> Section {
    let mut f: Vec<(String, String)> =
        batch.strengths.iter().map(|s| (format!("{} ({})", s.name, s.id), strength_text(s))).collect();
    if let Some(mut v) = figures.dose_plan() {
        if batch.containers.is_none() {
            let _ = write!(v, " in {}", batch_size(batch.quantity));
        }
        let last = batch.containers.as_ref().and_then(|c| c.last_calculation.as_ref());
        for c in batch.doses_calculation.iter().chain(last) {
            let _ = write!(v, "\n{c}");
        }
        f.push(("Doses per container".to_string(), v));
    }
    if let Some(w) = figures.unit_weight() {
        f.push(("Theoretical unit weight".to_string(), w));
    }
    if f.is_empty() {
        f.push(("Strength".to_string(), "no active with a stated strength".to_string()));
    }
    Section::of("Strengths", Block::Fields(f))
}

fn trail(batch: &Batch) -> Section {
    let mut items = vec![("Prepared quantity".to_string(), vec![batch.prepared_calculation.clone()])];
    for l in &batch.lines {
        let mut steps = l.calculation.clone();
        // An infusion's figures are printed by their own rules (SPEC §8.3), in its block.
        if !(l.qs && batch.qs.to.is_some())
            && batch.infusion.is_none()
            && let Some(mg) = l.weigh_rounded
        {
            steps.push(format!("rounded to {}: {}", mass_exact(batch.readability), mass_rounded(mg)));
        }
        items.push((format!("{} ({})", l.name, l.id), steps));
    }
    if let Some(c) = &batch.doses_calculation {
        let last = batch.containers.as_ref().and_then(|c| c.last_calculation.clone());
        items.push(("Doses per container".to_string(), std::iter::once(c.clone()).chain(last).collect()));
    }
    Section::of("Calculation trail", Block::Trail(items))
}

fn weighing(batch: &Batch) -> Section {
    let default_min =
        crate::arith::mul(batch.readability.mg(), Decimal::from(MIN_WEIGHT_PER_READABILITY)).ok();
    let why = if default_min == Some(batch.min_weight.mg()) {
        format!("USP <41>: {MIN_WEIGHT_PER_READABILITY} × readability")
    } else {
        "set for this batch".to_string()
    };
    let text = format!(
        "Weights rounded half away from zero to the balance readability {}; volumes measured with the smallest syringe that holds them and rounded half away from zero to its marks (1 mL: 0.01 mL; 3 mL: 0.1 mL; 5 and 10 mL: 0.2 mL; 20, 30 and 60 mL: 1 mL), never below 0.2 mL; minimum weighable quantity {} ({why}).",
        mass_exact(batch.readability),
        mass_exact(batch.min_weight),
    );
    Section {
        heading: "Weighing and rounding".to_string(),
        blocks: vec![Block::Text(text), Block::Fields(vec![("Balance id".to_string(), BLANK.to_string())])],
    }
}

fn warnings(batch: &Batch) -> Section {
    let items = batch
        .warnings
        .iter()
        .map(|w| {
            let mut m = w.message.clone();
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
    Section::of("Warnings", Block::Numbered(items))
}

fn yield_section(batch: &Batch) -> Section {
    let theoretical = match batch.cavities {
        Some(c) => format!("{} (cavities filled)", super::units(c)),
        None => format!("{} (prepared quantity)", batch_size(batch.prepared)),
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
        assert!(b.warnings.iter().any(|w| w.code == "reference-batch-text" && w.ingredient.is_none()));
    }

    #[test]
    fn containers_full_and_part_filled() {
        let f = load("ketamine-hcl-nasal-spray-100");
        let mut o = options();
        o.quantity = Some(f.basis().size(Decimal::from(35)));
        let b = crate::calc::compute(&f, &o).unwrap();
        assert_eq!(
            containers_text(&b, &Figures::new(&f, &b)).unwrap(),
            "4 in all: 3 bottles of 10 mL and 1 bottle of 5 mL; 91 sprays in each 10 mL bottle, 41 in the 5 mL bottle"
        );
        o.quantity = Some(f.basis().size(Decimal::from(30)));
        let b = crate::calc::compute(&f, &o).unwrap();
        assert_eq!(
            containers_text(&b, &Figures::new(&f, &b)).unwrap(),
            "3 in all: 3 bottles of 10 mL; 91 sprays in each 10 mL bottle"
        );
        // A batch smaller than one fill is one bottle of its quantity (SPEC §13).
        o.quantity = Some(f.basis().size(Decimal::from(7)));
        let b = crate::calc::compute(&f, &o).unwrap();
        assert_eq!(containers_text(&b, &Figures::new(&f, &b)).unwrap(), "1 bottle of 7 mL; 61 sprays");
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
