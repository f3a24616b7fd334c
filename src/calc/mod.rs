//! The batch engine (SPEC §3, §7): from a formula and options to every number on the
//! worksheet. No I/O; every operation on a user-derived number is checked.

pub(crate) mod aliquot;
mod amounts;
mod batch;
mod bud;
mod controlled;
mod dilution;
mod error;
mod family;
mod frac;
mod local;
mod measured;
mod options;
mod strength;
mod syringe;
mod trail;
mod warning;

use crate::number::format_mass;
use std::collections::BTreeMap;

use rust_decimal::Decimal;

pub use crate::formula::{MAX_MASS_MG, MAX_UNITS, MAX_VOLUME_ML};
pub use batch::{
    AliquotBy, AliquotPlan, AsMeasured, Batch, BatchKind, Bud, BudRule, Compounded, Containers, Controlled,
    ControlledAsMeasured, Custom, Dilution, DoseRate, Infusion, InfusionAsMeasured, LeftInVials, Line,
    MfrStrength, Molds, Nominal, OtherBasis, Part, Period, Qs, Strength, StrengthLabel, Syringe, Warning,
    Weight,
};
pub use bud::{beyond_use_date, rule as bud_rule};
pub use dilution::{FACTORS as DILUTION_FACTORS, MIN_PORTION_ML};
pub use error::CalcError;
pub(crate) use error::article;
// For the completed record (`crate::record`): what a stock's volume holds, and a product
// over a product evaluated once.
pub(crate) use amounts::stock_amount;
pub(crate) use frac::Frac;
pub use options::{InfusionOptions, Lot, Options};
pub use syringe::{MIN_MEASURABLE, SYRINGES};
pub(crate) use trail::size as trail_size;
pub use trail::{Container, Correction, DoseCounting, Step};
pub use warning::{Says, WrittenFor};

use crate::arith;
use crate::codes::Code;
use crate::formula::{Formula, Ingredient, Overage, Role, Severity};
use crate::measure::{BatchSize, Count, Mass, Volume};
use crate::quantity::{Amount, Quantity};
use crate::rounding::RoundingPolicy;
use amounts::{Amounts, Corrections, Scale};
use error::arith_at as arith_err;

/// Minimum weight = 820 × readability: USP <41> repeatability, 2000 × 0.41 d.
pub(crate) const MIN_WEIGHT_PER_READABILITY: i64 = 820;

