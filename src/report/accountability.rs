//! The controlled-substance accountability block of a batch's worksheet (SPEC §3.11,
//! §7.4; DOMAIN §9): what to withdraw, where it goes, and the blanks that reconcile it
//! (withdrawn = in product + QC sample + overage + aliquot left + other loss). An
//! infusion's block, drawn from vials, is in [`super::infusion`].

use super::figures::{Figures, measured};
use super::mass_rounded;
use super::sheet::{BLANK, Block, Section};
use super::worksheet::approx_mass;
use crate::calc::{Batch, Controlled};
use crate::formula::{Basis, Formula};
use crate::measure::Mass;

/// An expected amount of a controlled substance, rounded to the readability for reading.
fn expected(m: Mass, batch: &Batch) -> String {
    approx_mass(m, batch.readability)
}

/// The block, one set of fields per scheduled ingredient.
pub(crate) fn section(formula: &Formula, batch: &Batch, figures: &Figures<'_>) -> Section {
    let mut blocks = Vec::new();
    for c in &batch.controlled {
        blocks.push(Block::Fields(controlled_fields(formula, batch, figures, c)));
    }
    Section { heading: "Controlled-substance accountability".to_string(), blocks }
}

/// The stock (or vial) lot the substance is drawn from, or a blank to write it in.
pub(crate) fn lot(batch: &Batch, c: &Controlled) -> String {
    batch.lines.iter().find(|l| l.id == c.id).and_then(|l| l.lot.clone()).unwrap_or_else(|| BLANK.to_string())
}

/// The fields every block opens with: the substance and its schedule.
pub(crate) fn substance(c: &Controlled) -> Vec<(String, String)> {
    vec![
        ("Substance".to_string(), format!("{} ({})", c.name, c.id)),
        ("Schedule".to_string(), format!("{} ({})", c.schedule.banner(), c.schedule.as_str())),
    ]
}

/// The signatures every block closes with.
pub(crate) fn sign(f: &mut Vec<(String, String)>) {
    f.push(("Withdrawn by".to_string(), BLANK.to_string()));
    f.push(("Witness".to_string(), BLANK.to_string()));
}

/// What a molded form's overage leaves: units beyond those dispensed (a unit overage)
/// and blend (a percent overage, and what the pour leaves), never poured into a mold's
/// empty cavities (SPEC §13).
fn molded_waste(batch: &Batch) -> String {
    let extra_units = batch.cavities.is_some_and(|c| c.units() > batch.quantity.value());
    let mut what = if extra_units {
        "the units beyond those dispensed and the blend left over"
    } else {
        "the blend left over"
    }
    .to_string();
    if batch.molds.is_some_and(|m| m.empty > 0) {
        what.push_str(", never poured into the empty cavities");
    }
    what
}

fn controlled_fields(
    formula: &Formula,
    batch: &Batch,
    figures: &Figures<'_>,
    c: &Controlled,
) -> Vec<(String, String)> {
    let basis = figures.basis(&c.id);
    let mut f = substance(c);
    if let Some(s) = figures.strength(&c.id) {
        let units = match formula.basis() {
            Basis::Molded => batch.cavities.map(|n| format!(", {}", super::units(n))).unwrap_or_default(),
            _ => String::new(),
        };
        f.push(("Finished form".to_string(), format!("{}, {s} ({basis}){units}", formula.dosage_form)));
    }
    let mut withdraw = mass_rounded(c.withdraw_rounded).to_string();
    if c.aliquot_remainder.is_some() {
        withdraw.push_str(" (the whole aliquot weighing)");
    }
    if let Some(v) = c.withdraw_volume {
        // Drawn from a stock solution: the volume is what is measured (SPEC §8.1).
        withdraw = format!("{} of the stock solution = {withdraw} ({basis})", measured(v));
    }
    f.push(("Quantity to withdraw".to_string(), withdraw));
    f.push(("Stock lot".to_string(), lot(batch, c)));
    let inventory = if c.withdraw_volume.is_some() {
        "volume in the vials, or perpetual inventory"
    } else {
        "container weight or perpetual inventory"
    };
    f.push(("Stock before".to_string(), format!("{BLANK} ({inventory})")));
    f.push(("Stock after".to_string(), BLANK.to_string()));
    f.push(("Withdrawn".to_string(), format!("{BLANK} (stock before − stock after)")));
    f.push((
        "In product".to_string(),
        format!("{BLANK} (expected {}, in {})", expected(c.in_product, batch), figures.quantity()),
    ));
    let mut waste = Vec::new();
    if let Some(loss) = c.overage_loss {
        // A molded form's overage is units beyond those dispensed and the blend left in the
        // beaker, which never goes into a mold's empty cavities (SPEC §13).
        let what = match formula.basis() {
            Basis::Molded => molded_waste(batch),
            _ => "the overage".to_string(),
        };
        f.push((
            "Overage (waste)".to_string(),
            format!("{BLANK} (expected {}: {what}, to be wasted with a witness)", expected(loss, batch)),
        ));
        waste.push("overage");
    }
    if let Some(rest) = c.aliquot_remainder {
        f.push((
            "Aliquot left (waste)".to_string(),
            format!(
                "{BLANK} (expected {}: what is left of the aliquot, to be wasted with a witness)",
                expected(rest, batch)
            ),
        ));
        waste.push("aliquot remainder");
    }
    f.push(("QC sample".to_string(), BLANK.to_string()));
    f.push(("Other loss and cause".to_string(), BLANK.to_string()));
    let mut sum = vec!["in product", "QC sample"];
    sum.extend(waste);
    sum.push("other loss");
    f.push(("Reconciled".to_string(), format!("[ ] yes   [ ] no   (withdrawn = {})", sum.join(" + "))));
    f.push(("Waste witnessed by".to_string(), BLANK.to_string()));
    sign(&mut f);
    f
}
