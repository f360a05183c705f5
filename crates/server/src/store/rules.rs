//! The appointment book's rules, written once for both databases over their dialect
//! (`dialect::Tx`): how a booking is made, moved and has its status changed; reading the book;
//! erasure; the staff's accounts and sessions; the audit log; reception terminals. A rule that
//! can lose a race to another transaction is one try inside one transaction: it says `Retry`,
//! and the database's side runs it again in a new transaction (never with PostgreSQL's aborted
//! one, never committing a half). The others run as they are.

use domain::booking::{Booking, BookingStatus};
use domain::schedule::SlotKey;
use domain::station_api::{StaffRole, Terminal};
use domain::time::format_iso_date;

use super::dialect::{Arg, Cell, Failure, Row, Tx, Unique};
use super::{
    booking_from_columns, terminal_from_columns, Account, AuditEntry, NewRow, Result, StoreError,
    StoredBooking, Taken, BOOKING_COLUMNS, TERMINAL_COLUMNS,
};

/// How many times a write that lost a race is tried again before the caller is told.
pub(crate) const RETRIES: usize = 32;

/// The outcome of one try: done, or lost a race and worth trying again.
pub(crate) enum Attempt<T> {
    Done(T),
    Retry,
}

pub(crate) fn text_at(row: &Row, i: usize) -> Result<String> {
    maybe_text_at(row, i).ok_or_else(|| StoreError::Database(format!("column {i} is not text")))
}

/// A text column that may hold nothing (a name erased, an audit entry without a subject).
pub(crate) fn maybe_text_at(row: &Row, i: usize) -> Option<String> {
    row.get(i).and_then(Cell::text).map(str::to_owned)
}

pub(crate) fn int_at(row: &Row, i: usize) -> Result<i64> {
    (row.get(i).and_then(Cell::int))
        .ok_or_else(|| StoreError::Database(format!("column {i} is not a number")))
}

/// A booking from the cells `BOOKING_COLUMNS` selects.
fn booking_of(row: &Row) -> Result<Booking> {
    booking_from_columns(
        text_at(row, 0)?,
        text_at(row, 1)?,
        text_at(row, 2)?,
        &text_at(row, 3)?,
        int_at(row, 4)?,
        maybe_text_at(row, 5),
        maybe_text_at(row, 6),
        &text_at(row, 7)?,
    )
}

/// The booking with this code, its row locked where others write at the same time.
async fn locked_booking<T: Tx>(tx: &mut T, station: &str, code: &str) -> Result<Option<Booking>> {
    let sql = format!(
        "SELECT {BOOKING_COLUMNS} FROM bookings WHERE station = $1 AND code = $2{}",
        T::LOCK
    );
    let rows = (tx.rows(&sql, &[Arg::Text(station), Arg::Text(code)]).await)
        .map_err(Failure::unexpected)?;
    rows.first().map(booking_of).transpose()
}

/// The lowest place of a slot no active booking holds, if any.
async fn free_place(
    tx: &mut impl Tx,
    station: &str,
    slot: &SlotKey,
    capacity: u32,
) -> Result<Option<i64>> {
    let date = format_iso_date(slot.date);
    let rows = tx
        .rows(
            "WITH RECURSIVE places(p) AS (
               SELECT 1 UNION ALL SELECT p + 1 FROM places WHERE p < CAST($5 AS INTEGER))
             SELECT p FROM places WHERE CAST($5 AS INTEGER) >= 1 AND p NOT IN (
               SELECT place FROM bookings WHERE station = $1 AND counter = $2 AND slot_date = $3
                 AND slot_start = CAST($4 AS INTEGER) AND status <> 'cancelled')
             ORDER BY p LIMIT 1",
            &[
                Arg::Text(station),
                Arg::Text(&slot.counter),
                Arg::Text(&date),
                Arg::Int(i64::from(slot.start.0)),
                Arg::Int(i64::from(capacity)),
            ],
        )
        .await
        .map_err(Failure::unexpected)?;
    Ok(rows.first().and_then(|row| row.first()).and_then(Cell::int))
}

/// A failure that only a race explains is tried again; any other is the caller's.
fn retry_on_race<T>(failure: Failure) -> Result<Attempt<T>> {
    match failure {
        Failure::Transient => Ok(Attempt::Retry),
        other => Err(other.unexpected()),
    }
}

