//! Checking the text fields of a formula (SPEC §7.1, §7.2): every placeholder must be one
//! the dosage form has and name an ingredient the formula has; every quantity of the
//! batch's own dimension written out in a step or a QC check is worth a warning.

use std::ops::Range;

use rust_decimal::Decimal;

use super::diagnostic::{Omitted, PerText, Severity};
use super::literal::batch_quantities;
use super::reader::Text;
use super::string_span::StringSpan;
use super::template::{self, MAX_LITERALS_KEPT, PLACEHOLDERS, Slot, Template, TemplateErrorKind};
use super::{Basis, Delivery, Device, Diagnostic, DosageForm, Ingredient, Overage, Role};
use crate::arith;
use crate::codes::Code;
use crate::unit::Dimension;

/// A text field while the formula is being loaded: its template and where it lies.
pub(crate) struct Field<'s> {
    pub(crate) template: Template,
    map: StringSpan<'s>,
    /// How messages name the field: `step 3`, `QC check 2`, `the name`.
    label: Label,
}

/// How messages name a text field: a fixed name (`the name`), or a numbered one of a list
/// (`step 3`). Kept as its parts and written out only when a message is built, since a clean
/// file prints none.
#[derive(Clone, Copy)]
pub(crate) struct Label {
    what: &'static str,
    number: Option<usize>,
}

impl Label {
    /// A field with a name of its own (`the name`, `` `container` ``).
    pub(crate) const fn named(what: &'static str) -> Self {
        Self { what, number: None }
    }

    /// Entry `index` (from 0) of a list, shown counted from 1 (`step 1`).
    pub(crate) const fn numbered(what: &'static str, index: usize) -> Self {
        Self { what, number: Some(index.saturating_add(1)) }
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.number {
            Some(n) => write!(f, "{} {n}", self.what),
            None => f.write_str(self.what),
        }
    }
}

impl Field<'_> {
    /// The file range of `at`, a byte range of the text.
    fn span(&self, at: &Range<usize>) -> Range<usize> {
        self.map.map(self.template.raw(), at)
    }
}

/// Parses a text field, reporting placeholder syntax errors at their place (the first
/// [`super::MAX_DIAGNOSTICS`] of them; the rest are counted in `unbuilt`); an unknown
/// placeholder's help names those of `form` (all of them when the form is not known).
pub(crate) fn parse<'s>(
    t: Text,
    label: Label,
    source: &'s str,
    form: Option<DosageForm>,
    diags: &mut Vec<Diagnostic>,
    unbuilt: &mut Omitted,
) -> Option<Field<'s>> {
    let map = StringSpan::new(source, t.span);
    match Template::parse_owned(t.value) {
        Ok(template) => Some(Field { template, map, label }),
        Err((value, errors)) => {
            for e in errors.first {
                let span = map.map(&value, &e.at);
                let shown = value.get(e.at.clone()).unwrap_or_default();
                diags.push(match e.kind {
                    TemplateErrorKind::Unclosed => {
                        Diagnostic::error(Code::UnclosedBrace, format!("unclosed `{{` in {label}"), span)
                            .with_help("close the placeholder with `}`, or write `{{` for a literal brace")
                    }
                    TemplateErrorKind::Unmatched => Diagnostic::error(
                        Code::UnmatchedBrace,
                        format!("`}}` in {label} closes no placeholder"),
                        span,
                    )
                    .with_help("write `}}` for a literal brace"),
                    TemplateErrorKind::Unknown(inner) => unknown(&inner, shown, label, form, span),
                });
            }
            unbuilt.count(Severity::Error, errors.more);
            None
        }
    }
}

fn unknown(
    inner: &str,
    shown: &str,
    label: Label,
    form: Option<DosageForm>,
    span: Range<usize>,
) -> Diagnostic {
    let (name, id) = match inner.split_once(':') {
        Some((n, id)) => (n, Some(id)),
        None => (inner, None),
    };
    let known = PLACEHOLDERS.iter().find(|(n, _)| *n == name);
    let d = Diagnostic::error(
        Code::UnknownPlaceholder,
        format!("unknown placeholder `{shown}` in {label}"),
        span,
    );
    match (known, id) {
        (Some((n, true)), None | Some("")) => {
            d.with_help(format!("`{{{n}:ID}}` needs an ingredient id, e.g. `{{{n}:ketamine-hcl}}`"))
        }
        (Some((n, false)), Some(_)) => {
            d.with_help(format!("`{{{n}}}` takes no ingredient id: write `{{{n}}}`"))
        }
        _ => {
            let names = form_placeholders(form);
            let written = |(n, with_id): (&str, bool)| match (with_id, id.filter(|i| !i.is_empty())) {
                (true, Some(i)) => format!("`{{{n}:{i}}}`"),
                (true, None) => format!("`{{{n}:ID}}`"),
                (false, _) => format!("`{{{n}}}`"),
            };
            let all =
                names.iter().map(|&(n, i)| if i { format!("`{{{n}:ID}}`") } else { format!("`{{{n}}}`") });
            let of = match form {
                Some(f) => format!("placeholders of {} `{f}` are", f.article()),
                None => "placeholders are".to_string(),
            };
            let list =
                format!("{of} {}; write `{{{{` for a literal brace", all.collect::<Vec<_>>().join(", "));
            match nearest(name, &names) {
                Some(p) => d.with_help(format!("did you mean {}? The {list}", written(p))),
                None => d.with_help(format!("the {list}")),
            }
        }
    }
}

