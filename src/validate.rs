//! `validate`: every diagnostic of a formula file, including the ones only a dry run of
//! its reference batch can find (a qs that comes out zero or negative, a concentration
//! above its solubility).

use std::path::Path;

use crate::calc::{self, CalcError, Options};
use crate::formula::{Diagnostic, Formula, Located, Omitted, TOO_MANY, load_bytes};
use std::collections::BTreeMap;
use std::sync::{Mutex, mpsc};

use crate::formulary::{FormulaFile, FormularyError, WalkItem, read_limited, walk};

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
}

impl FileReport {
    /// Returns true if and only if any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|l| l.diagnostic.is_error())
    }

    /// The numbers of errors and warnings found in the file, those left out of the
    /// report included (and the diagnostic that says so not counted).
    pub fn counts(&self) -> (usize, usize) {
        let (mut errors, mut warnings) = (self.omitted.errors, self.omitted.warnings);
        for d in self.diagnostics.iter().map(|l| &l.diagnostic).filter(|d| d.code != TOO_MANY) {
            if d.is_error() {
                errors = errors.saturating_add(1);
            } else {
                warnings = warnings.saturating_add(1);
            }
        }
        (errors, warnings)
    }

    fn single(path: String, d: Diagnostic) -> FileReport {
        FileReport { path, diagnostics: vec![Located::new("", d)], omitted: Omitted::default() }
    }
}

/// Checks one file's bytes; `expected_id` is the file stem when the file is inside a
/// formulary folder (a file given by path is not held to it).
pub fn check(path: &str, bytes: &[u8], expected_id: Option<&str>) -> FileReport {
    let loaded = load_bytes(bytes);
    let omitted = loaded.omitted;
    let mut diags = loaded.diagnostics;
    if let Some(f) = &loaded.formula {
        if let Some(stem) = expected_id
            && f.id != stem
        {
            diags.push(
                Diagnostic::error(
                    "id-mismatch",
                    format!("id `{}` does not match the file name `{stem}.toml`", f.id),
                    f.id_span.clone(),
                )
                .with_help(format!("rename the file to `{}.toml`, or write `id = \"{stem}\"`", f.id)),
            );
        }
        diags.extend(dry_run(f));
    }
    // The count of those left out stays last.
    diags.sort_by_key(|d| (d.code == TOO_MANY, d.span.as_ref().map_or(0, |s| s.start), d.severity));
    // The text is only needed to place diagnostics; a clean file (the common case in a
    // formulary) is not decoded a second time.
    let diagnostics = if diags.is_empty() {
        Vec::new()
    } else {
        let text = String::from_utf8_lossy(bytes);
        Located::all(&text, diags)
    };
    FileReport { path: path.to_string(), diagnostics, omitted }
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
        options.infusion.weight = Some(calc::Weight { given, kg });
        options.infusion.time = Some(jiff::civil::Time::midnight());
        options.infusion.zone = Some(jiff::tz::TimeZone::UTC);
    } else if formula.batch_quantity.is_none() {
        return Vec::new();
    }
    match calc::compute(formula, &options) {
        Ok(batch) => batch
            .warnings
            .iter()
            .filter(|w| w.code == "near-solubility")
            .filter_map(|w| {
                let ing = formula.ingredient(w.ingredient.as_deref()?)?;
                Some(Diagnostic::warning("near-solubility", w.message.clone(), ing.amount_span.clone()))
            })
            .collect(),
        Err(e) => {
            let code = match e {
                CalcError::OverCapacity { .. } => "qs-not-positive",
                CalcError::AboveSolubility { .. } => "above-solubility",
                _ => "calculation",
            };
            let span = e.span(formula).unwrap_or(formula.batch_span.clone());
            vec![Diagnostic::error(code, format!("reference batch: {e}"), span).with_help_opt(e.help())]
        }
    }
}

fn read_error(path: &Path, e: FormularyError) -> FileReport {
    let code = match e {
        FormularyError::TooLarge { .. } => "file-too-large",
        FormularyError::OutsideFormulary { .. } => "link-outside",
        _ => "unreadable",
    };
    let help = e.help();
    FileReport::single(
        path.display().to_string(),
        Diagnostic::file_error(code, e.to_string()).with_help_opt(help),
    )
}

/// Reads and checks one file found in a folder (held to its file name).
fn check_found(item: WalkItem) -> FileReport {
    match item {
        WalkItem::File(file) => {
            // A stem that is not UTF-8 cannot equal an id: compared lossily, it mismatches.
            let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned());
            match read_limited(&file) {
                Ok(bytes) => check(&file.display().to_string(), &bytes, stem.as_deref()),
                Err(e) => read_error(&file, e),
            }
        }
        WalkItem::Problem(path, e) => read_error(&path, e),
    }
}

