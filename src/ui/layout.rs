//! The app shell: skip link, header with the station's name and the language switch, main
//! navigation, the routed page, and the emergency footer.

use leptos::prelude::*;

use super::router::{provide_router, use_router, RouterContext, A};
use crate::ui::text::tr;

use super::context::{use_app, AppContext};
use super::pages::{
    BookingSlipPage, ContactPage, HomePage, MyBookingsPage, NewsPage, NotFoundPage, ProcedurePage,
    ServicesPage,
};
use crate::domain::route::{Route, StationPage};
use crate::domain::station::EMERGENCY_NUMBER;
use crate::domain::text::Lang;
use crate::platform;

/// What only the station bundle (src/bin/station-desk.rs) draws: the staff desk and check-in
/// pages, and the kiosk's idle guard. Given to `App` by that bundle only, so the citizens' wasm
/// carries none of it.
#[derive(Clone, Copy)]
pub struct DeskParts {
    /// A station page (`ui::pages::station_page`).
    pub pages: fn(StationPage) -> AnyView,
    /// The kiosk's guard: idle warning with countdown, erase, the offer after printing.
    pub kiosk_guard: fn(crate::domain::kiosk::KioskConfig) -> AnyView,
}

/// The kiosk's guard, for `DeskParts`.
pub fn kiosk_guard(config: crate::domain::kiosk::KioskConfig) -> AnyView {
    view! { <KioskGuard config /> }.into_any()
}

/// What only the forms bundle (src/bin/forms-bundle.rs) and the station bundle have: the pages
/// where a citizen does something with the station — the form pages (wizard, review, PDF,
/// hand-off), asking the station and booking — and what the app does on the device for forms:
/// drafts kept with consent, forms carried across an update. Given to `App` by those bundles (and by
/// the native drawing), so the citizens' wasm, which every first visit loads, carries none of it.
#[derive(Clone, Copy)]
pub struct FormsParts {
    /// The page for `Route::Forms`, `Route::Form`, `Route::Ask` or `Route::Book` (see
    /// `ui::pages::FORMS`).
    pub pages: fn(Route) -> AnyView,
    /// Started once on the device (not when drawn natively): drafts, the update's stash.
    pub start_on_device: fn(AppContext),
    /// The forms being filled, as hand-off codes, to keep across an update's reload.
    pub open_codes: fn(AppContext) -> Vec<String>,
}

/// Whether `path` is a page of the forms bundle (the forms list, a form, asking the station,
/// booking): the citizens' bundle hands those to the forms bundle (src/main.rs).
pub fn is_forms_page(path: &str) -> bool {
    matches!(
        Route::parse(path, ""),
        Route::Forms | Route::Form { .. } | Route::Ask { .. } | Route::Book { .. }
    )
}

/// Whether `path` is a station page (staff desk, check-in terminal): the citizens' bundle hands
/// those to the station bundle (src/main.rs), as it does every kiosk address.
pub fn is_desk_page(path: &str) -> bool {
    matches!(Route::parse(path, ""), Route::Station(_))
}

/// The whole app. `station` is given by the station bundle only, `forms` by the forms and
/// station bundles; without them such a page reloads the address, and the citizens' bundle then
/// starts the bundle that has it — carrying the language and checklists across.
#[component]
pub fn App(
    #[prop(optional)] station: Option<DeskParts>,
    #[prop(optional)] forms: Option<FormsParts>,
) -> impl IntoView {
    let app = AppContext::new();
    provide_context(app);
    if platform::IN_BROWSER {
        start_on_device(app, forms);
    }

    let router = provide_router(app.kiosk);
    if app.kiosk.is_some() {
        platform::document::mark_kiosk();
    }

    view! {
        <Header />
        <OfflineNotice />
        <UpdateNotice forms />
        <NewContentNotice />
        {app.kiosk.zip(station).map(|(config, parts)| (parts.kiosk_guard)(config))}
        <main id="main" tabindex="-1">
            <FocusOnNavigation />
            {move || page_for(router, station.map(|parts| parts.pages), forms.map(|parts| parts.pages))}
        </main>
        <Footer />
    }
}

