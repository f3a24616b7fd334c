//! The JSON document of the completed record (SPEC §14.3), built from these DTOs, never
//! from the record's own types, so that a refactor cannot change what scripts read.
//!
//! # Wire format of `record FILE --format json`
//!
//! One object: `batch` (the document `batch --from FILE --format json` prints, built by the
//! same code, `json::document`); `readings` [{`id`, `step` (`weigh`, `total`,
//! `take`, `stock`, `to`, or null), `target`, `read` (the figure as written, its places
//! kept), `actual` (exact, in the target's kind), `density` (the gravimetric check's, or
//! null), `deviation`, `tolerance`, `status`}]; `strengths` [{`id`, `basis`, `labelled`,
//! `amount`, `actual`, `deviation`, `tolerance`, `status`}]; `infusion` {`in_bag`,
//! `final_volume`, `concentration`, `dose`, `volume_to_infuse`, `rate`, `labelled_dose`,
//! `deviation`, `tolerance`, `status`} or null; `yield` {`theoretical`, `actual`, `percent`,
//! `status`} or null (an infusion); `controlled` [{`id`, `stock_before`, `stock_after`,
//! `withdrawn`, `accounted`, `waste`, `difference`, `tolerance`, `in_product`,
//! `expected_waste`, `witness`, `status`}]; `qc` [{`check`, `text`, `result`, `note`}];
//! `bud`; `people` {`compounded_by`, `checked_by`, `verified_by`}; `release` {`status`,
//! `reasons`}. Deviations, percents and tolerances are exact decimal strings without `%`.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;

use super::Report;
use super::figures::Figures;
use super::json::{self, BatchDto, BudDto, Qty};
use crate::measure::{Mass, Measured};
use crate::number::{
    Shown, mass_exact, mass_rounded, measured_exact, plain, volume_exact, volume_rounded, with_unit,
};
use crate::quantity::Quantity;
use crate::record::{
    Controlled, Infusion, Reading, Reconciliation, Record, RecordKind, ReleaseStatus, Status, Step, Strength,
    Yield, YieldFigure,
};
use crate::request::Outcome;
use crate::unit::Unit;

/// A quantity that may be negative (a difference), `{"value": "-1.5", "unit": "mg"}`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "SignedQuantity")]
struct SignedQty {
    /// A decimal string without exponent, normalized; negative below zero.
    #[schemars(regex(pattern = r"^-?[0-9]+(\.[0-9]+)?$"))]
    value: String,
    /// The canonical unit.
    #[schemars(length(min = 1))]
    unit: String,
}

/// One reading beside its target.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Reading")]
struct ReadingDto<'a> {
    /// The ingredient.
    id: &'a str,
    /// The step of an aliquot (`weigh`, `total`, `take`) or a dilution (`stock`, `to`, `take`); null for a plain reading.
    #[schemars(schema_with = "step")]
    step: Option<&'static str>,
    /// What the worksheet asked for, rounded as it printed it (with its places).
    target: Qty,
    /// The figure as the batch file writes it, its places kept; null when missing.
    read: Option<Qty>,
    /// The reading in the target's kind, exact (a net mass converted to the volume it is); null when missing.
    actual: Option<Qty>,
    /// The gravimetric check: the density the net mass was converted with; else null.
    density: Option<Qty>,
    /// `(actual − target) ÷ target × 100`, exact; null when missing.
    #[schemars(schema_with = "optional_deviation")]
    deviation: Option<String>,
    /// The tolerance, percent; null for the qs.
    #[schemars(schema_with = "optional_percent")]
    tolerance: Option<String>,
    /// `under`, `in`, `over` the tolerance, `missing`, `unmeasured`, or `recorded` (the qs).
    #[schemars(schema_with = "status")]
    status: &'static str,
}

/// A strength judged against the formula's `strength_tolerance`: the last two keys of an
/// active's strength and of an infusion's bag, which are judged alike.
#[derive(Debug, Serialize, JsonSchema)]
struct JudgedDto {
    /// The formula's `strength_tolerance`, percent.
    #[schemars(schema_with = "percent")]
    tolerance: String,
    /// `under`, `in`, `over`, `missing` or `unmeasured`.
    #[schemars(schema_with = "status")]
    status: &'static str,
}

