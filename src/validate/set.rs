//! A set of formula files checked as a whole (SPEC §11): the files of every path given,
//! in path order; a second file with an id already seen is an error at its id; a path
//! that holds no formula file is an error (a mistyped path must not pass CI).

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, mpsc};

use super::{FileReport, check, read_error};
use crate::formula::Diagnostic;
use crate::formulary::{FormulaFile, FormularyError, WalkItem, read_limited, walk};

/// What is checked for one place in the set.
#[derive(Debug)]
enum Item {
    /// A file; `held` when it was found in a folder, so that its id must be its stem.
    File { path: PathBuf, held: bool },
    /// Something that could not be read or will not be followed.
    Problem(PathBuf, FormularyError),
    /// A path that holds no formula file.
    Empty(PathBuf),
}

impl Item {
    fn path(&self) -> &Path {
        match self {
            Item::File { path, .. } | Item::Problem(path, _) | Item::Empty(path) => path,
        }
    }

    /// Returns true if and only if the item counts as a file checked.
    fn is_file(&self) -> bool {
        !matches!(self, Item::Empty(_))
    }
}

/// A path without its `.` components, so that `./a.toml` and `a.toml` are one file.
fn normal(path: &Path) -> PathBuf {
    path.components().filter(|c| *c != Component::CurDir).collect()
}

/// The items of the paths given: a file as it is, a folder's `*.toml` files
/// (recursively), in path order, each once.
fn items(paths: &[PathBuf]) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    for path in paths {
        if !path.is_dir() {
            out.push(Item::File { path: path.clone(), held: false });
            continue;
        }
        let before = out.len();
        walk(path, &mut |found| {
            out.push(match found {
                WalkItem::File(p) => Item::File { path: p, held: true },
                WalkItem::Problem(p, e) => Item::Problem(p, e),
            });
        });
        if out.len() == before {
            out.push(Item::Empty(path.clone()));
        }
    }
    out.sort_by_key(|i| normal(i.path()));
    out.dedup_by(|a, b| normal(a.path()) == normal(b.path()));
    out
}

fn check_item(item: Item) -> FileReport {
    match item {
        Item::File { path, held } => {
            // A stem that is not UTF-8 cannot equal an id: compared lossily, it mismatches.
            let stem = held.then(|| path.file_stem().map(|s| s.to_string_lossy().into_owned())).flatten();
            match read_limited(&path) {
                Ok(bytes) => check(&path.display().to_string(), &bytes, stem.as_deref()),
                Err(e) => read_error(&path, e),
            }
        }
        Item::Problem(path, e) => read_error(&path, e),
        Item::Empty(path) => FileReport::single(
            path.display().to_string(),
            Diagnostic::file_error(
                "no-formula-files",
                format!("`{}` holds no formula file (`*.toml`)", path.display()),
            )
            .with_help("check the path; a formulary folder holds one `<id>.toml` file per formula"),
        ),
    }
}

/// The ids seen so far in a set, and the file each was first seen in.
#[derive(Default)]
struct Ids(HashMap<String, String>);

impl Ids {
    /// Reports `r`'s id when an earlier file of the set has it.
    fn check(&mut self, r: &mut FileReport) {
        let Some(stated) = r.id.clone() else { return };
        match self.0.get(&stated.id) {
            Some(first) => {
                let d = Diagnostic::error(
                    "duplicate-formula-id",
                    format!("id `{}` is already the id of `{first}`", stated.id),
                    0..0,
                )
                .with_help(
                    "give each formula its own id (and file name): `batch` and `list` find formulas by id",
                );
                r.add(&stated.at, d);
            }
            None => {
                self.0.insert(stated.id, r.path.clone());
            }
        }
    }
}

