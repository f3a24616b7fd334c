//! Invariants of an infusion (SPEC §8.3) over random weights, doses, bags, overfills,
//! stocks (in either basis) and methods, through the library as the command line builds
//! its options (`Options::from_flags`):
//!
//! - the volume to infuse fits the bag: `Vi ≤ F`;
//! - the bag holds the drug drawn: `C × F = T` (`D` for a whole bag), and `Vd × S = T`;
//! - `F = bag + overfill + Vd`, or `bag + overfill` with `replace`;
//! - the pump delivers `Vi` over the duration: `R × duration ÷ 60 = Vi`;
//! - `drip = R × drop_factor ÷ 60`;
//! - the vials hold the volume drawn from them: `vials × vial ≥ drawn > (vials − 1) ×
//!   vial` (rev. 3: the rounded volume, or the 1 mL of a dilution);
//! - the dose in the other basis converts back to the dose;
//! - a refusal is one of those the spec names, exactly when its condition holds (rev. 3:
//!   a dose too small to measure even through a dilution).
//!
//! `C` and the other quotients are 28-digit decimals, so products of them are compared
//! within a relative 1e-20.

use ketacalc::calc::{Batch, CalcError, compute};
use ketacalc::formula::{Formula, load_str};
use ketacalc::request::{Clock, Flags, Request};
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::iv::d;

/// `a` and `b` agree within a relative 1e-20.
fn close(a: Decimal, b: Decimal) -> bool {
    let scale = a.abs().max(b.abs());
    (a - b).abs() <= scale * d("0.00000000000000000001")
}

/// A decimal of 0 to 3 places in `[lo, hi]` (as thousandths).
fn decimal(lo: i64, hi: i64) -> impl Strategy<Value = Decimal> {
    (lo..=hi, 0u32..=3).prop_map(|(n, scale)| {
        let v = Decimal::new(n, 3);
        let r = v.round_dp(scale);
        if r.is_zero() { v.normalize() } else { r.normalize() }
    })
}

/// One random infusion.
#[derive(Debug, Clone)]
struct Case {
    /// `per_kg` (mg/kg) or `fixed` (mg) and its value.
    rule: (bool, Decimal),
    max: Option<Decimal>,
    weight: Decimal,
    pounds: bool,
    duration: Decimal,
    /// `None` for a whole bag, else the nominal concentration (mg/mL).
    concentration: Option<Decimal>,
    bag: Decimal,
    overfill: Decimal,
    replace: bool,
    drop_factor: Option<Decimal>,
    /// The stock's strength, written `mg/mL` or as a `1:N w/v` ratio (`N`).
    stock: Result<Decimal, Decimal>,
    basis: &'static str,
    /// The stock labelled in the other basis.
    other_stock_basis: bool,
    vial: Option<Decimal>,
}

fn case() -> impl Strategy<Value = Case> {
    let dose = prop_oneof![
        decimal(10, 10_000).prop_map(|v| (true, v)), // 0.01 to 10 mg/kg
        decimal(1_000, 5_000_000).prop_map(|v| (false, v)), // 1 mg to 5 g
    ];
    let stock = prop_oneof![
        3 => decimal(100, 100_000).prop_map(Ok),      // 0.1 to 100 mg/mL
        1 => (1i64..=2000).prop_map(|n| Err(Decimal::from(n))), // 1:1 to 1:2000 w/v
    ];
    (
        (dose, prop::option::of(decimal(1_000, 1_000_000)), decimal(500, 500_000), any::<bool>()),
        (decimal(1_000, 1_440_000), prop::option::of(decimal(10, 10_000))),
        (decimal(10_000, 5_000_000), prop_oneof![Just(Decimal::ZERO), decimal(0, 50_000)], any::<bool>()),
        (prop::option::of(prop::sample::select(vec![10, 15, 20, 60])), stock),
        (prop::sample::select(vec!["salt", "base"]), any::<bool>(), prop::option::of(decimal(100, 100_000))),
    )
        .prop_map(
            |(
                (rule, max, weight, pounds),
                (duration, concentration),
                (bag, overfill, replace),
                (drop_factor, stock),
                (basis, other_stock_basis, vial),
            )| Case {
                rule,
                max,
                weight,
                pounds,
                duration,
                concentration,
                bag,
                // A bag's overfill is at most its nominal volume (SPEC §11.2).
                overfill: overfill.min(bag),
                replace,
                drop_factor: drop_factor.map(Decimal::from),
                stock,
                basis,
                other_stock_basis,
                vial,
            },
        )
}

