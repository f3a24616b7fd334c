//! The local time zone, and today's date and the time now in it (the default
//! compounding date and time), read without letting a strange `TZ` hang the program.

use jiff::civil::Date;

use super::CalcError;

/// The largest time-zone file ketacalc lets the date library read; TZif files are a few
/// kilobytes.
const MAX_TZIF_BYTES: u64 = 1024 * 1024;

/// The local time zone, read without letting a strange `TZ` hang the program.
///
/// The same zone as `jiff::tz::TimeZone::system()`, at a fraction of the cost: to *name*
/// the system time zone jiff lists the whole zoneinfo database (hundreds of files, most
/// of a worksheet's run time), while dates and times need only the zone's rules, which
/// `/etc/localtime` holds. When `TZ` is set, or `/etc/localtime` is missing or not TZif
/// data, jiff's own lookup decides.
///
/// jiff reads a file named by `TZ` (`TZ=/path`, `TZ=:path`, or a relative path that is
/// not a zone name) to its end, so `TZ=/dev/zero`, `/dev/urandom` or a named pipe would
/// never return. A `TZ` that names an existing entry other than a regular file (or a
/// folder, which fails at once), or a file over 1 MiB, is refused first, with a message;
/// so is such an `/etc/localtime`.
pub(crate) fn local_zone() -> Result<jiff::tz::TimeZone, CalcError> {
    if let Some(tz) = std::env::var_os("TZ") {
        check_time_zone_file("TZ", &tz)?;
        return Ok(jiff::tz::TimeZone::system());
    }
    let localtime = std::ffi::OsStr::new("/etc/localtime");
    check_time_zone_file("/etc/localtime", localtime)?;
    let local = std::fs::File::open(localtime).ok().and_then(|f| {
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_TZIF_BYTES), &mut data).ok()?;
        jiff::tz::TimeZone::tzif("localtime", &data).ok()
    });
    Ok(local.unwrap_or_else(jiff::tz::TimeZone::system))
}

/// Today's date in the local time zone: the default compounding date.
pub fn today() -> Result<Date, CalcError> {
    Ok(now(&local_zone()?).date())
}

/// The time now in `zone`.
pub(crate) fn now(zone: &jiff::tz::TimeZone) -> jiff::ZonedDateTime {
    jiff::Timestamp::now().to_zoned_datetime(zone.clone())
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
        option: what.to_string(),
        value: value.to_string_lossy().into_owned(),
        reason: format!("{problem}; {fix}"),
    })
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
}
