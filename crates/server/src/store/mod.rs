//! The appointment book's storage: one trait, two databases. SQLite (one file, nothing to
//! install) is the default; PostgreSQL serves a province whose stations share one database.
//!
//! The invariants live in the schema, not in this code (see the migrations):
//! - a slot never holds more active bookings than its capacity: each active booking holds a
//!   numbered place, `CHECK (place BETWEEN 1 AND capacity)`, and a unique index over
//!   (station, counter, date, start, place) among bookings not cancelled;
//! - one upcoming booking per phone and procedure: a unique index over (station, procedure,
//!   phone) among bookings still `booked`;
//! - a booking code is unique per station; an idempotency key is stored once per station;
//! - the audit log is append-only: triggers refuse UPDATE and DELETE.
//!
//! The code picks the lowest free place as a hint; when two requests pick the same one, the
//! index refuses the second, which tries the next place or is told the slot is full.

use std::future::Future;

use chrono::NaiveDate;

use domain::booking::{Booking, BookingStatus};
use domain::queue::{QueueError, QueueEvent, Ticket};
use domain::schedule::SlotKey;
use domain::station_api::{StaffAccount, StaffRole, Terminal};

pub mod content;
mod dialect;
pub mod postgres;
pub mod questions;
pub mod queue;
mod rules;
pub mod sqlite;

/// A booking to store, already checked against the station's plan and the domain's rules.
#[derive(Clone, Debug)]
pub struct NewRow {
    pub station: String,
    pub code: String,
    pub procedure: String,
    pub slot: SlotKey,
    pub capacity: u32,
    pub name: String,
    pub phone: String,
    pub manage_token_hash: String,
    pub consent_version: String,
    /// Milliseconds since the Unix epoch.
    pub now_ms: i64,
    /// The office's date now: the per-phone daily cap counts bookings made on it.
    pub today: NaiveDate,
    /// Bookings of this phone and procedure whose slot began before this (office time,
    /// minutes after midnight of `today`) are past: they become no-shows and stop blocking.
    pub now_minutes: u16,
    /// How many bookings one phone may make on one day (cancelled ones count).
    pub daily_cap: u32,
    pub idempotency: Option<Idempotency>,
}

#[derive(Clone, Debug)]
pub struct Idempotency {
    pub key: String,
    /// A hash of the request body: the same key with another body is refused.
    pub request_hash: String,
}

/// What the store refuses, in its own terms; the API turns these into answers.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("the slot is full")]
    Full,
    #[error("this phone already holds a booking for this procedure")]
    AlreadyBooked,
    #[error("no booking has this code")]
    UnknownCode,
    #[error("the booking is not in a state that allows this")]
    WrongState(BookingStatus),
    #[error("this phone has made the most bookings allowed today")]
    DailyCap,
    #[error("this idempotency key was used for another request")]
    IdempotencyMismatch,
    #[error("the booking code is already used")]
    CodeTaken,
    #[error("that user name is taken")]
    UsernameTaken,
    #[error("the queue: {0:?}")]
    Queue(QueueError),
    #[error("the content desk: {0:?}")]
    Content(domain::content_desk::ContentError),
    #[error("questions: {0:?}")]
    Question(domain::questions::QuestionError),
    #[error("database: {0}")]
    Database(String),
}

/// A booking as stored, with what only the server sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredBooking {
    pub booking: Booking,
    pub manage_token_hash: String,
}

/// Places taken in one slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Taken {
    pub date: NaiveDate,
    pub start: u16,
    pub taken: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub station: String,
    pub username: String,
    pub password_hash: String,
    pub role: StaffRole,
    pub disabled: bool,
    /// May draft and approve content changes (the content desk).
    pub editor: bool,
}

impl Account {
    /// Whether the account may use the content desk: editors and admins.
    pub fn may_edit_content(&self) -> bool {
        self.editor || self.role == StaffRole::Admin
    }