fn formula_text(c: &Case) -> String {
    let rule = if c.rule.0 {
        format!("per_kg = \"{} mg/kg\"", c.rule.1)
    } else {
        format!("fixed = \"{} mg\"", c.rule.1)
    };
    let max = c.max.map(|m| format!("max = \"{m} mg\"\n")).unwrap_or_default();
    let method = match c.concentration {
        Some(k) => format!("method = \"fixed-concentration\"\nconcentration = \"{k} mg/mL\""),
        None => "method = \"whole-bag\"".to_string(),
    };
    let drop = c.drop_factor.map(|f| format!("drop_factor = \"{f} gtt/mL\"\n")).unwrap_or_default();
    let stock = match c.stock {
        Ok(s) => format!("{s} mg/mL"),
        Err(n) => format!("1:{n} w/v"),
    };
    let other = if c.basis == "salt" { "base" } else { "salt" };
    let stock_basis =
        if c.other_stock_basis { format!("stock_basis = \"{other}\"\n") } else { String::new() };
    let vial = c.vial.map(|v| format!("vial = \"{v} mL\"\n")).unwrap_or_default();
    format!(
        r#"format = 1
id = "p"
name = "P"
revision = 1
dosage_form = "iv-infusion"
route = "intravenous"
storage = "room-temperature"
sterile_category = "1"

[dose]
{rule}
{max}duration = "{duration} min"

[infusion]
{method}
bag = "{bag} mL"
overfill = "{overfill} mL"
replace = {replace}
{drop}
[[ingredients]]
id = "ketamine"
name = "Ketamine"
role = "active"
basis = "{basis}"
stock = "{stock}"
{stock_basis}{vial}molecular_weight = "274.19"
base_molecular_weight = "237.73"
schedule = "CIII"

[[ingredients]]
id = "bag"
name = "Sodium chloride 0.9%"
role = "vehicle"
amount = "qs"
"#,
        duration = c.duration,
        bag = c.bag,
        overfill = c.overfill,
        replace = c.replace,
        basis = c.basis,
    )
}

fn load(text: &str) -> Formula {
    let loaded = load_str(text);
    loaded.formula.unwrap_or_else(|| panic!("{text}\n{:#?}", loaded.diagnostics))
}

/// The clock of these cases: compounded on 2026-11-26 (the date given), in UTC.
fn utc() -> Clock {
    Clock::At {
        date: jiff::civil::date(2026, 11, 26),
        time: jiff::civil::Time::midnight(),
        zone: jiff::tz::TimeZone::UTC,
    }
}

fn run(c: &Case) -> (Formula, Result<Batch, CalcError>) {
    let formula = load(&formula_text(c));
    let weight = format!("{} {}", c.weight, if c.pounds { "lb" } else { "kg" });
    let mut flags = Flags::default();
    flags.set("date", "--date", "2026-11-26");
    flags.set("time", "--time", "09:00");
    flags.set("weight", "--weight", &weight);
    let options =
        Request::read(&formula, &flags, &utc()).unwrap_or_else(|e| panic!("{weight}: {}", e[0])).options;
    let batch = compute(&formula, &options);
    (formula, batch)
}

