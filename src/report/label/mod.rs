//! The label of a batch (SPEC §10, DOMAIN §7.5, USP <795>): what goes on the container.
//!
//! A [`Label`] is built from the formula and the batch through [`Figures`], so that it
//! prints every figure exactly as the worksheet does: the preparation's name for this
//! batch, each active's strength in both bases, the dosage form and route, the quantity,
//! the beyond-use date, storage, the formula's `[labeling].warnings` with their
//! placeholders filled, "Compounded preparation", the federal caution for a scheduled
//! ingredient, the batch id (or a blank), the compounding date and the MFR id and
//! revision. Three layouts, a file each: [`text()`] (plain, at most [`TEXT_WIDTH`] columns),
//! [`html()`] (one 4 × 2 in label page) and [`json()`].
//!
//! "Compounded preparation" is printed once, and the federal caution once, even when a
//! warning of the formula already says it: such a warning is taken out of the list.
//!
//! # Wire format of `label --format json`
//!
//! One object: `preparation` (the name for this batch), `strengths` [{`id`, `name`,
//! `basis` (`salt` | `base`), `strength` (a quantity, the label strength in the declared
//! basis), `other_basis` {`basis`, `strength`} or null (without molecular weights)}],
//! `dosage_form`, `route`, `quantity` (`Q`, a quantity: `mL`, a mass, or `units`),
//! `containers` {`count`, `fill`, `last` (the part-filled last container's fill, or
//! null)} or null (no fill), `bud` (`YYYY-MM-DD`), `storage` (the sentence printed),
//! `warnings` (an array of strings), `compounded` (always true), `controlled_caution`
//! (the federal caution, or null when nothing is scheduled), `batch_id` (or null), `date`
//! (compounding date), `mfr` {`id`, `revision`}, `bud_time` (`HH:MM` for an infusion,
//! else null), `infusion` (SPEC §8.5: {`weight` (kg, or null for a fixed dose without
//! one), `dose`, `dose_other_basis` {`basis`, `dose`} or null, `volume` (the bag's final
//! volume), `concentration` (true), `nominal_concentration` (fixed concentration, else
//! null), `volume_to_infuse`, `duration`, `rate`, `drip_rate` or null, `as_measured` (the
//! bag as made, as in `batch --format json`), `dose_per_kg`, `dose_rate`, `vtbi_first`,
//! `start_by`, `max`, `max_authorized_by`} for an infusion, else null), `contents`
//! {`amount`, `volume`, `concentration`} (an infusion's bag as made, its first strength;
//! null otherwise) and `prepared_from` (the names of the stocks the preparation was made
//! from, printed after its strength, SPEC §12.5).
//! Quantities are `{"value", "unit"}` with exact values, as in `batch --format json`.

mod html;
mod json;
mod text;

pub(crate) use html::html;
pub(crate) use json::json;
pub(crate) use text::text;

use crate::number::{Shown, batch_size, iv, readable, volume_exact, with_unit};
use std::fmt::Write as _;

use super::figures::Figures;

use crate::calc::{Batch, BatchKind};
use crate::formula::{DosageForm, Formula, Storage, StrengthBasis};
use crate::measure::{BatchSize, Concentration};
use crate::unit::Unit;
use rust_decimal::Decimal;

/// The widest line of the text label.
pub(crate) const TEXT_WIDTH: usize = 60;

/// What every label says of a compounded preparation.
pub const COMPOUNDED: &str = "Compounded preparation";

/// The federal caution of 21 CFR 290.5, for a preparation with a scheduled ingredient.
pub const FEDERAL_CAUTION: &str = "Caution: Federal law prohibits the transfer of this drug to any person other \
than the patient for whom it was prescribed";

