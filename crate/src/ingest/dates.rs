//! Dates as platforms and spreadsheets show them, read into a UTC calendar date.
//!
//! One parser for every date cell, HTML or CSV: month-name forms (`Oct 15, 2023`, `15 Oct 2023`),
//! ISO dates and timestamps (offsets are converted to UTC first), `10/15/2023` (US, as Excel
//! writes it), `15.10.2023`, Unix seconds and milliseconds, relative forms (`3 days ago`) against
//! the report's "today", and the words that mean "never" or "unknown". The answer keeps "never"
//! and "unknown" apart; text that is none of these is `None`, so the caller can warn with the
//! row and column rather than guess.

use std::cell::Cell;

use jiff::civil::Date;
use jiff::{Span, Timestamp};

/// What a date cell said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parsed {
    Date(Date),
    /// `Never`: a fact (never used, never expires).
    Never,
    /// Empty, a dash, `Unknown`: nothing is known.
    Unknown,
}

/// The UTC date of a Unix timestamp in seconds.
pub fn from_unix(secs: i64) -> Option<Date> {
    // Every day from 1970 to 9999 by arithmetic (a cost export has a million of them); jiff
    // for the rest, and to say which seconds are out of its range.
    if (0..=MAX_SECOND).contains(&secs) {
        let days = secs / 86_400;
        // The days converted last, by day number: a cost export names a few dozen days a
        // million times (the arithmetic was ~5% of the rows' thread).
        let recent = |days_seen: &[Cell<(i64, Option<Date>)>; RECENT]| {
            let Some(slot) = days_seen.get(days.unsigned_abs() as usize % RECENT) else {
                return civil_from_days(days);
            };
            match slot.get() {
                (seen, date) if seen == days => date,
                _ => {
                    let date = civil_from_days(days);
                    slot.set((days, date));
                    date
                }
            }
        };
        return DAYS
            .try_with(recent)
            .unwrap_or_else(|_| civil_from_days(days));
    }
    let ts = Timestamp::from_second(secs).ok()?;
    Some(ts.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// Days kept by [`from_unix`], per thread (a slot per day number modulo this).
const RECENT: usize = 64;

thread_local! {
    /// (day number since 1970, its date) of the days [`from_unix`] converted last; -1: none.
    static DAYS: [Cell<(i64, Option<Date>)>; RECENT] =
        const { [const { Cell::new((-1, None)) }; RECENT] };
}

/// 9999-01-01T00:00:00Z: well inside jiff's range (which ends late on 9999-12-30), so every
/// second up to it is a day jiff would give too.
const MAX_SECOND: i64 = 253_370_764_800;

/// The proleptic Gregorian date `days` after 1970-01-01 (`days` ≥ 0): Howard Hinnant's
/// `civil_from_days`, in 400-year eras.
fn civil_from_days(days: i64) -> Option<Date> {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

/// The UTC date of a Unix timestamp in milliseconds.
pub fn from_unix_millis(ms: i64) -> Option<Date> {
    let ts = Timestamp::from_millisecond(ms).ok()?;
    Some(ts.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// Reads one date cell. `None` when the text is not a date this parser knows.
pub fn parse(text: &str, as_of: Date) -> Option<Parsed> {
    let t = crate::ingest::table::values::trim(text);
    let t = t.trim_matches('\u{a0}').trim();
    // The platform's own form, on every row's Created and Last used.
    if let Some(d) = short_month_day_year(t) {
        return Some(Parsed::Date(d));
    }
    // Unix seconds (a cost export's `start_time`), without the lower-casing and the word forms
    // below: digits are none of those words, and not ISO (no `-` after four digits).
    if matches!(t.len(), 9 | 10) && t.bytes().all(|c| c.is_ascii_digit()) {
        if let Some(d) = t.parse().ok().and_then(from_unix) {
            return Some(Parsed::Date(d));
        }
    }
    // Lower-cased on the stack when short and ASCII (every date of a page's rows, asked per
    // cell): the same text `to_lowercase` gives, without an allocation.
    let mut buf = [0u8; 40];
    let owned;
    let lower: &str = match buf.get_mut(..t.len()) {
        Some(b) if t.is_ascii() => {
            b.copy_from_slice(t.as_bytes());
            b.make_ascii_lowercase();
            std::str::from_utf8(b).unwrap_or_default()
        }
        _ => {
            owned = t.to_lowercase();
            &owned
        }
    };
    match lower {
        "" | "-" | "—" | "–" | "unknown" | "n/a" | "na" | "none" | "null" | "?" => {
            return Some(Parsed::Unknown)
        }
        "never" | "never used" | "not used" | "not yet used" | "never expires" | "no expiry"
        | "no expiration" => return Some(Parsed::Never),
        _ => {}
    }
    if let Some(d) = relative(lower, as_of) {
        return Some(Parsed::Date(d));
    }
    iso(t)
        .or_else(|| unix(t))
        .or_else(|| numeric(t))
        .or_else(|| month_name(lower))
        .map(Parsed::Date)
}

/// `2023-10-15`, `2023-10-15T13:22:05Z`, `2023-10-15T13:22:05.123+02:00`, `2023-10-15 13:22:05`.
fn iso(t: &str) -> Option<Date> {
    let b = t.as_bytes();
    if b.len() < 10 || !b.get(..4)?.iter().all(u8::is_ascii_digit) || b.get(4) != Some(&b'-') {
        return None;
    }
    if t.len() == 10 {
        return t.parse::<Date>().ok();
    }
    // A timestamp with an offset or `Z` names an instant: its UTC date is what the platform
    // means (the dashboards and exports work in UTC).
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Some(ts.to_zoned(jiff::tz::TimeZone::UTC).date());
    }
    let normalized = t.replacen(' ', "T", 1);
    if let Ok(ts) = normalized.parse::<Timestamp>() {
        return Some(ts.to_zoned(jiff::tz::TimeZone::UTC).date());
    }
    if let Ok(dt) = normalized.parse::<jiff::civil::DateTime>() {
        return Some(dt.date());
    }
    t.get(..10)?.parse::<Date>().ok().filter(|_| {
        // Only a date followed by a time-like rest, not `2023-10-155`.
        matches!(b.get(10), Some(b'T' | b' '))
    })
}

/// Unix seconds (9–10 digits, optionally `.0`) and milliseconds (12–13 digits).
fn unix(t: &str) -> Option<Date> {
    let int = t.strip_suffix(".0").unwrap_or(t);
    if !int.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: i64 = int.parse().ok()?;
    match int.len() {
        9 | 10 => from_unix(n),
        12 | 13 => from_unix_millis(n),
        _ => None,
    }
}

/// `10/15/2023` (US; day first only when the first part cannot be a month) and `15.10.2023`.
fn numeric(t: &str) -> Option<Date> {
    let (sep, day_first) = if t.contains('/') {
        ('/', false)
    } else if t.contains('.') {
        ('.', true)
    } else {
        return None;
    };
    // Excel may append a time: `10/15/2023 13:22`.
    let date_part = t.split_whitespace().next()?;
    let parts: Vec<&str> = date_part.split(sep).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let a: i8 = a.parse().ok()?;
    let b: i8 = b.parse().ok()?;
    let y: i16 = match y.len() {
        4 => y.parse().ok()?,
        2 => 2000 + y.parse::<i16>().ok()?,
        _ => return None,
    };
    let (month, day) = if day_first || a > 12 { (b, a) } else { (a, b) };
    Date::new(y, month, day).ok()
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// `Oct 20, 2025` in any case (a month's three letters, a day of one or two digits, a comma and
/// a year of four), read from its bytes: the date [`month_name`] reads from it, without the
/// lower-casing, the split into words and the other forms tried before it (900 instructions a
/// date, 20,000 dates on a 5,000-key page). `None` for any other text.
fn short_month_day_year(t: &str) -> Option<Date> {
    let digit = |c: &u8| c.is_ascii_digit().then(|| c - b'0');
    let [m1, m2, m3, b' ', rest @ ..] = t.as_bytes() else {
        return None;
    };
    let (day, year) = match rest {
        [d, b',', b' ', year @ ..] => (digit(d)?, year),
        [d1, d2, b',', b' ', year @ ..] => (digit(d1)? * 10 + digit(d2)?, year),
        _ => return None,
    };
    let [_, _, _, _] = year else {
        return None;
    };
    let year = year
        .iter()
        .try_fold(0i16, |n, c| Some(n * 10 + i16::from(digit(c)?)))?;
    let month = [*m1, *m2, *m3].map(|c| c.to_ascii_lowercase());
    let month = MONTHS.iter().position(|m| m.as_bytes() == month)? + 1;
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

fn month_number(word: &str) -> Option<i8> {
    if word.len() < 3 {
        return None;
    }
    let w = if word == "sept" { "sep" } else { word };
    let pos = MONTHS.iter().position(|m| w.starts_with(m))?;
    // `march` and `mar` but not `marble`: the word must be a prefix of the full name.
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let full = FULL.get(pos)?;
    (full.starts_with(w) || word == "sept").then_some(pos as i8 + 1)
}

/// `Oct 15, 2023`, `October 15, 2023`, `15 Oct 2023`, `Oct 15, 2023, 1:22 PM`, `Sun, 15 Oct 2023`.
fn month_name(lower: &str) -> Option<Date> {
    let tokens = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '/')
        .filter(|s| !s.is_empty());
    let mut month = None;
    let mut day = None;
    let mut year = None;
    for tok in tokens {
        let word = tok.trim_end_matches('.');
        if word.contains(':') {
            break; // the time of day follows; nothing after it is part of the date
        }
        if let Some(m) = month_number(word) {
            if month.is_some() {
                return None;
            }
            month = Some(m);
        } else if word.bytes().all(|c| c.is_ascii_digit()) {
            let n: i32 = word.parse().ok()?;
            if word.len() == 4 && year.is_none() {
                year = Some(n);
            } else if word.len() <= 2 && day.is_none() {
                day = Some(n);
            } else {
                return None;
            }
        } else {
            // Ordinal days (`15th`), weekday names and `at`/`utc` are tolerated.
            let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            if !digits.is_empty()
                && digits.len() <= 2
                && day.is_none()
                && digits.bytes().all(|c| c.is_ascii_digit())
            {
                day = Some(digits.parse().ok()?);
            }
        }
    }
    let (m, d, y) = (month?, day?, year?);
    Date::new(i16::try_from(y).ok()?, m, i8::try_from(d).ok()?).ok()
}

/// `today`, `yesterday`, `just now`, `3 days ago`, `a month ago`, `2 weeks ago`, `an hour ago`,
/// `in 40 days`.
fn relative(lower: &str, as_of: Date) -> Option<Date> {
    match lower {
        "today" | "just now" | "now" => return Some(as_of),
        "yesterday" => return as_of.yesterday().ok(),
        _ => {}
    }
    // `3 days ago` counts back; `in 3 days` (an expiry) counts forward.
    let (rest, forward) = match lower.strip_suffix(" ago") {
        Some(r) => (r.trim(), false),
        None => (lower.strip_prefix("in ")?.trim(), true),
    };
    let (count, unit) = rest.split_once(' ')?;
    let n: i64 = match count {
        "a" | "an" | "one" => 1,
        _ => count.parse().ok()?,
    };
    let unit = unit.trim().trim_end_matches('s');
    let span = match unit {
        "second" | "sec" | "minute" | "min" | "hour" | "hr" => return Some(as_of),
        "day" => Span::new().try_days(n).ok()?,
        "week" => Span::new().try_weeks(n).ok()?,
        "month" => Span::new().try_months(n).ok()?,
        "year" | "yr" => Span::new().try_years(n).ok()?,
        _ => return None,
    };
    if forward {
        as_of.checked_add(span).ok()
    } else {
        as_of.checked_sub(span).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const AS_OF: Date = date(2026, 11, 22);

    fn d(text: &str) -> Option<Parsed> {
        parse(text, AS_OF)
    }

    fn day(y: i16, m: i8, dd: i8) -> Option<Parsed> {
        Some(Parsed::Date(date(y, m, dd)))
    }

    #[test]
    fn month_name_forms() {
        assert_eq!(d("Oct 15, 2023"), day(2023, 10, 15));
        assert_eq!(d("October 15, 2023"), day(2023, 10, 15));
        assert_eq!(d("15 Oct 2023"), day(2023, 10, 15));
        assert_eq!(d("Sept 3, 2024"), day(2024, 9, 3));
        assert_eq!(d("Oct 15, 2023, 1:22 PM"), day(2023, 10, 15));
        assert_eq!(d("Sun, 15 Oct 2023"), day(2023, 10, 15));
        assert_eq!(d("March 1st, 2025"), day(2025, 3, 1));
    }

    /// The platform's `Oct 20, 2025`, read from its bytes, is the date the general reader of
    /// month names gives, for every month in any case, every one- or two-digit day (the
    /// impossible ones give nothing) and years from 0001 to 9999; other shapes are left to it.
    #[test]
    fn the_short_form_reads_as_month_names_do() {
        let mut read = 0;
        for m in MONTHS {
            for month in [
                m.to_string(),
                m.to_uppercase(),
                format!("{}{}", &m[..1].to_uppercase(), &m[1..]),
            ] {
                for day in (0..=32)
                    .map(|d| d.to_string())
                    .chain(["00", "01", "09", "29", "31", "99"].map(String::from))
                {
                    for year in ["0001", "1999", "2024", "2025", "9999"] {
                        let text = format!("{month} {day}, {year}");
                        let fast = short_month_day_year(&text);
                        assert_eq!(fast, month_name(&text.to_lowercase()), "{text}");
                        read += usize::from(fast.is_some());
                    }
                }
            }
        }
        assert!(read > 12 * 3 * 28 * 5, "{read}");
        for other in [
            "Sept 3, 2024",
            "Oct 15 2023",
            "Oct 15, 23",
            "Oct 15, 2023, 1:22 PM",
            "Oct  5, 2025",
            "Octo 5, 2025",
            "Oct 5, 20255",
            "Oct ５, 2025",
        ] {
            assert_eq!(short_month_day_year(other), None, "{other}");
        }
        assert_eq!(d("Sept 3, 2024"), day(2024, 9, 3));
        assert_eq!(d(" oct 20, 2025\u{a0}"), day(2025, 10, 20));
    }

    #[test]
    fn words_read_alike_in_any_case_short_or_long_ascii_or_not() {
        // Up to 40 ASCII bytes are lower-cased on the stack; longer or non-ASCII text is not.
        assert_eq!(d("NEVER USED"), Some(Parsed::Never));
        assert_eq!(d("OCT 15, 2023"), day(2023, 10, 15));
        let long = "Sunday, October 15th, 2023, at 1:22:05 PM UTC";
        assert!(long.len() > 40);
        assert_eq!(d(long), day(2023, 10, 15));
        assert_eq!(d("Oct\u{a0}15,\u{2009}2023"), day(2023, 10, 15));
        assert_eq!(d("N/A"), Some(Parsed::Unknown));
    }

    #[test]
    fn iso_forms_become_utc_dates() {
        assert_eq!(d("2023-10-15"), day(2023, 10, 15));
        assert_eq!(d("2023-10-15T13:22:05Z"), day(2023, 10, 15));
        assert_eq!(d("2023-10-15T23:30:00-02:00"), day(2023, 10, 16));
        assert_eq!(d("2023-10-15T01:30:00.123456+05:00"), day(2023, 10, 14));
        assert_eq!(d("2023-10-15 13:22:05"), day(2023, 10, 15));
        assert_eq!(d("2026-09-28T00:00:00"), day(2026, 9, 28));
        assert_eq!(d("2026-09-27T00:00:00+00:00"), day(2026, 9, 27));
    }

    #[test]
    fn numeric_forms() {
        assert_eq!(d("10/15/2023"), day(2023, 10, 15));
        assert_eq!(d("10/15/2023 13:22"), day(2023, 10, 15));
        assert_eq!(d("15/10/2023"), day(2023, 10, 15));
        assert_eq!(d("15.10.2023"), day(2023, 10, 15));
        assert_eq!(d("1697376125"), day(2023, 10, 15));
        assert_eq!(d("1697376125000"), day(2023, 10, 15));
        assert_eq!(d("1790467200"), day(2026, 9, 27));
    }

    #[test]
    fn unix_days_by_arithmetic_are_jiffs() {
        let jiff = |s: i64| {
            Timestamp::from_second(s)
                .ok()
                .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
        };
        let mut secs: Vec<i64> = (0..200_000).map(|d| d * 86_400).collect();
        secs.extend((0..200_000).map(|d| d * 86_400 - 1));
        secs.extend([1, 951_782_400, 4_107_542_400, MAX_SECOND - 1, MAX_SECOND]);
        secs.extend((0..100_000).map(|i: i64| i.wrapping_mul(2_534_023_007) % MAX_SECOND));
        for s in secs {
            assert_eq!(from_unix(s), jiff(s), "{s}");
        }
        assert_eq!(from_unix(MAX_SECOND + 1), jiff(MAX_SECOND + 1));
        assert_eq!(from_unix(-1), jiff(-1));
        assert_eq!(d("0999999999"), day(2001, 9, 9));
        assert_eq!(d(" 1786924800 "), day(2026, 8, 17));
    }

    #[test]
    fn never_and_unknown_stay_apart() {
        assert_eq!(d("Never"), Some(Parsed::Never));
        assert_eq!(d(" never "), Some(Parsed::Never));
        for t in ["", "—", "-", "–", "Unknown", "N/A"] {
            assert_eq!(d(t), Some(Parsed::Unknown), "{t:?}");
        }
    }

    #[test]
    fn relative_forms_count_back_from_as_of() {
        assert_eq!(d("today"), day(2026, 11, 22));
        assert_eq!(d("Yesterday"), day(2026, 11, 21));
        assert_eq!(d("3 days ago"), day(2026, 11, 19));
        assert_eq!(d("a month ago"), day(2026, 10, 22));
        assert_eq!(d("2 weeks ago"), day(2026, 11, 8));
        assert_eq!(d("an hour ago"), day(2026, 11, 22));
        assert_eq!(d("1 year ago"), day(2025, 11, 22));
        assert_eq!(d("in 40 days"), day(2027, 1, 1));
        assert_eq!(d("in a month"), day(2026, 12, 22));
    }

    #[test]
    fn garbage_is_not_a_date() {
        for t in [
            "soon",
            "13/13/2023",
            "2023-13-45",
            "Oct 2023",
            "12345",
            "in a while",
            "99999999999999999999 days ago",
            "Febtober 3, 2024",
        ] {
            assert_eq!(d(t), None, "{t:?}");
        }
    }
}
