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
use crate::arith::ArithError;
use crate::codes::Code;
use crate::formula::{self, DoseRule, Formula, InfusionMethod, Ingredient, StrengthBasis};
use crate::measure::{
    BatchSize, BodyWeight, Concentration, DripRate, DropFactor, Duration, Mass, Measured, PerKg, Rate, Volume,
};
use crate::quantity::{Amount, Quantity};

use crate::unit::Unit;

/// Weights under this or over [`HEAVY`] are unusual enough to check (a newborn, a typing
/// slip of lb for kg).
const LIGHT: BodyWeight = BodyWeight::from_kg(Decimal::TWO);
/// See [`LIGHT`].
const HEAVY: BodyWeight = BodyWeight::from_kg(rust_decimal_macros::dec!(250));

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
    dose: Mass,
    rule: Option<PerKg>,
    uncapped: Option<Mass>,
    /// The rule as written.
    written: Amount,
}

fn dose(
    parts: &Parts<'_>,
    options: &Options,
    warnings: &mut Vec<Warning>,
    trail: &mut Vec<Step>,
) -> Result<Dose, CalcError> {
    let e = arith_at(&parts.active.id, "the dose");
    let (rule, written) = match &options.infusion.dose {
        Some((rule, written)) => (*rule, Amount::Quantity(*written)),
        None => (parts.spec.dose, parts.active.amount),
    };
    let weight = options.infusion.weight;
    if let Some(w) = weight
        && (w.kg < LIGHT || w.kg > HEAVY)
    {
        warnings.push(Warning {
            code: Code::UnusualWeight,
            ingredient: None,
            message: Says::UnusualWeight { given: w.given, kg: w.kg, light: LIGHT, heavy: HEAVY },
            aliquot: None,
        });
    }
    let (mut d, per_kg) = match rule {
        DoseRule::PerKg(r) => {
            let w = weight.ok_or(CalcError::NeedsWeight { rule: written })?;
            let r = PerKg::from_mg_per_kg(r);
            let d = w.kg.dose(r).map_err(&e)?;
            trail.push(Step::DosePerKg { rule: written, weight: w.kg, dose: d });
            (d, Some(r))
        }
        DoseRule::Fixed(m) => {
            trail.push(Step::DoseFixed { dose: written });
            (m, None)
        }
    };
    // The ceiling in effect: this order's `--max`, else the formula's. The formula's own
    // rule is capped at it; a custom dose above it is refused (SPEC §12.4).
    let (max, whose) = match &options.infusion.max {
        Some((m, _)) => (Some(*m), "authorized"),
        None => (parts.spec.max, "formula's"),
    };
    let custom = options.infusion.dose.as_ref().is_some_and(|(r, _)| *r != parts.spec.dose);
    let mut uncapped = None;
    if let Some(max) = max
        && d > max
    {
        if custom {
            let given = match (rule, weight) {
                (DoseRule::PerKg(_), Some(w)) => Some((written, w.given)),
                _ => None,
            };
            return Err(CalcError::AboveMaximum { given, dose: d, whose, max });
        }
        warnings.push(Warning {
            code: Code::DoseCapped,
            ingredient: Some(parts.active.id.clone()),
            message: Says::DoseCapped { dose: d, whose, max },
            aliquot: None,
        });
        trail.push(Step::Capped { max });
        uncapped = Some(d);
        d = max;
    }
    Ok(Dose { dose: d, rule: per_kg, uncapped, written })
}

/// The stock's strength in the active's declared basis.
fn stock_strength(parts: &Parts<'_>) -> Result<Concentration, ArithError> {
    let (num, den) = parts.stock.per_ml;
    let (n, d) = parts.active.to_stock_basis();
    Frac::of(num).times(d).over(den).over(n).value().map(Concentration::from_mg_per_ml)
}

/// The figures of the bag (SPEC §8.3 items 2–5), each exact.
struct Bag {
    /// `T`: the drug in the bag (`D` for a whole bag).
    in_bag: Mass,
    /// `Vd`.
    vd: Volume,
    /// `F`.
    f: Volume,
    /// `C`.
    c: Concentration,
    /// `Vi`.
    vi: Volume,
    rate: Rate,
    drip: Option<DripRate>,
    nominal: Option<Nominal>,
}

