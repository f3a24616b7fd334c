//! The command line (SPEC §4, §5): exit statuses, what goes to stdout and stderr, and
//! the exact `line:col` and code of every validation rule of SPEC §2.3.
//!
//! Every run removes `KETACALC_FORMULAS`, sets `NO_COLOR`, and passes an explicit
//! `--date` to `batch`, so that outputs do not depend on the environment or the day.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use assert_cmd::Command;
use serde_json::Value;

/// The compounding date of every batch run.
pub(crate) const DATE: &str = "2026-11-26";

/// The crate root, where `formulas/` and `tests/fixtures/` live.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `ketacalc`, run from the crate root with a clean environment.
pub(crate) fn ketacalc() -> Command {
    let mut cmd = Command::cargo_bin("ketacalc").unwrap();
    cmd.env_remove("KETACALC_FORMULAS").env("NO_COLOR", "1").env("TZ", "UTC").current_dir(root());
    cmd
}

/// What one run printed and how it ended.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// The JSON document on stdout.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr)
        })
    }
}

/// Runs `cmd` to completion; a panic (exit 101) is always a bug, and the JSON of a batch
/// must match the output schema ([`crate::output_schema::check_run`]).
pub(crate) fn finish(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        run.code != 101 && !run.stderr.contains("panicked"),
        "ketacalc panicked: {:?}\n{}",
        cmd,
        run.stderr
    );
    let args: Vec<String> = cmd.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
    let dir = cmd.get_current_dir().map_or_else(root, Path::to_path_buf);
    crate::output_schema::check_run(&args, &dir, run.code, &run.stdout);
    run
}

/// Runs `ketacalc ARGS` from the crate root.
pub(crate) fn run(args: &[&str]) -> Run {
    finish(ketacalc().args(args))
}

/// The patient of every built-in infusion's batch: 70 kg, compounded at 09:00.
pub(crate) const PATIENT: [&str; 4] = ["--weight", "70kg", "--time", "09:00"];

/// [`PATIENT`] for a built-in infusion given by id (unless `extra` names its own weight
/// or dose), else nothing: what makes every built-in formula's reference batch.
pub(crate) fn patient<'a>(id: &str, extra: &[&str]) -> &'a [&'a str] {
    let infusion = id.starts_with("ketamine-iv-") && !id.contains('/');
    if infusion && !extra.iter().any(|a| a.starts_with("--weight") || a.starts_with("--dose")) {
        &PATIENT
    } else {
        &[]
    }
}

/// Runs `ketacalc batch ID --date 2026-11-26 EXTRA...` (with [`patient`]).
pub(crate) fn batch(id: &str, extra: &[&str]) -> Run {
    finish(ketacalc().args(["batch", id, "--date", DATE]).args(patient(id, extra)).args(extra))
}

/// Runs `batch … --format json` and expects success.
pub(crate) fn batch_json(id: &str, extra: &[&str]) -> Value {
    let r = finish(
        ketacalc()
            .args(["batch", id, "--date", DATE, "--format", "json"])
            .args(patient(id, extra))
            .args(extra),
    );
    assert_eq!(r.code, 0, "batch {id} {extra:?} failed:\n{}", r.stderr);
    r.json()
}

