use std::sync::Arc;

use crate::domain::route::Route;
use crate::ui::router::A;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

use super::use_page_title;
use crate::domain::booking::{ics, Booking, BookingError, BookingStatus, Credential};
use crate::domain::booking_code::display_code;
use crate::domain::booking_code::parse_code;
use crate::domain::catalog::Catalog;
use crate::domain::qr::{encode_short, qr_svg};
use crate::domain::schedule::Plan;
use crate::domain::station_api::Health;
use crate::domain::time::format_date_vn;
use crate::i18n::Messages;
use crate::i18n::Words;
use crate::platform;
use crate::platform::booking_store::StoreNotice;
use crate::ui::data_view::{data_view, station_view};
use crate::ui::form::{drawn_messages, ErrorSummary, Problems, TextField};
use crate::ui::text::{loc, tr};
use crate::ui::{booking_service, use_app};

pub(crate) fn status_text(status: BookingStatus) -> fn(&Messages) -> &'static str {
    match status {
        BookingStatus::Booked => |t| t.status_booked,
        BookingStatus::Arrived => |t| t.status_arrived,
        BookingStatus::NoShow => |t| t.status_no_show,
        BookingStatus::Cancelled => |t| t.status_cancelled,
    }
}

/// A plain notice about stored bookings (set aside, full, unavailable), shown once.
#[component]
pub fn StoreNoticeView() -> impl IntoView {
    let notice = platform::booking_store::kept().take_notice();
    notice.map(|notice| {
        let text: fn(&Messages) -> &'static str = match notice {
            StoreNotice::SetAside => |t| t.notice_set_aside,
            StoreNotice::NewerVersion => |t| t.notice_newer,
            StoreNotice::Full => |t| t.notice_full,
            StoreNotice::Unavailable => |t| t.notice_unavailable,
            StoreNotice::Unwritable => |t| t.notice_unwritable,
        };
        view! { <p class="notice notice-warning" role="status">{tr(text)}</p> }
    })
}

#[component]
pub fn MyBookingsPage() -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.my_bookings_title);
    let cancelled = RwSignal::new(false);
    view! {
        <h1>{tr(|t| t.my_bookings_title)}</h1>
        <p class="lead">{tr(|t| t.my_bookings_note)}</p>
        <StoreNoticeView />
        {move || cancelled.get().then(|| view! {
            <p class="notice notice-info" role="status">{tr(|t| t.cancelled_done)}</p>
        })}
        {data_view(app.catalog(), move |catalog: Arc<Catalog>| {
            move || {
                let mut active: Vec<Booking> =
                    app.bookings.with(|b| b.bookings.iter().filter(|b| b.status != BookingStatus::Cancelled).cloned().collect());
                crate::domain::small_sort::sort_by(&mut active, |a, b| a.slot.cmp(&b.slot));
                if active.is_empty() {
                    return Either::Left(view! { <p>{tr(|t| t.my_bookings_empty)}</p> });
                }
                let items = active
                    .into_iter()
                    .map(|booking| view! { <li><BookingCard booking catalog=catalog.clone() cancelled /></li> })
                    .collect_view();
                Either::Right(view! { <ul class="plain-list booking-list">{items}</ul> })
            }
        })}
        <p><A href=Route::Book { procedure: None, moving: None } attr:class="button">{tr(|t| t.book_new)}</A></p>
        {station_view(|health: Option<Health>| health.map(|health| view! { <FindBooking health /> }))}
    }
}

/// Asks the station for the latest state of this device's bookings (arrived, cancelled, moved by
/// staff), by their tokens.
fn refresh_from_station(health: Health) {
    let app = use_app();
    leptos::task::spawn_local(async move {
        let kept = platform::booking_store::kept();
        let service = booking_service(&health);
        for booking in kept.book().bookings {
            if let Some(token) = kept.token(&booking.code) {
                if let Ok(latest) = service
                    .fetch(&booking.code, &Credential::Token(token))
                    .await
                {
                    kept.keep(latest, None);
                }
            }
        }
        app.refresh_bookings();
    });
}

