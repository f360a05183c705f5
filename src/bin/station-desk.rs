//! The station bundle: the whole app, form pages included, plus what only the station's own
//! devices use — the staff desk, the check-in terminal and kiosk mode. Started by the citizens'
//! bundle for a station page or a kiosk address (src/main.rs, src/platform/bundles.rs), never
//! part of a citizen's download.

#[cfg(target_arch = "wasm32")]
fn main() {
    use civic_kiosk::{platform, ui};
    use leptos::prelude::*;
    platform::document::install_panic_notice();
    let station = ui::DeskParts {
        pages: ui::pages::station_page,
        kiosk_guard: ui::kiosk_guard,
    };
    ui::mount(move || view! { <ui::App station forms=ui::pages::FORMS /> });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
