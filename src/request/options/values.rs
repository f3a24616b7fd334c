//! The values of a batch request's options, each read by the project's grammar and held to
//! its range (SPEC §4, §11.2), every error naming the option as its caller named it.

use jiff::civil::Date;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::flags::Flag;
use crate::formula::{Basis, Formula, MAX_MASS_MG, Overage};
use crate::measure::{BatchSize, Mass, Volume};
use crate::quantity::{Percent, Quantity, QuantityError, parse_number, parse_whole_count};
use crate::request::{Field, RequestError, Syntax};
use crate::unit::Dimension;

/// The first compounding date ketacalc accepts (SPEC §11.2).
pub(crate) const FIRST_DATE: Date = jiff::civil::date(2000, 1, 1);

/// The last compounding date ketacalc accepts (SPEC §11.2).
pub(crate) const LAST_DATE: Date = jiff::civil::date(2999, 12, 31);

/// Refuses a compounding date (or another date read as one: a lot's expiry) outside
/// 2000-01-01 to 2999-12-31: `0000-01-01` or `9999-12-31` is a typing slip, and a
/// beyond-use date counted from it would be nonsense.
pub(crate) fn check_compounding_date(date: Date) -> Result<(), String> {
    if (FIRST_DATE..=LAST_DATE).contains(&date) {
        Ok(())
    } else {
        Err(format!("a date is from {FIRST_DATE} to {LAST_DATE}"))
    }
}

pub(crate) fn ticked<'i>(ids: impl Iterator<Item = &'i str>) -> String {
    ids.map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

pub(crate) fn unknown(formula: &Formula, option: &str, id: &str) -> RequestError {
    RequestError::UnknownIngredient {
        option: option.to_string(),
        id: id.to_string(),
        formula: formula.id.clone(),
        known: ticked(formula.ingredients.iter().map(|i| i.id.as_str())),
    }
}

pub(crate) fn opt(option: &str) -> impl Fn(QuantityError) -> RequestError + '_ {
    move |cause| RequestError::Option { option: option.to_string(), cause }
}

pub(crate) fn refuse(option: &str, value: &str, reason: impl Into<String>) -> RequestError {
    RequestError::OptionValue { option: option.to_string(), value: value.to_string(), reason: reason.into() }
}

/// A quantity of `dimension` given to `option`, in the dimension's base unit (mg, mL);
/// each caller checks its own range.
pub(crate) fn parse_base(
    option: &str,
    text: &str,
    dimension: Dimension,
    expected: &'static str,
) -> Result<Decimal, RequestError> {
    let q = Quantity::parse_dim(text, dimension, expected).map_err(opt(option))?;
    q.to_base().map_err(|e| refuse(option, text, e.to_string()))
}

/// `--quantity` for a formula: a volume, a mass or a whole count by its basis, above zero
/// and within the limits of any batch.
pub(crate) fn parse_quantity(formula: &Formula, f: Flag<'_>) -> Result<BatchSize, RequestError> {
    let (option, text) = (f.name, f.value);
    let form = formula.dosage_form;
    let basis = formula.basis();
    let value = match basis {
        Basis::Volume | Basis::Infusion => {
            parse_base(option, text, Dimension::Volume, volume_expected(form.as_str()))?
        }
        Basis::Mass => {
            parse_base(option, text, Dimension::Mass, "a mass, like `100 g`, for a cream, gel or ointment")?
        }
        Basis::Molded => parse_whole_count(text).map_err(opt(option))?,
    };
    if value.is_zero() {
        return Err(refuse(option, text, "a batch cannot be empty"));
    }
    let (max, what) = basis.limit();
    if value > max {
        return Err(refuse(option, text, format!("batches are limited to {what}")));
    }
    Ok(basis.size(value))
}

fn volume_expected(form: &str) -> &'static str {
    match form {
        "nasal-spray" => "a volume, like `30 mL`, for a nasal spray",
        "sublingual-drops" => "a volume, like `30 mL`, for sublingual drops",
        _ => "a volume, like `100 mL`, for an oral solution",
    }
}