/// One active's strength on the label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LabelStrength {
    /// Ingredient id.
    pub id: String,
    /// Ingredient name.
    pub name: String,
    /// The basis the strength is stated in.
    pub basis: StrengthBasis,
    /// The strength, exact (JSON).
    pub strength: Shown,
    /// The strength as printed: as `{strength:ID}` prints it (`100 mg/mL`).
    pub printed: String,
    /// The other basis, exact (JSON), and as printed (`86.7 mg/mL`, as the worksheet
    /// prints it), when molecular weights are known.
    pub other_basis: Option<(StrengthBasis, Shown, String)>,
}

/// How the batch is divided into containers, for a liquid with a fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LabelContainers {
    /// How many containers in all.
    pub count: u64,
    /// What a full container holds.
    pub fill: Shown,
    /// What the part-filled last container holds, if there is one.
    pub last: Option<Shown>,
}

/// What a label says that depends on what the batch is: a compounded preparation's
/// quantity and containers, or an IV bag's block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LabelKind {
    /// A compounded preparation.
    Compounded {
        /// `Q` as printed: `35 mL in 3 bottles of 10 mL and 1 bottle of 5 mL`.
        quantity: String,
        /// The containers of a liquid with a fill.
        containers: Option<LabelContainers>,
    },
    /// An IV bag (SPEC §8.5).
    Infusion(Box<InfusionLabel>),
}

/// The part of an IV bag's label that only an infusion has (SPEC §8.5): patient, dose,
/// volume, concentration and rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InfusionLabel {
    /// Label and value lines, in order (`Patient`, `Dose`, `Volume`, `Concentration`,
    /// `Infuse`), as printed.
    pub lines: Vec<(String, String)>,
    /// The figures, exact (JSON).
    pub figures: crate::calc::Infusion,
}

impl InfusionLabel {
    fn new(batch: &Batch, i: &crate::calc::Infusion) -> InfusionLabel {
        use super::infusion as inf;
        let m = &i.as_measured;
        // The contents line above gives the bag as made; the dose delivered, its rates,
        // and the volume to infuse first when the bag holds more than the dose (SPEC §12.4).
        let mut lines = vec![
            ("Patient".to_string(), format!("{}   id {}", super::sheet::BLANK, super::sheet::BLANK)),
            ("Dose".to_string(), inf::dose_label(i)),
            ("Dose rate".to_string(), inf::dose_rate_text(i)),
        ];
        if i.bag_exceeds_dose {
            lines.push(("VTBI".to_string(), iv::volume(m.volume_to_infuse)));
        }
        lines.push(("Volume".to_string(), iv::volume(m.final_volume)));
        if let Some(n) = i.nominal {
            let conc = format!(
                "{} (nominal {})",
                iv::concentration(m.concentration),
                iv::concentration(n.concentration)
            );
            lines.push(("Concentration".to_string(), conc));
        }
        lines.push(("Infuse".to_string(), inf::infuse_text(i)));
        lines.push((String::new(), inf::USE_A_PUMP.to_string()));
        lines.push(("Start by".to_string(), inf::start_by(batch, i)));
        if let (Some(by), Some(max)) = (&i.max_authorized_by, i.max) {
            lines.push(("Maximum".to_string(), format!("{}, authorized by {by}", iv::mass(max))));
        }
        InfusionLabel { lines, figures: i.clone() }
    }

    /// A line as printed: `Dose: 35 mg`, the volume to infuse as `VTBI 42.53 mL`, and a
    /// line without a label as it is.
    fn line(k: &str, v: &str) -> String {
        match k {
            "" => v.to_string(),
            "VTBI" | "Start by" => format!("{k} {v}"),
            _ => format!("{k}: {v}"),
        }
    }
}

