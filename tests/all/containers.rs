//! Containers and molds follow the batch (SPEC §13): every format tells the containers,
//! molds and doses the batch has, and no other; the snapshots a technician reads at 80
//! columns (the troche at 45, the spray at 25 mL and from vials at 7 mL); the refusals of
//! a fill a container cannot take or that holds no dose.

use serde_json::Value;

use crate::cli::{DATE, batch, batch_json, finish, ketacalc};

const SPRAY: &str = "ketamine-hcl-nasal-spray-100";
const VIAL_SPRAY: &str = "ketamine-nasal-spray-50-vial";
const TROCHE: &str = "ketamine-hcl-troche-50";

/// The text a person reads, with line breaks and wrapping indentation made single spaces.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An HTML page as text: tags dropped, the few entities ketacalc writes read back.
fn html_text(page: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in page.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&nbsp;", " ")
        .replace("&ensp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    // A tag between a number and its punctuation leaves a space: `5 mL ;`.
    squash(&text).replace(" ;", ";").replace(" ,", ",")
}

/// `ketacalc batch ID ARGS --format FORMAT` (or `label`), which must succeed.
fn output(command: &str, id: &str, args: &[&str], format: &str) -> String {
    let r = finish(
        ketacalc().args([command, id, "--date", DATE, "--width", "80", "--format", format]).args(args),
    );
    assert_eq!(r.code, 0, "{command} {id} {args:?} --format {format}: {}", r.stderr);
    r.stdout
}

fn label(id: &str, args: &[&str], format: &str) -> String {
    let r = finish(ketacalc().args(["label", id, "--date", DATE, "--format", format]).args(args));
    assert_eq!(r.code, 0, "label {id} {args:?} --format {format}: {}", r.stderr);
    r.stdout
}

fn mls(q: &Value) -> String {
    assert_eq!(q["unit"], "mL", "{q}");
    q["value"].as_str().unwrap().to_string()
}

/// What the batch's JSON says its containers, molds and doses are, as the worksheet must
/// say them: the container plan, the dose plan and the molds line (SPEC §13), worked out
/// here from the JSON alone.
struct Expected {
    plan: Option<String>,
    doses: Option<String>,
    molds: Option<String>,
    /// Every count of containers or molds the batch has.
    counts: Vec<u64>,
}

fn expected(doc: &Value, noun: &str, dose: Option<&str>) -> Expected {
    let mut counts = Vec::new();
    let plural = |n: u64, w: &str| if n == 1 { w.to_string() } else { format!("{w}s") };
    let (plan, doses) = match doc["containers"].as_object() {
        None => (None, None),
        Some(c) => {
            let count = c["count"].as_u64().unwrap();
            let fill = mls(&c["fill"]);
            let last = c["last"].as_object();
            let full = count - u64::from(last.is_some());
            counts.extend([count, full, 1]);
            let mut plan = format!("{full} {} of {fill} mL", plural(full, noun));
            if let Some(l) = last {
                plan.push_str(&format!(" and 1 {noun} of {} mL", mls(&l["fill"])));
            }
            let doses = dose.map(|d| {
                let n = doc["doses"].as_u64().unwrap();
                let each = format!("{n} {}", plural(n, d));
                match (full, last) {
                    (1, None) => each,
                    (_, None) => format!("{each} in each {fill} mL {noun}"),
                    (_, Some(l)) => format!(
                        "{each} in {} {fill} mL {noun}, {} in the {} mL {noun}",
                        if full == 1 { "the" } else { "each" },
                        l["doses"].as_u64().unwrap(),
                        mls(&l["fill"])
                    ),
                }
            });
            (Some(plan), doses)
        }
    };
    let molds = doc["molds"].as_object().map(|m| {
        let (count, per, empty) =
            (m["count"].as_u64().unwrap(), m["per_mold"].as_u64().unwrap(), m["empty"].as_u64().unwrap());
        counts.push(count);
        let empty = if empty == 0 { "none".to_string() } else { empty.to_string() };
        format!(
            "{count} {} of {per} cavities: fill {}, leave {empty} empty",
            plural(count, "mold"),
            doc["cavities"]
        )
    });
    Expected { plan, doses, molds, counts }
}

/// The numbers written before `word` (or its plural) in `text`: `2 bottles`, `1 mold`.
fn counted(text: &str, word: &str) -> Vec<u64> {
    let words: Vec<&str> = text.split(' ').collect();
    words
        .windows(2)
        .filter(|w| {
            let next = w[1].trim_end_matches([',', ';', '.', ')', ':']);
            next == word || next == format!("{word}s") || next == format!("{word}(s)")
        })
        .filter_map(|w| w[0].parse().ok())
        .collect()
}

/// The formulas and quantities read in every format: the reference batch, half and twice
/// it, a batch smaller than one fill (or one mold) and one that leaves a part-filled
/// container (or mold).
fn batches() -> Vec<(&'static str, Vec<&'static str>)> {
    let q = |v: &'static str| vec!["--quantity", v];
    vec![
        (SPRAY, vec![]),
        (SPRAY, q("5mL")),
        (SPRAY, q("20mL")),
        (SPRAY, q("7mL")),
        (SPRAY, q("25mL")),
        (VIAL_SPRAY, vec![]),
        (VIAL_SPRAY, q("5mL")),
        (VIAL_SPRAY, q("20mL")),
        (VIAL_SPRAY, q("7mL")),
        (VIAL_SPRAY, q("25mL")),
        ("ketamine-hcl-sublingual-drops-50", vec![]),
        ("ketamine-hcl-sublingual-drops-50", q("15mL")),
        ("ketamine-hcl-sublingual-drops-50", q("60mL")),
        ("ketamine-hcl-sublingual-drops-50", q("21mL")),
        ("ketamine-hcl-sublingual-drops-50", q("75mL")),
        ("ketamine-hcl-oral-solution-10", vec![]),
        ("ketamine-hcl-oral-solution-10", q("50mL")),
        ("ketamine-hcl-oral-solution-10", q("200mL")),
        ("ketamine-hcl-oral-solution-10", q("70mL")),
        ("ketamine-hcl-oral-solution-10", q("250mL")),
        (TROCHE, vec![]),
        (TROCHE, q("15")),
        (TROCHE, q("60")),
        (TROCHE, q("20")),
        (TROCHE, q("45")),
        ("ketamine-hcl-rdt-25", vec![]),
        ("ketamine-hcl-rdt-25", q("48")),
        ("ketamine-hcl-rdt-25", q("192")),
        ("ketamine-hcl-rdt-25", q("30")),
        ("ketamine-hcl-rdt-25", q("150")),
        ("ketamine-hcl-cream-10", vec![]),
        ("ketamine-hcl-cream-10", q("50g")),
        ("ketamine-hcl-cream-10", q("200g")),
        ("ketamine-gabapentin-baclofen-cream", vec![]),
        ("ketamine-gabapentin-baclofen-cream", q("50g")),
        ("ketamine-gabapentin-baclofen-cream", q("200g")),
    ]
}

/// What the container of a built-in formula is called, and its dose (SPEC §13).
fn nouns(id: &str) -> (&'static str, Option<&'static str>) {
    match id {
        SPRAY | VIAL_SPRAY => ("bottle", Some("spray")),
        "ketamine-hcl-sublingual-drops-50" => ("bottle", Some("drop")),
        "ketamine-hcl-oral-solution-10" => ("bottle", None),
        _ => ("container", None),
    }
}

/// Every built-in formula but the infusions (one bag each, no containers or molds), at the
/// quantities of [`batches`], in every format: each says the containers, molds and doses
/// the JSON has, and counts no other container or mold; a molded form never prints a
/// fraction of a unit; the label says the quantity dispensed and the same containers; the
/// CSV has the same aliquot plans as the worksheet.
#[test]
fn every_format_tells_the_containers_molds_and_doses_the_batch_has() {
    for (id, args) in batches() {
        let what = format!("{id} {args:?}");
        let doc = batch_json(id, &args);
        let (noun, dose) = nouns(id);
        let want = expected(&doc, noun, dose);
        let table = squash(&output("batch", id, &args, "table"));
        let markdown = squash(&output("batch", id, &args, "markdown").replace(['*', '\\'], ""));
        let html = html_text(&output("batch", id, &args, "html"));
        let label_text = squash(&label(id, &args, "text"));
        let label_html = html_text(&label(id, &args, "html"));
        for (format, text) in [("table", &table), ("markdown", &markdown), ("html", &html)] {
            for line in [&want.plan, &want.doses, &want.molds].into_iter().flatten() {
                assert!(text.contains(line.as_str()), "{what} {format}: `{line}` missing:\n{text}");
            }
            // (A stock's vials, `open 2 vials of 5 mL`, are what is drawn from, not filled.)
            for word in ["bottle", "container", "mold", "jar"] {
                for n in counted(text, word) {
                    assert!(
                        want.counts.contains(&n),
                        "{what} {format}: `{n} {word}` is not this batch's:\n{text}"
                    );
                }
            }
            // Only a fill the batch does not divide into could be "each"; the texts say the plan.
            for wrong in ["mL each", "mL per bottle", "bottle(s)", "of the mold"] {
                assert!(!text.contains(wrong), "{what} {format}: `{wrong}`:\n{text}");
            }
            // Never a fraction of a unit: a percent overage of a molded form is blend.
            for (at, _) in text.match_indices(" units") {
                let before = &text[..at];
                let number = before.rsplit(' ').next().unwrap();
                if number.contains('.') {
                    assert!(
                        before.ends_with(&format!("blend for {number}")),
                        "{what} {format}: `{number} units`"
                    );
                }
            }
        }
        // The label: the quantity dispensed, in the containers of the batch.
        let q = &doc["quantity"];
        let unit =
            if q["unit"] == "units" && q["value"] == "1" { "unit" } else { q["unit"].as_str().unwrap() };
        let quantity = format!("Quantity: {} {unit}", q["value"].as_str().unwrap());
        assert!(label_text.contains(&quantity), "{what}: `{quantity}` not on the label:\n{label_text}");
        let count = doc["containers"]["count"].as_u64().unwrap_or(1);
        if let Some(plan) = want.plan.as_ref().filter(|_| count > 1) {
            let line = format!("{quantity} in {plan}");
            assert!(label_text.contains(&line), "{what}: `{line}`:\n{label_text}");
            assert!(label_html.contains(plan.as_str()), "{what}: `{plan}`:\n{label_html}");
        }
        let label_json: Value = serde_json::from_str(&label(id, &args, "json")).unwrap();
        assert_eq!(label_json["quantity"], doc["quantity"], "{what}");
        assert_eq!(label_json["containers"]["count"], doc["containers"]["count"], "{what}");
        assert_eq!(label_json["containers"]["fill"], doc["containers"]["fill"], "{what}");
        // One storage statement.
        let stores = label_text.matches("Store ").count() + label_text.matches("Refrigerate").count();
        assert_eq!(stores, 1, "{what}: {label_text}");
        // The CSV carries the aliquot plans of the JSON (and the worksheet), no other.
        let csv = output("batch", id, &args, "csv");
        let mut rows = csv.lines();
        let header: Vec<&str> = rows.next().unwrap().split(',').collect();
        let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let planned: Vec<&str> = doc["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| !w["aliquot"].is_null())
            .map(|w| w["ingredient"].as_str().unwrap())
            .collect();
        for row in rows {
            // Names with commas are quoted; the ids and the last columns are not.
            let fields: Vec<&str> = row.split(',').collect();
            // The three aliquot columns, counted from the end (the columns of SPEC §12 follow).
            let from_end = fields.len() - (header.len() - at("aliquot_weigh"));
            let tail = &fields[from_end..from_end + 3];
            let id_ = fields[0];
            assert_eq!(tail.iter().all(|f| !f.is_empty()), planned.contains(&id_), "{what}: {row}");
            if planned.contains(&id_) {
                assert!(
                    table.contains(&format!("weigh {}", tail[0])),
                    "{what}: {} not on the worksheet",
                    tail[0]
                );
            }
        }
    }
}

#[test]
fn snapshots_at_80_columns() {
    let cases: [(&str, &str, &[&str]); 3] = [
        ("troche-45", TROCHE, &["--quantity", "45"]),
        ("spray-25ml", SPRAY, &["--quantity", "25mL"]),
        ("vial-spray-7ml", VIAL_SPRAY, &["--quantity", "7mL"]),
    ];
    for (name, id, args) in cases {
        let text = output("batch", id, args, "table");
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{name}: {line}");
        }
        insta::assert_snapshot!(format!("worksheet-80-{name}"), text);
        insta::assert_snapshot!(format!("label-{name}"), label(id, args, "text"));
    }
}

/// The cases of the issue, line by line.
#[test]
fn the_lines_of_the_issue_tell_the_batch_as_it_is() {
    let troche = squash(&output("batch", TROCHE, &["--quantity", "45"], "table"));
    assert!(troche.contains("Molds 2 molds of 30 cavities: fill 47, leave 13 empty"), "{troche}");
    assert!(troche.contains("never pour it into the empty cavities"), "{troche}");
    let doc = batch_json(TROCHE, &["--quantity", "45"]);
    assert_eq!(doc["molds"], serde_json::json!({"count": 2, "per_mold": 30, "empty": 13}));
    assert!(batch_json("ketamine-hcl-cream-10", &[])["molds"].is_null());

    let spray = squash(&output("batch", SPRAY, &["--quantity", "25mL"], "table"));
    for want in [
        "Containers 3 in all: 2 bottles of 10 mL and 1 bottle of 5 mL; 91 sprays in each 10 mL bottle, 41 in the 5 mL bottle",
        "fill 2 bottles of 10 mL and 1 bottle of 5 mL (clean amber glass)",
        "Fill volume: 2 bottles of 10 mL and 1 bottle of 5 mL (by weight, SG about 1); 91 sprays in each 10 mL bottle, 41 in the 5 mL bottle after priming",
    ] {
        assert!(spray.contains(want), "`{want}`:\n{spray}");
    }

    // A batch smaller than one fill is one bottle of its quantity (SPEC §13).
    let doc = batch_json(VIAL_SPRAY, &["--quantity", "7mL"]);
    assert_eq!(
        doc["containers"],
        serde_json::json!({"count": 1, "fill": {"value": "7", "unit": "mL"}, "last": null})
    );
    assert_eq!(doc["doses"], 61);
    let vial = squash(&output("batch", VIAL_SPRAY, &["--quantity", "7mL"], "table"));
    assert!(vial.contains("Containers 1 bottle of 7 mL; 61 sprays"), "{vial}");
    assert!(vial.contains("Fill volume: 1 bottle of 7 mL; 61 sprays after priming"), "{vial}");
    assert!(!vial.contains("10 mL bottle") && !vial.contains("bottle of 10 mL"), "{vial}");

    // The RDT's percent overage is blend, in text; JSON `prepared` is unchanged (SPEC §5).
    let rdt = squash(&output("batch", "ketamine-hcl-rdt-25", &[], "table"));
    assert!(rdt.contains("Quantity prepared blend for 102.72 units (96 cavities)"), "{rdt}");
    assert_eq!(
        batch_json("ketamine-hcl-rdt-25", &[])["prepared"],
        serde_json::json!({"value": "102.72", "unit": "units"})
    );

    // The CSV has the aliquot plan of the worksheet: benzalkonium 6.3 mg at 30 mL.
    let csv = output("batch", SPRAY, &["--quantity", "30mL"], "csv");
    let row = csv.lines().find(|l| l.starts_with("benzalkonium-chloride-50,")).unwrap();
    let sheet = squash(&output("batch", SPRAY, &["--quantity", "30mL"], "table"));
    let tail: Vec<&str> = row.rsplitn(4, ',').collect();
    assert!(
        sheet.contains(&format!("weigh {}", tail[2])) && sheet.contains(&format!("make up to {}", tail[1])),
        "{row}\n{sheet}"
    );
    assert!(sheet.contains(&format!("measure {}", tail[0])), "{row}");
}

/// A fill above the container's capacity, or a container that holds no whole dose, is
/// refused with exit 1; a last bottle with no dose is a warning.
#[test]
fn fills_a_container_cannot_take_or_that_hold_no_dose_are_refused() {
    for (args, says) in [
        (
            &["--fill", "50mL"][..],
            "a fill of 50 mL is more than one container takes: the formula's `capacity` is 15 mL",
        ),
        (&["--quantity", "10mL", "--fill", "100mL"][..], "the formula's `capacity` is 15 mL"),
        (&["--fill", "0.1mL"][..], "a container of 0.1 mL delivers no whole spray"),
        (
            &["--quantity", "0.8mL", "--min-volume", "0.1mL"][..],
            "a container of 0.8 mL delivers no whole spray",
        ),
    ] {
        let r = batch(SPRAY, args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    // The formula's capacity is the fill when there is none; a fill within it is fine.
    assert_eq!(batch_json(SPRAY, &["--fill", "15mL", "--quantity", "30mL"])["containers"]["count"], 2);
    let doc = batch_json("ketamine-hcl-sublingual-drops-50", &["--quantity", "75mL"]);
    assert_eq!(doc["containers"]["count"], 3);
    assert_eq!(doc["containers"]["fill"], serde_json::json!({"value": "30", "unit": "mL"}));
    // 20.3 mL: the last bottle's 0.3 mL is the pump's residual, no spray.
    let doc = batch_json(SPRAY, &["--quantity", "20.3mL"]);
    assert_eq!(doc["containers"]["last"]["doses"], 0);
    assert!(
        doc["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "last-container-no-dose"),
        "{doc}"
    );
    // `validate` refuses a formula whose own fill is above its capacity.
    let text = std::fs::read_to_string(crate::cli::root().join("formulas/ketamine-hcl-nasal-spray-100.toml"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.toml");
    std::fs::write(&path, text.replace("capacity = \"15 mL\"", "capacity = \"5 mL\"")).unwrap();
    let r = crate::cli::run(&["validate", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["diagnostics"][0]["code"], "fill-over-capacity");
}

/// `validate` warns where a text says `{fill} each` or `per bottle`, which is right only
/// when every container is full; the built-in formulas pass `--deny-warnings`.
#[test]
fn fill_each_text_is_a_warning() {
    let text = std::fs::read_to_string(crate::cli::root().join("formulas/ketamine-hcl-nasal-spray-100.toml"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("fill {container_plan} (clean amber glass)", "fill {containers} bottles with {fill} each"),
        ("Fill volume: {container_plan}", "Fill volume: {fill} per bottle"),
    ] {
        assert!(text.contains(from), "{from}");
        let path = dir.path().join("f.toml");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let r = crate::cli::run(&["validate", path.to_str().unwrap(), "--format", "json"]);
        let doc = r.json();
        assert_eq!((doc["errors"].as_u64(), doc["warnings"].as_u64()), (Some(0), Some(1)), "{to}: {doc}");
        assert_eq!(doc["diagnostics"][0]["code"], "fill-each-text");
        assert!(doc["diagnostics"][0]["help"].as_str().unwrap().contains("{container_plan}"));
    }
    assert_eq!(crate::cli::run(&["validate", "--deny-warnings"]).code, 0);
}
