//! The parts of the worksheet that only an IV infusion has (SPEC §8.5, §12): the patient,
//! the infusion's figures with the pump settings, the USP <797> checklist, the controlled
//! substance drawn from vials, and the bag label. Every figure is printed by
//! [`crate::number::iv`], as the formula's placeholders print it, and every figure for the
//! person who prepares, checks, labels or hangs the bag is the bag as made (SPEC §12.3):
//! what the volume actually drawn holds.

use super::accountability;
use super::figures::{Figures, bud_when, drawn_of_stock};
use super::sheet::{BLANK, Block, Check, Section, Sheet, schedule_banner};
use super::worksheet;
use crate::calc::{Batch, Controlled, Custom, Infusion, Line};
use crate::formula::{Formula, InfusionMethod, Ingredient};
use crate::measure::{Measured, PerKg};
use crate::number::{date_time, hhmm};
use crate::number::{iv, signed_percent};

/// `35 mg (base) = 40.37 mg (salt)`: the dose ordered, in both bases.
pub(crate) fn dose_text(i: &Infusion) -> String {
    let mut out = format!("{} ({})", iv::mass(i.dose), i.basis.as_str());
    if let Some((b, m)) = i.dose_other_basis {
        out.push_str(&format!(" = {} ({})", iv::mass(m), b.as_str()));
    }
    out
}

/// `0.4167 mg/kg`.
fn per_kg(v: PerKg) -> String {
    format!("{} mg/kg", crate::number::four_significant(v.mg_per_kg()))
}

/// What a custom infusion has of its own, as its banner and title print it: `1 mg/kg =
/// 83.4 mg`, `250 mL`, `60 min`, `100 mg (authorized by Dr Lee)`.
pub(crate) fn custom_this(c: &Custom) -> String {
    let mg = crate::number::mg_four_significant;
    match c {
        Custom::Dose { given, delivered, .. } => {
            let (given, delivered) = (given.to_string(), mg(*delivered));
            if given == delivered { delivered } else { format!("{given} = {delivered}") }
        }
        Custom::Bag { this, .. } => crate::number::trail_ml(this.ml()),
        Custom::Duration { this, .. } => minutes(*this),
        Custom::Maximum { this, by, .. } => format!("{} (authorized by {by})", mg(*this)),
    }
}

/// The formula's own value of what a custom infusion changed.
fn custom_formula(c: &Custom) -> String {
    match c {
        Custom::Dose { formula, .. } => formula.to_string(),
        Custom::Bag { formula, .. } => crate::number::trail_ml(formula.ml()),
        Custom::Duration { formula, .. } => minutes(*formula),
        Custom::Maximum { formula, .. } => {
            formula.map_or_else(|| "no maximum".to_string(), crate::number::mg_four_significant)
        }
    }
}

/// `40 min`, as the trail writes minutes.
fn minutes(d: crate::measure::Duration) -> String {
    format!("{} min", crate::number::trail_num(d.minutes()))
}

/// The dose as the label and the bag label print it: the dose delivered, per kg beside it,
/// and what it differs from (SPEC §12.4): `50 mg (capped at the maximum; 0.4167 mg/kg)`,
/// `41.5 mg (0.4976 mg/kg; ordered 41.7 mg; rounded to a measurable 0.83 mL)`.
pub(crate) fn dose_label(i: &Infusion) -> String {
    let delivered = iv::mass(i.as_measured.dose);
    let mut notes = Vec::new();
    if i.uncapped.is_some() {
        notes.push("capped at the maximum".to_string());
    }
    notes.extend(i.dose_per_kg.map(per_kg));
    if delivered != iv::mass(i.dose) {
        notes.push(format!(
            "ordered {}; rounded to a measurable {}",
            iv::mass(i.dose),
            iv::volume(i.as_measured.drawn)
        ));
    }
    if notes.is_empty() { delivered } else { format!("{delivered} ({})", notes.join("; ")) }
}

