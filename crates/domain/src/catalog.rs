//! The procedure catalogue (public/data/procedures.json): topics, procedures, the questions that
//! decide a citizen's case, and what each case needs. Conditions in the data (`when`) select
//! entries; `checklist` turns answers into the citizen's own list.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::data_file::{FieldError, FieldErrors, FieldProblem, Validate};
use super::text::{fold_for_search, Localized};
use super::time::parse_iso_date;

pub const CATALOG_FILE: &str = "data/procedures.json";
pub const CATALOG_SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub schema_version: u32,
    pub topics: Vec<Topic>,
    /// Papers a citizen may have to bring, by id.
    pub documents: BTreeMap<String, Document>,
    /// Official forms, by id.
    pub forms: BTreeMap<String, FormInfo>,
    /// The legal texts the content rests on, each named once and cited by id, so that a
    /// repeal is one edit here and `check-data` finds every citation of it. A list rather than
    /// a map keyed by id: the app already has list code, and a map of a new type costs a parser.
    pub sources: Vec<Source>,
    pub procedures: Vec<Procedure>,
}

/// A law, decree, circular or resolution, as citizens see it cited. Its number, dates and
/// history are the editors' (`editor_notes::SourceNotes`, read from the same entry).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// How citations name it, e.g. "tt-116-2026-bca".
    pub id: String,
    /// How citizens see it named, e.g. "Thông tư 116/2026/TT-BCA" / "Circular 116/2026/TT-BCA".
    pub name: Localized,
    /// False while it is known only from reports, not read in the official text: the app says
    /// so next to every citation of it.
    #[serde(default = "yes")]
    pub confirmed: bool,
}

/// A reference to a source, optionally to a part of it, written as one string:
/// `"tt-116-2026-bca"` or `"tt-116-2026-bca | điều 3 | art. 3"` (source id | part in Vietnamese |
/// part in English). A plain string rather than an object or a newtype: the app then reads
/// lists of them with the string-list reader it already has instead of one more parser.
pub type Citation = String;

/// A citation read: its source id and part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cite<'a>(pub &'a str);

