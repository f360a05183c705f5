//! Guided forms: the list of forms, then one form in short steps (`/forms/CT01?step=2`), a page to
//! check every answer (`?step=review`) and the PDF, made in the PDF module and downloaded or
//! printed. Answers live in `AppContext::form_answers`, so moving between steps, switching
//! language or going back never loses them.

mod fields;
mod loader;
pub mod on_device;
mod review;

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

use super::use_page_title;
use crate::domain::catalog::AnswerOption;
use crate::domain::form_session::{back, clamp, step_model, update, Event, Outcome};
use crate::domain::forms::{
    Column, Field, FieldKind, FormAnswers, FormCatalog, FormDef, InputIssue, Value,
    SHARED_FULL_NAME, SHARED_PHONE, SHARED_RECIPIENT,
};
use crate::domain::handoff::encode;
use crate::domain::route::{Place, Route, Stage};
use crate::domain::text::{Lang, Localized};
use crate::i18n::LabelledWords;
use crate::platform;
use crate::ui::data_view::data_view;
use crate::ui::form::{described_by, field_frame, ErrorSummary, FieldMessage};
use crate::ui::router::{use_router, A};
use crate::ui::text::{loc, tr, tr_form};
use crate::ui::{use_app, AppContext};
use fields::*;
use loader::CodeLoader;
use review::ReviewView;

/// Every form the app can fill, each with a link to start it.
#[component]
pub fn FormsPage() -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.forms_title);
    view! {
        <h1>{tr(|t| t.forms_title)}</h1>
        <p class="lead">{tr_form(|t| t.forms_intro)}</p>
        {data_view(app.forms(), move |catalog| {
            let items = catalog.forms.iter().cloned().map(|form| view! {
                <li class="card">
                    <h2>
                        <A href=Route::Form { id: form.id.clone(), place: Place::START }>{loc(form.title.clone())}</A>
                    </h2>
                    <p class="hint">{form.code.clone()}" "{loc(form.basis.clone())}</p>
                </li>
            }).collect_view();
            view! {
                {app.restore_pending_forms(&catalog)}
                {app.kiosk.is_none().then(|| view! { <DraftsConsent catalog=catalog.clone() /> })}
                <CodeLoader catalog=catalog.clone() />
                <ul class="card-list">{items}</ul>
            }
        })}
    }
}

