//! Beyond-use date and time of an infusion (SPEC §8.4, USP <797> 2023, DOMAIN §7.4): each
//! row of the table, across midnight, a year end and the clock changes, and capped by a
//! component's expiry. Dates are worked out by hand in each comment.

use serde_json::{Value, json};

use crate::iv::{BASE, batch, iv, json_at, run_tz};

/// The infusion of [`BASE`] with its USP <797> keys replaced by `sterile` and its storage
/// by `storage`.
fn sterile(sterile: &str, storage: &str) -> String {
    iv(&[
        ("sterile_category = \"1\"", sterile),
        ("storage = \"room-temperature\"", &format!("storage = \"{storage}\"")),
    ])
}

/// `bud` of a batch compounded at `date` `time` in UTC.
fn bud(text: &str, date: &str, time: &str, args: &[&str]) -> Value {
    let mut all = vec!["--weight", "70kg"];
    all.extend_from_slice(args);
    json_at(text, date, time, &all)["bud"].clone()
}

/// `{"date", "time", "days": null, "hours": H, "rule", "limited_by": null, "minutes": 60 H}`
/// (hours are elapsed time, so `minutes` is 60 × H even across a clock change).
fn hours(date: &str, time: &str, h: i32, rule: &str) -> Value {
    json!({"date": date, "time": time, "days": null, "hours": h, "rule": rule, "limited_by": null, "minutes": 60 * h})
}

/// `{"date", "time", "days": D, "hours": null, "rule": "usp797-category-2", "limited_by":
/// null, "minutes": 1440 D}` (in UTC, where every day has 1440 minutes).
fn days(date: &str, time: &str, d: i32) -> Value {
    json!({"date": date, "time": time, "days": d, "hours": null, "rule": "usp797-category-2", "limited_by": null, "minutes": 1440 * d})
}

const CAT2: &str = "sterile_category = \"2\"";

/// Immediate use: 4 hours at room temperature and in the refrigerator; 09:00 → 13:00.
/// Category 1: 12 hours at room temperature (09:00 → 21:00), 24 in the refrigerator
/// (→ 09:00 the next day).
#[test]
fn immediate_use_and_category_1() {
    let iu = "sterile_category = \"immediate-use\"";
    for storage in ["room-temperature", "refrigerator"] {
        assert_eq!(
            bud(&sterile(iu, storage), "2026-11-26", "09:00", &[]),
            hours("2026-11-26", "13:00", 4, "usp797-immediate-use"),
            "{storage}"
        );
    }
    assert_eq!(
        bud(&sterile("sterile_category = \"1\"", "room-temperature"), "2026-11-26", "09:00", &[]),
        hours("2026-11-26", "21:00", 12, "usp797-category-1")
    );
    assert_eq!(
        bud(&sterile("sterile_category = \"1\"", "refrigerator"), "2026-11-26", "09:00", &[]),
        hours("2026-11-27", "09:00", 24, "usp797-category-1")
    );
}

/// Category 2 (USP <797> table 13), each row at room temperature, refrigerator and freezer,
/// from 2026-11-26 09:00; a BUD in days keeps the compounding time. November has 30 days:
/// +1 = 11-27, +4 = 11-30, +10 = 12-06, +14 = 12-10, +28 = 12-24, +30 = 12-26, +45 =
/// 2027-01-10 (4 to Nov 30, 31 to Dec 31, 10 more), +60 = 2027-01-25, +90 = 2027-02-24
/// (+30 from Jan 25).
#[test]
fn category_2_table() {
    let rows: [(&str, [(&str, i32); 3]); 6] = [
        (
            "sterile_method = \"aseptic\"\nstarting = \"nonsterile\"",
            [("2026-11-27", 1), ("2026-11-30", 4), ("2027-01-10", 45)],
        ),
        (
            "sterile_method = \"aseptic\"\nstarting = \"nonsterile\"\nsterility_tested = false",
            [("2026-11-27", 1), ("2026-11-30", 4), ("2027-01-10", 45)],
        ),
        (
            "sterile_method = \"aseptic\"\nstarting = \"sterile\"",
            [("2026-11-30", 4), ("2026-12-06", 10), ("2027-01-10", 45)],
        ),
        (
            "sterile_method = \"aseptic\"\nsterility_tested = true",
            [("2026-12-26", 30), ("2027-01-10", 45), ("2027-01-25", 60)],
        ),
        ("sterile_method = \"terminal\"", [("2026-12-10", 14), ("2026-12-24", 28), ("2027-01-10", 45)]),
        (
            "sterile_method = \"terminal\"\nsterility_tested = true",
            [("2027-01-10", 45), ("2027-01-25", 60), ("2027-02-24", 90)],
        ),
    ];
    for (keys, expected) in rows {
        for (storage, (date, n)) in ["room-temperature", "refrigerator", "freezer"].into_iter().zip(expected)
        {
            let text = sterile(&format!("{CAT2}\n{keys}"), storage);
            assert_eq!(bud(&text, "2026-11-26", "09:00", &[]), days(date, "09:00", n), "{keys} / {storage}");
        }
    }
}

