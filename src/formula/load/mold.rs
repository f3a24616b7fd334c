//! `[mold]` (SPEC §2.1, §13): the calibrated weight of one cavity of a troche or RDT mold,
//! and how many cavities one mold has.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::DeTable;

use super::positive_base;
use crate::codes::Code;
use crate::formula::format;
use crate::formula::reader::TableReader;
use crate::formula::{Basis, Diagnostic, DosageForm};
use crate::quantity::Quantity;
use crate::unit::Dimension;

/// `[mold]` as read: the blank weight of one cavity (mg) and the cavities of one mold.
#[derive(Debug, Default)]
pub(crate) struct Mold {
    pub(crate) blank_weight: Option<Decimal>,
    pub(crate) cavities: Option<u64>,
}

pub(crate) fn read_mold(t: &DeTable<'_>, span: Range<usize>, diags: &mut Vec<Diagnostic>) -> Mold {
    let mut r = TableReader::new(t, span.clone(), &format::MOLD);
    let blank = r.opt_parsed("blank_weight", diags, |s| {
        Quantity::parse_dim(s, Dimension::Mass, "a mass, like `1.000 g`")
    });
    let cavities = r.opt_int("cavities", diags).and_then(|(n, at)| read_cavities(n, at, diags));
    let missing = !r.has("blank_weight");
    let misspelled = r.misspelled("blank_weight");
    r.finish(diags);
    if missing {
        if misspelled {
            return Mold { blank_weight: None, cavities };
        }
        diags
            .push(Diagnostic::error(Code::MissingKey, "missing key `blank_weight` in [mold]", span).with_help(
            "add `blank_weight = \"… g\"` with the calibrated weight of one cavity filled with base alone",
        ));
        return Mold { blank_weight: None, cavities };
    }
    let blank_weight = blank.and_then(|(q, span)| positive_base(&q, span, "blank_weight", diags));
    Mold { blank_weight, cavities }
}

/// `cavities`: a whole number from 1 to [`format::MAX_MOLD_CAVITIES`].
fn read_cavities(n: Decimal, at: Range<usize>, diags: &mut Vec<Diagnostic>) -> Option<u64> {
    let max = format::MAX_MOLD_CAVITIES;
    match u64::try_from(n).ok().filter(|c| (1..=max).contains(c)) {
        Some(c) => Some(c),
        None => {
            diags.push(
                Diagnostic::error(
                    Code::BadValue,
                    format!("`cavities = {n}` is not the cavities of one mold"),
                    at,
                )
                .with_help(format!("give the number of cavities one mold has, from 1 to {max}")),
            );
            None
        }
    }
}

/// `[mold]`: required for molded forms, refused for the others.
pub(crate) fn read_table(
    top: &mut TableReader<'_, '_>,
    form: Option<DosageForm>,
    root_span: &Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Mold {
    let Some((t, span)) = top.opt_table("mold", diags) else {
        if let Some(f) = form.filter(|f| f.basis() == Basis::Molded) {
            diags.push(
                Diagnostic::error(
                    Code::MissingMold,
                    format!("a `{f}` needs a `[mold]` table with the calibrated `blank_weight`"),
                    root_span.clone(),
                )
                .with_help(
                    "add `[mold]` with `blank_weight = \"… g\"`, the calibrated weight of one cavity of base",
                ),
            );
        }
        return Mold::default();
    };
    if form.is_some_and(|f| f.basis() != Basis::Molded) {
        diags.push(
            Diagnostic::error(
                Code::UnexpectedTable,
                "`[mold]` applies only to molded forms (troches, RDTs)",
                span.clone(),
            )
            .with_help("remove the `[mold]` table"),
        );
    }
    read_mold(t, span, diags)
}
