//! The office's calendar. Vietnam keeps UTC+7 all year (no daylight saving), so the office date
//! is computed from a UTC instant the caller passes in; the device's own zone never matters.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta};

/// Asia/Ho_Chi_Minh.
pub const OFFICE_UTC_OFFSET_MINUTES: i64 = 7 * 60;

/// The office's wall-clock time at a UTC instant given as milliseconds since the Unix epoch.
pub fn office_datetime(unix_millis: i64) -> Option<NaiveDateTime> {
    let utc = DateTime::from_timestamp_millis(unix_millis)?.naive_utc();
    utc.checked_add_signed(TimeDelta::minutes(OFFICE_UTC_OFFSET_MINUTES))
}

/// The office's calendar date at that instant.
pub fn office_date(unix_millis: i64) -> Option<NaiveDate> {
    office_datetime(unix_millis).map(|t| t.date())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Guards against using the device's zone: 17:30 UTC on 31 Dec is already New Year in Hà Nội.
    #[test]
    fn office_date_turns_at_midnight_vietnam_time() {
        let dec31_1659_utc = 1_798_736_340_000; // 2026-12-31T16:59:00Z
        let dec31_1700_utc = dec31_1659_utc + 60_000; // 2026-12-31T17:00:00Z = 2027-01-01 00:00 ICT
        assert_eq!(
            office_date(dec31_1659_utc),
            NaiveDate::from_ymd_opt(2026, 12, 31)
        );
        assert_eq!(
            office_date(dec31_1700_utc),
            NaiveDate::from_ymd_opt(2027, 1, 1)
        );
    }
}
