//! Formula authoring and CI (SPEC §11): `validate --format github|sarif` report the same
//! diagnostics as the human and JSON formats; every code the code base can emit is
//! declared in `ketacalc::codes` and listed in `docs/codes.md`; the example workflow runs
//! what the README says.

use std::collections::BTreeSet;
use std::path::Path;

use ketacalc::codes::Code;
use serde_json::Value;

use crate::cli::{root, run};

/// Two files with a little of everything: an error with a help line, a warning, the same
/// id twice, a bare `%` (which GitHub's escaping must turn into `%25`).
const FILES: [&str; 3] = [
    "tests/fixtures/invalid/near-solubility.toml",
    "tests/fixtures/invalid/unit-bare-percent.toml",
    "tests/fixtures/invalid/number-leading-dot.toml",
];

/// The `(file, line, column, code, severity, message)` of each diagnostic of a JSON run.
fn from_json(doc: &Value) -> Vec<(String, u64, u64, String, String, String)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap().to_string();
            (
                s("file"),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                s("code"),
                s("severity"),
                s("message"),
            )
        })
        .collect()
}

/// Undoes GitHub's escaping of a message or property.
fn unescape(s: &str) -> String {
    s.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
}

#[test]
fn github_format_is_one_workflow_command_per_diagnostic() {
    let mut args = vec!["validate", "--format", "github"];
    args.extend(FILES);
    let r = run(&args);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout, @"
    ::warning file=tests/fixtures/invalid/near-solubility.toml,line=22,col=10,title=near-solubility::`ketamine-hcl` at 150 mg/mL (as weighed) is at or above 75%25 of its solubility of 200 mg/mL: watch for crystals, especially when refrigerated
    ::error file=tests/fixtures/invalid/number-leading-dot.toml,line=2,col=6,title=duplicate-formula-id::id `test-spray` is already the id of `tests/fixtures/invalid/near-solubility.toml`%0Ahelp: give each formula its own id (and file name): `batch` and `list` find formulas by id
    ::error file=tests/fixtures/invalid/number-leading-dot.toml,line=22,col=10,title=bad-number::`.5 mg` starts with a decimal point: write a digit before it, like `0.5`%0Ahelp: write `0.5 mg`
    ::error file=tests/fixtures/invalid/unit-bare-percent.toml,line=2,col=6,title=duplicate-formula-id::id `test-spray` is already the id of `tests/fixtures/invalid/near-solubility.toml`%0Ahelp: give each formula its own id (and file name): `batch` and `list` find formulas by id
    ::error file=tests/fixtures/invalid/unit-bare-percent.toml,line=22,col=10,title=bad-unit::`10 %25` uses a bare `%25`: say `%25w/w`, `%25w/v` or `%25v/v`%0Ahelp: use `%25w/w` for creams and other mass-basis forms, `%25w/v` for a solid in a liquid, `%25v/v` for a liquid in a liquid
    checked 3 files: 4 errors, 1 warning
    ");
    // The same diagnostics as the JSON format, in the same order.
    let mut json_args = vec!["validate", "--format", "json"];
    json_args.extend(FILES);
    let expected = from_json(&run(&json_args).json());
    let got: Vec<(String, u64, u64, String, String, String)> = r
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("::"))
        .map(|l| {
            let (head, message) = l.split_once("::").unwrap();
            let (severity, props) = head.split_once(' ').unwrap();
            let prop = |k: &str| {
                props.split(',').find_map(|p| p.strip_prefix(&format!("{k}="))).map(unescape).unwrap()
            };
            let message = unescape(message);
            let message = message.split("\nhelp: ").next().unwrap().to_string();
            (
                prop("file"),
                prop("line").parse().unwrap(),
                prop("col").parse().unwrap(),
                prop("title"),
                severity.to_string(),
                message,
            )
        })
        .collect();
    assert_eq!(got, expected);
    // Warnings alone pass unless denied, as in every format.
    assert_eq!(run(&["validate", "--format", "github", FILES[0]]).code, 0);
    assert_eq!(run(&["validate", "--format", "github", "--deny-warnings", FILES[0]]).code, 1);
}