/// A batch's label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Label {
    /// The preparation's name for this batch ([`Figures::title`]).
    pub preparation: String,
    /// Each active's strength in both bases.
    pub strengths: Vec<LabelStrength>,
    /// The strength lines as printed: `Ketamine Hydrochloride USP 100 mg/mL (as salt) =
    /// 86.7 mg/mL (as base)`; for an infusion what the bag holds, its first strength, in
    /// the declared basis only (SPEC §12.5).
    pub strength_lines: Vec<String>,
    /// The stocks the preparation was made from, printed after its strength (SPEC §12.5).
    pub prepared_from: Vec<String>,
    /// Dosage form.
    pub dosage_form: DosageForm,
    /// Route of administration.
    pub route: String,
    /// `Q`, the quantity dispensed: an infusion's is the bag's final volume.
    pub quantity: Shown,
    /// Beyond-use date, `YYYY-MM-DD`.
    pub bud: String,
    /// Beyond-use time, `HH:MM` (infusions).
    pub bud_time: Option<String>,
    /// The storage sentence.
    pub storage: String,
    /// The formula's labeling warnings, filled in for this batch, without the compounded
    /// statement and the federal caution (printed on their own) and without repeats.
    pub warnings: Vec<String>,
    /// The federal caution, when an ingredient is scheduled.
    pub controlled_caution: Option<&'static str>,
    /// The batch id, or `None` for a blank to fill in.
    pub batch_id: Option<String>,
    /// The compounding date, `YYYY-MM-DD`.
    pub date: String,
    /// The MFR id.
    pub mfr_id: String,
    /// The MFR revision.
    pub mfr_revision: u32,
    /// A compounded preparation's quantity and containers, or an IV bag's block.
    pub kind: LabelKind,
}

/// The dosage form as a label says it.
fn form_name(form: DosageForm) -> &'static str {
    match form {
        DosageForm::NasalSpray => "Nasal spray",
        DosageForm::SublingualDrops => "Sublingual drops",
        DosageForm::OralSolution => "Oral solution",
        DosageForm::Cream => "Cream",
        DosageForm::Gel => "Gel",
        DosageForm::Ointment => "Ointment",
        DosageForm::Troche => "Troches",
        DosageForm::Rdt => "Rapid-dissolve tablets",
        DosageForm::IvInfusion => "IV infusion",
    }
}

/// The storage condition as a label says it.
fn storage_sentence(s: Storage) -> String {
    match s {
        Storage::RoomTemperature => format!("Store at {}", s.describe()),
        Storage::Refrigerator => "Store in a refrigerator (2-8 °C)".to_string(),
        Storage::Freezer => "Store in a freezer (-25 to -10 °C)".to_string(),
    }
}

/// Lower case, trimmed, without a final full stop: how warnings are compared.
fn normal(text: &str) -> String {
    text.trim().trim_end_matches('.').trim().to_lowercase()
}

/// Whether a warning says that the preparation is compounded, and no more.
fn is_compounded(text: &str) -> bool {
    matches!(
        normal(text).as_str(),
        "compounded preparation"
            | "this is a compounded preparation"
            | "compounded drug"
            | "this is a compounded drug"
            | "compounded medication"
    )
}

/// Whether a warning is the federal transfer caution.
fn is_federal_caution(text: &str) -> bool {
    normal(text).contains("federal law prohibits the transfer of this drug")
}

/// Each active's strength in both bases; `other` prints a strength in the other basis.
fn strengths(
    formula: &Formula,
    batch: &Batch,
    figures: &Figures<'_>,
    other: impl Fn(Decimal, Unit) -> String,
) -> Vec<LabelStrength> {
    batch
        .strengths
        .iter()
        .map(|s| LabelStrength {
            id: s.id.clone(),
            // A stock's name carries the stock's strength: the label names the drug.
            name: match formula.ingredient(&s.id).filter(|i| i.stock.is_some()) {
                Some(i) => super::infusion::drug_name(i),
                None => s.name.clone(),
            },
            basis: s.basis,
            strength: with_unit(s.concentration.value, s.concentration.unit),
            printed: figures.strength(&s.id).unwrap_or_else(|| super::figures::strength_label(&s.label)),
            other_basis: s.other_basis.map(|o| {
                let (v, unit) = (o.concentration.value, o.concentration.unit);
                (o.basis, with_unit(v, unit), other(v, unit))
            }),
        })
        .collect()
}

