//! The station's booking service over HTTP (`/api/v1`, crates/server/src/API.md): the one way a
//! booking is made, seen, moved or cancelled, and the staff's login and day list. Answers are
//! the domain's shared types (`domain::station_api`); failures come back typed.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::domain::booking::{
    Booking, BookingError, BookingRequest, BookingService, BoxFuture, Credential,
};
use crate::domain::json;
use crate::domain::schedule::SlotKey;
use crate::domain::station_api::{
    ApiError, Availability, Created, Health, MoveTo, NewBooking, API_PREFIX, CONSENT_VERSION,
    IDEMPOTENCY_HEADER, MANAGE_PHONE_HEADER, MANAGE_TOKEN_HEADER,
};

/// Why a request to the station's service failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No answer: offline, or the network dropped.
    Unreachable,
    /// The request's body could not be written as JSON: nothing was sent.
    NotSent,
    /// The address answers but is not a station service (the app served as plain files).
    NoService,
    /// The service refused, with its reason.
    Refused { status: u16, error: ApiError },
}

impl Failure {
    /// The booking error a citizen is shown for this failure.
    pub fn booking_error(&self) -> BookingError {
        match self {
            Failure::Refused { error, .. } => {
                error.booking_error().unwrap_or(BookingError::Unreachable)
            }
            Failure::NotSent => {
                BookingError::DeviceStorage(crate::domain::booking::DeviceStorageError::Unwritable)
            }
            _ => BookingError::Unreachable,
        }
    }

    /// Whether the service refused with this word (`error` in its answer).
    pub fn refused_as(&self, word: &str) -> bool {
        matches!(self, Failure::Refused { error, .. } if error.error == word)
    }

    /// The service's own sentence, in the language asked, when it gave one.
    pub fn message(&self, lang: crate::domain::text::Lang) -> Option<String> {
        match self {
            Failure::Refused { error, .. } => Some(match lang {
                crate::domain::text::Lang::Vi => error.message_vi.clone(),
                crate::domain::text::Lang::En => error.message_en.clone(),
            }),
            _ => None,
        }
    }
}

/// One request to the API. `path` is below /api/v1; `headers` are added to the JSON ones.
pub async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&impl Serialize>,
) -> Result<T, Failure> {
    // Serialized here and sent by one non-generic function: each body type would otherwise
    // carry its own copy of the whole request (measured: ~2 KB of wasm per type).
    let json = match body {
        Some(body) => Some(
            crate::domain::booking::written(json::to_string(body)).map_err(|_| Failure::NotSent)?,
        ),
        None => None,
    };
    let text = send(method, path, headers, json).await?;
    json::from_str(&text).map_err(|_| Failure::NoService)
}

/// Like `call`, keeping a refusal's body for the caller to read what the shared error shape
/// does not carry (the content desk's `problems`).
pub async fn call_keeping_refusal<T: DeserializeOwned>(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&impl Serialize>,
) -> Result<T, (Failure, String)> {
    let json = match body {
        Some(body) => Some(
            crate::domain::booking::written(json::to_string(body))
                .map_err(|_| (Failure::NotSent, String::new()))?,
        ),
        None => None,
    };
    let text = send_keeping_body(method, path, headers, json).await?;
    json::from_str(&text).map_err(|_| (Failure::NoService, String::new()))
}

/// Like `call`, for answers without a body (204).
pub async fn call_empty(method: &str, path: &str, headers: &[(&str, &str)]) -> Result<(), Failure> {
    send(method, path, headers, None).await.map(|_| ())
}

async fn send(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    json: Option<String>,
) -> Result<String, Failure> {
    send_keeping_body(method, path, headers, json)
        .await
        .map_err(|(failure, _)| failure)
}

