//! The result of a batch calculation: exact values, their rounded forms, and the trail.
//!
//! Units are fixed: masses in mg, volumes in mL, counts in units. The report layer
//! chooses how to print them (mg below 1 g, g otherwise).

use jiff::civil::{Date, Time};

pub use super::dilution::Dilution;
pub use super::syringe::Syringe;
pub use infusion::{Custom, DoseRate, Infusion, InfusionAsMeasured, Nominal, Weight};

mod infusion;
use crate::formula::{Role, Schedule, StrengthBasis};
use crate::measure::{BatchSize, Concentration, Count, Deviation, DoseCount, Mass, Measured, Volume};
use crate::quantity::{Amount, Quantity};

/// One ingredient's line on the worksheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Ingredient id.
    pub id: String,
    /// Ingredient name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Returns true for the qs ingredient.
    pub qs: bool,
    /// The required amount in the ingredient's declared basis (before salt, purity and
    /// assay corrections).
    pub required: Measured,
    /// Exact mass of material to weigh (`None` for the volume-basis vehicle, and for a
    /// volume-measured liquid of unknown density).
    pub weigh: Option<Mass>,
    /// `weigh` rounded to the balance readability.
    pub weigh_rounded: Option<Mass>,
    /// Exact volume to measure (volume-measured ingredients only).
    pub measure: Option<Volume>,
    /// `measure` rounded to the graduation of its syringe (SPEC §12.1); `None` with a
    /// dilution, which draws no stock for the amount itself (SPEC §12.2).
    pub measure_rounded: Option<Volume>,
    /// The syringe the volume is measured with; with a dilution, the portion's.
    pub syringe: Option<Syringe>,
    /// A stock volume under 0.2 mL: the dilution it is measured through.
    pub dilution: Option<Dilution>,
    /// What the volume measured holds, and how far that is from `required` (SPEC §12.3);
    /// `None` for an ingredient not measured by volume, and for a volume under 0.2 mL
    /// measured without a dilution.
    pub as_measured: Option<AsMeasured>,
    /// Drawn from a stock solution with a `vial` size: the vials to open,
    /// `ceil(drawn ÷ vial)` with the volume actually drawn from the stock.
    pub vials: Option<u64>,
    /// Who supplied the lot, as given (`--vendor`).
    pub vendor: Option<String>,
    /// Lot number given on the command line.
    pub lot: Option<String>,
    /// Expiry given on the command line.
    pub expiry: Option<Date>,
    /// The calculation trail, one step per entry.
    pub calculation: Vec<super::Step>,
}

/// What a measured volume holds (SPEC §12.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsMeasured {
    /// The amount, in the unit and basis of the line's `required`.
    pub amount: Measured,
    /// `(amount − required) ÷ required × 100`, exact.
    pub deviation: Deviation,
}

/// The qs result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qs {
    /// The qs ingredient's id.
    pub id: String,
    /// Volume basis: the volume to make up to.
    pub to: Option<Volume>,
    /// Mass and molded bases: the exact mass of base (all of it, including what the
    /// aliquots carry in).
    pub weigh: Option<Mass>,
    /// The base that portions taken from aliquots carry into the batch, when the qs
    /// ingredient is the aliquot diluent (SPEC §7.4); the rest is weighed from its container.
    pub in_aliquots: Option<Mass>,
}

