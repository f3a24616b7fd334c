//! `[device]` (SPEC §2): the metered-dose device of a spray, drops or a cream.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::DeTable;

use super::positive_base;
use crate::codes::Code;
use crate::formula::format;
use crate::formula::reader::{TableReader, parse_text};

use crate::formula::{Basis, Delivery, Device, Diagnostic, DosageForm};
use crate::quantity::{Quantity, parse_number};
use crate::unit::Dimension;

pub(crate) fn read_device(
    t: &DeTable<'_>,
    span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Device> {
    let mut r = TableReader::new(t, span.clone(), &format::DEVICE);
    let dose = r.non_empty("dose", diags);
    if let Some(d) = &dose
        && !format::DOSE_NOUNS.contains(&d.value.as_str())
    {
        diags.push(
            Diagnostic::error(Code::BadValue, format!("unknown dose noun `{}`", d.value), d.span.clone())
                .with_help("use `spray`, `drop`, `click` or `dose`"),
        );
    }
    let volume = r.opt_parsed("volume", diags, |s| {
        Quantity::parse_dim(s, Dimension::Volume, "a volume, like `0.1 mL`")
    });
    let per_ml = r
        .opt_count_text("per_ml", diags)
        .and_then(|t| parse_text(&t, diags, parse_number).map(|v| (v, t.span)));
    let priming = match r.opt_int("priming", diags) {
        Some((n, span)) if n > Decimal::from(format::MAX_PRIMING) => {
            diags.push(
                Diagnostic::error(
                    Code::BadValue,
                    format!("`priming = {n}` is more actuations than any pump loses"),
                    span,
                )
                .with_help(format!(
                    "give the actuations lost priming the pump, at most {}",
                    format::MAX_PRIMING
                )),
            );
            Decimal::ZERO
        }
        Some((n, _)) => n,
        None => Decimal::ZERO,
    };
    let residual = r
        .opt_parsed("residual", diags, |s| {
            Quantity::parse_dim(s, Dimension::Volume, "a volume, like `0.3 mL`")
        })
        .and_then(|(q, span)| {
            if q.value.is_zero() { Some(Decimal::ZERO) } else { positive_base(&q, span, "residual", diags) }
        })
        .unwrap_or_default();
    r.finish(diags);
    let delivery = match (volume, per_ml) {
        (Some((q, span)), None) => Delivery::Volume(positive_base(&q, span, "volume", diags)?),
        (None, Some((n, span))) => {
            if n.is_zero() {
                diags.push(Diagnostic::error(Code::ZeroFactor, "`per_ml` is zero", span));
                return None;
            }
            Delivery::PerMl(n)
        }
        (Some(_), Some((_, span))) => {
            diags.push(Diagnostic::error(
                Code::ConflictingKeys,
                "give either `volume` or `per_ml` in `[device]`, not both",
                span,
            ));
            return None;
        }
        (None, None) => {
            diags.push(
                Diagnostic::error(
                    Code::MissingKey,
                    "`[device]` needs `volume` (per actuation) or `per_ml` (drops per mL)",
                    span,
                )
                .with_help("add `volume = \"… mL\"` (the device's volume per actuation) or `per_ml = \"…\"` (a calibrated dropper's drops per mL)"),
            );
            return None;
        }
    };
    Some(Device { dose: dose?.value, delivery, priming, residual })
}

/// `[device]`, where the dosage form allows or needs one.
pub(crate) fn read_table(
    top: &mut TableReader<'_, '_>,
    form: Option<DosageForm>,
    has_density: bool,
    root_span: &Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Device> {
    let basis = form.map(DosageForm::basis);
    let Some((t, span)) = top.opt_table("device", diags) else {
        if let Some(f) = form.filter(|f| f.needs_device()) {
            diags.push(
                Diagnostic::error(Code::MissingDevice, format!("a `{f}` needs a `[device]` table"), root_span.clone())
                    .with_help("add `[device]` with `dose` and `volume` (or `per_ml`), e.g. `dose = \"spray\"`, `volume = \"0.1 mL\"`"),
            );
        }
        return None;
    };
    if basis == Some(Basis::Molded) {
        diags.push(
            Diagnostic::error(
                Code::UnexpectedTable,
                "`[device]` does not apply to molded forms (troches, RDTs)",
                span.clone(),
            )
            .with_help("remove the `[device]` table"),
        );
    }
    if basis == Some(Basis::Mass) && !has_density {
        diags.push(
            Diagnostic::error(
                Code::MissingKey,
                "a `[device]` on a mass-basis form needs the preparation's `density` to give per-dose strengths",
                span.clone(),
            )
            .with_help("add the preparation's measured `density = \"… g/mL\"` at the top level"),
        );
    }
    read_device(t, span, diags)
}
