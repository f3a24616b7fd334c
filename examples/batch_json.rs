//! Compute a batch through the library with a lot's assay and expiry, and print the
//! JSON worksheet, the way a script generating batch sheets would use the crate.
//!
//! ```text
//! cargo run --example batch_json
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use ketacalc::calc::{self, Options};
use ketacalc::formula::load_bytes;
use ketacalc::formulary::Formulary;
use ketacalc::report::{self, Source};

fn run() -> Result<String, String> {
    let file = Formulary::BuiltIn.get("ketamine-hcl-troche-50").map_err(|e| e.to_string())?;
    let loaded = load_bytes(&file.bytes);
    let formula = loaded.formula.ok_or_else(|| format!("{} has errors", file.path))?;

    let mut options = Options::new(calc::parse_date("--date", "2026-11-26").map_err(|e| e.to_string())?);
    options.quantity = Some(calc::parse_quantity(&formula, "60").map_err(|e| e.to_string())?);
    let lot = options.lot_mut("ketamine-hcl");
    lot.assay = Some(calc::parse_assay("99.2%").map_err(|e| e.to_string())?);
    lot.lot = Some("K-2611".to_string());
    lot.expiry = Some(calc::parse_date("--expiry", "2027-03-31").map_err(|e| e.to_string())?);

    let batch = calc::compute(&formula, &options).map_err(|e| e.to_string())?;
    let source = Source::new(file.path.clone(), &file.bytes);
    Ok(report::json::batch(&formula, &source, &batch))
}

fn main() -> ExitCode {
    match run() {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
