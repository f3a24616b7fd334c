//! The local time zone, and today's date and the time now in it (the default
//! compounding date and time): the one place where ketacalc reads the clock and the
//! zone (SPEC §11.2).
//!
//! The zone comes from `TZ` (a zone name such as `America/New_York`, a POSIX TZ string
//! such as `EST5EDT,M3.2.0,M11.1.0`, or a time-zone file, each optionally after a `:`),
//! else from `/etc/localtime`; with neither, it is UTC, as `date` does. A `TZ` that is
//! none of these, or an `/etc/localtime` that exists but cannot be read as a time-zone
//! file, is an error that names it: a typo (`America/NewYork`) must never become a
//! silent UTC that puts an IV bag's beyond-use time hours late.

use std::ffi::OsStr;
use std::path::Path;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::{Field, RequestError, Syntax};

/// The largest time-zone file ketacalc lets the date library read; TZif files are a few
/// kilobytes.
const MAX_TZIF_BYTES: u64 = 1024 * 1024;

/// The longest part of a `TZ` value a message repeats.
const MAX_SHOWN: usize = 64;

/// Where the local zone is read from when `TZ` is not set.
const LOCALTIME: &str = "/etc/localtime";

/// Why today's date or the local zone is read: for the date, `--date` is a way around a
/// broken zone; for an infusion's beyond-use time it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// The default compounding date.
    Date,
    /// The zone of an infusion's compounding date and time.
    Zone,
}

/// The local time zone: from `TZ`, else `/etc/localtime`, else UTC.
///
/// Cheaper than `jiff::tz::TimeZone::system()`: to *name* the system zone jiff lists the
/// whole zoneinfo database (hundreds of files, most of a worksheet's run time), while
/// dates and times need only the zone's rules, which `/etc/localtime` holds.
pub(crate) fn local_zone(need: Need, syntax: Syntax) -> Result<TimeZone, RequestError> {
    zone_from(std::env::var_os("TZ").as_deref(), Path::new(LOCALTIME)).map_err(|e| e.into_error(need, syntax))
}

/// Today's date in the local time zone: the default compounding date, which must be one
/// ketacalc accepts as a compounding date (from 2000-01-01 to 2999-12-31).
pub(crate) fn today(syntax: Syntax) -> Result<Date, RequestError> {
    let date = now(&local_zone(Need::Date, syntax)?).date();
    super::options::check_compounding_date(date).map_err(|reason| RequestError::OptionFix {
        option: "the system clock".to_string(),
        value: date.to_string(),
        reason,
        fix: format!(
            "set the system clock, or give the compounding date with `{}`",
            syntax.given(Field::Date, "YYYY-MM-DD")
        ),
    })?;
    Ok(date)
}

/// The time now in `zone`.
pub(crate) fn now(zone: &TimeZone) -> jiff::ZonedDateTime {
    jiff::Timestamp::now().to_zoned_datetime(zone.clone())
}

/// Why the local zone cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ZoneError {
    /// `TZ=…` or `/etc/localtime`, as the message names it.
    from: String,
    /// What is wrong with it.
    reason: String,
    /// `TZ` rather than `/etc/localtime`.
    tz: bool,
}

impl ZoneError {
    fn into_error(self, need: Need, syntax: Syntax) -> RequestError {
        let set = if self.tz {
            "set `TZ` to a time zone such as `America/New_York`, or unset it to use `/etc/localtime`"
        } else {
            "point `/etc/localtime` at a time-zone file (such as `/usr/share/zoneinfo/America/New_York`), or set `TZ`"
        };
        let fix = match need {
            Need::Date => {
                format!(
                    "{set}; or give the compounding date with `{}`",
                    syntax.given(Field::Date, "YYYY-MM-DD")
                )
            }
            Need::Zone => set.to_string(),
        };
        RequestError::LocalZone { from: self.from, reason: self.reason, fix }
    }
}

/// The zone that `tz` (the value of `TZ`, if set) or else the file `localtime` gives.
fn zone_from(tz: Option<&OsStr>, localtime: &Path) -> Result<TimeZone, ZoneError> {
    match tz {
        Some(tz) => zone_from_tz(tz),
        None => zone_from_localtime(localtime),
    }
}

