//! The completed record (SPEC §14.2–§14.3): `ketacalc record FILE` of a batch file with
//! readings, for every built-in formula and every kind of reading.
//!
//! Each built-in formula's batch file is first read with no readings at all (every
//! reading `missing`, the record `incomplete`), whose targets are checked against the
//! batch document's own figures; then with every reading at its target (`ready`, exit
//! 0); then with one active over and one reading under its tolerance (`check`, exit 3,
//! a reason naming each). Then the kinds of reading one at a time: an aliquot read step
//! by step, a troche with and without its final weight, an infusion read by volume, by
//! net mass and through a dilution, C-III stocks that reconcile and do not, and the
//! record's `batch`, byte for byte the document of `batch --from`.

use std::path::PathBuf;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::cli::{Run, builtin_ids, finish, ketacalc, root};

pub(crate) fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("`{s}`: {e}"))
}

/// A TOML string.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A quantity of the JSON as a batch file writes it: `2.1169 g`.
fn written(q: &Value) -> String {
    format!("{} {}", q["value"].as_str().unwrap(), q["unit"].as_str().unwrap())
}

/// A JSON quantity in mg or mL.
fn base(q: &Value) -> Decimal {
    let v = d(q["value"].as_str().unwrap());
    match q["unit"].as_str().unwrap() {
        "g" => v * d("1000"),
        "mcg" => v / d("1000"),
        "mg" | "mL" => v,
        other => panic!("unit {other}"),
    }
}

/// One reading of a batch file: an ingredient, its step, and the figure.
#[derive(Debug, Clone)]
pub(crate) struct Figure {
    pub(crate) id: String,
    pub(crate) step: Option<String>,
    pub(crate) value: Decimal,
    pub(crate) unit: String,
}

impl Figure {
    fn text(&self) -> String {
        format!("{} {}", self.value, self.unit)
    }
}

/// A scheduled ingredient's stock readings: before, after, waste and witness.
#[derive(Debug, Clone)]
pub(crate) struct Stock {
    id: String,
    before: String,
    after: String,
    waste: Option<String>,
    witness: Option<String>,
}

/// A batch file with its readings, which the tests change one part at a time.
#[derive(Debug, Clone)]
pub(crate) struct BatchFile {
    head: String,
    pub(crate) figures: Vec<Figure>,
    yielded: Option<String>,
    pub(crate) final_weight: Option<String>,
    qc: Vec<(usize, String)>,
    /// The C-III stock readings.
    controlled: Vec<Stock>,
    people: Vec<(&'static str, &'static str)>,
}

impl BatchFile {
    pub(crate) fn text(&self) -> String {
        let mut out = self.head.clone();
        out.push_str("\n[actual]\n");
        let mut ids: Vec<&str> = Vec::new();
        for f in &self.figures {
            if !ids.contains(&f.id.as_str()) {
                ids.push(&f.id);
            }
        }
        for id in ids {
            let of: Vec<&Figure> = self.figures.iter().filter(|f| f.id == id).collect();
            if of.len() == 1 && of[0].step.is_none() {
                out.push_str(&format!("{} = {}\n", quoted(id), quoted(&of[0].text())));
            } else {
                let steps: Vec<String> = of
                    .iter()
                    .map(|f| format!("{} = {}", f.step.as_deref().unwrap(), quoted(&f.text())))
                    .collect();
                out.push_str(&format!("{} = {{ {} }}\n", quoted(id), steps.join(", ")));
            }
        }
        if let Some(y) = &self.yielded {
            out.push_str(&format!("yield = {}\n", quoted(y)));
        }
        if let Some(w) = &self.final_weight {
            out.push_str(&format!("final_weight = {}\n", quoted(w)));
        }
        out.push_str("\n[qc]\n");
        for (n, r) in &self.qc {
            out.push_str(&format!("{n} = {}\n", quoted(r)));
        }
        for c in &self.controlled {
            out.push_str(&format!("\n[controlled.{}]\n", quoted(&c.id)));
            out.push_str(&format!(
                "stock_before = {}\nstock_after = {}\n",
                quoted(&c.before),
                quoted(&c.after)
            ));
            if let Some(w) = &c.waste {
                out.push_str(&format!("waste = {}\n", quoted(w)));
            }
            if let Some(w) = &c.witness {
                out.push_str(&format!("witness = {}\n", quoted(w)));
            }
        }
        out.push_str("\n[people]\n");
        for (k, v) in &self.people {
            out.push_str(&format!("{k} = {}\n", quoted(v)));
        }
        out
    }

    /// The figure of `id` (at `step`).
    pub(crate) fn figure(&mut self, id: &str, step: Option<&str>) -> &mut Figure {
        self.figures
            .iter_mut()
            .find(|f| f.id == id && f.step.as_deref() == step)
            .unwrap_or_else(|| panic!("no reading of {id} {step:?}"))
    }

    /// Scales the figure of `id` (at `step`) by `factor`, exactly.
    pub(crate) fn scale(&mut self, id: &str, step: Option<&str>, factor: Decimal) {
        let f = self.figure(id, step);
        f.value = (f.value * factor).normalize();
    }

