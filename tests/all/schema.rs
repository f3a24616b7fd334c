//! The JSON Schema of formula files (`ketacalc schema`, SPEC §11) against the loader:
//! every formula the loader accepts is valid under the schema, every formula file of the
//! bad-input corpus that the schema can express is not, and the schema the built-in
//! formulas name in their `#:schema` line is the one `ketacalc schema` prints.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cli::{root, run};

/// The line every built-in formula starts with, for TOML language servers.
const SCHEMA_LINE: &str = "#:schema ../schema/formula.schema.json";

/// The committed schema, relative to the crate root.
const SCHEMA_FILE: &str = "schema/formula.schema.json";

/// Entries of `tests/bad/` whose formula file the loader refuses for a reason a JSON
/// Schema cannot state; the schema accepts these files (checked below, so that the list
/// stays true).
const NOT_EXPRESSIBLE: &[(&str, &str)] = &[
    ("009-number-limits", "a number's size (28 digits after the point, 7.9 × 10^28) is a value, not grammar"),
    ("016-qs-two", "at most one `qs`: draft-07 has `contains` (at least one) but no `maxContains`"),
    ("018-duplicate-ids", "unique ids: `uniqueItems` compares whole tables, not one key of each"),
    ("022-fractions-no-room-mass", "fractions that sum to 100% or more: arithmetic"),
    ("023-fractions-no-room-volume", "fractions that sum to 100% or more: arithmetic"),
    ("024-zero-amounts", "a zero amount is a value of the right grammar"),
    ("025-purity-over-100", "a purity over 100% is a value of the right grammar"),
    ("026-qs-not-positive-troche", "the reference batch must be computed"),
    ("027-qs-not-positive-cream", "the reference batch must be computed"),
    ("028-qs-not-positive-solution", "the reference batch must be computed"),
    ("029-above-solubility", "the concentration as weighed against the solubility: arithmetic"),
    ("038-zero-factors", "a zero factor is a value of the right grammar"),
    ("039-zero-density-factor", "a zero factor is a value of the right grammar"),
    ("047-not-utf8", "bytes that are not UTF-8 are not text, and a schema checks parsed TOML"),
    ("104-overflow-after-salt-factor", "the reference batch must be computed"),
    ("105-tiny-concentration", "the reference batch must be computed"),
    ("106-density-almost-zero", "the reference batch must be computed"),
    ("107-molecular-weight-ratio-huge", "the reference batch must be computed"),
    ("128-purity-tiny", "a purity under 1% is a value of the right grammar"),
    ("132-priming-outside-toml-range", "an integer outside TOML's range is not TOML to a TOML parser"),
    (
        "149-infusion-two-actives",
        "at most one active: draft-07 has `contains` (at least one) but no `maxContains`",
    ),
    (
        "157-batch-placeholders-in-an-infusion",
        "the schema checks that a placeholder is one of ketacalc's, not which dosage forms have it",
    ),
    (
        "158-infusion-placeholders-in-a-nasal-spray",
        "the schema checks that a placeholder is one of ketacalc's, not which dosage forms have it",
    ),
    ("169-active-measured-below-0.2-ml", "the reference batch must be computed"),
];

