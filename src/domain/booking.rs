//! Appointments: the rules for booking, moving, cancelling and arriving, applied to a list of
//! bookings. Storage and any future shared service sit behind `BookingService`; these rules are
//! the same whichever holds the list.

use std::future::Future;
use std::pin::Pin;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::phone::{parse_phone, PhoneKind};
use super::schedule::{Plan, SlotKey};
use super::station::ClockTime;
use super::text::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Booked,
    Arrived,
    /// The day passed without the citizen coming (marked by staff, or by the station's book
    /// when the same person books the same procedure again).
    NoShow,
    Cancelled,
}

impl BookingStatus {
    /// The word stored in the station's database and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Booked => "booked",
            BookingStatus::Arrived => "arrived",
            BookingStatus::NoShow => "no_show",
            BookingStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<BookingStatus> {
        [
            BookingStatus::Booked,
            BookingStatus::Arrived,
            BookingStatus::NoShow,
            BookingStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub code: String,
    pub procedure: String,
    pub slot: SlotKey,
    pub name: String,
    /// National digits, e.g. "0912345678".
    pub phone: String,
    pub status: BookingStatus,
}

/// What a citizen asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookingRequest {
    pub procedure: String,
    pub slot: SlotKey,
    pub name: String,
    pub phone: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BookingError {
    #[error("the name is empty")]
    NameMissing,
    #[error("the name is too long or has characters a name never has")]
    NameInvalid,
    #[error("the phone number is not a Vietnamese mobile number")]
    PhoneInvalid,
    #[error("this procedure cannot be booked")]
    NotBookable,
    #[error("this time is not offered (past, too soon, closed or outside hours)")]
    SlotNotOffered,
    #[error("this time is full")]
    SlotFull { nearest: Vec<SlotKey> },
    #[error("this person already has a booking for this procedure")]
    AlreadyBooked { code: String },
    #[error("no booking has this code")]
    UnknownCode,
    #[error("this booking was cancelled")]
    Cancelled,
    #[error("the bookings could not be stored")]
    Store(StoreError),
    /// From the station's service: too many tries from this connection or this phone.
    #[error("too many requests; try again later")]
    TooMany,
    /// The booking form's privacy text changed since this page was loaded.
    #[error("the privacy notice changed; reload the page")]
    ConsentOutdated,
    /// The device is offline or the station's service did not answer.
    #[error("the station's booking service cannot be reached")]
    Unreachable,
    /// The code and the phone number (or keep-token) do not belong together.
    #[error("the phone number does not match this booking")]
    NotYours,
}

impl BookingError {
    /// The word the station's API uses for this error (`error` in its JSON answers).
    pub fn code(&self) -> &'static str {
        use BookingError::*;
        match self {
            NameMissing => "name_missing",
            NameInvalid => "name_invalid",
            PhoneInvalid => "phone_invalid",
            NotBookable => "not_bookable",
            SlotNotOffered => "slot_not_offered",
            SlotFull { .. } => "slot_full",
            AlreadyBooked { .. } => "already_booked",
            UnknownCode => "unknown_code",
            Cancelled => "cancelled",
            Store(_) => "store_failed",
            TooMany => "too_many_requests",
            ConsentOutdated => "consent_outdated",
            Unreachable => "unreachable",
            NotYours => "not_yours",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("storage is full")]
    Full,
    #[error("storage is switched off or unavailable")]
    Unavailable,
}

impl BookingError {
    /// A plain sentence for the citizen, saying what to do.
    pub fn message(&self, lang: Lang) -> String {
        use BookingError::*;
        match (self, lang) {
            (NameMissing, Lang::Vi) => "Hãy nhập họ và tên của bạn.".into(),
            (NameMissing, Lang::En) => "Enter your full name.".into(),
            (NameInvalid, Lang::Vi) => "Họ và tên quá dài hoặc có ký tự không dùng trong tên. Hãy viết lại họ và tên.".into(),
            (NameInvalid, Lang::En) => "The name is too long or has characters names never have. Write your full name again.".into(),
            (PhoneInvalid, Lang::Vi) => "Hãy nhập số di động Việt Nam gồm 10 chữ số, ví dụ 0912 345 678.".into(),
            (PhoneInvalid, Lang::En) => "Enter a Vietnamese mobile number of 10 digits, e.g. 0912 345 678.".into(),
            (NotBookable, Lang::Vi) => "Thủ tục này không cần hoặc không nhận đặt lịch hẹn.".into(),
            (NotBookable, Lang::En) => "This procedure needs no appointment or cannot be booked.".into(),
            (SlotNotOffered, Lang::Vi) => "Giờ này không còn nhận đặt lịch. Hãy chọn giờ khác.".into(),
            (SlotNotOffered, Lang::En) => "This time can no longer be booked. Choose another time.".into(),
            (SlotFull { .. }, Lang::Vi) => "Giờ này đã đủ người. Hãy chọn một giờ gần nhất còn chỗ bên dưới.".into(),
            (SlotFull { .. }, Lang::En) => "This time is full. Choose one of the nearest free times below.".into(),
            (AlreadyBooked { code }, Lang::Vi) => format!("Bạn đã có lịch hẹn cho thủ tục này (mã {}). Hãy đổi giờ lịch hẹn đó thay vì đặt thêm.", super::booking_code::display_code(code)),
            (AlreadyBooked { code }, Lang::En) => format!("You already have a booking for this procedure (code {}). Move that booking instead of making another.", super::booking_code::display_code(code)),
            (UnknownCode, Lang::Vi) => "Không có lịch hẹn nào mang mã này.".into(),
            (UnknownCode, Lang::En) => "No booking has this code.".into(),
            (Cancelled, Lang::Vi) => "Lịch hẹn này đã bị hủy.".into(),
            (Cancelled, Lang::En) => "This booking was cancelled.".into(),
            (TooMany, Lang::Vi) => "Có quá nhiều yêu cầu. Hãy thử lại sau ít phút, hoặc gọi điện cho công an xã, phường.".into(),
            (TooMany, Lang::En) => "Too many requests. Try again in a few minutes, or phone the station.".into(),
            (ConsentOutdated, Lang::Vi) => "Thông báo về dữ liệu cá nhân vừa được cập nhật. Hãy tải lại trang, đọc lại rồi đặt lịch; những gì bạn đã nhập vẫn còn.".into(),
            (ConsentOutdated, Lang::En) => "The personal data notice has just been updated. Reload the page, read it and book again; what you typed is kept.".into(),
            (Unreachable, Lang::Vi) => "Không kết nối được với hệ thống đặt lịch của công an xã, phường. Hãy kiểm tra kết nối mạng rồi thử lại; những gì bạn đã nhập vẫn còn.".into(),
            (Unreachable, Lang::En) => "The station's booking service cannot be reached. Check the connection and try again; what you typed is kept.".into(),
            (NotYours, Lang::Vi) => "Số điện thoại không khớp với lịch hẹn này.".into(),
            (NotYours, Lang::En) => "The phone number does not match this booking.".into(),
            (Store(StoreError::Full), Lang::Vi) => "Bộ nhớ của trình duyệt đã đầy nên không lưu được lịch hẹn. Hãy ghi lại mã lịch hẹn hoặc xóa bớt dữ liệu trình duyệt.".into(),
            (Store(StoreError::Full), Lang::En) => "The browser's storage is full, so the booking could not be saved. Write down the code or clear some browser data.".into(),
            (Store(StoreError::Unavailable), Lang::Vi) => "Trình duyệt không cho lưu dữ liệu (có thể đang ở chế độ ẩn danh). Lịch hẹn chỉ giữ đến khi đóng trang: hãy ghi lại mã.".into(),
            (Store(StoreError::Unavailable), Lang::En) => "The browser does not allow saving (perhaps a private window). The booking lasts until the page closes: write down the code.".into(),
        }
    }
}

/// The contact fields of a booking, for messages next to the right field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactField {
    Name,
    Phone,
}

/// Every problem with the contact details at once, so the citizen fixes them in one go.
pub fn check_contact(name: &str, phone: &str) -> Vec<(ContactField, BookingError)> {
    let mut problems = Vec::new();
    if let Err(problem) = check_name(name) {
        problems.push((ContactField::Name, problem));
    }
    if let Err(problem) = check_phone(phone) {
        problems.push((ContactField::Phone, problem));
    }
    problems
}

/// The name with its spaces tidied, or why it cannot be a name.
pub fn check_name(name: &str) -> Result<String, BookingError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(BookingError::NameMissing);
    }
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(BookingError::NameInvalid);
    }
    Ok(name)
}

