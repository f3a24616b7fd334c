//! The command line (SPEC §4), as close to the flags as possible; resolving and checking
//! values happens in `run`.

use std::path::PathBuf;

use clap::{ArgGroup, Parser, Subcommand, ValueEnum};

use super::color::ColorWhen;

/// What `ketacalc --help` and the manual page's DESCRIPTION say ketacalc is.
const LONG_ABOUT: &str = "Exact compounding calculator and worksheet printer for ketamine preparations.

ketacalc reads master formulation records (one TOML file per preparation: nasal sprays, drops, oral solutions, creams, troches, rapid-dissolve tablets, IV infusions), computes what to weigh and measure for a batch with exact decimal arithmetic, and prints the compounding worksheet that a technician fills in and a pharmacist signs, the label, and JSON for scripts. Every number is exact, traceable to its inputs and rounded once, half away from zero, at output. ketacalc does not replace professional judgement: a pharmacist verifies every worksheet before the preparation is released.";

/// The command tree: [`Args`], [`Command`] and [`Tool`], defined twice from one text.
///
/// The tree that parses (`tree!(true)`, this module) defers each subcommand's arguments
/// (`defer`): they are defined only when that subcommand is parsed or its help is asked
/// for, so that a start pays for the one command it runs, not for every command's
/// arguments (a ninth of a worksheet's instructions). A deferred subcommand receives the
/// global `--color` before its own arguments, which changes their order in the completion
/// scripts and the manual pages (help sorts them, and does not change), so those are made
/// from [`full`], the same tree defined eagerly (`tree!(false)`).
macro_rules! tree {
    ($defer:tt) => {
        /// Exact compounding calculations and worksheets for ketamine preparations.
        #[derive(Debug, Parser)]
        #[command(name = "ketacalc", version, about, long_about = LONG_ABOUT, max_term_width = 100)]
        #[command(after_help = "Examples:\n  ketacalc list\n  ketacalc batch ketamine-hcl-troche-50 --quantity 45")]
        pub(crate) struct Args {
            #[command(subcommand)]
            pub(crate) command: Command,
            /// When to colour the output (`auto`: only a terminal, without `NO_COLOR`).
            #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, overrides_with = "color")]
            pub(crate) color: ColorWhen,
        }

        #[derive(Debug, Subcommand)]
        #[command(defer = $defer)]
        pub(crate) enum Command {
            /// List the formulas of the formulary.
            #[command(after_help = "Examples:\n  ketacalc list\n  ketacalc list --format json")]
            List {
                /// Formulary folder (default: $KETACALC_FORMULAS, else the built-in formulary).
                #[arg(long, value_name = "DIR")]
                formulas: Option<PathBuf>,
                /// Output format.
                #[arg(long, value_enum, default_value_t = ListFormat::Table)]
                format: ListFormat,
            },
            /// Print a master formulation record for review.
            #[command(after_help = "Examples:\n  ketacalc show ketamine-hcl-nasal-spray-100")]
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
            /// Check formula and batch files (folders recursively); with no path, the formulary.
            #[command(
                after_help = "Examples:\n  ketacalc validate --deny-warnings\n  ketacalc validate --format json"
            )]
            Validate {
                /// Files or folders to check.
                #[arg(value_name = "PATH")]
                paths: Vec<PathBuf>,
                /// Formulary to check when no path is given, and where batch files' formula ids are found.
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
            #[command(
                after_help = "Examples:\n  ketacalc batch ketamine-hcl-troche-50 --quantity 45\n  ketacalc batch ketamine-hcl-nasal-spray-100 --quantity 25mL --format json"
            )]
            Batch(Box<BatchArgs>),
            /// Print the label of a batch (the batch options of `batch`).
            #[command(
                after_help = "Examples:\n  ketacalc label ketamine-hcl-nasal-spray-100 --quantity 25mL --batch-id B-0042"
            )]
            Label(Box<LabelArgs>),
            /// Compute the completed compounding record of a batch file's readings.
            ///
            /// Each reading against its target, the actual strengths, the yield, the C-III
            /// reconciliation, the QC results, the people, and a release status for the
            /// pharmacist: ready, incomplete or check.
            #[command(
                after_help = "Exit status: 0 ready for the pharmacist's verification; 3 incomplete or to check (the record is printed); 1 bad input; 2 usage.\n\nExamples:\n  ketacalc record examples/batch-ns-30ml.toml\n  ketacalc record examples/batch-ns-30ml.toml --format json"
            )]
            Record(Box<RecordArgs>),
            #[command(flatten)]
            Tool(Tool),
            /// Print a JSON Schema of formula files (for editors), batch files, or the batch JSON.
            #[command(after_help = "Examples:\n  ketacalc schema\n  ketacalc schema --kind output")]
            Schema {
                /// Which document: `formula` (a formula file), `batch` (a batch file), `output` (what `batch --format json` prints) or `record` (what `record --format json` prints).
                #[arg(long, value_name = "KIND", default_value = "formula", value_parser = schema_kind())]
                kind: ketacalc::schema::Kind,
            },
            /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
            #[command(after_help = "Examples:\n  ketacalc completions bash")]
            Completions {
                /// The shell.
                #[arg(value_name = "SHELL", value_enum)]
                shell: clap_complete::Shell,
            },
            /// Print the manual page (roff), or with COMMAND that command's page.
            #[command(after_help = "Examples:\n  ketacalc man\n  ketacalc man batch")]
            Man {
                /// A subcommand, for its own page (`ketacalc-batch(1)`).
                #[arg(value_name = "COMMAND")]
                command: Option<String>,
            },
        }

        /// The pharmacy calculations beyond a batch (SPEC §9). Values that may begin with `-`
        /// are taken as values, so that `-5mg` is refused by the quantity grammar (exit 1)
        /// rather than mistaken for a flag.
        #[derive(Debug, Subcommand)]
        #[command(defer = $defer)]
        pub(crate) enum Tool {
            /// Convert a strength or a quantity: ratio ↔ percent ↔ mg/mL or mg/g; masses; volumes.
            #[command(
                after_help = "Examples:\n  ketacalc convert 1:2500w/v --to mg/mL\n  ketacalc convert 10%w/w --to %w/v --density 1.05g/mL"
            )]
            Convert {
                /// What to convert: `1:2500w/v`, `0.01%w/w`, `100mg/mL`, `1.5g`, `154lb`.
                #[arg(value_name = "QUANTITY", allow_hyphen_values = true)]
                quantity: String,
                /// The unit to convert to, `ratio` (a ratio of the same kind), `1:Nw/v` or `1:Nw/w`.
                #[arg(long, value_name = "UNIT", allow_hyphen_values = true)]
                to: String,
                /// Density relating w/w and w/v, or mass and volume: `1.05g/mL` (never assumed).
                #[arg(long, value_name = "D", allow_hyphen_values = true)]
                density: Option<String>,
                #[command(flatten)]
                format: ToolFormatArg,
            },
            /// Convert a mass or strength between a salt and its base (ketamine HCl ↔ base).
            #[command(group(ArgGroup::new("weights").args(["molecule", "mw"]).required(true)))]
            #[command(after_help = "Examples:\n  ketacalc salt 50mg --from base --to salt --molecule ketamine")]
            Salt {
                /// The mass or strength: `50mg`, `100mg/mL`.
                #[arg(value_name = "QUANTITY", allow_hyphen_values = true)]
                quantity: String,
                /// What QUANTITY is of.
                #[arg(long, value_enum, value_name = "BASIS")]
                from: SaltBasis,
                /// What to express it as.
                #[arg(long, value_enum, value_name = "BASIS")]
                to: SaltBasis,
                /// A built-in molecule (HCl 274.19, base 237.73).
                #[arg(long, value_enum)]
                molecule: Option<SaltMolecule>,
                /// The salt's molecular weight, g/mol (with --base-mw).
                #[arg(long, value_name = "A", requires = "base_mw", allow_hyphen_values = true)]
                mw: Option<String>,
                /// The base's molecular weight, g/mol (with --mw).
                #[arg(long, value_name = "B", requires = "mw", allow_hyphen_values = true)]
                base_mw: Option<String>,
                #[command(flatten)]
                format: ToolFormatArg,
            },
            /// Alligation: the quantities of two strengths that make a quantity at a target strength.
            #[command(group(ArgGroup::new("how").args(["make", "have"]).required(true)))]
            #[command(
                after_help = "Examples:\n  ketacalc mix 2.5%w/w 1%w/w --make 30g --at 1.5%w/w\n  ketacalc mix 2.5%w/w --have 240g@0.25%w/w --at 1%w/w"
            )]
            Mix {
                /// Strength A: `2.5%w/w`, `1:750w/v`, `0%w/v` for a diluent.
                #[arg(value_name = "A", allow_hyphen_values = true)]
                a: String,
                /// Strength B (with --make).
                #[arg(value_name = "B", requires = "make", allow_hyphen_values = true)]
                b: Option<String>,
                /// The quantity to make: a mass for w/w strengths, a volume for w/v and v/v.
                #[arg(long, value_name = "Q", requires = "b", allow_hyphen_values = true)]
                make: Option<String>,
                /// A quantity at hand and its strength, to which A is added: `240g@0.25%w/w`.
                #[arg(long, value_name = "QB@B", conflicts_with = "b", allow_hyphen_values = true)]
                have: Option<String>,
                /// The target strength.
                #[arg(long, value_name = "S", allow_hyphen_values = true)]
                at: String,
                #[command(flatten)]
                format: ToolFormatArg,
            },
            /// Dilute a quantity at a strength: to a larger quantity, or to a weaker strength.
            #[command(
                after_help = "Examples:\n  ketacalc dilute 500mL@25%v/v --to 1.2L\n  ketacalc dilute 500mL@25%v/v --to 10%v/v"
            )]
            Dilute {
                /// The starting quantity and strength: `500mL@25%v/v`.
                #[arg(value_name = "Q@S", allow_hyphen_values = true)]
                from: String,
                /// A final quantity (`1.2L`: gives the strength) or strength (`10%v/v`: gives the quantity).
                #[arg(long, value_name = "Q2|S2", allow_hyphen_values = true)]
                to: String,
                #[command(flatten)]
                format: ToolFormatArg,
            },
            /// Minimum weighable quantity: sensitivity requirement ÷ error, or USP <41> 2000 × SD.
            #[command(group(ArgGroup::new("method").args(["sensitivity", "test_weight", "sd", "readability"]).required(true).multiple(true)))]
            #[command(group(ArgGroup::new("sr").args(["sensitivity", "test_weight"])))]
            #[command(group(ArgGroup::new("use").args(["error", "quantity"])))]
            #[command(
                after_help = "Examples:\n  ketacalc mwq --sensitivity 6mg --error 5%\n  ketacalc mwq --readability 0.1mg"
            )]
            Mwq {
                /// The balance's sensitivity requirement: `6mg` (with --error or --quantity).
                #[arg(long, value_name = "SR", requires = "use", conflicts_with_all = ["sd", "readability"], allow_hyphen_values = true)]
                sensitivity: Option<String>,
                /// A test weight that moves the pointer --divisions: gives the SR (Class III needs ≤ 6 mg).
                #[arg(long, value_name = "W", requires = "divisions", conflicts_with_all = ["sd", "readability"], allow_hyphen_values = true)]
                test_weight: Option<String>,
                /// How many divisions the test weight moves the pointer.
                #[arg(long, value_name = "N", requires = "test_weight", allow_hyphen_values = true)]
                divisions: Option<String>,
                /// The largest acceptable error: gives the MWQ, SR × 100% ÷ error.
                #[arg(long, value_name = "PCT", requires = "sr", allow_hyphen_values = true)]
                error: Option<String>,
                /// A quantity to weigh: gives its error, SR ÷ Q × 100%.
                #[arg(long, value_name = "Q", requires = "sr", allow_hyphen_values = true)]
                quantity: Option<String>,
                /// The repeatability standard deviation (USP <41>): minimum weight 2000 × SD.
                #[arg(long, value_name = "SD", allow_hyphen_values = true)]
                sd: Option<String>,
                /// The readability d: an SD below 0.41 d counts as 0.41 d; alone, 820 × d.
                #[arg(long, value_name = "D", allow_hyphen_values = true)]
                readability: Option<String>,
                #[command(flatten)]
                format: ToolFormatArg,
            },
            /// Calibrate a dropper: drops per mL, and with --strength the amount per drop.
            #[command(
                after_help = "Examples:\n  ketacalc drops --count 35 --volume 2mL\n  ketacalc drops --count 22 --volume 1mL --strength 100mg/mL --drops 10"
            )]
            Drops {
                /// How many drops were counted.
                #[arg(long, value_name = "N", allow_hyphen_values = true)]
                count: String,
                /// The volume they filled: `2mL`.
                #[arg(long, value_name = "V", allow_hyphen_values = true)]
                volume: String,
                /// The solution's strength, a mass per volume: `100mg/mL`.
                #[arg(long, value_name = "S", allow_hyphen_values = true)]
                strength: Option<String>,
                /// A number of drops whose amount is wanted (with --strength).
                #[arg(long, value_name = "K", requires = "strength", allow_hyphen_values = true)]
                drops: Option<String>,
                #[command(flatten)]
                format: ToolFormatArg,
            },
            /// Ideal osmolarity of a solution, in mOsm/L.
            #[command(after_help = "Examples:\n  ketacalc osmolarity 23.4%w/v --mw 58.5 --particles 2")]
            Osmolarity {
                /// The strength, a mass per volume: `23.4%w/v`, `100mg/mL`.
                #[arg(value_name = "S", allow_hyphen_values = true)]
                strength: String,
                /// Molecular weight, g/mol.
                #[arg(long, value_name = "MW", allow_hyphen_values = true)]
                mw: String,
                /// Particles per molecule in solution (2 for NaCl).
                #[arg(long, value_name = "K", allow_hyphen_values = true)]
                particles: String,
                #[command(flatten)]
                format: ToolFormatArg,
            },
            /// A weight-based dose: RULE × weight, optionally capped.
            #[command(
                after_help = "Examples:\n  ketacalc dose 0.5mg/kg --weight 70kg\n  ketacalc dose 0.5mg/kg --weight 154lb --max 50mg"
            )]
            Dose {
                /// The dose per body weight: `0.5mg/kg`.
                #[arg(value_name = "RULE", allow_hyphen_values = true)]
                rule: String,
                /// The patient's weight: `70kg` or `154lb` (at most 500 kg).
                #[arg(long, value_name = "W", allow_hyphen_values = true)]
                weight: String,
                /// The largest dose allowed: `50mg`.
                #[arg(long, value_name = "M", allow_hyphen_values = true)]
                max: Option<String>,
                #[command(flatten)]
                format: ToolFormatArg,
            },
            /// Aliquot plan for an amount below the balance's minimum weight (extension).
            #[command(after_help = "Examples:\n  ketacalc aliquot --need 12mg --min-weight 120mg")]
            Aliquot {
                /// The amount of drug needed: `12mg`.
                #[arg(long, value_name = "N", allow_hyphen_values = true)]
                need: String,
                /// The balance's minimum weighable quantity: `120mg`.
                #[arg(long, value_name = "M", allow_hyphen_values = true)]
                min_weight: String,
                /// The aliquot to take (default the minimum weight).
                #[arg(long, value_name = "T", allow_hyphen_values = true)]
                take: Option<String>,
                #[command(flatten)]
                format: ToolFormatArg,
            },
            /// Strength of an amount in a total, or added to a solvent (extension).
            #[command(group(ArgGroup::new("whole").args(["in_", "plus"]).required(true)))]
            #[command(
                after_help = "Examples:\n  ketacalc strength 200mg --in 90mL\n  ketacalc strength 40g --plus 100mL --density 1g/mL"
            )]
            Strength {
                /// The amount of the ingredient: `200mg`, `40g`, `25mL`.
                #[arg(value_name = "AMOUNT", allow_hyphen_values = true)]
                amount: String,
                /// The total of finished preparation it is in: `90mL`.
                #[arg(long = "in", id = "in_", value_name = "TOTAL", allow_hyphen_values = true)]
                in_: Option<String>,
                /// A solvent it is added to: `100g`, or `100mL` with --density (gives w/w).
                #[arg(long, value_name = "SOLVENT", allow_hyphen_values = true)]
                plus: Option<String>,
                /// The solvent's density when --plus is a volume: `1g/mL` (never assumed).
                #[arg(long, value_name = "D", requires = "plus", allow_hyphen_values = true)]
                density: Option<String>,
                /// The unit of the answer (default the percent of its kind), or `ratio`.
                #[arg(long, value_name = "UNIT", allow_hyphen_values = true)]
                to: Option<String>,
                #[command(flatten)]
                format: ToolFormatArg,
            },
            /// The amount of an ingredient in a quantity of a preparation at a strength.
            #[command(
                after_help = "Examples:\n  ketacalc amount 0.4%w/v --in 20mL\n  ketacalc amount 0.2%w/v --in 25mL --per 50mg"
            )]
            Amount {
                /// The strength: `0.4%w/v`, `4%w/w`, `10mg/mL`, `1:2500w/v`.
                #[arg(value_name = "S", allow_hyphen_values = true)]
                strength: String,
                /// The quantity of the preparation: `20mL`, `90g`.
                #[arg(long = "in", id = "in_", value_name = "Q", allow_hyphen_values = true)]
                in_: String,
                /// The ingredient in one unit (a tablet, vial or capsule): also count the units, `50mg`.
                #[arg(long, value_name = "U", allow_hyphen_values = true)]
                per: Option<String>,
                /// The preparation's density, when Q is of another kind than S (`%w/w` in mL): `1.05g/mL`.
                #[arg(long, value_name = "D", allow_hyphen_values = true)]
                density: Option<String>,
                #[command(flatten)]
                format: ToolFormatArg,
            },
        }
    };
}

