//! The printable worksheet and the label in a real browser (SPEC §10).
//!
//! `batch --format html` of every built-in formula (and of batches that are not the
//! reference one: a part-filled container, aliquots, a custom strength, hostile text) is
//! printed to PDF by headless Chromium on Letter and on A4, turned back into text by
//! `pdftotext`, and checked: every rounded amount to weigh or measure as the JSON gives
//! it, the BUD, the quantities requested and prepared, the preparation's name, the
//! banners, the signature lines, a sensible page count, and no word beyond the right
//! margin. Labels are printed on a 4 × 2 in page and must fit one.
//!
//! Without `chromium` (or `chromium-browser`) and poppler-utils on `PATH` the browser
//! tests print `skipped: chromium/poppler-utils not installed` and pass, unless
//! `KETACALC_REQUIRE_BROWSER=1` (set by `.ci/run`, which installs them): then a missing
//! browser fails. Chromium is killed after [`TIMEOUT`] so that a hang cannot stall the
//! suite.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cli::{DATE, batch_json, builtin_ids, finish, ketacalc, run};

/// How long one Chromium run may take.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The print margin of the worksheet, 15 mm, in PostScript points.
const MARGIN_PT: f64 = 15.0 / 25.4 * 72.0;

/// The most pages a worksheet may take.
const MAX_PAGES: usize = 8;

/// The programs the browser tests need.
struct Browser {
    chromium: PathBuf,
    pdftotext: PathBuf,
    pdfinfo: PathBuf,
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

/// The browser and poppler-utils, or `None` (with the reason printed) when they are not
/// installed and not required.
#[allow(clippy::print_stdout, reason = "the skip is reported where `cargo test` shows it")]
fn browser() -> Option<Browser> {
    let found = (|| {
        Some(Browser {
            chromium: on_path("chromium").or_else(|| on_path("chromium-browser"))?,
            pdftotext: on_path("pdftotext")?,
            pdfinfo: on_path("pdfinfo")?,
        })
    })();
    if found.is_none() {
        assert!(
            std::env::var("KETACALC_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "KETACALC_REQUIRE_BROWSER=1 but chromium (or chromium-browser), pdftotext or pdfinfo is not on PATH"
        );
        println!("skipped: chromium/poppler-utils not installed");
    }
    found
}

/// Paper to print on: the worksheet sets no page size, so each is forced here.
#[derive(Debug, Clone, Copy)]
enum Paper {
    Letter,
    A4,
}

impl Paper {
    fn css(self) -> &'static str {
        match self {
            Paper::Letter => "letter",
            Paper::A4 => "A4",
        }
    }
}

impl Browser {
    /// Prints `html` to `pdf` with headless Chromium in a fresh profile; with a paper,
    /// a copy of the page with that `@page` size is printed.
    fn print(&self, html: &Path, pdf: &Path, paper: Option<Paper>) {
        let dir = tempfile::tempdir().unwrap();
        let page = match paper {
            Some(p) => {
                let text = std::fs::read_to_string(html).unwrap();
                let sized = text.replacen(
                    "</head>",
                    &format!("<style>@page {{ size: {}; }}</style>\n</head>", p.css()),
                    1,
                );
                assert_ne!(sized, text, "no </head> in {}", html.display());
                let copy = dir.path().join("page.html");
                std::fs::write(&copy, sized).unwrap();
                copy
            }
            None => html.to_path_buf(),
        };
        let profile = dir.path().join("profile");
        let log = std::fs::File::create(dir.path().join("chromium.log")).unwrap();
        let mut child = Command::new(&self.chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", page.canonicalize().unwrap().display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if start.elapsed() > TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium took more than {TIMEOUT:?} to print {}", html.display());
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let log = std::fs::read_to_string(dir.path().join("chromium.log")).unwrap_or_default();
        assert!(status.success(), "chromium failed ({status}) on {}:\n{log}", html.display());
        assert!(
            std::fs::metadata(pdf).is_ok_and(|m| m.len() > 0),
            "chromium wrote no PDF for {}:\n{log}",
            html.display()
        );
    }

