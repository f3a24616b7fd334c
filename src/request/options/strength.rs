//! `--strength [ID=]S`: each custom strength read and resolved to its active, of the same
//! kind as the formula's amount, at most once per active.

use std::collections::BTreeMap;

use super::Errors;
use super::flags::Flag;
use super::values::{no_control_characters, opt, refuse, repeated, ticked, unknown};
use crate::formula::{Formula, Ingredient, Role};
use crate::quantity::Amount;
use crate::request::RequestError;

/// Resolves each `--strength [ID=]S` to its active: `ID=` may be left out when the
/// formula has one active; the strength must be of the same kind as the formula's; a
/// second strength for one active is refused. Each one refused is an error in `e`.
pub(super) fn resolve_strengths(
    formula: &Formula,
    given: &[(Flag<'_>, Option<String>, Amount)],
    e: &mut Errors,
) -> BTreeMap<String, Amount> {
    let mut out = BTreeMap::new();
    let mut seen: Vec<(&str, String)> = Vec::new();
    for (flag, id, amount) in given {
        let Some(target) = e.keep(strength_target(formula, *flag, id.as_deref(), amount)) else { continue };
        let this = id.as_ref().map_or_else(|| amount.to_string(), |id| format!("{id}={amount}"));
        if let Some((_, first)) = seen.iter().find(|(t, _)| *t == target.id) {
            e.push(repeated(flag.name, &target.id, first, &this));
            continue;
        }
        seen.push((target.id.as_str(), this));
        out.insert(target.id.clone(), *amount);
    }
    out
}

fn strength_target<'f>(
    formula: &'f Formula,
    flag: Flag<'_>,
    id: Option<&str>,
    amount: &Amount,
) -> Result<&'f Ingredient, RequestError> {
    let target = match id {
        Some(id) => {
            let ing = formula.ingredient(id).ok_or_else(|| unknown(formula, flag.name, id))?;
            if ing.role != Role::Active {
                return Err(refuse(
                    flag.name,
                    &format!("{id}={amount}"),
                    format!("`{id}` is not an active; only an active's strength can be changed"),
                ));
            }
            ing
        }
        None => {
            let actives: Vec<&Ingredient> = formula.actives().collect();
            match actives.as_slice() {
                [one] => *one,
                _ => {
                    return Err(RequestError::StrengthNeedsId {
                        option: flag.name.to_string(),
                        formula: formula.id.clone(),
                        actives: ticked(actives.iter().map(|i| i.id.as_str())),
                    });
                }
            }
        }
    };
    if amount.dimension() != target.amount.dimension() {
        return Err(refuse(
            flag.name,
            &amount.to_string(),
            format!(
                "it is {}, but `{}` is written as {} (`{}`); give a strength of the same kind",
                amount.dimension().map_or("qs", |d| d.describe()),
                target.id,
                target.amount.dimension().map_or("qs", |d| d.describe()),
                target.amount
            ),
        ));
    }
    Ok(target)
}

/// `--strength [ID=]S`.
pub(super) fn parse_strength(f: Flag<'_>) -> Result<(Option<String>, Amount), RequestError> {
    let (option, text) = (f.name, f.value);
    let (id, value) = match text.split_once('=') {
        Some((id, v)) => {
            no_control_characters(option, text, id)?;
            (Some(id.trim().to_string()), v)
        }
        None => (None, text),
    };
    let amount = Amount::parse(value).map_err(opt(option))?;
    if amount == Amount::Qs || amount.is_zero() {
        return Err(refuse(option, text, "a strength must be a concentration or amount above zero"));
    }
    Ok((id, amount))
}