/// `--overage`: `N%` (under 100%) or a quantity of the formula's basis.
pub(super) fn parse_overage(formula: &Formula, f: Flag<'_>, syntax: Syntax) -> Result<Overage, RequestError> {
    let (option, text) = (f.name, f.value);
    if text.trim_end().ends_with('%') {
        let p = Percent::parse(text).map_err(opt(option))?;
        if p.0 >= Decimal::ONE_HUNDRED {
            return Err(refuse(option, text, "an overage is a process-loss allowance under 100%"));
        }
        return Ok(Overage::Percent(p));
    }
    let basis = formula.basis();
    // `--overage 5` is almost surely 5%, except for troches and RDTs, where it is 5 units.
    if basis != Basis::Molded && parse_number(text).is_ok() {
        let unit = if basis == Basis::Mass { "g" } else { "mL" };
        let n = text.trim();
        return Err(RequestError::OptionFix {
            option: option.to_string(),
            value: text.to_string(),
            reason: "a bare number is neither a percentage nor a quantity".to_string(),
            fix: format!(
                "write `{}` for a percentage of the batch, or a quantity with its unit, like `{}`",
                syntax.given(Field::Overage, &format!("{n}%")),
                syntax.given(Field::Overage, &format!("{n}{unit}"))
            ),
        });
    }
    let v = crate::formula::parse_batch_size(text, basis).map_err(opt(option))?;
    Ok(Overage::Amount(basis.size(v)))
}

/// `--fill`: the volume one container holds, for a liquid; a usage error for other forms.
pub(crate) fn parse_fill(formula: &Formula, f: Flag<'_>) -> Result<Volume, RequestError> {
    if formula.basis() != Basis::Volume {
        return Err(RequestError::NotForForm {
            option: f.name.to_string(),
            form: formula.dosage_form.to_string(),
            why: "it gives what one container of a liquid holds".to_string(),
        });
    }
    let v = crate::formula::parse_batch_size(f.value, Basis::Volume).map_err(opt(f.name))?;
    if v.is_zero() {
        return Err(refuse(f.name, f.value, "a container must hold something"));
    }
    Ok(Volume::from_ml(v))
}

/// `--min-volume`: the smallest volume measured with acceptable accuracy, above zero and
/// at most 1 L.
pub(crate) fn parse_min_volume(f: Flag<'_>) -> Result<Volume, RequestError> {
    let v = parse_base(f.name, f.value, Dimension::Volume, "a volume, like `1 mL`")?;
    if v.is_zero() || v > Decimal::ONE_THOUSAND {
        return Err(refuse(f.name, f.value, "it must be above 0 mL and at most 1 L"));
    }
    Ok(Volume::from_ml(v))
}

/// What each `ID=VALUE` option's value looks like, for its help line.
fn pair_example(field: Field) -> &'static str {
    match field {
        Field::Lod => "0.5%",
        Field::Lot => "K2611",
        Field::Expiry => "2027-03-31",
        _ => "99.5%",
    }
}

/// Splits `ID=VALUE`, refusing a control character in `ID`. Without an id, the help
/// suggests the option with `example_id` (an ingredient of the formula) and the value
/// given, or the option's own kind of example.
pub(super) fn split_pair<'t>(
    field: Field,
    f: Flag<'t>,
    example_id: &str,
) -> Result<(&'t str, &'t str), RequestError> {
    let (option, text) = (f.name, f.value);
    match text.split_once('=') {
        Some((id, value)) if !id.trim().is_empty() => {
            no_control_characters(option, text, id)?;
            Ok((id.trim(), value.trim()))
        }
        given => {
            let value = given.map_or(text, |(_, v)| v).trim();
            let value = if value.is_empty() || crate::hidden::find_hidden_in_line(value).is_some() {
                pair_example(field)
            } else {
                value
            };
            Err(RequestError::OptionFix {
                option: option.to_string(),
                value: text.to_string(),
                reason: "expected `ID=VALUE`, the ingredient's id and its value".to_string(),
                fix: format!("name the ingredient: `{option} {example_id}={value}`"),
            })
        }
    }
}

/// Free text from the command line that the worksheet prints (`--lot` values,
/// `--batch-id`): one line without a hidden character ([`crate::hidden`]), tab and line
/// feed included, as they would reach the worksheet and the terminal raw.
pub(crate) fn parse_text(option: &str, text: &str) -> Result<String, RequestError> {
    no_control_characters(option, text, text)?;
    Ok(text.to_string())
}

pub(crate) fn no_control_characters(option: &str, text: &str, part: &str) -> Result<(), RequestError> {
    match crate::hidden::find_hidden_in_line(part) {
        Some(c) => Err(refuse(
            option,
            text,
            format!(
                "it contains the hidden character {}, which would reach the worksheet raw; remove it",
                crate::hidden::describe(c)
            ),
        )),
        None => Ok(()),
    }
}

