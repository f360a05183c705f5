//! Drafts kept on a phone: the forms a citizen is filling, stored only after they agree, and
//! dropped after `DRAFT_DAYS` without a change. Each form is stored as its hand-off code
//! (`domain::handoff`), which is already versioned and checked for corruption.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::time::{format_iso_date, parse_iso_date};

/// How long drafts are kept after the last change.
pub const DRAFT_DAYS: i64 = 30;
pub const DRAFTS_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Stored {
    version: u32,
    /// The office date of the last change, YYYY-MM-DD.
    saved_on: String,
    codes: Vec<String>,
}

/// What was found in storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftsFound {
    Nothing,
    /// Drafts to load, and the day they were last changed.
    Kept {
        codes: Vec<String>,
        saved_on: NaiveDate,
    },
    /// Older than `DRAFT_DAYS`: to be deleted.
    Expired,
    /// Written by a newer version of the app: left as it is, not loaded.
    Newer,
    /// Not readable: to be deleted (there is nothing to recover from a broken draft list).
    Unreadable,
}

/// Reads the stored text (if any) as of `today`, the office's date.
pub fn read_drafts(text: Option<&str>, today: NaiveDate) -> DraftsFound {
    let Some(text) = text else {
        return DraftsFound::Nothing;
    };
    let Ok(stored) = super::json::from_str::<Stored>(text) else {
        return DraftsFound::Unreadable;
    };
    if stored.version > DRAFTS_VERSION {
        return DraftsFound::Newer;
    }
    let Some(saved_on) = parse_iso_date(&stored.saved_on) else {
        return DraftsFound::Unreadable;
    };
    if today - saved_on > Duration::days(DRAFT_DAYS) {
        return DraftsFound::Expired;
    }
    DraftsFound::Kept {
        codes: stored.codes,
        saved_on,
    }
}

/// The text to store for `codes`, changed on `today`.
pub fn write_drafts(codes: &[String], today: NaiveDate) -> String {
    let stored = Stored {
        version: DRAFTS_VERSION,
        saved_on: format_iso_date(today),
        codes: codes.to_vec(),
    };
    super::json::to_string(&stored).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn drafts_come_back_until_they_expire() {
        let codes = vec!["CK1:ABC".to_owned()];
        let text = write_drafts(&codes, day(2026, 11, 1));
        assert_eq!(
            read_drafts(Some(&text), day(2026, 12, 1)),
            DraftsFound::Kept {
                codes,
                saved_on: day(2026, 11, 1)
            }
        );
        assert_eq!(
            read_drafts(Some(&text), day(2026, 12, 2)),
            DraftsFound::Expired
        );
        assert_eq!(read_drafts(None, day(2026, 12, 2)), DraftsFound::Nothing);
    }

    #[test]
    fn broken_or_newer_drafts_are_recognised() {
        assert_eq!(
            read_drafts(Some("{not json"), day(2026, 11, 1)),
            DraftsFound::Unreadable
        );
        assert_eq!(
            read_drafts(
                Some(r#"{"version":1,"saved_on":"someday","codes":[]}"#),
                day(2026, 11, 1)
            ),
            DraftsFound::Unreadable
        );
        assert_eq!(
            read_drafts(
                Some(r#"{"version":2,"saved_on":"2026-11-01","codes":[],"more":1}"#),
                day(2026, 11, 1)
            ),
            DraftsFound::Newer
        );
    }
}
