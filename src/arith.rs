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
    /// A product or quotient of non-zero numbers came out as zero.
    #[error("the result of `{lhs} {op} {rhs}` is too small to hold (it would round to zero)")]
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

fn nonzero_result(lhs: Decimal, op: char, rhs: Decimal, out: Decimal) -> ArithResult {
    if out.is_zero() && !lhs.is_zero() && !rhs.is_zero() {
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
    nonzero_result(a, '×', b, out)
}

/// `a ÷ b`, or an error on division by zero, overflow, or underflow to zero.
pub fn div(a: Decimal, b: Decimal) -> ArithResult {
    if b.is_zero() {
        return Err(ArithError::DivisionByZero { lhs: a });
    }
    let out = a.checked_div(b).ok_or(ArithError::Overflow { lhs: a, op: '÷', rhs: b })?;
    nonzero_result(a, '÷', b, out)
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
    fn messages_name_the_operands() {
        let err = div(d("5"), Decimal::ZERO).unwrap_err();
        assert_eq!(err.to_string(), "division of `5` by zero");
    }
}
