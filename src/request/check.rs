//! A batch file held to its formula (SPEC §14.1): what needs only the formula is checked
//! here, every problem at once, each at its place in the file. The ingredient ids of
//! `[lots]`, `[actual]` and `[controlled]` (with did-you-mean), the QC check numbers,
//! what the dosage form reads (no reading of an infusion's bag, no yield of an infusion, a
//! final weight only of mass and molded forms, a yield of the form's kind), C-III stock
//! readings only of a scheduled ingredient and of its kind (masses, or volumes of a stock
//! solution), the options a batch needs (a quantity without a reference batch, a weight
//! for a dose per kg), and every option's value by the flags' own rules
//! ([`Request::read`]).
//!
//! What needs the computed batch (a reading of the wrong kind for how the ingredient is
//! measured, a single value for an aliquot, a mass without a density, absurd readings,
//! stock after > before) is the record's (SPEC §14.2).

use std::collections::HashMap;
use std::ops::Range;

use jiff::civil::Date;

use super::actual::{Read, Yield};
use super::{At, BatchFile, Clock, Request, RequestError, Syntax};
use crate::calc::{CalcError, article};
use crate::codes::Code;
use crate::formula::{Basis, Diagnostic, DoseRule, Formula, Ingredient, MAX_DIAGNOSTICS, closest};
use crate::measure::Measured;

/// The compounding date of a batch file without a `date` when it is checked rather than
/// made (`validate`): the first date a batch may have (SPEC §11.2), so that no lot has
/// expired by it and the check does not change from one day to the next.
pub const REFERENCE_DATE: Date = jiff::civil::date(2000, 1, 1);

/// The clock a batch file is checked on rather than made by (`validate`): compounded on
/// [`REFERENCE_DATE`] when it has no `date`, an infusion at midnight UTC when it has no
/// `time`, so that a file checked today is checked the same way tomorrow.
pub fn reference_clock() -> Clock {
    Clock::At { date: REFERENCE_DATE, time: jiff::civil::Time::midnight(), zone: jiff::tz::TimeZone::UTC }
}

/// A batch file held to its formula.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The batch's request, when the file has no error.
    pub request: Option<Request>,
    /// The errors found, in no particular order.
    pub diagnostics: Vec<Diagnostic>,
}

impl BatchFile {
    /// Holds the file to `formula`; a batch without a `date` (an infusion without a `time`)
    /// is compounded when `clock` says.
    pub fn check(&self, formula: &Formula, clock: &Clock) -> Checked {
        let mut diags = Vec::new();
        let mut known = Known::new(formula);
        for id in &self.lots {
            known.get(id, "[lots]", &[], &mut diags);
        }
        self.check_actual(formula, &mut known, &mut diags);
        self.check_qc(formula, &mut diags);
        self.check_controlled(formula, &mut known, &mut diags);
        self.check_needed(formula, &mut diags);
        // An ingredient the formula lacks is reported above, once.
        let flags = self.flags_where(|o| o.ingredient.as_deref().is_none_or(|i| known.by_id.contains_key(i)));
        let request = match Request::read(formula, &flags, clock) {
            Ok(r) => Some(r),
            Err(errors) => {
                // Located by name at once: a file can hold thousands of options.
                let spans: HashMap<&str, Range<usize>> =
                    self.options.iter().map(|o| (o.name.as_str(), o.span.clone())).collect();
                for e in &errors {
                    let code = match e {
                        // The dosage form has no use for the key (SPEC §8.3).
                        RequestError::NotForForm { .. } => Code::UnexpectedKey,
                        RequestError::UnknownIngredient { .. } => Code::UnknownIngredient,
                        _ => Code::BadOption,
                    };
                    let span = e.option().and_then(|n| spans.get(n).cloned());
                    diags.push(self.at(code, e.to_string(), e.help(), span));
                }
                None
            }
        };
        let request = request.filter(|_| !diags.iter().any(Diagnostic::is_error));
        Checked { request, diagnostics: diags }
    }

    /// `e`, an error of this file's batch, as a diagnostic at the option it is about (else
    /// at the formula it names), worded for a file.
    pub fn diagnostic(&self, e: &CalcError, code: Code) -> Diagnostic {
        let (message, help) = Syntax::File.explain(e);
        self.at(code, message, help, self.locate(e))
    }

