//! The document's language and title, which screen readers announce.

use crate::domain::text::Lang;

pub fn set_language(lang: Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        // Failing to set an attribute leaves the previous language: not worth interrupting anyone.
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// Marks the document for the kiosk layout (larger type and targets, see style/main.css).
pub fn mark_kiosk() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.class_list().add_1("kiosk");
    }
}

pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(title);
    }
}

/// Whether the browser believes it is online; events keep the UI's copy current.
pub fn is_online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}

/// Shows the static "the app stopped" notice that index.html carries, for a panic that would
/// otherwise leave a blank screen.
pub fn install_panic_notice() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default_hook(info);
        if let Some(notice) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("app-crashed"))
        {
            let _ = notice.remove_attribute("hidden");
        }
    }));
}
