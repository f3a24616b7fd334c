//! Beyond-use dates: USP <795> (2023) for nonsterile preparations (SPEC §3.10), and
//! USP <797> (2023) dates and times for sterile infusions (SPEC §8.4).

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, ToSpan};

use super::CalcError;
use super::batch::{Bud, BudRule, Period};
use crate::formula::{Formula, Starting, Sterile, SterileCategory, SterileMethod, Storage, Water};

/// The rule for a formula, with its period: USP <797> for an infusion, else USP <795>
/// or the formula's own override.
pub fn rule(formula: &Formula) -> (BudRule, Period) {
    if let Some(i) = &formula.infusion {
        return sterile_rule(&i.sterile, formula.storage);
    }
    if let Some(o) = &formula.bud {
        return (BudRule::Formula, Period::Days(i32::try_from(o.days).unwrap_or(180)));
    }
    let (rule, days) = match (formula.water, formula.preserved) {
        (Some(Water::Aqueous), false) => (BudRule::AqueousNonpreserved, 14),
        (Some(Water::Aqueous), true) => (BudRule::AqueousPreserved, 35),
        (_, _) if formula.dosage_form.is_oral_liquid() => (BudRule::NonaqueousOralLiquid, 90),
        (_, _) => (BudRule::Nonaqueous, 180),
    };
    (rule, Period::Days(days))
}

/// USP <797> (2023): immediate use, category 1, and category 2 (table 13). A storage the
/// table has no entry for (a freezer for immediate use or category 1) is refused by the
/// loader; should one reach here, it gets the shortest period of its row.
fn sterile_rule(s: &Sterile, storage: Storage) -> (BudRule, Period) {
    let by_storage = |rt, fridge, freezer| match storage {
        Storage::RoomTemperature => rt,
        Storage::Refrigerator => fridge,
        Storage::Freezer => freezer,
    };
    match s.category {
        SterileCategory::ImmediateUse => (BudRule::Usp797ImmediateUse, Period::Hours(4)),
        SterileCategory::One => (BudRule::Usp797Category1, Period::Hours(by_storage(12, 24, 12))),
        SterileCategory::Two => {
            let days = match (s.method, s.tested, s.starting) {
                (Some(SterileMethod::Terminal), true, _) => by_storage(45, 60, 90),
                (Some(SterileMethod::Terminal), false, _) => by_storage(14, 28, 45),
                (_, true, _) => by_storage(30, 45, 60),
                (_, false, Some(Starting::Sterile)) => by_storage(4, 10, 45),
                // Not tested with a nonsterile (or unknown) starting component: the shortest.
                (_, false, _) => by_storage(1, 4, 45),
            };
            (BudRule::Usp797Category2, Period::Days(days))
        }
    }
}

/// Refuses a component whose expiry is before `date`; `strict` also refuses one that
/// expires on it (USP <795>: a date alone cannot be used on the day it expires).
fn check_expiries(date: Date, expiries: &[(String, Date)], strict: bool) -> Result<(), CalcError> {
    for (id, expiry) in expiries {
        if *expiry < date || (strict && *expiry == date) {
            return Err(CalcError::Expired {
                id: id.clone(),
                expiry: expiry.to_string(),
                date: date.to_string(),
            });
        }
    }
    Ok(())
}

/// The USP <795> beyond-use date: `date` plus the rule's days, capped by the earliest
/// component expiry.
pub fn beyond_use_date(formula: &Formula, date: Date, expiries: &[(String, Date)]) -> Result<Bud, CalcError> {
    let (rule, period) = rule(formula);
    let days = match period {
        Period::Days(d) => d,
        Period::Hours(_) => 0,
    };
    let range = || CalcError::DateRange { date: date.to_string() };
    let by_rule = date.checked_add(days.days()).map_err(|_| range())?;
    check_expiries(date, expiries, true)?;
    let earliest = expiries.iter().min_by_key(|(_, e)| *e);
    match earliest {
        Some((id, expiry)) if *expiry < by_rule => {
            let days = date.until(*expiry).map_err(|_| range())?.get_days();
            Ok(Bud {
                date: *expiry,
                time: None,
                period: Period::Days(days),
                rule,
                limited_by: Some(id.clone()),
                minutes: None,
            })
        }
        _ => Ok(Bud { date: by_rule, time: None, period, rule, limited_by: None, minutes: None }),
    }
}

