//! `[dose]` and `[infusion]` (SPEC §8.2): an IV infusion's dose rule, duration and bag.
//! Both are required for an `iv-infusion` and refused for every other form.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::DeTable;

use super::positive_base;
use crate::codes::Code;
use crate::formula::dose::{
    DOSE_EXPECTED, DROP_FACTORS, MAX_BAG_ML, is_drop_factor, is_infusion_time, parse_dose_as_written,
    parse_duration,
};
use crate::formula::format;
use crate::formula::reader::{TableReader, choose};
use crate::formula::{Diagnostic, DosageForm, DoseRule, InfusionMethod};
use crate::measure::{Mass, Volume};
use crate::quantity::{Amount, Quantity};
use crate::unit::Dimension;

/// `[dose]`, read.
pub(crate) struct DoseTable {
    pub(crate) rule: DoseRule,
    /// The rule as the active's amount (`0.5 mg/kg`, `35 mg`), with its span.
    pub(crate) amount: (Amount, Range<usize>),
    pub(crate) max: Option<Mass>,
    pub(crate) duration: Decimal,
}

/// `[infusion]`, read.
pub(crate) struct BagTable {
    pub(crate) method: InfusionMethod,
    pub(crate) bag: Volume,
    pub(crate) overfill: Volume,
    pub(crate) concentration: Option<Decimal>,
    pub(crate) replace: bool,
    pub(crate) drop_factor: Option<Decimal>,
}

/// `[dose]` and `[infusion]`: required for an infusion, refused for the other forms.
pub(crate) fn read_tables(
    top: &mut TableReader<'_, '_>,
    form: Option<DosageForm>,
    root_span: &Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> (Option<DoseTable>, Option<BagTable>) {
    let infusion = form == Some(DosageForm::IvInfusion);
    let mut table = |name: &'static str, example: &str, diags: &mut Vec<Diagnostic>| {
        let found = top.opt_table(name, diags);
        match (&found, infusion) {
            (None, true) => diags.push(
                Diagnostic::error(
                    Code::MissingTable,
                    format!("an `iv-infusion` needs a `[{name}]` table"),
                    root_span.clone(),
                )
                .with_help(format!("add `[{name}]` with {example} (SPEC §8.2)")),
            ),
            (Some((_, span)), false) if form.is_some() => diags.push(
                Diagnostic::error(
                    Code::UnexpectedTable,
                    format!("`[{name}]` applies only to an `iv-infusion`"),
                    span.clone(),
                )
                .with_help(format!("remove the `[{name}]` table")),
            ),
            _ => {}
        }
        found
    };
    let dose = table("dose", "`per_kg = \"0.5 mg/kg\"` and `duration = \"40 min\"`", diags);
    let bag = table("infusion", "`method = \"whole-bag\"` and `bag = \"100 mL\"`", diags);
    let dose = dose.and_then(|(t, span)| read_dose(t, span, diags));
    let bag = bag.and_then(|(t, span)| read_bag(t, span, diags));
    (dose, bag)
}

fn read_dose(t: &DeTable<'_>, span: Range<usize>, diags: &mut Vec<Diagnostic>) -> Option<DoseTable> {
    let mut r = TableReader::new(t, span.clone(), &format::DOSE);
    let per_kg = r.opt_parsed("per_kg", diags, parse_dose_as_written);
    let fixed = r.opt_parsed("fixed", diags, parse_dose_as_written);
    let max = r.opt_parsed("max", diags, |s| Quantity::parse_dim(s, Dimension::Mass, "a mass, like `50 mg`"));
    let duration = r.opt_parsed("duration", diags, |s| parse_duration(s).map(|m| (m, s.trim().to_string())));
    let (has_per_kg, has_fixed) = (r.has("per_kg"), r.has("fixed"));
    let has_duration = r.has("duration") || r.misspelled("duration");
    let rule_misspelled = r.misspelled("per_kg") || r.misspelled("fixed");
    r.finish(diags);
    if !has_per_kg && !has_fixed && rule_misspelled {
        // The unknown key's "did you mean" says it; no second error for the same key.
        return None;
    }
    if has_per_kg == has_fixed {
        let (message, at) = if has_per_kg {
            ("give `per_kg` or `fixed`, not both", span.clone())
        } else {
            ("`[dose]` needs `per_kg` or `fixed`", span.clone())
        };
        diags.push(
            Diagnostic::error(Code::DoseRule, message, at).with_help(format!(
                "write `per_kg = \"0.5 mg/kg\"` or `fixed = \"35 mg\"` ({DOSE_EXPECTED})"
            )),
        );
        return None;
    }
    if !has_duration {
        diags.push(
            Diagnostic::error(Code::MissingKey, "missing key `duration` in [dose]", span)
                .with_help("add `duration = \"… min\"`: the infusion time ordered, in `min` or `h`"),
        );
    }
    let ((rule, written), at) = per_kg.or(fixed)?;
    match (has_per_kg, rule) {
        (true, DoseRule::Fixed(_)) => {
            diags.push(
                Diagnostic::error(
                    Code::DoseRule,
                    format!("`per_kg = \"{written}\"` is a fixed dose, not a dose per kg"),
                    at.clone(),
                )
                .with_help(format!("write `fixed = \"{written}\"`, or a rule per kg such as `0.5 mg/kg`")),
            );
            return None;
        }
        (false, DoseRule::PerKg(_)) => {
            diags.push(
                Diagnostic::error(
                    Code::DoseRule,
                    format!("`fixed = \"{written}\"` is a dose per kg, not a fixed dose"),
                    at.clone(),
                )
                .with_help(format!("write `per_kg = \"{written}\"`, or a mass such as `35 mg`")),
            );
            return None;
        }
        _ => {}
    }
    if written.value.is_zero() {
        diags.push(
            Diagnostic::error(Code::ZeroAmount, format!("the dose `{written}` is zero"), at)
                .with_help("give the dose the prescriber ordered"),
        );
        return None;
    }
    let max = max.and_then(|(q, s)| positive_base(&q, s, "max", diags)).map(Mass::from_mg);
    let ((minutes, duration_text), duration_span) = duration?;
    if !is_infusion_time(minutes) {
        diags.push(
            Diagnostic::error(
                Code::Duration,
                format!("a duration of `{duration_text}` is not from 1 min to 24 h"),
                duration_span,
            )
            .with_help("give the infusion time, such as `40 min` or `1 h`"),
        );
        return None;
    }
    Some(DoseTable { rule, amount: (Amount::Quantity(written), at), max, duration: minutes })
}

