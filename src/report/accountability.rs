//! The controlled-substance accountability block of a batch's worksheet (SPEC §3.11,
//! §7.4; DOMAIN §9): what to withdraw, where it goes, and the blanks that reconcile it
//! (withdrawn = in product + QC sample + overage + aliquot left + other loss). An
//! infusion's block, drawn from vials, is in [`super::infusion`].

use crate::number::{approx_mass, mass_rounded};
use std::fmt::Write as _;

use super::figures::Figures;

use super::sheet::{BLANK, Block, Section};

use crate::calc::{Batch, Compounded, Controlled, LeftInVials, Part};
use crate::formula::{Basis, Formula};
use crate::measure::Mass;

/// An expected amount of a controlled substance, rounded to the readability for reading.
fn expected(m: Mass, batch: &Batch) -> String {
    approx_mass(m, batch.readability)
}

/// A part of the record: `0.7 mL = 35 mg (base)`, from one rounded volume; in the stock's
/// own basis first when the stock is labelled in the other one (`0.7 mL = 40.37 mg (salt;
/// 35 mg base)`).
pub(crate) fn part(
    c: &Controlled,
    p: &Part,
    of: &str,
    mass: &dyn Fn(crate::measure::Mass) -> String,
) -> String {
    let declared = c.basis.as_str();
    let amount = match (p.labelled, c.stock_basis) {
        (Some(l), Some(b)) => format!("{} ({}; {} {declared})", mass(l), b.as_str(), mass(p.amount)),
        (Some(l), None) => format!("{} as weighed ({} {declared})", mass(l), mass(p.amount)),
        (None, _) => format!("{} ({declared})", mass(p.amount)),
    };
    match p.volume {
        Some(v) => format!("{}{of} {}", crate::number::iv::volume(v), equals(&amount)),
        None => amount,
    }
}

/// `= 2 g`, or `≈ 2.0161 g` for a figure that is rounded: one sign, never `= ≈`.
fn equals(figure: &str) -> String {
    if figure.starts_with('≈') { figure.to_string() } else { format!("= {figure}") }
}

/// What is left in opened vials: witnessed waste, or back to stock for a multiple-dose
/// vial (SPEC §12.3).
pub(crate) const LEFT_IN_VIALS: &str = "witnessed waste, or back to stock only for a multiple-dose vial with its puncture date and time recorded (28 days at most)";

/// `2 × 5 mL; left in them 2.2 mL = 220 mg (base): witnessed waste, or back to stock …`,
/// or `1 × 10 mL; none left` when the volume drawn empties them.
pub(crate) fn vials_opened(c: &Controlled, l: &LeftInVials, mass: &dyn Fn(Mass) -> String) -> String {
    let opened = format!("{} × {}", l.vials, crate::number::iv::volume(l.vial));
    if l.left.amount.is_zero() {
        return format!("{opened}; none left");
    }
    format!("{opened}; left in them {}: {LEFT_IN_VIALS}", part(c, &l.left, "", mass))
}

