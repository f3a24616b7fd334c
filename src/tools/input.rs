//! Reading the command-line values of the pharmacy calculations: strengths (including
//! ratio strengths written `1:2500w/v` or `1:2500 w/v`), quantities of a given
//! dimension, plain numbers and percentages, each checked to be above zero; and the
//! checks and figures several calculations share (strengths of one kind, a quantity
//! of the whole a strength is "in", an amount in mg or mL as a result).

use std::fmt;

use rust_decimal::Decimal;

use super::error::{ToolError, at};
use super::rational::Rational;
use super::{Value, ValueUnit};
use crate::quantity::{Amount, Percent, Quantity, QuantityError, RatioKind, parse_number};
use crate::unit::{Dimension, Unit};

/// The kind of a strength: what is in what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Mass in mass (`%w/w`, `mg/g`, `1:N w/w`); base unit mg/g.
    WeightInWeight,
    /// Mass in volume (`%w/v`, `mg/mL`, `1:N w/v`); base unit mg/mL.
    WeightInVolume,
    /// Volume in volume (`%v/v`).
    VolumeInVolume,
}

impl Kind {
    /// `w/w`, `w/v` or `v/v`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::WeightInWeight => "w/w",
            Kind::WeightInVolume => "w/v",
            Kind::VolumeInVolume => "v/v",
        }
    }

    /// The kind of strength a unit of this dimension measures.
    pub fn of(dim: Dimension) -> Option<Kind> {
        match dim {
            Dimension::MassPerMass => Some(Kind::WeightInWeight),
            Dimension::MassPerVolume => Some(Kind::WeightInVolume),
            Dimension::VolumePerVolume => Some(Kind::VolumeInVolume),
            _ => None,
        }
    }

    /// The dimension of a strength of this kind.
    pub fn dimension(self) -> Dimension {
        match self {
            Kind::WeightInWeight => Dimension::MassPerMass,
            Kind::WeightInVolume => Dimension::MassPerVolume,
            Kind::VolumeInVolume => Dimension::VolumePerVolume,
        }
    }

    /// The dimension of the whole a strength of this kind is "in": a mass for w/w.
    pub fn whole(self) -> Dimension {
        match self {
            Kind::WeightInWeight => Dimension::Mass,
            Kind::WeightInVolume | Kind::VolumeInVolume => Dimension::Volume,
        }
    }

    /// The percent unit of this kind.
    pub fn percent(self) -> Unit {
        match self {
            Kind::WeightInWeight => Unit::PercentWW,
            Kind::WeightInVolume => Unit::PercentWV,
            Kind::VolumeInVolume => Unit::PercentVV,
        }
    }

    /// The ratio-strength form of this kind, if it has one.
    pub fn ratio(self) -> Option<RatioKind> {
        match self {
            Kind::WeightInWeight => Some(RatioKind::WeightInWeight),
            Kind::WeightInVolume => Some(RatioKind::WeightInVolume),
            Kind::VolumeInVolume => None,
        }
    }

    /// The base unit of this kind: `mg/g`, `mg/mL` or `%v/v`.
    pub fn base_unit(self) -> Unit {
        self.dimension().base_unit()
    }
}

impl From<RatioKind> for Kind {
    fn from(r: RatioKind) -> Kind {
        match r {
            RatioKind::WeightInVolume => Kind::WeightInVolume,
            RatioKind::WeightInWeight => Kind::WeightInWeight,
        }
    }
}

/// How a strength is written: in a unit, or as a ratio `1:N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// In a unit such as `%w/v` or `mg/mL`.
    Unit(Unit),
    /// `1:N w/v` or `1:N w/w`.
    Ratio(RatioKind),
}

/// A strength from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strength {
    /// As written, normalized: `2.5 %w/w`, `1:750 w/v`.
    pub shown: String,
    /// w/w, w/v or v/v.
    pub kind: Kind,
    /// How it was written.
    pub form: Form,
    /// The value in the kind's base unit: mg/g, mg/mL or %v/v, exactly.
    pub base: Rational,
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl Strength {
    /// The unit it is written in, or its kind's percent when it is a ratio: the unit a
    /// calculation's figures are shown in.
    pub fn unit_or_percent(&self) -> Unit {
        match self.form {
            Form::Unit(u) => u,
            Form::Ratio(_) => self.kind.percent(),
        }
    }
}

