//! Finding formula files (SPEC §4): a path, or an id looked up in `--formulas DIR`,
//! else `$KETACALC_FORMULAS`, else the formulary built into the binary.
//!
//! An id is checked against the id pattern before any file is touched, so no id can
//! name a file outside its formulary (`../x`, `/etc/passwd`, `a\0b` are not ids).

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::formula::{MAX_FILE_BYTES, is_valid_id};

include!(concat!(env!("OUT_DIR"), "/formulary.rs"));

/// Why a formula file could not be found or read.
#[derive(Debug, Error)]
pub enum FormularyError {
    /// Not an id, and not a path either.
    #[error(
        "`{}` is not a formula id (ids match `[a-z0-9][a-z0-9.-]{{0,63}}`)",
        crate::hidden::escape_line(id)
    )]
    BadId {
        /// What was given.
        id: String,
    },
    /// No file for the id.
    #[error("no formula `{}` in {place}{}", crate::hidden::escape_line(id), known_ids(.known))]
    NotFound {
        /// The id.
        id: String,
        /// Which formulary.
        place: String,
        /// The ids it has, in order.
        known: Vec<String>,
        /// The ids it has that `id` may be a typo of, nearest first (SPEC §13.1).
        nearest: Vec<String>,
    },
    /// `--formulas DIR` (or `$KETACALC_FORMULAS`) that is not a folder.
    #[error("no such folder `{}`{}", crate::hidden::escape_line(path), if *.from_env { " (from $KETACALC_FORMULAS)" } else { "" })]
    NoSuchFolder {
        /// The path given.
        path: String,
        /// Whether it came from `$KETACALC_FORMULAS` rather than `--formulas`.
        from_env: bool,
    },
    /// The file could not be read.
    #[error("cannot read `{}`: {reason}", crate::hidden::escape_line(path))]
    Read {
        /// The path.
        path: String,
        /// The operating system's reason, lowercase.
        reason: String,
    },
    /// Larger than [`MAX_FILE_BYTES`].
    #[error(
        "`{}` is larger than 1 MiB; formula files are small text files",
        crate::hidden::escape_line(path)
    )]
    TooLarge {
        /// The path.
        path: String,
    },
    /// A symlink inside a formulary that points outside it.
    #[error(
        "`{}` is a link to a file outside the formulary folder; it is not followed",
        crate::hidden::escape_line(path)
    )]
    OutsideFormulary {
        /// The path.
        path: String,
    },
}

impl FormularyError {
    /// A suggested fix.
    pub fn help(&self) -> Option<String> {
        match self {
            FormularyError::BadId { .. } => {
                Some("to use a file, give its path ending in `.toml`".to_string())
            }
            FormularyError::NotFound { nearest, .. } if !nearest.is_empty() => {
                let all: Vec<String> = nearest.iter().map(|n| format!("`{n}`")).collect();
                Some(format!("did you mean {}?", or_list(&all)))
            }
            FormularyError::NotFound { .. } => {
                Some("run `ketacalc list` to see the formulas, or give `--formulas DIR`".to_string())
            }
            FormularyError::NoSuchFolder { from_env: false, .. } => {
                Some("give `--formulas` a folder of `<id>.toml` files, or leave it out for the built-in formulary".to_string())
            }
            FormularyError::NoSuchFolder { from_env: true, .. } => Some(
                "set `KETACALC_FORMULAS` to a folder of `<id>.toml` files, or unset it for the built-in formulary"
                    .to_string(),
            ),
            _ => None,
        }
    }
}

/// `: it has` and the ids one a line (an id is never split across lines), or `, which
/// has no formulas`.
fn known_ids(ids: &[String]) -> String {
    if ids.is_empty() {
        return ", which has no formulas".to_string();
    }
    ids.iter().fold(", which has:".to_string(), |mut s, id| {
        s.push_str("\n    ");
        s.push_str(id);
        s
    })
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => items.join(""),
    }
}

