//! The calculation trail in words: every [`Step`] of a line or a bag as the worksheet,
//! Markdown, HTML and JSON print it (one wording for all of them).

use crate::calc::{AsMeasured, MIN_MEASURABLE, Step, Syringe};
use crate::measure::{Measured, Volume};
use crate::number::{for_reading, four_significant, signed_percent, trail_ml};

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
        // ── the infusion ──
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