#[test]
fn sarif_format_is_a_sarif_2_1_0_log_with_the_codes_as_rules() {
    let mut args = vec!["validate", "--format", "sarif"];
    args.extend(FILES);
    let r = run(&args);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let log: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    let run0 = &log["runs"][0];
    let driver = &run0["tool"]["driver"];
    assert_eq!(driver["name"], "ketacalc");
    let rules = driver["rules"].as_array().unwrap();
    let declared: Vec<&str> =
        Code::ALL.iter().filter(|c| c.kind().is_validate()).map(|c| c.as_str()).collect();
    assert_eq!(rules.iter().map(|r| r["id"].as_str().unwrap()).collect::<Vec<_>>(), declared);
    for r in rules {
        let c = Code::find(r["id"].as_str().unwrap()).unwrap();
        assert_eq!(
            (r["shortDescription"]["text"].as_str(), r["help"]["text"].as_str()),
            (Some(c.meaning()), Some(c.fix()))
        );
    }
    insta::assert_json_snapshot!(run0["results"], @r#"
    [
      {
        "level": "warning",
        "locations": [
          {
            "physicalLocation": {
              "artifactLocation": {
                "uri": "tests/fixtures/invalid/near-solubility.toml"
              },
              "region": {
                "endColumn": 21,
                "startColumn": 10,
                "startLine": 22
              }
            }
          }
        ],
        "message": {
          "text": "`ketamine-hcl` at 150 mg/mL (as weighed) is at or above 75% of its solubility of 200 mg/mL: watch for crystals, especially when refrigerated"
        },
        "ruleId": "near-solubility",
        "ruleIndex": 74
      },
      {
        "level": "error",
        "locations": [
          {
            "physicalLocation": {
              "artifactLocation": {
                "uri": "tests/fixtures/invalid/number-leading-dot.toml"
              },
              "region": {
                "endColumn": 18,
                "startColumn": 6,
                "startLine": 2
              }
            }
          }
        ],
        "message": {
          "text": "id `test-spray` is already the id of `tests/fixtures/invalid/near-solubility.toml`\nhelp: give each formula its own id (and file name): `batch` and `list` find formulas by id"
        },
        "ruleId": "duplicate-formula-id",
        "ruleIndex": 59
      },
      {
        "level": "error",
        "locations": [
          {
            "physicalLocation": {
              "artifactLocation": {
                "uri": "tests/fixtures/invalid/number-leading-dot.toml"
              },
              "region": {
                "endColumn": 17,
                "startColumn": 10,
                "startLine": 22
              }
            }
          }
        ],
        "message": {
          "text": "`.5 mg` starts with a decimal point: write a digit before it, like `0.5`\nhelp: write `0.5 mg`"
        },
        "ruleId": "bad-number",
        "ruleIndex": 11
      },
      {
        "level": "error",
        "locations": [
          {
            "physicalLocation": {
              "artifactLocation": {
                "uri": "tests/fixtures/invalid/unit-bare-percent.toml"
              },
              "region": {
                "endColumn": 18,
                "startColumn": 6,
                "startLine": 2
              }
            }
          }
        ],
        "message": {
          "text": "id `test-spray` is already the id of `tests/fixtures/invalid/near-solubility.toml`\nhelp: give each formula its own id (and file name): `batch` and `list` find formulas by id"
        },
        "ruleId": "duplicate-formula-id",
        "ruleIndex": 59
      },
      {
        "level": "error",
        "locations": [
          {
            "physicalLocation": {
              "artifactLocation": {
                "uri": "tests/fixtures/invalid/unit-bare-percent.toml"
              },
              "region": {
                "endColumn": 16,
                "startColumn": 10,
                "startLine": 22
              }
            }
          }
        ],
        "message": {
          "text": "`10 %` uses a bare `%`: say `%w/w`, `%w/v` or `%v/v`\nhelp: use `%w/w` for creams and other mass-basis forms, `%w/v` for a solid in a liquid, `%v/v` for a liquid in a liquid"
        },
        "ruleId": "bad-unit",
        "ruleIndex": 12
      }
    ]
    "#);
    // The same diagnostics as the JSON format, in the same order.
    let mut json_args = vec!["validate", "--format", "json"];
    json_args.extend(FILES);
    let expected = from_json(&run(&json_args).json());
    let results = run0["results"].as_array().unwrap();
    let got: Vec<(String, u64, u64, String, String, String)> = results
        .iter()
        .map(|x| {
            let place = &x["locations"][0]["physicalLocation"];
            let text = x["message"]["text"].as_str().unwrap();
            (
                place["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                place["region"]["startLine"].as_u64().unwrap(),
                place["region"]["startColumn"].as_u64().unwrap(),
                x["ruleId"].as_str().unwrap().to_string(),
                x["level"].as_str().unwrap().to_string(),
                text.split("\nhelp: ").next().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    for x in results {
        let i = x["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], x["ruleId"]);
    }
    // A clean run is a log with no results, and exit status 0.
    let clean = run(&["validate", "--format", "sarif", "formulas"]);
    assert_eq!(clean.code, 0);
    let clean: Value = serde_json::from_str(&clean.stdout).unwrap();
    assert_eq!(clean["runs"][0]["results"], Value::Array(Vec::new()));
}

// ---------------------------------------------------------------------------------------
// Every code, declared, emitted and in docs/codes.md
// ---------------------------------------------------------------------------------------

/// The variants of [`Code`] the library and the binary name, read from the sources
/// (test modules and `codes.rs`, which declares them, left out): `Code::Name`.
fn emitted_codes() -> BTreeSet<String> {
    fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    sources(&root().join("src"), &mut files);
    let mut names = BTreeSet::new();
    for f in files {
        if f.ends_with("codes.rs") || f.ends_with("report/fixtures.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let text = text.split("#[cfg(test)]\nmod tests").next().unwrap();
        for (at, _) in text.match_indices("Code::") {
            let name: String = text[at + 6..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            if name.starts_with(|c: char| c.is_ascii_uppercase()) && name != "ALL" {
                names.insert(name);
            }
        }
    }
    names
}

/// A compiler checks that every code emitted is declared ([`Code`] is an enum); this checks
/// that every code declared is emitted somewhere, so that the table of codes holds no code
/// a user can never see.
#[test]
fn every_declared_code_is_emitted() {
    let emitted = emitted_codes();
    let declared: BTreeSet<String> = Code::ALL.iter().map(|c| format!("{c:?}")).collect();
    let unused: Vec<&String> = declared.difference(&emitted).collect();
    assert!(unused.is_empty(), "declared in ketacalc::codes::Code but never emitted: {unused:?}");
    assert!(emitted.len() >= 60, "{emitted:?}");
}

/// Where the table of codes in `docs/codes.md` starts and ends.
const TABLE_START: &str =
    "<!-- codes: generated from ketacalc::codes::Code::ALL; KETACALC_BLESS=1 cargo test codes -->\n";
const TABLE_END: &str = "<!-- end of codes -->\n";

/// The table of codes, as `ketacalc::codes::Code` declares them.
fn codes_table() -> String {
    let mut out = String::from("| code | kind | meaning | fix |\n|---|---|---|---|\n");
    for c in Code::ALL {
        out.push_str(&format!("| `{c}` | {} | {} | {} |\n", c.kind().describe(), c.meaning(), c.fix()));
    }
    out
}

/// `docs/codes.md` lists every code with its meaning and fix, exactly as declared.
/// `KETACALC_BLESS=1 cargo test codes` writes the table into it.
#[test]
fn the_docs_list_every_code_with_its_meaning_and_fix() {
    let path = root().join("docs/codes.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (head, rest) = doc.split_once(TABLE_START).expect("docs/codes.md has the table's start marker");
    let (table, tail) = rest.split_once(TABLE_END).expect("docs/codes.md has the table's end marker");
    let expected = codes_table();
    if table != expected && std::env::var("KETACALC_BLESS").as_deref() == Ok("1") {
        std::fs::write(&path, format!("{head}{TABLE_START}{expected}{TABLE_END}{tail}")).unwrap();
        return;
    }
    assert!(
        table == expected,
        "the table of codes in docs/codes.md is out of date: run `KETACALC_BLESS=1 cargo test codes`"
    );
}

// ---------------------------------------------------------------------------------------
// Completions and the manual page come from the clap definitions
// ---------------------------------------------------------------------------------------

/// The subcommands every completion script and the manual page must know.
const SUBCOMMANDS: [&str; 9] =
    ["list", "show", "validate", "batch", "label", "convert", "schema", "completions", "man"];

#[test]
fn completions_for_every_shell_know_the_subcommands_and_their_options() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = run(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.len() > 1000, "{shell}: {}", r.stdout);
        for sub in SUBCOMMANDS {
            assert!(r.stdout.contains(sub), "{shell} completions lack `{sub}`");
        }
        for option in ["deny-warnings", "quantity", "format"] {
            assert!(r.stdout.contains(option), "{shell} completions lack `{option}`");
        }
        // Shells whose scripts complete values also know the formats of `validate`.
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(r.stdout.contains("sarif") && r.stdout.contains("github"), "{shell}");
        }
    }
    let r = run(&["completions", "tcsh"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("bash") && r.stderr.contains("elvish"), "{}", r.stderr);
}

#[test]
fn the_manual_page_lists_the_subcommands_and_each_has_its_own() {
    let r = run(&["man"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(".TH ketacalc 1"), "{}", r.stdout);
    assert!(r.stdout.contains(".SH SUBCOMMANDS"), "{}", r.stdout);
    for sub in SUBCOMMANDS {
        assert!(
            r.stdout.contains(&format!("ketacalc\\-{}(1)", sub.replace('-', "\\-"))),
            "man lacks `{sub}`"
        );
        let page = run(&["man", sub]);
        assert_eq!(page.code, 0, "{sub}: {}", page.stderr);
        assert!(page.stdout.contains(&format!(".TH ketacalc-{sub} 1")), "{}", page.stdout);
        assert!(page.stdout.contains(&format!("\\fBketacalc {sub}\\fR")), "{}", page.stdout);
    }
    let batch = run(&["man", "batch"]).stdout;
    for option in ["\\-\\-quantity", "\\-\\-overage", "\\-\\-assay", "FORMULA"] {
        assert!(batch.contains(option), "{option}: {batch}");
    }
    let r = run(&["man", "compute"]);
    assert_eq!((r.code, r.stdout.as_str()), (2, ""));
    assert!(r.stderr.contains("ketacalc has no command `compute`"), "{}", r.stderr);
}

/// The main page, rendered by `man -l` at 80 columns, as a reader sees it: `None` (and
/// the reason printed) without man-db.
#[allow(clippy::print_stdout, reason = "the skip is reported where `cargo test` shows it")]
fn rendered_man_page() -> Option<String> {
    if std::process::Command::new("man").arg("--version").output().is_err() {
        println!("skipped: man-db not installed, so the manual page is not rendered");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ketacalc.1");
    std::fs::write(&file, run(&["man"]).stdout).unwrap();
    let out = std::process::Command::new("man")
        .arg("-l")
        .arg(&file)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MAN_KEEP_FORMATTING", "")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Overstrike (bold `X\bX`, underline `_\bX`) as `col -b` removes it.
    let mut text = String::new();
    for c in String::from_utf8_lossy(&out.stdout).chars() {
        if c == '\u{8}' {
            text.pop();
        } else {
            text.push(c);
        }
    }
    Some(text)
}

/// The main page has, beside clap's sections, EXAMPLES, EXIT STATUS, ENVIRONMENT and FILES
/// (SPEC §11.1), and reads at 80 columns: no line is longer, no id or flag is hyphenated.
#[test]
fn the_manual_page_has_examples_exit_status_environment_and_files() {
    let roff = run(&["man"]).stdout;
    for section in ["EXAMPLES", "\"EXIT STATUS\"", "ENVIRONMENT", "FILES", "\"SEE ALSO\""] {
        assert!(roff.contains(&format!(".SH {section}\n")), "{section}");
    }
    let Some(page) = rendered_man_page() else { return };
    // A section: the lines under its heading, up to the next heading (flush left).
    let section = |name: &str| -> String {
        let mut lines = page.lines().skip_while(|l| *l != name).skip(1);
        let body: Vec<&str> = lines.by_ref().take_while(|l| l.is_empty() || l.starts_with(' ')).collect();
        assert!(!body.is_empty(), "no section {name}:\n{page}");
        body.join("\n")
    };
    let exit = section("EXIT STATUS");
    for status in ["0", "1", "2", "3"] {
        assert!(
            exit.lines().any(|l| l.trim_start().starts_with(&format!("{status}  "))),
            "{status}:\n{exit}"
        );
    }
    assert!(exit.contains("record") && exit.contains("pharmacist must decide"), "{exit}");
    let env = section("ENVIRONMENT");
    for var in ["KETACALC_FORMULAS", "NO_COLOR", "TZ"] {
        assert!(
            env.lines().any(|l| l.trim() == var || l.trim_start().starts_with(&format!("{var} "))),
            "{var}:\n{env}"
        );
    }
    let files = section("FILES");
    assert!(files.contains("built-in formulary") && files.contains("--formulas DIR"), "{files}");
    let examples = section("EXAMPLES");
    assert!(examples.contains("ketacalc batch ketamine-hcl-nasal-spray-100"), "{examples}");
    for line in page.lines() {
        assert!(line.chars().count() <= 80, "longer than 80 columns: {line}");
        assert!(!line.contains('\u{2010}') && !line.ends_with("KETA-"), "hyphenated: {line}");
    }
}

// ---------------------------------------------------------------------------------------
// The example workflow
// ---------------------------------------------------------------------------------------

/// The workflow for a formulary repository installs ketacalc and runs the command the
/// README gives; that command passes on a clean formulary and fails on a bad one.
#[test]
fn the_example_workflow_runs_validate_for_github_with_warnings_denied() {
    let workflow = std::fs::read_to_string(root().join("examples/github-workflow.yml")).unwrap();
    let command = "ketacalc validate --format github --deny-warnings formulas/";
    assert!(workflow.contains(&format!("run: {command}")), "{workflow}");
    assert!(workflow.contains("cargo install --locked --git "), "{workflow}");
    assert!(workflow.contains("ketacalc validate --format sarif formulas/"), "{workflow}");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("examples/github-workflow.yml") && readme.contains(command));
    // Each step's command is one line under `run:`, and the YAML uses spaces only.
    assert!(!workflow.contains('\t'));
    // The command, in a formulary repository: the built-in formulas pass; a warning fails.
    let args: Vec<&str> = command.split(' ').skip(1).collect();
    let r = run(&args);
    assert_eq!((r.code, r.stdout.as_str()), (0, "checked 10 files: 0 errors, 0 warnings\n"), "{}", r.stderr);
    let dir = tempfile::tempdir().unwrap();
    let formulas = dir.path().join("formulas");
    std::fs::create_dir(&formulas).unwrap();
    let r = crate::cli::finish(crate::cli::ketacalc().args(&args).current_dir(dir.path()));
    assert_eq!(r.code, 1, "an empty formulary must fail: {}", r.stdout);
    assert!(r.stdout.starts_with("::error file=formulas/,title=no-formula-files::"), "{}", r.stdout);
    let text = std::fs::read_to_string(root().join("tests/fixtures/invalid/near-solubility.toml")).unwrap();
    std::fs::write(formulas.join("test-spray.toml"), text).unwrap();
    let r = crate::cli::finish(crate::cli::ketacalc().args(&args).current_dir(dir.path()));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout
            .starts_with("::warning file=formulas/test-spray.toml,line=22,col=10,title=near-solubility::"),
        "{}",
        r.stdout
    );
}
