//! The integration tests, in one binary (one link, one run).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

mod bad;
mod batch_file;
mod cases;
mod ci;
mod cli;
mod color;
mod completion;
mod containers;
mod docs;
mod followed;
mod help;
mod html;
mod iv;
mod iv_bud;
mod iv_json;
mod iv_properties;
mod iv_refusals;
mod iv_stock;
mod label;
mod limits;
mod measured;
mod measured_properties;
mod output_schema;
mod properties;
mod record;
mod record_properties;
mod robustness;
mod schema;
mod snapshots;
mod tools;
mod worksheet;
