//! Every refusal the station server gives, as one enum: its HTTP status, its word for programs
//! and a plain sentence in Vietnamese and English. Nothing is written when one is returned.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use civic_kiosk::i18n::Words;
use domain::booking::BookingError;
use domain::content_desk::ContentError;
use domain::questions::QuestionError;
use domain::queue::QueueError;
use domain::station_api::ApiError;

#[derive(Debug)]
pub enum Problem {
    /// A booking rule said no (the same rules as the app's).
    Booking(BookingError),
    /// A queue rule said no (`domain::queue`).
    Queue(QueueError),
    /// The content desk said no (`domain::content_desk`).
    Content(ContentError),
    /// A question's rules said no (`domain::questions`).
    Question(QuestionError),
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
            Queue(QueueError::UnknownTicket) => StatusCode::NOT_FOUND,
            Queue(QueueError::NotServed | QueueError::UnknownCounter) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Queue(_) => StatusCode::CONFLICT,
            Content(ContentError::Stale { .. }) => StatusCode::PRECONDITION_FAILED,
            Content(ContentError::SameAccount | ContentError::NotEditor) => StatusCode::FORBIDDEN,
            Content(ContentError::DraftClosed(_)) => StatusCode::CONFLICT,
            Content(ContentError::Unknown) => StatusCode::NOT_FOUND,
            Question(QuestionError::UnknownCode) => StatusCode::NOT_FOUND,
            Question(QuestionError::NotYours) => StatusCode::FORBIDDEN,
            Question(QuestionError::ConsentOutdated) => StatusCode::PRECONDITION_FAILED,
            Question(QuestionError::Closed(_)) => StatusCode::CONFLICT,
            Question(_) => StatusCode::UNPROCESSABLE_ENTITY,
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
            Queue(QueueError::Empty) => "queue_empty",
            Queue(QueueError::UnknownTicket) => "unknown_ticket",
            Queue(QueueError::WrongStep(_)) => "wrong_step",
            Queue(QueueError::TooFewCalls { .. }) => "too_few_calls",
            Queue(QueueError::StillServing(_)) => "still_serving",
            Queue(QueueError::UnknownCounter) => "unknown_counter",
            Queue(QueueError::NotServed) => "not_served",
            Queue(QueueError::Closed { .. }) => "closed_today",
            Content(error) => error.code(),
            Question(error) => error.code(),
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

impl From<crate::store::StoreError> for Problem {
    fn from(error: crate::store::StoreError) -> Self {
        use crate::store::StoreError as S;
        match error {
            S::Full => Problem::Booking(BookingError::SlotFull {
                nearest: Vec::new(),
            }),
            S::AlreadyBooked => Problem::Booking(BookingError::AlreadyBooked),
            S::UnknownCode => Problem::Booking(BookingError::UnknownCode),
            S::WrongState(domain::booking::BookingStatus::Cancelled) => {
                Problem::Booking(BookingError::Cancelled)
            }
            S::WrongState(_) => Problem::WrongState,
            S::DailyCap => Problem::DailyCap,
            S::IdempotencyMismatch => Problem::IdempotencyMismatch,
            S::UsernameTaken => Problem::UsernameTaken,
            S::Queue(error) => Problem::Queue(error),
            S::Content(error) => Problem::Content(error),
            S::Question(error) => Problem::Question(error),
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

// Its words live with it: i18n words only the domain's problems (tests/layers.rs).
impl Problem {
    /// The sentence sent with the problem, in Vietnamese and English.
    pub(crate) fn messages(&self) -> (String, String) {
        use Problem::*;
        let pair = |vi: &str, en: &str| (vi.to_owned(), en.to_owned());
        match self {
            Booking(error) => (error.message(domain::text::Lang::Vi), error.message(domain::text::Lang::En)),
            Queue(error) => (error.message(domain::text::Lang::Vi), error.message(domain::text::Lang::En)),
            Content(error) => (error.message(domain::text::Lang::Vi), error.message(domain::text::Lang::En)),
            Question(error) => (error.message(domain::text::Lang::Vi), error.message(domain::text::Lang::En)),
            BadJson(detail) => (
                format!("Yêu cầu không đúng dạng: {detail}"),
                format!("The request is not in the expected form: {detail}"),
            ),
            TooLarge => pair("Yêu cầu quá lớn.", "The request is too large."),
            NotJson => pair("Yêu cầu phải gửi dạng JSON (Content-Type: application/json).", "Send the request as JSON (Content-Type: application/json)."),
            BadQuery(detail) => (format!("Tham số không hợp lệ: {detail}"), format!("A parameter is not valid: {detail}")),
            UnknownStation => pair("Không có công an xã, phường nào mang mã này trên máy chủ.", "No station with this id is served here."),
            NotFound => pair("Không có địa chỉ này.", "There is nothing at this address."),
            RateLimited { .. } => pair(
                "Có quá nhiều yêu cầu. Hãy thử lại sau ít phút, hoặc gọi điện cho công an xã, phường.",
                "Too many requests. Try again in a few minutes, or phone the station.",
            ),
            DailyCap => pair(
                "Số điện thoại này đã đặt đủ số lịch hẹn cho phép trong hôm nay. Hãy gọi điện cho công an xã, phường nếu cần thêm.",
                "This phone number has made as many bookings as allowed today. Phone the station if you need more.",
            ),
            IdempotencyMismatch => pair(
                "Mã yêu cầu này đã được dùng cho một lịch hẹn khác. Hãy tải lại trang rồi đặt lại.",
                "This request key was used for a different booking. Reload the page and book again.",
            ),
            BadIdempotencyKey => pair(
                "Mã yêu cầu (Idempotency-Key) phải có từ 16 đến 64 ký tự chữ, số hoặc dấu gạch.",
                "The Idempotency-Key must be 16 to 64 letters, digits or dashes.",
            ),
            Unauthorized => pair("Hãy đăng nhập bằng tài khoản cán bộ.", "Log in with a staff account."),
            Forbidden => pair("Tài khoản của bạn không có quyền làm việc này.", "Your account may not do this."),
            CrossSite => pair(
                "Yêu cầu bị từ chối vì không đến từ trang của công an xã, phường. Hãy tải lại trang rồi thử lại.",
                "Refused: the request did not come from the station's own page. Reload the page and try again.",
            ),
            LoginFailed => pair("Tên đăng nhập hoặc mật khẩu không đúng.", "The user name or password is wrong."),
            BadUsername => pair(
                "Tên đăng nhập gồm 3–32 chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.",
                "A user name is 3–32 lower-case letters, digits, dots, dashes or underscores.",
            ),
            WeakPassword => pair("Mật khẩu phải có ít nhất 10 ký tự.", "The password must have at least 10 characters."),
            PasswordTooLong => pair("Mật khẩu dài quá 1.024 byte.", "The password is longer than 1,024 bytes."),
            UsernameTaken => pair("Tên đăng nhập này đã có.", "That user name is taken."),
            NotToday => pair(
                "Lịch hẹn này không phải hôm nay. Hãy đến đúng ngày hẹn, hoặc hỏi cán bộ tiếp dân.",
                "This appointment is not today. Come on its day, or ask at the counter.",
            ),
            WrongState => pair("Lịch hẹn này không còn ở trạng thái cho phép việc này.", "This booking's state does not allow this."),
            TerminalNotEnrolled => pair(
                "Máy này chưa được công an xã, phường đăng ký làm máy tiếp dân. Hãy nhờ cán bộ tiếp dân.",
                "This device is not enrolled as one of the station's terminals. Please ask at the counter.",
            ),
            BadTerminalName => pair(
                "Tên máy gồm 1–60 ký tự, ví dụ “Máy tiếp dân tầng 1”.",
                "A terminal's name is 1–60 characters, e.g. “Ground floor terminal”.",
            ),
            Busy { .. } => pair(
                "Máy chủ đang bận. Hãy thử lại sau một giây.",
                "The server is busy. Try again in a second.",
            ),
            Timeout => pair(
                "Yêu cầu gửi quá chậm nên bị ngắt. Hãy kiểm tra kết nối mạng rồi thử lại.",
                "The request arrived too slowly and was cut off. Check the connection and try again.",
            ),
            Internal(_) => pair(
                "Hệ thống đặt lịch đang gặp sự cố. Hãy thử lại sau ít phút; những gì bạn đã nhập vẫn còn.",
                "The booking service has a problem. Try again in a few minutes; what you typed is kept.",
            ),
        }
    }
}
