//! A batch file (SPEC §14.1) the ways the command line takes it: `validate` (the file
//! read and held to its formula, its batch computed, every diagnostic located and
//! rendered in each of `validate`'s formats), and `batch --from` / `label --from` (the
//! same file resolved, its errors rendered as those commands print them, and a clean
//! file's batch computed from its options and rendered in every worksheet and label
//! format), and `record` (SPEC §14.2: its readings held to that batch, and the record in
//! every format, or the errors it gives).
//!
//! Input layout: the batch file, then (optionally) a line holding only `%%`, then a
//! formula file. The formula file is written as `formula.toml` in a folder of its own,
//! where the batch file lies, so that `formula = "formula.toml"` names it; a built-in id
//! (`formula = "ketamine-hcl-troche-50"`) names a built-in formula. A path that could leave
//! that folder (absolute, or with `..`) is not fuzzed: a run reads no file of the machine.
//!
//! A batch without a `date` is compounded on 2026-11-26, an infusion without a `time` at
//! 09:00, in UTC (the other targets' date and time), so that a run does not depend on
//! the clock or the machine's time zone; `validate` checks on its own fixed date
//! ([`ketacalc::request::REFERENCE_DATE`]).
#![no_main]

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use ketacalc::formula::{Diagnostic, Located, Omitted};
use ketacalc::formulary::Formulary;
use ketacalc::report::{self, Format, LabelFormat, Layout, RecordFormat, Report, Source, diagnostics, json};
use ketacalc::codes::Code;
use ketacalc::request::{self, Clock, FormulaOf, Syntax};
use ketacalc::record;
use libfuzzer_sys::fuzz_target;

const DATE: jiff::civil::Date = jiff::civil::date(2026, 11, 26);
const TIME: jiff::civil::Time = jiff::civil::time(9, 0, 0, 0);

fn split(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    let sep = b"\n%%\n";
    match data.windows(sep.len()).position(|w| w == sep) {
        Some(i) => (&data[..i.saturating_add(1)], Some(&data[i + sep.len()..])),
        None => (data, None),
    }
}

/// This process's folder for the batch file and its formula file (one per process, so
/// that `-fork` and `-jobs` runs do not share it).
fn folder() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("ketacalc-fuzz-batchfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder for the fuzzed files");
        dir
    })
}

/// Returns true if and only if the batch file names its formula by a path that could
/// lead out of its folder. The document is read as the library reads it (`formula` at
/// the top level, a string), before any of the library's own checks of the value.
fn leaves_folder(text: &str) -> bool {
    let Ok(doc) = toml::de::DeTable::parse(text) else { return false };
    let Some(reference) = doc.get_ref().get("formula").and_then(|v| v.get_ref().as_str()) else {
        return false;
    };
    Path::new(reference).components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
}

/// What `validate FILE` prints, in each of its formats.
fn validate(path: &str, bytes: &[u8]) {
    let r = ketacalc::validate::check_in(path, bytes, None, &Formulary::BuiltIn);
    let (errors, warnings) = r.counts();
    let mut dtos = Vec::new();
    for l in &r.diagnostics {
        let _ = diagnostics::diagnostic(&r.path, l);
        let _ = report::github::diagnostic(&r.path, l);
        dtos.push(json::DiagnosticDto::new(&r.path, l));
    }
    let _ = diagnostics::summary(1, errors, warnings);
    let _ = json::validate(1, errors, warnings, &dtos);
    let located: Vec<(String, Located)> = r.diagnostics.into_iter().map(|l| (r.path.clone(), l)).collect();
    let _ = report::sarif::render(&located);
}

/// The errors of a file as `batch --from` prints them, each at its place.
fn render_errors(path: &str, text: &str, errors: Vec<Diagnostic>, omitted: Omitted) {
    let _ = ketacalc::validate::counts(&errors, omitted);
    for l in Located::all(text, errors) {
        let d = &l.diagnostic;
        let _ = diagnostics::error(&d.message, Some((path, &l)), d.help.as_deref());
    }
}

