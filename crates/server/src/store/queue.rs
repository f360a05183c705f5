//! The one queue's storage (#27), written once for both databases over their dialect like
//! `rules.rs`: tickets numbered by the database, "call next", each step of a ticket, and the
//! queue's event log. The order of calling and which step may follow which are the domain's
//! (`domain::queue`); this keeps them true when many terminals, officers and servers act at once.
//!
//! Every change of a station's queue first takes that station's row of `queue_stations` for
//! itself (`FOR UPDATE` on PostgreSQL; SQLite has one writer anyway), so changes of one station
//! happen one after another, on one server or several: a ticket number is never given twice, two
//! officers pressing "Call next" together get two tickets, and the event log's ids are
//! committed in the order they were given — a stream that has sent event 41 never later meets
//! a 40 it has not sent. A station's queue changes at the pace of people, so this costs nothing
//! anyone waits for (`scripts/bench-queue` measures it).

use domain::queue::{
    after, queue_at, ticket_label, Action, EventKind, Kind, QueueError, QueueEvent, QueueRules,
    Ticket, TicketStatus,
};

use super::dialect::{Arg, Cell, Failure, Row, Tx};
use super::rules::{int_at, maybe_text_at, text_at, Attempt};
use super::{Result, StoreError};

/// The queue's tables, one text for both databases but for the type of the ids (`$id`).
macro_rules! queue_tables {
    ($id:literal) => {
        concat!(
            "
CREATE TABLE queue_stations (station TEXT PRIMARY KEY);
CREATE TABLE queue_tickets (
  id ", $id, ",
  station TEXT NOT NULL,
  day TEXT NOT NULL,
  line TEXT NOT NULL,
  number INTEGER NOT NULL CHECK (number >= 1),
  label TEXT NOT NULL,
  counter TEXT NOT NULL,
  procedure TEXT NOT NULL,
  priority INTEGER NOT NULL CHECK (priority IN (0, 1)),
  slot_start INTEGER,
  booking_code TEXT,
  token_hash TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'left')),
  calls INTEGER NOT NULL CHECK (calls >= 0),
  officer TEXT,
  taken_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (station, day, line, number)
);
CREATE UNIQUE INDEX queue_tickets_token ON queue_tickets (token_hash);
CREATE UNIQUE INDEX queue_tickets_booking ON queue_tickets (station, booking_code);
CREATE INDEX queue_tickets_day ON queue_tickets (station, day, status);
CREATE TABLE queue_events (
  id ", $id, ",
  station TEXT NOT NULL,
  day TEXT NOT NULL,
  ticket BIGINT NOT NULL REFERENCES queue_tickets (id),
  label TEXT NOT NULL,
  event TEXT NOT NULL CHECK (event IN ('taken', 'called', 'started', 'done', 'no_show', 'transferred', 'left')),
  counter TEXT NOT NULL,
  actor TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX queue_events_by_station ON queue_events (station, id);
"
        )
    };
}
pub(super) use queue_tables;

/// A ticket to number and store, its counter and kind already decided.
#[derive(Clone, Debug)]
pub struct NewTicket {
    pub station: String,
    /// The office's date (YYYY-MM-DD): numbers start again each day.
    pub day: String,
    pub counter: String,
    /// The counter's letter on the ticket.
    pub letter: char,
    pub procedure: String,
    pub priority: bool,
    pub kind: Kind,
    /// The booking checked in, if any: one ticket per booking; checking in again gives the
    /// same ticket (with a new token, the earlier slip's being lost).
    pub booking_code: Option<String>,
    pub token_hash: String,
    /// Who took it (`terminal:3`), for the log.
    pub actor: String,
    pub now_ms: i64,
}

/// "Call next" at a counter.
#[derive(Clone, Debug)]
pub struct NextCall {
    pub station: String,
    pub day: String,
    pub counter: String,
    pub officer: String,
    /// The office's time, minutes after midnight: which appointments are due.
    pub now_minutes: u16,
    pub now_ms: i64,
}

/// One step of one ticket.
#[derive(Clone, Debug)]
pub struct TicketStep {
    pub station: String,
    pub day: String,
    /// The ticket's id (the phone's token is looked up first, where wrong ones are counted).
    pub ticket: i64,
    pub action: Action,
    /// The officer's account, or `citizen`.
    pub actor: String,
    pub rules: QueueRules,
    /// The station's counters: where a ticket may be sent.
    pub counters: Vec<String>,
    pub now_ms: i64,
}

const TICKET_COLUMNS: &str =
    "id, label, counter, procedure, priority, slot_start, status, calls, officer, taken_at, updated_at";