/// The placeholder of `names` nearest to a mistyped one: within two edits, or the first
/// part of a compound name (`{qs-base}` is `{qs}`; `{unit-weight}`, `{unit_weight}`).
fn nearest(name: &str, names: &[(&'static str, bool)]) -> Option<(&'static str, bool)> {
    let plain: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
    let underscored = name.replace(['-', ' '], "_");
    let found = super::reader::closest(&underscored, &plain).or_else(|| {
        let head = name.split(['-', '_', ' ', '.']).next().unwrap_or(name);
        plain.iter().copied().find(|n| *n == head)
    })?;
    names.iter().copied().find(|(n, _)| *n == found)
}

/// The placeholders a dosage form has a value for (every one when the form is unknown),
/// with whether each takes an ingredient id.
pub(crate) fn form_placeholders(form: Option<DosageForm>) -> Vec<(&'static str, bool)> {
    let Some(form) = form else { return PLACEHOLDERS.to_vec() };
    // As generous as a formula of the form can be: a device, a density and a fill.
    let device = Device {
        dose: "dose".to_string(),
        delivery: Delivery::PerMl(Decimal::ONE),
        priming: Decimal::ZERO,
        residual: Decimal::ZERO,
    };
    let scope = Scope { form, ingredients: &[], device: Some(&device), density: true, fill: true };
    PLACEHOLDERS
        .iter()
        .copied()
        .filter(|(name, with_id)| {
            if *with_id {
                // Every form weighs and has actives; only a form with a dose has `per_dose`.
                *name != "per_dose" || scope.has_dose()
            } else {
                template::Slot::named(name).is_some_and(|s| scope.lacks(&s).is_none())
            }
        })
        .collect()
}

/// What the placeholders of a formula may refer to.
pub(crate) struct Scope<'a> {
    pub(crate) form: DosageForm,
    pub(crate) ingredients: &'a [Ingredient],
    pub(crate) device: Option<&'a Device>,
    /// The finished preparation's density (per-dose strengths of semisolids need it).
    pub(crate) density: bool,
    /// The formula gives `[batch].fill` or `[batch].capacity`.
    pub(crate) fill: bool,
}

impl Scope<'_> {
    fn has_dose(&self) -> bool {
        match self.form.basis() {
            Basis::Molded => true,
            Basis::Volume => self.device.is_some(),
            Basis::Mass => self.device.is_some() && self.density,
            Basis::Infusion => false,
        }
    }

    /// Why `slot` has no value in this formula, if it has none.
    fn lacks(&self, slot: &Slot) -> Option<String> {
        let form = self.form;
        let basis = form.basis();
        let only = |what: &str| Some(format!("only {what} have it, not a `{form}`"));
        let infusion = basis == Basis::Infusion;
        match slot {
            Slot::Quantity | Slot::Prepared | Slot::Qs if infusion => Some(
                "an infusion is one bag: use `{bag}`, `{final_volume}` or `{volume_to_infuse}`".to_string(),
            ),
            Slot::Quantity | Slot::Prepared | Slot::Qs => None,
            Slot::Cavities | Slot::UnitWeight => {
                (basis != Basis::Molded).then(|| only("troches and RDTs")).flatten()
            }
            Slot::Fill | Slot::Containers | Slot::ContainerPlan => match basis {
                Basis::Volume if self.fill => None,
                Basis::Volume => Some("the formula has no `[batch].fill` or `[batch].capacity`".to_string()),
                _ => only("liquids with a `[batch].fill` or `capacity`"),
            },
            Slot::Doses | Slot::DosePlan => (basis != Basis::Volume || self.device.is_none())
                .then(|| only("liquids with a `[device]`"))
                .flatten(),
            Slot::Weigh(id) => match self.ingredients.iter().find(|i| &i.id == id) {
                None => Some(self.no_such(id)),
                Some(i) if i.is_qs() && basis == Basis::Volume => {
                    Some(format!("`{id}` is made up to volume, not weighed: write `{{qs}}`"))
                }
                Some(i) if i.is_qs() && infusion => Some(format!("`{id}` is the bag: write `{{bag}}`")),
                Some(_) => None,
            },
            Slot::Strength(id) | Slot::PerDose(id) => match self.ingredients.iter().find(|i| &i.id == id) {
                None => Some(self.no_such(id)),
                Some(i) if i.role != Role::Active => Some(format!("`{id}` is not an active")),
                Some(_) if matches!(slot, Slot::PerDose(_)) && !self.has_dose() => Some(format!(
                    "a `{form}` without a dose has no amount per dose (it needs a `[device]`{})",
                    if basis == Basis::Mass { " and the preparation's `density`" } else { "" }
                )),
                Some(_) => None,
            },
            Slot::Dose
            | Slot::Bag
            | Slot::VolumeToInfuse
            | Slot::Rate
            | Slot::FinalVolume
            | Slot::Concentration => (!infusion).then(|| only("IV infusions")).flatten(),
        }
    }

    fn no_such(&self, id: &str) -> String {
        let ids: Vec<String> = self.ingredients.iter().map(|i| format!("`{}`", i.id)).collect();
        format!("the formula has no ingredient `{id}` (it has {})", ids.join(", "))
    }
}

