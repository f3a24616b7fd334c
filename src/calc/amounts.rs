//! Required amounts, amounts to weigh and volumes to measure (SPEC §3.2–§3.4).

use crate::number::{format_density, format_mass, plain, trail_ml, trail_num};
use rust_decimal::Decimal;

use super::CalcError;
use super::error::arith_at as arith;
use super::frac::Frac;
use crate::arith::ArithResult;
use crate::formula::{Basis, Ingredient, Measure, Stock};
use crate::measure::{Mass, Measured, Volume};
use crate::quantity::{Amount, Percent, RatioKind};
use crate::unit::Dimension;

/// What the calculation needs to know about the batch as a whole.
pub(crate) struct Scale {
    pub(crate) basis: Basis,
    /// Prepared quantity (mL, mg or units).
    pub(crate) prepared: Decimal,
    /// The formula's reference batch, for fixed amounts.
    pub(crate) reference: Option<Decimal>,
}

impl Scale {
    fn show(&self, v: Decimal) -> String {
        self.basis.show(v)
    }
}

/// One ingredient's computed amounts (everything exact).
pub(crate) struct Amounts {
    pub(crate) required: Measured,
    pub(crate) weigh: Option<Mass>,
    pub(crate) measure: Option<Volume>,
    pub(crate) trail: Vec<String>,
    /// The factors from the required amount to the material (salt and base, purity, assay,
    /// loss on drying): `material = required × factor`; 1 for a stock and the qs. Taken
    /// the other way, they give what a measured or weighed amount holds (SPEC §12.3).
    pub(crate) factor: Frac,
}

fn show_measured(m: Measured) -> String {
    match m {
        Measured::Mass(mg) => format_mass(mg.mg()),
        Measured::Volume(ml) => trail_ml(ml.ml()),
    }
}

/// The required amount of a non-qs ingredient as a fraction and as a mass or volume,
/// and the trail line that says how it was obtained.
fn required(ing: &Ingredient, amount: &Amount, scale: &Scale) -> Result<(Frac, Measured, String), CalcError> {
    let p = scale.prepared;
    let shown_p = scale.show(p);
    let (frac, is_volume) = match amount {
        Amount::Qs => (Frac::of(Decimal::ZERO), false),
        Amount::Ratio { parts, kind } => {
            // 1 g in N mL (or N g): 1000 mg × P ÷ N, with P in mL, or P (mg) ÷ N.
            let f = match kind {
                RatioKind::WeightInVolume => Frac::of(Decimal::ONE_THOUSAND).times(p).over(*parts),
                RatioKind::WeightInWeight => Frac::of(p).over(*parts),
            };
            (f, false)
        }
        Amount::Quantity(q) => {
            let base = Frac::of(q.value).times_ratio(q.unit.to_base_factor());
            match q.dimension() {
                // mg/mL × mL, mg/unit × units.
                Dimension::MassPerVolume | Dimension::MassPerCount => (base.times(p), false),
                // mg/g × mg ÷ 1000 (mg per g).
                Dimension::MassPerMass => (base.times(p).over(Decimal::ONE_THOUSAND), false),
                // %v/v × mL ÷ 100.
                Dimension::VolumePerVolume => (base.times(p).over(Decimal::ONE_HUNDRED), true),
                Dimension::Mass | Dimension::Volume | Dimension::Count => {
                    let reference = scale.reference.unwrap_or(p);
                    (base.times(p).over(reference), q.dimension() == Dimension::Volume)
                }
                // The loader refuses these as amounts (`amount-form`); never a number here.
                Dimension::Time
                | Dimension::VolumePerTime
                | Dimension::DropsPerVolume
                | Dimension::DropsPerTime => {
                    return Err(CalcError::AmountForm { id: ing.id.clone(), amount: amount.to_string() });
                }
            }
        }
    };
    let value = frac.value().map_err(arith(&ing.id, "the required amount"))?;
    let required = if is_volume {
        Measured::Volume(Volume::from_ml(value))
    } else {
        Measured::Mass(Mass::from_mg(value))
    };
    let shown = show_measured(required);
    let trail = match amount {
        Amount::Quantity(q) if matches!(q.dimension(), Dimension::Mass | Dimension::Volume) => {
            let reference = scale.reference.unwrap_or(p);
            format!("{amount} × {shown_p} ÷ {} (reference batch) = {shown}", scale.show(reference))
        }
        _ => format!("{amount} × {shown_p} = {shown}"),
    };
    Ok((frac, required, trail))
}

/// An ingredient drawn from a stock solution (SPEC §8.1): measured, never weighed,
/// `required ÷ stock` in the stock's basis.
fn stock_amounts(
    ing: &Ingredient,
    stock: &Stock,
    required: Frac,
    amount: Measured,
    mut trail: Vec<String>,
) -> Result<Amounts, CalcError> {
    let (n, d) = ing.to_stock_basis();
    if n != d {
        let v = required.clone().times_ratio((n, d)).value().map_err(arith(&ing.id, "the stock volume"))?;
        trail.push(format!(
            "× {}/{} (molecular weights, to the stock's basis) = {}",
            plain(n),
            plain(d),
            format_mass(v)
        ));
    }
    let v = stock_volume(ing, stock, required).map_err(arith(&ing.id, "the stock volume"))?;
    trail.push(format!("÷ {} (stock) = {} mL", stock.strength, trail_num(v)));
    Ok(Amounts {
        required: amount,
        weigh: None,
        measure: Some(Volume::from_ml(v)),
        trail,
        factor: Frac::of(Decimal::ONE),
    })
}

