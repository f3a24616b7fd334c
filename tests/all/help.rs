//! Help lines that say the right thing (issue 13, item 6): a value with a leading `-`
//! reaches ketacalc's own message; each suggestion fits the option, the key and the
//! dosage form it is for, and a suggested fix is accepted once applied.

use crate::cli::{DATE, batch, root, run};

/// The `help:` line of a run's standard error.
fn help_line(stderr: &str) -> &str {
    stderr.lines().find_map(|l| l.strip_prefix("help: ")).unwrap_or_else(|| panic!("no help line:\n{stderr}"))
}

#[test]
fn values_with_a_leading_minus_reach_ketacalc_s_own_messages() {
    for (flag, value, says) in [
        ("--quantity", "-10mL", "`-10mL` has a sign"),
        ("--overage", "-5%", "`-5%` has a sign"),
        ("--strength", "-50mg/mL", "`-50mg/mL` has a sign"),
        ("--readability", "-0.1mg", "`-0.1mg` has a sign"),
        ("--min-weight", "-100mg", "`-100mg` has a sign"),
        ("--fill", "-10mL", "`-10mL` has a sign"),
        ("--min-volume", "-1mL", "`-1mL` has a sign"),
        ("--assay", "-ketamine-hcl=99%", "names ingredient `-ketamine-hcl`"),
        ("--lot", "-K1", "expected `ID=VALUE`"),
        ("--date", "-2026-11-26", "--date"),
    ] {
        let r = if flag == "--date" {
            run(&["batch", "ketamine-hcl-nasal-spray-100", flag, value])
        } else {
            batch("ketamine-hcl-nasal-spray-100", &[flag, value])
        };
        assert_eq!(r.code, 1, "{flag} {value}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{flag} {value}: {}", r.stderr);
        assert!(!r.stderr.contains("unexpected argument"), "{flag} {value}: {}", r.stderr);
    }
    assert_eq!(
        help_line(&batch("ketamine-hcl-nasal-spray-100", &["--quantity", "-10mL"]).stderr),
        "write `10mL`"
    );
    // A width is a number: clap's own range message, not "unexpected argument '-8'".
    let r = batch("ketamine-hcl-nasal-spray-100", &["--width", "-80"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("-80 is not in 40..=1000"), "{}", r.stderr);
}

#[test]
fn each_id_value_option_suggests_a_value_of_its_own_kind() {
    for (flag, value, fix) in [
        ("--lot", "K2611", "`--lot ketamine-hcl=K2611`"),
        ("--assay", "99.5%", "`--assay ketamine-hcl=99.5%`"),
        ("--lod", "0.5%", "`--lod ketamine-hcl=0.5%`"),
        ("--expiry", "2027-03-31", "`--expiry ketamine-hcl=2027-03-31`"),
        ("--lot", "=", "`--lot ketamine-hcl=K2611`"),
        ("--expiry", "=", "`--expiry ketamine-hcl=2027-03-31`"),
    ] {
        let r = batch("ketamine-hcl-nasal-spray-100", &[flag, value]);
        assert_eq!(r.code, 1, "{flag} {value}");
        assert_eq!(help_line(&r.stderr), format!("name the ingredient: {fix}"), "{flag} {value}");
        // The suggestion works as given.
        let args: Vec<&str> = fix.trim_matches('`').splitn(2, ' ').collect();
        assert_eq!(batch("ketamine-hcl-nasal-spray-100", &args).code, 0, "{fix}");
    }
    // The example names an ingredient of the formula at hand.
    let dir = tempfile::tempdir().unwrap();
    let spray = std::fs::read_to_string(root().join("formulas/ketamine-hcl-nasal-spray-100.toml")).unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, spray.replace("ketamine-hcl", "esketamine-hcl")).unwrap();
    let r = batch(path.to_str().unwrap(), &["--lot", "K1"]);
    assert_eq!(help_line(&r.stderr), "name the ingredient: `--lot esketamine-hcl=K1`");
}

