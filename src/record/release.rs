//! Quality, people and the release decision (SPEC §14.2 items 6 and 7).
//!
//! Each QC check of the formula has a result (`pass` or `fail`), `compounded_by` and
//! `checked_by` are named, and a witness is named wherever there is C-III waste, recorded
//! or expected. The record is `ready` (for the pharmacist's verification) when every
//! reading and strength is in (or recorded), the yield is in, every C-III record
//! reconciles, every check passed and every person is named; `incomplete` when something
//! is missing or unmeasured and nothing is out of tolerance or failed; else `check`. Each
//! status but `ready` comes with one reason per item. ketacalc never says "released".

use rust_decimal::Decimal;

use super::strength::Made;
use super::{
    Controlled, People, Qc, Reading, Reconciliation, Release, ReleaseStatus, Status, Step, Yield,
    YieldFigure, written,
};
use crate::formula::Formula;
use crate::measure::Measured;
use crate::number::{format_mass, plain, signed_percent};
use crate::request::{BatchFile, Outcome};
use crate::rounding::significant;

/// The result of each QC check of `formula`, by its number, from `file`.
pub(super) fn qc(formula: &Formula, file: &BatchFile) -> Vec<Qc> {
    (1..=formula.quality.len())
        .map(|check| {
            let r = file.qc.iter().find(|r| r.check == check);
            Qc { check, outcome: r.map(|r| r.outcome), note: r.and_then(|r| r.note.clone()) }
        })
        .collect()
}

/// The people `file` names.
pub(super) fn people(file: &BatchFile) -> People {
    let p = &file.people;
    let name = |a: &Option<crate::request::At<String>>| a.as_ref().map(|a| a.value.clone());
    People {
        compounded_by: name(&p.compounded_by),
        checked_by: name(&p.checked_by),
        verified_by: name(&p.verified_by),
    }
}

/// The reasons found, each out of tolerance (check) or a gap (incomplete).
#[derive(Default)]
struct Reasons {
    check: bool,
    gap: bool,
    all: Vec<String>,
}

impl Reasons {
    fn out(&mut self, reason: String) {
        self.check = true;
        self.all.push(reason);
    }

    fn gap(&mut self, reason: String) {
        self.gap = true;
        self.all.push(reason);
    }

    fn status(&mut self, status: Status, reason: impl FnOnce() -> String) {
        if status.is_out() {
            self.out(reason());
        } else if status.is_gap() {
            self.gap(reason());
        }
    }
}

/// The release decision from every part of the record.
pub(super) fn decide(
    readings: &[Reading],
    made: &Made,
    yielded: Option<&Yield>,
    controlled: &[Controlled],
    qc: &[Qc],
    people: &People,
) -> Release {
    let mut r = Reasons::default();
    for reading in readings {
        r.status(reading.status, || reading_reason(reading));
    }
    for s in &made.strengths {
        r.status(s.status, || {
            let labelled = amount(s.labelled.0, &s.labelled.1.to_string());
            match (s.actual, s.deviation) {
                (Some((v, unit)), Some(d)) if s.status.is_out() => format!(
                    "{} strength {}, {} {} the {}% tolerance (labelled {labelled})",
                    s.id,
                    amount(v, &unit.to_string()),
                    signed_percent(d, 2),
                    side(s.status),
                    plain(s.tolerance)
                ),
                (Some((v, unit)), _) => format!(
                    "{} strength {} (labelled {labelled}) rests on a reading that is not measurable as read",
                    s.id,
                    amount(v, &unit.to_string())
                ),
                (None, _) if s.status == Status::Unmeasured => format!(
                    "{} strength per unit unmeasured: give the net mass of the units made (`final_weight` in [actual])",
                    s.id
                ),
                (None, _) => format!("{} strength not computed: a reading it needs is missing", s.id),
            }
        });
    }
    if let Some(i) = made.infusion.as_ref().filter(|i| i.status.is_out()) {
        let dose = i.dose.map_or_else(String::new, |d| format_mass(d.mg()));
        r.out(format!(
            "the bag delivers {dose}: {} {} the {}% tolerance of the label's {}",
            i.deviation.map_or_else(String::new, |d| signed_percent(d, 2)),
            side(i.status),
            plain(i.tolerance),
            format_mass(i.labelled_dose.mg())
        ));
    }
    if let Some(y) = yielded {
        r.status(y.status, || match (&y.actual, y.percent) {
            (Some(a), Some(p)) => format!(
                "yield {} of {}, {}%, {} 95-105%",
                figure(a),
                figure(&y.theoretical),
                significant(p, 4).unwrap_or(p).normalize(),
                side(y.status)
            ),
            _ => "yield missing: give what was filled or made (`yield` in [actual])".to_string(),
        });
    }
    for c in controlled {
        match c.status {
            Reconciliation::Reconciled => {}
            Reconciliation::Unreconciled => {
                let m = |m: Option<crate::measure::Mass>| m.map_or_else(String::new, |m| format_mass(m.mg()));
                r.out(format!(
                    "{} C-III stock does not reconcile: {} withdrawn, {} accounted for, a difference of {} over the tolerance of {}",
                    c.id,
                    m(c.withdrawn),
                    m(c.accounted),
                    m(c.difference),
                    m(c.tolerance)
                ));
            }
            Reconciliation::Missing => r.gap(format!(
                "{} C-III record missing: give `stock_before` and `stock_after` in [controlled.{}], and its reading",
                c.id, c.id
            )),
        }
        let waste = c.waste.is_some_and(|w| !w.is_zero()) || c.expected_waste.is_some();
        if waste && c.witness.is_none() {
            r.gap(format!("{} C-III waste has no witness: give `witness` in [controlled.{}]", c.id, c.id));
        }
    }
    for q in qc {
        match q.outcome {
            Some(Outcome::Pass) => {}
            Some(Outcome::Fail) => r.out(match &q.note {
                Some(n) => format!("QC check {} failed: {n}", q.check),
                None => format!("QC check {} failed", q.check),
            }),
            None => r.gap(format!("QC check {} has no result in [qc]", q.check)),
        }
    }
    for (key, who) in [("compounded_by", &people.compounded_by), ("checked_by", &people.checked_by)] {
        if who.is_none() {
            r.gap(format!("`{key}` is not named in [people]"));
        }
    }
    let status = if r.check {
        ReleaseStatus::Check
    } else if r.gap {
        ReleaseStatus::Incomplete
    } else {
        ReleaseStatus::Ready
    };
    Release { status, reasons: r.all }
}

