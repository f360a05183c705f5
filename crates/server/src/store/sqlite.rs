//! The embedded appointment book: one SQLite file (WAL), nothing to install. Writes go through
//! one connection, one transaction at a time (SQLite has one writer anyway); reads use a small
//! pool of their own connections, which WAL lets run beside the writer.

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use std::future::Future;

use rusqlite::{params_from_iter, Connection, ErrorCode, TransactionBehavior};

use super::content::{self, NewDraftRow, Publish, StoredDraft};
use super::dialect::{numbered_for_sqlite, Arg, Cell, Failure, Row, Tx, Unique};
use super::questions::{self, NewQuestionRow, QuestionStep, StoredQuestion};
use super::queue::{self, NewTicket, NextCall, TicketStep};
use super::rules::{self, Attempt, RETRIES};
use super::{Account, AuditEntry, NewRow, Result, Store, StoreError, StoredBooking, Taken};
use domain::booking::{Booking, BookingStatus};
use domain::content_desk::{ContentSettings, DraftStatus, RevisionInfo};
use domain::queue::{QueueEvent, Ticket};
use domain::schedule::SlotKey;
use domain::station_api::{StaffRole, Terminal};
use domain::time::format_iso_date;

/// Versioned migrations, applied in order at start; a version is never edited once released.
pub(super) const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    "
CREATE TABLE bookings (
  id INTEGER PRIMARY KEY,
  station TEXT NOT NULL,
  code TEXT NOT NULL,
  procedure TEXT NOT NULL,
  counter TEXT NOT NULL,
  slot_date TEXT NOT NULL,
  slot_start INTEGER NOT NULL,
  place INTEGER NOT NULL,
  capacity INTEGER NOT NULL,
  name TEXT,
  phone TEXT,
  status TEXT NOT NULL CHECK (status IN ('booked', 'arrived', 'no_show', 'cancelled')),
  manage_token_hash TEXT NOT NULL,
  consent_version TEXT NOT NULL,
  consented_at INTEGER NOT NULL,
  created_day TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  erased_at INTEGER,
  CHECK (place >= 1 AND place <= capacity),
  UNIQUE (station, code)
);
CREATE UNIQUE INDEX bookings_one_place
  ON bookings (station, counter, slot_date, slot_start, place) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX bookings_one_per_person
  ON bookings (station, procedure, phone) WHERE status = 'booked';
