//! Troches and RDTs: the batch is a count of cavities, and the base is what one cavity
//! holds less what the other ingredients displace (SPEC §2.1, §3.5, §7.6).

use crate::number::{format_mass, plain, trail_num};
use rust_decimal::Decimal;

use super::{Family, QsOutcome, over_capacity};
use crate::arith::{self, ArithError};
use crate::calc::CalcError;
use crate::calc::amounts::Amounts;
use crate::calc::error::arith_at;

use crate::formula::{Displacement, Formula, Ingredient, Overage};
use crate::measure::Mass;
use crate::quantity::Quantity;
use crate::unit::{Dimension, Unit};

/// The molded family.
pub(crate) struct Molded;

impl Family for Molded {
    /// `base = P × blank − Σ weigh × f`, and the theoretical unit weight
    /// `(base + Σ weigh) ÷ P` for QC weight checks.
    fn qs(
        &self,
        formula: &Formula,
        qs_ing: &Ingredient,
        p: Decimal,
        others: &[(&Ingredient, &Amounts)],
    ) -> Result<QsOutcome, CalcError> {
        let err = arith_at(&qs_ing.id, "the qs");
        let blank = formula.blank_weight.map_or(Decimal::ZERO, Mass::mg);
        let total = arith::mul(p, blank).map_err(&err)?;
        let mut displaced = Decimal::ZERO;
        let mut weighed = Decimal::ZERO;
        let mut parts = Vec::new();
        for (ing, a) in others {
            let w = a.weigh.map_or(Decimal::ZERO, Mass::mg);
            weighed = arith::add(weighed, w).map_err(&err)?;
            let (d, how) = match ing.displacement {
                Displacement::Factor(f) => (arith::mul(w, f), format!("× {}", plain(f))),
                Displacement::DensityFactor(df) => {
                    (arith::div(w, df), format!("÷ {} (density factor)", plain(df)))
                }
                Displacement::AssumedOneToOne => (Ok(w), "× 1 (assumed)".to_string()),
            };
            displaced = arith::add(displaced, d.map_err(&err)?).map_err(&err)?;
            parts.push(format!("{} {how}", format_mass(w)));
        }
        over_capacity(qs_ing, "the other ingredients (by displacement)", displaced, total, &format_mass)?;
        let base = arith::sub(total, displaced).map_err(&err)?;
        let unit_weight = arith::div(arith::add(base, weighed).map_err(&err)?, p).map_err(&err)?;
        let trail = vec![
            format!("{} units × {} (blank) = {}", trail_num(p), format_mass(blank), format_mass(total)),
            format!("− displacement ({}) = − {}", parts.join(" + "), format_mass(displaced)),
            format!("= {} base", format_mass(base)),
            format!(
                "unit weight ({} + {}) ÷ {} = {}",
                format_mass(base),
                format_mass(weighed),
                trail_num(p),
                format_mass(unit_weight)
            ),
        ];
        Ok(QsOutcome::weighed(qs_ing, Mass::from_mg(base), trail, Some(Mass::from_mg(unit_weight))))
    }

    fn fixed_strength(&self, amount: &Quantity, reference: Decimal) -> Result<(Decimal, Unit), ArithError> {
        Ok((arith::div(amount.to_base()?, reference)?, Unit::MG_PER_UNIT))
    }

    fn per_dose(
        &self,
        formula: &Formula,
        base: Decimal,
        dim: Dimension,
    ) -> Result<Option<(Decimal, String)>, ArithError> {
        Ok((dim == Dimension::MassPerCount).then(|| (base, formula.dosage_form.as_str().to_string())))
    }

    /// `Q` plus a unit overage: a percent overage makes more blend, not more cavities.
    fn cavities(&self, q: Decimal, overage: Option<Overage>) -> Result<Option<Decimal>, ArithError> {
        match overage {
            Some(Overage::Amount(extra)) => arith::add(q, extra.value()).map(Some),
            _ => Ok(Some(q)),
        }
    }
}
