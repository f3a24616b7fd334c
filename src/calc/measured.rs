//! What is measured is what is recorded (SPEC §12.1–§12.3): a volume to measure gets its
//! syringe and is rounded once to its marks, a stock volume under 0.2 mL goes through a
//! dilution, and the volume actually measured gives the amount the preparation holds
//! (the as-measured amount) and its deviation from the amount required.

use super::warning::TwoSyringes;
use crate::calc::{Says, Step};
use crate::number::{four_significant as sig, trail_ml};
use rust_decimal::Decimal;

use super::CalcError;
use super::amounts::stock_amount;
use super::batch::{AsMeasured, Warning};
use super::dilution::{self, Dilution};
use super::error::arith_at;
use super::frac::Frac;
use super::syringe::{self, MIN_MEASURABLE, SYRINGES, Syringe};
use crate::codes::Code;
use crate::formula::{Ingredient, Role};
use crate::measure::{Amount, Deviation, Mass, Measured, Volume};

/// A deviation above which an active gets a `rounding-deviation` warning.
const WARN_DEVIATION: Deviation = Deviation::from_percent(Decimal::TWO);
/// With the syringes of SPEC §12.1 no rounding is off by more than this (percent): a
/// larger deviation is a defect, refused rather than printed.
const MAX_DEVIATION: Deviation = Deviation::from_percent(Decimal::from_parts(5, 0, 0, false, 0));

/// How one volume is measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Measurement {
    /// The volume rounded on its syringe; `None` with a dilution (no stock is drawn for
    /// the amount itself).
    pub(crate) rounded: Option<Volume>,
    /// The syringe (for a dilution, the portion's).
    pub(crate) syringe: Syringe,
    /// A stock volume under 0.2 mL: the dilution step.
    pub(crate) dilution: Option<Dilution>,
    /// What the measured volume holds; `None` for a volume under 0.2 mL measured without
    /// a dilution.
    pub(crate) as_measured: Option<AsMeasured>,
}

impl Measurement {
    /// The volume that goes into the preparation: the rounded volume, or the dilution's
    /// portion.
    pub(crate) fn drawn(&self) -> Option<Volume> {
        self.dilution.as_ref().map(|d| d.take_rounded).or(self.rounded)
    }

    /// The volume drawn from the stock's container: the rounded volume, or the 1 mL made
    /// up into the dilution.
    pub(crate) fn drawn_from_stock(&self) -> Option<Volume> {
        self.dilution.as_ref().map(|d| d.stock).or(self.rounded)
    }
}

/// Measures `v` mL of `ing`, whose required amount is `required` and whose material is
/// `required × factor` (SPEC §3.3); a dilution (a stock under 0.2 mL) is made with
/// `diluent`. Warnings about the volume go to `warnings`.
pub(crate) fn measure(
    ing: &Ingredient,
    v: Volume,
    required: Measured,
    factor: &Frac,
    diluent: &Ingredient,
    warnings: &mut Vec<Warning>,
) -> Result<Measurement, CalcError> {
    let err = arith_at(&ing.id, "the measured volume");
    let m = match (&ing.stock, v < MIN_MEASURABLE) {
        (Some(stock), true) => {
            let dilution = dilution::plan(ing, stock, v.ml(), diluent)?;
            let held = stock_amount(
                ing,
                stock,
                Frac::of(dilution.take_rounded.ml()).over(Decimal::from(dilution.factor)),
            )
            .value()
            .map_err(&err)?;
            Measurement {
                rounded: None,
                syringe: dilution.syringe,
                as_measured: Some(as_measured(ing, Measured::Mass(Mass::from_mg(held)), required)?),
                dilution: Some(dilution),
            }
        }
        (Some(stock), false) => {
            let (s, r) = syringe::measure(v).map_err(&err)?;
            let held = stock_amount(ing, stock, Frac::of(r.ml())).value().map_err(&err)?;
            Measurement {
                rounded: Some(r),
                syringe: s,
                dilution: None,
                as_measured: Some(as_measured(ing, Measured::Mass(Mass::from_mg(held)), required)?),
            }
        }
        (None, true) => {
            if ing.role == Role::Active || ing.schedule.is_some() {
                return Err(CalcError::ActiveBelowMinimumVolume {
                    id: ing.id.clone(),
                    volume: trail_ml(v.ml()),
                    minimum: trail_ml(MIN_MEASURABLE.ml()),
                });
            }
            let (s, r) = syringe::measure(v).map_err(&err)?;
            if r.is_zero() {
                return Err(CalcError::Unmeasurable { id: ing.id.clone(), volume: trail_ml(v.ml()) });
            }
            warnings.push(Warning {
                code: Code::BelowMinimumVolume,
                ingredient: Some(ing.id.clone()),
                message: Says::BelowMinimumVolume { id: ing.id.clone(), volume: v, measured: r },
                aliquot: None,
            });
            Measurement { rounded: Some(r), syringe: s, dilution: None, as_measured: None }
        }
        (None, false) => {
            let (s, r) = syringe::measure(v).map_err(&err)?;
            // The measured volume back to the required amount: × density for a mass, then
            // the material's factors the other way.
            let held = match (required, ing.density) {
                (Measured::Mass(_), Some(density)) => Measured::Mass(Mass::from_mg(
                    Frac::of(r.ml()).times(density).over_frac(factor).value().map_err(&err)?,
                )),
                (Measured::Volume(_), _) => Measured::Volume(Volume::from_ml(
                    Frac::of(r.ml()).over_frac(factor).value().map_err(&err)?,
                )),
                // A mass measured by volume has a density (the loader requires it).
                (Measured::Mass(_), None) => {
                    return Ok(Measurement {
                        rounded: Some(r),
                        syringe: s,
                        dilution: None,
                        as_measured: None,
                    });
                }
            };
            Measurement {
                rounded: Some(r),
                syringe: s,
                dilution: None,
                as_measured: Some(as_measured(ing, held, required)?),
            }
        }
    };
    if let Some(w) = m.as_measured.as_ref().and_then(|a| deviation_warning(ing, v, &m, a)) {
        warnings.push(w);
    }
    Ok(m)
}

