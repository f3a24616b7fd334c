//! The quantities of an infusion (SPEC §8.2, §8.3), read the same way from a formula file
//! and from the command line: a dose rule (`0.5 mg/kg` or `35 mg`), a duration
//! (`40 min`), a body weight (`70 kg`, `154 lb`) and a stock strength (`50 mg/mL`,
//! `1:750 w/v`).

use rust_decimal::Decimal;

use super::DoseRule;
use crate::arith;
use crate::measure::Mass;
use crate::quantity::{Amount, Quantity, QuantityError, RatioKind};
use crate::unit::{Dimension, MassUnit, Unit};

/// What a dose rule may be.
pub const DOSE_EXPECTED: &str = "a dose per kilogram such as `0.5 mg/kg`, or a mass such as `35 mg`";

/// What a duration may be.
pub const DURATION_EXPECTED: &str = "a time such as `40 min` or `1 h`";

/// What a body weight may be.
pub const WEIGHT_EXPECTED: &str = "a body weight with its unit, such as `70 kg` or `154 lb`";

/// What a stock strength may be.
pub const STOCK_EXPECTED: &str = "a mass per volume such as `50 mg/mL`, `0.1 %w/v`, `1:750 w/v` or `1 g/L`";

/// The heaviest patient weight accepted, in kg: anything above is taken for a typing
/// error (grams for kilograms, a misplaced point).
pub const MAX_WEIGHT_KG: i64 = 500;

/// The shortest infusion, in minutes: anything shorter is a bolus, not an infusion
/// (`--duration 0.01min` asked a pump for 604,200 mL/h).
pub(crate) const MIN_DURATION_MIN: i64 = 1;

/// The longest infusion, in minutes: a day.
pub(crate) const MAX_DURATION_MIN: i64 = 24 * 60;

/// The largest bag, in mL: 5 L.
pub(crate) const MAX_BAG_ML: i64 = 5000;

/// The drop factors of administration sets, in gtt/mL: macrodrip sets are 10, 15 or 20,
/// microdrip sets 60.
pub(crate) const DROP_FACTORS: std::ops::RangeInclusive<i64> = 10..=60;

/// What a duration must be, for messages.
pub(crate) const DURATION_BOUNDS: &str = "an infusion time is from 1 min to 24 h, such as `40 min` or `1 h`";

/// Returns true if and only if `minutes` is an infusion time: from 1 minute to 24 hours.
pub(crate) fn is_infusion_time(minutes: Decimal) -> bool {
    minutes >= Decimal::from(MIN_DURATION_MIN) && minutes <= Decimal::from(MAX_DURATION_MIN)
}

/// Returns true if and only if `gtt_per_ml` is the drop factor of an administration set:
/// from 10 to 60 gtt/mL.
pub(crate) fn is_drop_factor(gtt_per_ml: Decimal) -> bool {
    gtt_per_ml >= Decimal::from(*DROP_FACTORS.start()) && gtt_per_ml <= Decimal::from(*DROP_FACTORS.end())
}

/// An exact conversion that failed: the number was too large to hold in the base unit,
/// or (a tiny `mcg` or `mg` in mg or kg) had more decimal places than a decimal keeps.
fn too_large(text: &str) -> impl Fn(crate::arith::ArithError) -> QuantityError + '_ {
    QuantityError::conversion(text.trim())
}

/// A dose rule: a mass per kilogram of body weight, or a fixed mass. Zero is allowed
/// here; the callers refuse it with their own words.
pub fn parse_dose(text: &str) -> Result<DoseRule, QuantityError> {
    parse_dose_as_written(text).map(|(rule, _)| rule)
}

/// [`parse_dose`], with the quantity as written (`0.5 mg/kg`), which a formula keeps as
/// the active's amount.
pub fn parse_dose_as_written(text: &str) -> Result<(DoseRule, Quantity), QuantityError> {
    let q = Quantity::parse_expecting(text, DOSE_EXPECTED)?;
    let wrong = |found: &'static str| QuantityError::WrongDimension {
        text: text.trim().to_string(),
        found,
        expected: DOSE_EXPECTED,
    };
    let rule = match q.unit {
        // mg per kg: the numerator in mg, per one kilogram.
        Unit::MassPerMass(m, MassUnit::Kg) => {
            DoseRule::PerKg(arith::mul(q.value, m.in_mg()).map_err(too_large(text))?)
        }
        Unit::MassPerMass(..) => {
            return Err(wrong("a mass per mass that is not per kilogram of body weight"));
        }
        Unit::Mass(_) => DoseRule::Fixed(Mass::from_mg(q.to_base().map_err(too_large(text))?)),
        other => return Err(wrong(other.dimension().describe())),
    };
    Ok((rule, q))
}

/// A duration in minutes.
pub fn parse_duration(text: &str) -> Result<Decimal, QuantityError> {
    Quantity::parse_dim(text, Dimension::Time, DURATION_EXPECTED)?.to_base().map_err(too_large(text))
}

