//! The sentences for the app's typed problems: what a citizen, an officer or a content editor
//! is told when an answer, a data file, a booking, a hand-off code or the PDF goes wrong. The
//! problems themselves are plain enums where they arise (`domain`, `pdf`, `platform`); their
//! words live here with the rest of the interface's text, in both languages.

use chrono::NaiveDate;

use super::Lang;
use crate::domain::booking::{BookingError, DeviceStorageError};
use crate::domain::content_check::Finding;
use crate::domain::data_file::{DataFileError, FieldProblem};
use crate::domain::forms::InputProblem;
use crate::domain::handoff::HandoffError;
use crate::domain::id_number::IdNumberError;
use crate::domain::time::format_date_vn;

/// The words for a problem of the domain (a layer below, which cannot name i18n), in each
/// language. In scope with `use crate::i18n::Words`.
pub trait Words {
    fn message(&self, lang: Lang) -> String;
}

/// The words for a problem whose message is fixed text (no allocation: these are in the
/// first-load wasm).
pub trait StaticWords {
    fn message(self, lang: Lang) -> &'static str;
}

/// The words for a form field's problem, which name the field.
pub trait LabelledWords {
    fn message(&self, lang: Lang, label: &str) -> String;
}

/// A data file's problems as lines for the screen: the first names the file, the rest each a
/// field.
pub trait FileWords {
    fn message_lines(&self, lang: Lang) -> Vec<String>;
}

impl LabelledWords for InputProblem {
    fn message(&self, lang: Lang, label: &str) -> String {
        use InputProblem::*;
        match (self, lang) {
            (Required, Lang::Vi) => format!("Hãy điền “{label}”."),
            (Required, Lang::En) => format!("Enter “{label}”."),
            (TooLong(max), Lang::Vi) => format!("“{label}” dài quá: tối đa {max} ký tự."),
            (TooLong(max), Lang::En) => format!("“{label}” is too long: at most {max} characters."),
            (NotADate, Lang::Vi) => {
                format!("“{label}” phải là một ngày có thật, ví dụ 31/12/1990.")
            }
            (NotADate, Lang::En) => format!("“{label}” must be a real date, e.g. 31/12/1990."),
            (DateInFuture, Lang::Vi) => format!("“{label}” không thể là một ngày trong tương lai."),
            (DateInFuture, Lang::En) => format!("“{label}” cannot be in the future."),
            (NotAnOption, Lang::Vi) => format!("Hãy chọn một mục trong “{label}”."),
            (NotAnOption, Lang::En) => format!("Choose one of the options for “{label}”."),
            (Phone, Lang::Vi) => "Hãy nhập số điện thoại Việt Nam, ví dụ 0912 345 678.".into(),
            (Phone, Lang::En) => "Enter a Vietnamese phone number, e.g. 0912 345 678.".into(),
            (IdNumber(problem), _) => problem.message(lang),
            (Unprintable(c), Lang::Vi) => format!(
                "“{label}” có ký tự “{c}” không in được trên tờ khai. Hãy xóa hoặc thay nó bằng chữ."
            ),
            (Unprintable(c), Lang::En) => format!(
                "“{label}” contains “{c}”, which cannot be printed on the form. Remove it or write it in words."
            ),
        }
    }
}

