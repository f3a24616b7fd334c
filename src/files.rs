//! Paths named on the command line: following symbolic links to what they name, and
//! opening files without blocking on a named pipe.
//!
//! Two kinds of link are told apart. An ordinary link (`sheet.txt -> worksheets/a.txt`)
//! names another path, which is where a file is read or replaced. A *descriptor* link
//! (`/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`) names a file the process already has
//! open, possibly a pipe with no path at all; it is used as it is, never resolved.

use std::fs::{File, Metadata, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Component, Path, PathBuf};

/// An I/O error as a message reads it: the operating system's words without the
/// "(os error 2)" tail, starting lower-case ("no such file or directory").
pub fn io_reason(e: &io::Error) -> String {
    let s = e.to_string();
    let s = s.split(" (os error").next().unwrap_or(&s);
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_lowercase().chain(c).collect())
}

/// How many links are followed before giving up (the kernel's own limit is 40).
const MAX_LINKS: usize = 40;

/// What a path names once its links are followed.
#[derive(Debug)]
pub struct Followed {
    /// The path after following every ordinary link of its last component.
    pub path: PathBuf,
    /// The entry there (links followed by the system), or `None` when nothing is there.
    pub metadata: Option<Metadata>,
    /// The path is, or led through, a descriptor link (`/dev/stdout`, `/proc/self/fd/1`).
    pub descriptor: bool,
}

/// Returns true if and only if `path` names an open descriptor: `/dev/stdin`,
/// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` or `/proc/*/fd/N`.
pub fn is_descriptor(path: &Path) -> bool {
    let parts: Vec<Component<'_>> = path.components().collect();
    let word = |i: usize| parts.get(i).and_then(|c| c.as_os_str().to_str());
    if !path.is_absolute() {
        return false;
    }
    matches!(
        (word(1), word(2), word(3), word(4), parts.len()),
        (Some("dev"), Some("stdin" | "stdout" | "stderr"), None, None, 3)
            | (Some("dev"), Some("fd"), Some(_), None, 4)
            | (Some("proc"), Some(_), Some("fd"), Some(_), 5)
    )
}

/// Follows the ordinary links of `path`'s last component (a dangling link leads to the
/// path it names, which does not exist yet), stopping at a descriptor link.
pub fn follow(path: &Path) -> io::Result<Followed> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        if is_descriptor(&current) {
            return Ok(Followed {
                metadata: std::fs::metadata(&current).ok(),
                path: current,
                descriptor: true,
            });
        }
        let meta = match std::fs::symlink_metadata(&current) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Followed { path: current, metadata: None, descriptor: false });
            }
            Err(e) => return Err(e),
        };
        if !meta.file_type().is_symlink() {
            return Ok(Followed { path: current, metadata: Some(meta), descriptor: false });
        }
        let target = std::fs::read_link(&current)?;
        current = match current.parent() {
            Some(dir) if target.is_relative() => dir.join(target),
            _ => target,
        };
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// `O_NONBLOCK`: opening a named pipe for reading then returns at once instead of
/// waiting for a writer, and opening one for writing fails (`ENXIO`) when it has no
/// reader. Regular files ignore it.
pub const NONBLOCK: i32 = libc::O_NONBLOCK;

/// Opens `path` for reading without blocking, and refuses anything but a regular file
/// (a named pipe, a device, a socket, a folder) with the reason. A descriptor link
/// (`/dev/stdin`) is opened as it is: a pipe there already has its writer.
pub fn open_regular(path: &Path) -> io::Result<(File, Metadata)> {
    open_checked(path, follow(path)?.descriptor)
}

/// Opens a file that a folder walk found (never a descriptor link) as [`open_regular`]
/// does, without following its links first: whatever it is, it is opened without
/// blocking and refused once open if it is not a regular file. Two system calls fewer
/// than [`open_regular`], for `validate` of a formulary of thousands of files.
pub fn open_found(path: &Path) -> io::Result<(File, Metadata)> {
    open_checked(path, false)
}

/// Opens `path` for reading, without blocking unless it is a `descriptor` link, and
/// refuses anything but a regular file (or, through a descriptor, what is not a folder).
fn open_checked(path: &Path, descriptor: bool) -> io::Result<(File, Metadata)> {
    let mut options = OpenOptions::new();
    options.read(true);
    if !descriptor {
        options.custom_flags(NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if meta.is_file() || (descriptor && !meta.is_dir()) {
        return Ok((file, meta));
    }
    Err(io::Error::other(not_regular(&meta)))
}

/// Why a file that is not a regular file is refused.
pub fn not_regular(meta: &Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "it is a folder, not a file"
    } else if t.is_fifo() {
        "it is a named pipe (FIFO), not a regular file"
    } else if t.is_socket() {
        "it is a socket, not a regular file"
    } else if t.is_char_device() || t.is_block_device() {
        "it is a device, not a regular file"
    } else {
        "it is not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptor_paths() {
        for p in ["/dev/stdout", "/dev/stdin", "/dev/fd/1", "/proc/self/fd/1", "/proc/123/fd/7"] {
            assert!(is_descriptor(Path::new(p)), "{p}");
        }
        for p in ["/dev/null", "dev/stdout", "/dev/fd", "/proc/self/fd", "/proc/self/fdinfo/1", "/tmp/x"] {
            assert!(!is_descriptor(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn links_are_followed_to_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("target.txt"), "x").unwrap();
        std::os::unix::fs::symlink("target.txt", d.join("a")).unwrap();
        std::os::unix::fs::symlink(d.join("a"), d.join("b")).unwrap();
        std::os::unix::fs::symlink("missing.txt", d.join("dangling")).unwrap();
        std::os::unix::fs::symlink("loop", d.join("loop")).unwrap();
        let f = follow(&d.join("b")).unwrap();
        assert_eq!(f.path, d.join("target.txt"));
        assert!(f.metadata.unwrap().is_file() && !f.descriptor);
        let f = follow(&d.join("dangling")).unwrap();
        assert_eq!(f.path, d.join("missing.txt"));
        assert!(f.metadata.is_none());
        assert!(follow(&d.join("loop")).is_err());
        assert!(follow(Path::new("/dev/stdout")).unwrap().descriptor);
    }

    #[test]
    fn only_regular_files_are_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        if std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
            let e = open_regular(&fifo).unwrap_err();
            assert_eq!(e.to_string(), "it is a named pipe (FIFO), not a regular file");
        }
        assert_eq!(open_regular(dir.path()).unwrap_err().to_string(), "it is a folder, not a file");
        std::fs::write(dir.path().join("f"), "x").unwrap();
        assert!(open_regular(&dir.path().join("f")).is_ok());
    }
}