    /// Leaves out the figure of `id` at `step`.
    pub(crate) fn remove(&mut self, id: &str, step: Option<&str>) {
        self.figures.retain(|f| !(f.id == id && f.step.as_deref() == step));
    }
}

/// A scratch folder for batch files.
struct Scratch(tempfile::TempDir);

impl Scratch {
    fn new() -> Scratch {
        Scratch(tempfile::tempdir().unwrap())
    }

    /// Writes `text` as `name` and returns its path.
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    /// `ketacalc record FILE ARGS` of `text`.
    fn record(&self, name: &str, text: &str, args: &[&str]) -> Run {
        let p = self.write(name, text);
        finish(ketacalc().arg("record").arg(&p).args(args))
    }

    /// The record's JSON and its exit status (0 or 3).
    fn json(&self, name: &str, text: &str) -> (i32, Value) {
        let r = self.record(name, text, &["--format", "json"]);
        assert!(matches!(r.code, 0 | 3), "record {name} exit {}:\n{}\n{text}", r.code, r.stderr);
        (r.code, r.json())
    }
}

/// The top of the batch file of built-in formula `id` (an infusion's patient, 70 kg at
/// 09:00), with `more` lines.
pub(crate) fn head(id: &str, more: &str) -> String {
    let mut h = format!("formula = {}\ndate = \"2026-03-09\"\nbatch_id = \"R-0309-01\"\n", quoted(id));
    if id.starts_with("ketamine-iv-") && !more.contains("weight") {
        h.push_str("weight = \"70 kg\"\ntime = \"09:00\"\n");
    }
    h.push_str(more);
    h
}

/// The batch file of `head` with every reading at its target, every QC check passed,
/// each C-III stock reconciled to the readings and every person named: what the record
/// of the file without readings asks for.
fn at_targets(s: &Scratch, head: &str) -> BatchFile {
    at_targets_of(head, &|text| s.json("empty.toml", text))
}

/// [`at_targets`], with `record` the record (its exit status and JSON) of a batch file's
/// text.
pub(crate) fn at_targets_of(head: &str, record: &dyn Fn(&str) -> (i32, Value)) -> BatchFile {
    let (code, doc) = record(head);
    assert_eq!(code, 3, "{head}");
    assert_eq!(doc["release"]["status"], "incomplete");
    let figures: Vec<Figure> = doc["readings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["status"], "missing", "{r}");
            Figure {
                id: r["id"].as_str().unwrap().to_string(),
                step: r["step"].as_str().map(str::to_string),
                value: d(r["target"]["value"].as_str().unwrap()),
                unit: r["target"]["unit"].as_str().unwrap().to_string(),
            }
        })
        .collect();
    let b = &doc["batch"];
    let yielded = match &doc["yield"] {
        Value::Null => None,
        y => Some(match &y["theoretical"] {
            Value::Number(n) => n.to_string(),
            q => written(q),
        }),
    };
    let final_weight = match (&b["unit_weight"], &b["cavities"]) {
        (Value::Object(_), Value::Number(n)) => {
            Some(format!("{} mg", (base(&b["unit_weight"]) * Decimal::from(n.as_u64().unwrap())).normalize()))
        }
        _ => None,
    };
    let qc = doc["qc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| (q["check"].as_u64().unwrap() as usize, "pass".into()))
        .collect();
    let mut file = BatchFile {
        head: head.to_string(),
        figures,
        yielded,
        final_weight,
        qc,
        controlled: Vec::new(),
        people: vec![("compounded_by", "AB"), ("checked_by", "CD")],
    };
    for c in doc["controlled"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        file.controlled.push(stock_for(&file, b, id));
    }
    file
}

/// The stock readings of `id` that reconcile with `file`'s readings: a powder's container
/// on the balance, a stock solution's vials.
fn stock_for(file: &BatchFile, batch: &Value, id: &str) -> Stock {
    let of = |step: Option<&str>| file.figures.iter().find(|f| f.id == id && f.step.as_deref() == step);
    let drawn =
        batch["ingredients"].as_array().unwrap().iter().any(|i| i["id"] == id && i["weigh"].is_null());
    // What is left in the container after: 5 mL of a stock, 25 g of a powder.
    let (before, after) = if drawn {
        let v = of(Some("stock")).or_else(|| of(None)).unwrap();
        assert_eq!(v.unit, "mL");
        (format!("{} mL", d("5") + v.value), "5 mL".to_string())
    } else {
        let w = of(Some("weigh")).or_else(|| of(None)).unwrap();
        let mg = if w.unit == "g" { w.value * d("1000") } else { w.value };
        (format!("{} mg", d("25000.0") + mg), "25000.0 mg".to_string())
    };
    Stock { id: id.to_string(), before, after, waste: None, witness: Some("EF".to_string()) }
}

/// The record's entry of `key` for `id` (its first, or the one at `step`).
fn entry<'a>(doc: &'a Value, key: &str, id: &str) -> &'a Value {
    doc[key].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("no {key} of {id}"))
}