/// An active's strength.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strength {
    /// Active id.
    pub id: String,
    /// Ingredient name.
    pub name: String,
    /// Declared basis.
    pub basis: StrengthBasis,
    /// Concentration (or per-unit amount) in the declared basis, in its dimension's base
    /// unit (`mg/mL`, `mg/g`, `mg/unit`, `%v/v`).
    pub concentration: Quantity,
    /// The same in the other basis, when molecular weights are known.
    pub other_basis: Option<OtherBasis>,
    /// Amount per dose in the declared basis.
    pub per_dose: Option<Mass>,
    /// What one dose is called (`spray`, `drop`, `click`, `troche`, `rdt`).
    pub dose: Option<String>,
    /// The strength as the worksheet and `{strength:ID}` print it (`15 %w/w`, `50 mg/unit`).
    pub label: StrengthLabel,
    /// The MFR's own strength when this batch uses another (`--strength`), else `None`.
    pub mfr: Option<MfrStrength>,
    /// An active measured by volume: the concentration its as-measured amount makes in the
    /// prepared quantity (in the unit of the dimension, `mg/mL`), and the deviation (SPEC
    /// §12.3); `None` for a weighed one.
    pub as_measured: Option<(Quantity, Deviation)>,
}

/// An active's strength in the basis other than its declared one (salt for base, base for
/// salt), from the molecular weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtherBasis {
    /// The other basis.
    pub basis: StrengthBasis,
    /// The concentration (or per-unit amount) in it, in the unit of the declared one.
    pub concentration: Quantity,
    /// The amount per dose in it, when the strength has a dose.
    pub per_dose: Option<Mass>,
}

/// The strength an MFR is written for, beside a custom one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfrStrength {
    /// As a concentration (or per-unit amount), like [`Strength::concentration`].
    pub concentration: Quantity,
    /// As printed (`100 mg/mL`).
    pub label: StrengthLabel,
}

/// How a strength is printed: as the formula or the option writes it (`15 %w/w`,
/// `1:750 w/v`), or, for a fixed amount, the concentration it works out to in the
/// reference batch (`50 mg/unit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrengthLabel {
    /// The amount as written.
    Written(Amount),
    /// The concentration worked out.
    WorkedOut(Quantity),
    /// An infusion's concentration, to four significant figures (SPEC §8.3).
    Infusion(Concentration),
}

/// Which USP <795> or <797> rule set the beyond-use date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudRule {
    /// Aqueous, not preserved: 14 days, refrigerated.
    AqueousNonpreserved,
    /// Aqueous, preserved: 35 days.
    AqueousPreserved,
    /// Nonaqueous oral liquid: 90 days.
    NonaqueousOralLiquid,
    /// Other nonaqueous: 180 days.
    Nonaqueous,
    /// The formula's own `bud_days`.
    Formula,
    /// USP <797> immediate use: 4 hours.
    Usp797ImmediateUse,
    /// USP <797> category 1: 12 hours at room temperature, 24 refrigerated.
    Usp797Category1,
    /// USP <797> category 2: by method, sterility testing and storage (table 13).
    Usp797Category2,
}

impl BudRule {
    /// Every rule, in the order SPEC §5 and §8.4 list them (the output schema's choices).
    pub const ALL: &'static [BudRule] = &[
        BudRule::AqueousNonpreserved,
        BudRule::AqueousPreserved,
        BudRule::NonaqueousOralLiquid,
        BudRule::Nonaqueous,
        BudRule::Formula,
        BudRule::Usp797ImmediateUse,
        BudRule::Usp797Category1,
        BudRule::Usp797Category2,
    ];

    /// The JSON name (SPEC §5).
    pub fn as_str(self) -> &'static str {
        match self {
            BudRule::AqueousNonpreserved => "usp795-aqueous-nonpreserved",
            BudRule::AqueousPreserved => "usp795-aqueous-preserved",
            BudRule::NonaqueousOralLiquid => "usp795-nonaqueous-oral-liquid",
            BudRule::Nonaqueous => "usp795-nonaqueous",
            BudRule::Formula => "formula",
            BudRule::Usp797ImmediateUse => "usp797-immediate-use",
            BudRule::Usp797Category1 => "usp797-category-1",
            BudRule::Usp797Category2 => "usp797-category-2",
        }
    }

    /// How a worksheet says it.
    pub fn describe(self) -> &'static str {
        match self {
            BudRule::AqueousNonpreserved => "USP <795> aqueous, non-preserved (14 days, refrigerated)",
            BudRule::AqueousPreserved => "USP <795> aqueous, preserved (35 days)",
            BudRule::NonaqueousOralLiquid => "USP <795> nonaqueous oral liquid (90 days)",
            BudRule::Nonaqueous => "USP <795> other nonaqueous (180 days)",
            BudRule::Formula => "formula's stability reference",
            BudRule::Usp797ImmediateUse => "USP <797> immediate use (4 hours)",
            BudRule::Usp797Category1 => "USP <797> category 1",
            BudRule::Usp797Category2 => "USP <797> category 2",
        }
    }
}

