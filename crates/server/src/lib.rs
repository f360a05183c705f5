//! The station server: serves the built app and keeps the appointment book behind a versioned
//! JSON API (crates/server/src/API.md). Native only, a crate of its own (crates/server) that
//! uses the app's crate to draw pages ahead; nothing in the app can use it. The booking rules
//! are the domain's, the same the app runs; the database guarantees capacity and one booking
//! per person (see `store`).

// The HTML renderer's async view types (pages drawn ahead) nest deeper than the default limit.
#![recursion_limit = "256"]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use axum::Router;
use serde::de::DeserializeOwned;

use domain::data_file::read_data_file;
use domain::queue::QueueRules;
use domain::schedule::SCHEDULE_FILE;

/// A station's working plan as the server uses it: the schedule, and the queue's settings
/// (schedule.json's `queue`, which only the server reads).
pub struct StationPlan {
    pub plan: domain::schedule::Plan,
    pub queue: QueueRules,
}

impl std::ops::Deref for StationPlan {
    type Target = domain::schedule::Plan;

    fn deref(&self) -> &domain::schedule::Plan {
        &self.plan
    }
}

pub mod api;
pub mod content;
pub mod limits;
pub mod problem;
pub mod questions;
pub mod queue;
pub mod secrets;
pub mod staff;
pub mod store;
pub mod web;

use civic_kiosk::i18n::FileWords;
use limits::{Limiter, Limits};
use problem::Problem;
use store::{AnyStore, Store};

/// One station this server serves: its id (in the database and the API), the folder of its
/// data files (station.json, schedule.json, …), the host names its terminals and phones use
/// (empty: the default station), and how long bookings keep their personal data.
#[derive(Clone, Debug)]
pub struct StationConfig {
    pub id: String,
    pub data_dir: PathBuf,
    pub hosts: Vec<String>,
    pub retention_days: u32,
    pub questions: QuestionSettings,
}

/// Days after a booking's date when its name and phone are erased, unless the station says.
pub const DEFAULT_RETENTION_DAYS: u32 = 30;

/// How a station keeps its promise on questions (#29).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuestionSettings {
    /// "The station answers within N working hours": shown to the asker, and the inbox's
    /// target (a question waiting longer is overdue).
    pub answer_within_hours: u32,
    /// Days after the answer (or after being set aside) when a question and its answer are
    /// erased; an unanswered one goes `UNANSWERED_KEEP_DAYS` after it was asked.
    pub keep_days: u32,
}

impl Default for QuestionSettings {
    fn default() -> Self {
        QuestionSettings {
            answer_within_hours: 16,
            keep_days: 30,
        }
    }
}

#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The built app (Trunk's dist/).
    pub dist: PathBuf,
    /// The first is the default, answered at any host no other station lists.
    pub stations: Vec<StationConfig>,
    /// Behind a TLS reverse proxy: cookies get `Secure` and responses HSTS.
    pub behind_https: bool,
    /// Take the client's address from the last `X-Forwarded-For` entry (the proxy's).
    pub trust_proxy: bool,
    pub limits: Limits,
}

/// A station's working plan, re-read when the administrator changes the file.
pub struct PlanFile {
    path: PathBuf,
    state: RwLock<(Arc<StationPlan>, Option<SystemTime>, Instant)>,
}

/// How often the plan file's modification time is looked at.
const PLAN_CHECK_EVERY: Duration = Duration::from_secs(2);

impl PlanFile {
    fn load(path: &Path) -> Result<(StationPlan, Option<SystemTime>), String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        read_data_file::<domain::schedule::Plan>(SCHEDULE_FILE, &text)
            .map(|(plan, notes)| {
                (
                    StationPlan {
                        plan,
                        queue: notes.queue,
                    },
                    modified,
                )
            })
            .map_err(|e| e.message_lines(domain::text::Lang::En).join("; "))
    }

    pub fn open(data_dir: &Path) -> Result<PlanFile, String> {
        let path = data_dir.join("schedule.json");
        let (plan, modified) = Self::load(&path)?;
        Ok(PlanFile {
            path,
            state: RwLock::new((Arc::new(plan), modified, Instant::now())),
        })
    }

    /// Reads the file again at the next `get` (the content desk has just written it).
    pub fn refresh(&self) {
        if let Ok(mut state) = self.state.write() {
            state.2 = Instant::now() - PLAN_CHECK_EVERY;
        }
    }

    /// The current plan. A changed file that does not validate is logged and the last good plan
    /// kept, so an editing mistake never stops bookings.
    pub fn get(&self) -> Arc<StationPlan> {
        let stale = self
            .state
            .read()
            .map(|s| s.2.elapsed() >= PLAN_CHECK_EVERY)
            .unwrap_or(false);
        if stale {
            if let Ok(mut state) = self.state.write() {
                state.2 = Instant::now();
                let modified = std::fs::metadata(&self.path)
                    .and_then(|m| m.modified())
                    .ok();
                if modified != state.1 {
                    match Self::load(&self.path) {
                        Ok((plan, modified)) => *state = (Arc::new(plan), modified, Instant::now()),
                        Err(error) => {
                            state.1 = modified;
                            eprintln!("station-server: {error} — keeping the previous plan");
                        }
                    }
                }
            }
        }
        self.state
            .read()
            .map(|s| s.0.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().0.clone())
    }
}

