//! In-process benchmarks (divan): parsing a formula, computing a batch, rendering the
//! worksheet and the JSON, checking a file as `validate` does; how a batch's cost
//! depends on its size (it must not) and on the number of ingredients (linearly).
//!
//! ```text
//! cargo bench --bench ketacalc        # or bench/run for the whole suite with targets
//! ```
//!
//! CI compiles this file (clippy --all-targets) but never judges its timings.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use std::fmt::Write;

use divan::{Bencher, black_box};
use ketacalc::calc::{self, Batch, Options};
use ketacalc::formula::{Formula, load_str};
use ketacalc::formulary::Formulary;
use ketacalc::measure::{BatchSize, Count, Volume};
use ketacalc::report::{self, Format, Layout, Report, Source};
use rust_decimal::Decimal;

fn main() {
    divan::main();
}

const TROCHE: &str = "ketamine-hcl-troche-50";
const SPRAY: &str = "ketamine-hcl-nasal-spray-100";

fn text(id: &str) -> String {
    let file = Formulary::BuiltIn.get(id).unwrap();
    String::from_utf8(file.bytes.into_owned()).unwrap()
}

fn formula(text: &str) -> Formula {
    let loaded = load_str(text);
    loaded.formula.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
}

fn options(quantity: Option<BatchSize>) -> Options {
    let mut o = Options::new(jiff::civil::date(2026, 11, 26));
    o.quantity = quantity;
    o
}

fn troche() -> (Formula, Source, Batch) {
    let t = text(TROCHE);
    let f = formula(&t);
    let source = Source::new(format!("<built-in>/{TROCHE}.toml"), t.as_bytes());
    let batch = calc::compute(&f, &options(None)).unwrap();
    (f, source, batch)
}

/// One worksheet's work, step by step, on the troche (the built-in formula with the most
/// ingredients and steps).
mod worksheet_steps {
    use super::*;

    #[divan::bench]
    fn parse_formula(b: Bencher) {
        let t = text(TROCHE);
        b.bench(|| load_str(black_box(&t)));
    }

    #[divan::bench]
    fn compute_batch(b: Bencher) {
        let f = formula(&text(TROCHE));
        let o = options(None);
        b.bench(|| calc::compute(black_box(&f), black_box(&o)).unwrap());
    }

    #[divan::bench]
    fn render_table(b: Bencher) {
        let (f, source, batch) = troche();
        let layout = Layout { width: 100, color: false };
        let r = Report { formula: &f, source: &source, batch: &batch, explain: false, layout };
        b.bench(|| report::worksheet(Format::Table, black_box(&r)));
    }

    #[divan::bench]
    fn render_json(b: Bencher) {
        let (f, source, batch) = troche();
        let layout = Layout { width: 100, color: false };
        let r = Report { formula: &f, source: &source, batch: &batch, explain: false, layout };
        b.bench(|| report::worksheet(Format::Json, black_box(&r)));
    }

    /// What `validate` does per file once it is read: parse, check, dry-run.
    #[divan::bench]
    fn validate_check(b: Bencher) {
        let t = text(TROCHE);
        let path = format!("{TROCHE}.toml");
        b.bench(|| ketacalc::validate::check(&path, black_box(t.as_bytes()), Some(TROCHE)));
    }
}

/// A batch costs the same whatever its size: no step loops over units or millilitres.
/// (The smallest batches do a little more work, not less: their ingredients fall below
/// the balance's minimum weight and each gets an aliquot plan.)
mod batch_size {
    use super::*;

    /// Troches, in units.
    #[divan::bench(args = [1, 1_000, 1_000_000])]
    fn troche_units(b: Bencher, units: u64) {
        let f = formula(&text(TROCHE));
        let o = options(Some(BatchSize::Count(Count::from_units(Decimal::from(units)))));
        b.bench(|| calc::compute(black_box(&f), black_box(&o)).unwrap());
    }

    /// The nasal spray, in mL.
    #[divan::bench(args = [1, 1_000, 100_000])]
    fn spray_ml(b: Bencher, ml: u64) {
        let f = formula(&text(SPRAY));
        let o = options(Some(BatchSize::Volume(Volume::from_ml(Decimal::from(ml)))));
        b.bench(|| calc::compute(black_box(&f), black_box(&o)).unwrap());
    }
}

/// A cream with `n` ingredients: ketamine HCl 10% w/w, `n - 2` excipients at 0.5% w/w
/// each, and the base qs.
fn cream(n: usize) -> String {
    let mut t = String::from(
        "format = 1\nid = \"bench-cream\"\nname = \"Bench cream\"\nrevision = 1\n\
         dosage_form = \"cream\"\nroute = \"topical\"\nwater = \"nonaqueous\"\n\
         storage = \"room-temperature\"\ncontainer = \"jar\"\ndescription = \"cream\"\n\n\
         [batch]\nquantity = \"100 g\"\noverage = \"5%\"\n\n\
         [[ingredients]]\nid = \"ketamine-hcl\"\nname = \"Ketamine Hydrochloride USP\"\n\
         role = \"active\"\namount = \"10 %w/w\"\nbasis = \"salt\"\n\
         molecular_weight = \"274.19\"\nbase_molecular_weight = \"237.73\"\nschedule = \"CIII\"\n",
    );
    for i in 1..n.saturating_sub(1) {
        write!(
            t,
            "\n[[ingredients]]\nid = \"excipient-{i}\"\nname = \"Excipient {i}\"\n\
             role = \"excipient\"\namount = \"0.5 %w/w\"\n"
        )
        .unwrap();
    }
    t.push_str(
        "\n[[ingredients]]\nid = \"cream-base\"\nname = \"Cream base\"\nrole = \"base\"\namount = \"qs\"\n\n\
         [[steps]]\ntext = \"Mix.\"\n",
    );
    t
}

/// Cost against the number of ingredients: it must grow linearly.
mod ingredients {
    use super::*;

    const COUNTS: [usize; 3] = [2, 8, 32];

    #[divan::bench(args = COUNTS)]
    fn parse(b: Bencher, n: usize) {
        let t = cream(n);
        assert_eq!(formula(&t).ingredients.len(), n);
        b.bench(|| load_str(black_box(&t)));
    }

    #[divan::bench(args = COUNTS)]
    fn compute(b: Bencher, n: usize) {
        let f = formula(&cream(n));
        let o = options(None);
        b.bench(|| calc::compute(black_box(&f), black_box(&o)).unwrap());
    }

    #[divan::bench(args = COUNTS)]
    fn validate_check(b: Bencher, n: usize) {
        let t = cream(n);
        assert!(ketacalc::validate::check("bench-cream.toml", t.as_bytes(), None).diagnostics.is_empty());
        b.bench(|| ketacalc::validate::check("bench-cream.toml", black_box(t.as_bytes()), None));
    }
}
