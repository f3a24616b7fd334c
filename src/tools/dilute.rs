//! `ketacalc dilute Q@S --to Q2` / `--to S2` (SPEC §9; DOMAIN §12 problems 7 and 9).
//!
//! - `--to Q2`, a larger quantity: the resulting strength `S × Q ÷ Q2`.
//! - `--to S2`, a weaker strength: the final quantity `Q × S ÷ S2`.
//!
//! A dilution only weakens: a smaller quantity or a stronger strength is an error, as is
//! a strength of zero (no quantity of diluent reaches it). The opposite problem, how
//! much stock makes a given quantity at a given strength, is `mix STOCK 0%… --make Q --at S`.

use std::cmp::Ordering;

use super::error::{ToolError, at};
use super::input::{self, Form, Strength, express, invalid_help, is_ratio};
use super::rational::Rational;
use super::{Answer, Item, Value};
use crate::quantity::Quantity;
use crate::unit::Dimension;

/// The starting quantity and strength, checked against each other.
struct Start {
    q: Quantity,
    base: Rational,
    s: Strength,
}

impl Start {
    fn value(&self, base: Rational) -> Result<Value, ToolError> {
        input::amount(base.value().map_err(at("a quantity"))?, self.q.dimension())
    }
}

fn start(text: &str) -> Result<Start, ToolError> {
    let option = "Q@S";
    let (q, s) = input::at_strength(option, text)?;
    let q = input::quantity(
        option,
        q,
        &[Dimension::Mass, Dimension::Volume],
        "a mass or a volume, like `500mL`",
    )?;
    let s = input::strength(option, s)?;
    input::whole_of(option, &q, s.kind)?;
    Ok(Start { base: input::in_base(&q)?, q, s })
}

/// `dilute Q@S --to T`, where `T` is a final quantity or a final strength.
///
/// # Errors
///
/// A value that does not parse or is zero; a quantity of the wrong dimension for the
/// strength; a final quantity below `Q`; a final strength above `S`, of another kind,
/// or zero.
pub fn dilute(from: &str, to: &str) -> Result<Answer, ToolError> {
    let st = start(from)?;
    let to_is_strength =
        is_ratio(to) || Quantity::parse(to).is_ok_and(|q| input::Kind::of(q.dimension()).is_some());
    if to_is_strength { to_strength(&st, to) } else { to_quantity(&st, to) }
}

fn to_quantity(st: &Start, to: &str) -> Result<Answer, ToolError> {
    let q2 = input::quantity(
        "--to",
        to,
        &[Dimension::Mass, Dimension::Volume],
        "a final quantity (`1.2L`) or a final strength (`10%v/v`)",
    )?;
    input::whole_of("--to", &q2, st.s.kind)?;
    let q2_base = input::in_base(&q2)?;
    if q2_base.compare(st.base).map_err(at("the quantities"))? == Ordering::Less {
        return Err(ToolError::Smaller { from: st.q.to_string(), to: q2.to_string() });
    }
    let new = st.s.base.times(st.base).and_then(|v| v.over(q2_base)).map_err(at("the new strength"))?;
    let value = express(new, st.s.kind, st.s.form)?;
    let (from_v, to_v) = (st.value(st.base)?, st.value(q2_base)?);
    let diluent = q2_base.minus(st.base).map_err(at("the diluent"))?;
    let calculation = vec![
        format!("{} × {} ÷ {} = {}", st.s, from_v.read(), to_v.read(), value.read()),
        make_up(st, from_v, to_v, st.value(diluent)?),
    ];
    Ok(Answer::one(Item::new(value, format!("in {}", to_v.read())), calculation))
}

/// How the diluent is added: `from` (the starting quantity), `to` and `diluent` as results.
fn make_up(st: &Start, from: Value, to: Value, diluent: Value) -> String {
    if st.q.dimension() == Dimension::Mass {
        format!("add {} of diluent to {} to make {}", diluent.read(), from.read(), to.read())
    } else {
        format!(
            "make up to {} with diluent ({} more; volumes need not add exactly)",
            to.read(),
            diluent.read()
        )
    }
}

