//! The JSON document and the other formats of an infusion (SPEC §5, §8.4, §8.5): its
//! shape (what is null, which keys `bud`, `controlled` and `infusion` have), the shape the
//! other forms keep, every worksheet format and the label, and snapshots of the worksheet
//! at 80 columns and of the JSON document.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::cli::batch_json;
use crate::iv::{BASE, batch, d, exact, iv, json, json_at, run_tz, text_of};

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap_or_else(|| panic!("not an object: {v}")).keys().cloned().collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// The fixed-concentration bag of DOMAIN §10.1 (500 mg in 500 mL).
fn fixed() -> String {
    iv(&[
        ("method = \"whole-bag\"", "method = \"fixed-concentration\"\nconcentration = \"1 mg/mL\""),
        ("bag = \"100 mL\"", "bag = \"500 mL\""),
    ])
}

/// The top level of a batch document: the keys of SPEC §5, with `cavities` and
/// `containers` (SPEC §7.5, §7.6), and `infusion` for an infusion only.
const TOP: &[&str] = &[
    "formula",
    "date",
    "batch_id",
    "quantity",
    "prepared",
    "ingredients",
    "qs",
    "unit_weight",
    "cavities",
    "molds",
    "containers",
    "strengths",
    "doses",
    "bud",
    "controlled",
    "warnings",
];

/// An infusion's document: `quantity`, `prepared`, `qs`, `unit_weight`, `doses` null; the
/// active measured (`measure` = Vd, `weigh` null), the vehicle's `required` the bag; the
/// strength the bag's true concentration, without a dose.
#[test]
fn an_infusion_document_has_its_own_nulls() {
    let doc = json(BASE, &["--weight", "70kg"]);
    let mut top = set(TOP);
    top.insert("infusion".to_string());
    assert_eq!(keys(&doc), top);
    for key in
        ["quantity", "prepared", "qs", "unit_weight", "doses", "cavities", "molds", "containers", "batch_id"]
    {
        assert_eq!(doc[key], Value::Null, "{key}");
    }
    let active = &doc["ingredients"][0];
    assert_eq!((active["id"].as_str(), active["qs"].as_bool()), (Some("ketamine"), Some(false)));
    assert_eq!(active["weigh"], Value::Null);
    assert_eq!(active["weigh_rounded"], Value::Null);
    assert_eq!(active["measure"], serde_json::json!({"value": "0.7", "unit": "mL"}));
    // The active's `required` is the drug that goes into the bag: D for a whole bag.
    assert_eq!(active["required"], serde_json::json!({"value": "35", "unit": "mg"}));
    let vehicle = &doc["ingredients"][1];
    assert_eq!((vehicle["id"].as_str(), vehicle["qs"].as_bool()), (Some("sodium-chloride-0.9"), Some(true)));
    assert_eq!(vehicle["required"], serde_json::json!({"value": "100", "unit": "mL"}));
    assert_eq!((vehicle["weigh"].clone(), vehicle["measure"].clone()), (Value::Null, Value::Null));
    let s = &doc["strengths"][0];
    assert_eq!(s["concentration"], doc["infusion"]["concentration"]);
    assert_eq!(
        (s["per_dose"].clone(), s["dose"].clone(), s["mfr_concentration"].clone()),
        (Value::Null, Value::Null, Value::Null)
    );
    assert_eq!(s["other_basis"]["basis"], "salt");
    // A fixed-concentration bag: `required` is T.
    let doc = json(&fixed(), &["--weight", "70kg"]);
    assert_eq!(doc["ingredients"][0]["required"], serde_json::json!({"value": "500", "unit": "mg"}));
}

