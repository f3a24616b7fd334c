//! Reading spanned TOML values into typed fields while collecting diagnostics.
//!
//! The document is parsed once into `toml::de::DeTable` (every key and value keeps its
//! byte span); each field is then converted on its own, so one bad value does not hide
//! the next one, and every key the reader was not asked for is reported as unknown.

mod values;

pub(crate) use values::{choose, parse_text};
use values::{hidden_characters, int_error, parse_int};

use std::borrow::Cow;
use std::ops::Range;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::MAX_DIAGNOSTICS;
use super::format::Table;
use super::{Diagnostic, DosageForm};
use crate::codes::Code;
use crate::quantity::QuantityError;

/// Reads the keys of one table, remembering which were used.
pub(crate) struct TableReader<'a, 'i> {
    table: &'a DeTable<'i>,
    /// Span of the table (its header, or the whole document for the root).
    pub(crate) span: Range<usize>,
    /// `[batch]`, `[[ingredients]] #2`, or `the top level`.
    label: Cow<'static, str>,
    /// The table's declaration (SPEC §2): the keys it may hold.
    spec: &'static Table,
    /// The declared keys read that the table holds: a bit for each of the first 64 of
    /// `spec` (`read`), the names of the others (`used`), and how many (`found`, of the
    /// first 64): when that is every key of the table, [`Self::finish`] has no unknown key
    /// to look for (the common case, a clean file).
    used: Vec<&'static str>,
    read: u64,
    found: usize,
    /// The formula's dosage form, when known: help lines suggest values of its kind.
    form: Option<DosageForm>,
    /// The unit a TOML float written for a key should have been written with, when the
    /// table knows better than the key's kind (an ingredient measured by volume: `mL`).
    float_unit: Option<(&'static str, String)>,
}

/// The bit of `read` for the declared key at `at` of its table, for the first 64.
fn bit(at: usize) -> Option<u64> {
    u32::try_from(at).ok().and_then(|at| 1u64.checked_shl(at))
}

/// A TOML value's kind, as a message says it.
fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// A string read from the file, with its span.
pub(crate) struct Text {
    pub(crate) value: String,
    pub(crate) span: Range<usize>,
}

impl<'a, 'i> TableReader<'a, 'i> {
    pub(crate) fn new(table: &'a DeTable<'i>, span: Range<usize>, spec: &'static Table) -> Self {
        TableReader {
            table,
            span,
            label: Cow::Borrowed(spec.label),
            spec,
            used: Vec::new(),
            read: 0,
            found: 0,
            form: None,
            float_unit: None,
        }
    }

    /// The formula's dosage form, when the reader knows it.
    pub(crate) fn form(&self) -> Option<DosageForm> {
        self.form
    }

    /// The same reader, suggesting values that fit `form` (`"50 mg/troche"`).
    pub(crate) fn in_form(mut self, form: Option<DosageForm>) -> Self {
        self.form = form;
        self
    }

    /// A TOML float written for `key` gets a help line with `unit` (SPEC §13.1: the kind
    /// the ingredient needs, `"4.0 mL"` for one measured by volume).
    pub(crate) fn float_unit(&mut self, key: &'static str, unit: String) {
        self.float_unit = Some((key, unit));
    }

    /// A string value as written, without reading the key (the key is still reported as
    /// unknown, or read later, as usual).
    pub(crate) fn peek_str(&self, key: &str) -> Option<&'a str> {
        match self.table.get(key).map(Spanned::get_ref) {
            Some(DeValue::String(s)) => Some(s.as_ref()),
            _ => None,
        }
    }

    /// The same reader, naming its table `label` in messages (`[[ingredients]] #2`).
    pub(crate) fn labelled(mut self, label: String) -> Self {
        self.label = Cow::Owned(label);
        self
    }

