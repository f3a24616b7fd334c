//! The batch file format (SPEC §14.1) declared once, with the declarations of the formula
//! file ([`crate::formula::format`]): every table, its keys, and what each key holds. The
//! loader reads exactly these keys (any other is reported as unknown, with the nearest
//! declared one as a suggestion), `ketacalc schema --kind batch` turns them into a JSON
//! Schema, and a test holds the options to the flags of `batch`: every batch option by its
//! flag's long name, hyphens as underscores; the output options refused.

use crate::formula::format::{Key, Kind, Table, Value};

const fn key(name: &'static str, value: Value, required: bool, about: &'static str) -> Key {
    Key { name, value, required, about }
}

/// Why an output option is not read from a batch file.
const OUTPUT: &str = "it is an output option, which the command line gives (`--format`, `-o`, `--width`, `--explain`, `--color`): a batch file holds what the batch is, not how it is printed";

/// Why a per-ingredient option is not a top-level key.
const PER_INGREDIENT: &str = "a lot's number, expiry, assay, loss on drying and vendor are given per ingredient, in its `[lots.ID]` table";

/// Why `formulas` is not read from a batch file.
const FORMULARY: &str = "the formulary is the command line's (`--formulas DIR`); a batch file names its formula by id, or by the path of its file in `formula`";

/// The top level of a batch file.
pub static BATCH_FILE: Table = Table {
    label: "the top level of the batch file",
    keys: &[
        key(
            "formula",
            Value::Formula,
            true,
            "the formula: its id, or the path of its file relative to this file's folder",
        ),
        key("quantity", Value::QuantityOrCount(Kind::BatchSize), false, "`--quantity`: the quantity to make"),
        key(
            "overage",
            Value::QuantityOrCount(Kind::Overage),
            false,
            "`--overage`: the process-loss allowance",
        ),
        key(
            "strength",
            Value::Strengths,
            false,
            "`--strength`: `[ID=]S`, or an array of them, one per active",
        ),
        key("date", Value::Date, false, "`--date`: the compounding date"),
        key("batch_id", Value::Line, false, "`--batch-id`: the batch (lot) id"),
        key("readability", Value::Quantity(Kind::Mass), false, "`--readability`: the balance readability"),
        key(
            "min_weight",
            Value::Quantity(Kind::Mass),
            false,
            "`--min-weight`: the minimum weighable quantity",
        ),
        key("fill", Value::Quantity(Kind::Volume), false, "`--fill`: what one container holds (liquids)"),
        key(
            "min_volume",
            Value::Quantity(Kind::Volume),
            false,
            "`--min-volume`: the smallest volume measured accurately",
        ),
        key("weight", Value::Quantity(Kind::Mass), false, "`--weight`: an infusion's patient's weight"),
        key("dose", Value::Quantity(Kind::Dose), false, "`--dose`: an infusion's dose"),
        key("duration", Value::Quantity(Kind::Time), false, "`--duration`: an infusion's infusion time"),
        key("bag", Value::Quantity(Kind::Volume), false, "`--bag`: an infusion's bag"),
        key("time", Value::Clock, false, "`--time`: an infusion's compounding time"),
        key("max", Value::Quantity(Kind::Mass), false, "`--max`: an infusion order's own dose ceiling"),
        key("authorized_by", Value::Line, false, "`--authorized-by`: who approved `max`"),
        key(
            "lots",
            Value::ById(&LOT),
            false,
            "per ingredient: its lot, expiry, assay, loss on drying, vendor",
        ),
        key(
            "actual",
            Value::Readings { fixed: &ACTUAL, steps: STEPS },
            false,
            "what was read: per ingredient id, and the yield",
        ),
        key("qc", Value::Results, false, "each QC check's result, by its number on the worksheet"),
        key("controlled", Value::ById(&CONTROLLED), false, "per scheduled ingredient: its stock readings"),
        key("people", Value::Table(&PEOPLE), false, "who compounded, checked and verified the batch"),
        key("format", Value::Refused(OUTPUT), false, "an output option: never in a batch file"),
        key("o", Value::Refused(OUTPUT), false, "an output option: never in a batch file"),
        key("output", Value::Refused(OUTPUT), false, "an output option: never in a batch file"),
        key("width", Value::Refused(OUTPUT), false, "an output option: never in a batch file"),
        key("explain", Value::Refused(OUTPUT), false, "an output option: never in a batch file"),
        key("color", Value::Refused(OUTPUT), false, "an output option: never in a batch file"),
        key(
            "formulas",
            Value::Refused(FORMULARY),
            false,
            "the command line's formulary: never in a batch file",
        ),
        key("lot", Value::Refused(PER_INGREDIENT), false, "per ingredient: in `[lots.ID]`"),
        key("expiry", Value::Refused(PER_INGREDIENT), false, "per ingredient: in `[lots.ID]`"),
        key("assay", Value::Refused(PER_INGREDIENT), false, "per ingredient: in `[lots.ID]`"),
        key("lod", Value::Refused(PER_INGREDIENT), false, "per ingredient: in `[lots.ID]`"),
        key("vendor", Value::Refused(PER_INGREDIENT), false, "per ingredient: in `[lots.ID]`"),
    ],
};

