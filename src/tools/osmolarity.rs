//! `ketacalc osmolarity S --mw MW --particles K`: the ideal osmolarity of a solution,
//! in mOsm/L (SPEC §9; DOMAIN §1.4 and §12 problems 20 and 21).
//!
//! mOsm/L = S (g/L) ÷ MW (g/mol) × K × 1000, where K is the number of particles one
//! molecule gives in solution (2 for NaCl and for ketamine HCl). S in mg/mL is the same
//! number as in g/L. The result is ideal: real solutions are measured (osmolality).

use rust_decimal::Decimal;

use super::error::{ToolError, at};
use super::input::{self, Kind, invalid_help};
use super::{Answer, Item, Value, ValueUnit, reading};

/// `osmolarity S --mw MW --particles K`.
///
/// # Errors
///
/// A strength that is not a mass per volume above zero; a molecular weight or a number
/// of particles that is not a number above zero.
pub fn osmolarity(strength: &str, mw: &str, particles: &str) -> Result<Answer, ToolError> {
    let s = input::strength("S", strength)?;
    if s.kind != Kind::WeightInVolume || s.base.is_zero() {
        return Err(invalid_help(
            "S",
            strength,
            "osmolarity needs a mass per volume above zero",
            "e.g. `23.4%w/v` or `100mg/mL`",
        ));
    }
    let mw = input::number("--mw", mw)?;
    let k = input::number("--particles", particles)?;
    // mg/mL = g/L; × K × 1000 mOsm per mol, ÷ MW, with the one division last.
    let value = s
        .base
        .times_dec(k)
        .and_then(|v| v.times_dec(Decimal::ONE_THOUSAND))
        .and_then(|v| v.over_dec(mw))
        .and_then(|v| v.value())
        .map_err(at("the osmolarity"))?;
    let g_per_l = s.base.value().map_err(at("the strength in g/L"))?;
    let result = Value::new(value, ValueUnit::MilliosmolesPerLitre);
    let calculation = vec![format!(
        "{s} = {} g/L; {} g/L ÷ {} g/mol × {} × 1000 = {}",
        reading(g_per_l),
        reading(g_per_l),
        mw.normalize(),
        k.normalize(),
        result.read()
    )];
    Ok(Answer::one(Item::new(result, "(ideal)"), calculation))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn textbook_solutions() {
        let a = osmolarity("23.4%w/v", "58.5", "2").unwrap();
        assert_eq!(a.get("result").unwrap().to_string(), "8000 mOsm/L");
        assert_eq!(a.calculation, ["23.4 %w/v = 234 g/L; 234 g/L ÷ 58.5 g/mol × 2 × 1000 = 8000 mOsm/L"]);
        assert_eq!(osmolarity("8.4%w/v", "84", "2").unwrap().get("result").unwrap().value, d("2000"));
        // DOMAIN §1.4: 100 mg/mL ketamine HCl, (100 ÷ 274.19) × 2 × 1000 ≈ 729.42.
        let v = osmolarity("100mg/mL", "274.19", "2").unwrap().get("result").unwrap().value;
        assert!((v - d("729.4212042744082570480323863")).abs() < d("0.000000000000000000000001"), "{v}");
    }

    #[test]
    fn refusals() {
        assert!(osmolarity("23.4%w/w", "58.5", "2").is_err());
        assert!(osmolarity("0%w/v", "58.5", "2").is_err());
        assert!(osmolarity("23.4%w/v", "0", "2").is_err());
        assert!(osmolarity("23.4%w/v", "58.5", "0").is_err());
        assert!(osmolarity("23.4%w/v", "58.5 g/mol", "2").is_err());
    }
}
