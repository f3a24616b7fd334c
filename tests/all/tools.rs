//! The pharmacy calculations of SPEC §9 through the command line: every calculation
//! problem of DOMAIN.md §12 A–C (and the salt problems of D), each with its exact answer
//! and the source's rounded figure; the public case `cases/calculators/`; exit statuses
//! and messages of every refusal; the JSON shape; and property tests on the library.
//!
//! Expected values come from DOMAIN.md (the problem's stated answer, or the arithmetic it
//! shows, redone here with exact decimals), never from ketacalc's own output. A rounded
//! source figure is checked by rounding the exact answer half away from zero
//! (`RoundingPolicy`, the one rule of SPEC §3.8) to the source's places.

use ketacalc::rounding::RoundingPolicy;
use ketacalc::tools::{self, Answer, ValueUnit};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::cli::{Run, finish, ketacalc, root};

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap_or_else(|e| panic!("`{s}`: {e}"))
}

/// `ketacalc ARGS`.
fn tool(args: &[&str]) -> Run {
    finish(ketacalc().args(args))
}

/// `ketacalc ARGS --format json`, which must succeed.
fn json(args: &[&str]) -> Value {
    let r = finish(ketacalc().args(args).args(["--format", "json"]));
    assert_eq!(r.code, 0, "{args:?}:\n{}", r.stderr);
    assert!(r.stderr.is_empty(), "{args:?} wrote to stderr:\n{}", r.stderr);
    r.json()
}

/// The quantity at `path` (`result`, `result.a`, `per_drop`), as (value, unit).
fn quantity(doc: &Value, path: &str) -> (Decimal, String) {
    let mut cur = doc;
    for key in path.split('.') {
        cur = cur.get(key).unwrap_or_else(|| panic!("{path}: no `{key}` in {doc}"));
    }
    let value = cur["value"].as_str().unwrap_or_else(|| panic!("{path} is not a quantity: {cur}"));
    let unit = cur["unit"].as_str().unwrap_or_else(|| panic!("{path} is not a quantity: {cur}"));
    (d(value), unit.to_string())
}

/// `value` rounded half away from zero to `step`, as the source would print it.
fn rounded(value: Decimal, step: &str) -> String {
    RoundingPolicy::new(d(step)).unwrap().round(value).unwrap().to_string()
}

/// The quantity at `path` is exactly `value unit`.
#[track_caller]
fn exact(doc: &Value, path: &str, value: &str, unit: &str) -> Decimal {
    let (v, u) = quantity(doc, path);
    assert_eq!((v, u.as_str()), (d(value), unit), "{path} in {doc}");
    v
}

// ---------------------------------------------------------------------------------------
// DOMAIN §12 A: percent, ratio strength, dilution
// ---------------------------------------------------------------------------------------

/// Problem 1: "How many grams of HC 2.5% must be mixed with HC 1% to prepare 30 g of
/// 1.5%?" → 10 g of 2.5% and 20 g of 1%. Source: mis.kyeop.
#[test]
fn problem_01_alligation_to_make_a_quantity() {
    let doc = json(&["mix", "2.5%w/w", "1%w/w", "--make", "30g", "--at", "1.5%w/w"]);
    exact(&doc, "result.a", "10", "g");
    exact(&doc, "result.b", "20", "g");
    exact(&doc, "result.total", "30", "g");
}

/// Problem 2: "How many grams of 2.5% HC ointment must be mixed with 240 g of 0.25% to
/// make 1%?" → 120 g (240 × 0.75 ÷ 1.5). Source: sciemce/qoschin.
#[test]
fn problem_02_alligation_to_a_quantity_at_hand() {
    let doc = json(&["mix", "2.5%w/w", "--have", "240g@0.25%w/w", "--at", "1%w/w"]);
    exact(&doc, "result.a", "120", "g");
    exact(&doc, "result.b", "240", "g");
    exact(&doc, "result.total", "360", "g");
    assert!(doc["calculation"][1].as_str().unwrap().contains("240 g × 0.75 ÷ 1.5 = 120 g"), "{doc}");
}

/// Problem 3: "What quantities of 0.1% and 0.5% triamcinolone make 100 g of 0.2%?" →
/// 75 g of 0.1% + 25 g of 0.5%. Source: Sundell & White.
#[test]
fn problem_03_triamcinolone() {
    let doc = json(&["mix", "0.1%w/w", "0.5%w/w", "--make", "100g", "--at", "0.2%w/w"]);
    exact(&doc, "result.a", "75", "g");
    exact(&doc, "result.b", "25", "g");
}

/// Problem 4: "How much 20% and 5% HC cream make 50 g of 9%?" → 50 × 4/15 = 13.3333… g
/// and 50 × 11/15 = 36.6666… g; the source rounds to 13.3 g and 36.7 g.
#[test]
fn problem_04_repeating_quantities() {
    let doc = json(&["mix", "20%w/w", "5%w/w", "--make", "50g", "--at", "9%w/w"]);
    let a = exact(&doc, "result.a", "13.333333333333333333333333333", "g");
    let b = exact(&doc, "result.b", "36.666666666666666666666666667", "g");
    assert_eq!(a + b, d("50"));
    // The exact fractions, to the 27 places the decimals hold.
    assert!((a - d("50") * d("4") / d("15")).abs() <= d("0.000000000000000000000000001"));
    assert_eq!((rounded(a, "0.1"), rounded(b, "0.1")), ("13.3".into(), "36.7".into()));
}

/// Problem 5: "How many grams of 0.5% HC must be mixed with 180 g of 2.5% to make 1%?"
/// → 540 g (0.005x + 4.5 = 0.01(180 + x)). Source: uonbi.
#[test]
fn problem_05_weaker_added_to_stronger() {
    let doc = json(&["mix", "0.5%w/w", "--have", "180g@2.5%w/w", "--at", "1%w/w"]);
    exact(&doc, "result.a", "540", "g");
    exact(&doc, "result.total", "720", "g");
}

