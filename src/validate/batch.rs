//! A batch file in `validate` (SPEC §14.1): read, held to the formula it names, its
//! batch computed, as `batch --from` would compute it, and its readings held to that
//! batch, as `record` holds them (SPEC §14.2); every problem at its place in the batch
//! file. A batch without a `date` is checked on
//! [`REFERENCE_DATE`](crate::request::REFERENCE_DATE), an infusion without a `time` at
//! midnight UTC ([`reference_clock`]), so that a file checked today is checked the same way
//! tomorrow.

use std::path::Path;

use super::FileReport;
use crate::formula::{Diagnostic, Located, TOO_MANY};
use crate::formulary::Formulary;
use crate::request::{FormulaOf, reference_clock, resolve};

pub(super) fn check(path: &str, bytes: &[u8], formulary: &Formulary) -> FileReport {
    let r = resolve(Path::new(path), bytes, formulary, &reference_clock());
    let mut diags = r.diagnostics;
    if let (Some(request), FormulaOf::Loaded(_, formula)) = (&r.request, &r.formula) {
        match request.compute(formula) {
            Err(e) => {
                let d = r.file.diagnostic(&e, crate::codes::Code::ImpossibleBatch);
                diags.push(Diagnostic { message: format!("the batch cannot be made: {}", d.message), ..d });
            }
            // The readings held to the batch, as `record` holds them (SPEC §14.2).
            Ok(batch) => {
                if let Err(errors) = crate::record::compute(formula, &request.options, &batch, &r.file) {
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
