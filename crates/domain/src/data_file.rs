//! Reading the JSON files an administrator edits under public/data. Every failure names the
//! file and the field, in words an administrator without a Rust toolchain can act on.

use serde::de::DeserializeOwned;

use super::json::JsonError;

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

/// Parses `text` (the contents of `file`) and checks its values.
pub fn parse_data_file<T: DeserializeOwned + Validate>(
    file: &str,
    text: &str,
) -> Result<T, DataFileError> {
    let value: T = parse_data_shape(file, text)?;
    let errors = value.validate();
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(DataFileError::Invalid {
            file: file.to_owned(),
            errors,
        })
    }
}

/// Parses `text` (the contents of `file`) checking its shape only: JSON syntax, types, missing
/// and unknown fields. The browser uses this. The values themselves (both languages present,
/// references that resolve, real dates, every answer leading to a list) are checked before the
/// files are served — by `check-data` when the site is built and by the test suite — so each
/// visitor's browser does not carry that code (6.5 KB of the first-load budget).
pub fn parse_data_shape<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, DataFileError> {
    super::json::from_str(text).map_err(|error| match error {
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
    })
}

/// serde names the field itself for missing and unknown fields: "missing field `en`".
fn field_named_in(detail: &str) -> Option<String> {
    let start = detail.find('`')? + 1;
    let end = start + detail[start..].find('`')?;
    (detail.starts_with("missing field") || detail.starts_with("unknown field"))
        .then(|| detail[start..end].to_owned())
}

/// The last `"key":` at or before a line and column (1-based), i.e. the field whose value is
/// wrong. A cheaper stand-in for path tracking, which cost about a tenth of the app's code.
fn key_before(text: &str, line: usize, column: usize) -> Option<String> {
    let offset: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        + column;
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
}
