//! The document: its language and title, which screen readers announce; the address bar and
//! its history; where the focus is. The pages reach the document only through here.

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
    if !super::IN_BROWSER {
        DRAWN_TITLE.with(|drawn| *drawn.borrow_mut() = title.to_owned());
        return;
    }
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(title);
    }
}

std::thread_local! {
    /// Natively: the title the page being drawn to HTML set (ui::prerender reads it).
    static DRAWN_TITLE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Natively: the title set since the last call, for the pre-rendered page's `<title>`.
pub fn take_drawn_title() -> String {
    DRAWN_TITLE.with(|drawn| drawn.take())
}

/// The element the app draws itself in (index.html's `#app`; the body if it is missing). On a
/// page drawn ahead it is hidden until the app has drawn the same page (boot.js).
pub fn app_root() -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()?.document()?;
    document
        .get_element_by_id("app")
        .and_then(|root| root.dyn_into().ok())
        .or_else(|| document.body())
}

/// Whether the browser believes it is online; events keep the UI's copy current.
pub fn is_online() -> bool {
    if !super::IN_BROWSER {
        return true;
    }
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

/// The page's path and query (without "?") as the address bar has them.
pub fn location() -> (String, String) {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return ("/".into(), String::new());
    };
    let path = location.pathname().unwrap_or_else(|_| "/".into());
    let query = location.search().unwrap_or_default();
    (path, query.trim_start_matches('?').to_owned())
}

/// Marks the page as the waiting-room screen: its styles drop the site's header and footer
/// and set type readable from across the room.
pub fn mark_display() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.class_list().add_1("display-screen");
    }
}

/// The page's origin ("https://ca-phuong.example.vn"): a QR code carries a whole address.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Shows `address` in the address bar as a new history entry, or in place of the current one.
pub fn go_to(address: &str, replace: bool) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        // If the browser refuses (rare), the page still changes; only the back button is affected.
        let _ = if replace {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(address))
        } else {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(address))
        };
    }
}

pub fn scroll_to_top() {
    if let Some(window) = web_sys::window() {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Moves the focus to the element with this id, if there is one that can take it.
pub fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// Runs `check` when the page is looked at again (its tab or screen comes back), when the
/// connection comes back, and every ten minutes while the page is shown. The listeners and the
/// timer live as long as the page.
pub fn on_return(check: impl Fn() + Clone + 'static) {
    let shown = || {
        web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| !d.hidden())
    };
    let when_shown = move || {
        if shown() {
            check();
        }
    };
    let on_visible = when_shown.clone();
    leptos::prelude::window_event_listener_untyped("visibilitychange", move |_| on_visible());
    let on_online = when_shown.clone();
    leptos::prelude::window_event_listener(leptos::ev::online, move |_| on_online());
    let _ = leptos::prelude::set_interval_with_handle(
        when_shown,
        std::time::Duration::from_secs(10 * 60),
    );
}
