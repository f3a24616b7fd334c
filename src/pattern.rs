//! The quantity grammar of SPEC §1 as regular expressions: the `pattern`s of the formula
//! file's JSON Schema (`ketacalc schema`, [`crate::formula::schema`]).
//!
//! Every pattern is built from the tables the parsers of [`crate::quantity`] and
//! [`crate::unit`] read ([`MassUnit::SPELLINGS`], [`VolumeUnit::SPELLINGS`],
//! [`TimeUnit::SPELLINGS`], [`CountNoun::ALL`], [`PERCENTS`], [`DROPS`]), and matches a
//! whole value exactly when the loader accepts its grammar:
//!
//! - the value is trimmed of Unicode white space (as `str::trim`), less the hidden
//!   characters that the loader refuses anywhere in a string ([`crate::hidden`]: all
//!   control characters but tab and line feed, U+2028 and U+2029);
//! - a number is `digits [ "." digits ]`, ASCII digits only;
//! - at most one ASCII space between the number and its unit;
//! - units are compared as the parser compares them: lowercased with `to_lowercase`
//!   (so the Kelvin sign `K`, U+212A, is a `k`, and a capital Greek `Μ` a `μ`), except
//!   `qs` and the `w/v` of a ratio strength, which are compared in ASCII only.
//!
//! What a pattern does not say is a number's size: the parser refuses a number with more
//! than 28 digits after the point or of 7.9 × 10^28 or more, and the loader a batch over
//! 100 L, 100 kg or 1,000,000 units, a purity over 100% and the like; those are checks on
//! the value, not its grammar.
//!
//! The syntax is the part of ECMA-262 that JSON Schema names and that the Rust and Python
//! regular expression engines read the same way: no lookaround, no flags, `\uXXXX`
//! escapes, non-capturing groups.

use crate::unit::{CountNoun, DROPS, Dimension, MassUnit, PERCENTS, TimeUnit, VolumeUnit};

/// How the parser compares the letters of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// Lowercased with `to_lowercase` (units).
    Unicode,
    /// Compared with `eq_ignore_ascii_case` (`qs`, `w/v`, DEA schedules).
    Ascii,
}

/// Characters whose lowercase is a letter other than their own lowercase letter: the
/// Kelvin sign (U+212A), which lowercases to `k`. A test checks that no other character
/// of Unicode lowercases to a letter the units use.
const LOWERCASE_TO_ASCII: [char; 1] = ['\u{212A}'];

/// A number: `digits [ "." digits ]`.
pub(crate) const NUMBER: &str = r"[0-9]+(?:\.[0-9]+)?";

/// A whole number of units: `96`, `96.0`.
const WHOLE: &str = r"[0-9]+(?:\.0+)?";

/// Returns true if and only if the loader refuses `c` anywhere in a string: a hidden
/// character ([`crate::hidden`]).
pub(crate) fn is_refused(c: char) -> bool {
    crate::hidden::is_hidden(c)
}

/// Returns true if and only if one line of text refuses `c`: a hidden character
/// ([`crate::hidden`]), a tab or a line feed. The values of the command line and the batch file's texts
/// that the worksheet prints on one line (`--lot`, `--vendor`, `--batch-id`, the people)
/// are held to it: they would reach the worksheet and the terminal raw.
pub(crate) fn is_refused_in_line(c: char) -> bool {
    crate::hidden::is_hidden(c) || c == '\n' || c == '\t'
}

/// The white space that trimming removes from a value and that a string may hold.
fn spaces() -> Vec<char> {
    // Unicode's White_Space ends at U+3000.
    (0u32..=0x3000).filter_map(char::from_u32).filter(|c| c.is_whitespace() && !is_refused(*c)).collect()
}

/// The characters the loader refuses, as the inside of a character class.
pub(crate) fn refused_class() -> String {
    // Every hidden character is below U+3000 (the last is U+2069).
    let refused: Vec<char> = (0u32..=0x3000).filter_map(char::from_u32).filter(|c| is_refused(*c)).collect();
    ranges(&refused)
}

