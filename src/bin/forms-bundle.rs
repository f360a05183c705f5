//! The forms bundle: the whole app plus the form pages (wizard, review, PDF, hand-off, drafts).
//! Started by the citizens' bundle for a form page (src/main.rs, src/platform/bundles.rs), so a
//! visit that never opens a form never downloads them.

#[cfg(target_arch = "wasm32")]
fn main() {
    use civic_kiosk::{platform, ui};
    use leptos::prelude::*;
    platform::document::install_panic_notice();
    if let Some(root) = platform::document::app_root() {
        leptos::mount::mount_to(root, || view! { <ui::App forms=ui::pages::FORMS /> }).forget();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
