//! Where a byte of a decoded TOML string lies in the file, so that a diagnostic about a
//! placeholder or a number inside a text points at it, not at the start of the string.

use std::ops::Range;

/// Maps byte ranges of a string's decoded value to byte ranges of the file.
pub(crate) struct StringSpan {
    /// For each byte offset of the value (and one past its end), the file offset; empty
    /// when the string could not be followed, and then every range maps to `whole`.
    offsets: Vec<usize>,
    whole: Range<usize>,
}

impl StringSpan {
    /// Follows the string `value` written at `span` of `source`. Escapes are decoded again
    /// here and the result compared with the parser's, so a mapping is never wrong, only
    /// sometimes absent.
    pub(crate) fn new(source: &str, span: Range<usize>, value: &str) -> StringSpan {
        let offsets = source
            .get(span.clone())
            .and_then(|raw| follow(raw, value))
            .map(|o| o.into_iter().map(|x| x.saturating_add(span.start)).collect())
            .unwrap_or_default();
        StringSpan { offsets, whole: span }
    }

    /// The file range of `at`, a byte range of the decoded value.
    pub(crate) fn map(&self, at: &Range<usize>) -> Range<usize> {
        match (self.offsets.get(at.start), self.offsets.get(at.end)) {
            (Some(&s), Some(&e)) if e >= s => s..e,
            _ => self.whole.clone(),
        }
    }
}

/// Decodes the TOML string `raw` (with its quotes) and returns, for each byte of the
/// decoded value and one past its end, the offset in `raw`; `None` if the decoding does
/// not give `value`.
fn follow(raw: &str, value: &str) -> Option<Vec<usize>> {
    let (open, literal) = if raw.starts_with("'''") {
        (3, true)
    } else if raw.starts_with("\"\"\"") {
        (3, false)
    } else if raw.starts_with('\'') {
        (1, true)
    } else if raw.starts_with('"') {
        (1, false)
    } else {
        return None;
    };
    let body_end = raw.len().checked_sub(open)?;
    let mut i = open;
    // A newline right after the opening delimiter of a multi-line string is trimmed.
    if open == 3 {
        if raw.get(i..)?.starts_with("\r\n") {
            i = i.saturating_add(2);
        } else if raw.get(i..)?.starts_with('\n') {
            i = i.saturating_add(1);
        }
    }
    let mut decoded = String::with_capacity(value.len());
    let mut offsets = Vec::with_capacity(value.len().saturating_add(1));
    let push = |decoded: &mut String, offsets: &mut Vec<usize>, c: char, at: usize| {
        decoded.push(c);
        offsets.extend(std::iter::repeat_n(at, c.len_utf8()));
    };
    while i < body_end {
        let c = raw.get(i..)?.chars().next()?;
        if c != '\\' || literal {
            push(&mut decoded, &mut offsets, c, i);
            i = i.saturating_add(c.len_utf8());
            continue;
        }
        let esc = raw.get(i.saturating_add(1)..)?.chars().next()?;
        let (out, len) = match esc {
            'b' => ('\u{8}', 2),
            't' => ('\t', 2),
            'n' => ('\n', 2),
            'f' => ('\u{c}', 2),
            'r' => ('\r', 2),
            'e' => ('\u{1b}', 2),
            '"' => ('"', 2),
            '\\' => ('\\', 2),
            'x' | 'u' | 'U' => {
                let digits = match esc {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex = raw.get(i.saturating_add(2)..i.saturating_add(2).saturating_add(digits))?;
                let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                (c, digits.saturating_add(2))
            }
            _ if esc.is_whitespace() => {
                // A line-ending backslash: skip all whitespace up to the next text.
                let rest = raw.get(i.saturating_add(1)..)?;
                let skip = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
                i = i.saturating_add(1).saturating_add(skip);
                continue;
            }
            _ => return None,
        };
        push(&mut decoded, &mut offsets, out, i);
        i = i.saturating_add(len);
    }
    offsets.push(i);
    (decoded == value).then_some(offsets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, value: &str, at: Range<usize>, want: &str) {
        let source = format!("text = {raw}\n");
        let span = 7..7 + raw.len();
        let m = StringSpan::new(&source, span, value);
        assert_eq!(&source[m.map(&at)], want, "{raw}");
    }

    #[test]
    fn plain_escaped_and_multiline_strings() {
        check("\"q.s. to 100 mL\"", "q.s. to 100 mL", 8..14, "100 mL");
        check("\"say \\\"hi\\\" to 100 mL\"", "say \"hi\" to 100 mL", 12..18, "100 mL");
        check("'C:\\dir 100 mL'", "C:\\dir 100 mL", 7..13, "100 mL");
        check("\"\"\"\nline one\n100 mL\"\"\"", "line one\n100 mL", 9..15, "100 mL");
        check("\"\\u00e9 {qs}\"", "é {qs}", 3..7, "{qs}");
    }

    #[test]
    fn a_mismatch_points_at_the_whole_string() {
        let source = "text = \"abc\"\n";
        let m = StringSpan::new(source, 7..12, "something else");
        assert_eq!(m.map(&(0..1)), 7..12);
    }
}
