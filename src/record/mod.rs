//! The completed compounding record (SPEC §14.2–§14.3): what was actually weighed,
//! measured and counted, and what was actually made.
//!
//! A batch file's readings ([`crate::request`]) are held to the batch the worksheet was
//! printed from ([`crate::calc::Batch`], read through `asked`, the one place that knows
//! its shape): each reading beside its target with its exact deviation and a status
//! against its tolerance (`readings`); from the readings, the actual strength of each
//! active and of an infusion (`strength`); the yield (`yields`); the C-III
//! reconciliation of each scheduled ingredient (`controlled`); and the QC results, the
//! people and the release decision (`release`). Every figure is exact, one product
//! over one product of the readings and the formula's factors (`factors`).
//!
//! A reading that cannot be one of this batch (a volume for an ingredient that is weighed,
//! a mass without a density to make it a volume, one figure for an ingredient read
//! through steps, zero, or a factor of ten or more from its target, a stock reading after
//! above the one before) is bad input: [`compute`] returns every such error, each at its
//! place in the batch file, and no record.
//!
//! The record decides nothing: its release status is `ready` (for the pharmacist's
//! verification), `incomplete` or `check`, with one reason per item; ketacalc never says
//! a batch is released.

mod asked;
mod controlled;
mod factors;
mod readings;
mod release;
mod strength;
mod yields;

use rust_decimal::Decimal;

use crate::calc::{Batch, Options};
use crate::formula::{Diagnostic, Formula, StrengthBasis};
use crate::measure::{Mass, Measured, Volume};
use crate::quantity::Quantity;
use crate::request::{BatchFile, Outcome};
use crate::unit::Unit;

/// A yield within this many percent of the theoretical one is `in` (DOMAIN §7.2: NAPRA
/// 95–105%).
pub const YIELD_LOW: i64 = 95;
/// See [`YIELD_LOW`].
pub const YIELD_HIGH: i64 = 105;

/// A reading this many times its target or more, or this many times smaller, is refused
/// as a slip (of a unit, of the decimal point) rather than recorded.
pub const ABSURD_FACTOR: i64 = 10;

/// How a figure of the record stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Below the target by more than the tolerance.
    Under,
    /// Within the tolerance (exactly at it included).
    In,
    /// Above the target by more than the tolerance.
    Over,
    /// Not read (yet).
    Missing,
    /// Read, but not measurable as it was read (a mass below the balance's minimum
    /// weight; a strength per unit without the final weight).
    Unmeasured,
    /// The qs: it enters the strength and has no tolerance.
    Recorded,
}

impl Status {
    /// Every status, in the order the output schema lists them.
    pub const ALL: &'static [Status] =
        &[Status::Under, Status::In, Status::Over, Status::Missing, Status::Unmeasured, Status::Recorded];

    /// The JSON word.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Under => "under",
            Status::In => "in",
            Status::Over => "over",
            Status::Missing => "missing",
            Status::Unmeasured => "unmeasured",
            Status::Recorded => "recorded",
        }
    }

    /// The status of `deviation` (percent) against `tolerance` (percent): `in` from
    /// `−tolerance` to `+tolerance` inclusive.
    pub fn against(deviation: Decimal, tolerance: Decimal) -> Status {
        if deviation.abs() <= tolerance {
            Status::In
        } else if deviation.is_sign_positive() {
            Status::Over
        } else {
            Status::Under
        }
    }

    /// Out of tolerance: the pharmacist must check.
    pub fn is_out(self) -> bool {
        matches!(self, Status::Under | Status::Over)
    }

    /// Not there to judge: the record is incomplete.
    pub fn is_gap(self) -> bool {
        matches!(self, Status::Missing | Status::Unmeasured)
    }
}

/// The step of an aliquot (SPEC §7.4) or a dilution (SPEC §12.2) a reading is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// An aliquot's mass weighed `W`.
    Weigh,
    /// An aliquot's total `T` (or `V`).
    Total,
    /// The portion taken into the batch: an aliquot's `A`, a dilution's portion.
    Take,
    /// A dilution's stock drawn (1 mL).
    Stock,
    /// What a dilution is made up to (`k` mL).
    To,
}

impl Step {
    /// Every step, in the order the output schema lists them.
    pub const ALL: &'static [Step] = &[Step::Weigh, Step::Total, Step::Take, Step::Stock, Step::To];

    /// The key of the step in a batch file and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Weigh => "weigh",
            Step::Total => "total",
            Step::Take => "take",
            Step::Stock => "stock",
            Step::To => "to",
        }
    }
}

/// One reading beside its target (SPEC §14.2 item 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The ingredient.
    pub id: String,
    /// The step of an aliquot or dilution; `None` for a plain reading.
    pub step: Option<Step>,
    /// What the worksheet asked for, rounded as it printed it.
    pub target: Measured,
    /// The figure as the batch file writes it (its places kept); `None` when missing.
    pub read: Option<Quantity>,
    /// The reading in the target's kind, exact: for the gravimetric check, the mass read
    /// converted to the volume it is.
    pub actual: Option<Measured>,
    /// The gravimetric check: the density (mg/mL) the mass read was converted with.
    pub density: Option<Decimal>,
    /// `(actual − target) ÷ target × 100`, exact.
    pub deviation: Option<Decimal>,
    /// The tolerance, percent; `None` for the qs.
    pub tolerance: Option<Decimal>,
    /// Its status.
    pub status: Status,
}

