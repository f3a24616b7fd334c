//! The dilution step (SPEC §12.2, DOMAIN §15): a stock volume under the 0.2 mL a syringe
//! measures is never drawn as it is. One millilitre of the stock is made up to `k` mL
//! with the formula's vehicle, `k` the smallest of [`FACTORS`] that makes the portion
//! `V × k` at least 0.4 mL, and the portion is drawn from the dilution in the 1 mL
//! syringe. When even `k = 50` leaves the portion under 0.4 mL the batch is refused: a
//! weaker stock is needed.

use crate::number::four_significant as sig;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::CalcError;
use super::amounts::{stock_amount, stock_labelled};
use super::error::arith_at;
use super::frac::Frac;
use super::syringe::{self, Syringe};
use crate::arith;
use crate::formula::{Ingredient, Stock};
use crate::measure::{Mass, Volume};
use crate::quantity::Quantity;
use crate::unit::Unit;

/// The dilutions, smallest first: from 50 mg/mL they give 10, 5, 2.5, 2 and 1 mg/mL.
pub const FACTORS: [u32; 5] = [5, 10, 20, 25, 50];

/// The smallest portion drawn from a dilution, mL: the 1 mL syringe's rounding stays
/// within 1.25% from it (DOMAIN §15).
pub const MIN_PORTION_ML: Volume = Volume::from_ml(dec!(0.4));

/// How a stock volume under 0.2 mL is measured: `stock` of the stock made up to `to`
/// with `diluent_volume` of the diluent, and the portion `take` drawn from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dilution {
    /// `k`: the dilution is 1 in `k`.
    pub factor: u32,
    /// `u`, the stock drawn: 1 mL.
    pub stock: Volume,
    /// The syringe `u` is drawn with (the 1 mL one).
    pub stock_syringe: Syringe,
    /// `k − 1` mL of the diluent.
    pub diluent_volume: Volume,
    /// The syringe the diluent is measured with.
    pub diluent_syringe: Syringe,
    /// The diluent's ingredient id (the formula's vehicle).
    pub diluent: String,
    /// The diluent's name.
    pub diluent_name: String,
    /// `k` mL: what the stock is made up to.
    pub to: Volume,
    /// The dilution's strength `S ÷ k`, mg/mL in the ingredient's declared basis.
    pub strength: Quantity,
    /// The same in the basis the stock is labelled in, as its label says it (`1 mg/mL`).
    pub labelled: String,
    /// `V × k`, exact: the portion that holds the amount needed.
    pub take: Volume,
    /// The portion rounded on its syringe.
    pub take_rounded: Volume,
    /// The portion's syringe (the 1 mL one).
    pub syringe: Syringe,
    /// What is left of the dilution once the portion is drawn, `k − take_rounded` mL: never
    /// stored, wasted (with a witness for a controlled substance).
    pub remainder: Volume,
}

/// The dilution that measures `v` mL (under 0.2 mL) of `ing`'s `stock`, with `diluent`
/// as the diluent; a refusal with the figures when none of [`FACTORS`] is enough.
pub(crate) fn plan(
    ing: &Ingredient,
    stock: &Stock,
    v: Decimal,
    diluent: &Ingredient,
) -> Result<Dilution, CalcError> {
    let err = arith_at(&ing.id, "the dilution");
    let mut chosen = None;
    for k in FACTORS {
        let take = arith::mul(v, Decimal::from(k)).map_err(&err)?;
        if take >= MIN_PORTION_ML.ml() {
            chosen = Some((k, take));
            break;
        }
    }
    let Some((k, take)) = chosen else {
        let largest = FACTORS.iter().copied().max().unwrap_or(50);
        let portion = arith::mul(v, Decimal::from(largest)).map_err(&err)?;
        // The strongest stock whose 1-in-50 portion is 0.4 mL: amount × 50 ÷ 0.4.
        let amount = stock_labelled(stock, Frac::of(v)).value().map_err(&err)?;
        let weaker =
            Frac::of(amount).times(Decimal::from(largest)).over(MIN_PORTION_ML.ml()).value().map_err(&err)?;
        return Err(CalcError::NoDilution {
            id: ing.id.clone(),
            amount: Mass::from_mg(amount),
            volume: Volume::from_ml(v),
            stock: stock.strength,
            factor: largest,
            portion: Volume::from_ml(portion),
            weaker: Quantity::new(weaker, Unit::MG_PER_ML),
        });
    };
    let one = Decimal::ONE;
    let k_ml = Decimal::from(k);
    let diluent_ml = arith::sub(k_ml, one).map_err(&err)?;
    let (stock_syringe, _) = syringe::measure(Volume::from_ml(one)).map_err(&err)?;
    let (diluent_syringe, _) = syringe::measure(Volume::from_ml(diluent_ml)).map_err(&err)?;
    let (portion_syringe, take_rounded) = syringe::measure(Volume::from_ml(take)).map_err(&err)?;
    let take_rounded = take_rounded.ml();
    let strength = stock_amount(ing, stock, Frac::of(one).over(k_ml)).value().map_err(&err)?;
    let labelled = stock_labelled(stock, Frac::of(one).over(k_ml)).value().map_err(&err)?;
    Ok(Dilution {
        factor: k,
        stock: Volume::from_ml(one),
        stock_syringe,
        diluent_volume: Volume::from_ml(diluent_ml),
        diluent_syringe,
        diluent: diluent.id.clone(),
        diluent_name: diluent.name.clone(),
        to: Volume::from_ml(k_ml),
        strength: Quantity::new(strength, Unit::MG_PER_ML),
        labelled: format!("{} mg/mL", sig(labelled)),
        take: Volume::from_ml(take),
        take_rounded: Volume::from_ml(take_rounded),
        syringe: portion_syringe,
        remainder: Volume::from_ml(arith::sub(k_ml, take_rounded).map_err(&err)?),
    })
}
