use std::sync::Arc;

use crate::domain::route::Route;
use leptos::prelude::*;

use crate::ui::router::A;
use crate::ui::text::{loc, tr};

use super::use_page_title;
use crate::domain::catalog::{Catalog, Procedure};
use crate::ui::data_view::data_view;
use crate::ui::use_app;

/// The catalogue: a search box that ignores accents, and the procedures grouped by topic.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.services_title);
    view! {
        <h1>{tr(|t| t.services_title)}</h1>
        <p class="lead">{tr(|t| t.services_intro)}</p>
        {data_view(app.catalog(), |catalog: Arc<Catalog>| view! { <Catalogue catalog /> })}
    }
}

#[component]
fn Catalogue(catalog: Arc<Catalog>) -> impl IntoView {
    let app = use_app();
    let query = app.search_query;
    let searching = Memo::new(move |_| !query.with(|q| q.trim().is_empty()));
    let results = {
        let catalog = catalog.clone();
        move || {
            let hits: Vec<Procedure> =
                query.with(|q| catalog.search(q).into_iter().cloned().collect());
            let count = hits.len();
            view! {
                <p class="search-count">{move || (app.t().services_results)(count)}</p>
                <ul class="procedure-list plain-list">
                    {hits.into_iter().map(|procedure| view! { <li><ProcedureLink procedure /></li> }).collect_view()}
                </ul>
                <super::answers::AnswersFound catalog=catalog.clone() query />
            }
        }
    };
    let topics = catalog
        .topics
        .iter()
        .map(|topic| {
            let title = topic.title.clone();
            let heading_id = format!("topic-{}", topic.id);
            let labelled_by = heading_id.clone();
            let procedures: Vec<Procedure> = catalog.procedures_in(&topic.id).cloned().collect();
            view! {
                <section class="topic" aria-labelledby=labelled_by>
                    <h3 id=heading_id>{loc(title)}</h3>
                    <ul class="procedure-list plain-list">
                        {procedures.into_iter().map(|procedure| view! { <li><ProcedureLink procedure /></li> }).collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="procedure-search" role="search">
            <form on:submit=|event| event.prevent_default()>
                <label for="procedure-search-input">{tr(|t| t.services_search_label)}</label>
                <p class="hint" id="procedure-search-hint">{tr(|t| t.services_search_hint)}</p>
                <input
                    id="procedure-search-input"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="procedure-search-hint"
                    prop:value=move || query.get()
                    on:input=move |event| query.set(event_target_value(&event))
                />
            </form>
            // Announced as the citizen types, so a screen-reader user hears how many match.
            <div class="search-results" aria-live="polite">
                {move || searching.get().then(|| results.clone())}
            </div>
        </div>
        <h2>{tr(|t| t.services_topics_title)}</h2>
        {topics}
    }
}

#[component]
fn ProcedureLink(procedure: Procedure) -> impl IntoView {
    let Procedure {
        id,
        title,
        summary,
        handled_here,
        ..
    } = procedure;
    view! {
        <A href=Route::Procedure(id.clone()) attr:class="procedure-link">
            <span class="procedure-link-title">{loc(title)}</span>
            <span class="procedure-link-summary">{loc(summary)}</span>
            {(!handled_here).then(|| view! { <span class="badge">{tr(|t| t.services_not_here)}</span> })}
        </A>
    }
}