/// `1.125 mg/h = 0.75 mg/kg/h`.
pub(crate) fn dose_rate_text(i: &Infusion) -> String {
    let sig = crate::number::four_significant;
    let mut out = format!("{} mg/h", sig(i.dose_rate.per_hour.mg_per_h()));
    if let Some(k) = i.dose_rate.per_kg_per_hour {
        out.push_str(&format!(" = {} mg/kg/h", sig(k.mg_per_kg_per_h())));
    }
    out
}

/// The drug's name as a label states the container's contents: the substance the
/// formula names (`Ketamine`), else the ingredient's id; never the stock's name, which
/// carries the stock's strength (SPEC §12.5).
pub(crate) fn drug_name(ing: &Ingredient) -> String {
    super::sheet::title_case(ing.substance.as_deref().unwrap_or(&ing.id))
}

/// What the bag holds, its first strength (SPEC §12.5), in the declared basis only:
/// `Ketamine 41.5 mg (as base) in 100.83 mL 0.9% Sodium Chloride (0.4116 mg/mL)`.
pub(crate) fn contents(formula: &Formula, i: &Infusion) -> String {
    let m = &i.as_measured;
    let drug = formula.actives().next().map_or_else(|| formula.id.clone(), drug_name);
    let vehicle = formula.qs().map(|v| format!(" {}", v.name)).unwrap_or_default();
    format!(
        "{drug} {} (as {}) in {}{vehicle} ({})",
        iv::mass(m.in_bag),
        i.basis.as_str(),
        iv::volume(m.final_volume),
        iv::concentration(m.concentration)
    )
}

/// What the bag was made from, printed after its contents, never beside them.
pub(crate) fn prepared_from(formula: &Formula) -> Option<String> {
    formula.actives().find(|a| a.stock.is_some()).map(|a| a.name.clone())
}

/// `Start by 20:20`: the latest start that ends the infusion by the beyond-use time; with
/// its date when that is not the compounding date.
pub(crate) fn start_by(batch: &Batch, i: &Infusion) -> String {
    let t = hhmm(i.start_by.time());
    let at = if i.start_by.date() == batch.date { t } else { date_time(i.start_by.date(), Some(t)) };
    if i.ends_after_bud {
        format!("{at} (already past at compounding: the bag cannot be infused in full before it expires)")
    } else {
        at
    }
}

/// The banner of a capped dose (SPEC §12.4): `DOSE CAPPED: 50 mg = 0.4167 mg/kg (0.5 mg/kg ×
/// 120 kg = 60 mg is above the maximum of 50 mg)`.
pub(crate) fn capped_banner(i: &Infusion) -> Option<String> {
    let uncapped = i.uncapped?;
    let max = i.max.map_or_else(String::new, |m| format!(" of {}", iv::mass(m)));
    let delivered = match i.dose_per_kg {
        Some(k) => format!("{} = {}", iv::mass(i.as_measured.dose), per_kg(k)),
        None => iv::mass(i.as_measured.dose),
    };
    let why = match (i.rule, i.weight) {
        (Some(r), Some(w)) => {
            format!("{} mg/kg × {} = {}", r.mg_per_kg().normalize(), w.given, iv::mass(uncapped))
        }
        _ => format!("the fixed dose of {}", iv::mass(uncapped)),
    };
    Some(format!("DOSE CAPPED: {delivered} ({why} is above the maximum{max})"))
}

/// The preparation: what, for whom it is made and when, and when it must be used by.
fn header(
    formula: &Formula,
    source: &super::Source,
    batch: &Batch,
    i: &Infusion,
    figures: &Figures<'_>,
) -> Section {
    let fields = vec![
        ("Compounded".to_string(), format!("{} at {}", batch.date, hhmm(i.time))),
        ("Batch id".to_string(), batch.batch_id.clone().unwrap_or_else(|| BLANK.to_string())),
        ("Beyond-use date".to_string(), super::worksheet::bud_text(formula, batch)),
        ("Start by".to_string(), format!("{} (the beyond-use time less the duration)", start_by(batch, i))),
    ];
    let form = format!("{} (sterile, USP <797>)", formula.dosage_form);
    super::worksheet::preparation(formula, source, figures, form, fields)
}