/// Problem 6: "How many grams of 2.5% HC must be added to 30 g of 1% to make 1.5%?" →
/// 15 g ((0.375 + 0.3) ÷ 45 = 1.5%). Source: pharmacy-tech-test.
#[test]
fn problem_06_stronger_added_to_weaker() {
    let doc = json(&["mix", "2.5%w/w", "--have", "30g@1%w/w", "--at", "1.5%w/w"]);
    exact(&doc, "result.a", "15", "g");
    exact(&doc, "result.total", "45", "g");
}

/// Problem 7: "What is the resulting strength when 500 mL of 25% v/v ethanol is diluted
/// to 1.2 L?" → 25 × 500 ÷ 1200 = 10.41666…% (10.42%). AccessPharmacy review #1.
#[test]
fn problem_07_resulting_strength() {
    let doc = json(&["dilute", "500mL@25%v/v", "--to", "1.2L"]);
    let v = exact(&doc, "result", "10.416666666666666666666666667", "%v/v");
    assert_eq!(rounded(v, "0.01"), "10.42");
}

/// Problem 8: "What is the % w/v of 200 mg sodium benzoate in 90 mL?" → 0.2 ÷ 90 × 100
/// = 0.2222…% (0.22%). AccessPharmacy #3. Answered by the `strength` extension.
#[test]
fn problem_08_percent_of_an_amount_in_a_volume() {
    let doc = json(&["strength", "200mg", "--in", "90mL"]);
    let v = exact(&doc, "result", "0.2222222222222222222222222222", "%w/v");
    assert_eq!(rounded(v, "0.01"), "0.22");
}

/// Problem 9: "45 mL of a 5% suspension is diluted to 60 mL. What is the new strength?"
/// → 3.75%. AccessPharmacy #7.
#[test]
fn problem_09_diluted_suspension() {
    let doc = json(&["dilute", "45mL@5%w/v", "--to", "60mL"]);
    exact(&doc, "result", "3.75", "%w/v");
}

/// Problem 11: "What is 0.01% w/w as a ratio strength?" → 1:10,000. AccessPharmacy #8.
/// DOMAIN §12 problem 10: how many grams of niacinamide are in 90 g of a 4% gel? 3.6 g.
#[test]
fn problem_10_amount_in_a_mass() {
    let doc = json(&["amount", "4%w/w", "--in", "90g"]);
    exact(&doc, "result.amount", "3.6", "g");
    assert_eq!((&doc["result"]["units"], &doc["result"]["quotient"]), (&Value::Null, &Value::Null));
    let r = tool(&["amount", "4%w/w", "--in", "90g"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "3.6 g\n  4 %w/w = 40 mg/g\n  40 mg/g × 90 g = 3.6 g\n"));
}

/// DOMAIN §12 problem 15: how many mg are in 20 mL of 0.40% w/v timolol? 80 mg.
#[test]
fn problem_15_amount_in_a_volume() {
    exact(&json(&["amount", "0.40%w/v", "--in", "20mL"]), "result.amount", "80", "mg");
    let r = tool(&["amount", "0.40%w/v", "--in", "20mL"]);
    assert_eq!(r.stdout.lines().next(), Some("80 mg"));
}

/// DOMAIN §12 problem 16: 1% w/v ibuprofen: how many mg in a teaspoonful (5 mL)? 50 mg.
#[test]
fn problem_16_amount_per_teaspoonful() {
    exact(&json(&["amount", "1%w/v", "--in", "5mL"]), "result.amount", "50", "mg");
    assert_eq!(tool(&["amount", "1%w/v", "--in", "5mL"]).stdout.lines().next(), Some("50 mg"));
}

/// DOMAIN §12 problem 18: how many sildenafil 50 mg tablets make 25 mL of 0.2% drops?
/// 25 × 0.002 = 0.05 g = 50 mg → 1 tablet.
#[test]
fn problem_18_units_that_hold_the_amount() {
    let args = ["amount", "0.2%w/v", "--in", "25mL", "--per", "50mg"];
    let doc = json(&args);
    exact(&doc, "result.amount", "50", "mg");
    assert_eq!(doc["result"]["units"], 1);
    assert_eq!(doc["result"]["quotient"], "1");
    let r = tool(&args);
    assert_eq!(
        r.stdout,
        "amount    50 mg\nunits     1 of 50 mg\nquotient  1\n  0.2 %w/v = 2 mg/mL\n  2 mg/mL × 25 mL = 50 mg\n  50 mg ÷ 50 mg = 1: 1 unit\n"
    );
    // A part of a tablet more is a whole tablet more; the quotient stays exact.
    let doc = json(&["amount", "0.2%w/v", "--in", "30mL", "--per", "50mg"]);
    assert_eq!((&doc["result"]["units"], &doc["result"]["quotient"]), (&Value::from(2), &Value::from("1.2")));
}

/// A strength and a quantity of different kinds need the preparation's density: exit 1
/// without it, with a message that says so; with it, the amount.
#[test]
fn amount_of_another_kind_needs_the_density() {
    refused(
        &["amount", "4%w/w", "--in", "90mL"],
        &["`4 %w/w` is a w/w strength", "`90 mL` is a volume", "density"],
    );
    refused(&["amount", "0.4%w/v", "--in", "20g"], &["w/v strength", "`20 g` is a mass"]);
    let r = tool(&["amount", "4%w/w", "--in", "90mL"]);
    assert!(r.stderr.contains("help: add `--density`"), "{}", r.stderr);
    exact(&json(&["amount", "4%w/w", "--in", "90mL", "--density", "1.2g/mL"]), "result.amount", "4.32", "g");
    refused(&["amount", "0.4%w/v", "--in", "20mL", "--per", "5mL"], &["--per"]);
    refused(&["amount", "0%w/v", "--in", "20mL"], &["above zero"]);
}

