//! A product of factors over a product of factors, evaluated with one division.
//!
//! SPEC §3.3 asks for the amount to weigh as "one product over one product": carrying
//! every factor (unit conversion, batch scaling, salt ratio, purity, assay, loss on
//! drying) to the end and dividing once keeps the result as exact as a decimal allows.

use rust_decimal::Decimal;

use crate::arith::{self, ArithResult};
use crate::measure::Volume;

/// `Π num ÷ Π den`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Frac {
    num: Vec<Decimal>,
    den: Vec<Decimal>,
}

impl Frac {
    /// The value `v` (as `v ÷ 1`).
    pub(crate) fn of(v: Decimal) -> Self {
        Frac { num: vec![v], den: Vec::new() }
    }

    /// Multiplies by `v`.
    pub(crate) fn times(mut self, v: Decimal) -> Self {
        self.num.push(v);
        self
    }

    /// Divides by `v`.
    pub(crate) fn over(mut self, v: Decimal) -> Self {
        self.den.push(v);
        self
    }

    /// Multiplies by `n ÷ d`.
    pub(crate) fn times_ratio(self, (n, d): (Decimal, Decimal)) -> Self {
        self.times(n).over(d)
    }

    /// `self × other`: the factors of both.
    pub(crate) fn times_frac(mut self, other: &Frac) -> Self {
        self.num.extend_from_slice(&other.num);
        self.den.extend_from_slice(&other.den);
        self
    }

    /// `self ÷ other`: the factors of `other` the other way.
    pub(crate) fn over_frac(mut self, other: &Frac) -> Self {
        self.num.extend_from_slice(&other.den);
        self.den.extend_from_slice(&other.num);
        self
    }

    /// Evaluates: the products first, then one division.
    pub(crate) fn value(&self) -> ArithResult {
        arith::div(arith::product(&self.num)?, arith::product(&self.den)?)
    }
}

/// The containers of `size` needed to hold `volume`: `ceil(volume ÷ size)` (vials to open).
/// A count too large to hold is an error, never a saturated (wrong) number.
pub(crate) fn containers_for(volume: Volume, size: Volume) -> Result<u64, crate::arith::ArithError> {
    let (volume, size) = (volume.ml(), size.ml());
    let n = arith::div(volume, size)?.ceil();
    u64::try_from(n).map_err(|_| crate::arith::ArithError::Overflow { lhs: volume, op: '÷', rhs: size })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn one_division_at_the_end() {
        // 1000 mg base × 274.19/237.73 ÷ 99.5% (DOMAIN.md §6.2 example 3).
        let f = Frac::of(d("1000")).times_ratio((d("274.19"), d("237.73"))).times(d("100")).over(d("99.5"));
        let v = f.value().unwrap();
        assert!((v - d("1159.163080789045974414198617")).abs() < d("0.0000001"), "{v}");
    }
}
