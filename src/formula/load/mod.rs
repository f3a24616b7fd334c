//! Building a [`Formula`] from the bytes of a TOML file (SPEC §2), collecting every
//! diagnostic on the way. One reader per table of the format ([`super::format`]); this
//! module puts the record together and runs the checks that need several tables.

mod aliquot;
mod batch;
mod device;
mod infusion;
mod ingredient;
mod mold;
mod text;
mod top;

use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::DeTable;

use super::diagnostic::{Omitted, cap};
use super::format;
use super::reader::{TableReader, Text};
use super::rules;
use super::texts::{self, Field, Label, Reference, Scope};
use super::{Diagnostic, DosageForm, Formula, Infusion, is_valid_id};
use crate::codes::Code;
use crate::measure::{Mass, Volume};
use crate::quantity::Quantity;
use crate::unit::Dimension;

pub use batch::{MAX_MASS_MG, MAX_UNITS, MAX_VOLUME_ML, parse_batch_size};

/// The largest formula file read; a larger one is refused before it is parsed.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// The most items (keys, values, tables and arrays) a formula file may hold; a file with
/// more is refused before it is parsed. A formula holds a few hundred. The TOML parser
/// keeps every item, its tokens and its events at once (about 200 bytes an item): a
/// 1 MiB file of 500,000 tiny values took 99 MB to parse, and one of 17,000 ingredients
/// 177 MB and 1.4 s to print, where the limit of SPEC §11.2 is 100 MB and 1 s.
pub const MAX_ITEMS: usize = 50_000;

/// A loaded file: the formula when it has no errors, and the diagnostics found.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated formula (`None` when any diagnostic is an error).
    pub formula: Option<Formula>,
    /// Errors and warnings, in file order: at most [`MAX_DIAGNOSTICS`](super::MAX_DIAGNOSTICS), then one
    /// [`TOO_MANY`](super::TOO_MANY) diagnostic when more were found.
    pub diagnostics: Vec<Diagnostic>,
    /// The diagnostics found but left out of `diagnostics`.
    pub omitted: Omitted,
    /// The id the file states, when it is a valid id, with its byte range; there even when
    /// the file has errors, so that `validate` can hold it to the file name and to the
    /// other files' ids in the same run.
    pub id: Option<(String, Range<usize>)>,
}

impl Loaded {
    fn failed(d: Diagnostic) -> Loaded {
        Loaded { formula: None, diagnostics: vec![d], omitted: Omitted::default(), id: None }
    }
}

/// Loads a formula from raw bytes: refuses files over [`MAX_FILE_BYTES`] and text that
/// is not UTF-8, then parses.
pub fn load_bytes(bytes: &[u8]) -> Loaded {
    match text_of(bytes, "formula files") {
        Ok(text) => load_str(text),
        Err(d) => Loaded::failed(d),
    }
}

/// The text of a file's bytes: at most [`MAX_FILE_BYTES`] (`what` names the files so
/// limited, `formula files`), and UTF-8.
pub(crate) fn text_of<'b>(bytes: &'b [u8], what: &str) -> Result<&'b str, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::file_error(
            Code::FileTooLarge,
            format!(
                "the file is {} bytes; {what} are limited to {MAX_FILE_BYTES} bytes (1 MiB)",
                bytes.len()
            ),
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        Diagnostic::error(Code::NotUtf8, "the file is not valid UTF-8 text", at..at.saturating_add(1))
            .with_help("save the file as UTF-8")
    })
}

/// The TOML document of `text`, every key and value with its span, or the syntax error.
pub(crate) fn parse_toml(text: &str) -> Result<toml::Spanned<DeTable<'_>>, Diagnostic> {
    if let Some(at) = beyond_max_items(text) {
        return Err(Diagnostic::error(
            Code::FileTooLarge,
            format!(
                "the file holds more than {MAX_ITEMS} TOML items (keys, values, tables and arrays); this is item {}",
                MAX_ITEMS.saturating_add(1)
            ),
            at,
        )
        .with_help("give the right file: a formula or batch file holds a few hundred items"));
    }
    DeTable::parse(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        let message = lowercase_first(&message);
        Diagnostic::error(Code::TomlSyntax, format!("invalid TOML: {message}"), span).with_help(
            "see https://toml.io for the syntax; quantities are quoted strings like `\"100 mg/mL\"`",
        )
    })
}

