//! Why a batch request cannot be read: a value of an option (a flag, or a batch file's key)
//! that does not parse or is not allowed, an option the dosage form has no use for, an
//! ingredient the formula lacks, or a clock or time zone that cannot be read. Every
//! variant names the option as its caller named it (`--quantity`, `quantity`,
//! `lots.ketamine-hcl.assay`).

use thiserror::Error;

use crate::quantity::QuantityError;

/// An option of a batch request that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RequestError {
    /// An option value does not parse.
    #[error("invalid value for `{option}`: {cause}")]
    Option {
        /// The option, e.g. `--quantity`.
        option: String,
        /// What was wrong with it (part of the message, so not also a `source()`).
        cause: QuantityError,
    },
    /// An option value parses but is not allowed.
    #[error("invalid value `{value}` for `{option}`: {reason}")]
    OptionValue {
        /// The option.
        option: String,
        /// The value as given.
        value: String,
        /// Why it is refused and what is allowed.
        reason: String,
    },
    /// An option value that is refused, with a fix computed from it.
    #[error("invalid value `{value}` for `{option}`: {reason}")]
    OptionFix {
        /// The option.
        option: String,
        /// The value as given.
        value: String,
        /// Why it is refused.
        reason: String,
        /// The value that would do, as it would be typed.
        fix: String,
    },
    /// An option that has no meaning for the formula's dosage form (a usage error).
    #[error("`{option}` does not apply to {} `{form}`: {why}", crate::calc::article(form))]
    NotForForm {
        /// The option.
        option: String,
        /// The dosage form.
        form: String,
        /// What the option is for.
        why: String,
    },
    /// An option names an ingredient the formula lacks.
    #[error(
        "`{option}` names ingredient `{id}`, which formula `{formula}` does not have; its ingredients are {known}"
    )]
    UnknownIngredient {
        /// The option.
        option: String,
        /// The id given.
        id: String,
        /// The formula id.
        formula: String,
        /// The ids it has, ticked and comma-separated.
        known: String,
    },
    /// `--strength` without `ID=` on a formula with several actives.
    #[error("`{option}` needs `ID=` because formula `{formula}` has several actives: {actives}")]
    StrengthNeedsId {
        /// The option (`--strength`).
        option: String,
        /// The formula id.
        formula: String,
        /// The actives, ticked.
        actives: String,
    },
    /// An option that needs another to be given with it (a usage error).
    #[error("`{option}` needs `{partner}`: {why}")]
    NeedsPartner {
        /// The option given.
        option: String,
        /// The one missing, as the caller names it.
        partner: &'static str,
        /// Why.
        why: &'static str,
    },
    /// The local time zone cannot be read (SPEC §11.2): a `TZ` that is not a zone, or an
    /// `/etc/localtime` that exists but is not a time-zone file.
    #[error("the local time zone cannot be read from {from}: {reason}")]
    LocalZone {
        /// `` `TZ=…` `` or `` `/etc/localtime` ``.
        from: String,
        /// What is wrong with it.
        reason: String,
        /// How to set the zone.
        fix: String,
    },
}

impl RequestError {
    /// A suggested fix, when one is known.
    pub fn help(&self) -> Option<String> {
        match self {
            RequestError::Option { cause, .. } => cause.help(),
            RequestError::OptionFix { fix, .. } | RequestError::LocalZone { fix, .. } => Some(fix.clone()),
            RequestError::NeedsPartner { partner, .. } => {
                Some(format!("give `{partner}` as well, or neither"))
            }
            _ => None,
        }
    }

    /// The option the error is about, as its caller named it (`--quantity`, or a batch
    /// file's key), when it is about one.
    pub fn option(&self) -> Option<&str> {
        match self {
            RequestError::Option { option, .. }
            | RequestError::OptionValue { option, .. }
            | RequestError::OptionFix { option, .. }
            | RequestError::NotForForm { option, .. }
            | RequestError::UnknownIngredient { option, .. }
            | RequestError::StrengthNeedsId { option, .. }
            | RequestError::NeedsPartner { option, .. } => Some(option),
            RequestError::LocalZone { .. } => None,
        }
    }

    /// Returns true for a misuse of the command line (exit status 2) rather than bad input.
    pub fn is_usage(&self) -> bool {
        matches!(self, RequestError::NotForForm { .. } | RequestError::NeedsPartner { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    /// A message that already says its cause must not also offer it as `source()`, or a
    /// caller that prints the chain says it twice.
    #[test]
    fn a_cause_is_said_once() {
        let cause = QuantityError::Empty;
        let e = RequestError::Option { option: "--quantity".into(), cause: cause.clone() };
        assert_eq!(e.to_string(), format!("invalid value for `--quantity`: {cause}"));
        assert!(e.source().is_none());
    }
}