    /// An error at `span`, else at the formula the file names.
    fn at(
        &self,
        code: Code,
        message: String,
        help: Option<String>,
        span: Option<Range<usize>>,
    ) -> Diagnostic {
        let span = span.or_else(|| self.formula.as_ref().map(|f| f.span.clone())).unwrap_or(0..0);
        Diagnostic::error(code, message, span).with_help_opt(help)
    }

    fn check_actual(&self, formula: &Formula, known: &mut Known<'_>, diags: &mut Vec<Diagnostic>) {
        let basis = formula.basis();
        let form = formula.dosage_form;
        let fixed: Vec<&str> = super::format::ACTUAL.names().collect();
        for r in &self.actual.readings {
            let Some(ing) = known.get(&r.id, "[actual]", &fixed, diags) else { continue };
            if basis == Basis::Infusion && ing.is_qs() {
                diags.push(
                    Diagnostic::error(
                        Code::UnexpectedKey,
                        format!(
                            "`{}` is the infusion's bag, used as supplied: it takes no reading",
                            r.id.value
                        ),
                        r.id.span.clone(),
                    )
                    .with_help(format!(
                        "remove `{}` from [actual]; read the drug drawn into the bag",
                        r.id.value
                    )),
                );
            }
            if let (Read::Aliquot(_) | Read::Dilution(_), true) = (&r.read, ing.is_qs()) {
                diags.push(Diagnostic::error(
                    Code::BadValue,
                    format!(
                        "`{}` makes up the batch: it is read as one figure, never through steps",
                        r.id.value
                    ),
                    r.id.span.clone(),
                ));
            }
        }
        let unexpected = |key: &str, span: Range<usize>, why: String| {
            Diagnostic::error(Code::UnexpectedKey, format!("`{key}` does not apply to {why}"), span)
                .with_help(format!("remove `{key}` from [actual]"))
        };
        if let Some(y) = &self.actual.yielded {
            let (span, kind) = match y {
                Yield::Count(n) => (n.span.clone(), YieldKind::Count),
                Yield::Filled(f) => (
                    f.span.clone(),
                    if matches!(f.value, Measured::Mass(_)) { YieldKind::Mass } else { YieldKind::Volume },
                ),
            };
            let allowed: &[YieldKind] = match basis {
                Basis::Volume => &[YieldKind::Count, YieldKind::Volume],
                Basis::Mass => &[YieldKind::Mass],
                Basis::Molded => &[YieldKind::Count],
                Basis::Infusion => &[],
            };
            if allowed.is_empty() {
                diags.push(unexpected("yield", span, format!("an `{form}`: it is one bag, with no yield")));
            } else if !allowed.contains(&kind) {
                let what = match basis {
                    Basis::Volume => "the containers filled, like `3`, or the volume filled, like `29.5 mL`",
                    Basis::Mass => "the mass filled, like `98.2 g`",
                    _ => "the units made, like `30`",
                };
                diags.push(
                    Diagnostic::error(
                        Code::WrongDimension,
                        format!("the yield of {} `{form}` is {what}", article(form.as_str())),
                        span,
                    )
                    .with_help(format!("give {what}")),
                );
            }
        }
        if let Some(w) = &self.actual.final_weight
            && !matches!(basis, Basis::Mass | Basis::Molded)
        {
            diags.push(unexpected(
                "final_weight",
                w.span.clone(),
                format!(
                    "{} `{form}`: only a mass or molded form is weighed when made",
                    article(form.as_str())
                ),
            ));
        }
    }

    fn check_qc(&self, formula: &Formula, diags: &mut Vec<Diagnostic>) {
        let n = formula.quality.len();
        for r in self.qc.iter().filter(|r| r.check > n) {
            let has = match n {
                0 => "has no QC checks".to_string(),
                1 => "has 1 QC check".to_string(),
                n => format!("has {n} QC checks, 1 to {n}"),
            };
            diags.push(
                Diagnostic::error(
                    Code::UnknownCheck,
                    format!("QC check {} is not a check of formula `{}`, which {has}", r.check, formula.id),
                    r.check_span.clone(),
                )
                .with_help("give each result under its check's number on the worksheet"),
            );
        }
    }

