//! The completed record (SPEC §14.2) over random batches, computed in-process from the
//! batch file's text:
//!
//! - readings equal to their targets give the labelled strength within the rounding of
//!   the targets: for a liquid whose active is weighed, exactly the rounding of its
//!   weighing, `(weigh_rounded − weigh) ÷ weigh`;
//! - scaling readings by `1 + e` scales the actual strength by `1 + e` where it is a
//!   ratio of them: a liquid's active (its weighing, the final volume left as read), a
//!   molded form's final weight (the mean unit mass), an infusion's drawn volume (the dose
//!   delivered by a whole bag); scaling every reading of a cream (every mass of the blend)
//!   leaves its strength as it was;
//! - a deviation's sign is the reading's side of its target, and its status `over` or
//!   `under` exactly beyond the tolerance.

use std::path::Path;

use ketacalc::formulary::Formulary;
use ketacalc::report::{self, Layout, RecordFormat, Report, Source};
use ketacalc::request::{Clock, FormulaOf, resolve};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::record::{BatchFile, at_targets_of, d, head};

/// The record of a batch file's text (built-in formulas only), and its exit status: 0
/// ready, 3 not; a file the record refuses fails the test.
fn record(text: &str) -> (i32, Value) {
    let r = resolve(Path::new("b.toml"), text.as_bytes(), &Formulary::BuiltIn, &Clock::System);
    assert!(r.diagnostics.is_empty(), "{:?}\n{text}", r.diagnostics);
    let (FormulaOf::Loaded(file, formula), Some(options)) = (r.formula, r.request.map(|q| q.options)) else {
        panic!("{text}")
    };
    let batch = ketacalc::calc::compute(&formula, &options).unwrap();
    let record = ketacalc::record::compute(&formula, &options, &batch, &r.file)
        .unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    let source = Source::new(file.path, &file.bytes);
    let layout = Layout { width: 100, color: false };
    let report = Report { formula: &formula, source: &source, batch: &batch, explain: false, layout };
    let json = report::record(RecordFormat::Json, &report, &record);
    let code = if record.release.status == ketacalc::record::ReleaseStatus::Ready { 0 } else { 3 };
    (code, serde_json::from_str(&json).unwrap())
}

/// The batch file of `head` read at its targets.
fn at_targets(head: &str) -> BatchFile {
    at_targets_of(head, &record)
}

