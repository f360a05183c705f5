//! The province's appointment book: PostgreSQL, shared by many stations (each row carries its
//! station). The same schema and rules as the SQLite book; here many servers may write at once,
//! so a place taken by a concurrent booking is refused by the unique index and retried.

use chrono::NaiveDate;
use deadpool_postgres::GenericClient;
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{NoTls, Row};

use super::content::{self, NewDraftRow, Publish, StoredDraft};
use super::dialect::{Arg, Cell, Failure, Row as DialectRow, Tx, Unique};
use super::questions::{self, NewQuestionRow, QuestionStep, StoredQuestion};
use super::queue::{self, NewTicket, NextCall, TicketStep};
use super::rules::{self, Attempt, RETRIES};
use super::{Account, AuditEntry, NewRow, Result, Store, StoreError, StoredBooking, Taken};
use std::time::Duration;

use crate::limits::{begin_attempt, held_back, over_limit, Attempts, Kind, Window};
use domain::booking::{Booking, BookingStatus};
use domain::content_desk::{ContentSettings, DraftStatus, RevisionInfo};
use domain::queue::{QueueEvent, Ticket};
use domain::schedule::SlotKey;
use domain::station_api::{StaffRole, Terminal};
use domain::time::format_iso_date;

pub(super) const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    "
CREATE TABLE bookings (
  id BIGSERIAL PRIMARY KEY,
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
  consented_at BIGINT NOT NULL,
  created_day TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  erased_at BIGINT,
  CHECK (place >= 1 AND place <= capacity),
  CONSTRAINT bookings_code_unique UNIQUE (station, code)
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
  created_at BIGINT NOT NULL,
  PRIMARY KEY (station, key)
);
CREATE TABLE staff_accounts (
  id BIGSERIAL PRIMARY KEY,
  station TEXT NOT NULL,
  username TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('officer', 'admin')),
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL,
  UNIQUE (station, username)
);
CREATE TABLE staff_sessions (
  token_hash TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES staff_accounts (id),
  csrf_token TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  station TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  at BIGINT NOT NULL
);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
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
);
INSERT INTO slot_counts (station, counter, slot_date, slot_start, taken)
  SELECT station, counter, slot_date, slot_start, count(*) FROM bookings
  WHERE status <> 'cancelled' GROUP BY station, counter, slot_date, slot_start;
CREATE FUNCTION bookings_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status <> 'cancelled' THEN
    UPDATE slot_counts SET taken = taken - 1
      WHERE station = OLD.station AND counter = OLD.counter AND slot_date = OLD.slot_date AND slot_start = OLD.slot_start;
  END IF;
  IF NEW.status <> 'cancelled' THEN
    INSERT INTO slot_counts (station, counter, slot_date, slot_start, taken)
      VALUES (NEW.station, NEW.counter, NEW.slot_date, NEW.slot_start, 1)
      ON CONFLICT (station, counter, slot_date, slot_start) DO UPDATE SET taken = slot_counts.taken + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER bookings_count_insert AFTER INSERT ON bookings
  FOR EACH ROW EXECUTE FUNCTION bookings_count();
CREATE TRIGGER bookings_count_update AFTER UPDATE OF status, counter, slot_date, slot_start ON bookings
  FOR EACH ROW EXECUTE FUNCTION bookings_count();
",
), (
    3,
    // Reception terminals enrolled for check-in: an enrolment code and a credential, each
    // stored as its SHA-256 only.
    "
CREATE TABLE terminals (
  id BIGSERIAL PRIMARY KEY,
  station TEXT NOT NULL,
  name TEXT NOT NULL,
  enrolment_hash TEXT UNIQUE,
  enrolment_expires_at BIGINT,
  credential_hash TEXT UNIQUE,
  created_at BIGINT NOT NULL,
  enrolled_at BIGINT,
  last_used_at BIGINT,
  revoked_at BIGINT
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
);
INSERT INTO phone_days (station, phone, day, made)
  SELECT station, phone, created_day, count(*) FROM bookings WHERE phone IS NOT NULL
  GROUP BY station, phone, created_day;
",
), (
    5,
    // Abuse limits shared by every server on this database (crates/server/src/limits.rs): windows of
    // counted requests and login attempts. UNLOGGED: fast, and lost only with a crash, which
    // merely resets the limits.
    "
CREATE UNLOGGED TABLE limit_windows (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  started BIGINT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (kind, key)
);
CREATE UNLOGGED TABLE login_attempts (
  station TEXT NOT NULL,
  username TEXT NOT NULL,
  client TEXT NOT NULL,
  failures INTEGER NOT NULL,
  next_allowed BIGINT NOT NULL,
  last BIGINT NOT NULL,
  PRIMARY KEY (station, username, client)
);
",
), (
    6,
    // The one queue (store/queue.rs).
    super::queue::queue_tables!("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"),
), (
    7,
    // The content desk (store/content.rs), and the accounts that may use it.
    concat!(
        "ALTER TABLE staff_accounts ADD COLUMN editor BOOLEAN NOT NULL DEFAULT false;",
        super::content::content_tables!("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"),
    ),
), (
    8,
    // Questions to the station (store/questions.rs).
    super::questions::question_tables!("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"),
), (
    9,
    // The published answers are a section of the content desk (#29).
    super::content::ANSWERS_SECTION_POSTGRES,
)];

