//! An infusion's figures in JSON (SPEC §8.5, §12.3): the `infusion` object of the batch
//! document, and the parts of it the label's JSON repeats (the dose in the other basis,
//! the bag as made, the dose rate, the latest start).

use crate::number::{mass_exact, plain, volume_exact, with_unit};
use schemars::JsonSchema;
use serde::Serialize;

use super::schema::{basis, deviation, infusion_method};
use super::{Qty, per};

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
    i.weight.map(|w| with_unit(w.kg.kg(), crate::unit::Unit::KG).into())
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
pub(super) struct InfusionDto {
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
            concentration: with_unit(a.concentration.mg_per_ml(), Unit::MG_PER_ML).into(),
            volume_to_infuse: volume_exact(a.volume_to_infuse).into(),
            rate: with_unit(a.rate.ml_per_h(), Unit::ML_PER_H).into(),
            drip_rate: a.drip_rate.map(|d| with_unit(d.gtt_per_min(), Unit::GTT_PER_MIN).into()),
            deviation: plain(a.deviation.percent()),
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
            per_hour: per(r.per_hour.mg_per_h(), "mg/h"),
            per_kg_per_hour: r.per_kg_per_hour.map(|v| per(v.mg_per_kg_per_h(), "mg/kg/h")),
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

/// The `infusion` object of the batch document.
pub(super) fn infusion(i: &crate::calc::Infusion) -> InfusionDto {
    use crate::unit::Unit;
    InfusionDto {
        weight: weight(i),
        dose: mass_exact(i.dose).into(),
        dose_other_basis: OtherDoseDto::of(i),
        rule: i.rule.map(|r| with_unit(r.mg_per_kg(), Unit::MG_PER_KG).into()),
        capped: i.uncapped.is_some(),
        method: i.method.as_str(),
        stock: with_unit(i.stock.mg_per_ml(), Unit::MG_PER_ML).into(),
        drug_in_bag: mass_exact(i.drug_in_bag).into(),
        drug_volume: volume_exact(i.drug_volume).into(),
        vials: i.vials,
        bag: volume_exact(i.bag).into(),
        overfill: volume_exact(i.overfill).into(),
        final_volume: volume_exact(i.final_volume).into(),
        concentration: with_unit(i.concentration.mg_per_ml(), Unit::MG_PER_ML).into(),
        volume_to_infuse: volume_exact(i.volume_to_infuse).into(),
        duration: with_unit(i.duration.minutes(), Unit::MIN).into(),
        rate: with_unit(i.rate.ml_per_h(), Unit::ML_PER_H).into(),
        drop_factor: i.drop_factor.map(|d| with_unit(d.gtt_per_ml(), Unit::GTT_PER_ML).into()),
        drip_rate: i.drip_rate.map(|d| with_unit(d.gtt_per_min(), Unit::GTT_PER_MIN).into()),
        nominal: i.nominal.map(|n| NominalDto {
            concentration: with_unit(n.concentration.mg_per_ml(), Unit::MG_PER_ML).into(),
            volume_to_infuse: volume_exact(n.volume_to_infuse).into(),
            rate: with_unit(n.rate.ml_per_h(), Unit::ML_PER_H).into(),
        }),
        as_measured: InfusionAsMeasuredDto::of(&i.as_measured),
        dose_rate: DoseRateDto::of(&i.dose_rate),
        dose_per_kg: i.dose_per_kg.map(|v| with_unit(v.mg_per_kg(), Unit::MG_PER_KG).into()),
        fluid_per_kg: i.fluid_per_kg.map(|v| per(v.ml_per_kg(), "mL/kg")),
        max: i.max.map(|m| mass_exact(m).into()),
        max_authorized_by: i.max_authorized_by.clone(),
        start_by: StartByDto::of(i),
    }
}
