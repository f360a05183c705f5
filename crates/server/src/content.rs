//! The content desk (#28) on the server: editors draft changes to the station's news, hours,
//! channels, holidays and closures; a second account approves; publishing writes the data
//! file. Every change is checked first with `check-data`'s own rules (`domain::site_check`) on
//! the whole station as it would be; a closure or holiday says which bookings it touches.
//!
//! The database keeps every revision (`store::content`) and is the truth: a publish commits the
//! revision, then each server brings its copy of the file up to it (`sync_station`, after a
//! publish here and every two seconds), writing it atomically with the previous copy kept
//! beside it. A file changed on the server by hand is taken in as a revision of its own when
//! it passes the checks.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use serde_json::Value;

use civic_kiosk::i18n::Words;
use domain::content_check::Severity;
use domain::content_desk::{
    ContentError, ContentOverview, ContentProblem, ContentRefused, ContentSettings, Draft,
    DraftStatus, FileRevision, NewDraft, Published, RevisionInfo, Section, TouchedBooking,
    EDITABLE_FILES,
};
use domain::data_file::{read_data_file, DataFileError};
use domain::schedule::{DayStatus, Plan, SCHEDULE_FILE};
use domain::site_check::{check_site, SiteCheck};
use domain::text::Lang;

use super::problem::Problem;
use super::staff::{record, Staff};
use super::store::content::{NewDraftRow, Publish, StoredDraft};
use super::store::{Store, StoreError};
use super::{now_ms, office_now, AppState, JsonBody, ServedStation, Shared};

/// How often each server looks for revisions another server published.
pub const SYNC_EVERY: Duration = Duration::from_secs(2);

/// Largest content draft: a station's whole news file with room to spare.
pub const MAX_DRAFT_BYTES: usize = 256 * 1024;

/// Decided drafts the desk lists under the open ones.
const DECIDED_LISTED: u32 = 20;

pub fn staff_routes() -> Router<Shared> {
    Router::new()
        .route("/staff/content", get(overview))
        .route("/staff/content/drafts", post(draft))
        .route("/staff/content/drafts/{id}/approve", post(approve))
        .route("/staff/content/drafts/{id}/reject", post(reject))
        .route("/staff/content/drafts/{id}/withdraw", post(withdraw))
        .route("/staff/content/settings", put(settings))
        .route("/staff/content/revisions/{file}", get(revisions))
        .route("/staff/content/revisions/{file}/{revision}", get(revision))
        .route(
            "/staff/content/revisions/{file}/{revision}/restore",
            post(restore),
        )
        .layer(axum::extract::DefaultBodyLimit::max(MAX_DRAFT_BYTES))
}

// ---------------------------------------------------------------------------------------------
// Pure parts: a section spliced into its file, the difference, the problems in words, the days
// a change closes.

/// Why a draft's value cannot go into its file.
#[derive(Debug, PartialEq, Eq)]
pub enum SpliceError {
    /// The file on the server is not a JSON object (check-data would have said so).
    FileNotObject,
    /// The value is not an object of the section's keys; the key it has that is not one.
    NotTheSection(Option<String>),
}

/// `file_text` with the section's keys replaced by `value`'s (a key the value lacks is removed),
/// every other key left as it was and where it was; written as the data files are (two-space
/// indent, a final newline).
pub fn splice(file_text: &str, section: Section, value: &Value) -> Result<String, SpliceError> {
    let Value::Object(mut file) =
        serde_json::from_str::<Value>(file_text).map_err(|_| SpliceError::FileNotObject)?
    else {
        return Err(SpliceError::FileNotObject);
    };
    let Value::Object(parts) = value else {
        return Err(SpliceError::NotTheSection(None));
    };
    if let Some(stranger) = parts.keys().find(|k| !section.keys().contains(&k.as_str())) {
        return Err(SpliceError::NotTheSection(Some(stranger.clone())));
    }
    for key in section.keys() {
        match parts.get(*key) {
            Some(part) => {
                // An existing key keeps its place; a new one goes last.
                file.insert((*key).to_owned(), part.clone());
            }
            None => {
                file.shift_remove(*key);
            }
        }
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(file))
        .map_err(|_| SpliceError::FileNotObject)?;
    text.push('\n');
    Ok(text)
}