fn strength(doc: &Value, id: &str) -> Decimal {
    let s = doc["strengths"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap();
    d(s["actual"]["value"].as_str().unwrap())
}

fn deviation(doc: &Value, id: &str) -> Decimal {
    let s = doc["strengths"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap();
    d(s["deviation"].as_str().unwrap())
}

/// `a` and `b` agree to 20 significant places.
fn close(a: Decimal, b: Decimal) -> bool {
    (a - b).abs() <= b.abs() * d("1e-20") + d("1e-24")
}

/// A random `1 + e`, `e` from −5% to +5% by 0.01%, never 0.
fn one_plus_e() -> impl Strategy<Value = Decimal> {
    (-500i64..=500).prop_filter("e = 0", |n| *n != 0).prop_map(|n| Decimal::ONE + Decimal::new(n, 4))
}

/// The spray at `ml` mL from a lot assayed at `assay` %.
fn spray(ml: i64, assay: i64) -> String {
    let more = format!(
        "quantity = \"{} mL\"\n\n[lots.ketamine-hcl]\nassay = \"{}%\"\n",
        Decimal::new(ml, 1),
        Decimal::new(assay, 1)
    );
    head("ketamine-hcl-nasal-spray-100", &more)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Readings at their targets give the labelled strength but for the one rounding of
    /// the weighing: exactly `(weigh_rounded − weigh) ÷ weigh`.
    #[test]
    fn readings_at_their_targets_give_the_labelled_strength(ml in 50i64..=600, assay in 950i64..=1050) {
        let file = at_targets(&spray(ml, assay));
        let (code, doc) = record(&file.text());
        prop_assert_eq!(code, 0, "{}", doc["release"]);
        let line = doc["batch"]["ingredients"].as_array().unwrap().iter().find(|i| i["id"] == "ketamine-hcl").unwrap();
        let (exact, rounded) = (d(line["weigh"]["value"].as_str().unwrap()), d(line["weigh_rounded"]["value"].as_str().unwrap()));
        let rounding = (rounded - exact) * Decimal::ONE_HUNDRED / exact;
        let dev = deviation(&doc, "ketamine-hcl");
        prop_assert!(close(dev, rounding) || (dev - rounding).abs() < d("1e-24"), "{dev} vs {rounding}");
        // Within half a step of the balance.
        let unit = if line["weigh"]["unit"] == "g" { d("1000") } else { Decimal::ONE };
        prop_assert!(dev.abs() <= d("0.05") / (exact * unit) * Decimal::ONE_HUNDRED + d("1e-24"));
    }

    /// A liquid's strength is the active's reading over the final volume: the active's
    /// weighing × (1 + e), the final volume as read, makes the strength × (1 + e).
    #[test]
    fn a_liquids_strength_scales_with_its_actives_weighing(ml in 50i64..=600, f in one_plus_e()) {
        let file = at_targets(&spray(ml, 1000));
        let (_, base) = record(&file.text());
        let mut scaled = file;
        scaled.scale("ketamine-hcl", None, f);
        let (_, doc) = record(&scaled.text());
        prop_assert!(close(strength(&doc, "ketamine-hcl"), strength(&base, "ketamine-hcl") * f));
    }

    /// A cream's strength is the active's mass over the blend's: every reading × (1 + e)
    /// (every mass, and the levigant's volume, whose mass is its volume × its density)
    /// leaves it as it was.
    #[test]
    fn a_creams_strength_is_unchanged_when_every_reading_scales(g in 20i64..=500, f in one_plus_e()) {
        let file = at_targets(&head("ketamine-gabapentin-baclofen-cream", &format!("quantity = \"{g} g\"\n")));
        let (_, base) = record(&file.text());
        let mut scaled = file.clone();
        for fig in &file.figures {
            scaled.scale(&fig.id, fig.step.as_deref(), f);
        }
        let (_, doc) = record(&scaled.text());
        for id in ["ketamine-hcl", "gabapentin", "baclofen"] {
            prop_assert!(close(strength(&doc, id), strength(&base, id)), "{id}");
        }
    }

    /// A troche's strength per unit is the blend's strength × the mean unit mass: the final
    /// weight × (1 + e) makes it × (1 + e).
    #[test]
    fn a_troches_strength_scales_with_its_final_weight(n in 10i64..=200, f in one_plus_e()) {
        let file = at_targets(&head("ketamine-hcl-troche-50", &format!("quantity = {n}\n")));
        let (_, base) = record(&file.text());
        let mut scaled = file.clone();
        let fw = file.final_weight.as_deref().unwrap().trim_end_matches(" mg");
        scaled.final_weight = Some(format!("{} mg", (d(fw) * f).normalize()));
        let (_, doc) = record(&scaled.text());
        prop_assert!(close(strength(&doc, "ketamine-hcl"), strength(&base, "ketamine-hcl") * f));
    }

    /// A whole bag delivers all the drug drawn: the drawn volume × (1 + e) makes the dose
    /// delivered × (1 + e).
    #[test]
    fn a_whole_bags_dose_scales_with_the_volume_drawn(kg in 20i64..=99, f in one_plus_e()) {
        let file = at_targets(&head("ketamine-iv-0.5mgkg-100ml", &format!("weight = \"{kg} kg\"\ntime = \"09:00\"\n")));
        let (_, base) = record(&file.text());
        let mut scaled = file;
        scaled.scale("ketamine", None, f);
        let (_, doc) = record(&scaled.text());
        let dose = |doc: &Value| d(doc["infusion"]["dose"]["value"].as_str().unwrap());
        prop_assert!(close(dose(&doc), dose(&base) * f));
    }

    /// A reading above its target has a positive deviation, below it a negative one; it
    /// is `over` or `under` exactly when the deviation is beyond the tolerance.
    #[test]
    fn deviation_signs_follow_the_readings(ml in 50i64..=600, permille in 500i64..=1500) {
        let file = at_targets(&spray(ml, 1000));
        let target = file.figures[0].value;
        let mut read = file;
        read.figures[0].value = (target * Decimal::new(permille, 3)).round_dp(4);
        let (_, doc) = record(&read.text());
        let r = &doc["readings"][0];
        let dev = d(r["deviation"].as_str().unwrap());
        let actual = read.figures[0].value;
        prop_assert_eq!(dev.is_sign_positive() && !dev.is_zero(), actual > target);
        prop_assert_eq!(dev.is_sign_negative() && !dev.is_zero(), actual < target);
        let want = if dev > d("2") { "over" } else if dev < d("-2") { "under" } else { "in" };
        prop_assert_eq!(r["status"].as_str(), Some(want));
    }
}
