//! The result of a batch calculation: exact values, their rounded forms, and the trail.
//!
//! Units are fixed: masses in mg, volumes in mL, counts in units. The report layer
//! chooses how to print them (mg below 1 g, g otherwise).

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::formula::{Role, Schedule, StrengthBasis};
use crate::unit::Unit;

/// Masses in mg or volumes in mL, tagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measured {
    /// Milligrams.
    Mass(Decimal),
    /// Millilitres.
    Volume(Decimal),
}

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
    /// Exact mass of material to weigh, mg (`None` for the volume-basis vehicle, and for
    /// a volume-measured liquid of unknown density).
    pub weigh: Option<Decimal>,
    /// `weigh` rounded to the balance readability, mg.
    pub weigh_rounded: Option<Decimal>,
    /// Exact volume to measure, mL (volume-measured ingredients only).
    pub measure: Option<Decimal>,
    /// `measure` rounded to 0.01 mL.
    pub measure_rounded: Option<Decimal>,
    /// Lot number given on the command line.
    pub lot: Option<String>,
    /// Expiry given on the command line.
    pub expiry: Option<Date>,
    /// The calculation trail, one step per entry.
    pub calculation: Vec<String>,
}

/// The qs result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qs {
    /// The qs ingredient's id.
    pub id: String,
    /// Volume basis: the volume to make up to, mL.
    pub to: Option<Decimal>,
    /// Mass and molded bases: the exact mass of base, mg.
    pub weigh: Option<Decimal>,
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
    /// Concentration (or per-unit amount) in the declared basis.
    pub concentration: (Decimal, Unit),
    /// The same in the other basis, when molecular weights are known.
    pub other_basis: Option<(StrengthBasis, Decimal, Unit)>,
    /// Amount per dose in the declared basis, mg.
    pub per_dose: Option<Decimal>,
    /// What one dose is called (`spray`, `drop`, `click`, `troche`, `rdt`).
    pub dose: Option<String>,
}

/// Which USP <795> rule set the beyond-use date.
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
}

impl BudRule {
    /// The JSON name (SPEC §5).
    pub fn as_str(self) -> &'static str {
        match self {
            BudRule::AqueousNonpreserved => "usp795-aqueous-nonpreserved",
            BudRule::AqueousPreserved => "usp795-aqueous-preserved",
            BudRule::NonaqueousOralLiquid => "usp795-nonaqueous-oral-liquid",
            BudRule::Nonaqueous => "usp795-nonaqueous",
            BudRule::Formula => "formula",
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
        }
    }
}

/// The beyond-use date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bud {
    /// The date.
    pub date: Date,
    /// Days after the compounding date.
    pub days: i32,
    /// The rule that gave the date before any cap.
    pub rule: BudRule,
    /// The component whose expiry capped the date.
    pub limited_by: Option<String>,
}

/// A scheduled ingredient's accountability line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Controlled {
    /// Ingredient id.
    pub id: String,
    /// Ingredient name.
    pub name: String,
    /// Schedule.
    pub schedule: Schedule,
    /// Exact quantity to withdraw from stock, mg.
    pub withdraw: Decimal,
    /// Rounded to the balance readability, mg.
    pub withdraw_rounded: Decimal,
}

/// How to weigh an amount below the balance's minimum weight (SPEC §3.9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliquotPlan {
    /// The exact amount needed, mg.
    pub needed: Decimal,
    /// Multiplication factor `m = ceil(minimum ÷ needed)`.
    pub factor: Decimal,
    /// Weigh `needed × m`, mg.
    pub weigh: Decimal,
    /// Dilute to a total of `m × minimum`, mg.
    pub total: Decimal,
    /// Take `minimum`, mg, which holds `needed`.
    pub take: Decimal,
    /// The diluent (the formula's qs ingredient).
    pub diluent: String,
}

/// A warning about the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// A stable kebab-case code.
    pub code: String,
    /// The ingredient it concerns.
    pub ingredient: Option<String>,
    /// What to look at.
    pub message: String,
    /// For `below-minimum-weight`: how to weigh it.
    pub aliquot: Option<AliquotPlan>,
}

/// A computed batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Compounding date.
    pub date: Date,
    /// Batch id, when given.
    pub batch_id: Option<String>,
    /// Requested quantity `Q` (mL, mg or units).
    pub quantity: Decimal,
    /// Prepared quantity `P` (with overage).
    pub prepared: Decimal,
    /// How `P` was obtained, e.g. `10 mL + 5% overage = 10.5 mL`.
    pub prepared_calculation: String,
    /// One line per ingredient, in formula order.
    pub lines: Vec<Line>,
    /// The qs result.
    pub qs: Qs,
    /// Molded forms: theoretical unit weight, mg.
    pub unit_weight: Option<Decimal>,
    /// Strengths of the actives.
    pub strengths: Vec<Strength>,
    /// Doses in the requested quantity (volume basis with a device).
    pub doses: Option<Decimal>,
    /// How `doses` was obtained.
    pub doses_calculation: Option<String>,
    /// Beyond-use date.
    pub bud: Bud,
    /// Controlled-substance accountability.
    pub controlled: Vec<Controlled>,
    /// Warnings, formula-level first.
    pub warnings: Vec<Warning>,
    /// Balance readability, mg.
    pub readability: Decimal,
    /// Minimum weighable quantity, mg.
    pub min_weight: Decimal,
}
