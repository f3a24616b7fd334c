//! What is measured is what is recorded (SPEC §12.1–§12.3): a volume to measure gets its
//! syringe and is rounded once to its marks, a stock volume under 0.2 mL goes through a
//! dilution, and the volume actually measured gives the amount the preparation holds
//! (the as-measured amount) and its deviation from the amount required.

use crate::calc::Says;
use crate::number::{four_significant as sig, signed_percent, trail_ml};
use rust_decimal::Decimal;

use super::CalcError;
use super::amounts::stock_amount;
use super::batch::{AsMeasured, Warning};
use super::dilution::{self, Dilution};
use super::error::arith_at;
use super::frac::Frac;
use super::syringe::{self, MIN_MEASURABLE_ML, SYRINGES, Syringe};
use crate::arith;
use crate::codes::Code;
use crate::formula::{Ingredient, Role};
use crate::measure::{Mass, Measured, Volume};

/// A deviation (percent) above which an active gets a `rounding-deviation` warning.
const WARN_DEVIATION: i64 = 2;
/// With the syringes of SPEC §12.1 no rounding is off by more than this (percent): a
/// larger deviation is a defect, refused rather than printed.
const MAX_DEVIATION: i64 = 5;

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
    let v = v.ml();
    let below = v < MIN_MEASURABLE_ML;
    let m = match (&ing.stock, below) {
        (Some(stock), true) => {
            let dilution = dilution::plan(ing, stock, v, diluent)?;
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
            let held = stock_amount(ing, stock, Frac::of(r)).value().map_err(&err)?;
            Measurement {
                rounded: Some(Volume::from_ml(r)),
                syringe: s,
                dilution: None,
                as_measured: Some(as_measured(ing, Measured::Mass(Mass::from_mg(held)), required)?),
            }
        }
        (None, true) => {
            if ing.role == Role::Active || ing.schedule.is_some() {
                return Err(CalcError::ActiveBelowMinimumVolume {
                    id: ing.id.clone(),
                    volume: trail_ml(v),
                    minimum: trail_ml(MIN_MEASURABLE_ML),
                });
            }
            let (s, r) = syringe::measure(v).map_err(&err)?;
            if r.is_zero() {
                return Err(CalcError::Unmeasurable { id: ing.id.clone(), volume: trail_ml(v) });
            }
            warnings.push(Warning {
                code: Code::BelowMinimumVolume,
                ingredient: Some(ing.id.clone()),
                message: Says::Text(format!(
                    "`{}`: {} is below the {} a syringe measures accurately (20% of the 1 mL syringe); it is measured as {r} mL on the 1 mL syringe: weigh it instead (give it a `density` and no `measure`), or use a stock solution",
                    ing.id,
                    trail_ml(v),
                    trail_ml(MIN_MEASURABLE_ML),
                )),
                aliquot: None,
            });
            Measurement { rounded: Some(Volume::from_ml(r)), syringe: s, dilution: None, as_measured: None }
        }
        (None, false) => {
            let (s, r) = syringe::measure(v).map_err(&err)?;
            // The measured volume back to the required amount: × density for a mass, then
            // the material's factors the other way.
            let held = match (required, ing.density) {
                (Measured::Mass(_), Some(density)) => Measured::Mass(Mass::from_mg(
                    Frac::of(r).times(density).over_frac(factor).value().map_err(&err)?,
                )),
                (Measured::Volume(_), _) => {
                    Measured::Volume(Volume::from_ml(Frac::of(r).over_frac(factor).value().map_err(&err)?))
                }
                // A mass measured by volume has a density (the loader requires it).
                (Measured::Mass(_), None) => {
                    return Ok(Measurement {
                        rounded: Some(Volume::from_ml(r)),
                        syringe: s,
                        dilution: None,
                        as_measured: None,
                    });
                }
            };
            Measurement {
                rounded: Some(Volume::from_ml(r)),
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
pub(crate) fn trail(ing: &Ingredient, v: Volume, m: &Measurement) -> Vec<String> {
    let s = m.syringe;
    let on = |v: Volume| {
        let draws = if s.draws > 1 { format!(" in {} draws", s.draws) } else { String::new() };
        format!(
            "{} mL on the {} syringe ({} marks){draws}",
            v.ml(),
            trail_ml(s.capacity.ml()),
            trail_ml(s.graduation.ml())
        )
    };
    let held = m.as_measured.map(|a| {
        let amount = match a.amount {
            Measured::Mass(mg) => format!("{} mg", sig(mg.mg())),
            Measured::Volume(ml) => format!("{} mL", sig(ml.ml())),
        };
        format!(", which holds {amount} ({} from the amount required)", signed_percent(a.deviation, 2))
    });
    let mut out = Vec::new();
    match (&m.dilution, m.rounded, &ing.stock) {
        (Some(d), _, Some(stock)) => {
            out.push(format!(
                "under {}: dilute 1 in {}: {} mL of the {} stock made up to {} mL ({}) with {} mL of {}",
                trail_ml(MIN_MEASURABLE_ML),
                d.factor,
                d.stock.ml(),
                stock.strength,
                d.to.ml(),
                d.labelled,
                d.diluent_volume.ml(),
                d.diluent_name
            ));
            out.push(format!(
                "portion: {} mL × {} = {} mL, measured as {}{}",
                crate::number::for_reading(v.ml(), 6),
                d.factor,
                crate::number::for_reading(d.take.ml(), 6),
                on(d.take_rounded),
                held.unwrap_or_default()
            ));
        }
        (_, Some(r), _) => out.push(format!("measured as {}{}", on(r), held.unwrap_or_default())),
        _ => {}
    }
    out
}

/// `held` beside `required`, with the deviation `(held − required) ÷ required × 100`.
fn as_measured(ing: &Ingredient, held: Measured, required: Measured) -> Result<AsMeasured, CalcError> {
    let deviation = deviation(ing, held.value(), required.value())?;
    if deviation.abs() > Decimal::from(MAX_DEVIATION) {
        return Err(CalcError::DeviationGuard { id: ing.id.clone(), deviation: sig(deviation) });
    }
    Ok(AsMeasured { amount: held, deviation })
}

/// `(got − want) ÷ want × 100`, exact.
pub(crate) fn deviation(ing: &Ingredient, got: Decimal, want: Decimal) -> Result<Decimal, CalcError> {
    let err = arith_at(&ing.id, "the deviation");
    let diff = arith::sub(got, want).map_err(&err)?;
    if diff.is_zero() {
        return Ok(Decimal::ZERO);
    }
    Frac::of(diff).times(Decimal::ONE_HUNDRED).over(want).value().map_err(&err)
}

/// An active measured more than 2% off (SPEC §12.3): a warning with the deviation, and
/// two syringes (a full smaller one and the rest) when the rest is at least 0.2 mL, else
/// a weaker stock or weighing it.
fn deviation_warning(ing: &Ingredient, v: Decimal, m: &Measurement, a: &AsMeasured) -> Option<Warning> {
    if ing.role != Role::Active || a.deviation.abs() <= Decimal::from(WARN_DEVIATION) {
        return None;
    }
    let drawn = m.drawn()?;
    let s = m.syringe;
    let smaller = SYRINGES.iter().take_while(|(c, _)| *c < s.capacity.ml()).last().map(|(c, _)| *c);
    let rest = smaller.and_then(|c| arith::sub(v, c).ok().map(|r| (c, r)));
    let advice = match rest {
        Some((full, rest)) if rest >= MIN_MEASURABLE_ML && s.draws == 1 && m.dilution.is_none() => {
            let (rs, rr) = syringe::measure(rest).ok()?;
            format!(
                "measure it with two syringes: a full {} syringe, and {rr} mL in a {} syringe",
                trail_ml(full),
                trail_ml(rs.capacity.ml())
            )
        }
        _ => "use a weaker stock, or weigh it".to_string(),
    };
    let held = match a.amount {
        Measured::Mass(mg) => format!("{} mg", sig(mg.mg())),
        Measured::Volume(ml) => format!("{} mL", sig(ml.ml())),
    };
    Some(Warning {
        code: Code::RoundingDeviation,
        ingredient: Some(ing.id.clone()),
        message: Says::Text(format!(
            "`{}`: {} mL measured on the {} syringe ({} marks) holds {held}, {} from the amount required: {advice}",
            ing.id,
            drawn.ml(),
            trail_ml(s.capacity.ml()),
            trail_ml(s.graduation.ml()),
            signed_percent(a.deviation, 2),
        )),
        aliquot: None,
    })
}
