//! The worked cases of `/work/shared/cases` (copied to `tests/fixtures/cases/`), and the
//! problems of DOMAIN.md §12 that the engine answers with exact numbers.
//!
//! Quantities are compared numerically after unit conversion (a reader must convert
//! units rather than assume one, SPEC §5), as `cases/check.py` does.

use std::str::FromStr;

use ketacalc::calc::{Batch, Line, Options, compute};
use ketacalc::formula::load_str;
use ketacalc::measure::{BatchSize, Count, DoseCount, Mass, Volume};
use ketacalc::quantity::{Amount, Quantity};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::cli::{DATE, batch_json, finish, ketacalc, root};

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap_or_else(|e| panic!("`{s}`: {e}"))
}

/// A value in the base unit of its family: mg, mL, units, mg/mL, mg/g or mg/unit.
fn to_base(value: Decimal, unit: &str) -> (Decimal, &'static str) {
    let (factor, family) = match unit {
        "mcg" => ("0.001", "mg"),
        "mg" => ("1", "mg"),
        "g" => ("1000", "mg"),
        "kg" => ("1000000", "mg"),
        "mcL" => ("0.001", "mL"),
        "mL" => ("1", "mL"),
        "L" => ("1000", "mL"),
        "units" => ("1", "units"),
        "mcg/mL" | "mg/L" => ("0.001", "mg/mL"),
        "mg/mL" | "g/L" => ("1", "mg/mL"),
        "%w/v" => ("10", "mg/mL"),
        "g/mL" => ("1000", "mg/mL"),
        "mcg/g" => ("0.001", "mg/g"),
        "mg/g" => ("1", "mg/g"),
        "%w/w" => ("10", "mg/g"),
        "mcg/unit" => ("0.001", "mg/unit"),
        "mg/unit" => ("1", "mg/unit"),
        "g/unit" => ("1000", "mg/unit"),
        // An infusion's rates and per-kg figures (SPEC §8.5, §12.3), each in its one unit.
        "mL/h" => ("1", "mL/h"),
        "mg/h" => ("1", "mg/h"),
        "mg/kg" => ("1", "mg/kg"),
        "mg/kg/h" => ("1", "mg/kg/h"),
        "mL/kg" => ("1", "mL/kg"),
        "gtt/min" => ("1", "gtt/min"),
        other => panic!("unit `{other}` is not a canonical output unit"),
    };
    (value * d(factor), family)
}

/// `"1.6 g"` → (1.6, "g").
fn split(text: &str) -> (Decimal, &str) {
    let end = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    (d(&text[..end]), text[end..].trim())
}

/// Follows a `check.py` path: dotted keys, `[ID]` selecting an array item by `id`.
pub(crate) fn select<'a>(doc: &'a Value, path: &str) -> &'a Value {
    let mut cur = doc;
    for part in path.split('.') {
        let (key, sel) = match part.split_once('[') {
            Some((k, rest)) => (k, Some(rest.trim_end_matches(']'))),
            None => (part, None),
        };
        if !key.is_empty() {
            cur = cur.get(key).unwrap_or_else(|| panic!("{path}: no key `{key}` in {cur}"));
        }
        if let Some(id) = sel {
            let items = cur.as_array().unwrap_or_else(|| panic!("{path}: `{key}` is not a list"));
            cur = items.iter().find(|x| x["id"] == id).unwrap_or_else(|| panic!("{path}: no item `{id}`"));
        }
    }
    cur
}

/// The quantity at `path` equals `want` (e.g. `"82.148 g"`) within `tolerance`, in the
/// unit of `want`, after unit conversion.
#[track_caller]
pub(crate) fn expect_within(doc: &Value, path: &str, want: &str, tolerance: &str) {
    let got = select(doc, path);
    let value = got["value"].as_str().unwrap_or_else(|| panic!("{path}: not a quantity: {got}"));
    let unit = got["unit"].as_str().unwrap_or_else(|| panic!("{path}: not a quantity: {got}"));
    let (g, gf) = to_base(d(value), unit);
    let (wv, wu) = split(want);
    let (w, wf) = to_base(wv, wu);
    assert_eq!(gf, wf, "{path}: unit `{unit}` does not match `{want}`");
    let (tol, _) = to_base(d(tolerance), wu);
    assert!((g - w).abs() <= tol, "{path}: got {value} {unit}, expected {want} (±{tolerance})");
}

/// As [`expect_within`], with the default tolerance of `check.py` (1e-9).
#[track_caller]
pub(crate) fn expect(doc: &Value, path: &str, want: &str) {
    expect_within(doc, path, want, "0.000000001");
}

/// The JSON value at `path` is exactly `want` (a rounded value keeps its digits).
#[track_caller]
pub(crate) fn expect_json(doc: &Value, path: &str, want: Value) {
    assert_eq!(select(doc, path), &want, "{path}");
}

fn case_file(case: &str, file: &str) -> String {
    format!("tests/fixtures/cases/{case}/{file}")
}

/// `batch CASE_FORMULA --format json ARGS` (the args of `case.toml`, which carry the date).
pub(crate) fn case(case: &str, file: &str, args: &[&str]) -> Value {
    let r = finish(ketacalc().args(["batch", &case_file(case, file), "--format", "json"]).args(args));
    assert_eq!(r.code, 0, "{case}: {}", r.stderr);
    r.json()
}

// ---------------------------------------------------------------------------------------
// The worked cases
// ---------------------------------------------------------------------------------------

