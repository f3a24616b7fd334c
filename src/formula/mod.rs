//! The master formulation record (SPEC §2): the validated, typed model that the rest of
//! the library sees, and the loader that builds it from TOML while collecting every
//! diagnostic it can find.

mod diagnostic;
pub mod dose;
mod example;
pub mod format;
mod literal;
mod load;
mod reader;
mod rules;
pub mod schema;
mod spelling;
mod string_span;
mod template;
mod texts;

use std::ops::Range;

use rust_decimal::Decimal;

pub use diagnostic::{
    Diagnostic, Located, MAX_DIAGNOSTICS, Omitted, Severity, TOO_MANY, cap, line_at, line_col,
};
pub use format::{Key, Kind, Table, Value};
pub use load::{
    Loaded, MAX_FILE_BYTES, MAX_ITEMS, MAX_MASS_MG, MAX_UNITS, MAX_VOLUME_ML, load_bytes, load_bytes_unless,
    load_str, parse_batch_size,
};
pub use spelling::{
    DosageForm, InfusionMethod, Measure, Role, Schedule, Starting, SterileCategory, SterileMethod, Storage,
    StrengthBasis, UnknownWord, Water, Word,
};
pub use template::{
    MAX_LITERALS_KEPT, PLACEHOLDERS, Slot, Template, TemplateError, TemplateErrorKind, TemplateErrors,
};

pub(crate) use load::{parse_toml, text_of};
pub(crate) use reader::distance;
pub(crate) use reader::{TableReader, Text, closest, parse_text};

use crate::arith::{self, ArithResult};
use crate::measure::{BatchSize, Mass, Volume};
use crate::quantity::{Amount, Percent};
use crate::unit::Dimension;

/// How the batch of a dosage form is measured (SPEC §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Liquids: the batch is a volume; the vehicle is "qs to volume".
    Volume,
    /// Semisolids: the batch is a mass; the base is the remainder by mass.
    Mass,
    /// Troches and RDTs: the batch is a count of cavities; the base is displacement-adjusted.
    Molded,
    /// IV infusions: one bag for one patient, dosed by weight (SPEC §8); sizes are volumes.
    Infusion,
}

impl Basis {
    /// A batch size of `v` in the basis' base unit (mL, mg or units).
    pub fn size(self, v: Decimal) -> crate::measure::BatchSize {
        use crate::measure::{BatchSize, Count, Mass, Volume};
        match self {
            Basis::Volume | Basis::Infusion => BatchSize::Volume(Volume::from_ml(v)),
            Basis::Mass => BatchSize::Mass(Mass::from_mg(v)),
            Basis::Molded => BatchSize::Count(Count::from_units(v)),
        }
    }

    /// The largest batch (and prepared quantity) of the basis, in its base unit, and as
    /// people read it: 100 L, 100 kg or 1,000,000 units.
    pub fn limit(self) -> (Decimal, &'static str) {
        match self {
            Basis::Volume | Basis::Infusion => (Decimal::from(MAX_VOLUME_ML), "100 L"),
            Basis::Mass => (Decimal::from(MAX_MASS_MG), "100 kg"),
            Basis::Molded => (Decimal::from(MAX_UNITS), "1000000 units"),
        }
    }

    /// The basis as `show --format json` names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Volume => "volume",
            Basis::Mass => "mass",
            Basis::Molded => "molded",
            Basis::Infusion => "infusion",
        }
    }

    /// The dimensions an ingredient's amount may have (SPEC §2.2): concentrations of the
    /// basis' kind, and fixed masses and volumes. An infusion's active is dosed by
    /// `[dose]` and its diluent is `qs`: no amount has a dimension.
    pub fn amount_dimensions(self) -> &'static [Dimension] {
        match self {
            Basis::Volume => {
                &[Dimension::MassPerVolume, Dimension::VolumePerVolume, Dimension::Mass, Dimension::Volume]
            }
            Basis::Mass => &[Dimension::MassPerMass, Dimension::Mass, Dimension::Volume],
            Basis::Molded => &[Dimension::MassPerCount, Dimension::Mass, Dimension::Volume],
            Basis::Infusion => &[],
        }
    }

    /// A batch size in the basis' base unit (mL, mg or units) as messages and the
    /// calculation trail print it: `10.5 mL`, `1.05 g`, `32 units`.
    pub fn show(self, v: Decimal) -> String {
        match self {
            Basis::Volume | Basis::Infusion => format!("{} mL", crate::number::for_reading(v, 6)),
            Basis::Mass => crate::number::format_mass(v),
            Basis::Molded => format!("{} units", crate::number::for_reading(v, 6)),
        }
    }
}

