//! SPEC §11.2 (rev. 3, issue 20): the holes an outside attack on the rev. 2 surface found,
//! each with its neighbours.
//!
//! 1. time zones: an unknown or unreadable `TZ` is an error naming it, in every command
//!    that reads the local time, never a silent UTC;
//! 2. hidden characters in every text of every table of a formula, and on the command line;
//! 3. infusion bounds (duration, overfill, drop factor, and each other infusion quantity)
//!    and weight units;
//! 4. size: every input up to 1 MiB under 100 MB in every command;
//! 5. ratio strengths with or without the space, everywhere a strength is read;
//! 6. file names in human `validate` output that cannot start a workflow command;
//! 7. local times the clocks skip or repeat, compounding dates from 2000 to 2999, SARIF
//!    `file://` URIs, Markdown emphasis in formula text.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::cli::{DATE, Run, finish, ketacalc, root, run};
use crate::iv::{BASE, file, iv, json, run_tz};

const NS: &str = "ketamine-hcl-nasal-spray-100";
const IV: &str = "ketamine-iv-0.5mgkg-100ml";

fn with_tz(tz: &str, args: &[&str]) -> Run {
    finish(ketacalc().env("TZ", tz).args(args))
}

#[track_caller]
fn refused(r: &Run, needles: &[&str]) {
    let all = format!("{}{}", r.stdout, r.stderr);
    assert_eq!(r.code, 1, "expected exit 1:\n{all}");
    for n in needles {
        assert!(all.contains(n), "`{n}` not in:\n{all}");
    }
}

// ---------------------------------------------------------------------------------------
// 1. Time zones
// ---------------------------------------------------------------------------------------

/// Every command that reads the local time: today's date (`batch` and `label` without
/// `--date`), and an infusion's zone (its beyond-use time), with or without `--date`.
fn time_readers() -> Vec<Vec<&'static str>> {
    let iv = ["--weight", "70kg", "--time", "09:00"];
    vec![
        vec!["batch", NS],
        vec!["label", NS],
        vec!["batch", NS, "--format", "json"],
        [&["batch", IV, "--date", DATE][..], &iv].concat(),
        [&["label", IV, "--date", DATE][..], &iv].concat(),
        [&["batch", IV][..], &iv].concat(),
        vec!["batch", IV, "--weight", "70kg"],
    ]
}

