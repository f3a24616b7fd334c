//! The formula file format (SPEC §2, §7) declared once: every table, its keys, and what
//! each key holds. The loader reads exactly these keys (any other is reported as
//! unknown, with the nearest declared one as a suggestion), and `ketacalc schema` turns
//! the same declarations into a JSON Schema, so the two cannot drift apart.
//!
//! The batch file of SPEC §14.1 ([`crate::request::format`]) is declared with the same
//! [`Table`], [`Key`] and [`Value`]; the values only a batch file has (a date, an
//! ingredient's readings, QC results, a key refused with its reason) are among these.

use super::Basis;
use super::spelling::{
    DosageForm, InfusionMethod, Measure, Role, Starting, SterileCategory, SterileMethod, Storage,
    StrengthBasis, Water,
};
use crate::unit::Dimension;

/// What a key's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A TOML integer from `min` to `max` (a count: `revision = 3`).
    Integer {
        /// The smallest value allowed.
        min: u64,
        /// The largest value allowed.
        max: u64,
    },
    /// `true` or `false`.
    Bool,
    /// Free text; `placeholders` when it may hold `{quantity}` and the like (SPEC §7.1).
    Text {
        /// Whether placeholders are filled in.
        placeholders: bool,
    },
    /// An id: `[a-z0-9][a-z0-9.-]{0,63}`.
    Id,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// A DEA schedule: `CIII`, `C-III` (any case).
    Schedule,
    /// A quantity string of this kind.
    Quantity(Kind),
    /// A quantity string, or a TOML integer for a plain count (`quantity = 96`).
    QuantityOrCount(Kind),
    /// An array of texts (with placeholders).
    Texts,
    /// A table (`[batch]`).
    Table(&'static Table),
    /// An array of tables (`[[ingredients]]`).
    Tables(&'static Table),
    /// One line of free text, without a tab or a line break (a lot, a vendor, a person).
    Line,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A time of day on a 24-hour clock, `HH:MM`.
    Clock,
    /// A formula: its id, or the path of its file.
    Formula,
    /// A strength `[ID=]S`, or an array of them (a flag given more than once).
    Strengths,
    /// A key refused with this reason (an output option in a batch file): the loader says
    /// why, and the schema forbids the key.
    Refused(&'static str),
    /// One table per ingredient, under the ingredient's id (`[lots.ketamine-hcl]`).
    ById(&'static Table),
    /// What was read (`[actual]`): the keys of `fixed`, and under each ingredient's id a
    /// reading, a quantity of [`Kind::Measured`] or an inline table of one of `steps`.
    Readings {
        /// The keys that are not ingredient ids.
        fixed: &'static Table,
        /// The tables of steps a reading may be.
        steps: &'static [&'static Table],
    },
    /// The results of the QC checks by their number: `"pass"` or `"fail"`, optionally
    /// followed by `:` and what was seen.
    Results,
}

/// The kinds of quantity string a key takes (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A mass (`1.000 g`).
    Mass,
    /// A volume (`0.1 mL`).
    Volume,
    /// A density (`0.98 g/mL`).
    Density,
    /// A percentage (`50%`).
    Percent,
    /// A plain number (`274.19`, `20`).
    Number,
    /// A batch size: a volume, a mass or a count by the dosage form.
    BatchSize,
    /// An overage: a percentage or a batch size.
    Overage,
    /// An ingredient amount: a concentration, a per-unit amount, a ratio strength, a fixed
    /// mass or volume, or `qs`.
    Amount,
    /// A concentration, for a solubility or an infusion's nominal concentration.
    Concentration,
    /// A stock solution's strength: a mass per volume (`50 mg/mL`, `%w/v`, `1:N w/v`).
    Stock,
    /// A dose rule: a mass per kilogram of body weight (`0.5 mg/kg`) or a mass.
    Dose,
    /// A length of time (`40 min`, `1 h`).
    Time,
    /// A drop factor (`15 gtt/mL`).
    DropFactor,
    /// A reading: a mass or a volume (`2.1181 g`, `21 mL`).
    Measured,
    /// A yield: a count of containers or units, or a volume or mass filled.
    Yield,
}

/// One key of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key as written.
    pub name: &'static str,
    /// What it holds.
    pub value: Value,
    /// Whether every formula must have it (some keys are required only for some forms;
    /// the loader says so, the schema does not).
    pub required: bool,
    /// What it is for, one line.
    pub about: &'static str,
}