impl DosageForm {
    /// How batches of this form are measured.
    pub fn basis(self) -> Basis {
        match self {
            DosageForm::NasalSpray | DosageForm::SublingualDrops | DosageForm::OralSolution => Basis::Volume,
            DosageForm::Cream | DosageForm::Gel | DosageForm::Ointment => Basis::Mass,
            DosageForm::Troche | DosageForm::Rdt => Basis::Molded,
            DosageForm::IvInfusion => Basis::Infusion,
        }
    }

    /// `an` before a form that starts with a vowel sound (`an oral-solution`), else `a`.
    pub fn article(self) -> &'static str {
        if self.as_str().starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
    }

    /// Returns true if and only if a `[device]` table is required.
    pub fn needs_device(self) -> bool {
        matches!(self, DosageForm::NasalSpray | DosageForm::SublingualDrops)
    }

    /// Returns true if and only if the form is an oral liquid for USP <795> (90-day
    /// nonaqueous category).
    pub fn is_oral_liquid(self) -> bool {
        matches!(self, DosageForm::OralSolution | DosageForm::SublingualDrops)
    }
}

/// How a molded form's ingredient displaces base (SPEC §2.2, DOMAIN.md §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Displacement {
    /// Grams of base removed per gram of ingredient (troche-vendor style).
    Factor(Decimal),
    /// Grams of ingredient that displace 1 g of base (suppository style): removes weight ÷ DF.
    DensityFactor(Decimal),
    /// Neither given: one-to-one, and the worksheet says so.
    AssumedOneToOne,
}

/// One ingredient line.
#[derive(Debug, Clone, PartialEq)]
pub struct Ingredient {
    /// Unique id within the formula.
    pub id: String,
    /// Byte range of the `id` value.
    pub id_span: Range<usize>,
    /// Name as printed.
    pub name: String,
    /// Role.
    pub role: Role,
    /// The amount as written.
    pub amount: Amount,
    /// Salt or base (actives only).
    pub basis: Option<StrengthBasis>,
    /// Molecular weight of the material weighed, with that of the free base; both or neither.
    pub molecular_weights: Option<(Decimal, Decimal)>,
    /// DEA schedule.
    pub schedule: Option<Schedule>,
    /// Solubility in the vehicle, in the dimension's base unit (`mg/mL` or `mg/g`).
    pub solubility: Option<Decimal>,
    /// Purity of the material (a 50% solution: weigh amount ÷ 50%).
    pub purity: Option<Percent>,
    /// Density in mg/mL.
    pub density: Option<Decimal>,
    /// How it is measured.
    pub measure: Measure,
    /// Displacement (molded forms only; `AssumedOneToOne` elsewhere is ignored).
    pub displacement: Displacement,
    /// What the amount is an amount of, when the worksheet should say it: the active
    /// moiety of an active stated as base (`ketamine`), the pure substance of a diluted
    /// material (`benzalkonium chloride`).
    pub substance: Option<String>,
    /// The solution of known strength it is measured from (SPEC §8.1), if any.
    pub stock: Option<Stock>,
    /// How far a reading of it may be from its target in the completed record (SPEC
    /// §14.2), when the formula says; else 2% for an active or scheduled ingredient, 5%
    /// for any other ([`Ingredient::tolerance`]).
    pub tolerance: Option<Percent>,
    /// Byte range of the `amount` value in the file (of the `[dose]` rule for an
    /// infusion's active, whose amount is the dose).
    pub amount_span: Range<usize>,
    /// Byte range of the ingredient's `[[ingredients]]` header.
    pub span: Range<usize>,
}

impl Ingredient {
    /// Returns true if and only if the amount is `qs`.
    pub fn is_qs(&self) -> bool {
        self.amount == Amount::Qs
    }

