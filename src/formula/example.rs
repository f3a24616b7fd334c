//! Examples for help lines, by the key's declaration ([`super::format`]) and the
//! formula's dosage form: a fix that is suggested must be one the loader then accepts
//! (`revision = 1`, not `revision = "1.0"`; `displacement_factor = "0.70"`, with no unit;
//! `amount = "50 mg/troche"` for a troche, not `"100 mg/mL"`).

use super::format::{Kind, Value};
use super::{Basis, DosageForm};

/// The unit a quantity of `kind` is written with in a formula of `form` (`None`: a plain
/// number or count).
fn unit(kind: Kind, form: Option<DosageForm>) -> Option<String> {
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
fn amount_unit(form: Option<DosageForm>) -> String {
    match form {
        None => "mg/mL".to_string(),
        Some(f) => match f.basis() {
            Basis::Volume | Basis::Infusion => "mg/mL".to_string(),
            Basis::Mass => "%w/w".to_string(),
            // The form's own noun: `mg/troche`, `mg/rdt`.
            Basis::Molded => format!("mg/{}", f.as_str()),
        },
    }
}

/// An ingredient amount as a formula of `form` writes it, quoted: `"100 mg/mL"`,
/// `"10 %w/w"`, `"50 mg/troche"`.
pub(crate) fn amount(form: Option<DosageForm>) -> String {
    let number = match form.map(DosageForm::basis) {
        // An infusion's only amount is its diluent's.
        Some(Basis::Infusion) => return "\"qs\"".to_string(),
        Some(Basis::Mass) => "10",
        Some(Basis::Molded) => "50",
        _ => "100",
    };
    format!("\"{number} {}\"", amount_unit(form))
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
            "write it as a quoted string with its unit, e.g. `amount = \"50.0 mg/troche\"`"
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
        assert_eq!(amount(Some(DosageForm::Troche)), "\"50 mg/troche\"");
        assert_eq!(amount(Some(DosageForm::Rdt)), "\"50 mg/rdt\"");
        assert_eq!(amount(Some(DosageForm::Gel)), "\"10 %w/w\"");
        assert_eq!(amount(None), "\"100 mg/mL\"");
    }

    #[test]
    fn every_suggested_amount_parses_and_fits_its_form() {
        for f in DosageForm::ALL {
            let a = amount(Some(*f));
            let parsed = crate::quantity::Amount::parse(a.trim_matches('"')).unwrap();
            match parsed.dimension() {
                Some(d) => assert!(f.basis().amount_dimensions().contains(&d), "{f}: {a}"),
                // An infusion's only amount is its diluent's `qs`.
                None => assert_eq!((*f, parsed), (DosageForm::IvInfusion, crate::quantity::Amount::Qs)),
            }
        }
    }
}