CREATE INDEX bookings_by_day ON bookings (station, slot_date);
CREATE INDEX bookings_by_phone_day ON bookings (station, phone, created_day);
CREATE TABLE idempotency_keys (
  station TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  booking_code TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (station, key)
);
CREATE TABLE staff_accounts (
  id INTEGER PRIMARY KEY,
  station TEXT NOT NULL,
  username TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('officer', 'admin')),
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  UNIQUE (station, username)
);
CREATE TABLE staff_sessions (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES staff_accounts (id),
  csrf_token TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  station TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  at INTEGER NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
",
), (
    2,
    // Places taken per slot, kept by the database itself on every write, so availability reads
    // a row per slot instead of counting every booking of the month.
    "
CREATE TABLE slot_counts (
  station TEXT NOT NULL,
  counter TEXT NOT NULL,
  slot_date TEXT NOT NULL,
  slot_start INTEGER NOT NULL,
  taken INTEGER NOT NULL CHECK (taken >= 0),
  PRIMARY KEY (station, counter, slot_date, slot_start)
) WITHOUT ROWID;
INSERT INTO slot_counts (station, counter, slot_date, slot_start, taken)
  SELECT station, counter, slot_date, slot_start, count(*) FROM bookings
  WHERE status <> 'cancelled' GROUP BY station, counter, slot_date, slot_start;
CREATE TRIGGER bookings_count_insert AFTER INSERT ON bookings WHEN NEW.status <> 'cancelled'
BEGIN
  INSERT INTO slot_counts (station, counter, slot_date, slot_start, taken)
    VALUES (NEW.station, NEW.counter, NEW.slot_date, NEW.slot_start, 1)
    ON CONFLICT (station, counter, slot_date, slot_start) DO UPDATE SET taken = taken + 1;
END;
CREATE TRIGGER bookings_count_leave AFTER UPDATE OF status, counter, slot_date, slot_start ON bookings
  WHEN OLD.status <> 'cancelled'
BEGIN
  UPDATE slot_counts SET taken = taken - 1
    WHERE station = OLD.station AND counter = OLD.counter AND slot_date = OLD.slot_date AND slot_start = OLD.slot_start;
END;
CREATE TRIGGER bookings_count_enter AFTER UPDATE OF status, counter, slot_date, slot_start ON bookings
  WHEN NEW.status <> 'cancelled'
BEGIN
  INSERT INTO slot_counts (station, counter, slot_date, slot_start, taken)
    VALUES (NEW.station, NEW.counter, NEW.slot_date, NEW.slot_start, 1)
    ON CONFLICT (station, counter, slot_date, slot_start) DO UPDATE SET taken = taken + 1;
END;
",
), (
    3,
    // Reception terminals enrolled for check-in: an enrolment code and a credential, each
    // stored as its SHA-256 only.
    "
CREATE TABLE terminals (
  id INTEGER PRIMARY KEY,
  station TEXT NOT NULL,
  name TEXT NOT NULL,
  enrolment_hash TEXT UNIQUE,
  enrolment_expires_at INTEGER,
  credential_hash TEXT UNIQUE,
  created_at INTEGER NOT NULL,
  enrolled_at INTEGER,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX terminals_by_station ON terminals (station);
",
), (
    4,
    // Bookings made per phone per office day, kept by the database: the daily cap is one
    // conditional write in the booking's transaction, so concurrent requests — on one server or
    // several — cannot pass it together. Erased with the bookings' personal data.
    "
CREATE TABLE phone_days (
  station TEXT NOT NULL,
  phone TEXT NOT NULL,
  day TEXT NOT NULL,
  made INTEGER NOT NULL CHECK (made >= 1),
  PRIMARY KEY (station, phone, day)
) WITHOUT ROWID;
INSERT INTO phone_days (station, phone, day, made)
  SELECT station, phone, created_day, count(*) FROM bookings WHERE phone IS NOT NULL
  GROUP BY station, phone, created_day;
",
), (
    5,
    // The one queue (store/queue.rs).
    super::queue::queue_tables!("INTEGER PRIMARY KEY"),
), (
    6,
    // The content desk (store/content.rs), and the accounts that may use it.
    concat!(
        "ALTER TABLE staff_accounts ADD COLUMN editor INTEGER NOT NULL DEFAULT 0;",
        super::content::content_tables!("INTEGER PRIMARY KEY"),
    ),
), (
    7,
    // Questions to the station (store/questions.rs).
    super::questions::question_tables!("INTEGER PRIMARY KEY"),
), (
    8,
    // The published answers are a section of the content desk (#29).
    super::content::ANSWERS_SECTION_SQLITE,
)];

const READERS: usize = 4;

pub struct SqliteStore {
    path: String,
    writer: Arc<Mutex<Connection>>,
    readers: Arc<Mutex<Vec<Connection>>>,
}

fn db(error: rusqlite::Error) -> StoreError {
    StoreError::Database(error.to_string())
}

fn connect(path: &str) -> Result<Connection> {
    let conn = Connection::open(path).map_err(db)?;
    // WAL: readers never wait for the writer. synchronous=FULL: a booking answered 201 is on
    // disk, not only in the operating system's cache. busy_timeout: another process (a second
    // server, the add-staff command) holding the write lock makes this one wait, not fail.
    // secure_delete: what a write removes or replaces (an erased name and phone) is
    // overwritten with zeros in the file, not left in free space for anyone with the file.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;",
    )
    .map_err(db)?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
    )
    .map_err(db)?;
    let current: i64 = tx
        .query_row(
            "SELECT coalesce(max(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(db)?;
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        tx.execute_batch(sql).map_err(db)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, strftime('%s','now'))",
            [version],
        )
        .map_err(db)?;
    }
    tx.commit().map_err(db)
}

