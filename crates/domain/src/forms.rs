//! Guided forms (public/data/forms.json): an official form described as steps of fields, with
//! labels and help in both languages, which are required, conditions, and the wording printed on
//! the official form. Answer checking is here; PDF rendering is in `crate::pdf`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::catalog::AnswerOption;
use super::data_file::{FieldError, FieldErrors, FieldProblem, Validate};
use super::id_number::{check_consistency, parse_id_number, IdNumberError, Sex};
use super::phone::parse_phone;
use super::text::Localized;
use super::time::parse_iso_date;

pub const FORMS_FILE: &str = "data/forms.json";
pub const FORMS_SCHEMA_VERSION: u32 = 1;

/// forms.json as the app reads it; the shared keys it declares are the editors'
/// (`editor_notes::FormNotes`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormCatalog {
    pub schema_version: u32,
    pub forms: Vec<FormDef>,
}

/// Shared keys the app fills itself: the latest booking's name and phone, and the station's name
/// as the addressee. forms.json must declare them with these kinds.
pub const SHARED_FULL_NAME: &str = "person.full_name";
pub const SHARED_PHONE: &str = "person.phone";
pub const SHARED_RECIPIENT: &str = "station.recipient";
pub(crate) const FILLED_BY_APP: [(&str, FieldKind); 3] = [
    (SHARED_FULL_NAME, FieldKind::Text),
    (SHARED_PHONE, FieldKind::Phone),
    (SHARED_RECIPIENT, FieldKind::Text),
];

/// The option ids of a field named as an ID number's `sex_field`: the ID number's sex digit is
/// checked against them.
pub const MALE: &str = "male";
pub const FEMALE: &str = "female";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormDef {
    pub id: String,
    /// Printed top right, e.g. "Mẫu CT01".
    pub code: String,
    pub title: Localized,
    /// The title exactly as printed on the official form (Vietnamese).
    pub print_title: String,
    /// The act that issues the form, or that there is none.
    pub basis: Localized,
    pub steps: Vec<Step>,
    /// A sworn statement printed before the signatures, where the form has one.
    #[serde(default)]
    pub pledge: Option<String>,
    /// Signature blocks printed at the end, each with "…, ngày … tháng … năm …".
    pub signatures: Vec<String>,
    pub checked: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    pub title: Localized,
    /// A section heading printed before the step's fields, as on the official form
    /// (e.g. DC02's "I. THÔNG TIN NGƯỜI ĐỀ NGHỊ").
    #[serde(default)]
    pub print_heading: Option<String>,
    pub fields: Vec<Field>,
}

/// The answer of a `yes_no` field, as stored and in conditions.
pub const YES: &str = "yes";
pub const NO: &str = "no";

/// How a field is printed on the PDF.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrintAs {
    /// A numbered "N. Label: answer" line.
    #[default]
    Line,
    /// The unnumbered addressee line at the top ("Kính gửi: …").
    Addressee,
}

crate::named::named_enum!(PrintAs { "line" => Line, "addressee" => Addressee });

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    LongText,
    Date,
    Choice,
    /// Several options may be ticked.
    Multi,
    YesNo,
    IdNumber,
    Phone,
    /// A table of rows with `columns`, e.g. CT01's household members.
    Rows,
}

crate::named::named_enum!(FieldKind { "text" => Text, "long_text" => LongText, "date" => Date, "choice" => Choice, "multi" => Multi, "yes_no" => YesNo, "id_number" => IdNumber, "phone" => Phone, "rows" => Rows });

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub id: String,
    pub kind: FieldKind,
    pub label: Localized,
    #[serde(default)]
    pub help: Option<Localized>,
    #[serde(default)]
    pub required: bool,
    /// Shown only when earlier answers (field id → option ids) match (`domain::condition`).
    #[serde(default)]
    pub when: super::condition::Condition,
    #[serde(default)]
    pub options: Vec<AnswerOption>,
    #[serde(default)]
    pub columns: Vec<Column>,
    #[serde(default)]
    pub max_length: Option<usize>,
    /// Answers with the same key are reused across forms and from the booking
    /// (e.g. "person.full_name").
    #[serde(default)]
    pub shared: Option<String>,
    /// For an ID number: the date-of-birth and sex fields to check it against.
    #[serde(default)]
    pub birth_field: Option<String>,
    #[serde(default)]
    pub sex_field: Option<String>,
    /// The label as printed on the official form (Vietnamese).
    pub print_label: String,
    /// How the PDF prints it: a numbered line, or the "Kính gửi" addressee line above them.
    #[serde(default)]
    pub print_as: PrintAs,
    /// False for a question the wizard asks that is not a line on the paper form (DC02's "is a
    /// representative applying?": the form just has section II).
    #[serde(default = "yes")]
    pub printed: bool,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub id: String,
    pub kind: FieldKind,
    pub label: Localized,
    #[serde(default)]
    pub options: Vec<AnswerOption>,
    pub print_label: String,
}