pub struct PgStore {
    pool: Pool,
}

fn db(error: impl std::fmt::Display) -> StoreError {
    StoreError::Database(error.to_string())
}

/// The index or constraint a write broke, when it broke a unique one.
fn unique_violation(error: &tokio_postgres::Error) -> Option<&str> {
    let db_error = error.as_db_error()?;
    (db_error.code() == &SqlState::UNIQUE_VIOLATION).then(|| db_error.constraint().unwrap_or(""))
}

/// Conflicts two transactions can cause each other; the work is simply tried again.
fn is_transient(error: &tokio_postgres::Error) -> bool {
    error.code().is_some_and(|c| {
        c == &SqlState::T_R_SERIALIZATION_FAILURE || c == &SqlState::T_R_DEADLOCK_DETECTED
    })
}

impl PgStore {
    /// The abuse limits kept in this database, for every server that shares it.
    pub fn limits(&self) -> PgLimits {
        PgLimits {
            pool: self.pool.clone(),
        }
    }

    pub async fn open(url: &str) -> Result<PgStore> {
        let (url, tls) = tls::from_url(url)?;
        let mut config: tokio_postgres::Config = url.parse().map_err(db)?;
        let manager_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = match tls {
            tls::Tls::Off => Manager::from_config(config, NoTls, manager_config),
            tls::Tls::On { mode, client } => {
                config.ssl_mode(mode);
                Manager::from_config(
                    config,
                    tokio_postgres_rustls::MakeRustlsConnect::new(*client),
                    manager_config,
                )
            }
        };
        let pool = Pool::builder(manager).max_size(16).build().map_err(db)?;
        let store = PgStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn client(&self) -> Result<Object> {
        self.pool.get().await.map_err(db)
    }

    /// Whether this server's connection to the database is encrypted (TLS), as the database
    /// itself reports it.
    pub async fn connection_encrypted(&self) -> Result<bool> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
                &[],
            )
            .await
            .map_err(db)?;
        Ok(row.get(0))
    }

    async fn migrate(&self) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        // Two servers starting at once: one migrates, the other waits and then finds it done.
        tx.execute("SELECT pg_advisory_xact_lock(7201126)", &[])
            .await
            .map_err(db)?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)")
            .await
            .map_err(db)?;
        let current: i64 = tx
            .query_one(
                "SELECT coalesce(max(version), 0)::bigint FROM schema_migrations",
                &[],
            )
            .await
            .map_err(db)?
            .get(0);
        for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
            tx.batch_execute(sql).await.map_err(db)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, extract(epoch from now())::bigint)",
                &[version],
            )
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }
}

/// Runs one of the rules written once (`rules.rs`) on PostgreSQL: each try in a transaction of
/// its own, again in a new one while it loses races, committing only a try that is done. A
/// macro rather than a function taking a closure: the try borrows the transaction.
macro_rules! with_rules {
    ($store:expr, |$tx:ident| $try:expr) => {{
        let mut outcome = Err(StoreError::Database(
            "too many conflicting changes at once; try again".into(),
        ));
        for _ in 0..RETRIES {
            let mut client = $store.client().await?;
            let transaction = client.transaction().await.map_err(db)?;
            let attempt = {
                let $tx = &mut PgTx(&transaction);
                $try.await?
            };
            if let Attempt::Done(value) = attempt {
                match transaction.commit().await {
                    Ok(()) => {
                        outcome = Ok(value);
                        break;
                    }
                    Err(error) if is_transient(&error) => {}
                    Err(error) => return Err(db(error)),
                }
            }
        }
        outcome
    }};
}

