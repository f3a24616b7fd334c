//! Diagnostics: one problem found in a formula file, with where it is and how to fix it.

use crate::codes::Code;
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
    /// Its code (`unknown-key`, `toml-float`, …).
    pub code: Code,
    /// What is wrong (lowercase, user values in backticks).
    pub message: String,
    /// Byte range of the offending value in the file (`None`: the file as a whole).
    pub span: Option<Range<usize>>,
    /// How to fix it, when known.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(code: Code, message: impl Into<String>, span: Range<usize>) -> Self {
        Diagnostic { severity: Severity::Error, code, message: message.into(), span: Some(span), help: None }
    }

    /// A warning at `span`.
    pub fn warning(code: Code, message: impl Into<String>, span: Range<usize>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            message: message.into(),
            span: Some(span),
            help: None,
        }
    }

    /// An error about the file as a whole (unreadable, too large, …).
    pub fn file_error(code: Code, message: impl Into<String>) -> Self {
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

/// The most diagnostics reported for one file. A 1 MiB file can hold hundreds of
/// thousands of problems (174,643 unknown keys); past the first few hundred they help no
/// one, and reporting them all took seconds and hundreds of megabytes.
pub const MAX_DIAGNOSTICS: usize = 200;

/// The code of the diagnostic that stands for those left out.
pub const TOO_MANY: Code = Code::TooManyDiagnostics;

/// How many diagnostics of a file were found but left out of its report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Omitted {
    /// Errors left out.
    pub errors: usize,
    /// Warnings left out.
    pub warnings: usize,
}

impl Omitted {
    /// Counts `n` more diagnostics of `severity`.
    pub(crate) fn count(&mut self, severity: Severity, n: usize) {
        match severity {
            Severity::Error => self.errors = self.errors.saturating_add(n),
            Severity::Warning => self.warnings = self.warnings.saturating_add(n),
        }
    }

    fn total(self) -> usize {
        self.errors.saturating_add(self.warnings)
    }
}

/// The diagnostics of one scan of one text (its placeholders, or the quantities written
/// in it): the first [`MAX_DIAGNOSTICS`] are built, the rest only counted in `unbuilt`.
/// A scan finds its problems in the order of the text, so every one it does not build
/// comes after [`MAX_DIAGNOSTICS`] of its own in the file and could never be among those
/// a file reports ([`cap`]); the counts stay exact. A text of 340,000 bad placeholders
/// once built 340,000 messages (130 MB).
pub(crate) struct PerText<'a> {
    diags: &'a mut Vec<Diagnostic>,
    unbuilt: &'a mut Omitted,
    built: usize,
}

impl<'a> PerText<'a> {
    /// A scan that adds to `diags`, counting in `unbuilt` what it does not build.
    pub(crate) fn new(diags: &'a mut Vec<Diagnostic>, unbuilt: &'a mut Omitted) -> Self {
        PerText { diags, unbuilt, built: 0 }
    }

    /// Adds the diagnostic `make` builds, or counts one of `severity`.
    pub(crate) fn push(&mut self, severity: Severity, make: impl FnOnce() -> Diagnostic) {
        if self.built < MAX_DIAGNOSTICS {
            self.diags.push(make());
            self.built = self.built.saturating_add(1);
        } else {
            self.unbuilt.count(severity, 1);
        }
    }
}