/// The worksheet of an infusion: one bag for one patient (SPEC §8.5).
pub(crate) fn sheet(r: &super::Report<'_>, i: &Infusion) -> Sheet {
    let super::Report { formula, source, batch, explain, .. } = *r;
    let figures = Figures::new(formula, batch);
    // A capped dose is said right under the title (SPEC §12.4), then the schedule.
    let mut banners: Vec<String> = capped_banner(i).into_iter().collect();
    banners.extend(schedule_banner(formula));
    banners.extend(worksheet::custom_banners(batch));
    banners.extend(i.custom.iter().map(|c| {
        format!(
            "CUSTOM {}: {} (this MFR is written for {})",
            c.what().to_uppercase(),
            custom_this(c),
            custom_formula(c)
        )
    }));
    let mut sections = vec![
        header(formula, source, batch, i, &figures),
        patient(i),
        worksheet::ingredients(formula, batch, |l, ing| cells(l, ing, i)),
        self::figures(formula, batch, i),
    ];
    if explain {
        let prepared = format!("one bag of {}", crate::number::trail_ml(i.final_volume.ml()));
        sections.push(Section::of("Calculation trail", Block::Trail(worksheet::trail(batch, prepared))));
    }
    sections.extend(worksheet::warnings(batch));
    sections.extend(worksheet::procedure(formula, batch, &figures, BAG, true));
    sections.push(aseptic(i));
    sections.extend(worksheet::quality(formula, batch, &figures, BAG));
    if !batch.controlled.is_empty() {
        sections.push(accountability(batch));
    }
    sections.push(bag_label(formula, batch, i, &figures));
    sections.extend(worksheet::closing());
    Sheet { kind: "Compounding worksheet", title: figures.title(), banners, sections }
}

/// What a step written for the formula's own bag names.
const BAG: &str = "the formula's bag";

/// An infusion's line in the ingredient table: its vehicle is the bag; its drug is a dose,
/// printed to 4 significant figures (SPEC §8.3).
fn cells(line: &Line, ing: Option<&Ingredient>, i: &Infusion) -> [String; 2] {
    if line.qs {
        return [format!("the bag, {}", iv::volume(i.bag)), format!("{} bag as supplied", iv::volume(i.bag))];
    }
    let amount = match line.required {
        Measured::Mass(mg) => iv::mass(mg),
        Measured::Volume(ml) => crate::number::approx_volume(ml),
    };
    [worksheet::of_what(amount, ing), worksheet::take(line, ing, true)]
}

