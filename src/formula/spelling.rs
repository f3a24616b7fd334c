//! The words a formula file uses for its choices (`dosage_form = "nasal-spray"`,
//! `role = "active"`, …), each declared once: the enum, every spelling (`ALL`,
//! `SPELLINGS`), `as_str` and `FromStr`. The loader, the reports and the JSON Schema all
//! read these, so they cannot disagree.

use std::fmt;
use std::str::FromStr;

/// A word that is not one of a choice's spellings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownWord(pub String);

/// A choice a formula file spells with one of a few words.
pub trait Word: FromStr + Copy {
    /// Every spelling, in the format's order.
    const SPELLINGS: &'static [&'static str];
}

macro_rules! spelled {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $spelling:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every choice, in the order the format lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// How a formula file spells each choice, in the order of [`Self::ALL`].
            pub const SPELLINGS: &'static [&'static str] = &[$($spelling),+];

            /// How a formula file spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $spelling,)+
                }
            }
        }

        impl Word for $name {
            const SPELLINGS: &'static [&'static str] = &[$($spelling),+];
        }

        impl FromStr for $name {
            type Err = UnknownWord;

            fn from_str(s: &str) -> Result<Self, UnknownWord> {
                match s {
                    $($spelling => Ok($name::$variant),)+
                    _ => Err(UnknownWord(s.to_string())),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

spelled! {
    /// The dosage forms ketacalc knows (SPEC §2.1).
    pub enum DosageForm {
        /// A metered nasal spray.
        NasalSpray = "nasal-spray",
        /// Drops under the tongue from a dropper.
        SublingualDrops = "sublingual-drops",
        /// An oral solution measured with a syringe.
        OralSolution = "oral-solution",
        /// A cream.
        Cream = "cream",
        /// A gel.
        Gel = "gel",
        /// An ointment.
        Ointment = "ointment",
        /// A troche (lozenge) poured into a mold.
        Troche = "troche",
        /// A rapid-dissolve tablet poured into a mold.
        Rdt = "rdt",
        /// A patient-specific sterile IV infusion bag (USP <797>, SPEC §8.2).
        IvInfusion = "iv-infusion",
    }
}

spelled! {
    /// USP <795> water category.
    pub enum Water {
        /// Water activity ≥ 0.6.
        Aqueous = "aqueous",
        /// Water activity < 0.6.
        Nonaqueous = "nonaqueous",
    }
}

spelled! {
    /// Storage condition.
    pub enum Storage {
        /// 20–25 °C.
        RoomTemperature = "room-temperature",
        /// 2–8 °C.
        Refrigerator = "refrigerator",
        /// −25 to −10 °C.
        Freezer = "freezer",
    }
}

spelled! {
    /// An ingredient's role in the formula.
    pub enum Role {
        /// An active pharmaceutical ingredient.
        Active = "active",
        /// An antimicrobial preservative.
        Preservative = "preservative",
        /// Any other excipient.
        Excipient = "excipient",
        /// A flavour.
        Flavor = "flavor",
        /// A sweetener.
        Sweetener = "sweetener",
        /// A levigating agent.
        Levigant = "levigant",
        /// A liquid vehicle.
        Vehicle = "vehicle",
        /// A semisolid or molding base.
        Base = "base",
    }
}

spelled! {
    /// Whether an active's strength is stated as the salt or the free base.
    pub enum StrengthBasis {
        /// The amount is of the material as weighed (e.g. ketamine HCl).
        Salt = "salt",
        /// The amount is of the free base (active moiety).
        Base = "base",
    }
}

spelled! {
    /// A DEA schedule, most restrictive first (files may also write `C-III`).
    #[derive(PartialOrd, Ord)]
    pub enum Schedule {
        /// Schedule I.
        CI = "CI",
        /// Schedule II.
        CII = "CII",
        /// Schedule III (ketamine).
        CIII = "CIII",
        /// Schedule IV.
        CIV = "CIV",
        /// Schedule V.
        CV = "CV",
    }
}

spelled! {
    /// How an ingredient is measured out.
    pub enum Measure {
        /// Weighed on a balance.
        Mass = "mass",
        /// Measured by volume (needs a density to know its mass).
        Volume = "volume",
    }
}

spelled! {
    /// USP <797> (2023) category of a sterile preparation (SPEC §8.4).
    pub enum SterileCategory {
        /// Immediate use: administration begins within 4 hours.
        ImmediateUse = "immediate-use",
        /// Category 1: an ISO 5 PEC in an unclassified segregated compounding area.
        One = "1",
        /// Category 2: a cleanroom suite.
        Two = "2",
    }
}

spelled! {
    /// How a category 2 preparation is made sterile.
    pub enum SterileMethod {
        /// Aseptic processing.
        Aseptic = "aseptic",
        /// Terminal sterilization.
        Terminal = "terminal",
    }
}

spelled! {
    /// Whether every starting component of a category 2 preparation is sterile.
    pub enum Starting {
        /// All starting components are sterile.
        Sterile = "sterile",
        /// At least one starting component is nonsterile.
        Nonsterile = "nonsterile",
    }
}

spelled! {
    /// How an infusion bag is made and run (SPEC §8.3).
    pub enum InfusionMethod {
        /// The dose goes into the bag and the whole bag runs over the duration.
        WholeBag = "whole-bag",
        /// The bag is made at a set concentration and the dose's volume is infused from it.
        FixedConcentration = "fixed-concentration",
    }
}

impl Storage {
    /// How a label says it.
    pub fn describe(self) -> &'static str {
        match self {
            Storage::RoomTemperature => "controlled room temperature (20-25 °C)",
            Storage::Refrigerator => "refrigerate (2-8 °C)",
            Storage::Freezer => "freezer (-25 to -10 °C)",
        }
    }

    /// The storage condition a text states, if it is a storage statement (`Store in the
    /// refrigerator (2-8 °C); do not freeze`, `Keep refrigerated`): the condition it names
    /// first, so that `do not freeze` after `refrigerator` is no freezer. A label prints one
    /// storage statement (SPEC §13), and such a warning is it.
    pub fn stated_in(text: &str) -> Option<Storage> {
        let openings = [
            "store",
            "keep refrigerated",
            "keep in the refrigerator",
            "keep in a refrigerator",
            "refrigerate",
        ];
        let text = text.trim();
        // Most warnings open with none of them: when the first bytes, as long as the
        // longest opening, are ASCII (whose lowercase is their ASCII lowercase), that is
        // seen without a lowercase copy of the whole text.
        let longest = openings.iter().map(|w| w.len()).max().unwrap_or(0);
        let head = text.as_bytes().get(..longest).unwrap_or(text.as_bytes());
        let opens = |w: &&str| head.get(..w.len()).is_some_and(|h| h.eq_ignore_ascii_case(w.as_bytes()));
        if head.is_ascii() && !openings.iter().any(opens) {
            return None;
        }
        let t = text.to_lowercase();
        if !openings.iter().any(|w| t.starts_with(w)) {
            return None;
        }
        let named = [
            ("refrigerat", Storage::Refrigerator),
            ("2-8 °c", Storage::Refrigerator),
            ("room temperature", Storage::RoomTemperature),
            ("20-25 °c", Storage::RoomTemperature),
            ("freezer", Storage::Freezer),
            ("frozen", Storage::Freezer),
        ];
        named
            .iter()
            .filter_map(|(w, s)| t.find(w).map(|at| (at, *s)))
            .min_by_key(|(at, _)| *at)
            .map(|(_, s)| s)
    }
}

impl StrengthBasis {
    /// The other basis.
    pub fn other(self) -> StrengthBasis {
        match self {
            StrengthBasis::Salt => StrengthBasis::Base,
            StrengthBasis::Base => StrengthBasis::Salt,
        }
    }
}

impl Schedule {
    /// Reads a schedule as files write it: `CIII`, `C-III`, `ciii`.
    pub fn read(text: &str) -> Option<Schedule> {
        text.to_ascii_uppercase().replace('-', "").parse().ok()
    }

    /// `C-III` etc., as printed on a banner.
    pub fn banner(self) -> &'static str {
        match self {
            Schedule::CI => "C-I",
            Schedule::CII => "C-II",
            Schedule::CIII => "C-III",
            Schedule::CIV => "C-IV",
            Schedule::CV => "C-V",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_reads_back() {
        for f in DosageForm::ALL {
            assert_eq!(f.as_str().parse::<DosageForm>(), Ok(*f));
        }
        assert_eq!(DosageForm::SPELLINGS.len(), DosageForm::ALL.len());
        assert_eq!("aqueous".parse(), Ok(Water::Aqueous));
        assert_eq!("nasal spray".parse::<DosageForm>(), Err(UnknownWord("nasal spray".into())));
        assert_eq!(Schedule::read("c-iii"), Some(Schedule::CIII));
        assert!(Schedule::CII < Schedule::CIII);
        assert_eq!(Role::Levigant.to_string(), "levigant");
    }

    #[test]
    fn storage_stated_in_a_warning() {
        let stated = Storage::stated_in;
        assert_eq!(
            stated("  STORE in the refrigerator (2-8 °C); do not freeze"),
            Some(Storage::Refrigerator)
        );
        assert_eq!(stated("Keep refrigerated"), Some(Storage::Refrigerator));
        assert_eq!(stated("Store at room temperature"), Some(Storage::RoomTemperature));
        assert_eq!(stated("Store frozen"), Some(Storage::Freezer));
        assert_eq!(stated("Shake well; store in the refrigerator"), None);
        assert_eq!(stated("Stor"), None);
        assert_eq!(stated("Store"), None);
        // A character whose lowercase is ASCII (the Kelvin sign is `k`) opens one too.
        assert_eq!(stated("\u{212a}eep refrigerated"), Some(Storage::Refrigerator));
        assert_eq!(stated("Für die Kühlung"), None);
    }
}