    fn poppler(&self, program: &Path, args: &[&str], pdf: &Path) -> String {
        let out = Command::new(program).args(args).arg(pdf).arg("-").output().unwrap();
        assert!(out.status.success(), "{} {args:?} {}: {}", program.display(), pdf.display(), {
            String::from_utf8_lossy(&out.stderr)
        });
        String::from_utf8(out.stdout).unwrap()
    }

    /// The PDF's text laid out (`pdftotext -layout`), whitespace collapsed.
    fn text(&self, pdf: &Path) -> String {
        squash(&self.poppler(&self.pdftotext, &["-layout"], pdf))
    }

    /// The text of one page, whitespace collapsed.
    fn page_text(&self, pdf: &Path, page: usize) -> String {
        let n = page.to_string();
        squash(&self.poppler(&self.pdftotext, &["-layout", "-f", &n, "-l", &n], pdf))
    }

    fn pages(&self, pdf: &Path) -> usize {
        let out = Command::new(&self.pdfinfo).arg(pdf).output().unwrap();
        let info = String::from_utf8_lossy(&out.stdout);
        let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap_or_else(|| panic!("{info}"));
        line.trim_start_matches("Pages:").trim().parse().unwrap()
    }

    /// Every word that reaches into the left or right margin: `(page width, word, xMin,
    /// xMax)`, from `pdftotext -bbox`.
    fn outside(&self, pdf: &Path, margin: f64) -> Vec<(f64, String, f64, f64)> {
        let xml = self.poppler(&self.pdftotext, &["-bbox"], pdf);
        let attr = |tag: &str, name: &str| -> f64 {
            let key = format!("{name}=\"");
            let start = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}")) + key.len();
            let end = tag[start..].find('"').unwrap() + start;
            tag[start..end].parse().unwrap()
        };
        let mut width = 0.0;
        let mut bad = Vec::new();
        for line in xml.lines().map(str::trim) {
            if line.starts_with("<page ") {
                width = attr(line, "width");
            } else if line.starts_with("<word ") {
                let (x0, x1) = (attr(line, "xMin"), attr(line, "xMax"));
                // Two points of slack for glyph side bearings.
                if x0 < margin - 2.0 || x1 > width - margin + 2.0 {
                    let word = line.split('>').nth(1).unwrap_or("").trim_end_matches("</word").to_string();
                    bad.push((width, word, x0, x1));
                }
            }
        }
        bad
    }
}

/// Collapses whitespace runs: pdftotext breaks lines where the browser wrapped them.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `{"value": "1.0500", "unit": "g"}` as printed: `1.0500 g`.
/// How the printed sheet says a JSON quantity: a count of one is "1 unit".
fn qty(v: &Value) -> String {
    match (v["value"].as_str().unwrap(), v["unit"].as_str().unwrap()) {
        ("1", "units") => "1 unit".to_string(),
        (value, unit) => format!("{value} {unit}"),
    }
}

/// Writes `batch ID ARGS --format html` to `dir/NAME.html` and returns its path.
fn html_file(dir: &Path, name: &str, id: &str, args: &[&str]) -> PathBuf {
    let path = dir.join(format!("{name}.html"));
    let r = finish(
        ketacalc()
            .args(["batch", id, "--date", DATE, "--format", "html", "-o"])
            .arg(&path)
            .args(crate::cli::patient(id, args))
            .args(args),
    );
    assert_eq!(r.code, 0, "batch {id} {args:?} --format html:\n{}", r.stderr);
    path
}