/// A strength, in a unit: the value, exact.
pub type Concentration = (Decimal, Unit);

/// An active's actual strength (SPEC §14.2 item 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strength {
    /// The active.
    pub id: String,
    /// Its declared basis.
    pub basis: StrengthBasis,
    /// The labelled strength (for an infusion, the concentration the label prints).
    pub labelled: Concentration,
    /// The actual amount of the active in the batch (the bag), in the declared basis.
    pub amount: Option<Measured>,
    /// The actual strength, in the labelled strength's unit.
    pub actual: Option<Concentration>,
    /// `(actual − labelled) ÷ labelled × 100`, exact.
    pub deviation: Option<Decimal>,
    /// The formula's `strength_tolerance`, percent.
    pub tolerance: Decimal,
    /// Its status.
    pub status: Status,
}

/// An infusion's bag as actually made (SPEC §14.2 item 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Infusion {
    /// The drug actually put into the bag.
    pub in_bag: Option<Mass>,
    /// `bag + overfill + the volume drawn` (without it with `replace`).
    pub final_volume: Option<Volume>,
    /// The actual concentration.
    pub concentration: Option<crate::measure::Concentration>,
    /// The dose actually delivered: all of the drug for a whole bag, the ordered dose for
    /// a fixed concentration infused at the actual concentration.
    pub dose: Option<Mass>,
    /// The volume to infuse: the bag for a whole bag; for a fixed concentration, the
    /// ordered dose at the actual concentration, for the pump.
    pub volume_to_infuse: Option<Volume>,
    /// Its rate.
    pub rate: Option<crate::measure::Rate>,
    /// The dose delivered as the label prints it.
    pub labelled_dose: Mass,
    /// How far the label is from the bag as made, percent: the dose delivered for a whole
    /// bag, the concentration (what the label's volume to infuse delivers) for a fixed
    /// concentration.
    pub deviation: Option<Decimal>,
    /// The formula's `strength_tolerance`, percent.
    pub tolerance: Decimal,
    /// Its status.
    pub status: Status,
}

/// A yield figure: a count, or a volume or mass filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YieldFigure {
    /// Containers or units.
    Count(Decimal),
    /// A volume or a mass.
    Filled(Measured),
}

/// The yield (SPEC §14.2 item 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Yield {
    /// What the batch should yield.
    pub theoretical: YieldFigure,
    /// What it yielded; `None` when not read.
    pub actual: Option<YieldFigure>,
    /// `actual ÷ theoretical × 100`, exact.
    pub percent: Option<Decimal>,
    /// `in` from 95% to 105% inclusive.
    pub status: Status,
}

/// How a C-III stock reconciles (SPEC §14.2 item 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reconciliation {
    /// The difference is within the tolerance.
    Reconciled,
    /// It is not.
    Unreconciled,
    /// A stock reading (or the ingredient's reading) is missing.
    Missing,
}

impl Reconciliation {
    /// Every value, in the order the output schema lists them.
    pub const ALL: &'static [Reconciliation] =
        &[Reconciliation::Reconciled, Reconciliation::Unreconciled, Reconciliation::Missing];

    /// The JSON word.
    pub fn as_str(self) -> &'static str {
        match self {
            Reconciliation::Reconciled => "reconciled",
            Reconciliation::Unreconciled => "unreconciled",
            Reconciliation::Missing => "missing",
        }
    }
}

/// The C-III record of one scheduled ingredient (SPEC §14.2 item 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Controlled {
    /// The ingredient.
    pub id: String,
    /// The stock before, as written.
    pub stock_before: Option<Quantity>,
    /// The stock after, as written.
    pub stock_after: Option<Quantity>,
    /// `stock_before − stock_after`, as a mass (a stock solution's volume × its strength).
    pub withdrawn: Option<Mass>,
    /// The reading as a mass of stock, plus `waste`.
    pub accounted: Option<Mass>,
    /// The waste recorded (in no reading), as a mass.
    pub waste: Option<Mass>,
    /// `withdrawn − accounted`.
    pub difference: Option<Mass>,
    /// The largest difference that reconciles.
    pub tolerance: Option<Mass>,
    /// The actual strength × the quantity dispensed (for an infusion, the drug in the bag).
    pub in_product: Option<Mass>,
    /// What the batch expects to be wasted (overage, aliquot and dilution remainders, left
    /// in opened vials); `None` when nothing is.
    pub expected_waste: Option<Mass>,
    /// Who witnessed the waste.
    pub witness: Option<String>,
    /// Whether it reconciles.
    pub status: Reconciliation,
}

/// The result of one QC check of the formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qc {
    /// The check's number on the worksheet, from 1.
    pub check: usize,
    /// Passed, failed, or `None` when there is no result.
    pub outcome: Option<Outcome>,
    /// What was seen.
    pub note: Option<String>,
}