fn ticket_of(row: &Row) -> Result<Ticket> {
    let status = text_at(row, 6)?;
    let status = TicketStatus::parse(&status)
        .ok_or_else(|| StoreError::Database(format!("bad ticket status: {status}")))?;
    let kind = match row.get(5).and_then(Cell::int) {
        Some(start) => Kind::Appointment {
            start: u16::try_from(start)
                .map_err(|_| StoreError::Database(format!("bad slot start: {start}")))?,
        },
        None => Kind::WalkIn,
    };
    Ok(Ticket {
        id: int_at(row, 0)?,
        label: text_at(row, 1)?,
        counter: text_at(row, 2)?,
        procedure: text_at(row, 3)?,
        priority: int_at(row, 4)? != 0,
        kind,
        status,
        calls: u8::try_from(int_at(row, 7)?).unwrap_or(u8::MAX),
        officer: maybe_text_at(row, 8),
        taken_ms: int_at(row, 9)?,
        updated_ms: int_at(row, 10)?,
    })
}

/// Takes the station's queue for this transaction: the changes of one station's queue run one
/// after another (see the module's header).
async fn hold_queue<T: Tx>(tx: &mut T, station: &str) -> Result<()> {
    tx.run(
        "INSERT INTO queue_stations (station) VALUES ($1) ON CONFLICT (station) DO NOTHING",
        &[Arg::Text(station)],
    )
    .await
    .map_err(Failure::unexpected)?;
    let sql = format!(
        "SELECT station FROM queue_stations WHERE station = $1{}",
        T::LOCK
    );
    tx.rows(&sql, &[Arg::Text(station)])
        .await
        .map_err(Failure::unexpected)?;
    Ok(())
}

async fn ticket_where(
    tx: &mut impl Tx,
    station: &str,
    condition: &str,
    args: &[Arg<'_>],
) -> Result<Option<Ticket>> {
    let sql =
        format!("SELECT {TICKET_COLUMNS} FROM queue_tickets WHERE station = $1 AND {condition}");
    let mut all = vec![Arg::Text(station)];
    all.extend_from_slice(args);
    let rows = tx.rows(&sql, &all).await.map_err(Failure::unexpected)?;
    rows.first().map(ticket_of).transpose()
}

async fn log_event(
    tx: &mut impl Tx,
    station: &str,
    day: &str,
    ticket: &Ticket,
    event: EventKind,
    actor: &str,
    at_ms: i64,
) -> Result<()> {
    tx.run(
        "INSERT INTO queue_events (station, day, ticket, label, event, counter, actor, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            Arg::Text(station),
            Arg::Text(day),
            Arg::Int(ticket.id),
            Arg::Text(&ticket.label),
            Arg::Text(event.as_str()),
            Arg::Text(&ticket.counter),
            Arg::Text(actor),
            Arg::Int(at_ms),
        ],
    )
    .await
    .map_err(Failure::unexpected)?;
    Ok(())
}

/// Numbers and stores a ticket: the day's next number of its counter.
pub(crate) async fn take(tx: &mut impl Tx, new: &NewTicket) -> Result<Attempt<Ticket>> {
    hold_queue(tx, &new.station).await?;
    if let Some(code) = &new.booking_code {
        if let Some(earlier) =
            ticket_where(tx, &new.station, "booking_code = $2", &[Arg::Text(code)]).await?
        {
            tx.run(
                "UPDATE queue_tickets SET token_hash = $2 WHERE id = $1",
                &[Arg::Int(earlier.id), Arg::Text(&new.token_hash)],
            )
            .await
            .map_err(Failure::unexpected)?;
            return Ok(Attempt::Done(earlier));
        }
    }
    let rows = tx
        .rows(
            "SELECT coalesce(max(number), 0) + 1 FROM queue_tickets
             WHERE station = $1 AND day = $2 AND line = $3",
            &[
                Arg::Text(&new.station),
                Arg::Text(&new.day),
                Arg::Text(&new.counter),
            ],
        )
        .await
        .map_err(Failure::unexpected)?;
    let number = rows
        .first()
        .map(|row| int_at(row, 0))
        .transpose()?
        .unwrap_or(1);
    let label = ticket_label(new.letter, u32::try_from(number).unwrap_or(u32::MAX));
    let slot_start = match new.kind {
        Kind::Appointment { start } => Some(i64::from(start)),
        Kind::WalkIn => None,
    };
    let inserted = tx
        .rows(
            "INSERT INTO queue_tickets (station, day, line, number, label, counter, procedure,
               priority, slot_start, booking_code, token_hash, status, calls, taken_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $3, $6, $7, $8, $9, $10, 'waiting', 0, $11, $11)
             RETURNING id",
            &[
                Arg::Text(&new.station),
                Arg::Text(&new.day),
                Arg::Text(&new.counter),
                Arg::Int(number),
                Arg::Text(&label),
                Arg::Text(&new.procedure),
                Arg::Int(i64::from(new.priority)),
                Arg::MaybeInt(slot_start),
                Arg::MaybeText(new.booking_code.as_deref()),
                Arg::Text(&new.token_hash),
                Arg::Int(new.now_ms),
            ],
        )
        .await;
    let id = match inserted {
        Ok(rows) => rows.first().map(|row| int_at(row, 0)).transpose()?,
        // Another process wrote the same number between the read and the write (only possible
        // if something bypassed the queue's hold): read again.
        Err(Failure::Unique(_) | Failure::Transient) => return Ok(Attempt::Retry),
        Err(other) => return Err(other.unexpected()),
    };
    let id = id.ok_or_else(|| StoreError::Database("no id for the new ticket".into()))?;
    let ticket = Ticket {
        id,
        label,
        counter: new.counter.clone(),
        procedure: new.procedure.clone(),
        priority: new.priority,
        kind: new.kind,
        status: TicketStatus::Waiting,
        calls: 0,
        officer: None,
        taken_ms: new.now_ms,
        updated_ms: new.now_ms,
    };
    log_event(
        tx,
        &new.station,
        &new.day,
        &ticket,
        EventKind::Taken,
        &new.actor,
        new.now_ms,
    )
    .await?;
    Ok(Attempt::Done(ticket))
}