impl LabelStrength {
    /// `Ketamine Hydrochloride USP 100 mg/mL (as salt) = 86.7 mg/mL (as base)`.
    fn line(&self) -> String {
        let mut line = format!("{} {} (as {})", self.name, self.printed, self.basis.as_str());
        if let Some((b, _, printed)) = &self.other_basis {
            let _ = write!(line, " = {printed} (as {})", b.as_str());
        }
        line
    }
}

impl Label {
    /// The label of `batch`, a batch of `formula`.
    pub(crate) fn new(formula: &Formula, batch: &Batch) -> Label {
        let figures = Figures::new(formula, batch);
        let (quantity, strengths, strength_lines, kind) = match &batch.kind {
            BatchKind::Compounded(c) => {
                let strengths =
                    strengths(formula, batch, &figures, |v, unit| format!("{} {unit}", readable(v, 2)));
                let lines = strengths.iter().map(LabelStrength::line).collect();
                let quantity = batch_size(c.quantity);
                let printed = match &c.containers {
                    Some(n) if n.count > 1 => {
                        format!("{quantity} in {}", figures.container_plan(c).unwrap_or_default())
                    }
                    _ => quantity.to_string(),
                };
                let containers = c.containers.as_ref().map(|n| LabelContainers {
                    count: n.count,
                    fill: volume_exact(n.fill),
                    last: n.last.map(|(rest, _)| volume_exact(rest)),
                });
                (quantity, strengths, lines, LabelKind::Compounded { quantity: printed, containers })
            }
            // An infusion is one bag: its quantity is the bag's final volume; its strengths
            // (in mg/mL) print to 4 significant figures, as its worksheet does; what the bag
            // holds is printed in place of its strengths, in the declared basis only (SPEC §12.5).
            BatchKind::Infusion(i) => (
                batch_size(BatchSize::Volume(i.final_volume)),
                strengths(formula, batch, &figures, |v, _| {
                    iv::concentration(Concentration::from_mg_per_ml(v))
                }),
                vec![super::infusion::contents(formula, i)],
                LabelKind::Infusion(Box::new(InfusionLabel::new(batch, i))),
            ),
        };
        let controlled_caution = formula.schedule().map(|_| FEDERAL_CAUTION);
        let mut warnings: Vec<String> = Vec::new();
        // One storage statement (SPEC §13): the formula's own, when a warning states the
        // formula's storage (it may say more: `do not freeze`), else the storage sentence.
        let mut storage = None;
        for t in &formula.labeling {
            let w = figures.text(t);
            let printed_apart = is_compounded(&w) || (controlled_caution.is_some() && is_federal_caution(&w));
            if printed_apart || w.trim().is_empty() || warnings.iter().any(|x| normal(x) == normal(&w)) {
                continue;
            }
            if storage.is_none() && Storage::stated_in(&w) == Some(formula.storage) {
                storage = Some(w);
                continue;
            }
            warnings.push(w);
        }
        let prepared_from = formula.actives().filter(|a| a.stock.is_some()).map(|a| a.name.clone()).collect();
        Label {
            preparation: figures.title(),
            strengths,
            strength_lines,
            prepared_from,
            dosage_form: formula.dosage_form,
            route: formula.route.clone(),
            quantity,
            bud: batch.bud.date.to_string(),
            bud_time: batch.bud.time.map(crate::number::hhmm),
            storage: storage.unwrap_or_else(|| storage_sentence(formula.storage)),
            warnings,
            controlled_caution,
            batch_id: batch.batch_id.clone(),
            date: batch.date.to_string(),
            mfr_id: formula.id.clone(),
            mfr_revision: formula.revision,
            kind,
        }
    }

    /// `2026-11-26`, or `2026-11-26 21:00` for an infusion.
    fn bud_text(&self) -> String {
        crate::number::date_time(&self.bud, self.bud_time.as_deref())
    }