#[test]
fn problem_11_percent_to_ratio() {
    let doc = json(&["convert", "0.01%w/w", "--to", "ratio"]);
    exact(&doc, "result", "10000", "1:N w/w");
    let text = tool(&["convert", "0.01%w/w", "--to", "ratio"]).stdout;
    assert!(text.starts_with("1:10000 w/w\n"), "{text}");
}

/// Problem 12: "How many mL of 1:750 benzalkonium chloride are needed for 15 mL of a
/// 0.01% w/v solution?" → 1.5 mg needed, the stock is 1.3333 mg/mL → 1.125 mL (1.1 mL).
/// AccessPharmacy #9. Answered as an alligation with the diluent at strength 0.
#[test]
fn problem_12_stock_needed() {
    let doc = json(&["mix", "1:750w/v", "0%w/v", "--make", "15mL", "--at", "0.01%w/v"]);
    let v = exact(&doc, "result.a", "1.125", "mL");
    exact(&doc, "result.b", "13.875", "mL");
    assert_eq!(rounded(v, "0.1"), "1.1");
    // The ratio may also be written with the space of the formula grammar.
    let doc = json(&["mix", "1:750 w/v", "0%w/v", "--make", "15mL", "--at", "0.01%w/v"]);
    exact(&doc, "result.a", "1.125", "mL");
}

/// Problem 13: "What is 1:452 as a percent?" → 0.2212% (the source gives 0.22%).
/// Source: uhphar practice.
#[test]
fn problem_13_ratio_to_percent() {
    let doc = json(&["convert", "1:452w/v", "--to", "%w/v"]);
    let (v, unit) = quantity(&doc, "result");
    assert_eq!(unit, "%w/v");
    // 100 ÷ 452, to 28 significant digits.
    assert_eq!(v, d("0.2212389380530973451327433628"));
    assert_eq!((rounded(v, "0.0001"), rounded(v, "0.01")), ("0.2212".into(), "0.22".into()));
}

/// Problem 14: "Express 1:2500 w/v in mg/mL." → 0.4 mg/mL (1 g ÷ 2500 mL).
#[test]
fn problem_14_ratio_to_mg_per_ml() {
    for ratio in ["1:2500w/v", "1:2500 w/v"] {
        let doc = json(&["convert", ratio, "--to", "mg/mL"]);
        exact(&doc, "result", "0.4", "mg/mL");
        assert_eq!(doc["calculation"][0], "1:2500 w/v = 1 g in 2500 mL = 1000 mg ÷ 2500 mL = 0.4 mg/mL");
    }
}

/// Problem 17: "What % w/w results from 40 g of drug in 100 mL of water?" → 40 ÷ 140 =
/// 28.5714…% (28.57%). Source: uhphar. The water's density is stated, never assumed.
#[test]
fn problem_17_amount_added_to_a_solvent() {
    let doc = json(&["strength", "40g", "--plus", "100mL", "--density", "1g/mL"]);
    let v = exact(&doc, "result", "28.571428571428571428571428571", "%w/w");
    assert_eq!(rounded(v, "0.01"), "28.57");
    let doc = json(&["strength", "40g", "--plus", "100g"]);
    exact(&doc, "result", "28.571428571428571428571428571", "%w/w");
}

/// Problem 19 (a density conversion): 1.2 mL of polysorbate 80 at SG 1.08 weighs
/// 1.296 g (1.3 g). AccessPharmacy #10.
#[test]
fn problem_19_volume_to_mass_with_a_density() {
    let doc = json(&["convert", "1.2mL", "--to", "g", "--density", "1.08g/mL"]);
    let v = exact(&doc, "result", "1.296", "g");
    assert_eq!(rounded(v, "0.1"), "1.3");
}

/// Problems 20 and 21: osmolarity of 23.4% NaCl (MW 58.5) → 234 ÷ 58.5 × 2 × 1000 =
/// 8000 mOsm/L; of 8.4% NaHCO3 (MW 84) → 2000 mOsm/L. AccessPharmacy #11, #12.
#[test]
fn problems_20_21_osmolarity() {
    let doc = json(&["osmolarity", "23.4%w/v", "--mw", "58.5", "--particles", "2"]);
    exact(&doc, "result", "8000", "mOsm/L");
    let doc = json(&["osmolarity", "8.4%w/v", "--mw", "84", "--particles", "2"]);
    exact(&doc, "result", "2000", "mOsm/L");
}

// ---------------------------------------------------------------------------------------
// DOMAIN §12 B: weighing and aliquots
// ---------------------------------------------------------------------------------------

/// Problems 22–25: MWQ = SR × 100% ÷ error. SR 10 mg at 5% → 200 mg; 2.5 mg at 3% →
/// 250/3 = 83.333… mg (83.3 mg); 6 mg at 5% → 120 mg and at 1% → 600 mg; 4 mg at 5% →
/// 80 mg. Sources: pharmacalculation.com, UNC, basicmedicalkey.
#[test]
fn problems_22_to_25_minimum_weighable_quantity() {
    let mwq = |sr: &str, err: &str| json(&["mwq", "--sensitivity", sr, "--error", err]);
    exact(&mwq("10mg", "5%"), "result", "200", "mg");
    let (v, unit) = quantity(&mwq("2.5mg", "3%"), "result");
    assert_eq!((v, unit.as_str()), (d("250") / d("3"), "mg"));
    assert_eq!(rounded(v, "0.1"), "83.3");
    exact(&mwq("6mg", "5%"), "result", "120", "mg");
    exact(&mwq("6mg", "1%"), "result", "600", "mg");
    exact(&mwq("4mg", "5%"), "result", "80", "mg");
}

