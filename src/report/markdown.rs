//! The compounding worksheet as a Markdown document (SPEC §6).
//!
//! The same content as the terminal worksheet ([`super::worksheet`]): a `#` title, the
//! schedule banner in bold, one `##` section per part of the record, fields as bullet
//! lists with bold labels, tables as pipe tables (`|` in cell text escaped as `\|`,
//! line breaks as `<br>`), procedure steps and QC checks as `- [ ]` task items. Blanks to
//! fill in are `________`. The output is plain text that prints and diffs well.
//!
//! # Text from the formula and the command line
//!
//! A Markdown renderer passes raw HTML through and turns `[text](url)` into a link, so
//! formula text (names, steps, checks, container, description…) and command-line text
//! (`--lot`, `--batch-id`) could put `<script>`, `<img onerror=…>` or a
//! `[verify](javascript:…)` link on a rendered worksheet. That text is escaped before
//! layout: `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;`, and `\`, `[` and `]`
//! are backslash-escaped, so it renders as the characters written and never as HTML or
//! a link. Numbers the tool computes, and its own wording, are not escaped.

use std::fmt::Write as _;

use super::Source;
use super::worksheet::{BLANK, Block, Grid, Sheet, build};
use crate::calc::Batch;
use crate::formula::Formula;

/// Escapes text for a pipe-table cell: `|` as `\|`, line breaks as `<br>`.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
}

/// Text inside a list item: a line break becomes a hard break (`\` at the end of the
/// line) with the continuation indented under the item.
fn item(text: &str, indent: &str) -> String {
    text.replace('\n', &format!("\\\n{indent}"))
}

fn grid(out: &mut String, g: &Grid) {
    let _ = writeln!(out, "| {} |", g.header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(g.header.len()));
    for r in &g.rows {
        let cells: Vec<String> = r.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

fn block(out: &mut String, b: &Block) {
    match b {
        Block::Fields(fields) => {
            for (k, v) in fields {
                let _ = writeln!(out, "- **{}:** {}", k, item(v, "  "));
            }
        }
        Block::Grid(g) => grid(out, g),
        Block::Text(t) => {
            let _ = writeln!(out, "{t}");
        }
        Block::Numbered(items) => {
            for (n, i) in items.iter().enumerate() {
                let _ = writeln!(out, "{}. {}", n.saturating_add(1), item(i, "   "));
            }
        }
        Block::Checklist { items, result } => {
            for (n, i) in items.iter().enumerate() {
                let _ = write!(out, "- [ ] **{}.** {}", n.saturating_add(1), item(i, "  "));
                if *result {
                    let _ = write!(out, "\\\n  Result: {BLANK}{BLANK}   Initials: {BLANK}");
                }
                let _ = writeln!(out);
            }
        }
        Block::Trail(items) => {
            for (title, steps) in items {
                let _ = writeln!(out, "- **{title}**");
                for s in steps {
                    let _ = writeln!(out, "  - {s}");
                }
            }
        }
    }
}

/// Lays out a [`Sheet`] as Markdown.
pub(crate) fn layout(sheet: &Sheet) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}: {}", sheet.kind, sheet.title);
    if let Some(b) = &sheet.banner {
        let _ = writeln!(out);
        let _ = writeln!(out, "**{b}**");
    }
    for s in &sheet.sections {
        let _ = writeln!(out);
        let _ = writeln!(out, "## {}", s.heading);
        for b in &s.blocks {
            let _ = writeln!(out);
            block(&mut out, b);
        }
    }
    out
}

/// Renders the worksheet as Markdown.
pub fn render(formula: &Formula, source: &Source, batch: &Batch, explain: bool) -> String {
    layout(&build(&escaped_formula(formula), source, &escaped_batch(batch), explain))
}