/// The stock's strength in the active's declared basis, mg/mL, from the case's own terms.
fn declared_stock(c: &Case) -> Decimal {
    let labelled = match c.stock {
        Ok(s) => s,
        Err(n) => Decimal::ONE_THOUSAND / n,
    };
    match (c.other_stock_basis, c.basis) {
        (false, _) => labelled,
        // A salt-labelled stock in base: × 237.73 ÷ 274.19; a base-labelled one in salt: ×
        // 274.19 ÷ 237.73.
        (true, "base") => labelled * d("237.73") / d("274.19"),
        (true, _) => labelled * d("274.19") / d("237.73"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn infusion_invariants(c in case()) {
        let (_formula, result) = run(&c);
        let kg = if c.pounds { c.weight * d("0.45359237") } else { c.weight };
        let raw = if c.rule.0 { c.rule.1 * kg } else { c.rule.1 };
        let dose = c.max.map_or(raw, |m| raw.min(m));
        let in_bag = c.concentration.map_or(dose, |k| k * c.bag);
        let s = declared_stock(&c);
        let vd_expected = in_bag / s;
        let before = c.bag + c.overfill;
        let batch = match result {
            Ok(b) => b,
            Err(CalcError::ReplaceTooMuch { .. }) => {
                prop_assert!(c.replace && vd_expected > before, "{c:?}");
                return Ok(());
            }
            Err(CalcError::DrugOverBag { .. }) => {
                prop_assert!(!c.replace && vd_expected > c.bag, "{c:?}");
                return Ok(());
            }
            Err(CalcError::BagTooSmall { .. }) => {
                // The bag as made holds within 5% of T (SPEC §12.3): a dose above 95% of T
                // may not fit it.
                prop_assert!(c.concentration.is_some() && dose * d("100") > in_bag * d("95"), "{c:?}");
                return Ok(());
            }
            Err(CalcError::BelowPumpResolution { .. }) => {
                // A share of a fixed-concentration bag that prints as 0 mL or 0 mL/h (the bag
                // as made is within 5% of the exact one).
                let f = if c.replace { before } else { before + vd_expected };
                let vi = dose * f / in_bag;
                let small = |v: Decimal, step: &str| v < d(step) / Decimal::TWO * d("1.06");
                prop_assert!(
                    c.concentration.is_some() && (small(vi, "0.01") || small(vi * Decimal::from(60) / c.duration, "0.1")),
                    "{c:?}"
                );
                return Ok(());
            }
            Err(CalcError::NoDilution { .. }) => {
                // Under 0.2 mL even the 1-in-50 dilution gives a portion under 0.4 mL.
                prop_assert!(vd_expected * d("50") < d("0.4"), "{c:?}");
                return Ok(());
            }
            Err(e) => return Err(TestCaseError::fail(format!("{c:?}: {e}"))),
        };
        let i = batch.infusion().unwrap();
        prop_assert!(close(i.dose.mg(), dose), "dose {} vs {dose}", i.dose.mg());
        prop_assert_eq!(i.uncapped.is_some(), raw > dose);
        let (t, vd, f, vi, cc) =
            (i.drug_in_bag.mg(), i.drug_volume.ml(), i.final_volume.ml(), i.volume_to_infuse.ml(), i.concentration.mg_per_ml());
        prop_assert!(close(t, in_bag));
        // Vd × S = T, and F = bag + overfill (+ Vd).
        prop_assert!(close(vd * s, t), "Vd {vd} × S {s} ≠ T {t}");
        let f_expected = if c.replace { before } else { before + vd };
        prop_assert!(close(f, f_expected), "F {f} vs {f_expected}");
        prop_assert!(!c.replace || vd <= before);
        // The drug fits in the bag: at most its nominal volume (issue 20).
        prop_assert!(c.replace || vd <= c.bag, "Vd {vd} > bag {}", c.bag);
        // Vi ≤ F; a whole bag runs entirely.
        prop_assert!(vi <= f, "Vi {vi} > F {f}");
        if c.concentration.is_none() {
            prop_assert_eq!(vi, f);
        }
        // C × F = T; C × Vi = D.
        prop_assert!(close(cc * f, t), "C {cc} × F {f} ≠ T {t}");
        prop_assert!(close(cc * vi, dose), "C × Vi ≠ D");
        // R × duration ÷ 60 = Vi.
        prop_assert!(close(i.rate.ml_per_h() * c.duration / Decimal::from(60), vi), "R {} over {} min ≠ Vi {vi}", i.rate, c.duration);
        match (c.drop_factor, i.drip_rate) {
            (Some(df), Some(drip)) => prop_assert!(close(drip.gtt_per_min(), i.rate.ml_per_h() * df / Decimal::from(60)), "drip {drip}"),
            (None, None) => {}
            (df, drip) => return Err(TestCaseError::fail(format!("drop factor {df:?}, drip {drip:?}"))),
        }
        // Rev. 3 (SPEC §12.3): the vials hold the volume actually drawn from the stock, the
        // rounded volume or the dilution's millilitre.
        let line = &batch.lines[0];
        let from_stock = match (&line.dilution, line.measure_rounded) {
            (Some(dil), _) => dil.stock.ml(),
            (None, Some(r)) => r.ml(),
            (None, None) => return Err(TestCaseError::fail(format!("{c:?}: nothing drawn"))),
        };
        match (c.vial, i.vials) {
            (Some(v), Some(n)) => {
                let n = Decimal::from(n);
                prop_assert!(
                    n * v >= from_stock && from_stock > (n - Decimal::ONE) * v,
                    "{n} vials of {v} for {from_stock}"
                );
            }
            (None, None) => {}
            (v, n) => return Err(TestCaseError::fail(format!("vial {v:?}, vials {n:?}"))),
        }
        // The other basis and back: base = salt × 237.73 ÷ 274.19, salt = base × 274.19 ÷ 237.73.
        let (basis, other) = i.dose_other_basis.unwrap();
        prop_assert_ne!(basis.as_str(), c.basis);
        let back = if c.basis == "base" { other.mg() * d("237.73") / d("274.19") } else { other.mg() * d("274.19") / d("237.73") };
        prop_assert!(close(back, dose), "{} back to {back}, not {dose}", other.mg());
        // The fixed-concentration bag's nominal figures: D ÷ concentration.
        if let (Some(k), Some(n)) = (c.concentration, i.nominal) {
            prop_assert!(close(n.volume_to_infuse.ml(), dose / k));
            prop_assert!(close(n.rate.ml_per_h() * c.duration / Decimal::from(60), dose / k));
        }
        // The controlled record: T drawn as Vd; T − D undelivered (fixed concentration).
        let ctl = &batch.controlled[0];
        prop_assert_eq!(ctl.withdraw.mg(), t);
        prop_assert_eq!(ctl.withdraw_volume.map(|v| v.ml()), Some(vd));
        match c.concentration {
            Some(_) => prop_assert!(close(ctl.undelivered.unwrap().mg(), t - dose)),
            None => prop_assert!(ctl.undelivered.is_none()),
        }
    }
}