/// Issue 20, item 1: `TZ=America/NewYork` (a typo) put an IV bag's beyond-use time five
/// hours late; `UTC+25`, `../../etc/passwd`, `XXX-99:99` and a 100,000-character `TZ`
/// were read as UTC too.
#[test]
fn an_unknown_or_unreadable_zone_is_an_error_naming_it() {
    let long = "A".repeat(100_000);
    for tz in ["America/NewYork", "UTC+25", "../../etc/passwd", "XXX-99:99", "/etc/passwd", "/", &long] {
        let shown: String = tz.chars().take(30).collect();
        for args in time_readers() {
            let r = with_tz(tz, &args);
            refused(&r, &[&format!("the local time zone cannot be read from `TZ={shown}"), "help: set `TZ`"]);
            assert!(r.stderr.len() < 1_000, "{args:?}: {} bytes", r.stderr.len());
            assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
        }
    }
    // `--date` is a way around it for a batch that needs no time of day.
    let r = with_tz("America/NewYork", &["batch", NS]);
    assert!(r.stderr.contains("`--date YYYY-MM-DD`"), "{}", r.stderr);
    let r = with_tz("America/NewYork", &["batch", IV, "--date", DATE, "--weight", "70kg", "--time", "09:00"]);
    assert!(!r.stderr.contains("--date"), "an infusion's zone is needed with --date too: {}", r.stderr);
    // Commands that do not read the time do not need the zone.
    for args in [
        vec!["batch", NS, "--date", DATE],
        vec!["label", NS, "--date", DATE],
        vec!["show", IV],
        vec!["validate"],
        vec!["list"],
        vec!["convert", "1:2500w/v", "--to", "mg/mL"],
    ] {
        let r = with_tz("America/NewYork", &args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
}

/// Every way `TZ` names a zone still reads it, and the zone is used: 12 hours from 20:00
/// on the eve of the spring change in New York end at 09:00 on its clock, 08:00 in UTC.
#[test]
fn a_zone_named_any_way_is_the_zone_used() {
    let bud_time = |tz: &str| {
        let r = with_tz(
            tz,
            &["batch", IV, "--weight", "70kg", "--date", "2026-03-07", "--time", "20:00", "--format", "json"],
        );
        assert_eq!(r.code, 0, "{tz}: {}", r.stderr);
        let doc = r.json();
        (doc["bud"]["date"].as_str().unwrap().to_string(), doc["bud"]["time"].as_str().unwrap().to_string())
    };
    let mut zones =
        vec!["America/New_York", ":America/New_York", "EST5EDT,M3.2.0,M11.1.0", "america/new_york"];
    let file = "/usr/share/zoneinfo/America/New_York";
    if Path::new(file).is_file() {
        zones.push(file);
    }
    for tz in zones {
        assert_eq!(bud_time(tz), ("2026-03-08".to_string(), "09:00".to_string()), "{tz}");
    }
    for tz in ["UTC", "", ":", "Etc/UTC"] {
        assert_eq!(bud_time(tz), ("2026-03-08".to_string(), "08:00".to_string()), "{tz:?}");
    }
    // With no `TZ`, /etc/localtime (or UTC without one) gives today's date.
    let r = finish(ketacalc().env_remove("TZ").args(["batch", NS, "--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------
// 7. Local times and dates
// ---------------------------------------------------------------------------------------

/// Issue 20, item 7: 02:30 on 2026-03-08 does not exist in New York (the clocks go from
/// 02:00 to 03:00) and was accepted silently.
#[test]
fn a_time_the_clocks_skip_is_refused_naming_the_next_valid_minute() {
    for tz in ["America/New_York", "EST5EDT,M3.2.0,M11.1.0"] {
        for time in ["02:00", "02:30", "02:59"] {
            for cmd in ["batch", "label"] {
                let r = with_tz(tz, &[cmd, IV, "--weight", "70kg", "--date", "2026-03-08", "--time", time]);
                refused(
                    &r,
                    &[
                        &format!("{time} does not exist on 2026-03-08"),
                        "the clocks go forward over it",
                        "the next valid minute is 03:00",
                        "help: give `--time 03:00`",
                    ],
                );
            }
        }
        for time in ["01:59", "03:00"] {
            let r = with_tz(tz, &["batch", IV, "--weight", "70kg", "--date", "2026-03-08", "--time", time]);
            assert_eq!(r.code, 0, "{tz} {time}: {}", r.stderr);
        }
    }
    let r = with_tz(
        "America/New_York",
        &["batch", IV, "--weight", "70kg", "--date", "2026-03-08", "--time", "02:30"],
    );
    assert!(r.stderr.contains("in America/New_York"), "{}", r.stderr);
}

/// 01:30 on 2026-11-01 happens twice in New York: a warning `ambiguous-time`, and the
/// earlier instant (EDT) is used: 12 hours from 01:30 EDT is 12:30 EST, not 13:30.
#[test]
fn a_time_the_clocks_repeat_is_warned_about_and_the_earlier_is_used() {
    for tz in ["America/New_York", "EST5EDT,M3.2.0,M11.1.0"] {
        let r = with_tz(
            tz,
            &["batch", IV, "--weight", "70kg", "--date", "2026-11-01", "--time", "01:30", "--format", "json"],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let doc = r.json();
        let w = doc["warnings"].as_array().unwrap().iter().find(|w| w["code"] == "ambiguous-time");
        let w = w.unwrap_or_else(|| panic!("{tz}: {:#}", doc["warnings"]));
        let m = w["message"].as_str().unwrap();
        assert!(m.contains("01:30 occurs twice on 2026-11-01") && m.contains("the earlier"), "{m}");
        assert_eq!(
            (doc["bud"]["date"].as_str(), doc["bud"]["time"].as_str()),
            (Some("2026-11-01"), Some("12:30"))
        );
        let table =
            with_tz(tz, &["batch", IV, "--weight", "70kg", "--date", "2026-11-01", "--time", "01:30"]);
        assert!(table.stdout.contains("occurs twice"), "{}", table.stdout);
    }
    // The hour before and after is unambiguous.
    let r = with_tz(
        "America/New_York",
        &["batch", IV, "--weight", "70kg", "--date", "2026-11-01", "--time", "02:00", "--format", "json"],
    );
    assert!(!r.stdout.contains("ambiguous-time"), "{}", r.stdout);
}

/// Issue 20, item 7: `--date 0000-01-01` was accepted. A compounding date, and a lot's
/// expiry read the same way, is from 2000-01-01 to 2999-12-31.
#[test]
fn a_compounding_date_is_from_2000_to_2999() {
    for date in ["0000-01-01", "1999-12-31", "3000-01-01", "9999-12-31"] {
        for args in [
            vec!["batch", NS, "--date", date],
            vec!["label", NS, "--date", date],
            vec!["batch", IV, "--date", date, "--weight", "70kg", "--time", "09:00"],
        ] {
            refused(&run(&args), &["for `--date`", "a date is from 2000-01-01 to 2999-12-31"]);
        }
        let r = run(&["batch", NS, "--date", DATE, "--expiry", &format!("ketamine-hcl={date}")]);
        refused(&r, &["for `--expiry`", "a date is from 2000-01-01 to 2999-12-31"]);
    }
    for date in ["2000-01-01", "2999-12-31"] {
        let r = run(&["batch", NS, "--date", date, "--format", "json"]);
        assert_eq!(r.code, 0, "{date}: {}", r.stderr);
        let r = run(&["batch", IV, "--date", date, "--weight", "70kg", "--time", "09:00"]);
        assert_eq!(r.code, 0, "{date}: {}", r.stderr);
    }
    // A beyond-use date counted from the last day is after it.
    let doc = run(&["batch", NS, "--date", "2999-12-31", "--format", "json"]).json();
    assert_eq!((doc["date"].as_str(), doc["bud"]["date"].as_str()), (Some("2999-12-31"), Some("3000-02-04")));
}

// ---------------------------------------------------------------------------------------
// 2. Hidden characters
// ---------------------------------------------------------------------------------------

/// The hidden characters as a TOML basic string writes them, with their code points.
const HIDDEN: &[(&str, &str)] = &[
    ("\\r", "U+000D"),
    ("\\u0085", "U+0085"),
    ("\\u001B", "U+001B"),
    ("\\u202A", "U+202A"),
    ("\\u202E", "U+202E"),
    ("\\u2066", "U+2066"),
    ("\\u2069", "U+2069"),
    ("\\u200E", "U+200E"),
    ("\\u200F", "U+200F"),
    ("\\u2028", "U+2028"),
    ("\\u2029", "U+2029"),
];

/// Every built-in formula and the infusion of the IV tests, as text.
fn formulas() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = crate::cli::builtin_ids()
        .into_iter()
        .map(|id| {
            let text = std::fs::read_to_string(root().join(format!("formulas/{id}.toml"))).unwrap();
            (id, text)
        })
        .collect();
    out.push(("iv".to_string(), BASE.to_string()));
    out
}

/// Where each string value of a formula starts: its line (0-based) and the byte of its
/// opening quote, for every line that holds one (`key = "…"` and the entries of arrays).
fn string_values(text: &str) -> Vec<(usize, usize)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with('#'))
        .filter_map(|(n, l)| {
            let quote = l.find('"')?;
            (!l[..quote].contains('#')).then_some((n, quote))
        })
        .collect()
}

/// Issue 20, item 2: a `\r` passed `validate --deny-warnings` in the name, description,
/// container, steps, checks, warnings and ingredient names; the bidirectional controls,
/// U+200E/U+200F and U+2028/U+2029 were accepted too. Every string of every table of
/// every built-in formula (and of an infusion) is held to the rule: a `hidden-character`
/// error at the line and column of the character, naming its code point.
#[test]
fn every_text_of_every_table_refuses_hidden_characters() {
    let mut checked = std::collections::BTreeSet::new();
    for (id, text) in formulas() {
        let values = string_values(&text);
        assert!(values.len() >= 15, "{id}: {}", values.len());
        for (n, (line, quote)) in values.iter().enumerate() {
            // Each escape in turn, one line after the other (all of them on every line
            // would be thousands of files).
            let (escape, code_point) = HIDDEN[n % HIDDEN.len()];
            let lines: Vec<String> = text
                .lines()
                .enumerate()
                .map(|(i, l)| {
                    if i == *line {
                        format!("{}{escape}{}", &l[..=*quote], &l[quote + 1..])
                    } else {
                        l.to_string()
                    }
                })
                .collect();
            let edited = lines.join("\n");
            let report = ketacalc::validate::check("f.toml", edited.as_bytes(), None);
            let found = report.diagnostics.iter().find(|l| l.diagnostic.code == "hidden-character");
            let l = found
                .unwrap_or_else(|| panic!("{id} line {}: {escape} not refused:\n{}", line + 1, lines[*line]));
            assert_eq!((l.line, l.column), (line + 1, quote + 2), "{id}: {}", lines[*line]);
            assert!(l.diagnostic.message.contains(code_point), "{}", l.diagnostic.message);
            let key = lines[*line].split('=').next().unwrap().trim().to_string();
            checked.insert(key);
        }
    }
    // The texts the issue names, and the other kinds of string, were all among them.
    for key in [
        "name",
        "description",
        "container",
        "text",
        "id",
        "route",
        "storage",
        "amount",
        "stock",
        "schedule",
        "per_kg",
        "bag",
        "drop_factor",
    ] {
        assert!(checked.contains(key), "`{key}` not checked: {checked:?}");
    }
}

/// A raw (unescaped) right-to-left override, a CRLF line break in a multi-line string
/// (refused, with a help line about line endings), and the CLI end to end:
/// `validate --deny-warnings` refuses a `\r` in a name, `batch` refuses the formula, and
/// nothing hidden reaches the output.
#[test]
fn hidden_characters_raw_in_multi_line_strings_and_through_the_cli() {
    let raw = iv(&[("name = \"Ketamine infusion\"", "name = \"Ketamine \u{202E}noisufni\"")]);
    let report = ketacalc::validate::check("f.toml", raw.as_bytes(), None);
    let l = report.diagnostics.iter().find(|l| l.diagnostic.code == "hidden-character").unwrap();
    assert_eq!((l.line, l.column), (3, 18));
    assert!(l.diagnostic.message.contains("U+202E (right-to-left override)"));
    assert!(!l.source_line.as_ref().unwrap().contains('\u{202E}'), "{:?}", l.source_line);

    let crlf = iv(&[(
        "description = \"Clear, colourless solution\"",
        "description = \"\"\"\r\nClear,\r\ncolourless\"\"\"",
    )]);
    let report = ketacalc::validate::check("f.toml", crlf.as_bytes(), None);
    let l = report.diagnostics.iter().find(|l| l.diagnostic.code == "hidden-character").unwrap();
    assert!(l.diagnostic.message.contains("U+000D (carriage return)"), "{}", l.diagnostic.message);
    assert!(l.diagnostic.help.as_deref().unwrap().contains("LF (Unix) line endings"));
    // A multi-line string with LF and tab is text.
    let lf = iv(&[(
        "description = \"Clear, colourless solution\"",
        "description = \"\"\"\nClear,\tcolourless\nsolution\"\"\"",
    )]);
    assert!(ketacalc::validate::check("f.toml", lf.as_bytes(), None).diagnostics.is_empty());

    let cr = iv(&[("name = \"Ketamine infusion\"", "name = \"Ketamine\\r infusion\"")]);
    let r = run_tz("UTC", &cr, &["validate", "--deny-warnings", "{f}"]);
    refused(&r, &["iv.toml:3:17: error: `name` holds the hidden character U+000D (carriage return)"]);
    let r = run_tz("UTC", &cr, &["batch", "{f}", "--weight", "70kg", "--date", DATE, "--time", "09:00"]);
    refused(&r, &["has 1 error"]);
    assert!(!r.stdout.contains('\r') && !r.stderr.contains('\r'), "{r:?}");
    // The command line: one rule for lots, batch ids and ingredient ids.
    for (flag, value) in [
        ("--lot", "ketamine-hcl=K\u{202E}1922"),
        ("--lot", "ketamine-hcl=K\r1"),
        ("--batch-id", "B\u{2066}1"),
        ("--batch-id", "B\u{2028}1"),
        ("--assay", "ketamine-hcl\u{200F}=99%"),
    ] {
        refused(&run(&["batch", NS, "--date", DATE, flag, value]), &["the hidden character U+"]);
    }
}

// ---------------------------------------------------------------------------------------
// 3. Infusion bounds and weight units
// ---------------------------------------------------------------------------------------

fn iv_run(text: &str, args: &[&str]) -> Run {
    let mut all = vec!["batch", "{f}", "--weight", "70kg", "--date", DATE, "--time", "09:00"];
    all.extend_from_slice(args);
    run_tz("UTC", text, &all)
}

fn diagnostics(text: &str) -> Vec<(String, String)> {
    let report = ketacalc::validate::check("f.toml", text.as_bytes(), None);
    report.diagnostics.iter().map(|l| (l.diagnostic.code.to_string(), l.diagnostic.message.clone())).collect()
}

/// Issue 20, item 3: `--duration 0.01min` gave 604,200 mL/h, `0.0000000000000000000000001h`
/// 3.57e26 mL/h. A duration, on the command line or in the formula, is from 1 min to 24 h.
#[test]
fn a_duration_is_from_one_minute_to_a_day() {
    for bad in ["0.01min", "0.0000000000000000000000001h", "0.99min", "0min", "24.01h", "25h", "1441min"] {
        refused(&iv_run(BASE, &["--duration", bad]), &["for `--duration`", "from 1 min to 24 h"]);
    }
    for fine in ["1min", "24h", "1440min", "0.5h"] {
        assert_eq!(iv_run(BASE, &["--duration", fine]).code, 0, "{fine}");
    }
    for bad in ["0.01 min", "0.5 min", "24.5 h", "0 min"] {
        let text = iv(&[("duration = \"40 min\"", &format!("duration = \"{bad}\""))]);
        let d = diagnostics(&text);
        assert!(
            d.iter()
                .any(|(c, m)| c == "duration" && m.contains(&format!("`{bad}` is not from 1 min to 24 h"))),
            "{bad}: {d:?}"
        );
    }
    for fine in ["1 min", "24 h"] {
        let text = iv(&[("duration = \"40 min\"", &format!("duration = \"{fine}\""))]);
        assert_eq!(diagnostics(&text), [], "{fine}");
    }
}

/// `overfill = "100000 mL"` validated: an overfill is at most the bag's nominal volume,
/// and a `--bag` smaller than the formula's overfill is refused too.
#[test]
fn an_overfill_is_at_most_the_bag() {
    let with = |o: &str| iv(&[("bag = \"100 mL\"", &format!("bag = \"100 mL\"\noverfill = \"{o}\""))]);
    for bad in ["100000 mL", "100.01 mL", "1 L"] {
        let d = diagnostics(&with(bad));
        assert!(
            d.iter().any(
                |(c, m)| c == "overfill" && m.contains("is more than the bag's nominal volume of 100 mL")
            ),
            "{bad}: {d:?}"
        );
    }
    for fine in ["0 mL", "7 mL", "100 mL"] {
        assert_eq!(diagnostics(&with(fine)), [], "{fine}");
    }
    refused(&iv_run(&with("20 mL"), &["--bag", "10mL"]), &["for `--bag`", "the formula's overfill of 20 mL"]);
    assert_eq!(iv_run(&with("20 mL"), &["--bag", "20mL"]).code, 0);
}

/// `drop_factor = "99999999999999999999 gtt/mL"` validated: a drop factor is from 10 to 60
/// gtt/mL, the sets that exist.
#[test]
fn a_drop_factor_is_from_10_to_60() {
    for bad in ["99999999999999999999 gtt/mL", "9 gtt/mL", "61 gtt/mL", "0.5 gtt/mL"] {
        let text = iv(&[("drop_factor = \"15 gtt/mL\"", &format!("drop_factor = \"{bad}\""))]);
        let d = diagnostics(&text);
        assert!(
            d.iter().any(|(c, m)| c == "drop-factor" && m.contains("is not from 10 to 60 gtt/mL")),
            "{bad}: {d:?}"
        );
    }
    for fine in ["10 gtt/mL", "20 gtt/mL", "60 gtt/mL"] {
        let text = iv(&[("drop_factor = \"15 gtt/mL\"", &format!("drop_factor = \"{fine}\""))]);
        assert_eq!(diagnostics(&text), [], "{fine}");
    }
}

/// `--weight 70mg` was 0.00007 kg. A weight is in kg or lb (`kgs`, `lbs`), in `batch`,
/// `label` and the `dose` calculator.
#[test]
fn a_weight_is_in_kg_or_lb() {
    for bad in ["70mg", "70000g", "70000000mcg", "70000000ug"] {
        for cmd in ["batch", "label"] {
            let r = run(&[cmd, IV, "--date", DATE, "--time", "09:00", "--weight", bad]);
            refused(&r, &["for `--weight`", "not in `kg` or `lb`", "154 lb"]);
        }
        refused(&run(&["dose", "0.5mg/kg", "--weight", bad]), &["a body weight is in `kg` or `lb`"]);
    }
    for (given, kg) in
        [("70kgs", "70"), ("70 KG", "70"), ("154lbs", "69.85322498"), ("154 LB", "69.85322498")]
    {
        let doc = json(BASE, &["--weight", given]);
        assert_eq!(doc["infusion"]["weight"]["value"], kg, "{given}");
        assert_eq!(run(&["dose", "0.5mg/kg", "--weight", given]).code, 0, "{given}");
    }
}

/// Every other quantity of an infusion has its bound, found while fixing the three above:
/// each out-of-bound value is refused with the code that says why, and a value at the
/// bound is accepted.
#[test]
fn every_infusion_quantity_has_a_bound() {
    let cases: &[(&str, &str, &str)] = &[
        ("per_kg = \"0.5 mg/kg\"", "per_kg = \"0 mg/kg\"", "zero-amount"),
        ("max = \"50 mg\"", "max = \"0 mg\"", "zero-factor"),
        ("bag = \"100 mL\"", "bag = \"0 mL\"", "zero-factor"),
        ("bag = \"100 mL\"", "bag = \"5001 mL\"", "bag"),
        ("stock = \"50 mg/mL\"", "stock = \"0 mg/mL\"", "zero-factor"),
        ("vial = \"10 mL\"", "vial = \"0 mL\"", "zero-factor"),
        ("vial = \"10 mL\"", "vial = \"0.0000001 mL\"", "bad-value"),
        ("vial = \"10 mL\"", "vial = \"5001 mL\"", "bad-value"),
        ("duration = \"40 min\"", "duration = \"0.01 min\"", "duration"),
        ("drop_factor = \"15 gtt/mL\"", "drop_factor = \"61 gtt/mL\"", "drop-factor"),
        // A stock so weak that the drug would not fit in the bag: the reference batch.
        ("stock = \"50 mg/mL\"", "stock = \"0.000001 mg/mL\"", "calculation"),
    ];
    for (from, to, code) in cases {
        let d = diagnostics(&iv(&[(from, to)]));
        assert!(d.iter().any(|(c, _)| c == code), "{to}: {d:?}");
    }
    for (from, to) in [("vial = \"10 mL\"", "vial = \"0.1 mL\""), ("vial = \"10 mL\"", "vial = \"5 L\"")] {
        assert_eq!(diagnostics(&iv(&[(from, to)])), [], "{to}");
    }
    // The drug volume is at most the bag: a weak stock, and a fixed-concentration bag
    // whose nominal concentration is above its stock's (500 mg/mL of a 50 mg/mL stock).
    let weak = iv(&[("stock = \"50 mg/mL\"", "stock = \"0.000001 mg/mL\"")]);
    refused(&iv_run(&weak, &[]), &["the drug's volume of 35000000 mL is more than the bag's nominal 100 mL"]);
    let fixed = iv(&[
        ("method = \"whole-bag\"", "method = \"fixed-concentration\"\nconcentration = \"100 mg/mL\""),
        ("max = \"50 mg\"\n", ""),
    ]);
    refused(&iv_run(&fixed, &[]), &["the drug's volume of 200 mL is more than the bag's nominal 100 mL"]);
    let no_max = iv(&[("max = \"50 mg\"\n", "")]);
    refused(
        &iv_run(&no_max, &["--dose", "1000mg/kg"]),
        &["the drug's volume of 1400 mL is more than the bag's nominal 100 mL"],
    );
}

// ---------------------------------------------------------------------------------------
// 4. Size
// ---------------------------------------------------------------------------------------

/// The largest file `ketacalc` reads.
const MIB: usize = 1024 * 1024;

/// A built-in formula with one step made of `unit` repeated up to 1 MiB.
fn one_step(unit: &str) -> String {
    one_step_of(unit).0
}

/// [`one_step`], and how many times `unit` is repeated.
fn one_step_of(unit: &str) -> (String, usize) {
    let base = std::fs::read_to_string(root().join(format!("formulas/{NS}.toml"))).unwrap();
    let step = "text = \"Add the benzalkonium chloride (or its aliquot) and stir to mix.\"";
    assert!(base.contains(step));
    let n = (MIB - base.len() - 100) / unit.len();
    (base.replace(step, &format!("text = \"{}\"", unit.repeat(n))), n)
}

/// The 1 MiB inputs of issue 20, item 4, and the worst found beside them: every one under
/// 1 MiB and under the 50,000 items a file may hold, or just over.
fn large_inputs() -> Vec<(&'static str, String)> {
    let ns = std::fs::read_to_string(root().join(format!("formulas/{NS}.toml"))).unwrap();
    let array = |key: &str, item: &str, n: usize| {
        ns.replace(&format!("{key} = ["), &format!("{key} = [{}", format!("{item},").repeat(n)))
    };
    let mut many = String::from(
        "format = 1\nid = \"many\"\nname = \"Many\"\nrevision = 1\ndosage_form = \"oral-solution\"\n\
         route = \"oral\"\nwater = \"aqueous\"\npreserved = true\nstorage = \"refrigerator\"\n\
         [batch]\nquantity = \"100 mL\"\n[[ingredients]]\nid = \"w\"\nname = \"Water\"\nrole = \"vehicle\"\namount = \"qs\"\n",
    );
    for i in 0..4_400 {
        many.push_str(&format!(
            "[[ingredients]]\nid=\"i{i}\"\nname=\"n\"\nrole=\"flavor\"\namount=\"1mg\"\n"
        ));
    }
    let iv = std::fs::read_to_string(root().join(format!("formulas/{IV}.toml"))).unwrap();
    let iv_name =
        iv.replacen("name = \"", &format!("name = \"{}", "{bag} {concentration} ".repeat(40_000)), 1);
    let inputs = vec![
        ("{x} x 340,000", one_step("{x}")),
        ("1 mL x 200,000", one_step("1 mL ")),
        ("} x 500,000", one_step("} ")),
        ("{cavities} in a spray", one_step("{cavities}")),
        ("{prepared}", one_step("{prepared}")),
        ("one long word", one_step("x")),
        ("\\u202E escapes", one_step("\\u202E")),
        ("49,000 checks", array("checks", "\"ok\"", 49_000)),
        ("49,000 quantities in checks", array("checks", "\"1 mL\"", 49_000)),
        ("49,000 bad warnings", array("warnings", "\"{x}\"", 49_000)),
        ("4,400 ingredients", many),
        ("an infusion's name of 40,000 figures", iv_name),
        ("1 MiB of line breaks", format!("{ns}{}", "\n".repeat(MIB - ns.len() - 10))),
        ("49,000 values of an unknown key", format!("{ns}x = [{}]\n", "1,".repeat(49_000))),
        ("500,000 values", format!("{ns}x = [{}]\n", "1,".repeat(500_000))),
    ];
    for (what, text) in &inputs {
        assert!(text.len() <= MIB, "{what}: {}", text.len());
    }
    inputs
}

/// The most memory a run may take (SPEC §11.2), in KB as `time` reports it.
const MAX_RSS_KB: u64 = 100 * 1000;

/// GNU `time`, which reports a child's peak resident memory, when installed (the Debian
/// package `time`; `.ci/run` installs it and sets `KETACALC_REQUIRE_TIME=1`).
#[allow(clippy::print_stdout, reason = "the skip is reported where `cargo test` shows it")]
fn gnu_time() -> Option<&'static str> {
    let found = Path::new("/usr/bin/time").is_file().then_some("/usr/bin/time");
    if found.is_none() {
        assert!(
            std::env::var("KETACALC_REQUIRE_TIME").as_deref() != Ok("1"),
            "KETACALC_REQUIRE_TIME=1 but /usr/bin/time is not installed"
        );
        println!("skipped: /usr/bin/time not installed; memory is only held under 1 GiB of address space");
    }
    found
}

/// Runs `ketacalc ARGS` with its address space limited to 1 GiB (`ulimit -v`: an
/// allocation past it fails and aborts, so nothing runs away even without `time`), and
/// returns the output and, with GNU `time`, the peak resident memory in KB.
fn measured(args: &[&str], time: Option<&str>, dir: &Path) -> (std::process::Output, Option<u64>) {
    let report = dir.join("time.txt");
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg("ulimit -v 1048576 && exec \"$0\" \"$@\"");
    if let Some(t) = time {
        cmd.args([t, "-f", "%M", "-o", report.to_str().unwrap()]);
    }
    cmd.arg(env!("CARGO_BIN_EXE_ketacalc")).args(args).env_clear().env("TZ", "UTC").env("NO_COLOR", "1");
    let o = crate::robustness::run_within(cmd, std::time::Duration::from_secs(120));
    let kb = time.and_then(|_| std::fs::read_to_string(&report).ok()).and_then(|t| t.trim().parse().ok());
    (o, kb)
}

/// Issue 20, item 4: files under 1 MiB of repeated placeholders or quantities in one
/// step (`{x}` × 340,000; `1 mL ` × 200,000) took 115–132 MB in every command; 49,000
/// checks, 17,000 ingredients and 500,000 values took up to 200 MB. Every command in
/// every format now runs each of them in under 100 MB of resident memory. The times are
/// measured by `fuzz/mutate` (a release build), never here.
#[test]
#[allow(clippy::print_stdout, reason = "the peak is reported where `cargo test --nocapture` shows it")]
fn one_mib_inputs_stay_under_100_mb_in_every_command() {
    let time = gnu_time();
    let dir = tempfile::tempdir().unwrap();
    let mut peak = (0u64, String::new());
    for (n, (what, text)) in large_inputs().into_iter().enumerate() {
        let path = dir.path().join(format!("large-{n}.toml"));
        std::fs::write(&path, &text).unwrap();
        let p = path.to_str().unwrap();
        let infusion = text.contains("iv-infusion");
        // Every command in every format for the two inputs of the issue; for the others,
        // the two layouts that hold the most and `validate` (a debug build takes a
        // fraction of a second for each run of a 1 MiB file; `fuzz/mutate --sizes` runs
        // them all on a release build, timed).
        let mut commands: Vec<Vec<&str>> = vec![vec!["validate", "--format", "json", p]];
        let batch: &[&str] = if n < 2 {
            commands.extend([vec!["validate", p], vec!["show", p], vec!["show", "--format", "json", p]]);
            commands.extend(["github", "sarif"].map(|f| vec!["validate", "--format", f, p]));
            commands.extend(["text", "html", "json"].map(|f| vec!["label", p, "--format", f]));
            &["table", "json", "markdown", "csv", "html"]
        } else {
            &["table", "html"]
        };
        commands.extend(batch.iter().map(|f| vec!["batch", p, "--format", f]));
        for args in &mut commands {
            if args[0] != "validate" && args[0] != "show" {
                args.extend(["--date", DATE]);
                if infusion {
                    args.extend(["--weight", "70kg", "--time", "09:00"]);
                }
            }
            let (o, kb) = measured(args, time, dir.path());
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert!(
                matches!(o.status.code(), Some(0 | 1)),
                "{what}: {args:?}: {:?}\n{}",
                o.status,
                &stderr[..stderr.len().min(2000)]
            );
            assert!(!stderr.contains("memory allocation"), "{what}: {args:?}: {stderr}");
            if let Some(kb) = kb {
                assert!(kb < MAX_RSS_KB, "{what}: {args:?}: {kb} KB");
                if kb > peak.0 {
                    peak = (kb, format!("{what}: {}", args[..args.len().min(3)].join(" ")));
                }
            }
        }
    }
    println!("most memory: {} KB ({})", peak.0, peak.1);
}

/// The counts stay exact although the scanner builds only what it reports: 340,000
/// unknown placeholders in one step are 340,000 errors, 200 of them shown.
#[test]
fn what_is_not_built_is_still_counted() {
    let (text, n) = one_step_of("{x}");
    let report = ketacalc::validate::check("f.toml", text.as_bytes(), None);
    assert_eq!(report.diagnostics.len(), ketacalc::formula::MAX_DIAGNOSTICS + 1);
    let errors = report.diagnostics.iter().filter(|l| l.diagnostic.is_error()).count() - 1;
    assert_eq!(errors + report.omitted.errors, n);
    let last = &report.diagnostics.last().unwrap().diagnostic;
    assert!(last.message.starts_with(&format!("and {} more problems", n - 200)), "{}", last.message);
    // 200,000 quantities in a step: 200,000 warnings, and a batch at another quantity
    // names the first five and counts the rest.
    let (text, n) = one_step_of("1 mL ");
    let report = ketacalc::validate::check("f.toml", text.as_bytes(), None);
    assert_eq!(report.diagnostics.len() - 1 + report.omitted.warnings, n);
    let (_dir, path) = file(&text);
    let r = run(&["batch", &path, "--date", DATE, "--quantity", "20mL", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    let w = doc["warnings"].as_array().unwrap().iter().find(|w| w["code"] == "reference-batch-text").unwrap();
    let m = w["message"].as_str().unwrap();
    assert!(m.contains(&format!("`1 mL`, `1 mL`, `1 mL`, `1 mL`, `1 mL`, and {} more", n - 5)), "{m}");
    assert!(m.len() < 500, "{} bytes", m.len());
}

// ---------------------------------------------------------------------------------------
// 5. Ratio strengths
// ---------------------------------------------------------------------------------------

/// Issue 20, item 5: `--strength 1:10w/v` and `amount = "1:10000w/v"` were "not a ratio
/// strength", although `convert 1:2500w/v` read them. One grammar, with or without the
/// space, everywhere a strength is read.
#[test]
fn a_ratio_strength_reads_with_or_without_the_space() {
    let strength = |s: &str| {
        let doc = crate::cli::batch_json(NS, &["--strength", s]);
        doc["strengths"][0]["concentration"]["value"].as_str().unwrap().to_string()
    };
    for s in ["1:10w/v", "1:10 w/v", "1:10W/V", "ketamine-hcl=1:10w/v"] {
        assert_eq!(strength(s), "100", "{s}");
    }
    assert_eq!(strength("1:20w/v"), "50");
    let ns = std::fs::read_to_string(root().join(format!("formulas/{NS}.toml"))).unwrap();
    let weigh = |text: &str| {
        let (_dir, path) = file(text);
        let r = run(&["batch", &path, "--date", DATE, "--format", "json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()["ingredients"][1]["weigh"].clone()
    };
    let percent = weigh(&ns);
    for ratio in ["1:10000w/v", "1:10000 w/v"] {
        let text = ns.replace("amount = \"0.01 %w/v\"", &format!("amount = \"{ratio}\""));
        assert_ne!(text, ns);
        assert_eq!(weigh(&text), percent, "{ratio}");
    }
    // A stock, and the calculators.
    let stock = include_str!("../fixtures/cases/iv-stock-bak-ratio/ketamine-hcl-oral-solution-stock.toml");
    assert!(stock.contains("stock = \"1:750 w/v\""));
    let tight = stock.replace("stock = \"1:750 w/v\"", "stock = \"1:750w/v\"");
    assert_eq!(weigh(&tight)["value"], weigh(stock)["value"]);
    for args in [["convert", "1:2500w/v", "--to", "mg/mL"], ["convert", "1:2500 w/v", "--to", "mg/mL"]] {
        let r = run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("0.4 mg/mL"), "{}", r.stdout);
    }
    for bad in ["1:10  w/v", "1: 10w/v", "1:10w/vv", "1:10mg"] {
        refused(&run(&["batch", NS, "--date", DATE, "--strength", bad]), &["not a ratio strength"]);
    }
}

// ---------------------------------------------------------------------------------------
// 6 and 7. Output that a CI runner or a Markdown renderer reads
// ---------------------------------------------------------------------------------------

/// Issue 20, item 6: a file named with a line feed and `::error` printed a line that a
/// GitHub runner reads as a workflow command; the github and sarif formats escaped it.
#[test]
fn no_line_of_human_validate_output_begins_a_workflow_command() {
    let dir = tempfile::tempdir().unwrap();
    let name = "x\n::error file=a.toml,line=1::all clear\u{202E}.toml";
    let path = dir.path().join(name);
    std::fs::write(&path, "format = 1\nid = \"x\"\n").unwrap();
    let linked = dir.path().join("y\n::warning::z.toml");
    std::os::unix::fs::symlink("/nowhere", &linked).unwrap();
    for args in [vec!["validate", path.to_str().unwrap()], vec!["validate", dir.path().to_str().unwrap()]] {
        let r = run(&args);
        assert_eq!(r.code, 1, "{}", r.stderr);
        let out = format!("{}{}", r.stdout, r.stderr);
        assert!(out.lines().all(|l| !l.starts_with("::")), "{out}");
        assert!(out.contains("x\\n::error file=a.toml,line=1::all clear\\u{202e}.toml:1:1: error:"), "{out}");
        assert!(!out.contains('\u{202E}'), "{out}");
    }
    let r = run(&["batch", path.to_str().unwrap(), "--date", DATE]);
    assert!(r.stderr.lines().all(|l| !l.starts_with("::")), "{}", r.stderr);
}

/// Issue 20, item 7: SARIF gave an absolute path as a bare path; it is a `file://` URI
/// (a relative path stays a relative reference).
#[test]
fn sarif_gives_absolute_paths_as_file_uris() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a b.toml");
    std::fs::write(&path, "format = 1\nid = \"a\"\n").unwrap();
    let r = run(&["validate", "--format", "sarif", path.to_str().unwrap()]);
    let log: Value = serde_json::from_str(&r.stdout).unwrap();
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    let want = format!("file://{}", path.to_str().unwrap().replace(' ', "%20"));
    assert_eq!(uri, want);
    let r = run(&["validate", "--format", "sarif", "tests/bad/049-control-characters/formula.toml"]);
    let log: Value = serde_json::from_str(&r.stdout).unwrap();
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "tests/bad/049-control-characters/formula.toml");
}

/// Issue 20, item 7: `**` in a name broke the Markdown worksheet's bold; emphasis, code
/// and block syntax in formula text are escaped.
#[test]
fn markdown_in_formula_text_prints_as_written() {
    let ns = std::fs::read_to_string(root().join(format!("formulas/{NS}.toml"))).unwrap();
    let text = ns
        .replace("name = \"Ketamine Hydrochloride USP\"", "name = \"Ketamine **HCl** _USP_ `x`\"")
        .replace("text = \"Add the benzalkonium", "text = \"\"\"Add\n# not a heading\n1. not an item\n> nor a quote\"\"\"\n[[steps]]\ntext = \"Add the benzalkonium");
    let (_dir, path) = file(&text);
    let r = run(&["batch", &path, "--date", DATE, "--format", "markdown"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = r.stdout;
    assert!(md.contains("Ketamine \\*\\*HCl\\*\\* \\_USP\\_ \\`x\\`"), "{md}");
    assert!(!md.contains("**HCl**"), "{md}");
    assert!(
        md.contains("\\# not a heading") && md.contains("1\\. not an item") && md.contains("\\> nor a quote"),
        "{md}"
    );
    // The blanks to write on stay as they are.
    assert!(md.contains("________"), "{md}");
}
