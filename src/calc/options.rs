//! The inputs of a batch calculation besides the formula, and the parsers that turn
//! command-line text into them (SPEC §4).

use std::collections::BTreeMap;

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::CalcError;
use crate::formula::{Basis, Formula, Overage};
use crate::quantity::{Amount, Percent, Quantity, QuantityError, parse_whole_count};
use crate::unit::Dimension;

pub use crate::formula::{MAX_MASS_MG, MAX_UNITS, MAX_VOLUME_ML};

/// What one lot of an ingredient brings to the batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lot {
    /// Assay (as is, or dried-basis when `lod` is given); default 100%.
    pub assay: Option<Percent>,
    /// Loss on drying; default 0%.
    pub lod: Option<Percent>,
    /// Lot number.
    pub lot: Option<String>,
    /// Expiry date.
    pub expiry: Option<Date>,
}

/// Everything a batch needs besides the formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Requested quantity in the basis' base unit (mL, mg, units); default the formula's.
    pub quantity: Option<Decimal>,
    /// Overage; default the formula's.
    pub overage: Option<Overage>,
    /// Custom strengths: an optional active id and the new amount.
    pub strengths: Vec<(Option<String>, Amount)>,
    /// Per-ingredient lot data, by ingredient id.
    pub lots: BTreeMap<String, Lot>,
    /// Compounding date.
    pub date: Date,
    /// Batch id.
    pub batch_id: Option<String>,
    /// Balance readability, mg (default 0.1 mg).
    pub readability: Decimal,
    /// Minimum weighable quantity, mg (default 820 × readability).
    pub min_weight: Option<Decimal>,
    /// What one container holds, mL (liquids); default the formula's `[batch].fill`.
    pub fill: Option<Decimal>,
    /// The smallest volume measured with acceptable accuracy, mL, for liquid aliquots
    /// (default 1 mL).
    pub min_volume: Option<Decimal>,
}

impl Options {
    /// Defaults for a batch compounded on `date`.
    pub fn new(date: Date) -> Self {
        Options {
            quantity: None,
            overage: None,
            strengths: Vec::new(),
            lots: BTreeMap::new(),
            date,
            batch_id: None,
            readability: Decimal::new(1, 1),
            min_weight: None,
            fill: None,
            min_volume: None,
        }
    }

    /// The lot data of one ingredient, created on first use.
    pub fn lot_mut(&mut self, id: &str) -> &mut Lot {
        self.lots.entry(id.to_string()).or_default()
    }
}

fn opt(option: &'static str) -> impl Fn(QuantityError) -> CalcError {
    move |source| CalcError::Option { option, source }
}

fn refuse(option: &'static str, value: &str, reason: impl Into<String>) -> CalcError {
    CalcError::OptionValue { option, value: value.to_string(), reason: reason.into() }
}

/// Parses `--quantity` for a formula: a volume, a mass or a whole count by its basis,
/// above zero and within the limits above.
pub fn parse_quantity(formula: &Formula, text: &str) -> Result<Decimal, CalcError> {
    let option = "--quantity";
    let form = formula.dosage_form;
    let (value, max, what) = match formula.basis() {
        Basis::Volume => {
            let q = Quantity::parse_dim(text, Dimension::Volume, volume_expected(form.as_str()))
                .map_err(opt(option))?;
            (q.to_base().map_err(|e| refuse(option, text, e.to_string()))?, MAX_VOLUME_ML, "100 L")
        }
        Basis::Mass => {
            let q = Quantity::parse_dim(text, Dimension::Mass, mass_expected(form.as_str()))
                .map_err(opt(option))?;
            (q.to_base().map_err(|e| refuse(option, text, e.to_string()))?, MAX_MASS_MG, "100 kg")
        }
        Basis::Molded => (parse_whole_count(text).map_err(opt(option))?, MAX_UNITS, "1000000 units"),
    };
    if value.is_zero() {
        return Err(refuse(option, text, "a batch cannot be empty"));
    }
    if value > Decimal::from(max) {
        return Err(refuse(option, text, format!("batches are limited to {what}")));
    }
    Ok(value)
}

