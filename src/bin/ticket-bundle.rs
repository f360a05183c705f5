//! The ticket bundle: the whole app plus the one station page a citizen's phone opens — a
//! queue ticket (/q/<token>, the QR code on the slip, #27). The loader starts it at once on
//! those addresses (`startOwnBundle` in scripts/post-build/steps.mjs), so a phone following its
//! turn downloads neither the citizens' bundle first nor the station bundle (the staff desk,
//! the content desk, the terminals' pages). Another station page opened from here loads its
//! address afresh, and the citizens' bundle starts the station bundle for it.

#[cfg(target_arch = "wasm32")]
fn main() {
    use civic_kiosk::{platform, ui};
    use leptos::prelude::*;
    platform::document::install_panic_notice();
    let station = ui::DeskParts {
        pages: ui::pages::ticket_page,
        kiosk_guard: ui::kiosk_guard,
    };
    platform::service_worker::start_then_register(
        move || ui::mount(move || view! { <ui::App station /> }),
        false,
    );
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
