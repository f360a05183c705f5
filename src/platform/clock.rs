//! The only place the app reads the clock. The domain is given the result.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::time::{office_date, office_datetime};

/// UTC milliseconds since 1970: the browser's clock, or natively (pre-rendering) the system's.
pub fn now_millis() -> i64 {
    #[cfg(target_arch = "wasm32")]
    let now = js_sys::Date::now() as i64;
    #[cfg(not(target_arch = "wasm32"))]
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as i64);
    now
}

/// Today at the office (Asia/Ho_Chi_Minh), whatever zone the device is set to.
pub fn office_today() -> NaiveDate {
    // UTC milliseconds; an out-of-range value cannot come from a real clock.
    office_date(now_millis()).unwrap_or_default()
}

/// The office's current wall-clock time.
pub fn office_now() -> NaiveDateTime {
    office_datetime(now_millis()).unwrap_or_default()
}

/// Now in UTC (for a calendar file's DTSTAMP).
pub fn utc_now() -> NaiveDateTime {
    chrono::DateTime::from_timestamp_millis(now_millis())
        .map(|t| t.naive_utc())
        .unwrap_or_default()
}
