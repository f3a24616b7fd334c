//! The figures of a batch as reports print them, and formula text filled in with them
//! (SPEC §7.1): a placeholder prints exactly what the worksheet prints for the same
//! figure, because both come from here.

use crate::number::{
    balance, batch_size, iv, mass_readable, mass_rounded, plain, volume_exact, volume_rounded,
};

use rust_decimal::Decimal;

use crate::calc::{
    AliquotPlan, Batch, BatchKind, Bud, Compounded, Dilution, Infusion, Line, Strength, StrengthLabel,
    Syringe,
};
use crate::formula::{Formula, Slot, Stock, Template};
use crate::measure::{BatchSize, Volume};

/// A batch's figures, formatted.
pub(crate) struct Figures<'a> {
    formula: &'a Formula,
    batch: &'a Batch,
}

/// When a batch must be used by: `2026-11-26`, or `2026-11-26 21:00` for an infusion.
pub(crate) fn bud_when(bud: &Bud) -> String {
    crate::number::date_time(bud.date, bud.time.map(crate::number::hhmm))
}

/// The aliquot plan for ingredient `id` (SPEC §3.9), and the index of the warning that
/// carries it.
pub(crate) fn aliquot_plan<'b>(batch: &'b Batch, id: &str) -> Option<(usize, &'b AliquotPlan)> {
    batch
        .warnings
        .iter()
        .enumerate()
        .find_map(|(n, w)| w.aliquot.as_ref().filter(|_| w.ingredient.as_deref() == Some(id)).map(|p| (n, p)))
}

/// What a line says to weigh or measure, rounded: the volume for an ingredient measured
/// by volume (the dilution's portion for one measured through a dilution), else the mass.
pub(crate) fn amount_to_take(line: &Line) -> Option<String> {
    match (line.measure_rounded, &line.dilution, line.weigh_rounded) {
        (Some(ml), _, _) => Some(volume_rounded(ml).to_string()),
        (None, Some(d), _) => Some(volume_rounded(d.take_rounded).to_string()),
        (None, None, Some(mg)) => Some(mass_rounded(mg).to_string()),
        (None, None, None) => None,
    }
}

/// A rounded volume to draw as printed: with the places of its syringe's marks (`4.0
/// mL`), or for an infusion without trailing zeros (`0.7 mL`, SPEC §8.3).
pub(crate) fn drawn_volume(v: Volume, infusion: bool) -> String {
    if infusion { iv::volume(v) } else { volume_rounded(v).to_string() }
}

/// The syringe a volume is measured with: `10 mL syringe, 0.2 mL marks`; for several
/// draws `2 draws of 60 mL, 60 mL syringe, 1 mL marks`.
pub(crate) fn syringe_text(s: &Syringe, rounded: Volume) -> String {
    let marks = format!("{} syringe, {} marks", volume_exact(s.capacity), volume_exact(s.graduation));
    match s.each(rounded) {
        Ok(each) if s.draws > 1 => format!("{} draws of {} mL, {marks}", s.draws, each.ml().normalize()),
        _ => marks,
    }
}

/// The syringe as a step names it: `a 1 mL syringe (0.01 mL marks)`; for several draws
/// `2 draws of 60 mL with a 60 mL syringe (1 mL marks)`.
pub(crate) fn with_syringe(s: &Syringe, rounded: Volume) -> String {
    let one = format!("a {} syringe ({} marks)", volume_exact(s.capacity), volume_exact(s.graduation));
    match s.each(rounded) {
        Ok(each) if s.draws > 1 => format!("{} draws of {} mL with {one}", s.draws, each.ml().normalize()),
        _ => one,
    }
}

/// A volume and the syringe it is measured with: `7.8 mL (10 mL syringe, 0.2 mL marks)`.
pub(crate) fn on_syringe(v: Volume, s: &Syringe, infusion: bool) -> String {
    format!("{} ({})", drawn_volume(v, infusion), syringe_text(s, v))
}

