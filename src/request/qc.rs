//! `[qc]` (SPEC §14.1): each QC check's result by its number on the worksheet, `pass` or
//! `fail`, optionally followed by `:` and what was seen (`"pass: pH 4.6"`).

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::format::BATCH_FILE;
use super::load::one_line;
use crate::codes::Code;
use crate::formula::{Diagnostic, TableReader, Text};

/// A check's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The check passed.
    Pass,
    /// The check failed.
    Fail,
}

impl Outcome {
    /// How a batch file writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
        }
    }
}

/// The result of one QC check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QcResult {
    /// The check's number on the worksheet, from 1.
    pub check: usize,
    /// Where the number is (the key).
    pub check_span: Range<usize>,
    /// Passed or failed.
    pub outcome: Outcome,
    /// What was seen, when written after `:`.
    pub note: Option<String>,
    /// Where the result is.
    pub span: Range<usize>,
}

pub(super) fn read(t: &DeTable<'_>, span: Range<usize>, diags: &mut Vec<Diagnostic>) -> Vec<QcResult> {
    let all = TableReader::new(t, span, &BATCH_FILE).labelled("[qc]".to_string());
    let mut out = Vec::new();
    for (key, value) in t.iter() {
        let number: &str = key.get_ref();
        let Some(check) = check_number(number) else {
            diags.push(
                Diagnostic::error(
                    Code::BadValue,
                    format!("`{number}` in [qc] is not a QC check's number"),
                    key.span(),
                )
                .with_help("give each result under its check's number on the worksheet: `1 = \"pass\"`"),
            );
            continue;
        };
        let DeValue::String(s) = value.get_ref() else {
            all.wrong_type(number, value, "`\"pass\"` or `\"fail\"`, optionally with `: ` and a note", diags);
            continue;
        };
        let Some(t) = one_line(number, Text { value: s.to_string(), span: value.span() }, diags) else {
            continue;
        };
        match parse(&t.value) {
            Some((outcome, note)) => {
                out.push(QcResult { check, check_span: key.span(), outcome, note, span: t.span });
            }
            None => diags.push(
                Diagnostic::error(Code::BadValue, format!("`{number} = \"{}\"` is not a QC result", t.value), t.span)
                    .with_help(format!("write `{number} = \"pass\"` or `\"fail\"`, and what was seen after `: `, like `\"pass: pH 4.6\"`")),
            ),
        }
    }
    out
}

/// A check's number as the worksheet prints it: `1`, `2`, … (no sign, no leading zero).
fn check_number(key: &str) -> Option<usize> {
    let canonical = key.bytes().all(|b| b.is_ascii_digit()) && !key.starts_with('0') && key.len() <= 9;
    if canonical { key.parse().ok() } else { None }
}

/// `pass` or `fail`, then optionally `:` and a note that is not blank.
fn parse(text: &str) -> Option<(Outcome, Option<String>)> {
    let (word, note) = match text.split_once(':') {
        Some((word, note)) => (word, Some(note.trim()).filter(|n| !n.is_empty()).map(str::to_string)),
        None => (text, None),
    };
    if text.contains(':') && note.is_none() {
        return None;
    }
    let outcome = match word.trim() {
        "pass" => Outcome::Pass,
        "fail" => Outcome::Fail,
        _ => return None,
    };
    Some((outcome, note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_and_notes() {
        assert_eq!(parse("pass"), Some((Outcome::Pass, None)));
        assert_eq!(parse(" fail "), Some((Outcome::Fail, None)));
        assert_eq!(parse("pass: pH 4.6"), Some((Outcome::Pass, Some("pH 4.6".to_string()))));
        assert_eq!(
            parse("fail:cloudy: particles"),
            Some((Outcome::Fail, Some("cloudy: particles".to_string())))
        );
        for bad in ["", "ok", "Pass", "passed", "pass:", "pass:  ", "pass pH 4.6"] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        assert_eq!(check_number("1"), Some(1));
        assert_eq!(check_number("12"), Some(12));
        for bad in ["0", "01", "-1", "+1", "one", "1.0", ""] {
            assert_eq!(check_number(bad), None, "{bad:?}");
        }
    }
}