/// A station this server serves: its configuration (address, data folder, hosts) and its
/// working plan. Not the station's facts (`domain::station::Station`, its page's data).
pub struct ServedStation {
    pub config: StationConfig,
    pub plan: PlanFile,
}

pub struct AppState {
    pub store: AnyStore,
    pub stations: HashMap<String, ServedStation>,
    pub default_station: String,
    pub config: ServerConfig,
    /// The abuse limits' counts: in memory with SQLite, in the database with PostgreSQL.
    pub limits: Limiter,
    /// Password checks under way: each holds ~19 MiB for argon2, so only a few at once.
    pub password_checks: Arc<tokio::sync::Semaphore>,
    /// Bumped by every booking change this server makes (`changed`): a cached availability
    /// answer from before a change is never reused. A request that changed nothing — refused,
    /// replayed, or no route at all — leaves the cache as it is.
    pub writes: std::sync::atomic::AtomicU64,
    pub availability_cache: AnswerCache,
    /// The queue's live feeds, one per station listened to.
    pub queue_hub: queue::QueueHub,
    /// Which revision of each content file this server's data folders hold.
    pub content_copies: content::ContentCopies,
}

/// Recently computed answers, each with the write generation and time it was made.
#[derive(Default)]
pub struct AnswerCache {
    answers: std::sync::Mutex<HashMap<String, (u64, Instant, axum::body::Bytes)>>,
}

impl AnswerCache {
    pub fn get(&self, key: &str, generation: u64, fresh: Duration) -> Option<axum::body::Bytes> {
        let answers = self.answers.lock().ok()?;
        let (made_at, when, body) = answers.get(key)?;
        (*made_at == generation && when.elapsed() < fresh).then(|| body.clone())
    }

    pub fn put(&self, key: String, generation: u64, body: axum::body::Bytes) {
        if let Ok(mut answers) = self.answers.lock() {
            if answers.len() > 10_000 {
                answers.clear();
            }
            answers.insert(key, (generation, Instant::now(), body));
        }
    }
}

pub type Shared = Arc<AppState>;

impl AppState {
    /// Counts one event of `kind` for `key`: a 429 with its wait past `limit`.
    pub async fn count(
        &self,
        kind: limits::Kind,
        key: &str,
        limit: u32,
        window: Duration,
    ) -> Result<(), Problem> {
        self.limits
            .hit(kind, key, limit, window)
            .await?
            .map_err(|retry_after_secs| Problem::RateLimited { retry_after_secs })
    }

    /// Whether `key` is past `limit` already: a 429 with its wait, nothing counted.
    pub async fn within(
        &self,
        kind: limits::Kind,
        key: &str,
        limit: u32,
        window: Duration,
    ) -> Result<(), Problem> {
        self.limits
            .check(kind, key, limit, window)
            .await?
            .map_err(|retry_after_secs| Problem::RateLimited { retry_after_secs })
    }

    /// Counts a failure (a wrong code or proof) against each key; a full window changes nothing.
    pub async fn failed(&self, keys: &[&str], limit: u32, window: Duration) {
        for key in keys {
            if let Err(error) = self
                .limits
                .hit(limits::Kind::ManageFailures, key, limit, window)
                .await
            {
                eprintln!("station-server: limits: {error}");
            }
        }
    }

