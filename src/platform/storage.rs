//! The browser's storage areas, where the browser lets the app have them. Reading
//! `window.localStorage` throws when the citizen has switched storage off (some privacy
//! settings do), so every store asks here first rather than assuming it.

pub fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}