/// What changes from `old` to `new`, line by line with two lines of context.
pub fn difference(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(old_name, new_name)
        .to_string()
}

/// The check's problems in both languages, by field.
pub fn problems_of(check: &SiteCheck) -> Vec<ContentProblem> {
    let mut problems = Vec::new();
    for problem in &check.problems {
        match problem {
            DataFileError::Invalid { file, errors } => {
                for error in errors {
                    problems.push(ContentProblem {
                        field: format!("{}:{}", short(file), error.field),
                        message_vi: error.problem.message(Lang::Vi),
                        message_en: error.problem.message(Lang::En),
                        error: true,
                    });
                }
            }
            other => {
                use civic_kiosk::i18n::FileWords;
                let field = match other {
                    DataFileError::Shape { field, .. } => field.clone(),
                    _ => String::new(),
                };
                problems.push(ContentProblem {
                    field: format!("{}:{field}", short(other.file())),
                    message_vi: other.message_lines(Lang::Vi).join(" "),
                    message_en: other.message_lines(Lang::En).join(" "),
                    error: true,
                });
            }
        }
    }
    for finding in &check.findings {
        problems.push(ContentProblem {
            field: String::new(),
            message_vi: finding.message(Lang::Vi),
            message_en: finding.message(Lang::En),
            error: finding.severity() == Severity::Error,
        });
    }
    problems
}

/// The problems of a change: those the files have after it that they did not have before. An
/// error already there (a source repealed in another file, say) is not the editor's and does
/// not stop them; it is shown as a warning.
pub fn introduced(before: &SiteCheck, after: &SiteCheck) -> Vec<ContentProblem> {
    let already = problems_of(before);
    problems_of(after)
        .into_iter()
        .map(|mut problem| {
            if already
                .iter()
                .any(|old| old.field == problem.field && old.message_en == problem.message_en)
            {
                problem.error = false;
            }
            problem
        })
        .collect()
}

/// A data file's name in the station's folder (`news.json`), from the app's (`data/news.json`).
fn short(file: &str) -> &str {
    file.strip_prefix("data/").unwrap_or(file)
}

/// The days from `from` to `to` open in `before` whose hours `after` closes, wholly or in part:
/// where a closure or holiday may take out booked slots.
pub fn newly_closed(
    before: &Plan,
    after: &Plan,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Vec<chrono::NaiveDate> {
    from.iter_days()
        .take_while(|day| *day <= to)
        .filter(|day| match before.day_status(*day) {
            DayStatus::Open(hours) => after.day_status(*day) != DayStatus::Open(hours),
            _ => false,
        })
        .collect()
}

/// Whether a booking's slot, open under `before`, is closed under `after` (a whole day, or hours
/// of it a part-day closure takes out).
pub fn slot_closed(before: &Plan, after: &Plan, slot: &domain::schedule::SlotKey) -> bool {
    let open = |plan: &Plan| {
        matches!(plan.day_status(slot.date), DayStatus::Open(_)) && !plan.part_closed(slot)
    };
    open(before) && !open(after)
}

// ---------------------------------------------------------------------------------------------
// The files in a station's data folder.

fn text_hash(text: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).into()
}

