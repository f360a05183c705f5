//! The one queue over HTTP (#27): numbers taken at an enrolled terminal (or given by an
//! officer), a booking's check-in turned into a ticket, the phone's view of its ticket, the
//! waiting-room board, the counters' calls, and the live stream of the queue's events.
//!
//! The queue's state is the database's (`store::queue`); this server only relays it. Each
//! station has one feed per server: a task that reads the station's new events from the
//! database — at once after a change made here, every `POLL` while anyone listens (a change made
//! by another server over the same PostgreSQL) — and hands them to every open stream. So 500
//! screens and phones cost one query per `POLL`, not 500.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;
use tokio::sync::{broadcast, Notify};

use super::api::EnrolledTerminal;
use super::limits::Kind as LimitKind;
use super::problem::Problem;
use super::secrets;
use super::staff::{record, Staff};
use super::store::queue::{NewTicket, NextCall, TicketStep};
use super::store::Store;
use super::{now_ms, office_now, AppState, JsonBody, Shared};
use domain::queue::{
    board, counter_for, counter_signs, queue_at, view_of, Action, Board, CallNext, Desk, Kind,
    QueueError, QueueEvent, TakeNumber, Ticket, TicketStatus, TicketTaken, TicketView, TransferTo,
};
use domain::time::format_iso_date;

/// How often a feed with listeners reads events other servers wrote.
const POLL: Duration = Duration::from_millis(250);
/// Events kept for a stream that reads slowly; past it the stream is told to reload the board.
const FEED_BUFFER: usize = 256;
/// The most events a resumed stream is sent from the database; past it, a reload.
const RESUME_LIMIT: u32 = 500;
/// A comment sent on a quiet stream, so proxies and phones keep the connection.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The feeds of the stations this server serves, made on first use.
#[derive(Default)]
pub struct QueueHub {
    feeds: Mutex<HashMap<String, Arc<Feed>>>,
    /// Streams open now, on all stations: past `Limits::max_streams` a new one is refused.
    open_streams: Arc<AtomicUsize>,
}

pub struct Feed {
    sender: broadcast::Sender<Arc<QueueEvent>>,
    wake: Notify,
    /// The newest event sent.
    last: AtomicI64,
}

