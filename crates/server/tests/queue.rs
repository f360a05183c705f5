//! The one queue tested for real, on SQLite and on the PostgreSQL cluster scripts/test starts:
//! numbers from the database under a crowd of terminals, officers calling at once, the call
//! order, check-in into the queue, two servers and a restart over one database, the live
//! stream resumed after a disconnect, nothing personal in any answer — and the queue's
//! addresses attacked as an outsider would (guessing tokens in parallel, no terminal, oversized
//! bodies, more streams than the server keeps).
//!
//! Run: `cargo test -p civic-server --test queue`.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use domain::queue::{Board, QueueEvent, Ticket, TicketStatus, TicketTaken, TicketView};
use domain::station_api::{CheckedIn, StaffRole};
use server::limits::Limits;
use server::store::Store;
use server::{self as station};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod support;
use support::*;

async fn take(server: &TestServer, terminal: &str, procedure: &str, priority: bool) -> Reply {
    let body = serde_json::json!({ "procedure": procedure, "priority": priority }).to_string();
    http(
        server.address,
        "POST",
        &server.path("/queue/tickets"),
        &[("Cookie", terminal), JSON],
        Some(body.as_bytes()),
    )
    .await
}

async fn taken(server: &TestServer, terminal: &str, procedure: &str) -> TicketTaken {
    let reply = take(server, terminal, procedure, false).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()
}

/// An officer's session: the cookie and the anti-forgery token.
struct Officer(String, String);

impl Officer {
    async fn new(server: &TestServer, username: &str) -> Officer {
        server.add_staff(username, StaffRole::Officer).await;
        let (cookie, csrf) = server.login(username).await;
        Officer(cookie, csrf)
    }

