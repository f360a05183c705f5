use std::sync::Arc;

use crate::domain::route::Route;
use chrono::TimeDelta;
use leptos::either::Either;
use leptos::prelude::*;

use super::bookings::status_text;
use super::use_page_title;
use crate::domain::booking::{Booking, BookingStatus};
use crate::domain::booking_code::{display_code, parse_code, CodeError};
use crate::domain::catalog::Catalog;
use crate::domain::phone::parse_phone;
use crate::domain::station_api::{DayList, Health, StaffRole, StaffSession, CSRF_HEADER};
use crate::domain::time::{format_date_vn, format_iso_date};
use crate::i18n::Words;
use crate::platform;
use crate::platform::api_client::{call, call_empty, Failure};
use crate::ui::data_view::{data_view, station_view};
use crate::ui::form::{drawn_messages, field_error, ErrorSummary, Problems, TextField};
use crate::ui::router::A;
use crate::ui::text::{loc, tr, tr_desk};
use crate::ui::use_app;

/// How often the day's list is asked for again, so check-ins at the terminal appear.
const REFRESH_MS: u64 = 4_000;

/// For staff at the counter, behind a login: the day's appointments and the next days', find
/// by code, mark arrivals and no-shows, print the list; admins manage accounts.
#[component]
pub fn StaffPage() -> impl IntoView {
    use_page_title(|t| t.staff_title);
    view! {
        <h1>{tr(|t| t.staff_title)}</h1>
        {station_view(|health: Option<Health>| health.map(|health| view! { <Staff health /> }))}
    }
}

/// What went wrong on the desk, kept untranslated (see `drawn_messages`).
#[derive(Clone)]
pub(super) enum Said {
    LoginMissing,
    Code(CodeError),
    Failed(Failure),
}

impl Said {
    pub(super) fn message(&self, lang: crate::domain::text::Lang) -> String {
        let t = crate::i18n::messages(lang);
        match self {
            Said::LoginMissing => crate::i18n::desk_messages(lang).staff_login_missing.into(),
            Said::Code(error) => t.code_error(*error).into(),
            Said::Failed(failure) => failure_text(failure, lang),
        }
    }
}

/// The failure's own sentence in the page's language.
pub(super) fn failure_text(failure: &Failure, lang: crate::domain::text::Lang) -> String {
    failure
        .message(lang)
        .unwrap_or_else(|| failure.booking_error().message(lang))
}

#[component]
fn Staff(health: Health) -> impl IntoView {
    let session = RwSignal::new(None::<StaffSession>);
    let checked = RwSignal::new(false);
    // A session kept in the cookie survives a reload.
    leptos::task::spawn_local(async move {
        if let Ok(found) = call::<StaffSession>("GET", "/staff/session", &[], None::<&()>).await {
            session.set(Some(found));
        }
        checked.set(true);
    });
    move || match session.get() {
        Some(current) => Either::Left(
            view! { <Desk session=current station=health.station.clone() on_logout=move || session.set(None) /> },
        ),
        None => Either::Right(
            checked
                .get()
                .then(|| view! { <Login station=health.station.clone() session /> }),
        ),
    }
}

#[component]
fn Login(station: String, session: RwSignal<Option<StaffSession>>) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problems: Problems<Said> = RwSignal::new(Vec::new());
    let errors = drawn_messages(problems, Said::message);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if username.with_untracked(String::is_empty) || password.with_untracked(String::is_empty) {
            problems.set(vec![("staff-username", Said::LoginMissing)]);
            return;
        }
        busy.set(true);
        let body = crate::domain::station_api::StaffLogin {
            station: station.clone(),
            username: username.get_untracked(),
            password: password.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let result = call::<StaffSession>("POST", "/staff/login", &[], Some(&body)).await;
            busy.set(false);
            match result {
                Ok(found) => {
                    password.set(String::new());
                    session.set(Some(found));
                }
                Err(failure) => problems.set(vec![("staff-password", Said::Failed(failure))]),
            }
        });
    };
    view! {
        <form class="staff-login" novalidate on:submit=submit aria-labelledby="staff-login-title">
            <h2 id="staff-login-title">{tr_desk(|t| t.staff_login_title)}</h2>
            <ErrorSummary errors />
            <TextField id="staff-username" label=|t| t.staff_username hint=|_| "" value=username errors autocomplete="username" />
            <TextField id="staff-password" label=|t| t.staff_password hint=|_| "" value=password errors input_type="password" autocomplete="current-password" />
            <p><button type="submit" class="button" disabled=move || busy.get()>{tr_desk(|t| t.staff_login_button)}</button></p>
        </form>
    }
}

/// Sends a change with the session's anti-forgery token.
pub(super) async fn change<T: serde::de::DeserializeOwned>(
    session: &StaffSession,
    path: &str,
    body: Option<&impl serde::Serialize>,
) -> Result<T, Failure> {
    call("POST", path, &[(CSRF_HEADER, &session.csrf_token)], body).await
}

