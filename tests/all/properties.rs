//! Invariants of the batch engine over realistic inputs (library API, no process per
//! case): numbers have at most 4 decimals and lie between 0.001 and 10000.

use ketacalc::calc::{AliquotBy, Batch, CalcError, Options, compute};
use ketacalc::formula::{Formula, Overage, load_str};
use ketacalc::measure::{BatchSize, Count, DoseCount, Mass, Measured, Volume};
use ketacalc::quantity::Percent;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive as _;

fn date() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 26)
}

fn load(text: &str) -> Formula {
    let loaded = load_str(text);
    loaded.formula.unwrap_or_else(|| panic!("{text}\n{:#?}", loaded.diagnostics))
}

fn run(formula: &Formula, quantity: Decimal, tune: impl FnOnce(&mut Options)) -> Batch {
    try_run(formula, quantity, tune).unwrap_or_else(|e| panic!("{}: {e}", formula.id))
}

fn try_run(
    formula: &Formula,
    quantity: Decimal,
    tune: impl FnOnce(&mut Options),
) -> Result<Batch, CalcError> {
    let mut o = Options::new(date());
    o.quantity = Some(formula.basis().size(quantity));
    // Liquid aliquots are measured in 0.1 µL portions here, so that no batch is too small
    // for its aliquot (which is a refusal of its own, tested elsewhere).
    o.min_volume = Some(Volume::from_ml(Decimal::new(1, 4)));
    tune(&mut o);
    compute(formula, &o)
}

/// A decimal with at most 4 decimals in `[min, max]`, where `min` has at most 4 decimals.
fn decimal(min: &str, max: &str) -> impl Strategy<Value = Decimal> {
    let min = Decimal::from_str_exact(min).unwrap();
    let max = Decimal::from_str_exact(max).unwrap();
    (0u32..=4).prop_flat_map(move |scale| {
        let unit = Decimal::new(1, scale);
        let lo = (min / unit).ceil().max(Decimal::ONE);
        let hi = (max / unit).floor();
        let lo = lo.to_i64().unwrap();
        let hi = hi.to_i64().unwrap().max(lo);
        (lo..=hi).prop_map(move |n| Decimal::new(n, scale).normalize())
    })
}

/// Factors whose inverse is also a short decimal.
fn factor() -> impl Strategy<Value = (Decimal, Decimal)> {
    prop::sample::select(vec![
        ("0.1", "10"),
        ("0.125", "8"),
        ("0.2", "5"),
        ("0.25", "4"),
        ("0.4", "2.5"),
        ("0.5", "2"),
        ("0.8", "1.25"),
        ("2", "0.5"),
        ("2.5", "0.4"),
        ("4", "0.25"),
        ("5", "0.2"),
        ("8", "0.125"),
        ("10", "0.1"),
    ])
    .prop_map(|(k, inv)| (Decimal::from_str_exact(k).unwrap(), Decimal::from_str_exact(inv).unwrap()))
}

fn count_of(n: Decimal) -> BatchSize {
    BatchSize::Count(Count::from_units(n))
}

fn required(m: Measured) -> Decimal {
    m.value()
}

/// A cream with `actives` (percent w/w, as written) and an overage in percent.
fn cream(actives: &[Decimal], overage: Decimal, purity: Option<Decimal>) -> String {
    let mut t = format!(
        "format = 1\nid = \"p-cream\"\nname = \"P\"\nrevision = 1\ndosage_form = \"cream\"\nroute = \"topical\"\n\
         water = \"nonaqueous\"\nstorage = \"room-temperature\"\n\n[batch]\nquantity = \"100 g\"\noverage = \"{overage}%\"\n"
    );
    for (n, a) in actives.iter().enumerate() {
        t.push_str(&format!(
            "\n[[ingredients]]\nid = \"a{n}\"\nname = \"A{n}\"\nrole = \"active\"\namount = \"{a} %w/w\"\nbasis = \"base\"\n"
        ));
        if let Some(p) = purity {
            t.push_str(&format!("purity = \"{p}%\"\n"));
        }
    }
    t.push_str("\n[[ingredients]]\nid = \"base\"\nname = \"Base\"\nrole = \"base\"\namount = \"qs\"\n");
    t
}