/// The characters one line of text refuses ([`is_refused_in_line`]), as the inside of a
/// character class.
pub(crate) fn line_refused_class() -> String {
    let refused: Vec<char> =
        (0u32..=0x3000).filter_map(char::from_u32).filter(|c| is_refused_in_line(*c)).collect();
    ranges(&refused)
}

/// The white space trimming removes, as the inside of a character class.
pub(crate) fn space_class() -> String {
    ranges(&spaces())
}

/// One character as written in a pattern, outside a character class.
fn escape(c: char) -> String {
    if "^$\\.*+?()[]{}|".contains(c) {
        format!("\\{c}")
    } else if c.is_ascii_graphic() || c == ' ' {
        c.to_string()
    } else {
        class_char(c)
    }
}

/// One character as written inside a character class.
fn class_char(c: char) -> String {
    if "\\]^-[".contains(c) {
        format!("\\{c}")
    } else if c.is_ascii_graphic() || c == ' ' {
        c.to_string()
    } else {
        // Every character a pattern names is in the Basic Multilingual Plane.
        format!("\\u{:04X}", u32::from(c))
    }
}

/// The inside of a character class holding `chars`, consecutive runs as ranges.
fn ranges(chars: &[char]) -> String {
    let mut sorted = chars.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = String::new();
    let mut i = 0usize;
    while let Some(&first) = sorted.get(i) {
        let mut last = first;
        let mut j = i.saturating_add(1);
        while let Some(&next) = sorted.get(j) {
            if u32::from(next) != u32::from(last).saturating_add(1) {
                break;
            }
            last = next;
            j = j.saturating_add(1);
        }
        out.push_str(&class_char(first));
        if last != first {
            if u32::from(last) > u32::from(first).saturating_add(1) {
                out.push('-');
            }
            out.push_str(&class_char(last));
        }
        i = j;
    }
    out
}

/// The single lowercase character `x` compares as, if any.
fn lower(x: char, case: Case) -> Option<char> {
    match case {
        Case::Ascii => Some(x.to_ascii_lowercase()),
        Case::Unicode => {
            let mut l = x.to_lowercase();
            let first = l.next()?;
            l.next().is_none().then_some(first)
        }
    }
}

/// Every character that compares equal to the lowercase character `c`.
fn variants(c: char, case: Case) -> Vec<char> {
    let mut out = vec![c];
    for x in c.to_uppercase().chain(LOWERCASE_TO_ASCII) {
        if !out.contains(&x) && lower(x, case) == Some(c) {
            out.push(x);
        }
    }
    out
}

/// A lowercase word as the parser matches it, letter case aside.
fn word(w: &str, case: Case) -> String {
    w.chars()
        .map(|c| {
            let v = variants(c, case);
            if v.len() == 1 { escape(c) } else { format!("[{}]", ranges(&v)) }
        })
        .collect()
}

/// `(?:a|b|c)`.
fn alternatives(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().collect();
    format!("(?:{})", items.join("|"))
}

fn words<'a>(spellings: impl IntoIterator<Item = &'a str>) -> String {
    alternatives(spellings.into_iter().map(|s| word(s, Case::Unicode)))
}

/// Every symbol of a unit (`MassUnit::SPELLINGS`, …).
fn symbols<U>(spellings: &[(&str, U)]) -> String {
    words(spellings.iter().map(|(s, _)| *s))
}

/// A mass unit per kilogram of body weight: `mg/kg`.
fn mass_per_kg() -> String {
    format!("{}/{}", symbols(MassUnit::SPELLINGS), word("kg", Case::Unicode))
}

/// A count noun, singular or with one `s`.
fn noun() -> String {
    format!("{}{}?", words(CountNoun::ALL.iter().map(|n| n.singular())), word("s", Case::Unicode))
}