/// Problem 26: "What is the % error when weighing 50 mg on a balance with SR 6 mg?" →
/// 12%. Source: UNC.
#[test]
fn problem_26_error_of_a_weighing() {
    let doc = json(&["mwq", "--sensitivity", "6mg", "--quantity", "50mg"]);
    exact(&doc, "result", "12", "%");
}

/// Problem 27: "A 20 mg weight moves the pointer 2 divisions. What is the SR, and does it
/// meet Class A?" → SR = 10 mg; no, Class A needs ≤ 6 mg. Source: uhphar.
#[test]
fn problem_27_sensitivity_from_a_test_weight() {
    let doc = json(&["mwq", "--test-weight", "20mg", "--divisions", "2"]);
    exact(&doc, "result", "10", "mg");
    assert_eq!(doc["meets_class_iii"], Value::Bool(false));
    let text = tool(&["mwq", "--test-weight", "20mg", "--divisions", "2"]).stdout;
    assert!(text.contains("does not meet it"), "{text}");
    let doc = json(&["mwq", "--test-weight", "12mg", "--divisions", "2"]);
    assert_eq!(doc["meets_class_iii"], Value::Bool(true));
}

/// Problems 28 and 29: USP <41> minimum weight = 2000 × SD: SD 0.03 mg → 60 mg; d =
/// 0.1 mg with the SD below 0.41 d → 2000 × 0.041 = 82 mg. Also DOMAIN §8.2's table.
#[test]
fn problems_28_29_usp_41() {
    exact(&json(&["mwq", "--sd", "0.03mg"]), "result", "60", "mg");
    exact(&json(&["mwq", "--sd", "0.02mg"]), "result", "40", "mg");
    exact(&json(&["mwq", "--sd", "0.2mg"]), "result", "400", "mg");
    exact(&json(&["mwq", "--readability", "0.1mg"]), "result", "82", "mg");
    exact(&json(&["mwq", "--sd", "0.03mg", "--readability", "0.1mg"]), "result", "82", "mg");
    exact(&json(&["mwq", "--readability", "1mg"]), "result", "820", "mg");
    exact(&json(&["mwq", "--readability", "0.01mg"]), "result", "8.2", "mg");
    // An SD at or above 0.41 d is used as it is.
    exact(&json(&["mwq", "--sd", "0.05mg", "--readability", "0.1mg"]), "result", "100", "mg");
}

/// Problem 30: "How do you obtain 12 mg of drug with an MWQ of 120 mg?" → weigh 120 mg
/// drug + 1080 mg diluent (1200 mg) and take 120 mg. Source: slidepub.
#[test]
fn problem_30_aliquot() {
    let doc = json(&["aliquot", "--need", "12mg", "--min-weight", "120mg"]);
    exact(&doc, "result.weigh", "120", "mg");
    exact(&doc, "result.diluent", "1.08", "g");
    exact(&doc, "result.total", "1.2", "g");
    exact(&doc, "result.take", "120", "mg");
    assert_eq!(doc["factor"], "10");
}

/// Problem 31: "How do you obtain 2 mg with an MWQ of 120 mg, taking 125 mg aliquots?"
/// → 120 mg drug + 7380 mg lactose = 7500 mg; 125 mg holds 2 mg. Source: basicmedicalkey.
#[test]
fn problem_31_aliquot_with_a_larger_take() {
    let doc = json(&["aliquot", "--need", "2mg", "--min-weight", "120mg", "--take", "125mg"]);
    exact(&doc, "result.weigh", "120", "mg");
    exact(&doc, "result.diluent", "7.38", "g");
    exact(&doc, "result.total", "7.5", "g");
    exact(&doc, "result.take", "125", "mg");
    assert_eq!(doc["factor"], "60");
}

// ---------------------------------------------------------------------------------------
// DOMAIN §12 C: dropper and dose; D: salt conversion
// ---------------------------------------------------------------------------------------

/// Problem 32: "35 drops fill 2 mL. How many drops per mL?" → 17.5 (the source rounds
/// to 18). Source: uhphar.
#[test]
fn problem_32_dropper() {
    let doc = json(&["drops", "--count", "35", "--volume", "2mL"]);
    let v = exact(&doc, "result", "17.5", "gtt/mL");
    assert_eq!(rounded(v, "1"), "18");
}

/// Problem 33: "A 100 mg/mL solution delivers 22 drops/mL. How many mg per drop, and in
/// 10 drops?" → 100 ÷ 22 = 4.5454… mg/drop; 10 drops = 45.4545… mg.
#[test]
fn problem_33_amount_per_drop() {
    let doc = json(&["drops", "--count", "22", "--volume", "1mL", "--strength", "100mg/mL", "--drops", "10"]);
    exact(&doc, "result", "22", "gtt/mL");
    let (per_drop, unit) = quantity(&doc, "per_drop");
    assert_eq!((per_drop, unit.as_str()), (d("100") / d("22"), "mg/unit"));
    let (dose, unit) = quantity(&doc, "dose");
    assert_eq!((dose, unit.as_str()), (d("1000") / d("22"), "mg"));
    assert_eq!((rounded(per_drop, "0.0001"), rounded(dose, "0.0001")), ("4.5455".into(), "45.4545".into()));
}

/// DOMAIN §10.1 / §12 problem 48: 0.5 mg/kg for a 70 kg patient → 35 mg; 154 lb is
/// 69.85322498 kg exactly, → 34.92661249 mg.
#[test]
fn weight_based_dose() {
    exact(&json(&["dose", "0.5mg/kg", "--weight", "70kg"]), "result", "35", "mg");
    exact(&json(&["dose", "0.5mg/kg", "--weight", "154lb"]), "result", "34.92661249", "mg");
    let doc = json(&["dose", "0.5mg/kg", "--weight", "70kg", "--max", "25mg"]);
    exact(&doc, "result", "25", "mg");
    assert!(doc["calculation"][1].as_str().unwrap().contains("capped at 25 mg"), "{doc}");
}

