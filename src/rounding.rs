//! The one rounding rule (SPEC §3.8): half away from zero, to a step.
//!
//! Exact values are carried to the end of a calculation; a number is rounded once,
//! for display, by [`RoundingPolicy::round`]. `Decimal::round` is never used: it
//! rounds half to even (2.5 → 2), which a technician would not expect.

use rust_decimal::{Decimal, RoundingStrategy};
use rust_decimal_macros::dec;

use crate::arith::{self, ArithError};

/// Rounds half away from zero to a multiple of `step`.
///
/// With a step of `0.1` (mg): `1159.15` → `1159.2`, `1159.14` → `1159.1`,
/// `2.25` → `2.3` (not `2.2`, as banker's rounding would give).
/// With a step of `0.5`: `1.25` → `1.5`, `1.2` → `1.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundingPolicy {
    step: Decimal,
}

impl RoundingPolicy {
    /// Volumes to measure: to 0.01 mL (SPEC §3.8).
    pub const VOLUME_ML: RoundingPolicy = RoundingPolicy { step: dec!(0.01) };

    /// A policy rounding to multiples of `step` (which must be positive).
    pub fn new(step: Decimal) -> Option<Self> {
        (step > Decimal::ZERO).then_some(RoundingPolicy { step })
    }

    /// The step.
    pub const fn step(&self) -> Decimal {
        self.step
    }

    /// Rounds `value` to the nearest multiple of the step, halves away from zero. The
    /// result keeps as many decimal places as the step has, so that `1.05` at a step of
    /// `0.0001` reads `1.0500`.
    pub fn round(&self, value: Decimal) -> Result<Decimal, ArithError> {
        let steps = arith::div(value, self.step).or_else(|e| match e {
            // A value far below one step rounds to zero steps.
            ArithError::Underflow { .. } => Ok(Decimal::ZERO),
            other => Err(other),
        })?;
        let whole = steps.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        let mut out = if whole.is_zero() { Decimal::ZERO } else { arith::mul(whole, self.step)? };
        out.rescale(self.step.scale());
        Ok(out)
    }
}

/// Rounds `v` to `digits` significant figures by the one rule (half away from zero),
/// with trailing zeros dropped: `0.347567…` → `0.3476`, `5.0000` → `5`, `151.05` → `151.1`
/// (at 4). The way an infusion prints doses and concentrations (SPEC §8.3): a trailing
/// zero after the decimal point is on the Joint Commission "Do Not Use" list.
pub fn significant(v: Decimal, digits: u32) -> Result<Decimal, ArithError> {
    let n = v.normalize();
    if n.is_zero() {
        return Ok(Decimal::ZERO);
    }
    // The number of digits before the point, minus the leading zeros after it: the
    // exponent of the leading digit plus one.
    let len = i64::try_from(n.mantissa().unsigned_abs().to_string().len()).unwrap_or(0);
    let magnitude = len.saturating_sub(i64::from(n.scale()));
    let places = i64::from(digits).saturating_sub(magnitude);
    let step = if places >= 0 {
        Decimal::new(1, u32::try_from(places.min(28)).unwrap_or(28))
    } else {
        let mut s = Decimal::ONE;
        for _ in 0..places.unsigned_abs().min(28) {
            s = arith::mul(s, Decimal::TEN)?;
        }
        s
    };
    match RoundingPolicy::new(step) {
        Some(p) => p.round(n).map(|r| r.normalize()),
        None => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_figures() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let sig = |s: &str| significant(d(s), 4).unwrap().to_string();
        assert_eq!(sig("0.347567030784508440913604766"), "0.3476");
        assert_eq!(sig("0.980392156862745098039215686"), "0.9804");
        assert_eq!(sig("5.000"), "5");
        assert_eq!(sig("40.367854288478526058974466832"), "40.37");
        assert_eq!(sig("35"), "35");
        assert_eq!(sig("151.05"), "151.1");
        assert_eq!(sig("12345"), "12350");
        assert_eq!(sig("0.00012345"), "0.0001235");
        assert_eq!(sig("0"), "0");
        assert_eq!(significant(d("2.5"), 1).unwrap().to_string(), "3");
    }
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn table_of_steps_and_midpoints() {
        let cases = [
            ("0.1", "1159.163080789045974414198617", "1159.2"),
            ("0.1", "1159.15", "1159.2"),
            ("0.1", "1159.14999", "1159.1"),
            ("0.1", "2.25", "2.3"),
            ("0.1", "2.35", "2.4"),
            ("0.1", "0.04", "0.0"),
            ("0.1", "0.05", "0.1"),
            ("0.01", "115.335", "115.34"),
            ("0.0001", "1.05", "1.0500"),
            ("1", "2.5", "3"),
            ("1", "3.5", "4"),
            ("0.5", "1.25", "1.5"),
            ("0.5", "1.2", "1.0"),
            ("0.1", "-2.25", "-2.3"),
            ("0.1", "0", "0.0"),
        ];
        for (step, value, want) in cases {
            let got = RoundingPolicy::new(d(step)).unwrap().round(d(value)).unwrap();
            assert_eq!(got.to_string(), want, "{value} to {step}");
        }
    }

    #[test]
    fn tiny_values_round_to_zero_instead_of_failing() {
        let p = RoundingPolicy::new(d("0.1")).unwrap();
        assert_eq!(p.round(d("0.0000000000000000000000000001")).unwrap().to_string(), "0.0");
    }

    #[test]
    fn a_step_must_be_positive() {
        assert!(RoundingPolicy::new(Decimal::ZERO).is_none());
    }
}
