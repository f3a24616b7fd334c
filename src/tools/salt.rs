//! `ketacalc salt QUANTITY --from base --to salt [--molecule ketamine | --mw A --base-mw B]`:
//! a mass or a strength of the salt as the base, or the other way round (SPEC §9;
//! DOMAIN §1.2 and §12 problems 34–37).
//!
//! The factor is always the ratio of the two molecular weights, never a rounded
//! constant: ketamine HCl ÷ ketamine base = 274.19 ÷ 237.73 = 1.1533673…, where the
//! Ketalar label's truncated 1.1533 gives 115.33 mg for 100 mg base, not 115.34.

use crate::number::for_reading;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::error::{ToolError, at};
use super::input::{self, invalid_help};
use super::rational::Rational;
use super::{Answer, Item, Value, ValueUnit};
use crate::formula::StrengthBasis;

use crate::unit::Dimension;

/// A built-in molecule with a salt and a base form (DOMAIN §0, §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Molecule {
    /// Racemic ketamine: HCl 274.19, base 237.73 g/mol (Merck Index).
    Ketamine,
    /// Esketamine, the S-enantiomer: the same formula and weights as ketamine.
    Esketamine,
}

impl Molecule {
    /// The molecular weights of the salt and of the base, g/mol.
    pub fn weights(self) -> (Decimal, Decimal) {
        // Enantiomers share the formula C13H16ClNO·HCl, so both have these weights.
        (dec!(274.19), dec!(237.73))
    }

    /// How the salt and the base are named in output.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Molecule::Ketamine => ("ketamine HCl", "ketamine base"),
            Molecule::Esketamine => ("esketamine HCl", "esketamine base"),
        }
    }
}

/// Where the molecular weights come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weights<'a> {
    /// A built-in molecule.
    Molecule(Molecule),
    /// `--mw A --base-mw B`, as written (plain numbers, g/mol).
    Given {
        /// The salt's molecular weight.
        mw: &'a str,
        /// The base's molecular weight.
        base_mw: &'a str,
    },
}

