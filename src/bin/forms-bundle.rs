//! The forms bundle: the whole app plus the form pages (wizard, review, PDF, hand-off, drafts).
//! A form page's loader starts it instead of the citizens' bundle (`startOwnBundle` in
//! scripts/post-build/steps.mjs), or the citizens' bundle does when that failed (src/main.rs,
//! src/platform/bundles.rs), so a visit that never opens a form never downloads them.

#[cfg(target_arch = "wasm32")]
fn main() {
    use civic_kiosk::{platform, ui};
    use leptos::prelude::*;
    platform::document::install_panic_notice();
    // As in src/main.rs: drawn first, then the service worker (a second registration, when the
    // citizens' bundle started this one, changes nothing), each in a task of its own.
    set_timeout(
        || {
            if let Some(root) = platform::document::app_root() {
                leptos::mount::mount_to(root, || view! { <ui::App forms=ui::pages::FORMS /> })
                    .forget();
            }
            set_timeout(
                || platform::service_worker::register(false),
                std::time::Duration::ZERO,
            );
        },
        std::time::Duration::ZERO,
    );
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