/// Problems 34–37 (DOMAIN §1.2): 50 mg base → 57.668 mg HCl exactly (label 57.67); 100 mg
/// base → 115.337 exactly, which rounds to 115.34, while the label's truncated factor
/// 1.1533 gives 115.33; 28 mg esketamine → 32.294 (label 32.3); 100 mg HCl → 86.703 mg
/// base. Source: Ketalar and Spravato labels.
#[test]
fn problems_34_to_37_salt_and_base() {
    let salt = |q: &str, from: &str, to: &str, molecule: &str| {
        let doc = json(&["salt", q, "--from", from, "--to", to, "--molecule", molecule]);
        let (v, unit) = quantity(&doc, "result");
        assert_eq!(unit, "mg");
        v
    };
    let factor = d("274.19") / d("237.73");
    let v = salt("50mg", "base", "salt", "ketamine");
    assert!((v - d("50") * d("274.19") / d("237.73")).abs() < d("0.0000000000000000000000001"), "{v}");
    assert_eq!((rounded(v, "0.001"), rounded(v, "0.01")), ("57.668".into(), "57.67".into()));
    let v = salt("100mg", "base", "salt", "ketamine");
    assert_eq!((rounded(v, "0.001"), rounded(v, "0.01")), ("115.337".into(), "115.34".into()));
    assert_eq!(d("100") * d("1.1533"), d("115.33"), "the label's truncated factor");
    assert!((v - d("100") * factor).abs() < d("0.0000000000000000000000001"));
    let v = salt("28mg", "base", "salt", "esketamine");
    assert_eq!((rounded(v, "0.001"), rounded(v, "0.1")), ("32.294".into(), "32.3".into()));
    let v = salt("100mg", "salt", "base", "ketamine");
    assert_eq!(rounded(v, "0.001"), "86.703");
    // Explicit weights give the same number as the built-in molecule.
    let doc =
        json(&["salt", "100mg", "--from", "salt", "--to", "base", "--mw", "274.19", "--base-mw", "237.73"]);
    assert_eq!(quantity(&doc, "result").0, v);
}

// ---------------------------------------------------------------------------------------
// The public cases (`cases/calculators/`, copied to tests/fixtures/cases/calculators/)
// ---------------------------------------------------------------------------------------

/// Runs each calculator case as `check.py` does: `command` + `--format json`, then every
/// `[[expect]]` quantity compared numerically (same unit family, within 1e-9).
#[test]
fn public_calculator_cases() {
    let dir = root().join("tests/fixtures/cases/calculators");
    let mut cases = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let case: toml::Table =
            std::fs::read_to_string(entry.unwrap().path().join("case.toml")).unwrap().parse().unwrap();
        let command: Vec<&str> =
            case["command"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        let doc = json(&command);
        for expect in case["expect"].as_array().unwrap() {
            let path = expect["path"].as_str().unwrap();
            let want = expect["value"].as_str().unwrap();
            let (value, unit) = want.split_once(' ').unwrap();
            let (got, got_unit) = quantity(&doc, path);
            assert_eq!(got_unit, unit, "{path}");
            assert!((got - d(value)).abs() <= d("0.000000001"), "{path}: {got} {got_unit}, expected {want}");
        }
        cases += 1;
    }
    assert!(cases >= 1);
}

// ---------------------------------------------------------------------------------------
// Output: text and JSON
// ---------------------------------------------------------------------------------------

/// Every command, once, with the shape of its JSON result.
const EVERY_COMMAND: &[&[&str]] = &[
    &["convert", "1:2500w/v", "--to", "mg/mL"],
    &["salt", "50mg", "--from", "base", "--to", "salt", "--molecule", "ketamine"],
    &["mix", "2.5%w/w", "1%w/w", "--make", "30g", "--at", "1.5%w/w"],
    &["mix", "2.5%w/w", "--have", "240g@0.25%w/w", "--at", "1%w/w"],
    &["dilute", "500mL@25%v/v", "--to", "1.2L"],
    &["dilute", "500mL@25%v/v", "--to", "10%v/v"],
    &["mwq", "--sensitivity", "6mg", "--error", "5%"],
    &["drops", "--count", "35", "--volume", "2mL"],
    &["osmolarity", "23.4%w/v", "--mw", "58.5", "--particles", "2"],
    &["dose", "0.5mg/kg", "--weight", "70kg"],
    &["aliquot", "--need", "12mg", "--min-weight", "120mg"],
    &["strength", "200mg", "--in", "90mL"],
    &["amount", "0.4%w/v", "--in", "20mL"],
    &["amount", "0.2%w/v", "--in", "25mL", "--per", "50mg"],
];

/// A quantity is exactly `{"value", "unit"}`, the value a normalized decimal string.
#[track_caller]
fn assert_quantity(q: &Value) {
    let obj = q.as_object().unwrap_or_else(|| panic!("not an object: {q}"));
    assert_eq!(obj.len(), 2, "{q}");
    let v = obj["value"].as_str().unwrap_or_else(|| panic!("value is not a string: {q}"));
    assert!(!v.contains(['e', 'E', '+', '-']), "{q}");
    assert_eq!(d(v).normalize().to_string(), v, "not normalized: {q}");
    assert!(obj["unit"].as_str().is_some_and(|u| !u.is_empty()), "{q}");
}