/// What is drawn of a stock, named so that no volume is paired with a strength it does
/// not have (SPEC §12.2): `0.7 mL of the 50 mg/mL stock`, `0.75 mL of the 1 mg/mL dilution
/// (1 mL of 50 mg/mL made up to 50 mL)`; with `syringe`, the syringe after the volume.
pub(crate) fn drawn_of_stock(line: &Line, stock: &Stock, infusion: bool, syringe: bool) -> Option<String> {
    let volume = |v: Volume| match (syringe, line.syringe) {
        (true, Some(s)) => on_syringe(v, &s, infusion),
        _ => drawn_volume(v, infusion),
    };
    match (&line.dilution, line.measure_rounded) {
        (Some(d), _) => Some(format!(
            "{} of the {} dilution ({})",
            volume(d.take_rounded),
            d.labelled,
            dilution_made(d, stock)
        )),
        (None, Some(r)) => Some(format!("{} of the {} stock", volume(r), stock.strength)),
        (None, None) => None,
    }
}

/// `1 mL of 50 mg/mL made up to 50 mL`.
pub(crate) fn dilution_made(d: &Dilution, stock: &Stock) -> String {
    format!("{} of {} made up to {}", volume_exact(d.stock), stock.strength, volume_exact(d.to))
}

/// A strength as printed: as written, or the concentration a fixed amount works out to, to
/// six places (`15 %w/w`, `1:750 w/v`, `50 mg/unit`).
pub(crate) fn strength_label(label: &StrengthLabel) -> String {
    match label {
        StrengthLabel::Written(a) => a.to_string(),
        StrengthLabel::WorkedOut(q) => format!("{} {}", crate::number::for_reading(q.value, 6), q.unit),
        StrengthLabel::Infusion(c) => format!("{} mg/mL", crate::number::four_significant(c.mg_per_ml())),
    }
}

/// `blend for 102.72 units (96 cavities)`: what a percent overage of a molded form makes
/// (SPEC §13), said so that no one reads a fraction of a unit as a count.
pub(crate) fn blend_for(prepared: Decimal, cavities: Decimal) -> String {
    format!(
        "blend for {} ({} cavities)",
        crate::formula::Basis::Molded.show(prepared),
        crate::number::trail_num(cavities)
    )
}

impl<'a> Figures<'a> {
    /// The figures of `batch`, a batch of `formula`.
    pub(crate) fn new(formula: &'a Formula, batch: &'a Batch) -> Self {
        Figures { formula, batch }
    }

    /// `Q`, e.g. `120 mL`.
    pub(crate) fn quantity(&self, c: &Compounded) -> String {
        batch_size(c.quantity).to_string()
    }

    /// `P`, e.g. `126 mL`; for a molded form whose overage makes more blend than its
    /// cavities take, `blend for 102.72 units (96 cavities)`, never a fraction of a unit.
    pub(crate) fn prepared(&self, c: &Compounded) -> String {
        match c.cavities.filter(|n| n.units() != c.prepared.value()) {
            Some(n) => blend_for(c.prepared.value(), n.units()),
            None => batch_size(c.prepared).to_string(),
        }
    }

    /// The qs: the volume to make up to, or the base weighed from its container (rounded).
    pub(crate) fn qs(&self, c: &Compounded) -> String {
        match c.qs.to {
            Some(to) => volume_exact(to).to_string(),
            None => self.line(&c.qs.id).and_then(amount_to_take).unwrap_or_else(|| "-".to_string()),
        }
    }

    /// Mold cavities to fill.
    pub(crate) fn cavities(&self, c: &Compounded) -> Option<String> {
        c.cavities.map(|n| plain(n.units()))
    }

    /// The theoretical unit weight, rounded to the balance readability.
    pub(crate) fn unit_weight(&self, c: &Compounded) -> Option<String> {
        c.unit_weight.map(|w| balance(w, self.batch.readability))
    }

    /// `bottle`, or `bottles` for more than one (SPEC §13).
    fn noun(&self, n: u64) -> String {
        let noun = self.formula.container_noun();
        if n == 1 { noun.to_string() } else { format!("{noun}s") }
    }

    /// The containers as they are: `2 bottles of 10 mL and 1 bottle of 5 mL`, `1 bottle
    /// of 7 mL` (SPEC §13).
    pub(crate) fn container_plan(&self, c: &Compounded) -> Option<String> {
        let c = c.containers.as_ref()?;
        let full = format!("{} {} of {}", c.full, self.noun(c.full), volume_exact(c.fill));
        Some(match c.last {
            Some((rest, _)) => format!("{full} and 1 {} of {}", self.noun(1), volume_exact(rest)),
            None => full,
        })
    }

