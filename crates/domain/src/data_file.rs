//! Reading the JSON files an administrator edits under public/data. Every failure names the
//! file and the field, in words an administrator without a Rust toolchain can act on.

use serde::de::DeserializeOwned;

use json::JsonError;

/// What is wrong with one field of a data file after it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldProblem {
    /// Text that must be written in both languages is empty in one of them.
    BlankText,
    /// Not a time of day written as HH:MM-HH:MM with the start before the end.
    BadPeriod(String),
    /// Two opening periods of the same day overlap or are out of order.
    PeriodsOverlap,
    /// Not a date written as YYYY-MM-DD.
    BadDate(String),
    /// Not a Vietnamese phone number.
    BadPhone(String),
    /// A list that must have at least one entry is empty.
    EmptyList,
    /// The file's format version is not one this release reads.
    UnsupportedVersion { found: u32, supported: u32 },
    /// An id that is not lowercase letters, digits and dashes, or is used twice.
    BadId(String),
    /// Refers to a topic, question, option, document or form that does not exist.
    UnknownReference(String),
    /// A value needed here is missing.
    Missing,
    /// For the answers in `path`, exactly one entry must apply; `found` did.
    BranchNeedsOne { path: String, found: usize },
    /// For the answers in `path`, no entry applies.
    BranchEmpty(String),
    /// A fee whose amounts do not fit its kind (a fixed fee needs a positive amount, online no
    /// more than in person, a reduction less than the fee).
    BadFee,
    /// A processing time whose numbers do not fit its kind.
    BadProcessingTime,
    /// A number outside what makes sense here.
    OutOfRange { value: i64, min: i64, max: i64 },
    /// Not a host name as the address bar shows it (no scheme, port or path).
    BadHost(String),
    /// Must be of another kind, named as in the file (e.g. "date", or "choice: male, female").
    WrongKind(String),
    /// Not a citation written "source-id" or "source-id | part in Vietnamese | part in English".
    BadCitation(String),
    /// A key nothing reads: misspelt, or not part of this format.
    UnknownField,
    /// Text citizens will read holds what looks like a phone or ID number (a published answer
    /// must hold nothing personal).
    PersonalNumber(String),
}

/// One field in error, located by its path in the file, e.g. `opening_hours.mon[1]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub problem: FieldProblem,
}

/// Why a data file could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DataFileError {
    /// The file could not be fetched (offline with nothing cached, or missing on the server).
    /// `status` is the HTTP status, or None when no answer came (offline, nothing cached).
    #[error("{file}: could not be loaded (status {status:?})")]
    Unavailable { file: String, status: Option<u16> },
    /// The text is not JSON.
    #[error("{file}: not valid JSON at line {line}, column {column}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
    },
    /// The JSON does not have the expected shape; `detail` is the parser's own words. `line` is
    /// None in the browser (its parser gives none), and `field` empty where neither tells.
    #[error("{file}: field `{field}`: {detail}")]
    Shape {
        file: String,
        line: Option<usize>,
        field: String,
        detail: String,
    },
    /// The shape is right but values are not acceptable.
    #[error("{file}: {} field(s) with invalid values", errors.len())]
    Invalid {
        file: String,
        errors: Vec<FieldError>,
    },
}

impl DataFileError {
    pub fn file(&self) -> &str {
        match self {
            DataFileError::Unavailable { file, .. }
            | DataFileError::Syntax { file, .. }
            | DataFileError::Shape { file, .. }
            | DataFileError::Invalid { file, .. } => file,
        }
    }
}

/// Data types read from a file check their values after parsing.
pub trait Validate {
    fn validate(&self) -> Vec<FieldError>;
}

/// A data file as the app reads it, and the notes its editors keep in the same file.
///
/// The types read what they use and pass over other keys, on every target (one shape each):
/// the browser then parses only what it shows (`parse_data_shape`), and a file written for a
/// newer release still reads. Strictness is the checker's: `parse_data_file` refuses a key
/// that neither the type nor its notes read.
pub trait DataFile: DeserializeOwned + Validate {
    /// The fields of the file only `check-data` reads — a source's history, the forms' shared
    /// keys, breaks awaited (`editor_notes`) — or `NoNotes`.
    type Notes: DeserializeOwned;

