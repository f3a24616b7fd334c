//! Units of measure, their dimensions and exact conversion factors (SPEC §1).
//!
//! Symbols are matched case-insensitively; output always uses the canonical spelling.
//! Every count noun (`spray`, `troche`, …) is the same unit, printed `units`, and every
//! per-count amount is printed `mg/unit` (or `mcg/unit`, `g/unit`).

use std::fmt;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// A unit of mass. Factors to milligrams are exact powers of ten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MassUnit {
    /// Microgram (`mcg`, `µg`, `ug`).
    Mcg,
    /// Milligram.
    Mg,
    /// Gram.
    G,
    /// Kilogram.
    Kg,
    /// Avoirdupois pound, exactly 0.45359237 kg (patient weights only, in practice).
    Lb,
}

impl MassUnit {
    /// How many milligrams one of this unit is.
    pub fn in_mg(self) -> Decimal {
        match self {
            MassUnit::Mcg => dec!(0.001),
            MassUnit::Mg => Decimal::ONE,
            MassUnit::G => Decimal::ONE_THOUSAND,
            MassUnit::Kg => dec!(1_000_000),
            MassUnit::Lb => dec!(453_592.37),
        }
    }

    /// How many micrograms one of this unit is.
    pub fn in_mcg(self) -> Decimal {
        match self {
            MassUnit::Mcg => Decimal::ONE,
            MassUnit::Mg => Decimal::ONE_THOUSAND,
            MassUnit::G => dec!(1_000_000),
            MassUnit::Kg => dec!(1_000_000_000),
            MassUnit::Lb => dec!(453_592_370),
        }
    }

    /// The canonical symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            MassUnit::Mcg => "mcg",
            MassUnit::Mg => "mg",
            MassUnit::G => "g",
            MassUnit::Kg => "kg",
            MassUnit::Lb => "lb",
        }
    }

    /// Every spelling of a mass unit, lowercase (input is lowered before it is looked
    /// up), with the unit it stands for. The parser and the JSON Schema's patterns
    /// (`crate::pattern`) both read this table.
    pub const SPELLINGS: &'static [(&'static str, MassUnit)] = &[
        ("mcg", MassUnit::Mcg),
        ("µg", MassUnit::Mcg),
        ("μg", MassUnit::Mcg),
        ("ug", MassUnit::Mcg),
        ("mg", MassUnit::Mg),
        ("g", MassUnit::G),
        ("kg", MassUnit::Kg),
        ("kgs", MassUnit::Kg),
        ("lb", MassUnit::Lb),
        ("lbs", MassUnit::Lb),
    ];

    fn parse(s: &str) -> Option<Self> {
        Self::SPELLINGS.iter().find(|(t, _)| *t == s).map(|(_, u)| *u)
    }
}

/// A unit of volume. Factors to millilitres are exact powers of ten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VolumeUnit {
    /// Microlitre (`mcL`, `µL`, `uL`).
    McL,
    /// Millilitre.
    ML,
    /// Litre.
    L,
}

impl VolumeUnit {
    /// How many millilitres one of this unit is.
    pub fn in_ml(self) -> Decimal {
        match self {
            VolumeUnit::McL => dec!(0.001),
            VolumeUnit::ML => Decimal::ONE,
            VolumeUnit::L => Decimal::ONE_THOUSAND,
        }
    }

    /// The canonical symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            VolumeUnit::McL => "mcL",
            VolumeUnit::ML => "mL",
            VolumeUnit::L => "L",
        }
    }

    /// Every spelling of a volume unit, lowercase, with the unit (see
    /// [`MassUnit::SPELLINGS`]).
    pub const SPELLINGS: &'static [(&'static str, VolumeUnit)] = &[
        ("mcl", VolumeUnit::McL),
        ("µl", VolumeUnit::McL),
        ("μl", VolumeUnit::McL),
        ("ul", VolumeUnit::McL),
        ("ml", VolumeUnit::ML),
        ("l", VolumeUnit::L),
    ];

    fn parse(s: &str) -> Option<Self> {
        Self::SPELLINGS.iter().find(|(t, _)| *t == s).map(|(_, u)| *u)
    }
}