    async fn post(
        &self,
        server: &TestServer,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Reply {
        let body = body.map(|b| b.to_string());
        http(
            server.address,
            "POST",
            &format!("/api/v1/staff{path}"),
            &[("Cookie", &self.0), ("X-CSRF-Token", &self.1), JSON],
            body.as_deref().map(str::as_bytes),
        )
        .await
    }

    async fn call_next(&self, server: &TestServer, counter: &str) -> Reply {
        self.post(
            server,
            "/queue/call-next",
            Some(serde_json::json!({ "counter": counter })),
        )
        .await
    }

    async fn step(&self, server: &TestServer, ticket: &Ticket, step: &str) -> Reply {
        self.post(
            server,
            &format!("/queue/tickets/{}/{step}", ticket.id),
            None,
        )
        .await
    }
}

async fn board(server: &TestServer) -> Board {
    let reply = http(
        server.address,
        "GET",
        &server.path("/queue/board"),
        &[],
        None,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_simultaneous_numbers_on_one_counter_are_two_hundred_consecutive_labels() {
    for db in databases() {
        let server = Arc::new(start("numbers", db, 2, no_limits()).await);
        // Two terminals, as at a station with two.
        let terminals = [
            server.enrolled_terminal().await,
            server.enrolled_terminal().await,
        ];
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let (server, terminal) = (server.clone(), terminals[i % 2].clone());
                tokio::spawn(
                    async move { take(&server, &terminal, "id-card-replace", false).await },
                )
            })
            .collect();
        let mut labels = BTreeSet::new();
        for task in tasks {
            let reply = task.await.expect("task");
            assert_eq!(reply.status, 201, "{db:?}: {}", reply.text());
            let ticket: TicketTaken = reply.json();
            assert!(labels.insert(ticket.ticket.label.clone()), "{db:?}: twice");
        }
        let expected: BTreeSet<String> = (1..=200).map(|n| format!("A{n:03}")).collect();
        assert_eq!(labels, expected, "{db:?}");
        // Another counter numbers from 1 with its own letter.
        let vehicles = taken(&server, &terminals[0], "motorbike-registration").await;
        assert_eq!(vehicles.ticket.label, "B001", "{db:?}");
        assert_eq!(vehicles.ticket.counter.number, 2);
        assert_eq!(board(&server).await.counters[0].waiting, 200, "{db:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_officers_calling_at_once_get_two_tickets_priority_first() {
    for db in databases() {
        let server = Arc::new(start("calls", db, 2, no_limits()).await);
        let terminal = server.enrolled_terminal().await;
        for _ in 0..3 {
            taken(&server, &terminal, "id-card-replace").await;
        }
        let priority = take(&server, &terminal, "id-card-replace", true).await;
        assert_eq!(priority.status, 201);
        let priority: TicketTaken = priority.json();
        assert_eq!(priority.ticket.label, "A004");
        let officers = Arc::new([
            Officer::new(&server, "officer.an").await,
            Officer::new(&server, "officer.binh").await,
        ]);
        let calls: Vec<_> = (0..2)
            .map(|i| {
                let (server, officers) = (server.clone(), officers.clone());
                tokio::spawn(async move { officers[i].call_next(&server, "id-card").await })
            })
            .collect();
        let mut called = BTreeSet::new();
        for call in calls {
            let reply = call.await.expect("task");
            assert_eq!(reply.status, 200, "{db:?}: {}", reply.text());
            called.insert(reply.json::<Ticket>().label);
        }
        // The priority ticket first, then the first walk-in; never one ticket twice.
        assert_eq!(
            called,
            BTreeSet::from(["A004".to_owned(), "A001".to_owned()]),
            "{db:?}"
        );

        // An officer with a citizen called must finish first.
        let busy = officers[0].call_next(&server, "id-card").await;
        assert_eq!(
            (busy.status, busy.error()),
            (409, "still_serving".into()),
            "{db:?}"
        );
        // The steps the domain allows, and only those.
        let desk: domain::queue::Desk = {
            let reply = http(
                server.address,
                "GET",
                "/api/v1/staff/queue",
                &[("Cookie", &officers[0].0)],
                None,
            )
            .await;
            assert_eq!(reply.status, 200, "{}", reply.text());
            reply.json()
        };
        let mine = desk
            .tickets
            .iter()
            .find(|t| t.officer.as_deref() == Some("officer.an"))
            .expect("the ticket officer.an called")
            .clone();
        let waiting = desk
            .tickets
            .iter()
            .find(|t| t.status == TicketStatus::Waiting)
            .expect("a waiting ticket")
            .clone();
        let refused = officers[0].step(&server, &waiting, "start").await;
        assert_eq!(
            (refused.status, refused.error()),
            (409, "wrong_step".into())
        );
        let early = officers[0].step(&server, &mine, "no-show").await;
        assert_eq!((early.status, early.error()), (409, "too_few_calls".into()));
        for _ in 0..2 {
            assert_eq!(officers[0].step(&server, &mine, "again").await.status, 200);
        }
        let gone = officers[0].step(&server, &mine, "no-show").await;
        assert_eq!(gone.json::<Ticket>().status, TicketStatus::NoShow, "{db:?}");
        // "Send to counter…" keeps the ticket's place: it waits at vehicles now.
        let sent = officers[1]
            .post(
                &server,
                &format!("/queue/tickets/{}/transfer", waiting.id),
                Some(serde_json::json!({ "counter": "vehicles" })),
            )
            .await;
        assert_eq!(sent.status, 200, "{}", sent.text());
        let nowhere = officers[1]
            .post(
                &server,
                &format!("/queue/tickets/{}/transfer", waiting.id),
                Some(serde_json::json!({ "counter": "no-such-counter" })),
            )
            .await;
        assert_eq!(
            (nowhere.status, nowhere.error()),
            (422, "unknown_counter".into())
        );
        let board = board(&server).await;
        assert_eq!(board.counters[1].waiting, 1, "{db:?}");
        // The actions are in the staff's audit log under each officer.
        let audit = server
            .state
            .store
            .audit_log(&server.station, Some("officer.an"), 20)
            .await
            .expect("audit");
        let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "queue_no_show",
                "queue_again",
                "queue_again",
                "queue_call",
                "login"
            ]
        );
        // An empty counter says so.
        let other = Officer::new(&server, "officer.chi").await;
        let empty = other.call_next(&server, "vehicles").await;
        assert_eq!(empty.status, 200, "the transferred ticket is called there");
        let empty = Officer::new(&server, "officer.dung")
            .await
            .call_next(&server, "vehicles")
            .await;
        assert_eq!((empty.status, empty.error()), (409, "queue_empty".into()));
    }
}

/// Today's booking at the office's current minute, checked in at the terminal: a ticket.
async fn checked_in(server: &TestServer, terminal: &str, code_numbers: [u32; 6]) -> CheckedIn {
    use chrono::Timelike;
    let now = station::office_now();
    let mut today_row = row(
        &server.station,
        &slot(now.date(), now.hour() as u16, now.minute() as u16),
        "",
        &phone(),
        2,
    );
    today_row.code = domain::booking_code::make_code(code_numbers);
    today_row.name = "Trần Thị Bích".into();
    let code = today_row.code.clone();
    server
        .state
        .store
        .insert_booking(today_row)
        .await
        .expect("today's booking");
    check_in(server, terminal, &code).await
}

#[tokio::test]
async fn a_booked_citizen_checked_in_on_time_is_called_before_earlier_walk_ins() {
    for db in databases() {
        let server = start("appointment", db, 2, no_limits()).await;
        let terminal = server.enrolled_terminal().await;
        let walk_in = taken(&server, &terminal, "id-card-replace").await;
        let booked = checked_in(&server, &terminal, [7, 1, 2, 3, 4, 5]).await;
        let ticket = booked.ticket.expect("check-in gives a ticket");
        assert!(ticket.ticket.appointment.is_some(), "{db:?}: on time");
        assert_eq!(ticket.ticket.ahead, Some(0), "{db:?}: first in line");
        // Checking in again gives the same ticket (the slip may have been lost).
        let again = check_in(&server, &terminal, &booked.code).await;
        assert_eq!(
            again.ticket.map(|t| t.ticket.label),
            Some(ticket.ticket.label.clone())
        );
        let officer = Officer::new(&server, "officer.an").await;
        let first: Ticket = officer.call_next(&server, "id-card").await.json();
        assert_eq!(first.label, ticket.ticket.label, "{db:?}");
        assert_ne!(first.label, walk_in.ticket.label);
    }
}

/// The booking with this code checked in at the terminal.
async fn check_in(server: &TestServer, terminal: &str, code: &str) -> CheckedIn {
    let reply = http(
        server.address,
        "POST",
        &server.path(&format!("/bookings/{code}/check-in")),
        &[("Cookie", terminal)],
        None,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

#[tokio::test]
async fn the_phone_follows_its_ticket_and_can_leave_and_nothing_personal_is_in_any_answer() {
    for db in databases() {
        let server = start("phone", db, 2, no_limits()).await;
        let terminal = server.enrolled_terminal().await;
        let booked = checked_in(&server, &terminal, [9, 9, 1, 2, 3, 4]).await;
        let mine = taken(&server, &terminal, "id-card-replace").await;
        let path = server.path(&format!("/queue/tickets/{}", mine.token));
        let view: TicketView = http(server.address, "GET", &path, &[], None).await.json();
        assert_eq!(
            (view.status, view.ahead),
            (TicketStatus::Waiting, Some(1)),
            "{db:?}"
        );
        // The station's rule, from schedule.json's `queue` (read by the server only), is on the
        // ticket; its priority groups are the terminal's to list.
        assert_eq!(view.late_after_minutes, 20);
        let settings: domain::queue::QueueRules = http(
            server.address,
            "GET",
            &server.path("/queue/settings"),
            &[],
            None,
        )
        .await
        .json();
        assert_eq!(settings.priority_groups[0].vi, "Người từ 75 tuổi trở lên");
        let officer = Officer::new(&server, "officer.an").await;
        officer.call_next(&server, "id-card").await;
        let view: TicketView = http(server.address, "GET", &path, &[], None).await.json();
        assert_eq!(view.ahead, Some(0), "{db:?}");
        let other = Officer::new(&server, "officer.binh").await;
        other.call_next(&server, "id-card").await;
        let view: TicketView = http(server.address, "GET", &path, &[], None).await.json();
        assert_eq!(
            (view.status, view.counter.number),
            (TicketStatus::Called, 1),
            "{db:?}: your turn"
        );

        // Nothing about the booked citizen in any queue answer, to anyone.
        let desk = http(
            server.address,
            "GET",
            "/api/v1/staff/queue",
            &[("Cookie", &officer.0)],
            None,
        )
        .await;
        let events = server
            .state
            .store
            .queue_events(&server.station, 0, 100)
            .await
            .expect("events");
        let answers = [
            http(
                server.address,
                "GET",
                &server.path("/queue/board"),
                &[],
                None,
            )
            .await
            .text(),
            http(server.address, "GET", &path, &[], None).await.text(),
            serde_json::to_string(&booked).expect("json"),
            desk.text(),
            serde_json::to_string(&events).expect("json"),
        ];
        for answer in &answers {
            for personal in ["Trần Thị Bích", "Bích", &phone()[..6]] {
                assert!(!answer.contains(personal), "{db:?}: {personal} in {answer}");
            }
        }

        // Leaving: one button; the ticket is no longer waited for.
        let later = taken(&server, &terminal, "id-card-replace").await;
        let leave = server.path(&format!("/queue/tickets/{}/leave", later.token));
        let left = http(server.address, "POST", &leave, &[], None).await;
        assert_eq!(
            left.json::<TicketView>().status,
            TicketStatus::Left,
            "{db:?}"
        );
        let twice = http(server.address, "POST", &leave, &[], None).await;
        assert_eq!((twice.status, twice.error()), (409, "wrong_step".into()));
    }
}

// ---------------------------------------------------------------------------------------------
// The live stream

/// An open event stream: the raw connection and what has been read of it.
struct Stream {
    connection: tokio::net::TcpStream,
    read: String,
}

impl Stream {
    async fn open(address: SocketAddr, path: &str, last_event: Option<i64>) -> Stream {
        let mut connection = tokio::net::TcpStream::connect(address)
            .await
            .expect("connect");
        let resume = last_event
            .map(|id| format!("Last-Event-ID: {id}\r\n"))
            .unwrap_or_default();
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n{resume}\r\n"
        );
        connection
            .write_all(request.as_bytes())
            .await
            .expect("write");
        let mut stream = Stream {
            connection,
            read: String::new(),
        };
        stream.read_until(|read| read.contains("\r\n\r\n")).await;
        stream
    }

    async fn status(&self) -> u16 {
        self.read
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status")
    }

    /// Reads until `done` holds for what was read; fails the test after 10 s without it.
    async fn read_until(&mut self, done: impl Fn(&str) -> bool) {
        let mut buffer = [0u8; 4096];
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !done(&self.read) {
            let n = tokio::time::timeout_at(deadline, self.connection.read(&mut buffer))
                .await
                .unwrap_or_else(|_| panic!("stream stalled; read so far:\n{}", self.read))
                .expect("read");
            assert!(n > 0, "stream closed; read so far:\n{}", self.read);
            self.read.push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    }

    /// The queue events read so far.
    fn events(&self) -> Vec<QueueEvent> {
        self.read
            .lines()
            .filter_map(|line| line.strip_prefix("data: "))
            .filter_map(|data| serde_json::from_str(data).ok())
            .collect()
    }

    async fn events_until(&mut self, count: usize) -> Vec<QueueEvent> {
        self.read_until(|read| {
            read.lines()
                .filter_map(|l| l.strip_prefix("data: "))
                .filter(|d| d.starts_with('{'))
                .count()
                >= count
        })
        .await;
        self.events()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stream_resumed_with_last_event_id_misses_no_call_even_from_another_server() {
    for db in databases() {
        let server = start("stream", db, 2, no_limits()).await;
        let terminal = server.enrolled_terminal().await;
        let events_path = server.path("/queue/events");
        let mut live = Stream::open(server.address, &events_path, None).await;
        assert_eq!(live.status().await, 200);
        assert!(live.read.to_ascii_lowercase().contains("text/event-stream"));
        assert!(live
            .read
            .to_ascii_lowercase()
            .contains("x-accel-buffering: no"));
        for _ in 0..3 {
            taken(&server, &terminal, "id-card-replace").await;
        }
        let officer = Officer::new(&server, "officer.an").await;
        officer.call_next(&server, "id-card").await;
        let seen = live.events_until(4).await;
        let kinds: Vec<&str> = seen.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(kinds, ["taken", "taken", "taken", "called"], "{db:?}");
        assert_eq!(seen[3].label, "A001");
        let last_seen = seen[3].id;
        drop(live);

        // While the screen is away: a done, a call, a new number — one of them made on a
        // second server over the same database (what a province runs; on SQLite, a restart).
        let second = server.another_instance().await;
        let busy = officer.call_next(&server, "id-card").await;
        assert_eq!(busy.error(), "still_serving", "A001 is still called");
        let desk_ticket = server
            .state
            .store
            .queue_day(
                &server.station,
                &domain::time::format_iso_date(station::office_now().date()),
            )
            .await
            .expect("day")
            .0
            .into_iter()
            .find(|t| t.label == "A001")
            .expect("A001");
        assert_eq!(
            officer.step(&server, &desk_ticket, "done").await.status,
            200
        );
        let second_officer = {
            let (cookie, csrf) = second.login("officer.an").await;
            Officer(cookie, csrf)
        };
        assert_eq!(
            second_officer.call_next(&second, "id-card").await.status,
            200
        );
        taken(&second, &terminal, "id-card-replace").await;

        let mut resumed = Stream::open(server.address, &events_path, Some(last_seen)).await;
        let missed = resumed.events_until(3).await;
        let kinds: Vec<(&str, &str)> = missed
            .iter()
            .map(|e| (e.event.as_str(), e.label.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [("done", "A001"), ("called", "A002"), ("taken", "A004")],
            "{db:?}"
        );
        assert!(missed.iter().all(|e| e.id > last_seen));

        // A stream open on the first server hears a call made on the second.
        let mut listening = Stream::open(server.address, &events_path, None).await;
        let desk_ticket = second
            .state
            .store
            .queue_day(
                &second.station,
                &domain::time::format_iso_date(station::office_now().date()),
            )
            .await
            .expect("day")
            .0
            .into_iter()
            .find(|t| t.label == "A002")
            .expect("A002");
        assert_eq!(
            second_officer
                .step(&second, &desk_ticket, "again")
                .await
                .status,
            200
        );
        let heard = listening.events_until(1).await;
        assert_eq!(
            (heard[0].event.as_str(), heard[0].label.as_str()),
            ("called", "A002"),
            "{db:?}"
        );
    }
}

#[tokio::test]
async fn a_restarted_server_keeps_every_ticket_and_call() {
    for db in databases() {
        let server = start("restart", db, 2, no_limits()).await;
        let terminal = server.enrolled_terminal().await;
        let mine = taken(&server, &terminal, "id-card-replace").await;
        taken(&server, &terminal, "id-card-replace").await;
        let officer = Officer::new(&server, "officer.an").await;
        officer.call_next(&server, "id-card").await;
        let before = board(&server).await;
        // A new server's state over the same database: nothing of the queue was in memory.
        let restarted = server.another_instance().await;
        let after = board(&restarted).await;
        assert_eq!(after, before, "{db:?}");
        let view: TicketView = http(
            restarted.address,
            "GET",
            &restarted.path(&format!("/queue/tickets/{}", mine.token)),
            &[],
            None,
        )
        .await
        .json();
        assert_eq!(view.status, TicketStatus::Called, "{db:?}");
        // Numbering goes on where it was.
        assert_eq!(
            taken(&restarted, &terminal, "id-card-replace")
                .await
                .ticket
                .label,
            "A003"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Abuse

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn guessing_ticket_tokens_in_parallel_is_stopped_after_the_limit() {
    // Guards against: walking tokens to see (or leave) other citizens' tickets.
    let limits = Limits {
        manage_failures_per_hour: 5,
        ..no_limits()
    };
    let server = Arc::new(start("guess", Db::Sqlite, 2, limits).await);
    let terminal = server.enrolled_terminal().await;
    let real = taken(&server, &terminal, "id-card-replace").await;
    let guesses: Vec<_> = (0..30)
        .map(|i| {
            let server = server.clone();
            tokio::spawn(async move {
                let guess = format!("{i:064x}");
                http(
                    server.address,
                    "GET",
                    &server.path(&format!("/queue/tickets/{guess}")),
                    &[],
                    None,
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
    // A token is 256 random bits: the limit is about load, not the odds. Guesses already in
    // flight when the limit is reached are answered; the rest, and every one after, wait.
    assert!(
        statuses.iter().all(|s| *s == 404 || *s == 429),
        "{statuses:?}"
    );
    assert!(statuses.contains(&429), "never stopped: {statuses:?}");
    for _ in 0..5 {
        let later = http(
            server.address,
            "GET",
            &server.path(&format!("/queue/tickets/{:064x}", 7)),
            &[],
            None,
        )
        .await;
        assert_eq!(later.status, 429);
    }
    // Past the limit even the right token waits: the guesser learns nothing from it.
    let right = http(
        server.address,
        "GET",
        &server.path(&format!("/queue/tickets/{}", real.token)),
        &[],
        None,
    )
    .await;
    assert_eq!(right.status, 429);
    // A malformed token is never looked up but counts the same.
    let odd = http(
        server.address,
        "GET",
        &server.path("/queue/tickets/..%2f..%2fetc"),
        &[],
        None,
    )
    .await;
    assert!(odd.status == 404 || odd.status == 429, "{}", odd.status);
}

#[tokio::test]
async fn only_an_enrolled_terminal_takes_numbers_and_bad_bodies_store_nothing() {
    // Guards against: a phone on the internet filling the queue with numbers.
    let server = start("no-terminal", Db::Sqlite, 2, no_limits()).await;
    let stranger = take(
        &server,
        "ck_terminal=0123456789abcdef",
        "id-card-replace",
        false,
    )
    .await;
    assert_eq!(
        (stranger.status, stranger.error()),
        (403, "terminal_not_enrolled".into())
    );
    let anyone = http(
        server.address,
        "POST",
        &server.path("/queue/tickets"),
        &[JSON],
        Some(b"{}"),
    )
    .await;
    assert_eq!(anyone.status, 403);
    let terminal = server.enrolled_terminal().await;
    let unknown = take(&server, &terminal, "no-such-procedure", false).await;
    assert_eq!(
        (unknown.status, unknown.error()),
        (422, "not_served".into())
    );
    let extra = http(
        server.address,
        "POST",
        &server.path("/queue/tickets"),
        &[("Cookie", &terminal), JSON],
        Some(br#"{"procedure": "id-card-replace", "name": "Tran"}"#),
    )
    .await;
    assert_eq!(extra.status, 400, "no name is taken: {}", extra.text());
    let huge = format!(r#"{{"procedure": "{}"}}"#, "x".repeat(64 * 1024));
    let huge = http(
        server.address,
        "POST",
        &server.path("/queue/tickets"),
        &[("Cookie", &terminal), JSON],
        Some(huge.as_bytes()),
    )
    .await;
    assert_eq!(huge.status, 413);
    assert_eq!(
        board(&server).await.counters[0].waiting,
        0,
        "nothing stored"
    );
}

#[tokio::test]
async fn a_terminal_gives_at_most_its_hourly_numbers() {
    // Guards against: a terminal (or whoever took its cookie) draining the day's numbers.
    let limits = Limits {
        tickets_per_terminal_per_hour: 3,
        ..no_limits()
    };
    let server = start("terminal-cap", Db::Sqlite, 2, limits).await;
    let terminal = server.enrolled_terminal().await;
    for _ in 0..3 {
        taken(&server, &terminal, "id-card-replace").await;
    }
    let fourth = take(&server, &terminal, "id-card-replace", false).await;
    assert_eq!(fourth.status, 429);
    assert!(fourth.headers.contains_key("retry-after"));
    // Another terminal is counted on its own.
    let other = server.enrolled_terminal().await;
    taken(&server, &other, "id-card-replace").await;
}

#[tokio::test]
async fn streams_past_the_servers_limit_are_told_to_wait_and_a_closed_one_frees_its_seat() {
    // Guards against: opening streams until the server's memory or sockets run out.
    let server = start_tuned("streams", Db::Sqlite, 2, |config| {
        config.limits = Limits {
            max_streams: 3,
            ..no_limits()
        }
    })
    .await;
    let path = server.path("/queue/events");
    let mut open = Vec::new();
    for _ in 0..3 {
        let stream = Stream::open(server.address, &path, None).await;
        assert_eq!(stream.status().await, 200);
        open.push(stream);
    }
    let refused = http(server.address, "GET", &path, &[], None).await;
    assert_eq!((refused.status, refused.error()), (503, "busy".into()));
    assert!(refused.headers.contains_key("retry-after"));
    drop(open.pop());
    // The server notices the closed connection when it next writes to it; a new event makes it.
    let terminal = server.enrolled_terminal().await;
    let mut admitted = None;
    for _ in 0..50 {
        taken(&server, &terminal, "id-card-replace").await;
        let stream = Stream::open(server.address, &path, None).await;
        if stream.status().await == 200 {
            admitted = Some(stream);
            break;
        }
    }
    assert!(admitted.is_some(), "a closed stream's seat is given again");
    let bad = http(
        server.address,
        "GET",
        &server.path("/queue/events?after=x"),
        &[],
        None,
    )
    .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn every_staff_queue_address_needs_a_session_and_its_anti_forgery_token() {
    let server = start("queue-staff", Db::Sqlite, 2, no_limits()).await;
    for (method, path) in [
        ("GET", "/api/v1/staff/queue"),
        ("POST", "/api/v1/staff/queue/call-next"),
        ("POST", "/api/v1/staff/queue/tickets"),
        ("POST", "/api/v1/staff/queue/tickets/1/start"),
        ("POST", "/api/v1/staff/queue/tickets/1/transfer"),
    ] {
        let reply = http(server.address, method, path, &[JSON], Some(b"{}")).await;
        assert_eq!(reply.status, 401, "{method} {path}");
    }
    let officer = Officer::new(&server, "officer.an").await;
    let forged = http(
        server.address,
        "POST",
        "/api/v1/staff/queue/call-next",
        &[("Cookie", &officer.0), JSON],
        Some(br#"{"counter": "id-card"}"#),
    )
    .await;
    assert_eq!(forged.status, 403);
    // An officer's own number, a priority one.
    let given = officer
        .post(
            &server,
            "/queue/tickets",
            Some(serde_json::json!({ "procedure": "id-card-replace", "priority": true })),
        )
        .await;
    assert_eq!(given.status, 201, "{}", given.text());
    assert!(given.json::<TicketTaken>().ticket.priority);
}

#[tokio::test]
async fn the_figures_count_the_days_tickets_waits_and_services_and_export_as_csv() {
    for db in databases() {
        let server = start("figures", db, 2, no_limits()).await;
        let terminal = server.enrolled_terminal().await;
        for _ in 0..3 {
            taken(&server, &terminal, "id-card-replace").await;
        }
        taken(&server, &terminal, "motorbike-registration").await;
        let officer = Officer::new(&server, "officer.an").await;
        for _ in 0..2 {
            let called: Ticket = officer.call_next(&server, "id-card").await.json();
            assert_eq!(officer.step(&server, &called, "start").await.status, 200);
            assert_eq!(officer.step(&server, &called, "done").await.status, 200);
        }
        let reply = http(
            server.address,
            "GET",
            "/api/v1/staff/queue/figures",
            &[("Cookie", &officer.0)],
            None,
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let figures: domain::queue_figures::Figures = reply.json();
        let id_cards = &figures.rows[0];
        assert_eq!(
            (id_cards.counter.as_str(), id_cards.procedure.as_deref()),
            ("id-card", None),
            "{db:?}"
        );
        assert_eq!(
            (id_cards.tickets, id_cards.served, id_cards.walk_ins),
            (3, 2, 3)
        );
        assert_eq!(id_cards.service.count, 2);
        assert!(id_cards.wait.median_secs.is_some());
        assert_eq!(figures.arrivals_by_hour.iter().sum::<u32>(), 4, "{db:?}");
        assert!(figures
            .rows
            .iter()
            .any(|r| r.counter == "vehicles" && r.tickets == 1));

        let csv = http(
            server.address,
            "GET",
            "/api/v1/staff/queue/figures.csv",
            &[("Cookie", &officer.0)],
            None,
        )
        .await;
        assert_eq!(csv.status, 200);
        assert!(csv.headers["content-type"].starts_with("text/csv"));
        assert!(csv.headers["content-disposition"].contains("attachment"));
        assert!(csv.text().starts_with("counter,procedure,tickets,"));
        assert!(
            csv.text().contains("\r\nid-card,*,3,0,3,2,0,0,"),
            "{}",
            csv.text()
        );

        // Another day has nothing; a range the wrong way round or too long is refused.
        let empty = http(
            server.address,
            "GET",
            "/api/v1/staff/queue/figures?from=2020-01-01&to=2020-01-07",
            &[("Cookie", &officer.0)],
            None,
        )
        .await;
        assert!(empty
            .json::<domain::queue_figures::Figures>()
            .rows
            .is_empty());
        for bad in [
            "from=2026-12-10&to=2026-12-01",
            "from=2026-01-01&to=2026-12-31",
            "from=yesterday",
        ] {
            let refused = http(
                server.address,
                "GET",
                &format!("/api/v1/staff/queue/figures?{bad}"),
                &[("Cookie", &officer.0)],
                None,
            )
            .await;
            assert_eq!(refused.status, 400, "{bad}");
        }
        let stranger = http(
            server.address,
            "GET",
            "/api/v1/staff/queue/figures.csv",
            &[],
            None,
        )
        .await;
        assert_eq!(stranger.status, 401);
    }
}
