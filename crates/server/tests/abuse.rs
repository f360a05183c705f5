//! The station server attacked as an outsider on the open internet would: oversized bodies,
//! password guessing in parallel, slow and idle connections, data files that are not the
//! app's, and requests that change nothing. Each test opens by naming what it guards against.
//!
//! Run: `cargo test -p civic-server --test abuse` (scripts/test runs it on SQLite and on the
//! PostgreSQL cluster it starts).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use domain::station_api::StaffRole;
use server::limits::Limits;
use server::store::Store;
use server::{self as station};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod support;
use support::*;

/// A process's resident memory, in KiB.
fn resident_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .expect("VmRSS in /proc/<pid>/status")
}

// Guards against the staff routes that had axum's 2 MB default and no per-client limit, and a
// login table that kept every attacker-chosen name: 100 logins with 1 MB user names took the
// server from 7 to 207 MB, and it stayed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_one_megabyte_logins_get_413_and_memory_stays_flat() {
    // The server in a process of its own, so only its memory is measured.
    let dir = scratch("big-logins-process");
    write_site(&dir, 2);
    let station = station_id("big-logins");
    let database = dir.join("data/station.sqlite3").display().to_string();
    let (mut child, address) = spawn_binary(&dir, &database, &station, &[]);
    let name = "a".repeat(1024 * 1024);
    let body = Arc::new(
        serde_json::json!({"station": station, "username": name, "password": "x"})
            .to_string()
            .into_bytes(),
    );
    // Warm up what any first request allocates, then measure.
    for _ in 0..3 {
        assert_eq!(
            status_of_large(address, "/api/v1/staff/login", Arc::new(b"{}".to_vec())).await,
            400
        );
    }
    let before = resident_kib(child.id());
    let mut statuses = Vec::new();
    for _ in 0..10 {
        let sends: Vec<_> = (0..10)
            .map(|_| {
                let body = body.clone();
                tokio::spawn(
                    async move { status_of_large(address, "/api/v1/staff/login", body).await },
                )
            })
            .collect();
        for send in sends {
            statuses.push(send.await.expect("task"));
        }
    }
    let grown_kib = resident_kib(child.id()).saturating_sub(before);
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        statuses.iter().all(|s| *s == 413),
        "every one refused as too large: {statuses:?}"
    );
    assert!(
        grown_kib < 20 * 1024,
        "resident memory grew {grown_kib} KiB"
    );
    println!("100 × 1 MB logins: resident memory grew {grown_kib} KiB");
}

// Guards against a login table that kept every attacker-chosen key, even on a refusal: a
// request refused (too large, or naming no possible account) adds no key to any table.
#[tokio::test]
async fn a_refused_login_stores_no_key() {
    // Requests are not counted here, so that what is kept is only what a login would keep.
    let server = start_tuned("refused-logins", Db::Sqlite, 2, |config| {
        config.limits.requests_per_minute = 0;
    })
    .await;
    let big = Arc::new(
        serde_json::json!({"station": server.station, "username": "a".repeat(100_000), "password": "x"})
            .to_string()
            .into_bytes(),
    );
    assert_eq!(
        status_of_large(server.address, "/api/v1/staff/login", big).await,
        413
    );
    assert!(server.state.limits.kept_in_memory() == 0);

    // A body that fits but names no possible account is refused before anything is counted.
    for n in 0..100 {
        let body = serde_json::json!({"station": server.station, "username": format!("Not A Name {n}"), "password": "wrong password"})
            .to_string();
        let reply = http(
            server.address,
            "POST",
            "/api/v1/staff/login",
            &[JSON],
            Some(body.as_bytes()),
        )
        .await;
        assert_eq!(reply.status, 401);
    }
    assert!(server.state.limits.kept_in_memory() == 0);
}

// Guards against the per-client limit that covered the citizens' addresses only: the staff's
// are counted against the same budget.
#[tokio::test]
async fn the_per_client_limit_covers_the_staff_addresses_too() {
    let server = start(
        "staff-rate",
        Db::Sqlite,
        2,
        Limits {
            requests_per_minute: 5,
            ..Limits::default()
        },
    )
    .await;
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(
            http(server.address, "GET", "/api/v1/staff/session", &[], None)
                .await
                .status,
        );
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429]);
}

