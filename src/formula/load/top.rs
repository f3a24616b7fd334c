//! The top level of a formula file (SPEC §2): its identity, dosage form, USP <795>
//! category, storage and beyond-use date.

use std::ops::Range;

use rust_decimal::Decimal;

use super::read_density;
use crate::codes::Code;
use crate::formula::format;
use crate::formula::reader::{TableReader, Text, choose};
use crate::formula::{
    BudOverride, Diagnostic, DosageForm, ID_PATTERN, Starting, Sterile, SterileCategory, SterileMethod,
    Storage, Water, is_valid_id,
};

/// The top-level keys, read (each `None` when absent or wrong, with its diagnostic).
#[derive(Default)]
pub(crate) struct Header {
    pub(crate) id: Option<Text>,
    pub(crate) name: Option<Text>,
    pub(crate) revision: Option<u32>,
    pub(crate) form: Option<DosageForm>,
    pub(crate) route: Option<Text>,
    pub(crate) water: Option<Water>,
    pub(crate) preserved: Option<bool>,
    pub(crate) storage: Option<Storage>,
    pub(crate) container: Option<Text>,
    pub(crate) description: Option<Text>,
    pub(crate) density: Option<Decimal>,
    pub(crate) strength_tolerance: Option<crate::quantity::Percent>,
    pub(crate) bud: Option<BudOverride>,
    /// An infusion's USP <797> facts.
    pub(crate) sterile: Option<Sterile>,
}

