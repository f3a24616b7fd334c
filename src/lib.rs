//! ketacalc: exact compounding calculations for ketamine preparations.
#![cfg_attr(test, allow(clippy::arithmetic_side_effects))]

pub mod arith;
pub mod calc;
pub mod formula;
pub mod formulary;
pub mod quantity;
pub mod report;
pub mod rounding;
pub mod unit;
pub mod validate;
