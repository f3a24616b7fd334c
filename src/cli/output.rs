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