/// A Vietnamese mobile number as national digits ("0912345678").
pub fn check_phone(phone: &str) -> Result<String, BookingError> {
    match parse_phone(phone) {
        Ok(phone) if phone.kind == PhoneKind::Mobile => Ok(phone.digits),
        _ => Err(BookingError::PhoneInvalid),
    }
}

/// The list of bookings and the rules that change it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingBook {
    pub bookings: Vec<Booking>,
}

/// Bookings kept on a phone are dropped this many days after their day has passed.
pub const KEEP_PAST_BOOKINGS_DAYS: i64 = 30;

impl BookingBook {
    /// Drops bookings whose day is more than `KEEP_PAST_BOOKINGS_DAYS` before `today` (the
    /// office's date); says whether any went.
    pub fn drop_expired(&mut self, today: chrono::NaiveDate) -> bool {
        let before = self.bookings.len();
        self.bookings
            .retain(|b| today - b.slot.date <= TimeDelta::days(KEEP_PAST_BOOKINGS_DAYS));
        self.bookings.len() != before
    }
}

/// The name tidied and the phone as national digits, or the first problem. The same rule for
/// the browser and the station's server.
pub fn check_details(name: &str, phone: &str) -> Result<(String, String), BookingError> {
    Ok((check_name(name)?, check_phone(phone)?))
}

