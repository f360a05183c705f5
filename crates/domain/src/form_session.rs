//! A citizen's way through one guided form, without a screen: what each action does to the
//! answers and where it leads. The wizard (ui/pages/forms) sends these events and draws what
//! comes back; every move a citizen can make is tested here, natively, in milliseconds.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::forms::{Field, FormAnswers, FormCatalog, FormDef, InputIssue, Step, Value};
use super::handoff::{decode, HandoffError};
use super::route::{Place, Stage};

/// A change to the answers, made as the citizen types, ticks or adds a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Typed into a box or chose one option: the field's answer is now `text`.
    Type {
        field: String,
        text: String,
    },
    /// Ticked (or unticked) one option of a several-answer question.
    Tick {
        field: String,
        option: String,
        ticked: bool,
    },
    /// Typed into one cell of a table.
    TypeCell {
        field: String,
        row: usize,
        column: String,
        text: String,
    },
    AddRow {
        field: String,
    },
    RemoveRow {
        field: String,
        row: usize,
    },
}

/// What a citizen does in a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Edit(Edit),
    /// The step's main button ("Next", or "Back to the review" after a change link).
    Submit,
    /// The step's "Back" button.
    Back,
    /// Start again: every answer of this form is forgotten.
    Clear,
}

/// What the wizard does next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stay on this page: the answers changed (or nothing did).
    Stay,
    /// The step has problems: show them, stay.
    Problems(Vec<InputIssue>),
    /// Go to another place in this form.
    Go(Place),
    /// Leave the form for the list of forms.
    Leave,
}

/// `place` with its step brought inside the form (an address may name a step that is not there).
pub fn clamp(form: &FormDef, place: Place) -> Place {
    match place.stage {
        Stage::Step(index) if index >= form.steps.len() => Place::START,
        _ => place,
    }
}

/// Applies `event` at `place` to this form's `answers`. `today` is the office's date (dates of
/// birth cannot be in the future).
pub fn update(
    form: &FormDef,
    place: Place,
    answers: &mut FormAnswers,
    event: Event,
    today: NaiveDate,
) -> Outcome {
    let place = clamp(form, place);
    match event {
        Event::Edit(change) => {
            edit(answers, change);
            Outcome::Stay
        }
        Event::Submit => {
            // A form without steps (never shipped: check-data refuses one) has nothing to submit.
            let Stage::Step(index) = place.stage else {
                return Outcome::Stay;
            };
            let Some(step) = form.steps.get(index) else {
                return Outcome::Stay;
            };
            let issues = form.check_step(step, answers, today);
            if !issues.is_empty() {
                Outcome::Problems(issues)
            } else if place.then_review || index + 1 == form.steps.len() {
                Outcome::Go(Place::at(Stage::Review))
            } else {
                Outcome::Go(Place::at(Stage::Step(index + 1)))
            }
        }
        Event::Back => back(form, place),
        Event::Clear => {
            answers.clear();
            Outcome::Go(Place::START)
        }
    }
}

/// Where "Back" leads from `place` (the page's back link is drawn from this too).
pub fn back(form: &FormDef, place: Place) -> Outcome {
    match clamp(form, place).stage {
        Stage::Step(0) => Outcome::Leave,
        Stage::Step(index) => Outcome::Go(Place {
            stage: Stage::Step(index - 1),
            then_review: place.then_review,
        }),
        Stage::Review => Outcome::Go(Place::at(Stage::Step(form.steps.len().saturating_sub(1)))),
    }
}

/// Applies one change to the answers (no form needed: the wizard checks them on "Next").
pub fn edit(answers: &mut FormAnswers, change: Edit) {
    match change {
        Edit::Type { field, text } => {
            answers.insert(field, Value::Text(text));
        }
        Edit::Tick {
            field,
            option,
            ticked,
        } => {
            let value = answers.entry(field).or_insert(Value::Many(Vec::new()));
            if !matches!(value, Value::Many(_)) {
                *value = Value::Many(Vec::new());
            }
            if let Value::Many(chosen) = value {
                chosen.retain(|c| *c != option);
                if ticked {
                    chosen.push(option);
                }
            }
        }
        Edit::TypeCell {
            field,
            row,
            column,
            text,
        } => edit_rows(answers, field, |rows| {
            if let Some(cells) = rows.get_mut(row) {
                cells.insert(column, text);
            }
        }),
        Edit::AddRow { field } => edit_rows(answers, field, |rows| rows.push(BTreeMap::new())),
        Edit::RemoveRow { field, row } => edit_rows(answers, field, |rows| {
            if row < rows.len() {
                rows.remove(row);
            }
        }),
    }
}

type Rows = Vec<BTreeMap<String, String>>;

/// Changes the rows of a table answer (made a table if it was not one).
// In place, never by removing the entry: a map's `remove` costs kilobytes of the browser's wasm.
fn edit_rows(answers: &mut FormAnswers, field: String, edit: impl FnOnce(&mut Rows)) {
    let value = answers.entry(field).or_insert(Value::Rows(Vec::new()));
    if !matches!(value, Value::Rows(_)) {
        *value = Value::Rows(Vec::new());
    }
    if let Value::Rows(rows) = value {
        edit(rows);
    }
}