impl Words for IdNumberError {
    fn message(&self, lang: Lang) -> String {
        use IdNumberError::*;
        match (self, lang) {
            (Empty, Lang::Vi) => "Hãy nhập số định danh cá nhân (12 chữ số, in trên thẻ căn cước).".into(),
            (Empty, Lang::En) => "Enter the personal ID number (12 digits, printed on the ID card).".into(),
            (NotTwelveDigits, Lang::Vi) => "Số định danh cá nhân gồm đúng 12 chữ số.".into(),
            (NotTwelveDigits, Lang::En) => "The personal ID number has exactly 12 digits.".into(),
            (UnknownProvince(code), Lang::Vi) => format!("3 số đầu “{code}” không phải mã tỉnh nơi đăng ký khai sinh. Hãy kiểm tra lại."),
            (UnknownProvince(code), Lang::En) => format!("The first three digits “{code}” are not a province code. Check the number again."),
            (CenturyMismatch, Lang::Vi) => "Chữ số thứ 4 không khớp với năm sinh đã khai. Hãy kiểm tra số định danh hoặc ngày sinh.".into(),
            (CenturyMismatch, Lang::En) => "The 4th digit does not match the year of birth given. Check the number or the date of birth.".into(),
            (SexMismatch, Lang::Vi) => "Chữ số thứ 4 không khớp với giới tính đã khai. Hãy kiểm tra số định danh hoặc giới tính.".into(),
            (SexMismatch, Lang::En) => "The 4th digit does not match the sex given. Check the number or the sex.".into(),
            (YearMismatch, Lang::Vi) => "Chữ số thứ 5 và 6 không khớp với năm sinh đã khai. Hãy kiểm tra lại.".into(),
            (YearMismatch, Lang::En) => "Digits 5 and 6 do not match the year of birth given. Check again.".into(),
        }
    }
}

impl StaticWords for HandoffError {
    fn message(self, lang: Lang) -> &'static str {
        use HandoffError::*;
        match (self, lang) {
            (NotACode, Lang::Vi) => "Đây không phải mã tờ khai của ứng dụng này. Mã đúng bắt đầu bằng “CK1:”.",
            (NotACode, Lang::En) => "This is not a form code from this app. A form code starts with “CK1:”.",
            (NewerVersion, Lang::Vi) => "Mã này do phiên bản mới hơn của ứng dụng tạo ra. Hãy tải lại trang để cập nhật rồi thử lại.",
            (NewerVersion, Lang::En) => "This code was made by a newer version of the app. Reload the page to update, then try again.",
            (Damaged, Lang::Vi) => "Mã bị hỏng hoặc thiếu một phần. Hãy quét lại, hoặc sao chép lại toàn bộ mã.",
            (Damaged, Lang::En) => "The code is damaged or incomplete. Scan it again, or copy the whole code again.",
            (UnknownForm, Lang::Vi) => "Mã này là của một tờ khai mà ứng dụng tại đây không có.",
            (UnknownForm, Lang::En) => "This code is for a form this app does not have.",
            (FormChanged, Lang::Vi) => "Mã này được tạo cho một phiên bản khác của tờ khai. Hãy điền lại tờ khai trên máy này.",
            (FormChanged, Lang::En) => "This code was made for another edition of the form. Please fill the form in again here.",
        }
    }
}

impl Words for crate::domain::booking_flow::Problem {
    /// Why the booking page did not send, or what the station answered.
    fn message(&self, lang: Lang) -> String {
        use crate::domain::booking_flow::Problem;
        match self {
            Problem::Refused(error) => error.message(lang),
            Problem::ConsentMissing => super::messages(lang).consent_missing.to_owned(),
        }
    }
}