/// `salt QUANTITY --from F --to T`.
///
/// `quantity` is a mass or a strength (`mg/mL`, `%w/v`, `mg/g`, `mg/unit`, …); the
/// answer is in the same unit: `× salt ÷ base` from base to salt, `× base ÷ salt` back.
///
/// # Errors
///
/// A quantity that does not parse, is zero or is not a mass or mass strength; `from`
/// equal to `to`; a molecular weight that is not a number above zero, or a salt no
/// heavier than its base (the weights are probably swapped).
pub fn salt(
    quantity: &str,
    from: StrengthBasis,
    to: StrengthBasis,
    weights: Weights,
) -> Result<Answer, ToolError> {
    let q = input::quantity(
        "QUANTITY",
        quantity,
        &[Dimension::Mass, Dimension::MassPerVolume, Dimension::MassPerMass, Dimension::MassPerCount],
        "a mass or a strength, like `50 mg` or `100 mg/mL`",
    )?;
    if from == to {
        return Err(invalid_help(
            "--to",
            to.as_str(),
            "it is the same as `--from`: nothing to convert",
            format!("write `--from {} --to {}`", from.as_str(), from.other().as_str()),
        ));
    }
    let (mw, base_mw, (salt_name, base_name)) = match weights {
        Weights::Molecule(m) => {
            let (a, b) = m.weights();
            (a, b, m.names())
        }
        Weights::Given { mw, base_mw } => {
            let a = input::number("--mw", mw)?;
            let b = input::number("--base-mw", base_mw)?;
            if a <= b {
                return Err(ToolError::Invalid {
                    option: "--mw",
                    value: mw.trim().to_string(),
                    reason: format!(
                        "a salt weighs more than its base, but `--mw {}` is not above `--base-mw {}`",
                        mw.trim(),
                        base_mw.trim()
                    ),
                    help: Some(
                        "`--mw` is the salt's molecular weight, `--base-mw` the base's; are they swapped?"
                            .into(),
                    ),
                });
            }
            (a, b, ("salt", "base"))
        }
    };
    let (num, den, from_name, to_name) = match from {
        StrengthBasis::Base => (mw, base_mw, base_name, salt_name),
        StrengthBasis::Salt => (base_mw, mw, salt_name, base_name),
    };
    let value = Rational::of(q.value)
        .times_dec(num)
        .and_then(|v| v.over_dec(den))
        .and_then(Rational::value)
        .map_err(at("the salt conversion"))?;
    let factor = Rational::new(num, den).and_then(Rational::value).map_err(at("the salt factor"))?;
    let result = Value::new(value, ValueUnit::Unit(q.unit));
    let calculation = vec![
        format!("{q} {from_name} × {} ÷ {} = {} {to_name}", num.normalize(), den.normalize(), result.read()),
        format!(
            "factor {} ÷ {} = {} ({to_name} per {from_name}, from the molecular weights)",
            num.normalize(),
            den.normalize(),
            // Seven places, as DOMAIN §1.2 quotes it (1.1533673), so that it is never
            // mistaken for the label's truncated 1.1533.
            for_reading(factor, 7)
        ),
    ];
    Ok(Answer::one(Item::new(result, to_name), calculation))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    const KETAMINE: Weights<'static> = Weights::Molecule(Molecule::Ketamine);

    fn base_to_salt(q: &str) -> Decimal {
        salt(q, StrengthBasis::Base, StrengthBasis::Salt, KETAMINE).unwrap().get("result").unwrap().value
    }

    #[test]
    fn ketamine_base_to_hcl_and_back() {
        // 50 × 274.19 ÷ 237.73, to 28 significant digits.
        assert!((base_to_salt("50 mg") - d("57.66836326925503722710638119")).abs() < d("1e-25"));
        let back = salt("100 mg", StrengthBasis::Salt, StrengthBasis::Base, KETAMINE).unwrap();
        assert!((back.get("result").unwrap().value - d("86.70265144607753747401436960")).abs() < d("1e-25"));
        assert_eq!(base_to_salt("237.73 mg"), d("274.19"));
    }

    #[test]
    fn strengths_keep_their_unit() {
        let a = salt("100 mg/mL", StrengthBasis::Salt, StrengthBasis::Base, KETAMINE).unwrap();
        assert_eq!(a.get("result").unwrap().unit.to_string(), "mg/mL");
        assert_eq!(
            a.calculation,
            [
                "100 mg/mL ketamine HCl × 237.73 ÷ 274.19 = ≈86.7027 mg/mL ketamine base",
                "factor 237.73 ÷ 274.19 = ≈0.8670265 (ketamine base per ketamine HCl, from the molecular weights)"
            ]
        );
    }

    #[test]
    fn given_weights() {
        let w = Weights::Given { mw: "274.19", base_mw: "237.73" };
        let a = salt("50 mg", StrengthBasis::Base, StrengthBasis::Salt, w).unwrap();
        assert_eq!(a.get("result").unwrap().value, base_to_salt("50 mg"));
        let swapped = Weights::Given { mw: "237.73", base_mw: "274.19" };
        let e = salt("50 mg", StrengthBasis::Base, StrengthBasis::Salt, swapped).unwrap_err();
        assert!(e.help().unwrap().contains("swapped"), "{e}");
        assert!(
            salt("50 mg", StrengthBasis::Base, StrengthBasis::Salt, Weights::Given { mw: "0", base_mw: "1" })
                .is_err()
        );
    }

    #[test]
    fn refusals() {
        assert!(salt("50 mg", StrengthBasis::Base, StrengthBasis::Base, KETAMINE).is_err());
        assert!(salt("0 mg", StrengthBasis::Base, StrengthBasis::Salt, KETAMINE).is_err());
        assert!(salt("5 mL", StrengthBasis::Base, StrengthBasis::Salt, KETAMINE).is_err());
        assert!(salt("5 %v/v", StrengthBasis::Base, StrengthBasis::Salt, KETAMINE).is_err());
    }
}
