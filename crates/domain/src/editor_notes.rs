//! What the data files keep that no visitor's browser reads: for their editors, a source's
//! number, dates and history, the shared keys the forms declare, breaks whose days are still
//! awaited; for the station server, how the station runs its queue (schedule.json's `queue`).
//! The app's types leave them out (one shape each, on every target), so no browser parses
//! them; `check-data` and the server read them from the same files as these small views
//! (`data_file::read_data_file`), check them, and review the content with them
//! (`content_check`).
//!
//! What else only the editors read is small enough that the app's types carry it: a fee's and
//! the holiday list's `checked` day, `content_max_age_months`, and the forms' print fields,
//! which the forms bundle now parses although only the PDF module prints them (docs/size.md
//! has what each choice cost).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::catalog::Catalog;
use super::data_file::{DataFile, FieldError, FieldErrors, FieldProblem};
use super::forms::{FieldKind, FormCatalog, FILLED_BY_APP};
use super::named::name_of;
use super::schedule::{AwaitedBreak, Plan};

/// procedures.json as its editors keep it beside what citizens read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct CatalogNotes {
    pub sources: Vec<SourceNotes>,
}

/// A source's entry as `check-data` reads it: the same entry as `catalog::Source`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SourceNotes {
    pub id: String,
    /// The number as printed on it, e.g. "116/2026/TT-BCA".
    pub number: String,
    /// First day in force (YYYY-MM-DD), where known.
    #[serde(default)]
    pub in_force: Option<String>,
    /// The source that repeals or replaces it, and from which day.
    #[serde(default)]
    pub repealed_by: Option<String>,
    #[serde(default)]
    pub repealed_from: Option<String>,
    /// The sources this one amends (ids), so the list tells which text applied when: an
    /// amending law names the laws it changed, and each keeps its own entry.
    #[serde(default)]
    pub amends: Vec<String>,
    /// Where the text (or an official transcription of it) was read, and on which day
    /// (YYYY-MM-DD): a reviewer can read the same page again.
    #[serde(default)]
    pub read: Option<String>,
    #[serde(default)]
    pub checked: Option<String>,
}

impl CatalogNotes {
    pub fn source(&self, id: &str) -> Option<&SourceNotes> {
        self.sources.iter().find(|s| s.id == id)
    }
}

impl DataFile for Catalog {
    type Notes = CatalogNotes;

    fn validate_notes(&self, notes: &CatalogNotes) -> Vec<FieldError> {
        let mut errors = FieldErrors::default();
        for (i, source) in notes.sources.iter().enumerate() {
            let (id, at) = (&source.id, format!("sources[{i}]"));
            if source.number.trim().is_empty() {
                errors.push(format!("{at}.number"), FieldProblem::Missing);
            }
            if let Some(in_force) = &source.in_force {
                errors.check_date(format!("{at}.in_force"), in_force);
            }
            let other = |reference: &String| reference != id && notes.source(reference).is_some();
            // Repealed by a source from a day, or neither.
            if let Some(by) = both_or_neither(
                &mut errors,
                &at,
                ("repealed_by", &source.repealed_by),
                ("repealed_from", &source.repealed_from),
            ) {
                if !other(by.0) {
                    errors.push(
                        format!("{at}.repealed_by"),
                        FieldProblem::UnknownReference(by.0.clone()),
                    );
                }
                errors.check_date(format!("{at}.repealed_from"), by.1);
            }
            for (j, amended) in source.amends.iter().enumerate() {
                if !other(amended) {
                    errors.push(
                        format!("{at}.amends[{j}]"),
                        FieldProblem::UnknownReference(amended.clone()),
                    );
                }
            }
            // A page read is only worth keeping with the day it was read, and the reverse.
            if let Some((_, checked)) = both_or_neither(
                &mut errors,
                &at,
                ("read", &source.read),
                ("checked", &source.checked),
            ) {
                errors.check_date(format!("{at}.checked"), checked);
            }
        }
        errors.0
    }
}

