//! The text layout of a [`Sheet`] for a terminal or a plain-text printout (SPEC §7.7).
//!
//! Every line fits the width. Text wraps only at spaces, and a number stays on one line
//! with its unit (`1.0500 g`), so that no lot number, id, quantity or date is ever split
//! where a technician would read or copy it. Label-and-value blocks are aligned columns
//! without rules; a table is drawn with borders when every column fits its longest word,
//! and otherwise each row becomes a small record of its own.

use std::borrow::Cow;
use std::fmt::Write as _;

use comfy_table::{Attribute, Cell, ColumnConstraint, ContentArrangement, Table, Width, presets};

use super::sheet::{BLANK, Block, Check, Grid, Sheet};
use crate::unit::Unit;

/// How to lay out a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Line width in columns (at least [`MIN_WIDTH`] is used).
    pub width: u16,
    /// Use ANSI styling (bold headings).
    pub color: bool,
}

/// The narrowest layout made.
pub const MIN_WIDTH: u16 = 40;

/// Joins a number to its unit (and `≈` to its number) so that wrapping keeps them together.
const GLUE: char = '\u{a0}';

/// [`GLUE`] in UTF-8.
const GLUE_BYTES: [u8; 2] = [0xc2, 0xa0];

/// Words longer than this are broken before they reach comfy-table, whose own word
/// splitting takes time quadratic in the word's length (a 400,000-character name took
/// half a minute). Nothing this long fits a worksheet line anyway.
const LONGEST_WORD: usize = 80;

/// The columns `s` takes on a terminal: a wide character (CJK, most emoji) takes two,
/// a combining mark none.
fn width_of(s: &str) -> usize {
    // Printable ASCII is one column a byte, and [`GLUE`] (two bytes) one column; most of a
    // worksheet is one or the other, and wrapping asks often.
    let bytes = s.as_bytes();
    let mut glued = 0usize;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_graphic() || b == b' ' {
            i = i.saturating_add(1);
        } else if b == GLUE_BYTES[0] && bytes.get(i.saturating_add(1)) == Some(&GLUE_BYTES[1]) {
            glued = glued.saturating_add(1);
            i = i.saturating_add(2);
        } else {
            return unicode_width::UnicodeWidthStr::width(s);
        }
    }
    s.len().saturating_sub(glued)
}

/// The columns one character takes ([`width_of`]).
fn char_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// `text` with the space between a number and its unit, after a `≈` and before a blank
/// made unbreakable.
pub(crate) fn glue(text: &str) -> Cow<'_, str> {
    if !text.contains(' ') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<&str> = None;
    for w in text.split(is_space) {
        if let Some(prev) = prev {
            let numeric = prev.ends_with(|c: char| c.is_ascii_digit())
                && prev.starts_with(|c: char| c.is_ascii_digit() || c == '≈' || c == '(');
            let unit = w.trim_end_matches([',', ';', '.', ')', ':']);
            // A blank stays with its label (`time: ________`).
            let joins = (numeric && !unit.is_empty() && Unit::parse(unit).is_some())
                || prev == "≈"
                || (w.starts_with("____") && !prev.is_empty());
            out.push(if joins { GLUE } else { ' ' });
        }
        out.push_str(w);
        prev = Some(w);
    }
    Cow::Owned(out)
}