/// Stores a booking in the lowest free place of its slot (see `Store::insert_booking`).
pub(crate) async fn insert_booking(
    tx: &mut impl Tx,
    row: &NewRow,
) -> Result<Attempt<(Booking, bool)>> {
    if let Some(key) = &row.idempotency {
        let earlier = tx
            .rows(
                "SELECT request_hash, booking_code FROM idempotency_keys WHERE station = $1 AND key = $2",
                &[Arg::Text(&row.station), Arg::Text(&key.key)],
            )
            .await
            .map_err(Failure::unexpected)?;
        if let Some(earlier) = earlier.first() {
            if earlier.first().and_then(Cell::text) != Some(key.request_hash.as_str()) {
                return Err(StoreError::IdempotencyMismatch);
            }
            let code = (earlier.get(1).and_then(Cell::text))
                .ok_or(StoreError::UnknownCode)?
                .to_owned();
            let booking = locked_booking(tx, &row.station, &code)
                .await?
                .ok_or(StoreError::UnknownCode)?;
            // The first answer was lost: the device keeps the token of this one.
            tx.run(
                "UPDATE bookings SET manage_token_hash = $3 WHERE station = $1 AND code = $2",
                &[
                    Arg::Text(&row.station),
                    Arg::Text(&code),
                    Arg::Text(&row.manage_token_hash),
                ],
            )
            .await
            .map_err(Failure::unexpected)?;
            return Ok(Attempt::Done((booking, true)));
        }
        // Claim the key first: a concurrent request with the same key waits here for this
        // transaction, then finds the key taken and, on its retry, replays this booking.
        let claimed = tx
            .run(
                "INSERT INTO idempotency_keys (station, key, request_hash, booking_code, created_at)
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    Arg::Text(&row.station),
                    Arg::Text(&key.key),
                    Arg::Text(&key.request_hash),
                    Arg::Text(&row.code),
                    Arg::Int(row.now_ms),
                ],
            )
            .await;
        match claimed {
            Ok(_) => {}
            Err(Failure::Unique(_)) => return Ok(Attempt::Retry),
            Err(failure) => return retry_on_race(failure),
        }
    }
    let today = format_iso_date(row.today);
    // One more booking today for this phone, unless it already has the most allowed: the row's
    // lock orders concurrent requests, on this server or another.
    let counted = tx
        .rows(
            "INSERT INTO phone_days (station, phone, day, made) VALUES ($1, $2, $3, 1)
             ON CONFLICT (station, phone, day) DO UPDATE SET made = phone_days.made + 1
               WHERE phone_days.made < CAST($4 AS BIGINT)
             RETURNING made",
            &[
                Arg::Text(&row.station),
                Arg::Text(&row.phone),
                Arg::Text(&today),
                Arg::Int(i64::from(row.daily_cap)),
            ],
        )
        .await;
    match counted {
        Ok(rows) if !rows.is_empty() && row.daily_cap > 0 => {}
        Ok(_) => return Err(StoreError::DailyCap),
        Err(failure) => return retry_on_race(failure),
    }
    // A past booking never kept stops blocking the person's next one.
    tx.run(
        "UPDATE bookings SET status = 'no_show', updated_at = $6
         WHERE station = $1 AND procedure = $2 AND phone = $3 AND status = 'booked'
           AND (slot_date < $4 OR (slot_date = $4 AND slot_start < CAST($5 AS INTEGER)))",
        &[
            Arg::Text(&row.station),
            Arg::Text(&row.procedure),
            Arg::Text(&row.phone),
            Arg::Text(&today),
            Arg::Int(i64::from(row.now_minutes)),
            Arg::Int(row.now_ms),
        ],
    )
    .await
    .map_err(Failure::unexpected)?;
    // Asked before writing, so the answer is the same on both databases; the unique index
    // still decides between two requests racing past this point.
    let held = tx
        .rows(
            "SELECT 1 FROM bookings
             WHERE station = $1 AND procedure = $2 AND phone = $3 AND status = 'booked'",
            &[
                Arg::Text(&row.station),
                Arg::Text(&row.procedure),
                Arg::Text(&row.phone),
            ],
        )
        .await
        .map_err(Failure::unexpected)?;
    if !held.is_empty() {
        return Err(StoreError::AlreadyBooked);
    }
    let Some(place) = free_place(tx, &row.station, &row.slot, row.capacity).await? else {
        return Err(StoreError::Full);
    };
    let inserted = tx
        .rows(
            "INSERT INTO bookings (station, code, procedure, counter, slot_date, slot_start, place,
               capacity, name, phone, status, manage_token_hash, consent_version, consented_at,
               created_day, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, CAST($6 AS INTEGER), CAST($7 AS INTEGER),
               CAST($8 AS INTEGER), $9, $10, 'booked', $11, $12, $13, $14, $13, $13)
             ON CONFLICT (station, counter, slot_date, slot_start, place) WHERE status <> 'cancelled'
             DO NOTHING RETURNING id",
            &[
                Arg::Text(&row.station),
                Arg::Text(&row.code),
                Arg::Text(&row.procedure),
                Arg::Text(&row.slot.counter),
                Arg::Text(&format_iso_date(row.slot.date)),
                Arg::Int(i64::from(row.slot.start.0)),
                Arg::Int(place),
                Arg::Int(i64::from(row.capacity)),
                Arg::Text(&row.name),
                Arg::Text(&row.phone),
                Arg::Text(&row.manage_token_hash),
                Arg::Text(&row.consent_version),
                Arg::Int(row.now_ms),
                Arg::Text(&today),
            ],
        )
        .await;
    match inserted {
        Ok(rows) if !rows.is_empty() => {}
        // Another booking took this place between our look and our write: look again.
        Ok(_) => return Ok(Attempt::Retry),
        Err(Failure::Unique(Unique::Code)) => return Err(StoreError::CodeTaken),
        // Another request for this person got in first: the next try says so.
        Err(Failure::Unique(Unique::OnePerPerson | Unique::Place)) => return Ok(Attempt::Retry),
        Err(failure) => return retry_on_race(failure),
    }
    Ok(Attempt::Done((
        Booking {
            code: row.code.clone(),
            procedure: row.procedure.clone(),
            slot: row.slot.clone(),
            name: row.name.clone(),
            phone: row.phone.clone(),
            status: BookingStatus::Booked,
        },
        false,
    )))
}

