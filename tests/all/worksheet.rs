//! The worksheet follows the batch (SPEC §7): placeholders, written-out batch quantities,
//! custom strengths, aliquots, containers, cavities and what each line says, through the
//! command line, plus the public cases of `../shared/cases/worksheet/` (copied to
//! `tests/fixtures/cases/worksheet-*`).

use serde_json::Value;

use crate::cases::{case, expect, expect_json, expect_within};
use crate::cli::{DATE, batch, batch_json, finish, ketacalc, run};

const SPRAY: &str = "ketamine-hcl-nasal-spray-100";

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// A liquid whose steps are given; `{steps}` is TOML `[[steps]]` tables.
fn oral_solution(steps: &str) -> String {
    format!(
        r#"format = 1
id = "t"
name = "Ketamine HCl {{strength:ketamine-hcl}} Oral Solution"
revision = 1
dosage_form = "oral-solution"
route = "oral"
water = "aqueous"
preserved = false
storage = "refrigerator"

[batch]
quantity = "100 mL"

[[ingredients]]
id = "ketamine-hcl"
name = "Ketamine Hydrochloride USP"
role = "active"
amount = "10 mg/mL"
basis = "salt"
schedule = "CIII"

[[ingredients]]
id = "vehicle"
name = "Vehicle"
role = "vehicle"
amount = "qs"
{steps}"#
    )
}

// ---------------------------------------------------------------------------------------
// The public cases of ../shared/cases/worksheet
// ---------------------------------------------------------------------------------------

/// cream-aliquot-qs-deduction: 0.02% w/w clonidine in 30 g is 6 mg, below 82 mg: m = 14,
/// weigh 84 mg, triturate to 1148 mg, take 82 mg; the 76 mg of base the portion carries
/// comes off the base from the jar: 30 − 3 − 0.006 − 0.076 = 26.918 g of 26.994 g.
#[test]
fn case_cream_aliquot_qs_deduction() {
    let doc =
        case("worksheet-cream-aliquot-qs-deduction", "ketamine-hcl-cream-clonidine.toml", &["--date", DATE]);
    expect(&doc, "qs.weigh", "26.994 g");
    expect(&doc, "qs.in_aliquots", "76 mg");
    expect(&doc, "ingredients[cream-base].weigh", "26.918 g");
    let w = doc["warnings"].as_array().unwrap().iter().find(|w| w["code"] == "below-minimum-weight").unwrap();
    let a = &w["aliquot"];
    assert_eq!(
        (&a["by"], &a["factor"], &a["diluent"]),
        (&Value::from("mass"), &Value::from(14), &Value::from("cream-base"))
    );
    expect(a, "weigh", "84 mg");
    expect(a, "total", "1148 mg");
    expect(a, "take", "82 mg");
}

