//! `ketacalc man [COMMAND]`: the manual page (roff) from the clap definitions (SPEC §11),
//! and on the main page the sections clap cannot know (SPEC §11.1): EXAMPLES, EXIT STATUS,
//! ENVIRONMENT and FILES, in the order man-pages(7) gives, before VERSION.

use std::io;

use clap::CommandFactory;
use roff::{Roff, bold, italic, roman};

use super::args::full;

/// The examples of the main page: a command line (a long one continued with `\` on a
/// line of its own, at most 69 columns each, which the page indents by 11) and what it does. A test parses each (up to
/// a `|` or `>`) with the real definitions.
pub(crate) const EXAMPLES: [(&str, &str); 13] = [
    ("ketacalc list", "List the formulas of the formulary: the built-in one, or $KETACALC_FORMULAS."),
    (
        "ketacalc batch ketamine-hcl-nasal-spray-100",
        "The compounding worksheet of the formula's reference batch, compounded today.",
    ),
    (
        "ketacalc batch ketamine-hcl-nasal-spray-100 --quantity 30mL --explain",
        "30 mL instead, with the calculation trail of every ingredient.",
    ),
    (
        "ketacalc batch ketamine-hcl-troche-50 --quantity 60 \\\n    --assay ketamine-hcl=99.2% --lot ketamine-hcl=K2611 \\\n    --expiry ketamine-hcl=2027-03-31 --batch-id T-0042",
        "60 troches from a lot assayed at 99.2%, its lot and expiry on the worksheet; the expiry caps the beyond-use date.",
    ),
    (
        "ketacalc batch ketamine-hcl-nasal-spray-100 --quantity 35mL \\\n    --format html -o sheet.html",
        "The printable record, written atomically to sheet.html: open it in a browser, print, fill in and sign.",
    ),
    (
        "ketacalc batch ketamine-iv-0.5mgkg-100ml --weight 70kg --time 09:00",
        "An IV infusion of 0.5 mg/kg for a patient of 70 kg, compounded at 09:00: the bag, the rates, the USP <797> checklist and the bag label.",
    ),
    (
        "ketacalc label ketamine-hcl-nasal-spray-100 --quantity 35mL \\\n    --batch-id NS-2611-014",
        "The label of the batch that batch computes with the same options.",
    ),
    (
        "ketacalc batch --from order.toml --format html -o sheet.html",
        "The batch a batch file asks for (its formula, options and lots), exactly as the same flags would make it.",
    ),
    (
        "ketacalc record order.toml --format html -o record.html",
        "The completed compounding record of the batch file's readings: each against its target, the actual strengths, yield and C-III reconciliation; exit 0 ready for the pharmacist, 3 incomplete or to check.",
    ),
    (
        "ketacalc batch ketamine-hcl-rdt-25 --format json \\\n    | jq '.ingredients[] | {id, weigh_rounded}'",
        "What to weigh, for a script; ketacalc schema --kind output describes the document.",
    ),
    (
        "ketacalc validate --format github --deny-warnings formulas/",
        "Check a formulary repository in CI: every problem an annotation on its line; warnings fail the run.",
    ),
    ("ketacalc convert 1:2500w/v --to mg/mL", "A pharmacy calculation, with its derivation: 0.4 mg/mL."),
    (
        "ketacalc completions bash \\\n    > ~/.local/share/bash-completion/completions/ketacalc",
        "Complete commands, options and formula ids in bash.",
    ),
];

/// EXIT STATUS: each status and its meaning (SPEC §4, §14.3).
const EXIT_STATUS: [(&str, &str); 4] = [
    ("0", "Success. Warnings are allowed, unless --deny-warnings is given to validate."),
    (
        "1",
        "The input is wrong or the batch cannot be made: a bad formula, an impossible batch, a bad option value, an unreadable file, an impossible or meaningless calculation; or the output cannot be written (a full disk, a read-only -o file, a closed standard output).",
    ),
    (
        "2",
        "A command-line usage error: an unknown flag, a missing argument, an option the dosage form has no use for.",
    ),
    (
        "3",
        "From record only (the completed compounding record): the record is complete and printed, but its release status is incomplete or check, and a pharmacist must decide.",
    ),
];

/// ENVIRONMENT: each variable and how it changes what ketacalc prints.
const ENVIRONMENT: [(&str, &str); 3] = [
    (
        "KETACALC_FORMULAS",
        "The formulary folder that a formula id is looked up in, and that list and validate read, when --formulas is not given; without it, the built-in formulary. It decides which formula, and so which figures, a worksheet, label or JSON document has.",
    ),
    (
        "TZ",
        "The local time zone: a zone name (America/Chicago), a path or a POSIX string; without it, /etc/localtime, and without that, UTC. A TZ that names no zone, or a zone file that cannot be read, is an error (exit status 1) that names it: it is never read as UTC. Without --date (and, for an infusion, --time) the compounding date and time are today and now in that zone, and the beyond-use date and time count from them: the same command run at the same instant prints another date in another zone.",
    ),
    (
        "NO_COLOR",
        "Set to anything but the empty string, no colour under --color auto (the default), as with TERM=dumb; --color always still colours. Colour is only emphasis: no figure depends on it.",
    ),
];

