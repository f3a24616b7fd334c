//! `ketacalc mix`: alligation (SPEC §9; DOMAIN §12 problems 1–6 and 12).
//!
//! - `mix A B --make Q --at S`: how much of strengths A and B make Q at S:
//!   `a = Q × (S − B) ÷ (A − B)`, `b = Q − a`.
//! - `mix A --have QB@B --at S`: how much of A to add to QB of B:
//!   `a = QB × (S − B) ÷ (A − S)`, total `a + QB`.
//!
//! Either strength may be zero (a diluent, a base): the "stock needed" problem (15 mL of
//! 0.01% from a 1:750 stock, problem 12) is `mix 1:750w/v 0%w/v --make 15mL --at 0.01%w/v`.
//! All three strengths are of one kind; a w/w mixture is made by mass, a w/v or v/v one
//! by volume (taken as additive, as alligation does).

use std::cmp::Ordering;

use super::error::{ToolError, at};
use super::input::{self, Form, Kind, Strength, express};
use super::rational::Rational;
use super::{Answer, Item, Outcome, Value, reading};
use crate::quantity::Quantity;
use crate::unit::Dimension;

/// The strengths and quantity of one alligation, checked.
struct Alligation {
    a: Strength,
    b: Strength,
    s: Strength,
    /// The given quantity (the total, or the quantity of B at hand), in mg or mL.
    q: Rational,
    q_shown: String,
    dim: Dimension,
}

/// Parses and checks `A`, `B`, `S` and the quantity, which must be a mass for w/w
/// strengths and a volume for w/v and v/v ones.
fn read(
    a: &str,
    b: &str,
    b_option: &'static str,
    q: &str,
    q_option: &'static str,
    s: &str,
) -> Result<Alligation, ToolError> {
    let a = input::strength("A", a)?;
    let b = input::strength(b_option, b)?;
    let s = input::strength("--at", s)?;
    input::same_kind("mixing", &a, &b)?;
    input::same_kind("mixing", &a, &s)?;
    let quantity: Quantity = input::quantity(
        q_option,
        q,
        &[Dimension::Mass, Dimension::Volume],
        "a mass or a volume, like `30g`",
    )?;
    input::whole_of(q_option, &quantity, a.kind)?;
    let dim = a.kind.whole();
    if a.base.compare(b.base).map_err(at("the strengths"))? == Ordering::Equal {
        return Err(ToolError::SameStrengths { a: a.shown.clone(), b: b.shown.clone() });
    }
    let below = |x: &Strength, y: &Strength| -> Result<bool, ToolError> {
        Ok(x.base.compare(y.base).map_err(at("the strengths"))? == Ordering::Less)
    };
    let above = below(&a, &s)? && below(&b, &s)?;
    if above || (below(&s, &a)? && below(&s, &b)?) {
        return Err(ToolError::OutsideStrengths {
            target: s.shown.clone(),
            a: a.shown.clone(),
            b: b.shown.clone(),
            above,
        });
    }
    Ok(Alligation { q: input::in_base(&quantity)?, q_shown: quantity.to_string(), a, b, s, dim })
}

impl Alligation {
    fn value(&self, base: Rational) -> Result<Value, ToolError> {
        input::amount(base.value().map_err(at("a quantity"))?, self.dim)
    }

    /// The alligation line, and the parts of A, of B and in all as text, in the
    /// target's unit (or the kind's percent when the target is a ratio).
    fn parts(&self) -> Result<Parts, ToolError> {
        let unit = self.s.unit_or_percent();
        let kind: Kind = self.s.kind;
        let show = |x: Rational| -> Result<String, ToolError> {
            Ok(reading(express(x, kind, Form::Unit(unit))?.value))
        };
        // |x − y|, written larger minus smaller.
        let diff = |x: &Strength, y: &Strength| -> Result<(String, String), ToolError> {
            let d = x.base.minus(y.base).map_err(at("the parts"))?;
            if d.compare(Rational::ZERO).map_err(at("the parts"))? == Ordering::Less {
                let d = Rational::ZERO.minus(d).map_err(at("the parts"))?;
                Ok((format!("{} − {}", show(y.base)?, show(x.base)?), show(d)?))
            } else {
                Ok((format!("{} − {}", show(x.base)?, show(y.base)?), show(d)?))
            }
        };
        let (a_text, a) = diff(&self.s, &self.b)?;
        let (b_text, b) = diff(&self.a, &self.s)?;
        let (_, total) = diff(&self.a, &self.b)?;
        let line = format!(
            "alligation in {unit}: {a_text} = {a} part(s) of {}; {b_text} = {b} part(s) of {}; {total} part(s) in all",
            self.a, self.b
        );
        Ok(Parts { line, a, b, total })
    }
}