fn to_strength(st: &Start, to: &str) -> Result<Answer, ToolError> {
    let s2 = input::strength("--to", to)?;
    input::same_kind("diluting", &st.s, &s2)?;
    if s2.base.is_zero() {
        return Err(invalid_help(
            "--to",
            to,
            "no quantity of diluent dilutes to a strength of zero",
            "give a final strength above zero",
        ));
    }
    if s2.base.compare(st.s.base).map_err(at("the strengths"))? == Ordering::Greater {
        return Err(ToolError::Stronger { from: st.s.shown.clone(), to: s2.shown.clone() });
    }
    let final_q = st.base.times(st.s.base).and_then(|v| v.over(s2.base)).map_err(at("the final quantity"))?;
    let value = st.value(final_q)?;
    // The two strengths in one unit, so that their quotient reads as a plain factor.
    let (s_text, s2_text) = if st.s.form == s2.form {
        (st.s.shown.clone(), s2.shown.clone())
    } else {
        let form = Form::Unit(s2.unit_or_percent());
        (express(st.s.base, st.s.kind, form)?.read(), express(s2.base, s2.kind, form)?.read())
    };
    let from_v = st.value(st.base)?;
    let diluent = final_q.minus(st.base).map_err(at("the diluent"))?;
    let calculation = vec![
        format!("{} × {s_text} ÷ {s2_text} = {}", from_v.read(), value.read()),
        make_up(st, from_v, value, st.value(diluent)?),
    ];
    Ok(Answer::one(Item::new(value, format!("at {}", s2.shown)), calculation))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::testing::{d, result};

    #[test]
    fn resulting_strength() {
        // DOMAIN §12 problem 7: 25 × 500 ÷ 1200.
        let a = dilute("500mL@25%v/v", "1.2L").unwrap();
        assert_eq!(result(&a), (d("10.416666666666666666666666667"), "%v/v".into()));
        assert_eq!(a.calculation[0], "25 %v/v × 500 mL ÷ 1200 mL = ≈10.4167 %v/v");
        // Problem 9.
        assert_eq!(result(&dilute("45mL@5%w/v", "60mL").unwrap()), (d("3.75"), "%w/v".into()));
        // A ratio stays a ratio.
        assert_eq!(result(&dilute("15mL@1:750w/v", "30mL").unwrap()), (d("1500"), "1:N w/v".into()));
    }

    #[test]
    fn final_quantity() {
        let a = dilute("500mL@25%v/v", "10%v/v").unwrap();
        assert_eq!(result(&a), (d("1250"), "mL".into()));
        assert_eq!(
            a.calculation[1],
            "make up to 1250 mL with diluent (750 mL more; volumes need not add exactly)"
        );
        let a = dilute("100g@10%w/w", "25mg/g").unwrap();
        assert_eq!(result(&a), (d("400"), "g".into()));
        assert_eq!(a.calculation[0], "100 g × 100 mg/g ÷ 25 mg/g = 400 g");
    }

    #[test]
    fn refusals() {
        assert!(matches!(dilute("500mL@25%v/v", "30%v/v"), Err(ToolError::Stronger { .. })));
        assert!(matches!(dilute("500mL@25%v/v", "400mL"), Err(ToolError::Smaller { .. })));
        assert!(matches!(dilute("500mL@25%v/v", "0%v/v"), Err(ToolError::Invalid { .. })));
        assert!(matches!(dilute("500mL@25%v/v", "1%w/v"), Err(ToolError::KindMismatch { .. })));
        assert!(matches!(dilute("500g@25%v/v", "1L"), Err(ToolError::QuantityKind { .. })));
        assert!(matches!(dilute("500mL@25%v/v", "1kg"), Err(ToolError::QuantityKind { .. })));
        assert!(matches!(dilute("500mL", "1L"), Err(ToolError::Invalid { .. })));
        assert!(matches!(dilute("0mL@5%w/v", "1L"), Err(ToolError::Invalid { .. })));
        let e = dilute("500mL@25%v/v", "30%v/v").unwrap_err();
        assert_eq!(
            e.to_string(),
            "a dilution cannot make a stronger strength: `30 %v/v` is stronger than `25 %v/v`"
        );
    }
}