/// Writes `text` as `dir/name` so that a reader sees the old file or the new one, never a half:
/// written beside it, flushed to disk, renamed over it; the file it replaces is kept as
/// `name.previous`.
pub fn write_atomically(dir: &Path, name: &str, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let path = dir.join(name);
    let staging = dir.join(format!(".{name}.{}.writing", std::process::id()));
    {
        let mut file = std::fs::File::create(&staging)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
    }
    if path.exists() {
        std::fs::copy(&path, dir.join(format!("{name}.previous")))?;
    }
    std::fs::rename(&staging, &path)?;
    // The rename itself reaches the disk with the folder's entry.
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// A station's file: (station id, file name).
type FileKey = (String, &'static str);

/// What this server last wrote or saw of each file the desk changed: (revision, text's hash).
#[derive(Default)]
pub struct ContentCopies {
    seen: Mutex<HashMap<FileKey, (i64, [u8; 32])>>,
}

impl ContentCopies {
    fn get(&self, station: &str, file: &'static str) -> Option<(i64, [u8; 32])> {
        self.seen
            .lock()
            .ok()?
            .get(&(station.to_owned(), file))
            .copied()
    }

    fn set(&self, station: &str, file: &'static str, revision: i64, text: &str) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert((station.to_owned(), file), (revision, text_hash(text)));
        }
    }
}

/// The station's files with one of them as it would be, checked as check-data checks them.
fn check_with(station: &ServedStation, file: &str, text: &str) -> SiteCheck {
    let dir = station.config.data_dir.clone();
    check_site(
        |name| {
            if short(name) == file {
                Some(text.to_owned())
            } else {
                std::fs::read_to_string(dir.join(short(name))).ok()
            }
        },
        office_now().date(),
    )
}

/// `file` changed from `old` to `new`, checked: its warnings, or the problems that refuse it.
fn judged(
    station: &ServedStation,
    file: &str,
    old: &str,
    new: &str,
) -> Result<Vec<ContentProblem>, Vec<ContentProblem>> {
    let problems = introduced(
        &check_with(station, file, old),
        &check_with(station, file, new),
    );
    if problems.iter().any(|p| p.error) {
        Err(problems)
    } else {
        Ok(problems)
    }
}

/// Brings this server's copies of the station's files up to their newest revisions, and takes
/// in a file changed here by hand since (when it passes the checks).
pub async fn sync_station(state: &AppState, station: &ServedStation) -> Result<(), StoreError> {
    let id = &station.config.id;
    for (file, revision) in state.store.content_heads(id).await? {
        let Some(name) = EDITABLE_FILES.iter().copied().find(|f| *f == file) else {
            continue;
        };
        let dir = &station.config.data_dir;
        let disk = std::fs::read_to_string(dir.join(name)).ok();
        let disk_hash = disk.as_deref().map(text_hash);
        let seen = state.content_copies.get(id, name);
        if seen.is_some_and(|(r, hash)| r == revision && Some(hash) == disk_hash) {
            continue;
        }
        if let (Some((seen_revision, _)), Some(text)) = (seen, &disk) {
            if seen_revision == revision {
                take_in_hand_edit(state, station, name, revision, text).await?;
                continue;
            }
        }
        let Some((_, text)) = state.store.content_revision(id, name, revision).await? else {
            continue;
        };
        if disk.as_deref() != Some(text.as_str()) {
            if let Err(error) = write_atomically(dir, name, &text) {
                eprintln!("station-server: {id}: cannot write {name}: {error}");
                continue;
            }
            // Bookings and the queue use the new plan from the next request, not in 2 s.
            if name == "schedule.json" {
                station.plan.refresh();
            }
        }
        state.content_copies.set(id, name, revision, &text);
    }
    Ok(())
}

/// A file the desk had written, changed since on this server by hand: a revision of its own if
/// it passes check-data's rules; otherwise left as it is (the server keeps the last good plan)
/// and said once in the log.
async fn take_in_hand_edit(
    state: &AppState,
    station: &ServedStation,
    name: &'static str,
    revision: i64,
    text: &str,
) -> Result<(), StoreError> {
    let id = &station.config.id;
    state.content_copies.set(id, name, revision, text);
    let previous = state
        .store
        .content_revision(id, name, revision)
        .await?
        .map(|(_, old)| old)
        .unwrap_or_default();
    if judged(station, name, &previous, text).is_err() {
        eprintln!(
            "station-server: {id}: {name} was changed by hand and does not pass check-data; \
             the desk's next change of it replaces it (the hand-made copy is kept as {name}.previous)"
        );
        return Ok(());
    }
    let publish = Publish {
        station: id.clone(),
        file: name.to_owned(),
        base_revision: revision,
        original_text: String::new(),
        text: text.to_owned(),
        change: "server_file".into(),
        drafted_by: None,
        approved_by: None,
        note: "changed on the server by hand".into(),
        draft: None,
        alone: true,
        now_ms: now_ms(),
    };
    match state.store.publish_content(publish).await {
        Ok(next) => state.content_copies.set(id, name, next, text),
        // Another server published meanwhile: its revision is brought here at the next look.
        Err(StoreError::Content(ContentError::Stale { .. })) => {}
        Err(error) => return Err(error),
    }
    Ok(())
}

/// Every station's files, now and then every `SYNC_EVERY`.
pub fn spawn_sync(state: Shared) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SYNC_EVERY);
        loop {
            every.tick().await;
            for station in state.stations.values() {
                if let Err(error) = sync_station(&state, station).await {
                    eprintln!("station-server: content: {error}");
                }
            }
        }
    });
}

