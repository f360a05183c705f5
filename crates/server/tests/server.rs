//! The station server tested for real: each test starts the server on a loopback port (or, for
//! durability, the built binary as its own process) over a real database — a SQLite file, and
//! the PostgreSQL cluster scripts/test starts (TEST_DATABASE_URL) — and talks HTTP to it.
//!
//! Run: `cargo test -p civic-server --test server` (scripts/test sets TEST_DATABASE_URL and
//! REQUIRE_POSTGRES=1, so the PostgreSQL half cannot be skipped there).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use chrono::{NaiveDate, TimeDelta};
use domain::booking::BookingStatus;
use domain::station::ClockTime;
use domain::station_api::{
    ApiError, Availability, Created, DayList, StaffAccount, StaffRole, CONSENT_VERSION,
};
use server::limits::Limits;
use server::store::{self, Store, StoreError};
use server::{self as station, ServerConfig, StationConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod support;
use support::*;

// ---------------------------------------------------------------------------------------------
// Storage contract: the same on both databases, one rule per test

/// A store on `db` in a scratch folder of its own, a station of its own, and the address the
/// database was opened at (for the tests that go behind the server's back).
async fn contract_store(db: Db, name: &str) -> (store::AnyStore, String, String) {
    let dir = scratch(name);
    let address = database_address(db, &dir);
    let book = store::open(&address).await.expect("open");
    (book, station_id(name), address)
}

async fn status_of(book: &store::AnyStore, station: &str, code: &str) -> Option<BookingStatus> {
    (book.find(station, code).await.expect("find")).map(|s| s.booking.status)
}

#[tokio::test]
async fn a_slot_holds_its_capacity_one_booking_per_person_and_unique_codes() {
    for db in databases() {
        let (book, st, address) = contract_store(db, "capacity").await;
        let at8 = slot(tomorrow(), 8, 0);
        let (a, b) = (phone(), phone());

        let (first, replayed) = book
            .insert_booking(row(&st, &at8, "AAAAAA1", &a, 2))
            .await
            .expect("first");
        assert!(!replayed);
        assert_eq!(first.status, BookingStatus::Booked);
        // The same phone and procedure: refused, naming the booking held.
        assert_eq!(
            book.insert_booking(row(&st, &slot(tomorrow(), 9, 0), "AAAAAA2", &a, 2))
                .await,
            Err(StoreError::AlreadyBooked),
            "{db:?}"
        );
        book.insert_booking(row(&st, &at8, "AAAAAA3", &b, 2))
            .await
            .expect("second place");
        assert_eq!(
            book.insert_booking(row(&st, &at8, "AAAAAA4", &phone(), 2))
                .await,
            Err(StoreError::Full),
            "{db:?}"
        );
        assert_eq!(
            book.insert_booking(row(&st, &slot(tomorrow(), 9, 0), "AAAAAA3", &phone(), 2))
                .await,
            Err(StoreError::CodeTaken)
        );

        // Cancelling frees the place; the code stays findable, and a cancelled booking cannot
        // be marked arrived.
        book.set_status(
            &st,
            "AAAAAA3",
            &[BookingStatus::Booked],
            BookingStatus::Cancelled,
            0,
        )
        .await
        .expect("cancel");
        assert_eq!(
            status_of(&book, &st, "AAAAAA3").await,
            Some(BookingStatus::Cancelled)
        );
        book.insert_booking(row(&st, &at8, "AAAAAA5", &phone(), 2))
            .await
            .expect("freed place taken");
        let taken = book
            .taken(&st, "id-card", tomorrow(), tomorrow())
            .await
            .expect("taken");
        assert_eq!(
            taken.iter().map(|t| (t.start, t.taken)).collect::<Vec<_>>(),
            [(480, 2)],
            "{db:?}"
        );
        assert_eq!(
            book.set_status(
                &st,
                "AAAAAA3",
                &[BookingStatus::Booked],
                BookingStatus::Arrived,
                0
            )
            .await,
            Err(StoreError::WrongState(BookingStatus::Cancelled))
        );
        assert_eq!(
            book.day(&st, tomorrow()).await.expect("day").len(),
            2,
            "{db:?}: cancelled bookings are not listed"
        );
        assert_eq!(
            miscounted_slots(db, &address).await,
            0,
            "{db:?}: slot_counts disagrees with the bookings"
        );
    }
}

#[tokio::test]
async fn moving_keeps_the_code_frees_the_old_place_and_a_full_slot_refuses() {
    for db in databases() {
        let (book, st, _) = contract_store(db, "move").await;
        let at8 = slot(tomorrow(), 8, 0);
        book.insert_booking(row(&st, &at8, "AAAAAA1", &phone(), 1))
            .await
            .expect("booked");
        let moved = book
            .move_booking(&st, "AAAAAA1", &slot(tomorrow(), 10, 0), 1, 0)
            .await
            .expect("move");
        assert_eq!(
            (moved.code.as_str(), moved.slot.start),
            ("AAAAAA1", ClockTime(600))
        );
        book.insert_booking(row(&st, &at8, "AAAAAA6", &phone(), 1))
            .await
            .expect("the moved-from place is free");
        assert_eq!(
            book.move_booking(&st, "AAAAAA1", &at8, 1, 0).await,
            Err(StoreError::Full),
            "{db:?}"
        );
        assert_eq!(
            book.move_booking(&st, "NOPE000", &at8, 1, 0).await,
            Err(StoreError::UnknownCode)
        );
    }
}

#[tokio::test]
async fn a_past_booking_never_kept_stops_blocking_and_its_personal_data_is_erased() {
    for db in databases() {
        let (book, st, _) = contract_store(db, "past").await;
        let c = phone();
        let yesterday = station::office_now().date() - TimeDelta::days(1);
        book.insert_booking(row(&st, &slot(yesterday, 8, 0), "AAAAAA7", &c, 2))
            .await
            .expect("past (stored directly)");
        book.insert_booking(row(&st, &slot(tomorrow(), 11, 0), "AAAAAA8", &c, 2))
            .await
            .expect("next booking");
        assert_eq!(
            status_of(&book, &st, "AAAAAA7").await,
            Some(BookingStatus::NoShow)
        );

        // Retention: before the cut-off no name or phone is left; later bookings keep theirs.
        let erased = book
            .erase_personal_data(&st, station::office_now().date(), 1)
            .await
            .expect("erase");
        assert_eq!(erased, 1, "{db:?}");
        let old = (book.find(&st, "AAAAAA7").await.expect("find"))
            .expect("kept without data")
            .booking;
        assert_eq!((old.name.as_str(), old.phone.as_str()), ("", ""));
        let kept = (book.find(&st, "AAAAAA8").await.expect("find")).expect("kept");
        assert_eq!(kept.booking.name, "Trần Văn An");
    }
}

#[tokio::test]
async fn the_daily_cap_counts_every_booking_a_phone_made_today_cancelled_ones_too() {
    for db in databases() {
        let (book, st, _) = contract_store(db, "cap").await;
        let d = phone();
        for (i, hour) in [13u16, 14, 15].iter().enumerate() {
            let code = format!("CAP000{i}");
            book.insert_booking(row(&st, &slot(tomorrow(), *hour, 0), &code, &d, 2))
                .await
                .expect("under the cap");
            book.set_status(
                &st,
                &code,
                &[BookingStatus::Booked],
                BookingStatus::Cancelled,
                0,
            )
            .await
            .expect("cancel");
        }
        assert_eq!(
            book.insert_booking(row(&st, &slot(tomorrow(), 16, 0), "CAP0009", &d, 2))
                .await,
            Err(StoreError::DailyCap),
            "{db:?}"
        );
    }
}

#[tokio::test]
async fn an_idempotency_key_replays_its_request_and_refuses_another() {
    for db in databases() {
        let (book, st, _) = contract_store(db, "idempotency").await;
        let mut keyed = row(&st, &slot(tomorrow(), 12, 0), "IDEM001", &phone(), 2);
        keyed.idempotency = Some(store::Idempotency {
            key: "k-0123456789abcdef".into(),
            request_hash: "h1".into(),
        });
        let (made, replayed) = book.insert_booking(keyed.clone()).await.expect("keyed");
        assert!(!replayed);
        let mut again = keyed.clone();
        again.code = "IDEM002".into();
        again.manage_token_hash = "hash2".into();
        let (replay, replayed) = book.insert_booking(again.clone()).await.expect("replay");
        assert!(replayed, "{db:?}");
        assert_eq!(replay.code, made.code);
        assert_eq!(
            (book.find(&st, "IDEM001").await.expect("find")).map(|s| s.manage_token_hash),
            Some("hash2".into()),
            "the replay's token works"
        );
        assert_eq!(book.find(&st, "IDEM002").await.expect("find"), None);
        again.idempotency = Some(store::Idempotency {
            key: "k-0123456789abcdef".into(),
            request_hash: "other".into(),
        });
        assert_eq!(
            book.insert_booking(again).await,
            Err(StoreError::IdempotencyMismatch)
        );
    }
}

#[tokio::test]
async fn a_user_name_is_taken_once_and_disabling_ends_the_sessions() {
    for db in databases() {
        let (book, st, _) = contract_store(db, "accounts").await;
        let account = book
            .create_account(&st, "officer.1", "x", StaffRole::Officer, 0)
            .await
            .expect("account");
        assert_eq!(
            book.create_account(&st, "officer.1", "y", StaffRole::Admin, 0)
                .await,
            Err(StoreError::UsernameTaken),
            "{db:?}"
        );
        let session = format!("session-hash-{st}");
        book.create_session(&session, account.id, "csrf", 1_000)
            .await
            .expect("session");
        assert_eq!(
            (book.session(&session, 0).await.expect("session")).map(|(a, c)| (a.username, c)),
            Some(("officer.1".into(), "csrf".into()))
        );
        assert_eq!(book.session(&session, 1_000).await.expect("expired"), None);
        book.create_session(&format!("{session}-2"), account.id, "csrf", i64::MAX)
            .await
            .expect("second session");
        book.set_disabled(&st, "officer.1", true)
            .await
            .expect("disable");
        assert_eq!(
            book.session(&format!("{session}-2"), 0)
                .await
                .expect("session"),
            None,
            "{db:?}"
        );
    }
}

#[tokio::test]
async fn the_audit_log_only_grows() {
    for db in databases() {
        let (book, st, address) = contract_store(db, "audit").await;
        book.audit(store::AuditEntry {
            station: st.clone(),
            actor: "officer.1".into(),
            action: "find".into(),
            subject: Some("AAAAAA1".into()),
            at_ms: 5,
        })
        .await
        .expect("audit");
        assert_eq!(book.audit_log(&st, None, 10).await.expect("log").len(), 1);
        assert!(
            tamper_with_audit_log(db, &address).await.is_err(),
            "{db:?}: an audit entry was changed"
        );
        assert_eq!(book.audit_log(&st, None, 10).await.expect("log").len(), 1);
    }
}

/// Slots whose kept count (slot_counts, maintained by triggers) differs from the bookings
/// themselves, counted straight from the bookings table.
async fn miscounted_slots(db: Db, address: &str) -> i64 {
    const QUERY: &str = "SELECT count(*) FROM (
        SELECT station, counter, slot_date, slot_start, count(*) AS n FROM bookings
          WHERE status <> 'cancelled' GROUP BY station, counter, slot_date, slot_start) AS real
        FULL OUTER JOIN (SELECT * FROM slot_counts WHERE taken > 0) AS kept
          USING (station, counter, slot_date, slot_start)
        WHERE real.n IS NULL OR kept.taken IS NULL OR real.n <> kept.taken";
    match db {
        Db::Sqlite => {
            let conn = rusqlite::Connection::open(address).expect("open");
            conn.query_row(QUERY, [], |r| r.get(0)).expect("count")
        }
        Db::Postgres => {
            let (client, connection) = tokio_postgres::connect(address, tokio_postgres::NoTls)
                .await
                .expect("connect");
            tokio::spawn(connection);
            client.query_one(QUERY, &[]).await.expect("count").get(0)
        }
    }
}