/// Reports every placeholder of `field` that has no value in this formula (the first
/// [`super::MAX_DIAGNOSTICS`]; the rest are counted in `unbuilt`).
pub(crate) fn check_slots(
    field: &Field<'_>,
    scope: &Scope<'_>,
    diags: &mut Vec<Diagnostic>,
    unbuilt: &mut Omitted,
) {
    let mut scan = PerText::new(diags, unbuilt);
    for (slot, at) in field.template.slots() {
        if let Some(why) = scope.lacks(slot) {
            scan.push(Severity::Error, || {
                let code = if slot.id().is_some_and(|id| !scope.ingredients.iter().any(|i| i.id == id)) {
                    Code::PlaceholderId
                } else {
                    Code::PlaceholderForm
                };
                Diagnostic::error(
                    code,
                    format!("placeholder `{slot}` in {} has no value: {why}", field.label),
                    field.span(at),
                )
            });
        }
    }
}

/// Warns (`strength-after-draw`, SPEC §12.2) where `{weigh:ID}` of a stock ingredient is
/// followed, in the same clause, by a strength (`draw {weigh:ketamine} of ketamine 50
/// mg/mL`): what is drawn may be the stock's dilution, of another strength, and the
/// placeholder already says what is drawn.
pub(crate) fn check_strength_after_draw(
    field: &Field,
    ingredients: &[Ingredient],
    diags: &mut Vec<Diagnostic>,
    unbuilt: &mut Omitted,
) {
    let mut scan = PerText::new(diags, unbuilt);
    // The blanked copy is made only for a text that draws a stock.
    let mut text = None;
    for (slot, at) in field.template.slots() {
        let Slot::Weigh(id) = slot else { continue };
        if !ingredients.iter().any(|i| &i.id == id && i.stock.is_some()) {
            continue;
        }
        let text = text.get_or_insert_with(|| field.template.literal_text());
        let rest = text.get(at.end..).unwrap_or_default();
        let clause = rest.find([';', '\n']).map_or(rest, |end| rest.get(..end).unwrap_or(rest));
        let clause = sentence(clause);
        let strengths = super::literal::quantities(clause)
            .filter(|l| l.quantity.dimension() == Dimension::MassPerVolume)
            .map(|l| (l.at, l.text.to_string()))
            .chain(ratio(clause));
        for (found, written) in strengths {
            let span = at.end.saturating_add(found.start)..at.end.saturating_add(found.end);
            scan.push(Severity::Warning, || {
                Diagnostic::warning(
                    Code::StrengthAfterDraw,
                    format!(
                        "`{{weigh:{id}}}` in {} is followed by the strength `{written}`: what is drawn may be a dilution of the stock, of another strength",
                        field.label
                    ),
                    field.span(&span),
                )
                .with_help(format!(
                    "remove the strength: `{{weigh:{id}}}` prints what is drawn (`0.7 mL of the 50 mg/mL stock`, or `0.75 mL of the 1 mg/mL dilution`)"
                ))
            });
        }
    }
}

