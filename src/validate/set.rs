//! A set of formula files checked as a whole (SPEC §11): the files of every path given,
//! in path order; a second file with an id already seen is an error at its id; a path
//! that holds no formula file is an error (a mistyped path must not pass CI).

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, mpsc};

use super::{FileReport, check_in, read_error};
use crate::codes::Code;
use crate::formula::Diagnostic;
use crate::formulary::{FormulaFile, Formulary, FormularyError, WalkItem, read_found, read_limited, walk};

/// What is checked for one place in the set.
#[derive(Debug)]
enum Item {
    /// A file; `held` when it was found in a folder, so that its id must be its stem.
    File { path: PathBuf, held: bool },
    /// Something that could not be read or will not be followed.
    Problem(PathBuf, FormularyError),
    /// A path that holds no formula file.
    Empty(PathBuf),
    /// A path that is not there (SPEC §13.1): no file is checked.
    Missing(PathBuf),
}

impl Item {
    fn path(&self) -> &Path {
        match self {
            Item::File { path, .. } | Item::Problem(path, _) | Item::Empty(path) | Item::Missing(path) => {
                path
            }
        }
    }

    /// Returns true if and only if the item counts as a file checked.
    fn is_file(&self) -> bool {
        !matches!(self, Item::Empty(_) | Item::Missing(_))
    }
}

/// A path without its `.` components, so that `./a.toml` and `a.toml` are one file.
fn normal(path: &Path) -> PathBuf {
    path.components().filter(|c| *c != Component::CurDir).collect()
}

/// Calls `each` with the items of one path given: a file as it is, a folder's `*.toml`
/// files (recursively, in path order), or that the folder holds none.
fn items_of(path: &Path, each: &mut dyn FnMut(Item)) {
    if let Err(e) = std::fs::symlink_metadata(path)
        && e.kind() == std::io::ErrorKind::NotFound
    {
        each(Item::Missing(path.to_path_buf()));
        return;
    }
    if !path.is_dir() {
        each(Item::File { path: path.to_path_buf(), held: false });
        return;
    }
    let mut any = false;
    walk(path, &mut |found| {
        any = true;
        each(match found {
            WalkItem::File(p) => Item::File { path: p, held: true },
            WalkItem::Problem(p, e) => Item::Problem(p, e),
        });
    });
    if !any {
        each(Item::Empty(path.to_path_buf()));
    }
}