    /// A declared key's value; a key the format does not declare is never read, so the
    /// loader cannot accept a key that `validate` and the schema do not know.
    fn get(&mut self, key: &'static str) -> Option<&'a Spanned<DeValue<'i>>> {
        // An absent key is nothing to count (only the keys the table holds are looked for
        // among those read), so the declaration is searched only for a present one.
        let value = self.table.get(key)?;
        let at = self.spec.keys.iter().position(|k| k.name == key)?;
        match bit(at) {
            Some(bit) if self.read & bit == 0 => {
                self.read |= bit;
                self.found = self.found.saturating_add(1);
            }
            Some(_) => {}
            // Past the first 64 declared keys, the names read are listed.
            None => self.used.push(key),
        }
        Some(value)
    }

    /// Returns true if and only if `name`, a key of the table, was read.
    fn was_read(&self, name: &str) -> bool {
        match self.spec.keys.iter().position(|k| k.name == name).map(bit) {
            Some(Some(bit)) => self.read & bit != 0,
            Some(None) => self.used.contains(&name),
            None => false,
        }
    }

    /// Span of the key's value, or of the table when absent.
    pub(crate) fn span_of(&self, key: &str) -> Range<usize> {
        self.table.get(key).map_or_else(|| self.span.clone(), |v| v.span())
    }

    /// Returns true if and only if the key is present.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    /// Refuses a declared key that this formula has no use for (`water` on an infusion):
    /// an `unexpected-key` error saying why, at the key's value.
    pub(crate) fn refuse(&mut self, key: &'static str, why: &str, diags: &mut Vec<Diagnostic>) {
        if self.get(key).is_some() {
            diags.push(
                Diagnostic::error(
                    Code::UnexpectedKey,
                    format!("`{key}` is not used here: {why}"),
                    self.span_of(key),
                )
                .with_help(format!("remove `{key}`")),
            );
        }
    }

    /// Takes a declared key that is refused wherever it is written (an output option in a
    /// batch file): its value's span, and its text when it is a string, when it is there;
    /// the key counted as read.
    pub(crate) fn take_refused(&mut self, key: &'static str) -> Option<(Range<usize>, Option<String>)> {
        self.get(key).map(|v| (v.span(), v.get_ref().as_str().map(str::to_string)))
    }

    /// A TOML date or time written for `key`: its span and its text, the key counted as
    /// read; `None` for any other value.
    pub(crate) fn datetime(&mut self, key: &'static str) -> Option<(Range<usize>, String)> {
        let v = self.table.get(key)?;
        let DeValue::Datetime(d) = v.get_ref() else { return None };
        self.get(key);
        Some((v.span(), d.to_string()))
    }

    /// Returns true if and only if the table holds an unknown key that is a misspelling
    /// of `key` (`storgae`): `finish` reports it with "did you mean", and `key` is not
    /// reported missing a second time (SPEC §13.1).
    ///
    /// Only the unknown keys that `finish` gives a suggestion are looked at (the first
    /// [`MAX_DIAGNOSTICS`]), so the cost is bounded whatever the file holds.
    pub(crate) fn misspelled(&self, key: &str) -> bool {
        let expected: Vec<&str> = self.spec.names().collect();
        self.table
            .iter()
            .map(|(k, _)| -> &str { k.get_ref() })
            .filter(|name| !expected.contains(name))
            .take(MAX_DIAGNOSTICS)
            .any(|name| closest(name, &expected) == Some(key))
    }