// ---------------------------------------------------------------------------------------------
// The desk's routes.

fn editor(staff: &Staff) -> Result<(), Problem> {
    if staff.account.may_edit_content() {
        Ok(())
    } else {
        Err(Problem::Content(ContentError::NotEditor))
    }
}

/// A file's current revision and its text (revision 0: the file as it was before the desk).
async fn current(
    state: &AppState,
    station: &ServedStation,
    file: &'static str,
) -> Result<(i64, String), Problem> {
    sync_station(state, station).await?;
    let head = state
        .store
        .content_heads(&station.config.id)
        .await?
        .into_iter()
        .find(|(f, _)| f == file)
        .map_or(0, |(_, revision)| revision);
    let text = match std::fs::read_to_string(station.config.data_dir.join(file)) {
        Ok(text) => text,
        // A station with no published answer yet: the desk starts from the empty file.
        Err(error)
            if error.kind() == std::io::ErrorKind::NotFound && Section::Answers.file() == file =>
        {
            domain::public_answers::EMPTY_ANSWERS.to_owned()
        }
        Err(error) => return Err(Problem::Internal(format!("{file}: {error}"))),
    };
    Ok((head, text))
}

fn editable(file: &str) -> Result<&'static str, Problem> {
    EDITABLE_FILES
        .iter()
        .copied()
        .find(|f| *f == file)
        .ok_or(Problem::NotFound)
}

/// The revision an `If-Match` header names (`"3"` or `3`), if any.
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, Problem> {
    let Some(value) = headers.get(axum::http::header::IF_MATCH) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| Problem::BadQuery("If-Match: a revision number".into()))
}

/// The bookings on days `text` (a schedule) closes that the station's plan has open now.
async fn touched_by(
    state: &AppState,
    station: &ServedStation,
    text: &str,
) -> Result<Vec<TouchedBooking>, Problem> {
    let Ok((after, _)) = read_data_file::<Plan>(SCHEDULE_FILE, text) else {
        return Ok(Vec::new());
    };
    let before = station.plan.get();
    let now = office_now();
    let last = before
        .last_bookable_day(now)
        .max(after.last_bookable_day(now));
    let mut touched = Vec::new();
    for day in newly_closed(&before, &after, now.date(), last) {
        for booking in state.store.day(&station.config.id, day).await? {
            if booking.status != domain::booking::BookingStatus::Booked
                || !slot_closed(&before, &after, &booking.slot)
            {
                continue;
            }
            touched.push(TouchedBooking {
                code: booking.code,
                date: domain::time::format_iso_date(day),
                start: booking.slot.start.to_string(),
                counter: booking.slot.counter,
                procedure: booking.procedure,
                name: booking.name,
                phone: booking.phone,
            });
        }
    }
    Ok(touched)
}

