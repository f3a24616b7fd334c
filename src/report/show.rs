//! `show`: the whole master formulation record for review.
//!
//! The table form lays the record out like the worksheet (text tables, UTF-8 borders,
//! never tty-dependent). The JSON form is one object:
//!
//! `id`, `name`, `revision`, `dosage_form`, `basis` (`volume` | `mass` | `molded`),
//! `route`, `water` (`aqueous` | `nonaqueous`), `preserved`, `storage`, `container`,
//! `description`, `density`, `bud` {`rule`, `days`, `reference`}, `batch` {`quantity`,
//! `overage`, `fill`, `capacity`}, `device` {`dose`, `volume`, `per_ml`, `priming`,
//! `residual`} or null, `mold` {`blank_weight`, `cavities` (a number, or null)} or null, `ingredients` [{`id`, `name`, `role`, `qs`, `amount`,
//! `basis`, `molecular_weight`, `base_molecular_weight`, `schedule`, `solubility`,
//! `purity`, `density`, `measure`, `displacement` {`kind`, `value`} or null}], `steps`,
//! `quality`, `labeling`, `warnings` (the loader's warnings, as messages), `source`
//! {`path`, `sha256`}. Quantities are strings with their unit, as a formula file writes
//! them (`"100 mg/mL"`, `"0.98 g/mL"`, `"5%"`); molecular weights are plain numbers
//! (g/mol) as strings.

use crate::number::{batch_size, format_density, mass_exact, plain, volume_exact, with_unit};
use rust_decimal::Decimal;
use serde::Serialize;

use super::Source;
use super::sheet::{Block, Grid, Section, Sheet, schedule_banner, title_case};
use super::text::{self, Layout};
use crate::formula::{Basis, Delivery, Displacement, Formula, Ingredient, Measure, Overage, Water};
use crate::measure::Volume;

use crate::unit::Unit;

fn basis_text(b: Basis) -> &'static str {
    match b {
        Basis::Volume => "volume (batch in mL; the vehicle is qs to volume)",
        Basis::Mass => "mass (batch in g; the base is the remainder by mass)",
        Basis::Molded => "molded units (batch in units; the base is displacement-adjusted)",
        Basis::Infusion => "infusion (one bag for one patient, dosed by weight; USP <797>)",
    }
}

/// An infusion's `[dose]`, `[infusion]` and USP <797> facts, as `key: value` pairs;
/// `None` for a formula that is not an infusion.
fn infusion_facts(formula: &Formula) -> Option<Vec<(&'static str, String)>> {
    let i = formula.infusion.as_ref()?;
    let mut out = vec![("sterile category", i.sterile.category.as_str().to_string())];
    if let Some(m) = i.sterile.method {
        out.push(("sterile method", m.as_str().to_string()));
        out.push(("sterility tested", if i.sterile.tested { "yes" } else { "no" }.to_string()));
    }
    if let Some(st) = i.sterile.starting {
        out.push(("starting components", st.as_str().to_string()));
    }
    let dose = formula.actives().next().map_or_else(String::new, |a| a.amount.to_string());
    out.push(("dose", dose));
    if let Some(m) = i.max {
        out.push(("maximum dose", mass_exact(m).to_string()));
    }
    out.push(("duration", with_unit(i.duration, Unit::MIN).to_string()));
    out.push(("method", i.method.as_str().to_string()));
    out.push(("bag", volume_exact(i.bag).to_string()));
    if !i.overfill.is_zero() {
        out.push(("overfill", volume_exact(i.overfill).to_string()));
    }
    if let Some(c) = i.concentration {
        out.push(("nominal concentration", with_unit(c, Unit::MG_PER_ML).to_string()));
    }
    if i.replace {
        out.push(("replace", "the drug's volume is first withdrawn from the bag".to_string()));
    }
    if let Some(d) = i.drop_factor {
        out.push(("drop factor", with_unit(d, Unit::GTT_PER_ML).to_string()));
    }
    Some(out)
}

/// A solubility in the dimension's base unit: `mg/g` on a mass basis, else `mg/mL`.
fn solubility(formula: &Formula, v: Decimal) -> String {
    let unit = if formula.basis() == Basis::Mass { Unit::MG_PER_G } else { Unit::MG_PER_ML };
    with_unit(v, unit).to_string()
}

fn overage(o: Overage) -> String {
    match o {
        Overage::Percent(p) => p.to_string(),
        Overage::Amount(a) => batch_size(a).to_string(),
    }
}