/// A body weight: the quantity as given and its value in kg (1 lb = 0.45359237 kg exactly).
/// Only `kg` and `lb` (`kgs`, `lbs`) are body weights: `70mg` is a typing slip, never
/// 0.00007 kg.
pub fn parse_weight(text: &str) -> Result<(Quantity, Decimal), QuantityError> {
    let q = Quantity::parse_dim(text, Dimension::Mass, WEIGHT_EXPECTED)?;
    if !matches!(q.unit, Unit::Mass(MassUnit::Kg | MassUnit::Lb)) {
        return Err(QuantityError::WrongDimension {
            text: text.trim().to_string(),
            found: "a mass that is not in `kg` or `lb`",
            expected: WEIGHT_EXPECTED,
        });
    }
    // mg → kg by moving the decimal point six places: exact.
    let kg = q.to_base().and_then(|mg| arith::div(mg, Decimal::from(1_000_000))).map_err(too_large(text))?;
    Ok((q, kg))
}

/// A stock strength as written and as the exact fraction `numerator ÷ denominator` mg/mL.
pub fn parse_stock(text: &str) -> Result<(Amount, (Decimal, Decimal)), QuantityError> {
    let wrong = |found: &'static str| QuantityError::WrongDimension {
        text: text.trim().to_string(),
        found,
        expected: STOCK_EXPECTED,
    };
    let amount = match Amount::parse(text) {
        Ok(a) => a,
        Err(QuantityError::MissingUnit { text, .. }) => {
            return Err(QuantityError::MissingUnit { text, expected: STOCK_EXPECTED });
        }
        Err(e) => return Err(e),
    };
    let per_ml = match amount {
        // 1 g in N mL: 1000 mg ÷ N mL, kept as the fraction.
        Amount::Ratio { parts, kind: RatioKind::WeightInVolume } => (Decimal::ONE_THOUSAND, parts),
        Amount::Ratio { kind: RatioKind::WeightInWeight, .. } => return Err(wrong("a mass per mass")),
        Amount::Quantity(q) if q.dimension() == Dimension::MassPerVolume => {
            let (num, den) = q.unit.to_base_factor();
            (arith::mul(q.value, num).map_err(too_large(text))?, den)
        }
        Amount::Quantity(q) => return Err(wrong(q.dimension().describe())),
        Amount::Qs => return Err(wrong("`qs`")),
    };
    Ok((amount, per_ml))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn dose_rules() {
        assert_eq!(parse_dose("0.5 mg/kg").unwrap(), DoseRule::PerKg(d("0.5")));
        assert_eq!(parse_dose("500mcg/kg").unwrap(), DoseRule::PerKg(d("0.5")));
        assert_eq!(parse_dose("35 mg").unwrap(), DoseRule::Fixed(Mass::from_mg(d("35"))));
        assert_eq!(parse_dose("0.035 g").unwrap(), DoseRule::Fixed(Mass::from_mg(d("35"))));
        for bad in ["0.5 mg/mL", "0.5 mg/g", "0.5", "40 min", "0.5 mg/lb"] {
            let e = parse_dose(bad).unwrap_err().to_string();
            assert!(e.contains("0.5 mg/kg") || e.contains("unit"), "{bad}: {e}");
        }
    }

    #[test]
    fn durations_weights_and_stocks() {
        assert_eq!(parse_duration("40 min").unwrap(), d("40"));
        assert_eq!(parse_duration("1.5 h").unwrap(), d("90"));
        assert!(parse_duration("40").unwrap_err().to_string().contains("40 min"));
        assert_eq!(parse_weight("70 kg").unwrap().1, d("70"));
        assert_eq!(parse_weight("154 lb").unwrap().1, d("69.85322498"));
        assert_eq!(parse_weight("70kgs").unwrap().1, d("70"));
        assert_eq!(parse_weight("154 lbs").unwrap().1, d("69.85322498"));
        assert_eq!(parse_weight("70 KG").unwrap().1, d("70"));
        for bad in ["3500 g", "70mg", "70000000 mcg", "70 mL"] {
            let e = parse_weight(bad).unwrap_err().to_string();
            assert!(e.contains("70 kg") && e.contains("154 lb"), "{bad}: {e}");
        }
        assert!(parse_weight("70mg").unwrap_err().to_string().contains("not in `kg` or `lb`"));
        let e = parse_weight("70").unwrap_err().to_string();
        assert!(e.contains("has no unit") && e.contains("70 kg"), "{e}");
        assert_eq!(parse_stock("50 mg/mL").unwrap().1, (d("50"), Decimal::ONE));
        assert_eq!(parse_stock("1:750 w/v").unwrap().1, (d("1000"), d("750")));
        assert_eq!(parse_stock("0.1 %w/v").unwrap().1, (d("1.0"), Decimal::ONE));
        for bad in ["50 mg", "1:750 w/w", "10 %w/w", "qs", "50"] {
            assert!(parse_stock(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_number_too_small_in_the_base_unit_is_too_precise_not_too_large() {
        let tiny = "0.0000000000000000000000000001";
        for e in [
            parse_dose(&format!("{tiny} mcg")).unwrap_err(),
            parse_dose(&format!("{tiny} mcg/kg")).unwrap_err(),
            parse_weight(&format!("{tiny} lb")).unwrap_err(),
        ] {
            assert!(matches!(e, QuantityError::TooPrecise { .. }), "{e}");
        }
        let huge = "79000000000000000000000000000";
        assert!(matches!(parse_weight(&format!("{huge} kg")).unwrap_err(), QuantityError::TooLarge { .. }));
    }
}