/// The zone `TZ` names. An empty `TZ` (or `TZ=:`) is UTC, as in the C library and jiff.
fn zone_from_tz(tz: &OsStr) -> Result<TimeZone, ZoneError> {
    let shown = shorten(&tz.to_string_lossy());
    let err = |reason: String| ZoneError { from: format!("`TZ={shown}`"), reason, tz: true };
    let Some(text) = tz.to_str() else {
        return Err(err("it is not UTF-8 text".to_string()));
    };
    let (colon, name) = match text.strip_prefix(':') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if name.is_empty() {
        return Ok(TimeZone::UTC);
    }
    if let Ok(zone) = TimeZone::get(name) {
        return Ok(zone);
    }
    // A POSIX TZ string never starts with `:` (POSIX leaves `:…` to the implementation,
    // which reads it as a name or a file).
    if !colon && let Ok(zone) = TimeZone::posix(name) {
        return Ok(zone);
    }
    let path = Path::new(name);
    match std::fs::symlink_metadata(path) {
        Ok(_) => read_zone_file(path).map_err(err),
        Err(_) => Err(err(format!(
            "`{}` is not a time zone name, a POSIX TZ string (such as `EST5EDT,M3.2.0,M11.1.0`) or a time-zone file",
            shorten(name)
        ))),
    }
}

/// The zone `/etc/localtime` holds; UTC when there is no such file.
fn zone_from_localtime(localtime: &Path) -> Result<TimeZone, ZoneError> {
    match std::fs::symlink_metadata(localtime) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(TimeZone::UTC),
        _ => read_zone_file(localtime).map_err(|reason| ZoneError {
            from: format!("`{}`", localtime.display()),
            reason,
            tz: false,
        }),
    }
}

/// Reads the time-zone (TZif) file at `path`, refusing first what the date library
/// would read without end: anything that is not a regular file (a device such as
/// `/dev/zero`, a named pipe, a socket), or a regular file over 1 MiB.
fn read_zone_file(path: &Path) -> Result<TimeZone, String> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err("it is a link to a file that does not exist".to_string());
        }
        Err(e) => return Err(format!("it cannot be read: {e}")),
    };
    if meta.is_dir() {
        return Err("it is a folder, not a time-zone file".to_string());
    }
    if !meta.is_file() {
        return Err(format!("{}: the time zone cannot be read from it", crate::files::not_regular(&meta)));
    }
    if meta.len() > MAX_TZIF_BYTES {
        return Err("it is over 1 MiB, too large for a time-zone file".to_string());
    }
    let mut data = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_TZIF_BYTES), &mut data))
        .map_err(|e| format!("it cannot be read: {e}"))?;
    // The zone's name, for jiff: what follows `zoneinfo/` in the path, else the path.
    let shown = path.to_string_lossy();
    let name = shown.rsplit_once("zoneinfo/").map_or(&*shown, |(_, n)| n);
    TimeZone::tzif(name, &data).map_err(|_| "it is not a time-zone (TZif) file".to_string())
}