fn volume_expected(form: &str) -> &'static str {
    match form {
        "nasal-spray" => "a volume, like `30 mL`, for a nasal spray",
        "sublingual-drops" => "a volume, like `30 mL`, for sublingual drops",
        _ => "a volume, like `100 mL`, for an oral solution",
    }
}

fn mass_expected(_form: &str) -> &'static str {
    "a mass, like `100 g`, for a cream, gel or ointment"
}

/// Parses `--overage`: `N%` (under 100%) or a quantity of the formula's basis.
pub fn parse_overage(formula: &Formula, text: &str) -> Result<Overage, CalcError> {
    let option = "--overage";
    if text.trim_end().ends_with('%') {
        let p = Percent::parse(text).map_err(opt(option))?;
        if p.0 >= Decimal::ONE_HUNDRED {
            return Err(refuse(option, text, "an overage is a process-loss allowance under 100%"));
        }
        return Ok(Overage::Percent(p));
    }
    let v = crate::formula::parse_batch_size(text, formula.basis()).map_err(opt(option))?;
    Ok(Overage::Amount(v))
}

/// Parses `--fill`: the volume one container holds, for a liquid.
pub fn parse_fill(formula: &Formula, text: &str) -> Result<Decimal, CalcError> {
    let option = "--fill";
    if formula.basis() != Basis::Volume {
        return Err(CalcError::NotForForm {
            option,
            form: formula.dosage_form.to_string(),
            why: "it gives what one container of a liquid holds",
        });
    }
    let v = crate::formula::parse_batch_size(text, Basis::Volume).map_err(opt(option))?;
    if v.is_zero() {
        return Err(refuse(option, text, "a container must hold something"));
    }
    Ok(v)
}

/// Parses `--min-volume`: the smallest volume measured with acceptable accuracy, above
/// zero and at most 1 L.
pub fn parse_min_volume(text: &str) -> Result<Decimal, CalcError> {
    let option = "--min-volume";
    let q = Quantity::parse_dim(text, Dimension::Volume, "a volume, like `1 mL`").map_err(opt(option))?;
    let v = q.to_base().map_err(|e| refuse(option, text, e.to_string()))?;
    if v.is_zero() || v > Decimal::ONE_THOUSAND {
        return Err(refuse(option, text, "it must be above 0 mL and at most 1 L"));
    }
    Ok(v)
}

/// Splits `ID=VALUE`, refusing a control character in `ID`.
pub fn split_pair<'t>(option: &'static str, text: &'t str) -> Result<(&'t str, &'t str), CalcError> {
    match text.split_once('=') {
        Some((id, value)) if !id.trim().is_empty() => {
            no_control_characters(option, text, id)?;
            Ok((id.trim(), value.trim()))
        }
        _ => Err(refuse(option, text, "expected `ID=VALUE`, e.g. `ketamine-hcl=99.5%`")),
    }
}

/// Checks free text from the command line that the worksheet prints (`--lot` values,
/// `--batch-id`): every control character is refused, tab and line breaks included, as
/// they would reach the worksheet and the terminal raw.
pub fn parse_text(option: &'static str, text: &str) -> Result<String, CalcError> {
    no_control_characters(option, text, text)?;
    Ok(text.to_string())
}

fn no_control_characters(option: &'static str, text: &str, part: &str) -> Result<(), CalcError> {
    match part.chars().find(|c| c.is_control()) {
        Some(c) => Err(refuse(
            option,
            text,
            format!(
                "it contains the control character `{}`, which would reach the worksheet raw; remove it",
                c.escape_unicode()
            ),
        )),
        None => Ok(()),
    }
}

/// The error for a second value of a per-ingredient option (`--assay X=99% --assay
/// X=50%`): keeping either one silently could weigh for the wrong lot, so both are named.
pub fn repeated(option: &'static str, id: &str, first: &str, second: &str) -> CalcError {
    refuse(
        option,
        second,
        format!("`{id}` already has `{option} {first}`; give one `{option}` per ingredient"),
    )
}

/// Parses `--strength [ID=]S`.
pub fn parse_strength(text: &str) -> Result<(Option<String>, Amount), CalcError> {
    let option = "--strength";
    let (id, value) = match text.split_once('=') {
        Some((id, v)) => {
            no_control_characters(option, text, id)?;
            (Some(id.trim().to_string()), v)
        }
        None => (None, text),
    };
    let amount = Amount::parse(value).map_err(opt(option))?;
    if amount == Amount::Qs || amount.is_zero() {
        return Err(refuse(option, text, "a strength must be a concentration or amount above zero"));
    }
    Ok((id, amount))
}