/// The longest name a booking takes (the longest Vietnamese names are far shorter).
pub const MAX_NAME_CHARS: usize = 100;

/// Checks that the plan offers `slot` for `procedure` at `now` (the right counter, open, within
/// notice and the booking window), whoever else has booked it; returns the slot's capacity.
pub fn check_slot_offered(
    plan: &Plan,
    procedure: &str,
    slot: &SlotKey,
    now: NaiveDateTime,
) -> Result<u32, BookingError> {
    let counter = plan
        .counter_for(procedure)
        .ok_or(BookingError::NotBookable)?;
    if counter.id != slot.counter {
        return Err(BookingError::SlotNotOffered);
    }
    plan.slots(counter, slot.date, now, |_| 0)
        .into_iter()
        .find(|s| s.start == slot.start && s.bookable)
        .map(|s| s.capacity)
        .ok_or(BookingError::SlotNotOffered)
}

/// When a slot begins, in office time.
pub fn slot_start(slot: &SlotKey) -> Option<NaiveDateTime> {
    slot.date
        .and_hms_opt(0, 0, 0)
        .map(|d| d + TimeDelta::minutes(i64::from(slot.start.0)))
}

impl BookingBook {
    /// Places taken in a slot (cancelled bookings free their place).
    pub fn taken(&self, slot: &SlotKey) -> u32 {
        self.bookings
            .iter()
            .filter(|b| b.status != BookingStatus::Cancelled && &b.slot == slot)
            .count() as u32
    }

    pub fn find(&self, code: &str) -> Option<&Booking> {
        self.bookings.iter().find(|b| b.code == code)
    }

    /// Active bookings on a day, earliest first.
    pub fn on_day(&self, date: NaiveDate) -> Vec<&Booking> {
        let mut day: Vec<&Booking> = self
            .bookings
            .iter()
            .filter(|b| b.slot.date == date && b.status != BookingStatus::Cancelled)
            .collect();
        day.sort_by(|a, b| {
            (a.slot.start, &a.slot.counter, &a.name).cmp(&(b.slot.start, &b.slot.counter, &b.name))
        });
        day
    }

    /// Checks that `slot` can take one more person for `procedure` now.
    fn check_slot(
        &self,
        plan: &Plan,
        procedure: &str,
        slot: &SlotKey,
        now: NaiveDateTime,
    ) -> Result<(), BookingError> {
        let capacity = check_slot_offered(plan, procedure, slot, now)?;
        if self.taken(slot) >= capacity {
            let counter = plan.counter_for(procedure).ok_or(BookingError::NotBookable)?;
            return Err(BookingError::SlotFull {
                nearest: plan.nearest_free(counter, slot, now, |k| self.taken(k), 3),
            });
        }
        Ok(())
    }

    /// Books a place. `code` is a fresh code from `booking_code::make_code`.
    pub fn book(
        &mut self,
        plan: &Plan,
        request: BookingRequest,
        now: NaiveDateTime,
        code: String,
    ) -> Result<Booking, BookingError> {
        let (name, phone) = check_details(&request.name, &request.phone)?;
        // The same person (by phone) may hold one upcoming booking per procedure.
        if let Some(existing) = self.bookings.iter().find(|b| {
            b.status == BookingStatus::Booked
                && b.procedure == request.procedure
                && b.phone == phone
                && slot_start(&b.slot).is_some_and(|start| start >= now)
        }) {
            return Err(BookingError::AlreadyBooked {
                code: existing.code.clone(),
            });
        }
        self.check_slot(plan, &request.procedure, &request.slot, now)?;
        let booking = Booking {
            code,
            procedure: request.procedure,
            slot: request.slot,
            name,
            phone,
            status: BookingStatus::Booked,
        };
        self.bookings.push(booking.clone());
        Ok(booking)
    }