/// `bud` of an infusion has exactly `date`, `time`, `days`, `hours`, `rule`, `limited_by`
/// and (rev. 3, SPEC §12.4) `minutes`, with exactly one of `days` and `hours` a number.
#[test]
fn an_infusion_bud_has_a_time_and_hours_or_days() {
    let bud_keys = set(&["date", "time", "days", "hours", "rule", "limited_by", "minutes"]);
    let by_hours = json(BASE, &["--weight", "70kg"])["bud"].clone();
    assert_eq!(keys(&by_hours), bud_keys);
    assert!(by_hours["hours"].is_u64() && by_hours["days"].is_null(), "{by_hours}");
    assert_eq!(by_hours["minutes"], 720, "{by_hours}");
    let cat2 = iv(&[("sterile_category = \"1\"", "sterile_category = \"2\"\nsterile_method = \"terminal\"")]);
    let by_days = json(&cat2, &["--weight", "70kg"])["bud"].clone();
    assert_eq!(keys(&by_days), bud_keys);
    assert!(by_days["days"].is_u64() && by_days["hours"].is_null(), "{by_days}");
    // `time` is `HH:MM`.
    for b in [&by_hours, &by_days] {
        let t = b["time"].as_str().unwrap();
        assert!(
            t.len() == 5 && t.as_bytes()[2] == b':' && t.replace(':', "").bytes().all(|c| c.is_ascii_digit()),
            "{t}"
        );
    }
}

/// `infusion` has the keys the JSON module documents; `dose_other_basis` and `nominal`
/// theirs; `controlled` entries add `withdraw_volume` and `undelivered`.
#[test]
fn the_infusion_object_has_its_documented_keys() {
    let documented = set(&[
        "weight",
        "dose",
        "dose_other_basis",
        "rule",
        "capped",
        "method",
        "stock",
        "drug_in_bag",
        "drug_volume",
        "vials",
        "bag",
        "overfill",
        "final_volume",
        "concentration",
        "volume_to_infuse",
        "duration",
        "rate",
        "drop_factor",
        "drip_rate",
        "nominal",
        // Rev. 3 (SPEC §12.3, §12.4).
        "as_measured",
        "dose_rate",
        "dose_per_kg",
        "fluid_per_kg",
        "max",
        "max_authorized_by",
        "start_by",
    ]);
    let doc = json(&fixed(), &["--weight", "70kg"]);
    let i = &doc["infusion"];
    assert_eq!(keys(i), documented);
    assert_eq!(keys(&i["dose_other_basis"]), set(&["basis", "dose"]));
    assert_eq!(keys(&i["nominal"]), set(&["concentration", "volume_to_infuse", "rate"]));
    assert_eq!(
        keys(&i["as_measured"]),
        set(&[
            "in_bag",
            "dose",
            "final_volume",
            "concentration",
            "volume_to_infuse",
            "rate",
            "drip_rate",
            "deviation"
        ])
    );
    assert_eq!(keys(&i["dose_rate"]), set(&["per_hour", "per_kg_per_hour"]));
    assert_eq!(i["dose_rate"]["per_kg_per_hour"]["unit"], "mg/kg/h");
    assert_eq!(i["fluid_per_kg"]["unit"], "mL/kg");
    assert_eq!(i["method"], "fixed-concentration");
    assert!(i["capped"].is_boolean() && i["vials"].is_u64());
    // Units: weight in kg, rule in mg/kg, duration in min, rate in mL/h, drip in gtt/min.
    for (key, unit) in [
        ("weight", "kg"),
        ("dose", "mg"),
        ("rule", "mg/kg"),
        ("stock", "mg/mL"),
        ("drug_volume", "mL"),
        ("bag", "mL"),
        ("overfill", "mL"),
        ("final_volume", "mL"),
        ("concentration", "mg/mL"),
        ("volume_to_infuse", "mL"),
        ("duration", "min"),
        ("rate", "mL/h"),
        ("drop_factor", "gtt/mL"),
        ("drip_rate", "gtt/min"),
    ] {
        assert_eq!(i[key]["unit"], unit, "{key}");
        assert!(i[key]["value"].is_string(), "{key}");
    }
    assert_eq!(
        keys(&doc["controlled"][0]),
        set(&[
            "id",
            "schedule",
            "withdraw",
            "withdraw_volume",
            "in_product",
            "overage_loss",
            "aliquot_remainder",
            "undelivered",
            "as_measured",
            "left_in_vials"
        ])
    );
    assert_eq!(
        keys(&doc["controlled"][0]["as_measured"]),
        set(&[
            "withdraw",
            "in_product",
            "overage_loss",
            "dilution_remainder",
            "aliquot_remainder",
            "undelivered"
        ])
    );
    assert_eq!(keys(&doc["controlled"][0]["left_in_vials"]), set(&["volume", "amount"]));
    // A whole bag has no nominal figures; without molecular weights, no other basis.
    let plain = iv(&[("molecular_weight = \"274.19\"\nbase_molecular_weight = \"237.73\"\n", "")]);
    let doc = json(&plain, &["--weight", "70kg"]);
    assert_eq!(doc["infusion"]["nominal"], Value::Null);
    assert_eq!(doc["infusion"]["dose_other_basis"], Value::Null);
    assert_eq!(doc["strengths"][0]["other_basis"], Value::Null);
    // A duration given in hours is reported in minutes: 1.5 h = 90 min.
    let doc = json(BASE, &["--weight", "70kg", "--duration", "1.5h"]);
    exact(&doc, "infusion.duration", "90 min");
}

