//! A small router: the path and query live in signals, links push history entries, the back
//! button restores them. It replaced leptos_router, which cost about 6 % of the app's code for
//! features this app does not use (nested routes, forms, server integration).

use leptos::ev::MouseEvent;
use leptos::prelude::*;

use crate::domain::kiosk::KioskConfig;
use crate::domain::route::Route;

#[derive(Clone, Copy)]
pub struct RouterContext {
    /// The path, e.g. "/services/id-card-replace".
    pub path: RwSignal<String>,
    /// The query without "?", e.g. "procedure=id-card-replace".
    pub query: RwSignal<String>,
    /// On a kiosk, navigation replaces the history entry, so the back button and the browser's
    /// history never hold the previous citizen's pages; and every address keeps the mode, so a
    /// reload, a new tab or an update never leaves it.
    pub kiosk: Option<KioskConfig>,
}

/// The path and query of the page: the browser's, or natively the page being drawn to HTML.
fn current_location() -> (String, String) {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(address) = use_context::<crate::ui::prerender::DrawnAddress>() {
        return (address.path, address.query);
    }
    crate::platform::document::location()
}

/// Reads the browser's location and keeps following it (back and forward buttons).
pub fn provide_router(kiosk: Option<KioskConfig>) -> RouterContext {
    let (path, query) = current_location();
    let router = RouterContext {
        path: RwSignal::new(path),
        query: RwSignal::new(query),
        kiosk,
    };
    provide_context(router);
    if crate::platform::IN_BROWSER {
        window_event_listener(leptos::ev::popstate, move |_| {
            let (path, query) = current_location();
            router.path.set(path);
            router.query.set(query);
        });
    }
    router
}

pub fn use_router() -> RouterContext {
    expect_context::<RouterContext>()
}

impl RouterContext {
    /// Goes to a page of the app, adding a history entry.
    pub fn navigate(&self, to: &Route) {
        navigate_with(*self, &to.address())
    }

    /// `to` as the browser should see it: on a kiosk, with the kiosk mode in it.
    pub fn address(&self, to: &str) -> String {
        match self.kiosk {
            Some(config) => config.keep_in(to),
            None => to.to_owned(),
        }
    }
}

fn navigate_with(router: RouterContext, to: &str) {
    let to = &router.address(to);
    let (path, query) = to.split_once('?').unwrap_or((to, ""));
    // On a kiosk the entry is replaced: the history never holds the previous citizen's pages.
    crate::platform::document::go_to(to, router.kiosk.is_some());
    router.path.set(path.to_owned());
    router.query.set(query.to_owned());
    crate::platform::document::scroll_to_top();
}

/// A link inside the app (`href` a `Route`). Marked `aria-current="page"` when it points at the current page (or,
/// unless `exact`, at a parent of it). Clicks with a modifier key keep the browser's behaviour.
#[component]
pub fn A(href: Route, #[prop(optional)] exact: bool, children: Children) -> impl IntoView {
    let router = use_router();
    let href = href.address();
    let target = href.split('?').next().unwrap_or("/").to_owned();
    let is_current = move || {
        router.path.with(|path| {
            if exact || target == "/" {
                *path == target
            } else {
                *path == target || path.starts_with(&format!("{target}/"))
            }
        })
    };
    let to = href.clone();
    let on_click = move |event: MouseEvent| {
        if event.button() == 0
            && !(event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key())
        {
            event.prevent_default();
            navigate_with(router, &to);
        }
    };
    // What the browser shows, opens in a new tab or reloads: on a kiosk, still a kiosk.
    let href = router.address(&href);
    view! {
        <a href=href aria-current=move || is_current().then_some("page") on:click=on_click>
            {children()}
        </a>
    }
}