    /// How to write `key` when it is missing or empty (`add` or `write`), naming no value
    /// the author did not choose (SPEC §13.1): the choices of a choice, the unit of a
    /// quantity, else what the key holds. `choices` narrows a choice to those that apply.
    pub(crate) fn how_to_write(&self, verb: &str, key: &str, choices: Option<&[&str]>) -> String {
        let decl = self.spec.key(key);
        let about = decl.map_or("", |k| k.about);
        let quoted = |c: &[&str]| {
            let all: Vec<String> = c.iter().map(|w| format!("\"{w}\"")).collect();
            match all.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                _ => all.join(""),
            }
        };
        match (choices, decl.map(|k| k.value)) {
            (Some(c), _) | (None, Some(super::format::Value::Choice(c))) => {
                format!("{verb} {key} = {}", quoted(c))
            }
            (
                None,
                Some(super::format::Value::Quantity(kind) | super::format::Value::QuantityOrCount(kind)),
            ) => match super::example::unit(kind, self.form) {
                Some(u) if u == "%" => format!("{verb} `{key} = \"…%\"`: {about}"),
                Some(u) => format!("{verb} `{key} = \"… {u}\"`: {about}"),
                None => format!("{verb} `{key} = \"…\"`: {about}"),
            },
            _ => format!("{verb} `{key} = \"…\"`: {about}"),
        }
    }

    fn missing(&self, key: &str, choices: Option<&[&str]>, diags: &mut Vec<Diagnostic>) {
        if self.misspelled(key) {
            return;
        }
        diags.push(
            Diagnostic::error(
                Code::MissingKey,
                format!("missing key `{key}` in {}", self.label),
                self.span.clone(),
            )
            .with_help(self.how_to_write("add", key, choices)),
        );
    }

    /// Reports `v`, the value of `key`, as not `want` (a TOML float with its own help).
    pub(crate) fn wrong_type(
        &self,
        key: &str,
        v: &Spanned<DeValue<'_>>,
        want: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        self.wrong_type_of(key, self.spec.key(key).map(|k| k.value), v, want, diags);
    }

    /// Like [`Self::wrong_type`], for a key that holds `value` whether or not the table
    /// declares it (an ingredient's id in a batch file's `[actual]`).
    pub(crate) fn wrong_type_of(
        &self,
        key: &str,
        value: Option<super::format::Value>,
        v: &Spanned<DeValue<'_>>,
        want: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        let d = match v.get_ref() {
            DeValue::Float(f) => Diagnostic::error(
                Code::TomlFloat,
                format!("`{key} = {}` is a TOML float, which passes through binary floating point and can lose digits", f.as_str()),
                v.span(),
            )
            .with_help(match &self.float_unit {
                Some((k, unit)) if *k == key => {
                    format!("write it as a quoted string with its unit, e.g. `{key} = \"{} {unit}\"`", f.as_str())
                }
                _ => super::example::float_help(key, f.as_str(), value, self.form),
            }),
            other => Diagnostic::error(
                Code::WrongType,
                format!("`{key}` in {} is {}, expected {want}", self.label, kind(other)),
                v.span(),
            ),
        };
        diags.push(d);
    }

    /// An optional string.
    pub(crate) fn opt_str(&mut self, key: &'static str, diags: &mut Vec<Diagnostic>) -> Option<Text> {
        let v = self.get(key)?;
        self.str_value(key, v, diags)
    }

    /// `v`, the value of `key`, as a string.
    fn str_value(&self, key: &str, v: &Spanned<DeValue<'_>>, diags: &mut Vec<Diagnostic>) -> Option<Text> {
        match v.get_ref() {
            DeValue::String(s) => {
                hidden_characters(key, s, v.span(), diags);
                Some(Text { value: s.to_string(), span: v.span() })
            }
            _ => {
                self.wrong_type(key, v, "a string", diags);
                None
            }
        }
    }

    /// A required string.
    pub(crate) fn str(&mut self, key: &'static str, diags: &mut Vec<Diagnostic>) -> Option<Text> {
        self.required_str(key, None, diags)
    }

    fn required_str(
        &mut self,
        key: &'static str,
        choices: Option<&[&str]>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Text> {
        match self.get(key) {
            Some(v) => self.str_value(key, v, diags),
            // A key the format does not declare is never read, present or not.
            None if self.has(key) => None,
            None => {
                self.missing(key, choices, diags);
                None
            }
        }
    }

    /// A required non-empty string.
    pub(crate) fn non_empty(&mut self, key: &'static str, diags: &mut Vec<Diagnostic>) -> Option<Text> {
        self.non_empty_of(key, None, diags)
    }

    /// A required non-empty string, one of `choices` when they are given (the help of a
    /// missing one lists only those).
    pub(crate) fn non_empty_of(
        &mut self,
        key: &'static str,
        choices: Option<&[&str]>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Text> {
        let t = self.required_str(key, choices, diags)?;
        if t.value.trim().is_empty() {
            diags.push(
                Diagnostic::error(Code::EmptyValue, format!("`{key}` is empty"), t.span)
                    .with_help(self.how_to_write("write", key, choices)),
            );
            return None;
        }
        Some(t)
    }

    /// An optional boolean.
    pub(crate) fn opt_bool(&mut self, key: &'static str, diags: &mut Vec<Diagnostic>) -> Option<bool> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, v, "`true` or `false`", diags);
                None
            }
        }
    }

    /// An optional non-negative integer (a count), as a decimal.
    pub(crate) fn opt_int(
        &mut self,
        key: &'static str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(Decimal, Range<usize>)> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Integer(i) => match parse_int(i.as_str(), i.radix()) {
                Ok(n) => Some((n, v.span())),
                Err(e) => {
                    diags.push(int_error(key, i.as_str(), e, v.span()));
                    None
                }
            },
            _ => {
                self.wrong_type(key, v, "a whole number", diags);
                None
            }
        }
    }

    /// An optional value that may be a TOML integer or a string (a count such as
    /// `quantity = 96` or `quantity = "96 troches"`), returned as text.
    pub(crate) fn opt_count_text(&mut self, key: &'static str, diags: &mut Vec<Diagnostic>) -> Option<Text> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => {
                hidden_characters(key, s, v.span(), diags);
                Some(Text { value: s.to_string(), span: v.span() })
            }
            // Read as a TOML integer (`+96`, `1_000`), then handed on as plain digits.
            DeValue::Integer(i) if i.radix() == 10 => match parse_int(i.as_str(), 10) {
                Ok(n) => Some(Text { value: n.to_string(), span: v.span() }),
                Err(e) => {
                    diags.push(int_error(key, i.as_str(), e, v.span()));
                    None
                }
            },
            _ => {
                self.wrong_type(key, v, "a string", diags);
                None
            }
        }
    }

    /// An optional string parsed by `parse`, with the parse error as a diagnostic.
    pub(crate) fn opt_parsed<T>(
        &mut self,
        key: &'static str,
        diags: &mut Vec<Diagnostic>,
        parse: impl FnOnce(&str) -> Result<T, QuantityError>,
    ) -> Option<(T, Range<usize>)> {
        let t = self.opt_str(key, diags)?;
        parse_text(&t, diags, parse).map(|v| (v, t.span))
    }

    /// An optional string, or an array of strings (a flag given more than once): each one.
    pub(crate) fn opt_strs(&mut self, key: &'static str, diags: &mut Vec<Diagnostic>) -> Vec<Text> {
        match self.table.get(key).map(|v| v.get_ref()) {
            Some(DeValue::Array(_)) => self.opt_str_array(key, diags),
            _ => self.opt_str(key, diags).into_iter().collect(),
        }
    }

    /// An optional array of strings.
    pub(crate) fn opt_str_array(&mut self, key: &'static str, diags: &mut Vec<Diagnostic>) -> Vec<Text> {
        let Some(v) = self.get(key) else { return Vec::new() };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, "an array of strings", diags);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => {
                    hidden_characters(key, s, item.span(), diags);
                    out.push(Text { value: s.to_string(), span: item.span() });
                }
                other => diags.push(Diagnostic::error(
                    Code::WrongType,
                    format!("an entry of `{key}` is {}, expected a string", kind(other)),
                    item.span(),
                )),
            }
        }
        out
    }

    /// An optional sub-table.
    pub(crate) fn opt_table(
        &mut self,
        key: &'static str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(&'a DeTable<'i>, Range<usize>)> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some((t, v.span())),
            _ => {
                self.wrong_type(key, v, "a table", diags);
                None
            }
        }
    }

    /// An optional array of tables (`[[key]]`).
    pub(crate) fn opt_table_array(
        &mut self,
        key: &'static str,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(&'a DeTable<'i>, Range<usize>)> {
        let Some(v) = self.get(key) else { return Vec::new() };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, "an array of tables", diags);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push((t, item.span())),
                other => diags.push(Diagnostic::error(
                    Code::WrongType,
                    format!("an entry of `{key}` is {}, expected a table", kind(other)),
                    item.span(),
                )),
            }
        }
        out
    }

    /// Reports every key that no one asked for.
    ///
    /// Nothing to do when every key of the table was read; else linear in the number of
    /// keys: each is looked up among the schema's few dozen, and a suggestion costs at most a few small edit
    /// distances. Only the first [`MAX_DIAGNOSTICS`] unknown keys of a table get a
    /// message and a suggestion: a file reports at most that many diagnostics (the rest
    /// are counted, see [`super::diagnostic::cap`]), and every later key of the same table
    /// comes after them in the file, so it would only be counted. A 1 MiB file of unknown
    /// keys (174,643 of them) would otherwise build 174,643 messages and help lines.
    pub(crate) fn finish(self, diags: &mut Vec<Diagnostic>) {
        if self.found == self.table.len() {
            return;
        }
        let mut unknown = 0usize;
        for (key, _) in self.table.iter() {
            let name: &str = key.get_ref();
            if self.was_read(name) {
                continue;
            }
            unknown = unknown.saturating_add(1);
            if unknown > MAX_DIAGNOSTICS {
                let message = format!("unknown key in {} (one of many)", self.label);
                diags.push(Diagnostic::error(Code::UnknownKey, message, key.span()));
                continue;
            }
            let mut d = Diagnostic::error(
                Code::UnknownKey,
                format!("unknown key `{}` in {}", shorten(name), self.label),
                key.span(),
            );
            let expected: Vec<&str> = self.spec.names().collect();
            d = match closest(name, &expected) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!("expected one of {}", list(&expected))),
            };
            diags.push(d);
        }
    }
}

