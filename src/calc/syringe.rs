//! Syringes (SPEC §12.1, DOMAIN §15): every volume a person measures (a stock drawn, an
//! ingredient with `measure = "volume"`; not the qs, not the bag) is measured with the
//! smallest syringe of [`SYRINGES`] that holds it and rounded, once, to that syringe's
//! graduation; a volume over the largest is measured in equal draws of it.
//!
//! A syringe measures accurately from 20% of its capacity, so the smallest volume that
//! can be measured at all is [`MIN_MEASURABLE`] (0.2 mL in the 1 mL syringe); what
//! happens below it is decided by the caller (a dilution step for a stock, an error or a
//! warning for other volumes, SPEC §12.2).

use rust_decimal::Decimal;

use crate::arith::{self, ArithError};
use crate::measure::Volume;
use crate::rounding::RoundingPolicy;

/// `units × 10^-scale` mL, as a constant.
const fn ml(units: u32, scale: u32) -> Volume {
    Volume::from_ml(Decimal::from_parts(units, 0, 0, false, scale))
}

/// The syringes of SPEC §12.1 as `(capacity, graduation)`, smallest first.
pub const SYRINGES: [(Volume, Volume); 7] = [
    (ml(1, 0), ml(1, 2)),
    (ml(3, 0), ml(1, 1)),
    (ml(5, 0), ml(2, 1)),
    (ml(10, 0), ml(2, 1)),
    (ml(20, 0), ml(1, 0)),
    (ml(30, 0), ml(1, 0)),
    (ml(60, 0), ml(1, 0)),
];

/// The largest syringe, drawn several times for a volume over its capacity.
const LARGEST: (Volume, Volume) = (ml(60, 0), ml(1, 0));

/// The smallest volume measured accurately: 20% of the 1 mL syringe (SPEC §12.2).
pub const MIN_MEASURABLE: Volume = ml(2, 1);

/// The syringe a volume is measured with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syringe {
    /// What it holds.
    pub capacity: Volume,
    /// The spacing of its marks.
    pub graduation: Volume,
    /// How many equal draws of it measure the volume (1 up to its capacity).
    pub draws: u64,
}

impl Syringe {
    /// The smallest syringe that holds `v`; over the largest, `ceil(v ÷ 60 mL)` equal
    /// draws of the largest. `v` must be above zero.
    pub fn for_volume(v: Volume) -> Result<Syringe, ArithError> {
        let make = |(capacity, graduation): (Volume, Volume), draws| Syringe { capacity, graduation, draws };
        if let Some(s) = SYRINGES.iter().find(|(c, _)| v <= *c) {
            return Ok(make(*s, 1));
        }
        let largest = LARGEST;
        let draws = super::frac::containers_for(v, largest.0)?;
        Ok(make(largest, draws))
    }

    /// `v` rounded half away from zero to the marks, with the graduation's decimal places
    /// (`7.8`, `0.70`, `12`): for `n` draws, `n × round(v ÷ n)`.
    pub fn round(&self, v: Volume) -> Result<Volume, ArithError> {
        let v = v.ml();
        let policy =
            RoundingPolicy::new(self.graduation.ml()).ok_or(ArithError::DivisionByZero { lhs: v })?;
        if self.draws == 1 {
            return policy.round(v).map(Volume::from_ml);
        }
        let n = Decimal::from(self.draws);
        let each = policy.round(arith::div(v, n)?)?;
        let mut total = arith::mul(each, n)?;
        total.rescale(self.graduation.ml().scale());
        Ok(Volume::from_ml(total))
    }

    /// One draw when the volume takes several, else the volume itself: what is read on
    /// the barrel each time.
    pub fn each(&self, rounded: Volume) -> Result<Volume, ArithError> {
        if self.draws == 1 {
            return Ok(rounded);
        }
        let mut each = arith::div(rounded.ml(), Decimal::from(self.draws))?;
        each.rescale(self.graduation.ml().scale());
        Ok(Volume::from_ml(each))
    }
}

/// The syringe for `v` and `v` rounded on it.
pub(crate) fn measure(v: Volume) -> Result<(Syringe, Volume), ArithError> {
    let s = Syringe::for_volume(v)?;
    Ok((s, s.round(v)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn the_smallest_syringe_that_holds_the_volume_and_its_marks() {
        let cases = [
            ("0.2", "1", "0.01", 1, "0.20"),
            ("0.7", "1", "0.01", 1, "0.70"),
            ("0.995", "1", "0.01", 1, "1.00"),
            ("1", "1", "0.01", 1, "1.00"),
            ("1.05", "3", "0.1", 1, "1.1"),
            ("1.125", "3", "0.1", 1, "1.1"),
            ("2.96", "3", "0.1", 1, "3.0"),
            ("4.95", "5", "0.2", 1, "5.0"),
            ("5.25", "10", "0.2", 1, "5.2"),
            ("5.3", "10", "0.2", 1, "5.4"),
            ("7.875", "10", "0.2", 1, "7.8"),
            ("7.9", "10", "0.2", 1, "8.0"),
            ("10", "10", "0.2", 1, "10.0"),
            ("10.01", "20", "1", 1, "10"),
            ("12.5", "20", "1", 1, "13"),
            ("29.5", "30", "1", 1, "30"),
            ("59.5", "60", "1", 1, "60"),
            ("60", "60", "1", 1, "60"),
            // 2 draws of 50; 2 of 59.5 → 60 each; 3 of 40.1667 → 40 each; 3 of 41.5 → 42.
            ("100", "60", "1", 2, "100"),
            ("119", "60", "1", 2, "120"),
            ("120.5", "60", "1", 3, "120"),
            ("124.5", "60", "1", 3, "126"),
        ];
        for (v, cap, grad, draws, rounded) in cases {
            let (s, r) = measure(Volume::from_ml(d(v))).unwrap();
            assert_eq!(
                (s.capacity.ml().to_string(), s.graduation.ml().to_string(), s.draws, r.ml().to_string()),
                (cap.to_string(), grad.to_string(), draws, rounded.to_string()),
                "{v}"
            );
            // A rounded volume never exceeds what the draws hold.
            assert!(r.ml() <= s.capacity.ml() * Decimal::from(s.draws), "{v}");
        }
    }

    #[test]
    fn the_worst_rounding_is_under_five_percent() {
        // 1.05 mL on the 3 mL syringe reads 1.1 mL: +4.76%, the largest deviation.
        let (_, r) = measure(Volume::from_ml(d("1.05"))).unwrap();
        let dev = (r.ml() - d("1.05")) / d("1.05") * Decimal::ONE_HUNDRED;
        assert!(dev < Decimal::from(5) && dev > d("4.76"), "{dev}");
    }

    #[test]
    fn the_largest_is_the_last_of_the_table() {
        assert_eq!(SYRINGES.last().copied(), Some(LARGEST));
        assert!(SYRINGES.windows(2).all(|w| w[0].0 < w[1].0), "smallest first");
        // Every capacity is a whole number of its marks, so nothing rounds past it.
        for (c, g) in SYRINGES {
            assert_eq!((c.ml() / g.ml()).fract(), Decimal::ZERO, "{c} {g}");
        }
    }

    #[test]
    fn each_draw_of_several() {
        let (s, r) = measure(Volume::from_ml(d("124.5"))).unwrap();
        assert_eq!(s.each(r).unwrap().ml().to_string(), "42");
        let (s, r) = measure(Volume::from_ml(d("7.875"))).unwrap();
        assert_eq!(s.each(r).unwrap().ml().to_string(), "7.8");
    }
}
