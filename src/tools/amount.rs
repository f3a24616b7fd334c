//! `ketacalc amount S --in Q [--per U] [--density D]`: the amount of an ingredient in `Q`
//! of a preparation at strength `S` (SPEC §13.2; DOMAIN §12 problems 10, 15, 16 and 18).
//!
//! A w/w strength is of a mass, w/v and v/v strengths of a volume. A quantity of the other
//! kind (`4%w/w` in `90mL`) is turned into the strength's kind with the preparation's
//! density, which is never assumed: without `--density` it is refused. With `--per U` (one
//! tablet, vial or capsule of the ingredient) the answer also says how many units hold the
//! amount, `ceil(amount ÷ U)`, and the exact quotient.

use rust_decimal::Decimal;

use super::error::{ToolError, at};
use super::input::{self, Kind, base_text, invalid};
use super::rational::Rational;
use super::{Answer, Field, Item, Outcome, Value, reading};
use crate::quantity::Quantity;
use crate::unit::Dimension;

const QUANTITY: &str = "a mass or a volume of the preparation, like `90g` or `20mL`";

/// `amount S --in Q [--per U] [--density D]`.
///
/// The result is `amount` (a mass, or a volume for a `%v/v` strength); with `per`,
/// `units` (a whole number, rounded up) and `quotient` (exact) beside it, else null.
///
/// # Errors
///
/// A value that does not parse or is zero; a quantity of another kind than the strength
/// (a mass for w/v or v/v, a volume for w/w) without `density`; a `per` unit of another
/// kind than the amount (a volume for a mass).
pub fn amount(
    strength: &str,
    quantity: &str,
    per: Option<&str>,
    density: Option<&str>,
) -> Result<Answer, ToolError> {
    let s = input::strength("S", strength)?;
    if s.base.is_zero() {
        return Err(invalid(
            "S",
            strength,
            "it must be above zero: there is nothing of it in the preparation",
        ));
    }
    let q = input::quantity("--in", quantity, &[Dimension::Mass, Dimension::Volume], QUANTITY)?;
    let mut calculation = Vec::new();
    let (whole, whole_text) = whole(&s, &q, density, &mut calculation)?;
    let base = base_text(s.base, s.kind.base_unit(), "the strength")?;
    if s.shown != base {
        calculation.push(format!("{s} = {base}"));
    }
    let (amount, value) = match s.kind {
        // mg/g × mg ÷ 1000 mg per g.
        Kind::WeightInWeight => {
            let mg = s.base.times(whole).and_then(|v| v.over_dec(Decimal::ONE_THOUSAND));
            let mg = mg.map_err(at("the amount"))?;
            (mg, Value::mass(mg.value().map_err(at("the amount"))?)?)
        }
        // mg/mL × mL.
        Kind::WeightInVolume => {
            let mg = s.base.times(whole).map_err(at("the amount"))?;
            (mg, Value::mass(mg.value().map_err(at("the amount"))?)?)
        }
        // %v/v × mL ÷ 100.
        Kind::VolumeInVolume => {
            let ml = s
                .base
                .times(whole)
                .and_then(|v| v.over_dec(Decimal::ONE_HUNDRED))
                .map_err(at("the amount"))?;
            (ml, Value::volume(ml.value().map_err(at("the amount"))?))
        }
    };
    calculation.push(format!("{base} × {whole_text} = {}", value.read()));
    let mut fields = vec![("amount", Field::Quantity(Item::new(value, "")))];
    let (units, quotient) = match per {
        Some(text) => {
            let (units, quotient, line) = units_of(text, amount, s.kind, &value)?;
            calculation.push(line);
            (Some(units), Some(quotient))
        }
        None => (None, None),
    };
    let per_text =
        per.map(|p| format!("of {}", Quantity::parse(p).map(|q| q.to_string()).unwrap_or_default()));
    fields.push(("units", Field::Count(units, per_text.unwrap_or_default())));
    fields.push(("quotient", Field::Number(quotient)));
    Ok(Answer { result: Outcome::Fields(fields), calculation, extra: Vec::new() })
}

/// `Q` in the base unit of the whole a strength of this kind is "in" (mg for w/w, mL for
/// w/v and v/v), through the density when `Q` is of the other kind, and as printed.
fn whole(
    s: &input::Strength,
    q: &Quantity,
    density: Option<&str>,
    calculation: &mut Vec<String>,
) -> Result<(Rational, String), ToolError> {
    let q_base = input::in_base(q)?;
    let wanted = s.kind.whole();
    if q.dimension() == wanted {
        return Ok((q_base, q.to_string()));
    }
    let Some(d) = density else {
        let (of, given) =
            if wanted == Dimension::Mass { ("a mass", "a volume") } else { ("a volume", "a mass") };
        return Err(input::invalid_help(
            "--in",
            &q.to_string(),
            format!(
                "`{s}` is a {} strength, of {of}, and `{q}` is {given}: relating them needs the preparation's density, which ketacalc never assumes",
                s.kind.as_str()
            ),
            format!(
                "add `--density` with the preparation's measured density, e.g. `--density 1.05g/mL`, or give the quantity as {of}"
            ),
        ));
    };
    let dq = input::quantity("--density", d, &[Dimension::MassPerVolume], "a density, like `1.05 g/mL`")?;
    let rho = input::in_base(&dq)?;
    // mL × mg/mL = mg; mg ÷ mg/mL = mL.
    let (v, op) =
        if wanted == Dimension::Mass { (q_base.times(rho), '×') } else { (q_base.over(rho), '÷') };
    let v = v.map_err(at("the quantity at that density"))?;
    let shown = match wanted {
        Dimension::Mass => Value::mass(v.value().map_err(at("the quantity at that density"))?)?.read(),
        _ => format!("{} mL", reading(v.value().map_err(at("the quantity at that density"))?)),
    };
    calculation.push(format!("{q} {op} {dq} = {shown}"));
    Ok((v, shown))
}

