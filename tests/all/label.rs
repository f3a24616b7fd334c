//! `ketacalc label` (SPEC §10, DOMAIN §7.5): what the label says in text and JSON, for
//! every built-in formula and for batches that are not the reference one. The label in a
//! browser is in `html.rs`.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::cli::{DATE, batch_json, builtin_ids, run};

const CAUTION: &str = "Caution: Federal law prohibits the transfer of this drug to any person other than the patient for whom it was prescribed";

fn label(id: &str, format: &str, extra: &[&str]) -> String {
    let mut args = vec!["label", id, "--date", DATE, "--format", format];
    args.extend_from_slice(crate::cli::patient(id, extra));
    args.extend_from_slice(extra);
    let r = run(&args);
    assert_eq!(r.code, 0, "label {id} {extra:?}:\n{}", r.stderr);
    r.stdout
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_json_has_the_documented_shape() {
    let doc: Value = serde_json::from_str(&label("ketamine-hcl-nasal-spray-100", "json", &[])).unwrap();
    let keys: BTreeSet<&str> = doc.as_object().unwrap().keys().map(String::as_str).collect();
    let want: BTreeSet<&str> = [
        "preparation",
        "strengths",
        "dosage_form",
        "route",
        "quantity",
        "containers",
        "bud",
        "bud_time",
        "storage",
        "warnings",
        "compounded",
        "controlled_caution",
        "batch_id",
        "date",
        "mfr",
        "infusion",
        // Rev. 3 (SPEC §12.5): what an infusion's bag holds; the stocks it is made from.
        "contents",
        "prepared_from",
    ]
    .into_iter()
    .collect();
    assert_eq!(keys, want);
    assert_eq!((&doc["contents"], &doc["prepared_from"]), (&Value::Null, &serde_json::json!([])));
    assert_eq!(doc["preparation"], "Ketamine HCl 100 mg/mL Nasal Spray");
    let s = &doc["strengths"][0];
    assert_eq!((&s["id"], &s["basis"]), (&Value::from("ketamine-hcl"), &Value::from("salt")));
    assert_eq!(s["strength"], serde_json::json!({"value": "100", "unit": "mg/mL"}));
    assert_eq!(s["other_basis"]["basis"], "base");
    assert_eq!(doc["dosage_form"], "nasal-spray");
    assert_eq!(doc["quantity"], serde_json::json!({"value": "10", "unit": "mL"}));
    assert_eq!(doc["containers"]["count"], 1);
    assert_eq!(doc["bud"], "2026-12-31");
    // One storage statement: the formula's own, which states its storage (SPEC §13).
    assert_eq!(doc["storage"], "Store in the refrigerator (2-8 °C); do not freeze");
    assert!(
        !doc["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("refrigerator"))
    );
    assert_eq!(doc["compounded"], true);
    assert_eq!(doc["controlled_caution"], CAUTION);
    assert_eq!(doc["batch_id"], Value::Null);
    assert_eq!(doc["date"], DATE);
    assert_eq!(doc["mfr"], serde_json::json!({"id": "ketamine-hcl-nasal-spray-100", "revision": 3}));
    assert_eq!(doc["infusion"], Value::Null);
    // The per-spray amount in the warnings is filled in for the batch.
    assert!(
        doc["warnings"]
            .as_array()
            .unwrap()
            .contains(&Value::from("Each spray contains 10 mg ketamine hydrochloride"))
    );
}

/// The label agrees with the batch: same name, strengths, quantity and BUD, at the
/// reference batch and at others.
#[test]
fn the_label_says_what_the_batch_computed() {
    for id in builtin_ids() {
        for extra in [&[][..], &["--quantity", "2", "--overage", "0%"][..]] {
            let extra: Vec<&str> = if extra.is_empty() || id.contains("troche") || id.contains("rdt") {
                extra.to_vec()
            } else {
                vec![]
            };
            let b = batch_json(&id, &extra);
            let l: Value = serde_json::from_str(&label(&id, "json", &extra)).unwrap();
            assert_eq!(l["preparation"], b["formula"]["name"], "{id}");
            // An infusion's quantity is its bag's final volume (SPEC §8.5).
            let quantity =
                if b["quantity"].is_null() { &b["infusion"]["final_volume"] } else { &b["quantity"] };
            assert_eq!(&l["quantity"], quantity, "{id}");
            assert_eq!(l["bud"], b["bud"]["date"], "{id}");
            assert_eq!(l["dosage_form"], b["formula"]["dosage_form"], "{id}");
            for (ls, bs) in l["strengths"].as_array().unwrap().iter().zip(b["strengths"].as_array().unwrap())
            {
                assert_eq!(ls["strength"], bs["concentration"], "{id}");
                assert_eq!(ls["other_basis"]["strength"], bs["other_basis"]["concentration"], "{id}");
            }
            assert_eq!(l["strengths"].as_array().unwrap().len(), b["strengths"].as_array().unwrap().len());
        }
    }
}

#[test]
fn the_text_label_is_plain_narrow_and_says_everything_once() {
    for id in builtin_ids() {
        let text = label(&id, "text", &["--batch-id", "KT-0042"]);
        for line in text.lines() {
            assert!(line.chars().count() <= 60, "{id}: `{line}`");
            assert!(!line.contains(['┌', '│', '─', '+', '|']), "{id}: box drawing in `{line}`");
        }
        let flat = squash(&text);
        assert_eq!(flat.matches("Compounded preparation").count(), 1, "{id}:\n{text}");
        assert_eq!(flat.matches(CAUTION).count(), 1, "{id}:\n{text}");
        let b = batch_json(&id, &[]);
        for want in [
            b["formula"]["name"].as_str().unwrap(),
            b["bud"]["date"].as_str().unwrap(),
            "Batch KT-0042",
            DATE,
            &format!("MFR {id} rev."),
        ] {
            assert!(flat.contains(want), "{id}: `{want}` missing:\n{text}");
        }
    }
}

/// 35 mL of the spray at 50 mg/mL: four bottles, the last part-filled (SPEC §13), the custom
/// strength in both bases, and the per-spray amount of this batch.
#[test]
fn containers_and_a_custom_strength() {
    let args = ["--quantity", "35mL", "--strength", "50mg/mL"];
    let text = squash(&label("ketamine-hcl-nasal-spray-100", "text", &args));
    for want in [
        "Ketamine HCl 50 mg/mL Nasal Spray",
        "Ketamine Hydrochloride USP 50 mg/mL (as salt) = 43.35 mg/mL (as base)",
        "Quantity: 35 mL in 3 bottles of 10 mL and 1 bottle of 5 mL",
        "Each spray contains 5 mg ketamine hydrochloride",
    ] {
        assert!(text.contains(want), "`{want}` missing:\n{text}");
    }
    let doc: Value = serde_json::from_str(&label("ketamine-hcl-nasal-spray-100", "json", &args)).unwrap();
    assert_eq!(
        doc["containers"],
        serde_json::json!({"count": 4, "fill": {"value": "10", "unit": "mL"}, "last": {"value": "5", "unit": "mL"}})
    );
}

#[test]
fn the_html_label_is_one_self_contained_label_page() {
    let html = label("ketamine-hcl-troche-50", "html", &[]);
    assert!(html.contains("@page { size: 4in 2in; margin: 0.1in; }"));
    for banned in ["<script", "<link", "<img", "http:", "https:", "url("] {
        assert!(!html.contains(banned), "{banned}");
    }
    assert!(html.contains(r#"<span class="blank"></span>"#), "no batch id blank");
}

#[test]
fn label_takes_the_batch_options_and_writes_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("label.txt");
    let r = run(&[
        "label",
        "ketamine-hcl-troche-50",
        "--date",
        DATE,
        "--quantity",
        "60",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(std::fs::read_to_string(&out).unwrap().contains("Quantity: 60 units"));
    // Bad values and usage errors behave as for `batch`.
    assert_eq!(run(&["label", "ketamine-hcl-troche-50", "--quantity", "0"]).code, 1);
    assert_eq!(run(&["label", "ketamine-hcl-troche-50", "--fill", "10mL"]).code, 2);
    assert_eq!(run(&["label", "ketamine-hcl-troche-50", "--format", "pdf"]).code, 2);
    assert_eq!(run(&["label", "ketamine-hcl-troche-50", "--explain"]).code, 2);
}