/// The error for a second value of a per-ingredient option (`--assay X=99% --assay
/// X=50%`): keeping either one silently could weigh for the wrong lot, so both are named.
pub(crate) fn repeated(option: &str, id: &str, first: &str, second: &str) -> RequestError {
    refuse(
        option,
        second,
        format!("`{id}` already has `{option} {first}`; give one `{option}` per ingredient"),
    )
}

/// An assay: from 1% to 110%.
///
/// Each correction of the amount to weigh (purity, assay, `100% − LOD`) is at least 1%,
/// so none multiplies a weight by more than 100: an assay of `0.0000001%` once asked for
/// a billion times the amount, a typo no worksheet should carry.
pub(crate) fn parse_assay(option: &str, text: &str) -> Result<Percent, RequestError> {
    let p = Percent::parse(text).map_err(opt(option))?;
    if p.0 < Decimal::ONE || p.0 > Decimal::from(110) {
        return Err(refuse(option, text, "an assay must be from 1% to 110%"));
    }
    Ok(p)
}

/// A loss on drying: from 0% to 99% (at least 1% of the material is dry; see
/// [`parse_assay`]).
pub(crate) fn parse_lod(option: &str, text: &str) -> Result<Percent, RequestError> {
    let p = Percent::parse(text).map_err(opt(option))?;
    if p.0 > Decimal::from(99) {
        return Err(refuse(option, text, "a loss on drying must be from 0% to 99%"));
    }
    Ok(p)
}

/// The finest balance readability accepted, in mg: 0.001 mg (a microbalance).
pub const MIN_READABILITY_MG: Decimal = dec!(0.001);
/// The coarsest balance readability accepted, in mg: 1 g. A coarser one (`100 kg`)
/// rounded every weight to zero.
pub const MAX_READABILITY_MG: Decimal = dec!(1000);
/// The largest minimum weighable quantity, in mg: 820 g, the default minimum weight
/// (820 × readability) of the coarsest balance, so that a minimum weight derived from the
/// readability and one given with `--min-weight` have the same cap.
pub const MAX_MIN_WEIGHT_MG: Decimal = dec!(820_000);

/// `--readability`: from 0.001 mg to 1 g.
pub(crate) fn parse_readability(f: Flag<'_>) -> Result<Mass, RequestError> {
    let v = parse_mass(f.name, f.value)?;
    if v.mg() < MIN_READABILITY_MG || v.mg() > MAX_READABILITY_MG {
        return Err(refuse(f.name, f.value, "a balance readability must be from 0.001 mg to 1 g"));
    }
    Ok(v)
}

/// `--min-weight` for a balance of `readability`: from the readability (a smaller amount
/// cannot be weighed at all) up to 820 g.
pub(crate) fn parse_min_weight(f: Flag<'_>, readability: Mass) -> Result<Mass, RequestError> {
    let v = parse_mass(f.name, f.value)?;
    if v < readability || v.mg() > MAX_MIN_WEIGHT_MG {
        return Err(refuse(
            f.name,
            f.value,
            format!(
                "a minimum weight must be from the balance readability ({}) up to 820 g",
                crate::number::format_mass(readability.mg())
            ),
        ));
    }
    Ok(v)
}

/// A `YYYY-MM-DD` date that exists in the calendar, from 2000-01-01 to 2999-12-31
/// (a compounding date, or a lot's expiry).
pub(crate) fn parse_date(option: &str, text: &str) -> Result<Date, RequestError> {
    let t = text.trim();
    let shape_ok = t.len() == 10
        && t.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    if !shape_ok {
        return Err(refuse(option, text, "expected a date as `YYYY-MM-DD`, e.g. `2026-11-26`"));
    }
    let date =
        t.parse::<Date>().map_err(|_| refuse(option, text, "that date does not exist in the calendar"))?;
    check_compounding_date(date).map_err(|why| refuse(option, text, why))?;
    Ok(date)
}

/// A positive mass such as `0.1mg`.
pub(crate) fn parse_mass(option: &str, text: &str) -> Result<Mass, RequestError> {
    let v = parse_base(option, text, Dimension::Mass, "a mass, like `0.1 mg`")?;
    if v.is_zero() {
        return Err(refuse(option, text, "it must be above zero"));
    }
    if v > Decimal::from(MAX_MASS_MG) {
        return Err(refuse(option, text, "it must be at most 100 kg"));
    }
    Ok(Mass::from_mg(v))
}

