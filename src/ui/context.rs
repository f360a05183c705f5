//! What every page reads: the language, the station's data and whether the device is online.

use leptos::prelude::*;

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::booking::{BookingBook, BookingService};
use crate::domain::catalog::{Answers, Catalog, CATALOG_FILE};
use crate::domain::data_file::DataFileError;
use crate::domain::kiosk::KioskConfig;
use crate::domain::news::{News, NEWS_FILE};
use crate::domain::schedule::{Plan, SCHEDULE_FILE};
use crate::domain::station::{Station, STATION_FILE};
use crate::domain::text::Lang;
use crate::i18n::{messages, Messages};
use crate::platform;

pub type DataResource<T> = LocalResource<Result<T, DataFileError>>;

#[derive(Clone, Copy)]
pub struct AppContext {
    pub lang: RwSignal<Lang>,
    pub online: RwSignal<bool>,
    pub station: DataResource<Station>,
    pub news: DataResource<News>,
    pub catalog: DataResource<Catalog>,
    /// What the citizen answered and ticked, per procedure id. Memory only for now.
    pub checklists: RwSignal<BTreeMap<String, ChecklistProgress>>,
    /// The last search on the services page, kept while moving between pages.
    pub search_query: RwSignal<String>,
    pub plan: DataResource<Plan>,
    /// The bookings as the booking service last reported them.
    pub bookings: RwSignal<BookingBook>,
    /// Set when the terminal opened the app in kiosk mode: nothing is kept, idle erases.
    pub kiosk: Option<KioskConfig>,
}

/// The booking service the UI talks to. Only the trait is visible here, so a shared service
/// for many terminals can replace the embedded one without changing any page.
pub fn booking_service() -> &'static dyn BookingService {
    platform::booking_store::local_service()
}

/// A citizen's answers and ticked papers for one procedure.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChecklistProgress {
    pub answers: Answers,
    /// Document ids ticked as ready. Kept when answers change, so a paper that still applies
    /// stays ticked.
    pub ticked: BTreeSet<String>,
}

impl AppContext {
    pub fn new() -> Self {
        let online = RwSignal::new(platform::document::is_online());
        window_event_listener(leptos::ev::online, move |_| online.set(true));
        window_event_listener(leptos::ev::offline, move |_| online.set(false));
        AppContext {
            lang: RwSignal::new(Lang::default()),
            online,
            station: LocalResource::new(|| {
                platform::fetch::load_data_file::<Station>(STATION_FILE)
            }),
            news: LocalResource::new(|| platform::fetch::load_data_file::<News>(NEWS_FILE)),
            catalog: LocalResource::new(|| {
                platform::fetch::load_data_file::<Catalog>(CATALOG_FILE)
            }),
            checklists: RwSignal::new(BTreeMap::new()),
            search_query: RwSignal::new(String::new()),
            plan: LocalResource::new(|| platform::fetch::load_data_file::<Plan>(SCHEDULE_FILE)),
            bookings: RwSignal::new(BookingBook::default()),
            kiosk: web_sys::window()
                .and_then(|w| w.location().search().ok())
                .and_then(|q| KioskConfig::from_query(q.trim_start_matches('?'))),
        }
    }

    /// The catalog of the current language; call inside a reactive closure so text follows
    /// the language switch without re-creating anything the citizen typed into.
    /// Reads the bookings again from the service, after a change or at start.
    pub fn refresh_bookings(&self) {
        let bookings = self.bookings;
        leptos::task::spawn_local(async move {
            if let Ok(book) = booking_service().list().await {
                bookings.set(book);
            }
        });
    }

    pub fn t(&self) -> &'static Messages {
        messages(self.lang.get())
    }
}

impl Default for AppContext {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_app() -> AppContext {
    expect_context::<AppContext>()
}