impl Store for PgStore {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    async fn taken(
        &self,
        station: &str,
        counter: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Taken>> {
        let client = self.client().await?;
        let (from, to) = (format_iso_date(from), format_iso_date(to));
        rules::taken(&mut PgTx(&client), station, counter, &from, &to).await
    }

    async fn insert_booking(&self, row: NewRow) -> Result<(Booking, bool)> {
        with_rules!(self, |tx| rules::insert_booking(tx, &row))
    }

    async fn find(&self, station: &str, code: &str) -> Result<Option<StoredBooking>> {
        let client = self.client().await?;
        rules::find(&mut PgTx(&client), station, code).await
    }

    async fn move_booking(
        &self,
        station: &str,
        code: &str,
        slot: &SlotKey,
        capacity: u32,
        now_ms: i64,
    ) -> Result<Booking> {
        with_rules!(self, |tx| rules::move_booking(
            tx, station, code, slot, capacity, now_ms
        ))
    }

    async fn set_status(
        &self,
        station: &str,
        code: &str,
        from: &[BookingStatus],
        to: BookingStatus,
        now_ms: i64,
    ) -> Result<Booking> {
        with_rules!(self, |tx| rules::set_status(
            tx, station, code, from, to, now_ms
        ))
    }

    async fn day(&self, station: &str, date: NaiveDate) -> Result<Vec<Booking>> {
        let client = self.client().await?;
        rules::day(&mut PgTx(&client), station, &format_iso_date(date)).await
    }

    async fn erase_personal_data(
        &self,
        station: &str,
        before: NaiveDate,
        now_ms: i64,
    ) -> Result<u64> {
        let client = self.client().await?;
        let before = format_iso_date(before);
        let erased =
            rules::erase_personal_data(&mut PgTx(&client), station, &before, now_ms).await?;
        if erased > 0 {
            // The old row versions, name and phone in them, stay in the table's pages until a
            // vacuum prunes them; autovacuum may wait for days on a quiet table.
            client
                .batch_execute("VACUUM bookings, phone_days")
                .await
                .map_err(db)?;
        }
        Ok(erased)
    }

    async fn drop_expired(&self, before_ms: i64) -> Result<()> {
        let client = self.client().await?;
        rules::drop_expired(&mut PgTx(&client), before_ms).await
    }

    async fn audit(&self, entry: AuditEntry) -> Result<()> {
        let client = self.client().await?;
        rules::audit(&mut PgTx(&client), &entry).await
    }

    async fn audit_log(
        &self,
        station: &str,
        actor: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>> {
        let client = self.client().await?;
        rules::audit_log(&mut PgTx(&client), station, actor, limit).await
    }

    async fn create_account(
        &self,
        station: &str,
        username: &str,
        password_hash: &str,
        role: StaffRole,
        now_ms: i64,
    ) -> Result<Account> {
        let client = self.client().await?;
        rules::create_account(
            &mut PgTx(&client),
            station,
            username,
            password_hash,
            role,
            now_ms,
        )
        .await
    }

    async fn account(&self, station: &str, username: &str) -> Result<Option<Account>> {
        let client = self.client().await?;
        rules::account(&mut PgTx(&client), station, username).await
    }

    async fn accounts(&self, station: &str) -> Result<Vec<Account>> {
        let client = self.client().await?;
        rules::accounts(&mut PgTx(&client), station).await
    }

    async fn set_disabled(&self, station: &str, username: &str, disabled: bool) -> Result<Account> {
        with_rules!(self, |tx| async {
            rules::set_disabled(tx, station, username, disabled)
                .await
                .map(Attempt::Done)
        })
    }

    async fn create_session(
        &self,
        token_hash: &str,
        account_id: i64,
        csrf_token: &str,
        expires_ms: i64,
    ) -> Result<()> {
        let client = self.client().await?;
        rules::create_session(
            &mut PgTx(&client),
            token_hash,
            account_id,
            csrf_token,
            expires_ms,
        )
        .await
    }

    async fn session(&self, token_hash: &str, now_ms: i64) -> Result<Option<(Account, String)>> {
        let client = self.client().await?;
        rules::session(&mut PgTx(&client), token_hash, now_ms).await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        let client = self.client().await?;
        rules::delete_session(&mut PgTx(&client), token_hash).await
    }

    async fn add_terminal(
        &self,
        station: &str,
        name: &str,
        enrolment_hash: &str,
        expires_ms: i64,
        now_ms: i64,
    ) -> Result<Terminal> {
        let client = self.client().await?;
        rules::add_terminal(
            &mut PgTx(&client),
            station,
            name,
            enrolment_hash,
            expires_ms,
            now_ms,
        )
        .await
    }

    async fn enrol_terminal(
        &self,
        station: &str,
        enrolment_hash: &str,
        credential_hash: &str,
        now_ms: i64,
    ) -> Result<Terminal> {
        let client = self.client().await?;
        rules::enrol_terminal(
            &mut PgTx(&client),
            station,
            enrolment_hash,
            credential_hash,
            now_ms,
        )
        .await
    }

    async fn use_terminal(
        &self,
        station: &str,
        credential_hash: &str,
        now_ms: i64,
    ) -> Result<Option<Terminal>> {
        let client = self.client().await?;
        rules::use_terminal(&mut PgTx(&client), station, credential_hash, now_ms).await
    }

    async fn terminals(&self, station: &str) -> Result<Vec<Terminal>> {
        let client = self.client().await?;
        rules::terminals(&mut PgTx(&client), station).await
    }

    async fn revoke_terminal(&self, station: &str, id: i64, now_ms: i64) -> Result<Terminal> {
        let client = self.client().await?;
        rules::revoke_terminal(&mut PgTx(&client), station, id, now_ms).await
    }

    async fn set_editor(&self, station: &str, username: &str, editor: bool) -> Result<Account> {
        let client = self.client().await?;
        rules::set_editor(&mut PgTx(&client), station, username, editor).await
    }

    async fn content_heads(&self, station: &str) -> Result<Vec<(String, i64)>> {
        let client = self.client().await?;
        content::heads(&mut PgTx(&client), station).await
    }

    async fn content_revision(
        &self,
        station: &str,
        file: &str,
        revision: i64,
    ) -> Result<Option<(RevisionInfo, String)>> {
        let client = self.client().await?;
        content::revision(&mut PgTx(&client), station, file, revision).await
    }

    async fn content_revisions(
        &self,
        station: &str,
        file: &str,
        limit: u32,
    ) -> Result<Vec<RevisionInfo>> {
        let client = self.client().await?;
        content::revisions(&mut PgTx(&client), station, file, limit).await
    }

    async fn save_draft(&self, row: NewDraftRow) -> Result<StoredDraft> {
        let client = self.client().await?;
        content::save_draft(&mut PgTx(&client), &row).await
    }

    async fn content_drafts(&self, station: &str, decided: u32) -> Result<Vec<StoredDraft>> {
        let client = self.client().await?;
        content::drafts(&mut PgTx(&client), station, decided).await
    }

    async fn content_draft(&self, station: &str, id: i64) -> Result<Option<StoredDraft>> {
        let client = self.client().await?;
        content::draft(&mut PgTx(&client), station, id).await
    }

    async fn decide_draft(
        &self,
        station: &str,
        id: i64,
        status: DraftStatus,
        by: &str,
        now_ms: i64,
    ) -> Result<StoredDraft> {
        with_rules!(self, |tx| async {
            content::decide(tx, station, id, status, by, now_ms)
                .await
                .map(rules::Attempt::Done)
        })
    }

    async fn publish_content(&self, publish: Publish) -> Result<i64> {
        with_rules!(self, |tx| async {
            content::publish(tx, &publish)
                .await
                .map(rules::Attempt::Done)
        })
    }

    async fn content_settings(&self, station: &str) -> Result<ContentSettings> {
        let client = self.client().await?;
        content::settings(&mut PgTx(&client), station).await
    }

    async fn set_content_settings(
        &self,
        station: &str,
        settings: ContentSettings,
    ) -> Result<ContentSettings> {
        let client = self.client().await?;
        content::set_settings(&mut PgTx(&client), station, settings).await
    }

    async fn take_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        with_rules!(self, |tx| queue::take(tx, &ticket))
    }

    async fn call_next(&self, call: NextCall) -> Result<Ticket> {
        with_rules!(self, |tx| queue::call_next(tx, &call))
    }

    async fn step_ticket(&self, step: TicketStep) -> Result<Ticket> {
        with_rules!(self, |tx| queue::step(tx, &step))
    }

    async fn queue_day(&self, station: &str, day: &str) -> Result<(Vec<Ticket>, i64)> {
        let client = self.client().await?;
        queue::day(&mut PgTx(&client), station, day).await
    }

    async fn ticket_by_token(
        &self,
        station: &str,
        day: &str,
        token_hash: &str,
    ) -> Result<Option<Ticket>> {
        let client = self.client().await?;
        queue::by_token(&mut PgTx(&client), station, day, token_hash).await
    }

    async fn queue_events(&self, station: &str, after: i64, limit: u32) -> Result<Vec<QueueEvent>> {
        let client = self.client().await?;
        queue::events_after(&mut PgTx(&client), station, after, limit).await
    }

    async fn queue_history(
        &self,
        station: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<domain::queue_figures::Step>> {
        let client = self.client().await?;
        queue::history(&mut PgTx(&client), station, from, to).await
    }

    async fn insert_question(&self, row: NewQuestionRow) -> Result<StoredQuestion> {
        let client = self.client().await?;
        questions::insert(&mut PgTx(&client), &row).await
    }

    async fn find_question(&self, station: &str, code: &str) -> Result<Option<StoredQuestion>> {
        let client = self.client().await?;
        questions::find(&mut PgTx(&client), station, code).await
    }

    async fn question_inbox(&self, station: &str, decided: u32) -> Result<Vec<StoredQuestion>> {
        let client = self.client().await?;
        questions::inbox(&mut PgTx(&client), station, decided).await
    }

    async fn step_question(
        &self,
        station: &str,
        code: &str,
        by: &str,
        step: QuestionStep,
        now_ms: i64,
    ) -> Result<StoredQuestion> {
        with_rules!(self, |tx| async {
            questions::step(tx, station, code, by, &step, now_ms)
                .await
                .map(rules::Attempt::Done)
        })
    }

    async fn erase_questions(
        &self,
        station: &str,
        decided_before_ms: i64,
        asked_before_ms: i64,
        now_ms: i64,
    ) -> Result<u64> {
        let client = self.client().await?;
        let erased = questions::erase(
            &mut PgTx(&client),
            station,
            decided_before_ms,
            asked_before_ms,
            now_ms,
        )
        .await?;
        if erased > 0 {
            // What the update left behind in the table's pages goes, as after bookings' erasure.
            client.batch_execute("VACUUM questions").await.map_err(db)?;
        }
        Ok(erased)
    }
}

/// The abuse limits' state in PostgreSQL: the same rules as in memory (`limits::count_in_window`,
/// `limits::begin_attempt`), each change one statement or one locked row, so that the servers
/// sharing the database count as one.
pub struct PgLimits {
    pool: Pool,
}

type Counted = Result<std::result::Result<(), u64>>;

impl PgLimits {
    async fn client(&self) -> Result<Object> {
        self.pool.get().await.map_err(db)
    }

    async fn window(&self, kind: Kind, key: &str) -> Result<Option<Window>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT started, count FROM limit_windows WHERE kind = $1 AND key = $2",
                &[&kind.as_str(), &key],
            )
            .await
            .map_err(db)?;
        Ok(row.map(|r| Window {
            started_ms: r.get(0),
            count: u32::try_from(r.get::<_, i32>(1)).unwrap_or(0),
        }))
    }

