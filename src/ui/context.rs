//! What every page reads: the language, the station's data and whether the device is online.

use leptos::prelude::*;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::domain::booking::{BookingBook, BookingService};
use crate::domain::catalog::{Answers, Catalog, CATALOG_FILE};
use crate::domain::station_api::Health;
use crate::platform::api_client::Failure;
use serde::de::DeserializeOwned;

use crate::domain::data_file::{parse_data_shape, DataFileError};
use crate::domain::forms::{FormAnswers, FormCatalog, FORMS_FILE};
use crate::domain::kiosk::KioskConfig;
use crate::domain::news::{News, NEWS_FILE};
use crate::domain::public_answers::{PublicAnswers, ANSWERS_FILE};
use crate::domain::schedule::{Plan, SCHEDULE_FILE};
use crate::domain::station::{Station, STATION_FILE};
use crate::domain::text::Lang;
use crate::i18n::{messages, Messages};
use crate::platform;

/// A data file under public/data: fetched as text, then parsed and validated once the text
/// arrives. All files share one fetching resource type (`text_resource`), which keeps the wasm
/// small; only the parsing differs per file. The parsed value is shared (`Arc`): a page reading
/// it does not copy the whole catalog, nor does the wasm carry the code to.
pub struct DataResource<T: Send + Sync + 'static> {
    text: FileText,
    parsed: Memo<Option<Result<Arc<T>, DataFileError>>>,
}

impl<T: Send + Sync + 'static> Clone for DataResource<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for DataResource<T> {}

/// A data file's text: fetched in the browser; natively, when pages are drawn to HTML, given
/// before drawing (`ui::prerender::DataFiles`), so the page is drawn with its content.
#[cfg(target_arch = "wasm32")]
type FileText = LocalResource<Result<String, DataFileError>>;
#[cfg(not(target_arch = "wasm32"))]
type FileText = RwSignal<Option<Result<String, DataFileError>>>;

#[cfg(target_arch = "wasm32")]
fn text_resource(file: &'static str) -> FileText {
    LocalResource::new(move || platform::fetch::fetch_text(file))
}

#[cfg(not(target_arch = "wasm32"))]
fn text_resource(file: &'static str) -> FileText {
    let given = use_context::<crate::ui::prerender::DataFiles>().and_then(|files| files.text(file));
    RwSignal::new(Some(given.ok_or_else(|| DataFileError::Unavailable {
        file: file.to_owned(),
        status: None,
    })))
}

impl<T: DeserializeOwned + Send + Sync + 'static> DataResource<T> {
    fn new(file: &'static str) -> Self {
        let text = text_resource(file);
        // Parsed once per fetch; the values are never compared (the data types need not be).
        // Shape only: the values were checked when the site was built (`parse_data_shape`).
        let parsed = Memo::new_with_compare(
            move |_| {
                text.get().map(|fetched| {
                    fetched.and_then(|text| parse_data_shape::<T>(file, &text).map(Arc::new))
                })
            },
            |_, _| true,
        );
        DataResource { text, parsed }
    }
}

impl<T: Send + Sync + 'static> DataResource<T> {
    /// The parsed file once fetched (tracked).
    pub fn get(&self) -> Option<Result<Arc<T>, DataFileError>> {
        self.parsed.get()
    }

    pub fn get_untracked(&self) -> Option<Result<Arc<T>, DataFileError>> {
        self.parsed.get_untracked()
    }

    /// The file's text as fetched, if it has arrived.
    pub fn text_untracked(&self) -> Option<String> {
        self.text.get_untracked().and_then(Result::ok)
    }

    /// Fetches the file again (after an error, the retry button).
    pub fn refetch(&self) {
        #[cfg(target_arch = "wasm32")]
        self.text.refetch();
    }
}

