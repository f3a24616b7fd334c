//! What is on a printed record (a worksheet, a master formulation record), independent of
//! how it is laid out: the text layout ([`super::text`]) and Markdown
//! ([`super::markdown`]) render the same [`Sheet`], so that both say the same thing.

use crate::formula::Formula;

/// A blank for the technician to fill in.
pub(crate) const BLANK: &str = "________";

/// A document: a title, banners under it, and sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sheet {
    /// What the document is, e.g. `Compounding worksheet`.
    pub kind: &'static str,
    /// The document title (the preparation's name).
    pub title: String,
    /// Lines that must not be missed, under the title: the schedule banner, a custom
    /// strength (SPEC §7.3).
    pub banners: Vec<String>,
    /// The sections, in order.
    pub sections: Vec<Section>,
}

impl Sheet {
    /// The sheet with `f` applied to every text it holds (a layout escapes text this way).
    pub(crate) fn map_text(mut self, f: impl Fn(&str) -> String) -> Sheet {
        let f = &f;
        self.title = f(&self.title);
        self.banners.iter_mut().for_each(|b| *b = f(b));
        for s in &mut self.sections {
            s.heading = f(&s.heading);
            for b in &mut s.blocks {
                b.map_text(f);
            }
        }
        self
    }
}

impl Block {
    fn map_text(&mut self, f: &dyn Fn(&str) -> String) {
        let all = |v: &mut Vec<String>| v.iter_mut().for_each(|t| *t = f(t));
        match self {
            Block::Fields(fields) => fields.iter_mut().for_each(|(k, v)| {
                *k = f(k);
                *v = f(v);
            }),
            Block::Grid(g) => {
                all(&mut g.header);
                g.rows.iter_mut().for_each(all);
            }
            Block::Text(t) => *t = f(t),
            Block::Numbered(items) => all(items),
            Block::Checklist { items, .. } => items.iter_mut().for_each(|c| {
                c.text = f(&c.text);
                c.mark = c.mark.as_deref().map(f);
                c.result = c.result.as_deref().map(f);
            }),
            Block::Trail(items) => items.iter_mut().for_each(|(title, steps)| {
                *title = f(title);
                all(steps);
            }),
        }
    }
}

/// A titled section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// Heading, e.g. `Ingredients`.
    pub heading: String,
    /// Content.
    pub blocks: Vec<Block>,
}

impl Section {
    /// A section of one block.
    pub(crate) fn of(heading: &str, block: Block) -> Section {
        Section { heading: heading.to_string(), blocks: vec![block] }
    }
}

/// A piece of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    /// Label and value pairs (a value may hold several lines).
    Fields(Vec<(String, String)>),
    /// A table with a header row; cells may hold several lines.
    Grid(Grid),
    /// A paragraph.
    Text(String),
    /// A numbered list.
    Numbered(Vec<String>),
    /// Numbered items with check boxes; with `result`, each has a result blank.
    Checklist {
        /// The items.
        items: Vec<Check>,
        /// Whether each item has a `Result:` blank.
        result: bool,
    },
    /// The calculation trail: a title per ingredient and its steps.
    Trail(Vec<(String, Vec<String>)>),
}

/// One item of a checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Check {
    /// What to do or check.
    pub text: String,
    /// A caution printed with it (`(!) written for the reference batch …`).
    pub mark: Option<String>,
    /// In a checklist with results, the result recorded (the completed record), printed in
    /// place of the blanks.
    pub result: Option<String>,
}

impl Check {
    /// An item to do or check, without a caution or a result.
    pub(crate) fn new(text: String) -> Check {
        Check { text, mark: None, result: None }
    }

    /// What a checklist with results prints under the item: the result recorded, else
    /// the blanks to record it in (`Result: … Initials: …`).
    pub(crate) fn result_line(&self) -> String {
        match &self.result {
            Some(r) => format!("Result: {r}"),
            None => format!("Result: {BLANK}{BLANK}   Initials: {BLANK}"),
        }
    }
}

/// A table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Grid {
    /// Column headings.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
    /// Minimum widths of the columns (0: no minimum), so that blanks have room to write in.
    pub min_widths: Vec<u16>,
}

/// The banner of a formula with a scheduled ingredient (`C-III CONTROLLED SUBSTANCE`).
pub(crate) fn schedule_banner(formula: &Formula) -> Option<String> {
    formula.schedule().map(|s| format!("{} CONTROLLED SUBSTANCE", s.banner()))
}

/// `open 2 vials of 5 mL`: the vials of a stock solution to open, `vial` as printed.
pub(crate) fn open_vials(n: u64, vial: &str) -> String {
    format!("open {n} vial{} of {vial}", if n == 1 { "" } else { "s" })
}

/// The text with its first letter in upper case.
pub(crate) fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
