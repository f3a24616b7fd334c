//! JSON output (SPEC §5). The wire format is built from these DTOs, never from the
//! calculation's own types, so that a refactor cannot change what scripts read.
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
    Shown, batch_size, mass_exact, mass_rounded, measured_exact, plain, volume_exact, volume_rounded,
    with_unit,
};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;

use super::figures::Figures;

use crate::calc::Period;
use crate::formula::Located;

/// A quantity, `{"value": "...", "unit": "..."}`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Quantity")]
pub struct Qty {
    /// A decimal string without exponent, normalized when exact; when rounded, with the places of its step.
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]+)?$"))]
    value: String,
    /// The canonical unit (`mg`, `g`, `mL`, `mg/mL`, `%w/w`, `units`, ...): convert, never assume one.
    #[schemars(length(min = 1))]
    unit: String,
}

impl From<Shown> for Qty {
    fn from(s: Shown) -> Self {
        Qty { value: s.value, unit: s.unit }
    }
}

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
    calculation: &'a [String],
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
            strength: with_unit(d.strength, crate::unit::Unit::MG_PER_ML).into(),
            take: volume_exact(d.take).into(),
            take_rounded: volume_rounded(d.take_rounded).into(),
        }
    }
}

/// A percent deviation, `(as measured − required) ÷ required × 100`, exact: a decimal string, signed, without `%`.
pub(crate) fn deviation(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$" })
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

/// The accountability of one scheduled ingredient.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Controlled")]
struct ControlledDto<'a> {
    /// The ingredient's id.
    id: &'a str,
    /// Its DEA schedule.
    #[schemars(schema_with = "schedule")]
    schedule: &'static str,
    /// What is withdrawn from stock: rounded to the readability when weighed (the whole aliquot weighing when there is one), exact when drawn from a stock; the parts below add up to it exactly.
    withdraw: Qty,
    // Drawn from a stock solution (SPEC §8.1, §8.5); absent otherwise.
    /// The volume drawn from a stock solution; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Qty")]
    withdraw_volume: Option<Qty>,
    /// What goes into the product dispensed.
    in_product: Qty,
    /// What the overage takes, or null without one.
    overage_loss: Option<Qty>,
    /// What is left of the aliquot, or null without one.
    aliquot_remainder: Option<Qty>,
    // An infusion's (SPEC §7.4, §8.5): null for a whole bag; absent for the other forms.
    /// An infusion's drug that a fixed-concentration bag holds beyond the dose (`T − D`), null for a whole bag; absent for the other forms.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Qty>")]
    undelivered: Option<Option<Qty>>,
    /// The same record from what is measured or weighed (SPEC §12.3).
    as_measured: ControlledAsMeasuredDto,
    /// A stock with a `vial`: what the vials opened for the volume drawn still hold; else null.
    left_in_vials: Option<LeftInVialsDto>,
}

/// The controlled-substance record as measured (SPEC §12.3): `withdraw = in_product + overage_loss + dilution_remainder + aliquot_remainder`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "ControlledAsMeasured")]
struct ControlledAsMeasuredDto {
    /// What is taken from stock: the volume drawn (with a dilution, its whole millilitre), or the weighing rounded, in the declared basis.
    withdraw: Qty,
    /// What goes into the product (an infusion: the bag as made, `D_m`).
    in_product: Qty,
    /// What the overage takes, or null without one.
    overage_loss: Option<Qty>,
    /// What is left of a dilution once the portion is drawn, or null without one.
    dilution_remainder: Option<Qty>,
    /// What is left of an aliquot once the portion is taken, or null without one (an extension, so that the parts add up).
    aliquot_remainder: Option<Qty>,
    /// A fixed-concentration bag's drug beyond the dose, `T_m − D`, part of `in_product`; null otherwise.
    undelivered: Option<Qty>,
}

impl ControlledAsMeasuredDto {
    fn of(a: &crate::calc::ControlledAsMeasured) -> Self {
        let part = |p: &crate::calc::Part| -> Qty { mass_exact(p.amount).into() };
        ControlledAsMeasuredDto {
            withdraw: part(&a.withdraw),
            in_product: part(&a.in_product),
            overage_loss: a.overage_loss.as_ref().map(part),
            dilution_remainder: a.dilution_remainder.as_ref().map(part),
            aliquot_remainder: a.aliquot_remainder.as_ref().map(part),
            undelivered: a.undelivered.as_ref().map(part),
        }
    }
}

/// What the vials opened still hold.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "LeftInVials")]
struct LeftInVialsDto {
    /// Vials opened × vial − the volume drawn.
    volume: Qty,
    /// The drug it holds, in the declared basis.
    amount: Qty,
}