/// Moves a `booked` booking to another slot (see `Store::move_booking`).
pub(crate) async fn move_booking(
    tx: &mut impl Tx,
    station: &str,
    code: &str,
    slot: &SlotKey,
    capacity: u32,
    now_ms: i64,
) -> Result<Attempt<Booking>> {
    let current = locked_booking(tx, station, code)
        .await?
        .ok_or(StoreError::UnknownCode)?;
    if current.status != BookingStatus::Booked {
        return Err(StoreError::WrongState(current.status));
    }
    if &current.slot == slot {
        return Ok(Attempt::Done(current));
    }
    let Some(place) = free_place(tx, station, slot, capacity).await? else {
        return Err(StoreError::Full);
    };
    let updated = tx
        .run(
            "UPDATE bookings SET counter = $3, slot_date = $4, slot_start = CAST($5 AS INTEGER),
               place = CAST($6 AS INTEGER), capacity = CAST($7 AS INTEGER), updated_at = $8
             WHERE station = $1 AND code = $2",
            &[
                Arg::Text(station),
                Arg::Text(code),
                Arg::Text(&slot.counter),
                Arg::Text(&format_iso_date(slot.date)),
                Arg::Int(i64::from(slot.start.0)),
                Arg::Int(place),
                Arg::Int(i64::from(capacity)),
                Arg::Int(now_ms),
            ],
        )
        .await;
    match updated {
        Ok(_) => Ok(Attempt::Done(Booking {
            slot: slot.clone(),
            ..current
        })),
        // Another booking took the place between our look and our write: look again.
        Err(Failure::Unique(_)) => Ok(Attempt::Retry),
        Err(failure) => retry_on_race(failure),
    }
}

