//! Mounts the app in the browser: the citizens' bundle. A station page (staff desk, check-in
//! terminal) starts the station bundle instead (src/bin/station-desk.rs), so citizens never
//! download the station's code. The native build has nothing to run: the library's pure modules
//! are exercised by `cargo test`.

#[cfg(target_arch = "wasm32")]
fn main() {
    use civic_kiosk::{platform, ui};
    use leptos::prelude::*;
    platform::document::install_panic_notice();
    platform::service_worker::register();
    let path = window().location().pathname().unwrap_or_default();
    if ui::is_station_page(&path) {
        platform::station_bundle::start();
    } else {
        leptos::mount::mount_to_body(|| view! { <ui::App /> });
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("civic-kiosk runs in the browser: see README.md (scripts/serve).");
}
