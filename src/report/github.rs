//! `validate --format github`: one GitHub Actions workflow command per diagnostic,
//! `::error file=F,line=L,col=C,title=CODE::MESSAGE` (or `::warning`), which a workflow
//! run shows as an annotation on the file's line in a pull request.
//!
//! Escaping follows GitHub's runner (`actions/toolkit`, `command.ts`): in the message,
//! `%` becomes `%25`, a carriage return `%0D` and a line feed `%0A`; in a property
//! (`file=`, `title=`) also `:` becomes `%3A` and `,` becomes `%2C`.

use crate::formula::Located;

/// A message as a workflow command carries it.
fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// A property value (`file=`, `title=`) as a workflow command carries it.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One diagnostic of `path` as a workflow command line (with its line break); the `help:`
/// line, when there is one, is the message's second line. A diagnostic about the whole
/// file has no `line` and `col`.
pub fn diagnostic(path: &str, l: &Located) -> String {
    let d = &l.diagnostic;
    let mut properties = format!("file={}", escape_property(path));
    if l.source_line.is_some() {
        properties.push_str(&format!(",line={},col={}", l.line, l.column));
    }
    properties.push_str(&format!(",title={}", escape_property(d.code.as_str())));
    let message = super::diagnostics::with_help(d);
    format!("::{} {properties}::{}\n", d.severity.as_str(), escape_data(&message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;
    use crate::formula::Diagnostic;

    #[test]
    fn escapes_as_the_runner_reads_them() {
        assert_eq!(escape_data("50% of a\r\nb: c, d"), "50%25 of a%0D%0Ab: c, d");
        assert_eq!(escape_property("C:\\a,b%.toml"), "C%3A\\a%2Cb%25.toml");
    }

    #[test]
    fn one_line_per_diagnostic_with_place_title_and_help() {
        let text = "format = 1\namount = 50.0\n";
        let d = Diagnostic::error(Code::TomlFloat, "`amount = 50.0` is a float: 100% sure", 20..24)
            .with_help("write `\"50.0 mg\"`");
        insta::assert_snapshot!(diagnostic("dir, a/f:1.toml", &Located::new(text, d)), @r#"::error file=dir%2C a/f%3A1.toml,line=2,col=10,title=toml-float::`amount = 50.0` is a float: 100%25 sure%0Ahelp: write `"50.0 mg"`"#);
        let w = Diagnostic::file_error(Code::NotUtf8, "not text");
        let w = Diagnostic { severity: crate::formula::Severity::Warning, ..w };
        assert_eq!(
            diagnostic("f.toml", &Located::new("", w)),
            "::warning file=f.toml,title=not-utf8::not text\n"
        );
    }
}