    /// One conditional upsert: a new window, or one more in the current one — unless it is full,
    /// and then nothing is written.
    pub async fn hit(
        &self,
        kind: Kind,
        key: &str,
        limit: u32,
        window: Duration,
        now_ms: i64,
    ) -> Counted {
        let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
        let limit_i32 = i32::try_from(limit).unwrap_or(i32::MAX);
        let counted = self
            .client()
            .await?
            .query_opt(
                "INSERT INTO limit_windows (kind, key, started, count) VALUES ($1, $2, $3, 1)
                 ON CONFLICT (kind, key) DO UPDATE SET
                   started = CASE WHEN limit_windows.started <= $3 - $4 THEN $3 ELSE limit_windows.started END,
                   count = CASE WHEN limit_windows.started <= $3 - $4 THEN 1 ELSE limit_windows.count + 1 END
                 WHERE limit_windows.started <= $3 - $4 OR limit_windows.count < $5
                 RETURNING count",
                &[&kind.as_str(), &key, &now_ms, &window_ms, &limit_i32],
            )
            .await
            .map_err(db)?;
        if counted.is_some() {
            return Ok(Ok(()));
        }
        let current = self.window(kind, key).await?;
        Ok(over_limit(current, now_ms, limit, window).and(Err(1)))
    }

