//! The citizen's side of the API: health, availability, booking, and seeing, moving, cancelling
//! and checking in one's own booking. Every input is checked with the domain's rules.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::limits::Kind;
use super::problem::Problem;
use super::secrets;
use super::store::{Idempotency, NewRow, Store, StoreError};
use super::{now_ms, office_now, AppState, JsonBody, ServedStation, Shared};
use domain::booking::{check_details, check_slot_offered, Booking, BookingError, BookingStatus};
use domain::booking_code::{make_code, parse_code};
use domain::schedule::{Plan, SlotKey};
use domain::station_api::{
    Availability, CheckedIn, Created, DayCount, Health, MoveTo, NewBooking, Terminal,
    TerminalEnrolment, CONSENT_VERSION, IDEMPOTENCY_HEADER, MANAGE_PHONE_HEADER,
    MANAGE_TOKEN_HEADER,
};
use domain::time::parse_iso_date;

pub fn routes(state: Shared) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/stations/{station}/availability", get(availability))
        .route("/stations/{station}/bookings", post(create))
        .route("/stations/{station}/bookings/{code}", get(show))
        .route("/stations/{station}/bookings/{code}/move", post(move_to))
        .route("/stations/{station}/bookings/{code}/cancel", post(cancel))
        .route(
            "/stations/{station}/bookings/{code}/check-in",
            post(check_in),
        )
        .route("/stations/{station}/terminal", get(terminal_status))
        .route("/stations/{station}/terminal/enrol", post(enrol_terminal))
        .fallback(|| async { Problem::NotFound })
        .with_state(state)
}

/// A body announced larger than the limit is refused before a byte of it is read (the body
/// limit alone would read up to the limit first).
pub async fn announced_size(
    State(state): State<Shared>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let announced = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // A content draft carries a whole section of a data file (the desk's own, larger limit).
    let limit = if request.uri().path().contains("/staff/content/") {
        super::content::MAX_DRAFT_BYTES.max(state.config.limits.max_body_bytes)
    } else {
        state.config.limits.max_body_bytes
    };
    if announced.is_some_and(|n| n > limit as u64) {
        return Problem::TooLarge.into_response();
    }
    next.run(request).await
}

/// Every API request, the citizens' and the staff's, counts against its client address's
/// per-minute limit (mod.rs puts it over all of /api/v1).
pub async fn per_client_limit(
    State(state): State<Shared>,
    ConnectInfo(socket): ConnectInfo<SocketAddr>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let client = state.client(socket, request.headers());
    let limit = state.config.limits.requests_per_minute;
    match state
        .count(Kind::Requests, &client, limit, Duration::from_secs(60))
        .await
    {
        Ok(()) => next.run(request).await,
        Err(problem) => problem.into_response(),
    }
}