/// The bag of `bag` mL for the dose `d`, run over `duration`, with each step in `trail`.
fn bag_figures(
    parts: &Parts<'_>,
    d: &Dose,
    bag: Volume,
    duration: Duration,
    trail: &mut Vec<Step>,
) -> Result<Bag, CalcError> {
    let (spec, active) = (parts.spec, parts.active);
    let e = arith_at(&active.id, "the infusion");
    let stock = stock_strength(parts).map_err(&e)?;
    let in_bag = match (spec.method, spec.concentration) {
        (InfusionMethod::FixedConcentration, Some(c)) => {
            let concentration = Concentration::from_mg_per_ml(c);
            let t = concentration.times(bag).map_err(&e)?;
            trail.push(Step::DrugInBag { concentration, bag, drug: t });
            t
        }
        _ => d.dose,
    };
    let vd = drug_volume(in_bag, parts).map_err(&e)?;
    trail.push(Step::DrugVolume { drug: in_bag, stock, volume: vd });
    if !spec.replace && vd > bag {
        return Err(CalcError::DrugOverBag { drug_volume: vd, bag });
    }
    let before = bag.plus(spec.overfill).map_err(&e)?;
    let f = if spec.replace {
        if vd > before {
            return Err(CalcError::ReplaceTooMuch { drug_volume: vd, bag: before });
        }
        trail.push(Step::FinalVolumeReplaced { result: before });
        before
    } else {
        let f = before.plus(vd).map_err(&e)?;
        trail.push(Step::FinalVolume { bag, overfill: spec.overfill, drug: vd, result: f });
        f
    };
    let c = in_bag.per_volume(f).map_err(&e)?;
    trail.push(Step::Concentration { drug: in_bag, final_volume: f, result: c });
    // Vi = D ÷ C = D × F ÷ T: exact, never through the rounded concentration.
    let vi = if in_bag == d.dose { f } else { d.dose.share_of(f, in_bag).map_err(&e)? };
    if in_bag != d.dose {
        trail.push(Step::VolumeToInfuse { dose: d.dose, final_volume: f, drug: in_bag, result: vi });
    }
    fits(d.dose, vi, f, c)?;
    let rate = Rate::of(vi, duration).map_err(&e)?;
    trail.push(Step::Rate { volume: vi, duration, result: rate });
    let drip = match spec.drop_factor.map(DropFactor::from_gtt_per_ml) {
        Some(drop_factor) => {
            let drip = DripRate::of(vi, drop_factor, duration).map_err(&e)?;
            trail.push(Step::DripRate { rate, drop_factor, result: drip });
            Some(drip)
        }
        None => None,
    };
    let nominal = match (spec.method, spec.concentration) {
        (InfusionMethod::FixedConcentration, Some(nc)) => {
            let concentration = Concentration::from_mg_per_ml(nc);
            let v = d.dose.at(concentration).map_err(&e)?;
            Some(Nominal { concentration, volume_to_infuse: v, rate: Rate::of(v, duration).map_err(&e)? })
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
    let date = options.date;
    let zone_name = local::zone_name(&zone);
    match local::resolve(date, time, &zone) {
        local::Local::Once => {}
        local::Local::Twice { earlier, later } => {
            warnings.push(Warning {
                code: Code::AmbiguousTime,
                ingredient: None,
                message: Says::AmbiguousTime { time, date, zone: zone_name, earlier, later },
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
    trail: &[Step],
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
            required: Measured::Mass(b.in_bag),
            weigh: None,
            weigh_rounded: None,
            measure: Some(b.vd),
            measure_rounded: m.rounded,
            syringe: Some(m.syringe),
            dilution: m.dilution.clone(),
            as_measured: m.as_measured,
            vials: made.vials.as_ref().map(|v| v.vials),
            vendor: lot(&active.id).and_then(|l| l.vendor.clone()),
            lot: lot(&active.id).and_then(|l| l.lot.clone()),
            expiry: lot(&active.id).and_then(|l| l.expiry),
            calculation: trail.to_vec(),
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
fn controlled(parts: &Parts<'_>, b: &Bag, made: &Made, dose: Mass) -> Result<Vec<Controlled>, ArithError> {
    let active = parts.active;
    let Some(schedule) = active.schedule else { return Ok(Vec::new()) };
    let p = super::super::controlled::Parts::of(active);
    let am = &made.figures;
    let m = &made.measurement;
    let from_stock = m.drawn_from_stock().unwrap_or(Volume::ZERO);
    let withdraw = p.of_stock(from_stock)?;
    let fixed = parts.spec.method == InfusionMethod::FixedConcentration;
    let as_measured = ControlledAsMeasured {
        withdraw,
        in_product: p.part(am.in_bag, Some(am.drawn))?,
        overage_loss: None,
        dilution_remainder: match &m.dilution {
            Some(d) => Some(p.part(withdraw.amount.minus(am.in_bag)?, Some(d.remainder))?),
            None => None,
        },
        aliquot_remainder: None,
        undelivered: if fixed {
            Some(p.part(am.in_bag.minus(dose)?, Some(am.final_volume.minus(am.volume_to_infuse)?))?)
        } else {
            None
        },
    };
    Ok(vec![Controlled {
        id: active.id.clone(),
        name: active.name.clone(),
        schedule,
        withdraw: b.in_bag,
        // Drawn by volume, never read on a balance: the mass stays exact.
        withdraw_rounded: Mass::from_mg(b.in_bag.mg().normalize()),
        in_product: b.in_bag,
        overage_loss: None,
        aliquot_remainder: None,
        withdraw_volume: Some(b.vd),
        // A fixed-concentration bag holds more than the dose; a whole bag is all infused.
        undelivered: if fixed { Some(b.in_bag.minus(dose)?) } else { None },
        as_measured,
        left_in_vials: made.vials,
        stock_basis: p.stock_basis(),
        as_weighed: false,
        basis: active.basis.unwrap_or(StrengthBasis::Salt),
    }])
}

/// The volume to infuse for `dose` fits in the bag's `final_volume` at `concentration`,
/// as ordered and as made alike.
fn fits(
    dose: Mass,
    volume_to_infuse: Volume,
    final_volume: Volume,
    concentration: Concentration,
) -> Result<(), CalcError> {
    if volume_to_infuse > final_volume {
        return Err(CalcError::BagTooSmall { dose, volume_to_infuse, final_volume, concentration });
    }
    Ok(())
}

/// Computes an infusion (SPEC §8.3, §12).
pub(crate) fn compute(formula: &Formula, options: &Options) -> Result<Batch, CalcError> {
    let parts = Parts::of(formula)?;
    let (spec, active) = (parts.spec, parts.active);
    let e = arith_at(&active.id, "the infusion");
    let mut warnings = super::super::formula_warnings(formula);
    let mut trail = Vec::new();
    let d = dose(&parts, options, &mut warnings, &mut trail)?;
    let duration = options.infusion.duration.unwrap_or(Duration::from_minutes(spec.duration));
    let bag = options.infusion.bag.unwrap_or(spec.bag);
    if let Some(b) = options.infusion.bag
        && spec.overfill.ml() > b.ml()
    {
        // The loader holds the formula's own bag to this (SPEC §11.2).
        return Err(CalcError::OverfillOverBag { bag: b, overfill: spec.overfill });
    }
    let b = bag_figures(&parts, &d, bag, duration, &mut trail)?;
    let weight: Option<Weight> = options.infusion.weight;
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
        concentration: Quantity::new(b.c.mg_per_ml(), Unit::MG_PER_ML),
        other_basis: other_basis(active, b.c.mg_per_ml()).map_err(&e)?.map(|(basis, v)| OtherBasis {
            basis,
            concentration: Quantity::new(v, Unit::MG_PER_ML),
            per_dose: None,
        }),
        per_dose: None,
        dose: None,
        label: super::super::batch::StrengthLabel::Infusion(b.c),
        mfr: None,
        as_measured: Some((
            Quantity::new(am.concentration.mg_per_ml(), Unit::MG_PER_ML),
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
            dose: d.dose,
            basis: declared,
            dose_other_basis: other_basis(active, d.dose.mg())
                .map_err(&e)?
                .map(|(basis, v)| (basis, Mass::from_mg(v))),
            uncapped: d.uncapped,
            method: spec.method,
            stock: stock_strength(&parts).map_err(&e)?,
            drug_in_bag: b.in_bag,
            drug_volume: b.vd,
            vial: active.stock.and_then(|s| s.vial),
            vials: made.vials.map(|v| v.vials),
            left_in_vials: made.vials.map(|v| v.left.volume.unwrap_or(Volume::ZERO)),
            bag,
            overfill: spec.overfill,
            replace: spec.replace,
            final_volume: b.f,
            concentration: b.c,
            volume_to_infuse: b.vi,
            duration,
            rate: b.rate,
            drop_factor: spec.drop_factor.map(DropFactor::from_gtt_per_ml),
            drip_rate: b.drip,
            nominal: b.nominal,
            time,
            custom,
            calculation: trail,
            as_measured: am,
            dose_rate: made.dose_rate,
            dose_per_kg: made.dose_per_kg,
            fluid_per_kg: made.fluid_per_kg,
            max,
            max_authorized_by: options.infusion.max.as_ref().map(|(_, by)| by.clone()),
            start_by,
            ends_after_bud,
            bag_exceeds_dose: made.bag_exceeds_dose,
        })),
    })
}

/// `Vd`: the stock volume holding `amount` (declared basis) of the active.
fn drug_volume(amount: Mass, parts: &Parts<'_>) -> Result<Volume, ArithError> {
    stock_volume(parts.active, parts.stock, Frac::of(amount.mg())).map(Volume::from_ml)
}

/// What this batch changes from the formula: a dose, bag, duration or ceiling of its
/// own. A custom dose says the rule and the dose delivered (`1 mg/kg = 83.4 mg`).
fn custom(
    parts: &Parts<'_>,
    options: &Options,
    d: &Dose,
    delivered: Mass,
    duration: Duration,
    bag: Volume,
) -> Vec<Custom> {
    let spec = parts.spec;
    let mut out = Vec::new();
    if let Some((rule, _)) = &options.infusion.dose
        && *rule != spec.dose
    {
        out.push(Custom::Dose { given: d.written, delivered, formula: parts.active.amount });
    }
    if bag != spec.bag {
        out.push(Custom::Bag { this: bag, formula: spec.bag });
    }
    let formula_duration = Duration::from_minutes(spec.duration);
    if duration != formula_duration {
        out.push(Custom::Duration { this: duration, formula: formula_duration });
    }
    if let Some((max, by)) = &options.infusion.max {
        out.push(Custom::Maximum { this: *max, by: by.clone(), formula: spec.max });
    }
    out
}

#[cfg(test)]
mod tests {
    use jiff::civil::{date, time};
    use rust_decimal_macros::dec;

    use super::{CalcError, HEAVY, LIGHT, Says};
    use crate::measure::{BodyWeight, Concentration, Duration, FluidPerKg, Mass, Rate, Volume};
    use crate::quantity::{Amount, Quantity};

    #[test]
    fn the_infusion_warnings_name_their_figures() {
        let lb = Quantity::parse("1 lb").unwrap();
        let weight = Says::UnusualWeight {
            given: lb,
            kg: BodyWeight::from_kg(dec!(0.45359237)),
            light: LIGHT,
            heavy: HEAVY,
        };
        assert_eq!(
            weight.to_string(),
            "a weight of 1 lb (≈0.453592 kg) is under 2 kg or over 250 kg: check that it is this patient's, in the right unit"
        );
        let capped = Says::DoseCapped {
            dose: Mass::from_mg(dec!(60)),
            whose: "formula's",
            max: Mass::from_mg(dec!(50)),
        };
        assert_eq!(
            capped.to_string(),
            "the dose of 60 mg is above the formula's maximum of 50 mg: 50 mg is given"
        );
        let mut fluid = Says::FluidLoad {
            volume: Volume::from_ml(dec!(250.5)),
            weight: Quantity::parse("20 kg").unwrap(),
            per_kg: FluidPerKg::from_ml_per_kg(dec!(12.525)),
            limit: FluidPerKg::from_ml_per_kg(dec!(10)),
            option: None,
        };
        let words = "250.5 mL into a patient of 20 kg is 12.53 mL/kg, above 10 mL/kg: check the fluid allowance, or use a smaller bag";
        assert_eq!(fluid.to_string(), words);
        if let Says::FluidLoad { option, .. } = &mut fluid {
            *option = Some("--bag");
        }
        assert_eq!(fluid.to_string(), format!("{words} (`--bag`)"));
        let exceeds = Says::BagExceedsDose {
            holds: Mass::from_mg(dec!(250)),
            dose: Mass::from_mg(dec!(35)),
            volume_to_infuse: Volume::from_ml(dec!(35.7001)),
        };
        assert_eq!(
            exceeds.to_string(),
            "the bag holds 250 mg; the dose is 35 mg: infuse only 35.7 mL (VTBI), with an infusion pump"
        );
        let day = date(2026, 3, 1);
        let late = Says::EndsAfterBud {
            duration: Duration::from_minutes(dec!(90)),
            start: day.at(23, 0, 0, 0),
            finish: date(2026, 3, 2).at(0, 30, 0, 0),
            bud: date(2026, 3, 2).at(0, 0, 0, 0),
        };
        assert!(late.to_string().starts_with(
            "an infusion of 90 min started at compounding (2026-03-01 23:00) ends at 2026-03-02 00:30, after the beyond-use time 2026-03-02 00:00:"
        ));
        let zone = jiff::tz::TimeZone::get("America/New_York").unwrap();
        let super::local::Local::Twice { earlier, later } =
            super::local::resolve(date(2026, 11, 1), time(1, 30, 0, 0), &zone)
        else {
            panic!("01:30 on 2026-11-01 is not twice in New York");
        };
        let twice = Says::AmbiguousTime {
            time: time(1, 30, 0, 0),
            date: date(2026, 11, 1),
            zone: "America/New_York".into(),
            earlier,
            later,
        };
        assert_eq!(
            twice.to_string(),
            "the compounding time 01:30 occurs twice on 2026-11-01 in America/New_York (the clocks go back): the earlier, 01:30 EDT, UTC-04:00, is used, not 01:30 EST, UTC-05:00; the beyond-use time counts from it"
        );
    }

    #[test]
    fn the_infusion_errors_word_their_figures() {
        let e = CalcError::BelowPumpResolution {
            dose: Mass::from_mg(dec!(0.01)),
            volume_to_infuse: Volume::from_ml(dec!(0.004)),
            rate: Rate::from_ml_per_h(dec!(0.006)),
        };
        assert!(
            e.to_string()
                .starts_with("the dose of 0.01 mg is 0.004 mL of this bag at 0.006 mL/h, which rounds to 0")
        );
        let e = CalcError::BagTooSmall {
            dose: Mass::from_mg(dec!(300)),
            volume_to_infuse: Volume::from_ml(dec!(300)),
            final_volume: Volume::from_ml(dec!(255)),
            concentration: Concentration::from_mg_per_ml(dec!(250) / dec!(255)),
        };
        assert_eq!(
            e.to_string(),
            "the dose of 300 mg is 300 mL of this bag, more than the 255 mL it holds (at 0.9804 mg/mL)"
        );
        let rule = Amount::Quantity(Quantity::parse("2 mg/kg").unwrap());
        let e = CalcError::AboveMaximum {
            given: Some((rule, Quantity::parse("154 lb").unwrap())),
            dose: Mass::from_mg(dec!(139.7)),
            whose: "formula's",
            max: Mass::from_mg(dec!(100)),
        };
        assert_eq!(
            e.to_string(),
            "the dose ordered, 2 mg/kg × 154 lb = 139.7 mg, is above the formula's maximum of 100 mg: the order exceeds the ceiling"
        );
        let e = CalcError::DrugOverBag {
            drug_volume: Volume::from_ml(dec!(120)),
            bag: Volume::from_ml(dec!(100)),
        };
        assert!(
            e.to_string().starts_with("the drug's volume of 120 mL is more than the bag's nominal 100 mL")
        );
        assert_eq!(
            CalcError::NeedsWeight { rule }.to_string().split(':').next(),
            Some("the dose `2 mg/kg` is per kilogram")
        );
    }
}