/// custom-strength-banner and custom-strength-json: 50 mg/mL from an MFR written for
/// 100 mg/mL (as base): a banner, the MFR strength in JSON, and the weight for 50 mg/mL
/// base as HCl: 500 mg × 274.19 / 237.73 = 576.68… mg.
#[test]
fn case_custom_strength() {
    let file = "tests/fixtures/cases/worksheet-custom-strength-banner/ketamine-nasal-spray-100-base.toml";
    let r = run(&["batch", file, "--strength", "50 mg/mL", "--date", DATE, "--format", "markdown"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("CUSTOM STRENGTH"), "{}", r.stdout);
    assert!(r.stdout.contains("(this MFR is written for 100 mg/mL)"), "{}", r.stdout);
    let doc = case(
        "worksheet-custom-strength-banner",
        "ketamine-nasal-spray-100-base.toml",
        &["--strength", "ketamine-hcl=50 mg/mL", "--date", DATE],
    );
    expect(&doc, "strengths[ketamine-hcl].concentration", "50 mg/mL");
    expect(&doc, "strengths[ketamine-hcl].mfr_concentration", "100 mg/mL");
    expect_within(&doc, "ingredients[ketamine-hcl].weigh", "576.6836326925503722710629706 mg", "0.0000001");
    // The MFR's own strength is no custom strength.
    let doc = case(
        "worksheet-custom-strength-banner",
        "ketamine-nasal-spray-100-base.toml",
        &["--strength", "100 mg/mL", "--date", DATE],
    );
    assert_eq!(doc["strengths"][0]["mfr_concentration"], Value::Null);
}

/// rdt-cavities: a 7% overage on 96 RDTs makes blend for 102.72 units and fills 96
/// cavities; with `--quantity 30`, blend for 32.1 units in 30 cavities.
#[test]
fn case_rdt_cavities() {
    let doc = case("worksheet-rdt-cavities", "ketamine-hcl-rdt-50.toml", &["--date", DATE]);
    expect(&doc, "prepared", "102.72 units");
    assert_eq!(doc["cavities"], 96);
    let doc =
        case("worksheet-rdt-cavities", "ketamine-hcl-rdt-50.toml", &["--date", DATE, "--quantity", "30"]);
    expect(&doc, "prepared", "32.1 units");
    assert_eq!(doc["cavities"], 30);
}

/// spray-containers: 30 mL filled 10 mL to a bottle is 3 bottles of 91 sprays each.
#[test]
fn case_spray_containers() {
    let doc = case(
        "worksheet-spray-containers",
        "ketamine-nasal-spray-100-fill.toml",
        &["--quantity", "30 mL", "--date", DATE],
    );
    assert_eq!(doc["containers"]["count"], 3);
    expect(&doc, "containers.fill", "10 mL");
    assert_eq!(doc["containers"]["last"], Value::Null);
    assert_eq!(doc["doses"], 91);
    // 35 mL: a fourth bottle with the remaining 5 mL, (5 − 0.3) ÷ 0.1 − 6 = 41 sprays.
    let doc = case(
        "worksheet-spray-containers",
        "ketamine-nasal-spray-100-fill.toml",
        &["--quantity", "35 mL", "--date", DATE],
    );
    assert_eq!(doc["containers"]["count"], 4);
    expect(&doc, "containers.last.fill", "5 mL");
    assert_eq!(doc["containers"]["last"]["doses"], 41);
    // `--fill` overrides the formula's: 30 mL in 15 mL bottles, (15 − 0.3) ÷ 0.1 − 6 = 141.
    let doc = case(
        "worksheet-spray-containers",
        "ketamine-nasal-spray-100-fill.toml",
        &["--quantity", "30 mL", "--fill", "15mL", "--date", DATE],
    );
    assert_eq!((&doc["containers"]["count"], &doc["doses"]), (&Value::from(2), &Value::from(141)));
}

// ---------------------------------------------------------------------------------------
// Placeholders (SPEC §7.1)
// ---------------------------------------------------------------------------------------

#[test]
fn placeholders_are_filled_with_this_batch() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "t.toml",
        &oral_solution(
            "\n[[steps]]\ntext = \"Weigh {weigh:ketamine-hcl}, make up to {qs} ({prepared} prepared for {quantity}); {{literal}}.\"\n",
        ),
    );
    let r = run(&[
        "batch",
        &file,
        "--quantity",
        "120mL",
        "--overage",
        "5%",
        "--date",
        DATE,
        "--format",
        "markdown",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Weigh 1.2600 g, make up to 126 mL (126 mL prepared for 120 mL); {literal}."),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("# Compounding worksheet: Ketamine HCl 10 mg/mL Oral Solution"),
        "{}",
        r.stdout
    );
    let doc: Value = serde_json::from_str(
        &run(&["batch", &file, "--strength", "20mg/mL", "--date", DATE, "--format", "json"]).stdout,
    )
    .unwrap();
    assert_eq!(doc["formula"]["name"], "Ketamine HCl 20 mg/mL Oral Solution");
}

