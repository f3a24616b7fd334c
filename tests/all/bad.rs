//! The bad-input corpus: `tests/bad/NNN-name/`, one command line per case.
//!
//! A case folder holds:
//!
//! - `cmd`: the arguments, one per line (an empty line is an empty argument); `{dir}`
//!   stands for the case folder and `{tmp}` for a scratch folder made for the case;
//! - optional inputs, such as `formula.toml` (the command runs in the case folder, so
//!   `formula.toml` in `cmd` is that file);
//! - optional `setup`, lines that build inputs too large or too special to keep in the
//!   repository, in `{tmp}`:
//!   - `file NAME COUNT TEXT`: append `TEXT` (`\n` for a newline) `COUNT` times to `NAME`;
//!   - `link NAME TARGET`: a symlink `NAME` pointing at `TARGET`;
//!   - `copy NAME SOURCE`: a copy of the file `SOURCE`;
//!   - `fifo NAME`: a named pipe;
//!
//!   where `NAME` may hold `\xNN` for a byte that is not UTF-8;
//! - `expected.snap`: the expected exit status, standard output and standard error, as an
//!   insta snapshot (paths shown as `{dir}` and `{tmp}`).
//!
//! Every case must end with exit status 1 (bad input) or 2 (usage), never 0 or a panic,
//! within a minute. Review new snapshots with `cargo insta review`, or accept them with
//! `INSTA_UPDATE=always cargo test --test all bad`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::robustness::run_within;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let mut cases: Vec<PathBuf> =
        fs::read_dir(root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.join("cmd").is_file()).collect();
    cases.sort();
    cases
}

fn unescape(s: &str) -> String {
    s.replace("\\n", "\n")
}

/// A file name with `\xNN` escapes, which may make it not UTF-8.
fn file_name(s: &str) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    let mut bytes = Vec::new();
    let mut rest = s.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'\\' && tail.first() == Some(&b'x') && tail.len() >= 3 {
            let hex = std::str::from_utf8(&tail[1..3]).unwrap();
            bytes.push(u8::from_str_radix(hex, 16).unwrap());
            rest = &tail[3..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

fn setup(case: &Path, tmp: &Path, subst: &dyn Fn(&str) -> String) {
    let Ok(script) = fs::read_to_string(case.join("setup")) else { return };
    for line in script.lines().filter(|l| !l.trim().is_empty()) {
        let mut words = line.splitn(4, ' ');
        let (verb, name) = (words.next().unwrap(), tmp.join(file_name(&subst(words.next().unwrap()))));
        if let Some(parent) = name.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        match verb {
            "file" => {
                let count: usize = words.next().unwrap().parse().unwrap();
                let chunk = unescape(words.next().unwrap_or(""));
                let mut body = fs::read(&name).unwrap_or_default();
                body.extend(chunk.repeat(count).into_bytes());
                fs::write(&name, body).unwrap();
            }
            "link" => std::os::unix::fs::symlink(subst(words.next().unwrap()), &name).unwrap(),
            "copy" => {
                fs::copy(subst(words.next().unwrap()), &name).unwrap();
            }
            "fifo" => assert!(Command::new("mkfifo").arg(&name).status().unwrap().success()),
            other => panic!("{}: unknown setup verb `{other}`", case.display()),
        }
    }
}

/// Runs one case and returns its name and its normalized output.
fn run_case(case: &Path) -> (String, String) {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let tmp = tempfile::tempdir().unwrap();
    let (dir_s, tmp_s) = (case.display().to_string(), tmp.path().display().to_string());
    let subst = |s: &str| s.replace("{dir}", &dir_s).replace("{tmp}", &tmp_s);
    setup(case, tmp.path(), &subst);
    let cmd = fs::read_to_string(case.join("cmd")).unwrap();
    let args: Vec<String> = cmd.lines().map(subst).collect();
    let mut command = Command::new(env!("CARGO_BIN_EXE_ketacalc"));
    command.args(&args).current_dir(case).env_clear().env("NO_COLOR", "1");
    let o = run_within(command, Duration::from_secs(60));
    let normalize = |b: &[u8]| String::from_utf8_lossy(b).replace(&dir_s, "{dir}").replace(&tmp_s, "{tmp}");
    let (stdout, stderr) = (normalize(&o.stdout), normalize(&o.stderr));
    let code = o.status.code();
    assert!(matches!(code, Some(1 | 2)), "{name}: exit status {code:?}\n{stdout}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert!(!stderr.is_empty() || !stdout.is_empty(), "{name}: no message");
    let shown = format!("status: {}\n--- stdout ---\n{stdout}--- stderr ---\n{stderr}", code.unwrap_or(-1));
    (name, shown)
}

#[test]
fn every_bad_input_is_refused_with_a_message() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut failed = Vec::new();
    for case in &cases {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let (name, output) = run_case(case);
            let cmd = fs::read_to_string(case.join("cmd")).unwrap();
            let description = format!("ketacalc {}", cmd.lines().collect::<Vec<_>>().join(" "));
            insta::with_settings!({
                snapshot_path => case,
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => description,
            }, {
                insta::assert_snapshot!("expected", output);
            });
            name
        }));
        if result.is_err() {
            failed.push(case.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    assert!(failed.is_empty(), "{} of {} cases failed: {failed:?}", failed.len(), cases.len());
}