/// Changes the status of a booking whose status is one of `from` (see `Store::set_status`).
pub(crate) async fn set_status(
    tx: &mut impl Tx,
    station: &str,
    code: &str,
    from: &[BookingStatus],
    to: BookingStatus,
    now_ms: i64,
) -> Result<Attempt<Booking>> {
    let current = locked_booking(tx, station, code)
        .await?
        .ok_or(StoreError::UnknownCode)?;
    if !from.contains(&current.status) {
        return Err(StoreError::WrongState(current.status));
    }
    let updated = tx
        .run(
            "UPDATE bookings SET status = $3, updated_at = $4 WHERE station = $1 AND code = $2",
            &[
                Arg::Text(station),
                Arg::Text(code),
                Arg::Text(to.as_str()),
                Arg::Int(now_ms),
            ],
        )
        .await;
    match updated {
        Ok(_) => Ok(Attempt::Done(Booking {
            status: to,
            ..current
        })),
        // Un-cancelling into a place someone else took.
        Err(Failure::Unique(_)) => Err(StoreError::Full),
        Err(failure) => retry_on_race(failure),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the book.

/// Places taken per slot at a counter between two days (YYYY-MM-DD, inclusive): counts only,
/// from the counts the databases' triggers keep.
pub(crate) async fn taken(
    tx: &mut impl Tx,
    station: &str,
    counter: &str,
    from: &str,
    to: &str,
) -> Result<Vec<Taken>> {
    let rows = tx
        .rows(
            "SELECT slot_date, slot_start, taken FROM slot_counts
             WHERE station = $1 AND counter = $2 AND slot_date BETWEEN $3 AND $4 AND taken > 0",
            &[
                Arg::Text(station),
                Arg::Text(counter),
                Arg::Text(from),
                Arg::Text(to),
            ],
        )
        .await
        .map_err(Failure::unexpected)?;
    rows.iter()
        .map(|row| {
            let date = text_at(row, 0)?;
            Ok(Taken {
                date: domain::time::parse_iso_date(&date)
                    .ok_or_else(|| StoreError::Database(format!("bad date {date}")))?,
                start: u16::try_from(int_at(row, 1)?)
                    .map_err(|_| StoreError::Database("bad slot start".into()))?,
                taken: u32::try_from(int_at(row, 2)?)
                    .map_err(|_| StoreError::Database("bad count".into()))?,
            })
        })
        .collect()
}

pub(crate) async fn find(
    tx: &mut impl Tx,
    station: &str,
    code: &str,
) -> Result<Option<StoredBooking>> {
    let sql = format!(
        "SELECT {BOOKING_COLUMNS}, manage_token_hash FROM bookings WHERE station = $1 AND code = $2"
    );
    let rows = (tx.rows(&sql, &[Arg::Text(station), Arg::Text(code)]).await)
        .map_err(Failure::unexpected)?;
    rows.first()
        .map(|row| {
            Ok(StoredBooking {
                booking: booking_of(row)?,
                manage_token_hash: text_at(row, 8)?,
            })
        })
        .transpose()
}

/// Bookings on a day (YYYY-MM-DD) not cancelled, earliest first.
pub(crate) async fn day(tx: &mut impl Tx, station: &str, date: &str) -> Result<Vec<Booking>> {
    let sql = format!(
        "SELECT {BOOKING_COLUMNS} FROM bookings WHERE station = $1 AND slot_date = $2
           AND status <> 'cancelled' ORDER BY slot_start, counter, place"
    );
    let rows = (tx.rows(&sql, &[Arg::Text(station), Arg::Text(date)]).await)
        .map_err(Failure::unexpected)?;
    rows.iter().map(booking_of).collect()
}

// ---------------------------------------------------------------------------------------------
// Staff accounts, sessions and the audit log: one statement or two each.

const ACCOUNT_COLUMNS: &str = "id, station, username, password_hash, role, disabled, editor";

/// An account from the cells `ACCOUNT_COLUMNS` selects.
fn account_of(row: &Row) -> Result<Account> {
    let role = text_at(row, 4)?;
    Ok(Account {
        id: int_at(row, 0)?,
        station: text_at(row, 1)?,
        username: text_at(row, 2)?,
        password_hash: text_at(row, 3)?,
        role: StaffRole::parse(&role)
            .ok_or_else(|| StoreError::Database(format!("bad role {role}")))?,
        disabled: int_at(row, 5)? != 0,
        editor: int_at(row, 6)? != 0,
    })
}

pub(crate) async fn audit(tx: &mut impl Tx, entry: &AuditEntry) -> Result<()> {
    tx.run(
        "INSERT INTO audit_log (station, actor, action, subject, at) VALUES ($1, $2, $3, $4, $5)",
        &[
            Arg::Text(&entry.station),
            Arg::Text(&entry.actor),
            Arg::Text(&entry.action),
            Arg::MaybeText(entry.subject.as_deref()),
            Arg::Int(entry.at_ms),
        ],
    )
    .await
    .map_err(Failure::unexpected)?;
    Ok(())
}

pub(crate) async fn audit_log(
    tx: &mut impl Tx,
    station: &str,
    actor: Option<&str>,
    limit: u32,
) -> Result<Vec<AuditEntry>> {
    let rows = tx
        .rows(
            "SELECT station, actor, action, subject, at FROM audit_log
             WHERE station = $1 AND (CAST($2 AS TEXT) IS NULL OR actor = $2)
             ORDER BY id DESC LIMIT CAST($3 AS BIGINT)",
            &[
                Arg::Text(station),
                Arg::MaybeText(actor),
                Arg::Int(i64::from(limit)),
            ],
        )
        .await
        .map_err(Failure::unexpected)?;
    rows.iter()
        .map(|row| {
            Ok(AuditEntry {
                station: text_at(row, 0)?,
                actor: text_at(row, 1)?,
                action: text_at(row, 2)?,
                subject: maybe_text_at(row, 3),
                at_ms: int_at(row, 4)?,
            })
        })
        .collect()
}

pub(crate) async fn create_account(
    tx: &mut impl Tx,
    station: &str,
    username: &str,
    password_hash: &str,
    role: StaffRole,
    now_ms: i64,
) -> Result<Account> {
    let rows = tx
        .rows(
            "INSERT INTO staff_accounts (station, username, password_hash, role, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[
                Arg::Text(station),
                Arg::Text(username),
                Arg::Text(password_hash),
                Arg::Text(role.as_str()),
                Arg::Int(now_ms),
            ],
        )
        .await
        .map_err(|failure| match failure {
            Failure::Unique(_) => StoreError::UsernameTaken,
            other => other.unexpected(),
        })?;
    let id = rows
        .first()
        .map(|row| int_at(row, 0))
        .transpose()?
        .ok_or_else(|| StoreError::Database("no id for the new account".into()))?;
    Ok(Account {
        id,
        station: station.to_owned(),
        username: username.to_owned(),
        password_hash: password_hash.to_owned(),
        role,
        disabled: false,
        editor: false,
    })
}

pub(crate) async fn account(
    tx: &mut impl Tx,
    station: &str,
    username: &str,
) -> Result<Option<Account>> {
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM staff_accounts WHERE station = $1 AND username = $2"
    );
    let rows = (tx
        .rows(&sql, &[Arg::Text(station), Arg::Text(username)])
        .await)
        .map_err(Failure::unexpected)?;
    rows.first().map(account_of).transpose()
}