impl Cite<'_> {
    /// The cited source's id.
    pub fn source(&self) -> &str {
        self.0.split(" | ").next().unwrap_or_default().trim()
    }

    /// The part cited in `lang`, if any; `None` also when the string is malformed (validation
    /// says so).
    pub fn part_in(&self, lang: super::text::Lang) -> Option<&str> {
        let index = match lang {
            super::text::Lang::Vi => 1,
            super::text::Lang::En => 2,
        };
        self.0.split(" | ").nth(index).map(str::trim)
    }

    /// Whether it is written as one of the two accepted shapes.
    fn well_formed(&self) -> bool {
        let pieces: Vec<&str> = self.0.split(" | ").map(str::trim).collect();
        matches!(pieces.len(), 1 | 3) && pieces.iter().all(|p| !p.is_empty())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub id: String,
    pub title: Localized,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub name: Localized,
    #[serde(default)]
    pub detail: Option<Localized>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormInfo {
    /// The code printed on the form, e.g. "CT01".
    pub code: String,
    pub title: Localized,
    /// The act that issues the form; none when no form is set by law (`note` says so).
    #[serde(default)]
    pub basis: Option<Citation>,
    #[serde(default)]
    pub note: Option<Localized>,
    /// The id of its guided version in data/forms.json, when the app can fill it.
    #[serde(default)]
    pub guided: Option<String>,
}

pub use super::condition::Condition;

/// A citizen's answers: question id → chosen option id.
pub type Answers = BTreeMap<String, String>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    /// Stable, URL-safe: lowercase letters, digits and dashes.
    pub id: String,
    pub topic: String,
    /// The national procedure code, where there is one (e.g. "1.004222").
    #[serde(default)]
    pub code: Option<String>,
    pub title: Localized,
    pub summary: Localized,
    /// Extra words people search with ("cccd", "mat the"), in both languages.
    #[serde(default)]
    pub keywords: Option<Localized>,
    /// False when this station does not do the procedure; `referral` then says where to go.
    #[serde(default = "yes")]
    pub handled_here: bool,
    #[serde(default)]
    pub referral: Option<Localized>,
    /// Whether an appointment can be booked for it.
    #[serde(default)]
    pub bookable: bool,
    pub where_to_go: Localized,
    #[serde(default)]
    pub questions: Vec<Question>,
    #[serde(default)]
    pub notes: Vec<NoteEntry>,
    #[serde(default)]
    pub documents: Vec<DocumentEntry>,
    #[serde(default)]
    pub forms: Vec<FormEntry>,
    #[serde(default)]
    pub fees: Vec<FeeEntry>,
    #[serde(default)]
    pub processing: Vec<ProcessingEntry>,
    #[serde(default)]
    pub steps: Vec<StepEntry>,
    pub legal_basis: Vec<Citation>,
    /// When the content was last checked against its sources (YYYY-MM-DD); shown to citizens.
    pub checked: String,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub text: Localized,
    #[serde(default)]
    pub help: Option<Localized>,
    pub options: Vec<AnswerOption>,
    /// Asked only when earlier answers match.
    #[serde(default)]
    pub when: Condition,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerOption {
    pub id: String,
    pub label: Localized,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    Info,
    Warning,
    /// Shown prominently: call 113.
    Emergency,
}

crate::named::named_enum!(NoteKind { "info" => Info, "warning" => Warning, "emergency" => Emergency });

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteEntry {
    #[serde(default)]
    pub when: Condition,
    pub kind: NoteKind,
    pub text: Localized,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEntry {
    #[serde(default)]
    pub when: Condition,
    pub document: String,
    #[serde(default)]
    pub note: Option<Localized>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormEntry {
    #[serde(default)]
    pub when: Condition,
    pub form: String,
    #[serde(default)]
    pub note: Option<Localized>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    Free,
    /// `in_person_vnd` (and `online_vnd` when online differs).
    Fixed,
    /// Set by another act per area or case; `note` says how.
    Varies,
    /// The sources do not settle it: the citizen is told to ask.
    AskStation,
}

crate::named::named_enum!(FeeKind { "free" => Free, "fixed" => Fixed, "varies" => Varies, "ask_station" => AskStation });

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeEntry {
    #[serde(default)]
    pub when: Condition,
    pub kind: FeeKind,
    #[serde(default)]
    pub in_person_vnd: Option<u32>,
    #[serde(default)]
    pub online_vnd: Option<u32>,
    /// "per person", "per card" … when the amount is not for the whole file.
    #[serde(default)]
    pub unit: Option<Localized>,
    #[serde(default)]
    pub basis: Option<Citation>,
    /// False while the amount is not settled by the sources: the UI says "check with the station".
    #[serde(default = "yes")]
    pub confirmed: bool,
    /// Temporary reductions (kind `fixed`, lower amounts) and exemptions (kind `free`), each a
    /// fee of its own with `until` and optional `from` and `conditions`, shown only within its
    /// dates. Fees themselves, not a type of their own: the app then reads them with the fee
    /// reader it already has.
    #[serde(default)]
    pub adjustments: Vec<FeeEntry>,
    #[serde(default)]
    pub note: Option<Localized>,
    /// When the amounts were last checked, if later than the procedure (YYYY-MM-DD). Only
    /// check-data reads it; the app pays for it (a few bytes) rather than a mirror of the
    /// procedures in `editor_notes`.
    #[serde(default)]
    pub checked: Option<String>,
    /// For an adjustment: first and last day it applies, in the office's calendar.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    /// For an adjustment: who qualifies, when not everyone does. One with conditions is shown
    /// beside the fee, never as the fee.
    #[serde(default)]
    pub conditions: Option<Localized>,
}

impl FeeEntry {
    /// For an adjustment: whether `today` is within its dates.
    pub fn in_force(&self, today: chrono::NaiveDate) -> bool {
        let started = self
            .from
            .as_deref()
            .is_none_or(|from| parse_iso_date(from).is_some_and(|from| from <= today));
        let ended = self
            .until
            .as_deref()
            .is_some_and(|until| parse_iso_date(until).is_none_or(|until| until < today));
        started && !ended
    }

    /// For an adjustment: whether it replaces the usual amount for everyone (certain and
    /// without conditions).
    pub fn applies_to_all(&self) -> bool {
        self.confirmed && self.conditions.is_none()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcessingKind {
    /// `min`..=`max` working days (`max` may be left out when it equals `min`).
    WorkingDays,
    /// Within `max` hours.
    Hours,
    /// Within half a working day.
    HalfDay,
    /// Done while the citizen waits, or recorded at once.
    Immediate,
    AskStation,
}

crate::named::named_enum!(ProcessingKind { "working_days" => WorkingDays, "hours" => Hours, "half_day" => HalfDay, "immediate" => Immediate, "ask_station" => AskStation });

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessingEntry {
    #[serde(default)]
    pub when: Condition,
    pub kind: ProcessingKind,
    #[serde(default)]
    pub min: Option<u32>,
    #[serde(default)]
    pub max: Option<u32>,
    #[serde(default)]
    pub note: Option<Localized>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepEntry {
    #[serde(default)]
    pub when: Condition,
    pub text: Localized,
}

/// True when every question the condition names was answered with one of its options.
pub fn condition_holds(condition: &Condition, answers: &Answers) -> bool {
    super::condition::holds(condition, |q| answers.get(q).map(String::as_str))
}

fn applicable<'a, T>(
    entries: &'a [T],
    when: impl Fn(&T) -> &Condition,
    answers: &Answers,
) -> Vec<&'a T> {
    entries
        .iter()
        .filter(|e| condition_holds(when(e), answers))
        .collect()
}

/// A paper on the citizen's list, with the catalogue's description.
#[derive(Clone, Debug, PartialEq)]
pub struct ChecklistDocument<'a> {
    pub id: &'a str,
    pub document: &'a Document,
    pub note: Option<&'a Localized>,
}

/// Everything that applies to one citizen's case.
#[derive(Clone, Debug, PartialEq)]
pub struct Checklist<'a> {
    pub notes: Vec<&'a NoteEntry>,
    pub documents: Vec<ChecklistDocument<'a>>,
    pub forms: Vec<(&'a FormInfo, Option<&'a Localized>)>,
    pub fee: Option<&'a FeeEntry>,
    pub processing: Option<&'a ProcessingEntry>,
    pub steps: Vec<&'a Localized>,
}

impl Procedure {
    /// The questions to ask given the answers so far, in order. Answers to questions that are
    /// no longer asked (an earlier answer changed) are ignored, not deleted: changing back
    /// restores them.
    pub fn visible_questions(&self, answers: &Answers) -> Vec<&Question> {
        self.questions
            .iter()
            .filter(|q| condition_holds(&q.when, &self.effective_answers(answers)))
            .collect()
    }

    /// The answers that count: those to visible questions with an option that exists.
    pub fn effective_answers(&self, answers: &Answers) -> Answers {
        let mut effective = Answers::new();
        for question in &self.questions {
            if !condition_holds(&question.when, &effective) {
                continue;
            }
            if let Some(given) = answers.get(&question.id) {
                if question.options.iter().any(|o| &o.id == given) {
                    effective.insert(question.id.clone(), given.clone());
                }
            }
        }
        effective
    }

    /// Notes that apply to the answers given so far (an unconditional note, such as "call 113",
    /// shows before any question is answered).
    pub fn notes_for(&self, answers: &Answers) -> Vec<&NoteEntry> {
        applicable(&self.notes, |e| &e.when, &self.effective_answers(answers))
    }

    /// The first visible question still unanswered, if any.
    pub fn next_unanswered(&self, answers: &Answers) -> Option<&Question> {
        let effective = self.effective_answers(answers);
        self.visible_questions(answers)
            .into_iter()
            .find(|q| !effective.contains_key(&q.id))
    }

    /// The citizen's own list, once every visible question is answered.
    pub fn checklist<'a>(
        &'a self,
        catalog: &'a Catalog,
        answers: &Answers,
    ) -> Option<Checklist<'a>> {
        if self.next_unanswered(answers).is_some() {
            return None;
        }
        let answers = &self.effective_answers(answers);
        let documents = applicable(&self.documents, |e| &e.when, answers)
            .into_iter()
            .filter_map(|entry| {
                let (id, document) = catalog.documents.get_key_value(&entry.document)?;
                Some(ChecklistDocument {
                    id,
                    document,
                    note: entry.note.as_ref(),
                })
            })
            .collect();
        let forms = applicable(&self.forms, |e| &e.when, answers)
            .into_iter()
            .filter_map(|entry| Some((catalog.forms.get(&entry.form)?, entry.note.as_ref())))
            .collect();
        Some(Checklist {
            notes: self.notes_for(answers),
            documents,
            forms,
            fee: applicable(&self.fees, |e| &e.when, answers)
                .into_iter()
                .next(),
            processing: applicable(&self.processing, |e| &e.when, answers)
                .into_iter()
                .next(),
            steps: applicable(&self.steps, |e| &e.when, answers)
                .into_iter()
                .map(|s| &s.text)
                .collect(),
        })
    }

    /// Every complete set of answers a citizen can give (one per branch of the questions).
    pub fn answer_paths(&self) -> Vec<Answers> {
        fn extend(procedure: &Procedure, answers: Answers, out: &mut Vec<Answers>) {
            match procedure.next_unanswered(&answers) {
                None => out.push(answers),
                Some(question) => {
                    for option in &question.options {
                        let mut next = answers.clone();
                        next.insert(question.id.clone(), option.id.clone());
                        extend(procedure, next, out);
                    }
                }
            }
        }
        let mut out = Vec::new();
        extend(self, Answers::new(), &mut out);
        out
    }

    fn search_text(&self, catalog: &Catalog) -> (String, String) {
        let title = fold_for_search(&format!("{} {}", self.title.vi, self.title.en));
        let topic = catalog
            .topic(&self.topic)
            .map(|t| format!("{} {}", t.title.vi, t.title.en))
            .unwrap_or_default();
        let keywords = self
            .keywords
            .as_ref()
            .map(|k| format!("{} {}", k.vi, k.en))
            .unwrap_or_default();
        let rest = fold_for_search(&format!(
            "{} {} {} {} {}",
            self.summary.vi,
            self.summary.en,
            keywords,
            topic,
            self.code.as_deref().unwrap_or("")
        ));
        (title, rest)
    }
}

