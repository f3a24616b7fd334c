//! The pharmacy calculations (SPEC §9): each subcommand's values to its library
//! function, the answer printed as text or JSON, a refusal as `error:` and `help:` on
//! stderr with exit status 1.

use std::process::ExitCode;

use ketacalc::formula::StrengthBasis;
use ketacalc::report;
use ketacalc::tools::{self, Answer, ToolError, mwq::Balance, salt, strength::Whole};

use super::args::{SaltBasis, SaltMolecule, Tool, ToolFormat};
use super::{Failure, emit};

fn basis(b: SaltBasis) -> StrengthBasis {
    match b {
        SaltBasis::Salt => StrengthBasis::Salt,
        SaltBasis::Base => StrengthBasis::Base,
    }
}

/// A combination of options that clap already refuses, should it ever get through.
fn missing(option: &'static str, reason: &str) -> ToolError {
    tools::input::invalid(option, "", reason)
}

/// Computes one calculation.
fn answer(tool: &Tool) -> Result<(Answer, ToolFormat), ToolError> {
    Ok(match tool {
        Tool::Convert { quantity, to, density, format } => {
            (tools::convert::convert(quantity, to, density.as_deref())?, format.format)
        }
        Tool::Salt { quantity, from, to, molecule, mw, base_mw, format } => {
            let weights = match (molecule, mw, base_mw) {
                (Some(SaltMolecule::Ketamine), ..) => salt::Weights::Molecule(salt::Molecule::Ketamine),
                (Some(SaltMolecule::Esketamine), ..) => salt::Weights::Molecule(salt::Molecule::Esketamine),
                (None, Some(mw), Some(base_mw)) => salt::Weights::Given { mw, base_mw },
                // clap requires one of them; the molecule is never guessed.
                _ => {
                    return Err(missing(
                        "--molecule",
                        "name the molecule with `--molecule` or give `--mw` and `--base-mw`",
                    ));
                }
            };
            (salt::salt(quantity, basis(*from), basis(*to), weights)?, format.format)
        }
        Tool::Mix { a, b, make, have, at, format } => {
            let answer = match (b, make, have) {
                (Some(b), Some(make), None) => tools::mix::mix(a, b, make, at)?,
                (None, None, Some(have)) => tools::mix::mix_into(a, have, at)?,
                // clap requires B with --make, and exactly one of --make and --have.
                _ => return Err(missing("--make", "give `A B --make Q --at S` or `A --have QB@B --at S`")),
            };
            (answer, format.format)
        }
        Tool::Dilute { from, to, format } => (tools::dilute::dilute(from, to)?, format.format),
        Tool::Mwq { sensitivity, test_weight, divisions, error, quantity, sd, readability, format } => {
            let balance = Balance {
                sensitivity: sensitivity.as_deref(),
                test_weight: test_weight.as_deref(),
                divisions: divisions.as_deref(),
                error: error.as_deref(),
                quantity: quantity.as_deref(),
                sd: sd.as_deref(),
                readability: readability.as_deref(),
            };
            (tools::mwq::mwq(&balance)?, format.format)
        }
        Tool::Drops { count, volume, strength, drops, format } => {
            (tools::drops::drops(count, volume, strength.as_deref(), drops.as_deref())?, format.format)
        }
        Tool::Osmolarity { strength, mw, particles, format } => {
            (tools::osmolarity::osmolarity(strength, mw, particles)?, format.format)
        }
        Tool::Dose { rule, weight, max, format } => {
            (tools::dose::dose(rule, weight, max.as_deref())?, format.format)
        }
        Tool::Aliquot { need, min_weight, take, format } => {
            (tools::aliquot::aliquot(need, min_weight, take.as_deref())?, format.format)
        }
        Tool::Strength { amount, in_, plus, density, to, format } => {
            let whole = match (in_, plus) {
                (Some(total), None) => Whole::In(total),
                (None, Some(solvent)) => Whole::Plus { solvent, density: density.as_deref() },
                // clap requires exactly one of --in and --plus.
                _ => return Err(missing("--in", "give `--in TOTAL` or `--plus SOLVENT`")),
            };
            (tools::strength::strength(amount, whole, to.as_deref())?, format.format)
        }
        Tool::Amount { strength, in_, per, density, format } => {
            (tools::amount::amount(strength, in_, per.as_deref(), density.as_deref())?, format.format)
        }
    })
}

/// Runs one calculation and prints its answer.
pub(crate) fn run(tool: &Tool) -> Result<ExitCode, Failure> {
    let (answer, format) = answer(tool)
        .map_err(|e| Failure::new(report::diagnostics::error(&e.to_string(), None, e.help().as_deref())))?;
    let text = match format {
        ToolFormat::Text => report::tools::text(&answer),
        ToolFormat::Json => report::tools::json(&answer),
    };
    emit(&text, None)?;
    Ok(ExitCode::SUCCESS)
}
