//! Readings beside their targets (SPEC §14.1 `[actual]`, §14.2 item 1): each reading (each
//! step of an aliquot or a dilution) held to what the worksheet asked, with its exact
//! deviation and its status against the ingredient's tolerance; and what each ingredient's
//! readings put into the batch, for the strengths and the C-III record.
//!
//! A reading must be of the kind its ingredient is measured in: a mass for one weighed; a
//! volume, or a net mass (the gravimetric check, converted with the ingredient's `density`
//! or its stock's `stock_density`) for one measured by volume; the steps for one weighed
//! through an aliquot or drawn through a dilution. Anything else, a reading of zero, or
//! one a factor of ten or more from its target, is an error at its place in the file.

use std::collections::HashMap;
use std::ops::Range;

use rust_decimal::Decimal;

use super::asked::{Asked, Target};
use super::factors::{declared, held_by_stock};
use super::{ABSURD_FACTOR, Reading, Status, Step, calculation, deviation, written};
use crate::calc::{AliquotBy, Frac, Options};
use crate::formula::{Diagnostic, Ingredient};
use crate::measure::{Mass, Measured, Volume};
use crate::number::{format_mass, plain};
use crate::quantity::Quantity;
use crate::request::{AliquotSteps, BatchFile, DilutionSteps, Figure, Read as FileRead};

/// What one ingredient's readings put into the batch; each `None` when a reading it needs
/// is missing.
#[derive(Debug, Clone)]
pub(super) struct Taken {
    /// The ingredient.
    pub(super) id: String,
    /// Every reading it needs is there.
    pub(super) complete: bool,
    /// A reading is not measurable as read.
    pub(super) unmeasured: bool,
    /// The mass it adds to the batch, mg (a volume read × its density; an aliquot's
    /// portion): the `M` of a mass or molded form.
    pub(super) mass: Option<Decimal>,
    /// The volume it adds: the qs's final volume, a volume measured or drawn (a dilution's
    /// portion), mL.
    pub(super) volume: Option<Decimal>,
    /// The ingredient it holds, in its declared basis: mg, or mL when required as a volume.
    pub(super) amount: Option<Frac>,
    /// What it took from its stock container (C-III), mg: the material weighed (an
    /// aliquot's whole weighing), or the drug a stock's volume holds (a dilution's 1 mL).
    pub(super) from_stock: Option<Frac>,
    /// The marks of the syringe its stock is drawn with (the C-III tolerance of volumes).
    pub(super) graduation: Option<Volume>,
}

/// Every reading, and what each ingredient's readings put into the batch, in formula
/// order.
#[derive(Debug, Clone, Default)]
pub(super) struct Read {
    pub(super) readings: Vec<Reading>,
    pub(super) taken: Vec<Taken>,
}

impl Read {
    /// What `id`'s readings put into the batch.
    pub(super) fn of(&self, id: &str) -> Option<&Taken> {
        self.taken.iter().find(|t| t.id == id)
    }
}

/// A figure of a batch file: as written, its value (mg or mL), and its place.
struct Fig {
    written: Quantity,
    value: Measured,
    span: Range<usize>,
}

fn fig_of<T: Copy>(f: &Figure<T>, kind: fn(T) -> Measured) -> Fig {
    Fig { written: f.written, value: kind(f.value), span: f.span.clone() }
}

/// A figure that is a mass or a volume already.
fn same(m: Measured) -> Measured {
    m
}

