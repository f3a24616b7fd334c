//! Reading a batch file on its own (SPEC §14.1): the TOML, every key against the format
//! ([`super::format`]), the type of every value, and the grammar of every reading; every
//! problem at once, each at its place. The options are kept as the text their flags take:
//! their values are checked against the formula, with the flags' own rules
//! ([`super::BatchFile::check`]).

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::format::{self, BATCH_FILE, LOT};
use super::{At, BatchFile, OptionEntry, actual, controlled, lot_name, people, qc};
use crate::codes::Code;
use crate::formula::{Diagnostic, DosageForm, Key, Omitted, TableReader, Text, Value, cap, parse_toml};
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

/// Reads a batch file's text on its own ([`super::resolve`] reads it with its formula).
pub fn load_str(text: &str) -> LoadedBatch {
    let doc = match parse_toml(text) {
        Ok(doc) => doc,
        Err(d) => return LoadedBatch::failed(d),
    };
    let mut diagnostics = Vec::new();
    let file = read(doc.get_ref(), None, &mut diagnostics);
    diagnostics.sort_by_key(|d| (d.span.as_ref().map_or(0, |s| s.start), d.severity));
    let omitted = cap(&mut diagnostics, Omitted::default());
    LoadedBatch { file, diagnostics, omitted }
}

/// The formula a batch file's document names, as written, before it is read: the
/// formula's dosage form tells its help lines what to suggest.
pub(super) fn named_formula(doc: &DeTable<'_>) -> Option<String> {
    doc.get("formula").and_then(|v| v.get_ref().as_str()).map(str::to_string)
}

/// Returns true if and only if `text` is a batch file rather than a formula file: TOML
/// with a top-level `formula` key (SPEC §14.1). A formula file, which has no such key, is
/// told apart without being parsed twice.
pub fn is_batch_file(text: &str) -> bool {
    const KEY: &str = "formula";
    // A line that starts with the key (`formula =`, `"formula" =`, `'formula' =`): found
    // from each place the word is (a search much faster than reading every line).
    let names_formula = |(at, _): (usize, &str)| {
        let line_start =
            text.get(..at).and_then(|before| before.rfind('\n')).map_or(0, |n| n.saturating_add(1));
        let after = text.get(at.saturating_add(KEY.len())..).unwrap_or_default();
        let rest = after.split('\n').next().unwrap_or_default();
        let rest = match text.get(line_start..at).map(str::trim_start) {
            Some("") => Some(rest),
            Some(quote @ ("\"" | "'")) => rest.strip_prefix(quote),
            _ => None,
        };
        rest.is_some_and(|r| r.trim_start().starts_with('='))
    };
    text.match_indices(KEY).any(names_formula)
        && parse_toml(text).is_ok_and(|d| d.get_ref().get("formula").is_some())
}

