//! Appointments: the booking rules every request must pass (`check_details`,
//! `check_slot_offered`) — checked by the app for a quick answer and again by the station
//! server, whose database then guarantees capacity and one booking per person — the
//! `BookingService` the app books through, this device's kept copies (`BookingBook`), and the
//! calendar file.

use std::future::Future;
use std::pin::Pin;

use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::phone::{parse_phone, PhoneKind};
use super::schedule::{Plan, SlotKey};
use super::station::ClockTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Booked,
    Arrived,
    /// The day passed without the citizen coming (marked by staff, or by the station's book
    /// when the same person books the same procedure again).
    NoShow,
    Cancelled,
}

crate::named::named_enum!(BookingStatus { "booked" => Booked, "arrived" => Arrived, "no_show" => NoShow, "cancelled" => Cancelled });

impl BookingStatus {
    /// The word stored in the station's database and sent over the API. A match rather than a
    /// search of the `named_enum!` table above (smaller in the first-load wasm); a test ties
    /// the two, and the databases' CHECK to the table.
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Booked => "booked",
            BookingStatus::Arrived => "arrived",
            BookingStatus::NoShow => "no_show",
            BookingStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<BookingStatus> {
        crate::named::parse(text)
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
    /// This phone number already holds an upcoming booking for the procedure. Which one is
    /// never said: a phone number is no proof of whose booking it is.
    #[error("this phone number already holds a booking for this procedure")]
    AlreadyBooked,
    #[error("no booking has this code")]
    UnknownCode,
    #[error("this booking was cancelled")]
    Cancelled,
    #[error("the bookings could not be kept on the device")]
    DeviceStorage(DeviceStorageError),
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
            AlreadyBooked => "already_booked",
            UnknownCode => "unknown_code",
            Cancelled => "cancelled",
            DeviceStorage(_) => "store_failed",
            TooMany => "too_many_requests",
            ConsentOutdated => "consent_outdated",
            Unreachable => "unreachable",
            NotYours => "not_yours",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeviceStorageError {
    #[error("storage is full")]
    Full,
    #[error("storage is switched off or unavailable")]
    Unavailable,
    /// A value could not be written as JSON (the browser's writer refuses what it cannot
    /// write exactly): nothing was stored or sent.
    #[error("the data could not be written")]
    Unwritable,
}

/// What a JSON writer's answer means for data to be stored or sent: its text, or
/// `Unwritable` — never an empty text standing for it.
pub fn written(text: Option<String>) -> Result<String, DeviceStorageError> {
    text.ok_or(DeviceStorageError::Unwritable)
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
    /// Per booking code, the token the station gave this device to manage that booking.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub tokens: std::collections::BTreeMap<String, String>,
}

/// Bookings kept on a phone are dropped this many days after their day has passed.
pub const KEEP_PAST_BOOKINGS_DAYS: i64 = 30;

/// Whether an unreadable copy set aside on `set_aside_on` has been kept long enough: it goes
/// after as long as a kept booking would, so nothing personal outlives the rest.
pub fn set_aside_expired(set_aside_on: chrono::NaiveDate, today: chrono::NaiveDate) -> bool {
    today - set_aside_on > TimeDelta::days(KEEP_PAST_BOOKINGS_DAYS)
}

impl BookingBook {
    pub fn find(&self, code: &str) -> Option<&Booking> {
        self.bookings.iter().find(|b| b.code == code)
    }

    /// Keeps this device's copy of a booking as the station last reported it (and its manage
    /// token, when one came with it).
    pub fn keep(&mut self, booking: Booking, token: Option<String>) {
        if let Some(token) = token {
            self.tokens.insert(booking.code.clone(), token);
        }
        match self.bookings.iter_mut().find(|b| b.code == booking.code) {
            Some(kept) => *kept = booking,
            None => self.bookings.push(booking),
        }
    }

    /// Drops bookings whose day is more than `KEEP_PAST_BOOKINGS_DAYS` before `today` (the
    /// office's date); says whether any went.
    pub fn drop_expired(&mut self, today: chrono::NaiveDate) -> bool {
        let before = self.bookings.len();
        self.bookings
            .retain(|b| today - b.slot.date <= TimeDelta::days(KEEP_PAST_BOOKINGS_DAYS));
        let kept: Vec<String> = self.bookings.iter().map(|b| b.code.clone()).collect();
        self.tokens.retain(|code, _| kept.contains(code));
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

/// The station's booking service, as the app sees it: a citizen reaches only availability
/// counts and their own bookings (by code with the device's token or the phone given), never
/// the book. Implemented over HTTP by `platform::station`; the station server applies the same
/// rules (`check_details`, `check_slot_offered`) and the database guarantees capacity.
pub trait BookingService {
    fn availability(
        &self,
        procedure: &str,
    ) -> BoxFuture<'_, Result<super::station_api::Availability, BookingError>>;
    fn book(
        &self,
        request: BookingRequest,
        idempotency_key: &str,
    ) -> BoxFuture<'_, Result<super::station_api::Created, BookingError>>;
    fn fetch(
        &self,
        code: &str,
        credential: &Credential,
    ) -> BoxFuture<'_, Result<Booking, BookingError>>;
    fn reschedule(
        &self,
        code: &str,
        credential: &Credential,
        slot: SlotKey,
    ) -> BoxFuture<'_, Result<Booking, BookingError>>;
    fn cancel(
        &self,
        code: &str,
        credential: &Credential,
    ) -> BoxFuture<'_, Result<Booking, BookingError>>;
}

/// What proves a booking is one's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// The token the station gave the device that booked.
    Token(String),
    /// The phone number given when booking.
    Phone(String),
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

pub fn encode_stored(book: &BookingBook) -> Result<String, DeviceStorageError> {
    written(super::json::to_string(&Stored {
        version: STORED_VERSION,
        book: book.clone(),
    }))
}

pub fn decode_stored(text: &str) -> Decoded {
    #[derive(Deserialize)]
    struct VersionOnly {
        version: u32,
    }
    match super::json::from_str::<VersionOnly>(text) {
        Ok(VersionOnly { version }) if version > STORED_VERSION => Decoded::NewerVersion(version),
        Ok(_) => match super::json::from_str::<Stored>(text) {
            Ok(stored) => Decoded::Bookings(stored.book),
            Err(_) => Decoded::Corrupt,
        },
        Err(_) => Decoded::Corrupt,
    }
}

/// An iCalendar file (RFC 5545) for the phone's calendar. Times are written in UTC (office time
/// − 7 h) so every calendar places them right without a time-zone table; the event lasts one
/// slot of the plan; DTSTAMP is `made_at_utc`, when the file was made. Text is escaped and
/// lines are folded at 75 octets, never inside a character.
pub fn ics(
    booking: &Booking,
    title: &str,
    location: &str,
    slot_minutes: u16,
    made_at_utc: NaiveDateTime,
) -> String {
    let escape = |s: &str| {
        s.replace('\\', "\\\\")
            .replace(';', "\\;")
            .replace(',', "\\,")
            .replace("\r\n", "\\n")
            .replace('\n', "\\n")
    };
    let utc = |at: NaiveDateTime| {
        use chrono::{Datelike, Timelike};
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            at.year(),
            at.month(),
            at.day(),
            at.hour(),
            at.minute(),
            at.second()
        )
    };
    let office_to_utc =
        |at: NaiveDateTime| at - TimeDelta::minutes(super::time::OFFICE_UTC_OFFSET_MINUTES);
    let start = slot_start(&booking.slot).unwrap_or_default();
    let end = start + TimeDelta::minutes(i64::from(slot_minutes));
    [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".into(),
        "PRODID:-//civic-kiosk//booking//VI".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{}@civic-kiosk", booking.code),
        format!("DTSTAMP:{}", utc(made_at_utc)),
        format!("DTSTART:{}", utc(office_to_utc(start))),
        format!("DTEND:{}", utc(office_to_utc(end))),
        format!("SUMMARY:{}", escape(title)),
        format!("LOCATION:{}", escape(location)),
        format!(
            "DESCRIPTION:{}",
            escape(&super::booking_code::display_code(&booking.code))
        ),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ]
    .iter()
    .map(|line| fold_line(line))
    .collect::<String>()
}

/// One content line, folded into lines of at most 75 octets (RFC 5545 §3.1), each ending CRLF.
fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
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
    use crate::booking_code::make_code;
    use crate::schedule::tests::{at, day, plan};

    fn slot_at(date: &str, hour: u16) -> SlotKey {
        SlotKey {
            counter: "id-card".into(),
            date: day(date),
            start: ClockTime(hour * 60),
        }
    }

    fn booking(code: &str, date: &str) -> Booking {
        Booking {
            code: code.into(),
            procedure: "id-card-replace".into(),
            slot: slot_at(date, 8),
            name: "Nguyễn Thị Hồng Nhung".into(),
            phone: "0912345678".into(),
            status: BookingStatus::Booked,
        }
    }

    #[test]
    fn kept_copies_expire_thirty_days_after_their_day_with_their_tokens() {
        let mut book = BookingBook::default();
        book.keep(booking("AAAAAA1", "2026-11-30"), Some("token".into()));
        assert!(
            !book.drop_expired(day("2026-12-30")),
            "30 days after: still kept"
        );
        assert_eq!(book.bookings.len(), 1);
        assert!(book.drop_expired(day("2026-12-31")), "31 days after: gone");
        assert!(book.bookings.is_empty() && book.tokens.is_empty());
    }

    #[test]
    fn keeping_a_booking_again_refreshes_it_and_keeps_its_token() {
        let mut book = BookingBook::default();
        book.keep(booking("AAAAAA1", "2026-11-30"), Some("token".into()));
        let mut arrived = booking("AAAAAA1", "2026-11-30");
        arrived.status = BookingStatus::Arrived;
        book.keep(arrived, None);
        assert_eq!(book.bookings.len(), 1);
        assert_eq!(
            book.find("AAAAAA1").map(|b| b.status),
            Some(BookingStatus::Arrived)
        );
        assert_eq!(
            book.tokens.get("AAAAAA1").map(String::as_str),
            Some("token")
        );
    }

    // The rules the station server applies to every request, the same the app checks first.
    #[test]
    fn details_are_tidied_or_refused_with_the_field_to_fix() {
        assert_eq!(
            check_details("  Nguyễn   Thị  Hồng Nhung ", "+84 912 345 678"),
            Ok(("Nguyễn Thị Hồng Nhung".into(), "0912345678".into()))
        );
        assert_eq!(
            check_details("  ", "0912345678"),
            Err(BookingError::NameMissing)
        );
        assert_eq!(
            check_details("An\u{0}", "0912345678"),
            Err(BookingError::NameInvalid)
        );
        assert_eq!(
            check_details(&"A".repeat(101), "0912345678"),
            Err(BookingError::NameInvalid)
        );
        assert_eq!(
            check_details("An", "0262 3850 000"),
            Err(BookingError::PhoneInvalid),
            "landline"
        );
        assert_eq!(
            check_contact("", "12")
                .into_iter()
                .map(|(f, _)| f)
                .collect::<Vec<_>>(),
            [ContactField::Name, ContactField::Phone],
            "every problem at once"
        );
    }

    #[test]
    fn only_times_the_plan_offers_can_be_booked_and_their_capacity_is_the_counters() {
        let plan = plan();
        let now = at("2026-11-24", 8, 0);
        assert_eq!(
            check_slot_offered(&plan, "id-card-replace", &slot_at("2026-11-30", 8), now),
            Ok(2)
        );
        assert_eq!(
            check_slot_offered(&plan, "id-card-replace", &slot_at("2026-11-30", 12), now),
            Err(BookingError::SlotNotOffered),
            "lunch"
        );
        assert_eq!(
            check_slot_offered(&plan, "id-card-replace", &slot_at("2026-12-06", 8), now),
            Err(BookingError::SlotNotOffered),
            "Sunday"
        );
        assert_eq!(
            check_slot_offered(&plan, "id-card-replace", &slot_at("2026-11-24", 9), now),
            Err(BookingError::SlotNotOffered),
            "inside the notice"
        );
        assert_eq!(
            check_slot_offered(&plan, "crime-report", &slot_at("2026-11-30", 8), now),
            Err(BookingError::NotBookable)
        );
        let mut elsewhere = slot_at("2026-11-30", 8);
        elsewhere.counter = "residence".into();
        assert_eq!(
            check_slot_offered(&plan, "id-card-replace", &elsewhere, now),
            Err(BookingError::SlotNotOffered),
            "another counter"
        );
    }

    // Guards against a value the browser's JSON writer refuses becoming an empty write (the
    // kept bookings silently replaced by nothing) or a request reported as "unreachable".
    #[test]
    fn a_value_that_cannot_be_written_is_an_error_not_an_empty_text() {
        let refused = super::super::json::writer::to_string(&1.5f64);
        assert_eq!(refused, None, "the browser's writer refuses floats");
        assert_eq!(written(refused), Err(DeviceStorageError::Unwritable));
        assert_eq!(written(Some("{}".into())), Ok("{}".to_owned()));
        // Its words differ from "unreachable": i18n's tests.
    }

    // Guards against a stored list from another release or a damaged one crashing the app or
    // being overwritten.
    #[test]
    fn stored_bookings_round_trip_and_bad_data_is_recognised() {
        let mut book = BookingBook::default();
        book.keep(booking("AAAAAA4", "2026-11-30"), Some("token".into()));
        let text = encode_stored(&book).expect("written");
        // The browser's writer (json::writer) writes what serde_json writes natively.
        assert_eq!(
            super::super::json::writer::to_string(&book),
            serde_json::to_string(&book).ok()
        );
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
    fn calendar_file_is_in_utc_one_slot_long_escaped_and_folded() {
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
        let made = at("2026-12-02", 3, 4);
        let location = "Công an phường Tân Lập, số 1 đường Mẫu; phường Tân Lập, tỉnh Đắk Lắk";
        let file = ics(&booking, "Cấp lại thẻ căn cước", location, 45, made);
        assert!(file.contains("DTSTART:20270101T003000Z\r\n"), "{file}");
        assert!(
            file.contains("DTEND:20270101T011500Z\r\n"),
            "one 45-minute slot"
        );
        assert!(
            file.contains("DTSTAMP:20261202T030400Z\r\n"),
            "when it was made"
        );
        assert!(file.starts_with("BEGIN:VCALENDAR\r\n") && file.ends_with("END:VCALENDAR\r\n"));
        for line in file.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        // Unfolded, the location reads back escaped, whole.
        let unfolded = file.replace("\r\n ", "");
        assert!(unfolded.contains("LOCATION:Công an phường Tân Lập\\, số 1 đường Mẫu\\; phường Tân Lập\\, tỉnh Đắk Lắk\r\n"), "{unfolded}");
    }

    #[test]
    fn a_set_aside_copy_goes_after_the_same_thirty_days() {
        let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default();
        assert!(
            !super::set_aside_expired(on, day(1)),
            "30 days on: still kept"
        );
        assert!(super::set_aside_expired(on, day(2)));
    }

    // Guards the status words written twice (the match in `as_str`, the `named_enum!` table
    // that reads them and that the databases' CHECK is tested against): they agree.
    #[test]
    fn status_words_are_the_tables() {
        use crate::named::Named;
        for (name, value) in BookingStatus::NAMES.iter().zip(BookingStatus::VALUES) {
            assert_eq!(value.as_str(), *name);
            assert_eq!(BookingStatus::parse(name), Some(*value));
        }
        assert_eq!(BookingStatus::parse("no-show"), None);
    }
}