/// `kind` and `value` of an ingredient's displacement (molded forms, not the base).
fn displacement(formula: &Formula, ing: &Ingredient) -> Option<(&'static str, Option<String>)> {
    if formula.basis() != Basis::Molded || ing.is_qs() {
        return None;
    }
    Some(match ing.displacement {
        Displacement::Factor(f) => ("factor", Some(plain(f))),
        Displacement::DensityFactor(f) => ("density-factor", Some(plain(f))),
        Displacement::AssumedOneToOne => ("assumed-one-to-one", None),
    })
}

fn bud_text(formula: &Formula) -> String {
    let (rule, period) = crate::calc::bud_rule(formula);
    let mut out = format!("{period} after compounding\nrule: {}", rule.describe());
    if let Some(o) = &formula.bud {
        out.push_str(": ");
        out.push_str(&o.reference);
    }
    out
}

fn device_text(formula: &Formula) -> Option<String> {
    let d = formula.device.as_ref()?;
    let delivery = match d.delivery {
        Delivery::Volume(ml) => format!("{} per {}", volume_exact(Volume::from_ml(ml)), d.dose),
        Delivery::PerMl(n) => format!("{} {}s per mL", plain(n), d.dose),
    };
    Some(format!(
        "dose: {}\n{delivery}\npriming: {} {}s\nresidual: {}",
        d.dose,
        plain(d.priming),
        d.dose,
        volume_exact(Volume::from_ml(d.residual))
    ))
}

fn details(formula: &Formula, ing: &Ingredient) -> String {
    let mut lines = Vec::new();
    if let Some(b) = ing.basis {
        lines.push(format!("basis: {}", b.as_str()));
    }
    if let Some((mw, base)) = ing.molecular_weights {
        lines.push(format!("molecular weight: {} (base {})", plain(mw), plain(base)));
    }
    if let Some(s) = ing.schedule {
        lines.push(format!("schedule: {} ({})", s.as_str(), s.banner()));
    }
    if let Some(s) = ing.solubility {
        lines.push(format!("solubility: {}", solubility(formula, s)));
    }
    if let Some(p) = ing.purity {
        lines.push(format!("purity: {p}"));
    }
    if let Some(d) = ing.density {
        lines.push(format!("density: {}", format_density(d)));
    }
    if let Some(stock) = &ing.stock {
        let basis = stock.basis.map_or_else(String::new, |b| format!(" (as {})", b.as_str()));
        lines.push(format!("from a stock of {}{basis}", stock.strength));
        if let Some(v) = stock.vial {
            lines.push(format!("vial: {}", volume_exact(v)));
        }
    }
    if ing.measure == Measure::Volume {
        lines.push("measured by volume".to_string());
    }
    match displacement(formula, ing) {
        Some((_, Some(v))) if matches!(ing.displacement, Displacement::Factor(_)) => {
            lines.push(format!("displacement factor: {v}"));
        }
        Some((_, Some(v))) => lines.push(format!("density factor: {v}")),
        Some((_, None)) => lines.push("displacement: assumed 1:1 (no factor given)".to_string()),
        None => {}
    }
    lines.join("\n")
}

