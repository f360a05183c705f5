//! The embedded booking service: bookings kept in this browser's storage (gloo-storage), or in
//! memory only when the citizen has not agreed to keep them or storage is unavailable.
//! The UI reaches it only through `domain::booking::BookingService`.

use std::cell::{Cell, RefCell};

use chrono::NaiveDateTime;
use gloo_storage::{LocalStorage, Storage};

use crate::domain::booking::{
    decode_stored, encode_stored, Booking, BookingBook, BookingError, BookingRequest,
    BookingService, BoxFuture, Decoded, StoreError,
};
use crate::domain::booking_code::{make_code, DATA_LEN};
use crate::domain::schedule::{Plan, SlotKey};

const KEY: &str = "civic-kiosk.bookings";
const SET_ASIDE_KEY: &str = "civic-kiosk.bookings.set-aside";

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
}

pub struct LocalBookingService {
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

impl LocalBookingService {
    /// Reads what an earlier visit stored (if anything) once, at start.
    pub fn open() -> Self {
        let service = LocalBookingService {
            book: RefCell::new(BookingBook::default()),
            persist: Cell::new(false),
            read_only: Cell::new(false),
            notice: Cell::new(None),
        };
        if !storage_available() {
            return service;
        }
        let Ok(Some(text)) = LocalStorage::raw().get_item(KEY) else {
            return service;
        };
        match decode_stored(&text) {
            Decoded::Bookings(mut book) => {
                // Kept bookings expire a while after their day.
                let expired = book.drop_expired(crate::platform::clock::office_today());
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
                let _ = storage.set_item(SET_ASIDE_KEY, &text);
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
        if let Err(error) = LocalStorage::raw().set_item(KEY, &encode_stored(&self.book.borrow())) {
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

    fn apply(
        &self,
        change: impl FnOnce(&mut BookingBook) -> Result<Booking, BookingError>,
    ) -> Result<Booking, BookingError> {
        let result = change(&mut self.book.borrow_mut());
        if result.is_ok() {
            self.save();
        }
        result
    }
}

fn fresh_code(book: &BookingBook) -> String {
    loop {
        let code = make_code(super::random::random_numbers::<DATA_LEN>());
        if book.find(&code).is_none() {
            return code;
        }
    }
}

impl BookingService for LocalBookingService {
    fn list(&self) -> BoxFuture<'_, Result<BookingBook, StoreError>> {
        let book = self.book.borrow().clone();
        Box::pin(async move { Ok(book) })
    }

    fn book(
        &self,
        plan: &Plan,
        request: BookingRequest,
        now: NaiveDateTime,
    ) -> BoxFuture<'_, Result<Booking, BookingError>> {
        let result = self.apply(|book| {
            let code = fresh_code(book);
            book.book(plan, request, now, code)
        });
        Box::pin(async move { result })
    }

    fn reschedule(
        &self,
        plan: &Plan,
        code: &str,
        slot: SlotKey,
        now: NaiveDateTime,
    ) -> BoxFuture<'_, Result<Booking, BookingError>> {
        let result = self.apply(|book| book.reschedule(plan, code, slot, now));
        Box::pin(async move { result })
    }

    fn cancel(&self, code: &str) -> BoxFuture<'_, Result<Booking, BookingError>> {
        let result = self.apply(|book| book.cancel(code));
        Box::pin(async move { result })
    }

    fn mark_arrived(&self, code: &str) -> BoxFuture<'_, Result<Booking, BookingError>> {
        let result = self.apply(|book| book.mark_arrived(code));
        Box::pin(async move { result })
    }
}

thread_local! {
    static SERVICE: &'static LocalBookingService = Box::leak(Box::new(LocalBookingService::open()));
}

/// The one booking service of this page.
pub fn local_service() -> &'static LocalBookingService {
    SERVICE.with(|s| *s)
}