/// Reads the document of a batch file for a formula of `form` (when known, help lines
/// suggest values of its kind).
pub(super) fn read(root: &DeTable<'_>, form: Option<DosageForm>, diags: &mut Vec<Diagnostic>) -> BatchFile {
    let mut top = TableReader::new(root, 0..0, &BATCH_FILE).in_form(form);
    let formula = top
        .non_empty("formula", diags)
        .filter(|t| clean(&t.value))
        .map(|t| At { value: t.value, span: t.span });
    let mut options = Vec::new();
    for k in format::options() {
        read_option(&mut top, k, None, &mut options, diags);
    }
    for k in BATCH_FILE.keys {
        if let Value::Refused(why) = k.value
            && let Some((span, text)) = top.take_refused(k.name)
        {
            diags.push(
                Diagnostic::error(
                    Code::UnexpectedKey,
                    format!("`{}` is not read from a batch file: {why}", k.name),
                    span,
                )
                .with_help(refused_help(k.name, text.as_deref())),
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

/// How to fix a key a batch file refuses (whose value, when a string, is `text`).
fn refused_help(key: &str, text: Option<&str>) -> String {
    match key {
        "o" | "output" => "remove it; give `-o FILE` on the command line".to_string(),
        "format" | "width" | "explain" | "color" => format!("remove it; give `--{key}` on the command line"),
        "formulas" => {
            "remove it; give the formula's path in `formula`, or `--formulas DIR` on the command line"
                .to_string()
        }
        _ => match text.and_then(|t| t.split_once('=')) {
            Some((id, value)) => format!(
                "move it into the ingredient's table: `[lots.{}]`, then `{key} = \"{}\"`",
                id.trim(),
                value.trim()
            ),
            None => format!("move it into the ingredient's table: `[lots.ID]`, then `{key} = …`"),
        },
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
        diags.push(
            Diagnostic::error(
                Code::WrongType,
                format!("`{} = {shown}` is a TOML date or time, not a string", k.name),
                span,
            )
            .with_help(format!("write it in quotes, as the flag takes it: `{} = \"{shown}\"`", k.name)),
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

/// A text printed on one line of the worksheet (a lot, a vendor, a person): not blank,
/// and a tab or a line break is an error too, as on the command line. `None` when it is
/// refused.
pub(super) fn one_line(key: &str, t: Text, diags: &mut Vec<Diagnostic>) -> Option<Text> {
    if !clean(&t.value) {
        return None;
    }
    if t.value.trim().is_empty() {
        diags.push(
            Diagnostic::error(Code::EmptyValue, format!("`{key}` is empty"), t.span)
                .with_help(format!("give `{key}`, or leave it out until it is known")),
        );
        return None;
    }
    if let Some(c) = t.value.chars().find(|c| is_refused_in_line(*c)) {
        diags.push(
            Diagnostic::error(
                Code::HiddenCharacter,
                format!("`{key}` holds {}, which one line of text may not hold", crate::hidden::describe(c)),
                t.span,
            )
            .with_help("write it on one line: it is printed on one line of the worksheet"),
        );
        return None;
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_as_their_flags_take_them() {
        let text = "formula = \"ketamine-hcl-troche-50\"\nquantity = 60\noverage = \"2 units\"\n\
                    strength = [\"ketamine-hcl=25 mg/troche\", \"x=1 mg/troche\"]\ndate = \"2026-12-07\"\n\n\
                    [lots.ketamine-hcl]\nassay = \"99.5%\"\nvendor = \"Medisca\"\n\n\
                    [lots.sodium-chloride-0.9]\nlot = \"NS-1\"\n";
        let l = load_str(text);
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
        let f = &l.file;
        assert_eq!(f.formula.as_ref().map(|a| a.value.as_str()), Some("ketamine-hcl-troche-50"));
        let got: Vec<(&str, &str, &str)> =
            f.options.iter().map(|o| (o.key, o.name.as_str(), o.value.as_str())).collect();
        assert_eq!(
            got,
            [
                ("quantity", "quantity", "60"),
                ("overage", "overage", "2 units"),
                ("strength", "strength #1", "ketamine-hcl=25 mg/troche"),
                ("strength", "strength #2", "x=1 mg/troche"),
                ("date", "date", "2026-12-07"),
                ("assay", "lots.ketamine-hcl.assay", "ketamine-hcl=99.5%"),
                ("vendor", "lots.ketamine-hcl.vendor", "ketamine-hcl=Medisca"),
                // A bare id with a dot is a dotted key; its parts are joined back.
                ("lot", "lots.sodium-chloride-0.9.lot", "sodium-chloride-0.9=NS-1"),
            ]
        );
        let o = f.options.iter().find(|o| o.key == "lot").unwrap();
        assert_eq!(
            (o.ingredient.as_deref(), &text[o.span.clone()]),
            (Some("sodium-chloride-0.9"), "\"NS-1\"")
        );
        assert_eq!(&text[f.lots[1].span.clone()], "sodium-chloride-0.9");
        // The flags the calculation reads.
        let flags = f.flags();
        assert_eq!(flags.quantity.map(|q| q.value), Some("60"));
        assert_eq!(flags.strength.len(), 2);
        assert_eq!(flags.lot.first().map(|l| l.name), Some("lots.sodium-chloride-0.9.lot"));
    }

    #[test]
    fn every_problem_of_a_file_on_its_own_at_once() {
        let text = "quantity = 60.0\nformat = \"json\"\ntime = 09:00:00\nlot = \"ketamine-hcl=K1\"\n\
                    [lots]\nketamine-hcl = \"K1\"\n[people]\ncompounded_by = \" \"\nchecked_by = \"C\\tD\"\nverfied_by = \"G\"\n";
        let l = load_str(text);
        let codes: Vec<&str> = l.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "missing-key",
                "toml-float",
                "unexpected-key",
                "wrong-type",
                "unexpected-key",
                "wrong-type",
                "empty-value",
                "hidden-character",
                "unknown-key"
            ],
            "{:#?}",
            l.diagnostics
        );
        assert!(l.has_errors() && l.file.formula.is_none() && l.file.options.is_empty());
        let lot = l.diagnostics.iter().find(|d| d.message.starts_with("`lot`")).unwrap();
        assert_eq!(
            lot.help.as_deref(),
            Some("move it into the ingredient's table: `[lots.ketamine-hcl]`, then `lot = \"K1\"`")
        );
        let time = l.diagnostics.iter().find(|d| d.message.starts_with("`time")).unwrap();
        assert_eq!(
            time.help.as_deref(),
            Some("write it in quotes, as the flag takes it: `time = \"09:00:00\"`")
        );
    }

    #[test]
    fn batch_files_are_told_from_formula_files() {
        assert!(is_batch_file("formula = \"x\"\n"));
        assert!(is_batch_file("# a batch\n  \"formula\"= 'x.toml'\n[lots.a]\nlot = \"1\"\n"));
        // A key of a table, a comment, another key: not a batch file.
        assert!(!is_batch_file("[batch]\nformula = \"x\"\n"));
        assert!(!is_batch_file("# formula = \"x\"\nformat = 1\n"));
        assert!(!is_batch_file("formulas = \"x\"\n"));
        assert!(!is_batch_file("formula = \n"));
        // The key starts its line (after blanks), and `=` follows on the same line.
        assert!(is_batch_file("format = 1\n\t formula\t= \"x\"\r\n"));
        assert!(!is_batch_file("formula\n= \"x\"\n"));
        assert!(!is_batch_file("x = 1 # formula = \"x\"\n"));
        assert!(!is_batch_file("\"formula' = \"x\"\n"));
        assert!(!is_batch_file("a\"formula\" = \"x\"\n"));
        let troche = crate::formulary::Formulary::BuiltIn.get("ketamine-hcl-troche-50").unwrap();
        assert!(!is_batch_file(std::str::from_utf8(&troche.bytes).unwrap()));
    }
}
