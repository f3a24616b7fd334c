//! What is measured is what is recorded and labelled (SPEC §12), over random infusions:
//! weights from 1.5 to 200 kg (given in kg or lb), stocks of 10, 50 and 100 mg/mL, whole
//! bags and fixed-concentration bags, the formula's dose rule and custom doses.
//!
//! - the drawn volume is on the smallest syringe of SPEC §12.1 that holds it and at least
//!   0.2 mL, or it is a dilution step (the smallest `k` of 5, 10, 20, 25, 50 that makes the
//!   portion at least 0.4 mL, the portion on the 1 mL syringe);
//! - the drug in the bag as measured is exactly the rounded volume × the strength of what
//!   is drawn (the stock, or the dilution);
//! - every "X mL = Y mg" printed on the worksheet holds for the strength of what is
//!   measured (the worksheet is parsed);
//! - the label's first strength is the bag's, and the stock's strength never shares its
//!   line; `mg/kg/h` is on the label;
//! - a custom dose above the maximum is refused, a formula's dose above it capped.

use ketacalc::calc::{Batch, CalcError, DILUTION_FACTORS, SYRINGES, compute};
use ketacalc::formula::{Formula, load_str};
use ketacalc::report::{self, Format, LabelFormat, Layout, Report, Source};
use ketacalc::request::{Clock, Flags, Request};
use ketacalc::rounding::significant;
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::iv::d;

/// One random infusion.
#[derive(Debug, Clone)]
struct Case {
    /// The weight, as given.
    weight: Decimal,
    pounds: bool,
    /// The stock, mg/mL.
    stock: u32,
    /// `None` for a whole bag, else the nominal concentration (mg/mL).
    concentration: Option<Decimal>,
    bag: u32,
    /// The formula's rule, mg/kg.
    per_kg: Decimal,
    max: Option<u32>,
    /// A custom `--dose`: per kg (mg/kg), or fixed (mg).
    dose: Option<(bool, Decimal)>,
}

/// A decimal `n ÷ 10^scale`.
fn dec(n: i64, scale: u32) -> Decimal {
    Decimal::new(n, scale)
}

fn case() -> impl Strategy<Value = Case> {
    (
        (150i64..=20_000, any::<bool>()),
        prop::sample::select(vec![10u32, 50, 100]),
        prop_oneof![Just(None), prop::sample::select(vec![dec(5, 1), dec(1, 0), dec(2, 0)]).prop_map(Some)],
        prop::sample::select(vec![50u32, 100, 250, 500]),
        (1i64..=2000).prop_map(|n| dec(n, 3)),
        prop::option::of(prop::sample::select(vec![20u32, 50, 100, 200])),
        prop::option::of(prop_oneof![
            (1i64..=2000).prop_map(|n| (true, dec(n, 3))),
            (1i64..=2000).prop_map(|n| (false, dec(n, 1))),
        ]),
    )
        .prop_map(|((w, pounds), stock, concentration, bag, per_kg, max, dose)| {
            // 1.5 to 200 kg; in pounds, the same range (3.31 to 440.92 lb).
            let kg = dec(w, 2);
            let weight = if pounds { (kg / d("0.45359237")).round_dp(2).max(dec(331, 2)) } else { kg };
            Case { weight, pounds, stock, concentration, bag, per_kg, max, dose }
        })
}

