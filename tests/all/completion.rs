//! Shell completion of formula ids (SPEC §11.1): the bash script, sourced in bash with
//! `COMP_WORDS` and `COMP_CWORD` as bash sets them, completes the formula of `batch`,
//! `label` and `show` with the ids of the formulary the command would use: `--formulas DIR`
//! on the line, else `KETACALC_FORMULAS`, else the built-in formulary; and leaves option
//! values, later operands and other commands to clap's completions. Fish and zsh where
//! they are installed.

use std::path::Path;
use std::process::Command;

use crate::cli::{builtin_ids, run};

/// A formulary folder holding formulas with these ids (copies of a built-in file; the
/// ids only name the files).
fn formulary(dir: &Path, ids: &[&str]) {
    let text =
        std::fs::read_to_string(crate::cli::root().join("formulas/ketamine-hcl-troche-50.toml")).unwrap();
    for id in ids {
        std::fs::write(dir.join(format!("{id}.toml")), &text).unwrap();
    }
}

/// What bash completes for the words of a command line (the last one being completed),
/// with `env` set: the words of COMPREPLY, sorted.
fn bash(words: &[&str], env: &[(&str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("ketacalc.bash");
    std::fs::write(&script, run(&["completions", "bash"]).stdout).unwrap();
    // Bash splits `--opt=value` into three words at `=` (COMP_WORDBREAKS).
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let test = format!(
        r#"source "$1"
COMP_WORDS=("$2" {words})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMPREPLY=()
_ketacalc_with_ids "${{COMP_WORDS[0]}}" "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        words = quoted.join(" ")
    );
    let mut cmd = Command::new("bash");
    cmd.args(["-c", &test, "bash"]).arg(&script).arg(env!("CARGO_BIN_EXE_ketacalc"));
    cmd.env_remove("KETACALC_FORMULAS").current_dir(crate::cli::root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut got: Vec<String> =
        String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.is_empty()).map(str::to_string).collect();
    got.sort();
    got
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn bash_completes_the_ids_of_the_built_in_formulary() {
    for command in ["batch", "label", "show"] {
        assert_eq!(bash(&[command, ""], &[]), builtin_ids(), "{command}");
        assert_eq!(
            bash(&[command, "ketamine-iv"], &[]),
            strings(&["ketamine-iv-0.5mgkg-100ml", "ketamine-iv-1mgml-500ml"])
        );
    }
    // After options, and after an option value that bash splits at `=`.
    assert_eq!(
        bash(&["batch", "--quantity", "30mL", "ketamine-hcl-t"], &[]),
        strings(&["ketamine-hcl-troche-50"])
    );
    assert_eq!(
        bash(&["batch", "--assay", "ketamine-hcl", "=", "99%", "ketamine-hcl-r"], &[]),
        strings(&["ketamine-hcl-rdt-25"])
    );
    assert_eq!(bash(&["--color", "never", "show", "ketamine-hcl-r"], &[]), strings(&["ketamine-hcl-rdt-25"]));
}

#[test]
fn bash_completes_the_ids_of_ketacalc_formulas_and_of_formulas_dir_on_the_line() {
    let (env_dir, flag_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    formulary(env_dir.path(), &["house-cream-5", "house-spray-20"]);
    formulary(flag_dir.path(), &["clinic-troche-25", "clinic-rdt-10"]);
    let env = [("KETACALC_FORMULAS", env_dir.path().to_str().unwrap())];
    let flag = flag_dir.path().to_str().unwrap();
    assert_eq!(bash(&["batch", ""], &env), strings(&["house-cream-5", "house-spray-20"]));
    assert_eq!(bash(&["label", "house-s"], &env), strings(&["house-spray-20"]));
    // --formulas wins over the environment, before or after the formula, with or without `=`.
    assert_eq!(
        bash(&["show", "--formulas", flag, ""], &env),
        strings(&["clinic-rdt-10", "clinic-troche-25"])
    );
    assert_eq!(bash(&["batch", "--formulas", "=", flag, "clinic-t"], &[]), strings(&["clinic-troche-25"]));
    assert_eq!(
        bash(&["label", "--quantity", "30", "--formulas", flag, "clinic-r"], &env),
        strings(&["clinic-rdt-10"])
    );
    // A folder that cannot be read has no ids, and says nothing on the line being typed.
    assert_eq!(bash(&["batch", "--formulas", "/nonexistent", ""], &[]), Vec::<String>::new());
}

#[test]
fn bash_leaves_option_values_other_operands_and_commands_to_clap() {
    // An option's values are clap's.
    assert_eq!(
        bash(&["batch", "ketamine-hcl-troche-50", "--format", ""], &[]),
        strings(&["csv", "html", "json", "markdown", "table"])
    );
    // (clap offers file names for a value without choices, as before.)
    assert!(!bash(&["batch", "--quantity", ""], &[]).iter().any(|w| w.starts_with("ketamine")));
    // Once the formula is given, no more ids; options as before.
    let after = bash(&["batch", "ketamine-hcl-troche-50", ""], &[]);
    assert!(
        after.contains(&"--quantity".to_string()) && !after.iter().any(|w| w.starts_with("ketamine")),
        "{after:?}"
    );
    assert_eq!(bash(&["batch", "--qua"], &[]), strings(&["--quantity"]));
    // Other commands take paths or values, not ids.
    assert_eq!(bash(&["validate", "ketamine"], &[]), Vec::<String>::new());
    let top = bash(&["s"], &[]);
    assert!(top.contains(&"show".to_string()) && top.contains(&"schema".to_string()), "{top:?}");
    assert!(!bash(&[""], &[]).iter().any(|w| w.contains("__ids")), "the hidden command is not offered");
}

#[test]
fn the_hidden_command_prints_the_ids_and_nothing_else() {
    let r = run(&["__ids"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().collect::<Vec<_>>(), builtin_ids());
    let dir = tempfile::tempdir().unwrap();
    formulary(dir.path(), &["b-2", "a-1"]);
    let r = run(&["__ids", "--formulas", dir.path().to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "a-1\nb-2\n", ""));
    let r = run(&["__ids", "--formulas", "/nonexistent"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    let r = run(&["__ids", "--bogus"]);
    assert_eq!((r.code, r.stderr.as_str()), (2, ""));
    for place in [run(&["--help"]).stdout, run(&["man"]).stdout, run(&["completions", "fish"]).stdout] {
        assert!(!place.contains("__ids\t") && !place.contains("  __ids "), "{place}");
    }
}

/// What fish completes for a command line (`complete -C`); `None` without fish.
#[allow(clippy::print_stdout, reason = "the skip is reported where `cargo test` shows it")]
fn fish(line: &str, env: &[(&str, &str)]) -> Option<Vec<String>> {
    if Command::new("fish").arg("--version").output().is_err() {
        println!("skipped: fish not installed, so its completion is not run");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("ketacalc.fish");
    std::fs::write(&script, run(&["completions", "fish"]).stdout).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_ketacalc"));
    // The script completes `ketacalc`: put the binary on the PATH under that name.
    let path = format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let mut cmd = Command::new("fish");
    cmd.args(["--no-config", "-c", &format!("source {}; complete -C '{line}'", script.display())]);
    cmd.env("PATH", path).env_remove("KETACALC_FORMULAS").current_dir(crate::cli::root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut got: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    got.sort();
    Some(got)
}

#[test]
fn fish_completes_the_ids_of_the_formulary_the_command_would_use() {
    let Some(ids) = fish("ketacalc batch ketamine-iv", &[]) else { return };
    assert_eq!(ids, strings(&["ketamine-iv-0.5mgkg-100ml", "ketamine-iv-1mgml-500ml"]));
    let (env_dir, flag_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    formulary(env_dir.path(), &["house-cream-5"]);
    formulary(flag_dir.path(), &["clinic-troche-25"]);
    let env = [("KETACALC_FORMULAS", env_dir.path().to_str().unwrap())];
    assert_eq!(fish("ketacalc label house", &env).unwrap(), strings(&["house-cream-5"]));
    let line = format!("ketacalc show --formulas {} clinic", flag_dir.path().display());
    assert_eq!(fish(&line, &env).unwrap(), strings(&["clinic-troche-25"]));
    assert!(fish("ketacalc batch ketamine-hcl-troche-50 ketamine", &[]).unwrap().is_empty());
}

#[test]
fn the_zsh_script_completes_the_formula_with_ids_and_parses() {
    let script = run(&["completions", "zsh"]).stdout;
    assert_eq!(script.matches(":_ketacalc_formula_ids'").count(), 3, "batch, label and show");
    if Command::new("zsh").arg("--version").output().is_err() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("_ketacalc");
    std::fs::write(&file, &script).unwrap();
    let out = Command::new("zsh").arg("-n").arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