/// Who the bag is for, and the dose rule their weight gives.
pub(crate) fn patient(i: &Infusion) -> Section {
    let weight = match i.weight {
        Some(w) if w.given.unit == crate::unit::Unit::KG => format!("{}", w.given),
        Some(w) => format!("{} = {} kg", w.given, iv_number(w.kg.kg())),
        None => "not given (a fixed dose)".to_string(),
    };
    let rule = match i.rule {
        Some(r) => format!("{} mg/kg ({})", r.mg_per_kg().normalize(), i.basis.as_str()),
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
    crate::number::readable(v, 4)
}

/// The infusion's figures: the dose ordered and delivered, what goes into the bag and how
/// the pump is set, every figure from the bag as made.
pub(crate) fn figures(formula: &Formula, batch: &Batch, i: &Infusion) -> Section {
    let m = &i.as_measured;
    let mut f: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: String| f.push((k.to_string(), v));
    let mut dose = dose_text(i);
    if let Some(u) = i.uncapped {
        dose.push_str(&format!("\ncapped at the maximum (the rule gives {})", iv::mass(u)));
    }
    push("Dose ordered", dose);
    let delivered = match i.method {
        InfusionMethod::WholeBag => format!(
            "{} ({}), the whole bag as made ({} from the order)",
            iv::mass(m.dose),
            i.basis.as_str(),
            signed_percent(m.deviation.percent(), 2)
        ),
        InfusionMethod::FixedConcentration => {
            format!("{} ({}), the volume to infuse of the bag as made", iv::mass(m.dose), i.basis.as_str())
        }
    };
    push("Dose delivered", delivered);
    if let Some(k) = i.dose_per_kg {
        push("Dose per kg", per_kg(k));
    }
    push("Dose rate", dose_rate_text(i));
    if let Some(max) = i.max {
        let by = match &i.max_authorized_by {
            Some(by) => format!(" (this order's, authorized by {by})"),
            None => " (the formula's)".to_string(),
        };
        push("Maximum", format!("{}{by}", iv::mass(max)));
    }
    if i.method == InfusionMethod::FixedConcentration {
        push(
            "Drug in the bag",
            format!(
                "{} ({}) as made ({} from {})",
                iv::mass(m.in_bag),
                i.basis.as_str(),
                signed_percent(m.deviation.percent(), 2),
                iv::mass(i.drug_in_bag)
            ),
        );
    }
    let drawn = active_line(formula, batch)
        .and_then(|(line, ing)| drawn_of_stock(line, &ing.stock?, true, true))
        .unwrap_or_else(|| iv::volume(m.drawn));
    let vials = match (i.vials, i.vial) {
        (Some(n), Some(v)) => format!("; {}", super::sheet::open_vials(n, &iv::volume(v))),
        _ => String::new(),
    };
    push("Drug volume", format!("{drawn}{vials}"));
    let bag = if i.overfill.is_zero() {
        iv::volume(i.bag)
    } else {
        format!("{} + {} overfill", iv::volume(i.bag), iv::volume(i.overfill))
    };
    let replace = if i.replace { " (withdraw the drug's volume from the bag first)" } else { "" };
    push("Bag", format!("{bag}{replace}"));
    push("Final volume", iv::volume(m.final_volume));
    let mut conc = iv::concentration(m.concentration);
    if let Some(n) = i.nominal {
        conc.push_str(&format!(
            " (nominal {}; the pump is set from the true one)",
            iv::concentration(n.concentration)
        ));
    }
    push("Concentration", conc);
    let mut vi = iv::volume(m.volume_to_infuse);
    if i.method == InfusionMethod::WholeBag {
        vi.push_str(" (the whole bag)");
    }
    if let Some(n) = i.nominal {
        vi.push_str(&format!(" (nominal {})", iv::volume(n.volume_to_infuse)));
    }
    push("Volume to infuse", vi);
    push("Duration", iv::duration(i.duration));
    let mut rate = iv::rate(m.rate);
    if let Some(n) = i.nominal {
        rate.push_str(&format!(" (nominal {})", iv::rate(n.rate)));
    }
    push("Pump rate", rate);
    if let (Some(d), Some(df)) = (m.drip_rate, i.drop_factor) {
        push("Drip rate", format!("{} on a {} gtt/mL set", iv::drip(d), df.gtt_per_ml().normalize()));
    }
    if let Some(fl) = i.fluid_per_kg {
        push(
            "Fluid",
            format!(
                "{} mL/kg (the volume to infuse ÷ weight)",
                crate::number::four_significant(fl.ml_per_kg())
            ),
        );
    }
    push(
        "Rounding",
        "the drug volume to its syringe's marks, and every figure from the volume drawn; volumes to 0.01 mL, rates to 0.1 mL/h, drip rates to whole drops, doses and concentrations to 4 significant figures; the exact values are in the JSON output".to_string(),
    );
    Section::of("Infusion", Block::Fields(f))
}

/// The active's line and ingredient.
fn active_line<'b>(
    formula: &'b Formula,
    batch: &'b Batch,
) -> Option<(&'b crate::calc::Line, &'b Ingredient)> {
    let ing = formula.actives().next()?;
    Some((batch.lines.iter().find(|l| l.id == ing.id)?, ing))
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
            iv::volume(i.as_measured.drawn)
        ),
        "Drug injected into the bag with aseptic technique; bag mixed by gentle inversion",
        "Bag inspected: no particles, leaks or discolouration; labelled before it leaves the hood",
    ];
    let items = items.iter().map(|t| Check::new((*t).to_string())).collect();
    Section::of("USP <797> aseptic technique", Block::Checklist { items, result: false })
}

