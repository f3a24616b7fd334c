//! How numbers are written for people, in one place (SPEC §3.8, §5, §8.3): exact values
//! normalized (`1.05 g`), values rounded to a step with the step's places (`1.0500 g`),
//! figures for reading rounded once by the one rule and marked `≈` when that changed
//! them, an infusion's figures to their display rules (4 significant figures, volumes to
//! 0.01 mL, rates to 0.1 mL/h), and deviations with their sign. The JSON output, the
//! worksheets, the labels, the calculation trail and the messages all format through
//! these functions, so that a figure reads the same wherever it is printed.
//!
//! Nothing here rounds a value that is computed with: a value is rounded for reading
//! only, and the exact one stays in the batch.

use rust_decimal::Decimal;

use crate::arith::{self, ArithResult};
use crate::measure::{BatchSize, Count, Mass, Measured, Volume};
use crate::rounding::RoundingPolicy;
use crate::unit::Unit;

/// A mass in mg as it is reported: in `mg` below 1 g and in `g` otherwise (SPEC §5).
pub fn mass_for_display(mg: Decimal) -> ArithResult {
    if mg.abs() >= Decimal::ONE_THOUSAND { arith::div(mg, Decimal::ONE_THOUSAND) } else { Ok(mg) }
}

/// The unit [`mass_for_display`] chose for `mg`.
pub fn mass_unit_for_display(mg: Decimal) -> Unit {
    if mg.abs() >= Decimal::ONE_THOUSAND { Unit::G } else { Unit::MG }
}

/// Divides by 1000 by moving the decimal point, so that no digit is lost or added
/// (`1050.0` → `1.0500`); `None` when the scale would pass the 28 places a decimal holds.
pub fn shift3(v: Decimal) -> Option<Decimal> {
    let mut out = v;
    out.set_scale(v.scale().saturating_add(3)).ok()?;
    Some(out)
}

/// A mass in mg in the unit [`mass_unit_for_display`] chooses, converted by moving the
/// decimal point so that it keeps its decimal places; `None` when [`shift3`] cannot.
pub fn mass_in_display_unit(mg: Decimal) -> Option<(Decimal, Unit)> {
    let unit = mass_unit_for_display(mg);
    if unit == Unit::G { shift3(mg).map(|g| (g, unit)) } else { Some((mg, unit)) }
}