async fn health(State(state): State<Shared>, headers: HeaderMap) -> Json<Health> {
    let station = state.station_for_host(&headers);
    Json(Health {
        status: "ok".into(),
        database: state.store.kind().into(),
        station: station.config.id.clone(),
        retention_days: station.config.retention_days,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AvailabilityQuery {
    procedure: String,
    from: Option<String>,
    to: Option<String>,
}

/// The longest range one availability request may ask for, days.
pub(crate) const MAX_RANGE_DAYS: i64 = 62;

pub(crate) fn query_date(
    text: Option<&str>,
    default: NaiveDate,
    name: &str,
) -> Result<NaiveDate, Problem> {
    match text {
        None => Ok(default),
        Some(text) => {
            parse_iso_date(text).ok_or_else(|| Problem::BadQuery(format!("{name} (YYYY-MM-DD)")))
        }
    }
}

/// Places taken per slot of a counter over the plan's booking window, from the database.
async fn taken_map(
    state: &AppState,
    station: &str,
    counter: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<std::collections::HashMap<(NaiveDate, u16), u32>, Problem> {
    Ok(state
        .store
        .taken(station, counter, from, to)
        .await?
        .into_iter()
        .map(|t| ((t.date, t.start), t.taken))
        .collect())
}

/// How long a computed availability answer is reused. Counts a second old are harmless: the
/// database, not this answer, decides whether a booking fits.
const AVAILABILITY_FRESH: std::time::Duration = std::time::Duration::from_secs(1);

async fn availability(
    State(state): State<Shared>,
    Path(station_id): Path<String>,
    query: Result<Query<AvailabilityQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    let Query(query) = query.map_err(|e| Problem::BadQuery(e.body_text()))?;
    let key = format!(
        "{station_id}\n{}\n{:?}\n{:?}",
        query.procedure, query.from, query.to
    );
    let generation = state.writes.load(std::sync::atomic::Ordering::Acquire);
    if let Some(body) = state
        .availability_cache
        .get(&key, generation, AVAILABILITY_FRESH)
    {
        return Ok(json_bytes(body));
    }
    let answer = compute_availability(&state, &station_id, query).await?;
    let body = axum::body::Bytes::from(
        serde_json::to_vec(&answer).map_err(|e| Problem::Internal(e.to_string()))?,
    );
    state.availability_cache.put(key, generation, body.clone());
    Ok(json_bytes(body))
}

fn json_bytes(body: axum::body::Bytes) -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

async fn compute_availability(
    state: &AppState,
    station_id: &str,
    query: AvailabilityQuery,
) -> Result<Availability, Problem> {
    let station = state.station(station_id)?;
    let plan = station.plan.get();
    let now = office_now();
    let counter = plan
        .counter_for(&query.procedure)
        .ok_or(Problem::Booking(BookingError::NotBookable))?;
    let from = query_date(query.from.as_deref(), now.date(), "from")?.max(now.date());
    let to = query_date(query.to.as_deref(), plan.last_bookable_day(now), "to")?
        .min(plan.last_bookable_day(now));
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(Problem::BadQuery(format!("at most {MAX_RANGE_DAYS} days")));
    }
    let taken = taken_map(state, station_id, &counter.id, from, to).await?;
    let mut days = Vec::new();
    let mut date = from;
    while date <= to {
        let (starts, counts): (Vec<_>, Vec<_>) = plan
            .slots(counter, date, now, |k| {
                taken.get(&(k.date, k.start.0)).copied().unwrap_or(0)
            })
            .into_iter()
            .filter(|slot| slot.bookable)
            .map(|slot| (slot.start, slot.taken))
            .unzip();
        if !starts.is_empty() {
            days.push(DayCount {
                date,
                starts,
                taken: counts,
            });
        }
        date += TimeDelta::days(1);
    }
    Ok(Availability {
        procedure: query.procedure,
        counter: counter.id.clone(),
        capacity: counter.capacity_per_slot,
        days,
    })
}

/// The nearest free times to a full slot, from the database's counts.
async fn nearest(
    state: &AppState,
    station: &str,
    plan: &Plan,
    procedure: &str,
    slot: &SlotKey,
    now: NaiveDateTime,
) -> Vec<SlotKey> {
    let Some(counter) = plan.counter_for(procedure) else {
        return Vec::new();
    };
    let Ok(taken) = taken_map(
        state,
        station,
        &counter.id,
        now.date(),
        plan.last_bookable_day(now),
    )
    .await
    else {
        return Vec::new();
    };
    plan.nearest_free(
        counter,
        slot,
        now,
        |k| taken.get(&(k.date, k.start.0)).copied().unwrap_or(0),
        3,
    )
}

/// A store refusal as an answer; a full slot comes with the nearest free times.
async fn refusal(
    state: &AppState,
    station: &str,
    plan: &Plan,
    procedure: &str,
    slot: &SlotKey,
    error: StoreError,
) -> Problem {
    match error {
        StoreError::Full => Problem::Booking(BookingError::SlotFull {
            nearest: nearest(state, station, plan, procedure, slot, office_now()).await,
        }),
        other => other.into(),
    }
}

fn idempotency_key(headers: &HeaderMap, body: &NewBooking) -> Result<Option<Idempotency>, Problem> {
    let Some(key) = headers.get(IDEMPOTENCY_HEADER) else {
        return Ok(None);
    };
    let key = key.to_str().map_err(|_| Problem::BadIdempotencyKey)?;
    let well_formed = (16..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !well_formed {
        return Err(Problem::BadIdempotencyKey);
    }
    let canonical = serde_json::to_vec(body).map_err(|e| Problem::Internal(e.to_string()))?;
    let request_hash = Sha256::digest(&canonical)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Some(Idempotency {
        key: key.to_owned(),
        request_hash,
    }))
}

async fn create(
    State(state): State<Shared>,
    Path(station_id): Path<String>,
    ConnectInfo(socket): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<NewBooking>,
) -> Result<Response, Problem> {
    let station = state.station(&station_id)?;
    if body.consent_version != CONSENT_VERSION {
        return Err(Problem::Booking(BookingError::ConsentOutdated));
    }
    let idempotency = idempotency_key(&headers, &body)?;
    let client = state.client(socket, &headers);
    state
        .count(
            Kind::Bookings,
            &client,
            state.config.limits.bookings_per_hour,
            Duration::from_secs(3600),
        )
        .await?;
    let (name, phone) = check_details(&body.name, &body.phone).map_err(Problem::Booking)?;
    let plan = station.plan.get();
    let now = office_now();
    let capacity =
        check_slot_offered(&plan, &body.procedure, &body.slot, now).map_err(Problem::Booking)?;
    let manage_token = secrets::random_token();
    let mut row = NewRow {
        station: station_id.clone(),
        code: make_code(secrets::random_code_numbers()),
        procedure: body.procedure.clone(),
        slot: body.slot.clone(),
        capacity,
        name,
        phone,
        manage_token_hash: secrets::token_hash(&manage_token),
        consent_version: body.consent_version.clone(),
        now_ms: now_ms(),
        today: now.date(),
        now_minutes: (now
            .time()
            .signed_duration_since(chrono::NaiveTime::MIN)
            .num_minutes()) as u16,
        daily_cap: match state.config.limits.bookings_per_phone_per_day {
            0 => u32::MAX,
            cap => cap,
        },
        idempotency,
    };
    // A fresh code on the rare collision with an existing one.
    let mut outcome = state.store.insert_booking(row.clone()).await;
    for _ in 0..3 {
        if outcome != Err(StoreError::CodeTaken) {
            break;
        }
        row.code = make_code(secrets::random_code_numbers());
        outcome = state.store.insert_booking(row.clone()).await;
    }
    match outcome {
        Ok((booking, replayed)) => {
            if !replayed {
                state.changed();
            }
            let mut response = (
                StatusCode::CREATED,
                Json(Created {
                    booking,
                    manage_token,
                }),
            )
                .into_response();
            if replayed {
                response
                    .headers_mut()
                    .insert("idempotent-replayed", HeaderValue::from_static("true"));
            }
            Ok(response)
        }
        Err(error) => Err(refusal(
            &state,
            &station_id,
            &plan,
            &body.procedure,
            &body.slot,
            error,
        )
        .await),
    }
}

/// The booking a request may manage: its code, and its device's token or the phone given.
async fn own_booking(
    state: &AppState,
    station: &ServedStation,
    code: &str,
    client: &str,
    headers: &HeaderMap,
) -> Result<Booking, Problem> {
    let hour = Duration::from_secs(3600);
    let limit = state.config.limits.manage_failures_per_hour;
    let code = parse_code(code).map_err(|_| Problem::Booking(BookingError::UnknownCode))?;
    let code_key = format!("code:{}:{code}", station.config.id);
    let client_key = format!("client:{client}");
    let keys = [code_key.as_str(), client_key.as_str()];
    for key in keys {
        state.within(Kind::ManageFailures, key, limit, hour).await?;
    }
    let Some(stored) = state.store.find(&station.config.id, &code).await? else {
        state.failed(&keys, limit, hour).await;
        return Err(Problem::Booking(BookingError::UnknownCode));
    };
    if super::proves_owner(
        headers,
        MANAGE_TOKEN_HEADER,
        MANAGE_PHONE_HEADER,
        &stored.manage_token_hash,
        Some(&stored.booking.phone),
    ) {
        Ok(stored.booking)
    } else {
        state.failed(&keys, limit, hour).await;
        Err(Problem::Booking(BookingError::NotYours))
    }
}

/// A citizen's own booking, from the path's station and code and the request's proof (the
/// device's token or the phone given). Every manage address starts with it.
struct Own {
    station_id: String,
    booking: Booking,
}

impl axum::extract::FromRequestParts<Shared> for Own {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &Shared,
    ) -> Result<Own, Problem> {
        let Path((station_id, code)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| Problem::NotFound)?;
        let socket = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0)
            .ok_or_else(|| Problem::Internal("no client address".into()))?;
        let station = state.station(&station_id)?;
        let client = state.client(socket, &parts.headers);
        let booking = own_booking(state, station, &code, &client, &parts.headers).await?;
        Ok(Own {
            station_id,
            booking,
        })
    }
}

async fn show(own: Own) -> Json<Booking> {
    Json(own.booking)
}

async fn move_to(
    State(state): State<Shared>,
    own: Own,
    JsonBody(body): JsonBody<MoveTo>,
) -> Result<Json<Booking>, Problem> {
    let Own {
        station_id,
        booking,
    } = own;
    if booking.status == BookingStatus::Cancelled {
        return Err(Problem::Booking(BookingError::Cancelled));
    }
    let plan = state.station(&station_id)?.plan.get();
    let now = office_now();
    let capacity =
        check_slot_offered(&plan, &booking.procedure, &body.slot, now).map_err(Problem::Booking)?;
    match state
        .store
        .move_booking(&station_id, &booking.code, &body.slot, capacity, now_ms())
        .await
    {
        Ok(moved) => {
            state.changed();
            Ok(Json(moved))
        }
        Err(error) => Err(refusal(
            &state,
            &station_id,
            &plan,
            &booking.procedure,
            &body.slot,
            error,
        )
        .await),
    }
}

async fn cancel(State(state): State<Shared>, own: Own) -> Result<Json<Booking>, Problem> {
    let cancelled = state
        .store
        .set_status(
            &own.station_id,
            &own.booking.code,
            &[BookingStatus::Booked],
            BookingStatus::Cancelled,
            now_ms(),
        )
        .await?;
    state.changed();
    Ok(Json(cancelled))
}

/// The terminal's credential: a cookie only this station's API addresses receive, which the
/// page cannot read (so no script, and no erasing of the kiosk's storage, touches it).
const TERMINAL_COOKIE: &str = "ck_terminal";
/// How long a terminal's credential lasts: the longest a browser keeps a cookie (400 days).
const TERMINAL_CREDENTIAL_SECS: i64 = 400 * 24 * 3600;

/// A reception terminal the station enrolled, from the request's credential; else 403.
pub(crate) struct EnrolledTerminal(pub(crate) Terminal);

impl axum::extract::FromRequestParts<Shared> for EnrolledTerminal {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &Shared,
    ) -> Result<EnrolledTerminal, Problem> {
        let Path(params) =
            Path::<std::collections::HashMap<String, String>>::from_request_parts(parts, state)
                .await
                .map_err(|_| Problem::NotFound)?;
        let station_id = params.get("station").ok_or(Problem::NotFound)?;
        state.station(station_id)?;
        let credential =
            super::cookie(&parts.headers, TERMINAL_COOKIE).ok_or(Problem::TerminalNotEnrolled)?;
        state
            .store
            .use_terminal(station_id, &secrets::token_hash(&credential), now_ms())
            .await?
            .map(EnrolledTerminal)
            .ok_or(Problem::TerminalNotEnrolled)
    }
}

