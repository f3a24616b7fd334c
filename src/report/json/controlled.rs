//! The controlled-substance record of a batch document (SPEC §8.1, §12.3): what is
//! withdrawn from stock and where it goes, as computed and as measured.

use crate::number::{mass_exact, mass_rounded, volume_exact};
use schemars::JsonSchema;
use serde::Serialize;

use super::Qty;
use super::schema::schedule;

/// The accountability of one scheduled ingredient.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Controlled")]
pub(super) struct ControlledDto<'a> {
    /// The ingredient's id.
    id: &'a str,
    /// Its DEA schedule.
    #[schemars(schema_with = "schedule")]
    schedule: &'static str,
    /// What is withdrawn from stock: rounded to the readability when weighed (the whole aliquot weighing when there is one), exact when drawn from a stock; the parts below add up to it exactly.
    withdraw: Qty,
    // Drawn from a stock solution (SPEC §8.1, §8.5); absent otherwise.
    /// The volume drawn from a stock solution; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Qty")]
    withdraw_volume: Option<Qty>,
    /// What goes into the product dispensed.
    in_product: Qty,
    /// What the overage takes, or null without one.
    overage_loss: Option<Qty>,
    /// What is left of the aliquot, or null without one.
    aliquot_remainder: Option<Qty>,
    // An infusion's (SPEC §7.4, §8.5): null for a whole bag; absent for the other forms.
    /// An infusion's drug that a fixed-concentration bag holds beyond the dose (`T − D`), null for a whole bag; absent for the other forms.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Qty>")]
    undelivered: Option<Option<Qty>>,
    /// The same record from what is measured or weighed (SPEC §12.3).
    as_measured: ControlledAsMeasuredDto,
    /// A stock with a `vial`: what the vials opened for the volume drawn still hold; else null.
    left_in_vials: Option<LeftInVialsDto>,
}

/// The controlled-substance record as measured (SPEC §12.3): `withdraw = in_product + overage_loss + dilution_remainder + aliquot_remainder`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "ControlledAsMeasured")]
struct ControlledAsMeasuredDto {
    /// What is taken from stock: the volume drawn (with a dilution, its whole millilitre), or the weighing rounded, in the declared basis.
    withdraw: Qty,
    /// What goes into the product (an infusion: the bag as made, `D_m`).
    in_product: Qty,
    /// What the overage takes, or null without one.
    overage_loss: Option<Qty>,
    /// What is left of a dilution once the portion is drawn, or null without one.
    dilution_remainder: Option<Qty>,
    /// What is left of an aliquot once the portion is taken, or null without one (an extension, so that the parts add up).
    aliquot_remainder: Option<Qty>,
    /// A fixed-concentration bag's drug beyond the dose, `T_m − D`, part of `in_product`; null otherwise.
    undelivered: Option<Qty>,
}

impl ControlledAsMeasuredDto {
    fn of(a: &crate::calc::ControlledAsMeasured) -> Self {
        let part = |p: &crate::calc::Part| -> Qty { mass_exact(p.amount).into() };
        ControlledAsMeasuredDto {
            withdraw: part(&a.withdraw),
            in_product: part(&a.in_product),
            overage_loss: a.overage_loss.as_ref().map(part),
            dilution_remainder: a.dilution_remainder.as_ref().map(part),
            aliquot_remainder: a.aliquot_remainder.as_ref().map(part),
            undelivered: a.undelivered.as_ref().map(part),
        }
    }
}

/// What the vials opened still hold.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "LeftInVials")]
struct LeftInVialsDto {
    /// Vials opened × vial − the volume drawn.
    volume: Qty,
    /// The drug it holds, in the declared basis.
    amount: Qty,
}

impl<'a> ControlledDto<'a> {
    /// The record of `c`; `infusion` for an infusion's, which adds `undelivered`.
    pub(super) fn of(c: &'a crate::calc::Controlled, infusion: bool) -> Self {
        ControlledDto {
            id: &c.id,
            schedule: c.schedule.as_str(),
            // Drawn from a stock, the amount is exact (SPEC §8.1), so normalized (SPEC
            // §5); weighed, it is rounded to the readability and keeps its places.
            withdraw: match c.withdraw_volume {
                Some(_) => mass_exact(c.withdraw).into(),
                None => mass_rounded(c.withdraw_rounded).into(),
            },
            withdraw_volume: c.withdraw_volume.map(|v| volume_exact(v).into()),
            in_product: mass_exact(c.in_product).into(),
            overage_loss: c.overage_loss.map(|m| mass_exact(m).into()),
            aliquot_remainder: c.aliquot_remainder.map(|m| mass_exact(m).into()),
            undelivered: infusion.then(|| c.undelivered.map(|m| mass_exact(m).into())),
            as_measured: ControlledAsMeasuredDto::of(&c.as_measured),
            left_in_vials: c.left_in_vials.map(|l| LeftInVialsDto {
                volume: volume_exact(l.left.volume.unwrap_or(crate::measure::Volume::ZERO)).into(),
                amount: mass_exact(l.left.amount).into(),
            }),
        }
    }
}
