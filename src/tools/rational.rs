//! Exact fractions of decimals, for calculations that divide more than once.
//!
//! `1:750 w/v` is 1000 mg ÷ 750 mL = 1.3333… mg/mL, which no decimal holds exactly; an
//! alligation or a dilution that goes on from it would carry the rounding into the
//! answer (15 mL × 0.1 ÷ 1.3333… is not exactly 1.125 mL). Keeping numerator and
//! denominator apart and dividing once, at the end, gives the exact answer whenever one
//! exists (SPEC §1: multiply before you divide).

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::arith::{self, ArithError, ArithResult};

/// `num ÷ den`, with `den` above zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rational {
    num: Decimal,
    den: Decimal,
}

impl Rational {
    /// Zero.
    pub const ZERO: Rational = Rational { num: Decimal::ZERO, den: Decimal::ONE };

    /// The value `v`.
    pub fn of(v: Decimal) -> Self {
        Rational { num: v, den: Decimal::ONE }
    }

    /// `num ÷ den`; an error when `den` is zero.
    pub fn new(num: Decimal, den: Decimal) -> Result<Self, ArithError> {
        if den.is_zero() {
            return Err(ArithError::DivisionByZero { lhs: num });
        }
        Ok(Rational { num, den }.signed())
    }

    /// `n ÷ d` from a unit's `to_base_factor`.
    pub fn factor((n, d): (Decimal, Decimal)) -> Result<Self, ArithError> {
        Rational::new(n, d)
    }

    /// Keeps the denominator positive and both parts free of trailing zeros.
    fn signed(self) -> Self {
        let (num, den) =
            if self.den.is_sign_negative() { (neg(self.num), neg(self.den)) } else { (self.num, self.den) };
        Rational { num: num.normalize(), den: den.normalize() }
    }

    /// `self × o`.
    pub fn times(self, o: Rational) -> Result<Self, ArithError> {
        Ok(Rational { num: arith::mul(self.num, o.num)?, den: arith::mul(self.den, o.den)? }.signed())
    }

    /// `self × v`.
    pub fn times_dec(self, v: Decimal) -> Result<Self, ArithError> {
        self.times(Rational::of(v))
    }

    /// `self ÷ o`; an error when `o` is zero.
    pub fn over(self, o: Rational) -> Result<Self, ArithError> {
        if o.num.is_zero() {
            return Err(ArithError::DivisionByZero { lhs: self.num });
        }
        Ok(Rational { num: arith::mul(self.num, o.den)?, den: arith::mul(self.den, o.num)? }.signed())
    }

    /// `self ÷ v`; an error when `v` is zero.
    pub fn over_dec(self, v: Decimal) -> Result<Self, ArithError> {
        self.over(Rational::of(v))
    }

    /// `self + o`.
    pub fn plus(self, o: Rational) -> Result<Self, ArithError> {
        if self.den == o.den {
            return Ok(Rational { num: arith::add(self.num, o.num)?, den: self.den }.signed());
        }
        let num = arith::add(arith::mul(self.num, o.den)?, arith::mul(o.num, self.den)?)?;
        Ok(Rational { num, den: arith::mul(self.den, o.den)? }.signed())
    }

    /// `self − o`.
    pub fn minus(self, o: Rational) -> Result<Self, ArithError> {
        self.plus(Rational { num: neg(o.num), den: o.den })
    }

    /// Compares exactly, by cross-multiplying.
    pub fn compare(self, o: Rational) -> Result<Ordering, ArithError> {
        Ok(arith::mul(self.num, o.den)?.cmp(&arith::mul(o.num, self.den)?))
    }

    /// Returns true if and only if the value is zero.
    pub fn is_zero(self) -> bool {
        self.num.is_zero()
    }

    /// The decimal value: one division, exact when the quotient fits in a decimal,
    /// else correct to the 28th significant digit.
    pub fn value(self) -> ArithResult {
        arith::div(self.num, self.den)
    }
}

/// `−v`: flipping the sign cannot overflow a decimal.
fn neg(v: Decimal) -> Decimal {
    let mut out = v;
    out.set_sign_negative(!v.is_sign_negative());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn a_ratio_strength_stays_exact_through_an_alligation() {
        // DOMAIN §12 problem 12: 15 mL × 0.1 mg/mL ÷ (1000 mg ÷ 750 mL) = 1.125 mL.
        let stock = Rational::new(d("1000"), d("750")).unwrap();
        let v = Rational::of(d("15")).times_dec(d("0.1")).unwrap().over(stock).unwrap();
        assert_eq!(v.value().unwrap(), d("1.125"));
    }

    #[test]
    fn sums_differences_and_comparisons() {
        let third = Rational::new(d("1"), d("3")).unwrap();
        let sixth = Rational::new(d("1"), d("6")).unwrap();
        assert_eq!(third.plus(sixth).unwrap().value().unwrap(), d("0.5"));
        assert!(third.minus(third).unwrap().is_zero());
        assert_eq!(third.compare(sixth).unwrap(), Ordering::Greater);
        assert_eq!(sixth.times_dec(d("2")).unwrap().compare(third).unwrap(), Ordering::Equal);
    }

    #[test]
    fn division_by_zero_is_an_error() {
        assert!(Rational::new(d("1"), Decimal::ZERO).is_err());
        assert!(Rational::of(d("1")).over(Rational::ZERO).is_err());
    }

    #[test]
    fn the_denominator_stays_positive() {
        let r = Rational::of(d("1")).over_dec(d("-4")).unwrap();
        assert_eq!(r.value().unwrap(), d("-0.25"));
        assert_eq!(r.compare(Rational::ZERO).unwrap(), Ordering::Less);
    }
}
