//! The parts of the worksheet that only an IV infusion has (SPEC §8.5): the patient, the
//! infusion's figures with the pump settings, the USP <797> checklist, the controlled
//! substance drawn from vials, and the bag label. Every figure is printed by
//! [`super::figures::iv`], as the formula's placeholders print it.

use super::accountability;
use super::figures::{Figures, bud_when, hhmm, iv};
use super::sheet::{BLANK, Block, Check, Section};
use crate::calc::{Batch, Controlled, Infusion};
use crate::formula::{Formula, InfusionMethod};

/// `35 mg (base) = 40.37 mg (salt)`.
pub(crate) fn dose_text(i: &Infusion) -> String {
    let mut out = format!("{} ({})", iv::mass(i.dose), i.basis.as_str());
    if let Some((b, m)) = i.dose_other_basis {
        out.push_str(&format!(" = {} ({})", iv::mass(m), b.as_str()));
    }
    out
}

/// The preparation: what, for whom it is made and when, and when it must be used by.
pub(crate) fn header(
    formula: &Formula,
    source: &super::Source,
    batch: &Batch,
    figures: &Figures<'_>,
) -> Section {
    let time = batch.infusion.as_ref().map(|i| hhmm(i.time)).unwrap_or_default();
    let fields = vec![
        ("Compounded".to_string(), format!("{} at {time}", batch.date)),
        ("Batch id".to_string(), batch.batch_id.clone().unwrap_or_else(|| BLANK.to_string())),
        ("Beyond-use date".to_string(), super::worksheet::bud_text(formula, batch)),
    ];
    let form = format!("{} (sterile, USP <797>)", formula.dosage_form);
    super::worksheet::preparation(formula, source, figures, form, fields)
}

/// Who the bag is for, and the dose rule their weight gives.
pub(crate) fn patient(i: &Infusion) -> Section {
    let weight = match i.weight {
        Some(w) if w.given.unit == crate::unit::Unit::KG => format!("{}", w.given),
        Some(w) => format!("{} = {} kg", w.given, iv_number(w.kg)),
        None => "not given (a fixed dose)".to_string(),
    };
    let rule = match i.rule {
        Some(r) => format!("{} mg/kg ({})", r.normalize(), i.basis.as_str()),
        None => format!("fixed dose of {}", iv::mass(i.uncapped.unwrap_or(i.dose))),
    };
    let f = vec![
        ("Patient name".to_string(), BLANK.to_string()),
        ("Identifier".to_string(), format!("{BLANK} (MRN or date of birth)")),
        ("Weight".to_string(), format!("{weight}   verified by {BLANK}")),
        ("Dose rule".to_string(), rule),
        ("Prescriber".to_string(), BLANK.to_string()),
    ];
    Section::of("Patient", Block::Fields(f))
}

/// A number to at most 4 decimal places, for a converted weight.
fn iv_number(v: rust_decimal::Decimal) -> String {
    super::readable(v, 4)
}

/// The infusion's figures: what goes into the bag and how the pump is set.
pub(crate) fn figures(i: &Infusion) -> Section {
    let mut f: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: String| f.push((k.to_string(), v));
    let mut dose = dose_text(i);
    if let Some(u) = i.uncapped {
        dose.push_str(&format!("\ncapped at the formula's maximum (the rule gives {})", iv::mass(u)));
    }
    push("Dose", dose);
    if i.method == InfusionMethod::FixedConcentration {
        push("Drug in the bag", format!("{} ({})", iv::mass(i.drug_in_bag), i.basis.as_str()));
    }
    let vials = match (i.vials, i.vial) {
        (Some(n), Some(v)) => format!("; {}", super::sheet::open_vials(n, &iv::volume(v))),
        _ => String::new(),
    };
    push(
        "Drug volume",
        format!("{} of {} stock{vials}", iv::volume(i.drug_volume), iv::concentration(i.stock)),
    );
    let bag = if i.overfill.is_zero() {
        iv::volume(i.bag)
    } else {
        format!("{} + {} overfill", iv::volume(i.bag), iv::volume(i.overfill))
    };
    let replace = if i.replace { " (withdraw the drug's volume from the bag first)" } else { "" };
    push("Bag", format!("{bag}{replace}"));
    push("Final volume", iv::volume(i.final_volume));
    let mut conc = iv::concentration(i.concentration);
    if let Some(n) = i.nominal {
        conc.push_str(&format!(
            " (nominal {}; the pump is set from the true one)",
            iv::concentration(n.concentration)
        ));
    }
    push("Concentration", conc);
    let mut vi = iv::volume(i.volume_to_infuse);
    if i.method == InfusionMethod::WholeBag {
        vi.push_str(" (the whole bag)");
    }
    if let Some(n) = i.nominal {
        vi.push_str(&format!(" (nominal {})", iv::volume(n.volume_to_infuse)));
    }
    push("Volume to infuse", vi);
    push("Duration", iv::duration(i.duration));
    let mut rate = iv::rate(i.rate);
    if let Some(n) = i.nominal {
        rate.push_str(&format!(" (nominal {})", iv::rate(n.rate)));
    }
    push("Pump rate", rate);
    if let (Some(d), Some(df)) = (i.drip_rate, i.drop_factor) {
        push("Drip rate", format!("{} on a {} gtt/mL set", iv::drip(d), df.normalize()));
    }
    push(
        "Rounding",
        "volumes to 0.01 mL, rates to 0.1 mL/h, drip rates to whole drops, doses and concentrations to 4 significant figures; the exact values are in the JSON output".to_string(),
    );
    Section::of("Infusion", Block::Fields(f))
}