/// Two fields that go together: both given (returned), or neither; one alone is reported as
/// the other missing.
fn both_or_neither<'a>(
    errors: &mut FieldErrors,
    at: &str,
    (first_name, first): (&str, &'a Option<String>),
    (second_name, second): (&str, &'a Option<String>),
) -> Option<(&'a String, &'a String)> {
    match (first, second) {
        (Some(first), Some(second)) => return Some((first, second)),
        (Some(_), None) => errors.push(format!("{at}.{second_name}"), FieldProblem::Missing),
        (None, Some(_)) => errors.push(format!("{at}.{first_name}"), FieldProblem::Missing),
        (None, None) => {}
    }
    None
}

/// schedule.json's breaks still to be announced, and its queue settings (the server's: the
/// pages are told them with each ticket).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct PlanNotes {
    #[serde(default)]
    pub queue: crate::queue::QueueRules,
    /// Breaks whose length the government has still to announce (Tết 2027: seven or ten days
    /// proposed). `check-data` lists the days in the window that are still open for booking,
    /// so the editor sees what the announcement may close.
    #[serde(default)]
    pub awaiting: Vec<AwaitedBreak>,
}

impl DataFile for Plan {
    type Notes = PlanNotes;

    fn validate_notes(&self, notes: &PlanNotes) -> Vec<FieldError> {
        let mut errors = FieldErrors::default();
        let queue = &notes.queue;
        for (field, value, min, max) in [
            ("queue.late_after_minutes", queue.late_after_minutes, 0, 240),
            (
                "queue.calls_before_no_show",
                u16::from(queue.calls_before_no_show),
                1,
                10,
            ),
            (
                "queue.minutes_per_citizen",
                queue.minutes_per_citizen,
                1,
                240,
            ),
        ] {
            if !(min..=max).contains(&value) {
                errors.push(
                    field,
                    FieldProblem::OutOfRange {
                        value: i64::from(value),
                        min: i64::from(min),
                        max: i64::from(max),
                    },
                );
            }
        }
        for (i, group) in queue.priority_groups.iter().enumerate() {
            errors.check_text(format!("queue.priority_groups[{i}]"), group);
        }
        for (i, awaited) in notes.awaiting.iter().enumerate() {
            let at = format!("awaiting[{i}]");
            errors.check_range(&at, &awaited.from, &awaited.to);
            if awaited.name.trim().is_empty() {
                errors.push(format!("{at}.name"), FieldProblem::Missing);
            }
        }
        errors.0
    }
}

/// forms.json's declarations: every key a field may share its answer under, with the kind of
/// answer it carries, so that a misspelt key or a date shared into a text box fails the build,
/// not a citizen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct FormNotes {
    #[serde(default)]
    pub shared_keys: BTreeMap<String, FieldKind>,
}

impl DataFile for FormCatalog {
    type Notes = FormNotes;

    fn validate_notes(&self, notes: &FormNotes) -> Vec<FieldError> {
        let mut errors = FieldErrors::default();
        let declared =
            |key: &str, kind: FieldKind, at: String, errors: &mut FieldErrors| match notes
                .shared_keys
                .get(key)
            {
                None => errors.push(at, FieldProblem::UnknownReference(key.to_owned())),
                Some(found) if *found != kind => {
                    errors.push(at, FieldProblem::WrongKind(name_of(*found).into()))
                }
                Some(_) => {}
            };
        for (key, kind) in FILLED_BY_APP {
            match notes.shared_keys.get(key) {
                None => errors.push(format!("shared_keys.{key}"), FieldProblem::Missing),
                Some(found) if *found != kind => errors.push(
                    format!("shared_keys.{key}"),
                    FieldProblem::WrongKind(name_of(kind).into()),
                ),
                Some(_) => {}
            }
        }
        for (f, form) in self.forms.iter().enumerate() {
            for (s, step) in form.steps.iter().enumerate() {
                for (i, field) in step.fields.iter().enumerate() {
                    if let Some(key) = &field.shared {
                        let at = format!("forms[{f}].steps[{s}].fields[{i}].shared");
                        declared(key, field.kind, at, &mut errors);
                    }
                }
            }
        }
        errors.0
    }
}