    pub async fn check(
        &self,
        kind: Kind,
        key: &str,
        limit: u32,
        window: Duration,
        now_ms: i64,
    ) -> Counted {
        Ok(over_limit(
            self.window(kind, key).await?,
            now_ms,
            limit,
            window,
        ))
    }

    /// The attempts' row locked while the rule decides: concurrent attempts on any server wait
    /// for each other.
    pub async fn login_begin(
        &self,
        station: &str,
        username: &str,
        client: &str,
        free: u32,
        now_ms: i64,
    ) -> Counted {
        let mut connection = self.client().await?;
        loop {
            let tx = connection.transaction().await.map_err(db)?;
            let current = tx
                .query_opt(
                    "SELECT failures, next_allowed, last FROM login_attempts
                     WHERE station = $1 AND username = $2 AND client = $3 FOR UPDATE",
                    &[&station, &username, &client],
                )
                .await
                .map_err(db)?
                .map(|r| Attempts {
                    failures: u32::try_from(r.get::<_, i32>(0)).unwrap_or(0),
                    next_allowed_ms: r.get(1),
                    last_ms: r.get(2),
                });
            let begun = match begin_attempt(current, now_ms, free) {
                Ok(begun) => begun,
                Err(wait) => return Ok(Err(wait)),
            };
            let failures = i32::try_from(begun.failures).unwrap_or(i32::MAX);
            let written = if current.is_some() {
                tx.execute(
                    "UPDATE login_attempts SET failures = $4, next_allowed = $5, last = $6
                     WHERE station = $1 AND username = $2 AND client = $3",
                    &[&station, &username, &client, &failures, &begun.next_allowed_ms, &begun.last_ms],
                )
                .await
            } else {
                tx.execute(
                    "INSERT INTO login_attempts (station, username, client, failures, next_allowed, last)
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                    &[&station, &username, &client, &failures, &begun.next_allowed_ms, &begun.last_ms],
                )
                .await
            }
            .map_err(db)?;
            // Another server inserted the row first: decide again on its row.
            if written == 0 {
                continue;
            }
            tx.commit().await.map_err(db)?;
            return Ok(Ok(()));
        }
    }