/// Calls `each` with the items of every path given, in path order, each once. One path
/// (the common case: a formulary folder) is walked as it is checked, in order already;
/// the items of several are gathered, sorted and rid of repeats first.
fn items(paths: &[PathBuf], each: &mut dyn FnMut(Item)) {
    if let [path] = paths {
        items_of(path, each);
        return;
    }
    let mut all: Vec<(PathBuf, Item)> = Vec::new();
    for path in paths {
        items_of(path, &mut |i| all.push((normal(i.path()), i)));
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all.dedup_by(|a, b| a.0 == b.0);
    for (_, i) in all {
        each(i);
    }
}

fn check_item(item: Item, formulary: &Formulary) -> FileReport {
    match item {
        Item::File { path, held } => {
            // A stem that is not UTF-8 cannot equal an id: compared lossily, it mismatches.
            let stem = held.then(|| path.file_stem().map(|s| s.to_string_lossy().into_owned())).flatten();
            // A file of a folder was found by the walk, which has looked at it already.
            let read = if held { read_found(&path) } else { read_limited(&path) };
            match read {
                Ok(bytes) => check_in(&path.display().to_string(), &bytes, stem.as_deref(), formulary),
                Err(e) => read_error(&path, e),
            }
        }
        Item::Problem(path, e) => read_error(&path, e),
        Item::Missing(path) => FileReport::single(
            path.display().to_string(),
            Diagnostic::file_error(
                Code::Unreadable,
                format!(
                    "no such file or folder `{}`",
                    crate::hidden::escape_line(&path.display().to_string())
                ),
            )
            .with_help("check the path: give a formula file or a folder of them"),
        ),
        Item::Empty(path) => FileReport::single(
            path.display().to_string(),
            Diagnostic::file_error(
                Code::NoFormulaFiles,
                format!(
                    "`{}` holds no formula file (`*.toml`)",
                    crate::hidden::escape_line(&path.display().to_string())
                ),
            )
            .with_help("check the path; a formulary folder holds one `<id>.toml` file per formula"),
        ),
    }
}

/// The ids seen so far in a set, and the file each was first seen in.
///
/// Kept compact, as it grows with the set (50,000 files in a large formulary): the files
/// come in path order, so each id and path is written without the bytes it shares at its
/// start with the one before (the folder, most of the id), and the table maps a hash of
/// the id to its entry. Measured (BENCHMARKS.md): peak memory grows about 60 bytes a
/// file (2.6 MiB from 5,000 to 50,000 files), where with ids and paths written out whole
/// it grew 120 (5.5 MiB); most of what is left is the hash table and the entries. An entry is read back (from the last one written out whole, at most
/// [`RESTART`] before it) only when its hash comes again: almost only for a duplicate.
/// Two different ids with one hash are told apart by their text.
#[derive(Default)]
struct Ids {
    /// Each entry's id then path, each without what it shares with the entry before.
    text: String,
    /// Each entry's shape in `text`.
    entries: Vec<Entry>,
    /// Where in `text` every [`RESTART`]-th entry, written out whole, starts.
    restarts: Vec<usize>,
    /// The first entry of each hash.
    by_hash: HashMap<u64, usize>,
    /// Entries whose hash an earlier entry with another id has (almost never any).
    collided: Vec<usize>,
    /// The last entry's id and path, written out.
    last: (String, String),
    hasher: std::hash::RandomState,
}

/// One entry of [`Ids`]: how many bytes its id and its path share with the entry before's,
/// and how many follow in the text (which holds them one after the other).
#[derive(Debug, Clone, Copy)]
struct Entry {
    id_shared: u32,
    id_rest: u32,
    path_shared: u32,
    path_rest: u32,
}

/// Every this many entries, one is written out whole, so that reading one back starts
/// at most this many entries before it.
const RESTART: usize = 16;

/// How many bytes `a` and `b` share at their start, at a character boundary.
fn shared(a: &str, b: &str) -> usize {
    let n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    (0..=n).rev().find(|&k| a.is_char_boundary(k)).unwrap_or(0)
}

impl Ids {
    /// Entry `e`'s id and path, written out.
    fn entry(&self, e: usize) -> Option<(String, String)> {
        let first = e.saturating_sub(e % RESTART);
        let mut at = *self.restarts.get(first / RESTART)?;
        let mut take = |n: u32| {
            let end = at.saturating_add(usize::try_from(n).ok()?);
            let part = self.text.get(at..end)?;
            at = end;
            Some(part)
        };
        let (mut id, mut path) = (String::new(), String::new());
        for x in self.entries.get(first..=e)? {
            id.truncate(usize::try_from(x.id_shared).ok()?);
            id.push_str(take(x.id_rest)?);
            path.truncate(usize::try_from(x.path_shared).ok()?);
            path.push_str(take(x.path_rest)?);
        }
        Some((id, path))
    }

    /// The file an earlier entry with `id` came from.
    fn first(&self, id: &str, hash: u64) -> Option<String> {
        let candidates = self.by_hash.get(&hash).into_iter().chain(&self.collided);
        candidates.filter_map(|e| self.entry(*e)).find(|(i, _)| *i == id).map(|(_, p)| p)
    }

    /// Remembers that `id` (of this `hash`) was first seen in `path`.
    fn remember(&mut self, id: &str, path: &str, hash: u64) {
        let e = self.entries.len();
        let whole = e.is_multiple_of(RESTART);
        let id_shared = if whole { 0 } else { shared(&self.last.0, id) };
        let path_shared = if whole { 0 } else { shared(&self.last.1, path) };
        let (id_rest, path_rest) =
            (id.get(id_shared..).unwrap_or_default(), path.get(path_shared..).unwrap_or_default());
        let u32_of = |n: usize| u32::try_from(n).ok();
        // A file is at most 1 MiB, so no id is 4 GiB long, and no path is.
        let (Some(id_shared), Some(id_len), Some(path_shared), Some(path_len)) =
            (u32_of(id_shared), u32_of(id_rest.len()), u32_of(path_shared), u32_of(path_rest.len()))
        else {
            return;
        };
        if whole {
            self.restarts.push(self.text.len());
        }
        self.text.push_str(id_rest);
        self.text.push_str(path_rest);
        self.entries.push(Entry { id_shared, id_rest: id_len, path_shared, path_rest: path_len });
        self.last.0.clear();
        self.last.0.push_str(id);
        self.last.1.clear();
        self.last.1.push_str(path);
        match self.by_hash.entry(hash) {
            std::collections::hash_map::Entry::Occupied(_) => self.collided.push(e),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(e);
            }
        }
    }

    /// Reports `r`'s id when an earlier file of the set has it; else remembers it.
    fn check(&mut self, r: &mut FileReport) {
        use std::hash::BuildHasher;
        let Some(stated) = &r.id else { return };
        let hash = self.hasher.hash_one(&stated.id);
        if let Some(first) = self.first(&stated.id, hash) {
            let d = Diagnostic::error(
                Code::DuplicateFormulaId,
                format!("id `{}` is already the id of `{}`", stated.id, crate::hidden::escape_line(&first)),
                0..0,
            )
            .with_help(
                "give each formula its own id (and file name): `batch` and `list` find formulas by id",
            );
            let l = stated.locate(d);
            r.add(l);
            return;
        }
        self.remember(&stated.id, &r.path, hash);
    }
}

