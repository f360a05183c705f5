use leptos::prelude::*;

use super::use_page_title;
use crate::domain::booking::BookingError;
use crate::domain::booking_code::parse_code;
use crate::domain::station_api::Health;
use crate::ui::data_view::station_view;
use crate::ui::form::{drawn_messages, ErrorSummary, Problems, TextField};
use crate::ui::text::{tr, tr_station};
use crate::ui::use_app;

/// "I have an appointment" at the terminal: the slip's code (typed, or typed by a USB scanner
/// reading its QR code) marks the citizen arrived; the staff list shows it within seconds.
#[component]
pub fn CheckInPage() -> impl IntoView {
    use_page_title(|t| t.checkin_title);
    view! {
        <h1>{tr(|t| t.checkin_title)}</h1>
        <p class="lead">{tr_station(|t| t.checkin_intro)}</p>
        {station_view(|health: Option<Health>| view! { <CheckIn health /> })}
    }
}

#[component]
fn CheckIn(health: Option<Health>) -> impl IntoView {
    let app = use_app();
    let code = RwSignal::new(String::new());
    // What went wrong, kept untranslated (see `drawn_messages`).
    let problems: Problems<Failure> = RwSignal::new(Vec::new());
    let errors = drawn_messages(problems, Failure::text);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Ok(parsed) = parse_code(&code.get_untracked()) else {
            return problems.set(vec![(
                "check-in-code",
                Failure::Code(BookingError::UnknownCode),
            )]);
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let health = health.clone();
        leptos::task::spawn_local(async move {
            let health = match health {
                Some(health) => Ok(health),
                None => crate::platform::station::health().await,
            };
            let result = match health {
                Ok(health) => {
                    crate::platform::station::call::<crate::domain::station_api::CheckedIn>(
                        "POST",
                        &format!("/stations/{}/bookings/{parsed}/check-in", health.station),
                        &[],
                        None::<&()>,
                    )
                    .await
                    .map_err(Failure::Station)
                }
                Err(_) => Err(Failure::Code(BookingError::Unreachable)),
            };
            busy.set(false);
            match result {
                Ok(checked_in) => {
                    problems.set(Vec::new());
                    code.set(String::new());
                    done.set(Some(checked_in.slot.start.to_string()));
                }
                Err(failure) => problems.set(vec![("check-in-code", failure)]),
            }
        });
    };
    view! {
        {move || done.get().map(|time| view! {
            <p class="notice notice-success" role="status">{move || (crate::i18n::station_messages(app.lang.get()).checkin_done)(&time)}</p>
        })}
        <form class="check-in" novalidate on:submit=submit>
            <ErrorSummary errors />
            <TextField id="check-in-code" label=|t| t.find_code hint=|t| t.find_code_hint value=code errors />
            <p><button type="submit" class="button" disabled=move || busy.get()>{tr_station(|t| t.checkin_button)}</button></p>
        </form>
    }
}

/// Why a check-in did not go through.
#[derive(Clone)]
enum Failure {
    /// Caught here (a mistyped code) or no station to ask.
    Code(BookingError),
    /// The station refused or could not be reached.
    Station(crate::platform::station::Failure),
}

impl Failure {
    fn text(&self, lang: crate::domain::text::Lang) -> String {
        self.message(lang)
            .unwrap_or_else(|| self.booking_error().message(lang))
    }

    fn message(&self, lang: crate::domain::text::Lang) -> Option<String> {
        match self {
            Failure::Code(error) => Some(error.message(lang)),
            Failure::Station(failure) => failure.message(lang),
        }
    }

    fn booking_error(&self) -> BookingError {
        match self {
            Failure::Code(error) => error.clone(),
            Failure::Station(failure) => failure.booking_error(),
        }
    }
}