impl Words for BookingError {
    /// A plain sentence for the citizen, saying what to do.
    fn message(&self, lang: Lang) -> String {
        use BookingError::*;
        match (self, lang) {
            (NameMissing, Lang::Vi) => "Hãy nhập họ và tên của bạn.".into(),
            (NameMissing, Lang::En) => "Enter your full name.".into(),
            (NameInvalid, Lang::Vi) => "Họ và tên quá dài hoặc có ký tự không dùng trong tên. Hãy viết lại họ và tên.".into(),
            (NameInvalid, Lang::En) => "The name is too long or has characters names never have. Write your full name again.".into(),
            (PhoneInvalid, Lang::Vi) => "Hãy nhập số di động Việt Nam gồm 10 chữ số, ví dụ 0912 345 678.".into(),
            (PhoneInvalid, Lang::En) => "Enter a Vietnamese mobile number of 10 digits, e.g. 0912 345 678.".into(),
            (NotBookable, Lang::Vi) => "Thủ tục này không cần hoặc không nhận đặt lịch hẹn.".into(),
            (NotBookable, Lang::En) => "This procedure needs no appointment or cannot be booked.".into(),
            (SlotNotOffered, Lang::Vi) => "Giờ này không còn nhận đặt lịch. Hãy chọn giờ khác.".into(),
            (SlotNotOffered, Lang::En) => "This time can no longer be booked. Choose another time.".into(),
            (SlotFull { .. }, Lang::Vi) => "Giờ này đã đủ người. Hãy chọn một giờ gần nhất còn chỗ bên dưới.".into(),
            (SlotFull { .. }, Lang::En) => "This time is full. Choose one of the nearest free times below.".into(),
            (AlreadyBooked, Lang::Vi) => "Số điện thoại này đã có một lịch hẹn cho thủ tục này. Để xem, đổi giờ hoặc hủy lịch hẹn đó, hãy mở mục “Lịch hẹn”, phần “Tìm lịch hẹn đã đặt trên thiết bị khác”, và nhập mã lịch hẹn (trên phiếu hẹn) cùng số điện thoại này; quên mã thì hỏi cán bộ tiếp dân hoặc gọi điện cho công an xã, phường.".into(),
            (AlreadyBooked, Lang::En) => "This phone number already holds a booking for this procedure. To see, move or cancel it, open “Appointments”, “Find a booking made on another device”, and enter its code (on the slip) with this phone number; if the code is lost, ask at the counter or phone the station.".into(),
            (UnknownCode, Lang::Vi) => "Không có lịch hẹn nào mang mã này.".into(),
            (UnknownCode, Lang::En) => "No booking has this code.".into(),
            (Cancelled, Lang::Vi) => "Lịch hẹn này đã bị hủy.".into(),
            (Cancelled, Lang::En) => "This booking was cancelled.".into(),
            (TooMany, Lang::Vi) => "Có quá nhiều yêu cầu. Hãy thử lại sau ít phút, hoặc gọi điện cho công an xã, phường.".into(),
            (TooMany, Lang::En) => "Too many requests. Try again in a few minutes, or phone the station.".into(),
            (ConsentOutdated, Lang::Vi) => "Thông báo về dữ liệu cá nhân vừa được cập nhật. Hãy tải lại trang, đọc lại rồi đặt lịch; những gì bạn đã nhập vẫn còn.".into(),
            (ConsentOutdated, Lang::En) => "The personal data notice has just been updated. Reload the page, read it and book again; what you typed is kept.".into(),
            (Unreachable, Lang::Vi) => "Không kết nối được với hệ thống đặt lịch của công an xã, phường. Hãy kiểm tra kết nối mạng rồi thử lại; những gì bạn đã nhập vẫn còn.".into(),
            (Unreachable, Lang::En) => "The station's booking service cannot be reached. Check the connection and try again; what you typed is kept.".into(),
            (NotYours, Lang::Vi) => "Số điện thoại không khớp với lịch hẹn này.".into(),
            (NotYours, Lang::En) => "The phone number does not match this booking.".into(),
            (DeviceStorage(DeviceStorageError::Full), Lang::Vi) => "Bộ nhớ của trình duyệt đã đầy nên không lưu được lịch hẹn. Hãy ghi lại mã lịch hẹn hoặc xóa bớt dữ liệu trình duyệt.".into(),
            (DeviceStorage(DeviceStorageError::Full), Lang::En) => "The browser's storage is full, so the booking could not be saved. Write down the code or clear some browser data.".into(),
            (DeviceStorage(DeviceStorageError::Unavailable), Lang::Vi) => "Trình duyệt không cho lưu dữ liệu (có thể đang ở chế độ ẩn danh). Lịch hẹn chỉ giữ đến khi đóng trang: hãy ghi lại mã.".into(),
            (DeviceStorage(DeviceStorageError::Unwritable), Lang::Vi) => "Ứng dụng không ghi được dữ liệu này nên đã không lưu cũng không gửi đi. Hãy tải lại trang rồi thử lại; nếu vẫn vậy, hãy báo cho công an xã, phường.".into(),
            (DeviceStorage(DeviceStorageError::Unwritable), Lang::En) => "The app could not write this data, so it was neither saved nor sent. Reload the page and try again; if it happens again, tell the station.".into(),
            (DeviceStorage(DeviceStorageError::Unavailable), Lang::En) => "The browser does not allow saving (perhaps a private window). The booking lasts until the page closes: write down the code.".into(),
        }
    }
}