/// A unit of time (infusion durations and rates, SPEC §8.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// Minute.
    Min,
    /// Hour.
    H,
}

impl TimeUnit {
    /// How many minutes one of this unit is.
    pub fn in_min(self) -> Decimal {
        match self {
            TimeUnit::Min => Decimal::ONE,
            TimeUnit::H => Decimal::from(60),
        }
    }

    /// The canonical symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            TimeUnit::Min => "min",
            TimeUnit::H => "h",
        }
    }

    /// Every spelling of a time unit, lowercase, with the unit (see
    /// [`MassUnit::SPELLINGS`]).
    pub const SPELLINGS: &'static [(&'static str, TimeUnit)] = &[
        ("min", TimeUnit::Min),
        ("mins", TimeUnit::Min),
        ("minute", TimeUnit::Min),
        ("minutes", TimeUnit::Min),
        ("h", TimeUnit::H),
        ("hr", TimeUnit::H),
        ("hrs", TimeUnit::H),
        ("hour", TimeUnit::H),
        ("hours", TimeUnit::H),
    ];

    fn parse(s: &str) -> Option<Self> {
        Self::SPELLINGS.iter().find(|(t, _)| *t == s).map(|(_, u)| *u)
    }
}

/// The nouns a count may carry. They all mean "units" in calculations and output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CountNoun {
    /// `unit`
    Unit,
    /// `spray`
    Spray,
    /// `drop`
    Drop,
    /// `click`
    Click,
    /// `troche`
    Troche,
    /// `tablet`
    Tablet,
    /// `rdt`
    Rdt,
    /// `dose`
    Dose,
}

impl CountNoun {
    /// Every noun, in the order of SPEC §1.
    pub const ALL: &'static [CountNoun] = &[
        CountNoun::Unit,
        CountNoun::Spray,
        CountNoun::Drop,
        CountNoun::Click,
        CountNoun::Troche,
        CountNoun::Tablet,
        CountNoun::Rdt,
        CountNoun::Dose,
    ];

    /// Parses a singular or plural noun (case-insensitive input already lowered): the
    /// singular of [`Self::ALL`], or it with one `s` after it.
    pub fn parse(s: &str) -> Option<Self> {
        let singular = s.strip_suffix('s').unwrap_or(s);
        Self::ALL.iter().copied().find(|n| n.singular() == singular)
    }

    /// The singular noun.
    pub fn singular(self) -> &'static str {
        match self {
            CountNoun::Unit => "unit",
            CountNoun::Spray => "spray",
            CountNoun::Drop => "drop",
            CountNoun::Click => "click",
            CountNoun::Troche => "troche",
            CountNoun::Tablet => "tablet",
            CountNoun::Rdt => "rdt",
            CountNoun::Dose => "dose",
        }
    }
}

/// The numerator of a drop rate or drop factor (`gtt/mL`, `gtt/min`).
pub const DROPS: &str = "gtt";

/// The percentages that name their kind (`%w/v`, `%w/w`, `%v/v`), lowercase.
pub const PERCENTS: &[(&str, Unit)] =
    &[("%w/v", Unit::PercentWV), ("%w/w", Unit::PercentWW), ("%v/v", Unit::PercentVV)];

/// What a unit measures. Two quantities convert into each other only within one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// Mass.
    Mass,
    /// Volume.
    Volume,
    /// A count of units.
    Count,
    /// Mass per volume (`mg/mL`, `%w/v`); also density (`g/mL`).
    MassPerVolume,
    /// Mass per mass (`mg/g`, `%w/w`).
    MassPerMass,
    /// Volume per volume (`%v/v`).
    VolumePerVolume,
    /// Mass per unit (`mg/unit`, `mg/troche`).
    MassPerCount,
    /// A length of time (`min`, `h`).
    Time,
    /// A flow rate (`mL/h`).
    VolumePerTime,
    /// Drops per volume: a drop factor or a calibrated dropper (`gtt/mL`).
    DropsPerVolume,
    /// Drops per time: a drip rate (`gtt/min`).
    DropsPerTime,
}