impl Catalog {
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.id == id)
    }

    pub fn procedures_in<'a>(&'a self, topic: &'a str) -> impl Iterator<Item = &'a Procedure> + 'a {
        self.procedures.iter().filter(move |p| p.topic == topic)
    }

    /// Procedures matching every word of `query`, ignoring case and diacritics, best first:
    /// those whose title holds the most words, then catalogue order. An empty query matches none.
    pub fn search(&self, query: &str) -> Vec<&Procedure> {
        let folded = fold_for_search(query);
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(usize, usize, &Procedure)> = self
            .procedures
            .iter()
            .enumerate()
            .filter_map(|(order, procedure)| {
                let (title, rest) = procedure.search_text(self);
                let all_found = words.iter().all(|w| title.contains(w) || rest.contains(w));
                let in_title = words.iter().filter(|w| title.contains(*w)).count();
                all_found.then_some((in_title, order, procedure))
            })
            .collect();
        super::small_sort::sort_by(&mut hits, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        hits.into_iter().map(|(_, _, p)| p).collect()
    }
}

/// A fee as it stands on one day of the office's calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeeToday<'a> {
    /// The amounts to show as the fee: an adjustment for everyone replaces the usual ones (none
    /// for an exemption).
    pub in_person: Option<u32>,
    pub online: Option<u32>,
    /// That adjustment, if one applies to everyone.
    pub applied: Option<&'a FeeEntry>,
    /// Adjustments in force that may apply (conditional or unconfirmed): shown beside the fee.
    pub beside: Vec<&'a FeeEntry>,
}

/// What `fee` is on `today`. An adjustment outside its dates is never shown at all.
pub fn fee_in_force(fee: &FeeEntry, today: chrono::NaiveDate) -> FeeToday<'_> {
    let mut now = FeeToday {
        in_person: fee.in_person_vnd,
        online: fee.online_vnd,
        applied: None,
        beside: Vec::new(),
    };
    for adjustment in fee.adjustments.iter().filter(|a| a.in_force(today)) {
        if now.applied.is_none() && adjustment.applies_to_all() {
            now.applied = Some(adjustment);
            (now.in_person, now.online) = (adjustment.in_person_vnd, adjustment.online_vnd);
        } else {
            now.beside.push(adjustment);
        }
    }
    now
}