#[derive(Clone, Copy)]
pub struct AppContext {
    pub lang: RwSignal<Lang>,
    pub online: RwSignal<bool>,
    pub station: DataResource<Station>,
    /// News, fetched the first time the news page needs it (see `news`).
    news: StoredValue<Option<DataResource<News>>>,
    /// The procedures (public/data/procedures.json), fetched the first time a page needs them
    /// (see `catalog`).
    catalog: StoredValue<Option<DataResource<Catalog>>>,
    /// The station's published answers (see `answers`).
    answers: StoredValue<Option<DataResource<PublicAnswers>>>,
    /// What the citizen answered and ticked, per procedure id. Memory only for now.
    pub checklists: RwSignal<BTreeMap<String, ChecklistProgress>>,
    /// The last search on the services page, kept while moving between pages.
    pub search_query: RwSignal<String>,
    /// The working plan, fetched the first time a booking page needs it (see `plan`).
    plan: StoredValue<Option<DataResource<Plan>>>,
    /// The bookings as the booking service last reported them.
    pub bookings: RwSignal<BookingBook>,
    /// Who booked on this visit, as the bundle before this one handed it over (memory only).
    carried_booked_by: StoredValue<Option<BookedBy>>,
    /// Set when the terminal opened the app in kiosk mode: nothing is kept, idle erases.
    pub kiosk: Option<KioskConfig>,
    /// The citizen's answers per form id: in memory; on a phone also kept as drafts when the
    /// citizen agrees (`keep_drafts`, platform::drafts_store), never on a kiosk.
    pub form_answers: RwSignal<BTreeMap<String, FormAnswers>>,
    /// The form definitions, fetched the first time a form page needs them (see `forms`).
    forms: StoredValue<Option<DataResource<FormCatalog>>>,
    /// The owner the app's long-lived resources belong to, so one made on demand by a page
    /// outlives that page.
    owner: StoredValue<Owner>,
    /// Set when something was sent to the printer; a kiosk then offers to erase at once.
    pub printed: RwSignal<bool>,
    /// Set when a new version of the app is installed and waiting.
    pub update_ready: RwSignal<bool>,
    /// Set when the station published new content (news, warnings, hours, channels) since
    /// this page read it: the page offers to show it (`check_for_new_content`).
    pub content_changed: RwSignal<bool>,
    /// Hand-off codes of forms being filled when the app updated, or kept as drafts on this
    /// phone, to load into `form_answers` once the forms file is there.
    pub pending_codes: StoredValue<Vec<String>>,
    /// The citizen agreed to keep their form answers on this phone (never on a kiosk).
    pub keep_drafts: RwSignal<bool>,
    /// The stored drafts were written by a newer version of the app: they are left untouched
    /// (never loaded, overwritten or deleted) and the choice to keep drafts is not offered.
    pub drafts_newer: RwSignal<bool>,
    /// Whether the station's booking service answers at this address, asked the first time a
    /// booking or staff page opens (see `station_service`).
    service: StoredValue<Option<StationCheck>>,
}

/// The answer of the station's health check: `None` while asked. A signal filled by a task
/// rather than a `LocalResource`, whose machinery costs ~2.7 KB of wasm per answer type.
#[derive(Clone, Copy)]
pub struct StationCheck(RwSignal<Option<Result<Health, Failure>>>);

impl StationCheck {
    pub fn get(&self) -> Option<Result<Health, Failure>> {
        self.0.get()
    }

    pub fn get_untracked(&self) -> Option<Result<Health, Failure>> {
        self.0.get_untracked()
    }

    /// Asks again (the retry button, or the connection coming back); the last answer stays
    /// shown until the new one arrives.
    pub fn refetch(&self) {
        // Drawn natively to HTML, the page shows "checking"; the browser asks.
        if !platform::IN_BROWSER {
            return;
        }
        let answer = self.0;
        leptos::task::spawn_local(
            async move { answer.set(Some(platform::api_client::health().await)) },
        );
    }
}

/// The booking service of the station whose health check answered. Pages see only the trait.
pub fn booking_service(health: &Health) -> Box<dyn BookingService> {
    Box::new(platform::api_client::StationService {
        station: health.station.clone(),
    })
}

/// A citizen's answers and ticked papers for one procedure.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChecklistProgress {
    pub answers: Answers,
    /// Document ids ticked as ready. Kept when answers change, so a paper that still applies
    /// stays ticked.
    pub ticked: BTreeSet<String>,
}

/// What a citizen chose that goes across when the app hands the page to another of its bundles
/// (a form page, a station page): written just before, read and removed as that bundle starts.
/// Their language, checklist answers and ticks, last search, and the name and phone of a
/// booking made on this visit (so a form can start with them, kept or not) — never form
/// answers, which live in the forms bundle only.
#[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CarriedOver {
    pub lang: Lang,
    #[serde(default)]
    pub booked_by: Option<BookedBy>,
    pub checklists: BTreeMap<String, ChecklistProgress>,
    pub search: String,
}

