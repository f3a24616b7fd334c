//! Batch options from command-line text (SPEC §4): every value is parsed by the project's
//! grammar and checked against the formula, and every error names the flag as its
//! caller spelled it. The command line, the tests and the fuzz targets all come through
//! here, so an option means the same thing wherever it is given.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::options::{Lot, Options};
use super::{CalcError, clock};
use crate::formula::{Basis, Formula, Overage};
use crate::measure::{BatchSize, Mass, Volume};
use crate::quantity::{Amount, Percent, Quantity, QuantityError, parse_number, parse_whole_count};
use crate::unit::Dimension;

pub use crate::formula::{MAX_MASS_MG, MAX_UNITS, MAX_VOLUME_ML};

mod strength;

use strength::{parse_strength, resolve_strengths};

/// One option as given: the flag's name (for messages) and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag<'a> {
    /// How the caller spells the option, e.g. `--quantity`.
    pub name: &'a str,
    /// Its value, as given.
    pub value: &'a str,
}

/// The options of a batch as text, each with its flag's name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags<'a> {
    /// `Q`: `30mL`, `100 g`, `60`.
    pub quantity: Option<Flag<'a>>,
    /// `5%` or a quantity.
    pub overage: Option<Flag<'a>>,
    /// `[ID=]S`, one per active.
    pub strength: Vec<Flag<'a>>,
    /// `ID=PCT`.
    pub assay: Vec<Flag<'a>>,
    /// `ID=PCT`.
    pub lod: Vec<Flag<'a>>,
    /// `ID=LOT`.
    pub lot: Vec<Flag<'a>>,
    /// `ID=YYYY-MM-DD`.
    pub expiry: Vec<Flag<'a>>,
    /// `ID=TEXT`: who supplied a component's lot.
    pub vendor: Vec<Flag<'a>>,
    /// `YYYY-MM-DD`; default today.
    pub date: Option<Flag<'a>>,
    /// Free text.
    pub batch_id: Option<Flag<'a>>,
    /// A mass.
    pub readability: Option<Flag<'a>>,
    /// A mass.
    pub min_weight: Option<Flag<'a>>,
    /// A volume.
    pub fill: Option<Flag<'a>>,
    /// A volume.
    pub min_volume: Option<Flag<'a>>,
    /// An infusion: the patient's weight, `70 kg` or `154 lb`.
    pub weight: Option<Flag<'a>>,
    /// An infusion: `0.5 mg/kg` or `35 mg`.
    pub dose: Option<Flag<'a>>,
    /// An infusion: `40 min`, `1 h`.
    pub duration: Option<Flag<'a>>,
    /// An infusion: the bag's nominal volume.
    pub bag: Option<Flag<'a>>,
    /// An infusion: the compounding time, `HH:MM`.
    pub time: Option<Flag<'a>>,
    /// An infusion: this order's own ceiling, a mass (with `authorized_by`).
    pub max: Option<Flag<'a>>,
    /// An infusion: who approved `max`.
    pub authorized_by: Option<Flag<'a>>,
}