fn list(keys: &[&str]) -> String {
    keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

/// The longest name shown in a message; a longer one (a key can be 1 MB long) is cut,
/// with `…`.
const MAX_SHOWN_NAME: usize = 64;

/// `name`, or its first [`MAX_SHOWN_NAME`] characters and `…`.
fn shorten(name: &str) -> String {
    match name.char_indices().nth(MAX_SHOWN_NAME) {
        Some((at, _)) => format!("{}…", name.get(..at).unwrap_or(name)),
        None => name.to_string(),
    }
}

/// Names longer than this get no suggestion: every key of the schema and every id is
/// no longer, and two characters of difference cannot bridge the gap.
const MAX_SUGGESTED: usize = 64;

/// The expected name (a key, a placeholder) nearest to a misspelt one
/// (edit distance ≤ 2).
///
/// Bounded in cost whatever the name: a name of more than [`MAX_SUGGESTED`] characters
/// is not compared at all, and a candidate whose length differs by more than 2 is skipped
/// (its distance is more than 2).
pub(crate) fn closest<'k>(name: &str, expected: &[&'k str]) -> Option<&'k str> {
    if name.chars().nth(MAX_SUGGESTED).is_some() {
        return None;
    }
    let len = name.chars().count();
    let mut best: Option<(usize, &'k str)> = None;
    for k in expected {
        if len.abs_diff(k.chars().take(MAX_SUGGESTED.saturating_add(1)).count()) > 2 {
            continue;
        }
        let Some(d) = distance(name, k) else { continue };
        if d <= 2 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

/// The Levenshtein distance of two names of at most [`MAX_SUGGESTED`] characters each
/// (`None` for a longer one, which is never compared: its cost would grow with it).
pub(crate) fn distance(a: &str, b: &str) -> Option<usize> {
    let short = |s: &str| s.chars().nth(MAX_SUGGESTED).is_none();
    (short(a) && short(b)).then(|| strsim::levenshtein(a, b))
}

#[cfg(test)]
mod tests {
    use super::values::IntError;
    use super::*;

    #[test]
    fn suggestions_for_typos() {
        assert_eq!(closest("ammount", &["amount", "name"]), Some("amount"));
        assert_eq!(closest("basis", &["basis"]), Some("basis"));
        assert_eq!(closest("zzzzzz", &["amount"]), None);
        assert_eq!(closest("nmae", &["amount", "name"]), Some("name"));
        assert_eq!(closest("µg", &["mg"]), Some("mg"));
        assert_eq!(distance("kitten", "sitting"), Some(3));
        assert_eq!(distance("", "abc"), Some(3));
        assert_eq!(distance(&"a".repeat(65), "a"), None);
        // Lengths that differ by more than 2 are never close; long names are not compared.
        assert_eq!(closest("a", &["abcd"]), None);
        assert_eq!(closest(&"a".repeat(1_000_000), &["amount"]), None);
        assert_eq!(closest(&format!("{}x", "amount".repeat(6)), &["amount"]), None);
    }

    #[test]
    fn long_names_are_shortened_in_messages() {
        assert_eq!(shorten("amount"), "amount");
        let long = "é".repeat(100);
        assert_eq!(shorten(&long), format!("{}…", "é".repeat(64)));
        assert_eq!(shorten(&"a".repeat(64)), "a".repeat(64));
    }

    #[test]
    fn hidden_characters_in_text_are_errors() {
        let mut diags = Vec::new();
        hidden_characters("name", "Ketamine\u{1b}[2J", 0..1, &mut diags);
        hidden_characters("text", "Step one,\tthen\nstep two", 0..1, &mut diags);
        hidden_characters("text", "Step one\r\nstep two", 0..1, &mut diags);
        hidden_characters("name", "50 mg\u{202e}", 0..1, &mut diags);
        assert_eq!(diags.len(), 3);
        assert_eq!(diags[0].message, "`name` holds the hidden character U+001B (escape)");
        assert_eq!(diags[1].message, "`text` holds the hidden character U+000D (carriage return)");
        assert!(diags[1].help.as_deref().unwrap().contains("LF (Unix) line endings"), "{:?}", diags[1]);
        assert_eq!(diags[2].message, "`name` holds the hidden character U+202E (right-to-left override)");
        assert!(diags.iter().all(|d| d.code == Code::HiddenCharacter));
    }

    #[test]
    fn integers_in_any_radix_but_never_negative() {
        assert_eq!(parse_int("6", 10), Ok(Decimal::from(6)));
        assert_eq!(parse_int("+5", 10), Ok(Decimal::from(5)));
        assert_eq!(parse_int("-0", 10), Ok(Decimal::ZERO));
        assert_eq!(parse_int("1_000", 10), Ok(Decimal::from(1000)));
        assert_eq!(parse_int("0x10", 16), Ok(Decimal::from(16)));
        assert_eq!(parse_int("-1", 10), Err(IntError::Negative));
        assert_eq!(parse_int("9223372036854775807", 10), Ok(Decimal::from(i64::MAX)));
        assert_eq!(parse_int("-9223372036854775808", 10), Err(IntError::Negative));
        for out in
            ["9223372036854775808", "-9223372036854775809", "18446744073709551616", "0xffffffffffffffff"]
        {
            let radix = if out.starts_with("0x") { 16 } else { 10 };
            assert_eq!(parse_int(out, radix), Err(IntError::OutOfRange), "{out}");
        }
    }
}
