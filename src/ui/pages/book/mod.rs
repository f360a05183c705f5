use std::sync::Arc;

use leptos::either::Either;
use leptos::prelude::*;

mod runner;

use super::use_page_title;
use crate::domain::booking::format_slot;
use crate::domain::booking_code::display_code;
use crate::domain::booking_flow::{BookingFlow, DayOffer, Details, Purpose};
use crate::domain::catalog::Catalog;
use crate::domain::schedule::{Plan, SlotKey};
use crate::domain::station_api::Health;
use crate::domain::time::format_date_vn;
use crate::i18n::Words;
use crate::platform;
use crate::ui::data_view::{data_view, station_view};
use crate::ui::form::{ErrorSummary, FieldMessage, TextField};
use crate::ui::router::use_router;
use crate::ui::text::{loc, tr};
use crate::ui::use_app;
use runner::{field_id, Runner};

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
    // A moved booking keeps its procedure.
    let moving_booking = moving
        .as_ref()
        .and_then(|code| app.bookings.with_untracked(|b| b.find(code).cloned()));
    let purpose = moving_booking
        .as_ref()
        .map_or(Purpose::New, |b| Purpose::Move {
            code: b.code.clone(),
        });
    let (start, ask) = BookingFlow::new(
        purpose,
        moving_booking.map(|b| b.procedure).or(initial_procedure),
    );
    let flow = RwSignal::new(start);
    let runner = Runner {
        flow,
        station: StoredValue::new(health.clone()),
        app,
        router: use_router(),
    };
    if let Some(ask) = ask {
        runner.run(ask);
    }
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let keep = RwSignal::new(platform::booking_store::kept().keeps_on_device());
    let consent = RwSignal::new(false);
    let retention_days = health.as_ref().map_or(
        crate::domain::booking::KEEP_PAST_BOOKINGS_DAYS as u32,
        |h| h.retention_days,
    );
    // The last report of problems, worded in the language of the moment; only a new report
    // (or a language switch) redraws them and moves the focus.
    let problems_version = Memo::new(move |_| flow.with(|f| f.problems_version));
    let errors = Signal::derive(move || {
        let lang = app.lang.get();
        // Read, not only tracked: a memo never read never runs, so never hears of a change.
        let _ = problems_version.get();
        flow.with_untracked(|f| {
            f.problems
                .iter()
                .map(|(field, problem)| FieldMessage {
                    field_id: field_id(*field).into(),
                    message: problem.message(lang),
                })
                .collect::<Vec<_>>()
        })
    });
    // Read once: the lists below are for this visit to the page. They redraw on small memos
    // (the flow's `lists_version`, the chosen day), so a change elsewhere in the flow does not
    // redraw them (and lose the focus on their buttons).
    let now = platform::clock::office_now();
    // The procedure and the station's counts for it: what the day and time lists are drawn from.
    let lists = Memo::new(move |_| flow.with(|f| f.lists_version));
    let chosen_procedure = Memo::new(move |_| flow.with(|f| f.procedure.clone()));
    let chosen_day = Memo::new(move |_| flow.with(|f| f.day));
    let chosen_slot = Memo::new(move |_| flow.with(|f| f.slot.clone()));
    let nearest = Memo::new(move |_| flow.with(|f| f.nearest.clone()));
    let busy = Memo::new(move |_| flow.with(|f| f.sending));

    let procedure_step = (!flow.with_untracked(BookingFlow::is_move)).then(|| {
        let options = catalog
            .procedures
            .iter()
            .filter(|p| p.bookable && plan.counter_for(&p.id).is_some())
            .map(|p| {
                let (id, title) = (p.id.clone(), p.title.clone());
                let input_id = format!("book-procedure-{id}");
                let value = id.clone();
                view! {
                    <div class="radio">
                        <input
                            type="radio"
                            name="book-procedure"
                            id=input_id.clone()
                            prop:checked=move || chosen_procedure.with(|chosen| chosen.as_deref() == Some(id.as_str()))
                            on:change=move |_| runner.act(|f| Some(f.choose_procedure(value.clone())))
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
        let plan = plan.clone();
        move || {
            let _ = lists.get();
            if flow.with_untracked(|f| f.counter(&plan).is_none()) {
                return Either::Left(view! { <p>{tr(|t| t.book_no_procedure)}</p> });
            }
            if flow.with_untracked(|f| f.asking()) {
                return Either::Left(view! { <p>{tr(|t| t.loading)}</p> });
            }
            let lang = app.lang.get();
            let items = flow
            .with_untracked(|f| f.days(&plan, now))
            .into_iter()
            .map(|choice| {
                let date = choice.date;
                let label = format!("{} {}", app.t().weekday(choice.weekday), format_date_vn(date));
                // A part-day closure beside the day's places: "Closed 13:30–17:00: training".
                let closed_hours = choice.closed_hours.map(|(hours, reason)| {
                    format!(" · {} {hours}: {}", app.t().day_closed, reason.get(lang))
                });
                let reason = match choice.offer {
                    DayOffer::Free(free) => {
                        return Either::Left(view! {
                            <li>
                                <button
                                    type="button"
                                    class="choice"
                                    aria-pressed=move || (chosen_day.get() == Some(date)).to_string()
                                    on:click=move |_| runner.act(|f| { f.choose_day(date); None })
                                >
                                    <span class="choice-main">{label}</span>
                                    <span class="choice-detail">{(app.t().day_free)(free)}{closed_hours.clone()}</span>
                                </button>
                            </li>
                        })
                    }
                    DayOffer::Holiday(name) => name.get(lang).to_owned(),
                    DayOffer::Closed(reason) => format!("{}: {}", app.t().day_closed, reason.get(lang)),
                    DayOffer::NoReception => app.t().day_no_reception.to_owned(),
                    DayOffer::Full => format!("{}{}", app.t().day_full, closed_hours.unwrap_or_default()),
                };
                Either::Right(view! {
                    <li class="choice-unavailable">
                        <span class="choice-main">{label}</span>
                        <span class="choice-detail">{reason}</span>
                    </li>
                })
            })
            .collect_view();
            Either::Right(view! { <ul class="plain-list choice-grid">{items}</ul> })
        }
    };

    let times = {
        let plan = plan.clone();
        move || {
            let _ = lists.get();
            let date = chosen_day.get()?;
            let slots = flow.with_untracked(|f| f.times(&plan, now))?;
            let any_free = slots.iter().any(|s| s.free() > 0);
            let counter = flow.with_untracked(|f| f.counter(&plan).map(|c| c.id.clone()))?;
            let buttons = slots
                .into_iter()
                .map(|info| {
                    let plan = plan.clone();
                    let key = SlotKey { counter: counter.clone(), date, start: info.start };
                    let text = format!("{}–{}", info.start, info.end);
                    let free = info.free();
                    let selected = key.clone();
                    view! {
                        <li>
                            <button
                                type="button"
                                class="choice"
                                class:choice-full=free == 0
                                aria-pressed=move || (chosen_slot.get().as_ref() == Some(&selected)).to_string()
                                on:click=move |_| runner.act(|f| f.choose_time(&plan, now, key.clone()))
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
                            <button type="button" class="choice" on:click=move |_| runner.act(|f| { f.choose_nearest(key.clone()); None })>
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

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let details = Details {
            name: name.get_untracked(),
            phone: phone.get_untracked(),
            consent: consent.get_untracked(),
            keep: keep.get_untracked(),
        };
        runner.act(|f| f.submit(&details, platform::api_client::idempotency_key()));
    };

    let details = move || {
        chosen_slot.get().map(|chosen| {
            let chosen_text = format_slot(&chosen);
            let is_move = flow.with_untracked(BookingFlow::is_move);
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
