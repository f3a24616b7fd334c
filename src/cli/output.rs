//! Writing results: to standard output (a closed pipe is not an error), to standard
//! error (fallibly), or to a file atomically (a temporary file in the same folder,
//! synced, then renamed; see [`file`]).

use std::io::Write;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use ketacalc::files;

/// What went wrong writing output.
pub(crate) enum WriteError {
    /// The reader went away (`ketacalc … | head -1`): stop quietly.
    BrokenPipe,
    /// Anything else, with a message naming the path.
    Failed(String),
}

/// Writes `text` to standard output.
pub(crate) fn stdout(text: &str) -> Result<(), WriteError> {
    write_to(std::io::stdout().lock(), "standard output", text)
}

/// Writes `text` to standard error. A failure (`2>/dev/full`, a closed pipe) is returned,
/// never a panic as `eprint!` would: the caller still exits with status 1.
pub(crate) fn stderr(text: &str) -> Result<(), WriteError> {
    write_to(std::io::stderr().lock(), "standard error", text)
}

/// Writes and flushes `text`; `name` names the stream in the message.
fn write_to(mut out: impl Write, name: &str, text: &str) -> Result<(), WriteError> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(WriteError::BrokenPipe),
        Err(e) => Err(WriteError::Failed(format!("cannot write to {name}: {}", files::io_reason(&e)))),
    }
}

/// Returns true if and only if standard output was closed when ketacalc started
/// (`ketacalc batch … >&-`).
///
/// The Rust runtime reopens a closed standard descriptor on `/dev/null`, read-write,
/// before `main` runs, so writes to it succeed and the output would be lost without a
/// word. What is left to see is that descriptor: `/dev/null` opened for reading *and*
/// writing. A shell's `> /dev/null` opens it write-only, so discarding the output on
/// purpose still works; a parent that passes a read-write `/dev/null` (Python's
/// `subprocess.DEVNULL`, Node's `'ignore'`) looks the same as a closed descriptor and
/// is refused too. Linux only (`/proc/self/fdinfo`); elsewhere this returns false.
pub(crate) fn stdout_closed() -> bool {
    // The descriptor's own `fstat` (of a copy of it): a path through `/proc/self/fd`
    // costs a lookup in `/proc`, a hundredth of a worksheet's start (BENCHMARKS.md).
    use std::os::fd::AsFd;
    let Ok(out) =
        std::io::stdout().as_fd().try_clone_to_owned().and_then(|fd| std::fs::File::from(fd).metadata())
    else {
        return false;
    };
    // A pipe or a file, the common case, is not `/dev/null`: no other call is made.
    if !out.file_type().is_char_device() {
        return false;
    }
    let Ok(null) = std::fs::metadata("/dev/null") else { return false };
    if out.dev() != null.dev() || out.ino() != null.ino() {
        return false;
    }
    let Ok(info) = std::fs::read_to_string("/proc/self/fdinfo/1") else { return false };
    // `flags:	0100002`: octal open flags, whose low two bits are the access mode.
    info.lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
        .is_some_and(|flags| flags & 0o3 == 0o2)
}

