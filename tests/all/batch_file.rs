//! Batch files (SPEC §14.1): `batch --from FILE` prints exactly what the same options
//! given as flags print, for every built-in formula; `label --from` likewise; a formula or
//! a batch option given as well is a usage error; a bad file's errors are all located;
//! `validate` checks batch files alone and in folders beside formula files; the batch
//! file's schema agrees with the loader on good and bad files; and the seeds of the
//! `batchfile` fuzz target are the good and bad files their names say.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cli::{DATE, finish, ketacalc, root, run};
use crate::schema::schema_errors;
use ketacalc::formula::{Basis, Formula};
use ketacalc::quantity::Amount;

/// A formula of the built-in formulary.
fn built_in(id: &str) -> Formula {
    let file = ketacalc::formulary::Formulary::BuiltIn.get(id).unwrap();
    ketacalc::formula::load_bytes(&file.bytes).formula.unwrap()
}

/// A TOML string (a JSON string is one).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// The batch file that gives `formula` and the options `flags` (each a flag, as `batch`
/// takes it, and its value): every batch option by its flag's long name, the lot options
/// in `[lots.ID]` (an id with a dot left bare, as a TOML dotted key), a repeated
/// `--strength` as an array.
pub(crate) fn batch_file(formula: &str, flags: &[(&str, &str)]) -> String {
    let mut top = format!("formula = {}\n", quoted(formula));
    let mut lots: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let strengths: Vec<&str> = flags.iter().filter(|(f, _)| *f == "--strength").map(|(_, v)| *v).collect();
    match strengths.as_slice() {
        [] => {}
        [one] => top.push_str(&format!("strength = {}\n", quoted(one))),
        many => {
            let items: Vec<String> = many.iter().map(|s| quoted(s)).collect();
            top.push_str(&format!("strength = [{}]\n", items.join(", ")));
        }
    }
    for (flag, value) in flags.iter().filter(|(f, _)| *f != "--strength") {
        let key = flag.trim_start_matches('-').replace('-', "_");
        if ["lot", "expiry", "assay", "lod", "vendor"].contains(&key.as_str()) {
            let (id, v) = value.split_once('=').unwrap();
            match lots.iter_mut().find(|(i, _)| i == id) {
                Some((_, keys)) => keys.push((key, v.to_string())),
                None => lots.push((id.to_string(), vec![(key, v.to_string())])),
            }
        } else {
            top.push_str(&format!("{key} = {}\n", quoted(value)));
        }
    }
    for (id, keys) in lots {
        top.push_str(&format!("\n[lots.{id}]\n"));
        for (k, v) in keys {
            top.push_str(&format!("{k} = {}\n", quoted(&v)));
        }
    }
    top
}

/// `amount` at half its value: a custom strength of the same kind.
fn half(amount: &Amount) -> String {
    match amount {
        Amount::Quantity(q) => format!("{} {}", (q.value / rust_decimal::Decimal::TWO).normalize(), q.unit),
        other => panic!("no custom strength for {other}"),
    }
}

/// The option sets every formula is made with: the reference batch, every lot option on
/// every ingredient, and the batch options of its dosage form, a custom strength among
/// them.
fn option_sets(f: &Formula) -> Vec<Vec<(&'static str, String)>> {
    let mut sets = Vec::new();
    let mut base = vec![("--date", DATE.to_string())];
    if f.infusion.is_some() {
        base.extend([("--weight", "70kg".to_string()), ("--time", "09:00".to_string())]);
    }
    sets.push(base.clone());
    let mut lots = base.clone();
    for (n, i) in f.ingredients.iter().enumerate() {
        lots.push(("--lot", format!("{}=L-{n}", i.id)));
        lots.push(("--expiry", format!("{}=2027-12-31", i.id)));
        lots.push(("--vendor", format!("{}=Vendor {n}", i.id)));
    }
    let active = f.actives().next().unwrap();
    if active.stock.is_none() {
        lots.push(("--assay", format!("{}=99.5%", active.id)));
        lots.push(("--lod", format!("{}=0.5%", active.id)));
    }
    lots.push(("--batch-id", "B-2611-01".to_string()));
    sets.push(lots);
    let mut form = base;
    match f.basis() {
        Basis::Infusion => {
            form.retain(|(k, _)| *k != "--weight");
            form.extend([
                ("--weight", "154lb".to_string()),
                ("--duration", "60min".to_string()),
                ("--bag", "250mL".to_string()),
                ("--max", "100 mg".to_string()),
                ("--authorized-by", "Dr B. Okafor".to_string()),
            ]);
        }
        basis => {
            let (q, o) = match basis {
                Basis::Volume => ("45mL", "7%"),
                Basis::Mass => ("150 g", "3 g"),
                _ => ("45", "2 units"),
            };
            form.extend([("--quantity", q.to_string()), ("--overage", o.to_string())]);
            form.extend([("--readability", "0.1 mg".to_string()), ("--min-weight", "100mg".to_string())]);
            if basis == Basis::Volume {
                form.extend([("--fill", "5 mL".to_string()), ("--min-volume", "0.5 mL".to_string())]);
            }
            let actives: Vec<_> = f.actives().collect();
            for a in &actives {
                let s = half(&a.amount);
                form.push(("--strength", if actives.len() == 1 { s } else { format!("{}={s}", a.id) }));
            }
        }
    }
    sets.push(form);
    sets
}