/// A login attempt from `client` (a trusted proxy's X-Forwarded-For).
async fn login_from(server: &TestServer, client: &str, username: &str, password: &str) -> Reply {
    let body =
        serde_json::json!({"station": server.station, "username": username, "password": password})
            .to_string();
    http(
        server.address,
        "POST",
        "/api/v1/staff/login",
        &[JSON, ("X-Forwarded-For", client)],
        Some(body.as_bytes()),
    )
    .await
}

// Guards against password guessing in parallel (40 at once were all checked: the check and
// the counted failure were separated by the argon2 verification) and against lock-outs a
// stranger could cause (five wrong passwords locked an account for everyone, its owner too).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_are_throttled_and_the_owner_still_signs_in() {
    let server = start_tuned("guessing", Db::Sqlite, 2, |config| {
        config.trust_proxy = true;
    })
    .await;
    server.add_staff("admin", StaffRole::Admin).await;
    server.add_staff("officer.an", StaffRole::Officer).await;
    let free = Limits::default().login_failures as usize;
    let server = Arc::new(server);
    let guesses: Vec<_> = (0..40)
        .map(|n| {
            let server = server.clone();
            tokio::spawn(async move {
                login_from(
                    &server,
                    "203.0.113.66",
                    "officer.an",
                    &format!("guess {n:04}"),
                )
                .await
                .status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for guess in guesses {
        statuses.push(guess.await.expect("task"));
    }
    let mut checked = statuses.iter().filter(|s| **s == 401).count();
    assert!(
        checked <= free,
        "{checked} passwords checked, at most {free} may be: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [401, 429, 503].contains(s)),
        "{statuses:?}"
    );
    // Then one after another: once the free attempts are used, the address waits.
    let mut waited = false;
    for n in 0..free + 2 {
        let reply = login_from(&server, "203.0.113.66", "officer.an", &format!("again {n}")).await;
        if reply.status == 401 {
            checked += 1;
        }
        if reply.status == 429 {
            waited = true;
            break;
        }
    }
    assert!(waited, "the guesses were never throttled");
    assert!(
        checked <= free,
        "{checked} passwords checked in all, at most {free} may be"
    );

    // The stranger's address waits, even with the right password; the owner, elsewhere, not.
    let stranger = login_from(&server, "203.0.113.66", "officer.an", "mật khẩu đủ dài 1").await;
    assert_eq!(stranger.status, 429);
    assert!(stranger.headers.contains_key("retry-after"));
    let owner = login_from(&server, "198.51.100.7", "officer.an", "mật khẩu đủ dài 1").await;
    assert_eq!(owner.status, 200, "{}", owner.text());

    // The admin sees the waiting account and lifts it; the lift is audited.
    let (cookie, csrf) = server.login("admin").await;
    let waiting = http(
        server.address,
        "GET",
        "/api/v1/staff/logins/waiting",
        &[("Cookie", &cookie)],
        None,
    )
    .await;
    let waiting: Vec<domain::station_api::LoginWait> = waiting.json();
    assert_eq!(
        waiting
            .iter()
            .map(|w| w.username.as_str())
            .collect::<Vec<_>>(),
        ["officer.an"]
    );
    let lifted = http(
        server.address,
        "POST",
        "/api/v1/staff/accounts/officer.an/unlock",
        &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
        None,
    )
    .await;
    assert_eq!(lifted.status, 204, "{}", lifted.text());
    let again = login_from(&server, "203.0.113.66", "officer.an", "mật khẩu đủ dài 1").await;
    assert_eq!(again.status, 200, "lifted: {}", again.text());

    // An officer may not lift anyone's wait.
    let officer_cookie = again
        .headers
        .get("set-cookie")
        .and_then(|c| c.split(';').next())
        .expect("cookie")
        .to_owned();
    let officer_csrf: domain::station_api::StaffSession = again.json();
    let refused = http(
        server.address,
        "POST",
        "/api/v1/staff/accounts/admin/unlock",
        &[
            ("Cookie", &officer_cookie),
            ("X-CSRF-Token", &officer_csrf.csrf_token),
        ],
        None,
    )
    .await;
    assert_eq!(refused.status, 403);

    // The admin's audit view, one officer's actions only.
    let audit = http(
        server.address,
        "GET",
        "/api/v1/staff/audit?actor=admin",
        &[("Cookie", &cookie)],
        None,
    )
    .await;
    let lines: Vec<serde_json::Value> = audit.json();
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| l["actor"] == "admin"), "{lines:?}");
    assert!(lines
        .iter()
        .any(|l| l["action"] == "unlock_account" && l["subject"] == "officer.an"));
    let bad = http(
        server.address,
        "GET",
        "/api/v1/staff/audit?actor=Robert%27)%3B",
        &[("Cookie", &cookie)],
        None,
    )
    .await;
    assert_eq!(bad.status, 400);
}

// Guards against IPv6 clients escaping every per-address limit by taking a new address from
// their /64 for each request.
#[test]
fn an_ipv6_client_is_counted_by_its_64() {
    let a: std::net::IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
    let b: std::net::IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("ip");
    let other: std::net::IpAddr = "2001:db8:1:3::1".parse().expect("ip");
    let mapped: std::net::IpAddr = "::ffff:203.0.113.5".parse().expect("ip");
    assert_eq!(station::client_key(a), station::client_key(b));
    assert_ne!(station::client_key(a), station::client_key(other));
    assert_eq!(station::client_key(mapped), "203.0.113.5");
}

// Guards against connections that send half a request header and are never cut off (one was
// still open after 75 s), and against a server that accepts connections without limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn half_open_and_idle_connections_are_closed_and_the_server_still_answers() {
    let server = start_tuned("slow-clients", Db::Sqlite, 2, |config| {
        config.limits.header_timeout = Duration::from_secs(1);
        config.limits.request_timeout = Duration::from_secs(2);
    })
    .await;
    let mut connections = Vec::new();
    for _ in 0..1000 {
        let mut stream = tokio::net::TcpStream::connect(server.address)
            .await
            .expect("connect");
        stream
            .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            .await
            .expect("half a header");
        connections.push(stream);
    }
    // Each is closed by the server (end of stream), well before the deadline of this test.
    let closed = tokio::time::timeout(Duration::from_secs(20), async {
        let mut closed = 0;
        for mut stream in connections {
            let mut rest = Vec::new();
            let _ = stream.read_to_end(&mut rest).await;
            closed += 1;
        }
        closed
    })
    .await
    .expect("every half-open connection closed by the server");
    assert_eq!(closed, 1000);
    let reply = http(server.address, "GET", "/api/v1/health", &[], None).await;
    assert_eq!(reply.status, 200);

    // A body that never finishes arriving: the request is cut off with 408.
    let mut stream = tokio::net::TcpStream::connect(server.address)
        .await
        .expect("connect");
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{{\"slot\"",
        server.path("/bookings")
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer))
        .await
        .expect("cut off");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn past_the_connection_cap_a_connection_is_closed_at_once() {
    let server = start_tuned("connection-cap", Db::Sqlite, 2, |config| {
        config.limits.max_connections = 20;
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..20 {
        let stream = tokio::net::TcpStream::connect(server.address)
            .await
            .expect("connect");
        held.push(stream);
    }
    // Each held connection has been accepted once it answers; make sure all 20 were, then one more
    // is closed without an answer.
    for stream in &mut held {
        stream
            .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .await
            .expect("request");
        let mut first = [0u8; 12];
        stream.read_exact(&mut first).await.expect("answered");
        assert_eq!(&first, b"HTTP/1.1 200");
    }
    let mut extra = tokio::net::TcpStream::connect(server.address)
        .await
        .expect("connect");
    let _ = extra
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await;
    let mut answer = Vec::new();
    let _ = extra.read_to_end(&mut answer).await;
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    drop(held);
    // Once they are gone, the server takes new connections again.
    let reply = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let stream = tokio::net::TcpStream::connect(server.address).await;
            if let Ok(mut stream) = stream {
                let _ = stream
                    .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .await;
                let mut answer = Vec::new();
                let _ = stream.read_to_end(&mut answer).await;
                if answer.starts_with(b"HTTP/1.1 200") {
                    return answer;
                }
            }
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("answers again");
    assert!(reply.starts_with(b"HTTP/1.1 200"));
}

// Guards against /data/ serving every file of the data folder (an editor's backup, dotfiles).
#[tokio::test]
async fn only_the_stations_data_files_are_served_by_name() {
    let server = start("data-names", Db::Sqlite, 2, Limits::default()).await;
    let data_dir = server
        .state
        .stations
        .get(&server.station)
        .expect("station")
        .config
        .data_dir
        .clone();
    std::fs::write(data_dir.join(".env"), "DATABASE_URL=secret").expect("dotfile");
    std::fs::write(data_dir.join("schedule.json.bak"), "old").expect("backup");
    std::fs::create_dir_all(data_dir.join("sub")).expect("folder");
    std::fs::write(data_dir.join("sub/station.json"), "{}").expect("nested");
    let get = |path: &'static str| http(server.address, "GET", path, &[], None);
    assert_eq!(get("/data/schedule.json").await.status, 200);
    for path in [
        "/data/.env",
        "/data/schedule.json.bak",
        "/data/sub/station.json",
        "/data/%2e%2e/index.html",
    ] {
        let reply = get(path).await;
        assert_eq!(reply.status, 404, "{path}");
        assert!(!reply.text().contains("secret"));
    }
}

// Guards against any POST under /api/ (even a 404) emptying the availability cache: only a
// change that happened does.
#[tokio::test]
async fn only_a_change_that_happened_empties_the_availability_cache() {
    let server = start("cache", Db::Sqlite, 2, Limits::default()).await;
    let generation = || server.state.writes.load(Ordering::Acquire);
    let start = generation();
    let nothing = http(
        server.address,
        "POST",
        "/api/v1/nothing-here",
        &[JSON],
        Some(b"{}"),
    )
    .await;
    assert_eq!(nothing.status, 404);
    let refused = server.book(&slot(tomorrow(), 23, 0), &phone(), None).await;
    assert_eq!(refused.status, 422);
    let bad = http(
        server.address,
        "POST",
        &server.path("/bookings"),
        &[JSON],
        Some(b"{"),
    )
    .await;
    assert_eq!(bad.status, 400);
    assert_eq!(generation(), start, "nothing changed");
    let key = Some("cache-test-0123456789");
    assert_eq!(
        server
            .book(&slot(tomorrow(), 9, 0), "0912000111", key)
            .await
            .status,
        201
    );
    assert_eq!(generation(), start + 1);
    // The same request again is a replay: nothing new was booked.
    assert_eq!(
        server
            .book(&slot(tomorrow(), 9, 0), "0912000111", key)
            .await
            .status,
        201
    );
    assert_eq!(generation(), start + 1);
}

/// Stores a booking whose slot was 29 days ago (booked the day before), inside the 30-day
/// retention, so the server's own hourly erase (run at its start) leaves it for the test.
async fn store_booking_inside_retention(server: &TestServer, name: &str, phone: &str, seed: u32) {
    let today = station::office_now().date();
    let mut old = row(
        &server.station,
        &slot(today - TimeDelta::days(29), 8, 0),
        "",
        phone,
        2,
    );
    old.name = name.to_owned();
    old.today = today - TimeDelta::days(30);
    old.code = domain::booking_code::make_code([seed; 6]);
    server
        .state
        .store
        .insert_booking(old)
        .await
        .expect("old booking");
}

/// What the hourly erase does once that booking is past the retention; how many were erased.
async fn erase_past_retention(server: &TestServer) -> u64 {
    let today = station::office_now().date();
    server
        .state
        .store
        .erase_personal_data(
            &server.station,
            today - TimeDelta::days(28),
            station::now_ms(),
        )
        .await
        .expect("erase")
}

/// Every byte of the database's files (SQLite: the database, its -wal and -shm).
fn database_bytes(database: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        if let Ok(content) = std::fs::read(format!("{database}{suffix}")) {
            bytes.extend(content);
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// Guards against erasure that only sets name and phone to NULL: without secure_delete SQLite
// keeps the old bytes in free pages and the write-ahead log, for anyone holding the files.
#[tokio::test]
async fn an_erased_name_and_phone_are_found_in_no_file_of_the_database() {
    let server = start("erasure", Db::Sqlite, 2, Limits::default()).await;
    let marker = format!("Đỗ Thị Dấu Vết {}", std::process::id());
    let number = "0987654321";
    store_booking_inside_retention(&server, &marker, number, 7).await;
    // Other bookings written after it, so the pages holding it are not simply rewritten whole.
    for hour in 8..16 {
        let _ = server
            .book(&slot(tomorrow(), hour, 0), &phone(), None)
            .await;
    }
    assert!(
        contains(&database_bytes(&server.database), marker.as_bytes()),
        "the marker is on disk before the erasure (else this test proves nothing)"
    );
    assert_eq!(erase_past_retention(&server).await, 1);
    let bytes = database_bytes(&server.database);
    assert!(
        !contains(&bytes, marker.as_bytes()),
        "the name is still in the files"
    );
    assert!(
        !contains(&bytes, number.as_bytes()),
        "the phone is still in the files"
    );
}

// Guards against check-in from anywhere on the internet: it took only a code, from any
// address, and ten bad codes from the station's Wi-Fi blocked check-in for everyone behind it.
#[tokio::test]
async fn only_an_enrolled_terminal_checks_in_and_revoking_ends_it() {
    for db in databases() {
        let server = start("terminals", db, 2, Limits::default()).await;
        let code = server
            .book(&slot(tomorrow(), 9, 0), &phone(), None)
            .await
            .json::<domain::station_api::Created>()
            .booking
            .code;
        let check_in = |cookie: Option<String>| {
            let path = server.path(&format!("/bookings/{code}/check-in"));
            async move {
                let headers: Vec<(&str, &str)> =
                    cookie.iter().map(|c| ("Cookie", c.as_str())).collect();
                http(server.address, "POST", &path, &headers, None).await
            }
        };
        let stranger = check_in(None).await;
        assert_eq!(
            (stranger.status, stranger.error()),
            (403, "terminal_not_enrolled".into()),
            "{db:?}"
        );
        let forged = check_in(Some(format!("ck_terminal={}", "0".repeat(64)))).await;
        assert_eq!(forged.status, 403);

        // The admin adds a terminal: its code is shown once, typed on the terminal.
        server.add_staff("admin", StaffRole::Admin).await;
        let (cookie, csrf) = server.login("admin").await;
        let body = serde_json::json!({ "name": "  Máy tiếp dân tầng 1 " }).to_string();
        let added = http(
            server.address,
            "POST",
            "/api/v1/staff/terminals",
            &[JSON, ("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
            Some(body.as_bytes()),
        )
        .await;
        assert_eq!(added.status, 201, "{}", added.text());
        let added: domain::station_api::TerminalAdded = added.json();
        assert_eq!(added.terminal.name, "Máy tiếp dân tầng 1");
        assert!(!added.terminal.enrolled);
        let nameless = http(
            server.address,
            "POST",
            "/api/v1/staff/terminals",
            &[JSON, ("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
            Some(br#"{"name": "   "}"#),
        )
        .await;
        assert_eq!(
            (nameless.status, nameless.error()),
            (400, "bad_terminal_name".into())
        );

        let enrol = |code: String| {
            let path = server.path("/terminal/enrol");
            async move {
                let body = serde_json::json!({ "code": code }).to_string();
                http(
                    server.address,
                    "POST",
                    &path,
                    &[JSON],
                    Some(body.as_bytes()),
                )
                .await
            }
        };
        let wrong = enrol(domain::booking_code::make_code([1, 1, 1, 1, 1, 1])).await;
        assert_eq!((wrong.status, wrong.error()), (404, "unknown_code".into()));
        let enrolled = enrol(added.enrolment_code.to_lowercase()).await;
        assert_eq!(enrolled.status, 200, "{}", enrolled.text());
        let set_cookie = enrolled
            .headers
            .get("set-cookie")
            .expect("credential")
            .clone();
        for attribute in ["HttpOnly", "SameSite=Strict", "Max-Age=34560000"] {
            assert!(set_cookie.contains(attribute), "{set_cookie}");
        }
        assert!(set_cookie.contains(&format!("Path=/api/v1/stations/{}/", server.station)));
        let credential = set_cookie.split(';').next().expect("pair").to_owned();
        assert_eq!(
            enrol(added.enrolment_code.clone()).await.status,
            404,
            "a code enrols once"
        );

        // Not its day yet: refused for that reason, which proves the terminal was let through.
        let not_today = check_in(Some(credential.clone())).await;
        assert_eq!(
            (not_today.status, not_today.error()),
            (409, "not_today".into())
        );
        let listed: Vec<domain::station_api::Terminal> = http(
            server.address,
            "GET",
            "/api/v1/staff/terminals",
            &[("Cookie", &cookie)],
            None,
        )
        .await
        .json();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].enrolled && listed[0].last_used_ms.is_some() && !listed[0].revoked);

        let revoked = http(
            server.address,
            "POST",
            &format!("/api/v1/staff/terminals/{}/revoke", added.terminal.id),
            &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
            None,
        )
        .await;
        assert_eq!(revoked.status, 200, "{}", revoked.text());
        let after = check_in(Some(credential.clone())).await;
        assert_eq!(
            (after.status, after.error()),
            (403, "terminal_not_enrolled".into())
        );
        let status = http(
            server.address,
            "GET",
            &server.path("/terminal"),
            &[("Cookie", &credential)],
            None,
        )
        .await;
        assert_eq!(status.status, 403);
        let log = server
            .state
            .store
            .audit_log(&server.station, Some("admin"), 10)
            .await
            .expect("log");
        assert!(log.iter().any(|e| e.action == "add_terminal"));
        assert!(log.iter().any(|e| e.action == "revoke_terminal"));
    }
}

// Guards against guessing enrolment codes: wrong ones are counted per address like wrong
// booking codes, and past the limit even a right one waits.
#[tokio::test]
async fn enrolment_codes_cannot_be_guessed() {
    let server = start(
        "enrol-guess",
        Db::Sqlite,
        2,
        Limits {
            manage_failures_per_hour: 3,
            ..Limits::default()
        },
    )
    .await;
    let path = server.path("/terminal/enrol");
    let mut statuses = Vec::new();
    for n in 0..5u32 {
        let code = domain::booking_code::make_code([n, 2, 3, 4, 5, 6]);
        let body = serde_json::json!({ "code": code }).to_string();
        statuses.push(
            http(
                server.address,
                "POST",
                &path,
                &[JSON],
                Some(body.as_bytes()),
            )
            .await
            .status,
        );
    }
    assert_eq!(statuses, [404, 404, 404, 429, 429]);
}

// Guards against the per-phone daily cap counted in application code before the insert: on
// PostgreSQL, concurrent requests (on one server or several) all passed the count.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_daily_cap_holds_across_two_servers_on_one_database() {
    for db in databases() {
        let first = start(
            "daily-cap",
            db,
            5,
            Limits {
                bookings_per_phone_per_day: 2,
                ..no_limits()
            },
        )
        .await;
        let second = Arc::new(first.another_instance().await);
        let first = Arc::new(first);
        let number = phone();
        let procedures = [
            "id-card-replace",
            "id-card-exchange",
            "motorbike-registration",
        ];
        let requests: Vec<_> = (0..12)
            .map(|n| {
                let server = if n % 2 == 0 {
                    first.clone()
                } else {
                    second.clone()
                };
                let number = number.clone();
                let procedure = procedures[n % 3];
                tokio::spawn(async move {
                    let counter = if procedure == "motorbike-registration" {
                        "vehicles"
                    } else {
                        "id-card"
                    };
                    let wanted = domain::schedule::SlotKey {
                        counter: counter.into(),
                        // A slot of its own each, so none is refused as full.
                        ..slot(tomorrow(), 7 + n as u16 / 2, (n as u16 % 2) * 30)
                    };
                    let body = serde_json::json!({
                        "procedure": procedure,
                        "slot": wanted,
                        "name": "Lê Văn Tám",
                        "phone": number,
                        "consent_version": domain::station_api::CONSENT_VERSION,
                    })
                    .to_string();
                    let reply = http(
                        server.address,
                        "POST",
                        &server.path("/bookings"),
                        &[JSON],
                        Some(body.as_bytes()),
                    )
                    .await;
                    (
                        reply.status,
                        if reply.status == 201 {
                            String::new()
                        } else {
                            reply.error()
                        },
                    )
                })
            })
            .collect();
        let mut answers = Vec::new();
        for request in requests {
            answers.push(request.await.expect("task"));
        }
        let made = answers.iter().filter(|(status, _)| *status == 201).count();
        assert_eq!(made, 2, "{db:?}: {answers:?}");
        assert!(
            answers.iter().all(|(status, word)| *status == 201
                || word == "daily_cap"
                || word == "already_booked"),
            "{db:?}: {answers:?}"
        );
        assert!(
            answers.iter().any(|(_, word)| word == "daily_cap"),
            "{db:?}: {answers:?}"
        );
    }
}

// Guards against limits kept in each server's memory: with several servers on one PostgreSQL,
// every limit was multiplied by their number. Guesses and requests sent to two servers at once
// are counted as one.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn limits_and_login_throttling_hold_across_two_servers() {
    for db in databases() {
        let first = start_tuned("shared-limits", db, 2, |config| {
            config.trust_proxy = true;
            config.limits.requests_per_minute = 0;
        })
        .await;
        first.add_staff("officer.an", StaffRole::Officer).await;
        // SQLite is one server's database: its limits live in that server's memory.
        let first = Arc::new(first);
        let second = match db {
            Db::Postgres => Arc::new(first.another_instance().await),
            Db::Sqlite => first.clone(),
        };
        let free = Limits::default().login_failures as usize;
        // Sent in waves smaller than the password-check semaphore, so each wave is checked
        // or throttled, never merely turned away as busy.
        let mut statuses = Vec::new();
        for wave in 0..6 {
            let guesses: Vec<_> = (0..4)
                .map(|n| {
                    let server = if n % 2 == 0 {
                        first.clone()
                    } else {
                        second.clone()
                    };
                    tokio::spawn(async move {
                        login_from(
                            &server,
                            "203.0.113.80",
                            "officer.an",
                            &format!("guess {wave} {n}"),
                        )
                        .await
                        .status
                    })
                })
                .collect();
            for guess in guesses {
                statuses.push(guess.await.expect("task"));
            }
        }
        let checked = statuses.iter().filter(|s| **s == 401).count();
        assert!(checked <= free, "{db:?}: {checked} checked: {statuses:?}");
        assert!(statuses.contains(&429), "{statuses:?}");
        // The owner, elsewhere, signs in on either server.
        for server in [&first, &second] {
            let owner = login_from(server, "198.51.100.8", "officer.an", "mật khẩu đủ dài 1").await;
            assert_eq!(owner.status, 200, "{db:?}: {}", owner.text());
        }
    }
}

#[tokio::test]
async fn the_per_client_limit_holds_across_two_servers_on_postgresql() {
    if !databases().iter().any(|db| matches!(db, Db::Postgres)) {
        return;
    }
    let first = start_tuned("shared-rate", Db::Postgres, 2, |config| {
        config.trust_proxy = true;
        config.limits.requests_per_minute = 6;
    })
    .await;
    let second = first.another_instance().await;
    // A client address of this test's own, so other tests on the database never share it.
    let client = format!(
        "198.18.{}.{}",
        std::process::id() % 250,
        station::now_ms() % 250
    );
    let mut statuses = Vec::new();
    for n in 0..10 {
        let server = if n % 2 == 0 { &first } else { &second };
        statuses.push(
            http(
                server.address,
                "GET",
                "/api/v1/health",
                &[("X-Forwarded-For", &client)],
                None,
            )
            .await
            .status,
        );
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        6,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        4,
        "{statuses:?}"
    );
}

// Guards against a province database reached in the clear: the server spoke PostgreSQL with
// `NoTls` only, and `sslmode=require` failed at start.
#[tokio::test]
async fn postgresql_is_reached_over_tls_and_an_impostors_certificate_is_refused() {
    use server::store::postgres::PgStore;
    if !databases().iter().any(|db| matches!(db, Db::Postgres)) {
        return;
    }
    let url = std::env::var("TEST_DATABASE_URL").expect("url");
    let ca = std::env::var("TEST_DATABASE_CA").expect("scripts/test-postgres gives its CA");
    let other = std::env::var("TEST_DATABASE_OTHER_CA").expect("and an impostor's");
    for address in [url.clone(), url.replace("127.0.0.1", "localhost")] {
        let verified = PgStore::open(&format!("{address}?sslmode=verify-full&sslrootcert={ca}"))
            .await
            .unwrap_or_else(|e| panic!("{address}: {e}"));
        assert!(
            verified.connection_encrypted().await.expect("asked"),
            "{address}"
        );
        // It is the real book: a booking goes in and comes back over it.
        let station = station_id("tls");
        let mut booking = row(&station, &slot(tomorrow(), 9, 0), "", &phone(), 2);
        booking.code = domain::booking_code::make_code([4, 4, 4, 4, 4, 4]);
        let code = booking.code.clone();
        verified
            .insert_booking(booking)
            .await
            .expect("booked over TLS");
        assert!(verified
            .find(&station, &code)
            .await
            .expect("found")
            .is_some());
    }
    let refused = PgStore::open(&format!("{url}?sslmode=verify-full&sslrootcert={other}")).await;
    assert!(
        matches!(&refused, Err(e) if e.to_string().contains("TLS handshake")),
        "an impostor's certificate: {:?}",
        refused.err()
    );
    let encrypted_only = PgStore::open(&format!("{url}?sslmode=require"))
        .await
        .expect("require");
    assert!(encrypted_only.connection_encrypted().await.expect("asked"));
    let plain = PgStore::open(&url).await.expect("plain");
    assert!(
        !plain.connection_encrypted().await.expect("asked"),
        "no sslmode: as before"
    );
}

// Guards the capacity rule across a province's servers: it is the database's, so two servers
// on one PostgreSQL taking 200 bookings at once for 5 places still make exactly 5.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_bookings_across_two_servers_fill_exactly_the_capacity() {
    if !databases().iter().any(|db| matches!(db, Db::Postgres)) {
        return;
    }
    let first = start("two-servers", Db::Postgres, 5, no_limits()).await;
    let second = Arc::new(first.another_instance().await);
    let first = Arc::new(first);
    let wanted = slot(tomorrow(), 10, 0);
    let requests: Vec<_> = (0..200)
        .map(|n| {
            let server = if n % 2 == 0 {
                first.clone()
            } else {
                second.clone()
            };
            let wanted = wanted.clone();
            tokio::spawn(async move { server.book(&wanted, &phone(), None).await.status })
        })
        .collect();
    let mut statuses = Vec::new();
    for request in requests {
        statuses.push(request.await.expect("task"));
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        5,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    assert_eq!(first.active_in(&wanted).await, 5);
}

// Guards against erasure on PostgreSQL leaving the old row versions, name and phone in them,
// in the table's pages until autovacuum happens by (it may wait for days on a quiet table):
// the hourly erase vacuums the table itself.
#[tokio::test]
async fn postgresql_vacuums_the_book_after_an_erasure() {
    if !databases().iter().any(|db| matches!(db, Db::Postgres)) {
        return;
    }
    let server = start("erasure-pg", Db::Postgres, 2, Limits::default()).await;
    store_booking_inside_retention(&server, "Trần Văn An", &phone(), 8).await;
    let (client, connection) = tokio_postgres::connect(&server.database, tokio_postgres::NoTls)
        .await
        .expect("connect");
    tokio::spawn(connection);
    let before: f64 = client
        .query_one("SELECT extract(epoch FROM now())::float8", &[])
        .await
        .expect("now")
        .get(0);
    assert_eq!(erase_past_retention(&server).await, 1);
    let vacuumed: bool = client
        .query_one(
            "SELECT coalesce(last_vacuum >= to_timestamp($1), false) FROM pg_stat_user_tables WHERE relname = 'bookings'",
            &[&before],
        )
        .await
        .expect("stats")
        .get(0);
    assert!(vacuumed, "the book was vacuumed after the erasure");
}

// Guards against an account whose password the login refuses unread (over 1,024 bytes): it
// could be made, and then never sign in.
#[test]
fn an_account_cannot_be_given_a_password_the_login_would_refuse() {
    use server::staff::check_new_account;
    assert!(check_new_account("officer.an", &"mật khẩu ".repeat(200)).is_err());
    assert!(check_new_account("officer.an", "mật khẩu đủ dài 1").is_ok());
}
