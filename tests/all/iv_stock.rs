//! Stock solutions on a volume-basis formula (SPEC §8.1): measured, never weighed; a
//! scheduled stock's accountability in mass and volume; the stock's volume counted
//! against the batch; the vials to open.

use serde_json::Value;

use crate::cases::expect_json;
use crate::cli::{finish, ketacalc};
use crate::iv::{d, exact, file, near};

/// The public case stock-bak-ratio: 15 mL of ketamine HCl 10 mg/mL (weighed) with 0.01%
/// w/v benzalkonium chloride from a 1:750 w/v stock.
const BAK: &str = include_str!("../fixtures/cases/iv-stock-bak-ratio/ketamine-hcl-oral-solution-stock.toml");

/// [`BAK`] with each `(from, to)` applied once.
fn bak(edits: &[(&str, String)]) -> String {
    let mut text = BAK.to_string();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "`{from}`");
        text = text.replacen(from, to, 1);
    }
    text
}

/// An edit of [`BAK`].
fn e(from: &'static str, to: &str) -> (&'static str, String) {
    (from, to.to_string())
}

/// Ketamine HCl drawn from a stock instead of weighed.
fn ketamine_from(stock: &str) -> (&'static str, String) {
    ("basis = \"salt\"\nschedule = \"CIII\"", format!("basis = \"salt\"\nschedule = \"CIII\"\n{stock}"))
}

fn run(text: &str, args: &[&str]) -> crate::cli::Run {
    let (_dir, path) = file(text);
    finish(ketacalc().args(["batch", &path, "--date", "2026-11-26"]).args(args))
}

