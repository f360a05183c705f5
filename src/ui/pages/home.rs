use leptos::prelude::*;
use leptos_router::components::A;

use super::use_page_title;
use crate::ui::use_app;

/// The three sections citizens know from the station's official pages.
#[component]
pub fn HomePage() -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.nav_home);
    view! {
        <h1>{move || app.t().home_title}</h1>
        <p class="lead">{move || app.t().home_intro}</p>
        <ul class="section-cards">
            <li>
                <A href="/services" attr:class="section-card">
                    <span class="section-card-title">{move || app.t().home_services_title}</span>
                    <span class="section-card-body">{move || app.t().home_services_body}</span>
                </A>
            </li>
            <li>
                <A href="/news" attr:class="section-card">
                    <span class="section-card-title">{move || app.t().home_news_title}</span>
                    <span class="section-card-body">{move || app.t().home_news_body}</span>
                </A>
            </li>
            <li>
                <A href="/contact" attr:class="section-card">
                    <span class="section-card-title">{move || app.t().home_contact_title}</span>
                    <span class="section-card-body">{move || app.t().home_contact_body}</span>
                </A>
            </li>
        </ul>
    }
}
