//! IV infusions (SPEC §8.2–§8.5): one bag for one patient, dosed by weight. The dose,
//! the drug drawn from vials, the bag's true concentration and the pump rate, each
//! exact; the nominal figures of a fixed-concentration bag beside the true ones.
//!
//! With `D` the dose and `S` the stock's strength: a whole bag gets `Vd = D ÷ S` of stock
//! and runs entirely (`Vi = F`); a fixed-concentration bag gets `T = concentration × bag`,
//! `Vd = T ÷ S`, and the dose's share of it is infused (`Vi = D × F ÷ T`). The final
//! volume is `F = bag + overfill + Vd` (without `Vd` when as much is first withdrawn),
//! the true concentration `C = T ÷ F`, the rate `Vi ÷ duration`. Every figure is one
//! product over one product of the inputs, so nothing computed is rounded twice.

mod made;

use crate::calc::{Says, Step};
use crate::number::{format_mass, four_significant as sig, trail_ml as ml, trail_num};
use made::Made;

use rust_decimal::Decimal;

use super::super::amounts::stock_volume;
use super::super::batch::{
    Batch, BatchKind, Controlled, ControlledAsMeasured, Custom, Infusion, Line, Nominal, OtherBasis,
    Strength, Warning, Weight,
};
use super::super::bud::sterile_bud;
use super::super::error::arith_at;
use super::super::frac::Frac;
use super::super::{CalcError, Options, local};
use crate::arith::{self, ArithError};
use crate::codes::Code;
use crate::formula::{self, DoseRule, Formula, InfusionMethod, Ingredient, StrengthBasis};
use crate::measure::{BatchSize, Mass, Measured, Volume};
use crate::quantity::Quantity;

use crate::unit::Unit;

/// Weights under this (kg) or over [`HEAVY_KG`] are unusual enough to check (a newborn,
/// a typing slip of lb for kg).
const LIGHT_KG: i64 = 2;
/// See [`LIGHT_KG`].
const HEAVY_KG: i64 = 250;

fn mg(v: Decimal) -> String {
    format!("{} mg", sig(v))
}

/// The parts of a formula an infusion is made of.
struct Parts<'f> {
    spec: &'f formula::Infusion,
    active: &'f Ingredient,
    stock: &'f formula::Stock,
    vehicle: &'f Ingredient,
}