/// What the app reads from and starts on the device: stored bookings (and, with the form pages,
/// drafts), the service worker's update, the document's language. Not when pages are drawn
/// natively to HTML.
fn start_on_device(app: AppContext, forms: Option<FormsParts>) {
    if app.kiosk.is_some() {
        // Before anything reads it: a kiosk neither shows nor keeps what an earlier visit stored.
        platform::kiosk::forget_stored();
    }
    app.refresh_bookings();
    // One effect for both (each effect costs code): the document's language follows the
    // switch, and the station's configuration may make this terminal a kiosk or set its timings.
    Effect::new(move |_| {
        platform::document::set_language(app.lang.get());
        if let Some(Ok(station)) = app.station.get() {
            platform::kiosk::follow_station(&station.kiosk_settings());
        }
    });

    platform::service_worker::watch_for_update(move || app.update_ready.set(true));
    // A page left open (a phone in a pocket, a terminal between citizens) learns of content
    // the station published when it is looked at again, comes back online, or every while.
    platform::document::on_return(move || app.check_for_new_content());
    match forms {
        Some(forms) => (forms.start_on_device)(app),
        // Without the form pages drafts are not read, but ones past their 30 days still go at
        // the next visit, whatever its page, as the citizen was told.
        None if app.kiosk.is_none() => {
            platform::drafts_store::forget_expired(platform::clock::office_today())
        }
        None => {}
    }
}

/// The page for the current address. Re-created when the path or query changes.
fn page_for(
    router: RouterContext,
    station_pages: Option<fn(StationPage) -> AnyView>,
    forms_pages: Option<fn(Route) -> AnyView>,
) -> AnyView {
    // A query change on the same path (e.g. /book?move=…) is a new page too.
    let route = router
        .path
        .with(|path| router.query.with(|query| Route::parse(path, query)));
    platform::download::release_printed_pdf();
    match route {
        Route::Home => view! { <HomePage /> }.into_any(),
        Route::Services => view! { <ServicesPage /> }.into_any(),
        Route::Procedure(id) => view! { <ProcedurePage id /> }.into_any(),
        Route::Bookings => view! { <MyBookingsPage /> }.into_any(),
        Route::BookingSlip(code) => view! { <BookingSlipPage code /> }.into_any(),
        Route::Forms | Route::Form { .. } | Route::Ask { .. } | Route::Book { .. } => {
            match forms_pages {
                Some(pages) => pages(route),
                None => forms_elsewhere(&route),
            }
        }
        Route::News => view! { <NewsPage /> }.into_any(),
        Route::Contact => view! { <ContactPage /> }.into_any(),
        Route::Station(page) => match station_pages {
            Some(pages) => pages(page),
            None => station_elsewhere(),
        },
        Route::NotFound => view! { <NotFoundPage /> }.into_any(),
    }
}

#[component]
fn Header() -> impl IntoView {
    let app = use_app();
    let station_name = move || {
        let lang = app.lang.get();
        match app.station.get() {
            Some(Ok(station)) => station.name.get(lang).to_owned(),
            _ => app.t().app_title_fallback.to_owned(),
        }
    };
    view! {
        <header class="site-header">
            <SkipLink />
            <div class="site-header-inner">
                <A href=Route::Home attr:class="site-name">
                    <span class="site-emblem" aria-hidden="true">"★"</span>
                    // Busy until the station's file is there: a page drawn ahead is replaced
                    // by the app's only once nothing of it is (boot.js).
                    <span aria-busy=move || app.station.get().is_none().then_some("true")>{station_name}</span>
                </A>
                <LanguageSwitch />
                {app.kiosk.map(|config| view! {
                    <button type="button" class="button button-finish" on:click=move |_| platform::kiosk::erase_everything(config)>
                        {tr(|t| t.kiosk_finish)}
                    </button>
                })}
            </div>
            <nav class="main-nav" aria-label=move || app.t().main_nav_label>
                <ul>
                    <li><A href=Route::Home exact=true>{tr(|t| t.nav_home)}</A></li>
                    <li><A href=Route::Services>{tr(|t| t.nav_services)}</A></li>
                    <li><A href=Route::Forms>{tr(|t| t.nav_forms)}</A></li>
                    <li><A href=Route::News>{tr(|t| t.nav_news)}</A></li>
                    <li><A href=Route::Contact>{tr(|t| t.nav_contact)}</A></li>
                    <li><A href=Route::Bookings>{tr(|t| t.nav_bookings)}</A></li>
                </ul>
            </nav>
        </header>
    }
}

