//! The quantity grammar (SPEC §1): exact decimal numbers with a unit.
//!
//! ```text
//! quantity = number [ " " ] unit
//! number   = digits [ "." digits ]      (no sign, exponent, `_`, or bare dot)
//! amount   = quantity | "qs" | "1:" number [ " " ] ( "w/v" | "w/w" )
//! percent  = number [ " " ] "%"
//! count    = number [ " " count-noun ]
//! ```
//!
//! Numbers are parsed with `Decimal::from_str_exact`, never through `f64`: a number that
//! a decimal cannot hold exactly (more than 28 digits after the point, or a magnitude of
//! 7.9 × 10^28 or more) is refused, not rounded.

use std::fmt;

use rust_decimal::Decimal;
use thiserror::Error;

use crate::arith::{self, ArithResult};
use crate::unit::{Dimension, Unit};

/// Why a quantity, amount, percentage or count could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QuantityError {
    /// Nothing was written.
    #[error("empty value: expected a number, like `100 mg/mL`")]
    Empty,
    /// A `+` or `-` sign.
    #[error("`{text}` has a sign: quantities are written without `+` or `-`")]
    Signed {
        /// The whole input.
        text: String,
    },
    /// Scientific notation.
    #[error("`{text}` uses an exponent: write the number out in full")]
    Exponent {
        /// The whole input.
        text: String,
    },
    /// A digit separator.
    #[error("`{text}` contains `_`: write the digits without separators")]
    Underscore {
        /// The whole input.
        text: String,
    },
    /// `.5`
    #[error("`{text}` starts with a decimal point: write a digit before it, like `0.5`")]
    LeadingDot {
        /// The whole input.
        text: String,
    },
    /// `5.`
    #[error("`{text}` has a decimal point with no digit after it")]
    TrailingDot {
        /// The whole input.
        text: String,
    },
    /// Not a number at all.
    #[error("`{text}` is not a number: expected digits with an optional decimal point, like `12.5`")]
    NotANumber {
        /// The whole input.
        text: String,
    },
    /// More digits than a decimal can hold exactly (28 after the point, about 28 in all).
    #[error("`{text}` has more digits than can be held exactly (at most 28 significant digits)")]
    TooPrecise {
        /// The whole input.
        text: String,
    },
    /// A magnitude of 7.9 × 10^28 or more.
    #[error("`{text}` is too large to hold exactly (the limit is 79228162514264337593543950335)")]
    TooLarge {
        /// The whole input.
        text: String,
    },
    /// Whitespace other than one space between number and unit.
    #[error("`{text}`: write at most one space between the number and the unit")]
    Spacing {
        /// The whole input.
        text: String,
    },
    /// The number has no unit where one is needed.
    #[error("`{text}` has no unit: expected {expected}")]
    MissingUnit {
        /// The whole input.
        text: String,
        /// What kind of quantity was expected.
        expected: &'static str,
    },
    /// An unknown unit symbol.
    #[error("`{text}` has an unknown unit `{unit}`: expected {expected}")]
    UnknownUnit {
        /// The whole input.
        text: String,
        /// The unit as written.
        unit: String,
        /// What kind of quantity was expected.
        expected: &'static str,
    },
    /// A bare `%` in an ingredient amount.
    #[error("`{text}` uses a bare `%`: say `%w/w`, `%w/v` or `%v/v`")]
    BarePercent {
        /// The whole input.
        text: String,
    },
    /// A malformed ratio strength.
    #[error("`{text}` is not a ratio strength: write `1:N w/v` or `1:N w/w`, like `1:10000 w/v`")]
    BadRatio {
        /// The whole input.
        text: String,
    },
    /// A valid quantity of the wrong dimension for where it is used.
    #[error("`{text}` is {found}: expected {expected}")]
    WrongDimension {
        /// The whole input.
        text: String,
        /// What the quantity measures.
        found: &'static str,
        /// What was expected.
        expected: &'static str,
    },
    /// A batch size beyond what a compounding pharmacy makes.
    #[error("`{text}` is larger than any batch ketacalc makes (at most {limit})")]
    OverLimit {
        /// The whole input.
        text: String,
        /// The limit, for people.
        limit: &'static str,
    },
    /// A count that is not a whole number.
    #[error("`{text}` is not a whole number of units")]
    NotWhole {
        /// The whole input.
        text: String,
    },
}

