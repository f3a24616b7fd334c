//! Required amounts, amounts to weigh and volumes to measure (SPEC §3.2–§3.4).

use rust_decimal::Decimal;

use super::CalcError;
use super::error::arith_at as arith;
use super::frac::Frac;
use super::trail::{Correction, Step};
use crate::arith::ArithResult;
use crate::formula::{Ingredient, Measure, Stock};
use crate::measure::{BatchSize, Mass, Measured, Volume};
use crate::quantity::{Amount, Percent, RatioKind};
use crate::unit::Dimension;

/// What the calculation needs to know about the batch as a whole.
pub(crate) struct Scale {
    /// Prepared quantity `P`.
    pub(crate) prepared: BatchSize,
    /// The formula's reference batch, for fixed amounts.
    pub(crate) reference: Option<BatchSize>,
}

/// One ingredient's computed amounts (everything exact).
pub(crate) struct Amounts {
    pub(crate) required: Measured,
    pub(crate) weigh: Option<Mass>,
    pub(crate) measure: Option<Volume>,
    pub(crate) trail: Vec<Step>,
    /// The factors from the required amount to the material (salt and base, purity, assay,
    /// loss on drying): `material = required × factor`; 1 for a stock and the qs. Taken
    /// the other way, they give what a measured or weighed amount holds (SPEC §12.3).
    pub(crate) factor: Frac,
}

/// The required amount of a non-qs ingredient as a fraction and as a mass or volume,
/// and the trail step that says how it was obtained.
fn required(ing: &Ingredient, amount: &Amount, scale: &Scale) -> Result<(Frac, Measured, Step), CalcError> {
    let p = scale.prepared.value();
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
                    let reference = scale.reference.map_or(p, BatchSize::value);
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
    let reference = match amount {
        Amount::Quantity(q) if matches!(q.dimension(), Dimension::Mass | Dimension::Volume) => {
            Some(scale.reference.unwrap_or(scale.prepared))
        }
        _ => None,
    };
    Ok((frac, required, Step::Required { amount: *amount, prepared: scale.prepared, reference, required }))
}

/// An ingredient drawn from a stock solution (SPEC §8.1): measured, never weighed,
/// `required ÷ stock` in the stock's basis.
fn stock_amounts(
    ing: &Ingredient,
    stock: &Stock,
    required: Frac,
    amount: Measured,
    mut trail: Vec<Step>,
) -> Result<Amounts, CalcError> {
    let (n, d) = ing.to_stock_basis();
    if n != d {
        let v = required.clone().times_ratio((n, d)).value().map_err(arith(&ing.id, "the stock volume"))?;
        trail.push(Step::ToStockBasis { ratio: (n, d), result: Mass::from_mg(v) });
    }
    let v = stock_volume(ing, stock, required).map_err(arith(&ing.id, "the stock volume"))?;
    trail.push(Step::FromStock { strength: stock.strength, volume: Volume::from_ml(v) });
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
    let step = |frac: &Frac, by: Correction, trail: &mut Vec<Step>| -> Result<(), CalcError> {
        let v = frac.value().map_err(arith(&ing.id, "the amount to weigh"))?;
        let result =
            if is_volume { Measured::Volume(Volume::from_ml(v)) } else { Measured::Mass(Mass::from_mg(v)) };
        trail.push(Step::Corrected { by, result });
        Ok(())
    };
    if !is_volume {
        let (mw, base) = ing.salt_factor();
        if mw != base {
            frac = frac.times_ratio((mw, base));
            factor = factor.times_ratio((mw, base));
            step(&frac, Correction::Salt(mw, base), &mut trail)?;
        }
    }
    if let Some(p) = ing.purity {
        frac = frac.times(Decimal::ONE_HUNDRED).over(p.0);
        factor = factor.times(Decimal::ONE_HUNDRED).over(p.0);
        step(&frac, Correction::Purity(p), &mut trail)?;
    }
    if let Some(a) = lot.assay {
        frac = frac.times(Decimal::ONE_HUNDRED).over(a.0);
        factor = factor.times(Decimal::ONE_HUNDRED).over(a.0);
        step(&frac, Correction::Assay { assay: a, dried: lot.lod.is_some() }, &mut trail)?;
    }
    if let Some(l) = lot.lod {
        let dry =
            crate::arith::sub(Decimal::ONE_HUNDRED, l.0).map_err(arith(&ing.id, "the loss on drying"))?;
        frac = frac.times(Decimal::ONE_HUNDRED).over(dry);
        factor = factor.times(Decimal::ONE_HUNDRED).over(dry);
        step(&frac, Correction::LossOnDrying(l), &mut trail)?;
    }
    let material = frac.value().map_err(arith(&ing.id, "the amount to weigh"))?;
    let (weigh, measure) = if is_volume {
        let weigh = match ing.density {
            Some(d) => {
                let w = frac.clone().times(d).value().map_err(arith(&ing.id, "the mass from the density"))?;
                trail.push(Step::ToMass {
                    volume: Volume::from_ml(material),
                    density: d,
                    mass: Mass::from_mg(w),
                });
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
                trail.push(Step::ToVolume {
                    mass: Mass::from_mg(material),
                    density: d,
                    volume: Volume::from_ml(v),
                });
                Some(Volume::from_ml(v))
            }
            _ => None,
        };
        (Some(Mass::from_mg(material)), measure)
    };
    Ok(Amounts { required, weigh, measure, trail, factor })
}
