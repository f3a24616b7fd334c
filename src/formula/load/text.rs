//! `[[steps]]`, `[quality]` and `[labeling]`: the formula's text, read as strings; the
//! placeholders and written-out quantities in them are checked by `texts`.

use std::ops::Range;

use toml::de::DeTable;

use crate::formula::Diagnostic;
use crate::formula::format;
use crate::formula::reader::{TableReader, Text};

pub(crate) fn read_steps(top: &mut TableReader<'_, '_>, diags: &mut Vec<Diagnostic>) -> Vec<Text> {
    let mut out = Vec::new();
    for (t, span) in top.opt_table_array("steps", diags) {
        let mut r = TableReader::new(t, span, &format::STEP);
        if let Some(text) = r.non_empty("text", diags) {
            out.push(text);
        }
        r.finish(diags);
    }
    out
}

pub(crate) fn read_list_table(
    t: &DeTable<'_>,
    span: Range<usize>,
    spec: &'static format::Table,
    key: &'static str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Text> {
    let mut r = TableReader::new(t, span, spec);
    let out = r.opt_str_array(key, diags);
    r.finish(diags);
    out
}