    /// The doses of each container: `91 sprays in each 10 mL bottle, 41 in the 5 mL
    /// bottle`; `61 sprays` in a batch of one container (SPEC §13).
    pub(crate) fn dose_plan(&self, b: &Compounded) -> Option<String> {
        let dose = &self.formula.device.as_ref()?.dose;
        let doses = |n: Decimal| format!("{} {dose}{}", plain(n), if n == Decimal::ONE { "" } else { "s" });
        let Some(c) = &b.containers else { return b.doses.map(|n| doses(n.doses())) };
        let n = c.doses?.doses();
        let noun = self.formula.container_noun();
        Some(match (c.full, c.last) {
            (1, None) => doses(n),
            (_, None) => format!("{} in each {} {noun}", doses(n), volume_exact(c.fill)),
            (full, Some((rest, m))) => {
                let each = if full == 1 { "the" } else { "each" };
                let last = m.map(|m| plain(m.doses())).unwrap_or_default();
                format!(
                    "{} in {each} {} {noun}, {last} in the {} {noun}",
                    doses(n),
                    volume_exact(c.fill),
                    volume_exact(rest)
                )
            }
        })
    }

    /// `2 molds of 30 cavities: fill 47, leave 13 empty` (SPEC §13).
    pub(crate) fn molds(&self, c: &Compounded) -> Option<String> {
        let m = c.molds?;
        let filled = self.cavities(c)?;
        let molds = if m.count == 1 { "mold" } else { "molds" };
        let empty = if m.empty == 0 { "none".to_string() } else { m.empty.to_string() };
        Some(format!("{} {molds} of {} cavities: fill {filled}, leave {empty} empty", m.count, m.per_mold))
    }

