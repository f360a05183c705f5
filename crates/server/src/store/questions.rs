//! Questions to the station (#29), written once for both databases over their dialect like
//! `rules.rs`: a citizen's question, its reply code and the hash of its secret, the officer who
//! took it and the answer. A step (take, answer, set aside) reads the question's row for itself
//! first (`FOR UPDATE` on PostgreSQL; SQLite has one writer) and changes only an open question,
//! so two officers answering at once never both succeed, on one server or several.
//!
//! Erasure empties the question's text, phone and answer — everything a citizen or an officer
//! wrote — and keeps the code, the procedure and the times, which the station's figures use.

use domain::questions::{QuestionError, QuestionStatus};
use domain::station_api::StaffRole;

use super::dialect::{Arg, Failure, Row, Tx};
use super::rules::{int_at, maybe_text_at, text_at};
use super::{Result, StoreError};

/// The questions' table, one text for both databases but for the type of the ids (`$id`).
macro_rules! question_tables {
    ($id:literal) => {
        concat!(
            "
CREATE TABLE questions (
  id ",
            $id,
            ",
  station TEXT NOT NULL,
  code TEXT NOT NULL,
  procedure TEXT,
  text TEXT,
  phone TEXT,
  token_hash TEXT NOT NULL,
  asked_at BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'spam')),
  assigned_to TEXT,
  answer TEXT,
  decided_by TEXT,
  decided_role TEXT,
  decided_at BIGINT,
  erased_at BIGINT,
  UNIQUE (station, code)
);
CREATE INDEX questions_by_status ON questions (station, status, asked_at);
"
        )
    };
}
pub(super) use question_tables;

/// A question to keep, already checked (`domain::questions::check_question`).
#[derive(Clone, Debug)]
pub struct NewQuestionRow {
    pub station: String,
    pub code: String,
    pub procedure: Option<String>,
    pub text: String,
    pub phone: Option<String>,
    pub token_hash: String,
    pub now_ms: i64,
}

/// A question as kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredQuestion {
    pub code: String,
    pub procedure: Option<String>,
    /// Empty once erased.
    pub text: String,
    pub phone: Option<String>,
    pub token_hash: String,
    pub asked_ms: i64,
    pub status: QuestionStatus,
    pub assigned_to: Option<String>,
    pub answer: Option<String>,
    pub decided_by: Option<String>,
    pub decided_role: Option<StaffRole>,
    pub decided_ms: Option<i64>,
    pub erased: bool,
}

/// What an officer does to an open question.
#[derive(Clone, Debug)]
pub enum QuestionStep {
    /// Takes it (or gives it back with `None`).
    Assign(Option<String>),
    Answer {
        text: String,
        role: StaffRole,
    },
    /// Spam or abusive: never answered, kept for the audit until erased.
    SetAside {
        role: StaffRole,
    },
}

const COLUMNS: &str = "code, procedure, text, phone, token_hash, asked_at, status, assigned_to, \
     answer, decided_by, decided_role, decided_at, erased_at";

fn question_of(row: &Row) -> Result<StoredQuestion> {
    let status = text_at(row, 6)?;
    Ok(StoredQuestion {
        code: text_at(row, 0)?,
        procedure: maybe_text_at(row, 1),
        text: maybe_text_at(row, 2).unwrap_or_default(),
        phone: maybe_text_at(row, 3),
        token_hash: text_at(row, 4)?,
        asked_ms: int_at(row, 5)?,
        status: QuestionStatus::parse(&status)
            .ok_or_else(|| StoreError::Database(format!("bad question status {status}")))?,
        assigned_to: maybe_text_at(row, 7),
        answer: maybe_text_at(row, 8),
        decided_by: maybe_text_at(row, 9),
        decided_role: maybe_text_at(row, 10).as_deref().and_then(StaffRole::parse),
        decided_ms: row.get(11).and_then(super::dialect::Cell::int),
        erased: row.get(12).and_then(super::dialect::Cell::int).is_some(),
    })
}

/// Keeps a new question; `CodeTaken` when its code is already the station's.
pub(crate) async fn insert(tx: &mut impl Tx, row: &NewQuestionRow) -> Result<StoredQuestion> {
    let sql = format!(
        "INSERT INTO questions (station, code, procedure, text, phone, token_hash, asked_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open')
         ON CONFLICT (station, code) DO NOTHING RETURNING {COLUMNS}"
    );
    let rows = tx
        .rows(
            &sql,
            &[
                Arg::Text(&row.station),
                Arg::Text(&row.code),
                Arg::MaybeText(row.procedure.as_deref()),
                Arg::Text(&row.text),
                Arg::MaybeText(row.phone.as_deref()),
                Arg::Text(&row.token_hash),
                Arg::Int(row.now_ms),
            ],
        )
        .await
        .map_err(Failure::unexpected)?;
    rows.first()
        .map(question_of)
        .transpose()?
        .ok_or(StoreError::CodeTaken)
}