/// One answer. Text-like kinds hold text (dates as YYYY-MM-DD, choices as the option id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Text(String),
    Many(Vec<String>),
    Rows(Vec<BTreeMap<String, String>>),
}

pub type FormAnswers = BTreeMap<String, Value>;

/// What is wrong with one answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputProblem {
    Required,
    TooLong(usize),
    NotADate,
    DateInFuture,
    NotAnOption,
    Phone,
    IdNumber(IdNumberError),
    /// A character the printed form's font does not have (e.g. an emoji).
    Unprintable(char),
}

/// The characters the PDF's font covers (public/fonts/README.md): Latin with Vietnamese,
/// combining accents, common punctuation and symbols.
const PRINTABLE: &[(char, char)] = &[
    ('\u{20}', '\u{7E}'),
    ('\u{A0}', '\u{24F}'),
    ('\u{2C6}', '\u{2DD}'),
    ('\u{300}', '\u{323}'),
    ('\u{1EA0}', '\u{1EF9}'),
    ('\u{2010}', '\u{2027}'),
    ('\u{2030}', '\u{203A}'),
    ('\u{20AB}', '\u{20AC}'),
    ('\u{2116}', '\u{2116}'),
    ('\u{2122}', '\u{2122}'),
    ('\u{2190}', '\u{2193}'),
    ('\u{2212}', '\u{2212}'),
];

/// The first character of `text` that cannot be printed, if any. Line breaks and tabs are
/// fine (they become spaces or new lines on paper).
pub fn unprintable_char(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        !matches!(c, '\n' | '\r' | '\t')
            && !PRINTABLE
                .iter()
                .any(|&(low, high)| (low..=high).contains(&c))
    })
}

/// A problem located at a field (and, for tables, a row and column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputIssue {
    pub field: String,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub problem: InputProblem,
}

/// Reads a date the way people type it here: dd/mm/yyyy (also d/m/yyyy, with - or .), or the
/// browser's YYYY-MM-DD from a date input.
pub fn parse_user_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Some(date) = parse_iso_date(text) {
        return Some(date);
    }
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 => {
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        }
        _ => None,
    }
}

fn text_of<'a>(answers: &'a FormAnswers, id: &str) -> &'a str {
    match answers.get(id) {
        Some(Value::Text(text)) => text.trim(),
        _ => "",
    }
}

fn sex_of(answers: &FormAnswers, id: Option<&String>) -> Option<Sex> {
    match text_of(answers, id?) {
        MALE => Some(Sex::Male),
        FEMALE => Some(Sex::Female),
        _ => None,
    }
}

fn check_scalar(
    kind: FieldKind,
    options: &[AnswerOption],
    text: &str,
    today: NaiveDate,
) -> Option<InputProblem> {
    if let Some(c) = unprintable_char(text) {
        return Some(InputProblem::Unprintable(c));
    }
    match kind {
        FieldKind::Date => match parse_user_date(text) {
            None => Some(InputProblem::NotADate),
            Some(date) if date > today => Some(InputProblem::DateInFuture),
            Some(_) => None,
        },
        FieldKind::Choice | FieldKind::YesNo => {
            let known = if kind == FieldKind::YesNo {
                [YES, NO].contains(&text)
            } else {
                options.iter().any(|o| o.id == text)
            };
            (!known).then_some(InputProblem::NotAnOption)
        }
        FieldKind::Phone => parse_phone(text).is_err().then_some(InputProblem::Phone),
        FieldKind::IdNumber => parse_id_number(text).err().map(InputProblem::IdNumber),
        _ => None,
    }
}

