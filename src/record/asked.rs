//! What the record reads of the computed batch: the one place that knows the shape of
//! [`calc::Batch`](crate::calc::Batch). The record is a reader of the batch the worksheet
//! was printed from; everything it compares a reading with (the rounded amount the
//! worksheet asked for), every size it divides by (`Q`, `P`, the containers, the
//! cavities) and every expected figure of the C-III record come from here, so that a
//! change of the batch's shape is a change of this file only.

use rust_decimal::Decimal;

use super::calculation;
use crate::calc::{AliquotBy, Batch, BatchKind, Compounded, Line};
use crate::formula::{Diagnostic, Formula, InfusionMethod, Ingredient};
use crate::measure::{Mass, Measured, Volume};
use crate::rounding::RoundingPolicy;
use crate::unit::Unit;

/// The computed batch and its formula, as the record reads them.
pub(crate) struct Asked<'a> {
    pub(crate) formula: &'a Formula,
    batch: &'a Batch,
}

/// What the worksheet asked for one ingredient: the rounded amounts it printed to weigh
/// or measure (SPEC §14.2 item 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The qs of a liquid: the volume made up to, `P`.
    QsVolume(Volume),
    /// The qs of a mass or molded form: the base weighed from its container, rounded.
    QsMass(Mass),
    /// Weighed: `weigh_rounded`.
    Weigh(Mass),
    /// Measured by volume (a `measure = "volume"` ingredient, or a stock drawn):
    /// `measure_rounded`, and the marks of its syringe.
    Measure {
        /// The volume.
        volume: Volume,
        /// The spacing of its syringe's marks.
        graduation: Volume,
    },
    /// Weighed through an aliquot (SPEC §7.4): `W`, `T` and `A`, each rounded as the
    /// worksheet prints it.
    Aliquot {
        /// By mass or by volume.
        by: AliquotBy,
        /// `W`, to the readability.
        weigh: Mass,
        /// `T` (a mass) or `V` (a volume, to 0.01 mL).
        total: Measured,
        /// `A` (a mass) or the volume measured (to 0.01 mL).
        take: Measured,
    },
    /// Drawn through a dilution (SPEC §12.2): 1 mL of stock made up to `k` mL, and the
    /// portion `take_rounded`.
    Dilution {
        /// The stock drawn: 1 mL.
        stock: Volume,
        /// `k` mL.
        to: Volume,
        /// The portion.
        take: Volume,
        /// The marks of the syringe the stock is drawn with.
        graduation: Volume,
    },
    /// An infusion's bag: used as supplied, no reading.
    Bag,
}

/// What the record needs of an infusion's figures (SPEC §8.3, §12.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InfusionAsked {
    /// Whole bag or fixed concentration.
    pub(crate) method: InfusionMethod,
    /// The bag's nominal volume and its overfill.
    pub(crate) bag: Volume,
    /// The bag's overfill.
    pub(crate) overfill: Volume,
    /// A volume equal to the drug's is first withdrawn from the bag.
    pub(crate) replace: bool,
    /// The ordered dose `D`.
    pub(crate) dose: Mass,
    /// The infusion time.
    pub(crate) duration: crate::measure::Duration,
    /// The dose delivered as the label prints it (`D_m` for a whole bag, `D` for a fixed
    /// concentration).
    pub(crate) dose_delivered: Mass,
    /// `C_m`, the concentration the label prints.
    pub(crate) concentration: crate::measure::Concentration,
}

/// An active's labelled strength (SPEC §3.6): as printed, and in the dimension's base
/// unit (`mg/mL`, `mg/g`, `%v/v`, `mg/unit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Labelled {
    /// The value in `unit`.
    pub(crate) value: Decimal,
    /// The unit it is printed in.
    pub(crate) unit: Unit,
}

/// The theoretical yield (SPEC §14.2 item 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Theoretical {
    /// Containers (a liquid with a fill) or cavities (a molded form).
    Count(u64),
    /// A volume (a liquid) or a mass (a cream): `Q`.
    Filled(Measured),
}

