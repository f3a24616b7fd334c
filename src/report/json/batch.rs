//! The document of `batch --format json` (SPEC §5, §8.5), and the `batch` of the completed
//! record (SPEC §14.3): built once, here.
//!
//! # Wire format of `batch --format json`
//!
//! One object: `formula` {`id`, `name` (placeholders filled), `revision`, `dosage_form`,
//! `sha256`}, `date`, `batch_id`, `quantity`, `prepared`, `ingredients` [{`id`, `name`,
//! `role`, `qs`, `required`, `weigh`, `weigh_rounded`, `measure`, `measure_rounded`,
//! `syringe` {`capacity`, `graduation`, `draws`}, `dilution` {`factor`, `stock`,
//! `diluent_volume`, `to`, `strength`, `take`, `take_rounded`}, `as_measured` {`amount`,
//! `deviation`}, `vendor`, `lot`, `expiry`, `calculation`}] (SPEC §12: each of the three null where it
//! does not apply), `qs` {`id`, `to`, `weigh`, `in_aliquots`}, `unit_weight`,
//! `cavities` (molded forms, else null), `molds` {`count`, `per_mold`, `empty`} (with `[mold]
//! cavities`, else null), `containers` {`count`, `fill`, `last` {`fill`,
//! `doses`} or null} or null, `strengths` [{`id`, `basis`, `concentration`,
//! `mfr_concentration`, `other_basis` {`basis`, `concentration`, `per_dose`}, `per_dose`, `dose`,
//! `as_measured` {`concentration`, `deviation`}}], `doses`, `bud` {`date`, `days`, `rule`,
//! `limited_by`}, `controlled` [{`id`, `schedule`, `withdraw`, `in_product`,
//! `overage_loss`, `aliquot_remainder`, `as_measured` {`withdraw`, `in_product`,
//! `overage_loss`, `dilution_remainder`, `aliquot_remainder`, `undelivered`},
//! `left_in_vials` {`volume`, `amount`}}], `warnings`
//! [{`code`, `ingredient`, `message`, and for `below-minimum-weight` with a plan,
//! `aliquot` {`by`, `factor`, `weigh`, `total`, `take`, `diluent`}}].
//!
//! An ingredient drawn from a stock solution adds `withdraw_volume` to its `controlled`
//! entry (SPEC §8.1). An infusion (SPEC §8.5) has `quantity`, `prepared`, `qs`,
//! `unit_weight` and `doses` null; its `bud` adds `time` (`HH:MM`), `hours` and `minutes`,
//! exactly one of `days` and `hours` a number; its `controlled` entries add `withdraw_volume` and
//! `undelivered` (null for a whole bag); and it adds `infusion` {`weight`, `dose`, `dose_other_basis` {`basis`,
//! `dose`}, `rule`, `capped`, `method`, `stock`, `drug_in_bag`, `drug_volume`, `vials`,
//! `bag`, `overfill`, `final_volume`, `concentration`, `volume_to_infuse`, `duration`,
//! `rate`, `drop_factor`, `drip_rate`, `nominal` {`concentration`, `volume_to_infuse`,
//! `rate`}, `as_measured` {`in_bag`, `dose`, `final_volume`, `concentration`,
//! `volume_to_infuse`, `rate`, `drip_rate`, `deviation`}, `dose_rate` {`per_hour`,
//! `per_kg_per_hour`}, `dose_per_kg`, `fluid_per_kg`, `max`, `max_authorized_by`,
//! `start_by` {`date`, `time`}}. The other forms have none of these keys, so their documents keep the shape
//! of SPEC §5.
//! Quantities are `{"value": "<decimal string>", "unit": "<unit>"}`.

use crate::number::{
    batch_size, mass_exact, mass_rounded, measured_exact, plain, volume_exact, volume_rounded, with_unit,
};
use schemars::JsonSchema;
use serde::Serialize;

use super::super::figures::Figures;
use super::controlled::ControlledDto;
use super::infusion::{InfusionDto, infusion};
use super::schema::{aliquot_by, basis, bud_rule, deviation, dosage_form, role, schema_of, warning_code};
use super::{Qty, to_pretty};
use crate::calc::Period;
use crate::measure::DoseCount;

