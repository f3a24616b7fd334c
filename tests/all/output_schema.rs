//! The schema of the batch JSON (`ketacalc schema --kind output`, SPEC §11.1) describes
//! every document `batch --format json` prints: each such run of the suite (through
//! [`crate::cli::finish`], the robustness tests' `run` and their in-process batches) is
//! checked against it by [`check`], and the documents of every kind of batch here.

use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

use crate::cli::{DATE, batch_json, builtin_ids, root};

/// The validator of the output schema, built once.
fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| jsonschema::validator_for(&ketacalc::schema::Kind::Output.document()).unwrap())
}

/// The validator of the record schema, built once.
fn record_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| jsonschema::validator_for(&ketacalc::schema::Kind::Record.document()).unwrap())
}

/// Fails the test, saying where, unless `text` is a batch document the schema accepts.
#[track_caller]
pub(crate) fn check(text: &str, what: &str) {
    check_with(validator(), "schema/output.schema.json", text, what);
}

#[track_caller]
fn check_with(validator: &jsonschema::Validator, file: &str, text: &str, what: &str) {
    let doc: Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: the JSON is not JSON ({e}):\n{text}"));
    let errors: Vec<String> =
        validator.iter_errors(&doc).map(|e| format!("{e} at `{}`", e.instance_path())).collect();
    assert!(errors.is_empty(), "{what}: the JSON does not match {file}:\n{}", errors.join("\n"));
}

/// Returns true if and only if `args` (after the program) run `batch` with `--format json`.
pub(crate) fn is_batch_json<S: AsRef<str>>(args: &[S]) -> bool {
    is_json_of(args, "batch")
}

/// Returns true if and only if `args` run `command` with `--format json`.
fn is_json_of<S: AsRef<str>>(args: &[S], of: &str) -> bool {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    let command = args.iter().position(|a| !a.starts_with('-')).map(|i| args[i]);
    // `--color WHEN` before the command is the only option with a value that may precede it.
    let command = match (args.first(), command) {
        (Some(&"--color"), _) => args.get(2).copied(),
        (_, c) => c,
    };
    command == Some(of)
        && (args.contains(&"--format=json") || args.windows(2).any(|w| w[0] == "--format" && w[1] == "json"))
}

/// The file a run wrote with `-o FILE` (or `--output FILE`, `--output=FILE`), relative to
/// `dir`.
pub(crate) fn output_file<S: AsRef<str>>(args: &[S], dir: &Path) -> Option<std::path::PathBuf> {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    let given = args
        .windows(2)
        .find(|w| w[0] == "-o" || w[0] == "--output")
        .map(|w| w[1])
        .or_else(|| args.iter().find_map(|a| a.strip_prefix("--output=")))?;
    Some(dir.join(given))
}

/// Checks what a finished run printed or wrote, when it is a successful
/// `batch --format json`, or a `record --format json` that printed its record (exit 0 or
/// 3).
#[track_caller]
pub(crate) fn check_run<S: AsRef<str>>(args: &[S], dir: &Path, code: i32, stdout: &str) {
    let (validator, file) = if code == 0 && is_batch_json(args) {
        (validator(), "schema/output.schema.json")
    } else if matches!(code, 0 | 3) && is_json_of(args, "record") {
        (record_validator(), "schema/record.schema.json")
    } else {
        return;
    };
    let what = args.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(" ");
    match output_file(args, dir) {
        // A device or pipe (`-o /dev/stdout`) is not a file to read back.
        Some(out) if out.is_file() => {
            check_with(validator, file, &std::fs::read_to_string(&out).unwrap(), &what)
        }
        Some(_) => {}
        None => check_with(validator, file, stdout, &what),
    }
}