/// The ids that `typed` may be a typo of (SPEC §13.1): within Levenshtein distance 4, or
/// `typed` with one hyphen-separated segment added or dropped
/// (`ketamine-nasal-spray-100` → `ketamine-hcl-nasal-spray-100`); nearest first.
pub fn near_ids<'k>(typed: &str, ids: &'k [String]) -> Vec<&'k str> {
    const MAX_DISTANCE: usize = 4;
    let segments: Vec<&str> = typed.split('-').collect();
    let one_segment_apart = |id: &str| {
        let other: Vec<&str> = id.split('-').collect();
        let (long, short) =
            if other.len() > segments.len() { (&other, &segments) } else { (&segments, &other) };
        long.len() == short.len().saturating_add(1)
            && (0..long.len()).any(|drop| {
                long.iter().enumerate().filter(|(i, _)| *i != drop).map(|(_, s)| s).eq(short.iter())
            })
    };
    let mut near: Vec<(usize, &str)> = ids
        .iter()
        .filter(|id| id.as_str() != typed)
        .filter_map(|id| {
            let d = crate::formula::distance(typed, id);
            match d {
                Some(d) if d <= MAX_DISTANCE => Some((d, id.as_str())),
                _ if one_segment_apart(id) => Some((d.unwrap_or(usize::MAX), id.as_str())),
                _ => None,
            }
        })
        .collect();
    near.sort();
    near.into_iter().map(|(_, id)| id).collect()
}

/// A formula file's bytes and where they came from.
#[derive(Debug, Clone)]
pub struct FormulaFile {
    /// The path as shown to people (`formulas/x.toml`, `<built-in>/x.toml`).
    pub path: String,
    /// The file's bytes.
    pub bytes: Cow<'static, [u8]>,
    /// The id the file name implies, when the file is in a formulary (its stem must
    /// equal the id inside).
    pub expected_id: Option<String>,
    /// The SHA-256 of `bytes`, lowercase hex, when it is known without hashing them: a
    /// built-in file's, computed when the binary was built (build.rs).
    pub sha256: Option<&'static str>,
}

/// Where ids are looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Formulary {
    /// A folder of `<id>.toml` files.
    Dir(PathBuf),
    /// The formulas embedded at build time.
    BuiltIn,
}