/// The formula the batch was computed from.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Formula")]
struct FormulaDto<'a> {
    /// The formula's id.
    id: &'a str,
    /// The preparation's name for this batch, its placeholders filled.
    name: String,
    /// The MFR's revision.
    revision: u32,
    /// The dosage form.
    #[schemars(schema_with = "dosage_form")]
    dosage_form: &'static str,
    /// The SHA-256 of the file's bytes, in lowercase hex.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    sha256: &'a str,
}

/// One ingredient of the batch, in the formula's order.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Ingredient")]
struct IngredientDto<'a> {
    /// The ingredient's id.
    id: &'a str,
    /// Its name.
    name: &'a str,
    /// Its role.
    #[schemars(schema_with = "role")]
    role: &'static str,
    /// Whether it is the qs ingredient.
    qs: bool,
    /// The amount required, in the declared basis (a volume-basis vehicle: `P` in mL).
    required: Qty,
    /// The exact mass of material to weigh; null for a liquid's vehicle or a stock drawn.
    weigh: Option<Qty>,
    /// `weigh` rounded half away from zero to the balance readability.
    weigh_rounded: Option<Qty>,
    /// The exact volume to measure, in mL, for a volume-measured ingredient; else null.
    measure: Option<Qty>,
    /// `measure` rounded half away from zero to the marks of its syringe, with their places (SPEC §12.1); null with a dilution, and when nothing is measured by volume.
    measure_rounded: Option<Qty>,
    /// The syringe the volume (or a dilution's portion) is measured with; null when nothing is measured by volume.
    syringe: Option<SyringeDto>,
    /// A stock volume under 0.2 mL: the dilution step it is measured through (SPEC §12.2); else null.
    dilution: Option<DilutionDto>,
    /// What the volume measured holds, and its deviation from `required` (SPEC §12.3); null when not measured by volume, and under 0.2 mL without a dilution.
    as_measured: Option<AsMeasuredDto>,
    /// Who supplied the lot, given with `--vendor` (or a batch file's `vendor`), or null.
    vendor: Option<&'a str>,
    /// The lot given with `--lot`, or null.
    lot: Option<&'a str>,
    /// The expiry given with `--expiry`, or null.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    expiry: Option<String>,
    /// The calculation trail, one line per step.
    calculation: Vec<String>,
}

/// The syringe a volume is measured with (SPEC §12.1).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Syringe")]
struct SyringeDto {
    /// What it holds.
    capacity: Qty,
    /// The spacing of its marks.
    graduation: Qty,
    /// How many equal draws of it measure the volume (above 60 mL, more than one).
    #[schemars(range(min = 1))]
    draws: u64,
}

impl SyringeDto {
    fn of(s: &crate::calc::Syringe) -> Self {
        SyringeDto {
            capacity: volume_exact(s.capacity).into(),
            graduation: volume_exact(s.graduation).into(),
            draws: s.draws,
        }
    }
}

/// A dilution step (SPEC §12.2): `stock` made up to `to` with `diluent_volume` of the vehicle, and the portion `take` drawn from it.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Dilution")]
struct DilutionDto {
    /// `k`: 1 in `k`, one of 5, 10, 20, 25, 50.
    factor: u32,
    /// The stock drawn into it: 1 mL.
    stock: Qty,
    /// The diluent added: `k − 1` mL.
    diluent_volume: Qty,
    /// What it is made up to: `k` mL.
    to: Qty,
    /// Its strength, `S ÷ k`, in the ingredient's declared basis.
    strength: Qty,
    /// The portion that holds the amount required, `V × k`, exact.
    take: Qty,
    /// `take` rounded on the 1 mL syringe.
    take_rounded: Qty,
}

impl DilutionDto {
    fn of(d: &crate::calc::Dilution) -> Self {
        DilutionDto {
            factor: d.factor,
            stock: volume_exact(d.stock).into(),
            diluent_volume: volume_exact(d.diluent_volume).into(),
            to: volume_exact(d.to).into(),
            strength: with_unit(d.strength.value, d.strength.unit).into(),
            take: volume_exact(d.take).into(),
            take_rounded: volume_rounded(d.take_rounded).into(),
        }
    }
}

/// What a measured volume holds (SPEC §12.3).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "AsMeasured")]
struct AsMeasuredDto {
    /// The amount, in the unit and basis of `required`.
    amount: Qty,
    /// Its deviation from `required`, percent.
    #[schemars(schema_with = "deviation")]
    deviation: String,
}

