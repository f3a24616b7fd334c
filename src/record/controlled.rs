//! The C-III record of each scheduled ingredient (SPEC §14.2 item 4, DOMAIN §9): what left
//! the stock container against what the readings account for.
//!
//! Withdrawn is `stock_before − stock_after`, as a mass (a stock solution's volumes × its
//! strength `S`). Accounted for is the reading as a mass of stock (the material weighed,
//! an aliquot's whole weighing; a stock's volume × `S`, a net mass ÷ `stock_density` ×
//! `S`; a dilution's 1 mL of stock) plus the waste recorded (what left the stock and is in
//! no reading). It reconciles when the difference is at most the batch file's
//! `reconcile_tolerance`, else the larger of 10 × the balance's readability (10 × the
//! syringe's marks for a stock drawn by volume) and 0.5% of what was withdrawn. Beside it,
//! for the DEA record: the actual amount in the product dispensed and the waste the batch
//! expects (SPEC §7.4, §12.3), which is already in the readings and never added.

use rust_decimal::Decimal;

use super::asked::Asked;
use super::factors::held_by_stock;
use super::readings::Read;
use super::strength::Made;
use super::{Controlled, Reconciliation, calculation, written};
use crate::calc::Frac;
use crate::formula::{Diagnostic, Ingredient};
use crate::measure::{Mass, Measured};
use crate::request::{BatchFile, StockRecord};

/// How many readability steps (or syringe marks) a C-III record may be off by.
const STEPS: i64 = 10;

/// A C-III record may be off by this share of what was withdrawn, in thousandths (0.5%).
const SHARE_PER_MILLE: i64 = 5;

/// The stock readings of `file` that can be used: a stock after above the stock before
/// is an error at it.
pub(super) fn check_stock(file: &BatchFile, errors: &mut Vec<Diagnostic>) {
    for s in &file.controlled {
        if let (Some(before), Some(after)) = (&s.stock_before, &s.stock_after)
            && after.value.value() > before.value.value()
        {
            errors.push(
                Diagnostic::error(
                    crate::codes::Code::StockAfterAboveBefore,
                    format!(
                        "`stock_after` of `{}` is `{}`, more than `stock_before`, `{}`: a stock grows by nothing the batch takes",
                        s.id.value,
                        written(&after.written),
                        written(&before.written)
                    ),
                    after.span.clone(),
                )
                .with_help("give the stock container's reading before and after the withdrawal, in that order"),
            );
        }
    }
}

/// The C-III record of each scheduled ingredient of `asked`'s batch.
pub(super) fn of(
    asked: &Asked<'_>,
    read: &Read,
    made: &Made,
    file: &BatchFile,
) -> Result<Vec<Controlled>, Diagnostic> {
    let mut out = Vec::new();
    for (_, ing) in asked.lines().filter(|(_, i)| i.schedule.is_some()) {
        let stock = file.controlled.iter().find(|s| s.id.value == ing.id);
        out.push(one(asked, read, made, ing, stock)?);
    }
    Ok(out)
}

