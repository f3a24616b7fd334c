//! The calculation trail in words: every [`Step`] of a line or a bag as the worksheet,
//! Markdown, HTML and JSON print it (one wording for all of them).

use crate::calc::{Correction, Step, trail_size as size};
use crate::formula::{Displacement, Overage};
use crate::measure::Measured;
use crate::number::{format_density, format_mass, plain, trail_ml, trail_num};

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
        Step::Carried { carried, rest } => format!(
            "− {} carried in by the aliquot portions = {} from the container",
            format_mass(carried.mg()),
            format_mass(rest.mg())
        ),
        Step::Doses { container: None, count } => count.to_string(),
        Step::Doses { container: Some(c), count } => format!(
            "{} {} mL {}: {count}",
            if c.last { "last" } else { "per" },
            trail_num(c.holds.ml()),
            c.noun
        ),
        Step::Bag { volume } => format!("the bag: {}", trail_ml(volume.ml())),
        // ── as measured, aliquots, dilutions ──
        // ── the infusion ──
    }
}

/// A required or corrected amount as the trail prints it (`82 mg`, `1.2 mL`).
fn measured(m: Measured) -> String {
    match m {
        Measured::Mass(mg) => format_mass(mg.mg()),
        Measured::Volume(ml) => trail_ml(ml.ml()),
    }
}

/// Every step of a trail, in order.
pub(crate) fn words(steps: &[Step]) -> Vec<String> {
    steps.iter().map(word).collect()
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::calc::{Container, DoseCount};
    use crate::formula::Delivery;
    use crate::measure::{BatchSize, Count, Mass, Volume};
    use crate::quantity::Percent;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
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
        let count = DoseCount {
            volume: Volume::from_ml(d("2.5")),
            residual: Volume::from_ml(d("0.5")),
            delivery: Delivery::PerMl(d("20")),
            priming: d("2"),
            doses: d("38"),
            dose: "drop".to_string(),
        };
        let container = Container { last: true, holds: Volume::from_ml(d("2.5")), noun: "bottle" };
        assert_eq!(
            word(&Step::Doses { container: Some(container), count: count.clone() }),
            "last 2.5 mL bottle: (2.5 mL − 0.5 mL residual) × 20 per mL − 2 priming = 38 drops"
        );
        let spray = DoseCount { delivery: Delivery::Volume(d("0.1")), dose: "spray".to_string(), ..count };
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
