use std::sync::Arc;

use leptos::prelude::*;

use crate::ui::text::{loc, tr};

use super::use_page_title;
use crate::domain::news::{News, NewsItem, NewsKind};
use crate::domain::time::{format_date_vn, format_iso_date, parse_iso_date};
use crate::ui::data_view::data_view;
use crate::ui::use_app;

#[component]
pub fn NewsPage() -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.news_title);
    view! {
        <h1>{tr(|t| t.news_title)}</h1>
        <p class="lead">{tr(|t| t.news_intro)}</p>
        {data_view(app.news(), |news: Arc<News>| {
            let today = crate::platform::clock::office_today();
            let items: Vec<NewsItem> = news.shown(today).into_iter().cloned().collect();
            if items.is_empty() {
                view! { <p>{move || use_app().t().news_empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="news-list plain-list">
                        {items.into_iter().map(|item| view! { <li><NewsArticle item /></li> }).collect_view()}
                    </ul>
                }
                .into_any()
            }
        })}
    }
}

#[component]
fn NewsArticle(item: NewsItem) -> impl IntoView {
    let app = use_app();
    let date = parse_iso_date(&item.published);
    let kind_class = match item.kind {
        NewsKind::Warning => "news-item news-warning",
        NewsKind::Notice => "news-item",
    };
    let kind = item.kind;
    let anchor = item.anchor();
    let since = item.since.as_deref().and_then(parse_iso_date);
    let NewsItem {
        title,
        body,
        source,
        advice,
        pinned,
        ..
    } = item;
    view! {
        <article class=kind_class id=anchor>
            {pinned.then(|| view! { <p class="news-pinned">{tr(|t| t.news_pinned)}</p> })}
            <p class="news-kind">
                {move || match kind {
                    NewsKind::Warning => app.t().news_warning,
                    NewsKind::Notice => app.t().news_notice,
                }}
            </p>
            <h2>{loc(title)}</h2>
            <p class="news-date">
                {tr(|t| t.news_published)}": "
                {date.map(|d| view! { <time datetime=format_iso_date(d)>{format_date_vn(d)}</time> })}
            </p>
            <p>{loc(body)}</p>
            {since.map(|d| view! {
                <p class="news-since">{tr(|t| t.news_since)}": "<time datetime=format_iso_date(d)>{format_date_vn(d)}</time></p>
            })}
            {advice.map(|advice| view! {
                <div class="news-advice"><h3>{tr(|t| t.news_advice)}</h3><p>{loc(advice)}</p></div>
            })}
            {source.map(|source| view! {
                <p class="news-source">{tr(|t| t.news_source)}": "{loc(source)}</p>
            })}
        </article>
    }
}