/// `[lots.ID]`: one ingredient's lot, by the flags' names.
pub static LOT: Table = Table {
    label: "[lots.ID]",
    keys: &[
        key("lot", Value::Line, false, "`--lot`: the lot number"),
        key(
            "expiry",
            Value::Date,
            false,
            "`--expiry`: the lot's expiry; the beyond-use date is capped by it",
        ),
        key("assay", Value::Quantity(Kind::Percent), false, "`--assay`: the lot's assay"),
        key("lod", Value::Quantity(Kind::Percent), false, "`--lod`: the lot's loss on drying"),
        key("vendor", Value::Line, false, "`--vendor`: who supplied the lot"),
    ],
};

/// `[actual]`: the keys that are not ingredient ids.
pub static ACTUAL: Table = Table {
    label: "[actual]",
    keys: &[
        key(
            "yield",
            Value::QuantityOrCount(Kind::Yield),
            false,
            "containers filled (or the volume filled), units, or the mass filled",
        ),
        key(
            "final_weight",
            Value::Quantity(Kind::Mass),
            false,
            "mass and molded forms: the net mass of what was made",
        ),
    ],
};

/// An aliquot read step by step (SPEC §7.4): the mass weighed, what it was made up to,
/// and the portion taken into the batch.
pub static ALIQUOT_STEPS: Table = Table {
    label: "an aliquot's steps",
    keys: &[
        key("weigh", Value::Quantity(Kind::Mass), false, "the mass weighed"),
        key("total", Value::Quantity(Kind::Measured), false, "what it was triturated or made up to"),
        key("take", Value::Quantity(Kind::Measured), false, "the portion taken into the batch"),
    ],
};

/// A dilution read step by step (SPEC §12.2): the stock drawn, what it was diluted to, and
/// the volume taken into the batch.
pub static DILUTION_STEPS: Table = Table {
    label: "a dilution's steps",
    keys: &[
        key("stock", Value::Quantity(Kind::Volume), false, "the stock drawn"),
        key("to", Value::Quantity(Kind::Volume), false, "the volume it was diluted to"),
        key("take", Value::Quantity(Kind::Volume), false, "the volume taken into the batch"),
    ],
};

/// The tables of steps a reading may be, told apart by the keys only each has.
pub static STEPS: &[&Table] = &[&ALIQUOT_STEPS, &DILUTION_STEPS];

/// `[controlled.ID]`: a scheduled ingredient's stock container, on the same balance.
pub static CONTROLLED: Table = Table {
    label: "[controlled.ID]",
    keys: &[
        key(
            "stock_before",
            Value::Quantity(Kind::Measured),
            false,
            "the stock before (a volume for a stock solution)",
        ),
        key("stock_after", Value::Quantity(Kind::Measured), false, "the stock after"),
        key(
            "waste",
            Value::Quantity(Kind::Measured),
            false,
            "what left the stock and is in no reading (a spill)",
        ),
        key("witness", Value::Line, false, "who witnessed the waste"),
        key(
            "reconcile_tolerance",
            Value::Quantity(Kind::Measured),
            false,
            "the largest difference that reconciles",
        ),
    ],
};

/// `[people]`.
pub static PEOPLE: Table = Table {
    label: "[people]",
    keys: &[
        key("compounded_by", Value::Line, false, "who compounded the batch"),
        key("checked_by", Value::Line, false, "the second person"),
        key("verified_by", Value::Line, false, "the verifying pharmacist"),
    ],
};

/// The batch options of the top level: the keys given to the batch as its flags are.
pub fn options() -> impl Iterator<Item = &'static Key> {
    BATCH_FILE.keys.iter().filter(|k| is_option(k.value))
}

/// Returns true if and only if a top-level key of this kind is a batch option.
fn is_option(v: Value) -> bool {
    matches!(
        v,
        Value::Quantity(_)
            | Value::QuantityOrCount(_)
            | Value::Strengths
            | Value::Date
            | Value::Clock
            | Value::Line
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_steps_are_told_apart() {
        for t in [&BATCH_FILE, &LOT, &ACTUAL, &ALIQUOT_STEPS, &DILUTION_STEPS, &CONTROLLED, &PEOPLE] {
            let mut names: Vec<&str> = t.names().collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), t.keys.len(), "{}", t.label);
        }
        // Each kind of steps has a key the other lacks.
        for t in STEPS {
            assert!(
                t.names().any(|n| STEPS.iter().filter(|o| o.key(n).is_some()).count() == 1),
                "{}",
                t.label
            );
        }
        assert_eq!(options().count(), 16);
    }

    #[test]
    fn every_option_of_the_file_is_a_flag_of_the_calculation() {
        let mut flags = crate::request::Flags::default();
        for k in options().chain(LOT.keys) {
            assert!(flags.set(k.name, k.name, "v"), "{}", k.name);
        }
        assert_eq!(flags.all().len(), options().count() + LOT.keys.len());
    }
}