/// Computes a batch of `formula` with `options`.
pub fn compute(formula: &Formula, options: &Options) -> Result<Batch, CalcError> {
    check_options(formula, options)?;
    if formula.infusion.is_some() {
        return family::infusion::compute(formula, options);
    }
    let family = family::of(formula.basis());
    // A strength equal to the formula's own (written differently or not) changes nothing.
    let custom: BTreeMap<&str, Amount> = options
        .strengths
        .iter()
        .filter(|(id, a)| {
            let own = formula.ingredient(id).and_then(|i| i.amount.to_base());
            !matches!((a.to_base(), own), (Some(Ok(x)), Some(Ok(y))) if x == y)
        })
        .map(|(id, a)| (id.as_str(), *a))
        .collect();
    let amount_of =
        |ing: &Ingredient| -> Amount { custom.get(ing.id.as_str()).copied().unwrap_or(ing.amount) };

    let quantity = options
        .quantity
        .or(formula.batch_quantity)
        .map(BatchSize::value)
        .ok_or_else(|| CalcError::NoQuantity { formula: formula.id.clone() })?;
    let overage = options.overage.or(formula.overage);
    let prepared = prepared(formula, quantity, overage)?;
    let basis = formula.basis();
    let scale = Scale { prepared: basis.size(prepared), reference: formula.batch_quantity };
    let cavities = family.cavities(quantity, overage).map_err(arith_err("batch", "the cavities"))?;
    let prepared_calculation = Step::Prepared {
        quantity: basis.size(quantity),
        overage,
        prepared: basis.size(prepared),
        // A percent overage makes more blend, never a fraction of a unit (SPEC §13).
        blend_for: cavities.filter(|c| *c != prepared).map(Count::from_units),
    };
    let molds = molds(formula, cavities)?;

    let readability = RoundingPolicy::new(options.readability.mg())
        .ok_or(CalcError::ZeroReadability { readability: options.readability })?;
    let min_weight = match options.min_weight {
        Some(m) => m.mg(),
        None => arith::mul(options.readability.mg(), Decimal::from(MIN_WEIGHT_PER_READABILITY))
            .map_err(arith_err("batch", "the minimum weight"))?,
    };

    let mut warnings = formula_warnings(formula);
    let mut computed: Vec<Option<Amounts>> = Vec::with_capacity(formula.ingredients.len());
    for ing in &formula.ingredients {
        if ing.is_qs() {
            computed.push(None);
            continue;
        }
        let lot = options.lots.get(&ing.id);
        let corrections = Corrections { assay: lot.and_then(|l| l.assay), lod: lot.and_then(|l| l.lod) };
        computed.push(Some(amounts::amounts(ing, &amount_of(ing), &scale, &corrections)?));
        check_solubility(family, ing, &amount_of(ing), &mut warnings)?;
    }
    let qs_at = formula
        .ingredients
        .iter()
        .position(Ingredient::is_qs)
        .ok_or_else(|| CalcError::NoQuantity { formula: formula.id.clone() })?;
    let qs_ing = formula
        .ingredients
        .get(qs_at)
        .ok_or_else(|| CalcError::NoQuantity { formula: formula.id.clone() })?;
    let others: Vec<(&Ingredient, &Amounts)> =
        formula.ingredients.iter().zip(&computed).filter_map(|(i, a)| a.as_ref().map(|a| (i, a))).collect();
    family.check_capacity(prepared, &others)?;
    let at = family::QsInput { formula, ing: qs_ing, prepared: scale.prepared, others: &others };
    let family::QsOutcome { qs: mut qs_result, amounts: qs_amounts, unit_weight } = family.qs(&at)?;
    if let Some(slot) = computed.get_mut(qs_at) {
        *slot = Some(qs_amounts);
    }
    let (mut lines, factors) = lines(formula, options, computed, &readability, qs_ing, &mut warnings)?;
    family.check_drawn(prepared, formula, &lines)?;

    let setting = aliquot::Setting {
        by: family.aliquot_by(),
        min_weight: Mass::from_mg(min_weight),
        prepared: formula.basis().size(prepared),
        min_volume: options.min_volume.unwrap_or(Volume::from_ml(Decimal::ONE)),
        diluent: match &formula.aliquot_diluent {
            Some(id) => formula.ingredient(id).unwrap_or(qs_ing),
            None => qs_ing,
        },
        readability: &readability,
    };
    let plans = aliquots(formula, &lines, &setting, &mut warnings)?;
    carry_diluent(&mut lines, &mut qs_result, &plans, &setting, &readability)?;

    let strengths = strength::strengths(family, formula, &amount_of, &lines)?;
    let fill = container_fill(formula, options)?;
    let family::Doses { doses, calculation: doses_calculation, containers } =
        family.doses(formula, quantity, fill)?;
    warnings.extend(containers.as_ref().and_then(|c| empty_last(formula, c)));
    let bud = beyond_use_date(formula, options.date, &options.expiries())?;
    let controlled = controlled::lines(
        formula,
        &lines,
        &factors,
        &plans,
        controlled::Sizes {
            quantity: formula.basis().size(quantity),
            prepared: formula.basis().size(prepared),
            readability: &readability,
        },
    )?;

    let at_reference = formula.batch_quantity.map(BatchSize::value) == Some(quantity)
        && custom.is_empty()
        && options.overage.is_none_or(|o| Some(o) == formula.overage)
        && options.fill.is_none_or(|f| Some(f) == formula.fill.or(formula.capacity));
    if !at_reference {
        warnings.extend(reference_text(formula));
    }

    Ok(Batch {
        date: options.date,
        batch_id: options.batch_id.clone(),
        lines,
        strengths,
        bud,
        controlled,
        warnings,
        readability: options.readability,
        reference: formula.batch_quantity,
        at_reference,
        kind: BatchKind::Compounded(Box::new(Compounded {
            quantity: formula.basis().size(quantity),
            prepared: formula.basis().size(prepared),
            prepared_calculation,
            qs: qs_result,
            unit_weight,
            cavities: cavities.map(Count::from_units),
            molds,
            containers,
            doses,
            doses_calculation,
            min_weight: Mass::from_mg(min_weight),
        })),
    })
}

