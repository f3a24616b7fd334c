//! Hidden characters (SPEC §11.2): the characters that text printed on a worksheet, a
//! label or a terminal may not hold, because they would change what is shown without
//! being seen themselves.
//!
//! - Control characters other than line feed and tab: an escape sequence (`\u{1b}[2J`)
//!   clears the screen; a carriage return (`\r`) moves back to the start of the line, so
//!   a name can overwrite itself; NEL (U+0085) is a line break to some readers only.
//! - The bidirectional controls U+202A–U+202E and U+2066–U+2069, and the marks U+200E and
//!   U+200F: they reorder the text around them (`50 mg` can show as `gm 05`).
//! - U+2028 and U+2029: line and paragraph breaks to some readers only.
//!
//! One rule for every text ketacalc reads: the strings of a formula file (where a
//! multi-line string may hold line feeds and tabs), and the text of the command line
//! (`--lot`, `--batch-id`, the `ID=` of a per-ingredient option), which is one line and
//! may hold neither. The batch files of SPEC §14.1 (lots, vendors, people) are held to
//! the same rule. Messages that show such a character write it escaped.

/// Returns true if and only if `c` is a hidden character: a control character other than
/// line feed and tab, or one of the invisible formatting characters listed in the module
/// documentation.
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t')) || invisible_name(c).is_some()
}

/// The first hidden character of `text`, a text that may span lines (formula text).
pub fn find_hidden(text: &str) -> Option<char> {
    // Every formula string is looked at, and almost none holds a hidden character: the
    // bytes are checked many at a time for one that can start one, and only those are
    // decoded.
    if printable_ascii(text.as_bytes()) {
        return None;
    }
    const CHUNK: usize = 32;
    for (n, chunk) in text.as_bytes().chunks(CHUNK).enumerate() {
        // Without a branch a byte, which lets the compiler check the chunk at once.
        if !chunk.iter().fold(false, |any, &b| any | may_start_hidden(b)) {
            continue;
        }
        let start = n.saturating_mul(CHUNK);
        for (k, _) in chunk.iter().enumerate().filter(|(_, b)| may_start_hidden(**b)) {
            // A byte that can start a hidden character starts a character.
            let c = text.get(start.saturating_add(k)..).and_then(|rest| rest.chars().next());
            if let Some(c) = c.filter(|&c| is_hidden(c)) {
                return Some(c);
            }
        }
    }
    None
}

/// Returns true if and only if every byte of `bytes` is printable ASCII (space to `~`),
/// which starts no hidden character: most formula text, looked at eight bytes at a time.
fn printable_ascii(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let mut words = bytes.chunks_exact(8);
    let words_printable = words.by_ref().all(|w| {
        let x = w.try_into().map_or(0, u64::from_le_bytes);
        // A byte below 0x20 (SWAR "has less": never missed, at worst one more seen above
        // it), or a byte from 0x7f up (adding 1 sets its high bit, or it had one).
        let below = x.wrapping_sub(ONES.wrapping_mul(0x20)) & !x & HIGH;
        let above = (x.wrapping_add(ONES) | x) & HIGH;
        below | above == 0
    });
    words_printable && words.remainder().iter().all(|&b| b.wrapping_sub(0x20) < 0x5f)
}

/// Returns true if and only if `b` can be the first byte of a hidden character in
/// UTF-8: an ASCII control other than line feed and tab, `0xC2` (U+0080 to U+009F, the
/// C1 controls) or `0xE2` (U+2000 to U+2FFF, where the invisible formatting characters
/// are). No other character is hidden, and neither byte can continue a character.
fn may_start_hidden(b: u8) -> bool {
    (b < 0x20 && b != b'\n' && b != b'\t') | (b == 0x7f) | (b == 0xc2) | (b == 0xe2)
}

/// The first character of `text` that one line of text may not hold: a hidden character,
/// a line feed or a tab (command-line values printed on the worksheet).
pub fn find_hidden_in_line(text: &str) -> Option<char> {
    text.chars().find(|&c| is_hidden(c) || c == '\n' || c == '\t')
}

/// The name of an invisible formatting character that is not a control character.
fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{200E}' => "left-to-right mark",
        '\u{200F}' => "right-to-left mark",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        _ => return None,
    })
}

