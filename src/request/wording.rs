//! How a request names its options, and the calculation's errors worded for it: the
//! command line gives an option as a flag (`--weight 70kg`), a batch file as a key
//! (`weight = "70kg"`). The calculation says what is wrong with a value
//! ([`CalcError`]); this module says which option to change, in the caller's words.

use crate::calc::CalcError;

/// How the caller of a request gives its options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Syntax {
    /// Flags on the command line: `--weight 70kg`.
    #[default]
    Flags,
    /// Keys of a batch file (SPEC §14.1): `weight = "70kg"`.
    File,
}

/// One option of a batch request (SPEC §4, §8.3, §14.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `Q`.
    Quantity,
    /// The overage.
    Overage,
    /// A custom strength.
    Strength,
    /// A lot's assay.
    Assay,
    /// A lot's loss on drying.
    Lod,
    /// A lot number.
    Lot,
    /// A lot's expiry.
    Expiry,
    /// A lot's vendor.
    Vendor,
    /// The compounding date.
    Date,
    /// The batch id.
    BatchId,
    /// The balance readability.
    Readability,
    /// The minimum weighable quantity.
    MinWeight,
    /// What one container holds.
    Fill,
    /// The smallest volume measured accurately.
    MinVolume,
    /// The patient's weight.
    Weight,
    /// An infusion's dose.
    Dose,
    /// An infusion's infusion time.
    Duration,
    /// An infusion's bag.
    Bag,
    /// An infusion's compounding time.
    Time,
    /// This order's own dose ceiling.
    Max,
    /// Who approved it.
    AuthorizedBy,
}

impl Field {
    /// The batch file's key: the flag's long name with underscores (`batch_id`).
    pub fn key(self) -> &'static str {
        match self {
            Field::Quantity => "quantity",
            Field::Overage => "overage",
            Field::Strength => "strength",
            Field::Assay => "assay",
            Field::Lod => "lod",
            Field::Lot => "lot",
            Field::Expiry => "expiry",
            Field::Vendor => "vendor",
            Field::Date => "date",
            Field::BatchId => "batch_id",
            Field::Readability => "readability",
            Field::MinWeight => "min_weight",
            Field::Fill => "fill",
            Field::MinVolume => "min_volume",
            Field::Weight => "weight",
            Field::Dose => "dose",
            Field::Duration => "duration",
            Field::Bag => "bag",
            Field::Time => "time",
            Field::Max => "max",
            Field::AuthorizedBy => "authorized_by",
        }
    }

    /// The command line's flag (`--batch-id`).
    pub fn flag(self) -> &'static str {
        match self {
            Field::Quantity => "--quantity",
            Field::Overage => "--overage",
            Field::Strength => "--strength",
            Field::Assay => "--assay",
            Field::Lod => "--lod",
            Field::Lot => "--lot",
            Field::Expiry => "--expiry",
            Field::Vendor => "--vendor",
            Field::Date => "--date",
            Field::BatchId => "--batch-id",
            Field::Readability => "--readability",
            Field::MinWeight => "--min-weight",
            Field::Fill => "--fill",
            Field::MinVolume => "--min-volume",
            Field::Weight => "--weight",
            Field::Dose => "--dose",
            Field::Duration => "--duration",
            Field::Bag => "--bag",
            Field::Time => "--time",
            Field::Max => "--max",
            Field::AuthorizedBy => "--authorized-by",
        }
    }
}