/// A troche of `per_unit` mg of a salt-basis active, a fixed `fixed_mg` per `reference`
/// units, and a blank weight that leaves room for both.
fn troche(per_unit: Decimal, fixed_mg: Decimal, reference: Decimal) -> String {
    let blank = per_unit + fixed_mg + Decimal::ONE;
    format!(
        "format = 1\nid = \"p-troche\"\nname = \"P\"\nrevision = 1\ndosage_form = \"troche\"\nroute = \"buccal\"\n\
         water = \"nonaqueous\"\nstorage = \"room-temperature\"\n\n[batch]\nquantity = \"{reference}\"\n\n\
         [mold]\nblank_weight = \"{blank} mg\"\n\n\
         [[ingredients]]\nid = \"ketamine-hcl\"\nname = \"K\"\nrole = \"active\"\namount = \"{per_unit} mg/troche\"\n\
         basis = \"salt\"\nmolecular_weight = \"274.19\"\nbase_molecular_weight = \"237.73\"\nschedule = \"CIII\"\n\
         displacement_factor = \"0.70\"\n\n\
         [[ingredients]]\nid = \"silica\"\nname = \"S\"\nrole = \"excipient\"\namount = \"{fixed_mg} mg\"\n\
         displacement_factor = \"1\"\n\n\
         [[ingredients]]\nid = \"peg\"\nname = \"PEG\"\nrole = \"base\"\namount = \"qs\"\n"
    )
}

/// A nasal spray: an active in mg/mL (salt or base), a `%w/v` preservative from a 50%
/// solution, a fixed mass per reference batch, and a device.
#[allow(clippy::too_many_arguments)]
fn spray(
    conc: Decimal,
    basis: &str,
    pct: Decimal,
    fixed_mg: Decimal,
    reference: Decimal,
    volume: Decimal,
    priming: u32,
    residual: Decimal,
) -> String {
    format!(
        "format = 1\nid = \"p-spray\"\nname = \"P\"\nrevision = 1\ndosage_form = \"nasal-spray\"\nroute = \"nasal\"\n\
         water = \"aqueous\"\npreserved = true\nstorage = \"refrigerator\"\n\n\
         [batch]\nquantity = \"{reference} mL\"\noverage = \"5%\"\n\n\
         [device]\ndose = \"spray\"\nvolume = \"{volume} mL\"\npriming = {priming}\nresidual = \"{residual} mL\"\n\n\
         [[ingredients]]\nid = \"ketamine-hcl\"\nname = \"K\"\nrole = \"active\"\namount = \"{conc} mg/mL\"\n\
         basis = \"{basis}\"\nmolecular_weight = \"274.19\"\nbase_molecular_weight = \"237.73\"\nschedule = \"CIII\"\n\n\
         [[ingredients]]\nid = \"bak\"\nname = \"BAK 50%\"\nrole = \"preservative\"\namount = \"{pct} %w/v\"\npurity = \"50%\"\n\n\
         [[ingredients]]\nid = \"edta\"\nname = \"EDTA\"\nrole = \"excipient\"\namount = \"{fixed_mg} mg\"\n\n\
         [[ingredients]]\nid = \"saline\"\nname = \"Saline\"\nrole = \"vehicle\"\namount = \"qs\"\n"
    )
}

