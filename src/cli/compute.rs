//! From the command line's batch options, or a batch file (`--from`, SPEC §14.1), to a
//! computed batch: the formula resolved and loaded, the request read, the batch computed,
//! and every error on the way rendered where it lies (the batch file, the formula file or
//! the flag), with the files `-o` must not overwrite.

use ketacalc::calc::{self, CalcError};
use ketacalc::codes::Code;
use ketacalc::formula::{Diagnostic, Formula, Located};
use ketacalc::formulary::{FormulaFile, Formulary, is_path_like, read_limited};
use ketacalc::report::{self, Source};
use ketacalc::request::{Clock, Flag, Flags, FormulaOf, Request, RequestError, Syntax};

use super::args::BatchOptions;
use super::{Failure, errors_in, load, resolve};

/// Renders a calculation error worded for `syntax`, pointing into the formula file when it
/// lies there.
fn calc_failure(e: &CalcError, syntax: Syntax, formula: &Formula, file: &FormulaFile) -> Failure {
    let text = String::from_utf8_lossy(&file.bytes);
    let located =
        e.span(formula).map(|span| Located::new(&text, Diagnostic::error(Code::Calculation, "", span)));
    let (message, help) = syntax.explain(e);
    Failure::new(report::diagnostics::error(
        &message,
        located.as_ref().map(|l| (file.path.as_str(), l)),
        help.as_deref(),
    ))
}

/// Renders an error of the command line's options: a usage error (status 2) for an option
/// the dosage form has no use for, else bad input.
fn request_failure(e: &RequestError) -> Failure {
    let text = report::diagnostics::error(&e.to_string(), None, e.help().as_deref());
    if e.is_usage() { Failure::usage(text) } else { Failure::new(text) }
}

/// The batch options as the library reads them, each with its flag's name.
fn flags(b: &BatchOptions) -> Flags<'_> {
    fn one<'a>(name: &'a str, v: &'a Option<String>) -> Option<Flag<'a>> {
        v.as_deref().map(|value| Flag { name, value })
    }
    fn many<'a>(name: &'a str, v: &'a [String]) -> Vec<Flag<'a>> {
        v.iter().map(|value| Flag { name, value }).collect()
    }
    Flags {
        syntax: Syntax::Flags,
        quantity: one("--quantity", &b.quantity),
        overage: one("--overage", &b.overage),
        strength: many("--strength", &b.strength),
        assay: many("--assay", &b.assay),
        lod: many("--lod", &b.lod),
        lot: many("--lot", &b.lot),
        expiry: many("--expiry", &b.expiry),
        vendor: many("--vendor", &b.vendor),
        date: one("--date", &b.date),
        batch_id: one("--batch-id", &b.batch_id),
        readability: one("--readability", &b.readability),
        min_weight: one("--min-weight", &b.min_weight),
        fill: one("--fill", &b.fill),
        min_volume: one("--min-volume", &b.min_volume),
        weight: one("--weight", &b.weight),
        dose: one("--dose", &b.dose),
        duration: one("--duration", &b.duration),
        bag: one("--bag", &b.bag),
        time: one("--time", &b.time),
        max: one("--max", &b.max),
        authorized_by: one("--authorized-by", &b.authorized_by),
    }
}