/// How the volume was measured, for the calculation trail.
pub(crate) fn trail(ing: &Ingredient, v: Volume, m: &Measurement) -> Vec<Step> {
    let (syringe, held) = (m.syringe, m.as_measured);
    match (&m.dilution, m.rounded, &ing.stock) {
        (Some(d), _, Some(stock)) => vec![
            Step::Diluted { dilution: Box::new(d.clone()), stock: stock.strength },
            Step::Portion {
                volume: v,
                factor: d.factor,
                take: d.take,
                rounded: d.take_rounded,
                syringe,
                held,
            },
        ],
        (_, Some(rounded), _) => vec![Step::Measured { rounded, syringe, held }],
        _ => Vec::new(),
    }
}

/// `held` beside `required`, with the deviation `(held − required) ÷ required × 100`.
fn as_measured(ing: &Ingredient, held: Measured, required: Measured) -> Result<AsMeasured, CalcError> {
    // The amount held is worked out in the unit of the one required.
    let deviation = deviation(ing, held, required)?;
    if deviation.abs() > MAX_DEVIATION {
        return Err(CalcError::DeviationGuard { id: ing.id.clone(), deviation: sig(deviation.percent()) });
    }
    Ok(AsMeasured { amount: held, deviation })
}

/// `(got − want) ÷ want × 100` of two amounts of one dimension, an error located at the
/// ingredient when it cannot be computed.
pub(crate) fn deviation<A: Amount>(ing: &Ingredient, got: A, want: A) -> Result<Deviation, CalcError> {
    Deviation::between(got, want).map_err(arith_at(&ing.id, "the deviation"))
}

/// An active measured more than 2% off (SPEC §12.3): a warning with the deviation, and
/// two syringes (a full smaller one and the rest) when the rest is at least 0.2 mL, else
/// a weaker stock or weighing it.
fn deviation_warning(ing: &Ingredient, v: Volume, m: &Measurement, a: &AsMeasured) -> Option<Warning> {
    if ing.role != Role::Active || a.deviation.abs() <= WARN_DEVIATION {
        return None;
    }
    let drawn = m.drawn()?;
    let s = m.syringe;
    let smaller = SYRINGES.iter().take_while(|(c, _)| *c < s.capacity).last().map(|(c, _)| *c);
    let rest = smaller.and_then(|c| v.minus(c).ok().map(|r| (c, r)));
    let two = match rest {
        Some((full, rest)) if rest >= MIN_MEASURABLE && s.draws == 1 && m.dilution.is_none() => {
            let (syringe, rest) = syringe::measure(rest).ok()?;
            Some(TwoSyringes { full, rest, syringe })
        }
        _ => None,
    };
    Some(Warning {
        code: Code::RoundingDeviation,
        ingredient: Some(ing.id.clone()),
        message: Says::RoundingDeviation {
            id: ing.id.clone(),
            drawn,
            syringe: s,
            held: a.amount,
            deviation: a.deviation,
            two,
        },
        aliquot: None,
    })
}