/// Parses an `--assay` value: from 1% to 110%.
///
/// Each correction of the amount to weigh (purity, assay, `100% − LOD`) is at least 1%,
/// so none multiplies a weight by more than 100: `--assay X=0.0000001%` once asked for
/// a billion times the amount, a typo no worksheet should carry.
pub fn parse_assay(text: &str) -> Result<Percent, CalcError> {
    let p = Percent::parse(text).map_err(opt("--assay"))?;
    if p.0 < Decimal::ONE || p.0 > Decimal::from(110) {
        return Err(refuse("--assay", text, "an assay must be from 1% to 110%"));
    }
    Ok(p)
}

/// Parses a `--lod` value: from 0% to 99% (at least 1% of the material is dry; see
/// [`parse_assay`]).
pub fn parse_lod(text: &str) -> Result<Percent, CalcError> {
    let p = Percent::parse(text).map_err(opt("--lod"))?;
    if p.0 > Decimal::from(99) {
        return Err(refuse("--lod", text, "a loss on drying must be from 0% to 99%"));
    }
    Ok(p)
}

/// The finest balance readability accepted, in mg: 0.001 mg (a microbalance).
pub const MIN_READABILITY_MG: Decimal = Decimal::from_parts(1, 0, 0, false, 3);
/// The coarsest balance readability accepted, in mg: 1 g. A coarser one (`100 kg`)
/// rounded every weight to zero.
pub const MAX_READABILITY_MG: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);
/// The largest minimum weighable quantity, in mg: 820 g, the default minimum weight
/// (820 × readability) of the coarsest balance, so that a minimum weight derived from the
/// readability and one given with `--min-weight` have the same cap.
pub const MAX_MIN_WEIGHT_MG: Decimal = Decimal::from_parts(820_000, 0, 0, false, 0);

/// Parses `--readability`: from 0.001 mg to 1 g.
pub fn parse_readability(text: &str) -> Result<Decimal, CalcError> {
    let option = "--readability";
    let v = parse_mass(option, text)?;
    if v < MIN_READABILITY_MG || v > MAX_READABILITY_MG {
        return Err(refuse(option, text, "a balance readability must be from 0.001 mg to 1 g"));
    }
    Ok(v)
}

/// Parses `--min-weight` for a balance of `readability` (mg): from the readability (a
/// smaller amount cannot be weighed at all) up to 820 g.
pub fn parse_min_weight(text: &str, readability: Decimal) -> Result<Decimal, CalcError> {
    let option = "--min-weight";
    let v = parse_mass(option, text)?;
    if v < readability || v > MAX_MIN_WEIGHT_MG {
        return Err(refuse(
            option,
            text,
            format!(
                "a minimum weight must be from the balance readability ({}) up to 820 g",
                crate::quantity::format_mass(readability)
            ),
        ));
    }
    Ok(v)
}

/// The largest time-zone file ketacalc lets the date library read; TZif files are a few
/// kilobytes.
const MAX_TZIF_BYTES: u64 = 1024 * 1024;

/// Today's date in the local time zone: the default compounding date.
///
/// The same date as `jiff::ZonedDateTime::now().date()`, at a fraction of the cost: to
/// *name* the system time zone jiff lists the whole zoneinfo database (hundreds of files,
/// most of a worksheet's run time), while the date needs only the zone's rules, which
/// `/etc/localtime` holds. When `TZ` is set, or `/etc/localtime` is missing or not TZif
/// data, jiff's own lookup decides.
///
/// jiff reads a file named by `TZ` (`TZ=/path`, `TZ=:path`, or a relative path that is
/// not a zone name) to its end, so `TZ=/dev/zero`, `/dev/urandom` or a named pipe would
/// never return. A `TZ` that names an existing entry other than a regular file (or a
/// folder, which fails at once), or a file over 1 MiB, is refused first, with a message;
/// so is such an `/etc/localtime`.
pub fn today() -> Result<Date, CalcError> {
    if let Some(tz) = std::env::var_os("TZ") {
        check_time_zone_file("TZ", &tz)?;
        return Ok(jiff::ZonedDateTime::now().date());
    }
    let localtime = std::ffi::OsStr::new("/etc/localtime");
    check_time_zone_file("/etc/localtime", localtime)?;
    let local = std::fs::File::open(localtime).ok().and_then(|f| {
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_TZIF_BYTES), &mut data).ok()?;
        jiff::tz::TimeZone::tzif("localtime", &data).ok()
    });
    Ok(match local {
        Some(tz) => jiff::Timestamp::now().to_zoned_datetime(tz).date(),
        None => jiff::ZonedDateTime::now().date(),
    })
}