impl Dimension {
    /// A short description for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Dimension::Mass => "a mass",
            Dimension::Volume => "a volume",
            Dimension::Count => "a count",
            Dimension::MassPerVolume => "a mass per volume",
            Dimension::MassPerMass => "a mass per mass",
            Dimension::VolumePerVolume => "a volume per volume",
            Dimension::MassPerCount => "a mass per unit",
            Dimension::Time => "a time",
            Dimension::VolumePerTime => "a flow rate",
            Dimension::DropsPerVolume => "a number of drops per volume",
            Dimension::DropsPerTime => "a drip rate",
        }
    }

    /// The canonical base unit that [`Unit::to_base_factor`] converts into.
    pub fn base_unit(self) -> Unit {
        match self {
            Dimension::Mass => Unit::Mass(MassUnit::Mg),
            Dimension::Volume => Unit::Volume(VolumeUnit::ML),
            Dimension::Count => Unit::Count,
            Dimension::MassPerVolume => Unit::MassPerVolume(MassUnit::Mg, VolumeUnit::ML),
            Dimension::MassPerMass => Unit::MassPerMass(MassUnit::Mg, MassUnit::G),
            Dimension::VolumePerVolume => Unit::PercentVV,
            Dimension::MassPerCount => Unit::MassPerCount(MassUnit::Mg),
            Dimension::Time => Unit::Time(TimeUnit::Min),
            Dimension::VolumePerTime => Unit::VolumePerTime(VolumeUnit::ML, TimeUnit::H),
            Dimension::DropsPerVolume => Unit::DropsPerVolume(VolumeUnit::ML),
            Dimension::DropsPerTime => Unit::DropsPerTime(TimeUnit::Min),
        }
    }
}

/// A unit of measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A mass unit.
    Mass(MassUnit),
    /// A volume unit.
    Volume(VolumeUnit),
    /// A count (`units`, whatever noun the input used).
    Count,
    /// Mass per volume, e.g. `mg/mL`.
    MassPerVolume(MassUnit, VolumeUnit),
    /// `%w/v`: grams per 100 mL.
    PercentWV,
    /// Mass per mass, e.g. `mg/g`.
    MassPerMass(MassUnit, MassUnit),
    /// `%w/w`: grams per 100 g.
    PercentWW,
    /// `%v/v`: millilitres per 100 mL.
    PercentVV,
    /// Mass per unit, e.g. `mg/unit` (`mg/troche` in input).
    MassPerCount(MassUnit),
    /// A time, `min` or `h`.
    Time(TimeUnit),
    /// A flow rate, e.g. `mL/h`.
    VolumePerTime(VolumeUnit, TimeUnit),
    /// Drops per volume, e.g. `gtt/mL`.
    DropsPerVolume(VolumeUnit),
    /// Drops per time, e.g. `gtt/min`.
    DropsPerTime(TimeUnit),
}

impl Unit {
    /// Milligrams.
    pub const MG: Unit = Unit::Mass(MassUnit::Mg);
    /// Grams.
    pub const G: Unit = Unit::Mass(MassUnit::G);
    /// Millilitres.
    pub const ML: Unit = Unit::Volume(VolumeUnit::ML);
    /// Milligrams per millilitre.
    pub const MG_PER_ML: Unit = Unit::MassPerVolume(MassUnit::Mg, VolumeUnit::ML);
    /// Grams per millilitre (density).
    pub const G_PER_ML: Unit = Unit::MassPerVolume(MassUnit::G, VolumeUnit::ML);
    /// Milligrams per gram.
    pub const MG_PER_G: Unit = Unit::MassPerMass(MassUnit::Mg, MassUnit::G);
    /// Milligrams per unit.
    pub const MG_PER_UNIT: Unit = Unit::MassPerCount(MassUnit::Mg);
    /// Kilograms.
    pub const KG: Unit = Unit::Mass(MassUnit::Kg);
    /// Milligrams per kilogram (a dose rule).
    pub const MG_PER_KG: Unit = Unit::MassPerMass(MassUnit::Mg, MassUnit::Kg);
    /// Minutes.
    pub const MIN: Unit = Unit::Time(TimeUnit::Min);
    /// Millilitres per hour.
    pub const ML_PER_H: Unit = Unit::VolumePerTime(VolumeUnit::ML, TimeUnit::H);
    /// Drops per millilitre.
    pub const GTT_PER_ML: Unit = Unit::DropsPerVolume(VolumeUnit::ML);
    /// Drops per minute.
    pub const GTT_PER_MIN: Unit = Unit::DropsPerTime(TimeUnit::Min);