#[test]
fn json_has_result_and_calculation() {
    for args in EVERY_COMMAND {
        let doc = json(args);
        let obj = doc.as_object().unwrap();
        assert!(obj.contains_key("result") && obj.contains_key("calculation"), "{args:?}: {doc}");
        let calc = doc["calculation"].as_array().unwrap();
        assert!(!calc.is_empty() && calc.iter().all(|l| l.as_str().is_some_and(|s| !s.is_empty())), "{doc}");
        match args[0] {
            "mix" => {
                let r = doc["result"].as_object().unwrap();
                assert_eq!(r.keys().map(String::as_str).collect::<Vec<_>>(), ["a", "b", "total"]);
                r.values().for_each(assert_quantity);
            }
            "aliquot" => {
                let r = doc["result"].as_object().unwrap();
                assert_eq!(r.len(), 4);
                r.values().for_each(assert_quantity);
            }
            // SPEC §13.2: {"amount": quantity, "units": integer | null, "quotient": string | null}.
            "amount" => {
                let r = doc["result"].as_object().unwrap();
                assert_eq!(r.len(), 3, "{doc}");
                let text = finish(ketacalc().args(*args).args(["--format", "json"])).stdout;
                let at = |k: &str| text.find(&format!("\"{k}\"")).unwrap();
                assert!(at("amount") < at("units") && at("units") < at("quotient"), "{text}");
                assert_quantity(&r["amount"]);
                assert!(r["units"].is_null() || r["units"].is_u64(), "{doc}");
                assert!(r["quotient"].is_null() || r["quotient"].is_string(), "{doc}");
                assert_eq!(r["units"].is_null(), r["quotient"].is_null(), "{doc}");
            }
            _ => assert_quantity(&doc["result"]),
        }
    }
}

#[test]
fn units_of_the_results() {
    let unit = |args: &[&str]| quantity(&json(args), "result").1;
    assert_eq!(unit(&["drops", "--count", "35", "--volume", "2mL"]), "gtt/mL");
    assert_eq!(unit(&["osmolarity", "8.4%w/v", "--mw", "84", "--particles", "2"]), "mOsm/L");
    assert_eq!(unit(&["convert", "0.4mg/mL", "--to", "ratio"]), "1:N w/v");
    assert_eq!(unit(&["convert", "1.5%w/w", "--to", "mg/g"]), "mg/g");
}