/// An infusion's dose in the other basis (in the batch and the label JSON alike).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "OtherDose")]
pub(crate) struct OtherDoseDto {
    /// The other basis.
    #[schemars(schema_with = "basis")]
    basis: &'static str,
    /// The dose in it.
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

/// A fixed-concentration bag's figures at its nominal concentration.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Nominal")]
struct NominalDto {
    /// The nominal concentration.
    concentration: Qty,
    /// `D ÷ concentration`.
    volume_to_infuse: Qty,
    /// Its rate, mL/h.
    rate: Qty,
}

/// An IV infusion's figures (SPEC §8.5), exact.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Infusion")]
struct InfusionDto {
    /// The patient's weight in kg, or null for a fixed dose given without one.
    weight: Option<Qty>,
    /// The dose, in the active's declared basis.
    dose: Qty,
    /// The dose in the other basis, or null without molecular weights.
    dose_other_basis: Option<OtherDoseDto>,
    /// The dose rule in mg/kg, or null for a fixed dose.
    rule: Option<Qty>,
    /// Whether the dose was capped at the formula's `max`.
    capped: bool,
    /// How the bag is made.
    #[schemars(schema_with = "infusion_method")]
    method: &'static str,
    /// The vial's strength in mg/mL, in the declared basis.
    stock: Qty,
    /// The drug that goes into the bag.
    drug_in_bag: Qty,
    /// The volume of stock drawn for it.
    drug_volume: Qty,
    /// The vials to open, or null without `vial`.
    vials: Option<u64>,
    /// The bag's nominal volume.
    bag: Qty,
    /// The bag's overfill.
    overfill: Qty,
    /// What the bag holds once made.
    final_volume: Qty,
    /// The true concentration.
    concentration: Qty,
    /// The volume to infuse.
    volume_to_infuse: Qty,
    /// The infusion time, in min.
    duration: Qty,
    /// The pump rate, mL/h.
    rate: Qty,
    /// The set's drop factor, or null.
    drop_factor: Option<Qty>,
    /// The drip rate in gtt/min, or null without a drop factor.
    drip_rate: Option<Qty>,
    /// For a fixed-concentration bag, the figures at its nominal concentration; else null.
    nominal: Option<NominalDto>,
    /// The bag as made, from the volume actually drawn (SPEC §12.3).
    as_measured: InfusionAsMeasuredDto,
    /// The dose delivered over the duration.
    dose_rate: DoseRateDto,
    /// The dose delivered ÷ weight, mg/kg; null without a weight.
    dose_per_kg: Option<Qty>,
    /// The volume to infuse as made ÷ weight, mL/kg; null without a weight.
    fluid_per_kg: Option<Qty>,
    /// The ceiling in effect: the formula's `max`, or this order's `--max`; null without one.
    max: Option<Qty>,
    /// Who approved this order's `--max`, or null.
    max_authorized_by: Option<String>,
    /// The latest start that ends the infusion by the beyond-use time.
    start_by: StartByDto,
}

/// An infusion's bag as made (SPEC §12.3), in the batch and the label JSON alike.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "InfusionAsMeasured")]
pub(crate) struct InfusionAsMeasuredDto {
    /// `D_m`, the drug the volume drawn puts in the bag.
    in_bag: Qty,
    /// The dose delivered: `D_m` for a whole bag, the ordered dose for a fixed concentration.
    dose: Qty,
    /// `F_m = bag + overfill + the volume drawn` (without it with `replace`).
    final_volume: Qty,
    /// `C_m = D_m ÷ F_m`.
    concentration: Qty,
    /// `F_m` for a whole bag, `D ÷ C_m` for a fixed concentration.
    volume_to_infuse: Qty,
    /// Its rate, mL/h.
    rate: Qty,
    /// The drip rate, or null without a drop factor.
    drip_rate: Option<Qty>,
    /// `(dose − D) ÷ D × 100` for a whole bag, `(T_m − T) ÷ T × 100` for a fixed concentration.
    #[schemars(schema_with = "deviation")]
    deviation: String,
}

impl InfusionAsMeasuredDto {
    pub(crate) fn of(a: &crate::calc::InfusionAsMeasured) -> Self {
        use crate::unit::Unit;
        InfusionAsMeasuredDto {
            in_bag: mass_exact(a.in_bag).into(),
            dose: mass_exact(a.dose).into(),
            final_volume: volume_exact(a.final_volume).into(),
            concentration: with_unit(a.concentration, Unit::MG_PER_ML).into(),
            volume_to_infuse: volume_exact(a.volume_to_infuse).into(),
            rate: with_unit(a.rate, Unit::ML_PER_H).into(),
            drip_rate: a.drip_rate.map(|d| with_unit(d, Unit::GTT_PER_MIN).into()),
            deviation: plain(a.deviation),
        }
    }
}

/// The dose delivered over the duration (SPEC §12.3).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "DoseRate")]
pub(crate) struct DoseRateDto {
    /// mg/h.
    per_hour: Qty,
    /// mg/kg/h, or null without a weight.
    per_kg_per_hour: Option<Qty>,
}

impl DoseRateDto {
    pub(crate) fn of(r: &crate::calc::DoseRate) -> Self {
        DoseRateDto {
            per_hour: per(r.per_hour, "mg/h"),
            per_kg_per_hour: r.per_kg_per_hour.map(|v| per(v, "mg/kg/h")),
        }
    }
}

/// The latest start that ends an infusion by its beyond-use time: the BUD less the duration.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "StartBy")]
pub(crate) struct StartByDto {
    /// The date.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    date: String,
    /// The time, `HH:MM` local.
    #[schemars(regex(pattern = r"^[0-9]{2}:[0-9]{2}$"))]
    time: String,
}

impl StartByDto {
    pub(crate) fn of(i: &crate::calc::Infusion) -> Self {
        StartByDto { date: i.start_by.date().to_string(), time: crate::number::hhmm(i.start_by.time()) }
    }
}

/// A quantity in a unit of its own (`mg/h`, `mL/kg`): exact, normalized.
pub(crate) fn per(v: rust_decimal::Decimal, unit: &str) -> Qty {
    Qty { value: plain(v), unit: unit.to_string() }
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
        as_measured: InfusionAsMeasuredDto::of(&i.as_measured),
        dose_rate: DoseRateDto::of(&i.dose_rate),
        dose_per_kg: i.dose_per_kg.map(|v| with_unit(v, Unit::MG_PER_KG).into()),
        fluid_per_kg: i.fluid_per_kg.map(|v| per(v, "mL/kg")),
        max: i.max.map(|m| mass_exact(m).into()),
        max_authorized_by: i.max_authorized_by.clone(),
        start_by: StartByDto::of(i),
    }
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
    message: &'a str,
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

/// The JSON Schema (draft 2020-12) of the document `T` writes, every object closed (SPEC
/// §5: "keeps exactly the keys above"), with `description`.
pub(crate) fn schema_of<T: JsonSchema>(description: &str) -> serde_json::Value {
    use schemars::transform::RecursiveTransform;
    let closed = RecursiveTransform(|s: &mut Schema| {
        if s.get("properties").is_some() {
            s.insert("additionalProperties".into(), false.into());
        }
    });
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .with_transform(closed)
        .into_generator();
    let mut schema = generator.into_root_schema_for::<T>();
    schema.insert("description".into(), serde_json::json!(description));
    schema.to_value()
}

/// A string that is one of `words`.
pub(crate) fn one_of(words: impl IntoIterator<Item = &'static str>) -> Schema {
    let words: Vec<&str> = words.into_iter().collect();
    json_schema!({ "type": "string", "enum": words })
}

fn dosage_form(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::formula::DosageForm::ALL.iter().map(|f| f.as_str()))
}