/// Reads the top-level keys.
pub(crate) fn read(
    top: &mut TableReader<'_, '_>,
    root_span: &Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Header {
    read_format(top, root_span, diags);
    let id = top.non_empty("id", diags);
    if let Some(t) = &id
        && !is_valid_id(&t.value)
    {
        diags.push(
            Diagnostic::error(
                Code::BadId,
                format!("id `{}` does not match `{ID_PATTERN}`", t.value),
                t.span.clone(),
            )
            .with_help("use lowercase letters, digits, `.` and `-`, starting with a letter or digit"),
        );
    }
    let name = top.non_empty("name", diags);
    let revision = read_revision(top, diags);
    let form = top.non_empty("dosage_form", diags).and_then(|t| {
        let found = t.value.parse::<DosageForm>().ok();
        if found.is_none() {
            let all: Vec<String> = DosageForm::SPELLINGS.iter().map(|f| format!("`{f}`")).collect();
            diags.push(
                Diagnostic::error(Code::BadValue, format!("unknown dosage form `{}`", t.value), t.span)
                    .with_help(format!("expected one of {}", all.join(", "))),
            );
        }
        found
    });
    let route = top.non_empty("route", diags);
    let head = Header { id, name, revision, form, route, ..Header::default() };
    let sterile = form == Some(DosageForm::IvInfusion);
    let head = if sterile {
        read_sterile_header(top, head, diags)
    } else {
        read_nonsterile_header(top, head, diags)
    };
    let container = top.opt_str("container", diags);
    let description = top.opt_str("description", diags);
    let density = read_density(top, "density", diags);
    let strength_tolerance = super::ingredient::read_tolerance(top, "strength_tolerance", diags);
    let bud = if sterile { None } else { read_bud(top, diags) };
    Header { container, description, density, strength_tolerance, bud, ..head }
}

/// The rest of a non-sterile preparation's top level (USP <795>), but for the keys
/// every dosage form has.
fn read_nonsterile_header(
    top: &mut TableReader<'_, '_>,
    head: Header,
    diags: &mut Vec<Diagnostic>,
) -> Header {
    for &key in format::STERILE_KEYS {
        top.refuse(key, "USP <797> categories are for an `iv-infusion`", diags);
    }
    let water = top.non_empty("water", diags).and_then(|t| choose::<Water>(&t, "water", diags));
    let preserved = top.opt_bool("preserved", diags);
    if water == Some(Water::Aqueous) && !top.has("preserved") && !top.misspelled("preserved") {
        diags.push(
            Diagnostic::error(
                Code::MissingKey,
                "missing key `preserved`: it is required when `water = \"aqueous\"`",
                top.span_of("water"),
            )
            .with_help("add `preserved = true` or `preserved = false` (USP <795>: 35 or 14 days)"),
        );
    }
    // USP <795> has no frozen storage: the help offers the two it has.
    let storage_text = top.non_empty_of("storage", Some(&["room-temperature", "refrigerator"]), diags);
    let storage = storage_text.as_ref().and_then(|t| choose::<Storage>(t, "storage", diags));
    if let (Some(Water::Aqueous), Some(false), Some(s), Some(t)) = (water, preserved, storage, &storage_text)
        && s != Storage::Refrigerator
    {
        diags.push(
            Diagnostic::error(
                Code::AqueousNonpreservedStorage,
                format!(
                    "an aqueous preparation without a preservative must be refrigerated, not stored `{}`",
                    s.as_str()
                ),
                t.span.clone(),
            )
            .with_help("write `storage = \"refrigerator\"` (USP <795>: 14 days, 2-8 °C), or add a preservative and set `preserved = true`"),
        );
    }
    Header { water, preserved, storage, ..head }
}

/// The rest of an infusion's top level: USP <797> instead of <795> (SPEC §8.2, §8.4), but
/// for the keys every dosage form has.
fn read_sterile_header(top: &mut TableReader<'_, '_>, head: Header, diags: &mut Vec<Diagnostic>) -> Header {
    let why = "an `iv-infusion` is sterile: its beyond-use date follows USP <797> (`sterile_category`)";
    for &key in format::NONSTERILE_KEYS {
        top.refuse(key, why, diags);
    }
    let storage_text = top.non_empty("storage", diags);
    let storage = storage_text.as_ref().and_then(|t| choose::<Storage>(t, "storage", diags));
    let category = top
        .non_empty("sterile_category", diags)
        .and_then(|t| choose::<SterileCategory>(&t, "sterile_category", diags));
    let method_text = top.opt_str("sterile_method", diags);
    let method = method_text.as_ref().and_then(|t| choose::<SterileMethod>(t, "sterile_method", diags));
    let starting_text = top.opt_str("starting", diags);
    let starting = starting_text.as_ref().and_then(|t| choose::<Starting>(t, "starting", diags));
    let tested = top.opt_bool("sterility_tested", diags);
    if category.is_some_and(|c| c != SterileCategory::Two) {
        for &key in format::CATEGORY_TWO_KEYS {
            top.refuse(key, "only category 2 has it", diags);
        }
    }
    if category == Some(SterileCategory::Two) {
        if method_text.is_none() && !top.has("sterile_method") && !top.misspelled("sterile_method") {
            diags.push(
                Diagnostic::error(Code::MissingKey, "missing key `sterile_method`: category 2 needs it", top.span_of("sterile_category"))
                    .with_help("add `sterile_method = \"aseptic\"` or `sterile_method = \"terminal\"` (USP <797> table 13)"),
            );
        }
        if method == Some(SterileMethod::Aseptic)
            && tested != Some(true)
            && starting_text.is_none()
            && !top.misspelled("starting")
        {
            diags.push(
                Diagnostic::error(
                    Code::MissingKey,
                    "missing key `starting`: an aseptic category 2 preparation that is not sterility tested needs it",
                    top.span_of("sterile_method"),
                )
                .with_help("add `starting = \"sterile\"` (every starting component sterile) or `starting = \"nonsterile\"`"),
            );
        }
    }
    if let (Some(SterileCategory::ImmediateUse | SterileCategory::One), Some(Storage::Freezer), Some(t)) =
        (category, storage, &storage_text)
    {
        diags.push(
            Diagnostic::error(
                Code::SterileStorage,
                format!(
                    "USP <797> gives a `{}` preparation no beyond-use date in a freezer",
                    category.map_or("", SterileCategory::as_str)
                ),
                t.span.clone(),
            )
            .with_help("store it at `room-temperature` or in the `refrigerator`"),
        );
    }
    let sterile = category.map(|category| Sterile {
        category,
        method: if category == SterileCategory::Two { method } else { None },
        starting,
        tested: tested.unwrap_or(false),
    });
    Header { storage, sterile, ..head }
}

fn read_format(top: &mut TableReader<'_, '_>, root_span: &Range<usize>, diags: &mut Vec<Diagnostic>) {
    if let Some((n, span)) = top.opt_int("format", diags) {
        if n != Decimal::from(format::FORMAT_VERSION) {
            diags.push(
                Diagnostic::error(Code::Format, format!("file format `{n}` is not supported"), span)
                    .with_help(format!("write `format = {}`", format::FORMAT_VERSION)),
            );
        }
    } else if !top.has("format") && !top.misspelled("format") {
        diags.push(
            Diagnostic::error(
                Code::MissingKey,
                "missing key `format` in the top level of the file",
                root_span.clone(),
            )
            .with_help(format!("add `format = {}` as the first line", format::FORMAT_VERSION)),
        );
    }
}

fn read_revision(top: &mut TableReader<'_, '_>, diags: &mut Vec<Diagnostic>) -> Option<u32> {
    if !top.has("revision") {
        if !top.misspelled("revision") {
            diags.push(
                Diagnostic::error(
                    Code::MissingKey,
                    "missing key `revision` in the top level of the file",
                    top.span.clone(),
                )
                .with_help(format!(
                    "add `revision = …`: the MFR's revision, a whole number from {}",
                    format::REVISIONS.0
                )),
            );
        }
        return None;
    }
    let (n, span) = top.opt_int("revision", diags)?;
    let (min, max) = format::REVISIONS;
    match u32::try_from(n).ok().filter(|_| within(n, format::REVISIONS)) {
        Some(r) => Some(r),
        None => {
            diags.push(Diagnostic::error(
                Code::BadValue,
                format!("`revision = {n}` must be a whole number from {min} to {max}"),
                span,
            ));
            None
        }
    }
}

fn read_bud(top: &mut TableReader<'_, '_>, diags: &mut Vec<Diagnostic>) -> Option<BudOverride> {
    let days = top.opt_int("bud_days", diags);
    let reference = top.opt_str("bud_reference", diags);
    let (n, span) = days?;
    let ok = within(n, format::BUD_DAYS);
    if !ok {
        let (min, max) = format::BUD_DAYS;
        diags.push(
            Diagnostic::error(
                Code::BudDays,
                format!("`bud_days = {n}` is outside {min} to {max} days"),
                span.clone(),
            )
            .with_help("USP <795> allows at most 180 days, even with stability data"),
        );
    }
    let reference = match reference {
        Some(r) if !r.value.trim().is_empty() => r.value,
        _ => {
            diags.push(
                Diagnostic::error(
                    Code::BudDays,
                    "`bud_days` needs a `bud_reference` naming the stability data that supports it",
                    span,
                )
                .with_help("add `bud_reference = \"...\"` (a study, monograph or USP <51> test)"),
            );
            return None;
        }
    };
    let days = u32::try_from(n).ok().filter(|_| ok)?;
    Some(BudOverride { days, reference })
}

/// Whether `n` lies within the bounds `(min, max)` the format declares for an integer key.
fn within(n: Decimal, (min, max): (u64, u64)) -> bool {
    n >= Decimal::from(min) && n <= Decimal::from(max)
}