/// Returns true if and only if `text` is written as a ratio (`1:N …`).
pub fn is_ratio(text: &str) -> bool {
    text.contains(':')
}

fn parse_err(option: &'static str) -> impl Fn(QuantityError) -> ToolError {
    move |cause| ToolError::Parse { option, cause }
}

/// An `Invalid` error.
pub fn invalid(option: &'static str, value: &str, reason: impl Into<String>) -> ToolError {
    ToolError::Invalid { option, value: value.trim().to_string(), reason: reason.into(), help: None }
}

/// An `Invalid` error with a suggested fix.
pub fn invalid_help(
    option: &'static str,
    value: &str,
    reason: impl Into<String>,
    help: impl Into<String>,
) -> ToolError {
    ToolError::Invalid {
        option,
        value: value.trim().to_string(),
        reason: reason.into(),
        help: Some(help.into()),
    }
}

/// What a strength argument should look like, for messages.
pub const STRENGTH_EXPECTED: &str = "a strength, like `1.5%w/w`, `10 mg/mL`, `5%v/v` or `1:2500w/v`";

/// Parses a strength: `%w/w`, `%w/v`, `%v/v`, `mg/mL`, `mg/g` and the other
/// concentration units of SPEC §1, or a ratio `1:N w/v` / `1:N w/w`. Zero is allowed
/// (a diluent); a ratio `1:0` is not.
pub fn strength(option: &'static str, text: &str) -> Result<Strength, ToolError> {
    if is_ratio(text) {
        return match Amount::parse(text).map_err(parse_err(option))? {
            Amount::Ratio { parts, .. } if parts.is_zero() => Err(invalid_help(
                option,
                text,
                "a ratio strength `1:N` needs N above zero (`1:0` would be pure drug and nothing else)",
                "write a ratio like `1:2500w/v`",
            )),
            Amount::Ratio { parts, kind } => {
                // 1 g in N mL (or g) = 1000 mg ÷ N.
                let base = Rational::new(Decimal::ONE_THOUSAND, parts).map_err(at("the ratio strength"))?;
                Ok(Strength {
                    shown: Amount::Ratio { parts, kind }.to_string(),
                    kind: kind.into(),
                    form: Form::Ratio(kind),
                    base,
                })
            }
            _ => Err(ToolError::Parse {
                option,
                cause: QuantityError::BadRatio { text: text.trim().to_string() },
            }),
        };
    }
    let q = Quantity::parse_expecting(text, STRENGTH_EXPECTED).map_err(parse_err(option))?;
    let Some(kind) = Kind::of(q.dimension()) else {
        return Err(ToolError::Parse {
            option,
            cause: QuantityError::WrongDimension {
                text: text.trim().to_string(),
                found: q.dimension().describe(),
                expected: STRENGTH_EXPECTED,
            },
        });
    };
    let base = Rational::factor(q.unit.to_base_factor())
        .and_then(|f| f.times_dec(q.value))
        .map_err(at("the strength"))?;
    Ok(Strength { shown: q.to_string(), kind, form: Form::Unit(q.unit), base })
}

/// Expresses `base` (in the base unit of `kind`) in `form`: a unit of the same
/// dimension, or a ratio `1:N` (N = 1000 ÷ base).
pub fn express(base: Rational, kind: Kind, form: Form) -> Result<Value, ToolError> {
    match form {
        Form::Unit(u) => {
            let v = base.over(Rational::factor(u.to_base_factor()).map_err(at("the unit"))?);
            Ok(Value::new(v.and_then(Rational::value).map_err(at("the strength"))?, ValueUnit::Unit(u)))
        }
        Form::Ratio(r) => {
            if base.is_zero() {
                return Err(ToolError::CannotConvert {
                    from: format!("0 {}", kind.base_unit()),
                    to: "a ratio strength".to_string(),
                    why: "a strength of zero has no ratio `1:N`".to_string(),
                });
            }
            let n = Rational::of(Decimal::ONE_THOUSAND).over(base).and_then(Rational::value);
            Ok(Value::new(n.map_err(at("the ratio strength"))?, ValueUnit::Ratio(r)))
        }
    }
}

