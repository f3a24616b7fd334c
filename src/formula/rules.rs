//! Rules that look at several ingredients or fields at once (SPEC §2.2, §2.3, §13).

use std::collections::HashSet;
use std::ops::Range;

use rust_decimal::Decimal;

use super::reader::Text;
use super::{Basis, Diagnostic, DosageForm, Ingredient, Measure, Role, Storage};
use crate::arith;
use crate::codes::Code;
use crate::unit::Dimension;

pub(crate) fn check_ingredients(
    ingredients: &[Ingredient],
    basis: Basis,
    has_batch_quantity: bool,
    root_span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) {
    // Ids seen so far: one lookup per ingredient, not a scan of the ones before it (a
    // 1 MiB file holds some 17,000 ingredients).
    let mut seen: HashSet<&str> = HashSet::with_capacity(ingredients.len());
    for ing in ingredients {
        if !seen.insert(ing.id.as_str()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("ingredient id `{}` is used twice", ing.id),
                    ing.id_span.clone(),
                )
                .with_help("give each ingredient its own id"),
            );
        }
        if ing.role == Role::Active && ing.is_qs() {
            diags.push(
                Diagnostic::error(
                    Code::QsActive,
                    format!("the active `{}` cannot be the qs ingredient", ing.id),
                    ing.amount_span.clone(),
                )
                .with_help("state the active's strength; make the vehicle or base the `qs`"),
            );
        }
        let fixed = matches!(ing.amount.dimension(), Some(Dimension::Mass | Dimension::Volume));
        if fixed && !has_batch_quantity && basis != Basis::Infusion {
            diags.push(
                Diagnostic::error(
                    Code::MissingBatchQuantity,
                    format!("the fixed amount `{}` needs `[batch].quantity` to scale with", ing.amount),
                    ing.amount_span.clone(),
                )
                .with_help("add `[batch]` with the `quantity` this amount is written for"),
            );
        }
        if ing.role == Role::Active
            && basis == Basis::Molded
            && ing.amount.dimension() == Some(Dimension::Mass)
        {
            diags.push(
                Diagnostic::warning(
                    Code::FixedAmountActive,
                    format!(
                        "the active `{}` is a fixed `{}` for the whole reference batch, not an amount per unit",
                        ing.id, ing.amount
                    ),
                    ing.amount_span.clone(),
                )
                .with_help(format!(
                    "if each unit holds {}, write `{}/unit`: a fixed amount is shared by every unit of the batch",
                    ing.amount, ing.amount
                )),
            );
        }
        if ing.role == Role::Active
            && ing.schedule.is_none()
            && (ing.id.starts_with("ketamine") || ing.id.starts_with("esketamine"))
        {
            diags.push(
                Diagnostic::warning(
                    Code::UnscheduledKetamine,
                    format!("active `{}` looks like ketamine but has no `schedule`", ing.id),
                    ing.span.clone(),
                )
                .with_help(
                    "add `schedule = \"CIII\"` so the worksheet carries the controlled-substance record",
                ),
            );
        }
    }
    let qs: Vec<&Ingredient> = ingredients.iter().filter(|i| i.is_qs()).collect();
    match qs.as_slice() {
        [] => diags.push(
            Diagnostic::error(
                Code::QsCount,
                "no ingredient has `amount = \"qs\"`: one vehicle or base must make up the batch",
                root_span.clone(),
            )
            .with_help("set `amount = \"qs\"` on the vehicle (liquids) or base (creams, troches)"),
        ),
        [_] => {}
        [_, rest @ ..] => {
            for extra in rest {
                diags.push(
                    Diagnostic::error(
                        Code::QsCount,
                        format!("`{}` is a second `qs` ingredient; a formula has exactly one", extra.id),
                        extra.amount_span.clone(),
                    )
                    .with_help("give this ingredient an amount, and keep one `qs`"),
                );
            }
        }
    }
    check_fraction_sum(ingredients, basis, diags);
    if basis == Basis::Infusion {
        check_infusion(ingredients, root_span, diags);
    }
}

/// An infusion is one active, dosed by `[dose]` from a `stock`, in the bag's diluent
/// (SPEC §8.2): nothing else is modelled, so nothing else is accepted.
fn check_infusion(ingredients: &[Ingredient], root_span: Range<usize>, diags: &mut Vec<Diagnostic>) {
    let mut actives = 0usize;
    for ing in ingredients {
        let at = ing.span.clone();
        let (message, help) = match ing.role {
            Role::Active => {
                actives = actives.saturating_add(1);
                if actives > 1 {
                    (
                        format!("`{}` is a second active; an infusion has exactly one", ing.id),
                        "make one bag per drug",
                    )
                } else if ing.stock.is_none() {
                    diags.push(
                        Diagnostic::error(
                            Code::InfusionStock,
                            format!(
                                "the active `{}` has no `stock`: an infusion's drug is drawn from a vial of known strength",
                                ing.id
                            ),
                            at,
                        )
                        .with_help("add `stock = \"50 mg/mL\"` (the vial's labelled strength) and `vial = \"10 mL\"`"),
                    );
                    continue;
                } else {
                    continue;
                }
            }
            Role::Vehicle if ing.is_qs() => continue,
            Role::Vehicle => (
                format!(
                    "the bag's diluent `{}` must have `amount = \"qs\"`: the bag is made up with it",
                    ing.id
                ),
                "write `amount = \"qs\"`; the bag's volume is `[infusion] bag`",
            ),
            _ if ing.is_qs() => (
                format!(
                    "the qs ingredient `{}` of an infusion must have `role = \"vehicle\"` (the bag's diluent)",
                    ing.id
                ),
                "write `role = \"vehicle\"`",
            ),
            _ => (
                format!(
                    "`{}` is neither the active nor the bag's diluent; an infusion has just those two",
                    ing.id
                ),
                "remove it: ketacalc models one drug drawn from vials into one bag",
            ),
        };
        diags.push(Diagnostic::error(Code::InfusionIngredients, message, at).with_help(help));
    }
    if actives == 0 {
        diags.push(
            Diagnostic::error(Code::InfusionIngredients, "an infusion has no active ingredient", root_span)
                .with_help("add the drug as an `[[ingredients]]` table with `role = \"active\"`, its `basis` and its `stock`"),
        );
    }
}

