//! The calculation trail as data (issue 21): each step of working out a figure, with its
//! terms and result as values, so that the worksheet, Markdown, HTML and JSON word it in one
//! place (`report/trail.rs`) and a dry run (`validate`) builds no text at all.

use std::fmt;

use rust_decimal::Decimal;

use super::batch::{AsMeasured, Dilution, Syringe};
use crate::formula::{Basis, Delivery, Displacement, Overage};
use crate::measure::{BatchSize, Count, DoseCount, Mass, Measured, Volume};
use crate::number::trail_num;
use crate::quantity::{Amount, Percent};

/// One step of a line's or a bag's calculation.
///
/// A step's terms carry their dimension: a volume where a mass belongs does not compile.
///
/// ```
/// use ketacalc::calc::Step;
/// use ketacalc::measure::Volume;
/// let _ = Step::QsTo { volume: Volume::from_ml(rust_decimal::Decimal::TEN) };
/// ```
///
/// ```compile_fail
/// use ketacalc::calc::Step;
/// use ketacalc::measure::Mass;
/// let _ = Step::QsTo { volume: Mass::from_mg(rust_decimal::Decimal::TEN) };
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A step still worded here; being replaced by the typed steps below.
    Text(String),
    // ── the compounded lines: amounts, overage, salt and assay, molded, volume ──
    /// How the prepared quantity `P` was obtained from the requested `Q`: `10 mL (no
    /// overage)`, `10 mL × (100% + 5%) = 10.5 mL`, `96 units + 2 units overage = 98 units`.
    Prepared {
        /// `Q`.
        quantity: BatchSize,
        /// The overage applied, if any.
        overage: Option<Overage>,
        /// `P`.
        prepared: BatchSize,
        /// The cavities a molded batch fills when a percent overage makes more blend than
        /// they take (`= blend for 102.72 units (96 cavities)`, SPEC §13).
        blend_for: Option<Count>,
    },
    /// A non-qs ingredient's required amount: `amount × P = required`, and for a fixed
    /// amount `amount × P ÷ reference (reference batch) = required`.
    Required {
        /// The amount as written (`50 mg/mL`, `1:750 w/v`, `0.5 g`).
        amount: Amount,
        /// `P`.
        prepared: BatchSize,
        /// The reference batch a fixed amount is written for.
        reference: Option<BatchSize>,
        /// The required amount.
        required: Measured,
    },
    /// To a stock's basis: `× salt/base (molecular weights, to the stock's basis) = m`.
    ToStockBasis {
        /// The ratio's numerator and denominator (molecular weights, dimensionless).
        ratio: (Decimal, Decimal),
        /// The amount in the stock's basis.
        result: Mass,
    },
    /// Drawn from a stock solution: `÷ 50 mg/mL (stock) = 0.7 mL`.
    FromStock {
        /// The stock's strength as written.
        strength: Amount,
        /// The stock volume.
        volume: Volume,
    },
    /// A correction from the required amount to the material: `÷ 99.5% (purity) = …`.
    Corrected {
        /// Which correction.
        by: Correction,
        /// The amount after it.
        result: Measured,
    },
    /// A liquid weighed: `2 mL × 1.05 g/mL (density) = 2.1 g`.
    ToMass {
        /// The volume.
        volume: Volume,
        /// The density, mg/mL (the formula's `density`).
        density: Decimal,
        /// The mass.
        mass: Mass,
    },
    /// A solid measured by volume: `2.1 g ÷ 1.05 g/mL (density) = 2 mL`.
    ToVolume {
        /// The mass.
        mass: Mass,
        /// The density, mg/mL (the formula's `density`).
        density: Decimal,
        /// The volume.
        volume: Volume,
    },
    /// A semisolid's base: `P − weighed (other ingredients) = base`.
    BaseByDifference {
        /// `P`.
        prepared: Mass,
        /// What the other ingredients weigh.
        others: Mass,
        /// The base.
        base: Mass,
    },
    /// A molded batch's blank: `96 units × 2 g (blank) = 192 g`.
    Blank {
        /// The units `P`.
        units: Count,
        /// One cavity's blank weight.
        blank: Mass,
        /// `P × blank`.
        total: Mass,
    },
    /// What the other ingredients displace: `− displacement (1.2 g × 0.7 + …) = − 0.9 g`.
    Displaced {
        /// Each ingredient's weight and displacement.
        parts: Vec<(Mass, Displacement)>,
        /// The total displaced.
        displaced: Mass,
    },
    /// `= 191.1 g base`.
    Base {
        /// The base weighed.
        base: Mass,
    },
    /// `unit weight (base + weighed) ÷ P = w`.
    UnitWeight {
        /// The base.
        base: Mass,
        /// What the other ingredients weigh.
        others: Mass,
        /// The units `P`.
        units: Count,
        /// The theoretical unit weight.
        unit_weight: Mass,
    },
    /// A liquid's vehicle: `qs to 10.5 mL`.
    QsTo {
        /// `P`.
        volume: Volume,
    },
    /// How the doses of a volume were counted, in one (full or last) container or in the
    /// batch.
    Doses {
        /// The container counted, when the batch is filled into containers.
        container: Option<Container>,
        /// The count.
        count: DoseCounting,
    },
    /// An infusion's bag as its vehicle line shows it: `the bag: 250 mL`.
    Bag {
        /// What the bag holds.
        volume: Volume,
    },
    // ── as measured, aliquots, dilutions ──
    /// A volume measured on its syringe, and what it holds (SPEC §12.1, §12.3).
    Measured {
        /// The volume rounded to the syringe's marks.
        rounded: Volume,
        /// The syringe.
        syringe: Syringe,
        /// What the volume holds; `None` when it is not worked out.
        held: Option<AsMeasured>,
    },
    /// A stock volume under 0.2 mL: one millilitre of the stock diluted (SPEC §12.2).
    Diluted {
        /// The dilution.
        dilution: Box<Dilution>,
        /// The stock's strength, as its label says it.
        stock: Amount,
    },
    /// The portion drawn from a dilution: the volume needed × the dilution factor.
    Portion {
        /// The stock volume needed.
        volume: Volume,
        /// The dilution factor `k`.
        factor: u32,
        /// `volume × k`, exact.
        take: Volume,
        /// The portion rounded on its syringe.
        rounded: Volume,
        /// The portion's syringe.
        syringe: Syringe,
        /// What the portion holds.
        held: Option<AsMeasured>,
    },
    /// By mass, the diluent the aliquot portions carry into the batch, taken off what is
    /// weighed from its container (SPEC §7.4).
    Carried {
        /// What the portions carry.
        carried: Mass,
        /// What is left to weigh from the container.
        rest: Mass,
    },
    // ── the infusion ──
    /// `dose: 0.5 mg/kg × 70 kg = 35 mg`.
    DosePerKg {
        /// The rule as written.
        rule: crate::quantity::Amount,
        /// The patient's weight.
        weight: crate::measure::BodyWeight,
        /// The dose it gives.
        dose: crate::measure::Mass,
    },
    /// `dose: 35 mg (fixed)`.
    DoseFixed {
        /// The dose as written.
        dose: crate::quantity::Amount,
    },
    /// `capped at the maximum: 100 mg`.
    Capped {
        /// The ceiling given instead.
        max: crate::measure::Mass,
    },
    /// `drug in the bag: 1 mg/mL × 250 mL = 250 mg` (a fixed-concentration bag).
    DrugInBag {
        /// The bag's nominal concentration.
        concentration: crate::measure::Concentration,
        /// The bag.
        bag: crate::measure::Volume,
        /// What it holds.
        drug: crate::measure::Mass,
    },
    /// `drug volume: 35 mg ÷ 50 mg/mL = 0.7 mL`.
    DrugVolume {
        /// The drug in the bag.
        drug: crate::measure::Mass,
        /// The stock's strength.
        stock: crate::measure::Concentration,
        /// The stock volume that holds it.
        volume: crate::measure::Volume,
    },
    /// `final volume: 100 mL + 0.7 mL = 100.7 mL`, with any overfill.
    FinalVolume {
        /// The bag's nominal volume.
        bag: crate::measure::Volume,
        /// Its overfill.
        overfill: crate::measure::Volume,
        /// The drug's volume.
        drug: crate::measure::Volume,
        /// `F`.
        result: crate::measure::Volume,
    },
    /// `final volume: 100 mL (as much as the drug's volume withdrawn first)`.
    FinalVolumeReplaced {
        /// Bag and overfill.
        result: crate::measure::Volume,
    },
    /// `concentration: 35 mg ÷ 100.7 mL = 0.3476 mg/mL`.
    Concentration {
        /// The drug in the bag.
        drug: crate::measure::Mass,
        /// `F`.
        final_volume: crate::measure::Volume,
        /// `C`.
        result: crate::measure::Concentration,
    },
    /// `volume to infuse: 35 mg × 250.5 mL ÷ 250 mg = 35.07 mL` (a fixed-concentration bag).
    VolumeToInfuse {
        /// `D`.
        dose: crate::measure::Mass,
        /// `F`.
        final_volume: crate::measure::Volume,
        /// `T`.
        drug: crate::measure::Mass,
        /// `Vi`.
        result: crate::measure::Volume,
    },
    /// `rate: 100.7 mL over 40 min = 151.05 mL/h`.
    Rate {
        /// `Vi`.
        volume: crate::measure::Volume,
        /// The infusion time.
        duration: crate::measure::Duration,
        /// `R`.
        result: crate::measure::Rate,
    },
    /// `drip rate: 151.05 mL/h × 20 gtt/mL ÷ 60 = 50.35 gtt/min`.
    DripRate {
        /// `R`.
        rate: crate::measure::Rate,
        /// The set's drop factor.
        drop_factor: crate::measure::DropFactor,
        /// The drip rate.
        result: crate::measure::DripRate,
    },
    /// `as made: 0.7 mL drawn holds 35 mg; the bag 100.7 mL at 0.3476 mg/mL; 100.7 mL to
    /// infuse at 151.05 mL/h`.
    AsMade {
        /// The volume drawn into the bag.
        drawn: crate::measure::Volume,
        /// `D_m`, what it holds.
        holds: crate::measure::Mass,
        /// `F_m`.
        final_volume: crate::measure::Volume,
        /// `C_m`.
        concentration: crate::measure::Concentration,
        /// The volume to infuse as made.
        volume_to_infuse: crate::measure::Volume,
        /// Its rate.
        rate: crate::measure::Rate,
    },
}