fn sheet(formula: &Formula, source: &Source) -> Sheet {
    let mut f: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: String| f.push((k.to_string(), v));
    push("Id", formula.id.clone());
    push("Name", formula.name.raw().to_string());
    push("Revision", formula.revision.to_string());
    push("Dosage form", formula.dosage_form.to_string());
    push("Basis", basis_text(formula.basis()).to_string());
    push("Route", formula.route.clone());
    if formula.infusion.is_none() {
        push("Water", formula.water.map_or("-", Water::as_str).to_string());
        push("Preserved", if formula.preserved { "yes" } else { "no" }.to_string());
    }
    push("Storage", title_case(formula.storage.describe()));
    push("Container", formula.container.as_ref().map_or_else(|| "-".to_string(), |t| t.raw().to_string()));
    push(
        "Description",
        formula.description.as_ref().map_or_else(|| "-".to_string(), |t| t.raw().to_string()),
    );
    if let Some(d) = formula.density {
        push("Density", format_density(d));
    }
    push("Beyond-use date", bud_text(formula));
    if let Some(q) = formula.batch_quantity {
        push("Reference batch", batch_size(q).to_string());
    }
    if formula.infusion.is_none() {
        push("Overage", formula.overage.map_or_else(|| "none".to_string(), overage));
    }
    if let Some(fill) = formula.fill {
        push("Fill per container", volume_exact(fill).to_string());
    }
    if let Some(c) = formula.capacity {
        push("Container capacity", volume_exact(c).to_string());
    }
    if let Some(d) = &formula.aliquot_diluent {
        push("Aliquot diluent", d.clone());
    }
    if let Some(d) = device_text(formula) {
        push("Device", d);
    }
    if let Some(b) = formula.blank_weight {
        push("Mold blank weight", format!("{} per cavity (base alone)", mass_exact(b)));
    }
    if let Some(c) = formula.mold_cavities {
        push("Mold cavities", format!("{c} per mold"));
    }
    if let Some(facts) = infusion_facts(formula) {
        push("Infusion", facts.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("\n"));
    }
    push("Source", source.path.clone());
    push("SHA-256", source.sha256.clone());

    let rows = formula
        .ingredients
        .iter()
        .map(|i| {
            vec![
                format!("{}\n({})", i.name, i.id),
                i.role.as_str().to_string(),
                i.amount.to_string(),
                details(formula, i),
            ]
        })
        .collect();
    let mut sections = vec![
        Section { heading: "Record".to_string(), blocks: vec![Block::Fields(f)] },
        Section {
            heading: "Ingredients".to_string(),
            blocks: vec![Block::Grid(Grid {
                header: ["Ingredient", "Role", "Amount", "Details"]
                    .iter()
                    .map(|s| (*s).to_string())
                    .collect(),
                rows,
                min_widths: vec![0, 0, 0, 0],
            })],
        },
    ];
    for (heading, items) in [
        ("Procedure", &formula.steps),
        ("Quality control", &formula.quality),
        ("Labeling", &formula.labeling),
    ] {
        if !items.is_empty() {
            let items = items.iter().map(|t| t.raw().to_string()).collect();
            sections.push(Section { heading: heading.to_string(), blocks: vec![Block::Numbered(items)] });
        }
    }
    let warnings: Vec<String> = formula.warnings.iter().map(|d| d.message.clone()).collect();
    if !warnings.is_empty() {
        sections.push(Section { heading: "Warnings".to_string(), blocks: vec![Block::Numbered(warnings)] });
    }
    let banners = schedule_banner(formula).into_iter().collect();
    Sheet { kind: "Master formulation record", title: formula.reference_name(), banners, sections }
}

/// The record as text tables.
pub fn table(formula: &Formula, source: &Source, width: u16) -> String {
    text::layout(&sheet(formula, source), Layout { width, color: false })
}

#[derive(Debug, Serialize)]
struct BudDto<'a> {
    rule: &'static str,
    days: Option<i32>,
    hours: Option<i32>,
    reference: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct StockDto {
    strength: String,
    basis: Option<&'static str>,
    vial: Option<String>,
}

#[derive(Debug, Serialize)]
struct BatchDto {
    quantity: Option<String>,
    overage: Option<String>,
    fill: Option<String>,
    capacity: Option<String>,
}

#[derive(Debug, Serialize)]
struct DeviceDto<'a> {
    dose: &'a str,
    volume: Option<String>,
    per_ml: Option<String>,
    priming: String,
    residual: String,
}

#[derive(Debug, Serialize)]
struct MoldDto {
    blank_weight: String,
    cavities: Option<u64>,
}

#[derive(Debug, Serialize)]
struct DisplacementDto {
    kind: &'static str,
    value: Option<String>,
}

#[derive(Debug, Serialize)]
struct IngredientDto<'a> {
    id: &'a str,
    name: &'a str,
    role: &'static str,
    qs: bool,
    amount: String,
    basis: Option<&'static str>,
    molecular_weight: Option<String>,
    base_molecular_weight: Option<String>,
    schedule: Option<&'static str>,
    solubility: Option<String>,
    purity: Option<String>,
    density: Option<String>,
    measure: &'static str,
    displacement: Option<DisplacementDto>,
    stock: Option<StockDto>,
}

#[derive(Debug, Serialize)]
struct SourceDto<'a> {
    path: &'a str,
    sha256: &'a str,
}