    /// Parses a unit symbol, case-insensitively. Returns `None` for anything unknown.
    pub fn parse(text: &str) -> Option<Unit> {
        let lower = text.to_lowercase();
        let s = lower.as_str();
        if let Some((_, u)) = PERCENTS.iter().find(|(t, _)| *t == s) {
            return Some(*u);
        }
        if let Some(m) = MassUnit::parse(s) {
            return Some(Unit::Mass(m));
        }
        if let Some(v) = VolumeUnit::parse(s) {
            return Some(Unit::Volume(v));
        }
        if let Some(t) = TimeUnit::parse(s) {
            return Some(Unit::Time(t));
        }
        if CountNoun::parse(s).is_some() {
            return Some(Unit::Count);
        }
        let (num, den) = s.split_once('/')?;
        if num == DROPS {
            return match (VolumeUnit::parse(den), TimeUnit::parse(den)) {
                (Some(v), _) => Some(Unit::DropsPerVolume(v)),
                (_, Some(t)) => Some(Unit::DropsPerTime(t)),
                _ => None,
            };
        }
        if let (Some(v), Some(t)) = (VolumeUnit::parse(num), TimeUnit::parse(den)) {
            return Some(Unit::VolumePerTime(v, t));
        }
        let num = MassUnit::parse(num)?;
        if let Some(v) = VolumeUnit::parse(den) {
            Some(Unit::MassPerVolume(num, v))
        } else if let Some(m) = MassUnit::parse(den) {
            Some(Unit::MassPerMass(num, m))
        } else {
            CountNoun::parse(den).map(|_| Unit::MassPerCount(num))
        }
    }

    /// The dimension this unit measures.
    pub fn dimension(self) -> Dimension {
        match self {
            Unit::Mass(_) => Dimension::Mass,
            Unit::Volume(_) => Dimension::Volume,
            Unit::Count => Dimension::Count,
            Unit::MassPerVolume(..) | Unit::PercentWV => Dimension::MassPerVolume,
            Unit::MassPerMass(..) | Unit::PercentWW => Dimension::MassPerMass,
            Unit::PercentVV => Dimension::VolumePerVolume,
            Unit::MassPerCount(_) => Dimension::MassPerCount,
            Unit::Time(_) => Dimension::Time,
            Unit::VolumePerTime(..) => Dimension::VolumePerTime,
            Unit::DropsPerVolume(_) => Dimension::DropsPerVolume,
            Unit::DropsPerTime(_) => Dimension::DropsPerTime,
        }
    }

