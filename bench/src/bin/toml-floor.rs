//! The floor for `validate DIR`: walk a folder, read every `*.toml` and parse it into a
//! `toml::Table`, on one thread, then print how many files were parsed. ketacalc's
//! `validate` does this and everything else on top of it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn walk(root: &Path, each: &mut dyn FnMut(&Path)) -> std::io::Result<()> {
    let mut stack: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            let ft = entry.file_type()?;
            if ft.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "toml") {
                each(&path);
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let Some(root) = std::env::args_os().nth(1) else {
        eprintln!("usage: toml-floor DIR");
        return ExitCode::from(2);
    };
    let (mut ok, mut bad) = (0usize, 0usize);
    let walked = walk(Path::new(&root), &mut |path| {
        let parsed = std::fs::read_to_string(path).ok().and_then(|text| text.parse::<toml::Table>().ok());
        match parsed {
            Some(table) => {
                std::hint::black_box(table);
                ok += 1;
            }
            None => bad += 1,
        }
    });
    if let Err(e) = walked {
        eprintln!("toml-floor: {e}");
        return ExitCode::FAILURE;
    }
    println!("parsed {ok} files, {bad} failed");
    if bad == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