    fn check_controlled(&self, formula: &Formula, known: &mut Known<'_>, diags: &mut Vec<Diagnostic>) {
        for s in &self.controlled {
            let Some(ing) = known.get(&s.id, "[controlled]", &[], diags) else { continue };
            if ing.schedule.is_none() {
                let scheduled: Vec<String> = formula
                    .ingredients
                    .iter()
                    .filter(|i| i.schedule.is_some())
                    .map(|i| format!("`{}`", i.id))
                    .collect();
                let help = if scheduled.is_empty() {
                    "remove the table: the formula has no scheduled ingredient".to_string()
                } else {
                    format!("keep C-III stock readings for {}", scheduled.join(", "))
                };
                diags.push(
                    Diagnostic::error(
                        Code::NotControlled,
                        format!(
                            "`{}` has no DEA schedule in formula `{}`: it has no C-III stock record",
                            s.id.value, formula.id
                        ),
                        s.id.span.clone(),
                    )
                    .with_help(help),
                );
                continue;
            }
            // A stock solution is drawn by volume; anything else is weighed.
            let by_volume = ing.stock.is_some();
            for (key, f) in s.figures() {
                if matches!(f.value, Measured::Volume(_)) != by_volume {
                    let (is, want) = if by_volume {
                        ("drawn from a stock solution", "a volume, like `20 mL`")
                    } else {
                        ("weighed", "a mass, like `25.0312 g`")
                    };
                    diags.push(
                        Diagnostic::error(
                            Code::WrongDimension,
                            format!(
                                "`{key}` of `{}` is {}: it is {is}, so its stock is read as {want}",
                                s.id.value, f.written,
                            ),
                            f.span.clone(),
                        )
                        .with_help(format!("give {want}")),
                    );
                }
            }
        }
    }

    /// The options a batch cannot be made without: a quantity when the formula has no
    /// reference batch, and the patient's weight for a dose per kilogram.
    fn check_needed(&self, formula: &Formula, diags: &mut Vec<Diagnostic>) {
        let given = |key: &str| self.options.iter().any(|o| o.key == key);
        let missing = |key: &str, why: String, example: &str| {
            Diagnostic::error(Code::MissingKey, format!("missing key `{key}`: {why}"), 0..0)
                .with_help(format!("add `{key} = {example}`"))
        };
        match &formula.infusion {
            None if formula.batch_quantity.is_none() && !given("quantity") => {
                let example = match formula.basis() {
                    Basis::Mass => "\"100 g\"",
                    Basis::Molded => "30",
                    _ => "\"30 mL\"",
                };
                diags.push(missing(
                    "quantity",
                    format!("formula `{}` has no `[batch].quantity` to make", formula.id),
                    example,
                ));
            }
            Some(infusion) if !given("weight") => {
                let dose = self
                    .options
                    .iter()
                    .find(|o| o.key == "dose")
                    .map(|o| crate::formula::dose::parse_dose(&o.value));
                let per_kg = match dose {
                    Some(Ok(rule)) => matches!(rule, DoseRule::PerKg(_)),
                    // A dose that does not parse is reported with the options.
                    Some(Err(_)) => false,
                    None => matches!(infusion.dose, DoseRule::PerKg(_)),
                };
                if per_kg {
                    diags.push(missing(
                        "weight",
                        "the dose is per kilogram of the patient's weight".to_string(),
                        "\"70 kg\"",
                    ));
                }
            }
            _ => {}
        }
    }
}

/// A kind of yield.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum YieldKind {
    Count,
    Volume,
    Mass,
}

/// The formula's ingredients by id, and how many ids the file names that it lacks.
struct Known<'f> {
    formula: &'f Formula,
    by_id: HashMap<&'f str, &'f Ingredient>,
    ids: Vec<&'f str>,
    unknown: usize,
}

impl<'f> Known<'f> {
    fn new(formula: &'f Formula) -> Self {
        let by_id = formula.ingredients.iter().map(|i| (i.id.as_str(), i)).collect();
        let ids = formula.ingredients.iter().map(|i| i.id.as_str()).collect();
        Known { formula, by_id, ids, unknown: 0 }
    }