    /// A booking was made, moved or changed status: availability is computed afresh.
    pub fn changed(&self) {
        self.writes
            .fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    pub fn station(&self, id: &str) -> Result<&ServedStation, Problem> {
        self.stations.get(id).ok_or(Problem::UnknownStation)
    }

    /// The station a request's host belongs to.
    pub fn station_for_host(&self, headers: &HeaderMap) -> &ServedStation {
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(|h| h.rsplit_once(':').map_or(h, |(name, _)| name))
            .unwrap_or("");
        self.stations
            .values()
            .find(|s| s.config.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)))
            .or_else(|| self.stations.get(&self.default_station))
            .or_else(|| self.stations.values().next())
            .expect("a server has at least one station")
    }

    /// The client a limit counts: the socket's address, or behind a trusted proxy the last
    /// forwarded one — an IPv6 client by its /64, which one household or phone holds whole.
    pub fn client(&self, socket: SocketAddr, headers: &HeaderMap) -> String {
        let forwarded = self
            .config
            .trust_proxy
            .then(|| {
                headers
                    .get("x-forwarded-for")
                    .and_then(|h| h.to_str().ok())
                    .and_then(|h| h.rsplit(',').next())
                    .map(str::trim)
                    .filter(|h| !h.is_empty())
            })
            .flatten();
        match forwarded {
            Some(text) => match text.parse::<std::net::IpAddr>() {
                Ok(ip) => client_key(ip),
                // Not an address: counted as it is, but never longer than an address.
                Err(_) => text.chars().take(45).collect(),
            },
            None => client_key(socket.ip()),
        }
    }
}

/// Whether a request proves a citizen's own record (a booking, a question): the device's secret
/// in `token_header` matching `token_hash`, or the phone given with it in `phone_header`,
/// written any way. A record without a phone is opened by its secret only.
pub fn proves_owner(
    headers: &HeaderMap,
    token_header: &str,
    phone_header: &str,
    token_hash: &str,
    phone: Option<&str>,
) -> bool {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let by_token = header(token_header)
        .is_some_and(|token| secrets::same(&secrets::token_hash(token), token_hash));
    let by_phone = header(phone_header)
        .and_then(|given| domain::phone::parse_phone(given).ok())
        .is_some_and(|given| phone.is_some_and(|kept| !kept.is_empty() && given.digits == kept));
    by_token || by_phone
}

/// The value of the cookie `name` a request carries, if any.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A client address as limits count it: IPv4 whole, IPv6 by its /64 prefix.
pub fn client_key(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Password checks allowed at once: about two per core.
fn password_check_permits() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get() * 2)
}

fn system_ms() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// How far the server's clock is set from the system's (0 but for tests and demonstrations).
static CLOCK_OFFSET_MS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// For end-to-end tests and demonstrations only (`STATION_CLOCK_START`): the server's clock
/// reads `start_ms` now and runs on from there, so a browser with a pinned clock and the server
/// agree on "today".
pub fn start_clock_at(start_ms: i64) {
    CLOCK_OFFSET_MS.store(start_ms - system_ms(), std::sync::atomic::Ordering::Relaxed);
}

/// Milliseconds since the Unix epoch: the server's one clock read.
pub fn now_ms() -> i64 {
    system_ms() + CLOCK_OFFSET_MS.load(std::sync::atomic::Ordering::Relaxed)
}

/// The office's wall-clock time now.
pub fn office_now() -> chrono::NaiveDateTime {
    domain::time::office_datetime(now_ms()).unwrap_or_default()
}

/// A JSON body read with the station's rules: a plain 400 for malformed JSON or wrong types,
/// 413 past the size limit, 415 without a JSON content type — never a 500, nothing written.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Problem> {
        use axum::extract::rejection::JsonRejection;
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(Problem::NotJson),
            Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(Problem::TooLarge)
            }
            Err(rejection) => Err(Problem::BadJson(rejection.body_text())),
        }
    }
}

/// A station's published answers start as an empty file, so the app, the pages drawn ahead
/// and the content desk find one before the first answer is published.
fn ensure_answers_file(data_dir: &Path) {
    let name = domain::public_answers::ANSWERS_FILE.trim_start_matches("data/");
    let path = data_dir.join(name);
    if !path.exists() {
        if let Err(error) = std::fs::write(&path, domain::public_answers::EMPTY_ANSWERS) {
            eprintln!("station-server: cannot write {}: {error}", path.display());
        }
    }
}

/// Opens the database and the stations' plans: everything the server needs before it listens.
pub async fn build_state(config: ServerConfig, database: &str) -> Result<Shared, String> {
    let store = store::open(database).await.map_err(|e| e.to_string())?;
    // Servers sharing a PostgreSQL database share its limits; a SQLite server is the only one.
    let limits = match &store {
        AnyStore::Postgres(pg) => Limiter::Postgres(pg.limits()),
        AnyStore::Sqlite(_) => Limiter::Memory(Default::default()),
    };
    let mut stations = HashMap::new();
    for station in &config.stations {
        let plan = PlanFile::open(&station.data_dir)?;
        ensure_answers_file(&station.data_dir);
        stations.insert(
            station.id.clone(),
            ServedStation {
                config: station.clone(),
                plan,
            },
        );
    }
    let default_station = config
        .stations
        .first()
        .map(|s| s.id.clone())
        .ok_or("no station configured")?;
    Ok(Arc::new(AppState {
        store,
        stations,
        default_station,
        config,
        limits,
        password_checks: Arc::new(tokio::sync::Semaphore::new(password_check_permits())),
        writes: std::sync::atomic::AtomicU64::new(0),
        availability_cache: AnswerCache::default(),
        queue_hub: queue::QueueHub::default(),
        content_copies: content::ContentCopies::default(),
    }))
}

