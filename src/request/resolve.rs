//! A batch file from its bytes to the batch's options (SPEC §14.1): read it, find the
//! formula it names (an id in the formulary, or a path relative to the file's folder),
//! and hold it to that formula; every problem of the file at once, each at its place.

use std::path::Path;

use super::load::{named_formula, read};
use super::{BatchFile, Clock, Request};
use crate::codes::Code;
use crate::formula::{
    Diagnostic, Formula, Loaded, MAX_DIAGNOSTICS, Omitted, TOO_MANY, cap, load_bytes as load_formula,
    parse_toml, text_of,
};
use crate::formulary::{FormulaFile, Formulary, FormularyError, is_path_like, read_limited};

/// The formula a batch file names: a path (it ends in `.toml` or has a `/`) relative to
/// the batch file's folder, else an id in `formulary`.
pub fn formula_file(
    batch: &Path,
    reference: &str,
    formulary: &Formulary,
) -> Result<FormulaFile, FormularyError> {
    if !is_path_like(reference) {
        return formulary.get(reference);
    }
    let path = batch.parent().unwrap_or_else(|| Path::new("")).join(reference);
    let bytes = read_limited(&path)?;
    Ok(FormulaFile { path: path.display().to_string(), bytes: bytes.into(), expected_id: None, sha256: None })
}

/// What became of the formula a batch file names.
#[derive(Debug)]
pub enum FormulaOf {
    /// The file names none (its `formula` key is missing or has an error).
    NotNamed,
    /// It cannot be found or read.
    NotFound(FormularyError),
    /// It has errors.
    Invalid(FormulaFile, Loaded),
    /// It was loaded.
    Loaded(FormulaFile, Formula),
}

/// A batch file read, its formula found, and the file held to it.
#[derive(Debug)]
pub struct Resolved {
    /// What could be read of the file.
    pub file: BatchFile,
    /// The file's errors, in file order, those of its formula's finding among them:
    /// at most [`MAX_DIAGNOSTICS`](crate::formula::MAX_DIAGNOSTICS) and one that counts the rest.
    pub diagnostics: Vec<Diagnostic>,
    /// The diagnostics found but left out of `diagnostics`.
    pub omitted: Omitted,
    /// The formula.
    pub formula: FormulaOf,
    /// The batch's request, when the file has no error.
    pub request: Option<Request>,
}

/// Reads the batch file at `path` (its `bytes`), finds its formula in `formulary` (or
/// beside it) and holds it to it; a batch without a `date` (an infusion without a `time`)
/// is compounded when `clock` says.
pub fn resolve(path: &Path, bytes: &[u8], formulary: &Formulary, clock: &Clock) -> Resolved {
    let failed = |d: Diagnostic| Resolved {
        file: BatchFile::default(),
        diagnostics: vec![d],
        omitted: Omitted::default(),
        formula: FormulaOf::NotNamed,
        request: None,
    };
    let doc = match text_of(bytes, "batch files").and_then(parse_toml) {
        Ok(doc) => doc,
        Err(d) => return failed(d),
    };
    // The formula first, so that the file's help lines suggest values of its form.
    let found = named_formula(doc.get_ref()).map(|r| {
        formula_file(path, &r, formulary).map(|ff| {
            let l = load_formula(&ff.bytes);
            (ff, l)
        })
    });
    let form = match &found {
        Some(Ok((_, l))) => l.formula.as_ref().map(|f| f.dosage_form),
        _ => None,
    };
    let mut diags = Vec::new();
    let file = read(doc.get_ref(), form, &mut diags);
    let too_many = diags.len() > MAX_DIAGNOSTICS;
    let mut request = None;
    // A `formula` that is refused (not a string, a hidden character) is reported as such.
    let formula = match (found, &file.formula) {
        (Some(found), Some(at)) => match found {
            Err(e) => {
                let help = match e.help() {
                    None if is_path_like(&at.value) => {
                        Some("a path in `formula` is relative to the batch file's folder".to_string())
                    }
                    help => help,
                };
                diags.push(
                    Diagnostic::error(Code::UnknownFormula, e.to_string(), at.span.clone())
                        .with_help_opt(help),
                );
                FormulaOf::NotFound(e)
            }
            Ok((ff, l)) => match l.formula.clone() {
                Some(f) if !too_many => {
                    let checked = file.check(&f, clock);
                    diags.extend(checked.diagnostics);
                    request = checked.request.filter(|_| !diags.iter().any(Diagnostic::is_error));
                    FormulaOf::Loaded(ff, f)
                }
                Some(f) => FormulaOf::Loaded(ff, f),
                None => {
                    let shown = l.diagnostics.iter().filter(|d| d.is_error() && d.code != TOO_MANY).count();
                    let n = shown.saturating_add(l.omitted.errors);
                    let errors = if n == 1 { "1 error".to_string() } else { format!("{n} errors") };
                    diags.push(
                        Diagnostic::error(
                            Code::FormulaHasErrors,
                            format!("the formula `{}` has {errors}", ff.path),
                            at.span.clone(),
                        )
                        .with_help(format!("run `ketacalc validate {}`", ff.path)),
                    );
                    FormulaOf::Invalid(ff, l)
                }
            },
        },
        _ => FormulaOf::NotNamed,
    };
    diags.sort_by_key(|d| (d.span.as_ref().map_or(0, |s| s.start), d.severity));
    let omitted = cap(&mut diags, Omitted::default());
    Resolved { file, diagnostics: diags, omitted, formula, request }
}
