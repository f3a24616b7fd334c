//! Building a [`Formula`] from the bytes of a TOML file (SPEC §2), collecting every
//! diagnostic on the way.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::DeTable;

use super::diagnostic::{Omitted, cap};
use super::reader::{TableReader, Text, parse_text};
use super::rules;
use super::texts::{self, Field, Reference, Scope};
use super::{
    Basis, BudOverride, Delivery, Device, Diagnostic, Displacement, DosageForm, Formula, Ingredient, Measure,
    Overage, Role, Schedule, Storage, StrengthBasis, Water, is_valid_id,
};
use crate::quantity::{Amount, Percent, Quantity, QuantityError, parse_number, parse_whole_count};
use crate::unit::Dimension;

/// The largest formula file read; a larger one is refused before it is parsed.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

const TOP_KEYS: &[&str] = &[
    "format",
    "id",
    "name",
    "revision",
    "dosage_form",
    "route",
    "water",
    "preserved",
    "storage",
    "container",
    "description",
    "density",
    "bud_days",
    "bud_reference",
    "batch",
    "device",
    "mold",
    "aliquot",
    "ingredients",
    "steps",
    "quality",
    "labeling",
];
const BATCH_KEYS: &[&str] = &["quantity", "overage", "fill"];
const ALIQUOT_KEYS: &[&str] = &["diluent"];
const DEVICE_KEYS: &[&str] = &["dose", "volume", "per_ml", "priming", "residual"];
const MOLD_KEYS: &[&str] = &["blank_weight"];
const INGREDIENT_KEYS: &[&str] = &[
    "id",
    "name",
    "role",
    "amount",
    "basis",
    "molecular_weight",
    "base_molecular_weight",
    "schedule",
    "solubility",
    "purity",
    "density",
    "measure",
    "displacement_factor",
    "density_factor",
    "substance",
];
const STEP_KEYS: &[&str] = &["text"];
const QUALITY_KEYS: &[&str] = &["checks"];
const LABELING_KEYS: &[&str] = &["warnings"];

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
}

impl Loaded {
    fn failed(d: Diagnostic) -> Loaded {
        Loaded { formula: None, diagnostics: vec![d], omitted: Omitted::default() }
    }
}

