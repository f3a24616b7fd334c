//! Beyond-use dates (SPEC §3.10; USP <795>, 2023).

use jiff::ToSpan;
use jiff::civil::Date;

use super::CalcError;
use super::batch::{Bud, BudRule};
use crate::formula::{Formula, Water};

/// The USP <795> rule for a formula, or its own override, with its days.
pub fn rule(formula: &Formula) -> (BudRule, i32) {
    if let Some(o) = &formula.bud {
        return (BudRule::Formula, i32::try_from(o.days).unwrap_or(180));
    }
    match (formula.water, formula.preserved) {
        (Water::Aqueous, false) => (BudRule::AqueousNonpreserved, 14),
        (Water::Aqueous, true) => (BudRule::AqueousPreserved, 35),
        (Water::Nonaqueous, _) if formula.dosage_form.is_oral_liquid() => (BudRule::NonaqueousOralLiquid, 90),
        (Water::Nonaqueous, _) => (BudRule::Nonaqueous, 180),
    }
}

/// The beyond-use date for a batch compounded on `date`, capped by the earliest of the
/// component expiries (`(ingredient id, expiry)`). A component that expires on or before
/// the compounding date is an error.
pub fn beyond_use_date(formula: &Formula, date: Date, expiries: &[(String, Date)]) -> Result<Bud, CalcError> {
    let (rule, days) = rule(formula);
    let range = || CalcError::DateRange { date: date.to_string() };
    let by_rule = date.checked_add(days.days()).map_err(|_| range())?;
    for (id, expiry) in expiries {
        if *expiry <= date {
            return Err(CalcError::Expired {
                id: id.clone(),
                expiry: expiry.to_string(),
                date: date.to_string(),
            });
        }
    }
    let earliest = expiries.iter().min_by_key(|(_, e)| *e);
    match earliest {
        Some((id, expiry)) if *expiry < by_rule => {
            let days = date.until(*expiry).map_err(|_| range())?.get_days();
            Ok(Bud { date: *expiry, days, rule, limited_by: Some(id.clone()) })
        }
        _ => Ok(Bud { date: by_rule, days, rule, limited_by: None }),
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
                (want_rule, want_days),
                "{water} {preserved} {form}"
            );
        }
        let own = formula("aqueous", true, "cream", "bud_days = 60\nbud_reference = \"study\"");
        assert_eq!(rule(&own), (BudRule::Formula, 60));
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
        assert_eq!((bud.date, bud.days, bud.limited_by.as_deref()), (date(2026, 12, 10), 14, Some("k")));
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