fn read_bag(t: &DeTable<'_>, span: Range<usize>, diags: &mut Vec<Diagnostic>) -> Option<BagTable> {
    let mut r = TableReader::new(t, span.clone(), &format::INFUSION);
    let method = match r.non_empty("method", diags) {
        Some(t) => choose::<InfusionMethod>(&t, "method", diags),
        None => None,
    };
    let volume = |s: &str| Quantity::parse_dim(s, Dimension::Volume, "a volume, like `100 mL`");
    let bag_text = r.str("bag", diags);
    let bag = bag_text.as_ref().and_then(|t| crate::formula::reader::parse_text(t, diags, volume));
    let overfill = r.opt_parsed("overfill", diags, volume);
    let concentration = r.opt_parsed("concentration", diags, |s| {
        Quantity::parse_dim(s, Dimension::MassPerVolume, "a concentration, like `1 mg/mL`")
    });
    let replace = r.opt_bool("replace", diags).unwrap_or(false);
    let drop_factor = r.opt_parsed("drop_factor", diags, |s| {
        Quantity::parse_dim(s, Dimension::DropsPerVolume, "a drop factor, like `15 gtt/mL`")
    });
    let has_concentration = r.has("concentration");
    let concentration_misspelled = r.misspelled("concentration");
    let concentration_span = r.span_of("concentration");
    r.finish(diags);
    let bag = match (bag, &bag_text) {
        (Some(q), Some(t)) => {
            let ml = positive_base(&q, t.span.clone(), "bag", diags)?;
            if ml > Decimal::from(MAX_BAG_ML) {
                diags.push(
                    Diagnostic::error(Code::Bag, format!("a bag of `{q}` is over 5 L"), t.span.clone())
                        .with_help("give the bag's nominal volume in mL, such as `100 mL` or `500 mL`"),
                );
                return None;
            }
            Volume::from_ml(ml)
        }
        _ => return None,
    };
    let overfill = match overfill {
        Some((q, _)) if q.value.is_zero() => Volume::from_ml(Decimal::ZERO),
        Some((q, s)) => {
            let ml = positive_base(&q, s.clone(), "overfill", diags)?;
            // A bag's overfill is a few percent of it (DOMAIN §10): one larger than the bag
            // itself is a typing slip (`100000 mL`), never a fill.
            if ml > bag.ml() {
                diags.push(
                    Diagnostic::error(
                        Code::Overfill,
                        format!(
                            "an overfill of `{q}` is more than the bag's nominal volume of {}",
                            Quantity::new(bag.ml().normalize(), crate::unit::Unit::ML)
                        ),
                        s,
                    )
                    .with_help(
                        "give the bag's fill above nominal, at most its nominal volume (a few mL), or `0 mL`",
                    ),
                );
                return None;
            }
            Volume::from_ml(ml)
        }
        None => Volume::from_ml(Decimal::ZERO),
    };
    let concentration = concentration.and_then(|(q, s)| positive_base(&q, s, "concentration", diags));
    match (method, has_concentration) {
        (Some(InfusionMethod::FixedConcentration), false) if concentration_misspelled => return None,
        (Some(InfusionMethod::FixedConcentration), false) => {
            diags.push(
                Diagnostic::error(
                    Code::MissingKey,
                    "missing key `concentration`: a fixed-concentration bag needs its nominal concentration",
                    span,
                )
                .with_help("add `concentration = \"… mg/mL\"`: the bag's nominal concentration"),
            );
            return None;
        }
        (Some(InfusionMethod::WholeBag), true) => {
            diags.push(
                Diagnostic::error(Code::UnexpectedKey, "`concentration` is not used here: a whole-bag infusion's concentration follows from the dose", concentration_span)
                    .with_help("remove `concentration`, or write `method = \"fixed-concentration\"`"),
            );
            return None;
        }
        _ => {}
    }
    let drop_factor = match drop_factor {
        Some((q, s)) => {
            let gtt = positive_base(&q, s.clone(), "drop_factor", diags)?;
            if !is_drop_factor(gtt) {
                diags.push(
                    Diagnostic::error(
                        Code::DropFactor,
                        format!(
                            "a drop factor of `{q}` is not from {} to {} gtt/mL",
                            DROP_FACTORS.start(),
                            DROP_FACTORS.end()
                        ),
                        s,
                    )
                    .with_help("give the drop factor printed on the administration set: `10`, `15`, `20` or `60 gtt/mL`"),
                );
                return None;
            }
            Some(gtt)
        }
        None => None,
    };
    Some(BagTable { method: method?, bag, overfill, concentration, replace, drop_factor })
}
