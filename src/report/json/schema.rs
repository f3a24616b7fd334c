//! The JSON Schema helpers of the documents (`ketacalc schema`): a document's schema
//! derived from the types that write it, every object closed, and the closed sets of
//! words (dosage forms, roles, bases, schedules, methods, rules, codes) a field takes.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// The JSON Schema (draft 2020-12) of the document `T` writes, every object closed (SPEC
/// §5: "keeps exactly the keys above"), with `description`.
pub(crate) fn schema_of<T: JsonSchema>(description: &str) -> serde_json::Value {
    use schemars::transform::RecursiveTransform;
    let closed = RecursiveTransform(|s: &mut Schema| {
        if s.get("properties").is_some() {
            s.insert("additionalProperties".into(), false.into());
        }
    });
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .with_transform(closed)
        .into_generator();
    let mut schema = generator.into_root_schema_for::<T>();
    schema.insert("description".into(), serde_json::json!(description));
    schema.to_value()
}

/// A string that is one of `words`.
pub(crate) fn one_of(words: impl IntoIterator<Item = &'static str>) -> Schema {
    let words: Vec<&str> = words.into_iter().collect();
    json_schema!({ "type": "string", "enum": words })
}

pub(super) fn dosage_form(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::formula::DosageForm::ALL.iter().map(|f| f.as_str()))
}

pub(super) fn role(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::formula::Role::ALL.iter().map(|r| r.as_str()))
}

pub(crate) fn basis(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::formula::StrengthBasis::ALL.iter().map(|b| b.as_str()))
}

pub(super) fn schedule(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::formula::Schedule::ALL.iter().map(|s| s.as_str()))
}

pub(super) fn infusion_method(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::formula::InfusionMethod::ALL.iter().map(|m| m.as_str()))
}

pub(super) fn bud_rule(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::calc::BudRule::ALL.iter().map(|r| r.as_str()))
}

pub(super) fn aliquot_by(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::calc::AliquotBy::ALL.iter().map(|b| b.as_str()))
}

pub(super) fn warning_code(_: &mut SchemaGenerator) -> Schema {
    one_of(crate::codes::Code::ALL.iter().filter(|c| c.kind().is_batch_warning()).map(|c| c.as_str()))
}

/// A percent deviation, `(as measured − required) ÷ required × 100`, exact: a decimal string, signed, without `%`.
pub(crate) fn deviation(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$" })
}