fn role(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::formula::Role::ALL.iter().map(|r| r.as_str()))
}

pub(crate) fn basis(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::formula::StrengthBasis::ALL.iter().map(|b| b.as_str()))
}

fn schedule(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::formula::Schedule::ALL.iter().map(|s| s.as_str()))
}

fn infusion_method(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::formula::InfusionMethod::ALL.iter().map(|m| m.as_str()))
}

fn bud_rule(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::calc::BudRule::ALL.iter().map(|r| r.as_str()))
}

fn aliquot_by(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::calc::AliquotBy::ALL.iter().map(|b| b.as_str()))
}

fn warning_code(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::codes::Code::ALL.iter().filter(|c| c.kind().is_batch_warning()).map(|c| c.as_str()))
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
pub(crate) fn render(r: &super::Report<'_>) -> String {
    to_pretty(&document(r))
}

/// The document for a batch (SPEC §5, §8.5): what `batch --format json` prints, and the
/// `batch` of the completed record (SPEC §14.3), built once, here.
pub(crate) fn document<'a>(r: &super::Report<'a>) -> BatchDto<'a> {
    let super::Report { formula, source, batch: b, .. } = *r;
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
                    deviation: plain(a.deviation),
                }),
                vendor: l.vendor.as_deref(),
                lot: l.lot.as_deref(),
                expiry: l.expiry.map(|e| e.to_string()),
                calculation: &l.calculation,
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
                other_basis: s.other_basis.map(|o| OtherBasisDto {
                    basis: o.basis.as_str(),
                    concentration: with_unit(o.concentration.value, o.concentration.unit).into(),
                    per_dose: o.per_dose.map(|d| mass_exact(d).into()),
                }),
                per_dose: s.per_dose.map(|d| mass_exact(d).into()),
                dose: s.dose.as_deref(),
                as_measured: s.as_measured.map(|(c, unit, deviation)| StrengthAsMeasuredDto {
                    concentration: with_unit(c, unit).into(),
                    deviation: plain(deviation),
                }),
            })
            .collect(),
        doses: made.and_then(|c| c.doses).and_then(count),
        bud: bud(&b.bud),
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
                undelivered: infusion.map(|_| c.undelivered.map(|m| mass_exact(m).into())),
                as_measured: ControlledAsMeasuredDto::of(&c.as_measured),
                left_in_vials: c.left_in_vials.map(|l| LeftInVialsDto {
                    volume: volume_exact(l.left.volume.unwrap_or(crate::measure::Volume::ZERO)).into(),
                    amount: mass_exact(l.left.amount).into(),
                }),
            })
            .collect(),
        warnings: b
            .warnings
            .iter()
            .map(|w| WarningDto {
                code: w.code.as_str(),
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
        infusion: infusion.map(self::infusion),
    }
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
            code: d.code.as_str(),
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