/// The volume (mL) of `stock` holding `amount` (mg, in `ing`'s declared basis): the
/// amount in the stock's basis over the stock's strength, divided once.
pub(crate) fn stock_volume(ing: &Ingredient, stock: &Stock, amount: Frac) -> ArithResult {
    let (num, den) = stock.per_ml;
    amount.times_ratio(ing.to_stock_basis()).times(den).over(num).value()
}

/// What `volume` (mL) of `stock` holds, in mg of `ing`'s declared basis: the inverse of
/// [`stock_volume`], one product over one product.
pub(crate) fn stock_amount(ing: &Ingredient, stock: &Stock, volume: Frac) -> Frac {
    let (num, den) = stock.per_ml;
    let (n, d) = ing.to_stock_basis();
    volume.times(num).over(den).times(d).over(n)
}

/// What `volume` (mL) of `stock` holds in the basis the stock is labelled in, mg.
pub(crate) fn stock_labelled(stock: &Stock, volume: Frac) -> Frac {
    let (num, den) = stock.per_ml;
    volume.times(num).over(den)
}

/// Lot corrections for one ingredient.
pub(crate) struct Corrections {
    pub(crate) assay: Option<Percent>,
    pub(crate) lod: Option<Percent>,
}

/// Computes required, weigh and measure for a non-qs ingredient.
pub(crate) fn amounts(
    ing: &Ingredient,
    amount: &Amount,
    scale: &Scale,
    lot: &Corrections,
) -> Result<Amounts, CalcError> {
    let (mut frac, required, first) = required(ing, amount, scale)?;
    let is_volume = matches!(required, Measured::Volume(_));
    let mut trail = vec![first];
    if let (Some(stock), false) = (&ing.stock, is_volume) {
        return stock_amounts(ing, stock, frac, required, trail);
    }
    let mut factor = Frac::of(Decimal::ONE);
    let mut running = required.value();
    let mut step = |frac: &Frac, label: String, trail: &mut Vec<String>| -> Result<(), CalcError> {
        running = frac.value().map_err(arith(&ing.id, "the amount to weigh"))?;
        let shown = if is_volume { trail_ml(running) } else { format_mass(running) };
        trail.push(format!("{label} = {shown}"));
        Ok(())
    };
    if !is_volume {
        let (mw, base) = ing.salt_factor();
        if mw != base {
            frac = frac.times_ratio((mw, base));
            factor = factor.times_ratio((mw, base));
            step(
                &frac,
                format!("× {}/{} (salt/base molecular weights)", plain(mw), plain(base)),
                &mut trail,
            )?;
        }
    }
    if let Some(p) = ing.purity {
        frac = frac.times(Decimal::ONE_HUNDRED).over(p.0);
        factor = factor.times(Decimal::ONE_HUNDRED).over(p.0);
        step(&frac, format!("÷ {p} (purity)"), &mut trail)?;
    }
    if let Some(a) = lot.assay {
        frac = frac.times(Decimal::ONE_HUNDRED).over(a.0);
        factor = factor.times(Decimal::ONE_HUNDRED).over(a.0);
        let basis = if lot.lod.is_some() { "assay, dried basis" } else { "assay" };
        step(&frac, format!("÷ {a} ({basis})"), &mut trail)?;
    }
    if let Some(l) = lot.lod {
        let dry =
            crate::arith::sub(Decimal::ONE_HUNDRED, l.0).map_err(arith(&ing.id, "the loss on drying"))?;
        frac = frac.times(Decimal::ONE_HUNDRED).over(dry);
        factor = factor.times(Decimal::ONE_HUNDRED).over(dry);
        step(&frac, format!("÷ (100% − {l}) (loss on drying)"), &mut trail)?;
    }
    let material = frac.value().map_err(arith(&ing.id, "the amount to weigh"))?;
    let (weigh, measure) = if is_volume {
        let weigh = match ing.density {
            Some(d) => {
                let w = frac.clone().times(d).value().map_err(arith(&ing.id, "the mass from the density"))?;
                trail.push(format!(
                    "{} mL × {} (density) = {}",
                    trail_num(material),
                    format_density(d),
                    format_mass(w)
                ));
                Some(Mass::from_mg(w))
            }
            None => None,
        };
        let measure = if ing.measure == Measure::Volume { Some(Volume::from_ml(material)) } else { None };
        (weigh, measure)
    } else {
        let measure = match (ing.measure, ing.density) {
            (Measure::Volume, Some(d)) => {
                let v =
                    frac.clone().over(d).value().map_err(arith(&ing.id, "the volume from the density"))?;
                trail.push(format!(
                    "{} ÷ {} (density) = {} mL",
                    format_mass(material),
                    format_density(d),
                    trail_num(v)
                ));
                Some(Volume::from_ml(v))
            }
            _ => None,
        };
        (Some(Mass::from_mg(material)), measure)
    };
    Ok(Amounts { required, weigh, measure, trail, factor })
}