/// On a mass basis the mass/mass fractions, on a volume basis the `%v/v` fractions, must
/// leave room for the qs.
fn check_fraction_sum(ingredients: &[Ingredient], basis: Basis, diags: &mut Vec<Diagnostic>) {
    let (dim, what) = match basis {
        Basis::Mass => (Dimension::MassPerMass, "mass/mass"),
        Basis::Volume => (Dimension::VolumePerVolume, "`%v/v`"),
        Basis::Molded | Basis::Infusion => return,
    };
    // Percent of the whole: mg/g ÷ 10, %v/v as is.
    let mut total = Decimal::ZERO;
    let mut last = None;
    for ing in ingredients.iter().filter(|i| i.amount.dimension() == Some(dim)) {
        let Some(Ok(base)) = ing.amount.to_base() else { continue };
        let pct = if dim == Dimension::MassPerMass { arith::div(base, Decimal::TEN) } else { Ok(base) };
        match pct.and_then(|p| arith::add(total, p)) {
            Ok(t) => total = t,
            Err(_) => total = Decimal::MAX,
        }
        last = Some(ing);
    }
    if let Some(ing) = last
        && total >= Decimal::ONE_HUNDRED
    {
        let by_how_much = arith::sub(total, Decimal::ONE_HUNDRED).unwrap_or(total);
        diags.push(
            Diagnostic::error(
                Code::NoRoomForQs,
                if by_how_much.is_zero() {
                    format!("the {what} fractions sum to 100%, leaving no room for the qs")
                } else {
                    format!(
                        "the {what} fractions sum to {}%, leaving no room for the qs (over by {}%)",
                        total.normalize(),
                        by_how_much.normalize()
                    )
                },
                ing.amount_span.clone(),
            )
            .with_help("the fractions must sum to less than 100%; lower the strengths"),
        );
    }
}

/// `[aliquot] diluent` must be an ingredient weighed by mass that is not an active, on a
/// form whose aliquots are made by mass (SPEC §7.4).
pub(crate) fn check_aliquot_diluent(
    diluent: &Text,
    ingredients: &[Ingredient],
    form: DosageForm,
    diags: &mut Vec<Diagnostic>,
) {
    let id = diluent.value.as_str();
    let why = match ingredients.iter().find(|i| i.id == id) {
        _ if form.basis() == Basis::Volume => {
            Some(format!("a `{form}` makes its aliquots by volume in the vehicle; remove `[aliquot]`"))
        }
        None => {
            let ids: Vec<String> = ingredients.iter().map(|i| format!("`{}`", i.id)).collect();
            Some(format!("the formula has no ingredient `{id}` (it has {})", ids.join(", ")))
        }
        Some(i) if i.role == Role::Active => Some(format!("`{id}` is an active; a diluent must be inert")),
        Some(i)
            if i.measure == Measure::Volume
                || i.amount
                    .dimension()
                    .is_some_and(|d| matches!(d, Dimension::Volume | Dimension::VolumePerVolume)) =>
        {
            Some(format!("`{id}` is measured by volume; a diluent for trituration is weighed"))
        }
        Some(_) => None,
    };
    if let Some(why) = why {
        diags.push(
            Diagnostic::error(Code::AliquotDiluent, format!("`[aliquot] diluent = \"{id}\"` cannot be used: {why}"), diluent.span.clone())
                .with_help("name a powder weighed by mass (such as lactose or the base), or remove `[aliquot]` to use the qs ingredient"),
        );
    }
}

/// `preserved = true` with no ingredient in the role `preservative` (SPEC §11): the
/// 35-day beyond-use date of USP <795> rests on that claim, so the formula names what
/// preserves it.
pub(crate) fn check_preserved(ingredients: &[Ingredient], span: Range<usize>, diags: &mut Vec<Diagnostic>) {
    if ingredients.iter().any(|i| i.role == Role::Preservative) {
        return;
    }
    diags.push(
        Diagnostic::warning(
            Code::PreservedWithoutPreservative,
            "`preserved = true`, but no ingredient has `role = \"preservative\"`: the 35-day beyond-use date rests on that claim",
            span,
        )
        .with_help("give the ingredient that preserves the preparation (an added preservative, or the preserved base or vehicle) `role = \"preservative\"`, or write `preserved = false`"),
    );
}

/// Warns (`storage-text`) about a labeling warning that states another storage than the
/// formula's `storage`: the label prints one storage statement (SPEC §13), and two that
/// disagree would leave the patient to guess.
pub(crate) fn check_storage_text(labeling: &[Text], own: Storage, diags: &mut Vec<Diagnostic>) {
    for (n, t) in labeling.iter().enumerate() {
        let Some(said) = Storage::stated_in(&t.value).filter(|s| *s != own) else { continue };
        diags.push(
            Diagnostic::warning(
                Code::StorageText,
                format!(
                    "labeling warning {} says to store the preparation `{}`, but `storage = \"{}\"`",
                    n.saturating_add(1),
                    said.as_str(),
                    own.as_str()
                ),
                t.span.clone(),
            )
            .with_help("make the warning and `storage` say the same: the label prints one storage statement"),
        );
    }
}