impl Catalog {
    /// A citation as citizens read it in `lang`, and whether its source is confirmed; `None`
    /// when it names no known source.
    pub fn cited(&self, citation: &str, lang: super::text::Lang) -> Option<(String, bool)> {
        let citation = Cite(citation);
        let source = self.source(citation.source())?;
        let mut text = source.name.get(lang).to_owned();
        if let Some(part) = citation.part_in(lang) {
            text.push_str(", ");
            text.push_str(part);
        }
        Some((text, source.confirmed))
    }
}

/// An amount in đồng the Vietnamese way ("70.000 đ") or the English way ("70,000 VND").
pub fn format_vnd(amount: u32, lang: super::text::Lang) -> String {
    let digits = amount.to_string();
    let separator = match lang {
        super::text::Lang::Vi => '.',
        super::text::Lang::En => ',',
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(separator);
        }
        grouped.push(c);
    }
    match lang {
        super::text::Lang::Vi => format!("{grouped} đ"),
        super::text::Lang::En => format!("{grouped} VND"),
    }
}

pub(crate) fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Validate for Catalog {
    fn validate(&self) -> Vec<FieldError> {
        let mut errors = FieldErrors::default();
        errors.check_version(self.schema_version, CATALOG_SCHEMA_VERSION);
        let mut topic_ids = BTreeSet::new();
        for (i, topic) in self.topics.iter().enumerate() {
            if !is_slug(&topic.id) || !topic_ids.insert(topic.id.as_str()) {
                errors.push(
                    format!("topics[{i}].id"),
                    FieldProblem::BadId(topic.id.clone()),
                );
            }
            errors.check_text(format!("topics[{i}].title"), &topic.title);
        }
        for (id, document) in &self.documents {
            errors.check_text(format!("documents.{id}.name"), &document.name);
            if let Some(detail) = &document.detail {
                errors.check_text(format!("documents.{id}.detail"), detail);
            }
        }
        let mut source_ids = BTreeSet::new();
        for (i, source) in self.sources.iter().enumerate() {
            let id = &source.id;
            let at = format!("sources[{i}]");
            if !is_slug(id) || !source_ids.insert(id.as_str()) {
                errors.push(format!("{at}.id"), FieldProblem::BadId(id.clone()));
            }
            errors.check_text(format!("{at}.name"), &source.name);
        }
        for (id, form) in &self.forms {
            errors.check_text(format!("forms.{id}.title"), &form.title);
            match (&form.basis, &form.note) {
                (None, None) => errors.push(format!("forms.{id}.basis"), FieldProblem::Missing),
                (basis, note) => {
                    if let Some(basis) = basis {
                        self.check_citation(basis, &format!("forms.{id}.basis"), &mut errors);
                    }
                    if let Some(note) = note {
                        errors.check_text(format!("forms.{id}.note"), note);
                    }
                }
            }
        }
        let mut procedure_ids = BTreeSet::new();
        for (i, procedure) in self.procedures.iter().enumerate() {
            let at = format!("procedures[{i}]");
            if !is_slug(&procedure.id) || !procedure_ids.insert(procedure.id.as_str()) {
                errors.push(
                    format!("{at}.id"),
                    FieldProblem::BadId(procedure.id.clone()),
                );
            }
            if self.topic(&procedure.topic).is_none() {
                errors.push(
                    format!("{at}.topic"),
                    FieldProblem::UnknownReference(procedure.topic.clone()),
                );
            }
            procedure.check(self, &at, &mut errors);
        }
        errors.0
    }
}

impl Catalog {
    pub(crate) fn check_citation(&self, citation: &str, at: &str, errors: &mut FieldErrors) {
        let citation = Cite(citation);
        if !citation.well_formed() {
            errors.push(
                at.to_owned(),
                FieldProblem::BadCitation(citation.0.to_owned()),
            );
        } else if self.source(citation.source()).is_none() {
            errors.push(
                at.to_owned(),
                FieldProblem::UnknownReference(citation.source().to_owned()),
            );
        }
    }

    /// Every citation in the catalogue, with where it is (for messages) — the procedures', their
    /// fees' and adjustments', and the forms'.
    pub fn citations(&self) -> Vec<(String, &str)> {
        let mut all = Vec::new();
        for (id, form) in &self.forms {
            if let Some(basis) = &form.basis {
                all.push((format!("forms.{id}.basis"), basis.as_str()));
            }
        }
        for procedure in &self.procedures {
            let at = &procedure.id;
            for (i, c) in procedure.legal_basis.iter().enumerate() {
                all.push((format!("{at}.legal_basis[{i}]"), c.as_str()));
            }
            for (i, fee) in procedure.fees.iter().enumerate() {
                if let Some(basis) = &fee.basis {
                    all.push((format!("{at}.fees[{i}].basis"), basis.as_str()));
                }
                for (j, adjustment) in fee.adjustments.iter().enumerate() {
                    if let Some(basis) = &adjustment.basis {
                        all.push((
                            format!("{at}.fees[{i}].adjustments[{j}].basis"),
                            basis.as_str(),
                        ));
                    }
                }
            }
        }
        all
    }
}