/// The parts of an alligation, as text.
struct Parts {
    line: String,
    a: String,
    b: String,
    total: String,
}

/// `mix A B --make Q --at S`: the quantities of A and B that make Q at strength S.
///
/// # Errors
///
/// A value that does not parse, or a zero quantity; strengths of different kinds; a
/// quantity that is not a mass (w/w) or a volume (w/v, v/v); A equal to B; S outside
/// A and B.
pub fn mix(a: &str, b: &str, make: &str, target: &str) -> Result<Answer, ToolError> {
    let m = read(a, b, "B", make, "--make", target)?;
    let s_minus_b = m.s.base.minus(m.b.base).map_err(at("the parts"))?;
    let a_minus_b = m.a.base.minus(m.b.base).map_err(at("the parts"))?;
    let qa = m.q.times(s_minus_b).and_then(|v| v.over(a_minus_b)).map_err(at("the quantity of A"))?;
    let qa_value = qa.value().map_err(at("the quantity of A"))?;
    let total = m.q.value().map_err(at("the total"))?;
    // b = Q − a, so that a + b is exactly the total.
    let qb = crate::arith::sub(total, qa_value).map_err(at("the quantity of B"))?;
    let (va, vb, vt) = (input::amount(qa_value, m.dim)?, input::amount(qb, m.dim)?, m.value(m.q)?);
    let parts = m.parts()?;
    let calculation = vec![
        parts.line,
        format!("{}: {} × {} ÷ {} = {}", m.a, m.q_shown, parts.a, parts.total, va.read()),
        format!("{}: {} − {} = {}", m.b, m.q_shown, va.read(), vb.read()),
    ];
    Ok(Answer {
        result: Outcome::Many(vec![
            ("a", Item::new(va, format!("of {}", m.a))),
            ("b", Item::new(vb, format!("of {}", m.b))),
            ("total", Item::new(vt, format!("at {}", m.s))),
        ]),
        calculation,
        extra: Vec::new(),
    })
}

