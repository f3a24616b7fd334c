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

/// A text field as written, parsed into literal text and placeholders.
///
/// Kept as the raw text and the byte ranges of its placeholders, so a text costs its own
/// length and no copy of it (a formula may hold tens of thousands of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    raw: String,
    /// The placeholders, in order, each with its byte range in `raw`.
    slots: Vec<(Slot, Range<usize>)>,
    /// `{{` and `}}` in the literal text stand for one brace (false for [`Template::plain`]).
    escapes: bool,
    /// Quantities written out that depend on the batch (SPEC §7.2), as written
    /// (`100 mL`): the first [`MAX_LITERALS_KEPT`] of them; filled in by the loader for
    /// steps and QC checks.
    pub literals: Vec<String>,
    /// How many quantities are written out in all (`literals` keeps the first few).
    pub literal_count: usize,
}

/// How many of a text's written-out quantities are kept to be named in a warning.
pub const MAX_LITERALS_KEPT: usize = 5;

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

/// The errors of a text: the first [`MAX_DIAGNOSTICS`](super::MAX_DIAGNOSTICS) in order,
/// and how many more there are (counted, not built: a file reports no more than that
/// many, and these come after them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateErrors {
    /// The first errors, in the order of the text.
    pub first: Vec<TemplateError>,
    /// How many errors follow them.
    pub more: usize,
}

impl TemplateErrors {
    fn push(&mut self, e: impl FnOnce() -> TemplateError) {
        if self.first.len() < super::MAX_DIAGNOSTICS {
            self.first.push(e());
        } else {
            self.more = self.more.saturating_add(1);
        }
    }
}

/// Where the first `{` or `}` at or after `from` is in `bytes`, else the end. Most of a
/// text is words between placeholders: it is looked at many bytes at a time.
fn next_brace(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    find_brace(rest).map_or(bytes.len(), |k| from.saturating_add(k))
}

/// Where the first `{` or `}` in `bytes` is. SSE2, which every x86-64 processor has,
/// named directly: `memchr::memchr2` would first ask the processor for its features
/// (`cpuid`), which costs about 70 µs of a worksheet's start on a virtual machine,
/// where each `cpuid` traps to the hypervisor (BENCHMARKS.md, fourth round).
fn find_brace(bytes: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if let Some(two) = memchr::arch::x86_64::sse2::memchr::Two::new(b'{', b'}') {
        return two.find(bytes);
    }
    memchr::arch::all::memchr::Two::new(b'{', b'}').find(bytes)
}

impl Template {
    /// Parses `raw`, collecting every error (the first ones built, the rest counted).
    pub fn parse(raw: &str) -> Result<Template, TemplateErrors> {
        Template::slots_of(raw).map(|slots| Template::with_slots(raw.to_string(), slots))
    }

    /// Parses `raw`, a text already owned: it becomes the template without a copy.
    pub(crate) fn parse_owned(raw: String) -> Result<Template, (String, TemplateErrors)> {
        match Template::slots_of(&raw) {
            Ok(slots) => Ok(Template::with_slots(raw, slots)),
            Err(errors) => Err((raw, errors)),
        }
    }

    fn with_slots(raw: String, slots: Vec<(Slot, Range<usize>)>) -> Template {
        Template { raw, slots, escapes: true, literals: Vec::new(), literal_count: 0 }
    }

    /// The placeholders of `raw` with their byte ranges, or its errors.
    fn slots_of(raw: &str) -> Result<Vec<(Slot, Range<usize>)>, TemplateErrors> {
        let mut slots = Vec::new();
        let mut errors = TemplateErrors { first: Vec::new(), more: 0 };
        let bytes = raw.as_bytes();
        let mut i = 0usize;
        while let Some(&b) = bytes.get(i) {
            let next = bytes.get(i.saturating_add(1)).copied();
            match b {
                b'{' | b'}' if next == Some(b) => i = i.saturating_add(2),
                b'}' => {
                    errors.push(|| TemplateError {
                        at: i..i.saturating_add(1),
                        kind: TemplateErrorKind::Unmatched,
                    });
                    i = i.saturating_add(1);
                }
                b'{' => {
                    let tail = raw.get(i.saturating_add(1)..).unwrap_or_default();
                    let close =
                        find_brace(tail.as_bytes()).filter(|&k| tail.as_bytes().get(k) == Some(&b'}'));
                    let Some(k) = close else {
                        errors.push(|| TemplateError {
                            at: i..i.saturating_add(1),
                            kind: TemplateErrorKind::Unclosed,
                        });
                        i = i.saturating_add(1);
                        continue;
                    };
                    let inner = tail.get(..k).unwrap_or_default();
                    let end = i.saturating_add(k).saturating_add(2);
                    let (name, id) = match inner.split_once(':') {
                        Some((n, id)) => (n, Some(id)),
                        None => (inner, None),
                    };
                    match Slot::from_parts(name, id.filter(|id| !id.is_empty())) {
                        Some(slot) if slot.id().is_some() == id.is_some() => slots.push((slot, i..end)),
                        _ => errors.push(|| TemplateError {
                            at: i..end,
                            kind: TemplateErrorKind::Unknown(inner.to_string()),
                        }),
                    }
                    i = end;
                }
                // On to the next brace: the text between is copied as it is.
                _ => i = next_brace(bytes, i),
            }
        }
        if errors.first.is_empty() { Ok(slots) } else { Err(errors) }
    }

