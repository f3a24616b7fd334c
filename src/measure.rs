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

/// `(got − want) ÷ want × 100` of two figures in one unit, exact (multiplied before the one
/// division); zero when they are equal, an error when `want` is zero. For figures that carry
/// their unit beside them (the record's readings); typed amounts use [`Deviation::between`].
pub(crate) fn percent_off(got: Decimal, want: Decimal) -> Result<Decimal, ArithError> {
    let diff = arith::sub(got, want)?;
    if diff.is_zero() {
        return Ok(Decimal::ZERO);
    }
    arith::div(arith::mul(diff, Decimal::ONE_HUNDRED)?, want)
}

impl Deviation {
    /// `(got − want) ÷ want × 100`, exact (multiplied before the one division); zero when
    /// they are equal, an error when `want` is zero.
    pub fn between<A: Amount>(got: A, want: A) -> Result<Deviation, ArithError> {
        percent_off(got.value(), want.value()).map(Deviation)
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

// ── the infusion's quantities (SPEC §8.3, §12.3) ──
//
// Each is its own type, so that a concentration is never added to a rate nor minutes
// taken for hours: the operations between them below are the only ways to make one from
// another, each one product over one product of the inputs (so that nothing is rounded
// twice), checked like every other.

macro_rules! figure {
    ($(#[$doc:meta])* $name:ident, $unit:literal, $from:ident, $get:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Decimal);

        impl $name {
            #[doc = concat!("A figure of `v` ", $unit, ".")]
            pub const fn $from(v: Decimal) -> $name {
                $name(v)
            }

            #[doc = concat!("The figure in ", $unit, ".")]
            pub const fn $get(self) -> Decimal {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{} {}", self.0.normalize(), $unit)
            }
        }
    };
}

figure!(
    /// A concentration, in mg/mL (a bag's, a stock's).
    Concentration, "mg/mL", from_mg_per_ml, mg_per_ml
);
impl Amount for Measured {
    fn value(self) -> Decimal {
        Measured::value(self)
    }
}

impl Amount for Concentration {
    fn value(self) -> Decimal {
        self.0
    }
}

figure!(
    /// A pump rate, in mL/h.
    Rate, "mL/h", from_ml_per_h, ml_per_h
);
figure!(
    /// A length of time, in minutes (an infusion's).
    Duration, "min", from_minutes, minutes
);
figure!(
    /// An administration set's drop factor, in gtt/mL.
    DropFactor, "gtt/mL", from_gtt_per_ml, gtt_per_ml
);
figure!(
    /// A drip rate, in gtt/min.
    DripRate, "gtt/min", from_gtt_per_min, gtt_per_min
);
figure!(
    /// A patient's body weight, in kg.
    BodyWeight, "kg", from_kg, kg
);
figure!(
    /// A dose per body weight, in mg/kg.
    PerKg, "mg/kg", from_mg_per_kg, mg_per_kg
);
figure!(
    /// A dose delivered per hour, in mg/h.
    PerHour, "mg/h", from_mg_per_h, mg_per_h
);
figure!(
    /// A dose delivered per kg of body weight per hour, in mg/kg/h.
    PerKgPerHour, "mg/kg/h", from_mg_per_kg_per_h, mg_per_kg_per_h
);
figure!(
    /// A fluid volume per body weight, in mL/kg.
    FluidPerKg, "mL/kg", from_ml_per_kg, ml_per_kg
);

/// Minutes in an hour.
const SIXTY: Decimal = rust_decimal_macros::dec!(60);

/// `Π num ÷ Π den`: the products first, then one division.
fn ratio(num: &[Decimal], den: &[Decimal]) -> Result<Decimal, ArithError> {
    arith::div(arith::product(num)?, arith::product(den)?)
}

impl Mass {
    /// `self ÷ volume`: the concentration of this mass in that volume.
    ///
    /// A concentration is not a mass (nor a mass per gram): mixing them does not compile.
    ///
    /// ```compile_fail
    /// use ketacalc::measure::{Concentration, Mass};
    /// let c: Concentration = Mass::ZERO;
    /// ```
    ///
    /// ```compile_fail
    /// use ketacalc::measure::{Duration, Rate};
    /// // minutes are not hours: a duration is no rate
    /// let r: Rate = Duration::from_minutes(rust_decimal::Decimal::ONE);
    /// ```
    pub fn per_volume(self, volume: Volume) -> Result<Concentration, ArithError> {
        arith::div(self.0, volume.0).map(Concentration)
    }

    /// `self ÷ concentration`: the volume that holds this mass.
    pub fn at(self, concentration: Concentration) -> Result<Volume, ArithError> {
        arith::div(self.0, concentration.0).map(Volume)
    }

    /// `self × volume ÷ of`: this mass's share of `volume`, which holds `of` (the volume
    /// holding a dose, never through a rounded concentration).
    pub fn share_of(self, volume: Volume, of: Mass) -> Result<Volume, ArithError> {
        ratio(&[self.0, volume.0], &[of.0]).map(Volume)
    }

    /// `self × tenths ÷ 10`.
    pub fn tenths(self, tenths: i64) -> Result<Mass, ArithError> {
        ratio(&[self.0, Decimal::from(tenths)], &[Decimal::TEN]).map(Mass)
    }
}

impl Concentration {
    /// `self × volume`: the mass that volume holds.
    pub fn times(self, volume: Volume) -> Result<Mass, ArithError> {
        arith::mul(self.0, volume.0).map(Mass)
    }
}

impl Rate {
    /// `volume × 60 ÷ minutes`: the rate that runs `volume` over `duration`.
    ///
    /// A rate is a volume over a duration; over anything else it does not compile:
    ///
    /// ```compile_fail
    /// use ketacalc::measure::{Rate, Volume};
    /// let _ = Rate::of(Volume::ZERO, Volume::ZERO);
    /// ```
    ///
    /// ```
    /// use ketacalc::measure::{Duration, Rate, Volume};
    /// use rust_decimal::Decimal;
    /// let r = Rate::of(Volume::from_ml(Decimal::TEN), Duration::from_minutes(Decimal::TEN)).unwrap();
    /// assert_eq!(r.to_string(), "60 mL/h");
    /// ```
    pub fn of(volume: Volume, duration: Duration) -> Result<Rate, ArithError> {
        ratio(&[volume.0, SIXTY], &[duration.0]).map(Rate)
    }
}

impl DripRate {
    /// `volume × drop factor ÷ minutes`: the drops a minute that run `volume` over
    /// `duration` through a set of `drop_factor`.
    pub fn of(volume: Volume, drop_factor: DropFactor, duration: Duration) -> Result<DripRate, ArithError> {
        ratio(&[volume.0, drop_factor.0], &[duration.0]).map(DripRate)
    }
}

impl Duration {
    /// The duration in whole seconds, rounded down.
    pub fn seconds(self) -> Result<Decimal, ArithError> {
        arith::mul(self.0, SIXTY).map(|s| s.floor())
    }
}

impl BodyWeight {
    /// `rule × self`: the dose a rule per kg gives this patient.
    pub fn dose(self, rule: PerKg) -> Result<Mass, ArithError> {
        arith::mul(rule.0, self.0).map(Mass)
    }
}

impl PerHour {
    /// `mass × 60 ÷ minutes`: `mass` delivered over `duration`.
    pub fn of(mass: Mass, duration: Duration) -> Result<PerHour, ArithError> {
        ratio(&[mass.0, SIXTY], &[duration.0]).map(PerHour)
    }
}

impl PerKgPerHour {
    /// `mass × 60 ÷ (minutes × kg)`: `mass` delivered over `duration` to `weight`.
    pub fn of(mass: Mass, duration: Duration, weight: BodyWeight) -> Result<PerKgPerHour, ArithError> {
        ratio(&[mass.0, SIXTY], &[duration.0, weight.0]).map(PerKgPerHour)
    }
}

impl PerKg {
    /// `mass ÷ weight`.
    pub fn of(mass: Mass, weight: BodyWeight) -> Result<PerKg, ArithError> {
        arith::div(mass.0, weight.0).map(PerKg)
    }
}

impl FluidPerKg {
    /// `volume ÷ weight`.
    pub fn of(volume: Volume, weight: BodyWeight) -> Result<FluidPerKg, ArithError> {
        arith::div(volume.0, weight.0).map(FluidPerKg)
    }
}

#[cfg(test)]
mod infusion_tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn the_infusion_figures_follow_from_each_other_by_their_dimensions() {
        let (bag, dose) = (Volume::from_ml(dec!(250)), Mass::from_mg(dec!(35)));
        let c = dose.per_volume(bag).unwrap();
        assert_eq!(c, Concentration::from_mg_per_ml(dec!(0.14)));
        assert_eq!(c.times(bag).unwrap(), dose);
        assert_eq!(dose.at(c).unwrap(), bag);
        let forty = Duration::from_minutes(dec!(40));
        assert_eq!(Rate::of(bag, forty).unwrap(), Rate::from_ml_per_h(dec!(375)));
        assert_eq!(
            DripRate::of(bag, DropFactor::from_gtt_per_ml(dec!(20)), forty).unwrap().gtt_per_min(),
            dec!(125)
        );
        let w = BodyWeight::from_kg(dec!(70));
        assert_eq!(w.dose(PerKg::from_mg_per_kg(dec!(0.5))).unwrap(), dose);
        assert_eq!(PerKg::of(dose, w).unwrap().mg_per_kg(), dec!(0.5));
        assert_eq!(PerHour::of(dose, forty).unwrap().mg_per_h(), dec!(52.5));
        assert_eq!(PerKgPerHour::of(dose, forty, w).unwrap().mg_per_kg_per_h(), dec!(0.75));
        assert_eq!(FluidPerKg::of(Volume::from_ml(dec!(700)), w).unwrap().ml_per_kg(), dec!(10));
        assert_eq!(dose.share_of(bag, Mass::from_mg(dec!(70))).unwrap(), Volume::from_ml(dec!(125)));
        assert_eq!(Duration::from_minutes(dec!(1.51)).seconds().unwrap(), dec!(90));
        assert_eq!(Rate::from_ml_per_h(dec!(37.50)).to_string(), "37.5 mL/h");
        assert!(Rate::of(bag, Duration::from_minutes(Decimal::ZERO)).is_err());
        assert!(Mass::from_mg(Decimal::MAX).tenths(11).is_err());
    }
}