/// Runs `ketacalc ARGS` in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> crate::cli::Run {
    finish(ketacalc().current_dir(dir).args(args))
}

/// Writes `text` as `dir/name`, returning its path.
fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn batch_from_a_file_prints_what_the_same_flags_print_for_every_built_in_formula() {
    let dir = tempfile::tempdir().unwrap();
    let mut compared = 0;
    for id in crate::cli::builtin_ids() {
        let f = built_in(&id);
        for (n, set) in option_sets(&f).iter().enumerate() {
            let pairs: Vec<(&str, &str)> = set.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let file = write(dir.path(), &format!("{id}-{n}.toml"), &batch_file(&id, &pairs));
            let file = file.to_str().unwrap();
            let flags: Vec<&str> = pairs.iter().flat_map(|(k, v)| [*k, *v]).collect();
            for (command, format) in
                [("batch", "json"), ("batch", "table"), ("batch", "markdown"), ("label", "text")]
            {
                let mut with_flags = vec![command, id.as_str(), "--format", format];
                with_flags.extend(&flags);
                let a = run(&with_flags);
                assert_eq!(a.code, 0, "{with_flags:?}: {}", a.stderr);
                let b = run(&[command, "--from", file, "--format", format]);
                assert_eq!(
                    b.code,
                    0,
                    "{command} --from {file}:\n{}\n{}",
                    std::fs::read_to_string(file).unwrap(),
                    b.stderr
                );
                assert!(
                    a.stdout == b.stdout,
                    "{command} --format {format}: {id} {flags:?} differs from --from {file}"
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 10 * 3 * 4, "{compared}");
}

#[test]
fn the_vendor_is_in_the_json_and_the_worksheet_s_vendor_blank() {
    let spray = |extra: &[&str]| {
        let mut args = vec!["batch", "ketamine-hcl-nasal-spray-100", "--date", DATE];
        args.extend(extra);
        run(&args)
    };
    let r = spray(&["--vendor", "ketamine-hcl=Letco", "--lot", "ketamine-hcl=K-25-0512", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["ingredients"][0]["vendor"], "Letco");
    assert_eq!(doc["ingredients"][1]["vendor"], Value::Null);
    for format in ["table", "markdown", "html"] {
        let r = spray(&["--vendor", "ketamine-hcl=Letco", "--format", format, "--width", "80"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("Letco"), "{format}:\n{}", r.stdout);
    }
    let table = spray(&["--vendor", "ketamine-hcl=Letco", "--width", "80"]);
    assert!(table.stdout.contains("   Vendor           Letco\n"), "{}", table.stdout);
    // A vendor is a line of text, like a lot.
    let r = spray(&["--vendor", "ketamine-hcl=A\tB"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("for `--vendor`"), "{}", r.stderr);
    let r = spray(&["--vendor", "Letco"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("`--vendor ketamine-hcl=Letco`"), "{}", r.stderr);
}

#[test]
fn a_formula_or_a_batch_option_given_as_well_as_from_is_a_usage_error() {
    let file = "examples/batch-ns-30ml.toml";
    assert_eq!(run(&["batch", "--from", file, "--format", "json"]).code, 0);
    for extra in [
        &["--quantity", "30mL"][..],
        &["--date", "2026-01-01"],
        &["--lot", "ketamine-hcl=X"],
        &["--vendor", "ketamine-hcl=X"],
        &["--strength", "50mg/mL"],
        &["--weight", "70kg"],
    ] {
        for command in ["batch", "label"] {
            let mut args = vec![command, "--from", file];
            args.extend(extra);
            let r = run(&args);
            assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
            assert!(
                r.stderr.contains(&format!("`{}` is given as well as `--from {file}`", extra[0])),
                "{}",
                r.stderr
            );
            assert!(r.stdout.is_empty());
        }
    }
    let r = run(&["batch", "ketamine-hcl-nasal-spray-100", "--from", file]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("both name the formula"), "{}", r.stderr);
    // Output options and the formulary stay on the command line.
    let r = run(&[
        "batch",
        "--from",
        file,
        "--format",
        "markdown",
        "--width",
        "80",
        "--explain",
        "--formulas",
        "formulas",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Neither a formula nor --from.
    assert_eq!(run(&["batch"]).code, 2);
    // A batch file given as the formula: say how it is given.
    let r = run(&["batch", file]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(&format!("help: give a batch file with `--from`: `--from {file}`")),
        "{}",
        r.stderr
    );
}

#[test]
fn every_error_of_a_batch_file_is_located_and_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = "formula = \"ketamine-hcl-nasal-spray-100\"\nquantiy = \"30 mL\"\nwidth = 80\ndate = \"2026-02-30\"\n\n\
                [lots.ketamine-hlc]\nlot = \"K1\"\n\n[lots.ketamine-hcl]\nassay = \"0%\"\n\n[qc]\n9 = \"pass\"\n";
    let file = write(dir.path(), "bad.toml", text);
    let r = run_in(dir.path(), &["batch", "--from", "bad.toml"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    for (place, message) in [
        ("bad.toml:2:1", "error: unknown key `quantiy` in the top level of the batch file"),
        ("bad.toml:3:9", "error: `width` is not read from a batch file: it is an output option"),
        (
            "bad.toml:4:8",
            "error: invalid value `2026-02-30` for `date`: that date does not exist in the calendar",
        ),
        (
            "bad.toml:6:7",
            "error: `ketamine-hlc` in [lots] is not an ingredient of formula `ketamine-hcl-nasal-spray-100`",
        ),
        (
            "bad.toml:10:9",
            "error: invalid value `0%` for `lots.ketamine-hcl.assay`: an assay must be from 1% to 110%",
        ),
        ("bad.toml:13:1", "error: QC check 9 is not a check of formula `ketamine-hcl-nasal-spray-100`"),
    ] {
        let at =
            r.stderr.find(&format!("  --> {place}\n")).unwrap_or_else(|| panic!("{place}:\n{}", r.stderr));
        let before = &r.stderr[..at];
        assert!(before.lines().last().unwrap().starts_with(message), "{place}: {message}\n{}", r.stderr);
    }
    assert!(r.stderr.contains("help: did you mean `quantity`?"));
    assert!(r.stderr.contains("help: did you mean `ketamine-hcl`?"));
    assert!(
        r.stderr.ends_with(
            "error: `bad.toml` has 6 errors that must be fixed first; run `ketacalc validate bad.toml`\n"
        ),
        "{}",
        r.stderr
    );
    // validate finds the same, with their codes.
    let v = run_in(dir.path(), &["validate", "bad.toml", "--format", "json"]).json();
    let codes: Vec<&str> =
        v["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        ["unknown-key", "unexpected-key", "bad-option", "unknown-ingredient", "bad-option", "unknown-check"]
    );
    drop(file);
}

#[test]
fn a_batch_file_finds_its_formula_by_id_or_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("orders");
    std::fs::create_dir(&sub).unwrap();
    let formula = std::fs::read(root().join("formulas/ketamine-hcl-troche-50.toml")).unwrap();
    std::fs::write(dir.path().join("my-troche.toml"), &formula).unwrap();
    write(&sub, "by-path.toml", "formula = \"../my-troche.toml\"\ndate = \"2026-11-26\"\nquantity = 60\n");
    write(
        &sub,
        "by-id.toml",
        "formula = \"ketamine-hcl-troche-50\"\ndate = \"2026-11-26\"\nquantity = \"60\"\n",
    );
    // The path is relative to the batch file's folder, wherever ketacalc runs.
    let a = run(&["batch", "--from", sub.join("by-path.toml").to_str().unwrap(), "--format", "json"]);
    let b = run(&["batch", "--from", sub.join("by-id.toml").to_str().unwrap(), "--format", "json"]);
    assert_eq!((a.code, b.code), (0, 0), "{}{}", a.stderr, b.stderr);
    assert_eq!(a.json()["cavities"], 62);
    assert_eq!(a.json()["formula"]["sha256"], b.json()["formula"]["sha256"]);
    // An id is looked up in --formulas DIR.
    write(&sub, "in-dir.toml", "formula = \"my-troche\"\ndate = \"2026-11-26\"\n");
    let r = run(&["batch", "--from", sub.join("in-dir.toml").to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error: no formula `my-troche` in the built-in formulary"), "{}", r.stderr);
    assert!(r.stderr.contains("in-dir.toml:1:11\n"), "{}", r.stderr);
    let d = dir.path().to_str().unwrap();
    let r = run(&["batch", "--from", sub.join("in-dir.toml").to_str().unwrap(), "--formulas", d]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // `-o` never writes over the batch file or its formula.
    let out = sub.join("by-path.toml");
    let r = run(&["batch", "--from", out.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("it is the batch file"), "{}", r.stderr);
    let target = dir.path().join("my-troche.toml");
    let r = run(&["batch", "--from", out.to_str().unwrap(), "-o", target.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("it is the formula file"), "{}", r.stderr);
    assert_eq!(std::fs::read(&target).unwrap(), formula);
}

#[test]
fn validate_checks_batch_files_alone_and_in_folders_with_formula_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("formulas/ketamine-hcl-cream-10.toml"),
        dir.path().join("ketamine-hcl-cream-10.toml"),
    )
    .unwrap();
    write(dir.path(), "good.toml", "formula = \"ketamine-hcl-cream-10.toml\"\nquantity = \"60 g\"\n");
    write(dir.path(), "over.toml", "formula = \"ketamine-hcl-cream-10.toml\"\nstrength = \"99.9 %w/w\"\n");
    write(
        dir.path(),
        "expired.toml",
        "formula = \"ketamine-hcl-cream-10\"\ndate = \"2026-11-26\"\n\n[lots.ketamine-hcl]\nexpiry = \"2026-11-01\"\n",
    );
    let r = run(&["validate", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let v = r.json();
    assert_eq!(v["files"], 4);
    let found: Vec<(String, String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
            (file, d["code"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(
        found,
        [
            ("expired.toml".to_string(), "impossible-batch".to_string(), 5),
            ("over.toml".to_string(), "impossible-batch".to_string(), 1),
        ],
        "{v:#}"
    );
    // A batch file's id-less formula is never held to its file name, nor its id to others'.
    let r = run(&["validate", dir.path().join("good.toml").to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "checked 1 file: 0 errors, 0 warnings\n"));
}

/// The batch file of the shared worked case of SPEC §14 (when `../shared` is here): its
/// batch is the one its record will hold.
#[test]
fn the_worked_case_s_batch_file_makes_its_batch() {
    let case = root().join("../shared/cases/record/spray-20ml-ready");
    if !case.is_dir() {
        return;
    }
    let file = case.join("ns-20ml.toml");
    let file = file.to_str().unwrap();
    assert_eq!(run(&["validate", file]).code, 0);
    let doc = run(&["batch", "--from", file, "--format", "json"]).json();
    assert_eq!(doc["batch_id"], "NS-0309-02");
    assert_eq!(doc["date"], "2026-03-09");
    let ketamine = doc["ingredients"].as_array().unwrap().iter().find(|i| i["id"] == "ketamine-hcl").unwrap();
    assert_eq!((&ketamine["vendor"], &ketamine["lot"]), (&Value::from("Letco"), &Value::from("K-25-0512")));
    // The 2.1169 g the worksheet asks for, which the balance read as 2.1181 g.
    assert_eq!(ketamine["weigh_rounded"]["value"], "2.1169");
}

#[test]
fn the_committed_example_batch_files_are_good() {
    let r = run(&["validate", "tests/fixtures/batch-files", "examples"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

// ---------------------------------------------------------------------------------------
// The batch file's schema against the loader
// ---------------------------------------------------------------------------------------

/// Entries of `tests/bad/` with a batch file that the loader refuses for a reason its
/// schema cannot state (the schema accepts these files; checked below).
const NOT_EXPRESSIBLE: &[(&str, &str)] = &[
    (
        "171-batch-file-unknown-ingredient",
        "an ingredient id is the formula's, which a schema of batch files does not know",
    ),
    ("175-batch-file-bad-date", "a date that is not in the calendar is a value of the right grammar"),
    ("178-batch-file-unknown-formula", "which formulas there are is the formulary's"),
    ("180-batch-file-not-for-the-form", "which options and readings a dosage form takes is the formula's"),
    (
        "182-record-volume-for-a-weighed-ingredient",
        "whether an ingredient is weighed or measured is the formula's",
    ),
    ("183-record-mass-without-a-density", "whether a measured ingredient has a density is the formula's"),
    ("185-record-stock-after-above-before", "a stock after above the stock before compares two values"),
    (
        "186-record-one-figure-for-an-aliquot",
        "which ingredients are made by aliquot is the formula's and the batch's",
    ),
    (
        "187-record-zero-and-absurd-readings",
        "a reading far from its target is so only beside the batch's target",
    ),
];

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&ketacalc::schema::Kind::Batch.document()).unwrap()
}

/// The batch files under `dir` (files with a top-level `formula` key).
fn batch_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(batch_files(&p));
        } else if p.extension().is_some_and(|x| x == "toml")
            && std::fs::read_to_string(&p).is_ok_and(|t| ketacalc::request::is_batch_file(&t))
        {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Returns true if and only if `validate` finds no error in the batch file at `path`.
fn loader_accepts(path: &Path) -> bool {
    let bytes = std::fs::read(path).unwrap();
    let formulary = ketacalc::formulary::Formulary::BuiltIn;
    !ketacalc::validate::check_in(path.to_str().unwrap(), &bytes, None, &formulary).has_errors()
}

#[test]
fn every_good_batch_file_is_valid_under_the_schema() {
    let v = validator();
    let mut folders = vec![root().join("tests/fixtures"), root().join("examples")];
    let shared = root().join("../shared/cases");
    if shared.is_dir() {
        folders.push(shared);
    }
    let mut good = 0;
    for folder in folders {
        for f in batch_files(&folder) {
            if !loader_accepts(&f) {
                continue;
            }
            let errors = schema_errors(&v, &std::fs::read(&f).unwrap()).unwrap();
            assert!(
                errors.is_empty(),
                "{} is a good batch file, but the schema says:\n{}",
                f.display(),
                errors.join("\n")
            );
            good += 1;
        }
    }
    assert!(good >= 3, "only {good} good batch files");
    // And the files the identity test writes.
    for id in crate::cli::builtin_ids() {
        for set in option_sets(&built_in(&id)) {
            let pairs: Vec<(&str, &str)> = set.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let text = batch_file(&id, &pairs);
            assert_eq!(schema_errors(&v, text.as_bytes()), Some(Vec::new()), "{text}");
        }
    }
}

#[test]
fn every_bad_batch_file_the_schema_can_express_is_invalid_under_it() {
    let v = validator();
    let mut refused = 0;
    let mut listed_seen = Vec::new();
    for f in batch_files(&root().join("tests/bad")) {
        let name = f.parent().unwrap().file_name().unwrap().to_str().unwrap().to_string();
        let errors = schema_errors(&v, &std::fs::read(&f).unwrap());
        if loader_accepts(&f) {
            assert_eq!(
                errors,
                Some(Vec::new()),
                "{}: the loader accepts it, the schema must too",
                f.display()
            );
            continue;
        }
        if NOT_EXPRESSIBLE.iter().any(|(n, _)| *n == name) {
            assert_eq!(
                errors,
                Some(Vec::new()),
                "{name} is listed as not expressible, but the schema refuses it"
            );
            listed_seen.push(name);
        } else {
            assert!(
                errors.is_none_or(|e| !e.is_empty()),
                "{}: the loader refuses it and the schema does not",
                f.display()
            );
            refused += 1;
        }
    }
    for (n, _) in NOT_EXPRESSIBLE {
        assert!(listed_seen.iter().any(|s| s == n), "{n} is not a refused batch file of the corpus");
    }
    assert!(refused >= 5, "only {refused} bad batch files refused by the schema");
}

/// Each rule of the schema refuses a small change to a good batch file, at the value.
#[test]
fn the_schema_refuses_what_the_loader_refuses_by_grammar() {
    let v = validator();
    let good = std::fs::read_to_string(root().join("examples/batch-ns-30ml.toml")).unwrap();
    assert_eq!(schema_errors(&v, good.as_bytes()), Some(Vec::new()));
    let cases: &[(&str, &str, &str)] = &[
        ("quantity = \"30 mL\"", "quantity = 30.5", "/quantity"),
        ("quantity = \"30 mL\"", "quantiy = \"30 mL\"", ""),
        ("quantity = \"30 mL\"", "quantity = \"30 mL\"\nformat = \"json\"", "/format"),
        ("date = \"2026-12-07\"", "date = \"07/12/2026\"", "/date"),
        ("date = \"2026-12-07\"", "date = 2026-12-07", "/date"),
        ("assay = \"99.5%\"", "assay = \"99.5\"", "/lots/ketamine-hcl/assay"),
        ("vendor = \"Spectrum\"", "vendr = \"Spectrum\"", "/lots/ketamine-hcl"),
        ("vendor = \"Spectrum\"", "vendor = \"Spec\\ttrum\"", "/lots/ketamine-hcl/vendor"),
        ("ketamine-hcl = \"3.1671 g\"", "ketamine-hcl = \"2.1181 g/mL\"", "/actual/ketamine-hcl"),
        (
            "ketamine-hcl = \"3.1671 g\"",
            "ketamine-hcl = { weigh = \"2 g\", stock = \"1 mL\", tak = \"1 mL\" }",
            "/actual/ketamine-hcl",
        ),
        ("2 = \"pass: pH 4.6\"", "2 = \"passed\"", "/qc/2"),
        ("2 = \"pass: pH 4.6\"", "02 = \"pass\"", "/qc"),
        (
            "stock_before = \"25.0312 g\"",
            "stock_before = \"25.0312\"",
            "/controlled/ketamine-hcl/stock_before",
        ),
        ("compounded_by = \"AB\"", "compounded_by = \"\"", "/people/compounded_by"),
    ];
    for (from, to, at) in cases {
        assert!(good.contains(from), "{from}");
        let bad = good.replacen(from, to, 1);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, &bad).unwrap();
        assert!(!loader_accepts(&path), "the loader accepts {to}");
        let errors = schema_errors(&v, bad.as_bytes()).unwrap();
        let place = format!("at `{at}");
        assert!(errors.iter().any(|e| e.contains(&place)), "{to}: {errors:?}");
    }
}

/// The seeds of the `batchfile` fuzz target are what their names say: each `seed-bad-*`
/// has errors, every other one is a clean batch file that `validate` passes (its formula
/// file, after a line `%%`, written beside it as the target writes it), so that the
/// corpus keeps reaching the calculation and the renderers as the format grows.
#[test]
fn the_fuzz_corpus_of_batch_files_is_what_its_names_say() {
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("fuzz/corpus/batchfile")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.starts_with("seed-") {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        let text = std::str::from_utf8(&data).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let batch = match text.split_once("\n%%\n") {
            Some((batch, formula)) => {
                std::fs::write(dir.path().join("formula.toml"), formula).unwrap();
                format!("{batch}\n")
            }
            None => text.to_string(),
        };
        let batch_path = dir.path().join("batch.toml").display().to_string();
        let r = ketacalc::validate::check(&batch_path, batch.as_bytes(), None);
        let messages: Vec<&str> = r.diagnostics.iter().map(|l| l.diagnostic.message.as_str()).collect();
        assert_eq!(name.starts_with("seed-bad-"), r.has_errors(), "{name}: {messages:#?}");
        seen += 1;
    }
    assert!(seen >= 30, "only {seen} seeds");
}