/// Reference batches that divide a power of ten, so that fixed amounts scale exactly.
fn reference() -> impl Strategy<Value = Decimal> {
    prop::sample::select(vec![1i64, 2, 4, 5, 8, 10, 20, 25, 50, 100, 1000]).prop_map(Decimal::from)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Mass basis: the weighed parts and the qs base add up to the prepared mass, exactly.
    #[test]
    fn mass_basis_parts_sum_to_the_prepared_mass(
        actives in prop::collection::vec(decimal("0.0001", "33"), 1..=3),
        grams in decimal("0.001", "10000"),
        overage in decimal("0", "20"),
    ) {
        let f = load(&cream(&actives, overage, None));
        let b = match try_run(&f, grams * Decimal::ONE_THOUSAND, |_| {}) {
            // Aliquots of small actives may carry more base than a tiny batch holds.
            Err(CalcError::DiluentExhausted { .. }) => return Ok(()),
            other => other.unwrap(),
        };
        let weighed: Decimal = b.lines.iter().filter(|l| !l.qs).map(|l| l.weigh.unwrap().mg()).sum();
        let base = b.compounded().unwrap().qs.weigh.unwrap().mg();
        prop_assert!(base > Decimal::ZERO);
        prop_assert_eq!(weighed + base, b.compounded().unwrap().prepared.value());
        prop_assert_eq!(b.compounded().unwrap().prepared.value(), grams * Decimal::ONE_THOUSAND * (Decimal::ONE_HUNDRED + overage) / Decimal::ONE_HUNDRED);
        // Each active is its fraction of the prepared mass.
        for (l, a) in b.lines.iter().filter(|l| !l.qs).zip(&actives) {
            prop_assert_eq!(l.weigh.unwrap().mg() * Decimal::ONE_HUNDRED, *a * b.compounded().unwrap().prepared.value());
        }
        // The qs line is the base less what the aliquot portions bring in (SPEC §7.4).
        let qs_line = b.lines.iter().find(|l| l.qs).unwrap();
        prop_assert_eq!(qs_line.weigh.unwrap().mg() + b.compounded().unwrap().qs.in_aliquots.unwrap_or_default().mg(), base);
    }

    /// With a purity correction the sum still holds (to far below any balance).
    #[test]
    fn mass_basis_parts_sum_with_purity(
        actives in prop::collection::vec(decimal("0.0001", "20"), 1..=3),
        grams in decimal("0.001", "10000"),
        purity in decimal("60", "100"),
    ) {
        let f = load(&cream(&actives, Decimal::ZERO, Some(purity)));
        let b = match try_run(&f, grams * Decimal::ONE_THOUSAND, |_| {}) {
            Err(CalcError::DiluentExhausted { .. }) => return Ok(()),
            other => other.unwrap(),
        };
        let weighed: Decimal = b.lines.iter().filter(|l| !l.qs).map(|l| l.weigh.unwrap().mg()).sum();
        let base = b.compounded().unwrap().qs.weigh.unwrap().mg();
        prop_assert!(base > Decimal::ZERO);
        prop_assert!((weighed + base - b.compounded().unwrap().prepared.value()).abs() <= Decimal::new(1, 18), "{} + {} vs {}", weighed, base, b.compounded().unwrap().prepared.value());
    }

    /// Molded forms: per-unit amount × units = total active (salt basis, no overage),
    /// and an overage of `k units` adds exactly `k` cavities.
    #[test]
    fn molded_per_unit_times_units_is_the_total(
        per_unit in decimal("0.001", "10000"),
        units in 1u32..=1000,
        extra in 0u32..=10,
    ) {
        let f = load(&troche(per_unit, Decimal::from(300), Decimal::from(30)));
        let n = Decimal::from(units);
        let b = run(&f, n, |o| o.overage = Some(Overage::Amount(count_of(Decimal::ZERO))));
        let k = b.lines.iter().find(|l| l.id == "ketamine-hcl").unwrap();
        prop_assert_eq!(k.weigh.map(Mass::mg), Some(per_unit * n));
        prop_assert_eq!(required(k.required), per_unit * n);
        prop_assert_eq!(b.strengths[0].per_dose.map(Mass::mg), Some(per_unit));
        let m = Decimal::from(units + extra);
        let b = run(&f, n, |o| o.overage = Some(Overage::Amount(count_of(Decimal::from(extra)))));
        prop_assert_eq!(b.compounded().unwrap().prepared.value(), m);
        let k = b.lines.iter().find(|l| l.id == "ketamine-hcl").unwrap();
        prop_assert_eq!(k.weigh.map(Mass::mg), Some(per_unit * m));
        // The per-unit strength describes the requested units, never the overage.
        prop_assert_eq!(b.strengths[0].per_dose.map(Mass::mg), Some(per_unit));
        let base = b.compounded().unwrap().qs.weigh.unwrap().mg();
        prop_assert!(base > Decimal::ZERO);
    }

    /// Scaling the quantity by k scales every required amount by exactly k; scaling back
    /// by 1/k returns the original amounts.
    #[test]
    fn amounts_scale_with_the_quantity(
        conc in decimal("0.001", "150"),
        pct in decimal("0.001", "1"),
        fixed in decimal("0.001", "100"),
        reference in reference(),
        ml in decimal("0.001", "10000"),
        (k, inv) in factor(),
    ) {
        let f = load(&spray(conc, "salt", pct, fixed, reference, Decimal::new(1, 1), 0, Decimal::ZERO));
        let scaled = ml * k;
        // The prepared quantity (with its 5% overage) stays within 100 L.
        prop_assume!(scaled * Decimal::new(105, 2) <= Decimal::from(100_000));
        let a = run(&f, ml, |_| {});
        let b = run(&f, scaled, |_| {});
        let back = run(&f, scaled * inv, |_| {});
        prop_assert_eq!(scaled * inv, ml);
        prop_assert_eq!(b.compounded().unwrap().prepared.value(), a.compounded().unwrap().prepared.value() * k);
        for ((la, lb), lc) in a.lines.iter().zip(&b.lines).zip(&back.lines) {
            prop_assert_eq!(&la.id, &lb.id);
            prop_assert_eq!(required(lb.required), required(la.required) * k, "{}", la.id);
            prop_assert_eq!(lb.weigh.map(Mass::mg), la.weigh.map(|w| w.mg() * k), "{}", la.id);
            prop_assert_eq!(lc.required, la.required, "{}", la.id);
            prop_assert_eq!(lc.weigh, la.weigh, "{}", la.id);
        }
    }

    /// The same for molded forms, with a fixed amount written per reference batch.
    #[test]
    fn molded_amounts_scale_with_the_count(
        per_unit in decimal("0.001", "1000"),
        fixed in decimal("0.001", "1000"),
        reference in reference(),
        units in 1u32..=1000,
        k in 1u32..=100,
    ) {
        let f = load(&troche(per_unit, fixed, reference));
        // A tiny batch of tiny units can be refused: its aliquots would carry in more base
        // than it has (SPEC §7.4). That refusal is tested elsewhere; scaling needs two batches.
        let (a, b) = match (try_run(&f, Decimal::from(units), |_| {}), try_run(&f, Decimal::from(units * k), |_| {})) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(CalcError::DiluentExhausted { .. }), _) | (_, Err(CalcError::DiluentExhausted { .. })) => {
                return Err(TestCaseError::reject("the aliquots need more base than the batch has"));
            }
            (a, b) => panic!("{:?} {:?}", a.err(), b.err()),
        };
        let k = Decimal::from(k);
        for (la, lb) in a.lines.iter().zip(&b.lines).filter(|(l, _)| !l.qs) {
            prop_assert_eq!(required(lb.required), required(la.required) * k, "{}", la.id);
            prop_assert_eq!(lb.weigh.map(Mass::mg), la.weigh.map(|w| w.mg() * k), "{}", la.id);
        }
    }

    /// Every rounded weight is within half a readability step of the exact one, is a
    /// multiple of the step, and keeps the step's decimal places; volumes likewise at
    /// 0.01 mL.
    #[test]
    fn rounding_is_within_half_a_step(
        conc in decimal("0.001", "150"),
        basis in prop::sample::select(vec!["salt", "base"]),
        pct in decimal("0.001", "1"),
        fixed in decimal("0.001", "100"),
        ml in decimal("0.001", "1000"),
        step in prop::sample::select(vec!["0.001", "0.01", "0.1", "0.5", "1", "10"]),
        assay in decimal("90", "110"),
    ) {
        let step = Decimal::from_str_exact(step).unwrap();
        let f = load(&spray(conc, basis, pct, fixed, Decimal::TEN, Decimal::new(1, 1), 0, Decimal::ZERO));
        let b = run(&f, ml, |o| {
            o.readability = Mass::from_mg(step);
            o.lot_mut("ketamine-hcl").assay = Some(Percent(assay));
        });
        let half = step / Decimal::TWO;
        for l in &b.lines {
            if let (Some(w), Some(r)) = (l.weigh.map(Mass::mg), l.weigh_rounded.map(Mass::mg)) {
                prop_assert!((r - w).abs() <= half, "{}: {} → {} at {}", l.id, w, r, step);
                prop_assert!((r / step).fract().is_zero(), "{}: {} is not a multiple of {}", l.id, r, step);
                prop_assert_eq!(r.scale(), step.scale());
            }
            if let (Some(m), Some(r)) = (l.measure.map(|v| v.ml()), l.measure_rounded.map(|v| v.ml())) {
                prop_assert!((r - m).abs() <= Decimal::new(5, 3));
                prop_assert_eq!(r.scale(), 2);
            }
        }
        for c in &b.controlled {
            prop_assert!((c.withdraw_rounded.mg() - c.withdraw.mg()).abs() <= half);
        }
    }

    /// The number of doses is `floor((Q − residual) ÷ volume − priming)`, never below 0.
    #[test]
    fn doses_are_never_negative(
        ml in decimal("0.001", "10000"),
        volume in decimal("0.001", "10"),
        priming in 0u32..=1000,
        residual in decimal("0", "10000"),
    ) {
        let f = load(&spray(Decimal::TEN, "salt", Decimal::new(1, 2), Decimal::ONE, Decimal::TEN, volume, priming, residual));
        let b = run(&f, ml, |_| {});
        let doses = b.compounded().unwrap().doses.unwrap().doses();
        prop_assert!(doses >= Decimal::ZERO);
        prop_assert!(doses.fract().is_zero());
        let want = ((ml - residual) / volume - Decimal::from(priming)).floor().max(Decimal::ZERO);
        prop_assert_eq!(doses, want);
    }

    /// With a calibrated dropper (`per_ml`): `floor((Q − residual) × per_ml − priming)`.
    #[test]
    fn dropper_doses_are_never_negative(
        ml in decimal("0.001", "10000"),
        per_ml in decimal("1", "60"),
        priming in 0u32..=100,
        residual in decimal("0", "100"),
    ) {
        let text = spray(Decimal::TEN, "salt", Decimal::new(1, 2), Decimal::ONE, Decimal::TEN, Decimal::ONE, priming, residual)
            .replace("volume = \"1 mL\"", &format!("per_ml = \"{per_ml}\""))
            .replace("dosage_form = \"nasal-spray\"", "dosage_form = \"sublingual-drops\"");
        let f = load(&text);
        let b = run(&f, ml, |_| {});
        let doses = b.compounded().unwrap().doses.unwrap().doses();
        let want = ((ml - residual) * per_ml - Decimal::from(priming)).floor().max(Decimal::ZERO);
        prop_assert_eq!(doses, want);
        // And the strength per drop is the concentration ÷ per_ml.
        prop_assert_eq!(b.strengths[0].per_dose.map(Mass::mg), Some(Decimal::TEN / per_ml));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Aliquots by mass (SPEC §7.4): the portion taken holds exactly what is needed, it
    /// carries `A − n` of the base, and the base from its jar plus what the portions carry
    /// is the whole base; the controlled-substance record reconciles exactly.
    #[test]
    fn aliquots_by_mass_hold_what_is_needed_and_reconcile(
        actives in prop::collection::vec(decimal("0.0001", "0.5"), 1..=3),
        grams in decimal("10", "1000"),
        overage in decimal("0", "10"),
        readability in prop::sample::select(vec!["0.01", "0.1", "1"]),
    ) {
        let mut text = cream(&actives, overage, None);
        text = text.replacen("basis = \"base\"\n", "basis = \"base\"\nschedule = \"CIII\"\n", 1);
        let f = load(&text);
        let b = match try_run(&f, grams * Decimal::ONE_THOUSAND, |o| {
            o.readability = Mass::from_mg(Decimal::from_str_exact(readability).unwrap());
        }) {
            Err(CalcError::DiluentExhausted { .. }) => return Ok(()),
            other => other.unwrap(),
        };
        let mut carried = Decimal::ZERO;
        for w in &b.warnings {
            let Some(p) = &w.aliquot else { continue };
            let (n, weigh, total, take, min) = (p.needed.mg(), p.weigh.mg(), p.total.value(), p.take.value(), b.compounded().unwrap().min_weight.mg());
            prop_assert_eq!(p.by, AliquotBy::Mass);
            prop_assert!(n < min && weigh >= min);
            prop_assert_eq!(weigh, n * Decimal::from(p.factor));
            prop_assert_eq!(total, min * Decimal::from(p.factor));
            // The portion A of the trituration T holds W × A ÷ T = n.
            prop_assert_eq!(weigh * take / total, n);
            prop_assert_eq!(p.carried.map(Mass::mg), Some(take - n));
            carried += take - n;
        }
        let jar = b.lines.iter().find(|l| l.qs).unwrap().weigh.unwrap().mg();
        prop_assert_eq!(jar + carried, b.compounded().unwrap().qs.weigh.unwrap().mg());
        prop_assert_eq!(b.compounded().unwrap().qs.in_aliquots.map(Mass::mg), if carried.is_zero() { None } else { Some(carried) });
        for c in &b.controlled {
            let parts = c.in_product.mg()
                + c.overage_loss.unwrap_or_default().mg()
                + c.aliquot_remainder.unwrap_or_default().mg();
            prop_assert_eq!(parts, c.withdraw.mg(), "{}", c.id);
        }
    }

    /// Aliquots by volume: the solution is never made at more than 75% of the solubility,
    /// and the volume measured is below the prepared volume.
    #[test]
    fn aliquots_by_volume_stay_below_saturation(
        conc in decimal("0.001", "2"),
        solubility in decimal("0.01", "5"),
        ml in decimal("2", "500"),
        min_volume in prop::sample::select(vec!["0.5", "1", "2"]),
    ) {
        prop_assume!(conc < solubility);
        let text = spray(conc, "salt", Decimal::new(1, 2), Decimal::ONE, Decimal::TEN, Decimal::new(1, 1), 0, Decimal::ZERO)
            .replace("schedule = \"CIII\"\n", &format!("schedule = \"CIII\"\nsolubility = \"{solubility} mg/mL\"\n"));
        let f = load(&text);
        let v = Decimal::from_str_exact(min_volume).unwrap();
        let b = match try_run(&f, ml, |o| o.min_volume = Some(Volume::from_ml(v))) {
            Err(CalcError::AliquotTooLarge { .. }) => return Ok(()),
            other => other.unwrap(),
        };
        for w in &b.warnings {
            let Some(p) = &w.aliquot else { continue };
            let (n, weigh, total, take) = (p.needed.mg(), p.weigh.mg(), p.total.value(), p.take.value());
            prop_assert_eq!(p.by, AliquotBy::Volume);
            prop_assert!(take < b.compounded().unwrap().prepared.value());
            prop_assert_eq!(total, take * Decimal::from(p.factor));
            // The portion measured holds n.
            prop_assert_eq!(weigh * take / total, n);
            if w.ingredient.as_deref() == Some("ketamine-hcl") {
                prop_assert!(weigh / total <= solubility * Decimal::new(75, 2));
                // One portion less would be too concentrated (j is the smallest that works).
                if take > v {
                    prop_assert!(weigh / (total - v * Decimal::from(p.factor)) > solubility * Decimal::new(75, 2));
                }
            }
        }
    }

    /// Containers (SPEC §7.5, §13): full containers and the part-filled last one hold the
    /// requested quantity; their count is `ceil(Q ÷ fill)`; a batch smaller than one fill is
    /// one container of its quantity; a container that holds no whole dose is refused.
    #[test]
    fn containers_hold_the_requested_quantity(
        ml in decimal("0.1", "2000"),
        fill in decimal("0.5", "100"),
    ) {
        let f = load(&spray(Decimal::from(50), "salt", Decimal::new(1, 2), Decimal::ONE, Decimal::TEN, Decimal::new(1, 1), 2, Decimal::new(3, 1)));
        let each = fill.min(ml);
        // (each − 0.3 mL residual) ÷ 0.1 mL − 2 priming sprays in a full container.
        let doses = ((each - Decimal::new(3, 1)) * Decimal::TEN - Decimal::TWO).floor().max(Decimal::ZERO);
        let b = match try_run(&f, ml, |o| o.fill = Some(Volume::from_ml(fill))) {
            Err(CalcError::NoWholeDose { .. }) => {
                prop_assert!(doses.is_zero());
                return Ok(());
            }
            other => other.unwrap(),
        };
        let c = b.compounded().unwrap().containers.clone().unwrap();
        prop_assert_eq!(c.fill.ml(), each);
        let last = c.last.map(|(v, _)| v.ml()).unwrap_or_default();
        prop_assert_eq!(Decimal::from(c.full) * each + last, ml);
        prop_assert_eq!(Decimal::from(c.count), (ml / fill).ceil());
        prop_assert!(last < each);
        prop_assert_eq!(c.doses, b.compounded().unwrap().doses);
        prop_assert_eq!(c.doses.map(DoseCount::doses), Some(doses));
        prop_assert!(!doses.is_zero());
    }

    /// Molded forms fill `Q` cavities plus a unit overage; a percent overage makes more
    /// blend but no more cavities (SPEC §7.6).
    #[test]
    fn cavities_are_the_units_requested_plus_a_unit_overage(
        units in 1u32..=500,
        extra in 0u32..=10,
        pct in decimal("0", "9"),
    ) {
        let f = load(&troche(Decimal::from(50), Decimal::from(300), Decimal::from(30)));
        let n = Decimal::from(units);
        let b = run(&f, n, |o| o.overage = Some(Overage::Amount(count_of(Decimal::from(extra)))));
        prop_assert_eq!(b.compounded().unwrap().cavities.map(|c| c.units()), Some(n + Decimal::from(extra)));
        let b = run(&f, n, |o| o.overage = Some(Overage::Percent(Percent(pct))));
        prop_assert_eq!(b.compounded().unwrap().cavities.map(|c| c.units()), Some(n));
        prop_assert_eq!(b.compounded().unwrap().prepared.value(), n * (Decimal::ONE_HUNDRED + pct) / Decimal::ONE_HUNDRED);
        prop_assert_eq!(b.compounded().unwrap().molds, None);
    }

    /// With `[mold] cavities` (SPEC §13): the fewest molds that hold the cavities, and the
    /// rest of their cavities empty, fewer than one mold's.
    #[test]
    fn molds_hold_the_cavities_and_no_mold_is_spare(
        units in 1u32..=500,
        extra in 0u32..=10,
        per_mold in 1u64..=120,
    ) {
        let text = troche(Decimal::from(50), Decimal::from(300), Decimal::from(30))
            .replacen("[mold]\n", &format!("[mold]\ncavities = {per_mold}\n"), 1);
        let f = load(&text);
        let b = run(&f, Decimal::from(units), |o| o.overage = Some(Overage::Amount(count_of(Decimal::from(extra)))));
        let cavities = u64::from(units + extra);
        let m = b.compounded().unwrap().molds.unwrap();
        prop_assert_eq!(m.per_mold, per_mold);
        prop_assert_eq!(m.count * per_mold, cavities + m.empty);
        prop_assert!(m.empty < per_mold);
    }
}