/// A stored draft as the desk shows it: with the bookings it would touch while it is open.
async fn shown(
    state: &AppState,
    station: &ServedStation,
    stored: StoredDraft,
) -> Result<Draft, Problem> {
    let mut draft = stored.draft;
    if draft.status == DraftStatus::Open
        && matches!(draft.section, Section::Closures | Section::Holidays)
    {
        draft.touched_bookings = touched_by(state, station, &stored.text).await?;
    }
    Ok(draft)
}

fn refused(problems: Vec<ContentProblem>) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(ContentRefused {
            error: "invalid_content".into(),
            message_vi: "Nội dung chưa đúng; hãy sửa các mục được chỉ ra. Những gì bạn đã nhập vẫn còn."
                .into(),
            message_en: "The content is not right yet; fix the fields shown. What you typed is kept."
                .into(),
            problems,
        }),
    )
        .into_response()
}

async fn overview(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
) -> Result<Json<ContentOverview>, Problem> {
    editor(&staff)?;
    let station = state.station(&staff.account.station)?;
    sync_station(&state, station).await?;
    let heads = state.store.content_heads(&station.config.id).await?;
    let files = EDITABLE_FILES
        .iter()
        .map(|file| FileRevision {
            file: (*file).to_owned(),
            revision: heads.iter().find(|(f, _)| f == file).map_or(0, |(_, r)| *r),
        })
        .collect();
    let mut drafts = Vec::new();
    for stored in state
        .store
        .content_drafts(&station.config.id, DECIDED_LISTED)
        .await?
    {
        drafts.push(shown(&state, station, stored).await?);
    }
    let settings = state.store.content_settings(&station.config.id).await?;
    Ok(Json(ContentOverview {
        files,
        drafts,
        settings,
    }))
}

/// A new draft: the section spliced into the file at its current revision, checked whole.
async fn draft(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    JsonBody(body): JsonBody<NewDraft<Value>>,
) -> Result<Response, Problem> {
    editor(&staff)?;
    let station = state.station(&staff.account.station)?;
    let file = body.section.file();
    let (revision, text) = current(&state, station, file).await?;
    if body.base_revision != revision {
        return Err(Problem::Content(ContentError::Stale { current: revision }));
    }
    let new_text = match splice(&text, body.section, &body.value) {
        Ok(new_text) => new_text,
        Err(SpliceError::FileNotObject) => {
            return Err(Problem::Internal(format!("{file} is not a JSON object")))
        }
        Err(SpliceError::NotTheSection(key)) => {
            return Err(Problem::BadJson(match key {
                Some(key) => format!("`{key}` is not part of {}", body.section.as_str()),
                None => format!("value: an object of {}", body.section.keys().join(", ")),
            }))
        }
    };
    if let Err(problems) = judged(station, file, &text, &new_text) {
        return Ok(refused(problems));
    }
    if new_text == text {
        return Err(Problem::BadJson("the draft changes nothing".into()));
    }
    let note: String = body.note.trim().chars().take(500).collect();
    let stored = state
        .store
        .save_draft(NewDraftRow {
            station: station.config.id.clone(),
            section: body.section,
            base_revision: revision,
            difference: difference(
                &text,
                &new_text,
                &format!("{file} r{revision}"),
                &format!("{file} (draft)"),
            ),
            text: new_text,
            author: staff.account.username.clone(),
            note,
            now_ms: now_ms(),
        })
        .await?;
    record(
        &state,
        &staff.account,
        "content_draft",
        Some(format!("{} #{}", body.section.as_str(), stored.draft.id)),
    )
    .await?;
    let draft = shown(&state, station, stored).await?;
    Ok((StatusCode::CREATED, Json(draft)).into_response())
}

