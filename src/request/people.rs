//! `[people]` (SPEC §14.1): who compounded the batch, the second person who checked it,
//! and the verifying pharmacist, each a name or initials on one line.

use std::ops::Range;

use toml::de::DeTable;

use super::At;
use super::format::PEOPLE;
use super::load::one_line;
use crate::formula::{Diagnostic, TableReader};

/// The people of a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct People {
    /// Who compounded it.
    pub compounded_by: Option<At<String>>,
    /// The second person.
    pub checked_by: Option<At<String>>,
    /// The verifying pharmacist (optional).
    pub verified_by: Option<At<String>>,
    /// The table's place (`0..0` when the file has no `[people]`).
    pub span: Range<usize>,
}

pub(super) fn read(t: &DeTable<'_>, span: Range<usize>, diags: &mut Vec<Diagnostic>) -> People {
    let mut r = TableReader::new(t, span.clone(), &PEOPLE);
    let mut person = |key: &'static str, r: &mut TableReader<'_, '_>| {
        let t = r.opt_str(key, diags)?;
        one_line(key, t, diags).map(|t| At { value: t.value, span: t.span })
    };
    let compounded_by = person("compounded_by", &mut r);
    let checked_by = person("checked_by", &mut r);
    let verified_by = person("verified_by", &mut r);
    r.finish(diags);
    People { compounded_by, checked_by, verified_by, span }
}
