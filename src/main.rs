//! Mounts the app in the browser (in index.html's `#app`): the citizens' bundle. A station page
//! (staff desk, check-in terminal) or a kiosk address starts the station bundle instead
//! (src/bin/station-desk.rs), so citizens never download the station's code; a form page, /ask
//! or /book the forms bundle (src/bin/forms-bundle.rs), when its loader has not started that
//! already. The native build has nothing to run: the library's pure modules are exercised by
//! `cargo test`.

#[cfg(target_arch = "wasm32")]
fn main() {
    use civic_kiosk::{platform, ui};
    use leptos::prelude::*;
    platform::document::install_panic_notice();
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    let query = location.search().unwrap_or_default();
    let kiosk = civic_kiosk::domain::kiosk::KioskConfig::from_query(query.trim_start_matches('?'));
    let station_device = ui::is_desk_page(&path) || kiosk.is_some();
    platform::service_worker::start_then_register(
        move || {
            if station_device {
                platform::bundles::start_station();
            } else if ui::is_forms_page(&path) {
                // Offline before any of its pages was opened: this app instead, which says so.
                platform::bundles::start_forms(mount_citizens_app);
            } else {
                mount_citizens_app();
            }
        },
        station_device,
    );
}

#[cfg(target_arch = "wasm32")]
fn mount_citizens_app() {
    use civic_kiosk::ui;
    use leptos::prelude::*;
    ui::mount(|| view! { <ui::App /> });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("civic-kiosk runs in the browser: see README.md (scripts/serve).");
}