/// The other forms keep the shape of SPEC §5: no `infusion`, a `bud` without `time` or
/// `hours`, `controlled` entries without `withdraw_volume` or `undelivered`.
#[test]
fn other_forms_keep_their_shape() {
    for id in ["ketamine-hcl-nasal-spray-100", "ketamine-hcl-troche-50", "ketamine-hcl-cream-10"] {
        let doc = batch_json(id, &[]);
        assert_eq!(keys(&doc), set(TOP), "{id}");
        assert_eq!(keys(&doc["bud"]), set(&["date", "days", "rule", "limited_by"]), "{id}");
        assert!(doc["bud"]["days"].is_u64(), "{id}");
        for c in doc["controlled"].as_array().unwrap() {
            // Rev. 3 (SPEC §12.3) adds `as_measured` and `left_in_vials` to every form.
            assert_eq!(
                keys(c),
                set(&[
                    "id",
                    "schedule",
                    "withdraw",
                    "in_product",
                    "overage_loss",
                    "aliquot_remainder",
                    "as_measured",
                    "left_in_vials"
                ]),
                "{id}"
            );
        }
    }
}

/// `text` without its HTML tags.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every worksheet format works for an infusion and holds its figures: the true
/// concentration (0.3476 mg/mL), the rate (151.05 → 151.1 mL/h), the drip (38 gtt/min), the
/// drug volume (0.7 mL), the BUD's date and time.
#[test]
fn every_format_prints_an_infusion() {
    for format in ["table", "markdown", "html"] {
        let out = strip_tags(&text_of(BASE, format, &["--weight", "70kg"]));
        let out = out.replace("&nbsp;", " ").replace('\u{a0}', " ");
        for want in
            ["0.3476 mg/mL", "151.1 mL/h", "38 gtt/min", "0.7 mL", "100.7 mL", "2026-11-26 21:00", "C-III"]
        {
            assert!(out.contains(want), "--format {format}: `{want}` in:\n{out}");
        }
        assert!(!out.contains("{bag}") && !out.contains("{rate}"), "{format}: a placeholder left:\n{out}");
    }
    let html = text_of(BASE, "html", &["--weight", "70kg"]);
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    let csv = text_of(BASE, "csv", &["--weight", "70kg"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        lines[1].starts_with("ketamine,")
            && lines[1].contains(",35,mg,")
            && lines[1].contains(",0.7,0.70,mL,"),
        "{csv}"
    );
    assert!(lines[2].starts_with("sodium-chloride-0.9,") && lines[2].contains(",100,mL,"), "{csv}");
    // JSON as well, and `-o FILE` writes the same document.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bag.json");
    let r = run_tz(
        "UTC",
        BASE,
        &[
            "batch",
            "{f}",
            "--format",
            "json",
            "--weight",
            "70kg",
            "--date",
            "2026-11-26",
            "--time",
            "09:00",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written, json(BASE, &["--weight", "70kg"]));
}

/// The label of an infusion (SPEC §10): patient, dose, volume, true concentration (the
/// nominal after it in parentheses), rate, BUD date and time, the federal caution.
#[test]
fn the_label_of_an_infusion() {
    let label = |text: &str, format: &str| {
        let r = run_tz(
            "UTC",
            text,
            &[
                "label",
                "{f}",
                "--format",
                format,
                "--weight",
                "70kg",
                "--date",
                "2026-11-26",
                "--time",
                "09:00",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let text = label(&fixed(), "text");
    for want in [
        // Rev. 3 (SPEC §12.4, §12.5): the bag's contents first, the dose delivered with its
        // rates, the pump, and when to start.
        "Ketamine 500 mg (as base) in 510 mL 0.9% Sodium Chloride",
        "Prepared from Ketamine Injection USP 50 mg/mL (as base)",
        "Dose: 35 mg (0.5 mg/kg)",
        "Dose rate: 52.5 mg/h = 0.75 mg/kg/h",
        "VTBI 35.7 mL",
        "Volume: 510 mL",
        "Concentration: 0.9804 mg/mL (nominal 1 mg/mL)",
        "Infuse: 35.7 mL over 40 min at 53.6 mL/h (13 gtt/min)",
        "Use an infusion pump",
        "Start by 20:20",
        "Beyond-use date: 2026-11-26 21:00",
        "Federal law prohibits",
        "Patient:",
    ] {
        assert!(text.contains(want), "`{want}` in:\n{text}");
    }
    for line in text.lines() {
        assert!(line.chars().count() <= 60, "{line}");
    }
    // The bag holds 500 mg for a 35 mg dose: the volume to infuse comes before the bag's.
    assert!(text.find("VTBI 35.7 mL").unwrap() < text.find("Volume: 510 mL").unwrap(), "{text}");
    // The first strength is the bag's: the stock's 50 mg/mL only after it, on its own line.
    let second = text.lines().nth(1).unwrap();
    assert!(second.starts_with("Ketamine 500 mg (as base) in 510 mL"), "{text}");
    assert!(text.lines().all(|l| !(l.contains("0.9804 mg/mL") && l.contains("50 mg/mL"))), "{text}");
    let doc: Value = serde_json::from_str(&label(&fixed(), "json")).unwrap();
    assert_eq!(
        doc["contents"],
        serde_json::json!({
            "amount": {"value": "500", "unit": "mg"},
            "volume": {"value": "510", "unit": "mL"},
            "concentration": doc["infusion"]["as_measured"]["concentration"].clone()
        })
    );
    assert_eq!(doc["bud_time"], "21:00");
    let i = &doc["infusion"];
    assert_eq!(i["nominal_concentration"], serde_json::json!({"value": "1", "unit": "mg/mL"}));
    assert_eq!(i["volume_to_infuse"], serde_json::json!({"value": "35.7", "unit": "mL"}));
    assert_eq!(i["rate"], serde_json::json!({"value": "53.55", "unit": "mL/h"}));
    let c = d(i["concentration"]["value"].as_str().unwrap());
    assert!((c - d("500") / d("510")).abs() < d("0.000000000000000000001"), "{c}");
    let html = label(BASE, "html");
    assert!(html.contains("0.3476") && html.contains("151.1"), "{html}");
}

/// The table worksheet of an infusion at 80 columns: no line longer than 80, and a
/// snapshot of the whole (TZ=UTC, `--date 2026-11-26 --time 09:00`, 70 kg).
#[test]
fn snapshot_of_the_infusion_worksheet_at_80_columns() {
    let sheet =
        text_of(&fixed(), "table", &["--weight", "70kg", "--width", "80", "--lot", "ketamine=KET-2026-0042"]);
    for line in sheet.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
    assert!(sheet.contains("KET-2026-0042"), "{sheet}");
    insta::assert_snapshot!("iv-fixed-concentration-worksheet-80", sheet);
    let sheet = text_of(BASE, "table", &["--weight", "154lb", "--width", "80", "--explain"]);
    for line in sheet.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
    insta::assert_snapshot!("iv-whole-bag-worksheet-80-explain", sheet);
}

/// Snapshots of the JSON documents of a whole bag and a fixed-concentration bag.
#[test]
fn snapshot_of_the_infusion_json() {
    insta::assert_snapshot!("iv-whole-bag-json", text_of(BASE, "json", &["--weight", "70kg"]));
    let capped = json_at(&fixed(), "2026-12-31", "20:00", &["--weight", "120kg", "--batch-id", "IV-0007"]);
    insta::assert_snapshot!(
        "iv-fixed-concentration-capped-json",
        serde_json::to_string_pretty(&capped).unwrap()
    );
    // A fixed dose without a weight: `weight` and `rule` null.
    let r = batch(BASE, &["--format", "json", "--dose", "35mg", "--date", "2026-11-26", "--time", "09:00"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    assert_eq!(
        (doc["infusion"]["weight"].clone(), doc["infusion"]["rule"].clone()),
        (Value::Null, Value::Null)
    );
}