pub fn router(state: Shared) -> Router {
    // One body limit and one per-client limit over every API address, the staff's included:
    // a login is a request like any other.
    let api = api::routes(state.clone())
        .merge(queue::routes(state.clone()))
        .merge(questions::routes(state.clone()))
        .merge(staff::routes(state.clone()))
        .layer(axum::extract::DefaultBodyLimit::max(
            state.config.limits.max_body_bytes,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            api::announced_size,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            api::per_client_limit,
        ));
    Router::new()
        .nest("/api/v1", api)
        .merge(web::routes(state.clone()))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            within_time,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state,
            web::security_headers,
        ))
}

/// A request must arrive and be answered (its body read included) within the limit: a client
/// sending a byte now and then is cut off, not kept for ever.
async fn within_time(
    axum::extract::State(state): axum::extract::State<Shared>,
    request: Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match tokio::time::timeout(state.config.limits.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => Problem::Timeout.into_response(),
    }
}

/// Erases personal data past each station's retention and drops stale keys and sessions, now
/// and then every hour.
pub fn spawn_housekeeping(state: Shared) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            housekeeping(&state).await;
        }
    });
}

pub async fn housekeeping(state: &AppState) {
    let now = now_ms();
    let today = office_now().date();
    for station in state.stations.values() {
        let before = today - chrono::TimeDelta::days(i64::from(station.config.retention_days));
        match state
            .store
            .erase_personal_data(&station.config.id, before, now)
            .await
        {
            Ok(0) => {}
            Ok(n) => eprintln!(
                "station-server: {}: personal data erased from {n} bookings before {before}",
                station.config.id
            ),
            Err(error) => eprintln!("station-server: retention: {error}"),
        }
        let day_ms = 24 * 3600 * 1000;
        let settings = station.config.questions;
        match state
            .store
            .erase_questions(
                &station.config.id,
                now - i64::from(settings.keep_days) * day_ms,
                now - i64::from(domain::questions::UNANSWERED_KEEP_DAYS) * day_ms,
                now,
            )
            .await
        {
            Ok(0) => {}
            Ok(n) => eprintln!(
                "station-server: {}: {n} questions and their answers erased",
                station.config.id
            ),
            Err(error) => eprintln!("station-server: retention: {error}"),
        }
    }
    // Idempotency keys live a day: long enough for any retry.
    if let Err(error) = state.store.drop_expired(now - 24 * 3600 * 1000).await {
        eprintln!("station-server: housekeeping: {error}");
    }
    if let Err(error) = state.limits.drop_expired().await {
        eprintln!("station-server: housekeeping: {error}");
    }
}

/// Ctrl+C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// How long answers under way may finish after Ctrl+C or SIGTERM.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serves until Ctrl+C or SIGTERM. HTTP/1.1 through hyper directly (not `axum::serve`), for
/// what a server on the open internet needs and axum's does not offer: a deadline for a
/// request's headers (and for a kept-alive connection's idle time), a lifetime for each
/// connection, and a cap on connections open at once — so slow or idle clients cannot hold
/// the server's sockets and memory.
pub async fn serve(state: Shared, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;

    spawn_housekeeping(state.clone());
    content::spawn_sync(state.clone());
    let limits = state.config.limits.clone();
    let app = router(state);
    let open = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors or a connection reset before it was taken: the
                // listener stays; a short pause lets connections close.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        // Past the cap the connection is closed at once: the client sees it and may retry.
        let Ok(permit) = open.clone().try_acquire_owned() else {
            continue;
        };
        // Without TCP_NODELAY a file sent as headers then body waits out the client's delayed
        // ACK: ~40 ms per answer. Only latency is lost if the system refuses.
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(remote));
                app.clone().oneshot(request.map(axum::body::Body::new))
            },
        );
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        let lifetime = limits.connection_lifetime;
        tokio::spawn(async move {
            let _ = tokio::time::timeout(lifetime, connection).await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(SHUTDOWN_GRACE) => {}
    }
    Ok(())
}