/// The controlled substance drawn from vials, in mL and mg, and what is left to waste.
pub(crate) fn accountability(batch: &Batch) -> Section {
    let blocks = batch.controlled.iter().map(|c| Block::Fields(controlled_fields(batch, c))).collect();
    Section { heading: "Controlled-substance accountability".to_string(), blocks }
}

fn controlled_fields(batch: &Batch, c: &Controlled) -> Vec<(String, String)> {
    let am = &c.as_measured;
    let mass = |m| iv::mass(m);
    let mut f = accountability::substance(c);
    f.push(("Vial lot".to_string(), accountability::lot(batch, c)));
    let into = if am.dilution_remainder.is_some() { " (into the dilution)" } else { "" };
    f.push((
        "To draw from vials".to_string(),
        format!("{}{into}", accountability::part(c, &am.withdraw, "", &mass)),
    ));
    if let Some(l) = c.left_in_vials {
        f.push(("Vials opened".to_string(), accountability::vials_opened(c, &l, &mass)));
    }
    f.push(("Drawn (actual)".to_string(), format!("{BLANK} mL")));
    let dilution = batch.lines.iter().find(|l| l.id == c.id).and_then(|l| l.dilution.as_ref());
    let of = dilution.map(|d| format!(" of the {} dilution", d.labelled)).unwrap_or_default();
    let into_bag = accountability::part(c, &am.in_product, &of, &mass);
    f.push(("Into the bag".to_string(), format!("{BLANK} (expected {into_bag})")));
    let mut sum = vec!["into the bag".to_string()];
    if let Some(rest) = &am.dilution_remainder {
        f.push((
            "Dilution left (waste)".to_string(),
            format!(
                "{BLANK} (expected {}: never stored; waste it with a witness before the bag leaves the hood)",
                accountability::part(c, rest, &of, &mass)
            ),
        ));
        sum.push("dilution left".to_string());
    }
    if let Some(u) = am.undelivered.filter(|u| !u.amount.is_zero()) {
        f.push((
            "Left in the bag (waste)".to_string(),
            format!(
                "{BLANK} (expected {}: the bag holds more than the dose; waste what is not infused with a witness)",
                accountability::part(c, &u, " of the bag", &mass)
            ),
        ));
    }
    // In the basis the stock is labelled in, as the lines above print it.
    let shown = |p: &crate::calc::Part| iv::mass(p.labelled.unwrap_or(p.amount));
    let figures: Vec<String> =
        std::iter::once(&am.in_product).chain(am.dilution_remainder.as_ref()).map(shown).collect();
    f.push((
        "Reconciled".to_string(),
        format!(
            "[ ] yes   [ ] no   (drawn = {}: {} = {})",
            sum.join(" + "),
            shown(&am.withdraw),
            figures.join(" + ")
        ),
    ));
    f.push(("Waste witnessed by".to_string(), BLANK.to_string()));
    accountability::sign(&mut f);
    f
}

