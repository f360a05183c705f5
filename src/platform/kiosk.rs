//! Kiosk glue: notices touch and keys, ticks once a second, and erases every trace.

use leptos::prelude::*;

use crate::domain::kiosk::{KioskConfig, KioskSettings};

/// Brings the page to the address the station's kiosk settings give this terminal (the kiosk
/// flag, the station's timings). Runs once the station file arrives, before anything is typed;
/// the reload starts the app again in kiosk mode.
pub fn follow_station(settings: &KioskSettings) {
    let location = window().location();
    let query = location.search().unwrap_or_default();
    let hostname = location.hostname().unwrap_or_default();
    if let Some(wanted) =
        KioskConfig::station_address(query.trim_start_matches('?'), &hostname, settings)
    {
        let path = location.pathname().unwrap_or_else(|_| "/".into());
        let _ = location.replace(&format!("{path}?{wanted}"));
    }
}

/// Milliseconds since the last touch, click or key, kept current by window listeners.
pub fn track_activity() -> RwSignal<f64> {
    let last_activity = RwSignal::new(js_sys::Date::now());
    let touch = move || last_activity.set(js_sys::Date::now());
    window_event_listener(leptos::ev::pointerdown, move |_| touch());
    window_event_listener(leptos::ev::keydown, move |_| touch());
    window_event_listener(leptos::ev::input, move |_| touch());
    window_event_listener(leptos::ev::wheel, move |_| touch());
    last_activity
}

/// A signal that changes every second (the countdown's clock).
pub fn every_second() -> RwSignal<f64> {
    let now = RwSignal::new(js_sys::Date::now());
    // The interval lives as long as the page: a kiosk page is never torn down but by erasing.
    let _ = set_interval_with_handle(
        move || now.set(js_sys::Date::now()),
        std::time::Duration::from_secs(1),
    );
    now
}

/// Deletes whatever the app keeps in this browser's local storage (bookings and drafts a phone-mode
/// visit kept, their set-aside copies). A kiosk does this at start, so it never shows or keeps
/// what an earlier session left.
pub fn forget_stored() {
    if let Some(storage) = super::storage::local() {
        for key in super::storage::keys_with_prefix(&storage, "civic-kiosk") {
            let _ = storage.remove_item(&key);
        }
    }
}

/// Removes everything the app stored, then reloads the home page in kiosk mode, which drops
/// all state in memory, the DOM and any object URLs with it. `replace` keeps the erased page out
/// of the back button.
pub fn erase_everything(config: KioskConfig) {
    let Some(window) = web_sys::window() else {
        return;
    };
    forget_stored();
    if let Some(storage) = super::storage::session() {
        let _ = storage.clear();
    }
    let _ = window.location().replace(&config.home_address());
}