/// `text` with every word wider than `max` columns broken into pieces at most that wide.
pub(crate) fn break_long_words(text: &str, max: usize) -> Cow<'_, str> {
    // No character takes more columns than it has bytes, so a short text has no long word.
    if text.len() <= max || !text.split([' ', '\n']).any(|w| width_of(w) > max) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().saturating_add(text.len().checked_div(max).unwrap_or(0)));
    let mut run = 0usize;
    for c in text.chars() {
        let w = char_width(c);
        if c == ' ' || c == '\n' {
            run = 0;
        } else if run > 0 && run.saturating_add(w) > max {
            out.push('\n');
            run = 0;
        }
        if c != ' ' && c != '\n' {
            run = run.saturating_add(w);
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// Greedy word wrap at spaces: `first` before the first line, `rest` before the others.
/// Explicit newlines start a new line; runs of spaces inside a line are kept. A word wider
/// than the line is broken.
pub(crate) fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let room = width.saturating_sub(width_of(rest).max(width_of(first))).max(1);
    let glued = glue(text);
    let text = break_long_words(&glued, room);
    let mut out = Vec::new();
    let mut prefix = first;
    for para in text.split('\n') {
        // Room for a line of the width in ASCII, so that it is not grown word by word.
        let mut line = String::with_capacity(width.saturating_add(1));
        line.push_str(prefix);
        // The columns of `line`, kept as it grows rather than measured again for each word.
        let mut line_w = width_of(prefix);
        let mut empty = true;
        let mut gap = 0usize;
        for word in para.split(is_space) {
            if word.is_empty() {
                gap = gap.saturating_add(1);
                continue;
            }
            let sep = gap.saturating_add(1);
            let word_w = width_of(word);
            if !empty && line_w.saturating_add(sep).saturating_add(word_w) > width {
                out.push(trimmed(line));
                line = String::with_capacity(width.saturating_add(1));
                line.push_str(rest);
                line_w = width_of(rest);
                empty = true;
            }
            if !empty {
                line.extend(std::iter::repeat_n(' ', sep));
                line_w = line_w.saturating_add(sep);
            }
            // The glue has done its work once the line is chosen: it is printed as a space.
            if word.as_bytes().contains(&GLUE_BYTES[0]) {
                for (i, piece) in word.split(GLUE).enumerate() {
                    if i > 0 {
                        line.push(' ');
                    }
                    line.push_str(piece);
                }
            } else {
                line.push_str(word);
            }
            line_w = line_w.saturating_add(word_w);
            empty = false;
            gap = 0;
        }
        out.push(trimmed(line));
        prefix = rest;
    }
    out
}

/// Whether `c` is a space, for `split`: words are short, and stepping through their
/// characters is cheaper than the search that `split(' ')` starts again for each one.
fn is_space(c: char) -> bool {
    c == ' '
}

/// `line` without its trailing white space, in place.
fn trimmed(mut line: String) -> String {
    line.truncate(line.trim_end().len());
    line
}

fn bold(text: &str, color: bool) -> String {
    if color { format!("\x1b[1m{text}\x1b[0m") } else { text.to_string() }
}

fn push_lines(out: &mut String, lines: Vec<String>) {
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
}

/// Labels longer than this go on a line of their own, above their value.
const MAX_LABEL: usize = 24;

fn fields(out: &mut String, fields: &[(String, String)], width: usize, color: bool) {
    let label_w = fields.iter().map(|(k, _)| width_of(k)).filter(|w| *w <= MAX_LABEL).max().unwrap_or(0);
    let indent = " ".repeat(label_w.saturating_add(2));
    for (k, v) in fields {
        if width_of(k) > label_w {
            let _ = writeln!(out, "{}", bold(k, color));
            push_lines(out, wrap(v, width, &indent, &indent));
            continue;
        }
        let pad = " ".repeat(label_w.saturating_sub(width_of(k)).saturating_add(2));
        let mut lines = wrap(v, width, &indent, &indent).into_iter();
        let first = lines.next().unwrap_or_default();
        let _ = writeln!(out, "{}{pad}{}", bold(k, color), first.trim_start());
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
    }
}

/// The widest word of a cell, with numbers glued to their units.
fn longest_word(text: &str) -> usize {
    glue(text).split([' ', '\n']).map(width_of).max().unwrap_or(0)
}

/// A table cell for comfy-table: numbers glued to their units, over-long words broken.
fn cell(text: &str, color: bool, head: bool) -> Cell {
    let c = Cell::new(break_long_words(&glue(text), LONGEST_WORD));
    if color && head { c.add_attribute(Attribute::Bold) } else { c }
}

/// The column widths a grid needs so that no word is split, or `None` when they do not fit.
fn grid_widths(g: &Grid, width: usize) -> Option<Vec<usize>> {
    let widths: Vec<usize> = g
        .header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let cells = g.rows.iter().filter_map(|r| r.get(i)).map(|c| longest_word(c));
            let min = usize::from(g.min_widths.get(i).copied().unwrap_or(0));
            cells.chain([longest_word(h), min]).max().unwrap_or(0)
        })
        .collect();
    // Each column takes its text, a space either side and a border.
    let need = widths.iter().fold(1usize, |acc, w| acc.saturating_add(w.saturating_add(3)));
    (need <= width).then_some(widths)
}