    /// The factor that converts a value in this unit into the dimension's base unit
    /// (`mg`, `mL`, `units`, `mg/mL`, `mg/g`, `%v/v`, `mg/unit`, `min`, `mL/h`, `gtt/mL`,
    /// `gtt/min`), as a numerator and a denominator so that callers can multiply first and
    /// divide once.
    pub fn to_base_factor(self) -> (Decimal, Decimal) {
        let ten = Decimal::TEN;
        match self {
            Unit::Mass(m) => (m.in_mg(), Decimal::ONE),
            Unit::Volume(v) => (v.in_ml(), Decimal::ONE),
            Unit::Count | Unit::PercentVV => (Decimal::ONE, Decimal::ONE),
            Unit::MassPerVolume(m, v) => (m.in_mg(), v.in_ml()),
            // 1 %w/v = 1 g per 100 mL = 10 mg/mL; likewise %w/w = 10 mg/g.
            Unit::PercentWV | Unit::PercentWW => (ten, Decimal::ONE),
            // mg per g = (numerator in mcg) ÷ (denominator in mg).
            Unit::MassPerMass(m, per) => (m.in_mcg(), per.in_mg()),
            Unit::MassPerCount(m) => (m.in_mg(), Decimal::ONE),
            Unit::Time(t) => (t.in_min(), Decimal::ONE),
            // mL per hour = (volume in mL × 60) ÷ (time in min).
            Unit::VolumePerTime(v, t) => (v.in_ml().saturating_mul(Decimal::from(60)), t.in_min()),
            // Drops per mL: per litre is a thousandth as many per mL.
            Unit::DropsPerVolume(v) => (Decimal::ONE, v.in_ml()),
            Unit::DropsPerTime(t) => (Decimal::ONE, t.in_min()),
        }
    }
}

/// A unit symbol that is none of SPEC §1's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a unit: expected one such as `mg`, `mL`, `mg/mL`, `%w/w` or `mg/unit`")]
pub struct UnknownUnit(pub String);

impl std::str::FromStr for Unit {
    type Err = UnknownUnit;

