//! The station bundle: a second build of the whole app that also has the station pages (staff
//! desk, check-in terminal), built from src/bin/station-desk.rs. Citizens never download it; the
//! citizens' bundle starts it when its address is a station page (src/main.rs).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = "export function startStationBundle(){\
import('/station-desk.js').then((m)=>m.default({module_or_path:'/station-desk_bg.wasm'}))\
.catch((e)=>{console.warn('station bundle:',e);document.getElementById('station-unavailable')?.removeAttribute('hidden')})}")]
extern "C" {
    #[wasm_bindgen(js_name = startStationBundle)]
    fn start_station_bundle();
}

/// Downloads and starts the station bundle in place of the citizens' app. Where it cannot be
/// fetched (offline on first use), the page says so (index.html, `station-unavailable`).
pub fn start() {
    start_station_bundle();
}

/// Loads the current address afresh, so src/main.rs starts the station bundle for it.
pub fn hand_over() {
    if let Some(window) = web_sys::window() {
        // A refused reload leaves the "loading" line; the address is still right for a retry.
        let _ = window.location().reload();
    }
}
