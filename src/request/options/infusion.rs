//! An infusion's options from their text (SPEC §8.3): the patient's weight, a dose, a
//! duration, a bag, the compounding time and an order's own ceiling. Each error names the
//! option as given.

use jiff::civil::Time;
use rust_decimal::Decimal;

use super::Errors;
use super::flags::{Flag, Flags};
use super::values::{opt, parse_base, parse_text, refuse};
use crate::calc::{InfusionOptions, Weight};
use crate::formula::DoseRule;
use crate::formula::dose::{
    DURATION_BOUNDS, MAX_BAG_ML, MAX_WEIGHT_KG, is_infusion_time, parse_dose, parse_duration, parse_weight,
};
use crate::measure::{BodyWeight, Duration, Mass, Volume};
use crate::quantity::Quantity;
use crate::request::{Field, RequestError};
use crate::unit::Dimension;

/// The infusion's options of `flags`; each value refused is an error in `e`.
pub(crate) fn options(flags: &Flags<'_>, e: &mut Errors) -> InfusionOptions {
    InfusionOptions {
        weight: flags.weight.and_then(|f| e.keep(weight(f))),
        dose: flags.dose.and_then(|f| e.keep(dose(f))),
        duration: flags.duration.and_then(|f| e.keep(duration(f))),
        bag: flags.bag.and_then(|f| e.keep(bag(f))),
        time: flags.time.and_then(|f| e.keep(time(f))),
        zone: jiff::tz::TimeZone::UTC,
        max: e.keep(ceiling(flags, flags.max, flags.authorized_by)).flatten(),
    }
}

/// `--max M --authorized-by TEXT`: this order's ceiling and who approved it; each needs
/// the other (SPEC §12.4).
fn ceiling(
    flags: &Flags<'_>,
    max: Option<Flag<'_>>,
    by: Option<Flag<'_>>,
) -> Result<Option<(Mass, String)>, RequestError> {
    match (max, by) {
        (None, None) => Ok(None),
        (Some(m), None) => Err(RequestError::NeedsPartner {
            option: m.name.to_string(),
            partner: flags.syntax.name(Field::AuthorizedBy),
            why: "a ceiling other than the formula's is approved by someone, whose name the worksheet and label print",
        }),
        (None, Some(b)) => Err(RequestError::NeedsPartner {
            option: b.name.to_string(),
            partner: flags.syntax.name(Field::Max),
            why: "it names who approved this order's own ceiling",
        }),
        (Some(m), Some(b)) => {
            let mg = parse_base(m.name, m.value, Dimension::Mass, "a mass, like `80 mg`")?;
            if mg.is_zero() || mg > Decimal::from(crate::formula::MAX_MASS_MG) {
                return Err(refuse(m.name, m.value, "a dose ceiling is a mass above zero, such as `80 mg`"));
            }
            let who = parse_text(b.name, b.value)?;
            if who.trim().is_empty() {
                return Err(refuse(b.name, b.value, "name who approved the ceiling"));
            }
            Ok(Some((Mass::from_mg(mg), who)))
        }
    }
}

/// `--weight`: a mass with its unit, over 0 and at most 500 kg.
fn weight(f: Flag<'_>) -> Result<Weight, RequestError> {
    let (given, kg) = parse_weight(f.value).map_err(opt(f.name))?;
    if kg <= Decimal::ZERO || kg > Decimal::from(MAX_WEIGHT_KG) {
        return Err(refuse(f.name, f.value, "a body weight is over 0 kg and at most 500 kg"));
    }
    Ok(Weight { given, kg: BodyWeight::from_kg(kg) })
}

/// `--dose`: a rule per kg or a fixed mass, above zero.
fn dose(f: Flag<'_>) -> Result<(DoseRule, Quantity), RequestError> {
    let rule = parse_dose(f.value).map_err(opt(f.name))?;
    let written = Quantity::parse(f.value).map_err(opt(f.name))?;
    if written.value.is_zero() {
        return Err(refuse(f.name, f.value, "a dose is above zero"));
    }
    Ok((rule, written))
}

/// `--duration`: from 1 minute to 24 hours.
fn duration(f: Flag<'_>) -> Result<Duration, RequestError> {
    let minutes = parse_duration(f.value).map_err(opt(f.name))?;
    if !is_infusion_time(minutes) {
        return Err(refuse(f.name, f.value, DURATION_BOUNDS));
    }
    Ok(Duration::from_minutes(minutes))
}

/// `--bag`: a volume over 0 and at most 5 L.
fn bag(f: Flag<'_>) -> Result<Volume, RequestError> {
    let ml = parse_base(f.name, f.value, Dimension::Volume, "a volume, like `250 mL`")?;
    if ml.is_zero() || ml > Decimal::from(MAX_BAG_ML) {
        return Err(refuse(f.name, f.value, "a bag holds over 0 mL and at most 5 L"));
    }
    Ok(Volume::from_ml(ml))
}

/// `--time HH:MM` (or `H:MM`), 24-hour clock.
fn time(f: Flag<'_>) -> Result<Time, RequestError> {
    let bad = || refuse(f.name, f.value, "expected a 24-hour time `HH:MM`, such as `09:00` or `21:30`");
    let (h, m) = f.value.trim().split_once(':').ok_or_else(bad)?;
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 1..=2) || !digits(m, 2..=2) {
        return Err(bad());
    }
    let (h, m) = (h.parse::<i8>().map_err(|_| bad())?, m.parse::<i8>().map_err(|_| bad())?);
    Time::new(h, m, 0, 0).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(value: &str) -> Flag<'_> {
        Flag { name: "--x", value }
    }

    #[test]
    fn weights_in_range_with_a_unit() {
        assert_eq!(weight(flag("70kg")).unwrap().kg.kg(), Decimal::from(70));
        assert_eq!(weight(flag("500 kg")).unwrap().kg.kg(), Decimal::from(500));
        assert_eq!(weight(flag("70kgs")).unwrap().kg.kg(), Decimal::from(70));
        for bad in ["0 kg", "1000 kg", "500.001 kg", "70", "70 mL", "-70 kg", "70mg", "70000 g"] {
            let e = weight(flag(bad)).unwrap_err().to_string();
            assert!(e.contains("`--x`"), "{bad}: {e}");
        }
    }

    #[test]
    fn times_durations_and_bags() {
        assert_eq!(time(flag("09:00")).unwrap(), Time::constant(9, 0, 0, 0));
        assert_eq!(time(flag("23:59")).unwrap(), Time::constant(23, 59, 0, 0));
        assert_eq!(time(flag("9:05")).unwrap(), Time::constant(9, 5, 0, 0));
        for bad in ["9:0", "24:00", "12:60", "12", "12:00:00", "ab:cd", "123:00"] {
            assert!(time(flag(bad)).is_err(), "{bad}");
        }
        assert_eq!(duration(flag("1 h")).unwrap().minutes(), Decimal::from(60));
        assert_eq!(duration(flag("1 min")).unwrap().minutes(), Decimal::ONE);
        assert_eq!(duration(flag("24 h")).unwrap().minutes(), Decimal::from(1440));
        for bad in ["0 min", "25 h", "40", "0.01min", "0.0000000000000000000000001h", "0.99 min", "24.01 h"] {
            let e = duration(flag(bad)).unwrap_err().to_string();
            assert!(bad == "40" || e.contains("from 1 min to 24 h"), "{bad}: {e}");
        }
        assert_eq!(bag(flag("250mL")).unwrap(), Volume::from_ml(Decimal::from(250)));
        assert!(bag(flag("0 mL")).is_err());
        assert!(dose(flag("0 mg/kg")).is_err());
    }
}
