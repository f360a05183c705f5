//! "Ask the station" (#29) tested for real, on SQLite and on the PostgreSQL cluster scripts/test
//! starts: a question is read only with its code and its secret or the phone given (two people
//! sharing a phone never read each other's); an officer takes it, answers it, and the asker
//! reads the answer with the officer's role and never their name; two officers answering at
//! once — one answer; a question set aside is never answered and its asker is not told; bad
//! questions are refused with their word and nothing kept; the retention erases what was
//! written, on disk too; and the addresses attacked as an outsider would (no session, guessing
//! codes and secrets, flooding from one address or one phone).
//!
//! Run: `cargo test -p civic-server --test questions`.

use domain::questions::{
    Asked, Inbox, InboxQuestion, QuestionStatus, QuestionView, QUESTION_CONSENT_VERSION,
    QUESTION_PHONE_HEADER, QUESTION_TOKEN_HEADER,
};
use domain::station_api::StaffRole;
use server::limits::Limits;
use server::store::Store;

mod support;
use support::*;

/// The sample station's procedures beside the test's plan, so a question can name one.
fn with_procedures(server: &TestServer) {
    let dir = &server.state.stations[&server.station].config.data_dir;
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/data");
    std::fs::copy(sample.join("procedures.json"), dir.join("procedures.json"))
        .expect("sample procedures");
}

fn question_body(text: &str, procedure: Option<&str>, phone: Option<&str>) -> String {
    serde_json::json!({
        "text": text,
        "procedure": procedure,
        "phone": phone,
        "consent_version": QUESTION_CONSENT_VERSION,
    })
    .to_string()
}

async fn ask(server: &TestServer, body: &str) -> Reply {
    http(
        server.address,
        "POST",
        &server.path("/questions"),
        &[JSON],
        Some(body.as_bytes()),
    )
    .await
}

async fn read(server: &TestServer, code: &str, proof: &[(&str, &str)]) -> Reply {
    http(
        server.address,
        "GET",
        &server.path(&format!("/questions/{code}")),
        proof,
        None,
    )
    .await
}

/// An officer's session: cookie and anti-forgery token.
struct Officer(String, String);

impl Officer {
    async fn new(server: &TestServer, username: &str, role: StaffRole) -> Officer {
        server.add_staff(username, role).await;
        let (cookie, csrf) = server.login(username).await;
        Officer(cookie, csrf)
    }

