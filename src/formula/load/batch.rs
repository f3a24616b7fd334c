//! `[batch]` (SPEC §2, §7.5, §13): the reference quantity the formula's text is written
//! for, the overage, the fill of one container and the capacity of one; and the
//! batch-size grammar every batch quantity goes through.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::DeTable;

use crate::codes::Code;
use crate::formula::format;
use crate::formula::reader::{TableReader, parse_text};
use crate::formula::{Basis, Diagnostic, DosageForm, Overage};
use crate::quantity::{Percent, Quantity, QuantityError, parse_whole_count};
use crate::unit::Dimension;

/// The largest batch size accepted, per basis: 100 L, 100 kg or 1,000,000 units (in mL,
/// mg, units). Anything larger is a typing mistake for a compounding pharmacy.
pub const MAX_VOLUME_ML: i64 = 100_000;
/// See [`MAX_VOLUME_ML`]; in mg.
pub const MAX_MASS_MG: i64 = 100_000_000;
/// See [`MAX_VOLUME_ML`].
pub const MAX_UNITS: i64 = 1_000_000;

/// Parses a batch size (`quantity`, or an `overage` amount) for a basis, in its base
/// unit: a volume in mL, a mass in mg, or a whole count; at most the limits above.
pub fn parse_batch_size(text: &str, basis: Basis) -> Result<Decimal, QuantityError> {
    let value = match basis {
        Basis::Volume | Basis::Infusion => {
            base_of(&Quantity::parse_dim(text, Dimension::Volume, "a volume, like `30 mL`")?, text)?
        }
        Basis::Mass => base_of(&Quantity::parse_dim(text, Dimension::Mass, "a mass, like `100 g`")?, text)?,
        Basis::Molded => parse_whole_count(text)?,
    };
    let (max, limit) = basis.limit();
    if value > max {
        return Err(QuantityError::OverLimit { text: text.trim().to_string(), limit });
    }
    Ok(value)
}

fn base_of(q: &Quantity, text: &str) -> Result<Decimal, QuantityError> {
    // `9999999999999999999999999999 L` is too large once in mL, not too precise.
    q.to_base().map_err(QuantityError::conversion(text))
}

/// `[batch]` as read: the reference quantity, the overage, (liquids) the fill and the
/// capacity of one container (mL), and the span of the quantity (or of the table).
pub(crate) struct BatchTable {
    pub(crate) quantity: Option<Decimal>,
    pub(crate) overage: Option<Overage>,
    pub(crate) fill: Option<Decimal>,
    pub(crate) capacity: Option<Decimal>,
    pub(crate) span: Range<usize>,
}

impl BatchTable {
    /// A formula without `[batch]`.
    pub(crate) fn none(span: Range<usize>) -> BatchTable {
        BatchTable { quantity: None, overage: None, fill: None, capacity: None, span }
    }
}

/// A container volume (`fill`, `capacity`): liquids only, a batch size above zero.
fn container_volume(
    key: &str,
    text: Option<crate::formula::reader::Text>,
    basis: Basis,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Decimal, Range<usize>)> {
    let f = text?;
    if basis != Basis::Volume {
        diags.push(
            Diagnostic::error(
                Code::UnexpectedKey,
                format!("`{key}` applies only to liquids (nasal sprays, sublingual drops, oral solutions)"),
                f.span,
            )
            .with_help(format!("remove `{key}`")),
        );
        return None;
    }
    let v = parse_text(&f, diags, |s| parse_batch_size(s, Basis::Volume))?;
    if v.is_zero() {
        let what = if key == "fill" { "the fill of a container" } else { "the capacity of a container" };
        diags.push(
            Diagnostic::error(Code::ZeroAmount, format!("{what} is zero"), f.span)
                .with_help(format!("give what one container holds, e.g. `{key} = \"… mL\"`")),
        );
        return None;
    }
    Some((v, f.span))
}

pub(crate) fn read_batch(
    t: &DeTable<'_>,
    span: Range<usize>,
    form: Option<DosageForm>,
    diags: &mut Vec<Diagnostic>,
) -> BatchTable {
    let basis = form.map(DosageForm::basis);
    let mut r = TableReader::new(t, span.clone(), &format::BATCH).in_form(form);
    let quantity = r.opt_count_text("quantity", diags);
    let overage = r.opt_count_text("overage", diags);
    let fill = r.opt_str("fill", diags);
    let capacity = r.opt_str("capacity", diags);
    r.finish(diags);
    let Some(basis) = basis else { return BatchTable::none(span) };
    let fill = container_volume("fill", fill, basis, diags);
    let capacity = container_volume("capacity", capacity, basis, diags);
    if let (Some((f, at)), Some((c, _))) = (&fill, &capacity)
        && f > c
    {
        diags.push(
            Diagnostic::error(
                Code::FillOverCapacity,
                format!(
                    "`fill = \"{}\"` is more than one container takes (`capacity = \"{}\"`)",
                    Basis::Volume.show(*f),
                    Basis::Volume.show(*c)
                ),
                at.clone(),
            )
            .with_help(
                "give a fill of at most the capacity, or the capacity of the container the formula names",
            ),
        );
    }
    let batch_span = quantity.as_ref().map_or(span, |q| q.span.clone());
    let quantity = quantity.and_then(|q| {
        let v = parse_text(&q, diags, |s| parse_batch_size(s, basis))?;
        if v.is_zero() {
            diags.push(Diagnostic::error(Code::ZeroAmount, "the reference batch quantity is zero", q.span));
            return None;
        }
        Some(v)
    });
    let overage = overage.and_then(|o| {
        if o.value.trim_end().ends_with('%') {
            let p = parse_text(&o, diags, Percent::parse)?;
            if p.0 >= Decimal::ONE_HUNDRED {
                diags.push(
                    Diagnostic::error(
                        Code::BadValue,
                        format!("an overage of `{p}` is not a process-loss allowance"),
                        o.span,
                    )
                    .with_help("overages are usually 5 to 10%"),
                );
                return None;
            }
            Some(Overage::Percent(p))
        } else {
            parse_text(&o, diags, |s| parse_batch_size(s, basis)).map(|v| Overage::Amount(basis.size(v)))
        }
    });
    BatchTable {
        quantity,
        overage,
        fill: fill.map(|(v, _)| v),
        capacity: capacity.map(|(v, _)| v),
        span: batch_span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_sizes_by_basis_within_limits() {
        assert_eq!(parse_batch_size("30mL", Basis::Volume).unwrap(), Decimal::from(30));
        assert_eq!(parse_batch_size("100 g", Basis::Mass).unwrap(), Decimal::from(100_000));
        assert_eq!(parse_batch_size("96 troches", Basis::Molded).unwrap(), Decimal::from(96));
        assert_eq!(parse_batch_size("100 L", Basis::Volume).unwrap(), Decimal::from(MAX_VOLUME_ML));
        assert!(matches!(parse_batch_size("100.001 L", Basis::Volume), Err(QuantityError::OverLimit { .. })));
        assert!(matches!(parse_batch_size("1000001", Basis::Molded), Err(QuantityError::OverLimit { .. })));
        assert!(matches!(parse_batch_size("30 g", Basis::Volume), Err(QuantityError::WrongDimension { .. })));
        assert!(matches!(parse_batch_size("2.5", Basis::Molded), Err(QuantityError::NotWhole { .. })));
        assert!(matches!(
            parse_batch_size("9999999999999999999999999999 L", Basis::Volume),
            Err(QuantityError::TooLarge { .. })
        ));
    }
}