impl FormDef {
    /// Whether a field is asked, given the answers so far.
    pub fn is_shown(&self, field: &Field, answers: &FormAnswers) -> bool {
        super::condition::holds(&field.when, |other| Some(text_of(answers, other)))
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.steps
            .iter()
            .flat_map(|s| &s.fields)
            .find(|f| f.id == id)
    }

    /// Every problem in one step's answers, in field order. `today` is the office's date.
    pub fn check_step(
        &self,
        step: &Step,
        answers: &FormAnswers,
        today: NaiveDate,
    ) -> Vec<InputIssue> {
        let mut issues = Vec::new();
        let issue = |field: &Field, problem| InputIssue {
            field: field.id.clone(),
            row: None,
            column: None,
            problem,
        };
        for field in step.fields.iter().filter(|f| self.is_shown(f, answers)) {
            match (field.kind, answers.get(&field.id)) {
                (FieldKind::Rows, Some(Value::Rows(rows))) => {
                    for (row_index, row) in rows.iter().enumerate() {
                        for column in &field.columns {
                            let text = row.get(&column.id).map(|t| t.trim()).unwrap_or("");
                            if text.is_empty() {
                                continue;
                            }
                            if let Some(problem) =
                                check_scalar(column.kind, &column.options, text, today)
                            {
                                issues.push(InputIssue {
                                    field: field.id.clone(),
                                    row: Some(row_index),
                                    column: Some(column.id.clone()),
                                    problem,
                                });
                            }
                        }
                    }
                }
                (FieldKind::Multi, Some(Value::Many(chosen))) => {
                    if field.required && chosen.is_empty() {
                        issues.push(issue(field, InputProblem::Required));
                    }
                    if chosen
                        .iter()
                        .any(|c| !field.options.iter().any(|o| &o.id == c))
                    {
                        issues.push(issue(field, InputProblem::NotAnOption));
                    }
                }
                _ => {
                    let text = text_of(answers, &field.id);
                    if text.is_empty() {
                        if field.required {
                            issues.push(issue(field, InputProblem::Required));
                        }
                        continue;
                    }
                    if field
                        .max_length
                        .is_some_and(|max| text.chars().count() > max)
                    {
                        issues.push(issue(
                            field,
                            InputProblem::TooLong(field.max_length.unwrap_or(0)),
                        ));
                        continue;
                    }
                    if let Some(problem) = check_scalar(field.kind, &field.options, text, today) {
                        issues.push(issue(field, problem));
                        continue;
                    }
                    if field.kind == FieldKind::IdNumber {
                        if let Ok(id) = parse_id_number(text) {
                            let birth = field
                                .birth_field
                                .as_ref()
                                .and_then(|b| parse_user_date(text_of(answers, b)));
                            for problem in check_consistency(
                                &id,
                                birth,
                                sex_of(answers, field.sex_field.as_ref()),
                            ) {
                                issues.push(issue(field, InputProblem::IdNumber(problem)));
                            }
                        }
                    }
                }
            }
        }
        issues
    }

    /// Problems in every step, for the check-answers page.
    pub fn check_all(&self, answers: &FormAnswers, today: NaiveDate) -> Vec<InputIssue> {
        self.steps
            .iter()
            .flat_map(|step| self.check_step(step, answers, today))
            .collect()
    }

    /// Answers from other forms or the booking, by shared key, for fields still empty.
    pub fn prefill(&self, answers: &mut FormAnswers, shared: &BTreeMap<String, Value>) {
        for field in self.steps.iter().flat_map(|s| &s.fields) {
            if let Some(value) = field.shared.as_ref().and_then(|key| shared.get(key)) {
                if text_of(answers, &field.id).is_empty()
                    && !matches!(
                        answers.get(&field.id),
                        Some(Value::Many(_) | Value::Rows(_))
                    )
                {
                    answers.insert(field.id.clone(), value.clone());
                }
            }
        }
    }

    /// The shared keys this form's answers provide to others.
    pub fn shared_values(&self, answers: &FormAnswers) -> BTreeMap<String, Value> {
        self.steps
            .iter()
            .flat_map(|s| &s.fields)
            .filter_map(|f| Some((f.shared.clone()?, answers.get(&f.id)?.clone())))
            .collect()
    }
}