/// Formats a number for people: normalized (no trailing zeros), plain digits.
pub fn plain(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Formats a mass in mg for people, e.g. `1.05 g` or `82 mg`, with at most six
/// decimals (marked `≈` when rounded for reading).
pub fn format_mass(mg: Decimal) -> String {
    match mass_for_display(mg) {
        Ok(v) => format!("{} {}", for_reading(v, 6), mass_unit_for_display(mg)),
        Err(_) => format!("{} mg", for_reading(mg, 6)),
    }
}

/// Formats a mass in mg that was rounded to a step, keeping the step's decimal places:
/// `1050.0` → `1.0500 g`, `84.0` → `84.0 mg` (a reader sees how far to trust it).
pub fn format_mass_rounded(mg: Decimal) -> String {
    match mass_in_display_unit(mg) {
        Some((v, unit)) => format!("{v} {unit}"),
        None => format_mass(mg),
    }
}

/// Formats a density held in mg/mL as people write it, in g/mL (`988` → `0.988 g/mL`).
pub fn format_density(mg_per_ml: Decimal) -> String {
    match arith::div(mg_per_ml, Decimal::ONE_THOUSAND) {
        Ok(g) => format!("{} {}", plain(g), Unit::G_PER_ML),
        Err(_) => format!("{} {}", plain(mg_per_ml), Unit::MG_PER_ML),
    }
}

/// A figure as an infusion prints it (SPEC §8.3): [`significant`](crate::rounding::significant) to 4 figures, without
/// trailing zeros; the number itself in the (unreachable in practice) case it cannot be
/// rounded.
pub fn four_significant(v: Decimal) -> String {
    crate::rounding::significant(v, 4).unwrap_or(v).normalize().to_string()
}

/// A mass in mg as an infusion's messages print it: `35 mg`, `40.37 mg` (to 4 significant
/// figures, never in grams).
pub fn mg_four_significant(m: Mass) -> String {
    format!("{} mg", four_significant(m.mg()))
}

/// A dose as ordered: the dose, after the rule per kg and the weight it came from when it
/// has one (`1 mg/kg × 154 lb = 70 mg`).
pub fn dose_ordered(
    given: Option<(crate::quantity::Amount, crate::quantity::Quantity)>,
    dose: Mass,
) -> String {
    match given {
        Some((rule, weight)) => format!("{rule} × {weight} = {}", mg_four_significant(dose)),
        None => mg_four_significant(dose),
    }
}

/// A volume to infuse as an infusion's messages print it: to the 1 mL syringe's 0.01 mL.
pub fn infusion_volume(v: Volume) -> String {
    let r = RoundingPolicy::VOLUME_ML.round(v.ml()).unwrap_or(v.ml()).normalize();
    format!("{r} mL")
}

/// A deviation as people read it: a percent rounded to `dp` places by the one rule, with
/// its sign (`+0.42%`, `−0.95%`; `0%` when it rounds to zero), trailing zeros dropped.
pub fn signed_percent(v: Decimal, dp: u32) -> String {
    let r = RoundingPolicy::new(Decimal::new(1, dp)).and_then(|p| p.round(v).ok()).unwrap_or(v).normalize();
    if r.is_zero() {
        "0%".to_string()
    } else if r.is_sign_negative() {
        format!("\u{2212}{}%", r.abs())
    } else {
        format!("+{r}%")
    }
}

/// Formats a number for people to read: exact when it has at most `dp` decimal places,
/// else rounded there by the policy above and marked `≈`. Only for text meant to be read
/// (the calculation trail, messages); computed values are never rounded this way.
pub fn for_reading(v: Decimal, dp: u32) -> String {
    let n = v.normalize();
    if n.scale() <= dp {
        return n.to_string();
    }
    match RoundingPolicy::new(Decimal::new(1, dp)).map(|p| p.round(n)) {
        Some(Ok(r)) => format!("≈{}", r.normalize()),
        _ => n.to_string(),
    }
}

/// Formats an intermediate number for the calculation trail (at most six decimals).
pub fn trail_num(v: Decimal) -> String {
    for_reading(v, 6)
}

/// A volume in mL as the calculation trail and messages print it: `10.5 mL`.
pub fn trail_ml(v: Decimal) -> String {
    format!("{} mL", trail_num(v))
}

/// A value and unit as reported: exact values normalized, rounded values keeping the
/// decimal places of the step they were rounded to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The number as text (never with an exponent).
    pub value: String,
    /// The canonical unit.
    pub unit: String,
}

/// A mass in the unit reports use for it (`quantity::mass_in_display_unit`), divided
/// the ordinary way when moving the decimal point would pass 28 places.
pub(crate) fn in_display_unit(m: Mass) -> (Decimal, Unit) {
    let mg = m.mg();
    mass_in_display_unit(mg)
        .unwrap_or_else(|| (crate::arith::div(mg, Decimal::ONE_THOUSAND).unwrap_or(mg), Unit::G))
}

/// An exact mass: `mg` below 1 g, else `g`; normalized.
pub fn mass_exact(m: Mass) -> Shown {
    let (v, unit) = in_display_unit(m);
    Shown { value: plain(v), unit: unit.to_string() }
}

/// A rounded mass, keeping its decimal places (`1050.0` mg → `1.0500 g`).
pub fn mass_rounded(m: Mass) -> Shown {
    let (v, unit) = in_display_unit(m);
    Shown { value: v.to_string(), unit: unit.to_string() }
}

/// An exact volume in mL.
pub fn volume_exact(v: Volume) -> Shown {
    Shown { value: plain(v.ml()), unit: "mL".into() }
}

/// A rounded volume in mL, keeping its decimal places.
pub fn volume_rounded(v: Volume) -> Shown {
    Shown { value: v.ml().to_string(), unit: "mL".into() }
}

/// An exact mass or volume.
pub fn measured_exact(m: Measured) -> Shown {
    match m {
        Measured::Mass(mg) => mass_exact(mg),
        Measured::Volume(ml) => volume_exact(ml),
    }
}

