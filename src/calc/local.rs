//! A compounding date and time in a time zone, resolved to one instant (SPEC §11.2): a
//! time the clocks skip that day is no instant at all, and one they go through twice is
//! two. Pure: the zone is a value the request layer read.

use jiff::civil::Date;
use jiff::tz::TimeZone;

/// A compounding date and time in a zone, resolved to one instant (SPEC §11.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Local {
    /// The time occurs once on that date.
    Once,
    /// The time occurs twice (the clocks go back): the earlier instant is used, which
    /// `jiff`'s compatible disambiguation picks too, and this names both.
    Twice {
        /// The earlier instant.
        earlier: jiff::ZonedDateTime,
        /// The later one.
        later: jiff::ZonedDateTime,
    },
    /// The time does not exist (the clocks go forward over it).
    Skipped {
        /// The first minute after it that exists, on the clock of that zone.
        next: jiff::civil::DateTime,
    },
}

/// How `time` on `date` falls in `zone`: once, twice or never.
pub(crate) fn resolve(date: Date, time: jiff::civil::Time, zone: &TimeZone) -> Local {
    use jiff::tz::AmbiguousOffset;
    let dt = date.to_datetime(time);
    let ambiguous = zone.to_ambiguous_zoned_datetime(dt);
    match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { .. } => Local::Once,
        AmbiguousOffset::Fold { before, after } => {
            let at =
                |o: jiff::tz::Offset| o.to_timestamp(dt).ok().map(|ts| ts.to_zoned_datetime(zone.clone()));
            match (at(before), at(after)) {
                (Some(earlier), Some(later)) => Local::Twice { earlier, later },
                _ => Local::Once,
            }
        }
        AmbiguousOffset::Gap { after, .. } => {
            // On the clock after the gap, `dt` names an instant before the change; the
            // change itself is the first instant of the new clock.
            let from = after.to_timestamp(dt).ok();
            let change = from.and_then(|ts| zone.following(ts).next()).map(|t| t.timestamp());
            let next = change
                .map(|ts| ts.to_zoned_datetime(zone.clone()).datetime())
                .map(|d| match d.round(jiff::Unit::Minute) {
                    Ok(r) if r < d => r.checked_add(jiff::SignedDuration::from_mins(1)).unwrap_or(r),
                    Ok(r) => r,
                    Err(_) => d,
                })
                .or_else(|| ambiguous.compatible().ok().map(|z| z.datetime()))
                .unwrap_or(dt);
            Local::Skipped { next }
        }
    }
}

/// How a message names `zone`: its IANA name, or "the local time zone".
pub(crate) fn zone_name(zone: &TimeZone) -> String {
    match zone.iana_name() {
        Some(name) => name.to_string(),
        None => "the local time zone".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_that_are_skipped_or_repeated() {
        let ny = TimeZone::get("America/New_York").unwrap();
        let d = |y, m, day| jiff::civil::date(y, m, day);
        let t = |h, m| jiff::civil::time(h, m, 0, 0);
        assert_eq!(resolve(d(2026, 3, 8), t(1, 59), &ny), Local::Once);
        assert_eq!(resolve(d(2026, 3, 8), t(3, 0), &ny), Local::Once);
        for skipped in [t(2, 0), t(2, 30), t(2, 59)] {
            assert_eq!(
                resolve(d(2026, 3, 8), skipped, &ny),
                Local::Skipped { next: d(2026, 3, 8).to_datetime(t(3, 0)) },
                "{skipped}"
            );
        }
        let Local::Twice { earlier, later } = resolve(d(2026, 11, 1), t(1, 30), &ny) else { panic!() };
        assert_eq!((earlier.offset().seconds(), later.offset().seconds()), (-4 * 3600, -5 * 3600));
        assert_eq!(later.timestamp().duration_since(earlier.timestamp()).as_hours(), 1);
        assert_eq!(resolve(d(2026, 11, 1), t(2, 0), &ny), Local::Once);
        // A POSIX zone has the same changes.
        let posix = TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").unwrap();
        assert!(matches!(resolve(d(2026, 3, 8), t(2, 30), &posix), Local::Skipped { .. }));
        assert!(matches!(resolve(d(2026, 11, 1), t(1, 30), &posix), Local::Twice { .. }));
        assert_eq!(resolve(d(2026, 3, 8), t(2, 30), &TimeZone::UTC), Local::Once);
        assert_eq!(zone_name(&ny), "America/New_York");
        assert_eq!(zone_name(&posix), "the local time zone");
    }
}