/// A table of the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    /// How messages name it: `[batch]`, `[[ingredients]]`, `the top level of the file`.
    pub label: &'static str,
    /// Its keys, in the order a file usually writes them.
    pub keys: &'static [Key],
}

impl Table {
    /// The declared key names.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.keys.iter().map(|k| k.name)
    }

    /// The declaration of `name`.
    pub fn key(&self, name: &str) -> Option<&'static Key> {
        self.keys.iter().find(|k| k.name == name)
    }
}

const fn key(name: &'static str, value: Value, required: bool, about: &'static str) -> Key {
    Key { name, value, required, about }
}

/// What one actuation of a `[device]` may be called.
pub const DOSE_NOUNS: &[&str] = &["spray", "drop", "click", "dose"];

/// The most cavities one mold may have (`[mold] cavities`).
pub const MAX_MOLD_CAVITIES: u64 = 10_000;

/// The most actuations a pump may lose to priming.
pub const MAX_PRIMING: u64 = 1_000_000;

/// What a batch of a basis is measured in: the dimension of `[batch] quantity`, of an
/// overage amount and of the quantities a text should write as placeholders.
pub fn batch_dimension(basis: Basis) -> Dimension {
    match basis {
        Basis::Volume | Basis::Infusion => Dimension::Volume,
        Basis::Mass => Dimension::Mass,
        Basis::Molded => Dimension::Count,
    }
}

/// The top-level keys of a non-sterile preparation (USP <795>) that an infusion has not.
pub const NONSTERILE_KEYS: &[&str] = &["water", "preserved", "bud_days", "bud_reference"];

/// The top-level keys of a sterile preparation (USP <797>) that only an infusion has.
pub const STERILE_KEYS: &[&str] = &["sterile_category", "sterile_method", "starting", "sterility_tested"];

/// The sterile keys that only a category 2 preparation has.
pub const CATEGORY_TWO_KEYS: &[&str] = &["sterile_method", "starting", "sterility_tested"];

/// The keys of an ingredient that one measured from a `stock` has not: a stock solution
/// is measured by volume at its labelled strength.
pub const NOT_WITH_STOCK: &[&str] = &["purity", "density", "measure", "solubility"];

/// The one file-format version there is (`format = 1`).
pub const FORMAT_VERSION: u64 = 1;

/// The MFR revisions a formula may have: the positive numbers a `u32` holds.
pub const REVISIONS: (u64, u64) = (1, 4_294_967_295);

/// The beyond-use dates, in days, a formula may give itself: USP <795> allows at most
/// 180, even with stability data.
pub const BUD_DAYS: (u64, u64) = (1, 180);

/// The largest `tolerance` and `strength_tolerance` a formula may give, percent: a
/// tolerance is above 0% and at most 20% (SPEC §14.2).
pub const MAX_TOLERANCE_PERCENT: u64 = 20;

const TEXT: Value = Value::Text { placeholders: false };
const TEMPLATE: Value = Value::Text { placeholders: true };

