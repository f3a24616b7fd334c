//! Every refusal of SPEC §8 through the command line: options that do not apply to the
//! form (exit 2), option values that cannot be used (exit 1, with a message that says
//! why), and formula files with an IV or stock error (exit 1, a diagnostic with its code
//! at the `file:line:col` of the offending text).

use serde_json::Value;

use crate::cli::Run;
use crate::iv::{BASE, batch, iv, run_tz};

/// `batch BASE --date 2026-11-26 --time 09:00 ARGS` (with a weight unless ARGS give one).
fn iv_batch(args: &[&str]) -> Run {
    let mut all = vec!["--date", "2026-11-26"];
    if !args.contains(&"--time") {
        all.extend(["--time", "09:00"]);
    }
    if !args.contains(&"--weight") {
        all.extend(["--weight", "70kg"]);
    }
    all.extend_from_slice(args);
    batch(BASE, &all)
}

#[track_caller]
fn assert_refused(r: &Run, code: i32, needles: &[&str]) {
    assert_eq!(r.code, code, "stderr: {}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    for n in needles {
        assert!(r.stderr.contains(n), "`{n}` not in: {}", r.stderr);
    }
}

/// The batch options of SPEC §4 that an infusion has no use for are usage errors (exit 2)
/// that name the option and the form.
#[test]
fn batch_options_on_an_infusion_are_usage_errors() {
    for (flag, value) in [
        ("--quantity", "100mL"),
        ("--overage", "5%"),
        ("--strength", "1mg/mL"),
        ("--fill", "10mL"),
        ("--min-volume", "1mL"),
        ("--readability", "1mg"),
        ("--min-weight", "100mg"),
    ] {
        let r = iv_batch(&[flag, value]);
        assert_refused(&r, 2, &[&format!("`{flag}`"), "iv-infusion"]);
    }
}

/// The infusion's options on any other form are usage errors (exit 2).
#[test]
fn infusion_options_on_a_nasal_spray_are_usage_errors() {
    for (flag, value) in [
        ("--weight", "70kg"),
        ("--dose", "35mg"),
        ("--duration", "40min"),
        ("--bag", "100mL"),
        ("--time", "09:00"),
    ] {
        let r = crate::cli::batch("ketamine-hcl-nasal-spray-100", &[flag, value]);
        assert_refused(&r, 2, &[&format!("`{flag}`"), "nasal-spray"]);
    }
}

/// Option values an infusion cannot be made with: exit 1, naming the option and saying why.
#[test]
fn option_values_that_cannot_be_used() {
    let cases: [(&[&str], &[&str]); 12] = [
        (&["--weight", "0kg"], &["`--weight`", "over 0 kg and at most 500 kg"]),
        (&["--weight", "1000kg"], &["`--weight`", "at most 500 kg"]),
        (&["--weight", "500.001kg"], &["`--weight`", "at most 500 kg"]),
        (&["--weight", "70"], &["`--weight`", "has no unit", "70 kg"]),
        (&["--weight", "70mL"], &["`--weight`", "a volume"]),
        (&["--duration", "0min"], &["`--duration`", "over 0"]),
        (&["--duration", "25h"], &["`--duration`", "at most 24 h"]),
        (&["--dose", "0.5mg/mL"], &["`--dose`", "mass per volume", "0.5 mg/kg"]),
        (&["--dose", "0.5mg/g"], &["`--dose`", "not per kilogram"]),
        (&["--dose", "0mg"], &["`--dose`", "above zero"]),
        (&["--time", "25:00"], &["`--time`", "HH:MM"]),
        (&["--bag", "0mL"], &["`--bag`", "over 0 mL"]),
    ];
    for (args, needles) in cases {
        assert_refused(&iv_batch(args), 1, needles);
    }
    for time in ["9:0", "12:60", "noon", "12:00:00"] {
        assert_refused(&iv_batch(&["--time", time]), 1, &["`--time`"]);
    }
}

