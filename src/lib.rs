//! ketacalc: exact compounding calculations for ketamine preparations.
//!
//! The library reads master formulation records (TOML), validates them with located
//! diagnostics, computes batches with exact decimal arithmetic, and renders worksheets.
//! It never prints; the `ketacalc` binary is a thin front end over it.
//!
//! ```
//! use ketacalc::calc::{self, Options};
//! use ketacalc::formula::load_str;
//!
//! let text = r#"
//! format = 1
//! id = "ketamine-hcl-troche-50"
//! name = "Ketamine HCl 50 mg Troche"
//! revision = 1
//! dosage_form = "troche"
//! route = "buccal"
//! water = "nonaqueous"
//! storage = "room-temperature"
//!
//! [batch]
//! quantity = "30"
//! overage = "2 units"
//!
//! [mold]
//! blank_weight = "1.000 g"
//!
//! [[ingredients]]
//! id = "ketamine-hcl"
//! name = "Ketamine Hydrochloride USP"
//! role = "active"
//! amount = "50 mg/troche"
//! basis = "salt"
//! schedule = "CIII"
//! displacement_factor = "0.70"
//!
//! [[ingredients]]
//! id = "troche-base"
//! name = "PEG troche base"
//! role = "base"
//! amount = "qs"
//! "#;
//! let formula = load_str(text).formula.ok_or("the formula has errors")?;
//! let batch = calc::compute(&formula, &Options::new(jiff::civil::date(2026, 11, 26)))?;
//! // 32 cavities × 1 g − 0.70 × 1.6 g of ketamine HCl = 30.88 g of base (in mg).
//! assert_eq!(batch.compounded().and_then(|c| c.qs.weigh).map(|m| m.to_string()), Some("30880 mg".to_string()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Layers, each depending only on those after it: [`report`] (rendering) → [`validate`]
//! → [`record`] (the completed record, SPEC §14.2) → [`request`] (batch files, SPEC
//! §14.1) → [`calc`] (the batch engine), [`tools`] (the
//! pharmacy calculations beyond a batch, SPEC §9) → [`formula`] (the record and its loader) and
//! [`formulary`] (finding files) → [`quantity`], [`unit`](mod@unit), [`rounding`], [`arith`]
//! (numbers).
#![cfg_attr(test, allow(clippy::arithmetic_side_effects))]

pub mod arith;
pub mod calc;
pub mod codes;
mod digest;
pub mod files;
pub mod formula;
pub mod formulary;
pub mod hidden;
pub mod measure;
pub mod number;
mod pattern;
pub mod quantity;
pub mod record;
pub mod report;
pub mod request;
pub mod rounding;
pub mod schema;
pub mod tools;
pub mod unit;
pub mod validate;