impl QueueHub {
    fn feed(&self, state: &Shared, station: &str) -> Arc<Feed> {
        let mut feeds = match self.feeds.lock() {
            Ok(feeds) => feeds,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(feed) = feeds.get(station) {
            return feed.clone();
        }
        let feed = Arc::new(Feed {
            sender: broadcast::channel(FEED_BUFFER).0,
            wake: Notify::new(),
            last: AtomicI64::new(-1),
        });
        feeds.insert(station.to_owned(), feed.clone());
        tokio::spawn(relay(state.clone(), station.to_owned(), feed.clone()));
        feed
    }

    /// A change was made here: its feed reads it at once.
    pub fn changed(&self, station: &str) {
        let feeds = match self.feeds.lock() {
            Ok(feeds) => feeds,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(feed) = feeds.get(station) {
            feed.wake.notify_one();
        }
    }
}

/// A station's feed: reads the events after the last one sent and sends them on, woken by a
/// change here or, while anyone listens, every `POLL`.
async fn relay(state: Shared, station: String, feed: Arc<Feed>) {
    loop {
        if feed.last.load(Ordering::Acquire) < 0 {
            match state.store.queue_day(&station, &today()).await {
                Ok((_, last)) => feed.last.store(last, Ordering::Release),
                Err(error) => {
                    eprintln!("station-server: queue feed: {error}");
                    tokio::time::sleep(POLL * 4).await;
                    continue;
                }
            }
        }
        if feed.sender.receiver_count() == 0 {
            feed.wake.notified().await;
        } else {
            tokio::select! {
                _ = feed.wake.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
        let after = feed.last.load(Ordering::Acquire);
        match state.store.queue_events(&station, after, 1_000).await {
            Ok(events) => {
                for event in events {
                    feed.last.store(event.id, Ordering::Release);
                    // No receiver is not an error: nobody is listening.
                    let _ = feed.sender.send(Arc::new(event));
                }
            }
            Err(error) => {
                eprintln!("station-server: queue feed: {error}");
                tokio::time::sleep(POLL * 4).await;
            }
        }
    }
}

fn today() -> String {
    format_iso_date(office_now().date())
}

/// Why the station takes no numbers now (a holiday, or a closure the plan lists for today or for
/// these hours of it), if it does not.
fn closed_today(plan: &domain::schedule::Plan) -> Option<QueueError> {
    use domain::schedule::DayStatus;
    let today = office_now().date();
    let (vi, en) = match (
        plan.day_status(today),
        plan.closure_at(today, minutes_now()),
    ) {
        (DayStatus::Holiday(holiday), _) => (&holiday.name.vi, &holiday.name.en),
        (DayStatus::Closed(closure), _) | (_, Some(closure)) => {
            (&closure.reason.vi, &closure.reason.en)
        }
        (DayStatus::Open(_) | DayStatus::NoReception, None) => return None,
    };
    Some(QueueError::Closed {
        vi: vi.clone(),
        en: en.clone(),
    })
}

/// The office's time now, minutes after midnight.
pub(crate) fn minutes_now() -> u16 {
    use chrono::Timelike;
    let now = office_now();
    u16::try_from(now.hour() * 60 + now.minute()).unwrap_or(0)
}

pub fn routes(state: Shared) -> Router {
    Router::new()
        .route("/stations/{station}/queue/tickets", post(take_number))
        .route("/stations/{station}/queue/tickets/{token}", get(own_ticket))
        .route(
            "/stations/{station}/queue/tickets/{token}/leave",
            post(leave),
        )
        .route("/stations/{station}/queue/board", get(show_board))
        .route("/stations/{station}/queue/settings", get(settings))
        .route("/stations/{station}/queue/events", get(events))
        .with_state(state)
}

/// The staff's queue addresses, put behind the staff's session check by `staff::routes`.
pub fn staff_routes() -> Router<Shared> {
    Router::new()
        .route("/staff/queue", get(desk))
        .route("/staff/queue/tickets", post(officer_ticket))
        .route("/staff/queue/call-next", post(call_next))
        .route("/staff/queue/figures", get(figures))
        .route("/staff/queue/figures.csv", get(figures_csv))
        .route("/staff/queue/tickets/{id}/transfer", post(transfer))
        .route("/staff/queue/tickets/{id}/{step}", post(step))
}

/// Numbers a ticket for `counter` (which the plan has) and answers with its view and token.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn issue(
    state: &AppState,
    station: &str,
    plan: &super::StationPlan,
    counter: &str,
    procedure: &str,
    priority: bool,
    kind: Kind,
    booking_code: Option<String>,
    actor: String,
) -> Result<TicketTaken, Problem> {
    if let Some(closed) = closed_today(plan) {
        return Err(Problem::Queue(closed));
    }
    let signs = counter_signs(&plan.counters);
    let sign =
        (signs.iter().find(|s| s.id == counter)).ok_or(Problem::Queue(QueueError::NotServed))?;
    let token = secrets::random_token();
    let day = today();
    let ticket = state
        .store
        .take_ticket(NewTicket {
            station: station.to_owned(),
            day: day.clone(),
            counter: counter.to_owned(),
            letter: sign.letter,
            procedure: procedure.to_owned(),
            priority,
            kind,
            booking_code,
            token_hash: secrets::token_hash(&token),
            actor,
            now_ms: now_ms(),
        })
        .await?;
    state.queue_hub.changed(station);
    let view = citizen_view(state, station, plan, &day, &ticket).await?;
    Ok(TicketTaken {
        ticket: view,
        token,
    })
}

/// A walk-in's number, at the counter that serves the procedure asked for.
async fn walk_in(
    state: &AppState,
    station: &str,
    plan: &super::StationPlan,
    body: &TakeNumber,
    actor: String,
) -> Result<TicketTaken, Problem> {
    let counter = counter_for(&plan.counters, &body.procedure)
        .ok_or(Problem::Queue(QueueError::NotServed))?;
    issue(
        state,
        station,
        plan,
        &counter.id,
        &body.procedure,
        body.priority,
        Kind::WalkIn,
        None,
        actor,
    )
    .await
}

async fn citizen_view(
    state: &AppState,
    station: &str,
    plan: &super::StationPlan,
    day: &str,
    ticket: &Ticket,
) -> Result<TicketView, Problem> {
    let (tickets, _) = state.store.queue_day(station, day).await?;
    let signs = counter_signs(&plan.counters);
    view_of(ticket, &tickets, &signs, minutes_now(), &plan.queue)
        .ok_or(Problem::Queue(QueueError::UnknownCounter))
}

/// "Take a number" at an enrolled terminal: no name, no phone.
async fn take_number(
    State(state): State<Shared>,
    Path(station_id): Path<String>,
    EnrolledTerminal(terminal): EnrolledTerminal,
    JsonBody(body): JsonBody<TakeNumber>,
) -> Result<(StatusCode, Json<TicketTaken>), Problem> {
    let plan = state.station(&station_id)?.plan.get();
    // Counted per terminal, like check-in: a terminal is one device for many citizens.
    state
        .count(
            LimitKind::Bookings,
            &format!("tickets:{station_id}:{}", terminal.id),
            state.config.limits.tickets_per_terminal_per_hour,
            Duration::from_secs(3600),
        )
        .await?;
    let taken = walk_in(
        &state,
        &station_id,
        &plan,
        &body,
        format!("terminal:{}", terminal.id),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(taken)))
}

/// A ticket's token is 64 hex digits; anything else is not looked up.
fn token_shape(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The day's ticket behind a token, counting a wrong one against the client's address.
async fn ticket_of_token(
    state: &Shared,
    station_id: &str,
    token: &str,
    client: &str,
) -> Result<Ticket, Problem> {
    let hour = Duration::from_secs(3600);
    let limit = state.config.limits.manage_failures_per_hour;
    let key = format!("ticket:{client}");
    state
        .within(LimitKind::ManageFailures, &key, limit, hour)
        .await?;
    let found = if token_shape(token) {
        state
            .store
            .ticket_by_token(station_id, &today(), &secrets::token_hash(token))
            .await?
    } else {
        None
    };
    match found {
        Some(ticket) => Ok(ticket),
        None => {
            state.failed(&[&key], limit, hour).await;
            Err(Problem::Queue(QueueError::UnknownTicket))
        }
    }
}

/// The phone's view of its ticket: place, estimated wait, "your turn".
async fn own_ticket(
    State(state): State<Shared>,
    Path((station_id, token)): Path<(String, String)>,
    ConnectInfo(socket): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<TicketView>, Problem> {
    let plan = state.station(&station_id)?.plan.get();
    let client = state.client(socket, &headers);
    let ticket = ticket_of_token(&state, &station_id, &token, &client).await?;
    Ok(Json(
        citizen_view(&state, &station_id, &plan, &today(), &ticket).await?,
    ))
}

/// "Leave the queue" on the phone.
async fn leave(
    State(state): State<Shared>,
    Path((station_id, token)): Path<(String, String)>,
    ConnectInfo(socket): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<TicketView>, Problem> {
    let plan = state.station(&station_id)?.plan.get();
    let client = state.client(socket, &headers);
    let ticket = ticket_of_token(&state, &station_id, &token, &client).await?;
    let left = state
        .store
        .step_ticket(TicketStep {
            station: station_id.clone(),
            day: today(),
            ticket: ticket.id,
            action: Action::Leave,
            actor: "citizen".into(),
            rules: plan.queue.clone(),
            counters: Vec::new(),
            now_ms: now_ms(),
        })
        .await?;
    state.queue_hub.changed(&station_id);
    Ok(Json(
        citizen_view(&state, &station_id, &plan, &today(), &left).await?,
    ))
}

/// How the station runs its queue (schedule.json's `queue`): the terminal lists its priority
/// groups.
async fn settings(
    State(state): State<Shared>,
    Path(station_id): Path<String>,
) -> Result<Json<domain::queue::QueueRules>, Problem> {
    Ok(Json(state.station(&station_id)?.plan.get().queue.clone()))
}

/// The waiting-room screen's picture, and the stream's fallback for a browser without one.
async fn show_board(
    State(state): State<Shared>,
    Path(station_id): Path<String>,
) -> Result<Json<Board>, Problem> {
    let plan = state.station(&station_id)?.plan.get();
    let (tickets, last) = state.store.queue_day(&station_id, &today()).await?;
    Ok(Json(board(&tickets, &counter_signs(&plan.counters), last)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StreamQuery {
    /// The last event seen, for a browser that cannot send `Last-Event-ID` (a first connection
    /// after loading the board).
    after: Option<i64>,
}

/// Counts an open stream while it lives.
struct StreamSeat(Arc<AtomicUsize>);

impl Drop for StreamSeat {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The queue's events as server-sent events: `id` is the event's number, so a browser that
/// reconnects (`EventSource` does by itself) sends `Last-Event-ID` and is sent what it missed.
/// An `event: reload` says to fetch the board again (too much was missed).
async fn events(
    State(state): State<Shared>,
    Path(station_id): Path<String>,
    headers: HeaderMap,
    query: Result<Query<StreamQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    state.station(&station_id)?;
    let Query(query) = query.map_err(|_| Problem::BadQuery("after (a number)".into()))?;
    let seats = state.queue_hub.open_streams.clone();
    if seats.fetch_add(1, Ordering::AcqRel) >= state.config.limits.max_streams {
        seats.fetch_sub(1, Ordering::AcqRel);
        return Err(Problem::Busy {
            retry_after_secs: 5,
        });
    }
    let seat = StreamSeat(seats);
    let resume = (headers.get("last-event-id"))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(query.after);
    // Subscribe before reading what was missed, so nothing falls between the two.
    let feed = state.queue_hub.feed(&state, &station_id);
    let receiver = feed.sender.subscribe();
    feed.wake.notify_one();
    let (missed, reload) = match resume {
        Some(after) => {
            let missed = state
                .store
                .queue_events(&station_id, after, RESUME_LIMIT)
                .await?;
            let too_many = missed.len() >= RESUME_LIMIT as usize;
            (if too_many { Vec::new() } else { missed }, too_many)
        }
        None => (Vec::new(), false),
    };
    let sent = missed
        .last()
        .map(|e| e.id)
        .or(resume)
        .unwrap_or_else(|| feed.last.load(Ordering::Acquire));
    let opening: Vec<Event> = std::iter::once(
        Event::default()
            .retry(Duration::from_secs(2))
            .comment("queue"),
    )
    .chain(reload.then(reload_event))
    .chain(missed.iter().filter_map(event_of))
    .collect();
    let stream = futures_util::stream::unfold(
        (opening.into_iter(), receiver, sent, seat),
        |(mut opening, mut receiver, mut sent, seat)| async move {
            if let Some(event) = opening.next() {
                return Some((
                    Ok::<Event, Infallible>(event),
                    (opening, receiver, sent, seat),
                ));
            }
            loop {
                match receiver.recv().await {
                    Ok(event) if event.id <= sent => continue,
                    Ok(event) => {
                        sent = event.id;
                        if let Some(out) = event_of(&event) {
                            return Some((Ok(out), (opening, receiver, sent, seat)));
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        return Some((Ok(reload_event()), (opening, receiver, sent, seat)));
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        },
    );
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response();
    // A reverse proxy must pass each event on at once (nginx reads this header).
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

fn event_of(event: &QueueEvent) -> Option<Event> {
    Event::default()
        .id(event.id.to_string())
        .event("queue")
        .json_data(event)
        .ok()
}

fn reload_event() -> Event {
    Event::default().event("reload").data("board")
}

// ---------------------------------------------------------------------------------------------
// The counters

/// The desk's picture: every open ticket of the day, each counter's waiting ones in the order
/// they will be called.
async fn desk(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
) -> Result<Json<Desk>, Problem> {
    let station = &staff.account.station;
    let plan = state.station(station)?.plan.get();
    let (tickets, last) = state.store.queue_day(station, &today()).await?;
    let signs = counter_signs(&plan.counters);
    let now = minutes_now();
    let mut open: Vec<Ticket> = tickets
        .iter()
        .filter(|t| matches!(t.status, TicketStatus::Called | TicketStatus::Serving))
        .cloned()
        .collect();
    for sign in &signs {
        open.extend(queue_at(&tickets, &sign.id, now).into_iter().cloned());
    }
    Ok(Json(Desk {
        signs,
        tickets: open,
        rules: plan.queue.clone(),
        last_event: last,
    }))
}

/// An officer gives a number (a priority one, for the groups the law names, is the officer's
/// to choose as well as the terminal's).
async fn officer_ticket(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    JsonBody(body): JsonBody<TakeNumber>,
) -> Result<(StatusCode, Json<TicketTaken>), Problem> {
    let station = staff.account.station.clone();
    let plan = state.station(&station)?.plan.get();
    let taken = walk_in(
        &state,
        &station,
        &plan,
        &body,
        staff.account.username.clone(),
    )
    .await?;
    record(
        &state,
        &staff.account,
        "queue_ticket",
        Some(taken.ticket.label.clone()),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(taken)))
}

async fn call_next(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    JsonBody(body): JsonBody<CallNext>,
) -> Result<Json<Ticket>, Problem> {
    let station = staff.account.station.clone();
    let plan = state.station(&station)?.plan.get();
    if !plan.counters.iter().any(|c| c.id == body.counter) {
        return Err(Problem::Queue(QueueError::UnknownCounter));
    }
    let called = state
        .store
        .call_next(NextCall {
            station: station.clone(),
            day: today(),
            counter: body.counter,
            officer: staff.account.username.clone(),
            now_minutes: minutes_now(),
            now_ms: now_ms(),
        })
        .await?;
    state.queue_hub.changed(&station);
    record(
        &state,
        &staff.account,
        "queue_call",
        Some(called.label.clone()),
    )
    .await?;
    Ok(Json(called))
}

/// "Call again", "Start", "Done", "Did not come" on one ticket.
async fn step(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    Path((id, step)): Path<(i64, String)>,
) -> Result<Json<Ticket>, Problem> {
    let action = match step.as_str() {
        "again" => Action::CallAgain,
        "start" => Action::Start,
        "done" => Action::Done,
        "no-show" => Action::NoShow,
        _ => return Err(Problem::NotFound),
    };
    take_step(&state, &staff, id, action).await
}

/// "Send to counter…": the ticket waits at the other counter, in its place by the order taken.
async fn transfer(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<i64>,
    JsonBody(to): JsonBody<TransferTo>,
) -> Result<Json<Ticket>, Problem> {
    take_step(&state, &staff, id, Action::Transfer { to: to.counter }).await
}

async fn take_step(
    state: &Shared,
    staff: &Staff,
    id: i64,
    action: Action,
) -> Result<Json<Ticket>, Problem> {
    let word = match &action {
        Action::CallAgain => "queue_again",
        Action::Start => "queue_start",
        Action::Done => "queue_done",
        Action::NoShow => "queue_no_show",
        Action::Transfer { .. } => "queue_transfer",
        Action::Leave => "queue_leave",
    };
    let station = staff.account.station.clone();
    let plan = state.station(&station)?.plan.get();
    let changed = state
        .store
        .step_ticket(TicketStep {
            station: station.clone(),
            day: today(),
            ticket: id,
            action,
            actor: staff.account.username.clone(),
            rules: plan.queue.clone(),
            counters: plan.counters.iter().map(|c| c.id.clone()).collect(),
            now_ms: now_ms(),
        })
        .await?;
    state.queue_hub.changed(&station);
    record(state, &staff.account, word, Some(changed.label.clone())).await?;
    Ok(Json(changed))
}

// ---------------------------------------------------------------------------------------------
// The station's figures

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FiguresQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The figures of the days asked for (today by default, at most `MAX_RANGE_DAYS`).
async fn figures_of(
    state: &Shared,
    staff: &Staff,
    query: Result<Query<FiguresQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<domain::queue_figures::Figures, Problem> {
    use super::api::{query_date, MAX_RANGE_DAYS};
    let Query(query) = query.map_err(|e| Problem::BadQuery(e.body_text()))?;
    let today = office_now().date();
    let from = query_date(query.from.as_deref(), today, "from")?;
    let to = query_date(query.to.as_deref(), from, "to")?;
    if to < from || (to - from).num_days() >= MAX_RANGE_DAYS {
        return Err(Problem::BadQuery(format!(
            "from ≤ to, at most {MAX_RANGE_DAYS} days"
        )));
    }
    let station = &staff.account.station;
    let plan = state.station(station)?.plan.get();
    let steps = state
        .store
        .queue_history(station, &format_iso_date(from), &format_iso_date(to))
        .await?;
    Ok(domain::queue_figures::figures(&steps, &plan, |ms| {
        use chrono::Timelike;
        domain::time::office_datetime(ms).map(|at| at.hour())
    }))
}

/// `GET /staff/queue/figures?from=DATE&to=DATE`.
async fn figures(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    query: Result<Query<FiguresQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<domain::queue_figures::Figures>, Problem> {
    Ok(Json(figures_of(&state, &staff, query).await?))
}

/// The same as CSV, to open in a spreadsheet.
async fn figures_csv(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    query: Result<Query<FiguresQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    let figures = figures_of(&state, &staff, query).await?;
    let mut response = domain::queue_figures::to_csv(&figures).into_response();
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        axum::http::header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"queue-figures.csv\""),
    );
    Ok(response)
}