/// How long a rule lets a preparation keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Calendar days after the compounding date.
    Days(i32),
    /// Hours of elapsed time after the compounding time (USP <797>).
    Hours(i32),
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Period::Days(1) => f.write_str("1 day"),
            Period::Days(n) => write!(f, "{n} days"),
            Period::Hours(1) => f.write_str("1 hour"),
            Period::Hours(n) => write!(f, "{n} hours"),
        }
    }
}

/// The beyond-use date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bud {
    /// The date.
    pub date: Date,
    /// The time of day (infusions, USP <797>); `None` for a date alone.
    pub time: Option<Time>,
    /// From compounding to the beyond-use date: the rule's period, or, when an expiry
    /// capped it, the days (or whole hours) to that expiry.
    pub period: Period,
    /// The rule that gave the date before any cap.
    pub rule: BudRule,
    /// The component whose expiry capped the date.
    pub limited_by: Option<String>,
    /// A beyond-use time (USP <797>): the whole minutes from compounding to it.
    pub minutes: Option<i64>,
}

/// A scheduled ingredient's accountability line (SPEC §3.11, §7.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Controlled {
    /// Ingredient id.
    pub id: String,
    /// Ingredient name.
    pub name: String,
    /// Schedule.
    pub schedule: Schedule,
    /// Exact quantity to withdraw from stock: what is weighed, which is the whole aliquot
    /// weighing `W` when the ingredient goes through an aliquot.
    pub withdraw: Mass,
    /// Rounded to the balance readability.
    pub withdraw_rounded: Mass,
    /// What ends up in the dispensed quantity: `n × Q ÷ P`.
    pub in_product: Mass,
    /// The expected process loss (and extra cavities): `n × (P − Q) ÷ P`; `None` when
    /// nothing is prepared beyond the quantity requested.
    pub overage_loss: Option<Mass>,
    /// What is left of the aliquot once the portion is taken: `W − n`.
    pub aliquot_remainder: Option<Mass>,
    /// Drawn from a stock solution: the volume drawn, holding [`Controlled::withdraw`].
    pub withdraw_volume: Option<Volume>,
    /// An infusion: what a fixed-concentration bag holds beyond the dose (`T − D`), left in
    /// the bag after the infusion and wasted with a witness; `None` for a whole bag, which
    /// is all infused, and for every other form.
    pub undelivered: Option<Mass>,
    /// The same record from what is actually measured or weighed (SPEC §12.3).
    pub as_measured: ControlledAsMeasured,
    /// A stock with a `vial`: what the opened vials hold beyond the volume drawn.
    pub left_in_vials: Option<LeftInVials>,
    /// The basis the stock is labelled in, when it is not the declared one: the record
    /// prints each mass in it, with the declared basis beside it.
    pub stock_basis: Option<StrengthBasis>,
    /// Weighed: the material is not the declared amount itself (a salt for a base, a
    /// purity or an assay): the record prints the material as weighed first.
    pub as_weighed: bool,
    /// The declared basis.
    pub basis: StrengthBasis,
}