/// Checks the files and folders of `paths` as one set, calling `each` with every file's
/// report in path order; a folder is searched recursively for `*.toml` and its files are
/// held to their file names. Returns the number of files checked.
///
/// The files are checked by two worker threads: reading and parsing is the whole cost of
/// `validate`, and a formulary can hold thousands of files. Files are handed to the
/// workers, and reports back, in small batches, so the threads meet once per batch
/// rather than once per file; at most a few hundred reports wait to be handed on in
/// order.
pub fn check_paths(paths: &[PathBuf], each: &mut dyn FnMut(FileReport)) -> usize {
    const WORKERS: usize = 2;
    const BATCH: usize = 32;
    const BATCHES_IN_FLIGHT: usize = 4;
    let items = items(paths);
    let files = items.iter().filter(|i| i.is_file()).count();
    let mut ids = Ids::default();
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Vec<Item>)>(BATCHES_IN_FLIGHT);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Vec<FileReport>)>(BATCHES_IN_FLIGHT);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut items = items.into_iter().peekable();
            let mut seq = 0usize;
            while items.peek().is_some() {
                let batch: Vec<Item> = items.by_ref().take(BATCH).collect();
                // A closed channel means the receiver is gone; nothing more to do.
                if work_tx.send((seq, batch)).is_err() {
                    return;
                }
                seq = seq.saturating_add(1);
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
                    let reports = items.into_iter().map(check_item).collect();
                    if done_tx.send((seq, reports)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        // Hand reports on in path order, holding back the few batches that finish early.
        let mut pending = BTreeMap::new();
        let mut next = 0usize;
        for (seq, reports) in done_rx {
            pending.insert(seq, reports);
            while let Some(reports) = pending.remove(&next) {
                for mut report in reports {
                    ids.check(&mut report);
                    each(report);
                }
                next = next.saturating_add(1);
            }
        }
    });
    files
}

/// Checks the files of a built-in formulary as one set, in the order given.
pub fn check_files(files: impl Iterator<Item = FormulaFile>, each: &mut dyn FnMut(FileReport)) -> usize {
    let mut ids = Ids::default();
    let mut n = 0usize;
    for f in files {
        let mut report = check(&f.path, &f.bytes, f.expected_id.as_deref());
        ids.check(&mut report);
        each(report);
        n = n.saturating_add(1);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_reported_whole_and_in_path_order() {
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
        let mut seen = Vec::new();
        let n =
            check_paths(&[dir.path().to_path_buf()], &mut |r| seen.push((r.path.clone(), r.has_errors())));
        assert_eq!(n, 101);
        let paths: Vec<PathBuf> = seen.iter().map(|(p, _)| PathBuf::from(p)).collect();
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted);
        assert_eq!(seen.iter().filter(|(_, bad)| *bad).count(), 11);
    }

    #[test]
    fn a_second_file_with_an_id_is_an_error_at_its_id() {
        let dir = tempfile::tempdir().unwrap();
        let troche = crate::formulary::Formulary::BuiltIn.get("ketamine-hcl-troche-50").unwrap();
        for name in ["b.toml", "a.toml", "c.toml"] {
            std::fs::write(dir.path().join(name), &troche.bytes).unwrap();
        }
        let files: Vec<PathBuf> =
            ["c.toml", "./a.toml", "b.toml", "a.toml"].iter().map(|n| dir.path().join(n)).collect();
        let mut seen = Vec::new();
        let n = check_paths(&files, &mut |r| seen.push(r));
        assert_eq!(n, 3, "a.toml given twice is one file");
        let names: Vec<&str> = seen.iter().map(|r| r.path.rsplit('/').next().unwrap()).collect();
        assert_eq!(names, ["a.toml", "b.toml", "c.toml"]);
        assert!(seen[0].diagnostics.is_empty());
        for r in &seen[1..] {
            let d = &r.diagnostics[0];
            assert_eq!(d.diagnostic.code, "duplicate-formula-id");
            assert!(d.diagnostic.message.ends_with("a.toml`"), "{}", d.diagnostic.message);
            assert_eq!((d.line, d.column), (10, 6));
        }
    }

    #[test]
    fn a_folder_without_formula_files_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let mut seen = Vec::new();
        let n = check_paths(&[dir.path().to_path_buf()], &mut |r| seen.push(r));
        assert_eq!(n, 0);
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].diagnostics[0].diagnostic.code, "no-formula-files");
        assert!(seen[0].has_errors());
    }
}