/// The bag's label, as the technician copies it or checks the printed one against it:
/// first what the bag holds (SPEC §12.5), then the dose delivered, the volume to infuse
/// first when the bag holds more than the dose, and the stock it was made from last.
pub(crate) fn bag_label(formula: &Formula, batch: &Batch, i: &Infusion, figures: &Figures<'_>) -> Section {
    let m = &i.as_measured;
    let mut f = vec![
        ("Patient".to_string(), format!("{BLANK}   identifier {BLANK}")),
        ("Contents".to_string(), contents(formula, i)),
        ("Dose".to_string(), dose_label(i)),
        ("Dose rate".to_string(), dose_rate_text(i)),
    ];
    if i.bag_exceeds_dose {
        f.push((
            "VTBI".to_string(),
            format!("{} (the bag holds more than the dose)", iv::volume(m.volume_to_infuse)),
        ));
    }
    f.push(("Total volume".to_string(), iv::volume(m.final_volume)));
    f.push(("Concentration".to_string(), iv::concentration(m.concentration)));
    f.push(("Infuse".to_string(), infuse_text(i)));
    f.push(("Pump".to_string(), USE_A_PUMP.to_string()));
    f.push(("Start by".to_string(), start_by(batch, i)));
    f.push(("Beyond-use".to_string(), bud_when(&batch.bud)));
    f.push(("Storage".to_string(), super::sheet::title_case(formula.storage.describe())));
    if let Some(by) = &i.max_authorized_by {
        f.push((
            "Maximum".to_string(),
            format!("{}, authorized by {by}", i.max.map(iv::mass).unwrap_or_default()),
        ));
    }
    if formula.schedule().is_some() {
        f.push(("Caution".to_string(), super::label::FEDERAL_CAUTION.to_string()));
    }
    if let Some(from) = prepared_from(formula) {
        f.push(("Prepared from".to_string(), from));
    }
    f.push(("Preparation".to_string(), figures.title()));
    Section::of("Bag label", Block::Fields(f))
}

/// What every infusion label says (SPEC §12.4).
pub(crate) const USE_A_PUMP: &str = "Use an infusion pump";