    /// A text without placeholders (its braces are literal).
    pub fn plain(text: &str) -> Template {
        Template {
            raw: text.to_string(),
            slots: Vec::new(),
            escapes: false,
            literals: Vec::new(),
            literal_count: 0,
        }
    }

    /// The text as written in the file.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The placeholders with their byte ranges in the raw text.
    pub fn slots(&self) -> impl Iterator<Item = (&Slot, &Range<usize>)> {
        self.slots.iter().map(|(s, at)| (s, at))
    }

    /// Returns true if and only if the text uses `slot`.
    pub fn uses(&self, slot: &Slot) -> bool {
        self.slots().any(|(s, _)| s == slot)
    }

    /// The text with every placeholder replaced by `value(slot)`, and `{{`, `}}` by a
    /// brace.
    pub fn fill(&self, mut value: impl FnMut(&Slot) -> String) -> String {
        let mut out = String::with_capacity(self.raw.len());
        let mut from = 0usize;
        let literal = |out: &mut String, text: &str| {
            if self.escapes && text.contains(['{', '}']) {
                out.push_str(&text.replace("{{", "{").replace("}}", "}"));
            } else {
                out.push_str(text);
            }
        };
        for (slot, at) in &self.slots {
            literal(&mut out, self.raw.get(from..at.start).unwrap_or_default());
            out.push_str(&value(slot));
            from = at.end;
        }
        literal(&mut out, self.raw.get(from..).unwrap_or_default());
        out
    }

    /// The raw text with each placeholder blanked out by spaces, so that byte offsets
    /// still match the raw text (for scanning the literal parts).
    pub(crate) fn literal_text(&self) -> std::borrow::Cow<'_, str> {
        if self.slots.is_empty() {
            return std::borrow::Cow::Borrowed(&self.raw);
        }
        let mut out = self.raw.clone();
        for (_, at) in &self.slots {
            if let Some(s) = out.get(at.clone()) {
                let blank = " ".repeat(s.len());
                out.replace_range(at.clone(), &blank);
            }
        }
        std::borrow::Cow::Owned(out)
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
    fn the_next_brace_is_found_in_any_chunk() {
        for len in [0usize, 1, 15, 16, 17, 40] {
            let words = "é".repeat(len / 2) + &"x".repeat(len % 2);
            for brace in ["{", "}"] {
                let text = format!("{words}{brace}a{{");
                assert_eq!(next_brace(text.as_bytes(), 0), words.len(), "{text:?}");
                assert_eq!(next_brace(text.as_bytes(), words.len() + 1), words.len() + 2, "{text:?}");
            }
            assert_eq!(next_brace(words.as_bytes(), 0), words.len());
        }
        assert_eq!(next_brace(b"{}", 5), 2);
        // Placeholders after long words, at every offset in a chunk.
        for pad in 0..20 {
            let raw = format!("{} {{prepared}} and {}{{weigh:k}}", "w".repeat(pad), "v".repeat(33));
            let t = Template::parse(&raw).unwrap();
            let slots: Vec<&str> = t.slots().map(|(_, at)| &raw[at.clone()]).collect();
            assert_eq!(slots, ["{prepared}", "{weigh:k}"], "{raw}");
        }
    }

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
        assert_eq!(errs.more, 0);
        let kinds: Vec<(Range<usize>, TemplateErrorKind)> =
            errs.first.into_iter().map(|e| (e.at, e.kind)).collect();
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
        assert_eq!(errs.first[0].kind, TemplateErrorKind::Unclosed);
        assert_eq!(errs.first[0].at, 0..1);
    }

    #[test]
    fn errors_past_the_report_are_counted_not_built() {
        let errs = Template::parse(&"{x}".repeat(340_000)).unwrap_err();
        assert_eq!(errs.first.len(), crate::formula::MAX_DIAGNOSTICS);
        assert_eq!(errs.first.len() + errs.more, 340_000);
        assert_eq!(errs.first[199].at, 597..600);
        let errs = Template::parse(&"} ".repeat(1000)).unwrap_err();
        assert_eq!(errs.first.len() + errs.more, 1000);
    }

    #[test]
    fn braces_next_to_placeholders() {
        let t = Template::parse("{{{quantity}}} {{{{ }}").unwrap();
        assert_eq!(t.fill(|_| "30 mL".into()), "{30 mL} {{ }");
        assert_eq!(t.slots().next().unwrap().1, &(2..12));
        let t = Template::parse("é{qs}ü").unwrap();
        assert_eq!(t.fill(|_| "x".into()), "éxü");
        assert_eq!(t.literal_text(), "é    ü");
    }

    #[test]
    fn plain_text_keeps_its_braces() {
        let t = Template::plain("a {b} c");
        assert_eq!(t.fill(|_| "x".into()), "a {b} c");
        assert_eq!(t.slots().count(), 0);
    }
}
