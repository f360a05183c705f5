//! Drafts kept on a phone (local storage), only after the citizen agrees: see domain::drafts.

use chrono::NaiveDate;

use super::storage;
use crate::domain::drafts::{read_drafts, write_drafts, DraftsFound};

const KEY: &str = "civic-kiosk.drafts";

/// Reads the drafts as of `today`; expired or unreadable ones are deleted on the way. With
/// storage switched off there is nothing to read.
pub fn load(today: NaiveDate) -> DraftsFound {
    let text = storage::local().and_then(|s| s.get_item(KEY).ok().flatten());
    let found = read_drafts(text.as_deref(), today);
    if matches!(found, DraftsFound::Expired | DraftsFound::Unreadable) {
        delete();
    }
    found
}

/// Deletes the drafts if they have expired (or cannot be read) as of `today`, and nothing else:
/// for an app without the form pages, so that drafts go after their 30 days whatever page the
/// citizen next opens.
pub fn forget_expired(today: NaiveDate) {
    let _ = load(today);
}

/// Stores `codes` as changed on `today` (nothing to store: deletes). A full or switched-off
/// storage is not an error here: the answers stay in memory for this visit.
pub fn save(codes: &[String], today: NaiveDate) {
    if codes.is_empty() {
        delete();
    } else {
        if let Some(storage) = storage::local() {
            let _ = storage.set_item(KEY, &write_drafts(codes, today));
        }
    }
}

pub fn delete() {
    if let Some(storage) = storage::local() {
        let _ = storage.remove_item(KEY);
    }
}