#[component]
fn Desk(
    session: StaffSession,
    station: String,
    on_logout: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let app = use_app();
    let today = platform::clock::office_today();
    let day = RwSignal::new(today);
    let list = RwSignal::new(None::<Result<DayList, Failure>>);
    let code_input = RwSignal::new(String::new());
    let code_problems: Problems<Said> = RwSignal::new(Vec::new());
    let code_errors = drawn_messages(code_problems, Said::message);
    let found = RwSignal::new(None::<String>);
    let tick = RwSignal::new(0u32);

    // The day's list, asked for again every few seconds and after each change.
    Effect::new(move |shown: Option<chrono::NaiveDate>| {
        let (date, _) = (day.get(), tick.get());
        // Another day: no row of the last one may stay under its heading while the new list comes.
        if shown.is_some_and(|shown| shown != date) {
            list.set(None);
        }
        leptos::task::spawn_local(async move {
            let path = format!("/staff/day?date={}", format_iso_date(date));
            let answer = call::<DayList>("GET", &path, &[], None::<&()>).await;
            // An answer for a day no longer shown is dropped.
            if day.get_untracked() == date {
                list.set(Some(answer));
            }
        });
        date
    });
    if let Ok(handle) = set_interval_with_handle(
        move || tick.update(|t| *t += 1),
        std::time::Duration::from_millis(REFRESH_MS),
    ) {
        on_cleanup(move || handle.clear());
    }

    let find = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let fail = move |what: Said| {
            found.set(None);
            code_problems.set(vec![("staff-code", what)]);
        };
        match parse_code(&code_input.get_untracked()) {
            Ok(code) => leptos::task::spawn_local(async move {
                match call::<Booking>("GET", &format!("/staff/bookings/{code}"), &[], None::<&()>)
                    .await
                {
                    Ok(booking) => {
                        code_problems.set(Vec::new());
                        day.set(booking.slot.date);
                        found.set(Some(code));
                    }
                    Err(failure) => fail(Said::Failed(failure)),
                }
            }),
            Err(error) => fail(Said::Code(error)),
        }
    };
    let shift = move |days: i64| {
        day.update(|d| *d += TimeDelta::days(days));
        found.set(None);
    };
    let logout = {
        let (session, on_logout) = (session.clone(), on_logout.clone());
        move |_| {
            let (session, on_logout) = (session.clone(), on_logout.clone());
            leptos::task::spawn_local(async move {
                let _ = call_empty(
                    "POST",
                    "/staff/logout",
                    &[(CSRF_HEADER, &session.csrf_token)],
                )
                .await;
                on_logout();
            });
        }
    };
    let print = {
        let session = session.clone();
        move |_| {
            let session = session.clone();
            let date = day.get_untracked();
            leptos::task::spawn_local(async move {
                // The printed list is the one export of personal data: the station records it.
                let path = format!("/staff/day/printed?date={}", format_iso_date(date));
                if call_empty("POST", &path, &[(CSRF_HEADER, &session.csrf_token)])
                    .await
                    .is_ok()
                {
                    platform::print::print_page();
                }
            });
        }
    };
    let role = session.role;
    // What the inbox hands the content desk to publish as a public answer (#29).
    provide_context(super::content_desk::AnswerSeeds(RwSignal::new(Vec::new())));
    let name = session.username.clone();
    let role_text = move || match role {
        StaffRole::Officer => crate::i18n::desk_messages(app.lang.get()).role_officer,
        StaffRole::Admin => crate::i18n::desk_messages(app.lang.get()).role_admin,
    };
    let table_session = Arc::new(session.clone());

    view! {
        <p class="lead">{tr_desk(|t| t.staff_intro)}</p>
        <p class="no-print">
            {move || (crate::i18n::desk_messages(app.lang.get()).staff_signed_in)(&name, role_text())}" "
            <button type="button" class="button button-small button-secondary" on:click=logout>{tr_desk(|t| t.staff_logout)}</button>
        </p>
        <form class="staff-find no-print" role="search" on:submit=find>
            <label for="staff-code">{tr_desk(|t| t.staff_find_label)}</label>
            {field_error(code_errors, "staff-code")}
            <div class="inline-field">
                <input
                    id="staff-code"
                    type="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    aria-invalid=move || (!code_errors.with(Vec::is_empty)).to_string()
                    prop:value=move || code_input.get()
                    on:input=move |e| code_input.set(event_target_value(&e))
                />
                <button type="submit" class="button">{tr_desk(|t| t.staff_find_button)}</button>
            </div>
        </form>
        <div class="day-nav no-print">
            <button type="button" class="button button-secondary" on:click=move |_| shift(-1)>{tr_desk(|t| t.staff_prev_day)}</button>
            <button type="button" class="button button-secondary" on:click=move |_| { day.set(today); found.set(None); }>{tr_desk(|t| t.staff_today)}</button>
            <button type="button" class="button button-secondary" on:click=move |_| shift(1)>{tr_desk(|t| t.staff_next_day)}</button>
        </div>
        <h2 aria-live="polite">{move || format!("{} {}", app.t().weekday(crate::domain::schedule::weekday(day.get())), format_date_vn(day.get()))}</h2>
        <p class="hint no-print">{tr_desk(|t| t.staff_live)}</p>
        {data_view(app.catalog(), move |catalog: Arc<Catalog>| {
            let session = table_session.clone();
            move || match list.get() {
                None => Either::Left(view! { <p class="loading" role="status">{tr(|t| t.loading)}</p> }.into_any()),
                Some(Err(failure)) => Either::Left(view! { <p class="notice notice-error" role="alert">{move || failure_text(&failure, app.lang.get())}</p> }.into_any()),
                Some(Ok(list)) => Either::Right(day_table(list.bookings, catalog.clone(), found, session.clone(), tick)),
            }
        })}
        <p class="no-print"><button type="button" class="button" on:click=print>{tr_desk(|t| t.staff_print)}</button></p>
        // The counter's queue below the day's list: its table grows as citizens take numbers, and
        // nothing an officer is about to press may move under their finger.
        {
            let session = session.clone();
            data_view(app.plan(), move |plan: Arc<crate::domain::schedule::Plan>| {
                let (session, station) = (session.clone(), station.clone());
                data_view(app.catalog(), move |catalog: Arc<Catalog>| view! {
                    <super::queue::CounterDesk session=session.clone() station=station.clone() plan=plan.clone() catalog />
                })
            })
        }
        {
            let session = session.clone();
            data_view(app.catalog(), move |catalog: Arc<Catalog>| view! {
                <super::questions_inbox::QuestionInbox session=session.clone() catalog />
            })
        }
        <section class="no-print" aria-labelledby="staff-forms-title">
            <h2 id="staff-forms-title">{tr_desk(|t| t.staff_forms_title)}</h2>
            <p>{tr_desk(|t| t.staff_forms_body)}</p>
            <p><A href=Route::Forms attr:class="button button-secondary">{tr(|t| t.forms_title)}</A></p>
        </section>
        {data_view(app.plan(), move |plan: Arc<crate::domain::schedule::Plan>| {
            data_view(app.catalog(), move |catalog: Arc<Catalog>| view! {
                <super::queue::QueueFigures plan=plan.clone() catalog />
            })
        })}
        {(session.editor || role == StaffRole::Admin).then(|| view! {
            <super::content_desk::ContentDesk session=session.clone() admin=role == StaffRole::Admin />
        })}
        {(role == StaffRole::Admin).then(|| view! {
            <super::staff_admin::Accounts session=session.clone() />
            <super::staff_admin::Terminals session=session.clone() />
        })}
    }
}