/// A value with any unit, normalized.
pub fn with_unit(v: Decimal, unit: Unit) -> Shown {
    Shown { value: plain(v), unit: unit.to_string() }
}

/// A count of units.
pub fn units(n: Count) -> Shown {
    Shown { value: plain(n.units()), unit: "units".into() }
}

/// A batch quantity in its own unit: mL, a mass, or units.
pub fn batch_size(size: BatchSize) -> Shown {
    match size {
        BatchSize::Volume(v) => volume_exact(v),
        BatchSize::Mass(m) => mass_exact(m),
        BatchSize::Count(c) => units(c),
    }
}

/// Rounds a number for reading on a worksheet to at most `dp` decimal places, by the one
/// rounding rule; the JSON output keeps the exact value.
pub fn readable(v: Decimal, dp: u32) -> String {
    match RoundingPolicy::new(Decimal::new(1, dp)).map(|p| p.round(v)) {
        Some(Ok(r)) => plain(r),
        _ => plain(v),
    }
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Prose reads "1 unit"; the JSON keeps the canonical unit `units` whatever the count.
        let unit = if self.unit == "units" && self.value == "1" { "unit" } else { self.unit.as_str() };
        write!(f, "{} {unit}", self.value)
    }
}

/// Rounds `v` to `step` by the one rounding rule; `None` if it cannot.
pub(crate) fn round_to(v: Decimal, step: Decimal) -> Option<Decimal> {
    RoundingPolicy::new(step).and_then(|p| p.round(v).ok())
}

/// A mass rounded to `step` by the one rounding rule, keeping the step's decimal places;
/// `None` if it cannot be.
pub(crate) fn round_mass(m: Mass, step: Mass) -> Option<Mass> {
    round_to(m.mg(), step.mg()).map(Mass::from_mg)
}

/// A mass rounded to `step` as the balance reads it (`84.0 mg`).
pub(crate) fn balance(m: Mass, step: Mass) -> String {
    round_mass(m, step).map_or_else(|| mass_exact(m), mass_rounded).to_string()
}

/// A volume rounded to 0.01 mL as it is measured (`1.00 mL`).
pub(crate) fn measured(v: Volume) -> String {
    let rounded = round_to(v.ml(), RoundingPolicy::VOLUME_ML.step()).map(Volume::from_ml);
    rounded.map_or_else(|| volume_exact(v), volume_rounded).to_string()
}

/// A mass to at most `dp` decimal places in mg or g (strengths and per-dose amounts).
pub(crate) fn mass_readable(m: Mass, dp: u32) -> String {
    let rounded = round_to(m.mg(), Decimal::new(1, dp)).map_or(m, Mass::from_mg);
    mass_exact(rounded).to_string()
}

/// An infusion's figures as printed (SPEC §8.3): volumes to 0.01 mL, rates to 0.1 mL/h,
/// drip rates to whole drops, doses and concentrations to 4 significant figures, always
/// without trailing zeros after the point (`5 mg/mL`, never `5.000 mg/mL`: a trailing zero
/// is on the Joint Commission "Do Not Use" list) and with a zero before a bare point.
pub(crate) mod iv {
    use rust_decimal::Decimal;

    use super::{four_significant as sig, in_display_unit, readable};
    use crate::measure::{Concentration, DripRate, Duration, Mass, Rate, Volume};
    use crate::rounding::RoundingPolicy;

    /// Volumes of an infusion are printed to the 1 mL syringe's 0.01 mL.
    const VOLUME_STEP_ML: Decimal = RoundingPolicy::VOLUME_ML.step();

    /// `0.7 mL`.
    pub(crate) fn volume(v: Volume) -> String {
        format!("{} mL", readable(v.ml(), VOLUME_STEP_ML.scale()))
    }

    /// `35 mg`, `40.37 mg`; grams from 1 g.
    pub(crate) fn mass(m: Mass) -> String {
        let (v, unit) = in_display_unit(m);
        format!("{} {unit}", sig(v))
    }

    /// `0.3476 mg/mL`.
    pub(crate) fn concentration(c: Concentration) -> String {
        format!("{} mg/mL", sig(c.mg_per_ml()))
    }

    /// `151.1 mL/h`.
    pub(crate) fn rate(r: Rate) -> String {
        format!("{} mL/h", readable(r.ml_per_h(), 1))
    }

