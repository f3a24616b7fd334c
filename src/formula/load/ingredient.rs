//! `[[ingredients]]` (SPEC §2.2): one ingredient, its amount in a form the dosage form
//! allows, its salt/base weights, purity, density, measure and displacement.

use std::ops::Range;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use toml::de::DeTable;

use super::{positive_base, read_density};
use crate::codes::Code;
use crate::formula::dose::parse_stock;
use crate::formula::format;
use crate::formula::reader::{TableReader, Text, choose, parse_text};
use crate::formula::{
    Basis, Diagnostic, Displacement, DosageForm, ID_PATTERN, Ingredient, Measure, Role, Schedule, Stock,
    StrengthBasis, is_valid_id,
};
use crate::measure::Volume;
use crate::quantity::{Amount, Percent, Quantity, parse_number};
use crate::unit::Dimension;

/// Every `[[ingredients]]` table; the flag is true when the formula has ingredients and
/// every one was read without error (the checks across ingredients need them all).
pub(crate) fn read_all(
    top: &mut TableReader<'_, '_>,
    form: Option<DosageForm>,
    dose: Option<&(Amount, Range<usize>)>,
    root_span: &Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Ingredient>, bool) {
    let before = diags.len();
    let tables = top.opt_table_array("ingredients", diags);
    // None at all, or an empty `ingredients = []` (which once passed `validate` and was
    // then refused by `batch` with "0 errors").
    if tables.is_empty() && diags.len() == before {
        let span = if top.has("ingredients") { top.span_of("ingredients") } else { root_span.clone() };
        diags.push(
            Diagnostic::error(Code::MissingKey, "the formula has no `[[ingredients]]`", span)
                .with_help("add one `[[ingredients]]` table per ingredient"),
        );
    }
    let read: Vec<Ingredient> = tables
        .iter()
        .enumerate()
        .filter_map(|(n, (t, span))| read_ingredient(t, span.clone(), n, form, dose, diags))
        .collect();
    let all_read = read.len() == tables.len() && !tables.is_empty();
    (read, all_read)
}