    pub fn public(&self) -> StaffAccount {
        StaffAccount {
            username: self.username.clone(),
            role: self.role,
            editor: self.editor,
            disabled: self.disabled,
        }
    }
}

/// One staff action: who, what, when, and which booking — never the citizen's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub station: String,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
    pub at_ms: i64,
}

type Result<T> = std::result::Result<T, StoreError>;

// The appointment book's contract: the `Store` trait and `AnyStore`'s forwarding of it, both
// made from the one list below, so a method added to the contract reaches whichever database is
// open without a line written for it.
macro_rules! store_contract {
    ($(
        $(#[$doc:meta])*
        fn $name:ident(&self $(, $arg:ident: $ty:ty)* $(,)?) -> $out:ty;
    )*) => {
        /// The appointment book. Every method is one transaction.
        pub trait Store: Send + Sync + 'static {
            /// "sqlite" or "postgres".
            fn kind(&self) -> &'static str;
            $(
                $(#[$doc])*
                fn $name(&self $(, $arg: $ty)*) -> impl Future<Output = Result<$out>> + Send;
            )*
        }

        /// One match per method, so the server is one concrete type whichever database it has.
        impl Store for AnyStore {
            fn kind(&self) -> &'static str {
                match self {
                    AnyStore::Sqlite(store) => store.kind(),
                    AnyStore::Postgres(store) => store.kind(),
                }
            }
            $(
                async fn $name(&self $(, $arg: $ty)*) -> Result<$out> {
                    match self {
                        AnyStore::Sqlite(store) => store.$name($($arg),*).await,
                        AnyStore::Postgres(store) => store.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

store_contract! {
    /// Places taken per slot at a counter between two dates (inclusive): counts only.
    fn taken(&self, station: &str, counter: &str, from: NaiveDate, to: NaiveDate) -> Vec<Taken>;

    /// Stores a booking in the lowest free place of its slot. With an idempotency key already
    /// used for the same request, returns the booking made then and `true`.
    fn insert_booking(&self, row: NewRow) -> (Booking, bool);

    fn find(&self, station: &str, code: &str) -> Option<StoredBooking>;

    /// Moves a `booked` booking to another slot (a place there, or `Full`), keeping its code.
    fn move_booking(&self, station: &str, code: &str, slot: &SlotKey, capacity: u32, now_ms: i64) -> Booking;

    /// Changes the status of a booking whose status is one of `from`.
    fn set_status(&self, station: &str, code: &str, from: &[BookingStatus], to: BookingStatus, now_ms: i64) -> Booking;

    /// Bookings on a day not cancelled, earliest first.
    fn day(&self, station: &str, date: NaiveDate) -> Vec<Booking>;

    /// Removes name and phone from bookings of `station` dated before `before`; how many.
    fn erase_personal_data(&self, station: &str, before: NaiveDate, now_ms: i64) -> u64;

    /// Drops idempotency keys and staff sessions older than `before_ms`.
    fn drop_expired(&self, before_ms: i64) -> ();

    fn audit(&self, entry: AuditEntry) -> ();

    /// The newest entries first; only `actor`'s when given.
    fn audit_log(&self, station: &str, actor: Option<&str>, limit: u32) -> Vec<AuditEntry>;

    fn create_account(&self, station: &str, username: &str, password_hash: &str, role: StaffRole, now_ms: i64) -> Account;

    fn account(&self, station: &str, username: &str) -> Option<Account>;

    fn accounts(&self, station: &str) -> Vec<Account>;

    /// Gives or takes the content desk from an account.
    fn set_editor(&self, station: &str, username: &str, editor: bool) -> Account;

    /// Disables or re-enables an account; a disabled account's sessions end at once.
    fn set_disabled(&self, station: &str, username: &str, disabled: bool) -> Account;

    fn create_session(&self, token_hash: &str, account_id: i64, csrf_token: &str, expires_ms: i64) -> ();

    /// The enabled account behind a live session, and the session's anti-forgery token.
    fn session(&self, token_hash: &str, now_ms: i64) -> Option<(Account, String)>;

    fn delete_session(&self, token_hash: &str) -> ();

    /// Adds a reception terminal waiting for its enrolment code (stored hashed) until `expires_ms`.
    fn add_terminal(&self, station: &str, name: &str, enrolment_hash: &str, expires_ms: i64, now_ms: i64) -> Terminal;

    /// Enrols the terminal whose live enrolment code this is: the code is spent, the
    /// credential (stored hashed) set. `UnknownCode` for a wrong, spent or expired code.
    fn enrol_terminal(&self, station: &str, enrolment_hash: &str, credential_hash: &str, now_ms: i64) -> Terminal;

    /// The enrolled, unrevoked terminal holding this credential, its last use set to now.
    fn use_terminal(&self, station: &str, credential_hash: &str, now_ms: i64) -> Option<Terminal>;

    fn terminals(&self, station: &str) -> Vec<Terminal>;

    /// Revokes a terminal: its credential and any enrolment code stop working at once.
    fn revoke_terminal(&self, station: &str, id: i64, now_ms: i64) -> Terminal;

    /// Numbers and stores a queue ticket (see `queue::take`).
    fn take_ticket(&self, ticket: queue::NewTicket) -> Ticket;

    /// Calls a counter's next ticket to an officer who has none open; `Queue(Empty)` if none.
    fn call_next(&self, call: queue::NextCall) -> Ticket;

    /// One step of one of the day's tickets, as `domain::queue::after` allows.
    fn step_ticket(&self, step: queue::TicketStep) -> Ticket;

    /// The day's tickets, oldest first, and the id of the station's newest queue event.
    fn queue_day(&self, station: &str, day: &str) -> (Vec<Ticket>, i64);

    /// The day's ticket whose token has this hash.
    fn ticket_by_token(&self, station: &str, day: &str, token_hash: &str) -> Option<Ticket>;

    /// The station's queue events after `after`, oldest first, at most `limit`.
    fn queue_events(&self, station: &str, after: i64, limit: u32) -> Vec<QueueEvent>;

    /// Each data file's newest revision, for the files the content desk has changed.
    fn content_heads(&self, station: &str) -> Vec<(String, i64)>;

    /// One revision of a file and its text.
    fn content_revision(&self, station: &str, file: &str, revision: i64) -> Option<(domain::content_desk::RevisionInfo, String)>;

    /// A file's revisions, newest first.
    fn content_revisions(&self, station: &str, file: &str, limit: u32) -> Vec<domain::content_desk::RevisionInfo>;

    fn save_draft(&self, row: content::NewDraftRow) -> content::StoredDraft;

    /// The open drafts, oldest first, then the `decided` last decided.
    fn content_drafts(&self, station: &str, decided: u32) -> Vec<content::StoredDraft>;

    fn content_draft(&self, station: &str, id: i64) -> Option<content::StoredDraft>;

    /// Rejects or withdraws an open draft.
    fn decide_draft(&self, station: &str, id: i64, status: domain::content_desk::DraftStatus, by: &str, now_ms: i64) -> content::StoredDraft;

    /// A file's next revision (see `content::publish`); its number.
    fn publish_content(&self, publish: content::Publish) -> i64;

    fn content_settings(&self, station: &str) -> domain::content_desk::ContentSettings;

    fn set_content_settings(&self, station: &str, settings: domain::content_desk::ContentSettings) -> domain::content_desk::ContentSettings;

    /// The station's queue steps on the days `from` to `to` (inclusive), in order.
    fn queue_history(&self, station: &str, from: &str, to: &str) -> Vec<domain::queue_figures::Step>;

    /// Keeps a citizen's question; `CodeTaken` when its code is already used.
    fn insert_question(&self, row: questions::NewQuestionRow) -> questions::StoredQuestion;

    /// The station's question with this code, erased or not.
    fn find_question(&self, station: &str, code: &str) -> Option<questions::StoredQuestion>;

    /// Open questions oldest first, then the `decided` latest answered or set aside; none erased.
    fn question_inbox(&self, station: &str, decided: u32) -> Vec<questions::StoredQuestion>;

    /// An officer's step on an open question (see `questions::step`).
    fn step_question(&self, station: &str, code: &str, by: &str, step: questions::QuestionStep, now_ms: i64) -> questions::StoredQuestion;

    /// Erases what was written in questions decided before `decided_before_ms` and in open
    /// ones asked before `asked_before_ms`; how many.
    fn erase_questions(&self, station: &str, decided_before_ms: i64, asked_before_ms: i64, now_ms: i64) -> u64;
}

/// The columns every terminal query selects, in `terminal_from_columns` order.
pub(crate) const TERMINAL_COLUMNS: &str =
    "id, name, enrolled_at, enrolment_expires_at, last_used_at, revoked_at";

/// A terminal from its columns, as both databases return them.
pub(crate) fn terminal_from_columns(
    id: i64,
    name: String,
    enrolled_at: Option<i64>,
    enrolment_expires_at: Option<i64>,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
) -> Terminal {
    Terminal {
        id,
        name,
        enrolled: enrolled_at.is_some(),
        enrolment_expires_ms: enrolment_expires_at.filter(|_| revoked_at.is_none()),
        last_used_ms: last_used_at,
        revoked: revoked_at.is_some(),
    }
}

/// The database chosen at start.
pub enum AnyStore {
    Sqlite(sqlite::SqliteStore),
    Postgres(postgres::PgStore),
}

/// Opens the database a `DATABASE_URL`-style address names: `postgres://…` or
/// `postgresql://…` for PostgreSQL, anything else a SQLite file path. Applies migrations.
pub async fn open(address: &str) -> Result<AnyStore> {
    if address.starts_with("postgres://") || address.starts_with("postgresql://") {
        Ok(AnyStore::Postgres(postgres::PgStore::open(address).await?))
    } else {
        Ok(AnyStore::Sqlite(sqlite::SqliteStore::open(address)?))
    }
}

/// A booking from a row's columns, as both databases return them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn booking_from_columns(
    code: String,
    procedure: String,
    counter: String,
    date: &str,
    start: i64,
    name: Option<String>,
    phone: Option<String>,
    status: &str,
) -> Result<Booking> {
    let date = domain::time::parse_iso_date(date)
        .ok_or_else(|| StoreError::Database(format!("bad date in the book: {date}")))?;
    let start = u16::try_from(start)
        .map_err(|_| StoreError::Database(format!("bad start in the book: {start}")))?;
    let status = BookingStatus::parse(status)
        .ok_or_else(|| StoreError::Database(format!("bad status in the book: {status}")))?;
    Ok(Booking {
        code,
        procedure,
        slot: SlotKey {
            counter,
            date,
            start: domain::station::ClockTime(start),
        },
        name: name.unwrap_or_default(),
        phone: phone.unwrap_or_default(),
        status,
    })
}

/// The columns every booking query selects, in `booking_from_columns` order.
pub(crate) const BOOKING_COLUMNS: &str =
    "code, procedure, counter, slot_date, slot_start, name, phone, status";

// Guards the status names against drifting: each database's CHECK lists exactly the names the
// domain reads and writes (`BookingStatus`'s one table), in its order.
#[cfg(test)]
mod status_names {
    use domain::booking::BookingStatus;
    use domain::named::Named;

    #[test]
    fn the_bookings_tables_allow_exactly_the_domains_statuses() {
        let listed: Vec<String> = BookingStatus::NAMES
            .iter()
            .map(|n| format!("'{n}'"))
            .collect();
        let check = format!("status IN ({})", listed.join(", "));
        for (database, first) in [
            ("sqlite", super::sqlite::MIGRATIONS[0].1),
            ("postgres", super::postgres::MIGRATIONS[0].1),
        ] {
            assert!(first.contains(&check), "{database}: {check}");
        }
    }
}