pub(crate) async fn accounts(tx: &mut impl Tx, station: &str) -> Result<Vec<Account>> {
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM staff_accounts WHERE station = $1 ORDER BY username"
    );
    let rows = (tx.rows(&sql, &[Arg::Text(station)]).await).map_err(Failure::unexpected)?;
    rows.iter().map(account_of).collect()
}

/// Gives or takes the content desk from an account.
pub(crate) async fn set_editor(
    tx: &mut impl Tx,
    station: &str,
    username: &str,
    editor: bool,
) -> Result<Account> {
    let sql = format!(
        "UPDATE staff_accounts SET editor = $3 WHERE station = $1 AND username = $2
         RETURNING {ACCOUNT_COLUMNS}"
    );
    let rows = tx
        .rows(
            &sql,
            &[Arg::Text(station), Arg::Text(username), Arg::Bool(editor)],
        )
        .await
        .map_err(Failure::unexpected)?;
    rows.first()
        .map(account_of)
        .transpose()?
        .ok_or(StoreError::UnknownCode)
}

/// Disables or re-enables an account; a disabled account's sessions end at once.
pub(crate) async fn set_disabled(
    tx: &mut impl Tx,
    station: &str,
    username: &str,
    disabled: bool,
) -> Result<Account> {
    let sql = format!(
        "UPDATE staff_accounts SET disabled = $3 WHERE station = $1 AND username = $2
         RETURNING {ACCOUNT_COLUMNS}"
    );
    let rows = tx
        .rows(
            &sql,
            &[Arg::Text(station), Arg::Text(username), Arg::Bool(disabled)],
        )
        .await
        .map_err(Failure::unexpected)?;
    let account = rows
        .first()
        .map(account_of)
        .transpose()?
        .ok_or(StoreError::UnknownCode)?;
    if disabled {
        tx.run(
            "DELETE FROM staff_sessions WHERE account_id = $1",
            &[Arg::Int(account.id)],
        )
        .await
        .map_err(Failure::unexpected)?;
    }
    Ok(account)
}

