//! `ketacalc convert QUANTITY --to UNIT [--density D]`: strengths between ratio,
//! percent and mass-per-volume or mass-per-mass units, and masses, volumes and the
//! other quantities of SPEC §1 between their units (SPEC §9; DOMAIN §12 problems 11,
//! 13 and 14).
//!
//! A w/w strength and a w/v strength, or a mass and a volume, are related only through
//! a density; one is never assumed, so such a conversion needs `--density`.

use rust_decimal::Decimal;

use super::error::{ToolError, at};
use super::input::{self, Form, Kind, Strength, base_text, express, invalid, invalid_help, is_ratio};
use super::rational::Rational;
use super::{Answer, Item, Value, ValueUnit, reading};
use crate::quantity::{Quantity, QuantityError, RatioKind};
use crate::unit::{Dimension, Unit};

/// What `--to` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A unit.
    Unit(Unit),
    /// A ratio strength: of the kind given, or (for `ratio`) of the input's kind.
    Ratio(Option<RatioKind>),
}

fn target(text: &str) -> Result<Target, ToolError> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("ratio") {
        return Ok(Target::Ratio(None));
    }
    if is_ratio(t) {
        let squashed: String = t.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
        return match squashed.as_str() {
            "1:nw/v" => Ok(Target::Ratio(Some(RatioKind::WeightInVolume))),
            "1:nw/w" => Ok(Target::Ratio(Some(RatioKind::WeightInWeight))),
            _ => Err(invalid_help(
                "--to",
                text,
                "a ratio target is written `ratio`, `1:Nw/v` or `1:Nw/w`",
                "write `--to ratio` for a ratio of the same kind",
            )),
        };
    }
    match Unit::parse(t) {
        Some(u) => Ok(Target::Unit(u)),
        None if t == "%" => Err(ToolError::Parse {
            option: "--to",
            cause: QuantityError::BarePercent { text: t.to_string() },
        }),
        None => {
            let help =
                QuantityError::UnknownUnit { text: t.to_string(), unit: t.to_string(), expected: "" }.help();
            Err(ToolError::Invalid {
                option: "--to",
                value: t.to_string(),
                reason:
                    "unknown unit: expected a unit such as `mg/mL`, `%w/v`, `mg`, `g` or `mL`, or `ratio`"
                        .to_string(),
                help: help.or_else(|| Some("`ketacalc convert 1:2500w/v --to mg/mL`".to_string())),
            })
        }
    }
}

/// A density from `--density`, in mg/mL, with its text for the trail.
fn density(text: &str) -> Result<(Rational, String), ToolError> {
    let q = input::quantity("--density", text, &[Dimension::MassPerVolume], "a density, like `1.05 g/mL`")?;
    Ok((input::in_base(&q)?, q.to_string()))
}

/// `P g in 100 mL`, `1 g in N g`: what a percent or ratio strength means.
fn meaning(s: &Strength) -> Option<String> {
    let whole = match s.kind {
        Kind::WeightInWeight => "g",
        Kind::WeightInVolume | Kind::VolumeInVolume => "mL",
    };
    let part = if s.kind == Kind::VolumeInVolume { "mL" } else { "g" };
    match s.form {
        Form::Ratio(_) => {
            let n = s.shown.trim_start_matches("1:").split(' ').next().unwrap_or_default();
            Some(format!("1 g in {n} {whole} = 1000 mg ÷ {n} {whole}"))
        }
        Form::Unit(u) if u == s.kind.percent() => {
            let p = s.shown.split(' ').next().unwrap_or_default();
            Some(format!("{p} {part} in 100 {whole}"))
        }
        Form::Unit(_) => None,
    }
}

