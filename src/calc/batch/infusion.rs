//! What an IV infusion's batch adds (SPEC §8.3, §12.3): the patient, the dose, the bag
//! and the pump, and the figures of the bag as made.

use jiff::civil::Time;

use crate::formula::{InfusionMethod, StrengthBasis};
use crate::measure::{
    BodyWeight, Concentration, Deviation, DripRate, DropFactor, Duration, FluidPerKg, Mass, PerHour, PerKg,
    PerKgPerHour, Rate, Volume,
};
use crate::quantity::{Amount, Quantity};

/// A patient's body weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weight {
    /// As given (`154 lb`).
    pub given: Quantity,
    /// In kg, exactly.
    pub kg: BodyWeight,
}

/// The nominal figures of a fixed-concentration bag, printed beside the true ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nominal {
    /// The labelled concentration.
    pub concentration: Concentration,
    /// `D ÷ nominal concentration`.
    pub volume_to_infuse: Volume,
    /// Its rate.
    pub rate: Rate,
}

/// What a custom infusion changed from the formula (SPEC §8.5, §7.3): this batch's value
/// and the formula's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Custom {
    /// A dose rule of its own, and the dose it delivers.
    Dose {
        /// The rule as given (`1 mg/kg`).
        given: Amount,
        /// The dose it delivers.
        delivered: Mass,
        /// The formula's rule.
        formula: Amount,
    },
    /// A bag of its own.
    Bag {
        /// This batch's.
        this: Volume,
        /// The formula's.
        formula: Volume,
    },
    /// An infusion time of its own.
    Duration {
        /// This batch's.
        this: Duration,
        /// The formula's.
        formula: Duration,
    },
    /// A ceiling of its own (`--max` with `--authorized-by`).
    Maximum {
        /// This order's.
        this: Mass,
        /// Who approved it.
        by: String,
        /// The formula's, if it has one.
        formula: Option<Mass>,
    },
}

impl Custom {
    /// What changed: `dose`, `bag`, `duration` or `maximum`.
    pub fn what(&self) -> &'static str {
        match self {
            Custom::Dose { .. } => "dose",
            Custom::Bag { .. } => "bag",
            Custom::Duration { .. } => "duration",
            Custom::Maximum { .. } => "maximum",
        }
    }
}

/// An IV infusion for one patient (SPEC §8.3); every figure exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Infusion {
    /// The patient's weight, when given.
    pub weight: Option<Weight>,
    /// The dose rule in effect; `None` for a fixed dose.
    pub rule: Option<PerKg>,
    /// `D`, in the active's declared basis.
    pub dose: Mass,
    /// The active's declared basis.
    pub basis: StrengthBasis,
    /// `D` in the other basis, when the molecular weights are known.
    pub dose_other_basis: Option<(StrengthBasis, Mass)>,
    /// The dose before the formula's `max` capped it.
    pub uncapped: Option<Mass>,
    /// Whole bag or fixed concentration.
    pub method: InfusionMethod,
    /// The stock's strength in the declared basis.
    pub stock: Concentration,
    /// The drug that goes into the bag: `D` (whole bag) or `T` (fixed concentration).
    pub drug_in_bag: Mass,
    /// `Vd`, the stock volume drawn.
    pub drug_volume: Volume,
    /// One vial's volume, when the formula gives it.
    pub vial: Option<Volume>,
    /// Vials to open: `ceil(Vd ÷ vial)`.
    pub vials: Option<u64>,
    /// What the opened vials hold beyond `Vd` (`vials × vial − Vd`), to record or waste
    /// with a witness.
    pub left_in_vials: Option<Volume>,
    /// The bag's nominal volume.
    pub bag: Volume,
    /// The bag's overfill.
    pub overfill: Volume,
    /// A volume equal to the drug's is first withdrawn from the bag.
    pub replace: bool,
    /// `F`, the bag's final volume.
    pub final_volume: Volume,
    /// `C`, the bag's true concentration.
    pub concentration: Concentration,
    /// `Vi`, the volume to infuse.
    pub volume_to_infuse: Volume,
    /// The infusion time.
    pub duration: Duration,
    /// `R`, the pump rate.
    pub rate: Rate,
    /// The administration set's drop factor.
    pub drop_factor: Option<DropFactor>,
    /// The drip rate.
    pub drip_rate: Option<DripRate>,
    /// Fixed concentration: the nominal figures.
    pub nominal: Option<Nominal>,
    /// The compounding time.
    pub time: Time,
    /// What differs from the formula (`--dose`, `--bag`, `--duration`, `--max`).
    pub custom: Vec<Custom>,
    /// How each figure was obtained.
    pub calculation: Vec<crate::calc::Step>,
    /// The figures of the bag as made, from the volume actually drawn (SPEC §12.3).
    pub as_measured: InfusionAsMeasured,
    /// The dose delivered per hour, and per kg per hour.
    pub dose_rate: DoseRate,
    /// The dose delivered ÷ weight (`None` without a weight).
    pub dose_per_kg: Option<PerKg>,
    /// The volume to infuse as made ÷ weight (`None` without a weight).
    pub fluid_per_kg: Option<FluidPerKg>,
    /// The ceiling in effect: the formula's `max`, or this order's `--max`.
    pub max: Option<Mass>,
    /// Who approved this order's own ceiling (`--max` with `--authorized-by`).
    pub max_authorized_by: Option<String>,
    /// The latest start that ends the infusion by the beyond-use time: the BUD less the
    /// duration.
    pub start_by: jiff::civil::DateTime,
    /// The infusion cannot end before the beyond-use time (compounding + duration after it).
    pub ends_after_bud: bool,
    /// A fixed-concentration bag that holds more than 1.1 × the dose: the volume to infuse
    /// is printed first on its labels.
    pub bag_exceeds_dose: bool,
}

/// An infusion's figures from the volume actually drawn (SPEC §12.3): `D_m` the drug in
/// the bag, `F_m = bag + overfill + drawn`, `C_m = D_m ÷ F_m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InfusionAsMeasured {
    /// `D_m`: what the volume drawn (or the dilution's portion) holds.
    pub in_bag: Mass,
    /// The dose delivered: `D_m` for a whole bag, the ordered `D` for a fixed concentration.
    pub dose: Mass,
    /// The volume that goes into the bag: the rounded volume, or the dilution's portion.
    pub drawn: Volume,
    /// `F_m`.
    pub final_volume: Volume,
    /// `C_m`.
    pub concentration: Concentration,
    /// `F_m` for a whole bag; `D ÷ C_m` for a fixed concentration.
    pub volume_to_infuse: Volume,
    /// Its rate.
    pub rate: Rate,
    /// Its drip rate.
    pub drip_rate: Option<DripRate>,
    /// `(dose − D) ÷ D × 100` for a whole bag, `(T_m − T) ÷ T × 100` for a fixed
    /// concentration.
    pub deviation: Deviation,
}

/// The dose delivered over the duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoseRate {
    /// Per hour.
    pub per_hour: PerHour,
    /// Per kg per hour (`None` without a weight).
    pub per_kg_per_hour: Option<PerKgPerHour>,
}