impl Procedure {
    fn check(&self, catalog: &Catalog, at: &str, errors: &mut FieldErrors) {
        for (field, text) in [
            ("title", &self.title),
            ("summary", &self.summary),
            ("where_to_go", &self.where_to_go),
        ] {
            errors.check_text(format!("{at}.{field}"), text);
        }
        errors.check_date(format!("{at}.checked"), &self.checked);
        if self.legal_basis.is_empty() {
            errors.push(format!("{at}.legal_basis"), FieldProblem::EmptyList);
        }
        for (i, basis) in self.legal_basis.iter().enumerate() {
            catalog.check_citation(basis, &format!("{at}.legal_basis[{i}]"), errors);
        }
        match (&self.referral, self.handled_here) {
            (None, false) => errors.push(format!("{at}.referral"), FieldProblem::Missing),
            (Some(text), _) => errors.check_text(format!("{at}.referral"), text),
            (None, true) => {}
        }
        self.check_questions(at, errors);
        self.check_conditions(at, errors);
        for (i, entry) in self.documents.iter().enumerate() {
            if !catalog.documents.contains_key(&entry.document) {
                errors.push(
                    format!("{at}.documents[{i}].document"),
                    FieldProblem::UnknownReference(entry.document.clone()),
                );
            }
        }
        for (i, entry) in self.forms.iter().enumerate() {
            if !catalog.forms.contains_key(&entry.form) {
                errors.push(
                    format!("{at}.forms[{i}].form"),
                    FieldProblem::UnknownReference(entry.form.clone()),
                );
            }
        }
        for (i, fee) in self.fees.iter().enumerate() {
            check_fee(catalog, fee, &format!("{at}.fees[{i}]"), errors);
        }
        for (i, processing) in self.processing.iter().enumerate() {
            check_processing(processing, &format!("{at}.processing[{i}]"), errors);
        }
        // Every branch must lead to a whole list: one fee, one processing time, at least one
        // step and one paper. A procedure done elsewhere needs only its referral.
        if self.handled_here {
            for answers in self.answer_paths() {
                let path = describe_path(&answers);
                let count = |conditions: Vec<&Condition>| {
                    conditions
                        .into_iter()
                        .filter(|c| condition_holds(c, &answers))
                        .count()
                };
                let fees = count(self.fees.iter().map(|e| &e.when).collect());
                let times = count(self.processing.iter().map(|e| &e.when).collect());
                let steps = count(self.steps.iter().map(|e| &e.when).collect());
                let documents = count(self.documents.iter().map(|e| &e.when).collect());
                if fees != 1 {
                    errors.push(
                        format!("{at}.fees"),
                        FieldProblem::BranchNeedsOne {
                            path: path.clone(),
                            found: fees,
                        },
                    );
                }
                if times != 1 {
                    errors.push(
                        format!("{at}.processing"),
                        FieldProblem::BranchNeedsOne {
                            path: path.clone(),
                            found: times,
                        },
                    );
                }
                if steps == 0 {
                    errors.push(
                        format!("{at}.steps"),
                        FieldProblem::BranchEmpty(path.clone()),
                    );
                }
                if documents == 0 {
                    errors.push(format!("{at}.documents"), FieldProblem::BranchEmpty(path));
                }
            }
        }
    }

    fn check_questions(&self, at: &str, errors: &mut FieldErrors) {
        let mut ids = BTreeSet::new();
        for (i, question) in self.questions.iter().enumerate() {
            let q_at = format!("{at}.questions[{i}]");
            if !is_slug(&question.id) || !ids.insert(question.id.as_str()) {
                errors.push(
                    format!("{q_at}.id"),
                    FieldProblem::BadId(question.id.clone()),
                );
            }
            errors.check_text(format!("{q_at}.text"), &question.text);
            if question.options.len() < 2 {
                errors.push(format!("{q_at}.options"), FieldProblem::EmptyList);
            }
            let mut option_ids = BTreeSet::new();
            for (j, option) in question.options.iter().enumerate() {
                if !is_slug(&option.id) || !option_ids.insert(option.id.as_str()) {
                    errors.push(
                        format!("{q_at}.options[{j}].id"),
                        FieldProblem::BadId(option.id.clone()),
                    );
                }
                errors.check_text(format!("{q_at}.options[{j}].label"), &option.label);
            }
            // A question may depend only on questions asked before it.
            self.check_condition(
                &question.when,
                &self.questions[..i],
                &format!("{q_at}.when"),
                errors,
            );
        }
    }

    fn check_conditions(&self, at: &str, errors: &mut FieldErrors) {
        let all = &self.questions[..];
        let lists: [(&str, Vec<&Condition>); 6] = [
            ("notes", self.notes.iter().map(|e| &e.when).collect()),
            (
                "documents",
                self.documents.iter().map(|e| &e.when).collect(),
            ),
            ("forms", self.forms.iter().map(|e| &e.when).collect()),
            ("fees", self.fees.iter().map(|e| &e.when).collect()),
            (
                "processing",
                self.processing.iter().map(|e| &e.when).collect(),
            ),
            ("steps", self.steps.iter().map(|e| &e.when).collect()),
        ];
        for (name, conditions) in lists {
            for (i, condition) in conditions.into_iter().enumerate() {
                self.check_condition(condition, all, &format!("{at}.{name}[{i}].when"), errors);
            }
        }
    }

    fn check_condition(
        &self,
        condition: &Condition,
        known: &[Question],
        at: &str,
        errors: &mut FieldErrors,
    ) {
        let options_of = |id: &str| {
            let question = known.iter().find(|q| q.id == id)?;
            Some(question.options.iter().map(|o| o.id.as_str()).collect())
        };
        super::condition::check(condition, options_of, at, errors);
    }
}