    /// How far a reading of it may be from its target, percent (SPEC §14.2): its own
    /// `tolerance`, else 2% for an active or scheduled ingredient (DOMAIN §16) and 5%
    /// for any other.
    pub fn tolerance(&self) -> Decimal {
        match self.tolerance {
            Some(t) => t.0,
            None if self.role == Role::Active || self.schedule.is_some() => Decimal::TWO,
            None => Decimal::from(5),
        }
    }

    /// The salt factor as a fraction `(numerator, denominator)` that converts the
    /// declared basis into the material as weighed: `MW ÷ MW_base` when the strength is
    /// stated as base and the weights are known, else `1 ÷ 1`.
    pub fn salt_factor(&self) -> (Decimal, Decimal) {
        match (self.basis, self.molecular_weights) {
            (Some(StrengthBasis::Base), Some((mw, base))) => (mw, base),
            _ => (Decimal::ONE, Decimal::ONE),
        }
    }

    /// The factor `(numerator, denominator)` from the declared basis to the basis its
    /// stock is labelled in: `MW ÷ MW_base` from base to salt, the inverse from salt to
    /// base, `1 ÷ 1` when they agree (or there is no stock).
    pub fn to_stock_basis(&self) -> (Decimal, Decimal) {
        match (self.stock.and_then(|s| s.basis), self.other_basis()) {
            (Some(b), Some((other, ratio))) if b == other => ratio,
            _ => (Decimal::ONE, Decimal::ONE),
        }
    }

    /// The basis other than the declared one (salt when none is declared), with the
    /// factor `(numerator, denominator)` from the declared basis to it: `MW ÷ MW_base`
    /// from base to salt, the inverse from salt to base. `None` without molecular weights.
    pub fn other_basis(&self) -> Option<(StrengthBasis, (Decimal, Decimal))> {
        let declared = self.basis.unwrap_or(StrengthBasis::Salt);
        let (mw, base) = self.molecular_weights?;
        let ratio = match declared {
            StrengthBasis::Base => (mw, base),
            StrengthBasis::Salt => (base, mw),
        };
        Some((declared.other(), ratio))
    }
}

/// A solution of known strength an ingredient is measured from (a ketamine injection vial,
/// a 1:750 benzalkonium chloride stock): measured by volume, never weighed (SPEC §8.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stock {
    /// The strength as written: a mass per volume (`50 mg/mL`, `%w/v`, `1:N w/v`).
    pub strength: Amount,
    /// The strength as the fraction `numerator ÷ denominator` mg/mL, in [`Stock::basis`]
    /// (`1:750 w/v` is 1000 ÷ 750, kept exact).
    pub per_ml: (Decimal, Decimal),
    /// The basis the strength is stated in (salt or base), when it is not the ingredient's.
    pub basis: Option<StrengthBasis>,
    /// What one container of the stock holds.
    pub vial: Option<Volume>,
    /// The solution's density (`stock_density`), mg/mL: a net mass drawn is converted to
    /// the volume it is (the gravimetric check of SPEC §14.1).
    pub density: Option<Decimal>,
}

/// The USP <797> facts that set an infusion's beyond-use date (SPEC §8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sterile {
    /// The category.
    pub category: SterileCategory,
    /// Category 2: aseptic or terminally sterilized.
    pub method: Option<SterileMethod>,
    /// Category 2: whether any starting component is nonsterile.
    pub starting: Option<Starting>,
    /// Category 2: whether the preparation passed a sterility test.
    pub tested: bool,
}

/// How much of the active a patient gets (`[dose]`, SPEC §8.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoseRule {
    /// Per kilogram of body weight, in mg/kg.
    PerKg(Decimal),
    /// A fixed dose.
    Fixed(Mass),
}