impl QuantityError {
    /// The error of an exact conversion of `text` that failed: a result too small for the
    /// 28 decimal places of a decimal is too precise; anything else is too large.
    pub fn conversion(text: &str) -> impl Fn(arith::ArithError) -> QuantityError + '_ {
        move |e| match e {
            arith::ArithError::Underflow { .. } => QuantityError::TooPrecise { text: text.to_string() },
            _ => QuantityError::TooLarge { text: text.to_string() },
        }
    }

    /// A suggested fix, when one can be computed from the input.
    pub fn help(&self) -> Option<String> {
        match self {
            // Suggest the unsigned text only when it is itself a valid amount above zero:
            // `-0 mL` must not lead to `0 mL`, which is refused in turn.
            QuantityError::Signed { text } => {
                let unsigned = text.trim_start_matches(SIGNS);
                match split(unsigned) {
                    Ok((v, _)) if !v.is_zero() => Some(format!("write `{unsigned}`")),
                    Ok(_) => Some("write an amount above zero, without a sign".to_string()),
                    Err(_) => None,
                }
            }
            QuantityError::Underscore { text } => Some(format!("write `{}`", text.replace('_', ""))),
            QuantityError::LeadingDot { text } => Some(format!("write `0{text}`")),
            QuantityError::BarePercent { .. } => Some(
                "use `%w/w` for creams and other mass-basis forms, `%w/v` for a solid in a liquid, `%v/v` for a liquid in a liquid"
                    .to_string(),
            ),
            QuantityError::UnknownUnit { unit, .. } => suggest_unit(unit).map(|s| format!("did you mean `{s}`?")),
            _ => None,
        }
    }
}

fn suggest_unit(unit: &str) -> Option<&'static str> {
    let lower = unit.to_lowercase();
    let s = lower.trim_end_matches('.');
    Some(match s {
        "mgs" | "milligram" | "milligrams" => "mg",
        "gm" | "gms" | "gram" | "grams" => "g",
        "mls" | "cc" | "milliliter" | "milliliters" | "millilitre" | "millilitres" => "mL",
        "mg/ml/day" | "mg/dose" => "mg/mL",
        "w/v" | "%wv" | "% w/v" => "%w/v",
        "w/w" | "%ww" | "% w/w" => "%w/w",
        "v/v" | "%vv" | "% v/v" => "%v/v",
        "mg/cc" => "mg/mL",
        "g/ml" => "g/mL",
        _ => return None,
    })
}

/// An exact amount with its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    /// The number, exactly as written.
    pub value: Decimal,
    /// Its unit.
    pub unit: Unit,
}

impl Quantity {
    /// A quantity from a value and unit.
    pub fn new(value: Decimal, unit: Unit) -> Self {
        Quantity { value, unit }
    }

    /// What the quantity measures.
    pub fn dimension(&self) -> Dimension {
        self.unit.dimension()
    }

    /// The value converted into its dimension's base unit (`mg`, `mL`, `units`, `mg/mL`,
    /// `mg/g`, `%v/v`, `mg/unit`): multiply first, then divide once.
    pub fn to_base(&self) -> ArithResult {
        let (num, den) = self.unit.to_base_factor();
        arith::div(arith::mul(self.value, num)?, den)
    }

    /// Parses `number [space] unit` where the unit may be any unit of SPEC §1.
    pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
        Quantity::parse_with(
            text,
            "a number and a unit, like `100 mg/mL`",
            "a unit such as `mg`, `mL`, `mg/mL`, `%w/w` or `mg/unit`",
        )
    }

    /// Parses `number [space] unit`, saying `expected` when the unit is missing or unknown.
    pub fn parse_expecting(text: &str, expected: &'static str) -> Result<Quantity, QuantityError> {
        Quantity::parse_with(text, expected, expected)
    }

    /// Parses `number [space] unit`, saying `missing` when there is no unit and `unknown`
    /// when it is not one.
    fn parse_with(
        text: &str,
        missing: &'static str,
        unknown: &'static str,
    ) -> Result<Quantity, QuantityError> {
        let (value, unit) = split(text)?;
        let Some(unit_text) = unit else {
            return Err(QuantityError::MissingUnit { text: text.trim().to_string(), expected: missing });
        };
        match Unit::parse(unit_text) {
            Some(u) => Ok(Quantity::new(value, u)),
            None => Err(unknown_unit(text, unit_text, unknown)),
        }
    }

    /// Parses a quantity that must be of dimension `dim`.
    pub fn parse_dim(text: &str, dim: Dimension, expected: &'static str) -> Result<Quantity, QuantityError> {
        let q = Quantity::parse_expecting(text, expected)?;
        if q.dimension() != dim {
            return Err(QuantityError::WrongDimension {
                text: text.trim().to_string(),
                found: q.dimension().describe(),
                expected,
            });
        }
        Ok(q)
    }
}

