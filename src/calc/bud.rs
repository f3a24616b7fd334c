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
