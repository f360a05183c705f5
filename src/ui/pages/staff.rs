use std::sync::Arc;

use chrono::TimeDelta;
use leptos::either::Either;
use leptos::prelude::*;

use super::bookings::status_text;
use super::use_page_title;
use crate::domain::booking::{Booking, BookingStatus};
use crate::domain::booking_code::{display_code, parse_code, CodeError};
use crate::domain::catalog::Catalog;
use crate::domain::phone::parse_phone;
use crate::domain::time::format_date_vn;
use crate::platform;
use crate::ui::data_view::data_view;
use crate::ui::form::{field_error, FieldMessage};
use crate::ui::router::A;
use crate::ui::text::{loc, tr};
use crate::ui::{booking_service, use_app};

/// For staff at the counter: the day's appointments, find one by code, mark arrivals, print.
#[component]
pub fn StaffPage() -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.staff_title);
    let today = platform::clock::office_today();
    let day = RwSignal::new(today);
    let code_input = RwSignal::new(String::new());
    let code_errors = RwSignal::new(Vec::<FieldMessage>::new());
    let found = RwSignal::new(None::<String>);

    let find = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let lang = app.lang.get_untracked();
        let message = |pick: fn(&crate::i18n::Messages) -> &'static str| {
            pick(crate::i18n::messages(lang)).to_owned()
        };
        match parse_code(&code_input.get_untracked()) {
            Ok(code) => match app.bookings.with_untracked(|b| b.find(&code).cloned()) {
                Some(booking) => {
                    code_errors.set(Vec::new());
                    day.set(booking.slot.date);
                    found.set(Some(code));
                }
                None => code_errors.set(vec![FieldMessage {
                    field_id: "staff-code".into(),
                    message: message(|t| t.booking_not_found),
                }]),
            },
            Err(error) => {
                let text = match error {
                    CodeError::WrongLength => message(|t| t.code_wrong_length),
                    CodeError::BadCharacter => message(|t| t.code_bad_character),
                    CodeError::CheckFailed => message(|t| t.code_check_failed),
                };
                found.set(None);
                code_errors.set(vec![FieldMessage {
                    field_id: "staff-code".into(),
                    message: text,
                }]);
            }
        }
    };
    let shift = move |days: i64| {
        day.update(|d| *d += TimeDelta::days(days));
        found.set(None);
    };

    view! {
        <h1>{tr(|t| t.staff_title)}</h1>
        <p class="lead">{tr(|t| t.staff_intro)}</p>
        <form class="staff-find no-print" role="search" on:submit=find>
            <label for="staff-code">{tr(|t| t.staff_find_label)}</label>
            {field_error(code_errors.into(), "staff-code")}
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
                <button type="submit" class="button">{tr(|t| t.staff_find_button)}</button>
            </div>
        </form>
        <div class="day-nav no-print">
            <button type="button" class="button button-secondary" on:click=move |_| shift(-1)>{tr(|t| t.staff_prev_day)}</button>
            <button type="button" class="button button-secondary" on:click=move |_| { day.set(today); found.set(None); }>{tr(|t| t.staff_today)}</button>
            <button type="button" class="button button-secondary" on:click=move |_| shift(1)>{tr(|t| t.staff_next_day)}</button>
        </div>
        <h2 aria-live="polite">{move || format!("{} {}", app.t().weekday(crate::domain::schedule::weekday(day.get())), format_date_vn(day.get()))}</h2>
        {data_view(app.catalog, move |catalog: Catalog| {
            let catalog = Arc::new(catalog);
            move || day_table(app.bookings.with(|b| b.on_day(day.get()).into_iter().cloned().collect()), catalog.clone(), found)
        })}
        <p class="no-print"><button type="button" class="button" on:click=|_| platform::print::print_page()>{tr(|t| t.staff_print)}</button></p>
        <section class="no-print" aria-labelledby="staff-forms-title">
            <h2 id="staff-forms-title">{tr(|t| t.staff_forms_title)}</h2>
            <p>{tr(|t| t.staff_forms_body)}</p>
            <p><A href="/forms" attr:class="button button-secondary">{tr(|t| t.forms_title)}</A></p>
        </section>
    }
}

fn day_table(
    bookings: Vec<Booking>,
    catalog: Arc<Catalog>,
    found: RwSignal<Option<String>>,
) -> impl IntoView {
    let app = use_app();
    if bookings.is_empty() {
        return Either::Left(view! { <p>{tr(|t| t.staff_empty)}</p> });
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
            let arrive = {
                let code = code.clone();
                move |_| {
                    let code = code.clone();
                    leptos::task::spawn_local(async move {
                        let _ = booking_service().mark_arrived(&code).await;
                        app.refresh_bookings();
                    });
                }
            };
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
                            <button type="button" class="button button-small no-print" on:click=arrive>
                                {tr(|t| t.staff_mark_arrived)}<span class="visually-hidden">": "{booking.name.clone()}</span>
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
