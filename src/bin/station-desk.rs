//! The station bundle: the whole app plus the station pages (staff desk, check-in terminal).
//! Started by the citizens' bundle when the address is a station page (src/main.rs,
//! src/platform/station_bundle.rs), never part of a citizen's download.

#[cfg(target_arch = "wasm32")]
fn main() {
    use civic_kiosk::{platform, ui};
    use leptos::prelude::*;
    platform::document::install_panic_notice();
    leptos::mount::mount_to_body(|| view! { <ui::App station_pages=ui::pages::station_page /> });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
