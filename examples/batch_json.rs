//! Compute a batch through the library with a lot's assay and expiry, and print the
//! JSON worksheet, the way a script generating batch sheets would use the crate.
//!
//! ```text
//! cargo run --example batch_json
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use ketacalc::formula::load_bytes;
use ketacalc::formulary::Formulary;
use ketacalc::report::{self, Source};
use ketacalc::request::{Clock, Flags, Request};

fn run() -> Result<String, String> {
    let file = Formulary::BuiltIn.get("ketamine-hcl-troche-50").map_err(|e| e.to_string())?;
    let loaded = load_bytes(&file.bytes);
    let formula = loaded.formula.ok_or_else(|| format!("{} has errors", file.path))?;

    // The options as a script holds them: text, each with the name its errors use.
    let mut flags = Flags::default();
    for (key, value) in [
        ("date", "2026-11-26"),
        ("quantity", "60"),
        ("assay", "ketamine-hcl=99.2%"),
        ("lot", "ketamine-hcl=K-2611"),
        ("expiry", "ketamine-hcl=2027-03-31"),
    ] {
        flags.set(key, key, value);
    }
    let request = Request::read(&formula, &flags, &Clock::System)
        .map_err(|errors| errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))?;

    let batch = request.compute(&formula).map_err(|e| request.explain(&e).0)?;
    let source = Source::new(file.path.clone(), &file.bytes);
    let layout = report::Layout { width: 100, color: false };
    let r = report::Report { formula: &formula, source: &source, batch: &batch, explain: false, layout };
    Ok(report::worksheet(report::Format::Json, &r))
}

fn main() -> ExitCode {
    match run() {
        Ok(json) => {
            print!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