/// Phone mode: the choice to keep answers on this phone, and the forms in progress, each with
/// a way to delete it.
#[component]
fn DraftsConsent(catalog: Arc<FormCatalog>) -> impl IntoView {
    let app = use_app();
    let in_progress = move || {
        let lang = app.lang.get();
        let f = crate::i18n::form_messages(lang);
        let forms: Vec<(String, String)> = app.form_answers.with(|all| {
            catalog
                .forms
                .iter()
                .filter(|f| all.get(&f.id).is_some_and(|a| !a.is_empty()))
                .map(|f| (f.id.clone(), f.title.get(lang).to_owned()))
                .collect()
        });
        (!forms.is_empty()).then(|| view! {
            <p>{f.drafts_saved}</p>
            <ul class="plain-list drafts-list">
                {forms.into_iter().map(|(id, title)| {
                    let remove = {
                        let id = id.clone();
                        move |_| app.form_answers.update(|all| {
                            all.remove(&id);
                        })
                    };
                    let link_text = title.clone();
                    view! {
                        <li>
                            <A href=Route::Form { id: id.clone(), place: Place::START }>{link_text}</A>" "
                            <button type="button" class="button button-secondary" on:click=remove>
                                {f.drafts_delete}<span class="visually-hidden">" "{title}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })
    };
    view! {
        <section class="drafts" aria-labelledby="drafts-title">
            <h2 id="drafts-title">{tr_form(|t| t.drafts_title)}</h2>
            {move || if app.drafts_newer.get() {
                Either::Left(view! { <p class="notice notice-info" role="status">{tr(|t| t.drafts_newer)}</p> })
            } else {
                Either::Right(view! {
                    <div class="check-item">
                        <input type="checkbox" id="keep-drafts" aria-describedby="keep-drafts-hint"
                            prop:checked=move || app.keep_drafts.get()
                            on:change=move |e| app.keep_drafts.set(event_target_checked(&e)) />
                        <label for="keep-drafts">{tr_form(|t| t.drafts_keep)}</label>
                    </div>
                    <p class="hint" id="keep-drafts-hint">{tr_form(|t| t.drafts_hint)}</p>
                })
            }}
            {in_progress}
        </section>
    }
}

/// The address of `place` in this form.
pub(super) fn form_route(form_id: &str, place: Place) -> Route {
    Route::Form {
        id: form_id.to_owned(),
        place,
    }
}

/// Where an outcome of the form session leads, if anywhere.
pub(super) fn route_of(form_id: &str, outcome: &Outcome) -> Option<Route> {
    match outcome {
        Outcome::Go(place) => Some(form_route(form_id, *place)),
        Outcome::Leave => Some(Route::Forms),
        Outcome::Stay | Outcome::Problems(_) => None,
    }
}

/// One form: the current step or the review page.
#[component]
pub fn FormPage(id: String, place: Place) -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.forms_title);
    data_view(app.forms(), move |catalog| {
        app.restore_pending_forms(&catalog);
        match catalog.forms.iter().find(|f| f.id == id).cloned() {
            Some(form) => Either::Left(view! { <FormWizard form place /> }),
            None => Either::Right(view! {
                <h1>{tr_form(|t| t.form_not_found)}</h1>
                <p><A href=Route::Forms attr:class="button">{tr_form(|t| t.form_all_forms)}</A></p>
            }),
        }
    })
}

/// Answers given elsewhere that this form can reuse, by shared key: other forms, the latest
/// booking (name, phone) and the station (the addressee).
fn shared_answers(app: crate::ui::AppContext, catalog_form: &FormDef) -> BTreeMap<String, Value> {
    let mut shared = BTreeMap::new();
    if let Some(Ok(station)) = app.station.get_untracked() {
        shared.insert(
            SHARED_RECIPIENT.to_owned(),
            Value::Text(station.name.vi.clone()),
        );
    }
    if let Some(booked_by) = app.booked_by() {
        shared.insert(SHARED_FULL_NAME.to_owned(), Value::Text(booked_by.name));
        shared.insert(SHARED_PHONE.to_owned(), Value::Text(booked_by.phone));
    }
    if let Some(Ok(catalog)) = app.forms().get_untracked() {
        app.form_answers.with_untracked(|all| {
            for other in catalog.forms.iter().filter(|f| f.id != catalog_form.id) {
                if let Some(answers) = all.get(&other.id) {
                    for (key, value) in other.shared_values(answers) {
                        if !matches!(&value, Value::Text(t) if t.trim().is_empty()) {
                            shared.insert(key, value);
                        }
                    }
                }
            }
        });
    }
    shared
}

#[component]
fn FormWizard(form: FormDef, place: Place) -> impl IntoView {
    let app = use_app();
    // A form is open: a PDF may follow, so its module is kept now (a phone keeps it only from here).
    platform::service_worker::keep_pdf_module();
    let form = Arc::new(form);
    let place = clamp(&form, place);
    let form_id = form.id.clone();

    // The first time this form is opened, fill what is already known.
    let prefilled = app
        .form_answers
        .with_untracked(|all| !all.contains_key(&form_id));
    if prefilled {
        let mut answers = FormAnswers::new();
        form.prefill(&mut answers, &shared_answers(app, &form));
        app.form_answers.update(|all| {
            all.insert(form_id.clone(), answers);
        });
    }
    let prefilled_any = prefilled
        && app
            .form_answers
            .with_untracked(|all| all.get(&form_id).is_some_and(|a| !a.is_empty()));

    let title = form.title.clone();
    let header = view! {
        <p class="hint form-code">{form.code.clone()}</p>
        <h1>{loc(title)}</h1>
    };
    let body = match place.stage {
        Stage::Step(index) => Either::Left(view! {
            <StepView form=form.clone() place prefilled=prefilled_any && index == 0 />
        }),
        Stage::Review => Either::Right(view! { <ReviewView form=form.clone() /> }),
    };
    view! { {header} {body} }
}

/// The DOM id of a field's input (the first one, for a group of options).
fn input_id(field: &str) -> String {
    format!("f-{field}")
}

fn cell_id(field: &str, row: usize, column: &str) -> String {
    format!("f-{field}-{row}-{column}")
}

/// The label a problem is reported under, in `lang`.
fn issue_message(form: &FormDef, issue: &InputIssue, lang: Lang) -> FieldMessage {
    let f = crate::i18n::form_messages(lang);
    let field = form.field(&issue.field);
    let column: Option<&Column> = field.and_then(|f| {
        f.columns
            .iter()
            .find(|c| Some(&c.id) == issue.column.as_ref())
    });
    let (label, field_id) = match (field, issue.row, column) {
        (Some(field), Some(row), Some(column)) => (
            format!(
                "{} – {}: {}",
                field.label.get(lang),
                (f.form_row)(row + 1),
                column.label.get(lang)
            ),
            cell_id(&field.id, row, &column.id),
        ),
        (Some(field), _, _) => (field.label.get(lang).to_owned(), input_id(&field.id)),
        (None, _, _) => (issue.field.clone(), input_id(&issue.field)),
    };
    FieldMessage {
        field_id,
        message: issue.problem.message(lang, &label),
    }
}

// Rendering note: a step and the review page are drawn as plain text for the current language
// and drawn again when the language changes or a check finds problems. Answers are written to
// `AppContext::form_answers` as they are typed, so redrawing loses nothing; and plain text
// compiles to far less wasm than a reactive closure per label (the first-load budget).

#[component]
fn StepView(form: Arc<FormDef>, place: Place, prefilled: bool) -> impl IntoView {
    let app = use_app();
    let router = use_router();
    let issues = RwSignal::new(Vec::<InputIssue>::new());

    let on_submit = {
        let form = form.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let today = platform::clock::office_today();
            let mut outcome = Outcome::Stay;
            app.form_answers.update(|all| {
                let answers = all.entry(form.id.clone()).or_default();
                outcome = update(&form, place, answers, Event::Submit, today);
            });
            match outcome {
                Outcome::Problems(found) => issues.set(found),
                outcome => {
                    if let Some(route) = route_of(&form.id, &outcome) {
                        router.navigate(&route);
                    }
                }
            }
        }
    };

    move || {
        let lang = app.lang.get();
        let f = crate::i18n::form_messages(lang);
        let errors: Vec<FieldMessage> =
            issues.with(|list| list.iter().map(|i| issue_message(&form, i, lang)).collect());
        // Fields asked only for some answers appear and disappear below as those answers change.
        let model = app
            .form_answers
            .with_untracked(|all| match all.get(&form.id) {
                Some(answers) => step_model(&form, place, answers),
                None => step_model(&form, place, &FormAnswers::new()),
            })?;
        let step = model.step;
        let fields = step
            .fields
            .iter()
            .map(|field| {
                if field.when.is_empty() {
                    return field_view(&form.id, field, lang, &errors);
                }
                // Asked only for some answers: shown or hidden as those answers change.
                let shown = {
                    let (form, field) = (form.clone(), field.clone());
                    Memo::new(move |_| {
                        app.form_answers
                            .with(|all| all.get(&form.id).is_some_and(|a| form.is_shown(&field, a)))
                    })
                };
                let (form_id, field, errors) = (form.id.clone(), field.clone(), errors.clone());
                view! {
                    {move || shown.get().then(|| field_view(&form_id, &field, app.lang.get_untracked(), &errors))}
                }
                .into_any()
            })
            .collect_view();
        let back = route_of(&form.id, &back(&form, place)).unwrap_or(Route::Forms);
        let (number, total) = (model.number, model.total);
        Some(view! {
            <p class="form-progress" id="form-progress">{(f.form_step_of)(number, total)}</p>
            <progress class="form-progress-bar" max=total value=number aria-labelledby="form-progress"></progress>
            {prefilled.then(|| view! { <p class="notice notice-info">{f.form_prefilled}</p> })}
            <ErrorSummary errors=Signal::stored(errors) />
            <form class="form-step" novalidate on:submit=on_submit.clone()>
                <h2>{step.title.get(lang).to_owned()}</h2>
                {fields}
                <p class="actions">
                    <button type="submit" class="button">
                        {if model.returns_to_review { f.form_back_to_review } else { f.form_next }}
                    </button>
                    <A href=back attr:class="button button-secondary">{f.form_back}</A>
                </p>
            </form>
        })
    }
}