/// Each placeholder error is reported at the placeholder's own line and column.
#[test]
fn placeholder_errors_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let steps = "\n[[steps]]\ntext = \"a {quantiy} b\"\n\n[[steps]]\ntext = \"{weigh:ketamine}\"\n\n\
                 [[steps]]\ntext = \"{cavities} and {fill}\"\n\n[[steps]]\ntext = \"x {prepared\"\n\n\
                 [[steps]]\ntext = \"y } z\"\n\n[[steps]]\ntext = \"{strength:vehicle}\"\n";
    let file = write(&dir, "t.toml", &oral_solution(steps));
    let r = run(&["validate", &file, "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let doc = r.json();
    let found: Vec<(String, u64, u64)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let want = [
        ("unknown-placeholder", 29, 11),
        ("placeholder-id", 32, 9),
        ("placeholder-form", 35, 9),
        ("placeholder-form", 35, 24),
        ("unclosed-brace", 38, 11),
        ("unmatched-brace", 41, 11),
        ("placeholder-form", 44, 9),
    ];
    for (code, line, col) in want {
        assert!(found.contains(&(code.to_string(), line, col)), "{code} at {line}:{col} not in {found:?}");
    }
    let human = run(&["validate", &file]);
    assert!(human.stdout.contains("help: did you mean `{quantity}`?"), "{}", human.stdout);
    assert!(human.stdout.contains("the formula has no ingredient `ketamine`"), "{}", human.stdout);
    // A formula with errors never gives a half-filled worksheet.
    let r = run(&["batch", &file, "--date", DATE]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
}

// ---------------------------------------------------------------------------------------
// Literal batch quantities (SPEC §7.2)
// ---------------------------------------------------------------------------------------

#[test]
fn written_out_batch_quantities_are_warned_about_and_marked() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "t.toml",
        &oral_solution(
            "\n[[steps]]\ntext = \"Make up (q.s.) to 100 mL.\"\n\n[[steps]]\ntext = \"Mix well.\"\n",
        ),
    );
    let r = run(&["validate", &file, "--format", "json"]);
    assert_eq!(r.code, 0);
    let d = &r.json()["diagnostics"][0];
    assert_eq!(
        (&d["code"], &d["severity"], &d["line"], &d["column"]),
        (&Value::from("literal-batch-quantity"), &Value::from("warning"), &Value::from(29), &Value::from(27))
    );
    assert!(d["help"].as_str().unwrap().contains("`{quantity}`"), "{d}");
    assert_eq!(run(&["validate", &file, "--deny-warnings"]).code, 1);

    let mark = "(!) written for the reference batch of 100 mL: check before use";
    let at_reference = run(&["batch", &file, "--date", DATE]);
    assert!(!at_reference.stdout.contains(mark));
    let other = run(&["batch", &file, "--date", DATE, "--quantity", "120mL"]);
    assert!(other.stdout.contains(mark), "{}", other.stdout);
    assert_eq!(other.stdout.matches(mark).count(), 1, "only the step with the literal is marked");
    let doc = batch_json_file(&file, &["--quantity", "120mL"]);
    let w: Vec<&Value> =
        doc["warnings"].as_array().unwrap().iter().filter(|w| w["code"] == "reference-batch-text").collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0]["ingredient"], Value::Null);
    // A custom strength also makes the batch another than the text's.
    let doc = batch_json_file(&file, &["--strength", "20mg/mL"]);
    assert!(doc["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "reference-batch-text"));
}

fn batch_json_file(file: &str, extra: &[&str]) -> Value {
    let r = finish(ketacalc().args(["batch", file, "--date", DATE, "--format", "json"]).args(extra));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json()
}

/// The built-in formulas use placeholders and pass `validate --deny-warnings`.
#[test]
fn built_in_formulas_have_no_written_out_batch_quantities() {
    let r = run(&["validate", "formulas", "--deny-warnings"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn a_fixed_amount_active_in_a_molded_form_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("formulas/ketamine-hcl-troche-50.toml")
        .unwrap()
        .replace("amount = \"50 mg/troche\"", "amount = \"50 mg\"");
    let file = write(&dir, "t.toml", &text);
    let doc = run(&["validate", &file, "--format", "json"]).json();
    let d =
        doc["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "fixed-amount-active").unwrap();
    assert_eq!(d["severity"], "warning");
    assert!(d["help"].as_str().unwrap().contains("`50 mg/unit`"), "{d}");
}

// ---------------------------------------------------------------------------------------
// Aliquots (SPEC §7.4)
// ---------------------------------------------------------------------------------------

/// One troche, no overage: 50 mg of ketamine HCl is weighed as 100 mg (m = 2) and the
/// record reconciles: 50 mg in the product + 50 mg of aliquot left = 100 mg withdrawn.
#[test]
fn a_controlled_aliquot_withdraws_the_whole_weighing() {
    let doc = batch_json("ketamine-hcl-troche-50", &["--quantity", "1", "--overage", "0%"]);
    let c = &doc["controlled"][0];
    expect_json(c, "withdraw", serde_json::json!({"value": "100.0", "unit": "mg"}));
    expect(c, "in_product", "50 mg");
    expect(c, "aliquot_remainder", "50 mg");
    assert_eq!(c["overage_loss"], Value::Null);
    let text = batch("ketamine-hcl-troche-50", &["--quantity", "1", "--overage", "0%"]).stdout;
    assert!(text.contains("Quantity to withdraw  100.0 mg"), "{text}");
    assert!(text.contains("Aliquot left (waste)"), "{text}");
    // The base weighed from its jar is the base less what the five portions carry.
    let base = doc["qs"]["weigh"]["value"].as_str().unwrap().parse::<f64>().unwrap();
    let jar = doc["ingredients"][5]["weigh"]["value"].as_str().unwrap().parse::<f64>().unwrap();
    let carried = doc["qs"]["in_aliquots"]["value"].as_str().unwrap().parse::<f64>().unwrap();
    assert!((base - jar - carried).abs() < 1e-9, "{base} {jar} {carried}");
}

#[test]
fn liquid_aliquots_are_measured_and_refused_when_as_large_as_the_batch() {
    // 10.5 mL of spray: 2.1 mg of BAK solution × 40 = 84 mg in 40 mL, measure 1 mL.
    let doc = batch_json(SPRAY, &[]);
    let a = &doc["warnings"][0]["aliquot"];
    assert_eq!(a["by"], "volume");
    expect(a, "total", "40 mL");
    expect(a, "take", "1 mL");
    // With 2 mL portions: 80 mL, measure 2 mL.
    let a = batch_json(SPRAY, &["--min-volume", "2mL"])["warnings"][0]["aliquot"].clone();
    expect(&a, "total", "80 mL");
    expect(&a, "take", "2 mL");
    // A 1 mL portion of a 1.05 mL batch is not an aliquot.
    let r = batch(SPRAY, &["--quantity", "1mL", "--overage", "0%"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not below the prepared volume of 1 mL"), "{}", r.stderr);
    assert!(r.stderr.contains("--min-volume"), "{}", r.stderr);
    for bad in ["0mL", "2 L", "5 mg"] {
        assert_eq!(batch(SPRAY, &["--min-volume", bad]).code, 1, "{bad}");
    }
}

#[test]
fn a_named_diluent_takes_the_carry_and_the_base_keeps_its_weight() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("formulas/ketamine-hcl-troche-50.toml").unwrap()
        + "\n[aliquot]\ndiluent = \"acacia\"\n";
    let file = write(&dir, "t.toml", &text);
    let doc = batch_json_file(&file, &["--quantity", "60", "--overage", "0%"]);
    assert_eq!(doc["qs"]["in_aliquots"], Value::Null);
    // No aliquot at 60 troches: nothing is carried.
    let acacia = doc["ingredients"].as_array().unwrap().iter().find(|i| i["id"] == "acacia").unwrap();
    expect(acacia, "weigh", "1 g");
    // An active, an unknown id, and any diluent of a liquid are refused.
    for (formula, diluent) in [
        ("ketamine-hcl-troche-50", "ketamine-hcl"),
        ("ketamine-hcl-troche-50", "lactose"),
        ("ketamine-hcl-oral-solution-10", "sucralose"),
    ] {
        let t = std::fs::read_to_string(format!("formulas/{formula}.toml")).unwrap()
            + &format!("\n[aliquot]\ndiluent = \"{diluent}\"\n");
        let file = write(&dir, "bad.toml", &t);
        let doc = run(&["validate", &file, "--format", "json"]).json();
        let codes: Vec<&str> =
            doc["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["aliquot-diluent"], "{formula} {diluent}: {doc}");
    }
}

// ---------------------------------------------------------------------------------------
// Containers, cavities, options
// ---------------------------------------------------------------------------------------

#[test]
fn fill_is_for_liquids_only() {
    let r = batch("ketamine-hcl-cream-10", &["--fill", "10mL"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("`--fill` does not apply to a `cream`"), "{}", r.stderr);
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("formulas/ketamine-hcl-cream-10.toml")
        .unwrap()
        .replace("quantity = \"100 g\"", "quantity = \"100 g\"\nfill = \"10 mL\"");
    let file = write(&dir, "t.toml", &text);
    let doc = run(&["validate", &file, "--format", "json"]).json();
    assert!(doc["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "unexpected-key"), "{doc}");
    for bad in ["0mL", "10 g", "ten"] {
        assert_eq!(batch(SPRAY, &["--fill", bad]).code, 1, "{bad}");
    }
}

#[test]
fn a_percent_overage_makes_blend_not_cavities() {
    let doc = batch_json("ketamine-hcl-rdt-25", &[]);
    assert_eq!(doc["cavities"], 96);
    expect(&doc, "prepared", "102.72 units");
    let text = batch("ketamine-hcl-rdt-25", &[]).stdout;
    assert!(text.contains("Theoretical yield  96 units (cavities filled)"), "{text}");
    assert!(text.contains("Count: 96 tablets"), "{text}");
    // A unit overage fills more cavities: 30 troches + 2 = 32.
    assert_eq!(batch_json("ketamine-hcl-troche-50", &[])["cavities"], 32);
}

#[test]
fn the_prepared_quantity_is_capped_like_the_requested_one() {
    let r = batch(SPRAY, &["--quantity", "100L", "--overage", "100 L"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("the prepared quantity 200000 mL is larger than any batch"), "{}", r.stderr);
}

#[test]
fn width_sets_the_layout_and_nothing_is_split() {
    for width in ["80", "100", "132"] {
        let r = batch(
            SPRAY,
            &["--width", width, "--lot", "benzalkonium-chloride-50=BZK-2025-004417", "--explain"],
        );
        assert_eq!(r.code, 0);
        let w: usize = width.parse().unwrap();
        for line in r.stdout.lines() {
            assert!(line.chars().count() <= w, "{width}: {line}");
        }
        for token in ["BZK-2025-004417", "benzalkonium-chloride-50", "2026-11-26", "1.0500 g"] {
            assert!(r.stdout.contains(token), "{width}: `{token}` split");
        }
    }
    assert_eq!(batch(SPRAY, &["--width", "20"]).code, 2);
}

// ---------------------------------------------------------------------------------------
// Snapshots: worksheets at quantities and strengths that are not the formula's own
// ---------------------------------------------------------------------------------------

fn sheet(id: &str, args: &[&str]) -> String {
    let r = batch(id, &[args, &["--width", "80"]].concat());
    assert_eq!(r.code, 0, "{id} {args:?}: {}", r.stderr);
    r.stdout
}

#[test]
fn worksheets_at_other_quantities_at_80_columns() {
    let cases: [(&str, &[&str]); 7] = [
        ("ketamine-hcl-oral-solution-10", &["--quantity", "120mL"]),
        ("ketamine-hcl-sublingual-drops-50", &["--quantity", "17.5mL"]),
        ("ketamine-hcl-troche-50", &["--quantity", "1", "--overage", "0%"]),
        ("ketamine-hcl-rdt-25", &["--quantity", "30"]),
        (SPRAY, &["--quantity", "35mL", "--strength", "50mg/mL"]),
        ("ketamine-hcl-cream-10", &["--quantity", "50g", "--strength", "15%w/w"]),
        ("ketamine-gabapentin-baclofen-cream", &["--quantity", "210g"]),
    ];
    for (id, args) in cases {
        let text = sheet(id, args);
        insta::assert_snapshot!(format!("worksheet-80-{id}"), text);
    }
}
