//! Checked decimal arithmetic.
//!
//! Every calculation on a user-derived number goes through these helpers, so that
//! overflow, division by zero and a non-zero result that underflows to zero become a
//! typed [`ArithError`] naming the step, never a panic (`Decimal`'s operators panic)
//! and never a silently wrong number.

use rust_decimal::Decimal;
use thiserror::Error;

/// What went wrong in one arithmetic step.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ArithError {
    /// The result does not fit in a decimal (magnitude of 7.9 × 10^28 or more).
    #[error("the result of `{lhs} {op} {rhs}` is too large to hold exactly")]
    Overflow {
        /// Left operand.
        lhs: Decimal,
        /// Operator symbol.
        op: char,
        /// Right operand.
        rhs: Decimal,
    },
    /// A division by zero.
    #[error("division of `{lhs}` by zero")]
    DivisionByZero {
        /// The dividend.
        lhs: Decimal,
    },
    /// A product or quotient of non-zero numbers came out as zero, or so small that the
    /// 28 decimal places of a decimal keep too few of its digits (see [`MIN_DIGITS`]).
    #[error(
        "the result of `{lhs} {op} {rhs}` is too small to hold exactly: a decimal keeps at most 28 decimal places"
    )]
    Underflow {
        /// Left operand.
        lhs: Decimal,
        /// Operator symbol.
        op: char,
        /// Right operand.
        rhs: Decimal,
    },
}

/// Result of an arithmetic step.
pub type ArithResult = Result<Decimal, ArithError>;

/// A product or quotient rounded at the 28th decimal place with fewer significant digits
/// than this may be off by up to half its last digit: `1.05e-27` held as `1.1e-27` is 5%
/// off. Such a result (always below 10^-16) is refused like an underflow to zero.
pub const MIN_DIGITS: u128 = 1_000_000_000_000;

/// Returns true if and only if `out` is at the last decimal place with few digits and
/// `exact` says it may have been rounded there.
fn lost_digits(out: Decimal, exact: impl FnOnce() -> bool) -> bool {
    out.scale() >= 28 && out.mantissa().unsigned_abs() < MIN_DIGITS && !out.is_zero() && !exact()
}

fn nonzero_result(lhs: Decimal, op: char, rhs: Decimal, out: Decimal, lost: bool) -> ArithResult {
    if (out.is_zero() || lost) && !lhs.is_zero() && !rhs.is_zero() {
        Err(ArithError::Underflow { lhs, op, rhs })
    } else {
        Ok(out)
    }
}

/// `a + b`, or an error on overflow.
pub fn add(a: Decimal, b: Decimal) -> ArithResult {
    a.checked_add(b).ok_or(ArithError::Overflow { lhs: a, op: '+', rhs: b })
}

/// `a − b`, or an error on overflow.
pub fn sub(a: Decimal, b: Decimal) -> ArithResult {
    a.checked_sub(b).ok_or(ArithError::Overflow { lhs: a, op: '−', rhs: b })
}

/// `a × b`, or an error on overflow or when non-zero operands give zero.
pub fn mul(a: Decimal, b: Decimal) -> ArithResult {
    let out = a.checked_mul(b).ok_or(ArithError::Overflow { lhs: a, op: '×', rhs: b })?;
    // A product needing at most 28 decimal places was not rounded.
    let lost = lost_digits(out, || a.normalize().scale().saturating_add(b.normalize().scale()) <= 28);
    nonzero_result(a, '×', b, out, lost)
}

/// `a ÷ b`, or an error on division by zero, overflow, or underflow to zero.
pub fn div(a: Decimal, b: Decimal) -> ArithResult {
    if b.is_zero() {
        return Err(ArithError::DivisionByZero { lhs: a });
    }
    let out = a.checked_div(b).ok_or(ArithError::Overflow { lhs: a, op: '÷', rhs: b })?;
    let lost = lost_digits(out, || out.checked_mul(b) == Some(a));
    nonzero_result(a, '÷', b, out, lost)
}

