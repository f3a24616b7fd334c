//! Why a batch cannot be computed.

use std::ops::Range;

use thiserror::Error;

use super::warning::Concentration;
use crate::arith::ArithError;
use crate::formula::Formula;
use crate::number::{four_significant, mg_four_significant as mg4, trail_ml, trail_num};

/// Errors of the calculation layer: bad option values, and batches that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalcError {
    /// Options built by hand (not read from flags or a file) name an ingredient the formula
    /// lacks.
    #[error(
        "the options name ingredient `{id}`, which formula `{formula}` does not have; its ingredients are `{known}`"
    )]
    UnknownIngredient {
        /// The id given.
        id: String,
        /// The formula id.
        formula: String,
        /// The ids it has, comma-separated.
        known: String,
    },
    /// Options built by hand give a custom strength to an ingredient that is not an active
    /// of that kind.
    #[error("the strength `{amount}` of `{id}` is refused: `{id}` is not an active written as {kind}")]
    NotAStrength {
        /// The ingredient.
        id: String,
        /// The strength given.
        amount: crate::quantity::Amount,
        /// What kind of amount the strength is.
        kind: &'static str,
    },
    /// A balance readability of zero (options built by hand).
    #[error("the balance readability `{readability}` must be above zero")]
    ZeroReadability {
        /// The readability given.
        readability: crate::measure::Mass,
    },
    /// No requested quantity and no reference batch.
    #[error("formula `{formula}` has no `[batch].quantity`")]
    NoQuantity {
        /// The formula id.
        formula: String,
    },
    /// The other ingredients leave no room for the qs.
    #[error(
        "the batch is over capacity: {what} come to {total}, which exceeds the {capacity} available by {over}; the qs `{qs}` would be {negative}"
    )]
    OverCapacity {
        /// What was summed.
        what: &'static str,
        /// Their total, formatted.
        total: String,
        /// The room available, formatted.
        capacity: String,
        /// By how much they exceed it, formatted.
        over: String,
        /// The qs ingredient.
        qs: String,
        /// `zero` or `negative`.
        negative: &'static str,
    },
    /// A concentration above the stated solubility.
    #[error(
        "`{id}` at {} (as weighed) is above its solubility of {}: it would not stay in solution",
        Concentration(.concentration),
        Concentration(.solubility)
    )]
    AboveSolubility {
        /// The ingredient.
        id: String,
        /// Its concentration as weighed.
        concentration: crate::quantity::Quantity,
        /// The solubility.
        solubility: crate::quantity::Quantity,
    },
    /// A component expires on or before the compounding date.
    #[error("`{id}` expires on {expiry}, on or before the compounding date {date}: it cannot be used")]
    Expired {
        /// The ingredient.
        id: String,
        /// Its expiry.
        expiry: String,
        /// The compounding date.
        date: String,
    },
    /// Arithmetic failed (overflow, underflow, division by zero).
    #[error("cannot compute {step} for `{id}`: {cause}")]
    Arith {
        /// The ingredient (or `batch`).
        id: String,
        /// The step, e.g. `the amount to weigh`.
        step: &'static str,
        /// The arithmetic failure (part of the message, so not also a `source()`).
        cause: ArithError,
    },
    /// An amount of a kind no calculation uses (a time or a rate as an ingredient amount).
    #[error("the amount `{amount}` of `{id}` is not a concentration, a per-unit amount or a fixed amount")]
    AmountForm {
        /// The ingredient.
        id: String,
        /// The amount as written.
        amount: String,
    },
    /// A liquid aliquot's portion would be as large as the batch.
    #[error(
        "the aliquot of `{id}` would be measured as {take}, which is not below the prepared volume of {prepared}"
    )]
    AliquotTooLarge {
        /// The ingredient.
        id: String,
        /// The volume to measure.
        take: crate::measure::Volume,
        /// The prepared volume.
        prepared: crate::measure::Volume,
    },
    /// An amount so small that even an aliquot cannot reach it.
    #[error("`{id}` needs {needed}, too little to weigh even through one aliquot")]
    AliquotImpractical {
        /// The ingredient.
        id: String,
        /// The amount needed.
        needed: String,
    },
    /// The aliquot portions carry more diluent than the batch has.
    #[error(
        "the aliquot portions carry {carried} of the diluent `{id}` into the batch, but the batch has only {available} of it"
    )]
    DiluentExhausted {
        /// The diluent.
        id: String,
        /// What the portions carry.
        carried: String,
        /// The diluent's amount in the batch.
        available: String,
    },
    /// The prepared quantity (with its overage) is larger than any batch.
    #[error("the prepared quantity {prepared} is larger than any batch ketacalc makes (at most {limit})")]
    PreparedTooLarge {
        /// `P`, formatted.
        prepared: String,
        /// The limit, for people.
        limit: &'static str,
    },
    /// What is weighed into a liquid is more than its volume could hold.
    #[error(
        "the ingredients weighed into {volume} come to {mass}, more than a liquid of that volume can weigh ({limit} at 2 g/mL)"
    )]
    LiquidOverCapacity {
        /// The prepared volume.
        volume: String,
        /// The total mass weighed.
        mass: String,
        /// The plausible limit.
        limit: String,
    },
    /// A dose per kg without the patient's weight.
    #[error("the dose `{rule}` is per kilogram: the patient's weight is needed to make this infusion")]
    NeedsWeight {
        /// The dose rule in effect.
        rule: crate::quantity::Amount,
    },
    /// A fixed-concentration bag that does not hold the dose.
    #[error(
        "the dose of {} is {} of this bag, more than the {} it holds (at {} mg/mL)",
        mg4(*.dose), trail_ml(.volume_to_infuse.ml()), trail_ml(.final_volume.ml()), four_significant(.concentration.mg_per_ml())
    )]
    BagTooSmall {
        /// The dose.
        dose: crate::measure::Mass,
        /// The volume that would hold it.
        volume_to_infuse: crate::measure::Volume,
        /// The bag's final volume.
        final_volume: crate::measure::Volume,
        /// The bag's true concentration.
        concentration: crate::measure::Concentration,
    },
    /// A volume to infuse or a rate that rounds to zero as printed: no pump can be set to it.
    #[error(
        "the dose of {} is {} of this bag at {} mL/h, which rounds to 0 as printed (volumes to 0.01 mL, rates to 0.1 mL/h): no pump can be set to it",
        mg4(*.dose), trail_ml(.volume_to_infuse.ml()), trail_num(.rate.ml_per_h())
    )]
    BelowPumpResolution {
        /// The dose.
        dose: crate::measure::Mass,
        /// The volume to infuse.
        volume_to_infuse: crate::measure::Volume,
        /// The rate.
        rate: crate::measure::Rate,
    },
    /// The drug's volume is more than the bag's nominal volume: a bag has no room for it
    /// (a stock too weak, or a nominal concentration above the stock's).
    #[error(
        "the drug's volume of {} is more than the bag's nominal {}: it cannot be added to the bag",
        trail_ml(.drug_volume.ml()), trail_ml(.bag.ml())
    )]
    DrugOverBag {
        /// `Vd`.
        drug_volume: crate::measure::Volume,
        /// The bag's nominal volume.
        bag: crate::measure::Volume,
    },
    /// `replace` asks to withdraw more from the bag than it holds.
    #[error(
        "the drug's volume of {} cannot first be withdrawn from a bag of {}",
        trail_ml(.drug_volume.ml()), trail_ml(.bag.ml())
    )]
    ReplaceTooMuch {
        /// `Vd`.
        drug_volume: crate::measure::Volume,
        /// Bag and overfill.
        bag: crate::measure::Volume,
    },
    /// An infusion formula the loader should have refused (no active with a stock, no
    /// vehicle): a library caller built it by hand.
    #[error("formula `{formula}` is not a complete infusion: {what}")]
    IncompleteInfusion {
        /// The formula.
        formula: String,
        /// What is missing.
        what: &'static str,
    },
    /// A stock volume too small to measure even through the largest dilution (SPEC §12.2).
    #[error(
        "`{id}` needs {} mg, which is {} of the {stock} stock: under the 0.2 mL a syringe measures, and even diluted 1 in {factor} the portion would be {}, under the 0.4 mL a 1 mL syringe measures well",
        four_significant(.amount.mg()),
        trail_ml(.volume.ml()),
        trail_ml(.portion.ml())
    )]
    NoDilution {
        /// The ingredient.
        id: String,
        /// The amount needed, in the stock's basis.
        amount: crate::measure::Mass,
        /// The stock volume needed.
        volume: crate::measure::Volume,
        /// The stock's strength as written.
        stock: crate::quantity::Amount,
        /// The largest dilution.
        factor: u32,
        /// The portion it would give.
        portion: crate::measure::Volume,
        /// The strongest stock that would do (mg/mL, in the basis the stock is labelled in).
        weaker: crate::quantity::Quantity,
    },
    /// An active or scheduled ingredient measured by volume below 0.2 mL (SPEC §12.2).
    #[error(
        "`{id}` is measured by volume, and {volume} is below the {minimum} a syringe measures accurately (20% of the 1 mL syringe)"
    )]
    ActiveBelowMinimumVolume {
        /// The ingredient.
        id: String,
        /// The volume.
        volume: String,
        /// 0.2 mL.
        minimum: String,
    },
    /// A volume that rounds to zero on the smallest syringe (SPEC §12.1).
    #[error("`{id}` needs {volume}, which rounds to 0 mL on the 1 mL syringe: it cannot be measured")]
    Unmeasurable {
        /// The ingredient.
        id: String,
        /// The volume.
        volume: String,
    },
    /// A measured volume off by more than any syringe of SPEC §12.1 rounds: a defect in the
    /// calculation, refused rather than printed.
    #[error(
        "`{id}` as measured would be {deviation}% from the amount required, more than a syringe's rounding allows"
    )]
    DeviationGuard {
        /// The ingredient.
        id: String,
        /// The deviation, percent.
        deviation: String,
    },
    /// A custom dose above the ceiling in effect (SPEC §12.4).
    #[error(
        "the dose ordered, {}, is above the {whose} maximum of {}: the order exceeds the ceiling",
        crate::number::dose_ordered(*.given, *.dose), mg4(*.max)
    )]
    AboveMaximum {
        /// A dose per kg: the rule as given and the weight it is given for.
        given: Option<(crate::quantity::Amount, crate::quantity::Quantity)>,
        /// The dose ordered.
        dose: crate::measure::Mass,
        /// `formula's` or `authorized`.
        whose: &'static str,
        /// The ceiling.
        max: crate::measure::Mass,
    },
    /// A fill larger than the formula's container takes (SPEC §13).
    #[error(
        "a fill of {} is more than one container takes: the formula's `capacity` is {}",
        crate::number::trail_ml(fill.ml()),
        crate::number::trail_ml(capacity.ml())
    )]
    FillOverCapacity {
        /// The fill.
        fill: crate::measure::Volume,
        /// The formula's capacity.
        capacity: crate::measure::Volume,
    },
    /// A container that delivers no whole dose (SPEC §13).
    #[error("a container of {} delivers no whole {}: {how}", trail_ml(.volume.ml()), .how.dose)]
    NoWholeDose {
        /// What the container holds.
        volume: crate::measure::Volume,
        /// How the doses were counted.
        how: super::trail::DoseCounting,
    },
    /// An infusion's compounding time that the clocks skip on its date (SPEC §11.2).
    #[error(
        "{} does not exist on {date} in {zone}: the clocks go forward over it; the next valid minute is {}",
        crate::number::hhmm(*time),
        crate::number::date_time(next_date.map_or_else(String::new, |d| d.to_string()), Some(crate::number::hhmm(*next))).trim_start()
    )]
    SkippedTime {
        /// The time given.
        time: jiff::civil::Time,
        /// The compounding date.
        date: jiff::civil::Date,
        /// The zone, as a message names it (its IANA name, or `the local time zone`).
        zone: String,
        /// The first minute after it that exists.
        next: jiff::civil::Time,
        /// Its date, when it is not the compounding date.
        next_date: Option<jiff::civil::Date>,
    },
    /// An infusion without its compounding time (options built by hand).
    #[error("formula `{formula}` is an infusion: its USP <797> beyond-use time needs the compounding time")]
    NoTime {
        /// The formula.
        formula: String,
    },
    /// A bag smaller than the formula's overfill.
    #[error(
        "the formula's overfill of {} is more than this bag's nominal volume: give a bag of at least {}",
        crate::number::trail_ml(overfill.ml()),
        crate::number::trail_ml(overfill.ml())
    )]
    OverfillOverBag {
        /// The bag given.
        bag: crate::measure::Volume,
        /// The formula's overfill.
        overfill: crate::measure::Volume,
    },
    /// Date arithmetic failed.
    #[error("cannot compute the beyond-use date from {date}: it is outside the supported calendar")]
    DateRange {
        /// The compounding date.
        date: String,
    },
}