/// Writes `text` to `path` (`-o FILE`), never onto one of `inputs`, the files read (each
/// with what it is, `formula file`).
///
/// - A regular file is replaced atomically: a temporary file in the same folder, synced,
///   then renamed over it, keeping its permissions (and, when allowed, its owner). On any
///   error nothing is written and the file is left untouched. A read-only file is refused
///   rather than replaced.
/// - A symbolic link is followed: the file it names is replaced in its own folder and the
///   link stays a link; a dangling link's target is created.
/// - A device, a named pipe (FIFO) or a socket is written to directly, as is a
///   descriptor (`/dev/stdout`, `/dev/fd/3`), which is appended to: renaming over it
///   would replace `/dev/full` itself with a regular file. A named pipe without a
///   reader is refused instead of waited on.
pub(crate) fn file(path: &Path, text: &str, inputs: &[(std::path::PathBuf, &str)]) -> Result<(), WriteError> {
    let shown = path.display();
    let fail =
        |e: std::io::Error| WriteError::Failed(format!("cannot write `{shown}`: {}", files::io_reason(&e)));
    let refuse = |why: String| WriteError::Failed(format!("cannot write `{shown}`: {why}"));
    let target = files::follow(path).map_err(fail)?;
    if let Some(meta) = &target.metadata
        && let Some((input, what)) = inputs
            .iter()
            .find(|(i, _)| std::fs::metadata(i).is_ok_and(|i| i.dev() == meta.dev() && i.ino() == meta.ino()))
    {
        return Err(refuse(format!(
            "it is the {what} `{}` itself; give the worksheet another file name",
            input.display()
        )));
    }
    match &target.metadata {
        Some(m) if m.is_dir() => Err(refuse("it is a folder; give a file name".to_string())),
        Some(m) if m.is_file() && !target.descriptor => {
            if m.permissions().readonly() {
                return Err(refuse(format!(
                    "it is read-only (mode {:04o}); make it writable (`chmod u+w`) or give another file name",
                    m.mode() & 0o7777
                )));
            }
            replace(&target.path, Some(m), text).map_err(fail)
        }
        None if !target.descriptor => replace(&target.path, None, text).map_err(fail),
        _ => direct(path, &target, text).map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => WriteError::BrokenPipe,
            _ if e.raw_os_error() == Some(libc::ENXIO) && is_fifo(&target) => refuse(
                "it is a named pipe (FIFO) with no reader; start the reader first, or give a regular file"
                    .to_string(),
            ),
            _ => fail(e),
        }),
    }
}

fn is_fifo(target: &files::Followed) -> bool {
    target.metadata.as_ref().is_some_and(|m| m.file_type().is_fifo())
}

/// Writes to a device, named pipe, socket or descriptor as it is. Opened without
/// blocking (unless it is a descriptor, already open), so a named pipe without a reader
/// fails at once; a full pipe is waited on, as a blocking write would.
fn direct(path: &Path, target: &files::Followed, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.append(true);
    if !target.descriptor {
        options.custom_flags(files::NONBLOCK);
    }
    let mut f = options.open(path)?;
    let mut rest = text.as_bytes();
    while !rest.is_empty() {
        match f.write(rest) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => rest = rest.get(n..).unwrap_or_default(),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            Err(e) => return Err(e),
        }
    }
    f.flush()
}

/// Replaces (or creates) the regular file `target` atomically: a temporary file with a
/// random name in its folder (which does not grow with the target's, so a target whose
/// name is at the file system's limit can still be written), given `existing`'s
/// permission bits and owner, synced, then renamed over it. A temporary file left by a
/// failure is removed.
fn replace(target: &Path, existing: Option<&std::fs::Metadata>, text: &str) -> std::io::Result<()> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    // Private (0600) when it will take an existing file's permissions, else as a new
    // file would be made (0666 less the umask).
    let mode = if existing.is_some() { 0o600 } else { 0o666 };
    let mut tmp = tempfile::Builder::new()
        .prefix(".ketacalc-")
        .suffix(".tmp")
        .permissions(std::fs::Permissions::from_mode(mode))
        .tempfile_in(&dir)
        .map_err(os_error)?;
    if let Some(m) = existing {
        // Root may give the file back to its owner; anyone else keeps it (an error here
        // is the normal case, not a failure).
        let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(m.uid()), Some(m.gid()));
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(m.mode() & 0o777))?;
    }
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    // Make the rename itself durable.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The system's own error under one that `tempfile` adds the temporary file's path to,
/// so that a message says what the system said (`permission denied`) about the target.
fn os_error(e: std::io::Error) -> std::io::Error {
    let code = e.raw_os_error().or_else(|| {
        let inner = e.get_ref()?.source()?;
        inner.downcast_ref::<std::io::Error>()?.raw_os_error()
    });
    match code {
        Some(c) => std::io::Error::from_raw_os_error(c),
        None => e,
    }
}