/// cream-kgb-topiclick: "105 g of ketamine HCl 10% / gabapentin 6% / baclofen 2% w/w with
/// 4 mL ethoxydiglycol (SG 0.988) as levigant, at the formula's reference batch (105 g, no
/// overage). Base qs = 105 - 10.5 - 6.3 - 2.1 - 3.952 = 82.148 g. Topi-CLICK 0.25 mL at
/// density 1.00 g/mL: 25 mg ketamine HCl per click."
///
/// Source: DOMAIN.md §12 problem 45.
#[test]
fn case_cream_kgb_topiclick() {
    let doc =
        case("cream-kgb-topiclick", "ketamine-gabapentin-baclofen-cream.toml", &["--date", "2026-11-26"]);
    expect(&doc, "prepared", "105 g");
    expect(&doc, "ingredients[ketamine-hcl].weigh", "10.5 g");
    expect(&doc, "ingredients[gabapentin].weigh", "6.3 g");
    expect(&doc, "ingredients[ethoxydiglycol].weigh", "3.952 g");
    expect(&doc, "ingredients[ethoxydiglycol].measure", "4 mL");
    expect(&doc, "qs.weigh", "82.148 g");
    expect(&doc, "strengths[ketamine-hcl].per_dose", "25 mg");
    expect(&doc, "strengths[baclofen].per_dose", "5 mg");
    expect_json(&doc, "bud.date", "2026-12-31".into());
    expect_json(&doc, "bud.rule", "usp795-aqueous-preserved".into());
    // Problem 45 in full: baclofen 2.100 g as well.
    expect(&doc, "ingredients[baclofen].weigh", "2.1 g");
    expect(&doc, "ingredients[cream-base].weigh", "82.148 g");
    expect(&doc, "strengths[gabapentin].per_dose", "15 mg");
}

