//! IV infusions (SPEC §8.2, §8.3) through the command line: the public cases of
//! `../shared/cases/iv/` (copied to `tests/fixtures/cases/iv-*`), the IV problems of
//! DOMAIN.md §12 G, and each method and option with numbers derived by hand from the
//! formulas of SPEC §8.3.
//!
//! Notation of SPEC §8.3: `D` the dose, `S` the stock strength, `Vd` the drug volume,
//! `F` the final volume, `C` the true concentration, `T` the drug in a fixed-concentration
//! bag, `Vi` the volume to infuse, `R` the rate. Every run sets `TZ=UTC` and passes
//! `--date` and `--time`, so that beyond-use dates and times do not depend on the machine.

use std::str::FromStr as _;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::cases::{case, expect, expect_json, expect_within, select};
use crate::cli::{Run, finish, ketacalc};

/// A whole-bag infusion like DOMAIN §10.1 option B: 0.5 mg/kg (at most 50 mg) of ketamine
/// stated as base, from a 50 mg/mL vial of 10 mL, into a 100 mL bag over 40 minutes, on a
/// 15 gtt/mL set; USP <797> category 1 at room temperature. Its name prints no figure,
/// so a custom dose, bag or duration is added to it as a suffix.
pub(crate) const BASE: &str = r#"format = 1
id = "iv"
name = "Ketamine infusion"
revision = 1
dosage_form = "iv-infusion"
route = "intravenous"
storage = "room-temperature"
sterile_category = "1"
container = "{bag} 0.9% sodium chloride bag"
description = "Clear, colourless solution"

[dose]
per_kg = "0.5 mg/kg"
max = "50 mg"
duration = "40 min"

[infusion]
method = "whole-bag"
bag = "100 mL"
drop_factor = "15 gtt/mL"

[[ingredients]]
id = "ketamine"
name = "Ketamine Injection USP 50 mg/mL (as base)"
role = "active"
basis = "base"
stock = "50 mg/mL"
vial = "10 mL"
molecular_weight = "274.19"
base_molecular_weight = "237.73"
schedule = "CIII"

[[ingredients]]
id = "sodium-chloride-0.9"
name = "0.9% Sodium Chloride Injection USP"
role = "vehicle"
amount = "qs"

[[steps]]
text = "Draw {weigh:ketamine} of ketamine; a second person checks the syringe."

[[steps]]
text = "Inject it into the bag; set the pump to {rate} for {volume_to_infuse}."
"#;

/// [`BASE`] with each `(from, to)` applied: `from` must occur exactly once and is
/// replaced by `to`; an empty `from` appends `to` at the end.
pub(crate) fn iv(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_string();
    for (from, to) in edits {
        if from.is_empty() {
            text.push_str(to);
            continue;
        }
        assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once in:\n{text}");
        text = text.replacen(from, to, 1);
    }
    text
}

/// A formula file in its own folder; the folder lives as long as the guard.
pub(crate) fn file(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("iv.toml");
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap().to_string();
    (dir, path)
}

/// `ketacalc ARGS` with `TZ` set to `tz`, `{f}` in ARGS standing for the formula's path.
pub(crate) fn run_tz(tz: &str, text: &str, args: &[&str]) -> Run {
    let (_dir, path) = file(text);
    let args: Vec<String> = args.iter().map(|a| a.replace("{f}", &path)).collect();
    let mut r = finish(ketacalc().env("TZ", tz).args(&args));
    r.stderr = r.stderr.replace(&path, "iv.toml");
    r
}

/// `ketacalc batch FORMULA ARGS` in UTC.
pub(crate) fn batch(text: &str, args: &[&str]) -> Run {
    let mut all = vec!["batch", "{f}"];
    all.extend_from_slice(args);
    run_tz("UTC", text, &all)
}

/// `batch FORMULA --format json --date 2026-11-26 --time 09:00 ARGS`, which must succeed.
pub(crate) fn json(text: &str, args: &[&str]) -> Value {
    json_at(text, "2026-11-26", "09:00", args)
}

/// `batch FORMULA --format json --date DATE --time TIME ARGS` in UTC, which must succeed.
pub(crate) fn json_at(text: &str, date: &str, time: &str, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json", "--date", date, "--time", time];
    all.extend_from_slice(args);
    let r = batch(text, &all);
    assert_eq!(r.code, 0, "batch {args:?} failed:\n{}", r.stderr);
    r.json()
}

/// `batch FORMULA --format FORMAT --date 2026-11-26 --time 09:00 ARGS` (a text format),
/// which must succeed.
pub(crate) fn text_of(text: &str, format: &str, args: &[&str]) -> String {
    let mut all = vec!["--format", format, "--date", "2026-11-26", "--time", "09:00"];
    all.extend_from_slice(args);
    let r = batch(text, &all);
    assert_eq!(r.code, 0, "batch --format {format} {args:?} failed:\n{}", r.stderr);
    r.stdout
}

pub(crate) fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap_or_else(|e| panic!("`{s}`: {e}"))
}

/// The value and unit of the quantity at `path`.
pub(crate) fn quantity(doc: &Value, path: &str) -> (Decimal, String) {
    let q = select(doc, path);
    let value = q["value"].as_str().unwrap_or_else(|| panic!("{path}: not a quantity: {q}"));
    (Decimal::from_str(value).unwrap(), q["unit"].as_str().unwrap().to_string())
}

/// The quantity at `path` is exactly `want` (`"151.05 mL/h"`): the same number (trailing
/// zeros aside) in the same unit.
#[track_caller]
pub(crate) fn exact(doc: &Value, path: &str, want: &str) {
    let (value, unit) = want.split_once(' ').unwrap();
    let (got, got_unit) = quantity(doc, path);
    assert_eq!((got, got_unit.as_str()), (d(value), unit), "{path}");
}

/// The quantity at `path` is `want` in `unit` within a relative 1e-20: a quotient that
/// no decimal holds exactly (`35 ÷ 100.7`), computed here from the spec's formula.
#[track_caller]
pub(crate) fn near(doc: &Value, path: &str, want: Decimal, unit: &str) {
    let (got, got_unit) = quantity(doc, path);
    assert_eq!(got_unit, unit, "{path}");
    let tolerance = (want * d("0.00000000000000000001")).abs();
    assert!((got - want).abs() <= tolerance, "{path}: got {got}, expected {want}");
}

