//! The JSON Schemas `ketacalc schema --kind KIND` prints (SPEC §11, §11.1), one per kind of
//! document, each generated from the declarations that read or write the document:
//! [`Kind::Formula`] from the loader's ([`crate::formula::schema`]), [`Kind::Batch`] from
//! the batch file's ([`crate::request::schema`]), [`Kind::Output`] from
//! the types that write `batch --format json` ([`crate::report::json::schema`]), and
//! [`Kind::Record`] from those that write `record --format json`
//! ([`crate::report::record_json::schema`]).
//!
//! Each is committed under `schema/` ([`Kind::file`]); a test checks every kind's file byte
//! for byte. A new kind is a variant here, its generator and its file: the command line's
//! `--kind`, its help, the completions and that test follow from [`Kind::ALL`].

use serde_json::Value;

/// A kind of document with a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// A formula file (TOML), for editors and CI: draft-07, which the TOML language
    /// servers read.
    #[default]
    Formula,
    /// A batch file (TOML, SPEC §14.1): draft-07, like the formula file's.
    Batch,
    /// The document `batch --format json` prints (SPEC §5, §8.5): draft 2020-12.
    Output,
    /// The document `record --format json` prints (SPEC §14.3): draft 2020-12; its `batch`
    /// is [`Kind::Output`]'s document.
    Record,
}

impl Kind {
    /// Every kind, in the order `--kind` lists them.
    pub const ALL: &'static [Kind] = &[Kind::Formula, Kind::Batch, Kind::Output, Kind::Record];

    /// How `--kind` names it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Formula => "formula",
            Kind::Batch => "batch",
            Kind::Output => "output",
            Kind::Record => "record",
        }
    }

    /// The kind `--kind` names, if any.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// What the schema describes, for `--help`.
    pub fn about(self) -> &'static str {
        match self {
            Kind::Formula => "a formula file (for editors: `#:schema`)",
            Kind::Batch => "a batch file, what `batch --from` and `validate` read",
            Kind::Output => "the document `batch --format json` prints",
            Kind::Record => "the document `record --format json` prints",
        }
    }

    /// Where the repository keeps it, relative to its root.
    pub fn file(self) -> &'static str {
        match self {
            Kind::Formula => "schema/formula.schema.json",
            Kind::Batch => "schema/batch.schema.json",
            Kind::Output => "schema/output.schema.json",
            Kind::Record => "schema/record.schema.json",
        }
    }

    /// The schema.
    pub fn document(self) -> Value {
        match self {
            Kind::Formula => crate::formula::schema::document(),
            Kind::Batch => crate::request::schema::document(),
            Kind::Output => crate::report::json::schema(),
            Kind::Record => crate::report::record_json::schema(),
        }
    }

    /// The schema as `ketacalc schema` prints it: pretty JSON and a final line break.
    pub fn text(self) -> String {
        let mut s = serde_json::to_string_pretty(&self.document()).unwrap_or_default();
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_found_by_its_name_and_has_its_own_file() {
        for &k in Kind::ALL {
            assert_eq!(Kind::from_name(k.name()), Some(k));
            assert!(k.file().ends_with(&format!("{}.schema.json", k.name())));
            assert!(k.text().ends_with("}\n"));
        }
        assert_eq!(Kind::from_name("batch"), Some(Kind::Batch));
        assert_eq!(Kind::from_name("record"), Some(Kind::Record));
        assert_eq!(Kind::from_name("records"), None);
        assert_eq!(Kind::default(), Kind::Formula);
    }
}
