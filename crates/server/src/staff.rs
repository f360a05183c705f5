//! Staff: login and logout, the day's list, find by code, arrived and no-show, the printed list,
//! and (admins) accounts and the audit log. Everything under /api/v1/staff/ but the login
//! answers 401 without a live session; changes need the session's anti-forgery token and a
//! same-site request; every action is written to the append-only audit log.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;

use super::limits::Kind;
use super::problem::Problem;
use super::secrets;
use super::store::{Account, AuditEntry, Store};
use super::{now_ms, office_now, JsonBody, Shared};
use domain::booking::{Booking, BookingError, BookingStatus};
use domain::booking_code::parse_code;
use domain::station_api::{
    terminal_name, valid_username, DayList, LoginWait, NewStaffAccount, NewTerminal, StaffAccount,
    StaffLogin, StaffRole, StaffSession, Terminal, TerminalAdded, CSRF_HEADER, MIN_PASSWORD_CHARS,
};
use domain::time::parse_iso_date;

const COOKIE: &str = "ck_staff";
/// A session lasts one working day.
const SESSION_HOURS: i64 = 12;
/// Failed logins from one client address are counted over this window, whatever the account.
const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);
/// One address may try this many times `login_failures` over all accounts per window: a
/// station's Wi-Fi shares one address among its officers, a sweep over names does not pass.
const LOGIN_SWEEP_FACTOR: u32 = 10;

/// The logged-in account, put on the request by `require_staff`.
#[derive(Clone)]
pub(crate) struct Staff {
    pub(crate) account: Account,
    token_hash: String,
    csrf_token: String,
}

pub fn routes(state: Shared) -> Router {
    let protected = Router::new()
        .route("/staff/logout", post(logout))
        .route("/staff/session", get(session))
        .route("/staff/day", get(day))
        .route("/staff/day/printed", post(printed))
        .route("/staff/bookings/{code}", get(find))
        .route("/staff/bookings/{code}/arrived", post(arrived))
        .route("/staff/bookings/{code}/no-show", post(no_show))
        .route("/staff/accounts", get(accounts).post(add_account))
        .route("/staff/accounts/{username}/disable", post(disable))
        .route("/staff/accounts/{username}/enable", post(enable))
        .route("/staff/accounts/{username}/unlock", post(unlock))
        .route("/staff/accounts/{username}/editor", post(set_editor))
        .route("/staff/logins/waiting", get(waiting))
        .route("/staff/terminals", get(terminals).post(add_terminal))
        .route("/staff/terminals/{id}/revoke", post(revoke_terminal))
        .route("/staff/audit", get(audit))
        .merge(super::queue::staff_routes())
        .merge(super::content::staff_routes())
        .merge(super::questions::staff_routes())
        // Unknown staff addresses answer 401 too: nothing about them is told to a stranger.
        .route("/staff/{*rest}", any(|| async { Problem::NotFound }))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            require_staff,
        ));
    Router::new()
        .route("/staff/login", post(login))
        .merge(protected)
        .with_state(state)
}

/// How long an enrolment code may wait to be typed on its terminal.
const ENROLMENT_MINUTES: i64 = 30;

/// Admins: the station's reception terminals.
async fn terminals(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
) -> Result<Json<Vec<Terminal>>, Problem> {
    admin(&staff)?;
    Ok(Json(state.store.terminals(&staff.account.station).await?))
}

/// Admins: a new terminal and its one-time enrolment code, shown this once.
async fn add_terminal(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    JsonBody(body): JsonBody<NewTerminal>,
) -> Result<(StatusCode, Json<TerminalAdded>), Problem> {
    admin(&staff)?;
    let name = terminal_name(&body.name).ok_or(Problem::BadTerminalName)?;
    let code = domain::booking_code::make_code(secrets::random_code_numbers());
    let now = now_ms();
    let terminal = state
        .store
        .add_terminal(
            &staff.account.station,
            &name,
            &secrets::token_hash(&code),
            now + ENROLMENT_MINUTES * 60 * 1000,
            now,
        )
        .await?;
    record(&state, &staff.account, "add_terminal", Some(name)).await?;
    Ok((
        StatusCode::CREATED,
        Json(TerminalAdded {
            terminal,
            enrolment_code: code,
        }),
    ))
}

/// Admins: a terminal's credential (or unused code) stops working at once.
async fn revoke_terminal(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<i64>,
) -> Result<Json<Terminal>, Problem> {
    admin(&staff)?;
    let terminal = state
        .store
        .revoke_terminal(&staff.account.station, id, now_ms())
        .await
        .map_err(|e| match e {
            super::store::StoreError::UnknownCode => Problem::NotFound,
            other => other.into(),
        })?;
    record(
        &state,
        &staff.account,
        "revoke_terminal",
        Some(terminal.name.clone()),
    )
    .await?;
    Ok(Json(terminal))
}