/// `over` or `under`.
fn side(s: Status) -> &'static str {
    if s == Status::Over { "over" } else { "under" }
}

/// A computed figure to 4 significant figures: `100.1 mg/mL`.
fn amount(v: Decimal, unit: &str) -> String {
    format!("{} {unit}", significant(v, 4).unwrap_or(v).normalize())
}

fn figure(f: &YieldFigure) -> String {
    match f {
        YieldFigure::Count(n) => n.normalize().to_string(),
        YieldFigure::Filled(Measured::Mass(m)) => format_mass(m.mg()),
        YieldFigure::Filled(Measured::Volume(v)) => format!("{} mL", plain(v.ml())),
    }
}

/// `ketamine-hcl weighed 3.3310 g, +5.22% over the 2% tolerance`.
fn reading_reason(r: &Reading) -> String {
    let what = match (r.step, r.target) {
        (None, Measured::Mass(_)) | (Some(Step::Weigh), _) => "weighed",
        (None, Measured::Volume(_)) if r.density.is_some() => "weighed",
        (None, Measured::Volume(_)) => "measured",
        (Some(Step::Total), _) => "made up to",
        (Some(Step::To), _) => "made up to",
        (Some(Step::Take), _) => "took",
        (Some(Step::Stock), _) => "drew",
    };
    let who = match r.step {
        Some(Step::Weigh | Step::Total) => format!("{} aliquot", r.id),
        Some(Step::Stock | Step::To) => format!("{} dilution", r.id),
        Some(Step::Take) => format!("{} portion", r.id),
        None => r.id.clone(),
    };
    let Some(read) = &r.read else {
        return match r.step {
            Some(s) => format!("{who}: no reading of `{}`", s.as_str()),
            None => format!("{who}: no reading"),
        };
    };
    let mut shown = written(read);
    if let (Some(_), Some(Measured::Volume(v))) = (r.density, r.actual) {
        shown = format!("{shown} (= {} mL)", significant(v.ml(), 4).unwrap_or(v.ml()).normalize());
    }
    match (r.status, r.deviation, r.tolerance) {
        (Status::Unmeasured, _, _) => {
            format!("{who} {what} {shown}, below the balance's minimum weight: unmeasured, read it by volume")
        }
        (s, Some(d), Some(t)) => {
            format!("{who} {what} {shown}, {} {} the {}% tolerance", signed_percent(d, 2), side(s), plain(t))
        }
        _ => format!("{who} {what} {shown}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::Mass;

    #[test]
    fn a_reason_names_the_reading_its_deviation_and_the_tolerance() {
        let r = Reading {
            id: "ketamine-hcl".to_string(),
            step: None,
            target: Measured::Mass(Mass::from_mg(Decimal::new(31658, 1))),
            read: Some(crate::quantity::Quantity::parse("3.3310 g").unwrap()),
            actual: Some(Measured::Mass(Mass::from_mg(Decimal::from(3331)))),
            density: None,
            deviation: Some("5.2182702634405205635226482721".parse().unwrap()),
            tolerance: Some(Decimal::TWO),
            status: Status::Over,
        };
        assert_eq!(reading_reason(&r), "ketamine-hcl weighed 3.3310 g, +5.22% over the 2% tolerance");
        let missing = Reading { read: None, actual: None, deviation: None, status: Status::Missing, ..r };
        assert_eq!(reading_reason(&missing), "ketamine-hcl: no reading");
    }
}
