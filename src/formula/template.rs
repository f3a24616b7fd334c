//! Formula text with placeholders (SPEC §7.1): `"q.s. to {prepared}"`, `"{weigh:ketamine-hcl}"`.
//!
//! A text field is parsed once, when the formula is loaded, into literal text and slots;
//! each batch fills the slots with its own figures, so a step can never describe another
//! batch than the one on the worksheet. `{{` and `}}` stand for literal braces.

use std::fmt;
use std::ops::Range;

/// A figure of the batch that a text may name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Slot {
    /// `{quantity}`: the requested quantity `Q`.
    Quantity,
    /// `{prepared}`: the prepared quantity `P`.
    Prepared,
    /// `{qs}`: the volume made up to, or the base weighed from its container.
    Qs,
    /// `{cavities}`: the mold cavities to fill.
    Cavities,
    /// `{unit_weight}`: the theoretical unit weight of a molded form.
    UnitWeight,
    /// `{fill}`: what one container holds.
    Fill,
    /// `{containers}`: the number of containers.
    Containers,
    /// `{doses}`: doses per container.
    Doses,
    /// `{container_plan}`: the containers as they are (`2 bottles of 10 mL and 1 bottle
    /// of 5 mL`).
    ContainerPlan,
    /// `{dose_plan}`: the doses of each container (`91 sprays in each 10 mL bottle, 41 in
    /// the 5 mL bottle`).
    DosePlan,
    /// `{weigh:ID}`: an ingredient's rounded amount to weigh (or to measure).
    Weigh(String),
    /// `{strength:ID}`: an active's strength in this batch.
    Strength(String),
    /// `{per_dose:ID}`: an active's amount per dose.
    PerDose(String),
    /// `{dose}`: an infusion's dose.
    Dose,
    /// `{bag}`: an infusion bag's nominal volume.
    Bag,
    /// `{volume_to_infuse}`.
    VolumeToInfuse,
    /// `{rate}`: the pump rate.
    Rate,
    /// `{final_volume}`: the bag's volume with the drug in it.
    FinalVolume,
    /// `{concentration}`: the bag's true concentration.
    Concentration,
}

/// Every placeholder name, with whether it takes an ingredient id.
pub const PLACEHOLDERS: &[(&str, bool)] = &[
    ("quantity", false),
    ("prepared", false),
    ("qs", false),
    ("cavities", false),
    ("unit_weight", false),
    ("fill", false),
    ("containers", false),
    ("doses", false),
    ("container_plan", false),
    ("dose_plan", false),
    ("weigh", true),
    ("strength", true),
    ("per_dose", true),
    ("dose", false),
    ("bag", false),
    ("volume_to_infuse", false),
    ("rate", false),
    ("final_volume", false),
    ("concentration", false),
];

impl Slot {
    /// The placeholder `{name}` that takes no ingredient id, if there is one.
    pub(crate) fn named(name: &str) -> Option<Slot> {
        Slot::from_parts(name, None)
    }

    fn from_parts(name: &str, id: Option<&str>) -> Option<Slot> {
        let id = |f: fn(String) -> Slot| id.map(|i| f(i.to_string()));
        Some(match name {
            "quantity" => Slot::Quantity,
            "prepared" => Slot::Prepared,
            "qs" => Slot::Qs,
            "cavities" => Slot::Cavities,
            "unit_weight" => Slot::UnitWeight,
            "fill" => Slot::Fill,
            "containers" => Slot::Containers,
            "doses" => Slot::Doses,
            "container_plan" => Slot::ContainerPlan,
            "dose_plan" => Slot::DosePlan,
            "weigh" => return id(Slot::Weigh),
            "strength" => return id(Slot::Strength),
            "per_dose" => return id(Slot::PerDose),
            "dose" => Slot::Dose,
            "bag" => Slot::Bag,
            "volume_to_infuse" => Slot::VolumeToInfuse,
            "rate" => Slot::Rate,
            "final_volume" => Slot::FinalVolume,
            "concentration" => Slot::Concentration,
            _ => return None,
        })
    }