tree!(true);

/// The whole command tree defined eagerly, for the completion scripts and the manual pages
/// (see [`tree`]); never used to parse.
pub(crate) mod full {
    #![allow(dead_code)]
    use super::*;

    tree!(false);
}

/// The hidden command the completion scripts call for formula ids.
pub(crate) const IDS: &str = "__ids";

/// `ketacalc __ids [--formulas DIR]`: the formula ids of the formulary, one per line, which
/// the completion scripts complete `batch`, `label` and `show` with. It is not a command of
/// [`Args`], so that no completion script, help or manual page offers it (clap_complete
/// lists hidden commands).
#[derive(Debug, Parser)]
#[command(name = "ketacalc __ids")]
pub(crate) struct IdsArgs {
    /// Formulary folder (default: $KETACALC_FORMULAS, else the built-in formulary).
    #[arg(long, value_name = "DIR")]
    pub(crate) formulas: Option<PathBuf>,
}

/// `--kind` of `schema`: the kinds the library declares, each with what it describes.
fn schema_kind() -> impl clap::builder::TypedValueParser<Value = ketacalc::schema::Kind> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let values = ketacalc::schema::Kind::ALL.iter().map(|k| PossibleValue::new(k.name()).help(k.about()));
    // The parser admits only the names of `Kind::ALL`, so the default is never taken.
    PossibleValuesParser::new(values).map(|name| ketacalc::schema::Kind::from_name(&name).unwrap_or_default())
}

