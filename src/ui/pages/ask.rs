//! Asking the station (#29), in the forms bundle (never in the first load): a question with,
//! optionally, its procedure and a phone for a call back; the reply code shown (printed on a
//! kiosk, never kept there); an answer read with code and phone on any device; the questions
//! this device keeps, with the asker's consent, read with their secret.

use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::booking_code::{display_code, parse_code};
use crate::domain::catalog::Catalog;
use crate::domain::questions::{
    check_question, Asked, KeptQuestion, NewQuestion, QuestionError, QuestionView,
    MAX_QUESTION_CHARS, QUESTION_CONSENT_VERSION, QUESTION_PHONE_HEADER, QUESTION_TOKEN_HEADER,
};
use crate::domain::station_api::{Health, StaffRole};
use crate::domain::text::Lang;
use crate::i18n::question_messages;
use crate::platform;
use crate::platform::api_client::{call, Failure};
use crate::ui::data_view::{data_view, station_view};
use crate::ui::form::{
    described_by, drawn_messages, field_error, field_frame, text_input, ErrorSummary, Problems,
};
use crate::ui::text::{loc, tr, tr_question};
use crate::ui::use_app;

/// What went wrong, kept untranslated (see `drawn_messages`).
#[derive(Clone)]
enum Said {
    Rule(QuestionError),
    Code(crate::domain::booking_code::CodeError),
    PhoneNeeded,
    Failed(Failure),
}

impl Said {
    fn message(&self, lang: Lang) -> String {
        let t = crate::i18n::messages(lang);
        match self {
            Said::Rule(error) => error.message(lang),
            Said::Code(error) => t.code_error(*error).into(),
            Said::PhoneNeeded => question_messages(lang).phone_needed.into(),
            Said::Failed(failure) => failure
                .message(lang)
                .unwrap_or_else(|| question_messages(lang).unreachable.into()),
        }
    }
}

/// The field a refusal belongs beside, by its word (`QuestionError::code`, the station's
/// `error`): the same for a mistake found here and one the station found.
fn field_for(word: &str) -> &'static str {
    match word {
        "phone_invalid" => "ask-phone",
        "unknown_procedure" => "ask-procedure",
        _ => "ask-text",
    }
}

#[component]
pub fn AskPage(procedure: Option<String>) -> impl IntoView {
    super::use_question_title(|t| t.title);
    let app = use_app();
    view! {
        <h1>{tr_question(|t| t.title)}</h1>
        <p class="lead">{tr_question(|t| t.intro)}</p>
        {station_view(move |health: Option<Health>| match health {
            None => view! { <p class="notice notice-info">{tr(|t| t.service_unavailable_title)}</p> }.into_any(),
            Some(health) => {
                let (station, procedure) = (health.station.clone(), procedure.clone());
                let asking = data_view(app.catalog(), move |catalog: Arc<Catalog>| view! {
                    <AskForm station=station.clone() catalog procedure=procedure.clone() />
                });
                view! {
                    {asking}
                    <ReadAnswer station=health.station.clone() />
                    {app.kiosk.is_none().then(|| view! { <KeptQuestions station=health.station.clone() /> })}
                }
                .into_any()
            }
        })}
    }
}

