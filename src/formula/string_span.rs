//! Where a byte of a decoded TOML string lies in the file, so that a diagnostic about a
//! placeholder or a number inside a text points at it, not at the start of the string.

use std::cell::OnceCell;
use std::ops::Range;

/// Maps byte ranges of a string's decoded value to byte ranges of the file.
///
/// The map is worked out the first time it is needed, so a text with nothing to report
/// costs nothing (it is eight bytes for each byte of the text).
pub(crate) struct StringSpan<'s> {
    source: &'s str,
    whole: Range<usize>,
    /// For each byte offset of the value (and one past its end), the file offset; empty
    /// when the string could not be followed, and then every range maps to `whole`.
    offsets: OnceCell<Vec<usize>>,
}

impl<'s> StringSpan<'s> {
    /// The string written at `span` of `source`.
    pub(crate) fn new(source: &'s str, span: Range<usize>) -> StringSpan<'s> {
        StringSpan { source, whole: span, offsets: OnceCell::new() }
    }

    /// The file range of `at`, a byte range of `value`, the string's decoded value.
    /// Escapes are decoded again here and the result compared with `value`, so a mapping
    /// is never wrong, only sometimes absent.
    pub(crate) fn map(&self, value: &str, at: &Range<usize>) -> Range<usize> {
        let offsets = self.offsets.get_or_init(|| {
            let span = self.whole.clone();
            self.source
                .get(span.clone())
                .and_then(|raw| follow(raw, value))
                .map(|o| o.into_iter().map(|x| x.saturating_add(span.start)).collect())
                .unwrap_or_default()
        });
        match (offsets.get(at.start), offsets.get(at.end)) {
            (Some(&s), Some(&e)) if e >= s => s..e,
            _ => self.whole.clone(),
        }
    }
}

/// The file range of the first hidden character ([`crate::hidden`]) of the TOML string
/// written at `span` of `source`: the character itself, or the escape that writes it
/// (`\u202E`). `None` when the string holds none or cannot be followed.
pub(crate) fn first_hidden(source: &str, span: Range<usize>) -> Option<Range<usize>> {
    let (value, offsets) = decode(source.get(span.clone())?)?;
    let (at, c) = value.char_indices().find(|&(_, c)| crate::hidden::is_hidden(c))?;
    let start = *offsets.get(at)?;
    let end = *offsets.get(at.saturating_add(c.len_utf8()))?;
    Some(start.saturating_add(span.start)..end.saturating_add(span.start))
}

/// Decodes the TOML string `raw` (with its quotes) and returns, for each byte of the
/// decoded value and one past its end, the offset in `raw`; `None` if the decoding does
/// not give `value`.
fn follow(raw: &str, value: &str) -> Option<Vec<usize>> {
    let (decoded, offsets) = decode(raw)?;
    (decoded == value).then_some(offsets)
}

/// Decodes the TOML string `raw` (with its quotes): the value, and for each of its bytes
/// and one past its end, the offset in `raw`.
fn decode(raw: &str) -> Option<(String, Vec<usize>)> {
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
    let mut decoded = String::with_capacity(raw.len());
    let mut offsets = Vec::with_capacity(raw.len().saturating_add(1));
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
    Some((decoded, offsets))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, value: &str, at: Range<usize>, want: &str) {
        let source = format!("text = {raw}\n");
        let span = 7..7 + raw.len();
        let m = StringSpan::new(&source, span);
        assert_eq!(&source[m.map(value, &at)], want, "{raw}");
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
    fn the_first_hidden_character_is_found_escaped_or_raw() {
        let source = "name = \"50 mg\\u202Ex\"\ntext = \"\"\"\na\r\nb\"\"\"\nplain = \"ok\"\n";
        let at = |key: &str| {
            let start = source.find(&format!("{key} = ")).unwrap() + key.len() + 3;
            let end = source[start..].find('\n').map(|e| start + e).unwrap();
            let end = if key == "text" { source.rfind("\"\"\"").unwrap() + 3 } else { end };
            first_hidden(source, start..end).map(|r| &source[r])
        };
        assert_eq!(at("name"), Some("\\u202E"));
        assert_eq!(at("text"), Some("\r"));
        assert_eq!(at("plain"), None);
    }

    #[test]
    fn a_mismatch_points_at_the_whole_string() {
        let source = "text = \"abc\"\n";
        let m = StringSpan::new(source, 7..12);
        assert_eq!(m.map("something else", &(0..1)), 7..12);
    }
}
