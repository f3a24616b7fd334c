//! Rendering the answers of the pharmacy calculations (SPEC §9): the human answer (the
//! result first, rounded for reading and marked `≈` when rounded, then the derivation)
//! and the JSON document.
//!
//! # Wire format
//!
//! `{"result": R, …, "calculation": ["…"]}` where `R` is one quantity
//! `{"value": "<exact decimal>", "unit": "<unit>"}` or an object of named quantities
//! (`mix`: `a`, `b`, `total`; `aliquot`: `weigh`, `diluent`, `total`, `take`), or for
//! `amount` `{"amount": quantity, "units": integer | null, "quotient": "<decimal>" |
//! null}` (SPEC §13.2). Values are
//! exact and normalized; a ratio strength is `{"value": "N", "unit": "1:N w/v"}`. Facts
//! beside the result (`meets_class_iii`, `factor`, `per_drop`, `dose`) are keys of their
//! own between `result` and `calculation`.

use crate::number::{Shown, plain};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::json::Qty;

use crate::tools::{Answer, Extra, Field, Outcome, Value};

fn qty(v: &Value) -> Qty {
    Shown { value: plain(v.value), unit: v.unit.to_string() }.into()
}

/// Pairs serialized as a JSON object in their own order.
struct Ordered<T>(Vec<(&'static str, T)>);

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum ResultDto {
    One(Qty),
    Many(Ordered<Qty>),
    Fields(Ordered<FieldDto>),
}

#[derive(Serialize)]
#[serde(untagged)]
enum FieldDto {
    Quantity(Qty),
    Count(Option<u64>),
    Number(Option<String>),
}

#[derive(Serialize)]
#[serde(untagged)]
enum ExtraDto {
    Flag(bool),
    Number(String),
    Quantity(Qty),
}

#[derive(Serialize)]
struct AnswerDto<'a> {
    result: ResultDto,
    #[serde(flatten)]
    extra: Ordered<ExtraDto>,
    calculation: &'a [String],
}

/// The JSON document of an answer, pretty-printed, with a final newline.
pub fn json(answer: &Answer) -> String {
    let dto = AnswerDto {
        result: match &answer.result {
            Outcome::One(item) => ResultDto::One(qty(&item.value)),
            Outcome::Many(items) => {
                ResultDto::Many(Ordered(items.iter().map(|(k, i)| (*k, qty(&i.value))).collect()))
            }
            Outcome::Fields(fields) => ResultDto::Fields(Ordered(
                fields
                    .iter()
                    .map(|(k, f)| {
                        let dto = match f {
                            Field::Quantity(i) => FieldDto::Quantity(qty(&i.value)),
                            Field::Count(n, _) => FieldDto::Count(*n),
                            Field::Number(n) => FieldDto::Number(n.map(plain)),
                        };
                        (*k, dto)
                    })
                    .collect(),
            )),
        },
        extra: Ordered(
            answer
                .extra
                .iter()
                .map(|(k, e)| {
                    let dto = match e {
                        Extra::Flag(b) => ExtraDto::Flag(*b),
                        Extra::Number(n) => ExtraDto::Number(plain(*n)),
                        Extra::Quantity(v) => ExtraDto::Quantity(qty(v)),
                    };
                    (*k, dto)
                })
                .collect(),
        ),
        calculation: &answer.calculation,
    };
    super::json::to_pretty(&dto)
}

/// The human answer: the result (one line, or one line per named quantity, aligned),
/// then the calculation indented by two spaces.
///
/// ```text
/// 0.4 mg/mL
///   1:2500 w/v = 1 g in 2500 mL = 1000 mg ÷ 2500 mL = 0.4 mg/mL
/// ```
pub fn text(answer: &Answer) -> String {
    let mut out = String::new();
    let line = |value: &Value, note: &str| {
        if note.is_empty() { value.read() } else { format!("{} {note}", value.read()) }
    };
    match &answer.result {
        Outcome::One(item) => {
            out.push_str(&line(&item.value, &item.note));
            out.push('\n');
        }
        Outcome::Many(items) => {
            let width = items.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
            for (k, item) in items {
                out.push_str(&format!("{k:<width$}  {}\n", line(&item.value, &item.note)));
            }
        }
        Outcome::Fields(fields) => {
            // Null fields are left out; a single field is printed alone, as one quantity is.
            let shown: Vec<(&str, String)> = fields
                .iter()
                .filter_map(|(k, f)| {
                    let text = match f {
                        Field::Quantity(i) => line(&i.value, &i.note),
                        Field::Count(n, note) => {
                            n.map(|n| if note.is_empty() { n.to_string() } else { format!("{n} {note}") })?
                        }
                        Field::Number(n) => crate::tools::reading((*n)?),
                    };
                    Some((*k, text))
                })
                .collect();
            match shown.as_slice() {
                [(_, one)] => out.push_str(&format!("{one}\n")),
                all => {
                    let width = all.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
                    for (k, text) in all {
                        out.push_str(&format!("{k:<width$}  {text}\n"));
                    }
                }
            }
        }
    }
    for step in &answer.calculation {
        out.push_str("  ");
        out.push_str(step);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::{aliquot, convert, mix, mwq};

    #[test]
    fn one_quantity() {
        let a = convert::convert("1:2500w/v", "mg/mL", None).unwrap();
        insta::assert_snapshot!(text(&a), @r"
        0.4 mg/mL
          1:2500 w/v = 1 g in 2500 mL = 1000 mg ÷ 2500 mL = 0.4 mg/mL
        ");
        insta::assert_snapshot!(json(&a), @r#"
        {
          "result": {
            "value": "0.4",
            "unit": "mg/mL"
          },
          "calculation": [
            "1:2500 w/v = 1 g in 2500 mL = 1000 mg ÷ 2500 mL = 0.4 mg/mL"
          ]
        }
        "#);
    }

    #[test]
    fn named_quantities_keep_their_order() {
        let a = mix::mix("2.5%w/w", "1%w/w", "30g", "1.5%w/w").unwrap();
        insta::assert_snapshot!(text(&a), @r"
        a      10 g of 2.5 %w/w
        b      20 g of 1 %w/w
        total  30 g at 1.5 %w/w
          alligation in %w/w: 1.5 − 1 = 0.5 part(s) of 2.5 %w/w; 2.5 − 1.5 = 1 part(s) of 1 %w/w; 1.5 part(s) in all
          2.5 %w/w: 30 g × 0.5 ÷ 1.5 = 10 g
          1 %w/w: 30 g − 10 g = 20 g
        ");
        // Not alphabetical: the order of the plan.
        let doc = json(&aliquot::aliquot("12mg", "120mg", None).unwrap());
        let at = |key: &str| doc.find(&format!("\"{key}\"")).unwrap();
        assert!(
            at("weigh") < at("diluent") && at("diluent") < at("total") && at("total") < at("take"),
            "{doc}"
        );
        assert!(at("result") < at("factor") && at("factor") < at("calculation"), "{doc}");
    }

    #[test]
    fn facts_beside_the_result() {
        let b = mwq::Balance { test_weight: Some("20mg"), divisions: Some("2"), ..mwq::Balance::default() };
        let j: serde_json::Value = serde_json::from_str(&json(&mwq::mwq(&b).unwrap())).unwrap();
        assert_eq!(j["result"], serde_json::json!({"value": "10", "unit": "mg"}));
        assert_eq!(j["meets_class_iii"], serde_json::json!(false));
        assert_eq!(j.as_object().unwrap().len(), 3);
    }
}