fn formula_text(c: &Case) -> String {
    let method = match c.concentration {
        Some(k) => format!("method = \"fixed-concentration\"\nconcentration = \"{k} mg/mL\""),
        None => "method = \"whole-bag\"".to_string(),
    };
    let max = c.max.map(|m| format!("max = \"{m} mg\"\n")).unwrap_or_default();
    format!(
        r#"format = 1
id = "p"
name = "Ketamine {{dose}} in {{bag}}"
revision = 1
dosage_form = "iv-infusion"
route = "intravenous"
storage = "room-temperature"
sterile_category = "1"

[dose]
per_kg = "{per_kg} mg/kg"
{max}duration = "40 min"

[infusion]
{method}
bag = "{bag} mL"
drop_factor = "15 gtt/mL"

[[ingredients]]
id = "ketamine"
name = "Ketamine Hydrochloride Injection USP {stock} mg/mL (as base)"
role = "active"
basis = "base"
stock = "{stock} mg/mL"
vial = "10 mL"
molecular_weight = "274.19"
base_molecular_weight = "237.73"
schedule = "CIII"
substance = "ketamine"

[[ingredients]]
id = "sodium-chloride-0.9"
name = "0.9% Sodium Chloride Injection USP"
role = "vehicle"
amount = "qs"

[[steps]]
text = "Draw {{weigh:ketamine}}; a second person checks the syringe."
"#,
        per_kg = c.per_kg,
        bag = c.bag,
        stock = c.stock,
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
    let dose = c.dose.map(|(per_kg, v)| if per_kg { format!("{v} mg/kg") } else { format!("{v} mg") });
    let mut flags = Flags::default();
    flags.set("date", "--date", "2026-11-26");
    flags.set("time", "--time", "09:00");
    flags.set("weight", "--weight", &weight);
    if let Some(dose) = &dose {
        flags.set("dose", "--dose", dose);
    }
    let options =
        Request::read(&formula, &flags, &utc()).unwrap_or_else(|e| panic!("{weight}: {}", e[0])).options;
    let batch = compute(&formula, &options);
    (formula, batch)
}

/// Every `X mL [of …] = Y mg` on a text, with what the volume is of: `None` for the stock
/// itself, `Some(S)` for a dilution of S mg/mL, and the bag's (`bag`) or the preparation's.
fn pairs(text: &str) -> Vec<(Decimal, Of, Decimal)> {
    let cleaned: String =
        text.chars().map(|c| if matches!(c, '(' | ')' | ',' | ':' | ';') { ' ' } else { c }).collect();
    let t: Vec<&str> = cleaned.split_whitespace().collect();
    let num = |s: &str| Decimal::from_str_exact(s).ok();
    let mut out = Vec::new();
    for i in 0..t.len() {
        let (Some(x), Some(&"mL")) = (num(t[i]), t.get(i + 1)) else { continue };
        let rest = &t[i + 2..];
        let (of, skip) = match rest {
            ["of", "the", "stock", "solution", ..] => (Of::Stock, 4),
            ["of", "the", s, "mg/mL", "dilution", ..] if num(s).is_some() => {
                (Of::Dilution(num(s).unwrap()), 5)
            }
            ["of", "the", "bag", ..] => (Of::Bag, 3),
            ["of", "preparation", ..] => (Of::Preparation, 2),
            _ => (Of::Stock, 0),
        };
        if let [eq, y, unit, ..] = &rest[skip.min(rest.len())..]
            && *eq == "="
            && let Some(y) = num(y)
        {
            let y = match *unit {
                "mg" => y,
                "g" => y * Decimal::ONE_THOUSAND,
                _ => continue,
            };
            out.push((x, of, y));
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Of {
    Stock,
    Dilution(Decimal),
    Bag,
    Preparation,
}

fn sig4(v: Decimal) -> Decimal {
    significant(v, 4).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn what_is_measured_is_what_is_recorded_and_labelled(c in case()) {
        let (formula, result) = run(&c);
        let kg = if c.pounds { c.weight * d("0.45359237") } else { c.weight };
        let s = Decimal::from(c.stock);
        let (custom, rule_dose) = match c.dose {
            Some((true, r)) => (r != c.per_kg, r * kg),
            Some((false, m)) => (true, m),
            None => (false, c.per_kg * kg),
        };
        let max = c.max.map(Decimal::from);
        let dose = max.map_or(rule_dose, |m| rule_dose.min(m));
        let in_bag = c.concentration.map_or(dose, |k| k * Decimal::from(c.bag));
        let vd = in_bag / s;
        let batch = match result {
            Ok(b) => b,
            Err(CalcError::AboveMaximum { .. }) => {
                // Refused exactly when a custom dose is above the ceiling (SPEC §12.4).
                prop_assert!(custom && max.is_some_and(|m| rule_dose > m), "{c:?}");
                return Ok(());
            }
            Err(CalcError::NoDilution { .. }) => {
                prop_assert!(vd * d("50") < d("0.4"), "{c:?}");
                return Ok(());
            }
            Err(CalcError::BagTooSmall { .. }) => {
                prop_assert!(c.concentration.is_some() && dose * d("100") > in_bag * d("95"), "{c:?}");
                return Ok(());
            }
            Err(CalcError::BelowPumpResolution { .. }) => {
                // A fixed-concentration bag whose dose is so small a share of it that the
                // volume (under 0.005 mL) or its rate over 40 min (under 0.05 mL/h, i.e. under
                // 0.0333 mL) prints as 0; the true concentration is below the nominal one, so
                // the dose ÷ the nominal one is smaller still.
                prop_assert!(c.concentration.is_some_and(|k| dose / k < d("0.034")), "{c:?}");
                return Ok(());
            }
            Err(e) => return Err(TestCaseError::fail(format!("{c:?}: {e}"))),
        };
        prop_assert!(!(custom && max.is_some_and(|m| rule_dose > m)), "a custom dose above max was made: {c:?}");
        let i = batch.infusion().unwrap();
        let line = &batch.lines[0];
        let syringe = line.syringe.unwrap();
        // What is drawn, and the strength of what it is drawn from.
        let (drawn, strength) = match &line.dilution {
            None => {
                let r = line.measure_rounded.unwrap().ml();
                prop_assert!(vd >= d("0.2"), "{vd} mL drawn without a dilution");
                prop_assert!(r >= d("0.2"), "{r} mL drawn");
                // The smallest syringe that holds it; over 60 mL, equal draws of 60 mL.
                let smallest = SYRINGES.iter().find(|(cap, _)| vd <= cap.ml());
                match smallest {
                    Some((cap, grad)) => {
                        prop_assert_eq!((syringe.capacity, syringe.graduation, syringe.draws), (*cap, *grad, 1));
                    }
                    None => {
                        prop_assert_eq!(syringe.capacity.ml(), d("60"));
                        prop_assert_eq!(Decimal::from(syringe.draws), (vd / d("60")).ceil());
                    }
                }
                // On its marks, and at most half a mark per draw away.
                let grad = syringe.graduation.ml();
                prop_assert_eq!((r / grad).fract(), Decimal::ZERO, "{} off the marks of {}", r, grad);
                prop_assert!((r - vd).abs() <= grad / d("2") * Decimal::from(syringe.draws));
                (r, s)
            }
            Some(dil) => {
                prop_assert!(vd < d("0.2"), "a dilution for {vd} mL");
                let k = dil.factor;
                let smallest = DILUTION_FACTORS.iter().copied().find(|f| vd * Decimal::from(*f) >= d("0.4"));
                prop_assert_eq!(Some(k), smallest);
                prop_assert_eq!(dil.stock.ml(), Decimal::ONE);
                prop_assert_eq!(dil.to.ml(), Decimal::from(k));
                prop_assert_eq!(dil.take.ml(), vd * Decimal::from(k));
                let r = dil.take_rounded.ml();
                prop_assert!(r >= d("0.4") && r <= Decimal::ONE, "portion {r}");
                prop_assert_eq!((syringe.capacity.ml(), syringe.graduation.ml()), (Decimal::ONE, d("0.01")));
                prop_assert!(line.measure_rounded.is_none());
                (r, s / Decimal::from(k))
            }
        };
        // The drug in the bag as measured: the rounded volume × the strength drawn, exactly.
        let m = &i.as_measured;
        prop_assert_eq!(m.in_bag.mg(), drawn * strength, "{:?}", c);
        prop_assert_eq!(m.drawn.ml(), drawn);
        prop_assert_eq!(m.final_volume.ml(), Decimal::from(c.bag) + drawn);
        match c.concentration {
            None => prop_assert_eq!(m.dose, m.in_bag),
            Some(_) => prop_assert_eq!(m.dose.mg(), dose),
        }
        // Every "X mL = Y mg" on the worksheet holds for what is measured.
        let source = Source::new("p.toml", formula_text(&c).as_bytes());
        let report = Report {
            formula: &formula,
            source: &source,
            batch: &batch,
            explain: false,
            layout: Layout { width: 1000, color: false },
        };
        let sheet = report::worksheet(Format::Table, &report);
        let found = pairs(&sheet);
        prop_assert!(!found.is_empty(), "no `X mL = Y mg` on:\n{sheet}");
        for (x, of, y) in found {
            match of {
                Of::Stock => prop_assert_eq!(y, sig4(x * s), "{} mL of the stock = {} mg", x, y),
                Of::Dilution(ds) => {
                    prop_assert_eq!(Some(ds * Decimal::from(line.dilution.as_ref().unwrap().factor)), Some(s));
                    prop_assert_eq!(y, sig4(x * ds), "{} mL of the dilution = {} mg", x, y);
                }
                // The bag's remainder is an expected figure: its printed volume is rounded to
                // 0.01 mL, so it holds to within that volume's share.
                Of::Bag => prop_assert!((x * m.concentration.mg_per_ml() - y).abs() <= m.concentration.mg_per_ml() * d("0.005") + y * d("0.0005") + d("0.000001"), "{} mL of the bag = {} mg", x, y),
                Of::Preparation => return Err(TestCaseError::fail("an infusion has no preparation volume")),
            }
        }
        // The label: the first strength is the bag's; the stock's strength never shares its
        // line; the dose rate per kg per hour is on it.
        let label = report::label(LabelFormat::Text, &report);
        // The first line after the title (whose wrapped lines are indented).
        let second = label.lines().skip(1).find(|l| !l.starts_with(' ')).unwrap();
        let amount = if m.in_bag.mg() >= Decimal::ONE_THOUSAND {
            format!("{} g", sig4(m.in_bag.mg() / Decimal::ONE_THOUSAND))
        } else {
            format!("{} mg", sig4(m.in_bag.mg()))
        };
        prop_assert!(second.starts_with(&format!("Ketamine {amount} (as base) in ")), "{label}");
        prop_assert!(!label.contains(" 0 mL") && !label.contains(" 0 gtt"), "{label}");
        let stock_text = format!("{} mg/mL", c.stock);
        let first_strength: String = label
            .lines()
            .skip_while(|l| *l != second)
            .take_while(|l| !l.starts_with("Prepared from"))
            .collect();
        prop_assert!(!first_strength.contains(&stock_text), "{label}");
        prop_assert!(label.contains("mg/kg/h"), "{label}");
        prop_assert!(label.contains("Use an infusion pump"), "{label}");
        prop_assert!(!sheet.contains("draw 0 mL") && !sheet.contains(" 0 mL of the"), "{sheet}");
    }
}

#[test]
fn the_pairs_of_a_worksheet_are_read() {
    let text = "To draw from vials  1 mL = 50 mg (base) (into the dilution)\n\
                Into the bag ________ (expected 0.75 mL of the 1 mg/mL dilution = 0.75 mg (base))\n\
                Left in the bag (waste) ________ (expected 9.47 mL of the bag = 9.28 mg (base): …)\n\
                waste what is left (49.25 mL of the 1 mg/mL dilution = 49.25 mg) with a witness\n\
                Vials opened 1 × 10 mL; left in them 9 mL = 450 mg (base): witnessed waste";
    assert_eq!(
        pairs(text),
        vec![
            (d("1"), Of::Stock, d("50")),
            (d("0.75"), Of::Dilution(d("1")), d("0.75")),
            (d("9.47"), Of::Bag, d("9.28")),
            (d("49.25"), Of::Dilution(d("1")), d("49.25")),
            (d("9"), Of::Stock, d("450")),
        ]
    );
}