#[test]
fn runs_are_told_apart_by_their_arguments() {
    assert!(is_batch_json(&["batch", "x", "--format", "json"]));
    assert!(is_batch_json(&["batch", "x", "--format=json", "-o", "f"]));
    assert!(is_batch_json(&["--color", "never", "batch", "x", "--format", "json"]));
    assert!(!is_batch_json(&["label", "x", "--format", "json"]));
    assert!(!is_batch_json(&["batch", "x", "--format", "csv"]));
    assert!(!is_batch_json(&["validate", "--format", "json"]));
    let dir = Path::new("/d");
    assert_eq!(output_file(&["batch", "-o", "a.json"], dir), Some(dir.join("a.json")));
    assert_eq!(output_file(&["batch", "--output=/b.json"], dir), Some("/b.json".into()));
    assert_eq!(output_file(&["batch", "x"], dir), None);
}

/// The schema accepts what it must and refuses what a script must not be handed: a
/// missing or unknown key, a number for a decimal string, an exponent, a rule or code
/// ketacalc does not have.
#[test]
fn the_schema_refuses_a_document_that_is_not_the_batch_json() {
    let good = batch_json("ketamine-hcl-nasal-spray-100", &[]);
    let is_valid = |doc: &Value| validator().is_valid(doc);
    assert!(is_valid(&good));
    type Change = fn(&mut Value);
    let broken: [(&str, Change); 8] = [
        ("a missing key", |d| drop(d.as_object_mut().unwrap().remove("bud"))),
        ("an unknown key", |d| drop(d.as_object_mut().unwrap().insert("extra".into(), Value::Null))),
        ("a number for a decimal string", |d| d["quantity"]["value"] = 10.into()),
        ("an exponent", |d| d["quantity"]["value"] = "1e1".into()),
        ("an unknown rule", |d| d["bud"]["rule"] = "usp795-forever".into()),
        ("an unknown warning code", |d| d["warnings"][0]["code"] = "no-such-code".into()),
        ("an unknown role", |d| d["ingredients"][0]["role"] = "catalyst".into()),
        ("a short hash", |d| d["formula"]["sha256"] = "e0f93312b696".into()),
    ];
    for (what, change) in broken {
        let mut doc = good.clone();
        change(&mut doc);
        assert!(!is_valid(&doc), "the schema accepts {what}");
    }
}

/// The documents of every built-in formula, and of the batches whose documents have the
/// optional parts: a custom strength, lots and expiries, an aliquot plan, a part-filled
/// last container, a fixed dose without a weight, a fixed-concentration bag, a capped dose.
#[test]
fn every_kind_of_batch_document_matches_the_schema() {
    let mut checked = 0;
    for id in builtin_ids() {
        check(&batch_json(&id, &[]).to_string(), &id);
        checked += 1;
    }
    let more: [(&str, &[&str]); 6] = [
        (
            "ketamine-hcl-nasal-spray-100",
            &[
                "--quantity",
                "35mL",
                "--strength",
                "50mg/mL",
                "--lot",
                "ketamine-hcl=K1",
                "--expiry",
                "ketamine-hcl=2026-12-01",
            ],
        ),
        ("ketamine-hcl-troche-50", &["--quantity", "7", "--assay", "ketamine-hcl=99%"]),
        ("ketamine-hcl-cream-10", &["--quantity", "5g", "--overage", "0%"]),
        ("ketamine-iv-0.5mgkg-100ml", &["--dose", "35mg", "--time", "09:00"]),
        ("ketamine-iv-0.5mgkg-100ml", &["--weight", "150kg", "--time", "09:00"]),
        ("ketamine-iv-1mgml-500ml", &["--weight", "154lb", "--time", "23:30", "--bag", "250mL"]),
    ];
    for (id, extra) in more {
        check(&batch_json(id, extra).to_string(), &format!("{id} {extra:?}"));
        checked += 1;
    }
    // A file written with -o is the same document.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.json");
    let args =
        ["batch", "ketamine-hcl-rdt-25", "--date", DATE, "--format", "json", "-o", file.to_str().unwrap()];
    let r = crate::cli::run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    check(&std::fs::read_to_string(&file).unwrap(), "-o");
    assert!(checked >= 16 && root().join("schema/output.schema.json").is_file());
}
