//! A formula file plus command-line option values, through the whole batch pipeline and
//! every renderer.
//!
//! Input layout: the formula bytes, then (optionally) a line holding only `%%`, then one
//! option per line as `NAME VALUE` (`quantity 30 mL`, `assay ketamine-hcl=99%`, …).
#![no_main]
// As in the library: errors carry the user's input for the message.
#![allow(clippy::result_large_err)]

use ketacalc::calc::{self, Options};
use ketacalc::formula::load_bytes;
use ketacalc::report::{self, Source, worksheet::Layout};
use libfuzzer_sys::fuzz_target;

fn split(data: &[u8]) -> (&[u8], &[u8]) {
    let sep = b"\n%%\n";
    match data.windows(sep.len()).position(|w| w == sep) {
        Some(i) => (&data[..i], &data[i + sep.len()..]),
        None => (data, &[]),
    }
}

fn options(formula: &ketacalc::formula::Formula, opts: &str) -> Result<Options, calc::CalcError> {
    let mut o = Options::new(jiff::civil::date(2026, 11, 26));
    for line in opts.lines() {
        let (name, value) = line.split_once(' ').unwrap_or((line, ""));
        match name {
            "quantity" => o.quantity = Some(calc::parse_quantity(formula, value)?),
            "overage" => o.overage = Some(calc::parse_overage(formula, value)?),
            "strength" => o.strengths.push(calc::parse_strength(value)?),
            "assay" => {
                let (id, v) = calc::split_pair("--assay", value)?;
                o.lot_mut(id).assay = Some(calc::parse_assay(v)?);
            }
            "lod" => {
                let (id, v) = calc::split_pair("--lod", value)?;
                o.lot_mut(id).lod = Some(calc::parse_lod(v)?);
            }
            "lot" => {
                let (id, v) = calc::split_pair("--lot", value)?;
                o.lot_mut(id).lot = Some(calc::parse_text("--lot", v)?);
            }
            "expiry" => {
                let (id, v) = calc::split_pair("--expiry", value)?;
                o.lot_mut(id).expiry = Some(calc::parse_date("--expiry", v)?);
            }
            "date" => o.date = calc::parse_date("--date", value)?,
            "batch-id" => o.batch_id = Some(calc::parse_text("--batch-id", value)?),
            "readability" => o.readability = calc::parse_readability(value)?,
            "min-weight" => o.min_weight = Some(calc::parse_min_weight(value, o.readability)?),
            _ => {}
        }
    }
    Ok(o)
}

fuzz_target!(|data: &[u8]| {
    let (formula_bytes, opts) = split(data);
    let Some(formula) = load_bytes(formula_bytes).formula else { return };
    let opts = String::from_utf8_lossy(opts);
    let options = match options(&formula, &opts) {
        Ok(o) => o,
        Err(e) => {
            let _ = e.to_string();
            let _ = e.help();
            let _ = e.span(&formula);
            return;
        }
    };
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
    let _ = report::json::batch(&formula, &source, &batch);
    let _ = report::csv::render(&batch);
    let _ = report::markdown::render(&formula, &source, &batch, true);
    let layout = Layout { explain: true, width: 100, color: false };
    let _ = report::worksheet::render(&formula, &source, &batch, layout);
    let _ = report::show::table(&formula, &source, 100);
    let _ = report::show::json(&formula, &source);
});