impl Words for FieldProblem {
    fn message(&self, lang: Lang) -> String {
        use FieldProblem::*;
        match (self, lang) {
            (BlankText, Lang::Vi) => {
                "cần có nội dung bằng cả tiếng Việt (vi) và tiếng Anh (en)".into()
            }
            (BlankText, Lang::En) => "needs text in both Vietnamese (vi) and English (en)".into(),
            (BadPeriod(v), Lang::Vi) => format!(
                "“{v}” không phải khoảng giờ dạng 07:30-11:30 (giờ bắt đầu trước giờ kết thúc)"
            ),
            (BadPeriod(v), Lang::En) => {
                format!("“{v}” is not a period written like 07:30-11:30 (start before end)")
            }
            (PeriodsOverlap, Lang::Vi) => {
                "các khoảng giờ trong ngày phải theo thứ tự và không chồng lên nhau".into()
            }
            (PeriodsOverlap, Lang::En) => {
                "the periods of a day must be in order and must not overlap".into()
            }
            (BadDate(v), Lang::Vi) => {
                format!("“{v}” không phải ngày dạng NNNN-TT-NN, ví dụ 2026-11-24")
            }
            (BadDate(v), Lang::En) => {
                format!("“{v}” is not a date written YYYY-MM-DD, e.g. 2026-11-24")
            }
            (BadPhone(v), Lang::Vi) => format!("“{v}” không phải số điện thoại Việt Nam"),
            (BadPhone(v), Lang::En) => format!("“{v}” is not a Vietnamese phone number"),
            (EmptyList, Lang::Vi) => "cần ít nhất một mục".into(),
            (EmptyList, Lang::En) => "needs at least one entry".into(),
            (UnsupportedVersion { found, supported }, Lang::Vi) => {
                format!("phiên bản định dạng {found} không được hỗ trợ (bản này đọc phiên bản {supported})")
            }
            (UnsupportedVersion { found, supported }, Lang::En) => {
                format!("format version {found} is not supported (this release reads version {supported})")
            }
            (BadId(v), Lang::Vi) => format!("mã “{v}” phải gồm chữ thường không dấu, số, dấu gạch ngang và không trùng"),
            (BadId(v), Lang::En) => format!("the id “{v}” must be lowercase letters, digits and dashes, and unique"),
            (UnknownReference(v), Lang::Vi) => format!("“{v}” không có trong tệp"),
            (UnknownReference(v), Lang::En) => format!("“{v}” does not exist in the file"),
            (Missing, Lang::Vi) => "cần có giá trị ở đây".into(),
            (Missing, Lang::En) => "a value is needed here".into(),
            (BranchNeedsOne { path, found }, Lang::Vi) => {
                format!("với các câu trả lời {path} phải có đúng một mục áp dụng, hiện có {found}")
            }
            (BranchNeedsOne { path, found }, Lang::En) => {
                format!("for the answers {path} exactly one entry must apply; {found} do")
            }
            (BranchEmpty(path), Lang::Vi) => format!("với các câu trả lời {path} không có mục nào áp dụng"),
            (BranchEmpty(path), Lang::En) => format!("for the answers {path} no entry applies"),
            (BadFee, Lang::Vi) => "lệ phí không hợp lệ: phí cố định cần số tiền dương, phí trực tuyến không cao hơn phí trực tiếp, mức giảm thấp hơn mức phí".into(),
            (BadFee, Lang::En) => "invalid fee: a fixed fee needs a positive amount, online no more than in person, a reduction below the fee".into(),
            (BadProcessingTime, Lang::Vi) => "thời gian giải quyết không hợp lệ cho loại này".into(),
            (BadProcessingTime, Lang::En) => "the processing time's numbers do not fit its kind".into(),
            (OutOfRange { value, min, max }, Lang::Vi) => format!("{value} nằm ngoài khoảng cho phép {min}–{max}"),
            (OutOfRange { value, min, max }, Lang::En) => format!("{value} is outside the allowed range {min}–{max}"),
            (BadHost(v), Lang::Vi) => format!(
                "“{v}” không phải tên máy như trên thanh địa chỉ, ví dụ quay.congan.example hoặc 192.168.1.20 (không có http://, cổng hay đường dẫn), hoặc \"*\" cho mọi địa chỉ"
            ),
            (BadHost(v), Lang::En) => format!(
                "“{v}” is not a host name as the address bar shows it, e.g. quay.congan.example or 192.168.1.20 (no http://, port or path), or \"*\" for every address"
            ),
            (WrongKind(v), Lang::Vi) => format!("phải có kiểu “{v}”"),
            (WrongKind(v), Lang::En) => format!("must be of the kind “{v}”"),
            (BadCitation(v), Lang::Vi) => format!(
                "“{v}” không phải trích dẫn dạng \"mã-văn-bản\" hoặc \"mã-văn-bản | điều 3 | art. 3\""
            ),
            (BadCitation(v), Lang::En) => format!(
                "“{v}” is not a citation written \"source-id\" or \"source-id | điều 3 | art. 3\""
            ),
            (UnknownField, Lang::Vi) => "không có trường này (viết sai tên?)".into(),
            (UnknownField, Lang::En) => "no such field (misspelt?)".into(),
            (PersonalNumber(v), Lang::Vi) => format!("“{v}” trông như số điện thoại hoặc số định danh của một người: câu trả lời công khai không được chứa thông tin cá nhân"),
            (PersonalNumber(v), Lang::En) => format!("“{v}” looks like a person's phone or ID number: a public answer must hold nothing personal"),
        }
    }
}