/// Parses a quantity that must be of one of `dims`, and above zero.
pub fn quantity(
    option: &'static str,
    text: &str,
    dims: &[Dimension],
    expected: &'static str,
) -> Result<Quantity, ToolError> {
    let q = Quantity::parse_expecting(text, expected).map_err(parse_err(option))?;
    if !dims.contains(&q.dimension()) {
        return Err(ToolError::Parse {
            option,
            cause: QuantityError::WrongDimension {
                text: text.trim().to_string(),
                found: q.dimension().describe(),
                expected,
            },
        });
    }
    positive(option, text, q.value)?;
    Ok(q)
}

/// The value of `q` in its dimension's base unit (mg, mL, …), exactly.
pub fn in_base(q: &Quantity) -> Result<Rational, ToolError> {
    Rational::factor(q.unit.to_base_factor())
        .and_then(|f| f.times_dec(q.value))
        .map_err(at("a unit conversion"))
}

/// Refuses zero: every quantity, count and factor of these calculations is above zero.
pub fn positive(option: &'static str, text: &str, v: Decimal) -> Result<(), ToolError> {
    if v.is_zero() {
        return Err(invalid(option, text, "it must be above zero"));
    }
    Ok(())
}

/// A plain number above zero (a molecular weight, a number of particles).
pub fn number(option: &'static str, text: &str) -> Result<Decimal, ToolError> {
    let v = parse_number(text).map_err(parse_err(option))?;
    positive(option, text, v)?;
    Ok(v)
}

/// A percentage above zero and at most 100%.
pub fn percent(option: &'static str, text: &str) -> Result<Decimal, ToolError> {
    let p = Percent::parse(text).map_err(parse_err(option))?;
    positive(option, text, p.0)?;
    if p.0 > Decimal::ONE_HUNDRED {
        return Err(invalid(option, text, "a percentage here must be at most 100%"));
    }
    Ok(p.0)
}

/// Refuses two strengths of different kinds in one calculation (`what`, e.g. `mixing`).
pub fn same_kind(what: &'static str, first: &Strength, second: &Strength) -> Result<(), ToolError> {
    if first.kind == second.kind {
        return Ok(());
    }
    Err(ToolError::KindMismatch {
        what,
        first: first.shown.clone(),
        first_kind: first.kind.as_str(),
        second: second.shown.clone(),
        second_kind: second.kind.as_str(),
    })
}

/// Refuses a quantity that is not of the whole a strength of `kind` is "in": a w/w
/// strength is of a mass; w/v and v/v strengths of a volume.
pub fn whole_of(option: &'static str, q: &Quantity, kind: Kind) -> Result<(), ToolError> {
    let dim = kind.whole();
    if q.dimension() == dim {
        return Ok(());
    }
    Err(ToolError::QuantityKind {
        option,
        value: q.to_string(),
        found: q.dimension().describe(),
        kind: kind.as_str(),
        expected: if dim == Dimension::Mass { "mass" } else { "volume" },
    })
}

/// `v` mg (when `dim` is a mass) or mL, as a result.
pub fn amount(v: Decimal, dim: Dimension) -> Result<Value, ToolError> {
    if dim == Dimension::Mass { Value::mass(v) } else { Ok(Value::volume(v)) }
}

/// `v` read in `unit` (a base unit) for a calculation's trail; `step` names it if `v`
/// cannot be computed.
pub fn base_text(v: Rational, unit: Unit, step: &'static str) -> Result<String, ToolError> {
    Ok(format!("{} {unit}", super::reading(v.value().map_err(at(step))?)))
}

