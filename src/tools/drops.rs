//! `ketacalc drops --count N --volume V [--strength S [--drops K]]`: calibrating a
//! dropper (SPEC §9; DOMAIN §12 problems 32 and 33).
//!
//! Drops per mL = N ÷ V. With the solution's strength (mass per volume), the amount in
//! one drop is S × V ÷ N, and in K drops S × V × K ÷ N, each with one division.

use rust_decimal::Decimal;

use super::error::{ToolError, at};
use super::input::{self, Kind, invalid_help};
use super::rational::Rational;
use super::{Answer, Extra, Item, Outcome, Value, ValueUnit};
use crate::quantity::{QuantityError, parse_whole_count};
use crate::unit::{Dimension, Unit};

fn count(option: &'static str, text: &str) -> Result<Decimal, ToolError> {
    let n = parse_whole_count(text).map_err(|cause: QuantityError| ToolError::Parse { option, cause })?;
    input::positive(option, text, n)?;
    Ok(n)
}

/// `drops --count N --volume V [--strength S [--drops K]]`.
///
/// The result is in `gtt/mL`; with a strength, the amount per drop (`per_drop`, in
/// `mg/unit`) and, with `K`, in K drops (`dose`) are reported beside it.
///
/// # Errors
///
/// A count that is not a whole number above zero; a volume that is not a volume above
/// zero; a strength that is not a mass per volume; `K` without a strength.
pub fn drops(n: &str, volume: &str, strength: Option<&str>, k: Option<&str>) -> Result<Answer, ToolError> {
    let n_drops = count("--count", n)?;
    let v = input::quantity("--volume", volume, &[Dimension::Volume], "a volume, like `2mL`")?;
    let v_ml = input::in_base(&v)?;
    let per_ml =
        Rational::of(n_drops).over(v_ml).and_then(Rational::value).map_err(at("the drops per mL"))?;
    let per_ml = Value::new(per_ml, ValueUnit::Unit(Unit::GTT_PER_ML));
    let mut calculation = vec![format!("{} drops ÷ {v} = {}", n_drops.normalize(), per_ml.read())];
    let mut extra = Vec::new();
    if let Some(text) = strength {
        let s = input::strength("--strength", text)?;
        if s.kind != Kind::WeightInVolume || s.base.is_zero() {
            return Err(invalid_help(
                "--strength",
                text,
                "expected the solution's strength as a mass per volume above zero",
                "e.g. `--strength 100mg/mL` or `--strength 10%w/v`",
            ));
        }
        // mg/mL × mL ÷ drops.
        let per_drop =
            s.base.times(v_ml).and_then(|x| x.over_dec(n_drops)).map_err(at("the amount per drop"))?;
        let per_drop_v = per_drop.value().map_err(at("the amount per drop"))?;
        let per_drop_value = Value::new(per_drop_v, ValueUnit::Unit(Unit::MG_PER_UNIT));
        calculation.push(format!(
            "{s} × {v} ÷ {} drops = {} per drop",
            n_drops.normalize(),
            Value::mass(per_drop_v)?.read()
        ));
        extra.push(("per_drop", Extra::Quantity(per_drop_value)));
        if let Some(k_text) = k {
            let k = count("--drops", k_text)?;
            let dose =
                per_drop.times_dec(k).and_then(Rational::value).map_err(at("the amount in the drops"))?;
            let dose = Value::mass(dose)?;
            calculation.push(format!(
                "{} drops × {s} × {v} ÷ {} drops = {}",
                k.normalize(),
                n_drops.normalize(),
                dose.read()
            ));
            extra.push(("dose", Extra::Quantity(dose)));
        }
    } else if let Some(k_text) = k {
        return Err(invalid_help(
            "--drops",
            k_text,
            "the amount in a number of drops needs the solution's strength",
            "add `--strength`, e.g. `--strength 100mg/mL`",
        ));
    }
    Ok(Answer { result: Outcome::One(Item::new(per_ml, "")), calculation, extra })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn drops_per_ml() {
        // DOMAIN §12 problem 32.
        let a = drops("35", "2mL", None, None).unwrap();
        assert_eq!(a.get("result").unwrap().to_string(), "17.5 gtt/mL");
        assert_eq!(a.calculation, ["35 drops ÷ 2 mL = 17.5 gtt/mL"]);
        assert!(a.extra.is_empty());
        assert_eq!(drops("35 drops", "2 mL", None, None).unwrap().get("result").unwrap().value, d("17.5"));
    }

    #[test]
    fn amount_per_drop_and_in_drops() {
        // Problem 33: 100 mg/mL at 22 drops/mL.
        let a = drops("22", "1mL", Some("100mg/mL"), Some("10")).unwrap();
        let Extra::Quantity(per_drop) = &a.extra[0].1 else { panic!("{:?}", a.extra) };
        assert_eq!(per_drop.value, d("4.5454545454545454545454545455"));
        assert_eq!(per_drop.unit.to_string(), "mg/unit");
        let Extra::Quantity(dose) = &a.extra[1].1 else { panic!("{:?}", a.extra) };
        assert_eq!(dose.value, d("45.454545454545454545454545455"));
    }

    #[test]
    fn refusals() {
        assert!(drops("0", "2mL", None, None).is_err());
        assert!(drops("35.5", "2mL", None, None).is_err());
        assert!(drops("35", "0mL", None, None).is_err());
        assert!(drops("35", "2g", None, None).is_err());
        assert!(drops("35", "2mL", Some("10%w/w"), None).is_err());
        assert!(drops("35", "2mL", None, Some("10")).is_err());
        assert!(drops("35", "2mL", Some("100mg/mL"), Some("0")).is_err());
    }
}
