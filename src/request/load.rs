//! Reading a batch file on its own (SPEC §14.1): the TOML, every key against the format
//! ([`super::format`]), the type of every value, and the grammar of every reading; every
//! problem at once, each at its place. The options are kept as the text their flags take:
//! their values are checked against the formula, with the flags' own rules
//! ([`super::BatchFile::check`]).

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::format::{self, BATCH_FILE, LOT};
use super::{At, BatchFile, OptionEntry, actual, controlled, lot_name, people, qc};
use crate::formula::{Diagnostic, Key, Omitted, TableReader, Text, Value, cap, parse_toml, text_of};
use crate::pattern::{is_refused, is_refused_in_line};

/// A batch file read on its own: what could be read, and every problem found.
#[derive(Debug, Clone, Default)]
pub struct LoadedBatch {
    /// What could be read (a part with an error is left out).
    pub file: BatchFile,
    /// Errors, in file order: at most [`MAX_DIAGNOSTICS`](crate::formula::MAX_DIAGNOSTICS),
    /// then one [`TOO_MANY`](crate::formula::TOO_MANY) when more were found.
    pub diagnostics: Vec<Diagnostic>,
    /// The diagnostics found but left out of `diagnostics`.
    pub omitted: Omitted,
}

impl LoadedBatch {
    fn failed(d: Diagnostic) -> LoadedBatch {
        LoadedBatch { diagnostics: vec![d], ..LoadedBatch::default() }
    }

