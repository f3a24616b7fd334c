//! The ingredient table as CSV (SPEC §6).
//!
//! # Columns
//!
//! ```text
//! id,name,role,qs,required,required_unit,weigh,weigh_unit,weigh_rounded,weigh_rounded_unit,measure,measure_rounded,measure_unit,lot,expiry,aliquot_weigh,aliquot_total,aliquot_take,dilution_to,dilution_take,syringe
//! ```
//!
//! One row per ingredient, in formula order, after the header row. Values are as in the
//! JSON output (SPEC §5): `required` in the ingredient's declared basis; `weigh` the
//! exact mass of material and `weigh_rounded` that mass rounded to the balance
//! readability (keeping its decimal places), each with its own unit (`mg` below 1 g,
//! `g` otherwise, so read the unit); `measure` and `measure_rounded` the exact and
//! rounded volume to measure, in `measure_unit` (`mL`), rounded to the graduation of the
//! syringe it is measured with (SPEC §12.1; empty with a dilution); `qs` is `true` for
//! the qs ingredient; `expiry` is `YYYY-MM-DD`. An ingredient weighed through an aliquot
//! (SPEC §7.4, §13) has the worksheet's plan in `aliquot_weigh` (the amount weighed),
//! `aliquot_total` (what it is triturated or made up to) and `aliquot_take` (the portion
//! taken or measured), each as the worksheet prints it, rounded, with its unit in the
//! field (`84.0 mg`, `16.00 mL`, `1.00 mL`). A stock measured through a dilution
//! (SPEC §12.2) has `dilution_to`, the mL its 1 mL of stock is made up to, and
//! `dilution_take`, the portion drawn (rounded), in `measure_unit`; `syringe` is the
//! capacity in mL of the syringe the volume (or the portion) is measured with. Fields
//! that do not apply are empty.
//! Lines end with `\n`; fields holding `,`, `"`, or a line break are quoted with `"`,
//! inner quotes doubled (RFC 4180).
//!
//! # Formula injection
//!
//! A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` as a formula
//! (`=HYPERLINK(…)`, `=cmd|…`), and some also one that begins with a tab or a carriage
//! return. The text columns that come from a formula file or the command line (`name`,
//! `lot`) are neutralised as OWASP recommends: such a cell gets a leading `'`, which
//! spreadsheets show as text (`'=1+1` is shown as `=1+1`). The other columns are ids
//! (`[a-z0-9][a-z0-9.-]*`), fixed words, dates and numbers the tool computes, which
//! never begin with those characters and are written as they are.

use crate::number::{
    Shown, balance, mass_exact, mass_rounded, measured, measured_exact, volume_exact, volume_rounded,
};
use std::fmt::Write as _;

use super::Report;
use super::figures::aliquot_plan;
use crate::calc::Batch;
use crate::measure::Measured;

/// The header row's fields.
pub(crate) const HEADER: [&str; 21] = [
    "id",
    "name",
    "role",
    "qs",
    "required",
    "required_unit",
    "weigh",
    "weigh_unit",
    "weigh_rounded",
    "weigh_rounded_unit",
    "measure",
    "measure_rounded",
    "measure_unit",
    "lot",
    "expiry",
    "aliquot_weigh",
    "aliquot_total",
    "aliquot_take",
    "dilution_to",
    "dilution_take",
    "syringe",
];

/// Quotes a field when it holds a comma, a quote or a line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Neutralises text from a formula file or the command line that a spreadsheet would
/// run as a formula (see the module documentation).
fn text(t: &str) -> String {
    if t.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{t}") } else { t.to_string() }
}

fn split(s: Option<Shown>) -> [String; 2] {
    match s {
        Some(s) => [s.value, s.unit],
        None => [String::new(), String::new()],
    }
}

fn row(out: &mut String, fields: &[String]) {
    let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
    let _ = writeln!(out, "{}", line.join(","));
}

/// The aliquot plan of ingredient `id` as the worksheet prints it: weigh, total, take.
fn aliquot(batch: &Batch, id: &str) -> [String; 3] {
    let Some((_, p)) = aliquot_plan(batch, id) else { return Default::default() };
    let portion = |m: Measured| match m {
        Measured::Mass(mg) => balance(mg, batch.readability),
        Measured::Volume(ml) => measured(ml),
    };
    [balance(p.weigh, batch.readability), portion(p.total), portion(p.take)]
}

