//! The station server. See docs/station-admin.md, and crates/server/src/API.md.
//!
//!   station-server [serve]                       serves the app and the booking API
//!   station-server add-staff --username NAME [--role officer|admin] [--station ID]
//!                                                creates a staff account; the password is read
//!                                                from standard input (never a default)
//!
//! Settings come from the environment (docs/station-admin.md lists them): BIND, DIST, DATABASE_URL,
//! STATIONS_FILE, BEHIND_HTTPS, TRUST_PROXY, the LIMIT_* limits, and for tests and
//! demonstrations only STATION_CLOCK_START.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use domain::station_api::StaffRole;
use serde::Deserialize;
use server::limits::Limits;
use server::store::{self, Store};
use server::{
    self as station, QuestionSettings, ServerConfig, StationConfig, DEFAULT_RETENTION_DAYS,
};

/// The database when DATABASE_URL is not set: one SQLite file.
const DEFAULT_DATABASE: &str = "data/station.sqlite3";

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn flag(name: &str) -> bool {
    env(name).is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

fn number<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match env(name) {
        None => Ok(default),
        Some(text) => text
            .parse()
            .map_err(|_| format!("{name} must be a whole number, not {text:?}")),
    }
}

/// One entry of STATIONS_FILE.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StationEntry {
    id: String,
    data_dir: PathBuf,
    #[serde(default)]
    hosts: Vec<String>,
    #[serde(default)]
    retention_days: Option<u32>,
    #[serde(default)]
    answer_within_hours: Option<u32>,
    #[serde(default)]
    question_keep_days: Option<u32>,
}

fn stations(dist: &std::path::Path) -> Result<Vec<StationConfig>, String> {
    let Some(file) = env("STATIONS_FILE") else {
        // One station: the sample station's data, as built into dist/data.
        return Ok(vec![StationConfig {
            id: env("STATION_ID").unwrap_or_else(|| "sample".into()),
            data_dir: dist.join("data"),
            hosts: Vec::new(),
            retention_days: number("RETENTION_DAYS", DEFAULT_RETENTION_DAYS)?,
            questions: QuestionSettings {
                answer_within_hours: number(
                    "ANSWER_WITHIN_HOURS",
                    QuestionSettings::default().answer_within_hours,
                )?,
                keep_days: number("QUESTION_KEEP_DAYS", QuestionSettings::default().keep_days)?,
            },
        }]);
    };
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
    let entries: Vec<StationEntry> =
        serde_json::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
    if entries.is_empty() {
        return Err(format!("{file}: no station listed"));
    }
    Ok(entries
        .into_iter()
        .map(|e| StationConfig {
            id: e.id,
            data_dir: e.data_dir,
            hosts: e.hosts,
            retention_days: e.retention_days.unwrap_or(DEFAULT_RETENTION_DAYS),
            questions: QuestionSettings {
                answer_within_hours: e
                    .answer_within_hours
                    .unwrap_or(QuestionSettings::default().answer_within_hours),
                keep_days: e
                    .question_keep_days
                    .unwrap_or(QuestionSettings::default().keep_days),
            },
        })
        .collect())
}

/// A duration in whole seconds from the environment; 0 is refused (a deadline of nothing).
fn seconds(name: &str, default: std::time::Duration) -> Result<std::time::Duration, String> {
    match number(name, default.as_secs())? {
        0 => Err(format!("{name} must be at least 1 second")),
        secs => Ok(std::time::Duration::from_secs(secs)),
    }
}

fn config() -> Result<ServerConfig, String> {
    let dist = PathBuf::from(env("DIST").unwrap_or_else(|| "dist".into()));
    let defaults = Limits::default();
    Ok(ServerConfig {
        stations: stations(&dist)?,
        dist,
        behind_https: flag("BEHIND_HTTPS"),
        trust_proxy: flag("TRUST_PROXY"),
        limits: Limits {
            requests_per_minute: number("LIMIT_REQUESTS_PER_MINUTE", defaults.requests_per_minute)?,
            bookings_per_hour: number("LIMIT_BOOKINGS_PER_HOUR", defaults.bookings_per_hour)?,
            bookings_per_phone_per_day: number(
                "LIMIT_BOOKINGS_PER_PHONE_PER_DAY",
                defaults.bookings_per_phone_per_day,
            )?,
            manage_failures_per_hour: number(
                "LIMIT_MANAGE_FAILURES_PER_HOUR",
                defaults.manage_failures_per_hour,
            )?,
            login_failures: number("LIMIT_LOGIN_FAILURES", defaults.login_failures)?,
            max_body_bytes: number("LIMIT_BODY_BYTES", defaults.max_body_bytes)?,
            header_timeout: seconds("LIMIT_HEADER_TIMEOUT_SECS", defaults.header_timeout)?,
            request_timeout: seconds("LIMIT_REQUEST_TIMEOUT_SECS", defaults.request_timeout)?,
            connection_lifetime: seconds(
                "LIMIT_CONNECTION_LIFETIME_SECS",
                defaults.connection_lifetime,
            )?,
            max_connections: number("LIMIT_CONNECTIONS", defaults.max_connections)?,
            tickets_per_terminal_per_hour: number(
                "LIMIT_TICKETS_PER_TERMINAL_PER_HOUR",
                defaults.tickets_per_terminal_per_hour,
            )?,
            max_streams: number("LIMIT_STREAMS", defaults.max_streams)?,
            questions_per_hour: number("LIMIT_QUESTIONS_PER_HOUR", defaults.questions_per_hour)?,
            questions_per_phone_per_day: number(
                "LIMIT_QUESTIONS_PER_PHONE_PER_DAY",
                defaults.questions_per_phone_per_day,
            )?,
        },
    })
}