fn grid(out: &mut String, g: &Grid, width: usize, color: bool) {
    let Some(widths) = grid_widths(g, width) else {
        records(out, g, width, color);
        return;
    };
    let mut t = Table::new();
    t.force_no_tty()
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(width).unwrap_or(u16::MAX));
    if color {
        t.enforce_styling();
    }
    t.set_header(g.header.iter().map(|h| cell(h, color, true)).collect::<Vec<_>>());
    for r in &g.rows {
        t.add_row(r.iter().map(|c| cell(c, color, false)).collect::<Vec<_>>());
    }
    // comfy-table's widths include the padding, a space either side.
    for (col, w) in t.column_iter_mut().zip(&widths) {
        let w = u16::try_from(w.saturating_add(2)).unwrap_or(u16::MAX);
        col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
    }
    let _ = writeln!(out, "{}", t.to_string().replace(GLUE, " "));
}

/// A grid too wide for the line, as one record per row: the first cell as its title, the
/// filled cells as label and value, and the blank ones as blanks to write on.
fn records(out: &mut String, g: &Grid, width: usize, color: bool) {
    let digits = g.rows.len().to_string().len();
    for (n, row) in g.rows.iter().enumerate() {
        let first = format!("{:>digits$}. ", n.saturating_add(1));
        let indent = " ".repeat(width_of(&first));
        let title = row.first().map(|c| c.replace('\n', " ")).unwrap_or_default();
        for (i, line) in wrap(&title, width, &first, &indent).into_iter().enumerate() {
            let _ = writeln!(out, "{}", if i == 0 { bold(&line, color) } else { line });
        }
        let pairs = g.header.iter().zip(row).skip(1);
        let filled: Vec<(String, String)> =
            pairs.clone().filter(|(_, c)| !c.is_empty()).map(|(h, c)| (h.clone(), c.clone())).collect();
        let mut inner = String::new();
        fields(&mut inner, &filled, width.saturating_sub(indent.len()), color);
        for l in inner.lines() {
            let _ = writeln!(out, "{indent}{l}");
        }
        let blanks: Vec<String> =
            pairs.filter(|(_, c)| c.is_empty()).map(|(h, _)| format!("{h}{GLUE}{BLANK}{BLANK}")).collect();
        if !blanks.is_empty() {
            push_lines(out, wrap(&blanks.join("   "), width, &indent, &indent));
        }
    }
}

/// A grid alone, as [`layout`] draws it (records when it does not fit `width`).
pub(crate) fn grid_only(g: &Grid, width: u16) -> String {
    let mut out = String::new();
    grid(&mut out, g, usize::from(width.max(MIN_WIDTH)), false);
    out
}

fn checklist(out: &mut String, items: &[Check], result: bool, width: usize) {
    for (n, item) in items.iter().enumerate() {
        let first = format!("[ ] {:>2}. ", n.saturating_add(1));
        let rest = " ".repeat(width_of(&first));
        push_lines(out, wrap(&item.text, width, &first, &rest));
        if let Some(mark) = &item.mark {
            push_lines(out, wrap(mark, width, &rest, &rest));
        }
        if result {
            push_lines(out, wrap(&item.result_line(), width, &rest, &rest));
        }
    }
}

