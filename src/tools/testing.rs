//! What the calculators' unit tests share: exact decimals from text, and the one result
//! of an answer with its unit.

use rust_decimal::Decimal;
use std::str::FromStr;

use super::Answer;

/// The decimal `s` (a test's literal, so it parses).
pub(crate) fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// The value and the unit of an answer's one `result`.
pub(crate) fn result(a: &Answer) -> (Decimal, String) {
    let v = a.get("result").unwrap();
    (v.value, v.unit.to_string())
}
