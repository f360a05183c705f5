//! The only place the app reads the clock. The domain is given the result.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::time::{office_date, office_datetime};

/// Today at the office (Asia/Ho_Chi_Minh), whatever zone the device is set to.
pub fn office_today() -> NaiveDate {
    // Date.now() is UTC milliseconds; an out-of-range value cannot come from a real clock.
    office_date(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The office's current wall-clock time.
pub fn office_now() -> NaiveDateTime {
    office_datetime(js_sys::Date::now() as i64).unwrap_or_default()
}

/// Now in UTC (for a calendar file's DTSTAMP).
pub fn utc_now() -> NaiveDateTime {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64)
        .map(|t| t.naive_utc())
        .unwrap_or_default()
}