fn day_table(
    bookings: Vec<Booking>,
    catalog: Arc<Catalog>,
    found: RwSignal<Option<String>>,
    session: Arc<StaffSession>,
    tick: RwSignal<u32>,
) -> impl IntoView {
    if bookings.is_empty() {
        return Either::Left(view! { <p>{tr_desk(|t| t.staff_empty)}</p> });
    }
    let rows = bookings
        .into_iter()
        .map(|booking| {
            let title = catalog.procedure(&booking.procedure).map(|p| p.title.clone());
            let phone = parse_phone(&booking.phone).map(|p| p.display()).unwrap_or(booking.phone.clone());
            let code = booking.code.clone();
            let highlighted = {
                let code = code.clone();
                move || found.get().as_deref() == Some(code.as_str())
            };
            let mark = |to: &'static str| {
                let (code, session) = (code.clone(), session.clone());
                move |_| {
                    let (code, session) = (code.clone(), session.clone());
                    leptos::task::spawn_local(async move {
                        let _ = change::<Booking>(&session, &format!("/staff/bookings/{code}/{to}"), None::<&()>).await;
                        tick.update(|t| *t += 1);
                    });
                }
            };
            let name = booking.name.clone();
            view! {
                <tr class:found=highlighted>
                    <td>{booking.slot.start.to_string()}</td>
                    <td class="code">{display_code(&code)}</td>
                    <td>{booking.name.clone()}</td>
                    <td>{phone}</td>
                    <td>{title.map(loc)}</td>
                    <td>
                        {tr(status_text(booking.status))}
                        {(booking.status == BookingStatus::Booked).then(|| view! {
                            " "
                            <button type="button" class="button button-small no-print" on:click=mark("arrived")>
                                {tr_desk(|t| t.staff_mark_arrived)}<span class="visually-hidden">": "{name.clone()}</span>
                            </button>
                            " "
                            <button type="button" class="button button-small button-secondary no-print" on:click=mark("no-show")>
                                {tr_desk(|t| t.staff_mark_no_show)}<span class="visually-hidden">": "{name}</span>
                            </button>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <div class="table-scroll">
            <table class="staff-table">
                <thead>
                    <tr>
                        <th scope="col">{tr(|t| t.col_time)}</th>
                        <th scope="col">{tr(|t| t.col_code)}</th>
                        <th scope="col">{tr(|t| t.booking_name)}</th>
                        <th scope="col">{tr(|t| t.col_phone)}</th>
                        <th scope="col">{tr(|t| t.booking_procedure)}</th>
                        <th scope="col">{tr(|t| t.booking_status)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}
