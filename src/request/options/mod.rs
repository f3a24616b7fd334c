//! A batch request from its text to typed values (SPEC §4, §14.1): the flags of the
//! command line and the options of a batch file become one [`Request`], every value read
//! by the project's grammar and checked against the formula, every error naming the
//! option as its caller named it. The clock and the time zone are read here, and only
//! here, when a default needs them ([`Clock`]); the calculation then takes the request's
//! values and does no I/O. The command line, batch files, the tests and the fuzz targets
//! all come through here, so an option means the same thing wherever it is given.

mod flags;
mod infusion;
mod strength;
mod values;

use std::collections::BTreeMap;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

use super::{Field, RequestError, Syntax};
use crate::calc::{CalcError, Lot, Options};
use crate::formula::{Basis, Formula};
use crate::quantity::Amount;

pub use flags::{Flag, Flags};
pub use values::{MAX_MIN_WEIGHT_MG, MAX_READABILITY_MG, MIN_READABILITY_MG};
pub(crate) use values::{check_compounding_date, parse_text};

use strength::{parse_strength, resolve_strengths};
use values::{
    parse_assay, parse_date, parse_fill, parse_lod, parse_min_volume, parse_min_weight, parse_overage,
    parse_quantity, parse_readability, refuse, repeated, split_pair, unknown,
};

/// Where a request's defaults for the date, the time and the time zone come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clock {
    /// The machine's: today and the time now in the local time zone (SPEC §11.2), read
    /// only when a default needs them.
    System,
    /// Fixed ones, so that a file checked today is checked the same way tomorrow
    /// (`validate`), and for tests.
    At {
        /// The compounding date when none is given.
        date: Date,
        /// An infusion's compounding time when none is given.
        time: Time,
        /// The zone the date and time are in.
        zone: TimeZone,
    },
}

/// A batch request resolved: the calculation's typed values, and how its caller names
/// options, for the messages about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// What the calculation takes besides the formula.
    pub options: Options,
    /// Flags or a batch file's keys.
    pub syntax: Syntax,
}

impl Request {
    /// The request for a batch of `formula` from `flags`: every value parsed and checked,
    /// every ingredient named checked to exist, every custom strength resolved to its
    /// active, and the date (and an infusion's time and zone) as given or from `clock`.
    /// Every problem found, in the order they are met, never an empty list: the command
    /// line reports the first, a batch file all of them.
    pub fn read(formula: &Formula, flags: &Flags<'_>, clock: &Clock) -> Result<Request, Vec<RequestError>> {
        let mut e = Errors::default();
        let syntax = flags.syntax;
        let date = match (&flags.date, clock) {
            (Some(f), _) => e.keep(parse_date(f.name, f.value)),
            (None, Clock::At { date, .. }) => Some(*date),
            (None, Clock::System) => e.keep(super::clock::today(syntax)),
        };
        // The date only matters once every value is good: a placeholder stands in for a bad one.
        let mut o = Options::new(date.unwrap_or(Date::MIN));
        flags.check_form(formula, &mut e);
        // The options of another dosage form are refused above, once: they are not read.
        let none = Flags::default();
        let batch = match formula.infusion {
            Some(_) => {
                o.infusion = infusion::options(flags, &mut e);
                &none
            }
            None => flags,
        };
        o.quantity = batch.quantity.and_then(|f| e.keep(parse_quantity(formula, f)));
        o.overage = batch.overage.and_then(|f| e.keep(parse_overage(formula, f, syntax)));
        let strengths: Vec<(Flag<'_>, Option<String>, Amount)> = batch
            .strength
            .iter()
            .filter_map(|f| e.keep(parse_strength(*f)).map(|(id, a)| (*f, id, a)))
            .collect();
        // Help lines name an ingredient the formula has: its first active, else its first.
        let example_id =
            formula.actives().chain(&formula.ingredients).next().map_or("ketamine-hcl", |i| &i.id);
        let named = PerIngredient::read(flags, &mut o, example_id, &mut e);
        o.batch_id = flags.batch_id.and_then(|f| e.keep(parse_text(f.name, f.value)));
        if let Some(r) = batch.readability.and_then(|f| e.keep(parse_readability(f))) {
            o.readability = r;
        }
        o.min_weight = batch.min_weight.and_then(|f| e.keep(parse_min_weight(f, o.readability)));
        o.fill = batch.fill.and_then(|f| e.keep(parse_fill(formula, f)));
        o.min_volume = batch.min_volume.and_then(|f| e.keep(parse_min_volume(f)));
        named.check(formula, &o.lots, &mut e);
        o.strengths = resolve_strengths(formula, &strengths, &mut e);
        if formula.infusion.is_some() && e.0.is_empty() {
            // The zone the compounding date and time are in, and the time now in it when
            // none is given (SPEC §11.2).
            let (zone, now) = match clock {
                Clock::At { time, zone, .. } => (Some(zone.clone()), *time),
                Clock::System => match super::clock::local_zone(super::clock::Need::Zone, syntax) {
                    Ok(zone) => {
                        let now = super::clock::now(&zone).time();
                        (Some(zone), Time::new(now.hour(), now.minute(), 0, 0).unwrap_or(now))
                    }
                    Err(err) => {
                        e.push(err);
                        (None, Time::midnight())
                    }
                },
            };
            o.infusion.zone = zone.unwrap_or(TimeZone::UTC);
            o.infusion.time.get_or_insert(now);
        }
        if e.0.is_empty() { Ok(Request { options: o, syntax }) } else { Err(e.0) }
    }

    /// Computes the batch of `formula` this request asks for.
    pub fn compute(&self, formula: &Formula) -> Result<crate::calc::Batch, CalcError> {
        let mut batch = crate::calc::compute(formula, &self.options)?;
        for w in &mut batch.warnings {
            name_the_option(w);
        }
        Ok(batch)
    }

    /// The message and help line of an error of this request's batch, naming any option
    /// to change as this request's caller names it.
    pub fn explain(&self, e: &CalcError) -> (String, Option<String>) {
        self.syntax.explain(e)
    }
}

/// Names, after a warning of the calculation, the option that changes it. The flag is
/// named whoever the caller is, as before the calculation stopped naming it: a batch
/// file's reader has been shown `--bag` since batch files came.
fn name_the_option(w: &mut crate::calc::Warning) {
    if let crate::calc::Says::FluidLoad { option, .. } = &mut w.message {
        *option = Some(Field::Bag.flag());
    }
}

/// The problems found so far, in the order they were met.
#[derive(Debug, Default)]
pub(crate) struct Errors(Vec<RequestError>);

impl Errors {
    /// The value, or `None` with its error kept.
    pub(crate) fn keep<T>(&mut self, r: Result<T, RequestError>) -> Option<T> {
        r.map_err(|err| self.0.push(err)).ok()
    }