/// The counter's next ticket in the domain's call order, called to the officer.
pub(crate) async fn call_next(tx: &mut impl Tx, call: &NextCall) -> Result<Attempt<Ticket>> {
    hold_queue(tx, &call.station).await?;
    if let Some(current) = ticket_where(
        tx,
        &call.station,
        "day = $2 AND officer = $3 AND status IN ('called', 'serving')",
        &[Arg::Text(&call.day), Arg::Text(&call.officer)],
    )
    .await?
    {
        return Err(StoreError::Queue(QueueError::StillServing(current.label)));
    }
    let waiting = day_tickets_where(
        tx,
        &call.station,
        &call.day,
        "AND counter = $3 AND status = 'waiting'",
        &[Arg::Text(&call.counter)],
    )
    .await?;
    let Some(next) = queue_at(&waiting, &call.counter, call.now_minutes)
        .first()
        .copied()
    else {
        return Err(StoreError::Queue(QueueError::Empty));
    };
    let changed = tx
        .run(
            "UPDATE queue_tickets SET status = 'called', calls = 1, officer = $2, updated_at = $3
             WHERE id = $1 AND status = 'waiting'",
            &[
                Arg::Int(next.id),
                Arg::Text(&call.officer),
                Arg::Int(call.now_ms),
            ],
        )
        .await
        .map_err(Failure::unexpected)?;
    if changed == 0 {
        return Ok(Attempt::Retry);
    }
    let called = Ticket {
        status: TicketStatus::Called,
        calls: 1,
        officer: Some(call.officer.clone()),
        updated_ms: call.now_ms,
        ..next.clone()
    };
    log_event(
        tx,
        &call.station,
        &call.day,
        &called,
        EventKind::Called,
        &call.officer,
        call.now_ms,
    )
    .await?;
    Ok(Attempt::Done(called))
}

/// One step of one ticket of the day, as the domain allows it.
pub(crate) async fn step(tx: &mut impl Tx, step: &TicketStep) -> Result<Attempt<Ticket>> {
    hold_queue(tx, &step.station).await?;
    let found = ticket_where(
        tx,
        &step.station,
        "day = $2 AND id = $3",
        &[Arg::Text(&step.day), Arg::Int(step.ticket)],
    )
    .await?;
    let ticket = found.ok_or(StoreError::Queue(QueueError::UnknownTicket))?;
    let (status, calls) =
        after(ticket.status, ticket.calls, &step.action, &step.rules).map_err(StoreError::Queue)?;
    let (counter, officer, event) = match &step.action {
        Action::Transfer { to } => {
            if *to == ticket.counter || !step.counters.contains(to) {
                return Err(StoreError::Queue(QueueError::UnknownCounter));
            }
            (to.clone(), None, EventKind::Transferred)
        }
        Action::CallAgain => (
            ticket.counter.clone(),
            Some(step.actor.clone()),
            EventKind::Called,
        ),
        Action::Start => (
            ticket.counter.clone(),
            Some(step.actor.clone()),
            EventKind::Started,
        ),
        Action::Done => (
            ticket.counter.clone(),
            ticket.officer.clone(),
            EventKind::Done,
        ),
        Action::NoShow => (
            ticket.counter.clone(),
            ticket.officer.clone(),
            EventKind::NoShow,
        ),
        Action::Leave => (
            ticket.counter.clone(),
            ticket.officer.clone(),
            EventKind::Left,
        ),
    };
    tx.run(
        "UPDATE queue_tickets SET status = $2, calls = $3, counter = $4, officer = $5, updated_at = $6
         WHERE id = $1",
        &[
            Arg::Int(ticket.id),
            Arg::Text(status.as_str()),
            Arg::Int(i64::from(calls)),
            Arg::Text(&counter),
            Arg::MaybeText(officer.as_deref()),
            Arg::Int(step.now_ms),
        ],
    )
    .await
    .map_err(Failure::unexpected)?;
    let changed = Ticket {
        status,
        calls,
        counter,
        officer,
        updated_ms: step.now_ms,
        ..ticket
    };
    log_event(
        tx,
        &step.station,
        &step.day,
        &changed,
        event,
        &step.actor,
        step.now_ms,
    )
    .await?;
    Ok(Attempt::Done(changed))
}