#[test]
fn a_bare_overage_suggests_a_percentage() {
    let r = batch("ketamine-hcl-nasal-spray-100", &["--overage", "5"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        help_line(&r.stderr),
        "write `--overage 5%` for a percentage of the batch, or a quantity with its unit, like `--overage 5mL`"
    );
    assert_eq!(batch("ketamine-hcl-nasal-spray-100", &["--overage", "5%"]).code, 0);
    assert!(
        help_line(&batch("ketamine-hcl-cream-10", &["--overage", "5"]).stderr).ends_with("`--overage 5g`")
    );
    // For troches a bare number is a count of units: 5 more cavities.
    let doc = crate::cli::batch_json("ketamine-hcl-troche-50", &["--overage", "5"]);
    assert_eq!(doc["cavities"], 35);
}

/// Replaces `from` with `to` in a built-in formula, validates it, and returns the run.
fn validate_changed(id: &str, from: &str, to: &str) -> (crate::cli::Run, String) {
    let text = std::fs::read_to_string(root().join(format!("formulas/{id}.toml"))).unwrap();
    assert!(text.contains(from), "{from}");
    let changed = text.replacen(from, to, 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.toml");
    std::fs::write(&path, &changed).unwrap();
    (run(&["validate", path.to_str().unwrap()]), changed)
}

/// The suggestion in `help` (`` `key = value` ``) applied to `text` in place of `bad`
/// validates cleanly.
#[track_caller]
fn fix_is_accepted(text: &str, bad: &str, help: &str) {
    let fix = help.rsplit('`').nth(1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.toml");
    std::fs::write(&path, text.replacen(bad, fix, 1)).unwrap();
    let r = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{fix}: {}", r.stdout);
}

#[test]
fn a_float_count_is_not_told_to_be_quoted() {
    let (r, text) = validate_changed("ketamine-hcl-troche-50", "revision = 3", "revision = 3.0");
    assert_eq!(r.code, 1);
    let help = help_line(&r.stdout);
    assert_eq!(help, "a count is a whole number, written without a point or quotes: `revision = 3`");
    fix_is_accepted(&text, "revision = 3.0", help);
}

#[test]
fn a_float_factor_is_told_to_be_quoted_without_a_unit() {
    let from = "displacement_factor = \"0.70\"";
    let (r, text) = validate_changed("ketamine-hcl-troche-50", from, "displacement_factor = 0.70");
    assert_eq!(r.code, 1);
    let help = help_line(&r.stdout);
    assert_eq!(help, "write it as a quoted string: `displacement_factor = \"0.70\"`");
    fix_is_accepted(&text, "displacement_factor = 0.70", help);
}

#[test]
fn suggested_amounts_follow_the_dosage_form() {
    for (id, amount, number, unit) in [
        ("ketamine-hcl-troche-50", "amount = \"50 mg/troche\"", "50", "mg/unit"),
        ("ketamine-hcl-rdt-25", "amount = \"25 mg/rdt\"", "25", "mg/unit"),
        ("ketamine-hcl-cream-10", "amount = \"10 %w/w\"", "10", "%w/w"),
        ("ketamine-hcl-oral-solution-10", "amount = \"10 mg/mL\"", "10", "mg/mL"),
    ] {
        let (r, text) = validate_changed(id, amount, "");
        assert_eq!(r.code, 1, "{id}: {}", r.stdout);
        assert!(r.stdout.contains("missing key `amount`"), "{id}: {}", r.stdout);
        let help = help_line(&r.stdout);
        // The unit of the form, and no strength the author did not choose (SPEC §13.1).
        let want = format!("add `amount = \"… {unit}\"`");
        assert!(help.starts_with(&want), "{id}: {help}");
        // The suggestion with the author's own number is the formula again.
        let fix = want.trim_start_matches("add ").trim_matches('`').replace('…', number);
        let at = text.find("role = \"active\"").unwrap();
        let fixed = format!("{}{fix}\n{}", &text[..at], &text[at..]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.toml");
        std::fs::write(&path, fixed).unwrap();
        let r = run(&["validate", path.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{id}: {fix}: {}", r.stdout);
    }
    // A float amount is told to carry the form's unit.
    let (r, _) = validate_changed("ketamine-hcl-troche-50", "amount = \"50 mg/troche\"", "amount = 50.0");
    assert_eq!(
        help_line(&r.stdout),
        "write it as a quoted string with its unit, e.g. `amount = \"50.0 mg/unit\"`"
    );
}

#[test]
fn a_misspelled_formula_id_gets_did_you_mean() {
    let r = batch("ketamine-hcl-nasal-spray-10", &[]);
    assert_eq!(r.code, 1);
    assert_eq!(help_line(&r.stderr), "did you mean `ketamine-hcl-nasal-spray-100`?");
    let r = run(&["show", "ketamine-gabapentin-baclofen-crem"]);
    assert_eq!(help_line(&r.stderr), "did you mean `ketamine-gabapentin-baclofen-cream`?");
    // Nothing near: the list of formulas, as before.
    let r = batch("ketamine-hcl-lollipop", &[]);
    assert!(help_line(&r.stderr).starts_with("run `ketacalc list`"), "{}", r.stderr);
}

#[test]
fn an_id_given_as_a_file_name_is_told_to_drop_toml() {
    let r = batch("ketamine-hcl-nasal-spray-100.toml", &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error: cannot read `ketamine-hcl-nasal-spray-100.toml`"), "{}", r.stderr);
    assert_eq!(
        help_line(&r.stderr),
        "to use the formula `ketamine-hcl-nasal-spray-100` of the built-in formulary, give its id without `.toml`: `ketamine-hcl-nasal-spray-100`; for a file, give its path"
    );
    let r = run(&["label", "ketamine-hcl-nasal-spray-10.toml", "--date", DATE]);
    assert!(help_line(&r.stderr).contains("give its id: `ketamine-hcl-nasal-spray-100`"), "{}", r.stderr);
    // A real path keeps the plain message.
    let r = batch("formulas/missing.toml", &[]);
    assert!(!r.stderr.contains("help:"), "{}", r.stderr);
}
