//! The content desk (#28): what the station's editors may change in the browser, and the API's
//! shapes for drafts, approvals and revisions. Each section is a part of one data file; a draft
//! replaces that part, and is published (the file written) only when a second account approves
//! it. The rules a published file must pass are `check-data`'s own (`data_check`).

use serde::{Deserialize, Serialize};

use crate::text::Lang;

/// A part of a data file an editor changes as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// news.json `items`: news and scam warnings.
    News,
    /// station.json `opening_hours` and `hours_note`.
    Hours,
    /// station.json `channels`: the station's official pages and numbers.
    Channels,
    /// schedule.json `holidays`.
    Holidays,
    /// schedule.json `closures`: the station's own closed days, taken out of booking.
    Closures,
    /// answers.json `answers`: the station's published answers to citizens' questions (#29).
    Answers,
}

crate::named::named_enum!(Section {
    "news" => News,
    "hours" => Hours,
    "channels" => Channels,
    "holidays" => Holidays,
    "closures" => Closures,
    "answers" => Answers,
});

/// The data files the desk writes, as named in the station's data folder.
pub const EDITABLE_FILES: [&str; 4] =
    ["news.json", "station.json", "schedule.json", "answers.json"];

impl Section {
    pub fn as_str(self) -> &'static str {
        crate::named::name_of(self)
    }

    pub fn parse(text: &str) -> Option<Section> {
        crate::named::parse(text)
    }

    /// The file (in the station's data folder) this section is part of.
    pub fn file(self) -> &'static str {
        match self {
            Section::News => "news.json",
            Section::Hours | Section::Channels => "station.json",
            Section::Holidays | Section::Closures => "schedule.json",
            Section::Answers => "answers.json",
        }
    }

    /// The file's top-level keys the section replaces. A key of these missing from a draft is
    /// removed from the file (each is optional where it may be missing).
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            Section::News => &["items"],
            Section::Hours => &["opening_hours", "hours_note"],
            Section::Channels => &["channels"],
            Section::Holidays => &["holidays"],
            Section::Closures => &["closures"],
            Section::Answers => &["answers"],
        }
    }
}

/// `POST /api/v1/staff/content/drafts`: the section's new value (an object of its keys), made
/// from the file at `base_revision`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDraft<V> {
    pub section: Section,
    pub base_revision: i64,
    pub value: V,
    /// Why: shown to the approver and kept with the revision.
    #[serde(default)]
    pub note: String,
}

/// A draft's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftStatus {
    /// Waiting for a second account.
    Open,
    Published,
    Rejected,
    /// Taken back by its author.
    Withdrawn,
}

crate::named::named_enum!(DraftStatus {
    "open" => Open,
    "published" => Published,
    "rejected" => Rejected,
    "withdrawn" => Withdrawn,
});

impl DraftStatus {
    pub fn as_str(self) -> &'static str {
        crate::named::name_of(self)
    }

    pub fn parse(text: &str) -> Option<DraftStatus> {
        crate::named::parse(text)
    }
}

/// A draft as the desk lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub id: i64,
    pub section: Section,
    pub file: String,
    pub base_revision: i64,
    pub author: String,
    pub note: String,
    pub created_ms: i64,
    pub status: DraftStatus,
    pub decided_by: Option<String>,
    pub decided_ms: Option<i64>,
    /// The revision it became, once published.
    pub revision: Option<i64>,
    /// What publishing would change, line by line (`-` removed, `+` added, two lines of
    /// context), against the file it was made from.
    pub difference: String,
    /// Bookings on days the draft closes that were open before: the officer contacts them.
    pub touched_bookings: Vec<TouchedBooking>,
}

/// A booking on a day a closure takes out of booking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TouchedBooking {
    pub code: String,
    pub date: String,
    /// HH:MM.
    pub start: String,
    pub counter: String,
    pub procedure: String,
    pub name: String,
    pub phone: String,
}

/// One published revision of a file (its text at `GET …/revisions/{file}/{n}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionInfo {
    pub file: String,
    pub revision: i64,
    /// The section changed, `restore`, `original` (the file before the desk's first change) or
    /// `server_file` (a change made to the file on the server by hand).
    pub change: String,
    pub drafted_by: Option<String>,
    pub approved_by: Option<String>,
    pub note: String,
    pub at_ms: i64,
}