impl CalcError {
    /// A suggested fix, when one is known. It names no option: the request layer, which
    /// knows whether the options came as flags or as a batch file's keys, words the fixes
    /// that change one ([`crate::request::Syntax::explain`]).
    pub fn help(&self) -> Option<String> {
        let text = match self {
            CalcError::OverCapacity { .. } => {
                "lower the strengths or fixed amounts, or (for molded forms) use a larger mold cavity"
            }
            CalcError::AboveSolubility { .. } => {
                "lower the strength, or confirm a higher solubility in this vehicle and update `solubility`"
            }
            CalcError::Expired { .. } => "use a lot that is in date",
            CalcError::NoQuantity { .. } => "give the batch size",
            CalcError::AliquotTooLarge { .. } => {
                "give a smaller minimum volume (the smallest volume you can measure accurately), or make a larger batch"
            }
            CalcError::AliquotImpractical { .. } => {
                "use a stock solution or a serial dilution, or a balance with a smaller minimum weight"
            }
            CalcError::DiluentExhausted { .. } => {
                "name another diluent with `[aliquot] diluent = \"ID\"`, or use a balance with a smaller minimum weight"
            }
            CalcError::PreparedTooLarge { .. } => "lower the quantity or the overage",
            CalcError::NeedsWeight { .. } => "give the patient's weight, in kg or lb",
            CalcError::BagTooSmall { .. } => {
                "use a larger bag, or a whole-bag infusion made for this patient's dose"
            }
            CalcError::BelowPumpResolution { .. } => {
                "make a whole-bag infusion for this patient's dose, or use a bag of a lower concentration"
            }
            CalcError::ReplaceTooMuch { .. } => "use a larger bag, or a more concentrated stock",
            CalcError::NoDilution { weaker, .. } => {
                return Some(format!(
                    "use a weaker stock: at most {} {}, so that a 1 in 50 dilution gives a portion of at least 0.4 mL",
                    four_significant(weaker.value),
                    weaker.unit
                ));
            }
            CalcError::ActiveBelowMinimumVolume { .. } => {
                "weigh it instead (give it a `density` and no `measure`, so that an aliquot plan applies), or use a stock solution (`stock`)"
            }
            CalcError::Unmeasurable { .. } => {
                "weigh it instead (give it a `density` and no `measure`), or make a larger batch"
            }
            CalcError::AboveMaximum { .. } => {
                "resolve the order with the prescriber; a ceiling approved for this order is given with the order's own maximum and who authorized it"
            }
            CalcError::DrugOverBag { .. } => {
                "use a more concentrated stock or a larger bag; a bag's nominal concentration is below its stock's"
            }
            CalcError::FillOverCapacity { .. } => {
                "give a fill of at most the capacity, or use a formula whose container takes more"
            }
            CalcError::NoWholeDose { .. } => {
                "give a larger fill (or quantity): a container must hold the priming, the residual and at least one dose"
            }
            CalcError::LiquidOverCapacity { .. } => {
                "check the strengths, purities and assays: a liquid cannot hold this much"
            }
            _ => return None,
        };
        Some(text.to_string())
    }