fn read_ingredient(
    t: &DeTable<'_>,
    span: Range<usize>,
    n: usize,
    form: Option<DosageForm>,
    dose: Option<&(Amount, Range<usize>)>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Ingredient> {
    let basis = form.map(DosageForm::basis);
    let label = format!("[[ingredients]] #{}", n.saturating_add(1));
    let mut r = TableReader::new(t, span.clone(), &format::INGREDIENT).labelled(label).in_form(form);
    let before = diags.len();
    let id = read_id(&mut r, diags);
    let name = r.non_empty("name", diags);
    let role = r.non_empty("role", diags).and_then(|t| choose::<Role>(&t, "role", diags));
    let (amount, amount_span) = if basis == Some(Basis::Infusion) && role == Some(Role::Active) {
        // An infusion's active is dosed by `[dose]`; that rule is its amount.
        r.refuse("amount", "an infusion's active is dosed by `[dose]`, not by an amount", diags);
        dose.map_or((None, span.clone()), |(a, at)| (Some(*a), at.clone()))
    } else {
        r.float_unit("amount", amount_unit(&r));
        read_amount(&mut r, basis, &span, diags)
    };
    let basis_text = r.opt_str("basis", diags);
    let strength_basis = basis_text.as_ref().and_then(|t| choose::<StrengthBasis>(t, "basis", diags));
    if role == Some(Role::Active) && basis_text.is_none() && amount != Some(Amount::Qs) {
        diags.push(
            Diagnostic::error(Code::MissingBasis, format!("active `{}` does not say whether its strength is the salt or the base", id.as_ref().map_or("?", |t| t.value.as_str())), span.clone())
                .with_help("add `basis = \"salt\"` (amount of the material weighed) or `basis = \"base\"` (amount of the free base)"),
        );
    }
    let molecular_weights = read_molecular_weights(&mut r, diags);
    let schedule = read_schedule(&mut r, diags);
    let solubility = read_solubility(&mut r, amount, diags);
    let purity = read_purity(&mut r, diags);
    let density = read_density(&mut r, "density", diags);
    let measure = read_measure(&mut r, basis, amount, density.is_some(), &amount_span, diags);
    let displacement = read_displacement(&mut r, basis, amount == Some(Amount::Qs), span.clone(), diags);
    let substance = r.opt_str("substance", diags).map(|t| t.value);
    let given = Given { basis, amount, strength_basis, molecular_weights: molecular_weights.is_some() };
    let stock = read_stock(&mut r, &given, diags);
    let measure = if stock.is_some() { Measure::Volume } else { measure };
    let tolerance = read_tolerance(&mut r, "tolerance", diags);
    r.finish(diags);
    if diags.get(before..).is_some_and(|new| new.iter().any(Diagnostic::is_error)) {
        return None;
    }
    let id = id?;
    Some(Ingredient {
        id: id.value,
        id_span: id.span,
        name: name?.value,
        role: role?,
        amount: amount?,
        basis: strength_basis,
        molecular_weights,
        schedule,
        solubility,
        purity,
        density,
        measure,
        displacement: displacement?,
        substance,
        stock,
        tolerance,
        amount_span,
        span,
    })
}

/// A tolerance of the completed record (`tolerance`, `strength_tolerance`, SPEC §14.2):
/// above 0% and at most 20%.
pub(crate) fn read_tolerance(
    r: &mut TableReader<'_, '_>,
    key: &'static str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Percent> {
    let (p, span) = r.opt_parsed(key, diags, Percent::parse)?;
    let max = Decimal::from(format::MAX_TOLERANCE_PERCENT);
    if p.0.is_zero() || p.0 > max {
        diags.push(
            Diagnostic::error(crate::codes::Code::BadTolerance, format!("a `{key}` of `{p}` is not above 0% and at most {max}%"), span)
                .with_help(format!("give how far a figure may be from its target, above `0%` and at most `{max}%`, like `2%`; leave `{key}` out for the default")),
        );
        return None;
    }
    Some(p)
}

/// What the stock rules need to know about the rest of the ingredient.
struct Given {
    basis: Option<Basis>,
    amount: Option<Amount>,
    strength_basis: Option<StrengthBasis>,
    molecular_weights: bool,
}

/// `stock`, `stock_basis`, `vial` and `stock_density` (SPEC §8.1, §14.1): a solution of
/// known strength the ingredient is measured from, on volume-basis and IV formulas only.
fn read_stock(r: &mut TableReader<'_, '_>, given: &Given, diags: &mut Vec<Diagnostic>) -> Option<Stock> {
    let stock = r.opt_parsed("stock", diags, parse_stock);
    let basis_text = r.opt_str("stock_basis", diags);
    let stock_basis = basis_text.as_ref().and_then(|t| choose::<StrengthBasis>(t, "stock_basis", diags));
    let vial = r.opt_parsed("vial", diags, |s| {
        Quantity::parse_dim(s, crate::unit::Dimension::Volume, "a volume, like `10 mL`")
    });
    let density = read_density(r, "stock_density", diags);
    if !r.has("stock") {
        for key in ["stock_basis", "vial", "stock_density"].into_iter().filter(|k| r.has(k)) {
            diags.push(
                Diagnostic::error(Code::UnexpectedKey, format!("`{key}` is not used here: the ingredient has no `stock`"), r.span_of(key))
                    .with_help(format!("add `stock = \"50 mg/mL\"` (the strength of the solution it is measured from), or remove `{key}`")),
            );
        }
        return None;
    }
    let ((strength, per_ml), span) = stock?;
    if !stock_fits(r, given, &span, diags) {
        return None;
    }
    if per_ml.0.is_zero() || per_ml.1.is_zero() {
        diags.push(Diagnostic::error(Code::ZeroFactor, "the `stock` strength is zero", span));
        return None;
    }
    let differs = stock_basis.is_some_and(|b| Some(b) != given.strength_basis);
    if let (true, Some(t)) = (differs, &basis_text) {
        let problem = if given.strength_basis.is_none() {
            Some("the ingredient has no `basis` to convert it to")
        } else if !given.molecular_weights {
            Some("converting it needs `molecular_weight` and `base_molecular_weight`")
        } else {
            None
        };
        if let Some(problem) = problem {
            diags.push(
                Diagnostic::error(Code::StockBasis, format!("`stock_basis = \"{}\"`: {problem}", t.value), t.span.clone())
                    .with_help("give the ingredient's `basis` and both molecular weights, or remove `stock_basis` when the stock is labelled in the ingredient's own basis"),
            );
            return None;
        }
    }
    let vial = match vial {
        Some((q, s)) => {
            let ml = positive_base(&q, s.clone(), "vial", diags)?;
            // A vial of 0.0000001 mL asked to open 100,000,000 of them: the containers
            // solutions come in hold from a fraction of a millilitre to a few litres.
            if ml < dec!(0.1) || ml > Decimal::from(crate::formula::dose::MAX_BAG_ML) {
                diags.push(
                    Diagnostic::error(
                        Code::BadValue,
                        format!("a vial of `{q}` is not from 0.1 mL to 5 L"),
                        s,
                    )
                    .with_help("give the volume one vial (or bottle) of the solution holds, such as `10 mL`"),
                );
                return None;
            }
            Some(Volume::from_ml(ml))
        }
        None => None,
    };
    Some(Stock { strength, per_ml, basis: stock_basis.filter(|_| differs), vial, density })
}

/// Whether `stock` may be used on this ingredient (SPEC §8.1), reporting why not.
fn stock_fits(
    r: &TableReader<'_, '_>,
    given: &Given,
    span: &Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let mut fits = true;
    let mut refuse = |message: String, at: Range<usize>, help: &str| {
        diags.push(Diagnostic::error(Code::Stock, message, at).with_help(help.to_string()));
        fits = false;
    };
    if !matches!(given.basis, Some(Basis::Volume | Basis::Infusion) | None) {
        refuse(
            "`stock` is for liquids and IV infusions: a semisolid or molded form weighs its ingredients"
                .to_string(),
            span.clone(),
            "remove `stock` and give the amount of the ingredient itself",
        );
    }
    if given.amount == Some(Amount::Qs) {
        refuse(
            "a `qs` ingredient cannot come from a `stock`: it makes up the rest".to_string(),
            span.clone(),
            "remove `stock`, or give the ingredient an amount",
        );
    }
    for &key in format::NOT_WITH_STOCK.iter().filter(|k| r.has(k)) {
        refuse(
            format!(
                "`{key}` cannot be given with `stock`: a stock solution is measured by volume at its labelled strength"
            ),
            r.span_of(key),
            &format!("remove `{key}`"),
        );
    }
    let mass = matches!(
        given.amount.and_then(|a| a.dimension()),
        Some(Dimension::MassPerVolume | Dimension::Mass | Dimension::MassPerMass) | None
    );
    if !mass {
        refuse(
            "an ingredient measured from a `stock` needs an amount of the substance (a mass or a mass per volume), not a volume".to_string(),
            r.span_of("amount"),
            "write the amount of the substance, such as `10 mg/mL` or `0.01 %w/v`",
        );
    }
    fits
}

fn read_id(r: &mut TableReader<'_, '_>, diags: &mut Vec<Diagnostic>) -> Option<Text> {
    let id = r.non_empty("id", diags);
    if let Some(t) = &id
        && !is_valid_id(&t.value)
    {
        diags.push(
            Diagnostic::error(
                Code::BadId,
                format!("ingredient id `{}` does not match `{ID_PATTERN}`", t.value),
                t.span.clone(),
            )
            .with_help("use lowercase letters, digits, `.` and `-`"),
        );
    }
    id
}

/// The unit an amount of this ingredient is written in, for the help of an amount written
/// as a TOML float (SPEC §13.1): a volume for one measured by volume (`"4.0 mL"`), else
/// the form's concentration: `mg/mL` in a liquid, `%w/w` in a semisolid, `mg/unit` in a
/// molded form.
fn amount_unit(r: &TableReader<'_, '_>) -> String {
    let by_volume = r.peek_str("measure") == Some(Measure::Volume.as_str()) && !r.has("stock");
    if by_volume { "mL".to_string() } else { crate::formula::example::amount_unit(r.form()) }
}

/// The amount, in a form the dosage form allows and not zero, with its span (the
/// table's when the amount is missing).
fn read_amount(
    r: &mut TableReader<'_, '_>,
    basis: Option<Basis>,
    span: &Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> (Option<Amount>, Range<usize>) {
    let amount_text = r.str("amount", diags);
    let amount = amount_text.as_ref().and_then(|t| parse_text(t, diags, Amount::parse));
    let amount_span = amount_text.as_ref().map_or(span.clone(), |t| t.span.clone());
    if let (Some(a), Some(t)) = (&amount, &amount_text) {
        if a.is_zero() {
            diags.push(
                Diagnostic::error(
                    Code::ZeroAmount,
                    format!("the amount `{}` is zero", t.value),
                    t.span.clone(),
                )
                .with_help("remove the ingredient or give its amount"),
            );
        }
        if let Some(b) = basis {
            check_amount_form(a, b, t, diags);
        }
    }
    (amount, amount_span)
}

/// Both molecular weights (salt, base) or neither: the salt factor needs both.
fn read_molecular_weights(
    r: &mut TableReader<'_, '_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Decimal, Decimal)> {
    let mw = read_factor(r, "molecular_weight", diags);
    let base_mw = read_factor(r, "base_molecular_weight", diags);
    match (mw, base_mw, r.has("molecular_weight"), r.has("base_molecular_weight")) {
        (Some(a), Some(b), _, _) => Some((a, b)),
        (_, _, true, false) | (_, _, false, true) => {
            let (present, absent) = if r.has("molecular_weight") {
                ("molecular_weight", "base_molecular_weight")
            } else {
                ("base_molecular_weight", "molecular_weight")
            };
            diags.push(
                Diagnostic::error(
                    Code::MolecularWeights,
                    format!("`{present}` is given without `{absent}`: the salt factor needs both"),
                    r.span_of(present),
                )
                .with_help(format!(
                    "add `{absent}`, or remove `{present}` if the material weighed is the base itself"
                )),
            );
            None
        }
        _ => None,
    }
}

fn read_schedule(r: &mut TableReader<'_, '_>, diags: &mut Vec<Diagnostic>) -> Option<Schedule> {
    let t = r.opt_str("schedule", diags)?;
    let s = Schedule::read(&t.value);
    if s.is_none() {
        diags.push(
            Diagnostic::error(Code::BadValue, format!("unknown DEA schedule `{}`", t.value), t.span)
                .with_help("use `CII`, `CIII`, `CIV` or `CV` (ketamine is `CIII`)"),
        );
    }
    s
}

/// A solubility of the same kind as the amount's concentration, in its base unit.
fn read_solubility(
    r: &mut TableReader<'_, '_>,
    amount: Option<Amount>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Decimal> {
    let (q, span) = r.opt_parsed("solubility", diags, Quantity::parse)?;
    // An amount that did not parse has its own diagnostic; don't pile on.
    let amount = amount?;
    let fits = match amount.dimension() {
        Some(d @ (Dimension::MassPerVolume | Dimension::MassPerMass)) => q.dimension() == d,
        _ => false,
    };
    if !fits {
        diags.push(
            Diagnostic::error(Code::WrongDimension, format!("solubility `{q}` does not compare with the amount's concentration"), span)
                .with_help("a solubility applies to a concentration of the same kind: `mg/mL` for `mg/mL` or `%w/v` amounts, `mg/g` for `%w/w`"),
        );
        return None;
    }
    positive_base(&q, span, "solubility", diags)
}

/// A purity from 1% to 100%: like an assay, it divides the weight, and `0.0000001%` once
/// asked for a thousand kilograms of a preservative.
fn read_purity(r: &mut TableReader<'_, '_>, diags: &mut Vec<Diagnostic>) -> Option<Percent> {
    let (p, span) = r.opt_parsed("purity", diags, Percent::parse)?;
    if p.0.is_zero() {
        diags.push(Diagnostic::error(Code::ZeroFactor, "`purity` is zero", span));
        None
    } else if p.0 < Decimal::ONE {
        diags.push(
            Diagnostic::error(Code::PurityUnder1, format!("a purity of `{p}` is under 1%"), span).with_help(
                "a purity is from `1%` to `100%`, the share of the material that is the ingredient (`50%` for a 50% solution)",
            ),
        );
        None
    } else if p.0 > Decimal::ONE_HUNDRED {
        diags.push(
            Diagnostic::error(Code::PurityOver100, format!("a purity of `{p}` is over 100%"), span)
                .with_help("a purity is at most `100%`; for a lot's assay use `--assay` on the command line"),
        );
        None
    } else {
        Some(p)
    }
}

/// How the ingredient is measured (by default as its amount is written), and whether its
/// density is needed to turn one into the other.
fn read_measure(
    r: &mut TableReader<'_, '_>,
    basis: Option<Basis>,
    amount: Option<Amount>,
    has_density: bool,
    amount_span: &Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Measure {
    let measure_text = r.opt_str("measure", diags);
    let explicit = measure_text.as_ref().and_then(|t| choose::<Measure>(t, "measure", diags));
    let volume_amount =
        matches!(amount.and_then(|a| a.dimension()), Some(Dimension::Volume | Dimension::VolumePerVolume));
    let measure = explicit.unwrap_or(if volume_amount { Measure::Volume } else { Measure::Mass });
    let needs_density = match basis {
        // Mass-basis and molded forms add every ingredient by mass.
        Some(Basis::Mass | Basis::Molded) => volume_amount || measure == Measure::Volume,
        _ => volume_amount != (measure == Measure::Volume),
    };
    if needs_density && !has_density && !r.has("density") && amount.is_some() && amount != Some(Amount::Qs) {
        diags.push(
            Diagnostic::error(Code::MissingDensity, "this ingredient is measured by volume but its mass is needed (or the reverse): add its `density`", amount_span.clone())
                .with_help("add `density = \"… g/mL\"` with the ingredient's specific gravity"),
        );
    }
    measure
}

fn read_factor(
    r: &mut TableReader<'_, '_>,
    key: &'static str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Decimal> {
    let (v, span) = r.opt_parsed(key, diags, parse_number)?;
    if v.is_zero() {
        diags.push(
            Diagnostic::error(Code::ZeroFactor, format!("`{key}` is zero"), span)
                .with_help(format!("give the real `{key}`; it cannot be zero")),
        );
        return None;
    }
    Some(v)
}

fn read_displacement(
    r: &mut TableReader<'_, '_>,
    basis: Option<Basis>,
    is_qs: bool,
    table_span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Displacement> {
    let molded = basis == Some(Basis::Molded);
    let f = read_factor(r, "displacement_factor", diags);
    let df = read_factor(r, "density_factor", diags);
    let given: Vec<&str> =
        ["displacement_factor", "density_factor"].into_iter().filter(|k| r.has(k)).collect();
    if !given.is_empty() && (!molded || is_qs) {
        let key = given.first().copied().unwrap_or("displacement_factor");
        let why = if is_qs {
            "the qs base is what is displaced"
        } else {
            "displacement applies only to molded forms (troches, RDTs)"
        };
        diags.push(
            Diagnostic::error(
                Code::UnexpectedKey,
                format!("`{key}` is not used here: {why}"),
                r.span_of(key),
            )
            .with_help(format!("remove `{key}`")),
        );
        return Some(Displacement::AssumedOneToOne);
    }
    if given.len() == 2 {
        diags.push(
            Diagnostic::error(
                Code::ConflictingKeys,
                "give `displacement_factor` or `density_factor`, not both: the two conventions are inverses",
                r.span_of("density_factor"),
            )
            .with_help("keep the one your base vendor or calibration gives"),
        );
        return None;
    }
    if let Some(f) = f {
        let low = dec!(0.3);
        let high = dec!(1.5);
        if f < low || f > high {
            diags.push(
                Diagnostic::warning(Code::DisplacementFactorRange, format!("displacement factor `{f}` is outside the usual 0.3 to 1.5"), r.span_of("displacement_factor"))
                    .with_help("check that this is grams of base removed per gram of ingredient, not a density factor (its inverse)"),
            );
        }
        return Some(Displacement::Factor(f));
    }
    if let Some(df) = df {
        return Some(Displacement::DensityFactor(df));
    }
    if !given.is_empty() {
        return None;
    }
    if molded && !is_qs {
        diags.push(
            Diagnostic::warning(Code::AssumedOneToOne, "no `displacement_factor` or `density_factor`: one-to-one displacement (factor 1) is assumed", table_span)
                .with_help("add `displacement_factor = \"1\"` to confirm one-to-one, or the factor from your base vendor or calibration"),
        );
    }
    Some(Displacement::AssumedOneToOne)
}

fn check_amount_form(a: &Amount, basis: Basis, t: &Text, diags: &mut Vec<Diagnostic>) {
    let (what, help) = match basis {
        Basis::Volume => {
            ("a liquid (volume basis)", "use `mg/mL`, `%w/v`, `1:N w/v`, `%v/v` or a fixed mass or volume")
        }
        Basis::Mass => {
            ("a semisolid (mass basis)", "use `%w/w`, `mg/g`, `1:N w/w` or a fixed mass or volume")
        }
        Basis::Molded => ("a molded form", "use a per-unit amount such as `50 mg/troche`, or a fixed mass"),
        // An infusion's ingredients are checked as a whole (`infusion-ingredients`).
        Basis::Infusion => return,
    };
    let Some(dim) = a.dimension() else { return };
    if !basis.amount_dimensions().contains(&dim) {
        diags.push(
            Diagnostic::error(
                Code::AmountForm,
                format!("the amount `{}` is {}, which {what} cannot use", t.value, dim.describe()),
                t.span.clone(),
            )
            .with_help(help),
        );
    }
}
