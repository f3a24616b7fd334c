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
mod cases;
mod ci;
mod cli;
mod help;
mod html;
mod label;
mod properties;
mod robustness;
mod schema;
mod snapshots;
mod tools;
mod worksheet;
