//! The content desk's storage (#28), written once for both databases over their dialect like
//! `rules.rs`: drafts, the revisions of each data file the desk writes (every text kept, with
//! who drafted and who approved it), and the station's desk settings.
//!
//! The database is the truth about a file's revisions; the file in a server's data folder is
//! its copy (`crate::content` writes it after the revision commits, and every server brings its
//! copy up to the newest revision). A publish takes the file's row of `content_files` for
//! itself (`FOR UPDATE` on PostgreSQL; SQLite has one writer) and refuses unless the file is
//! still at the revision the draft was made from: two editors changing the same thing never
//! overwrite each other, on one server or several.

use domain::content_desk::{
    ContentError, ContentSettings, Draft, DraftStatus, RevisionInfo, Section,
};

use super::dialect::{Arg, Failure, Row, Tx};
use super::rules::{int_at, maybe_text_at, text_at};
use super::{Result, StoreError};

/// The desk's tables, one text for both databases but for the type of the ids (`$id`).
macro_rules! content_tables {
    ($id:literal) => {
        concat!(
            "
CREATE TABLE content_files (
  station TEXT NOT NULL,
  file TEXT NOT NULL,
  revision BIGINT NOT NULL CHECK (revision >= 0),
  PRIMARY KEY (station, file)
);
CREATE TABLE content_revisions (
  station TEXT NOT NULL,
  file TEXT NOT NULL,
  revision BIGINT NOT NULL CHECK (revision >= 0),
  text TEXT NOT NULL,
  change TEXT NOT NULL,
  drafted_by TEXT,
  approved_by TEXT,
  note TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (station, file, revision)
);
CREATE TABLE content_drafts (
  id ", $id, ",
  station TEXT NOT NULL,
  section TEXT NOT NULL CHECK (section IN ('news', 'hours', 'channels', 'holidays', 'closures')),
  file TEXT NOT NULL,
  base_revision BIGINT NOT NULL,
  text TEXT NOT NULL,
  difference TEXT NOT NULL,
  author TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'published', 'rejected', 'withdrawn')),
  decided_by TEXT,
  decided_at BIGINT,
  revision BIGINT
);
CREATE INDEX content_drafts_by_station ON content_drafts (station, status, id);
CREATE TABLE content_settings (
  station TEXT PRIMARY KEY,
  closures_one_step BOOLEAN NOT NULL
);
"
        )
    };
}
pub(super) use content_tables;

/// The sections a draft may be of, as the databases check them: with the published answers
/// (#29) since migration 8 (SQLite) / 9 (PostgreSQL).
macro_rules! draft_sections {
    () => {
        "'news', 'hours', 'channels', 'holidays', 'closures', 'answers'"
    };
}

/// Drafts may be of the published answers (#29). SQLite cannot change a CHECK: the table is
/// made again with the new one and the drafts copied across, ids and all.
pub(super) const ANSWERS_SECTION_SQLITE: &str = concat!(
    "
CREATE TABLE content_drafts_new (
  id INTEGER PRIMARY KEY,
  station TEXT NOT NULL,
  section TEXT NOT NULL CHECK (section IN (",
    draft_sections!(),
    ")),
  file TEXT NOT NULL,
  base_revision BIGINT NOT NULL,
  text TEXT NOT NULL,
  difference TEXT NOT NULL,
  author TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'published', 'rejected', 'withdrawn')),
  decided_by TEXT,
  decided_at BIGINT,
  revision BIGINT
);
INSERT INTO content_drafts_new SELECT * FROM content_drafts;
DROP TABLE content_drafts;
ALTER TABLE content_drafts_new RENAME TO content_drafts;
CREATE INDEX content_drafts_by_station ON content_drafts (station, status, id);
"
);