/// The concentration an active's as-measured amount makes in `P`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "StrengthAsMeasured")]
struct StrengthAsMeasuredDto {
    /// The concentration, in the strength's unit.
    concentration: Qty,
    /// Its deviation from the strength, percent.
    #[schemars(schema_with = "deviation")]
    deviation: String,
}

/// The qs ingredient.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Qs")]
struct QsDto<'a> {
    /// Its id (it is also in `ingredients`).
    id: &'a str,
    /// The volume to make up to (liquids), else null.
    to: Option<Qty>,
    /// The exact base mass, all of it (creams, troches, RDTs), else null.
    weigh: Option<Qty>,
    /// The base that aliquot portions carry in, or null; the qs line of `ingredients` weighs `weigh − in_aliquots`.
    in_aliquots: Option<Qty>,
}

/// A part-filled last container.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "LastContainer")]
struct LastContainerDto {
    /// What it holds.
    fill: Qty,
    /// Its doses (liquids with a device), else null.
    doses: Option<u64>,
}

/// The containers of a liquid with a fill.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Containers")]
struct ContainersDto {
    /// How many: `ceil(Q ÷ fill)`.
    count: u64,
    /// What one full container holds.
    fill: Qty,
    /// The part-filled last one, or null when `Q` is a whole number of fills.
    last: Option<LastContainerDto>,
}

/// The molds of a troche or RDT whose formula gives `[mold] cavities` (SPEC §13).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Molds")]
struct MoldsDto {
    /// How many molds: `ceil(cavities ÷ per_mold)`.
    count: u64,
    /// The cavities of one mold.
    per_mold: u64,
    /// The cavities left empty, `count × per_mold − cavities`: no blend goes into them.
    empty: u64,
}

/// A strength in the other basis (salt or base).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "OtherBasis")]
struct OtherBasisDto {
    /// The other basis.
    #[schemars(schema_with = "basis")]
    basis: &'static str,
    /// The strength in it.
    concentration: Qty,
    /// The amount per dose in it (as `per_dose` is in the declared basis), or null.
    per_dose: Option<Qty>,
}

/// The label strength of one active.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Strength")]
struct StrengthDto<'a> {
    /// The active's id.
    id: &'a str,
    /// The declared basis.
    #[schemars(schema_with = "basis")]
    basis: &'static str,
    /// The strength in the declared basis (for an infusion, the bag's true concentration).
    concentration: Qty,
    /// The MFR's own strength when this batch's is custom, else null.
    mfr_concentration: Option<Qty>,
    /// The strength in the other basis, or null without molecular weights.
    other_basis: Option<OtherBasisDto>,
    /// The amount per dose (molded forms: per unit), or null.
    per_dose: Option<Qty>,
    /// The dose's noun (`spray`, `drop`, `troche`, `rdt`), or null.
    dose: Option<&'a str>,
    /// An active measured by volume: the concentration as measured (SPEC §12.3); null for a weighed one.
    as_measured: Option<StrengthAsMeasuredDto>,
}

/// The beyond-use date.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Bud")]
pub(crate) struct BudDto<'a> {
    /// The beyond-use date.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    date: String,
    // An infusion's (SPEC §8.4); absent for the other forms, whose `bud` keeps its shape.
    /// An infusion's beyond-use time, `HH:MM` local; absent for the other forms.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", regex(pattern = r"^[0-9]{2}:[0-9]{2}$"))]
    time: Option<String>,
    /// The days from compounding, or null when the period is in hours.
    days: Option<i32>,
    /// An infusion's hours from compounding, or null when in days; absent for the other forms.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<i32>")]
    hours: Option<Option<i32>>,
    /// The rule that gave the date.
    #[schemars(schema_with = "bud_rule")]
    rule: &'static str,
    /// The ingredient whose expiry caps the date, or null.
    limited_by: Option<&'a str>,
    /// An infusion's whole minutes from compounding to the beyond-use time (SPEC §12.4); absent for the other forms.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "i64")]
    minutes: Option<i64>,
}

/// An aliquot plan (SPEC §7.4).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Aliquot")]
struct AliquotDto<'a> {
    /// By mass (triturated) or by volume (dissolved).
    #[schemars(schema_with = "aliquot_by")]
    by: &'static str,
    /// The factor `m`.
    factor: u64,
    /// The mass weighed, `W`.
    weigh: Qty,
    /// What it is made up to: a mass (by mass) or a volume (by volume).
    total: Qty,
    /// The portion taken: a mass or a volume.
    take: Qty,
    /// The diluent's ingredient id.
    diluent: &'a str,
}

