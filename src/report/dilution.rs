//! The dilution step of the worksheet (SPEC §12.2, DOMAIN §15): a stock volume under
//! 0.2 mL is measured through a dilution that is a step of its own, made at the point of
//! the procedure where the drug is drawn, each figure checked by a second person before
//! the next step, labelled at once, never stored, and its remainder wasted with a
//! witness.
//!
//! The step's checks go into the procedure just before the first step that draws the
//! ingredient (`{weigh:ID}`), and the check of the portion and the waste of the rest just
//! after it; a formula whose steps never draw it gets them as a section of their own.

use super::figures::{dilution_made, drawn_volume, with_syringe};
use super::infusion::drug_name;
use super::sheet::{BLANK, Check};
use crate::calc::{Batch, Dilution, Line};
use crate::formula::{Formula, Ingredient, Slot, Stock, Template};

/// One dilution: the checks before the step that draws the portion, and the one after it.
pub(crate) struct Steps {
    /// The id of the ingredient diluted.
    pub(crate) id: String,
    /// Make, make up, label.
    pub(crate) before: Vec<Check>,
    /// The portion checked, and the rest wasted.
    pub(crate) after: Check,
}

/// The dilution steps of every ingredient measured through a dilution; an `infusion`'s
/// are made in a sterile empty vial, never in the patient's bag.
pub(crate) fn all(formula: &Formula, batch: &Batch, infusion: bool) -> Vec<Steps> {
    batch
        .lines
        .iter()
        .filter_map(|l| {
            let d = l.dilution.as_ref()?;
            let ing = formula.ingredient(&l.id)?;
            Some(steps(formula, batch, l, ing, &ing.stock?, d, infusion))
        })
        .collect()
}

fn check(text: String) -> Check {
    Check::new(text)
}

fn steps(
    formula: &Formula,
    batch: &Batch,
    line: &Line,
    ing: &Ingredient,
    stock: &Stock,
    d: &Dilution,
    infusion: bool,
) -> Steps {
    let drug = drug_name(ing).to_lowercase();
    let sv = |v| drawn_volume(v, infusion);
    let (vessel, source, leaves) = if infusion {
        (
            "a sterile empty vial",
            "a separate single-dose container (never the patient's bag, never a prefilled flush syringe)",
            "the bag leaves the hood",
        )
    } else {
        ("a clean, empty container", "a separate container", "the preparation leaves the bench")
    };
    let schedule = formula.schedule().map(|s| format!(" – {}", s.banner())).unwrap_or_default();
    let label = format!(
        "DILUTION – FOR COMPOUNDING ONLY – {drug} {} ({} of {} + {} {}){schedule} – date {BLANK} time {BLANK} initials {BLANK}",
        d.labelled,
        sv(d.stock),
        stock.strength,
        sv(d.diluent_volume),
        d.diluent_name
    );
    let before = vec![
        check(format!(
            "Dilution of {} (its own step, each figure checked before the next): into {vessel}, draw {} of the {} stock with {}. Second person checks the stock volume: {BLANK}",
            ing.id,
            sv(d.stock),
            stock.strength,
            with_syringe(&d.stock_syringe, d.stock),
        )),
        check(format!(
            "Add {} of {} from {source} with {}, to {}, and mix. Diluent lot {BLANK} expiry {BLANK}. Second person checks the volume made up: {BLANK}",
            sv(d.diluent_volume),
            d.diluent_name,
            with_syringe(&d.diluent_syringe, d.diluent_volume),
            sv(d.to),
        )),
        check(format!("Label the dilution at once, before anything is drawn from it: {label}")),
    ];
    let waste = batch
        .controlled
        .iter()
        .find(|c| c.id == line.id)
        .and_then(|c| c.as_measured.dilution_remainder)
        .map(|p| format!(" = {}", crate::number::iv::mass(p.amount)))
        .unwrap_or_default();
    let witness = if formula.schedule().is_some() { " with a witness" } else { "" };
    let after = check(format!(
        "Second person checks the portion drawn, {} of the {} dilution ({}), before it goes in: {BLANK}. The dilution is never stored: waste what is left ({} of the {} dilution{waste}){witness} before {leaves}. Witness {BLANK}",
        sv(d.take_rounded),
        d.labelled,
        dilution_made(d, stock),
        sv(d.remainder),
        d.labelled,
    ));
    Steps { id: line.id.clone(), before, after }
}

/// The procedure's checks with the dilution steps in place: before the first step that
/// draws the ingredient, and after it. Dilutions no step draws are returned apart.
pub(crate) fn insert(
    steps: &[Template],
    checks: Vec<Check>,
    dilutions: Vec<Steps>,
) -> (Vec<Check>, Vec<Check>) {
    let mut out = checks;
    let mut apart = Vec::new();
    // From the last step back, so that earlier positions stay where they are.
    let mut placed: Vec<(usize, Steps)> = Vec::new();
    for s in dilutions {
        match steps.iter().position(|t| t.uses(&Slot::Weigh(s.id.clone()))) {
            Some(at) => placed.push((at, s)),
            None => {
                apart.extend(s.before);
                apart.push(s.after);
            }
        }
    }
    placed.sort_by_key(|p| std::cmp::Reverse(p.0));
    for (at, s) in placed {
        let after = at.saturating_add(1).min(out.len());
        out.insert(after, s.after);
        for (n, c) in s.before.into_iter().enumerate() {
            out.insert(at.saturating_add(n), c);
        }
    }
    (out, apart)
}