/// `c` as a message names it: its code point and what it is, such as
/// `U+000D (carriage return)` or `U+202E (right-to-left override)`.
pub fn describe(c: char) -> String {
    let what = match c {
        '\r' => "carriage return",
        '\n' => "line feed",
        '\t' => "tab",
        '\u{1b}' => "escape",
        '\u{0}' => "null",
        '\u{85}' => "next line",
        c if c.is_control() => "a control character",
        c => invisible_name(c).unwrap_or("an invisible character"),
    };
    format!("U+{:04X} ({what})", u32::from(c))
}

/// `text` with every hidden character, line feed and tab written as an escape
/// (`\u{202e}`, `\n`), for a name that must stay on one line of output (a file name at
/// the start of a diagnostic, which a CI runner reads line by line).
pub fn escape_line(text: &str) -> std::borrow::Cow<'_, str> {
    escape_if(text, |c| is_hidden(c) || c == '\n' || c == '\t')
}

/// `text` with every hidden character written as an escape (`\u{1b}`), line feeds and
/// tabs kept: for messages of several lines.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    escape_if(text, is_hidden)
}

fn escape_if(text: &str, hidden: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    if !text.contains(&hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().saturating_add(8));
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_hidden() {
        for c in [
            '\r', '\u{85}', '\u{1b}', '\u{0}', '\u{7f}', '\u{9f}', '\u{200e}', '\u{200f}', '\u{2028}',
            '\u{2029}',
        ]
        .into_iter()
        .chain('\u{202a}'..='\u{202e}')
        .chain('\u{2066}'..='\u{2069}')
        {
            assert!(is_hidden(c), "{c:?}");
            assert_eq!(find_hidden(&format!("a{c}b")), Some(c));
        }
        for c in ['\n', '\t', ' ', 'é', 'µ', '\u{a0}', '\u{200b}', '\u{2065}', '\u{206a}', '\u{2030}'] {
            assert!(!is_hidden(c), "{c:?}");
        }
        assert_eq!(find_hidden("Step one,\tthen\nstep two"), None);
        // Whatever comes before it, the first one is found, in any chunk of the text,
        // among characters that share its first byte.
        for before in ["", "°µ×—‐≤", &"x".repeat(31), &"é".repeat(40), &"\u{2027}\u{2030}".repeat(9)]
        {
            for c in ['\u{1b}', '\u{85}', '\u{202e}', '\u{2069}'] {
                assert_eq!(find_hidden(&format!("{before}{c}µ\r")), Some(c), "{before:?} {c:?}");
            }
            assert_eq!(find_hidden(&format!("{before}\u{a0}\u{2065}\u{206a}\u{200d}")), None, "{before:?}");
        }
        // Every character up to U+3000: found exactly when `is_hidden` says it is hidden.
        for c in '\0'..='\u{3000}' {
            assert_eq!(find_hidden(&format!("a°{c}")), is_hidden(c).then_some(c), "{c:?}");
        }
        // In plain ASCII text (looked at eight bytes at a time), every ASCII character and
        // the first byte of a hidden one at each place of the words and of the rest.
        for at in 0..19 {
            for c in ('\0'..='\u{7f}').chain(['\u{85}', '\u{202e}', 'é']) {
                let text = format!("{}{c}{}", "x".repeat(at), "~ ".repeat(9 - at / 2));
                assert_eq!(find_hidden(&text), is_hidden(c).then_some(c), "{at} {c:?}");
            }
        }
        assert_eq!(find_hidden_in_line("a\tb"), Some('\t'));
        assert_eq!(find_hidden_in_line("a\nb"), Some('\n'));
        assert_eq!(find_hidden_in_line("K-2291 A"), None);
    }

    #[test]
    fn names_and_escapes() {
        assert_eq!(describe('\r'), "U+000D (carriage return)");
        assert_eq!(describe('\u{202e}'), "U+202E (right-to-left override)");
        assert_eq!(describe('\u{7}'), "U+0007 (a control character)");
        assert_eq!(escape_line("a\n::error x\u{202e}"), "a\\n::error x\\u{202e}");
        assert_eq!(escape("a\nb\u{1b}"), "a\nb\\u{1b}");
        assert!(matches!(escape("plain"), std::borrow::Cow::Borrowed(_)));
    }
}