/// A warning of the batch (or of its formula, repeated).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Warning")]
struct WarningDto<'a> {
    /// Its code (docs/codes.md).
    #[schemars(schema_with = "warning_code")]
    code: &'a str,
    /// The ingredient it is about, or null.
    ingredient: Option<&'a str>,
    /// What it says.
    message: String,
    /// For `below-minimum-weight`, the aliquot plan; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "AliquotDto<'a>")]
    aliquot: Option<AliquotDto<'a>>,
}

/// The document `ketacalc batch --format json` prints (SPEC §5, §8.5).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "ketacalc batch document", rename = "Batch")]
pub(crate) struct BatchDto<'a> {
    /// The formula.
    formula: FormulaDto<'a>,
    /// The compounding date.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    date: String,
    /// The batch id, or null.
    batch_id: Option<&'a str>,
    /// The quantity requested, `Q`; null for an infusion.
    quantity: Option<Qty>,
    /// The quantity prepared, `P`, overage included; null for an infusion.
    prepared: Option<Qty>,
    /// Every ingredient, the qs one included.
    ingredients: Vec<IngredientDto<'a>>,
    /// The qs ingredient; null for an infusion.
    qs: Option<QsDto<'a>>,
    /// The theoretical unit weight (troches, RDTs), else null.
    unit_weight: Option<Qty>,
    /// The cavities filled (troches, RDTs), else null.
    cavities: Option<u64>,
    /// The molds (troches, RDTs with `[mold] cavities`), else null.
    molds: Option<MoldsDto>,
    /// The containers of a liquid with a fill or a capacity, else null.
    containers: Option<ContainersDto>,
    /// The strength of each active.
    strengths: Vec<StrengthDto<'a>>,
    /// Doses per (full) container (liquids with a device), else null.
    doses: Option<u64>,
    /// The beyond-use date.
    bud: BudDto<'a>,
    /// The accountability of each scheduled ingredient.
    controlled: Vec<ControlledDto<'a>>,
    /// The warnings, in the worksheet's order.
    warnings: Vec<WarningDto<'a>>,
    // An infusion's (SPEC §8.5); absent for the other forms.
    /// An infusion's figures; absent for the other forms.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "InfusionDto")]
    infusion: Option<InfusionDto>,
}

/// The JSON Schema (draft 2020-12) of the document `batch --format json` prints, derived from the
/// types that write it, so that the two cannot drift (`ketacalc schema --kind output`).
pub fn schema() -> serde_json::Value {
    schema_of::<BatchDto<'static>>(
        "The document `ketacalc batch --format json` prints (SPEC §5, §8.5). Generated by `ketacalc schema --kind output` from the types that write it.",
    )
}

/// The beyond-use date as the batch document gives it.
pub(crate) fn bud(bud: &crate::calc::Bud) -> BudDto<'_> {
    BudDto {
        date: bud.date.to_string(),
        time: bud.time.map(crate::number::hhmm),
        days: match bud.period {
            Period::Days(d) => Some(d),
            Period::Hours(_) => None,
        },
        hours: bud.time.map(|_| match bud.period {
            Period::Hours(h) => Some(h),
            Period::Days(_) => None,
        }),
        rule: bud.rule.as_str(),
        limited_by: bud.limited_by.as_deref(),
        minutes: bud.minutes,
    }
}

/// The JSON document for a batch, pretty-printed, with a final line break.
pub(crate) fn render(r: &super::super::Report<'_>) -> String {
    to_pretty(&document(r))
}

