//! "Ask the station" over HTTP (#29): a citizen sends a question without an account and gets a
//! reply code and a secret; the code with the secret or the phone given reads the answer on any
//! device; officers see the inbox (oldest first, with its wait in the station's working hours
//! against the station's target), take a question, answer it or set it aside. Every officer's
//! step is audited (the code only, never the text). What a citizen wrote is erased by the
//! housekeeping `QuestionSettings::keep_days` after the answer (`lib.rs`).

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};

use super::limits::Kind;
use super::problem::Problem;
use super::secrets;
use super::staff::{record, Staff};
use super::store::questions::{NewQuestionRow, QuestionStep, StoredQuestion};
use super::store::{Store, StoreError};
use super::{now_ms, AppState, JsonBody, ServedStation, Shared};
use domain::booking_code::{make_code, parse_code};
use domain::catalog::{Catalog, CATALOG_FILE};
use domain::data_file::read_data_file;
use domain::questions::{
    asker_view, check_answer, check_question, working_minutes, AnswerText, Asked, Inbox,
    InboxQuestion, NewQuestion, QuestionError, QuestionStatus, QuestionView, QUESTION_PHONE_HEADER,
    QUESTION_TOKEN_HEADER,
};
use domain::time::office_datetime;

/// The answered or set-aside questions the inbox lists after the open ones.
const INBOX_DECIDED: u32 = 30;

pub fn routes(state: Shared) -> Router {
    Router::new()
        .route("/stations/{station}/questions", post(ask))
        .route("/stations/{station}/questions/{code}", get(read))
        .with_state(state)
}

/// The officers' addresses, put behind the staff's session check by `staff::routes`.
pub fn staff_routes() -> Router<Shared> {
    Router::new()
        .route("/staff/questions", get(inbox))
        .route("/staff/questions/{code}/take", post(take))
        .route("/staff/questions/{code}/release", post(release))
        .route("/staff/questions/{code}/answer", post(answer))
        .route("/staff/questions/{code}/set-aside", post(set_aside))
}

/// The station's procedure ids, from its catalogue as served.
fn procedure_ids(station: &ServedStation) -> Vec<String> {
    let path = station
        .config
        .data_dir
        .join(CATALOG_FILE.strip_prefix("data/").unwrap_or(CATALOG_FILE));
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| read_data_file::<Catalog>(CATALOG_FILE, &text).ok())
        .map(|(catalog, _)| catalog.procedures.into_iter().map(|p| p.id).collect())
        .unwrap_or_default()
}

async fn ask(
    State(state): State<Shared>,
    Path(station_id): Path<String>,
    ConnectInfo(socket): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<NewQuestion>,
) -> Result<(StatusCode, Json<Asked>), Problem> {
    let station = state.station(&station_id)?;
    let client = state.client(socket, &headers);
    let limits = &state.config.limits;
    // Counted before anything is checked, so guessing what passes costs the same.
    state
        .count(
            Kind::Questions,
            &format!("client:{client}"),
            limits.questions_per_hour,
            Duration::from_secs(3600),
        )
        .await?;
    // The catalogue is read only for a question that names a procedure.
    let checked = check_question(&body, |id| procedure_ids(station).iter().any(|k| k == id))
        .map_err(Problem::Question)?;
    if let Some(phone) = &checked.phone {
        state
            .count(
                Kind::Questions,
                &format!("phone:{station_id}:{phone}"),
                limits.questions_per_phone_per_day,
                Duration::from_secs(24 * 3600),
            )
            .await?;
    }
    let token = secrets::random_token();
    let mut row = NewQuestionRow {
        station: station_id.clone(),
        code: make_code(secrets::random_code_numbers()),
        procedure: checked.procedure,
        text: checked.text,
        phone: checked.phone,
        token_hash: secrets::token_hash(&token),
        now_ms: now_ms(),
    };
    // A fresh code on the rare collision with an existing one.
    let mut outcome = state.store.insert_question(row.clone()).await;
    for _ in 0..3 {
        if outcome != Err(StoreError::CodeTaken) {
            break;
        }
        row.code = make_code(secrets::random_code_numbers());
        outcome = state.store.insert_question(row.clone()).await;
    }
    let stored = outcome?;
    Ok((
        StatusCode::CREATED,
        Json(Asked {
            code: stored.code,
            token,
            answer_within_hours: station.config.questions.answer_within_hours,
        }),
    ))
}

/// The question a request may read: its code, and the device's secret or the phone given.
/// Wrong codes and wrong proofs count against the code and the client, as for bookings.
async fn own_question(
    state: &AppState,
    station: &ServedStation,
    code: &str,
    client: &str,
    headers: &HeaderMap,
) -> Result<StoredQuestion, Problem> {
    let hour = Duration::from_secs(3600);
    let limit = state.config.limits.manage_failures_per_hour;
    let code = parse_code(code).map_err(|_| Problem::Question(QuestionError::UnknownCode))?;
    let code_key = format!("question:{}:{code}", station.config.id);
    let client_key = format!("client:{client}");
    let keys = [code_key.as_str(), client_key.as_str()];
    for key in keys {
        state.within(Kind::ManageFailures, key, limit, hour).await?;
    }
    let found = state
        .store
        .find_question(&station.config.id, &code)
        .await?
        .filter(|q| !q.erased);
    let Some(stored) = found else {
        state.failed(&keys, limit, hour).await;
        return Err(Problem::Question(QuestionError::UnknownCode));
    };
    if super::proves_owner(
        headers,
        QUESTION_TOKEN_HEADER,
        QUESTION_PHONE_HEADER,
        &stored.token_hash,
        stored.phone.as_deref(),
    ) {
        Ok(stored)
    } else {
        state.failed(&keys, limit, hour).await;
        Err(Problem::Question(QuestionError::NotYours))
    }
}

