use leptos::prelude::*;

use super::use_page_title;
use crate::domain::booking::BookingError;
use crate::domain::booking_code::parse_code;
use crate::domain::station_api::Health;
use crate::i18n::Words;
use crate::ui::data_view::station_view;
use crate::ui::form::{
    drawn_messages, field_error, field_frame, text_input, ErrorSummary, Problems, TextField,
};
use crate::ui::text::{tr, tr_desk};
use crate::ui::use_app;

/// "I have an appointment" at the terminal: the slip's code (typed, or typed by a USB scanner
/// reading its QR code) marks the citizen arrived; the staff list shows it within seconds.
#[component]
pub fn CheckInPage() -> impl IntoView {
    use_page_title(|t| t.checkin_title);
    view! {
        <h1>{tr(|t| t.checkin_title)}</h1>
        <p class="lead">{tr_desk(|t| t.checkin_intro)}</p>
        {station_view(|health: Option<Health>| view! { <Terminal health /> })}
    }
}

/// The station this page serves: the health check already made, or asked now.
async fn station_id(health: Option<Health>) -> Result<String, Failure> {
    match health {
        Some(health) => Ok(health.station),
        None => crate::platform::api_client::health()
            .await
            .map(|health| health.station)
            .map_err(|_| Failure::Code(BookingError::Unreachable)),
    }
}

/// Only a terminal the station enrolled takes check-ins: one that is not yet asks for the
/// enrolment code an admin was given (the credential it gets is a cookie the page never sees,
/// so erasing the kiosk between citizens leaves it).
#[component]
fn Terminal(health: Option<Health>) -> impl IntoView {
    // None while asking; an unreachable station shows the check-in form, which then says so.
    let enrolled = RwSignal::new(None::<bool>);
    let just_enrolled = RwSignal::new(false);
    {
        let health = health.clone();
        leptos::task::spawn_local(async move {
            let answer = match station_id(health).await {
                Ok(station) => {
                    crate::platform::api_client::call::<crate::domain::station_api::Terminal>(
                        "GET",
                        &format!("/stations/{station}/terminal"),
                        &[],
                        None::<&()>,
                    )
                    .await
                    .map(|_| ())
                    .map_err(Failure::Station)
                }
                Err(failure) => Err(failure),
            };
            enrolled.set(Some(!matches!(answer, Err(Failure::Station(ref f)) if f.refused_as("terminal_not_enrolled"))));
        });
    }
    move || {
        let health = health.clone();
        match enrolled.get() {
            None => view! { <p class="loading" role="status">{tr(|t| t.loading)}</p> }.into_any(),
            Some(false) => view! {
                <Enrol health on_enrolled=move || { just_enrolled.set(true); enrolled.set(Some(true)); } />
            }
            .into_any(),
            Some(true) => view! {
                {move || just_enrolled.get().then(|| view! {
                    <p class="notice notice-success" role="status">{tr_desk(|t| t.enrol_done)}</p>
                })}
                <CheckIn health />
            }
            .into_any(),
        }
    }
}

#[component]
fn Enrol(
    health: Option<Health>,
    on_enrolled: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let problems: Problems<Failure> = RwSignal::new(Vec::new());
    let errors = drawn_messages(problems, Failure::text);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Ok(parsed) = parse_code(&code.get_untracked()) else {
            return problems.set(vec![(
                "enrol-code",
                Failure::Code(BookingError::UnknownCode),
            )]);
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let (health, on_enrolled) = (health.clone(), on_enrolled.clone());
        leptos::task::spawn_local(async move {
            let result = match station_id(health).await {
                Ok(station) => {
                    crate::platform::api_client::call::<crate::domain::station_api::Terminal>(
                        "POST",
                        &format!("/stations/{station}/terminal/enrol"),
                        &[],
                        Some(&crate::domain::station_api::TerminalEnrolment { code: parsed }),
                    )
                    .await
                    .map_err(Failure::Station)
                }
                Err(failure) => Err(failure),
            };
            busy.set(false);
            match result {
                Ok(_) => {
                    problems.set(Vec::new());
                    on_enrolled();
                }
                Err(failure) => problems.set(vec![("enrol-code", failure)]),
            }
        });
    };
    view! {
        <h2>{tr_desk(|t| t.checkin_not_enrolled)}</h2>
        <p>{tr_desk(|t| t.checkin_not_enrolled_body)}</p>
        <form class="check-in" novalidate on:submit=submit>
            <ErrorSummary errors />
            {field_frame(
                "enrol-code",
                tr_desk(|t| t.enrol_code_label),
                tr_desk(|t| t.enrol_code_hint),
                field_error(errors, "enrol-code"),
                text_input("enrol-code", code, errors, "text", "off"),
            )}
            <p><button type="submit" class="button" disabled=move || busy.get()>{tr_desk(|t| t.enrol_button)}</button></p>
        </form>
    }
}

#[component]
fn CheckIn(health: Option<Health>) -> impl IntoView {
    let app = use_app();
    let code = RwSignal::new(String::new());
    // What went wrong, kept untranslated (see `drawn_messages`).
    let problems: Problems<Failure> = RwSignal::new(Vec::new());
    let errors = drawn_messages(problems, Failure::text);
    let done = RwSignal::new(None::<crate::domain::station_api::CheckedIn>);
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
            let result = match station_id(health).await {
                Ok(station) => {
                    crate::platform::api_client::call::<crate::domain::station_api::CheckedIn>(
                        "POST",
                        &format!("/stations/{station}/bookings/{parsed}/check-in"),
                        &[],
                        None::<&()>,
                    )
                    .await
                    .map_err(Failure::Station)
                }
                Err(failure) => Err(failure),
            };
            busy.set(false);
            match result {
                Ok(checked_in) => {
                    problems.set(Vec::new());
                    code.set(String::new());
                    done.set(Some(checked_in));
                }
                Err(failure) => problems.set(vec![("check-in-code", failure)]),
            }
        });
    };
    view! {
        {move || done.get().map(|checked_in| {
            let time = checked_in.slot.start.to_string();
            view! {
                <div class="slip-narrow">
                    <p class="notice notice-success" role="status">{move || (crate::i18n::desk_messages(app.lang.get()).checkin_done)(&time)}</p>
                    {checked_in.ticket.map(|taken| {
                        let late = taken.ticket.appointment.is_none();
                        view! {
                            <super::queue::TicketCard ticket=taken.ticket token=taken.token late />
                            <p class="no-print"><button type="button" class="button" on:click=move |_| {
                                app.printed.set(true);
                                crate::platform::print::print_page();
                            }>{crate::ui::text::tr_queue(|t| t.print)}</button></p>
                        }
                    })}
                </div>
            }
        })}
        <form class="check-in" novalidate on:submit=submit>
            <ErrorSummary errors />
            <TextField id="check-in-code" label=|t| t.find_code hint=|t| t.find_code_hint value=code errors />
            <p><button type="submit" class="button" disabled=move || busy.get()>{tr_desk(|t| t.checkin_button)}</button></p>
        </form>
    }
}

/// Why a check-in did not go through.
#[derive(Clone)]
enum Failure {
    /// Caught here (a mistyped code) or no station to ask.
    Code(BookingError),
    /// The station refused or could not be reached.
    Station(crate::platform::api_client::Failure),
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
