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