/// Reads every ingredient's readings of `file` against the batch `asked` for; the errors
/// go to `errors`.
pub(super) fn read_all(
    asked: &Asked<'_>,
    options: &Options,
    file: &BatchFile,
    errors: &mut Vec<Diagnostic>,
) -> Read {
    let mut by_id: HashMap<&str, &crate::request::Reading> = HashMap::new();
    for r in &file.actual.readings {
        if by_id.insert(r.id.value.as_str(), r).is_some() {
            errors.push(
                Diagnostic::error(crate::codes::Code::WrongReading, format!("`{}` is read twice in [actual]", r.id.value), r.id.span.clone())
                    .with_help("keep one reading per ingredient: a bare id with a dot and the same id in quotes are the same ingredient"),
            );
        }
    }
    let mut out = Read::default();
    for (line, ing) in asked.lines() {
        let target = match asked.target(line) {
            Ok(t) => t,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        if target == Target::Bag {
            continue;
        }
        let mut r = Reader { asked, options, ing, errors: &mut *errors, readings: Vec::new() };
        let taken = r.ingredient(target, by_id.get(ing.id.as_str()).map(|r| &r.read));
        out.readings.extend(r.readings);
        if let Some(t) = taken {
            out.taken.push(t);
        }
    }
    out
}

/// What a reading must be.
#[derive(Debug, Clone, Copy)]
enum Want {
    Mass,
    Volume,
    /// A volume, or a net mass converted with this density (mg/mL), if the formula gives
    /// one.
    VolumeOrMass(Option<Decimal>),
}

/// One figure, held to its target.
struct Held {
    /// In the target's kind (mg or mL), exact.
    value: Frac,
    /// A net mass read: the mass (mg), which is what went in.
    mass: Option<Decimal>,
}

/// The readings of one ingredient.
struct Reader<'a, 'r> {
    asked: &'a Asked<'a>,
    options: &'a Options,
    ing: &'a Ingredient,
    errors: &'r mut Vec<Diagnostic>,
    readings: Vec<Reading>,
}

impl Reader<'_, '_> {
    fn id(&self) -> &str {
        &self.ing.id
    }

    /// The ingredient's readings against `target`, and what they put into the batch.
    fn ingredient(&mut self, target: Target, read: Option<&FileRead>) -> Option<Taken> {
        let id = self.ing.id.clone();
        let mut taken = Taken {
            id,
            complete: true,
            unmeasured: false,
            mass: None,
            volume: None,
            amount: None,
            from_stock: None,
            graduation: None,
        };
        match target {
            Target::Bag => return None,
            Target::QsVolume(v) => {
                let one = self.one(read, "the volume made up to, like `21 mL`")?;
                let held =
                    self.figure(None, Measured::Volume(v), one.as_ref(), Want::Volume, None, &mut taken);
                taken.volume = held.map(|h| h.value.value()).transpose().ok()?;
            }
            Target::QsMass(m) => {
                let one = self.one(read, "the mass weighed, like `81.9504 g`")?;
                let held = self.figure(None, Measured::Mass(m), one.as_ref(), Want::Mass, None, &mut taken);
                taken.mass = held.map(|h| h.value.value()).transpose().ok()?;
            }
            Target::Weigh(m) => {
                let one = self.one(read, "the mass the balance read, like `2.1181 g`")?;
                let tol = Some(self.ing.tolerance());
                if let Some(h) =
                    self.figure(None, Measured::Mass(m), one.as_ref(), Want::Mass, tol, &mut taken)
                {
                    let mg = h.value.value().ok()?;
                    taken.mass = Some(mg);
                    taken.from_stock = Some(Frac::of(mg));
                    taken.amount = Some(declared(self.ing, self.options, Frac::of(mg), false));
                }
            }
            Target::Measure { volume, graduation } => {
                let example = "the volume measured, like `4.2 mL`, or its net mass";
                let one = self.one(read, example)?;
                let density = self.ing.stock.as_ref().map_or(self.ing.density, |s| s.density);
                let tol = Some(self.ing.tolerance());
                let want = Want::VolumeOrMass(density);
                taken.graduation = Some(graduation);
                if let Some(h) =
                    self.figure(None, Measured::Volume(volume), one.as_ref(), want, tol, &mut taken)
                {
                    self.measured(h, density, &mut taken)?;
                }
            }
            Target::Aliquot { by, weigh, total, take } => {
                let steps = self.aliquot_steps(read, by)?;
                let tol = Some(self.ing.tolerance());
                let kind = match by {
                    AliquotBy::Mass => Want::Mass,
                    AliquotBy::Volume => Want::Volume,
                };
                let w = steps.weigh.as_ref().map(|f| fig_of(f, Measured::Mass));
                let t = steps.total.as_ref().map(|f| fig_of(f, same));
                let a = steps.take.as_ref().map(|f| fig_of(f, same));
                let w = self.figure(
                    Some(Step::Weigh),
                    Measured::Mass(weigh),
                    w.as_ref(),
                    Want::Mass,
                    tol,
                    &mut taken,
                );
                let t = self.figure(Some(Step::Total), total, t.as_ref(), kind, tol, &mut taken);
                let a = self.figure(Some(Step::Take), take, a.as_ref(), kind, tol, &mut taken);
                if let (Some(w), Some(t), Some(a)) = (w, t, a) {
                    let (w, t, a) = (w.value.value().ok()?, t.value.value().ok()?, a.value.value().ok()?);
                    // The portion passes take ÷ total of what was weighed into the batch.
                    taken.amount =
                        Some(declared(self.ing, self.options, Frac::of(w).times(a).over(t), false));
                    taken.from_stock = Some(Frac::of(w));
                    match by {
                        AliquotBy::Mass => taken.mass = Some(a),
                        AliquotBy::Volume => taken.volume = Some(a),
                    }
                }
            }
            Target::Dilution { stock, to, take, graduation } => {
                let steps = self.dilution_steps(read)?;
                let tol = Some(self.ing.tolerance());
                let volume = |f: &Figure<Volume>| fig_of(f, Measured::Volume);
                let (s, k, t) = (
                    steps.stock.as_ref().map(volume),
                    steps.to.as_ref().map(volume),
                    steps.take.as_ref().map(volume),
                );
                let v = |v: Volume| Measured::Volume(v);
                let s = self.figure(Some(Step::Stock), v(stock), s.as_ref(), Want::Volume, tol, &mut taken);
                let k = self.figure(Some(Step::To), v(to), k.as_ref(), Want::Volume, tol, &mut taken);
                let t = self.figure(Some(Step::Take), v(take), t.as_ref(), Want::Volume, tol, &mut taken);
                taken.graduation = Some(graduation);
                if let Some(s) = &s {
                    taken.from_stock = held_by_stock(self.ing, s.value.clone());
                }
                if let (Some(s), Some(k), Some(t)) = (s, k, t) {
                    let (s, k, t) = (s.value.value().ok()?, k.value.value().ok()?, t.value.value().ok()?);
                    // The portion holds take × S × stock ÷ to.
                    taken.amount = held_by_stock(self.ing, Frac::of(t).times(s).over(k));
                    taken.volume = Some(t);
                }
            }
        }
        Some(taken)
    }

    /// A volume measured (or its net mass) of an ingredient measured by volume: what it
    /// adds and holds.
    fn measured(&mut self, h: Held, density: Option<Decimal>, taken: &mut Taken) -> Option<()> {
        let volume = h.value.value().ok()?;
        taken.volume = Some(volume);
        let material_mass = match (h.mass, density) {
            (Some(m), _) => Some(Frac::of(m)),
            (None, Some(d)) => Some(h.value.clone().times(d)),
            (None, None) => None,
        };
        if self.ing.stock.is_some() {
            taken.amount = held_by_stock(self.ing, h.value);
            taken.from_stock.clone_from(&taken.amount);
            return Some(());
        }
        taken.mass = material_mass.as_ref().map(Frac::value).transpose().ok()?;
        let required_volume = self.asked.required_is_volume(&self.ing.id);
        taken.amount = match (required_volume, material_mass) {
            (true, _) => Some(declared(self.ing, self.options, h.value, true)),
            (false, Some(m)) => Some(declared(self.ing, self.options, m, false)),
            (false, None) => None,
        };
        taken.from_stock = taken.mass.map(Frac::of);
        Some(())
    }

    /// The one figure of an ingredient read as one; an error (and `None`) when it is read
    /// through steps. `Some(None)` when it is not read.
    fn one(&mut self, read: Option<&FileRead>, example: &str) -> Option<Option<Fig>> {
        match read {
            None => Some(None),
            Some(FileRead::One(f)) => Some(Some(fig_of(f, same))),
            Some(
                FileRead::Aliquot(AliquotSteps { span, .. }) | FileRead::Dilution(DilutionSteps { span, .. }),
            ) => {
                let id = self.id().to_string();
                self.errors.push(
                    Diagnostic::error(
                        crate::codes::Code::WrongReading,
                        format!(
                            "`{id}` is read as one figure: the worksheet has no aliquot or dilution for it"
                        ),
                        span.clone(),
                    )
                    .with_help(format!("give {example}: `{id} = \"…\"`")),
                );
                None
            }
        }
    }

    /// The steps of an ingredient weighed through an aliquot; an error (and `None`) when
    /// it is read otherwise.
    fn aliquot_steps(&mut self, read: Option<&FileRead>, by: AliquotBy) -> Option<AliquotSteps> {
        let (total, take) = match by {
            AliquotBy::Mass => ("the mass triturated to", "the mass taken"),
            AliquotBy::Volume => ("the volume made up to", "the volume measured"),
        };
        let help = format!(
            "read it step by step: `{} = {{ weigh = \"…\", total = \"…\", take = \"…\" }}`, the mass weighed, {total} and {take}",
            self.id()
        );
        match read {
            None => Some(AliquotSteps { weigh: None, total: None, take: None, span: 0..0 }),
            Some(FileRead::Aliquot(s)) => {
                let kind_of = |m: &Measured| matches!(m, Measured::Mass(_));
                let want_mass = by == AliquotBy::Mass;
                for (key, f) in [("total", &s.total), ("take", &s.take)] {
                    if let Some(f) = f.as_ref().filter(|f| kind_of(&f.value) != want_mass) {
                        let (is, want) =
                            if want_mass { ("a volume", "a mass") } else { ("a mass", "a volume") };
                        self.errors.push(
                            Diagnostic::error(
                                crate::codes::Code::WrongReading,
                                format!(
                                    "`{key}` of `{}` is {is}, `{}`: its aliquot is made by {}, so `{key}` is {want}",
                                    self.id(),
                                    written(&f.written),
                                    by.as_str()
                                ),
                                f.span.clone(),
                            )
                            .with_help(format!("give {want}")),
                        );
                        return None;
                    }
                }
                Some(s.clone())
            }
            Some(FileRead::One(f)) => {
                let message = format!(
                    "`{}` is weighed through an aliquot (the worksheet's warnings give its plan): one figure, `{}`, does not say what was weighed, made up and taken",
                    self.id(),
                    written(&f.written)
                );
                self.errors.push(
                    Diagnostic::error(crate::codes::Code::WrongReading, message, f.span.clone())
                        .with_help(help),
                );
                None
            }
            Some(FileRead::Dilution(s)) => {
                let message = format!(
                    "the steps of `{}` are a dilution's, but it is weighed through an aliquot",
                    self.id()
                );
                self.errors.push(
                    Diagnostic::error(crate::codes::Code::WrongReading, message, s.span.clone())
                        .with_help(help),
                );
                None
            }
        }
    }

    /// The steps of an ingredient drawn through a dilution; an error (and `None`) when it
    /// is read otherwise.
    fn dilution_steps(&mut self, read: Option<&FileRead>) -> Option<DilutionSteps> {
        let help = format!(
            "read it step by step: `{} = {{ stock = \"…\", to = \"…\", take = \"…\" }}`, the volume of stock drawn, the volume it was made up to and the portion taken, each in mL",
            self.id()
        );
        let (message, span) = match read {
            None => return Some(DilutionSteps { stock: None, to: None, take: None, span: 0..0 }),
            Some(FileRead::Dilution(s)) => return Some(s.clone()),
            Some(FileRead::One(f)) => (
                format!(
                    "`{}` is drawn through a dilution (the worksheet's dilution step): one figure, `{}`, does not say what was drawn, made up and taken",
                    self.id(),
                    written(&f.written)
                ),
                f.span.clone(),
            ),
            Some(FileRead::Aliquot(s)) => (
                format!("the steps of `{}` are an aliquot's, but it is drawn through a dilution", self.id()),
                s.span.clone(),
            ),
        };
        self.errors.push(Diagnostic::error(crate::codes::Code::WrongReading, message, span).with_help(help));
        None
    }

    /// One figure (of `step`, when it is one) against `target`, as `want` says it must
    /// be: its reading record, and the figure in the target's kind when it was read and
    /// can be used.
    fn figure(
        &mut self,
        step: Option<Step>,
        target: Measured,
        fig: Option<&Fig>,
        want: Want,
        tolerance: Option<Decimal>,
        taken: &mut Taken,
    ) -> Option<Held> {
        let status_of_missing = Reading {
            id: self.id().to_string(),
            step,
            target,
            read: None,
            actual: None,
            density: None,
            deviation: None,
            tolerance,
            status: Status::Missing,
        };
        let Some(fig) = fig else {
            taken.complete = false;
            self.readings.push(status_of_missing);
            return None;
        };
        let (held, density) = self.convert(step, fig, want)?;
        let value =
            held.value.value().map_err(|_| self.errors.push(calculation(&self.ing.id, "a reading"))).ok()?;
        if !self.plausible(step, fig, value, target) {
            return None;
        }
        let actual = match target {
            Measured::Mass(_) => Measured::Mass(Mass::from_mg(value)),
            Measured::Volume(_) => Measured::Volume(Volume::from_ml(value)),
        };
        let dev = deviation(value, target.value());
        // A net mass below the balance's minimum weight is not a measurement (SPEC §14.1).
        let below = held.mass.is_some_and(|m| m < self.asked.min_weight().mg());
        let status = match (tolerance, dev, below) {
            (_, _, true) => Status::Unmeasured,
            (None, _, false) => Status::Recorded,
            (Some(t), Some(d), false) => Status::against(d, t),
            (Some(_), None, false) => {
                self.errors.push(calculation(&self.ing.id, "the deviation of a reading"));
                return None;
            }
        };
        taken.unmeasured |= below;
        self.readings.push(Reading {
            id: self.id().to_string(),
            step,
            target,
            read: Some(fig.written),
            actual: Some(actual),
            density,
            deviation: dev,
            tolerance,
            status,
        });
        Some(held)
    }

    /// `fig` in the kind `want` asks for, and the density a mass was converted with; an
    /// error for a figure of another kind.
    fn convert(&mut self, step: Option<Step>, fig: &Fig, want: Want) -> Option<(Held, Option<Decimal>)> {
        let what = match step {
            Some(s) => format!("`{}` of `{}`", s.as_str(), self.id()),
            None => format!("`{}`", self.id()),
        };
        let shown = written(&fig.written);
        match (want, fig.value) {
            (Want::Mass, Measured::Mass(m)) => Some((Held { value: Frac::of(m.mg()), mass: None }, None)),
            (Want::Volume | Want::VolumeOrMass(_), Measured::Volume(v)) => {
                Some((Held { value: Frac::of(v.ml()), mass: None }, None))
            }
            (Want::VolumeOrMass(Some(d)), Measured::Mass(m)) => {
                Some((Held { value: Frac::of(m.mg()).over(d), mass: Some(m.mg()) }, Some(d)))
            }
            (Want::Mass, Measured::Volume(_)) => {
                let message = if self.is_qs() {
                    format!("{what} is `{shown}`, a volume: it is the base, weighed to the batch's mass")
                } else {
                    format!(
                        "{what} is `{shown}`, a volume: it is weighed, so its reading is the mass the balance read"
                    )
                };
                self.refuse(message, fig, "give the mass the balance read, like `2.1181 g`".to_string())
            }
            (Want::Volume, Measured::Mass(_)) => {
                let message = if self.is_qs() {
                    format!(
                        "{what} is `{shown}`, a mass: it is made up to the batch's volume, so its reading is the volume made up to"
                    )
                } else {
                    format!("{what} is `{shown}`, a mass: the step is measured in mL")
                };
                self.refuse(message, fig, "give the volume, like `21 mL`".to_string())
            }
            (Want::VolumeOrMass(None), Measured::Mass(_)) => {
                let key = if self.ing.stock.is_some() { "stock_density" } else { "density" };
                let message = format!(
                    "{what} is `{shown}`, a mass: it is measured by volume, and the formula gives no `{key}` to turn a net mass into the volume it is"
                );
                let help = format!(
                    "give the volume measured, like `0.70 mL`; or add the solution's `{key}` (the net mass of a measured volume ÷ that volume, with its source) to the ingredient in the formula"
                );
                self.refuse(message, fig, help)
            }
        }
    }

    fn is_qs(&self) -> bool {
        self.ing.is_qs()
    }

    fn refuse<T>(&mut self, message: String, fig: &Fig, help: String) -> Option<T> {
        self.errors.push(
            Diagnostic::error(crate::codes::Code::WrongReading, message, fig.span.clone()).with_help(help),
        );
        None
    }

    /// Whether `value` (in the target's kind) can be a reading of `target`: not zero, and
    /// less than ten times it and more than a tenth of it; else an error.
    fn plausible(&mut self, step: Option<Step>, fig: &Fig, value: Decimal, target: Measured) -> bool {
        let shown = written(&fig.written);
        let of = match step {
            Some(s) => format!("`{}` of `{}`", s.as_str(), self.id()),
            None => format!("`{}`", self.id()),
        };
        if value.is_zero() {
            self.errors.push(
                Diagnostic::error(
                    crate::codes::Code::AbsurdReading,
                    format!("{of} is `{shown}`: a reading of nothing"),
                    fig.span.clone(),
                )
                .with_help(
                    "give what was read, or leave it out until it is read (the record lists it as missing)",
                ),
            );
            return false;
        }
        let factor = Decimal::from(ABSURD_FACTOR);
        let t = target.value();
        let high = crate::arith::mul(t, factor).is_ok_and(|limit| value >= limit);
        let low = crate::arith::mul(value, factor).is_ok_and(|v| v <= t);
        if high || low {
            let asked = match target {
                Measured::Mass(m) => format_mass(m.mg()),
                Measured::Volume(v) => format!("{} mL", plain(v.ml())),
            };
            let how = if high { "10 or more times" } else { "a tenth or less of" };
            self.errors.push(
                Diagnostic::error(
                    crate::codes::Code::AbsurdReading,
                    format!(
                        "{of} is `{shown}`, {how} the {asked} the worksheet asked for: a slip of the unit or of the decimal point?"
                    ),
                    fig.span.clone(),
                )
                .with_help(format!(
                    "give the figure read; a reading off its target by a factor of {ABSURD_FACTOR} or more is refused, never recorded"
                )),
            );
            return false;
        }
        true
    }
}