/// 12 hours from 20:00 end at 08:00 the next day; from 2026-12-31 20:00, at 2027-01-01
/// 08:00. A category 2 BUD of 14 days (terminally sterilized, room temperature) from
/// 2026-12-25 10:00 is 2027-01-08 10:00 (6 days to Dec 31, 8 more).
#[test]
fn across_midnight_and_a_year_end() {
    let cat1 = sterile("sterile_category = \"1\"", "room-temperature");
    assert_eq!(bud(&cat1, "2026-11-26", "20:00", &[]), hours("2026-11-27", "08:00", 12, "usp797-category-1"));
    assert_eq!(bud(&cat1, "2026-12-31", "20:00", &[]), hours("2027-01-01", "08:00", 12, "usp797-category-1"));
    let terminal = sterile(&format!("{CAT2}\nsterile_method = \"terminal\""), "room-temperature");
    assert_eq!(bud(&terminal, "2026-12-25", "10:00", &[]), days("2027-01-08", "10:00", 14));
    // The worksheet prints the date and time, and that hours are elapsed time.
    let r = batch(&cat1, &["--weight", "70kg", "--date", "2026-12-31", "--time", "20:00", "--width", "100"]);
    assert!(r.stdout.contains("2027-01-01 08:00 (12 hours after compounding)"), "{}", r.stdout);
    assert!(r.stdout.contains("hours of elapsed time"), "{}", r.stdout);
}