/// A hand-off code typed, pasted or scanned at the counter: the form it fills, its answers, and
/// where it opens — the review page, ready to print.
pub fn load_code(
    catalog: &FormCatalog,
    code: &str,
) -> Result<(String, FormAnswers, Place), HandoffError> {
    let (form_id, answers) = decode(catalog, code)?;
    Ok((form_id, answers, Place::at(Stage::Review)))
}

/// Where a problem is fixed: the step asking its field, reached from the review so that its
/// button comes back to the review.
pub fn place_to_fix(form: &FormDef, issue: &InputIssue) -> Place {
    let step = form
        .steps
        .iter()
        .position(|s| s.fields.iter().any(|f| f.id == issue.field))
        .unwrap_or(0);
    change_link(step)
}

/// The review page's "change" link for a step.
pub fn change_link(step: usize) -> Place {
    Place {
        stage: Stage::Step(step),
        then_review: true,
    }
}

/// What one step shows: its place in the form, the fields asked for these answers, and what its
/// buttons say.
#[derive(Clone, Debug)]
pub struct StepModel<'a> {
    pub step: &'a Step,
    /// From 1, as shown ("Step 2 of 5").
    pub number: usize,
    pub total: usize,
    pub fields: Vec<&'a Field>,
    /// "Back to the review" rather than "Next".
    pub returns_to_review: bool,
}

