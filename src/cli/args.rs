//! The command line (SPEC §4), as close to the flags as possible; resolving and checking
//! values happens in `run`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Exact compounding calculations and worksheets for ketamine preparations.
#[derive(Debug, Parser)]
#[command(name = "ketacalc", version, about, max_term_width = 100)]
pub(crate) struct Args {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// List the formulas of the formulary.
    List {
        /// Formulary folder (default: $KETACALC_FORMULAS, else the built-in formulary).
        #[arg(long, value_name = "DIR")]
        formulas: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Print a master formulation record for review.
    Show {
        /// A formula id, or a path to a `.toml` file.
        #[arg(value_name = "FORMULA")]
        formula: String,
        /// Formulary folder (default: $KETACALC_FORMULAS, else the built-in formulary).
        #[arg(long, value_name = "DIR")]
        formulas: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Check formula files (folders recursively); with no path, the formulary.
    Validate {
        /// Files or folders to check.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Formulary to check when no path is given.
        #[arg(long, value_name = "DIR")]
        formulas: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ValidateFormat::Human)]
        format: ValidateFormat,
        /// Exit with status 1 when there are warnings.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Compute a batch and print its compounding worksheet.
    Batch(Box<BatchArgs>),
}

/// `ketacalc batch`.
#[derive(Debug, clap::Args)]
pub(crate) struct BatchArgs {
    /// A formula id, or a path to a `.toml` file.
    #[arg(value_name = "FORMULA")]
    pub(crate) formula: String,
    /// Formulary folder (default: $KETACALC_FORMULAS, else the built-in formulary).
    #[arg(long, value_name = "DIR")]
    pub(crate) formulas: Option<PathBuf>,
    /// Quantity to make: `30mL`, `100 g`, or a count for troches and RDTs (default: the formula's).
    #[arg(long, value_name = "Q")]
    pub(crate) quantity: Option<String>,
    /// Overage: `5%` or a quantity such as `2 units` (default: the formula's).
    #[arg(long, value_name = "O")]
    pub(crate) overage: Option<String>,
    /// Custom strength of an active: `[ID=]S`, e.g. `ketamine-hcl=150 mg/mL`.
    #[arg(long, value_name = "[ID=]S")]
    pub(crate) strength: Vec<String>,
    /// A lot's assay: `ID=PCT`, e.g. `ketamine-hcl=99.5%` (dried basis when --lod is given).
    #[arg(long, value_name = "ID=PCT")]
    pub(crate) assay: Vec<String>,
    /// A lot's loss on drying: `ID=PCT`.
    #[arg(long, value_name = "ID=PCT")]
    pub(crate) lod: Vec<String>,
    /// A component's lot number: `ID=LOT`.
    #[arg(long, value_name = "ID=LOT")]
    pub(crate) lot: Vec<String>,
    /// A component's expiry: `ID=YYYY-MM-DD`; the beyond-use date is capped by it.
    #[arg(long, value_name = "ID=YYYY-MM-DD")]
    pub(crate) expiry: Vec<String>,
    /// Compounding date (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub(crate) date: Option<String>,
    /// Batch (lot) id printed on the worksheet.
    #[arg(long, value_name = "TEXT")]
    pub(crate) batch_id: Option<String>,
    /// Balance readability (default 0.1 mg).
    #[arg(long, value_name = "M")]
    pub(crate) readability: Option<String>,
    /// Minimum weighable quantity (default 820 × readability, USP <41>).
    #[arg(long, value_name = "M")]
    pub(crate) min_weight: Option<String>,
    /// What one container holds (liquids), e.g. `10mL` (default: the formula's `[batch].fill`).
    #[arg(long, value_name = "V")]
    pub(crate) fill: Option<String>,
    /// The smallest volume measured accurately, for liquid aliquots (default 1 mL).
    #[arg(long, value_name = "V")]
    pub(crate) min_volume: Option<String>,
    /// Width of the table worksheet (default: the terminal's, at least 80; else 100).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(40..=1000))]
    pub(crate) width: Option<u16>,
    /// Show the calculation trail of every ingredient.
    #[arg(long)]
    pub(crate) explain: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BatchFormat::Table)]
    pub(crate) format: BatchFormat,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ValidateFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum BatchFormat {
    Table,
    Json,
    Markdown,
    Csv,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Args::command().debug_assert();
    }
}
