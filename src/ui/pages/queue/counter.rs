//! The counter's part of the staff desk: the officer chooses their counter, calls the next
//! citizen (due appointments and priority first — the server decides, by the domain's order),
//! calls again, starts, finishes, marks "did not come" after the station's number of calls,
//! sends a ticket to another counter, and gives numbers; the queue below updates live.

use std::sync::Arc;

use leptos::prelude::*;

use super::clock;
use crate::domain::catalog::Catalog;
use crate::domain::queue::{
    CallNext, Desk, Kind, TakeNumber, Ticket, TicketStatus, TicketTaken, TransferTo,
};
use crate::domain::schedule::Plan;
use crate::domain::station_api::StaffSession;
use crate::i18n::queue_messages;
use crate::platform;
use crate::platform::api_client::{call, Failure};
use crate::platform::live::Heard;
use crate::ui::pages::staff::{change, failure_text};
use crate::ui::text::{loc, tr, tr_queue};
use crate::ui::use_app;

#[component]
pub fn CounterDesk(
    session: StaffSession,
    station: String,
    plan: Arc<Plan>,
    catalog: Arc<Catalog>,
) -> impl IntoView {
    let app = use_app();
    let desk = RwSignal::new(None::<Desk>);
    let chosen = RwSignal::new(
        plan.counters
            .first()
            .map(|c| c.id.clone())
            .unwrap_or_default(),
    );
    let said = RwSignal::new(None::<Failure>);
    let given = RwSignal::new(None::<String>);
    let look = move || {
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = call::<Desk>("GET", "/staff/queue", &[], None::<&()>).await {
                desk.set(Some(fresh));
            }
        });
    };
    look();
    let following = platform::live::follow(
        &format!("/stations/{station}/queue/events"),
        None,
        move |heard| {
            if !matches!(heard, Heard::Live(_)) {
                look();
            }
        },
    );
    on_cleanup(move || following.stop());
    let session = Arc::new(session);
    // Sends one change and shows the queue afresh, or says why not.
    let act = {
        let session = session.clone();
        move |path: String, body: Option<Body>| {
            let session = session.clone();
            leptos::task::spawn_local(async move {
                match change::<Ticket>(&session, &path, body.as_ref()).await {
                    Ok(_) => said.set(None),
                    Err(failure) => said.set(Some(failure)),
                }
                look();
            });
        }
    };
    let me = session.username.clone();
    let mine = Memo::new(move |_| {
        desk.with(|d| {
            d.as_ref().and_then(|d| {
                d.tickets
                    .iter()
                    .find(|t| {
                        t.officer.as_deref() == Some(me.as_str())
                            && matches!(t.status, TicketStatus::Called | TicketStatus::Serving)
                    })
                    .cloned()
            })
        })
    });
    let call_next = {
        let act = act.clone();
        move |_| {
            act(
                "/staff/queue/call-next".into(),
                Some(Body::Call(CallNext {
                    counter: chosen.get_untracked(),
                })),
            )
        }
    };
    let counters = plan.counters.clone();
    let signs = crate::domain::queue::counter_signs(&plan.counters);
    let counter_options = {
        let (counters, signs) = (counters.clone(), signs.clone());
        move || {
            counters.iter().zip(&signs).map(|(c, s)| {
            let (id, name, number) = (c.id.clone(), c.name.clone(), s.number);
            view! { <option value=id.clone() selected=move || chosen.get() == id>{move || format!("{} – {}", (queue_messages(app.lang.get()).counter_of)(number), name.get(app.lang.get()))}</option> }
        }).collect_view()
        }
    };
    let current = {
        let (act, counters) = (act.clone(), counters.clone());
        move || {
            mine.get().map(|ticket: Ticket| {
            let id = ticket.id;
            let step = |name: &'static str| {
                let act = act.clone();
                move |_| act(format!("/staff/queue/tickets/{id}/{name}"), None)
            };
            let target = RwSignal::new(String::new());
            let send = {
                let act = act.clone();
                move |_| {
                    let to = target.get_untracked();
                    if !to.is_empty() {
                        act(format!("/staff/queue/tickets/{id}/transfer"), Some(Body::Transfer(TransferTo { counter: to })));
                    }
                }
            };
            let others = counters.iter().filter(|c| c.id != ticket.counter).map(|c| {
                let (id, name) = (c.id.clone(), c.name.clone());
                view! { <option value=id>{loc(name)}</option> }
            }).collect_view();
            let (label, calls, called) = (ticket.label.clone(), ticket.calls, ticket.status == TicketStatus::Called);
            view! {
                <p class="queue-current" data-testid="counter-current">{move || (queue_messages(app.lang.get()).current)(&label, calls)}</p>
                <p class="actions">
                    {called.then(|| view! { <button type="button" class="button" on:click=step("start")>{tr_queue(|t| t.start)}</button> })}
                    <button type="button" class="button" on:click=step("done")>{tr_queue(|t| t.done)}</button>
                    {called.then(|| view! {
                        <button type="button" class="button button-secondary" on:click=step("again")>{tr_queue(|t| t.call_again)}</button>
                        <button type="button" class="button button-secondary" on:click=step("no-show")>{tr_queue(|t| t.no_show)}</button>
                    })}
                </p>
                <div class="inline-field">
                    <label for="queue-transfer">{tr_queue(|t| t.transfer_to)}</label>
                    <select id="queue-transfer" on:change=move |e| target.set(event_target_value(&e))>
                        <option value="">"—"</option>
                        {others}
                    </select>
                    <button type="button" class="button button-secondary" on:click=send>{tr_queue(|t| t.transfer)}</button>
                </div>
            }
        })
        }
    };
    let waiting = {
        let catalog = catalog.clone();
        move || {
            let counter = chosen.get();
            let tickets: Vec<Ticket> = desk.with(|d| {
                d.as_ref()
                    .map(|d| {
                        d.tickets
                            .iter()
                            .filter(|t| t.counter == counter && t.status == TicketStatus::Waiting)
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default()
            });
            let count = tickets.len();
            let rows = tickets.into_iter().map(|t| {
                let title = catalog.procedure(&t.procedure).map(|p| p.title.clone());
                let kind = match t.kind {
                    Kind::Appointment { start } => clock(start).into_any(),
                    Kind::WalkIn => tr_queue(|w| w.walk_in).into_any(),
                };
                let taken = crate::domain::time::office_datetime(t.taken_ms).map(|at| {
                    use chrono::Timelike;
                    clock(u16::try_from(at.hour() * 60 + at.minute()).unwrap_or(0))
                }).unwrap_or_default();
                view! {
                    <tr>
                        <td class="code">{t.label}</td>
                        <td>{kind}{t.priority.then(|| view! { " · " {tr_queue(|w| w.priority_mark)} })}</td>
                        <td>{title.map(loc)}</td>
                        <td>{taken}</td>
                    </tr>
                }
            }).collect_view();
            view! {
                <h3>{move || (queue_messages(app.lang.get()).waiting_title)(count)}</h3>
                {if count == 0 {
                    view! { <p>{tr_queue(|t| t.nobody_waiting)}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll"><table class="staff-table">
                            <thead><tr>
                                <th scope="col">{tr_queue(|t| t.col_number)}</th>
                                <th scope="col">{tr_queue(|t| t.col_kind)}</th>
                                <th scope="col">{tr(|t| t.booking_procedure)}</th>
                                <th scope="col">{tr_queue(|t| t.col_taken)}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table></div>
                    }.into_any()
                }}
            }
        }
    };
    // Giving a number at the desk: a procedure of the chosen counter, priority if the officer says.
    let give_procedure = RwSignal::new(String::new());
    let give_priority = RwSignal::new(false);
    let give = {
        let session = session.clone();
        move |_| {
            let procedure = give_procedure.get_untracked();
            if procedure.is_empty() {
                return;
            }
            let body = TakeNumber {
                procedure,
                priority: give_priority.get_untracked(),
            };
            let session = session.clone();
            leptos::task::spawn_local(async move {
                match change::<TicketTaken>(&session, "/staff/queue/tickets", Some(&body)).await {
                    Ok(taken) => {
                        said.set(None);
                        given.set(Some(taken.ticket.label));
                    }
                    Err(failure) => said.set(Some(failure)),
                }
                look();
            });
        }
    };
    let procedure_options = {
        let plan = plan.clone();
        move || {
            let counter = chosen.get();
            plan.counters
                .iter()
                .filter(|c| c.id == counter)
                .flat_map(|c| c.procedures.clone())
                .map(|id| {
                    let title = catalog.procedure(&id).map(|p| p.title.clone());
                    view! { <option value=id.clone()>{title.map(loc)}</option> }
                })
                .collect_view()
        }
    };
    view! {
        <section class="no-print queue-counter-desk" aria-labelledby="queue-counter-title">
            <h2 id="queue-counter-title">{tr_queue(|t| t.counter_title)}</h2>
            <p class="hint">{tr_queue(|t| t.queue_live)}</p>
            <div class="inline-field">
                <label for="queue-counter">{tr_queue(|t| t.counter_choose)}</label>
                <select id="queue-counter" on:change=move |e| chosen.set(event_target_value(&e))>{counter_options}</select>
            </div>
            {move || said.get().map(|failure| view! { <p class="notice notice-error" role="alert">{move || failure_text(&failure, app.lang.get())}</p> })}
            {current}
            {move || mine.get().is_none().then(|| view! {
                <p><button type="button" class="button button-large" on:click=call_next.clone()>{tr_queue(|t| t.call_next)}</button></p>
            })}
            {waiting}
            <h3>{tr_queue(|t| t.give_number)}</h3>
            {move || given.get().map(|label| view! { <p class="notice notice-success" role="status">{move || (queue_messages(app.lang.get()).given)(&label)}</p> })}
            <div class="inline-field">
                <label for="queue-give">{tr(|t| t.booking_procedure)}</label>
                <select id="queue-give" on:change=move |e| give_procedure.set(event_target_value(&e))>
                    <option value="">"—"</option>
                    {procedure_options}
                </select>
            </div>
            <div class="check-item">
                <input type="checkbox" id="queue-give-priority" on:change=move |e| give_priority.set(event_target_checked(&e)) />
                <label for="queue-give-priority">{tr_queue(|t| t.priority_mark)}</label>
            </div>
            <p><button type="button" class="button button-secondary" on:click=give>{tr_queue(|t| t.give_number)}</button></p>
        </section>
    }
}

/// What a change sends: one type, so the request is written by one copy of the code.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Body {
    Call(CallNext),
    Transfer(TransferTo),
}