impl<'a> Asked<'a> {
    /// The record's view of `batch`, a batch of `formula`.
    pub(crate) fn new(formula: &'a Formula, batch: &'a Batch) -> Self {
        Asked { formula, batch }
    }

    /// The worksheet's lines with their ingredients, in formula order.
    pub(crate) fn lines(&self) -> impl Iterator<Item = (&'a Line, &'a Ingredient)> + '_ {
        self.batch.lines.iter().filter_map(|l| self.formula.ingredient(&l.id).map(|i| (l, i)))
    }

    /// The balance readability.
    pub(crate) fn readability(&self) -> Mass {
        self.batch.readability
    }

    /// A nonsterile batch's own figures; `None` for an infusion.
    fn made(&self) -> Option<&'a Compounded> {
        match &self.batch.kind {
            BatchKind::Compounded(c) => Some(c),
            BatchKind::Infusion(_) => None,
        }
    }

    /// The minimum weighable quantity (SPEC §3.9); an infusion weighs nothing: the
    /// readability.
    pub(crate) fn min_weight(&self) -> Mass {
        self.made().map_or(self.batch.readability, |c| c.min_weight)
    }

    /// `Q`, in its base unit (mL, mg or units); `None` for an infusion.
    pub(crate) fn quantity(&self) -> Option<Decimal> {
        self.made().map(|c| c.quantity.value())
    }

    /// `P`, in its base unit (mL, mg or units); `None` for an infusion.
    pub(crate) fn prepared(&self) -> Option<Decimal> {
        self.made().map(|c| c.prepared.value())
    }

    /// Whether ingredient `id`'s required amount is a volume (`%v/v`, a fixed volume).
    pub(crate) fn required_is_volume(&self, id: &str) -> bool {
        self.batch.lines.iter().any(|l| l.id == id && matches!(l.required, Measured::Volume(_)))
    }

    /// The mass the batch should weigh when made, mg: `P` of a mass form, the cavities ×
    /// the theoretical unit weight of a molded one; `None` for the others.
    pub(crate) fn theoretical_mass(&self) -> Option<Decimal> {
        let b = self.made()?;
        match (b.prepared, b.unit_weight, b.cavities) {
            (crate::measure::BatchSize::Mass(m), _, _) => Some(m.mg()),
            (_, Some(w), Some(c)) => crate::arith::mul(w.mg(), c.units()).ok(),
            _ => None,
        }
    }

    /// What the worksheet asked for `line`.
    pub(crate) fn target(&self, line: &Line) -> Result<Target, Diagnostic> {
        let fail = || calculation(&line.id, "the amount the worksheet asked for");
        if line.qs {
            let Some(c) = self.made() else { return Ok(Target::Bag) };
            return match (c.qs.to, line.weigh_rounded) {
                // The worksheet prints the volume made up to exactly (`qs to 10.5 mL`).
                (Some(to), _) => Ok(Target::QsVolume(Volume::from_ml(to.ml().normalize()))),
                (None, Some(m)) => Ok(Target::QsMass(m)),
                (None, None) => Err(fail()),
            };
        }
        if let Some(p) = self.aliquot(&line.id) {
            let mass = |m: Mass| self.round_mass(m);
            let portion = |m: Measured| match m {
                Measured::Mass(m) => mass(m).map(Measured::Mass),
                Measured::Volume(v) => round_volume(v).map(Measured::Volume),
            };
            return Ok(Target::Aliquot {
                by: p.by,
                weigh: mass(p.weigh).ok_or_else(fail)?,
                total: portion(p.total).ok_or_else(fail)?,
                take: portion(p.take).ok_or_else(fail)?,
            });
        }
        if let Some(d) = &line.dilution {
            return Ok(Target::Dilution {
                stock: d.stock,
                to: d.to,
                take: d.take_rounded,
                graduation: d.stock_syringe.graduation,
            });
        }
        match (line.measure_rounded, line.syringe, line.weigh_rounded) {
            (Some(volume), Some(s), _) => Ok(Target::Measure { volume, graduation: s.graduation }),
            (None, _, Some(m)) => Ok(Target::Weigh(m)),
            _ => Err(fail()),
        }
    }

    /// The aliquot plan of ingredient `id`, if it is weighed through one.
    fn aliquot(&self, id: &str) -> Option<&'a crate::calc::AliquotPlan> {
        self.batch
            .warnings
            .iter()
            .find_map(|w| w.aliquot.as_ref().filter(|_| w.ingredient.as_deref() == Some(id)))
    }

    /// A mass rounded to the readability, keeping its places, as the worksheet prints it.
    fn round_mass(&self, m: Mass) -> Option<Mass> {
        RoundingPolicy::new(self.batch.readability.mg())?.round(m.mg()).ok().map(Mass::from_mg)
    }

    /// The labelled strength of active `id`: the strength the batch reports (SPEC §3.6);
    /// for an infusion, the concentration the label prints (`C_m`, SPEC §12.3).
    pub(crate) fn labelled(&self, id: &str) -> Option<Labelled> {
        if let Some(i) = self.batch.infusion() {
            return Some(Labelled { value: i.as_measured.concentration.mg_per_ml(), unit: Unit::MG_PER_ML });
        }
        let s = self.batch.strengths.iter().find(|s| s.id == id)?;
        Some(Labelled { value: s.concentration.value, unit: s.concentration.unit })
    }

    /// An infusion's figures, or `None` for any other form.
    pub(crate) fn infusion(&self) -> Option<InfusionAsked> {
        let i = self.batch.infusion()?;
        Some(InfusionAsked {
            method: i.method,
            bag: i.bag,
            overfill: i.overfill,
            replace: i.replace,
            dose: i.dose,
            duration: i.duration,
            dose_delivered: i.as_measured.dose,
            concentration: i.as_measured.concentration,
        })
    }

    /// The theoretical yield (SPEC §14.2 item 3) against a yield read as a count
    /// (`Some(true)`), as a volume or mass filled (`Some(false)`), or not read (`None`):
    /// the cavities of a molded form; the containers of a liquid with a fill, for a count
    /// (or no reading); `Q` for a volume or mass filled, and for a cream. `None` for an
    /// infusion, which has no yield, and for a count of a liquid without containers.
    pub(crate) fn theoretical(&self, count: Option<bool>) -> Option<Theoretical> {
        use crate::measure::BatchSize;
        let b = self.made()?;
        if let Some(c) = b.cavities {
            return u64::try_from(c.units()).ok().map(Theoretical::Count);
        }
        let filled = match b.quantity {
            BatchSize::Volume(v) => Some(Theoretical::Filled(Measured::Volume(v))),
            BatchSize::Mass(m) => Some(Theoretical::Filled(Measured::Mass(m))),
            BatchSize::Count(_) => None,
        };
        match (count, &b.containers) {
            (Some(true) | None, Some(c)) => Some(Theoretical::Count(c.count)),
            (Some(true), None) => None,
            (Some(false) | None, _) => filled,
        }
    }

    /// What the batch expects to be wasted of scheduled ingredient `id` (SPEC §7.4,
    /// §12.3): the overage, the aliquot and dilution remainders and what is left in opened
    /// vials, as measured, in the declared basis; `None` when nothing is.
    pub(crate) fn expected_waste(&self, id: &str) -> Result<Option<Mass>, Diagnostic> {
        let Some(c) = self.batch.controlled.iter().find(|c| c.id == id) else { return Ok(None) };
        let a = &c.as_measured;
        let parts: Vec<Decimal> = [a.overage_loss, a.aliquot_remainder, a.dilution_remainder]
            .into_iter()
            .flatten()
            .map(|p| p.amount.mg())
            .chain(c.left_in_vials.map(|l| l.left.amount.mg()))
            .collect();
        if parts.iter().all(Decimal::is_zero) {
            return Ok(None);
        }
        crate::arith::sum(parts)
            .map(|m| Some(Mass::from_mg(m)))
            .map_err(|_| calculation(id, "the expected waste"))
    }
}

/// A volume rounded to 0.01 mL, as the worksheet prints an aliquot's volumes (SPEC §7.4).
fn round_volume(v: Volume) -> Option<Volume> {
    RoundingPolicy::VOLUME_ML.round(v.ml()).ok().map(Volume::from_ml)
}
