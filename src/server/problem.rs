//! Every refusal the station server gives, as one enum: its HTTP status, its word for programs
//! and a plain sentence in Vietnamese and English. Nothing is written when one is returned.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::domain::booking::BookingError;
use crate::domain::station_api::ApiError;
use crate::i18n::Words;

#[derive(Debug)]
pub enum Problem {
    /// A booking rule said no (the same rules as the app's).
    Booking(BookingError),
    BadJson(String),
    TooLarge,
    NotJson,
    BadQuery(String),
    UnknownStation,
    NotFound,
    RateLimited {
        retry_after_secs: u64,
    },
    /// The server is at its limit of work of this kind (password checks): come back shortly.
    Busy {
        retry_after_secs: u64,
    },
    /// Check-in from a device the station has not enrolled as a terminal.
    TerminalNotEnrolled,
    BadTerminalName,
    /// The request took longer than the server allows (a slow client).
    Timeout,
    DailyCap,
    IdempotencyMismatch,
    BadIdempotencyKey,
    Unauthorized,
    Forbidden,
    CrossSite,
    LoginFailed,
    BadUsername,
    WeakPassword,
    PasswordTooLong,
    UsernameTaken,
    NotToday,
    WrongState,
    /// The database failed: logged, and the citizen asked to try again.
    Internal(String),
}

impl Problem {
    fn status(&self) -> StatusCode {
        use Problem::*;
        match self {
            Booking(BookingError::UnknownCode) => StatusCode::NOT_FOUND,
            Booking(BookingError::NotYours) => StatusCode::FORBIDDEN,
            Booking(
                BookingError::SlotFull { .. }
                | BookingError::AlreadyBooked
                | BookingError::Cancelled,
            ) => StatusCode::CONFLICT,
            Booking(BookingError::TooMany) => StatusCode::TOO_MANY_REQUESTS,
            Booking(BookingError::ConsentOutdated) => StatusCode::PRECONDITION_FAILED,
            Booking(_) => StatusCode::UNPROCESSABLE_ENTITY,
            BadJson(_) | BadQuery(_) | BadIdempotencyKey | BadUsername | WeakPassword
            | PasswordTooLong => StatusCode::BAD_REQUEST,
            TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            NotJson => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            UnknownStation | NotFound => StatusCode::NOT_FOUND,
            RateLimited { .. } | DailyCap => StatusCode::TOO_MANY_REQUESTS,
            IdempotencyMismatch | UsernameTaken | WrongState | NotToday => StatusCode::CONFLICT,
            Unauthorized | LoginFailed => StatusCode::UNAUTHORIZED,
            Forbidden | CrossSite | TerminalNotEnrolled => StatusCode::FORBIDDEN,
            BadTerminalName => StatusCode::BAD_REQUEST,
            Internal(_) | Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Timeout => StatusCode::REQUEST_TIMEOUT,
        }
    }

    fn word(&self) -> &'static str {
        use Problem::*;
        match self {
            Booking(error) => error.code(),
            BadJson(_) => "bad_request",
            TooLarge => "too_large",
            NotJson => "not_json",
            BadQuery(_) => "bad_query",
            UnknownStation => "unknown_station",
            NotFound => "not_found",
            RateLimited { .. } => "too_many_requests",
            DailyCap => "daily_cap",
            IdempotencyMismatch => "idempotency_mismatch",
            BadIdempotencyKey => "bad_idempotency_key",
            Unauthorized => "unauthorized",
            Forbidden => "forbidden",
            CrossSite => "cross_site",
            LoginFailed => "login_failed",
            BadUsername => "bad_username",
            WeakPassword => "weak_password",
            PasswordTooLong => "password_too_long",
            UsernameTaken => "username_taken",
            NotToday => "not_today",
            WrongState => "wrong_state",
            Internal(_) => "unavailable",
            Busy { .. } => "busy",
            TerminalNotEnrolled => "terminal_not_enrolled",
            BadTerminalName => "bad_terminal_name",
            Timeout => "timeout",
        }
    }
}

impl From<crate::server::store::StoreError> for Problem {
    fn from(error: crate::server::store::StoreError) -> Self {
        use crate::server::store::StoreError as S;
        match error {
            S::Full => Problem::Booking(BookingError::SlotFull {
                nearest: Vec::new(),
            }),
            S::AlreadyBooked => Problem::Booking(BookingError::AlreadyBooked),
            S::UnknownCode => Problem::Booking(BookingError::UnknownCode),
            S::WrongState(crate::domain::booking::BookingStatus::Cancelled) => {
                Problem::Booking(BookingError::Cancelled)
            }
            S::WrongState(_) => Problem::WrongState,
            S::DailyCap => Problem::DailyCap,
            S::IdempotencyMismatch => Problem::IdempotencyMismatch,
            S::UsernameTaken => Problem::UsernameTaken,
            S::CodeTaken | S::Database(_) => Problem::Internal(error.to_string()),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        if let Problem::Internal(detail) = &self {
            eprintln!("station-server: {detail}");
        }
        let status = self.status();
        let (message_vi, message_en) = self.messages();
        let body = match &self {
            Problem::Booking(error) => ApiError::for_booking(error, |lang| error.message(lang)),
            _ => ApiError {
                error: self.word().to_owned(),
                message_vi,
                message_en,
                nearest: Vec::new(),
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let Problem::RateLimited { retry_after_secs } | Problem::Busy { retry_after_secs } = self
        {
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}