/// One figure of the controlled-substance record as measured: the amount in the declared
/// basis; as its container is labelled when that differs (a stock labelled in the other
/// basis, or a powder weighed as a salt or at a purity); and the volume that holds it
/// where there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// In the declared basis, mg.
    pub amount: Mass,
    /// As the container is labelled (the stock's basis, the material as weighed), when
    /// that differs from the declared basis.
    pub labelled: Option<Mass>,
    /// The volume that holds it: of stock, of dilution, of preparation or of the bag.
    pub volume: Option<Volume>,
}

/// The controlled-substance record as measured (SPEC §12.3): `withdraw = in_product +
/// overage_loss + dilution_remainder + aliquot_remainder`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlledAsMeasured {
    /// What is taken from stock: the amount measured or weighed; with a dilution the
    /// whole millilitre drawn from the stock.
    pub withdraw: Part,
    /// What ends up in the dispensed quantity (an infusion: the bag).
    pub in_product: Part,
    /// A batch's overage; `None` when nothing is prepared beyond the quantity requested.
    pub overage_loss: Option<Part>,
    /// What is left of a dilution once the portion is drawn: witnessed waste.
    pub dilution_remainder: Option<Part>,
    /// What is left of an aliquot once the portion is taken (an extension of SPEC §12.3,
    /// so that the parts add up for an ingredient weighed through an aliquot).
    pub aliquot_remainder: Option<Part>,
    /// A fixed-concentration bag: what it holds beyond the dose, part of `in_product`.
    pub undelivered: Option<Part>,
}

/// What is left in the opened vials of a stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeftInVials {
    /// Vials opened: `ceil(drawn ÷ vial)`.
    pub vials: u64,
    /// One vial.
    pub vial: Volume,
    /// `vials × vial − drawn`, and the mass it holds.
    pub left: Part,
}

/// How an aliquot is made (SPEC §7.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliquotBy {
    /// Triturated with a powder or base; portions weighed (semisolids, molded forms).
    Mass,
    /// Dissolved in the vehicle; portions measured (liquids).
    Volume,
}

impl AliquotBy {
    /// Both ways (the output schema's choices).
    pub const ALL: &'static [AliquotBy] = &[AliquotBy::Mass, AliquotBy::Volume];

    /// `mass` or `volume`.
    pub fn as_str(self) -> &'static str {
        match self {
            AliquotBy::Mass => "mass",
            AliquotBy::Volume => "volume",
        }
    }
}

/// How to weigh an amount below the balance's minimum weight (SPEC §7.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliquotPlan {
    /// By mass or by volume.
    pub by: AliquotBy,
    /// The exact amount needed `n`.
    pub needed: Mass,
    /// Multiplication factor `m = ceil(minimum ÷ needed)`.
    pub factor: u64,
    /// Weigh `W = n × m`.
    pub weigh: Mass,
    /// Make up to `T = m × minimum` (a mass, by mass) or `V = m × v × j` (a volume).
    pub total: Measured,
    /// Take `A` (a mass) or measure `v × j` (a volume); it holds `n`.
    pub take: Measured,
    /// By mass: the diluent the portion taken carries into the batch, `A − n`.
    pub carried: Option<Mass>,
    /// The diluent's id.
    pub diluent: String,
    /// The diluent's name.
    pub diluent_name: String,
}

/// The containers a liquid batch is filled into (SPEC §7.5, §13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Containers {
    /// How many: `ceil(Q ÷ fill)`.
    pub count: u64,
    /// How many are full.
    pub full: u64,
    /// What one full container holds: the fill, or `Q` for a batch smaller than one fill
    /// (which is one container of its quantity).
    pub fill: Volume,
    /// Doses in one full container (with a device).
    pub doses: Option<DoseCount>,
    /// The last container when it is not full: what it holds and its doses.
    pub last: Option<(Volume, Option<DoseCount>)>,
    /// How the last container's doses were counted.
    pub last_calculation: Option<super::Step>,
}

