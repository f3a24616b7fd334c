//! What is measured is what is recorded and labelled (SPEC §12): the worked cases of
//! `cases/measured` (copied to `tests/fixtures/cases/measured-*`), the refusals, and
//! snapshots of what the technician who draws and the nurse who hangs the bag read.

use serde_json::Value;

use crate::cases::{case, expect, expect_json, expect_within};
use crate::cli::{builtin_ids, finish, ketacalc};

fn number(doc: &Value, path: &str) -> rust_decimal::Decimal {
    let v = crate::cases::select(doc, path);
    crate::iv::d(v.as_str().unwrap_or_else(|| panic!("{path}: not a string: {v}")))
}

/// The 1.5 kg dilution (SPEC §12.2, DOMAIN §15): 0.5 mg/kg × 1.5 kg = 0.75 mg = 0.015 mL of
/// 50 mg/mL, under 0.2 mL; 0.015 × 25 = 0.375 < 0.4, × 50 = 0.75: 1 mL made up to 50 mL
/// (49 mL of diluent, the 60 mL syringe), 1 mg/mL, 0.75 mL of it on the 1 mL syringe. The
/// bag holds 0.75 mg in 100.75 mL, 0.0074442 mg/mL, 151.125 mL/h; 1.125 mg/h; 100.75 mL
/// into 1.5 kg is 67.2 mL/kg, a fluid-load warning. C-III: the 1 mL drawn is 50 mg, of
/// which 49.25 mg is the dilution's remainder, wasted with a witness.
#[test]
fn case_iv_dilution_at_one_and_a_half_kilograms() {
    let doc = case(
        "measured-iv-dilution-1.5kg",
        "ketamine-iv-0.5mgkg-100ml.toml",
        &["--weight", "1.5kg", "--date", "2026-03-07", "--time", "09:00"],
    );
    let k = "ingredients[ketamine]";
    expect(&doc, &format!("{k}.measure"), "0.015 mL");
    expect_json(&doc, &format!("{k}.measure_rounded"), Value::Null);
    expect_json(&doc, &format!("{k}.dilution.factor"), 50.into());
    for (key, want) in [
        ("stock", "1 mL"),
        ("diluent_volume", "49 mL"),
        ("to", "50 mL"),
        ("strength", "1 mg/mL"),
        ("take", "0.75 mL"),
        ("take_rounded", "0.75 mL"),
    ] {
        expect(&doc, &format!("{k}.dilution.{key}"), want);
    }
    expect_json(&doc, &format!("{k}.dilution.take_rounded.value"), "0.75".into());
    expect(&doc, &format!("{k}.syringe.capacity"), "1 mL");
    expect(&doc, &format!("{k}.syringe.graduation"), "0.01 mL");
    expect(&doc, &format!("{k}.as_measured.amount"), "0.75 mg");
    expect(&doc, "infusion.dose", "0.75 mg");
    expect(&doc, "infusion.final_volume", "100.015 mL");
    expect(&doc, "infusion.as_measured.in_bag", "0.75 mg");
    expect(&doc, "infusion.as_measured.dose", "0.75 mg");
    expect(&doc, "infusion.as_measured.final_volume", "100.75 mL");
    expect_within(&doc, "infusion.as_measured.concentration", "0.0074441687344913 mg/mL", "0.0000000000001");
    expect(&doc, "infusion.as_measured.rate", "151.125 mL/h");
    assert_eq!(number(&doc, "infusion.as_measured.deviation"), rust_decimal::Decimal::ZERO);
    expect(&doc, "infusion.dose_rate.per_hour", "1.125 mg/h");
    expect(&doc, "infusion.dose_rate.per_kg_per_hour", "0.75 mg/kg/h");
    expect(&doc, "infusion.dose_per_kg", "0.5 mg/kg");
    expect_within(&doc, "infusion.fluid_per_kg", "67.1666666667 mL/kg", "0.0000001");
    expect(&doc, "controlled[ketamine].as_measured.withdraw", "50 mg");
    expect(&doc, "controlled[ketamine].as_measured.in_product", "0.75 mg");
    expect(&doc, "controlled[ketamine].as_measured.dilution_remainder", "49.25 mg");
    // 1 vial opened for the 1 mL drawn: 9 mL = 450 mg left in it.
    expect_json(&doc, "infusion.vials", 1.into());
    expect(&doc, "controlled[ketamine].left_in_vials.volume", "9 mL");
    expect(&doc, "controlled[ketamine].left_in_vials.amount", "450 mg");
    let codes: Vec<&str> =
        doc["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"fluid-load") && codes.contains(&"unusual-weight"), "{codes:?}");
    // The case's formula still writes `draw {weigh:ketamine} of ketamine 50 mg/mL`, which
    // with a dilution would pair the portion with the stock's strength: warned about.
    assert!(codes.contains(&"strength-after-draw"), "{codes:?}");
}

/// The nasal spray from 100 mg/mL vials at 15 mL (SPEC §12.1, §12.3, DOMAIN §15): 50 mg/mL ×
/// 15.75 mL = 787.5 mg = 7.875 mL; the 10 mL syringe's 0.2 mL marks read 7.8 mL = 780 mg
/// (−0.952%), 49.52 mg/mL as measured; in the 15 mL dispensed 780 × 15 ÷ 15.75 = 742.857 mg,
/// 37.143 mg in the overage; two 5 mL vials opened leave 2.2 mL = 220 mg.
#[test]
fn case_spray_from_vials_at_fifteen_millilitres() {
    let doc = case(
        "measured-spray-vials-15ml-syringe",
        "ketamine-nasal-spray-50-vial.toml",
        &["--quantity", "15mL", "--date", "2026-03-07"],
    );
    let k = "ingredients[ketamine]";
    expect(&doc, &format!("{k}.measure"), "7.875 mL");
    expect_json(&doc, &format!("{k}.measure_rounded"), serde_json::json!({"value": "7.8", "unit": "mL"}));
    expect(&doc, &format!("{k}.syringe.capacity"), "10 mL");
    expect(&doc, &format!("{k}.syringe.graduation"), "0.2 mL");
    expect_json(&doc, &format!("{k}.syringe.draws"), 1.into());
    expect_json(&doc, &format!("{k}.dilution"), Value::Null);
    expect(&doc, &format!("{k}.as_measured.amount"), "780 mg");
    let dev = number(&doc, &format!("{k}.as_measured.deviation"));
    assert!((dev - crate::iv::d("-0.952380952380952380952")).abs() < crate::iv::d("0.0000001"), "{dev}");
    expect_within(
        &doc,
        "strengths[ketamine].as_measured.concentration",
        "49.5238095238095 mg/mL",
        "0.000000001",
    );
    expect(&doc, "controlled[ketamine].as_measured.withdraw", "780 mg");
    expect_within(&doc, "controlled[ketamine].as_measured.in_product", "742.857142857143 mg", "0.000000001");
    expect_within(
        &doc,
        "controlled[ketamine].as_measured.overage_loss",
        "37.1428571428571 mg",
        "0.000000001",
    );
    expect(&doc, "controlled[ketamine].left_in_vials.volume", "2.2 mL");
    expect(&doc, "controlled[ketamine].left_in_vials.amount", "220 mg");
    // The exact figures keep their rev. 2 meaning beside them.
    expect(&doc, "controlled[ketamine].withdraw", "787.5 mg");
    expect(&doc, "controlled[ketamine].withdraw_volume", "7.875 mL");
    // An active 0.95% off: no `rounding-deviation` (that is above 2%).
    assert!(doc["warnings"].as_array().unwrap().iter().all(|w| w["code"] != "rounding-deviation"), "{doc:#}");
}

/// 1.125 mL of a 1:750 w/v benzalkonium stock on the 3 mL syringe's 0.1 mL marks: 1.1 mL,
/// which holds 1.1 × 1000 ÷ 750 = 1.4667 mg of the 1.5 mg (−2.222%). Not an active: no
/// `rounding-deviation`.
#[test]
fn case_ratio_stock_on_the_three_millilitre_syringe() {
    let doc = case(
        "measured-stock-bak-ratio-syringe",
        "ketamine-hcl-oral-solution-stock.toml",
        &["--date", "2026-11-26"],
    );
    let b = "ingredients[benzalkonium-chloride]";
    expect(&doc, &format!("{b}.measure"), "1.125 mL");
    expect_json(&doc, &format!("{b}.measure_rounded"), serde_json::json!({"value": "1.1", "unit": "mL"}));
    expect(&doc, &format!("{b}.syringe.capacity"), "3 mL");
    expect(&doc, &format!("{b}.syringe.graduation"), "0.1 mL");
    expect_within(
        &doc,
        &format!("{b}.as_measured.amount"),
        "1.466666666666666666666666667 mg",
        "0.000000001",
    );
    let dev = number(&doc, &format!("{b}.as_measured.deviation"));
    assert!((dev - crate::iv::d("-2.2222222222222")).abs() < crate::iv::d("0.0000001"), "{dev}");
    assert!(doc["warnings"].as_array().unwrap().iter().all(|w| w["code"] != "rounding-deviation"));
}

/// Every built-in formula's volumes measured at its reference batch (a 70 kg patient for an
/// infusion) have a syringe, a rounded volume on its marks and an as-measured amount.
#[test]
fn every_built_in_volume_has_a_syringe() {
    let mut measured = 0;
    for id in builtin_ids() {
        let doc = crate::cli::batch_json(&id, &[]);
        for ing in doc["ingredients"].as_array().unwrap() {
            if ing["measure"].is_null() {
                assert_eq!(ing["syringe"], Value::Null, "{id} {}", ing["id"]);
                continue;
            }
            measured += 1;
            let s = &ing["syringe"];
            assert!(s["capacity"]["value"].is_string() && s["draws"].is_u64(), "{id} {}: {s}", ing["id"]);
            let graduation = crate::iv::d(s["graduation"]["value"].as_str().unwrap());
            let rounded = crate::iv::d(ing["measure_rounded"]["value"].as_str().unwrap());
            assert_eq!((rounded / graduation).fract(), rust_decimal::Decimal::ZERO, "{id} {}", ing["id"]);
            assert!(!ing["as_measured"].is_null(), "{id} {}", ing["id"]);
        }
    }
    // The levigants of the two creams, and the stocks of the two infusions and the spray.
    assert_eq!(measured, 5);
}

/// `ketacalc` with the built-in formulary, in UTC.
fn run(args: &[&str]) -> crate::cli::Run {
    finish(ketacalc().env("TZ", "UTC").args(args))
}

/// `ketacalc VERB ARGS… EXTRA…`, in UTC.
fn command(verb: &str, args: &[&str], extra: &[&str]) -> crate::cli::Run {
    finish(ketacalc().env("TZ", "UTC").arg(verb).args(args).args(extra))
}

/// The refusals of SPEC §12: each a clear error with the figures, never a worksheet.
#[test]
fn refusals_say_why_with_the_figures() {
    let iv = "ketamine-iv-0.5mgkg-100ml";
    let at = ["--date", "2026-03-07", "--time", "09:00"];
    let cases: [(Vec<&str>, i32, &[&str]); 4] = [
        // A custom dose above the formula's ceiling.
        (
            vec!["batch", iv, "--weight", "83.4kg", "--dose", "1mg/kg"],
            1,
            &["1 mg/kg × 83.4 kg = 83.4 mg", "maximum of 50 mg", "--authorized-by"],
        ),
        // A dose no dilution can measure: 0.001 mg/kg × 1.5 kg = 0.0015 mg = 0.00003 mL.
        (
            vec!["batch", iv, "--weight", "1.5kg", "--dose", "0.001mg/kg"],
            1,
            &[
                "needs 0.0015 mg, which is 0.00003 mL of the 50 mg/mL stock",
                "1 in 50",
                "0.0015 mL",
                "at most 0.1875 mg/mL",
            ],
        ),
        // `--max` on a spray: a usage error.
        (
            vec!["batch", "ketamine-nasal-spray-50-vial", "--max", "80mg", "--authorized-by", "Dr A. Jones"],
            2,
            &["`--max` does not apply to a `nasal-spray`"],
        ),
        // `--max` without who approved it.
        (vec!["label", iv, "--weight", "70kg", "--max", "80mg"], 2, &["`--max` needs `--authorized-by`"]),
    ];
    for (args, code, says) in cases {
        let mut all = args.clone();
        if args[1] == iv {
            all.extend_from_slice(&at);
        } else {
            all.extend_from_slice(&at[..2]);
        }
        for format in [&["--format", "json"][..], &[]] {
            let mut with = all.clone();
            with.extend_from_slice(format);
            let r = run(&with);
            assert_eq!(r.code, code, "{with:?}: {}", r.stderr);
            assert!(r.stdout.is_empty(), "{with:?} printed:\n{}", r.stdout);
            assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
            for s in says {
                assert!(r.stderr.contains(s), "{with:?}: `{s}` not in {}", r.stderr);
            }
        }
    }
}

/// `0 mL` is never printed: a dose that rounds to nothing is refused, not drawn.
#[test]
fn draw_zero_is_never_printed() {
    for dose in ["0.001mg/kg", "0.004mg/kg", "0.005mg/kg"] {
        let r = run(&[
            "batch",
            "ketamine-iv-0.5mgkg-100ml",
            "--weight",
            "1.5kg",
            "--dose",
            dose,
            "--date",
            "2026-03-07",
        ]);
        assert!(!r.stdout.contains("draw 0 mL") && !r.stdout.contains(" 0 mL "), "{dose}:\n{}", r.stdout);
    }
}

/// The worksheet (80 columns), its bag label and the label, for each case of SPEC §12 a
/// person reads: the 1.5 kg dilution, a capped dose, a fixed-concentration bag that holds
/// far more than the dose, and the nasal spray from vials at 15 mL.
#[test]
fn snapshots_of_what_is_drawn_and_hung() {
    let iv = ["--date", "2026-03-07", "--time", "09:00"];
    let cases: [(&str, Vec<&str>); 4] = [
        ("dilution-1.5kg", vec!["ketamine-iv-0.5mgkg-100ml", "--weight", "1.5kg"]),
        ("capped-120kg", vec!["ketamine-iv-0.5mgkg-100ml", "--weight", "120kg"]),
        ("bag-exceeds-dose-83.4kg", vec!["ketamine-iv-1mgml-500ml", "--weight", "83.4kg"]),
        ("spray-vials-15ml", vec!["ketamine-nasal-spray-50-vial", "--quantity", "15mL"]),
    ];
    for (name, args) in cases {
        let dated: Vec<&str> = if name.starts_with("spray") { iv[..2].to_vec() } else { iv.to_vec() };
        let sheet = command("batch", &[&args[..], &dated[..]].concat(), &["--width", "80"]);
        assert_eq!(sheet.code, 0, "{name}: {}", sheet.stderr);
        for line in sheet.stdout.lines() {
            assert!(line.chars().count() <= 80, "{name}: {line}");
        }
        insta::assert_snapshot!(format!("measured-worksheet-80-{name}"), sheet.stdout);
        let label = command("label", &args, &dated);
        assert_eq!(label.code, 0, "{name}: {}", label.stderr);
        insta::assert_snapshot!(format!("measured-label-{name}"), label.stdout);
    }
}

/// The capped dose, the dose delivered and the order: the banner right under the title;
/// the label's dose line says it was capped and gives the dose per kg (SPEC §12.4).
#[test]
fn a_capped_dose_is_said_and_the_dose_printed_is_the_dose_delivered() {
    let r = run(&[
        "batch",
        "ketamine-iv-0.5mgkg-100ml",
        "--weight",
        "120kg",
        "--date",
        "2026-03-07",
        "--time",
        "09:00",
        "--width",
        "100",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let second = r.stdout.lines().nth(1).unwrap();
    assert_eq!(
        second,
        "*** DOSE CAPPED: 50 mg = 0.4167 mg/kg (0.5 mg/kg × 120 kg = 60 mg is above the maximum of 50 mg) ***"
    );
    let label = run(&[
        "label",
        "ketamine-iv-0.5mgkg-100ml",
        "--weight",
        "120kg",
        "--date",
        "2026-03-07",
        "--time",
        "09:00",
    ]);
    assert!(label.stdout.contains("Dose: 50 mg (capped at the maximum; 0.4167 mg/kg)"), "{}", label.stdout);
    // 1 mg/kg × 83.4 kg = 83.4 mg = 1.668 mL, on the 3 mL syringe 1.7 mL = 85 mg: the title,
    // the banner and the label say 85 mg, and the label the order beside it.
    let args = [
        "ketamine-iv-0.5mgkg-100ml",
        "--weight",
        "83.4kg",
        "--dose",
        "1mg/kg",
        "--max",
        "90mg",
        "--authorized-by",
        "Dr A. Jones",
        "--date",
        "2026-03-07",
        "--time",
        "09:00",
    ];
    let sheet = command("batch", &args, &["--width", "200"]);
    assert_eq!(sheet.code, 0, "{}", sheet.stderr);
    assert!(sheet.stdout.starts_with("COMPOUNDING WORKSHEET: Ketamine 85 mg in 100 mL"), "{}", sheet.stdout);
    assert!(sheet.stdout.contains("CUSTOM DOSE: 1 mg/kg = 85 mg"), "{}", sheet.stdout);
    assert!(sheet.stdout.contains("CUSTOM MAXIMUM: 90 mg (authorized by Dr A. Jones)"), "{}", sheet.stdout);
    assert!(!sheet.stdout.contains("custom dose 1 mg/kg\n"), "{}", sheet.stdout);
    let label = command("label", &args, &[]);
    // The label wraps at 60 columns; read it as one text.
    let read = label.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        read.contains("Dose: 85 mg (1.019 mg/kg; ordered 83.4 mg; rounded to a measurable 1.7 mL)"),
        "{read}"
    );
    assert!(read.contains("Maximum: 90 mg, authorized by Dr A. Jones"), "{read}");
}

/// A BUD under an hour after compounding prints in minutes, and an infusion that cannot end
/// before it is warned about with both times (SPEC §12.4).
#[test]
fn a_bud_under_an_hour_is_in_minutes() {
    let args = [
        "ketamine-iv-0.5mgkg-100ml",
        "--weight",
        "70kg",
        "--date",
        "2026-03-07",
        "--time",
        "23:30",
        "--expiry",
        "ketamine=2026-03-07",
    ];
    let r = command("batch", &args, &["--width", "100"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("2026-03-07 23:59 (29 minutes after compounding)"), "{}", r.stdout);
    assert!(!r.stdout.contains("0 hours"), "{}", r.stdout);
    let doc = command("batch", &args, &["--format", "json"]).json();
    assert_eq!(doc["bud"]["minutes"], 29);
    let w: Vec<&Value> = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "bud-before-infusion-ends")
        .collect();
    assert_eq!(w.len(), 1, "{doc:#}");
    let m = w[0]["message"].as_str().unwrap();
    assert!(
        m.contains("2026-03-07 23:30") && m.contains("2026-03-08 00:10") && m.contains("2026-03-07 23:59"),
        "{m}"
    );
}

/// `{weigh:ID}` of a stock says what is drawn, and `validate` warns where formula text puts
/// a strength right after it (SPEC §12.2).
#[test]
fn a_strength_after_a_draw_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("iv.toml");
    let text = crate::iv::iv(&[(
        "Draw {weigh:ketamine} of ketamine;",
        "Draw {weigh:ketamine} of ketamine 50 mg/mL;",
    )]);
    std::fs::write(&path, &text).unwrap();
    let line = text.lines().position(|l| l.contains("50 mg/mL;")).unwrap() + 1;
    let column = text.lines().nth(line - 1).unwrap().find("50 mg/mL;").unwrap() + 1;
    let r = run(&["validate", path.to_str().unwrap(), "--format", "json"]);
    let doc = r.json();
    let d = &doc["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["severity"].as_str()),
        (Some("strength-after-draw"), Some("warning")),
        "{doc:#}"
    );
    assert!(d["message"].as_str().unwrap().contains("`50 mg/mL`"), "{d}");
    // At the strength itself.
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(line as u64), Some(column as u64)), "{d}");
    let r = run(&["validate", path.to_str().unwrap(), "--deny-warnings"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    // The built-in formulary has none.
    let r = run(&["validate", "--deny-warnings"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}
