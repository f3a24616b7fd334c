//! Pharmacy calculations beyond a batch (SPEC §9): the textbook problems of DOMAIN §12
//! A–C, one function per command, each answering with an exact [`Answer`] and the
//! trail of how it was reached.
//!
//! | command | function |
//! |---|---|
//! | `convert` | [`convert::convert`] |
//! | `salt` | [`salt::salt`] |
//! | `mix` | [`mix::mix`], [`mix::mix_into`] |
//! | `dilute` | [`dilute::dilute`] |
//! | `mwq` | [`mwq::mwq`] |
//! | `drops` | [`drops::drops`] |
//! | `osmolarity` | [`osmolarity::osmolarity`] |
//! | `dose` | [`dose::dose`] |
//! | `aliquot` (extension) | [`aliquot::aliquot`] |
//! | `strength` (extension) | [`strength::strength`] |
//! | `amount` | [`amount::amount`] |
//!
//! Every function takes the command-line text, parses it with the quantity grammar of
//! SPEC §1, and carries exact fractions to a single division at the end
//! ([`rational::Rational`]). Nothing here prints or rounds a result; `report::tools`
//! renders answers, and [`reading`] is the one way a number is shortened for people.
//!
//! ```
//! use ketacalc::tools::mix;
//!
//! // DOMAIN §12 problem 4: 20% and 5% hydrocortisone to make 50 g of 9%.
//! let answer = mix::mix("20%w/w", "5%w/w", "50g", "9%w/w")?;
//! let a = answer.get("a").ok_or("no `a`")?;
//! assert_eq!(a.value.to_string(), "13.333333333333333333333333333");
//! assert_eq!(a.read(), "≈13.3333 g");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod aliquot;
pub mod amount;
pub mod convert;
pub mod dilute;
pub mod dose;
pub mod drops;
mod error;
pub mod input;
pub mod mix;
pub mod mwq;
pub mod osmolarity;
pub mod rational;
pub mod salt;
pub mod strength;
#[cfg(test)]
mod testing;

use crate::number::{for_reading, mass_for_display, mass_unit_for_display};
use std::fmt;

use rust_decimal::Decimal;

pub use error::ToolError;

use crate::quantity::RatioKind;

use crate::unit::Unit;
use error::at;

/// The unit of a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueUnit {
    /// A unit of SPEC §1.
    Unit(Unit),
    /// A ratio strength: the value is N of `1:N w/v` or `1:N w/w`.
    Ratio(RatioKind),
    /// A plain percentage (the error of a weighing).
    Percent,
    /// Milliosmoles per litre (`osmolarity` only; not a unit of formula files).
    MilliosmolesPerLitre,
}

impl fmt::Display for ValueUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueUnit::Unit(u) => u.fmt(f),
            ValueUnit::Ratio(RatioKind::WeightInVolume) => f.write_str("1:N w/v"),
            ValueUnit::Ratio(RatioKind::WeightInWeight) => f.write_str("1:N w/w"),
            ValueUnit::Percent => f.write_str("%"),
            ValueUnit::MilliosmolesPerLitre => f.write_str("mOsm/L"),
        }
    }
}

/// An exact result with its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Value {
    /// The exact value (as exact as 28 significant digits allow).
    pub value: Decimal,
    /// Its unit.
    pub unit: ValueUnit,
}

impl Value {
    /// A value in `unit`.
    pub fn new(value: Decimal, unit: ValueUnit) -> Self {
        Value { value, unit }
    }

    /// A mass held in mg, in `mg` below 1 g and in `g` otherwise (SPEC §5).
    pub fn mass(mg: Decimal) -> Result<Self, ToolError> {
        let v = mass_for_display(mg).map_err(at("a mass in grams"))?;
        Ok(Value::new(v, ValueUnit::Unit(mass_unit_for_display(mg))))
    }

    /// A volume held in mL.
    pub fn volume(ml: Decimal) -> Self {
        Value::new(ml, ValueUnit::Unit(Unit::ML))
    }

    /// For people: [`reading`] of the value with its unit, e.g. `≈57.6684 mg`,
    /// `1:10000 w/w`, `12%`.
    pub fn read(&self) -> String {
        match self.unit {
            ValueUnit::Ratio(RatioKind::WeightInVolume) => format!("1:{} w/v", reading(self.value)),
            ValueUnit::Ratio(RatioKind::WeightInWeight) => format!("1:{} w/w", reading(self.value)),
            ValueUnit::Percent => format!("{}%", reading(self.value)),
            unit => format!("{} {unit}", reading(self.value)),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.read())
    }
}

