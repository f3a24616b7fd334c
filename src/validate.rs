//! `validate`: every diagnostic of a formula file, including the ones only a dry run of
//! its reference batch can find (a qs that comes out zero or negative, a concentration
//! above its solubility).

use std::path::Path;

use crate::calc::{self, CalcError, Options};
use crate::formula::{Diagnostic, Formula, Located, load_bytes};
use std::collections::BTreeMap;
use std::sync::{Mutex, mpsc};

use crate::formulary::{FormulaFile, FormularyError, WalkItem, read_limited, walk};

/// The diagnostics of one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file as shown to people.
    pub path: String,
    /// Its diagnostics, located, in file order.
    pub diagnostics: Vec<Located>,
}

impl FileReport {
    /// Returns true if and only if any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|l| l.diagnostic.is_error())
    }

    fn single(path: String, d: Diagnostic) -> FileReport {
        FileReport { path, diagnostics: vec![Located::new("", d)] }
    }
}

/// Checks one file's bytes; `expected_id` is the file stem when the file is inside a
/// formulary folder (a file given by path is not held to it).
pub fn check(path: &str, bytes: &[u8], expected_id: Option<&str>) -> FileReport {
    let loaded = load_bytes(bytes);
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
    let text = String::from_utf8_lossy(bytes);
    diags.sort_by_key(|d| (d.span.as_ref().map_or(0, |s| s.start), d.severity));
    FileReport {
        path: path.to_string(),
        diagnostics: diags.into_iter().map(|d| Located::new(&text, d)).collect(),
    }
}

/// Computes the reference batch and turns what it refuses into diagnostics at the
/// offending amount.
pub fn dry_run(formula: &Formula) -> Vec<Diagnostic> {
    if formula.batch_quantity.is_none() {
        return Vec::new();
    }
    // The date only matters for the beyond-use date, which cannot fail here.
    let date = jiff::civil::date(2000, 1, 1);
    match calc::compute(formula, &Options::new(date)) {
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
            let stem = file.file_stem().and_then(|s| s.to_str()).map(str::to_string);
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
/// At most a few dozen files are in flight, so memory does not grow with their number.
pub fn check_path(path: &Path, each: &mut dyn FnMut(FileReport)) -> usize {
    if !path.is_dir() {
        match read_limited(path) {
            Ok(bytes) => each(check(&path.display().to_string(), &bytes, None)),
            Err(e) => each(read_error(path, e)),
        }
        return 1;
    }
    const WORKERS: usize = 2;
    const IN_FLIGHT: usize = 64;
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, WalkItem)>(IN_FLIGHT);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, FileReport)>(IN_FLIGHT);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut seq = 0usize;
            walk(path, &mut |item| {
                // A closed channel means the receiver is gone; nothing more to do.
                let _ = work_tx.send((seq, item));
                seq = seq.saturating_add(1);
            });
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
                    let Ok((seq, item)) = next else { return };
                    if done_tx.send((seq, check_found(item))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        // Hand reports on in walk order, holding back the few that finish early.
        let mut pending = BTreeMap::new();
        let mut next = 0usize;
        for (seq, report) in done_rx {
            pending.insert(seq, report);
            while let Some(report) = pending.remove(&next) {
                each(report);
                next = next.saturating_add(1);
            }
        }
        next
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
        assert_eq!(n, 7);
        for r in reports {
            assert!(r.diagnostics.is_empty(), "{}: {:?}", r.path, r.diagnostics);
        }
    }
}