fn json(text: &str) -> Value {
    let r = run(text, &["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json()
}

fn ingredient<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["ingredients"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap()
}

/// 1.5 mg of benzalkonium chloride (0.01 g per 100 mL × 15 mL) from a 1:750 w/v stock
/// (1000 mg in 750 mL): 1.5 × 750 ÷ 1000 = 1.125 mL exactly, 1.1 mL to measure on the 3 mL
/// syringe's 0.1 mL marks (rev. 3, SPEC §12.1); nothing weighed. The worksheet says to measure the volume, and the trail shows the stock.
#[test]
fn a_ratio_stock_is_measured_never_weighed() {
    let doc = json(BAK);
    let b = ingredient(&doc, "benzalkonium-chloride");
    assert_eq!(b["required"], serde_json::json!({"value": "1.5", "unit": "mg"}));
    assert_eq!(b["measure"], serde_json::json!({"value": "1.125", "unit": "mL"}));
    assert_eq!(b["measure_rounded"], serde_json::json!({"value": "1.1", "unit": "mL"}));
    assert_eq!(b["weigh"], Value::Null);
    assert_eq!(b["weigh_rounded"], Value::Null);
    let trail: Vec<&str> = b["calculation"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert!(trail.iter().any(|l| l.contains("1:750 w/v") && l.contains("1.125 mL")), "{trail:?}");
    // Not scheduled: no accountability entry.
    assert!(doc["controlled"].as_array().unwrap().iter().all(|c| c["id"] != "benzalkonium-chloride"));
    // The same strength written as a mass per volume: 1000 ÷ 750 = 1.3333… mg/mL is not a
    // finite decimal, so only the ratio keeps 1.125 exact; 0.1333 %w/v (1.333 mg/mL) gives
    // 1.5 ÷ 1.333 = 1.12528… mL.
    let doc = json(&bak(&[e("stock = \"1:750 w/v\"", "stock = \"0.1333 %w/v\"")]));
    let b = ingredient(&doc, "benzalkonium-chloride");
    let got = d(b["measure"]["value"].as_str().unwrap());
    let want = d("1.5") / d("1.333");
    assert!((got - want).abs() < d("0.0000000000000000000001"), "{got}");
    assert_eq!(b["measure_rounded"]["value"], "1.1");
}

/// A scheduled ingredient drawn from a stock: `controlled[]` has `withdraw` = the required
/// amount as a mass and `withdraw_volume` = the measured volume. 10 mg/mL × 15 mL = 150 mg
/// of ketamine HCl from a 50 mg/mL stock: 3 mL. From a stock labelled as 50 mg/mL of base:
/// 150 mg HCl is 150 × 237.73 ÷ 274.19 mg of base, 150 × 237.73 ÷ (274.19 × 50) = 713.19 ÷
/// 274.19 mL; `withdraw` stays the 150 mg of the declared basis.
#[test]
fn a_scheduled_stock_is_withdrawn_by_mass_and_volume() {
    let doc = json(&bak(&[ketamine_from("stock = \"50 mg/mL\"")]));
    let k = ingredient(&doc, "ketamine-hcl");
    assert_eq!(k["weigh"], Value::Null);
    assert_eq!(k["measure"], serde_json::json!({"value": "3", "unit": "mL"}));
    // Rev. 3: 3 mL fills the 3 mL syringe, read to its 0.1 mL marks.
    assert_eq!(k["measure_rounded"], serde_json::json!({"value": "3.0", "unit": "mL"}));
    let c = &doc["controlled"][0];
    assert_eq!(c["id"], "ketamine-hcl");
    assert_eq!(c["withdraw"], serde_json::json!({"value": "150", "unit": "mg"}));
    assert_eq!(c["withdraw_volume"], serde_json::json!({"value": "3", "unit": "mL"}));
    assert_eq!(c["in_product"], serde_json::json!({"value": "150", "unit": "mg"}));
    // Not an infusion: no `undelivered` key.
    assert!(!c.as_object().unwrap().contains_key("undelivered"), "{c}");

    let base = bak(&[ketamine_from(
        "stock = \"50 mg/mL\"\nstock_basis = \"base\"\nmolecular_weight = \"274.19\"\nbase_molecular_weight = \"237.73\"",
    )]);
    let doc = json(&base);
    near(&doc, "controlled[ketamine-hcl].withdraw_volume", d("713.19") / d("274.19"), "mL");
    near(&doc, "ingredients[ketamine-hcl].measure", d("713.19") / d("274.19"), "mL");
    exact(&doc, "controlled[ketamine-hcl].withdraw", "150 mg");
    // 2.6010… mL on the 3 mL syringe's 0.1 mL marks.
    expect_json(&doc, "ingredients[ketamine-hcl].measure_rounded.value", "2.6".into());
}

/// A weighed scheduled ingredient has no `withdraw_volume` key at all (SPEC §5 shape).
#[test]
fn a_weighed_scheduled_ingredient_has_no_withdraw_volume() {
    let doc = json(BAK);
    let c = &doc["controlled"][0];
    assert!(!c.as_object().unwrap().contains_key("withdraw_volume"), "{c}");
    assert_eq!(c["withdraw"], serde_json::json!({"value": "150.0", "unit": "mg"}));
}

/// The stock's volume counts toward the volumes that must fit under `P` = 15 mL, with the
/// 1.125 mL of benzalkonium chloride stock: from 12 mg/mL, 150 ÷ 12 = 12.5 mL (13.625 mL in
/// all) fits; from 10.5 mg/mL, 150 ÷ 10.5 = 14.2857… mL (15.41… in all) does not; from 10
/// mg/mL alone it is 15 mL, the whole batch, with no room for the vehicle.
#[test]
fn the_stock_volume_counts_toward_the_batch_volume() {
    let doc = json(&bak(&[ketamine_from("stock = \"12 mg/mL\"")]));
    exact(&doc, "ingredients[ketamine-hcl].measure", "12.5 mL");
    exact(&doc, "qs.to", "15 mL");
    let r = run(&bak(&[ketamine_from("stock = \"10.5 mg/mL\"")]), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    assert!(r.stderr.contains("15 mL"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let alone = bak(&[
        ketamine_from("stock = \"10 mg/mL\""),
        e("amount = \"0.01 %w/v\"\nstock = \"1:750 w/v\"\n", "amount = \"0.01 %w/v\"\n"),
    ]);
    let r = run(&alone, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("zero"), "{}", r.stderr);
}

/// `vial` on a volume-basis formula: the worksheet says how many to open, ceil(measure ÷
/// vial) (SPEC §8.1): 1.125 mL from vials of 1 mL is 2 vials; 3 mL of ketamine from vials
/// of 10 mL is 1 vial (and 3 mL from vials of 3 mL is exactly 1).
#[test]
fn the_worksheet_says_how_many_vials_of_a_stock_to_open() {
    let text = bak(&[
        e("stock = \"1:750 w/v\"", "stock = \"1:750 w/v\"\nvial = \"1 mL\""),
        ketamine_from("stock = \"50 mg/mL\"\nvial = \"10 mL\""),
    ]);
    let r = run(&text, &["--width", "100"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("open 2 vials of 1 mL"), "{}", r.stdout);
    assert!(r.stdout.contains("open 1 vial of 10 mL"), "{}", r.stdout);
    let exact_fit = bak(&[ketamine_from("stock = \"50 mg/mL\"\nvial = \"3 mL\"")]);
    let r = run(&exact_fit, &["--width", "100"]);
    assert!(r.stdout.contains("open 1 vial of 3 mL"), "{}", r.stdout);
    // Without `vial`, nothing to say.
    let r = run(BAK, &["--width", "100"]);
    assert!(!r.stdout.contains("vial"), "{}", r.stdout);
}