/// `GET /api/v1/staff/content`: each file's current revision, the drafts still open and the
/// latest decided ones, and the station's setting for closures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentOverview {
    pub files: Vec<FileRevision>,
    pub drafts: Vec<Draft>,
    pub settings: ContentSettings,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRevision {
    pub file: String,
    pub revision: i64,
}

/// What an admin decides for the station's desk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentSettings {
    /// A closure is urgent ("closed this afternoon"): its author may publish it alone.
    pub closures_one_step: bool,
}

/// `POST /api/v1/staff/content/drafts/{id}/approve` answers the revision written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub file: String,
    pub revision: i64,
}

/// One problem an edit has, where it is (the file's field path) and how bad.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentProblem {
    /// The field's path in the file (`items[2].title`), empty for the file as a whole.
    pub field: String,
    pub message_vi: String,
    pub message_en: String,
    /// A warning is shown; only an error refuses the edit.
    pub error: bool,
}

/// `422 invalid_content`: the edit was refused for these problems (the same `check-data` gives).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentRefused {
    pub error: String,
    pub message_vi: String,
    pub message_en: String,
    pub problems: Vec<ContentProblem>,
}

/// Why the desk refuses a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContentError {
    /// The file changed since the draft was made (another editor published first).
    Stale { current: i64 },
    /// The draft's own author cannot approve it.
    SameAccount,
    /// The draft was published, rejected or withdrawn already.
    DraftClosed(DraftStatus),
    /// No draft of the station's has this number, or no such revision.
    Unknown,
    /// The account may not edit the station's content.
    NotEditor,
}

impl ContentError {
    /// The message in plain words, Vietnamese and English.
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            ContentError::Stale { current } => {
                if vi {
                    format!("Nội dung này vừa được người khác thay đổi (phiên bản {current}). Hãy mở lại bản mới nhất, rồi sửa lại trên đó; bản nháp của bạn vẫn được giữ.")
                } else {
                    format!("Someone else changed this content meanwhile (revision {current}). Open the latest version and make your change on it; your draft is kept.")
                }
            }
            ContentError::SameAccount => if vi {
                "Bản nháp phải được một cán bộ khác duyệt, không phải người soạn."
            } else {
                "A draft must be approved by another officer, not its author."
            }
            .into(),
            ContentError::DraftClosed(status) => {
                if vi {
                    format!("Bản nháp này đã được xử lý ({}).", status.as_str())
                } else {
                    format!("This draft was already dealt with ({}).", status.as_str())
                }
            }
            ContentError::Unknown => if vi {
                "Không tìm thấy bản nháp hoặc phiên bản này."
            } else {
                "No such draft or revision."
            }
            .into(),
            ContentError::NotEditor => if vi {
                "Tài khoản của bạn chưa được giao quyền biên tập nội dung. Hãy nhờ quản trị viên."
            } else {
                "Your account may not edit the station's content. Ask an administrator."
            }
            .into(),
        }
    }

    /// Its word for programs.
    pub fn code(&self) -> &'static str {
        match self {
            ContentError::Stale { .. } => "content_changed",
            ContentError::SameAccount => "second_officer_needed",
            ContentError::DraftClosed(_) => "draft_closed",
            ContentError::Unknown => "unknown_draft",
            ContentError::NotEditor => "not_editor",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_section_reads_back_from_its_name_and_names_a_file_the_desk_writes() {
        use crate::named::Named;
        for section in Section::VALUES {
            assert_eq!(Section::parse(section.as_str()), Some(*section));
            assert!(EDITABLE_FILES.contains(&section.file()), "{section:?}");
            assert!(!section.keys().is_empty());
        }
        assert_eq!(Section::parse("procedures"), None);
    }

    #[test]
    fn every_refusal_says_what_to_do_in_both_languages() {
        for error in [
            ContentError::Stale { current: 4 },
            ContentError::SameAccount,
            ContentError::DraftClosed(DraftStatus::Published),
            ContentError::Unknown,
            ContentError::NotEditor,
        ] {
            let (vi, en) = (error.message(Lang::Vi), error.message(Lang::En));
            assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{error:?}");
        }
        assert!(ContentError::Stale { current: 4 }
            .message(Lang::En)
            .contains('4'));
    }
}