    fn active_mut(&mut self, code: &str) -> Result<&mut Booking, BookingError> {
        let booking = self
            .bookings
            .iter_mut()
            .find(|b| b.code == code)
            .ok_or(BookingError::UnknownCode)?;
        if booking.status == BookingStatus::Cancelled {
            return Err(BookingError::Cancelled);
        }
        Ok(booking)
    }

    /// Moves a booking to another slot, keeping its code.
    pub fn reschedule(
        &mut self,
        plan: &Plan,
        code: &str,
        slot: SlotKey,
        now: NaiveDateTime,
    ) -> Result<Booking, BookingError> {
        let procedure = self.active_mut(code)?.procedure.clone();
        self.check_slot(plan, &procedure, &slot, now)?;
        let booking = self.active_mut(code)?;
        booking.slot = slot;
        Ok(booking.clone())
    }

    pub fn cancel(&mut self, code: &str) -> Result<Booking, BookingError> {
        let booking = self.active_mut(code)?;
        booking.status = BookingStatus::Cancelled;
        Ok(booking.clone())
    }

    pub fn mark_arrived(&mut self, code: &str) -> Result<Booking, BookingError> {
        let booking = self.active_mut(code)?;
        booking.status = BookingStatus::Arrived;
        Ok(booking.clone())
    }
}

/// Where bookings are kept. The embedded default is the browser's storage on this device
/// (`platform::booking_store`); a shared service for many terminals and phones implements the
/// same trait, and the UI, which only sees this trait, does not change. Operations are async
/// because a shared service answers over the network.
pub trait BookingService {
    fn list(&self) -> BoxFuture<'_, Result<BookingBook, StoreError>>;
    fn book(
        &self,
        plan: &Plan,
        request: BookingRequest,
        now: NaiveDateTime,
    ) -> BoxFuture<'_, Result<Booking, BookingError>>;
    fn reschedule(
        &self,
        plan: &Plan,
        code: &str,
        slot: SlotKey,
        now: NaiveDateTime,
    ) -> BoxFuture<'_, Result<Booking, BookingError>>;
    fn cancel(&self, code: &str) -> BoxFuture<'_, Result<Booking, BookingError>>;
    fn mark_arrived(&self, code: &str) -> BoxFuture<'_, Result<Booking, BookingError>>;
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// The stored form, versioned so a later release reads what an earlier one wrote.
pub const STORED_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    book: BookingBook,
}

/// What reading stored bookings found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decoded {
    Bookings(BookingBook),
    /// Written by a newer release: left untouched, set aside, never overwritten.
    NewerVersion(u32),
    /// Not readable: set aside so nothing is silently lost, and an empty list used.
    Corrupt,
}

pub fn encode_stored(book: &BookingBook) -> String {
    serde_json::to_string(&Stored {
        version: STORED_VERSION,
        book: book.clone(),
    })
    .unwrap_or_default()
}

pub fn decode_stored(text: &str) -> Decoded {
    #[derive(Deserialize)]
    struct VersionOnly {
        version: u32,
    }
    match serde_json::from_str::<VersionOnly>(text) {
        Ok(VersionOnly { version }) if version > STORED_VERSION => Decoded::NewerVersion(version),
        Ok(_) => match serde_json::from_str::<Stored>(text) {
            Ok(stored) => Decoded::Bookings(stored.book),
            Err(_) => Decoded::Corrupt,
        },
        Err(_) => Decoded::Corrupt,
    }
}