/// A computed batch, what it was computed from, and the files `-o` must not overwrite.
pub(super) struct Computed {
    pub(super) formula: Formula,
    pub(super) source: Source,
    pub(super) batch: calc::Batch,
    pub(super) inputs: Vec<(std::path::PathBuf, &'static str)>,
    /// From a batch file: the file as read, its text and the batch's options.
    pub(super) request: Option<(ketacalc::request::BatchFile, String, ketacalc::calc::Options)>,
}

/// Resolves, loads and computes the batch that `b` describes: from a batch file with
/// `--from`, else from the formula and the flags.
pub(super) fn compute(formulary: &Formulary, b: &BatchOptions) -> Result<Computed, Failure> {
    let formula = match (&b.from, &b.formula) {
        (Some(from), formula) => return compute_from(formulary, from, formula.as_deref(), &flags(b)),
        (None, Some(f)) => f,
        // clap requires one of them.
        (None, None) => {
            return Err(Failure::usage(report::diagnostics::error(
                "give a formula, or `--from FILE`",
                None,
                None,
            )));
        }
    };
    let file = resolve(formulary, formula)?;
    let (formula_record, source) = load(&file)?;
    // The first problem; an option the dosage form has no use for is a usage error (SPEC §8.3).
    let request =
        Request::read(&formula_record, &flags(b), &Clock::System).map_err(|errors| match errors.first() {
            Some(e) => request_failure(e),
            None => Failure::new(report::diagnostics::error("the batch options cannot be read", None, None)),
        })?;
    let batch = request
        .compute(&formula_record)
        .map_err(|e| calc_failure(&e, request.syntax, &formula_record, &file))?;
    let inputs = input_file(formulary, formula, None).into_iter().map(|p| (p, "formula file")).collect();
    Ok(Computed { formula: formula_record, source, batch, inputs, request: None })
}

/// `--from FILE`: the formula and every batch option from the batch file (SPEC §14.1). A
/// formula or a batch option on the command line as well is a usage error.
pub(super) fn compute_from(
    formulary: &Formulary,
    from: &std::path::Path,
    formula: Option<&str>,
    flags: &Flags<'_>,
) -> Result<Computed, Failure> {
    let shown = from.display().to_string();
    if let Some(formula) = formula {
        return Err(Failure::usage(report::diagnostics::error(
            &format!("`{formula}` and `--from {shown}` both name the formula"),
            None,
            Some(&format!("give the formula in one place: its id or path, or `formula` in `{shown}`")),
        )));
    }
    if let Some(f) = flags.all().first() {
        let key = f.name.trim_start_matches('-').replace('-', "_");
        return Err(Failure::usage(report::diagnostics::error(
            &format!("`{}` is given as well as `--from {shown}`, which gives every batch option", f.name),
            None,
            Some(&format!(
                "write it in `{shown}` (`{key} = …`), or give the formula and its options as flags"
            )),
        )));
    }
    let bytes = read_limited(from)?;
    let text = String::from_utf8_lossy(&bytes);
    let r = ketacalc::request::resolve(from, &bytes, formulary, &Clock::System);
    let errors: Vec<Diagnostic> = r.diagnostics.into_iter().filter(Diagnostic::is_error).collect();
    let (formula_file, formula) = match r.formula {
        FormulaOf::Loaded(ff, f) if errors.is_empty() => (ff, f),
        other => {
            let mut out = errors_in(&shown, &text, errors, r.omitted);
            // The formula's own errors, where they are.
            if let FormulaOf::Invalid(ff, l) = other {
                let ftext = String::from_utf8_lossy(&ff.bytes);
                let ferrors = l.diagnostics.into_iter().filter(Diagnostic::is_error).collect();
                out.push_str(&errors_in(&ff.path, &ftext, ferrors, l.omitted));
            }
            return Err(Failure::new(out));
        }
    };
    let Some(request) = r.request else {
        return Err(Failure::new(report::diagnostics::error(
            &format!("`{shown}` cannot be read"),
            None,
            None,
        )));
    };
    let batch = request.compute(&formula).map_err(|e| match r.file.locate(&e) {
        Some(_) => {
            let code = Code::ImpossibleBatch;
            let d = r.file.diagnostic(&e, code);
            let l = Located::new(&text, d);
            Failure::new(report::diagnostics::error(
                &l.diagnostic.message,
                Some((&shown, &l)),
                l.diagnostic.help.as_deref(),
            ))
        }
        None => calc_failure(&e, Syntax::File, &formula, &formula_file),
    })?;
    let source = Source::of_file(&formula_file);
    let mut inputs = vec![(from.to_path_buf(), "batch file")];
    let reference = r.file.formula.as_ref().map(|f| f.value.as_str()).unwrap_or_default();
    inputs.extend(input_file(formulary, reference, Some(from)).map(|p| (p, "formula file")));
    let request = Some((r.file, text.into_owned(), request.options));
    Ok(Computed { formula, source, batch, inputs, request })
}

/// The file the formula came from, which `-o` must not overwrite: a path (relative to the
/// batch file `beside`, when it comes from one), or the id's file in a formulary folder.
fn input_file(
    formulary: &Formulary,
    formula: &str,
    beside: Option<&std::path::Path>,
) -> Option<std::path::PathBuf> {
    if is_path_like(formula) {
        let dir = beside.and_then(std::path::Path::parent).unwrap_or_else(|| std::path::Path::new(""));
        Some(dir.join(formula))
    } else {
        match formulary {
            Formulary::Dir(d) => Some(d.join(format!("{formula}.toml"))),
            Formulary::BuiltIn => None,
        }
    }
}