impl Validate for FormCatalog {
    fn validate(&self) -> Vec<FieldError> {
        let mut errors = FieldErrors::default();
        errors.check_version(self.schema_version, FORMS_SCHEMA_VERSION);
        let mut form_ids = BTreeSet::new();
        for (f, form) in self.forms.iter().enumerate() {
            let at = format!("forms[{f}]");
            if !form_ids.insert(form.id.as_str()) {
                errors.push(format!("{at}.id"), FieldProblem::BadId(form.id.clone()));
            }
            errors.check_text(format!("{at}.title"), &form.title);
            errors.check_text(format!("{at}.basis"), &form.basis);
            errors.check_date(format!("{at}.checked"), &form.checked);
            if form.steps.is_empty() {
                errors.push(format!("{at}.steps"), FieldProblem::EmptyList);
            }
            let mut seen: Vec<&Field> = Vec::new();
            for (s, step) in form.steps.iter().enumerate() {
                errors.check_text(format!("{at}.steps[{s}].title"), &step.title);
                for (i, field) in step.fields.iter().enumerate() {
                    let f_at = format!("{at}.steps[{s}].fields[{i}]");
                    if seen.iter().any(|other| other.id == field.id) {
                        errors.push(format!("{f_at}.id"), FieldProblem::BadId(field.id.clone()));
                    }
                    errors.check_text(format!("{f_at}.label"), &field.label);
                    let needs_options = matches!(field.kind, FieldKind::Choice | FieldKind::Multi);
                    if needs_options && field.options.len() < 2 {
                        errors.push(format!("{f_at}.options"), FieldProblem::EmptyList);
                    }
                    if field.kind == FieldKind::Rows && field.columns.is_empty() {
                        errors.push(format!("{f_at}.columns"), FieldProblem::EmptyList);
                    }
                    // Conditions and checks may refer only to fields asked earlier.
                    let options_of = |id: &str| {
                        let other = seen.iter().find(|f| f.id == id)?;
                        Some(match other.kind {
                            FieldKind::YesNo => vec![YES, NO],
                            _ => other.options.iter().map(|o| o.id.as_str()).collect(),
                        })
                    };
                    super::condition::check(
                        &field.when,
                        options_of,
                        &format!("{f_at}.when"),
                        &mut errors,
                    );
                    check_sex_field(field, &seen, &f_at, &mut errors);
                    for (name, reference) in [
                        ("birth_field", &field.birth_field),
                        ("sex_field", &field.sex_field),
                    ] {
                        if let Some(reference) = reference {
                            if !seen.iter().any(|f| &f.id == reference) {
                                errors.push(
                                    format!("{f_at}.{name}"),
                                    FieldProblem::UnknownReference(reference.clone()),
                                );
                            }
                        }
                    }
                    seen.push(field);
                }
            }
        }
        errors.0
    }
}

/// The ID number's sex digit is read against the two option ids of its `sex_field`.
fn check_sex_field(field: &Field, seen: &[&Field], f_at: &str, errors: &mut FieldErrors) {
    if let Some(sex) = field
        .sex_field
        .as_ref()
        .and_then(|id| seen.iter().find(|f| &f.id == id))
    {
        let ids: BTreeSet<&str> = sex.options.iter().map(|o| o.id.as_str()).collect();
        if sex.kind != FieldKind::Choice || ids != BTreeSet::from([MALE, FEMALE]) {
            errors.push(
                format!("{f_at}.sex_field"),
                FieldProblem::WrongKind(format!("choice: {MALE}, {FEMALE}")),
            );
        }
    }
}