/// The name and phone a booking was made with on this visit.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BookedBy {
    pub name: String,
    pub phone: String,
}

impl CarriedOver {
    /// What an earlier start wrote; anything unreadable (another version's) reads as nothing.
    pub fn read(text: Option<String>) -> Self {
        text.and_then(|text| crate::domain::json::from_str(&text).ok())
            .unwrap_or_default()
    }
}

impl AppContext {
    pub fn new() -> Self {
        let online = RwSignal::new(platform::document::is_online());
        if platform::IN_BROWSER {
            window_event_listener(leptos::ev::online, move |_| online.set(true));
            window_event_listener(leptos::ev::offline, move |_| online.set(false));
        }
        let carried = CarriedOver::read(platform::bundles::take_carried());
        AppContext {
            lang: RwSignal::new(carried.lang),
            online,
            station: DataResource::new(STATION_FILE),
            news: StoredValue::new(None),
            catalog: StoredValue::new(None),
            answers: StoredValue::new(None),
            checklists: RwSignal::new(carried.checklists),
            carried_booked_by: StoredValue::new(carried.booked_by),
            search_query: RwSignal::new(carried.search),
            plan: StoredValue::new(None),
            bookings: RwSignal::new(BookingBook::default()),
            kiosk: platform::IN_BROWSER
                .then(|| platform::document::location().1)
                .and_then(|query| KioskConfig::from_query(&query)),
            form_answers: RwSignal::new(BTreeMap::new()),
            forms: StoredValue::new(None),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
            printed: RwSignal::new(false),
            update_ready: RwSignal::new(false),
            content_changed: RwSignal::new(false),
            pending_codes: StoredValue::new(Vec::new()),
            keep_drafts: RwSignal::new(false),
            drafts_newer: RwSignal::new(false),
            service: StoredValue::new(None),
        }
    }

    /// The name and phone of the latest booking this visit made or kept, if any: a form
    /// starts with them.
    pub fn booked_by(&self) -> Option<BookedBy> {
        self.bookings
            .with_untracked(|book| {
                book.bookings.last().map(|latest| BookedBy {
                    name: latest.name.clone(),
                    phone: latest.phone.clone(),
                })
            })
            .or_else(|| self.carried_booked_by.get_value())
    }

    /// Keeps what `CarriedOver` holds for the next start, in this tab only.
    pub fn carry_over(&self) {
        let carried = CarriedOver {
            lang: self.lang.get_untracked(),
            booked_by: self.booked_by(),
            checklists: self.checklists.get_untracked(),
            search: self.search_query.get_untracked(),
        };
        if let Some(text) = crate::domain::json::to_string(&carried) {
            platform::bundles::carry(&text);
        }
    }

    /// Reads this device's copies of its bookings again, after a change or at start.
    pub fn refresh_bookings(&self) {
        self.bookings.set(platform::booking_store::kept().book());
    }

    /// Whether the station's booking service answers here, asked once per visit (again with
    /// `refetch`, after the connection comes back).
    pub fn station_service(&self) -> StationCheck {
        if let Some(check) = self.service.get_value() {
            return check;
        }
        let check = StationCheck(self.owner.get_value().with(|| RwSignal::new(None)));
        check.refetch();
        self.service.set_value(Some(check));
        check
    }

    /// The procedures (public/data/procedures.json), fetched on first use: the home page does not
    /// need them, so a first visit there does not wait for them. The station server preloads
    /// them for the addresses whose pages do (crates/server/src/web.rs).
    pub fn catalog(&self) -> DataResource<Catalog> {
        self.on_first_use(self.catalog, CATALOG_FILE)
    }

    /// The form definitions (public/data/forms.json), fetched on first use: most visits never
    /// open a form, so the file is not part of the first load.
    pub fn forms(&self) -> DataResource<FormCatalog> {
        self.on_first_use(self.forms, FORMS_FILE)
    }

    /// The news (public/data/news.json), fetched when the news page first opens.
    pub fn news(&self) -> DataResource<News> {
        self.on_first_use(self.news, NEWS_FILE)
    }