/// Keeps the first [`MAX_DIAGNOSTICS`] of `diags` (in the order they are reported),
/// counts the rest and those `unbuilt` (found by a scan of one text and never built, as
/// their place in the file is past the first [`MAX_DIAGNOSTICS`] anyway), and appends one diagnostic about
/// the file as a whole that says how many were left out (an error when any of them is).
/// Returns what was left out; a count of a file's problems is the diagnostics kept, less
/// that one, plus these.
pub fn cap(diags: &mut Vec<Diagnostic>, unbuilt: Omitted) -> Omitted {
    if diags.len() <= MAX_DIAGNOSTICS && unbuilt.total() == 0 {
        return Omitted::default();
    }
    let rest = diags.split_off(MAX_DIAGNOSTICS.min(diags.len()));
    let mut omitted = unbuilt;
    for d in &rest {
        omitted.count(d.severity, 1);
    }
    let errors = omitted.errors;
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let message = format!(
        "and {} in this file ({}, {}), not shown: only the first {MAX_DIAGNOSTICS} are reported",
        plural(omitted.total(), "more problem", "more problems"),
        plural(omitted.errors, "error", "errors"),
        plural(omitted.warnings, "warning", "warnings"),
    );
    let d = if errors > 0 {
        Diagnostic::file_error(TOO_MANY, message)
    } else {
        Diagnostic { severity: Severity::Warning, code: TOO_MANY, message, span: None, help: None }
    };
    diags.push(d.with_help("fix the problems above, then check the file again to see the next ones"));
    omitted
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
        let start = d.span.as_ref().map_or(0, |s| floor_boundary(text, s.start));
        let (line, column) = line_col(text, start);
        Located::at(text, d, line, column)
    }

    /// Locates every diagnostic of one text, keeping their order. The text is walked
    /// once, and each source line is read only around its column, so that a file with
    /// many diagnostics (a 1 MiB file can hold 100,000) costs time in proportion to its
    /// length, not to its length times the number of diagnostics.
    pub fn all(text: &str, diags: Vec<Diagnostic>) -> Vec<Located> {
        let mut keyed: Vec<(usize, usize, Diagnostic)> = diags
            .into_iter()
            .enumerate()
            .map(|(i, d)| (d.span.as_ref().map_or(0, |s| floor_boundary(text, s.start)), i, d))
            .collect();
        keyed.sort_by_key(|(start, i, _)| (*start, *i));
        let (mut pos, mut line, mut column) = (0usize, 1usize, 1usize);
        let mut out: Vec<(usize, Located)> = keyed
            .into_iter()
            .map(|(start, i, d)| {
                for c in text.get(pos..start).unwrap_or("").chars() {
                    if c == '\n' {
                        line = line.saturating_add(1);
                        column = 1;
                    } else {
                        column = column.saturating_add(1);
                    }
                }
                pos = pos.max(start);
                (i, Located::at(text, d, line, column))
            })
            .collect();
        out.sort_by_key(|(i, _)| *i);
        out.into_iter().map(|(_, l)| l).collect()
    }

    /// Builds the located diagnostic once its line and column are known, reading at most
    /// a window of the source line around the column.
    fn at(text: &str, d: Diagnostic, line: usize, column: usize) -> Located {
        let Some(span) = d.span.clone() else {
            return Located { diagnostic: d, line: 1, column: 1, source_line: None, caret: 0, width: 1 };
        };
        let start = floor_boundary(text, span.start);
        // A tab, a control or a bidirectional character would move the caret off its mark
        // (or reorder the line): each shows as one space.
        let clean = |c: char| if c.is_control() || crate::hidden::is_hidden(c) { ' ' } else { c };
        let col0 = column.saturating_sub(1);
        let head = text.get(..start).unwrap_or("");
        let mut before: Vec<char> = head.chars().rev().take(col0.min(MAX_SHOWN)).map(clean).collect();
        before.reverse();
        let tail = text.get(start..).unwrap_or("");
        let mut after: Vec<char> =
            tail.chars().take_while(|c| *c != '\n').take(MAX_SHOWN.saturating_add(1)).collect();
        if after.len() <= MAX_SHOWN {
            // The whole rest of the line: drop the `\r` of a CRLF ending.
            while after.last() == Some(&'\r') {
                after.pop();
            }
        }
        let after: Vec<char> = after.into_iter().map(clean).collect();
        let line_len = col0.saturating_add(after.len());
        let (shown, caret) = if line_len <= MAX_SHOWN {
            (before.iter().chain(after.iter()).collect::<String>(), col0)
        } else {
            let from = col0.saturating_sub(MAX_SHOWN / 2).min(line_len.saturating_sub(MAX_SHOWN));
            let before_shown = col0.saturating_sub(from);
            let after_shown = MAX_SHOWN.saturating_sub(before_shown).min(after.len());
            let skip = before.len().saturating_sub(before_shown);
            let shown: String = before.iter().skip(skip).chain(after.iter().take(after_shown)).collect();
            elided(shown, before_shown, from > 0, after_shown < after.len())
        };
        let end = span.end.saturating_sub(start);
        let width = tail
            .char_indices()
            .take_while(|(i, c)| *i < end && *c != '\n')
            .take(MAX_SHOWN)
            .count()
            .clamp(1, MAX_SHOWN);
        Located { diagnostic: d, line, column, source_line: Some(shown), caret, width }
    }
}