#[component]
fn AskForm(station: String, catalog: Arc<Catalog>, procedure: Option<String>) -> impl IntoView {
    let app = use_app();
    let text = RwSignal::new(String::new());
    let about = RwSignal::new(
        procedure
            .filter(|id| catalog.procedure(id).is_some())
            .unwrap_or_default(),
    );
    let phone = RwSignal::new(String::new());
    let keep = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(None::<(Asked, bool)>);
    let problems: Problems<Said> = RwSignal::new(Vec::new());
    let errors = drawn_messages(problems, Said::message);
    let kiosk = app.kiosk.is_some();

    let submit = {
        let catalog = catalog.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let optional = |value: String| Some(value).filter(|v| !v.trim().is_empty());
            let body = NewQuestion {
                text: text.get_untracked(),
                procedure: optional(about.get_untracked()),
                phone: optional(phone.get_untracked()),
                consent_version: QUESTION_CONSENT_VERSION.to_owned(),
            };
            // The same rules as the station's, so most mistakes are said before anything is sent.
            if let Err(error) = check_question(&body, |id| catalog.procedure(id).is_some()) {
                problems.set(vec![(field_for(error.code()), Said::Rule(error))]);
                return;
            }
            busy.set(true);
            let path = format!("/stations/{station}/questions");
            leptos::task::spawn_local(async move {
                let answer = call::<Asked>("POST", &path, &[], Some(&body)).await;
                busy.set(false);
                match answer {
                    Ok(asked) => {
                        let kept = !kiosk
                            && keep.get_untracked()
                            && platform::questions_store::keep(KeptQuestion {
                                code: asked.code.clone(),
                                token: asked.token.clone(),
                            });
                        problems.set(Vec::new());
                        sent.set(Some((asked, kept)));
                    }
                    Err(failure) => {
                        let field = match &failure {
                            Failure::Refused { error, .. } => field_for(&error.error),
                            _ => field_for(""),
                        };
                        problems.set(vec![(field, Said::Failed(failure))]);
                    }
                }
            });
        }
    };
    // The next question may be someone else's (a shared phone): their own choices, from blank.
    let again = move |_| {
        text.set(String::new());
        phone.set(String::new());
        keep.set(false);
        sent.set(None);
    };
    let count = move || {
        (question_messages(app.lang.get()).characters)(
            text.with(|t| t.chars().count()),
            MAX_QUESTION_CHARS,
        )
    };
    let options = {
        let catalog = catalog.clone();
        move || {
            catalog
            .procedures
            .iter()
            .map(|p| {
                let id = p.id.clone();
                view! { <option value=id.clone() selected=about.get_untracked() == id>{loc(p.title.clone())}</option> }
            })
            .collect_view()
        }
    };
    let has_error = move |id: &'static str| errors.with(|e| e.iter().any(|m| m.field_id == id));

    move || {
        match sent.get() {
        Some((asked, kept)) => view! {
            <section class="question-sent notice notice-success" aria-labelledby="ask-sent-title">
                <h2 id="ask-sent-title" tabindex="-1">{tr_question(|t| t.sent_title)}</h2>
                <p>{tr_question(|t| t.code)}": "<strong class="code code-large">{display_code(&asked.code)}</strong></p>
                <p>{move || (question_messages(app.lang.get()).within)(asked.answer_within_hours)}</p>
                <p>{if kept { tr_question(|t| t.sent_how_kept).into_any() } else { tr_question(|t| t.sent_how).into_any() }}</p>
                <p class="no-print">
                    {kiosk.then(|| view! {
                        <button type="button" class="button" on:click=|_| platform::print::print_page()>{tr_question(|t| t.print_slip)}</button>" "
                    })}
                    <button type="button" class="button button-secondary" on:click=again>{tr_question(|t| t.ask_another)}</button>
                </p>
            </section>
        }
        .into_any(),
        None => view! {
            <form class="ask-form no-print" novalidate on:submit=submit.clone() aria-labelledby="ask-form-title">
                <h2 id="ask-form-title" class="visually-hidden">{tr_question(|t| t.title)}</h2>
                <ErrorSummary errors />
                <div class="field">
                    <label for="ask-text">{tr_question(|t| t.question)}</label>
                    <p class="hint" id="ask-text-hint">{tr_question(|t| t.question_hint)}" "{count}</p>
                    {field_error(errors, "ask-text")}
                    <textarea
                        id="ask-text"
                        rows="6"
                        aria-describedby=move || described_by("ask-text", has_error("ask-text"))
                        aria-invalid=move || has_error("ask-text").to_string()
                        prop:value=move || text.get()
                        on:input=move |e| text.set(event_target_value(&e))
                    ></textarea>
                </div>
                <super::answers::AnswersLike catalog=catalog.clone() text />
                <div class="field">
                    <label for="ask-procedure">{tr_question(|t| t.procedure)}</label>
                    <p class="hint" id="ask-procedure-hint"></p>
                    {field_error(errors, "ask-procedure")}
                    <select
                        id="ask-procedure"
                        aria-describedby=move || described_by("ask-procedure", has_error("ask-procedure"))
                        on:change=move |e| about.set(event_target_value(&e))
                    >
                        <option value="" selected=about.get_untracked().is_empty()>{tr_question(|t| t.procedure_none)}</option>
                        {options()}
                    </select>
                </div>
                {field_frame(
                    "ask-phone",
                    tr_question(|t| t.phone),
                    tr_question(|t| t.phone_hint),
                    field_error(errors, "ask-phone"),
                    text_input("ask-phone", phone, errors, "tel", "off"),
                )}
                <p class="consent">{tr_question(|t| t.consent)}</p>
                {(!kiosk).then(|| view! {
                    <p class="checkbox">
                        <input type="checkbox" id="ask-keep" prop:checked=move || keep.get() on:change=move |e| keep.set(event_target_checked(&e)) />
                        <label for="ask-keep">{tr_question(|t| t.keep)}</label>
                    </p>
                })}
                <p>
                    <button type="submit" class="button" aria-busy=move || busy.get().to_string()>
                        {move || if busy.get() { tr_question(|t| t.sending).into_any() } else { tr_question(|t| t.send).into_any() }}
                    </button>
                </p>
            </form>
        }
        .into_any(),
    }
    }
}