/// The USP <797> beyond-use date and time of an infusion compounded on `date` at `time`
/// in `zone` (SPEC §8.4). Hours are elapsed time, so 12 hours across a clock change are
/// still 12 hours; days are calendar days at the compounding time. An expiry date means
/// the end of that day: one before the compounding date is refused, one that ends
/// before the rule's date and time caps it at 23:59 of that day.
pub(crate) fn sterile_bud(
    formula: &Formula,
    date: Date,
    time: Time,
    zone: &TimeZone,
    expiries: &[(String, Date)],
) -> Result<Bud, CalcError> {
    let (rule, period) = rule(formula);
    let range = || CalcError::DateRange { date: date.to_string() };
    let start = date.to_datetime(time).to_zoned_datetime(zone.clone()).map_err(|_| range())?;
    let end_zoned = match period {
        Period::Hours(h) => {
            start.checked_add(SignedDuration::from_hours(i64::from(h))).map_err(|_| range())?
        }
        Period::Days(d) => date
            .checked_add(d.days())
            .map_err(|_| range())?
            .to_datetime(time)
            .to_zoned_datetime(zone.clone())
            .map_err(|_| range())?,
    };
    let end = end_zoned.datetime();
    check_expiries(date, expiries, false)?;
    let last_minute = Time::constant(23, 59, 0, 0);
    let earliest = expiries.iter().min_by_key(|(_, e)| *e);
    // The whole minutes from compounding to a civil date and time in `zone`.
    let minutes_until = |at: jiff::civil::DateTime| -> Result<i64, CalcError> {
        let at = at.to_zoned_datetime(zone.clone()).map_err(|_| range())?;
        Ok(start.duration_until(&at).as_mins())
    };
    match earliest {
        Some((id, expiry)) if expiry.to_datetime(last_minute) < end => {
            let capped = match period {
                Period::Days(_) => Period::Days(date.until(*expiry).map_err(|_| range())?.get_days()),
                Period::Hours(_) => {
                    let at = expiry
                        .to_datetime(last_minute)
                        .to_zoned_datetime(zone.clone())
                        .map_err(|_| range())?;
                    let hours = start.duration_until(&at).as_hours();
                    Period::Hours(i32::try_from(hours).map_err(|_| range())?)
                }
            };
            Ok(Bud {
                date: *expiry,
                time: Some(last_minute),
                period: capped,
                rule,
                limited_by: Some(id.clone()),
                minutes: Some(minutes_until(expiry.to_datetime(last_minute))?),
            })
        }
        _ => Ok(Bud {
            date: end.date(),
            time: Some(end.time()),
            period,
            rule,
            limited_by: None,
            minutes: Some(start.duration_until(&end_zoned).as_mins()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::load_str;
    use jiff::civil::date;

    fn formula(water: &str, preserved: bool, form: &str, extra: &str) -> Formula {
        let (device, mold, amount) = match form {
            "troche" => ("", "[mold]\nblank_weight = \"1 g\"\n", "50 mg/troche"),
            "cream" => ("", "", "10 %w/w"),
            _ => ("[device]\ndose = \"drop\"\nper_ml = \"20\"\n", "", "50 mg/mL"),
        };
        let text = format!(
            "format = 1\nid = \"t\"\nname = \"T\"\nrevision = 1\ndosage_form = \"{form}\"\nroute = \"oral\"\n\
             water = \"{water}\"\npreserved = {preserved}\nstorage = \"refrigerator\"\n{extra}\n\
             [batch]\nquantity = \"30\"\n{device}{mold}\
             [[ingredients]]\nid = \"k\"\nname = \"K\"\nrole = \"active\"\nbasis = \"salt\"\namount = \"{amount}\"\n\
             displacement_factor = \"1\"\n\
             [[ingredients]]\nid = \"b\"\nname = \"B\"\nrole = \"base\"\namount = \"qs\"\n"
        )
        .replace("quantity = \"30\"", if form == "troche" { "quantity = \"30\"" } else if form == "cream" { "quantity = \"30 g\"" } else { "quantity = \"30 mL\"" })
        .replace("displacement_factor = \"1\"\n", if form == "troche" { "displacement_factor = \"1\"\n" } else { "" });
        let loaded = load_str(&text);
        loaded.formula.unwrap_or_else(|| panic!("{:?}\n{text}", loaded.diagnostics))
    }

    #[test]
    fn usp_795_table() {
        let cases = [
            ("aqueous", false, "sublingual-drops", BudRule::AqueousNonpreserved, 14),
            ("aqueous", true, "cream", BudRule::AqueousPreserved, 35),
            ("nonaqueous", false, "sublingual-drops", BudRule::NonaqueousOralLiquid, 90),
            ("nonaqueous", false, "troche", BudRule::Nonaqueous, 180),
            ("nonaqueous", false, "cream", BudRule::Nonaqueous, 180),
        ];
        for (water, preserved, form, want_rule, want_days) in cases {
            assert_eq!(
                rule(&formula(water, preserved, form, "")),
                (want_rule, Period::Days(want_days)),
                "{water} {preserved} {form}"
            );
        }
        let own = formula("aqueous", true, "cream", "bud_days = 60\nbud_reference = \"study\"");
        assert_eq!(rule(&own), (BudRule::Formula, Period::Days(60)));
    }

    #[test]
    fn leap_years_and_month_ends() {
        let f = formula("aqueous", false, "sublingual-drops", "");
        // 14 days from 2028-02-20 crosses a leap day.
        assert_eq!(beyond_use_date(&f, date(2028, 2, 20), &[]).unwrap().date, date(2028, 3, 5));
        assert_eq!(beyond_use_date(&f, date(2027, 2, 20), &[]).unwrap().date, date(2027, 3, 6));
        let t = formula("nonaqueous", false, "troche", "");
        // 180 days from 2026-11-26 (worked case troche-displacement-070).
        assert_eq!(beyond_use_date(&t, date(2026, 11, 26), &[]).unwrap().date, date(2027, 5, 25));
        assert_eq!(beyond_use_date(&t, date(2026, 12, 31), &[]).unwrap().date, date(2027, 6, 29));
    }

    #[test]
    fn expiry_caps_and_names_the_component() {
        let f = formula("aqueous", true, "cream", "");
        let d = date(2026, 11, 26);
        let bud = beyond_use_date(&f, d, &[("k".into(), date(2026, 12, 10)), ("b".into(), date(2027, 6, 1))])
            .unwrap();
        assert_eq!(
            (bud.date, bud.period, bud.limited_by.as_deref()),
            (date(2026, 12, 10), Period::Days(14), Some("k"))
        );
        // An expiry on the rule's date or later does not limit it.
        let bud = beyond_use_date(&f, d, &[("k".into(), date(2026, 12, 31))]).unwrap();
        assert_eq!((bud.date, bud.limited_by), (date(2026, 12, 31), None));
    }

    #[test]
    fn expired_components_are_refused() {
        let f = formula("aqueous", true, "cream", "");
        let d = date(2026, 11, 26);
        assert!(matches!(beyond_use_date(&f, d, &[("k".into(), d)]), Err(CalcError::Expired { .. })));
        assert!(matches!(
            beyond_use_date(&f, d, &[("k".into(), date(2026, 1, 1))]),
            Err(CalcError::Expired { .. })
        ));
    }
}