    /// The ingredient `id` names, or an `unknown-ingredient` error at it that suggests the
    /// nearest of the ingredients' ids and `also` (the table's own keys). Only the first
    /// [`MAX_DIAGNOSTICS`] get a message of their own: a file reports no more (the rest
    /// are counted), and a suggestion compares the id with every ingredient's.
    fn get(
        &mut self,
        id: &At<String>,
        table: &str,
        also: &[&str],
        diags: &mut Vec<Diagnostic>,
    ) -> Option<&'f Ingredient> {
        if let Some(ing) = self.by_id.get(id.value.as_str()) {
            return Some(ing);
        }
        self.unknown = self.unknown.saturating_add(1);
        if self.unknown > MAX_DIAGNOSTICS {
            let message =
                format!("an ingredient that formula `{}` does not have (one of many)", self.formula.id);
            diags.push(Diagnostic::error(Code::UnknownIngredient, message, id.span.clone()));
            return None;
        }
        let mut expected = self.ids.clone();
        expected.extend_from_slice(also);
        let help = match closest(&id.value, &expected) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "its ingredients are {}",
                self.ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        diags.push(
            Diagnostic::error(
                Code::UnknownIngredient,
                format!("`{}` in {table} is not an ingredient of formula `{}`", id.value, self.formula.id),
                id.span.clone(),
            )
            .with_help(help),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{Flags, load_str};

    fn formula(id: &str) -> Formula {
        let file = crate::formulary::Formulary::BuiltIn.get(id).unwrap();
        crate::formula::load_bytes(&file.bytes).formula.unwrap()
    }

    /// The codes of the errors of `text` held to `id`, in file order, with the text they
    /// point at.
    fn errors(id: &str, text: &str) -> Vec<(&'static str, String)> {
        let l = load_str(text);
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
        let mut d = l.file.check(&formula(id), &reference_clock()).diagnostics;
        d.sort_by_key(|d| d.span.clone().map(|s| s.start));
        d.iter().map(|d| (d.code.as_str(), text[d.span.clone().unwrap()].to_string())).collect()
    }

    #[test]
    fn a_clean_file_gives_the_options_of_the_same_flags() {
        let f = formula("ketamine-hcl-nasal-spray-100");
        let text = "formula = \"ketamine-hcl-nasal-spray-100\"\nquantity = \"30 mL\"\ndate = \"2026-12-07\"\n\
                    [lots.ketamine-hcl]\nassay = \"99.5%\"\nvendor = \"Spectrum\"\n";
        let checked = load_str(text).file.check(&f, &Clock::System);
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        let mut flags = Flags { syntax: Syntax::File, ..Flags::default() };
        for (k, v) in [
            ("quantity", "30 mL"),
            ("date", "2026-12-07"),
            ("assay", "ketamine-hcl=99.5%"),
            ("vendor", "ketamine-hcl=Spectrum"),
        ] {
            flags.set(k, k, v);
        }
        assert_eq!(checked.request, Some(Request::read(&f, &flags, &Clock::System).unwrap()));
        assert_eq!(checked.request.unwrap().options.lots["ketamine-hcl"].vendor.as_deref(), Some("Spectrum"));
    }

    #[test]
    fn ids_checks_and_stock_readings_are_held_to_the_formula() {
        let text = "formula = \"ketamine-hcl-nasal-spray-100\"\n[lots.ketamine-hlc]\nlot = \"K\"\n\
                    [actual]\nketamine = \"3 g\"\nsodium-chloride-0.9 = { weigh = \"1 g\" }\nfinal_weight = \"31 g\"\nyield = \"31 g\"\n\
                    [qc]\n6 = \"pass\"\n7 = \"fail\"\n[controlled.benzalkonium-chloride-50]\nwitness = \"E\"\n\
                    [controlled.ketamine-hcl]\nstock_before = \"25 g\"\nwaste = \"1 mL\"\n";
        assert_eq!(
            errors("ketamine-hcl-nasal-spray-100", text),
            [
                ("unknown-ingredient", "ketamine-hlc".to_string()),
                ("unknown-ingredient", "ketamine".to_string()),
                ("bad-value", "sodium-chloride-0.9".to_string()),
                ("unexpected-key", "\"31 g\"".to_string()),
                ("wrong-dimension", "\"31 g\"".to_string()),
                ("unknown-check", "7".to_string()),
                ("not-controlled", "benzalkonium-chloride-50".to_string()),
                ("wrong-dimension", "\"1 mL\"".to_string()),
            ]
        );
    }

    #[test]
    fn what_each_form_reads() {
        // A troche: units made, and a final weight.
        let troche = "formula = \"x\"\n[actual]\nyield = \"62\"\nfinal_weight = \"63.5 g\"\n";
        assert_eq!(errors("ketamine-hcl-troche-50", troche), []);
        let troche = "formula = \"x\"\n[actual]\nyield = \"62 g\"\n";
        assert_eq!(errors("ketamine-hcl-troche-50", troche), [("wrong-dimension", "\"62 g\"".to_string())]);
        // A cream: the mass filled.
        assert_eq!(errors("ketamine-hcl-cream-10", "formula = \"x\"\n[actual]\nyield = \"98 g\"\n"), []);
        assert_eq!(errors("ketamine-hcl-cream-10", "formula = \"x\"\n[actual]\nyield = 3\n").len(), 1);
        // A liquid: containers, or the volume filled.
        for y in ["3", "\"29.5 mL\""] {
            let text = format!("formula = \"x\"\n[actual]\nyield = {y}\n");
            assert_eq!(errors("ketamine-hcl-oral-solution-10", &text), []);
        }
        // An infusion: its bag takes no reading, and has no yield; a dose per kg needs a weight.
        let iv = "formula = \"x\"\ntime = \"09:00\"\n[actual]\nketamine = \"0.7 mL\"\nsodium-chloride-0.9 = \"100 mL\"\n";
        assert_eq!(
            errors("ketamine-iv-0.5mgkg-100ml", iv),
            [("missing-key", "".to_string()), ("unexpected-key", "sodium-chloride-0.9".to_string())]
        );
        assert_eq!(errors("ketamine-iv-0.5mgkg-100ml", "formula = \"x\"\nweight = \"70 kg\"\n"), []);
        assert_eq!(errors("ketamine-iv-0.5mgkg-100ml", "formula = \"x\"\ndose = \"35 mg\"\n"), []);
        // The C-III stock of a stock solution is read as volumes.
        let vial = "formula = \"x\"\nweight = \"70 kg\"\n[controlled.ketamine]\nstock_before = \"10 mL\"\nstock_after = \"9.3 g\"\n";
        assert_eq!(errors("ketamine-iv-0.5mgkg-100ml", vial), [("wrong-dimension", "\"9.3 g\"".to_string())]);
    }

    #[test]
    fn a_formula_without_a_reference_batch_needs_a_quantity() {
        let file = crate::formulary::Formulary::BuiltIn.get("ketamine-hcl-nasal-spray-100").unwrap();
        let text = std::str::from_utf8(&file.bytes).unwrap().replace("\nquantity = \"10 mL\" ", "\n# ");
        let f = crate::formula::load_str(&text).formula.unwrap();
        assert!(f.batch_quantity.is_none());
        let check = |batch: &str| load_str(batch).file.check(&f, &reference_clock()).diagnostics;
        let d = check("formula = \"x\"\n");
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "missing key `quantity`: formula `ketamine-hcl-nasal-spray-100` has no `[batch].quantity` to make"
        );
        assert_eq!(d[0].help.as_deref(), Some("add `quantity = \"30 mL\"`"));
        assert!(check("formula = \"x\"\nquantity = \"20 mL\"\n").is_empty());
    }