    /// [`Unit::parse`], with an error that quotes the text.
    fn from_str(text: &str) -> Result<Unit, UnknownUnit> {
        Unit::parse(text).ok_or_else(|| UnknownUnit(text.to_string()))
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unit::Mass(m) => f.write_str(m.symbol()),
            Unit::Volume(v) => f.write_str(v.symbol()),
            Unit::Count => f.write_str("units"),
            Unit::MassPerVolume(m, v) => write!(f, "{}/{}", m.symbol(), v.symbol()),
            Unit::PercentWV => f.write_str("%w/v"),
            Unit::MassPerMass(m, per) => write!(f, "{}/{}", m.symbol(), per.symbol()),
            Unit::PercentWW => f.write_str("%w/w"),
            Unit::PercentVV => f.write_str("%v/v"),
            Unit::MassPerCount(m) => write!(f, "{}/unit", m.symbol()),
            Unit::Time(t) => f.write_str(t.symbol()),
            Unit::VolumePerTime(v, t) => write!(f, "{}/{}", v.symbol(), t.symbol()),
            Unit::DropsPerVolume(v) => write!(f, "gtt/{}", v.symbol()),
            Unit::DropsPerTime(t) => write!(f, "gtt/{}", t.symbol()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(input: &str, canonical: &str, dim: Dimension) {
        let unit = Unit::parse(input).unwrap_or_else(|| panic!("`{input}` should parse"));
        assert_eq!(unit.to_string(), canonical, "{input}");
        assert_eq!(unit.dimension(), dim, "{input}");
    }

    #[test]
    fn units_parse_with_from_str() {
        assert_eq!("mg/mL".parse::<Unit>(), Ok(Unit::MG_PER_ML));
        let e = "furlong".parse::<Unit>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "`furlong` is not a unit: expected one such as `mg`, `mL`, `mg/mL`, `%w/w` or `mg/unit`"
        );
    }

    #[test]
    fn every_unit_and_alias_of_the_table() {
        use Dimension::*;
        for (i, c) in [("mcg", "mcg"), ("µg", "mcg"), ("ug", "mcg"), ("mg", "mg"), ("g", "g"), ("kg", "kg")]
        {
            case(i, c, Mass);
        }
        for (i, c) in
            [("mL", "mL"), ("ml", "mL"), ("L", "L"), ("l", "L"), ("mcL", "mcL"), ("µL", "mcL"), ("uL", "mcL")]
        {
            case(i, c, Volume);
        }
        for noun in [
            "unit", "units", "spray", "sprays", "drop", "drops", "click", "clicks", "troche", "troches",
            "tablet", "tablets", "rdt", "rdts", "dose", "doses",
        ] {
            case(noun, "units", Count);
        }
        for (i, c) in [
            ("mg/mL", "mg/mL"),
            ("mcg/mL", "mcg/mL"),
            ("g/mL", "g/mL"),
            ("g/L", "g/L"),
            ("mg/L", "mg/L"),
            ("%w/v", "%w/v"),
        ] {
            case(i, c, MassPerVolume);
        }
        for (i, c) in [("mg/g", "mg/g"), ("mcg/g", "mcg/g"), ("%w/w", "%w/w")] {
            case(i, c, MassPerMass);
        }
        case("%v/v", "%v/v", VolumePerVolume);
        for (i, c) in [
            ("mg/unit", "mg/unit"),
            ("mcg/unit", "mcg/unit"),
            ("g/unit", "g/unit"),
            ("mg/troche", "mg/unit"),
            ("mg/tablet", "mg/unit"),
            ("mg/rdt", "mg/unit"),
        ] {
            case(i, c, MassPerCount);
        }
    }

    #[test]
    fn units_of_revision_2() {
        use Dimension::*;
        case("lb", "lb", Mass);
        case("lbs", "lb", Mass);
        case("kgs", "kg", Mass);
        case("mg/kg", "mg/kg", MassPerMass);
        case("mcg/kg", "mcg/kg", MassPerMass);
        for (i, c) in [("min", "min"), ("minutes", "min"), ("h", "h"), ("hr", "h"), ("hours", "h")] {
            case(i, c, Time);
        }
        case("mL/h", "mL/h", VolumePerTime);
        case("mL/min", "mL/min", VolumePerTime);
        case("gtt/mL", "gtt/mL", DropsPerVolume);
        case("gtt/min", "gtt/min", DropsPerTime);
        assert_eq!(Unit::parse("gtt"), None);
        assert_eq!(Unit::parse("gtt/g"), None);
    }

    #[test]
    fn pounds_are_exact() {
        // 1 lb = 0.45359237 kg exactly (international avoirdupois pound, 1959).
        assert_eq!(MassUnit::Lb.in_mg(), Decimal::new(45_359_237, 2));
        assert_eq!(Unit::parse("lb").unwrap().to_base_factor(), (Decimal::new(45_359_237, 2), Decimal::ONE));
        assert_eq!(Unit::parse("mL/min").unwrap().to_base_factor(), (Decimal::from(60), Decimal::ONE));
        assert_eq!(Unit::parse("L/h").unwrap().to_base_factor(), (Decimal::from(60_000), Decimal::from(60)));
        assert_eq!(Unit::parse("gtt/L").unwrap().to_base_factor(), (Decimal::ONE, Decimal::ONE_THOUSAND));
    }

    #[test]
    fn symbols_are_case_insensitive() {
        assert_eq!(Unit::parse("MG/ML"), Some(Unit::MG_PER_ML));
        assert_eq!(Unit::parse("%W/W"), Some(Unit::PercentWW));
        assert_eq!(Unit::parse("Troches"), Some(Unit::Count));
    }

    #[test]
    fn unknown_units_are_refused() {
        for bad in ["", "%", "mg/mL/day", "mgs", "oz", "mg/", "/mL", "mL/mg", "w/v", "g/ mL"] {
            assert_eq!(Unit::parse(bad), None, "`{bad}` should not parse");
        }
    }

    #[test]
    fn base_factors_are_exact() {
        let f = |u: &str| Unit::parse(u).unwrap().to_base_factor();
        assert_eq!(f("g"), (Decimal::ONE_THOUSAND, Decimal::ONE));
        assert_eq!(f("mcg/mL"), (Decimal::new(1, 3), Decimal::ONE));
        assert_eq!(f("g/L"), (Decimal::ONE_THOUSAND, Decimal::ONE_THOUSAND));
        assert_eq!(f("%w/v"), (Decimal::TEN, Decimal::ONE));
        assert_eq!(f("mg/g"), (Decimal::ONE_THOUSAND, Decimal::ONE_THOUSAND));
        assert_eq!(f("mcg/g"), (Decimal::ONE, Decimal::ONE_THOUSAND));
    }
}
