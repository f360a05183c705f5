use std::sync::Arc;

use crate::ui::router::{query_param, use_router};
use chrono::{NaiveDate, TimeDelta};
use leptos::either::Either;
use leptos::prelude::*;

use super::use_page_title;
use crate::domain::booking::{
    check_contact, format_slot, BookingError, BookingRequest, ContactField,
};
use crate::domain::booking_code::display_code;
use crate::domain::catalog::Catalog;
use crate::domain::schedule::{weekday, DayStatus, Plan, SlotKey};
use crate::domain::time::format_date_vn;
use crate::platform;
use crate::ui::data_view::data_view;
use crate::ui::form::{ErrorSummary, FieldMessage, TextField};
use crate::ui::text::{loc, tr};
use crate::ui::{booking_service, use_app};

/// Book (or, with `?move=CODE`, move) an appointment: procedure, day, time, details.
#[component]
pub fn BookPage() -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.book_title);
    let query = use_router().query.get_untracked();
    let initial_procedure = query_param(&query, "procedure");
    let moving = query_param(&query, "move");
    data_view(app.catalog, move |catalog: Catalog| {
        let (initial_procedure, moving) = (initial_procedure.clone(), moving.clone());
        data_view(app.plan(), move |plan: Plan| {
            view! {
                <Booker
                    catalog=Arc::new(catalog.clone())
                    plan=Arc::new(plan)
                    initial_procedure=initial_procedure.clone()
                    moving=moving.clone()
                />
            }
        })
    })
}