/// An infusion's `[dose]` and `[infusion]` tables (SPEC §8.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Infusion {
    /// USP <797> category and the facts of category 2.
    pub sterile: Sterile,
    /// The dose rule, in the active's declared basis.
    pub dose: DoseRule,
    /// A ceiling on the dose.
    pub max: Option<Mass>,
    /// The infusion time, in minutes.
    pub duration: Decimal,
    /// Whole bag or fixed concentration.
    pub method: InfusionMethod,
    /// The bag's nominal volume of diluent.
    pub bag: Volume,
    /// The bag's fill above nominal.
    pub overfill: Volume,
    /// Fixed concentration: the nominal concentration, mg/mL.
    pub concentration: Option<Decimal>,
    /// First withdraw from the bag a volume equal to the drug's.
    pub replace: bool,
    /// The administration set's drop factor, gtt/mL.
    pub drop_factor: Option<Decimal>,
}

/// The metered-dose device of a liquid or semisolid form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// What one actuation is called (`spray`, `drop`, `click`).
    pub dose: String,
    /// Volume per actuation, or actuations per mL.
    pub delivery: Delivery,
    /// Actuations lost priming.
    pub priming: Decimal,
    /// Volume left in the container, in mL.
    pub residual: Decimal,
}

/// How much one actuation delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// mL per actuation.
    Volume(Decimal),
    /// Actuations per mL (a calibrated dropper).
    PerMl(Decimal),
}

/// The overage of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overage {
    /// A percentage of the requested quantity.
    Percent(Percent),
    /// An absolute amount of the batch's own kind (`0.5 mL`, `2 units`).
    Amount(BatchSize),
}

impl Overage {
    /// The prepared quantity for a requested quantity `q` (in the basis' base unit):
    /// `q × (100% + p)`, or `q` plus the amount.
    pub fn apply(self, q: Decimal) -> ArithResult {
        match self {
            Overage::Percent(p) => {
                arith::div(arith::mul(q, arith::add(Decimal::ONE_HUNDRED, p.0)?)?, Decimal::ONE_HUNDRED)
            }
            Overage::Amount(a) => arith::add(q, a.value()),
        }
    }
}

/// A formula's own beyond-use date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudOverride {
    /// Days after compounding (1–180).
    pub days: u32,
    /// The stability reference supporting it.
    pub reference: String,
}

/// A validated master formulation record.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    /// Id (`[a-z0-9][a-z0-9.-]{0,63}`).
    pub id: String,
    /// Byte range of the `id` value.
    pub id_span: Range<usize>,
    /// Preparation name (may hold placeholders such as `{strength:ketamine-hcl}`).
    pub name: Template,
    /// MFR revision.
    pub revision: u32,
    /// Dosage form.
    pub dosage_form: DosageForm,
    /// Route of administration.
    pub route: String,
    /// USP <795> water category (`None` for a sterile infusion, which follows <797>).
    pub water: Option<Water>,
    /// Contains an antimicrobial preservative (aqueous forms).
    pub preserved: bool,
    /// Storage condition.
    pub storage: Storage,
    /// Container-closure system.
    pub container: Option<Template>,
    /// Physical description of the final preparation.
    pub description: Option<Template>,
    /// Density of the finished preparation, mg/mL.
    pub density: Option<Decimal>,
    /// How far an actual strength may be from the labelled one in the completed record
    /// (SPEC §14.2), when the formula says ([`Formula::strength_tolerance`]).
    pub strength_tolerance: Option<Percent>,
    /// A `bud_days` override.
    pub bud: Option<BudOverride>,
    /// The reference batch the formula's text is written for.
    pub batch_quantity: Option<BatchSize>,
    /// Overage.
    pub overage: Option<Overage>,
    /// What one container holds (`[batch].fill`, liquids only).
    pub fill: Option<Volume>,
    /// The nominal fill one container takes (`[batch].capacity`, liquids only): no fill may
    /// be larger, and it is the fill when none is given (SPEC §13).
    pub capacity: Option<Volume>,
    /// The ingredient that aliquots of weighed solids are triturated with, when it is not
    /// the qs ingredient (`[aliquot] diluent`).
    pub aliquot_diluent: Option<String>,
    /// Device (metered dosing).
    pub device: Option<Device>,
    /// Blank (base-only) weight of one mold cavity, mg.
    pub blank_weight: Option<Mass>,
    /// The cavities of one mold (`[mold] cavities`), when the formula says (SPEC §13).
    pub mold_cavities: Option<u64>,
    /// An IV infusion's dose, bag and USP <797> category.
    pub infusion: Option<Infusion>,
    /// Ingredients, in file order.
    pub ingredients: Vec<Ingredient>,
    /// Procedure steps.
    pub steps: Vec<Template>,
    /// Quality-control checks.
    pub quality: Vec<Template>,
    /// Labeling warnings.
    pub labeling: Vec<Template>,
    /// Byte range of `[batch].quantity`, or of the `[batch]` table, for diagnostics.
    pub batch_span: Range<usize>,
    /// The loader's warnings (assumed displacement, unscheduled ketamine, …), which the
    /// worksheet repeats.
    pub warnings: Vec<Diagnostic>,
}

