//! Registers public/sw.js, which keeps the app shell and data for offline use.

use wasm_bindgen::JsValue;

/// Registers the service worker where the browser offers one (secure contexts only), then has
/// it keep the on-demand files for offline use: all of them on a station device or kiosk
/// (`keep_everything`), only the small data files on a phone — the PDF module follows when a
/// form is opened (`keep_pdf_module`). Nothing in the background when the browser asks to save
/// data. Failure is not an error for the citizen: the app works online without it.
pub fn register(keep_everything: bool) {
    let Some(container) = container() else {
        return;
    };
    let _ = container.register("/sw.js");
    if saves_data() {
        return;
    }
    ask_when_ready(if keep_everything {
        "cache-on-demand"
    } else {
        "cache-data"
    });
}

/// Runs `start` (drawing the app) in a task of its own, then `register` in the next: neither
/// blocks a cheap phone's main thread, busy compiling the wasm, for long, and the worker —
/// whose install fetches the build again — comes after the page is drawn.
#[cfg(target_arch = "wasm32")]
pub fn start_then_register(start: impl FnOnce() + 'static, keep_everything: bool) {
    use leptos::prelude::set_timeout;
    set_timeout(
        move || {
            start();
            set_timeout(move || register(keep_everything), std::time::Duration::ZERO);
        },
        std::time::Duration::ZERO,
    );
}

/// A form was opened: keep the PDF module and its fonts (about 1 MB) in the background, so the
/// PDF is quick and works offline — unless the browser asks to save data, when the module is
/// fetched only on "Make PDF".
pub fn keep_pdf_module() {
    if !saves_data() {
        ask_when_ready("cache-pdf");
    }
}

fn ask_when_ready(message: &'static str) {
    let Some(ready) = container().and_then(|c| c.ready().ok()) else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = wasm_bindgen_futures::JsFuture::from(ready).await else {
            return;
        };
        let registration: web_sys::ServiceWorkerRegistration = registration.into();
        if let Some(active) = registration.active() {
            let _ = active.post_message(&JsValue::from_str(message));
        }
    });
}

/// Whether the browser asks pages to save data (Chromium's Data Saver / Save-Data).
pub fn saves_data() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("connection"))
        .ok()
        .filter(|c| c.is_object())
        .and_then(|c| js_sys::Reflect::get(&c, &JsValue::from_str("saveData")).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Calls `on_ready` when a new version of the app has been installed and is waiting: the page
/// keeps running the version it started with until the citizen chooses to update.
pub fn watch_for_update(on_ready: impl Fn() + 'static) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(container) = container() else {
        return;
    };
    // `ready`, not the registration as it is now: the app registers the worker after it has
    // drawn (src/main.rs), so on a first visit there is none yet when this starts.
    let Ok(ready) = container.ready() else {
        return;
    };
    let on_ready = std::rc::Rc::new(on_ready);
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = wasm_bindgen_futures::JsFuture::from(ready).await else {
            return;
        };
        let registration: web_sys::ServiceWorkerRegistration = registration.into();
        // Only an update matters: the very first install has no page to replace.
        let has_controller = {
            let container = container.clone();
            move || container.controller().is_some()
        };
        if registration.waiting().is_some() && has_controller() {
            on_ready();
        }
        let watched = registration.clone();
        let on_update_found = Closure::<dyn FnMut()>::new(move || {
            let Some(installing) = watched.installing() else {
                return;
            };
            let (worker, on_ready, has_controller) =
                (installing.clone(), on_ready.clone(), has_controller.clone());
            let on_state = Closure::<dyn FnMut()>::new(move || {
                if worker.state() == web_sys::ServiceWorkerState::Installed && has_controller() {
                    on_ready();
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
        on_update_found.forget();
    });
}

/// Switches to the waiting version: it takes over, and the page reloads once it has.
pub fn apply_update() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(container) = container() else {
        return;
    };
    let on_change = Closure::<dyn FnMut()>::new(|| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(waiting) = registration(&container).await.and_then(|r| r.waiting()) {
            let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
        }
    });
}

/// This page's registration, if the service worker has been registered.
async fn registration(
    container: &web_sys::ServiceWorkerContainer,
) -> Option<web_sys::ServiceWorkerRegistration> {
    use wasm_bindgen::JsCast;
    let found = wasm_bindgen_futures::JsFuture::from(container.get_registration())
        .await
        .ok()?;
    found.dyn_into().ok()
}

fn container() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

const UPDATE_STASH: &str = "civic-kiosk.update-stash";

/// Keeps `codes` (hand-off codes of the forms being filled) across the reload an update needs,
/// in session storage, which the next start reads and clears at once (`take_update_stash`).
pub fn stash_for_update(codes: &[String]) {
    if let Some(text) = crate::domain::json::to_string(codes) {
        super::storage::keep_for_next_start(UPDATE_STASH, &text);
    }
}

/// What `stash_for_update` kept, removed from storage as it is read.
pub fn take_update_stash() -> Vec<String> {
    super::storage::take_kept(UPDATE_STASH)
        .and_then(|t| crate::domain::json::from_str(&t).ok())
        .unwrap_or_default()
}
