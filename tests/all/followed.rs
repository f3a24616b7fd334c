//! Help that is right when followed (SPEC §13.1): each suggested fix, applied as written,
//! makes the file or the command pass, or leaves a different problem; never another valid
//! but wrong formula.

use crate::cli::{DATE, batch, root, run};

/// The `help:` lines of a run's output (stdout for `validate`, stderr for the others).
fn helps(out: &str) -> Vec<&str> {
    out.lines().filter_map(|l| l.strip_prefix("help: ")).collect()
}

/// A built-in formula's text with `from` replaced by `to` (which must be there).
fn changed(id: &str, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(root().join(format!("formulas/{id}.toml"))).unwrap();
    assert!(text.contains(from), "{id}: `{from}`");
    text.replacen(from, to, 1)
}

/// `ketacalc validate` of `text`, written to a file of its own.
fn validate(text: &str) -> crate::cli::Run {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.toml");
    std::fs::write(&path, text).unwrap();
    run(&["validate", path.to_str().unwrap()])
}

/// The one `code = "…"` value a help line suggests (between its first pair of backticks).
fn suggested(help: &str) -> &str {
    help.split('`').nth(1).unwrap_or_else(|| panic!("no suggestion in `{help}`"))
}

/// A TOML float amount gets an example of the kind the ingredient needs: a volume for
/// one measured by volume, `%w/w` for a cream's active, `mg/unit` for a molded active;
/// each, applied, is the formula again.
#[test]
fn a_float_amount_is_told_the_kind_its_ingredient_needs() {
    for (id, amount, float, want) in [
        // The cream's 4 mL of ethoxydiglycol is measured by volume: not `4.0 %w/w`.
        ("ketamine-hcl-cream-10", "amount = \"4 mL\"", "amount = 4.0", "amount = \"4.0 mL\""),
        ("ketamine-hcl-cream-10", "amount = \"10 %w/w\"", "amount = 10.0", "amount = \"10.0 %w/w\""),
        ("ketamine-hcl-troche-50", "amount = \"50 mg/troche\"", "amount = 50.0", "amount = \"50.0 mg/unit\""),
        (
            "ketamine-hcl-nasal-spray-100",
            "amount = \"100 mg/mL\"",
            "amount = 100.0",
            "amount = \"100.0 mg/mL\"",
        ),
    ] {
        let bad = changed(id, amount, float);
        let r = validate(&bad);
        assert_eq!(r.code, 1, "{id}: {}", r.stdout);
        let help = helps(&r.stdout).into_iter().find(|h| h.contains("quoted string")).unwrap();
        assert_eq!(suggested(help), want, "{id}: {help}");
        let r = validate(&bad.replacen(float, want, 1));
        assert_eq!(r.code, 0, "{id}: {want}: {}", r.stdout);
    }
}

/// A misspelled key is reported once, as unknown with "did you mean"; renaming it as
/// suggested makes the file pass. Alone, a missing key's help names no value the author
/// did not choose, and each value it names makes the file pass.
#[test]
fn a_misspelled_key_is_not_also_a_missing_key_with_a_guessed_value() {
    let bad =
        changed("ketamine-hcl-troche-50", "storage = \"room-temperature\"", "storgae = \"room-temperature\"");
    let r = validate(&bad);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("unknown key `storgae`"), "{}", r.stdout);
    assert!(!r.stdout.contains("missing key"), "{}", r.stdout);
    assert!(r.stdout.ends_with("checked 1 file: 1 error, 0 warnings\n"), "{}", r.stdout);
    assert_eq!(helps(&r.stdout), ["did you mean `storage`?"]);
    assert_eq!(validate(&bad.replacen("storgae", "storage", 1)).code, 0);

    // The key left out: the help offers the choices, not a guess.
    let bad = changed("ketamine-hcl-troche-50", "storage = \"room-temperature\"", "");
    let r = validate(&bad);
    assert_eq!(helps(&r.stdout), ["add storage = \"room-temperature\" or \"refrigerator\""], "{}", r.stdout);
    for choice in ["room-temperature", "refrigerator"] {
        let fixed = format!("storage = \"{choice}\"\n{bad}");
        let r = validate(&fixed);
        // Either is a formula; which is right is the author's choice (a refrigerated
        // troche then says so on a labeling warning that disagrees: a warning, not a guess).
        assert!(!r.stdout.contains("error:"), "{choice}: {}", r.stdout);
    }
    // Any other missing key of a choice lists the choices; one of free text names none.
    let bad = changed("ketamine-hcl-oral-solution-10", "role = \"preservative\"", "");
    let help = helps(&validate(&bad).stdout)[0].to_string();
    assert!(help.starts_with("add role = \"active\", \"preservative\""), "{help}");
    let bad = changed("ketamine-hcl-oral-solution-10", "route = \"oral\"\n", "");
    let help = helps(&validate(&bad).stdout)[0].to_string();
    assert_eq!(help, "add `route = \"…\"`: the route of administration");
    // A misspelled table key (`[mold] blank_wieght`) is one error too.
    let bad = changed("ketamine-hcl-troche-50", "blank_weight =", "blank_wieght =");
    let r = validate(&bad);
    assert_eq!(helps(&r.stdout), ["did you mean `blank_weight`?"], "{}", r.stdout);
    assert_eq!(validate(&bad.replacen("blank_wieght", "blank_weight", 1)).code, 0);
}