/// A request another site made the browser send: `Sec-Fetch-Site` says so, or an `Origin`
/// that is not this host.
fn cross_site(headers: &HeaderMap) -> bool {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = value("sec-fetch-site") {
        if !matches!(site, "same-origin" | "none") {
            return true;
        }
    }
    match (value("origin"), value("host")) {
        (Some(origin), Some(host)) => {
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            !origin_host.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

async fn require_staff(State(state): State<Shared>, mut request: Request, next: Next) -> Response {
    let Some(token) = super::cookie(request.headers(), COOKIE) else {
        return Problem::Unauthorized.into_response();
    };
    let token_hash = secrets::token_hash(&token);
    let (account, csrf) = match state.store.session(&token_hash, now_ms()).await {
        Ok(Some(found)) => found,
        Ok(None) => return Problem::Unauthorized.into_response(),
        Err(error) => return Problem::from(error).into_response(),
    };
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let sent = request
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if cross_site(request.headers()) || !secrets::same(sent, &csrf) {
            return Problem::CrossSite.into_response();
        }
    }
    request.extensions_mut().insert(Staff {
        account,
        token_hash,
        csrf_token: csrf,
    });
    next.run(request).await
}

pub(crate) async fn record(
    state: &Shared,
    staff: &Account,
    action: &str,
    subject: Option<String>,
) -> Result<(), Problem> {
    state
        .store
        .audit(AuditEntry {
            station: staff.station.clone(),
            actor: staff.username.clone(),
            action: action.to_owned(),
            subject,
            at_ms: now_ms(),
        })
        .await
        .map_err(Problem::from)
}

/// Longer passwords are refused unread: argon2 hashes whatever it is given.
const MAX_PASSWORD_BYTES: usize = 1024;

/// A hash to verify against when the user name does not exist, so a wrong name takes as long
/// as a wrong password and names cannot be found by timing.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| secrets::hash_password("decoy password never used").unwrap_or_default())
}

async fn login(
    State(state): State<Shared>,
    ConnectInfo(socket): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<StaffLogin>,
) -> Result<Response, Problem> {
    if cross_site(&headers) {
        return Err(Problem::CrossSite);
    }
    state.station(&body.station)?;
    // A name no account can have is refused before anything is counted or stored.
    if !valid_username(&body.username) || body.password.len() > MAX_PASSWORD_BYTES {
        return Err(Problem::LoginFailed);
    }
    // Each check holds ~19 MiB: beyond a few at once, callers are asked to come back.
    let permit = state
        .password_checks
        .clone()
        .try_acquire_owned()
        .map_err(|_| Problem::Busy {
            retry_after_secs: 1,
        })?;
    let limit = state.config.limits.login_failures;
    let client = state.client(socket, &headers);
    let sweep_limit = limit.saturating_mul(LOGIN_SWEEP_FACTOR);
    state
        .within(Kind::LoginFailures, &client, sweep_limit, LOGIN_WINDOW)
        .await?;
    // Counted before the password is checked: attempts in parallel wait like attempts in a row.
    state
        .limits
        .login_begin(&body.station, &body.username, &client, limit)
        .await?
        .map_err(|retry_after_secs| Problem::RateLimited { retry_after_secs })?;
    let account = state.store.account(&body.station, &body.username).await?;
    let hash = account
        .as_ref()
        .map_or_else(|| decoy_hash().to_owned(), |a| a.password_hash.clone());
    let password = body.password.clone();
    let verified = tokio::task::spawn_blocking(move || {
        let verified = secrets::verify_password(&password, &hash);
        drop(permit);
        verified
    })
    .await
    .unwrap_or(false);
    let account = match account {
        Some(account) if verified && !account.disabled => account,
        _ => {
            // A full window changes nothing: the answer stays "wrong".
            let _ = state
                .limits
                .hit(Kind::LoginFailures, &client, sweep_limit, LOGIN_WINDOW)
                .await?;
            return Err(Problem::LoginFailed);
        }
    };
    state
        .limits
        .login_succeeded(&body.station, &body.username, &client)
        .await?;
    let (token, csrf_token) = (secrets::random_token(), secrets::random_token());
    let expires = now_ms() + SESSION_HOURS * 3600 * 1000;
    state
        .store
        .create_session(
            &secrets::token_hash(&token),
            account.id,
            &csrf_token,
            expires,
        )
        .await?;
    record(&state, &account, "login", None).await?;
    let secure = if state.config.behind_https {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{COOKIE}={token}; Path=/api/v1/staff; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        SESSION_HOURS * 3600
    );
    let mut response = Json(StaffSession {
        editor: account.may_edit_content(),
        station: account.station,
        username: account.username,
        role: account.role,
        csrf_token,
    })
    .into_response();
    let value = HeaderValue::from_str(&cookie).map_err(|e| Problem::Internal(e.to_string()))?;
    response.headers_mut().insert(header::SET_COOKIE, value);
    Ok(response)
}

async fn logout(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
) -> Result<Response, Problem> {
    state.store.delete_session(&staff.token_hash).await?;
    record(&state, &staff.account, "logout", None).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "ck_staff=; Path=/api/v1/staff; HttpOnly; SameSite=Strict; Max-Age=0",
        ),
    );
    Ok(response)
}

