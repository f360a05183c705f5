//! The content desk (#28) tested for real, on SQLite and on the PostgreSQL cluster scripts/test
//! starts: a draft is invisible to citizens until a second account approves it; the author
//! cannot approve; an invalid edit is refused with check-data's own finding; two editors
//! changing the same thing — the second is told (412), also when both approve at once; a
//! restore brings an earlier file back byte for byte; a closure lists the bookings it touches
//! and takes the day out of booking and the queue (a part-day one only its hours); a second
//! server with its own folder and a hand edit on the server are brought in; every step audited
//! — and the desk's addresses attacked as an outsider would (no session, no editor right,
//! oversized and malformed drafts).
//!
//! Run: `cargo test -p civic-server --test content`.

use std::sync::Arc;

use domain::content_desk::{ContentOverview, ContentRefused, Draft, Published, RevisionInfo};
use domain::station_api::StaffRole;
use server::store::Store;

mod support;
use support::*;

/// The sample station's files beside the test's working plan, so check-data's rules see a
/// whole station.
fn with_sample_files(server: &TestServer) -> std::path::PathBuf {
    let dir = server.state.stations[&server.station]
        .config
        .data_dir
        .clone();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/data");
    for file in ["station.json", "procedures.json", "forms.json", "news.json"] {
        std::fs::copy(sample.join(file), dir.join(file)).expect("sample file");
    }
    // The app's page, so the pages drawn ahead are drawn into it.
    let shell = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../index.html");
    std::fs::copy(shell, dir.join("../shell.html")).expect("shell");
    dir
}

/// A staff session: cookie and anti-forgery token.
struct Desk(String, String);

impl Desk {
    async fn new(server: &TestServer, username: &str, role: StaffRole, editor: bool) -> Desk {
        server.add_staff(username, role).await;
        if editor {
            server
                .state
                .store
                .set_editor(&server.station, username, true)
                .await
                .expect("editor");
        }
        let (cookie, csrf) = server.login(username).await;
        Desk(cookie, csrf)
    }

    async fn send(
        &self,
        server: &TestServer,
        method: &str,
        path: &str,
        extra: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Reply {
        let mut headers = vec![
            ("Cookie", self.0.as_str()),
            ("X-CSRF-Token", self.1.as_str()),
            JSON,
        ];
        headers.extend_from_slice(extra);
        http(
            server.address,
            method,
            &format!("/api/v1/staff{path}"),
            &headers,
            body,
        )
        .await
    }

    async fn overview(&self, server: &TestServer) -> ContentOverview {
        let reply = self.send(server, "GET", "/content", &[], None).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()
    }

    async fn draft(
        &self,
        server: &TestServer,
        section: &str,
        base: i64,
        value: serde_json::Value,
    ) -> Reply {
        let body = serde_json::json!({ "section": section, "base_revision": base, "value": value, "note": "test" })
            .to_string();
        self.send(
            server,
            "POST",
            "/content/drafts",
            &[],
            Some(body.as_bytes()),
        )
        .await
    }

    async fn approve(&self, server: &TestServer, id: i64, revision: i64) -> Reply {
        let tag = format!("\"{revision}\"");
        self.send(
            server,
            "POST",
            &format!("/content/drafts/{id}/approve"),
            &[("If-Match", &tag)],
            None,
        )
        .await
    }
}

/// The sample news with one warning added at the top.
fn news_with(title_vi: &str, published: &str) -> serde_json::Value {
    let sample: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/data/news.json"),
        )
        .expect("news"),
    )
    .expect("json");
    let mut items = sample["items"].as_array().expect("items").clone();
    items.insert(
        0,
        serde_json::json!({
            "kind": "warning",
            "published": published,
            "title": { "vi": title_vi, "en": "Fake traffic fine messages" },
            "body": { "vi": "Không bấm vào đường link trong tin nhắn phạt nguội.", "en": "Do not open links in fine messages." }
        }),
    );
    serde_json::json!({ "items": items })
}

/// The station's places on `date` (ISO) for the ID card's replacement, as a citizen asks.
async fn availability(server: &TestServer, date: &str) -> Reply {
    http(
        server.address,
        "GET",
        &server.path(&format!(
            "/availability?procedure=id-card-replace&from={date}&to={date}"
        )),
        &[],
        None,
    )
    .await
}

