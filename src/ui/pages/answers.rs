//! The station's published answers (#29) as citizens read them: on a procedure's page, among
//! the search's results and, while a question is typed, on /ask. Drawn ahead with the procedure
//! page and shown offline from the kept file. A page shows nothing of them when the station
//! has none or the file did not load: they add to a page, never stand in its way.

use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::catalog::Catalog;
use crate::domain::public_answers::{PublicAnswer, PublicAnswers};
use crate::domain::text::Localized;
use crate::domain::time::{format_date_vn, parse_iso_date};
use crate::ui::text::{loc, tr};
use crate::ui::use_app;

/// The published answers once loaded, or `None` (loading, none, unreadable).
pub fn loaded_answers() -> Option<Arc<PublicAnswers>> {
    use_app().answers().get().and_then(Result::ok)
}

/// One answer: the question opens it; the answer, its legal basis and its dates.
#[component]
pub fn AnswerItem(answer: PublicAnswer, catalog: Arc<Catalog>) -> impl IntoView {
    let app = use_app();
    let legal: Vec<Localized> = answer
        .legal_basis
        .iter()
        .map(|c| super::procedure::cited(&catalog, c))
        .collect();
    let date = |iso: &str| parse_iso_date(iso).map(format_date_vn).unwrap_or_default();
    let (published, checked) = (date(&answer.published), date(&answer.checked));
    let text = answer.answer.clone();
    let paragraphs = move || {
        text.get(app.lang.get())
            .split('\n')
            .filter(|line| !line.trim().is_empty())
            .map(|line| view! { <p>{line.to_owned()}</p> })
            .collect_view()
    };
    view! {
        <details class="public-answer" id=format!("a-{}", answer.id)>
            <summary>{loc(answer.question)}</summary>
            <div class="public-answer-body">
                {paragraphs}
                {(!legal.is_empty()).then(|| view! {
                    <p class="hint">{tr(|t| t.answers_basis)}": "
                        {legal.into_iter().enumerate().map(|(i, basis)| view! {
                            {(i > 0).then_some("; ")}{loc(basis)}
                        }).collect_view()}
                    </p>
                })}
                <p class="hint">{move || (app.t().answers_dates)(&published, &checked)}</p>
            </div>
        </details>
    }
}

/// The answers about `procedure`, on its page.
#[component]
pub fn ProcedureAnswers(catalog: Arc<Catalog>, procedure: String) -> impl IntoView {
    let app = use_app();
    move || {
        // Still arriving: an empty mark the loader's take-over waits for, so the page drawn
        // ahead (which has the answers) is not replaced by one without them for a moment.
        if app.answers().get().is_none() {
            return Some(view! { <div class="loading" hidden></div> }.into_any());
        }
        let answers = loaded_answers()?;
        let found: Vec<PublicAnswer> = answers
            .for_procedure(&procedure)
            .into_iter()
            .cloned()
            .collect();
        (!found.is_empty()).then(|| {
            let catalog = catalog.clone();
            view! {
                <section class="public-answers" aria-labelledby="answers-title">
                    <h2 id="answers-title">{tr(|t| t.answers_title)}</h2>
                    {found.into_iter().map(|answer| view! { <AnswerItem answer catalog=catalog.clone() /> }).collect_view()}
                </section>
            }
            .into_any()
        })
    }
}

/// Answers matching the search box, after the procedures found.
#[component]
pub fn AnswersFound(catalog: Arc<Catalog>, query: RwSignal<String>) -> impl IntoView {
    let app = use_app();
    move || {
        let answers = loaded_answers()?;
        let found: Vec<PublicAnswer> =
            query.with(|q| answers.search(q).into_iter().cloned().collect());
        let count = found.len();
        (count > 0).then(|| {
            let catalog = catalog.clone();
            view! {
                <h2 class="search-answers">{move || (app.t().answers_found)(count)}</h2>
                {found.into_iter().map(|answer| view! { <AnswerItem answer catalog=catalog.clone() /> }).collect_view()}
            }
        })
    }
}

/// Published answers to questions like the one being typed on /ask (forms bundle): read before
/// sending, they may answer it at once.
#[component]
pub fn AnswersLike(catalog: Arc<Catalog>, text: RwSignal<String>) -> impl IntoView {
    use crate::ui::text::tr_question;
    let found = Memo::new(move |_| {
        let answers = loaded_answers()?;
        let like: Vec<PublicAnswer> =
            text.with(|t| answers.like(t, 3).into_iter().cloned().collect());
        (!like.is_empty()).then_some(like)
    });
    view! {
        <div class="answers-like" aria-live="polite">
            {move || found.get().map(|like| {
                let catalog = catalog.clone();
                view! {
                    <h3>{tr_question(|t| t.like_title)}</h3>
                    <p class="hint">{tr_question(|t| t.like_hint)}</p>
                    {like.into_iter().map(|answer| view! { <AnswerItem answer catalog=catalog.clone() /> }).collect_view()}
                }
            })}
        </div>
    }
}