/// Every unit symbol of `dim`, as `Unit::parse` reads them.
pub(crate) fn unit(dim: Dimension) -> String {
    let mass = || symbols(MassUnit::SPELLINGS);
    let volume = || symbols(VolumeUnit::SPELLINGS);
    let time = || symbols(TimeUnit::SPELLINGS);
    let drops = || word(DROPS, Case::Unicode);
    let percents = PERCENTS.iter().filter(|(_, u)| u.dimension() == dim).map(|(s, _)| word(s, Case::Unicode));
    let per = |a: String, b: String| format!("{a}/{b}");
    match dim {
        Dimension::Mass => mass(),
        Dimension::Volume => volume(),
        Dimension::Count => noun(),
        Dimension::Time => time(),
        Dimension::MassPerVolume => alternatives(percents.chain([per(mass(), volume())])),
        Dimension::MassPerMass => alternatives(percents.chain([per(mass(), mass())])),
        Dimension::VolumePerVolume => alternatives(percents),
        Dimension::MassPerCount => per(mass(), noun()),
        Dimension::VolumePerTime => per(volume(), time()),
        Dimension::DropsPerVolume => per(drops(), volume()),
        Dimension::DropsPerTime => per(drops(), time()),
    }
}

/// A number and a unit of one of `dims` (`Quantity::parse_dim`).
pub(crate) fn quantity(dims: &[Dimension]) -> String {
    format!("{NUMBER} ?{}", alternatives(dims.iter().map(|d| unit(*d))))
}

/// A dose rule (`formula::dose::parse_dose`): a mass per kilogram of body weight, or a
/// mass.
pub(crate) fn dose() -> String {
    format!("{NUMBER} ?(?:{}|{})", mass_per_kg(), symbols(MassUnit::SPELLINGS))
}

/// A dose per kilogram of body weight alone (`[dose] per_kg`).
pub(crate) fn per_kg() -> String {
    format!("{NUMBER} ?{}", mass_per_kg())
}

/// A percentage: `99.5%`, `50 %` (`Percent::parse`).
pub(crate) fn percent() -> String {
    format!("{NUMBER} ?%")
}

/// A plain number (`parse_number`).
pub(crate) fn number() -> String {
    NUMBER.to_string()
}

/// A whole count, bare or with a count noun (`parse_whole_count`).
pub(crate) fn whole_count() -> String {
    format!("{WHOLE}(?: ?{})?", noun())
}

/// A ratio strength `1:N w/v` or `1:N w/w` of one of `kinds` (`Amount::parse`), with or
/// without the space, as a quantity and its unit.
pub(crate) fn ratio(kinds: &[&str]) -> String {
    let kinds = alternatives(kinds.iter().map(|k| word(k, Case::Ascii)));
    format!("1:{NUMBER} ?{kinds}")
}

/// `qs` or `q.s.`, in any ASCII case.
pub(crate) fn qs() -> String {
    alternatives(["qs", "q.s."].map(|w| word(w, Case::Ascii)))
}

/// A whole value of one of `forms`, with the white space trimming removes around it.
pub(crate) fn whole(forms: &[String]) -> String {
    let space = format!("[{}]*", space_class());
    format!("^{space}{}{space}$", alternatives(forms.iter().cloned()))
}