/// FILES: where formulas come from.
const FILES: [(&str, &str); 2] = [
    (
        "the built-in formulary",
        "The formulas of the repository's formulas/ folder, embedded in the binary when it is built, so that an installed ketacalc works anywhere. It is used when neither --formulas nor KETACALC_FORMULAS is given; ketacalc list shows it, and messages name its files <built-in>/ID.toml.",
    ),
    (
        "--formulas DIR",
        "A formulary folder: one formula per file, named ID.toml after its id (recursively for validate). An id is checked against [a-z0-9][a-z0-9.-]{0,63} before any file is touched, so it never resolves outside the folder; a FORMULA that ends in .toml or holds a / is a path instead.",
    ),
];

/// The page of ketacalc, or of one of its subcommands; `None` for a subcommand ketacalc
/// does not have.
pub(crate) fn page(command: Option<&str>) -> Option<io::Result<String>> {
    let mut cmd = full::Args::command();
    cmd.build();
    let source = format!("ketacalc {}", env!("CARGO_PKG_VERSION"));
    let Some(name) = command else {
        return Some(main_page(cmd, source));
    };
    let sub = cmd.find_subcommand(name)?.clone();
    let sub = sub.display_name(format!("ketacalc-{name}")).bin_name(format!("ketacalc {name}"));
    let mut out = Vec::new();
    Some(clap_mangen::Man::new(sub).source(source).render(&mut out).map(|()| text(out)))
}

/// The names of the subcommands that have a page.
pub(crate) fn commands() -> Vec<String> {
    full::Args::command()
        .get_subcommands()
        .filter(|c| c.get_name() != "help" && !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect()
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The main page: clap's sections, then ours, then the version.
fn main_page(cmd: clap::Command, source: String) -> io::Result<String> {
    let man = clap_mangen::Man::new(cmd).source(source);
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    // Left-aligned and unhyphenated, so that ids, flags and variables are never split.
    let mut setup = Roff::new();
    setup.control("ad", ["l"]).control("nh", []);
    setup.to_writer(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    man.render_subcommands_section(&mut out)?;
    let mut roff = Roff::new();
    examples(&mut roff);
    list(&mut roff, "EXIT STATUS", &EXIT_STATUS);
    roff.control("PP", []);
    roff.text([roman(
        "A panic (status 101) is always a bug. A closed output pipe (ketacalc batch ... | head -1) ends the run quietly with status 0.",
    )]);
    list(&mut roff, "ENVIRONMENT", &ENVIRONMENT);
    list(&mut roff, "FILES", &FILES);
    roff.control("SH", ["SEE ALSO"]);
    roff.text([
        roman("The page of each command, named under SUBCOMMANDS. The repository's "),
        italic("README.md"),
        roman(" is a short manual, and its "),
        italic("docs/"),
        roman(" folder the reference: the formula format, the calculations and rounding rules, the JSON, the codes."),
    ]);
    roff.to_writer(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(text(out))
}

/// Each example: what it does, then the command line as typed, unfilled.
fn examples(roff: &mut Roff) {
    roff.control("SH", ["EXAMPLES"]);
    for (command, what) in EXAMPLES {
        roff.control("PP", []);
        roff.text([roman(what)]);
        roff.control("RS", ["4"]).control("nf", []);
        for line in command.lines() {
            roff.text([bold(line)]);
        }
        roff.control("fi", []).control("RE", []);
    }
}

/// A section of tagged paragraphs.
fn list(roff: &mut Roff, title: &str, items: &[(&str, &str)]) {
    roff.control("SH", [title]);
    for (tag, what) in items {
        roff.control("TP", []);
        roff.text([bold(*tag)]);
        roff.text([roman(*what)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn every_example_is_a_command_line_ketacalc_takes() {
        for (command, _) in EXAMPLES {
            assert!(command.lines().all(|l| l.chars().count() <= 69), "{command}");
            let command = command.replace(" \\\n", " ");
            let line = command.split(['|', '>']).next().unwrap_or_default();
            let words: Vec<&str> = line.split_whitespace().collect();
            super::super::args::Args::try_parse_from(&words)
                .unwrap_or_else(|e| panic!("`{command}` does not parse: {e}"));
        }
    }

    #[test]
    fn the_main_page_has_the_sections_clap_cannot_know() {
        let page = page(None).unwrap().unwrap();
        let at = |s: &str| page.find(&format!(".SH {s}\n")).unwrap_or(usize::MAX);
        let order =
            ["SYNOPSIS", "OPTIONS", "SUBCOMMANDS", "EXAMPLES", "\"EXIT STATUS\"", "ENVIRONMENT", "FILES"];
        for pair in order.windows(2) {
            if let [a, b] = pair {
                assert!(at(a) < at(b) && at(b) < usize::MAX, "{a} before {b}:\n{page}");
            }
        }
    }
}
