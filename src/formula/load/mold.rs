//! `[mold]` (SPEC §2.1): the calibrated weight of one cavity of a troche or RDT mold.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::DeTable;

use super::positive_base;
use crate::formula::format;
use crate::formula::reader::TableReader;
use crate::formula::{Basis, Diagnostic, DosageForm};
use crate::quantity::Quantity;
use crate::unit::Dimension;

pub(crate) fn read_mold(t: &DeTable<'_>, span: Range<usize>, diags: &mut Vec<Diagnostic>) -> Option<Decimal> {
    let mut r = TableReader::new(t, span.clone(), &format::MOLD);
    let blank = r.opt_parsed("blank_weight", diags, |s| {
        Quantity::parse_dim(s, Dimension::Mass, "a mass, like `1.000 g`")
    });
    let missing = !r.has("blank_weight");
    r.finish(diags);
    if missing {
        diags.push(
            Diagnostic::error("missing-key", "missing key `blank_weight` in [mold]", span)
                .with_help("add `blank_weight = \"1.000 g\"` (the calibrated weight of one cavity of base)"),
        );
        return None;
    }
    let (q, span) = blank?;
    positive_base(&q, span, "blank_weight", diags)
}

/// `[mold]`: required for molded forms, refused for the others.
pub(crate) fn read_table(
    top: &mut TableReader<'_, '_>,
    form: Option<DosageForm>,
    root_span: &Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Decimal> {
    let Some((t, span)) = top.opt_table("mold", diags) else {
        if let Some(f) = form.filter(|f| f.basis() == Basis::Molded) {
            diags.push(
                Diagnostic::error(
                    "missing-mold",
                    format!("a `{f}` needs a `[mold]` table with the calibrated `blank_weight`"),
                    root_span.clone(),
                )
                .with_help("add `[mold]` with `blank_weight = \"1.000 g\"`"),
            );
        }
        return None;
    };
    if form.is_some_and(|f| f.basis() != Basis::Molded) {
        diags.push(
            Diagnostic::error(
                "unexpected-table",
                "`[mold]` applies only to molded forms (troches, RDTs)",
                span.clone(),
            )
            .with_help("remove the `[mold]` table"),
        );
    }
    read_mold(t, span, diags)
}
