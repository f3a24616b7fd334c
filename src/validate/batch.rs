//! A batch file in `validate` (SPEC §14.1): read, held to the formula it names, its
//! batch computed, as `batch --from` would compute it, and its readings held to that
//! batch, as `record` holds them (SPEC §14.2); every problem at its place in the batch
//! file. A batch without a `date` is checked on [`REFERENCE_DATE`], an infusion
//! without a `time` at midnight UTC, so that a file checked today is checked the same way
//! tomorrow.

use std::path::Path;

use super::FileReport;
use crate::calc;
use crate::formula::{Diagnostic, Located, TOO_MANY};
use crate::formulary::Formulary;
use crate::request::{FormulaOf, REFERENCE_DATE, resolve};

pub(super) fn check(path: &str, bytes: &[u8], formulary: &Formulary) -> FileReport {
    let r = resolve(Path::new(path), bytes, formulary, Some(REFERENCE_DATE));
    let mut diags = r.diagnostics;
    if let (Some(mut options), FormulaOf::Loaded(_, formula)) = (r.options, &r.formula) {
        if formula.infusion.is_some() {
            options.infusion.time.get_or_insert(jiff::civil::Time::midnight());
            options.infusion.zone.get_or_insert(jiff::tz::TimeZone::UTC);
        }
        match calc::compute(formula, &options) {
            Err(e) => {
                let code = "impossible-batch";
                let d = r.file.diagnostic(&e, code);
                diags.push(Diagnostic { message: format!("the batch cannot be made: {}", d.message), ..d });
            }
            // The readings held to the batch, as `record` holds them (SPEC §14.2).
            Ok(batch) => {
                if let Err(errors) = crate::record::compute(formula, &options, &batch, &r.file) {
                    diags.extend(errors);
                }
            }
        }
    }
    diags.sort_by_key(|d| (d.code == TOO_MANY, d.span.as_ref().map_or(0, |s| s.start), d.severity));
    let text = String::from_utf8_lossy(bytes);
    let diagnostics = if diags.is_empty() { Vec::new() } else { Located::all(&text, diags) };
    FileReport { path: path.to_string(), diagnostics, omitted: r.omitted, id: None }
}