/// The warning codes of a batch document.
pub(crate) fn codes(doc: &Value) -> Vec<String> {
    doc["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap().to_string()).collect()
}

// ---------------------------------------------------------------------------------------
// The public cases of ../shared/cases/iv
// ---------------------------------------------------------------------------------------

/// iv-whole-bag-70kg: "DOMAIN §10.1 option B and §12 problem 49: 70 kg at 0.5 mg/kg = 35 mg
/// ketamine (base); 0.70 mL of 50 mg/mL into a 100 mL bag; 100.7 mL at 35/100.7 = 0.34757
/// mg/mL; the whole bag over 40 min = 151.05 mL/h; 37.7625 gtt/min on a 15 gtt/mL set. USP
/// <797> category 1 at room temperature: 12 hours."
#[test]
fn case_iv_whole_bag_70kg() {
    let doc = case(
        "iv-whole-bag-70kg",
        "ketamine-iv-0.5mgkg-100ml.toml",
        &["--weight", "70kg", "--date", "2026-11-26", "--time", "09:00"],
    );
    expect(&doc, "infusion.dose", "35 mg");
    // 35 mg base × 274.19 / 237.73 = 9596.65 / 237.73 mg of the HCl.
    near(&doc, "infusion.dose_other_basis.dose", d("9596.65") / d("237.73"), "mg");
    expect_json(&doc, "infusion.dose_other_basis.basis", "salt".into());
    expect(&doc, "infusion.drug_volume", "0.7 mL");
    expect(&doc, "ingredients[ketamine].measure", "0.7 mL");
    expect_json(
        &doc,
        "ingredients[ketamine].measure_rounded",
        serde_json::json!({"value": "0.70", "unit": "mL"}),
    );
    expect_json(&doc, "ingredients[ketamine].weigh", Value::Null);
    expect(&doc, "infusion.final_volume", "100.7 mL");
    expect_within(&doc, "infusion.concentration", "0.347567030784508440913604766 mg/mL", "0.000000000001");
    near(&doc, "infusion.concentration", d("35") / d("100.7"), "mg/mL");
    exact(&doc, "infusion.volume_to_infuse", "100.7 mL");
    exact(&doc, "infusion.rate", "151.05 mL/h");
    exact(&doc, "infusion.drip_rate", "37.7625 gtt/min");
    expect_json(&doc, "infusion.vials", 1.into());
    expect_json(&doc, "infusion.capped", false.into());
    expect_json(&doc, "infusion.nominal", Value::Null);
    expect_json(&doc, "bud.rule", "usp797-category-1".into());
    expect_json(&doc, "bud.hours", 12.into());
    expect_json(&doc, "bud.date", "2026-11-26".into());
    expect_json(&doc, "bud.time", "21:00".into());
    expect(&doc, "controlled[ketamine].withdraw", "35 mg");
    expect_json(&doc, "quantity", Value::Null);
}

/// iv-fixed-concentration-1mgml: "DOMAIN §10.1 option A and §12 problems 47-48: 500 mg (10
/// mL of 50 mg/mL) into 500 mL is 500/510 = 0.98039 mg/mL, not the nominal 1 mg/mL; 35 mg
/// (70 kg at 0.5 mg/kg) is 35.7 mL at 53.55 mL/h over 40 min; nominally 35 mL at 52.5 mL/h."
#[test]
fn case_iv_fixed_concentration_1mgml() {
    let doc = case(
        "iv-fixed-concentration-1mgml",
        "ketamine-iv-1mgml-500ml.toml",
        &["--weight", "70 kg", "--date", "2026-11-26", "--time", "09:00"],
    );
    expect(&doc, "infusion.drug_volume", "10 mL");
    expect_json(&doc, "infusion.vials", 1.into());
    expect(&doc, "infusion.final_volume", "510 mL");
    expect_within(&doc, "infusion.concentration", "0.980392156862745098039215686 mg/mL", "0.000000000001");
    // Vi = D × F ÷ T = 35 × 510 ÷ 500 = 35.7; R = 35.7 × 60 ÷ 40 = 53.55: exact.
    exact(&doc, "infusion.volume_to_infuse", "35.7 mL");
    exact(&doc, "infusion.rate", "53.55 mL/h");
    exact(&doc, "infusion.nominal.volume_to_infuse", "35 mL");
    exact(&doc, "infusion.nominal.rate", "52.5 mL/h");
    exact(&doc, "infusion.nominal.concentration", "1 mg/mL");
    expect(&doc, "controlled[ketamine].withdraw", "500 mg");
    expect(&doc, "controlled[ketamine].withdraw_volume", "10 mL");
    expect(&doc, "controlled[ketamine].in_product", "500 mg");
    // T − D = 500 − 35.
    expect(&doc, "controlled[ketamine].undelivered", "465 mg");
}

/// stock-bak-ratio: "DOMAIN §12 problem 12 (SPEC §8.1): 15 mL of 0.01% w/v benzalkonium
/// chloride needs 1.5 mg; from a 1:750 w/v stock (1.3333… mg/mL) that is 1.125 mL,
/// measured, never weighed."
#[test]
fn case_iv_stock_bak_ratio() {
    let doc = case("iv-stock-bak-ratio", "ketamine-hcl-oral-solution-stock.toml", &["--date", "2026-11-26"]);
    expect(&doc, "ingredients[benzalkonium-chloride].required", "1.5 mg");
    // 1.5 mg ÷ (1000 mg ÷ 750 mL) = 1.5 × 750 ÷ 1000 = 1.125 mL, exactly.
    exact(&doc, "ingredients[benzalkonium-chloride].measure", "1.125 mL");
    // Rev. 3 (SPEC §12.1): on the 3 mL syringe, to its 0.1 mL marks (cases/measured checks
    // what that holds).
    expect_json(
        &doc,
        "ingredients[benzalkonium-chloride].measure_rounded",
        serde_json::json!({"value": "1.1", "unit": "mL"}),
    );
    expect_json(&doc, "ingredients[benzalkonium-chloride].weigh", Value::Null);
    expect(&doc, "ingredients[ketamine-hcl].weigh", "150 mg");
}

// ---------------------------------------------------------------------------------------
// DOMAIN.md §12 G
// ---------------------------------------------------------------------------------------

/// The Ketalar 1 mg/mL bag of DOMAIN §10.1: 500 mg of ketamine (base) in a 500 mL bag,
/// from a vial of `stock`.
fn ketalar_bag(stock: &str) -> String {
    iv(&[
        ("method = \"whole-bag\"", "method = \"fixed-concentration\"\nconcentration = \"1 mg/mL\""),
        ("bag = \"100 mL\"", "bag = \"500 mL\""),
        ("stock = \"50 mg/mL\"", &format!("stock = \"{stock}\"")),
    ])
}

/// Problem 47: the true concentrations of a "1 mg/mL" bag are 500 mg / 510 mL (10 mL of the
/// 50 mg/mL vial) = 0.98039… and 500 / 505 (5 mL of the 100 mg/mL vial) = 0.99010…
/// mg/mL; printed to 4 significant figures, 0.9804 and 0.9901.
#[test]
fn problem_47_true_concentrations_of_a_1_mg_per_ml_bag() {
    for (stock, vd, f, printed) in
        [("50 mg/mL", "10", "510", "0.9804 mg/mL"), ("100 mg/mL", "5", "505", "0.9901 mg/mL")]
    {
        let text = ketalar_bag(stock);
        let doc = json(&text, &["--weight", "70kg"]);
        // T = 1 mg/mL × 500 mL = 500 mg; Vd = 500 ÷ S; F = 500 + Vd.
        exact(&doc, "infusion.drug_in_bag", "500 mg");
        exact(&doc, "infusion.drug_volume", &format!("{vd} mL"));
        exact(&doc, "infusion.final_volume", &format!("{f} mL"));
        near(&doc, "infusion.concentration", d("500") / d(f), "mg/mL");
        near(&doc, "strengths[ketamine].concentration", d("500") / d(f), "mg/mL");
        let (c, _) = quantity(&doc, "infusion.concentration");
        let want = if stock == "50 mg/mL" { "0.98039" } else { "0.99010" };
        assert_eq!(c.round_dp(5), d(want), "{stock}");
        let sheet = text_of(&text, "table", &["--weight", "70kg", "--width", "100"]);
        assert!(sheet.contains(&format!("Concentration     {printed} (nominal 1 mg/mL")), "{sheet}");
    }
}

/// Problem 48: 0.5 mg/kg for 70 kg is 35 mg; at the nominal 1 mg/mL that is 35 mL, over 40
/// min 35 × 60 ÷ 40 = 52.5 mL/h.
#[test]
fn problem_48_nominal_volume_and_rate() {
    let doc = json(&ketalar_bag("50 mg/mL"), &["--weight", "70kg"]);
    exact(&doc, "infusion.dose", "35 mg");
    exact(&doc, "infusion.nominal.volume_to_infuse", "35 mL");
    exact(&doc, "infusion.nominal.rate", "52.5 mL/h");
    let sheet = text_of(&ketalar_bag("50 mg/mL"), "table", &["--weight", "70kg", "--width", "100"]);
    assert!(sheet.contains("35.7 mL (nominal 35 mL)"), "{sheet}");
    // 53.55 half away from zero at 0.1 mL/h is 53.6.
    assert!(sheet.contains("53.6 mL/h (nominal 52.5 mL/h)"), "{sheet}");
}

/// Problem 49: 35 mg from the 50 mg/mL vial is 0.70 mL; in 100 mL it is 35 ÷ 100.7 =
/// 0.34757 mg/mL; the whole 100.7 mL over 40 min is 100.7 × 60 ÷ 40 = 151.05 mL/h; on a 15
/// gtt/mL set 151.05 × 15 ÷ 60 = 37.7625 gtt/min.
#[test]
fn problem_49_whole_bag_concentration_and_rate() {
    let doc = json(BASE, &["--weight", "70kg"]);
    exact(&doc, "infusion.drug_volume", "0.7 mL");
    expect_json(&doc, "ingredients[ketamine].measure_rounded.value", "0.70".into());
    let (c, _) = quantity(&doc, "infusion.concentration");
    assert_eq!(c.round_dp(5), d("0.34757"));
    near(&doc, "infusion.concentration", d("35") / d("100.7"), "mg/mL");
    exact(&doc, "infusion.rate", "151.05 mL/h");
    exact(&doc, "infusion.drip_rate", "37.7625 gtt/min");
    let sheet = text_of(BASE, "table", &["--weight", "70kg", "--width", "100"]);
    for line in ["0.3476 mg/mL", "draw 0.7 mL", "151.1 mL/h", "38 gtt/min on a 15 gtt/mL set"] {
        assert!(sheet.contains(line), "`{line}` in:\n{sheet}");
    }
}

/// The droracle bag of DOMAIN §10.1: a fixed 250 mg (5 mL of 50 mg/mL) and the whole of a
/// 45 mL bag.
fn droracle_bag() -> String {
    iv(&[
        ("per_kg = \"0.5 mg/kg\"\nmax = \"50 mg\"", "fixed = \"250 mg\""),
        ("bag = \"100 mL\"", "bag = \"45 mL\""),
        ("name = \"Ketamine infusion\"", "name = \"Ketamine {dose} in {bag}, {concentration}\""),
        (
            "",
            "\n[labeling]\nwarnings = [\"Concentration {concentration}\", \"Strength {strength:ketamine}\"]\n",
        ),
    ])
}

/// Whether `text` says "1 mg/mL" in any spelling a report uses (a space, a no-break space
/// or its HTML entity between number and unit).
fn says_one_mg_per_ml(text: &str) -> bool {
    ["1 mg/mL", "1\u{a0}mg/mL", "1&nbsp;mg/mL", "1mg/mL"].iter().any(|s| text.contains(s))
}

/// Every `{"value", "unit": "mg/mL"}` in a JSON document.
fn concentrations(v: &Value, out: &mut Vec<Decimal>) {
    match v {
        Value::Object(m) => {
            if m.get("unit").and_then(Value::as_str) == Some("mg/mL")
                && let Some(value) = m.get("value").and_then(Value::as_str)
            {
                out.push(d(value));
            }
            m.values().for_each(|x| concentrations(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| concentrations(x, out)),
        _ => {}
    }
}

/// Problem 50, the negative test: 5 mL of a 50 mg/mL vial and 45 mL of diluent is 250 mg in
/// 50 mL = 5 mg/mL, never the "1 mg/mL" of the published error. No output says 1 mg/mL.
#[test]
fn problem_50_five_ml_of_50_mg_per_ml_into_45_ml_is_5_mg_per_ml() {
    let text = droracle_bag();
    let doc = json(&text, &[]);
    // Vd = 250 ÷ 50 = 5 mL; F = 45 + 5 = 50 mL; C = 250 ÷ 50 = 5 mg/mL.
    exact(&doc, "infusion.drug_volume", "5 mL");
    exact(&doc, "infusion.final_volume", "50 mL");
    exact(&doc, "infusion.concentration", "5 mg/mL");
    exact(&doc, "strengths[ketamine].concentration", "5 mg/mL");
    expect_json(&doc, "formula.name", "Ketamine 250 mg in 45 mL, 5 mg/mL".into());
    let mut all = Vec::new();
    concentrations(&doc, &mut all);
    assert!(all.contains(&d("5")) && all.contains(&d("50")), "{all:?}");
    assert!(!all.contains(&Decimal::ONE), "a concentration of 1 mg/mL in {doc:#}");
    for format in ["table", "markdown", "html", "csv", "json"] {
        let out = text_of(&text, format, &[]);
        assert!(!says_one_mg_per_ml(&out), "--format {format} says 1 mg/mL:\n{out}");
        if format != "csv" {
            assert!(out.contains("5 mg/mL") || out.contains("5&nbsp;mg/mL"), "{format}:\n{out}");
        }
    }
    for format in ["text", "html", "json"] {
        let r = run_tz(
            "UTC",
            &text,
            &["label", "{f}", "--format", format, "--date", "2026-11-26", "--time", "09:00"],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(!says_one_mg_per_ml(&r.stdout), "label --format {format} says 1 mg/mL:\n{}", r.stdout);
        if format == "json" {
            let mut all = Vec::new();
            concentrations(&r.json(), &mut all);
            assert!(all.contains(&d("5")) && !all.contains(&Decimal::ONE), "{all:?}");
        } else {
            assert!(r.stdout.contains("5 mg/mL") || r.stdout.contains("5&nbsp;mg/mL"), "{}", r.stdout);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Both methods, with and without overfill and replace (SPEC §8.3 items 2 and 3)
// ---------------------------------------------------------------------------------------

/// The figures of one whole-bag run, exact: `[Vd, F, Vi, R, drip]`, and `C` as `D ÷ F`.
struct Expected {
    vd: &'static str,
    f: &'static str,
    vi: &'static str,
    rate: &'static str,
    drip: &'static str,
}

#[track_caller]
fn assert_figures(doc: &Value, dose: &str, in_bag: &str, e: &Expected) {
    exact(doc, "infusion.dose", &format!("{dose} mg"));
    exact(doc, "infusion.drug_in_bag", &format!("{in_bag} mg"));
    exact(doc, "infusion.drug_volume", &format!("{} mL", e.vd));
    exact(doc, "ingredients[ketamine].measure", &format!("{} mL", e.vd));
    exact(doc, "infusion.final_volume", &format!("{} mL", e.f));
    near(doc, "infusion.concentration", d(in_bag) / d(e.f), "mg/mL");
    exact(doc, "infusion.volume_to_infuse", &format!("{} mL", e.vi));
    exact(doc, "infusion.rate", &format!("{} mL/h", e.rate));
    exact(doc, "infusion.drip_rate", &format!("{} gtt/min", e.drip));
    // The controlled block: the drug into the bag (D or T) and the volume drawn (Vd).
    exact(doc, "controlled[ketamine].withdraw", &format!("{in_bag} mg"));
    exact(doc, "controlled[ketamine].withdraw_volume", &format!("{} mL", e.vd));
    exact(doc, "controlled[ketamine].in_product", &format!("{in_bag} mg"));
}

/// Whole bag, 70 kg at 0.5 mg/kg: D = 35 mg, Vd = 35 ÷ 50 = 0.7 mL, and the whole bag runs
/// over 40 min (R = F × 60 ÷ 40 = 1.5 F; drip = R × 15 ÷ 60 = R ÷ 4):
/// - plain: F = 100 + 0.7 = 100.7; R = 151.05; drip 37.7625;
/// - overfill 7 mL: F = 100 + 7 + 0.7 = 107.7; R = 161.55; drip 40.3875;
/// - replace: F = 100 (0.7 mL withdrawn first); R = 150; drip 37.5;
/// - replace and overfill 5 mL: F = 105; R = 157.5; drip 39.375.
#[test]
fn whole_bag_with_and_without_overfill_and_replace() {
    let runs: [(&[(&str, &str)], Expected); 4] = [
        (&[], Expected { vd: "0.7", f: "100.7", vi: "100.7", rate: "151.05", drip: "37.7625" }),
        (
            &[("bag = \"100 mL\"", "bag = \"100 mL\"\noverfill = \"7 mL\"")],
            Expected { vd: "0.7", f: "107.7", vi: "107.7", rate: "161.55", drip: "40.3875" },
        ),
        (
            &[("bag = \"100 mL\"", "bag = \"100 mL\"\nreplace = true")],
            Expected { vd: "0.7", f: "100", vi: "100", rate: "150", drip: "37.5" },
        ),
        (
            &[("bag = \"100 mL\"", "bag = \"100 mL\"\noverfill = \"5 mL\"\nreplace = true")],
            Expected { vd: "0.7", f: "105", vi: "105", rate: "157.5", drip: "39.375" },
        ),
    ];
    for (edits, e) in &runs {
        let doc = json(&iv(edits), &["--weight", "70kg"]);
        assert_figures(&doc, "35", "35", e);
        expect_json(&doc, "infusion.method", "whole-bag".into());
        expect_json(&doc, "infusion.nominal", Value::Null);
        // Nothing is left over in a whole bag: `undelivered` is null (SPEC §7.4), and the
        // worksheet has no waste line for it.
        expect_json(&doc, "controlled[ketamine].undelivered", Value::Null);
        assert!(doc["controlled"][0].as_object().unwrap().contains_key("undelivered"));
    }
    let sheet = text_of(BASE, "table", &["--weight", "70kg"]);
    assert!(!sheet.contains("Left in the bag"), "{sheet}");
}

/// Fixed 1 mg/mL in 500 mL, 70 kg at 0.5 mg/kg: D = 35, T = 1 × 500 = 500 mg, Vd = 500 ÷
/// 50 = 10 mL, Vi = D × F ÷ T = 0.07 F, R = 1.5 Vi, drip = R ÷ 4; nominal 35 ÷ 1 = 35 mL at
/// 52.5 mL/h; undelivered T − D = 465 mg:
/// - plain: F = 510; Vi = 35.7; R = 53.55; drip 13.3875;
/// - overfill 25 mL: F = 535; Vi = 37.45; R = 56.175; drip 14.04375;
/// - replace: F = 500; Vi = 35; R = 52.5; drip 13.125;
/// - replace and overfill 30 mL: F = 530; Vi = 37.1; R = 55.65; drip 13.9125.
#[test]
fn fixed_concentration_with_and_without_overfill_and_replace() {
    let fixed = ("method = \"whole-bag\"", "method = \"fixed-concentration\"\nconcentration = \"1 mg/mL\"");
    let runs: [(&str, Expected); 4] = [
        ("bag = \"500 mL\"", Expected { vd: "10", f: "510", vi: "35.7", rate: "53.55", drip: "13.3875" }),
        (
            "bag = \"500 mL\"\noverfill = \"25 mL\"",
            Expected { vd: "10", f: "535", vi: "37.45", rate: "56.175", drip: "14.04375" },
        ),
        (
            "bag = \"500 mL\"\nreplace = true",
            Expected { vd: "10", f: "500", vi: "35", rate: "52.5", drip: "13.125" },
        ),
        (
            "bag = \"500 mL\"\noverfill = \"30 mL\"\nreplace = true",
            Expected { vd: "10", f: "530", vi: "37.1", rate: "55.65", drip: "13.9125" },
        ),
    ];
    for (bag, e) in &runs {
        let doc = json(&iv(&[fixed, ("bag = \"100 mL\"", bag)]), &["--weight", "70kg"]);
        assert_figures(&doc, "35", "500", e);
        expect_json(&doc, "infusion.method", "fixed-concentration".into());
        exact(&doc, "infusion.nominal.concentration", "1 mg/mL");
        exact(&doc, "infusion.nominal.volume_to_infuse", "35 mL");
        exact(&doc, "infusion.nominal.rate", "52.5 mL/h");
        exact(&doc, "controlled[ketamine].undelivered", "465 mg");
    }
}

/// A fixed-concentration bag whose dose is all it holds: T = 0.35 mg/mL × 100 mL = 35 mg =
/// D, so Vi = F = 100 + 0.7 = 100.7 mL; nothing is undelivered. One more milligram of
/// dose (72 kg: 36 mg) would be Vi = 36 × 100.7 ÷ 35 > F: refused, exit 1.
#[test]
fn a_fixed_concentration_bag_holds_exactly_its_dose_or_refuses() {
    let text =
        iv(&[("method = \"whole-bag\"", "method = \"fixed-concentration\"\nconcentration = \"0.35 mg/mL\"")]);
    let doc = json(&text, &["--weight", "70kg"]);
    exact(&doc, "infusion.volume_to_infuse", "100.7 mL");
    exact(&doc, "infusion.final_volume", "100.7 mL");
    exact(&doc, "controlled[ketamine].undelivered", "0 mg");
    let r = batch(&text, &["--weight", "72kg", "--date", "2026-11-26", "--time", "09:00"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    // 36 × 100.7 ÷ 35 = 103.577… mL.
    assert!(r.stderr.starts_with("error: the dose of 36 mg is "), "{}", r.stderr);
    assert!(
        r.stderr.contains("103.577") && r.stderr.contains("more than the 100.7 mL it holds"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("help: "), "{}", r.stderr);
}

/// The bag that cannot hold the dose: 0.1 mg/mL × 100 mL = T = 10 mg (Vd 0.2 mL, F 100.2 mL)
/// for a dose of 35 mg would be Vi = 35 × 100.2 ÷ 10 = 350.7 mL: exit 1, nothing printed.
#[test]
fn a_bag_that_cannot_hold_the_dose_is_refused() {
    let text =
        iv(&[("method = \"whole-bag\"", "method = \"fixed-concentration\"\nconcentration = \"0.1 mg/mL\"")]);
    for format in ["table", "json"] {
        let r = batch(
            &text,
            &["--weight", "70kg", "--date", "2026-11-26", "--time", "09:00", "--format", format],
        );
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        assert!(r.stderr.contains("350.7 mL") && r.stderr.contains("100.2 mL"), "{}", r.stderr);
    }
}

/// `replace` withdraws the drug's volume from the bag first: a stock of 0.25 mg/mL needs Vd
/// = 35 ÷ 0.25 = 140 mL, more than the 100 mL bag holds: exit 1. At 0.35 mg/mL, Vd = 100
/// mL, the whole bag's volume: F = 100 mL, all of it drug.
#[test]
fn replace_with_more_drug_than_the_bag_holds_is_refused() {
    let replace = ("bag = \"100 mL\"", "bag = \"100 mL\"\nreplace = true");
    let r = batch(
        &iv(&[replace, ("stock = \"50 mg/mL\"", "stock = \"0.25 mg/mL\"")]),
        &["--weight", "70kg", "--date", "2026-11-26", "--time", "09:00"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("140 mL") && r.stderr.contains("100 mL"), "{}", r.stderr);
    let doc =
        json(&iv(&[replace, ("stock = \"50 mg/mL\"", "stock = \"0.35 mg/mL\"")]), &["--weight", "70kg"]);
    exact(&doc, "infusion.drug_volume", "100 mL");
    exact(&doc, "infusion.final_volume", "100 mL");
}

// ---------------------------------------------------------------------------------------
// Weight, dose, max, bag and duration (SPEC §8.3)
// ---------------------------------------------------------------------------------------

/// 154 lb × 0.45359237 kg/lb = 69.85322498 kg exactly; the dose 0.5 × that = 34.92661249
/// mg; Vd = 34.92661249 ÷ 50 = 0.6985322498 mL; F = 100.6985322498 mL; R = 1.5 F =
/// 151.0477983747 mL/h. The worksheet shows the weight as given and in kg.
#[test]
fn a_weight_in_pounds_is_converted_exactly() {
    let doc = json(BASE, &["--weight", "154 lb"]);
    exact(&doc, "infusion.weight", "69.85322498 kg");
    exact(&doc, "infusion.rule", "0.5 mg/kg");
    exact(&doc, "infusion.dose", "34.92661249 mg");
    exact(&doc, "infusion.drug_volume", "0.6985322498 mL");
    exact(&doc, "infusion.final_volume", "100.6985322498 mL");
    exact(&doc, "infusion.rate", "151.0477983747 mL/h");
    // Three pounds: 1.36077711 kg, under 2 kg (at 0.5 mg/kg, 0.68 mg: a dilution step).
    let doc = json(BASE, &["--weight", "3lb"]);
    exact(&doc, "infusion.weight", "1.36077711 kg");
    assert!(codes(&doc).contains(&"unusual-weight".to_string()));
    let sheet = text_of(BASE, "table", &["--weight", "154lb", "--width", "100"]);
    assert!(sheet.contains("154 lb = 69.8532 kg"), "{sheet}");
}

/// `max` caps a per-kg dose: 120 kg × 0.5 = 60 mg > 50 mg, so D = 50 mg (Vd 1 mL, F 101 mL,
/// R 151.5 mL/h), `capped` true and a `dose-capped` warning; at 100 kg the dose is 50 mg,
/// not above the maximum: not capped.
#[test]
fn max_caps_a_per_kg_dose() {
    let doc = json(BASE, &["--weight", "120kg"]);
    exact(&doc, "infusion.dose", "50 mg");
    expect_json(&doc, "infusion.capped", true.into());
    exact(&doc, "infusion.drug_volume", "1 mL");
    exact(&doc, "infusion.final_volume", "101 mL");
    exact(&doc, "infusion.rate", "151.5 mL/h");
    assert_eq!(codes(&doc), ["dose-capped"]);
    let w = &doc["warnings"][0];
    assert_eq!(w["ingredient"], "ketamine");
    let message = w["message"].as_str().unwrap();
    assert!(message.contains("60 mg") && message.contains("50 mg"), "{message}");
    let sheet = text_of(BASE, "table", &["--weight", "120kg", "--width", "100"]);
    assert!(sheet.contains("capped at the maximum (the rule gives 60 mg)"), "{sheet}");
    // Rev. 3 (SPEC §12.4): a banner right under the title, with the dose delivered per kg.
    assert!(
        sheet.starts_with(
            "COMPOUNDING WORKSHEET: Ketamine infusion\n*** DOSE CAPPED: 50 mg = 0.4167 mg/kg (0.5 mg/kg × 120 kg = 60 mg is above the maximum of 50 mg) ***\n*** C-III CONTROLLED SUBSTANCE ***"
        ),
        "{sheet}"
    );
    let doc = json(BASE, &["--weight", "100kg"]);
    exact(&doc, "infusion.dose", "50 mg");
    expect_json(&doc, "infusion.capped", false.into());
    assert!(codes(&doc).is_empty(), "{:?}", codes(&doc));
}

/// Rev. 3 (SPEC §12.4): a custom `--dose` above `max` is refused, not capped: a fixed 75 mg
/// and 1 mg/kg × 70 kg = 70 mg exceed the 50 mg ceiling (exit 1, the figures in the
/// message, nothing on stdout). `--max 80mg --authorized-by` lets the same order through,
/// uncapped and custom; a dose at the maximum itself is not above it.
#[test]
fn a_custom_dose_above_max_is_refused() {
    for (args, figures) in [
        (&["--dose", "75mg"][..], "the dose ordered, 75 mg, is above the formula's maximum of 50 mg"),
        (
            &["--dose", "1mg/kg", "--weight", "70kg"],
            "the dose ordered, 1 mg/kg × 70 kg = 70 mg, is above the formula's maximum of 50 mg",
        ),
    ] {
        let mut all = vec!["--date", "2026-11-26", "--time", "09:00"];
        all.extend_from_slice(args);
        let r = batch(BASE, &all);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
        assert!(r.stderr.contains(figures), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("--max M --authorized-by NAME"), "{}", r.stderr);
        let mut authorized = args.to_vec();
        authorized.extend_from_slice(&["--max", "80mg", "--authorized-by", "Dr A. Jones"]);
        let doc = json(BASE, &authorized);
        expect_json(&doc, "infusion.capped", false.into());
        expect_json(&doc, "infusion.max_authorized_by", "Dr A. Jones".into());
        exact(&doc, "infusion.max", "80 mg");
        assert!(!codes(&doc).contains(&"dose-capped".to_string()), "{authorized:?}");
    }
    let doc = json(BASE, &["--dose", "50mg"]);
    exact(&doc, "infusion.dose", "50 mg");
    expect_json(&doc, "infusion.capped", false.into());
    // Under an authorized ceiling the formula's own rule is capped at it.
    let doc = json(BASE, &["--weight", "200kg", "--max", "80mg", "--authorized-by", "Dr A. Jones"]);
    exact(&doc, "infusion.dose", "80 mg");
    expect_json(&doc, "infusion.capped", true.into());
    let r = batch(
        BASE,
        &["--weight", "200kg", "--max", "60mg", "--authorized-by", "Dr A. Jones", "--dose", "1mg/kg"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("above the authorized maximum of 60 mg"), "{}", r.stderr);
}

/// `--max` and `--authorized-by` come together, on an infusion only: otherwise a usage
/// error (exit 2).
#[test]
fn max_needs_authorized_by_and_an_infusion() {
    for (args, says) in [
        (&["--weight", "70kg", "--max", "80mg"][..], "`--max` needs `--authorized-by`"),
        (&["--weight", "70kg", "--authorized-by", "Dr A. Jones"], "`--authorized-by` needs `--max`"),
    ] {
        let r = batch(BASE, args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{}", r.stderr);
    }
    let r = finish(ketacalc().args([
        "batch",
        "ketamine-nasal-spray-50-vial",
        "--date",
        "2026-11-26",
        "--max",
        "80mg",
        "--authorized-by",
        "x",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("`--max` does not apply to a `nasal-spray`"), "{}", r.stderr);
}

/// `unusual-weight` under 2 kg and over 250 kg, not at 2 kg or 250 kg themselves.
#[test]
fn unusual_weights_are_warned_about() {
    for (weight, unusual) in [
        ("1.99kg", true),
        ("2kg", false),
        ("70kg", false),
        ("250kg", false),
        ("250.01kg", true),
        ("500kg", true),
    ] {
        let doc = json(BASE, &["--weight", weight]);
        assert_eq!(
            codes(&doc).contains(&"unusual-weight".to_string()),
            unusual,
            "{weight}: {:?}",
            codes(&doc)
        );
    }
}

/// `--dose 35mg`, a fixed dose, needs no weight: `weight` and `rule` are null; D = 35 mg.
/// It differs from the formula's 0.5 mg/kg: the worksheet opens with a CUSTOM DOSE banner
/// and the title gets the suffix.
#[test]
fn a_fixed_dose_from_the_command_line() {
    let doc = json(BASE, &["--dose", "35mg"]);
    expect_json(&doc, "infusion.weight", Value::Null);
    expect_json(&doc, "infusion.rule", Value::Null);
    exact(&doc, "infusion.dose", "35 mg");
    exact(&doc, "infusion.final_volume", "100.7 mL");
    expect_json(&doc, "formula.name", "Ketamine infusion".into());
    let sheet = text_of(BASE, "table", &["--dose", "35mg", "--width", "100"]);
    assert!(sheet.contains("CUSTOM DOSE: 35 mg (this MFR is written for 0.5 mg/kg)"), "{sheet}");
    assert!(sheet.starts_with("COMPOUNDING WORKSHEET: Ketamine infusion, custom dose 35 mg\n"), "{sheet}");
    assert!(sheet.contains("fixed dose of 35 mg"), "{sheet}");
}

/// `--dose` per kg, in mg/kg or mcg/kg: 250 mcg/kg × 70 kg = 17.5 mg (rule 0.25 mg/kg; Vd
/// 0.35 mL; F 100.35 mL; R 150.525 mL/h): custom. 500 mcg/kg is the formula's 0.5 mg/kg:
/// not custom, no banner.
#[test]
fn a_per_kg_dose_from_the_command_line() {
    let doc = json(BASE, &["--dose", "250mcg/kg", "--weight", "70kg"]);
    exact(&doc, "infusion.rule", "0.25 mg/kg");
    exact(&doc, "infusion.dose", "17.5 mg");
    exact(&doc, "infusion.drug_volume", "0.35 mL");
    exact(&doc, "infusion.rate", "150.525 mL/h");
    let sheet = text_of(BASE, "table", &["--dose", "250mcg/kg", "--weight", "70kg", "--width", "100"]);
    // Rev. 3 (SPEC §12.4): the rule and the dose delivered.
    assert!(
        sheet.contains("CUSTOM DOSE: 250 mcg/kg = 17.5 mg (this MFR is written for 0.5 mg/kg)"),
        "{sheet}"
    );
    let doc = json(BASE, &["--dose", "0.3 mg/kg", "--weight", "70kg"]);
    exact(&doc, "infusion.dose", "21 mg");
    let sheet = text_of(BASE, "table", &["--dose", "500mcg/kg", "--weight", "70kg", "--width", "100"]);
    assert!(!sheet.contains("CUSTOM"), "{sheet}");
    assert!(sheet.starts_with("COMPOUNDING WORKSHEET: Ketamine infusion\n"), "{sheet}");
}

/// `--bag 250mL`: F = 250 + 0.7 = 250.7 mL, R = 1.5 × 250.7 = 376.05 mL/h; `--duration 1h`:
/// R = 100.7 × 60 ÷ 60 = 100.7 mL/h, drip 100.7 × 15 ÷ 60 = 25.175 gtt/min. Each is custom:
/// a banner and a title suffix; the container's `{bag}` prints the batch's bag.
#[test]
fn a_bag_and_a_duration_from_the_command_line() {
    let doc = json(BASE, &["--weight", "70kg", "--bag", "250mL"]);
    exact(&doc, "infusion.bag", "250 mL");
    // (The vehicle's id holds a `.`, which a path cannot name.)
    let vehicle = &doc["ingredients"][1];
    assert_eq!(vehicle["id"], "sodium-chloride-0.9");
    assert_eq!(vehicle["required"], serde_json::json!({"value": "250", "unit": "mL"}));
    exact(&doc, "infusion.final_volume", "250.7 mL");
    exact(&doc, "infusion.rate", "376.05 mL/h");
    let sheet = text_of(BASE, "table", &["--weight", "70kg", "--bag", "0.25 L", "--width", "100"]);
    assert!(sheet.contains("CUSTOM BAG: 250 mL (this MFR is written for 100 mL)"), "{sheet}");
    assert!(sheet.starts_with("COMPOUNDING WORKSHEET: Ketamine infusion, custom bag 250 mL\n"), "{sheet}");
    assert!(sheet.contains("250 mL 0.9% sodium chloride bag"), "{sheet}");

    let doc = json(BASE, &["--weight", "70kg", "--duration", "1h"]);
    exact(&doc, "infusion.duration", "60 min");
    exact(&doc, "infusion.rate", "100.7 mL/h");
    exact(&doc, "infusion.drip_rate", "25.175 gtt/min");
    let sheet = text_of(BASE, "table", &["--weight", "70kg", "--duration", "1h", "--width", "100"]);
    assert!(sheet.contains("CUSTOM DURATION: 60 min (this MFR is written for 40 min)"), "{sheet}");
    assert!(
        sheet.starts_with("COMPOUNDING WORKSHEET: Ketamine infusion, custom duration 60 min\n"),
        "{sheet}"
    );
    // The formula's own bag and duration, written another way, change nothing.
    let sheet = text_of(BASE, "table", &["--weight", "70kg", "--bag", "0.1L", "--duration", "40min"]);
    assert!(!sheet.contains("CUSTOM"), "{sheet}");
    // A name that prints `{bag}` is not given the bag again as a suffix.
    let named = iv(&[("name = \"Ketamine infusion\"", "name = \"Ketamine in {bag}\"")]);
    let sheet = text_of(&named, "table", &["--weight", "70kg", "--bag", "250mL", "--width", "100"]);
    assert!(sheet.starts_with("COMPOUNDING WORKSHEET: Ketamine in 250 mL\n"), "{sheet}");
    assert!(sheet.contains("CUSTOM BAG: 250 mL"), "{sheet}");
}

/// Vials to open: ceil(Vd ÷ vial). 35 mg is 0.7 mL of one 10 mL vial; the 500 mg of a
/// 1 mg/mL bag of 500 mL is 10 mL: 2 vials of 5 mL exactly, 4 of 3 mL (9 mL < 10 mL ≤ 12
/// mL); the capped 50 mg is 1 mL: 1 vial of 1 mL, 2 of 0.9 mL. Without `vial`, null.
#[test]
fn vials_to_open() {
    let fixed = ("method = \"whole-bag\"", "method = \"fixed-concentration\"\nconcentration = \"1 mg/mL\"");
    let bag = ("bag = \"100 mL\"", "bag = \"500 mL\"");
    type Edits<'a> = Vec<(&'a str, &'a str)>;
    let runs: [(Edits<'_>, &str, u64); 5] = [
        (vec![], "70kg", 1),
        (vec![fixed, bag, ("vial = \"10 mL\"", "vial = \"5 mL\"")], "70kg", 2),
        (vec![fixed, bag, ("vial = \"10 mL\"", "vial = \"3 mL\"")], "70kg", 4),
        (vec![("vial = \"10 mL\"", "vial = \"1 mL\"")], "120kg", 1),
        (vec![("vial = \"10 mL\"", "vial = \"0.9 mL\"")], "120kg", 2),
    ];
    for (edits, weight, vials) in runs {
        let doc = json(&iv(&edits), &["--weight", weight]);
        expect_json(&doc, "infusion.vials", vials.into());
    }
    let doc = json(&iv(&[("vial = \"10 mL\"\n", "")]), &["--weight", "70kg"]);
    expect_json(&doc, "infusion.vials", Value::Null);
    let sheet =
        text_of(&iv(&[fixed, bag, ("vial = \"10 mL\"", "vial = \"3 mL\"")]), "table", &["--weight", "70kg"]);
    assert!(sheet.contains("open 4 vials of 3 mL"), "{sheet}");
}

/// Without a `drop_factor` there is no drip rate: null in JSON, no line on the worksheet.
#[test]
fn no_drip_rate_without_a_drop_factor() {
    let text = iv(&[("drop_factor = \"15 gtt/mL\"\n", "")]);
    let doc = json(&text, &["--weight", "70kg"]);
    expect_json(&doc, "infusion.drip_rate", Value::Null);
    expect_json(&doc, "infusion.drop_factor", Value::Null);
    let sheet = text_of(&text, "table", &["--weight", "70kg"]);
    assert!(!sheet.contains("Drip rate") && !sheet.contains("gtt"), "{sheet}");
    // A 20 gtt/mL set: 151.05 × 20 ÷ 60 = 50.35 gtt/min.
    let doc = json(&iv(&[("15 gtt/mL", "20 gtt/mL")]), &["--weight", "70kg"]);
    exact(&doc, "infusion.drip_rate", "50.35 gtt/min");
}

/// `stock_basis` other than `basis`, by the molecular weights (SPEC §8.1), both ways.
///
/// Stated as base, from a vial labelled as 50 mg/mL of the HCl salt: the stock holds
/// 50 × 237.73 ÷ 274.19 mg/mL of base; the 35 mg base dose is 35 × 274.19 ÷ 237.73 =
/// 40.3678… mg of HCl, so Vd = 35 × 274.19 ÷ (237.73 × 50) = 9596.65 ÷ 11886.5 mL.
///
/// Stated as salt (0.5 mg/kg of the HCl: 35 mg HCl), from a vial labelled 50 mg/mL as base:
/// 35 mg HCl is 35 × 237.73 ÷ 274.19 = 8320.55 ÷ 274.19 mg of base, Vd = that ÷ 50 =
/// 8320.55 ÷ 13709.5 mL, and the dose in the other basis is that base.
#[test]
fn a_stock_labelled_in_the_other_basis() {
    let doc = json(
        &iv(&[("stock = \"50 mg/mL\"", "stock = \"50 mg/mL\"\nstock_basis = \"salt\"")]),
        &["--weight", "70kg"],
    );
    exact(&doc, "infusion.dose", "35 mg");
    near(&doc, "infusion.stock", d("11886.5") / d("274.19"), "mg/mL");
    near(&doc, "infusion.drug_volume", d("9596.65") / d("11886.5"), "mL");
    near(&doc, "ingredients[ketamine].measure", d("9596.65") / d("11886.5"), "mL");
    near(&doc, "infusion.final_volume", d("100") + d("9596.65") / d("11886.5"), "mL");
    exact(&doc, "controlled[ketamine].withdraw", "35 mg");
    // Rounded to 0.01 mL: 0.80736 → 0.81 mL.
    expect_json(&doc, "ingredients[ketamine].measure_rounded.value", "0.81".into());

    let salt = iv(&[
        ("basis = \"base\"", "basis = \"salt\""),
        ("stock = \"50 mg/mL\"", "stock = \"50 mg/mL\"\nstock_basis = \"base\""),
    ]);
    let doc = json(&salt, &["--weight", "70kg"]);
    exact(&doc, "infusion.dose", "35 mg");
    expect_json(&doc, "infusion.dose_other_basis.basis", "base".into());
    near(&doc, "infusion.dose_other_basis.dose", d("8320.55") / d("274.19"), "mg");
    near(&doc, "infusion.stock", d("13709.5") / d("237.73"), "mg/mL");
    near(&doc, "infusion.drug_volume", d("8320.55") / d("13709.5"), "mL");
}

/// The drug drawn from a stock is an exact amount, so JSON prints it normalized (SPEC §5,
/// §8.1): 0.50 mg/kg × 70.00 kg = 35 mg, not `35.0000`; the 1000 mg of a 2 mg/mL bag of
/// 500 mL is `1` g, not `1.000` g (a rounded value's places would claim a balance's
/// readability for a volume drawn from vials).
#[test]
fn the_drug_drawn_from_vials_is_exact_and_normalized_in_json() {
    let doc = json(&iv(&[("per_kg = \"0.5 mg/kg\"", "per_kg = \"0.50 mg/kg\"")]), &["--weight", "70.00kg"]);
    assert_eq!(doc["controlled"][0]["withdraw"], serde_json::json!({"value": "35", "unit": "mg"}));
    assert_eq!(doc["infusion"]["dose"], serde_json::json!({"value": "35", "unit": "mg"}));
    let fixed = iv(&[
        ("method = \"whole-bag\"", "method = \"fixed-concentration\"\nconcentration = \"2 mg/mL\""),
        ("bag = \"100 mL\"", "bag = \"500 mL\""),
        ("vial = \"10 mL\"", "vial = \"20 mL\""),
    ]);
    let doc = json(&fixed, &["--weight", "70kg"]);
    // T = 2 × 500 = 1000 mg = 1 g; Vd = 1000 ÷ 50 = 20 mL.
    assert_eq!(doc["controlled"][0]["withdraw"], serde_json::json!({"value": "1", "unit": "g"}));
    assert_eq!(doc["controlled"][0]["withdraw_volume"], serde_json::json!({"value": "20", "unit": "mL"}));
}

// ---------------------------------------------------------------------------------------
// Display (SPEC §8.3 item 6): volumes to 0.01 mL, rates to 0.1 mL/h, drips whole, doses and
// concentrations to 4 significant figures, no trailing zeros, everywhere they are printed
// ---------------------------------------------------------------------------------------

/// A run of more than 6 digits after a decimal point: an exact figure printed raw.
fn long_decimal(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(8).find_map(|w| {
        (w[0] == '.' && w[1..].iter().all(char::is_ascii_digit)).then(|| w.iter().collect::<String>())
    })
}

/// Ketamine stated as base from a vial labelled as the HCl salt, for 70.123 kg: every
/// figure has many digits. D = 0.5 × 70.123 = 35.0615 mg (35.06 to 4 significant figures);
/// Vd = 35.0615 × 274.19 ÷ (237.73 × 50) = 0.80877… mL (0.81); S in the declared basis =
/// 50 × 237.73 ÷ 274.19 = 43.3513… mg/mL (43.35); F = 100.80877… mL (100.81). Each is
/// printed by the display rules in every layout and on the label, never raw.
#[test]
fn infusion_figures_are_printed_by_the_display_rules_everywhere() {
    let text = iv(&[("stock = \"50 mg/mL\"", "stock = \"50 mg/mL\"\nstock_basis = \"salt\"")]);
    let args = ["--weight", "70.123kg", "--width", "100"];
    let sheet = text_of(&text, "table", &args);
    assert_eq!(long_decimal(&sheet), None, "{sheet}");
    for want in [
        "Required         35.06 mg (as base)",
        // Rev. 3 (SPEC §12.1, §12.3): on its syringe, of the stock as labelled; the record
        // in the stock's own basis, from the same rounded volume.
        "Drug volume       0.81 mL (1 mL syringe, 0.01 mL marks) of the 50 mg/mL stock",
        "Final volume      100.81 mL",
        "0.81 mL = 40.5 mg (salt; 35.11 mg base)",
    ] {
        assert!(sheet.contains(want), "`{want}` in:\n{sheet}");
    }
    assert!(!sheet.contains('≈'), "{sheet}");
    for format in ["markdown", "html"] {
        let out = text_of(&text, format, &args[..2]);
        assert_eq!(long_decimal(&out), None, "--format {format}:\n{out}");
    }
    for format in ["text", "html"] {
        let r = run_tz(
            "UTC",
            &text,
            &[
                "label",
                "{f}",
                "--format",
                format,
                "--date",
                "2026-11-26",
                "--time",
                "09:00",
                "--weight",
                "70.123kg",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(long_decimal(&r.stdout), None, "label --format {format}:\n{}", r.stdout);
        assert!(r.stdout.contains("100.81"), "{}", r.stdout);
    }
}

/// Found in review: with a custom bag, a step that still writes out the formula's bag
/// (`100 mL`) was marked on the worksheet, but the JSON had no `reference-batch-text`
/// warning for it (SPEC §7.2, §8.5). At the formula's own bag there is none.
#[test]
fn regression_a_step_written_for_the_formula_bag_is_warned_about_at_another() {
    let text = iv(&[("of ketamine;", "of ketamine into the 100 mL bag;")]);
    let doc = json(&text, &["--weight", "70kg", "--bag", "250mL"]);
    let w: Vec<&Value> =
        doc["warnings"].as_array().unwrap().iter().filter(|w| w["code"] == "reference-batch-text").collect();
    assert_eq!(w.len(), 1, "{doc:#}");
    assert_eq!(w[0]["ingredient"], Value::Null);
    let message = w[0]["message"].as_str().unwrap();
    assert!(
        message.contains("step 1") && message.contains("`100 mL`") && message.contains("bag of 100 mL"),
        "{message}"
    );
    let sheet = text_of(&text, "table", &["--weight", "70kg", "--bag", "250mL", "--width", "100"]);
    assert!(sheet.contains("(!) "), "{sheet}");
    let doc = json(&text, &["--weight", "70kg"]);
    assert!(!codes(&doc).contains(&"reference-batch-text".to_string()), "{:?}", codes(&doc));
    // A custom dose counts too (SPEC §7.2: any custom strength).
    let doc = json(&text, &["--weight", "70kg", "--dose", "0.3mg/kg"]);
    assert!(codes(&doc).contains(&"reference-batch-text".to_string()), "{:?}", codes(&doc));
}
