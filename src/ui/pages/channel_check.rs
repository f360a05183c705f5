//! "Is this really the police?": a citizen types a number, a link or a page's name and hears
//! whether it is one of the station's channels (`domain::channels`). On the data already loaded:
//! nothing typed is sent anywhere, and it works offline.

use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::channels::{check_channel, Official, Verdict};
use crate::domain::station::{ChannelKind, Station, EMERGENCY_NUMBER};
use crate::ui::text::{loc, tr};
use crate::ui::use_app;

/// The checker, under a heading of level `2`; `id` keeps its labels unique on the page.
#[component]
pub fn ChannelChecker(station: Arc<Station>, id: &'static str) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    // What was checked last: the verdict stays until the citizen checks again.
    let checked = RwSignal::new(None::<String>);
    let (input_id, input_for) = (format!("{id}-input"), format!("{id}-input"));
    let (hint_id, hint_for) = (format!("{id}-hint"), format!("{id}-hint"));
    let (heading_id, heading_for) = (format!("{id}-title"), format!("{id}-title"));
    let check = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        checked.set(Some(typed.get_untracked()));
    };
    let verdict = move || {
        let text = checked.get()?;
        Some(verdict_view(&station, &text))
    };
    view! {
        <section class="channel-check" aria-labelledby=heading_for>
            <h2 id=heading_id>{tr(|t| t.checker_title)}</h2>
            <form novalidate on:submit=check>
                <label for=input_for>{tr(|t| t.checker_label)}</label>
                <p class="hint" id=hint_id>{tr(|t| t.checker_hint)}</p>
                <div class="checker-row">
                    <input
                        id=input_id
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby=hint_for
                        prop:value=move || typed.get()
                        on:input=move |event| typed.set(event_target_value(&event))
                    />
                    <button type="submit" class="button">{tr(|t| t.checker_button)}</button>
                </div>
            </form>
            <div class="checker-verdict" aria-live="polite">{verdict}</div>
        </section>
    }
}

fn verdict_view(station: &Station, typed: &str) -> AnyView {
    match check_channel(station, typed) {
        Verdict::Empty => view! {
            <p class="notice notice-info">{tr(|t| t.checker_empty)}</p>
        }
        .into_any(),
        Verdict::Ours(official) => view! {
            <div class="notice notice-success verdict-ours">
                <p><strong>{tr(|t| t.checker_ours)}</strong></p>
                {official_view(official)}
                <p>{tr(|t| t.checker_ours_next)}</p>
            </div>
        }
        .into_any(),
        Verdict::Emergency => view! {
            <div class="notice notice-success verdict-ours">
                <p><strong>{tr(|t| t.checker_emergency)}</strong></p>
            </div>
        }
        .into_any(),
        Verdict::NotOurs { resembles } => view! {
            <div class="notice notice-error verdict-not-ours">
                <p><strong>{tr(|t| t.checker_not_ours)}</strong></p>
                <p>{tr(|t| t.checker_not_ours_why)}</p>
                {resembles.map(|official| view! {
                    <p>{tr(|t| t.checker_resembles)}</p>
                    {official_view(official)}
                })}
                <p>{tr(|t| t.checker_next)}" "{EMERGENCY_NUMBER}" · "{station.phone.clone()}</p>
            </div>
        }
        .into_any(),
    }
}

fn official_view(official: Official<'_>) -> impl IntoView {
    let app = use_app();
    let kind = official.kind;
    let kind = move || channel_kind_name(kind, app.t());
    let name = official.name().cloned();
    let recognise = official
        .channel
        .and_then(|channel| channel.recognise.clone());
    view! {
        <p class="verdict-channel">
            <span class="channel-kind">{kind}</span>" "
            {name.map(|name| view! { <span class="channel-name">{loc(name)}</span>" " })}
            <span class="channel-address">{official.address.to_owned()}</span>
        </p>
        {recognise.map(|recognise| view! { <p class="channel-recognise">{loc(recognise)}</p> })}
    }
}

/// A channel's kind as citizens know it: the networks by their own names.
pub fn channel_kind_name(kind: ChannelKind, t: &crate::i18n::Messages) -> &'static str {
    match kind {
        ChannelKind::Zalo => "Zalo",
        ChannelKind::Facebook => "Facebook",
        ChannelKind::Website => t.channel_website,
        ChannelKind::Hotline => t.channel_hotline,
        ChannelKind::Email => t.contact_email,
    }
}
