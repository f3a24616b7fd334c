//! `ketacalc mwq`: the minimum weighable quantity of a balance (SPEC §9; DOMAIN §8.1,
//! §8.2 and §12 problems 22–29).
//!
//! Two methods, never mixed:
//!
//! - **Sensitivity requirement** (prescription balances, USP <1176>): the SR is given
//!   with `--sensitivity`, or measured as a test weight over the pointer divisions it
//!   moves (`--test-weight 20mg --divisions 2` → 10 mg; Class III, formerly Class A,
//!   needs 6 mg or less). Then `--error PCT` gives MWQ = SR × 100% ÷ error, and
//!   `--quantity Q` the error of weighing Q: SR ÷ Q × 100%.
//! - **USP <41> repeatability** (electronic balances): minimum weight = 2000 × SD, where
//!   an SD below 0.41 d (d the readability) is replaced by 0.41 d; with `--readability`
//!   alone, 2000 × 0.41 d = 820 × d.
//!
//! References: USP <41> Balances (2014); USP <1176> Prescription Balances and Volumetric
//! Apparatus; DOMAIN.md §8.

use crate::number::format_mass;
use std::cmp::Ordering;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::error::{ToolError, at};
use super::input::{self, invalid, invalid_help};
use super::{Answer, Extra, Item, Outcome, Value, ValueUnit};
use crate::arith;
use crate::quantity::{Quantity, QuantityError};
use crate::unit::Dimension;

/// The largest sensitivity requirement of a Class III (formerly Class A) prescription
/// balance: 6 mg (USP <1176>; DOMAIN §8.1).
pub const CLASS_III_SR_MG: Decimal = dec!(6);

/// USP <41>: the minimum weight is 2000 × the repeatability SD (2 × SD ÷ weight ≤ 0.10%).
const SD_FACTOR: Decimal = dec!(2000);

/// USP <41>: an SD below 0.41 × the readability is replaced by 0.41 × the readability.
const SD_FLOOR_PER_D: Decimal = dec!(0.41);

/// The options of `mwq`, as written; `None` when not given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Balance<'a> {
    /// `--sensitivity SR`: the sensitivity requirement, a mass.
    pub sensitivity: Option<&'a str>,
    /// `--test-weight W`: a test weight that moves the pointer `divisions`.
    pub test_weight: Option<&'a str>,
    /// `--divisions N`: how many divisions the test weight moves the pointer.
    pub divisions: Option<&'a str>,
    /// `--error PCT`: the largest acceptable error.
    pub error: Option<&'a str>,
    /// `--quantity Q`: a quantity to weigh, whose error is wanted.
    pub quantity: Option<&'a str>,
    /// `--sd SD`: the repeatability standard deviation, a mass.
    pub sd: Option<&'a str>,
    /// `--readability D`: the balance's scale interval, a mass.
    pub readability: Option<&'a str>,
}

fn mass(option: &'static str, text: &str) -> Result<(Quantity, Decimal), ToolError> {
    let q = input::quantity(option, text, &[Dimension::Mass], "a mass, like `6mg`")?;
    let mg = input::in_base(&q)?.value().map_err(at("a mass in mg"))?;
    Ok((q, mg))
}

/// `mwq` by either method.
///
/// # Errors
///
/// A value that does not parse or is zero (an SD of zero is allowed with a
/// readability); options of both methods, or too few to answer; an error over 100%.
pub fn mwq(b: &Balance) -> Result<Answer, ToolError> {
    let sr_method = b.sensitivity.is_some() || b.test_weight.is_some();
    let usp_method = b.sd.is_some() || b.readability.is_some();
    match (sr_method, usp_method) {
        (true, true) => Err(invalid_help(
            "--sd",
            b.sd.or(b.readability).unwrap_or_default(),
            "a sensitivity requirement and a USP <41> standard deviation are two methods; give one",
            "a prescription balance: `--sensitivity 6mg --error 5%`; an electronic balance: `--sd 0.03mg --readability 0.1mg`",
        )),
        (true, false) => by_sensitivity(b),
        (false, true) => by_repeatability(b),
        (false, false) => Err(invalid_help(
            "mwq",
            "",
            "nothing to compute from",
            "give `--sensitivity SR --error PCT`, `--test-weight W --divisions N`, `--sd SD` or `--readability D`",
        )),
    }
}

