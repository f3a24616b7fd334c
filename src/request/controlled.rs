//! `[controlled.ID]` (SPEC §14.1): a scheduled ingredient's stock container before and
//! after, what left it in no reading, the witness, and a tolerance of its own.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::actual::measured;
use super::format::CONTROLLED;
use super::load::{by_id, one_line, only_tables};
use super::{At, Figure};
use crate::formula::{Diagnostic, TableReader};
use crate::measure::Measured;

/// The C-III stock readings of one ingredient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockRecord {
    /// The ingredient, at its key.
    pub id: At<String>,
    /// The stock before: a mass on the batch's balance, or a volume for a stock solution.
    pub stock_before: Option<Figure<Measured>>,
    /// The stock after.
    pub stock_after: Option<Figure<Measured>>,
    /// What left the stock and is in no reading (a spill, a rejected weighing).
    pub waste: Option<Figure<Measured>>,
    /// Who witnessed the waste.
    pub witness: Option<At<String>>,
    /// The largest difference that reconciles, when not the default of SPEC §14.2.
    pub reconcile_tolerance: Option<Figure<Measured>>,
    /// The table's place.
    pub span: Range<usize>,
}

impl StockRecord {
    /// The stock readings given, in the table's order.
    pub fn figures(&self) -> impl Iterator<Item = (&'static str, &Figure<Measured>)> {
        [
            ("stock_before", &self.stock_before),
            ("stock_after", &self.stock_after),
            ("waste", &self.waste),
            ("reconcile_tolerance", &self.reconcile_tolerance),
        ]
        .into_iter()
        .filter_map(|(k, f)| f.as_ref().map(|f| (k, f)))
    }
}

/// What a stock reading is written as, for messages.
const STOCK: &str = "a mass, like `25.0312 g`, or for a stock solution a volume, like `20 mL`";

pub(super) fn read(t: &DeTable<'_>, span: Range<usize>, diags: &mut Vec<Diagnostic>) -> Vec<StockRecord> {
    let all = TableReader::new(t, span, &CONTROLLED).labelled("[controlled]".to_string());
    let mut out = Vec::new();
    for (id, value) in by_id(t, &only_tables) {
        let DeValue::Table(ct) = value.get_ref() else {
            all.wrong_type(&id.value, value, "a table of the stock's readings", diags);
            continue;
        };
        let mut r =
            TableReader::new(ct, value.span(), &CONTROLLED).labelled(format!("[controlled.{}]", id.value));
        let mut figure = |key: &'static str, r: &mut TableReader<'_, '_>| {
            r.opt_parsed(key, diags, |s| measured(s, STOCK)).map(|((written, value), span)| Figure {
                written,
                value,
                span,
            })
        };
        let stock_before = figure("stock_before", &mut r);
        let stock_after = figure("stock_after", &mut r);
        let waste = figure("waste", &mut r);
        let reconcile_tolerance = figure("reconcile_tolerance", &mut r);
        let witness = r
            .opt_str("witness", diags)
            .and_then(|t| one_line("witness", t, diags))
            .map(|t| At { value: t.value, span: t.span });
        r.finish(diags);
        out.push(StockRecord {
            id,
            stock_before,
            stock_after,
            waste,
            witness,
            reconcile_tolerance,
            span: value.span(),
        });
    }
    out
}