/// Prints the worksheet of `batch ID ARGS` on Letter and A4 and checks what is on the
/// paper against the batch's JSON; returns the Letter PDF's path and its text.
fn check_worksheet(b: &Browser, dir: &Path, name: &str, id: &str, args: &[&str]) -> (PathBuf, String) {
    let html = html_file(dir, name, id, args);
    let doc = batch_json(id, args);
    let mut letter = None;
    for paper in [Paper::Letter, Paper::A4] {
        let pdf = dir.join(format!("{name}-{paper:?}.pdf"));
        b.print(&html, &pdf, Some(paper));
        let text = b.text(&pdf);
        let pages = b.pages(&pdf);
        let what = format!("{name} on {paper:?}");
        assert!((1..=MAX_PAGES).contains(&pages), "{what}: {pages} pages");
        assert!(text.contains(&format!("page 1 of {pages}")), "{what}: no page foot:\n{text}");
        if let Some(i) = doc.get("infusion") {
            // An infusion prints its figures without trailing zeros (SPEC §8.3): the drug
            // volume as drawn, the bag's volume and the beyond-use date and time.
            let plain = |v: &Value| qty(v).replace(".00 ", " ");
            let bud =
                format!("{} {}", doc["bud"]["date"].as_str().unwrap(), doc["bud"]["time"].as_str().unwrap());
            for m in [plain(&i["drug_volume"]), plain(&i["final_volume"]), bud] {
                assert!(text.contains(&m), "{what}: `{m}` missing:\n{text}");
            }
        }
        for ing in doc["ingredients"].as_array().unwrap().iter().filter(|_| doc.get("infusion").is_none()) {
            for key in ["weigh_rounded", "measure_rounded"] {
                if !ing[key].is_null() {
                    let amount = qty(&ing[key]);
                    assert!(
                        text.contains(&amount),
                        "{what}: {} {key} `{amount}` missing:\n{text}",
                        ing["id"]
                    );
                }
            }
        }
        let quantities = if doc["quantity"].is_null() {
            vec![]
        } else {
            vec![format!("Quantity requested {}", qty(&doc["quantity"])), qty(&doc["prepared"])]
        };
        let must = [
            doc["bud"]["date"].as_str().unwrap().to_string(),
            doc["formula"]["name"].as_str().unwrap().to_string(),
            "C-III CONTROLLED SUBSTANCE".to_string(),
            "Compounded by".to_string(),
            "Verified by (pharmacist)".to_string(),
            "Released by".to_string(),
        ];
        for m in must.iter().chain(&quantities) {
            assert!(text.contains(m.as_str()), "{what}: `{m}` missing:\n{text}");
        }
        let custom = doc["strengths"].as_array().unwrap().iter().any(|s| !s["mfr_concentration"].is_null());
        assert_eq!(text.contains("CUSTOM STRENGTH:"), custom, "{what}:\n{text}");
        let outside = b.outside(&pdf, MARGIN_PT);
        assert!(outside.is_empty(), "{what}: words in the margin: {outside:?}");
        if letter.is_none() {
            letter = Some((pdf, text));
        }
    }
    letter.unwrap()
}

#[test]
fn every_built_in_worksheet_prints_with_its_figures() {
    let Some(b) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let ids = builtin_ids();
    assert_eq!(ids.len(), 10);
    for id in &ids {
        check_worksheet(&b, dir.path(), id, id, &[]);
    }
}

/// 35 mL of the spray at a custom strength: three full bottles and a part-filled one, and
/// the custom-strength banner.
#[test]
fn a_part_filled_container_and_a_custom_strength_print() {
    let Some(b) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (_, text) = check_worksheet(
        &b,
        dir.path(),
        "spray-35",
        "ketamine-hcl-nasal-spray-100",
        &["--quantity", "35mL", "--strength", "50mg/mL", "--lot", "ketamine-hcl=BZK-2025-004417"],
    );
    for want in [
        "CUSTOM STRENGTH: Ketamine Hydrochloride USP 50 mg/mL (this MFR is written for 100 mg/mL)",
        "3 bottles of 10 mL and 1 bottle of 5 mL",
        "BZK-2025-004417",
    ] {
        assert!(text.contains(want), "`{want}` missing:\n{text}");
    }
}

/// One troche without overage: every solid is weighed through an aliquot, and each plan
/// and its record line print.
#[test]
fn aliquots_print() {
    let Some(b) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let args = ["--quantity", "1", "--overage", "0%", "--explain"];
    let (_, text) = check_worksheet(&b, dir.path(), "troche-1", "ketamine-hcl-troche-50", &args);
    let doc = batch_json("ketamine-hcl-troche-50", &args);
    let plans: Vec<usize> = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, w)| !w["aliquot"].is_null())
        .map(|(n, _)| n + 1)
        .collect();
    assert!(plans.len() >= 2, "{plans:?}");
    assert_eq!(text.matches("Aliquot record: weighed").count(), plans.len(), "{text}");
    for n in plans {
        assert!(text.contains(&format!("by aliquot (warning {n}):")), "plan {n} missing:\n{text}");
    }
}

