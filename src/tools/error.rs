//! Why a pharmacy calculation cannot be answered (SPEC §9). Every variant carries the
//! values as the user wrote them, so that the message can quote them.

use thiserror::Error;

use crate::arith::ArithError;
use crate::quantity::QuantityError;

/// Errors of the `tools` calculations: values that do not parse, and requests that are
/// impossible or meaningless. The binary maps every one to exit status 1.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ToolError {
    /// A value does not parse.
    #[error("invalid value for `{option}`: {cause}")]
    Parse {
        /// The option or argument, e.g. `--make` or `QUANTITY`.
        option: &'static str,
        /// What was wrong with it (part of the message, so not also a `source()`).
        cause: QuantityError,
    },
    /// A value parses but is not allowed here.
    #[error("invalid value `{value}` for `{option}`: {reason}")]
    Invalid {
        /// The option or argument.
        option: &'static str,
        /// The value as given.
        value: String,
        /// Why it is refused and what is allowed.
        reason: String,
        /// How to fix it, when known.
        help: Option<String>,
    },
    /// Two strengths of different kinds (w/w, w/v, v/v) in one calculation.
    #[error(
        "`{first}` is a {first_kind} strength but `{second}` is {second_kind}: {what} needs strengths of one kind"
    )]
    KindMismatch {
        /// What the calculation is, e.g. `mixing`.
        what: &'static str,
        /// The first strength, as given.
        first: String,
        /// Its kind, `w/w`, `w/v` or `v/v`.
        first_kind: &'static str,
        /// The second strength, as given.
        second: String,
        /// Its kind.
        second_kind: &'static str,
    },
    /// A quantity of the wrong dimension for the kind of strength.
    #[error("`{value}` for `{option}` is {found}, but a {kind} strength is made by {expected}")]
    QuantityKind {
        /// The option or argument.
        option: &'static str,
        /// The quantity as given.
        value: String,
        /// What it measures (`a volume`).
        found: &'static str,
        /// The kind of strength.
        kind: &'static str,
        /// What it should measure (`mass`).
        expected: &'static str,
    },
    /// An alligation target outside the two strengths.
    #[error(
        "the target `{target}` is outside the two strengths `{a}` and `{b}`: a mixture of two strengths always lies between them"
    )]
    OutsideStrengths {
        /// The target strength.
        target: String,
        /// Strength A.
        a: String,
        /// Strength B.
        b: String,
        /// Whether the target is above both (else below both).
        above: bool,
    },
    /// Both strengths are equal.
    #[error("the two strengths `{a}` and `{b}` are equal: mixing them makes only that strength")]
    SameStrengths {
        /// Strength A.
        a: String,
        /// Strength B.
        b: String,
    },
    /// `mix A --have Q@B --at S` with `S` equal to `A`.
    #[error(
        "the target `{target}` equals the strength `{a}` that is added: no finite quantity of it brings `{have}` there"
    )]
    TargetIsStock {
        /// The target strength.
        target: String,
        /// Strength A.
        a: String,
        /// The quantity and strength at hand.
        have: String,
    },
    /// A dilution to a stronger strength.
    #[error("a dilution cannot make a stronger strength: `{to}` is stronger than `{from}`")]
    Stronger {
        /// The starting strength.
        from: String,
        /// The requested strength.
        to: String,
    },
    /// A dilution to a smaller quantity.
    #[error("a dilution cannot make less than it starts with: `{to}` is less than `{from}`")]
    Smaller {
        /// The starting quantity.
        from: String,
        /// The requested final quantity.
        to: String,
    },
    /// A conversion between mass and volume bases without a density.
    #[error("converting `{from}` to `{to}` needs a density: ketacalc never assumes 1 g/mL")]
    NeedsDensity {
        /// What is converted.
        from: String,
        /// Into what.
        to: String,
    },
    /// A conversion between things that do not convert.
    #[error("cannot convert `{from}` to `{to}`: {why}")]
    CannotConvert {
        /// What is converted.
        from: String,
        /// Into what.
        to: String,
        /// Why not.
        why: String,
    },
    /// Arithmetic failed (overflow, underflow, division by zero).
    #[error("cannot compute {step}: {cause}")]
    Arith {
        /// The step, e.g. `the quantity of A`.
        step: &'static str,
        /// The arithmetic failure (part of the message, so not also a `source()`).
        cause: ArithError,
    },
}

impl ToolError {
    /// A suggested fix, when one is known.
    pub fn help(&self) -> Option<String> {
        match self {
            ToolError::Parse { cause, .. } => cause.help().or_else(|| match cause {
                QuantityError::BadRatio { .. } => Some("write it like `1:2500w/v` or `1:10000 w/w`".to_string()),
                _ => None,
            }),
            ToolError::Invalid { help, .. } => help.clone(),
            ToolError::KindMismatch { first_kind, second_kind, .. }
                if *first_kind == "v/v" || *second_kind == "v/v" =>
            {
                Some("give every strength of the calculation as `%v/v`, or every one as a mass strength".to_string())
            }
            ToolError::KindMismatch { first, second_kind, .. } => Some(format!(
                "convert `{first}` first, e.g. `ketacalc convert '{first}' --to %{second_kind} --density 1.05g/mL` with the preparation's density"
            )),
            ToolError::QuantityKind { expected, .. } => Some(format!(
                "give a {expected}, like `{}`",
                if *expected == "mass" { "30g" } else { "30mL" }
            )),
            ToolError::OutsideStrengths { above: true, .. } => Some(
                "a mixture is never stronger than its stronger part: use a stronger preparation (or the pure drug, `100%w/w`) as one of the two"
                    .to_string(),
            ),
            ToolError::OutsideStrengths { above: false, .. } => Some(
                "to go below both strengths, mix with a diluent at strength 0 (e.g. `0%w/w`) as the second strength"
                    .to_string(),
            ),
            ToolError::SameStrengths { .. } => Some("give two different strengths".to_string()),
            ToolError::TargetIsStock { .. } => {
                Some("choose a target between the two strengths, or use the stronger preparation as it is".to_string())
            }
            ToolError::Stronger { .. } => Some(
                "to make a stronger preparation, mix in a stronger one: `ketacalc mix A B --make Q --at S`".to_string(),
            ),
            ToolError::Smaller { .. } => {
                Some("give a final quantity at least as large as the starting one".to_string())
            }
            ToolError::NeedsDensity { .. } => {
                Some("add `--density` with the measured density, e.g. `--density 1.05g/mL`".to_string())
            }
            ToolError::CannotConvert { .. } | ToolError::Arith { .. } => None,
        }
    }
}

/// Maps an arithmetic failure to an error naming the step.
pub(crate) fn at(step: &'static str) -> impl Fn(ArithError) -> ToolError {
    move |cause| ToolError::Arith { step, cause }
}
