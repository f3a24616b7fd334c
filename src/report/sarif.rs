//! `validate --format sarif`: the diagnostics as one SARIF 2.1.0 log (OASIS Static Analysis
//! Results Interchange Format), for code-scanning tools such as GitHub's
//! `upload-sarif`. The tool's rules are the codes `validate` can report, each with its
//! meaning and its fix ([`Code::ALL`]); every result names its rule, its level,
//! its file and, when it lies in the file, its line and column (columns count characters:
//! `columnKind` is `unicodeCodePoints`).

use serde_json::{Map, Value, json};

use crate::codes::{Code, Kind};
use crate::formula::Located;

/// The JSON Schema of SARIF 2.1.0 that the log names.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The rules: every code `validate` can report, in the order of [`Code::ALL`].
fn rules() -> Vec<Code> {
    Code::ALL.iter().copied().filter(|c| c.kind().is_validate()).collect()
}

/// A path as a URI: an absolute path as a `file://` URI (`file:///srv/f.toml`), a relative
/// one as a relative URI reference; `/` between folders, and the characters that would
/// end or change a URI percent-encoded (SPEC §11.2).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len().saturating_add(7));
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        match b {
            b'\\' => out.push('/'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn rule(c: Code) -> Value {
    let level = match c.kind() {
        Kind::Warning | Kind::BatchWarning => "warning",
        Kind::Error | Kind::ErrorOrWarning => "error",
    };
    json!({
        "id": c.as_str(),
        "shortDescription": { "text": c.meaning() },
        "help": { "text": c.fix() },
        "defaultConfiguration": { "level": level },
    })
}

fn result(path: &str, l: &Located, rules: &[Code]) -> Value {
    let d = &l.diagnostic;
    let text = super::diagnostics::with_help(d);
    let mut location = Map::new();
    location.insert("artifactLocation".into(), json!({ "uri": uri(path) }));
    if l.source_line.is_some() {
        let region = json!({
            "startLine": l.line,
            "startColumn": l.column,
            "endColumn": l.column.saturating_add(l.width),
        });
        location.insert("region".into(), region);
    }
    let mut out = Map::new();
    out.insert("ruleId".into(), json!(d.code.as_str()));
    if let Some(i) = rules.iter().position(|r| *r == d.code) {
        out.insert("ruleIndex".into(), json!(i));
    }
    out.insert("level".into(), json!(d.severity.as_str()));
    out.insert("message".into(), json!({ "text": text }));
    out.insert("locations".into(), json!([{ "physicalLocation": location }]));
    Value::Object(out)
}

/// The SARIF log of a `validate` run: `diagnostics` are each file's path and one of its
/// located diagnostics, in the order reported.
pub fn render(diagnostics: &[(String, Located)]) -> String {
    let rules = rules();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "ketacalc",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|c| rule(*c)).collect::<Vec<_>>(),
            } },
            "columnKind": "unicodeCodePoints",
            "results": diagnostics.iter().map(|(p, l)| result(p, l, &rules)).collect::<Vec<_>>(),
        }],
    });
    super::json::to_pretty(&log)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::Diagnostic;

    #[test]
    fn paths_are_relative_uri_references() {
        assert_eq!(uri("formulas/a b#1.toml"), "formulas/a%20b%231.toml");
        assert_eq!(uri("dir\\x.toml"), "dir/x.toml");
        assert_eq!(uri("é.toml"), "%C3%A9.toml");
        // An absolute path is a `file://` URI, percent-encoded the same way.
        assert_eq!(uri("/srv/formulas/a b.toml"), "file:///srv/formulas/a%20b.toml");
        assert_eq!(uri("/x\n::error.toml"), "file:///x%0A%3A%3Aerror.toml");
    }

    #[test]
    fn results_name_their_rule_level_and_place() {
        let text = "format = 1\namount = 50.0\n";
        let d = Diagnostic::error(Code::TomlFloat, "a float", 20..24).with_help("quote it");
        let file = Diagnostic::file_error(Code::NotUtf8, "not text");
        let log: Value = serde_json::from_str(&render(&[
            ("f.toml".into(), Located::new(text, d)),
            ("g.toml".into(), Located::new("", file)),
        ]))
        .unwrap();
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), Code::ALL.iter().filter(|c| c.kind().is_validate()).count());
        let r = &run["results"][0];
        assert_eq!(r["ruleId"], "toml-float");
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], "toml-float");
        assert_eq!(r["level"], "error");
        assert_eq!(r["message"]["text"], "a float\nhelp: quote it");
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            (&region["startLine"], &region["startColumn"], &region["endColumn"]),
            (&json!(2), &json!(10), &json!(14))
        );
        let whole = &run["results"][1]["locations"][0]["physicalLocation"];
        assert_eq!(whole["artifactLocation"]["uri"], "g.toml");
        assert!(whole.get("region").is_none());
    }
}
