//! The officers' inbox of citizens' questions (#29), on the staff desk (station bundle): open
//! questions oldest first with their wait in working time against the station's target, take
//! one, answer it, give it back, or set it aside as spam; then the ones dealt with lately.

use leptos::prelude::*;

use crate::domain::booking_code::display_code;
use crate::domain::catalog::Catalog;
use crate::domain::phone::parse_phone;
use crate::domain::public_answers::PublicAnswer;
use crate::domain::questions::{AnswerText, Inbox, InboxQuestion, QuestionStatus};
use crate::domain::station_api::{StaffRole, StaffSession};
use crate::i18n::question_messages;
use crate::platform::api_client::{call, Failure};
use crate::ui::text::{loc, tr_question};
use crate::ui::use_app;

use super::staff::{change, failure_text};

/// How often the inbox is asked for again, so new questions appear.
const REFRESH_MS: u64 = 30_000;

#[component]
pub fn QuestionInbox(session: StaffSession, catalog: std::sync::Arc<Catalog>) -> impl IntoView {
    let app = use_app();
    let inbox = RwSignal::new(None::<Result<Inbox, Failure>>);
    let tick = RwSignal::new(0u32);
    Effect::new(move |_| {
        tick.track();
        leptos::task::spawn_local(async move {
            inbox.set(Some(
                call::<Inbox>("GET", "/staff/questions", &[], None::<&()>).await,
            ));
        });
    });
    if let Ok(handle) = set_interval_with_handle(
        move || tick.update(|t| *t += 1),
        std::time::Duration::from_millis(REFRESH_MS),
    ) {
        on_cleanup(move || handle.clear());
    }
    let session = StoredValue::new(session);
    let feed = inbox;
    // What an officer has typed, by question: the list is drawn again when it changes, and a
    // half-written answer must survive that.
    let drafts = StoredValue::new(std::collections::HashMap::<String, String>::new());
    view! {
        <section class="question-inbox no-print" aria-labelledby="inbox-title">
            <h2 id="inbox-title">{tr_question(|t| t.inbox_title)}</h2>
            {move || match inbox.get() {
                None => view! { <p class="loading" role="status">{crate::ui::text::tr(|t| t.loading)}</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <p class="notice notice-error" role="alert">{move || failure_text(&failure, app.lang.get())}</p>
                }.into_any(),
                Some(Ok(inbox)) => {
                    let hours = inbox.answer_within_hours;
                    let catalog = catalog.clone();
                    let decided_catalog = catalog.clone();
                    let (open, decided): (Vec<_>, Vec<_>) =
                        inbox.questions.into_iter().partition(|q| q.status == QuestionStatus::Open);
                    view! {
                        <p>{move || (question_messages(app.lang.get()).inbox_intro)(hours)}</p>
                        {open.is_empty().then(|| view! { <p>{tr_question(|t| t.inbox_empty)}</p> })}
                        <For
                            each=move || open.clone()
                            // Drawn again only when its question changed hands: the box being
                            // typed in keeps its text and its focus across the refreshes.
                            key=|q| (q.code.clone(), q.assigned_to.clone())
                            let:question
                        >
                            <OpenQuestion question session=session.get_value() tick drafts catalog=catalog.clone() inbox=feed />
                        </For>
                        {(!decided.is_empty()).then(|| {
                            let editor = session.with_value(|s| s.editor || s.role == StaffRole::Admin);
                            view! {
                                <h3>{tr_question(|t| t.decided_title)}</h3>
                                <p class="hint" id="publish-hint">{if editor { tr_question(|t| t.publish_hint).into_any() } else { tr_question(|t| t.publish_not_editor).into_any() }}</p>
                                {decided.into_iter().map(|q| decided_view(q, editor, &decided_catalog)).collect_view()}
                            }
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn OpenQuestion(
    question: InboxQuestion,
    session: StaffSession,
    tick: RwSignal<u32>,
    drafts: StoredValue<std::collections::HashMap<String, String>>,
    catalog: std::sync::Arc<Catalog>,
    inbox: RwSignal<Option<Result<Inbox, Failure>>>,
) -> impl IntoView {
    let app = use_app();
    let code = question.code.clone();
    // The row stays while the list refreshes; its wait follows each refresh.
    let now = {
        let code = code.clone();
        let first = (question.waited_minutes, question.overdue);
        Signal::derive(move || {
            inbox.with(|answer| {
                answer
                    .as_ref()
                    .and_then(|a| a.as_ref().ok())
                    .and_then(|i| i.questions.iter().find(|q| q.code == code))
                    .map_or(first, |q| (q.waited_minutes, q.overdue))
            })
        })
    };
    let answer =
        RwSignal::new(drafts.with_value(|all| all.get(&code).cloned().unwrap_or_default()));
    let failed = RwSignal::new(None::<Failure>);
    let field = format!("answer-{code}");
    let step = {
        let (code, session) = (code.clone(), session.clone());
        move |to: &'static str, with_answer: bool| {
            let (code, session) = (code.clone(), session.clone());
            leptos::task::spawn_local(async move {
                let path = format!("/staff/questions/{code}/{to}");
                let body = with_answer.then(|| AnswerText {
                    text: answer.get_untracked(),
                });
                match change::<InboxQuestion>(&session, &path, body.as_ref()).await {
                    Ok(_) => {
                        failed.set(None);
                        tick.update(|t| *t += 1);
                    }
                    // What was typed stays in its box; the reason is said beside it.
                    Err(failure) => failed.set(Some(failure)),
                }
            });
        }
    };
    let mine = question.assigned_to.as_deref() == Some(session.username.as_str());
    let taken_by = question.assigned_to.clone().filter(|_| !mine);
    let phone = question.phone.as_deref().map(|p| {
        parse_phone(p)
            .map(|p| p.display())
            .unwrap_or_else(|_| p.to_owned())
    });
    let (take, release, send, aside) = (step.clone(), step.clone(), step.clone(), step);
    view! {
        <article class="inbox-question" class:overdue=move || now.get().1>
            <h3>
                <span class="code">{display_code(&code)}</span>" · "
                {move || (question_messages(app.lang.get()).waited)(now.get().0)}
                {move || now.get().1.then(|| view! { " " <strong class="badge badge-warning">{tr_question(|t| t.overdue)}</strong> })}
            </h3>
            {question.procedure.as_deref().and_then(|id| catalog.procedure(id)).map(|p| view! { <p class="hint">{loc(p.title.clone())}</p> })}
            <p class="question-text">{question.text.clone()}</p>
            {phone.map(|phone| view! { <p>{tr_question(|t| t.call_back)}": "<a href=format!("tel:{phone}")>{phone.clone()}</a></p> })}
            {taken_by.map(|name| view! { <p class="notice notice-info">{move || (question_messages(app.lang.get()).taken_by)(&name)}</p> })}
            {
                let (code, text) = (code.clone(), question.text.clone());
                move || {
                let like: Vec<PublicAnswer> = super::answers::loaded_answers()
                    .map(|all| all.like(&text, 3).into_iter().cloned().collect())
                    .unwrap_or_default();
                let code = code.clone();
                (!like.is_empty()).then(|| view! {
                    <div class="answers-like">
                        <p class="hint">{tr_question(|t| t.like_in_inbox)}</p>
                        <ul class="plain-list">
                            {like.into_iter().map(|published| {
                                let code = code.clone();
                                let start = move |_| {
                                    let text = published.answer.vi.clone();
                                    drafts.update_value(|all| { all.insert(code.clone(), text.clone()); });
                                    answer.set(text);
                                };
                                view! {
                                    <li>
                                        {loc(published.question.clone())}" "
                                        <button type="button" class="button button-small button-secondary" on:click=start>{tr_question(|t| t.use_answer)}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                })
                }
            }
            <div class="field">
                <label for=field.clone()>{tr_question(|t| t.answer)}</label>
                {move || failed.get().map(|failure| view! { <p class="field-error" role="alert">{failure_text(&failure, app.lang.get())}</p> })}
                <textarea id=field rows="4" prop:value=move || answer.get() on:input={
                    let code = code.clone();
                    move |e| {
                        let typed = event_target_value(&e);
                        drafts.update_value(|all| { all.insert(code.clone(), typed.clone()); });
                        answer.set(typed);
                    }
                }></textarea>
            </div>
            <p>
                <button type="button" class="button" on:click=move |_| send("answer", true)>{tr_question(|t| t.send_answer)}</button>" "
                {if mine {
                    view! { <button type="button" class="button button-secondary" on:click=move |_| release("release", false)>{tr_question(|t| t.release)}</button> }.into_any()
                } else {
                    view! { <button type="button" class="button button-secondary" on:click=move |_| take("take", false)>{tr_question(|t| t.take)}</button> }.into_any()
                }}" "
                <button type="button" class="button button-secondary" on:click=move |_| aside("set-aside", false)>{tr_question(|t| t.set_aside)}</button>
            </p>
        </article>
    }
}

/// "Publish as a public answer": the content desk's answered questions get a new row from
/// this question and its answer, and the focus goes there to rewrite them.
fn publish_button(question: &InboxQuestion, catalog: &Catalog) -> impl IntoView {
    let seed = super::content_desk::AnswerSeed {
        procedure: question.procedure.clone().unwrap_or_default(),
        question: question.text.clone(),
        answer: question.answer.clone().unwrap_or_default(),
        legal_basis: question
            .procedure
            .as_deref()
            .and_then(|id| catalog.procedure(id))
            .map(|p| p.legal_basis.clone())
            .unwrap_or_default(),
    };
    let seeds = use_context::<super::content_desk::AnswerSeeds>();
    let publish = move |_| {
        if let Some(seeds) = seeds {
            seeds.0.update(|all| all.push(seed.clone()));
        }
    };
    view! {
        <p>
            <button type="button" class="button button-small button-secondary" aria-describedby="publish-hint" on:click=publish>
                {tr_question(|t| t.publish)}<span class="visually-hidden">" "{display_code(&question.code)}</span>
            </button>
        </p>
    }
}

fn decided_view(question: InboxQuestion, editor: bool, catalog: &Catalog) -> impl IntoView {
    let answered = question.status == QuestionStatus::Answered;
    let publish = (answered && editor).then(|| publish_button(&question, catalog));
    view! {
        <article class="inbox-question inbox-decided">
            <h4>
                <span class="code">{display_code(&question.code)}</span>" · "
                {if answered { tr_question(|t| t.answered).into_any() } else { tr_question(|t| t.set_aside_done).into_any() }}
                {question.answered_by.map(|name| format!(" ({name})"))}
            </h4>
            <p class="question-text">{question.text}</p>
            {question.answer.map(|answer| view! { <p class="answer-text">{answer}</p> })}
            {publish}
        </article>
    }
}
