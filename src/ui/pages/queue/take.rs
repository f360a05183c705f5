//! "Take a number" at the terminal: the procedure, grouped by counter; a priority box; the
//! ticket shown and printed on the terminal's slip with its QR code. No name, no phone. The
//! kiosk's idle wipe takes the ticket off the screen with everything else.

use std::sync::Arc;

use leptos::prelude::*;

use super::TicketCard;
use crate::domain::catalog::Catalog;
use crate::domain::queue::{counter_signs, QueueRules, TakeNumber, TicketTaken};
use crate::domain::schedule::Plan;
use crate::domain::station_api::Health;
use crate::i18n::queue_messages;
use crate::platform;
use crate::platform::api_client::{call, Failure};
use crate::ui::data_view::{data_view, station_view};
use crate::ui::pages::use_queue_title;
use crate::ui::text::{loc, tr_queue};
use crate::ui::use_app;

#[component]
pub fn TakeNumberPage() -> impl IntoView {
    use_queue_title(|t| t.take_title);
    let app = use_app();
    view! {
        <h1>{tr_queue(|t| t.take_title)}</h1>
        {station_view(move |health: Option<Health>| match health {
            Some(health) => view! {
                {data_view(app.plan(), move |plan: Arc<Plan>| {
                    let station = health.station.clone();
                    data_view(app.catalog(), move |catalog: Arc<Catalog>| {
                        view! { <Take station=station.clone() plan=plan.clone() catalog /> }
                    })
                })}
            }.into_any(),
            None => view! {
                <p class="notice notice-error" role="alert">{tr_queue(|t| t.unreachable)}</p>
            }.into_any(),
        })}
    }
}

#[component]
fn Take(station: String, plan: Arc<Plan>, catalog: Arc<Catalog>) -> impl IntoView {
    let app = use_app();
    let priority = RwSignal::new(false);
    let taken = RwSignal::new(None::<(TicketTaken, Option<crate::domain::text::Localized>)>);
    let failed = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    // The groups the police's code of conduct names are always shown; a station's own list
    // (schedule.json's queue.priority_groups), when it has one, follows them.
    let rules = RwSignal::new(None::<QueueRules>);
    {
        let path = format!("/stations/{station}/queue/settings");
        leptos::task::spawn_local(async move {
            rules.set(
                call::<QueueRules>("GET", &path, &[], None::<&()>)
                    .await
                    .ok(),
            );
        });
    }
    let priority_groups = move || {
        let groups = rules.with(|r| {
            r.as_ref()
                .map(|r| r.priority_groups.clone())
                .unwrap_or_default()
        });
        (!groups.is_empty()).then(|| view! {
            <p class="hint">{tr_queue(|t| t.take_priority_station)}</p>
            <ul id="queue-priority-groups">{groups.into_iter().map(|g| view! { <li>{loc(g)}</li> }).collect_view()}</ul>
        })
    };
    let groups = move || {
        let signs = counter_signs(&plan.counters);
        plan
        .counters
        .iter()
        .zip(signs)
        .map(|(counter, sign)| {
            let buttons = counter
                .procedures
                .iter()
                .map(|id| {
                    let title = catalog.procedure(id).map(|p| p.title.clone());
                    let (id, station, shown) = (id.clone(), station.clone(), title.clone());
                    let take = move |_| {
                        if busy.get_untracked() {
                            return;
                        }
                        busy.set(true);
                        let body = TakeNumber { procedure: id.clone(), priority: priority.get_untracked() };
                        let (station, title) = (station.clone(), title.clone());
                        leptos::task::spawn_local(async move {
                            let answer = call::<TicketTaken>("POST", &format!("/stations/{station}/queue/tickets"), &[], Some(&body)).await;
                            busy.set(false);
                            match answer {
                                Ok(ticket) => {
                                    failed.set(None);
                                    taken.set(Some((ticket, title)));
                                }
                                Err(failure) => failed.set(Some(failure)),
                            }
                        });
                    };
                    let label = move || {
                        let name = shown.clone().map(|t| t.get(app.lang.get()).to_owned()).unwrap_or_default();
                        (queue_messages(app.lang.get()).take_button)(&name)
                    };
                    view! { <li><button type="button" class="button button-large queue-take" disabled=move || busy.get() on:click=take>{label}</button></li> }
                })
                .collect_view();
            let name = counter.name.clone();
            view! {
                <section class="queue-group">
                    <h2>{move || (queue_messages(app.lang.get()).take_counter)(sign.number, name.get(app.lang.get()))}</h2>
                    <ul class="queue-procedures">{buttons}</ul>
                </section>
            }
        })
        .collect_view()
    };
    let print = move |_| {
        app.printed.set(true);
        platform::print::print_page();
    };
    move || {
        match taken.get() {
        Some((ticket, procedure)) => view! {
            <div class="slip-narrow" role="status">
                <TicketCard ticket=ticket.ticket token=ticket.token procedure />
            </div>
            <p class="no-print">
                <button type="button" class="button button-large" on:click=print>{tr_queue(|t| t.print)}</button>" "
                <button type="button" class="button button-secondary" on:click=move |_| taken.set(None)>{tr_queue(|t| t.take_another)}</button>
            </p>
        }
        .into_any(),
        None => view! {
            <p class="lead">{tr_queue(|t| t.take_intro)}</p>
            {move || failed.get().map(|failure| view! {
                <p class="notice notice-error" role="alert">{move || match failure.message(app.lang.get()) {
                    Some(said) => said,
                    None => queue_messages(app.lang.get()).unreachable.to_owned(),
                }}</p>
            })}
            <div class="check-item queue-priority-choice">
                <input type="checkbox" id="queue-priority" prop:checked=move || priority.get() on:change=move |e| priority.set(event_target_checked(&e)) aria-describedby="queue-priority-basis queue-priority-hint" />
                <label for="queue-priority">{tr_queue(|t| t.take_priority)}</label>
                <p class="hint" id="queue-priority-basis">{tr_queue(|t| t.take_priority_basis)}</p>
                <p class="hint" id="queue-priority-hint">{tr_queue(|t| t.take_priority_hint)}</p>
                {priority_groups}
            </div>
            {groups.clone()}
        }
        .into_any(),
    }
    }
}