/// A booking made on another device, found by its code and the phone number given.
#[component]
fn FindBooking(health: Health) -> impl IntoView {
    let app = use_app();
    let router = crate::ui::router::use_router();
    refresh_from_station(health.clone());
    let code = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let problems: Problems<BookingError> = RwSignal::new(Vec::new());
    let errors = drawn_messages(problems, BookingError::message);
    let find = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Ok(parsed) = parse_code(&code.get_untracked()) else {
            problems.set(vec![("find-code", BookingError::UnknownCode)]);
            return;
        };
        let (health, number) = (health.clone(), phone.get_untracked());
        leptos::task::spawn_local(async move {
            match booking_service(&health)
                .fetch(&parsed, &Credential::Phone(number))
                .await
            {
                Ok(booking) => {
                    problems.set(Vec::new());
                    let code = booking.code.clone();
                    // Memory only unless the citizen agreed to keep bookings here.
                    platform::booking_store::kept().keep(booking, None);
                    app.refresh_bookings();
                    router.navigate(&Route::BookingSlip(code.clone()));
                }
                Err(error) => {
                    let field = if error == BookingError::NotYours {
                        "find-phone"
                    } else {
                        "find-code"
                    };
                    problems.set(vec![(field, error)]);
                }
            }
        });
    };
    view! {
        <section aria-labelledby="find-title">
            <h2 id="find-title">{tr(|t| t.find_title)}</h2>
            <form novalidate on:submit=find>
                <ErrorSummary errors />
                <TextField id="find-code" label=|t| t.find_code hint=|t| t.find_code_hint value=code errors />
                <TextField id="find-phone" label=|t| t.find_phone hint=|t| t.field_phone_hint value=phone errors input_type="tel" />
                <p><button type="submit" class="button button-secondary">{tr(|t| t.find_button)}</button></p>
            </form>
        </section>
    }
}

#[component]
fn BookingCard(
    booking: Booking,
    catalog: Arc<Catalog>,
    cancelled: RwSignal<bool>,
) -> impl IntoView {
    let app = use_app();
    let confirming = RwSignal::new(false);
    let title = catalog
        .procedure(&booking.procedure)
        .map(|p| p.title.clone());
    let code = booking.code.clone();
    let when = crate::domain::booking::format_slot(&booking.slot);
    let can_change = booking.status == BookingStatus::Booked;
    let cancel_failed = RwSignal::new(None::<BookingError>);
    let cancel = {
        let code = code.clone();
        move |_| {
            let code = code.clone();
            leptos::task::spawn_local(async move {
                let kept = platform::booking_store::kept();
                let result = match platform::api_client::health().await {
                    Ok(health) => {
                        let credential = Credential::Token(kept.token(&code).unwrap_or_default());
                        booking_service(&health).cancel(&code, &credential).await
                    }
                    Err(_) => Err(BookingError::Unreachable),
                };
                match result {
                    Ok(booking) => {
                        kept.keep(booking, None);
                        cancelled.set(true);
                    }
                    Err(error) => cancel_failed.set(Some(error)),
                }
                app.refresh_bookings();
            });
        }
    };
    view! {
        <article class="booking-card">
            <h2>{title.map(loc)}</h2>
            <p><strong>{when}</strong>" · "{tr(|t| t.booking_code_label)}": "<span class="code">{display_code(&code)}</span>
               " · "{tr(status_text(booking.status))}</p>
            <p class="actions">
                <A href=Route::BookingSlip(code.clone()) attr:class="button button-secondary">{tr(|t| t.view_slip)}</A>
                {can_change.then(|| view! {
                    <A href=Route::Book { procedure: None, moving: Some(code.clone()) } attr:class="button button-secondary">{tr(|t| t.move_booking)}</A>
                    <button type="button" class="button button-secondary" on:click=move |_| confirming.set(true)>
                        {tr(|t| t.cancel_booking)}
                    </button>
                })}
            </p>
            <Show when=move || confirming.get()>
                <div class="notice notice-warning" role="alertdialog" aria-labelledby=format!("confirm-{}", booking.code)>
                    <p id=format!("confirm-{}", booking.code)>{tr(|t| t.cancel_confirm)}</p>
                    <button type="button" class="button button-danger" on:click=cancel.clone()>{tr(|t| t.cancel_yes)}</button>
                    " "
                    <button type="button" class="button button-secondary" on:click=move |_| confirming.set(false)>{tr(|t| t.cancel_no)}</button>
                </div>
            </Show>
            {move || cancel_failed.get().map(|error| view! {
                <p class="notice notice-error" role="alert">{move || error.message(app.lang.get())}</p>
            })}
        </article>
    }
}

