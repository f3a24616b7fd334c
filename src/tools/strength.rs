//! `ketacalc strength AMOUNT (--in TOTAL | --plus SOLVENT [--density D]) [--to UNIT]`
//! (extension): the strength of an amount in a preparation (DOMAIN §12 problems 8 and 17).
//!
//! - `--in TOTAL`: the amount is in TOTAL of finished preparation. A mass in a volume
//!   gives w/v, a mass in a mass w/w, a volume in a volume v/v.
//! - `--plus SOLVENT`: the amount is *added to* SOLVENT; masses add, so the total is the
//!   amount plus the solvent and the strength is w/w. A solvent given as a volume needs
//!   its density (`--density`, never assumed). Volumes do not add exactly, so a volume
//!   amount, or a w/v answer, needs the measured final quantity with `--in`.
//!
//! The answer is a percent of its kind unless `--to` names another unit of that kind
//! or `ratio`.

use rust_decimal::Decimal;

use super::error::{ToolError, at};
use super::input::{self, Form, Kind, base_text, express, invalid_help};
use super::rational::Rational;
use super::{Answer, Item, Value};
use crate::unit::{Dimension, Unit};

/// What the amount is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whole<'a> {
    /// `--in TOTAL`: the finished preparation.
    In(&'a str),
    /// `--plus SOLVENT`, with `--density` when the solvent is a volume.
    Plus {
        /// The solvent, a mass or a volume.
        solvent: &'a str,
        /// The solvent's density.
        density: Option<&'a str>,
    },
}

const AMOUNT_OR_TOTAL: &str = "a mass or a volume, like `200mg` or `90mL`";

fn target(text: &str, kind: Kind) -> Result<Form, ToolError> {
    let t = text.trim();
    let wrong = || {
        invalid_help(
            "--to",
            text,
            format!("the strength is {}: expected a unit of that kind, or `ratio`", kind.as_str()),
            format!(
                "e.g. `--to {}`; for another kind, use `ketacalc convert` with the preparation's density",
                kind.percent()
            ),
        )
    };
    if t.eq_ignore_ascii_case("ratio") {
        return kind.ratio().map(Form::Ratio).ok_or_else(wrong);
    }
    match Unit::parse(t) {
        Some(u) if Kind::of(u.dimension()) == Some(kind) => Ok(Form::Unit(u)),
        _ => Err(wrong()),
    }
}

/// `strength AMOUNT (--in TOTAL | --plus SOLVENT [--density D]) [--to UNIT]`.
///
/// # Errors
///
/// A value that does not parse or is zero; an amount larger than the total; a volume in
/// a mass; `--plus` with a volume amount, or a volume solvent without `--density`; a
/// `--to` unit of another kind.
pub fn strength(amount: &str, whole: Whole, to: Option<&str>) -> Result<Answer, ToolError> {
    let a = input::quantity("AMOUNT", amount, &[Dimension::Mass, Dimension::Volume], AMOUNT_OR_TOTAL)?;
    let a_base = input::in_base(&a)?;
    let (kind, total, total_text, mut calculation) = match whole {
        Whole::In(text) => {
            let t = input::quantity("--in", text, &[Dimension::Mass, Dimension::Volume], AMOUNT_OR_TOTAL)?;
            let kind = match (a.dimension(), t.dimension()) {
                (Dimension::Mass, Dimension::Volume) => Kind::WeightInVolume,
                (Dimension::Mass, _) => Kind::WeightInWeight,
                (_, Dimension::Volume) => Kind::VolumeInVolume,
                _ => {
                    return Err(invalid_help(
                        "AMOUNT",
                        amount,
                        format!("a volume in a mass (`{t}`) is not a strength ketacalc knows"),
                        "weigh the liquid and give its mass",
                    ));
                }
            };
            let t_base = input::in_base(&t)?;
            if a.dimension() == t.dimension() && a_base.compare(t_base).map_err(at("the total"))?.is_gt() {
                return Err(invalid_help(
                    "AMOUNT",
                    amount,
                    format!("it is more than the total `{t}` it is part of"),
                    "to add it to a solvent, use `--plus` instead of `--in`",
                ));
            }
            (kind, t_base, t.to_string(), Vec::new())
        }
        Whole::Plus { solvent, density } => {
            if a.dimension() != Dimension::Mass {
                return Err(invalid_help(
                    "AMOUNT",
                    amount,
                    "volumes do not add exactly (mixing can shrink or swell them), so the total is unknown",
                    "measure the final volume and give it with `--in`",
                ));
            }
            let s =
                input::quantity("--plus", solvent, &[Dimension::Mass, Dimension::Volume], AMOUNT_OR_TOTAL)?;
            let mut lines = Vec::new();
            let s_mass = if s.dimension() == Dimension::Mass {
                input::in_base(&s)?
            } else {
                let Some(d) = density else {
                    return Err(ToolError::NeedsDensity { from: s.to_string(), to: "a mass".to_string() });
                };
                let dq =
                    input::quantity("--density", d, &[Dimension::MassPerVolume], "a density, like `1 g/mL`")?;
                let m = input::in_base(&s)?.times(input::in_base(&dq)?).map_err(at("the solvent's mass"))?;
                lines.push(format!("{s} × {dq} = {}", mass(m)?.read()));
                m
            };
            let total = a_base.plus(s_mass).map_err(at("the total"))?;
            let total_v = mass(total)?;
            lines.push(format!("{a} + {} = {}", mass(s_mass)?.read(), total_v.read()));
            (Kind::WeightInWeight, total, total_v.read(), lines)
        }
    };
    // mg/g = mg × 1000 ÷ mg; mg/mL = mg ÷ mL; %v/v = mL × 100 ÷ mL.
    let scale = match kind {
        Kind::WeightInWeight => Decimal::ONE_THOUSAND,
        Kind::WeightInVolume => Decimal::ONE,
        Kind::VolumeInVolume => Decimal::ONE_HUNDRED,
    };
    let base = a_base.times_dec(scale).and_then(|v| v.over(total)).map_err(at("the strength"))?;
    let form = match to {
        Some(t) => target(t, kind)?,
        None => Form::Unit(kind.percent()),
    };
    let value = express(base, kind, form)?;
    let mut line = format!("{a} in {total_text} = {}", base_text(base, kind.base_unit(), "the strength")?);
    if value.unit != super::ValueUnit::Unit(kind.base_unit()) {
        line.push_str(&format!(" = {}", value.read()));
    }
    calculation.push(line);
    Ok(Answer::one(Item::new(value, ""), calculation))
}