/// An answer read with the code and the phone given, on any device.
#[component]
fn ReadAnswer(station: String) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let shown = RwSignal::new(None::<QuestionView>);
    let problems: Problems<Said> = RwSignal::new(Vec::new());
    let errors = drawn_messages(problems, Said::message);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        shown.set(None);
        let parsed = match parse_code(&code.get_untracked()) {
            Ok(parsed) => parsed,
            Err(error) => return problems.set(vec![("read-code", Said::Code(error))]),
        };
        let given = phone.get_untracked();
        if given.trim().is_empty() {
            return problems.set(vec![("read-phone", Said::PhoneNeeded)]);
        }
        let path = format!("/stations/{station}/questions/{parsed}");
        leptos::task::spawn_local(async move {
            match call::<QuestionView>(
                "GET",
                &path,
                &[(QUESTION_PHONE_HEADER, &given)],
                None::<&()>,
            )
            .await
            {
                Ok(view) => {
                    problems.set(Vec::new());
                    shown.set(Some(view));
                }
                Err(failure) => problems.set(vec![("read-code", Said::Failed(failure))]),
            }
        });
    };
    view! {
        <section class="read-answer no-print" aria-labelledby="read-title">
            <h2 id="read-title">{tr_question(|t| t.read_title)}</h2>
            <form novalidate on:submit=submit>
                {field_frame("read-code", tr_question(|t| t.code), "", field_error(errors, "read-code"), text_input("read-code", code, errors, "text", "off"))}
                {field_frame("read-phone", tr_question(|t| t.read_phone), "", field_error(errors, "read-phone"), text_input("read-phone", phone, errors, "tel", "off"))}
                <p><button type="submit" class="button">{tr_question(|t| t.read_button)}</button></p>
            </form>
            <div aria-live="polite">{move || shown.get().map(answer_view)}</div>
        </section>
    }
}

/// The questions this device keeps, each read with its secret.
#[component]
fn KeptQuestions(station: String) -> impl IntoView {
    let kept = RwSignal::new(platform::questions_store::kept());
    let views = RwSignal::new(Vec::<QuestionView>::new());
    Effect::new(move |_| {
        let all = kept.get();
        let station = station.clone();
        leptos::task::spawn_local(async move {
            let mut read = Vec::new();
            for question in all {
                let path = format!("/stations/{station}/questions/{}", question.code);
                let headers = [(QUESTION_TOKEN_HEADER, question.token.as_str())];
                match call::<QuestionView>("GET", &path, &headers, None::<&()>).await {
                    Ok(view) => read.push(view),
                    // Erased at the station: nothing left to keep here.
                    Err(failure) if failure.refused_as("unknown_question") => {
                        platform::questions_store::forget(&question.code)
                    }
                    Err(_) => {}
                }
            }
            views.set(read);
        });
    });
    move || {
        (!views.with(Vec::is_empty)).then(|| view! {
            <section class="kept-questions no-print" aria-labelledby="kept-title">
                <h2 id="kept-title">{tr_question(|t| t.kept_title)}</h2>
                {views.get().into_iter().map(|view| {
                    let code = view.code.clone();
                    view! {
                        {answer_view(view)}
                        <p><button type="button" class="button button-small button-secondary" on:click=move |_| {
                            platform::questions_store::forget(&code);
                            kept.set(platform::questions_store::kept());
                        }>{tr_question(|t| t.forget)}</button></p>
                    }
                }).collect_view()}
            </section>
        })
    }
}

/// A question and, when there is one, its answer with the answering officer's role and date.
fn answer_view(view: QuestionView) -> impl IntoView {
    let app = use_app();
    let hours = view.answer_within_hours;
    let keep_days = view.keep_days;
    let answer = view.answer.map(|reply| {
        let date = crate::domain::time::office_date(reply.answered_ms)
            .map(crate::domain::time::format_date_vn)
            .unwrap_or_default();
        let role = reply.role;
        let by = move || {
            let t = question_messages(app.lang.get());
            let role = match role {
                StaffRole::Officer => t.role_officer,
                StaffRole::Admin => t.role_admin,
            };
            (t.answered_by)(role, &date)
        };
        view! {
            <p><strong>{by}</strong></p>
            <p class="answer-text">{reply.text}</p>
            <p class="hint">{move || (question_messages(app.lang.get()).erased_after)(keep_days)}</p>
        }
    });
    let waiting = answer.is_none().then(|| {
        view! { <p class="notice notice-info">{move || (question_messages(app.lang.get()).waiting)(hours)}</p> }
    });
    view! {
        <article class="question-view">
            <h3>{tr_question(|t| t.code)}" "<span class="code">{display_code(&view.code)}</span></h3>
            <p class="question-text">{view.text}</p>
            {waiting}
            {answer}
        </article>
    }
}
