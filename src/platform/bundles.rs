//! The app's other bundles, each a second build of the whole app with pages most visits never
//! open, so that the citizens' bundle — every first visit's download — carries none of them:
//! the station bundle (staff desk, check-in terminal, kiosk mode; src/bin/station-desk.rs) and
//! the forms bundle (the form pages, asking the station, booking; src/bin/forms-bundle.rs). The
//! citizens' bundle starts the right one for the address (src/main.rs).

use std::sync::atomic::{AtomicBool, Ordering};

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = "export function startBundle(name,failed){\
import('/'+name+'.js').then((m)=>m.default({module_or_path:'/'+name+'_bg.wasm'}))\
.catch((e)=>{console.warn(name+':',e);failed()})}")]
extern "C" {
    #[wasm_bindgen(js_name = startBundle)]
    fn start_bundle(name: &str, failed: &Closure<dyn FnMut()>);
}

/// Downloads and starts the station bundle in place of the citizens' app. Where it cannot be
/// fetched (offline on first use), the page says so (index.html, `station-unavailable`).
pub fn start_station() {
    start(
        "station-desk",
        Box::new(|| {
            let notice = web_sys::window()
                .and_then(|window| window.document())
                .and_then(|document| document.get_element_by_id("station-unavailable"));
            if let Some(notice) = notice {
                let _ = notice.remove_attribute("hidden");
            }
        }),
    );
}

/// Downloads and starts the forms bundle in place of the citizens' app. Where it cannot be
/// fetched (offline before any form was opened), `instead` runs: the citizens' app, whose form
/// pages then say so (`forms_unavailable`) rather than reloading again.
pub fn start_forms(instead: impl FnOnce() + 'static) {
    let mut instead = Some(instead);
    start(
        "forms-bundle",
        Box::new(move || {
            FORMS_UNAVAILABLE.store(true, Ordering::Relaxed);
            if let Some(instead) = instead.take() {
                instead();
            }
        }),
    );
}

static FORMS_UNAVAILABLE: AtomicBool = AtomicBool::new(false);

/// Whether this page tried the forms bundle and could not fetch it.
pub fn forms_unavailable() -> bool {
    FORMS_UNAVAILABLE.load(Ordering::Relaxed)
}

fn start(name: &str, failed: Box<dyn FnMut()>) {
    let failed = Closure::<dyn FnMut()>::new(failed);
    start_bundle(name, &failed);
    // Called at most once, whenever the download fails: it lives as long as the page.
    failed.forget();
}

/// Loads the current address afresh, so src/main.rs starts the bundle that has its page.
pub fn reload() {
    if let Some(window) = web_sys::window() {
        // A refused reload leaves the "loading" line; the address is still right for a retry.
        let _ = window.location().reload();
    }
}

/// Session storage's key for what goes across to the next start (`ui::context::CarriedOver`).
const CARRIED: &str = "civic-kiosk.carried";

/// Keeps `text` for the next start of the app in this tab (session storage: gone with the tab).
pub fn carry(text: &str) {
    super::storage::keep_for_next_start(CARRIED, text);
}

/// What `carry` kept, removed as it is read (natively, when drawing pages: nothing).
pub fn take_carried() -> Option<String> {
    super::storage::take_kept(CARRIED)
}