/// `text`, or its first [`MAX_SHOWN`] characters and `…`.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_SHOWN) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or(text)),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(s: &str) -> &OsStr {
        OsStr::new(s)
    }

    fn offset_in_july(z: &TimeZone) -> i32 {
        let ts: jiff::Timestamp = "2026-07-01T12:00:00Z".parse().unwrap();
        z.to_offset(ts).seconds()
    }

    #[test]
    fn today_is_a_date_near_the_local_one() {
        if std::env::var_os("TZ").is_none() {
            let before = jiff::ZonedDateTime::now().date();
            let t = today(Syntax::Flags).unwrap();
            let after = jiff::ZonedDateTime::now().date();
            // jiff's own zone may be named differently, never hours apart.
            assert!((before.yesterday().unwrap()..=after.tomorrow().unwrap()).contains(&t), "{t}");
        }
    }

    #[test]
    fn names_posix_strings_and_files_are_read() {
        let none = Path::new("/no/such/localtime");
        let ny = zone_from(Some(os("America/New_York")), none).unwrap();
        assert_eq!(offset_in_july(&ny), -4 * 3600);
        assert_eq!(offset_in_july(&zone_from(Some(os(":America/New_York")), none).unwrap()), -4 * 3600);
        let posix = zone_from(Some(os("EST5EDT,M3.2.0,M11.1.0")), none).unwrap();
        assert_eq!(offset_in_july(&posix), -4 * 3600);
        assert_eq!(offset_in_july(&zone_from(Some(os("UTC")), none).unwrap()), 0);
        for empty in ["", ":"] {
            assert_eq!(zone_from(Some(os(empty)), none).unwrap(), TimeZone::UTC, "{empty:?}");
        }
        let file = "/usr/share/zoneinfo/America/New_York";
        if Path::new(file).is_file() {
            assert_eq!(offset_in_july(&zone_from(Some(os(file)), none).unwrap()), -4 * 3600);
            assert_eq!(offset_in_july(&zone_from(None, Path::new(file)).unwrap()), -4 * 3600);
        }
        // No `TZ` and no `/etc/localtime`: UTC, as `date` does.
        assert_eq!(zone_from(None, none).unwrap(), TimeZone::UTC);
    }

    #[test]
    fn an_unknown_or_unreadable_tz_is_an_error_naming_it() {
        let none = Path::new("/no/such/localtime");
        let long = "A".repeat(100_000);
        for bad in ["America/NewYork", "UTC+25", "XXX-99:99", "../../etc/passwd", "/etc/passwd", "/", &long] {
            let e = zone_from(Some(os(bad)), none).unwrap_err();
            assert!(e.from.starts_with("`TZ="), "{bad}: {e:?}");
            assert!(e.from.len() < 200 && e.reason.len() < 300, "{e:?}");
            let msg = e.clone().into_error(Need::Zone, Syntax::Flags).to_string();
            assert!(msg.starts_with("the local time zone cannot be read from `TZ="), "{msg}");
        }
        let e = zone_from(Some(os("America/NewYork")), none).unwrap_err();
        assert!(e.reason.contains("`America/NewYork` is not a time zone name"), "{e:?}");
        let e = zone_from(Some(os("/etc/passwd")), none).unwrap_err();
        assert_eq!(e.reason, "it is not a time-zone (TZif) file");
        // `TZ` wins over a good /etc/localtime.
        let good = Path::new("/usr/share/zoneinfo/UTC");
        assert!(zone_from(Some(os("America/NewYork")), good).is_err());
    }

    #[test]
    fn time_zone_files_that_never_end_are_refused() {
        let none = Path::new("/no/such/localtime");
        for bad in ["/dev/zero", ":/dev/urandom", "/dev/null"] {
            if Path::new(bad.trim_start_matches(':')).exists() {
                let e = zone_from(Some(os(bad)), none).unwrap_err();
                assert!(e.reason.contains("it is a device, not a regular file"), "{e:?}");
                let e = e.into_error(Need::Date, Syntax::Flags);
                assert!(e.help().unwrap().contains("`--date YYYY-MM-DD`"), "{e:?}");
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 1024 * 1024 + 1]).unwrap();
        let e = zone_from(Some(big.as_os_str()), none).unwrap_err();
        assert!(e.reason.contains("over 1 MiB"), "{e:?}");
    }

    #[test]
    fn an_etc_localtime_that_exists_but_cannot_be_read_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let garbage = dir.path().join("garbage");
        std::fs::write(&garbage, "not a zone").unwrap();
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        for (path, why) in [
            (garbage.as_path(), "it is not a time-zone (TZif) file"),
            (dangling.as_path(), "it is a link to a file that does not exist"),
            (dir.path(), "it is a folder, not a time-zone file"),
        ] {
            let e = zone_from(None, path).unwrap_err();
            assert_eq!(e.reason, why, "{path:?}");
            assert_eq!(e.from, format!("`{}`", path.display()));
            let e = e.into_error(Need::Zone, Syntax::Flags);
            assert!(e.help().unwrap().contains("point `/etc/localtime` at a time-zone file"), "{e:?}");
        }
    }
}
