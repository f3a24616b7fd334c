//! `validate`: every diagnostic of a formula file, including the ones only a dry run of
//! its reference batch can find (a qs that comes out zero or negative, a concentration
//! above its solubility); of a batch file (SPEC §14.1), held to its formula and its batch
//! computed ([`check_in`]); and a set of files checked as a whole ([`check_paths`]): in
//! path order, no two formulas with one id, no path that holds no formula file (SPEC §11).

mod batch;
mod set;

use std::path::Path;

use crate::calc::{self, CalcError, Options};
use crate::codes::Code;
use crate::formula::{Diagnostic, Formula, Located, Omitted, TOO_MANY, load_bytes_unless};

use crate::formulary::{Formulary, FormularyError};

pub use set::{check_files, check_paths};

/// A formula's id as its file states it, and where: enough to place a diagnostic at it
/// later (a second file with the same id) without keeping the file's text.
#[derive(Debug, Clone)]
pub struct StatedId {
    /// The id.
    pub id: String,
    /// The 1-based line it is on.
    pub line: usize,
    /// That line's text.
    pub line_text: String,
    /// The id's byte range within `line_text`.
    pub span: std::ops::Range<usize>,
}

impl StatedId {
    fn new(text: &str, id: String, span: std::ops::Range<usize>) -> StatedId {
        let (line_text, start) = crate::formula::line_at(text, span.start);
        let (line, _) = crate::formula::line_col(text, start);
        let within = span.start.saturating_sub(start)..span.end.saturating_sub(start);
        StatedId { id, line, line_text: line_text.to_string(), span: within }
    }

    /// `d` placed at the id.
    pub fn locate(&self, d: Diagnostic) -> Located {
        let d = Diagnostic { span: Some(self.span.clone()), ..d };
        Located { line: self.line, ..Located::new(&self.line_text, d) }
    }
}

/// The diagnostics of one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file as shown to people.
    pub path: String,
    /// Its diagnostics, located, in file order: at most about
    /// [`MAX_DIAGNOSTICS`](crate::formula::MAX_DIAGNOSTICS), then one
    /// [`TOO_MANY`] diagnostic when more were found.
    pub diagnostics: Vec<Located>,
    /// The diagnostics found but left out of `diagnostics`.
    pub omitted: Omitted,
    /// The id the file states (a valid one), even when the file has errors.
    pub id: Option<StatedId>,
}

impl FileReport {
    /// Returns true if and only if any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|l| l.diagnostic.is_error())
    }

    /// The numbers of errors and warnings found in the file, those left out of the
    /// report included (and the diagnostic that says so not counted).
    pub fn counts(&self) -> (usize, usize) {
        counts(self.diagnostics.iter().map(|l| &l.diagnostic), self.omitted)
    }

    fn single(path: String, d: Diagnostic) -> FileReport {
        FileReport { path, diagnostics: vec![Located::new("", d)], omitted: Omitted::default(), id: None }
    }

    /// Adds a located diagnostic, in file order (before the one that counts those left
    /// out).
    fn add(&mut self, l: Located) {
        let place = self
            .diagnostics
            .iter()
            .position(|x| x.diagnostic.code == TOO_MANY || (x.line, x.column) > (l.line, l.column))
            .unwrap_or(self.diagnostics.len());
        self.diagnostics.insert(place, l);
    }
}

/// The numbers of errors and warnings among `diagnostics` and those `omitted` from them
/// (the [`TOO_MANY`] diagnostic that says so not counted).
pub fn counts<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>, omitted: Omitted) -> (usize, usize) {
    let (mut errors, mut warnings) = (omitted.errors, omitted.warnings);
    for d in diagnostics.into_iter().filter(|d| d.code != TOO_MANY) {
        if d.is_error() {
            errors = errors.saturating_add(1);
        } else {
            warnings = warnings.saturating_add(1);
        }
    }
    (errors, warnings)
}

/// The error of a file whose id is not its file name's stem.
pub fn id_mismatch(id: &str, stem: &str, span: std::ops::Range<usize>) -> Diagnostic {
    // The stem is a file name: shown on one line, whatever it holds (SPEC §11.2).
    let stem = crate::hidden::escape_line(stem);
    Diagnostic::error(Code::IdMismatch, format!("id `{id}` does not match the file name `{stem}.toml`"), span)
        .with_help(format!("rename the file to `{id}.toml`, or write `id = \"{stem}\"`"))
}

/// Checks one file's bytes, a formula file or a batch file, with the formula ids of batch
/// files in the built-in formulary (see [`check_in`]).
pub fn check(path: &str, bytes: &[u8], expected_id: Option<&str>) -> FileReport {
    check_in(path, bytes, expected_id, &Formulary::BuiltIn)
}

