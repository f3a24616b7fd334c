//! The calculation trail in words: every [`Step`] of a line or a bag as the worksheet,
//! Markdown, HTML and JSON print it (one wording for all of them).

use crate::calc::{AsMeasured, Correction, MIN_MEASURABLE, Step, Syringe, trail_size as size};
use crate::formula::{Displacement, Overage};
use crate::measure::{Measured, Volume};
use crate::number::{
    for_reading, format_density, format_mass, four_significant, four_significant as sig, plain,
    signed_percent, trail_ml, trail_num,
};

/// The step as one line of the trail.
pub(crate) fn word(step: &Step) -> String {
    match step {
        Step::Text(t) => t.clone(),
        // ── the compounded lines: amounts, overage, salt and assay, molded, volume ──
        Step::Prepared { quantity, overage, prepared, blend_for } => {
            let end = match blend_for {
                Some(c) => crate::report::figures::blend_for(prepared.value(), c.units()),
                None => size(*prepared),
            };
            match overage {
                None => format!("{} (no overage)", size(*quantity)),
                Some(Overage::Percent(p)) => format!("{} × (100% + {p}) = {end}", size(*quantity)),
                Some(Overage::Amount(a)) => format!("{} + {} overage = {end}", size(*quantity), size(*a)),
            }
        }
        Step::Required { amount, prepared, reference: Some(r), required } => format!(
            "{amount} × {} ÷ {} (reference batch) = {}",
            size(*prepared),
            size(*r),
            measured(*required)
        ),
        Step::Required { amount, prepared, reference: None, required } => {
            format!("{amount} × {} = {}", size(*prepared), measured(*required))
        }
        Step::ToStockBasis { ratio: (n, d), result } => format!(
            "× {}/{} (molecular weights, to the stock's basis) = {}",
            plain(*n),
            plain(*d),
            format_mass(result.mg())
        ),
        Step::FromStock { strength, volume } => format!("÷ {strength} (stock) = {}", trail_ml(volume.ml())),
        Step::Corrected { by, result } => {
            let by = match by {
                Correction::Salt(mw, base) => {
                    format!("× {}/{} (salt/base molecular weights)", plain(*mw), plain(*base))
                }
                Correction::Purity(p) => format!("÷ {p} (purity)"),
                Correction::Assay { assay, dried: false } => format!("÷ {assay} (assay)"),
                Correction::Assay { assay, dried: true } => format!("÷ {assay} (assay, dried basis)"),
                Correction::LossOnDrying(l) => format!("÷ (100% − {l}) (loss on drying)"),
            };
            format!("{by} = {}", measured(*result))
        }
        Step::ToMass { volume, density, mass } => format!(
            "{} mL × {} (density) = {}",
            trail_num(volume.ml()),
            format_density(*density),
            format_mass(mass.mg())
        ),
        Step::ToVolume { mass, density, volume } => format!(
            "{} ÷ {} (density) = {}",
            format_mass(mass.mg()),
            format_density(*density),
            trail_ml(volume.ml())
        ),
        Step::BaseByDifference { prepared, others, base } => format!(
            "{} − {} (other ingredients) = {}",
            format_mass(prepared.mg()),
            format_mass(others.mg()),
            format_mass(base.mg())
        ),
        Step::Blank { units, blank, total } => format!(
            "{} units × {} (blank) = {}",
            trail_num(units.units()),
            format_mass(blank.mg()),
            format_mass(total.mg())
        ),
        Step::Displaced { parts, displaced } => {
            let parts: Vec<String> = parts
                .iter()
                .map(|(w, d)| {
                    let how = match d {
                        Displacement::Factor(f) => format!("× {}", plain(*f)),
                        Displacement::DensityFactor(df) => format!("÷ {} (density factor)", plain(*df)),
                        Displacement::AssumedOneToOne => "× 1 (assumed)".to_string(),
                    };
                    format!("{} {how}", format_mass(w.mg()))
                })
                .collect();
            format!("− displacement ({}) = − {}", parts.join(" + "), format_mass(displaced.mg()))
        }
        Step::Base { base } => format!("= {} base", format_mass(base.mg())),
        Step::UnitWeight { base, others, units, unit_weight } => format!(
            "unit weight ({} + {}) ÷ {} = {}",
            format_mass(base.mg()),
            format_mass(others.mg()),
            trail_num(units.units()),
            format_mass(unit_weight.mg())
        ),
        Step::QsTo { volume } => format!("qs to {}", trail_ml(volume.ml())),
        Step::Doses { container: None, count } => count.to_string(),
        Step::Doses { container: Some(c), count } => format!(
            "{} {} mL {}: {count}",
            if c.last { "last" } else { "per" },
            trail_num(c.holds.ml()),
            c.noun
        ),
        Step::Bag { volume } => format!("the bag: {}", trail_ml(volume.ml())),
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

/// A required or corrected amount as the trail prints it (`82 mg`, `1.2 mL`).
fn measured(m: Measured) -> String {
    match m {
        Measured::Mass(mg) => format_mass(mg.mg()),
        Measured::Volume(ml) => trail_ml(ml.ml()),
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
    use crate::calc::{Container, DoseCounting};
    use crate::formula::Delivery;
    use crate::measure::{BatchSize, Count, Deviation, Mass};
    use crate::quantity::Percent;
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

    #[test]
    fn a_percent_overage_of_a_molded_form_ends_in_the_blend_for_the_cavities() {
        let step = Step::Prepared {
            quantity: BatchSize::Count(Count::from_units(d("96"))),
            overage: Some(Overage::Percent(Percent(d("7")))),
            prepared: BatchSize::Count(Count::from_units(d("102.72"))),
            blend_for: Some(Count::from_units(d("96"))),
        };
        assert_eq!(word(&step), "96 units × (100% + 7%) = blend for 102.72 units (96 cavities)");
        let none = Step::Prepared {
            quantity: BatchSize::Mass(Mass::from_mg(d("105000"))),
            overage: None,
            prepared: BatchSize::Mass(Mass::from_mg(d("105000"))),
            blend_for: None,
        };
        assert_eq!(word(&none), "105 g (no overage)");
    }

    #[test]
    fn corrections_name_their_rule_and_give_the_running_amount() {
        let result = Measured::Mass(Mass::from_mg(d("1250")));
        let assay = Correction::Assay { assay: Percent(d("98")), dried: true };
        assert_eq!(word(&Step::Corrected { by: assay, result }), "÷ 98% (assay, dried basis) = 1.25 g");
        let lod = Correction::LossOnDrying(Percent(d("0.5")));
        assert_eq!(word(&Step::Corrected { by: lod, result }), "÷ (100% − 0.5%) (loss on drying) = 1.25 g");
        let salt = Correction::Salt(d("274.19"), d("237.73"));
        let ml = Measured::Volume(Volume::from_ml(d("1.5")));
        assert_eq!(
            word(&Step::Corrected { by: salt, result: ml }),
            "× 274.19/237.73 (salt/base molecular weights) = 1.5 mL"
        );
    }

    #[test]
    fn doses_are_counted_per_container_with_the_device_s_terms() {
        let count = DoseCounting {
            volume: Volume::from_ml(d("2.5")),
            residual: Volume::from_ml(d("0.5")),
            delivery: Delivery::PerMl(d("20")),
            priming: d("2"),
            doses: crate::measure::DoseCount::from_doses(d("38")),
            dose: "drop".to_string(),
        };
        let container = Container { last: true, holds: Volume::from_ml(d("2.5")), noun: "bottle" };
        assert_eq!(
            word(&Step::Doses { container: Some(container), count: count.clone() }),
            "last 2.5 mL bottle: (2.5 mL − 0.5 mL residual) × 20 per mL − 2 priming = 38 drops"
        );
        let spray = DoseCounting { delivery: Delivery::Volume(d("0.1")), dose: "spray".to_string(), ..count };
        assert_eq!(
            word(&Step::Doses { container: None, count: spray }),
            "(2.5 mL − 0.5 mL residual) ÷ 0.1 mL − 2 priming = 38 sprays"
        );
    }

    #[test]
    fn a_molded_base_is_the_blank_less_what_the_others_displace() {
        let parts = vec![
            (Mass::from_mg(d("1200")), Displacement::Factor(d("0.7"))),
            (Mass::from_mg(d("300")), Displacement::DensityFactor(d("1.5"))),
            (Mass::from_mg(d("50")), Displacement::AssumedOneToOne),
        ];
        let step = Step::Displaced { parts, displaced: Mass::from_mg(d("1090")) };
        assert_eq!(
            word(&step),
            "− displacement (1.2 g × 0.7 + 300 mg ÷ 1.5 (density factor) + 50 mg × 1 (assumed)) = − 1.09 g"
        );
    }
}
