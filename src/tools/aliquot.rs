//! `ketacalc aliquot --need N --min-weight M [--take T]` (extension): the aliquot
//! (trituration) method for a quantity below the balance's minimum weighable quantity
//! (DOMAIN §8.3 and §12 problems 30 and 31).
//!
//! Factor m = ceil(M ÷ N); weigh N × m of the drug; dilute to a total of T × m; take T,
//! which holds N. T defaults to M, and must be at least M (the aliquot is weighed too).
//! The same plan as the batch worksheet's `below-minimum-weight` warning (SPEC §7.4),
//! by the same arithmetic (`calc::aliquot::Weighing`).

use crate::number::format_mass;
use std::cmp::Ordering;

use super::error::{ToolError, at};
use super::input::{self, invalid_help};
use super::{Answer, Extra, Item, Outcome, Value, reading};
use crate::arith;
use crate::calc::aliquot::Weighing;
use crate::measure::Mass;

use crate::unit::Dimension;

fn mass(option: &'static str, text: &str) -> Result<(String, rust_decimal::Decimal), ToolError> {
    let q = input::quantity(option, text, &[Dimension::Mass], "a mass, like `12mg`")?;
    Ok((q.to_string(), input::in_base(&q)?.value().map_err(at("a mass in mg"))?))
}

/// `aliquot --need N --min-weight M [--take T]`.
///
/// The result is `{weigh, diluent, total, take}`; the factor m is reported beside it.
///
/// # Errors
///
/// A value that is not a mass above zero; N at or above M (weigh it directly); T below M.
pub fn aliquot(need: &str, min_weight: &str, take: Option<&str>) -> Result<Answer, ToolError> {
    let (need_text, n) = mass("--need", need)?;
    let (min_text, m) = mass("--min-weight", min_weight)?;
    if n >= m {
        return Err(invalid_help(
            "--need",
            need,
            format!("it is not below the minimum weighable quantity `{min_text}`"),
            format!("weigh {need_text} directly; no aliquot is needed"),
        ));
    }
    let (take_text, t) = match take {
        Some(text) => mass("--take", text)?,
        None => (min_text.clone(), m),
    };
    if t.cmp(&m) == Ordering::Less {
        return Err(invalid_help(
            "--take",
            take.unwrap_or_default(),
            format!(
                "the aliquot is weighed too, so it must be at least the minimum weighable quantity `{min_text}`"
            ),
            format!("take {min_text} or more"),
        ));
    }
    let w = Weighing::new(Mass::from_mg(n), Mass::from_mg(m)).map_err(|(step, e)| at(step)(e))?;
    let (factor, weigh) = (w.factor, w.weigh.mg());
    let total = w.total(Mass::from_mg(t)).map_err(at("the total"))?.mg();
    let diluent = arith::sub(total, weigh).map_err(at("the diluent"))?;
    let f = factor.normalize();
    let calculation = vec![
        format!("factor: {min_text} ÷ {need_text}, rounded up = {f}"),
        format!("weigh {need_text} × {f} = {} of the drug", format_mass(weigh)),
        format!(
            "add {} of diluent to make {take_text} × {f} = {}, mix well",
            format_mass(diluent),
            format_mass(total)
        ),
        format!(
            "take {take_text}, which holds {take_text} × {} mg ÷ {} mg = {need_text}",
            reading(weigh),
            reading(total)
        ),
    ];
    Ok(Answer {
        result: Outcome::Many(vec![
            ("weigh", Item::new(Value::mass(weigh)?, "of the drug")),
            ("diluent", Item::new(Value::mass(diluent)?, "")),
            ("total", Item::new(Value::mass(total)?, "of mixture")),
            ("take", Item::new(Value::mass(t)?, format!("of mixture, which holds {need_text}"))),
        ]),
        calculation,
        extra: vec![("factor", Extra::Number(f))],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(a: &Answer, key: &str) -> String {
        a.get(key).unwrap().to_string()
    }

    #[test]
    fn textbook_aliquots() {
        // DOMAIN §12 problem 30.
        let a = aliquot("12mg", "120mg", None).unwrap();
        assert_eq!(
            [get(&a, "weigh"), get(&a, "diluent"), get(&a, "total"), get(&a, "take")],
            ["120 mg", "1.08 g", "1.2 g", "120 mg"]
        );
        // Problem 31.
        let a = aliquot("2mg", "120mg", Some("125mg")).unwrap();
        assert_eq!(
            [get(&a, "weigh"), get(&a, "diluent"), get(&a, "total"), get(&a, "take")],
            ["120 mg", "7.38 g", "7.5 g", "125 mg"]
        );
        assert_eq!(a.extra, [("factor", Extra::Number(60.into()))]);
        // DOMAIN §8.3 example 4: 7.5 mg with an MWQ of 120 mg, factor 16.
        let a = aliquot("7.5mg", "120mg", None).unwrap();
        assert_eq!(a.extra, [("factor", Extra::Number(16.into()))]);
        // A factor that is not whole rounds up: 120 ÷ 50 = 2.4 → 3.
        let a = aliquot("50mg", "120mg", None).unwrap();
        assert_eq!(get(&a, "weigh"), "150 mg");
    }

    #[test]
    fn refusals() {
        assert!(aliquot("120mg", "120mg", None).is_err());
        assert!(aliquot("12mg", "120mg", Some("100mg")).is_err());
        assert!(aliquot("0mg", "120mg", None).is_err());
        assert!(aliquot("12mL", "120mg", None).is_err());
    }
}