fn strength_to(
    s: &Strength,
    to: Target,
    to_text: &str,
    density_arg: Option<&str>,
) -> Result<Answer, ToolError> {
    let cannot =
        |why: String| ToolError::CannotConvert { from: s.shown.clone(), to: to_text.trim().to_string(), why };
    let (to_kind, form) = match to {
        Target::Unit(u) => {
            let kind = Kind::of(u.dimension()).ok_or_else(|| {
                cannot(format!("{} is not {}", s.kind.dimension().describe(), u.dimension().describe()))
            })?;
            (kind, Form::Unit(u))
        }
        // `ratio` is a ratio of the strength's own kind.
        Target::Ratio(r) => {
            let Some(r) = r.or(s.kind.ratio()) else {
                return Err(cannot(
                    "a `%v/v` strength has no ratio form: ratio strengths are `1:N w/v` or `1:N w/w`".into(),
                ));
            };
            (Kind::from(r), Form::Ratio(r))
        }
    };
    let base_of = |v: Rational, kind: Kind| base_text(v, kind.base_unit(), "the strength");
    let mut line = vec![s.shown.clone()];
    line.extend(meaning(s));
    let mut base = s.base;
    if !matches!(s.form, Form::Unit(u) if u == s.kind.base_unit()) {
        line.push(base_of(base, s.kind)?);
    }
    let mut lines = Vec::new();
    if to_kind != s.kind {
        let Some(d) = density_arg else {
            return Err(ToolError::NeedsDensity { from: s.shown.clone(), to: to_text.trim().to_string() });
        };
        let (rho, rho_text) = density(d)?;
        let per_g = Rational::of(Decimal::ONE_THOUSAND);
        let (next, op) = match (s.kind, to_kind) {
            // mg/g × g/mL = mg/mL, with the density held in mg/mL.
            (Kind::WeightInWeight, Kind::WeightInVolume) => {
                (base.times(rho).and_then(|v| v.over(per_g)), '×')
            }
            (Kind::WeightInVolume, Kind::WeightInWeight) => {
                (base.times(per_g).and_then(|v| v.over(rho)), '÷')
            }
            _ => {
                return Err(cannot(
                    "a `%v/v` strength and a mass strength are related by the ingredient's own density, not the preparation's; convert by hand"
                        .into(),
                ));
            }
        };
        let next = next.map_err(at("the strength at that density"))?;
        let from_text = line.last().cloned().unwrap_or_default();
        if line.len() > 1 {
            lines.push(line.join(" = "));
        }
        line = vec![format!("{from_text} {op} {rho_text}"), base_of(next, to_kind)?];
        base = next;
    }
    let value = express(base, to_kind, form)?;
    if let Form::Ratio(_) = form {
        let whole = if to_kind == Kind::WeightInWeight { "g" } else { "mL" };
        line.push(format!("1 g in {} {whole}", reading(value.value)));
    }
    let shown = value.read();
    if line.last() != Some(&shown) {
        line.push(shown);
    }
    lines.push(line.join(" = "));
    Ok(Answer::one(Item::new(value, ""), lines))
}

fn quantity_to(
    q: &Quantity,
    to: Target,
    to_text: &str,
    density_arg: Option<&str>,
) -> Result<Answer, ToolError> {
    let cannot =
        |why: String| ToolError::CannotConvert { from: q.to_string(), to: to_text.trim().to_string(), why };
    let Target::Unit(u) = to else {
        return Err(cannot(format!("{} has no ratio strength", q.dimension().describe())));
    };
    let from_base = input::in_base(q)?;
    let to_factor = Rational::factor(u.to_base_factor()).map_err(at("the unit"))?;
    let (from_dim, to_dim) = (q.dimension(), u.dimension());
    let base_text = |v: Rational, dim: Dimension| base_text(v, dim.base_unit(), "the conversion");
    let mut line = vec![q.to_string()];
    let base = if from_dim == to_dim {
        if q.unit != from_dim.base_unit() && u != to_dim.base_unit() {
            line.push(base_text(from_base, from_dim)?);
        }
        from_base
    } else if matches!(
        (from_dim, to_dim),
        (Dimension::Mass, Dimension::Volume) | (Dimension::Volume, Dimension::Mass)
    ) {
        let Some(d) = density_arg else {
            return Err(ToolError::NeedsDensity { from: q.to_string(), to: to_text.trim().to_string() });
        };
        let (rho, rho_text) = density(d)?;
        let (v, op) = if from_dim == Dimension::Mass {
            (from_base.over(rho), '÷')
        } else {
            (from_base.times(rho), '×')
        };
        let v = v.map_err(at("the conversion at that density"))?;
        if q.unit != from_dim.base_unit() {
            line.push(base_text(from_base, from_dim)?);
        }
        let last = line.pop().unwrap_or_default();
        line.push(format!("{last} {op} {rho_text}"));
        line.push(base_text(v, to_dim)?);
        v
    } else {
        return Err(cannot(format!("{} is not {}", from_dim.describe(), to_dim.describe())));
    };
    let value = base.over(to_factor).and_then(Rational::value).map_err(at("the conversion"))?;
    let value = Value::new(value, ValueUnit::Unit(u));
    let shown = value.read();
    if line.last() != Some(&shown) {
        line.push(shown);
    }
    Ok(Answer::one(Item::new(value, ""), vec![line.join(" = ")]))
}