/// The top level of a formula file.
pub static FORMULA: Table = Table {
    label: "the top level of the file",
    keys: &[
        key(
            "format",
            Value::Integer { min: FORMAT_VERSION, max: FORMAT_VERSION },
            true,
            "the file-format version: 1",
        ),
        key("id", Value::Id, true, "the formula's id; equals the file name's stem"),
        key("name", TEMPLATE, true, "the preparation's name, as printed"),
        key("revision", Value::Integer { min: REVISIONS.0, max: REVISIONS.1 }, true, "the MFR revision"),
        key("dosage_form", Value::Choice(DosageForm::SPELLINGS), true, "the dosage form"),
        key("route", TEXT, true, "the route of administration"),
        key(
            "water",
            Value::Choice(Water::SPELLINGS),
            false,
            "the USP <795> water category (required except for an IV infusion)",
        ),
        key(
            "preserved",
            Value::Bool,
            false,
            "contains an antimicrobial preservative (required when aqueous)",
        ),
        key("storage", Value::Choice(Storage::SPELLINGS), true, "the storage condition"),
        key("container", TEMPLATE, false, "the container-closure system"),
        key("description", TEMPLATE, false, "the physical description of the preparation"),
        key("density", Value::Quantity(Kind::Density), false, "the finished preparation's density"),
        key(
            "strength_tolerance",
            Value::Quantity(Kind::Percent),
            false,
            "the completed record: how far an actual strength may be from the labelled one (default 5%)",
        ),
        key(
            "bud_days",
            Value::Integer { min: BUD_DAYS.0, max: BUD_DAYS.1 },
            false,
            "the formula's own beyond-use date, in days",
        ),
        key("bud_reference", TEXT, false, "the stability data behind `bud_days`"),
        key(
            "sterile_category",
            Value::Choice(SterileCategory::SPELLINGS),
            false,
            "an IV infusion's USP <797> category",
        ),
        key(
            "sterile_method",
            Value::Choice(SterileMethod::SPELLINGS),
            false,
            "category 2: how it is made sterile",
        ),
        key(
            "starting",
            Value::Choice(Starting::SPELLINGS),
            false,
            "category 2: whether any starting component is nonsterile",
        ),
        key("sterility_tested", Value::Bool, false, "category 2: the preparation passed a sterility test"),
        key("batch", Value::Table(&BATCH), false, "the reference batch"),
        key("device", Value::Table(&DEVICE), false, "the metered-dose device"),
        key("mold", Value::Table(&MOLD), false, "the mold of a troche or RDT"),
        key("aliquot", Value::Table(&ALIQUOT), false, "how aliquots are made"),
        key("dose", Value::Table(&DOSE), false, "an IV infusion's dose"),
        key("infusion", Value::Table(&INFUSION), false, "an IV infusion's bag"),
        key("ingredients", Value::Tables(&INGREDIENT), true, "one table per ingredient"),
        key("steps", Value::Tables(&STEP), false, "the compounding procedure"),
        key("quality", Value::Table(&QUALITY), false, "the quality-control checks"),
        key("labeling", Value::Table(&LABELING), false, "the labeling warnings"),
    ],
};

/// `[batch]`.
pub static BATCH: Table = Table {
    label: "[batch]",
    keys: &[
        key(
            "quantity",
            Value::QuantityOrCount(Kind::BatchSize),
            false,
            "the reference batch the text is written for",
        ),
        key("overage", Value::QuantityOrCount(Kind::Overage), false, "the process-loss allowance"),
        key("fill", Value::Quantity(Kind::Volume), false, "what one container holds (liquids)"),
        key(
            "capacity",
            Value::Quantity(Kind::Volume),
            false,
            "the nominal fill one container takes (liquids); the fill when no `fill` is given",
        ),
    ],
};

/// `[device]`.
pub static DEVICE: Table = Table {
    label: "[device]",
    keys: &[
        key("dose", Value::Choice(DOSE_NOUNS), true, "what one actuation is called"),
        key("volume", Value::Quantity(Kind::Volume), false, "the volume per actuation"),
        key(
            "per_ml",
            Value::QuantityOrCount(Kind::Number),
            false,
            "actuations per mL (a calibrated dropper)",
        ),
        key("priming", Value::Integer { min: 0, max: MAX_PRIMING }, false, "actuations lost priming"),
        key("residual", Value::Quantity(Kind::Volume), false, "the volume left in the container"),
    ],
};

/// `[mold]`.
pub static MOLD: Table = Table {
    label: "[mold]",
    keys: &[
        key("blank_weight", Value::Quantity(Kind::Mass), true, "the calibrated weight of one cavity of base"),
        key(
            "cavities",
            Value::Integer { min: 1, max: MAX_MOLD_CAVITIES },
            false,
            "the cavities of one mold: the worksheet says how many molds to fill",
        ),
    ],
};

/// `[aliquot]`.
pub static ALIQUOT: Table = Table {
    label: "[aliquot]",
    keys: &[key("diluent", Value::Id, true, "the ingredient aliquots are triturated with")],
};

/// `[dose]` (IV infusions).
pub static DOSE: Table = Table {
    label: "[dose]",
    keys: &[
        key("per_kg", Value::Quantity(Kind::Dose), false, "the dose per kg of body weight (`0.5 mg/kg`)"),
        key("fixed", Value::Quantity(Kind::Dose), false, "a fixed dose (`35 mg`)"),
        key("max", Value::Quantity(Kind::Mass), false, "a ceiling on the dose"),
        key("duration", Value::Quantity(Kind::Time), true, "the infusion time (`40 min`)"),
    ],
};

