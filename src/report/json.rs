//! JSON output (SPEC §5). The wire format is built from these DTOs, never from the
//! calculation's own types, so that a refactor cannot change what scripts read.
//!
//! # Wire format of `batch --format json`
//!
//! One object: `formula` {`id`, `name` (placeholders filled), `revision`, `dosage_form`,
//! `sha256`}, `date`, `batch_id`, `quantity`, `prepared`, `ingredients` [{`id`, `name`,
//! `role`, `qs`, `required`, `weigh`, `weigh_rounded`, `measure`, `measure_rounded`, `lot`,
//! `expiry`, `calculation`}], `qs` {`id`, `to`, `weigh`, `in_aliquots`}, `unit_weight`,
//! `cavities` (molded forms, else null), `molds` {`count`, `per_mold`, `empty`} (with `[mold]
//! cavities`, else null), `containers` {`count`, `fill`, `last` {`fill`,
//! `doses`} or null} or null, `strengths` [{`id`, `basis`, `concentration`,
//! `mfr_concentration`, `other_basis` {`basis`, `concentration`}, `per_dose`, `dose`}],
//! `doses`, `bud` {`date`, `days`, `rule`, `limited_by`}, `controlled` [{`id`,
//! `schedule`, `withdraw`, `in_product`, `overage_loss`, `aliquot_remainder`}], `warnings`
//! [{`code`, `ingredient`, `message`, and for `below-minimum-weight` with a plan,
//! `aliquot` {`by`, `factor`, `weigh`, `total`, `take`, `diluent`}}].
//!
//! An ingredient drawn from a stock solution adds `withdraw_volume` to its `controlled`
//! entry (SPEC §8.1). An infusion (SPEC §8.5) has `quantity`, `prepared`, `qs`,
//! `unit_weight` and `doses` null; its `bud` adds `time` (`HH:MM`) and `hours`, exactly one
//! of `days` and `hours` a number; its `controlled` entries add `withdraw_volume` and
//! `undelivered` (null for a whole bag); and it adds `infusion` {`weight`, `dose`, `dose_other_basis` {`basis`,
//! `dose`}, `rule`, `capped`, `method`, `stock`, `drug_in_bag`, `drug_volume`, `vials`,
//! `bag`, `overfill`, `final_volume`, `concentration`, `volume_to_infuse`, `duration`,
//! `rate`, `drop_factor`, `drip_rate`, `nominal` {`concentration`, `volume_to_infuse`,
//! `rate`}}. The other forms have none of these keys, so their documents keep the shape
//! of SPEC §5.
//! Quantities are `{"value": "<decimal string>", "unit": "<unit>"}`.

use serde::Serialize;

use super::figures::Figures;
use super::{
    Shown, batch_size, mass_exact, mass_rounded, measured_exact, volume_exact, volume_rounded, with_unit,
};

use crate::calc::Period;
use crate::formula::Located;

/// `{"value": "...", "unit": "..."}`.
#[derive(Debug, Serialize)]
pub struct Qty {
    value: String,
    unit: String,
}

impl From<Shown> for Qty {
    fn from(s: Shown) -> Self {
        Qty { value: s.value, unit: s.unit }
    }
}

#[derive(Debug, Serialize)]
struct FormulaDto<'a> {
    id: &'a str,
    name: String,
    revision: u32,
    dosage_form: &'static str,
    sha256: &'a str,
}

#[derive(Debug, Serialize)]
struct IngredientDto<'a> {
    id: &'a str,
    name: &'a str,
    role: &'static str,
    qs: bool,
    required: Qty,
    weigh: Option<Qty>,
    weigh_rounded: Option<Qty>,
    measure: Option<Qty>,
    measure_rounded: Option<Qty>,
    lot: Option<&'a str>,
    expiry: Option<String>,
    calculation: &'a [String],
}

#[derive(Debug, Serialize)]
struct QsDto<'a> {
    id: &'a str,
    to: Option<Qty>,
    weigh: Option<Qty>,
    in_aliquots: Option<Qty>,
}

#[derive(Debug, Serialize)]
struct LastContainerDto {
    fill: Qty,
    doses: Option<u64>,
}