/// Refuses a time-zone setting that names a file the date library would read without
/// end: anything that exists and is neither a regular file nor a folder (a device, a
/// named pipe, a socket), or a regular file over 1 MiB. `TZ=:path` names `path`
/// (POSIX); names that are not files (`Europe/Paris`, `EST5EDT`) are left to jiff.
fn check_time_zone_file(what: &'static str, value: &std::ffi::OsStr) -> Result<(), CalcError> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = value.as_bytes();
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(bytes.strip_prefix(b":").unwrap_or(bytes)));
    if path.as_os_str().is_empty() {
        return Ok(());
    }
    let Ok(meta) = std::fs::metadata(path) else { return Ok(()) };
    let problem = if meta.is_dir() {
        return Ok(());
    } else if !meta.is_file() {
        format!("{}: the time zone cannot be read from it", crate::files::not_regular(&meta))
    } else if meta.len() > MAX_TZIF_BYTES {
        "it is over 1 MiB, too large for a time-zone file".to_string()
    } else {
        return Ok(());
    };
    let fix = if what == "TZ" {
        "give the compounding date with `--date YYYY-MM-DD`, or set `TZ` to a time zone such as `America/New_York`"
    } else {
        "give the compounding date with `--date YYYY-MM-DD`, or point `/etc/localtime` at a time-zone file"
    };
    Err(CalcError::OptionValue {
        option: what,
        value: value.to_string_lossy().into_owned(),
        reason: format!("{problem}; {fix}"),
    })
}

/// Parses a `YYYY-MM-DD` date that exists in the calendar.
pub fn parse_date(option: &'static str, text: &str) -> Result<Date, CalcError> {
    let t = text.trim();
    let shape_ok = t.len() == 10
        && t.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    if !shape_ok {
        return Err(refuse(option, text, "expected a date as `YYYY-MM-DD`, e.g. `2026-11-26`"));
    }
    t.parse::<Date>().map_err(|_| refuse(option, text, "that date does not exist in the calendar"))
}