    /// `38 gtt/min`; a rate under half a drop a minute is no drip rate to count: `under 1
    /// gtt/min`, never `0 gtt/min`.
    pub(crate) fn drip(d: DripRate) -> String {
        match readable(d.gtt_per_min(), 0).as_str() {
            "0" => "under 1 gtt/min".to_string(),
            n => format!("{n} gtt/min"),
        }
    }

    /// `40 min`: durations are kept in minutes.
    pub(crate) fn duration(d: Duration) -> String {
        format!("{} min", d.minutes().normalize())
    }
}

/// A mass for reading: exact when it has at most two decimal places more than `step`,
/// else `≈` the value rounded to `step`.
pub(crate) fn approx_mass(m: Mass, step: Mass) -> String {
    match round_mass(m, step) {
        Some(r) if m.mg().normalize().scale() > step.mg().scale().saturating_add(2) => {
            format!("≈ {}", mass_rounded(r))
        }
        _ => mass_exact(m).to_string(),
    }
}

/// A volume for reading: exact when it has at most 4 decimal places, else `≈` the value
/// rounded to 0.01 mL.
pub(crate) fn approx_volume(v: Volume) -> String {
    match round_to(v.ml(), RoundingPolicy::VOLUME_ML.step()) {
        Some(r) if v.ml().normalize().scale() > 4 => format!("≈ {}", volume_rounded(Volume::from_ml(r))),
        _ => volume_exact(v).to_string(),
    }
}

/// A value with a unit: exact when it has at most 4 decimal places, else `≈` rounded to 4.
pub(crate) fn value_readable(v: Decimal, unit: crate::unit::Unit) -> String {
    if v.normalize().scale() <= 4 {
        with_unit(v, unit).to_string()
    } else {
        format!("≈ {} {unit}", readable(v, 4))
    }
}

/// A time of day as printed and in JSON (`21:00`).
pub fn hhmm(t: jiff::civil::Time) -> String {
    t.strftime("%H:%M").to_string()
}

/// A date, and a time of day after it if there is one (`2026-11-26`, `2026-11-26 21:00`).
pub fn date_time(date: impl std::fmt::Display, time: Option<impl std::fmt::Display>) -> String {
    match time {
        Some(t) => format!("{date} {t}"),
        None => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn masses_switch_to_grams_at_one_gram() {
        let mg = |v| Mass::from_mg(d(v));
        assert_eq!(mass_exact(mg("1050")).to_string(), "1.05 g");
        assert_eq!(mass_exact(mg("999.9")).to_string(), "999.9 mg");
        assert_eq!(mass_rounded(mg("1050.0")).to_string(), "1.0500 g");
        assert_eq!(mass_rounded(mg("2.0")).to_string(), "2.0 mg");
        assert_eq!(with_unit(d("10"), Unit::PercentWW).to_string(), "10 %w/w");
        assert_eq!(readable(d("86.70265"), 2), "86.7");
    }

    #[test]
    fn one_unit_is_singular_in_prose_but_not_in_json() {
        let one = units(Count::from_units(Decimal::ONE));
        assert_eq!(one.to_string(), "1 unit");
        assert_eq!(one.unit, "units");
        assert_eq!(units(Count::from_units(d("11"))).to_string(), "11 units");
        assert_eq!(units(Count::from_units(Decimal::ZERO)).to_string(), "0 units");
    }

    #[test]
    fn reading_marks_what_it_rounds() {
        assert_eq!(for_reading(d("1050.000"), 6), "1050");
        assert_eq!(for_reading(d("1.1533673"), 6), "≈1.153367");
        assert_eq!(for_reading(d("533.33333333333333333333333333"), 6), "≈533.333333");
        assert_eq!(for_reading(d("0.123456"), 6), "0.123456");
    }

    #[test]
    fn deviations_carry_their_sign() {
        assert_eq!(signed_percent(d("-0.952380952"), 2), "\u{2212}0.95%");
        assert_eq!(signed_percent(d("0.4196"), 2), "+0.42%");
        assert_eq!(signed_percent(d("0.004"), 2), "0%");
        assert_eq!(signed_percent(d("4.7619"), 1), "+4.8%");
    }
}
