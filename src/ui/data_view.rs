//! Shows a data file's content once loaded, a loading line before, and a plain message that
//! names the file and field when it cannot be used.

use std::sync::Arc;

use leptos::prelude::*;

use crate::ui::text::tr;

use super::context::{use_app, DataResource};
use crate::domain::data_file::DataFileError;
use crate::domain::station_api::Health;
use crate::i18n::FileWords;
use crate::platform::api_client::Failure;

/// Renders `render(data)` when `resource` holds good data.
pub fn data_view<T, V>(
    resource: DataResource<T>,
    render: impl Fn(Arc<T>) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Send + Sync + 'static,
    V: IntoView + 'static,
{
    // Erased to `AnyView`: one copy of the switching code serves every call site instead of
    // one monomorphised copy per page.
    move || match resource.get() {
        None => loading_line(),
        Some(Ok(data)) => render(data).into_any(),
        Some(Err(error)) => data_error(error, move || resource.refetch()),
    }
}

fn loading_line() -> AnyView {
    view! { <p class="loading" role="status">{tr(|t| t.loading)}</p> }.into_any()
}

fn data_error(error: DataFileError, refetch: impl Fn() + Send + Sync + 'static) -> AnyView {
    view! { <DataError error resource_refetch=refetch /> }.into_any()
}

/// The message for a data file that cannot be used, with a retry button.
#[component]
pub fn DataError(
    error: DataFileError,
    resource_refetch: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let app = use_app();
    let lines = move || {
        error
            .message_lines(app.lang.get())
            .into_iter()
            .map(|line| view! { <li>{line}</li> })
            .collect_view()
    };
    view! {
        <div class="notice notice-error" role="alert">
            <h2>{tr(|t| t.data_error_title)}</h2>
            <ul class="plain-list">{lines}</ul>
            <p>{tr(|t| t.data_error_help)}</p>
            <button type="button" class="button" on:click=move |_| resource_refetch()>
                {tr(|t| t.retry)}
            </button>
        </div>
    }
}

/// Renders `render(Some(health))` when the station's booking service answers, `render(None)`
/// under a notice when it cannot be reached now (offline: the page still takes what the citizen
/// types, and a booking is tried when sent), and a plain "not available here" with the
/// station's phone number when this address has no booking service (the app served as plain
/// files): no booking ever exists on one device only.
pub fn station_view<V>(
    render: impl Fn(Option<Health>) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    V: IntoView + 'static,
{
    let app = use_app();
    let service = app.station_service();
    // Back online after failing: ask again.
    Effect::new(move |_| {
        if app.online.get() && matches!(service.get_untracked(), Some(Err(Failure::Unreachable))) {
            service.refetch();
        }
    });
    move || {
        match service.get() {
        None => view! { <p class="loading" role="status">{tr(|t| t.service_checking)}</p> }.into_any(),
        Some(Ok(health)) => render(Some(health)).into_any(),
        Some(Err(Failure::Unreachable)) => view! {
            <p class="notice notice-warning" role="status">{tr(|t| t.service_offline)}
                " "<button type="button" class="button button-small" on:click=move |_| service.refetch()>{tr(|t| t.service_retry)}</button>
            </p>
            {render(None)}
        }
        .into_any(),
        Some(Err(_)) => {
            let phone = move || match app.station.get() {
                Some(Ok(station)) => station.phone.clone(),
                _ => String::new(),
            };
            view! {
                <div class="notice notice-info" role="status">
                    <h2>{tr(|t| t.service_unavailable_title)}</h2>
                    <p>{move || (app.t().service_unavailable_body)(&phone())}</p>
                </div>
            }
            .into_any()
        }
    }
    }
}