/// The same on PostgreSQL, which names a column's CHECK `<table>_<column>_check`.
pub(super) const ANSWERS_SECTION_POSTGRES: &str = concat!(
    "ALTER TABLE content_drafts DROP CONSTRAINT content_drafts_section_check;
ALTER TABLE content_drafts ADD CONSTRAINT content_drafts_section_check CHECK (section IN (",
    draft_sections!(),
    "));"
);

/// A draft to keep: the whole file as publishing would write it, already checked.
#[derive(Clone, Debug)]
pub struct NewDraftRow {
    pub station: String,
    pub section: Section,
    pub base_revision: i64,
    pub text: String,
    pub difference: String,
    pub author: String,
    pub note: String,
    pub now_ms: i64,
}

/// A draft as kept, with the file text it would publish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredDraft {
    pub draft: Draft,
    pub text: String,
}

/// A file's new revision.
#[derive(Clone, Debug)]
pub struct Publish {
    pub station: String,
    pub file: String,
    /// The revision the change was made from: refused (`Stale`) if the file moved on.
    pub base_revision: i64,
    /// The file's text before the desk's first change, kept as revision 0 the first time.
    pub original_text: String,
    pub text: String,
    /// The section changed, `restore` or `server_file`.
    pub change: String,
    pub drafted_by: Option<String>,
    pub approved_by: Option<String>,
    pub note: String,
    /// The draft this publishes: it must be open; its author may approve it only when `alone`.
    pub draft: Option<i64>,
    pub alone: bool,
    pub now_ms: i64,
}

const DRAFT_COLUMNS: &str = "id, section, file, base_revision, author, note, created_at, status, \
     decided_by, decided_at, revision, difference, text";

fn draft_of(row: &Row) -> Result<StoredDraft> {
    let section = text_at(row, 1)?;
    let status = text_at(row, 7)?;
    Ok(StoredDraft {
        draft: Draft {
            id: int_at(row, 0)?,
            section: Section::parse(&section)
                .ok_or_else(|| StoreError::Database(format!("bad section {section}")))?,
            file: text_at(row, 2)?,
            base_revision: int_at(row, 3)?,
            author: text_at(row, 4)?,
            note: text_at(row, 5)?,
            created_ms: int_at(row, 6)?,
            status: DraftStatus::parse(&status)
                .ok_or_else(|| StoreError::Database(format!("bad draft status {status}")))?,
            decided_by: maybe_text_at(row, 8),
            decided_ms: row.get(9).and_then(super::dialect::Cell::int),
            revision: row.get(10).and_then(super::dialect::Cell::int),
            difference: text_at(row, 11)?,
            touched_bookings: Vec::new(),
        },
        text: text_at(row, 12)?,
    })
}

const REVISION_COLUMNS: &str = "file, revision, change, drafted_by, approved_by, note, at";

fn revision_of(row: &Row) -> Result<RevisionInfo> {
    Ok(RevisionInfo {
        file: text_at(row, 0)?,
        revision: int_at(row, 1)?,
        change: text_at(row, 2)?,
        drafted_by: maybe_text_at(row, 3),
        approved_by: maybe_text_at(row, 4),
        note: text_at(row, 5)?,
        at_ms: int_at(row, 6)?,
    })
}

/// Each file's newest revision (files the desk never changed are not listed).
pub(crate) async fn heads(tx: &mut impl Tx, station: &str) -> Result<Vec<(String, i64)>> {
    let rows = tx
        .rows(
            "SELECT file, revision FROM content_files WHERE station = $1 ORDER BY file",
            &[Arg::Text(station)],
        )
        .await
        .map_err(Failure::unexpected)?;
    rows.iter()
        .map(|row| Ok((text_at(row, 0)?, int_at(row, 1)?)))
        .collect()
}

/// One revision of a file, with its text.
pub(crate) async fn revision(
    tx: &mut impl Tx,
    station: &str,
    file: &str,
    revision: i64,
) -> Result<Option<(RevisionInfo, String)>> {
    let sql = format!(
        "SELECT {REVISION_COLUMNS}, text FROM content_revisions
         WHERE station = $1 AND file = $2 AND revision = $3"
    );
    let rows = tx
        .rows(
            &sql,
            &[Arg::Text(station), Arg::Text(file), Arg::Int(revision)],
        )
        .await
        .map_err(Failure::unexpected)?;
    rows.first()
        .map(|row| Ok((revision_of(row)?, text_at(row, 7)?)))
        .transpose()
}

/// A file's revisions, newest first.
pub(crate) async fn revisions(
    tx: &mut impl Tx,
    station: &str,
    file: &str,
    limit: u32,
) -> Result<Vec<RevisionInfo>> {
    let sql = format!(
        "SELECT {REVISION_COLUMNS} FROM content_revisions WHERE station = $1 AND file = $2
         ORDER BY revision DESC LIMIT CAST($3 AS BIGINT)"
    );
    let rows = tx
        .rows(
            &sql,
            &[
                Arg::Text(station),
                Arg::Text(file),
                Arg::Int(i64::from(limit)),
            ],
        )
        .await
        .map_err(Failure::unexpected)?;
    rows.iter().map(revision_of).collect()
}

pub(crate) async fn save_draft(tx: &mut impl Tx, row: &NewDraftRow) -> Result<StoredDraft> {
    let sql = format!(
        "INSERT INTO content_drafts
           (station, section, file, base_revision, text, difference, author, note, created_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open') RETURNING {DRAFT_COLUMNS}"
    );
    let rows = tx
        .rows(
            &sql,
            &[
                Arg::Text(&row.station),
                Arg::Text(row.section.as_str()),
                Arg::Text(row.section.file()),
                Arg::Int(row.base_revision),
                Arg::Text(&row.text),
                Arg::Text(&row.difference),
                Arg::Text(&row.author),
                Arg::Text(&row.note),
                Arg::Int(row.now_ms),
            ],
        )
        .await
        .map_err(Failure::unexpected)?;
    rows.first()
        .map(draft_of)
        .transpose()?
        .ok_or_else(|| StoreError::Database("a draft was not stored".into()))
}

/// The station's open drafts, oldest first, then the `decided` most recently decided.
pub(crate) async fn drafts(
    tx: &mut impl Tx,
    station: &str,
    decided: u32,
) -> Result<Vec<StoredDraft>> {
    let open = format!(
        "SELECT {DRAFT_COLUMNS} FROM content_drafts WHERE station = $1 AND status = 'open' ORDER BY id"
    );
    let closed = format!(
        "SELECT {DRAFT_COLUMNS} FROM content_drafts WHERE station = $1 AND status <> 'open'
         ORDER BY decided_at DESC, id DESC LIMIT CAST($2 AS BIGINT)"
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
    rows.iter().map(draft_of).collect()
}

async fn draft_where<T: Tx>(
    tx: &mut T,
    station: &str,
    id: i64,
    lock: bool,
) -> Result<Option<StoredDraft>> {
    let sql = format!(
        "SELECT {DRAFT_COLUMNS} FROM content_drafts WHERE station = $1 AND id = $2{}",
        if lock { T::LOCK } else { "" }
    );
    let rows = tx
        .rows(&sql, &[Arg::Text(station), Arg::Int(id)])
        .await
        .map_err(Failure::unexpected)?;
    rows.first().map(draft_of).transpose()
}

pub(crate) async fn draft(tx: &mut impl Tx, station: &str, id: i64) -> Result<Option<StoredDraft>> {
    draft_where(tx, station, id, false).await
}

/// Closes an open draft without publishing it (rejected by another, withdrawn by its author).
pub(crate) async fn decide(
    tx: &mut impl Tx,
    station: &str,
    id: i64,
    status: DraftStatus,
    by: &str,
    now_ms: i64,
) -> Result<StoredDraft> {
    let stored = draft_where(tx, station, id, true)
        .await?
        .ok_or(StoreError::Content(ContentError::Unknown))?;
    if stored.draft.status != DraftStatus::Open {
        return Err(StoreError::Content(ContentError::DraftClosed(
            stored.draft.status,
        )));
    }
    tx.run(
        "UPDATE content_drafts SET status = $3, decided_by = $4, decided_at = $5
         WHERE station = $1 AND id = $2",
        &[
            Arg::Text(station),
            Arg::Int(id),
            Arg::Text(status.as_str()),
            Arg::Text(by),
            Arg::Int(now_ms),
        ],
    )
    .await
    .map_err(Failure::unexpected)?;
    draft_where(tx, station, id, false)
        .await?
        .ok_or(StoreError::Content(ContentError::Unknown))
}

/// Writes a file's next revision, as the module's header says; its number.
pub(crate) async fn publish<T: Tx>(tx: &mut T, publish: &Publish) -> Result<i64> {
    let (station, file) = (publish.station.as_str(), publish.file.as_str());
    tx.run(
        "INSERT INTO content_files (station, file, revision) VALUES ($1, $2, 0)
         ON CONFLICT (station, file) DO NOTHING",
        &[Arg::Text(station), Arg::Text(file)],
    )
    .await
    .map_err(Failure::unexpected)?;
    let sql = format!(
        "SELECT revision FROM content_files WHERE station = $1 AND file = $2{}",
        T::LOCK
    );
    let rows = tx
        .rows(&sql, &[Arg::Text(station), Arg::Text(file)])
        .await
        .map_err(Failure::unexpected)?;
    let current = rows
        .first()
        .map(|row| int_at(row, 0))
        .transpose()?
        .unwrap_or(0);
    if current != publish.base_revision {
        return Err(StoreError::Content(ContentError::Stale { current }));
    }
    if let Some(id) = publish.draft {
        let stored = draft_where(tx, station, id, true)
            .await?
            .ok_or(StoreError::Content(ContentError::Unknown))?;
        if stored.draft.status != DraftStatus::Open {
            return Err(StoreError::Content(ContentError::DraftClosed(
                stored.draft.status,
            )));
        }
        if !publish.alone && publish.approved_by.as_deref() == Some(stored.draft.author.as_str()) {
            return Err(StoreError::Content(ContentError::SameAccount));
        }
    }
    let recorded = tx
        .rows(
            "SELECT revision FROM content_revisions WHERE station = $1 AND file = $2 AND revision = 0",
            &[Arg::Text(station), Arg::Text(file)],
        )
        .await
        .map_err(Failure::unexpected)?;
    if current == 0 && recorded.is_empty() {
        insert_revision(
            tx,
            publish,
            0,
            &publish.original_text,
            "original",
            None,
            None,
            "",
        )
        .await?;
    }
    let next = current + 1;
    insert_revision(
        tx,
        publish,
        next,
        &publish.text,
        &publish.change,
        publish.drafted_by.as_deref(),
        publish.approved_by.as_deref(),
        &publish.note,
    )
    .await?;
    tx.run(
        "UPDATE content_files SET revision = $3 WHERE station = $1 AND file = $2",
        &[Arg::Text(station), Arg::Text(file), Arg::Int(next)],
    )
    .await
    .map_err(Failure::unexpected)?;
    if let Some(id) = publish.draft {
        tx.run(
            "UPDATE content_drafts SET status = 'published', decided_by = $3, decided_at = $4,
               revision = $5
             WHERE station = $1 AND id = $2",
            &[
                Arg::Text(station),
                Arg::Int(id),
                Arg::MaybeText(publish.approved_by.as_deref()),
                Arg::Int(publish.now_ms),
                Arg::Int(next),
            ],
        )
        .await
        .map_err(Failure::unexpected)?;
    }
    Ok(next)
}

#[allow(clippy::too_many_arguments)]
async fn insert_revision(
    tx: &mut impl Tx,
    publish: &Publish,
    revision: i64,
    text: &str,
    change: &str,
    drafted_by: Option<&str>,
    approved_by: Option<&str>,
    note: &str,
) -> Result<()> {
    tx.run(
        "INSERT INTO content_revisions
           (station, file, revision, text, change, drafted_by, approved_by, note, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            Arg::Text(&publish.station),
            Arg::Text(&publish.file),
            Arg::Int(revision),
            Arg::Text(text),
            Arg::Text(change),
            Arg::MaybeText(drafted_by),
            Arg::MaybeText(approved_by),
            Arg::Text(note),
            Arg::Int(publish.now_ms),
        ],
    )
    .await
    .map_err(Failure::unexpected)?;
    Ok(())
}

pub(crate) async fn settings(tx: &mut impl Tx, station: &str) -> Result<ContentSettings> {
    let rows = tx
        .rows(
            "SELECT closures_one_step FROM content_settings WHERE station = $1",
            &[Arg::Text(station)],
        )
        .await
        .map_err(Failure::unexpected)?;
    Ok(ContentSettings {
        closures_one_step: rows
            .first()
            .map(|row| int_at(row, 0))
            .transpose()?
            .unwrap_or(0)
            != 0,
    })
}

pub(crate) async fn set_settings(
    tx: &mut impl Tx,
    station: &str,
    settings: ContentSettings,
) -> Result<ContentSettings> {
    tx.run(
        "INSERT INTO content_settings (station, closures_one_step) VALUES ($1, $2)
         ON CONFLICT (station) DO UPDATE SET closures_one_step = $2",
        &[Arg::Text(station), Arg::Bool(settings.closures_one_step)],
    )
    .await
    .map_err(Failure::unexpected)?;
    Ok(settings)
}