#[derive(Debug, Serialize)]
struct ContainersDto {
    count: u64,
    fill: Qty,
    last: Option<LastContainerDto>,
}

#[derive(Debug, Serialize)]
struct MoldsDto {
    count: u64,
    per_mold: u64,
    empty: u64,
}

#[derive(Debug, Serialize)]
struct OtherBasisDto {
    basis: &'static str,
    concentration: Qty,
}

#[derive(Debug, Serialize)]
struct StrengthDto<'a> {
    id: &'a str,
    basis: &'static str,
    concentration: Qty,
    mfr_concentration: Option<Qty>,
    other_basis: Option<OtherBasisDto>,
    per_dose: Option<Qty>,
    dose: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct BudDto<'a> {
    date: String,
    // An infusion's (SPEC §8.4); absent for the other forms, whose `bud` keeps its shape.
    #[serde(skip_serializing_if = "Option::is_none")]
    time: Option<String>,
    days: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hours: Option<Option<i32>>,
    rule: &'static str,
    limited_by: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct ControlledDto<'a> {
    id: &'a str,
    schedule: &'static str,
    withdraw: Qty,
    // Drawn from a stock solution (SPEC §8.1, §8.5); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    withdraw_volume: Option<Qty>,
    in_product: Qty,
    overage_loss: Option<Qty>,
    aliquot_remainder: Option<Qty>,
    // An infusion's (SPEC §7.4, §8.5): null for a whole bag; absent for the other forms.
    #[serde(skip_serializing_if = "Option::is_none")]
    undelivered: Option<Option<Qty>>,
}

/// An infusion's dose in the other basis (`dose_other_basis`), in the batch and the label
/// JSON alike.
#[derive(Debug, Serialize)]
pub(crate) struct OtherDoseDto {
    basis: &'static str,
    dose: Qty,
}

impl OtherDoseDto {
    /// The infusion's dose in the other basis, if it has one.
    pub(crate) fn of(i: &crate::calc::Infusion) -> Option<OtherDoseDto> {
        i.dose_other_basis
            .map(|(basis, m)| OtherDoseDto { basis: basis.as_str(), dose: mass_exact(m).into() })
    }
}

/// The patient's weight in kg (`weight`), in the batch and the label JSON alike.
pub(crate) fn weight(i: &crate::calc::Infusion) -> Option<Qty> {
    i.weight.map(|w| with_unit(w.kg, crate::unit::Unit::KG).into())
}

#[derive(Debug, Serialize)]
struct NominalDto {
    concentration: Qty,
    volume_to_infuse: Qty,
    rate: Qty,
}

#[derive(Debug, Serialize)]
struct InfusionDto {
    weight: Option<Qty>,
    dose: Qty,
    dose_other_basis: Option<OtherDoseDto>,
    rule: Option<Qty>,
    capped: bool,
    method: &'static str,
    stock: Qty,
    drug_in_bag: Qty,
    drug_volume: Qty,
    vials: Option<u64>,
    bag: Qty,
    overfill: Qty,
    final_volume: Qty,
    concentration: Qty,
    volume_to_infuse: Qty,
    duration: Qty,
    rate: Qty,
    drop_factor: Option<Qty>,
    drip_rate: Option<Qty>,
    nominal: Option<NominalDto>,
}

fn infusion(i: &crate::calc::Infusion) -> InfusionDto {
    use crate::unit::Unit;
    InfusionDto {
        weight: weight(i),
        dose: mass_exact(i.dose).into(),
        dose_other_basis: OtherDoseDto::of(i),
        rule: i.rule.map(|r| with_unit(r, Unit::MG_PER_KG).into()),
        capped: i.uncapped.is_some(),
        method: i.method.as_str(),
        stock: with_unit(i.stock, Unit::MG_PER_ML).into(),
        drug_in_bag: mass_exact(i.drug_in_bag).into(),
        drug_volume: volume_exact(i.drug_volume).into(),
        vials: i.vials,
        bag: volume_exact(i.bag).into(),
        overfill: volume_exact(i.overfill).into(),
        final_volume: volume_exact(i.final_volume).into(),
        concentration: with_unit(i.concentration, Unit::MG_PER_ML).into(),
        volume_to_infuse: volume_exact(i.volume_to_infuse).into(),
        duration: with_unit(i.duration, Unit::MIN).into(),
        rate: with_unit(i.rate, Unit::ML_PER_H).into(),
        drop_factor: i.drop_factor.map(|d| with_unit(d, Unit::GTT_PER_ML).into()),
        drip_rate: i.drip_rate.map(|d| with_unit(d, Unit::GTT_PER_MIN).into()),
        nominal: i.nominal.map(|n| NominalDto {
            concentration: with_unit(n.concentration, Unit::MG_PER_ML).into(),
            volume_to_infuse: volume_exact(n.volume_to_infuse).into(),
            rate: with_unit(n.rate, Unit::ML_PER_H).into(),
        }),
    }
}