/// Loads a formula from raw bytes as [`load_bytes`] does, unless its TOML has the
/// top-level key `key` and `is_other` says the text is another kind of file (for
/// `validate`, a batch file: SPEC §14.1): then `None`, and nothing is built. A file
/// without the key, the common case, is decoded and parsed once, and `is_other` is not
/// called. With the formula, the text of the bytes when they are one (at most
/// [`MAX_FILE_BYTES`] of UTF-8), so that a caller does not decode them again.
pub fn load_bytes_unless<'b>(
    bytes: &'b [u8],
    key: &str,
    is_other: impl FnOnce(&str) -> bool,
) -> Option<(Loaded, Option<&'b str>)> {
    let text = match text_of(bytes, "formula files") {
        Ok(text) => text,
        Err(d) => return Some((Loaded::failed(d), None)),
    };
    match parse_toml(text) {
        Ok(doc) if doc.get_ref().get(key).is_some() && is_other(text) => None,
        Ok(doc) => Some((load_doc(text, doc.get_ref()), Some(text))),
        Err(d) => Some((Loaded::failed(d), Some(text))),
    }
}

/// Loads a formula from TOML text.
pub fn load_str(text: &str) -> Loaded {
    match parse_toml(text) {
        Ok(doc) => load_doc(text, doc.get_ref()),
        Err(d) => Loaded::failed(d),
    }
}

/// Builds the formula of `text`, parsed as `doc`.
fn load_doc(text: &str, doc: &DeTable<'_>) -> Loaded {
    let mut diags = Vec::new();
    // Found in the text fields but not built: they could never be reported (`PerText`).
    let mut unbuilt = Omitted::default();
    let root_span = 0..0;
    let mut id = None;
    let formula = build(doc, text, root_span, &mut id, &mut diags, &mut unbuilt);
    narrow_hidden(text, &mut diags);
    diags.sort_by_key(|d| (d.span.as_ref().map_or(0, |s| s.start), d.severity));
    let has_error = unbuilt.errors > 0 || diags.iter().any(Diagnostic::is_error);
    let omitted = cap(&mut diags, unbuilt);
    let formula = formula.filter(|_| !has_error).map(|mut f| {
        f.warnings = diags.clone();
        f
    });
    Loaded { formula, diagnostics: diags, omitted, id }
}

/// Where item [`MAX_ITEMS`] + 1 of `text` is, if it has that many: the lexer of the TOML
/// parser, counting keys and values (strings and bare words) and the brackets that open
/// tables and arrays, without building anything.
///
/// Every item counted is a token at least one byte long, and tokens do not overlap, so a
/// text of at most [`MAX_ITEMS`] bytes (every formula and batch file in practice) cannot
/// hold more and is not lexed twice.
fn beyond_max_items(text: &str) -> Option<Range<usize>> {
    use toml_parser::lexer::TokenKind;
    if text.len() <= MAX_ITEMS {
        return None;
    }
    let mut items = toml_parser::Source::new(text).lex().filter(|t| {
        matches!(
            t.kind(),
            TokenKind::Atom
                | TokenKind::BasicString
                | TokenKind::LiteralString
                | TokenKind::MlBasicString
                | TokenKind::MlLiteralString
                | TokenKind::LeftSquareBracket
                | TokenKind::LeftCurlyBracket
        )
    });
    let t = items.nth(MAX_ITEMS)?;
    Some(t.span().start()..t.span().end())
}

