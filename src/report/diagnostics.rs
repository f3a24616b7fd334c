//! Human-readable diagnostics: `path:line:col: error: message`, the source line with a
//! caret under the offending value, and a `help:` line.
//!
//! No line of this output can begin with what a CI runner reads as a command (a file named
//! `x\n::error file=…` would otherwise print a GitHub workflow command of its own): a file
//! name is written on one line, its line feeds, tabs and other hidden characters
//! ([`crate::hidden`]) escaped (`\n`); a message or a help line keeps the line breaks it is
//! written with (a list of ids, one a line), its hidden characters escaped and every line
//! after its first indented, so that none starts a line of output.

use std::borrow::Cow;
use std::fmt::Write;

use crate::formula::{Diagnostic, Located};
use crate::hidden::escape_line as one_line;

/// `text` with its hidden characters escaped and each line after the first that does not
/// start with white space indented by two spaces.
fn block(text: &str) -> Cow<'_, str> {
    let escaped = crate::hidden::escape(text);
    if !escaped.contains('\n') {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len().saturating_add(16));
    for (n, line) in escaped.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
            if !line.starts_with(char::is_whitespace) && !line.is_empty() {
                out.push_str("  ");
            }
        }
        out.push_str(line);
    }
    Cow::Owned(out)
}

/// The source line with carets under the span, in a gutter:
///
/// ```text
///    |
/// 12 | amount = 50.0
///    |          ^^^^
/// ```
fn snippet(out: &mut String, l: &Located) {
    let Some(src) = &l.source_line else { return };
    let pad = " ".repeat(l.line.to_string().len());
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{} | {src}", l.line);
    let _ = writeln!(out, "{pad} | {}{}", " ".repeat(l.caret), "^".repeat(l.width));
}

/// One diagnostic as `validate` prints it.
pub fn diagnostic(path: &str, l: &Located) -> String {
    let d = &l.diagnostic;
    let (path, message) = (one_line(path), block(&d.message));
    let mut out = String::new();
    if l.source_line.is_some() {
        let _ = writeln!(out, "{path}:{}:{}: {}: {message}", l.line, l.column, d.severity.as_str());
    } else {
        let _ = writeln!(out, "{path}: {}: {message}", d.severity.as_str());
    }
    snippet(&mut out, l);
    if let Some(help) = &d.help {
        let _ = writeln!(out, "help: {}", block(help));
    }
    out
}

/// A diagnostic's message with its `help:` on a second line, for the formats that carry
/// one text per diagnostic (GitHub workflow commands, SARIF).
pub(crate) fn with_help(d: &Diagnostic) -> String {
    match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    }
}

/// An error from a command, as `error: message`, then `--> file:line:col` and the
/// source line when the error lies in a file, and a `help:` line when the fix is known
/// (SPEC §4).
pub fn error(message: &str, location: Option<(&str, &Located)>, help: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "error: {}", block(message));
    if let Some((path, l)) = location {
        let _ = writeln!(out, "  --> {}:{}:{}", one_line(path), l.line, l.column);
        snippet(&mut out, l);
    }
    if let Some(help) = help {
        let _ = writeln!(out, "help: {}", block(help));
    }
    out
}

/// The closing line of `validate`.
pub fn summary(files: usize, errors: usize, warnings: usize) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "checked {}: {}, {}\n",
        plural(files, "file", "files"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;
    use crate::formula::Diagnostic;

    #[test]
    fn caret_under_the_value() {
        let text = "format = 1\namount = 50.0\n";
        let d = Diagnostic::error(Code::TomlFloat, "a float", 20..24).with_help("quote it");
        insta::assert_snapshot!(diagnostic("f.toml", &Located::new(text, d)), @r"
        f.toml:2:10: error: a float
          |
        2 | amount = 50.0
          |          ^^^^
        help: quote it
        ");
    }

    #[test]
    fn error_with_location() {
        let text = "a = 1\n";
        let d = Diagnostic::error(Code::BadValue, "bad", 4..5);
        insta::assert_snapshot!(error("bad", Some(("f.toml", &Located::new(text, d))), Some("fix it")), @r"
        error: bad
          --> f.toml:1:5
          |
        1 | a = 1
          |     ^
        help: fix it
        ");
    }

    #[test]
    fn no_line_of_output_begins_a_workflow_command() {
        let text = "a = 1\n";
        let d = Diagnostic::error(Code::BadValue, "cannot read `x\n::error file=y::pwned`", 4..5)
            .with_help("see\n::warning::z");
        let out = diagnostic(
            "dir/x\n::error file=a.toml,line=1::fake\u{202e}.toml",
            &Located::new(text, d.clone()),
        );
        assert!(out.lines().all(|l| !l.starts_with("::")), "{out}");
        assert!(
            out.starts_with(
                "dir/x\\n::error file=a.toml,line=1::fake\\u{202e}.toml:1:5: error: cannot read `x\n  ::error"
            ),
            "{out}"
        );
        // A message written on several lines keeps them, indented as they are.
        assert_eq!(block("which has:\n    a\n    b"), "which has:\n    a\n    b");
        let out =
            error(&d.message, Some(("x\n::error::p", &Located::new(text, d.clone()))), d.help.as_deref());
        assert!(out.lines().all(|l| !l.starts_with("::")), "{out}");
    }

    #[test]
    fn summary_line() {
        assert_eq!(summary(1, 0, 2), "checked 1 file: 0 errors, 2 warnings\n");
        assert_eq!(summary(7, 1, 1), "checked 7 files: 1 error, 1 warning\n");
    }
}
