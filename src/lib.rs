//! ketacalc: exact compounding calculations for ketamine preparations.
#![cfg_attr(test, allow(clippy::arithmetic_side_effects))]

pub mod arith;
pub mod quantity;
pub mod rounding;
pub mod unit;
pub mod formula;
pub mod calc;
pub mod report;
pub mod formulary;
pub mod validate;
