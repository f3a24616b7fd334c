//! The inputs of a batch calculation besides the formula (SPEC §4): typed, checked
//! values, the date, time and zone among them. [`crate::request`] builds them from the
//! flags of the command line or the options of a batch file.

use std::collections::BTreeMap;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use rust_decimal_macros::dec;

use super::batch::Weight;
use crate::formula::{DoseRule, Overage};
use crate::measure::{BatchSize, Mass, Volume};
use crate::quantity::{Amount, Percent, Quantity};

/// What one lot of an ingredient brings to the batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lot {
    /// Assay (as is, or dried-basis when `lod` is given); default 100%.
    pub assay: Option<Percent>,
    /// Loss on drying; default 0%.
    pub lod: Option<Percent>,
    /// Lot number.
    pub lot: Option<String>,
    /// Expiry date.
    pub expiry: Option<Date>,
    /// Who supplied it.
    pub vendor: Option<String>,
}

/// Everything a batch needs besides the formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Requested quantity; default the formula's.
    pub quantity: Option<BatchSize>,
    /// Overage; default the formula's.
    pub overage: Option<Overage>,
    /// Custom strengths, by active id.
    pub strengths: BTreeMap<String, Amount>,
    /// Per-ingredient lot data, by ingredient id.
    pub lots: BTreeMap<String, Lot>,
    /// Compounding date.
    pub date: Date,
    /// Batch id.
    pub batch_id: Option<String>,
    /// Balance readability (default 0.1 mg).
    pub readability: Mass,
    /// Minimum weighable quantity (default 820 × readability).
    pub min_weight: Option<Mass>,
    /// What one container holds (liquids); default the formula's `[batch].fill`.
    pub fill: Option<Volume>,
    /// The smallest volume measured with acceptable accuracy, for liquid aliquots
    /// (default 1 mL).
    pub min_volume: Option<Volume>,
    /// An infusion's patient, dose, bag and time.
    pub infusion: InfusionOptions,
}

impl Options {
    /// Defaults for a batch compounded on `date`.
    pub fn new(date: Date) -> Self {
        Options {
            quantity: None,
            overage: None,
            strengths: BTreeMap::new(),
            lots: BTreeMap::new(),
            date,
            batch_id: None,
            readability: Mass::from_mg(dec!(0.1)),
            min_weight: None,
            fill: None,
            min_volume: None,
            infusion: InfusionOptions::default(),
        }
    }

    /// The expiry date of every lot that has one, by ingredient id.
    pub(crate) fn expiries(&self) -> Vec<(String, Date)> {
        self.lots.iter().filter_map(|(id, l)| l.expiry.map(|e| (id.clone(), e))).collect()
    }

    /// The lot data of one ingredient, created on first use.
    pub fn lot_mut(&mut self, id: &str) -> &mut Lot {
        self.lots.entry(id.to_string()).or_default()
    }
}

/// The options of an IV infusion (SPEC §8.3); each `None` takes the formula's value
/// (the weight has none: a dose per kg needs it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfusionOptions {
    /// The patient's weight.
    pub weight: Option<Weight>,
    /// A dose rule other than the formula's, with the text it was given as.
    pub dose: Option<(DoseRule, Quantity)>,
    /// An infusion time other than the formula's.
    pub duration: Option<crate::measure::Duration>,
    /// A bag other than the formula's.
    pub bag: Option<Volume>,
    /// The compounding time; an infusion needs one (for its USP <797> beyond-use time).
    pub time: Option<Time>,
    /// The time zone the date and time are in (default UTC).
    pub zone: TimeZone,
    /// This order's own ceiling, replacing the formula's `max`, and who approved it
    /// (`--max` with `--authorized-by`, SPEC §12.4).
    pub max: Option<(Mass, String)>,
}

impl Default for InfusionOptions {
    fn default() -> Self {
        InfusionOptions {
            weight: None,
            dose: None,
            duration: None,
            bag: None,
            time: None,
            zone: TimeZone::UTC,
            max: None,
        }
    }
}