/// Checks the files and folders of `paths` as one set, calling `each` with every file's
/// report in path order; a folder is searched recursively for `*.toml` and its formula
/// files are held to their file names; batch files find their formulas' ids in
/// `formulary`. Returns the number of files checked.
///
/// Reading and checking the files is the whole cost of `validate`, and a formulary can
/// hold thousands of them, so they are checked on every core: the walk (in path order
/// already) hands them, in batches of `BATCH`, to worker threads (one a core and one
/// more), and the reports are handed on in path order as their batches come back. The
/// threads meet once a batch rather than once a file. At most `in_flight` batches are between the
/// walk and `each` at any time, however slow one file is to check (the walk waits for
/// the oldest to be handed on), so memory does not grow with the number of files; and
/// the duplicate-id check runs here, in path order, so the second file with an id is
/// the one reported.
pub fn check_paths(paths: &[PathBuf], formulary: &Formulary, each: &mut dyn FnMut(FileReport)) -> usize {
    // One worker a core and one more: the walk and the report share the cores with the
    // workers, and a worker waiting for its next batch leaves its core to the spare one
    // (`validate` of 5,000 files 0.609× the floor with one a core, 0.585× with one more,
    // 0.592× with two a core, in one run of 41 rounds).
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let workers = cores.saturating_add(1).min(MAX_WORKERS);
    let in_flight = in_flight(workers);
    let mut ids = Ids::default();
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Vec<Item>)>(in_flight);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Vec<FileReport>)>(in_flight);
    // One ticket a batch in flight: the walk takes one before it sends a batch, and one
    // is given back when a batch's reports have been handed on.
    let (ticket_tx, ticket_rx) = mpsc::sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = ticket_tx.send(());
    }
    std::thread::scope(|scope| {
        let producer = scope.spawn(move || {
            let (mut seq, mut files) = (0usize, 0usize);
            let mut batch = Vec::with_capacity(BATCH);
            let send = |batch: Vec<Item>, seq: &mut usize| {
                // A closed channel means the receiver is gone; nothing more to do.
                if ticket_rx.recv().is_ok() {
                    let _ = work_tx.send((*seq, batch));
                }
                *seq = seq.saturating_add(1);
            };
            items(paths, &mut |item| {
                files = files.saturating_add(usize::from(item.is_file()));
                batch.push(item);
                if batch.len() >= BATCH {
                    send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)), &mut seq);
                }
            });
            if !batch.is_empty() {
                send(batch, &mut seq);
            }
            files
        });
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let work_rx = &work_rx;
            scope.spawn(move || {
                loop {
                    let next = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, items)) = next else { return };
                    let reports = items.into_iter().map(|i| check_item(i, formulary)).collect();
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
                // The walk may be done and gone; then no ticket is needed.
                let _ = ticket_tx.try_send(());
            }
        }
        producer.join().unwrap_or_default()
    })
}

/// Files a batch: enough that the threads meet rarely, few enough that every core has
/// work until the end.
const BATCH: usize = 32;