impl FileWords for DataFileError {
    /// Plain-language lines for the screen: the first names the file, the rest each a field.
    fn message_lines(&self, lang: Lang) -> Vec<String> {
        let file = self.file();
        match (self, lang) {
            (DataFileError::Unavailable { status: None, .. }, Lang::Vi) => {
                vec![format!("Không tải được tệp {file}: không có kết nối mạng. Hãy kiểm tra Wi-Fi rồi thử lại.")]
            }
            (DataFileError::Unavailable { status: None, .. }, Lang::En) => {
                vec![format!("The file {file} could not be loaded: there is no connection. Check the Wi-Fi and try again.")]
            }
            (
                DataFileError::Unavailable {
                    status: Some(code), ..
                },
                Lang::Vi,
            ) => {
                vec![format!("Không tải được tệp {file}: máy chủ trả lời mã {code}. Người quản trị cần kiểm tra tệp này.")]
            }
            (
                DataFileError::Unavailable {
                    status: Some(code), ..
                },
                Lang::En,
            ) => {
                vec![format!("The file {file} could not be loaded: the server answered {code}. An administrator needs to check it.")]
            }
            (DataFileError::Syntax { line, column, .. }, Lang::Vi) => {
                vec![format!(
                    "Tệp {file} bị lỗi cú pháp JSON ở dòng {line}, cột {column}."
                )]
            }
            (DataFileError::Syntax { line, column, .. }, Lang::En) => {
                vec![format!(
                    "The file {file} is not valid JSON at line {line}, column {column}."
                )]
            }
            (
                DataFileError::Shape {
                    field,
                    line,
                    detail,
                    ..
                },
                lang,
            ) => {
                // The browser gives no line, and a field may be unknown (a value outside any
                // object): say what is known.
                let field = match (field.is_empty(), lang) {
                    (true, _) => String::new(),
                    (false, Lang::Vi) => format!(" ở trường “{field}”"),
                    (false, Lang::En) => format!(" in the field “{field}”"),
                };
                let line = match (line, lang) {
                    (None, _) => String::new(),
                    (Some(line), Lang::Vi) => format!(" (dòng {line})"),
                    (Some(line), Lang::En) => format!(" (line {line})"),
                };
                vec![match lang {
                    Lang::Vi => format!("Tệp {file} có lỗi{field}{line}: {detail}."),
                    Lang::En => format!("The file {file} has an error{field}{line}: {detail}."),
                }]
            }
            (DataFileError::Invalid { errors, .. }, _) => {
                let heading = match lang {
                    Lang::Vi => format!("Tệp {file} có giá trị không hợp lệ:"),
                    Lang::En => format!("The file {file} has invalid values:"),
                };
                // The browser never has this error (it checks only the shape; values are
                // checked when the site is built), so its build leaves out every problem's
                // sentence rather than carry them to every visitor.
                if cfg!(target_arch = "wasm32") {
                    return vec![heading];
                }
                std::iter::once(heading)
                    .chain(
                        errors
                            .iter()
                            .map(|e| format!("“{}”: {}", e.field, e.problem.message(lang))),
                    )
                    .collect()
            }
        }
    }
}