async fn session(Extension(staff): Extension<Staff>) -> Json<StaffSession> {
    // The session was read once already, by `require_staff`.
    Json(StaffSession {
        editor: staff.account.may_edit_content(),
        station: staff.account.station,
        username: staff.account.username,
        role: staff.account.role,
        csrf_token: staff.csrf_token,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DayQuery {
    date: Option<String>,
}

fn day_of(query: Result<Query<DayQuery>, QueryRejection>) -> Result<chrono::NaiveDate, Problem> {
    let Query(query) = query.map_err(|e| Problem::BadQuery(e.body_text()))?;
    match query.date {
        None => Ok(office_now().date()),
        Some(text) => {
            parse_iso_date(&text).ok_or_else(|| Problem::BadQuery("date (YYYY-MM-DD)".into()))
        }
    }
}

async fn day(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    query: Result<Query<DayQuery>, QueryRejection>,
) -> Result<Json<DayList>, Problem> {
    let date = day_of(query)?;
    let bookings = state.store.day(&staff.account.station, date).await?;
    // Every read of personal data is recorded: who and which date, never whose.
    record(
        &state,
        &staff.account,
        "view_day",
        Some(domain::time::format_iso_date(date)),
    )
    .await?;
    Ok(Json(DayList { date, bookings }))
}

/// The day's list was printed: the one export of personal data, so it is recorded.
async fn printed(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    query: Result<Query<DayQuery>, QueryRejection>,
) -> Result<StatusCode, Problem> {
    let date = day_of(query)?;
    record(
        &state,
        &staff.account,
        "print_day",
        Some(domain::time::format_iso_date(date)),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn code_of(text: &str) -> Result<String, Problem> {
    parse_code(text).map_err(|_| Problem::Booking(BookingError::UnknownCode))
}

async fn find(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    Path(code): Path<String>,
) -> Result<Json<Booking>, Problem> {
    let code = code_of(&code)?;
    let booking = state
        .store
        .find(&staff.account.station, &code)
        .await?
        .ok_or(Problem::Booking(BookingError::UnknownCode))?
        .booking;
    record(&state, &staff.account, "find", Some(code)).await?;
    Ok(Json(booking))
}

async fn change_status(
    state: &Shared,
    staff: &Staff,
    code: &str,
    to: BookingStatus,
    action: &str,
) -> Result<Json<Booking>, Problem> {
    let code = code_of(code)?;
    let from = [
        BookingStatus::Booked,
        BookingStatus::Arrived,
        BookingStatus::NoShow,
    ];
    let booking = state
        .store
        .set_status(&staff.account.station, &code, &from, to, now_ms())
        .await?;
    state.changed();
    record(state, &staff.account, action, Some(code)).await?;
    Ok(Json(booking))
}

async fn arrived(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    Path(code): Path<String>,
) -> Result<Json<Booking>, Problem> {
    change_status(
        &state,
        &staff,
        &code,
        BookingStatus::Arrived,
        "mark_arrived",
    )
    .await
}

async fn no_show(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    Path(code): Path<String>,
) -> Result<Json<Booking>, Problem> {
    change_status(&state, &staff, &code, BookingStatus::NoShow, "mark_no_show").await
}

fn admin(staff: &Staff) -> Result<(), Problem> {
    if staff.account.role == StaffRole::Admin {
        Ok(())
    } else {
        Err(Problem::Forbidden)
    }
}

async fn accounts(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
) -> Result<Json<Vec<StaffAccount>>, Problem> {
    admin(&staff)?;
    let list = state.store.accounts(&staff.account.station).await?;
    Ok(Json(list.iter().map(Account::public).collect()))
}

/// Checks a new account's name and password; the one rule for the API and the command line.
pub fn check_new_account(username: &str, password: &str) -> Result<(), Problem> {
    if !valid_username(username) {
        return Err(Problem::BadUsername);
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Problem::WeakPassword);
    }
    // A login refuses longer ones unread: such an account could never sign in.
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Problem::PasswordTooLong);
    }
    Ok(())
}

async fn add_account(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    JsonBody(body): JsonBody<NewStaffAccount>,
) -> Result<(StatusCode, Json<StaffAccount>), Problem> {
    admin(&staff)?;
    check_new_account(&body.username, &body.password)?;
    let password = body.password.clone();
    let hash = tokio::task::spawn_blocking(move || secrets::hash_password(&password))
        .await
        .map_err(|e| Problem::Internal(e.to_string()))?
        .map_err(Problem::Internal)?;
    let account = state
        .store
        .create_account(
            &staff.account.station,
            &body.username,
            &hash,
            body.role,
            now_ms(),
        )
        .await?;
    let account = if body.editor {
        state
            .store
            .set_editor(&staff.account.station, &account.username, true)
            .await?
    } else {
        account
    };
    record(
        &state,
        &staff.account,
        "add_account",
        Some(format!("{} ({})", account.username, account.role.as_str())),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(account.public())))
}

async fn set_disabled(
    state: &Shared,
    staff: &Staff,
    username: &str,
    disabled: bool,
) -> Result<Json<StaffAccount>, Problem> {
    admin(staff)?;
    let account = state
        .store
        .set_disabled(&staff.account.station, username, disabled)
        .await
        .map_err(|e| match e {
            super::store::StoreError::UnknownCode => Problem::NotFound,
            other => other.into(),
        })?;
    let action = if disabled {
        "disable_account"
    } else {
        "enable_account"
    };
    record(
        state,
        &staff.account,
        action,
        Some(account.username.clone()),
    )
    .await?;
    Ok(Json(account.public()))
}

async fn disable(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    Path(username): Path<String>,
) -> Result<Json<StaffAccount>, Problem> {
    set_disabled(&state, &staff, &username, true).await
}

async fn enable(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    Path(username): Path<String>,
) -> Result<Json<StaffAccount>, Problem> {
    set_disabled(&state, &staff, &username, false).await
}

/// `POST /staff/accounts/{username}/editor`: whether an officer may use the content desk.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditorBody {
    editor: bool,
}

