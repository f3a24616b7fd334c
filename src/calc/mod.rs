//! The batch engine (SPEC §3): from a formula and options to every number on the
//! worksheet. No I/O; every operation on a user-derived number is checked.

mod amounts;
mod batch;
mod bud;
mod error;
mod frac;
mod options;
mod strength;

use rust_decimal::Decimal;

pub use batch::{AliquotPlan, Batch, Bud, BudRule, Controlled, Line, Measured, Qs, Strength, Warning};
pub use bud::{beyond_use_date, rule as bud_rule};
pub use error::CalcError;
pub use options::{
    Lot, MAX_MASS_MG, MAX_MIN_WEIGHT_MG, MAX_READABILITY_MG, MAX_UNITS, MAX_VOLUME_ML, MIN_READABILITY_MG,
    Options, parse_assay, parse_date, parse_lod, parse_mass, parse_min_weight, parse_overage, parse_quantity,
    parse_readability, parse_strength, parse_text, repeated, split_pair, today,
};

use crate::arith;
use crate::formula::{Basis, Displacement, Formula, Ingredient, Overage, Role, Severity};
use crate::quantity::{Amount, format_mass, plain};
use crate::rounding::RoundingPolicy;
use amounts::{Amounts, Corrections, Scale};
use error::arith_at as arith_err;
use frac::trail_num;

/// Minimum weight = 820 × readability: USP <41> repeatability, 2000 × 0.41 d.
const MIN_WEIGHT_PER_READABILITY: i64 = 820;

/// Volumes to measure are rounded to 0.01 mL.
pub const VOLUME_STEP_ML: Decimal = RoundingPolicy::VOLUME_ML.step();

/// Computes a batch of `formula` with `options`.
pub fn compute(formula: &Formula, options: &Options) -> Result<Batch, CalcError> {
    check_ids(formula, options)?;
    let amounts_by_id = custom_strengths(formula, options)?;
    let amount_of = |ing: &Ingredient| -> Amount {
        amounts_by_id.iter().rev().find(|(id, _)| *id == ing.id).map_or(ing.amount, |(_, a)| *a)
    };

    let quantity = options
        .quantity
        .or(formula.batch_quantity)
        .ok_or_else(|| CalcError::NoQuantity { formula: formula.id.clone() })?;
    let (prepared, prepared_calculation) = prepared(formula, quantity, options.overage.or(formula.overage))?;
    let scale = Scale { basis: formula.basis(), prepared, reference: formula.batch_quantity };

    let readability = RoundingPolicy::new(options.readability).ok_or_else(|| CalcError::OptionValue {
        option: "--readability",
        value: options.readability.to_string(),
        reason: "it must be above zero".to_string(),
    })?;
    let volume_policy = RoundingPolicy::VOLUME_ML;
    let min_weight = match options.min_weight {
        Some(m) => m,
        None => arith::mul(options.readability, Decimal::from(MIN_WEIGHT_PER_READABILITY))
            .map_err(arith_err("batch", "the minimum weight"))?,
    };

    let mut warnings = formula_warnings(formula);
    let mut lines = Vec::with_capacity(formula.ingredients.len());
    let mut computed: Vec<(&Ingredient, Amounts)> = Vec::new();
    for ing in formula.ingredients.iter().filter(|i| !i.is_qs()) {
        let lot = options.lots.get(&ing.id);
        let corrections = Corrections { assay: lot.and_then(|l| l.assay), lod: lot.and_then(|l| l.lod) };
        let a = amounts::amounts(ing, &amount_of(ing), &scale, &corrections)?;
        check_solubility(ing, &amount_of(ing), formula, &mut warnings)?;
        computed.push((ing, a));
    }
    let qs_ing = formula.qs().ok_or_else(|| CalcError::NoQuantity { formula: formula.id.clone() })?;
    let (qs, qs_line_amounts, unit_weight) = qs(formula, qs_ing, &scale, &computed)?;

    for ing in &formula.ingredients {
        let lot = options.lots.get(&ing.id);
        let a = if ing.is_qs() {
            &qs_line_amounts
        } else {
            match computed.iter().find(|(i, _)| i.id == ing.id) {
                Some((_, a)) => a,
                None => continue,
            }
        };
        let round = |v: Option<Decimal>, p: &RoundingPolicy, step| -> Result<Option<Decimal>, CalcError> {
            v.map(|v| p.round(v).map_err(arith_err(&ing.id, step))).transpose()
        };
        lines.push(Line {
            id: ing.id.clone(),
            name: ing.name.clone(),
            role: ing.role,
            qs: ing.is_qs(),
            required: a.required,
            weigh: a.weigh,
            weigh_rounded: round(a.weigh, &readability, "the rounded weight")?,
            measure: a.measure,
            measure_rounded: round(a.measure, &volume_policy, "the rounded volume")?,
            lot: lot.and_then(|l| l.lot.clone()),
            expiry: lot.and_then(|l| l.expiry),
            calculation: a.trail.clone(),
        });
    }

    for line in lines.iter().filter(|l| !l.qs && l.measure.is_none()) {
        if let Some(w) = line.weigh
            && w > Decimal::ZERO
            && w < min_weight
        {
            warnings.push(aliquot_warning(line, w, min_weight, &qs_ing.name)?);
        }
    }

    for line in lines.iter().filter(|l| !l.qs) {
        if let (Some(exact), Some(rounded)) = (line.measure, line.measure_rounded)
            && exact > Decimal::ZERO
            && rounded.is_zero()
        {
            let mass = line.weigh.map(|w| format!(" (it weighs {})", format_mass(w))).unwrap_or_default();
            warnings.push(Warning {
                code: "below-measurable-volume".to_string(),
                ingredient: Some(line.id.clone()),
                message: format!(
                    "`{}`: {} mL rounds to 0.00 mL and cannot be measured; weigh it instead{mass}, or measure a dilution",
                    line.id,
                    trail_num(exact)
                ),
                aliquot: None,
            });
        }
    }

    let strengths = strength::strengths(formula, &amount_of)?;
    let (doses, doses_calculation) = strength::doses(formula, quantity)?;
    let expiries: Vec<(String, jiff::civil::Date)> =
        options.lots.iter().filter_map(|(id, l)| l.expiry.map(|e| (id.clone(), e))).collect();
    let bud = beyond_use_date(formula, options.date, &expiries)?;

    let mut controlled = Vec::new();
    for ing in formula.ingredients.iter() {
        let (Some(schedule), Some(line)) = (ing.schedule, lines.iter().find(|l| l.id == ing.id)) else {
            continue;
        };
        if let (Some(w), Some(r)) = (line.weigh, line.weigh_rounded) {
            controlled.push(Controlled {
                id: ing.id.clone(),
                name: ing.name.clone(),
                schedule,
                withdraw: w,
                withdraw_rounded: r,
            });
        }
    }

    Ok(Batch {
        date: options.date,
        batch_id: options.batch_id.clone(),
        quantity,
        prepared,
        prepared_calculation,
        lines,
        qs,
        unit_weight,
        strengths,
        doses,
        doses_calculation,
        bud,
        controlled,
        warnings,
        readability: options.readability,
        min_weight,
    })
}