fn one(
    asked: &Asked<'_>,
    read: &Read,
    made: &Made,
    ing: &Ingredient,
    stock: Option<&StockRecord>,
) -> Result<Controlled, Diagnostic> {
    let id = ing.id.as_str();
    let calc = |what| calculation(id, what);
    // A figure of the stock as a mass: a mass as weighed, a volume × S.
    let as_mass = |m: Measured| -> Result<Decimal, Diagnostic> {
        match m {
            Measured::Mass(mg) => Ok(mg.mg()),
            Measured::Volume(v) => held_by_stock(ing, Frac::of(v.ml()))
                .ok_or_else(|| calc("a stock reading"))?
                .value()
                .map_err(|_| calc("a stock reading")),
        }
    };
    let figure = |f: Option<&crate::request::Figure<Measured>>| f.map(|f| as_mass(f.value)).transpose();
    let before = figure(stock.and_then(|s| s.stock_before.as_ref()))?;
    let after = figure(stock.and_then(|s| s.stock_after.as_ref()))?;
    let waste = figure(stock.and_then(|s| s.waste.as_ref()))?;
    let own_tolerance = figure(stock.and_then(|s| s.reconcile_tolerance.as_ref()))?;
    let taken = read.of(id);
    let from_stock = match taken.and_then(|t| t.from_stock.as_ref()) {
        Some(f) => Some(f.value().map_err(|_| calc("what the readings took from stock"))?),
        None => None,
    };
    let withdrawn = match (before, after) {
        (Some(b), Some(a)) => Some(crate::arith::sub(b, a).map_err(|_| calc("what was withdrawn"))?),
        _ => None,
    };
    let accounted = match from_stock {
        Some(f) => {
            Some(crate::arith::add(f, waste.unwrap_or_default()).map_err(|_| calc("what is accounted for"))?)
        }
        None => None,
    };
    let difference = match (withdrawn, accounted) {
        (Some(w), Some(a)) => Some(crate::arith::sub(w, a).map_err(|_| calc("the difference"))?),
        _ => None,
    };
    let by_volume =
        stock.and_then(|s| s.stock_before.as_ref()).is_some_and(|f| matches!(f.value, Measured::Volume(_)));
    let tolerance = match own_tolerance {
        Some(t) => Some(t),
        None => default_tolerance(asked, ing, by_volume, taken.and_then(|t| t.graduation), withdrawn)
            .map_err(|_| calc("the tolerance"))?,
    };
    let status = match (difference, tolerance) {
        (Some(d), Some(t)) if d.abs() <= t => Reconciliation::Reconciled,
        (Some(_), Some(_)) => Reconciliation::Unreconciled,
        _ => Reconciliation::Missing,
    };
    Ok(Controlled {
        id: id.to_string(),
        stock_before: stock.and_then(|s| s.stock_before.as_ref()).map(|f| f.written),
        stock_after: stock.and_then(|s| s.stock_after.as_ref()).map(|f| f.written),
        withdrawn: withdrawn.map(Mass::from_mg),
        accounted: accounted.map(Mass::from_mg),
        waste: waste.map(Mass::from_mg),
        difference: difference.map(Mass::from_mg),
        tolerance: tolerance.map(Mass::from_mg),
        in_product: in_product(asked, read, made, id)?.map(Mass::from_mg),
        expected_waste: asked.expected_waste(id)?,
        witness: stock.and_then(|s| s.witness.as_ref()).map(|w| w.value.clone()),
        status,
    })
}

/// The larger of 10 × the readability (10 × the marks of the syringe a stock is drawn
/// with, as the drug they hold) and 0.5% of `withdrawn`; without what was withdrawn, the
/// first.
fn default_tolerance(
    asked: &Asked<'_>,
    ing: &Ingredient,
    by_volume: bool,
    graduation: Option<crate::measure::Volume>,
    withdrawn: Option<Decimal>,
) -> Result<Option<Decimal>, crate::arith::ArithError> {
    let steps = Decimal::from(STEPS);
    let reading = match (by_volume, graduation) {
        (true, Some(g)) => match held_by_stock(ing, Frac::of(g.ml()).times(steps)) {
            Some(f) => f.value()?,
            None => return Ok(None),
        },
        (true, None) => return Ok(None),
        (false, _) => crate::arith::mul(asked.readability().mg(), steps)?,
    };
    let share = match withdrawn {
        Some(w) => {
            Frac::of(w.abs()).times(Decimal::from(SHARE_PER_MILLE)).over(Decimal::ONE_THOUSAND).value()?
        }
        None => Decimal::ZERO,
    };
    Ok(Some(reading.max(share)))
}

/// What the product dispensed holds of `id`: the actual strength × `Q` (for an infusion,
/// the drug in the bag); for a scheduled ingredient that is not an active, its actual
/// amount's share `Q ÷ P`.
fn in_product(asked: &Asked<'_>, read: &Read, made: &Made, id: &str) -> Result<Option<Decimal>, Diagnostic> {
    let calc = || calculation(id, "the amount in the product");
    if let Some(i) = &made.infusion {
        return Ok(i.in_bag.map(Mass::mg));
    }
    let Some(q) = asked.quantity() else { return Ok(None) };
    if let Some(s) = made.strengths.iter().find(|s| s.id == id) {
        let Some((v, unit)) = s.actual else { return Ok(None) };
        let (n, d) = unit.to_base_factor();
        let per = match unit.dimension() {
            // mg/g of a mass in mg.
            crate::unit::Dimension::MassPerMass => Decimal::ONE_THOUSAND,
            _ => Decimal::ONE,
        };
        return Frac::of(v).times(n).over(d).times(q).over(per).value().map(Some).map_err(|_| calc());
    }
    let (Some(a), Some(p)) = (read.of(id).and_then(|t| t.amount.clone()), asked.prepared()) else {
        return Ok(None);
    };
    a.times(q).over(p).value().map(Some).map_err(|_| calc())
}
