//! The label as JSON (`label --format json`); its wire format is in the label's module
//! documentation.

use crate::number::{mass_exact, volume_exact, with_unit};
use serde::Serialize;

use super::super::json::{DoseRateDto, InfusionAsMeasuredDto, OtherDoseDto, Qty, StartByDto};
use super::{Label, LabelKind};

#[derive(Debug, Serialize)]
struct OtherBasisDto {
    basis: &'static str,
    strength: Qty,
}

#[derive(Debug, Serialize)]
struct StrengthDto<'a> {
    id: &'a str,
    name: &'a str,
    basis: &'static str,
    strength: Qty,
    other_basis: Option<OtherBasisDto>,
}

#[derive(Debug, Serialize)]
struct ContainersDto {
    count: u64,
    fill: Qty,
    last: Option<Qty>,
}

#[derive(Debug, Serialize)]
struct MfrDto<'a> {
    id: &'a str,
    revision: u32,
}

#[derive(Debug, Serialize)]
struct LabelDto<'a> {
    preparation: &'a str,
    strengths: Vec<StrengthDto<'a>>,
    dosage_form: &'static str,
    route: &'a str,
    quantity: Qty,
    containers: Option<ContainersDto>,
    bud: &'a str,
    storage: &'a str,
    warnings: &'a [String],
    compounded: bool,
    controlled_caution: Option<&'static str>,
    batch_id: Option<&'a str>,
    date: &'a str,
    mfr: MfrDto<'a>,
    bud_time: Option<&'a str>,
    infusion: Option<InfusionDto>,
    contents: Option<ContentsDto>,
    prepared_from: &'a [String],
}

/// What an infusion's bag holds as made (SPEC §12.5): `D_m`, `F_m`, `C_m`.
#[derive(Debug, Serialize)]
struct ContentsDto {
    amount: Qty,
    volume: Qty,
    concentration: Qty,
}

impl ContentsDto {
    fn of(m: &crate::calc::InfusionAsMeasured) -> ContentsDto {
        ContentsDto {
            amount: mass_exact(m.in_bag).into(),
            volume: volume_exact(m.final_volume).into(),
            concentration: with_unit(m.concentration.mg_per_ml(), crate::unit::Unit::MG_PER_ML).into(),
        }
    }
}

#[derive(Debug, Serialize)]
struct InfusionDto {
    weight: Option<Qty>,
    dose: Qty,
    dose_other_basis: Option<OtherDoseDto>,
    volume: Qty,
    concentration: Qty,
    nominal_concentration: Option<Qty>,
    volume_to_infuse: Qty,
    duration: Qty,
    rate: Qty,
    drip_rate: Option<Qty>,
    as_measured: InfusionAsMeasuredDto,
    dose_per_kg: Option<Qty>,
    dose_rate: DoseRateDto,
    vtbi_first: bool,
    start_by: StartByDto,
    max: Option<Qty>,
    max_authorized_by: Option<String>,
}

fn infusion_dto(i: &crate::calc::Infusion) -> InfusionDto {
    use crate::unit::Unit;
    InfusionDto {
        weight: super::super::json::weight(i),
        dose: mass_exact(i.dose).into(),
        dose_other_basis: OtherDoseDto::of(i),
        volume: volume_exact(i.final_volume).into(),
        concentration: with_unit(i.concentration.mg_per_ml(), Unit::MG_PER_ML).into(),
        nominal_concentration: i
            .nominal
            .map(|n| with_unit(n.concentration.mg_per_ml(), Unit::MG_PER_ML).into()),
        volume_to_infuse: volume_exact(i.volume_to_infuse).into(),
        duration: with_unit(i.duration.minutes(), Unit::MIN).into(),
        rate: with_unit(i.rate.ml_per_h(), Unit::ML_PER_H).into(),
        drip_rate: i.drip_rate.map(|d| with_unit(d.gtt_per_min(), Unit::GTT_PER_MIN).into()),
        as_measured: InfusionAsMeasuredDto::of(&i.as_measured),
        dose_per_kg: i.dose_per_kg.map(|v| with_unit(v.mg_per_kg(), Unit::MG_PER_KG).into()),
        dose_rate: DoseRateDto::of(&i.dose_rate),
        vtbi_first: i.bag_exceeds_dose,
        start_by: StartByDto::of(i),
        max: i.max.map(|m| mass_exact(m).into()),
        max_authorized_by: i.max_authorized_by.clone(),
    }
}

/// The label as JSON (the wire format is in the module documentation), pretty-printed.
pub(crate) fn json(label: &Label) -> String {
    let (containers, infusion, contents) = match &label.kind {
        LabelKind::Compounded { containers, .. } => {
            let containers = containers.as_ref().map(|c| ContainersDto {
                count: c.count,
                fill: c.fill.clone().into(),
                last: c.last.clone().map(Into::into),
            });
            (containers, None, None)
        }
        LabelKind::Infusion(i) => {
            (None, Some(infusion_dto(&i.figures)), Some(ContentsDto::of(&i.figures.as_measured)))
        }
    };
    let dto = LabelDto {
        preparation: &label.preparation,
        strengths: label
            .strengths
            .iter()
            .map(|s| StrengthDto {
                id: &s.id,
                name: &s.name,
                basis: s.basis.as_str(),
                strength: s.strength.clone().into(),
                other_basis: s
                    .other_basis
                    .as_ref()
                    .map(|(b, v, _)| OtherBasisDto { basis: b.as_str(), strength: v.clone().into() }),
            })
            .collect(),
        dosage_form: label.dosage_form.as_str(),
        route: &label.route,
        quantity: label.quantity.clone().into(),
        containers,
        bud: &label.bud,
        storage: &label.storage,
        warnings: &label.warnings,
        compounded: true,
        controlled_caution: label.controlled_caution,
        batch_id: label.batch_id.as_deref(),
        date: &label.date,
        mfr: MfrDto { id: &label.mfr_id, revision: label.mfr_revision },
        bud_time: label.bud_time.as_deref(),
        infusion,
        contents,
        prepared_from: &label.prepared_from,
    };
    super::super::json::to_pretty(&dto)
}