impl<'a> Flags<'a> {
    /// Every option given, in the order of the fields.
    pub fn all(&self) -> Vec<Flag<'a>> {
        let ones = [self.quantity, self.overage];
        let manys = [&self.strength, &self.assay, &self.lod, &self.lot, &self.expiry, &self.vendor];
        let rest = [
            self.date,
            self.batch_id,
            self.readability,
            self.min_weight,
            self.fill,
            self.min_volume,
            self.weight,
            self.dose,
            self.duration,
            self.bag,
            self.time,
            self.max,
            self.authorized_by,
        ];
        let mut out: Vec<Flag<'a>> = ones.into_iter().flatten().collect();
        out.extend(manys.into_iter().flatten().copied());
        out.extend(rest.into_iter().flatten());
        out
    }

    /// Sets the option whose field is called `key` (`quantity`, `assay`, `batch_id`, …)
    /// to `value`, given as `name`; a field that takes several values gets one more.
    /// Returns false for an unknown key.
    pub fn set(&mut self, key: &str, name: &'a str, value: &'a str) -> bool {
        let flag = Flag { name, value };
        let one = match key {
            "quantity" => &mut self.quantity,
            "overage" => &mut self.overage,
            "date" => &mut self.date,
            "batch_id" => &mut self.batch_id,
            "readability" => &mut self.readability,
            "min_weight" => &mut self.min_weight,
            "fill" => &mut self.fill,
            "min_volume" => &mut self.min_volume,
            "weight" => &mut self.weight,
            "dose" => &mut self.dose,
            "duration" => &mut self.duration,
            "bag" => &mut self.bag,
            "time" => &mut self.time,
            "max" => &mut self.max,
            "authorized_by" => &mut self.authorized_by,
            _ => {
                let many = match key {
                    "strength" => &mut self.strength,
                    "assay" => &mut self.assay,
                    "lod" => &mut self.lod,
                    "lot" => &mut self.lot,
                    "expiry" => &mut self.expiry,
                    "vendor" => &mut self.vendor,
                    _ => return false,
                };
                many.push(flag);
                return true;
            }
        };
        *one = Some(flag);
        true
    }
}

impl Options {
    /// Options for a batch of `formula` from `flags`: every value parsed and checked, every
    /// ingredient named checked to exist, every custom strength resolved to its active.
    /// The first problem is the error; the compounding date defaults to today.
    pub fn from_flags(formula: &Formula, flags: &Flags<'_>) -> Result<Options, CalcError> {
        Options::from_flags_all(formula, flags, None).map_err(|mut all| all.swap_remove(0))
    }

    /// Like [`Options::from_flags`], but every problem found, in the order `from_flags`
    /// meets them (so the first is its error), never an empty list; a date not given is
    /// `today` when given, else today's local date. A batch file reports them all at once.
    pub fn from_flags_all(
        formula: &Formula,
        flags: &Flags<'_>,
        today: Option<Date>,
    ) -> Result<Options, Vec<CalcError>> {
        let mut e = Errors::default();
        let date = match (&flags.date, today) {
            (Some(f), _) => e.keep(parse_date(f.name, f.value)),
            (None, Some(d)) => Some(d),
            (None, None) => e.keep(clock::today()),
        };
        // The date only matters once every value is good: a placeholder stands in for a bad one.
        let mut o = Options::new(date.unwrap_or(Date::MIN));
        flags.check_form(formula, &mut e);
        // The options of another dosage form are refused above, once: they are not read.
        let none = Flags::default();
        let batch = match formula.infusion {
            Some(_) => {
                o.infusion = super::family::infusion::options(flags, &mut e);
                &none
            }
            None => flags,
        };
        o.quantity = batch.quantity.and_then(|f| e.keep(parse_quantity(formula, f)));
        o.overage = batch.overage.and_then(|f| e.keep(parse_overage(formula, f)));
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
        if e.0.is_empty() { Ok(o) } else { Err(e.0) }
    }
}

/// The problems found so far, in the order they were met.
#[derive(Debug, Default)]
pub(crate) struct Errors(Vec<CalcError>);

impl Errors {
    /// The value, or `None` with its error kept.
    pub(crate) fn keep<T>(&mut self, r: Result<T, CalcError>) -> Option<T> {
        r.map_err(|err| self.0.push(err)).ok()
    }

    /// Keeps an error.
    pub(crate) fn push(&mut self, err: CalcError) {
        self.0.push(err);
    }
}