/// Which unique rule a failed write broke, from SQLite's message ("UNIQUE constraint failed:
/// bookings.station, bookings.procedure, bookings.phone").
fn unique_violation(error: &rusqlite::Error) -> Option<&str> {
    match error {
        rusqlite::Error::SqliteFailure(e, Some(message))
            if e.code == ErrorCode::ConstraintViolation =>
        {
            Some(message.as_str())
        }
        _ => None,
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the book at `path`, creating its folder, and migrates it.
    pub fn open(path: &str) -> Result<SqliteStore> {
        if let Some(folder) = Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(folder).map_err(|e| {
                StoreError::Database(format!("cannot create {}: {e}", folder.display()))
            })?;
        }
        let mut writer = connect(path)?;
        migrate(&mut writer)?;
        Ok(SqliteStore {
            path: path.to_owned(),
            writer: Arc::new(Mutex::new(writer)),
            readers: Arc::new(Mutex::new(Vec::new())),
        })
    }

    /// Runs `work` in one write transaction on the writer connection, off the async threads.
    async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let writer = self.writer.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = writer
                .lock()
                .map_err(|_| StoreError::Database("writer lock poisoned".into()))?;
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            let value = work(&tx)?;
            tx.commit().map_err(db)?;
            Ok(value)
        })
        .await
        .map_err(|e| StoreError::Database(e.to_string()))?
    }

    /// Runs one of the rules written once (`rules.rs`) on the writer connection, each try in a
    /// transaction of its own, committed only when it is done (a try that lost a race cannot
    /// happen with one writer, but is rolled back and tried again if it does).
    async fn write_rules<T: Send + 'static>(
        &self,
        work: impl Fn(&mut SqliteTx<'_>) -> Result<Attempt<T>> + Send + 'static,
    ) -> Result<T> {
        let writer = self.writer.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = writer
                .lock()
                .map_err(|_| StoreError::Database("writer lock poisoned".into()))?;
            for _ in 0..RETRIES {
                let tx = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(db)?;
                if let Attempt::Done(value) = work(&mut SqliteTx(&tx))? {
                    tx.commit().map_err(db)?;
                    return Ok(value);
                }
            }
            Err(StoreError::Database(
                "too many conflicting changes at once; try again".into(),
            ))
        })
        .await
        .map_err(|e| StoreError::Database(e.to_string()))?
    }

    /// Copies the write-ahead log into the database and empties it: the log still holds the
    /// pages as they were before an erasure, name and phone in them.
    async fn checkpoint(&self) -> Result<()> {
        let writer = self.writer.clone();
        tokio::task::spawn_blocking(move || {
            let conn = writer
                .lock()
                .map_err(|_| StoreError::Database("writer lock poisoned".into()))?;
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                .map_err(db)
        })
        .await
        .map_err(|e| StoreError::Database(e.to_string()))?
    }

    /// Runs `work` on a reader connection from the pool (opened on demand, at most a few kept).
    async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (readers, path) = (self.readers.clone(), self.path.clone());
        tokio::task::spawn_blocking(move || {
            let pooled = readers.lock().ok().and_then(|mut pool| pool.pop());
            let conn = match pooled {
                Some(conn) => conn,
                None => connect(&path)?,
            };
            let value = work(&conn);
            if let Ok(mut pool) = readers.lock() {
                if pool.len() < READERS {
                    pool.push(conn);
                }
            }
            value
        })
        .await
        .map_err(|e| StoreError::Database(e.to_string()))?
    }
}

impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    async fn taken(
        &self,
        station: &str,
        counter: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Taken>> {
        let (station, counter) = (station.to_owned(), counter.to_owned());
        let (from, to) = (format_iso_date(from), format_iso_date(to));
        self.read(move |conn| {
            at_once(rules::taken(
                &mut SqliteTx(conn),
                &station,
                &counter,
                &from,
                &to,
            ))?
        })
        .await
    }

    async fn insert_booking(&self, row: NewRow) -> Result<(Booking, bool)> {
        self.write_rules(move |tx| at_once(rules::insert_booking(tx, &row))?)
            .await
    }

    async fn find(&self, station: &str, code: &str) -> Result<Option<StoredBooking>> {
        let (station, code) = (station.to_owned(), code.to_owned());
        self.read(move |conn| at_once(rules::find(&mut SqliteTx(conn), &station, &code))?)
            .await
    }

    async fn move_booking(
        &self,
        station: &str,
        code: &str,
        slot: &SlotKey,
        capacity: u32,
        now_ms: i64,
    ) -> Result<Booking> {
        let (station, code, slot) = (station.to_owned(), code.to_owned(), slot.clone());
        self.write_rules(move |tx| {
            at_once(rules::move_booking(
                tx, &station, &code, &slot, capacity, now_ms,
            ))?
        })
        .await
    }

    async fn set_status(
        &self,
        station: &str,
        code: &str,
        from: &[BookingStatus],
        to: BookingStatus,
        now_ms: i64,
    ) -> Result<Booking> {
        let (station, code, from) = (station.to_owned(), code.to_owned(), from.to_vec());
        self.write_rules(move |tx| {
            at_once(rules::set_status(tx, &station, &code, &from, to, now_ms))?
        })
        .await
    }

    async fn day(&self, station: &str, date: NaiveDate) -> Result<Vec<Booking>> {
        let (station, date) = (station.to_owned(), format_iso_date(date));
        self.read(move |conn| at_once(rules::day(&mut SqliteTx(conn), &station, &date))?)
            .await
    }

    async fn erase_personal_data(
        &self,
        station: &str,
        before: NaiveDate,
        now_ms: i64,
    ) -> Result<u64> {
        let (station, before) = (station.to_owned(), format_iso_date(before));
        let erased = self
            .write(move |tx| {
                at_once(rules::erase_personal_data(
                    &mut SqliteTx(tx),
                    &station,
                    &before,
                    now_ms,
                ))?
            })
            .await?;
        if erased > 0 {
            self.checkpoint().await?;
        }
        Ok(erased)
    }

    async fn drop_expired(&self, before_ms: i64) -> Result<()> {
        self.write(move |tx| at_once(rules::drop_expired(&mut SqliteTx(tx), before_ms))?)
            .await
    }

    async fn audit(&self, entry: AuditEntry) -> Result<()> {
        self.write(move |tx| at_once(rules::audit(&mut SqliteTx(tx), &entry))?)
            .await
    }

    async fn audit_log(
        &self,
        station: &str,
        actor: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>> {
        let (station, actor) = (station.to_owned(), actor.map(str::to_owned));
        self.read(move |conn| {
            at_once(rules::audit_log(
                &mut SqliteTx(conn),
                &station,
                actor.as_deref(),
                limit,
            ))?
        })
        .await
    }

    async fn create_account(
        &self,
        station: &str,
        username: &str,
        password_hash: &str,
        role: StaffRole,
        now_ms: i64,
    ) -> Result<Account> {
        let (station, username, hash) = (
            station.to_owned(),
            username.to_owned(),
            password_hash.to_owned(),
        );
        self.write(move |tx| {
            at_once(rules::create_account(
                &mut SqliteTx(tx),
                &station,
                &username,
                &hash,
                role,
                now_ms,
            ))?
        })
        .await
    }

    async fn account(&self, station: &str, username: &str) -> Result<Option<Account>> {
        let (station, username) = (station.to_owned(), username.to_owned());
        self.read(move |conn| at_once(rules::account(&mut SqliteTx(conn), &station, &username))?)
            .await
    }

    async fn accounts(&self, station: &str) -> Result<Vec<Account>> {
        let station = station.to_owned();
        self.read(move |conn| at_once(rules::accounts(&mut SqliteTx(conn), &station))?)
            .await
    }

    async fn set_disabled(&self, station: &str, username: &str, disabled: bool) -> Result<Account> {
        let (station, username) = (station.to_owned(), username.to_owned());
        self.write(move |tx| {
            at_once(rules::set_disabled(
                &mut SqliteTx(tx),
                &station,
                &username,
                disabled,
            ))?
        })
        .await
    }

    async fn create_session(
        &self,
        token_hash: &str,
        account_id: i64,
        csrf_token: &str,
        expires_ms: i64,
    ) -> Result<()> {
        let (token_hash, csrf) = (token_hash.to_owned(), csrf_token.to_owned());
        self.write(move |tx| {
            at_once(rules::create_session(
                &mut SqliteTx(tx),
                &token_hash,
                account_id,
                &csrf,
                expires_ms,
            ))?
        })
        .await
    }

    async fn session(&self, token_hash: &str, now_ms: i64) -> Result<Option<(Account, String)>> {
        let token_hash = token_hash.to_owned();
        self.read(move |conn| at_once(rules::session(&mut SqliteTx(conn), &token_hash, now_ms))?)
            .await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        let token_hash = token_hash.to_owned();
        self.write(move |tx| at_once(rules::delete_session(&mut SqliteTx(tx), &token_hash))?)
            .await
    }

    async fn add_terminal(
        &self,
        station: &str,
        name: &str,
        enrolment_hash: &str,
        expires_ms: i64,
        now_ms: i64,
    ) -> Result<Terminal> {
        let (station, name, hash) = (
            station.to_owned(),
            name.to_owned(),
            enrolment_hash.to_owned(),
        );
        self.write(move |tx| {
            at_once(rules::add_terminal(
                &mut SqliteTx(tx),
                &station,
                &name,
                &hash,
                expires_ms,
                now_ms,
            ))?
        })
        .await
    }

    async fn enrol_terminal(
        &self,
        station: &str,
        enrolment_hash: &str,
        credential_hash: &str,
        now_ms: i64,
    ) -> Result<Terminal> {
        let (station, code, credential) = (
            station.to_owned(),
            enrolment_hash.to_owned(),
            credential_hash.to_owned(),
        );
        self.write(move |tx| {
            at_once(rules::enrol_terminal(
                &mut SqliteTx(tx),
                &station,
                &code,
                &credential,
                now_ms,
            ))?
        })
        .await
    }

    async fn use_terminal(
        &self,
        station: &str,
        credential_hash: &str,
        now_ms: i64,
    ) -> Result<Option<Terminal>> {
        let (station, credential) = (station.to_owned(), credential_hash.to_owned());
        self.write(move |tx| {
            at_once(rules::use_terminal(
                &mut SqliteTx(tx),
                &station,
                &credential,
                now_ms,
            ))?
        })
        .await
    }

    async fn terminals(&self, station: &str) -> Result<Vec<Terminal>> {
        let station = station.to_owned();
        self.read(move |conn| at_once(rules::terminals(&mut SqliteTx(conn), &station))?)
            .await
    }

    async fn revoke_terminal(&self, station: &str, id: i64, now_ms: i64) -> Result<Terminal> {
        let station = station.to_owned();
        self.write(move |tx| {
            at_once(rules::revoke_terminal(
                &mut SqliteTx(tx),
                &station,
                id,
                now_ms,
            ))?
        })
        .await
    }

    async fn set_editor(&self, station: &str, username: &str, editor: bool) -> Result<Account> {
        let (station, username) = (station.to_owned(), username.to_owned());
        self.write(move |tx| {
            at_once(rules::set_editor(
                &mut SqliteTx(tx),
                &station,
                &username,
                editor,
            ))?
        })
        .await
    }

    async fn content_heads(&self, station: &str) -> Result<Vec<(String, i64)>> {
        let station = station.to_owned();
        self.read(move |conn| at_once(content::heads(&mut SqliteTx(conn), &station))?)
            .await
    }

    async fn content_revision(
        &self,
        station: &str,
        file: &str,
        revision: i64,
    ) -> Result<Option<(RevisionInfo, String)>> {
        let (station, file) = (station.to_owned(), file.to_owned());
        self.read(move |conn| {
            at_once(content::revision(
                &mut SqliteTx(conn),
                &station,
                &file,
                revision,
            ))?
        })
        .await
    }

    async fn content_revisions(
        &self,
        station: &str,
        file: &str,
        limit: u32,
    ) -> Result<Vec<RevisionInfo>> {
        let (station, file) = (station.to_owned(), file.to_owned());
        self.read(move |conn| {
            at_once(content::revisions(
                &mut SqliteTx(conn),
                &station,
                &file,
                limit,
            ))?
        })
        .await
    }

    async fn save_draft(&self, row: NewDraftRow) -> Result<StoredDraft> {
        self.write(move |tx| at_once(content::save_draft(&mut SqliteTx(tx), &row))?)
            .await
    }

    async fn content_drafts(&self, station: &str, decided: u32) -> Result<Vec<StoredDraft>> {
        let station = station.to_owned();
        self.read(move |conn| at_once(content::drafts(&mut SqliteTx(conn), &station, decided))?)
            .await
    }

    async fn content_draft(&self, station: &str, id: i64) -> Result<Option<StoredDraft>> {
        let station = station.to_owned();
        self.read(move |conn| at_once(content::draft(&mut SqliteTx(conn), &station, id))?)
            .await
    }

    async fn decide_draft(
        &self,
        station: &str,
        id: i64,
        status: DraftStatus,
        by: &str,
        now_ms: i64,
    ) -> Result<StoredDraft> {
        let (station, by) = (station.to_owned(), by.to_owned());
        self.write(move |tx| {
            at_once(content::decide(
                &mut SqliteTx(tx),
                &station,
                id,
                status,
                &by,
                now_ms,
            ))?
        })
        .await
    }

    async fn publish_content(&self, publish: Publish) -> Result<i64> {
        self.write(move |tx| at_once(content::publish(&mut SqliteTx(tx), &publish))?)
            .await
    }

    async fn content_settings(&self, station: &str) -> Result<ContentSettings> {
        let station = station.to_owned();
        self.read(move |conn| at_once(content::settings(&mut SqliteTx(conn), &station))?)
            .await
    }

    async fn set_content_settings(
        &self,
        station: &str,
        settings: ContentSettings,
    ) -> Result<ContentSettings> {
        let station = station.to_owned();
        self.write(move |tx| at_once(content::set_settings(&mut SqliteTx(tx), &station, settings))?)
            .await
    }

    async fn take_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        self.write_rules(move |tx| at_once(queue::take(tx, &ticket))?)
            .await
    }

    async fn call_next(&self, call: NextCall) -> Result<Ticket> {
        self.write_rules(move |tx| at_once(queue::call_next(tx, &call))?)
            .await
    }

    async fn step_ticket(&self, step: TicketStep) -> Result<Ticket> {
        self.write_rules(move |tx| at_once(queue::step(tx, &step))?)
            .await
    }

    async fn queue_day(&self, station: &str, day: &str) -> Result<(Vec<Ticket>, i64)> {
        let (station, day) = (station.to_owned(), day.to_owned());
        self.read(move |conn| at_once(queue::day(&mut SqliteTx(conn), &station, &day))?)
            .await
    }

    async fn ticket_by_token(
        &self,
        station: &str,
        day: &str,
        token_hash: &str,
    ) -> Result<Option<Ticket>> {
        let (station, day, hash) = (station.to_owned(), day.to_owned(), token_hash.to_owned());
        self.read(move |conn| at_once(queue::by_token(&mut SqliteTx(conn), &station, &day, &hash))?)
            .await
    }

    async fn queue_events(&self, station: &str, after: i64, limit: u32) -> Result<Vec<QueueEvent>> {
        let station = station.to_owned();
        self.read(move |conn| {
            at_once(queue::events_after(
                &mut SqliteTx(conn),
                &station,
                after,
                limit,
            ))?
        })
        .await
    }

    async fn queue_history(
        &self,
        station: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<domain::queue_figures::Step>> {
        let (station, from, to) = (station.to_owned(), from.to_owned(), to.to_owned());
        self.read(move |conn| at_once(queue::history(&mut SqliteTx(conn), &station, &from, &to))?)
            .await
    }

    async fn insert_question(&self, row: NewQuestionRow) -> Result<StoredQuestion> {
        self.write(move |tx| at_once(questions::insert(&mut SqliteTx(tx), &row))?)
            .await
    }

    async fn find_question(&self, station: &str, code: &str) -> Result<Option<StoredQuestion>> {
        let (station, code) = (station.to_owned(), code.to_owned());
        self.read(move |conn| at_once(questions::find(&mut SqliteTx(conn), &station, &code))?)
            .await
    }

    async fn question_inbox(&self, station: &str, decided: u32) -> Result<Vec<StoredQuestion>> {
        let station = station.to_owned();
        self.read(move |conn| at_once(questions::inbox(&mut SqliteTx(conn), &station, decided))?)
            .await
    }

    async fn step_question(
        &self,
        station: &str,
        code: &str,
        by: &str,
        step: QuestionStep,
        now_ms: i64,
    ) -> Result<StoredQuestion> {
        let (station, code, by) = (station.to_owned(), code.to_owned(), by.to_owned());
        self.write(move |tx| {
            at_once(questions::step(
                &mut SqliteTx(tx),
                &station,
                &code,
                &by,
                &step,
                now_ms,
            ))?
        })
        .await
    }

    async fn erase_questions(
        &self,
        station: &str,
        decided_before_ms: i64,
        asked_before_ms: i64,
        now_ms: i64,
    ) -> Result<u64> {
        let station = station.to_owned();
        let erased = self
            .write(move |tx| {
                at_once(questions::erase(
                    &mut SqliteTx(tx),
                    &station,
                    decided_before_ms,
                    asked_before_ms,
                    now_ms,
                ))?
            })
            .await?;
        if erased > 0 {
            self.checkpoint().await?;
        }
        Ok(erased)
    }
}

/// A SQLite transaction as the rules' dialect: statements run at once, so their futures are
/// ready when first asked.
pub(crate) struct SqliteTx<'c>(&'c Connection);

