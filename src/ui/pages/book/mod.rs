use std::sync::Arc;

use crate::domain::route::Route;
use crate::ui::router::use_router;
use chrono::{NaiveDate, TimeDelta};
use leptos::either::Either;
use leptos::prelude::*;

use super::use_page_title;
use crate::domain::booking::{
    check_contact, format_slot, BookingError, BookingRequest, ContactField, Credential,
};
use crate::domain::booking_code::display_code;
use crate::domain::catalog::Catalog;
use crate::domain::schedule::{weekday, DayStatus, Plan, SlotKey};
use crate::domain::station_api::{Availability, Health};
use crate::domain::time::format_date_vn;
use crate::platform;
use crate::ui::data_view::{data_view, station_view};
use crate::ui::form::{drawn_messages, ErrorSummary, Problems, TextField};
use crate::ui::text::{loc, tr};
use crate::ui::{booking_service, use_app};

/// Book (or, with `?move=CODE`, move) an appointment: procedure, day, time, details.
#[component]
pub fn BookPage(procedure: Option<String>, moving: Option<String>) -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.book_title);
    let initial_procedure = procedure;
    // The heading stands whether or not the station's service answers.
    let moving_code = moving.as_ref().and_then(|code| {
        app.bookings
            .with_untracked(|b| b.find(code).map(|b| display_code(&b.code)))
    });
    let heading = match moving_code {
        Some(code) => Either::Left(view! {
            <h1>{tr(|t| t.book_move_title)}</h1>
            <p class="lead">{move || (app.t().book_move_intro)(&code)}</p>
        }),
        None => Either::Right(view! {
            <h1>{tr(|t| t.book_title)}</h1>
            <p class="lead">{tr(|t| t.book_intro)}</p>
        }),
    };
    let form = data_view(app.catalog(), move |catalog: Arc<Catalog>| {
        let (initial_procedure, moving) = (initial_procedure.clone(), moving.clone());
        data_view(app.plan(), move |plan: Arc<Plan>| {
            let (catalog, initial_procedure, moving) =
                (catalog.clone(), initial_procedure.clone(), moving.clone());
            station_view(move |health: Option<Health>| {
                view! {
                    <Booker
                        catalog=catalog.clone()
                        plan=plan.clone()
                        health
                        initial_procedure=initial_procedure.clone()
                        moving=moving.clone()
                    />
                }
            })
        })
    });
    view! { {heading} {form} }
}