    /// The station's published answers (public/data/answers.json, #29), fetched when a
    /// procedure page, the search or /ask first shows them.
    pub fn answers(&self) -> DataResource<PublicAnswers> {
        self.on_first_use(self.answers, ANSWERS_FILE)
    }

    /// The working plan (public/data/schedule.json), fetched when a booking page first opens.
    pub fn plan(&self) -> DataResource<Plan> {
        self.on_first_use(self.plan, SCHEDULE_FILE)
    }

    /// The files the content desk publishes that this visit has read, with the texts read:
    /// what `check_for_new_content` compares.
    fn content_read(&self) -> Vec<(&'static str, String)> {
        let news = self.news.get_value().and_then(|n| n.text_untracked());
        let plan = self.plan.get_value().and_then(|p| p.text_untracked());
        let answers = self.answers.get_value().and_then(|a| a.text_untracked());
        [
            (STATION_FILE, self.station.text_untracked()),
            (NEWS_FILE, news),
            (SCHEDULE_FILE, plan),
            (ANSWERS_FILE, answers),
        ]
        .into_iter()
        .filter_map(|(file, text)| Some((file, text?)))
        .collect()
    }

    /// Asks the station again for the content files this visit has read (the service worker
    /// asks the network first) and sets `content_changed` when one differs. Offline or
    /// refused: nothing is said, the page keeps what it has.
    pub fn check_for_new_content(self) {
        let read = self.content_read();
        if read.is_empty() || self.content_changed.get_untracked() {
            return;
        }
        leptos::task::spawn_local(async move {
            for (file, text) in read {
                if matches!(platform::fetch::fetch_text(file).await, Ok(now) if now != text) {
                    self.content_changed.set(true);
                    return;
                }
            }
        });
    }

    /// Shows the new content in place: the files are read again and every page drawn from
    /// them follows; nothing typed is lost, as nothing is reloaded.
    pub fn show_new_content(&self) {
        self.station.refetch();
        if let Some(news) = self.news.get_value() {
            news.refetch();
        }
        if let Some(plan) = self.plan.get_value() {
            plan.refetch();
        }
        if let Some(answers) = self.answers.get_value() {
            answers.refetch();
        }
        self.content_changed.set(false);
    }

    /// The resource in `slot`, created the first time it is asked for. It belongs to the app's
    /// owner, so it outlives the page that asked and is fetched once per visit.
    fn on_first_use<T: DeserializeOwned + Clone + Send + Sync + 'static>(
        &self,
        slot: StoredValue<Option<DataResource<T>>>,
        file: &'static str,
    ) -> DataResource<T> {
        if let Some(resource) = slot.get_value() {
            return resource;
        }
        let resource = self.owner.get_value().with(|| DataResource::new(file));
        slot.set_value(Some(resource));
        resource
    }

    /// Loads the forms kept across an update (see `pending_codes`); a form page calls this
    /// before drawing, with the forms file it has.
    pub fn restore_pending_forms(&self, catalog: &FormCatalog) {
        let codes = std::mem::take(&mut *self.pending_codes.write_value());
        if codes.is_empty() {
            return;
        }
        self.form_answers.update(|all| {
            for code in &codes {
                if let Ok((id, answers)) = crate::domain::handoff::decode(catalog, code) {
                    all.insert(id, answers);
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_carried_over_reads_back_and_anything_else_reads_as_nothing() {
        let carried = CarriedOver {
            lang: Lang::En,
            booked_by: Some(BookedBy {
                name: "Nguyễn Thị Hồng Nhung".to_owned(),
                phone: "0912345678".to_owned(),
            }),
            checklists: BTreeMap::from([(
                "id-card-replace".to_owned(),
                ChecklistProgress {
                    answers: Answers::from([("reason".to_owned(), "lost".to_owned())]),
                    ticked: BTreeSet::from(["photo".to_owned()]),
                },
            )]),
            search: "căn cước".to_owned(),
        };
        let text = serde_json::to_string(&carried).expect("serializes");
        assert_eq!(CarriedOver::read(Some(text)), carried);
        // Nothing kept, or what another version wrote: the app starts as on a first visit.
        assert_eq!(CarriedOver::read(None), CarriedOver::default());
        assert_eq!(
            CarriedOver::read(Some("{\"lang\":\"fr\"}".to_owned())),
            CarriedOver::default()
        );
    }
}
