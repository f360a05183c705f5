//! Booking service figures (scripts/bench-booking runs this; a benchmark, not a test): starts the
//! release station server on loopback over the database given, then measures
//!   - availability reads: 64 clients on keep-alive connections, for a few seconds;
//!   - bookings: 200 concurrent clients booking random slots with distinct phones (many slots
//!     fill up, so "full, here are the nearest" answers are part of the load);
//!   - double bookings: places taken beyond a slot's capacity afterwards (must be 0),
//! and prints one line per figure.
//!
//!   cargo run --release --features server --example bench_booking -- SERVER_BINARY DATABASE LABEL

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use civic_kiosk::domain::station_api::{Availability, CONSENT_VERSION};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const READ_CLIENTS: usize = 64;
const BOOK_CLIENTS: usize = 200;
const SECONDS: u64 = 5;
const CAPACITY: u32 = 10;

/// A keep-alive HTTP/1.1 connection: one request at a time, answers read by Content-Length.
struct Connection {
    stream: BufReader<TcpStream>,
}

impl Connection {
    async fn open(address: SocketAddr) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(address).await?;
        stream.set_nodelay(true)?;
        Ok(Connection { stream: BufReader::new(stream) })
    }

    async fn send(&mut self, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: bench\r\n");
        if !body.is_empty() {
            request.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
        }
        request.push_str("\r\n");
        request.push_str(body);
        self.stream.get_mut().write_all(request.as_bytes()).await?;
        let mut status_line = String::new();
        self.stream.read_line(&mut status_line).await?;
        let status = status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut length = 0;
        loop {
            let mut line = String::new();
            if self.stream.read_line(&mut line).await? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).await?;
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
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
    std::fs::write(dir.join("dist/index.html"), "<!DOCTYPE html><title>bench</title>")?;
    let day = r#"["07:00-17:00"]"#;
    std::fs::write(
        dir.join("dist/data/schedule.json"),
        format!(
            r#"{{"schema_version": 1, "slot_minutes": 30, "min_notice_minutes": 120, "max_days_ahead": 30,
            "weekly": {{"mon": {day}, "tue": {day}, "wed": {day}, "thu": {day}, "fri": {day}, "sat": {day}, "sun": {day}}},
            "counters": [{{"id": "id-card", "name": {{"vi": "Quầy căn cước", "en": "ID desk"}}, "capacity_per_slot": {CAPACITY},
                          "procedures": ["id-card-replace"]}}],
            "holidays": []}}"#
        ),
    )
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [binary, database, label] = args.as_slice() else {
        return Err("usage: bench_booking SERVER_BINARY DATABASE LABEL".into());
    };
    let dir = std::env::temp_dir().join(format!("civic-kiosk-bench-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_site(&dir)?;
    let station = format!("bench-{}", std::process::id());
    let database = if database == "sqlite" { dir.join("book.sqlite3").display().to_string() } else { database.clone() };
    let mut server = std::process::Command::new(binary)
        .env("BIND", "127.0.0.1:0")
        .env("DIST", dir.join("dist"))
        .env("DATABASE_URL", &database)
        .env("STATION_ID", &station)
        .env("LIMIT_REQUESTS_PER_MINUTE", "0")
        .env("LIMIT_BOOKINGS_PER_HOUR", "0")
        .env("LIMIT_BOOKINGS_PER_PHONE_PER_DAY", "0")
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

async fn run(address: SocketAddr, station: &str, label: &str) -> Result<(), Box<dyn std::error::Error>> {
    let availability = format!("/api/v1/stations/{station}/availability?procedure=id-card-replace");

    // Reads.
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for _ in 0..READ_CLIENTS {
        let (latencies, path) = (latencies.clone(), availability.clone());
        tasks.push(tokio::spawn(async move {
            let mut own = Vec::new();
            if let Ok(mut connection) = Connection::open(address).await {
                while Instant::now() < deadline {
                    let started = Instant::now();
                    match connection.send("GET", &path, "").await {
                        Ok((200, _)) => own.push(started.elapsed()),
                        _ => break,
                    }
                }
            }
            latencies.lock().map(|mut all| all.extend(own)).ok();
        }));
    }
    let started = Instant::now();
    for task in tasks {
        task.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut reads = latencies.lock().map(|l| l.clone()).unwrap_or_default();
    println!("{label} reads_per_s {:.0}", reads.len() as f64 / elapsed);
    println!("{label} reads_p99_ms {:.1}", percentile(&mut reads, 0.99));

    // Bookings: random slots over the booking window, each client its own phones.
    let slots: Availability = {
        let mut connection = Connection::open(address).await?;
        serde_json::from_str(&connection.send("GET", &availability, "").await?.1)?
    };
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let (created, full) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let slots = Arc::new(slots);
    let mut tasks = Vec::new();
    for client in 0..BOOK_CLIENTS {
        let (latencies, slots, created, full) = (latencies.clone(), slots.clone(), created.clone(), full.clone());
        let path = format!("/api/v1/stations/{station}/bookings");
        tasks.push(tokio::spawn(async move {
            let mut own = Vec::new();
            let Ok(mut connection) = Connection::open(address).await else { return };
            let mut n: u64 = 0;
            while Instant::now() < deadline {
                n += 1;
                // A cheap spread of slots: more than the places, so some fill up.
                let pick = &slots.slots[((client as u64 * 7919 + n * 104_729) % slots.slots.len() as u64) as usize];
                let body = serde_json::json!({
                    "procedure": "id-card-replace",
                    "slot": {"counter": slots.counter, "date": civic_kiosk::domain::time::format_iso_date(pick.date), "start": pick.start},
                    "name": "Nguyễn Văn Thử",
                    "phone": format!("09{:08}", client as u64 * 100_000 + n),
                    "consent_version": CONSENT_VERSION,
                })
                .to_string();
                let started = Instant::now();
                match connection.send("POST", &path, &body).await {
                    Ok((201, _)) => {
                        created.fetch_add(1, Ordering::Relaxed);
                        own.push(started.elapsed());
                    }
                    Ok((409, _)) => {
                        full.fetch_add(1, Ordering::Relaxed);
                        own.push(started.elapsed());
                    }
                    _ => break,
                }
            }
            latencies.lock().map(|mut all| all.extend(own)).ok();
        }));
    }
    let started = Instant::now();
    for task in tasks {
        task.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut answered = latencies.lock().map(|l| l.clone()).unwrap_or_default();
    println!("{label} bookings_per_s {:.0}", created.load(Ordering::Relaxed) as f64 / elapsed);
    println!("{label} booking_answers_per_s {:.0}", answered.len() as f64 / elapsed);
    println!("{label} bookings_p99_ms {:.1}", percentile(&mut answered, 0.99));
    println!("{label} slot_full_answers {}", full.load(Ordering::Relaxed));

    // Double bookings: places taken beyond capacity, as the database counts them.
    let after: Availability = {
        let mut connection = Connection::open(address).await?;
        serde_json::from_str(&connection.send("GET", &availability, "").await?.1)?
    };
    let over: u32 = after.slots.iter().map(|s| s.taken.saturating_sub(s.capacity)).sum();
    let stored: u32 = after.slots.iter().map(|s| s.taken).sum();
    println!("{label} double_bookings {over}");
    println!("{label} bookings_stored {stored} (answered 201: {})", created.load(Ordering::Relaxed));
    Ok(())
}
