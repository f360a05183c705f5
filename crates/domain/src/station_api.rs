//! The station service's JSON API (`/api/v1`, described in crates/server/src/API.md) as types both
//! sides share: the server writes them and the app reads them, so the contract has one copy.

use serde::{Deserialize, Serialize};

use super::booking::{Booking, BookingError};
use super::schedule::SlotKey;
use super::station::ClockTime;

pub const API_PREFIX: &str = "/api/v1";

/// The version of the personal-data notice shown on the booking form. The station stores it
/// with each booking; a booking sent under an older notice is refused (`consent_outdated`).
/// Change it whenever the notice's text changes (`i18n`, `book_privacy_*`).
pub const CONSENT_VERSION: &str = "2026-12-02";

/// Header carrying a booking request's idempotency key: a retry with the same key never books twice.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";
/// Header carrying the random token the booking device keeps, to see, move or cancel it.
pub const MANAGE_TOKEN_HEADER: &str = "x-manage-token";
/// Header carrying the phone number given when booking, the other way to manage a booking.
pub const MANAGE_PHONE_HEADER: &str = "x-booking-phone";
/// Header a staff page sends with every change: the session's anti-forgery token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// `GET /api/v1/health`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    /// "sqlite" or "postgres".
    pub database: String,
    /// The station this address belongs to (a province's server has several).
    pub station: String,
    /// Days after an appointment when its name and phone are deleted (the booking form says so).
    pub retention_days: u32,
}

/// `POST /api/v1/stations/{station}/bookings`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBooking {
    pub procedure: String,
    pub slot: SlotKey,
    pub name: String,
    pub phone: String,
    pub consent_version: String,
}

/// The answer to a new booking: the booking and the token that lets this device manage it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    pub booking: Booking,
    pub manage_token: String,
}

/// `POST …/bookings/{code}/move`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveTo {
    pub slot: SlotKey,
}

/// `GET …/availability?procedure=…&from=…&to=…`: places taken per bookable slot, no personal
/// data. One entry a day with two parallel lists (slot starts, places taken), so a month of a
/// counter is a few kilobytes — it is asked for on every booking page, often over 3G.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    pub procedure: String,
    pub counter: String,
    /// Places in each slot of this counter.
    pub capacity: u32,
    pub days: Vec<DayCount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    #[serde(with = "super::time::iso_date_serde")]
    pub date: chrono::NaiveDate,
    /// The day's bookable slots (minutes after midnight), earliest first.
    pub starts: Vec<ClockTime>,
    /// Places taken in each, in the same order.
    pub taken: Vec<u32>,
}

impl Availability {
    /// Places taken in a slot, as the station counted them.
    pub fn taken(&self, slot: &SlotKey) -> u32 {
        if slot.counter != self.counter {
            return 0;
        }
        self.days
            .iter()
            .find(|d| d.date == slot.date)
            .and_then(|d| {
                d.starts
                    .iter()
                    .position(|s| *s == slot.start)
                    .and_then(|i| d.taken.get(i))
            })
            .copied()
            .unwrap_or(0)
    }

    /// Every bookable slot with its places taken.
    pub fn slots(&self) -> impl Iterator<Item = (SlotKey, u32)> + '_ {
        self.days.iter().flat_map(move |day| {
            day.starts
                .iter()
                .zip(&day.taken)
                .map(move |(start, taken)| {
                    (
                        SlotKey {
                            counter: self.counter.clone(),
                            date: day.date,
                            start: *start,
                        },
                        *taken,
                    )
                })
        })
    }
}

/// `POST …/bookings/{code}/check-in` at the terminal: what the citizen needs to see, no name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedIn {
    pub code: String,
    pub procedure: String,
    pub slot: SlotKey,
    /// The citizen's place in the one queue: called at the slot's time ahead of walk-ins, or
    /// among the walk-ins when checked in too late (the ticket says which). None where the
    /// station could not number one (the check-in stands).
    #[serde(default)]
    pub ticket: Option<super::queue::TicketTaken>,
}

/// `POST /api/v1/staff/login`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffLogin {
    pub station: String,
    pub username: String,
    pub password: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Officer,
    Admin,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Officer => "officer",
            StaffRole::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<StaffRole> {
        match text {
            "officer" => Some(StaffRole::Officer),
            "admin" => Some(StaffRole::Admin),
            _ => None,
        }
    }
}

/// Who is logged in (`POST /api/v1/staff/login`, `GET /api/v1/staff/session`), with the token
/// the page sends back in `X-CSRF-Token` on every change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSession {
    pub station: String,
    pub username: String,
    pub role: StaffRole,
    /// May draft and approve changes to the station's content (the content desk).
    #[serde(default)]
    pub editor: bool,
    pub csrf_token: String,
}

/// `GET /api/v1/staff/day?date=…`: the day's bookings, earliest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayList {
    #[serde(with = "super::time::iso_date_serde")]
    pub date: chrono::NaiveDate,
    pub bookings: Vec<Booking>,
}

/// A staff account as an admin sees it (never its password).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccount {
    pub username: String,
    pub role: StaffRole,
    /// May draft and approve changes to the station's content; admins always may.
    #[serde(default)]
    pub editor: bool,
    pub disabled: bool,
}