/// The model of the step at `place`; None on the review page.
pub fn step_model<'a>(
    form: &'a FormDef,
    place: Place,
    answers: &FormAnswers,
) -> Option<StepModel<'a>> {
    let Stage::Step(index) = clamp(form, place).stage else {
        return None;
    };
    let step = form.steps.get(index)?;
    Some(StepModel {
        step,
        number: index + 1,
        total: form.steps.len(),
        fields: step
            .fields
            .iter()
            .filter(|f| form.is_shown(f, answers))
            .collect(),
        returns_to_review: place.then_review,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::InputProblem;

    use crate::forms::shipped_forms as shipped;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).expect("date")
    }

    fn step(index: usize) -> Place {
        Place::at(Stage::Step(index))
    }

    fn typed(field: &str, text: &str) -> Event {
        Event::Edit(Edit::Type {
            field: field.into(),
            text: text.into(),
        })
    }

    /// A citizen's session: the place follows every `Go`, as the address bar does.
    struct Walk<'a> {
        form: &'a FormDef,
        place: Place,
        answers: FormAnswers,
    }

    impl Walk<'_> {
        fn send(&mut self, event: Event) -> Outcome {
            let outcome = update(self.form, self.place, &mut self.answers, event, today());
            if let Outcome::Go(place) = outcome {
                self.place = place;
            }
            outcome
        }

        fn fields(&self) -> Vec<&str> {
            step_model(self.form, self.place, &self.answers)
                .map(|m| m.fields.iter().map(|f| f.id.as_str()).collect())
                .unwrap_or_default()
        }
    }

    #[test]
    fn dc02_mistakes_are_caught_fixed_reviewed_and_changed() {
        let forms = shipped();
        let dc02 = forms.forms.iter().find(|f| f.id == "DC02").expect("DC02");
        let mut walk = Walk {
            form: dc02,
            place: Place::START,
            answers: FormAnswers::new(),
        };
        // Step 1: the addressee.
        walk.send(typed("recipient", "Công an phường Tân Lập"));
        assert_eq!(walk.send(Event::Submit), Outcome::Go(step(1)));
        // Step 2: nothing typed — every required field is named, and the citizen stays.
        let Outcome::Problems(issues) = walk.send(Event::Submit) else {
            panic!("problems expected");
        };
        assert!(issues
            .iter()
            .any(|i| i.field == "full_name" && i.problem == InputProblem::Required));
        assert_eq!(walk.place, step(1));
        for (field, text) in [
            ("full_name", "H'Đào Niê"),
            ("birth_date", "15/03/2003"),
            ("sex", "female"),
            ("id_number", "079303012345"),
            ("address", "Buôn Ma Thuột"),
        ] {
            walk.send(typed(field, text));
        }
        assert_eq!(walk.send(Event::Submit), Outcome::Go(step(2)));
        // Step 3: a representative's questions appear only with a "yes".
        assert_eq!(walk.fields(), ["has_representative"]);
        walk.send(typed("has_representative", "yes"));
        assert!(walk.fields().contains(&"rep_full_name"));
        walk.send(typed("has_representative", "no"));
        assert_eq!(walk.send(Event::Submit), Outcome::Go(step(3)));
        // Step 4: ticks, then the review.
        for (option, ticked) in [("card", true), ("cmnd", true), ("cmnd", false)] {
            walk.send(Event::Edit(Edit::Tick {
                field: "requests".into(),
                option: option.into(),
                ticked,
            }));
        }
        assert_eq!(
            walk.answers.get("requests"),
            Some(&Value::Many(vec!["card".into()]))
        );
        assert_eq!(
            walk.send(Event::Submit),
            Outcome::Go(Place::at(Stage::Review))
        );
        assert!(step_model(dc02, walk.place, &walk.answers).is_none());
        assert!(dc02.check_all(&walk.answers, today()).is_empty());
        // Change the name from the review: its button comes straight back.
        walk.place = change_link(1);
        let model = step_model(dc02, walk.place, &walk.answers).expect("a step");
        assert!(model.returns_to_review);
        assert_eq!((model.number, model.total), (2, dc02.steps.len()));
        walk.send(typed("full_name", "H'Đào Niê Kpă"));
        assert_eq!(
            walk.send(Event::Submit),
            Outcome::Go(Place::at(Stage::Review))
        );
        // Back keeps "return to the review" and leaves the form from its first step.
        walk.place = change_link(1);
        assert_eq!(walk.send(Event::Back), Outcome::Go(change_link(0)));
        assert_eq!(walk.send(Event::Back), Outcome::Leave);
        // Clear forgets everything and starts again.
        assert_eq!(walk.send(Event::Clear), Outcome::Go(Place::START));
        assert!(walk.answers.is_empty());
    }

    #[test]
    fn table_rows_are_added_typed_into_and_removed() {
        let forms = shipped();
        let ct01 = forms.forms.iter().find(|f| f.id == "CT01").expect("CT01");
        let members = ct01
            .steps
            .iter()
            .position(|s| s.id == "members")
            .expect("members step");
        let mut walk = Walk {
            form: ct01,
            place: step(members),
            answers: FormAnswers::new(),
        };
        let cell = |row: usize, column: &str, text: &str| {
            Event::Edit(Edit::TypeCell {
                field: "members".into(),
                row,
                column: column.into(),
                text: text.into(),
            })
        };
        let add = || {
            Event::Edit(Edit::AddRow {
                field: "members".into(),
            })
        };
        walk.send(add());
        walk.send(add());
        walk.send(cell(0, "full_name", "Nguyễn Thị Hồng Nhung"));
        walk.send(cell(0, "birth_date", "30/02/2020"));
        walk.send(cell(1, "full_name", "Người sẽ bị xóa"));
        // A cell of a row that is not there changes nothing.
        walk.send(cell(5, "full_name", "nobody"));
        for row in [1, 9] {
            walk.send(Event::Edit(Edit::RemoveRow {
                field: "members".into(),
                row,
            }));
        }
        let Some(Value::Rows(rows)) = walk.answers.get("members") else {
            panic!("a table");
        };
        assert_eq!(rows.len(), 1);
        let Outcome::Problems(issues) = walk.send(Event::Submit) else {
            panic!("the impossible date is caught");
        };
        assert_eq!(
            (issues[0].row, issues[0].column.as_deref()),
            (Some(0), Some("birth_date"))
        );
        walk.send(cell(0, "birth_date", "01/06/2020"));
        assert_eq!(
            walk.send(Event::Submit),
            Outcome::Go(Place::at(Stage::Review))
        );
    }

    #[test]
    fn a_code_opens_its_form_on_the_review_page_and_a_bad_one_says_why() {
        let forms = shipped();
        let dc02 = forms.forms.iter().find(|f| f.id == "DC02").expect("DC02");
        let mut answers = FormAnswers::new();
        answers.insert("full_name".into(), Value::Text("H'Đào Niê".into()));
        let code = crate::handoff::encode(dc02, &answers);
        // As a scanner or a copy may give it: spaces around, lower case.
        let (form_id, loaded, place) =
            load_code(&forms, &format!("  {}\n", code.to_lowercase())).expect("loads");
        assert_eq!(
            (form_id.as_str(), place),
            ("DC02", Place::at(Stage::Review))
        );
        assert_eq!(loaded.get("full_name"), answers.get("full_name"));
        assert!(load_code(&forms, "CK1:").is_err());
    }

    #[test]
    fn a_step_the_form_does_not_have_is_its_first() {
        let forms = shipped();
        // A form without steps is refused by check-data; were one loaded, nothing would panic.
        let mut empty = forms.forms[0].clone();
        empty.steps.clear();
        let mut none = forms.clone();
        none.forms[0] = empty.clone();
        assert!(crate::data_file::Validate::validate(&none)
            .iter()
            .any(|e| e.field == "forms[0].steps"));
        let mut answers = FormAnswers::new();
        for event in [Event::Submit, Event::Back] {
            let at_review = Place::at(Stage::Review);
            update(&empty, at_review, &mut answers, event.clone(), today());
            update(&empty, Place::START, &mut answers, event, today());
        }
        assert!(step_model(&empty, Place::START, &answers).is_none());
        let dc02 = &forms.forms[0];
        let model = step_model(dc02, step(99), &FormAnswers::new()).expect("a step");
        assert_eq!(model.number, 1);
        let mut answers = FormAnswers::new();
        assert_eq!(
            update(dc02, step(99), &mut answers, Event::Back, today()),
            Outcome::Leave
        );
    }
}