/// Whether this device is one of the station's terminals (the check-in page asks at start).
async fn terminal_status(EnrolledTerminal(terminal): EnrolledTerminal) -> Json<Terminal> {
    Json(terminal)
}

/// The enrolment code an admin was shown, typed on the terminal: the terminal gets its
/// credential. Wrong codes are counted per client address, like wrong booking codes.
async fn enrol_terminal(
    State(state): State<Shared>,
    Path(station_id): Path<String>,
    ConnectInfo(socket): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<TerminalEnrolment>,
) -> Result<Response, Problem> {
    state.station(&station_id)?;
    let hour = Duration::from_secs(3600);
    let limit = state.config.limits.manage_failures_per_hour;
    let client_key = format!("enrol:{}", state.client(socket, &headers));
    state
        .within(Kind::ManageFailures, &client_key, limit, hour)
        .await?;
    let credential = secrets::random_token();
    let enrolled = match parse_code(&body.code) {
        Ok(code) => {
            state
                .store
                .enrol_terminal(
                    &station_id,
                    &secrets::token_hash(&code),
                    &secrets::token_hash(&credential),
                    now_ms(),
                )
                .await
        }
        Err(_) => Err(StoreError::UnknownCode),
    };
    let terminal = match enrolled {
        Ok(terminal) => terminal,
        Err(StoreError::UnknownCode) => {
            state.failed(&[&client_key], limit, hour).await;
            return Err(Problem::Booking(BookingError::UnknownCode));
        }
        Err(other) => return Err(other.into()),
    };
    let secure = if state.config.behind_https {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{TERMINAL_COOKIE}={credential}; Path=/api/v1/stations/{station_id}/; HttpOnly; SameSite=Strict; Max-Age={TERMINAL_CREDENTIAL_SECS}{secure}"
    );
    let mut response = Json(terminal).into_response();
    let value = HeaderValue::from_str(&cookie).map_err(|e| Problem::Internal(e.to_string()))?;
    response
        .headers_mut()
        .insert(axum::http::header::SET_COOKIE, value);
    Ok(response)
}