/// Narrows each `hidden-character` error from the string that holds the character to the
/// character itself (or the escape that writes it), so that its line and column point at
/// what to remove.
fn narrow_hidden(text: &str, diags: &mut [Diagnostic]) {
    for d in diags.iter_mut().filter(|d| d.code == Code::HiddenCharacter) {
        if let Some(at) = d.span.clone().and_then(|s| super::string_span::first_hidden(text, s)) {
            d.span = Some(at);
        }
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn build<'s>(
    doc: &DeTable<'_>,
    source: &'s str,
    root_span: Range<usize>,
    stated_id: &mut Option<(String, Range<usize>)>,
    diags: &mut Vec<Diagnostic>,
    unbuilt: &mut Omitted,
) -> Option<Formula> {
    let mut top = TableReader::new(doc, root_span.clone(), &format::FORMULA);
    let head = top::read(&mut top, &root_span, diags);
    *stated_id =
        head.id.as_ref().filter(|t| is_valid_id(&t.value)).map(|t| (t.value.clone(), t.span.clone()));
    let basis = head.form.map(DosageForm::basis);
    let infusion = head.form == Some(DosageForm::IvInfusion);
    for table in ["batch", "device", "aliquot"].into_iter().filter(|_| infusion) {
        refuse_table(&mut top, table, diags);
    }
    let batch::BatchTable { quantity: batch_quantity, overage, fill, capacity, span: batch_span } =
        match top.opt_table("batch", diags) {
            Some((t, span)) => batch::read_batch(t, span, head.form, diags),
            None => batch::BatchTable::none(root_span.clone()),
        };
    let device = device::read_table(&mut top, head.form, head.density.is_some(), &root_span, diags);
    let mold = mold::read_table(&mut top, head.form, &root_span, diags);
    let (dose, bag) = infusion::read_tables(&mut top, head.form, &root_span, diags);
    let dose_amount = dose.as_ref().map(|d| &d.amount);
    let (ingredients, all_read) = ingredient::read_all(&mut top, head.form, dose_amount, &root_span, diags);
    let aliquot_diluent = match top.opt_table("aliquot", diags) {
        Some((t, span)) => aliquot::read_aliquot(t, span, diags),
        None => None,
    };
    if head.preserved == Some(true) && all_read {
        rules::check_preserved(&ingredients, top.span_of("preserved"), diags);
    }
    let steps = text::read_steps(&mut top, diags);
    let quality = match top.opt_table("quality", diags) {
        Some((t, span)) => text::read_list_table(t, span, &format::QUALITY, "checks", diags),
        None => Vec::new(),
    };
    let labeling = match top.opt_table("labeling", diags) {
        Some((t, span)) => text::read_list_table(t, span, &format::LABELING, "warnings", diags),
        None => Vec::new(),
    };
    top.finish(diags);
    if let Some(own) = head.storage {
        rules::check_storage_text(&labeling, own, diags);
    }

    if all_read && let Some(basis) = basis {
        rules::check_ingredients(&ingredients, basis, batch_quantity.is_some(), root_span, diags);
        if let (Some(f), Some(d)) = (head.form, &aliquot_diluent) {
            rules::check_aliquot_diluent(d, &ingredients, f, diags);
        }
    }

    // Text fields: placeholders (checked against the ingredients and the form once both
    // are known) and, in steps and QC checks, quantities written out.
    let mut field = |t: Text, label: Label| -> Option<Field<'s>> {
        texts::parse(t, label, source, head.form, diags, unbuilt)
    };
    let mut name = head.name.and_then(|t| field(t, Label::named("the name")));
    let mut container = head.container.map(|t| field(t, Label::named("`container`")));
    let description = head.description.map(|t| field(t, Label::named("`description`")));
    let numbered =
        |what: &'static str, texts: Vec<Text>, field: &mut dyn FnMut(Text, Label) -> Option<Field<'s>>| {
            texts.into_iter().enumerate().map(|(n, t)| field(t, Label::numbered(what, n))).collect()
        };
    let mut steps: Vec<Option<Field<'s>>> = numbered("step", steps, &mut field);
    let mut quality: Vec<Option<Field<'s>>> = numbered("QC check", quality, &mut field);
    let labeling: Vec<Option<Field<'s>>> = numbered("labeling warning", labeling, &mut field);
    if let (Some(form), true) = (head.form, all_read) {
        let scope = Scope {
            form,
            ingredients: &ingredients,
            device: device.as_ref(),
            density: head.density.is_some(),
            fill: fill.is_some() || capacity.is_some(),
        };
        let singles = [
            name.as_ref(),
            container.as_ref().and_then(Option::as_ref),
            description.as_ref().and_then(Option::as_ref),
        ];
        let all =
            singles.into_iter().flatten().chain(steps.iter().chain(&quality).chain(&labeling).flatten());
        for f in all {
            texts::check_slots(f, &scope, diags, unbuilt);
            texts::check_strength_after_draw(f, &ingredients, diags, unbuilt);
            if form.basis() == crate::formula::Basis::Volume {
                texts::check_fill_each(f, diags, unbuilt);
            }
        }
        // An infusion's text is written for the formula's bag, and its name and container
        // name the bag too (SPEC §8.5).
        let quantity = if infusion { bag.as_ref().map(|b| b.bag.ml()) } else { batch_quantity };
        let reference = Reference { basis: form.basis(), quantity, overage, fill: fill.or(capacity) };
        let constants = texts::constants(device.as_ref(), &ingredients);
        let heads = name.iter_mut().chain(container.iter_mut().flatten()).filter(|_| infusion);
        for f in heads.chain(steps.iter_mut().chain(quality.iter_mut()).flatten()) {
            texts::check_literals(f, &reference, &constants, diags, unbuilt);
        }
    }
    let templates = |fields: Vec<Option<Field>>| -> Option<Vec<_>> {
        fields.into_iter().map(|f| f.map(|f| f.template)).collect()
    };
    // An optional field that is present but failed to parse fails the formula.
    let optional = |f: Option<Option<Field>>| match f {
        None => Some(None),
        Some(f) => f.map(|f| Some(f.template)),
    };

    let id = head.id?;
    Some(Formula {
        id: id.value,
        id_span: id.span,
        name: name?.template,
        revision: head.revision?,
        dosage_form: head.form?,
        route: head.route?.value,
        water: if infusion { None } else { Some(head.water?) },
        preserved: head.preserved.unwrap_or(false),
        storage: head.storage?,
        container: optional(container)?,
        description: optional(description)?,
        density: head.density,
        strength_tolerance: head.strength_tolerance,
        bud: head.bud,
        batch_quantity: batch_quantity.and_then(|q| basis.map(|b| b.size(q))),
        overage,
        fill: fill.map(Volume::from_ml),
        capacity: capacity.map(Volume::from_ml),
        aliquot_diluent: aliquot_diluent.map(|t| t.value),
        device,
        blank_weight: mold.blank_weight.map(Mass::from_mg),
        mold_cavities: mold.cavities,
        infusion: match (head.sterile, dose, bag) {
            (Some(sterile), Some(d), Some(b)) => Some(Infusion {
                sterile,
                dose: d.rule,
                max: d.max,
                duration: d.duration,
                method: b.method,
                bag: b.bag,
                overfill: b.overfill,
                concentration: b.concentration,
                replace: b.replace,
                drop_factor: b.drop_factor,
            }),
            _ if infusion => return None,
            _ => None,
        },
        ingredients: if all_read { ingredients } else { return None },
        steps: templates(steps)?,
        quality: templates(quality)?,
        labeling: templates(labeling)?,
        batch_span,
        warnings: Vec::new(),
    })
}