/// One result, with words that say what it is (`ketamine HCl`, `of 2.5 %w/w`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The value.
    pub value: Value,
    /// What it is, for people; may be empty.
    pub note: String,
}

impl Item {
    /// An item with a note.
    pub fn new(value: Value, note: impl Into<String>) -> Self {
        Item { value, note: note.into() }
    }
}

/// The `result` of an answer: one quantity, or named quantities in a stated order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// One quantity.
    One(Item),
    /// Named quantities (`mix`: `a`, `b`, `total`).
    Many(Vec<(&'static str, Item)>),
    /// Named fields of several kinds, some of which may be null (`amount`: `amount`,
    /// `units`, `quotient`).
    Fields(Vec<(&'static str, Field)>),
}

/// One field of an [`Outcome::Fields`] result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// A quantity.
    Quantity(Item),
    /// A whole number (JSON integer), or null; with words that say what is counted.
    Count(Option<u64>, String),
    /// An exact decimal (JSON string), or null.
    Number(Option<Decimal>),
}

/// A fact reported beside the result (JSON keys next to `result`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extra {
    /// A yes/no answer (`meets_class_iii`).
    Flag(bool),
    /// A plain number (an aliquot's multiplication factor).
    Number(Decimal),
    /// A quantity (`per_drop`).
    Quantity(Value),
}

/// The answer to one calculation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The result.
    pub result: Outcome,
    /// How it was reached, one step per line, for a pharmacist to check.
    pub calculation: Vec<String>,
    /// Facts beside the result, by JSON key.
    pub extra: Vec<(&'static str, Extra)>,
}

impl Answer {
    /// An answer with one quantity.
    pub fn one(item: Item, calculation: Vec<String>) -> Self {
        Answer { result: Outcome::One(item), calculation, extra: Vec::new() }
    }

    /// The named quantity `key`, or the one quantity of a single result.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match &self.result {
            Outcome::One(item) => (key == "result").then_some(&item.value),
            Outcome::Many(items) => items.iter().find(|(k, _)| *k == key).map(|(_, i)| &i.value),
            Outcome::Fields(fields) => fields.iter().find_map(|(k, f)| match f {
                Field::Quantity(i) if *k == key => Some(&i.value),
                _ => None,
            }),
        }
    }
}

/// Shortens a number for people: exact when it has at most 4 decimal places, else
/// rounded half away from zero and marked `≈`, keeping at least 4 significant digits
/// for numbers below 1 (`0.2212389…` → `≈0.2212`, `0.0001234567` → `≈0.0001235`).
pub fn reading(v: Decimal) -> String {
    let n = v.normalize();
    let digits = u32::try_from(n.mantissa().unsigned_abs().to_string().len()).unwrap_or(u32::MAX);
    // A number below 1 with `scale` places and `digits` digits has scale − digits zeros
    // after the point before its first significant digit.
    let zeros = if n.abs() < Decimal::ONE { n.scale().saturating_sub(digits) } else { 0 };
    for_reading(n, zeros.saturating_add(4).max(4))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::testing::d;

    #[test]
    fn reading_keeps_four_places_or_four_significant_digits() {
        assert_eq!(reading(d("0.4")), "0.4");
        assert_eq!(reading(d("13.333333333333333333333333333")), "≈13.3333");
        assert_eq!(reading(d("0.2212389380530973451327433628")), "≈0.2212");
        assert_eq!(reading(d("0.0001234567")), "≈0.0001235");
        assert_eq!(reading(d("57.668363269255037227106381")), "≈57.6684");
        assert_eq!(reading(d("10000")), "10000");
        assert_eq!(reading(d("0")), "0");
        assert_eq!(reading(d("0.00005")), "0.00005");
    }

    #[test]
    fn values_read_with_their_units() {
        assert_eq!(Value::new(d("10000"), ValueUnit::Ratio(RatioKind::WeightInWeight)).read(), "1:10000 w/w");
        assert_eq!(Value::new(d("12"), ValueUnit::Percent).read(), "12%");
        assert_eq!(Value::new(d("8000"), ValueUnit::MilliosmolesPerLitre).read(), "8000 mOsm/L");
        assert_eq!(Value::mass(d("1200")).unwrap().read(), "1.2 g");
        assert_eq!(Value::mass(d("120")).unwrap().read(), "120 mg");
    }
}