/// `POST /api/v1/staff/accounts` (admins only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewStaffAccount {
    pub username: String,
    pub password: String,
    pub role: StaffRole,
    /// Gives the content desk to an officer (admins have it).
    #[serde(default)]
    pub editor: bool,
}

/// A reception terminal the station enrolled for check-in, as an admin sees it. A terminal is
/// added with a one-time enrolment code (shown to the admin once, typed on the terminal before
/// it expires), which gives the terminal a long-lived credential (a cookie the page cannot
/// read); check-in takes that credential, and revoking the terminal ends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terminal {
    pub id: i64,
    pub name: String,
    pub enrolled: bool,
    /// Until when its enrolment code may be typed (not yet enrolled, not revoked).
    pub enrolment_expires_ms: Option<i64>,
    pub last_used_ms: Option<i64>,
    pub revoked: bool,
}

/// `POST /api/v1/staff/terminals` (admins only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTerminal {
    pub name: String,
}

/// The answer to `POST /api/v1/staff/terminals`: the code to type on the terminal, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalAdded {
    pub terminal: Terminal,
    pub enrolment_code: String,
}

/// `POST /api/v1/stations/{station}/terminal/enrol`, typed on the terminal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerminalEnrolment {
    pub code: String,
}

/// A terminal's name as an admin types it: 1–60 characters, no control characters. Trimmed.
pub fn terminal_name(text: &str) -> Option<String> {
    let name = text.trim();
    ((1..=60).contains(&name.chars().count()) && !name.chars().any(char::is_control))
        .then(|| name.to_owned())
}

/// An account whose logins must wait now, from some address, and the longest wait in seconds:
/// the admin's desk lists them and can lift the wait.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginWait {
    pub username: String,
    pub wait_secs: u64,
}

/// The shortest staff password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// A staff user name: 3–32 lower-case letters, digits, dots, dashes or underscores.
pub fn valid_username(name: &str) -> bool {
    (3..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// Every refusal: a word for programs, a sentence in each language for people, and what the
/// citizen can do next (the nearest free times). A refusal never names a booking's code: only
/// its code and phone together, or its manage token, prove whose it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
    pub message_vi: String,
    pub message_en: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nearest: Vec<SlotKey>,
}

impl ApiError {
    /// The answer for a booking error, worded by `words` in each language (the words live in
    /// i18n, a layer above).
    pub fn for_booking(error: &BookingError, words: impl Fn(super::text::Lang) -> String) -> Self {
        use super::text::Lang;
        ApiError {
            error: error.code().to_owned(),
            message_vi: words(Lang::Vi),
            message_en: words(Lang::En),
            nearest: match error {
                BookingError::SlotFull { nearest } => nearest.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl ApiError {
    /// The booking error this answer stands for, when it is one the app knows.
    pub fn booking_error(&self) -> Option<BookingError> {
        use BookingError::*;
        Some(match self.error.as_str() {
            "name_missing" => NameMissing,
            "name_invalid" => NameInvalid,
            "phone_invalid" => PhoneInvalid,
            "not_bookable" => NotBookable,
            "slot_not_offered" => SlotNotOffered,
            "slot_full" => SlotFull {
                nearest: self.nearest.clone(),
            },
            "already_booked" => AlreadyBooked,
            "unknown_code" => UnknownCode,
            "cancelled" => Cancelled,
            "too_many_requests" | "daily_cap" => TooMany,
            "consent_outdated" => ConsentOutdated,
            "not_yours" => NotYours,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::tests::day;

    // Guards against the two sides drifting: every booking error the server sends comes back
    // as the same error in the app.
    #[test]
    fn booking_errors_survive_the_round_trip() {
        let slot = SlotKey {
            counter: "id-card".into(),
            date: day("2026-12-03"),
            start: ClockTime(480),
        };
        for error in [
            BookingError::NameMissing,
            BookingError::NameInvalid,
            BookingError::PhoneInvalid,
            BookingError::NotBookable,
            BookingError::SlotNotOffered,
            BookingError::SlotFull {
                nearest: vec![slot.clone()],
            },
            BookingError::AlreadyBooked,
            BookingError::UnknownCode,
            BookingError::Cancelled,
            BookingError::TooMany,
            BookingError::ConsentOutdated,
            BookingError::NotYours,
        ] {
            let sent = serde_json::to_string(&ApiError::for_booking(&error, |_| String::new()))
                .expect("json");
            let read: ApiError = serde_json::from_str(&sent).expect("parse");
            assert_eq!(read.booking_error(), Some(error));
        }
    }

    #[test]
    fn the_browser_writes_the_station_requests_as_serde_json_does() {
        // The browser's writer (the json crate) must write what the server reads.
        fn written_as_serde_json_writes<T: serde::Serialize>(value: &T) {
            assert_eq!(
                json::writer::to_string(value),
                serde_json::to_string(value).ok()
            );
        }
        let slot = r#"{"counter":"id-card","date":"2026-11-30","start":540}"#;
        let new_booking: NewBooking = serde_json::from_str(&format!(
            r#"{{"procedure":"id-card-replace","slot":{slot},"name":"Phạm Thị Thu Hà","phone":"0903111222","consent_version":"2026-11"}}"#
        ))
        .expect("a request");
        written_as_serde_json_writes(&new_booking);
        let move_to: MoveTo =
            serde_json::from_str(&format!(r#"{{"slot":{slot}}}"#)).expect("a request");
        written_as_serde_json_writes(&move_to);
    }
}
