//! The browser's storage areas, where the browser lets the app have them. Reading
//! `window.localStorage` throws when the citizen has switched storage off (some privacy
//! settings do), so every store asks here first rather than assuming it.

pub fn local() -> Option<web_sys::Storage> {
    // Natively (pages drawn to HTML) there is no browser, so nothing stored.
    super::IN_BROWSER
        .then(web_sys::window)??
        .local_storage()
        .ok()
        .flatten()
}

pub fn session() -> Option<web_sys::Storage> {
    super::IN_BROWSER
        .then(web_sys::window)??
        .session_storage()
        .ok()
        .flatten()
}

/// Keeps `text` under `key` for the app's next start in this tab (a reload into an update or
/// into another bundle); session storage, so it goes with the tab.
pub fn keep_for_next_start(key: &str, text: &str) {
    if let Some(storage) = session() {
        let _ = storage.set_item(key, text);
    }
}

/// What `keep_for_next_start` kept under `key`, removed as it is read.
pub fn take_kept(key: &str) -> Option<String> {
    let storage = session()?;
    let text = storage.get_item(key).ok().flatten();
    let _ = storage.remove_item(key);
    text
}

/// The keys of `storage` that start with `prefix` (collected first: removing while walking the
/// indices would skip keys).
pub fn keys_with_prefix(storage: &web_sys::Storage, prefix: &str) -> Vec<String> {
    (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(prefix))
        .collect()
}