fn by_sensitivity(b: &Balance) -> Result<Answer, ToolError> {
    let mut calculation = Vec::new();
    let mut extra = Vec::new();
    let sr = match (b.sensitivity, b.test_weight, b.divisions) {
        (Some(s), None, None) => mass("--sensitivity", s)?.1,
        (None, Some(w), Some(n)) => {
            let (wq, w_mg) = mass("--test-weight", w)?;
            let n = input::number("--divisions", n)?;
            let sr = arith::div(w_mg, n).map_err(at("the sensitivity requirement"))?;
            calculation.push(format!(
                "sensitivity requirement: {wq} ÷ {} division(s) = {} per division",
                n.normalize(),
                format_mass(sr)
            ));
            let meets = sr <= CLASS_III_SR_MG;
            calculation.push(format!(
                "Class III (formerly Class A) needs 6 mg or less: {} {}",
                format_mass(sr),
                if meets { "meets it" } else { "does not meet it" }
            ));
            extra.push(("meets_class_iii", Extra::Flag(meets)));
            sr
        }
        (None, Some(w), None) => {
            return Err(invalid_help("--test-weight", w, "needs `--divisions`", "e.g. `--divisions 2`"));
        }
        _ => {
            return Err(invalid_help(
                "--sensitivity",
                b.sensitivity.unwrap_or_default(),
                "give the sensitivity requirement either directly or as a test weight and divisions, not both",
                "`--sensitivity 6mg`, or `--test-weight 20mg --divisions 2`",
            ));
        }
    };
    let result = match (b.error, b.quantity) {
        (Some(e), None) => {
            let pct = input::percent("--error", e)?;
            let mwq = arith::div(arith::mul(sr, Decimal::ONE_HUNDRED).map_err(at("the MWQ"))?, pct)
                .map_err(at("the minimum weighable quantity"))?;
            let v = Value::mass(mwq)?;
            calculation.push(format!("{} × 100% ÷ {}% = {}", format_mass(sr), pct.normalize(), v.read()));
            Item::new(v, format!("minimum weighable quantity at {}% error", pct.normalize()))
        }
        (None, Some(q)) => {
            let (qq, q_mg) = mass("--quantity", q)?;
            let pct = arith::div(arith::mul(sr, Decimal::ONE_HUNDRED).map_err(at("the error"))?, q_mg)
                .map_err(at("the error of the weighing"))?;
            let v = Value::new(pct, ValueUnit::Percent);
            calculation.push(format!("{} ÷ {qq} × 100% = {}", format_mass(sr), v.read()));
            Item::new(v, format!("error weighing {qq}"))
        }
        (Some(e), Some(_)) => {
            return Err(invalid_help(
                "--error",
                e,
                "`--error` asks for a minimum quantity and `--quantity` for an error; give one",
                "`--error 5%` or `--quantity 50mg`",
            ));
        }
        (None, None) if b.test_weight.is_some() => Item::new(Value::mass(sr)?, "sensitivity requirement"),
        (None, None) => {
            return Err(invalid_help(
                "--sensitivity",
                b.sensitivity.unwrap_or_default(),
                "needs `--error` (for a minimum weighable quantity) or `--quantity` (for the error of a weighing)",
                "e.g. `--sensitivity 6mg --error 5%`",
            ));
        }
    };
    Ok(Answer { result: Outcome::One(result), calculation, extra })
}