async fn find_where<T: Tx>(
    tx: &mut T,
    station: &str,
    code: &str,
    lock: bool,
) -> Result<Option<StoredQuestion>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM questions WHERE station = $1 AND code = $2{}",
        if lock { T::LOCK } else { "" }
    );
    let rows = tx
        .rows(&sql, &[Arg::Text(station), Arg::Text(code)])
        .await
        .map_err(Failure::unexpected)?;
    rows.first().map(question_of).transpose()
}

pub(crate) async fn find(
    tx: &mut impl Tx,
    station: &str,
    code: &str,
) -> Result<Option<StoredQuestion>> {
    find_where(tx, station, code, false).await
}

/// The station's open questions, oldest first, then the `decided` latest decided ones.
/// Erased questions are not listed.
pub(crate) async fn inbox(
    tx: &mut impl Tx,
    station: &str,
    decided: u32,
) -> Result<Vec<StoredQuestion>> {
    let open = format!(
        "SELECT {COLUMNS} FROM questions WHERE station = $1 AND status = 'open'
           AND erased_at IS NULL ORDER BY asked_at, id"
    );
    let closed = format!(
        "SELECT {COLUMNS} FROM questions WHERE station = $1 AND status <> 'open'
           AND erased_at IS NULL ORDER BY decided_at DESC, id DESC LIMIT CAST($2 AS BIGINT)"
    );
    let mut rows = tx
        .rows(&open, &[Arg::Text(station)])
        .await
        .map_err(Failure::unexpected)?;
    rows.extend(
        tx.rows(&closed, &[Arg::Text(station), Arg::Int(i64::from(decided))])
            .await
            .map_err(Failure::unexpected)?,
    );
    rows.iter().map(question_of).collect()
}

/// One officer's step on an open question, as the module's header says.
pub(crate) async fn step(
    tx: &mut impl Tx,
    station: &str,
    code: &str,
    by: &str,
    step: &QuestionStep,
    now_ms: i64,
) -> Result<StoredQuestion> {
    let question = find_where(tx, station, code, true)
        .await?
        .filter(|q| !q.erased)
        .ok_or(StoreError::Question(QuestionError::UnknownCode))?;
    if question.status != QuestionStatus::Open {
        return Err(StoreError::Question(QuestionError::Closed(question.status)));
    }
    let station_code = [Arg::Text(station), Arg::Text(code)];
    let (sql, more): (&str, Vec<Arg<'_>>) = match step {
        QuestionStep::Assign(to) => (
            "UPDATE questions SET assigned_to = $3 WHERE station = $1 AND code = $2",
            vec![Arg::MaybeText(to.as_deref())],
        ),
        QuestionStep::Answer { text, role } => (
            "UPDATE questions SET status = 'answered', answer = $3, decided_by = $4,
               decided_role = $5, decided_at = $6
             WHERE station = $1 AND code = $2",
            vec![
                Arg::Text(text),
                Arg::Text(by),
                Arg::Text(role.as_str()),
                Arg::Int(now_ms),
            ],
        ),
        QuestionStep::SetAside { role } => (
            "UPDATE questions SET status = 'spam', decided_by = $3, decided_role = $4,
               decided_at = $5
             WHERE station = $1 AND code = $2",
            vec![Arg::Text(by), Arg::Text(role.as_str()), Arg::Int(now_ms)],
        ),
    };
    let args: Vec<Arg<'_>> = station_code.into_iter().chain(more).collect();
    tx.run(sql, &args).await.map_err(Failure::unexpected)?;
    find_where(tx, station, code, false)
        .await?
        .ok_or(StoreError::Question(QuestionError::UnknownCode))
}

/// Erases what was written in the station's questions decided (answered or set aside) before
/// `decided_before_ms` and in open ones asked before `asked_before_ms`; how many.
pub(crate) async fn erase(
    tx: &mut impl Tx,
    station: &str,
    decided_before_ms: i64,
    asked_before_ms: i64,
    now_ms: i64,
) -> Result<u64> {
    tx.run(
        "UPDATE questions SET text = NULL, phone = NULL, answer = NULL, erased_at = $4
         WHERE station = $1 AND erased_at IS NULL
           AND ((status <> 'open' AND decided_at < $2) OR (status = 'open' AND asked_at < $3))",
        &[
            Arg::Text(station),
            Arg::Int(decided_before_ms),
            Arg::Int(asked_before_ms),
            Arg::Int(now_ms),
        ],
    )
    .await
    .map_err(Failure::unexpected)
}