    /// Where in the formula file the problem lies, when it lies in the file.
    pub fn span(&self, formula: &Formula) -> Option<Range<usize>> {
        match self {
            CalcError::OverCapacity { qs, .. } => formula.ingredient(qs).map(|i| i.amount_span.clone()),
            CalcError::AboveSolubility { id, .. } => formula.ingredient(id).map(|i| i.amount_span.clone()),
            _ => None,
        }
    }
}

/// `an` before a dosage form that starts with a vowel sound (`an iv-infusion`), else `a`.
pub(crate) fn article(form: &str) -> &'static str {
    if form.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// Maps an arithmetic failure to an error naming the ingredient and the step.
pub(crate) fn arith_at<'a>(id: &'a str, step: &'static str) -> impl Fn(ArithError) -> CalcError + 'a {
    move |cause| CalcError::Arith { id: id.to_string(), step, cause }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    /// A message that already says its cause must not also offer it as `source()`, or a
    /// caller that prints the chain says it twice.
    #[test]
    fn a_cause_is_said_once() {
        let cause = ArithError::DivisionByZero { lhs: rust_decimal::Decimal::ONE };
        let e = arith_at("ketamine-hcl", "the amount to weigh")(cause.clone());
        assert!(e.to_string().ends_with(&cause.to_string()), "{e}");
        assert!(e.source().is_none());
    }
}
