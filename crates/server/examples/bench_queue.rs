//! The one queue's figures (scripts/bench-queue runs this; a benchmark, not a test): starts the
//! release station server on loopback over the database given, enrols a terminal and signs an
//! officer in over the API, then measures
//!   - tickets: 50 concurrent terminal clients taking numbers on one counter for 5 seconds;
//!   - calls: 500 screens and phones listening to the live stream while an officer calls 40
//!     times, each call's delay from sending "Call next" to each listener reading it;
//!
//! and ends with the lines `tickets_per_s N`, `listeners N`, `call_p50_ms N`, `call_p99_ms N`.
//!
//!   cargo run --release -p civic-server --example bench_queue -- SERVER_BINARY DATABASE LABEL

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const TAKERS: usize = 50;
const SECONDS: u64 = 5;
const LISTENERS: usize = 500;
const CALLS: usize = 40;
const PASSWORD: &str = "mật khẩu đo đạc 1";

/// One HTTP/1.1 request on its own connection; the status, the headers and the body.
async fn request(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<(u16, String, String)> {
    let mut stream = TcpStream::connect(address).await?;
    stream.set_nodelay(true)?;
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!(
        "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ));
    stream.write_all(text.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    // Bodies here are small and sent whole; a chunked one is taken apart by its sizes.
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Ok((status, head.to_owned(), body))
}

fn dechunk(mut data: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = data.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        data = rest[size..].trim_start_matches("\r\n");
    }
    out
}

fn percentile(latencies: &mut [Duration], p: f64) -> f64 {
    if latencies.is_empty() {
        return 0.0;
    }
    latencies.sort();
    let index = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
    latencies[index].as_secs_f64() * 1000.0
}

fn write_site(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("dist/data"))?;
    std::fs::write(
        dir.join("dist/index.html"),
        "<!DOCTYPE html><title>bench</title>",
    )?;
    let day = r#"["00:00-23:59"]"#;
    std::fs::write(
        dir.join("dist/data/schedule.json"),
        format!(
            r#"{{"schema_version": 1, "slot_minutes": 30, "min_notice_minutes": 120, "max_days_ahead": 30,
            "weekly": {{"mon": {day}, "tue": {day}, "wed": {day}, "thu": {day}, "fri": {day}, "sat": {day}, "sun": {day}}},
            "counters": [{{"id": "id-card", "name": {{"vi": "Quầy căn cước", "en": "ID desk"}}, "capacity_per_slot": 2,
                          "procedures": ["id-card-replace"]}}],
            "holidays": []}}"#
        ),
    )
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [binary, database, label] = args.as_slice() else {
        return Err("usage: bench_queue SERVER_BINARY DATABASE LABEL".into());
    };
    let dir =
        std::env::temp_dir().join(format!("civic-kiosk-queue-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_site(&dir)?;
    let station = format!("queue-{}", std::process::id());
    let database = if database == "sqlite" {
        dir.join("book.sqlite3").display().to_string()
    } else {
        database.clone()
    };
    let settings = |command: &mut std::process::Command| {
        command
            .env("BIND", "127.0.0.1:0")
            .env("DIST", dir.join("dist"))
            .env("DATABASE_URL", &database)
            .env("STATION_ID", &station)
            // Every defence on, set past what one load generator's address sends.
            .env("LIMIT_REQUESTS_PER_MINUTE", "1000000000")
            .env("LIMIT_TICKETS_PER_TERMINAL_PER_HOUR", "0")
            .env("LIMIT_STREAMS", "2000")
            .env("LIMIT_CONNECTIONS", "4000");
    };
    for (username, role) in [("admin", "admin"), ("officer", "officer")] {
        let mut command = std::process::Command::new(binary);
        settings(&mut command);
        let mut child = command
            .args([
                "add-staff",
                "--station",
                &station,
                "--username",
                username,
                "--role",
                role,
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()?;
        if let Some(mut stdin) = child.stdin.take() {
            std::io::Write::write_all(&mut stdin, format!("{PASSWORD}\n").as_bytes())?;
        }
        if !child.wait()?.success() {
            return Err(format!("add-staff {username} failed").into());
        }
    }
    let mut command = std::process::Command::new(binary);
    settings(&mut command);
    let mut server = command
        .arg("serve")
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    let mut stdout = std::io::BufReader::new(server.stdout.take().ok_or("no stdout")?);
    let mut banner = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut banner)?;
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let address: SocketAddr = banner
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| format!("no address in {banner:?}"))?;
    let result = run(address, &station, label).await;
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Signs in; the cookie and the anti-forgery token.
async fn sign_in(
    address: SocketAddr,
    station: &str,
    username: &str,
) -> Result<(String, String), Box<dyn std::error::Error>> {
    let body = serde_json::json!({"station": station, "username": username, "password": PASSWORD});
    let (status, head, body) = request(
        address,
        "POST",
        "/api/v1/staff/login",
        &[],
        &body.to_string(),
    )
    .await?;
    if status != 200 {
        return Err(format!("login {username}: {status} {body}").into());
    }
    let cookie = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .ok_or("no session cookie")?
        .to_owned();
    let csrf = serde_json::from_str::<serde_json::Value>(&body)?["csrf_token"]
        .as_str()
        .ok_or("no csrf token")?
        .to_owned();
    Ok((cookie, csrf))
}

async fn run(
    address: SocketAddr,
    station: &str,
    label: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    // A terminal, enrolled as an admin and the terminal would.
    let (admin, admin_csrf) = sign_in(address, station, "admin").await?;
    let staff = [
        ("Cookie", admin.as_str()),
        ("X-CSRF-Token", admin_csrf.as_str()),
    ];
    let (_, _, added) = request(
        address,
        "POST",
        "/api/v1/staff/terminals",
        &staff,
        r#"{"name": "Máy đo"}"#,
    )
    .await?;
    let code = serde_json::from_str::<serde_json::Value>(&added)?["enrolment_code"]
        .as_str()
        .ok_or("no enrolment code")?
        .to_owned();
    let enrol = format!("/api/v1/stations/{station}/terminal/enrol");
    let (_, head, _) = request(
        address,
        "POST",
        &enrol,
        &[],
        &serde_json::json!({"code": code}).to_string(),
    )
    .await?;
    let terminal = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .ok_or("no terminal cookie")?
        .to_owned();

    // Tickets per second: terminals taking numbers on one counter.
    let take = format!("/api/v1/stations/{station}/queue/tickets");
    let taken = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let started = Instant::now();
    let tasks: Vec<_> = (0..TAKERS)
        .map(|_| {
            let (taken, take, terminal) = (taken.clone(), take.clone(), terminal.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    match request(
                        address,
                        "POST",
                        &take,
                        &[("Cookie", &terminal)],
                        r#"{"procedure": "id-card-replace"}"#,
                    )
                    .await
                    {
                        Ok((201, _, _)) => {
                            taken.fetch_add(1, Ordering::Relaxed);
                        }
                        _ => break,
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await?;
    }
    let tickets_per_s = taken.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    println!(
        "{label} tickets {} in {SECONDS} s by {TAKERS} clients",
        taken.load(Ordering::Relaxed)
    );

    // Listeners: each reads the stream and notes when it read each call (by label).
    let heard: Arc<Mutex<Vec<(String, Instant)>>> = Arc::new(Mutex::new(Vec::new()));
    let events = format!("/api/v1/stations/{station}/queue/events");
    let mut connected = Vec::new();
    for _ in 0..LISTENERS {
        let mut stream = TcpStream::connect(address).await?;
        stream.set_nodelay(true)?;
        stream
            .write_all(
                format!(
                    "GET {events} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n"
                )
                .as_bytes(),
            )
            .await?;
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).await?;
        if !status.contains(" 200 ") {
            return Err(format!("a listener was refused: {status}").into());
        }
        let heard = heard.clone();
        connected.push(tokio::spawn(async move {
            let mut line = String::new();
            let mut own = Vec::new();
            while own.len() < CALLS {
                line.clear();
                match reader.read_line(&mut line).await {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
                if let Some(data) = line.trim_end().strip_prefix("data: ") {
                    if data.contains(r#""event":"called""#) {
                        if let Ok(event) = serde_json::from_str::<serde_json::Value>(data) {
                            if let Some(label) = event["label"].as_str() {
                                own.push((label.to_owned(), Instant::now()));
                            }
                        }
                    }
                }
            }
            heard.lock().map(|mut all| all.extend(own)).ok();
        }));
    }

    // Calls: "Call next", then "Done", forty times; each call's send time by the label called.
    let (officer, officer_csrf) = sign_in(address, station, "officer").await?;
    let staff = [
        ("Cookie", officer.as_str()),
        ("X-CSRF-Token", officer_csrf.as_str()),
    ];
    let mut sent: HashMap<String, Instant> = HashMap::new();
    for _ in 0..CALLS {
        let at = Instant::now();
        let (status, _, body) = request(
            address,
            "POST",
            "/api/v1/staff/queue/call-next",
            &staff,
            r#"{"counter": "id-card"}"#,
        )
        .await?;
        if status != 200 {
            return Err(format!("call next: {status} {body}").into());
        }
        let ticket: serde_json::Value = serde_json::from_str(&body)?;
        let label = ticket["label"].as_str().ok_or("no label")?.to_owned();
        sent.insert(label, at);
        let done = format!("/api/v1/staff/queue/tickets/{}/done", ticket["id"]);
        request(address, "POST", &done, &staff, "").await?;
    }
    for listener in connected {
        // A listener that never hears all calls is cut off after a while: its calls are missed.
        let _ = tokio::time::timeout(Duration::from_secs(30), listener).await;
    }
    let heard = heard.lock().map(|h| h.clone()).unwrap_or_default();
    let mut delays: Vec<Duration> = heard
        .iter()
        .filter_map(|(label, at)| {
            sent.get(label)
                .map(|sent| at.saturating_duration_since(*sent))
        })
        .collect();
    let missed = LISTENERS * CALLS - delays.len();
    println!("{label} calls {CALLS} to {LISTENERS} listeners, deliveries missed {missed}");
    println!("tickets_per_s {tickets_per_s:.0}");
    println!("listeners {LISTENERS}");
    println!("call_p50_ms {:.1}", percentile(&mut delays, 0.50));
    println!("call_p99_ms {:.1}", percentile(&mut delays, 0.99));
    Ok(())
}