/// An iCalendar file for the phone's calendar. Times are written in UTC (office time − 7 h) so
/// every calendar places them right without a time-zone table.
pub fn ics(booking: &Booking, title: &str, location: &str) -> String {
    let escape = |s: &str| {
        s.replace('\\', "\\\\")
            .replace(';', "\\;")
            .replace(',', "\\,")
            .replace('\n', "\\n")
    };
    let stamp = |at: NaiveDateTime| {
        let utc = at - TimeDelta::minutes(super::time::OFFICE_UTC_OFFSET_MINUTES);
        use chrono::{Datelike, Timelike};
        format!(
            "{:04}{:02}{:02}T{:02}{:02}00Z",
            utc.year(),
            utc.month(),
            utc.day(),
            utc.hour(),
            utc.minute()
        )
    };
    let start = slot_start(&booking.slot).unwrap_or_default();
    let end = start + TimeDelta::minutes(30);
    [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".into(),
        "PRODID:-//civic-kiosk//booking//VI".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{}@civic-kiosk", booking.code),
        format!("DTSTAMP:{}", stamp(start)),
        format!("DTSTART:{}", stamp(start)),
        format!("DTEND:{}", stamp(end)),
        format!("SUMMARY:{}", escape(title)),
        format!("LOCATION:{}", escape(location)),
        format!(
            "DESCRIPTION:{}",
            escape(&super::booking_code::display_code(&booking.code))
        ),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ]
    .join("\r\n")
        + "\r\n"
}

/// "dd/mm/yyyy HH:MM", the Vietnamese way.
pub fn format_slot(slot: &SlotKey) -> String {
    format!("{} {}", super::time::format_date_vn(slot.date), slot.start)
}