/// Publishes a draft: another account's approval (or its author's alone, for a closure where
/// the station allows it); `If-Match` the file's current revision.
async fn approve(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    UrlPath(id): UrlPath<i64>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    editor(&staff)?;
    let station = state.station(&staff.account.station)?;
    let stored = state
        .store
        .content_draft(&station.config.id, id)
        .await?
        .ok_or(Problem::Content(ContentError::Unknown))?;
    let draft = &stored.draft;
    if draft.status != DraftStatus::Open {
        return Err(Problem::Content(ContentError::DraftClosed(draft.status)));
    }
    let alone = draft.section == Section::Closures
        && state
            .store
            .content_settings(&station.config.id)
            .await?
            .closures_one_step;
    if !alone && draft.author == staff.account.username {
        return Err(Problem::Content(ContentError::SameAccount));
    }
    let file = editable(&draft.file)?;
    let (revision, text) = current(&state, station, file).await?;
    if if_match(&headers)?.is_some_and(|wanted| wanted != revision)
        || draft.base_revision != revision
    {
        return Err(Problem::Content(ContentError::Stale { current: revision }));
    }
    // The other files may have changed since the draft was checked: checked again, today.
    if let Err(problems) = judged(station, file, &text, &stored.text) {
        return Ok(refused(problems));
    }
    let published = publish(
        &state,
        station,
        Publish {
            station: station.config.id.clone(),
            file: file.to_owned(),
            base_revision: revision,
            original_text: text,
            text: stored.text.clone(),
            change: draft.section.as_str().to_owned(),
            drafted_by: Some(draft.author.clone()),
            approved_by: Some(staff.account.username.clone()),
            note: draft.note.clone(),
            draft: Some(id),
            alone,
            now_ms: now_ms(),
        },
    )
    .await?;
    record(
        &state,
        &staff.account,
        "content_approve",
        Some(format!("#{id} {file} r{}", published.revision)),
    )
    .await?;
    Ok(Json(published).into_response())
}

/// Commits the revision, then writes this server's copy of the file at once.
async fn publish(
    state: &AppState,
    station: &ServedStation,
    publish: Publish,
) -> Result<Published, Problem> {
    let file = publish.file.clone();
    let revision = state.store.publish_content(publish).await?;
    sync_station(state, station).await?;
    Ok(Published { file, revision })
}

async fn reject(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    UrlPath(id): UrlPath<i64>,
) -> Result<Json<Draft>, Problem> {
    close(state, staff, id, DraftStatus::Rejected).await
}

async fn withdraw(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    UrlPath(id): UrlPath<i64>,
) -> Result<Json<Draft>, Problem> {
    close(state, staff, id, DraftStatus::Withdrawn).await
}

/// Rejected by another account, or withdrawn by its author.
async fn close(
    state: Shared,
    staff: Staff,
    id: i64,
    status: DraftStatus,
) -> Result<Json<Draft>, Problem> {
    editor(&staff)?;
    let station = state.station(&staff.account.station)?;
    let stored = state
        .store
        .content_draft(&station.config.id, id)
        .await?
        .ok_or(Problem::Content(ContentError::Unknown))?;
    let own = stored.draft.author == staff.account.username;
    match status {
        DraftStatus::Withdrawn if !own => return Err(Problem::Forbidden),
        DraftStatus::Rejected if own => return Err(Problem::Content(ContentError::SameAccount)),
        _ => {}
    }
    let stored = state
        .store
        .decide_draft(
            &station.config.id,
            id,
            status,
            &staff.account.username,
            now_ms(),
        )
        .await?;
    record(
        &state,
        &staff.account,
        &format!("content_{}", status.as_str()),
        Some(format!("#{id}")),
    )
    .await?;
    Ok(Json(shown(&state, station, stored).await?))
}

