//! The formula's factors taken the other way (SPEC §14.2 item 2): what an amount of the
//! material as weighed or measured holds of the ingredient in its declared basis.
//!
//! SPEC §3.3 turns the amount required into the material to weigh, `required × (MW ÷
//! MW_base when the basis is base) ÷ (purity × assay × (1 − lod))`; a reading of the
//! material holds `material × purity × assay × (1 − lod) × (MW_base ÷ MW)`. A volume
//! required (`%v/v`, a fixed volume) has no salt factor, as in SPEC §3.3. A stock
//! solution's volume holds `volume × S` ([`held_by_stock`]). Each is a [`Frac`], a product
//! over a product, so that the record divides once.

use rust_decimal::Decimal;

use crate::calc::{Frac, Options};
use crate::formula::{Ingredient, StrengthBasis};

/// `material` (mg, or mL for an ingredient required as a volume) of `ing`'s material as
/// it comes from the bottle, in `ing`'s declared basis, with the lot's assay and loss on
/// drying from `options`.
pub(crate) fn declared(ing: &Ingredient, options: &Options, material: Frac, is_volume: bool) -> Frac {
    let hundred = Decimal::ONE_HUNDRED;
    let mut f = material;
    if !is_volume
        && ing.basis == Some(StrengthBasis::Base)
        && let Some((mw, base)) = ing.molecular_weights
    {
        f = f.times(base).over(mw);
    }
    if let Some(p) = ing.purity {
        f = f.times(p.0).over(hundred);
    }
    let lot = options.lots.get(&ing.id);
    if let Some(a) = lot.and_then(|l| l.assay) {
        f = f.times(a.0).over(hundred);
    }
    if let Some(l) = lot.and_then(|l| l.lod) {
        // 100 − lod: the loader keeps a loss on drying under 100%.
        let dry = crate::arith::sub(hundred, l.0).unwrap_or(hundred);
        f = f.times(dry).over(hundred);
    }
    f
}

/// What `volume` mL of `ing`'s stock solution holds, mg in its declared basis (SPEC
/// §8.1): `volume × S`; nothing when it has no stock.
pub(crate) fn held_by_stock(ing: &Ingredient, volume: Frac) -> Option<Frac> {
    ing.stock.as_ref().map(|s| crate::calc::stock_amount(ing, s, volume))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_factors_of_the_worksheet_the_other_way() {
        let file = crate::formulary::Formulary::BuiltIn.get("ketamine-hcl-nasal-spray-100").unwrap();
        let f = crate::formula::load_bytes(&file.bytes).formula.unwrap();
        let mut o = Options::new(jiff::civil::date(2026, 3, 9));
        o.lot_mut("ketamine-hcl").assay = Some(crate::quantity::Percent(d("99.2")));
        let k = f.ingredient("ketamine-hcl").unwrap();
        // 2118.1 mg of a 99.2% lot holds 2101.1552 mg of ketamine HCl.
        assert_eq!(declared(k, &o, Frac::of(d("2118.1")), false).value().unwrap(), d("2101.1552"));
        // A 50% solution: half of what is weighed is benzalkonium chloride.
        let b = f.ingredient("benzalkonium-chloride-50").unwrap();
        assert_eq!(declared(b, &o, Frac::of(d("84")), false).value().unwrap(), d("42"));
        assert!(held_by_stock(k, Frac::of(Decimal::ONE)).is_none());
        let file = crate::formulary::Formulary::BuiltIn.get("ketamine-iv-0.5mgkg-100ml").unwrap();
        let f = crate::formula::load_bytes(&file.bytes).formula.unwrap();
        let k = f.ingredient("ketamine").unwrap();
        assert_eq!(held_by_stock(k, Frac::of(d("0.7"))).unwrap().value().unwrap(), d("35"));
    }
}
