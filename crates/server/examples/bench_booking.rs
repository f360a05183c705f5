//! Booking service figures (scripts/bench-booking runs this; a benchmark, not a test): starts the
//! release station server on loopback over the database given, then measures
//!   - bookings: 200 concurrent clients booking random slots with distinct phones, first at an
//!     offered 500 bookings a second in all (latency at the target rate), then as fast as they
//!     are answered (the most the server takes);
//!   - availability reads on the book so filled: 64 clients on keep-alive connections;
//!   - double bookings: places taken beyond a slot's capacity afterwards (must be 0);
//!
//! and prints one line per figure.
//!
//!   cargo run --release -p civic-server --example bench_booking -- SERVER_BINARY DATABASE LABEL

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use domain::station_api::{Availability, CONSENT_VERSION};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const READ_CLIENTS: usize = 64;
const BOOK_CLIENTS: usize = 200;
const SECONDS: u64 = 5;
const CAPACITY: u32 = 100;
/// The offered load of the first booking phase, bookings per second over all clients.
const OFFERED_PER_S: f64 = 500.0;

/// A keep-alive HTTP/1.1 connection: one request at a time, answers read by Content-Length.
struct Connection {
    stream: BufReader<TcpStream>,
}

impl Connection {
    async fn open(address: SocketAddr) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(address).await?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream: BufReader::new(stream),
        })
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        body: &str,
    ) -> std::io::Result<(u16, String)> {
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: bench\r\n");
        if !body.is_empty() {
            request.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        request.push_str("\r\n");
        request.push_str(body);
        self.stream.get_mut().write_all(request.as_bytes()).await?;
        let mut status_line = String::new();
        self.stream.read_line(&mut status_line).await?;
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
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
    std::fs::write(
        dir.join("dist/index.html"),
        "<!DOCTYPE html><title>bench</title>",
    )?;
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
    let dir =
        std::env::temp_dir().join(format!("civic-kiosk-bench-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_site(&dir)?;
    let station = format!("bench-{}", std::process::id());
    let database = if database == "sqlite" {
        dir.join("book.sqlite3").display().to_string()
    } else {
        database.clone()
    };
    let mut server = std::process::Command::new(binary)
        .env("BIND", "127.0.0.1:0")
        .env("DIST", dir.join("dist"))
        .env("DATABASE_URL", &database)
        .env("STATION_ID", &station)
        // Every defence on: the limits are counted on every request (in the database with
        // PostgreSQL) but set past what one load generator's address sends, so their cost is in
        // the figures without refusing the load.
        .env("LIMIT_REQUESTS_PER_MINUTE", "1000000000")
        .env("LIMIT_BOOKINGS_PER_HOUR", "1000000000")
        .env("LIMIT_BOOKINGS_PER_PHONE_PER_DAY", "1000000")
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
    let result = run(address, &station, label, &database).await;
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run(
    address: SocketAddr,
    station: &str,
    label: &str,
    database: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let availability = format!("/api/v1/stations/{station}/availability?procedure=id-card-replace");

    // Bookings: random slots over the booking window, each client its own phones.
    let slots: Arc<Availability> = {
        let mut connection = Connection::open(address).await?;
        Arc::new(serde_json::from_str(
            &connection.send("GET", &availability, "").await?.1,
        )?)
    };
    let offered = book_phase(address, station, &slots, Some(OFFERED_PER_S), 0).await?;
    let most = book_phase(address, station, &slots, None, 1).await?;
    let (mut at_rate, rate_made, rate_elapsed) = offered;
    let (_, most_made, most_elapsed) = most;
    println!(
        "{label} bookings_per_s {:.0} (offered {OFFERED_PER_S:.0}/s by {BOOK_CLIENTS} clients)",
        rate_made as f64 / rate_elapsed
    );
    println!(
        "{label} bookings_p99_ms {:.1}",
        percentile(&mut at_rate, 0.99)
    );
    println!("{label} bookings_most_per_s {:.0} ({BOOK_CLIENTS} clients, each sending as soon as answered)", most_made as f64 / most_elapsed);

    // Reads, on the book the bookings above filled.
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
    let (mut reads, elapsed) = finish(tasks, &latencies).await?;
    println!("{label} reads_per_s {:.0}", reads.len() as f64 / elapsed);
    println!("{label} reads_p99_ms {:.1}", percentile(&mut reads, 0.99));

    // Double bookings: counted from the bookings themselves, not from the kept counts.
    let (over, stored) = double_bookings(database, station).await?;
    println!("{label} double_bookings {over}");
    println!(
        "{label} bookings_stored {stored} (answered 201: {})",
        rate_made + most_made
    );
    Ok(())
}

/// One booking phase: every client books random slots with phones of its own until the time is
/// up, either at `rate` bookings a second over all clients or as fast as answers come. Returns
/// the latencies of answered requests, how many were booked, and the seconds it took.
async fn book_phase(
    address: SocketAddr,
    station: &str,
    slots: &Arc<Availability>,
    rate: Option<f64>,
    phase: u64,
) -> Result<(Vec<Duration>, u64, f64), Box<dyn std::error::Error>> {
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let made = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for client in 0..BOOK_CLIENTS as u64 {
        let (latencies, made) = (latencies.clone(), made.clone());
        let all: Vec<_> = slots.slots().map(|(slot, _)| slot).collect();
        let path = format!("/api/v1/stations/{station}/bookings");
        tasks.push(tokio::spawn(async move {
            let mut own = Vec::new();
            let Ok(mut connection) = Connection::open(address).await else {
                return;
            };
            // Each client's share of the offered rate, its start spread over one period.
            let mut ticks = rate.map(|rate| {
                let period = Duration::from_secs_f64(BOOK_CLIENTS as f64 / rate);
                let offset = period.mul_f64(client as f64 / BOOK_CLIENTS as f64);
                let mut ticks =
                    tokio::time::interval_at(tokio::time::Instant::now() + offset, period);
                ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                ticks
            });
            let mut n: u64 = 0;
            while Instant::now() < deadline {
                if let Some(ticks) = ticks.as_mut() {
                    ticks.tick().await;
                }
                n += 1;
                let pick =
                    &all[((client * 7919 + n * 104_729 + phase * 31) % all.len() as u64) as usize];
                let body = serde_json::json!({
                    "procedure": "id-card-replace",
                    "slot": pick,
                    "name": "Nguyễn Văn Thử",
                    "phone": format!("09{:08}", phase * 50_000_000 + client * 100_000 + n),
                    "consent_version": CONSENT_VERSION,
                })
                .to_string();
                let started = Instant::now();
                match connection.send("POST", &path, &body).await {
                    Ok((201, _)) => {
                        made.fetch_add(1, Ordering::Relaxed);
                        own.push(started.elapsed());
                    }
                    Ok((409, _)) => own.push(started.elapsed()),
                    _ => break,
                }
            }
            latencies.lock().map(|mut all| all.extend(own)).ok();
        }));
    }
    let (latencies, elapsed) = finish(tasks, &latencies).await?;
    Ok((latencies, made.load(Ordering::Relaxed), elapsed))
}

/// Places booked beyond a slot's capacity, and all bookings stored, straight from the database.
async fn double_bookings(
    database: &str,
    station: &str,
) -> Result<(i64, i64), Box<dyn std::error::Error>> {
    const OVER: &str = "SELECT CAST(coalesce(sum(n - capacity), 0) AS BIGINT), CAST(coalesce(sum(n), 0) AS BIGINT) FROM (
        SELECT count(*) AS n, max(capacity) AS capacity FROM bookings
        WHERE station = $1 AND status <> 'cancelled'
        GROUP BY counter, slot_date, slot_start) AS per_slot";
    if database.starts_with("postgres") {
        let (client, connection) = tokio_postgres::connect(database, tokio_postgres::NoTls).await?;
        tokio::spawn(connection);
        let over = OVER.replace("sum(n - capacity)", "sum(GREATEST(n - capacity, 0))");
        let row = client.query_one(&over, &[&station]).await?;
        Ok((row.get::<_, i64>(0), row.get::<_, i64>(1)))
    } else {
        let conn = rusqlite::Connection::open(database)?;
        let over = OVER
            .replace("$1", "?1")
            .replace("sum(n - capacity)", "sum(max(n - capacity, 0))");
        Ok(conn.query_row(&over, [station], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }
}

/// Waits for a phase's clients; returns every latency they recorded and the seconds it took.
async fn finish(
    tasks: Vec<tokio::task::JoinHandle<()>>,
    latencies: &Mutex<Vec<Duration>>,
) -> Result<(Vec<Duration>, f64), Box<dyn std::error::Error>> {
    let started = Instant::now();
    for task in tasks {
        task.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    Ok((
        latencies.lock().map(|l| l.clone()).unwrap_or_default(),
        elapsed,
    ))
}