/// `ClockTime` plus a slot length, for "08:00–08:30".
pub fn slot_end(start: ClockTime, minutes: u16) -> ClockTime {
    ClockTime(start.0 + minutes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::booking_code::make_code;
    use crate::domain::schedule::tests::{at, day, plan};

    fn request(name: &str, phone: &str, hour: u16) -> BookingRequest {
        BookingRequest {
            procedure: "id-card-replace".into(),
            slot: SlotKey {
                counter: "id-card".into(),
                date: day("2026-11-30"),
                start: ClockTime(hour * 60),
            },
            name: name.into(),
            phone: phone.into(),
        }
    }

    #[test]
    fn kept_bookings_expire_thirty_days_after_their_day() {
        let plan = plan();
        let mut book = BookingBook::default();
        book.book(
            &plan,
            request("Nguyễn Thị Hồng Nhung", "0912 345 678", 8),
            at("2026-11-24", 8, 0),
            make_code([1; 6]),
        )
        .expect("booked for 30/11/2026");
        assert!(
            !book.drop_expired(day("2026-12-30")),
            "30 days after: still kept"
        );
        assert_eq!(book.bookings.len(), 1);
        assert!(book.drop_expired(day("2026-12-31")), "31 days after: gone");
        assert!(book.bookings.is_empty());
    }

    #[test]
    fn books_until_the_slot_is_full_then_offers_the_nearest() {
        let plan = plan();
        let now = at("2026-11-24", 8, 0);
        let mut book = BookingBook::default();
        book.book(
            &plan,
            request("Nguyễn Thị Hồng Nhung", "0912 345 678", 8),
            now,
            make_code([1; 6]),
        )
        .expect("first");
        book.book(
            &plan,
            request("H'Đào Niê", "+84 355 123 456", 8),
            now,
            make_code([2; 6]),
        )
        .expect("second");
        match book.book(
            &plan,
            request("Trần Văn An", "0987654321", 8),
            now,
            make_code([3; 6]),
        ) {
            Err(BookingError::SlotFull { nearest }) => {
                assert_eq!(
                    nearest
                        .iter()
                        .map(|k| k.start.to_string())
                        .collect::<Vec<_>>(),
                    ["07:30", "08:30", "09:00"]
                );
            }
            other => panic!("expected full, got {other:?}"),
        }
        // Cancelling frees the place.
        book.cancel(&make_code([1; 6])).expect("cancel");
        assert!(book
            .book(
                &plan,
                request("Trần Văn An", "0987654321", 8),
                now,
                make_code([3; 6])
            )
            .is_ok());
    }

    #[test]
    fn one_upcoming_booking_per_person_and_procedure() {
        let plan = plan();
        let now = at("2026-11-24", 8, 0);
        let mut book = BookingBook::default();
        let first = book
            .book(
                &plan,
                request("An", "0912345678", 8),
                now,
                make_code([1; 6]),
            )
            .expect("first");
        assert_eq!(
            book.book(
                &plan,
                request("An", "0912 345 678", 9),
                now,
                make_code([2; 6])
            ),
            Err(BookingError::AlreadyBooked {
                code: first.code.clone()
            })
        );
        // After it is cancelled, booking again is fine.
        book.cancel(&first.code).expect("cancel");
        assert!(book
            .book(
                &plan,
                request("An", "0912345678", 9),
                now,
                make_code([2; 6])
            )
            .is_ok());
    }

    #[test]
    fn bad_details_and_unoffered_times_are_refused() {
        let plan = plan();
        let now = at("2026-11-24", 8, 0);
        let mut book = BookingBook::default();
        assert_eq!(
            book.book(&plan, request("  ", "0912345678", 8), now, "X".into()),
            Err(BookingError::NameMissing)
        );
        assert_eq!(
            book.book(&plan, request("An", "0262 3850 000", 8), now, "X".into()),
            Err(BookingError::PhoneInvalid)
        );
        assert_eq!(
            book.book(&plan, request("An", "0912345678", 12), now, "X".into()),
            Err(BookingError::SlotNotOffered),
            "lunch"
        );
        let mut crime = request("An", "0912345678", 8);
        crime.procedure = "crime-report".into();
        assert_eq!(
            book.book(&plan, crime, now, "X".into()),
            Err(BookingError::NotBookable)
        );
        assert!(book.bookings.is_empty());
    }

    #[test]
    fn moving_keeps_the_code_and_checks_the_new_slot() {
        let plan = plan();
        let now = at("2026-11-24", 8, 0);
        let mut book = BookingBook::default();
        let booking = book
            .book(
                &plan,
                request("An", "0912345678", 8),
                now,
                make_code([1; 6]),
            )
            .expect("book");
        let later = SlotKey {
            counter: "id-card".into(),
            date: day("2026-12-01"),
            start: ClockTime(14 * 60),
        };
        let moved = book
            .reschedule(&plan, &booking.code, later.clone(), now)
            .expect("move");
        assert_eq!(
            (moved.code.as_str(), &moved.slot),
            (booking.code.as_str(), &later)
        );
        let sunday = SlotKey {
            counter: "id-card".into(),
            date: day("2026-12-06"),
            start: ClockTime(8 * 60),
        };
        assert_eq!(
            book.reschedule(&plan, &booking.code, sunday, now),
            Err(BookingError::SlotNotOffered)
        );
        assert_eq!(book.mark_arrived("NOPE123"), Err(BookingError::UnknownCode));
        assert_eq!(
            book.mark_arrived(&booking.code).map(|b| b.status),
            Ok(BookingStatus::Arrived)
        );
        assert_eq!(book.on_day(day("2026-12-01")).len(), 1);
    }

    // Guards against a stored list from another release or a damaged one crashing the app or
    // being overwritten.
    #[test]
    fn stored_bookings_round_trip_and_bad_data_is_recognised() {
        let plan = plan();
        let mut book = BookingBook::default();
        book.book(
            &plan,
            request("Nguyễn Thị Hồng Nhung", "0912345678", 8),
            at("2026-11-24", 8, 0),
            make_code([4; 6]),
        )
        .expect("book");
        let text = encode_stored(&book);
        assert_eq!(decode_stored(&text), Decoded::Bookings(book));
        assert_eq!(
            decode_stored(r#"{"version": 2, "anything": []}"#),
            Decoded::NewerVersion(2)
        );
        assert_eq!(
            decode_stored("{\"version\": 1, \"book\": {\"bookings\": [{\"code\": 5}]}}"),
            Decoded::Corrupt
        );
        assert_eq!(decode_stored("not json at all"), Decoded::Corrupt);
        assert_eq!(decode_stored(""), Decoded::Corrupt);
    }

    #[test]
    fn calendar_file_is_in_utc() {
        let booking = Booking {
            code: make_code([1; 6]),
            procedure: "id-card-replace".into(),
            slot: SlotKey {
                counter: "id-card".into(),
                date: day("2027-01-01"),
                start: ClockTime(7 * 60 + 30),
            },
            name: "An".into(),
            phone: "0912345678".into(),
            status: BookingStatus::Booked,
        };
        let file = ics(&booking, "Cấp lại thẻ căn cước", "Công an phường, số 1");
        assert!(file.contains("DTSTART:20270101T003000Z\r\n"), "{file}");
        assert!(file.contains("DTEND:20270101T010000Z\r\n"));
        assert!(file.contains("LOCATION:Công an phường\\, số 1\r\n"));
        assert!(file.starts_with("BEGIN:VCALENDAR\r\n") && file.ends_with("END:VCALENDAR\r\n"));
    }
}
