//! Arbitrary bytes as a formula file: the loader and `validate` report, never panic.
#![no_main]

use ketacalc::formula::{Located, load_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let loaded = load_bytes(data);
    let text = String::from_utf8_lossy(data);
    for d in &loaded.diagnostics {
        let _ = Located::new(&text, d.clone());
    }
    let report = ketacalc::validate::check("fuzz.toml", data, Some("fuzz"));
    for l in &report.diagnostics {
        let _ = ketacalc::report::diagnostics::diagnostic(&report.path, l);
    }
});
