//! Computed amounts that carry their dimension in their type: a [`Mass`] is milligrams, a
//! [`Volume`] millilitres, a [`Count`] units, and a [`BatchSize`] is one of the three, so
//! that a report never needs the formula to know what a number means.
//!
//! The calculation works on exact decimals through [`crate::arith`]; these types wrap the
//! results at the boundary, and their methods are checked like everything else.

use std::fmt;

use rust_decimal::Decimal;

use crate::arith::{self, ArithError};
use crate::unit::Dimension;

macro_rules! amount {
    ($(#[$doc:meta])* $name:ident, $unit:literal, $from:ident, $get:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Decimal);

        impl $name {
            /// Nothing.
            pub const ZERO: $name = $name(Decimal::ZERO);

            #[doc = concat!("An amount of `v` ", $unit, ".")]
            pub const fn $from(v: Decimal) -> $name {
                $name(v)
            }

            #[doc = concat!("The amount in ", $unit, ".")]
            pub const fn $get(self) -> Decimal {
                self.0
            }

            /// `self + other`, checked.
            pub fn plus(self, other: $name) -> Result<$name, ArithError> {
                arith::add(self.0, other.0).map($name)
            }

            /// `self − other`, checked.
            pub fn minus(self, other: $name) -> Result<$name, ArithError> {
                arith::sub(self.0, other.0).map($name)
            }

            /// Returns true if and only if the amount is zero.
            pub fn is_zero(self) -> bool {
                self.0.is_zero()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{} {}", self.0.normalize(), $unit)
            }
        }
    };
}

amount!(
    /// A mass, in milligrams.
    Mass, "mg", from_mg, mg
);
amount!(
    /// A volume, in millilitres.
    Volume, "mL", from_ml, ml
);
amount!(
    /// A number of units (troches, tablets, cavities).
    Count, "units", from_units, units
);
amount!(
    /// How far an amount is from the one required, in percent: `(got − want) ÷ want × 100`,
    /// signed. Only [`Deviation::between`] makes one from two amounts, and only from two of
    /// the same kind:
    ///
    /// ```
    /// use ketacalc::measure::{Deviation, Mass};
    /// use rust_decimal::Decimal;
    /// let d = Deviation::between(Mass::from_mg(Decimal::from(102)), Mass::from_mg(Decimal::ONE_HUNDRED));
    /// assert_eq!(d.unwrap().percent(), Decimal::TWO);
    /// ```
    ///
    /// ```compile_fail
    /// use ketacalc::measure::{Deviation, Mass, Volume};
    /// use rust_decimal::Decimal;
    /// // A mass beside a volume is not a deviation.
    /// let _ = Deviation::between(Mass::from_mg(Decimal::ONE), Volume::from_ml(Decimal::ONE));
    /// ```
    Deviation, "%", from_percent, percent
);
amount!(
    /// A number of doses (sprays, drops, clicks) a container or a batch delivers.
    DoseCount, "doses", from_doses, doses
);

/// An amount with one unit, whose value can be read in it: what a [`Deviation`] is taken
/// between (two of the same type, so of the same unit).
pub trait Amount: Copy {
    /// The value in the amount's unit.
    fn value(self) -> Decimal;
}

impl Amount for Mass {
    fn value(self) -> Decimal {
        self.0
    }
}

impl Amount for Volume {
    fn value(self) -> Decimal {
        self.0
    }
}

impl Deviation {
    /// `(got − want) ÷ want × 100`, exact (multiplied before the one division); zero when
    /// they are equal, an error when `want` is zero.
    pub fn between<A: Amount>(got: A, want: A) -> Result<Deviation, ArithError> {
        let diff = arith::sub(got.value(), want.value())?;
        if diff.is_zero() {
            return Ok(Deviation::ZERO);
        }
        arith::div(arith::mul(diff, Decimal::ONE_HUNDRED)?, want.value()).map(Deviation)
    }

    /// The size of the deviation, without its sign.
    pub fn abs(self) -> Deviation {
        Deviation(self.0.abs())
    }
}

/// A batch quantity: a volume (liquids), a mass (semisolids) or a count (molded forms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BatchSize {
    /// mL.
    Volume(Volume),
    /// mg.
    Mass(Mass),
    /// Units.
    Count(Count),
}

impl BatchSize {
    /// The same kind of batch size with another value (in its base unit).
    pub fn with(self, v: Decimal) -> BatchSize {
        match self {
            BatchSize::Volume(_) => BatchSize::Volume(Volume(v)),
            BatchSize::Mass(_) => BatchSize::Mass(Mass(v)),
            BatchSize::Count(_) => BatchSize::Count(Count(v)),
        }
    }

    /// The value in its base unit (mL, mg or units).
    pub fn value(self) -> Decimal {
        match self {
            BatchSize::Volume(v) => v.ml(),
            BatchSize::Mass(m) => m.mg(),
            BatchSize::Count(c) => c.units(),
        }
    }

    /// What it measures.
    pub fn dimension(self) -> Dimension {
        match self {
            BatchSize::Volume(_) => Dimension::Volume,
            BatchSize::Mass(_) => Dimension::Mass,
            BatchSize::Count(_) => Dimension::Count,
        }
    }
}

/// A required amount: a mass or, for an ingredient measured as a volume, a volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measured {
    /// A mass.
    Mass(Mass),
    /// A volume.
    Volume(Volume),
}

impl Measured {
    /// The value in its base unit (mg or mL).
    pub fn value(self) -> Decimal {
        match self {
            Measured::Mass(m) => m.mg(),
            Measured::Volume(v) => v.ml(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_their_unit_and_check_their_arithmetic() {
        let a = Mass::from_mg(Decimal::new(1050, 0));
        assert_eq!(a.to_string(), "1050 mg");
        assert_eq!(a.minus(Mass::from_mg(Decimal::new(50, 0))).unwrap().mg(), Decimal::ONE_THOUSAND);
        assert!(Mass::from_mg(Decimal::MAX).plus(a).is_err());
        let s = BatchSize::Volume(Volume::from_ml(Decimal::TEN));
        assert_eq!((s.value(), s.dimension()), (Decimal::TEN, Dimension::Volume));
        assert_eq!(s.with(Decimal::ONE), BatchSize::Volume(Volume::from_ml(Decimal::ONE)));
        assert_eq!(Measured::Volume(Volume::from_ml(Decimal::TWO)).value(), Decimal::TWO);
    }

    #[test]
    fn a_deviation_is_taken_between_two_amounts_of_one_kind() {
        let d = |s: &str| Decimal::from_str_exact(s).unwrap();
        // 1.1 mL read for 1.05 mL: +4.7619…%, exact to the decimal's precision.
        let v = Deviation::between(Volume::from_ml(d("1.1")), Volume::from_ml(d("1.05"))).unwrap();
        assert_eq!(v.percent().round_dp(6), d("4.761905"));
        let m = Deviation::between(Mass::from_mg(d("99")), Mass::from_mg(d("100"))).unwrap();
        assert_eq!((m.percent(), m.abs().percent()), (d("-1"), d("1")));
        assert!(m.abs() > Deviation::from_percent(Decimal::ZERO));
        // Equal amounts are no deviation (even at another scale); nothing required is an error.
        assert_eq!(
            Deviation::between(Mass::from_mg(d("2.50")), Mass::from_mg(d("2.5"))),
            Ok(Deviation::ZERO)
        );
        assert!(Deviation::between(Mass::from_mg(Decimal::ONE), Mass::ZERO).is_err());
    }
}
