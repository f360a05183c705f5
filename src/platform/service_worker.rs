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
    let container = navigator.service_worker();
    let _ = container.register("/sw.js");
    // The forms and the PDF module (about 1 MB) are kept for offline use in the background,
    // unless the citizen's browser asks to save data.
    if save_data(&navigator) {
        return;
    }
    let Ok(ready) = container.ready() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = wasm_bindgen_futures::JsFuture::from(ready).await else {
            return;
        };
        let registration: web_sys::ServiceWorkerRegistration = registration.into();
        if let Some(active) = registration.active() {
            let _ = active.post_message(&JsValue::from_str("cache-on-demand"));
        }
    });
}

fn save_data(navigator: &web_sys::Navigator) -> bool {
    js_sys::Reflect::get(navigator, &JsValue::from_str("connection"))
        .ok()
        .filter(|c| c.is_object())
        .and_then(|c| js_sys::Reflect::get(&c, &JsValue::from_str("saveData")).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
