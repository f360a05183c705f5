//! Checks every file under public/data the way the test suite does (shape and values) and
//! prints each problem naming the file and the field, in Vietnamese and English. Trunk runs it
//! before every build (Trunk.toml), so a site is never built from data the browser would
//! misread: the browser itself checks only the shape (`domain::data_file::parse_data_shape`).
//!
//! Then it reviews the content as of the office's date (`domain::content_check`): a citation of a
//! repealed text or a missing fixed holiday stops the build; content older than the station's
//! `content_max_age_months`, ended fee reductions and a coming year without holidays are
//! printed as warnings. `CHECK_DATA_TODAY=YYYY-MM-DD` reviews as of another day.

use std::process::ExitCode;

use civic_kiosk::domain::content_check::Severity;
use civic_kiosk::domain::site_check::check_site;
use civic_kiosk::domain::text::Lang;
use civic_kiosk::domain::time::{office_date, parse_iso_date};
use civic_kiosk::i18n::{FileWords, Words};

/// The office's date now, or the day `CHECK_DATA_TODAY` names.
fn today() -> Result<chrono::NaiveDate, String> {
    if let Ok(text) = std::env::var("CHECK_DATA_TODAY") {
        return parse_iso_date(&text)
            .ok_or_else(|| format!("CHECK_DATA_TODAY={text}: not a date written YYYY-MM-DD"));
    }
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| "the system clock is before 1970".to_owned())?
        .as_millis();
    i64::try_from(millis)
        .ok()
        .and_then(office_date)
        .ok_or_else(|| "the system clock is out of range".to_owned())
}

/// Checks every file under `root` (public/ by default, or the folder given, e.g. a built copy,
/// `dist`), with its editors' notes, the way the station server checks a content desk's change
/// (`domain::site_check`).
fn main() -> ExitCode {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("{}/public", env!("CARGO_MANIFEST_DIR")));
    let today = match today() {
        Ok(today) => today,
        Err(message) => {
            eprintln!("check-data: {message}");
            return ExitCode::FAILURE;
        }
    };
    let check = check_site(
        |file| std::fs::read_to_string(format!("{root}/{file}")).ok(),
        today,
    );
    for problem in &check.problems {
        for lang in [Lang::Vi, Lang::En] {
            for line in problem.message_lines(lang) {
                eprintln!("check-data: {line}");
            }
        }
    }
    for finding in &check.findings {
        let word = match finding.severity() {
            Severity::Error => ("LỖI", "ERROR"),
            Severity::Warning => ("CẢNH BÁO", "WARNING"),
        };
        eprintln!("check-data: {}: {}", word.0, finding.message(Lang::Vi));
        eprintln!("check-data: {}: {}", word.1, finding.message(Lang::En));
    }
    if check.passes() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