/// Refuses a table an infusion has no use for (SPEC §8.2: no `[batch]`, `[device]` or
/// `[aliquot]`; `[mold]` is refused for every non-molded form already).
fn refuse_table(top: &mut TableReader<'_, '_>, name: &'static str, diags: &mut Vec<Diagnostic>) {
    if top.has(name) {
        diags.push(
            Diagnostic::error(
                Code::UnexpectedTable,
                format!("`[{name}]` does not apply to an `iv-infusion`: its bag and dose are in `[infusion]` and `[dose]`"),
                top.span_of(name),
            )
            .with_help(format!("remove the `[{name}]` table")),
        );
    }
}

/// A positive density such as `"0.988 g/mL"`, returned in mg/mL.
pub(crate) fn read_density(
    t: &mut TableReader<'_, '_>,
    key: &'static str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Decimal> {
    let (q, span) = t.opt_parsed(key, diags, |s| {
        Quantity::parse_dim(s, Dimension::MassPerVolume, "a density, like `0.988 g/mL`")
    })?;
    positive_base(&q, span, key, diags)
}

/// The quantity in its base unit, reporting a zero (or an arithmetic limit) at `span`.
pub(crate) fn positive_base(
    q: &Quantity,
    span: Range<usize>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Decimal> {
    if q.value.is_zero() {
        diags.push(
            Diagnostic::error(Code::ZeroFactor, format!("`{key}` is zero"), span)
                .with_help(format!("give the measured `{key}`; it cannot be zero")),
        );
        return None;
    }
    match q.to_base() {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(Diagnostic::error(
                Code::BadNumber,
                format!("`{key} = \"{q}\"` cannot be converted exactly: {e}"),
                span,
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_lexed_for_its_items_only_when_it_could_hold_too_many() {
        // One-byte items: `[` opens an array, `1` is a value. At MAX_ITEMS bytes no text
        // can hold more; one item more is found, at its place, whether the text is short
        // or long.
        let exactly = "[".repeat(MAX_ITEMS);
        assert_eq!(beyond_max_items(&exactly), None);
        let one_more = "[".repeat(MAX_ITEMS.saturating_add(1));
        assert_eq!(beyond_max_items(&one_more), Some(MAX_ITEMS..MAX_ITEMS.saturating_add(1)));
        let values = format!("a = [{}]", "1,".repeat(MAX_ITEMS));
        // `a`, `[` and MAX_ITEMS values: the last value is item MAX_ITEMS + 2.
        let at = beyond_max_items(&values).unwrap();
        assert_eq!(values.get(at.clone()), Some("1"));
        assert_eq!(at.start, 5 + 2 * (MAX_ITEMS - 2));
        // Long, but few items: a long string is one item.
        let long = format!("text = \"{}\"", "x".repeat(2 * MAX_ITEMS));
        assert_eq!(beyond_max_items(&long), None);
    }
}