fn ticked(ids: impl Iterator<Item = String>) -> String {
    ids.map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

/// Every ingredient named on the command line must exist in the formula.
fn check_ids(formula: &Formula, options: &Options) -> Result<(), CalcError> {
    for (id, lot) in &options.lots {
        if formula.ingredient(id).is_none() {
            let option = if lot.assay.is_some() {
                "--assay"
            } else if lot.lod.is_some() {
                "--lod"
            } else if lot.lot.is_some() {
                "--lot"
            } else {
                "--expiry"
            };
            return Err(unknown(formula, option, id));
        }
    }
    Ok(())
}

fn unknown(formula: &Formula, option: &'static str, id: &str) -> CalcError {
    CalcError::UnknownIngredient {
        option,
        id: id.to_string(),
        formula: formula.id.clone(),
        known: ticked(formula.ingredients.iter().map(|i| i.id.clone())),
    }
}

/// Resolves `--strength` options to (active id, new amount).
fn custom_strengths(formula: &Formula, options: &Options) -> Result<Vec<(String, Amount)>, CalcError> {
    let mut out: Vec<(String, Amount)> = Vec::new();
    // As given, by active: a second strength for one active is refused, `ID=` or not.
    let mut given: Vec<(String, String)> = Vec::new();
    for (id, amount) in &options.strengths {
        let target = match id {
            Some(id) => {
                let ing = formula.ingredient(id).ok_or_else(|| unknown(formula, "--strength", id))?;
                if ing.role != Role::Active {
                    return Err(CalcError::OptionValue {
                        option: "--strength",
                        value: format!("{id}={amount}"),
                        reason: format!("`{id}` is not an active; only an active's strength can be changed"),
                    });
                }
                ing
            }
            None => {
                let actives: Vec<&Ingredient> = formula.actives().collect();
                match actives.as_slice() {
                    [one] => *one,
                    _ => {
                        return Err(CalcError::StrengthNeedsId {
                            formula: formula.id.clone(),
                            actives: ticked(actives.iter().map(|i| i.id.clone())),
                        });
                    }
                }
            }
        };
        if amount.dimension() != target.amount.dimension() {
            return Err(CalcError::OptionValue {
                option: "--strength",
                value: amount.to_string(),
                reason: format!(
                    "it is {}, but `{}` is written as {} (`{}`); give a strength of the same kind",
                    amount.dimension().map_or("qs", |d| d.describe()),
                    target.id,
                    target.amount.dimension().map_or("qs", |d| d.describe()),
                    target.amount
                ),
            });
        }
        let this = id.as_ref().map_or_else(|| amount.to_string(), |id| format!("{id}={amount}"));
        if let Some((_, first)) = given.iter().find(|(t, _)| *t == target.id) {
            return Err(repeated("--strength", &target.id, first, &this));
        }
        given.push((target.id.clone(), this));
        out.push((target.id.clone(), *amount));
    }
    Ok(out)
}

/// `P = Q × (1 + overage%)` or `Q + overage`.
fn prepared(formula: &Formula, q: Decimal, overage: Option<Overage>) -> Result<(Decimal, String), CalcError> {
    let show = |v: Decimal| match formula.basis() {
        Basis::Volume => format!("{} mL", plain(v)),
        Basis::Mass => format_mass(v),
        Basis::Molded => format!("{} units", plain(v)),
    };
    let err = arith_err("batch", "the prepared quantity");
    match overage {
        None => Ok((q, format!("{} (no overage)", show(q)))),
        Some(Overage::Percent(p)) => {
            let p_total = arith::div(
                arith::mul(q, arith::add(Decimal::ONE_HUNDRED, p.0).map_err(&err)?).map_err(&err)?,
                Decimal::ONE_HUNDRED,
            )
            .map_err(&err)?;
            Ok((p_total, format!("{} × (100% + {p}) = {}", show(q), show(p_total))))
        }
        Some(Overage::Amount(a)) => {
            let p_total = arith::add(q, a).map_err(&err)?;
            Ok((p_total, format!("{} + {} overage = {}", show(q), show(a), show(p_total))))
        }
    }
}

/// The qs, its line, and the theoretical unit weight of molded forms.
fn qs(
    formula: &Formula,
    qs_ing: &Ingredient,
    scale: &Scale,
    computed: &[(&Ingredient, Amounts)],
) -> Result<(Qs, Amounts, Option<Decimal>), CalcError> {
    let err = arith_err(&qs_ing.id, "the qs");
    let p = scale.prepared;
    let over = |what: &'static str,
                total: Decimal,
                capacity: Decimal,
                show: &dyn Fn(Decimal) -> String|
     -> Result<(), CalcError> {
        if total >= capacity {
            let by = arith::sub(total, capacity).map_err(arith_err(&qs_ing.id, "the qs"))?;
            return Err(CalcError::OverCapacity {
                what,
                total: show(total),
                capacity: show(capacity),
                over: show(by),
                qs: qs_ing.id.clone(),
                negative: if by.is_zero() { "zero" } else { "negative" },
            });
        }
        Ok(())
    };
    match formula.basis() {
        Basis::Volume => {
            let volumes = arith::sum(computed.iter().filter_map(|(_, a)| {
                a.measure.or(match a.required {
                    Measured::Volume(v) => Some(v),
                    Measured::Mass(_) => None,
                })
            }))
            .map_err(&err)?;
            let show_ml = |v: Decimal| format!("{} mL", trail_num(v));
            over("the volume-measured ingredients", volumes, p, &show_ml)?;
            let trail = vec![format!("qs to {}", show_ml(p))];
            let q = Qs { id: qs_ing.id.clone(), to: Some(p), weigh: None };
            Ok((q, Amounts { required: Measured::Volume(p), weigh: None, measure: None, trail }, None))
        }
        Basis::Mass => {
            let others = arith::sum(computed.iter().filter_map(|(_, a)| a.weigh)).map_err(&err)?;
            over("the other ingredients", others, p, &format_mass)?;
            let base = arith::sub(p, others).map_err(&err)?;
            let trail = vec![format!(
                "{} − {} (other ingredients) = {}",
                format_mass(p),
                format_mass(others),
                format_mass(base)
            )];
            let q = Qs { id: qs_ing.id.clone(), to: None, weigh: Some(base) };
            Ok((q, Amounts { required: Measured::Mass(base), weigh: Some(base), measure: None, trail }, None))
        }
        Basis::Molded => {
            let blank = formula.blank_weight.unwrap_or(Decimal::ZERO);
            let total = arith::mul(p, blank).map_err(&err)?;
            let mut displaced = Decimal::ZERO;
            let mut weighed = Decimal::ZERO;
            let mut parts = Vec::new();
            for (ing, a) in computed {
                let w = a.weigh.unwrap_or(Decimal::ZERO);
                weighed = arith::add(weighed, w).map_err(&err)?;
                let (d, how) = match ing.displacement {
                    Displacement::Factor(f) => (arith::mul(w, f), format!("× {}", plain(f))),
                    Displacement::DensityFactor(df) => {
                        (arith::div(w, df), format!("÷ {} (density factor)", plain(df)))
                    }
                    Displacement::AssumedOneToOne => (Ok(w), "× 1 (assumed)".to_string()),
                };
                displaced = arith::add(displaced, d.map_err(&err)?).map_err(&err)?;
                parts.push(format!("{} {how}", format_mass(w)));
            }
            over("the other ingredients (by displacement)", displaced, total, &format_mass)?;
            let base = arith::sub(total, displaced).map_err(&err)?;
            let unit_weight = arith::div(arith::add(base, weighed).map_err(&err)?, p).map_err(&err)?;
            let trail = vec![
                format!("{} units × {} (blank) = {}", trail_num(p), format_mass(blank), format_mass(total)),
                format!("− displacement ({}) = − {}", parts.join(" + "), format_mass(displaced)),
                format!("= {} base", format_mass(base)),
                format!(
                    "unit weight ({} + {}) ÷ {} = {}",
                    format_mass(base),
                    format_mass(weighed),
                    trail_num(p),
                    format_mass(unit_weight)
                ),
            ];
            let q = Qs { id: qs_ing.id.clone(), to: None, weigh: Some(base) };
            Ok((
                q,
                Amounts { required: Measured::Mass(base), weigh: Some(base), measure: None, trail },
                Some(unit_weight),
            ))
        }
    }
}

/// Solubility is checked on the concentration of the material as weighed (salt
/// equivalent), without purity or assay: above is an error, from 75% a warning.
fn check_solubility(
    ing: &Ingredient,
    amount: &Amount,
    formula: &Formula,
    warnings: &mut Vec<Warning>,
) -> Result<(), CalcError> {
    let Some(sol) = ing.solubility else { return Ok(()) };
    let err = arith_err(&ing.id, "the concentration for the solubility check");
    let Some(base) = amount.to_base() else { return Ok(()) };
    let (n, d) = ing.salt_factor();
    let conc = arith::div(arith::mul(base.map_err(&err)?, n).map_err(&err)?, d).map_err(&err)?;
    let unit = match formula.basis() {
        Basis::Mass => "mg/g",
        _ => "mg/mL",
    };
    let show = |v: Decimal| format!("{} {unit}", trail_num(v));
    if conc > sol {
        return Err(CalcError::AboveSolubility {
            id: ing.id.clone(),
            concentration: show(conc),
            solubility: show(sol),
        });
    }
    let threshold =
        arith::div(arith::mul(sol, Decimal::from(75)).map_err(&err)?, Decimal::ONE_HUNDRED).map_err(&err)?;
    if conc >= threshold {
        warnings.push(Warning {
            code: "near-solubility".to_string(),
            ingredient: Some(ing.id.clone()),
            message: format!(
                "`{}` at {} (as weighed) is at or above 75% of its solubility of {}: watch for crystals, especially when refrigerated",
                ing.id,
                show(conc),
                show(sol)
            ),
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
            Warning { code: d.code.to_string(), ingredient, message: d.message.clone(), aliquot: None }
        })
        .collect()
}

/// SPEC §3.9: `m = ceil(minimum ÷ needed)`; weigh `needed × m`; dilute to `m × minimum`;
/// take `minimum`.
fn aliquot_warning(
    line: &Line,
    needed: Decimal,
    minimum: Decimal,
    diluent: &str,
) -> Result<Warning, CalcError> {
    let err = arith_err(&line.id, "the aliquot plan");
    let factor = arith::div(minimum, needed).map_err(&err)?.ceil();
    let weigh = arith::mul(needed, factor).map_err(&err)?;
    let total = arith::mul(minimum, factor).map_err(&err)?;
    let plan = AliquotPlan { needed, factor, weigh, total, take: minimum, diluent: diluent.to_string() };
    let message = format!(
        "`{}`: {} is below the balance's minimum weight of {}; weigh {} ({} × {}), make up to {} with {}, mix well, and take {}, which holds {}",
        line.id,
        format_mass(needed),
        format_mass(minimum),
        format_mass(weigh),
        format_mass(needed),
        plain(factor),
        format_mass(total),
        diluent,
        format_mass(minimum),
        format_mass(needed),
    );
    Ok(Warning {
        code: "below-minimum-weight".to_string(),
        ingredient: Some(line.id.clone()),
        message,
        aliquot: Some(plan),
    })
}
