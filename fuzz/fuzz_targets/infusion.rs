//! An IV infusion (SPEC §8, §11.2): the quantities of its `[dose]` and `[infusion]`
//! tables and of its stock, the options of `batch` for an infusion, and the zone and
//! local time it is compounded at, through the loader, the option parsers, the
//! calculation and every renderer.
//!
//! Input layout: lines `KEY VALUE`. A formula key (`per_kg`, `fixed`, `max`, `duration`,
//! `method`, `bag`, `overfill`, `concentration`, `replace`, `drop_factor`, `stock`,
//! `stock_basis`, `vial`, `basis`, `sterile_category`, `storage`, `sterile_method`,
//! `starting`, `sterility_tested`) sets that value in an infusion otherwise like the
//! built-in `ketamine-iv-0.5mgkg-100ml` (`-` removes it); an option (`weight`, `dose`, `duration-option`,
//! `bag-option`, `time`, `date`, `lot`, `expiry`, `batch-id`) is given as on the command
//! line; `zone NAME` (an IANA name, or `posix:` and a POSIX TZ string) is the zone the
//! date and time are in (default UTC, so that a run never depends on the machine).
#![no_main]
// As in the library: errors carry the user's input for the message.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use ketacalc::calc;
use ketacalc::request::{Clock, Flags, Request};
use ketacalc::formula::load_str;
use ketacalc::report::{self, Format, LabelFormat, Layout, Report, Source};
use libfuzzer_sys::fuzz_target;

/// The formula's keys, with their tables, TOML kinds and default values (the built-in
/// 0.5 mg/kg whole-bag infusion). `None`: absent unless the input sets it.
const KEYS: &[(&str, &str, bool, Option<&str>)] = &[
    ("sterile_category", "", true, Some("1")),
    ("storage", "", true, Some("room-temperature")),
    ("sterile_method", "", true, None),
    ("starting", "", true, None),
    ("sterility_tested", "", false, None),
    ("per_kg", "dose", true, Some("0.5 mg/kg")),
    ("fixed", "dose", true, None),
    ("max", "dose", true, Some("50 mg")),
    ("duration", "dose", true, Some("40 min")),
    ("method", "infusion", true, Some("whole-bag")),
    ("bag", "infusion", true, Some("100 mL")),
    ("overfill", "infusion", true, None),
    ("concentration", "infusion", true, None),
    ("replace", "infusion", false, None),
    ("drop_factor", "infusion", true, Some("15 gtt/mL")),
    ("basis", "active", true, Some("base")),
    ("stock", "active", true, Some("50 mg/mL")),
    ("stock_basis", "active", true, None),
    ("vial", "active", true, Some("10 mL")),
];

/// A TOML string holding `value` exactly (escaped), or the value itself for a boolean.
fn toml_value(value: &str, string: bool) -> String {
    if !string && (value == "true" || value == "false") {
        return value.to_string();
    }
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || ketacalc::hidden::is_hidden(c) => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The infusion formula with the values `set`.
fn formula_text(set: &BTreeMap<&str, &str>) -> String {
    let lines = |table: &str| -> String {
        KEYS.iter()
            .filter(|(_, t, _, _)| *t == table)
            .filter_map(|(k, _, string, default)| {
                let v = set.get(k).copied().or(*default).filter(|v| *v != "-")?;
                Some(format!("{k} = {}\n", toml_value(v, *string)))
            })
            .collect()
    };
    format!(
        "format = 1\nid = \"fuzz\"\nname = \"Ketamine {{dose}} in {{bag}}\"\nrevision = 1\n\
         dosage_form = \"iv-infusion\"\nroute = \"intravenous\"\ncontainer = \"{{bag}} bag, {{concentration}}\"\n{}\n\
         [dose]\n{}\n[infusion]\n{}\n\
         [[ingredients]]\nid = \"ketamine\"\nname = \"Ketamine Injection 50 mg/mL\"\nrole = \"active\"\n{}\
         molecular_weight = \"274.19\"\nbase_molecular_weight = \"237.73\"\nschedule = \"CIII\"\n\n\
         [[ingredients]]\nid = \"nacl\"\nname = \"0.9% Sodium Chloride\"\nrole = \"vehicle\"\namount = \"qs\"\n\n\
         [[steps]]\ntext = \"Draw {{weigh:ketamine}}; the bag holds {{final_volume}} at {{concentration}}; run {{volume_to_infuse}} at {{rate}}.\"\n\
         [quality]\nchecks = [\"Dose {{dose}} checked\"]\n",
        lines(""),
        lines("dose"),
        lines("infusion"),
        lines("active"),
    )
}

/// The zone a `zone` line names, if it names one.
fn zone(value: &str) -> Option<jiff::tz::TimeZone> {
    match value.strip_prefix("posix:") {
        Some(posix) => jiff::tz::TimeZone::posix(posix).ok(),
        None => jiff::tz::TimeZone::get(value).ok(),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut set = BTreeMap::new();
    let mut tz = jiff::tz::TimeZone::UTC;
    // Each option as the command line spells it, with the field of `Flags` it sets.
    let mut given: Vec<(String, String, &str)> = Vec::new();
    for line in text.lines() {
        let (key, value) = line.split_once(' ').unwrap_or((line, ""));
        if KEYS.iter().any(|(k, ..)| *k == key) {
            set.insert(key, value);
            continue;
        }
        match key {
            "zone" => tz = zone(value).unwrap_or(jiff::tz::TimeZone::UTC),
            _ => {
                let field = key.trim_end_matches("-option").replace('-', "_");
                given.push((format!("--{}", key.trim_end_matches("-option")), field, value));
            }
        }
    }
    let mut flags = Flags::default();
    // Never the machine's clock or zone.
    flags.set("date", "--date", "2026-11-26");
    flags.set("time", "--time", "09:00");
    for (option, field, value) in &given {
        flags.set(field, option, value);
    }
    let source_text = formula_text(&set);
    let loaded = load_str(&source_text);
    let Some(formula) = loaded.formula else {
        for d in &loaded.diagnostics {
            let _ = ketacalc::formula::Located::new(&source_text, d.clone());
        }
        return;
    };
    let clock = Clock::At { date: jiff::civil::date(2026, 11, 26), time: jiff::civil::Time::midnight(), zone: tz };
    let options = match Request::read(&formula, &flags, &clock) {
        Ok(r) => r.options,
        Err(errors) => {
            for e in &errors {
                let _ = (e.to_string(), e.help(), e.option(), e.is_usage());
            }
            return;
        }
    };
    let batch = match calc::compute(&formula, &options) {
        Ok(b) => b,
        Err(e) => {
            let _ = (e.to_string(), e.help(), e.span(&formula));
            return;
        }
    };
    let source = Source::new("fuzz.toml", source_text.as_bytes());
    let layout = Layout { width: 80, color: false };
    let r = Report { formula: &formula, source: &source, batch: &batch, explain: true, layout };
    for format in [Format::Table, Format::Json, Format::Markdown, Format::Html, Format::Csv] {
        let _ = report::worksheet(format, &r);
    }
    for format in [LabelFormat::Text, LabelFormat::Html, LabelFormat::Json] {
        let _ = report::label(format, &r);
    }
});