/// The USP <797> steps every sterile bag takes, with the second person's check of the
/// drawn volume before it goes into the bag.
pub(crate) fn aseptic(i: &Infusion) -> Section {
    let items = [
        "Primary engineering control (ISO 5) certified and cleaned; work at least 6 inches inside it",
        "Hand hygiene and garbing done (gloves, gown, mask, hair cover) before entering",
        "Vial septa and the bag's injection port disinfected with sterile 70% isopropyl alcohol and let dry",
        &format!(
            "Second person verifies the drawn volume ({}) in the syringe BEFORE it goes into the bag",
            iv::volume(i.drug_volume)
        ),
        "Drug injected into the bag with aseptic technique; bag mixed by gentle inversion",
        "Bag inspected: no particles, leaks or discolouration; labelled before it leaves the hood",
    ];
    let items = items.iter().map(|t| Check { text: (*t).to_string(), mark: None }).collect();
    Section::of("USP <797> aseptic technique", Block::Checklist { items, result: false })
}

/// The controlled substance drawn from vials, in mg and mL, and what is left to waste.
pub(crate) fn accountability(batch: &Batch, i: &Infusion) -> Section {
    let blocks = batch.controlled.iter().map(|c| Block::Fields(controlled_fields(batch, i, c))).collect();
    Section { heading: "Controlled-substance accountability".to_string(), blocks }
}

fn controlled_fields(batch: &Batch, i: &Infusion, c: &Controlled) -> Vec<(String, String)> {
    let drawn = c.withdraw_volume.map(iv::volume).unwrap_or_default();
    let mut f = accountability::substance(c);
    f.push(("Vial lot".to_string(), accountability::lot(batch, c)));
    f.push((
        "To draw from vials".to_string(),
        format!("{} = {} ({})", drawn, iv::mass(c.withdraw), i.basis.as_str()),
    ));
    if let (Some(n), Some(v), Some(left)) = (i.vials, i.vial, i.left_in_vials) {
        f.push((
            "Vials opened".to_string(),
            format!(
                "{n} × {} (expected left in the vials: {}; record or waste with a witness)",
                iv::volume(v),
                iv::volume(left)
            ),
        ));
    }
    f.push(("Drawn (actual)".to_string(), format!("{BLANK} mL")));
    f.push(("Into the bag".to_string(), format!("{BLANK} (expected {})", iv::mass(c.in_product))));
    if let Some(u) = c.undelivered.filter(|u| !u.is_zero()) {
        f.push((
            "Left in the bag (waste)".to_string(),
            format!("{BLANK} (expected {}: the bag holds more than the dose; waste what is not infused with a witness)", iv::mass(u)),
        ));
    }
    f.push((
        "Reconciled".to_string(),
        format!("[ ] yes   [ ] no   (drawn = into the bag: {} = {drawn})", iv::mass(c.withdraw)),
    ));
    accountability::sign(&mut f);
    f
}

/// The bag's label, as the technician copies it or checks the printed one against it.
pub(crate) fn bag_label(formula: &Formula, batch: &Batch, i: &Infusion, figures: &Figures<'_>) -> Section {
    let drug = batch.strengths.first().map_or_else(|| formula.id.clone(), |s| s.name.clone());
    let mut f = vec![
        ("Patient".to_string(), format!("{BLANK}   identifier {BLANK}")),
        ("Drug and dose".to_string(), format!("{drug}: {}", dose_text(i))),
        ("Total volume".to_string(), iv::volume(i.final_volume)),
        ("Concentration".to_string(), iv::concentration(i.concentration)),
        ("Infuse".to_string(), infuse_text(i)),
        ("Beyond-use".to_string(), bud_when(&batch.bud)),
        ("Storage".to_string(), super::sheet::title_case(formula.storage.describe())),
    ];
    if formula.schedule().is_some() {
        f.push(("Caution".to_string(), super::label::FEDERAL_CAUTION.to_string()));
    }
    f.push(("Preparation".to_string(), figures.title()));
    Section::of("Bag label", Block::Fields(f))
}

/// `100.7 mL over 40 min at 151.1 mL/h (38 gtt/min)`.
pub(crate) fn infuse_text(i: &Infusion) -> String {
    let drip = i.drip_rate.map(|d| format!(" ({})", iv::drip(d))).unwrap_or_default();
    format!(
        "{} over {} at {}{drip}",
        iv::volume(i.volume_to_infuse),
        iv::duration(i.duration),
        iv::rate(i.rate)
    )
}