impl Syntax {
    /// The option as the caller names it: `--weight`, or `weight`.
    pub fn name(self, f: Field) -> &'static str {
        match self {
            Syntax::Flags => f.flag(),
            Syntax::File => f.key(),
        }
    }

    /// The option given `value`, as the caller writes it: `--weight 70kg`, or
    /// `weight = "70kg"`.
    pub fn given(self, f: Field, value: &str) -> String {
        match self {
            Syntax::Flags => format!("{} {value}", f.flag()),
            Syntax::File => format!("{} = \"{value}\"", f.key()),
        }
    }

    /// Several options given, as the caller writes them (`--date 2026-03-09 --time 00:30`).
    fn all_given(self, given: &[(Field, &str)]) -> String {
        let each: Vec<String> = given.iter().map(|(f, v)| self.given(*f, v)).collect();
        match self {
            Syntax::Flags => each.join(" "),
            Syntax::File => each.join("`, `"),
        }
    }

    /// The message and help line of a calculation error, naming the option to change as
    /// this caller names it.
    pub fn explain(self, e: &CalcError) -> (String, Option<String>) {
        let n = |f| self.name(f);
        let g = |f, v: &str| self.given(f, v);
        let message = match e {
            CalcError::NoQuantity { .. } => format!("{e}: give the batch size with `{}`", n(Field::Quantity)),
            CalcError::SkippedTime { time, .. } => {
                format!("invalid value `{}` for `{}`: {e}", crate::number::hhmm(*time), n(Field::Time))
            }
            CalcError::OverfillOverBag { bag, .. } => {
                format!("invalid value `{}` for `{}`: {e}", crate::number::trail_ml(bag.ml()), n(Field::Bag))
            }
            _ => e.to_string(),
        };
        let help = match e {
            CalcError::NoQuantity { .. } => Some(format!("e.g. `{}`", g(Field::Quantity, "30mL"))),
            CalcError::AliquotTooLarge { .. } => Some(format!(
                "give a smaller `{}` (the smallest volume you can measure accurately), or make a larger batch",
                n(Field::MinVolume)
            )),
            CalcError::NeedsWeight { .. } => Some(format!(
                "give the patient's weight, e.g. `{}` or `{}`",
                g(Field::Weight, "70kg"),
                g(Field::Weight, "154lb")
            )),
            CalcError::BagTooSmall { .. } => Some(format!(
                "use a larger bag (`{}`), or a whole-bag infusion made for this patient's dose",
                n(Field::Bag)
            )),
            CalcError::AboveMaximum { .. } => Some(format!(
                "resolve the order with the prescriber; a ceiling approved for this order is given with `{}`",
                self.all_given(&[(Field::Max, "M"), (Field::AuthorizedBy, "NAME")])
            )),
            CalcError::DrugOverBag { .. } => Some(format!(
                "use a more concentrated stock or a larger bag (`{}`); a bag's nominal concentration is below its stock's",
                n(Field::Bag)
            )),
            CalcError::FillOverCapacity { capacity, .. } => Some(format!(
                "give `{}` of at most {}, or use a formula whose container takes more",
                n(Field::Fill),
                crate::number::trail_ml(capacity.ml())
            )),
            CalcError::NoWholeDose { .. } => Some(format!(
                "give a larger `{}` (or `{}`): a container must hold the priming, the residual and at least one dose",
                n(Field::Fill),
                n(Field::Quantity)
            )),
            CalcError::SkippedTime { next, next_date, .. } => {
                let time = crate::number::hhmm(*next);
                let mut fix = Vec::new();
                if let Some(d) = next_date {
                    fix.push((Field::Date, d.to_string()));
                }
                fix.push((Field::Time, time));
                let fix: Vec<(Field, &str)> = fix.iter().map(|(f, v)| (*f, v.as_str())).collect();
                let fix = self.all_given(&fix);
                Some(format!("give `{fix}`"))
            }
            _ => e.help(),
        };
        (message, help)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_named_as_each_caller_names_them() {
        assert_eq!(Syntax::Flags.name(Field::MinVolume), "--min-volume");
        assert_eq!(Syntax::File.name(Field::MinVolume), "min_volume");
        assert_eq!(Syntax::Flags.given(Field::Weight, "70kg"), "--weight 70kg");
        assert_eq!(Syntax::File.given(Field::Weight, "70kg"), "weight = \"70kg\"");
        let both = [(Field::Max, "M"), (Field::AuthorizedBy, "NAME")];
        assert_eq!(Syntax::Flags.all_given(&both), "--max M --authorized-by NAME");
        assert_eq!(Syntax::File.all_given(&both), "max = \"M\"`, `authorized_by = \"NAME\"");
    }

    #[test]
    fn a_calculation_error_names_the_option_in_the_callers_words() {
        let e = CalcError::NoQuantity { formula: "x".into() };
        assert_eq!(
            Syntax::Flags.explain(&e),
            (
                "formula `x` has no `[batch].quantity`: give the batch size with `--quantity`".into(),
                Some("e.g. `--quantity 30mL`".into())
            )
        );
        assert_eq!(
            Syntax::File.explain(&e),
            (
                "formula `x` has no `[batch].quantity`: give the batch size with `quantity`".into(),
                Some("e.g. `quantity = \"30mL\"`".into())
            )
        );
    }
}