/// Text: the answer first, rounded for reading (`≈` when rounded), then the derivation
/// indented by two spaces.
#[test]
fn text_answer_then_derivation() {
    let r = tool(&["convert", "1:2500w/v", "--to", "mg/mL"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(r.stdout, "0.4 mg/mL\n  1:2500 w/v = 1 g in 2500 mL = 1000 mg ÷ 2500 mL = 0.4 mg/mL\n");
    let r = tool(&["dilute", "500mL@25%v/v", "--to", "1.2L"]);
    let mut lines = r.stdout.lines();
    assert_eq!(lines.next(), Some("≈10.4167 %v/v in 1200 mL"));
    assert!(lines.all(|l| l.starts_with("  ")), "{}", r.stdout);
    for args in EVERY_COMMAND {
        let r = tool(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        let first = r.stdout.lines().next().unwrap_or_default();
        assert!(!first.starts_with(' ') && r.stdout.contains("\n  "), "{args:?}:\n{}", r.stdout);
    }
}

// ---------------------------------------------------------------------------------------
// Refusals: exit 1 with a message that says why, exit 2 for usage
// ---------------------------------------------------------------------------------------

/// A refusal: exit 1, nothing on stdout, `error: …` on stderr holding every `says`, also
/// with `--format json`.
#[track_caller]
fn refused(args: &[&str], says: &[&str]) {
    for format in ["text", "json"] {
        let r = finish(ketacalc().args(args).args(["--format", format]));
        assert_eq!(r.code, 1, "{args:?}:\n{}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?} printed:\n{}", r.stdout);
        assert!(r.stderr.starts_with("error: "), "{args:?}:\n{}", r.stderr);
        for s in says {
            assert!(r.stderr.contains(s), "{args:?}: `{s}` not in\n{}", r.stderr);
        }
    }
}

#[test]
fn mix_refusals() {
    refused(
        &["mix", "2.5%w/w", "1%w/w", "--make", "30g", "--at", "3%w/w"],
        &[
            "error: the target `3 %w/w` is outside the two strengths `2.5 %w/w` and `1 %w/w`",
            "help: a mixture is never stronger than its stronger part",
        ],
    );
    refused(
        &["mix", "2.5%w/w", "--have", "240g@0.25%w/w", "--at", "0.1%w/w"],
        &["outside the two strengths", "help: to go below both strengths, mix with a diluent at strength 0"],
    );
    refused(&["mix", "1%w/w", "10mg/g", "--make", "30g", "--at", "1%w/w"], &["are equal"]);
    refused(
        &["mix", "2.5%w/w", "1%w/v", "--make", "30g", "--at", "1.5%w/w"],
        &[
            "`2.5 %w/w` is a w/w strength but `1 %w/v` is w/v: mixing needs strengths of one kind",
            "--density",
        ],
    );
    refused(
        &["mix", "2.5%w/w", "1%w/w", "--make", "30mL", "--at", "1.5%w/w"],
        &["`30 mL` for `--make` is a volume, but a w/w strength is made by mass", "help: give a mass"],
    );
    refused(&["mix", "2.5%w/v", "1%w/v", "--make", "30g", "--at", "1.5%w/v"], &["made by volume"]);
    refused(&["mix", "2.5%w/w", "1%w/w", "--make", "0g", "--at", "1.5%w/w"], &["`0g`", "above zero"]);
    refused(
        &["mix", "2.5%w/w", "1%w/w", "--make", "-30g", "--at", "1.5%w/w"],
        &["`-30g` has a sign", "write `30g`"],
    );
    refused(&["mix", "1:0w/w", "0%w/w", "--make", "30g", "--at", "1%w/w"], &["needs N above zero"]);
    refused(&["mix", "2.5%w/w", "--have", "240g@0.25%w/w", "--at", "2.5%w/w"], &["equals the strength"]);
    refused(&["mix", "2.5%w/w", "--have", "240g", "--at", "1%w/w"], &["QUANTITY@STRENGTH"]);
    refused(&["mix", "2.5%", "1%w/w", "--make", "30g", "--at", "1.5%w/w"], &["bare `%`"]);
}

#[test]
fn dilute_refusals() {
    refused(
        &["dilute", "500mL@25%v/v", "--to", "30%v/v"],
        &["a dilution cannot make a stronger strength: `30 %v/v` is stronger than `25 %v/v`", "ketacalc mix"],
    );
    refused(&["dilute", "500mL@25%v/v", "--to", "400mL"], &["cannot make less than it starts with"]);
    refused(&["dilute", "500mL@25%v/v", "--to", "0%v/v"], &["strength of zero"]);
    refused(&["dilute", "500mL@25%v/v", "--to", "1%w/v"], &["one kind"]);
    refused(&["dilute", "500g@25%w/v", "--to", "1L"], &["made by volume"]);
    refused(&["dilute", "500mL@1:0w/v", "--to", "1L"], &["needs N above zero"]);
}

#[test]
fn convert_refusals() {
    refused(
        &["convert", "10%w/w", "--to", "mg/mL"],
        &[
            "converting `10 %w/w` to `mg/mL` needs a density: ketacalc never assumes 1 g/mL",
            "help: add `--density`",
        ],
    );
    refused(&["convert", "1g", "--to", "mL"], &["needs a density"]);
    refused(
        &["convert", "30g", "--to", "mg/mL"],
        &["cannot convert `30 g` to `mg/mL`: a mass is not a mass per volume"],
    );
    refused(&["convert", "5%v/v", "--to", "ratio"], &["no ratio form"]);
    refused(
        &["convert", "1:452", "--to", "%w/v"],
        &["write `1:N w/v` or `1:N w/w`", "help: write it like `1:2500w/v`"],
    );
    refused(&["convert", "1:0w/v", "--to", "mg/mL"], &["needs N above zero"]);
    refused(&["convert", "0%w/v", "--to", "ratio"], &["above zero"]);
    refused(&["convert", "1mg", "--to", "mgs"], &["unknown unit", "did you mean `mg`?"]);
    refused(&["convert", "1e3mg", "--to", "g"], &["exponent"]);
}

#[test]
fn other_refusals() {
    refused(
        &["salt", "50mg", "--from", "base", "--to", "base", "--molecule", "ketamine"],
        &["same as `--from`"],
    );
    refused(
        &["salt", "50mg", "--from", "base", "--to", "salt", "--mw", "237.73", "--base-mw", "274.19"],
        &["swapped"],
    );
    refused(&["salt", "5mL", "--from", "base", "--to", "salt", "--molecule", "ketamine"], &["is a volume"]);
    refused(&["mwq", "--sensitivity", "6mg", "--error", "0%"], &["above zero"]);
    refused(&["mwq", "--sensitivity", "0mg", "--error", "5%"], &["above zero"]);
    refused(&["mwq", "--sd", "0mg"], &["--readability"]);
    refused(&["drops", "--count", "35.5", "--volume", "2mL"], &["whole number"]);
    refused(&["drops", "--count", "35", "--volume", "0mL"], &["above zero"]);
    refused(&["osmolarity", "23.4%w/w", "--mw", "58.5", "--particles", "2"], &["mass per volume"]);
    refused(&["dose", "0.5mg/kg", "--weight", "0kg"], &["above zero"]);
    refused(&["dose", "0.5mg/kg", "--weight", "501kg"], &["at most 500 kg"]);
    refused(&["dose", "0.5mg/mL", "--weight", "70kg"], &["not a dose per body weight"]);
    refused(&["aliquot", "--need", "150mg", "--min-weight", "120mg"], &["weigh 150 mg directly"]);
    refused(
        &["aliquot", "--need", "12mg", "--min-weight", "120mg", "--take", "100mg"],
        &["at least the minimum"],
    );
    refused(&["strength", "40g", "--plus", "100mL"], &["needs a density"]);
    refused(&["strength", "40mL", "--plus", "100mL"], &["volumes do not add exactly"]);
    refused(&["strength", "200mg", "--in", "100mg"], &["more than the total"]);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["mix", "2.5%w/w", "--make", "30g", "--at", "1.5%w/w"][..],
        &["mix", "2.5%w/w", "1%w/w", "--make", "30g"],
        &["mix", "2.5%w/w", "1%w/w", "--have", "30g@1%w/w", "--at", "1.5%w/w"],
        &["mix", "2.5%w/w", "1%w/w", "--make", "30g", "--have", "30g@1%w/w", "--at", "1.5%w/w"],
        &["convert", "1:2500w/v"],
        &["convert", "1:2500w/v", "--to", "mg/mL", "--format", "yaml"],
        &["salt", "50mg", "--from", "base", "--to", "salt"],
        &["salt", "50mg", "--from", "base", "--to", "salt", "--molecule", "morphine"],
        &["salt", "50mg", "--from", "base", "--to", "salt", "--molecule", "ketamine", "--mw", "274.19"],
        &["salt", "50mg", "--from", "acid", "--to", "salt", "--molecule", "ketamine"],
        &["dilute", "500mL@25%v/v"],
        &["mwq"],
        &["mwq", "--sensitivity", "6mg"],
        &["mwq", "--sensitivity", "6mg", "--error", "5%", "--sd", "0.03mg"],
        &["mwq", "--test-weight", "20mg"],
        &["drops", "--count", "35"],
        &["drops", "--count", "35", "--volume", "2mL", "--drops", "10"],
        &["osmolarity", "23.4%w/v", "--mw", "58.5"],
        &["dose", "0.5mg/kg"],
        &["aliquot", "--need", "12mg"],
        &["strength", "40g"],
        &["strength", "40g", "--in", "100g", "--plus", "100g"],
        &["dose", "0.5mg/kg", "--weight", "70kg", "--bogus"],
    ] {
        let r = tool(args);
        assert_eq!(r.code, 2, "{args:?}:\n{}", r.stderr);
        assert!(r.stdout.is_empty() && !r.stderr.is_empty(), "{args:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Properties (library API)
// ---------------------------------------------------------------------------------------

/// A decimal with 0 to 4 places in [lo, hi] (as whole numbers of the last place).
fn decimal(lo: i64, hi: i64) -> impl Strategy<Value = Decimal> {
    (0u32..=4).prop_flat_map(move |scale| {
        let k = 10i64.pow(scale);
        ((lo * k).max(1)..=hi * k).prop_map(move |n| Decimal::new(n, scale).normalize())
    })
}

/// A result in mg (masses come back in mg or g).
fn mg(a: &Answer, key: &str) -> Decimal {
    let v = a.get(key).unwrap();
    match v.unit {
        ValueUnit::Unit(u) if u.to_string() == "g" => v.value * d("1000"),
        ValueUnit::Unit(u) if u.to_string() == "mg" => v.value,
        other => panic!("{key} is not a mass: {other}"),
    }
}

/// |x − y| ≤ 1e-20 × max(1, |y|).
fn close(x: Decimal, y: Decimal) -> bool {
    (x - y).abs() <= d("0.00000000000000000001") * y.abs().max(Decimal::ONE)
}

proptest! {
    /// Alligation: a + b is exactly the total, and the drug balances,
    /// a × A + b × B = total × S (to 1e-20).
    #[test]
    fn mix_parts_sum_and_balance(
        a in decimal(0, 100), b in decimal(0, 100), t in 0u32..=1000, q in decimal(0, 10000)
    ) {
        prop_assume!(a != b);
        // S between A and B: a weighted mean with weight t/1000.
        let s = (a * Decimal::from(t) + b * Decimal::from(1000 - t)) / d("1000");
        let ans = tools::mix::mix(&format!("{a}%w/w"), &format!("{b}%w/w"), &format!("{q}g"), &format!("{}%w/w", s.normalize()))
            .unwrap_or_else(|e| panic!("{a} {b} {q} {s}: {e}"));
        let (qa, qb, total) = (mg(&ans, "a"), mg(&ans, "b"), mg(&ans, "total"));
        prop_assert_eq!(qa + qb, total);
        prop_assert_eq!(total, q * d("1000"));
        prop_assert!(close(qa * a + qb * b, total * s), "{} + {} vs {}", qa * a, qb * b, total * s);
    }

    /// Adding A to a quantity at hand: the total is a + b, and it is at S.
    #[test]
    fn mix_into_balances(
        a in decimal(0, 100), b in decimal(0, 100), t in 1u32..1000, q in decimal(0, 10000)
    ) {
        prop_assume!(a != b);
        let s = (a * Decimal::from(t) + b * Decimal::from(1000 - t)) / d("1000");
        let ans = tools::mix::mix_into(&format!("{a}%w/w"), &format!("{q}g@{b}%w/w"), &format!("{}%w/w", s.normalize()))
            .unwrap_or_else(|e| panic!("{a} {b} {q} {s}: {e}"));
        let (qa, qb, total) = (mg(&ans, "a"), mg(&ans, "b"), mg(&ans, "total"));
        prop_assert_eq!(qa + qb, total);
        prop_assert!(close(qa * a + qb * b, total * s));
    }

    /// Converting there and back gives the original (exactly when no division repeats,
    /// and to 1e-20 always).
    #[test]
    fn convert_there_and_back(
        v in decimal(0, 1000),
        pair in prop::sample::select(vec![
            ("%w/v", "mg/mL"), ("%w/v", "1:Nw/v"), ("mg/mL", "ratio"), ("mcg/mL", "%w/v"), ("g/L", "mg/L"),
            ("%w/w", "mg/g"), ("%w/w", "ratio"), ("mcg/g", "1:Nw/w"), ("mg", "g"), ("mcg", "kg"),
            ("lb", "g"), ("mL", "L"), ("mcL", "mL"), ("%v/v", "%v/v"),
        ]),
    ) {
        let (from, to) = pair;
        let there = tools::convert::convert(&format!("{v}{from}"), to, None).unwrap_or_else(|e| panic!("{v}{from}: {e}"));
        let r = there.get("result").unwrap();
        let back_text = match r.unit {
            ValueUnit::Ratio(_) => format!("1:{}{}", r.value, if r.unit.to_string().ends_with("w/v") { "w/v" } else { "w/w" }),
            unit => format!("{}{unit}", r.value),
        };
        let back = tools::convert::convert(&back_text, from, None).unwrap_or_else(|e| panic!("{back_text}: {e}"));
        prop_assert!(close(back.get("result").unwrap().value, v), "{}{} → {} → {:?}", v, from, back_text, back.get("result"));
    }

    /// Diluting Q@S to Q2 gives S2; diluting Q@S to S2 gives Q2 back.
    #[test]
    fn dilute_and_back(q in decimal(0, 1000), s in decimal(0, 100), k in decimal(1, 50)) {
        let q2 = q * k;
        let start = format!("{q}mL@{s}%w/v");
        let strength = tools::dilute::dilute(&start, &format!("{}mL", q2.normalize())).unwrap_or_else(|e| panic!("{start}: {e}"));
        let s2 = strength.get("result").unwrap().value;
        let back = tools::dilute::dilute(&start, &format!("{s2}%w/v")).unwrap_or_else(|e| panic!("{start} → {s2}: {e}"));
        let got = back.get("result").unwrap().value;
        prop_assert!(close(got, q2), "{} → {}%w/v → {} mL, expected {}", start, s2, got, q2);
    }
}