impl std::str::FromStr for Quantity {
    type Err = QuantityError;

    /// [`Quantity::parse`]: `"100 mg/mL".parse::<Quantity>()`.
    fn from_str(text: &str) -> Result<Quantity, QuantityError> {
        Quantity::parse(text)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value.normalize(), self.unit)
    }
}

fn unknown_unit(text: &str, unit: &str, expected: &'static str) -> QuantityError {
    if unit == "%" {
        QuantityError::BarePercent { text: text.trim().to_string() }
    } else {
        QuantityError::UnknownUnit { text: text.trim().to_string(), unit: unit.to_string(), expected }
    }
}

/// Parses a number by the grammar `digits [ "." digits ]`, exactly.
pub fn parse_number(text: &str) -> Result<Decimal, QuantityError> {
    match split(text)? {
        (value, None) => Ok(value),
        (_, Some(unit)) => Err(QuantityError::UnknownUnit {
            text: text.trim().to_string(),
            unit: unit.to_string(),
            expected: "a plain number",
        }),
    }
}

/// The signs a number might be written with (`−` is U+2212, the minus sign).
const SIGNS: [char; 3] = ['+', '-', '−'];

/// Splits `number [space] rest`, checking the number grammar.
fn split(text: &str) -> Result<(Decimal, Option<&str>), QuantityError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(QuantityError::Empty);
    }
    let owned = || t.to_string();
    if let Some(unsigned) = t.strip_prefix(SIGNS) {
        // `-inf`, `+x`: not a signed number but no number at all.
        if !unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
            return Err(QuantityError::NotANumber { text: owned() });
        }
        return Err(QuantityError::Signed { text: owned() });
    }
    let end = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_')).unwrap_or(t.len());
    let (num, rest) = t.split_at(end);
    let mut rest_chars = rest.chars();
    if let (Some('e' | 'E'), Some(c)) = (rest_chars.next(), rest_chars.next())
        && (c.is_ascii_digit() || c == '+' || c == '-')
    {
        return Err(QuantityError::Exponent { text: owned() });
    }
    if num.is_empty() {
        return Err(QuantityError::NotANumber { text: owned() });
    }
    if num.contains('_') {
        return Err(QuantityError::Underscore { text: owned() });
    }
    if num.starts_with('.') {
        return Err(QuantityError::LeadingDot { text: owned() });
    }
    if num.ends_with('.') {
        return Err(QuantityError::TrailingDot { text: owned() });
    }
    if num.matches('.').count() > 1 {
        return Err(QuantityError::NotANumber { text: owned() });
    }
    let value = Decimal::from_str_exact(num).map_err(|_| {
        // Too large when the whole part alone does not fit; else too many digits.
        let whole = num.split_once('.').map_or(num, |(w, _)| w);
        if Decimal::from_str_exact(whole).is_err() {
            QuantityError::TooLarge { text: owned() }
        } else {
            QuantityError::TooPrecise { text: owned() }
        }
    })?;
    if rest.is_empty() {
        return Ok((value, None));
    }
    let unit = rest.strip_prefix(' ').unwrap_or(rest);
    // `1,5 mg` (a decimal comma) and `1 000 mg` (a digit group) are numbers written
    // another way, not a number followed by too many spaces.
    if unit.starts_with(|c: char| c.is_ascii_digit() || c == ',') {
        return Err(QuantityError::NotANumber { text: owned() });
    }
    if unit.is_empty() || unit.contains(char::is_whitespace) {
        return Err(QuantityError::Spacing { text: owned() });
    }
    Ok((value, Some(unit)))
}

