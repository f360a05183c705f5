//! One page per route.

mod answers;
mod ask;
mod book;
mod bookings;
mod channel_check;
mod check_in;
mod contact;
mod content_desk;
mod forms;
mod home;
mod news;
mod not_found;
mod procedure;
mod questions_inbox;
mod queue;
mod services;
mod staff;
mod staff_admin;

pub use answers::AnswerItem;
pub use book::BookPage;
pub use bookings::{BookingSlipPage, MyBookingsPage};
pub use contact::ContactPage;
pub use home::HomePage;
pub use news::NewsPage;
pub use not_found::NotFoundPage;
pub use procedure::ProcedurePage;
pub use services::ServicesPage;

/// The pages only a station's own devices open: the staff desk and the check-in terminal. Only
/// the station bundle (src/bin/station-desk.rs) names this function, so the citizens' bundle
/// carries none of their code.
pub fn station_page(page: crate::domain::route::StationPage) -> AnyView {
    use crate::domain::route::StationPage;
    match page {
        StationPage::Staff => view! { <staff::StaffPage /> }.into_any(),
        StationPage::CheckIn => view! { <check_in::CheckInPage /> }.into_any(),
        StationPage::TakeNumber => view! { <queue::TakeNumberPage /> }.into_any(),
        StationPage::Display => view! { <queue::DisplayPage /> }.into_any(),
        StationPage::Ticket(token) => view! { <queue::TicketPage token /> }.into_any(),
    }
}

/// The ticket bundle's one station page (src/bin/ticket-bundle.rs): a queue ticket on a phone.
/// Any other station page is the station bundle's: its address is loaded afresh for it.
pub fn ticket_page(page: crate::domain::route::StationPage) -> AnyView {
    use crate::domain::route::StationPage;
    match page {
        StationPage::Ticket(token) => view! { <queue::TicketPage token /> }.into_any(),
        _ => crate::ui::station_elsewhere(),
    }
}

/// The form pages, asking the station and booking, and what forms do on the device: only the
/// bundles that name this (the forms and station bundles, src/bin/forms-bundle.rs and
/// station-desk.rs, and the native drawing) carry their code. Booking is here, not in the
/// citizens' bundle, because its page is a large piece of the first load (18 KB brotli,
/// docs/size.md) that most visits never run; the bookings already made (list, slip) stay there,
/// for the day at the station without a connection.
pub const FORMS: crate::ui::FormsParts = crate::ui::FormsParts {
    pages: forms_page,
    start_on_device: forms::on_device::start,
    open_codes: forms::on_device::open_codes,
};

fn forms_page(route: crate::domain::route::Route) -> AnyView {
    use crate::domain::route::Route;
    match route {
        Route::Forms => view! { <forms::FormsPage /> }.into_any(),
        Route::Form { id, place } => view! { <forms::FormPage id place /> }.into_any(),
        Route::Ask { procedure } => view! { <ask::AskPage procedure /> }.into_any(),
        Route::Book { procedure, moving } => view! { <BookPage procedure moving /> }.into_any(),
        _ => view! { <NotFoundPage /> }.into_any(),
    }
}

use leptos::prelude::*;

use super::use_app;
use crate::i18n::Messages;
use crate::platform;

/// Keeps the document title ("Page – Station") in step with the page and the language.
pub(crate) fn use_page_title(page_title: fn(&Messages) -> &'static str) {
    titled(move |lang| page_title(crate::i18n::messages(lang)));
}

/// The same for a queue page, whose words are the station bundle's (`i18n/queue.rs`).
pub(crate) fn use_queue_title(page_title: fn(&crate::i18n::QueueMessages) -> &'static str) {
    titled(move |lang| page_title(crate::i18n::queue_messages(lang)));
}

/// The same for asking the station, whose words are `i18n/questions.rs`.
pub(crate) fn use_question_title(page_title: fn(&crate::i18n::QuestionMessages) -> &'static str) {
    titled(move |lang| page_title(crate::i18n::question_messages(lang)));
}

fn titled(page_title: impl Fn(crate::domain::text::Lang) -> &'static str + 'static) {
    let app = use_app();
    keep_title(move || {
        let lang = app.lang.get();
        let page = page_title(lang);
        match app.station.get() {
            Some(Ok(station)) => format!("{page} – {}", station.name.get(lang)),
            _ => format!("{page} – {}", app.t().app_title_fallback),
        }
    });
}

/// Sets the document title to `title()` and keeps it there as what it reads changes. Drawn
/// natively to HTML (where effects do not run), it is set once, for the page's `<title>`.
pub(crate) fn keep_title(title: impl Fn() -> String + 'static) {
    if platform::IN_BROWSER {
        Effect::new(move |_| platform::document::set_title(&title()));
    } else {
        platform::document::set_title(&title());
    }
}
