//! The calculation trail in words: every [`Step`] of a line or a bag as the worksheet,
//! Markdown, HTML and JSON print it (one wording for all of them).

use crate::calc::{AsMeasured, MIN_MEASURABLE, Step, Syringe};
use crate::measure::{Measured, Volume};
use crate::number::{
    for_reading, format_mass, four_significant, four_significant as sig, signed_percent, trail_ml, trail_num,
};

/// The step as one line of the trail.
pub(crate) fn word(step: &Step) -> String {
    match step {
        Step::Text(t) => t.clone(),
        // ── the compounded lines: amounts, overage, salt and assay, molded, volume ──
        // ── as measured, aliquots, dilutions ──
        Step::Measured { rounded, syringe, held } => {
            format!("measured as {}{}", on(*rounded, syringe), held_words(held))
        }
        Step::Diluted { dilution: d, stock } => format!(
            "under {}: dilute 1 in {}: {} mL of the {stock} stock made up to {} mL ({}) with {} mL of {}",
            trail_ml(MIN_MEASURABLE.ml()),
            d.factor,
            d.stock.ml(),
            d.to.ml(),
            d.labelled,
            d.diluent_volume.ml(),
            d.diluent_name
        ),
        Step::Portion { volume, factor, take, rounded, syringe, held } => format!(
            "portion: {} mL × {factor} = {} mL, measured as {}{}",
            for_reading(volume.ml(), 6),
            for_reading(take.ml(), 6),
            on(*rounded, syringe),
            held_words(held)
        ),
        Step::Carried { carried, rest } => format!(
            "− {} carried in by the aliquot portions = {} from the container",
            format_mass(carried.mg()),
            format_mass(rest.mg())
        ),
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

/// A volume on its syringe: `0.70 mL on the 1 mL syringe (0.01 mL marks)`, with the draws
/// when there are several.
fn on(v: Volume, s: &Syringe) -> String {
    let draws = if s.draws > 1 { format!(" in {} draws", s.draws) } else { String::new() };
    format!(
        "{} mL on the {} syringe ({} marks){draws}",
        v.ml(),
        trail_ml(s.capacity.ml()),
        trail_ml(s.graduation.ml())
    )
}

/// What a measured volume holds and how far that is from the amount required.
fn held_words(held: &Option<AsMeasured>) -> String {
    let Some(a) = held else { return String::new() };
    let amount = match a.amount {
        Measured::Mass(mg) => format!("{} mg", four_significant(mg.mg())),
        Measured::Volume(ml) => format!("{} mL", four_significant(ml.ml())),
    };
    format!(", which holds {amount} ({} from the amount required)", signed_percent(a.deviation.percent(), 2))
}

/// Every step of a trail, in order.
pub(crate) fn words(steps: &[Step]) -> Vec<String> {
    steps.iter().map(word).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::{Deviation, Mass};
    use rust_decimal::Decimal;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn a_volume_measured_on_its_syringe() {
        let on_60 =
            Syringe { capacity: Volume::from_ml(d("60")), graduation: Volume::from_ml(d("1")), draws: 2 };
        let held = AsMeasured {
            amount: Measured::Mass(Mass::from_mg(d("1210.08"))),
            deviation: Deviation::from_percent(d("0.84")),
        };
        let step = Step::Measured { rounded: Volume::from_ml(d("120")), syringe: on_60, held: Some(held) };
        assert_eq!(
            word(&step),
            "measured as 120 mL on the 60 mL syringe (1 mL marks) in 2 draws, which holds 1210 mg (+0.84% from the amount required)"
        );
        // The rounded volume keeps its marks' places; without an amount, no "holds".
        let on_1 =
            Syringe { capacity: Volume::from_ml(d("1")), graduation: Volume::from_ml(d("0.01")), draws: 1 };
        let step = Step::Portion {
            volume: Volume::from_ml(d("0.07")),
            factor: 10,
            take: Volume::from_ml(d("0.7")),
            rounded: Volume::from_ml(d("0.70")),
            syringe: on_1,
            held: None,
        };
        assert_eq!(
            word(&step),
            "portion: 0.07 mL × 10 = 0.7 mL, measured as 0.70 mL on the 1 mL syringe (0.01 mL marks)"
        );
    }
}