fn describe_path(answers: &Answers) -> String {
    if answers.is_empty() {
        return "-".into();
    }
    answers
        .iter()
        .map(|(q, a)| format!("{q}={a}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_fee(catalog: &Catalog, fee: &FeeEntry, at: &str, errors: &mut FieldErrors) {
    let amount_ok = match fee.kind {
        FeeKind::Fixed => {
            fee.in_person_vnd.is_some_and(|a| a > 0)
                && fee.online_vnd.is_none_or(|o| Some(o) <= fee.in_person_vnd)
        }
        _ => fee.in_person_vnd.is_none() && fee.online_vnd.is_none(),
    };
    if !amount_ok {
        errors.push(at.to_owned(), FieldProblem::BadFee);
    }
    for (i, adjustment) in fee.adjustments.iter().enumerate() {
        let a_at = format!("{at}.adjustments[{i}]");
        let base = fee.in_person_vnd.unwrap_or(0);
        // A reduction is a lower fixed amount; an exemption is free; neither nests further.
        let shape_ok = match adjustment.kind {
            FeeKind::Fixed => {
                adjustment.in_person_vnd.is_some_and(|a| a < base)
                    && adjustment
                        .online_vnd
                        .is_none_or(|o| fee.online_vnd.is_some_and(|u| o < u))
            }
            FeeKind::Free => adjustment.in_person_vnd.is_none() && adjustment.online_vnd.is_none(),
            _ => false,
        } && adjustment.adjustments.is_empty()
            && adjustment.when.is_empty();
        if fee.kind != FeeKind::Fixed || !shape_ok {
            errors.push(a_at.clone(), FieldProblem::BadFee);
        }
        if let Some(from) = &adjustment.from {
            errors.check_date(format!("{a_at}.from"), from);
        }
        match &adjustment.until {
            Some(until) => errors.check_date(format!("{a_at}.until"), until),
            None => errors.push(format!("{a_at}.until"), FieldProblem::Missing),
        }
        if let Some(conditions) = &adjustment.conditions {
            errors.check_text(format!("{a_at}.conditions"), conditions);
        }
        match &adjustment.basis {
            Some(basis) => catalog.check_citation(basis, &format!("{a_at}.basis"), errors),
            None => errors.push(format!("{a_at}.basis"), FieldProblem::Missing),
        }
    }
    // Dates and conditions belong to adjustments only.
    if fee.from.is_some() || fee.until.is_some() || fee.conditions.is_some() {
        errors.push(at.to_owned(), FieldProblem::BadFee);
    }
    if let Some(basis) = &fee.basis {
        catalog.check_citation(basis, &format!("{at}.basis"), errors);
    }
    if let Some(checked) = &fee.checked {
        errors.check_date(format!("{at}.checked"), checked);
    }
    for (name, text) in [("unit", &fee.unit), ("note", &fee.note)] {
        if let Some(text) = text {
            errors.check_text(format!("{at}.{name}"), text);
        }
    }
    if fee.kind == FeeKind::Varies && fee.note.is_none() {
        errors.push(format!("{at}.note"), FieldProblem::Missing);
    }
}

fn check_processing(entry: &ProcessingEntry, at: &str, errors: &mut FieldErrors) {
    let ok = match entry.kind {
        ProcessingKind::WorkingDays => entry
            .min
            .is_some_and(|min| min >= 1 && entry.max.is_none_or(|max| max >= min)),
        ProcessingKind::Hours => entry.min.is_none() && entry.max.is_some_and(|h| h >= 1),
        _ => entry.min.is_none() && entry.max.is_none(),
    };
    if !ok {
        errors.push(at.to_owned(), FieldProblem::BadProcessingTime);
    }
    if let Some(note) = &entry.note {
        errors.check_text(format!("{at}.note"), note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data_file::parse_data_file;
    use crate::text::Lang;

    /// A two-question procedure: the second question is asked only for one answer to the first.
    const FIXTURE: &str = r#"{
      "schema_version": 1,
      "topics": [{"id": "id-card", "title": {"vi": "Căn cước", "en": "ID card"}}],
      "documents": {
        "old-card": {"name": {"vi": "Thẻ cũ", "en": "Old card"}},
        "parent-id": {"name": {"vi": "Căn cước của cha mẹ", "en": "Parent's ID card"}}
      },
      "forms": {"DC02": {"code": "DC02", "title": {"vi": "Phiếu đề nghị", "en": "Request"}, "basis": "tt-17"}},
      "sources": [
        {"id": "luat-can-cuoc", "number": "26/2023/QH15", "name": {"vi": "Luật Căn cước", "en": "Law on Identification"}, "in_force": "2024-07-01"},
        {"id": "tt-17", "number": "17/2024/TT-BCA", "name": {"vi": "Thông tư 17/2024/TT-BCA", "en": "Circular 17/2024/TT-BCA"}},
        {"id": "tt-64", "number": "64/2025/TT-BTC", "name": {"vi": "Thông tư 64/2025/TT-BTC", "en": "Circular 64/2025/TT-BTC"}, "confirmed": false},
        {"id": "tt-117", "number": "117/2026/TT-BTC", "name": {"vi": "Thông tư 117/2026/TT-BTC", "en": "Circular 117/2026/TT-BTC"}}
      ],
      "procedures": [{
        "id": "id-card-replace", "topic": "id-card",
        "title": {"vi": "Cấp lại thẻ căn cước", "en": "Replace an ID card"},
        "summary": {"vi": "Khi mất hoặc hỏng thẻ", "en": "When the card is lost or damaged"},
        "keywords": {"vi": "cccd mat the", "en": "lost card"},
        "where_to_go": {"vi": "Công an cấp xã", "en": "Commune police"},
        "questions": [
          {"id": "reason", "text": {"vi": "Vì sao?", "en": "Why?"}, "options": [
            {"id": "lost", "label": {"vi": "Mất", "en": "Lost"}},
            {"id": "damaged", "label": {"vi": "Hỏng", "en": "Damaged"}}]},
          {"id": "age", "text": {"vi": "Tuổi?", "en": "Age?"}, "when": {"reason": ["damaged"]}, "options": [
            {"id": "adult", "label": {"vi": "Từ 14", "en": "14+"}},
            {"id": "child", "label": {"vi": "Dưới 14", "en": "Under 14"}}]}
        ],
        "documents": [
          {"when": {"reason": ["damaged"]}, "document": "old-card"},
          {"when": {"age": ["child"]}, "document": "parent-id"},
          {"when": {"reason": ["lost"]}, "document": "parent-id", "note": {"vi": "nếu là trẻ em", "en": "for a child"}}
        ],
        "forms": [{"form": "DC02"}],
        "fees": [{"kind": "fixed", "in_person_vnd": 70000, "adjustments": [
                  {"kind": "fixed", "in_person_vnd": 35000, "until": "2026-12-31", "basis": "tt-64"},
                  {"kind": "free", "from": "2026-08-15", "until": "2027-02-28", "conditions": {"vi": "Có VNeID mức 2", "en": "A level-2 VNeID"}, "basis": "tt-117"}]}],
        "processing": [{"kind": "working_days", "min": 7}],
        "steps": [{"text": {"vi": "Nộp hồ sơ", "en": "Apply"}}],
        "legal_basis": ["luat-can-cuoc | điều 24 | art. 24"],
        "checked": "2026-11-24"
      }]
    }"#;

    fn fixture() -> Catalog {
        match parse_data_file::<Catalog>(CATALOG_FILE, FIXTURE) {
            Ok(catalog) => catalog,
            Err(error) => panic!("{error:?}"),
        }
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs
            .iter()
            .map(|(q, a)| (q.to_string(), a.to_string()))
            .collect()
    }

    #[test]
    fn follow_up_question_appears_only_for_its_branch() {
        let catalog = fixture();
        let procedure = &catalog.procedures[0];
        assert_eq!(procedure.visible_questions(&Answers::new()).len(), 1);
        assert_eq!(
            procedure
                .visible_questions(&answers(&[("reason", "damaged")]))
                .len(),
            2
        );
        assert_eq!(
            procedure
                .next_unanswered(&answers(&[("reason", "damaged")]))
                .map(|q| q.id.as_str()),
            Some("age")
        );
        assert!(
            procedure
                .checklist(&catalog, &answers(&[("reason", "damaged")]))
                .is_none(),
            "incomplete"
        );
    }

    #[test]
    fn checklist_follows_the_answers() {
        let catalog = fixture();
        let procedure = &catalog.procedures[0];
        let damaged_child = procedure
            .checklist(
                &catalog,
                &answers(&[("reason", "damaged"), ("age", "child")]),
            )
            .expect("complete");
        let ids: Vec<&str> = damaged_child.documents.iter().map(|d| d.id).collect();
        assert_eq!(ids, ["old-card", "parent-id"]);
        assert_eq!(damaged_child.forms.len(), 1);
        assert_eq!(damaged_child.fee.and_then(|f| f.in_person_vnd), Some(70000));

        // Changing the first answer hides the follow-up; its stale answer no longer counts.
        let lost = procedure
            .checklist(&catalog, &answers(&[("reason", "lost"), ("age", "child")]))
            .expect("complete");
        let ids: Vec<&str> = lost.documents.iter().map(|d| d.id).collect();
        assert_eq!(ids, ["parent-id"]);
        assert!(lost.documents[0].note.is_some());
    }

    #[test]
    fn every_branch_is_enumerated() {
        let catalog = fixture();
        let paths = catalog.procedures[0].answer_paths();
        assert_eq!(
            paths,
            vec![
                answers(&[("reason", "lost")]),
                answers(&[("reason", "damaged"), ("age", "adult")]),
                answers(&[("reason", "damaged"), ("age", "child")]),
            ]
        );
    }

    #[test]
    fn search_ignores_tones_case_and_normalisation() {
        let catalog = fixture();
        for query in [
            "cap lai can cuoc",
            "CẤP LẠI",
            "Ca\u{302}\u{301}p la\u{323}i",
            "cccd",
            "lost card",
            "replace",
        ] {
            assert_eq!(catalog.search(query).len(), 1, "{query}");
        }
        assert!(catalog.search("ho chieu").is_empty());
        assert!(catalog.search("   ").is_empty());
    }

    #[test]
    fn an_adjustment_counts_only_within_its_dates_and_a_conditional_one_is_never_the_fee() {
        let catalog = fixture();
        let fee = &catalog.procedures[0].fees[0];
        let day = |d: &str| parse_iso_date(d).expect("date");
        let before_waiver = fee_in_force(fee, day("2026-08-14"));
        assert_eq!(before_waiver.in_person, Some(35000));
        assert!(
            before_waiver.beside.is_empty(),
            "the waiver has not started"
        );
        // Both in force: the certain, unconditional reduction is the fee; the conditional
        // exemption stands beside it.
        let last_reduced_day = fee_in_force(fee, day("2026-12-31"));
        assert_eq!(last_reduced_day.in_person, Some(35000));
        assert_eq!(
            last_reduced_day.applied.map(|a| a.kind),
            Some(FeeKind::Fixed)
        );
        assert_eq!(last_reduced_day.beside.len(), 1);
        assert_eq!(last_reduced_day.beside[0].kind, FeeKind::Free);
        let next_year = fee_in_force(fee, day("2027-01-01"));
        assert_eq!(next_year.in_person, Some(70000));
        assert!(next_year.applied.is_none());
        assert_eq!(next_year.beside.len(), 1);
        // After its last day an exemption is neither the fee nor beside it.
        let after = fee_in_force(fee, day("2027-03-01"));
        assert_eq!(
            (after.in_person, after.applied, after.beside.len()),
            (Some(70000), None, 0)
        );
    }

    #[test]
    fn an_unconfirmed_reduction_is_never_the_fee() {
        let mut catalog = fixture();
        catalog.procedures[0].fees[0].adjustments[0].confirmed = false;
        let fee = &catalog.procedures[0].fees[0];
        let today = parse_iso_date("2026-12-01").expect("date");
        let now = fee_in_force(fee, today);
        assert_eq!(now.in_person, Some(70000));
        assert!(now.applied.is_none());
        assert_eq!(now.beside.len(), 2);
    }

    #[test]
    fn citations_read_with_their_part_and_say_when_the_source_is_unconfirmed() {
        let catalog = fixture();
        let procedure = &catalog.procedures[0];
        let law = &procedure.legal_basis[0];
        assert_eq!(
            catalog.cited(law, Lang::Vi),
            Some(("Luật Căn cước, điều 24".to_owned(), true))
        );
        assert_eq!(
            catalog.cited(law, Lang::En),
            Some(("Law on Identification, art. 24".to_owned(), true))
        );
        let reduction = procedure.fees[0].adjustments[0]
            .basis
            .as_deref()
            .expect("basis");
        assert_eq!(catalog.cited(reduction, Lang::Vi).map(|c| c.1), Some(false));
        assert_eq!(catalog.cited("no-such-source", Lang::Vi), None);
    }

    #[test]
    fn amounts_are_grouped_per_language() {
        assert_eq!(format_vnd(70000, Lang::Vi), "70.000 đ");
        assert_eq!(format_vnd(1250000, Lang::En), "1,250,000 VND");
        assert_eq!(format_vnd(500, Lang::Vi), "500 đ");
    }

    // Guards against content where some answers lead to no fee, two fees, or a dangling id.
    #[test]
    fn validation_catches_incomplete_branches_and_dangling_references() {
        let broken = FIXTURE
            .replace(r#""fees": [{"kind": "fixed", "in_person_vnd": 70000,"#, r#""fees": [{"when": {"reason": ["lost"]}, "kind": "fixed", "in_person_vnd": 70000,"#)
            .replace(r#"{"form": "DC02"}"#, r#"{"form": "DC99"}"#)
            .replace(r#""when": {"age": ["child"]}"#, r#""when": {"age": ["teen"]}"#)
            .replace(r#""basis": "tt-117""#, r#""basis": "tt-999""#);
        let Err(crate::data_file::DataFileError::Invalid { errors, .. }) =
            parse_data_file::<Catalog>(CATALOG_FILE, &broken)
        else {
            panic!("expected invalid");
        };
        let fields: Vec<(&str, &FieldProblem)> = errors
            .iter()
            .map(|e| (e.field.as_str(), &e.problem))
            .collect();
        assert!(
            fields.contains(&(
                "procedures[0].forms[0].form",
                &FieldProblem::UnknownReference("DC99".into())
            )),
            "{fields:?}"
        );
        assert!(
            fields.contains(&(
                "procedures[0].documents[1].when.age",
                &FieldProblem::UnknownReference("teen".into())
            )),
            "{fields:?}"
        );
        assert!(
            fields.contains(&(
                "procedures[0].fees[0].adjustments[1].basis",
                &FieldProblem::UnknownReference("tt-999".into())
            )),
            "{fields:?}"
        );
        assert!(
            fields.contains(&(
                "procedures[0].fees",
                &FieldProblem::BranchNeedsOne {
                    path: "age=adult, reason=damaged".into(),
                    found: 0
                }
            )),
            "{fields:?}"
        );
    }

    // Guards the sources' history: an amendment must name sources that exist, and a page read
    // is kept only with the day it was read.
    #[test]
    fn a_source_history_names_known_sources_and_a_reading_its_day() {
        let broken = FIXTURE
            .replace(
                r#""confirmed": false},"#,
                r#""confirmed": false, "amends": ["tt-17", "tt-70"], "read": "https://example.org/64"},"#,
            );
        let Err(crate::data_file::DataFileError::Invalid { errors, .. }) =
            parse_data_file::<Catalog>(CATALOG_FILE, &broken)
        else {
            panic!("expected invalid");
        };
        let fields: Vec<(&str, &FieldProblem)> = errors
            .iter()
            .map(|e| (e.field.as_str(), &e.problem))
            .collect();
        assert_eq!(
            fields,
            vec![
                (
                    "sources[2].amends[1]",
                    &FieldProblem::UnknownReference("tt-70".into())
                ),
                ("sources[2].checked", &FieldProblem::Missing),
            ]
        );
        let whole = broken.replace(r#", "tt-70"]"#, "]").replace(
            r#""read": "https://example.org/64"}"#,
            r#""read": "https://example.org/64", "checked": "2026-12-03"}"#,
        );
        let (_, notes) =
            crate::data_file::read_data_file::<Catalog>(CATALOG_FILE, &whole).expect("valid");
        assert_eq!(notes.sources[2].amends, vec!["tt-17".to_owned()]);
    }
}