/// A window of a long line, marked `…` where it was cut, the caret moved past a leading mark.
fn elided(mut shown: String, mut caret: usize, cut_before: bool, cut_after: bool) -> (String, usize) {
    if cut_before {
        shown.insert(0, '…');
        caret = caret.saturating_add(1);
    }
    if cut_after {
        shown.push('…');
    }
    (shown, caret)
}

/// The largest char boundary of `text` at or before `offset`.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o = o.saturating_sub(1);
    }
    o
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
    fn a_file_reports_at_most_max_diagnostics_and_counts_the_rest() {
        let mut few: Vec<Diagnostic> =
            (0..MAX_DIAGNOSTICS).map(|i| Diagnostic::error(Code::BadValue, "m", i..i)).collect();
        assert_eq!(cap(&mut few, Omitted::default()), Omitted::default());
        assert_eq!(few.len(), MAX_DIAGNOSTICS);

        let mut many: Vec<Diagnostic> = (0..1000)
            .map(|i| {
                if i % 4 == 0 {
                    Diagnostic::warning(Code::BadValue, "m", i..i)
                } else {
                    Diagnostic::error(Code::BadValue, "m", i..i)
                }
            })
            .collect();
        let omitted = cap(&mut many, Omitted::default());
        assert_eq!(omitted, Omitted { errors: 600, warnings: 200 });
        assert_eq!(many.len(), MAX_DIAGNOSTICS + 1);
        let last = many.last().unwrap();
        assert_eq!((last.code, last.severity, last.span.clone()), (TOO_MANY, Severity::Error, None));
        assert_eq!(
            last.message,
            "and 800 more problems in this file (600 errors, 200 warnings), not shown: only the first 200 are reported"
        );
        // Only warnings left out: the count is a warning too.
        let mut warnings: Vec<Diagnostic> =
            (0..201).map(|i| Diagnostic::warning(Code::BadValue, "m", i..i)).collect();
        assert_eq!(cap(&mut warnings, Omitted::default()), Omitted { errors: 0, warnings: 1 });
        assert_eq!(warnings.last().unwrap().severity, Severity::Warning);
        assert!(
            warnings
                .last()
                .unwrap()
                .message
                .starts_with("and 1 more problem in this file (0 errors, 1 warning)")
        );
        // Those a scan counted without building are counted with the rest.
        let mut some: Vec<Diagnostic> =
            (0..150).map(|i| Diagnostic::error(Code::BadValue, "m", i..i)).collect();
        let unbuilt = Omitted { errors: 340_000, warnings: 2 };
        assert_eq!(cap(&mut some, unbuilt), unbuilt);
        assert_eq!(some.len(), 151);
        assert!(
            some[150]
                .message
                .starts_with("and 340002 more problems in this file (340000 errors, 2 warnings)")
        );
    }

    #[test]
    fn a_scan_builds_the_first_diagnostics_and_counts_the_rest() {
        let (mut diags, mut unbuilt) = (Vec::new(), Omitted::default());
        let mut built = 0usize;
        let mut scan = PerText::new(&mut diags, &mut unbuilt);
        for i in 0..1000 {
            scan.push(Severity::Warning, || {
                built += 1;
                Diagnostic::warning(Code::BadValue, "m", i..i)
            });
        }
        assert_eq!((built, diags.len()), (MAX_DIAGNOSTICS, MAX_DIAGNOSTICS));
        assert_eq!(unbuilt, Omitted { errors: 0, warnings: 800 });
    }

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

    /// The first, simple form of [`Located::new`], which scanned the text from the start
    /// for every diagnostic: the reference for the linear-time version.
    fn located_slow(text: &str, d: Diagnostic) -> Located {
        let Some(span) = d.span.clone() else {
            return Located { diagnostic: d, line: 1, column: 1, source_line: None, caret: 0, width: 1 };
        };
        let (line, column) = line_col(text, span.start);
        let (src, line_start) = line_at(text, span.start);
        let from = span.start.saturating_sub(line_start).min(src.len());
        let to = span.end.saturating_sub(line_start).min(src.len());
        let width = src.get(from..to).map_or(1, |s| s.chars().count()).max(1);
        let chars: Vec<char> = src
            .chars()
            .map(|c| if c.is_control() || crate::hidden::is_hidden(c) { ' ' } else { c })
            .collect();
        let col0 = column.saturating_sub(1);
        let (shown, caret) = if chars.len() <= MAX_SHOWN {
            (chars.iter().collect::<String>(), col0)
        } else {
            let start = col0.saturating_sub(MAX_SHOWN / 2).min(chars.len().saturating_sub(MAX_SHOWN));
            let end = start.saturating_add(MAX_SHOWN).min(chars.len());
            let shown: String = chars.get(start..end).map(|w| w.iter().collect()).unwrap_or_default();
            elided(shown, col0.saturating_sub(start), start > 0, end < chars.len())
        };
        let width = width.min(MAX_SHOWN);
        Located { diagnostic: d, line, column, source_line: Some(shown), caret, width }
    }

    #[test]
    fn linear_locating_agrees_with_the_simple_form() {
        let alphabet = ['a', 'b', ' ', '\t', 'µ', '[', '='];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % u64::try_from(n.max(1)).unwrap()).unwrap()
        };
        for round in 0..400 {
            let len = next(if round % 4 == 0 { 700 } else { 160 });
            // Some texts with few newlines, so that long lines are windowed.
            let newline_odds = if round % 2 == 0 { 400 } else { 8 };
            let text: String = (0..len)
                .map(|_| if next(newline_odds) == 0 { '\n' } else { alphabet[next(alphabet.len())] })
                .collect();
            let boundaries: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
            let diags: Vec<Diagnostic> = (0..next(12))
                .map(|_| {
                    let a = boundaries[next(boundaries.len())];
                    let b = boundaries[next(boundaries.len())];
                    let (a, b) = (a.min(b), a.max(b));
                    if next(10) == 0 {
                        Diagnostic::file_error(Code::BadValue, "m")
                    } else {
                        Diagnostic::error(Code::BadValue, "m", a..b)
                    }
                })
                .collect();
            let fast = Located::all(&text, diags.clone());
            for (d, got) in diags.into_iter().zip(fast) {
                // A span that runs into the line's end counts its characters slightly
                // differently only when the line ends in `\r`, which the alphabet lacks.
                assert_eq!(got, located_slow(&text, d.clone()), "{text:?} {:?}", d.span);
                assert_eq!(Located::new(&text, d.clone()), located_slow(&text, d), "{text:?}");
            }
        }
    }

    #[test]
    fn many_diagnostics_on_one_long_line_are_located_quickly() {
        // 100,000 diagnostics on a 1 MiB line: quadratic locating would take hours.
        let text = "x".repeat(1024 * 1024);
        let diags: Vec<Diagnostic> =
            (0..100_000).map(|i| Diagnostic::error(Code::BadValue, "m", i * 10..i * 10 + 3)).collect();
        let t = std::time::Instant::now();
        let located = Located::all(&text, diags);
        assert_eq!(located.len(), 100_000);
        assert_eq!(located[99_999].column, 999_991);
        assert!(t.elapsed() < std::time::Duration::from_secs(20), "{:?}", t.elapsed());
    }

    #[test]
    fn long_lines_are_windowed_around_the_column() {
        let text = format!("a = {}x{}", "[".repeat(300), "]".repeat(300));
        let l = Located::new(&text, Diagnostic::error(Code::BadValue, "m", 304..305));
        let shown = l.source_line.unwrap();
        assert!(shown.chars().count() <= MAX_SHOWN + 2, "{shown}");
        assert_eq!(shown.chars().nth(l.caret), Some('x'));
        assert_eq!((l.line, l.column), (1, 305));
    }
}