    /// `Nasal spray, nasal use`.
    fn form_line(&self) -> String {
        format!("{}, {} use", form_name(self.dosage_form), self.route)
    }

    fn batch_text(&self) -> String {
        self.batch_id.clone().unwrap_or_else(|| super::sheet::BLANK.to_string())
    }

    fn mfr_text(&self) -> String {
        format!("MFR {} rev. {}", self.mfr_id, self.mfr_revision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::Template;
    use crate::report::fixtures::{batch, load, options};

    #[test]
    fn the_troche_label() {
        let f = load("ketamine-hcl-troche-50");
        let mut o = options();
        o.batch_id = Some("T-0042".into());
        let label = Label::new(&f, &crate::calc::compute(&f, &o).unwrap());
        insta::assert_snapshot!(text(&label), @r"
        Ketamine HCl 50 mg/unit Troche
        Ketamine Hydrochloride USP 50 mg/unit (as salt) =
            43.35 mg/unit (as base)
        Troches, buccal use
        Quantity: 30 units
        Beyond-use date: 2027-05-25
        Store at controlled room temperature (20-25 °C), away from
          heat; troches may soften or melt above 30 °C
        Compounded preparation
        Caution: Federal law prohibits the transfer of this drug to
          any person other than the patient for whom it was
          prescribed
        - Controlled substance (C-III)
        - Each troche contains 50 mg ketamine hydrochloride
        - Place between cheek and gum and allow to dissolve slowly;
          do not chew or swallow whole
        - Phenylketonurics: contains phenylalanine (aspartame)
        - May cause drowsiness, dizziness or dissociation; do not
          drive or operate machinery after use
        - Keep out of reach of children
        Batch T-0042   Compounding date 2026-11-26
        MFR ketamine-hcl-troche-50 rev. 3
        ");
    }

    #[test]
    fn the_compounded_statement_and_the_caution_are_printed_once() {
        let mut f = load("ketamine-hcl-oral-solution-10");
        f.labeling = ["compounded preparation.", "Shake well", "shake well.", "  ", FEDERAL_CAUTION]
            .into_iter()
            .map(Template::plain)
            .collect();
        let label = Label::new(&f, &batch(&f));
        assert_eq!(label.warnings, vec!["Shake well".to_string()]);
        assert_eq!(label.controlled_caution, Some(FEDERAL_CAUTION));
        let t = text(&label);
        assert_eq!(t.matches(COMPOUNDED).count(), 1, "{t}");
        assert_eq!(t.to_lowercase().matches("compounded preparation").count(), 1, "{t}");
        // Nothing scheduled: no caution of its own, and a warning that says it stays.
        for i in &mut f.ingredients {
            i.schedule = None;
        }
        let label = Label::new(&f, &batch(&f));
        assert_eq!(label.controlled_caution, None);
        assert_eq!(label.warnings, vec!["Shake well".to_string(), FEDERAL_CAUTION.to_string()]);
        assert!(json(&label).contains(r#""controlled_caution": null"#));
    }

    #[test]
    fn text_lines_fit_and_html_escapes() {
        let mut f = load("ketamine-hcl-nasal-spray-100");
        f.labeling = vec![Template::plain("<b>Shake</b> & \"spray\"")];
        let mut o = options();
        o.batch_id = Some("<i>B1</i>".into());
        let label = Label::new(&f, &crate::calc::compute(&f, &o).unwrap());
        for line in text(&label).lines() {
            assert!(line.chars().count() <= TEXT_WIDTH, "{line}");
        }
        let page = html(&label);
        assert!(page.contains("&lt;b&gt;Shake&lt;/b&gt;</span> &amp; &quot;spray&quot;"), "{page}");
        assert!(page.contains("&lt;i&gt;B1&lt;/i&gt;"), "{page}");
        assert!(!page.contains("<b>Shake") && !page.contains("<i>B1"), "{page}");
        assert!(matches!(label.kind, LabelKind::Compounded { .. }));
    }
}
