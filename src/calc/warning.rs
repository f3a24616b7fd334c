//! What a warning says, as data: the figures it names and their meaning, worded once by
//! its `Display` (a warning is read by the worksheet, JSON, `validate` and the request
//! layer, which sit beside each other above calc, so its words live with its data, as a
//! [`CalcError`](super::CalcError)'s do).

use std::fmt;

use super::batch::{AliquotBy, AliquotPlan, Syringe};
use super::syringe::MIN_MEASURABLE;
use crate::measure::{Deviation, Mass, Measured, Volume};
use crate::number::{
    format_mass, format_mass_rounded, four_significant as sig, plain, signed_percent, trail_ml,
};
use crate::rounding::RoundingPolicy;

/// The message of a [`Warning`](super::Warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Says {
    /// A message still worded where the warning is raised; being replaced by the typed
    /// messages below.
    Text(String),
    // ── the compounded batch ──
    // ── as measured, aliquots, dilutions ──
    /// A volume that is not a stock's, under the 0.2 mL a syringe measures (SPEC §12.2).
    BelowMinimumVolume {
        /// The ingredient.
        id: String,
        /// The volume required.
        volume: Volume,
        /// It measured on the 1 mL syringe.
        measured: Volume,
    },
    /// An active measured more than 2% off the amount required (SPEC §12.3).
    RoundingDeviation {
        /// The ingredient.
        id: String,
        /// The volume drawn.
        drawn: Volume,
        /// Its syringe.
        syringe: Syringe,
        /// What it holds.
        held: Measured,
        /// How far that is from the amount required.
        deviation: Deviation,
        /// Two syringes that measure it closer, when there are.
        two: Option<TwoSyringes>,
    },
    /// An amount below the balance's minimum weight, and how to weigh it through an
    /// aliquot (SPEC §7.4).
    Aliquot {
        /// The ingredient.
        id: String,
        /// The plan.
        plan: Box<AliquotPlan>,
        /// The balance's minimum weight.
        min_weight: Mass,
        /// The balance's readability, which the masses are read to.
        readability: RoundingPolicy,
    },
    /// The aliquot diluent itself below the minimum weight: no aliquot can be made of it.
    DiluentBelowMinimumWeight {
        /// The ingredient.
        id: String,
        /// What it needs.
        needed: Mass,
        /// The balance's minimum weight.
        min_weight: Mass,
    },
    // ── the infusion ──
}

/// A volume measured with two syringes: a full smaller one and the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TwoSyringes {
    /// The full smaller syringe's capacity.
    pub full: Volume,
    /// The rest, rounded on its own syringe.
    pub rest: Volume,
    /// The rest's syringe.
    pub syringe: Syringe,
}

/// A figure of an aliquot as the technician reads it: a mass rounded to the readability
/// (marked `≈` when rounding changed it), a volume to 0.01 mL.
struct Read<'a>(Measured, &'a RoundingPolicy);

impl fmt::Display for Read<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Measured::Mass(m) => match self.1.round(m.mg()) {
                Ok(v) if v == m.mg() => f.write_str(&format_mass_rounded(v)),
                Ok(v) => write!(f, "≈{}", format_mass_rounded(v)),
                Err(_) => f.write_str(&format_mass(m.mg())),
            },
            Measured::Volume(v) => match RoundingPolicy::VOLUME_ML.round(v.ml()) {
                Ok(r) => write!(f, "{r} mL"),
                Err(_) => write!(f, "{} mL", plain(v.ml())),
            },
        }
    }
}

/// An amount as a message prints it: four significant figures and its unit.
struct Held(Measured);

impl fmt::Display for Held {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Measured::Mass(m) => write!(f, "{} mg", sig(m.mg())),
            Measured::Volume(v) => write!(f, "{} mL", sig(v.ml())),
        }
    }
}

impl fmt::Display for Says {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Says::Text(t) => f.write_str(t),
            // ── the compounded batch ──
            // ── as measured, aliquots, dilutions ──
            Says::BelowMinimumVolume { id, volume, measured } => write!(
                f,
                "`{id}`: {} is below the {} a syringe measures accurately (20% of the 1 mL syringe); it is measured as {} mL on the 1 mL syringe: weigh it instead (give it a `density` and no `measure`), or use a stock solution",
                trail_ml(volume.ml()),
                trail_ml(MIN_MEASURABLE.ml()),
                measured.ml(),
            ),
            Says::RoundingDeviation { id, drawn, syringe, held, deviation, two } => {
                write!(
                    f,
                    "`{id}`: {} mL measured on the {} syringe ({} marks) holds {}, {} from the amount required: ",
                    drawn.ml(),
                    trail_ml(syringe.capacity.ml()),
                    trail_ml(syringe.graduation.ml()),
                    Held(*held),
                    signed_percent(deviation.percent(), 2),
                )?;
                match two {
                    Some(t) => write!(
                        f,
                        "measure it with two syringes: a full {} syringe, and {} mL in a {} syringe",
                        trail_ml(t.full.ml()),
                        t.rest.ml(),
                        trail_ml(t.syringe.capacity.ml())
                    ),
                    None => f.write_str("use a weaker stock, or weigh it"),
                }
            }
            Says::Aliquot { id, plan: p, min_weight, readability: r } => {
                let needed = Read(Measured::Mass(p.needed), r);
                write!(
                    f,
                    "`{id}`: {needed} is below the balance's minimum weight of {}; weigh {} ({needed} × {}), ",
                    format_mass(min_weight.mg()),
                    Read(Measured::Mass(p.weigh), r),
                    p.factor,
                )?;
                let (diluent, total, take) = (&p.diluent_name, Read(p.total, r), Read(p.take, r));
                match p.by {
                    AliquotBy::Mass => write!(
                        f,
                        "triturate with {diluent} to {total}, mix well, and take {take}, which holds {needed}; the {} of `{id}` it carries comes off the `{id}` weighed from its container",
                        Read(Measured::Mass(p.carried.unwrap_or_default()), r),
                        id = p.diluent,
                    ),
                    AliquotBy::Volume => write!(
                        f,
                        "dissolve in {diluent} and make up to {total}, mix well, and measure {take}, which holds {needed}"
                    ),
                }
            }
            Says::DiluentBelowMinimumWeight { id, needed, min_weight } => write!(
                f,
                "`{id}`: {} is below the balance's minimum weight of {}, and it is the aliquot diluent: weigh it on a more sensitive balance",
                format_mass(needed.mg()),
                format_mass(min_weight.mg())
            ), // ── the infusion ──
        }
    }
}