/// The shipped forms file, for the domain's tests.
#[cfg(test)]
pub(crate) fn shipped_forms() -> FormCatalog {
    match super::data_file::parse_data_file::<FormCatalog>(
        FORMS_FILE,
        include_str!("../../../public/data/forms.json"),
    ) {
        Ok(forms) => forms,
        Err(e) => panic!("{e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::shipped_forms as shipped;
    use crate::data_file::DataFile;
    use crate::editor_notes::FormNotes;

    fn form<'a>(forms: &'a FormCatalog, id: &str) -> &'a FormDef {
        forms.forms.iter().find(|f| f.id == id).expect("form")
    }

    fn text(pairs: &[(&str, &str)]) -> FormAnswers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Value::Text(v.to_string())))
            .collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).expect("date")
    }

    #[test]
    fn characters_the_form_cannot_print_are_refused_by_name() {
        let forms = shipped();
        let dc02 = form(&forms, "DC02");
        let step = &dc02.steps[1];
        let mut answers = text(&[
            // Decomposed (as some keyboards send it) and an apostrophe: both printable.
            ("full_name", "H'Đa\u{300}o Niê"),
            ("birth_date", "15/03/2003"),
            ("sex", "female"),
            ("id_number", "079303012345"),
            ("address", "Buôn Ma Thuột — “số 5”"),
        ]);
        assert_eq!(dc02.check_step(step, &answers, today()), vec![]);
        answers.insert("address".into(), Value::Text("Nhà số 5 🏠".into()));
        let issues = dc02.check_step(step, &answers, today());
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].problem, InputProblem::Unprintable('🏠'));
    }

    #[test]
    fn user_dates_in_vietnamese_and_iso_forms() {
        assert_eq!(
            parse_user_date("31/12/1990"),
            NaiveDate::from_ymd_opt(1990, 12, 31)
        );
        assert_eq!(
            parse_user_date("1/2/2003"),
            NaiveDate::from_ymd_opt(2003, 2, 1)
        );
        assert_eq!(
            parse_user_date("2003-02-01"),
            NaiveDate::from_ymd_opt(2003, 2, 1)
        );
        assert_eq!(parse_user_date("31/02/2003"), None);
        assert_eq!(parse_user_date("12/2003"), None);
    }

    #[test]
    fn the_id_number_is_checked_against_the_birth_date_and_sex_given() {
        let forms = shipped();
        let dc02 = form(&forms, "DC02");
        let step = &dc02.steps[1];
        let good = text(&[
            ("full_name", "Nguyễn Thị Hồng Nhung"),
            ("birth_date", "15/03/2003"),
            ("sex", "female"),
            ("id_number", "079303012345"),
            ("address", "Phường Tân Lập, Đắk Lắk"),
        ]);
        assert_eq!(dc02.check_step(step, &good, today()), vec![]);
        let mut wrong_sex = good.clone();
        wrong_sex.insert("sex".into(), Value::Text("male".into()));
        let issues = dc02.check_step(step, &wrong_sex, today());
        assert_eq!(issues.len(), 1);
        assert_eq!(
            (issues[0].field.as_str(), &issues[0].problem),
            (
                "id_number",
                &InputProblem::IdNumber(IdNumberError::SexMismatch)
            )
        );
        let mut future = good;
        future.insert("birth_date".into(), Value::Text("01/01/2030".into()));
        let problems: Vec<InputProblem> = dc02
            .check_step(step, &future, today())
            .into_iter()
            .map(|i| i.problem)
            .collect();
        assert!(
            problems.contains(&InputProblem::DateInFuture),
            "{problems:?}"
        );
    }

    #[test]
    fn required_fields_and_conditional_ones() {
        let forms = shipped();
        let dc02 = form(&forms, "DC02");
        let representative = &dc02.steps[2];
        let issues = dc02.check_step(representative, &FormAnswers::new(), today());
        assert_eq!(
            issues.iter().map(|i| i.field.as_str()).collect::<Vec<_>>(),
            ["has_representative"]
        );
        // No representative: their fields are not asked.
        assert_eq!(
            dc02.check_step(
                representative,
                &text(&[("has_representative", "no")]),
                today()
            ),
            vec![]
        );
        // With one, their name and number are required.
        let with = dc02.check_step(
            representative,
            &text(&[("has_representative", "yes")]),
            today(),
        );
        assert!(with
            .iter()
            .any(|i| i.field == "rep_full_name" && i.problem == InputProblem::Required));
        let requests = &dc02.steps[3];
        let mut answers = FormAnswers::new();
        answers.insert("requests".into(), Value::Many(vec![]));
        assert_eq!(
            dc02.check_step(requests, &answers, today())[0].problem,
            InputProblem::Required
        );
        answers.insert("requests".into(), Value::Many(vec!["card".into()]));
        assert_eq!(dc02.check_step(requests, &answers, today()), vec![]);
    }

    #[test]
    fn table_rows_are_checked_cell_by_cell() {
        let forms = shipped();
        let ct01 = form(&forms, "CT01");
        let step = ct01
            .steps
            .iter()
            .find(|s| s.id == "members")
            .expect("members step");
        let row = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let mut answers = FormAnswers::new();
        answers.insert(
            "members".into(),
            Value::Rows(vec![
                row(&[
                    ("full_name", "H'Đào Niê"),
                    ("birth_date", "02/09/2010"),
                    ("id_number", "066310000123"),
                ]),
                row(&[("full_name", "Y Bhim Niê"), ("birth_date", "30/02/2012")]),
            ]),
        );
        let issues = ct01.check_step(step, &answers, today());
        assert_eq!(issues.len(), 1);
        assert_eq!(
            (
                issues[0].row,
                issues[0].column.as_deref(),
                &issues[0].problem
            ),
            (Some(1), Some("birth_date"), &InputProblem::NotADate)
        );
    }

    #[test]
    fn answers_given_once_are_reused_in_other_forms() {
        let forms = shipped();
        let dc02 = form(&forms, "DC02");
        let lost = form(&forms, "LOST-PAPERS");
        let answers = text(&[
            ("full_name", "Nguyễn Thị Hồng Nhung"),
            ("id_number", "079303012345"),
            ("rep_full_name", "Nguyễn Văn Bình"),
        ]);
        let shared = dc02.shared_values(&answers);
        assert!(
            !shared.contains_key("rep_full_name"),
            "a representative's details are not the person's"
        );
        let mut other = text(&[("full_name", "")]);
        lost.prefill(&mut other, &shared);
        assert_eq!(
            other.get("full_name"),
            Some(&Value::Text("Nguyễn Thị Hồng Nhung".into()))
        );
        assert_eq!(
            other.get("id_number"),
            Some(&Value::Text("079303012345".into()))
        );
    }

    fn problems_at(forms: &FormCatalog, notes: &FormNotes, at: &str) -> Vec<FieldProblem> {
        (forms.validate().into_iter())
            .chain(forms.validate_notes(notes))
            .filter(|e| e.field == at)
            .map(|e| e.problem)
            .collect()
    }

    // check-data's checks of the shared keys the forms declare (editor notes).
    #[test]
    fn shared_keys_must_be_declared_with_the_kind_they_carry() {
        let (shipped, notes) = crate::data_file::read_data_file::<FormCatalog>(
            FORMS_FILE,
            include_str!("../../../public/data/forms.json"),
        )
        .expect("valid");
        let dc02 = shipped
            .forms
            .iter()
            .position(|f| f.id == "DC02")
            .expect("DC02");
        let name_at = format!("forms[{dc02}].steps[1].fields[0]");
        assert_eq!(shipped.forms[dc02].steps[1].fields[0].id, "full_name");

        let mut misspelt = shipped.clone();
        misspelt.forms[dc02].steps[1].fields[0].shared = Some("person.fullname".into());
        assert_eq!(
            problems_at(&misspelt, &notes, &format!("{name_at}.shared")),
            [FieldProblem::UnknownReference("person.fullname".into())]
        );

        let mut date_into_text = shipped.clone();
        date_into_text.forms[dc02].steps[1].fields[0].shared = Some("person.birth_date".into());
        assert_eq!(
            problems_at(&date_into_text, &notes, &format!("{name_at}.shared")),
            [FieldProblem::WrongKind("date".into())]
        );

        // The booking fills the name: its key cannot go undeclared.
        let mut undeclared = notes.clone();
        undeclared.shared_keys.remove(SHARED_FULL_NAME);
        assert_eq!(
            problems_at(&shipped, &undeclared, "shared_keys.person.full_name"),
            [FieldProblem::Missing]
        );
        let mut phone_as_text = notes;
        phone_as_text
            .shared_keys
            .insert(SHARED_PHONE.into(), FieldKind::Text);
        assert_eq!(
            problems_at(&shipped, &phone_as_text, "shared_keys.person.phone"),
            [FieldProblem::WrongKind("phone".into())]
        );
    }

    #[test]
    fn an_id_numbers_sex_field_offers_exactly_male_and_female() {
        let mut forms = shipped();
        let dc02 = forms
            .forms
            .iter()
            .position(|f| f.id == "DC02")
            .expect("DC02");
        let fields = &mut forms.forms[dc02].steps[1].fields;
        assert_eq!(
            (fields[2].id.as_str(), fields[3].id.as_str()),
            ("sex", "id_number")
        );
        fields[2].options[1].id = "f".into();
        assert_eq!(
            problems_at(
                &forms,
                &FormNotes::default(),
                &format!("forms[{dc02}].steps[1].fields[3].sex_field")
            ),
            [FieldProblem::WrongKind("choice: male, female".into())]
        );
    }
}