    pub async fn login_succeeded(&self, station: &str, username: &str, client: &str) -> Result<()> {
        self.client()
            .await?
            .execute(
                "DELETE FROM login_attempts WHERE station = $1 AND username = $2 AND client = $3",
                &[&station, &username, &client],
            )
            .await
            .map_err(db)?;
        Ok(())
    }

    pub async fn login_lift(&self, station: &str, username: &str) -> Result<u64> {
        self.client()
            .await?
            .execute(
                "DELETE FROM login_attempts WHERE station = $1 AND username = $2",
                &[&station, &username],
            )
            .await
            .map_err(db)
    }

    pub async fn logins_held_back(
        &self,
        station: &str,
        free: u32,
        now_ms: i64,
    ) -> Result<Vec<(String, u64)>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT username, failures, next_allowed, last FROM login_attempts WHERE station = $1",
                &[&station],
            )
            .await
            .map_err(db)?;
        Ok(held_back(
            rows.iter().map(|r| {
                (
                    r.get::<_, String>(0),
                    Attempts {
                        failures: u32::try_from(r.get::<_, i32>(1)).unwrap_or(0),
                        next_allowed_ms: r.get(2),
                        last_ms: r.get(3),
                    },
                )
            }),
            free,
            now_ms,
        ))
    }

    /// Drops windows and attempts last touched before `before_ms` (every window is at most an
    /// hour long).
    pub async fn drop_expired(&self, before_ms: i64) -> Result<()> {
        let client = self.client().await?;
        client
            .execute(
                "DELETE FROM limit_windows WHERE started < $1",
                &[&before_ms],
            )
            .await
            .map_err(db)?;
        client
            .execute("DELETE FROM login_attempts WHERE last < $1", &[&before_ms])
            .await
            .map_err(db)?;
        Ok(())
    }
}