/// The product of all factors (1 for none).
pub fn product(factors: &[Decimal]) -> ArithResult {
    factors.iter().try_fold(Decimal::ONE, |acc, f| mul(acc, *f))
}

/// The sum of all terms (0 for none).
pub fn sum(terms: impl IntoIterator<Item = Decimal>) -> ArithResult {
    terms.into_iter().try_fold(Decimal::ZERO, add)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn ordinary_operations_are_exact() {
        assert_eq!(add(d("0.1"), d("0.2")).unwrap(), d("0.3"));
        assert_eq!(sub(d("10"), d("10.5")).unwrap(), d("-0.5"));
        assert_eq!(mul(d("100"), d("10.5")).unwrap(), d("1050"));
        assert_eq!(div(d("1.600"), d("32")).unwrap(), d("0.05"));
        assert_eq!(product(&[d("2"), d("3"), d("0.5")]).unwrap(), d("3"));
        assert_eq!(sum([d("1"), d("2.5")]).unwrap(), d("3.5"));
        assert_eq!(product(&[]).unwrap(), Decimal::ONE);
    }

    #[test]
    fn overflow_is_an_error() {
        let big = Decimal::MAX;
        assert!(matches!(add(big, d("1")), Err(ArithError::Overflow { op: '+', .. })));
        assert!(matches!(sub(Decimal::MIN, d("1")), Err(ArithError::Overflow { .. })));
        assert!(matches!(mul(big, d("2")), Err(ArithError::Overflow { op: '×', .. })));
        assert!(matches!(div(big, d("0.1")), Err(ArithError::Overflow { op: '÷', .. })));
    }

    #[test]
    fn division_by_zero_is_an_error() {
        assert_eq!(div(d("5"), Decimal::ZERO), Err(ArithError::DivisionByZero { lhs: d("5") }));
    }

    #[test]
    fn underflow_to_zero_is_an_error() {
        let tiny = d("0.0000000000000000000000000001");
        assert!(matches!(mul(tiny, tiny), Err(ArithError::Underflow { .. })));
        assert!(matches!(div(tiny, d("1000")), Err(ArithError::Underflow { .. })));
        // A true zero is not an underflow.
        assert_eq!(mul(Decimal::ZERO, tiny).unwrap(), Decimal::ZERO);
    }

    #[test]
    fn results_that_keep_too_few_digits_are_refused() {
        // 1e-28 × 10.5 is 1.05e-27, which a decimal can only hold as 1.0e-27 or 1.1e-27.
        let tiny = d("0.0000000000000000000000000001");
        assert!(matches!(mul(tiny, d("10.5")), Err(ArithError::Underflow { op: '×', .. })));
        assert!(matches!(
            div(d("0.0000000000000000000000000005"), d("3")),
            Err(ArithError::Underflow { .. })
        ));
        // Exact results are kept, however small.
        assert_eq!(mul(tiny, d("1")).unwrap(), tiny);
        assert_eq!(mul(tiny, d("10.0")).unwrap(), d("0.000000000000000000000000001"));
        assert_eq!(div(d("0.000000000000000000000000001"), d("10")).unwrap(), tiny);
        // Anything at a scale a pharmacy uses keeps all its digits.
        assert_eq!(mul(d("0.000001"), d("0.000001")).unwrap(), d("0.000000000001"));
        assert_eq!(div(d("1"), d("3")).unwrap().to_string(), "0.3333333333333333333333333333");
        assert_eq!(div(d("0.0000000001"), d("3")).unwrap().to_string(), "0.0000000000333333333333333333");
    }

    #[test]
    fn messages_name_the_operands() {
        let err = div(d("5"), Decimal::ZERO).unwrap_err();
        assert_eq!(err.to_string(), "division of `5` by zero");
    }
}