/// The text up to the end of its sentence: a full stop followed by a space or the end.
fn sentence(text: &str) -> &str {
    let bytes = text.as_bytes();
    let end = bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| b == b'.' && bytes.get(i.saturating_add(1)).is_none_or(|n| n.is_ascii_whitespace()))
        .map_or(text.len(), |(i, _)| i);
    text.get(..end).unwrap_or(text)
}

/// A ratio strength (`1:750`) in `text`, with its byte range.
fn ratio(text: &str) -> Option<(Range<usize>, String)> {
    let bytes = text.as_bytes();
    let colon = bytes.iter().enumerate().position(|(i, &b)| {
        b == b':'
            && i.checked_sub(1).and_then(|p| bytes.get(p)).is_some_and(u8::is_ascii_digit)
            && bytes.get(i.saturating_add(1)).is_some_and(u8::is_ascii_digit)
    })?;
    let start =
        bytes.get(..colon)?.iter().rposition(|b| !b.is_ascii_digit()).map_or(0, |p| p.saturating_add(1));
    let end = bytes
        .get(colon.saturating_add(1)..)?
        .iter()
        .position(|b| !b.is_ascii_digit())
        .map_or(bytes.len(), |p| p.saturating_add(colon).saturating_add(1));
    Some((start..end, text.get(start..end)?.to_string()))
}

/// The nouns a formula's `container` text may name, in the order the noun rule of SPEC §13
/// takes them: the first of these the text names is what a container is called.
pub(crate) const CONTAINER_NOUNS: &[&str] = &["bottle", "vial", "jar", "tube", "syringe", "pump"];

