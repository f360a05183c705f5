//! The ticket on the citizen's phone (`/q/<token>`, the printed ticket's QR code): place in the
//! queue and the wait, then "Your turn: counter 2" with a vibration and a notification where
//! allowed. It listens to the station's live events and asks for its ticket again on each, so
//! a phone that slept catches up when it wakes (the stream resumes by itself); leaving the
//! queue is one button.

use leptos::prelude::*;

use super::TicketCard;
use crate::domain::queue::{TicketStatus, TicketView};
use crate::domain::station_api::Health;
use crate::i18n::queue_messages;
use crate::platform;
use crate::platform::api_client::{call, Failure};
use crate::platform::live::Heard;
use crate::ui::data_view::station_view;
use crate::ui::pages::use_queue_title;
use crate::ui::text::tr_queue;
use crate::ui::use_app;

#[component]
pub fn TicketPage(token: String) -> impl IntoView {
    use_queue_title(|t| t.ticket_title);
    view! {
        <h1>{tr_queue(|t| t.ticket_title)}</h1>
        {station_view(move |health: Option<Health>| match health {
            Some(health) => view! { <Follow station=health.station token=token.clone() /> }.into_any(),
            None => view! { <p class="notice notice-error" role="alert">{tr_queue(|t| t.unreachable)}</p> }.into_any(),
        })}
    }
}

#[component]
fn Follow(station: String, token: String) -> impl IntoView {
    let app = use_app();
    let ticket = RwSignal::new(None::<Result<TicketView, Failure>>);
    let live = RwSignal::new(true);
    let path = format!("/stations/{station}/queue/tickets/{token}");
    let look = {
        let path = path.clone();
        move || {
            let path = path.clone();
            leptos::task::spawn_local(async move {
                let answer = call::<TicketView>("GET", &path, &[], None::<&()>).await;
                // "Your turn" once, when the ticket is first seen called.
                let was_called = ticket.with_untracked(
                    |t| matches!(t, Some(Ok(v)) if v.status == TicketStatus::Called),
                );
                if let Ok(view) = &answer {
                    if view.status == TicketStatus::Called && !was_called {
                        let words = queue_messages(app.lang.get_untracked());
                        platform::announce::vibrate();
                        platform::announce::notify(
                            &view.label,
                            &(words.your_turn)(view.counter.number),
                        );
                    }
                }
                ticket.set(Some(answer));
            });
        }
    };
    look();
    let following = {
        let look = look.clone();
        platform::live::follow(
            &format!("/stations/{station}/queue/events"),
            None,
            move |heard| match heard {
                Heard::Live(now) => live.set(now),
                Heard::LookAgain | Heard::Event(_) => look(),
            },
        )
    };
    on_cleanup(move || following.stop());
    let leave = move |_| {
        let path = format!("{path}/leave");
        leptos::task::spawn_local(async move {
            if let Ok(left) = call::<TicketView>("POST", &path, &[], None::<&()>).await {
                ticket.set(Some(Ok(left)));
            }
        });
    };
    let asked = RwSignal::new(platform::announce::may_notify());
    move || match ticket.get() {
        None => view! { <p class="loading" role="status">{crate::ui::text::tr(|t| t.loading)}</p> }
            .into_any(),
        Some(Err(failure)) => {
            let not_found = failure.refused_as("unknown_ticket");
            view! {
                <p class="notice notice-error" role="alert">{move || if not_found {
                    queue_messages(app.lang.get()).not_found.to_owned()
                } else {
                    failure.message(app.lang.get()).unwrap_or_else(|| queue_messages(app.lang.get()).unreachable.to_owned())
                }}</p>
            }.into_any()
        }
        Some(Ok(view)) => {
            let status = view.status;
            let number = view.counter.number;
            view! {
                {move || (!live.get()).then(|| view! { <p class="notice notice-warning" role="status">{tr_queue(|t| t.reconnecting)}</p> })}
                <div aria-live="assertive">
                    {(status == TicketStatus::Called).then(|| view! {
                        <p class="notice notice-success queue-your-turn" data-testid="your-turn">{move || (queue_messages(app.lang.get()).your_turn)(number)}</p>
                    })}
                    {matches!(status, TicketStatus::Done | TicketStatus::NoShow | TicketStatus::Serving).then(|| view! {
                        <p class="notice">{move || crate::domain::queue::status_words(status, app.lang.get())}</p>
                    })}
                    {(status == TicketStatus::Left).then(|| view! { <p class="notice">{tr_queue(|t| t.left)}</p> })}
                </div>
                <TicketCard ticket=view />
                {(status == TicketStatus::Waiting && !asked.get_untracked()).then(|| view! {
                    <p><button type="button" class="button button-secondary" on:click=move |_| { platform::announce::ask_to_notify(); asked.set(true); }>{tr_queue(|t| t.notify)}</button></p>
                })}
                {matches!(status, TicketStatus::Waiting | TicketStatus::Called).then(|| view! {
                    <p><button type="button" class="button button-secondary" on:click=leave.clone()>{tr_queue(|t| t.leave)}</button></p>
                })}
            }.into_any()
        }
    }
}