/// A correction from the required amount to the material weighed (SPEC §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Correction {
    /// `× salt/base (salt/base molecular weights)`: the two molecular weights.
    Salt(Decimal, Decimal),
    /// `÷ 99.5% (purity)`.
    Purity(Percent),
    /// `÷ 98% (assay)`, `(assay, dried basis)` when a loss on drying follows.
    Assay {
        /// The lot's assay.
        assay: Percent,
        /// Whether the assay is on the dried basis (a loss on drying is given).
        dried: bool,
    },
    /// `÷ (100% − 0.5%) (loss on drying)`.
    LossOnDrying(Percent),
}

/// The container a dose count is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    /// The last, part-filled one (`last 2 mL bottle`), else a full one (`per 5 mL bottle`).
    pub last: bool,
    /// What it holds.
    pub holds: Volume,
    /// What it is called (`bottle`, `container`).
    pub noun: &'static str,
}

/// Doses in a volume: `(V mL − r mL residual) ÷ a mL − p priming = n sprays`, or with
/// actuations per mL, `× n per mL`. Worded here as well as in the trail: a container that
/// delivers no whole dose is an error that says how its doses were counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoseCounting {
    /// The volume counted.
    pub volume: Volume,
    /// What the device leaves in the container.
    pub residual: Volume,
    /// What one actuation delivers.
    pub delivery: Delivery,
    /// Actuations lost priming (a number of actuations).
    pub priming: Decimal,
    /// The whole doses.
    pub doses: DoseCount,
    /// What one dose is called (`spray`, `drop`).
    pub dose: String,
}

impl fmt::Display for DoseCounting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (by, n, per) = match self.delivery {
            Delivery::Volume(ml) => ('÷', ml, " mL"),
            Delivery::PerMl(n) => ('×', n, " per mL"),
        };
        write!(
            f,
            "({} mL − {} mL residual) {by} {}{per} − {} priming = {} {}s",
            trail_num(self.volume.ml()),
            trail_num(self.residual.ml()),
            trail_num(n),
            trail_num(self.priming),
            self.doses.doses(),
            self.dose
        )
    }
}

/// A batch size as the trail and messages print it (`10.5 mL`, `105 g`, `96 units`): what
/// [`Basis::show`] prints for the basis it belongs to.
pub(crate) fn size(s: BatchSize) -> String {
    let basis = match s {
        BatchSize::Volume(_) => Basis::Volume,
        BatchSize::Mass(_) => Basis::Mass,
        BatchSize::Count(_) => Basis::Molded,
    };
    basis.show(s.value())
}
