//! Calculation families (SPEC §2.1): how a dosage form's batch is measured, made up to
//! quantity and dosed. A family is one module behind [`Family`]; the batch pipeline in
//! [`super::compute`] asks it what differs (the qs, the strength of a fixed amount, a
//! dose, containers, cavities, how aliquots are made) and does the rest the same way
//! for every form.

pub(crate) mod infusion;
mod mass;
mod molded;
mod volume;

use rust_decimal::Decimal;

use super::CalcError;
use super::amounts::Amounts;
use super::batch::{AliquotBy, Containers, Qs};
use super::error::arith_at;
use super::trail::Step;
use crate::arith::{self, ArithError};
use crate::formula::{Basis, Formula, Ingredient, Overage};
use crate::measure::{BatchSize, Mass};
use crate::quantity::Quantity;
use crate::unit::Unit;

/// The qs ingredient's result: the qs, its line's amounts, and (molded forms) the
/// theoretical unit weight.
pub(crate) struct QsOutcome {
    pub(crate) qs: Qs,
    pub(crate) amounts: Amounts,
    pub(crate) unit_weight: Option<Mass>,
}

impl QsOutcome {
    /// A base weighed by mass (semisolids, molded forms), with how it was obtained.
    fn weighed(qs_ing: &Ingredient, base: Mass, trail: Vec<Step>, unit_weight: Option<Mass>) -> QsOutcome {
        QsOutcome {
            qs: Qs { id: qs_ing.id.clone(), to: None, weigh: Some(base), in_aliquots: None },
            amounts: Amounts {
                required: crate::measure::Measured::Mass(base),
                weigh: Some(base),
                measure: None,
                trail,
                factor: crate::calc::frac::Frac::of(rust_decimal::Decimal::ONE),
            },
            unit_weight,
        }
    }
}

/// Doses per container, how they were counted, and the containers (SPEC §3.6, §7.5).
#[derive(Default)]
pub(crate) struct Doses {
    pub(crate) doses: Option<crate::measure::DoseCount>,
    pub(crate) calculation: Option<Step>,
    pub(crate) containers: Option<Containers>,
}

/// What the qs is made up from: the formula, its qs ingredient, the prepared quantity `P`
/// and the other ingredients' amounts.
pub(crate) struct QsInput<'a> {
    pub(crate) formula: &'a Formula,
    pub(crate) ing: &'a Ingredient,
    pub(crate) prepared: BatchSize,
    pub(crate) others: &'a [(&'a Ingredient, &'a Amounts)],
}

impl QsInput<'_> {
    /// `P` in the basis' base unit (mL, mg or units).
    fn p(&self) -> Decimal {
        self.prepared.value()
    }

    /// An arithmetic failure in the qs, tied to the qs ingredient.
    fn err(&self) -> impl Fn(ArithError) -> CalcError + '_ {
        arith_at(&self.ing.id, "the qs")
    }
}

/// The amount of an active in one dose, and what a dose is called (`spray`, `troche`).
pub(crate) struct PerDose {
    pub(crate) amount: Mass,
    pub(crate) called: String,
}

/// What a calculation family decides.
pub(crate) trait Family: Sync {
    /// The qs ingredient made up to the prepared quantity, given the other ingredients.
    fn qs(&self, at: &QsInput<'_>) -> Result<QsOutcome, CalcError>;

    /// The strength a fixed amount (`"4 mL"`, `"0.5 g"`) makes in the reference batch.
    fn fixed_strength(&self, amount: &Quantity, reference: Decimal) -> Result<(Decimal, Unit), ArithError>;

    /// The amount in one dose of an active at `strength` (in its dimension's base unit:
    /// mg/mL, mg/g, mg/unit), and what a dose is called; `None` without a dose.
    fn per_dose(&self, formula: &Formula, strength: Quantity) -> Result<Option<PerDose>, ArithError>;

    /// Doses per container and the containers of `q`, filled `fill` to a container.
    fn doses(&self, _formula: &Formula, _q: Decimal, _fill: Option<Decimal>) -> Result<Doses, CalcError> {
        Ok(Doses::default())
    }

    /// Mold cavities filled for `q` with `overage`.
    fn cavities(&self, _q: Decimal, _overage: Option<Overage>) -> Result<Option<Decimal>, ArithError> {
        Ok(None)
    }

    /// How aliquots of weighed solids are made.
    fn aliquot_by(&self) -> AliquotBy {
        AliquotBy::Mass
    }

    /// The unit concentrations and solubilities are compared in.
    fn concentration_unit(&self) -> Unit {
        Unit::MG_PER_ML
    }

    /// Refuses a batch whose weighed ingredients could not fit `p`.
    fn check_capacity(&self, _p: Decimal, _others: &[(&Ingredient, &Amounts)]) -> Result<(), CalcError> {
        Ok(())
    }

    /// Refuses a batch whose volumes, with a dilution's portion in place of the stock
    /// volume it stands for (SPEC §12.2), do not fit `p`.
    fn check_drawn(
        &self,
        _p: Decimal,
        _formula: &Formula,
        _lines: &[super::batch::Line],
    ) -> Result<(), CalcError> {
        Ok(())
    }
}

/// The family of a basis.
pub(crate) fn of(basis: Basis) -> &'static dyn Family {
    match basis {
        // An infusion is computed by its own pipeline (`infusion::compute`); where the
        // common one asks, the bag is a liquid.
        Basis::Volume | Basis::Infusion => &volume::Volume,
        Basis::Mass => &mass::Mass,
        Basis::Molded => &molded::Molded,
    }
}

/// A qs that comes out zero or negative: an error that says by how much the other
/// ingredients exceed the batch (SPEC §3.5).
fn over_capacity(
    qs_ing: &Ingredient,
    what: &'static str,
    total: Decimal,
    capacity: Decimal,
    show: &dyn Fn(Decimal) -> String,
) -> Result<(), CalcError> {
    if total < capacity {
        return Ok(());
    }
    let by = arith::sub(total, capacity).map_err(arith_at(&qs_ing.id, "the qs"))?;
    Err(CalcError::OverCapacity {
        what,
        total: show(total),
        capacity: show(capacity),
        over: show(by),
        qs: qs_ing.id.clone(),
        negative: if by.is_zero() { "zero" } else { "negative" },
    })
}

/// The amount per dose of a device delivering `per_ml` mg in each mL of preparation.
fn per_actuation(device: &crate::formula::Device, per_ml: Decimal) -> Result<PerDose, ArithError> {
    let v = match device.delivery {
        crate::formula::Delivery::Volume(ml) => arith::mul(per_ml, ml)?,
        crate::formula::Delivery::PerMl(n) => arith::div(per_ml, n)?,
    };
    Ok(PerDose { amount: Mass::from_mg(v), called: device.dose.clone() })
}
