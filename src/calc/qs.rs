//! The qs ingredient (SPEC §3.5): made up to volume, the remainder by mass, or the base
//! of a molded form less what the other ingredients displace.

use rust_decimal::Decimal;

use super::CalcError;
use super::amounts::{Amounts, Scale};
use super::batch::{Measured, Qs};
use super::error::arith_at as arith_err;
use super::frac::trail_num;
use crate::arith;
use crate::formula::{Basis, Displacement, Formula, Ingredient};
use crate::quantity::{format_mass, plain};

/// The qs, its line, and the theoretical unit weight of molded forms.
pub(crate) fn qs(
    formula: &Formula,
    qs_ing: &Ingredient,
    scale: &Scale,
    computed: &[(&Ingredient, &Amounts)],
) -> Result<(Qs, Amounts, Option<Decimal>), CalcError> {
    let err = arith_err(&qs_ing.id, "the qs");
    let p = scale.prepared;
    let over = |what: &'static str,
                total: Decimal,
                capacity: Decimal,
                show: &dyn Fn(Decimal) -> String|
     -> Result<(), CalcError> {
        if total >= capacity {
            let by = arith::sub(total, capacity).map_err(arith_err(&qs_ing.id, "the qs"))?;
            return Err(CalcError::OverCapacity {
                what,
                total: show(total),
                capacity: show(capacity),
                over: show(by),
                qs: qs_ing.id.clone(),
                negative: if by.is_zero() { "zero" } else { "negative" },
            });
        }
        Ok(())
    };
    match formula.basis() {
        Basis::Volume => {
            let volumes = arith::sum(computed.iter().filter_map(|(_, a)| {
                a.measure.or(match a.required {
                    Measured::Volume(v) => Some(v),
                    Measured::Mass(_) => None,
                })
            }))
            .map_err(&err)?;
            let show_ml = |v: Decimal| format!("{} mL", trail_num(v));
            over("the volume-measured ingredients", volumes, p, &show_ml)?;
            let trail = vec![format!("qs to {}", show_ml(p))];
            let q = Qs { id: qs_ing.id.clone(), to: Some(p), weigh: None, in_aliquots: None };
            Ok((q, Amounts { required: Measured::Volume(p), weigh: None, measure: None, trail }, None))
        }
        Basis::Mass => {
            let others = arith::sum(computed.iter().filter_map(|(_, a)| a.weigh)).map_err(&err)?;
            over("the other ingredients", others, p, &format_mass)?;
            let base = arith::sub(p, others).map_err(&err)?;
            let trail = vec![format!(
                "{} − {} (other ingredients) = {}",
                format_mass(p),
                format_mass(others),
                format_mass(base)
            )];
            let q = Qs { id: qs_ing.id.clone(), to: None, weigh: Some(base), in_aliquots: None };
            Ok((q, Amounts { required: Measured::Mass(base), weigh: Some(base), measure: None, trail }, None))
        }
        Basis::Molded => {
            let blank = formula.blank_weight.unwrap_or(Decimal::ZERO);
            let total = arith::mul(p, blank).map_err(&err)?;
            let mut displaced = Decimal::ZERO;
            let mut weighed = Decimal::ZERO;
            let mut parts = Vec::new();
            for (ing, a) in computed {
                let w = a.weigh.unwrap_or(Decimal::ZERO);
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
            over("the other ingredients (by displacement)", displaced, total, &format_mass)?;
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
            let q = Qs { id: qs_ing.id.clone(), to: None, weigh: Some(base), in_aliquots: None };
            Ok((
                q,
                Amounts { required: Measured::Mass(base), weigh: Some(base), measure: None, trail },
                Some(unit_weight),
            ))
        }
    }
}