/// On a kiosk: after the idle time a large warning with a countdown; with no answer, everything
/// is erased and the home page returns.
#[component]
fn KioskGuard(config: crate::domain::kiosk::KioskConfig) -> impl IntoView {
    use crate::domain::kiosk::IdlePhase;
    let app = use_app();
    let last_activity = platform::kiosk::track_activity();
    let now = platform::kiosk::every_second();
    let phase = Memo::new(move |_| config.phase(now.get() - last_activity.get()));
    // Whatever was printed, offer to erase straight after: the citizen is likely done.
    let printed = app.printed;
    window_event_listener(leptos::ev::afterprint, move |_| printed.set(true));
    Effect::new(move |_| {
        if phase.get() == IdlePhase::Expired {
            platform::kiosk::erase_everything(config);
        }
    });
    move || {
        match phase.get() {
        IdlePhase::Warning { seconds_left } => Some(view! {
            <div class="kiosk-warning" role="alertdialog" aria-modal="true" aria-labelledby="kiosk-warning-title" aria-describedby="kiosk-warning-text">
                <div class="kiosk-warning-box">
                    <h2 id="kiosk-warning-title">{tr(|t| t.kiosk_still_there)}</h2>
                    <p id="kiosk-warning-text">{move || (app.t().kiosk_countdown)(seconds_left)}</p>
                    <p class="actions">
                        <button type="button" class="button" on:click=move |_| last_activity.set(platform::clock::now_millis() as f64)>
                            {tr(|t| t.kiosk_continue)}
                        </button>
                        <button type="button" class="button button-secondary" on:click=move |_| platform::kiosk::erase_everything(config)>
                            {tr(|t| t.kiosk_finish)}
                        </button>
                    </p>
                </div>
            </div>
        }
        .into_any()),
        _ if printed.get() => Some(view! {
            <div class="kiosk-warning" role="alertdialog" aria-modal="true" aria-labelledby="kiosk-printed-title">
                <div class="kiosk-warning-box">
                    <h2 id="kiosk-printed-title">{tr(|t| t.kiosk_printed)}</h2>
                    <p class="actions">
                        <button type="button" class="button" on:click=move |_| platform::kiosk::erase_everything(config)>
                            {tr(|t| t.kiosk_finish)}
                        </button>
                        <button type="button" class="button button-secondary" on:click=move |_| printed.set(false)>
                            {tr(|t| t.kiosk_continue)}
                        </button>
                    </p>
                </div>
            </div>
        }
        .into_any()),
        _ => None,
    }
    }
}

/// Two buttons, each named in its own language so a reader of either finds theirs. Switching
/// changes only text: nothing typed into a page is re-created or lost.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let app = use_app();
    let button = move |lang: Lang| {
        view! {
            <button
                type="button"
                class="lang-button"
                lang=lang.tag()
                aria-pressed=move || (app.lang.get() == lang).to_string()
                on:click=move |_| app.lang.set(lang)
            >
                {crate::i18n::messages(lang).lang_name}
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || app.t().language_group_label>
            {button(Lang::Vi)}
            {button(Lang::En)}
        </div>
    }
}

#[component]
fn OfflineNotice() -> impl IntoView {
    let app = use_app();
    view! {
        {move || (!app.online.get()).then(|| view! {
            <p class="notice notice-info offline-notice" role="status">{tr(|t| t.offline_notice)}</p>
        })}
    }
}