/// The targets of a record are what the worksheet asked for: the batch document's
/// rounded amounts, an aliquot's `W`, `T`, `A` rounded as the worksheet prints them, a
/// dilution's 1 mL, `k` mL and `take_rounded`, the volume made up to.
#[test]
fn the_targets_are_what_the_worksheet_asked_for() {
    let s = Scratch::new();
    for id in builtin_ids() {
        let (_, doc) = s.json("empty.toml", &head(&id, ""));
        let b = &doc["batch"];
        for ing in b["ingredients"].as_array().unwrap() {
            let iid = ing["id"].as_str().unwrap();
            let readings: Vec<&Value> =
                doc["readings"].as_array().unwrap().iter().filter(|r| r["id"] == iid).collect();
            let plan = b["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .find(|w| w["ingredient"] == iid && !w["aliquot"].is_null());
            let targets: Vec<(Option<&str>, String)> =
                readings.iter().map(|r| (r["step"].as_str(), written(&r["target"]))).collect();
            if ing["qs"] == true && !b["infusion"].is_null() {
                assert!(readings.is_empty(), "{id}: the bag takes no reading");
            } else if ing["qs"] == true {
                let want = if b["qs"]["to"].is_null() {
                    written(&ing["weigh_rounded"])
                } else {
                    written(&b["qs"]["to"])
                };
                assert_eq!(targets, [(None, want)], "{id} {iid}");
                assert_eq!(readings[0]["tolerance"], Value::Null);
            } else if let Some(w) = plan {
                let a = &w["aliquot"];
                let steps: Vec<Option<&str>> = targets.iter().map(|(s, _)| *s).collect();
                assert_eq!(steps, [Some("weigh"), Some("total"), Some("take")], "{id} {iid}");
                // The exact figures, rounded as the worksheet prints them.
                for ((_, t), exact) in targets.iter().zip([&a["weigh"], &a["total"], &a["take"]]) {
                    let step = if exact["unit"] == "mL" { d("0.01") } else { d("0.1") };
                    let (tv, _) = t.split_once(' ').unwrap();
                    assert!((d(tv) - base(exact).round_dp(2)).abs() <= step, "{id} {iid}: {t} for {exact}");
                }
            } else if !ing["dilution"].is_null() {
                let dl = &ing["dilution"];
                assert_eq!(
                    targets,
                    [
                        (Some("stock"), written(&dl["stock"])),
                        (Some("to"), written(&dl["to"])),
                        (Some("take"), written(&dl["take_rounded"]))
                    ],
                    "{id} {iid}"
                );
            } else if !ing["measure_rounded"].is_null() {
                assert_eq!(targets, [(None, written(&ing["measure_rounded"]))], "{id} {iid}");
            } else {
                assert_eq!(targets, [(None, written(&ing["weigh_rounded"]))], "{id} {iid}");
            }
            // An active or scheduled ingredient is held to 2%, any other to 5%.
            let tol = if ing["role"] == "active"
                || b["controlled"].as_array().unwrap().iter().any(|c| c["id"] == iid)
            {
                "2"
            } else {
                "5"
            };
            for r in readings.iter().filter(|r| !r["tolerance"].is_null()) {
                assert_eq!(r["tolerance"], tol, "{id} {iid}");
            }
        }
    }
}

/// Every built-in formula, every reading at its target: `ready`, exit 0, every reading
/// `in` (the qs `recorded`), every strength within the rounding of its targets.
#[test]
fn every_built_in_formula_read_at_its_targets_is_ready() {
    let s = Scratch::new();
    let ids = builtin_ids();
    assert_eq!(ids.len(), 10);
    for id in ids {
        let file = at_targets(&s, &head(&id, ""));
        let (code, doc) = s.json("ready.toml", &file.text());
        assert_eq!(
            (code, &doc["release"]["status"]),
            (0, &Value::from("ready")),
            "{id}: {}\n{}",
            doc["release"],
            file.text()
        );
        assert_eq!(doc["release"]["reasons"], Value::Array(vec![]));
        for r in doc["readings"].as_array().unwrap() {
            let want = if r["tolerance"].is_null() { "recorded" } else { "in" };
            assert_eq!((r["status"].as_str(), r["deviation"].as_str()), (Some(want), Some("0")), "{id}: {r}");
        }
        for st in doc["strengths"].as_array().unwrap() {
            assert_eq!(st["status"], "in", "{id}: {st}");
            // The targets are rounded once: to the balance (0.05 mg in the smallest
            // weighing) or to a syringe's marks (under 5%, SPEC §12.3).
            let dev = d(st["deviation"].as_str().unwrap()).abs();
            assert!(dev < d("1"), "{id}: {st}");
        }
        if let Some(y) = doc["yield"].as_object() {
            assert_eq!((y["percent"].as_str(), y["status"].as_str()), (Some("100"), Some("in")), "{id}");
        } else {
            assert!(id.starts_with("ketamine-iv-"), "{id}: no yield");
            assert_eq!(doc["infusion"]["status"], "in", "{id}");
        }
        for c in doc["controlled"].as_array().unwrap() {
            assert_eq!(
                (c["status"].as_str(), c["difference"]["value"].as_str()),
                (Some("reconciled"), Some("0")),
                "{id}"
            );
        }
    }
}

/// Every built-in formula with its active over its tolerance, and then with a reading
/// under its own: `check`, exit 3, and a reason that names the reading.
#[test]
fn an_active_over_and_a_reading_under_their_tolerance_are_to_check() {
    let s = Scratch::new();
    for id in builtin_ids() {
        let file = at_targets(&s, &head(&id, ""));
        let active = file.figures[0].clone();
        // The first reading is the (first) active's, or its first step.
        let mut over = file.clone();
        over.scale(&active.id, active.step.as_deref(), d("1.03"));
        let (code, doc) = s.json("over.toml", &over.text());
        assert_eq!((code, doc["release"]["status"].as_str()), (3, Some("check")), "{id}");
        let r = entry(&doc, "readings", &active.id);
        assert_eq!(r["status"], "over", "{id}: {r}");
        let reasons = doc["release"]["reasons"].as_array().unwrap();
        assert!(
            reasons.iter().any(|x| {
                let x = x.as_str().unwrap();
                x.starts_with(&active.id) && x.contains("+3% over the 2% tolerance")
            }),
            "{id}: {reasons:?}"
        );
        // Another reading under its tolerance: the last one that has a tolerance.
        let under =
            doc["readings"].as_array().unwrap().iter().rev().find(|r| !r["tolerance"].is_null()).unwrap();
        let (uid, ustep) = (under["id"].as_str().unwrap(), under["step"].as_str());
        let tol = d(under["tolerance"].as_str().unwrap());
        let mut low = file.clone();
        low.scale(uid, ustep, (d("100") - tol - d("1")) / d("100"));
        let (code, doc) = s.json("under.toml", &low.text());
        assert_eq!((code, doc["release"]["status"].as_str()), (3, Some("check")), "{id}: {}", low.text());
        let r = doc["readings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == uid && r["step"].as_str() == ustep)
            .unwrap();
        assert_eq!(r["status"], "under", "{id}: {r}");
        let reasons = doc["release"]["reasons"].as_array().unwrap();
        let want = format!("−{}% under the {}% tolerance", tol + d("1"), tol);
        assert!(
            reasons
                .iter()
                .any(|x| x.as_str().unwrap().starts_with(uid) && x.as_str().unwrap().contains(&want)),
            "{id}: {reasons:?}"
        );
    }
}

/// A missing reading, QC result, person or witness: `incomplete`, exit 3, one reason each.
#[test]
fn a_missing_reading_or_qc_result_is_incomplete() {
    let s = Scratch::new();
    let id = "ketamine-hcl-cream-10";
    let file = at_targets(&s, &head(id, ""));
    let mut missing = file.clone();
    missing.remove("ethoxydiglycol", None);
    let (code, doc) = s.json("m.toml", &missing.text());
    assert_eq!((code, doc["release"]["status"].as_str()), (3, Some("incomplete")));
    assert_eq!(entry(&doc, "readings", "ethoxydiglycol")["status"], "missing");
    // Without it, the cream's mass is not known: its strength is missing too.
    assert_eq!(entry(&doc, "strengths", "ketamine-hcl")["status"], "missing");
    assert_eq!(
        doc["release"]["reasons"],
        serde_json::json!([
            "ethoxydiglycol: no reading",
            "ketamine-hcl strength not computed: a reading it needs is missing"
        ])
    );
    let mut qc = file.clone();
    qc.qc.remove(1);
    qc.people.retain(|(k, _)| *k != "checked_by");
    qc.controlled[0].witness = None;
    let (code, doc) = s.json("q.toml", &qc.text());
    assert_eq!((code, doc["release"]["status"].as_str()), (3, Some("incomplete")));
    assert_eq!(doc["qc"][1]["result"], "missing");
    assert_eq!(doc["people"]["checked_by"], Value::Null);
    assert_eq!(
        doc["release"]["reasons"],
        serde_json::json!([
            "ketamine-hcl C-III waste has no witness: give `witness` in [controlled.ketamine-hcl]",
            "QC check 2 has no result in [qc]",
            "`checked_by` is not named in [people]"
        ])
    );
    // A failed check, with what was seen, is to check, however complete the rest is.
    let mut failed = file;
    failed.qc[0].1 = "fail: grainy".to_string();
    let (code, doc) = s.json("f.toml", &failed.text());
    assert_eq!((code, doc["release"]["status"].as_str()), (3, Some("check")));
    assert_eq!(
        (doc["qc"][0]["result"].as_str(), doc["qc"][0]["note"].as_str()),
        (Some("fail"), Some("grainy"))
    );
    assert_eq!(doc["release"]["reasons"], serde_json::json!(["QC check 1 failed: grainy"]));
}

/// C-III: a difference within the tolerance (the larger of 10 × the readability and 0.5%
/// of what was withdrawn) reconciles; one beyond it does not; recorded waste is
/// accounted for; a tolerance of the file's own replaces the default.
#[test]
fn a_c_iii_stock_reconciles_within_the_tolerance_and_not_beyond() {
    let s = Scratch::new();
    let file = at_targets(&s, &head("ketamine-hcl-troche-50", ""));
    // 1.6 g of ketamine HCl withdrawn: 0.5% is 8 mg, more than 10 × 0.1 mg.
    let mut within = file.clone();
    within.controlled[0].after = "24992.0 mg".to_string();
    let (code, doc) = s.json("w.toml", &within.text());
    let c = entry(&doc, "controlled", "ketamine-hcl");
    assert_eq!((code, c["status"].as_str()), (0, Some("reconciled")), "{c}");
    assert_eq!((written(&c["withdrawn"]), written(&c["accounted"])), ("1.608 g".into(), "1.6 g".into()));
    assert_eq!((written(&c["difference"]), written(&c["tolerance"])), ("8 mg".into(), "8.04 mg".into()));
    let mut beyond = file.clone();
    beyond.controlled[0].after = "24990.0 mg".to_string();
    let (code, doc) = s.json("b.toml", &beyond.text());
    let c = entry(&doc, "controlled", "ketamine-hcl");
    assert_eq!(
        (code, c["status"].as_str(), written(&c["difference"])),
        (3, Some("unreconciled"), "10 mg".into())
    );
    assert_eq!(
        doc["release"]["reasons"],
        serde_json::json!([
            "ketamine-hcl C-III stock does not reconcile: 1.61 g withdrawn, 1.6 g accounted for, a difference of 10 mg over the tolerance of 8.05 mg"
        ])
    );
    // The 10 mg recorded as a spill (witnessed) is accounted for.
    beyond.controlled[0].waste = Some("10 mg".to_string());
    let (code, doc) = s.json("s.toml", &beyond.text());
    let c = entry(&doc, "controlled", "ketamine-hcl");
    assert_eq!((code, c["status"].as_str(), written(&c["waste"])), (0, Some("reconciled"), "10 mg".into()));
    // More accounted for than withdrawn: a negative difference.
    let mut more = file.clone();
    more.controlled[0].after = "25010.0 mg".to_string();
    let (_, doc) = s.json("n.toml", &more.text());
    let c = entry(&doc, "controlled", "ketamine-hcl");
    assert_eq!((c["status"].as_str(), written(&c["difference"])), (Some("unreconciled"), "-10 mg".into()));
    // A tolerance of the file's own.
    let text = within.text().replace(
        "[controlled.\"ketamine-hcl\"]\n",
        "[controlled.\"ketamine-hcl\"]\nreconcile_tolerance = \"5 mg\"\n",
    );
    let (code, doc) = s.json("t.toml", &text);
    let c = entry(&doc, "controlled", "ketamine-hcl");
    assert_eq!(
        (code, c["status"].as_str(), written(&c["tolerance"])),
        (3, Some("unreconciled"), "5 mg".into())
    );
    // Without both stock readings, the record is missing.
    let text: String =
        file.text().lines().filter(|l| !l.starts_with("stock_after")).map(|l| format!("{l}\n")).collect();
    let (code, doc) = s.json("x.toml", &text);
    let c = entry(&doc, "controlled", "ketamine-hcl");
    assert_eq!((code, c["status"].as_str(), &c["withdrawn"]), (3, Some("missing"), &Value::Null));
}

/// An aliquot read step by step: the portion passes `take ÷ total` of what was weighed
/// into the batch. One troche, no overage: 50 mg of ketamine HCl weighed as 82 mg
/// triturated to 164 mg, 82 mg taken.
#[test]
fn an_aliquot_passes_its_portion_into_the_batch() {
    let s = Scratch::new();
    let file = at_targets(&s, &head("ketamine-hcl-troche-50", "quantity = 1\noverage = \"0%\"\n"));
    let steps: Vec<(Option<&str>, String)> = file
        .figures
        .iter()
        .filter(|f| f.id == "ketamine-hcl")
        .map(|f| (f.step.as_deref(), f.text()))
        .collect();
    assert_eq!(
        steps,
        [
            (Some("weigh"), "100.0 mg".into()),
            (Some("total"), "164.0 mg".into()),
            (Some("take"), "82.0 mg".into())
        ]
    );
    let (code, doc) = s.json("a.toml", &file.text());
    assert_eq!(code, 0, "{}", doc["release"]);
    assert_eq!(written(&entry(&doc, "strengths", "ketamine-hcl")["amount"]), "50 mg");
    // A portion of 90.2 mg (+10%) takes 55 mg into the batch: the portion is over, and so
    // is the strength, by the share of the blend it has.
    let mut more = file.clone();
    more.scale("ketamine-hcl", Some("take"), d("1.1"));
    let (code, doc) = s.json("b.toml", &more.text());
    assert_eq!(code, 3);
    let r = doc["readings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "ketamine-hcl" && r["step"] == "take")
        .unwrap();
    assert_eq!((r["status"].as_str(), r["deviation"].as_str()), (Some("over"), Some("10")));
    assert_eq!(written(&entry(&doc, "strengths", "ketamine-hcl")["amount"]), "55 mg");
    // One figure for it is refused: it names the steps.
    let text = file.text().replace(
        "\"ketamine-hcl\" = { weigh = \"100.0 mg\", total = \"164.0 mg\", take = \"82.0 mg\" }",
        "\"ketamine-hcl\" = \"50.0 mg\"",
    );
    let r = s.record("c.toml", &text, &[]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert!(r.stderr.contains("`ketamine-hcl` is weighed through an aliquot"), "{}", r.stderr);
    assert!(r.stderr.contains("{ weigh = \"…\", total = \"…\", take = \"…\" }"), "{}", r.stderr);
}

/// A troche batch's strength per unit is the blend's strength × the mean unit mass: with
/// the final weight it is computed, without it it is `unmeasured` and the record
/// incomplete.
#[test]
fn a_troche_batch_with_and_without_its_final_weight() {
    let s = Scratch::new();
    let file = at_targets(&s, &head("ketamine-hcl-troche-50", "quantity = 30\n"));
    // 32 cavities of the theoretical 1.02550 g.
    assert_eq!(file.final_weight.as_deref(), Some("32816 mg"));
    let (code, doc) = s.json("t.toml", &file.text());
    assert_eq!(code, 0, "{}", doc["release"]);
    let st = entry(&doc, "strengths", "ketamine-hcl");
    assert_eq!((written(&st["actual"]), st["status"].as_str()), ("50 mg/unit".into(), Some("in")));
    // 3% lighter units (31.83152 g for the 32) each hold 3% less: 48.5 mg.
    let mut light = file.clone();
    light.final_weight = Some("31.83152 g".to_string());
    let (code, doc) = s.json("l.toml", &light.text());
    let st = entry(&doc, "strengths", "ketamine-hcl");
    assert_eq!(
        (code, written(&st["actual"]), st["deviation"].as_str()),
        (0, "48.5 mg/unit".into(), Some("-3"))
    );
    // 30 units from the blend of 32: the yield is under, the units are heavier.
    light.yielded = Some("30".to_string());
    let (code, doc) = s.json("y.toml", &light.text());
    assert_eq!(
        (code, doc["yield"]["status"].as_str(), doc["yield"]["percent"].as_str()),
        (3, Some("under"), Some("93.75"))
    );
    let mut none = file;
    none.final_weight = None;
    let (code, doc) = s.json("n.toml", &none.text());
    let st = entry(&doc, "strengths", "ketamine-hcl");
    assert_eq!((code, st["status"].as_str(), &st["actual"]), (3, Some("unmeasured"), &Value::Null));
    assert_eq!(doc["release"]["status"], "incomplete");
    assert_eq!(
        doc["release"]["reasons"],
        serde_json::json!([
            "ketamine-hcl strength per unit unmeasured: give the net mass of the units made (`final_weight` in [actual])"
        ])
    );
}

/// A formula of the built-in formulary with `from` replaced by `to`, written to `dir`.
fn changed_formula(s: &Scratch, id: &str, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(root().join(format!("formulas/{id}.toml"))).unwrap();
    assert!(text.contains(from), "{id}: no `{from}`");
    s.write(&format!("{id}.toml"), &text.replacen(from, to, 1))
}

/// An infusion read by the volume drawn, by its net mass (the gravimetric check, with the
/// formula's `stock_density`), and through a dilution; without a density a mass is an
/// error, and a net mass below the balance's minimum weight is unmeasured.
#[test]
fn an_infusion_read_by_volume_by_mass_and_through_a_dilution() {
    let s = Scratch::new();
    let id = "ketamine-iv-0.5mgkg-100ml";
    let file = at_targets(&s, &head(id, ""));
    // 0.70 mL drawn, 0.71 mL read: 35.5 mg in 100.71 mL.
    let mut by_volume = file.clone();
    by_volume.figure("ketamine", None).value = d("0.71");
    let (code, doc) = s.json("v.toml", &by_volume.text());
    let i = &doc["infusion"];
    assert_eq!(
        (code, written(&i["in_bag"]), written(&i["final_volume"])),
        (0, "35.5 mg".into(), "100.71 mL".into())
    );
    assert_eq!((written(&i["dose"]), i["status"].as_str()), ("35.5 mg".to_string(), Some("in")));
    assert!(d(i["deviation"].as_str().unwrap()) - d("1.428571428571428571428571429") < d("1e-20"), "{i}");
    // The ketamine injection's specific gravity, as a formula would state it.
    changed_formula(&s, id, "stock = \"50 mg/mL\"", "stock = \"50 mg/mL\"\nstock_density = \"1.02 g/mL\"");
    let by_mass = file.text().replace(
        &format!("formula = {}", quoted(id)),
        &format!("formula = {}", quoted(&format!("{id}.toml"))),
    );
    let by_mass = by_mass.replace("\"ketamine\" = \"0.70 mL\"", "\"ketamine\" = \"0.7140 g\"");
    let (code, doc) = s.json("m.toml", &by_mass);
    let r = entry(&doc, "readings", "ketamine");
    assert_eq!(
        (code, written(&r["actual"]), written(&r["density"])),
        (0, "0.7 mL".into(), "1.02 g/mL".into())
    );
    assert_eq!((written(&r["read"]), r["status"].as_str()), ("0.7140 g".into(), Some("in")));
    assert_eq!(written(&doc["infusion"]["in_bag"]), "35 mg");
    // Without `stock_density`, a mass is an error that says what to give.
    let text = file.text().replace("\"ketamine\" = \"0.70 mL\"", "\"ketamine\" = \"0.7140 g\"");
    let r = s.record("e.toml", &text, &[]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert!(r.stderr.contains("the formula gives no `stock_density`"), "{}", r.stderr);
    // 1.5 kg: 0.75 mg is 0.015 mL, drawn through a 1 in 50 dilution (SPEC §12.2).
    let file = at_targets(&s, &head(id, "weight = \"1.5 kg\"\ntime = \"09:00\"\n"));
    let steps: Vec<String> = file.figures.iter().map(|f| format!("{:?} {}", f.step, f.text())).collect();
    assert_eq!(steps, ["Some(\"stock\") 1 mL", "Some(\"to\") 50 mL", "Some(\"take\") 0.75 mL"]);
    let (code, doc) = s.json("d.toml", &file.text());
    assert_eq!((code, written(&doc["infusion"]["in_bag"])), (0, "0.75 mg".into()));
    // The C-III record takes the 1 mL of stock drawn: 50 mg.
    assert_eq!(written(&entry(&doc, "controlled", "ketamine")["accounted"]), "50 mg");
    // A portion of 0.80 mL: 0.8 mg in the bag, +6.7%: over.
    let mut more = file;
    more.figure("ketamine", Some("take")).value = d("0.80");
    let (code, doc) = s.json("e.toml", &more.text());
    assert_eq!((code, doc["infusion"]["status"].as_str()), (3, Some("over")));
}

/// A stock drawn for a nasal spray, read by its net mass: converted with `stock_density`;
/// below the balance's minimum weight it is `unmeasured`, and so is the strength.
#[test]
fn a_stock_read_by_its_net_mass_below_the_minimum_weight_is_unmeasured() {
    let s = Scratch::new();
    let id = "ketamine-nasal-spray-50-vial";
    changed_formula(&s, id, "stock = \"100 mg/mL\"", "stock = \"100 mg/mL\"\nstock_density = \"1.025 g/mL\"");
    let head = head(&format!("{id}.toml"), "quantity = \"15 mL\"\n");
    let file = at_targets(&s, &head);
    // 787.5 mg is 7.875 mL, drawn as 7.8 mL (10 mL syringe): 7.995 g of it.
    assert_eq!(file.figures[0].text(), "7.8 mL");
    let by_mass = file.text().replace("\"ketamine\" = \"7.8 mL\"", "\"ketamine\" = \"7.995 g\"");
    let (code, doc) = s.json("m.toml", &by_mass);
    let r = entry(&doc, "readings", "ketamine");
    assert_eq!((code, written(&r["actual"]), r["status"].as_str()), (0, "7.8 mL".into(), Some("in")), "{r}");
    // With a minimum weight of 10 g, 7.995 g is not a measurement.
    let coarse = by_mass.replace("quantity = \"15 mL\"\n", "quantity = \"15 mL\"\nmin_weight = \"10 g\"\n");
    let (code, doc) = s.json("c.toml", &coarse);
    assert_eq!((code, entry(&doc, "readings", "ketamine")["status"].as_str()), (3, Some("unmeasured")));
    assert_eq!(entry(&doc, "strengths", "ketamine")["status"], "unmeasured");
    assert_eq!(doc["release"]["status"], "incomplete");
    let reasons = doc["release"]["reasons"].as_array().unwrap();
    assert!(
        reasons[0]
            .as_str()
            .unwrap()
            .starts_with("ketamine weighed 7.995 g (= 7.8 mL), below the balance's minimum weight"),
        "{reasons:?}"
    );
}

/// A fixed-concentration bag made weaker than its label: the dose is still the ordered
/// one, infused from a larger volume at the actual concentration.
#[test]
fn a_fixed_concentration_bag_is_infused_at_its_actual_concentration() {
    let s = Scratch::new();
    let file = at_targets(&s, &head("ketamine-iv-1mgml-500ml", ""));
    let mut weak = file;
    weak.figure("ketamine", None).value = d("9.8");
    let (code, doc) = s.json("f.toml", &weak.text());
    let i = &doc["infusion"];
    // 490 mg in 509.8 mL; 35 mg of it is 36.414… mL.
    assert_eq!((code, written(&i["in_bag"]), written(&i["dose"])), (0, "490 mg".into(), "35 mg".into()));
    let vtbi = base(&i["volume_to_infuse"]);
    assert!((vtbi - d("35") * d("509.8") / d("490")).abs() < d("1e-20"), "{i}");
    assert_eq!(i["status"], "in");
}

/// The record's `batch` is the document `batch --from FILE --format json` prints, byte for
/// byte (at the record's indentation), for every built-in formula.
#[test]
fn the_records_batch_is_the_batch_document_byte_for_byte() {
    let s = Scratch::new();
    for id in builtin_ids() {
        let file = at_targets(&s, &head(&id, ""));
        let path = s.write("ready.toml", &file.text());
        let record = finish(ketacalc().arg("record").arg(&path).args(["--format", "json"]));
        let batch = finish(ketacalc().args(["batch", "--from"]).arg(&path).args(["--format", "json"]));
        assert_eq!((record.code, batch.code), (0, 0), "{id}: {}{}", record.stderr, batch.stderr);
        let inner = batch_of(&record.stdout);
        assert!(inner == batch.stdout, "{id}: the record's batch differs from `batch --from`");
    }
}

/// The `batch` object of a record document, as its own document: the lines from `"batch":
/// {` to its closing brace, one level of indentation less.
fn batch_of(record: &str) -> String {
    let mut lines = record.lines();
    assert_eq!(lines.next(), Some("{"));
    let first = lines.next().unwrap();
    assert_eq!(first, "  \"batch\": {");
    let mut out = String::from("{\n");
    for l in lines {
        if l == "  }," {
            out.push_str("}\n");
            break;
        }
        out.push_str(l.strip_prefix("  ").unwrap());
        out.push('\n');
    }
    out
}

/// The public case (SPEC §14, `cases/record/spray-20ml-ready`), ported: 20 mL of the nasal
/// spray, assayed 99.2%, ready for the pharmacist.
#[test]
fn case_record_spray_20ml_ready() {
    let dir = root().join("tests/fixtures/cases/record-spray-20ml-ready");
    let r = finish(ketacalc().arg("record").arg(dir.join("ns-20ml.toml")).args(["--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    let k = entry(&doc, "readings", "ketamine-hcl");
    assert_eq!(
        (written(&k["target"]), written(&k["actual"]), k["status"].as_str()),
        ("2.1169 g".into(), "2.1181 g".into(), Some("in"))
    );
    assert!((d(k["deviation"].as_str().unwrap()) - d("0.0566866644621852709150172422")).abs() < d("1e-25"));
    let st = entry(&doc, "strengths", "ketamine-hcl");
    assert_eq!(written(&st["actual"]), "100.05500952380952380952380952 mg/mL");
    assert_eq!(doc["yield"]["percent"], "100");
    let c = entry(&doc, "controlled", "ketamine-hcl");
    assert_eq!(
        (written(&c["withdrawn"]), written(&c["difference"]), c["status"].as_str()),
        ("2.1181 g".into(), "0 mg".into(), Some("reconciled"))
    );
    assert_eq!(
        (doc["release"]["status"].as_str(), doc["batch"]["batch_id"].as_str()),
        (Some("ready"), Some("NS-0309-02"))
    );
}

/// Table, Markdown and HTML print the worksheet filled in, each reading beside its target
/// with its deviation and status (a word and a mark), and the release line.
#[test]
fn every_format_prints_the_readings_and_the_release_line() {
    let s = Scratch::new();
    // SPEC §14.2's example: 30 mL from a lot assayed at 99.5%, 3.1658 g asked.
    let lot = "quantity = \"30 mL\"\n\n[lots.ketamine-hcl]\nassay = \"99.5%\"\n";
    let mut file = at_targets(&s, &head("ketamine-hcl-nasal-spray-100", lot));
    assert_eq!(file.figures[0].text(), "3.1658 g");
    file.figure("ketamine-hcl", None).value = d("3.3310");
    for format in ["table", "markdown", "html"] {
        let r = s.record("f.toml", &file.text(), &["--format", format, "--width", "80"]);
        assert_eq!(r.code, 3, "{format}: {}", r.stderr);
        for want in [
            "3.3310 g",
            "+5.22%",
            "▲ over",
            "✓ in",
            "• recorded",
            "ketamine-hcl weighed 3.3310 g, +5.22% over the 2% tolerance",
            // The reading, the strength it makes (+5.22%), and the C-III stock it no longer
            // reconciles with.
            "TO CHECK: 3 items for the pharmacist to decide",
            "✓ pass",
            "name AB",
            "name CD",
        ] {
            let text = if format == "html" { r.stdout.replace("&nbsp;", " ") } else { r.stdout.clone() };
            let text = strip_tags(&text);
            assert!(text.contains(want), "{format}: `{want}` missing:\n{text}");
        }
        assert!(r.stdout.to_lowercase().contains("compounding record"), "{format}");
        assert!(!r.stdout.to_lowercase().contains("released by ab"), "{format}");
        if format == "table" {
            assert!(r.stdout.lines().all(|l| l.chars().count() <= 80), "{}", r.stdout);
        }
    }
}

/// `text` without its HTML tags.
fn strip_tags(text: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for c in text.chars() {
        match c {
            '<' => tag = true,
            '>' if tag => tag = false,
            _ if !tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// `-o` writes the record atomically and never over the batch file.
#[test]
fn the_record_is_written_with_o_never_over_the_batch_file() {
    let s = Scratch::new();
    let file = at_targets(&s, &head("ketamine-hcl-oral-solution-10", ""));
    let path = s.write("b.toml", &file.text());
    let out = s.0.path().join("record.json");
    let r = finish(ketacalc().arg("record").arg(&path).args(["--format", "json", "-o"]).arg(&out));
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert!(std::fs::read_to_string(&out).unwrap().contains("\"release\""));
    let r = finish(ketacalc().arg("record").arg(&path).arg("-o").arg(&path));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), file.text());
}

/// `validate` holds a batch file's readings to its batch as `record` does.
#[test]
fn validate_reports_the_records_errors() {
    let s = Scratch::new();
    let file = at_targets(&s, &head("ketamine-hcl-nasal-spray-100", ""));
    let text = file.text().replace("\"ketamine-hcl\" = \"1.0500 g\"", "\"ketamine-hcl\" = \"1.05 mL\"");
    let path = s.write("v.toml", &text);
    let r = finish(ketacalc().args(["validate", "--format", "json"]).arg(&path));
    assert_eq!(r.code, 1, "{}", r.stdout);
    let doc = r.json();
    assert_eq!(doc["diagnostics"][0]["code"], "wrong-reading", "{doc}");
    assert_eq!(doc["diagnostics"][0]["line"], 6);
}