/// `convert QUANTITY --to UNIT [--density D]`.
///
/// `to` is a unit, `ratio` (a ratio strength of the quantity's own kind), or `1:Nw/v` /
/// `1:Nw/w`. `density` (e.g. `1.05 g/mL`) relates w/w and w/v strengths, and masses and
/// volumes.
///
/// # Errors
///
/// A value that does not parse or is zero; a conversion between dimensions that do not
/// convert; a w/w ↔ w/v or mass ↔ volume conversion without `density`.
pub fn convert(quantity: &str, to: &str, density_arg: Option<&str>) -> Result<Answer, ToolError> {
    let option = "QUANTITY";
    let to = target(to)?;
    let to_text = match to {
        Target::Ratio(Some(RatioKind::WeightInVolume)) => "1:N w/v".to_string(),
        Target::Ratio(Some(RatioKind::WeightInWeight)) => "1:N w/w".to_string(),
        Target::Ratio(None) => "ratio".to_string(),
        Target::Unit(u) => u.to_string(),
    };
    if !is_ratio(quantity) {
        let q = Quantity::parse(quantity).map_err(|cause| ToolError::Parse { option, cause })?;
        if Kind::of(q.dimension()).is_none() {
            input::positive(option, quantity, q.value)?;
            return quantity_to(&q, to, &to_text, density_arg);
        }
    }
    let s = input::strength(option, quantity)?;
    if s.base.is_zero() {
        return Err(invalid(option, quantity, "it must be above zero"));
    }
    strength_to(&s, to, &to_text, density_arg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[track_caller]
    fn value(q: &str, to: &str, density: Option<&str>) -> (String, String) {
        let a = convert(q, to, density).unwrap_or_else(|e| panic!("{q} → {to}: {e}"));
        let v = a.get("result").unwrap();
        (v.value.normalize().to_string(), v.unit.to_string())
    }

    #[test]
    fn ratio_percent_and_concentration() {
        assert_eq!(value("1:2500w/v", "mg/mL", None), ("0.4".into(), "mg/mL".into()));
        assert_eq!(value("0.01%w/w", "ratio", None), ("10000".into(), "1:N w/w".into()));
        assert_eq!(value("0.4mg/mL", "1:Nw/v", None), ("2500".into(), "1:N w/v".into()));
        assert_eq!(value("1:10 w/w", "%w/w", None), ("10".into(), "%w/w".into()));
        assert_eq!(value("2.5%w/v", "g/L", None), ("25".into(), "g/L".into()));
        assert_eq!(value("250 mcg/g", "%w/w", None), ("0.025".into(), "%w/w".into()));
    }

    #[test]
    fn the_trail_reads_as_a_derivation() {
        let a = convert("1:2500w/v", "mg/mL", None).unwrap();
        assert_eq!(a.calculation, ["1:2500 w/v = 1 g in 2500 mL = 1000 mg ÷ 2500 mL = 0.4 mg/mL"]);
        let a = convert("0.01%w/w", "ratio", None).unwrap();
        assert_eq!(a.calculation, ["0.01 %w/w = 0.01 g in 100 g = 0.1 mg/g = 1 g in 10000 g = 1:10000 w/w"]);
    }

    #[test]
    fn masses_and_volumes() {
        assert_eq!(value("1500mg", "g", None), ("1.5".into(), "g".into()));
        assert_eq!(value("1 lb", "g", None), ("453.59237".into(), "g".into()));
        assert_eq!(value("1.2L", "mL", None), ("1200".into(), "mL".into()));
        // DOMAIN §12 problem 19: 1.2 mL of polysorbate 80 at SG 1.08 weighs 1.296 g.
        assert_eq!(value("1.2mL", "g", Some("1.08g/mL")), ("1.296".into(), "g".into()));
        assert_eq!(value("1.296g", "mL", Some("1.08g/mL")), ("1.2".into(), "mL".into()));
    }

    #[test]
    fn weight_in_weight_to_weight_in_volume_needs_a_density() {
        let e = convert("10%w/w", "mg/mL", None).unwrap_err();
        assert!(matches!(e, ToolError::NeedsDensity { .. }), "{e}");
        assert!(e.help().unwrap().contains("--density"));
        assert_eq!(value("10%w/w", "mg/mL", Some("0.98 g/mL")), ("98".into(), "mg/mL".into()));
        assert_eq!(value("98mg/mL", "%w/w", Some("0.98 g/mL")), ("10".into(), "%w/w".into()));
        assert!(convert("1g", "mL", None).is_err());
    }

    #[test]
    fn refusals() {
        assert!(matches!(convert("30 g", "mg/mL", None), Err(ToolError::CannotConvert { .. })));
        assert!(matches!(convert("5%v/v", "ratio", None), Err(ToolError::CannotConvert { .. })));
        assert!(matches!(convert("5%v/v", "mg/mL", Some("1g/mL")), Err(ToolError::CannotConvert { .. })));
        assert!(matches!(convert("0%w/v", "ratio", None), Err(ToolError::Invalid { .. })));
        assert!(matches!(convert("0 mg", "g", None), Err(ToolError::Invalid { .. })));
        assert!(matches!(convert("1 mg", "%", None), Err(ToolError::Parse { .. })));
        let e = convert("1 mg", "mgs", None).unwrap_err();
        assert_eq!(e.help().as_deref(), Some("did you mean `mg`?"));
        assert!(matches!(convert("1:452", "%w/v", None), Err(ToolError::Parse { .. })));
        assert!(convert("1 mg", "1:N v/v", None).is_err());
        assert_eq!(d("0.4"), convert("1:2500 w/v", "mg/mL", None).unwrap().get("result").unwrap().value);
    }
}
