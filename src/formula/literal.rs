//! Quantities written out in formula text (SPEC §7.2): `q.s. to 100 mL` holds a volume
//! that is right only for the reference batch. The loader warns about them; a batch of
//! another size marks the lines that still hold one.

use std::ops::Range;

use rust_decimal::Decimal;

use crate::quantity::Quantity;
use crate::unit::{Dimension, Unit};

/// A number with a unit found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Literal<'t> {
    /// Byte range in the text, from the number to the end of the unit.
    pub(crate) at: Range<usize>,
    /// The quantity as written (`100 mL`).
    pub(crate) text: &'t str,
    /// The quantity.
    pub(crate) quantity: Quantity,
}

/// Every `number [space] unit` in `text` whose unit is known (SPEC §1), in order, found
/// one at a time (a text can hold 200,000 of them). A number inside a word (`PEG1450`,
/// `sha256`) does not count; neither does a unit glued to more text than punctuation
/// (`mL/spray`).
pub(crate) fn quantities(text: &str) -> impl Iterator<Item = Literal<'_>> {
    let mut i = 0usize;
    std::iter::from_fn(move || next_quantity(text, &mut i))
}

/// The next quantity of `text` from byte `i` on, moving `i` past it.
fn next_quantity<'t>(text: &'t str, i: &mut usize) -> Option<Literal<'t>> {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(*i) {
        let i0 = *i;
        let starts_number = b.is_ascii_digit()
            && i0
                .checked_sub(1)
                .and_then(|p| text.get(..p.saturating_add(1)))
                .and_then(|s| s.chars().last())
                .is_none_or(|c| !(c.is_alphanumeric() || c == '.' || c == '_' || c == ','));
        if !b.is_ascii_digit() {
            *i = next_digit(bytes, i0);
            continue;
        }
        if !starts_number {
            *i = i0.saturating_add(1);
            continue;
        }
        let mut end = i0;
        while bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end = end.saturating_add(1);
        }
        if bytes.get(end) == Some(&b'.') && bytes.get(end.saturating_add(1)).is_some_and(u8::is_ascii_digit) {
            end = end.saturating_add(1);
            while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                end = end.saturating_add(1);
            }
        }
        let number_end = end;
        let unit_start = if bytes.get(end) == Some(&b' ') { end.saturating_add(1) } else { end };
        let unit_len = text
            .get(unit_start..)
            .unwrap_or_default()
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '/' | '%' | 'µ' | 'μ')))
            .unwrap_or_else(|| text.len().saturating_sub(unit_start));
        let unit_end = unit_start.saturating_add(unit_len);
        let found = text
            .get(i0..number_end)
            .and_then(|n| Decimal::from_str_exact(n).ok())
            .zip(text.get(unit_start..unit_end).filter(|u| !u.is_empty()).and_then(Unit::parse));
        if let Some((value, unit)) = found {
            *i = unit_end;
            return Some(Literal {
                at: i0..unit_end,
                text: text.get(i0..unit_end).unwrap_or_default(),
                quantity: Quantity::new(value, unit),
            });
        }
        *i = number_end;
    }
    None
}

/// Where the first ASCII digit at or after `from` is in `bytes`, else the end. Most of a
/// text is words without a number: it is looked at many bytes at a time.
fn next_digit(bytes: &[u8], from: usize) -> usize {
    const CHUNK: usize = 16;
    let rest = bytes.get(from..).unwrap_or_default();
    for (n, chunk) in rest.chunks(CHUNK).enumerate() {
        // Without a branch a byte, which lets the compiler look at the chunk at once.
        if chunk.iter().fold(false, |any, b| any | b.is_ascii_digit())
            && let Some(k) = chunk.iter().position(u8::is_ascii_digit)
        {
            return from.saturating_add(n.saturating_mul(CHUNK)).saturating_add(k);
        }
    }
    bytes.len()
}

/// The quantities in `text` of the batch's own dimension (a volume for liquids, a mass
/// for semisolids, a count for molded forms), less those equal to one of `constants`
/// (in the dimension's base unit): a device's volume per actuation is no batch quantity.
pub(crate) fn batch_quantities<'t>(
    text: &'t str,
    dim: Dimension,
    constants: &'t [Decimal],
) -> impl Iterator<Item = Literal<'t>> {
    quantities(text)
        .filter(move |l| l.quantity.dimension() == dim)
        .filter(|l| l.quantity.to_base().is_ok_and(|v| !constants.contains(&v)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn found(text: &str, dim: Dimension) -> Vec<String> {
        batch_quantities(text, dim, &[dec!(0.1)]).map(|l| l.text.to_string()).collect()
    }

    #[test]
    fn volumes_masses_and_counts() {
        let step = "Place about 60 mL of vehicle in a 100 mL beaker, make up (q.s.) to 100mL. Spray 0.1 mL per actuation.";
        assert_eq!(found(step, Dimension::Volume), ["60 mL", "100 mL", "100mL"]);
        assert_eq!(found("Weigh 10.5 g of base and 2 mg/mL of x; 40-mesh", Dimension::Mass), ["10.5 g"]);
        assert_eq!(found("Count: 30 troches dispensed; 2 overage troches", Dimension::Count), ["30 troches"]);
        assert_eq!(found("Weigh 10 troches individually", Dimension::Count), ["10 troches"]);
    }

    #[test]
    fn numbers_inside_words_and_rates_do_not_count() {
        assert!(found("PEG1450 and sha256 and C-III, pH 3.5 to 5.5", Dimension::Volume).is_empty());
        assert!(found("10 mL/spray; 100 mg/mL; 20 gtt/mL", Dimension::Volume).is_empty());
        assert!(found("1,000 mL", Dimension::Volume).is_empty());
    }

    #[test]
    fn offsets_point_at_the_quantity() {
        let text = "q.s. to 100 mL.";
        let l = &quantities(text).next().unwrap();
        assert_eq!(&text[l.at.clone()], "100 mL");
        assert_eq!(l.quantity.to_base().unwrap(), Decimal::from(100));
    }
}