fn by_repeatability(b: &Balance) -> Result<Answer, ToolError> {
    let d = b.readability.map(|r| mass("--readability", r)).transpose()?;
    let sd = match b.sd {
        Some(text) => {
            let q = Quantity::parse_dim(text, Dimension::Mass, "a mass, like `0.03mg`")
                .map_err(|cause: QuantityError| ToolError::Parse { option: "--sd", cause })?;
            if q.value.is_zero() && d.is_none() {
                return Err(invalid_help(
                    "--sd",
                    text,
                    "an SD of zero gives no minimum weight on its own",
                    "add `--readability`: USP <41> replaces an SD below 0.41 d by 0.41 d",
                ));
            }
            Some((q, input::in_base(&q)?.value().map_err(at("a mass in mg"))?))
        }
        None => None,
    };
    let mut calculation = Vec::new();
    let used = match (sd, d) {
        (Some((_, sd_mg)), None) => sd_mg,
        (None, Some((dq, d_mg))) => {
            let floor = arith::mul(SD_FLOOR_PER_D, d_mg).map_err(at("0.41 d"))?;
            calculation.push(format!(
                "no SD given: USP <41> takes the smallest, 0.41 × {dq} = {}",
                format_mass(floor)
            ));
            floor
        }
        (Some((sq, sd_mg)), Some((dq, d_mg))) => {
            let floor = arith::mul(SD_FLOOR_PER_D, d_mg).map_err(at("0.41 d"))?;
            if sd_mg.cmp(&floor) == Ordering::Less {
                calculation.push(format!(
                    "SD {sq} is below 0.41 × {dq} = {}: USP <41> uses {}",
                    format_mass(floor),
                    format_mass(floor)
                ));
                floor
            } else {
                calculation.push(format!(
                    "SD {sq} is not below 0.41 × {dq} = {}: it is used as it is",
                    format_mass(floor)
                ));
                sd_mg
            }
        }
        (None, None) => return Err(invalid("--sd", "", "give `--sd` or `--readability`")),
    };
    let min = arith::mul(SD_FACTOR, used).map_err(at("the minimum weight"))?;
    let v = Value::mass(min)?;
    calculation.push(format!("2000 × {} = {} (2 × SD ÷ weight ≤ 0.10%)", format_mass(used), v.read()));
    Ok(Answer::one(Item::new(v, "minimum weight (USP <41>)"), calculation))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn result(b: Balance) -> String {
        mwq(&b).unwrap_or_else(|e| panic!("{b:?}: {e}")).get("result").unwrap().to_string()
    }

    #[test]
    fn the_worksheet_minimum_weight_is_this_rule_without_an_sd() {
        // The batch worksheet's default minimum weight is 820 × the readability.
        assert_eq!(Decimal::from(crate::calc::MIN_WEIGHT_PER_READABILITY), SD_FACTOR * SD_FLOOR_PER_D);
    }

    #[test]
    fn by_sensitivity_requirement() {
        let sr = |s, e| Balance { sensitivity: Some(s), error: Some(e), ..Balance::default() };
        assert_eq!(result(sr("6mg", "5%")), "120 mg");
        assert_eq!(result(sr("6mg", "1%")), "600 mg");
        assert_eq!(result(sr("10mg", "5%")), "200 mg");
        assert_eq!(result(sr("2.5mg", "3%")), "≈83.3333 mg");
        let err = Balance { sensitivity: Some("6mg"), quantity: Some("50mg"), ..Balance::default() };
        assert_eq!(result(err), "12%");
    }

    #[test]
    fn by_test_weight() {
        let b = Balance { test_weight: Some("20mg"), divisions: Some("2"), ..Balance::default() };
        let a = mwq(&b).unwrap();
        assert_eq!(a.get("result").unwrap().value, d("10"));
        assert_eq!(a.extra, [("meets_class_iii", Extra::Flag(false))]);
        let b = Balance {
            test_weight: Some("12mg"),
            divisions: Some("2"),
            error: Some("5%"),
            ..Balance::default()
        };
        let a = mwq(&b).unwrap();
        assert_eq!(a.get("result").unwrap().value, d("120"));
        assert_eq!(a.extra, [("meets_class_iii", Extra::Flag(true))]);
    }

    #[test]
    fn by_usp_41() {
        let sd = |s| Balance { sd: Some(s), ..Balance::default() };
        assert_eq!(result(sd("0.03mg")), "60 mg");
        assert_eq!(result(sd("0.02mg")), "40 mg");
        assert_eq!(result(sd("0.2mg")), "400 mg");
        let rd = |r| Balance { readability: Some(r), ..Balance::default() };
        assert_eq!(result(rd("0.1mg")), "82 mg");
        assert_eq!(result(rd("1mg")), "820 mg");
        assert_eq!(result(rd("0.01mg")), "8.2 mg");
        let both = |s, r| Balance { sd: Some(s), readability: Some(r), ..Balance::default() };
        assert_eq!(result(both("0.03mg", "0.1mg")), "82 mg");
        assert_eq!(result(both("0.05mg", "0.1mg")), "100 mg");
        assert_eq!(result(both("0mg", "0.1mg")), "82 mg");
    }

    #[test]
    fn refusals() {
        let bad = [
            Balance::default(),
            Balance { sensitivity: Some("6mg"), ..Balance::default() },
            Balance { sensitivity: Some("6mg"), error: Some("0%"), ..Balance::default() },
            Balance {
                sensitivity: Some("6mg"),
                error: Some("5%"),
                quantity: Some("50mg"),
                ..Balance::default()
            },
            Balance { sensitivity: Some("0mg"), error: Some("5%"), ..Balance::default() },
            Balance { sensitivity: Some("6mg"), error: Some("5%"), sd: Some("0.03mg"), ..Balance::default() },
            Balance { test_weight: Some("20mg"), ..Balance::default() },
            Balance { test_weight: Some("20mg"), divisions: Some("0"), ..Balance::default() },
            Balance { sd: Some("0mg"), ..Balance::default() },
            Balance { readability: Some("0mg"), ..Balance::default() },
            Balance { sd: Some("0.03mL"), ..Balance::default() },
        ];
        for b in bad {
            assert!(mwq(&b).is_err(), "{b:?}");
        }
    }
}