/// An active's actual strength.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "RecordStrength")]
struct StrengthDto<'a> {
    /// The active.
    id: &'a str,
    /// Its declared basis.
    #[schemars(schema_with = "json::basis")]
    basis: &'static str,
    /// The labelled strength (for an infusion, the concentration the label prints).
    labelled: Qty,
    /// The actual amount of the active, in the declared basis; null when a reading is missing.
    amount: Option<Qty>,
    /// The actual strength, in the labelled strength's unit; null when it cannot be computed.
    actual: Option<Qty>,
    /// `(actual − labelled) ÷ labelled × 100`, exact; null without an actual strength.
    #[schemars(schema_with = "optional_deviation")]
    deviation: Option<String>,
    /// Its verdict against the strength tolerance.
    #[serde(flatten)]
    judged: JudgedDto,
}

/// An infusion's bag as made.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "RecordInfusion")]
struct InfusionDto {
    /// The drug put into the bag; null when a reading is missing.
    in_bag: Option<Qty>,
    /// `bag + overfill + the volume drawn` (without it with `replace`).
    final_volume: Option<Qty>,
    /// The actual concentration.
    concentration: Option<Qty>,
    /// The dose delivered: the drug in the bag for a whole bag, the ordered dose for a fixed concentration.
    dose: Option<Qty>,
    /// The volume to infuse: the bag for a whole bag; the ordered dose at the actual concentration for a fixed one (for the pump).
    volume_to_infuse: Option<Qty>,
    /// Its rate.
    rate: Option<Qty>,
    /// The dose delivered as the label prints it.
    labelled_dose: Qty,
    /// How far the label is from the bag as made: the dose delivered (whole bag), the concentration (fixed concentration), percent.
    #[schemars(schema_with = "optional_deviation")]
    deviation: Option<String>,
    /// Its verdict against the strength tolerance.
    #[serde(flatten)]
    judged: JudgedDto,
}

/// A yield figure: a count of containers or units, or the volume or mass filled.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "YieldFigure")]
enum YieldFigureDto {
    /// Containers or units.
    Count(u64),
    /// A volume or a mass.
    Filled(Qty),
}

/// The yield.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Yield")]
struct YieldDto {
    /// The containers, `Q`, or the cavities.
    theoretical: YieldFigureDto,
    /// What was filled or made; null when missing.
    actual: Option<YieldFigureDto>,
    /// `actual ÷ theoretical × 100`, exact; null when missing.
    #[schemars(schema_with = "optional_percent")]
    percent: Option<String>,
    /// `in` from 95% to 105% inclusive, `under`, `over` or `missing`.
    #[schemars(schema_with = "status")]
    status: &'static str,
}

/// The C-III record of one scheduled ingredient.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Reconciliation")]
struct ControlledDto<'a> {
    /// The ingredient.
    id: &'a str,
    /// The stock before, as written; null when missing.
    stock_before: Option<Qty>,
    /// The stock after, as written; null when missing.
    stock_after: Option<Qty>,
    /// `stock_before − stock_after` as a mass (a stock solution's volumes × its strength).
    withdrawn: Option<Qty>,
    /// The reading as a mass of stock, plus the waste recorded.
    accounted: Option<Qty>,
    /// The waste recorded (in no reading), or null.
    waste: Option<Qty>,
    /// `withdrawn − accounted`.
    difference: Option<SignedQty>,
    /// The largest difference that reconciles.
    tolerance: Option<Qty>,
    /// The actual strength × the quantity dispensed (an infusion: the drug in the bag).
    in_product: Option<Qty>,
    /// The waste the batch expects (overage, aliquot and dilution remainders, left in vials), already in the readings; null when none.
    expected_waste: Option<Qty>,
    /// Who witnessed the waste, or null.
    witness: Option<&'a str>,
    /// `reconciled`, `unreconciled` or `missing`.
    #[schemars(schema_with = "reconciliation")]
    status: &'static str,
}

/// The result of one QC check of the formula.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "QcResult")]
struct QcDto<'a> {
    /// The check's number on the worksheet, from 1.
    #[schemars(range(min = 1))]
    check: usize,
    /// The check, as the worksheet prints it.
    text: String,
    /// `pass`, `fail`, or `missing` when the file has no result.
    #[schemars(schema_with = "outcome")]
    result: &'static str,
    /// What was seen, or null.
    note: Option<&'a str>,
}

/// Who made, checked and verified the batch.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "People")]
struct PeopleDto<'a> {
    /// Who compounded it, or null.
    compounded_by: Option<&'a str>,
    /// The second person, or null.
    checked_by: Option<&'a str>,
    /// The verifying pharmacist, or null.
    verified_by: Option<&'a str>,
}

