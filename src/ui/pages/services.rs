use leptos::prelude::*;

use super::use_page_title;
use crate::ui::use_app;

#[component]
pub fn ServicesPage() -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.services_title);
    view! {
        <h1>{move || app.t().services_title}</h1>
        <p class="lead">{move || app.t().services_intro}</p>
    }
}