/// Escapes text from a formula file or the command line (see the module documentation).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The formula with every text a worksheet can show escaped.
fn escaped_formula(f: &Formula) -> Formula {
    let mut f = f.clone();
    let all = |v: &mut Vec<String>| v.iter_mut().for_each(|t| *t = text(t));
    f.name = text(&f.name);
    f.route = text(&f.route);
    f.container = f.container.as_deref().map(text);
    f.description = f.description.as_deref().map(text);
    all(&mut f.steps);
    all(&mut f.quality);
    all(&mut f.labeling);
    if let Some(b) = &mut f.bud {
        b.reference = text(&b.reference);
    }
    if let Some(d) = &mut f.device {
        d.dose = text(&d.dose);
    }
    for i in &mut f.ingredients {
        i.name = text(&i.name);
    }
    f
}

/// The batch with every text from the formula or the command line escaped: names, lots,
/// the batch id, and the warnings and trails that quote names. Numbers are left alone
/// (they hold none of the escaped characters).
fn escaped_batch(b: &Batch) -> Batch {
    let mut b = b.clone();
    b.batch_id = b.batch_id.as_deref().map(text);
    for l in &mut b.lines {
        l.name = text(&l.name);
        l.lot = l.lot.as_deref().map(text);
        l.calculation.iter_mut().for_each(|t| *t = text(t));
    }
    for s in &mut b.strengths {
        s.name = text(&s.name);
        s.dose = s.dose.as_deref().map(text);
    }
    for c in &mut b.controlled {
        c.name = text(&c.name);
    }
    for w in &mut b.warnings {
        w.message = text(&w.message);
        if let Some(a) = &mut w.aliquot {
            a.diluent = text(&a.diluent);
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::worksheet::tests::{batch, load, source};

    #[test]
    fn escapes_cells() {
        assert_eq!(cell("a|b\nc"), "a\\|b<br>c");
    }

    #[test]
    fn formula_and_command_line_text_is_never_html_or_a_link() {
        assert_eq!(text("a <b> & c"), "a &lt;b&gt; &amp; c");
        assert_eq!(text("[x](javascript:alert(1))"), "\\[x\\](javascript:alert(1))");
        assert_eq!(text("\\[x]"), "\\\\\\[x\\]");
        assert_eq!(text("&lt;"), "&amp;lt;");
        assert_eq!(text("1.05 g × 40 = 42 g"), "1.05 g × 40 = 42 g");

        let name = "ketamine-hcl-nasal-spray-100";
        let toml = std::fs::read_to_string(format!("{}/formulas/{name}.toml", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .replace(
                "name = \"Ketamine Hydrochloride USP\"",
                "name = \"Ketamine <img src=x onerror=alert(1)> [verify](javascript:alert(2))\"",
            )
            .replacen("text = \"", "text = \"<script>alert(3)</script> ", 1);
        let f = crate::formula::load_str(&toml).formula.unwrap();
        let mut o = crate::report::worksheet::tests::options();
        o.lot_mut("ketamine-hcl").lot = Some("<b>K1</b>".to_string());
        o.batch_id = Some("[B](javascript:x)".to_string());
        let b = crate::calc::compute(&f, &o).unwrap();
        let md = render(&f, &source(name), &b, true);
        for raw in ["<img", "<script", "<b>", "[verify](", "[B]("] {
            assert!(!md.contains(raw), "`{raw}` in:\n{md}");
        }
        assert!(md.contains("Ketamine &lt;img src=x onerror=alert(1)&gt; \\[verify\\](javascript:alert(2))"));
        assert!(md.contains("&lt;script&gt;alert(3)&lt;/script&gt;"));
        assert!(md.contains("&lt;b&gt;K1&lt;/b&gt;") && md.contains("\\[B\\](javascript:x)"));
        // Computed numbers are as they were.
        assert!(md.contains("| 1.05 g | 1.0500 g |"), "{md}");
    }

    #[test]
    fn nasal_spray() {
        let name = "ketamine-hcl-nasal-spray-100";
        let f = load(name);
        let b = batch(&f);
        insta::assert_snapshot!(render(&f, &source(name), &b, true), @r"
            # Compounding worksheet: Ketamine HCl 100 mg/mL Nasal Spray

            **C-III CONTROLLED SUBSTANCE**

            ## Preparation

            - **Preparation:** Ketamine HCl 100 mg/mL Nasal Spray
            - **MFR:** ketamine-hcl-nasal-spray-100, revision 1 (file sha256 0123456789ab)
            - **Dosage form:** nasal-spray
            - **Route:** nasal
            - **Schedule:** C-III controlled substance (CIII)
            - **Compounding date:** 2026-11-26    time: ________
            - **Batch id:** ________
            - **Quantity requested:** 10 mL
            - **Quantity prepared:** 10.5 mL\
              10 mL × (100% + 5%) = 10.5 mL
            - **Beyond-use date:** 2026-12-31 (35 days after compounding)\
              rule: USP <795> aqueous, preserved (35 days)
            - **Storage:** Refrigerate (2-8 °C)
            - **Container:** 15 mL amber glass bottle fitted with a 0.1 mL metered-dose nasal spray pump and dust cap; fill 10 mL
            - **Description:** Clear, colourless aqueous solution, free of visible particles, in a metered nasal spray bottle

            ## Ingredients

            | Ingredient | Role | Required | Weigh / measure | Lot | Expiry | Actual | Initials |
            |---|---|---|---|---|---|---|---|
            | Ketamine Hydrochloride USP<br>(ketamine-hcl) | active | 1.05 g | 1.0500 g |  |  |  |  |
            | Benzalkonium Chloride Solution 50% NF<br>(benzalkonium-chloride-50) | preservative | 1.05 mg | 2.1 mg<br>by aliquot: see Warnings |  |  |  |  |
            | Sodium Chloride 0.9% Irrigation USP (sterile)<br>(sodium-chloride-0.9) | vehicle | qs | qs to 10.5 mL |  |  |  |  |

            ## Strengths

            - **Ketamine Hydrochloride USP (ketamine-hcl):** 100 mg/mL (salt) = 86.7 mg/mL (base)\
              per spray: 10 mg (salt) = 8.67 mg (base)
            - **Doses per container:** 91 sprays in 10 mL\
              (10 mL − 0.3 mL residual) ÷ 0.1 mL − 6 priming = 91 sprays

            ## Calculation trail

            - **Prepared quantity**
              - 10 mL × (100% + 5%) = 10.5 mL
            - **Ketamine Hydrochloride USP (ketamine-hcl)**
              - 100 mg/mL × 10.5 mL = 1.05 g
              - rounded to 0.1 mg: 1.0500 g
            - **Benzalkonium Chloride Solution 50% NF (benzalkonium-chloride-50)**
              - 0.01 %w/v × 10.5 mL = 1.05 mg
              - ÷ 50% (purity) = 2.1 mg
              - rounded to 0.1 mg: 2.1 mg
            - **Sodium Chloride 0.9% Irrigation USP (sterile) (sodium-chloride-0.9)**
              - qs to 10.5 mL
            - **Doses per container**
              - (10 mL − 0.3 mL residual) ÷ 0.1 mL − 6 priming = 91 sprays

            ## Rounding

            Weights rounded half away from zero to the balance readability 0.1 mg; volumes to 0.01 mL; minimum weighable quantity 82 mg (USP <41>: 820 × readability).

            ## Warnings

            1. `benzalkonium-chloride-50`: 2.1 mg is below the balance's minimum weight of 82 mg; weigh 84 mg (2.1 mg × 40), make up to 3.28 g with Sodium Chloride 0.9% Irrigation USP (sterile), mix well, and take 82 mg, which holds 2.1 mg\
               Aliquot record: weighed ________  made up to ________  taken ________  initials ________

            ## Procedure

            - [ ] **1.** Verify the MFR revision and the worksheet calculations; confirm the prescription strength is ketamine HCl (salt) 100 mg/mL, not base.
            - [ ] **2.** Clean the compounding area; don gloves and mask. Calibrate the analytical balance (readability 0.1 mg) and verify with a check weight.
            - [ ] **3.** C-III: withdraw ketamine HCl from controlled-substance stock with a second person verifying; record the stock container weight (or perpetual inventory) before and after.
            - [ ] **4.** Weigh the ketamine HCl on a weighing boat and record the balance readout.
            - [ ] **5.** Benzalkonium chloride 50%: the amount for one bottle is far below the balance minimum weight; follow the aliquot plan printed on the worksheet (weigh the multiplied amount, dilute with sodium chloride 0.9%, and take the stated aliquot). Record the dilution.
            - [ ] **6.** Place about 7 mL (about 70% of the prepared volume) of sodium chloride 0.9% in a beaker with a small stir bar. Add the ketamine HCl and stir until completely dissolved (freely soluble; the solution must be clear).
            - [ ] **7.** Add the benzalkonium chloride aliquot and stir to mix.
            - [ ] **8.** Transfer to a calibrated graduated cylinder (or volumetric flask), rinse the beaker with small portions of sodium chloride 0.9%, adding the rinses, and make up (q.s.) to the prepared volume with sodium chloride 0.9%. Mix well.
            - [ ] **9.** Measure the pH (target 3.5 to 5.5). Do not adjust with alkali: ketamine precipitates as the free base at high pH.
            - [ ] **10.** Inspect against black and white backgrounds for particles. Measure 10 mL into the clean amber bottle with a calibrated syringe and fit the metered pump and dust cap. (Do not filter after adding benzalkonium chloride: it adsorbs to filter membranes.)
            - [ ] **11.** Prime the pump (6 actuations to waste) and calibrate: weigh the bottle, deliver 10 sprays into a tared bag, re-weigh; mass lost / 10 = mass per spray (SG about 1). Record the calibrated volume per spray.
            - [ ] **12.** Label, complete the C-III accountability block (withdrawn = in product + QC + waste), and submit for pharmacist verification.

            ## Quality control

            - [ ] **1.** Appearance: clear, colourless solution, free of visible particles\
              Result: ________________   Initials: ________
            - [ ] **2.** pH 3.5 to 5.5 (BP Ketamine Nasal Spray monograph range)\
              Result: ________________   Initials: ________
            - [ ] **3.** Fill volume: 10 mL per bottle (by weight, SG about 1)\
              Result: ________________   Initials: ________
            - [ ] **4.** Spray calibration: mean delivered volume 0.1 mL per actuation within ±10% after 6 priming actuations (10 sprays weighed)\
              Result: ________________   Initials: ________
            - [ ] **5.** Calibrated strength per spray recorded (10 mg ketamine HCl nominal)\
              Result: ________________   Initials: ________
            - [ ] **6.** Yield: 95% to 105% of theoretical\
              Result: ________________   Initials: ________

            ## Yield

            - **Theoretical yield:** 10.5 mL (prepared quantity)
            - **Actual yield:** ________
            - **% yield:** ________ % (actual ÷ theoretical × 100)
            - **Acceptable:** 95-105% of theoretical   [ ] within   [ ] outside: investigate and document

            ## Controlled-substance accountability

            - **Substance:** Ketamine Hydrochloride USP (ketamine-hcl)
            - **Schedule:** C-III (CIII)
            - **Finished form:** nasal-spray, 100 mg/mL (salt)
            - **Quantity to withdraw:** 1.0500 g
            - **Stock lot:** ________
            - **Stock before:** ________ (container weight or perpetual inventory)
            - **Stock after:** ________
            - **Withdrawn:** ________ (stock before − stock after)
            - **In product:** ________
            - **QC sample:** ________
            - **Waste / loss:** ________
            - **Cause of any loss:** ________
            - **Reconciled:** [ ] yes   [ ] no   (withdrawn = in product + QC sample + waste / loss)
            - **Withdrawn by:** ________
            - **Witness:** ________

            ## Signatures

            | Role | Name / initials | Signature | Date / time |
            |---|---|---|---|
            | Compounded by |  |  |  |
            | Verified by (pharmacist) |  |  |  |
            | Released by |  |  |  |
            ");
    }
}