async fn served(server: &TestServer, path: &str) -> String {
    let reply = http(server.address, "GET", path, &[], None).await;
    assert_eq!(reply.status, 200, "{path}");
    reply.text()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_draft_reaches_citizens_only_when_a_second_officer_approves_it() {
    for db in databases() {
        let server = start("content-approve", db, 2, no_limits()).await;
        with_sample_files(&server);
        let author = Desk::new(&server, "editor.an", StaffRole::Officer, true).await;
        let second = Desk::new(&server, "editor.binh", StaffRole::Officer, true).await;
        let officer = Desk::new(&server, "officer.chi", StaffRole::Officer, false).await;
        let before = served(&server, "/data/news.json").await;

        let title = "Cảnh báo tin nhắn phạt nguội giả";
        let reply = author
            .draft(&server, "news", 0, news_with(title, "2026-12-01"))
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        let draft: Draft = reply.json();
        assert!(
            draft
                .difference
                .contains(&format!("+        \"vi\": \"{title}\"")),
            "{}",
            draft.difference
        );
        // Not yet: the file citizens load, and the page drawn ahead, are as they were.
        assert_eq!(served(&server, "/data/news.json").await, before);
        assert!(!served(&server, "/news").await.contains(title));

        // The author cannot approve; an officer without the desk can do nothing with it.
        let reply = author.approve(&server, draft.id, 0).await;
        assert_eq!(
            (reply.status, reply.error().as_str()),
            (403, "second_officer_needed")
        );
        let reply = officer.approve(&server, draft.id, 0).await;
        assert_eq!((reply.status, reply.error().as_str()), (403, "not_editor"));
        let reply = officer
            .draft(&server, "news", 0, news_with("x", "2026-12-01"))
            .await;
        assert_eq!((reply.status, reply.error().as_str()), (403, "not_editor"));
        assert_eq!(
            officer
                .send(&server, "GET", "/content", &[], None)
                .await
                .status,
            403
        );
        assert_eq!(served(&server, "/data/news.json").await, before);

        let reply = second.approve(&server, draft.id, 0).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let published: Published = reply.json();
        assert_eq!(
            (published.file.as_str(), published.revision),
            ("news.json", 1)
        );
        assert!(served(&server, "/data/news.json").await.contains(title));
        assert!(
            served(&server, "/news").await.contains(title),
            "the page drawn ahead uses it at once"
        );
        // Approved once: a second approval is refused.
        let reply = second.approve(&server, draft.id, 1).await;
        assert_eq!(
            (reply.status, reply.error().as_str()),
            (409, "draft_closed")
        );

        let overview = second.overview(&server).await;
        let news = overview
            .files
            .iter()
            .find(|f| f.file == "news.json")
            .expect("news");
        assert_eq!(news.revision, 1);
        let listed = overview
            .drafts
            .iter()
            .find(|d| d.id == draft.id)
            .expect("listed");
        assert_eq!(listed.decided_by.as_deref(), Some("editor.binh"));
        assert_eq!(listed.revision, Some(1));

        let reply = second
            .send(&server, "GET", "/content/revisions/news.json", &[], None)
            .await;
        let revisions: Vec<RevisionInfo> = reply.json();
        let kinds: Vec<(i64, &str, Option<&str>, Option<&str>)> = revisions
            .iter()
            .map(|r| {
                (
                    r.revision,
                    r.change.as_str(),
                    r.drafted_by.as_deref(),
                    r.approved_by.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            kinds,
            [
                (1, "news", Some("editor.an"), Some("editor.binh")),
                (0, "original", None, None)
            ]
        );
        let audit = server
            .state
            .store
            .audit_log(&server.station, None, 50)
            .await
            .expect("audit");
        let actions: Vec<(&str, &str)> = audit
            .iter()
            .filter(|e| e.action.starts_with("content_"))
            .map(|e| (e.actor.as_str(), e.action.as_str()))
            .collect();
        assert_eq!(
            actions,
            [
                ("editor.binh", "content_approve"),
                ("editor.an", "content_draft")
            ]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_invalid_edit_is_refused_with_check_datas_own_finding_and_nothing_is_kept() {
    for db in databases() {
        let server = start("content-invalid", db, 2, no_limits()).await;
        let dir = with_sample_files(&server);
        let editor = Desk::new(&server, "editor.an", StaffRole::Officer, true).await;
        let value = news_with("Tin có ngày sai", "2026-13-01");
        let reply = editor.draft(&server, "news", 0, value.clone()).await;
        assert_eq!(reply.status, 422, "{}", reply.text());
        let refused: ContentRefused = reply.json();
        // What check-data (domain::site_check, the same function) says of the file as it would be.
        let mut file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("news.json")).expect("news"))
                .expect("json");
        file["items"] = value["items"].clone();
        let text = serde_json::to_string_pretty(&file).expect("text");
        let check = domain::site_check::check_site(
            |name| {
                let name = name.trim_start_matches("data/");
                if name == "news.json" {
                    Some(text.clone())
                } else {
                    std::fs::read_to_string(dir.join(name)).ok()
                }
            },
            server::office_now().date(),
        );
        let expected = server::content::problems_of(&check);
        let wanted = expected
            .iter()
            .find(|p| p.field == "news.json:items[0].published")
            .expect("check-data names the field");
        assert!(refused.problems.contains(wanted), "{:?}", refused.problems);
        assert!(wanted.message_vi.contains("2026-13-01") && wanted.error);
        assert!(
            editor.overview(&server).await.drafts.is_empty(),
            "nothing kept"
        );

        // A key outside the section, an unknown field, and a draft that changes nothing.
        let reply = editor
            .draft(&server, "news", 0, serde_json::json!({ "name": "x" }))
            .await;
        assert_eq!(reply.status, 400, "{}", reply.text());
        let body = br#"{"section": "news", "base_revision": 0, "value": {}, "extra": 1}"#;
        let reply = editor
            .send(&server, "POST", "/content/drafts", &[], Some(body))
            .await;
        assert_eq!(reply.status, 400, "{}", reply.text());
        let body = br#"{"section": "procedures", "base_revision": 0, "value": {}}"#;
        let reply = editor
            .send(&server, "POST", "/content/drafts", &[], Some(body))
            .await;
        assert_eq!(reply.status, 400, "{}", reply.text());
        let same: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("news.json")).expect("news"))
                .expect("json");
        let reply = editor
            .draft(
                &server,
                "news",
                0,
                serde_json::json!({ "items": same["items"] }),
            )
            .await;
        assert_eq!(reply.status, 400, "{}", reply.text());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_editors_changing_the_same_file_the_second_is_told_not_overwritten() {
    for db in databases() {
        let server = Arc::new(start("content-race", db, 2, no_limits()).await);
        with_sample_files(&server);
        let an = Desk::new(&server, "editor.an", StaffRole::Officer, true).await;
        let binh = Desk::new(&server, "editor.binh", StaffRole::Officer, true).await;
        let chi = Arc::new(Desk::new(&server, "editor.chi", StaffRole::Officer, true).await);
        let first: Draft = an
            .draft(&server, "news", 0, news_with("Tin thứ nhất", "2026-12-01"))
            .await
            .json();
        let second: Draft = binh
            .draft(&server, "news", 0, news_with("Tin thứ hai", "2026-12-02"))
            .await
            .json();
        // Both approved at the same moment: one is published, the other told.
        let tasks: Vec<_> = [first.id, second.id]
            .into_iter()
            .map(|id| {
                let (server, chi) = (server.clone(), chi.clone());
                tokio::spawn(async move { chi.approve(&server, id, 0).await })
            })
            .collect();
        let mut statuses = Vec::new();
        for task in tasks {
            let reply = task.await.expect("task");
            if reply.status == 412 {
                assert_eq!(reply.error(), "content_changed");
            }
            statuses.push(reply.status);
        }
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 412]);
        let news = served(&server, "/data/news.json").await;
        assert!(
            news.contains("Tin thứ nhất") != news.contains("Tin thứ hai"),
            "exactly one published"
        );

        // A draft from an old revision, and an approval naming an old revision, are told too.
        let reply = an
            .draft(&server, "news", 0, news_with("Tin thứ ba", "2026-12-03"))
            .await;
        assert_eq!(
            (reply.status, reply.error().as_str()),
            (412, "content_changed")
        );
        let third: Draft = an
            .draft(&server, "news", 1, news_with("Tin thứ ba", "2026-12-03"))
            .await
            .json();
        let reply = binh.approve(&server, third.id, 0).await;
        assert_eq!(reply.status, 412);
        assert_eq!(binh.approve(&server, third.id, 1).await.status, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_restore_brings_an_earlier_file_back_byte_for_byte() {
    for db in databases() {
        let server = start("content-restore", db, 2, no_limits()).await;
        let dir = with_sample_files(&server);
        let original = std::fs::read(dir.join("news.json")).expect("original");
        let an = Desk::new(&server, "editor.an", StaffRole::Officer, true).await;
        let binh = Desk::new(&server, "editor.binh", StaffRole::Officer, true).await;
        let draft: Draft = an
            .draft(&server, "news", 0, news_with("Tin sẽ gỡ", "2026-12-01"))
            .await
            .json();
        assert_eq!(binh.approve(&server, draft.id, 0).await.status, 200);
        assert_ne!(
            std::fs::read(dir.join("news.json")).expect("news"),
            original
        );
        assert_eq!(
            std::fs::read(dir.join("news.json.previous")).expect("kept"),
            original
        );

        // Without If-Match, or with a stale one: refused.
        let restore = "/content/revisions/news.json/0/restore";
        assert_eq!(
            an.send(&server, "POST", restore, &[], None).await.status,
            400
        );
        assert_eq!(
            an.send(&server, "POST", restore, &[("If-Match", "\"0\"")], None)
                .await
                .status,
            412
        );
        let reply = an
            .send(&server, "POST", restore, &[("If-Match", "\"1\"")], None)
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.json::<Published>().revision, 2);
        assert_eq!(
            std::fs::read(dir.join("news.json")).expect("news"),
            original
        );
        assert_eq!(
            served(&server, "/data/news.json").await.as_bytes(),
            original.as_slice()
        );

        // Each revision says what it changed from the one before.
        let reply = an
            .send(&server, "GET", "/content/revisions/news.json/2", &[], None)
            .await;
        let view: serde_json::Value = reply.json();
        assert_eq!(view["info"]["change"], "restore");
        assert!(view["difference"]
            .as_str()
            .expect("difference")
            .contains("-        \"vi\": \"Tin sẽ gỡ\""));
        assert_eq!(
            view["text"].as_str().expect("text").as_bytes(),
            original.as_slice()
        );
        let audit = server
            .state
            .store
            .audit_log(&server.station, Some("editor.an"), 10)
            .await
            .expect("audit");
        assert_eq!(audit[0].action, "content_restore");
        // Only the desk's files, only existing revisions.
        assert_eq!(
            an.send(
                &server,
                "GET",
                "/content/revisions/procedures.json",
                &[],
                None
            )
            .await
            .status,
            404
        );
        assert_eq!(
            an.send(&server, "GET", "/content/revisions/news.json/9", &[], None)
                .await
                .status,
            404
        );
        assert_eq!(
            an.send(
                &server,
                "GET",
                "/content/revisions/..%2Fsecret/0",
                &[],
                None
            )
            .await
            .status,
            404
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_closure_lists_the_bookings_it_touches_and_takes_the_day_out_of_booking_and_the_queue() {
    for db in databases() {
        let server = start("content-closure", db, 2, no_limits()).await;
        with_sample_files(&server);
        let an = Desk::new(&server, "editor.an", StaffRole::Officer, true).await;
        let admin = Desk::new(&server, "admin.dung", StaffRole::Admin, false).await;
        let day = tomorrow();
        let booked = server.book(&slot(day, 8, 0), &phone(), None).await;
        assert_eq!(booked.status, 201, "{}", booked.text());
        let code = booked.json::<serde_json::Value>()["booking"]["code"]
            .as_str()
            .expect("code")
            .to_owned();

        let date = domain::time::format_iso_date(day);
        let today = domain::time::format_iso_date(server::office_now().date());
        let closure = serde_json::json!({ "closures": [{ "from": today, "to": date,
            "reason": { "vi": "Tập huấn nghiệp vụ", "en": "Staff training" } }] });
        let reply = an.draft(&server, "closures", 0, closure.clone()).await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        let draft: Draft = reply.json();
        let touched: Vec<(&str, &str, &str)> = draft
            .touched_bookings
            .iter()
            .map(|b| (b.code.as_str(), b.start.as_str(), b.name.as_str()))
            .collect();
        assert_eq!(touched, [(code.as_str(), "08:00", "Nguyễn Thị Hồng Nhung")]);

        // A closure is urgent: where the admin allows it, its author publishes it alone.
        assert_eq!(an.approve(&server, draft.id, 0).await.status, 403);
        let allow = br#"{"closures_one_step": true}"#;
        assert_eq!(
            an.send(&server, "PUT", "/content/settings", &[], Some(allow))
                .await
                .status,
            403
        );
        assert_eq!(
            admin
                .send(&server, "PUT", "/content/settings", &[], Some(allow))
                .await
                .status,
            200
        );
        let reply = an.approve(&server, draft.id, 0).await;
        assert_eq!(reply.status, 200, "{}", reply.text());

        // The day is out of booking at once.
        let availability = availability(&server, &date).await;
        assert_eq!(availability.status, 200, "{}", availability.text());
        assert!(
            !availability.text().contains("\"08:00\""),
            "{}",
            availability.text()
        );
        let again = server.book(&slot(day, 9, 0), &phone(), None).await;
        assert_eq!(again.status, 422, "{}", again.text());

        // And out of the queue: today is closed too.
        let terminal = server.enrolled_terminal().await;
        let body = br#"{"procedure": "id-card-replace", "priority": false}"#;
        let reply = http(
            server.address,
            "POST",
            &server.path("/queue/tickets"),
            &[("Cookie", &terminal), JSON],
            Some(body),
        )
        .await;
        assert_eq!(
            (reply.status, reply.error().as_str()),
            (409, "closed_today")
        );
        assert!(reply.text().contains("Tập huấn nghiệp vụ"));
    }
}

// "Closed this afternoon": only the afternoon's bookings are listed, only its times leave
// booking, and the queue refuses numbers only inside the closed hours.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_part_day_closure_touches_only_its_hours() {
    for db in databases() {
        let server = start("content-part-day", db, 2, no_limits()).await;
        with_sample_files(&server);
        let an = Desk::new(&server, "editor.an", StaffRole::Officer, true).await;
        let binh = Desk::new(&server, "editor.binh", StaffRole::Officer, true).await;
        let terminal = server.enrolled_terminal().await;
        let take_number = || async {
            let body = br#"{"procedure": "id-card-replace", "priority": false}"#;
            http(
                server.address,
                "POST",
                &server.path("/queue/tickets"),
                &[("Cookie", &terminal), JSON],
                Some(body),
            )
            .await
        };
        let day = tomorrow();
        let morning = server.book(&slot(day, 8, 0), &phone(), None).await;
        let afternoon = server.book(&slot(day, 14, 0), &phone(), None).await;
        assert_eq!((morning.status, afternoon.status), (201, 201));
        let code = |reply: &Reply| {
            reply.json::<serde_json::Value>()["booking"]["code"]
                .as_str()
                .expect("code")
                .to_owned()
        };
        let afternoon_code = code(&afternoon);

        // Today's closed hours: first some that do not hold now, then some that do. (Past
        // 23:55 the "do" hours run to the end of the day.)
        let now = {
            use chrono::Timelike;
            let now = server::office_now();
            now.hour() * 60 + now.minute()
        };
        let hhmm = |minute: u32| format!("{:02}:{:02}", minute / 60, minute % 60);
        let away = if now < 720 {
            "22:00-23:00"
        } else {
            "00:00-01:00"
        };
        let holding = format!(
            "{}-{}",
            hhmm(now.saturating_sub(5).min(1430)),
            hhmm((now + 5).min(1439))
        );
        let today = domain::time::format_iso_date(server::office_now().date());
        let closures = |today_hours: &str| {
            serde_json::json!({ "closures": [
                { "from": domain::time::format_iso_date(day), "to": domain::time::format_iso_date(day),
                  "hours": "13:00-17:00", "reason": { "vi": "Tập huấn nghiệp vụ", "en": "Staff training" } },
                { "from": today, "to": today, "hours": today_hours,
                  "reason": { "vi": "Họp giao ban", "en": "Staff meeting" } }] })
        };

        let reply = an.draft(&server, "closures", 0, closures(away)).await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        let draft: Draft = reply.json();
        let touched: Vec<(&str, &str)> = draft
            .touched_bookings
            .iter()
            .map(|b| (b.code.as_str(), b.start.as_str()))
            .collect();
        assert_eq!(touched, [(afternoon_code.as_str(), "14:00")]);
        let reply = binh.approve(&server, draft.id, 0).await;
        assert_eq!(reply.status, 200, "{}", reply.text());

        let date = domain::time::format_iso_date(day);
        let availability = availability(&server, &date).await;
        assert_eq!(availability.status, 200, "{}", availability.text());
        let starts: Vec<u64> = availability.json::<serde_json::Value>()["days"][0]["starts"]
            .as_array()
            .expect("starts")
            .iter()
            .filter_map(serde_json::Value::as_u64)
            .collect();
        // Tomorrow 07:00 to 12:30 kept; from 13:00 gone.
        assert_eq!(starts, (14..26).map(|half| half * 30).collect::<Vec<u64>>());
        assert_eq!(
            server.book(&slot(day, 15, 0), &phone(), None).await.status,
            422
        );
        assert_eq!(
            server.book(&slot(day, 9, 0), &phone(), None).await.status,
            201
        );
        let ticket = take_number().await;
        assert_eq!(ticket.status, 201, "{}", ticket.text());

        let base = an
            .overview(&server)
            .await
            .files
            .iter()
            .find(|f| f.file.ends_with("schedule.json"))
            .map(|f| f.revision)
            .expect("the schedule's revision");
        let reply = an
            .draft(&server, "closures", base, closures(&holding))
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        let draft: Draft = reply.json();
        let reply = binh.approve(&server, draft.id, base).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let refused = take_number().await;
        assert_eq!(
            (refused.status, refused.error().as_str()),
            (409, "closed_today")
        );
        assert!(refused.text().contains("Họp giao ban"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_second_server_with_its_own_folder_and_a_hand_edit_are_brought_in() {
    for db in databases() {
        let first = start("content-servers", db, 2, no_limits()).await;
        let dir = with_sample_files(&first);
        // A second server over the same database, its data files in a folder of its own.
        let other_dir = dir.parent().expect("dist").join("data-second");
        std::fs::create_dir_all(&other_dir).expect("folder");
        for entry in std::fs::read_dir(&dir).expect("files").flatten() {
            std::fs::copy(entry.path(), other_dir.join(entry.file_name())).expect("copy");
        }
        let mut config = first.state.config.clone();
        config.stations[0].data_dir = other_dir.clone();
        let state = server::build_state(config, &first.database)
            .await
            .expect("state");
        let second_station = &state.stations[&first.station];

        let an = Desk::new(&first, "editor.an", StaffRole::Officer, true).await;
        let binh = Desk::new(&first, "editor.binh", StaffRole::Officer, true).await;
        let draft: Draft = an
            .draft(
                &first,
                "news",
                0,
                news_with("Tin cho cả tỉnh", "2026-12-01"),
            )
            .await
            .json();
        assert_eq!(binh.approve(&first, draft.id, 0).await.status, 200);
        assert!(!std::fs::read_to_string(other_dir.join("news.json"))
            .expect("news")
            .contains("Tin cho cả tỉnh"));
        // What the second server does every two seconds, done now.
        server::content::sync_station(&state, second_station)
            .await
            .expect("sync");
        assert_eq!(
            std::fs::read(other_dir.join("news.json")).expect("second"),
            std::fs::read(dir.join("news.json")).expect("first")
        );

        // A valid hand edit on the second server becomes a revision of its own…
        let edited = std::fs::read_to_string(other_dir.join("news.json"))
            .expect("news")
            .replace("Tin cho cả tỉnh", "Tin cho cả tỉnh (sửa tay)");
        std::fs::write(other_dir.join("news.json"), &edited).expect("hand edit");
        server::content::sync_station(&state, second_station)
            .await
            .expect("sync");
        let revisions = first
            .state
            .store
            .content_revisions(&first.station, "news.json", 10)
            .await
            .expect("revisions");
        assert_eq!(
            (revisions[0].revision, revisions[0].change.as_str()),
            (2, "server_file")
        );
        // …which the first server brings in.
        server::content::sync_station(&first.state, &first.state.stations[&first.station])
            .await
            .expect("sync");
        assert_eq!(
            std::fs::read_to_string(dir.join("news.json")).expect("news"),
            edited
        );

        // A broken hand edit is not taken in, and the desk's next change replaces it.
        std::fs::write(other_dir.join("news.json"), "{ not json").expect("broken");
        server::content::sync_station(&state, second_station)
            .await
            .expect("sync");
        let revisions = first
            .state
            .store
            .content_revisions(&first.station, "news.json", 10)
            .await
            .expect("revisions");
        assert_eq!(revisions[0].revision, 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_desk_refuses_strangers_oversized_drafts_and_the_wrong_hands() {
    for db in databases() {
        let server = start("content-abuse", db, 2, no_limits()).await;
        with_sample_files(&server);
        // No session: 401 for every address of the desk, nothing read.
        for (method, path) in [
            ("GET", "/api/v1/staff/content"),
            ("POST", "/api/v1/staff/content/drafts"),
            ("POST", "/api/v1/staff/content/drafts/1/approve"),
            ("GET", "/api/v1/staff/content/revisions/news.json"),
            (
                "POST",
                "/api/v1/staff/content/revisions/news.json/0/restore",
            ),
            ("PUT", "/api/v1/staff/content/settings"),
        ] {
            let reply = http(server.address, method, path, &[JSON], Some(b"{}")).await;
            assert_eq!(reply.status, 401, "{method} {path}");
        }
        let an = Desk::new(&server, "editor.an", StaffRole::Officer, true).await;
        let binh = Desk::new(&server, "editor.binh", StaffRole::Officer, true).await;
        // Without the anti-forgery token: refused.
        let reply = http(
            server.address,
            "POST",
            "/api/v1/staff/content/drafts",
            &[("Cookie", &an.0), JSON],
            Some(b"{}"),
        )
        .await;
        assert_eq!(reply.status, 403);
        // Past the desk's limit: 413 before anything is read.
        let huge = vec![b' '; server::content::MAX_DRAFT_BYTES + 1];
        let reply = an
            .send(&server, "POST", "/content/drafts", &[], Some(&huge))
            .await;
        assert_eq!(reply.status, 413);
        // A news file of 200 items fits (the desk's limit, not the citizens' 16 KB).
        let many: Vec<serde_json::Value> = (0..200)
            .map(|i| serde_json::json!({ "kind": "notice", "published": "2026-11-01",
                "title": { "vi": format!("Thông báo số {i}"), "en": format!("Notice {i}") },
                "body": { "vi": "Nội dung thông báo dài vừa phải cho một trạm.", "en": "A notice of a usual length." } }))
            .collect();
        let reply = an
            .draft(&server, "news", 0, serde_json::json!({ "items": many }))
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        let draft: Draft = reply.json();
        // Rejecting one's own draft, withdrawing another's: refused; withdrawing one's own: done.
        assert_eq!(
            an.send(
                &server,
                "POST",
                &format!("/content/drafts/{}/reject", draft.id),
                &[],
                None
            )
            .await
            .status,
            403
        );
        assert_eq!(
            binh.send(
                &server,
                "POST",
                &format!("/content/drafts/{}/withdraw", draft.id),
                &[],
                None
            )
            .await
            .status,
            403
        );
        let reply = an
            .send(
                &server,
                "POST",
                &format!("/content/drafts/{}/withdraw", draft.id),
                &[],
                None,
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(
            binh.approve(&server, draft.id, 0).await.error(),
            "draft_closed"
        );
        // Another station's draft is not found.
        assert_eq!(binh.approve(&server, 999_999, 0).await.status, 404);
        // An admin gives and takes the desk; an officer cannot.
        let officer = Desk::new(&server, "officer.em", StaffRole::Officer, false).await;
        let give = br#"{"editor": true}"#;
        assert_eq!(
            officer
                .send(
                    &server,
                    "POST",
                    "/accounts/officer.em/editor",
                    &[],
                    Some(give)
                )
                .await
                .status,
            403
        );
        let admin = Desk::new(&server, "admin.dung", StaffRole::Admin, false).await;
        let reply = admin
            .send(
                &server,
                "POST",
                "/accounts/officer.em/editor",
                &[],
                Some(give),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(
            officer
                .send(&server, "GET", "/content", &[], None)
                .await
                .status,
            200
        );
    }
}

/// answers.json's `answers` with one published answer.
fn answers_with(
    question: &str,
    answer: &str,
    procedure: &str,
    basis: &[&str],
) -> serde_json::Value {
    serde_json::json!({ "answers": [{
        "id": "mat-the-can-cuoc",
        "procedure": procedure,
        "question": { "vi": question, "en": question },
        "answer": { "vi": answer, "en": answer },
        "legal_basis": basis,
        "published": "2026-12-04",
        "checked": "2026-12-04",
    }]})
}

// #29: an answer to a citizen's question becomes the station's public answer only rewritten
// (nothing personal: a phone or ID number in it is refused, with check-data's own finding),
// with a procedure and sources that exist, and only once a second officer approves it; it is
// then served to citizens and drawn on its procedure's page ahead of the app.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_public_answer_is_published_only_rewritten_and_approved_and_shows_on_its_procedure_page()
{
    for db in databases() {
        let server = start("content-answers", db, 2, no_limits()).await;
        let dir = with_sample_files(&server);
        let author = Desk::new(&server, "editor.an", StaffRole::Officer, true).await;
        let second = Desk::new(&server, "editor.binh", StaffRole::Officer, true).await;
        // A station with no answer yet serves the empty file, and the desk starts from it.
        assert_eq!(
            served(&server, "/data/answers.json").await,
            domain::public_answers::EMPTY_ANSWERS
        );

        // As the inbox hands it over: the asker's phone and ID card number are in it.
        let asked = "Tôi là Lan, số 0912 345 678, thẻ 079204001234 bị mất thì làm lại ở đâu?";
        let answer = "Ở công an xã, phường bất kỳ; gọi trụ sở 113 nếu cần.";
        let reply = author
            .draft(
                &server,
                "answers",
                0,
                answers_with(asked, answer, "id-card-replace", &[]),
            )
            .await;
        assert_eq!(reply.status, 422, "{}", reply.text());
        let refused: ContentRefused = reply.json();
        let personal: Vec<&str> = refused
            .problems
            .iter()
            .filter(|p| p.field == "answers.json:answers[0].question" && p.error)
            .map(|p| p.message_en.as_str())
            .collect();
        assert_eq!(
            personal.len(),
            4,
            "two numbers, in both languages: {personal:?}"
        );
        assert!(personal.iter().any(|m| m.contains("0912 345 678")));
        assert!(personal.iter().any(|m| m.contains("079204001234")));

        // A procedure and a source that procedures.json does not have.
        let reply = author
            .draft(
                &server,
                "answers",
                0,
                answers_with(
                    "Hỏi?",
                    answer,
                    "no-such-procedure",
                    &["no-such-law | điều 1 | art. 1"],
                ),
            )
            .await;
        let refused: ContentRefused = reply.json();
        let fields: Vec<&str> = refused.problems.iter().map(|p| p.field.as_str()).collect();
        assert!(
            fields.contains(&"answers.json:answers[0].procedure"),
            "{fields:?}"
        );
        assert!(
            fields.contains(&"answers.json:answers[0].legal_basis[0]"),
            "{fields:?}"
        );

        // Rewritten: a draft, which citizens do not see yet.
        let rewritten = "Mất thẻ căn cước thì làm lại ở đâu?";
        let reply = author
            .draft(
                &server,
                "answers",
                0,
                answers_with(
                    rewritten,
                    answer,
                    "id-card-replace",
                    &["luat-can-cuoc-2023 | điều 24 | art. 24"],
                ),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        let draft: Draft = reply.json();
        assert!(!served(&server, "/data/answers.json")
            .await
            .contains(rewritten));
        assert!(!served(&server, "/services/id-card-replace")
            .await
            .contains(rewritten));
        let reply = author.approve(&server, draft.id, 0).await;
        assert_eq!(reply.error(), "second_officer_needed");

        let reply = second.approve(&server, draft.id, 0).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let published: Published = reply.json();
        assert_eq!(
            (published.file.as_str(), published.revision),
            ("answers.json", 1)
        );
        let file = served(&server, "/data/answers.json").await;
        assert!(file.contains(rewritten));
        for personal in ["0912", "079204001234", "Lan"] {
            assert!(!file.contains(personal), "{personal}");
        }
        assert_eq!(
            file,
            std::fs::read_to_string(dir.join("answers.json")).expect("on disk")
        );
        let page = served(&server, "/services/id-card-replace").await;
        assert!(
            page.contains(rewritten),
            "drawn ahead on its procedure's page"
        );
        assert!(page.contains("id=\"a-mat-the-can-cuoc\""));
        // Not on another procedure's page.
        assert!(!served(&server, "/services/passport")
            .await
            .contains(rewritten));
    }
}