#[derive(Debug, Serialize)]
struct AliquotDto<'a> {
    by: &'static str,
    factor: u64,
    weigh: Qty,
    total: Qty,
    take: Qty,
    diluent: &'a str,
}

#[derive(Debug, Serialize)]
struct WarningDto<'a> {
    code: &'a str,
    ingredient: Option<&'a str>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    aliquot: Option<AliquotDto<'a>>,
}

#[derive(Debug, Serialize)]
struct BatchDto<'a> {
    formula: FormulaDto<'a>,
    date: String,
    batch_id: Option<&'a str>,
    quantity: Option<Qty>,
    prepared: Option<Qty>,
    ingredients: Vec<IngredientDto<'a>>,
    qs: Option<QsDto<'a>>,
    unit_weight: Option<Qty>,
    cavities: Option<u64>,
    molds: Option<MoldsDto>,
    containers: Option<ContainersDto>,
    strengths: Vec<StrengthDto<'a>>,
    doses: Option<u64>,
    bud: BudDto<'a>,
    controlled: Vec<ControlledDto<'a>>,
    warnings: Vec<WarningDto<'a>>,
    // An infusion's (SPEC §8.5); absent for the other forms.
    #[serde(skip_serializing_if = "Option::is_none")]
    infusion: Option<InfusionDto>,
}