/// The units of `per_text` that hold `amount` (in mg, or mL for v/v): `ceil(amount ÷ U)`,
/// the exact quotient, and the trail line.
fn units_of(
    per_text: &str,
    amount: Rational,
    kind: Kind,
    value: &Value,
) -> Result<(u64, Decimal, String), ToolError> {
    let dim = if kind == Kind::VolumeInVolume { Dimension::Volume } else { Dimension::Mass };
    let expected = if dim == Dimension::Mass {
        "a mass of the ingredient in one unit, like `50mg` (one tablet)"
    } else {
        "a volume of the ingredient in one unit, like `5mL`"
    };
    let u = input::quantity("--per", per_text, &[dim], expected)?;
    let quotient = amount.over(input::in_base(&u)?).and_then(Rational::value).map_err(at("the units"))?;
    let units = u64::try_from(quotient.ceil())
        .map_err(|_| invalid("--per", per_text, "the count of units is too large"))?;
    let noun = if units == 1 { "unit" } else { "units" };
    let rounded = if Decimal::from(units) == quotient { String::new() } else { " (rounded up)".to_string() };
    let line = format!("{} ÷ {u} = {}: {units} {noun}{rounded}", value.read(), reading(quotient));
    Ok((units, quotient, line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn fields(a: &Answer) -> (String, Option<u64>, Option<Decimal>) {
        let Outcome::Fields(f) = &a.result else { panic!("{a:?}") };
        let get = |k: &str| f.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()).unwrap();
        let Field::Quantity(amount) = get("amount") else { panic!() };
        let Field::Count(units, _) = get("units") else { panic!() };
        let Field::Number(q) = get("quotient") else { panic!() };
        (amount.value.read(), units, q)
    }

    #[test]
    fn the_problem_bank() {
        // DOMAIN §12 problem 15: 20 mL of 0.4% w/v timolol → 80 mg.
        assert_eq!(fields(&amount("0.4%w/v", "20mL", None, None).unwrap()), ("80 mg".into(), None, None));
        // Problem 10: 90 g of a 4% gel → 3.6 g.
        assert_eq!(fields(&amount("4%w/w", "90g", None, None).unwrap()), ("3.6 g".into(), None, None));
        // Problem 16: 1% w/v, one teaspoonful (5 mL) → 50 mg.
        assert_eq!(fields(&amount("1%w/v", "5mL", None, None).unwrap()), ("50 mg".into(), None, None));
        // Problem 18: 25 mL of 0.2% w/v from 50 mg tablets → 50 mg, 1 tablet.
        let a = amount("0.2%w/v", "25mL", Some("50mg"), None).unwrap();
        assert_eq!(fields(&a), ("50 mg".into(), Some(1), Some(d("1"))));
        assert_eq!(
            a.calculation,
            ["0.2 %w/v = 2 mg/mL", "2 mg/mL × 25 mL = 50 mg", "50 mg ÷ 50 mg = 1: 1 unit"]
        );
    }

    #[test]
    fn units_round_up_and_the_quotient_is_exact() {
        let a = amount("0.2%w/v", "30mL", Some("50mg"), None).unwrap();
        assert_eq!(fields(&a), ("60 mg".into(), Some(2), Some(d("1.2"))));
        assert!(a.calculation.last().unwrap().ends_with("2 units (rounded up)"), "{:?}", a.calculation);
        let v = amount("25%v/v", "500mL", Some("100mL"), None).unwrap();
        assert_eq!(fields(&v), ("125 mL".into(), Some(2), Some(d("1.25"))));
        assert_eq!(fields(&amount("1:2500w/v", "100mL", None, None).unwrap()).0, "40 mg");
    }

    #[test]
    fn another_kind_needs_the_density() {
        let e = amount("4%w/w", "90mL", None, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid value `90 mL` for `--in`: `4 %w/w` is a w/w strength, of a mass, and `90 mL` is a volume: relating them needs the preparation's density, which ketacalc never assumes"
        );
        assert!(e.help().unwrap().contains("--density"));
        assert!(matches!(amount("0.4%w/v", "20g", None, None), Err(ToolError::Invalid { .. })));
        let a = amount("4%w/w", "90mL", None, Some("1.2g/mL")).unwrap();
        assert_eq!(fields(&a).0, "4.32 g");
        assert_eq!(a.calculation[0], "90 mL × 1.2 g/mL = 108 g");
        let b = amount("0.4%w/v", "20g", None, Some("1.25g/mL")).unwrap();
        assert_eq!(fields(&b).0, "64 mg");
    }

    #[test]
    fn refusals() {
        assert!(amount("0%w/v", "20mL", None, None).is_err());
        assert!(amount("0.4%w/v", "0mL", None, None).is_err());
        assert!(amount("0.4%w/v", "20mL", Some("5mL"), None).is_err());
        assert!(amount("0.4%w/v", "20mL", Some("0mg"), None).is_err());
        assert!(amount("0.4%w/v", "20mg/mL", None, None).is_err());
        assert!(amount("20mL", "20mL", None, None).is_err());
    }
}