    /// Returns true if and only if any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads a batch file's bytes: at most 1 MiB of UTF-8 TOML.
pub fn load_bytes(bytes: &[u8]) -> LoadedBatch {
    match text_of(bytes, "batch files") {
        Ok(text) => load_str(text),
        Err(d) => LoadedBatch::failed(d),
    }
}

/// Reads a batch file's text.
pub fn load_str(text: &str) -> LoadedBatch {
    let doc = match parse_toml(text) {
        Ok(doc) => doc,
        Err(d) => return LoadedBatch::failed(d),
    };
    let mut diagnostics = Vec::new();
    let file = read(doc.get_ref(), &mut diagnostics);
    diagnostics.sort_by_key(|d| (d.span.as_ref().map_or(0, |s| s.start), d.severity));
    let omitted = cap(&mut diagnostics);
    LoadedBatch { file, diagnostics, omitted }
}

/// Returns true if and only if `text` is a batch file rather than a formula file: TOML
/// with a top-level `formula` key (SPEC §14.1). A formula file, which has no such key, is
/// told apart without being parsed twice.
pub fn is_batch_file(text: &str) -> bool {
    let names_formula = |l: &str| {
        let l = l.trim_start();
        ["formula", "\"formula\"", "'formula'"]
            .iter()
            .any(|k| l.strip_prefix(k).is_some_and(|rest| rest.trim_start().starts_with('=')))
    };
    text.lines().any(names_formula) && parse_toml(text).is_ok_and(|d| d.get_ref().get("formula").is_some())
}

fn read(root: &DeTable<'_>, diags: &mut Vec<Diagnostic>) -> BatchFile {
    let mut top = TableReader::new(root, 0..0, &BATCH_FILE);
    let formula = top
        .non_empty("formula", "\"ketamine-hcl-nasal-spray-100\"", diags)
        .filter(|t| clean(&t.value))
        .map(|t| At { value: t.value, span: t.span });
    let mut options = Vec::new();
    for k in format::options() {
        read_option(&mut top, k, None, &mut options, diags);
    }
    for k in BATCH_FILE.keys {
        if let Value::Refused(why) = k.value
            && let Some(span) = top.take_refused(k.name)
        {
            diags.push(
                Diagnostic::error(
                    "unexpected-key",
                    format!("`{}` is not read from a batch file: {why}", k.name),
                    span,
                )
                .with_help(refused_help(k.name)),
            );
        }
    }
    let lots = read_lots(&mut top, &mut options, diags);
    let actual =
        top.opt_table("actual", diags).map(|(t, span)| actual::read(t, span, diags)).unwrap_or_default();
    let qc = top.opt_table("qc", diags).map(|(t, span)| qc::read(t, span, diags)).unwrap_or_default();
    let controlled = top
        .opt_table("controlled", diags)
        .map(|(t, span)| controlled::read(t, span, diags))
        .unwrap_or_default();
    let people = match top.opt_table("people", diags) {
        Some((t, span)) => people::read(t, span, diags),
        None => people::People::default(),
    };
    top.finish(diags);
    BatchFile { formula, options, lots, actual, qc, controlled, people }
}

/// How to fix a key a batch file refuses.
fn refused_help(key: &str) -> String {
    match key {
        "o" | "output" => "remove it; give `-o FILE` on the command line".to_string(),
        "format" | "width" | "explain" | "color" => format!("remove it; give `--{key}` on the command line"),
        "formulas" => {
            "remove it; give the formula's path in `formula`, or `--formulas DIR` on the command line"
                .to_string()
        }
        _ => format!("move it into the ingredient's table: `[lots.ID]`, then `{key} = …`"),
    }
}

/// Reads one batch option of `r`'s table (of `[lots.ID]` when `lot` is the ID) into
/// `options`, as its flag takes it.
fn read_option(
    r: &mut TableReader<'_, '_>,
    k: &'static Key,
    lot: Option<&str>,
    options: &mut Vec<OptionEntry>,
    diags: &mut Vec<Diagnostic>,
) {
    if !r.has(k.name) {
        return;
    }
    let texts: Vec<Text> = match k.value {
        Value::QuantityOrCount(_) => r.opt_count_text(k.name, diags).into_iter().collect(),
        Value::Strengths => r.opt_strs(k.name, diags),
        Value::Date | Value::Clock => date_or_time(r, k, diags).into_iter().collect(),
        _ => r.opt_str(k.name, diags).into_iter().collect(),
    };
    let many = texts.len() > 1;
    for (n, t) in texts.into_iter().enumerate() {
        let t = match k.value {
            Value::Line => one_line(k.name, t, diags),
            _ => Some(t).filter(|t| clean(&t.value)),
        };
        let Some(t) = t else { continue };
        let name = match (lot, many) {
            (Some(id), _) => lot_name(id, k.name),
            (None, true) => format!("{} #{}", k.name, n.saturating_add(1)),
            (None, false) => k.name.to_string(),
        };
        let value = match lot {
            Some(id) => format!("{id}={}", t.value),
            None => t.value,
        };
        options.push(OptionEntry {
            key: k.name,
            name,
            value,
            ingredient: lot.map(str::to_string),
            span: t.span,
        });
    }
}

/// A date or a time, which TOML could hold as its own type: it is written as a string,
/// as the flag takes it.
fn date_or_time(r: &mut TableReader<'_, '_>, k: &'static Key, diags: &mut Vec<Diagnostic>) -> Option<Text> {
    if let Some((span, shown)) = r.datetime(k.name) {
        let example = if k.value == Value::Date { "2026-11-26" } else { "09:00" };
        diags.push(
            Diagnostic::error(
                "wrong-type",
                format!("`{} = {shown}` is a TOML date or time, not a string", k.name),
                span,
            )
            .with_help(format!("write it in quotes, as the flag takes it: `{} = \"{example}\"`", k.name)),
        );
        return None;
    }
    r.opt_str(k.name, diags)
}

/// `[lots]`: one table per ingredient, its options named `lots.ID.KEY`.
fn read_lots(
    top: &mut TableReader<'_, '_>,
    options: &mut Vec<OptionEntry>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<At<String>> {
    let Some((t, span)) = top.opt_table("lots", diags) else { return Vec::new() };
    let all = TableReader::new(t, span, &LOT).labelled("[lots]".to_string());
    let mut ids = Vec::new();
    for (id, value) in by_id(t, &only_tables) {
        let DeValue::Table(lt) = value.get_ref() else {
            all.wrong_type(
                &id.value,
                value,
                "a table of the lot's `lot`, `expiry`, `assay`, `lod` and `vendor`",
                diags,
            );
            continue;
        };
        let mut r = TableReader::new(lt, value.span(), &LOT).labelled(format!("[lots.{}]", id.value));
        for k in LOT.keys {
            read_option(&mut r, k, Some(&id.value), options, diags);
        }
        r.finish(diags);
        ids.push(id);
    }
    ids
}

/// The entries of a table keyed by ingredient id, in file order. An id with a dot
/// (`sodium-chloride-0.9`) written bare is, to TOML, a dotted key: a table under each
/// part. `is_part` tells such a table from a value of the entry, and the parts are joined
/// back into the id, its span from the first part to the last.
pub(super) fn by_id<'a, 'i>(
    t: &'a DeTable<'i>,
    is_part: &dyn Fn(&DeTable<'i>) -> bool,
) -> Vec<(At<String>, &'a Spanned<DeValue<'i>>)> {
    fn walk<'a, 'i>(
        t: &'a DeTable<'i>,
        prefix: Option<&At<String>>,
        is_part: &dyn Fn(&DeTable<'i>) -> bool,
        out: &mut Vec<(At<String>, &'a Spanned<DeValue<'i>>)>,
    ) {
        for (key, value) in t.iter() {
            let id = match prefix {
                Some(p) => {
                    At { value: format!("{}.{}", p.value, key.get_ref()), span: p.span.start..key.span().end }
                }
                None => At { value: key.get_ref().to_string(), span: key.span() },
            };
            match value.get_ref() {
                DeValue::Table(sub) if !sub.is_empty() && is_part(sub) => walk(sub, Some(&id), is_part, out),
                _ => out.push((id, value)),
            }
        }
    }
    let mut out = Vec::new();
    walk(t, None, is_part, &mut out);
    out
}

/// Returns true if and only if `t` is a part of a dotted id in a table of tables
/// (`[lots]`, `[controlled]`): it holds only tables.
pub(super) fn only_tables(t: &DeTable<'_>) -> bool {
    t.values().all(|v| v.get_ref().is_table())
}

/// Returns true if and only if `text` holds no character that the reader refuses (and
/// has reported already).
fn clean(text: &str) -> bool {
    !text.chars().any(is_refused)
}

/// A text printed on one line of the worksheet (a lot, a vendor, a person): a tab or a
/// line break is an error too, as on the command line. `None` when it is refused.
pub(super) fn one_line(key: &str, t: Text, diags: &mut Vec<Diagnostic>) -> Option<Text> {
    if !clean(&t.value) {
        return None;
    }
    if let Some(c) = t.value.chars().find(|c| is_refused_in_line(*c)) {
        diags.push(
            Diagnostic::error(
                "control-character",
                format!("`{key}` contains the control character `{}`", c.escape_unicode()),
                t.span,
            )
            .with_help("write it on one line: it is printed on one line of the worksheet"),
        );
        return None;
    }
    Some(t)
}