/// The document for a batch (SPEC §5, §8.5): what `batch --format json` prints, and the
/// `batch` of the completed record (SPEC §14.3), built once, here.
pub(crate) fn document<'a>(r: &super::super::Report<'a>) -> BatchDto<'a> {
    let super::super::Report { formula, source, batch: b, .. } = *r;
    let count = |d: rust_decimal::Decimal| u64::try_from(d).ok();
    // An infusion is one bag for one patient: no batch quantity, qs or doses (SPEC §8.5).
    let (made, infusion) = match &b.kind {
        crate::calc::BatchKind::Compounded(c) => (Some(&**c), None),
        crate::calc::BatchKind::Infusion(i) => (None, Some(&**i)),
    };
    BatchDto {
        formula: FormulaDto {
            id: &formula.id,
            name: Figures::new(formula, b).text(&formula.name),
            revision: formula.revision,
            dosage_form: formula.dosage_form.as_str(),
            sha256: &source.sha256,
        },
        date: b.date.to_string(),
        batch_id: b.batch_id.as_deref(),
        quantity: made.map(|c| batch_size(c.quantity).into()),
        prepared: made.map(|c| batch_size(c.prepared).into()),
        ingredients: b
            .lines
            .iter()
            .map(|l| IngredientDto {
                id: &l.id,
                name: &l.name,
                role: l.role.as_str(),
                qs: l.qs,
                required: measured_exact(l.required).into(),
                weigh: l.weigh.map(|w| mass_exact(w).into()),
                weigh_rounded: l.weigh_rounded.map(|w| mass_rounded(w).into()),
                measure: l.measure.map(|m| volume_exact(m).into()),
                measure_rounded: l.measure_rounded.map(|m| volume_rounded(m).into()),
                syringe: l.syringe.as_ref().map(SyringeDto::of),
                dilution: l.dilution.as_ref().map(DilutionDto::of),
                as_measured: l.as_measured.map(|a| AsMeasuredDto {
                    amount: measured_exact(a.amount).into(),
                    deviation: plain(a.deviation.percent()),
                }),
                vendor: l.vendor.as_deref(),
                lot: l.lot.as_deref(),
                expiry: l.expiry.map(|e| e.to_string()),
                calculation: crate::report::trail::words(&l.calculation),
            })
            .collect(),
        qs: made.map(|c| QsDto {
            id: &c.qs.id,
            to: c.qs.to.map(|v| volume_exact(v).into()),
            weigh: c.qs.weigh.map(|w| mass_exact(w).into()),
            in_aliquots: c.qs.in_aliquots.map(|w| mass_exact(w).into()),
        }),
        unit_weight: made.and_then(|c| c.unit_weight).map(|w| mass_exact(w).into()),
        cavities: made.and_then(|c| c.cavities).and_then(|c| count(c.units())),
        molds: made.and_then(|c| c.molds).map(|m| MoldsDto {
            count: m.count,
            per_mold: m.per_mold,
            empty: m.empty,
        }),
        containers: made.and_then(|c| c.containers.as_ref()).map(|c| ContainersDto {
            count: c.count,
            fill: volume_exact(c.fill).into(),
            last: c.last.map(|(fill, doses)| LastContainerDto {
                fill: volume_exact(fill).into(),
                doses: doses.map(DoseCount::doses).and_then(count),
            }),
        }),
        strengths: b
            .strengths
            .iter()
            .map(|s| StrengthDto {
                id: &s.id,
                basis: s.basis.as_str(),
                concentration: with_unit(s.concentration.value, s.concentration.unit).into(),
                mfr_concentration: s
                    .mfr
                    .as_ref()
                    .map(|m| with_unit(m.concentration.value, m.concentration.unit).into()),
                other_basis: s.other_basis.map(|o| OtherBasisDto {
                    basis: o.basis.as_str(),
                    concentration: with_unit(o.concentration.value, o.concentration.unit).into(),
                    per_dose: o.per_dose.map(|d| mass_exact(d).into()),
                }),
                per_dose: s.per_dose.map(|d| mass_exact(d).into()),
                dose: s.dose.as_deref(),
                as_measured: s.as_measured.map(|(c, deviation)| StrengthAsMeasuredDto {
                    concentration: with_unit(c.value, c.unit).into(),
                    deviation: plain(deviation.percent()),
                }),
            })
            .collect(),
        doses: made.and_then(|c| c.doses).map(DoseCount::doses).and_then(count),
        bud: bud(&b.bud),
        controlled: b.controlled.iter().map(|c| ControlledDto::of(c, infusion.is_some())).collect(),
        warnings: b
            .warnings
            .iter()
            .map(|w| WarningDto {
                code: w.code.as_str(),
                ingredient: w.ingredient.as_deref(),
                message: w.message.to_string(),
                aliquot: w.aliquot.as_ref().map(|a| {
                    let portion = |v| measured_exact(v).into();
                    AliquotDto {
                        by: a.by.as_str(),
                        factor: a.factor,
                        weigh: mass_exact(a.weigh).into(),
                        total: portion(a.total),
                        take: portion(a.take),
                        diluent: &a.diluent,
                    }
                }),
            })
            .collect(),
        infusion: infusion.map(self::infusion),
    }
}
