use std::sync::Arc;

use crate::domain::route::Route;
use leptos::either::Either;
use leptos::prelude::*;

use crate::ui::router::A;
use crate::ui::text::{loc, tr};

use crate::domain::catalog::{Answers, Catalog, NoteEntry, NoteKind, Procedure, Question};
use crate::domain::time::{format_date_vn, parse_iso_date};
use crate::i18n::Messages;
use crate::ui::data_view::data_view;
use crate::ui::use_app;

mod checklist;
pub(super) use checklist::cited;
use checklist::ChecklistView;

/// One procedure: the questions that decide the citizen's case, then their own checklist.
#[component]
pub fn ProcedurePage(id: String) -> impl IntoView {
    let app = use_app();
    {
        data_view(app.catalog(), move |catalog: Arc<Catalog>| {
            match catalog.procedure(&id).cloned() {
                Some(procedure) => {
                    Either::Left(view! { <ProcedureView catalog procedure=Arc::new(procedure) /> })
                }
                None => Either::Right(view! { <UnknownProcedure /> }),
            }
        })
    }
}

#[component]
fn UnknownProcedure() -> impl IntoView {
    super::use_page_title(|t| t.not_found_title);
    view! {
        <h1>{tr(|t| t.not_found_title)}</h1>
        <p>{tr(|t| t.procedure_not_found)}</p>
        <p><A href=Route::Services attr:class="button">{tr(|t| t.back_to_services)}</A></p>
    }
}

#[component]
fn ProcedureView(catalog: Arc<Catalog>, procedure: Arc<Procedure>) -> impl IntoView {
    let app = use_app();
    let lang = move || app.lang.get();
    let id = procedure.id.clone();

    {
        let procedure = procedure.clone();
        super::keep_title(move || {
            let station = match app.station.get() {
                Some(Ok(station)) => station.name.get(lang()).to_owned(),
                _ => app.t().app_title_fallback.to_owned(),
            };
            format!("{} – {station}", procedure.title.get(lang()))
        });
    }

    let answers = {
        let id = id.clone();
        Memo::new(move |_| {
            app.checklists
                .with(|all| all.get(&id).map(|p| p.answers.clone()).unwrap_or_default())
        })
    };
    let set_answer = {
        let id = id.clone();
        move |question: String, option: String| {
            app.checklists.update(|all| {
                all.entry(id.clone())
                    .or_default()
                    .answers
                    .insert(question, option);
            })
        }
    };

    let title = procedure.title.clone();
    let summary = procedure.summary.clone();
    let code = procedure.code.clone();
    // Shown before any question, so a citizen can judge how current the page is.
    let checked_on = parse_iso_date(&procedure.checked)
        .map(format_date_vn)
        .unwrap_or_else(|| procedure.checked.clone());
    // Offered before any question: booking does not depend on the answers.
    let book_link = (procedure.bookable && procedure.handled_here).then(|| {
        let href = Route::Book {
            procedure: Some(procedure.id.clone()),
            moving: None,
        };
        view! { <p class="no-print"><A href=href attr:class="button">{tr(|t| t.procedure_book)}</A></p> }
    });
    // A case the questions and checklist do not cover: the station answers (#29).
    let ask = Route::Ask {
        procedure: Some(procedure.id.clone()),
    };
    let referral = procedure
        .referral
        .clone()
        .filter(|_| !procedure.handled_here);
    let notes = {
        let procedure = procedure.clone();
        move || {
            let notes: Vec<NoteEntry> = procedure
                .notes_for(&answers.get())
                .into_iter()
                .cloned()
                .collect();
            notes
                .into_iter()
                .map(|note| view! { <Note note /> })
                .collect_view()
        }
    };
    let questions = procedure
        .questions
        .iter()
        .cloned()
        .map(|question| {
            let procedure = procedure.clone();
            let question_id = question.id.clone();
            let visible = move || answers.with(|a| procedure.visible_questions(a).iter().any(|q| q.id == question_id));
            let set_answer = set_answer.clone();
            let id = id.clone();
            // A memo, so the question is drawn again only when it appears or goes.
            let visible = Memo::new(move |_| visible());
            move || {
                visible.get().then(|| {
                    view! { <QuestionField procedure_id=id.clone() question=question.clone() answers set_answer=set_answer.clone() /> }
                })
            }
        })
        .collect_view();
    let has_questions = !procedure.questions.is_empty();

    let checklist = {
        let (catalog, procedure, id) = (catalog.clone(), procedure.clone(), id.clone());
        move || {
            let answers = answers.get();
            match procedure.checklist(&catalog, &answers) {
                None => Either::Left(
                    view! { <p class="notice notice-info">{tr(|t| t.procedure_answer_prompt)}</p> },
                ),
                Some(list) => Either::Right(view! {
                    <ChecklistView
                        catalog=catalog.clone()
                        procedure=procedure.clone()
                        answers=answers.clone()
                        documents=list.documents.iter().map(|d| (d.id.to_owned(), d.document.name.clone(), d.document.detail.clone(), d.note.cloned())).collect()
                        forms=list.forms.iter().map(|(f, note)| ((*f).clone(), note.cloned())).collect()
                        fee=list.fee.cloned()
                        processing=list.processing.cloned()
                        steps=list.steps.iter().map(|s| (*s).clone()).collect()
                        progress_id=id.clone()
                    />
                }),
            }
        }
    };

    view! {
        <p class="breadcrumb"><A href=Route::Services>{tr(|t| t.back_to_services)}</A></p>
        <h1>{loc(title)}</h1>
        <p class="lead">{loc(summary)}</p>
        {code.map(|code| view! { <p class="procedure-code">{tr(|t| t.procedure_code)}": "{code}</p> })}
        <p class="hint procedure-checked">{move || (app.t().procedure_checked)(&checked_on)}</p>
        {book_link}
        {referral.map(|referral| view! {
            <div class="notice notice-warning referral">
                <h2>{tr(|t| t.procedure_referral_title)}</h2>
                <p>{loc(referral)}</p>
            </div>
        })}
        <div class="procedure-notes">{notes}</div>
        {has_questions.then(|| view! {
            <section class="questions" aria-labelledby="questions-title">
                <h2 id="questions-title">{tr(|t| t.procedure_questions_title)}</h2>
                {questions}
            </section>
        })}
        {checklist}
        <super::answers::ProcedureAnswers catalog=catalog.clone() procedure=procedure.id.clone() />
        <p class="ask-link no-print">{tr(|t| t.procedure_ask)}" "<A href=ask>{tr(|t| t.procedure_ask_link)}</A></p>
    }
}

