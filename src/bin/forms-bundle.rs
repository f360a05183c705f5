//! The forms bundle: the whole app plus the pages where a citizen does something with the
//! station — the form pages (wizard, review, PDF, hand-off, drafts), asking and booking.
//! A form, ask or booking page's loader starts it instead of the citizens' bundle
//! (`startOwnBundle` in scripts/post-build/steps.mjs), or the citizens' bundle does when that
//! failed (src/main.rs, src/platform/bundles.rs), so a visit that never opens one of these pages
//! never downloads them.

#[cfg(target_arch = "wasm32")]
fn main() {
    use civic_kiosk::{platform, ui};
    use leptos::prelude::*;
    platform::document::install_panic_notice();
    // When the citizens' bundle started this one, its registration is already made: a second
    // changes nothing.
    platform::service_worker::start_then_register(
        || ui::mount(|| view! { <ui::App forms=ui::pages::FORMS /> }),
        false,
    );
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