/// An unknown placeholder suggests the nearest one and lists only those of the form.
#[test]
fn an_unknown_placeholder_suggests_the_nearest_of_the_form() {
    let bad =
        changed("ketamine-hcl-cream-10", "weigh {qs} of the cream base", "weigh {qs-base} of the cream base");
    let r = validate(&bad);
    assert_eq!(r.code, 1);
    let help = helps(&r.stdout)[0].to_string();
    assert!(help.starts_with("did you mean `{qs}`? The placeholders of a `cream` are "), "{help}");
    for other in ["{cavities}", "{fill}", "{containers}", "{container_plan}", "{bag}", "{unit_weight}"] {
        assert!(!help.contains(other), "{other} is no cream's: {help}");
    }
    assert!(help.contains("`{weigh:ID}`") && help.contains("`{per_dose:ID}`"), "{help}");
    assert_eq!(validate(&bad.replacen("{qs-base}", "{qs}", 1)).code, 0);
    // With an id, the suggestion keeps it.
    let bad = changed("ketamine-hcl-cream-10", "Weigh {weigh:ketamine-hcl}", "Weigh {weight:ketamine-hcl}");
    let help = helps(&validate(&bad).stdout)[0].to_string();
    assert!(help.starts_with("did you mean `{weigh:ketamine-hcl}`?"), "{help}");
    // A liquid's list has its containers.
    let bad = changed("ketamine-hcl-nasal-spray-100", "{container_plan} (clean", "{containers_plan} (clean");
    let help = helps(&validate(&bad).stdout)[0].to_string();
    assert!(help.starts_with("did you mean `{container_plan}`?") && help.contains("`{dose_plan}`"), "{help}");
    assert!(!help.contains("{cavities}"), "{help}");
}

/// `--formulas DIR` that is not there is `no such folder DIR`, exit 1, for every command
/// that reads a formulary; without it, the same command works.
#[test]
fn a_missing_formulary_folder_is_no_such_folder_for_every_command() {
    let id = "ketamine-hcl-troche-50";
    let commands: [&[&str]; 5] = [
        &["list"],
        &["show", id],
        &["validate"],
        &["batch", id, "--date", DATE],
        &["label", id, "--date", DATE],
    ];
    for args in commands {
        let mut with = args.to_vec();
        with.extend(["--formulas", "no-such-folder"]);
        let r = run(&with);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(r.stderr.starts_with("error: no such folder `no-such-folder`\n"), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
        assert!(helps(&r.stderr)[0].contains("leave it out"), "{}", r.stderr);
        assert_eq!(run(args).code, 0, "{args:?} without --formulas");
    }
    let r = crate::cli::finish(crate::cli::ketacalc().env("KETACALC_FORMULAS", "no-such-folder").arg("list"));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("error: no such folder `no-such-folder` (from $KETACALC_FORMULAS)"),
        "{}",
        r.stderr
    );
}