impl Formula {
    /// How batches are measured.
    pub fn basis(&self) -> Basis {
        self.dosage_form.basis()
    }

    /// The ingredient made up to the batch (exactly one in a valid formula).
    pub fn qs(&self) -> Option<&Ingredient> {
        self.ingredients.iter().find(|i| i.is_qs())
    }

    /// The actives.
    pub fn actives(&self) -> impl Iterator<Item = &Ingredient> {
        self.ingredients.iter().filter(|i| i.role == Role::Active)
    }

    /// An ingredient by id.
    pub fn ingredient(&self, id: &str) -> Option<&Ingredient> {
        self.ingredients.iter().find(|i| i.id == id)
    }

    /// The name as the formula itself states it: `{strength:ID}` filled with the active's
    /// own amount (`Ketamine HCl 100 mg/mL Nasal Spray`), an infusion's `{dose}`, `{bag}`
    /// and `{concentration}` with the formula's rule, bag and nominal concentration
    /// (`Ketamine 0.5 mg/kg in 100 mL …`, `1 mg/mL (nominal)`), any other placeholder as
    /// written. Batches print
    /// their own figures instead (`report::figures`).
    pub fn reference_name(&self) -> String {
        let infusion = self.infusion.as_ref();
        self.name.fill(|slot| match slot {
            Slot::Strength(id) => {
                self.ingredient(id).map_or_else(|| slot.to_string(), |i| i.amount.to_string())
            }
            Slot::Dose => self.actives().next().map_or_else(|| slot.to_string(), |a| a.amount.to_string()),
            Slot::Bag => {
                infusion.map_or_else(|| slot.to_string(), |i| format!("{} mL", i.bag.ml().normalize()))
            }
            Slot::Concentration => infusion
                .and_then(|i| i.concentration)
                .map_or_else(|| slot.to_string(), |c| format!("{} mg/mL (nominal)", c.normalize())),
            other => other.to_string(),
        })
    }

    /// What one container is called (SPEC §13): the first of `bottle`, `vial`, `jar`,
    /// `tube`, `syringe`, `pump` that the `container` text names, else `container`.
    pub fn container_noun(&self) -> &'static str {
        let text = self.container.as_ref().map(Template::literal_text).unwrap_or_default();
        texts::CONTAINER_NOUNS.iter().copied().find(|n| texts::names_word(&text, n)).unwrap_or("container")
    }

    /// How far an actual strength may be from the labelled one, percent (SPEC §14.2): the
    /// formula's `strength_tolerance`, else 5%.
    pub fn strength_tolerance(&self) -> Decimal {
        self.strength_tolerance.map_or(Decimal::from(5), |t| t.0)
    }

    /// The most restrictive schedule of any ingredient.
    pub fn schedule(&self) -> Option<Schedule> {
        self.ingredients.iter().filter_map(|i| i.schedule).min()
    }
}

/// What an id is: a lowercase letter or digit, then up to 63 lowercase letters, digits,
/// `.` and `-` (as a regular expression; [`is_valid_id`] checks it).
pub const ID_PATTERN: &str = "[a-z0-9][a-z0-9.-]{0,63}";

/// Returns true if and only if `id` matches [`ID_PATTERN`].
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    first_ok
        && id.len() <= 64
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_pattern() {
        for good in ["ketamine-hcl-nasal-spray-100", "a", "0", "sodium-chloride-0.9", &"a".repeat(64)] {
            assert!(is_valid_id(good), "{good}");
        }
        for bad in ["", "-a", ".a", "A", "a_b", "a/b", "../x", "a b", &"a".repeat(65), "é", "a\0"] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
    }
}
