//! Validate a formulary folder through the library, the way a pharmacy's own tooling
//! would embed ketacalc, and print each diagnostic with its file, line and column.
//!
//! ```text
//! cargo run --example validate_formulary -- formulas
//! ```
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::process::ExitCode;

use ketacalc::formulary::Formulary;
use ketacalc::validate::{FileReport, check_paths};

fn main() -> ExitCode {
    let dir = std::env::args_os().nth(1).map_or_else(|| PathBuf::from("formulas"), PathBuf::from);
    let mut errors = 0usize;
    // Batch files among them find their formulas' ids in the built-in formulary.
    let files = check_paths(&[dir], &Formulary::BuiltIn, &mut |report: FileReport| {
        for l in &report.diagnostics {
            let d = &l.diagnostic;
            println!(
                "{}:{}:{}: {} [{}] {}",
                report.path,
                l.line,
                l.column,
                d.severity.as_str(),
                d.code,
                d.message
            );
            if d.is_error() {
                errors = errors.saturating_add(1);
            }
        }
    });
    println!("{files} files checked, {errors} errors");
    if errors == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
