//! Reading one value of a table: a choice among its spellings, text free of hidden
//! characters, a string parsed by the project's grammar, an integer in any radix (never
//! negative), each failure a diagnostic at the value.

use std::ops::Range;

use rust_decimal::Decimal;

use super::super::Diagnostic;
use super::super::spelling::Word;
use super::{Text, list};
use crate::codes::Code;
use crate::hidden;
use crate::quantity::QuantityError;

/// The choice `t` spells, or a `bad-value` error listing the spellings.
pub(crate) fn choose<T: Word>(t: &Text, key: &str, diags: &mut Vec<Diagnostic>) -> Option<T> {
    let found = t.value.parse().ok();
    if found.is_none() {
        diags.push(
            Diagnostic::error(
                Code::BadValue,
                format!("`{key} = \"{}\"` is not one of the allowed values", t.value),
                t.span.clone(),
            )
            .with_help(format!("expected one of {}", list(T::SPELLINGS))),
        );
    }
    found
}

/// Reports a hidden character (SPEC §11.2: a control character other than line feed and
/// tab, a bidirectional control, U+2028 or U+2029) in a string: formula text is printed on
/// worksheets, labels and terminals, where `\u001b[2J` would clear the screen, a `\r`
/// let a name overwrite itself and U+202E show `50 mg` as `gm 05`. The span is the whole
/// string; the loader narrows it to the character ([`crate::formula::load`]).
pub(super) fn hidden_characters(key: &str, value: &str, span: Range<usize>, diags: &mut Vec<Diagnostic>) {
    if let Some(c) = hidden::find_hidden(value) {
        diags.push(hidden_character(key, c, value.contains("\r\n"), span));
    }
}

/// The `hidden-character` error for `c` in the value of `key`; `crlf` says that the value
/// holds a CR before a line feed, the line break of a file saved with CRLF endings.
pub(crate) fn hidden_character(key: &str, c: char, crlf: bool, span: Range<usize>) -> Diagnostic {
    let help = if c == '\r' && crlf {
        "save the file with LF (Unix) line endings: a multi-line string keeps the CR of each CRLF line break"
    } else {
        "remove it: formula text is printed on worksheets, labels and terminals, where it would change what is shown"
    };
    Diagnostic::error(
        Code::HiddenCharacter,
        format!("`{key}` holds the hidden character {}", hidden::describe(c)),
        span,
    )
    .with_help(help)
}

/// Parses a string value, turning a grammar error into a diagnostic at the value.
pub(crate) fn parse_text<T>(
    t: &Text,
    diags: &mut Vec<Diagnostic>,
    parse: impl FnOnce(&str) -> Result<T, QuantityError>,
) -> Option<T> {
    match parse(&t.value) {
        Ok(v) => Some(v),
        Err(e) => {
            let code = match e {
                QuantityError::UnknownUnit { .. }
                | QuantityError::BarePercent { .. }
                | QuantityError::MissingUnit { .. } => Code::BadUnit,
                QuantityError::WrongDimension { .. } => Code::WrongDimension,
                _ => Code::BadNumber,
            };
            diags.push(Diagnostic::error(code, e.to_string(), t.span.clone()).with_help_opt(e.help()));
            None
        }
    }
}

/// Why a TOML integer is not a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IntError {
    /// Below zero.
    Negative,
    /// Outside TOML's 64-bit signed range, which a parser may not accept.
    OutOfRange,
}

/// A TOML integer (`6`, `+6`, `1_000`, `0x10`) as a count: from 0 upward, within TOML's
/// range of 64-bit signed integers (`-0` is 0).
pub(super) fn parse_int(text: &str, radix: u32) -> Result<Decimal, IntError> {
    let digits: String = text.chars().filter(|c| *c != '_').collect();
    let (negative, unsigned) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits.strip_prefix('+').unwrap_or(&digits)),
    };
    let unsigned = unsigned
        .strip_prefix("0x")
        .or_else(|| unsigned.strip_prefix("0o"))
        .or_else(|| unsigned.strip_prefix("0b"))
        .unwrap_or(unsigned);
    // A digit string the parser let through that does not fit in 64 bits is out of range.
    let n = u64::from_str_radix(unsigned, radix).map_err(|_| IntError::OutOfRange)?;
    match (negative, n) {
        (_, 0) => Ok(Decimal::ZERO),
        (true, n) if n <= i64::MIN.unsigned_abs() => Err(IntError::Negative),
        (false, n) if i64::try_from(n).is_ok() => Ok(Decimal::from(n)),
        _ => Err(IntError::OutOfRange),
    }
}

pub(super) fn int_error(key: &str, text: &str, e: IntError, span: Range<usize>) -> Diagnostic {
    match e {
        IntError::Negative => Diagnostic::error(
            Code::BadInteger,
            format!("`{key} = {text}` must be a whole number from 0 upward"),
            span,
        ),
        IntError::OutOfRange => Diagnostic::error(
            Code::BadInteger,
            format!(
                "`{key} = {text}` is outside the range of TOML integers (-9223372036854775808 to 9223372036854775807)"
            ),
            span,
        )
        .with_help(format!("write `{key}` as a whole number that fits, from 0 upward")),
    }
}
