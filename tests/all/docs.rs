//! The README and the reference in `docs/` show real output: every `$ ketacalc …` line of
//! a fenced block is run (from the crate root, with the clean environment of
//! [`crate::cli::run`]) and must print, on standard output and then standard error, the
//! lines under it, up to the next `$ ` line or the end of the block. A line `...` (however
//! indented) stands for any number of lines left out.

use std::path::PathBuf;

use crate::cli::{root, run};

/// One example: where it is, the command after `$ ketacalc `, and the lines it shows.
struct Example {
    place: String,
    command: String,
    shown: Vec<String>,
}

/// The README and every Markdown file of `docs/`.
fn documents() -> Vec<PathBuf> {
    let mut out = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    out.extend(docs);
    out
}

/// The examples of one Markdown text.
fn examples(name: &str, text: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_block = false;
    let mut current: Option<Example> = None;
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            out.extend(current.take());
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            out.extend(current.take());
            if let Some(command) = command.strip_prefix("ketacalc ") {
                let place = format!("{name}:{}", n + 1);
                current = Some(Example { place, command: command.to_string(), shown: Vec::new() });
            }
        } else if let Some(e) = current.as_mut() {
            e.shown.push(line.to_string());
        }
    }
    out.extend(current);
    out
}

/// Returns true if and only if `lines` are what `shown` shows, a `...` line standing for
/// any number of lines.
fn matches(shown: &[String], lines: &[&str]) -> bool {
    match shown.split_first() {
        None => lines.is_empty(),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=lines.len()).any(|skip| matches(rest, &lines[skip..]))
        }
        Some((first, rest)) => lines.split_first().is_some_and(|(l, more)| l == first && matches(rest, more)),
    }
}

#[test]
fn every_example_of_the_readme_and_the_docs_is_real_output() {
    let mut checked = 0;
    let mut in_readme = 0;
    for path in documents() {
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        for e in examples(&name, &text) {
            // Arguments are split at spaces: no quoting, no pipes.
            assert!(
                !e.command.contains(['\'', '"', '|', '>', '<', '\\']),
                "{}: write the example without shell syntax: {}",
                e.place,
                e.command
            );
            let args: Vec<&str> = e.command.split_whitespace().collect();
            let r = run(&args);
            let printed = format!("{}{}", r.stdout, r.stderr);
            let lines: Vec<&str> = printed.lines().collect();
            assert!(
                matches(&e.shown, &lines),
                "{}: `ketacalc {}` prints\n{printed}\nbut the example shows\n{}",
                e.place,
                e.command,
                e.shown.join("\n")
            );
            checked += 1;
            if name == "README.md" {
                in_readme += 1;
            }
        }
    }
    assert!(in_readme >= 15, "{in_readme} examples in the README");
    assert!(checked >= 25, "{checked} examples");
}

#[test]
fn an_elided_line_stands_for_any_number_of_lines() {
    let shown = |s: &[&str]| s.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(matches(&shown(&["a", "...", "d"]), &["a", "b", "c", "d"]));
    assert!(matches(&shown(&["a", "  ...", "b"]), &["a", "b"]));
    assert!(matches(&shown(&["a", "..."]), &["a", "b"]));
    assert!(!matches(&shown(&["a", "...", "d"]), &["a", "b", "c"]));
    assert!(!matches(&shown(&["a", "b"]), &["a", "b", "c"]));
    assert!(!matches(&shown(&["a", "c"]), &["a", "b"]));
}

#[test]
fn the_readme_is_a_manual_a_newcomer_reads_in_one_sitting() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(lines <= 450, "the README has {lines} lines; the reference belongs in docs/");
    // The two commands, and every reference file linked.
    assert!(readme.contains("cargo run --release -- batch ketamine-hcl-nasal-spray-100"));
    assert!(readme.contains("cargo test"));
    for doc in documents().iter().skip(1) {
        let name = doc.file_name().unwrap().to_str().unwrap();
        assert!(readme.contains(&format!("(docs/{name})")), "the README does not link docs/{name}");
    }
}

/// The anchors of a Markdown text's headings, as GitHub makes them: lower case, spaces to
/// `-`, punctuation other than `-` and `_` dropped.
fn anchors(text: &str) -> Vec<String> {
    let mut in_block = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
        }
        if in_block || !line.starts_with('#') {
            continue;
        }
        let heading = line.trim_start_matches('#').trim();
        out.push(
            heading
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || [' ', '-', '_'].contains(c))
                .map(|c| if c == ' ' { '-' } else { c })
                .collect(),
        );
    }
    out
}

/// Every relative link of the README and the docs names a file that exists, and a heading
/// of it when it has an anchor.
#[test]
fn every_relative_link_names_a_file_and_a_heading() {
    let mut links = 0;
    for path in documents() {
        let text = std::fs::read_to_string(&path).unwrap();
        let dir = path.parent().unwrap();
        for (i, _) in text.match_indices("](") {
            let target = &text[i + 2..];
            let target = &target[..target.find(')').unwrap()];
            if target.starts_with("http") {
                continue;
            }
            let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
            let file = if file.is_empty() { path.clone() } else { dir.join(file) };
            assert!(file.exists(), "{}: a link to `{target}`, which does not exist", path.display());
            if !anchor.is_empty() {
                let headings = anchors(&std::fs::read_to_string(&file).unwrap());
                assert!(
                    headings.iter().any(|h| h == anchor),
                    "{}: a link to `{target}`, whose file has no such heading: {headings:?}",
                    path.display()
                );
            }
            links += 1;
        }
    }
    assert!(links >= 40, "{links} links");
}