#[derive(Debug, Serialize)]
struct FormulaDto<'a> {
    id: &'a str,
    name: &'a str,
    revision: u32,
    dosage_form: &'static str,
    basis: &'static str,
    route: &'a str,
    water: Option<&'static str>,
    preserved: bool,
    storage: &'static str,
    container: Option<&'a str>,
    description: Option<&'a str>,
    density: Option<String>,
    bud: BudDto<'a>,
    batch: BatchDto,
    device: Option<DeviceDto<'a>>,
    mold: Option<MoldDto>,
    infusion: Option<std::collections::BTreeMap<String, String>>,
    ingredients: Vec<IngredientDto<'a>>,
    steps: Vec<&'a str>,
    quality: Vec<&'a str>,
    labeling: Vec<&'a str>,
    warnings: Vec<&'a str>,
    source: SourceDto<'a>,
}

/// The record as JSON.
pub fn json(formula: &Formula, source: &Source) -> String {
    let (rule, period) = crate::calc::bud_rule(formula);
    let (days, hours) = match period {
        crate::calc::Period::Days(d) => (Some(d), None),
        crate::calc::Period::Hours(h) => (None, Some(h)),
    };
    let dto = FormulaDto {
        id: &formula.id,
        name: formula.name.raw(),
        revision: formula.revision,
        dosage_form: formula.dosage_form.as_str(),
        basis: formula.basis().as_str(),
        route: &formula.route,
        water: formula.water.map(Water::as_str),
        preserved: formula.preserved,
        storage: formula.storage.as_str(),
        container: formula.container.as_ref().map(|t| t.raw()),
        description: formula.description.as_ref().map(|t| t.raw()),
        density: formula.density.map(format_density),
        bud: BudDto {
            rule: rule.as_str(),
            days,
            hours,
            reference: formula.bud.as_ref().map(|o| o.reference.as_str()),
        },
        batch: BatchDto {
            quantity: formula.batch_quantity.map(|q| batch_size(q).to_string()),
            overage: formula.overage.map(overage),
            fill: formula.fill.map(|f| volume_exact(f).to_string()),
            capacity: formula.capacity.map(|c| volume_exact(c).to_string()),
        },
        device: formula.device.as_ref().map(|d| DeviceDto {
            dose: &d.dose,
            volume: match d.delivery {
                Delivery::Volume(ml) => Some(volume_exact(Volume::from_ml(ml)).to_string()),
                Delivery::PerMl(_) => None,
            },
            per_ml: match d.delivery {
                Delivery::PerMl(n) => Some(plain(n)),
                Delivery::Volume(_) => None,
            },
            priming: plain(d.priming),
            residual: volume_exact(Volume::from_ml(d.residual)).to_string(),
        }),
        mold: formula
            .blank_weight
            .map(|b| MoldDto { blank_weight: mass_exact(b).to_string(), cavities: formula.mold_cavities }),
        infusion: infusion_facts(formula)
            .map(|f| f.into_iter().map(|(k, v)| (k.replace(' ', "_"), v)).collect()),
        ingredients: formula
            .ingredients
            .iter()
            .map(|i| IngredientDto {
                id: &i.id,
                name: &i.name,
                role: i.role.as_str(),
                qs: i.is_qs(),
                amount: i.amount.to_string(),
                basis: i.basis.map(|b| b.as_str()),
                molecular_weight: i.molecular_weights.map(|(mw, _)| plain(mw)),
                base_molecular_weight: i.molecular_weights.map(|(_, b)| plain(b)),
                schedule: i.schedule.map(|s| s.as_str()),
                solubility: i.solubility.map(|s| solubility(formula, s)),
                purity: i.purity.map(|p| p.to_string()),
                density: i.density.map(format_density),
                measure: i.measure.as_str(),
                displacement: displacement(formula, i).map(|(kind, value)| DisplacementDto { kind, value }),
                stock: i.stock.map(|s| StockDto {
                    strength: s.strength.to_string(),
                    basis: s.basis.map(|b| b.as_str()),
                    vial: s.vial.map(|v| volume_exact(v).to_string()),
                }),
            })
            .collect(),
        steps: formula.steps.iter().map(|t| t.raw()).collect(),
        quality: formula.quality.iter().map(|t| t.raw()).collect(),
        labeling: formula.labeling.iter().map(|t| t.raw()).collect(),
        warnings: formula.warnings.iter().map(|d| d.message.as_str()).collect(),
        source: SourceDto { path: &source.path, sha256: &source.sha256 },
    };
    super::json::to_pretty(&dto)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{load, source};

    #[test]
    fn nasal_spray_table() {
        let name = "ketamine-hcl-nasal-spray-100";
        insta::assert_snapshot!(table(&load(name), &source(name), 100), @r"
        MASTER FORMULATION RECORD: Ketamine HCl 100 mg/mL Nasal Spray
        *** C-III CONTROLLED SUBSTANCE ***

        == RECORD ==
        Id                  ketamine-hcl-nasal-spray-100
        Name                Ketamine HCl {strength:ketamine-hcl} Nasal Spray
        Revision            3
        Dosage form         nasal-spray
        Basis               volume (batch in mL; the vehicle is qs to volume)
        Route               nasal
        Water               aqueous
        Preserved           yes
        Storage             Refrigerate (2-8 °C)
        Container           15 mL amber glass bottle fitted with a 0.1 mL metered-dose nasal spray pump and
                            dust cap
        Description         Clear, colourless aqueous solution, free of visible particles, in a metered
                            nasal spray bottle
        Beyond-use date     35 days after compounding
                            rule: USP <795> aqueous, preserved (35 days)
        Reference batch     10 mL
        Overage             5%
        Fill per container  10 mL
        Container capacity  15 mL
        Device              dose: spray
                            0.1 mL per spray
                            priming: 6 sprays
                            residual: 0.3 mL
        Source              formulas/ketamine-hcl-nasal-spray-100.toml
        SHA-256             0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

        == INGREDIENTS ==
        ┌──────────────────────────────────────┬──────────────┬───────────┬────────────────────────────────┐
        │ Ingredient                           ┆ Role         ┆ Amount    ┆ Details                        │
        ╞══════════════════════════════════════╪══════════════╪═══════════╪════════════════════════════════╡
        │ Ketamine Hydrochloride USP           ┆ active       ┆ 100 mg/mL ┆ basis: salt                    │
        │ (ketamine-hcl)                       ┆              ┆           ┆ molecular weight: 274.19 (base │
        │                                      ┆              ┆           ┆ 237.73)                        │
        │                                      ┆              ┆           ┆ schedule: CIII (C-III)         │
        │                                      ┆              ┆           ┆ solubility: 200 mg/mL          │
        │ Benzalkonium Chloride Solution 50%   ┆ preservative ┆ 0.01 %w/v ┆ purity: 50%                    │
        │ NF                                   ┆              ┆           ┆ density: 0.98 g/mL             │
        │ (benzalkonium-chloride-50)           ┆              ┆           ┆                                │
        │ Sodium Chloride 0.9% Irrigation USP  ┆ vehicle      ┆ qs        ┆                                │
        │ (sterile)                            ┆              ┆           ┆                                │
        │ (sodium-chloride-0.9)                ┆              ┆           ┆                                │
        └──────────────────────────────────────┴──────────────┴───────────┴────────────────────────────────┘

        == PROCEDURE ==
         1. Verify the MFR revision and the worksheet calculations; confirm the prescription strength is
            ketamine HCl (salt) {strength:ketamine-hcl}, not base.
         2. Clean the compounding area; don gloves and mask. Calibrate the analytical balance and verify it
            with a check weight; note its id on the worksheet.
         3. C-III: withdraw ketamine HCl from controlled-substance stock with a second person verifying;
            record the stock container weight (or perpetual inventory) before and after.
         4. Weigh {weigh:ketamine-hcl} of ketamine HCl on a weighing boat and record the balance readout.
         5. Benzalkonium chloride 50% solution: {weigh:benzalkonium-chloride-50}. When the Warnings section
            gives an aliquot plan for it, follow the plan (weigh the multiplied amount, dissolve it in
            sodium chloride 0.9% to the stated volume, and measure the stated aliquot) and record the
            dilution.
         6. Place about 70% of the prepared volume of {prepared} of sodium chloride 0.9% in a beaker with a
            small stir bar. Add the ketamine HCl and stir until completely dissolved (freely soluble; the
            solution must be clear).
         7. Add the benzalkonium chloride (or its aliquot) and stir to mix.
         8. Transfer to a calibrated graduated cylinder (or volumetric flask), rinse the beaker with small
            portions of sodium chloride 0.9%, adding the rinses, and make up (q.s.) to {qs} with sodium
            chloride 0.9%. Mix well.
         9. Measure the pH (target 3.5 to 5.5). Do not adjust with alkali: ketamine precipitates as the free
            base at high pH.
        10. Inspect against black and white backgrounds for particles. With a calibrated syringe, fill
            {container_plan} (clean amber glass), and fit a metered pump and dust cap to each. (Do not
            filter after adding benzalkonium chloride: it adsorbs to filter membranes.)
        11. Prime each pump (6 actuations to waste) and calibrate: weigh the bottle, deliver 10 sprays into
            a tared bag, re-weigh; mass lost / 10 = mass per spray (SG about 1). Record the calibrated
            volume per spray.
        12. Label, complete the C-III accountability block (withdrawn = in product + QC + waste), and submit
            for pharmacist verification.

        == QUALITY CONTROL ==
        1. Appearance: clear, colourless solution, free of visible particles
        2. pH 3.5 to 5.5 (BP Ketamine Nasal Spray monograph range)
        3. Fill volume: {container_plan} (by weight, SG about 1); {dose_plan} after priming
        4. Spray calibration: mean delivered volume 0.1 mL per actuation within ±10% after 6 priming
           actuations (10 sprays weighed)
        5. Calibrated strength per spray recorded ({per_dose:ketamine-hcl} ketamine HCl nominal)
        6. Yield: 95% to 105% of theoretical

        == LABELING ==
         1. Controlled substance (C-III)
         2. Caution: Federal law prohibits the transfer of this drug to any person other than the patient
            for whom it was prescribed
         3. Prime pump 6 times before first use
         4. Re-prime the pump if it has not been used for several days
         5. For nasal use only
         6. Each spray contains {per_dose:ketamine-hcl} ketamine hydrochloride
         7. Store in the refrigerator (2-8 °C); do not freeze
         8. May cause drowsiness, dizziness or dissociation; do not drive or operate machinery after use
         9. Keep out of reach of children
        10. Compounded preparation
        ");
    }

    #[test]
    fn troche_json() {
        let name = "ketamine-hcl-troche-50";
        // The whole record of the molded form, as a file: six ingredients of one shape.
        insta::assert_snapshot!(json(&load(name), &source(name)));
    }

    #[test]
    fn troche_ingredients_show_displacement() {
        let name = "ketamine-hcl-troche-50";
        let text = table(&load(name), &source(name), 100);
        let start = text.find("== INGREDIENTS ==").unwrap();
        let end = text.find("== PROCEDURE ==").unwrap();
        insta::assert_snapshot!(text[start..end].trim_end(), @"
        == INGREDIENTS ==
        ┌─────────────────────────────┬───────────┬────────────┬────────────────────────────────────────┐
        │ Ingredient                  ┆ Role      ┆ Amount     ┆ Details                                │
        ╞═════════════════════════════╪═══════════╪════════════╪════════════════════════════════════════╡
        │ Ketamine Hydrochloride USP  ┆ active    ┆ 50 mg/unit ┆ basis: salt                            │
        │ (ketamine-hcl)              ┆           ┆            ┆ molecular weight: 274.19 (base 237.73) │
        │                             ┆           ┆            ┆ schedule: CIII (C-III)                 │
        │                             ┆           ┆            ┆ displacement factor: 0.7               │
        │ Acacia NF, powder           ┆ excipient ┆ 0.5 g      ┆ displacement factor: 0.7               │
        │ (acacia)                    ┆           ┆            ┆                                        │
        │ Silica gel, micronized      ┆ excipient ┆ 0.3 g      ┆ displacement factor: 1                 │
        │ (silica-gel)                ┆           ┆            ┆                                        │
        │ Aspartame NF                ┆ sweetener ┆ 0.25 g     ┆ displacement factor: 0.7               │
        │ (aspartame)                 ┆           ┆            ┆                                        │
        │ Raspberry flavor, powder    ┆ flavor    ┆ 0.3 g      ┆ displacement factor: 0.7               │
        │ (flavor-raspberry)          ┆           ┆            ┆                                        │
        │ Polyethylene Glycol 1450 NF ┆ base      ┆ qs         ┆                                        │
        │ (troche base)               ┆           ┆            ┆                                        │
        │ (peg-1450)                  ┆           ┆            ┆                                        │
        └─────────────────────────────┴───────────┴────────────┴────────────────────────────────────────┘
        ");
    }

    #[test]
    fn drops_device_json() {
        let name = "ketamine-hcl-sublingual-drops-50";
        let v: serde_json::Value = serde_json::from_str(&json(&load(name), &source(name))).unwrap();
        insta::assert_snapshot!(serde_json::to_string_pretty(&v["device"]).unwrap(), @r#"
            {
              "dose": "drop",
              "per_ml": "20",
              "priming": "0",
              "residual": "0 mL",
              "volume": null
            }
            "#);
        assert_eq!(v["ingredients"][0]["amount"], "50 mg/mL");
        assert_eq!(v["source"]["path"], "formulas/ketamine-hcl-sublingual-drops-50.toml");
    }
}
