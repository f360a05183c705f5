use leptos::prelude::*;

use crate::domain::route::Route;
use crate::ui::router::A;
use crate::ui::text::tr;

use super::use_page_title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    use_page_title(|t| t.not_found_title);
    view! {
        <h1>{tr(|t| t.not_found_title)}</h1>
        <p>{tr(|t| t.not_found_body)}</p>
        <p><A href=Route::Home attr:class="button">{tr(|t| t.back_home)}</A></p>
    }
}
