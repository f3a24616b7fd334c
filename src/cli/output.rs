//! Writing results: to standard output (a closed pipe is not an error), or to a file
//! atomically (a temporary file in the same folder, synced, then renamed).

use std::io::Write;
use std::path::Path;

/// What went wrong writing output.
pub(crate) enum WriteError {
    /// The reader went away (`ketacalc … | head -1`): stop quietly.
    BrokenPipe,
    /// Anything else, with a message naming the path.
    Failed(String),
}

fn reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    s.split(" (os error").next().unwrap_or(&s).to_lowercase()
}

/// Writes `text` to standard output.
pub(crate) fn stdout(text: &str) -> Result<(), WriteError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(WriteError::BrokenPipe),
        Err(e) => Err(WriteError::Failed(format!("cannot write to standard output: {}", reason(&e)))),
    }
}

/// Writes `text` to standard error. A failure (`2>/dev/full`, a closed pipe) is returned,
/// never a panic as `eprint!` would: the caller still exits with status 1.
pub(crate) fn stderr(text: &str) -> Result<(), WriteError> {
    let mut err = std::io::stderr().lock();
    match err.write_all(text.as_bytes()).and_then(|()| err.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(WriteError::BrokenPipe),
        Err(e) => Err(WriteError::Failed(format!("cannot write to standard error: {}", reason(&e)))),
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
    use std::os::unix::fs::MetadataExt;
    let (Ok(out), Ok(null)) = (std::fs::metadata("/proc/self/fd/1"), std::fs::metadata("/dev/null")) else {
        return false;
    };
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

/// Writes `text` to `path` atomically: nothing is written on error, and an existing file
/// is left untouched.
pub(crate) fn file(path: &Path, text: &str) -> Result<(), WriteError> {
    let fail =
        |e: std::io::Error| WriteError::Failed(format!("cannot write `{}`: {}", path.display(), reason(&e)));
    // A device, FIFO or socket (`/dev/full`, `/dev/stdout`, the pipe behind `-o >(gzip)`)
    // is written to directly: renaming over it would replace `/dev/full` itself with a
    // regular file, and there is no file content to keep intact anyway.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let written = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.flush()));
        return match written {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(WriteError::BrokenPipe),
            Err(e) => Err(fail(e)),
        };
    }
    if path.is_dir() {
        return Err(WriteError::Failed(format!(
            "cannot write `{}`: it is a folder; give a file name",
            path.display()
        )));
    }
    let name = path.file_name().ok_or_else(|| {
        WriteError::Failed(format!("cannot write `{}`: it is not a file name", path.display()))
    })?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        // Make the rename itself durable.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}
