//! "Ask the station" (#29): a citizen's question, the officers' answer, and the rules both
//! follow — what a question may hold, who may read it, how long the station has been taking over
//! it (in its own working hours) and when it is erased. The server stores and serves them; the
//! app and the server share these types. No clock here: times are given.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use crate::phone::parse_phone;
use crate::schedule::{DayStatus, Plan};
use crate::station_api::StaffRole;
use crate::text::Lang;

/// The longest question, in characters (a few paragraphs: enough for a case, not for a file).
pub const MAX_QUESTION_CHARS: usize = 1000;
/// The longest answer, in characters.
pub const MAX_ANSWER_CHARS: usize = 4000;
/// The version of the consent text a question is sent under: what is kept, for how long, and
/// that the phone is only for calling back. A client showing an older text is refused.
pub const QUESTION_CONSENT_VERSION: &str = "questions-2026-12";
/// A question no one answered is erased this many days after it was asked.
pub const UNANSWERED_KEEP_DAYS: u32 = 90;
/// The header carrying the asker's secret (kept on the device with consent).
pub const QUESTION_TOKEN_HEADER: &str = "x-question-token";
/// The header carrying the phone given with the question, the other proof.
pub const QUESTION_PHONE_HEADER: &str = "x-question-phone";

/// Where a question stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionStatus {
    /// Waiting for an officer.
    Open,
    Answered,
    /// Marked as spam or abusive: never answered, kept for the audit until erased.
    Spam,
}

crate::named::named_enum!(QuestionStatus { "open" => Open, "answered" => Answered, "spam" => Spam });

impl QuestionStatus {
    pub fn as_str(self) -> &'static str {
        crate::named::name_of(self)
    }

    pub fn parse(text: &str) -> Option<QuestionStatus> {
        crate::named::parse(text)
    }
}

/// A question as the citizen sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewQuestion {
    pub text: String,
    /// The procedure it is about (its id in procedures.json), if any.
    #[serde(default)]
    pub procedure: Option<String>,
    /// A phone for a call back; it also proves the question is the caller's on another device.
    #[serde(default)]
    pub phone: Option<String>,
    pub consent_version: String,
}

/// A question that passed the rules, ready to keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedQuestion {
    pub text: String,
    pub procedure: Option<String>,
    /// National digits ("0912345678").
    pub phone: Option<String>,
}

/// What the asker gets on sending: the reply code (a check character, read like a booking
/// code) and the secret that opens it on this device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asked {
    pub code: String,
    pub token: String,
    pub answer_within_hours: u32,
}

/// A question whose code and secret this device keeps, with the asker's consent (never on a
/// kiosk): what `platform::questions_store` writes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptQuestion {
    pub code: String,
    pub token: String,
}

/// An officer's answer as the asker reads it: the role, never the name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub text: String,
    pub role: StaffRole,
    pub answered_ms: i64,
}

/// A question as its asker reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    pub code: String,
    pub procedure: Option<String>,
    pub text: String,
    pub asked_ms: i64,
    /// `Spam` reads as `Open` to the asker: nothing tells an abuser they were noticed.
    pub status: QuestionStatus,
    pub answer: Option<Reply>,
    /// The station's target: "answered within N working hours".
    pub answer_within_hours: u32,
    /// Days after the answer when question and answer are erased.
    pub keep_days: u32,
}

/// A question in the staff inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxQuestion {
    pub code: String,
    pub procedure: Option<String>,
    pub text: String,
    /// For a call back; shown to staff only.
    pub phone: Option<String>,
    pub asked_ms: i64,
    pub status: QuestionStatus,
    pub assigned_to: Option<String>,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub decided_ms: Option<i64>,
    /// The station's working minutes since it was asked (until it was answered).
    pub waited_minutes: u32,
    /// Waited longer than the station's target.
    pub overdue: bool,
}

/// The staff inbox: open questions oldest first, then the latest answered or set aside.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub questions: Vec<InboxQuestion>,
    pub answer_within_hours: u32,
}

/// An officer's answer, as sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerText {
    pub text: String,
}

/// Why a question, an answer or a step is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuestionError {
    Empty,
    TooLong {
        max: usize,
    },
    PhoneInvalid,
    UnknownProcedure,
    ConsentOutdated,
    AnswerEmpty,
    AnswerTooLong {
        max: usize,
    },
    /// No question of the station's has this code (or it was erased).
    UnknownCode,
    /// Neither the secret nor the phone given matches.
    NotYours,
    /// Answered or set aside already.
    Closed(QuestionStatus),
}