#[component]
fn Booker(
    catalog: Arc<Catalog>,
    plan: Arc<Plan>,
    /// None while the station's service cannot be reached: asked again when sending.
    health: Option<Health>,
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
    let keep = RwSignal::new(platform::booking_store::kept().keeps_on_device());
    let consent = RwSignal::new(false);
    // One key per distinct request: a resend after a lost answer reuses it (never books twice),
    // a changed request gets a new one.
    let request_key = StoredValue::new((String::new(), String::new()));
    let retention_days = health.as_ref().map_or(
        crate::domain::booking::KEEP_PAST_BOOKINGS_DAYS as u32,
        |h| h.retention_days,
    );
    // Places taken per slot, as the station counts them (counts only, no one's details).
    // Filled by a task, not a `LocalResource` (see `StationCheck`); an answer for a procedure no
    // longer chosen is dropped.
    // `None` while asked (no counts are shown until they are known); `Some(None)` when the
    // station could not say (the days are offered and the station decides when booking).
    let availability = RwSignal::new(None::<Option<Availability>>);
    let station = StoredValue::new(health.clone());
    let load_availability = move || {
        let (Some(asked), Some(health)) = (procedure.get_untracked(), station.get_value()) else {
            return availability.set(Some(None));
        };
        availability.set(None);
        leptos::task::spawn_local(async move {
            let answer = booking_service(&health).availability(&asked).await.ok();
            if procedure.get_untracked().as_deref() == Some(asked.as_str()) {
                availability.set(Some(answer));
            }
        });
    };
    Effect::new(move |_| {
        procedure.track();
        load_availability();
    });
    let taken = move |key: &SlotKey| {
        availability.with(|a| {
            a.as_ref()
                .and_then(Option::as_ref)
                .map_or(0, |a| a.taken(key))
        })
    };
    // The last attempt's problems, untranslated; the messages shown are made from them in the
    // language of the moment, so switching the language translates them too.
    let problems: Problems<Problem> = RwSignal::new(Vec::new());
    let errors = drawn_messages(problems, Problem::message);
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
            if availability.with(Option::is_none) {
                return Either::Left(view! { <p>{tr(|t| t.loading)}</p> });
            }
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
                            .slots(&counter, date, now, taken)
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
            if availability.with(Option::is_none) {
                return None;
            }
            // Slots inside the notice period or past are never offered, not even greyed out.
            let slots: Vec<_> = plan
                .slots(&counter, date, now, taken)
                .into_iter()
                .filter(|s| s.bookable)
                .collect();
            let any_free = slots.iter().any(|s| s.free() > 0);
            let buttons = slots
                .into_iter()
                .map(|info| {
                    let (plan, counter) = (plan.clone(), counter.clone());
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
                                        nearest.set(plan.nearest_free(&counter, &key, now, taken, 3));
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

    // The last attempt's problems, untranslated; the messages shown are made from them in the
    // language of the moment, so switching the language translates them too.

    let report = move |error: BookingError| {
        let field_id = match &error {
            BookingError::NameMissing | BookingError::NameInvalid => "book-name",
            BookingError::PhoneInvalid => "book-phone",
            _ => "book-time-title",
        };
        if let BookingError::SlotFull {
            nearest: alternatives,
        } = &error
        {
            nearest.set(alternatives.clone());
            load_availability();
        }
        problems.set(vec![(field_id, Problem::Refused(error))]);
    };

    let submit = {
        let moving_code = moving_booking.as_ref().map(|b| b.code.clone());
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let Some(chosen) = slot.get_untracked() else {
                return;
            };
            if moving_code.is_none() {
                let mut found: Vec<(&'static str, Problem)> =
                    check_contact(&name.get_untracked(), &phone.get_untracked())
                        .into_iter()
                        .map(|(field, problem)| {
                            let field_id = match field {
                                ContactField::Name => "book-name",
                                ContactField::Phone => "book-phone",
                            };
                            (field_id, Problem::Refused(problem))
                        })
                        .collect();
                if !consent.get_untracked() {
                    found.push(("book-consent", Problem::ConsentMissing));
                }
                if !found.is_empty() {
                    problems.set(found);
                    return;
                }
            }
            problems.set(Vec::new());
            busy.set(true);
            let (health, moving_code) = (health.clone(), moving_code.clone());
            let procedure_id = procedure.get_untracked().unwrap_or_default();
            leptos::task::spawn_local(async move {
                let health = match health {
                    Some(health) => Some(health),
                    None => platform::station::health().await.ok(),
                };
                let kept = platform::booking_store::kept();
                let result = match health {
                    None => Err(BookingError::Unreachable),
                    Some(health) => {
                        let service = booking_service(&health);
                        match &moving_code {
                            Some(code) => {
                                let credential =
                                    Credential::Token(kept.token(code).unwrap_or_default());
                                service
                                    .reschedule(code, &credential, chosen)
                                    .await
                                    .inspect(|moved| kept.keep(moved.clone(), None))
                            }
                            None => {
                                kept.set_keep_on_device(keep.get_untracked());
                                let request = BookingRequest {
                                    procedure: procedure_id,
                                    slot: chosen,
                                    name: name.get_untracked(),
                                    phone: phone.get_untracked(),
                                };
                                let signature = [
                                    request.procedure.as_str(),
                                    &crate::domain::booking::format_slot(&request.slot),
                                    &request.name,
                                    &request.phone,
                                ]
                                .join("\u{1f}");
                                if request_key.with_value(|(sent, _)| *sent != signature) {
                                    request_key.set_value((
                                        signature,
                                        platform::station::idempotency_key(),
                                    ));
                                }
                                let key = request_key.with_value(|(_, key)| key.clone());
                                service.book(request, &key).await.map(|created| {
                                    kept.keep(created.booking.clone(), Some(created.manage_token));
                                    created.booking
                                })
                            }
                        }
                    }
                };
                busy.set(false);
                app.refresh_bookings();
                match result {
                    Ok(booking) => router.navigate(&Route::BookingSlip(booking.code.clone())),
                    Err(error) => report(error),
                }
            });
        }
    };

    let details = move || {
        slot.get().map(|chosen| {
            let chosen_text = format_slot(&chosen);
            let is_move = moving.is_some();
            // Autofill on a shared terminal would offer one citizen's name and phone to the next.
            let kiosk = app.kiosk.is_some();
            view! {
                <p class="selected-slot"><strong>{move || (app.t().selected_slot)(&chosen_text)}</strong></p>
                {(!is_move).then(|| view! {
                    <h2>{tr(|t| t.book_step_details)}</h2>
                    <TextField id="book-name" label=|t| t.field_name hint=|t| t.field_name_hint value=name errors autocomplete=if kiosk { "off" } else { "name" } />
                    <TextField id="book-phone" label=|t| t.field_phone hint=|t| t.field_phone_hint value=phone errors input_type="tel" autocomplete=if kiosk { "off" } else { "tel" } />
                    <section class="privacy-notice" aria-labelledby="book-privacy-title">
                        <h3 id="book-privacy-title">{tr(|t| t.privacy_title)}</h3>
                        <p id="book-privacy-body">{move || (app.t().privacy_body)(retention_days)}</p>
                    </section>
                    <div class="check-item">
                        {crate::ui::form::field_error(errors, "book-consent")}
                        <input
                            type="checkbox"
                            id="book-consent"
                            aria-describedby="book-privacy-body"
                            aria-invalid=move || errors.with(|e| e.iter().any(|m| m.field_id == "book-consent")).to_string()
                            prop:checked=move || consent.get()
                            on:change=move |e| consent.set(event_target_checked(&e))
                        />
                        <label for="book-consent">{tr(|t| t.field_consent)}</label>
                    </div>
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

    view! {
        <form class="booking-form" novalidate on:submit=submit>
            <ErrorSummary errors />
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

/// Why a booking attempt did not go through, kept untranslated until drawn.
#[derive(Clone)]
enum Problem {
    Refused(BookingError),
    ConsentMissing,
}

impl Problem {
    fn message(&self, lang: crate::domain::text::Lang) -> String {
        match self {
            Problem::Refused(error) => error.message(lang),
            Problem::ConsentMissing => crate::i18n::messages(lang).consent_missing.to_owned(),
        }
    }
}