impl Words for Finding {
    fn message(&self, lang: Lang) -> String {
        let d = |date: &NaiveDate| format_date_vn(*date);
        let list = |dates: &Vec<NaiveDate>| {
            dates
                .iter()
                .map(|date| format_date_vn(*date))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (self, lang) {
            (Finding::CitesRepealed { at, number, by, from }, Lang::Vi) => format!(
                "{at}: dẫn {number}, đã bị {by} bãi bỏ hoặc thay thế từ {}. Hãy dẫn văn bản đang có hiệu lực.",
                d(from)
            ),
            (Finding::CitesRepealed { at, number, by, from }, Lang::En) => format!(
                "{at}: cites {number}, repealed or replaced by {by} from {}. Cite the text in force.",
                d(from)
            ),
            (Finding::RepealComing { at, number, by, from }, Lang::Vi) => format!(
                "{at}: dẫn {number}, sẽ bị {by} bãi bỏ hoặc thay thế từ {}.",
                d(from)
            ),
            (Finding::RepealComing { at, number, by, from }, Lang::En) => format!(
                "{at}: cites {number}, which {by} repeals or replaces from {}.",
                d(from)
            ),
            (Finding::Stale { at, checked, months }, Lang::Vi) => format!(
                "{at}: kiểm tra lần cuối ngày {}, đã quá {months} tháng. Hãy đối chiếu với văn bản hiện hành rồi sửa ngày kiểm tra.",
                d(checked)
            ),
            (Finding::Stale { at, checked, months }, Lang::En) => format!(
                "{at}: last checked on {}, more than {months} months ago. Check it against the texts in force, then update the date.",
                d(checked)
            ),
            (Finding::HolidaysStale { checked: Some(checked), months }, Lang::Vi) => format!(
                "schedule.json: danh sách ngày nghỉ lễ kiểm tra lần cuối ngày {}, đã quá {months} tháng.",
                d(checked)
            ),
            (Finding::HolidaysStale { checked: Some(checked), months }, Lang::En) => format!(
                "schedule.json: the holiday list was last checked on {}, more than {months} months ago.",
                d(checked)
            ),
            (Finding::HolidaysStale { checked: None, .. }, Lang::Vi) => {
                "schedule.json: thiếu holidays_checked (ngày kiểm tra danh sách ngày nghỉ lễ).".into()
            }
            (Finding::HolidaysStale { checked: None, .. }, Lang::En) => {
                "schedule.json: holidays_checked (when the holiday list was checked) is missing.".into()
            }
            (Finding::AdjustmentEnded { at, until }, Lang::Vi) => format!(
                "{at}: mức giảm hoặc miễn đã hết hạn ngày {}, không còn hiển thị. Hãy xóa hoặc cập nhật.",
                d(until)
            ),
            (Finding::AdjustmentEnded { at, until }, Lang::En) => format!(
                "{at}: the reduction or exemption ended on {} and is no longer shown. Remove or update it.",
                d(until)
            ),
            (Finding::NoHolidays { year }, Lang::Vi) => format!(
                "schedule.json: chưa có ngày nghỉ lễ nào của năm {year}. Hãy nhập ít nhất các ngày lễ cố định (1/1, 30/4, 1/5, 2/9, 24/11)."
            ),
            (Finding::NoHolidays { year }, Lang::En) => format!(
                "schedule.json: no holidays for {year} yet. Enter at least the fixed ones (1/1, 30/4, 1/5, 2/9, 24/11)."
            ),
            (Finding::FixedHolidayMissing { date, name }, Lang::Vi) => format!(
                "schedule.json: thiếu ngày lễ {name} {} (kể cả khi rơi vào thứ Bảy hoặc Chủ nhật): lịch hẹn sẽ mở vào ngày này.",
                d(date)
            ),
            (Finding::FixedHolidayMissing { date, name }, Lang::En) => format!(
                "schedule.json: the holiday {name} on {} is missing (even on a weekend): bookings would be offered on it.",
                d(date)
            ),
            (Finding::HolidayUnconfirmed { date }, Lang::Vi) => format!(
                "schedule.json: ngày nghỉ {} vẫn ghi “chưa xác nhận”. Hãy đối chiếu thông báo chính thức.",
                d(date)
            ),
            (Finding::HolidayUnconfirmed { date }, Lang::En) => format!(
                "schedule.json: the holiday on {} is still unconfirmed. Check the official announcement.",
                d(date)
            ),
            (Finding::BreakAwaited { name, note, open_days }, Lang::Vi) => format!(
                "schedule.json: {name} chưa có thông báo chính thức ({note}). Các ngày trong khoảng đề xuất vẫn nhận đặt lịch: {}. Khi có thông báo, hãy nhập các ngày nghỉ rồi bỏ mục này khỏi “awaiting”.",
                list(open_days)
            ),
            (Finding::BreakAwaited { name, note, open_days }, Lang::En) => format!(
                "schedule.json: {name} is not announced yet ({note}). Days in the proposed window still open for booking: {}. When it is announced, enter the days off and remove this entry from \"awaiting\".",
                list(open_days)
            ),
        }
    }
}

// The words of the domain's problems, moved here with the words when the domain became its own
// crate (it cannot name i18n).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unwritable_booking_is_not_worded_as_unreachable() {
        assert_ne!(
            BookingError::DeviceStorage(DeviceStorageError::Unwritable).message(Lang::En),
            BookingError::Unreachable.message(Lang::En)
        );
    }

    #[test]
    fn an_unprintable_character_is_named_in_its_message() {
        assert!(InputProblem::Unprintable('🏠')
            .message(Lang::Vi, "Nơi cư trú")
            .contains('🏠'));
    }

    #[test]
    fn hand_off_problems_are_worded_in_each_language() {
        for error in [
            HandoffError::NotACode,
            HandoffError::Damaged,
            HandoffError::FormChanged,
        ] {
            assert_ne!(error.message(Lang::Vi), error.message(Lang::En));
        }
    }

    #[test]
    fn a_sex_mismatch_says_which_detail() {
        assert!(IdNumberError::SexMismatch
            .message(Lang::Vi)
            .contains("giới tính"));
    }
}