impl QuestionError {
    pub fn code(&self) -> &'static str {
        match self {
            QuestionError::Empty => "question_empty",
            QuestionError::TooLong { .. } => "question_too_long",
            QuestionError::PhoneInvalid => "phone_invalid",
            QuestionError::UnknownProcedure => "unknown_procedure",
            QuestionError::ConsentOutdated => "consent_outdated",
            QuestionError::AnswerEmpty => "answer_empty",
            QuestionError::AnswerTooLong { .. } => "answer_too_long",
            QuestionError::UnknownCode => "unknown_question",
            QuestionError::NotYours => "not_yours",
            QuestionError::Closed(_) => "question_closed",
        }
    }

    /// The message in plain words, Vietnamese and English.
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let pick = |v: &str, e: &str| if vi { v.to_owned() } else { e.to_owned() };
        match self {
            QuestionError::Empty => pick(
                "Hãy viết câu hỏi của bạn.",
                "Write your question.",
            ),
            QuestionError::TooLong { max } => if vi {
                format!("Câu hỏi dài quá {max} ký tự. Hãy viết ngắn lại; những gì bạn đã viết vẫn còn.")
            } else {
                format!("The question is longer than {max} characters. Shorten it; what you wrote is kept.")
            },
            QuestionError::PhoneInvalid => pick(
                "Số điện thoại không đúng. Hãy viết số di động hoặc cố định Việt Nam, ví dụ 0912 345 678, hoặc để trống.",
                "The phone number is not valid. Write a Vietnamese mobile or landline number, e.g. 0912 345 678, or leave it empty.",
            ),
            QuestionError::UnknownProcedure => pick(
                "Thủ tục này không có trong danh sách của công an xã, phường.",
                "This procedure is not on the station's list.",
            ),
            QuestionError::ConsentOutdated => pick(
                "Thông báo về dữ liệu cá nhân vừa được cập nhật. Hãy tải lại trang, đọc lại rồi gửi; câu hỏi của bạn vẫn còn.",
                "The personal data notice has just been updated. Reload the page, read it and send again; your question is kept.",
            ),
            QuestionError::AnswerEmpty => pick("Hãy viết câu trả lời.", "Write the answer."),
            QuestionError::AnswerTooLong { max } => if vi {
                format!("Câu trả lời dài quá {max} ký tự.")
            } else {
                format!("The answer is longer than {max} characters.")
            },
            QuestionError::UnknownCode => pick(
                "Không có câu hỏi nào mang mã này. Hãy xem lại mã trên phiếu (7 ký tự); câu hỏi đã quá hạn lưu giữ thì đã bị xóa.",
                "No question has this code. Check the code on the slip (7 characters); a question past its keeping time has been erased.",
            ),
            QuestionError::NotYours => pick(
                "Mã bí mật hoặc số điện thoại không khớp với câu hỏi này.",
                "The secret or the phone number does not match this question.",
            ),
            QuestionError::Closed(_) => pick(
                "Câu hỏi này đã được trả lời hoặc đã được xử lý.",
                "This question has already been answered or dealt with.",
            ),
        }
    }
}

/// Text as kept: control characters out (a newline and a tab stay), each line's end trimmed,
/// the whole trimmed.
fn clean(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    kept.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// Checks a question against the rules; `known_procedure` says whether an id is the station's.
pub fn check_question(
    question: &NewQuestion,
    known_procedure: impl Fn(&str) -> bool,
) -> Result<CheckedQuestion, QuestionError> {
    if question.consent_version != QUESTION_CONSENT_VERSION {
        return Err(QuestionError::ConsentOutdated);
    }
    let text = clean(&question.text);
    if text.is_empty() {
        return Err(QuestionError::Empty);
    }
    if text.chars().count() > MAX_QUESTION_CHARS {
        return Err(QuestionError::TooLong {
            max: MAX_QUESTION_CHARS,
        });
    }
    let procedure = match question.procedure.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) if known_procedure(id) => Some(id.to_owned()),
        Some(_) => return Err(QuestionError::UnknownProcedure),
    };
    let phone = match question.phone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(phone) => Some(
            parse_phone(phone)
                .map_err(|_| QuestionError::PhoneInvalid)?
                .digits,
        ),
    };
    Ok(CheckedQuestion {
        text,
        procedure,
        phone,
    })
}