/// `mix A --have QB@B --at S`: how much of A brings QB of strength B to strength S.
///
/// # Errors
///
/// As [`mix`], and S equal to A (no finite quantity of A reaches it).
pub fn mix_into(a: &str, have: &str, target: &str) -> Result<Answer, ToolError> {
    let (q, b) = input::at_strength("--have", have)?;
    let m = read(a, b, "--have", q, "--have", target)?;
    let a_minus_s = m.a.base.minus(m.s.base).map_err(at("the parts"))?;
    if a_minus_s.is_zero() {
        return Err(ToolError::TargetIsStock {
            target: m.s.shown.clone(),
            a: m.a.shown.clone(),
            have: format!("{} of {}", m.q_shown, m.b),
        });
    }
    let s_minus_b = m.s.base.minus(m.b.base).map_err(at("the parts"))?;
    let ratio = s_minus_b.over(a_minus_s).map_err(at("the parts"))?;
    let qa = m.q.times(ratio).and_then(Rational::value).map_err(at("the quantity of A"))?;
    let given = m.q.value().map_err(at("the quantity of B"))?;
    let total = crate::arith::add(qa, given).map_err(at("the total"))?;
    let (va, vb, vt) = (input::amount(qa, m.dim)?, m.value(m.q)?, input::amount(total, m.dim)?);
    let parts = m.parts()?;
    let calculation = vec![
        parts.line,
        format!("{}: {} × {} ÷ {} = {}", m.a, m.q_shown, parts.a, parts.b, va.read()),
        format!("total: {} + {} = {}", va.read(), vb.read(), vt.read()),
    ];
    Ok(Answer {
        result: Outcome::Many(vec![
            ("a", Item::new(va, format!("of {}", m.a))),
            ("b", Item::new(vb, format!("of {} (given)", m.b))),
            ("total", Item::new(vt, format!("at {}", m.s))),
        ]),
        calculation,
        extra: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn get(a: &Answer, key: &str) -> String {
        a.get(key).unwrap().to_string()
    }

    #[test]
    fn hydrocortisone_by_alligation() {
        // DOMAIN §12 problem 1.
        let a = mix("2.5%w/w", "1%w/w", "30g", "1.5%w/w").unwrap();
        assert_eq!(
            (get(&a, "a"), get(&a, "b"), get(&a, "total")),
            ("10 g".into(), "20 g".into(), "30 g".into())
        );
        assert_eq!(
            a.calculation,
            [
                "alligation in %w/w: 1.5 − 1 = 0.5 part(s) of 2.5 %w/w; 2.5 − 1.5 = 1 part(s) of 1 %w/w; 1.5 part(s) in all",
                "2.5 %w/w: 30 g × 0.5 ÷ 1.5 = 10 g",
                "1 %w/w: 30 g − 10 g = 20 g",
            ]
        );
        // Problem 2.
        let a = mix_into("2.5%w/w", "240g@0.25%w/w", "1%w/w").unwrap();
        assert_eq!(
            (get(&a, "a"), get(&a, "b"), get(&a, "total")),
            ("120 g".into(), "240 g".into(), "360 g".into())
        );
    }

    #[test]
    fn repeating_answers_are_exact_to_28_digits_and_sum_to_the_total() {
        // Problem 4: 50 × 4/15 and 50 × 11/15.
        let a = mix("20%w/w", "5%w/w", "50g", "9%w/w").unwrap();
        let (qa, qb) = (a.get("a").unwrap().value, a.get("b").unwrap().value);
        assert_eq!(qa, d("13.333333333333333333333333333"));
        assert_eq!(qb, d("36.666666666666666666666666667"));
        assert_eq!(qa + qb, d("50"));
    }

    #[test]
    fn a_diluent_at_zero_and_a_ratio_stock() {
        // Problem 12: 1:750 stock for 15 mL of 0.01% w/v.
        let a = mix("1:750w/v", "0%w/v", "15mL", "0.01%w/v").unwrap();
        assert_eq!(a.get("a").unwrap().value, d("1.125"));
        assert_eq!(a.get("b").unwrap().value, d("13.875"));
    }

    #[test]
    fn refusals() {
        assert!(matches!(mix("2.5%w/w", "1%w/w", "30g", "3%w/w"), Err(ToolError::OutsideStrengths { .. })));
        assert!(matches!(mix("2.5%w/w", "1%w/w", "30g", "0.5%w/w"), Err(ToolError::OutsideStrengths { .. })));
        assert!(matches!(mix("1%w/w", "1%w/w", "30g", "1%w/w"), Err(ToolError::SameStrengths { .. })));
        assert!(matches!(mix("10mg/g", "1%w/w", "30g", "1%w/w"), Err(ToolError::SameStrengths { .. })));
        assert!(matches!(mix("2.5%w/w", "1%w/v", "30g", "1.5%w/w"), Err(ToolError::KindMismatch { .. })));
        assert!(matches!(mix("2.5%w/w", "1%w/w", "30mL", "1.5%w/w"), Err(ToolError::QuantityKind { .. })));
        assert!(matches!(mix("2.5%w/v", "1%w/v", "30g", "1.5%w/v"), Err(ToolError::QuantityKind { .. })));
        assert!(matches!(mix("2.5%w/w", "1%w/w", "0g", "1.5%w/w"), Err(ToolError::Invalid { .. })));
        assert!(matches!(mix("1:0w/w", "1%w/w", "30g", "1.5%w/w"), Err(ToolError::Invalid { .. })));
        assert!(matches!(
            mix_into("2.5%w/w", "240g@0.25%w/w", "2.5%w/w"),
            Err(ToolError::TargetIsStock { .. })
        ));
        assert!(matches!(mix_into("2.5%w/w", "240g", "1%w/w"), Err(ToolError::Invalid { .. })));
    }

    #[test]
    fn the_target_may_equal_one_strength() {
        let a = mix("2.5%w/w", "1%w/w", "30g", "2.5%w/w").unwrap();
        assert_eq!((get(&a, "a"), get(&a, "b")), ("30 g".into(), "0 mg".into()));
    }
}