/// `100.7 mL over 40 min at 151.1 mL/h (38 gtt/min)`, from the bag as made.
pub(crate) fn infuse_text(i: &Infusion) -> String {
    let m = &i.as_measured;
    let drip = m.drip_rate.map(|d| format!(" ({})", iv::drip(d))).unwrap_or_default();
    format!(
        "{} over {} at {}{drip}",
        iv::volume(m.volume_to_infuse),
        iv::duration(i.duration),
        iv::rate(m.rate)
    )
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::super::trail::word;
    use super::{Custom, custom_formula, custom_this};
    use crate::calc::Step;
    use crate::measure::{BodyWeight, Concentration, DripRate, DropFactor, Duration, Mass, Rate, Volume};
    use crate::quantity::{Amount, Quantity};

    fn ml(v: rust_decimal::Decimal) -> Volume {
        Volume::from_ml(v)
    }

    fn mg(v: rust_decimal::Decimal) -> Mass {
        Mass::from_mg(v)
    }

    #[test]
    fn each_step_of_a_bag_is_worded_with_its_terms() {
        let rule = Amount::Quantity(Quantity::parse("0.5 mg/kg").unwrap());
        let steps = [
            (
                Step::DosePerKg { rule, weight: BodyWeight::from_kg(dec!(69.853)), dose: mg(dec!(34.9265)) },
                "dose: 0.5 mg/kg × 69.853 kg = 34.9265 mg",
            ),
            (
                Step::DoseFixed { dose: Amount::Quantity(Quantity::parse("35 mg").unwrap()) },
                "dose: 35 mg (fixed)",
            ),
            (Step::Capped { max: mg(dec!(1500)) }, "capped at the maximum: 1.5 g"),
            (
                Step::DrugInBag {
                    concentration: Concentration::from_mg_per_ml(dec!(1)),
                    bag: ml(dec!(250)),
                    drug: mg(dec!(250)),
                },
                "drug in the bag: 1 mg/mL × 250 mL = 250 mg",
            ),
            (
                Step::DrugVolume {
                    drug: mg(dec!(35)),
                    stock: Concentration::from_mg_per_ml(dec!(50)),
                    volume: ml(dec!(0.7)),
                },
                "drug volume: 35 mg ÷ 50 mg/mL = 0.7 mL",
            ),
            (
                Step::FinalVolume {
                    bag: ml(dec!(100)),
                    overfill: ml(dec!(7)),
                    drug: ml(dec!(0.7)),
                    result: ml(dec!(107.7)),
                },
                "final volume: 100 mL + 7 mL overfill + 0.7 mL = 107.7 mL",
            ),
            (
                Step::FinalVolume {
                    bag: ml(dec!(100)),
                    overfill: Volume::ZERO,
                    drug: ml(dec!(0.7)),
                    result: ml(dec!(100.7)),
                },
                "final volume: 100 mL + 0.7 mL = 100.7 mL",
            ),
            (
                Step::FinalVolumeReplaced { result: ml(dec!(107)) },
                "final volume: 107 mL (as much as the drug's volume withdrawn first)",
            ),
            (
                Step::Concentration {
                    drug: mg(dec!(35)),
                    final_volume: ml(dec!(100.7)),
                    result: Concentration::from_mg_per_ml(dec!(35) / dec!(100.7)),
                },
                "concentration: 35 mg ÷ 100.7 mL = 0.3476 mg/mL",
            ),
            (
                Step::VolumeToInfuse {
                    dose: mg(dec!(35)),
                    final_volume: ml(dec!(255)),
                    drug: mg(dec!(250)),
                    result: ml(dec!(35.7)),
                },
                "volume to infuse: 35 mg × 255 mL ÷ 250 mg = 35.7 mL",
            ),
            (
                Step::Rate {
                    volume: ml(dec!(100.7)),
                    duration: Duration::from_minutes(dec!(40)),
                    result: Rate::from_ml_per_h(dec!(151.05)),
                },
                "rate: 100.7 mL over 40 min = 151.05 mL/h",
            ),
            (
                Step::DripRate {
                    rate: Rate::from_ml_per_h(dec!(151.05)),
                    drop_factor: DropFactor::from_gtt_per_ml(dec!(20)),
                    result: DripRate::from_gtt_per_min(dec!(50.35)),
                },
                "drip rate: 151.05 mL/h × 20 gtt/mL ÷ 60 = 50.35 gtt/min",
            ),
            (
                Step::AsMade {
                    drawn: ml(dec!(0.70)),
                    holds: mg(dec!(35)),
                    final_volume: ml(dec!(100.7)),
                    concentration: Concentration::from_mg_per_ml(dec!(35) / dec!(100.7)),
                    volume_to_infuse: ml(dec!(100.7)),
                    rate: Rate::from_ml_per_h(dec!(151.05)),
                },
                // The volume drawn keeps the places of the syringe it was rounded to.
                "as made: 0.70 mL drawn holds 35 mg; the bag 100.7 mL at 0.3476 mg/mL; 100.7 mL to infuse at 151.05 mL/h",
            ),
        ];
        for (step, words) in steps {
            assert_eq!(word(&step), words);
        }
    }

    #[test]
    fn what_a_custom_infusion_changed_is_worded_beside_the_formula() {
        let q = |s: &str| Amount::Quantity(Quantity::parse(s).unwrap());
        let dose = Custom::Dose { given: q("1 mg/kg"), delivered: mg(dec!(83.4)), formula: q("0.5 mg/kg") };
        assert_eq!(
            (custom_this(&dose), custom_formula(&dose)),
            ("1 mg/kg = 83.4 mg".into(), "0.5 mg/kg".into())
        );
        // A fixed dose as given is the dose delivered: said once.
        let fixed = Custom::Dose { given: q("40 mg"), delivered: mg(dec!(40)), formula: q("35 mg") };
        assert_eq!(custom_this(&fixed), "40 mg");
        let bag = Custom::Bag { this: ml(dec!(250)), formula: ml(dec!(100)) };
        assert_eq!(
            (custom_this(&bag), custom_formula(&bag), bag.what()),
            ("250 mL".into(), "100 mL".into(), "bag")
        );
        let time = Custom::Duration {
            this: Duration::from_minutes(dec!(60)),
            formula: Duration::from_minutes(dec!(40)),
        };
        assert_eq!((custom_this(&time), custom_formula(&time)), ("60 min".into(), "40 min".into()));
        let max = Custom::Maximum { this: mg(dec!(100)), by: "Dr Lee".into(), formula: None };
        assert_eq!(
            (custom_this(&max), custom_formula(&max)),
            ("100 mg (authorized by Dr Lee)".into(), "no maximum".into())
        );
    }
}