impl Tx for SqliteTx<'_> {
    const LOCK: &'static str = "";

    fn rows(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = std::result::Result<Vec<Row>, Failure>> {
        std::future::ready(rows_now(self.0, sql, args))
    }

    fn run(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = std::result::Result<u64, Failure>> {
        std::future::ready(
            (self.0.prepare_cached(&numbered_for_sqlite(sql)))
                .and_then(|mut statement| statement.execute(params_from_iter(values(args))))
                .map(|changed| changed as u64)
                .map_err(failure),
        )
    }
}

fn values(args: &[Arg<'_>]) -> Vec<rusqlite::types::Value> {
    args.iter()
        .map(|arg| match arg {
            Arg::Int(value) => rusqlite::types::Value::Integer(*value),
            Arg::Text(text) | Arg::MaybeText(Some(text)) => {
                rusqlite::types::Value::Text((*text).to_owned())
            }
            Arg::MaybeText(None) | Arg::MaybeInt(None) => rusqlite::types::Value::Null,
            Arg::MaybeInt(Some(value)) => rusqlite::types::Value::Integer(*value),
            Arg::Bool(value) => rusqlite::types::Value::Integer(i64::from(*value)),
        })
        .collect()
}

fn rows_now(
    conn: &Connection,
    sql: &str,
    args: &[Arg<'_>],
) -> std::result::Result<Vec<Row>, Failure> {
    use rusqlite::types::ValueRef;
    let mut statement = conn
        .prepare_cached(&numbered_for_sqlite(sql))
        .map_err(failure)?;
    let columns = statement.column_count();
    let mut rows = statement
        .query(params_from_iter(values(args)))
        .map_err(failure)?;
    let mut read = Vec::new();
    while let Some(row) = rows.next().map_err(failure)? {
        let mut cells = Vec::with_capacity(columns);
        for i in 0..columns {
            cells.push(match row.get_ref(i).map_err(failure)? {
                ValueRef::Integer(value) => Cell::Int(value),
                ValueRef::Text(text) => Cell::Text(String::from_utf8_lossy(text).into_owned()),
                ValueRef::Null | ValueRef::Real(_) | ValueRef::Blob(_) => Cell::Null,
            });
        }
        read.push(cells);
    }
    Ok(read)
}

/// A SQLite error in the rules' terms: which unique rule, from SQLite's message ("UNIQUE
/// constraint failed: bookings.station, bookings.procedure, bookings.phone").
fn failure(error: rusqlite::Error) -> Failure {
    match unique_violation(&error) {
        Some(message) if message.contains("bookings.phone") => {
            Failure::Unique(Unique::OnePerPerson)
        }
        Some(message) if message.contains("bookings.place") => Failure::Unique(Unique::Place),
        Some(message) if message.contains("bookings.code") => Failure::Unique(Unique::Code),
        Some(message) if message.contains("idempotency_keys.") => Failure::Unique(Unique::Key),
        Some(_) => Failure::Unique(Unique::Other),
        None => Failure::Other(error.to_string()),
    }
}

/// The output of a future that is ready when first asked, as SQLite's statements are here.
fn at_once<F: Future>(future: F) -> Result<F::Output> {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut std::task::Context::from_waker(std::task::Waker::noop()))
    {
        std::task::Poll::Ready(output) => Ok(output),
        std::task::Poll::Pending => Err(StoreError::Database(
            "a SQLite statement did not finish at once".into(),
        )),
    }
}