/// Checks one file's bytes: a batch file (a file with a top-level `formula` key) against
/// its formula, found in `formulary` or beside it; else a formula file. `expected_id` is
/// the file stem when the file is inside a formulary folder (a file given by path is not
/// held to it). The id is held to the stem whenever the file states a valid one, so that
/// a mismatch is reported with the file's other errors, not only once they are fixed.
pub fn check_in(path: &str, bytes: &[u8], expected_id: Option<&str>, formulary: &Formulary) -> FileReport {
    // A formula file is parsed once, and only a file whose TOML has a top-level `formula`
    // key is looked at as a batch file (text search, then a parse of its own).
    let Some((loaded, text)) = load_bytes_unless(bytes, "formula", crate::request::is_batch_file) else {
        return batch::check(path, bytes, formulary);
    };
    let omitted = loaded.omitted;
    let mut diags = loaded.diagnostics;
    if let (Some((id, span)), Some(stem)) = (&loaded.id, expected_id)
        && id != stem
    {
        diags.push(id_mismatch(id, stem, span.clone()));
    }
    if let Some(f) = &loaded.formula {
        diags.extend(dry_run(f));
    }
    // The count of those left out stays last.
    diags.sort_by_key(|d| (d.code == TOO_MANY, d.span.as_ref().map_or(0, |s| s.start), d.severity));
    // The text is only needed to place diagnostics and the id; the loader has decoded it
    // unless it is not UTF-8 (or too large to be read).
    let text = text.map_or_else(|| String::from_utf8_lossy(bytes), std::borrow::Cow::Borrowed);
    let id = loaded.id.map(|(id, span)| StatedId::new(&text, id, span));
    let diagnostics = if diags.is_empty() { Vec::new() } else { Located::all(&text, diags) };
    FileReport { path: path.to_string(), diagnostics, omitted, id }
}

/// Computes the reference batch (for an infusion, the bag for a 70 kg patient) and turns
/// what it refuses into diagnostics at the offending amount.
pub fn dry_run(formula: &Formula) -> Vec<Diagnostic> {
    // The date only matters for the beyond-use date, which cannot fail here.
    let date = jiff::civil::date(2000, 1, 1);
    let mut options = Options::new(date);
    if formula.infusion.is_some() {
        // An infusion's reference patient: 70 kg, compounded at midnight UTC.
        let kg = rust_decimal::Decimal::from(70);
        let given = crate::quantity::Quantity::new(kg, crate::unit::Unit::KG);
        options.infusion.weight = Some(calc::Weight { given, kg: crate::measure::BodyWeight::from_kg(kg) });
        options.infusion.time = Some(jiff::civil::Time::midnight());
        options.infusion.zone = jiff::tz::TimeZone::UTC;
    } else if formula.batch_quantity.is_none() {
        return Vec::new();
    }
    match calc::compute(formula, &options) {
        Ok(batch) => batch
            .warnings
            .iter()
            .filter(|w| w.code == Code::NearSolubility)
            .filter_map(|w| {
                let ing = formula.ingredient(w.ingredient.as_deref()?)?;
                Some(Diagnostic::warning(
                    Code::NearSolubility,
                    w.message.to_string(),
                    ing.amount_span.clone(),
                ))
            })
            .collect(),
        Err(e) => {
            let code = match e {
                CalcError::OverCapacity { .. } => Code::QsNotPositive,
                CalcError::AboveSolubility { .. } => Code::AboveSolubility,
                _ => Code::Calculation,
            };
            let span = e.span(formula).unwrap_or(formula.batch_span.clone());
            // Worded as the command line would: `batch FORMULA` computes this batch.
            let (message, help) = crate::request::Syntax::Flags.explain(&e);
            vec![Diagnostic::error(code, format!("reference batch: {message}"), span).with_help_opt(help)]
        }
    }
}

fn read_error(path: &Path, e: FormularyError) -> FileReport {
    let code = match e {
        FormularyError::TooLarge { .. } => Code::FileTooLarge,
        FormularyError::OutsideFormulary { .. } => Code::LinkOutside,
        _ => Code::Unreadable,
    };
    let help = e.help();
    FileReport::single(
        path.display().to_string(),
        Diagnostic::file_error(code, e.to_string()).with_help_opt(help),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a file that `request::is_batch_file` takes for a batch file is checked as one:
    /// a top-level `formula` table, or a key that only the TOML parser sees as
    /// `formula`, leaves a formula file (with its unknown-key error).
    #[test]
    fn a_file_is_a_batch_file_exactly_when_is_batch_file_says_so() {
        let files = [
            ("formula = \"ketamine-hcl-troche-50\"\nquantity = \"60\"\n", true),
            ("'formula' = \"ketamine-hcl-troche-50\"\n", true),
            ("formula.x = 1\n", false),
            ("[formula]\nx = 1\n", false),
            ("\"formul\\u0061\" = \"ketamine-hcl-troche-50\"\n", false),
            ("id = \"x\"\n", false),
            ("formula = \n", false),
        ];
        for (text, batch) in files {
            assert_eq!(crate::request::is_batch_file(text), batch, "{text}");
            let loaded = load_bytes_unless(text.as_bytes(), "formula", crate::request::is_batch_file);
            assert_eq!(loaded.is_none(), batch, "{text}");
            if let Some((l, _)) = loaded {
                assert_eq!(
                    format!("{:?}", l.diagnostics),
                    format!("{:?}", crate::formula::load_bytes(text.as_bytes()).diagnostics)
                );
            }
        }
    }

    #[test]
    fn every_built_in_formula_is_clean() {
        let mut reports = Vec::new();
        let n = check_files(crate::formulary::built_in(), &Formulary::BuiltIn, &mut |r| reports.push(r));
        assert_eq!(n, 10);
        for r in reports {
            assert!(r.diagnostics.is_empty(), "{}: {:?}", r.path, r.diagnostics);
        }
    }
}
