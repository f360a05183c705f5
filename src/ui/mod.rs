//! Leptos pages and components. Thin: they read `domain` values and hold signals; browser
//! effects go through `platform`.

mod context;
pub mod data_view;
pub mod form;
mod layout;
pub mod made_pdf;
pub mod pages;
#[cfg(not(target_arch = "wasm32"))]
pub mod prerender;
pub mod router;
pub mod text;

pub use context::{booking_service, use_app, AppContext, ChecklistProgress};
pub use layout::{
    is_desk_page, is_forms_page, kiosk_guard, station_elsewhere, App, DeskParts, FormsParts,
    LanguageSwitch,
};

/// Draws `app` in index.html's `#app` (the body if it is missing) for the page's lifetime; with
/// no document there is nothing to draw in, and the static page stays. Every bundle starts so.
#[cfg(target_arch = "wasm32")]
pub fn mount<V: leptos::prelude::IntoView + 'static>(app: impl FnOnce() -> V + 'static) {
    if let Some(root) = crate::platform::document::app_root() {
        leptos::mount::mount_to(root, app).forget();
    }
}