async fn read(
    State(state): State<Shared>,
    Path((station_id, code)): Path<(String, String)>,
    ConnectInfo(socket): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<QuestionView>, Problem> {
    let station = state.station(&station_id)?;
    let client = state.client(socket, &headers);
    let stored = own_question(&state, station, &code, &client, &headers).await?;
    let settings = station.config.questions;
    // The asker is shown no wait: none is counted.
    Ok(Json(asker_view(
        &inbox_item(&stored),
        stored.decided_role,
        settings.answer_within_hours,
        settings.keep_days,
    )))
}

/// A kept question as the inbox shows it, before its wait is counted (`with_wait`).
fn inbox_item(stored: &StoredQuestion) -> InboxQuestion {
    InboxQuestion {
        code: stored.code.clone(),
        procedure: stored.procedure.clone(),
        text: stored.text.clone(),
        phone: stored.phone.clone(),
        asked_ms: stored.asked_ms,
        status: stored.status,
        assigned_to: stored.assigned_to.clone(),
        answer: stored.answer.clone(),
        answered_by: stored.decided_by.clone(),
        decided_ms: stored.decided_ms,
        waited_minutes: 0,
        overdue: false,
    }
}

/// The item with its wait counted in the station's working minutes (until now, or until it was
/// answered or set aside), and whether that is past the station's target (`target_minutes`).
fn with_wait(
    mut item: InboxQuestion,
    plan: &domain::schedule::Plan,
    target_minutes: u32,
    now_ms: i64,
) -> InboxQuestion {
    let until = match item.status {
        QuestionStatus::Open => now_ms,
        _ => item.decided_ms.unwrap_or(now_ms),
    };
    item.waited_minutes = match (office_datetime(item.asked_ms), office_datetime(until)) {
        (Some(from), Some(to)) => working_minutes(plan, from, to),
        _ => 0,
    };
    item.overdue = item.waited_minutes > target_minutes;
    item
}

/// The station's target for an answer, in minutes.
fn target_minutes(station: &ServedStation) -> u32 {
    station
        .config
        .questions
        .answer_within_hours
        .saturating_mul(60)
}

async fn inbox(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
) -> Result<Json<Inbox>, Problem> {
    let station = state.station(&staff.account.station)?;
    let (now, plan, target) = (now_ms(), station.plan.get(), target_minutes(station));
    let questions = state
        .store
        .question_inbox(&staff.account.station, INBOX_DECIDED)
        .await?
        .iter()
        .map(|stored| with_wait(inbox_item(stored), &plan, target, now))
        .collect();
    Ok(Json(Inbox {
        questions,
        answer_within_hours: station.config.questions.answer_within_hours,
    }))
}

/// One officer's step on a question, audited under `action`.
async fn step(
    state: &Shared,
    staff: &Staff,
    code: &str,
    step: QuestionStep,
    action: &str,
) -> Result<Json<InboxQuestion>, Problem> {
    let station = state.station(&staff.account.station)?;
    let code = parse_code(code).map_err(|_| Problem::Question(QuestionError::UnknownCode))?;
    let now = now_ms();
    let stored = state
        .store
        .step_question(
            &staff.account.station,
            &code,
            &staff.account.username,
            step,
            now,
        )
        .await?;
    record(state, &staff.account, action, Some(code)).await?;
    let (plan, target) = (station.plan.get(), target_minutes(station));
    Ok(Json(with_wait(inbox_item(&stored), &plan, target, now)))
}

async fn take(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    Path(code): Path<String>,
) -> Result<Json<InboxQuestion>, Problem> {
    let me = Some(staff.account.username.clone());
    step(
        &state,
        &staff,
        &code,
        QuestionStep::Assign(me),
        "question_take",
    )
    .await
}

async fn release(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    Path(code): Path<String>,
) -> Result<Json<InboxQuestion>, Problem> {
    step(
        &state,
        &staff,
        &code,
        QuestionStep::Assign(None),
        "question_release",
    )
    .await
}

async fn answer(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<AnswerText>,
) -> Result<Json<InboxQuestion>, Problem> {
    let text = check_answer(&body.text).map_err(Problem::Question)?;
    let role = staff.account.role;
    step(
        &state,
        &staff,
        &code,
        QuestionStep::Answer { text, role },
        "question_answer",
    )
    .await
}

async fn set_aside(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    Path(code): Path<String>,
) -> Result<Json<InboxQuestion>, Problem> {
    let role = staff.account.role;
    step(
        &state,
        &staff,
        &code,
        QuestionStep::SetAside { role },
        "question_set_aside",
    )
    .await
}
