//! The harness the station server's tests share: a scratch site, a server on a loopback port
//! over SQLite or the PostgreSQL cluster scripts/test starts, and HTTP written by hand.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{NaiveDate, TimeDelta};
use domain::schedule::SlotKey;
use domain::station::ClockTime;
use domain::station_api::{ApiError, StaffRole, StaffSession, CONSENT_VERSION};
use server::limits::Limits;
use server::store::{NewRow, Store};
use server::{self as station, ServerConfig, Shared, StationConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub static NEXT: AtomicU32 = AtomicU32::new(0);

/// A fresh folder under target/tmp for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "server-{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("dist/data")).expect("scratch folder");
    dir
}

/// A station open every day 07:00–17:00 in 30-minute slots, `capacity` places, no holidays: so
/// tomorrow 08:00 is bookable whenever the test runs.
pub fn write_site(dir: &Path, capacity: u32) {
    let plan = format!(
        r#"{{"schema_version": 1, "slot_minutes": 30, "min_notice_minutes": 120, "max_days_ahead": 30,
        "weekly": {{"mon": ["07:00-17:00"], "tue": ["07:00-17:00"], "wed": ["07:00-17:00"], "thu": ["07:00-17:00"],
                   "fri": ["07:00-17:00"], "sat": ["07:00-17:00"], "sun": ["07:00-17:00"]}},
        "counters": [{{"id": "id-card", "name": {{"vi": "Quầy căn cước", "en": "ID desk"}}, "capacity_per_slot": {capacity},
                      "procedures": ["id-card-replace", "id-card-exchange"]}},
                     {{"id": "vehicles", "name": {{"vi": "Quầy xe", "en": "Vehicles"}}, "capacity_per_slot": 1,
                      "procedures": ["motorbike-registration"]}}],
        "holidays": [],
        "queue": {{"late_after_minutes": 20,
                  "priority_groups": [{{"vi": "Người từ 75 tuổi trở lên", "en": "People aged 75 or over"}}]}}}}"#
    );
    std::fs::write(dir.join("dist/data/schedule.json"), plan).expect("plan");
    std::fs::write(
        dir.join("dist/index.html"),
        "<!DOCTYPE html><title>app</title>",
    )
    .expect("index");
    std::fs::write(dir.join("dist/sw.js"), "// service worker").expect("sw");
    std::fs::write(
        dir.join("dist/app-0123456789abcdef_bg.wasm"),
        b"\0asm-plain",
    )
    .expect("wasm");
    std::fs::write(dir.join("dist/app-0123456789abcdef_bg.wasm.br"), b"br-copy").expect("wasm.br");
    std::fs::create_dir_all(dir.join("dist-old")).expect("sibling");
    std::fs::write(dir.join("dist-old/secret.txt"), "must never be served").expect("secret");
}

#[derive(Clone, Copy, Debug)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// The databases to run on: SQLite always; PostgreSQL when scripts/test started one.
pub fn databases() -> Vec<Db> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(_) => vec![Db::Sqlite, Db::Postgres],
        Err(_) if std::env::var("REQUIRE_POSTGRES").is_ok() => {
            panic!("REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not")
        }
        Err(_) => {
            eprintln!("TEST_DATABASE_URL not set: PostgreSQL half skipped (scripts/test runs it)");
            vec![Db::Sqlite]
        }
    }
}

pub fn database_address(db: Db, dir: &Path) -> String {
    match db {
        Db::Sqlite => dir.join("data/station.sqlite3").display().to_string(),
        Db::Postgres => std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL"),
    }
}

