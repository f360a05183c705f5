//! The one queue's pages, in the station bundle: "Take a number" at the terminal, the ticket
//! (printed on the terminal's slip and followed on the citizen's phone), the waiting-room
//! screen, and the counter's part of the staff desk. The queue itself is the station server's
//! (crates/server/src/queue.rs); these pages ask it and listen to its live events.

mod counter;
mod display;
mod figures;
mod take;
mod ticket;

pub use counter::CounterDesk;
pub use display::DisplayPage;
pub use figures::QueueFigures;
pub use take::TakeNumberPage;
pub use ticket::TicketPage;

use leptos::prelude::*;

use crate::domain::queue::TicketView;
use crate::domain::station::ClockTime;
use crate::domain::text::Localized;
use crate::i18n::queue_messages;
use crate::platform;
use crate::ui::text::{loc, tr_queue};
use crate::ui::use_app;

/// A slot's start, "08:30".
fn clock(minutes: u16) -> String {
    ClockTime(minutes).to_string()
}

/// The ticket as its citizen sees it: the number large, the counter, the place and the wait,
/// the station's rule for appointments, and (on paper) the QR code that opens it on a phone.
#[component]
pub(crate) fn TicketCard(
    ticket: TicketView,
    #[prop(optional)] token: Option<String>,
    #[prop(optional_no_strip)] procedure: Option<Localized>,
    /// Checked in after the appointment's time: the station's rule is said.
    #[prop(optional)]
    late: bool,
) -> impl IntoView {
    let app = use_app();
    let words = move || queue_messages(app.lang.get());
    let qr = token.map(|token| {
        let address = format!("{}/q/{token}", platform::document::origin());
        crate::domain::qr::encode(address.as_bytes(), crate::domain::qr::EcLevel::L)
            .map(|modules| {
                crate::domain::qr::qr_svg(
                    &modules,
                    queue_messages(app.lang.get_untracked()).qr_label,
                )
            })
            .unwrap_or_default()
    });
    let TicketView {
        label,
        counter,
        priority,
        appointment,
        ahead,
        wait_minutes,
        late_after_minutes,
        ..
    } = ticket;
    view! {
        <div class="queue-ticket">
            <p class="queue-ticket-heading">{tr_queue(|t| t.your_number)}</p>
            <p class="queue-label" data-testid="ticket-label">{label}</p>
            {priority.then(|| view! { <p class="queue-priority">{tr_queue(|t| t.priority_mark)}</p> })}
            <p class="queue-counter">{move || (words().counter_of)(counter.number)}{procedure.map(|p| view! { " – " {loc(p)} })}</p>
            {ahead.map(|n| view! { <p data-testid="ticket-ahead">{move || (words().ahead)(n)}</p> })}
            {wait_minutes.map(|m| view! { <p>{move || (words().wait)(m)}</p> })}
            {appointment.map(|start| view! { <p>{move || (words().appointment)(&clock(start))}</p> })}
            {late.then(|| view! { <p class="hint">{move || (words().late_rule)(late_after_minutes)}</p> })}
            {qr.map(|qr| view! {
                <div class="qr" inner_html=qr></div>
                <p class="hint">{tr_queue(|t| t.scan)}</p>
            })}
        </div>
    }
}