/// Entries of `tests/bad/` whose bad input is not the content of a formula file: the
/// command line, the file's place, name or kind, or a file made at test time to exceed a
/// limit of size or nesting. Their formula files, if any, are valid (checked below).
const NOT_A_FORMULA: &[&str] = &[
    "019-id-mismatch",
    "045-warnings-denied",
    "046-warnings-denied-json",
    "050-control-characters-in-arguments",
    "053-validate-missing-paths",
    "055-quantity-wrong-dimension",
    "056-quantity-zero",
    "057-quantity-over-limit",
    "058-quantity-huge",
    "059-quantity-tiny",
    "060-quantity-malformed",
    "061-quantity-troche-fraction",
    "062-overage-100-percent",
    "063-overage-wrong-dimension",
    "064-overage-huge",
    "065-strength-wrong-dimension",
    "066-strength-needs-id",
    "067-strength-not-active",
    "068-strength-unknown-id",
    "069-strength-zero",
    "070-strength-huge",
    "071-strength-above-solubility",
    "072-assay-zero",
    "073-assay-over-110",
    "074-assay-no-id",
    "075-assay-unknown-ingredient",
    "076-assay-tiny",
    "077-lod-100",
    "078-lod-almost-100",
    "079-date-does-not-exist",
    "080-date-wrong-shape",
    "081-expiry-before-date",
    "082-expiry-unknown-ingredient",
    "083-readability-zero",
    "084-min-weight-volume",
    "085-lot-no-equals",
    "086-usage-unknown-flag",
    "087-usage-missing-formula",
    "088-usage-bad-format",
    "089-usage-no-command",
    "090-usage-unknown-command",
    "091-id-uppercase",
    "092-id-percent-encoded",
    "093-id-not-found",
    "094-path-missing",
    "095-path-is-a-folder",
    "096-symlink-outside-batch",
    "097-symlink-outside-validate",
    "098-fifo-in-formulary",
    "099-file-over-1-mib",
    "100-file-over-1-mib-batch",
    "101-deep-arrays",
    "102-deep-inline-tables",
    "103-deep-dotted-keys",
    "108-output-missing-folder",
    "109-output-is-a-folder",
    "110-list-missing-formulary",
    "111-decimal-comma",
    "112-name-not-utf8-in-formulary",
    "113-output-fifo-without-reader",
    "114-batch-formula-is-a-fifo",
    "115-validate-file-is-a-fifo",
    "116-output-onto-the-formula",
    "117-output-onto-the-formula-through-a-link",
    "118-list-with-unreadable-entries",
    "119-repeated-expiry",
    "120-repeated-assay",
    "121-repeated-lod",
    "122-repeated-lot",
    "123-repeated-strength-with-and-without-id",
    "124-repeated-strength-by-id",
    "125-lot-control-character",
    "126-batch-id-control-character",
    "127-option-id-control-character",
    "129-readability-100-kg",
    "130-min-weight-over-820-g",
    "131-min-weight-below-readability",
    "133-quantity-minus-inf",
    "134-quantity-minus-zero",
    "135-validate-folder-without-formulas",
    "136-validate-duplicate-formula-ids",
    "159-literal-bag-in-infusion-name-and-container",
    "165-custom-dose-above-max",
    "166-max-on-a-spray",
    "167-max-without-authorized-by",
    "168-dilution-cannot-fit",
    "170-batch-file-unknown-key",
    "171-batch-file-unknown-ingredient",
    "172-batch-file-output-option",
    "173-batch-file-flag-as-well",
    "174-batch-file-toml-float",
    "175-batch-file-bad-date",
    "176-batch-file-hidden-characters",
    "177-batch-file-formula-as-well",
    "178-batch-file-unknown-formula",
    "179-batch-file-readings",
    "180-batch-file-not-for-the-form",
    "181-record-unknown-key-and-id",
    "182-record-volume-for-a-weighed-ingredient",
    "183-record-mass-without-a-density",
    "184-record-negative-reading",
    "185-record-stock-after-above-before",
    "186-record-one-figure-for-an-aliquot",
    "187-record-zero-and-absurd-readings",
];

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&ketacalc::formula::schema::document()).unwrap()
}

/// A formula file as the schema sees it (TOML read into JSON), or `None` when a TOML
/// parser refuses it.
fn as_json(bytes: &[u8]) -> Option<Value> {
    let text = std::str::from_utf8(bytes).ok()?;
    let doc: toml::Value = toml::from_str(text).ok()?;
    Some(serde_json::to_value(doc).unwrap())
}

/// The schema's complaints about a TOML file (empty when it is valid); `None` when it is
/// not TOML.
pub(crate) fn schema_errors(v: &jsonschema::Validator, bytes: &[u8]) -> Option<Vec<String>> {
    let doc = as_json(bytes)?;
    Some(v.iter_errors(&doc).map(|e| format!("{} at `{}`", e, e.instance_path())).collect())
}

/// Returns true if and only if `validate` finds no error in the file (warnings allowed).
fn loader_accepts(bytes: &[u8]) -> bool {
    !ketacalc::validate::check("formula.toml", bytes, None).has_errors()
}