    /// Checks the notes' values; the file as the app reads it is there for references.
    fn validate_notes(&self, _notes: &Self::Notes) -> Vec<FieldError> {
        Vec::new()
    }
}

/// The notes of a file that has none: every key is the app's.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NoNotes {}

/// Parses `text` (the contents of `file`) and checks its values and keys.
pub fn parse_data_file<T: DataFile>(file: &str, text: &str) -> Result<T, DataFileError> {
    read_data_file::<T>(file, text).map(|(value, _notes)| value)
}

/// Parses `text` (the contents of `file`) as the app reads it and as its notes, and checks
/// both: values, references, and that every key is read by one or the other (a misspelt key
/// would otherwise be passed over in silence). `check-data`, the server and the tests read
/// files through this; the browser does not (`parse_data_shape`).
pub fn read_data_file<T: DataFile>(file: &str, text: &str) -> Result<(T, T::Notes), DataFileError> {
    let (notes, unread_by_notes) = json::from_str_noting_unread::<T::Notes>(text);
    let (value, unread) = json::from_str_noting_unread::<T>(text);
    // A key the app passes over is unknown unless the notes read it, i.e. unless the notes
    // passed over nothing on its way (the notes pass over whole branches they do not use).
    let mut unknown = unread
        .into_iter()
        .filter(|path| unread_by_notes.iter().any(|branch| leads_to(branch, path)));
    let value = match value {
        Ok(value) => value,
        Err(error) => return Err(misspelt_key_behind(file, text, error, unknown.next_back())),
    };
    let mut errors: Vec<FieldError> = unknown
        .map(|field| FieldError {
            field,
            problem: FieldProblem::UnknownField,
        })
        .collect();
    let notes = notes.map_err(|error| shape_error(file, text, error))?;
    errors.extend(value.validate());
    errors.extend(value.validate_notes(&notes));
    if errors.is_empty() {
        Ok((value, notes))
    } else {
        Err(DataFileError::Invalid {
            file: file.to_owned(),
            errors,
        })
    }
}

/// A field missing from the object where an unknown key was found was most likely misspelt as
/// that key: the error then points at the key, by its path, and says both.
fn misspelt_key_behind(
    file: &str,
    text: &str,
    error: JsonError,
    unknown: Option<String>,
) -> DataFileError {
    if let (
        JsonError::Shape {
            detail,
            line: Some(line),
            column,
            ..
        },
        Some(path),
    ) = (&error, unknown)
    {
        let key = path.rsplit(['.', '[']).next().unwrap_or(&path);
        // serde_json puts a missing field at the brace closing its object.
        let close = offset_of(text, *line, *column).saturating_sub(1);
        if detail.starts_with("missing field") && key_in_object_closing_at(text, key, close) {
            return DataFileError::Shape {
                file: file.to_owned(),
                line: Some(*line),
                detail: format!("unknown field `{key}`; {detail}"),
                field: path,
            };
        }
    }
    shape_error(file, text, error)
}