/// The most worker threads, whatever the number of cores.
const MAX_WORKERS: usize = 16;

/// The most batches between the walk and the report: four a worker, and four more. The
/// reports are handed on in path order, so a batch whose worker was interrupted holds back
/// those after it; a longer window keeps the other workers busy meanwhile (with two a
/// worker and two more, `validate` of 5,000 files took 0.586× the floor, against 0.578×,
/// in one run of 41 rounds).
fn in_flight(workers: usize) -> usize {
    workers.saturating_mul(4).saturating_add(4)
}

/// Checks the files of a built-in formulary as one set, in the order given; batch files
/// among them find their formulas' ids in `formulary`.
pub fn check_files(
    files: impl Iterator<Item = FormulaFile>,
    formulary: &Formulary,
    each: &mut dyn FnMut(FileReport),
) -> usize {
    let mut ids = Ids::default();
    let mut n = 0usize;
    for f in files {
        let mut report = check_in(&f.path, &f.bytes, f.expected_id.as_deref(), formulary);
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
        let n = check_paths(&[dir.path().to_path_buf()], &Formulary::BuiltIn, &mut |r| {
            seen.push((r.path.clone(), r.has_errors()))
        });
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
        let n = check_paths(&files, &Formulary::BuiltIn, &mut |r| seen.push(r));
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
    fn ids_with_one_hash_are_told_apart() {
        let mut ids = Ids::default();
        let report = |path: &str, id: &str| FileReport {
            path: path.to_string(),
            diagnostics: Vec::new(),
            omitted: crate::formula::Omitted::default(),
            id: Some(super::super::StatedId {
                id: id.to_string(),
                line: 1,
                line_text: format!("id = \"{id}\""),
                span: 6..6 + id.len(),
            }),
        };
        let mut a = report("a.toml", "x");
        ids.check(&mut a);
        let hash_x = *ids.by_hash.keys().next().unwrap();
        // Force a collision: another id under the same hash.
        ids.remember("y", "b.toml", hash_x);
        assert_eq!(ids.collided, [1]);
        assert_eq!(ids.first("x", hash_x).as_deref(), Some("a.toml"));
        assert_eq!(ids.first("y", hash_x).as_deref(), Some("b.toml"));
        assert_eq!(ids.first("z", hash_x), None);
        let mut again = report("c.toml", "x");
        ids.check(&mut again);
        assert_eq!(again.diagnostics[0].diagnostic.message, "id `x` is already the id of `a.toml`");
        assert_eq!((again.diagnostics[0].line, again.diagnostics[0].column), (1, 7));
    }

    #[test]
    fn ids_and_paths_are_read_back_as_they_were_written() {
        // Ids and paths that share more or less with the one before (a folder, most of
        // an id, none of it, a multi-byte character cut in two), over several restarts.
        let mut ids = Ids::default();
        let mut written = Vec::new();
        for i in 0..3 * RESTART + 5 {
            let id = match i % 4 {
                0 => format!("ketamine-hcl-troche-50-{i}"),
                1 => format!("ketamine-hcl-troche-50-{}", i * 7),
                2 => format!("é{i}"),
                _ => format!("ê{i}"),
            };
            let path = format!("formulary/group-{:03}/{id}.toml", i / 10);
            ids.remember(&id, &path, i as u64);
            written.push((id, path));
        }
        for (e, w) in written.iter().enumerate() {
            assert_eq!(ids.entry(e).as_ref(), Some(w), "{e}");
            assert_eq!(ids.first(&w.0, e as u64).as_deref(), Some(w.1.as_str()));
        }
        assert_eq!(ids.entry(written.len()), None);
        // Written without what each shares with the one before: far less than in full.
        let whole: usize = written.iter().map(|(i, p)| i.len() + p.len()).sum();
        assert!(ids.text.len() * 2 < whole, "{} of {whole}", ids.text.len());
    }

    #[test]
    fn a_folder_without_formula_files_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let mut seen = Vec::new();
        let n = check_paths(&[dir.path().to_path_buf()], &Formulary::BuiltIn, &mut |r| seen.push(r));
        assert_eq!(n, 0);
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].diagnostics[0].diagnostic.code, "no-formula-files");
        assert!(seen[0].has_errors());
    }
}
