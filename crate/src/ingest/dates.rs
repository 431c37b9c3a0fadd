//! Dates as platforms show them. STUB: to be written.

use jiff::civil::Date;

/// The UTC date of a Unix timestamp in seconds.
pub fn from_unix(secs: i64) -> Option<Date> {
    let ts = jiff::Timestamp::from_second(secs).ok()?;
    Some(ts.to_zoned(jiff::tz::TimeZone::UTC).date())
}