/// The ids of the built-in formulary, read from `formulas/*.toml`.
pub(crate) fn builtin_ids() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(root().join("formulas"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn invalid(name: &str) -> String {
    format!("tests/fixtures/invalid/{name}.toml")
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap_or_else(|| panic!("not an object: {v}")).keys().cloned().collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Collapses whitespace runs, so that text wrapped by the worksheet still matches.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// validate: one bad file per rule
// ---------------------------------------------------------------------------------------

/// `validate FILE --format json` on a bad file: a diagnostic with `code` at `line:col`,
/// exit 1 when there is an error (else 0, and 1 with `--deny-warnings`); the human format
/// reports the same place as `path:line:col: severity:`.
#[track_caller]
fn assert_diagnostic(path: &str, code: &str, line: u64, col: u64) {
    let r = run(&["validate", path, "--format", "json"]);
    let doc = r.json();
    let has_errors = doc["errors"].as_u64() != Some(0);
    assert_eq!(r.code, i32::from(has_errors), "validate {path}:\n{}{}", r.stdout, r.stderr);
    assert_eq!(run(&["validate", path, "--deny-warnings"]).code, 1, "{path} with --deny-warnings");
    let diags = doc["diagnostics"].as_array().unwrap();
    let found = diags.iter().find(|d| d["code"] == code);
    let d = found.unwrap_or_else(|| panic!("{path}: no `{code}` diagnostic in {doc:#}"));
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(line), Some(col)), "{path}: {d:#}");
    assert_eq!(d["file"], path);
    let severity = d["severity"].as_str().unwrap().to_string();
    assert_eq!(doc["files"], 1);
    let errors = diags.iter().filter(|d| d["severity"] == "error").count();
    assert_eq!(doc["errors"].as_u64(), Some(errors as u64));
    assert_eq!(doc["warnings"].as_u64(), Some((diags.len() - errors) as u64));

    let human = run(&["validate", path]);
    assert_eq!(human.code, i32::from(has_errors));
    let head = format!("{path}:{line}:{col}: {severity}: ");
    assert!(human.stdout.lines().any(|l| l.starts_with(&head)), "no `{head}` in:\n{}", human.stdout);
    assert!(human.stdout.ends_with(&format!(
        "checked 1 file: {errors} error{}, {} warning{}\n",
        if errors == 1 { "" } else { "s" },
        diags.len() - errors,
        if diags.len() - errors == 1 { "" } else { "s" }
    )));
}

macro_rules! validate_rules {
    ($($(#[$meta:meta])* $test:ident: $file:literal => $code:literal at $line:literal : $col:literal;)*) => {
        $(
            $(#[$meta])*
            #[test]
            fn $test() {
                assert_diagnostic(&invalid($file), $code, $line, $col);
            }
        )*
    };
}

validate_rules! {
    /// An unterminated string: reported where the parser gave up, at the end of line 28.
    validate_toml_syntax: "toml-syntax" => "toml-syntax" at 28:29;
    /// `ammount` must not be silently ignored.
    validate_unknown_key_ammount: "unknown-key" => "unknown-key" at 22:1;
    /// `amount = 50.0` passes through binary floating point.
    validate_toml_float: "toml-float" => "toml-float" at 22:10;
    validate_number_exponent: "number-exponent" => "bad-number" at 22:10;
    validate_number_negative: "number-negative" => "bad-number" at 22:10;
    validate_number_underscore: "number-underscore" => "bad-number" at 22:10;
    validate_number_leading_dot: "number-leading-dot" => "bad-number" at 22:10;
    /// 29 digits: above rust_decimal's 79228162514264337593543950335.
    validate_number_29_digits: "number-too-large" => "bad-number" at 22:10;
    validate_unit_unknown: "unit-unknown" => "bad-unit" at 22:10;
    /// A bare `%` in an amount: say `%w/w`, `%w/v` or `%v/v`.
    validate_unit_bare_percent: "unit-bare-percent" => "bad-unit" at 22:10;
    /// `mg/mL` in a cream (mass basis).
    validate_amount_form_mg_per_ml_in_cream: "cream-mg-per-ml" => "amount-form" at 18:10;
    /// No `qs` at all: reported at the start of the file (the table it is missing from).
    validate_zero_qs: "qs-none" => "qs-count" at 1:1;
    /// The second `qs` is reported at its amount.
    validate_two_qs: "qs-two" => "qs-count" at 36:10;
    /// Reported at the `[[ingredients]]` header of the active.
    validate_active_without_basis: "missing-basis" => "missing-basis" at 18:1;
    validate_only_one_molecular_weight: "one-molecular-weight" => "molecular-weights" at 23:20;
    validate_zero_purity: "zero-purity" => "zero-factor" at 31:10;
    validate_zero_density: "zero-density" => "zero-factor" at 32:11;
    validate_zero_molecular_weight: "zero-molecular-weight" => "zero-factor" at 23:20;
    validate_purity_over_100: "purity-over-100" => "purity-over-100" at 31:10;
    /// 60% + 45% w/w: reported at the fraction that tips the sum over 100%.
    validate_fractions_leave_no_room_for_qs: "cream-fractions-over-100" => "no-room-for-qs" at 26:10;
    validate_aqueous_nonpreserved_room_temperature: "aqueous-nonpreserved-room" => "aqueous-nonpreserved-storage" at 9:11;
    validate_bud_days_200: "bud-days-200" => "bud-days" at 10:12;
    validate_bud_days_without_reference: "bud-days-no-reference" => "bud-days" at 10:12;
    validate_nasal_spray_without_device: "spray-no-device" => "missing-device" at 1:1;
    validate_troche_without_mold: "troche-no-mold" => "missing-mold" at 1:1;
    validate_id_pattern: "bad-id" => "bad-id" at 2:6;
    /// 30 × 1.000 g of cavities cannot hold 1.5 g × 0.70 + 40 g × 1.00 of displacement:
    /// only the dry run of the reference batch finds it, at the qs amount.
    validate_qs_not_positive_through_fixed_amounts: "troche-qs-not-positive" => "qs-not-positive" at 36:10;
    validate_above_solubility: "above-solubility" => "above-solubility" at 22:10;
    validate_zero_amount: "zero-amount" => "zero-amount" at 22:10;
    validate_wrong_type: "wrong-type" => "wrong-type" at 4:12;
    /// `%v/v` fractions of 60% + 40% leave no room for the vehicle.
    validate_volume_fractions_leave_no_room_for_qs: "volume-fractions-over-100" => "no-room-for-qs" at 33:10;
    /// 60% v/v of 100 mL plus a fixed 41 mL: found by the dry run, at the vehicle's `qs`.
    validate_volume_qs_not_positive: "volume-qs-not-positive" => "qs-not-positive" at 40:10;
    /// A warning: exit 0 without `--deny-warnings`.
    validate_displacement_factor_out_of_range: "displacement-factor-range" => "displacement-factor-range" at 30:23;
    /// `preserved` is required for aqueous forms; reported at the `water` that requires it.
    validate_aqueous_without_preserved: "missing-preserved" => "missing-key" at 7:9;
    /// The offending value is the second `id`, not the ingredient's amount.
    validate_duplicate_id: "duplicate-id" => "duplicate-id" at 27:6;
    /// Something missing is reported at the start of the table it is missing from (SPEC §2.3).
    validate_unscheduled_ketamine: "unscheduled-ketamine" => "unscheduled-ketamine" at 18:1;
}

/// One bad amount is one problem: the valid `solubility` beside it is not reported too.
#[test]
fn validate_bad_amount_does_not_cascade_into_solubility() {
    let r = run(&["validate", &invalid("bad-amount-with-solubility"), "--format", "json"]);
    assert_eq!(r.code, 1);
    let codes: Vec<Value> =
        r.json()["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].clone()).collect();
    assert_eq!(codes, [Value::from("bad-number")]);
}

#[test]
fn validate_unknown_key_suggests_the_right_one() {
    let r = run(&["validate", &invalid("unknown-key")]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("`ammount`"), "{}", r.stdout);
    assert!(r.stdout.contains("help: did you mean `amount`?"), "{}", r.stdout);
}

#[test]
fn validate_qs_not_positive_says_by_how_much() {
    let r = run(&["validate", &invalid("troche-qs-not-positive")]);
    assert_eq!(r.code, 1);
    // 0.70 × 1.5 g + 1.00 × 40 g = 41.05 g against 30 g of cavities: 11.05 g over.
    assert!(r.stdout.contains("41.05 g"), "{}", r.stdout);
    assert!(r.stdout.contains("11.05 g"), "{}", r.stdout);
}

#[test]
fn validate_near_solubility_is_a_warning_unless_denied() {
    let path = invalid("near-solubility");
    let r = run(&["validate", &path, "--format", "json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let doc = r.json();
    assert_eq!((doc["errors"].as_u64(), doc["warnings"].as_u64()), (Some(0), Some(1)));
    let d = &doc["diagnostics"][0];
    assert_eq!((&d["code"], &d["severity"]), (&Value::from("near-solubility"), &Value::from("warning")));
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(22), Some(10)));

    let human = run(&["validate", &path]);
    assert_eq!(human.code, 0);
    assert!(human.stdout.starts_with(&format!("{path}:22:10: warning: ")), "{}", human.stdout);
    assert!(human.stdout.ends_with("checked 1 file: 0 errors, 1 warning\n"), "{}", human.stdout);

    assert_eq!(run(&["validate", &path, "--deny-warnings"]).code, 1);
    assert_eq!(run(&["validate", &path, "--deny-warnings", "--format", "json"]).code, 1);
}

#[test]
fn validate_reports_every_problem_of_a_file_in_one_run() {
    // A TOML float in `[batch]` and an unknown unit in an ingredient.
    let path = invalid("two-problems");
    let doc = run(&["validate", &path, "--format", "json"]).json();
    let found: Vec<(String, u64, u64)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, [("toml-float".to_string(), 12, 12), ("bad-unit".to_string(), 30, 10)]);
    assert_eq!(doc["errors"], 2);

    let human = run(&["validate", &path]);
    assert_eq!(human.code, 1);
    assert!(human.stdout.contains(&format!("{path}:12:12: error: ")), "{}", human.stdout);
    assert!(human.stdout.contains(&format!("{path}:30:10: error: ")), "{}", human.stdout);
    assert!(human.stdout.ends_with("checked 1 file: 2 errors, 0 warnings\n"), "{}", human.stdout);
}

#[test]
fn validate_several_paths_in_one_run() {
    let a = invalid("toml-float");
    let b = invalid("near-solubility");
    let r = run(&["validate", &a, &b]);
    assert_eq!(r.code, 1);
    // In path order; both files say `id = "test-spray"`, which the second may not (SPEC §11).
    let near = r.stdout.find(&format!("{b}:22:10: warning")).unwrap();
    let duplicate =
        r.stdout.find(&format!("{a}:2:6: error: id `test-spray` is already the id of `{b}`")).unwrap();
    assert!(near < duplicate, "{}", r.stdout);
    assert!(r.stdout.ends_with("checked 2 files: 2 errors, 1 warning\n"), "{}", r.stdout);
}

#[test]
fn validate_human_format_has_location_gutter_carets_help_and_summary() {
    let path = invalid("toml-float");
    let r = run(&["validate", &path]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", r.stdout);
    assert!(lines[0].starts_with(&format!("{path}:22:10: error: ")), "{}", lines[0]);
    assert!(lines[0].contains("`amount = 50.0`"), "{}", lines[0]);
    assert_eq!(lines[1], "   |");
    assert_eq!(lines[2], "22 | amount = 50.0");
    assert_eq!(lines[3], "   |          ^^^^");
    assert!(lines[4].starts_with("help: "), "{}", lines[4]);
    assert_eq!(lines[5], "checked 1 file: 1 error, 0 warnings");
}

#[test]
fn validate_json_has_the_documented_fields() {
    let r = run(&["validate", &invalid("toml-float"), "--format", "json"]);
    assert_eq!(r.code, 1);
    let doc = r.json();
    assert_eq!(keys(&doc), set(&["files", "errors", "warnings", "diagnostics"]));
    assert_eq!(
        (doc["files"].as_u64(), doc["errors"].as_u64(), doc["warnings"].as_u64()),
        (Some(1), Some(1), Some(0))
    );
    let d = &doc["diagnostics"][0];
    let required = set(&["file", "line", "column", "severity", "code", "message"]);
    assert!(keys(d).is_superset(&required), "{d:#}");
    // The only extension is the `help` text.
    assert!(keys(d).difference(&required).all(|k| k == "help"), "{d:#}");
    assert!(d["line"].is_u64() && d["column"].is_u64());
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "toml-float");
}

#[test]
fn validate_folder_holds_ids_to_file_names() {
    // `x.toml` with `id = "y"`: an error inside a formulary folder...
    let r = run(&["validate", "tests/fixtures/id-mismatch", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let doc = r.json();
    assert_eq!(doc["files"], 1);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "id-mismatch");
    assert_eq!(d["file"], "tests/fixtures/id-mismatch/x.toml");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(2), Some(6)));
    // ...but a file given by path is not held to its name.
    let r = run(&["validate", "tests/fixtures/id-mismatch/x.toml"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn validate_missing_file() {
    let r = run(&["validate", "tests/fixtures/no-such-file.toml", "--format", "json"]);
    assert_eq!(r.code, 1);
    let doc = r.json();
    assert_eq!(doc["errors"], 1);
    assert_eq!(doc["diagnostics"][0]["code"], "unreadable");
    let human = run(&["validate", "tests/fixtures/no-such-file.toml"]);
    assert_eq!(human.code, 1);
    assert!(human.stdout.contains("tests/fixtures/no-such-file.toml: error: "), "{}", human.stdout);
    // A path that is not there is no file checked (SPEC §13.1).
    assert!(
        human.stdout.contains("no such file or folder `tests/fixtures/no-such-file.toml`"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.ends_with("checked 0 files: 1 error, 0 warnings\n"), "{}", human.stdout);
    assert_eq!(doc["files"], 0);
}

#[test]
fn validate_non_utf8_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.toml");
    // `é` in Latin-1 at line 2, column 10.
    std::fs::write(&path, b"format = 1\nid = \"caf\xe9\"\n").unwrap();
    let p = path.to_str().unwrap();
    let r = run(&["validate", p, "--format", "json"]);
    assert_eq!(r.code, 1);
    let d = &r.json()["diagnostics"][0];
    assert_eq!(d["code"], "not-utf8");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(2), Some(10)));
    let human = run(&["validate", p]);
    assert_eq!(human.code, 1);
    assert!(human.stdout.starts_with(&format!("{p}:2:10: error: ")), "{}", human.stdout);
}

#[test]
fn validate_file_over_one_mebibyte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.toml");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(b"format = 1\n# ").unwrap();
    f.write_all(&vec![b'x'; 1024 * 1024]).unwrap();
    f.write_all(b"\n").unwrap();
    drop(f);
    let r = run(&["validate", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["diagnostics"][0]["code"], "file-too-large");
    // `batch` refuses it too, before parsing.
    let r = batch(path.to_str().unwrap(), &[]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("1 MiB"), "{}", r.stderr);
}

#[test]
fn validate_without_path_checks_the_built_in_formulary() {
    let empty = tempfile::tempdir().unwrap();
    let r = finish(ketacalc().current_dir(empty.path()).arg("validate"));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, format!("checked {} files: 0 errors, 0 warnings\n", builtin_ids().len()));
    let r = finish(ketacalc().current_dir(empty.path()).args([
        "validate",
        "--format",
        "json",
        "--deny-warnings",
    ]));
    assert_eq!(r.code, 0);
    let doc = r.json();
    assert_eq!(doc["files"].as_u64(), Some(builtin_ids().len() as u64));
    assert_eq!(doc["diagnostics"], Value::Array(Vec::new()));
}

#[test]
fn validate_the_formulas_folder() {
    let r = run(&["validate", "formulas", "--deny-warnings"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.stdout, "checked 10 files: 0 errors, 0 warnings\n");
}

#[test]
fn validate_the_folder_named_by_formulas_option_and_environment() {
    let dir = formulary_with_drops();
    let d = dir.path().to_str().unwrap();
    let r = run(&["validate", "--formulas", d]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.stdout, "checked 1 file: 0 errors, 0 warnings\n");
    let r = finish(ketacalc().env("KETACALC_FORMULAS", d).arg("validate"));
    assert_eq!(r.stdout, "checked 1 file: 0 errors, 0 warnings\n");
}

// ---------------------------------------------------------------------------------------
// list, show, formulary selection
// ---------------------------------------------------------------------------------------

#[test]
fn list_json_from_an_empty_folder_lists_the_built_in_formulary() {
    let empty = tempfile::tempdir().unwrap();
    let r = finish(ketacalc().current_dir(empty.path()).args(["list", "--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    let entries = doc.as_array().unwrap();
    assert_eq!(entries.len(), 10);
    for e in entries {
        assert_eq!(keys(e), set(&["id", "name", "dosage_form", "revision", "path"]), "{e:#}");
        assert!(e["revision"].is_u64());
        assert!(e["path"].as_str().unwrap().ends_with(&format!("{}.toml", e["id"].as_str().unwrap())));
    }
    let ids: Vec<String> = entries.iter().map(|e| e["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, builtin_ids());
    let forms: BTreeSet<&str> = entries.iter().map(|e| e["dosage_form"].as_str().unwrap()).collect();
    assert_eq!(forms.len(), 7, "{forms:?}");
}

#[test]
fn list_table() {
    let r = run(&["list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for id in builtin_ids() {
        assert!(r.stdout.contains(&id), "`{id}` missing from:\n{}", r.stdout);
    }
}

#[test]
fn show_table_and_json() {
    let r = run(&["show", "ketamine-hcl-troche-50"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for name in ["Ketamine Hydrochloride USP", "Acacia NF", "Aspartame NF", "Polyethylene Glycol 1450"] {
        assert!(r.stdout.contains(name), "`{name}` missing from:\n{}", r.stdout);
    }
    let r = run(&["show", "ketamine-hcl-troche-50", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = r.json().to_string();
    for id in ["ketamine-hcl", "acacia", "silica-gel", "aspartame", "flavor-raspberry", "peg-1450"] {
        assert!(text.contains(&format!("\"{id}\"")), "`{id}` missing from {text}");
    }
}

#[test]
fn show_a_file_by_path() {
    let r = run(&["show", "formulas/ketamine-hcl-nasal-spray-100.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Benzalkonium"), "{}", r.stdout);
}

/// A formulary folder holding one formula that is not built in.
fn formulary_with_drops() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("tests/fixtures/cases/drops-calibrated/ketamine-hcl-sublingual-drops-100.toml"),
        dir.path().join("ketamine-hcl-sublingual-drops-100.toml"),
    )
    .unwrap();
    dir
}

#[test]
fn formulas_option_selects_another_formulary() {
    let dir = formulary_with_drops();
    let d = dir.path().to_str().unwrap();
    let r = run(&["list", "--formulas", d, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ids: Vec<Value> = r.json().as_array().unwrap().iter().map(|e| e["id"].clone()).collect();
    assert_eq!(ids, [Value::from("ketamine-hcl-sublingual-drops-100")]);

    let doc = batch_json("ketamine-hcl-sublingual-drops-100", &["--formulas", d]);
    assert_eq!(doc["formula"]["id"], "ketamine-hcl-sublingual-drops-100");
    assert_eq!(run(&["show", "ketamine-hcl-sublingual-drops-100", "--formulas", d]).code, 0);

    // The built-in formulary is not consulted.
    let r = batch("ketamine-hcl-troche-50", &["--formulas", d]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("ketamine-hcl-sublingual-drops-100"), "{}", r.stderr);
}

#[test]
fn environment_selects_another_formulary() {
    let dir = formulary_with_drops();
    let d = dir.path().to_str().unwrap();
    let r = finish(ketacalc().env("KETACALC_FORMULAS", d).args(["list", "--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    let r = finish(ketacalc().env("KETACALC_FORMULAS", d).args([
        "batch",
        "ketamine-hcl-sublingual-drops-100",
        "--date",
        DATE,
        "--format",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["formula"]["id"], "ketamine-hcl-sublingual-drops-100");

    // `--formulas` wins over the environment.
    let empty = tempfile::tempdir().unwrap();
    let r = finish(ketacalc().env("KETACALC_FORMULAS", d).args([
        "list",
        "--format",
        "json",
        "--formulas",
        empty.path().to_str().unwrap(),
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json(), Value::Array(Vec::new()));
}

#[test]
fn ids_never_name_files_outside_the_formulary() {
    // A folder holding files that an unchecked `<id>.toml` lookup would find.
    let dir = tempfile::tempdir().unwrap();
    let formula = std::fs::read(root().join("formulas/ketamine-hcl-troche-50.toml")).unwrap();
    for name in [".hidden.toml", "...toml", "Bad_ID.toml", "a b.toml"] {
        std::fs::write(dir.path().join(name), &formula).unwrap();
    }
    let d = dir.path().to_str().unwrap();
    for id in [".hidden", "..", "Bad_ID", "a b", "."] {
        for cmd in [&["batch", id, "--date", DATE][..], &["show", id][..]] {
            let r = finish(ketacalc().args(cmd).args(["--formulas", d]));
            assert_eq!(r.code, 1, "{cmd:?}");
            assert!(r.stdout.is_empty(), "{cmd:?}: {}", r.stdout);
            assert!(r.stderr.contains("is not a formula id"), "{cmd:?}: {}", r.stderr);
        }
    }
}

#[test]
fn path_like_formula_arguments_are_paths() {
    // Containing `/`: a path (SPEC §4); reading it fails cleanly.
    for arg in ["../x", "/nonexistent/formula", "./missing.toml"] {
        let r = batch(arg, &[]);
        assert_eq!(r.code, 1, "{arg}");
        assert!(r.stdout.is_empty());
        assert!(r.stderr.starts_with("error: "), "{arg}: {}", r.stderr);
    }
    // A file that is not a formula at all is refused as one.
    let r = batch("/etc/passwd", &[]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
}

#[test]
fn unknown_id_lists_the_known_ids() {
    let r = batch("ketamine-hcl-nasal-spray-999", &[]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    for id in builtin_ids() {
        assert!(r.stderr.contains(&id), "`{id}` missing from:\n{}", r.stderr);
    }
    let r = run(&["show", "nope"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("ketamine-hcl-troche-50"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------
// batch: errors
// ---------------------------------------------------------------------------------------

/// A failing batch: exit 1, nothing on stdout, an `error:` on stderr, and no `-o` file.
#[track_caller]
fn assert_batch_fails(formula: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("worksheet.txt");
    let r = finish(ketacalc().args(["batch", formula]).args(args).arg("-o").arg(&out));
    assert_eq!(r.code, 1, "batch {formula} {args:?}:\n{}", r.stderr);
    assert!(r.stdout.is_empty(), "batch {formula} {args:?} printed:\n{}", r.stdout);
    assert!(r.stderr.starts_with("error: "), "batch {formula} {args:?}:\n{}", r.stderr);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "batch {formula} {args:?} wrote a file");
    // And the same without `-o`, as JSON: errors still go to stderr as text.
    let r = finish(ketacalc().args(["batch", formula, "--format", "json"]).args(args));
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.starts_with("error: "));
    r.stderr
}

const SPRAY: &str = "ketamine-hcl-nasal-spray-100";

#[test]
fn batch_over_capacity_cream_file() {
    let e = assert_batch_fails(
        "tests/fixtures/cases/cream-over-capacity/ketamine-hcl-cream-over.toml",
        &["--date", DATE],
    );
    assert!(e.contains("105%"), "{e}");
}

#[test]
fn batch_over_capacity_by_custom_strength() {
    // 99% w/w of 105 g + 4.2 mL × 0.988 g/mL = 108.0996 g > 105 g.
    let e = assert_batch_fails("ketamine-hcl-cream-10", &["--strength", "99 %w/w", "--date", DATE]);
    assert!(e.contains("over capacity"), "{e}");
    assert!(e.contains("3.0996 g"), "{e}");
    assert!(e.contains("cream-base"), "{e}");
}

#[test]
fn batch_strength_above_solubility() {
    let e = assert_batch_fails(SPRAY, &["--strength", "250mg/mL", "--date", DATE]);
    assert!(e.contains("solubility"), "{e}");
}

#[test]
fn batch_expired_component() {
    let e = assert_batch_fails(SPRAY, &["--expiry", "ketamine-hcl=2026-11-26", "--date", DATE]);
    assert!(e.contains("ketamine-hcl"), "{e}");
    let _ = assert_batch_fails(SPRAY, &["--expiry", "ketamine-hcl=2026-11-25", "--date", DATE]);
}

#[test]
fn batch_unknown_ingredient_lists_the_ids() {
    let e = assert_batch_fails(SPRAY, &["--assay", "nope=99%", "--date", DATE]);
    for id in ["`nope`", "`ketamine-hcl`", "`benzalkonium-chloride-50`", "`sodium-chloride-0.9`"] {
        assert!(e.contains(id), "{id} missing from {e}");
    }
}

#[test]
fn batch_bad_quantities() {
    for q in ["30g", "0mL", "9999999999999999999999999999L", "-5mL", "1e3mL", ".5mL", "5 mL/day"] {
        assert_batch_fails(SPRAY, &[&format!("--quantity={q}"), "--date", DATE]);
    }
    // A molded form counts whole units.
    for q in ["2.5", "0", "30 mL"] {
        assert_batch_fails("ketamine-hcl-troche-50", &["--quantity", q, "--date", DATE]);
    }
}

#[test]
fn batch_bad_assay_and_lod() {
    for (opt, v) in [
        ("--assay", "ketamine-hcl=0%"),
        ("--assay", "ketamine-hcl=111%"),
        ("--assay", "ketamine-hcl=99.5"),
        ("--lod", "ketamine-hcl=100%"),
        ("--lod", "ketamine-hcl"),
    ] {
        assert_batch_fails(SPRAY, &[opt, v, "--date", DATE]);
    }
}

#[test]
fn batch_bad_dates() {
    for d in ["2026-02-30", "2027-02-29", "26-11-2026", "2026-11-26T00:00"] {
        assert_batch_fails(SPRAY, &["--date", d]);
    }
}

#[test]
fn batch_usage_errors_exit_2() {
    let r = run(&["batch", SPRAY, "--no-such-flag", "--date", DATE]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(!r.stderr.is_empty());
    let r = run(&["batch", "--date", DATE]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("FORMULA"), "{}", r.stderr);
    let r = run(&["batch", SPRAY, "--format", "yaml", "--date", DATE]);
    assert_eq!(r.code, 2);
    let r = run(&["frobnicate"]);
    assert_eq!(r.code, 2);
    assert_eq!(run(&["validate", "--bogus"]).code, 2);
    assert_eq!(run(&["list", "--format", "csv"]).code, 2);
    assert_eq!(run(&["show"]).code, 2);
    // `--help` and `--version` are not errors.
    let r = run(&["--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("batch") && r.stdout.contains("validate"), "{}", r.stdout);
    assert_eq!(run(&["--version"]).code, 0);
}

#[test]
fn batch_date_defaults_to_today() {
    let today = jiff::ZonedDateTime::now().date().to_string();
    let r = run(&["batch", SPRAY, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let date = r.json()["date"].as_str().unwrap().to_string();
    // Allow for a run across midnight.
    let now = jiff::ZonedDateTime::now().date().to_string();
    assert!(date == today || date == now, "{date} is not today ({today})");
}

// ---------------------------------------------------------------------------------------
// batch: success
// ---------------------------------------------------------------------------------------

#[test]
fn batch_every_formula_in_every_format() {
    for id in builtin_ids() {
        for format in ["table", "json", "markdown", "csv"] {
            let r = batch(&id, &["--format", format]);
            assert_eq!(r.code, 0, "batch {id} --format {format}:\n{}", r.stderr);
            assert!(!r.stdout.trim().is_empty(), "batch {id} --format {format} printed nothing");
        }
    }
}

#[test]
fn batch_csv_is_the_ingredient_table() {
    for id in builtin_ids() {
        let doc = batch_json(&id, &[]);
        let r = batch(&id, &["--format", "csv"]);
        assert_eq!(r.code, 0);
        let rows: Vec<&str> = r.stdout.lines().filter(|l| !l.is_empty()).collect();
        let ingredients = doc["ingredients"].as_array().unwrap();
        assert_eq!(rows.len(), ingredients.len() + 1, "{id}:\n{}", r.stdout);
        for (row, ing) in rows.iter().skip(1).zip(ingredients) {
            assert!(row.contains(ing["id"].as_str().unwrap()), "{id}: {row}");
        }
    }
}

#[test]
fn batch_explain_prints_every_trail() {
    for id in builtin_ids() {
        let doc = batch_json(&id, &[]);
        let r = batch(&id, &["--explain"]);
        assert_eq!(r.code, 0);
        let text = squash(&r.stdout);
        for ing in doc["ingredients"].as_array().unwrap() {
            let trail = ing["calculation"].as_array().unwrap();
            assert!(!trail.is_empty(), "{id}: {} has no trail", ing["id"]);
            for step in trail {
                let step = squash(step.as_str().unwrap());
                assert!(text.contains(&step), "{id}: `{step}` missing from the --explain worksheet");
            }
        }
        let md = batch(&id, &["--explain", "--format", "markdown"]);
        assert_eq!(md.code, 0);
        let first = doc["ingredients"][0]["calculation"][0].as_str().unwrap();
        assert!(squash(&md.stdout).contains(&squash(first)), "{id}: markdown --explain lacks `{first}`");
    }
}

#[test]
fn batch_output_file_is_written_and_nothing_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["table", "json", "markdown", "csv"] {
        let out = dir.path().join(format!("sheet.{format}"));
        let r = finish(ketacalc().args(["batch", SPRAY, "--date", DATE, "--format", format, "-o"]).arg(&out));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.is_empty() && r.stderr.is_empty(), "{r:?}");
        let direct = batch(SPRAY, &["--format", format]);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), direct.stdout, "{format}");
    }
    // Overwriting an existing file replaces it.
    let out = dir.path().join("sheet.json");
    std::fs::write(&out, "old").unwrap();
    let r =
        finish(ketacalc().args(["batch", SPRAY, "--date", DATE, "--format", "json", "--output"]).arg(&out));
    assert_eq!(r.code, 0);
    assert!(std::fs::read_to_string(&out).unwrap().starts_with('{'));
    // No temporary files are left behind.
    let names: BTreeSet<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, set(&["sheet.csv", "sheet.json", "sheet.markdown", "sheet.table"]));
}

fn listing(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect()
}

#[test]
fn batch_failure_leaves_an_existing_output_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("worksheet.json");
    let original = b"previous worksheet \xe2\x9c\x93\n".to_vec();
    std::fs::write(&out, &original).unwrap();
    for args in [
        &["--quantity", "0mL"][..],
        &["--assay", "nope=99%"][..],
        &["--strength", "250mg/mL"][..],
        &["--expiry", "ketamine-hcl=2026-01-01"][..],
    ] {
        let r = finish(
            ketacalc()
                .args(["batch", SPRAY, "--date", DATE, "--format", "json"])
                .args(args)
                .arg("-o")
                .arg(&out),
        );
        assert_eq!(r.code, 1, "{args:?}");
        assert!(r.stdout.is_empty());
        assert_eq!(std::fs::read(&out).unwrap(), original, "{args:?} changed the file");
        assert_eq!(listing(dir.path()), set(&["worksheet.json"]), "{args:?} left files behind");
    }
    // A bad formula file fails before anything is written.
    let r = finish(ketacalc().args(["batch", &invalid("toml-float"), "--date", DATE, "-o"]).arg(&out));
    assert_eq!(r.code, 1);
    assert_eq!(std::fs::read(&out).unwrap(), original);
    assert_eq!(listing(dir.path()), set(&["worksheet.json"]));
}

#[test]
fn batch_output_that_cannot_be_written_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    // The target is a folder: the rename fails, and the temporary file is removed.
    let target = dir.path().join("taken");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep.txt"), "keep").unwrap();
    let r = finish(ketacalc().args(["batch", SPRAY, "--date", DATE, "-o"]).arg(&target));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    assert_eq!(listing(dir.path()), set(&["taken"]));
    assert_eq!(listing(&target), set(&["keep.txt"]));
    // The folder does not exist.
    let r = finish(
        ketacalc().args(["batch", SPRAY, "--date", DATE, "-o"]).arg(dir.path().join("no/such/dir/x.txt")),
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    assert_eq!(listing(dir.path()), set(&["taken"]));
}

#[test]
fn batch_into_a_closed_pipe_exits_0() {
    // The reader is gone before ketacalc writes a byte.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ketacalc"))
        .args(["batch", "ketamine-hcl-troche-50", "--date", DATE, "--explain"])
        .env_remove("KETACALC_FORMULAS")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn batch_piped_into_head_exits_0() {
    let bin = env!("CARGO_BIN_EXE_ketacalc");
    for script in [
        // `head -1` reads one line and leaves.
        r#"set -o pipefail; "$0" batch ketamine-hcl-troche-50 --date 2026-11-26 --explain | head -1 >/dev/null"#,
        // The reader has already gone when ketacalc starts writing.
        r#"set -o pipefail; { sleep 0.3; "$0" batch ketamine-hcl-troche-50 --date 2026-11-26 --explain; } | true"#,
        r#"set -o pipefail; { sleep 0.3; "$0" validate tests/fixtures/invalid; } | true; test $? -le 1"#,
    ] {
        let out = std::process::Command::new("bash")
            .args(["-c", script, bin])
            .current_dir(root())
            .env_remove("KETACALC_FORMULAS")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{script}: {stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{script}: {stderr}");
    }
}

// ---------------------------------------------------------------------------------------
// batch --format json: the wire format of SPEC §5
// ---------------------------------------------------------------------------------------

const QTY: &[&str] = &["value", "unit"];

/// A quantity object, or null when `nullable`; its value is a plain decimal string.
#[track_caller]
fn assert_qty(v: &Value, what: &str, nullable: bool) {
    if v.is_null() {
        assert!(nullable, "{what} is null");
        return;
    }
    assert_eq!(keys(v), set(QTY), "{what}: {v}");
    let value = v["value"].as_str().unwrap_or_else(|| panic!("{what}: value is not a string: {v}"));
    assert!(is_plain_decimal(value), "{what}: `{value}` is not a plain decimal");
    assert!(v["unit"].is_string(), "{what}: {v}");
}

fn is_plain_decimal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit())
}

#[test]
fn batch_json_has_exactly_the_documented_fields() {
    for id in builtin_ids() {
        let doc = batch_json(&id, &[]);
        let active = doc["strengths"][0]["id"].as_str().unwrap().to_string();
        let lot = format!("{active}=L1");
        let expiry = format!("{active}=2027-01-01");
        let vendor = format!("{active}=Letco");
        let doc = batch_json(&id, &["--lot", &lot, "--expiry", &expiry, "--vendor", &vendor]);
        if doc["formula"]["dosage_form"] == "iv-infusion" {
            // SPEC §8.5: the same keys and one more.
            assert!(keys(&doc).contains("infusion"), "{id}");
            continue;
        }
        assert_eq!(
            keys(&doc),
            set(&[
                "formula",
                "date",
                "batch_id",
                "quantity",
                "prepared",
                "ingredients",
                "qs",
                "unit_weight",
                "cavities",
                "molds",
                "containers",
                "strengths",
                "doses",
                "bud",
                "controlled",
                "warnings"
            ]),
            "{id}"
        );
        assert_eq!(keys(&doc["formula"]), set(&["id", "name", "revision", "dosage_form", "sha256"]), "{id}");
        assert_eq!(doc["formula"]["id"], id.as_str());
        assert!(doc["formula"]["revision"].is_u64());
        let sha = doc["formula"]["sha256"].as_str().unwrap();
        assert!(
            sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
            "{sha}"
        );
        assert_eq!(doc["date"], DATE);
        assert_eq!(doc["batch_id"], Value::Null);
        assert_qty(&doc["quantity"], "quantity", false);
        assert_qty(&doc["prepared"], "prepared", false);

        let ingredient_keys = set(&[
            "id",
            "name",
            "role",
            "qs",
            "required",
            "weigh",
            "weigh_rounded",
            "measure",
            "measure_rounded",
            "syringe",
            "dilution",
            "as_measured",
            "vendor",
            "lot",
            "expiry",
            "calculation",
        ]);
        let ingredients = doc["ingredients"].as_array().unwrap();
        assert!(!ingredients.is_empty());
        for ing in ingredients {
            let what = format!("{id} {}", ing["id"]);
            assert_eq!(keys(ing), ingredient_keys, "{what}");
            assert!(ing["qs"].is_boolean() && ing["role"].is_string() && ing["name"].is_string(), "{what}");
            assert_qty(&ing["required"], &what, false);
            for k in ["weigh", "weigh_rounded", "measure", "measure_rounded"] {
                assert_qty(&ing[k], &format!("{what} {k}"), true);
            }
            assert_eq!(ing["weigh"].is_null(), ing["weigh_rounded"].is_null(), "{what}");
            // A volume measured has its syringe; a dilution draws no stock for the amount
            // itself, so its `measure_rounded` is null (SPEC §12.1, §12.2).
            assert_eq!(ing["measure"].is_null(), ing["syringe"].is_null(), "{what}");
            assert_eq!(
                ing["measure"].is_null() || !ing["dilution"].is_null(),
                ing["measure_rounded"].is_null(),
                "{what}"
            );
            if !ing["measure"].is_null() {
                assert_eq!(ing["measure"]["unit"], "mL", "{what}");
            }
            assert!(ing["calculation"].as_array().unwrap().iter().all(Value::is_string), "{what}");
            if ing["id"] == active.as_str() {
                assert_eq!((&ing["lot"], &ing["expiry"]), (&Value::from("L1"), &Value::from("2027-01-01")));
                assert_eq!(ing["vendor"], "Letco", "{what}");
            } else {
                assert_eq!((&ing["lot"], &ing["expiry"]), (&Value::Null, &Value::Null), "{what}");
                assert_eq!(ing["vendor"], Value::Null, "{what}");
            }
        }
        assert_eq!(ingredients.iter().filter(|i| i["qs"] == true).count(), 1, "{id}");

        assert_eq!(keys(&doc["qs"]), set(&["id", "to", "weigh", "in_aliquots"]), "{id}");
        assert_qty(&doc["qs"]["in_aliquots"], "qs.in_aliquots", true);
        assert!(doc["cavities"].is_null() || doc["cavities"].is_u64(), "{id}");
        // SPEC §13: `molds` {count, per_mold, empty}, all JSON integers, or null.
        if !doc["molds"].is_null() {
            assert_eq!(keys(&doc["molds"]), set(&["count", "per_mold", "empty"]), "{id}");
            for k in ["count", "per_mold", "empty"] {
                assert!(doc["molds"][k].is_u64(), "{id}: molds.{k}");
            }
        }
        if !doc["containers"].is_null() {
            assert_eq!(keys(&doc["containers"]), set(&["count", "fill", "last"]), "{id}");
            assert!(doc["containers"]["count"].is_u64(), "{id}");
            assert_qty(&doc["containers"]["fill"], "containers.fill", false);
        }
        assert_qty(&doc["qs"]["to"], "qs.to", true);
        assert_qty(&doc["qs"]["weigh"], "qs.weigh", true);
        assert_ne!(
            doc["qs"]["to"].is_null(),
            doc["qs"]["weigh"].is_null(),
            "{id}: exactly one of qs.to, qs.weigh"
        );
        assert_qty(&doc["unit_weight"], "unit_weight", true);

        let strengths = doc["strengths"].as_array().unwrap();
        assert!(!strengths.is_empty(), "{id}");
        for s in strengths {
            assert_eq!(
                keys(s),
                set(&[
                    "id",
                    "basis",
                    "concentration",
                    "mfr_concentration",
                    "other_basis",
                    "per_dose",
                    "as_measured",
                    "dose"
                ]),
                "{id}"
            );
            assert!(s["basis"] == "salt" || s["basis"] == "base");
            assert_qty(&s["concentration"], "concentration", false);
            if !s["other_basis"].is_null() {
                assert_eq!(keys(&s["other_basis"]), set(&["basis", "concentration", "per_dose"]), "{id}");
                assert_ne!(s["other_basis"]["basis"], s["basis"]);
                assert_qty(&s["other_basis"]["concentration"], "other_basis.concentration", false);
                // The per-dose amount in the other basis is there exactly when it is in the declared one.
                assert_eq!(s["other_basis"]["per_dose"].is_null(), s["per_dose"].is_null(), "{id}");
                if !s["per_dose"].is_null() {
                    assert_qty(&s["other_basis"]["per_dose"], "other_basis.per_dose", false);
                }
            }
            assert_qty(&s["per_dose"], "per_dose", true);
            assert_eq!(s["per_dose"].is_null(), s["dose"].is_null(), "{id}");
        }
        assert!(doc["doses"].is_null() || doc["doses"].is_u64(), "{id}");

        assert_eq!(keys(&doc["bud"]), set(&["date", "days", "rule", "limited_by"]), "{id}");
        assert!(doc["bud"]["days"].is_i64());
        assert!(
            [
                "usp795-aqueous-nonpreserved",
                "usp795-aqueous-preserved",
                "usp795-nonaqueous-oral-liquid",
                "usp795-nonaqueous",
                "formula"
            ]
            .contains(&doc["bud"]["rule"].as_str().unwrap()),
            "{id}"
        );
        let controlled = doc["controlled"].as_array().unwrap();
        assert!(!controlled.is_empty(), "{id}: ketamine is C-III");
        for c in controlled {
            // Drawn from a stock solution, the entry says the volume too (SPEC §8.1).
            // Rev. 3 (SPEC §12.3): the record as measured, and what is left in opened vials.
            let mut want = set(&[
                "id",
                "schedule",
                "withdraw",
                "in_product",
                "overage_loss",
                "aliquot_remainder",
                "as_measured",
                "left_in_vials",
            ]);
            if ingredients.iter().any(|i| i["id"] == c["id"] && i["weigh"].is_null()) {
                want.insert("withdraw_volume".to_string());
            }
            assert_eq!(keys(c), want, "{id}");
            assert_qty(&c["withdraw"], "withdraw", false);
            assert_qty(&c["in_product"], "in_product", false);
            assert_qty(&c["overage_loss"], "overage_loss", true);
            assert_qty(&c["aliquot_remainder"], "aliquot_remainder", true);
            let am = &c["as_measured"];
            for k in ["withdraw", "in_product"] {
                assert_qty(&am[k], k, false);
            }
            for k in ["overage_loss", "dilution_remainder", "aliquot_remainder", "undelivered"] {
                assert_qty(&am[k], k, true);
            }
        }
        for w in doc["warnings"].as_array().unwrap() {
            let base = set(&["code", "ingredient", "message"]);
            assert!(keys(w).is_superset(&base), "{id}: {w}");
            // The only extension is the aliquot plan of `below-minimum-weight`.
            assert!(keys(w).difference(&base).all(|k| k == "aliquot"), "{id}: {w}");
            assert!(w["code"].is_string() && w["message"].is_string());
        }
    }
}

/// The nasal-spray example of SPEC §5, value by value.
#[test]
fn batch_json_matches_the_spec_example() {
    let doc = batch_json(SPRAY, &[]);
    assert_eq!(doc["quantity"], serde_json::json!({"value": "10", "unit": "mL"}));
    assert_eq!(doc["prepared"], serde_json::json!({"value": "10.5", "unit": "mL"}));
    let k = &doc["ingredients"][0];
    assert_eq!(k["id"], "ketamine-hcl");
    assert_eq!(k["qs"], false);
    assert_eq!(k["required"], serde_json::json!({"value": "1.05", "unit": "g"}));
    assert_eq!(k["weigh"], serde_json::json!({"value": "1.05", "unit": "g"}));
    assert_eq!(k["weigh_rounded"], serde_json::json!({"value": "1.0500", "unit": "g"}));
    assert_eq!((&k["measure"], &k["measure_rounded"]), (&Value::Null, &Value::Null));
    assert!(k["calculation"][0].as_str().unwrap().starts_with("100 mg/mL × 10.5 mL = "), "{k:#}");
    let vehicle = &doc["ingredients"][2];
    assert_eq!(vehicle["qs"], true);
    assert_eq!(vehicle["required"], serde_json::json!({"value": "10.5", "unit": "mL"}));
    assert_eq!(vehicle["weigh"], Value::Null);
    assert_eq!(
        doc["qs"],
        serde_json::json!({"id": "sodium-chloride-0.9", "to": {"value": "10.5", "unit": "mL"}, "weigh": null, "in_aliquots": null})
    );
    assert_eq!(doc["unit_weight"], Value::Null);
    let s = &doc["strengths"][0];
    assert_eq!(s["concentration"], serde_json::json!({"value": "100", "unit": "mg/mL"}));
    assert_eq!(s["other_basis"]["basis"], "base");
    assert!(s["other_basis"]["concentration"]["value"].as_str().unwrap().starts_with("86.70"));
    assert_eq!(s["per_dose"], serde_json::json!({"value": "10", "unit": "mg"}));
    assert_eq!(s["dose"], "spray");
    assert_eq!(doc["doses"], 91);
    assert_eq!(
        doc["bud"],
        serde_json::json!({"date": "2026-12-31", "days": 35, "rule": "usp795-aqueous-preserved", "limited_by": null})
    );
    assert_eq!(
        doc["controlled"],
        serde_json::json!([{
            "id": "ketamine-hcl",
            "schedule": "CIII",
            "withdraw": {"value": "1.0500", "unit": "g"},
            // 1050 mg × 10 ÷ 10.5 and 1050 mg × 0.5 ÷ 10.5 (SPEC §7.4).
            "in_product": {"value": "1", "unit": "g"},
            "overage_loss": {"value": "50", "unit": "mg"},
            "aliquot_remainder": null,
            // Rev. 3 (SPEC §12.3): the same from the weighing rounded to the balance.
            "as_measured": {
                "withdraw": {"value": "1.05", "unit": "g"},
                "in_product": {"value": "1", "unit": "g"},
                "overage_loss": {"value": "50", "unit": "mg"},
                "dilution_remainder": null,
                "aliquot_remainder": null,
                "undelivered": null
            },
            "left_in_vials": null
        }])
    );
    let w = &doc["warnings"][0];
    assert_eq!(w["code"], "below-minimum-weight");
    assert_eq!(w["ingredient"], "benzalkonium-chloride-50");
}

#[test]
fn batch_json_sha256_is_of_the_file_bytes() {
    use sha2::Digest as _;
    for id in builtin_ids() {
        let bytes = std::fs::read(root().join(format!("formulas/{id}.toml"))).unwrap();
        let hex: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(batch_json(&id, &[])["formula"]["sha256"], hex.as_str(), "{id}");
    }
}

#[test]
fn batch_json_options_reach_the_output() {
    let doc = batch_json(
        SPRAY,
        &["--batch-id", "B-2026-0042", "--quantity", "30mL", "--overage", "0%", "--readability", "1mg"],
    );
    assert_eq!(doc["batch_id"], "B-2026-0042");
    assert_eq!(doc["quantity"], serde_json::json!({"value": "30", "unit": "mL"}));
    assert_eq!(doc["prepared"], serde_json::json!({"value": "30", "unit": "mL"}));
    // 3000 mg at a readability of 1 mg keeps no decimal places (3.000 g).
    assert_eq!(doc["ingredients"][0]["weigh_rounded"], serde_json::json!({"value": "3.000", "unit": "g"}));
    // Three 10 mL bottles of (10 − 0.3) ÷ 0.1 − 6 = 91 sprays, not one of 291 (SPEC §7.5).
    assert_eq!(doc["doses"], 91);
    assert_eq!(doc["containers"]["count"], 3);
    assert_eq!(doc["containers"]["last"], Value::Null);
}

#[test]
fn batch_expiry_before_the_rule_limits_the_bud() {
    let doc = batch_json(
        SPRAY,
        &["--expiry", "benzalkonium-chloride-50=2026-12-15", "--expiry", "ketamine-hcl=2027-06-01"],
    );
    assert_eq!(
        doc["bud"],
        serde_json::json!({"date": "2026-12-15", "days": 19, "rule": "usp795-aqueous-preserved", "limited_by": "benzalkonium-chloride-50"})
    );
}

// ---------------------------------------------------------------------------------------
// batch: behaviour of the options (SPEC §3, §4)
// ---------------------------------------------------------------------------------------

fn weigh_of(doc: &Value, id: &str) -> Value {
    doc["ingredients"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap()["weigh"].clone()
}

#[test]
fn batch_strength_needs_an_id_when_there_are_several_actives() {
    let kgb = "ketamine-gabapentin-baclofen-cream";
    let e = assert_batch_fails(kgb, &["--strength", "5%w/w", "--date", DATE]);
    for id in ["ketamine-hcl", "gabapentin", "baclofen"] {
        assert!(e.contains(id), "{id} missing from {e}");
    }
    // With an id only that active changes, and the base is recomputed:
    // 105 − 10.5 − 8.4 − 2.1 − 4.1496 = 79.8504 g (4.2 mL of ethoxydiglycol at SG 0.988).
    let doc = batch_json(kgb, &["--strength", "gabapentin=8%w/w"]);
    assert_eq!(weigh_of(&doc, "gabapentin"), serde_json::json!({"value": "8.4", "unit": "g"}));
    assert_eq!(weigh_of(&doc, "ketamine-hcl"), serde_json::json!({"value": "10.5", "unit": "g"}));
    assert_eq!(doc["qs"]["weigh"], serde_json::json!({"value": "79.8504", "unit": "g"}));
    let s = doc["strengths"].as_array().unwrap().iter().find(|s| s["id"] == "gabapentin").unwrap().clone();
    assert_eq!(s["concentration"], serde_json::json!({"value": "8", "unit": "%w/w"}));
    // Not an active, not an ingredient, not the same kind of amount.
    assert_batch_fails(kgb, &["--strength", "ethoxydiglycol=5%w/w", "--date", DATE]);
    assert_batch_fails(kgb, &["--strength", "nope=5%w/w", "--date", DATE]);
    assert_batch_fails("ketamine-hcl-cream-10", &["--strength", "100mg/mL", "--date", DATE]);
    assert_batch_fails("ketamine-hcl-troche-50", &["--strength", "50mg/mL", "--date", DATE]);
}

#[test]
fn batch_strength_forms_of_one_dimension_are_interchangeable() {
    for s in ["10%w/w", "100mg/g", "1:10 w/w", "100000 mcg/g", "10 %W/W"] {
        let doc = batch_json("ketamine-hcl-cream-10", &["--strength", s]);
        assert_eq!(weigh_of(&doc, "ketamine-hcl"), serde_json::json!({"value": "10.5", "unit": "g"}), "{s}");
        assert_eq!(doc["qs"]["weigh"], serde_json::json!({"value": "90.3504", "unit": "g"}), "{s}");
    }
    for s in ["150mg/mL", "15%w/v", "150000mcg/mL", "150g/L", "ketamine-hcl=0.15 g/mL", "1:6.6666 w/v"] {
        let doc = batch_json(SPRAY, &["--strength", s]);
        let w = weigh_of(&doc, "ketamine-hcl");
        let value: f64 = w["value"].as_str().unwrap().parse().unwrap();
        assert!((value - 1.575).abs() < 0.0001, "{s}: {w}");
    }
}

#[test]
fn batch_solubility_is_checked_on_the_salt_as_weighed() {
    let base = "tests/fixtures/cases/nasal-spray-base-assay/ketamine-nasal-spray-100-base.toml";
    // 180 mg/mL of base is 207.6 mg/mL of the HCl: above 200 mg/mL.
    let e = assert_batch_fails(base, &["--strength", "180mg/mL", "--date", DATE]);
    assert!(e.contains("solubility"), "{e}");
    // 173 mg/mL of base is 199.5 mg/mL of the HCl: allowed, with a warning.
    let doc = batch_json(base, &["--strength", "173mg/mL"]);
    let codes: Vec<&Value> = doc["warnings"].as_array().unwrap().iter().map(|w| &w["code"]).collect();
    assert!(codes.contains(&&Value::from("near-solubility")), "{codes:?}");
    // The assay changes what is weighed, not the concentration in solution.
    let doc = batch_json(SPRAY, &["--strength", "190mg/mL", "--assay", "ketamine-hcl=90%"]);
    assert!(doc["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "near-solubility"));
    // 75% of 200 mg/mL is where the warning starts.
    let near = |s: &str| {
        batch_json(SPRAY, &["--strength", s])["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "near-solubility" && w["ingredient"] == "ketamine-hcl")
    };
    assert!(!near("149.99mg/mL"));
    assert!(near("150mg/mL"));
    assert!(near("200mg/mL"));
    assert_batch_fails(SPRAY, &["--strength", "200.01mg/mL", "--date", DATE]);
}

#[test]
fn batch_rounds_half_away_from_zero() {
    // 1 mg/mL × 2.25 mL = 2.25 mg: 2.3 mg at 0.1 mg (half to even would say 2.2).
    let doc = batch_json("ketamine-hcl-oral-solution-10", &["--quantity", "2.25mL"]);
    let sucralose =
        doc["ingredients"].as_array().unwrap().iter().find(|i| i["id"] == "sucralose").unwrap().clone();
    assert_eq!(sucralose["weigh"], serde_json::json!({"value": "2.25", "unit": "mg"}));
    assert_eq!(sucralose["weigh_rounded"], serde_json::json!({"value": "2.3", "unit": "mg"}));
    // 4 mL per 100 g × 102.5 g = 4.1 mL, on the 5 mL syringe's 0.2 mL marks 20.5 marks:
    // 4.2 mL (half to even would say 4.0 mL).
    let doc = batch_json("ketamine-hcl-cream-10", &["--quantity", "102.5g", "--overage", "0%"]);
    let e =
        doc["ingredients"].as_array().unwrap().iter().find(|i| i["id"] == "ethoxydiglycol").unwrap().clone();
    assert_eq!(e["measure"], serde_json::json!({"value": "4.1", "unit": "mL"}));
    assert_eq!(e["measure_rounded"], serde_json::json!({"value": "4.2", "unit": "mL"}));
    assert_eq!(e["syringe"]["capacity"], serde_json::json!({"value": "5", "unit": "mL"}));
    // 4.1 mL × 0.988 g/mL = 4.0508 g: 4.0508 g at 0.1 mg.
    assert_eq!(e["weigh_rounded"], serde_json::json!({"value": "4.0508", "unit": "g"}));
}

#[test]
fn batch_expiry_on_the_rule_date_does_not_limit_the_bud() {
    let doc = batch_json(SPRAY, &["--expiry", "ketamine-hcl=2026-12-31"]);
    assert_eq!(doc["bud"]["date"], "2026-12-31");
    assert_eq!(doc["bud"]["limited_by"], Value::Null);
    let doc = batch_json(SPRAY, &["--expiry", "ketamine-hcl=2026-12-30"]);
    assert_eq!(doc["bud"]["days"], 34);
    assert_eq!(doc["bud"]["limited_by"], "ketamine-hcl");
    // The day after compounding is still usable.
    let doc = batch_json(SPRAY, &["--expiry", "sodium-chloride-0.9=2026-11-27"]);
    assert_eq!(
        doc["bud"],
        serde_json::json!({"date": "2026-11-27", "days": 1, "rule": "usp795-aqueous-preserved", "limited_by": "sodium-chloride-0.9"})
    );
}

#[test]
fn batch_quantity_spellings() {
    let reference = batch_json("ketamine-hcl-troche-50", &["--quantity", "60"]);
    for q in ["60 troches", "60troches", "60 units", "60 Troche"] {
        assert_eq!(batch_json("ketamine-hcl-troche-50", &["--quantity", q]), reference, "{q}");
    }
    let reference = batch_json(SPRAY, &["--quantity", "30 mL"]);
    for q in ["30mL", "30ML", "30 ml", "0.03 L", "30000 mcL", "30000µL"] {
        assert_eq!(batch_json(SPRAY, &["--quantity", q]), reference, "{q}");
    }
    let doc = batch_json("ketamine-hcl-cream-10", &["--quantity", "0.5kg", "--overage", "0%"]);
    assert_eq!(doc["quantity"], serde_json::json!({"value": "500", "unit": "g"}));
    // An overage as a quantity: `Q + overage`.
    let doc = batch_json(SPRAY, &["--overage", "0.5mL"]);
    assert_eq!(doc["prepared"], serde_json::json!({"value": "10.5", "unit": "mL"}));
    let doc = batch_json("ketamine-hcl-troche-50", &["--overage", "3 units"]);
    assert_eq!(doc["prepared"], serde_json::json!({"value": "33", "unit": "units"}));
    assert_batch_fails(SPRAY, &["--overage", "100%", "--date", DATE]);
    assert_batch_fails(SPRAY, &["--overage", "2 g", "--date", DATE]);
}

#[test]
fn batch_minimum_weight_follows_the_readability() {
    let aliquot = |args: &[&str]| {
        let doc = batch_json(SPRAY, args);
        doc["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["code"] == "below-minimum-weight")
            .map(|w| w["aliquot"].clone())
    };
    // 820 × 0.1 mg = 82 mg: 2.1 mg of BAK solution × 40 = 84 mg, dissolved and made up to
    // 40 × 1 mL, of which 1 mL is measured (SPEC §7.4, by volume).
    let plan = aliquot(&[]).unwrap();
    assert_eq!(plan["by"], "volume");
    assert_eq!(plan["factor"], 40);
    assert_eq!(plan["weigh"], serde_json::json!({"value": "84", "unit": "mg"}));
    assert_eq!(plan["total"], serde_json::json!({"value": "40", "unit": "mL"}));
    assert_eq!(plan["take"], serde_json::json!({"value": "1", "unit": "mL"}));
    // A 1 mg balance: 820 mg, so a factor of 391 (⌈820 ÷ 2.1⌉).
    let plan = aliquot(&["--readability", "1mg"]).unwrap();
    assert_eq!(plan["factor"], 391);
    assert_eq!(plan["weigh"], serde_json::json!({"value": "821.1", "unit": "mg"}));
    // An explicit minimum below every weight: no aliquot.
    assert_eq!(aliquot(&["--min-weight", "2mg"]), None);
    assert_batch_fails(SPRAY, &["--readability", "0mg", "--date", DATE]);
    assert_batch_fails(SPRAY, &["--min-weight", "5 mL", "--date", DATE]);
}

#[test]
fn batch_by_id_holds_the_file_to_its_name() {
    let r = batch("x", &["--formulas", "tests/fixtures/id-mismatch"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("`y`") && r.stderr.contains("x.toml"), "{}", r.stderr);
    // By path, it is not.
    let r = batch("tests/fixtures/id-mismatch/x.toml", &["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["formula"]["id"], "y");
}

#[test]
fn batch_errors_in_a_formula_file_point_into_it() {
    let path = invalid("toml-float");
    let r = batch(&path, &[]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("--> {path}:22:10")), "{}", r.stderr);
    assert!(r.stderr.contains("22 | amount = 50.0"), "{}", r.stderr);
    assert!(r.stderr.contains("help: "), "{}", r.stderr);
    // A batch error that lies in the file points at the value too.
    let r = batch("ketamine-hcl-cream-10", &["--strength", "99%w/w"]);
    assert!(r.stderr.contains("--> <built-in>/ketamine-hcl-cream-10.toml:"), "{}", r.stderr);
}

#[test]
fn validate_checks_folders_recursively() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/cases/drops-calibrated/ketamine-hcl-sublingual-drops-100.toml"),
        nested.join("ketamine-hcl-sublingual-drops-100.toml"),
    )
    .unwrap();
    std::fs::copy(root().join(invalid("toml-float")), dir.path().join("a/test-spray.toml")).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a formula").unwrap();
    let r = run(&["validate", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 1);
    let doc = r.json();
    assert_eq!(doc["files"], 2);
    assert_eq!(doc["errors"], 1);
    let file = doc["diagnostics"][0]["file"].as_str().unwrap();
    assert!(file.ends_with("a/test-spray.toml"), "{file}");
}

#[test]
fn batch_worksheet_has_the_spec_sections() {
    let args = [
        "--lot",
        "ketamine-hcl=LOT-77",
        "--expiry",
        "ketamine-hcl=2026-12-20",
        "--batch-id",
        "B-42",
        "--explain",
    ];
    let doc = batch_json(SPRAY, &args);
    let short = &doc["formula"]["sha256"].as_str().unwrap()[..12];
    for format in ["table", "markdown"] {
        let r = batch(SPRAY, &[&args[..], &["--format", format]].concat());
        assert_eq!(r.code, 0, "{}", r.stderr);
        let text = squash(&r.stdout);
        for want in [
            "Ketamine HCl 100 mg/mL Nasal Spray",
            SPRAY,
            "revision 3",
            short,
            "C-III CONTROLLED SUBSTANCE",
            DATE,
            "B-42",
            "10 mL",
            "10.5 mL",
            "2026-12-20",
            "2-8 °C",
            "LOT-77",
            "1.0500 g",
            "10 mg",
            "91",
            "86.7",
            "0.1 mg",
            "0.01 mL",
            "84.0 mg",
            "40.00 mL",
            "[ ]",
            "pH 3.5 to 5.5",
            "95",
            "Witness",
            "Compounded by",
            "Verified by",
            "Released by",
        ] {
            assert!(text.contains(want), "{format}: `{want}` missing from the worksheet:\n{}", r.stdout);
        }
        assert!(text.to_lowercase().contains("half away from zero"), "{format}: no rounding rule");
    }
    // Molded forms print the theoretical unit weight.
    let r = batch("ketamine-hcl-troche-50", &[]);
    assert!(squash(&r.stdout).contains("1.0255 g"), "{}", r.stdout);
    assert!(r.stdout.contains("C-III CONTROLLED SUBSTANCE"));
}

/// Exact values are normalized (no trailing zeros, no exponent); rounded values keep the
/// decimal places of the step they were rounded to, counted in the unit shown (SPEC §5).
#[test]
fn batch_json_decimal_strings() {
    fn decimals(v: &Value) -> usize {
        v["value"].as_str().unwrap().split_once('.').map_or(0, |(_, f)| f.len())
    }
    #[track_caller]
    fn exact(v: &Value, what: &str) {
        if v.is_null() {
            return;
        }
        let s = v["value"].as_str().unwrap();
        assert!(is_plain_decimal(s), "{what}: `{s}`");
        assert!(!(s.contains('.') && s.ends_with('0')), "{what}: `{s}` is not normalized");
    }
    for id in builtin_ids() {
        for (readability, mg_places) in
            [(None, 1), (Some("0.01mg"), 2), (Some("1mg"), 0), (Some("0.5 mg"), 1)]
        {
            // Nothing of an infusion is weighed: `--readability` is refused (exit 2).
            if readability.is_some() && id.starts_with("ketamine-iv-") {
                continue;
            }
            let args: Vec<&str> = readability.map(|r| vec!["--readability", r]).unwrap_or_default();
            let doc = batch_json(&id, &args);
            for k in ["quantity", "prepared", "unit_weight"] {
                exact(&doc[k], k);
            }
            exact(&doc["qs"]["to"], "qs.to");
            exact(&doc["qs"]["weigh"], "qs.weigh");
            for ing in doc["ingredients"].as_array().unwrap() {
                for k in ["required", "weigh", "measure"] {
                    exact(&ing[k], &format!("{id} {} {k}", ing["id"]));
                }
                let r = &ing["weigh_rounded"];
                if !r.is_null() {
                    let places = if r["unit"] == "g" { mg_places + 3 } else { mg_places };
                    assert_eq!(decimals(r), places, "{id} {readability:?} {}: {r}", ing["id"]);
                }
                // A volume keeps the decimal places of its syringe's marks (SPEC §12.1).
                if !ing["measure_rounded"].is_null() {
                    let marks = decimals(&ing["syringe"]["graduation"]);
                    assert_eq!(decimals(&ing["measure_rounded"]), marks, "{id} {}", ing["id"]);
                }
            }
            for s in doc["strengths"].as_array().unwrap() {
                exact(&s["concentration"], "concentration");
                exact(&s["per_dose"], "per_dose");
                if !s["other_basis"].is_null() {
                    exact(&s["other_basis"]["concentration"], "other_basis");
                }
            }
            for c in doc["controlled"].as_array().unwrap() {
                let ing = ingredient(&doc, c["id"].as_str().unwrap());
                if c.get("withdraw_volume").is_some() {
                    // Drawn from a stock solution: measured, never weighed (SPEC §8.1).
                    assert_eq!(c["withdraw_volume"], ing["measure"], "{id}: the volume drawn");
                    continue;
                }
                assert_eq!(
                    &c["withdraw"], &ing["weigh_rounded"],
                    "{id}: the withdrawal is the rounded weight"
                );
            }
        }
    }
}

fn ingredient<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["ingredients"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap()
}

/// Mass/mass fractions must sum to less than 100%: 100% exactly is refused, just under is
/// allowed (SPEC §2.2).
#[test]
fn validate_fraction_sum_boundary() {
    let text = std::fs::read_to_string(root().join(invalid("cream-fractions-over-100"))).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (second, errors) in
        [("40 %w/w", 1), ("400 mg/g", 1), ("1:2.5 w/w", 1), ("39.99 %w/w", 0), ("399.9 mg/g", 0)]
    {
        let path = dir.path().join("c.toml");
        std::fs::write(&path, text.replace("45 %w/w", second)).unwrap();
        let r = run(&["validate", path.to_str().unwrap(), "--format", "json"]);
        let doc = r.json();
        assert_eq!(doc["errors"], errors, "{second}: {doc:#}");
        assert_eq!(r.code, i32::from(errors > 0), "{second}");
        if errors > 0 {
            let codes: Vec<&Value> =
                doc["diagnostics"].as_array().unwrap().iter().map(|d| &d["code"]).collect();
            assert!(codes.contains(&&Value::from("no-room-for-qs")), "{second}: {codes:?}");
        }
    }
}

/// SPEC §11: `preserved = true` with no ingredient in the role `preservative` is a warning
/// at `preserved`; naming the preservative (or `preserved = false`) clears it.
#[test]
fn validate_warns_of_a_preserved_formula_without_a_preservative() {
    let text = std::fs::read_to_string(root().join("formulas/ketamine-hcl-oral-solution-10.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    let line = text.lines().position(|l| l.starts_with("preserved = true")).unwrap() + 1;
    let check = |body: String| {
        std::fs::write(&path, body).unwrap();
        run(&["validate", path.to_str().unwrap(), "--format", "json", "--deny-warnings"])
    };
    let bare = text.replace("role = \"preservative\"", "role = \"vehicle\"");
    let r = check(bare.clone());
    assert_eq!(r.code, 1, "{}", r.stdout);
    let doc = r.json();
    assert_eq!((doc["errors"].as_u64(), doc["warnings"].as_u64()), (Some(0), Some(1)));
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "preserved-without-preservative");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(line as u64), Some(13)));
    // The batch repeats it among its warnings.
    let b = finish(ketacalc().args(["batch", path.to_str().unwrap(), "--date", DATE, "--format", "json"]));
    assert!(
        b.json()["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "preserved-without-preservative")
    );
    // Named, or not claimed: no warning.
    assert_eq!(check(text.clone()).code, 0);
    let unpreserved = bare.replace("preserved = true", "preserved = false");
    assert_eq!(check(unpreserved).code, 0);
    // Every built-in formula passes with warnings denied.
    let r = run(&["validate", "--deny-warnings"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "checked 10 files: 0 errors, 0 warnings\n"));
}
