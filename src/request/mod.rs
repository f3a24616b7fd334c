//! Batch requests (SPEC §4, §14.1): the flags of the command line and the options of a
//! batch file, read into one typed [`Request`] that the calculation takes; the clock and
//! the time zone, read here and nowhere else ([`Clock`]); and batch files, a request in a
//! file and, once the batch is made, what was read.
//!
//! A batch file names its formula and gives every batch option by its flag's long name;
//! its options become the same [`Flags`] the command line's flags become (in `cli`), which
//! [`Request::read`] reads with the flags' own rules, so that `batch --from FILE` computes
//! the same batch as the same options given as flags, by construction. Messages name an
//! option as the caller gave it ([`Syntax`]): `--weight 70kg`, or `weight = "70kg"`. The
//! readings, QC results, C-III
//! stock readings and people are parsed here into typed values that keep their place in
//! the file ([`At`], [`Figure`]), for the record of SPEC §14.2 to check and report at
//! their line and column.
//!
//! Reading a file is two steps: it is read on its own ([`load_str`]: TOML, keys, types,
//! the grammar of each reading), every problem at once; [`BatchFile::check`] then holds it
//! to its formula (ingredient ids, QC check numbers, what the dosage form reads, every
//! option's value). [`resolve`] does both, and finds the formula the file names.

mod actual;
mod check;
mod clock;
mod controlled;
mod error;
pub mod format;
mod load;
mod options;
mod people;
mod qc;
mod resolve;
pub mod schema;
mod wording;

use std::ops::Range;

use crate::quantity::Quantity;

pub use actual::{Actual, AliquotSteps, DilutionSteps, Read, Reading, Yield};
pub use check::{Checked, REFERENCE_DATE, reference_clock};
pub use controlled::StockRecord;
pub use error::RequestError;
pub use load::{LoadedBatch, is_batch_file, load_str};
pub use options::{Clock, Flag, Flags, MAX_MIN_WEIGHT_MG, MAX_READABILITY_MG, MIN_READABILITY_MG, Request};
pub use people::People;
pub use qc::{Outcome, QcResult};
pub use resolve::{FormulaOf, Resolved, formula_file, resolve};
pub use wording::{Field, Syntax};

/// A value of a batch file and the byte range it was written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// Where it is in the file.
    pub span: Range<usize>,
}

/// A figure read from a balance, a syringe or a cylinder: as written (its places kept,
/// `2.1180 g`), in its base unit, and where it is in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure<T> {
    /// The quantity as written.
    pub written: Quantity,
    /// It in its base unit: a [`Mass`](crate::measure::Mass), a
    /// [`Volume`](crate::measure::Volume) or either ([`Measured`](crate::measure::Measured)).
    pub value: T,
    /// Where it is in the file.
    pub span: Range<usize>,
}

/// One batch option of a file, as the flag it stands for takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionEntry {
    /// The flag's field in [`Flags`] (`quantity`, `assay`, `batch_id`).
    pub key: &'static str,
    /// How messages name it: the key (`quantity`), or its path for an ingredient's
    /// (`lots.ketamine-hcl.assay`).
    pub name: String,
    /// The flag's value (`30 mL`; `ketamine-hcl=99.5%` for an ingredient's).
    pub value: String,
    /// The ingredient of an option from `[lots.ID]`.
    pub ingredient: Option<String>,
    /// Where the value is in the file.
    pub span: Range<usize>,
}

/// A batch file, read: every part that could be read, each with its place in the file.
/// A part with an error is left out (and the error reported), so that a file with errors
/// can still be checked against its formula for the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchFile {
    /// The formula, as written (an id or a path relative to the file's folder).
    pub formula: Option<At<String>>,
    /// The batch options, the top level's then the lots', in file order.
    pub options: Vec<OptionEntry>,
    /// The ingredients `[lots.ID]` names, at their ids.
    pub lots: Vec<At<String>>,
    /// What was read.
    pub actual: Actual,
    /// The QC results, in file order.
    pub qc: Vec<QcResult>,
    /// The C-III stock readings, in file order.
    pub controlled: Vec<StockRecord>,
    /// Who made, checked and verified the batch.
    pub people: People,
}

impl BatchFile {
    /// The batch options as the calculation reads them, each named as the file names it.
    pub fn flags(&self) -> Flags<'_> {
        self.flags_where(|_| true)
    }

    /// The batch options that `keep`, as [`Self::flags`].
    fn flags_where(&self, keep: impl Fn(&OptionEntry) -> bool) -> Flags<'_> {
        let mut flags = Flags { syntax: Syntax::File, ..Flags::default() };
        for o in self.options.iter().filter(|o| keep(o)) {
            // Every key of the format's options is a field of `Flags` (a test checks it).
            flags.set(o.key, &o.name, &o.value);
        }
        flags
    }

    /// Where the value of the option named `name` (a [`Flag`]'s name) is.
    pub fn option_span(&self, name: &str) -> Option<Range<usize>> {
        self.options.iter().find(|o| o.name == name).map(|o| o.span.clone())
    }

    /// Where in the file an error of the batch lies: the option it is about (the expiry of
    /// the lot it is about, the bag or the compounding time it refuses).
    pub fn locate(&self, e: &crate::calc::CalcError) -> Option<Range<usize>> {
        use crate::calc::CalcError;
        match e {
            CalcError::Expired { id, .. } => self.option_span(&lot_name(id, "expiry")),
            CalcError::SkippedTime { .. } => self.option_span(Field::Time.key()),
            CalcError::OverfillOverBag { .. } => self.option_span(Field::Bag.key()),
            _ => None,
        }
    }
}

/// How messages name an ingredient's option from `[lots.ID]`: `lots.ketamine-hcl.assay`.
fn lot_name(id: &str, key: &str) -> String {
    format!("lots.{id}.{key}")
}
