//! `--color auto|always|never` on every command (SPEC §11.1): `auto` colours only a
//! terminal without `NO_COLOR`; the flag wins over the environment; files and machine
//! formats are never coloured.

use crate::cli::{DATE, finish, ketacalc, root, run};

/// The escape that starts the worksheet's bold headings.
const BOLD: &str = "\u{1b}[1m";

fn sheet(extra: &[&str]) -> String {
    let r = run(&[&["batch", "ketamine-hcl-troche-50", "--date", DATE][..], extra].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn always_and_never_decide_whatever_the_output_and_the_environment() {
    // Every run of the suite has NO_COLOR=1 and a pipe for standard output.
    assert!(sheet(&["--color", "always"]).contains(BOLD));
    assert!(sheet(&["--color=always"]).starts_with(&format!("{BOLD}COMPOUNDING WORKSHEET")));
    assert!(!sheet(&["--color", "never"]).contains('\u{1b}'));
    // Without the flag, a pipe is not coloured, and the last flag wins.
    assert!(!sheet(&[]).contains('\u{1b}'));
    assert!(!sheet(&["--color", "always", "--color", "never"]).contains('\u{1b}'));
    let r =
        finish(ketacalc().args(["batch", "ketamine-hcl-troche-50", "--date", DATE]).env_remove("NO_COLOR"));
    assert!(!r.stdout.contains('\u{1b}'), "auto colours only a terminal");
}

#[test]
fn files_and_machine_formats_are_never_coloured() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sheet.txt");
    let r = run(&[
        "batch",
        "ketamine-hcl-troche-50",
        "--date",
        DATE,
        "--color",
        "always",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!std::fs::read_to_string(&file).unwrap().contains('\u{1b}'));
    for format in ["json", "csv", "markdown", "html"] {
        let out = sheet(&["--color", "always", "--format", format]);
        assert!(!out.contains('\u{1b}'), "{format}");
    }
}

#[test]
fn every_command_takes_the_flag_and_refuses_other_values() {
    let commands: [&[&str]; 9] = [
        &["list"],
        &["show", "ketamine-hcl-troche-50"],
        &["validate"],
        &["label", "ketamine-hcl-troche-50", "--date", DATE],
        &["convert", "1:2500w/v", "--to", "mg/mL"],
        &["schema"],
        &["completions", "bash"],
        &["man"],
        &["batch", "ketamine-hcl-troche-50", "--date", DATE],
    ];
    for args in commands {
        for when in ["auto", "always", "never"] {
            let r = run(&[args, &["--color", when]].concat());
            assert_eq!(r.code, 0, "{args:?} --color {when}: {}", r.stderr);
            // Before the command too: the flag is global.
            let r = run(&[&["--color", when][..], args].concat());
            assert_eq!(r.code, 0, "--color {when} {args:?}: {}", r.stderr);
        }
        let r = run(&[args, &["--color", "Always"]].concat());
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stderr.contains("[possible values: auto, always, never]"), "{}", r.stderr);
    }
}

/// Runs `ketacalc ARGS` on a pseudo-terminal (util-linux `script`), with `env` set; `None`
/// (and the reason printed) where `script` is missing.
#[allow(clippy::print_stdout, reason = "the skip is reported where `cargo test` shows it")]
fn on_a_terminal(args: &str, env: &[(&str, &str)]) -> Option<String> {
    let script = ["/usr/bin/script", "/bin/script"].into_iter().find(|p| std::path::Path::new(p).exists());
    let Some(script) = script else {
        println!("skipped: `script` (util-linux) not installed, so no terminal to test `--color auto` on");
        return None;
    };
    let mut cmd = std::process::Command::new(script);
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_ketacalc"));
    cmd.args(["-qec", &command, "/dev/null"]).current_dir(root()).env_remove("NO_COLOR").env("TERM", "xterm");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn auto_colours_a_terminal_unless_no_color_or_never_says_otherwise() {
    let args = format!("batch ketamine-hcl-troche-50 --date {DATE} --width 80");
    let Some(plain) = on_a_terminal(&args, &[]) else { return };
    assert!(plain.contains(BOLD), "{plain}");
    assert!(!on_a_terminal(&args, &[("NO_COLOR", "1")]).unwrap().contains('\u{1b}'));
    // An empty NO_COLOR counts as unset.
    assert!(on_a_terminal(&args, &[("NO_COLOR", "")]).unwrap().contains(BOLD));
    assert!(!on_a_terminal(&args, &[("TERM", "dumb")]).unwrap().contains(BOLD));
    assert!(!on_a_terminal(&format!("{args} --color never"), &[]).unwrap().contains('\u{1b}'));
    assert!(on_a_terminal(&format!("{args} --color always"), &[("NO_COLOR", "1")]).unwrap().contains(BOLD));
}