/// PostgreSQL over TLS, chosen by DATABASE_URL's `sslmode` as libpq reads it: absent or
/// `disable`, no TLS; `prefer` or `require`, encrypted without checking the server's
/// certificate (libpq's meaning: no protection from an impostor); `verify-full`, encrypted and
/// the certificate checked against `sslrootcert` (a PEM file of the CAs to trust) and the host
/// name. rustls with ring: no system OpenSSL.
pub mod tls {
    use std::sync::Arc;

    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::CryptoProvider;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
    use tokio_postgres::config::SslMode;

    use super::StoreError;

    pub enum Tls {
        Off,
        On {
            mode: SslMode,
            client: Box<ClientConfig>,
        },
    }

    fn refuse(message: String) -> StoreError {
        StoreError::Database(message)
    }

    /// The address with our own TLS words taken out (tokio-postgres knows neither
    /// `verify-full` nor `sslrootcert`), and the TLS it asks for.
    pub fn from_url(url: &str) -> Result<(String, Tls), StoreError> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut mode = None;
        let mut root_file = None;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("sslmode", value)) => mode = Some(value.to_owned()),
                Some(("sslrootcert", value)) => root_file = Some(value.to_owned()),
                _ => kept.push(pair),
            }
        }
        let url = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = match mode.as_deref() {
            None | Some("disable") => Tls::Off,
            Some(word @ ("prefer" | "require")) => Tls::On {
                mode: if word == "prefer" { SslMode::Prefer } else { SslMode::Require },
                client: Box::new(
                    ClientConfig::builder_with_provider(provider.clone())
                        .with_safe_default_protocol_versions()
                        .map_err(|e| refuse(e.to_string()))?
                        .dangerous()
                        .with_custom_certificate_verifier(Arc::new(EncryptOnly(provider)))
                        .with_no_client_auth(),
                ),
            },
            Some("verify-full") => {
                let file = root_file.ok_or_else(|| {
                    refuse("sslmode=verify-full needs sslrootcert=<a PEM file of the CAs to trust>".into())
                })?;
                let pem = std::fs::read(&file).map_err(|e| refuse(format!("sslrootcert {file}: {e}")))?;
                let mut roots = RootCertStore::empty();
                for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
                    let cert = cert.map_err(|e| refuse(format!("sslrootcert {file}: {e}")))?;
                    roots.add(cert).map_err(|e| refuse(format!("sslrootcert {file}: {e}")))?;
                }
                if roots.is_empty() {
                    return Err(refuse(format!("sslrootcert {file}: no certificate in it")));
                }
                Tls::On {
                    mode: SslMode::Require,
                    client: Box::new(
                        ClientConfig::builder_with_provider(provider)
                            .with_safe_default_protocol_versions()
                            .map_err(|e| refuse(e.to_string()))?
                            .with_root_certificates(roots)
                            .with_no_client_auth(),
                    ),
                }
            }
            Some(other) => {
                return Err(refuse(format!(
                    "sslmode={other} is not supported: use disable, prefer, require or verify-full (with sslrootcert)"
                )))
            }
        };
        Ok((url, tls))
    }

    /// `require`'s meaning: the connection is encrypted and the handshake's signatures checked,
    /// but any certificate is taken.
    #[derive(Debug)]
    struct EncryptOnly(Arc<CryptoProvider>);

    impl ServerCertVerifier for EncryptOnly {
        fn verify_server_cert(
            &self,
            _end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp_response: &[u8],
            _now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.signature_verification_algorithms.supported_schemes()
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn our_tls_words_are_taken_out_of_the_address_and_others_kept() {
            let (url, tls) =
                from_url("postgres://a@h/db?application_name=x&sslmode=require").expect("ok");
            assert_eq!(url, "postgres://a@h/db?application_name=x");
            assert!(matches!(
                tls,
                Tls::On {
                    mode: SslMode::Require,
                    ..
                }
            ));
            let (url, tls) = from_url("postgres://a@h/db").expect("ok");
            assert_eq!(url, "postgres://a@h/db");
            assert!(matches!(tls, Tls::Off));
            assert!(
                from_url("postgres://a@h/db?sslmode=verify-full").is_err(),
                "needs its CA file"
            );
            assert!(from_url("postgres://a@h/db?sslmode=verify-ca").is_err());
            assert!(
                from_url("postgres://a@h/db?sslmode=verify-full&sslrootcert=/nonexistent").is_err()
            );
        }
    }
}

