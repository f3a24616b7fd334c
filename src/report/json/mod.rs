//! JSON output (SPEC §5): the documents of `batch`, `validate` and `list`, built from
//! DTOs, never from the calculation's own types, so that a refactor cannot change what
//! scripts read. Each document, or part of one, has a file: `batch` the batch document and
//! its wire format, `controlled` its controlled-substance record, `infusion` an infusion's
//! figures (shared with the label), `schema` the JSON Schema helpers, and the `validate`
//! and `list` documents. This file holds what they all use: a quantity ([`Qty`]) and
//! the pretty-printing every JSON output of ketacalc ends with.

mod batch;
mod controlled;
mod infusion;
mod list;
mod schema;
mod validate;

use crate::number::{Shown, plain};
use schemars::JsonSchema;
use serde::Serialize;

pub use batch::schema;
pub(crate) use batch::{BatchDto, BudDto, bud, document, render};
pub(crate) use infusion::{DoseRateDto, InfusionAsMeasuredDto, OtherDoseDto, StartByDto, weight};
pub use list::{ListEntry, list};
pub(crate) use schema::{basis, one_of, schema_of};
pub use validate::{DiagnosticDto, validate};

/// A quantity, `{"value": "...", "unit": "..."}`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Quantity")]
pub struct Qty {
    /// A decimal string without exponent, normalized when exact; when rounded, with the places of its step.
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]+)?$"))]
    value: String,
    /// The canonical unit (`mg`, `g`, `mL`, `mg/mL`, `%w/w`, `units`, ...): convert, never assume one.
    #[schemars(length(min = 1))]
    unit: String,
}

impl From<Shown> for Qty {
    fn from(s: Shown) -> Self {
        Qty { value: s.value, unit: s.unit }
    }
}

/// A quantity in a unit of its own (`mg/h`, `mL/kg`): exact, normalized.
pub(crate) fn per(v: rust_decimal::Decimal, unit: &str) -> Qty {
    Qty { value: plain(v), unit: unit.to_string() }
}

/// A JSON document, pretty-printed, with a final line break: how every JSON output of
/// ketacalc ends.
pub(crate) fn to_pretty<T: Serialize>(v: &T) -> String {
    // Serializing these plain structs cannot fail; fall back to an empty object rather
    // than panic.
    let mut out = serde_json::to_string_pretty(v).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}