/// Tries to rewrite the audit log behind the server's back, as a person with the database would.
async fn tamper_with_audit_log(db: Db, address: &str) -> Result<(), String> {
    match db {
        Db::Sqlite => {
            let conn = rusqlite::Connection::open(address).map_err(|e| e.to_string())?;
            conn.execute("UPDATE audit_log SET actor = 'someone else'", [])
                .map_err(|e| e.to_string())?;
            conn.execute("DELETE FROM audit_log", [])
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
        Db::Postgres => {
            let (client, connection) = tokio_postgres::connect(address, tokio_postgres::NoTls)
                .await
                .map_err(|e| e.to_string())?;
            tokio::spawn(connection);
            client
                .execute("UPDATE audit_log SET actor = 'someone else'", &[])
                .await
                .map_err(|e| e.to_string())?;
            client
                .execute("DELETE FROM audit_log", &[])
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Concurrency: guaranteed by the database, on both

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_simultaneous_bookings_for_five_places_make_exactly_five() {
    for db in databases() {
        let server = Arc::new(start("race", db, 5, no_limits()).await);
        let wanted = slot(tomorrow(), 9, 30);
        let tasks: Vec<_> = (0..200)
            .map(|_| {
                let (server, wanted) = (server.clone(), wanted.clone());
                tokio::spawn(async move { server.book(&wanted, &phone(), None).await })
            })
            .collect();
        let mut created = 0;
        for task in tasks {
            let reply = task.await.expect("task");
            match reply.status {
                201 => created += 1,
                409 => {
                    let error: ApiError = reply.json();
                    assert_eq!(error.error, "slot_full");
                    assert!(
                        !error.nearest.is_empty(),
                        "a full slot offers the nearest free times"
                    );
                    assert!(!error.nearest.contains(&wanted));
                }
                other => panic!("{db:?}: unexpected {other}: {}", reply.text()),
            }
        }
        assert_eq!(created, 5, "{db:?}");
        assert_eq!(server.active_in(&wanted).await, 5, "{db:?}");
        assert_eq!(miscounted_slots(db, &server.database).await, 0, "{db:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_retried_request_never_books_twice() {
    for db in databases() {
        let server = Arc::new(start("replay", db, 5, no_limits()).await);
        let wanted = slot(tomorrow(), 10, 0);
        let number = phone();
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (server, wanted, number) = (server.clone(), wanted.clone(), number.clone());
                tokio::spawn(async move {
                    server
                        .book(&wanted, &number, Some("flaky-wifi-0123456789"))
                        .await
                })
            })
            .collect();
        let mut codes = Vec::new();
        for task in tasks {
            let reply = task.await.expect("task");
            assert_eq!(reply.status, 201, "{db:?}: {}", reply.text());
            codes.push(reply.json::<Created>().booking.code);
        }
        codes.dedup();
        assert_eq!(codes.len(), 1, "{db:?}: {codes:?}");
        assert_eq!(server.active_in(&wanted).await, 1);
        // The same key with another request is refused, nothing stored.
        let other = server
            .book(
                &slot(tomorrow(), 11, 0),
                &phone(),
                Some("flaky-wifi-0123456789"),
            )
            .await;
        assert_eq!(
            (other.status, other.error()),
            (409, "idempotency_mismatch".into())
        );
        assert_eq!(server.active_in(&slot(tomorrow(), 11, 0)).await, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cancelling_and_moving_race_new_bookings_without_overbooking() {
    for db in databases() {
        let server = Arc::new(start("cancel-race", db, 2, no_limits()).await);
        let contested = slot(tomorrow(), 14, 0);
        // Two holders fill the slot; one cancels while 30 others try to book it and 10 holders
        // of other slots try to move into it.
        let mut holders = Vec::new();
        for _ in 0..2 {
            let number = phone();
            let created: Created = server.book(&contested, &number, None).await.json();
            holders.push((created.booking.code, number));
        }
        let mut movers = Vec::new();
        for i in 0..10 {
            let number = phone();
            let created: Created = server
                .book(&slot(tomorrow(), 7 + (i % 5), 0), &number, None)
                .await
                .json();
            movers.push((created.booking.code, created.manage_token));
        }
        let mut tasks = Vec::new();
        {
            let (server, (code, number)) = (server.clone(), holders[0].clone());
            tasks.push(tokio::spawn(async move {
                let path = server.path(&format!("/bookings/{code}/cancel"));
                http(
                    server.address,
                    "POST",
                    &path,
                    &[("X-Booking-Phone", &number)],
                    None,
                )
                .await
                .status
            }));
        }
        for _ in 0..30 {
            let (server, contested) = (server.clone(), contested.clone());
            tasks.push(tokio::spawn(async move {
                server.book(&contested, &phone(), None).await.status
            }));
        }
        for (code, token) in movers {
            let (server, contested) = (server.clone(), contested.clone());
            tasks.push(tokio::spawn(async move {
                let body = serde_json::json!({ "slot": contested }).to_string();
                let path = server.path(&format!("/bookings/{code}/move"));
                http(
                    server.address,
                    "POST",
                    &path,
                    &[JSON, ("X-Manage-Token", &token)],
                    Some(body.as_bytes()),
                )
                .await
                .status
            }));
        }
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.expect("task"));
        }
        assert_eq!(statuses[0], 200, "{db:?}: the cancel");
        // Whether a booking or a move got in before or after the cancel is chance; that at most
        // the one freed place was taken, and the book agrees with the answers, is not.
        let won = statuses[1..]
            .iter()
            .filter(|s| **s == 200 || **s == 201)
            .count() as u32;
        assert!(
            won <= 1,
            "{db:?}: only the freed place can be taken: {statuses:?}"
        );
        assert!(
            statuses[1..].iter().all(|s| [200, 201, 409].contains(s)),
            "{statuses:?}"
        );
        assert_eq!(server.active_in(&contested).await, 1 + won, "{db:?}");
        assert_eq!(
            miscounted_slots(db, &server.database).await,
            0,
            "{db:?}: counts after cancels and moves"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The citizen's API

#[tokio::test]
async fn a_citizen_books_sees_moves_and_cancels_only_their_own_booking() {
    let server = start("citizen", Db::Sqlite, 2, Limits::default()).await;
    let health = http(server.address, "GET", "/api/v1/health", &[], None).await;
    assert_eq!(
        health.text(),
        format!(
            r#"{{"status":"ok","database":"sqlite","station":"{}","retention_days":30}}"#,
            server.station
        )
    );

    let wanted = slot(tomorrow(), 8, 30);
    let number = phone();
    let reply = server
        .book(
            &wanted,
            &format!("+84 {}", &number[1..]),
            Some("first-try-0123456789"),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let created: Created = reply.json();
    assert_eq!(
        (
            created.booking.phone.as_str(),
            created.booking.name.as_str()
        ),
        (number.as_str(), "Nguyễn Thị Hồng Nhung")
    );

    // Availability: counts only, no personal data.
    let path = server.path(&format!(
        "/availability?procedure=id-card-replace&from={}&to={}",
        tomorrow(),
        tomorrow()
    ));
    let reply = http(server.address, "GET", &path, &[], None).await;
    let availability: Availability = reply.json();
    assert_eq!(availability.taken(&wanted), 1);
    assert_eq!(availability.days.len(), 1);
    assert_eq!(
        availability.slots().count(),
        20,
        "07:00–17:00 in 30 minutes"
    );
    assert_eq!(
        (
            availability.capacity,
            availability.slots().map(|(_, t)| t).sum::<u32>()
        ),
        (2, 1)
    );
    assert!(!reply.text().contains(&number) && !reply.text().contains("Nguyễn"));

    let code = created.booking.code.clone();
    let show = |headers: Vec<(&'static str, String)>| {
        let path = server.path(&format!("/bookings/{code}"));
        async move {
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            http(server.address, "GET", &path, &headers, None).await
        }
    };
    assert_eq!(
        show(vec![("X-Manage-Token", created.manage_token.clone())])
            .await
            .status,
        200
    );
    assert_eq!(
        show(vec![(
            "X-Booking-Phone",
            format!("{} {} {}", &number[..4], &number[4..7], &number[7..])
        )])
        .await
        .status,
        200
    );
    let stranger = show(vec![("X-Booking-Phone", phone())]).await;
    assert_eq!(
        (stranger.status, stranger.error()),
        (403, "not_yours".into())
    );
    assert_eq!(show(vec![]).await.status, 403);

    // Moving to a time the plan does not offer is refused with the domain's reason.
    let body = serde_json::json!({ "slot": slot(tomorrow(), 18, 0) }).to_string();
    let path = server.path(&format!("/bookings/{code}/move"));
    let refused = http(
        server.address,
        "POST",
        &path,
        &[JSON, ("X-Manage-Token", &created.manage_token)],
        Some(body.as_bytes()),
    )
    .await;
    assert_eq!(
        (refused.status, refused.error()),
        (422, "slot_not_offered".into())
    );
    let body = serde_json::json!({ "slot": slot(tomorrow(), 15, 0) }).to_string();
    let moved = http(
        server.address,
        "POST",
        &path,
        &[JSON, ("X-Manage-Token", &created.manage_token)],
        Some(body.as_bytes()),
    )
    .await;
    assert_eq!(moved.status, 200, "{}", moved.text());

    // Booking the same procedure again from another device: refused across devices — and the
    // refusal never names the booking, in any spelling: a phone number proves nothing.
    let again = server.book(&slot(tomorrow(), 16, 0), &number, None).await;
    assert_eq!(
        (again.status, again.error()),
        (409, "already_booked".into())
    );
    let displayed = format!("{}-{}", &code[..3], &code[3..]);
    assert!(
        !again.text().contains(&code) && !again.text().contains(&displayed),
        "{}",
        again.text()
    );
    // The phone alone opens nothing: without the code there is no address to ask, and with a
    // code that is not theirs it is refused.
    let someone_else = server.book(&slot(tomorrow(), 10, 0), &phone(), None).await;
    let someone_else: Created = someone_else.json();
    let path = server.path(&format!("/bookings/{}", someone_else.booking.code));
    let taken_over = http(
        server.address,
        "GET",
        &path,
        &[("X-Booking-Phone", &number)],
        None,
    )
    .await;
    assert_eq!(
        (taken_over.status, taken_over.error()),
        (403, "not_yours".into())
    );
    assert!(!taken_over.text().contains("Nguyễn"));

    let path = server.path(&format!("/bookings/{code}/cancel"));
    let cancelled = http(
        server.address,
        "POST",
        &path,
        &[("X-Manage-Token", &created.manage_token)],
        None,
    )
    .await;
    assert_eq!(
        cancelled.json::<domain::booking::Booking>().status,
        BookingStatus::Cancelled
    );
    let twice = http(
        server.address,
        "POST",
        &path,
        &[("X-Manage-Token", &created.manage_token)],
        None,
    )
    .await;
    assert_eq!((twice.status, twice.error()), (409, "cancelled".into()));
}

#[tokio::test]
async fn an_enrolled_terminal_checks_in_todays_booking_by_its_code_alone() {
    let server = start("check-in", Db::Sqlite, 2, Limits::default()).await;
    let today = station::office_now().date();
    // Stored directly: a booking for today (the API would refuse one inside the notice time).
    let mut today_row = row(&server.station, &slot(today, 7, 0), "K7M4QX0", &phone(), 2);
    today_row.code = domain::booking_code::make_code([1, 2, 3, 4, 5, 6]);
    let code = today_row.code.clone();
    server
        .state
        .store
        .insert_booking(today_row)
        .await
        .expect("today's booking");
    let terminal = server.enrolled_terminal().await;
    let spaced = domain::booking_code::display_code(&code).to_lowercase();
    let reply = http(
        server.address,
        "POST",
        &server.path(&format!("/bookings/{spaced}/check-in")),
        &[("Cookie", &terminal)],
        None,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(
        !reply.text().contains("Trần"),
        "no name to whoever typed the code"
    );
    assert_eq!(
        server
            .state
            .store
            .find(&server.station, &code)
            .await
            .expect("find")
            .map(|s| s.booking.status),
        Some(BookingStatus::Arrived)
    );

    let created: Created = server
        .book(&slot(tomorrow(), 9, 0), &phone(), None)
        .await
        .json();
    let reply = http(
        server.address,
        "POST",
        &server.path(&format!("/bookings/{}/check-in", created.booking.code)),
        &[("Cookie", &terminal)],
        None,
    )
    .await;
    assert_eq!((reply.status, reply.error()), (409, "not_today".into()));

    // A no-show staff set is theirs to undo: typing the code at the terminal does not.
    let mut missed = row(&server.station, &slot(today, 7, 30), "", &phone(), 2);
    missed.code = domain::booking_code::make_code([6, 5, 4, 3, 2, 1]);
    let missed_code = missed.code.clone();
    server
        .state
        .store
        .insert_booking(missed)
        .await
        .expect("booking");
    server
        .state
        .store
        .set_status(
            &server.station,
            &missed_code,
            &[BookingStatus::Booked],
            BookingStatus::NoShow,
            station::now_ms(),
        )
        .await
        .expect("no-show");
    let reply = http(
        server.address,
        "POST",
        &server.path(&format!("/bookings/{missed_code}/check-in")),
        &[("Cookie", &terminal)],
        None,
    )
    .await;
    assert_eq!((reply.status, reply.error()), (409, "wrong_state".into()));
    assert_eq!(
        server
            .state
            .store
            .find(&server.station, &missed_code)
            .await
            .expect("find")
            .map(|s| s.booking.status),
        Some(BookingStatus::NoShow)
    );
}

// ---------------------------------------------------------------------------------------------
// Bad input and abuse

#[tokio::test]
async fn bad_bodies_get_a_plain_4xx_and_nothing_is_stored() {
    let server = start("bad-input", Db::Sqlite, 2, Limits::default()).await;
    let path = server.path("/bookings");
    let wanted = slot(tomorrow(), 8, 0);
    let huge = format!(r#"{{"name": "{}"}}"#, "a".repeat(20_000));
    let wrong_type = booking_body(&wanted, "An", &phone())
        .replace(r#""procedure":"id-card-replace""#, r#""procedure":5"#);
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, String, u16, &'a str);
    let cases: Vec<Case> = vec![
        (
            "malformed",
            vec![JSON],
            "{\"procedure\": ".into(),
            400,
            "bad_request",
        ),
        ("wrong type", vec![JSON], wrong_type, 400, "bad_request"),
        (
            "unknown field",
            vec![JSON],
            booking_body(&wanted, "An", &phone()).replace('}', r#","admin":true}"#),
            400,
            "bad_request",
        ),
        ("too large", vec![JSON], huge, 413, "too_large"),
        (
            "not json",
            vec![("Content-Type", "text/plain")],
            booking_body(&wanted, "An", &phone()),
            415,
            "not_json",
        ),
        (
            "no name",
            vec![JSON],
            booking_body(&wanted, "   ", &phone()),
            422,
            "name_missing",
        ),
        (
            "landline",
            vec![JSON],
            booking_body(&wanted, "An", "0262 3850 000"),
            422,
            "phone_invalid",
        ),
        (
            "control characters",
            vec![JSON],
            booking_body(&wanted, "An\u{7}", &phone()),
            422,
            "name_invalid",
        ),
        (
            "closed hour",
            vec![JSON],
            booking_body(&slot(tomorrow(), 20, 0), "An", &phone()),
            422,
            "slot_not_offered",
        ),
        (
            "old consent",
            vec![JSON],
            booking_body(&wanted, "An", &phone()).replace(CONSENT_VERSION, "2020-01-01"),
            412,
            "consent_outdated",
        ),
        (
            "bad key",
            vec![JSON, ("Idempotency-Key", "short")],
            booking_body(&wanted, "An", &phone()),
            400,
            "bad_idempotency_key",
        ),
    ];
    for (what, headers, body, status, error) in cases {
        let reply = http(
            server.address,
            "POST",
            &path,
            &headers,
            Some(body.as_bytes()),
        )
        .await;
        assert_eq!(
            (reply.status, reply.error()),
            (status, error.to_owned()),
            "{what}: {}",
            reply.text()
        );
        let message: ApiError = reply.json();
        assert!(
            !message.message_vi.is_empty() && !message.message_en.is_empty(),
            "{what}"
        );
    }
    for query in [
        "?procedure=id-card-replace&from=31-12-2026",
        "?from=2026-12-01",
        "?procedure=id-card-replace&to=2030-01-01&from=2026-01-01x",
    ] {
        let reply = http(
            server.address,
            "GET",
            &server.path(&format!("/availability{query}")),
            &[],
            None,
        )
        .await;
        assert_eq!(reply.status, 400, "{query}: {}", reply.text());
    }
    let unknown = http(
        server.address,
        "GET",
        "/api/v1/stations/nowhere/availability?procedure=id-card-replace",
        &[],
        None,
    )
    .await;
    assert_eq!(
        (unknown.status, unknown.error()),
        (404, "unknown_station".into())
    );
    assert_eq!(
        http(server.address, "GET", "/api/v1/nothing-here", &[], None)
            .await
            .status,
        404
    );
    assert!(
        server
            .state
            .store
            .day(&server.station, tomorrow())
            .await
            .expect("day")
            .is_empty(),
        "nothing stored"
    );
}

#[tokio::test]
async fn past_the_limits_answers_429_with_a_wait() {
    let limits = Limits {
        requests_per_minute: 5,
        ..Limits::default()
    };
    let server = start("rate", Db::Sqlite, 2, limits).await;
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(http(server.address, "GET", "/api/v1/health", &[], None).await);
    }
    assert_eq!(
        statuses.iter().map(|r| r.status).collect::<Vec<_>>(),
        [200, 200, 200, 200, 200, 429, 429]
    );
    let limited = &statuses[5];
    assert_eq!(limited.error(), "too_many_requests");
    assert!(limited
        .headers
        .get("retry-after")
        .and_then(|s| s.parse::<u64>().ok())
        .is_some_and(|s| (1..=60).contains(&s)));

    // Guessing phone numbers for a code stops after the allowed failures, even with the right one.
    let limits = Limits {
        manage_failures_per_hour: 3,
        ..Limits::default()
    };
    let server = start("guess", Db::Sqlite, 2, limits).await;
    let number = phone();
    let created: Created = server
        .book(&slot(tomorrow(), 8, 0), &number, None)
        .await
        .json();
    let path = server.path(&format!("/bookings/{}", created.booking.code));
    for _ in 0..3 {
        assert_eq!(
            http(
                server.address,
                "GET",
                &path,
                &[("X-Booking-Phone", &phone())],
                None
            )
            .await
            .status,
            403
        );
    }
    assert_eq!(
        http(
            server.address,
            "GET",
            &path,
            &[("X-Booking-Phone", &number)],
            None
        )
        .await
        .status,
        429
    );

    // One phone, at most three bookings a day.
    let server = start("cap", Db::Sqlite, 2, Limits::default()).await;
    let number = phone();
    for hour in [8u16, 9, 10] {
        let created: Created = server
            .book(&slot(tomorrow(), hour, 0), &number, None)
            .await
            .json();
        let cancel = server.path(&format!("/bookings/{}/cancel", created.booking.code));
        assert_eq!(
            http(
                server.address,
                "POST",
                &cancel,
                &[("X-Manage-Token", &created.manage_token)],
                None
            )
            .await
            .status,
            200
        );
    }
    let fourth = server.book(&slot(tomorrow(), 11, 0), &number, None).await;
    assert_eq!((fourth.status, fourth.error()), (429, "daily_cap".into()));
}

// ---------------------------------------------------------------------------------------------
// Staff: authentication, roles, anti-forgery, throttling, audit

const STAFF_ENDPOINTS: &[(&str, &str)] = &[
    ("POST", "/api/v1/staff/logout"),
    ("GET", "/api/v1/staff/session"),
    ("GET", "/api/v1/staff/day"),
    ("POST", "/api/v1/staff/day/printed"),
    ("GET", "/api/v1/staff/bookings/K7M4QX9"),
    ("POST", "/api/v1/staff/bookings/K7M4QX9/arrived"),
    ("POST", "/api/v1/staff/bookings/K7M4QX9/no-show"),
    ("GET", "/api/v1/staff/accounts"),
    ("POST", "/api/v1/staff/accounts"),
    ("POST", "/api/v1/staff/accounts/someone/disable"),
    ("POST", "/api/v1/staff/accounts/someone/enable"),
    ("POST", "/api/v1/staff/accounts/someone/unlock"),
    ("GET", "/api/v1/staff/logins/waiting"),
    ("GET", "/api/v1/staff/terminals"),
    ("POST", "/api/v1/staff/terminals"),
    ("POST", "/api/v1/staff/terminals/1/revoke"),
    ("GET", "/api/v1/staff/audit"),
    ("GET", "/api/v1/staff/anything-else"),
];

#[tokio::test]
async fn every_staff_endpoint_refuses_without_a_session_and_admin_ones_refuse_officers() {
    let server = start("staff-auth", Db::Sqlite, 2, Limits::default()).await;
    for (method, path) in STAFF_ENDPOINTS {
        for cookie in [None, Some("ck_staff=forged-token")] {
            let headers: Vec<(&str, &str)> =
                cookie.map(|c| vec![("Cookie", c)]).unwrap_or_default();
            let reply = http(server.address, method, path, &headers, Some(b"{}")).await;
            assert_eq!(
                (reply.status, reply.error()),
                (401, "unauthorized".into()),
                "{method} {path}"
            );
        }
    }
    server.add_staff("officer.an", StaffRole::Officer).await;
    let (cookie, csrf) = server.login("officer.an").await;
    for (method, path) in [
        ("GET", "/api/v1/staff/accounts"),
        ("POST", "/api/v1/staff/accounts/officer.an/disable"),
        ("POST", "/api/v1/staff/accounts/officer.an/unlock"),
        ("GET", "/api/v1/staff/logins/waiting"),
        ("GET", "/api/v1/staff/terminals"),
        ("POST", "/api/v1/staff/terminals/1/revoke"),
        ("GET", "/api/v1/staff/audit"),
    ] {
        let reply = http(
            server.address,
            method,
            path,
            &[("Cookie", &cookie), ("X-CSRF-Token", &csrf), JSON],
            Some(b"{}"),
        )
        .await;
        assert_eq!(
            (reply.status, reply.error()),
            (403, "forbidden".into()),
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn staff_see_the_day_mark_arrivals_and_every_action_is_audited() {
    let server = start("staff-day", Db::Sqlite, 2, Limits::default()).await;
    let created: Created = server
        .book(&slot(tomorrow(), 8, 0), &phone(), None)
        .await
        .json();
    server.add_staff("admin", StaffRole::Admin).await;
    let (cookie, csrf) = server.login("admin").await;
    let get = |path: String| {
        let cookie = cookie.clone();
        async move { http(server.address, "GET", &path, &[("Cookie", &cookie)], None).await }
    };
    let day: DayList = get(format!("/api/v1/staff/day?date={}", tomorrow()))
        .await
        .json();
    assert_eq!(
        day.bookings
            .iter()
            .map(|b| b.code.as_str())
            .collect::<Vec<_>>(),
        [created.booking.code.as_str()]
    );
    assert_eq!(
        get("/api/v1/staff/day?date=tomorrow".into()).await.status,
        400
    );

    // A change without the anti-forgery token, or sent by another site, is refused.
    let arrive = format!("/api/v1/staff/bookings/{}/arrived", created.booking.code);
    let forged = http(
        server.address,
        "POST",
        &arrive,
        &[("Cookie", &cookie)],
        None,
    )
    .await;
    assert_eq!((forged.status, forged.error()), (403, "cross_site".into()));
    let cross = http(
        server.address,
        "POST",
        &arrive,
        &[
            ("Cookie", &cookie),
            ("X-CSRF-Token", &csrf),
            ("Sec-Fetch-Site", "cross-site"),
        ],
        None,
    )
    .await;
    assert_eq!(cross.status, 403);
    let evil_origin = http(
        server.address,
        "POST",
        &arrive,
        &[
            ("Cookie", &cookie),
            ("X-CSRF-Token", &csrf),
            ("Origin", "https://evil.example"),
        ],
        None,
    )
    .await;
    assert_eq!(evil_origin.status, 403);
    assert_eq!(
        server
            .state
            .store
            .find(&server.station, &created.booking.code)
            .await
            .expect("find")
            .map(|s| s.booking.status),
        Some(BookingStatus::Booked)
    );

    let ok = http(
        server.address,
        "POST",
        &arrive,
        &[
            ("Cookie", &cookie),
            ("X-CSRF-Token", &csrf),
            ("Sec-Fetch-Site", "same-origin"),
        ],
        None,
    )
    .await;
    assert_eq!(
        ok.json::<domain::booking::Booking>().status,
        BookingStatus::Arrived
    );

    // An admin adds an officer, who can log in, then disables them: their session ends.
    let body =
        r#"{"username": "officer.binh", "password": "mật khẩu đủ dài 1", "role": "officer"}"#
            .as_bytes();
    let added = http(
        server.address,
        "POST",
        "/api/v1/staff/accounts",
        &[("Cookie", &cookie), ("X-CSRF-Token", &csrf), JSON],
        Some(body),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.text());
    let weak = http(
        server.address,
        "POST",
        "/api/v1/staff/accounts",
        &[("Cookie", &cookie), ("X-CSRF-Token", &csrf), JSON],
        Some(br#"{"username": "x.y.z", "password": "short", "role": "officer"}"#),
    )
    .await;
    assert_eq!((weak.status, weak.error()), (400, "weak_password".into()));
    let (officer_cookie, _) = server.login("officer.binh").await;
    assert_eq!(
        http(
            server.address,
            "GET",
            "/api/v1/staff/day",
            &[("Cookie", &officer_cookie)],
            None
        )
        .await
        .status,
        200
    );
    let disabled = http(
        server.address,
        "POST",
        "/api/v1/staff/accounts/officer.binh/disable",
        &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
        None,
    )
    .await;
    assert!(disabled.json::<StaffAccount>().disabled);
    assert_eq!(
        http(
            server.address,
            "GET",
            "/api/v1/staff/day",
            &[("Cookie", &officer_cookie)],
            None
        )
        .await
        .status,
        401
    );

    let logout = http(
        server.address,
        "POST",
        "/api/v1/staff/logout",
        &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
        None,
    )
    .await;
    assert_eq!(logout.status, 204);
    assert_eq!(
        http(
            server.address,
            "GET",
            "/api/v1/staff/session",
            &[("Cookie", &cookie)],
            None
        )
        .await
        .status,
        401
    );

    let log = server
        .state
        .store
        .audit_log(&server.station, None, 50)
        .await
        .expect("log");
    let actions: Vec<&str> = log.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "login",
            "view_day",
            "mark_arrived",
            "add_account",
            "login",
            "view_day",
            "disable_account",
            "logout"
        ]
    );
    // Which date was read, never whose data: the admin's tomorrow, the officer's today.
    let days_read: Vec<Option<String>> = log
        .iter()
        .rev()
        .filter(|e| e.action == "view_day")
        .map(|e| e.subject.clone())
        .collect();
    assert_eq!(
        days_read,
        [
            Some(tomorrow().to_string()),
            Some(station::office_now().date().to_string())
        ]
    );
    assert!(
        log.iter()
            .all(|e| !e.subject.as_deref().unwrap_or("").contains("Nguyễn")),
        "no citizen data in the log"
    );
}

#[tokio::test]
async fn logins_are_throttled_after_repeated_failures() {
    let server = start(
        "throttle",
        Db::Sqlite,
        2,
        Limits {
            login_failures: 3,
            ..Limits::default()
        },
    )
    .await;
    server.add_staff("officer.an", StaffRole::Officer).await;
    let attempt = |password: &str| {
        let body = serde_json::json!({"station": server.station, "username": "officer.an", "password": password}).to_string();
        async move {
            http(
                server.address,
                "POST",
                "/api/v1/staff/login",
                &[JSON],
                Some(body.as_bytes()),
            )
            .await
        }
    };
    for _ in 0..3 {
        let reply = attempt("wrong password").await;
        assert_eq!((reply.status, reply.error()), (401, "login_failed".into()));
    }
    let throttled = attempt("mật khẩu đủ dài 1").await;
    assert_eq!(
        (throttled.status, throttled.error()),
        (429, "too_many_requests".into()),
        "even the right password waits"
    );
    // A login another site makes the browser send is refused.
    let body = serde_json::json!({"station": server.station, "username": "x", "password": "y"})
        .to_string();
    let forged = http(
        server.address,
        "POST",
        "/api/v1/staff/login",
        &[JSON, ("Sec-Fetch-Site", "cross-site")],
        Some(body.as_bytes()),
    )
    .await;
    assert_eq!(forged.status, 403);
}

// ---------------------------------------------------------------------------------------------
// Serving the app

#[tokio::test]
async fn the_app_is_served_with_its_headers_and_nothing_outside_dist() {
    let server = start("static", Db::Sqlite, 2, Limits::default()).await;
    let page = http(
        server.address,
        "GET",
        "/services/id-card-replace",
        &[],
        None,
    )
    .await;
    assert_eq!(
        (page.status, page.text().contains("<title>app</title>")),
        (200, true),
        "app routes get the app"
    );
    for (header, value) in [
        ("content-security-policy", "frame-ancestors 'none'"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("permissions-policy", "camera=(self)"),
    ] {
        assert!(
            page.headers.get(header).is_some_and(|v| v.contains(value)),
            "{header}: {:?}",
            page.headers.get(header)
        );
    }
    assert!(
        !page.headers.contains_key("strict-transport-security"),
        "HSTS only behind https"
    );
    // A page that shows procedures has them preloaded; the home page does not wait for them.
    assert!(
        page.headers
            .get("link")
            .is_some_and(|l| l.contains("</data/procedures.json>; rel=preload")),
        "{:?}",
        page.headers.get("link")
    );
    let home = http(server.address, "GET", "/", &[], None).await;
    assert_eq!((home.status, home.headers.get("link")), (200, None));
    assert_eq!(
        http(server.address, "GET", "/missing.js", &[], None)
            .await
            .status,
        404,
        "a missing asset stays a 404"
    );

    let wasm = http(
        server.address,
        "GET",
        "/app-0123456789abcdef_bg.wasm",
        &[("Accept-Encoding", "gzip, br")],
        None,
    )
    .await;
    assert_eq!(
        (
            wasm.headers.get("content-encoding").map(String::as_str),
            wasm.body.as_slice()
        ),
        (Some("br"), b"br-copy".as_slice())
    );
    assert_eq!(
        wasm.headers.get("vary").map(String::as_str),
        Some("accept-encoding"),
        "caches keep each encoding apart"
    );
    assert!(wasm
        .headers
        .get("cache-control")
        .is_some_and(|c| c.contains("immutable")));
    let plain = http(
        server.address,
        "GET",
        "/app-0123456789abcdef_bg.wasm",
        &[],
        None,
    )
    .await;
    assert_eq!(plain.body, b"\0asm-plain");
    let data = http(
        server.address,
        "GET",
        "/data/schedule.json",
        &[("Accept-Encoding", "br")],
        None,
    )
    .await;
    assert_eq!(
        data.headers.get("content-encoding").map(String::as_str),
        Some("br"),
        "data compressed as sent"
    );
    assert!(data
        .headers
        .get("cache-control")
        .is_some_and(|c| c == "no-cache"));

    for path in [
        "/..%2fdist-old%2fsecret.txt",
        "/../dist-old/secret.txt",
        "/%2e%2e/dist-old/secret.txt",
        "/data/..%2f..%2fdist-old%2fsecret.txt",
        "/%",
        "/%c0%ae%c0%ae/dist-old/secret.txt",
    ] {
        let reply = http(server.address, "GET", path, &[], None).await;
        assert!(!reply.text().contains("must never be served"), "{path}");
        assert!(reply.status < 500, "{path}: {}", reply.status);
    }
    // The server is still up after all of that.
    assert_eq!(
        http(server.address, "GET", "/api/v1/health", &[], None)
            .await
            .status,
        200
    );
    let api = http(server.address, "GET", "/api/v1/health", &[], None).await;
    assert_eq!(
        api.headers.get("cache-control").map(String::as_str),
        Some("no-store")
    );
}

// ---------------------------------------------------------------------------------------------
// The binary, as scripts/serve runs it

// Guards the end-to-end tests' pinned "today": a browser whose clock is set to 30/11/2026 06:45
// and the server must agree on which times can still be booked.
#[tokio::test]
async fn a_station_clock_set_for_tests_governs_what_can_be_booked() {
    let dir = scratch("clock");
    write_site(&dir, 2);
    let station = station_id("clock");
    let database = database_address(Db::Sqlite, &dir);
    let (mut child, address) = spawn_binary(
        &dir,
        &database,
        &station,
        &[("STATION_CLOCK_START", "2026-11-30T06:45:00+07:00")],
    );
    let path =
        format!("/api/v1/stations/{station}/availability?procedure=id-card-replace&to=2026-11-30");
    let reply = http(address, "GET", &path, &[], None).await;
    let _ = child.kill();
    let _ = child.wait();
    let availability: Availability = reply.json();
    let first = availability.slots().next().map(|(slot, _)| slot);
    assert_eq!(
        first,
        Some(slot(
            NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
            9,
            0
        )),
        "two hours' notice after 06:45"
    );
    let said = refused_start(&dir, &database, &[("STATION_CLOCK_START", "30/11/2026")]);
    assert!(
        said.contains("STATION_CLOCK_START must look like"),
        "{said}"
    );
}

/// Runs the binary, which must refuse to start; returns what it said.
fn refused_start(dir: &Path, database: &str, extra: &[(&str, &str)]) -> String {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_station-server"));
    command
        .env("BIND", "127.0.0.1:0")
        .env("DIST", dir.join("dist"))
        .env("DATABASE_URL", database);
    for (name, value) in extra {
        command.env(name, value);
    }
    let output = command.output().expect("run");
    assert!(!output.status.success(), "it started");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Durability: kill -9 during a booking load

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_booking_answered_201_survives_kill_9() {
    for db in databases() {
        let dir = scratch("kill");
        write_site(&dir, 50);
        let station = station_id("kill");
        let database = database_address(db, &dir);
        let spawn = || spawn_binary(&dir, &database, &station, &[]);
        let (mut child, address) = spawn();
        let answered = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        // Told when a few hundred bookings have been answered: the kill comes mid-load.
        let enough = Arc::new(tokio::sync::Notify::new());
        let finished = Arc::new(AtomicU32::new(0));
        let mut load = Vec::new();
        for worker in 0..16 {
            let (answered, station, enough, finished) = (
                answered.clone(),
                station.clone(),
                enough.clone(),
                finished.clone(),
            );
            load.push(tokio::spawn(async move {
                // However this worker ends, the test is told, so it can never wait forever.
                struct Done(Arc<AtomicU32>, Arc<tokio::sync::Notify>);
                impl Drop for Done {
                    fn drop(&mut self) {
                        if self.0.fetch_add(1, Ordering::SeqCst) + 1 == 16 {
                            self.1.notify_one();
                        }
                    }
                }
                let _done = Done(finished, enough.clone());
                for i in 0..1_000u32 {
                    let day = tomorrow() + TimeDelta::days(i64::from((i + worker) % 20));
                    let body = booking_body(&slot(day, 7 + (i % 10) as u16, 0), "Lê Thị Mai", &phone());
                    let path = format!("/api/v1/stations/{station}/bookings");
                    let Ok(Ok(mut stream)) = tokio::time::timeout(std::time::Duration::from_secs(2), tokio::net::TcpStream::connect(address)).await else {
                        return;
                    };
                    let request = format!(
                        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if stream.write_all(request.as_bytes()).await.is_err() {
                        return;
                    }
                    let mut raw = Vec::new();
                    if stream.read_to_end(&mut raw).await.is_err() {
                        return;
                    }
                    let text = String::from_utf8_lossy(&raw);
                    if text.starts_with("HTTP/1.1 201") {
                        if let Some(json) = text.split("\r\n\r\n").nth(1) {
                            if let Ok(created) = serde_json::from_str::<Created>(json) {
                                let mut codes = answered.lock().expect("lock");
                                codes.push(created.booking.code);
                                if codes.len() == 300 {
                                    enough.notify_one();
                                }
                            }
                        }
                    }
                }
            }));
        }
        enough.notified().await;
        assert!(
            answered.lock().expect("lock").len() >= 300,
            "{db:?}: the load ended before 300 bookings were answered"
        );
        let pid = child.id().to_string();
        std::process::Command::new("kill")
            .args(["-9", &pid])
            .status()
            .expect("kill -9");
        let _ = child.wait();
        for task in load {
            let _ = task.await;
        }
        let codes = answered.lock().expect("lock").clone();
        assert!(codes.len() >= 300, "{db:?}");
        let (mut child, _) = spawn();
        let book = store::open(&database).await.expect("reopen");
        let mut missing = Vec::new();
        for code in &codes {
            if book.find(&station, code).await.expect("find").is_none() {
                missing.push(code.clone());
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            missing.is_empty(),
            "{db:?}: {} of {} answered bookings lost: {missing:?}",
            missing.len(),
            codes.len()
        );
        eprintln!(
            "{db:?}: {} bookings answered 201 before kill -9, all present after restart",
            codes.len()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// A province: several stations on one server; retention; the staff account command

/// A province's server on a free loopback port, on SQLite: two stations, each with its own
/// data folder and host name (id, data folder, host).
async fn start_province(
    dir: &Path,
    stations: [(String, PathBuf, &str); 2],
    behind_https: bool,
) -> SocketAddr {
    let config = ServerConfig {
        dist: dir.join("dist"),
        stations: stations
            .into_iter()
            .map(|(id, data_dir, host)| StationConfig {
                id,
                data_dir,
                hosts: vec![host.into()],
                retention_days: 30,
                questions: Default::default(),
            })
            .collect(),
        behind_https,
        trust_proxy: false,
        limits: Limits::default(),
    };
    let state = station::build_state(config, &database_address(Db::Sqlite, dir))
        .await
        .expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let address = listener.local_addr().expect("address");
    tokio::spawn(station::serve(state, listener));
    address
}

/// The whole answer (headers and body) to `GET path` sent with `Host: host`.
async fn get_as_host(address: SocketAddr, host: &str, path: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.expect("read");
    raw
}

#[tokio::test]
async fn each_host_gets_its_own_station_data_and_book() {
    let dir = scratch("province");
    write_site(&dir, 2);
    // A second station with its own data files and capacity.
    let other = dir.join("other-data");
    std::fs::create_dir_all(&other).expect("folder");
    let plan = std::fs::read_to_string(dir.join("dist/data/schedule.json")).expect("plan");
    std::fs::write(
        other.join("schedule.json"),
        plan.replace(r#""capacity_per_slot": 2"#, r#""capacity_per_slot": 7"#),
    )
    .expect("plan");
    std::fs::write(other.join("station.json"), r#"{"the": "other station"}"#).expect("station");
    std::fs::write(
        dir.join("dist/data/station.json"),
        r#"{"the": "first station"}"#,
    )
    .expect("station");
    let (first, second) = (station_id("first"), station_id("second"));
    let address = start_province(
        &dir,
        [
            (first.clone(), dir.join("dist/data"), "first.example"),
            (second.clone(), other, "second.example"),
        ],
        true,
    )
    .await;
    assert!(
        get_as_host(address, "second.example:443", "/data/station.json")
            .await
            .contains("other station")
    );
    assert!(get_as_host(address, "first.example", "/data/station.json")
        .await
        .contains("first station"));
    assert!(
        get_as_host(address, "unlisted.example", "/data/station.json")
            .await
            .contains("first station"),
        "the first is the default"
    );
    assert!(get_as_host(address, "second.example", "/api/v1/health")
        .await
        .contains(&format!(r#""station":"{second}""#)));
    let second_plan = get_as_host(address, "second.example", "/api/v1/health").await;
    assert!(
        second_plan
            .to_ascii_lowercase()
            .contains("strict-transport-security: max-age="),
        "HSTS behind https"
    );
    assert!(get_as_host(address, "first.example", "/api/v1/health")
        .await
        .contains(&format!(r#""station":"{first}""#)));
    let availability = get_as_host(
        address,
        "x",
        &format!("/api/v1/stations/{second}/availability?procedure=id-card-replace"),
    )
    .await;
    assert!(
        availability.contains(r#""capacity":7"#),
        "each station its own plan"
    );
}

#[tokio::test]
async fn each_host_gets_the_pages_drawn_from_its_own_station_data() {
    let dir = scratch("drawn");
    write_site(&dir, 2);
    std::fs::write(
        dir.join("dist/shell.html"),
        r#"<!DOCTYPE html><title>app</title><link rel="preload" href="/app_bg.wasm" as="fetch" type="application/wasm"><div id="static-fallback" class="static-fallback"><h1>fallback</h1><p id="app-unsupported" hidden>cannot run</p></div><div id="app"></div>"#,
    )
    .expect("shell");
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/data/station.json"),
    )
    .expect("sample station");
    let named = |name: &str| sample.replace("Công an phường Tân Lập", name);
    std::fs::write(dir.join("dist/data/station.json"), named("Công an xã Một")).expect("first");
    let other = dir.join("other-data");
    std::fs::create_dir_all(&other).expect("folder");
    std::fs::copy(
        dir.join("dist/data/schedule.json"),
        other.join("schedule.json"),
    )
    .expect("plan");
    std::fs::write(other.join("station.json"), named("Công an xã Hai")).expect("second");
    let address = start_province(
        &dir,
        [
            (station_id("one"), dir.join("dist/data"), "one.example"),
            (station_id("two"), other.clone(), "two.example"),
        ],
        false,
    )
    .await;
    let first = get_as_host(address, "one.example", "/contact").await;
    assert!(
        first.contains("<title>Liên hệ – Công an xã Một</title>"),
        "{first}"
    );
    assert!(first.contains(r#"<div id="prerendered">"#) && !first.contains("fallback</h1>"));
    let second = get_as_host(address, "two.example", "/contact").await;
    assert!(second.contains("<title>Liên hệ – Công an xã Hai</title>"));
    // An edit shows at the next request; a broken file gets the plain page, not a wrong one.
    std::fs::write(other.join("station.json"), named("Công an xã Ba")).expect("edit");
    assert!(get_as_host(address, "two.example", "/contact")
        .await
        .contains("Công an xã Ba"));
    std::fs::write(other.join("station.json"), "{ broken").expect("break");
    let plain = get_as_host(address, "two.example", "/contact").await;
    assert!(plain.contains("fallback</h1>") && !plain.contains("prerendered"));
    // Addresses that depend on the device get the plain page.
    let form = get_as_host(address, "one.example", "/forms/DC02").await;
    assert!(form.contains("fallback</h1>") && !form.contains("prerendered"));
    // A form page starts the forms bundle: no hint to fetch the citizens' wasm; others keep it.
    assert!(!form.contains("app_bg.wasm"), "{form}");
    let bookings = get_as_host(address, "one.example", "/bookings").await;
    assert!(bookings.contains(r#"href="/app_bg.wasm""#), "{bookings}");
    let kiosk_form = get_as_host(address, "one.example", "/forms/DC02?kiosk=1").await;
    assert!(
        kiosk_form.contains(r#"href="/app_bg.wasm""#),
        "a kiosk starts the station bundle"
    );
}

#[tokio::test]
async fn housekeeping_erases_name_and_phone_past_the_stations_retention() {
    let server = start("retention", Db::Sqlite, 2, Limits::default()).await;
    let today = station::office_now().date();
    let old_day = today - TimeDelta::days(31);
    let recent_day = today - TimeDelta::days(29);
    let mut old = row(
        &server.station,
        &slot(old_day, 8, 0),
        "OLD0001",
        &phone(),
        2,
    );
    old.code = domain::booking_code::make_code([9, 9, 9, 9, 9, 1]);
    let mut recent = row(
        &server.station,
        &slot(recent_day, 8, 0),
        "NEW0001",
        &phone(),
        2,
    );
    recent.code = domain::booking_code::make_code([9, 9, 9, 9, 9, 2]);
    let (old_code, recent_code) = (old.code.clone(), recent.code.clone());
    server.state.store.insert_booking(old).await.expect("old");
    server
        .state
        .store
        .insert_booking(recent)
        .await
        .expect("recent");
    station::housekeeping(&server.state).await;
    // Read straight from the file, as anyone holding the database would.
    let conn = rusqlite::Connection::open(&server.database).expect("open");
    let personal = |code: &str| -> (Option<String>, Option<String>) {
        conn.query_row(
            "SELECT name, phone FROM bookings WHERE code = ?1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("row")
    };
    assert_eq!(
        personal(&old_code),
        (None, None),
        "31 days after: no name or phone left"
    );
    assert!(personal(&recent_code).0.is_some(), "29 days after: kept");
}

#[test]
fn staff_accounts_are_made_on_the_command_line_with_a_password_from_standard_input() {
    use std::io::Write;
    let dir = scratch("add-staff");
    write_site(&dir, 2);
    let database = database_address(Db::Sqlite, &dir);
    let add = |password: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_station-server"))
            .args([
                "add-staff",
                "--station",
                "sample",
                "--username",
                "officer.an",
                "--role",
                "admin",
            ])
            .env("DATABASE_URL", &database)
            .env("DIST", dir.join("dist"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(password.as_bytes())
            .expect("password");
        child.wait_with_output().expect("run")
    };
    let short = add("short\n");
    assert!(!short.status.success(), "a short password is refused");
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10"));
    let made = add("mật khẩu đủ dài 1\n");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let conn = rusqlite::Connection::open(&database).expect("open");
    let (hash, role): (String, String) = conn
        .query_row(
            "SELECT password_hash, role FROM staff_accounts WHERE username = 'officer.an'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("account");
    assert!(
        hash.starts_with("$argon2id$") && !hash.contains("mật khẩu"),
        "stored as an argon2id hash"
    );
    assert_eq!(role, "admin");
    assert!(
        !add("mật khẩu đủ dài 1\n").status.success(),
        "the same name twice is refused"
    );
}
