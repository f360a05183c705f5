//! The browser's storage areas, where the browser lets the app have them. Reading
//! `window.localStorage` throws when the citizen has switched storage off (some privacy
//! settings do), so every store asks here first rather than assuming it.

pub fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The keys of `storage` that start with `prefix` (collected first: removing while walking the
/// indices would skip keys).
pub fn keys_with_prefix(storage: &web_sys::Storage, prefix: &str) -> Vec<String> {
    (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(prefix))
        .collect()
}