/// `bud` of a batch compounded at `date` `time` in America/New_York.
fn new_york(text: &str, date: &str, time: &str) -> Value {
    let r = run_tz(
        "America/New_York",
        text,
        &["batch", "{f}", "--format", "json", "--weight", "70kg", "--date", date, "--time", time],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json()["bud"].clone()
}

/// Hours are elapsed time across a clock change (America/New_York, 2026). On 2026-03-08
/// the clocks go from 02:00 EST to 03:00 EDT: 12 hours from 2026-03-07 20:00 EST end at
/// 08:00 EST = 09:00 EDT; from 01:00 EST, at 13:00 EST = 14:00 EDT; 4 hours (immediate use)
/// from 00:30 EST end at 04:30 EST = 05:30 EDT. On 2026-11-01 the clocks go from 02:00 EDT
/// back to 01:00 EST: 12 hours from 2026-10-31 20:00 EDT end at 08:00 EDT = 07:00 EST; 24
/// hours (refrigerated) from 2026-10-31 09:00 EDT end at 2026-11-01 08:00 EST. Days are
/// calendar days at the compounding time: 14 days from 2026-03-01 09:00 EST are 2026-03-15
/// 09:00 EDT (13 × 24 + 23 hours later).
#[test]
fn hours_are_elapsed_time_across_a_clock_change() {
    let cat1 = sterile("sterile_category = \"1\"", "room-temperature");
    let rule = "usp797-category-1";
    assert_eq!(new_york(&cat1, "2026-03-07", "20:00"), hours("2026-03-08", "09:00", 12, rule));
    assert_eq!(new_york(&cat1, "2026-03-08", "01:00"), hours("2026-03-08", "14:00", 12, rule));
    let iu = sterile("sterile_category = \"immediate-use\"", "room-temperature");
    assert_eq!(new_york(&iu, "2026-03-08", "00:30"), hours("2026-03-08", "05:30", 4, "usp797-immediate-use"));
    assert_eq!(new_york(&cat1, "2026-10-31", "20:00"), hours("2026-11-01", "07:00", 12, rule));
    let fridge = sterile("sterile_category = \"1\"", "refrigerator");
    assert_eq!(new_york(&fridge, "2026-10-31", "09:00"), hours("2026-11-01", "08:00", 24, rule));
    let terminal = sterile(&format!("{CAT2}\nsterile_method = \"terminal\""), "room-temperature");
    // `minutes` is the elapsed time: 13 × 24 + 23 hours = 20100 minutes.
    let mut fourteen = days("2026-03-15", "09:00", 14);
    fourteen["minutes"] = 20100.into();
    assert_eq!(new_york(&terminal, "2026-03-01", "09:00"), fourteen);
    // The same 12 hours in UTC, which has no clock change, end at 08:00 both times.
    assert_eq!(bud(&cat1, "2026-03-07", "20:00", &[]), hours("2026-03-08", "08:00", 12, rule));
    assert_eq!(bud(&cat1, "2026-10-31", "20:00", &[]), hours("2026-11-01", "08:00", 12, rule));
}

/// An expiry date means the end of that day. A component expiring on the compounding day
/// is allowed; when its day ends (23:59) before the BUD it caps the BUD there and names the
/// component: 12 hours from 20:00 would end at 08:00 the next day, so an expiry that day
/// caps the BUD at 23:59 (3 whole hours and 59 minutes after compounding). From 09:00 the
/// BUD, 21:00, comes before the expiry's 23:59: not capped. A component expiring the day
/// before is refused.
#[test]
fn an_expiry_caps_the_bud_at_the_end_of_its_day() {
    let cat1 = BASE;
    let capped = bud(cat1, "2026-11-26", "20:00", &["--expiry", "ketamine=2026-11-26"]);
    assert_eq!(capped["date"], "2026-11-26");
    assert_eq!(capped["time"], "23:59");
    assert_eq!(capped["limited_by"], "ketamine");
    assert_eq!(capped["rule"], "usp797-category-1");
    assert_eq!(capped["days"], Value::Null);
    assert!(capped["hours"].is_number(), "{capped}");
    // The vehicle's lot can limit it too; the earliest expiry wins.
    let capped = bud(
        cat1,
        "2026-11-26",
        "20:00",
        &["--expiry", "ketamine=2026-11-27", "--expiry", "sodium-chloride-0.9=2026-11-26"],
    );
    assert_eq!(
        (capped["date"].as_str(), capped["limited_by"].as_str()),
        (Some("2026-11-26"), Some("sodium-chloride-0.9"))
    );
    // The next day ends after 08:00: not capped.
    let not = bud(cat1, "2026-11-26", "20:00", &["--expiry", "ketamine=2026-11-27"]);
    assert_eq!(not, hours("2026-11-27", "08:00", 12, "usp797-category-1"));
    let not = bud(cat1, "2026-11-26", "09:00", &["--expiry", "ketamine=2026-11-26"]);
    assert_eq!(not, hours("2026-11-26", "21:00", 12, "usp797-category-1"));
    let r = batch(
        cat1,
        &["--weight", "70kg", "--date", "2026-11-26", "--time", "09:00", "--expiry", "ketamine=2026-11-25"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("error: `ketamine` expires on 2026-11-25"), "{}", r.stderr);
    // The worksheet names the limiting component.
    let r = batch(
        cat1,
        &[
            "--weight",
            "70kg",
            "--date",
            "2026-11-26",
            "--time",
            "20:00",
            "--expiry",
            "ketamine=2026-11-26",
            "--width",
            "100",
        ],
    );
    assert!(r.stdout.contains("2026-11-26 23:59"), "{}", r.stdout);
    assert!(r.stdout.contains("limited by the expiry of ketamine"), "{}", r.stdout);
}

/// A BUD in days capped by an expiry: 14 days from 2026-12-25 would be 2027-01-08; an
/// expiry on 2027-01-05 caps it at 2027-01-05 23:59, 11 days after compounding.
#[test]
fn an_expiry_caps_a_bud_in_days() {
    let terminal = sterile(&format!("{CAT2}\nsterile_method = \"terminal\""), "room-temperature");
    let b = bud(&terminal, "2026-12-25", "10:00", &["--expiry", "ketamine=2027-01-05"]);
    assert_eq!(
        b,
        // 11 days and 13 h 59 min from 2026-12-25 10:00: 11 × 1440 + 839 = 16679 minutes.
        json!({"date": "2027-01-05", "time": "23:59", "days": 11, "hours": null, "rule": "usp797-category-2", "limited_by": "ketamine", "minutes": 16679})
    );
}

/// A storage with no entry in its row: a freezer for immediate use or category 1 is a
/// `validate` error at `storage`, and `batch` refuses the formula.
#[test]
fn a_freezer_for_category_1_is_a_validate_error() {
    for category in ["sterile_category = \"1\"", "sterile_category = \"immediate-use\""] {
        let text = sterile(category, "freezer");
        let r = run_tz("UTC", &text, &["validate", "{f}", "--format", "json"]);
        assert_eq!(r.code, 1, "{}", r.stdout);
        let doc = r.json();
        let d = &doc["diagnostics"][0];
        assert_eq!(
            (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
            (Some("sterile-storage"), Some(7), Some(11)),
            "{doc}"
        );
        let r = batch(&text, &["--weight", "70kg", "--date", "2026-11-26", "--time", "09:00"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains("iv.toml:7:11"), "{}", r.stderr);
    }
}