    /// The placeholder's name (`weigh` for `{weigh:ID}`).
    pub fn name(&self) -> &'static str {
        match self {
            Slot::Quantity => "quantity",
            Slot::Prepared => "prepared",
            Slot::Qs => "qs",
            Slot::Cavities => "cavities",
            Slot::UnitWeight => "unit_weight",
            Slot::Fill => "fill",
            Slot::Containers => "containers",
            Slot::Doses => "doses",
            Slot::ContainerPlan => "container_plan",
            Slot::DosePlan => "dose_plan",
            Slot::Weigh(_) => "weigh",
            Slot::Strength(_) => "strength",
            Slot::PerDose(_) => "per_dose",
            Slot::Dose => "dose",
            Slot::Bag => "bag",
            Slot::VolumeToInfuse => "volume_to_infuse",
            Slot::Rate => "rate",
            Slot::FinalVolume => "final_volume",
            Slot::Concentration => "concentration",
        }
    }

    /// The ingredient id of `{weigh:ID}`, `{strength:ID}` and `{per_dose:ID}`.
    pub fn id(&self) -> Option<&str> {
        match self {
            Slot::Weigh(id) | Slot::Strength(id) | Slot::PerDose(id) => Some(id),
            _ => None,
        }
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.id() {
            Some(id) => write!(f, "{{{}:{id}}}", self.name()),
            None => write!(f, "{{{}}}", self.name()),
        }
    }
}

/// One piece of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text (with `{{` and `}}` already turned into braces).
    Text(String),
    /// A placeholder, with its byte range in the raw text.
    Slot(Slot, Range<usize>),
}

/// A text field as written, parsed into literal text and placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    raw: String,
    parts: Vec<Part>,
    /// Quantities written out that depend on the batch (SPEC §7.2), as written
    /// (`100 mL`); filled in by the loader for steps and QC checks.
    pub literals: Vec<String>,
}

/// Why a text's placeholders cannot be read; `at` is a byte range of the raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// Where, in the raw text.
    pub at: Range<usize>,
    /// What is wrong.
    pub kind: TemplateErrorKind,
}

/// The kinds of [`TemplateError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateErrorKind {
    /// `{` without a closing `}`.
    Unclosed,
    /// A `}` that closes nothing.
    Unmatched,
    /// `{name}` that is not a placeholder (or misses or has a stray id).
    Unknown(String),
}

impl Template {
    /// Parses `raw`, collecting every error.
    pub fn parse(raw: &str) -> Result<Template, Vec<TemplateError>> {
        let mut parts = Vec::new();
        let mut errors = Vec::new();
        let mut text = String::new();
        let mut rest = raw.char_indices().peekable();
        while let Some((i, c)) = rest.next() {
            match c {
                '{' if rest.peek().is_some_and(|(_, n)| *n == '{') => {
                    rest.next();
                    text.push('{');
                }
                '}' if rest.peek().is_some_and(|(_, n)| *n == '}') => {
                    rest.next();
                    text.push('}');
                }
                '}' => errors
                    .push(TemplateError { at: i..i.saturating_add(1), kind: TemplateErrorKind::Unmatched }),
                '{' => {
                    let tail = raw.get(i.saturating_add(1)..).unwrap_or_default();
                    let close = tail.find(['{', '}']).filter(|&k| tail.as_bytes().get(k) == Some(&b'}'));
                    let Some(k) = close else {
                        errors.push(TemplateError {
                            at: i..i.saturating_add(1),
                            kind: TemplateErrorKind::Unclosed,
                        });
                        continue;
                    };
                    let inner = tail.get(..k).unwrap_or_default();
                    let end = i.saturating_add(k).saturating_add(2);
                    // Skip the placeholder's characters and its closing brace.
                    while rest.peek().is_some_and(|(j, _)| *j < end) {
                        rest.next();
                    }
                    let (name, id) = match inner.split_once(':') {
                        Some((n, id)) => (n, Some(id)),
                        None => (inner, None),
                    };
                    match Slot::from_parts(name, id.filter(|id| !id.is_empty())) {
                        Some(slot) if slot.id().is_some() == id.is_some() => {
                            if !text.is_empty() {
                                parts.push(Part::Text(std::mem::take(&mut text)));
                            }
                            parts.push(Part::Slot(slot, i..end));
                        }
                        _ => errors.push(TemplateError {
                            at: i..end,
                            kind: TemplateErrorKind::Unknown(inner.to_string()),
                        }),
                    }
                }
                _ => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        if errors.is_empty() {
            Ok(Template { raw: raw.to_string(), parts, literals: Vec::new() })
        } else {
            Err(errors)
        }
    }

    /// A text without placeholders (its braces are literal).
    pub fn plain(text: &str) -> Template {
        Template { raw: text.to_string(), parts: vec![Part::Text(text.to_string())], literals: Vec::new() }
    }

    /// The text as written in the file.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The pieces, in order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The placeholders with their byte ranges in the raw text.
    pub fn slots(&self) -> impl Iterator<Item = (&Slot, &Range<usize>)> {
        self.parts.iter().filter_map(|p| match p {
            Part::Slot(s, at) => Some((s, at)),
            Part::Text(_) => None,
        })
    }

    /// Returns true if and only if the text uses `slot`.
    pub fn uses(&self, slot: &Slot) -> bool {
        self.slots().any(|(s, _)| s == slot)
    }

    /// The text with every placeholder replaced by `value(slot)`.
    pub fn fill(&self, mut value: impl FnMut(&Slot) -> String) -> String {
        let mut out = String::with_capacity(self.raw.len());
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Slot(s, _) => out.push_str(&value(s)),
            }
        }
        out
    }