/// A formula with 40 ingredients: the ingredient table runs over pages and repeats its
/// header row on each.
#[test]
fn table_headers_repeat_on_each_page() {
    let Some(b) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("many.toml");
    std::fs::write(&file, many_ingredients(40)).unwrap();
    let html = dir.path().join("many.html");
    let r = finish(
        ketacalc()
            .args(["batch", file.to_str().unwrap(), "--date", DATE, "--format", "html", "-o"])
            .arg(&html),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pdf = dir.path().join("many.pdf");
    b.print(&html, &pdf, Some(Paper::A4));
    let header = "Ingredient Required Weigh / measure Vendor Lot Expiry Actual Initials";
    let pages: Vec<usize> =
        (1..=b.pages(&pdf)).filter(|p| b.page_text(&pdf, *p).contains("(excipient-")).collect();
    assert!(pages.len() >= 2, "the table fits one page: {pages:?}");
    for p in pages {
        let text = b.page_text(&pdf, p);
        assert!(text.contains(header), "page {p} has rows but no header:\n{text}");
    }
    let text = b.text(&pdf);
    for n in 1..=40 {
        assert!(text.contains(&format!("(excipient-{n}, excipient)")), "excipient {n} missing:\n{text}");
    }
    assert!(b.outside(&pdf, MARGIN_PT).is_empty());
}

/// A cream of ketamine HCl and `n` excipients at 0.5 %w/w each.
fn many_ingredients(n: usize) -> String {
    let mut toml = String::from(
        r#"format = 1
id = "many"
name = "Ketamine HCl {strength:ketamine-hcl} Cream of many parts"
revision = 1
dosage_form = "cream"
route = "topical"
water = "nonaqueous"
storage = "room-temperature"

[batch]
quantity = "100 g"

[[ingredients]]
id = "ketamine-hcl"
name = "Ketamine Hydrochloride USP"
role = "active"
amount = "10 %w/w"
basis = "salt"
schedule = "CIII"
"#,
    );
    for i in 1..=n {
        toml.push_str(&format!(
            "\n[[ingredients]]\nid = \"excipient-{i}\"\nname = \"Excipient number {i}\"\nrole = \"excipient\"\namount = \"0.5 %w/w\"\n"
        ));
    }
    toml.push_str(
        "\n[[ingredients]]\nid = \"base\"\nname = \"Cream base\"\nrole = \"base\"\namount = \"qs\"\n",
    );
    toml
}

/// A formula and command line holding markup: it is printed as text, never run.
#[test]
fn markup_in_formula_text_and_arguments_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.toml");
    std::fs::write(&file, HOSTILE).unwrap();
    let file = file.to_str().unwrap();
    let lot = "ketamine-hcl=<script>alert(1)</script>&\"L1\"";
    let batch_id = "B&<b>1</b>'\"";
    for (what, args) in [
        (
            "batch",
            vec!["batch", file, "--date", DATE, "--format", "html", "--lot", lot, "--batch-id", batch_id],
        ),
        ("label", vec!["label", file, "--date", DATE, "--format", "html", "--batch-id", batch_id]),
    ] {
        let r = run(&args);
        assert_eq!(r.code, 0, "{what}: {}", r.stderr);
        let html = &r.stdout;
        assert!(!html.contains("<script") && !html.contains("<img"), "{what}: {html}");
        assert!(!html.contains("<b>1"), "{what}: {html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{what}: {html}");
        assert!(html.contains("B&amp;&lt;b&gt;1&lt;/b&gt;&#39;&quot;"), "{what}: {html}");
        assert!(html.contains("&amp; &quot;Co&quot; &#39;x&#39;"), "{what}: {html}");
    }
    let Some(b) = browser() else { return };
    let html = dir.path().join("hostile.html");
    let r = finish(
        ketacalc()
            .args(["batch", file, "--date", DATE, "--format", "html", "--lot", lot, "--batch-id", batch_id])
            .arg("-o")
            .arg(&html),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pdf = dir.path().join("hostile.pdf");
    b.print(&html, &pdf, None);
    let text = b.text(&pdf);
    for want in [
        "Ketamine <script>alert(1)</script> & \"Co\" 'x' 10 mg/mL Solution",
        "<script>alert(1)</script>&\"L1\"",
        "B&<b>1</b>'\"",
        "Stir <i>well</i> & check",
    ] {
        assert!(text.contains(want), "`{want}` not printed as text:\n{text}");
    }
}

/// Each built-in formula's label fits one 4 × 2 in label and carries the strength, the
/// BUD and the batch id.
#[test]
fn every_built_in_label_fits_one_label() {
    let Some(b) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    for id in builtin_ids() {
        let html = dir.path().join(format!("{id}-label.html"));
        let args = ["--date", DATE, "--batch-id", "KT-2611-07"];
        let patient = crate::cli::patient(&id, &[]);
        let r = finish(
            ketacalc().args(["label", &id, "--format", "html", "-o"]).arg(&html).args(args).args(patient),
        );
        assert_eq!(r.code, 0, "{id}: {}", r.stderr);
        let mut json_args =
            vec!["label", &id, "--format", "json", "--date", DATE, "--batch-id", "KT-2611-07"];
        json_args.extend_from_slice(patient);
        let json = run(&json_args).json();
        let pdf = dir.path().join(format!("{id}-label.pdf"));
        b.print(&html, &pdf, None);
        assert_eq!(b.pages(&pdf), 1, "{id}: the label runs over one label");
        let text = b.text(&pdf);
        let mut want = vec![json["bud"].as_str().unwrap().to_string(), "KT-2611-07".to_string()];
        if json["infusion"].is_null() {
            for s in json["strengths"].as_array().unwrap() {
                want.push(qty(&s["strength"]));
            }
        } else {
            // An infusion prints 4 significant figures (SPEC §8.3); its time and volume.
            want.push(json["bud_time"].as_str().unwrap().to_string());
            want.push(format!("Volume: {}", qty(&json["infusion"]["volume"])));
        }
        want.push(json["preparation"].as_str().unwrap().to_string());
        want.push("Compounded preparation".to_string());
        want.push("Caution: Federal law prohibits the transfer of this drug".to_string());
        for w in &want {
            assert!(text.contains(w.as_str()), "{id}: `{w}` missing from the label:\n{text}");
        }
        // 0.1 in margins on a 4 in label.
        let outside = b.outside(&pdf, 7.2);
        assert!(outside.is_empty(), "{id}: words in the label's margin: {outside:?}");
    }
}

/// A formula whose name, steps, checks and warnings hold markup, `&` and quotes.
const HOSTILE: &str = r#"format = 1
id = "hostile"
name = "Ketamine <script>alert(1)</script> & \"Co\" 'x' {strength:ketamine-hcl} Solution"
revision = 1
dosage_form = "oral-solution"
route = "oral"
water = "aqueous"
preserved = true
storage = "refrigerator"
description = "Clear <em>solution</em> & \"more\""

[batch]
quantity = "100 mL"

[[ingredients]]
id = "ketamine-hcl"
name = "Ketamine <script>alert(1)</script> & \"Co\" 'x'"
role = "active"
amount = "10 mg/mL"
basis = "salt"
schedule = "CIII"

[[ingredients]]
id = "methylparaben"
name = "Methylparaben"
role = "preservative"
amount = "1 mg/mL"

[[ingredients]]
id = "vehicle"
name = "Water & <b>syrup</b>"
role = "vehicle"
amount = "qs"

[[steps]]
text = "Stir <i>well</i> & check \"{weigh:ketamine-hcl}\" </td></tr></table>"

[quality]
checks = ["<img src=x onerror=alert(1)> clear & 'bright'"]

[labeling]
warnings = ["<script>alert(2)</script> & \"shake\"", "Compounded preparation"]
"#;

/// The margin check itself: a line too long for the page is seen.
#[test]
fn the_margin_check_sees_a_line_that_runs_off_the_page() {
    let Some(b) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("wide.html");
    let words = "1.0500 g ".repeat(60);
    std::fs::write(
        &html,
        format!("<!DOCTYPE html><html><head><style>@page {{ margin: 15mm; }}</style></head><body><p style=\"white-space: nowrap\">{words}</p></body></html>"),
    )
    .unwrap();
    let pdf = dir.path().join("wide.pdf");
    b.print(&html, &pdf, Some(Paper::A4));
    assert!(!b.outside(&pdf, MARGIN_PT).is_empty(), "{}", b.text(&pdf));
}

/// The completed record (SPEC §14.3) printed by the browser, on Letter and A4: every
/// reading as read, its deviation as printed and its status (a mark and a word), and the
/// release line with each of its reasons, within the margins. The public case (ready),
/// and the same batch with readings out of tolerance, a missing QC result and a C-III
/// stock that does not reconcile (to check).
#[test]
fn the_printed_record_carries_every_reading_and_the_release_line() {
    let Some(b) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let case = crate::cli::root().join("tests/fixtures/cases/record-spray-20ml-ready");
    let ready = std::fs::read_to_string(case.join("ns-20ml.toml")).unwrap();
    let formula = case.join("ketamine-hcl-nasal-spray-100.toml");
    let check = ready
        .replace(
            "formula = \"ketamine-hcl-nasal-spray-100.toml\"",
            &format!("formula = {:?}", formula.display().to_string()),
        )
        .replace("ketamine-hcl = \"2.1181 g\"", "ketamine-hcl = \"2.2281 g\"")
        .replace("weigh = \"84.2 mg\"", "weigh = \"78.2 mg\"")
        .replace("3 = \"pass\"\n", "")
        .replace("stock_after = \"27.8819 g\"", "stock_after = \"27.6819 g\"");
    let check_file = dir.path().join("check.toml");
    std::fs::write(&check_file, check).unwrap();
    for (name, file, status) in [("ready", case.join("ns-20ml.toml"), 0), ("check", check_file, 3)] {
        let html = dir.path().join(format!("{name}.html"));
        let r = finish(ketacalc().arg("record").arg(&file).args(["--format", "html", "-o"]).arg(&html));
        assert_eq!(r.code, status, "{name}: {}", r.stderr);
        let doc = finish(ketacalc().arg("record").arg(&file).args(["--format", "json"])).json();
        let mut want: Vec<String> = Vec::new();
        for r in doc["readings"].as_array().unwrap() {
            want.push(format!(
                "{} {}",
                r["read"]["value"].as_str().unwrap(),
                r["read"]["unit"].as_str().unwrap()
            ));
            let dev: rust_decimal::Decimal = r["deviation"].as_str().unwrap().parse().unwrap();
            want.push(ketacalc::number::signed_percent(dev, 2));
            let mark = match r["status"].as_str().unwrap() {
                "in" => "✓",
                "over" => "▲",
                "under" => "▼",
                "recorded" => "•",
                other => panic!("{other}"),
            };
            want.push(format!("{mark} {}", r["status"].as_str().unwrap()));
        }
        let release = match doc["release"]["status"].as_str().unwrap() {
            "ready" => "✓ RECORD READY for the pharmacist's verification".to_string(),
            _ => format!(
                "✗ RECORD TO CHECK: {} items for the pharmacist to decide",
                doc["release"]["reasons"].as_array().unwrap().len()
            ),
        };
        want.push(release);
        for reason in doc["release"]["reasons"].as_array().unwrap() {
            want.push(reason.as_str().unwrap().to_string());
        }
        for paper in [Paper::Letter, Paper::A4] {
            let pdf = dir.path().join(format!("{name}-{paper:?}.pdf"));
            b.print(&html, &pdf, Some(paper));
            let text = b.text(&pdf);
            let pages = b.pages(&pdf);
            assert!((1..=MAX_PAGES).contains(&pages), "{name} on {paper:?}: {pages} pages");
            for w in &want {
                assert!(text.contains(w.as_str()), "{name} on {paper:?}: `{w}` missing:\n{text}");
            }
            let outside = b.outside(&pdf, MARGIN_PT);
            assert!(outside.is_empty(), "{name} on {paper:?}: words in the margin: {outside:?}");
        }
    }
}