/// "I have an appointment" at the terminal: the slip's code marks the citizen arrived, on the
/// booking's own day only, from one of the station's enrolled terminals only. The answer has
/// no name or phone: anyone at the terminal can type a code.
async fn check_in(
    State(state): State<Shared>,
    Path((station_id, code)): Path<(String, String)>,
    EnrolledTerminal(terminal): EnrolledTerminal,
) -> Result<Json<CheckedIn>, Problem> {
    let hour = Duration::from_secs(3600);
    let limit = state.config.limits.manage_failures_per_hour;
    // Counted per terminal: the station's Wi-Fi is one address for everyone behind it.
    let client_key = format!("terminal:{station_id}:{}", terminal.id);
    state
        .within(Kind::ManageFailures, &client_key, limit, hour)
        .await?;
    let found = match parse_code(&code) {
        Ok(code) => state.store.find(&station_id, &code).await?,
        Err(_) => None,
    };
    let Some(booking) = found.map(|stored| stored.booking) else {
        state.failed(&[&client_key], limit, hour).await;
        return Err(Problem::Booking(BookingError::UnknownCode));
    };
    let code = booking.code.clone();
    if booking.slot.date != office_now().date() {
        return Err(Problem::NotToday);
    }
    // Only a booking still waiting is marked arrived: a no-show staff set stays theirs to undo.
    let arrived = match booking.status {
        BookingStatus::Arrived => booking,
        _ => {
            let arrived = state
                .store
                .set_status(
                    &station_id,
                    &code,
                    &[BookingStatus::Booked],
                    BookingStatus::Arrived,
                    now_ms(),
                )
                .await?;
            state.changed();
            arrived
        }
    };
    // The ticket: on time, an appointment called at its slot; late, a walk-in (the rule is the
    // station's, printed on the ticket). Checking in again gives the same ticket.
    let plan = state.station(&station_id)?.plan.get();
    let kind = domain::queue::kind_at_check_in(
        arrived.slot.start.0,
        crate::queue::minutes_now(),
        &plan.queue,
    );
    let ticket = match crate::queue::issue(
        &state,
        &station_id,
        &plan,
        &arrived.slot.counter,
        &arrived.procedure,
        false,
        kind,
        Some(arrived.code.clone()),
        format!("terminal:{}", terminal.id),
    )
    .await
    {
        Ok(ticket) => Some(ticket),
        Err(problem) => {
            eprintln!("station-server: check-in {code}: no ticket: {problem:?}");
            None
        }
    };
    Ok(Json(CheckedIn {
        code: arrived.code,
        procedure: arrived.procedure,
        slot: arrived.slot,
        ticket,
    }))
}
