//! The yield (SPEC §14.2 item 3): what was filled or made against what the batch should
//! yield — a count of containers against the containers of SPEC §7.5, a volume or mass
//! filled against `Q`, molded units against the cavities (SPEC §7.6) — `in` from 95% to
//! 105% inclusive (DOMAIN §7.2). An infusion has no yield. A yield or a final weight that
//! cannot be this batch's is an error at its place in the file.

use rust_decimal::Decimal;

use super::asked::{Asked, Theoretical};
use super::{ABSURD_FACTOR, Status, YIELD_HIGH, YIELD_LOW, Yield, YieldFigure, written};
use crate::calc::Frac;
use crate::formula::Diagnostic;
use crate::request::{BatchFile, Yield as FileYield};

/// The yield of the batch `asked` for, from `file`; `None` for an infusion. Errors go to
/// `errors`.
pub(super) fn of(asked: &Asked<'_>, file: &BatchFile, errors: &mut Vec<Diagnostic>) -> Option<Yield> {
    check_final_weight(asked, file, errors);
    asked.infusion().is_none().then_some(())?;
    let read = file.actual.yielded.as_ref();
    let count = read.map(|y| matches!(y, FileYield::Count(_)));
    let Some(theoretical) = asked.theoretical(count) else {
        if let Some(FileYield::Count(n)) = read {
            errors.push(
                Diagnostic::error(
                    crate::codes::Code::WrongReading,
                    format!(
                        "the yield is `{}` containers, but formula `{}` gives no container fill to count them against",
                        n.value, asked.formula.id
                    ),
                    n.span.clone(),
                )
                .with_help("give the volume filled, like `29.5 mL`"),
            );
        }
        return None;
    };
    let theoretical = match theoretical {
        Theoretical::Count(n) => YieldFigure::Count(Decimal::from(n)),
        Theoretical::Filled(m) => YieldFigure::Filled(m),
    };
    let Some(read) = read else {
        return Some(Yield { theoretical, actual: None, percent: None, status: Status::Missing });
    };
    let (actual, value, span, shown) = match read {
        FileYield::Count(n) => (YieldFigure::Count(n.value), n.value, n.span.clone(), n.value.to_string()),
        FileYield::Filled(f) => {
            (YieldFigure::Filled(f.value), f.value.value(), f.span.clone(), written(&f.written))
        }
    };
    let of = match theoretical {
        YieldFigure::Count(n) => n,
        YieldFigure::Filled(m) => m.value(),
    };
    let too_many = crate::arith::mul(of, Decimal::from(ABSURD_FACTOR)).is_ok_and(|limit| value >= limit);
    if too_many {
        errors.push(
            Diagnostic::error(
                crate::codes::Code::AbsurdReading,
                format!("the yield is `{shown}`, 10 or more times what the batch makes: a slip of the unit or of the decimal point?"),
                span,
            )
            .with_help("give the containers filled, the volume or mass filled, or the units made"),
        );
        return None;
    }
    let Ok(percent) = Frac::of(value).times(Decimal::ONE_HUNDRED).over(of).value() else {
        errors.push(super::calculation("yield", "the yield"));
        return None;
    };
    let status = if percent < Decimal::from(YIELD_LOW) {
        Status::Under
    } else if percent > Decimal::from(YIELD_HIGH) {
        Status::Over
    } else {
        Status::In
    };
    Some(Yield { theoretical, actual: Some(actual), percent: Some(percent), status })
}

/// A final weight of nothing, or a factor of ten or more from the mass the batch should
/// weigh, is an error.
fn check_final_weight(asked: &Asked<'_>, file: &BatchFile, errors: &mut Vec<Diagnostic>) {
    let Some(fw) = &file.actual.final_weight else { return };
    let shown = written(&fw.written);
    let mg = fw.value.mg();
    let factor = Decimal::from(ABSURD_FACTOR);
    let off = asked.theoretical_mass().is_some_and(|t| {
        crate::arith::mul(t, factor).is_ok_and(|high| mg >= high)
            || crate::arith::mul(mg, factor).is_ok_and(|low| low <= t)
    });
    if mg.is_zero() || off {
        let why = if mg.is_zero() {
            "a mass of nothing"
        } else {
            "a factor of ten or more from what the batch should weigh"
        };
        errors.push(
            Diagnostic::error(
                crate::codes::Code::AbsurdReading,
                format!("the final weight is `{shown}`: {why}"),
                fw.span.clone(),
            )
            .with_help("give the net mass of what was made, or leave `final_weight` out until it is weighed"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_yield_is_in_from_95_to_105_percent_inclusive() {
        let file = crate::formulary::Formulary::BuiltIn.get("ketamine-hcl-troche-50").unwrap();
        let f = crate::formula::load_bytes(&file.bytes).formula.unwrap();
        let mut o = crate::calc::Options::new(jiff::civil::date(2026, 3, 9));
        // 18 troches and the formula's 2 extra: 20 cavities, 19 of them 95%.
        o.quantity = Some(f.basis().size(Decimal::from(18)));
        let b = crate::calc::compute(&f, &o).unwrap();
        let asked = Asked::new(&f, &b);
        let status = |units: &str| {
            let text = format!("formula = \"ketamine-hcl-troche-50\"\n[actual]\nyield = \"{units}\"\n");
            let l = crate::request::load_str(&text);
            let mut errors = Vec::new();
            let y = of(&asked, &l.file, &mut errors).unwrap();
            assert!(errors.is_empty(), "{errors:?}");
            (y.status, y.percent.map(|p| p.normalize().to_string()))
        };
        assert_eq!(status("19"), (Status::In, Some("95".to_string())));
        assert_eq!(status("18"), (Status::Under, Some("90".to_string())));
        assert_eq!(status("21"), (Status::In, Some("105".to_string())));
        assert_eq!(status("22"), (Status::Over, Some("110".to_string())));
        assert_eq!(status("0"), (Status::Under, Some("0".to_string())));
    }
}