/// Admins give an account the content desk, or take it back.
async fn set_editor(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    Path(username): Path<String>,
    JsonBody(body): JsonBody<EditorBody>,
) -> Result<Json<StaffAccount>, Problem> {
    admin(&staff)?;
    let account = state
        .store
        .set_editor(&staff.account.station, &username, body.editor)
        .await
        .map_err(|e| match e {
            super::store::StoreError::UnknownCode => Problem::NotFound,
            other => other.into(),
        })?;
    let action = if body.editor {
        "give_editor"
    } else {
        "take_editor"
    };
    record(&state, &staff.account, action, Some(username)).await?;
    Ok(Json(account.public()))
}

/// An admin lifts the waits on an account's logins, from every address (its owner locked out
/// by a stranger's guesses, or by their own typing).
async fn unlock(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    Path(username): Path<String>,
) -> Result<StatusCode, Problem> {
    admin(&staff)?;
    if !valid_username(&username) {
        return Err(Problem::NotFound);
    }
    state
        .limits
        .login_lift(&staff.account.station, &username)
        .await?;
    record(&state, &staff.account, "unlock_account", Some(username)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Admins: the accounts of this station whose logins are held back from some address.
async fn waiting(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
) -> Result<Json<Vec<LoginWait>>, Problem> {
    admin(&staff)?;
    Ok(Json(
        state
            .limits
            .logins_held_back(&staff.account.station, state.config.limits.login_failures)
            .await?
            .into_iter()
            .map(|(username, wait_secs)| LoginWait {
                username,
                wait_secs,
            })
            .collect(),
    ))
}

#[derive(serde::Serialize)]
struct AuditLine {
    actor: String,
    action: String,
    subject: Option<String>,
    at_ms: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditQuery {
    /// Only this officer's actions.
    actor: Option<String>,
}

async fn audit(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Json<Vec<AuditLine>>, Problem> {
    admin(&staff)?;
    let Query(query) = query.map_err(|e| Problem::BadQuery(e.body_text()))?;
    if query.actor.as_deref().is_some_and(|a| !valid_username(a)) {
        return Err(Problem::BadUsername);
    }
    let entries = state
        .store
        .audit_log(&staff.account.station, query.actor.as_deref(), 500)
        .await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AuditLine {
                actor: e.actor,
                action: e.action,
                subject: e.subject,
                at_ms: e.at_ms,
            })
            .collect(),
    ))
}
