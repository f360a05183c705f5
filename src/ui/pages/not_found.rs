use leptos::prelude::*;
use leptos_router::components::A;

use super::use_page_title;
use crate::ui::use_app;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.not_found_title);
    view! {
        <h1>{move || app.t().not_found_title}</h1>
        <p>{move || app.t().not_found_body}</p>
        <p><A href="/" attr:class="button">{move || app.t().back_home}</A></p>
    }
}
