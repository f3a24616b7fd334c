//! Diagnostics: one problem found in a formula file, with where it is and how to fix it.

use std::ops::Range;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The formula cannot be used until this is fixed.
    Error,
    /// The formula can be used, but a pharmacist should look.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in a formula file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable, kebab-case code (`unknown-key`, `toml-float`, …).
    pub code: &'static str,
    /// What is wrong (lowercase, user values in backticks).
    pub message: String,
    /// Byte range of the offending value in the file (`None`: the file as a whole).
    pub span: Option<Range<usize>>,
    /// How to fix it, when known.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(code: &'static str, message: impl Into<String>, span: Range<usize>) -> Self {
        Diagnostic { severity: Severity::Error, code, message: message.into(), span: Some(span), help: None }
    }

    /// A warning at `span`.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Range<usize>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            message: message.into(),
            span: Some(span),
            help: None,
        }
    }

    /// An error about the file as a whole (unreadable, too large, …).
    pub fn file_error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, message: message.into(), span: None, help: None }
    }

    /// Adds a `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a `help:` line when there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Returns true if and only if this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A diagnostic with its position worked out, holding only the part of the one source
/// line it needs, so that a report on many files does not keep every file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The diagnostic.
    pub diagnostic: Diagnostic,
    /// 1-based line (1 when the diagnostic is about the whole file).
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// The source line (a window of it around the column when it is long), when the
    /// diagnostic has a span.
    pub source_line: Option<String>,
    /// Where the caret goes in `source_line`, in characters from its start.
    pub caret: usize,
    /// How many characters the span covers (at least 1).
    pub width: usize,
}

/// Source lines longer than this are shown as a window around the column.
const MAX_SHOWN: usize = 100;

impl Located {
    /// Locates `d` in `text`.
    pub fn new(text: &str, d: Diagnostic) -> Located {
        let Some(span) = d.span.clone() else {
            return Located { diagnostic: d, line: 1, column: 1, source_line: None, caret: 0, width: 1 };
        };
        let (line, column) = line_col(text, span.start);
        let (src, line_start) = line_at(text, span.start);
        let from = span.start.saturating_sub(line_start).min(src.len());
        let to = span.end.saturating_sub(line_start).min(src.len());
        let width = src.get(from..to).map_or(1, |s| s.chars().count()).max(1);
        let chars: Vec<char> = src.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let col0 = column.saturating_sub(1);
        let (shown, caret) = if chars.len() <= MAX_SHOWN {
            (chars.iter().collect::<String>(), col0)
        } else {
            let start = col0.saturating_sub(MAX_SHOWN / 2).min(chars.len().saturating_sub(MAX_SHOWN));
            let end = start.saturating_add(MAX_SHOWN).min(chars.len());
            let mut shown: String = chars.get(start..end).map(|w| w.iter().collect()).unwrap_or_default();
            let mut caret = col0.saturating_sub(start);
            if start > 0 {
                shown.insert(0, '…');
                caret = caret.saturating_add(1);
            }
            if end < chars.len() {
                shown.push('…');
            }
            (shown, caret)
        };
        let width = width.min(MAX_SHOWN);
        Located { diagnostic: d, line, column, source_line: Some(shown), caret, width }
    }
}

/// A 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count().saturating_add(1);
    let line_start = before.rfind('\n').map_or(0, |i| i.saturating_add(1));
    let col = before.get(line_start..).map_or(0, |s| s.chars().count()).saturating_add(1);
    (line, col)
}

/// The full text of the line holding byte `offset`, and the byte offset where it starts.
pub fn line_at(text: &str, offset: usize) -> (&str, usize) {
    let offset = offset.min(text.len());
    let start = text.get(..offset).and_then(|s| s.rfind('\n')).map_or(0, |i| i.saturating_add(1));
    let rest = text.get(start..).unwrap_or("");
    let line = rest.split('\n').next().unwrap_or("").trim_end_matches('\r');
    (line, start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based() {
        let text = "a = 1\nbb = \"µg\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 11), (2, 6));
        // Columns count characters, not bytes: `µ` is two bytes.
        assert_eq!(line_col(text, 14), (2, 8));
        assert_eq!(line_at(text, 8), ("bb = \"µg\"", 6));
        assert_eq!(line_col(text, 1000), (3, 1));
    }

    #[test]
    fn long_lines_are_windowed_around_the_column() {
        let text = format!("a = {}x{}", "[".repeat(300), "]".repeat(300));
        let l = Located::new(&text, Diagnostic::error("c", "m", 304..305));
        let shown = l.source_line.unwrap();
        assert!(shown.chars().count() <= MAX_SHOWN + 2, "{shown}");
        assert_eq!(shown.chars().nth(l.caret), Some('x'));
        assert_eq!((l.line, l.column), (1, 305));
    }
}