    /// Keeps an error.
    pub(crate) fn push(&mut self, err: RequestError) {
        self.0.push(err);
    }
}

impl Flags<'_> {
    /// Refuses, as a usage error, an option the formula's dosage form has no use for:
    /// the batch options of SPEC §4 on an infusion, the infusion's on any other form
    /// (SPEC §8.3). Each one given is an error.
    fn check_form(&self, formula: &Formula, e: &mut Errors) {
        let infusion = formula.infusion.is_some();
        let n = |f| self.syntax.name(f);
        let refused: Vec<(Option<Flag<'_>>, String)> = if infusion {
            let weighed = "nothing of an infusion is weighed: its drug is drawn from vials";
            vec![
                (
                    self.quantity,
                    format!(
                        "an infusion is one bag: give `{}`, `{}` or `{}`",
                        n(Field::Weight),
                        n(Field::Dose),
                        n(Field::Bag)
                    ),
                ),
                (self.overage, "an infusion is one bag, made without overage".to_string()),
                (
                    self.strength.first().copied(),
                    format!("an infusion's strength follows from its dose: give `{}`", n(Field::Dose)),
                ),
                (self.fill, format!("an infusion is one bag: give `{}`", n(Field::Bag))),
                (self.min_volume, "nothing of an infusion is made by aliquot".to_string()),
                (self.readability, weighed.to_string()),
                (self.min_weight, weighed.to_string()),
            ]
        } else {
            vec![
                (self.weight, "it is the patient's weight, for an IV infusion dosed by weight".to_string()),
                (
                    self.dose,
                    format!(
                        "it is an IV infusion's dose; give `{}` for another strength",
                        n(Field::Strength)
                    ),
                ),
                (self.duration, "it is an IV infusion's infusion time".to_string()),
                (
                    self.bag,
                    format!(
                        "it is an IV infusion's bag; give `{}` for another batch size",
                        n(Field::Quantity)
                    ),
                ),
                (
                    self.time,
                    "it is an IV infusion's compounding time, for its USP <797> beyond-use time".to_string(),
                ),
                (self.max, "it is an IV infusion's dose ceiling for one order".to_string()),
                (self.authorized_by, format!("it names who approved an IV infusion's `{}`", n(Field::Max))),
            ]
        };
        for (f, why) in refused.into_iter().filter_map(|(f, why)| f.map(|f| (f, why))) {
            e.push(RequestError::NotForForm {
                option: f.name.to_string(),
                form: formula.dosage_form.to_string(),
                why,
            });
        }
    }
}

