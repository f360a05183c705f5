//! Guided forms: the list of forms, then one form in short steps (`/forms/CT01?step=2`), a page to
//! check every answer (`?step=review`) and the PDF, made in the PDF module and downloaded or
//! printed. Answers live in `AppContext::form_answers`, so moving between steps, switching
//! language or going back never loses them.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

use super::use_page_title;
use crate::domain::catalog::AnswerOption;
use crate::domain::forms::{
    Column, Field, FieldKind, FormAnswers, FormCatalog, FormDef, InputIssue, Value,
};
use crate::domain::handoff::{decode, encode, HandoffError};
use crate::domain::text::{Lang, Localized};
use crate::platform;
use crate::platform::pdf::PdfFailure;
use crate::ui::data_view::data_view;
use crate::ui::form::{ErrorSummary, FieldMessage, TextField};
use crate::ui::router::{query_param, use_router, A};
use crate::ui::text::{loc, tr};
use crate::ui::{use_app, AppContext};

/// Every form the app can fill, each with a link to start it.
#[component]
pub fn FormsPage() -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.forms_title);
    view! {
        <h1>{tr(|t| t.forms_title)}</h1>
        <p class="lead">{tr(|t| t.forms_intro)}</p>
        {data_view(app.forms(), move |catalog| view! {
            {app.restore_pending_forms(&catalog)}
            {app.kiosk.is_none().then(|| view! { <DraftsConsent catalog=catalog.clone() /> })}
            <CodeLoader catalog=catalog.clone() />
            <ul class="card-list">
                {catalog.forms.into_iter().map(|form| view! {
                    <li class="card">
                        <h2>
                            <A href=format!("/forms/{}", form.id)>{loc(form.title.clone())}</A>
                        </h2>
                        <p class="hint">{form.code.clone()}" "{loc(form.basis.clone())}</p>
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

/// Phone mode: the choice to keep answers on this phone, and the forms in progress, each with
/// a way to delete it.
#[component]
fn DraftsConsent(catalog: FormCatalog) -> impl IntoView {
    let app = use_app();
    let in_progress = move || {
        let lang = app.lang.get();
        let t = crate::i18n::messages(lang);
        let forms: Vec<(String, String)> = app.form_answers.with(|all| {
            catalog
                .forms
                .iter()
                .filter(|f| all.get(&f.id).is_some_and(|a| !a.is_empty()))
                .map(|f| (f.id.clone(), f.title.get(lang).to_owned()))
                .collect()
        });
        (!forms.is_empty()).then(|| view! {
            <p>{t.drafts_saved}</p>
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
                            <A href=format!("/forms/{id}")>{link_text}</A>" "
                            <button type="button" class="button button-secondary" on:click=remove>
                                {t.drafts_delete}<span class="visually-hidden">" "{title}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })
    };
    view! {
        <section class="drafts" aria-labelledby="drafts-title">
            <h2 id="drafts-title">{tr(|t| t.drafts_title)}</h2>
            {move || if app.drafts_newer.get() {
                Either::Left(view! { <p class="notice notice-info" role="status">{tr(|t| t.drafts_newer)}</p> })
            } else {
                Either::Right(view! {
                    <div class="check-item">
                        <input type="checkbox" id="keep-drafts" aria-describedby="keep-drafts-hint"
                            prop:checked=move || app.keep_drafts.get()
                            on:change=move |e| app.keep_drafts.set(event_target_checked(&e)) />
                        <label for="keep-drafts">{tr(|t| t.drafts_keep)}</label>
                    </div>
                    <p class="hint" id="keep-drafts-hint">{tr(|t| t.drafts_hint)}</p>
                })
            }}
            {in_progress}
        </section>
    }
}

/// Loads a form from a hand-off code (a phone's screen, a printed PDF's QR code or pasted
/// text): the answers open on the review page, ready to print.
#[component]
fn CodeLoader(catalog: FormCatalog) -> impl IntoView {
    let app = use_app();
    let router = use_router();
    let code = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<LoadProblem>);
    let errors = Signal::derive(move || {
        problem
            .get()
            .map(|p| FieldMessage {
                field_id: "handoff-code".into(),
                message: p.message(app.lang.get()).into(),
            })
            .into_iter()
            .collect::<Vec<_>>()
    });
    let catalog = StoredValue::new(catalog);
    let open_code = move |text: String| match catalog.with_value(|catalog| decode(catalog, &text)) {
        Ok((form_id, answers)) => {
            app.form_answers.update(|all| {
                all.insert(form_id.clone(), answers);
            });
            router.navigate(&form_address(&form_id, Stage::Review, false));
        }
        Err(error) => problem.set(Some(LoadProblem::Code(error))),
    };
    // A scanner that types ends with Enter, which submits.
    let load = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        open_code(code.get_untracked());
    };
    // The code read by the camera goes into the box too, so a bad one stays there to see.
    let scan = move |_| {
        let t = app.t();
        leptos::task::spawn_local(async move {
            match platform::camera::scan(t.camera_prompt, t.camera_stop).await {
                Ok(Some(text)) => {
                    code.set(text.clone());
                    open_code(text);
                }
                Ok(None) => {}
                Err(unavailable) => problem.set(Some(LoadProblem::Camera(unavailable))),
            }
        });
    };
    view! {
        <section class="handoff-load" aria-labelledby="handoff-load-title">
            <h2 id="handoff-load-title">{tr(|t| t.handoff_load_title)}</h2>
            <ErrorSummary errors />
            <form novalidate on:submit=load>
                <TextField id="handoff-code" label=|t| t.handoff_load_label hint=|t| t.handoff_load_hint value=code errors />
                <button type="submit" class="button">{tr(|t| t.handoff_load)}</button>
                {platform::camera::available().then(|| view! {
                    <button type="button" class="button button-secondary" on:click=scan>{tr(|t| t.handoff_scan_camera)}</button>
                })}
            </form>
        </section>
    }
}

/// Why a form code did not open: the code itself, or the camera that was to read it.
#[derive(Clone, Copy)]
enum LoadProblem {
    Code(HandoffError),
    Camera(platform::camera::CameraUnavailable),
}

impl LoadProblem {
    fn message(self, lang: Lang) -> &'static str {
        match self {
            LoadProblem::Code(error) => error.message(lang),
            LoadProblem::Camera(unavailable) => unavailable.message(lang),
        }
    }
}

/// Where the citizen is in a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// A step, counted from 0.
    Step(usize),
    Review,
}

fn stage_from_query(query: &str, steps: usize) -> Stage {
    match query_param(query, "step").as_deref() {
        Some("review") => Stage::Review,
        Some(n) => match n.parse::<usize>() {
            Ok(n) if (1..=steps).contains(&n) => Stage::Step(n - 1),
            _ => Stage::Step(0),
        },
        None => Stage::Step(0),
    }
}

fn form_address(form_id: &str, stage: Stage, then_review: bool) -> String {
    match stage {
        Stage::Review => format!("/forms/{form_id}?step=review"),
        Stage::Step(i) if then_review => format!("/forms/{form_id}?step={}&then=review", i + 1),
        Stage::Step(i) => format!("/forms/{form_id}?step={}", i + 1),
    }
}

/// One form: the current step or the review page.
#[component]
pub fn FormPage(id: String) -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.forms_title);
    data_view(app.forms(), move |catalog| {
        app.restore_pending_forms(&catalog);
        match catalog.forms.into_iter().find(|f| f.id == id) {
            Some(form) => Either::Left(view! { <FormWizard form /> }),
            None => Either::Right(view! {
                <h1>{tr(|t| t.form_not_found)}</h1>
                <p><A href="/forms" attr:class="button">{tr(|t| t.form_all_forms)}</A></p>
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
            "station.recipient".to_owned(),
            Value::Text(station.name.vi.clone()),
        );
    }
    app.bookings.with_untracked(|book| {
        if let Some(latest) = book.bookings.last() {
            shared.insert(
                "person.full_name".to_owned(),
                Value::Text(latest.name.clone()),
            );
            shared.insert("person.phone".to_owned(), Value::Text(latest.phone.clone()));
        }
    });
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
fn FormWizard(form: FormDef) -> impl IntoView {
    let app = use_app();
    let router = use_router();
    let form = Arc::new(form);
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

    let query = router.query.get_untracked();
    let stage = stage_from_query(&query, form.steps.len());
    let then_review = query_param(&query, "then").as_deref() == Some("review");

    let title = form.title.clone();
    let header = view! {
        <p class="hint form-code">{form.code.clone()}</p>
        <h1>{loc(title)}</h1>
    };
    let body = match stage {
        Stage::Step(index) => Either::Left(view! {
            <StepView form=form.clone() index then_review prefilled=prefilled_any && index == 0 />
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
    let t = crate::i18n::messages(lang);
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
                (t.form_row)(row + 1),
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
fn StepView(form: Arc<FormDef>, index: usize, then_review: bool, prefilled: bool) -> impl IntoView {
    let app = use_app();
    let router = use_router();
    let total = form.steps.len();
    let issues = RwSignal::new(Vec::<InputIssue>::new());

    let on_submit = {
        let form = form.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let today = platform::clock::office_today();
            let found = app.form_answers.with_untracked(|all| {
                let empty = FormAnswers::new();
                form.check_step(
                    &form.steps[index],
                    all.get(&form.id).unwrap_or(&empty),
                    today,
                )
            });
            if found.is_empty() {
                let next = if then_review || index + 1 == total {
                    Stage::Review
                } else {
                    Stage::Step(index + 1)
                };
                router.navigate(&form_address(&form.id, next, false));
            } else {
                issues.set(found);
            }
        }
    };

    move || {
        let lang = app.lang.get();
        let t = crate::i18n::messages(lang);
        let errors: Vec<FieldMessage> =
            issues.with(|list| list.iter().map(|i| issue_message(&form, i, lang)).collect());
        let step = &form.steps[index];
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
        let back = match index {
            0 => "/forms".to_owned(),
            i => form_address(&form.id, Stage::Step(i - 1), then_review),
        };
        view! {
            <p class="form-progress" id="form-progress">{(t.form_step_of)(index + 1, total)}</p>
            <progress class="form-progress-bar" max=total value=index + 1 aria-labelledby="form-progress"></progress>
            {prefilled.then(|| view! { <p class="notice notice-info">{t.form_prefilled}</p> })}
            <ErrorSummary errors=Signal::stored(errors) />
            <form class="form-step" novalidate on:submit=on_submit.clone()>
                <h2>{step.title.get(lang).to_owned()}</h2>
                {fields}
                <p class="actions">
                    <button type="submit" class="button">
                        {if then_review { t.form_back_to_review } else { t.form_next }}
                    </button>
                    <A href=back attr:class="button button-secondary">{t.form_back}</A>
                </p>
            </form>
        }
    }
}

/// Writes one answer into the app's answers for this form.
fn set_answer(app: AppContext, form_id: &str, field: &str, value: Value) {
    let (form_id, field) = (form_id.to_owned(), field.to_owned());
    app.form_answers.update(|all| {
        all.entry(form_id).or_default().insert(field, value);
    });
}

/// One answer as it stands now (read without tracking: the views here do not follow answers).
fn current_value(app: AppContext, form_id: &str, field: &str) -> Option<Value> {
    app.form_answers
        .with_untracked(|all| all.get(form_id).and_then(|a| a.get(field)).cloned())
}

fn current_text(app: AppContext, form_id: &str, field: &str) -> String {
    match current_value(app, form_id, field) {
        Some(Value::Text(text)) => text,
        _ => String::new(),
    }
}

fn message_for<'a>(errors: &'a [FieldMessage], id: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field_id == id)
        .map(|e| e.message.as_str())
}

fn error_line(errors: &[FieldMessage], id: &str) -> impl IntoView {
    message_for(errors, id).map(|message| {
        view! { <p class="field-error" id=format!("{id}-error")>{message.to_owned()}</p> }
    })
}

/// A text box, a text area or a list, with its label, hint and error message.
#[allow(clippy::too_many_arguments)]
fn text_field(
    id: String,
    label: &str,
    hint: String,
    kind: FieldKind,
    options: &[AnswerOption],
    lang: Lang,
    errors: &[FieldMessage],
    value: String,
    on_input: Rc<dyn Fn(String)>,
) -> AnyView {
    let hint_id = format!("{id}-hint");
    let invalid = message_for(errors, &id).is_some().to_string();
    let control = match kind {
        FieldKind::LongText => EitherOf3::A(view! {
            <textarea id=id.clone() rows="5" aria-describedby=hint_id.clone() aria-invalid=invalid
                prop:value=value on:input=move |e| on_input(event_target_value(&e))></textarea>
        }),
        FieldKind::Choice => {
            let items = options
                .iter()
                .map(|o| {
                    let selected = o.id == value;
                    view! { <option value=o.id.clone() selected=selected>{o.label.get(lang).to_owned()}</option> }
                })
                .collect_view();
            EitherOf3::B(view! {
                <select id=id.clone() aria-describedby=hint_id.clone() aria-invalid=invalid
                    on:change=move |e| on_input(event_target_value(&e))>
                    <option value="">"—"</option>
                    {items}
                </select>
            })
        }
        _ => {
            let (input_type, mode) = match kind {
                FieldKind::Phone => ("tel", "tel"),
                FieldKind::IdNumber | FieldKind::Date => ("text", "numeric"),
                _ => ("text", "text"),
            };
            EitherOf3::C(view! {
                <input id=id.clone() type=input_type inputmode=mode autocomplete="off"
                    aria-describedby=hint_id.clone() aria-invalid=invalid
                    prop:value=value on:input=move |e| on_input(event_target_value(&e)) />
            })
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label.to_owned()}</label>
            <p class="hint" id=hint_id>{hint}</p>
            {error_line(errors, &id)}
            {control}
        </div>
    }
    .into_any()
}

/// The hint under a question: its help, how to write a date or an ID number, and "optional".
fn hint_text(help: Option<&Localized>, kind: FieldKind, required: bool, lang: Lang) -> String {
    let t = crate::i18n::messages(lang);
    let mut parts: Vec<&str> = Vec::new();
    if let Some(help) = help {
        parts.push(help.get(lang));
    }
    match kind {
        FieldKind::Date => parts.push(t.form_date_hint),
        FieldKind::IdNumber => parts.push(t.form_id_hint),
        _ => {}
    }
    if !required {
        parts.push(t.form_optional);
    }
    parts.join(" ")
}

/// One question, drawn by its kind.
fn field_view(form_id: &str, field: &Field, lang: Lang, errors: &[FieldMessage]) -> AnyView {
    let app = use_app();
    let id = input_id(&field.id);
    let hint = hint_text(field.help.as_ref(), field.kind, field.required, lang);
    match field.kind {
        FieldKind::Choice | FieldKind::YesNo | FieldKind::Multi => {
            choice_view(form_id, field, id, hint, lang, errors)
        }
        FieldKind::Rows => view! {
            <RowsInput form_id=form_id.to_owned() field=field.clone() lang errors=errors.to_vec() />
        }
        .into_any(),
        kind => {
            let (form_id, field_id) = (form_id.to_owned(), field.id.clone());
            let value = current_text(app, &form_id, &field_id);
            let on_input =
                Rc::new(move |text| set_answer(app, &form_id, &field_id, Value::Text(text)));
            text_field(
                id,
                field.label.get(lang),
                hint,
                kind,
                &[],
                lang,
                errors,
                value,
                on_input,
            )
        }
    }
}

/// Radio buttons (one answer) or check boxes (several).
fn choice_view(
    form_id: &str,
    field: &Field,
    id: String,
    hint: String,
    lang: Lang,
    errors: &[FieldMessage],
) -> AnyView {
    let app = use_app();
    let t = crate::i18n::messages(lang);
    let multi = field.kind == FieldKind::Multi;
    let options: Vec<(String, String)> = if field.kind == FieldKind::YesNo {
        vec![
            ("yes".into(), t.form_yes.into()),
            ("no".into(), t.form_no.into()),
        ]
    } else {
        field
            .options
            .iter()
            .map(|o| (o.id.clone(), o.label.get(lang).to_owned()))
            .collect()
    };
    let current = current_value(app, form_id, &field.id);
    let items = options
        .into_iter()
        .enumerate()
        .map(|(i, (option, label))| {
            // The first option carries the field's id, so error links land on it.
            let option_id = if i == 0 {
                id.clone()
            } else {
                format!("{id}-{option}")
            };
            let checked = match &current {
                Some(Value::Text(t)) => *t == option,
                Some(Value::Many(list)) => list.contains(&option),
                _ => false,
            };
            let (form_id, field_id) = (form_id.to_owned(), field.id.clone());
            let on_change = move |event: leptos::ev::Event| {
                if !multi {
                    set_answer(app, &form_id, &field_id, Value::Text(option.clone()));
                    return;
                }
                let mut chosen = match current_value(app, &form_id, &field_id) {
                    Some(Value::Many(list)) => list,
                    _ => Vec::new(),
                };
                chosen.retain(|c| c != &option);
                if event_target_checked(&event) {
                    chosen.push(option.clone());
                }
                set_answer(app, &form_id, &field_id, Value::Many(chosen));
            };
            view! {
                <li class=if multi { "check-item" } else { "radio" }>
                    <input type=if multi { "checkbox" } else { "radio" } id=option_id.clone()
                        name=field.id.clone() prop:checked=checked on:change=on_change />
                    <label for=option_id>{label}</label>
                </li>
            }
        })
        .collect_view();
    let hint_id = format!("{id}-hint");
    let described_by = hint_id.clone();
    view! {
        <fieldset class="question" aria-describedby=described_by>
            <legend>{field.label.get(lang).to_owned()}</legend>
            <p class="hint" id=hint_id>{hint}</p>
            {error_line(errors, &id)}
            <ul class="plain-list">{items}</ul>
        </fieldset>
    }
    .into_any()
}

/// The rows of a table answer, each column id → cell text.
type TableRows = Vec<BTreeMap<String, String>>;

/// A table of repeated rows (e.g. CT01's household members): one group of inputs per row, with
/// buttons to add and remove rows. Redrawn when a row is added or removed.
#[component]
fn RowsInput(
    form_id: String,
    field: Field,
    lang: Lang,
    errors: Vec<FieldMessage>,
) -> impl IntoView {
    let app = use_app();
    let t = crate::i18n::messages(lang);
    let rows_now = {
        let (form_id, field_id) = (form_id.clone(), field.id.clone());
        move || match current_value(app, &form_id, &field_id) {
            Some(Value::Rows(rows)) => rows,
            _ => Vec::new(),
        }
    };
    let count = {
        let (form_id, field_id) = (form_id.clone(), field.id.clone());
        Memo::new(move |_| {
            app.form_answers.with(
                |all| match all.get(&form_id).and_then(|a| a.get(&field_id)) {
                    Some(Value::Rows(rows)) => rows.len(),
                    _ => 0,
                },
            )
        })
    };
    let change = {
        let (form_id, field_id, rows_now) = (form_id.clone(), field.id.clone(), rows_now.clone());
        move |edit: &dyn Fn(&mut TableRows)| {
            let mut rows = rows_now();
            edit(&mut rows);
            set_answer(app, &form_id, &field_id, Value::Rows(rows));
        }
    };
    let field_id = field.id.clone();
    let columns = field.columns.clone();
    let rows_view = {
        let change = change.clone();
        move || {
            let rows = rows_now();
            (0..count.get())
                .map(|row| {
                    let cells = columns
                        .iter()
                        .map(|column| {
                            let id = cell_id(&field_id, row, &column.id);
                            let value = rows
                                .get(row)
                                .and_then(|r| r.get(&column.id).cloned())
                                .unwrap_or_default();
                            let (change, column_id) = (change.clone(), column.id.clone());
                            let hint = if column.kind == FieldKind::Date { t.form_date_hint.to_owned() } else { String::new() };
                            let on_input = Rc::new(move |text: String| {
                                change(&|rows| {
                                    if let Some(r) = rows.get_mut(row) {
                                        r.insert(column_id.clone(), text.clone());
                                    }
                                })
                            });
                            text_field(id, column.label.get(lang), hint, column.kind, &column.options, lang, &errors, value, on_input)
                        })
                        .collect_view();
                    let change = change.clone();
                    view! {
                        <fieldset class="row-group">
                            <legend>{(t.form_row)(row + 1)}</legend>
                            {cells}
                            <button type="button" class="button button-secondary" on:click=move |_| change(&|rows| {
                                if row < rows.len() {
                                    rows.remove(row);
                                }
                            })>
                                {(t.form_remove_row)(row + 1)}
                            </button>
                        </fieldset>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <div class="field" id=input_id(&field.id) tabindex="-1">
            <h3 class="field-heading">{field.label.get(lang).to_owned()}</h3>
            {field.help.as_ref().map(|h| view! { <p class="hint">{h.get(lang).to_owned()}</p> })}
            {move || (count.get() == 0).then(|| view! { <p class="hint">{t.form_no_rows}</p> })}
            {rows_view}
            <button type="button" class="button button-secondary" on:click=move |_| change(&|rows| rows.push(BTreeMap::new()))>
                {t.form_add_row}
            </button>
        </div>
    }
}

/// How an answer reads on the review page, in `lang`.
fn shown_answer(field: &Field, value: Option<&Value>, lang: Lang) -> Vec<String> {
    let option = |id: &str| {
        field
            .options
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.label.get(lang).to_owned())
            .unwrap_or_else(|| id.to_owned())
    };
    let t = crate::i18n::messages(lang);
    match (field.kind, value) {
        (FieldKind::YesNo, Some(Value::Text(v))) if v == "yes" => vec![t.form_yes.into()],
        (FieldKind::YesNo, Some(Value::Text(v))) if v == "no" => vec![t.form_no.into()],
        (FieldKind::Choice, Some(Value::Text(v))) if !v.is_empty() => vec![option(v)],
        (FieldKind::Date, Some(Value::Text(v))) if !v.trim().is_empty() => {
            vec![crate::domain::forms::parse_user_date(v)
                .map(crate::domain::time::format_date_vn)
                .unwrap_or_else(|| v.clone())]
        }
        (_, Some(Value::Text(v))) if !v.trim().is_empty() => vec![v.trim().to_owned()],
        (_, Some(Value::Many(list))) if !list.is_empty() => {
            list.iter().map(|v| option(v)).collect()
        }
        (_, Some(Value::Rows(rows))) => rows
            .iter()
            .filter(|r| r.values().any(|c| !c.trim().is_empty()))
            .map(|r| {
                field
                    .columns
                    .iter()
                    .filter_map(|c| {
                        let cell = r.get(&c.id)?.trim();
                        (!cell.is_empty()).then(|| match c.kind {
                            FieldKind::Choice => c
                                .options
                                .iter()
                                .find(|o| o.id == cell)
                                .map(|o| o.label.get(lang).to_owned())
                                .unwrap_or_else(|| cell.to_owned()),
                            _ => cell.to_owned(),
                        })
                    })
                    .collect::<Vec<_>>()
                    .join(" · ")
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// What making the PDF has reached.
#[derive(Clone, Debug, PartialEq)]
enum PdfState {
    Idle,
    /// Downloading the PDF module: percent when the size is known.
    Loading(Option<u32>),
    Making,
    Ready(Arc<Vec<u8>>),
    Failed(PdfFailure),
    Blocked,
}

#[component]
fn ReviewView(form: Arc<FormDef>) -> impl IntoView {
    let app = use_app();
    // The citizen is about to ask for the PDF: start fetching its module now.
    platform::pdf::warm_up();
    let today = platform::clock::office_today();
    let answers = {
        let form_id = form.id.clone();
        move || {
            app.form_answers
                .with_untracked(|all| all.get(&form_id).cloned().unwrap_or_default())
        }
    };
    let has_problems = !form.check_all(&answers(), today).is_empty();

    let summary = {
        let (form, answers) = (form.clone(), answers.clone());
        move || {
            let lang = app.lang.get();
            let t = crate::i18n::messages(lang);
            let answers = answers();
            let problems = form
                .check_all(&answers, today)
                .into_iter()
                .map(|issue| {
                    let message = issue_message(&form, &issue, lang).message;
                    let step = form
                        .steps
                        .iter()
                        .position(|s| s.fields.iter().any(|f| f.id == issue.field))
                        .unwrap_or(0);
                    view! { <li><A href=form_address(&form.id, Stage::Step(step), true)>{message}</A></li> }
                })
                .collect_view();
            let sections = form
                .steps
                .iter()
                .enumerate()
                .map(|(index, step)| {
                    let rows = step
                        .fields
                        .iter()
                        .filter(|field| form.is_shown(field, &answers))
                        .map(|field| {
                            let lines = shown_answer(field, answers.get(&field.id), lang);
                            let value = if lines.is_empty() {
                                Either::Left(
                                    view! { <span class="hint">{t.form_not_answered}</span> },
                                )
                            } else {
                                Either::Right(
                                    lines
                                        .into_iter()
                                        .map(|l| view! { <span class="answer-line">{l}</span> })
                                        .collect_view(),
                                )
                            };
                            let label = field.label.get(lang).to_owned();
                            view! {
                                <div class="review-row">
                                    <dt>{label.clone()}</dt>
                                    <dd>{value}</dd>
                                    <dd class="review-change">
                                        <A href=form_address(&form.id, Stage::Step(index), true)>
                                            {t.form_change}
                                            <span class="visually-hidden">" "{label}</span>
                                        </A>
                                    </dd>
                                </div>
                            }
                        })
                        .collect_view();
                    view! {
                        <h2>{step.title.get(lang).to_owned()}</h2>
                        <dl class="review-list">{rows}</dl>
                    }
                })
                .collect_view();
            view! {
                <h2 class="review-title">{t.form_review_title}</h2>
                <p>{t.form_review_intro}</p>
                {has_problems.then(|| view! {
                    <div class="notice notice-error error-summary" role="alert">
                        <h2>{t.error_summary_title}</h2>
                        <p>{t.form_fix_first}</p>
                        <ul>{problems}</ul>
                    </div>
                })}
                {sections}
            }
        }
    };

    let state = RwSignal::new(PdfState::Idle);
    let make = {
        let (form, answers) = (form.clone(), answers.clone());
        move |_| {
            let (form, answers) = (form.clone(), answers());
            state.set(PdfState::Loading(None));
            leptos::task::spawn_local(async move {
                let progress: platform::pdf::Progress = Rc::new(move |loaded: f64, total: f64| {
                    let percent = (total > 0.0).then(|| (loaded / total * 100.0).min(99.0) as u32);
                    state.set(PdfState::Loading(percent));
                });
                if let Err(failure) = platform::pdf::load_module(progress).await {
                    state.set(PdfState::Failed(failure));
                    return;
                }
                state.set(PdfState::Making);
                let forms_text = app.forms().text_untracked().unwrap_or_default();
                match platform::pdf::make_pdf(&forms_text, &form.id, &answers).await {
                    Ok(bytes) => state.set(PdfState::Ready(Arc::new(bytes))),
                    Err(failure) => state.set(PdfState::Failed(failure)),
                }
            });
        }
    };
    let file_name = format!("{}.pdf", form.id);
    let status = move || {
        let lang = app.lang.get();
        let t = crate::i18n::messages(lang);
        let busy = matches!(state.get(), PdfState::Loading(_) | PdfState::Making);
        // Every state but "ready" is one line of text (and a bar while downloading).
        let notice = |class: &'static str, role: &'static str, text: String, bar: Option<u32>| {
            view! {
                <p class=class role=role>{text}</p>
                {bar.map(|percent| view! { <progress class="form-progress-bar" max="100" value=percent></progress> })}
            }.into_any()
        };
        let line = match state.get() {
            PdfState::Idle => None,
            PdfState::Loading(percent) => Some(notice(
                "pdf-status",
                "status",
                (t.form_pdf_loading)(percent),
                Some(percent.unwrap_or(0)),
            )),
            PdfState::Making => Some(notice(
                "pdf-status",
                "status",
                t.form_pdf_making.into(),
                None,
            )),
            PdfState::Failed(failure) => Some(notice(
                "notice notice-error",
                "alert",
                failure.message(lang).into(),
                None,
            )),
            PdfState::Blocked => Some(notice(
                "notice notice-error",
                "alert",
                t.form_download_blocked.into(),
                None,
            )),
            PdfState::Ready(bytes) => {
                let (download_bytes, print_bytes, file_name) =
                    (bytes.clone(), bytes, file_name.clone());
                let download = move |_| {
                    if platform::download::download_bytes(
                        &file_name,
                        "application/pdf",
                        &download_bytes,
                    )
                    .is_err()
                    {
                        state.set(PdfState::Blocked);
                    }
                };
                let print = move |_| {
                    if platform::download::print_pdf(&print_bytes).is_err() {
                        state.set(PdfState::Blocked);
                    } else if app.kiosk.is_some() {
                        app.printed.set(true);
                    }
                };
                // A kiosk prints only: a download would leave the citizen's answers in the shared
                // terminal's Downloads folder and its download list.
                let kiosk = app.kiosk.is_some();
                Some(view! {
                    <p class="notice notice-success pdf-status" role="status">{if kiosk { t.form_pdf_ready_print } else { t.form_pdf_ready }}</p>
                    <p class="actions">
                        {(!kiosk).then(|| view! {
                            <button type="button" class="button" id="pdf-download" on:click=download>{t.form_download}</button>
                        })}
                        <button type="button" class="button button-secondary" id="pdf-print" on:click=print>{t.form_print}</button>
                    </p>
                }.into_any())
            }
        };
        view! {
            {(!has_problems).then(|| view! {
                <p class="actions">
                    <button type="button" class="button" id="pdf-make" disabled=busy on:click=make.clone()>
                        {t.form_make_pdf}
                    </button>
                </p>
            })}
            {line}
        }
    };
    let clear = {
        let form_id = form.id.clone();
        let router = use_router();
        move |_| {
            app.form_answers.update(|all| {
                all.remove(&form_id);
            });
            router.navigate(&format!("/forms/{form_id}?step=1"));
        }
    };
    let last_step = form_address(
        &form.id,
        Stage::Step(form.steps.len().saturating_sub(1)),
        false,
    );
    // The hand-off code, made when asked for (the answers do not change on this page).
    let shown_code = RwSignal::new(None::<String>);
    let show_code = {
        let (form, answers) = (form.clone(), answers.clone());
        move |_| shown_code.set(Some(encode(&form, &answers())))
    };
    let handoff = move || {
        let t = app.t();
        match shown_code.get() {
            None => Either::Left(view! {
                <button type="button" class="button button-secondary" id="handoff-show" on:click=show_code.clone()>{t.handoff_show}</button>
            }),
            Some(code) => {
                let picture = crate::domain::qr::qr_svg(&code, t.handoff_qr_label);
                let missing = picture.is_none().then_some(t.handoff_too_long);
                Either::Right(view! {
                    <div class="qr qr-large" inner_html=picture.unwrap_or_default()></div>
                    {missing.map(|m| view! { <p class="hint">{m}</p> })}
                    <label for="handoff-text">{t.handoff_text_label}</label>
                    <textarea id="handoff-text" class="handoff-text" readonly rows="3" prop:value=code></textarea>
                })
            }
        }
    };
    view! {
        {summary}
        <section class="pdf-actions" aria-live="polite">{status}</section>
        // Not on a kiosk: the terminal is where codes are read, and a code shown there could be
        // copied (with every answer) by whoever comes next.
        {(!has_problems && app.kiosk.is_none()).then(|| view! {
            <section class="handoff" aria-labelledby="handoff-title">
                <h2 id="handoff-title">{tr(|t| t.handoff_title)}</h2>
                <p>{tr(|t| t.handoff_intro)}</p>
                {handoff}
            </section>
        })}
        <p class="actions">
            <A href=last_step attr:class="button button-secondary">{tr(|t| t.form_back)}</A>
            <button type="button" class="button button-secondary" on:click=clear>{tr(|t| t.form_clear)}</button>
        </p>
    }
}