/// Admins: whether a closure may be published by its author alone.
async fn settings(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    JsonBody(body): JsonBody<ContentSettings>,
) -> Result<Json<ContentSettings>, Problem> {
    if staff.account.role != domain::station_api::StaffRole::Admin {
        return Err(Problem::Forbidden);
    }
    let settings = state
        .store
        .set_content_settings(&staff.account.station, body)
        .await?;
    record(
        &state,
        &staff.account,
        "content_settings",
        Some(format!("closures_one_step={}", settings.closures_one_step)),
    )
    .await?;
    Ok(Json(settings))
}

async fn revisions(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    UrlPath(file): UrlPath<String>,
) -> Result<Json<Vec<RevisionInfo>>, Problem> {
    editor(&staff)?;
    let file = editable(&file)?;
    Ok(Json(
        state
            .store
            .content_revisions(&staff.account.station, file, 200)
            .await?,
    ))
}

/// One revision: who, when, its text and what it changed from the one before.
#[derive(serde::Serialize)]
struct RevisionView {
    info: RevisionInfo,
    text: String,
    difference: String,
}

async fn revision(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    UrlPath((file, number)): UrlPath<(String, i64)>,
) -> Result<Json<RevisionView>, Problem> {
    editor(&staff)?;
    let file = editable(&file)?;
    let station = &staff.account.station;
    let (info, text) = state
        .store
        .content_revision(station, file, number)
        .await?
        .ok_or(Problem::Content(ContentError::Unknown))?;
    let before = match number {
        0 => None,
        n => state.store.content_revision(station, file, n - 1).await?,
    };
    let difference = before.map_or_else(String::new, |(_, old)| {
        difference(
            &old,
            &text,
            &format!("{file} r{}", number - 1),
            &format!("{file} r{number}"),
        )
    });
    Ok(Json(RevisionView {
        info,
        text,
        difference,
    }))
}