/// Returns true if and only if `text` names `noun` as a word, in the singular or plural
/// (`bottle`, `Bottles`, `bottle(s)`), not inside another word (`bottleneck`).
pub(crate) fn names_word(text: &str, noun: &str) -> bool {
    let lower = text.to_lowercase();
    lower.match_indices(noun).any(|(at, _)| {
        let before = lower.get(..at).and_then(|b| b.chars().last());
        let after = lower.get(at.saturating_add(noun.len())..).unwrap_or_default();
        let rest = after.strip_prefix("(s)").or_else(|| after.strip_prefix('s')).unwrap_or(after);
        before.is_none_or(|c| !c.is_alphanumeric())
            && rest.chars().next().is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Whether text that follows `{fill}` says that every container holds it: `each`, or
/// `per bottle` (any container noun, or `container`).
fn says_each(after: &str) -> bool {
    let t = after.trim_start().to_lowercase();
    let word = |w: &str| {
        t.strip_prefix(w).is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
    };
    let per = t.strip_prefix("per ").map(str::trim_start).is_some_and(|rest| {
        let noun = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
        let singular = noun.strip_suffix('s').unwrap_or(noun);
        singular == "container" || CONTAINER_NOUNS.contains(&singular)
    });
    word("each") || per
}

/// Warns (`fill-each-text`) where a text says that every container holds `{fill}`
/// (`{fill} each`, `{fill} per bottle`), or counts `{containers}` beside a fill per
/// container: true only when no container is part-filled (SPEC §13).
pub(crate) fn check_fill_each(field: &Field<'_>, diags: &mut Vec<Diagnostic>, unbuilt: &mut Omitted) {
    let raw = field.template.raw();
    let mut scan = PerText::new(diags, unbuilt);
    let mut warned = false;
    // The literal text after each placeholder runs to the next one.
    let next = field.template.slots().skip(1).map(|(_, at)| at.start).chain(std::iter::once(raw.len()));
    for ((slot, at), next) in field.template.slots().zip(next) {
        if *slot != Slot::Fill {
            continue;
        }
        if says_each(raw.get(at.end..next).unwrap_or_default()) {
            scan.push(Severity::Warning, || {
                fill_each(field, at, "`{fill}` with `each` or `per` a container")
            });
            warned = true;
        }
    }
    // The lowercase copy is made only for a text that has `{containers}` to warn about.
    let per_container = || {
        let literal = field.template.literal_text().to_lowercase();
        ["per container", "per bottle", "each bottle", "each container"].iter().any(|p| literal.contains(p))
    };
    if !warned
        && let Some((_, at)) = field.template.slots().find(|(s, _)| **s == Slot::Containers)
        && per_container()
    {
        scan.push(Severity::Warning, || fill_each(field, at, "`{containers}` beside a fill per container"));
    }
}

fn fill_each(field: &Field<'_>, at: &Range<usize>, what: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::FillEachText,
        format!(
            "{} says {what}: true only when every container is full, not for a part-filled last one",
            field.label
        ),
        field.span(at),
    )
    .with_help(
        "write `{container_plan}` (`2 bottles of 10 mL and 1 bottle of 5 mL`) and `{dose_plan}`, which tell every container as it is",
    )
}

/// The reference batch, for suggesting the placeholder a written-out quantity stands for.
pub(crate) struct Reference {
    pub(crate) basis: Basis,
    /// `[batch].quantity` in the basis' base unit.
    pub(crate) quantity: Option<Decimal>,
    pub(crate) overage: Option<Overage>,
    pub(crate) fill: Option<Decimal>,
}

impl Reference {
    fn dimension(&self) -> Dimension {
        super::format::batch_dimension(self.basis)
    }

    fn prepared(&self) -> Option<Decimal> {
        let q = self.quantity?;
        self.overage.map_or(Ok(q), |o| o.apply(q)).ok()
    }

    fn suggest(&self, value: Decimal) -> String {
        let cavities = match (self.basis, self.overage) {
            (Basis::Molded, Some(Overage::Amount(a))) => {
                self.quantity.and_then(|q| arith::add(q, a.value()).ok())
            }
            _ => None,
        };
        let named = if self.basis == Basis::Infusion && Some(value) == self.quantity {
            Some("`{bag}`")
        } else if Some(value) == self.quantity {
            Some("`{quantity}`")
        } else if Some(value) == cavities {
            Some("`{cavities}`")
        } else if Some(value) == self.prepared() {
            Some(if self.basis == Basis::Volume { "`{prepared}` (or `{qs}`)" } else { "`{prepared}`" })
        } else if Some(value) == self.fill {
            Some("`{fill}`")
        } else {
            None
        };
        match named {
            Some(p) => format!("write {p}, which each batch fills with its own figure"),
            None => format!(
                "write a placeholder, which each batch fills with its own figure: {}",
                match self.basis {
                    Basis::Volume => "`{quantity}`, `{prepared}`, `{qs}`, `{fill}` or `{weigh:ID}`",
                    Basis::Mass => "`{quantity}`, `{prepared}`, `{qs}` or `{weigh:ID}`",
                    Basis::Molded => "`{quantity}`, `{cavities}` or `{prepared}`",
                    Basis::Infusion => "`{bag}`, `{final_volume}`, `{volume_to_infuse}` or `{weigh:ID}`",
                }
            ),
        }
    }
}

/// The volumes a text may write out because they do not scale with the batch: a device's
/// own (per actuation, left in the container) and the size of a stock's vial.
pub(crate) fn constants(device: Option<&Device>, ingredients: &[Ingredient]) -> Vec<Decimal> {
    let mut c: Vec<Decimal> =
        ingredients.iter().filter_map(|i| i.stock.and_then(|s| s.vial)).map(|v| v.ml()).collect();
    if let Some(d) = device {
        c.push(d.residual);
        if let Delivery::Volume(v) = d.delivery {
            c.push(v);
        }
    }
    c
}

/// Warns (`literal-batch-quantity`) about each quantity of the batch's dimension written
/// out in `field` (the first [`super::MAX_DIAGNOSTICS`]; the rest are counted in
/// `unbuilt`), and records them in the template for the batch to mark the line.
pub(crate) fn check_literals(
    field: &mut Field<'_>,
    reference: &Reference,
    constants: &[Decimal],
    diags: &mut Vec<Diagnostic>,
    unbuilt: &mut Omitted,
) {
    let mut kept = Vec::new();
    let mut count = 0usize;
    {
        let scanned = field.template.literal_text();
        let mut scan = PerText::new(diags, unbuilt);
        for l in batch_quantities(&scanned, reference.dimension(), constants) {
            count = count.saturating_add(1);
            if kept.len() < MAX_LITERALS_KEPT {
                kept.push(l.text.to_string());
            }
            scan.push(Severity::Warning, || {
                let of = match reference.quantity {
                    Some(q) if reference.basis == Basis::Infusion => {
                        format!(": it is right only for the formula's bag of {}", reference.basis.show(q))
                    }
                    Some(q) => {
                        format!(": it is right only for the reference batch of {}", reference.basis.show(q))
                    }
                    None => String::new(),
                };
                let value = l.quantity.to_base().unwrap_or_default();
                Diagnostic::warning(
                    Code::LiteralBatchQuantity,
                    format!("`{}` in {} is a batch quantity written out{of}", l.text, field.label),
                    field.span(&l.at),
                )
                .with_help(reference.suggest(value))
            });
        }
    }
    field.template.literals = kept;
    field.template.literal_count = count;
}
