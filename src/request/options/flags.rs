//! A batch request as text: each option's value as given, with the name its caller gave
//! it (`--quantity` on the command line, `quantity` or `lots.ketamine-hcl.assay` in a
//! batch file), as close to the flags as possible; nothing is parsed here.

use super::super::wording::Syntax;

/// One option as given: the flag's name (for messages) and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag<'a> {
    /// How the caller spells the option, e.g. `--quantity`.
    pub name: &'a str,
    /// Its value, as given.
    pub value: &'a str,
}

/// The options of a batch as text, each with its flag's name, and how the caller names
/// options (for messages that name another option).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags<'a> {
    /// Flags on the command line, or keys of a batch file.
    pub syntax: Syntax,
    /// `Q`: `30mL`, `100 g`, `60`.
    pub quantity: Option<Flag<'a>>,
    /// `5%` or a quantity.
    pub overage: Option<Flag<'a>>,
    /// `[ID=]S`, one per active.
    pub strength: Vec<Flag<'a>>,
    /// `ID=PCT`.
    pub assay: Vec<Flag<'a>>,
    /// `ID=PCT`.
    pub lod: Vec<Flag<'a>>,
    /// `ID=LOT`.
    pub lot: Vec<Flag<'a>>,
    /// `ID=YYYY-MM-DD`.
    pub expiry: Vec<Flag<'a>>,
    /// `ID=TEXT`: who supplied a component's lot.
    pub vendor: Vec<Flag<'a>>,
    /// `YYYY-MM-DD`; default today.
    pub date: Option<Flag<'a>>,
    /// Free text.
    pub batch_id: Option<Flag<'a>>,
    /// A mass.
    pub readability: Option<Flag<'a>>,
    /// A mass.
    pub min_weight: Option<Flag<'a>>,
    /// A volume.
    pub fill: Option<Flag<'a>>,
    /// A volume.
    pub min_volume: Option<Flag<'a>>,
    /// An infusion: the patient's weight, `70 kg` or `154 lb`.
    pub weight: Option<Flag<'a>>,
    /// An infusion: `0.5 mg/kg` or `35 mg`.
    pub dose: Option<Flag<'a>>,
    /// An infusion: `40 min`, `1 h`.
    pub duration: Option<Flag<'a>>,
    /// An infusion: the bag's nominal volume.
    pub bag: Option<Flag<'a>>,
    /// An infusion: the compounding time, `HH:MM`.
    pub time: Option<Flag<'a>>,
    /// An infusion: this order's own ceiling, a mass (with `authorized_by`).
    pub max: Option<Flag<'a>>,
    /// An infusion: who approved `max`.
    pub authorized_by: Option<Flag<'a>>,
}

impl<'a> Flags<'a> {
    /// Every option given, in the order of the fields.
    pub fn all(&self) -> Vec<Flag<'a>> {
        let ones = [self.quantity, self.overage];
        let manys = [&self.strength, &self.assay, &self.lod, &self.lot, &self.expiry, &self.vendor];
        let rest = [
            self.date,
            self.batch_id,
            self.readability,
            self.min_weight,
            self.fill,
            self.min_volume,
            self.weight,
            self.dose,
            self.duration,
            self.bag,
            self.time,
            self.max,
            self.authorized_by,
        ];
        let mut out: Vec<Flag<'a>> = ones.into_iter().flatten().collect();
        out.extend(manys.into_iter().flatten().copied());
        out.extend(rest.into_iter().flatten());
        out
    }

    /// Sets the option whose field is called `key` (`quantity`, `assay`, `batch_id`, …)
    /// to `value`, given as `name`; a field that takes several values gets one more.
    /// Returns false for an unknown key.
    pub fn set(&mut self, key: &str, name: &'a str, value: &'a str) -> bool {
        let flag = Flag { name, value };
        let one = match key {
            "quantity" => &mut self.quantity,
            "overage" => &mut self.overage,
            "date" => &mut self.date,
            "batch_id" => &mut self.batch_id,
            "readability" => &mut self.readability,
            "min_weight" => &mut self.min_weight,
            "fill" => &mut self.fill,
            "min_volume" => &mut self.min_volume,
            "weight" => &mut self.weight,
            "dose" => &mut self.dose,
            "duration" => &mut self.duration,
            "bag" => &mut self.bag,
            "time" => &mut self.time,
            "max" => &mut self.max,
            "authorized_by" => &mut self.authorized_by,
            _ => {
                let many = match key {
                    "strength" => &mut self.strength,
                    "assay" => &mut self.assay,
                    "lod" => &mut self.lod,
                    "lot" => &mut self.lot,
                    "expiry" => &mut self.expiry,
                    "vendor" => &mut self.vendor,
                    _ => return false,
                };
                many.push(flag);
                return true;
            }
        };
        *one = Some(flag);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_set_is_given() {
        let keys = [
            "quantity",
            "overage",
            "strength",
            "assay",
            "lod",
            "lot",
            "expiry",
            "vendor",
            "date",
            "batch_id",
            "readability",
            "min_weight",
            "fill",
            "min_volume",
            "weight",
            "dose",
            "duration",
            "bag",
            "time",
            "max",
            "authorized_by",
        ];
        let mut flags = Flags::default();
        for k in keys {
            assert!(flags.set(k, k, "v"), "{k}");
        }
        let names: Vec<&str> = flags.all().iter().map(|f| f.name).collect();
        assert_eq!(names, keys);
    }
}
