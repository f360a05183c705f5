//! Registers public/sw.js, which keeps the app shell and data for offline use.

use wasm_bindgen::JsValue;

/// Registers the service worker where the browser offers one (secure contexts only). Failure is
/// not an error for the citizen: the app works online without it.
pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return;
    }
    let _ = navigator.service_worker().register("/sw.js");
}