/// Checks an officer's answer; the text as kept.
pub fn check_answer(answer: &str) -> Result<String, QuestionError> {
    let text = clean(answer);
    if text.is_empty() {
        return Err(QuestionError::AnswerEmpty);
    }
    if text.chars().count() > MAX_ANSWER_CHARS {
        return Err(QuestionError::AnswerTooLong {
            max: MAX_ANSWER_CHARS,
        });
    }
    Ok(text)
}

/// The longest span `working_minutes` walks, in days: beyond it a question is long overdue.
const LONGEST_WAIT_DAYS: i64 = 400;

/// The station's working minutes between two office times: the minutes inside its reception
/// hours on open days (holidays, closures and days without reception count nothing), so
/// "answered within 8 working hours" means what an officer's day means.
pub fn working_minutes(plan: &Plan, from: NaiveDateTime, to: NaiveDateTime) -> u32 {
    if to <= from {
        return 0;
    }
    let minute_of = |at: NaiveDateTime| {
        u16::try_from(
            at.time()
                .signed_duration_since(chrono::NaiveTime::MIN)
                .num_minutes(),
        )
        .unwrap_or(0)
    };
    let last = to
        .date()
        .min(from.date() + TimeDelta::days(LONGEST_WAIT_DAYS));
    let mut total = 0u32;
    let mut day: NaiveDate = from.date();
    while day <= last {
        if let DayStatus::Open(periods) = plan.day_status(day) {
            let start = if day == from.date() {
                minute_of(from)
            } else {
                0
            };
            let end = if day == to.date() {
                minute_of(to)
            } else {
                24 * 60
            };
            for period in periods {
                let (a, b) = (period.start.0.max(start), period.end.0.min(end));
                if a < b {
                    total += u32::from(b - a);
                }
            }
        }
        day += TimeDelta::days(1);
    }
    total
}

