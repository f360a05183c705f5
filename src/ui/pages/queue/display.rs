//! The waiting-room screen (`/display`, a TV in kiosk-mode Chromium): what each counter serves,
//! how many wait, the last calls. Each call chimes and is spoken in Vietnamese ("Mời số A012
//! đến quầy 2") where the screen has a Vietnamese voice; the number flashes either way, and the
//! screen says which of sound and voice it lacks — never silence without a sign. Labels and
//! counter numbers only: nothing about who or what.

use leptos::prelude::*;

use crate::domain::queue::{call_words, Board, EventKind};
use crate::domain::station_api::Health;
use crate::domain::text::Lang;
use crate::i18n::queue_messages;
use crate::platform;
use crate::platform::api_client::call;
use crate::platform::live::Heard;
use crate::ui::data_view::station_view;
use crate::ui::pages::use_queue_title;
use crate::ui::text::tr_queue;
use crate::ui::use_app;

#[component]
pub fn DisplayPage() -> impl IntoView {
    use_queue_title(|t| t.display_title);
    platform::document::mark_display();
    view! {
        {station_view(move |health: Option<Health>| match health {
            Some(health) => view! { <Screen station=health.station /> }.into_any(),
            None => view! {
                <h1>{tr_queue(|t| t.display_title)}</h1>
                <p class="notice notice-error" role="alert">{tr_queue(|t| t.display_not_live)}</p>
            }.into_any(),
        })}
    }
}

#[component]
fn Screen(station: String) -> impl IntoView {
    let app = use_app();
    let board = RwSignal::new(None::<Board>);
    let live = RwSignal::new(true);
    let sound = RwSignal::new(platform::announce::sound_allowed());
    let voice = RwSignal::new(true);
    // The label just called, flashing until the next picture of the board.
    let flashing = RwSignal::new(None::<String>);
    let board_path = format!("/stations/{station}/queue/board");
    let look = move || {
        let path = board_path.clone();
        leptos::task::spawn_local(async move {
            match call::<Board>("GET", &path, &[], None::<&()>).await {
                Ok(fresh) => board.set(Some(fresh)),
                Err(_) => live.set(false),
            }
        });
    };
    look();
    let announce = move |label: String, counter: u8| {
        flashing.set(Some(label.clone()));
        sound.set(platform::announce::chime());
        voice.set(platform::announce::speak(
            &call_words(&label, counter, Lang::Vi),
            "vi",
        ));
    };
    let following = {
        let look = look.clone();
        platform::live::follow(
            &format!("/stations/{station}/queue/events"),
            None,
            move |heard| match heard {
                Heard::Live(now) => live.set(now),
                Heard::LookAgain => look(),
                Heard::Event(event) => {
                    if event.event == EventKind::Called {
                        let counter = board.with_untracked(|b| {
                            b.as_ref().and_then(|b| {
                                b.counters
                                    .iter()
                                    .find(|c| c.sign.id == event.counter)
                                    .map(|c| c.sign.number)
                            })
                        });
                        if let Some(counter) = counter {
                            announce(event.label.clone(), counter);
                        }
                    }
                    look();
                }
            },
        )
    };
    on_cleanup(move || following.stop());
    let words = move || queue_messages(app.lang.get());
    view! {
        <div class="queue-display">
            <h1 class="visually-hidden">{tr_queue(|t| t.display_title)}</h1>
            {move || (!live.get()).then(|| view! { <p class="notice notice-error queue-not-live" role="alert">{tr_queue(|t| t.display_not_live)}</p> })}
            {move || (!sound.get()).then(|| view! {
                <p class="no-print"><button type="button" class="button button-large" on:click=move |_| {
                    sound.set(platform::announce::chime());
                }>{tr_queue(|t| t.display_sound_off)}</button></p>
            })}
            {move || (!voice.get()).then(|| view! { <p class="notice notice-warning" role="status">{tr_queue(|t| t.display_no_voice)}</p> })}
            {move || board.get().map(|board| {
                let last = board.calls.first().map(|c| (c.label.clone(), c.counter));
                view! {
                    {last.map(|(label, counter)| {
                        let flash = flashing.get_untracked().as_deref() == Some(label.as_str());
                        view! {
                            <p class="queue-now" class:queue-flash=flash role="status" aria-live="assertive" data-testid="display-now">
                                <span class="queue-now-label">{label.clone()}</span>
                                <span class="queue-now-counter">{move || (words().counter_of)(counter)}</span>
                            </p>
                        }
                    })}
                    <table class="queue-board">
                        <thead><tr>
                            <th scope="col">{tr_queue(|t| t.display_counter)}</th>
                            <th scope="col">{tr_queue(|t| t.display_serving)}</th>
                            <th scope="col">{tr_queue(|t| t.display_waiting)}</th>
                        </tr></thead>
                        <tbody>
                            {board.counters.into_iter().map(|c| view! {
                                <tr>
                                    <th scope="row">{c.sign.number}</th>
                                    <td class="queue-serving">{c.serving.join(" · ")}</td>
                                    <td>{c.waiting}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <h2>{tr_queue(|t| t.display_calls)}</h2>
                    <ol class="queue-calls">
                        {board.calls.into_iter().map(|c| view! {
                            <li><span class="queue-call-label">{c.label}</span>" → "{move || (words().counter_of)(c.counter)}</li>
                        }).collect_view()}
                    </ol>
                }
            })}
        </div>
    }
}