    async fn send(
        &self,
        server: &TestServer,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> Reply {
        http(
            server.address,
            method,
            &format!("/api/v1/staff{path}"),
            &[("Cookie", &self.0), ("X-CSRF-Token", &self.1), JSON],
            body.map(str::as_bytes),
        )
        .await
    }

    async fn inbox(&self, server: &TestServer) -> Inbox {
        let reply = self.send(server, "GET", "/questions", None).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()
    }

    async fn answer(&self, server: &TestServer, code: &str, text: &str) -> Reply {
        let body = serde_json::json!({ "text": text }).to_string();
        self.send(
            server,
            "POST",
            &format!("/questions/{code}/answer"),
            Some(&body),
        )
        .await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_question_is_read_with_its_secret_or_phone_and_its_answer_comes_back() {
    for db in databases() {
        let server = start("questions-answer", db, 2, no_limits()).await;
        with_procedures(&server);
        let text = "Tôi mất CCCD khi đi làm ở tỉnh khác, tạm trú ở đây 2 năm.\nLàm lại ở phường được không?";
        let reply = ask(
            &server,
            &question_body(text, Some("id-card-replace"), Some("0912 345 678")),
        )
        .await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        let asked: Asked = reply.json();
        assert_eq!(asked.code.len(), 7);
        assert_eq!(asked.answer_within_hours, 16);

        // Without proof, or with a wrong one: not theirs, and not a word of the question.
        for proof in [
            vec![],
            vec![(QUESTION_TOKEN_HEADER, "0".repeat(64))],
            vec![(QUESTION_PHONE_HEADER, "0987654321".to_owned())],
        ] {
            let proof: Vec<(&str, &str)> = proof.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = read(&server, &asked.code, &proof).await;
            assert_eq!((reply.status, reply.error().as_str()), (403, "not_yours"));
            assert!(!reply.text().contains("CCCD"));
        }
        // The secret on this device; the phone, written another way, on any other.
        let shown = read(
            &server,
            &asked.code,
            &[(QUESTION_TOKEN_HEADER, &asked.token)],
        )
        .await;
        assert_eq!(shown.status, 200, "{}", shown.text());
        let view: QuestionView = shown.json();
        assert_eq!(
            (view.text.as_str(), view.status, view.answer.clone()),
            (text, QuestionStatus::Open, None)
        );
        assert_eq!(view.procedure.as_deref(), Some("id-card-replace"));
        let by_phone = read(
            &server,
            &asked.code,
            &[(QUESTION_PHONE_HEADER, "+84 912-345-678")],
        )
        .await;
        assert_eq!(by_phone.status, 200, "{}", by_phone.text());
        // The code is read as typed on a slip: lower case, a dash.
        let typed = format!("{}-{}", &asked.code[..3], &asked.code[3..]).to_lowercase();
        assert_eq!(
            read(&server, &typed, &[(QUESTION_TOKEN_HEADER, &asked.token)])
                .await
                .status,
            200
        );

        // The inbox: the question with its phone for a call back, not yet overdue.
        let an = Officer::new(&server, "can.bo.an", StaffRole::Officer).await;
        let binh = Officer::new(&server, "can.bo.binh", StaffRole::Officer).await;
        let inbox = an.inbox(&server).await;
        assert_eq!(inbox.answer_within_hours, 16);
        let listed = &inbox.questions[0];
        assert_eq!(
            (listed.code.as_str(), listed.text.as_str()),
            (asked.code.as_str(), text)
        );
        assert_eq!(listed.phone.as_deref(), Some("0912345678"));
        assert!(!listed.overdue);

        // Taken by one officer, answered; a second answer is refused.
        let taken = an
            .send(
                &server,
                "POST",
                &format!("/questions/{}/take", asked.code),
                None,
            )
            .await;
        assert_eq!(taken.status, 200, "{}", taken.text());
        assert_eq!(
            taken.json::<InboxQuestion>().assigned_to.as_deref(),
            Some("can.bo.an")
        );
        let answer = "Được. Mang giấy xác nhận tạm trú; làm tại bộ phận một cửa, thứ Hai–thứ Sáu.";
        let reply = an.answer(&server, &asked.code, answer).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let reply = binh.answer(&server, &asked.code, "Khác").await;
        assert_eq!(
            (reply.status, reply.error().as_str()),
            (409, "question_closed")
        );

        // The asker reads the answer with the officer's role, never the name.
        let shown = read(
            &server,
            &asked.code,
            &[(QUESTION_PHONE_HEADER, "0912345678")],
        )
        .await;
        let view: QuestionView = shown.json();
        assert_eq!(view.status, QuestionStatus::Answered);
        let reply = view.answer.expect("answered");
        assert_eq!(
            (reply.text.as_str(), reply.role),
            (answer, StaffRole::Officer)
        );
        assert!(!shown.text().contains("can.bo.an"), "{}", shown.text());

        // Audited by code, and the log holds no word of the question or the answer.
        let log = server
            .state
            .store
            .audit_log(&server.station, None, 50)
            .await
            .expect("audit");
        let actions: Vec<(&str, Option<&str>)> = log
            .iter()
            .filter(|e| e.action.starts_with("question_"))
            .map(|e| (e.action.as_str(), e.subject.as_deref()))
            .collect();
        assert_eq!(
            actions,
            vec![
                ("question_answer", Some(asked.code.as_str())),
                ("question_take", Some(asked.code.as_str()))
            ]
        );
        assert!(log.iter().all(|e| !format!("{e:?}").contains("CCCD")));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_people_sharing_a_phone_read_only_their_own_question() {
    for db in databases() {
        let server = start("questions-shared", db, 2, no_limits()).await;
        let mine: Asked = ask(&server, &question_body("Câu hỏi của tôi", None, None))
            .await
            .json();
        let theirs: Asked = ask(&server, &question_body("Câu hỏi của mẹ tôi", None, None))
            .await
            .json();
        let reply = read(
            &server,
            &theirs.code,
            &[(QUESTION_TOKEN_HEADER, &mine.token)],
        )
        .await;
        assert_eq!((reply.status, reply.error().as_str()), (403, "not_yours"));
        let reply = read(&server, &mine.code, &[(QUESTION_TOKEN_HEADER, &mine.token)]).await;
        assert_eq!(reply.json::<QuestionView>().text, "Câu hỏi của tôi");
        // Without a phone given, no phone opens it — not even an empty one.
        let reply = read(&server, &mine.code, &[(QUESTION_PHONE_HEADER, "")]).await;
        assert_eq!(reply.status, 403);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_questions_are_refused_with_their_word_and_nothing_is_kept() {
    for db in databases() {
        let server = start("questions-bad", db, 2, no_limits()).await;
        with_procedures(&server);
        let long = "ư".repeat(1001);
        let old_consent =
            serde_json::json!({"text": "Hỏi", "consent_version": "questions-2000-01"}).to_string();
        for (body, status, word) in [
            (question_body(" \n ", None, None), 422, "question_empty"),
            (question_body(&long, None, None), 422, "question_too_long"),
            (
                question_body("Hỏi", None, Some("12345")),
                422,
                "phone_invalid",
            ),
            (
                question_body("Hỏi", Some("no-such-procedure"), None),
                422,
                "unknown_procedure",
            ),
            (old_consent, 412, "consent_outdated"),
            ("{\"text\": 5}".to_owned(), 400, "bad_request"),
        ] {
            let reply = ask(&server, &body).await;
            assert_eq!(
                (reply.status, reply.error().as_str()),
                (status, word),
                "{}",
                reply.text()
            );
        }
        // A question of exactly 1,000 characters (2,000 bytes) passes.
        assert_eq!(
            ask(&server, &question_body(&"ư".repeat(1000), None, None))
                .await
                .status,
            201
        );
        let kept = server
            .state
            .store
            .question_inbox(&server.station, 10)
            .await
            .expect("inbox");
        assert_eq!(kept.len(), 1);
        // An answer is checked too.
        let officer = Officer::new(&server, "can.bo.chi", StaffRole::Officer).await;
        let reply = officer.answer(&server, &kept[0].code, "  ").await;
        assert_eq!(
            (reply.status, reply.error().as_str()),
            (422, "answer_empty")
        );
        let reply = officer.answer(&server, "ZZZZZZZ", "Trả lời").await;
        assert_eq!(
            (reply.status, reply.error().as_str()),
            (404, "unknown_question")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_question_set_aside_is_never_answered_and_its_asker_is_not_told() {
    for db in databases() {
        let server = start("questions-spam", db, 2, no_limits()).await;
        let asked: Asked = ask(
            &server,
            &question_body("mua thẻ cào giá rẻ tại …", None, None),
        )
        .await
        .json();
        let officer = Officer::new(&server, "can.bo.dung", StaffRole::Officer).await;
        let reply = officer
            .send(
                &server,
                "POST",
                &format!("/questions/{}/set-aside", asked.code),
                None,
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.json::<InboxQuestion>().status, QuestionStatus::Spam);
        let reply = officer.answer(&server, &asked.code, "Trả lời").await;
        assert_eq!(
            (reply.status, reply.error().as_str()),
            (409, "question_closed")
        );
        let view: QuestionView = read(
            &server,
            &asked.code,
            &[(QUESTION_TOKEN_HEADER, &asked.token)],
        )
        .await
        .json();
        assert_eq!((view.status, view.answer), (QuestionStatus::Open, None));
        // Kept for the audit: still listed to staff, among the decided.
        let inbox = officer.inbox(&server).await;
        assert_eq!(inbox.questions[0].status, QuestionStatus::Spam);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_officers_answering_at_once_on_two_servers_give_one_answer() {
    for db in databases() {
        let server = start("questions-race", db, 2, no_limits()).await;
        let asked: Asked = ask(
            &server,
            &question_body("Đăng ký thường trú cần gì?", None, None),
        )
        .await
        .json();
        let mut officers = Vec::new();
        for i in 0..6 {
            officers.push(Officer::new(&server, &format!("can.bo.{i}"), StaffRole::Officer).await);
        }
        // Half of them on a second server over the same database, as a province runs them.
        let servers = [
            std::sync::Arc::new(server.another_instance().await),
            std::sync::Arc::new(server),
        ];
        let tasks: Vec<_> = officers
            .into_iter()
            .enumerate()
            .map(|(i, officer)| {
                let (server, code) = (servers[i % 2].clone(), asked.code.clone());
                tokio::spawn(async move {
                    officer
                        .answer(&server, &code, &format!("Trả lời số {i}"))
                        .await
                        .status
                })
            })
            .collect();
        let server = &servers[1];
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.expect("task"));
        }
        statuses.sort();
        assert_eq!(statuses, vec![200, 409, 409, 409, 409, 409]);
        let view: QuestionView = read(
            server,
            &asked.code,
            &[(QUESTION_TOKEN_HEADER, &asked.token)],
        )
        .await
        .json();
        assert!(view
            .answer
            .expect("one answer")
            .text
            .starts_with("Trả lời số "));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_retention_erases_what_was_written_and_keeps_open_questions_until_their_time() {
    for db in databases() {
        let server = start("questions-erase", db, 2, no_limits()).await;
        let marker = "dấu-vết-câu-hỏi-0912000111";
        let answered: Asked = ask(&server, &question_body(marker, None, Some("0912000111")))
            .await
            .json();
        let open: Asked = ask(&server, &question_body("Câu hỏi còn chờ", None, None))
            .await
            .json();
        let officer = Officer::new(&server, "can.bo.em", StaffRole::Officer).await;
        let reply = officer
            .answer(&server, &answered.code, "câu-trả-lời-riêng-tư")
            .await;
        assert_eq!(reply.status, 200);
        let stored = server
            .state
            .store
            .find_question(&server.station, &answered.code)
            .await
            .expect("find")
            .expect("kept");
        let decided = stored.decided_ms.expect("decided");
        // Before the keeping time, nothing goes; after it, the answered question's words go and
        // the open one (younger than its own, longer time) stays.
        let store = &server.state.store;
        assert_eq!(
            store
                .erase_questions(&server.station, decided, stored.asked_ms, decided)
                .await
                .expect("erase"),
            0
        );
        assert_eq!(
            store
                .erase_questions(&server.station, decided + 1, stored.asked_ms, decided + 1)
                .await
                .expect("erase"),
            1
        );
        let erased = store
            .find_question(&server.station, &answered.code)
            .await
            .expect("find")
            .expect("row");
        assert!(
            erased.erased
                && erased.text.is_empty()
                && erased.phone.is_none()
                && erased.answer.is_none()
        );
        assert_eq!(
            erased.status,
            QuestionStatus::Answered,
            "the figures keep its times and status"
        );
        let reply = read(
            &server,
            &answered.code,
            &[(QUESTION_TOKEN_HEADER, &answered.token)],
        )
        .await;
        assert_eq!(
            (reply.status, reply.error().as_str()),
            (404, "unknown_question")
        );
        let reply = read(&server, &open.code, &[(QUESTION_TOKEN_HEADER, &open.token)]).await;
        assert_eq!(reply.status, 200);
        assert!(officer
            .inbox(&server)
            .await
            .questions
            .iter()
            .all(|q| q.code != answered.code));
        // On SQLite, the words are gone from the file itself.
        if let Db::Sqlite = db {
            let mut bytes = std::fs::read(&server.database).expect("database file");
            if let Ok(wal) = std::fs::read(format!("{}-wal", server.database)) {
                bytes.extend(wal);
            }
            for word in [marker.as_bytes(), "câu-trả-lời-riêng-tư".as_bytes()] {
                assert!(
                    !bytes.windows(word.len()).any(|w| w == word),
                    "{:?} left on disk",
                    String::from_utf8_lossy(word)
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn questions_are_limited_per_address_and_per_phone_and_guessing_is_stopped() {
    for db in databases() {
        let limits = Limits {
            questions_per_hour: 4,
            questions_per_phone_per_day: 2,
            manage_failures_per_hour: 3,
            ..no_limits()
        };
        let server = start("questions-limits", db, 2, limits).await;
        let phone = phone();
        assert_eq!(
            ask(&server, &question_body("Một", None, Some(&phone)))
                .await
                .status,
            201
        );
        let asked: Asked = ask(&server, &question_body("Hai", None, Some(&phone)))
            .await
            .json();
        let reply = ask(&server, &question_body("Ba", None, Some(&phone))).await;
        assert_eq!(
            (reply.status, reply.error().as_str()),
            (429, "too_many_requests")
        );
        assert!(reply.headers.contains_key("retry-after"));
        // Another phone from the same address, until the address's own limit.
        assert_eq!(
            ask(&server, &question_body("Bốn", None, None)).await.status,
            201
        );
        let reply = ask(&server, &question_body("Năm", None, None)).await;
        assert_eq!(reply.status, 429);
        // Guessing a secret: after three wrong ones even the right one waits.
        for _ in 0..3 {
            let wrong = read(
                &server,
                &asked.code,
                &[(QUESTION_TOKEN_HEADER, &"1".repeat(64))],
            )
            .await;
            assert_eq!(wrong.status, 403);
        }
        let reply = read(
            &server,
            &asked.code,
            &[(QUESTION_TOKEN_HEADER, &asked.token)],
        )
        .await;
        assert_eq!(reply.status, 429);
        // The inbox is the staff's only.
        let reply = http(server.address, "GET", "/api/v1/staff/questions", &[], None).await;
        assert_eq!(reply.status, 401);
        let reply = http(
            server.address,
            "POST",
            "/api/v1/staff/questions/ABCDEF1/answer",
            &[JSON],
            Some(b"{\"text\":\"x\"}"),
        )
        .await;
        assert_eq!(reply.status, 401);
    }
}

// Guards against the asking address reading whatever body it is sent, or waiting for ever on
// one that never finishes, as an outsider on the open internet would try: a 1 MB "question" is
// refused with 413 before it is read, a body that stops arriving is cut off with 408, neither
// is kept nor counted against the address, and the address can still ask.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn oversized_and_unfinished_questions_are_cut_off_and_leave_nothing() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    for db in databases() {
        // One question an hour from this address, where the count is this server's own (on
        // PostgreSQL it is shared with the other tests running at the same time).
        let sqlite = matches!(db, Db::Sqlite);
        let server = start_tuned("questions-abuse", db, 2, |config| {
            config.limits = no_limits();
            config.limits.request_timeout = std::time::Duration::from_secs(2);
            if sqlite {
                config.limits.questions_per_hour = 1;
            }
        })
        .await;
        let huge =
            std::sync::Arc::new(question_body(&"ư".repeat(500_000), None, None).into_bytes());
        assert_eq!(
            status_of_large(server.address, &server.path("/questions"), huge).await,
            413
        );

        let mut stream = tokio::net::TcpStream::connect(server.address)
            .await
            .expect("connect");
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n{{\"text\": \"Tôi mất",
            server.path("/questions")
        );
        stream.write_all(head.as_bytes()).await.expect("head");
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            stream.read_to_end(&mut answer),
        )
        .await
        .expect("cut off");
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");

        let kept = server
            .state
            .store
            .question_inbox(&server.station, 10)
            .await
            .expect("inbox");
        assert!(kept.is_empty());
        // Neither was counted: the one question an hour is still this address's to send.
        let reply = ask(&server, &question_body("Hỏi về tạm trú", None, None)).await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        if sqlite {
            let again = ask(&server, &question_body("Hỏi lần nữa", None, None)).await;
            assert_eq!(again.status, 429, "the limit holds");
        }
    }
}