/// Splits `QUANTITY@STRENGTH`.
pub fn at_strength<'a>(option: &'static str, text: &'a str) -> Result<(&'a str, &'a str), ToolError> {
    match text.split_once('@') {
        Some((q, s)) if !q.trim().is_empty() && !s.trim().is_empty() && !s.contains('@') => Ok((q, s)),
        _ => Err(invalid_help(
            option,
            text,
            "expected a quantity and its strength as `QUANTITY@STRENGTH`",
            "write it like `240g@0.25%w/w` or `500mL@25%v/v`",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn ratio_strengths_with_or_without_the_space() {
        for text in ["1:2500w/v", "1:2500 w/v", "1:2500W/V", " 1:2500 w/v "] {
            let s = strength("QUANTITY", text).unwrap();
            assert_eq!(s.shown, "1:2500 w/v", "{text}");
            assert_eq!(s.kind, Kind::WeightInVolume);
            assert_eq!(s.base.value().unwrap(), d("0.4"), "{text}");
        }
        assert_eq!(strength("A", "1:10000w/w").unwrap().kind, Kind::WeightInWeight);
    }

    #[test]
    fn percent_and_unit_strengths() {
        let s = strength("A", "2.5%w/w").unwrap();
        assert_eq!((s.shown.as_str(), s.kind), ("2.5 %w/w", Kind::WeightInWeight));
        assert_eq!(s.base.value().unwrap(), d("25"));
        assert_eq!(strength("A", "100 mg/mL").unwrap().base.value().unwrap(), d("100"));
        assert_eq!(strength("A", "25%v/v").unwrap().base.value().unwrap(), d("25"));
        assert!(strength("A", "0%w/w").unwrap().base.is_zero());
    }

    #[test]
    fn refusals_say_what_was_expected() {
        let e = strength("A", "1:0w/v").unwrap_err();
        assert!(e.to_string().contains("needs N above zero"), "{e}");
        let e = strength("A", "1:452").unwrap_err();
        assert!(e.to_string().contains("write `1:N w/v` or `1:N w/w`"), "{e}");
        let e = strength("--at", "30 g").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid value for `--at`: `30 g` is a mass: expected a strength, like `1.5%w/w`, `10 mg/mL`, `5%v/v` or `1:2500w/v`"
        );
        assert!(matches!(
            strength("A", "2.5%"),
            Err(ToolError::Parse { cause: QuantityError::BarePercent { .. }, .. })
        ));
        assert!(matches!(
            strength("A", "-2.5%w/w"),
            Err(ToolError::Parse { cause: QuantityError::Signed { .. }, .. })
        ));
        assert!(at_strength("--have", "240g").is_err());
        assert!(at_strength("--have", "240g@1%w/w@2%w/w").is_err());
        assert_eq!(at_strength("--have", "240g@1%w/w").unwrap(), ("240g", "1%w/w"));
    }

    #[test]
    fn expressing_a_strength() {
        let s = strength("A", "0.01%w/w").unwrap();
        let v = express(s.base, s.kind, Form::Ratio(RatioKind::WeightInWeight)).unwrap();
        assert_eq!((v.value, v.unit), (d("10000"), ValueUnit::Ratio(RatioKind::WeightInWeight)));
        let v = express(s.base, s.kind, Form::Unit(Unit::MG_PER_G)).unwrap();
        assert_eq!(v.value, d("0.1"));
        assert!(
            express(Rational::ZERO, Kind::WeightInWeight, Form::Ratio(RatioKind::WeightInWeight)).is_err()
        );
    }

    #[test]
    fn quantities_numbers_and_percents() {
        let q = quantity("--make", "30g", &[Dimension::Mass], "a mass").unwrap();
        assert_eq!(in_base(&q).unwrap().value().unwrap(), d("30000"));
        assert!(quantity("--make", "0g", &[Dimension::Mass], "a mass").is_err());
        assert!(quantity("--make", "30mL", &[Dimension::Mass], "a mass").is_err());
        assert_eq!(number("--mw", "58.5").unwrap(), d("58.5"));
        assert!(number("--mw", "0").is_err());
        assert!(number("--mw", "58.5 g").is_err());
        assert_eq!(percent("--error", "5%").unwrap(), d("5"));
        assert!(percent("--error", "0%").is_err());
        assert!(percent("--error", "101%").is_err());
    }
}