fn mass(mg: Rational) -> Result<Value, ToolError> {
    Value::mass(mg.value().map_err(at("a mass"))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::testing::{d, result};

    #[test]
    fn amount_in_a_total() {
        // DOMAIN §12 problem 8: 200 mg in 90 mL.
        let a = strength("200mg", Whole::In("90mL"), None).unwrap();
        assert_eq!(result(&a), (d("0.2222222222222222222222222222"), "%w/v".into()));
        assert_eq!(a.calculation, ["200 mg in 90 mL = ≈2.2222 mg/mL = ≈0.2222 %w/v"]);
        assert_eq!(result(&strength("3.6g", Whole::In("90g"), None).unwrap()), (d("4"), "%w/w".into()));
        assert_eq!(result(&strength("25mL", Whole::In("100mL"), None).unwrap()), (d("25"), "%v/v".into()));
        assert_eq!(
            result(&strength("0.4mg", Whole::In("1mL"), Some("ratio")).unwrap()),
            (d("2500"), "1:N w/v".into())
        );
        assert_eq!(result(&strength("200mg", Whole::In("90mL"), Some("mg/mL")).unwrap()).1, "mg/mL");
    }

    #[test]
    fn amount_added_to_a_solvent() {
        // Problem 17: 40 g in 100 mL of water → 40 ÷ 140.
        let a = strength("40g", Whole::Plus { solvent: "100mL", density: Some("1g/mL") }, None).unwrap();
        assert_eq!(result(&a), (d("28.571428571428571428571428571"), "%w/w".into()));
        assert_eq!(
            a.calculation,
            [
                "100 mL × 1 g/mL = 100 g",
                "40 g + 100 g = 140 g",
                "40 g in 140 g = ≈285.7143 mg/g = ≈28.5714 %w/w"
            ]
        );
        let b = strength("40g", Whole::Plus { solvent: "100g", density: None }, None).unwrap();
        assert_eq!(result(&b), result(&a));
    }

    #[test]
    fn refusals() {
        let plus = |s| Whole::Plus { solvent: s, density: None };
        assert!(matches!(strength("40g", plus("100mL"), None), Err(ToolError::NeedsDensity { .. })));
        assert!(strength("40mL", plus("100mL"), None).is_err());
        assert!(strength("200mg", Whole::In("100mg"), None).is_err());
        assert!(strength("20mL", Whole::In("100g"), None).is_err());
        assert!(strength("0mg", Whole::In("100mL"), None).is_err());
        assert!(strength("200mg", Whole::In("0mL"), None).is_err());
        assert!(strength("200mg", Whole::In("90mL"), Some("%w/w")).is_err());
        assert!(strength("25mL", Whole::In("100mL"), Some("ratio")).is_err());
    }
}