/// The JSON document for a batch, pretty-printed, with a final line break.
pub(crate) fn render(r: &super::Report<'_>) -> String {
    let super::Report { formula, source, batch: b, .. } = *r;
    let count = |d: rust_decimal::Decimal| u64::try_from(d).ok();
    // An infusion is one bag for one patient: no batch quantity, qs or doses (SPEC §8.5).
    let batch = b.infusion.is_none();
    let dto = BatchDto {
        formula: FormulaDto {
            id: &formula.id,
            name: Figures::new(formula, b).text(&formula.name),
            revision: formula.revision,
            dosage_form: formula.dosage_form.as_str(),
            sha256: &source.sha256,
        },
        date: b.date.to_string(),
        batch_id: b.batch_id.as_deref(),
        quantity: batch.then(|| batch_size(b.quantity).into()),
        prepared: batch.then(|| batch_size(b.prepared).into()),
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
                lot: l.lot.as_deref(),
                expiry: l.expiry.map(|e| e.to_string()),
                calculation: &l.calculation,
            })
            .collect(),
        qs: batch.then(|| QsDto {
            id: &b.qs.id,
            to: b.qs.to.map(|v| volume_exact(v).into()),
            weigh: b.qs.weigh.map(|w| mass_exact(w).into()),
            in_aliquots: b.qs.in_aliquots.map(|w| mass_exact(w).into()),
        }),
        unit_weight: b.unit_weight.map(|w| mass_exact(w).into()),
        cavities: b.cavities.and_then(|c| count(c.units())),
        molds: b.molds.map(|m| MoldsDto { count: m.count, per_mold: m.per_mold, empty: m.empty }),
        containers: b.containers.as_ref().map(|c| ContainersDto {
            count: c.count,
            fill: volume_exact(c.fill).into(),
            last: c.last.map(|(fill, doses)| LastContainerDto {
                fill: volume_exact(fill).into(),
                doses: doses.and_then(count),
            }),
        }),
        strengths: b
            .strengths
            .iter()
            .map(|s| StrengthDto {
                id: &s.id,
                basis: s.basis.as_str(),
                concentration: with_unit(s.concentration.0, s.concentration.1).into(),
                mfr_concentration: s
                    .mfr
                    .as_ref()
                    .map(|m| with_unit(m.concentration.0, m.concentration.1).into()),
                other_basis: s.other_basis.map(|(basis, v, unit)| OtherBasisDto {
                    basis: basis.as_str(),
                    concentration: with_unit(v, unit).into(),
                }),
                per_dose: s.per_dose.map(|d| mass_exact(d).into()),
                dose: s.dose.as_deref(),
            })
            .collect(),
        doses: b.doses.and_then(count),
        bud: BudDto {
            date: b.bud.date.to_string(),
            time: b.bud.time.map(super::figures::hhmm),
            days: match b.bud.period {
                Period::Days(d) => Some(d),
                Period::Hours(_) => None,
            },
            hours: b.bud.time.map(|_| match b.bud.period {
                Period::Hours(h) => Some(h),
                Period::Days(_) => None,
            }),
            rule: b.bud.rule.as_str(),
            limited_by: b.bud.limited_by.as_deref(),
        },
        controlled: b
            .controlled
            .iter()
            .map(|c| ControlledDto {
                id: &c.id,
                schedule: c.schedule.as_str(),
                // Drawn from a stock, the amount is exact (SPEC §8.1), so normalized (SPEC
                // §5); weighed, it is rounded to the readability and keeps its places.
                withdraw: match c.withdraw_volume {
                    Some(_) => mass_exact(c.withdraw).into(),
                    None => mass_rounded(c.withdraw_rounded).into(),
                },
                withdraw_volume: c.withdraw_volume.map(|v| volume_exact(v).into()),
                in_product: mass_exact(c.in_product).into(),
                overage_loss: c.overage_loss.map(|m| mass_exact(m).into()),
                aliquot_remainder: c.aliquot_remainder.map(|m| mass_exact(m).into()),
                undelivered: (!batch).then(|| c.undelivered.map(|m| mass_exact(m).into())),
            })
            .collect(),
        warnings: b
            .warnings
            .iter()
            .map(|w| WarningDto {
                code: &w.code,
                ingredient: w.ingredient.as_deref(),
                message: &w.message,
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
        infusion: b.infusion.as_ref().map(infusion),
    };
    to_pretty(&dto)
}

/// A JSON document, pretty-printed, with a final line break: how every JSON output of
/// ketacalc ends.
pub(crate) fn to_pretty<T: Serialize>(v: &T) -> String {
    // Serializing these plain structs cannot fail; fall back to an empty object rather
    // than panic.
    let mut out = serde_json::to_string_pretty(v).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}

/// One diagnostic of `validate --format json`.
#[derive(Debug, Serialize)]
pub struct DiagnosticDto {
    /// File path.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// Stable code.
    pub code: &'static str,
    /// Message.
    pub message: String,
    /// How to fix it: the help line's text, or null (always present, SPEC §13.1).
    pub help: Option<String>,
}

impl DiagnosticDto {
    /// The DTO of one located diagnostic of `file`.
    pub fn new(file: &str, l: &Located) -> Self {
        let d = &l.diagnostic;
        DiagnosticDto {
            file: file.to_string(),
            line: l.line,
            column: l.column,
            severity: d.severity.as_str(),
            code: d.code,
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
struct ValidateDto<'a> {
    files: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [DiagnosticDto],
}

/// `{"files", "errors", "warnings", "diagnostics"}`.
///
/// `errors` and `warnings` count every problem found, those left out of `diagnostics`
/// (past the first few hundred of a file) included.
pub fn validate(files: usize, errors: usize, warnings: usize, diagnostics: &[DiagnosticDto]) -> String {
    to_pretty(&ValidateDto { files, errors, warnings, diagnostics })
}

/// One entry of `list --format json`.
#[derive(Debug, Serialize)]
pub struct ListEntry {
    /// Formula id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Dosage form.
    pub dosage_form: String,
    /// Revision.
    pub revision: u32,
    /// Where it was read from.
    pub path: String,
}

/// `[{"id", "name", "dosage_form", "revision", "path"}]`.
pub fn list(entries: &[ListEntry]) -> String {
    to_pretty(&entries)
}