/// The formula files under `dir`: `*.toml`, but not the `case.toml` of a worked case, nor
/// a batch file (`tests/all/batch_file.rs` holds those to their own schema).
fn formula_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(formula_files(&p));
        } else if p.extension().is_some_and(|x| x == "toml")
            && p.file_name().is_some_and(|n| n != "case.toml")
            && !std::fs::read_to_string(&p).is_ok_and(|t| ketacalc::request::is_batch_file(&t))
        {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Every kind's committed schema is what `ketacalc schema --kind KIND` prints, byte for
/// byte; with no `--kind`, the formula file's.
#[test]
fn the_committed_schemas_are_what_ketacalc_schema_prints() {
    for &kind in ketacalc::schema::Kind::ALL {
        let (name, file) = (kind.name(), kind.file());
        let r = run(&["schema", "--kind", name]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let committed = std::fs::read_to_string(root().join(file)).unwrap();
        assert!(
            r.stdout == committed,
            "{file} is out of date: run `cargo run -- schema --kind {name} > {file}` and commit it"
        );
        assert!(r.stdout == kind.text());
        // Every schema is itself a valid schema of its draft.
        let doc: Value = serde_json::from_str(&r.stdout).unwrap();
        assert!(jsonschema::meta::is_valid(&doc), "{file} is not a valid JSON Schema");
    }
    let r = run(&["schema"]);
    let committed = std::fs::read_to_string(root().join(SCHEMA_FILE)).unwrap();
    assert!(r.stdout == committed, "`ketacalc schema` is the formula file's schema");
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(doc["additionalProperties"], false);
    let r = run(&["schema", "--kind", "recipe"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("[possible values: formula, batch, output, record]"), "{}", r.stderr);
}

#[test]
fn every_built_in_formula_names_the_schema_on_its_first_line() {
    let files = formula_files(&root().join("formulas"));
    assert!(files.len() >= 7, "{files:?}");
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert_eq!(text.lines().next(), Some(SCHEMA_LINE), "{}", f.display());
        // The path is relative to the formula file, as taplo reads it.
        let target = f.parent().unwrap().join(SCHEMA_LINE.trim_start_matches("#:schema "));
        let named = std::fs::read_to_string(&target).unwrap();
        assert!(named == ketacalc::schema::Kind::Formula.text(), "{} is out of date", target.display());
    }
}

#[allow(clippy::print_stdout, reason = "the skip is reported where `cargo test` shows it")]
fn note_missing_shared_cases() {
    println!(
        "skipped: ../shared/cases is not here; the repository's copies (tests/fixtures/cases) are checked"
    );
}

/// Every formula the loader accepts, in the repository and (when it is there) in the
/// shared worked cases, is valid under the schema.
#[test]
fn every_good_formula_is_valid_under_the_schema() {
    let v = validator();
    let mut folders =
        vec![root().join("formulas"), root().join("tests/fixtures"), root().join("fuzz/corpus/load")];
    let shared = root().join("../shared/cases");
    if shared.is_dir() {
        folders.push(shared);
    } else {
        note_missing_shared_cases();
    }
    let mut good = 0usize;
    let mut fixtures = 0usize;
    for folder in &folders {
        for f in formula_files(folder) {
            let bytes = std::fs::read(&f).unwrap();
            if !loader_accepts(&bytes) {
                continue;
            }
            let errors = schema_errors(&v, &bytes).unwrap_or_else(|| panic!("{}: not TOML", f.display()));
            assert!(
                errors.is_empty(),
                "{} is a good formula, but the schema says:\n{}",
                f.display(),
                errors.join("\n")
            );
            good += 1;
            fixtures += usize::from(f.starts_with(root().join("tests/fixtures/cases")));
        }
    }
    assert!(fixtures >= 8, "only {fixtures} good formulas in tests/fixtures/cases");
    assert!(good >= 30, "only {good} good formulas");
}

/// Every formula file of the bad-input corpus that the loader refuses, the schema refuses
/// too, unless the entry is listed in [`NOT_EXPRESSIBLE`] with the reason; a file the
/// loader accepts, the schema accepts.
#[test]
fn every_bad_formula_the_schema_can_express_is_invalid_under_it() {
    let v = validator();
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(root().join("tests/bad")).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    let mut refused = 0usize;
    for entry in &entries {
        let name = entry.file_name().unwrap().to_str().unwrap();
        let listed = NOT_EXPRESSIBLE.iter().any(|(n, _)| *n == name);
        let not_a_formula = NOT_A_FORMULA.contains(&name);
        assert!(!(listed && not_a_formula), "{name} is in both lists");
        let mut loader_refuses_one = false;
        for f in formula_files(entry) {
            let bytes = std::fs::read(&f).unwrap();
            let errors = schema_errors(&v, &bytes);
            if loader_accepts(&bytes) {
                assert_eq!(
                    errors,
                    Some(Vec::new()),
                    "{}: the loader accepts it, the schema must too",
                    f.display()
                );
                continue;
            }
            loader_refuses_one = true;
            if listed {
                // Not TOML to a TOML parser (`None`) is not a refusal by the schema.
                assert!(
                    errors.as_ref().is_none_or(Vec::is_empty),
                    "{name} is listed as not expressible, but the schema refuses it: {errors:?}"
                );
            } else {
                let schema_refuses = errors.is_none_or(|e| !e.is_empty());
                assert!(schema_refuses, "{}: the loader refuses it and the schema does not", f.display());
                refused += 1;
            }
        }
        if not_a_formula {
            assert!(!loader_refuses_one, "{name}: listed as not about a formula file, but one is refused");
        } else if !listed {
            assert!(
                loader_refuses_one,
                "{name}: no formula file of its own is refused; list it in NOT_A_FORMULA"
            );
        }
    }
    let names: Vec<String> =
        entries.iter().map(|e| e.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for (n, _) in NOT_EXPRESSIBLE {
        assert!(names.iter().any(|x| x == n), "{n} is not in the corpus");
    }
    for n in NOT_A_FORMULA {
        assert!(names.iter().any(|x| x == n), "{n} is not in the corpus");
    }
    assert!(refused >= 30, "only {refused} bad formula files refused by the schema");
}

/// Each rule of the schema refuses a small change to a good formula, at the value changed.
#[test]
fn the_schema_refuses_what_the_loader_refuses_by_grammar() {
    let v = validator();
    let good = std::fs::read_to_string(root().join("formulas/ketamine-hcl-troche-50.toml")).unwrap();
    assert!(loader_accepts(good.as_bytes()));
    assert_eq!(schema_errors(&v, good.as_bytes()), Some(Vec::new()));
    let cases: &[(&str, &str, &str)] = &[
        ("revision = 3", "revision = \"3\"", "/revision"),
        ("cavities = 30", "cavities = \"30\"", "/mold/cavities"),
        ("cavities = 30", "cavities = 0", "/mold/cavities"),
        ("dosage_form = \"troche\"", "dosage_form = \"lozenge\"", "/dosage_form"),
        ("storage = \"room-temperature\"", "storage = \"Room temperature\"", "/storage"),
        ("blank_weight = \"1.000 g\"", "blank_weight = 1.0", "/mold/blank_weight"),
        ("blank_weight = \"1.000 g\"", "blank_weight = \"1.000 mL\"", "/mold/blank_weight"),
        ("blank_weight = \"1.000 g\"", "blank_weight = \"1,000 g\"", "/mold/blank_weight"),
        ("blank_weight = \"1.000 g\"", "blank_weight = \"1.000 g\"\nblank_wieght = \"1 g\"", "/mold"),
        ("amount = \"50 mg/troche\"", "amount = \"50 mg/mL\"", "/ingredients/0/amount"),
        ("amount = \"50 mg/troche\"", "amount = \"-50 mg/troche\"", "/ingredients/0/amount"),
        ("schedule = \"CIII\"", "schedule = \"C3\"", "/ingredients/0/schedule"),
        ("role = \"active\"", "role = \"drug\"", "/ingredients/0/role"),
        ("{weigh:ketamine-hcl}", "{wiegh:ketamine-hcl}", "/steps"),
        ("{weigh:ketamine-hcl}", "{weigh:ketamine-hcl", "/steps"),
    ];
    for (from, to, at) in cases {
        assert!(good.contains(from), "{from}");
        let bad = good.replacen(from, to, 1);
        assert!(!loader_accepts(bad.as_bytes()), "the loader accepts {to}");
        let errors = schema_errors(&v, bad.as_bytes()).unwrap();
        let place = format!("at `{at}");
        assert!(errors.iter().any(|e| e.contains(&place)), "{to}: {errors:?}");
    }
}
