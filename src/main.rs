//! Mounts the app in the browser (in index.html's `#app`): the citizens' bundle. A station page (staff desk, check-in
//! terminal) or a kiosk address starts the station bundle instead (src/bin/station-desk.rs), so
//! citizens never download the station's code. The native build has nothing to run: the library's pure modules
//! are exercised by `cargo test`.

#[cfg(target_arch = "wasm32")]
fn main() {
    use civic_kiosk::{platform, ui};
    use leptos::prelude::*;
    platform::document::install_panic_notice();
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    let query = location.search().unwrap_or_default();
    let kiosk = civic_kiosk::domain::kiosk::KioskConfig::from_query(query.trim_start_matches('?'));
    let station_device = ui::is_station_page(&path) || kiosk.is_some();
    // Each in a task of its own, so none blocks the page for long (a cheap phone's main thread
    // is busy enough compiling the wasm): the app is drawn after the wasm has started, and the
    // service worker — whose install fetches the build again — is registered after that.
    set_timeout(
        move || {
            if station_device {
                platform::bundles::start_station();
            } else if ui::is_forms_page(&path) {
                // Offline before any form was opened: this app instead, which says so.
                platform::bundles::start_forms(mount_citizens_app);
            } else {
                mount_citizens_app();
            }
            set_timeout(
                move || platform::service_worker::register(station_device),
                std::time::Duration::ZERO,
            );
        },
        std::time::Duration::ZERO,
    );
}

#[cfg(target_arch = "wasm32")]
fn mount_citizens_app() {
    use civic_kiosk::ui;
    use leptos::prelude::*;
    // (Without a document there is nothing to draw in: the static page stays.)
    if let Some(root) = civic_kiosk::platform::document::app_root() {
        leptos::mount::mount_to(root, || view! { <ui::App /> }).forget();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("civic-kiosk runs in the browser: see README.md (scripts/serve).");
}