/// The molds the cavities fill, when the formula says how many cavities one has.
fn molds(formula: &Formula, cavities: Option<Decimal>) -> Result<Option<Molds>, CalcError> {
    let (Some(per_mold), Some(cavities)) = (formula.mold_cavities.filter(|n| *n > 0), cavities) else {
        return Ok(None);
    };
    let filled = u64::try_from(cavities).map_err(|_| {
        arith_err("batch", "the molds")(arith::ArithError::Overflow {
            lhs: cavities,
            op: '÷',
            rhs: Decimal::from(per_mold),
        })
    })?;
    let count = filled.div_ceil(per_mold);
    let empty = count.saturating_mul(per_mold).saturating_sub(filled);
    Ok(Some(Molds { count, per_mold, empty }))
}

/// What one container holds: `--fill`, else the formula's `fill`, else its `capacity`;
/// none may be more than the capacity (SPEC §13).
fn container_fill(formula: &Formula, options: &Options) -> Result<Option<Decimal>, CalcError> {
    let given = options.fill.or(formula.fill).map(Volume::ml);
    let capacity = formula.capacity.map(Volume::ml);
    if let (Some(f), Some(c)) = (given, capacity)
        && f > c
    {
        return Err(CalcError::FillOverCapacity { fill: Volume::from_ml(f), capacity: Volume::from_ml(c) });
    }
    Ok(given.or(capacity))
}

/// A part-filled last container that delivers no whole dose is worth a warning: it is
/// dispensed empty of doses (a full one, or the only one, is an error).
fn empty_last(formula: &Formula, c: &Containers) -> Option<Warning> {
    let (rest, doses) = c.last?;
    let dose = &formula.device.as_ref()?.dose;
    doses?.is_zero().then(|| Warning {
        code: Code::LastContainerNoDose,
        ingredient: None,
        message: Says::LastContainerNoDose { holds: rest, dose: dose.clone() },
        aliquot: None,
    })
}

/// The worksheet lines, in formula order, from every ingredient's amounts, each volume
/// measured on its syringe (SPEC §12.1–§12.3) with `diluent` for a dilution step; and
/// each line's factor from the required amount to the material (SPEC §3.3).
fn lines(
    formula: &Formula,
    options: &Options,
    computed: Vec<Option<Amounts>>,
    readability: &RoundingPolicy,
    diluent: &Ingredient,
    warnings: &mut Vec<Warning>,
) -> Result<(Vec<Line>, Vec<frac::Frac>), CalcError> {
    let mut lines = Vec::with_capacity(formula.ingredients.len());
    let mut factors = Vec::with_capacity(formula.ingredients.len());
    for (ing, a) in formula.ingredients.iter().zip(computed) {
        let Some(a) = a else { continue };
        let lot = options.lots.get(&ing.id);
        let weigh_rounded = a
            .weigh
            .map(|w| readability.round(w.mg()).map_err(arith_err(&ing.id, "the rounded weight")))
            .transpose()?
            .map(Mass::from_mg);
        let measured = match a.measure {
            Some(v) if !ing.is_qs() => {
                Some(measured::measure(ing, v, a.required, &a.factor, diluent, warnings)?)
            }
            _ => None,
        };
        let vials =
            match (ing.stock.and_then(|s| s.vial), measured.as_ref().and_then(|m| m.drawn_from_stock())) {
                (Some(vial), Some(drawn)) => {
                    Some(frac::containers_for(drawn, vial).map_err(arith_err(&ing.id, "the vials to open"))?)
                }
                _ => None,
            };
        let mut calculation = a.trail;
        if let (Some(m), Some(v)) = (&measured, a.measure) {
            calculation.extend(measured::trail(ing, v, m));
        }
        lines.push(Line {
            id: ing.id.clone(),
            name: ing.name.clone(),
            role: ing.role,
            qs: ing.is_qs(),
            required: a.required,
            weigh: a.weigh,
            weigh_rounded,
            measure: a.measure,
            measure_rounded: measured.as_ref().and_then(|m| m.rounded),
            syringe: measured.as_ref().map(|m| m.syringe),
            as_measured: measured.as_ref().and_then(|m| m.as_measured),
            dilution: measured.and_then(|m| m.dilution),
            vials,
            vendor: lot.and_then(|l| l.vendor.clone()),
            lot: lot.and_then(|l| l.lot.clone()),
            expiry: lot.and_then(|l| l.expiry),
            calculation,
        });
        factors.push(a.factor);
    }
    Ok((lines, factors))
}