/// A PostgreSQL transaction as the rules' dialect: each statement prepared (and cached), its
/// arguments given the types the statement's parameters have, its cells read by column type.
pub(crate) struct PgTx<'t, C>(&'t C);

impl<C: GenericClient + Sync> Tx for PgTx<'_, C> {
    const LOCK: &'static str = " FOR UPDATE";

    async fn rows(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> std::result::Result<Vec<DialectRow>, Failure> {
        let statement = self.0.prepare_cached(sql).await.map_err(failure)?;
        let values = typed(statement.params(), args)?;
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref() as _).collect();
        let rows = self.0.query(&statement, &refs).await.map_err(failure)?;
        rows.iter().map(cells).collect()
    }

    async fn run(&mut self, sql: &str, args: &[Arg<'_>]) -> std::result::Result<u64, Failure> {
        let statement = self.0.prepare_cached(sql).await.map_err(failure)?;
        let values = typed(statement.params(), args)?;
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref() as _).collect();
        self.0.execute(&statement, &refs).await.map_err(failure)
    }
}

/// Each argument as the Rust type PostgreSQL wants for its parameter (`int4` columns take
/// `i32`; the rules pass every number as `i64`).
fn typed(
    params: &[Type],
    args: &[Arg<'_>],
) -> std::result::Result<Vec<Box<dyn ToSql + Sync + Send>>, Failure> {
    if params.len() != args.len() {
        return Err(Failure::Other(format!(
            "{} arguments for {} parameters",
            args.len(),
            params.len()
        )));
    }
    params
        .iter()
        .zip(args)
        .map(
            |(param, arg)| -> std::result::Result<Box<dyn ToSql + Sync + Send>, Failure> {
                Ok(match (arg, param) {
                    (Arg::Int(value), &Type::INT2) => {
                        Box::new(i16::try_from(*value).map_err(|e| Failure::Other(e.to_string()))?)
                    }
                    (Arg::Int(value), &Type::INT4) => {
                        Box::new(i32::try_from(*value).map_err(|e| Failure::Other(e.to_string()))?)
                    }
                    (Arg::Int(value), _) => Box::new(*value),
                    (Arg::MaybeInt(value), &Type::INT4) => Box::new(
                        value
                            .map(i32::try_from)
                            .transpose()
                            .map_err(|e| Failure::Other(e.to_string()))?,
                    ),
                    (Arg::MaybeInt(value), _) => Box::new(*value),
                    (Arg::Text(text), _) => Box::new((*text).to_owned()),
                    (Arg::MaybeText(text), _) => Box::new(text.map(str::to_owned)),
                    (Arg::Bool(value), _) => Box::new(*value),
                })
            },
        )
        .collect()
}

/// A row's cells by column type.
fn cells(row: &Row) -> std::result::Result<DialectRow, Failure> {
    (0..row.len())
        .map(|i| {
            let kind = row.columns()[i].type_().clone();
            let cell = match kind {
                Type::INT2 => row.try_get::<_, Option<i16>>(i).map(|v| v.map(i64::from)),
                Type::INT4 => row.try_get::<_, Option<i32>>(i).map(|v| v.map(i64::from)),
                Type::INT8 => row.try_get::<_, Option<i64>>(i),
                Type::BOOL => row.try_get::<_, Option<bool>>(i).map(|v| v.map(i64::from)),
                _ => {
                    return row
                        .try_get::<_, Option<String>>(i)
                        .map(|v| v.map_or(Cell::Null, Cell::Text))
                        .map_err(|e| Failure::Other(e.to_string()))
                }
            };
            cell.map(|v| v.map_or(Cell::Null, Cell::Int))
                .map_err(|e| Failure::Other(e.to_string()))
        })
        .collect()
}

/// A PostgreSQL error in the rules' terms: which unique rule, by constraint or index name.
fn failure(error: tokio_postgres::Error) -> Failure {
    match unique_violation(&error) {
        Some("bookings_one_per_person") => Failure::Unique(Unique::OnePerPerson),
        Some("bookings_one_place") => Failure::Unique(Unique::Place),
        Some("bookings_code_unique") => Failure::Unique(Unique::Code),
        Some("idempotency_keys_pkey") => Failure::Unique(Unique::Key),
        Some(_) => Failure::Unique(Unique::Other),
        None if is_transient(&error) => Failure::Transient,
        None => Failure::Other(error.to_string()),
    }
}