pub(crate) async fn create_session(
    tx: &mut impl Tx,
    token_hash: &str,
    account_id: i64,
    csrf_token: &str,
    expires_ms: i64,
) -> Result<()> {
    tx.run(
        "INSERT INTO staff_sessions (token_hash, account_id, csrf_token, expires_at)
         VALUES ($1, $2, $3, $4)",
        &[
            Arg::Text(token_hash),
            Arg::Int(account_id),
            Arg::Text(csrf_token),
            Arg::Int(expires_ms),
        ],
    )
    .await
    .map_err(Failure::unexpected)?;
    Ok(())
}

/// The enabled account behind a live session, and the session's anti-forgery token.
pub(crate) async fn session(
    tx: &mut impl Tx,
    token_hash: &str,
    now_ms: i64,
) -> Result<Option<(Account, String)>> {
    let rows = tx
        .rows(
            "SELECT a.id, a.station, a.username, a.password_hash, a.role, a.disabled, a.editor,
                    s.csrf_token
             FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT a.disabled",
            &[Arg::Text(token_hash), Arg::Int(now_ms)],
        )
        .await
        .map_err(Failure::unexpected)?;
    rows.first()
        .map(|row| Ok((account_of(row)?, text_at(row, 7)?)))
        .transpose()
}

pub(crate) async fn delete_session(tx: &mut impl Tx, token_hash: &str) -> Result<()> {
    tx.run(
        "DELETE FROM staff_sessions WHERE token_hash = $1",
        &[Arg::Text(token_hash)],
    )
    .await
    .map_err(Failure::unexpected)?;
    Ok(())
}