/// The confirmation and printable slip: code, QR, time, place, what to bring, calendar file.
#[component]
pub fn BookingSlipPage(code: String) -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.booking_slip_title);
    {
        data_view(app.catalog(), move |catalog: Arc<Catalog>| {
            let code = code.clone();
            data_view(app.plan(), move |plan: Arc<Plan>| {
                let catalog = catalog.clone();
                let code = code.clone();
                move || match app.bookings.with(|b| b.find(&code).cloned()) {
                    Some(booking) => Either::Left(
                        view! { <Slip booking catalog=catalog.clone() plan=plan.clone() /> },
                    ),
                    None => Either::Right(view! {
                        <h1>{tr(|t| t.booking_slip_title)}</h1>
                        <p>{tr(|t| t.booking_not_found)}</p>
                        <p><A href=Route::Bookings attr:class="button">{tr(|t| t.my_bookings_title)}</A></p>
                    }),
                }
            })
        })
    }
}

#[component]
fn Slip(booking: Booking, catalog: Arc<Catalog>, plan: Arc<Plan>) -> impl IntoView {
    let app = use_app();
    let narrow = RwSignal::new(false);
    let download_failed = RwSignal::new(false);
    let procedure = catalog.procedure(&booking.procedure).cloned();
    let counter = plan.counter(&booking.slot.counter).map(|c| c.name.clone());
    let code = booking.code.clone();
    let shown_code = display_code(&code);
    // A booking code is seven of QR's alphanumeric characters: the smallest code holds it.
    let qr = encode_short(&code)
        .map(|modules| {
            qr_svg(
                &modules,
                &format!("{} {}", app.t().booking_qr_label, shown_code),
            )
        })
        .unwrap_or_default();
    let date = format_date_vn(booking.slot.date);
    let time = format!(
        "{}–{}",
        booking.slot.start,
        crate::domain::booking::slot_end(booking.slot.start, plan.slot_minutes)
    );
    let just_booked = booking.status == BookingStatus::Booked;
    let slot_minutes = plan.slot_minutes;

    // The papers for the citizen's own answers if they went through the checklist, else every
    // paper the procedure may need.
    let bring = procedure.clone().map(|procedure| {
        let answers = app.checklists.with_untracked(|all| all.get(&procedure.id).map(|p| p.answers.clone()).unwrap_or_default());
        let (own_case, names): (bool, Vec<crate::domain::text::Localized>) = match procedure.checklist(&catalog, &answers) {
            Some(list) => (true, list.documents.iter().map(|d| d.document.name.clone()).collect()),
            None => {
                let mut seen = Vec::new();
                for entry in &procedure.documents {
                    if !seen.contains(&entry.document) {
                        seen.push(entry.document.clone());
                    }
                }
                (false, seen.iter().filter_map(|id| catalog.documents.get(id).map(|d| d.name.clone())).collect())
            }
        };
        let id = procedure.id.clone();
        view! {
            <h2>{tr(|t| t.booking_bring)}</h2>
            {(!own_case).then(|| view! { <p>{tr(|t| t.booking_bring_any)}</p> })}
            <ul>{names.into_iter().map(|n| view! { <li>{loc(n)}</li> }).collect_view()}</ul>
            {(!own_case).then(|| view! { <p class="no-print"><A href=Route::Procedure(id.clone())>{tr(|t| t.booking_bring_link)}</A></p> })}
        }
    });

    let download_ics = {
        let (booking, procedure) = (booking.clone(), procedure.clone());
        move |_| {
            let lang = app.lang.get_untracked();
            let title = procedure
                .as_ref()
                .map(|p| p.title.get(lang).to_owned())
                .unwrap_or_default();
            let location = match app.station.get_untracked() {
                Some(Ok(station)) => {
                    format!("{}, {}", station.name.get(lang), station.address.get(lang))
                }
                _ => String::new(),
            };
            let file = ics(
                &booking,
                &title,
                &location,
                slot_minutes,
                platform::clock::utc_now(),
            );
            download_failed.set(
                platform::download::download_text(
                    &format!("lich-hen-{}.ics", booking.code),
                    "text/calendar",
                    &file,
                )
                .is_err(),
            );
        }
    };
    let print = move |receipt: bool| {
        narrow.set(receipt);
        // The class must be on the page before the dialog opens; print() blocks until it closes.
        request_animation_frame(move || {
            platform::print::print_page();
            narrow.set(false);
        });
    };

    let station = move || match app.station.get() {
        Some(Ok(station)) => {
            let lang = app.lang.get();
            Some(format!(
                "{}, {}",
                station.name.get(lang),
                station.address.get(lang)
            ))
        }
        _ => None,
    };

    view! {
        <div class="slip" class:slip-narrow=move || narrow.get()>
            {if just_booked {
                EitherOf3::A(view! { <h1>{tr(|t| t.booking_done_title)}</h1> })
            } else if booking.status == BookingStatus::Cancelled {
                EitherOf3::B(view! { <h1>{tr(|t| t.booking_slip_title)}" · "{tr(|t| t.status_cancelled)}</h1> })
            } else {
                EitherOf3::C(view! { <h1>{tr(|t| t.booking_slip_title)}</h1> })
            }}
            <div class="slip-code">
                <p class="code-label">{tr(|t| t.booking_code_label)}</p>
                <p class="code code-large">{shown_code}</p>
                <p class="hint">{tr(|t| t.booking_code_hint)}</p>
                <div class="qr" inner_html=qr></div>
            </div>
            <dl class="facts">
                <dt>{tr(|t| t.booking_procedure)}</dt>
                <dd>{procedure.map(|p| loc(p.title))}</dd>
                <dt>{tr(|t| t.booking_when)}</dt>
                <dd><strong>{move || format!("{} {}", app.t().weekday(crate::domain::schedule::weekday(booking.slot.date)), date)}", "{time}</strong></dd>
                <dt>{tr(|t| t.booking_where)}</dt>
                <dd>{station}{counter.map(|c| view! { " – " {loc(c)} })}</dd>
                <dt>{tr(|t| t.booking_name)}</dt>
                <dd>{booking.name.clone()}</dd>
                <dt>{tr(|t| t.booking_status)}</dt>
                <dd>{tr(status_text(booking.status))}</dd>
            </dl>
            {bring}
            <div class="actions no-print">
                // A kiosk prints only (no file left in the terminal's Downloads).
                {app.kiosk.is_none().then(|| view! {
                    <button type="button" class="button" on:click=download_ics.clone()>{tr(|t| t.booking_ics)}</button>
                })}
                <button type="button" class="button button-secondary" on:click=move |_| print(false)>{tr(|t| t.booking_print_a4)}</button>
                <button type="button" class="button button-secondary" on:click=move |_| print(true)>{tr(|t| t.booking_print_narrow)}</button>
            </div>
            {move || download_failed.get().then(|| view! {
                <p class="notice notice-warning" role="alert">{tr(|t| t.booking_ics_failed)}</p>
            })}
            <p class="no-print"><A href=Route::Bookings>{tr(|t| t.my_bookings_title)}</A></p>
        </div>
    }
}