#[cfg(test)]
mod tests {
    use super::super::strength::parse_strength;
    use super::*;

    fn flag<'a>(name: &'a str, value: &'a str) -> Flag<'a> {
        Flag { name, value }
    }

    #[test]
    fn dates_must_exist() {
        assert!(parse_date("--date", "2028-02-29").is_ok());
        for bad in ["2026-02-30", "2027-02-29", "2026-13-01", "26-11-2026", "20261126", "2026-1-1", ""] {
            assert!(parse_date("--date", bad).is_err(), "{bad}");
        }
        // A compounding date is from 2000 to 2999 (SPEC §11.2).
        assert!(parse_date("--date", "2000-01-01").is_ok());
        assert!(parse_date("--date", "2999-12-31").is_ok());
        for out in ["0000-01-01", "1999-12-31", "3000-01-01", "9999-12-31"] {
            let e = parse_date("--date", out).unwrap_err().to_string();
            assert!(e.contains("a date is from 2000-01-01 to 2999-12-31"), "{out}: {e}");
        }
    }

    #[test]
    fn assay_and_lod_ranges() {
        for (ok, text) in [(true, "99.5%"), (true, "110%"), (true, "1%"), (false, "0%"), (false, "0.99%")] {
            assert_eq!(parse_assay("--assay", text).is_ok(), ok, "{text}");
        }
        assert!(parse_assay("--assay", "0.0000001%").is_err());
        assert!(parse_assay("--assay", "110.1%").is_err());
        assert!(parse_lod("--lod", "0%").is_ok());
        assert!(parse_lod("--lod", "99%").is_ok());
        assert!(parse_lod("--lod", "99.1%").is_err());
        assert!(parse_lod("--lod", "100%").is_err());
    }

    #[test]
    fn strengths() {
        let (id, a) = parse_strength(flag("--strength", "ketamine-hcl=150 mg/mL")).unwrap();
        assert_eq!(id.as_deref(), Some("ketamine-hcl"));
        assert_eq!(a.to_string(), "150 mg/mL");
        assert_eq!(parse_strength(flag("--strength", "1:10 w/w")).unwrap().0, None);
        assert!(parse_strength(flag("--strength", "0 mg/mL")).is_err());
        assert!(parse_strength(flag("--strength", "qs")).is_err());
    }

    #[test]
    fn control_characters_are_refused() {
        assert!(parse_text("--lot", "K-2291 A").is_ok());
        for bad in
            ["K\u{1b}[2J", "a\tb", "a\nb", "a\rb", "\u{7f}", "\u{85}", "K\u{202e}1", "K\u{2066}", "a\u{2028}"]
        {
            assert!(parse_text("--lot", bad).is_err(), "{bad:?}");
        }
        assert!(split_pair(Field::Assay, flag("--assay", "ket\u{1b}amine=99%"), "x").is_err());
        assert!(parse_strength(flag("--strength", "ket\u{0}=5 mg/mL")).is_err());
        let e = parse_text("--batch-id", "B\u{1b}1").unwrap_err().to_string();
        assert!(e.contains("hidden character U+001B (escape)"), "{e}");
    }

    #[test]
    fn pairs() {
        assert_eq!(split_pair(Field::Lot, flag("--lot", "a=L1"), "x").unwrap(), ("a", "L1"));
        assert!(split_pair(Field::Lot, flag("--lot", "L1"), "x").is_err());
        assert!(split_pair(Field::Lot, flag("--lot", "=L1"), "x").is_err());
    }

    #[test]
    fn balance_bounds() {
        assert_eq!(parse_readability(flag("--readability", "0.001 mg")).unwrap().mg(), MIN_READABILITY_MG);
        assert_eq!(parse_readability(flag("--readability", "1 g")).unwrap().mg(), MAX_READABILITY_MG);
        for bad in ["0.0009 mg", "1.001 g", "100 kg", "0 mg"] {
            assert!(parse_readability(flag("--readability", bad)).is_err(), "{bad}");
        }
        let d = Mass::from_mg(Decimal::ONE);
        assert!(parse_min_weight(flag("--min-weight", "1 mg"), d).is_ok());
        assert!(parse_min_weight(flag("--min-weight", "820 g"), d).is_ok());
        assert!(parse_min_weight(flag("--min-weight", "0.5 mg"), d).is_err());
        assert!(parse_min_weight(flag("--min-weight", "820.001 g"), d).is_err());
    }
}
