//! Test fixtures shared by the report modules' tests: the built-in formulas, a fixed
//! source hash and compounding date.

use super::Source;
use crate::calc::{Batch, Options};
use crate::formula::Formula;

/// A formula of the repository's `formulas/` folder.
pub(crate) fn load(name: &str) -> Formula {
    let path = format!("{}/formulas/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let loaded = crate::formula::load_str(&text);
    loaded.formula.unwrap_or_else(|| panic!("{name}: {:?}", loaded.diagnostics))
}

/// A source with a fixed hash, so that snapshots do not change with the file.
pub(crate) fn source(name: &str) -> Source {
    Source {
        path: format!("formulas/{name}.toml"),
        sha256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".into(),
    }
}

/// Options for 2026-11-26 with no other choices.
pub(crate) fn options() -> Options {
    Options::new("2026-11-26".parse().unwrap())
}

/// The reference batch of `f` on 2026-11-26.
pub(crate) fn batch(f: &Formula) -> Batch {
    crate::calc::compute(f, &options()).unwrap()
}

/// Renders `b` of `f` with [`source`], at 80 columns: what the layouts' tests render.
pub(crate) fn rendered(
    f: &Formula,
    b: &Batch,
    explain: bool,
    render: fn(&super::Report<'_>) -> String,
) -> String {
    let source = source(&f.id);
    let layout = super::Layout { width: 80, color: false };
    render(&super::Report { formula: f, source: &source, batch: b, explain, layout })
}

/// The worksheet model of `b` of `f`.
pub(crate) fn sheet(f: &Formula, b: &Batch) -> super::sheet::Sheet {
    let source = source(&f.id);
    let layout = super::Layout { width: 80, color: false };
    super::worksheet::build(&super::Report { formula: f, source: &source, batch: b, explain: false, layout })
}