/// The asker's view of a question: spam reads as still open.
pub fn asker_view(
    inbox: &InboxQuestion,
    answered_role: Option<StaffRole>,
    answer_within_hours: u32,
    keep_days: u32,
) -> QuestionView {
    let answer = match (inbox.status, &inbox.answer, answered_role, inbox.decided_ms) {
        (QuestionStatus::Answered, Some(text), Some(role), Some(at)) => Some(Reply {
            text: text.clone(),
            role,
            answered_ms: at,
        }),
        _ => None,
    };
    QuestionView {
        code: inbox.code.clone(),
        procedure: inbox.procedure.clone(),
        text: inbox.text.clone(),
        asked_ms: inbox.asked_ms,
        status: match inbox.status {
            QuestionStatus::Spam => QuestionStatus::Open,
            status => status,
        },
        answer,
        answer_within_hours,
        keep_days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data_file::parse_data_file;
    use crate::schedule::SCHEDULE_FILE;

    fn question(text: &str) -> NewQuestion {
        NewQuestion {
            text: text.to_owned(),
            procedure: None,
            phone: None,
            consent_version: QUESTION_CONSENT_VERSION.to_owned(),
        }
    }

    #[test]
    fn a_question_is_kept_as_typed_in_vietnamese_without_control_characters() {
        let checked = check_question(
            &question("  Tôi mất CCCD ở tỉnh khác,\u{7}   \r\n làm lại ở đâu?  \n"),
            |_| false,
        )
        .expect("valid");
        assert_eq!(checked.text, "Tôi mất CCCD ở tỉnh khác,\n làm lại ở đâu?");
    }

    #[test]
    fn a_question_is_refused_empty_too_long_with_a_bad_phone_an_unknown_procedure_or_old_consent() {
        assert_eq!(
            check_question(&question(" \n\t "), |_| true),
            Err(QuestionError::Empty)
        );
        let long = "ô".repeat(MAX_QUESTION_CHARS + 1);
        assert_eq!(
            check_question(&question(&long), |_| true),
            Err(QuestionError::TooLong {
                max: MAX_QUESTION_CHARS
            })
        );
        // Exactly the limit, counted in characters and not bytes, passes.
        assert!(check_question(&question(&"ô".repeat(MAX_QUESTION_CHARS)), |_| true).is_ok());
        let mut with_phone = question("Hỏi");
        with_phone.phone = Some("12345".into());
        assert_eq!(
            check_question(&with_phone, |_| true),
            Err(QuestionError::PhoneInvalid)
        );
        with_phone.phone = Some("+84 912 345 678".into());
        assert_eq!(
            check_question(&with_phone, |_| true).map(|q| q.phone),
            Ok(Some("0912345678".into()))
        );
        let mut about = question("Hỏi");
        about.procedure = Some("cap-lai-cccd".into());
        assert_eq!(
            check_question(&about, |id| id == "dang-ky-thuong-tru"),
            Err(QuestionError::UnknownProcedure)
        );
        assert_eq!(
            check_question(&about, |id| id == "cap-lai-cccd").map(|q| q.procedure),
            Ok(Some("cap-lai-cccd".into()))
        );
        let mut old = question("Hỏi");
        old.consent_version = "questions-2020-01".into();
        assert_eq!(
            check_question(&old, |_| true),
            Err(QuestionError::ConsentOutdated)
        );
    }

    #[test]
    fn an_answer_must_say_something_and_not_too_much() {
        assert_eq!(check_answer("  "), Err(QuestionError::AnswerEmpty));
        assert!(matches!(
            check_answer(&"a".repeat(MAX_ANSWER_CHARS + 1)),
            Err(QuestionError::AnswerTooLong { .. })
        ));
        assert_eq!(
            check_answer(" Mang CCCD cũ. ").as_deref(),
            Ok("Mang CCCD cũ.")
        );
    }

    fn sample_plan() -> Plan {
        parse_data_file(
            SCHEDULE_FILE,
            include_str!("../../../public/data/schedule.json"),
        )
        .expect("valid schedule")
    }

    #[test]
    fn waiting_counts_only_the_stations_working_minutes() {
        use crate::station::Weekday;
        let plan = sample_plan();
        // A working Monday of the sample plan and its reception periods.
        let monday = (0..60)
            .map(|d| NaiveDate::from_ymd_opt(2027, 3, 1).expect("date") + TimeDelta::days(d))
            .find(|d| {
                crate::schedule::weekday(*d) == Weekday::Mon
                    && matches!(plan.day_status(*d), DayStatus::Open(_))
            })
            .expect("an open Monday");
        let DayStatus::Open(periods) = plan.day_status(monday) else {
            unreachable!()
        };
        let day_minutes: u32 = periods.iter().map(|p| u32::from(p.end.0 - p.start.0)).sum();
        let at = |date: NaiveDate, minute: i64| {
            NaiveDateTime::new(date, chrono::NaiveTime::MIN) + TimeDelta::minutes(minute)
        };
        // Asked the evening before, answered at the day's end: one working day.
        let sunday = monday - TimeDelta::days(1);
        assert_eq!(
            working_minutes(&plan, at(sunday, 20 * 60), at(monday, 23 * 60 + 59)),
            day_minutes
        );
        // Ten minutes inside the first period are ten minutes.
        let start = at(monday, i64::from(periods[0].start.0));
        assert_eq!(
            working_minutes(&plan, start, start + TimeDelta::minutes(10)),
            10
        );
        // The night counts nothing; backwards counts nothing.
        let night = at(monday, 0);
        assert_eq!(
            working_minutes(&plan, night, night + TimeDelta::hours(2)),
            0
        );
        assert_eq!(working_minutes(&plan, start, night), 0);
        // A whole week counts each open day once.
        let week: u32 = (0..7)
            .map(|d| match plan.day_status(monday + TimeDelta::days(d)) {
                DayStatus::Open(periods) => {
                    periods.iter().map(|p| u32::from(p.end.0 - p.start.0)).sum()
                }
                _ => 0,
            })
            .sum();
        assert_eq!(
            working_minutes(&plan, night, at(monday + TimeDelta::days(7), 0)),
            week
        );
    }

    #[test]
    fn the_asker_never_learns_their_question_was_set_aside() {
        let inbox = InboxQuestion {
            code: "K7M4QX9".into(),
            procedure: None,
            text: "…".into(),
            phone: Some("0912345678".into()),
            asked_ms: 1,
            status: QuestionStatus::Spam,
            assigned_to: None,
            answer: None,
            answered_by: Some("an.nguyen".into()),
            decided_ms: Some(2),
            waited_minutes: 0,
            overdue: false,
        };
        let view = asker_view(&inbox, None, 8, 30);
        assert_eq!(view.status, QuestionStatus::Open);
        assert_eq!(view.answer, None);
        let json = crate::json::to_string(&view).expect("json");
        assert!(
            !json.contains("0912345678") && !json.contains("an.nguyen"),
            "{json}"
        );
    }
}