/// Lays out a [`Sheet`] as text no wider than `layout.width` (at least [`MIN_WIDTH`]).
pub(crate) fn layout(sheet: &Sheet, layout: Layout) -> String {
    let width = usize::from(layout.width.max(MIN_WIDTH));
    let color = layout.color;
    let mut out = String::new();
    let title = format!("{}: {}", sheet.kind.to_uppercase(), sheet.title);
    for line in wrap(&title, width, "", "  ") {
        let _ = writeln!(out, "{}", bold(&line, color));
    }
    for b in &sheet.banners {
        for line in wrap(&format!("*** {b} ***"), width, "", "    ") {
            let _ = writeln!(out, "{}", bold(&line, color));
        }
    }
    for s in &sheet.sections {
        let _ = writeln!(out);
        for line in wrap(&format!("== {} ==", s.heading.to_uppercase()), width, "", "   ") {
            let _ = writeln!(out, "{}", bold(&line, color));
        }
        for (i, b) in s.blocks.iter().enumerate() {
            if i > 0 {
                let _ = writeln!(out);
            }
            match b {
                Block::Fields(f) => fields(&mut out, f, width, color),
                Block::Grid(g) => grid(&mut out, g, width, color),
                Block::Text(t) => push_lines(&mut out, wrap(t, width, "", "")),
                Block::Numbered(items) => {
                    let digits = items.len().to_string().len();
                    for (n, item) in items.iter().enumerate() {
                        let first = format!("{:>digits$}. ", n.saturating_add(1));
                        let rest = " ".repeat(width_of(&first));
                        push_lines(&mut out, wrap(item, width, &first, &rest));
                    }
                }
                Block::Checklist { items, result } => checklist(&mut out, items, *result, width),
                Block::Trail(items) => {
                    for (title, steps) in items {
                        push_lines(&mut out, wrap(title, width, "", ""));
                        for step in steps {
                            push_lines(&mut out, wrap(step, width, "    ", "      "));
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_units_and_words_are_never_split() {
        let text = "weigh 1.0500 g of lot BZK-2025-004417 then ≈ 16.7 mg, and make up to 10.5 mL";
        for width in 20..60 {
            let lines = wrap(text, width, "", "");
            for l in &lines {
                assert!(width_of(l) <= width, "{width}: {l:?}");
            }
            let joined = lines.join("\n");
            for token in ["1.0500 g", "BZK-2025-004417", "≈ 16.7 mg", "10.5 mL"] {
                assert!(joined.contains(token), "{width}: {token} split in {lines:?}");
            }
        }
    }

    #[test]
    fn wide_and_combining_characters_take_their_columns() {
        // Two columns each for CJK; none for a combining accent.
        assert_eq!(width_of("漢字"), 4);
        assert_eq!(width_of("e\u{301}"), 1);
        let lines = wrap("漢字漢字漢字 é\u{301}", 8, "", "");
        assert!(lines.iter().all(|l| width_of(l) <= 8), "{lines:?}");
        assert_eq!(break_long_words("漢字漢字漢", 4), "漢字\n漢字\n漢");
    }

    #[test]
    fn the_glue_bytes_are_the_glue_and_no_character_is_wider_than_its_bytes() {
        assert_eq!(GLUE.encode_utf8(&mut [0; 4]).as_bytes(), GLUE_BYTES);
        assert_eq!(width_of("1.0500\u{a0}g"), 8);
        // What lets `break_long_words` pass over a text no longer than the line.
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            assert!(width_of(c.encode_utf8(&mut buf)) <= c.len_utf8(), "{c:?}");
        }
    }

    #[test]
    fn long_words_are_broken_to_fit() {
        let long = "k".repeat(200);
        let lines = wrap(&long, 50, "", "");
        assert_eq!(lines.iter().map(|l| l.len()).collect::<Vec<_>>(), vec![50, 50, 50, 50]);
        assert_eq!(break_long_words("short words stay", 80), "short words stay");
    }

    #[test]
    fn a_grid_that_does_not_fit_becomes_records() {
        let g = Grid {
            header: vec!["Ingredient".into(), "Weigh".into(), "Lot".into()],
            rows: vec![vec![
                "Ketamine Hydrochloride USP\n(ketamine-hcl)".into(),
                "1.0500 g".into(),
                String::new(),
            ]],
            min_widths: vec![0, 0, 30],
        };
        let mut wide = String::new();
        grid(&mut wide, &g, 100, false);
        assert!(wide.contains('┌'), "{wide}");
        let mut narrow = String::new();
        grid(&mut narrow, &g, 50, false);
        assert!(!narrow.contains('┌'), "{narrow}");
        assert!(narrow.contains("1. Ketamine Hydrochloride USP (ketamine-hcl)"), "{narrow}");
        assert!(narrow.contains("Weigh  1.0500 g"), "{narrow}");
        assert!(narrow.contains("Lot ________________"), "{narrow}");
        for l in narrow.lines().chain(wide.lines()) {
            assert!(width_of(l) <= 100);
        }
    }
}