/// A new version is installed: say so, and update when the citizen chooses. What they typed
/// into forms goes across the reload as hand-off codes in session storage, with their language
/// and checklists (`AppContext::carry_over`).
#[component]
fn UpdateNotice(forms: Option<FormsParts>) -> impl IntoView {
    let app = use_app();
    let update = move |_| {
        // The language and checklists come across too, as when another bundle takes over.
        app.carry_over();
        let codes = forms
            .map(|parts| (parts.open_codes)(app))
            .unwrap_or_default();
        platform::service_worker::stash_for_update(&codes);
        platform::service_worker::apply_update();
    };
    move || {
        app.update_ready.get().then(|| view! {
            <p class="notice notice-info offline-notice update-notice" role="status">
                {tr(|t| t.update_ready)}" "
                <button type="button" class="button button-secondary" on:click=update>{tr(|t| t.update_now)}</button>
            </p>
        })
    }
}

/// The station published new content since this page read it: say so, and show it in place
/// when the citizen chooses (nothing is reloaded, so nothing typed is lost).
#[component]
fn NewContentNotice() -> impl IntoView {
    let app = use_app();
    move || {
        app.content_changed.get().then(|| view! {
            <p class="notice notice-info offline-notice new-content-notice" role="status">
                {tr(|t| t.new_content)}" "
                <button type="button" class="button button-secondary" on:click=move |_| app.show_new_content()>
                    {tr(|t| t.new_content_show)}
                </button>
            </p>
        })
    }
}

/// Loads the current address afresh, for the bundle that has its page (src/main.rs): what the
/// citizen chose and ticked goes across (`AppContext::carry_over`).
/// A station page in a bundle without it (the citizens' bundle, the ticket bundle): load the
/// address afresh, and src/main.rs starts the station bundle for it.
pub fn station_elsewhere() -> AnyView {
    hand_over(use_app());
    view! { <p role="status">{tr(|t| t.loading)}</p> }.into_any()
}

fn hand_over(app: AppContext) {
    app.carry_over();
    platform::bundles::reload();
}

/// A page of the forms bundle in the citizens' bundle: hand over to the forms bundle — unless it
/// was just tried and could not be fetched (offline before any of its pages was opened), then
/// say so.
fn forms_elsewhere(route: &Route) -> AnyView {
    let app = use_app();
    if !platform::bundles::forms_unavailable() {
        hand_over(app);
        return view! { <p role="status">{tr(|t| t.loading)}</p> }.into_any();
    }
    // Asking and booking share the forms bundle, not its words.
    type Pick = fn(&crate::i18n::Messages) -> &'static str;
    let (title, body): (Pick, Pick) = match route {
        Route::Ask { .. } => (|t| t.procedure_ask_link, |t| t.ask_unavailable),
        Route::Book { .. } => (|t| t.book_title, |t| t.book_unavailable),
        _ => (|t| t.forms_title, |t| t.forms_unavailable),
    };
    view! {
        <h1>{tr(title)}</h1>
        <div class="notice notice-error" role="alert">
            <p>{tr(body)}</p>
            <button type="button" class="button" on:click=move |_| hand_over(app)>{tr(|t| t.retry)}</button>
        </div>
    }
    .into_any()
}

/// The router would treat "#main" as a route change; move focus to the content directly.
#[component]
fn SkipLink() -> impl IntoView {
    view! {
        <a
            class="skip-link"
            href="#main"
            on:click=move |event| {
                event.prevent_default();
                focus_main();
            }
        >
            {tr(|t| t.skip_to_content)}
        </a>
    }
}

fn focus_main() {
    platform::document::focus("main");
}

/// Moves focus to the main region after each in-app navigation so screen-reader users hear the
/// new page instead of staying on the link they pressed; the first load keeps the browser's focus.
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let router = use_router();
    Effect::new(move |previous: Option<String>| {
        // A new step of a form is a new page too, though only the query changes.
        let path = format!("{}?{}", router.path.get(), router.query.get());
        if previous.is_some_and(|p| p != path) {
            focus_main();
        }
        path
    });
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <section class="emergency" aria-labelledby="emergency-title">
                <h2 id="emergency-title">{tr(|t| t.emergency_title)}</h2>
                <p>{tr(|t| t.emergency_body)}</p>
                <a class="button button-emergency" href=format!("tel:{EMERGENCY_NUMBER}")>
                    {tr(|t| t.emergency_call)}
                </a>
            </section>
            <p class="privacy-note">{tr(|t| t.privacy_note)}</p>
        </footer>
    }
}