/// Loads a formula from raw bytes: refuses files over [`MAX_FILE_BYTES`] and text that
/// is not UTF-8, then parses.
pub fn load_bytes(bytes: &[u8]) -> Loaded {
    if bytes.len() > MAX_FILE_BYTES {
        return Loaded::failed(Diagnostic::file_error(
            "file-too-large",
            format!(
                "the file is {} bytes; formula files are limited to {MAX_FILE_BYTES} bytes (1 MiB)",
                bytes.len()
            ),
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => load_str(text),
        Err(e) => {
            let at = e.valid_up_to();
            Loaded::failed(
                Diagnostic::error("not-utf8", "the file is not valid UTF-8 text", at..at.saturating_add(1))
                    .with_help("save the file as UTF-8"),
            )
        }
    }
}

/// Loads a formula from TOML text.
pub fn load_str(text: &str) -> Loaded {
    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim().to_string();
            let message = lowercase_first(&message);
            return Loaded::failed(
                Diagnostic::error("toml-syntax", format!("invalid TOML: {message}"), span).with_help(
                    "see https://toml.io for the syntax; quantities are quoted strings like `\"100 mg/mL\"`",
                ),
            );
        }
    };
    let mut diags = Vec::new();
    let root_span = 0..0;
    let formula = build(doc.get_ref(), text, root_span, &mut diags);
    diags.sort_by_key(|d| (d.span.as_ref().map_or(0, |s| s.start), d.severity));
    let has_error = diags.iter().any(Diagnostic::is_error);
    let omitted = cap(&mut diags);
    let formula = formula.filter(|_| !has_error).map(|mut f| {
        f.warnings = diags.clone();
        f
    });
    Loaded { formula, diagnostics: diags, omitted }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn build(
    doc: &DeTable<'_>,
    source: &str,
    root_span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Formula> {
    let mut top = TableReader::new(doc, root_span.clone(), "the top level of the file", TOP_KEYS);

    if let Some((n, span)) = top.opt_int("format", diags) {
        if n != Decimal::ONE {
            diags.push(
                Diagnostic::error("format", format!("file format `{n}` is not supported"), span)
                    .with_help("write `format = 1`"),
            );
        }
    } else if !top.has("format") {
        diags.push(
            Diagnostic::error(
                "missing-key",
                "missing key `format` in the top level of the file",
                root_span.clone(),
            )
            .with_help("add `format = 1` as the first line"),
        );
    }

    let id = top.non_empty("id", "\"ketamine-hcl-nasal-spray-100\"", diags);
    if let Some(t) = &id
        && !is_valid_id(&t.value)
    {
        diags.push(
            Diagnostic::error(
                "bad-id",
                format!("id `{}` does not match `[a-z0-9][a-z0-9.-]{{0,63}}`", t.value),
                t.span.clone(),
            )
            .with_help("use lowercase letters, digits, `.` and `-`, starting with a letter or digit"),
        );
    }
    let name = top.non_empty("name", "\"Ketamine HCl 100 mg/mL Nasal Spray\"", diags);
    let revision = read_revision(&mut top, diags);
    let form = top.non_empty("dosage_form", "\"nasal-spray\"", diags).and_then(|t| {
        let found = DosageForm::ALL.iter().find(|f| f.as_str() == t.value).copied();
        if found.is_none() {
            let all: Vec<String> = DosageForm::ALL.iter().map(|f| format!("`{f}`")).collect();
            diags.push(
                Diagnostic::error("bad-value", format!("unknown dosage form `{}`", t.value), t.span)
                    .with_help(format!("expected one of {}", all.join(", "))),
            );
        }
        found
    });
    let route = top.non_empty("route", "\"nasal\"", diags);
    let water = top.non_empty("water", "\"aqueous\"", diags).and_then(|t| {
        choose(&t, &[("aqueous", Water::Aqueous), ("nonaqueous", Water::Nonaqueous)], "water", diags)
    });
    let preserved = top.opt_bool("preserved", diags);
    if water == Some(Water::Aqueous) && !top.has("preserved") {
        diags.push(
            Diagnostic::error(
                "missing-key",
                "missing key `preserved`: it is required when `water = \"aqueous\"`",
                top.span_of("water"),
            )
            .with_help("add `preserved = true` or `preserved = false` (USP <795>: 35 or 14 days)"),
        );
    }
    let storage_text = top.non_empty("storage", "\"refrigerator\"", diags);
    let storage = storage_text.as_ref().and_then(|t| {
        choose(
            t,
            &[
                ("room-temperature", Storage::RoomTemperature),
                ("refrigerator", Storage::Refrigerator),
                ("freezer", Storage::Freezer),
            ],
            "storage",
            diags,
        )
    });
    if let (Some(Water::Aqueous), Some(false), Some(s), Some(t)) = (water, preserved, storage, &storage_text)
        && s != Storage::Refrigerator
    {
        diags.push(
                Diagnostic::error(
                    "aqueous-nonpreserved-storage",
                    format!("an aqueous preparation without a preservative must be refrigerated, not stored `{}`", s.as_str()),
                    t.span.clone(),
                )
                .with_help("write `storage = \"refrigerator\"` (USP <795>: 14 days, 2-8 °C), or add a preservative and set `preserved = true`"),
            );
    }
    let container = top.opt_str("container", diags);
    let description = top.opt_str("description", diags);
    let density = read_density(&mut top, "density", diags);
    let bud = read_bud(&mut top, diags);

    let basis = form.map(DosageForm::basis);
    let (batch_quantity, overage, fill, batch_span) = match top.opt_table("batch", diags) {
        Some((t, span)) => read_batch(t, span, basis, diags),
        None => (None, None, None, root_span.clone()),
    };
    let device = match top.opt_table("device", diags) {
        Some((t, span)) => {
            if basis == Some(Basis::Molded) {
                diags.push(
                    Diagnostic::error(
                        "unexpected-table",
                        "`[device]` does not apply to molded forms (troches, RDTs)",
                        span.clone(),
                    )
                    .with_help("remove the `[device]` table"),
                );
            }
            if basis == Some(Basis::Mass) && density.is_none() {
                diags.push(
                    Diagnostic::error("missing-key", "a `[device]` on a mass-basis form needs the preparation's `density` to give per-dose strengths", span.clone())
                        .with_help("add `density = \"1.00 g/mL\"` at the top level"),
                );
            }
            read_device(t, span, diags)
        }
        None => {
            if let Some(f) = form.filter(|f| f.needs_device()) {
                diags.push(
                    Diagnostic::error("missing-device", format!("a `{f}` needs a `[device]` table"), root_span.clone())
                        .with_help("add `[device]` with `dose` and `volume` (or `per_ml`), e.g. `dose = \"spray\"`, `volume = \"0.1 mL\"`"),
                );
            }
            None
        }
    };
    let blank_weight = match top.opt_table("mold", diags) {
        Some((t, span)) => {
            if basis.is_some() && basis != Some(Basis::Molded) {
                diags.push(
                    Diagnostic::error(
                        "unexpected-table",
                        "`[mold]` applies only to molded forms (troches, RDTs)",
                        span.clone(),
                    )
                    .with_help("remove the `[mold]` table"),
                );
            }
            read_mold(t, span, diags)
        }
        None => {
            if let Some(f) = form.filter(|f| f.basis() == Basis::Molded) {
                diags.push(
                    Diagnostic::error(
                        "missing-mold",
                        format!("a `{f}` needs a `[mold]` table with the calibrated `blank_weight`"),
                        root_span.clone(),
                    )
                    .with_help("add `[mold]` with `blank_weight = \"1.000 g\"`"),
                );
            }
            None
        }
    };

    let tables = top.opt_table_array("ingredients", diags);
    if tables.is_empty() && !top.has("ingredients") {
        diags.push(
            Diagnostic::error("missing-key", "the formula has no `[[ingredients]]`", root_span.clone())
                .with_help("add one `[[ingredients]]` table per ingredient"),
        );
    }
    let ingredients: Vec<Option<Ingredient>> = tables
        .iter()
        .enumerate()
        .map(|(n, (t, span))| read_ingredient(t, span.clone(), n, basis, diags))
        .collect();

    let aliquot_diluent = match top.opt_table("aliquot", diags) {
        Some((t, span)) => read_aliquot(t, span, diags),
        None => None,
    };
    let steps = read_steps(&mut top, diags);
    let quality = match top.opt_table("quality", diags) {
        Some((t, span)) => read_list_table(t, span, "[quality]", QUALITY_KEYS, "checks", diags),
        None => Vec::new(),
    };
    let labeling = match top.opt_table("labeling", diags) {
        Some((t, span)) => read_list_table(t, span, "[labeling]", LABELING_KEYS, "warnings", diags),
        None => Vec::new(),
    };
    top.finish(diags);

    let ingredients: Vec<Ingredient> = ingredients.into_iter().flatten().collect();
    let all_read = ingredients.len() == tables.len() && !tables.is_empty();
    if all_read && let Some(basis) = basis {
        rules::check_ingredients(&ingredients, basis, batch_quantity.is_some(), root_span, diags);
        if let (Some(f), Some(d)) = (form, &aliquot_diluent) {
            rules::check_aliquot_diluent(d, &ingredients, f, diags);
        }
    }

    // Text fields: placeholders (checked against the ingredients and the form once both
    // are known) and, in steps and QC checks, quantities written out.
    let mut field = |t: &Text, label: String| texts::parse(t, label, source, diags);
    let name = name.and_then(|t| field(&t, "the name".to_string()));
    let container = container.map(|t| field(&t, "`container`".to_string()));
    let description = description.map(|t| field(&t, "`description`".to_string()));
    let mut steps: Vec<Option<Field>> =
        steps.iter().enumerate().map(|(n, t)| field(t, format!("step {}", n.saturating_add(1)))).collect();
    let mut quality: Vec<Option<Field>> = quality
        .iter()
        .enumerate()
        .map(|(n, t)| field(t, format!("QC check {}", n.saturating_add(1))))
        .collect();
    let labeling: Vec<Option<Field>> = labeling
        .iter()
        .enumerate()
        .map(|(n, t)| field(t, format!("labeling warning {}", n.saturating_add(1))))
        .collect();
    if let (Some(form), true) = (form, all_read) {
        let scope = Scope {
            form,
            ingredients: &ingredients,
            device: device.as_ref(),
            density: density.is_some(),
            fill: fill.is_some(),
        };
        let singles = [
            name.as_ref(),
            container.as_ref().and_then(Option::as_ref),
            description.as_ref().and_then(Option::as_ref),
        ];
        let all =
            singles.into_iter().flatten().chain(steps.iter().chain(&quality).chain(&labeling).flatten());
        for f in all {
            texts::check_slots(f, &scope, diags);
        }
        let reference = Reference { basis: form.basis(), quantity: batch_quantity, overage, fill };
        for f in steps.iter_mut().chain(quality.iter_mut()).flatten() {
            texts::check_literals(f, &reference, device.as_ref(), diags);
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

    let id = id?;
    Some(Formula {
        id: id.value,
        id_span: id.span,
        name: name?.template,
        revision: revision?,
        dosage_form: form?,
        route: route?.value,
        water: water?,
        preserved: preserved.unwrap_or(false),
        storage: storage?,
        container: optional(container)?,
        description: optional(description)?,
        density,
        bud,
        batch_quantity,
        overage,
        fill,
        aliquot_diluent: aliquot_diluent.map(|t| t.value),
        device,
        blank_weight,
        ingredients,
        steps: templates(steps)?,
        quality: templates(quality)?,
        labeling: templates(labeling)?,
        batch_span,
        warnings: Vec::new(),
    })
}

fn choose<T: Copy>(t: &Text, options: &[(&str, T)], key: &str, diags: &mut Vec<Diagnostic>) -> Option<T> {
    let found = options.iter().find(|(name, _)| *name == t.value).map(|(_, v)| *v);
    if found.is_none() {
        let all: Vec<String> = options.iter().map(|(n, _)| format!("`{n}`")).collect();
        diags.push(
            Diagnostic::error(
                "bad-value",
                format!("`{key} = \"{}\"` is not one of the allowed values", t.value),
                t.span.clone(),
            )
            .with_help(format!("expected one of {}", all.join(", "))),
        );
    }
    found
}

fn read_revision(top: &mut TableReader<'_, '_>, diags: &mut Vec<Diagnostic>) -> Option<u32> {
    if !top.has("revision") {
        diags.push(
            Diagnostic::error(
                "missing-key",
                "missing key `revision` in the top level of the file",
                top.span.clone(),
            )
            .with_help("add `revision = 1`"),
        );
        return None;
    }
    let (n, span) = top.opt_int("revision", diags)?;
    match u32::try_from(n) {
        Ok(r) if r >= 1 => Some(r),
        _ => {
            diags.push(Diagnostic::error(
                "bad-value",
                format!("`revision = {n}` must be a whole number from 1 to 4294967295"),
                span,
            ));
            None
        }
    }
}

/// A positive density such as `"0.988 g/mL"`, returned in mg/mL.
fn read_density(
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
fn positive_base(
    q: &Quantity,
    span: Range<usize>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Decimal> {
    if q.value.is_zero() {
        diags.push(
            Diagnostic::error("zero-factor", format!("`{key}` is zero"), span)
                .with_help(format!("give the measured `{key}`; it cannot be zero")),
        );
        return None;
    }
    match q.to_base() {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(Diagnostic::error(
                "bad-number",
                format!("`{key} = \"{q}\"` cannot be converted exactly: {e}"),
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
    let ok = n >= Decimal::ONE && n <= Decimal::from(180);
    if !ok {
        diags.push(
            Diagnostic::error("bud-days", format!("`bud_days = {n}` is outside 1 to 180 days"), span.clone())
                .with_help("USP <795> allows at most 180 days, even with stability data"),
        );
    }
    let reference = match reference {
        Some(r) if !r.value.trim().is_empty() => r.value,
        _ => {
            diags.push(
                Diagnostic::error(
                    "bud-days",
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

/// The largest batch size accepted, per basis: 100 L, 100 kg or 1,000,000 units (in mL,
/// mg, units). Anything larger is a typing mistake for a compounding pharmacy.
pub const MAX_VOLUME_ML: i64 = 100_000;
/// See [`MAX_VOLUME_ML`]; in mg.
pub const MAX_MASS_MG: i64 = 100_000_000;
/// See [`MAX_VOLUME_ML`].
pub const MAX_UNITS: i64 = 1_000_000;

/// Parses a batch size (`quantity`, or an `overage` amount) for a basis, in its base
/// unit: a volume in mL, a mass in mg, or a whole count; at most the limits above.
pub fn parse_batch_size(text: &str, basis: Basis) -> Result<Decimal, QuantityError> {
    let (value, max, limit) = match basis {
        Basis::Volume => {
            let q = Quantity::parse_dim(text, Dimension::Volume, "a volume, like `30 mL`")?;
            (base_of(&q, text)?, MAX_VOLUME_ML, "100 L")
        }
        Basis::Mass => {
            let q = Quantity::parse_dim(text, Dimension::Mass, "a mass, like `100 g`")?;
            (base_of(&q, text)?, MAX_MASS_MG, "100 kg")
        }
        Basis::Molded => (parse_whole_count(text)?, MAX_UNITS, "1000000 units"),
    };
    if value > Decimal::from(max) {
        return Err(QuantityError::OverLimit { text: text.trim().to_string(), limit });
    }
    Ok(value)
}

fn base_of(q: &Quantity, text: &str) -> Result<Decimal, QuantityError> {
    q.to_base().map_err(|e| match e {
        // `9999999999999999999999999999 L` is too large once in mL, not too precise.
        crate::arith::ArithError::Overflow { .. } => QuantityError::TooLarge { text: text.to_string() },
        _ => QuantityError::TooPrecise { text: text.to_string() },
    })
}

/// `[batch]`: the reference quantity, the overage and (liquids) the fill of a container.
type BatchTable = (Option<Decimal>, Option<Overage>, Option<Decimal>, Range<usize>);

fn read_batch(
    t: &DeTable<'_>,
    span: Range<usize>,
    basis: Option<Basis>,
    diags: &mut Vec<Diagnostic>,
) -> BatchTable {
    let mut r = TableReader::new(t, span.clone(), "[batch]", BATCH_KEYS);
    let quantity = r.opt_count_text("quantity", diags);
    let overage = r.opt_count_text("overage", diags);
    let fill = r.opt_str("fill", diags);
    r.finish(diags);
    let Some(basis) = basis else { return (None, None, None, span) };
    let fill = fill.and_then(|f| {
        if basis != Basis::Volume {
            diags.push(
                Diagnostic::error(
                    "unexpected-key",
                    "`fill` applies only to liquids (nasal sprays, sublingual drops, oral solutions)",
                    f.span,
                )
                .with_help("remove `fill`"),
            );
            return None;
        }
        let v = parse_text(&f, diags, |s| parse_batch_size(s, Basis::Volume))?;
        if v.is_zero() {
            diags.push(
                Diagnostic::error("zero-amount", "the fill of a container is zero", f.span)
                    .with_help("give what one container holds, e.g. `fill = \"10 mL\"`"),
            );
            return None;
        }
        Some(v)
    });
    let batch_span = quantity.as_ref().map_or(span, |q| q.span.clone());
    let quantity = quantity.and_then(|q| {
        let v = parse_text(&q, diags, |s| parse_batch_size(s, basis))?;
        if v.is_zero() {
            diags.push(Diagnostic::error("zero-amount", "the reference batch quantity is zero", q.span));
            return None;
        }
        Some(v)
    });
    let overage = overage.and_then(|o| {
        if o.value.trim_end().ends_with('%') {
            let p = parse_text(&o, diags, Percent::parse)?;
            if p.0 >= Decimal::ONE_HUNDRED {
                diags.push(
                    Diagnostic::error(
                        "bad-value",
                        format!("an overage of `{p}` is not a process-loss allowance"),
                        o.span,
                    )
                    .with_help("overages are usually 5 to 10%"),
                );
                return None;
            }
            Some(Overage::Percent(p))
        } else {
            parse_text(&o, diags, |s| parse_batch_size(s, basis)).map(Overage::Amount)
        }
    });
    (quantity, overage, fill, batch_span)
}

fn read_aliquot(t: &DeTable<'_>, span: Range<usize>, diags: &mut Vec<Diagnostic>) -> Option<Text> {
    let mut r = TableReader::new(t, span, "[aliquot]", ALIQUOT_KEYS);
    let diluent = r.non_empty("diluent", "\"lactose\"", diags);
    r.finish(diags);
    diluent
}

fn read_device(t: &DeTable<'_>, span: Range<usize>, diags: &mut Vec<Diagnostic>) -> Option<Device> {
    let mut r = TableReader::new(t, span.clone(), "[device]", DEVICE_KEYS);
    let dose = r.non_empty("dose", "\"spray\"", diags);
    if let Some(d) = &dose
        && crate::unit::CountNoun::parse(&d.value.to_lowercase()).is_none()
    {
        diags.push(
            Diagnostic::error("bad-value", format!("unknown dose noun `{}`", d.value), d.span.clone())
                .with_help("use `spray`, `drop`, `click` or `dose`"),
        );
    }
    let volume = r.opt_parsed("volume", diags, |s| {
        Quantity::parse_dim(s, Dimension::Volume, "a volume, like `0.1 mL`")
    });
    let per_ml = r
        .opt_count_text("per_ml", diags)
        .and_then(|t| parse_text(&t, diags, parse_number).map(|v| (v, t.span)));
    let priming = r.opt_int("priming", diags).map(|(n, _)| n).unwrap_or_default();
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
                diags.push(Diagnostic::error("zero-factor", "`per_ml` is zero", span));
                return None;
            }
            Delivery::PerMl(n)
        }
        (Some(_), Some((_, span))) => {
            diags.push(Diagnostic::error(
                "conflicting-keys",
                "give either `volume` or `per_ml` in `[device]`, not both",
                span,
            ));
            return None;
        }
        (None, None) => {
            diags.push(
                Diagnostic::error(
                    "missing-key",
                    "`[device]` needs `volume` (per actuation) or `per_ml` (drops per mL)",
                    span,
                )
                .with_help("add `volume = \"0.1 mL\"` or `per_ml = \"20\"`"),
            );
            return None;
        }
    };
    Some(Device { dose: dose?.value.to_lowercase(), delivery, priming, residual })
}

fn read_mold(t: &DeTable<'_>, span: Range<usize>, diags: &mut Vec<Diagnostic>) -> Option<Decimal> {
    let mut r = TableReader::new(t, span.clone(), "[mold]", MOLD_KEYS);
    let blank = r.opt_parsed("blank_weight", diags, |s| {
        Quantity::parse_dim(s, Dimension::Mass, "a mass, like `1.000 g`")
    });
    let missing = !r.has("blank_weight");
    r.finish(diags);
    if missing {
        diags.push(
            Diagnostic::error("missing-key", "missing key `blank_weight` in [mold]", span)
                .with_help("add `blank_weight = \"1.000 g\"` (the calibrated weight of one cavity of base)"),
        );
        return None;
    }
    let (q, span) = blank?;
    positive_base(&q, span, "blank_weight", diags)
}

fn read_steps(top: &mut TableReader<'_, '_>, diags: &mut Vec<Diagnostic>) -> Vec<Text> {
    let mut out = Vec::new();
    for (t, span) in top.opt_table_array("steps", diags) {
        let mut r = TableReader::new(t, span, "[[steps]]", STEP_KEYS);
        if let Some(text) = r.non_empty("text", "\"Dissolve ...\"", diags) {
            out.push(text);
        }
        r.finish(diags);
    }
    out
}

fn read_list_table(
    t: &DeTable<'_>,
    span: Range<usize>,
    label: &str,
    keys: &'static [&'static str],
    key: &'static str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Text> {
    let mut r = TableReader::new(t, span, label, keys);
    let out = r.opt_str_array(key, diags);
    r.finish(diags);
    out
}

fn read_ingredient(
    t: &DeTable<'_>,
    span: Range<usize>,
    n: usize,
    basis: Option<Basis>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Ingredient> {
    let label = format!("[[ingredients]] #{}", n.saturating_add(1));
    let mut r = TableReader::new(t, span.clone(), label, INGREDIENT_KEYS);
    let before = diags.len();
    let id = r.non_empty("id", "\"ketamine-hcl\"", diags);
    if let Some(t) = &id
        && !is_valid_id(&t.value)
    {
        diags.push(
            Diagnostic::error(
                "bad-id",
                format!("ingredient id `{}` does not match `[a-z0-9][a-z0-9.-]{{0,63}}`", t.value),
                t.span.clone(),
            )
            .with_help("use lowercase letters, digits, `.` and `-`"),
        );
    }
    let name = r.non_empty("name", "\"Ketamine Hydrochloride USP\"", diags);
    let role = r.non_empty("role", "\"active\"", diags).and_then(|t| {
        let roles = [
            ("active", Role::Active),
            ("preservative", Role::Preservative),
            ("excipient", Role::Excipient),
            ("flavor", Role::Flavor),
            ("sweetener", Role::Sweetener),
            ("levigant", Role::Levigant),
            ("vehicle", Role::Vehicle),
            ("base", Role::Base),
        ];
        choose(&t, &roles, "role", diags)
    });
    let amount_text = r.str("amount", "\"100 mg/mL\"", diags);
    let amount = amount_text.as_ref().and_then(|t| parse_text(t, diags, Amount::parse));
    let amount_span = amount_text.as_ref().map_or(span.clone(), |t| t.span.clone());
    if let (Some(a), Some(t)) = (&amount, &amount_text) {
        if a.is_zero() {
            diags.push(
                Diagnostic::error("zero-amount", format!("the amount `{}` is zero", t.value), t.span.clone())
                    .with_help("remove the ingredient or give its amount"),
            );
        }
        if let Some(b) = basis {
            check_amount_form(a, b, t, diags);
        }
    }

    let basis_text = r.opt_str("basis", diags);
    let strength_basis = basis_text.as_ref().and_then(|t| {
        choose(t, &[("salt", StrengthBasis::Salt), ("base", StrengthBasis::Base)], "basis", diags)
    });
    if role == Some(Role::Active) && basis_text.is_none() && amount != Some(Amount::Qs) {
        diags.push(
            Diagnostic::error("missing-basis", format!("active `{}` does not say whether its strength is the salt or the base", id.as_ref().map_or("?", |t| t.value.as_str())), span.clone())
                .with_help("add `basis = \"salt\"` (amount of the material weighed) or `basis = \"base\"` (amount of the free base)"),
        );
    }
    let mw = read_factor(&mut r, "molecular_weight", diags);
    let base_mw = read_factor(&mut r, "base_molecular_weight", diags);
    let molecular_weights = match (mw, base_mw, r.has("molecular_weight"), r.has("base_molecular_weight")) {
        (Some(a), Some(b), _, _) => Some((a, b)),
        (_, _, true, false) | (_, _, false, true) => {
            let present =
                if r.has("molecular_weight") { "molecular_weight" } else { "base_molecular_weight" };
            let absent =
                if present == "molecular_weight" { "base_molecular_weight" } else { "molecular_weight" };
            diags.push(
                Diagnostic::error(
                    "molecular-weights",
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
    };
    let schedule = r.opt_str("schedule", diags).and_then(|t| {
        let norm = t.value.to_ascii_uppercase().replace('-', "");
        let s = match norm.as_str() {
            "CI" => Schedule::CI,
            "CII" => Schedule::CII,
            "CIII" => Schedule::CIII,
            "CIV" => Schedule::CIV,
            "CV" => Schedule::CV,
            _ => {
                diags.push(
                    Diagnostic::error("bad-value", format!("unknown DEA schedule `{}`", t.value), t.span)
                        .with_help("use `CII`, `CIII`, `CIV` or `CV` (ketamine is `CIII`)"),
                );
                return None;
            }
        };
        Some(s)
    });
    let solubility = r
        .opt_parsed("solubility", diags, Quantity::parse)
        .and_then(|(q, span)| {
            // An amount that did not parse has its own diagnostic; don't pile on.
            let amount = amount?;
            let fits = match amount.dimension() {
                Some(d @ (Dimension::MassPerVolume | Dimension::MassPerMass)) => q.dimension() == d,
                _ => false,
            };
            if !fits {
                diags.push(
                    Diagnostic::error("wrong-dimension", format!("solubility `{q}` does not compare with the amount's concentration"), span)
                        .with_help("a solubility applies to a concentration of the same kind: `mg/mL` for `mg/mL` or `%w/v` amounts, `mg/g` for `%w/w`"),
                );
                return None;
            }
            positive_base(&q, span, "solubility", diags)
        });
    let purity = r.opt_parsed("purity", diags, Percent::parse).and_then(|(p, span)| {
        if p.0.is_zero() {
            diags.push(Diagnostic::error("zero-factor", "`purity` is zero", span));
            None
        } else if p.0 < Decimal::ONE {
            // Like an assay, a purity divides the weight: `0.0000001%` once asked for a
            // thousand kilograms of a preservative.
            diags.push(
                Diagnostic::error("purity-under-1", format!("a purity of `{p}` is under 1%"), span).with_help(
                    "a purity is from `1%` to `100%`, the share of the material that is the ingredient (`50%` for a 50% solution)",
                ),
            );
            None
        } else if p.0 > Decimal::ONE_HUNDRED {
            diags.push(
                Diagnostic::error("purity-over-100", format!("a purity of `{p}` is over 100%"), span)
                    .with_help(
                        "a purity is at most `100%`; for a lot's assay use `--assay` on the command line",
                    ),
            );
            None
        } else {
            Some(p)
        }
    });
    let density = read_density(&mut r, "density", diags);
    let measure_text = r.opt_str("measure", diags);
    let measure_explicit = measure_text
        .as_ref()
        .and_then(|t| choose(t, &[("mass", Measure::Mass), ("volume", Measure::Volume)], "measure", diags));
    let volume_amount =
        matches!(amount.and_then(|a| a.dimension()), Some(Dimension::Volume | Dimension::VolumePerVolume));
    let measure = measure_explicit.unwrap_or(if volume_amount { Measure::Volume } else { Measure::Mass });
    let needs_density = match basis {
        // Mass-basis and molded forms add every ingredient by mass.
        Some(Basis::Mass | Basis::Molded) => volume_amount || measure == Measure::Volume,
        _ => volume_amount != (measure == Measure::Volume),
    };
    if needs_density
        && density.is_none()
        && !r.has("density")
        && amount.is_some()
        && amount != Some(Amount::Qs)
    {
        diags.push(
            Diagnostic::error("missing-density", "this ingredient is measured by volume but its mass is needed (or the reverse): add its `density`", amount_span.clone())
                .with_help("add `density = \"1.00 g/mL\"` with the ingredient's specific gravity"),
        );
    }
    let displacement = read_displacement(&mut r, basis, amount == Some(Amount::Qs), span.clone(), diags);
    let substance = r.opt_str("substance", diags).map(|t| t.value);
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
        amount_span,
        span,
    })
}

fn read_factor(
    r: &mut TableReader<'_, '_>,
    key: &'static str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Decimal> {
    let (v, span) = r.opt_parsed(key, diags, parse_number)?;
    if v.is_zero() {
        diags.push(
            Diagnostic::error("zero-factor", format!("`{key}` is zero"), span)
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
            Diagnostic::error("unexpected-key", format!("`{key}` is not used here: {why}"), r.span_of(key))
                .with_help(format!("remove `{key}`")),
        );
        return Some(Displacement::AssumedOneToOne);
    }
    if given.len() == 2 {
        diags.push(
            Diagnostic::error(
                "conflicting-keys",
                "give `displacement_factor` or `density_factor`, not both: the two conventions are inverses",
                r.span_of("density_factor"),
            )
            .with_help("keep the one your base vendor or calibration gives"),
        );
        return None;
    }
    if let Some(f) = f {
        let low = Decimal::new(3, 1);
        let high = Decimal::new(15, 1);
        if f < low || f > high {
            diags.push(
                Diagnostic::warning("displacement-factor-range", format!("displacement factor `{f}` is outside the usual 0.3 to 1.5"), r.span_of("displacement_factor"))
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
            Diagnostic::warning("assumed-one-to-one", "no `displacement_factor` or `density_factor`: one-to-one displacement (factor 1) is assumed", table_span)
                .with_help("add `displacement_factor = \"1\"` to confirm one-to-one, or the factor from your base vendor or calibration"),
        );
    }
    Some(Displacement::AssumedOneToOne)
}

fn check_amount_form(a: &Amount, basis: Basis, t: &Text, diags: &mut Vec<Diagnostic>) {
    let Some(dim) = a.dimension() else { return };
    let allowed = match basis {
        Basis::Volume => matches!(
            dim,
            Dimension::MassPerVolume | Dimension::VolumePerVolume | Dimension::Mass | Dimension::Volume
        ),
        Basis::Mass => matches!(dim, Dimension::MassPerMass | Dimension::Mass | Dimension::Volume),
        Basis::Molded => matches!(dim, Dimension::MassPerCount | Dimension::Mass | Dimension::Volume),
    };
    if !allowed {
        let (what, help) = match basis {
            Basis::Volume => (
                "a liquid (volume basis)",
                "use `mg/mL`, `%w/v`, `1:N w/v`, `%v/v` or a fixed mass or volume",
            ),
            Basis::Mass => {
                ("a semisolid (mass basis)", "use `%w/w`, `mg/g`, `1:N w/w` or a fixed mass or volume")
            }
            Basis::Molded => {
                ("a molded form", "use a per-unit amount such as `50 mg/troche`, or a fixed mass")
            }
        };
        diags.push(
            Diagnostic::error(
                "amount-form",
                format!("the amount `{}` is {}, which {what} cannot use", t.value, dim.describe()),
                t.span.clone(),
            )
            .with_help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_sizes_by_basis_within_limits() {
        assert_eq!(parse_batch_size("30mL", Basis::Volume).unwrap(), Decimal::from(30));
        assert_eq!(parse_batch_size("100 g", Basis::Mass).unwrap(), Decimal::from(100_000));
        assert_eq!(parse_batch_size("96 troches", Basis::Molded).unwrap(), Decimal::from(96));
        assert_eq!(parse_batch_size("100 L", Basis::Volume).unwrap(), Decimal::from(MAX_VOLUME_ML));
        assert!(matches!(parse_batch_size("100.001 L", Basis::Volume), Err(QuantityError::OverLimit { .. })));
        assert!(matches!(parse_batch_size("1000001", Basis::Molded), Err(QuantityError::OverLimit { .. })));
        assert!(matches!(parse_batch_size("30 g", Basis::Volume), Err(QuantityError::WrongDimension { .. })));
        assert!(matches!(parse_batch_size("2.5", Basis::Molded), Err(QuantityError::NotWhole { .. })));
        assert!(matches!(
            parse_batch_size("9999999999999999999999999999 L", Basis::Volume),
            Err(QuantityError::TooLarge { .. })
        ));
    }
}
