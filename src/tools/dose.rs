//! `ketacalc dose RULE --weight W [--max M]`: a weight-based dose (SPEC §9; DOMAIN §10.1:
//! 0.5 mg/kg × 70 kg = 35 mg).
//!
//! The rule is a mass per body mass (`mg/kg`, `mcg/kg`, `mg/lb`); the weight may be in
//! kg or lb (1 lb = 0.45359237 kg exactly). A weight of zero or above 500 kg is refused
//! as a typing error, and `--max` caps the dose, saying so in the calculation.

use rust_decimal::Decimal;

use super::error::{ToolError, at};
use super::input::{self, invalid_help};
use super::rational::Rational;
use super::{Answer, Item, Value};
use crate::quantity::Quantity;
use crate::unit::{Dimension, MassUnit, Unit};

pub use crate::formula::dose::MAX_WEIGHT_KG;

const RULE_EXPECTED: &str = "a dose per body weight, like `0.5 mg/kg`";

/// `dose RULE --weight W [--max M]`.
///
/// # Errors
///
/// A rule that is not a mass per kg or per lb above zero; a weight that is not a mass
/// above zero and at most 500 kg; a maximum that is not a mass above zero.
pub fn dose(rule: &str, weight: &str, max: Option<&str>) -> Result<Answer, ToolError> {
    let r = Quantity::parse_expecting(rule, RULE_EXPECTED)
        .map_err(|cause| ToolError::Parse { option: "RULE", cause })?;
    let Unit::MassPerMass(drug, per @ (MassUnit::Kg | MassUnit::Lb)) = r.unit else {
        return Err(invalid_help(
            "RULE",
            rule,
            format!("`{}` is not a dose per body weight", r.unit),
            "write the rule per kg or per lb, like `0.5mg/kg`",
        ));
    };
    input::positive("RULE", rule, r.value)?;
    let w = input::quantity("--weight", weight, &[Dimension::Mass], "a body weight, like `70kg`")?;
    // A body weight is in kg or lb (SPEC §11.2): `70mg` is a slip, never 0.00007 kg.
    if !matches!(w.unit, Unit::Mass(MassUnit::Kg | MassUnit::Lb)) {
        return Err(invalid_help(
            "--weight",
            weight,
            "a body weight is in `kg` or `lb`",
            "write the weight in kg or lb, like `70kg` or `154lb`",
        ));
    }
    let w_mg = input::in_base(&w)?;
    let max_mg = Rational::of(Decimal::from(MAX_WEIGHT_KG))
        .times_dec(MassUnit::Kg.in_mg())
        .map_err(at("the limit"))?;
    if w_mg.compare(max_mg).map_err(at("the weight"))?.is_gt() {
        return Err(invalid_help(
            "--weight",
            weight,
            format!("a body weight must be at most {MAX_WEIGHT_KG} kg"),
            "check the unit: `70kg` or `154lb`",
        ));
    }
    // rule × (drug unit in mg) × weight in mg ÷ (per unit in mg): one division.
    let dose = Rational::of(r.value)
        .times_dec(drug.in_mg())
        .and_then(|v| v.times(w_mg))
        .and_then(|v| v.over_dec(per.in_mg()))
        .map_err(at("the dose"))?;
    let dose_mg = dose.value().map_err(at("the dose"))?;
    let full = Value::mass(dose_mg)?;
    let weight_text = if w.unit == Unit::Mass(per) {
        w.to_string()
    } else {
        let in_per = w_mg.over_dec(per.in_mg()).and_then(Rational::value).map_err(at("the weight"))?;
        format!("{w} ({} {})", super::reading(in_per), per.symbol())
    };
    let mut calculation = vec![format!("{r} × {weight_text} = {}", full.read())];
    let mut result = Item::new(full, "");
    if let Some(m) = max {
        let mq = input::quantity("--max", m, &[Dimension::Mass], "a maximum dose, like `50mg`")?;
        let m_mg = input::in_base(&mq)?.value().map_err(at("the maximum"))?;
        if dose_mg > m_mg {
            let capped = Value::mass(m_mg)?;
            calculation.push(format!(
                "{} is above the maximum of {mq}: the dose is capped at {}",
                full.read(),
                capped.read()
            ));
            result = Item::new(capped, "(capped at the maximum)");
        } else {
            calculation.push(format!("{} is within the maximum of {mq}", full.read()));
        }
    }
    Ok(Answer::one(result, calculation))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn weight_based_doses() {
        let a = dose("0.5mg/kg", "70kg", None).unwrap();
        assert_eq!(a.get("result").unwrap().to_string(), "35 mg");
        assert_eq!(a.calculation, ["0.5 mg/kg × 70 kg = 35 mg"]);
        // 154 lb = 69.85322498 kg exactly.
        let a = dose("0.5mg/kg", "154lb", None).unwrap();
        assert_eq!(a.get("result").unwrap().value, d("34.92661249"));
        assert_eq!(dose("1mg/lb", "154lb", None).unwrap().get("result").unwrap().value, d("154"));
        assert_eq!(dose("500mcg/kg", "70kg", None).unwrap().get("result").unwrap().value, d("35"));
        assert_eq!(dose("20mg/kg", "70kg", None).unwrap().get("result").unwrap().to_string(), "1.4 g");
    }

    #[test]
    fn a_maximum_caps_the_dose() {
        let a = dose("0.5mg/kg", "70kg", Some("25mg")).unwrap();
        assert_eq!(a.get("result").unwrap().value, d("25"));
        assert_eq!(a.calculation[1], "35 mg is above the maximum of 25 mg: the dose is capped at 25 mg");
        let a = dose("0.5mg/kg", "70kg", Some("50mg")).unwrap();
        assert_eq!(a.get("result").unwrap().value, d("35"));
    }

    #[test]
    fn refusals() {
        assert!(dose("0.5mg/kg", "0kg", None).is_err());
        assert!(dose("0.5mg/kg", "501kg", None).is_err());
        assert!(dose("0.5mg/kg", "500kg", None).is_ok());
        // A body weight is in kg or lb: never mg, g or mcg (SPEC §11.2).
        assert!(dose("0.5mg/kg", "70kgs", None).is_ok());
        for bad in ["70mg", "70000g", "70000000mcg"] {
            let e = dose("0.5mg/kg", bad, None).unwrap_err().to_string();
            assert!(e.contains("a body weight is in `kg` or `lb`"), "{bad}: {e}");
        }
        assert!(dose("0.5mg/kg", "70mL", None).is_err());
        assert!(dose("0mg/kg", "70kg", None).is_err());
        assert!(dose("0.5mg/mL", "70kg", None).is_err());
        assert!(dose("5%w/w", "70kg", None).is_err());
        assert!(dose("0.5mg/g", "70kg", None).is_err());
        assert!(dose("0.5", "70kg", None).is_err());
        assert!(dose("0.5mg/kg", "70kg", Some("0mg")).is_err());
    }
}