/// `batch --from FILE` and `label --from FILE`.
fn from(path: &Path, bytes: &[u8]) {
    let shown = path.display().to_string();
    let text = String::from_utf8_lossy(bytes);
    let clock = Clock::At { date: DATE, time: TIME, zone: jiff::tz::TimeZone::UTC };
    let r = request::resolve(path, bytes, &Formulary::BuiltIn, &clock);
    let errors: Vec<Diagnostic> = r.diagnostics.into_iter().filter(Diagnostic::is_error).collect();
    let (formula_file, formula) = match r.formula {
        FormulaOf::Loaded(ff, f) if errors.is_empty() => (ff, f),
        other => {
            render_errors(&shown, &text, errors, r.omitted);
            match other {
                FormulaOf::Invalid(ff, l) => {
                    let ftext = String::from_utf8_lossy(&ff.bytes);
                    let ferrors = l.diagnostics.into_iter().filter(Diagnostic::is_error).collect();
                    render_errors(&ff.path, &ftext, ferrors, l.omitted);
                }
                FormulaOf::NotFound(e) => {
                    let _ = (e.to_string(), e.help());
                }
                FormulaOf::NotNamed | FormulaOf::Loaded(..) => {}
            }
            return;
        }
    };
    // A file without errors has its options: `batch --from` would otherwise refuse it
    // with no error to say why.
    let Some(request) = r.request else { panic!("a batch file without errors and without options") };
    let batch = match request.compute(&formula) {
        Ok(b) => b,
        Err(e) => {
            match r.file.locate(&e) {
                Some(_) => {
                    let d = r.file.diagnostic(&e, Code::ImpossibleBatch);
                    render_errors(&shown, &text, vec![d], Omitted::default());
                }
                None => {
                    let _ = Syntax::File.explain(&e);
                    let ftext = String::from_utf8_lossy(&formula_file.bytes);
                    if let Some(span) = e.span(&formula) {
                        let _ = Located::new(&ftext, Diagnostic::error(Code::Calculation, "", span));
                    }
                }
            }
            return;
        }
    };
    let source = Source::new(formula_file.path.clone(), &formula_file.bytes);
    for (width, explain) in [(80, true), (100, false)] {
        let layout = Layout { width, color: false };
        let r = Report { formula: &formula, source: &source, batch: &batch, explain, layout };
        for format in [Format::Table, Format::Json, Format::Markdown, Format::Html, Format::Csv] {
            let _ = report::worksheet(format, &r);
        }
        for format in [LabelFormat::Text, LabelFormat::Html, LabelFormat::Json] {
            let _ = report::label(format, &r);
        }
    }
    // `record FILE`: the same batch, and what the file read.
    match record::compute(&formula, &request.options, &batch, &r.file) {
        Ok(rec) => {
            let layout = Layout { width: 100, color: false };
            let r = Report { formula: &formula, source: &source, batch: &batch, explain: false, layout };
            for format in
                [RecordFormat::Table, RecordFormat::Json, RecordFormat::Markdown, RecordFormat::Html]
            {
                let _ = report::record(format, &r, &rec);
            }
        }
        Err(errors) => render_errors(&shown, &text, errors, Omitted::default()),
    }
}

fuzz_target!(|data: &[u8]| {
    let (batch, formula) = split(data);
    if leaves_folder(&String::from_utf8_lossy(batch)) {
        return;
    }
    let dir = folder();
    let formula_path = dir.join("formula.toml");
    // The folder holds the input's formula file, or nothing: never an earlier input's.
    match formula {
        Some(bytes) => std::fs::write(&formula_path, bytes).expect("the formula file written"),
        None => match std::fs::remove_file(&formula_path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => panic!("the formula file removed: {e}"),
            _ => {}
        },
    }
    let path = dir.join("batch.toml");
    // The library's loader on its own, as `request::resolve` does not call it.
    let text = String::from_utf8_lossy(batch);
    let loaded = request::load_str(&text);
    let _ = (loaded.has_errors(), loaded.file.flags().all().len());
    let _ = Located::all(&text, loaded.diagnostics);
    validate(&path.display().to_string(), batch);
    from(&path, batch);
});