/// Returns true if and only if a `FORMULA` argument is a path rather than an id.
pub fn is_path_like(arg: &str) -> bool {
    arg.ends_with(".toml") || arg.contains('/') || arg.contains('\\')
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`], refusing larger ones before
/// reading them, and refusing named pipes, devices and sockets without opening them for
/// long (see [`crate::files::open_regular`]).
pub fn read_limited(path: &Path) -> Result<Vec<u8>, FormularyError> {
    // Only a regular file is read: a named pipe would block the open (and the read)
    // until a writer came, forever. A descriptor (`/dev/stdin`) is read as it is.
    read_opened(path, crate::files::open_regular(path))
}

/// Reads a file that [`walk`] found, as [`read_limited`] does, without following its
/// links first (see [`crate::files::open_found`]).
pub fn read_found(path: &Path) -> Result<Vec<u8>, FormularyError> {
    read_opened(path, crate::files::open_found(path))
}

/// The bytes of the file at `path`, opened as `opened`, refused when over
/// [`MAX_FILE_BYTES`].
fn read_opened(
    path: &Path,
    opened: std::io::Result<(std::fs::File, std::fs::Metadata)>,
) -> Result<Vec<u8>, FormularyError> {
    let shown = || path.display().to_string();
    let read_err =
        |e: std::io::Error| FormularyError::Read { path: shown(), reason: crate::files::io_reason(&e) };
    let (file, meta) = opened.map_err(read_err)?;
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(FormularyError::TooLarge { path: shown() });
    }
    // Sized from the metadata so that the file is read in one call, not in a series of
    // growing reads (ten system calls for a 6 KB file). Read one byte past the limit so
    // that a file that grows, or a special file that reports no length, is still caught.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    file.take((MAX_FILE_BYTES as u64).saturating_add(1)).read_to_end(&mut bytes).map_err(read_err)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FormularyError::TooLarge { path: shown() });
    }
    Ok(bytes)
}

/// The files of a built-in formulary.
pub fn built_in() -> impl Iterator<Item = FormulaFile> {
    BUILT_IN.iter().map(|(name, text, sha256)| FormulaFile {
        path: format!("<built-in>/{name}"),
        bytes: Cow::Borrowed(text.as_bytes()),
        expected_id: name.strip_suffix(".toml").map(str::to_string),
        sha256: Some(sha256),
    })
}

impl Formulary {
    /// `--formulas DIR`, else `$KETACALC_FORMULAS` (when set and not empty), else the
    /// built-in formulary.
    pub fn choose(dir: Option<PathBuf>, env: Option<std::ffi::OsString>) -> Formulary {
        match dir.or_else(|| env.filter(|v| !v.is_empty()).map(PathBuf::from)) {
            Some(d) => Formulary::Dir(d),
            None => Formulary::BuiltIn,
        }
    }

    /// Refuses a formulary folder that is not there (SPEC §13.1): `no such folder DIR`,
    /// for every command, rather than a formulary that has no formulas.
    pub fn check(&self, from_env: bool) -> Result<(), FormularyError> {
        match self {
            Formulary::Dir(d) if !d.is_dir() => {
                Err(FormularyError::NoSuchFolder { path: d.display().to_string(), from_env })
            }
            _ => Ok(()),
        }
    }

    /// How messages name this formulary.
    pub fn describe(&self) -> String {
        match self {
            Formulary::Dir(d) => format!("the formulary folder `{}`", d.display()),
            Formulary::BuiltIn => "the built-in formulary".to_string(),
        }
    }

    /// The ids of the top-level `<id>.toml` files, sorted.
    pub fn ids(&self) -> Vec<String> {
        match self {
            Formulary::BuiltIn => built_in().filter_map(|f| f.expected_id).collect(),
            Formulary::Dir(d) => {
                let mut ids: Vec<String> = std::fs::read_dir(d)
                    .map(|rd| {
                        rd.filter_map(Result::ok)
                            .filter_map(|e| {
                                e.file_name()
                                    .to_str()
                                    .and_then(|n| n.strip_suffix(".toml"))
                                    .map(str::to_string)
                            })
                            .filter(|id| is_valid_id(id))
                            .collect()
                    })
                    .unwrap_or_default();
                ids.sort();
                ids
            }
        }
    }

    /// The formula with this id.
    pub fn get(&self, id: &str) -> Result<FormulaFile, FormularyError> {
        if !is_valid_id(id) {
            return Err(FormularyError::BadId { id: id.escape_debug().to_string() });
        }
        let not_found = || {
            let ids = self.ids();
            FormularyError::NotFound {
                nearest: near_ids(id, &ids).into_iter().map(str::to_string).collect(),
                id: id.to_string(),
                place: self.describe(),
                known: ids,
            }
        };
        match self {
            Formulary::BuiltIn => {
                built_in().find(|f| f.expected_id.as_deref() == Some(id)).ok_or_else(not_found)
            }
            Formulary::Dir(dir) => {
                let path = dir.join(format!("{id}.toml"));
                match std::fs::symlink_metadata(&path) {
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(not_found()),
                    Ok(m) if m.file_type().is_symlink() && !inside(dir, &path) => {
                        // A link that dangles or loops says so; one that resolves, where.
                        regular(&path)?;
                        return Err(FormularyError::OutsideFormulary { path: path.display().to_string() });
                    }
                    _ => {}
                }
                regular(&path)?;
                let bytes = read_limited(&path)?;
                Ok(FormulaFile {
                    path: path.display().to_string(),
                    bytes: Cow::Owned(bytes),
                    expected_id: Some(id.to_string()),
                    sha256: None,
                })
            }
        }
    }
}

/// Returns true if and only if `path` resolves to a place inside `root`.
pub fn inside(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(r), Ok(p)) => p.starts_with(r),
        _ => false,
    }
}

/// Refuses anything but a regular file or a folder (after following links) with the
/// reason: opening a FIFO blocks until something writes to it, so an `x.toml` FIFO in a
/// formulary folder would hang `validate` and `batch`. A file named on the command line
/// is held to the same rule by [`read_limited`], which opens it without blocking;
/// `batch /dev/stdin` still reads a pipe, which is a descriptor, not a named pipe.
fn regular(path: &Path) -> Result<(), FormularyError> {
    let reason = match std::fs::metadata(path) {
        Ok(m) if m.is_file() || m.is_dir() => return Ok(()),
        Ok(m) => crate::files::not_regular(&m).to_string(),
        Err(e) => crate::files::io_reason(&e),
    };
    Err(FormularyError::Read { path: path.display().to_string(), reason })
}

/// What a folder walk finds.
#[derive(Debug)]
pub enum WalkItem {
    /// A `*.toml` file to check.
    File(PathBuf),
    /// Something that could not be walked or will not be followed.
    Problem(PathBuf, FormularyError),
}

/// Calls `each` with every `*.toml` file under `root`, in path order (each folder's
/// entries sorted by name, a subfolder's files where its name falls), as it is found:
/// only the entries of the folders on the way down are held, never the whole tree, so
/// memory does not grow with the number of files. Symlinked folders are not followed,
/// so a symlink loop cannot trap the walk; a symlinked file that points outside `root`
/// is reported instead of read.
pub fn walk(root: &Path, each: &mut dyn FnMut(WalkItem)) {
    let problem = |path: &Path, e: &std::io::Error| {
        WalkItem::Problem(
            path.to_path_buf(),
            FormularyError::Read { path: path.display().to_string(), reason: crate::files::io_reason(e) },
        )
    };
    // A folder's entries, sorted and reversed, so that `pop` gives the next in order.
    let entries = |dir: &Path, each: &mut dyn FnMut(WalkItem)| -> Vec<(PathBuf, std::fs::FileType)> {
        let read = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                each(problem(dir, &e));
                return Vec::new();
            }
        };
        let mut found = Vec::new();
        for entry in read {
            match entry {
                Ok(e) => {
                    if let Ok(ft) = e.file_type() {
                        found.push((e.path(), ft));
                    }
                }
                Err(e) => each(problem(dir, &e)),
            }
        }
        // Every path here is `dir` joined to a name, so their bytes sort as their
        // components do (and much faster).
        found.sort_unstable_by(|a, b| {
            b.0.as_os_str().as_encoded_bytes().cmp(a.0.as_os_str().as_encoded_bytes())
        });
        found
    };
    let mut stack = vec![entries(root, each)];
    while let Some(level) = stack.last_mut() {
        let Some((path, ft)) = level.pop() else {
            stack.pop();
            continue;
        };
        let is_toml = path.extension().is_some_and(|x| x == "toml");
        if ft.is_dir() {
            let below = entries(&path, each);
            stack.push(below);
        } else if !is_toml {
            continue;
        } else if !ft.is_file()
            && let Err(error) = regular(&path)
        {
            // A FIFO, a socket, or a link that dangles or loops. (A regular file, as its
            // folder's entry says, needs no second look: it is held to being one when
            // it is opened.)
            each(WalkItem::Problem(path, error));
        } else if ft.is_symlink() && !inside(root, &path) {
            let error = FormularyError::OutsideFormulary { path: path.display().to_string() };
            each(WalkItem::Problem(path, error));
        } else {
            each(WalkItem::File(path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_formulary_has_ten_formulas() {
        assert_eq!(Formulary::BuiltIn.ids().len(), 10);
        assert!(Formulary::BuiltIn.get("ketamine-hcl-nasal-spray-100").is_ok());
    }

    #[test]
    fn a_built_in_file_is_the_repositorys_with_the_hash_of_its_bytes() {
        let files: Vec<FormulaFile> = built_in().collect();
        assert_eq!(files.len(), 10);
        for file in files {
            let name = file.path.trim_start_matches("<built-in>/");
            let on_disk = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("formulas").join(name));
            assert_eq!(on_disk.ok().as_deref(), Some(&*file.bytes), "{name}");
            let hashed = crate::report::Source::new(file.path.clone(), &file.bytes).sha256;
            assert_eq!(file.sha256, Some(hashed.as_str()), "{name}");
            assert_eq!(crate::report::Source::of_file(&file).sha256, hashed, "{name}");
        }
    }

    #[test]
    fn ids_never_reach_outside() {
        for bad in ["../x", "..%2Fx", "/etc/passwd", "a\0b", "", "A"] {
            assert!(matches!(Formulary::BuiltIn.get(bad), Err(FormularyError::BadId { .. })), "{bad:?}");
        }
        assert!(matches!(
            Formulary::BuiltIn.get("nope"),
            Err(FormularyError::NotFound { nearest, .. }) if nearest.is_empty()
        ));
        // A typo gets the nearest id, long ids included.
        let e = Formulary::BuiltIn.get("ketamine-hcl-nasal-spray-10").unwrap_err();
        assert_eq!(e.help().as_deref(), Some("did you mean `ketamine-hcl-nasal-spray-100`?"));
        let e = Formulary::BuiltIn.get("ketamine-gabapentin-baclofen-crem").unwrap_err();
        assert_eq!(e.help().as_deref(), Some("did you mean `ketamine-gabapentin-baclofen-cream`?"));
    }

    #[test]
    fn path_or_id() {
        assert!(is_path_like("x.toml"));
        assert!(is_path_like("./x"));
        assert!(!is_path_like("ketamine-hcl-troche-50"));
    }
}