async fn day_tickets_where(
    tx: &mut impl Tx,
    station: &str,
    day: &str,
    condition: &str,
    args: &[Arg<'_>],
) -> Result<Vec<Ticket>> {
    let sql = format!(
        "SELECT {TICKET_COLUMNS} FROM queue_tickets WHERE station = $1 AND day = $2 {condition} ORDER BY id"
    );
    let mut all = vec![Arg::Text(station), Arg::Text(day)];
    all.extend_from_slice(args);
    let rows = tx.rows(&sql, &all).await.map_err(Failure::unexpected)?;
    rows.iter().map(ticket_of).collect()
}

/// The day's tickets, oldest first, and the newest event of the station's queue.
pub(crate) async fn day(tx: &mut impl Tx, station: &str, day: &str) -> Result<(Vec<Ticket>, i64)> {
    let tickets = day_tickets_where(tx, station, day, "", &[]).await?;
    let rows = tx
        .rows(
            "SELECT coalesce(max(id), 0) FROM queue_events WHERE station = $1",
            &[Arg::Text(station)],
        )
        .await
        .map_err(Failure::unexpected)?;
    let last = rows
        .first()
        .map(|row| int_at(row, 0))
        .transpose()?
        .unwrap_or(0);
    Ok((tickets, last))
}

/// The day's ticket whose token has this hash.
pub(crate) async fn by_token(
    tx: &mut impl Tx,
    station: &str,
    day: &str,
    token_hash: &str,
) -> Result<Option<Ticket>> {
    ticket_where(
        tx,
        station,
        "day = $2 AND token_hash = $3",
        &[Arg::Text(day), Arg::Text(token_hash)],
    )
    .await
}

/// The station's queue steps on the days `from` to `to` (inclusive, YYYY-MM-DD), each with its
/// ticket's procedure and kind, in the order they happened: what the figures are drawn from.
pub(crate) async fn history(
    tx: &mut impl Tx,
    station: &str,
    from: &str,
    to: &str,
) -> Result<Vec<domain::queue_figures::Step>> {
    let rows = tx
        .rows(
            "SELECT e.ticket, t.procedure, e.counter,
                    CASE WHEN t.slot_start IS NULL THEN 0 ELSE 1 END, e.event, e.at
             FROM queue_events e JOIN queue_tickets t ON t.id = e.ticket
             WHERE e.station = $1 AND e.day >= $2 AND e.day <= $3 ORDER BY e.id",
            &[Arg::Text(station), Arg::Text(from), Arg::Text(to)],
        )
        .await
        .map_err(Failure::unexpected)?;
    rows.iter()
        .map(|row| {
            let event = text_at(row, 4)?;
            Ok(domain::queue_figures::Step {
                ticket: int_at(row, 0)?,
                procedure: text_at(row, 1)?,
                counter: text_at(row, 2)?,
                appointment: int_at(row, 3)? != 0,
                event: EventKind::parse(&event)
                    .ok_or_else(|| StoreError::Database(format!("bad queue event: {event}")))?,
                at_ms: int_at(row, 5)?,
            })
        })
        .collect()
}

/// The station's queue events after `after`, oldest first, at most `limit`.
pub(crate) async fn events_after(
    tx: &mut impl Tx,
    station: &str,
    after: i64,
    limit: u32,
) -> Result<Vec<QueueEvent>> {
    let rows = tx
        .rows(
            "SELECT id, label, event, counter, at FROM queue_events
             WHERE station = $1 AND id > $2 ORDER BY id LIMIT CAST($3 AS INTEGER)",
            &[
                Arg::Text(station),
                Arg::Int(after),
                Arg::Int(i64::from(limit)),
            ],
        )
        .await
        .map_err(Failure::unexpected)?;
    rows.iter()
        .map(|row| {
            let event = text_at(row, 2)?;
            Ok(QueueEvent {
                id: int_at(row, 0)?,
                label: text_at(row, 1)?,
                event: EventKind::parse(&event)
                    .ok_or_else(|| StoreError::Database(format!("bad queue event: {event}")))?,
                counter: text_at(row, 3)?,
                at_ms: int_at(row, 4)?,
            })
        })
        .collect()
}