/// Drops idempotency keys and staff sessions older than `before_ms`.
pub(crate) async fn drop_expired(tx: &mut impl Tx, before_ms: i64) -> Result<()> {
    for sql in [
        "DELETE FROM idempotency_keys WHERE created_at < $1",
        "DELETE FROM staff_sessions WHERE expires_at < $1",
    ] {
        (tx.run(sql, &[Arg::Int(before_ms)]).await).map_err(Failure::unexpected)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Erasure and reception terminals.

/// Removes name and phone from bookings of `station` dated before `before`, and the per-day
/// counts of phone numbers; how many bookings. The database's own housekeeping follows
/// (`VACUUM`, or SQLite's checkpoint), so no old copy keeps them.
pub(crate) async fn erase_personal_data(
    tx: &mut impl Tx,
    station: &str,
    before: &str,
    now_ms: i64,
) -> Result<u64> {
    let erased = tx
        .run(
            "UPDATE bookings SET name = NULL, phone = NULL, erased_at = $3, updated_at = $3
             WHERE station = $1 AND slot_date < $2 AND (name IS NOT NULL OR phone IS NOT NULL)",
            &[Arg::Text(station), Arg::Text(before), Arg::Int(now_ms)],
        )
        .await
        .map_err(Failure::unexpected)?;
    // The per-day counts hold phone numbers too.
    tx.run(
        "DELETE FROM phone_days WHERE station = $1 AND day < $2",
        &[Arg::Text(station), Arg::Text(before)],
    )
    .await
    .map_err(Failure::unexpected)?;
    Ok(erased)
}

/// A terminal from the cells `TERMINAL_COLUMNS` selects.
fn terminal_of(row: &Row) -> Result<Terminal> {
    let maybe = |i: usize| row.get(i).and_then(Cell::int);
    Ok(terminal_from_columns(
        int_at(row, 0)?,
        text_at(row, 1)?,
        maybe(2),
        maybe(3),
        maybe(4),
        maybe(5),
    ))
}

/// The terminal a statement returning `TERMINAL_COLUMNS` changed, if any.
async fn terminal_changed(
    tx: &mut impl Tx,
    sql: &str,
    args: &[Arg<'_>],
) -> Result<Option<Terminal>> {
    let rows = tx.rows(sql, args).await.map_err(Failure::unexpected)?;
    rows.first().map(terminal_of).transpose()
}

pub(crate) async fn add_terminal(
    tx: &mut impl Tx,
    station: &str,
    name: &str,
    enrolment_hash: &str,
    expires_ms: i64,
    now_ms: i64,
) -> Result<Terminal> {
    let sql = format!(
        "INSERT INTO terminals (station, name, enrolment_hash, enrolment_expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING {TERMINAL_COLUMNS}"
    );
    let args = [
        Arg::Text(station),
        Arg::Text(name),
        Arg::Text(enrolment_hash),
        Arg::Int(expires_ms),
        Arg::Int(now_ms),
    ];
    terminal_changed(tx, &sql, &args)
        .await?
        .ok_or_else(|| StoreError::Database("no terminal added".into()))
}

/// Enrols the terminal whose live enrolment code this is (see `Store::enrol_terminal`).
pub(crate) async fn enrol_terminal(
    tx: &mut impl Tx,
    station: &str,
    enrolment_hash: &str,
    credential_hash: &str,
    now_ms: i64,
) -> Result<Terminal> {
    let sql = format!(
        "UPDATE terminals SET credential_hash = $3, enrolment_hash = NULL,
           enrolment_expires_at = NULL, enrolled_at = $4
         WHERE station = $1 AND enrolment_hash = $2 AND enrolment_expires_at > $4
           AND revoked_at IS NULL
         RETURNING {TERMINAL_COLUMNS}"
    );
    let args = [
        Arg::Text(station),
        Arg::Text(enrolment_hash),
        Arg::Text(credential_hash),
        Arg::Int(now_ms),
    ];
    terminal_changed(tx, &sql, &args)
        .await?
        .ok_or(StoreError::UnknownCode)
}

/// The enrolled, unrevoked terminal holding this credential, its last use set to now.
pub(crate) async fn use_terminal(
    tx: &mut impl Tx,
    station: &str,
    credential_hash: &str,
    now_ms: i64,
) -> Result<Option<Terminal>> {
    let sql = format!(
        "UPDATE terminals SET last_used_at = $3
         WHERE station = $1 AND credential_hash = $2 AND revoked_at IS NULL
         RETURNING {TERMINAL_COLUMNS}"
    );
    let args = [
        Arg::Text(station),
        Arg::Text(credential_hash),
        Arg::Int(now_ms),
    ];
    terminal_changed(tx, &sql, &args).await
}

pub(crate) async fn terminals(tx: &mut impl Tx, station: &str) -> Result<Vec<Terminal>> {
    let sql = format!(
        "SELECT {TERMINAL_COLUMNS} FROM terminals WHERE station = $1
         ORDER BY revoked_at IS NOT NULL, id"
    );
    let rows = (tx.rows(&sql, &[Arg::Text(station)]).await).map_err(Failure::unexpected)?;
    rows.iter().map(terminal_of).collect()
}

/// Revokes a terminal: its credential and any enrolment code stop working at once.
pub(crate) async fn revoke_terminal(
    tx: &mut impl Tx,
    station: &str,
    id: i64,
    now_ms: i64,
) -> Result<Terminal> {
    let sql = format!(
        "UPDATE terminals SET revoked_at = coalesce(revoked_at, $3), credential_hash = NULL,
           enrolment_hash = NULL, enrolment_expires_at = NULL
         WHERE station = $1 AND id = $2
         RETURNING {TERMINAL_COLUMNS}"
    );
    let args = [Arg::Text(station), Arg::Int(id), Arg::Int(now_ms)];
    terminal_changed(tx, &sql, &args)
        .await?
        .ok_or(StoreError::UnknownCode)
}
