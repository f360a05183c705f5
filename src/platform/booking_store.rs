//! This device's copies of its own bookings (the station keeps the real ones): each booking as
//! the station last reported it and the token that lets this device manage it. Kept in this
//! browser's storage when the citizen agrees (phone mode), else in memory until the page closes.

use std::cell::{Cell, RefCell};

use gloo_storage::{LocalStorage, Storage};

use crate::domain::booking::{
    decode_stored, encode_stored, set_aside_expired, Booking, BookingBook, Decoded,
};
use crate::domain::time::{format_iso_date, parse_iso_date};

const KEY: &str = "civic-kiosk.bookings";
/// Unreadable data is kept under this prefix and the day it was set aside, so it can expire.
const SET_ASIDE_PREFIX: &str = "civic-kiosk.bookings.set-aside.";

/// Something the citizen should be told about their stored bookings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreNotice {
    /// Unreadable data was set aside (kept under another key) and an empty list started.
    SetAside,
    /// Data from a newer release: left untouched; this page works in memory only.
    NewerVersion,
    /// Storage is full: bookings are kept in memory until the page closes.
    Full,
    /// Storage is switched off: bookings are kept in memory until the page closes.
    Unavailable,
    /// The list could not be written: kept in memory until the page closes, nothing stored.
    Unwritable,
}

pub struct KeptBookings {
    book: RefCell<BookingBook>,
    /// Whether to write to storage: the citizen agreed, and writing is safe.
    persist: Cell<bool>,
    /// Never overwrite data this release cannot read.
    read_only: Cell<bool>,
    notice: Cell<Option<StoreNotice>>,
}

fn storage_available() -> bool {
    super::storage::local().is_some()
}

/// Deletes set-aside copies: all of them, or (`today` given) those kept long enough.
fn drop_set_aside(today: Option<chrono::NaiveDate>) {
    let Some(storage) = super::storage::local() else {
        return;
    };
    for key in super::storage::keys_with_prefix(&storage, SET_ASIDE_PREFIX) {
        let on = parse_iso_date(&key[SET_ASIDE_PREFIX.len()..]);
        let expired = match (today, on) {
            (Some(today), Some(on)) => set_aside_expired(on, today),
            // Withdrawn consent, or a key without a readable day.
            _ => true,
        };
        if expired {
            let _ = storage.remove_item(&key);
        }
    }
}

impl KeptBookings {
    /// Reads what an earlier visit stored (if anything) once, at start.
    pub fn open() -> Self {
        let service = KeptBookings {
            book: RefCell::new(BookingBook::default()),
            persist: Cell::new(false),
            read_only: Cell::new(false),
            notice: Cell::new(None),
        };
        if !storage_available() {
            return service;
        }
        let today = crate::platform::clock::office_today();
        drop_set_aside(Some(today));
        let Ok(Some(text)) = LocalStorage::raw().get_item(KEY) else {
            return service;
        };
        match decode_stored(&text) {
            Decoded::Bookings(mut book) => {
                // Kept bookings expire a while after their day.
                let expired = book.drop_expired(today);
                *service.book.borrow_mut() = book;
                // The citizen agreed on an earlier visit: keep saving.
                service.persist.set(true);
                if expired {
                    service.save();
                }
            }
            Decoded::NewerVersion(_) => {
                service.read_only.set(true);
                service.notice.set(Some(StoreNotice::NewerVersion));
            }
            Decoded::Corrupt => {
                let storage = LocalStorage::raw();
                let _ = storage.set_item(
                    &format!("{SET_ASIDE_PREFIX}{}", format_iso_date(today)),
                    &text,
                );
                let _ = storage.remove_item(KEY);
                service.notice.set(Some(StoreNotice::SetAside));
            }
        }
        service
    }

    /// The citizen's choice to keep bookings on this device (phone mode). Turning it off
    /// deletes what is stored.
    pub fn set_keep_on_device(&self, keep: bool) {
        self.persist.set(keep);
        if keep {
            self.save();
        } else if storage_available() && !self.read_only.get() {
            LocalStorage::delete(KEY);
            drop_set_aside(None);
        }
    }

    pub fn keeps_on_device(&self) -> bool {
        self.persist.get()
    }

    /// The latest notice, once.
    pub fn take_notice(&self) -> Option<StoreNotice> {
        self.notice.take()
    }

    fn save(&self) {
        if !self.persist.get() || self.read_only.get() {
            return;
        }
        if !storage_available() {
            self.persist.set(false);
            self.notice.set(Some(StoreNotice::Unavailable));
            return;
        }
        let Ok(text) = encode_stored(&self.book.borrow()) else {
            self.persist.set(false);
            self.notice.set(Some(StoreNotice::Unwritable));
            return;
        };
        if let Err(error) = LocalStorage::raw().set_item(KEY, &text) {
            let name = wasm_bindgen::JsCast::dyn_ref::<web_sys::DomException>(&error)
                .map(|e| e.name())
                .unwrap_or_default();
            self.persist.set(false);
            self.notice.set(Some(if name == "QuotaExceededError" {
                StoreNotice::Full
            } else {
                StoreNotice::Unavailable
            }));
        }
    }

    /// This device's copies.
    pub fn book(&self) -> BookingBook {
        self.book.borrow().clone()
    }

    /// The token this device holds for a booking.
    pub fn token(&self, code: &str) -> Option<String> {
        self.book.borrow().tokens.get(code).cloned()
    }

    /// Keeps (or refreshes) the copy of a booking as the station reported it.
    pub fn keep(&self, booking: Booking, token: Option<String>) {
        self.book.borrow_mut().keep(booking, token);
        self.save();
    }
}

thread_local! {
    static SERVICE: &'static KeptBookings = Box::leak(Box::new(KeptBookings::open()));
}

/// This page's copies of its bookings.
pub fn kept() -> &'static KeptBookings {
    SERVICE.with(|s| *s)
}
