//! A second floor for one worksheet: the crates a worksheet cannot do without, and
//! nothing of ketacalc. clap's derive parses a `batch` command line, the built-in troche
//! formula (embedded, as ketacalc embeds it) is parsed by toml, and serde_json prints it.
//! What a worksheet costs over this is ketacalc's own: its command tree, building and
//! checking the formula, the calculation and the report (BENCHMARKS.md, fourth round).

use clap::{Parser, Subcommand};

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// A batch of a formula.
    Batch {
        formula: String,
        #[arg(long)]
        quantity: Option<String>,
        #[arg(long)]
        format: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        weight: Option<String>,
        #[arg(long)]
        width: Option<u16>,
        #[arg(short = 'o', long)]
        output: Option<std::path::PathBuf>,
    },
}

static FORMULA: &str = include_str!("../../../formulas/ketamine-hcl-troche-50.toml");

fn main() -> std::process::ExitCode {
    let Command::Batch { formula, .. } = Args::parse().command;
    let table: toml::Table = match FORMULA.parse() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("stack-floor: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match serde_json::to_string_pretty(&table) {
        Ok(json) => {
            println!("{json}");
            println!("{formula}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("stack-floor: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