/// The aliquot plans (by line index) for every amount weighed below the minimum weight
/// (SPEC §7.4), with their warnings. The qs, volume-measured ingredients and the aliquot
/// diluent itself are not planned.
fn aliquots(
    formula: &Formula,
    lines: &[Line],
    setting: &aliquot::Setting<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<(usize, AliquotPlan)>, CalcError> {
    let mut plans = Vec::new();
    for (i, (line, ing)) in lines.iter().zip(&formula.ingredients).enumerate() {
        let Some(n) = line.weigh.filter(|w| w.mg() > Decimal::ZERO && *w < setting.min_weight) else {
            continue;
        };
        if line.qs || line.measure.is_some() {
            continue;
        }
        if ing.id == setting.diluent.id {
            warnings.push(Warning {
                code: Code::BelowMinimumWeight,
                ingredient: Some(line.id.clone()),
                message: Says::DiluentBelowMinimumWeight {
                    id: line.id.clone(),
                    needed: n,
                    min_weight: setting.min_weight,
                },
                aliquot: None,
            });
            continue;
        }
        let plan = aliquot::plan(ing, n, setting)?;
        warnings.push(aliquot::warning(line, &plan, setting));
        plans.push((i, plan));
    }
    Ok(plans)
}

/// By mass, each portion taken brings `A − n` of the diluent into the batch: that much
/// less is weighed from the diluent's container (SPEC §7.4).
fn carry_diluent(
    lines: &mut [Line],
    qs: &mut Qs,
    plans: &[(usize, AliquotPlan)],
    setting: &aliquot::Setting<'_>,
    readability: &RoundingPolicy,
) -> Result<(), CalcError> {
    let id = setting.diluent.id.as_str();
    let err = arith_err(id, "the diluent carried by the aliquots");
    let carried = arith::sum(plans.iter().filter_map(|(_, p)| p.carried.map(Mass::mg))).map_err(&err)?;
    if carried.is_zero() {
        return Ok(());
    }
    let Some(line) = lines.iter_mut().find(|l| l.id == id) else { return Ok(()) };
    let Some(all) = line.weigh.map(Mass::mg) else { return Ok(()) };
    let rest = arith::sub(all, carried).map_err(&err)?;
    if rest <= Decimal::ZERO {
        return Err(CalcError::DiluentExhausted {
            id: id.to_string(),
            carried: format_mass(carried),
            available: format_mass(all),
        });
    }
    line.weigh = Some(Mass::from_mg(rest));
    line.weigh_rounded = Some(Mass::from_mg(readability.round(rest).map_err(&err)?));
    line.calculation.push(Step::Carried { carried: Mass::from_mg(carried), rest: Mass::from_mg(rest) });
    if line.qs {
        qs.in_aliquots = Some(Mass::from_mg(carried));
    }
    Ok(())
}

/// One `reference-batch-text` warning per step or QC check that still holds a batch
/// quantity written out (SPEC §7.2).
fn reference_text(formula: &Formula) -> Vec<Warning> {
    let written_for = match (&formula.infusion, formula.batch_quantity) {
        (Some(i), _) => Some(WrittenFor::Bag(i.bag)),
        (None, Some(q)) => Some(WrittenFor::Batch(q)),
        (None, None) => None,
    };
    let steps = formula.steps.iter().enumerate().map(|(n, t)| ("step", n, t));
    let checks = formula.quality.iter().enumerate().map(|(n, t)| ("QC check", n, t));
    steps
        .chain(checks)
        .filter(|(_, _, t)| !t.literals.is_empty())
        .map(|(what, n, t)| Warning {
            code: Code::ReferenceBatchText,
            ingredient: None,
            message: Says::ReferenceText {
                what,
                number: n.saturating_add(1),
                literals: t.literals.clone(),
                more: t.literal_count.saturating_sub(t.literals.len()),
                written_for,
            },
            aliquot: None,
        })
        .collect()
}

/// A library caller may build [`Options`] by hand: every ingredient they name must exist,
/// and every custom strength must be an active's, of the kind the formula writes it in.
/// ([`crate::request::Request::read`] checks the same, naming the options.)
fn check_options(formula: &Formula, options: &Options) -> Result<(), CalcError> {
    let unknown = |id: &str| CalcError::UnknownIngredient {
        id: id.to_string(),
        formula: formula.id.clone(),
        known: formula.ingredients.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join("`, `"),
    };
    for id in options.lots.keys() {
        formula.ingredient(id).ok_or_else(|| unknown(id))?;
    }
    for (id, amount) in &options.strengths {
        let ing = formula.ingredient(id).ok_or_else(|| unknown(id))?;
        if ing.role != Role::Active || ing.amount.dimension() != amount.dimension() {
            return Err(CalcError::NotAStrength {
                id: id.clone(),
                amount: *amount,
                kind: amount.dimension().map_or("qs", |d| d.describe()),
            });
        }
    }
    Ok(())
}

/// `P = Q × (1 + overage%)` or `Q + overage`, within the limits of any batch.
fn prepared(formula: &Formula, q: Decimal, overage: Option<Overage>) -> Result<Decimal, CalcError> {
    let basis = formula.basis();
    let (limit, text) = basis.limit();
    let p = match overage {
        None => q,
        Some(o) => o.apply(q).map_err(arith_err("batch", "the prepared quantity"))?,
    };
    if p > limit {
        return Err(CalcError::PreparedTooLarge { prepared: basis.show(p), limit: text });
    }
    Ok(p)
}

/// Solubility is checked on the concentration of the material as weighed (salt
/// equivalent), without purity or assay: above is an error, from 75% a warning.
fn check_solubility(
    family: &dyn family::Family,
    ing: &Ingredient,
    amount: &Amount,
    warnings: &mut Vec<Warning>,
) -> Result<(), CalcError> {
    let Some(sol) = ing.solubility else { return Ok(()) };
    let err = arith_err(&ing.id, "the concentration for the solubility check");
    let Some(base) = amount.to_base() else { return Ok(()) };
    let (n, d) = ing.salt_factor();
    let conc = arith::div(arith::mul(base.map_err(&err)?, n).map_err(&err)?, d).map_err(&err)?;
    let unit = family.concentration_unit();
    let (concentration, solubility) = (Quantity::new(conc, unit), Quantity::new(sol, unit));
    if conc > sol {
        return Err(CalcError::AboveSolubility { id: ing.id.clone(), concentration, solubility });
    }
    let threshold =
        arith::div(arith::mul(sol, Decimal::from(75)).map_err(&err)?, Decimal::ONE_HUNDRED).map_err(&err)?;
    if conc >= threshold {
        warnings.push(Warning {
            code: Code::NearSolubility,
            ingredient: Some(ing.id.clone()),
            message: Says::NearSolubility { id: ing.id.clone(), concentration, solubility },
            aliquot: None,
        });
    }
    Ok(())
}

/// The loader's warnings, tied to the ingredient whose table holds them.
fn formula_warnings(formula: &Formula) -> Vec<Warning> {
    formula
        .warnings
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| {
            let at = d.span.as_ref().map_or(0, |s| s.start);
            let ingredient = formula
                .ingredients
                .iter()
                .rev()
                .find(|i| i.span.start <= at)
                .filter(|_| formula.ingredients.first().is_some_and(|f| f.span.start <= at))
                .map(|i| i.id.clone());
            Warning { code: d.code, ingredient, message: Says::Text(d.message.clone()), aliquot: None }
        })
        .collect()
}