/// The block, one set of fields per scheduled ingredient.
pub(crate) fn section(formula: &Formula, batch: &Batch, made: &Compounded, figures: &Figures<'_>) -> Section {
    let mut blocks = Vec::new();
    for c in &batch.controlled {
        blocks.push(Block::Fields(controlled_fields(formula, batch, made, figures, c)));
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
fn molded_waste(made: &Compounded) -> String {
    let extra_units = made.cavities.is_some_and(|c| c.units() > made.quantity.value());
    let mut what = if extra_units {
        "the units beyond those dispensed and the blend left over"
    } else {
        "the blend left over"
    }
    .to_string();
    if made.molds.is_some_and(|m| m.empty > 0) {
        what.push_str(", never poured into the empty cavities");
    }
    what
}

fn controlled_fields(
    formula: &Formula,
    batch: &Batch,
    made: &Compounded,
    figures: &Figures<'_>,
    c: &Controlled,
) -> Vec<(String, String)> {
    let basis = figures.basis(&c.id);
    let am = &c.as_measured;
    // A mass a drawn volume holds is not read on a balance: 4 significant figures, as an
    // infusion prints it (`780 mg`, `742.9 mg`); a weighed one to the readability.
    let drawn = c.withdraw_volume.is_some();
    let mass = |m: Mass| if drawn { crate::number::iv::mass(m) } else { expected(m, batch) };
    let mut f = substance(c);
    if let Some(s) = figures.strength(&c.id) {
        let units = match formula.basis() {
            Basis::Molded => {
                made.cavities.map(|n| format!(", {}", crate::number::units(n))).unwrap_or_default()
            }
            _ => String::new(),
        };
        f.push(("Finished form".to_string(), format!("{}, {s} ({basis}){units}", formula.dosage_form)));
    }
    let dilution = batch.lines.iter().find(|l| l.id == c.id).and_then(|l| l.dilution.as_ref());
    let withdraw = if drawn {
        // Drawn from a stock solution: the volume is what is measured (SPEC §8.1), and the
        // mass is what that same rounded volume holds (SPEC §12.3).
        let into = if dilution.is_some() { " (into the dilution)" } else { "" };
        format!("{}{into}", part(c, &am.withdraw, " of the stock solution", &mass))
    } else {
        let mut w = mass_rounded(c.withdraw_rounded).to_string();
        if c.as_weighed {
            let _ = write!(w, " as weighed ({} {basis})", equals(&mass(am.withdraw.amount)));
        }
        if c.aliquot_remainder.is_some() {
            w.push_str(" (the whole aliquot weighing)");
        }
        w
    };
    f.push(("Quantity to withdraw".to_string(), withdraw));
    if let Some(l) = c.left_in_vials {
        f.push(("Vials opened".to_string(), vials_opened(c, &l, &mass)));
    }
    f.push(("Stock lot".to_string(), lot(batch, c)));
    let inventory = if c.withdraw_volume.is_some() {
        "volume in the vials, or perpetual inventory"
    } else {
        "container weight or perpetual inventory"
    };
    f.push(("Stock before".to_string(), format!("{BLANK} ({inventory})")));
    f.push(("Stock after".to_string(), BLANK.to_string()));
    f.push(("Withdrawn".to_string(), format!("{BLANK} (stock before − stock after)")));
    let product = if am.in_product.volume.is_some() { " of preparation" } else { "" };
    // A volume of preparation says how much it is in; a mass or a count says it after.
    let of_quantity = if am.in_product.volume.is_some() {
        String::new()
    } else {
        format!(", in {}", figures.quantity(made))
    };
    f.push((
        "In product".to_string(),
        format!("{BLANK} (expected {}{of_quantity})", part(c, &am.in_product, product, &mass)),
    ));
    let mut waste = Vec::new();
    if let Some(loss) = &am.overage_loss {
        // A molded form's overage is units beyond those dispensed and the blend left in the
        // beaker, which never goes into a mold's empty cavities (SPEC §13).
        let what = match formula.basis() {
            Basis::Molded => molded_waste(made),
            _ => "the overage".to_string(),
        };
        f.push((
            "Overage (waste)".to_string(),
            format!(
                "{BLANK} (expected {}: {what}, to be wasted with a witness)",
                part(c, loss, product, &mass)
            ),
        ));
        waste.push("overage");
    }
    if let Some(rest) = &am.aliquot_remainder {
        f.push((
            "Aliquot left (waste)".to_string(),
            format!(
                "{BLANK} (expected {}: what is left of the aliquot, to be wasted with a witness)",
                part(c, rest, "", &mass)
            ),
        ));
        waste.push("aliquot remainder");
    }
    if let (Some(rest), Some(d)) = (&am.dilution_remainder, dilution) {
        f.push((
            "Dilution left (waste)".to_string(),
            format!(
                "{BLANK} (expected {}: never stored; wasted with a witness before the preparation leaves the bench)",
                part(c, rest, &format!(" of the {} dilution", d.labelled), &mass)
            ),
        ));
        waste.push("dilution left");
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
