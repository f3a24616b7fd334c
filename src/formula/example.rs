//! Examples for help lines, by the key's declaration ([`super::format`]) and the
//! formula's dosage form: a fix that is suggested must be one the loader then accepts
//! (`revision = 1`, not `revision = "1.0"`; `displacement_factor = "0.70"`, with no unit;
//! `amount = "50 mg/troche"` for a troche, not `"100 mg/mL"`).

use super::format::{Kind, Value};
use super::{Basis, DosageForm};

/// The unit a quantity of `kind` is written with in a formula of `form` (`None`: a plain
/// number or count).
pub(crate) fn unit(kind: Kind, form: Option<DosageForm>) -> Option<String> {
    let basis = form.map(DosageForm::basis);
    let text = match kind {
        Kind::Mass => "g",
        Kind::Volume => "mL",
        Kind::Density => "g/mL",
        Kind::Percent | Kind::Overage => "%",
        Kind::Number => return None,
        Kind::Concentration => match basis {
            Some(Basis::Mass) => "mg/g",
            _ => "mg/mL",
        },
        Kind::BatchSize => match basis {
            Some(Basis::Mass) => "g",
            Some(Basis::Molded) => return None,
            _ => "mL",
        },
        Kind::Amount => return Some(amount_unit(form)),
        Kind::Stock => "mg/mL",
        Kind::Dose => "mg/kg",
        Kind::Time => "min",
        Kind::DropFactor => "gtt/mL",
        Kind::Measured => "g",
        Kind::Yield => return None,
    };
    Some(text.to_string())
}

/// The unit of an ingredient amount in a formula of `form`.
pub(crate) fn amount_unit(form: Option<DosageForm>) -> String {
    match form {
        None => "mg/mL".to_string(),
        Some(f) => match f.basis() {
            Basis::Volume | Basis::Infusion => "mg/mL".to_string(),
            Basis::Mass => "%w/w".to_string(),
            // Per unit, whatever the form calls its units (SPEC §13.1: `"4.0 mg/unit"`).
            Basis::Molded => "mg/unit".to_string(),
        },
    }
}

/// The help for `key = <float>` (a TOML float, written `text`), by what the key holds.
pub(crate) fn float_help(key: &str, text: &str, value: Option<Value>, form: Option<DosageForm>) -> String {
    let whole = || {
        text.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite() && f.fract() == 0.0 && *f >= 0.0 && *f < 1e15)
            .map(|f| format!("{f:.0}"))
    };
    let quoted = |unit: Option<String>| match unit {
        Some(u) if u == "%" => format!("`{key} = \"{text}%\"`"),
        Some(u) => format!("`{key} = \"{text} {u}\"`"),
        None => format!("`{key} = \"{text}\"`"),
    };
    match value {
        Some(Value::Integer { min, .. }) => {
            let n = whole().unwrap_or_else(|| min.to_string());
            format!("a count is a whole number, written without a point or quotes: `{key} = {n}`")
        }
        Some(Value::Bool) => format!("write `{key} = true` or `{key} = false`"),
        Some(Value::Quantity(kind)) => match unit(kind, form) {
            Some(u) => format!("write it as a quoted string with its unit, e.g. {}", quoted(Some(u))),
            None => format!("write it as a quoted string: {}", quoted(None)),
        },
        Some(Value::QuantityOrCount(kind)) => match (unit(kind, form), whole()) {
            (Some(u), _) => format!("write it as a quoted string with its unit, e.g. {}", quoted(Some(u))),
            (None, Some(n)) => {
                format!("write a whole number, `{key} = {n}`, or a quoted string: {}", quoted(None))
            }
            (None, None) => format!("write it as a quoted string: {}", quoted(None)),
        },
        Some(
            Value::Text { .. }
            | Value::Id
            | Value::Choice(_)
            | Value::Schedule
            | Value::Texts
            | Value::Line
            | Value::Formula
            | Value::Strengths
            | Value::Results,
        ) => format!("write it as a quoted string: {}", quoted(None)),
        Some(Value::Date) => format!("write it as a quoted date: `{key} = \"2026-11-26\"`"),
        Some(Value::Clock) => format!("write it as a quoted 24-hour time: `{key} = \"09:00\"`"),
        Some(
            Value::Table(_) | Value::Tables(_) | Value::Refused(_) | Value::ById(_) | Value::Readings { .. },
        )
        | None => {
            format!("write it as a quoted string with its unit, e.g. `{key} = \"{text} …\"`")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::format::{BATCH, FORMULA, INGREDIENT};

    fn help(
        table: &'static crate::formula::Table,
        key: &str,
        text: &str,
        form: Option<DosageForm>,
    ) -> String {
        float_help(key, text, table.key(key).map(|k| k.value), form)
    }

    #[test]
    fn suggestions_are_values_the_loader_accepts() {
        assert_eq!(
            help(&FORMULA, "revision", "1.0", None),
            "a count is a whole number, written without a point or quotes: `revision = 1`"
        );
        assert_eq!(
            help(&INGREDIENT, "displacement_factor", "0.70", Some(DosageForm::Troche)),
            "write it as a quoted string: `displacement_factor = \"0.70\"`"
        );
        assert_eq!(
            help(&INGREDIENT, "amount", "50.0", Some(DosageForm::Troche)),
            "write it as a quoted string with its unit, e.g. `amount = \"50.0 mg/unit\"`"
        );
        assert_eq!(
            help(&INGREDIENT, "amount", "10.0", Some(DosageForm::Cream)),
            "write it as a quoted string with its unit, e.g. `amount = \"10.0 %w/w\"`"
        );
        assert_eq!(
            help(&INGREDIENT, "purity", "50.0", None),
            "write it as a quoted string with its unit, e.g. `purity = \"50.0%\"`"
        );
        assert_eq!(
            help(&BATCH, "quantity", "30.0", Some(DosageForm::Rdt)),
            "write a whole number, `quantity = 30`, or a quoted string: `quantity = \"30.0\"`"
        );
        assert_eq!(
            help(&BATCH, "quantity", "30.0", Some(DosageForm::NasalSpray)),
            "write it as a quoted string with its unit, e.g. `quantity = \"30.0 mL\"`"
        );
    }

    #[test]
    fn every_suggested_amount_unit_parses_and_fits_its_form() {
        for f in DosageForm::ALL.iter().filter(|f| f.basis() != Basis::Infusion) {
            let a = format!("4.0 {}", amount_unit(Some(*f)));
            let d = crate::quantity::Amount::parse(&a).unwrap().dimension().unwrap();
            assert!(f.basis().amount_dimensions().contains(&d), "{f}: {a}");
        }
    }
}