/// `word` for the DEA schedules: ASCII case, any hyphens anywhere (`Schedule::read`
/// uppercases and removes every `-`).
pub(crate) fn hyphenated(spellings: &[&str]) -> String {
    let forms = spellings.iter().map(|s| {
        s.chars().map(|c| format!("{}-*", word(&c.to_ascii_lowercase().to_string(), Case::Ascii))).collect()
    });
    format!("^-*{}$", alternatives(forms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::{Amount, Percent, Quantity, QuantityError, parse_number, parse_whole_count};
    use crate::unit::Unit;
    use proptest::prelude::*;

    fn matcher(pattern: &str) -> jsonschema::Validator {
        jsonschema::validator_for(&serde_json::json!({ "type": "string", "pattern": pattern }))
            .unwrap_or_else(|e| panic!("{pattern}: {e}"))
    }

    fn is_match(v: &jsonschema::Validator, s: &str) -> bool {
        v.is_valid(&serde_json::Value::String(s.to_string()))
    }

    #[test]
    fn case_variants_cover_every_character_that_lowercases_to_a_unit_letter() {
        let mut letters: Vec<char> = MassUnit::SPELLINGS
            .iter()
            .map(|(s, _)| *s)
            .chain(VolumeUnit::SPELLINGS.iter().map(|(s, _)| *s))
            .chain(TimeUnit::SPELLINGS.iter().map(|(s, _)| *s))
            .chain(CountNoun::ALL.iter().map(|n| n.singular()))
            .chain(PERCENTS.iter().map(|(s, _)| *s))
            .chain([DROPS, "s"])
            .flat_map(str::chars)
            .collect();
        letters.sort_unstable();
        letters.dedup();
        for x in (0u32..=0x10ffff).filter_map(char::from_u32) {
            if let Some(c) = lower(x, Case::Unicode).filter(|c| letters.contains(c)) {
                assert!(variants(c, Case::Unicode).contains(&x), "{x:?} lowercases to {c:?}");
            }
        }
        assert_eq!(variants('k', Case::Unicode), vec!['k', 'K', '\u{212A}']);
        assert_eq!(variants('µ', Case::Unicode), vec!['µ']);
        assert_eq!(variants('μ', Case::Unicode), vec!['μ', 'Μ']);
        assert_eq!(variants('k', Case::Ascii), vec!['k', 'K']);
        assert!((0x3001u32..=0x10ffff).filter_map(char::from_u32).all(|c| !c.is_whitespace()));
    }

    /// Whether the parser of a kind of value accepts `s`; `None` when it refuses the
    /// number's size, which no pattern says (the rest of `s` is then not read).
    fn accepts(result: Result<(), QuantityError>) -> Option<bool> {
        match result {
            Ok(()) => Some(true),
            Err(QuantityError::TooLarge { .. } | QuantityError::TooPrecise { .. }) => None,
            Err(_) => Some(false),
        }
    }

    fn loader_keeps(s: &str) -> bool {
        !s.chars().any(is_refused)
    }

    /// The parsers the loader reads each kind of value with.
    #[derive(Debug, Clone, Copy)]
    enum Parser {
        Dim(Dimension),
        Percent,
        Number,
        WholeCount,
        Amount,
    }

    /// The dimensions an ingredient amount may have, in some dosage form.
    const AMOUNT_DIMS: [Dimension; 6] = [
        Dimension::Mass,
        Dimension::Volume,
        Dimension::MassPerVolume,
        Dimension::MassPerMass,
        Dimension::VolumePerVolume,
        Dimension::MassPerCount,
    ];

    impl Parser {
        fn pattern(self) -> String {
            whole(&match self {
                Parser::Dim(d) => vec![quantity(&[d])],
                Parser::Percent => vec![percent()],
                Parser::Number => vec![number()],
                Parser::WholeCount => vec![whole_count()],
                Parser::Amount => vec![qs(), ratio(&["w/v", "w/w"]), quantity(&AMOUNT_DIMS)],
            })
        }

        fn accepts(self, s: &str) -> Option<bool> {
            let ok = match self {
                Parser::Dim(d) => Quantity::parse_dim(s, d, "x").map(|_| ()),
                Parser::Percent => Percent::parse(s).map(|_| ()),
                Parser::Number => parse_number(s).map(|_| ()),
                Parser::WholeCount => parse_whole_count(s).map(|_| ()),
                Parser::Amount => Amount::parse(s).and_then(|a| match a.dimension() {
                    Some(d) if !AMOUNT_DIMS.contains(&d) => Err(QuantityError::Empty),
                    _ => Ok(()),
                }),
            };
            accepts(ok).map(|ok| ok && loader_keeps(s))
        }
    }

    /// Every dimension a quantity pattern is written for.
    const DIMENSIONS: [Dimension; 11] = [
        Dimension::Mass,
        Dimension::Volume,
        Dimension::Count,
        Dimension::MassPerVolume,
        Dimension::MassPerMass,
        Dimension::VolumePerVolume,
        Dimension::MassPerCount,
        Dimension::Time,
        Dimension::VolumePerTime,
        Dimension::DropsPerVolume,
        Dimension::DropsPerTime,
    ];

    /// Every parser with its pattern, compiled once.
    fn kinds() -> &'static [(Parser, String, jsonschema::Validator)] {
        static KINDS: std::sync::OnceLock<Vec<(Parser, String, jsonschema::Validator)>> =
            std::sync::OnceLock::new();
        KINDS.get_or_init(|| {
            DIMENSIONS
                .into_iter()
                .map(Parser::Dim)
                .chain([Parser::Percent, Parser::Number, Parser::WholeCount, Parser::Amount])
                .map(|p| {
                    let pattern = p.pattern();
                    let v = matcher(&pattern);
                    (p, pattern, v)
                })
                .collect()
        })
    }

    #[track_caller]
    fn agree(s: &str) {
        assert_eq!(disagreement(s), None);
    }

    /// The first parser whose pattern and parser disagree on `s`, said with the pattern.
    fn disagreement(s: &str) -> Option<String> {
        kinds().iter().find_map(|(parser, pattern, v)| {
            let expected = parser.accepts(s)?;
            (is_match(v, s) != expected)
                .then(|| format!("{parser:?}: {s:?} (pattern {pattern}): the parser says {expected}"))
        })
    }

    #[test]
    fn patterns_agree_with_the_parsers_on_a_list() {
        let samples = [
            "100 mg/mL",
            "30mL",
            "0.1 mL",
            "1.000 g",
            "007 mg",
            "0.01 %w/v",
            "10%w/w",
            "50 mg/troche",
            "50 mg/troches",
            "2 units",
            "30",
            "30 troches",
            "96.0",
            "96.5",
            "2 UNITS",
            "5 MG",
            "5 Mg/mL",
            "5 µg",
            "5 μg",
            "5 Μg",
            "5 ug",
            "5 UG",
            "1.5 \u{212A}g",
            "1.5 KG",
            "70 lbs",
            "5 mcl",
            "5 µL",
            "1 L",
            "1 l",
            "  5 mg  ",
            "\t5 mg\n",
            "\u{3000}5 mg\u{a0}",
            "\u{b}5 mg",
            "5 mg\u{85}",
            "5\u{1}mg",
            "5  mg",
            "5\tmg",
            "5 \u{3000}mg",
            "-5 mg",
            "+5 mg",
            "−5 mg",
            "5e3 mg",
            "5E-3 mg",
            "1_000 mg",
            ".5 mg",
            "5. mg",
            "1.2.3 mg",
            "1,5 mg",
            "1 000 mg",
            "mg",
            "",
            " ",
            "5",
            "5 %",
            "50%",
            "99.5 %",
            "5 mg/mL/day",
            "5 %W/V",
            "5 %v/v",
            "5 %w/v ",
            "qs",
            "QS",
            "q.s.",
            "Q.S.",
            "q s",
            "qs.",
            "1:750 w/v",
            "1:750 W/W",
            "1:750w/v",
            "1:750  w/v",
            "1: 750 w/v",
            "1:750\t w/v",
            "1:\u{3000}750 w/v",
            "1:0 w/v",
            "1:-5 w/v",
            "2:100 w/v",
            "1:100",
            "01:100 w/v",
            "40 min",
            "1 h",
            "2 HRS",
            "5 mL/h",
            "5 mL/min",
            "15 gtt/mL",
            "20 gtt/min",
            "15 GTT/ML",
            "5 mg/kg",
            "5 mcg/kg",
            "5 g/g",
            "5 mg/unit",
            "5 mg/tablet",
            "5 mg/rdt",
            "5 mg/dose",
            "5 mg/doses",
            "5 mg/dos",
            "30 sprays",
            "30 spray",
            "30 drops",
            "30 click",
            "30 clicks",
            "30 troche",
            "30 unitss",
            "5 inf",
            "NaN",
            "inf mg",
            "79228162514264337593543950335 mg",
            "0.00000000000000000000000000001 mg",
            "5 mg,",
            "5 mg;",
            "5 g/mL",
            "5 g/L",
            "5 mg/L",
        ];
        for s in samples {
            agree(s);
        }
        // The size of a number is the parser's to check, not the pattern's.
        let mass = matcher(&Parser::Dim(Dimension::Mass).pattern());
        for big in ["79228162514264337593543950336 mg", "0.00000000000000000000000000001 mg"] {
            assert!(is_match(&mass, big) && Quantity::parse(big).is_err(), "{big}");
        }
    }

    /// Pieces that strings of the grammar are made of, and some that break it.
    fn piece() -> impl Strategy<Value = String> {
        let pieces: Vec<&'static str> = vec![
            "0",
            "1",
            "5",
            "12",
            "0.5",
            "007",
            ".",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{3000}",
            "\u{a0}",
            "\u{b}",
            "\u{1}",
            "-",
            "+",
            "e",
            "E",
            "_",
            ",",
            ":",
            "1:",
            "%",
            "/",
            "mg",
            "MG",
            "g",
            "kg",
            "\u{212A}g",
            "lb",
            "lbs",
            "mcg",
            "µg",
            "Μg",
            "ug",
            "ml",
            "mL",
            "L",
            "mcL",
            "µl",
            "min",
            "h",
            "hrs",
            "gtt",
            "unit",
            "units",
            "troche",
            "Troches",
            "dose",
            "s",
            "S",
            "%w/v",
            "%W/W",
            "%v/v",
            "w/v",
            "w/w",
            "qs",
            "q.s.",
            "QS",
            "x",
            "é",
        ];
        proptest::sample::select(pieces).prop_map(str::to_string)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

        #[test]
        fn patterns_agree_with_the_parsers_on_generated_strings(
            parts in proptest::collection::vec(piece(), 1..7)
        ) {
            let s: String = parts.concat();
            prop_assert_eq!(disagreement(&s), None);
        }
    }

    #[test]
    fn every_unit_spelling_has_its_dimension_and_the_pattern_of_none_other() {
        let units: Vec<(Dimension, jsonschema::Validator)> =
            DIMENSIONS.iter().map(|d| (*d, matcher(&format!("^{}$", unit(*d))))).collect();
        let mut spellings: Vec<String> = Vec::new();
        let mass: Vec<&str> = MassUnit::SPELLINGS.iter().map(|(s, _)| *s).collect();
        let volume: Vec<&str> = VolumeUnit::SPELLINGS.iter().map(|(s, _)| *s).collect();
        let time: Vec<&str> = TimeUnit::SPELLINGS.iter().map(|(s, _)| *s).collect();
        let nouns: Vec<String> = CountNoun::ALL
            .iter()
            .flat_map(|n| [n.singular().to_string(), format!("{}s", n.singular())])
            .collect();
        let singles = mass.iter().chain(&volume).chain(&time).map(|s| s.to_string());
        spellings.extend(singles.clone());
        spellings.extend(nouns.iter().cloned());
        for a in singles.clone().chain(nouns.iter().cloned()).chain([DROPS.to_string()]) {
            for b in singles.clone().chain(nouns.iter().cloned()) {
                spellings.push(format!("{a}/{b}"));
                spellings.push(format!("{}/{}", a.to_uppercase(), b.to_uppercase()));
            }
        }
        spellings.extend(PERCENTS.iter().map(|(s, _)| s.to_string()));
        for s in &spellings {
            let parsed = Unit::parse(s).map(Unit::dimension);
            for (d, v) in &units {
                assert_eq!(is_match(v, s), parsed == Some(*d), "{s:?} as {d:?}");
            }
        }
    }

    #[test]
    fn schedules_read_with_any_hyphens() {
        let v = matcher(&hyphenated(crate::formula::Schedule::SPELLINGS));
        for good in ["CIII", "C-III", "ciii", "c-i-i-i", "-CIII-", "CV", "civ"] {
            assert!(is_match(&v, good), "{good}");
            assert!(crate::formula::Schedule::read(good).is_some(), "{good}");
        }
        for bad in ["C3", "CVI", "C III", " CIII", "III", "", "CⅢ"] {
            assert!(!is_match(&v, bad), "{bad}");
            assert!(crate::formula::Schedule::read(bad).is_none(), "{bad}");
        }
    }
}