impl Flags<'_> {
    /// Refuses, as a usage error, an option the formula's dosage form has no use for:
    /// the batch options of SPEC §4 on an infusion, the infusion's on any other form
    /// (SPEC §8.3). Each one given is an error.
    fn check_form(&self, formula: &Formula, e: &mut Errors) {
        let infusion = formula.infusion.is_some();
        let batch_only = [
            (self.quantity, "an infusion is one bag: give `--weight`, `--dose` or `--bag`"),
            (self.overage, "an infusion is one bag, made without overage"),
            (self.strength.first().copied(), "an infusion's strength follows from its dose: give `--dose`"),
            (self.fill, "an infusion is one bag: give `--bag`"),
            (self.min_volume, "nothing of an infusion is made by aliquot"),
            (self.readability, "nothing of an infusion is weighed: its drug is drawn from vials"),
            (self.min_weight, "nothing of an infusion is weighed: its drug is drawn from vials"),
        ];
        let infusion_only = [
            (self.weight, "it is the patient's weight, for an IV infusion dosed by weight"),
            (self.dose, "it is an IV infusion's dose; give `--strength` for another strength"),
            (self.duration, "it is an IV infusion's infusion time"),
            (self.bag, "it is an IV infusion's bag; give `--quantity` for another batch size"),
            (self.time, "it is an IV infusion's compounding time, for its USP <797> beyond-use time"),
            (self.max, "it is an IV infusion's dose ceiling for one order"),
            (self.authorized_by, "it names who approved an IV infusion's `--max`"),
        ];
        let refused: &[(Option<Flag<'_>>, &'static str)] =
            if infusion { &batch_only } else { &infusion_only };
        for (f, why) in refused.iter().filter_map(|(f, why)| f.map(|f| (f, *why))) {
            e.push(CalcError::NotForForm {
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
        type Set = fn(&mut Lot, Flag<'_>, &str) -> Result<(), CalcError>;
        let kinds: [(&[Flag<'a>], Set); 5] = [
            (&flags.assay, |l, f, v| {
                l.assay = Some(parse_assay(f.name, v)?);
                Ok(())
            }),
            (&flags.lod, |l, f, v| {
                l.lod = Some(parse_lod(f.name, v)?);
                Ok(())
            }),
            (&flags.lot, |l, f, v| {
                l.lot = Some(parse_text(f.name, v)?);
                Ok(())
            }),
            (&flags.expiry, |l, f, v| {
                l.expiry = Some(parse_date(f.name, v)?);
                Ok(())
            }),
            (&flags.vendor, |l, f, v| {
                l.vendor = Some(parse_text(f.name, v)?);
                Ok(())
            }),
        ];
        let mut given: BTreeMap<(&str, &str), &str> = BTreeMap::new();
        let mut pairs = Vec::new();
        for (list, set) in kinds {
            for f in list {
                let Some((id, v)) = e.keep(split_pair(f.name, f.value, example_id)) else { continue };
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

fn ticked<'i>(ids: impl Iterator<Item = &'i str>) -> String {
    ids.map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

pub(super) fn unknown(formula: &Formula, option: &str, id: &str) -> CalcError {
    CalcError::UnknownIngredient {
        option: option.to_string(),
        id: id.to_string(),
        formula: formula.id.clone(),
        known: ticked(formula.ingredients.iter().map(|i| i.id.as_str())),
    }
}

pub(crate) fn opt(option: &str) -> impl Fn(QuantityError) -> CalcError + '_ {
    move |cause| CalcError::Option { option: option.to_string(), cause }
}

pub(crate) fn refuse(option: &str, value: &str, reason: impl Into<String>) -> CalcError {
    CalcError::OptionValue { option: option.to_string(), value: value.to_string(), reason: reason.into() }
}

/// A quantity of `dimension` given to `option`, in the dimension's base unit (mg, mL);
/// each caller checks its own range.
pub(crate) fn parse_base(
    option: &str,
    text: &str,
    dimension: Dimension,
    expected: &'static str,
) -> Result<Decimal, CalcError> {
    let q = Quantity::parse_dim(text, dimension, expected).map_err(opt(option))?;
    q.to_base().map_err(|e| refuse(option, text, e.to_string()))
}

/// `--quantity` for a formula: a volume, a mass or a whole count by its basis, above zero
/// and within the limits of any batch.
fn parse_quantity(formula: &Formula, f: Flag<'_>) -> Result<BatchSize, CalcError> {
    let (option, text) = (f.name, f.value);
    let form = formula.dosage_form;
    let basis = formula.basis();
    let value = match basis {
        Basis::Volume | Basis::Infusion => {
            parse_base(option, text, Dimension::Volume, volume_expected(form.as_str()))?
        }
        Basis::Mass => {
            parse_base(option, text, Dimension::Mass, "a mass, like `100 g`, for a cream, gel or ointment")?
        }
        Basis::Molded => parse_whole_count(text).map_err(opt(option))?,
    };
    if value.is_zero() {
        return Err(refuse(option, text, "a batch cannot be empty"));
    }
    let (max, what) = basis.limit();
    if value > max {
        return Err(refuse(option, text, format!("batches are limited to {what}")));
    }
    Ok(basis.size(value))
}

fn volume_expected(form: &str) -> &'static str {
    match form {
        "nasal-spray" => "a volume, like `30 mL`, for a nasal spray",
        "sublingual-drops" => "a volume, like `30 mL`, for sublingual drops",
        _ => "a volume, like `100 mL`, for an oral solution",
    }
}

/// How the caller gives `option` the value `value`: `--overage 5%` on the command line,
/// `overage = "5%"` in a batch file (whose options are named by their keys).
fn assignment(option: &str, value: &str) -> String {
    if option.starts_with('-') { format!("{option} {value}") } else { format!("{option} = \"{value}\"") }
}

/// `--overage`: `N%` (under 100%) or a quantity of the formula's basis.
fn parse_overage(formula: &Formula, f: Flag<'_>) -> Result<Overage, CalcError> {
    let (option, text) = (f.name, f.value);
    if text.trim_end().ends_with('%') {
        let p = Percent::parse(text).map_err(opt(option))?;
        if p.0 >= Decimal::ONE_HUNDRED {
            return Err(refuse(option, text, "an overage is a process-loss allowance under 100%"));
        }
        return Ok(Overage::Percent(p));
    }
    let basis = formula.basis();
    // `--overage 5` is almost surely 5%, except for troches and RDTs, where it is 5 units.
    if basis != Basis::Molded && parse_number(text).is_ok() {
        let unit = if basis == Basis::Mass { "g" } else { "mL" };
        let n = text.trim();
        return Err(CalcError::OptionFix {
            option: option.to_string(),
            value: text.to_string(),
            reason: "a bare number is neither a percentage nor a quantity".to_string(),
            fix: format!(
                "write `{}` for a percentage of the batch, or a quantity with its unit, like `{}`",
                assignment(option, &format!("{n}%")),
                assignment(option, &format!("{n}{unit}"))
            ),
        });
    }
    let v = crate::formula::parse_batch_size(text, basis).map_err(opt(option))?;
    Ok(Overage::Amount(basis.size(v)))
}

/// `--fill`: the volume one container holds, for a liquid; a usage error for other forms.
fn parse_fill(formula: &Formula, f: Flag<'_>) -> Result<Volume, CalcError> {
    if formula.basis() != Basis::Volume {
        return Err(CalcError::NotForForm {
            option: f.name.to_string(),
            form: formula.dosage_form.to_string(),
            why: "it gives what one container of a liquid holds",
        });
    }
    let v = crate::formula::parse_batch_size(f.value, Basis::Volume).map_err(opt(f.name))?;
    if v.is_zero() {
        return Err(refuse(f.name, f.value, "a container must hold something"));
    }
    Ok(Volume::from_ml(v))
}

/// `--min-volume`: the smallest volume measured with acceptable accuracy, above zero and
/// at most 1 L.
fn parse_min_volume(f: Flag<'_>) -> Result<Volume, CalcError> {
    let v = parse_base(f.name, f.value, Dimension::Volume, "a volume, like `1 mL`")?;
    if v.is_zero() || v > Decimal::ONE_THOUSAND {
        return Err(refuse(f.name, f.value, "it must be above 0 mL and at most 1 L"));
    }
    Ok(Volume::from_ml(v))
}

/// What each `ID=VALUE` option's value looks like, for its help line.
fn pair_example(option: &str) -> &'static str {
    match option {
        "--lod" => "0.5%",
        "--lot" => "K2611",
        "--expiry" => "2027-03-31",
        _ => "99.5%",
    }
}

/// Splits `ID=VALUE`, refusing a control character in `ID`. Without an id, the help
/// suggests the option with `example_id` (an ingredient of the formula) and the value
/// given, or the option's own kind of example.
fn split_pair<'t>(option: &str, text: &'t str, example_id: &str) -> Result<(&'t str, &'t str), CalcError> {
    match text.split_once('=') {
        Some((id, value)) if !id.trim().is_empty() => {
            no_control_characters(option, text, id)?;
            Ok((id.trim(), value.trim()))
        }
        given => {
            let value = given.map_or(text, |(_, v)| v).trim();
            let value = if value.is_empty() || crate::hidden::find_hidden_in_line(value).is_some() {
                pair_example(option)
            } else {
                value
            };
            Err(CalcError::OptionFix {
                option: option.to_string(),
                value: text.to_string(),
                reason: "expected `ID=VALUE`, the ingredient's id and its value".to_string(),
                fix: format!("name the ingredient: `{option} {example_id}={value}`"),
            })
        }
    }
}

/// Free text from the command line that the worksheet prints (`--lot` values,
/// `--batch-id`): one line without a hidden character ([`crate::hidden`]), tab and line
/// feed included, as they would reach the worksheet and the terminal raw.
pub(crate) fn parse_text(option: &str, text: &str) -> Result<String, CalcError> {
    no_control_characters(option, text, text)?;
    Ok(text.to_string())
}

fn no_control_characters(option: &str, text: &str, part: &str) -> Result<(), CalcError> {
    match crate::hidden::find_hidden_in_line(part) {
        Some(c) => Err(refuse(
            option,
            text,
            format!(
                "it contains the hidden character {}, which would reach the worksheet raw; remove it",
                crate::hidden::describe(c)
            ),
        )),
        None => Ok(()),
    }
}

/// The error for a second value of a per-ingredient option (`--assay X=99% --assay
/// X=50%`): keeping either one silently could weigh for the wrong lot, so both are named.
fn repeated(option: &str, id: &str, first: &str, second: &str) -> CalcError {
    refuse(
        option,
        second,
        format!("`{id}` already has `{option} {first}`; give one `{option}` per ingredient"),
    )
}

/// An assay: from 1% to 110%.
///
/// Each correction of the amount to weigh (purity, assay, `100% − LOD`) is at least 1%,
/// so none multiplies a weight by more than 100: an assay of `0.0000001%` once asked for
/// a billion times the amount, a typo no worksheet should carry.
fn parse_assay(option: &str, text: &str) -> Result<Percent, CalcError> {
    let p = Percent::parse(text).map_err(opt(option))?;
    if p.0 < Decimal::ONE || p.0 > Decimal::from(110) {
        return Err(refuse(option, text, "an assay must be from 1% to 110%"));
    }
    Ok(p)
}

/// A loss on drying: from 0% to 99% (at least 1% of the material is dry; see
/// [`parse_assay`]).
fn parse_lod(option: &str, text: &str) -> Result<Percent, CalcError> {
    let p = Percent::parse(text).map_err(opt(option))?;
    if p.0 > Decimal::from(99) {
        return Err(refuse(option, text, "a loss on drying must be from 0% to 99%"));
    }
    Ok(p)
}

/// The finest balance readability accepted, in mg: 0.001 mg (a microbalance).
pub const MIN_READABILITY_MG: Decimal = dec!(0.001);
/// The coarsest balance readability accepted, in mg: 1 g. A coarser one (`100 kg`)
/// rounded every weight to zero.
pub const MAX_READABILITY_MG: Decimal = dec!(1000);
/// The largest minimum weighable quantity, in mg: 820 g, the default minimum weight
/// (820 × readability) of the coarsest balance, so that a minimum weight derived from the
/// readability and one given with `--min-weight` have the same cap.
pub const MAX_MIN_WEIGHT_MG: Decimal = dec!(820_000);

/// `--readability`: from 0.001 mg to 1 g.
fn parse_readability(f: Flag<'_>) -> Result<Mass, CalcError> {
    let v = parse_mass(f.name, f.value)?;
    if v.mg() < MIN_READABILITY_MG || v.mg() > MAX_READABILITY_MG {
        return Err(refuse(f.name, f.value, "a balance readability must be from 0.001 mg to 1 g"));
    }
    Ok(v)
}

/// `--min-weight` for a balance of `readability`: from the readability (a smaller amount
/// cannot be weighed at all) up to 820 g.
fn parse_min_weight(f: Flag<'_>, readability: Mass) -> Result<Mass, CalcError> {
    let v = parse_mass(f.name, f.value)?;
    if v < readability || v.mg() > MAX_MIN_WEIGHT_MG {
        return Err(refuse(
            f.name,
            f.value,
            format!(
                "a minimum weight must be from the balance readability ({}) up to 820 g",
                crate::number::format_mass(readability.mg())
            ),
        ));
    }
    Ok(v)
}

/// A `YYYY-MM-DD` date that exists in the calendar, from 2000-01-01 to 2999-12-31
/// (a compounding date, or a lot's expiry).
fn parse_date(option: &str, text: &str) -> Result<Date, CalcError> {
    let t = text.trim();
    let shape_ok = t.len() == 10
        && t.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    if !shape_ok {
        return Err(refuse(option, text, "expected a date as `YYYY-MM-DD`, e.g. `2026-11-26`"));
    }
    let date =
        t.parse::<Date>().map_err(|_| refuse(option, text, "that date does not exist in the calendar"))?;
    super::options::check_compounding_date(date).map_err(|why| refuse(option, text, why))?;
    Ok(date)
}

/// A positive mass such as `0.1mg`.
fn parse_mass(option: &str, text: &str) -> Result<Mass, CalcError> {
    let v = parse_base(option, text, Dimension::Mass, "a mass, like `0.1 mg`")?;
    if v.is_zero() {
        return Err(refuse(option, text, "it must be above zero"));
    }
    if v > Decimal::from(MAX_MASS_MG) {
        return Err(refuse(option, text, "it must be at most 100 kg"));
    }
    Ok(Mass::from_mg(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag<'a>(name: &'a str, value: &'a str) -> Flag<'a> {
        Flag { name, value }
    }

    #[test]
    fn dates_must_exist() {
        assert!(parse_date("--date", "2028-02-29").is_ok());
        for bad in ["2026-02-30", "2027-02-29", "2026-13-01", "26-11-2026", "20261126", "2026-1-1", ""] {
            assert!(parse_date("--date", bad).is_err(), "{bad}");
        }
        // A compounding date is from 2000 to 2999 (SPEC §11.2).
        assert!(parse_date("--date", "2000-01-01").is_ok());
        assert!(parse_date("--date", "2999-12-31").is_ok());
        for out in ["0000-01-01", "1999-12-31", "3000-01-01", "9999-12-31"] {
            let e = parse_date("--date", out).unwrap_err().to_string();
            assert!(e.contains("a date is from 2000-01-01 to 2999-12-31"), "{out}: {e}");
        }
    }

    #[test]
    fn assay_and_lod_ranges() {
        for (ok, text) in [(true, "99.5%"), (true, "110%"), (true, "1%"), (false, "0%"), (false, "0.99%")] {
            assert_eq!(parse_assay("--assay", text).is_ok(), ok, "{text}");
        }
        assert!(parse_assay("--assay", "0.0000001%").is_err());
        assert!(parse_assay("--assay", "110.1%").is_err());
        assert!(parse_lod("--lod", "0%").is_ok());
        assert!(parse_lod("--lod", "99%").is_ok());
        assert!(parse_lod("--lod", "99.1%").is_err());
        assert!(parse_lod("--lod", "100%").is_err());
    }

    #[test]
    fn strengths() {
        let (id, a) = parse_strength(flag("--strength", "ketamine-hcl=150 mg/mL")).unwrap();
        assert_eq!(id.as_deref(), Some("ketamine-hcl"));
        assert_eq!(a.to_string(), "150 mg/mL");
        assert_eq!(parse_strength(flag("--strength", "1:10 w/w")).unwrap().0, None);
        assert!(parse_strength(flag("--strength", "0 mg/mL")).is_err());
        assert!(parse_strength(flag("--strength", "qs")).is_err());
    }

    #[test]
    fn control_characters_are_refused() {
        assert!(parse_text("--lot", "K-2291 A").is_ok());
        for bad in
            ["K\u{1b}[2J", "a\tb", "a\nb", "a\rb", "\u{7f}", "\u{85}", "K\u{202e}1", "K\u{2066}", "a\u{2028}"]
        {
            assert!(parse_text("--lot", bad).is_err(), "{bad:?}");
        }
        assert!(split_pair("--assay", "ket\u{1b}amine=99%", "x").is_err());
        assert!(parse_strength(flag("--strength", "ket\u{0}=5 mg/mL")).is_err());
        let e = parse_text("--batch-id", "B\u{1b}1").unwrap_err().to_string();
        assert!(e.contains("hidden character U+001B (escape)"), "{e}");
    }

    #[test]
    fn pairs() {
        assert_eq!(split_pair("--lot", "a=L1", "x").unwrap(), ("a", "L1"));
        assert!(split_pair("--lot", "L1", "x").is_err());
        assert!(split_pair("--lot", "=L1", "x").is_err());
    }

    #[test]
    fn balance_bounds() {
        assert_eq!(parse_readability(flag("--readability", "0.001 mg")).unwrap().mg(), MIN_READABILITY_MG);
        assert_eq!(parse_readability(flag("--readability", "1 g")).unwrap().mg(), MAX_READABILITY_MG);
        for bad in ["0.0009 mg", "1.001 g", "100 kg", "0 mg"] {
            assert!(parse_readability(flag("--readability", bad)).is_err(), "{bad}");
        }
        let d = Mass::from_mg(Decimal::ONE);
        assert!(parse_min_weight(flag("--min-weight", "1 mg"), d).is_ok());
        assert!(parse_min_weight(flag("--min-weight", "820 g"), d).is_ok());
        assert!(parse_min_weight(flag("--min-weight", "0.5 mg"), d).is_err());
        assert!(parse_min_weight(flag("--min-weight", "820.001 g"), d).is_err());
    }

    #[test]
    fn every_option_set_is_given() {
        let keys = [
            "quantity",
            "overage",
            "strength",
            "assay",
            "lod",
            "lot",
            "expiry",
            "vendor",
            "date",
            "batch_id",
            "readability",
            "min_weight",
            "fill",
            "min_volume",
            "weight",
            "dose",
            "duration",
            "bag",
            "time",
            "max",
            "authorized_by",
        ];
        let mut flags = Flags::default();
        for k in keys {
            assert!(flags.set(k, k, "v"), "{k}");
        }
        let names: Vec<&str> = flags.all().iter().map(|f| f.name).collect();
        assert_eq!(names, keys);
    }

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
        let e = Options::from_flags(&f, &flags).unwrap_err().to_string();
        assert!(e.starts_with("`assay` names ingredient `nothing`"), "{e}");
        assert!(!flags.set("colour", "--colour", "red"));
        // The vehicle of a liquid takes no assay.
        let mut flags = Flags::default();
        flags.set("date", "--date", "2026-11-26");
        flags.set("assay", "--assay", "sodium-chloride-0.9=99%");
        let e = Options::from_flags(&f, &flags).unwrap_err().to_string();
        assert!(e.contains("is the vehicle, made up to volume and never weighed"), "{e}");
    }
}