/// `[infusion]` (IV infusions).
pub static INFUSION: Table = Table {
    label: "[infusion]",
    keys: &[
        key("method", Value::Choice(InfusionMethod::SPELLINGS), true, "whole bag or fixed concentration"),
        key("bag", Value::Quantity(Kind::Volume), true, "the bag's nominal volume of diluent"),
        key("overfill", Value::Quantity(Kind::Volume), false, "the bag's fill above nominal"),
        key(
            "concentration",
            Value::Quantity(Kind::Concentration),
            false,
            "fixed concentration: the nominal concentration",
        ),
        key("replace", Value::Bool, false, "first withdraw from the bag a volume equal to the drug's"),
        key("drop_factor", Value::Quantity(Kind::DropFactor), false, "the administration set"),
    ],
};

/// `[[ingredients]]`.
pub static INGREDIENT: Table = Table {
    label: "[[ingredients]]",
    keys: &[
        key("id", Value::Id, true, "the ingredient's id"),
        key("name", TEXT, true, "its name, as printed"),
        key("role", Value::Choice(Role::SPELLINGS), true, "its role"),
        key(
            "amount",
            Value::Quantity(Kind::Amount),
            false,
            "its amount, or `qs` (required except for an infusion's active)",
        ),
        key(
            "basis",
            Value::Choice(StrengthBasis::SPELLINGS),
            false,
            "an active's strength is of the salt or the base",
        ),
        key("molecular_weight", Value::Quantity(Kind::Number), false, "of the material weighed"),
        key("base_molecular_weight", Value::Quantity(Kind::Number), false, "of the free base"),
        key("schedule", Value::Schedule, false, "the DEA schedule"),
        key("solubility", Value::Quantity(Kind::Concentration), false, "in the vehicle"),
        key("purity", Value::Quantity(Kind::Percent), false, "of the material (a 50% solution)"),
        key("density", Value::Quantity(Kind::Density), false, "the ingredient's density"),
        key("measure", Value::Choice(Measure::SPELLINGS), false, "weighed or measured by volume"),
        key("displacement_factor", Value::Quantity(Kind::Number), false, "grams of base removed per gram"),
        key("density_factor", Value::Quantity(Kind::Number), false, "grams that displace one gram of base"),
        key("substance", TEXT, false, "what the amount is of, for the worksheet"),
        key("stock", Value::Quantity(Kind::Stock), false, "the strength of the solution it is measured from"),
        key(
            "stock_basis",
            Value::Choice(StrengthBasis::SPELLINGS),
            false,
            "the stock's strength is of the salt or the base",
        ),
        key("vial", Value::Quantity(Kind::Volume), false, "what one container of the stock holds"),
        key(
            "stock_density",
            Value::Quantity(Kind::Density),
            false,
            "the stock solution's density: a net mass drawn is checked as a volume (the gravimetric check)",
        ),
        key(
            "tolerance",
            Value::Quantity(Kind::Percent),
            false,
            "the completed record: how far a reading may be from its target (default 2% for an active or scheduled ingredient, 5% otherwise)",
        ),
    ],
};

/// `[[steps]]`.
pub static STEP: Table =
    Table { label: "[[steps]]", keys: &[key("text", TEMPLATE, true, "one step of the procedure")] };

/// `[quality]`.
pub static QUALITY: Table =
    Table { label: "[quality]", keys: &[key("checks", Value::Texts, false, "the quality-control checks")] };

/// `[labeling]`.
pub static LABELING: Table =
    Table { label: "[labeling]", keys: &[key("warnings", Value::Texts, false, "the labeling warnings")] };

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_reachable_and_keys_are_unique() {
        let mut seen = Vec::new();
        let mut stack = vec![&FORMULA];
        while let Some(t) = stack.pop() {
            let mut names: Vec<&str> = t.names().collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), t.keys.len(), "{}", t.label);
            seen.push(t.label);
            for k in t.keys {
                if let Value::Table(sub) | Value::Tables(sub) = k.value {
                    stack.push(sub);
                }
            }
        }
        assert_eq!(seen.len(), 11, "{seen:?}");
    }
}