/// A percentage such as a purity, assay, loss on drying or overage: `99.5%`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Percent(pub Decimal);

impl Percent {
    /// Parses `number [space] %`.
    pub fn parse(text: &str) -> Result<Percent, QuantityError> {
        match split(text)? {
            (v, Some("%")) => Ok(Percent(v)),
            (_, None) => Err(QuantityError::MissingUnit {
                text: text.trim().to_string(),
                expected: "a percentage, like `99.5%`",
            }),
            (_, Some(u)) => Err(QuantityError::UnknownUnit {
                text: text.trim().to_string(),
                unit: u.to_string(),
                expected: "a percentage, like `99.5%`",
            }),
        }
    }

    /// The fraction this percentage stands for (`99.5%` → `0.995`).
    pub fn fraction(self) -> ArithResult {
        arith::div(self.0, Decimal::ONE_HUNDRED)
    }
}

impl std::str::FromStr for Percent {
    type Err = QuantityError;

    /// [`Percent::parse`].
    fn from_str(text: &str) -> Result<Percent, QuantityError> {
        Percent::parse(text)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0.normalize())
    }
}

/// Ratio strengths: `1:N w/v` (1 g in N mL) or `1:N w/w` (1 g in N g).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatioKind {
    /// 1 g in N mL.
    WeightInVolume,
    /// 1 g in N g.
    WeightInWeight,
}

/// One ingredient's `amount`, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    /// `qs`: the vehicle or base that makes up the rest.
    Qs,
    /// `1:N w/v` or `1:N w/w`.
    Ratio {
        /// N.
        parts: Decimal,
        /// w/v or w/w.
        kind: RatioKind,
    },
    /// A concentration or fixed amount with a unit.
    Quantity(Quantity),
}

impl Amount {
    /// Parses an ingredient amount.
    pub fn parse(text: &str) -> Result<Amount, QuantityError> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("qs") || t.eq_ignore_ascii_case("q.s.") {
            return Ok(Amount::Qs);
        }
        if let Some(ratio) = t.strip_prefix("1:") {
            // `1:N w/v` or `1:Nw/v`: the number, an optional space and the kind, read the
            // way a quantity reads its number and unit (SPEC §11.2: one grammar).
            let bad = || QuantityError::BadRatio { text: t.to_string() };
            if !ratio.starts_with(|c: char| c.is_ascii_digit()) {
                return Err(match split(ratio) {
                    Err(e @ (QuantityError::Signed { .. } | QuantityError::LeadingDot { .. })) => e,
                    _ => bad(),
                });
            }
            let (parts, kind) = match split(ratio) {
                Ok((parts, Some(kind))) => (parts, kind),
                Ok((_, None)) | Err(QuantityError::UnknownUnit { .. } | QuantityError::Spacing { .. }) => {
                    return Err(bad());
                }
                Err(e) => return Err(e),
            };
            let kind = if kind.eq_ignore_ascii_case("w/v") {
                RatioKind::WeightInVolume
            } else if kind.eq_ignore_ascii_case("w/w") {
                RatioKind::WeightInWeight
            } else {
                return Err(bad());
            };
            return Ok(Amount::Ratio { parts, kind });
        }
        if t.contains(':') {
            return Err(QuantityError::BadRatio { text: t.to_string() });
        }
        let expected =
            "a concentration (`mg/mL`, `%w/v`, `%w/w`, `mg/g`, `%v/v`, `mg/unit`), a mass or volume, or `qs`";
        let (value, unit) = split(t)?;
        let Some(unit_text) = unit else {
            return Err(QuantityError::MissingUnit { text: t.to_string(), expected });
        };
        let unit = Unit::parse(unit_text).ok_or_else(|| unknown_unit(t, unit_text, expected))?;
        if unit.dimension() == Dimension::Count {
            return Err(QuantityError::WrongDimension { text: t.to_string(), found: "a count", expected });
        }
        Ok(Amount::Quantity(Quantity::new(value, unit)))
    }

    /// The dimension of the amount (`None` for `qs`).
    pub fn dimension(&self) -> Option<Dimension> {
        match self {
            Amount::Qs => None,
            Amount::Ratio { kind: RatioKind::WeightInVolume, .. } => Some(Dimension::MassPerVolume),
            Amount::Ratio { kind: RatioKind::WeightInWeight, .. } => Some(Dimension::MassPerMass),
            Amount::Quantity(q) => Some(q.dimension()),
        }
    }

    /// For a concentration, its value in the dimension's base unit (`mg/mL`, `mg/g`,
    /// `%v/v`, `mg/unit`); for a fixed amount, in `mg` or `mL`. `None` for `qs`.
    pub fn to_base(&self) -> Option<ArithResult> {
        match self {
            Amount::Qs => None,
            // 1 g in N mL = 1000 mg ÷ N mL; 1 g in N g = 1000 mg ÷ N g.
            Amount::Ratio { parts, .. } => Some(arith::div(Decimal::ONE_THOUSAND, *parts)),
            Amount::Quantity(q) => Some(q.to_base()),
        }
    }

    /// Returns true if and only if the amount is zero (a zero ratio `1:0` counts too).
    pub fn is_zero(&self) -> bool {
        match self {
            Amount::Qs => false,
            Amount::Ratio { parts, .. } => parts.is_zero(),
            Amount::Quantity(q) => q.value.is_zero(),
        }
    }
}

