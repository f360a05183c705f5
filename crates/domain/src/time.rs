//! The office's calendar and how dates are written. Vietnam keeps UTC+7 all year (no daylight
//! saving), so the office date is computed from a UTC instant the caller passes in; the device's
//! own zone never matters. Data files write dates YYYY-MM-DD; people read dd/mm/yyyy.

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

/// A calendar date as written in data files (YYYY-MM-DD), checked to be a real day.
pub fn parse_iso_date(text: &str) -> Option<chrono::NaiveDate> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// The ISO form, YYYY-MM-DD (for `<time datetime>` and stored data). Written by hand rather
/// than with chrono's formatter, which would add its whole format engine to the wasm.
pub fn format_iso_date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Serde for dates as "YYYY-MM-DD", without chrono's format engine.
pub mod iso_date_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        date: &chrono::NaiveDate,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format_iso_date(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<chrono::NaiveDate, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse_iso_date(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a date: {text}")))
    }
}

/// The Vietnamese way of writing a date: dd/mm/yyyy.
pub fn format_date_vn(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_must_be_real_days() {
        assert_eq!(
            parse_iso_date("2026-02-28").map(format_date_vn),
            Some("28/02/2026".into())
        );
        assert!(parse_iso_date("2028-02-29").is_some());
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "26-01-01",
            "2026-1-1",
            "2026-01-01-01",
            "",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }

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