/// `validate PATH` of a path that is not there checks no file.
#[test]
fn validate_of_a_missing_path_checks_no_file() {
    let r = run(&["validate", "no-such-path"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        "no-such-path: error: no such file or folder `no-such-path`\nhelp: check the path: give a formula file or a folder of them\nchecked 0 files: 1 error, 0 warnings\n"
    );
    let doc = run(&["validate", "no-such-path", "--format", "json"]).json();
    assert_eq!((doc["files"].as_u64(), doc["errors"].as_u64()), (Some(0), Some(1)));
    // The path that is there: the formulary folder.
    assert_eq!(run(&["validate", "formulas"]).code, 0);
}

/// A mistyped id gets "did you mean" for the ids within four edits, or one hyphenated
/// segment apart; the suggestion works; an unknown id lists the known ones one a line.
#[test]
fn a_mistyped_id_gets_every_near_id_and_the_list_one_a_line() {
    for (typed, near) in [
        // One segment dropped (and four edits).
        ("ketamine-nasal-spray-100", "ketamine-hcl-nasal-spray-100"),
        // One segment added (more than four edits).
        ("ketamine-hcl-nasal-spray-100-amber", "ketamine-hcl-nasal-spray-100"),
        ("ketamine-hcl-troche-5", "ketamine-hcl-troche-50"),
    ] {
        let r = batch(typed, &[]);
        assert_eq!(r.code, 1);
        assert_eq!(helps(&r.stderr), [format!("did you mean `{near}`?").as_str()], "{typed}");
        assert_eq!(batch(near, &[]).code, 0);
    }
    // Two near ids, nearest first.
    let dir = tempfile::tempdir().unwrap();
    for id in ["ketamine-hcl-troche-50", "ketamine-hcl-troche-25"] {
        let text = std::fs::read_to_string(root().join("formulas/ketamine-hcl-troche-50.toml")).unwrap();
        let text = text.replace("id = \"ketamine-hcl-troche-50\"", &format!("id = \"{id}\""));
        std::fs::write(dir.path().join(format!("{id}.toml")), text).unwrap();
    }
    let d = dir.path().to_str().unwrap();
    let r = run(&["batch", "ketamine-hcl-troche-20", "--formulas", d]);
    assert_eq!(helps(&r.stderr), ["did you mean `ketamine-hcl-troche-25` or `ketamine-hcl-troche-50`?"]);
    // Nothing near: every id, one a line, never split.
    let r = batch("ketamine-lollipop", &[]);
    let ids: Vec<&str> =
        r.stderr.lines().skip(1).take_while(|l| l.starts_with("    ")).map(str::trim).collect();
    assert_eq!(ids, crate::cli::builtin_ids(), "{}", r.stderr);
    assert!(
        r.stderr.starts_with("error: no formula `ketamine-lollipop` in the built-in formulary, which has:\n")
    );
}

/// `validate --format json` diagnostics always have `help`: the help line, or null.
#[test]
fn validate_json_diagnostics_carry_their_help() {
    let bad =
        changed("ketamine-hcl-troche-50", "storage = \"room-temperature\"", "storgae = \"room-temperature\"");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.toml");
    std::fs::write(&path, &bad).unwrap();
    let doc = run(&["validate", "--format", "json", path.to_str().unwrap()]).json();
    assert_eq!(doc["diagnostics"][0]["help"], "did you mean `storage`?");
    // A diagnostic without a help line has `"help": null`, not a missing key.
    let doc =
        run(&["validate", "--format", "json", "tests/bad/046-warnings-denied-json/formula.toml"]).json();
    let all = doc["diagnostics"].as_array().unwrap();
    assert!(!all.is_empty());
    for d in all {
        assert!(d.as_object().unwrap().contains_key("help"), "{d}");
        assert!(d["help"].is_null() || d["help"].is_string(), "{d}");
    }
    assert!(all.iter().any(|d| d["help"].is_null()), "{all:?}");
}

/// Every command's `--help` ends with one or two examples, and each is real: it runs and
/// succeeds.
#[test]
fn every_help_ends_with_real_examples() {
    let mut commands: Vec<Vec<String>> = vec![Vec::new()];
    let top = run(&["--help"]);
    let names: Vec<String> = top
        .stdout
        .split("Commands:\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect();
    assert!(names.len() >= 19, "{names:?}");
    commands.extend(names.into_iter().map(|n| vec![n]));
    for command in commands {
        let mut args: Vec<&str> = command.iter().map(String::as_str).collect();
        args.push("--help");
        let r = run(&args);
        assert_eq!(r.code, 0, "{args:?}");
        let (_, examples) =
            r.stdout.rsplit_once("\nExamples:\n").unwrap_or_else(|| panic!("{args:?}: no examples"));
        let lines: Vec<&str> = examples.lines().collect();
        assert!((1..=2).contains(&lines.len()), "{args:?}: {examples}");
        for line in lines {
            let example = line.split(" # ").next().unwrap().trim();
            let words: Vec<&str> = example.split_whitespace().collect();
            assert_eq!(words.first(), Some(&"ketacalc"), "{args:?}: {line}");
            if let (Some(sub), [first, ..]) = (command.first(), &words[1..]) {
                assert_eq!(first, sub, "{args:?}: an example of another command: {line}");
            }
            let r = run(&words[1..]);
            assert_eq!(r.code, 0, "{args:?}: `{example}` failed:\n{}", r.stderr);
            assert!(!r.stdout.is_empty(), "{example}");
        }
    }
}