    #[test]
    fn option_errors_are_all_reported_at_their_values_and_worded_for_the_file() {
        let text = "formula = \"x\"\noverage = \"5\"\nreadability = \"0 mg\"\nfill = \"0 mL\"\n\
                    [lots.ketamine-hcl]\nlod = \"100%\"\n[lots.sodium-chloride-0.9]\nassay = \"99%\"\n";
        let l = load_str(text);
        let mut d = l.file.check(&formula("ketamine-hcl-nasal-spray-100"), &reference_clock()).diagnostics;
        d.sort_by_key(|d| d.span.clone().map(|s| s.start));
        let at: Vec<&str> = d.iter().map(|d| &text[d.span.clone().unwrap()]).collect();
        assert_eq!(at, ["\"5\"", "\"0 mg\"", "\"0 mL\"", "\"100%\"", "\"99%\""], "{d:#?}");
        assert!(d.iter().all(|d| d.code == Code::BadOption));
        // The fix is written as the file writes it.
        assert_eq!(
            d[0].help.as_deref(),
            Some(
                "write `overage = \"5%\"` for a percentage of the batch, or a quantity with its unit, like `overage = \"5mL\"`"
            )
        );
        // Options of another dosage form, each at its value, worded with the file's keys.
        let d = load_str("formula = \"x\"\nquantity = \"100 mL\"\nfill = \"10 mL\"\nweight = \"70 kg\"\n")
            .file
            .check(&formula("ketamine-iv-0.5mgkg-100ml"), &reference_clock())
            .diagnostics;
        assert_eq!(
            d.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
            ["unexpected-key", "unexpected-key"]
        );
        assert_eq!(
            d[0].message,
            "`quantity` does not apply to an `iv-infusion`: an infusion is one bag: give `weight`, `dose` or `bag`"
        );
    }
}