/// Renders the ingredient table: a header row and one row per ingredient.
pub(crate) fn render(r: &Report<'_>) -> String {
    let batch = r.batch;
    let mut out = String::new();
    row(&mut out, &HEADER.map(str::to_string));
    for l in &batch.lines {
        let [required, required_unit] = split(Some(measured_exact(l.required)));
        let [weigh, weigh_unit] = split(l.weigh.map(mass_exact));
        let [weigh_rounded, weigh_rounded_unit] = split(l.weigh_rounded.map(mass_rounded));
        let measure = l.measure.map(|m| volume_exact(m).value).unwrap_or_default();
        let measure_rounded = l.measure_rounded.map(|m| volume_rounded(m).value).unwrap_or_default();
        let measure_unit = if l.measure.is_some() || l.measure_rounded.is_some() { "mL" } else { "" };
        let [aliquot_weigh, aliquot_total, aliquot_take] = aliquot(batch, &l.id);
        let dilution_to = l.dilution.as_ref().map(|d| volume_exact(d.to).value).unwrap_or_default();
        let dilution_take =
            l.dilution.as_ref().map(|d| volume_rounded(d.take_rounded).value).unwrap_or_default();
        let syringe = l.syringe.map(|s| volume_exact(s.capacity).value).unwrap_or_default();
        row(
            &mut out,
            &[
                l.id.clone(),
                text(&l.name),
                l.role.as_str().to_string(),
                l.qs.to_string(),
                required,
                required_unit,
                weigh,
                weigh_unit,
                weigh_rounded,
                weigh_rounded_unit,
                measure,
                measure_rounded,
                measure_unit.to_string(),
                l.lot.as_deref().map(text).unwrap_or_default(),
                l.expiry.map(|e| e.to_string()).unwrap_or_default(),
                aliquot_weigh,
                aliquot_total,
                aliquot_take,
                dilution_to,
                dilution_take,
                syringe,
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{load, options, rendered};

    #[test]
    fn quoting() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_neutralised() {
        for (raw, shown) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("K-2291", "K-2291"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(text(raw), shown, "{raw:?}");
        }
        let f = load("ketamine-hcl-nasal-spray-100");
        let mut o = options();
        o.lot_mut("ketamine-hcl").lot = Some("=cmd|' /C calc'!A0".to_string());
        let b = crate::calc::compute(&f, &o).unwrap();
        let out = rendered(&f, &b, false, render);
        assert!(out.contains(",\"'=cmd|' /C calc'!A0\"\n") || out.contains(",'=cmd|' /C calc'!A0,"), "{out}");
        assert!(out.contains(",1.05,g,1.05,g,1.0500,g,"), "{out}");
    }

    #[test]
    fn cream_with_lot() {
        let f = load("ketamine-gabapentin-baclofen-cream");
        let mut o = options();
        o.lot_mut("ketamine-hcl").lot = Some("K-2291, \"A\"".to_string());
        o.lot_mut("ketamine-hcl").expiry = Some("2027-03-01".parse().unwrap());
        let b = crate::calc::compute(&f, &o).unwrap();
        insta::assert_snapshot!(rendered(&f, &b, false, render), @r#"
        id,name,role,qs,required,required_unit,weigh,weigh_unit,weigh_rounded,weigh_rounded_unit,measure,measure_rounded,measure_unit,lot,expiry,aliquot_weigh,aliquot_total,aliquot_take,dilution_to,dilution_take,syringe
        ketamine-hcl,Ketamine Hydrochloride USP,active,false,10.5,g,10.5,g,10.5000,g,,,,"K-2291, ""A""",2027-03-01,,,,,,
        gabapentin,Gabapentin USP,active,false,6.3,g,6.3,g,6.3000,g,,,,,,,,,,,
        baclofen,Baclofen USP,active,false,2.1,g,2.1,g,2.1000,g,,,,,,,,,,,
        ethoxydiglycol,"Ethoxydiglycol (diethylene glycol monoethyl ether, Transcutol)",levigant,false,4.2,mL,4.1496,g,4.1496,g,4.2,4.2,mL,,,,,,,,5
        cream-base,"Transdermal cream base, preserved (e.g. PCCA Lipoderm)",preservative,true,81.9504,g,81.9504,g,81.9504,g,,,,,,,,,,,
        "#);
    }

    #[test]
    fn nasal_spray() {
        let f = load("ketamine-hcl-nasal-spray-100");
        let b = crate::calc::compute(&f, &options()).unwrap();
        insta::assert_snapshot!(rendered(&f, &b, false, render), @r"
        id,name,role,qs,required,required_unit,weigh,weigh_unit,weigh_rounded,weigh_rounded_unit,measure,measure_rounded,measure_unit,lot,expiry,aliquot_weigh,aliquot_total,aliquot_take,dilution_to,dilution_take,syringe
        ketamine-hcl,Ketamine Hydrochloride USP,active,false,1.05,g,1.05,g,1.0500,g,,,,,,,,,,,
        benzalkonium-chloride-50,Benzalkonium Chloride Solution 50% NF,preservative,false,1.05,mg,2.1,mg,2.1,mg,,,,,,84.0 mg,40.00 mL,1.00 mL,,,
        sodium-chloride-0.9,Sodium Chloride 0.9% Irrigation USP (sterile),vehicle,true,10.5,mL,,,,,,,,,,,,,,,
        ");
    }
}
