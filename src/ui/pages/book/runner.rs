//! Runs what the booking flow (`domain::booking_flow`) asks for — the station's counts, the
//! sending, the slip — and gives the outcomes back to it.

use leptos::prelude::*;

use crate::domain::booking::{BookingError, Credential};
use crate::domain::booking_flow::{BookingFlow, Command, Field, Sending};
use crate::domain::route::Route;
use crate::domain::station_api::Health;
use crate::platform;
use crate::ui::booking_service;
use crate::ui::context::AppContext;
use crate::ui::router::RouterContext;

/// The element a problem is shown beside.
pub(super) fn field_id(field: Field) -> &'static str {
    match field {
        Field::Name => "book-name",
        Field::Phone => "book-phone",
        Field::Consent => "book-consent",
        Field::Time => "book-time-title",
    }
}

/// The page's handles on the flow: every change goes through `act`, and the commands it
/// returns are run here, their outcomes fed back into the flow.
#[derive(Clone, Copy)]
pub(super) struct Runner {
    pub(super) flow: RwSignal<BookingFlow>,
    /// None while the station's service could not be reached: asked again when sending.
    pub(super) station: StoredValue<Option<Health>>,
    pub(super) app: AppContext,
    pub(super) router: RouterContext,
}

impl Runner {
    pub(super) fn act(self, change: impl FnOnce(&mut BookingFlow) -> Option<Command>) {
        if let Some(Some(command)) = self.flow.try_update(change) {
            self.run(command);
        }
    }

    pub(super) fn run(self, command: Command) {
        let flow = self.flow;
        match command {
            Command::AskCounts(procedure) => {
                let Some(health) = self.station.get_value() else {
                    return flow.update(|f| f.counts_answered(&procedure, None));
                };
                leptos::task::spawn_local(async move {
                    let answer = booking_service(&health).availability(&procedure).await.ok();
                    flow.update(|f| f.counts_answered(&procedure, answer));
                });
            }
            Command::ShowNearest => {
                request_animation_frame(|| crate::ui::form::focus_element("nearest-title"))
            }
            Command::OpenSlip(code) => self.router.navigate(&Route::BookingSlip(code)),
            Command::Send(sending) => {
                let (station, app) = (self.station, self.app);
                leptos::task::spawn_local(async move {
                    let outcome = send(station, sending).await;
                    app.refresh_bookings();
                    self.act(|f| f.answered(outcome));
                });
            }
        }
    }
}

/// Reaches the station (asking again if it was unreachable when the page opened) and sends;
/// the booking's code, or why not.
async fn send(
    station: StoredValue<Option<Health>>,
    sending: Sending,
) -> Result<String, BookingError> {
    let health = match station.get_value() {
        Some(health) => health,
        None => platform::api_client::health()
            .await
            .map_err(|_| BookingError::Unreachable)?,
    };
    let service = booking_service(&health);
    let kept = platform::booking_store::kept();
    match sending {
        Sending::Book { request, key, keep } => {
            kept.set_keep_on_device(keep);
            let created = service.book(request, &key).await?;
            let code = created.booking.code.clone();
            kept.keep(created.booking, Some(created.manage_token));
            Ok(code)
        }
        Sending::Move { code, slot } => {
            let credential = Credential::Token(kept.token(&code).unwrap_or_default());
            let moved = service.reschedule(&code, &credential, slot).await?;
            kept.keep(moved.clone(), None);
            Ok(moved.code)
        }
    }
}