/// The release decision the record leaves to the pharmacist (ketacalc never says "released").
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Release")]
struct ReleaseDto<'a> {
    /// `ready` (for the pharmacist's verification), `incomplete` or `check`.
    #[schemars(schema_with = "release_status")]
    status: &'static str,
    /// One reason per item that is not in, reconciled, passed or named; empty when ready.
    reasons: &'a [String],
}

/// The document `ketacalc record FILE --format json` prints (SPEC §14.3).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "ketacalc record document", rename = "Record")]
struct RecordDto<'a> {
    /// The batch document of the same request, exactly as `batch --from FILE --format json` prints it.
    batch: BatchDto<'a>,
    /// Every reading (each step of an aliquot or a dilution), in formula order.
    readings: Vec<ReadingDto<'a>>,
    /// The actual strength of each active.
    strengths: Vec<StrengthDto<'a>>,
    /// An infusion's bag as made; null for the other forms.
    infusion: Option<InfusionDto>,
    /// The yield; null for an infusion, which has none.
    #[serde(rename = "yield")]
    yielded: Option<YieldDto>,
    /// The C-III record of each scheduled ingredient.
    controlled: Vec<ControlledDto<'a>>,
    /// The result of each QC check of the formula.
    qc: Vec<QcDto<'a>>,
    /// The beyond-use date from the actual lots, as the batch document gives it.
    bud: BudDto<'a>,
    /// Who made, checked and verified the batch.
    people: PeopleDto<'a>,
    /// The release decision.
    release: ReleaseDto<'a>,
}

fn one_of_or_null(words: impl IntoIterator<Item = &'static str>) -> Schema {
    let words: Vec<serde_json::Value> = words
        .into_iter()
        .map(|w| serde_json::Value::String(w.to_string()))
        .chain([serde_json::Value::Null])
        .collect();
    json_schema!({ "enum": words })
}

fn step(_: &mut SchemaGenerator) -> Schema {
    one_of_or_null(Step::ALL.iter().map(|s| s.as_str()))
}

fn status(_: &mut SchemaGenerator) -> Schema {
    json::one_of(Status::ALL.iter().map(|s| s.as_str()))
}

fn reconciliation(_: &mut SchemaGenerator) -> Schema {
    json::one_of(Reconciliation::ALL.iter().map(|s| s.as_str()))
}

fn release_status(_: &mut SchemaGenerator) -> Schema {
    json::one_of(ReleaseStatus::ALL.iter().map(|s| s.as_str()))
}

fn outcome(_: &mut SchemaGenerator) -> Schema {
    json::one_of(["pass", "fail", "missing"])
}

fn percent(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?$" })
}

fn optional_percent(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "null"], "pattern": r"^[0-9]+(\.[0-9]+)?$" })
}

fn optional_deviation(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "null"], "pattern": r"^-?[0-9]+(\.[0-9]+)?$" })
}

/// The JSON Schema of the record document (`ketacalc schema --kind record`).
pub fn schema() -> serde_json::Value {
    json::schema_of::<RecordDto<'static>>(
        "The document `ketacalc record FILE --format json` prints (SPEC §14.3). Generated by `ketacalc schema --kind record` from the types that write it; `batch` is the document of `ketacalc schema --kind output`.",
    )
}

/// A figure as the batch file writes it, its places kept.
fn as_written(q: &Quantity) -> Qty {
    Shown { value: q.value.to_string(), unit: q.unit.to_string() }.into()
}

/// A target: rounded, with its places.
fn rounded(m: Measured) -> Qty {
    match m {
        Measured::Mass(m) => mass_rounded(m).into(),
        Measured::Volume(v) => volume_rounded(v).into(),
    }
}

fn mass(m: Mass) -> Qty {
    mass_exact(m).into()
}

fn signed(m: Mass) -> SignedQty {
    let s = mass_exact(m);
    SignedQty { value: s.value, unit: s.unit }
}

fn reading(r: &Reading) -> ReadingDto<'_> {
    ReadingDto {
        id: &r.id,
        step: r.step.map(Step::as_str),
        target: rounded(r.target),
        read: r.read.as_ref().map(as_written),
        actual: r.actual.map(|a| measured_exact(a).into()),
        density: r.density.map(density),
        deviation: r.deviation.map(plain),
        tolerance: r.tolerance.map(plain),
        status: r.status.as_str(),
    }
}