/// A dose per kg without `--weight` cannot be made (exit 1): the formula's, and a `--dose`
/// per kg; a fixed `--dose` needs none.
#[test]
fn a_per_kg_dose_without_a_weight_is_refused() {
    let r = batch(BASE, &["--date", "2026-11-26", "--time", "09:00"]);
    assert_refused(&r, 1, &["0.5 mg/kg", "weight", "help: "]);
    let r = batch(BASE, &["--date", "2026-11-26", "--time", "09:00", "--dose", "0.3mg/kg"]);
    assert_refused(&r, 1, &["0.3 mg/kg", "weight"]);
    let r = batch(BASE, &["--date", "2026-11-26", "--time", "09:00", "--dose", "30mg"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// A dose too small to hold in mg is refused for its digits, not as "too large".
#[test]
fn a_dose_too_small_to_hold_says_so() {
    let r = iv_batch(&["--dose", "0.0000000000000000000000000001mcg"]);
    assert_refused(&r, 1, &["`--dose`", "more digits than can be held"]);
    assert!(!r.stderr.contains("too large"), "{}", r.stderr);
}

/// `--assay` and `--lod` change what is weighed: on an ingredient drawn from a stock, or an
/// infusion's vehicle, they would change nothing, so they are refused (exit 1).
#[test]
fn assay_and_lod_on_a_stock_or_the_bag_are_refused() {
    for (flag, id) in [
        ("--assay", "ketamine=99%"),
        ("--lod", "ketamine=1%"),
        ("--assay", "sodium-chloride-0.9=99%"),
        ("--lod", "sodium-chloride-0.9=1%"),
    ] {
        let r = iv_batch(&[flag, id]);
        let ingredient = id.split('=').next().unwrap();
        assert_refused(&r, 1, &[&format!("`{flag}`"), &format!("`{ingredient}`")]);
    }
    let bak = include_str!("../fixtures/cases/iv-stock-bak-ratio/ketamine-hcl-oral-solution-stock.toml");
    let r =
        run_tz("UTC", bak, &["batch", "{f}", "--date", "2026-11-26", "--assay", "benzalkonium-chloride=99%"]);
    assert_refused(&r, 1, &["`--assay`", "stock solution"]);
    // The weighed active of the same formula takes an assay.
    let r = run_tz("UTC", bak, &["batch", "{f}", "--date", "2026-11-26", "--assay", "ketamine-hcl=99%"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------
// Formula errors: `validate` and `batch` locate each one
// ---------------------------------------------------------------------------------------

/// The 1-based line and column of the `nth` (0-based) occurrence of `needle` in `text`.
fn at(text: &str, needle: &str, nth: usize) -> (u64, u64) {
    let start =
        text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("no `{needle}` #{nth} in:\n{text}")).0;
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line as u64, col as u64)
}

/// One formula error: the file, the diagnostic's code and severity, and the text it points
/// at (its `nth` occurrence; `""` for the start of the file).
struct Bad {
    what: &'static str,
    text: String,
    code: &'static str,
    severity: &'static str,
    needle: &'static str,
    nth: usize,
}

fn err(what: &'static str, text: String, code: &'static str, needle: &'static str, nth: usize) -> Bad {
    Bad { what, text, code, severity: "error", needle, nth }
}

/// `validate --format json` finds the diagnostic at its place; `validate` prints
/// `iv.toml:L:C: severity:`; an error makes `batch` exit 1 with `--> iv.toml:L:C`.
#[track_caller]
fn assert_located(b: &Bad) {
    let (line, col) = if b.needle.is_empty() { (1, 1) } else { at(&b.text, b.needle, b.nth) };
    let r = run_tz("UTC", &b.text, &["validate", "{f}", "--format", "json"]);
    let doc: Value = r.json();
    let diags = doc["diagnostics"].as_array().unwrap();
    let found = diags
        .iter()
        .find(|d| d["code"] == b.code && d["line"] == line && d["column"] == col)
        .unwrap_or_else(|| panic!("{}: no `{}` at {line}:{col} in {doc:#}", b.what, b.code));
    assert_eq!(found["severity"], b.severity, "{}", b.what);
    let human = run_tz("UTC", &b.text, &["validate", "{f}"]);
    assert!(
        human.stdout.contains(&format!(":{line}:{col}: {}: ", b.severity)),
        "{}: {}",
        b.what,
        human.stdout
    );
    if b.severity == "error" {
        assert_eq!(r.code, 1, "{}", b.what);
        let run = batch(&b.text, &["--date", "2026-11-26", "--time", "09:00", "--weight", "70kg"]);
        assert_eq!(run.code, 1, "{}: {}", b.what, run.stderr);
        assert!(run.stdout.is_empty(), "{}", b.what);
        assert!(run.stderr.starts_with("error: "), "{}: {}", b.what, run.stderr);
        assert!(run.stderr.contains(&format!("iv.toml:{line}:{col}")), "{}: {}", b.what, run.stderr);
    } else {
        assert_eq!(r.code, 0, "{}", b.what);
        let denied = run_tz("UTC", &b.text, &["validate", "{f}", "--deny-warnings"]);
        assert_eq!(denied.code, 1, "{}", b.what);
    }
}

/// `stock` errors (SPEC §8.1): the wrong dimension; with `purity`, `density`, `measure` or
/// `solubility`; on a `qs` ingredient; `stock_basis` without the molecular weights;
/// `vial` and `stock_basis` without `stock`.
#[test]
fn stock_errors_are_located() {
    let mw = "molecular_weight = \"274.19\"\nbase_molecular_weight = \"237.73\"\n";
    let cases = [
        err(
            "stock as a mass",
            iv(&[("stock = \"50 mg/mL\"", "stock = \"50 mg\"")]),
            "wrong-dimension",
            "\"50 mg\"",
            1,
        ),
        err(
            "stock as w/w",
            iv(&[("stock = \"50 mg/mL\"", "stock = \"1:750 w/w\"")]),
            "wrong-dimension",
            "\"1:750 w/w\"",
            0,
        ),
        err(
            "stock with purity",
            iv(&[("vial = \"10 mL\"", "vial = \"10 mL\"\npurity = \"50%\"")]),
            "stock",
            "\"50%\"",
            0,
        ),
        err(
            "stock with density",
            iv(&[("vial = \"10 mL\"", "vial = \"10 mL\"\ndensity = \"1 g/mL\"")]),
            "stock",
            "\"1 g/mL\"",
            0,
        ),
        err(
            "stock with measure",
            iv(&[("vial = \"10 mL\"", "vial = \"10 mL\"\nmeasure = \"volume\"")]),
            "stock",
            "\"volume\"",
            0,
        ),
        err(
            "stock with solubility",
            iv(&[("vial = \"10 mL\"", "vial = \"10 mL\"\nsolubility = \"200 mg/mL\"")]),
            "stock",
            "\"200 mg/mL\"",
            0,
        ),
        err(
            "stock on the qs",
            iv(&[("amount = \"qs\"", "amount = \"qs\"\nstock = \"9 mg/mL\"")]),
            "stock",
            "\"9 mg/mL\"",
            0,
        ),
        err(
            "stock_basis without weights",
            iv(&[(mw, "stock_basis = \"salt\"\n")]),
            "stock-basis",
            "\"salt\"",
            0,
        ),
        err(
            "vial without stock",
            iv(&[("amount = \"qs\"", "amount = \"qs\"\nvial = \"1 L\"")]),
            "unexpected-key",
            "\"1 L\"",
            0,
        ),
        err(
            "stock_basis without stock",
            iv(&[("amount = \"qs\"", "amount = \"qs\"\nstock_basis = \"base\"")]),
            "unexpected-key",
            "\"base\"",
            1,
        ),
        err(
            "zero stock",
            iv(&[("stock = \"50 mg/mL\"", "stock = \"0 mg/mL\"")]),
            "zero-factor",
            "\"0 mg/mL\"",
            0,
        ),
        err("zero vial", iv(&[("vial = \"10 mL\"", "vial = \"0 mL\"")]), "zero-factor", "\"0 mL\"", 0),
    ];
    for b in &cases {
        assert_located(b);
    }
    // An ingredient without a `basis` (benzalkonium chloride) has none to convert to.
    let bak = include_str!("../fixtures/cases/iv-stock-bak-ratio/ketamine-hcl-oral-solution-stock.toml")
        .replacen("stock = \"1:750 w/v\"", "stock = \"1:750 w/v\"\nstock_basis = \"base\"", 1);
    assert_located(&err("stock_basis without a basis", bak, "stock-basis", "\"base\"", 0));
}

/// A cream with a stock ingredient: `stock` is for liquids and infusions.
#[test]
fn stock_on_a_cream_is_located() {
    let cream =
        std::fs::read_to_string(crate::cli::root().join("formulas/ketamine-hcl-cream-10.toml")).unwrap();
    let text = cream.replacen("basis = \"salt\"", "basis = \"salt\"\nstock = \"50 mg/mL\"", 1);
    assert_ne!(text, cream);
    let (line, col) = at(&text, "\"50 mg/mL\"", 0);
    let r = run_tz("UTC", &text, &["validate", "{f}", "--format", "json"]);
    assert_eq!(r.code, 1);
    let doc = r.json();
    assert!(
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "stock" && d["line"] == line && d["column"] == col),
        "{doc:#}"
    );
}

/// The USP <795> keys and the tables of the other forms are errors on an infusion (SPEC
/// §8.2), each at its key's value or its table's header.
#[test]
fn usp_795_keys_and_other_tables_on_an_infusion_are_located() {
    let keys = iv(&[(
        "sterile_category = \"1\"",
        "sterile_category = \"1\"\nwater = \"aqueous\"\npreserved = true\nbud_days = 10\nbud_reference = \"a study\"",
    )]);
    for needle in ["\"aqueous\"", "true", "10\nbud_reference", "\"a study\""] {
        assert_located(&err("a USP <795> key", keys.clone(), "unexpected-key", needle, 0));
    }
    let tables = [
        ("[batch]", "\n[batch]\nquantity = \"100 mL\"\n"),
        ("[device]", "\n[device]\ndose = \"spray\"\nvolume = \"0.1 mL\"\n"),
        ("[mold]", "\n[mold]\nblank_weight = \"1 g\"\n"),
        ("[aliquot]", "\n[aliquot]\ndiluent = \"sodium-chloride-0.9\"\n"),
    ];
    for (header, table) in tables {
        assert_located(&err("another form's table", iv(&[("", table)]), "unexpected-table", header, 0));
    }
}

/// `[dose]` and `[infusion]`: missing tables, both or neither dose rule, a fixed dose
/// written as `per_kg`, a per-kg rule written as `fixed`, the concentration a method needs
/// or must not have, a zero dose or duration.
#[test]
fn dose_and_infusion_table_errors_are_located() {
    let fixed = ("method = \"whole-bag\"", "method = \"fixed-concentration\"");
    let cases = [
        err(
            "no [dose]",
            iv(&[("[dose]\nper_kg = \"0.5 mg/kg\"\nmax = \"50 mg\"\nduration = \"40 min\"\n", "")]),
            "missing-table",
            "",
            0,
        ),
        err(
            "no [infusion]",
            iv(&[(
                "[infusion]\nmethod = \"whole-bag\"\nbag = \"100 mL\"\ndrop_factor = \"15 gtt/mL\"\n",
                "",
            )]),
            "missing-table",
            "",
            0,
        ),
        err(
            "per_kg and fixed",
            iv(&[("max = \"50 mg\"", "max = \"50 mg\"\nfixed = \"35 mg\"")]),
            "dose-rule",
            "[dose]",
            0,
        ),
        err("neither", iv(&[("per_kg = \"0.5 mg/kg\"\n", "")]), "dose-rule", "[dose]", 0),
        err(
            "per_kg = 35 mg",
            iv(&[("per_kg = \"0.5 mg/kg\"", "per_kg = \"35 mg\"")]),
            "dose-rule",
            "\"35 mg\"",
            0,
        ),
        err(
            "fixed per kg",
            iv(&[("per_kg = \"0.5 mg/kg\"", "fixed = \"0.5 mg/kg\"")]),
            "dose-rule",
            "\"0.5 mg/kg\"",
            0,
        ),
        err(
            "per_kg per mL",
            iv(&[("per_kg = \"0.5 mg/kg\"", "per_kg = \"0.5 mg/mL\"")]),
            "wrong-dimension",
            "\"0.5 mg/mL\"",
            0,
        ),
        err(
            "zero dose",
            iv(&[("per_kg = \"0.5 mg/kg\"", "per_kg = \"0 mg/kg\"")]),
            "zero-amount",
            "\"0 mg/kg\"",
            0,
        ),
        err("no duration", iv(&[("duration = \"40 min\"\n", "")]), "missing-key", "[dose]", 0),
        err(
            "zero duration",
            iv(&[("duration = \"40 min\"", "duration = \"0 min\"")]),
            "duration",
            "\"0 min\"",
            0,
        ),
        err("fixed without concentration", iv(&[fixed]), "missing-key", "[infusion]", 0),
        err(
            "whole bag with concentration",
            iv(&[("bag = \"100 mL\"", "bag = \"100 mL\"\nconcentration = \"1 mg/mL\"")]),
            "unexpected-key",
            "\"1 mg/mL\"",
            0,
        ),
        err("bag over 5 L", iv(&[("bag = \"100 mL\"", "bag = \"6 L\"")]), "bag", "\"6 L\"", 0),
        err("unknown method", iv(&[("\"whole-bag\"", "\"wholebag\"")]), "bad-value", "\"wholebag\"", 0),
    ];
    for b in &cases {
        assert_located(b);
    }
}

/// The ingredients of an infusion: one active with a stock, one `qs` vehicle, nothing else.
#[test]
fn infusion_ingredient_errors_are_located() {
    let second_active = "\n[[ingredients]]\nid = \"midazolam\"\nname = \"Midazolam\"\nrole = \"active\"\nbasis = \"salt\"\nstock = \"1 mg/mL\"\n";
    let third = "\n[[ingredients]]\nid = \"kcl\"\nname = \"Potassium chloride\"\nrole = \"excipient\"\namount = \"2 mg/mL\"\n";
    let cases = [
        err("two actives", iv(&[("", second_active)]), "infusion-ingredients", "[[ingredients]]", 2),
        err(
            "an active without stock",
            iv(&[("stock = \"50 mg/mL\"\nvial = \"10 mL\"\n", "")]),
            "infusion-stock",
            "[[ingredients]]",
            0,
        ),
        err(
            "an active with an amount",
            iv(&[("basis = \"base\"", "basis = \"base\"\namount = \"1 mg/mL\"")]),
            "unexpected-key",
            "\"1 mg/mL\"",
            0,
        ),
        err("a third ingredient", iv(&[("", third)]), "infusion-ingredients", "[[ingredients]]", 2),
        err(
            "a qs that is not the vehicle",
            iv(&[("role = \"vehicle\"", "role = \"base\"")]),
            "infusion-ingredients",
            "[[ingredients]]",
            1,
        ),
    ];
    for b in &cases {
        assert_located(b);
    }
}

/// USP <797> keys: category 2 needs `sterile_method`; an aseptic, untested one `starting`;
/// they are for category 2 only; `sterile_category` is for an infusion only.
#[test]
fn sterile_category_errors_are_located() {
    let cases = [
        err(
            "category 2 without a method",
            iv(&[("sterile_category = \"1\"", "sterile_category = \"2\"")]),
            "missing-key",
            "\"2\"",
            0,
        ),
        err(
            "aseptic without starting",
            iv(&[("sterile_category = \"1\"", "sterile_category = \"2\"\nsterile_method = \"aseptic\"")]),
            "missing-key",
            "\"aseptic\"",
            0,
        ),
        err(
            "a method on category 1",
            iv(&[("sterile_category = \"1\"", "sterile_category = \"1\"\nsterile_method = \"aseptic\"")]),
            "unexpected-key",
            "\"aseptic\"",
            0,
        ),
        err(
            "starting on immediate use",
            iv(&[(
                "sterile_category = \"1\"",
                "sterile_category = \"immediate-use\"\nstarting = \"sterile\"",
            )]),
            "unexpected-key",
            "\"sterile\"",
            0,
        ),
        err(
            "an unknown category",
            iv(&[("sterile_category = \"1\"", "sterile_category = \"3\"")]),
            "bad-value",
            "\"3\"",
            0,
        ),
    ];
    for b in &cases {
        assert_located(b);
    }
    let spray =
        std::fs::read_to_string(crate::cli::root().join("formulas/ketamine-hcl-nasal-spray-100.toml"))
            .unwrap();
    let text = spray.replacen("route = \"nasal\"", "route = \"nasal\"\nsterile_category = \"1\"", 1);
    let (line, col) = at(&text, "\"1\"", 0);
    let r = run_tz("UTC", &text, &["validate", "{f}", "--format", "json"]);
    assert_eq!(r.code, 1);
    let doc = r.json();
    assert!(
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "unexpected-key" && d["line"] == line && d["column"] == col),
        "{doc:#}"
    );
}

/// Placeholders (SPEC §7.1, §8.5): `{quantity}`, `{prepared}` and `{qs}` are not an
/// infusion's; `{bag}` and the other IV placeholders are an infusion's only. A literal
/// bag volume in an infusion's name or container is a `literal-batch-quantity` warning
/// that suggests `{bag}`.
#[test]
fn placeholder_and_literal_errors_are_located() {
    let name = |to: &str| iv(&[("name = \"Ketamine infusion\"", to)]);
    for p in ["{quantity}", "{prepared}", "{qs}"] {
        let text = name(&format!("name = \"Ketamine {p}\""));
        assert_located(&err("a batch placeholder", text, "placeholder-form", p, 0));
    }
    assert_located(&err(
        "{weigh:} of the bag",
        name("name = \"Ketamine {weigh:sodium-chloride-0.9}\""),
        "placeholder-form",
        "{weigh:",
        0,
    ));
    assert_located(&err(
        "an unknown id",
        name("name = \"Ketamine {strength:ketamin}\""),
        "placeholder-id",
        "{strength:",
        0,
    ));
    for literal in
        [name("name = \"Ketamine in 100 mL\""), iv(&[("container = \"{bag}", "container = \"100 mL")])]
    {
        let b = Bad {
            what: "a literal bag",
            text: literal,
            code: "literal-batch-quantity",
            severity: "warning",
            needle: "100 mL",
            nth: 0,
        };
        assert_located(&b);
        let r = run_tz("UTC", &b.text, &["validate", "{f}", "--format", "json"]);
        let help = r.json()["diagnostics"][0]["help"].as_str().unwrap().to_string();
        assert!(help.contains("`{bag}`"), "{help}");
    }
    // A literal that is not the bag (a step's 250 mL) suggests the infusion's placeholders.
    let step = iv(&[("of ketamine;", "of ketamine into 250 mL;")]);
    let r = run_tz("UTC", &step, &["validate", "{f}", "--format", "json"]);
    let doc = r.json();
    let help = doc["diagnostics"][0]["help"].as_str().unwrap();
    assert!(help.contains("`{bag}`") && help.contains("`{volume_to_infuse}`"), "{help}");
    // The vial's own size is not a batch quantity.
    let vial = iv(&[("of ketamine;", "of ketamine from the 10 mL vial;")]);
    let r = run_tz("UTC", &vial, &["validate", "{f}", "--deny-warnings"]);
    assert_eq!(r.code, 0, "{}", r.stdout);

    let spray =
        std::fs::read_to_string(crate::cli::root().join("formulas/ketamine-hcl-nasal-spray-100.toml"))
            .unwrap();
    for p in ["{bag}", "{dose}", "{rate}", "{concentration}", "{final_volume}", "{volume_to_infuse}"] {
        let text = spray.replacen("name = \"", &format!("name = \"{p} "), 1);
        let (line, col) = at(&text, p, 0);
        let r = run_tz("UTC", &text, &["validate", "{f}", "--format", "json"]);
        assert_eq!(r.code, 1, "{p}");
        let doc = r.json();
        assert!(
            doc["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == "placeholder-form" && d["line"] == line && d["column"] == col),
            "{p}: {doc:#}"
        );
    }
}

/// Found in review: a count of vials too large for a `u64` (10^21 mL from 1 mL vials)
/// was saturated to 18446744073709551615, and the worksheet then expected a negative
/// volume left in the vials. It is refused (exit 1) with a message, never printed wrong.
/// (Rev. 3: the volume is 1.67 × 10^19 draws of the 60 mL syringe, which still fit.) Five
/// times the volume is more draws than a count holds: refused too.
#[test]
fn regression_a_vial_count_too_large_is_refused_not_saturated() {
    let no_max = ("max = \"50 mg\"\n", "");
    let text = iv(&[
        no_max,
        ("stock = \"50 mg/mL\"\nvial = \"10 mL\"", "stock = \"0.0000001 mg/mL\"\nvial = \"1 mL\""),
    ]);
    for format in ["table", "json"] {
        let r = batch(
            &text,
            &[
                "--weight",
                "500kg",
                "--dose",
                "200000000000mg/kg",
                "--date",
                "2026-11-26",
                "--time",
                "09:00",
                "--format",
                format,
            ],
        );
        assert_refused(&r, 1, &["`ketamine`", "vials"]);
        assert!(!r.stderr.contains("18446744073709551615"), "{}", r.stderr);
        let r = batch(
            &text,
            &["--weight", "500kg", "--dose", "1000000000000mg/kg", "--date", "2026-11-26", "--time", "09:00"],
        );
        assert_refused(&r, 1, &["`ketamine`", "too large"]);
    }
    // The same drug volume from vials of 10^6 mL is 10^15 vials and one: a count, printed
    // (ceil(10^21 ÷ 60) draws of 60 mL draw 2 × 10^1 mL more than 10^21 mL).
    let big = iv(&[
        no_max,
        ("stock = \"50 mg/mL\"\nvial = \"10 mL\"", "stock = \"0.0000001 mg/mL\"\nvial = \"1000000 mL\""),
    ]);
    let doc = crate::iv::json(&big, &["--weight", "500kg", "--dose", "200000000000mg/kg"]);
    assert_eq!(doc["infusion"]["vials"], 1_000_000_000_000_001u64);
}