/// Station ids are unique per test so tests sharing the PostgreSQL database never meet.
pub fn station_id(name: &str) -> String {
    format!(
        "{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    )
}

pub struct TestServer {
    pub address: SocketAddr,
    pub state: Shared,
    pub station: String,
    pub database: String,
}

pub fn no_limits() -> Limits {
    Limits {
        requests_per_minute: 0,
        bookings_per_hour: 0,
        bookings_per_phone_per_day: 0,
        manage_failures_per_hour: 0,
        login_failures: 0,
        questions_per_hour: 0,
        questions_per_phone_per_day: 0,
        ..Limits::default()
    }
}

pub async fn start(name: &str, db: Db, capacity: u32, limits: Limits) -> TestServer {
    start_tuned(name, db, capacity, |config| config.limits = limits).await
}

/// A server whose configuration the test adjusts (a trusted proxy, short timeouts, …).
pub async fn start_tuned(
    name: &str,
    db: Db,
    capacity: u32,
    tune: impl FnOnce(&mut ServerConfig),
) -> TestServer {
    let dir = scratch(name);
    write_site(&dir, capacity);
    let station = station_id(name);
    let mut config = ServerConfig {
        dist: dir.join("dist"),
        stations: vec![StationConfig {
            id: station.clone(),
            data_dir: dir.join("dist/data"),
            hosts: Vec::new(),
            retention_days: 30,
            questions: Default::default(),
        }],
        behind_https: false,
        trust_proxy: false,
        limits: Limits::default(),
    };
    tune(&mut config);
    serve_on_loopback(config, station, database_address(db, &dir)).await
}

/// A server with this configuration over this database, on a free loopback port.
async fn serve_on_loopback(config: ServerConfig, station: String, database: String) -> TestServer {
    let state = station::build_state(config, &database)
        .await
        .expect("server state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let address = listener.local_addr().expect("address");
    tokio::spawn(station::serve(state.clone(), listener));
    TestServer {
        address,
        state,
        station,
        database,
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {} {}", self.status, self.text()))
    }
    pub fn error(&self) -> String {
        self.json::<ApiError>().error
    }
}

/// One HTTP/1.1 request on its own connection, written by hand so the test sees exactly what
/// goes over the wire (a raw path such as `/..%2f…` is sent as it is).
pub async fn http(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Reply {
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    let body = body.unwrap_or_default();
    if !body.is_empty() || method == "POST" {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    stream.write_all(body).await.expect("write body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .get("transfer-encoding")
        .is_some_and(|t| t == "chunked")
    {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

pub fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 4 + size..];
    }
    out
}

pub const JSON: (&str, &str) = ("Content-Type", "application/json");

pub fn tomorrow() -> NaiveDate {
    station::office_now().date() + TimeDelta::days(1)
}

pub fn slot(date: NaiveDate, hour: u16, minute: u16) -> SlotKey {
    SlotKey {
        counter: "id-card".into(),
        date,
        start: ClockTime(hour * 60 + minute),
    }
}

/// A distinct valid Vietnamese mobile number per call.
pub fn phone() -> String {
    format!("091{:07}", NEXT.fetch_add(1, Ordering::SeqCst) % 10_000_000)
}

pub fn booking_body(slot: &SlotKey, name: &str, phone: &str) -> String {
    serde_json::json!({
        "procedure": "id-card-replace",
        "slot": slot,
        "name": name,
        "phone": phone,
        "consent_version": CONSENT_VERSION,
    })
    .to_string()
}

impl TestServer {
    pub fn path(&self, rest: &str) -> String {
        format!("/api/v1/stations/{}{rest}", self.station)
    }

    pub async fn book(&self, slot: &SlotKey, phone: &str, key: Option<&str>) -> Reply {
        let body = booking_body(slot, "Nguyễn Thị Hồng Nhung", phone);
        let mut headers = vec![JSON];
        if let Some(key) = key {
            headers.push(("Idempotency-Key", key));
        }
        http(
            self.address,
            "POST",
            &self.path("/bookings"),
            &headers,
            Some(body.as_bytes()),
        )
        .await
    }

    pub async fn active_in(&self, slot: &SlotKey) -> u32 {
        self.state
            .store
            .taken(&self.station, &slot.counter, slot.date, slot.date)
            .await
            .expect("taken")
            .into_iter()
            .filter(|t| t.start == slot.start.0)
            .map(|t| t.taken)
            .sum()
    }

    pub async fn add_staff(&self, username: &str, role: StaffRole) {
        let hash = server::secrets::hash_password("mật khẩu đủ dài 1").expect("hash");
        self.state
            .store
            .create_account(&self.station, username, &hash, role, station::now_ms())
            .await
            .expect("account");
    }

    /// Logs in; returns the cookie header value and the anti-forgery token.
    pub async fn login(&self, username: &str) -> (String, String) {
        let body = serde_json::json!({"station": self.station, "username": username, "password": "mật khẩu đủ dài 1"}).to_string();
        let reply = http(
            self.address,
            "POST",
            "/api/v1/staff/login",
            &[JSON],
            Some(body.as_bytes()),
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let cookie = reply.headers.get("set-cookie").expect("cookie").clone();
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/staff"] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
        let session: StaffSession = reply.json();
        (
            cookie.split(';').next().expect("pair").to_owned(),
            session.csrf_token,
        )
    }
}

/// A booking row as the API would store it, for tests that write to the store directly.
pub fn row(station: &str, slot: &SlotKey, code: &str, phone: &str, capacity: u32) -> NewRow {
    let now = station::office_now();
    NewRow {
        station: station.into(),
        code: code.into(),
        procedure: "id-card-replace".into(),
        slot: slot.clone(),
        capacity,
        name: "Trần Văn An".into(),
        phone: phone.into(),
        manage_token_hash: "hash".into(),
        consent_version: CONSENT_VERSION.into(),
        now_ms: station::now_ms(),
        today: now.date(),
        now_minutes: 600,
        daily_cap: 3,
        idempotency: None,
    }
}

/// Starts the built station server as its own process, limits off, with `extra` settings;
/// returns it and the address its first line names.
pub fn spawn_binary(
    dir: &Path,
    database: &str,
    station: &str,
    extra: &[(&str, &str)],
) -> (std::process::Child, SocketAddr) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_station-server"));
    command
        .env("BIND", "127.0.0.1:0")
        .env("DIST", dir.join("dist"))
        .env("DATABASE_URL", database)
        .env("STATION_ID", station)
        .env("LIMIT_REQUESTS_PER_MINUTE", "0")
        .env("LIMIT_BOOKINGS_PER_HOUR", "0")
        .env("LIMIT_BOOKINGS_PER_PHONE_PER_DAY", "0")
        .stdout(std::process::Stdio::piped());
    for (name, value) in extra {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("start the server");
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut line).expect("banner");
    // Keep reading what it prints, as a supervisor would.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let address: SocketAddr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (child, address)
}

impl TestServer {
    /// Enrols a reception terminal as an admin and the terminal would (the code typed there);
    /// returns the terminal's credential as a Cookie header value.
    pub async fn enrolled_terminal(&self) -> String {
        use server::secrets;
        let code = domain::booking_code::make_code(secrets::random_code_numbers());
        let now = station::now_ms();
        self.state
            .store
            .add_terminal(
                &self.station,
                "Quầy 1",
                &secrets::token_hash(&code),
                now + 60_000,
                now,
            )
            .await
            .expect("terminal");
        let body = serde_json::json!({ "code": code }).to_string();
        let reply = http(
            self.address,
            "POST",
            &self.path("/terminal/enrol"),
            &[JSON],
            Some(body.as_bytes()),
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply
            .headers
            .get("set-cookie")
            .and_then(|c| c.split(';').next())
            .expect("the terminal's cookie")
            .to_owned()
    }
}

impl TestServer {
    /// A second server process's worth of state over the same database and station, listening
    /// on its own port: what a province runs behind its load balancer.
    pub async fn another_instance(&self) -> TestServer {
        serve_on_loopback(
            self.state.config.clone(),
            self.station.clone(),
            self.database.clone(),
        )
        .await
    }
}

/// Sends a request announcing a body of `length` bytes, writing it while the answer is read
/// (the server may answer, and close, before the body is all sent); returns the status.
pub async fn status_of_large(
    address: SocketAddr,
    path: &str,
    body: std::sync::Arc<Vec<u8>>,
) -> u16 {
    let stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let sending = tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        // The server may close early: a refused write is the point, not a failure.
        let _ = writer.write_all(head.as_bytes()).await;
        let _ = writer.write_all(&body).await;
        // Kept open until the answer is read: dropping it would half-close the connection,
        // which an HTTP/1.1 server takes as the client gone.
        std::future::pending::<()>().await;
    });
    use tokio::io::AsyncReadExt;
    let mut raw = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match reader.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
        }
    }
    sending.abort();
    String::from_utf8_lossy(&raw)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}