    fn line(&self, id: &str) -> Option<&'a Line> {
        self.batch.lines.iter().find(|l| l.id == id)
    }

    fn strength_of(&self, id: &str) -> Option<&'a Strength> {
        self.batch.strengths.iter().find(|s| s.id == id)
    }

    /// What a stock's line says is drawn: the stock itself, or its dilution (SPEC §12.2).
    fn drawn(&self, id: &str, infusion: bool) -> Option<Option<String>> {
        let line = self.line(id)?;
        let stock = self.formula.ingredient(id).and_then(|i| i.stock)?;
        Some(drawn_of_stock(line, &stock, infusion, false))
    }

    /// An ingredient's rounded amount to weigh, or to measure; for one weighed through an
    /// aliquot, what goes into the batch and where the plan is.
    pub(crate) fn weigh(&self, c: &Compounded, id: &str) -> Option<String> {
        if c.qs.id == id {
            return Some(self.qs(c));
        }
        if let Some(drawn) = self.drawn(id, false) {
            return drawn;
        }
        let amount = self.line(id).and_then(amount_to_take)?;
        Some(match aliquot_plan(self.batch, id) {
            Some((n, _)) => format!("{amount} (by aliquot: see warning {})", n.saturating_add(1)),
            None => amount,
        })
    }

    /// What an infusion's line says to draw: the bag for its vehicle (SPEC §8.3).
    fn infusion_weigh(&self, i: &Infusion, id: &str) -> Option<String> {
        let line = self.line(id)?;
        if line.qs {
            return Some(iv::volume(i.bag));
        }
        self.drawn(id, true).unwrap_or_else(|| amount_to_take(line))
    }

    /// An active's strength in this batch, in its declared basis (`15 %w/w`).
    pub(crate) fn strength(&self, id: &str) -> Option<String> {
        self.strength_of(id).map(|s| strength_label(&s.label))
    }

    /// The basis an active's strength is declared in (`salt`, `base`); empty for an
    /// ingredient that has no strength.
    pub(crate) fn basis(&self, id: &str) -> &'static str {
        self.strength_of(id).map_or("", |s| s.basis.as_str())
    }

    /// An active's amount per dose, in its declared basis.
    pub(crate) fn per_dose(&self, id: &str) -> Option<String> {
        self.strength_of(id).and_then(|s| s.per_dose).map(|p| mass_readable(p, 2))
    }

    /// The value of a placeholder; the placeholder itself when this batch has none
    /// (which `validate` rules out for the formula's own text).
    pub(crate) fn slot(&self, slot: &Slot) -> String {
        let value = match (slot, &self.batch.kind) {
            (Slot::Strength(id), _) => self.strength(id),
            (Slot::PerDose(id), _) => self.per_dose(id),
            (_, BatchKind::Compounded(c)) => self.compounded_slot(c, slot),
            (_, BatchKind::Infusion(i)) => self.infusion_slot(i, slot),
        };
        value.unwrap_or_else(|| slot.to_string())
    }

    /// A nonsterile batch's placeholders; an infusion's have no value in it.
    fn compounded_slot(&self, c: &Compounded, slot: &Slot) -> Option<String> {
        match slot {
            Slot::Quantity => Some(self.quantity(c)),
            Slot::Prepared => Some(self.prepared(c)),
            Slot::Qs => Some(self.qs(c)),
            Slot::Cavities => self.cavities(c),
            Slot::UnitWeight => self.unit_weight(c),
            Slot::Fill => c.containers.as_ref().map(|n| volume_exact(n.fill).to_string()),
            Slot::Containers => c.containers.as_ref().map(|n| n.count.to_string()),
            Slot::Doses => c.doses.map(|d| plain(d.doses())),
            Slot::ContainerPlan => self.container_plan(c),
            Slot::DosePlan => self.dose_plan(c),
            Slot::Weigh(id) => self.weigh(c, id),
            _ => None,
        }
    }

    /// An infusion's placeholders print the bag as made (SPEC §12.3); its quantity is the
    /// bag's final volume.
    fn infusion_slot(&self, i: &Infusion, slot: &Slot) -> Option<String> {
        let m = &i.as_measured;
        match slot {
            Slot::Quantity | Slot::Prepared => {
                Some(batch_size(BatchSize::Volume(i.final_volume)).to_string())
            }
            Slot::Qs => Some(
                self.batch
                    .lines
                    .iter()
                    .find(|l| l.qs)
                    .and_then(amount_to_take)
                    .unwrap_or_else(|| "-".to_string()),
            ),
            Slot::Weigh(id) => self.infusion_weigh(i, id),
            Slot::Dose => Some(iv::mass(m.dose)),
            Slot::Bag => Some(iv::volume(i.bag)),
            Slot::VolumeToInfuse => Some(iv::volume(m.volume_to_infuse)),
            Slot::Rate => Some(iv::rate(m.rate)),
            Slot::FinalVolume => Some(iv::volume(m.final_volume)),
            Slot::Concentration => Some(iv::concentration(m.concentration)),
            _ => None,
        }
    }

    /// A formula text with its placeholders filled in for this batch.
    pub(crate) fn text(&self, t: &Template) -> String {
        t.fill(|s| self.slot(s))
    }

    /// The preparation's name for this batch: placeholders filled, and a custom strength
    /// that the name does not print itself added at the end (SPEC §7.3).
    pub(crate) fn title(&self) -> String {
        let mut name = self.text(&self.formula.name);
        let custom: Vec<&Strength> = self
            .batch
            .strengths
            .iter()
            .filter(|s| s.mfr.is_some() && !self.formula.name.uses(&Slot::Strength(s.id.clone())))
            .collect();
        match custom.as_slice() {
            [] => {}
            [one] => name.push_str(&format!(", custom strength {}", strength_label(&one.label))),
            many => {
                let each: Vec<String> =
                    many.iter().map(|s| format!("{} {}", s.id, strength_label(&s.label))).collect();
                name.push_str(&format!(", custom strengths {}", each.join(", ")));
            }
        }
        // An infusion's own dose, bag or duration, unless the name already prints it.
        let custom = match &self.batch.kind {
            BatchKind::Infusion(i) => i.custom.as_slice(),
            BatchKind::Compounded(_) => &[],
        };
        for c in custom.iter().filter(|c| !(c.what() == "bag" && self.formula.name.uses(&Slot::Bag))) {
            name.push_str(&format!(", custom {} {}", c.what(), super::infusion::custom_this(c)));
        }
        name
    }
}
