//! The document of `validate --format json` (SPEC §13.1): the counts, and each
//! diagnostic located in its file.

use crate::formula::Located;
use serde::Serialize;

use super::to_pretty;

/// One diagnostic of `validate --format json`.
#[derive(Debug, Serialize)]
pub struct DiagnosticDto {
    /// File path.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// Stable code.
    pub code: &'static str,
    /// Message.
    pub message: String,
    /// How to fix it: the help line's text, or null (always present, SPEC §13.1).
    pub help: Option<String>,
}

impl DiagnosticDto {
    /// The DTO of one located diagnostic of `file`.
    pub fn new(file: &str, l: &Located) -> Self {
        let d = &l.diagnostic;
        DiagnosticDto {
            file: file.to_string(),
            line: l.line,
            column: l.column,
            severity: d.severity.as_str(),
            code: d.code.as_str(),
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
struct ValidateDto<'a> {
    files: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [DiagnosticDto],
}

/// `{"files", "errors", "warnings", "diagnostics"}`.
///
/// `errors` and `warnings` count every problem found, those left out of `diagnostics`
/// (past the first few hundred of a file) included.
pub fn validate(files: usize, errors: usize, warnings: usize, diagnostics: &[DiagnosticDto]) -> String {
    to_pretty(&ValidateDto { files, errors, warnings, diagnostics })
}