async fn send_keeping_body(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    json: Option<String>,
) -> Result<String, (Failure, String)> {
    let lost = |failure| (failure, String::new());
    let window = web_sys::window().ok_or(lost(Failure::Unreachable))?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let request_headers = web_sys::Headers::new().map_err(|_| lost(Failure::Unreachable))?;
    let _ = request_headers.set("Accept", "application/json");
    if let Some(json) = json {
        let _ = request_headers.set("Content-Type", "application/json");
        init.set_body(&wasm_bindgen::JsValue::from_str(&json));
    }
    for (name, value) in headers {
        let _ = request_headers.set(name, value);
    }
    init.set_headers(&request_headers);
    let url = format!("{API_PREFIX}{path}");
    let request = web_sys::Request::new_with_str_and_init(&url, &init)
        .map_err(|_| lost(Failure::Unreachable))?;
    let answer = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| lost(Failure::Unreachable))?;
    let response: web_sys::Response = answer.dyn_into().map_err(|_| lost(Failure::Unreachable))?;
    let is_json = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .is_some_and(|t| t.starts_with("application/json"));
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if response.ok() {
        return if is_json || text.is_empty() {
            Ok(text)
        } else {
            Err(lost(Failure::NoService))
        };
    }
    // A static host answers 404 (or the app's page) for /api: no service here.
    let failure = match json::from_str::<ApiError>(&text) {
        Ok(error) if is_json => Failure::Refused { status, error },
        _ if status == 503 || status == 502 || status == 504 => Failure::Unreachable,
        _ => Failure::NoService,
    };
    Err((failure, text))
}

/// Whether a station service answers at this address, and which station it is.
pub async fn health() -> Result<Health, Failure> {
    call::<Health>("GET", "/health", &[], None::<&()>).await
}

/// A random key for one booking request, so a retry on flaky Wi-Fi never books twice.
pub fn idempotency_key() -> String {
    super::random::random_numbers::<4>()
        .iter()
        .map(|n| format!("{n:08x}"))
        .collect()
}

/// The booking from an answer, or the booking error to show.
pub fn booking_result(result: Result<Booking, Failure>) -> Result<Booking, BookingError> {
    result.map_err(|f| f.booking_error())
}

/// The booking service of the station at this address.
pub struct StationService {
    /// The station's id, as the service's health check told.
    pub station: String,
}

fn credential_header(credential: &Credential) -> (&'static str, &str) {
    match credential {
        Credential::Token(token) => (MANAGE_TOKEN_HEADER, token.as_str()),
        Credential::Phone(phone) => (MANAGE_PHONE_HEADER, phone.as_str()),
    }
}

impl StationService {
    fn path(&self, rest: &str) -> String {
        format!("/stations/{}{rest}", self.station)
    }
}

impl BookingService for StationService {
    fn availability(&self, procedure: &str) -> BoxFuture<'_, Result<Availability, BookingError>> {
        let path = self.path(&format!("/availability?procedure={procedure}"));
        Box::pin(async move {
            call("GET", &path, &[], None::<&()>)
                .await
                .map_err(|f| f.booking_error())
        })
    }

    fn book(
        &self,
        request: BookingRequest,
        idempotency_key: &str,
    ) -> BoxFuture<'_, Result<Created, BookingError>> {
        let path = self.path("/bookings");
        let body = NewBooking {
            procedure: request.procedure,
            slot: request.slot,
            name: request.name,
            phone: request.phone,
            consent_version: CONSENT_VERSION.to_owned(),
        };
        let key = idempotency_key.to_owned();
        Box::pin(async move {
            call("POST", &path, &[(IDEMPOTENCY_HEADER, &key)], Some(&body))
                .await
                .map_err(|f| f.booking_error())
        })
    }

    fn fetch(
        &self,
        code: &str,
        credential: &Credential,
    ) -> BoxFuture<'_, Result<Booking, BookingError>> {
        let path = self.path(&format!("/bookings/{code}"));
        let credential = credential.clone();
        Box::pin(async move {
            booking_result(call("GET", &path, &[credential_header(&credential)], None::<&()>).await)
        })
    }

    fn reschedule(
        &self,
        code: &str,
        credential: &Credential,
        slot: SlotKey,
    ) -> BoxFuture<'_, Result<Booking, BookingError>> {
        let path = self.path(&format!("/bookings/{code}/move"));
        let credential = credential.clone();
        Box::pin(async move {
            booking_result(
                call(
                    "POST",
                    &path,
                    &[credential_header(&credential)],
                    Some(&MoveTo { slot }),
                )
                .await,
            )
        })
    }

    fn cancel(
        &self,
        code: &str,
        credential: &Credential,
    ) -> BoxFuture<'_, Result<Booking, BookingError>> {
        let path = self.path(&format!("/bookings/{code}/cancel"));
        let credential = credential.clone();
        Box::pin(async move {
            booking_result(
                call(
                    "POST",
                    &path,
                    &[credential_header(&credential)],
                    None::<&()>,
                )
                .await,
            )
        })
    }
}