// `--format text|json` of every calculation (a plain comment: in a deferred subcommand a
// doc comment would become the subcommand's `about`).
#[derive(Debug, Clone, Copy, clap::Args)]
pub(crate) struct ToolFormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ToolFormat::Text)]
    pub(crate) format: ToolFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ToolFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SaltBasis {
    Salt,
    Base,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SaltMolecule {
    Ketamine,
    Esketamine,
}

// What a batch is: the formula and every option that changes the batch, shared by
// `batch` and `label` (so that both compute the same batch from the same flags). Values
// may begin with `-`, so that `--quantity -10mL` is refused by the quantity grammar with
// its own message (exit 1) rather than taken for an unknown flag. (Plain comments on the
// argument structs: in a deferred subcommand a doc comment would become its `about`.)
#[derive(Debug, clap::Args)]
pub(crate) struct BatchOptions {
    /// A formula id, or a path to a `.toml` file.
    #[arg(value_name = "FORMULA", required_unless_present = "from")]
    pub(crate) formula: Option<String>,
    /// Read the formula and every batch option from a batch file (docs/batch-files.md).
    #[arg(long, value_name = "FILE")]
    pub(crate) from: Option<PathBuf>,
    /// Formulary folder (default: $KETACALC_FORMULAS, else the built-in formulary).
    #[arg(long, value_name = "DIR")]
    pub(crate) formulas: Option<PathBuf>,
    /// Quantity to make: `30mL`, `100 g`, or a count for troches and RDTs (default: the formula's).
    #[arg(long, value_name = "Q", allow_hyphen_values = true)]
    pub(crate) quantity: Option<String>,
    /// Overage: `5%` or a quantity such as `2 units` (default: the formula's).
    #[arg(long, value_name = "O", allow_hyphen_values = true)]
    pub(crate) overage: Option<String>,
    /// Custom strength of an active: `[ID=]S`, e.g. `ketamine-hcl=150 mg/mL`.
    #[arg(long, value_name = "[ID=]S", allow_hyphen_values = true)]
    pub(crate) strength: Vec<String>,
    /// A lot's assay: `ID=PCT`, e.g. `ketamine-hcl=99.5%` (dried basis when --lod is given).
    #[arg(long, value_name = "ID=PCT", allow_hyphen_values = true)]
    pub(crate) assay: Vec<String>,
    /// A lot's loss on drying: `ID=PCT`.
    #[arg(long, value_name = "ID=PCT", allow_hyphen_values = true)]
    pub(crate) lod: Vec<String>,
    /// A component's lot number: `ID=LOT`.
    #[arg(long, value_name = "ID=LOT", allow_hyphen_values = true)]
    pub(crate) lot: Vec<String>,
    /// A component's expiry: `ID=YYYY-MM-DD`; the beyond-use date is capped by it.
    #[arg(long, value_name = "ID=YYYY-MM-DD", allow_hyphen_values = true)]
    pub(crate) expiry: Vec<String>,
    /// Who supplied a component's lot: `ID=TEXT`, e.g. `ketamine-hcl=Letco`.
    #[arg(long, value_name = "ID=TEXT", allow_hyphen_values = true)]
    pub(crate) vendor: Vec<String>,
    /// Compounding date (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", allow_hyphen_values = true)]
    pub(crate) date: Option<String>,
    /// Batch (lot) id printed on the worksheet and the label.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub(crate) batch_id: Option<String>,
    /// Balance readability (default 0.1 mg).
    #[arg(long, value_name = "M", allow_hyphen_values = true)]
    pub(crate) readability: Option<String>,
    /// Minimum weighable quantity (default 820 × readability, USP <41>).
    #[arg(long, value_name = "M", allow_hyphen_values = true)]
    pub(crate) min_weight: Option<String>,
    /// What one container holds (liquids), e.g. `10mL` (default: the formula's `[batch].fill`).
    #[arg(long, value_name = "V", allow_hyphen_values = true)]
    pub(crate) fill: Option<String>,
    /// The smallest volume measured accurately, for liquid aliquots (default 1 mL).
    #[arg(long, value_name = "V", allow_hyphen_values = true)]
    pub(crate) min_volume: Option<String>,
    /// IV infusion: the patient's weight with its unit, e.g. `70kg` or `154lb`.
    #[arg(long, value_name = "W", help_heading = "IV infusion")]
    pub(crate) weight: Option<String>,
    /// IV infusion: a dose other than the formula's, per kg (`0.5mg/kg`) or fixed (`35mg`).
    #[arg(long, value_name = "D", help_heading = "IV infusion")]
    pub(crate) dose: Option<String>,
    /// IV infusion: an infusion time other than the formula's, e.g. `40min` or `1h`.
    #[arg(long, value_name = "T", help_heading = "IV infusion")]
    pub(crate) duration: Option<String>,
    /// IV infusion: a bag other than the formula's, e.g. `250mL`.
    #[arg(long, value_name = "V", help_heading = "IV infusion")]
    pub(crate) bag: Option<String>,
    /// IV infusion: the compounding time, `HH:MM` on a 24-hour clock (default: now).
    #[arg(long, value_name = "HH:MM", help_heading = "IV infusion")]
    pub(crate) time: Option<String>,
    /// IV infusion: this order's dose ceiling in place of the formula's `max`, e.g. `80mg` (with --authorized-by).
    #[arg(long, value_name = "M", help_heading = "IV infusion")]
    pub(crate) max: Option<String>,
    /// IV infusion: who approved --max (printed on the worksheet and the label).
    #[arg(long, value_name = "TEXT", help_heading = "IV infusion")]
    pub(crate) authorized_by: Option<String>,
}

// `ketacalc batch`.
#[derive(Debug, clap::Args)]
pub(crate) struct BatchArgs {
    #[command(flatten)]
    pub(crate) batch: BatchOptions,
    /// Width of the table worksheet (default: the terminal's, at least 80; else 100).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(40..=1000), allow_negative_numbers = true)]
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

// `ketacalc record`.
#[derive(Debug, clap::Args)]
pub(crate) struct RecordArgs {
    /// The batch file, with what was read (docs/record.md).
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,
    /// Formulary folder where the batch file's formula id is found (default: $KETACALC_FORMULAS, else the built-in formulary).
    #[arg(long, value_name = "DIR")]
    pub(crate) formulas: Option<PathBuf>,
    /// Width of the table record (default: the terminal's, at least 80; else 100).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(40..=1000), allow_negative_numbers = true)]
    pub(crate) width: Option<u16>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RecordFormat::Table)]
    pub(crate) format: RecordFormat,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

// `ketacalc label`.
#[derive(Debug, clap::Args)]
pub(crate) struct LabelArgs {
    #[command(flatten)]
    pub(crate) batch: BatchOptions,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LabelFormat::Text)]
    pub(crate) format: LabelFormat,
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
    /// `file:line:col: error: …` with the source line and a `help:` line.
    Human,
    /// One JSON document: files, errors, warnings and every diagnostic.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`): annotations on a pull request.
    Github,
    /// A SARIF 2.1.0 log, for code-scanning tools.
    Sarif,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum BatchFormat {
    Table,
    Json,
    Markdown,
    Csv,
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum RecordFormat {
    Table,
    Json,
    Markdown,
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum LabelFormat {
    Text,
    Html,
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Args::command().debug_assert();
        full::Args::command().debug_assert();
    }

    /// The deferred tree that parses gives every subcommand the help of the eager one (an
    /// argument struct's doc comment would replace the subcommand's `about` there).
    #[test]
    fn the_parsing_tree_and_the_full_tree_give_the_same_help() {
        let mut lazy = Args::command();
        let mut eager = full::Args::command();
        lazy.build();
        eager.build();
        assert_eq!(lazy.render_long_help().to_string(), eager.render_long_help().to_string());
        let names: Vec<String> = eager.get_subcommands().map(|c| c.get_name().to_string()).collect();
        assert!(names.len() > 15, "{names:?}");
        for name in names {
            let help = |cmd: &mut clap::Command| {
                let sub = cmd.find_subcommand_mut(&name).unwrap();
                (
                    sub.render_long_help().to_string(),
                    sub.render_help().to_string(),
                    sub.render_usage().to_string(),
                )
            };
            assert_eq!(help(&mut lazy), help(&mut eager), "{name}");
        }
    }

    /// SPEC §14.1: a batch file gives every batch option by its flag's long name, hyphens
    /// as underscores (an ingredient's in `[lots.ID]`), and refuses the output options.
    #[test]
    fn every_batch_flag_is_a_key_of_the_batch_file_and_every_output_flag_is_refused() {
        use ketacalc::formula::Value;
        use ketacalc::request::format::{BATCH_FILE, LOT};
        // The eager tree: the parsing tree defines a subcommand's arguments only once built.
        let cmd = full::Args::command();
        let longs = |name: &str| -> Vec<String> {
            let sub = cmd.find_subcommand(name).unwrap();
            sub.get_arguments().filter_map(|a| a.get_long()).map(|l| l.replace('-', "_")).collect()
        };
        let is_option = |k: &str| BATCH_FILE.key(k).is_some_and(|k| !matches!(k.value, Value::Refused(_)));
        let is_refused = |k: &str| BATCH_FILE.key(k).is_some_and(|k| matches!(k.value, Value::Refused(_)));
        let mut options = 0;
        for command in ["batch", "label"] {
            for long in longs(command) {
                match long.as_str() {
                    // Where the batch comes from, and where ids are looked up.
                    "from" => {}
                    "formulas" => assert!(is_refused("formulas")),
                    "format" | "output" | "width" | "explain" | "color" => {
                        assert!(is_refused(&long), "{long}")
                    }
                    per_ingredient if LOT.key(per_ingredient).is_some() => {
                        assert!(is_refused(per_ingredient))
                    }
                    option => {
                        assert!(
                            is_option(option),
                            "`--{option}` of `{command}` is not a key of a batch file"
                        );
                        options += 1;
                    }
                }
            }
        }
        for output in ["format", "o", "output", "width", "explain", "color"] {
            assert!(is_refused(output), "{output}");
        }
        // Every option of the file is a flag of `batch`.
        let batch = longs("batch");
        for k in BATCH_FILE.keys.iter().filter(|k| !matches!(k.value, Value::Refused(_))) {
            let table =
                matches!(k.value, Value::ById(_) | Value::Readings { .. } | Value::Results | Value::Table(_));
            assert!(table || k.name == "formula" || batch.contains(&k.name.to_string()), "{}", k.name);
        }
        for k in LOT.names() {
            assert!(batch.contains(&k.to_string()), "{k}");
        }
        assert_eq!(options, 2 * 16);
    }
}
