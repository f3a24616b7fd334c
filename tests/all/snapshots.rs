//! Snapshots of what scripts and technicians read: the JSON document and the table
//! worksheet of every built-in formula at its reference batch, compounded on 2026-11-26.
//!
//! The snapshots live in `tests/all/snapshots/`. After an intended change, review the
//! differences with `cargo insta review` (or regenerate them with
//! `INSTA_UPDATE=always cargo test --test all snapshots`) and read the new files.

use crate::cli::{batch, builtin_ids};

fn output(id: &str, args: &[&str]) -> String {
    let r = batch(id, args);
    assert_eq!(r.code, 0, "batch {id} {args:?}:\n{}", r.stderr);
    assert!(!r.stdout.is_empty(), "batch {id} {args:?} printed nothing");
    r.stdout
}

#[test]
fn json_of_every_built_in_formula() {
    let ids = builtin_ids();
    assert_eq!(ids.len(), 10);
    for id in ids {
        insta::assert_snapshot!(format!("json-{id}"), output(&id, &["--format", "json"]));
    }
}

#[test]
fn worksheet_of_every_built_in_formula() {
    for id in builtin_ids() {
        insta::assert_snapshot!(format!("worksheet-{id}"), output(&id, &[]));
    }
}

#[test]
fn explained_worksheet_of_the_nasal_spray() {
    let id = "ketamine-hcl-nasal-spray-100";
    insta::assert_snapshot!(format!("worksheet-explain-{id}"), output(id, &["--explain"]));
}

/// The completed record of the examples (docs/record.md): ready, and to check.
#[test]
fn record_of_the_examples() {
    for (name, code) in [("record-ns-20ml", 0), ("record-ns-20ml-check", 3)] {
        let file = format!("examples/{name}.toml");
        for format in ["table", "json"] {
            let r = crate::cli::run(&["record", &file, "--format", format, "--width", "100"]);
            assert_eq!(r.code, code, "{file}: {}", r.stderr);
            insta::assert_snapshot!(format!("{name}-{format}"), r.stdout);
        }
    }
}