fn database() -> String {
    env("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE.into())
}

/// What a log line may say of the database: a PostgreSQL address without its password.
fn shown_database(address: &str) -> String {
    match (address.find("://"), address.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &address[..scheme], &address[at + 1..])
        }
        _ => address.to_owned(),
    }
}

async fn serve() -> Result<(), String> {
    if let Some(start) = env("STATION_CLOCK_START") {
        let at = chrono::DateTime::parse_from_rfc3339(&start).map_err(|_| {
            format!("STATION_CLOCK_START must look like 2026-11-30T06:45:00+07:00, not {start:?}")
        })?;
        station::start_clock_at(at.timestamp_millis());
        // On standard error: the first line of standard output says where the server listens.
        eprintln!("station-server: the clock starts at {start} (tests and demonstrations only)");
    }
    let config = config()?;
    if !config.dist.join("index.html").exists() {
        return Err(format!(
            "{} has no index.html: build the app first (scripts/build)",
            config.dist.display()
        ));
    }
    let bind = env("BIND")
        .unwrap_or_else(|| format!("127.0.0.1:{}", env("PORT").unwrap_or_else(|| "8080".into())));
    let database = database();
    let state = station::build_state(config, &database).await?;
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let first = state.default_station.clone();
    say(&format!(
        "civic-kiosk station server: http://{address}/  (database: {} at {})",
        state.store.kind(),
        shown_database(&database)
    ));
    if state
        .store
        .accounts(&first)
        .await
        .map_err(|e| e.to_string())?
        .is_empty()
    {
        say(&format!(
            "No staff account yet for station {first:?}. Create the first (an admin) with:\n  \
             target/release/station-server add-staff --station {first} --username admin --role admin\n\
             (it asks for the password on standard input)"
        ));
    }
    station::housekeeping(&state).await;
    station::serve(state, listener)
        .await
        .map_err(|e| e.to_string())
}

/// A line on standard output; a closed output (a supervisor gone) never stops the server.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

fn argument(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

async fn add_staff(args: &[String]) -> Result<(), String> {
    let dist = PathBuf::from(env("DIST").unwrap_or_else(|| "dist".into()));
    let station = argument(args, "--station").unwrap_or_else(|| {
        stations(&dist)
            .map(|s| s[0].id.clone())
            .unwrap_or_else(|_| "sample".into())
    });
    let username = argument(args, "--username").ok_or("give --username NAME")?;
    let role = match argument(args, "--role") {
        None => StaffRole::Officer,
        Some(text) => StaffRole::parse(&text).ok_or("--role is officer or admin")?,
    };
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprintln!("Password for {username} (at least 10 characters), then Enter:");
    }
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .map_err(|e| e.to_string())?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    if let Err(problem) = server::staff::check_new_account(&username, &password) {
        return Err(format!(
            "{problem:?}: user names are 3–32 of a-z 0-9 . _ -; passwords at least 10 characters"
        ));
    }
    let hash = server::secrets::hash_password(&password)?;
    let store = store::open(&database()).await.map_err(|e| e.to_string())?;
    let account = store
        .create_account(&station, &username, &hash, role, station::now_ms())
        .await
        .map_err(|e| e.to_string())?;
    say(&format!(
        "Created {} account {:?} for station {station:?}.",
        account.role.as_str(),
        account.username
    ));
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("station-server: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match args.first().map(String::as_str) {
            None | Some("serve") => serve().await,
            Some("add-staff") => add_staff(&args[1..]).await,
            Some(other) => Err(format!("unknown command {other:?}: use serve or add-staff")),
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("station-server: {error}");
            ExitCode::FAILURE
        }
    }
}