/// Checks a file or a folder (recursively, `*.toml`), calling `each` with every file's
/// report in the order the walk found the files. Returns the number of files checked.
///
/// A folder is checked by two worker threads while the walk goes on: reading and
/// parsing is the whole cost of `validate`, and a formulary can hold thousands of files.
/// Files are handed to the workers, and reports back, in small batches, so the threads
/// meet once per batch rather than once per file. At most a few hundred files are in
/// flight, so memory does not grow with their number.
pub fn check_path(path: &Path, each: &mut dyn FnMut(FileReport)) -> usize {
    if !path.is_dir() {
        match read_limited(path) {
            Ok(bytes) => each(check(&path.display().to_string(), &bytes, None)),
            Err(e) => each(read_error(path, e)),
        }
        return 1;
    }
    const WORKERS: usize = 2;
    const BATCH: usize = 32;
    const BATCHES_IN_FLIGHT: usize = 4;
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Vec<WalkItem>)>(BATCHES_IN_FLIGHT);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Vec<FileReport>)>(BATCHES_IN_FLIGHT);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut seq = 0usize;
            let mut batch = Vec::with_capacity(BATCH);
            walk(path, &mut |item| {
                batch.push(item);
                if batch.len() >= BATCH {
                    // A closed channel means the receiver is gone; nothing more to do.
                    let _ = work_tx.send((seq, std::mem::replace(&mut batch, Vec::with_capacity(BATCH))));
                    seq = seq.saturating_add(1);
                }
            });
            if !batch.is_empty() {
                let _ = work_tx.send((seq, batch));
            }
        });
        for _ in 0..WORKERS {
            let done_tx = done_tx.clone();
            let work_rx = &work_rx;
            scope.spawn(move || {
                loop {
                    let next = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, items)) = next else { return };
                    let reports = items.into_iter().map(check_found).collect();
                    if done_tx.send((seq, reports)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        // Hand reports on in walk order, holding back the few batches that finish early.
        let mut pending = BTreeMap::new();
        let (mut next, mut files) = (0usize, 0usize);
        for (seq, reports) in done_rx {
            pending.insert(seq, reports);
            while let Some(reports) = pending.remove(&next) {
                for report in reports {
                    each(report);
                    files = files.saturating_add(1);
                }
                next = next.saturating_add(1);
            }
        }
        files
    })
}

/// Checks the files of the built-in formulary.
pub fn check_files(files: impl Iterator<Item = FormulaFile>, each: &mut dyn FnMut(FileReport)) -> usize {
    let mut n = 0usize;
    for f in files {
        each(check(&f.path, &f.bytes, f.expected_id.as_deref()));
        n = n.saturating_add(1);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_formula_is_clean() {
        let mut reports = Vec::new();
        let n = check_files(crate::formulary::built_in(), &mut |r| reports.push(r));
        assert_eq!(n, 10);
        for r in reports {
            assert!(r.diagnostics.is_empty(), "{}: {:?}", r.path, r.diagnostics);
        }
    }

    #[test]
    fn a_folder_is_reported_whole_and_in_walk_order() {
        // More files than one batch, and a number that does not fill the last one.
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        let troche = crate::formulary::Formulary::BuiltIn.get("ketamine-hcl-troche-50").unwrap();
        let text = String::from_utf8(troche.bytes.into_owned()).unwrap();
        for i in 0..101 {
            let id = format!("t-{i}");
            let folder = if i % 3 == 0 { &sub } else { dir.path() };
            let body = if i % 10 == 0 {
                "format = 1\n".to_string()
            } else {
                text.replacen("id = \"ketamine-hcl-troche-50\"", &format!("id = \"{id}\""), 1)
            };
            std::fs::write(folder.join(format!("{id}.toml")), body).unwrap();
        }
        let mut expected = Vec::new();
        walk(dir.path(), &mut |item| {
            if let WalkItem::File(p) = item {
                expected.push(p.display().to_string());
            }
        });
        let mut seen = Vec::new();
        let n = check_path(dir.path(), &mut |r| seen.push((r.path.clone(), r.has_errors())));
        assert_eq!(n, 101);
        assert_eq!(seen.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(), expected);
        assert_eq!(seen.iter().filter(|(_, bad)| *bad).count(), 11);
    }
}
