//! `[aliquot]` (SPEC §7.4): the ingredient aliquots of weighed solids are triturated with,
//! when it is not the qs base.

use std::ops::Range;

use toml::de::DeTable;

use crate::formula::Diagnostic;
use crate::formula::format;
use crate::formula::reader::{TableReader, Text};

pub(crate) fn read_aliquot(t: &DeTable<'_>, span: Range<usize>, diags: &mut Vec<Diagnostic>) -> Option<Text> {
    let mut r = TableReader::new(t, span, &format::ALIQUOT);
    let diluent = r.non_empty("diluent", diags);
    r.finish(diags);
    diluent
}