impl<'f> Parts<'f> {
    fn of(formula: &'f Formula) -> Result<Parts<'f>, CalcError> {
        let missing = |what| CalcError::IncompleteInfusion { formula: formula.id.clone(), what };
        let spec = formula.infusion.as_ref().ok_or_else(|| missing("it has no `[dose]` and `[infusion]`"))?;
        let active = formula.actives().next().ok_or_else(|| missing("it has no active"))?;
        let stock = active.stock.as_ref().ok_or_else(|| missing("its active has no `stock`"))?;
        let vehicle = formula.qs().ok_or_else(|| missing("it has no `qs` vehicle"))?;
        Ok(Parts { spec, active, stock, vehicle })
    }
}

/// The dose `D` of the active in its declared basis, the rule it came from, whether the
/// formula's `max` capped it, and the warnings about it.
struct Dose {
    dose: Decimal,
    rule: Option<Decimal>,
    uncapped: Option<Mass>,
    text: String,
}

fn dose(
    parts: &Parts<'_>,
    options: &Options,
    warnings: &mut Vec<Warning>,
    trail: &mut Vec<String>,
) -> Result<Dose, CalcError> {
    let e = arith_at(&parts.active.id, "the dose");
    let (rule, written) = match &options.infusion.dose {
        Some((rule, written)) => (*rule, written.to_string()),
        None => (parts.spec.dose, parts.active.amount.to_string()),
    };
    let weight = options.infusion.weight;
    if let Some(w) = weight
        && (w.kg < Decimal::from(LIGHT_KG) || w.kg > Decimal::from(HEAVY_KG))
    {
        warnings.push(Warning {
            code: Code::UnusualWeight,
            ingredient: None,
            message: Says::Text(format!(
                "a weight of {} ({} kg) is under {LIGHT_KG} kg or over {HEAVY_KG} kg: check that it is this patient's, in the right unit",
                w.given,
                trail_num(w.kg)
            )),
            aliquot: None,
        });
    }
    let (mut d, per_kg) = match rule {
        DoseRule::PerKg(r) => {
            let w = weight.ok_or_else(|| CalcError::NeedsWeight { rule: written.clone() })?;
            let d = arith::mul(r, w.kg).map_err(&e)?;
            trail.push(format!("dose: {written} × {} kg = {}", trail_num(w.kg), format_mass(d)));
            (d, Some(r))
        }
        DoseRule::Fixed(m) => {
            trail.push(format!("dose: {written} (fixed)"));
            (m.mg(), None)
        }
    };
    // The ceiling in effect: this order's `--max`, else the formula's. The formula's own
    // rule is capped at it; a custom dose above it is refused (SPEC §12.4).
    let (max, whose) = match &options.infusion.max {
        Some((m, _)) => (Some(m.mg()), "authorized"),
        None => (parts.spec.max.map(Mass::mg), "formula's"),
    };
    let custom = options.infusion.dose.as_ref().is_some_and(|(r, _)| *r != parts.spec.dose);
    let mut uncapped = None;
    if let Some(max) = max
        && d > max
    {
        if custom {
            let rule = match (rule, weight) {
                (DoseRule::PerKg(_), Some(w)) => format!("{written} × {} = {}", w.given, mg(d)),
                _ => mg(d),
            };
            return Err(CalcError::AboveMaximum { rule, whose, max: mg(max) });
        }
        warnings.push(Warning {
            code: Code::DoseCapped,
            ingredient: Some(parts.active.id.clone()),
            message: Says::Text(format!(
                "the dose of {} is above the {whose} maximum of {}: {} is given",
                mg(d),
                mg(max),
                mg(max)
            )),
            aliquot: None,
        });
        trail.push(format!("capped at the maximum: {}", format_mass(max)));
        uncapped = Some(Mass::from_mg(d));
        d = max;
    }
    Ok(Dose { dose: d, rule: per_kg, uncapped, text: written })
}

/// The stock's strength in the active's declared basis, mg/mL.
fn stock_strength(parts: &Parts<'_>) -> Result<Decimal, ArithError> {
    let (num, den) = parts.stock.per_ml;
    let (n, d) = parts.active.to_stock_basis();
    Frac::of(num).times(d).over(den).over(n).value()
}

/// The figures of the bag (SPEC §8.3 items 2–5), each exact.
struct Bag {
    /// `T`: the drug in the bag (`D` for a whole bag).
    in_bag: Decimal,
    /// `Vd`.
    vd: Decimal,
    /// `F`.
    f: Decimal,
    /// `C`.
    c: Decimal,
    /// `Vi`.
    vi: Decimal,
    /// mL/h.
    rate: Decimal,
    /// gtt/min.
    drip: Option<Decimal>,
    nominal: Option<Nominal>,
}

/// The bag of `bag` mL for the dose `d`, run over `duration` minutes, with each step in
/// `trail`.
fn bag_figures(
    parts: &Parts<'_>,
    d: &Dose,
    bag: Volume,
    duration: Decimal,
    trail: &mut Vec<String>,
) -> Result<Bag, CalcError> {
    let (spec, active) = (parts.spec, parts.active);
    let e = arith_at(&active.id, "the infusion");
    let s_value = stock_strength(parts).map_err(&e)?;
    let in_bag = match (spec.method, spec.concentration) {
        (InfusionMethod::FixedConcentration, Some(c)) => {
            let t = arith::mul(c, bag.ml()).map_err(&e)?;
            trail.push(format!(
                "drug in the bag: {} mg/mL × {} = {}",
                trail_num(c),
                ml(bag.ml()),
                format_mass(t)
            ));
            t
        }
        _ => d.dose,
    };
    let vd = drug_volume(in_bag, parts).map_err(&e)?;
    trail.push(format!("drug volume: {} ÷ {} mg/mL = {}", format_mass(in_bag), trail_num(s_value), ml(vd)));
    if !spec.replace && vd > bag.ml() {
        return Err(CalcError::DrugOverBag { drug_volume: ml(vd), bag: ml(bag.ml()) });
    }
    let before = arith::add(bag.ml(), spec.overfill.ml()).map_err(&e)?;
    let f = if spec.replace {
        if vd > before {
            return Err(CalcError::ReplaceTooMuch { drug_volume: ml(vd), bag: ml(before) });
        }
        trail.push(format!("final volume: {} (as much as the drug's volume withdrawn first)", ml(before)));
        before
    } else {
        let f = arith::add(before, vd).map_err(&e)?;
        let overfill = if spec.overfill.is_zero() {
            String::new()
        } else {
            format!(" + {} overfill", ml(spec.overfill.ml()))
        };
        trail.push(format!("final volume: {}{overfill} + {} = {}", ml(bag.ml()), ml(vd), ml(f)));
        f
    };
    let c = arith::div(in_bag, f).map_err(&e)?;
    trail.push(format!("concentration: {} ÷ {} = {} mg/mL", format_mass(in_bag), ml(f), sig(c)));
    // Vi = D ÷ C = D × F ÷ T: exact, never through the rounded concentration.
    let vi = if in_bag == d.dose { f } else { Frac::of(d.dose).times(f).over(in_bag).value().map_err(&e)? };
    if in_bag != d.dose {
        trail.push(format!(
            "volume to infuse: {} × {} ÷ {} = {}",
            format_mass(d.dose),
            ml(f),
            format_mass(in_bag),
            ml(vi)
        ));
    }
    if vi > f {
        return Err(CalcError::BagTooSmall {
            dose: mg(d.dose),
            volume_to_infuse: ml(vi),
            final_volume: ml(f),
            concentration: format!("{} mg/mL", sig(c)),
        });
    }
    let per_hour = |v: Decimal| Frac::of(v).times(Decimal::from(60)).over(duration).value();
    let rate = per_hour(vi).map_err(&e)?;
    trail.push(format!("rate: {} over {} min = {} mL/h", ml(vi), trail_num(duration), trail_num(rate)));
    let drip = match spec.drop_factor {
        Some(df) => {
            let drip = Frac::of(vi).times(df).over(duration).value().map_err(&e)?;
            trail.push(format!(
                "drip rate: {} mL/h × {} gtt/mL ÷ 60 = {} gtt/min",
                trail_num(rate),
                trail_num(df),
                trail_num(drip)
            ));
            Some(drip)
        }
        None => None,
    };
    let nominal = match (spec.method, spec.concentration) {
        (InfusionMethod::FixedConcentration, Some(nc)) => {
            let v = arith::div(d.dose, nc).map_err(&e)?;
            Some(Nominal {
                concentration: nc,
                volume_to_infuse: Volume::from_ml(v),
                rate: per_hour(v).map_err(&e)?,
            })
        }
        _ => None,
    };
    Ok(Bag { in_bag, vd, f, c, vi, rate, drip, nominal })
}

/// `v` of the active in the other basis, when the molecular weights are known.
fn other_basis(active: &Ingredient, v: Decimal) -> Result<Option<(StrengthBasis, Decimal)>, ArithError> {
    let Some((other, ratio)) = active.other_basis() else { return Ok(None) };
    Ok(Some((other, Frac::of(v).times_ratio(ratio).value()?)))
}

/// The compounding time and the zone it is in: as given, else now in the local zone. A
/// time the clocks skip on that date is refused, naming the next minute that exists; one
/// they go through twice is warned about, and the earlier instant is used (SPEC §11.2).
fn compounding_time(
    formula: &Formula,
    options: &Options,
    warnings: &mut Vec<Warning>,
) -> Result<(jiff::civil::Time, jiff::tz::TimeZone), CalcError> {
    let zone = options.infusion.zone.clone();
    let time = options.infusion.time.ok_or_else(|| CalcError::NoTime { formula: formula.id.clone() })?;
    let hhmm = crate::number::hhmm;
    let date = options.date;
    let zone_name = local::zone_name(&zone);
    match local::resolve(date, time, &zone) {
        local::Local::Once => {}
        local::Local::Twice { earlier, later } => {
            let at = |z: &jiff::ZonedDateTime| z.strftime("%H:%M %Z, UTC%:z").to_string();
            warnings.push(Warning {
                code: Code::AmbiguousTime,
                ingredient: None,
                message: Says::Text(format!(
                    "the compounding time {} occurs twice on {date} in {zone_name} (the clocks go back): the earlier, {}, is used, not {}; the beyond-use time counts from it",
                    hhmm(time),
                    at(&earlier),
                    at(&later)
                )),
                aliquot: None,
            });
        }
        local::Local::Skipped { next } => {
            return Err(CalcError::SkippedTime {
                time,
                date,
                zone: zone_name,
                next: next.time(),
                next_date: (next.date() != date).then(|| next.date()),
            });
        }
    }
    Ok((time, zone))
}

/// The worksheet's two lines: the drug drawn from its vials (on its syringe, or through
/// a dilution), and the bag.
fn lines(
    parts: &Parts<'_>,
    options: &Options,
    b: &Bag,
    made: &Made,
    bag: Volume,
    trail: &[String],
) -> Vec<Line> {
    let (active, vehicle) = (parts.active, parts.vehicle);
    let lot = |id: &str| options.lots.get(id);
    let m = &made.measurement;
    vec![
        Line {
            id: active.id.clone(),
            name: active.name.clone(),
            role: active.role,
            qs: false,
            required: Measured::Mass(Mass::from_mg(b.in_bag)),
            weigh: None,
            weigh_rounded: None,
            measure: Some(Volume::from_ml(b.vd)),
            measure_rounded: m.rounded,
            syringe: Some(m.syringe),
            dilution: m.dilution.clone(),
            as_measured: m.as_measured,
            vials: made.vials.as_ref().map(|v| v.vials),
            vendor: lot(&active.id).and_then(|l| l.vendor.clone()),
            lot: lot(&active.id).and_then(|l| l.lot.clone()),
            expiry: lot(&active.id).and_then(|l| l.expiry),
            calculation: trail.iter().cloned().map(Step::Text).collect(),
        },
        Line {
            id: vehicle.id.clone(),
            name: vehicle.name.clone(),
            role: vehicle.role,
            qs: true,
            required: Measured::Volume(bag),
            weigh: None,
            weigh_rounded: None,
            measure: None,
            measure_rounded: None,
            syringe: None,
            dilution: None,
            as_measured: None,
            vials: None,
            vendor: lot(&vehicle.id).and_then(|l| l.vendor.clone()),
            lot: lot(&vehicle.id).and_then(|l| l.lot.clone()),
            expiry: lot(&vehicle.id).and_then(|l| l.expiry),
            calculation: vec![Step::Bag { volume: bag }],
        },
    ]
}

/// The C-III record: the drug drawn from vials into the bag, and what a fixed bag holds
/// beyond the dose; beside it the same from the volume actually drawn.
fn controlled(parts: &Parts<'_>, b: &Bag, made: &Made, dose: Decimal) -> Result<Vec<Controlled>, ArithError> {
    let active = parts.active;
    let Some(schedule) = active.schedule else { return Ok(Vec::new()) };
    let p = super::super::controlled::Parts::of(active);
    let am = &made.figures;
    let m = &made.measurement;
    let from_stock = m.drawn_from_stock().map_or(Decimal::ZERO, Volume::ml);
    let withdraw = p.of_stock(from_stock)?;
    let in_bag = am.in_bag.mg();
    let fixed = parts.spec.method == InfusionMethod::FixedConcentration;
    let as_measured = ControlledAsMeasured {
        withdraw,
        in_product: p.part(in_bag, Some(am.drawn.ml()))?,
        overage_loss: None,
        dilution_remainder: match &m.dilution {
            Some(d) => Some(p.part(arith::sub(withdraw.amount.mg(), in_bag)?, Some(d.remainder.ml()))?),
            None => None,
        },
        aliquot_remainder: None,
        undelivered: if fixed {
            Some(p.part(
                arith::sub(in_bag, dose)?,
                Some(arith::sub(am.final_volume.ml(), am.volume_to_infuse.ml())?),
            )?)
        } else {
            None
        },
    };
    Ok(vec![Controlled {
        id: active.id.clone(),
        name: active.name.clone(),
        schedule,
        withdraw: Mass::from_mg(b.in_bag),
        // Drawn by volume, never read on a balance: the mass stays exact.
        withdraw_rounded: Mass::from_mg(b.in_bag.normalize()),
        in_product: Mass::from_mg(b.in_bag),
        overage_loss: None,
        aliquot_remainder: None,
        withdraw_volume: Some(Volume::from_ml(b.vd)),
        // A fixed-concentration bag holds more than the dose; a whole bag is all infused.
        undelivered: if fixed { Some(Mass::from_mg(arith::sub(b.in_bag, dose)?)) } else { None },
        as_measured,
        left_in_vials: made.vials,
        stock_basis: p.stock_basis(),
        as_weighed: false,
        basis: active.basis.unwrap_or(StrengthBasis::Salt),
    }])
}

/// Computes an infusion (SPEC §8.3, §12).
pub(crate) fn compute(formula: &Formula, options: &Options) -> Result<Batch, CalcError> {
    let parts = Parts::of(formula)?;
    let (spec, active) = (parts.spec, parts.active);
    let e = arith_at(&active.id, "the infusion");
    let mut warnings = super::super::formula_warnings(formula);
    let mut trail = Vec::new();
    let d = dose(&parts, options, &mut warnings, &mut trail)?;
    let duration = options.infusion.duration.unwrap_or(spec.duration);
    let bag = options.infusion.bag.unwrap_or(spec.bag);
    if let Some(b) = options.infusion.bag
        && spec.overfill.ml() > b.ml()
    {
        // The loader holds the formula's own bag to this (SPEC §11.2).
        return Err(CalcError::OverfillOverBag { bag: b, overfill: spec.overfill });
    }
    let b = bag_figures(&parts, &d, bag, duration, &mut trail)?;
    let weight = options.infusion.weight.map(|w| Weight { given: w.given, kg: w.kg });
    let exact = made::Exact { dose: d.dose, in_bag: b.in_bag, vd: b.vd, bag, duration };
    let made = made::made(&parts, &exact, weight, &mut warnings, &mut trail)?;
    let (time, zone) = compounding_time(formula, options, &mut warnings)?;
    let bud = sterile_bud(formula, options.date, time, &zone, &options.expiries())?;
    let (start_by, ends_after_bud) =
        made::start_by(&bud, options.date.to_datetime(time), duration, &zone, &mut warnings)?;
    let declared = active.basis.unwrap_or(StrengthBasis::Salt);
    let am = made.figures;
    let strengths = vec![Strength {
        id: active.id.clone(),
        name: active.name.clone(),
        basis: declared,
        concentration: (b.c, Unit::MG_PER_ML),
        other_basis: other_basis(active, b.c).map_err(&e)?.map(|(basis, v)| OtherBasis {
            basis,
            concentration: Quantity::new(v, Unit::MG_PER_ML),
            per_dose: None,
        }),
        per_dose: None,
        dose: None,
        label: super::super::batch::StrengthLabel::Infusion(Quantity::new(b.c, Unit::MG_PER_ML)),
        mfr: None,
        as_measured: Some((
            am.concentration,
            Unit::MG_PER_ML,
            super::super::measured::deviation(active, am.concentration, b.c)?,
        )),
    }];
    let custom = custom(&parts, options, &d, am.dose, duration, bag);
    // A step or check written out for the formula's bag, at another bag, dose or duration
    // (SPEC §7.2, §8.5): the worksheet marks it, and the JSON says so.
    if !custom.is_empty() {
        warnings.extend(super::super::reference_text(formula));
    }
    let max = options.infusion.max.as_ref().map(|(m, _)| *m).or(spec.max);
    Ok(Batch {
        date: options.date,
        batch_id: options.batch_id.clone(),
        lines: lines(&parts, options, &b, &made, bag, &trail),
        strengths,
        bud,
        controlled: controlled(&parts, &b, &made, d.dose).map_err(&e)?,
        warnings,
        readability: options.readability,
        // The bag the formula's text is written for.
        reference: Some(BatchSize::Volume(spec.bag)),
        at_reference: custom.is_empty(),
        kind: BatchKind::Infusion(Box::new(Infusion {
            weight,
            rule: d.rule,
            dose: Mass::from_mg(d.dose),
            basis: declared,
            dose_other_basis: other_basis(active, d.dose)
                .map_err(&e)?
                .map(|(basis, v)| (basis, Mass::from_mg(v))),
            uncapped: d.uncapped,
            method: spec.method,
            stock: stock_strength(&parts).map_err(&e)?,
            drug_in_bag: Mass::from_mg(b.in_bag),
            drug_volume: Volume::from_ml(b.vd),
            vial: active.stock.and_then(|s| s.vial),
            vials: made.vials.map(|v| v.vials),
            left_in_vials: made.vials.map(|v| v.left.volume.unwrap_or(Volume::ZERO)),
            bag,
            overfill: spec.overfill,
            replace: spec.replace,
            final_volume: Volume::from_ml(b.f),
            concentration: b.c,
            volume_to_infuse: Volume::from_ml(b.vi),
            duration,
            rate: b.rate,
            drop_factor: spec.drop_factor,
            drip_rate: b.drip,
            nominal: b.nominal,
            time,
            custom,
            calculation: trail.into_iter().map(Step::Text).collect(),
            as_measured: am,
            dose_rate: made.dose_rate,
            dose_per_kg: made.dose_per_kg,
            fluid_per_kg: made.fluid_per_kg,
            max: max.map(|m| Mass::from_mg(m.mg())),
            max_authorized_by: options.infusion.max.as_ref().map(|(_, by)| by.clone()),
            start_by,
            ends_after_bud,
            bag_exceeds_dose: made.bag_exceeds_dose,
        })),
    })
}

/// `Vd`: the stock volume holding `amount` (declared basis) of the active.
fn drug_volume(amount: Decimal, parts: &Parts<'_>) -> Result<Decimal, ArithError> {
    stock_volume(parts.active, parts.stock, Frac::of(amount))
}

/// What this batch changes from the formula: a dose, bag, duration or ceiling of its
/// own. A custom dose says the rule and the dose delivered (`1 mg/kg = 83.4 mg`).
fn custom(
    parts: &Parts<'_>,
    options: &Options,
    d: &Dose,
    delivered: Mass,
    duration: Decimal,
    bag: Volume,
) -> Vec<Custom> {
    let spec = parts.spec;
    let mut out = Vec::new();
    if let Some((rule, _)) = &options.infusion.dose
        && *rule != spec.dose
    {
        let delivered = mg(delivered.mg());
        let this = if d.text == delivered { delivered } else { format!("{} = {delivered}", d.text) };
        out.push(Custom { what: "dose", this, formula: parts.active.amount.to_string() });
    }
    if bag != spec.bag {
        out.push(Custom { what: "bag", this: ml(bag.ml()), formula: ml(spec.bag.ml()) });
    }
    if duration != spec.duration {
        let min = |m: Decimal| format!("{} min", trail_num(m));
        out.push(Custom { what: "duration", this: min(duration), formula: min(spec.duration) });
    }
    if let Some((max, by)) = &options.infusion.max {
        out.push(Custom {
            what: "maximum",
            this: format!("{} (authorized by {by})", mg(max.mg())),
            formula: spec.max.map_or_else(|| "no maximum".to_string(), |m| mg(m.mg())),
        });
    }
    out
}