impl std::str::FromStr for Amount {
    type Err = QuantityError;

    /// [`Amount::parse`].
    fn from_str(text: &str) -> Result<Amount, QuantityError> {
        Amount::parse(text)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Amount::Qs => f.write_str("qs"),
            Amount::Ratio { parts, kind: RatioKind::WeightInVolume } => {
                write!(f, "1:{} w/v", parts.normalize())
            }
            Amount::Ratio { parts, kind: RatioKind::WeightInWeight } => {
                write!(f, "1:{} w/w", parts.normalize())
            }
            Amount::Quantity(q) => q.fmt(f),
        }
    }
}

/// Parses a count: a bare number or one with a count noun (`30`, `30 troches`).
pub fn parse_count(text: &str) -> Result<Decimal, QuantityError> {
    let expected = "a count, like `30` or `30 troches`";
    match split(text)? {
        (v, None) => Ok(v),
        (v, Some(u)) => match Unit::parse(u) {
            Some(Unit::Count) => Ok(v),
            Some(other) => Err(QuantityError::WrongDimension {
                text: text.trim().to_string(),
                found: other.dimension().describe(),
                expected,
            }),
            None => Err(unknown_unit(text, u, expected)),
        },
    }
}

/// Like [`parse_count`], but the count must be a whole number.
pub fn parse_whole_count(text: &str) -> Result<Decimal, QuantityError> {
    let v = parse_count(text)?;
    if v.fract().is_zero() { Ok(v) } else { Err(QuantityError::NotWhole { text: text.trim().to_string() }) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[track_caller]
    fn ok(input: &str, value: &str, unit: &str) {
        let q = Quantity::parse(input).unwrap_or_else(|e| panic!("`{input}`: {e}"));
        assert_eq!(q.value, d(value));
        assert_eq!(q.unit.to_string(), unit);
    }

    #[test]
    fn quantities_amounts_and_percents_parse_with_from_str() {
        let q: Quantity = "100 mg/mL".parse().unwrap();
        assert_eq!(q, Quantity::new(d("100"), Unit::MG_PER_ML));
        assert!("100".parse::<Quantity>().is_err());
        assert_eq!("99.5%".parse::<Percent>().unwrap(), Percent(d("99.5")));
        assert_eq!("qs".parse::<Amount>().unwrap(), Amount::Qs);
        assert!("5 mg".parse::<Percent>().is_err());
    }

    #[test]
    fn accepted_forms() {
        ok("100 mg/mL", "100", "mg/mL");
        ok("30mL", "30", "mL");
        ok("0.1 mL", "0.1", "mL");
        ok("1.000 g", "1.000", "g");
        ok("007 mg", "7", "mg");
        ok("0.01 %w/v", "0.01", "%w/v");
        ok("10%w/w", "10", "%w/w");
        ok("50 mg/troche", "50", "mg/unit");
        ok("2 units", "2", "units");
        ok("0.0000000000000000000000000001 mg", "0.0000000000000000000000000001", "mg");
        ok("79228162514264337593543950335 mg", "79228162514264337593543950335", "mg");
    }

    #[test]
    fn exactness_keeps_the_written_digits() {
        // 1.10 stays 1.10 (a TOML float would have become 1.1).
        assert_eq!(Quantity::parse("1.10 g").unwrap().value.to_string(), "1.10");
    }

    #[track_caller]
    fn err(input: &str, expected: &str) {
        let e = Quantity::parse(input).expect_err(input);
        assert_eq!(e.to_string(), expected, "{input}");
    }

    #[test]
    fn rejections_name_the_input() {
        err("5e1 mg", "`5e1 mg` uses an exponent: write the number out in full");
        err("5E-3 mg", "`5E-3 mg` uses an exponent: write the number out in full");
        err("-5 mg", "`-5 mg` has a sign: quantities are written without `+` or `-`");
        // Issue 14: no suggestion that itself fails.
        let help = |t: &str| Quantity::parse(t).unwrap_err().help();
        assert_eq!(help("-5 mg").as_deref(), Some("write `5 mg`"));
        assert_eq!(help("−5 mg").as_deref(), Some("write `5 mg`"));
        assert_eq!(help("-0 mL").as_deref(), Some("write an amount above zero, without a sign"));
        assert_eq!(help("-5,5 mg"), None);
        err("-inf", "`-inf` is not a number: expected digits with an optional decimal point, like `12.5`");
        err("+x mg", "`+x mg` is not a number: expected digits with an optional decimal point, like `12.5`");
        err("-.5 mg", "`-.5 mg` has a sign: quantities are written without `+` or `-`");
        err("+5 mg", "`+5 mg` has a sign: quantities are written without `+` or `-`");
        err("1_000 mg", "`1_000 mg` contains `_`: write the digits without separators");
        err(".5 mg", "`.5 mg` starts with a decimal point: write a digit before it, like `0.5`");
        err("5. mg", "`5. mg` has a decimal point with no digit after it");
        err(
            "1.2.3 mg",
            "`1.2.3 mg` is not a number: expected digits with an optional decimal point, like `12.5`",
        );
        err("mg", "`mg` is not a number: expected digits with an optional decimal point, like `12.5`");
        err("", "empty value: expected a number, like `100 mg/mL`");
        err(
            "99999999999999999999999999999 mg",
            "`99999999999999999999999999999 mg` is too large to hold exactly (the limit is 79228162514264337593543950335)",
        );
        err(
            "0.00000000000000000000000000001 mg",
            "`0.00000000000000000000000000001 mg` has more digits than can be held exactly (at most 28 significant digits)",
        );
        err(
            "9.0000000000000000000000000001 mg",
            "`9.0000000000000000000000000001 mg` has more digits than can be held exactly (at most 28 significant digits)",
        );
        err("5  mg", "`5  mg`: write at most one space between the number and the unit");
        err(
            "1,5 mg",
            "`1,5 mg` is not a number: expected digits with an optional decimal point, like `12.5`",
        );
        err(
            "1 000 mg",
            "`1 000 mg` is not a number: expected digits with an optional decimal point, like `12.5`",
        );
        err(
            "5 mg/mL/day",
            "`5 mg/mL/day` has an unknown unit `mg/mL/day`: expected a unit such as `mg`, `mL`, `mg/mL`, `%w/w` or `mg/unit`",
        );
        err("50", "`50` has no unit: expected a number and a unit, like `100 mg/mL`");
        err("NaN", "`NaN` is not a number: expected digits with an optional decimal point, like `12.5`");
        err(
            "inf mg",
            "`inf mg` is not a number: expected digits with an optional decimal point, like `12.5`",
        );
    }

    #[test]
    fn help_suggests_a_fix() {
        assert_eq!(Quantity::parse("-5 mg").unwrap_err().help().unwrap(), "write `5 mg`");
        assert_eq!(Quantity::parse("1_000 mg").unwrap_err().help().unwrap(), "write `1000 mg`");
        assert_eq!(Quantity::parse(".5 mg").unwrap_err().help().unwrap(), "write `0.5 mg`");
        assert_eq!(Quantity::parse("5 mgs").unwrap_err().help().unwrap(), "did you mean `mg`?");
    }

    #[test]
    fn amounts() {
        assert_eq!(Amount::parse("qs").unwrap(), Amount::Qs);
        assert_eq!(Amount::parse("QS").unwrap(), Amount::Qs);
        assert_eq!(
            Amount::parse("1:750 w/v").unwrap(),
            Amount::Ratio { parts: d("750"), kind: RatioKind::WeightInVolume }
        );
        assert_eq!(Amount::parse("1:10000 W/W").unwrap().dimension(), Some(Dimension::MassPerMass));
        // With or without the space, as a quantity's unit (SPEC §11.2).
        for spelling in ["1:750w/v", "1:750W/V", " 1:750w/v ", "1:750 w/v"] {
            assert_eq!(
                Amount::parse(spelling).unwrap(),
                Amount::Ratio { parts: d("750"), kind: RatioKind::WeightInVolume },
                "{spelling}"
            );
        }
        assert_eq!(Amount::parse("1:10000w/w").unwrap().to_string(), "1:10000 w/w");
        for bad in ["1:750  w/v", "1: 750 w/v", "1:750 w/v x", "1:750 mg", "1:w/v", "1:750\tw/v", "1:750w/vv"]
        {
            assert!(matches!(Amount::parse(bad), Err(QuantityError::BadRatio { .. })), "{bad}");
        }
        assert!(matches!(Amount::parse("1:7_50w/v"), Err(QuantityError::Underscore { .. })));
        assert!(matches!(Amount::parse("1:.5w/v"), Err(QuantityError::LeadingDot { .. })));
        assert!(matches!(Amount::parse("10 %"), Err(QuantityError::BarePercent { .. })));
        assert!(matches!(Amount::parse("10%"), Err(QuantityError::BarePercent { .. })));
        assert!(matches!(Amount::parse("2:100 w/v"), Err(QuantityError::BadRatio { .. })));
        assert!(matches!(Amount::parse("1:100"), Err(QuantityError::BadRatio { .. })));
        assert!(matches!(Amount::parse("1:-5 w/v"), Err(QuantityError::Signed { .. })));
        assert!(matches!(Amount::parse("30 troches"), Err(QuantityError::WrongDimension { .. })));
        assert!(Amount::parse("0 mg").unwrap().is_zero());
    }

    #[test]
    fn ratio_and_percent_conversions() {
        // 1:2500 w/v = 0.4 mg/mL (DOMAIN.md §12 problem 14).
        assert_eq!(Amount::parse("1:2500 w/v").unwrap().to_base().unwrap().unwrap(), d("0.4"));
        // 0.40% w/v = 4 mg/mL, so 20 mL hold 80 mg (problem 15).
        assert_eq!(Quantity::parse("0.40 %w/v").unwrap().to_base().unwrap(), d("4"));
        assert_eq!(Quantity::parse("10 %w/w").unwrap().to_base().unwrap(), d("100"));
        assert_eq!(Quantity::parse("250 mcg/g").unwrap().to_base().unwrap(), d("0.25"));
        assert_eq!(Quantity::parse("2 g/L").unwrap().to_base().unwrap(), d("2"));
        assert_eq!(Quantity::parse("1.5 kg").unwrap().to_base().unwrap(), d("1500000"));
        assert_eq!(Quantity::parse("250 mcL").unwrap().to_base().unwrap(), d("0.25"));
    }

    #[test]
    fn tiny_conversion_underflows_to_an_error() {
        let q = Quantity::parse("0.0000000000000000000000000001 mcg").unwrap();
        assert!(q.to_base().is_err());
    }

    #[test]
    fn percents() {
        assert_eq!(Percent::parse("99.5%").unwrap().fraction().unwrap(), d("0.995"));
        assert_eq!(Percent::parse("50 %").unwrap().0, d("50"));
        assert!(Percent::parse("50").is_err());
        assert!(Percent::parse("50 mg").is_err());
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count("30").unwrap(), d("30"));
        assert_eq!(parse_count("30 troches").unwrap(), d("30"));
        assert_eq!(parse_count("2 units").unwrap(), d("2"));
        assert!(matches!(parse_count("30 g"), Err(QuantityError::WrongDimension { .. })));
        assert!(matches!(parse_whole_count("2.5"), Err(QuantityError::NotWhole { .. })));
    }

    #[test]
    fn dimension_checked_parse() {
        let e = Quantity::parse_dim("30 g", Dimension::Volume, "a volume, like `30 mL`").unwrap_err();
        assert_eq!(e.to_string(), "`30 g` is a mass: expected a volume, like `30 mL`");
    }
}