/// A density held in mg/mL, in g/mL.
fn density(mg_per_ml: rust_decimal::Decimal) -> Qty {
    let g = crate::arith::div(mg_per_ml, rust_decimal::Decimal::ONE_THOUSAND).unwrap_or(mg_per_ml);
    with_unit(g, Unit::G_PER_ML).into()
}

fn judged(tolerance: rust_decimal::Decimal, status: Status) -> JudgedDto {
    JudgedDto { tolerance: plain(tolerance), status: status.as_str() }
}

fn strength(s: &Strength) -> StrengthDto<'_> {
    StrengthDto {
        id: &s.id,
        basis: s.basis.as_str(),
        labelled: with_unit(s.labelled.0, s.labelled.1).into(),
        amount: s.amount.map(|a| measured_exact(a).into()),
        actual: s.actual.map(|(v, u)| with_unit(v, u).into()),
        deviation: s.deviation.map(plain),
        judged: judged(s.tolerance, s.status),
    }
}

fn infusion_dto(i: &Infusion) -> InfusionDto {
    InfusionDto {
        in_bag: i.in_bag.map(mass),
        final_volume: i.final_volume.map(|v| volume_exact(v).into()),
        concentration: i.concentration.map(|c| with_unit(c.mg_per_ml(), Unit::MG_PER_ML).into()),
        dose: i.dose.map(mass),
        volume_to_infuse: i.volume_to_infuse.map(|v| volume_exact(v).into()),
        rate: i.rate.map(|r| with_unit(r.ml_per_h(), Unit::ML_PER_H).into()),
        labelled_dose: mass(i.labelled_dose),
        deviation: i.deviation.map(plain),
        judged: judged(i.tolerance, i.status),
    }
}

fn yield_figure(f: &YieldFigure) -> YieldFigureDto {
    match f {
        YieldFigure::Count(n) => YieldFigureDto::Count(u64::try_from(*n).unwrap_or_default()),
        YieldFigure::Filled(m) => YieldFigureDto::Filled(measured_exact(*m).into()),
    }
}

fn yield_dto(y: &Yield) -> YieldDto {
    YieldDto {
        theoretical: yield_figure(&y.theoretical),
        actual: y.actual.as_ref().map(yield_figure),
        percent: y.percent.map(plain),
        status: y.status.as_str(),
    }
}

fn controlled(c: &Controlled) -> ControlledDto<'_> {
    ControlledDto {
        id: &c.id,
        stock_before: c.stock_before.as_ref().map(as_written),
        stock_after: c.stock_after.as_ref().map(as_written),
        withdrawn: c.withdrawn.map(mass),
        accounted: c.accounted.map(mass),
        waste: c.waste.map(mass),
        difference: c.difference.map(signed),
        tolerance: c.tolerance.map(mass),
        in_product: c.in_product.map(mass),
        expected_waste: c.expected_waste.map(mass),
        witness: c.witness.as_deref(),
        status: c.status.as_str(),
    }
}

/// The record document, pretty-printed, with a final line break.
pub(crate) fn render(r: &Report<'_>, record: &Record) -> String {
    let figures = Figures::new(r.formula, r.batch);
    let (infusion, yielded) = match &record.kind {
        RecordKind::Compounded { yielded } => (None, yielded.as_ref().map(yield_dto)),
        RecordKind::Infusion(i) => (Some(infusion_dto(i)), None),
    };
    let dto = RecordDto {
        batch: json::document(r),
        readings: record.readings.iter().map(reading).collect(),
        strengths: record.strengths.iter().map(strength).collect(),
        infusion,
        yielded,
        controlled: record.controlled.iter().map(controlled).collect(),
        qc: record
            .qc
            .iter()
            .map(|q| QcDto {
                check: q.check,
                text: r
                    .formula
                    .quality
                    .get(q.check.saturating_sub(1))
                    .map(|t| figures.text(t))
                    .unwrap_or_default(),
                result: q.outcome.map_or("missing", Outcome::as_str),
                note: q.note.as_deref(),
            })
            .collect(),
        bud: json::bud(&r.batch.bud),
        people: PeopleDto {
            compounded_by: record.people.compounded_by.as_deref(),
            checked_by: record.people.checked_by.as_deref(),
            verified_by: record.people.verified_by.as_deref(),
        },
        release: ReleaseDto { status: record.release.status.as_str(), reasons: &record.release.reasons },
    };
    json::to_pretty(&dto)
}