/// Brings an earlier revision back as the newest, byte for byte, in one step: its text was
/// approved by two accounts once. Checked again first (a source may have been repealed since).
async fn restore(
    State(state): State<Shared>,
    Extension(staff): Extension<Staff>,
    UrlPath((file, number)): UrlPath<(String, i64)>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    editor(&staff)?;
    let file = editable(&file)?;
    let station = state.station(&staff.account.station)?;
    let (info, old) = state
        .store
        .content_revision(&station.config.id, file, number)
        .await?
        .ok_or(Problem::Content(ContentError::Unknown))?;
    let (revision, text) = current(&state, station, file).await?;
    let Some(wanted) = if_match(&headers)? else {
        return Err(Problem::BadQuery(
            "If-Match: the file's current revision".into(),
        ));
    };
    if wanted != revision {
        return Err(Problem::Content(ContentError::Stale { current: revision }));
    }
    if let Err(problems) = judged(station, file, &text, &old) {
        return Ok(refused(problems));
    }
    let published = publish(
        &state,
        station,
        Publish {
            station: station.config.id.clone(),
            file: file.to_owned(),
            base_revision: revision,
            original_text: text,
            text: old,
            change: "restore".into(),
            drafted_by: Some(staff.account.username.clone()),
            approved_by: Some(staff.account.username.clone()),
            note: format!("revision {} restored", info.revision),
            draft: None,
            alone: true,
            now_ms: now_ms(),
        },
    )
    .await?;
    record(
        &state,
        &staff.account,
        "content_restore",
        Some(format!("{file} r{number} → r{}", published.revision)),
    )
    .await?;
    Ok(Json(published).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_replaces_its_keys_and_leaves_the_rest_where_it_was() {
        let file =
            "{\n  \"schema_version\": 1,\n  \"items\": [],\n  \"editor_only\": {\"a\": 1}\n}\n";
        let value = serde_json::json!({ "items": [{ "kind": "notice" }] });
        let text = splice(file, Section::News, &value).expect("spliced");
        let keys: Vec<&str> = ["schema_version", "items", "editor_only"].to_vec();
        let positions: Vec<usize> = keys.iter().map(|k| text.find(k).expect("kept")).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert!(text.contains("\"kind\": \"notice\"") && text.ends_with("}\n"));
        // A key the value lacks is removed; one outside the section is refused.
        let hours = "{\"opening_hours\": {}, \"hours_note\": {\"vi\": \"a\"}, \"name\": 1}";
        let text = splice(
            hours,
            Section::Hours,
            &serde_json::json!({ "opening_hours": {} }),
        )
        .expect("spliced");
        assert!(!text.contains("hours_note") && text.contains("\"name\": 1"));
        assert_eq!(
            splice(hours, Section::Hours, &serde_json::json!({ "name": "x" })),
            Err(SpliceError::NotTheSection(Some("name".into())))
        );
        assert_eq!(
            splice(hours, Section::Hours, &serde_json::json!([1])),
            Err(SpliceError::NotTheSection(None))
        );
    }

    #[test]
    fn the_difference_shows_the_lines_changed_with_their_context() {
        let old = "a\nb\nc\nd\ne\nf\n";
        let new = "a\nb\nc\nD\ne\nf\n";
        let shown = difference(old, new, "r1", "r2");
        assert!(shown.contains("-d\n") && shown.contains("+D\n"), "{shown}");
        assert!(shown.contains(" c\n") && !shown.contains(" a\n"), "{shown}");
    }

    #[test]
    fn a_closure_closes_only_the_days_it_adds() {
        let plan_text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../public/data/schedule.json"
        ))
        .expect("sample plan");
        let (before, _) = read_data_file::<Plan>(SCHEDULE_FILE, &plan_text).expect("plan");
        let mut after = before.clone();
        after.closures.push(domain::schedule::Closure {
            from: "2026-12-07".into(),
            to: "2026-12-13".into(),
            reason: domain::text::Localized {
                vi: "Tập huấn".into(),
                en: "Training".into(),
            },
            hours: None,
        });
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 12, d).expect("date");
        // Mon 7 to Sat 12 were open; Sunday 13 never was.
        assert_eq!(
            newly_closed(&before, &after, day(1), day(31)),
            (7..=12).map(day).collect::<Vec<_>>()
        );
        assert!(newly_closed(&before, &before, day(1), day(31)).is_empty());

        // "Closed this afternoon" on Monday 14: that day only, and only its afternoon's slots.
        let mut afternoon = before.clone();
        afternoon.closures.push(domain::schedule::Closure {
            hours: Some("13:30-17:00".into()),
            from: "2026-12-14".into(),
            to: "2026-12-14".into(),
            ..after.closures[after.closures.len() - 1].clone()
        });
        assert_eq!(
            newly_closed(&before, &afternoon, day(1), day(31)),
            [day(14)]
        );
        let slot = |hour: u16, minute: u16| domain::schedule::SlotKey {
            counter: before.counters[0].id.clone(),
            date: day(14),
            start: domain::station::ClockTime(hour * 60 + minute),
        };
        assert!(slot_closed(&before, &afternoon, &slot(14, 0)));
        assert!(!slot_closed(&before, &afternoon, &slot(8, 0)));
        assert!(!slot_closed(&before, &after, &slot(8, 0)));
    }

    #[test]
    fn a_file_is_replaced_whole_and_the_previous_kept() {
        let dir = std::env::temp_dir().join(format!("content-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        write_atomically(&dir, "news.json", "one").expect("first");
        write_atomically(&dir, "news.json", "two").expect("second");
        assert_eq!(
            std::fs::read_to_string(dir.join("news.json")).expect("new"),
            "two"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("news.json.previous")).expect("previous"),
            "one"
        );
        let strays: Vec<_> = std::fs::read_dir(&dir)
            .expect("list")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".writing"))
            .collect();
        assert!(strays.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
