//! The calculation trail as data (issue 21): each step of working out a figure, with its
//! terms and result as values, so that the worksheet, Markdown, HTML and JSON word it in one
//! place (`report/trail.rs`) and a dry run (`validate`) builds no text at all.

use super::batch::{AsMeasured, Dilution, Syringe};
use crate::measure::{Mass, Volume};
use crate::quantity::Amount;

/// One step of a line's or a bag's calculation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A step still worded here; being replaced by the typed steps below.
    Text(String),
    // ── the compounded lines: amounts, overage, salt and assay, molded, volume ──
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