/// Parses a positive mass such as `--readability 0.1mg`, in mg.
pub fn parse_mass(option: &'static str, text: &str) -> Result<Decimal, CalcError> {
    let q = Quantity::parse_dim(text, Dimension::Mass, "a mass, like `0.1 mg`").map_err(opt(option))?;
    let v = q.to_base().map_err(|e| refuse(option, text, e.to_string()))?;
    if v.is_zero() {
        return Err(refuse(option, text, "it must be above zero"));
    }
    if v > Decimal::from(MAX_MASS_MG) {
        return Err(refuse(option, text, "it must be at most 100 kg"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_local_date_jiff_gives() {
        let before = jiff::ZonedDateTime::now().date();
        let t = today().unwrap();
        let after = jiff::ZonedDateTime::now().date();
        assert!(t == before || t == after, "{before} {t} {after}");
    }

    #[test]
    fn time_zone_files_that_never_end_are_refused() {
        let os = std::ffi::OsStr::new;
        for bad in ["/dev/zero", ":/dev/urandom", "/dev/null"] {
            if std::path::Path::new(bad.trim_start_matches(':')).exists() {
                let e = check_time_zone_file("TZ", os(bad)).unwrap_err().to_string();
                assert!(e.contains("it is a device, not a regular file"), "{e}");
                assert!(e.contains("`--date YYYY-MM-DD`"), "{e}");
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 1024 * 1024 + 1]).unwrap();
        assert!(check_time_zone_file("TZ", big.as_os_str()).is_err());
        for fine in ["", ":", "UTC", "Europe/Paris", "EST5EDT,M3.2.0,M11.1.0", "/no/such/file", "/"] {
            assert!(check_time_zone_file("TZ", os(fine)).is_ok(), "{fine}");
        }
    }

    #[test]
    fn dates_must_exist() {
        assert!(parse_date("--date", "2028-02-29").is_ok());
        for bad in ["2026-02-30", "2027-02-29", "2026-13-01", "26-11-2026", "20261126", "2026-1-1", ""] {
            assert!(parse_date("--date", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn assay_and_lod_ranges() {
        assert!(parse_assay("99.5%").is_ok());
        assert!(parse_assay("110%").is_ok());
        assert!(parse_assay("1%").is_ok());
        assert!(parse_assay("0%").is_err());
        assert!(parse_assay("0.99%").is_err());
        assert!(parse_assay("0.0000001%").is_err());
        assert!(parse_assay("110.1%").is_err());
        assert!(parse_lod("0%").is_ok());
        assert!(parse_lod("99%").is_ok());
        assert!(parse_lod("99.1%").is_err());
        assert!(parse_lod("100%").is_err());
    }

    #[test]
    fn strengths() {
        let (id, a) = parse_strength("ketamine-hcl=150 mg/mL").unwrap();
        assert_eq!(id.as_deref(), Some("ketamine-hcl"));
        assert_eq!(a.to_string(), "150 mg/mL");
        assert_eq!(parse_strength("1:10 w/w").unwrap().0, None);
        assert!(parse_strength("0 mg/mL").is_err());
        assert!(parse_strength("qs").is_err());
    }

    #[test]
    fn control_characters_are_refused() {
        assert!(parse_text("--lot", "K-2291 A").is_ok());
        for bad in ["K\u{1b}[2J", "a\tb", "a\nb", "a\rb", "\u{7f}", "\u{85}"] {
            assert!(parse_text("--lot", bad).is_err(), "{bad:?}");
        }
        assert!(split_pair("--assay", "ket\u{1b}amine=99%").is_err());
        assert!(parse_strength("ket\u{0}=5 mg/mL").is_err());
        let e = parse_text("--batch-id", "B\u{1b}1").unwrap_err().to_string();
        assert!(e.contains("control character `\\u{1b}`"), "{e}");
    }

    #[test]
    fn pairs() {
        assert_eq!(split_pair("--lot", "a=L1").unwrap(), ("a", "L1"));
        assert!(split_pair("--lot", "L1").is_err());
        assert!(split_pair("--lot", "=L1").is_err());
    }

    #[test]
    fn balance_bounds() {
        assert_eq!(parse_readability("0.001 mg").unwrap(), MIN_READABILITY_MG);
        assert_eq!(parse_readability("1 g").unwrap(), MAX_READABILITY_MG);
        for bad in ["0.0009 mg", "1.001 g", "100 kg", "0 mg"] {
            assert!(parse_readability(bad).is_err(), "{bad}");
        }
        // The default minimum weight of the coarsest balance is the cap of `--min-weight`.
        assert_eq!(MAX_READABILITY_MG * Decimal::from(820), MAX_MIN_WEIGHT_MG);
        let r = Decimal::new(1, 1);
        assert_eq!(parse_min_weight("820 g", r).unwrap(), MAX_MIN_WEIGHT_MG);
        assert_eq!(parse_min_weight("0.1 mg", r).unwrap(), r);
        for bad in ["820.001 g", "82000 kg", "0.09 mg"] {
            assert!(parse_min_weight(bad, r).is_err(), "{bad}");
        }
        let e = parse_min_weight("1 mg", Decimal::from(10)).unwrap_err().to_string();
        assert!(e.contains("from the balance readability (10 mg) up to 820 g"), "{e}");
    }

    #[test]
    fn masses() {
        assert_eq!(parse_mass("--readability", "1 mg").unwrap(), Decimal::ONE);
        assert_eq!(parse_mass("--readability", "0.01mg").unwrap(), Decimal::new(1, 2));
        assert!(parse_mass("--readability", "0 mg").is_err());
        assert!(parse_mass("--readability", "1 mL").is_err());
    }
}