/// Which flag first named each ingredient, for messages.
struct PerIngredient<'a> {
    first: BTreeMap<String, Vec<&'a str>>,
}

impl<'a> PerIngredient<'a> {
    /// Reads `--assay`, `--lod`, `--lot`, `--expiry` and `--vendor` into `o.lots`. A
    /// second value for one ingredient is an error naming both, never a silent "last one
    /// wins" (`--expiry X=2020-01-01 --expiry X=2027-12-01` would let an expired lot through).
    fn read(flags: &Flags<'a>, o: &mut Options, example_id: &str, e: &mut Errors) -> PerIngredient<'a> {
        let mut first: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
        type Set = fn(&mut Lot, Flag<'_>, &str) -> Result<(), RequestError>;
        let kinds: [(Field, &[Flag<'a>], Set); 5] = [
            (Field::Assay, &flags.assay, |l, f, v| {
                l.assay = Some(parse_assay(f.name, v)?);
                Ok(())
            }),
            (Field::Lod, &flags.lod, |l, f, v| {
                l.lod = Some(parse_lod(f.name, v)?);
                Ok(())
            }),
            (Field::Lot, &flags.lot, |l, f, v| {
                l.lot = Some(parse_text(f.name, v)?);
                Ok(())
            }),
            (Field::Expiry, &flags.expiry, |l, f, v| {
                l.expiry = Some(parse_date(f.name, v)?);
                Ok(())
            }),
            (Field::Vendor, &flags.vendor, |l, f, v| {
                l.vendor = Some(parse_text(f.name, v)?);
                Ok(())
            }),
        ];
        let mut given: BTreeMap<(&str, &str), &str> = BTreeMap::new();
        let mut pairs = Vec::new();
        for (field, list, set) in kinds {
            for f in list {
                let Some((id, v)) = e.keep(split_pair(field, *f, example_id)) else { continue };
                if let Some(earlier) = given.insert((f.name, id), f.value) {
                    e.push(repeated(f.name, id, earlier, f.value));
                    continue;
                }
                pairs.push((*f, id, v, set));
            }
        }
        for (f, id, v, set) in pairs {
            e.keep(set(o.lot_mut(id), f, v));
            first.entry(id.to_string()).or_default().push(f.name);
        }
        PerIngredient { first }
    }

    /// Every ingredient named must exist; a liquid's vehicle takes no assay or loss on
    /// drying (it is made up to volume, not weighed, so they would be silently ignored).
    fn check(&self, formula: &Formula, lots: &BTreeMap<String, Lot>, e: &mut Errors) {
        for (id, names) in &self.first {
            let name = names.first().copied().unwrap_or("an option");
            let Some(ing) = formula.ingredient(id) else {
                e.push(unknown(formula, name, id));
                continue;
            };
            let lot = lots.get(id);
            if !lot.is_some_and(|l| l.assay.is_some() || l.lod.is_some()) {
                continue;
            }
            let why = if ing.stock.is_some() {
                "is drawn from a stock solution at its labelled strength, never weighed; an assay or loss on drying would change nothing"
            } else if ing.is_qs() && matches!(formula.basis(), Basis::Volume | Basis::Infusion) {
                "is the vehicle, made up to volume and never weighed, so an assay or loss on drying would change nothing; give it to the ingredients that are weighed"
            } else {
                continue;
            };
            let option = if lot.is_some_and(|l| l.assay.is_some()) { "assay" } else { "lod" };
            let name = names.iter().find(|n| n.contains(option)).copied().unwrap_or(name);
            e.push(refuse(name, id, format!("`{id}` {why}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_flag_as_given() {
        let text = std::fs::read_to_string(format!(
            "{}/formulas/ketamine-hcl-nasal-spray-100.toml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let f = crate::formula::load_str(&text).formula.unwrap();
        let mut flags = Flags::default();
        assert!(flags.set("date", "date", "2026-11-26"));
        assert!(flags.set("assay", "assay", "nothing=99%"));
        let e = Request::read(&f, &flags, &Clock::System).unwrap_err()[0].to_string();
        assert!(e.starts_with("`assay` names ingredient `nothing`"), "{e}");
        assert!(!flags.set("colour", "--colour", "red"));
        // The vehicle of a liquid takes no assay.
        let mut flags = Flags::default();
        flags.set("date", "--date", "2026-11-26");
        flags.set("assay", "--assay", "sodium-chloride-0.9=99%");
        let e = Request::read(&f, &flags, &Clock::System).unwrap_err()[0].to_string();
        assert!(e.contains("is the vehicle, made up to volume and never weighed"), "{e}");
    }
}