#[component]
fn Note(note: NoteEntry) -> impl IntoView {
    let (class, label): (&str, fn(&Messages) -> &'static str) = match note.kind {
        NoteKind::Emergency => ("notice notice-error", |t| t.note_emergency),
        NoteKind::Warning => ("notice notice-warning", |t| t.note_warning),
        NoteKind::Info => ("notice notice-info", |t| t.note_info),
    };
    let text = note.text;
    view! {
        <p class=class>
            <strong>{tr(label)}": "</strong>
            {loc(text)}
        </p>
    }
}

#[component]
fn QuestionField(
    procedure_id: String,
    question: Question,
    answers: Memo<Answers>,
    set_answer: impl Fn(String, String) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let Question {
        id,
        text,
        help,
        options,
        ..
    } = question;
    let help_id = format!("{procedure_id}-{id}-help");
    let described_by = help.is_some().then(|| help_id.clone());
    let radios = options
        .into_iter()
        .map(|option| {
            let input_id = format!("{procedure_id}-{id}-{}", option.id);
            let (question_id, option_id) = (id.clone(), option.id.clone());
            let checked = {
                let (question_id, option_id) = (question_id.clone(), option_id.clone());
                move || answers.with(|a| a.get(&question_id) == Some(&option_id))
            };
            let set_answer = set_answer.clone();
            let label = option.label;
            view! {
                <div class="radio">
                    <input
                        type="radio"
                        id=input_id.clone()
                        name=format!("{procedure_id}-{id}")
                        value=option.id.clone()
                        prop:checked=checked
                        on:change=move |_| set_answer(question_id.clone(), option_id.clone())
                    />
                    <label for=input_id>{loc(label)}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="question" aria-describedby=described_by>
            <legend>{loc(text)}</legend>
            {help.map(|help| view! { <p class="hint" id=help_id>{loc(help)}</p> })}
            {radios}
        </fieldset>
    }
}
