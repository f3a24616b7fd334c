//! The calculation trail in words: every [`Step`] of a line or a bag as the worksheet,
//! Markdown, HTML and JSON print it (one wording for all of them).

use crate::calc::Step;
use crate::number::{format_mass, four_significant as sig, trail_ml, trail_num};

/// The step as one line of the trail.
pub(crate) fn word(step: &Step) -> String {
    match step {
        Step::Text(t) => t.clone(),
        // ── the compounded lines: amounts, overage, salt and assay, molded, volume ──
        // ── as measured, aliquots, dilutions ──
        // ── the infusion ──
        Step::DosePerKg { rule, weight, dose } => {
            format!("dose: {rule} × {} kg = {}", trail_num(weight.kg()), format_mass(dose.mg()))
        }
        Step::DoseFixed { dose } => format!("dose: {dose} (fixed)"),
        Step::Capped { max } => format!("capped at the maximum: {}", format_mass(max.mg())),
        Step::DrugInBag { concentration, bag, drug } => format!(
            "drug in the bag: {} mg/mL × {} = {}",
            trail_num(concentration.mg_per_ml()),
            trail_ml(bag.ml()),
            format_mass(drug.mg())
        ),
        Step::DrugVolume { drug, stock, volume } => format!(
            "drug volume: {} ÷ {} mg/mL = {}",
            format_mass(drug.mg()),
            trail_num(stock.mg_per_ml()),
            trail_ml(volume.ml())
        ),
        Step::FinalVolume { bag, overfill, drug, result } => {
            let overfill = if overfill.is_zero() {
                String::new()
            } else {
                format!(" + {} overfill", trail_ml(overfill.ml()))
            };
            format!(
                "final volume: {}{overfill} + {} = {}",
                trail_ml(bag.ml()),
                trail_ml(drug.ml()),
                trail_ml(result.ml())
            )
        }
        Step::FinalVolumeReplaced { result } => {
            format!("final volume: {} (as much as the drug's volume withdrawn first)", trail_ml(result.ml()))
        }
        Step::Concentration { drug, final_volume, result } => format!(
            "concentration: {} ÷ {} = {} mg/mL",
            format_mass(drug.mg()),
            trail_ml(final_volume.ml()),
            sig(result.mg_per_ml())
        ),
        Step::VolumeToInfuse { dose, final_volume, drug, result } => format!(
            "volume to infuse: {} × {} ÷ {} = {}",
            format_mass(dose.mg()),
            trail_ml(final_volume.ml()),
            format_mass(drug.mg()),
            trail_ml(result.ml())
        ),
        Step::Rate { volume, duration, result } => format!(
            "rate: {} over {} min = {} mL/h",
            trail_ml(volume.ml()),
            trail_num(duration.minutes()),
            trail_num(result.ml_per_h())
        ),
        Step::DripRate { rate, drop_factor, result } => format!(
            "drip rate: {} mL/h × {} gtt/mL ÷ 60 = {} gtt/min",
            trail_num(rate.ml_per_h()),
            trail_num(drop_factor.gtt_per_ml()),
            trail_num(result.gtt_per_min())
        ),
        // The volume drawn as it was rounded (`0.70 mL`: the syringe's places).
        Step::AsMade { drawn, holds, final_volume, concentration, volume_to_infuse, rate } => format!(
            "as made: {} mL drawn holds {} mg; the bag {} at {} mg/mL; {} to infuse at {} mL/h",
            drawn.ml(),
            sig(holds.mg()),
            trail_ml(final_volume.ml()),
            sig(concentration.mg_per_ml()),
            trail_ml(volume_to_infuse.ml()),
            trail_num(rate.ml_per_h())
        ),
    }
}

/// Every step of a trail, in order.
pub(crate) fn words(steps: &[Step]) -> Vec<String> {
    steps.iter().map(word).collect()
}