/// Whether the last `"key":` before `close` is in the object whose closing brace is at `close`.
fn key_in_object_closing_at(text: &str, key: &str, close: usize) -> bool {
    let Some(before) = text.get(..close) else {
        return false;
    };
    let quoted = format!("\"{key}\"");
    let Some(start) = before.rfind(&quoted) else {
        return false;
    };
    let (mut depth, mut in_string, mut escaped) = (0_i32, false, false);
    for c in before[start + quoted.len()..].chars() {
        match (in_string, c) {
            (true, _) if escaped => escaped = false,
            (true, '\\') => escaped = true,
            (true, '"') => in_string = false,
            (true, _) => {}
            (false, '"') => in_string = true,
            (false, '{' | '[') => depth += 1,
            (false, '}' | ']') => depth -= 1,
            (false, _) => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0 && !in_string && text.as_bytes().get(close) == Some(&b'}')
}

/// Whether `path` is `branch` or lies within it (`a.b` leads to `a.b.c` and `a.b[0]`).
fn leads_to(branch: &str, path: &str) -> bool {
    path.strip_prefix(branch)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// Parses `text` (the contents of `file`) checking its shape only: JSON syntax, types, missing
/// fields; keys the type does not read are passed over. The browser uses this. The values themselves (both languages present,
/// references that resolve, real dates, every answer leading to a list) are checked before the
/// files are served — by `check-data` when the site is built and by the test suite — so each
/// visitor's browser does not carry that code (6.5 KB of the first-load budget).
pub fn parse_data_shape<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, DataFileError> {
    json::from_str(text).map_err(|error| shape_error(file, text, error))
}

/// A JSON error as a data-file problem, naming the field where the parser or the text tells.
fn shape_error(file: &str, text: &str, error: JsonError) -> DataFileError {
    match error {
        JsonError::Syntax { line, column } => DataFileError::Syntax {
            file: file.to_owned(),
            line,
            column,
        },
        JsonError::Shape {
            detail,
            line,
            column,
            field,
        } => {
            let field = field_named_in(&detail)
                .or(field)
                .or_else(|| line.and_then(|line| key_before(text, line, column)))
                .unwrap_or_default();
            DataFileError::Shape {
                file: file.to_owned(),
                field,
                line,
                detail,
            }
        }
    }
}

/// serde names the field itself for missing and unknown fields: "missing field `en`".
fn field_named_in(detail: &str) -> Option<String> {
    let start = detail.find('`')? + 1;
    let end = start + detail[start..].find('`')?;
    (detail.starts_with("missing field") || detail.starts_with("unknown field"))
        .then(|| detail[start..end].to_owned())
}

/// The byte offset of a line and column (1-based; the column counted in bytes, as serde_json
/// counts it).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    text.split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        + column
}

/// The last `"key":` at or before a line and column (1-based), i.e. the field whose value is
/// wrong. A cheaper stand-in for path tracking, which cost about a tenth of the app's code.
fn key_before(text: &str, line: usize, column: usize) -> Option<String> {
    let offset = offset_of(text, line, column);
    let before = text.get(..offset.min(text.len()))?;
    let colon = before.rfind(':')?;
    let key_end = before[..colon].trim_end().strip_suffix('"')?;
    let key_start = key_end.rfind('"')? + 1;
    Some(key_end[key_start..].to_owned())
}

/// Collects field errors with their paths while walking a parsed file.
#[derive(Default)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn push(&mut self, field: impl Into<String>, problem: FieldProblem) {
        self.0.push(FieldError {
            field: field.into(),
            problem,
        });
    }

    pub fn check_text(&mut self, field: impl Into<String>, text: &super::text::Localized) {
        if text.has_blank() {
            self.push(field, FieldProblem::BlankText);
        }
    }

    /// A date written YYYY-MM-DD that is a real day.
    pub fn check_date(&mut self, field: impl Into<String>, text: &str) {
        if super::time::parse_iso_date(text).is_none() {
            self.push(field, FieldProblem::BadDate(text.to_owned()));
        }
    }

    /// An inclusive range of days `at.from`–`at.to`: both real dates, the first not after the
    /// last.
    pub fn check_range(&mut self, at: &str, from: &str, to: &str) {
        use super::time::parse_iso_date;
        match (parse_iso_date(from), parse_iso_date(to)) {
            (Some(first), Some(last)) if first <= last => {}
            (None, _) => self.push(format!("{at}.from"), FieldProblem::BadDate(from.to_owned())),
            _ => self.push(format!("{at}.to"), FieldProblem::BadDate(to.to_owned())),
        }
    }

    pub fn check_version(&mut self, found: u32, supported: u32) {
        if found != supported {
            self.push(
                "schema_version",
                FieldProblem::UnsupportedVersion { found, supported },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_of_a_wrong_value_is_found_before_the_error() {
        let text = "{\n  \"name\": \"x\",\n  \"phone\": 12\n}";
        assert_eq!(key_before(text, 3, 13).as_deref(), Some("phone"));
        assert_eq!(
            field_named_in("missing field `parent_agency`").as_deref(),
            Some("parent_agency")
        );
        assert_eq!(
            field_named_in("unknown field `english`, expected `vi` or `en`").as_deref(),
            Some("english")
        );
        assert_eq!(
            field_named_in("invalid type: integer `12`, expected a string"),
            None
        );
    }

    #[derive(Debug, serde::Deserialize)]
    struct Shown {
        name: String,
        items: Vec<ShownItem>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct ShownItem {
        #[allow(dead_code)]
        id: u32,
    }

    #[derive(Debug, serde::Deserialize)]
    struct EditorsOnly {
        items: Vec<ItemNote>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct ItemNote {
        checked: Option<String>,
    }

    impl Validate for Shown {
        fn validate(&self) -> Vec<FieldError> {
            let mut errors = FieldErrors::default();
            if self.name.is_empty() {
                errors.push("name", FieldProblem::Missing);
            }
            errors.0
        }
    }

    impl DataFile for Shown {
        type Notes = EditorsOnly;
        fn validate_notes(&self, notes: &EditorsOnly) -> Vec<FieldError> {
            let mut errors = FieldErrors::default();
            for (i, note) in notes.items.iter().enumerate() {
                if let Some(checked) = &note.checked {
                    errors.check_date(format!("items[{i}].checked"), checked);
                }
            }
            errors.0
        }
    }

    // Guards strictness now that types pass over keys: a key read by the notes is known, one
    // read by neither is reported with its path, with every value problem beside it.
    #[test]
    fn a_key_neither_the_app_nor_the_notes_read_is_refused_with_its_path() {
        let good = r#"{"name": "A", "items": [{"id": 1, "checked": "2026-12-03"}]}"#;
        let (shown, notes) = read_data_file::<Shown>("x.json", good).expect("valid");
        assert_eq!(shown.items.len(), 1);
        assert_eq!(notes.items[0].checked.as_deref(), Some("2026-12-03"));

        let bad = r#"{"name": "", "nmae": "A", "items": [{"id": 1, "chekced": "x", "checked": "2026-13-01"}]}"#;
        match parse_data_file::<Shown>("x.json", bad) {
            Err(DataFileError::Invalid { file, errors }) => {
                assert_eq!(file, "x.json");
                let found: Vec<(&str, &FieldProblem)> = errors
                    .iter()
                    .map(|e| (e.field.as_str(), &e.problem))
                    .collect();
                assert_eq!(
                    found,
                    [
                        ("nmae", &FieldProblem::UnknownField),
                        ("items[0].chekced", &FieldProblem::UnknownField),
                        ("name", &FieldProblem::Missing),
                        (
                            "items[0].checked",
                            &FieldProblem::BadDate("2026-13-01".into())
                        ),
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
        // The browser's reading passes over both.
        assert!(parse_data_shape::<Shown>("x.json", bad).is_ok());
    }

    // Guards the message for a misspelt key whose field is then missing: it points at the key
    // only when the key is in the object missing the field.
    #[test]
    fn a_missing_field_points_at_a_misspelt_key_in_its_own_object_only() {
        let misspelt = "{\"name\": \"A\",\n \"items\": [{\"id\": 1}, {\"idd\": 2}]}";
        match parse_data_file::<Shown>("x.json", misspelt) {
            Err(DataFileError::Shape { field, detail, .. }) => {
                assert_eq!(field, "items[1].idd");
                assert_eq!(detail, "unknown field `idd`; missing field `id`");
            }
            other => panic!("{other:?}"),
        }
        let elsewhere = "{\"name\": \"A\",\n \"items\": [{\"id\": 1, \"x\": {\"y\": \"}\"}}, {}]}";
        match parse_data_file::<Shown>("x.json", elsewhere) {
            Err(DataFileError::Shape { field, detail, .. }) => {
                assert_eq!(field, "id");
                assert_eq!(detail, "missing field `id`");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_branch_leads_to_what_lies_within_it_only() {
        assert!(leads_to("a.b", "a.b"));
        assert!(leads_to("a.b", "a.b.c"));
        assert!(leads_to("a.b", "a.b[0].c"));
        assert!(!leads_to("a.b", "a.bc"));
        assert!(!leads_to("a.b.c", "a.b"));
    }
}