/// cream-over-capacity: "Actives at 105% w/w leave no room for the base: the batch must be
/// refused with a clear error (exit 1), never printed with a negative base."
#[test]
fn case_cream_over_capacity() {
    let r = finish(ketacalc().args([
        "batch",
        &case_file("cream-over-capacity", "ketamine-hcl-cream-over.toml"),
        "--format",
        "json",
    ]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    let chars: Vec<char> = r.stderr.chars().collect();
    let negative = chars.windows(2).any(|w| (w[0] == '-' || w[0] == '−') && w[1].is_ascii_digit());
    assert!(!negative, "a negative number on stderr: {}", r.stderr);
}

/// drops-calibrated: "30 mL of ketamine HCl 100 mg/mL drops from a dropper calibrated at 22
/// drops/mL: 3.000 g ketamine HCl; 100 / 22 = 4.5454... mg per drop. Aqueous, not
/// preserved: 14 days, refrigerated."
///
/// Source: DOMAIN.md §12 problem 33 (4.5454… mg per drop; 10 drops = 45.4545… mg).
#[test]
fn case_drops_calibrated() {
    let doc = case("drops-calibrated", "ketamine-hcl-sublingual-drops-100.toml", &["--date", "2026-11-26"]);
    expect(&doc, "ingredients[ketamine-hcl].weigh", "3 g");
    expect(&doc, "strengths[ketamine-hcl].per_dose", "4.545454545454545454545454545 mg");
    expect_json(&doc, "bud.date", "2026-12-10".into());
    expect_json(&doc, "bud.rule", "usp795-aqueous-nonpreserved".into());
    // 10 drops.
    let per_drop = d(select(&doc, "strengths[ketamine-hcl].per_dose.value").as_str().unwrap());
    assert!((per_drop * Decimal::TEN - d("45.45454545454545454545")).abs() < d("0.000000001"));
    // (30 mL − 0) × 22 − 0 = 660 drops: `per_ml` is used without a rounded 1 ÷ 22.
    expect_json(&doc, "doses", 660.into());
}

/// nasal-spray-base-assay: "10 mL of ketamine 100 mg/mL stated as base, weighed as the HCl
/// salt (MW 274.19 / 237.73) from a lot assayed at 99.5% as is: 1000 mg x 274.19 / 237.73 /
/// 0.995 = 1159.163 mg. BAK 0.01% w/v from a 50% solution: 1 mg needed, 2 mg weighed (below
/// the minimum weight). Doses: (10 - 6 x 0.1 - 0.3) / 0.1 = 91 sprays of 10 mg base (11.53
/// mg HCl). Aqueous, preserved: 35 days."
///
/// Source: DOMAIN.md §12 problem 38 (1.1592 g).
#[test]
fn case_nasal_spray_base_assay() {
    let doc = case(
        "nasal-spray-base-assay",
        "ketamine-nasal-spray-100-base.toml",
        &["--assay", "ketamine-hcl=99.5%", "--date", "2026-11-26"],
    );
    expect(&doc, "ingredients[ketamine-hcl].required", "1000 mg");
    expect_within(&doc, "ingredients[ketamine-hcl].weigh", "1159.163080789045974414198617 mg", "0.0000001");
    expect(&doc, "ingredients[ketamine-hcl].weigh_rounded", "1159.2 mg");
    expect(&doc, "ingredients[benzalkonium-chloride-50].weigh", "2 mg");
    expect(&doc, "qs.to", "10 mL");
    expect(&doc, "strengths[ketamine-hcl].per_dose", "10 mg");
    expect_within(
        &doc,
        "strengths[ketamine-hcl].other_basis.concentration",
        "115.3367265385100744542127624 mg/mL",
        "0.0000001",
    );
    expect_json(&doc, "doses", 91.into());
    expect_json(&doc, "bud.date", "2026-12-31".into());
    // Problem 38: 1.1592 g, keeping the four decimals of 0.1 mg in grams.
    expect_json(
        &doc,
        "ingredients[ketamine-hcl].weigh_rounded",
        serde_json::json!({"value": "1.1592", "unit": "g"}),
    );
    // The BAK is below the minimum weight: a warning with an aliquot plan.
    let w = doc["warnings"].as_array().unwrap();
    assert!(
        w.iter()
            .any(|w| w["code"] == "below-minimum-weight" && w["ingredient"] == "benzalkonium-chloride-50")
    );
}

/// rdt-one-to-one-overage: "96 RDTs of ketamine HCl 50 mg, blank 96 x 0.750 g with 0.70 g of
/// flavors per 96, one-to-one displacement, 7% processing overage (vendor advice 5-9%).
/// Prepared 102.72 unit-equivalents; API 5.136 g; flavors scale by 1.07; base 77.04 - 5.136
/// - 0.749 = 71.155 g."
///
/// Source: DOMAIN.md §12 problem 44 (with the × 1.07 overage).
#[test]
fn case_rdt_one_to_one_overage() {
    let doc = case("rdt-one-to-one-overage", "ketamine-hcl-rdt-50.toml", &["--date", "2026-11-26"]);
    expect(&doc, "prepared", "102.72 units");
    expect(&doc, "ingredients[ketamine-hcl].weigh", "5.136 g");
    expect(&doc, "ingredients[flavor-peppermint].weigh", "0.428 g");
    expect(&doc, "qs.weigh", "71.155 g");
    expect(&doc, "strengths[ketamine-hcl].per_dose", "50 mg");
    expect_json(&doc, "bud.days", 180.into());
    // The per-unit strength describes the requested 96, never the overage.
    expect(&doc, "quantity", "96 units");
    expect(&doc, "strengths[ketamine-hcl].concentration", "50 mg/unit");
    expect(&doc, "ingredients[sucralose].weigh", "0.214 g");
    expect(&doc, "ingredients[bitter-blocker].weigh", "0.107 g");
    // (71.155 + 5.136 + 0.749) ÷ 102.72 = 0.75 g.
    expect(&doc, "unit_weight", "0.75 g");
}

/// troche-displacement-070: "30 troches of ketamine HCl 50 mg, two extra cavities, blank
/// 1.000 g, displacement factor 0.70 (troche-base vendor convention). Drug 32 x 50 mg =
/// 1.600 g; base 32.000 - 0.70 x 1.600 = 30.880 g; unit weight (30.880 + 1.600) / 32 = 1.015
/// g; solid nonaqueous: 180 days."
///
/// Source: DOMAIN.md §12 problem 41.
#[test]
fn case_troche_displacement_070() {
    let doc = case("troche-displacement-070", "ketamine-hcl-troche-50.toml", &["--date", "2026-11-26"]);
    expect(&doc, "quantity", "30 units");
    expect(&doc, "prepared", "32 units");
    expect(&doc, "ingredients[ketamine-hcl].weigh", "1.6 g");
    expect(&doc, "qs.weigh", "30.88 g");
    expect(&doc, "unit_weight", "1.015 g");
    expect(&doc, "strengths[ketamine-hcl].per_dose", "50 mg");
    expect_within(
        &doc,
        "strengths[ketamine-hcl].other_basis.concentration",
        "43.351325723038768737 mg/unit",
        "0.0000001",
    );
    expect_json(&doc, "bud.date", "2027-05-25".into());
    expect_json(&doc, "bud.rule", "usp795-nonaqueous".into());
    expect_json(&doc, "strengths[ketamine-hcl].dose", "troche".into());
    expect_json(&doc, "doses", Value::Null);
}

/// The built-in formulary agrees with the numbers its comments quote.
#[test]
fn built_in_formulas_match_their_comments() {
    // Troche: base 32.000 − 0.70 × (1.600 + 0.5333 + 0.2667 + 0.3200) − 1.00 × 0.3200 = 29.776 g;
    // unit weight 1.0255 g.
    let doc = batch_json("ketamine-hcl-troche-50", &[]);
    expect(&doc, "ingredients[ketamine-hcl].weigh", "1.6 g");
    expect(&doc, "qs.weigh", "29.776 g");
    expect(&doc, "unit_weight", "1.0255 g");
    // RDT 25 mg: 96 × 1.07; ketamine HCl 2.568 g; base 77.04 − 2.568 − 0.749 = 73.723 g; 0.750 g.
    let doc = batch_json("ketamine-hcl-rdt-25", &[]);
    expect(&doc, "prepared", "102.72 units");
    expect(&doc, "ingredients[ketamine-hcl].weigh", "2.568 g");
    expect(&doc, "qs.weigh", "73.723 g");
    expect(&doc, "unit_weight", "0.75 g");
    // Cream 10%: 100 g + 5% = 105 g; ethoxydiglycol 4 mL per 100 g → 4.2 mL = 4.1496 g.
    let doc = batch_json("ketamine-hcl-cream-10", &[]);
    expect(&doc, "prepared", "105 g");
    expect(&doc, "ingredients[ketamine-hcl].weigh", "10.5 g");
    expect(&doc, "ingredients[ethoxydiglycol].measure", "4.2 mL");
    expect(&doc, "ingredients[ethoxydiglycol].weigh", "4.1496 g");
    expect(&doc, "qs.weigh", "90.3504 g");
    // Drops 50 mg/mL at 20 drops/mL: 2.5 mg per drop, 600 drops in 30 mL.
    let doc = batch_json("ketamine-hcl-sublingual-drops-50", &[]);
    expect(&doc, "ingredients[ketamine-hcl].weigh", "1.5 g");
    expect(&doc, "strengths[ketamine-hcl].per_dose", "2.5 mg");
    expect_json(&doc, "doses", 600.into());
    // Oral solution 10 mg/mL, 100 mL: 1 g; no device, so no doses.
    let doc = batch_json("ketamine-hcl-oral-solution-10", &[]);
    expect(&doc, "ingredients[ketamine-hcl].weigh", "1 g");
    expect(&doc, "ingredients[sucralose].weigh", "100 mg");
    expect_json(&doc, "doses", Value::Null);
    expect_json(&doc, "strengths[ketamine-hcl].per_dose", Value::Null);
}

// ---------------------------------------------------------------------------------------
// DOMAIN.md §12
// ---------------------------------------------------------------------------------------

/// Loads a formula from text and computes a batch on 2026-11-26.
fn compute_text(text: &str, options: impl FnOnce(&mut Options)) -> Batch {
    let loaded = load_str(text);
    let formula = loaded.formula.unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
    let mut o = Options::new(jiff::civil::date(2026, 11, 26));
    options(&mut o);
    compute(&formula, &o).unwrap_or_else(|e| panic!("{e}"))
}

fn line<'a>(b: &'a Batch, id: &str) -> &'a Line {
    b.lines.iter().find(|l| l.id == id).unwrap_or_else(|| panic!("no line `{id}`"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

/// Replaces exactly one occurrence of `from` in `text`.
fn with(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "`{from}` should occur once");
    text.replacen(from, to, 1)
}

/// A one-active liquid (volume basis) formula.
fn liquid(form: &str, quantity: &str, active: &str, extra: &str) -> String {
    format!(
        r#"format = 1
id = "problem"
name = "Problem"
revision = 1
dosage_form = "{form}"
route = "oral"
water = "aqueous"
preserved = true
storage = "refrigerator"
{extra}
[batch]
quantity = "{quantity}"

{active}

[[ingredients]]
id = "vehicle"
name = "Vehicle"
role = "vehicle"
amount = "qs"
"#
    )
}

/// Source: DOMAIN.md §12 problem 10 — 3.6 g of niacinamide in 90 g of a 4% gel.
#[test]
fn problem_10_niacinamide_in_a_gel() {
    let b = compute_text(
        r#"format = 1
id = "niacinamide-gel-4"
name = "Niacinamide 4% Gel"
revision = 1
dosage_form = "gel"
route = "topical"
water = "aqueous"
preserved = true
storage = "room-temperature"

[batch]
quantity = "90 g"

[[ingredients]]
id = "niacinamide"
name = "Niacinamide"
role = "active"
amount = "4 %w/w"
basis = "base"

[[ingredients]]
id = "gel-base"
name = "Gel base"
role = "base"
amount = "qs"
"#,
        |_| {},
    );
    assert_eq!(line(&b, "niacinamide").weigh.map(Mass::mg), Some(d("3600")));
    assert_eq!(b.compounded().unwrap().qs.weigh.map(Mass::mg), Some(d("86400")));
}

/// Source: DOMAIN.md §12 problem 14 — 1:2500 w/v is 0.4 mg/mL.
#[test]
fn problem_14_ratio_strength_in_mg_per_ml() {
    let a = Amount::parse("1:2500 w/v").unwrap();
    assert_eq!(a.to_base().unwrap().unwrap(), d("0.4"));
    // The same as 0.04 %w/v, read by `Quantity`.
    assert_eq!(Quantity::parse("0.04 %w/v").unwrap().to_base().unwrap(), d("0.4"));
    // And through the engine: 0.4 mg/mL × 100 mL = 40 mg.
    let active = r#"[[ingredients]]
id = "epinephrine"
name = "Epinephrine"
role = "active"
amount = "1:2500 w/v"
basis = "base""#;
    let b = compute_text(&liquid("oral-solution", "100 mL", active, ""), |_| {});
    assert_eq!(line(&b, "epinephrine").weigh.map(Mass::mg), Some(d("40")));
}

/// Source: DOMAIN.md §12 problem 15 — 20 mL of 0.40% w/v timolol holds 80 mg.
#[test]
fn problem_15_percent_w_v_to_mg() {
    let per_ml = Quantity::parse("0.40 %w/v").unwrap().to_base().unwrap();
    assert_eq!(per_ml, d("4"));
    assert_eq!(per_ml * Quantity::parse("20 mL").unwrap().to_base().unwrap(), d("80"));
    let active = r#"[[ingredients]]
id = "timolol"
name = "Timolol maleate"
role = "active"
amount = "0.40 %w/v"
basis = "salt""#;
    let b = compute_text(&liquid("oral-solution", "20 mL", active, ""), |_| {});
    assert_eq!(line(&b, "timolol").weigh.map(Mass::mg), Some(d("80")));
}

/// Source: DOMAIN.md §12 problem 16 — 1% w/v ibuprofen: 50 mg per 5 mL teaspoonful.
#[test]
fn problem_16_mg_per_teaspoonful() {
    let active = r#"[[ingredients]]
id = "ibuprofen"
name = "Ibuprofen"
role = "active"
amount = "1 %w/v"
basis = "base""#;
    let device = "\n[device]\ndose = \"dose\"\nvolume = \"5 mL\"\n";
    let b = compute_text(&liquid("oral-solution", "70 mL", active, device), |_| {});
    assert_eq!(b.strengths[0].per_dose.map(Mass::mg), Some(d("50")));
    assert_eq!(line(&b, "ibuprofen").weigh.map(Mass::mg), Some(d("700")));
    // 70 mL ÷ 5 mL = 14 doses.
    assert_eq!(b.compounded().unwrap().doses.map(DoseCount::doses), Some(d("14")));
}

/// Source: DOMAIN.md §12 problem 18 — 25 mL of 0.2% needs 50 mg (one 50 mg tablet).
#[test]
fn problem_18_sildenafil_otic_drops() {
    let active = r#"[[ingredients]]
id = "sildenafil"
name = "Sildenafil"
role = "active"
amount = "0.2 %w/v"
basis = "salt""#;
    let b = compute_text(&liquid("oral-solution", "25 mL", active, ""), |_| {});
    assert_eq!(line(&b, "sildenafil").required.value(), d("50"));
    assert_eq!(line(&b, "sildenafil").weigh.map(Mass::mg), Some(d("50")));
}

/// Source: DOMAIN.md §12 problem 19 — 1.2 mL of polysorbate 80 (SG 1.08) weighs 1.296 g.
#[test]
fn problem_19_volume_to_mass_by_specific_gravity() {
    let b = compute_text(
        r#"format = 1
id = "cream-with-polysorbate"
name = "Cream"
revision = 1
dosage_form = "cream"
route = "topical"
water = "aqueous"
preserved = true
storage = "room-temperature"

[batch]
quantity = "30 g"

[[ingredients]]
id = "lidocaine"
name = "Lidocaine"
role = "active"
amount = "5 %w/w"
basis = "base"

[[ingredients]]
id = "polysorbate-80"
name = "Polysorbate 80"
role = "excipient"
amount = "1.2 mL"
density = "1.08 g/mL"
measure = "volume"

[[ingredients]]
id = "base"
name = "Cream base"
role = "base"
amount = "qs"
"#,
        |_| {},
    );
    let p = line(&b, "polysorbate-80");
    assert_eq!(p.weigh.map(Mass::mg), Some(d("1296")));
    assert_eq!(p.measure.map(Volume::ml), Some(d("1.2")));
    // Rev. 3 (SPEC §12.1): 1.2 mL is measured on the 3 mL syringe, to its 0.1 mL marks.
    assert_eq!(p.measure_rounded.map(|v| v.ml().to_string()), Some("1.2".to_string()));
    assert_eq!(p.syringe.map(|s| (s.capacity.ml(), s.graduation.ml())), Some((d("3"), d("0.1"))));
    // 30 g − 1.5 g − 1.296 g.
    assert_eq!(b.compounded().unwrap().qs.weigh.map(Mass::mg), Some(d("27204")));
}

/// Source: DOMAIN.md §12 problem 29 — the minimum weight for d = 0.1 mg is 2000 × 0.041 = 82 mg.
#[test]
fn problem_29_minimum_weight_for_a_tenth_of_a_milligram() {
    // One troche: its actives go through aliquots by mass, whose portions are the minimum weight.
    let doc = batch_json("ketamine-hcl-troche-50", &["--quantity", "1"]);
    let w = doc["warnings"].as_array().unwrap().iter().find(|w| w["code"] == "below-minimum-weight").unwrap();
    let plan = &w["aliquot"];
    assert!(!plan.is_null(), "{w}");
    expect(plan, "take", "82 mg");
}

/// Source: DOMAIN.md §12 problem 30 — 12 mg with an MWQ of 120 mg: weigh 120 mg of drug,
/// make up to 1200 mg, take 120 mg, which holds 12 mg.
#[test]
fn problem_30_aliquot_for_12_mg() {
    // A trituration (SPEC §7.4, by mass): 12 mg in 30 g of a cream at 0.04% w/w.
    let text = with(
        &with(
            &liquid("cream", "30 g", DRUG_0_04_WW, ""),
            "water = \"aqueous\"\npreserved = true\nstorage = \"refrigerator\"",
            "water = \"nonaqueous\"\nstorage = \"room-temperature\"",
        ),
        "role = \"vehicle\"",
        "role = \"base\"",
    );
    let b = compute_text(&text, |o| o.min_weight = Some(Mass::from_mg(d("120"))));
    let w = b.warnings.iter().find(|w| w.code == "below-minimum-weight").unwrap();
    let plan = w.aliquot.as_ref().unwrap();
    assert_eq!(plan.needed.mg(), d("12"));
    assert_eq!(plan.factor, 10);
    assert_eq!(plan.weigh.mg(), d("120"));
    // 120 mg drug + 1080 mg diluent = 1200 mg; a 120 mg portion holds 12 mg.
    assert_eq!(plan.total.value(), d("1200"));
    assert_eq!(plan.take.value(), d("120"));
    assert_eq!(plan.total.value() - plan.weigh.mg(), d("1080"));
    assert_eq!(plan.diluent, "vehicle");
    // The portion brings 108 mg of base; that much less comes from the base's jar.
    assert_eq!(b.compounded().unwrap().qs.in_aliquots.map(Mass::mg), Some(d("108")));
    assert_eq!(line(&b, "vehicle").weigh.map(Mass::mg), Some(d("30000") - d("12") - d("108")));
}

const DRUG_0_04_WW: &str = r#"[[ingredients]]
id = "drug"
name = "Drug"
role = "active"
amount = "0.04 %w/w"
basis = "base""#;

/// A troche of `per_unit` of ketamine stated as `basis`, for the salt/base problems.
fn one_troche(per_unit: &str, basis: &str) -> String {
    with(
        &with(
            &read("tests/fixtures/cases/troche-displacement-070/ketamine-hcl-troche-50.toml"),
            "amount = \"50 mg/troche\"",
            &format!("amount = \"{per_unit}\""),
        ),
        "basis = \"salt\"",
        &format!("basis = \"{basis}\""),
    )
}

/// Source: DOMAIN.md §12 problem 34 — 50 mg of ketamine base is 57.668 mg of the HCl
/// (the label's 57.67 mg at 0.01 mg).
#[test]
fn problem_34_hcl_for_50_mg_base() {
    let b = compute_text(&one_troche("50 mg/troche", "base"), |o| {
        o.quantity = Some(BatchSize::Count(Count::from_units(Decimal::ONE)));
        o.overage = Some(ketacalc::formula::Overage::Amount(BatchSize::Count(Count::ZERO)));
        o.readability = Mass::from_mg(d("0.001"));
    });
    let k = line(&b, "ketamine-hcl");
    let exact = k.weigh.unwrap().mg();
    assert!((exact - d("57.6683")).abs() < d("0.0001"), "{exact}");
    assert_eq!(k.weigh_rounded.unwrap().mg().to_string(), "57.668");
    let other = b.strengths[0].other_basis.unwrap();
    assert_eq!(other.basis, ketacalc::formula::StrengthBasis::Salt);
    assert_eq!(other.concentration.value, exact);
    // One troche is one dose: its amount in the salt is what is weighed for it.
    assert_eq!(other.per_dose.map(|m| m.mg()), Some(exact));
    let b = compute_text(&one_troche("50 mg/troche", "base"), |o| {
        o.quantity = Some(BatchSize::Count(Count::from_units(Decimal::ONE)));
        o.overage = Some(ketacalc::formula::Overage::Amount(BatchSize::Count(Count::ZERO)));
        o.readability = Mass::from_mg(d("0.01"));
    });
    assert_eq!(line(&b, "ketamine-hcl").weigh_rounded.unwrap().mg().to_string(), "57.67");
}

/// Source: DOMAIN.md §12 problem 35 — 100 mg of base is 115.337 mg of HCl exactly; the
/// label's 115.33 comes from a truncated factor (1.1533), which ketacalc never stores:
/// rounded half away from zero at 0.01 mg it is 115.34.
#[test]
fn problem_35_hcl_for_100_mg_base() {
    let doc = case(
        "nasal-spray-base-assay",
        "ketamine-nasal-spray-100-base.toml",
        &["--date", DATE, "--quantity", "1mL", "--readability", "0.001mg", "--min-volume", "0.1mL"],
    );
    expect_json(
        &doc,
        "ingredients[ketamine-hcl].weigh_rounded",
        serde_json::json!({"value": "115.337", "unit": "mg"}),
    );
    let doc = case(
        "nasal-spray-base-assay",
        "ketamine-nasal-spray-100-base.toml",
        &["--date", DATE, "--quantity", "1mL", "--readability", "0.01mg", "--min-volume", "0.1mL"],
    );
    expect_json(
        &doc,
        "ingredients[ketamine-hcl].weigh_rounded",
        serde_json::json!({"value": "115.34", "unit": "mg"}),
    );
    expect_within(&doc, "strengths[ketamine-hcl].other_basis.concentration", "115.337 mg/mL", "0.0005");
}

/// Source: DOMAIN.md §12 problem 36 — 28 mg of esketamine (one Spravato device, 2 sprays
/// of 0.1 mL at 140 mg/mL base) is 32.3 mg of esketamine HCl (32.294 exact).
#[test]
fn problem_36_esketamine_hcl_for_28_mg() {
    let active = r#"[[ingredients]]
id = "esketamine-hcl"
name = "Esketamine Hydrochloride"
role = "active"
amount = "140 mg/mL"
basis = "base"
molecular_weight = "274.19"
base_molecular_weight = "237.73"
schedule = "CIII""#;
    let device = "\n[device]\ndose = \"spray\"\nvolume = \"0.1 mL\"\n";
    let text =
        with(&liquid("nasal-spray", "0.2 mL", active, device), "route = \"oral\"", "route = \"nasal\"");
    // 32.3 mg is below the minimum weight; its aliquot is measured in 0.1 mL portions.
    let b = compute_text(&text, |o| o.min_volume = Some(Volume::from_ml(d("0.1"))));
    let e = line(&b, "esketamine-hcl");
    assert_eq!(e.required.value(), d("28"));
    assert!((e.weigh.unwrap().mg() - d("32.294")).abs() < d("0.0005"), "{:?}", e.weigh);
    assert_eq!(e.weigh_rounded.unwrap().mg().to_string(), "32.3");
    assert_eq!(b.compounded().unwrap().doses.map(DoseCount::doses), Some(d("2")));
    assert_eq!(b.strengths[0].per_dose.map(Mass::mg), Some(d("14")));
}

/// Source: DOMAIN.md §12 problem 37 — 100 mg of ketamine HCl holds 86.703 mg of base.
#[test]
fn problem_37_base_in_100_mg_hcl() {
    let doc = batch_json("ketamine-hcl-nasal-spray-100", &[]);
    // 100 mg/mL (salt) = 86.703 mg/mL (base).
    expect_within(&doc, "strengths[ketamine-hcl].other_basis.concentration", "86.703 mg/mL", "0.0005");
    expect_within(&doc, "strengths[ketamine-hcl].other_basis.concentration", "86.70265 mg/mL", "0.000005");
}

/// Source: DOMAIN.md §12 problem 38 — 10 mL at 100 mg/mL declared as base, CoA assay
/// 99.5% as is: weigh 1.1592 g of ketamine HCl.
#[test]
fn problem_38_base_declared_spray_with_assay() {
    let doc = case(
        "nasal-spray-base-assay",
        "ketamine-nasal-spray-100-base.toml",
        &["--assay", "ketamine-hcl=99.5%", "--date", DATE],
    );
    expect(&doc, "ingredients[ketamine-hcl].weigh_rounded", "1.1592 g");
    expect_within(&doc, "ingredients[ketamine-hcl].weigh", "1.1591630807 g", "0.0000000001");
    let trail = select(&doc, "ingredients[ketamine-hcl].calculation").to_string();
    assert!(trail.contains("274.19/237.73") && trail.contains("99.5%"), "{trail}");
}

/// Source: DOMAIN.md §12 problem 39 — 1.000 g of ketamine HCl from a lot with 99.8% assay
/// (dried basis) and 0.3% loss on drying: weigh 1.00502 g.
#[test]
fn problem_39_assay_on_the_dried_basis_with_lod() {
    let doc = batch_json(
        "ketamine-hcl-nasal-spray-100",
        &[
            "--quantity",
            "10mL",
            "--overage",
            "0%",
            "--assay",
            "ketamine-hcl=99.8%",
            "--lod",
            "ketamine-hcl=0.3%",
            "--readability",
            "0.01mg",
        ],
    );
    expect(&doc, "ingredients[ketamine-hcl].required", "1 g");
    expect_json(
        &doc,
        "ingredients[ketamine-hcl].weigh_rounded",
        serde_json::json!({"value": "1.00502", "unit": "g"}),
    );
    // 1000 ÷ (0.998 × 0.997) = 1005.019065…
    expect_within(&doc, "ingredients[ketamine-hcl].weigh", "1005.019065 mg", "0.000001");
    // The default 0.1 mg balance: 1.0050 g.
    let doc = batch_json(
        "ketamine-hcl-nasal-spray-100",
        &["--overage", "0%", "--assay", "ketamine-hcl=99.8%", "--lod", "ketamine-hcl=0.3%"],
    );
    expect_json(
        &doc,
        "ingredients[ketamine-hcl].weigh_rounded",
        serde_json::json!({"value": "1.0050", "unit": "g"}),
    );
}

/// Source: DOMAIN.md §12 problem 40 — 12 acetaminophen 300 mg suppositories, blank 2.0 g,
/// density factor 1.5: 21.6 g of base and 3.6 g of acetaminophen (molded like a troche).
#[test]
fn problem_40_density_factor() {
    let b = compute_text(
        r#"format = 1
id = "acetaminophen-300"
name = "Acetaminophen 300 mg (molded)"
revision = 1
dosage_form = "troche"
route = "buccal"
water = "nonaqueous"
storage = "room-temperature"

[batch]
quantity = "12"

[mold]
blank_weight = "2.0 g"

[[ingredients]]
id = "acetaminophen"
name = "Acetaminophen"
role = "active"
amount = "300 mg/unit"
basis = "base"
density_factor = "1.5"

[[ingredients]]
id = "base"
name = "Base"
role = "base"
amount = "qs"
"#,
        |_| {},
    );
    assert_eq!(line(&b, "acetaminophen").weigh.map(Mass::mg), Some(d("3600")));
    assert_eq!(b.compounded().unwrap().qs.weigh.map(Mass::mg), Some(d("21600")));
    // (21.6 + 3.6) ÷ 12 = 2.1 g: 1.8 g of base per unit plus the 0.3 g of drug.
    assert_eq!(b.compounded().unwrap().unit_weight.map(Mass::mg), Some(d("2100")));
}

fn troche_case() -> String {
    read("tests/fixtures/cases/troche-displacement-070/ketamine-hcl-troche-50.toml")
}

/// Source: DOMAIN.md §12 problem 41 — 30 troches of 50 mg computed for 32, blank 1.000 g,
/// f = 0.70: drug 1.600 g, base 30.880 g, unit weight 1.015 g.
#[test]
fn problem_41_troche_displacement_070() {
    let b = compute_text(&troche_case(), |_| {});
    assert_eq!(b.compounded().unwrap().prepared.value(), d("32"));
    assert_eq!(line(&b, "ketamine-hcl").weigh.map(Mass::mg), Some(d("1600")));
    assert_eq!(b.compounded().unwrap().qs.weigh.map(Mass::mg), Some(d("30880")));
    assert_eq!(b.compounded().unwrap().unit_weight.map(Mass::mg), Some(d("1015")));
}

/// Source: DOMAIN.md §12 problem 42 — the same with 1:1 replacement: base 30.400 g.
#[test]
fn problem_42_troche_one_to_one() {
    let text = with(&troche_case(), "displacement_factor = \"0.70\"", "displacement_factor = \"1\"");
    let b = compute_text(&text, |_| {});
    assert_eq!(b.compounded().unwrap().qs.weigh.map(Mass::mg), Some(d("30400")));
    assert_eq!(b.compounded().unwrap().unit_weight.map(Mass::mg), Some(d("1000")));
    // Without any factor, one-to-one is assumed, with a warning.
    let text = with(&troche_case(), "displacement_factor = \"0.70\"\n", "");
    let b = compute_text(&text, |_| {});
    assert_eq!(b.compounded().unwrap().qs.weigh.map(Mass::mg), Some(d("30400")));
    assert!(b.warnings.iter().any(|w| w.code == "assumed-one-to-one"), "{:?}", b.warnings);
}

/// Source: DOMAIN.md §12 problem 43 — 50 mg of base per troche: HCl 1.8454 g; base
/// (f = 0.70) 30.7082 g.
#[test]
fn problem_43_troche_declared_as_base() {
    let b = compute_text(&one_troche("50 mg/troche", "base"), |_| {});
    let k = line(&b, "ketamine-hcl");
    assert_eq!(k.weigh_rounded.unwrap().mg().to_string(), "1845.4");
    assert_eq!(
        b.compounded().unwrap().qs.weigh.map(|w| ketacalc::rounding::RoundingPolicy::new(d("0.1"))
            .unwrap()
            .round(w.mg())
            .unwrap()
            .to_string()),
        Some("30708.2".to_string())
    );
    // 32 × 50 × 274.19 ÷ 237.73, and 32000 − 0.7 × that.
    let exact = d("1600") * d("274.19") / d("237.73");
    assert!((k.weigh.unwrap().mg() - exact).abs() < d("0.0000000001"));
    assert!(
        (b.compounded().unwrap().qs.weigh.unwrap().mg() - (d("32000") - d("0.7") * exact)).abs()
            < d("0.0000000001")
    );
    // The JSON carries 1.8454 g.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.toml");
    std::fs::write(&path, one_troche("50 mg/troche", "base")).unwrap();
    let doc = batch_json(path.to_str().unwrap(), &[]);
    expect_json(
        &doc,
        "ingredients[ketamine-hcl].weigh_rounded",
        serde_json::json!({"value": "1.8454", "unit": "g"}),
    );
    expect_json(
        &doc,
        "ingredients[troche-base].weigh_rounded",
        serde_json::json!({"value": "30.7082", "unit": "g"}),
    );
}

/// Source: DOMAIN.md §12 problem 44 — 96 ketamine HCl 50 mg RDTs, blank 96 × 750 mg,
/// flavours 0.70 g, 1:1: API 4.800 g, base 66.500 g; with the × 1.07 overage 5.136 g and
/// 71.155 g.
#[test]
fn problem_44_rdt_one_to_one() {
    let file = "rdt-one-to-one-overage";
    let doc = case(file, "ketamine-hcl-rdt-50.toml", &["--date", DATE, "--overage", "0%"]);
    expect(&doc, "prepared", "96 units");
    expect(&doc, "ingredients[ketamine-hcl].weigh", "4.8 g");
    expect(&doc, "qs.weigh", "66.5 g");
    let doc = case(file, "ketamine-hcl-rdt-50.toml", &["--date", DATE]);
    expect(&doc, "ingredients[ketamine-hcl].weigh", "5.136 g");
    expect(&doc, "qs.weigh", "71.155 g");
}

/// Source: DOMAIN.md §12 problem 45 — 105 g of ketamine HCl 10% / gabapentin 6% / baclofen
/// 2% with 4 mL ethoxydiglycol (SG 0.988): 10.500, 6.300, 2.100, 3.952 g; base 82.148 g.
/// The worked case's own copy of the formula is that single 105 g batch.
#[test]
fn problem_45_kgb_cream() {
    let doc =
        case("cream-kgb-topiclick", "ketamine-gabapentin-baclofen-cream.toml", &["--date", "2026-11-26"]);
    for (id, want) in [
        ("ketamine-hcl", "10.5000"),
        ("gabapentin", "6.3000"),
        ("baclofen", "2.1000"),
        ("ethoxydiglycol", "3.9520"),
        ("cream-base", "82.1480"),
    ] {
        expect_json(
            &doc,
            &format!("ingredients[{id}].weigh_rounded"),
            serde_json::json!({"value": want, "unit": "g"}),
        );
    }
}

/// DOMAIN.md §4.3 as the built-in formula writes it (SPEC §13): 100 g dispensed with a 5%
/// overage, prepared 105 g. The actives are DOMAIN's 10.500, 6.300 and 2.100 g; the levigant
/// is written per 100 g dispensed, so its 4 mL scales to 4.2 mL (4.1496 g at SG 0.988) and
/// the base is 105 − 10.5 − 6.3 − 2.1 − 4.1496 = 81.9504 g. The label says 100 g.
#[test]
fn the_built_in_kgb_cream_is_100_g_with_a_5_percent_overage() {
    let doc = batch_json("ketamine-gabapentin-baclofen-cream", &[]);
    expect(&doc, "quantity", "100 g");
    expect(&doc, "prepared", "105 g");
    expect(&doc, "ingredients[ketamine-hcl].weigh", "10.5 g");
    expect(&doc, "ingredients[gabapentin].weigh", "6.3 g");
    expect(&doc, "ingredients[baclofen].weigh", "2.1 g");
    expect(&doc, "ingredients[ethoxydiglycol].measure", "4.2 mL");
    expect(&doc, "ingredients[ethoxydiglycol].weigh", "4.1496 g");
    expect(&doc, "qs.weigh", "81.9504 g");
    expect(&doc, "strengths[ketamine-hcl].per_dose", "25 mg");
    // 10% of what is dispensed is in the product; the overage's 0.5 g is waste.
    expect(&doc, "controlled[ketamine-hcl].in_product", "10 g");
    expect(&doc, "controlled[ketamine-hcl].overage_loss", "0.5 g");
    let r = finish(ketacalc().args(["label", "ketamine-gabapentin-baclofen-cream", "--date", DATE]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Quantity: 100 g\n"), "{}", r.stdout);
    assert!(!r.stdout.contains("105 g"), "{}", r.stdout);
}

/// Source: DOMAIN.md §12 problem 46 — a 10% w/w cream at SG 1.00 gives 25.0 mg of
/// ketamine HCl per 0.25 mL click; at SG 0.98, 24.5 mg.
#[test]
fn problem_46_per_click() {
    let doc = batch_json("ketamine-hcl-cream-10", &[]);
    expect(&doc, "strengths[ketamine-hcl].per_dose", "25 mg");
    expect_json(&doc, "strengths[ketamine-hcl].dose", "click".into());
    let text = with(
        &read("formulas/ketamine-hcl-cream-10.toml"),
        "density = \"1.00 g/mL\"",
        "density = \"0.98 g/mL\"",
    );
    let b = compute_text(&text, |_| {});
    assert_eq!(b.strengths[0].per_dose.map(Mass::mg), Some(d("24.5")));
    // The label strength itself does not change with the density.
    let c = b.strengths[0].concentration;
    assert_eq!((c.value, c.unit), (d("10"), ketacalc::unit::Unit::PercentWW));
}

#[test]
fn decimal_helpers() {
    assert_eq!(to_base(d("1.5"), "g"), (d("1500"), "mg"));
    assert_eq!(to_base(d("10"), "%w/w"), (d("100"), "mg/g"));
    assert_eq!(split("82.148 g"), (d("82.148"), "g"));
    assert_eq!(split("30 units"), (d("30"), "units"));
    let doc = serde_json::json!({"a": [{"id": "x", "b": {"value": "1.0500", "unit": "g"}}]});
    expect(&doc, "a[x].b", "1050 mg");
    assert_eq!(Decimal::from_str("1.0").unwrap(), d("1"));
}

// ---------------------------------------------------------------------------------------
// Beyond-use dates (SPEC §3.10; DOMAIN.md §7.3)
// ---------------------------------------------------------------------------------------

/// A liquid of `form` with the given water category and preservation, plus `extra`
/// top-level keys.
fn bud_of(
    form: &str,
    water: &str,
    preserved: bool,
    extra: &str,
    expiries: &[(&str, &str)],
) -> ketacalc::calc::Bud {
    let device = if form == "nasal-spray" { "[device]\ndose = \"spray\"\nvolume = \"0.1 mL\"\n" } else { "" };
    let text = format!(
        "format = 1\nid = \"b\"\nname = \"B\"\nrevision = 1\ndosage_form = \"{form}\"\nroute = \"oral\"\n\
         water = \"{water}\"\npreserved = {preserved}\nstorage = \"refrigerator\"\n{extra}\n\
         [batch]\nquantity = \"30 mL\"\n\n{device}\n\
         [[ingredients]]\nid = \"ketamine-hcl\"\nname = \"K\"\nrole = \"active\"\namount = \"10 mg/mL\"\n\
         basis = \"salt\"\nschedule = \"CIII\"\n\n\
         [[ingredients]]\nid = \"vehicle\"\nname = \"V\"\nrole = \"vehicle\"\namount = \"qs\"\n"
    );
    let b = compute_text(&text, |o| {
        for (id, e) in expiries {
            o.lot_mut(id).expiry = Some(e.parse().unwrap());
        }
    });
    b.bud
}

/// Source: SPEC §3.10 table (USP <795>, 2023): 14, 35, 90 and 180 days.
#[test]
fn bud_rules_of_usp_795() {
    use ketacalc::calc::{BudRule, Period};
    let b = bud_of("oral-solution", "aqueous", false, "", &[]);
    assert_eq!(
        (b.rule, b.period, b.date.to_string()),
        (BudRule::AqueousNonpreserved, Period::Days(14), "2026-12-10".to_string())
    );
    let b = bud_of("nasal-spray", "aqueous", true, "", &[]);
    assert_eq!(
        (b.rule, b.period, b.date.to_string()),
        (BudRule::AqueousPreserved, Period::Days(35), "2026-12-31".to_string())
    );
    let b = bud_of("oral-solution", "nonaqueous", false, "", &[]);
    assert_eq!(
        (b.rule, b.period, b.date.to_string()),
        (BudRule::NonaqueousOralLiquid, Period::Days(90), "2027-02-24".to_string())
    );
    let b =
        bud_of("sublingual-drops", "nonaqueous", false, "[device]\ndose = \"drop\"\nper_ml = \"20\"\n", &[]);
    assert_eq!((b.rule, b.period), (BudRule::NonaqueousOralLiquid, Period::Days(90)));
    // Troches and creams: the case files and the built-in formulary.
    let doc = batch_json("ketamine-hcl-troche-50", &[]);
    expect_json(
        &doc,
        "bud",
        serde_json::json!({"date": "2027-05-25", "days": 180, "rule": "usp795-nonaqueous", "limited_by": null}),
    );
}

/// Source: SPEC §3.10 — a formula's own `bud_days` with `bud_reference` (rule `formula`),
/// still capped by the earliest component expiry.
#[test]
fn bud_override_of_the_formula() {
    use ketacalc::calc::{BudRule, Period};
    let extra = "bud_days = 60\nbud_reference = \"Ancedy et al., AJHP 2021\"\n";
    let b = bud_of("oral-solution", "aqueous", true, extra, &[]);
    assert_eq!(
        (b.rule, b.period, b.date.to_string()),
        (BudRule::Formula, Period::Days(60), "2027-01-25".to_string())
    );
    assert_eq!(b.rule.as_str(), "formula");
    let b = bud_of(
        "oral-solution",
        "aqueous",
        true,
        extra,
        &[("vehicle", "2027-01-01"), ("ketamine-hcl", "2027-01-10")],
    );
    assert_eq!(
        (b.rule, b.period, b.date.to_string()),
        (BudRule::Formula, Period::Days(36), "2027-01-01".to_string())
    );
    assert_eq!(b.limited_by.as_deref(), Some("vehicle"));
    let b = bud_of("oral-solution", "aqueous", true, "bud_days = 180\nbud_reference = \"study\"\n", &[]);
    assert_eq!((b.period, b.date.to_string()), (Period::Days(180), "2027-05-25".to_string()));
}