/// The molds a molded batch is poured into, when the formula gives `[mold] cavities`
/// (SPEC §13): `ceil(cavities ÷ per mold)` molds, the rest of their cavities empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Molds {
    /// How many molds: `ceil(cavities ÷ per_mold)`.
    pub count: u64,
    /// The cavities of one mold.
    pub per_mold: u64,
    /// The cavities left empty: `count × per_mold − cavities`.
    pub empty: u64,
}

/// A warning about the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Its code.
    pub code: crate::codes::Code,
    /// The ingredient it concerns.
    pub ingredient: Option<String>,
    /// What to look at.
    pub message: super::Says,
    /// For `below-minimum-weight`: how to weigh it.
    pub aliquot: Option<AliquotPlan>,
}

/// A computed batch: what every batch has, and what its kind of preparation adds
/// ([`BatchKind`]), so that a reader matches once on the kind and finds every figure of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Compounding date.
    pub date: Date,
    /// Batch id, when given.
    pub batch_id: Option<String>,
    /// One line per ingredient, in formula order.
    pub lines: Vec<Line>,
    /// Strengths of the actives.
    pub strengths: Vec<Strength>,
    /// Beyond-use date.
    pub bud: Bud,
    /// Controlled-substance accountability.
    pub controlled: Vec<Controlled>,
    /// Warnings, formula-level first.
    pub warnings: Vec<Warning>,
    /// Balance readability: what the lines' weights are rounded to.
    pub readability: Mass,
    /// The batch the formula's text is written for: its `[batch].quantity`, or an
    /// infusion's bag.
    pub reference: Option<BatchSize>,
    /// Returns true when this batch is the one the formula's text is written for: its
    /// reference quantity, overage and fill, and the MFR's strengths (an infusion: the
    /// formula's dose, bag and duration).
    pub at_reference: bool,
    /// What the kind of preparation adds.
    pub kind: BatchKind,
}

/// What a batch's kind of preparation adds to what every batch has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchKind {
    /// A nonsterile batch made to a quantity (SPEC §3): a liquid, a semisolid or a molded form.
    Compounded(Box<Compounded>),
    /// An IV infusion: one bag for one patient (SPEC §8.3).
    Infusion(Box<Infusion>),
}

/// A nonsterile batch made to a quantity (SPEC §3, §7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compounded {
    /// Requested quantity `Q`.
    pub quantity: BatchSize,
    /// Prepared quantity `P` (with overage).
    pub prepared: BatchSize,
    /// How `P` was obtained, e.g. `10 mL + 5% overage = 10.5 mL`.
    pub prepared_calculation: super::Step,
    /// The qs result.
    pub qs: Qs,
    /// Molded forms: theoretical unit weight.
    pub unit_weight: Option<Mass>,
    /// Mold cavities filled: `Q` plus a unit overage (SPEC §7.6); molded forms only.
    pub cavities: Option<Count>,
    /// The molds those cavities are in, when the formula gives `[mold] cavities`.
    pub molds: Option<Molds>,
    /// Containers, when the batch is filled into containers of a given fill.
    pub containers: Option<Containers>,
    /// Doses per container (volume basis with a device): in one full container when a
    /// fill is given, else in the requested quantity.
    pub doses: Option<DoseCount>,
    /// How `doses` was obtained.
    pub doses_calculation: Option<super::Step>,
    /// Minimum weighable quantity.
    pub min_weight: Mass,
}

impl Batch {
    /// A nonsterile batch's own figures; `None` for an infusion.
    pub fn compounded(&self) -> Option<&Compounded> {
        match &self.kind {
            BatchKind::Compounded(c) => Some(c),
            BatchKind::Infusion(_) => None,
        }
    }

    /// An infusion's own figures; `None` for any other batch.
    pub fn infusion(&self) -> Option<&Infusion> {
        match &self.kind {
            BatchKind::Infusion(i) => Some(i),
            BatchKind::Compounded(_) => None,
        }
    }
}