/// Who made, checked and verified the batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct People {
    /// Who compounded it.
    pub compounded_by: Option<String>,
    /// The second person.
    pub checked_by: Option<String>,
    /// The verifying pharmacist (optional).
    pub verified_by: Option<String>,
}

/// What the record says of the batch (SPEC §14.2 item 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseStatus {
    /// Every figure in, every record reconciled, every check passed, every person named:
    /// ready for the pharmacist's verification.
    Ready,
    /// Something is missing or unmeasured, and nothing is out of tolerance or failed.
    Incomplete,
    /// Something is out of tolerance, failed or does not reconcile.
    Check,
}

impl ReleaseStatus {
    /// Every status, in the order the output schema lists them.
    pub const ALL: &'static [ReleaseStatus] =
        &[ReleaseStatus::Ready, ReleaseStatus::Incomplete, ReleaseStatus::Check];

    /// The JSON word.
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseStatus::Ready => "ready",
            ReleaseStatus::Incomplete => "incomplete",
            ReleaseStatus::Check => "check",
        }
    }
}

/// The release decision the record leaves to the pharmacist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// Ready, incomplete or check.
    pub status: ReleaseStatus,
    /// One reason per item that is not in, reconciled, passed or named.
    pub reasons: Vec<String>,
}

/// A completed compounding record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Every reading (per step), in formula order.
    pub readings: Vec<Reading>,
    /// The actual strength of each active.
    pub strengths: Vec<Strength>,
    /// A compounded batch's yield, or an infusion's bag as made.
    pub kind: RecordKind,
    /// The C-III record of each scheduled ingredient.
    pub controlled: Vec<Controlled>,
    /// The result of each QC check of the formula, in order.
    pub qc: Vec<Qc>,
    /// Who made, checked and verified it.
    pub people: People,
    /// The release decision.
    pub release: Release,
}

/// What a record holds that depends on what the batch is (as the batch's own kind does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordKind {
    /// A compounded batch: its yield, `None` when the formula gives nothing to hold it to.
    Compounded {
        /// The yield.
        yielded: Option<Yield>,
    },
    /// An infusion: its bag as made (an infusion has no yield).
    Infusion(Infusion),
}

/// The record of `batch` (computed from `formula` with `options`) from what `file` read;
/// every reading that cannot be one of this batch, each an error at its place in the file.
pub fn compute(
    formula: &Formula,
    options: &Options,
    batch: &Batch,
    file: &BatchFile,
) -> Result<Record, Vec<Diagnostic>> {
    let asked = asked::Asked::new(formula, batch);
    let mut errors = Vec::new();
    let read = readings::read_all(&asked, options, file, &mut errors);
    let yielded = yields::of(&asked, file, &mut errors);
    controlled::check_stock(file, &mut errors);
    if !errors.is_empty() {
        errors.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
        return Err(errors);
    }
    let fail = |d: Diagnostic| vec![d];
    let made = strength::of(&asked, &read, file).map_err(fail)?;
    let controlled = controlled::of(&asked, &read, &made, file).map_err(fail)?;
    let qc = release::qc(formula, file);
    let people = release::people(file);
    let release = release::decide(&read.readings, &made, yielded.as_ref(), &controlled, &qc, &people);
    Ok(Record {
        readings: read.readings,
        strengths: made.strengths,
        kind: match made.infusion {
            Some(bag) => RecordKind::Infusion(bag),
            None => RecordKind::Compounded { yielded },
        },
        controlled,
        qc,
        people,
        release,
    })
}

/// A calculation of the record that overflows or divides by zero: an error of the whole
/// file, naming the figure.
pub(crate) fn calculation(id: &str, what: &str) -> Diagnostic {
    Diagnostic::file_error(
        crate::codes::Code::Calculation,
        format!("{what} of `{id}` cannot be computed exactly: a figure is too large or too small"),
    )
    .with_help("check the readings of the batch file")
}

/// `(got − want) ÷ want × 100`, exact; `None` when it cannot be computed.
pub(crate) fn deviation(got: Decimal, want: Decimal) -> Option<Decimal> {
    crate::measure::percent_off(got, want).ok()
}

/// A figure as the batch file writes it, its places kept: `2.1180 g`.
pub fn written(q: &Quantity) -> String {
    format!("{} {}", q.value, q.unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deviation_exactly_at_the_tolerance_is_in() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(Status::against(d("5"), d("5")), Status::In);
        assert_eq!(Status::against(d("-5"), d("5")), Status::In);
        assert_eq!(Status::against(d("5.0000001"), d("5")), Status::Over);
        assert_eq!(Status::against(d("-5.0000001"), d("5")), Status::Under);
        assert_eq!(deviation(d("2.1181"), d("2.1169")).map(|v| v.round_dp(6)), Some(d("0.056687")));
        assert_eq!(deviation(d("1"), d("1")), Some(Decimal::ZERO));
        assert_eq!(deviation(d("1"), Decimal::ZERO), None);
        assert_eq!(written(&Quantity::parse("2.1180 g").unwrap()), "2.1180 g");
    }
}