    /// The raw text with each placeholder blanked out by spaces, so that byte offsets
    /// still match the raw text (for scanning the literal parts).
    pub(crate) fn literal_text(&self) -> String {
        let mut out = self.raw.clone();
        for (_, at) in self.slots() {
            if let Some(s) = out.get(at.clone()) {
                let blank = " ".repeat(s.len());
                out.replace_range(at.clone(), &blank);
            }
        }
        out
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_literal_braces() {
        let t = Template::parse("q.s. to {prepared}; weigh {weigh:ketamine-hcl} {{not}} a {{placeholder}}")
            .unwrap();
        let slots: Vec<String> = t.slots().map(|(s, _)| s.to_string()).collect();
        assert_eq!(slots, ["{prepared}", "{weigh:ketamine-hcl}"]);
        let filled = t.fill(|s| match s {
            Slot::Prepared => "10.5 mL".to_string(),
            _ => "1.0500 g".to_string(),
        });
        assert_eq!(filled, "q.s. to 10.5 mL; weigh 1.0500 g {not} a {placeholder}");
        let (_, at) = t.slots().next().unwrap();
        assert_eq!(&t.raw()[at.clone()], "{prepared}");
        assert_eq!(t.literal_text().len(), t.raw().len());
        assert!(!t.literal_text().contains("prepared"));
    }

    #[test]
    fn every_placeholder_round_trips() {
        for (name, with_id) in PLACEHOLDERS {
            let text = if *with_id { format!("{{{name}:x}}") } else { format!("{{{name}}}") };
            let t = Template::parse(&text).unwrap();
            assert_eq!(t.slots().next().unwrap().0.to_string(), text);
        }
    }

    #[test]
    fn errors_are_located_and_all_reported() {
        let errs = Template::parse("a {quantiy} b {weigh} c {quantity:x} d } e {prepared").unwrap_err();
        let kinds: Vec<(Range<usize>, TemplateErrorKind)> =
            errs.into_iter().map(|e| (e.at, e.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                (2..11, TemplateErrorKind::Unknown("quantiy".into())),
                (14..21, TemplateErrorKind::Unknown("weigh".into())),
                (24..36, TemplateErrorKind::Unknown("quantity:x".into())),
                (39..40, TemplateErrorKind::Unmatched),
                (43..44, TemplateErrorKind::Unclosed),
            ]
        );
        // A brace opened inside a placeholder leaves the first one unclosed.
        let errs = Template::parse("{a{quantity}").unwrap_err();
        assert_eq!(errs[0].kind, TemplateErrorKind::Unclosed);
        assert_eq!(errs[0].at, 0..1);
    }

    #[test]
    fn plain_text_keeps_its_braces() {
        let t = Template::plain("a {b} c");
        assert_eq!(t.fill(|_| "x".into()), "a {b} c");
        assert_eq!(t.slots().count(), 0);
    }
}
