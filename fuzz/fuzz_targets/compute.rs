//! A formula file plus command-line option values, through the whole batch pipeline and
//! every renderer.
//!
//! Input layout: the formula bytes, then (optionally) a line holding only `%%`, then one
//! option per line as `NAME VALUE` (`quantity 30 mL`, `assay ketamine-hcl=99%`, …; for an
//! IV infusion `weight 70 kg`, `dose 0.5 mg/kg`, `duration 40 min`, `bag 250 mL`,
//! `time 21:30`). An infusion is compounded at 09:00 unless a `time` line says otherwise,
//! in UTC, so that a run does not depend on the clock or the machine's time zone.
#![no_main]
// As in the library: errors carry the user's input for the message.
#![allow(clippy::result_large_err)]

use ketacalc::calc::{self, Options};
use ketacalc::request::{Clock, Flags, Request};
use ketacalc::formula::load_bytes;
use ketacalc::report::{self, Format, LabelFormat, Layout, Report, Source};
use libfuzzer_sys::fuzz_target;

fn split(data: &[u8]) -> (&[u8], &[u8]) {
    let sep = b"\n%%\n";
    match data.windows(sep.len()).position(|w| w == sep) {
        Some(i) => (&data[..i], &data[i + sep.len()..]),
        None => (data, &[]),
    }
}

/// The options the way the command line builds them: `NAME VALUE` lines, each NAME a
/// field of `Flags` (`quantity`, `assay`, `batch_id`, …), through `Request::read`, on a
/// fixed clock in UTC (never the machine's).
fn options(formula: &ketacalc::formula::Formula, opts: &str) -> Option<Options> {
    let mut flags = Flags::default();
    flags.set("date", "--date", "2026-11-26");
    if formula.infusion.is_some() {
        flags.set("time", "--time", "09:00");
    }
    for line in opts.lines() {
        let (name, value) = line.split_once(' ').unwrap_or((line, ""));
        flags.set(&name.replace('-', "_"), name, value);
    }
    let clock = Clock::At {
        date: jiff::civil::date(2026, 11, 26),
        time: jiff::civil::Time::midnight(),
        zone: jiff::tz::TimeZone::UTC,
    };
    match Request::read(formula, &flags, &clock) {
        Ok(r) => Some(r.options),
        Err(errors) => {
            for e in &errors {
                let _ = (e.to_string(), e.help(), e.option(), e.is_usage());
            }
            None
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (formula_bytes, opts) = split(data);
    let Some(formula) = load_bytes(formula_bytes).formula else { return };
    let opts = String::from_utf8_lossy(opts);
    let Some(options) = options(&formula, &opts) else { return };
    let batch = match calc::compute(&formula, &options) {
        Ok(b) => b,
        Err(e) => {
            let _ = e.to_string();
            let _ = e.help();
            let _ = e.span(&formula);
            return;
        }
    };
    let source = Source::new("fuzz.toml", formula_bytes);
    for width in [80, 100] {
        let layout = Layout { width, color: false };
        let r = Report { formula: &formula, source: &source, batch: &batch, explain: true, layout };
        for format in [Format::Table, Format::Json, Format::Markdown, Format::Html, Format::Csv] {
            let _ = report::worksheet(format, &r);
        }
        for format in [LabelFormat::Text, LabelFormat::Html, LabelFormat::Json] {
            let _ = report::label(format, &r);
        }
    }
    let _ = report::show::table(&formula, &source, 100);
    let _ = report::show::json(&formula, &source);
});