#[component]
fn Booker(
    catalog: Arc<Catalog>,
    plan: Arc<Plan>,
    initial_procedure: Option<String>,
    moving: Option<String>,
) -> impl IntoView {
    let app = use_app();
    let router = use_router();
    // A moved booking keeps its procedure.
    let moving_booking = moving
        .as_ref()
        .and_then(|code| app.bookings.with_untracked(|b| b.find(code).cloned()));
    let procedure = RwSignal::new(
        moving_booking
            .as_ref()
            .map(|b| b.procedure.clone())
            .or(initial_procedure),
    );
    let day = RwSignal::new(None::<NaiveDate>);
    let slot = RwSignal::new(None::<SlotKey>);
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let keep = RwSignal::new(platform::booking_store::local_service().keeps_on_device());
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    let nearest = RwSignal::new(Vec::<SlotKey>::new());
    let busy = RwSignal::new(false);
    // Read once: the lists below are for this visit to the page.
    let now = platform::clock::office_now();

    let bookable: Vec<(String, crate::domain::text::Localized)> = catalog
        .procedures
        .iter()
        .filter(|p| p.bookable && plan.counter_for(&p.id).is_some())
        .map(|p| (p.id.clone(), p.title.clone()))
        .collect();
    let counter = {
        let plan = plan.clone();
        move || {
            procedure
                .get()
                .and_then(|id| plan.counter_for(&id).cloned())
        }
    };

    let procedure_step = (moving_booking.is_none()).then(|| {
        let options = bookable
            .into_iter()
            .map(|(id, title)| {
                let input_id = format!("book-procedure-{id}");
                let value = id.clone();
                view! {
                    <div class="radio">
                        <input
                            type="radio"
                            name="book-procedure"
                            id=input_id.clone()
                            prop:checked=move || procedure.get().as_deref() == Some(id.as_str())
                            on:change=move |_| {
                                procedure.set(Some(value.clone()));
                                day.set(None);
                                slot.set(None);
                            }
                        />
                        <label for=input_id>{loc(title)}</label>
                    </div>
                }
            })
            .collect_view();
        view! {
            <fieldset class="question">
                <legend>{tr(|t| t.book_step_procedure)}</legend>
                {options}
            </fieldset>
        }
    });

    let days = {
        let (plan, counter) = (plan.clone(), counter.clone());
        move || {
            let Some(counter) = counter() else {
                return Either::Left(view! { <p>{tr(|t| t.book_no_procedure)}</p> });
            };
            let taken = app.bookings.get();
            let mut items = Vec::new();
            let mut date = now.date();
            while date <= plan.last_bookable_day(now) {
                let label = format!(
                    "{} {}",
                    app.t().weekday(weekday(date)),
                    format_date_vn(date)
                );
                let status = match plan.day_status(date) {
                    DayStatus::Holiday(holiday) => Err(holiday.name.get(app.lang.get()).to_owned()),
                    DayStatus::Closed(closure) => Err(format!(
                        "{}: {}",
                        app.t().day_closed,
                        closure.reason.get(app.lang.get())
                    )),
                    DayStatus::NoReception => Err(app.t().day_no_reception.to_owned()),
                    DayStatus::Open(_) => {
                        let free: u32 = plan
                            .slots(&counter, date, now, |k| taken.taken(k))
                            .iter()
                            .filter(|s| s.bookable)
                            .map(|s| s.free())
                            .sum();
                        if free > 0 {
                            Ok(free)
                        } else {
                            Err(app.t().day_full.to_owned())
                        }
                    }
                };
                items.push(match status {
                    Ok(free) => Either::Left(view! {
                        <li>
                            <button
                                type="button"
                                class="choice"
                                aria-pressed=move || (day.get() == Some(date)).to_string()
                                on:click=move |_| {
                                    day.set(Some(date));
                                    slot.set(None);
                                    nearest.set(Vec::new());
                                }
                            >
                                <span class="choice-main">{label}</span>
                                <span class="choice-detail">{(app.t().day_free)(free)}</span>
                            </button>
                        </li>
                    }),
                    Err(reason) => Either::Right(view! {
                        <li class="choice-unavailable">
                            <span class="choice-main">{label}</span>
                            <span class="choice-detail">{reason}</span>
                        </li>
                    }),
                });
                date += TimeDelta::days(1);
            }
            Either::Right(view! { <ul class="plain-list choice-grid">{items}</ul> })
        }
    };

    let times = {
        let (plan, counter) = (plan.clone(), counter.clone());
        move || {
            let (Some(counter), Some(date)) = (counter(), day.get()) else {
                return None;
            };
            let taken = app.bookings.get();
            // Slots inside the notice period or past are never offered, not even greyed out.
            let slots: Vec<_> = plan
                .slots(&counter, date, now, |k| taken.taken(k))
                .into_iter()
                .filter(|s| s.bookable)
                .collect();
            let any_free = slots.iter().any(|s| s.free() > 0);
            let buttons = slots
                .into_iter()
                .map(|info| {
                    let (plan, counter, taken) = (plan.clone(), counter.clone(), taken.clone());
                    let key = SlotKey { counter: counter.id.clone(), date, start: info.start };
                    let text = format!("{}–{}", info.start, info.end);
                    let free = info.free();
                    let selected = key.clone();
                    view! {
                        <li>
                            <button
                                type="button"
                                class="choice"
                                class:choice-full=free == 0
                                aria-pressed=move || (slot.get().as_ref() == Some(&selected)).to_string()
                                on:click=move |_| {
                                    if free == 0 {
                                        // A full time says so and offers the nearest free ones.
                                        slot.set(None);
                                        nearest.set(plan.nearest_free(&counter, &key, now, |k| taken.taken(k), 3));
                                        request_animation_frame(|| crate::ui::form::focus_element("nearest-title"));
                                    } else {
                                        nearest.set(Vec::new());
                                        slot.set(Some(key.clone()));
                                    }
                                }
                            >
                                <span class="choice-main">{text}</span>
                                <span class="choice-detail">
                                    {move || if free == 0 { app.t().day_full.to_owned() } else { (app.t().day_free)(free) }}
                                </span>
                            </button>
                        </li>
                    }
                })
                .collect_view();
            Some(view! {
                <section aria-labelledby="book-time-title">
                    <h2 id="book-time-title">{tr(|t| t.book_step_time)}</h2>
                    {(!any_free).then(|| view! { <p class="notice notice-info">{tr(|t| t.time_none)}</p> })}
                    <ul class="plain-list choice-grid">{buttons}</ul>
                </section>
            })
        }
    };

    let nearest_view = move || {
        let list = nearest.get();
        (!list.is_empty()).then(|| {
            let buttons = list
                .into_iter()
                .map(|key| {
                    let text = format_slot(&key);
                    view! {
                        <li>
                            <button type="button" class="choice" on:click=move |_| {
                                day.set(Some(key.date));
                                slot.set(Some(key.clone()));
                                nearest.set(Vec::new());
                            }>
                                <span class="choice-main">{text}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="nearest" aria-labelledby="nearest-title">
                    <h2 id="nearest-title" tabindex="-1">{tr(|t| t.nearest_title)}</h2>
                    <p>{tr(|t| t.slot_full_explained)}</p>
                    <ul class="plain-list choice-grid">{buttons}</ul>
                </section>
            }
        })
    };

    let report = move |error: BookingError| {
        let lang = app.lang.get_untracked();
        let field_id = match &error {
            BookingError::NameMissing => "book-name",
            BookingError::PhoneInvalid => "book-phone",
            _ => "book-time-title",
        };
        if let BookingError::SlotFull {
            nearest: alternatives,
        } = &error
        {
            nearest.set(alternatives.clone());
        }
        errors.set(vec![FieldMessage {
            field_id: field_id.into(),
            message: error.message(lang),
        }]);
    };

    let submit = {
        let plan = plan.clone();
        let moving_code = moving_booking.as_ref().map(|b| b.code.clone());
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let Some(chosen) = slot.get_untracked() else {
                return;
            };
            let lang = app.lang.get_untracked();
            if moving_code.is_none() {
                let problems = check_contact(&name.get_untracked(), &phone.get_untracked());
                if !problems.is_empty() {
                    errors.set(
                        problems
                            .into_iter()
                            .map(|(field, problem)| FieldMessage {
                                field_id: match field {
                                    ContactField::Name => "book-name".into(),
                                    ContactField::Phone => "book-phone".into(),
                                },
                                message: problem.message(lang),
                            })
                            .collect(),
                    );
                    return;
                }
            }
            errors.set(Vec::new());
            busy.set(true);
            let (plan, moving_code) = (plan.clone(), moving_code.clone());
            let procedure_id = procedure.get_untracked().unwrap_or_default();
            leptos::task::spawn_local(async move {
                let now = platform::clock::office_now();
                let service = booking_service();
                let result = match &moving_code {
                    Some(code) => service.reschedule(&plan, code, chosen, now).await,
                    None => {
                        platform::booking_store::local_service()
                            .set_keep_on_device(keep.get_untracked());
                        let request = BookingRequest {
                            procedure: procedure_id,
                            slot: chosen,
                            name: name.get_untracked(),
                            phone: phone.get_untracked(),
                        };
                        service.book(&plan, request, now).await
                    }
                };
                busy.set(false);
                app.refresh_bookings();
                match result {
                    Ok(booking) => router.navigate(&format!("/bookings/{}", booking.code)),
                    Err(error) => report(error),
                }
            });
        }
    };

    let details = move || {
        slot.get().map(|chosen| {
            let chosen_text = format_slot(&chosen);
            let is_move = moving.is_some();
            view! {
                <p class="selected-slot"><strong>{move || (app.t().selected_slot)(&chosen_text)}</strong></p>
                {(!is_move).then(|| view! {
                    <h2>{tr(|t| t.book_step_details)}</h2>
                    <TextField id="book-name" label=|t| t.field_name hint=|t| t.field_name_hint value=name errors=errors.into() autocomplete="name" />
                    <TextField id="book-phone" label=|t| t.field_phone hint=|t| t.field_phone_hint value=phone errors=errors.into() input_type="tel" autocomplete="tel" />
{app.kiosk.is_none().then(|| view! {
                    <div class="check-item">
                        <input
                            type="checkbox"
                            id="book-keep"
                            aria-describedby="book-keep-hint"
                            prop:checked=move || keep.get()
                            on:change=move |e| keep.set(event_target_checked(&e))
                        />
                        <label for="book-keep">
                            {tr(|t| t.field_keep)}
                            <span class="hint" id="book-keep-hint">{tr(|t| t.field_keep_hint)}</span>
                        </label>
                    </div>
})}
                })}
                <p>
                    <button type="submit" class="button" disabled=move || busy.get()>
                        {if is_move { tr(|t| t.move_submit).into_any() } else { tr(|t| t.book_submit).into_any() }}
                    </button>
                </p>
            }
        })
    };

    let heading = match &moving_booking {
        Some(booking) => {
            let code = display_code(&booking.code);
            Either::Left(view! {
                <h1>{tr(|t| t.book_move_title)}</h1>
                <p class="lead">{move || (app.t().book_move_intro)(&code)}</p>
            })
        }
        None => Either::Right(view! {
            <h1>{tr(|t| t.book_title)}</h1>
            <p class="lead">{tr(|t| t.book_intro)}</p>
        }),
    };

    view! {
        {heading}
        <form class="booking-form" novalidate on:submit=submit>
            <ErrorSummary errors=errors.into() />
            {procedure_step}
            <section aria-labelledby="book-day-title">
                <h2 id="book-day-title">{tr(|t| t.book_step_day)}</h2>
                {days}
            </section>
            {times}
            {nearest_view}
            {details}
        </form>
    }
}
