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

use civic_kiosk::domain::catalog::{Catalog, CATALOG_FILE};
use civic_kiosk::domain::content_check::{
    check_content, Finding, Severity, DEFAULT_MAX_AGE_MONTHS,
};
use civic_kiosk::domain::data_file::{read_data_file, DataFile, DataFileError};
use civic_kiosk::domain::forms::{FormCatalog, FORMS_FILE};
use civic_kiosk::domain::news::{News, NEWS_FILE};
use civic_kiosk::domain::schedule::{Plan, SCHEDULE_FILE};
use civic_kiosk::domain::station::{Station, STATION_FILE};
use civic_kiosk::domain::text::Lang;
use civic_kiosk::domain::time::{office_date, parse_iso_date};
use civic_kiosk::i18n::{FileWords, Words};

/// Reads and checks `root/file`, with its editors' notes; `root` is public/ by default, or the
/// folder given (e.g. a built copy, `dist`).
fn read<T: DataFile>(root: &str, file: &'static str) -> Result<(T, T::Notes), DataFileError> {
    let path = format!("{root}/{file}");
    let text = std::fs::read_to_string(&path).map_err(|_| DataFileError::Unavailable {
        file: file.to_owned(),
        status: None,
    })?;
    read_data_file::<T>(file, &text)
}

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

fn main() -> ExitCode {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("{}/public", env!("CARGO_MANIFEST_DIR")));
    let station = read::<Station>(&root, STATION_FILE);
    let catalog = read::<Catalog>(&root, CATALOG_FILE);
    let plan = read::<Plan>(&root, SCHEDULE_FILE);
    let problems: Vec<DataFileError> = [
        station.as_ref().err().cloned(),
        read::<News>(&root, NEWS_FILE).err(),
        catalog.as_ref().err().cloned(),
        plan.as_ref().err().cloned(),
        read::<FormCatalog>(&root, FORMS_FILE).err(),
    ]
    .into_iter()
    .flatten()
    .collect();
    for problem in &problems {
        for lang in [Lang::Vi, Lang::En] {
            for line in problem.message_lines(lang) {
                eprintln!("check-data: {line}");
            }
        }
    }
    let (Ok((station, _)), Ok(catalog), Ok(plan)) = (station, catalog, plan) else {
        return ExitCode::FAILURE;
    };
    let today = match today() {
        Ok(today) => today,
        Err(message) => {
            eprintln!("check-data: {message}");
            return ExitCode::FAILURE;
        }
    };
    let max_age = station
        .content_max_age_months
        .unwrap_or(DEFAULT_MAX_AGE_MONTHS);
    let findings: Vec<Finding> = check_content(&catalog, &plan, max_age, today);
    for finding in &findings {
        let word = match finding.severity() {
            Severity::Error => ("LỖI", "ERROR"),
            Severity::Warning => ("CẢNH BÁO", "WARNING"),
        };
        eprintln!("check-data: {}: {}", word.0, finding.message(Lang::Vi));
        eprintln!("check-data: {}: {}", word.1, finding.message(Lang::En));
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity() == Severity::Error)
        .count();
    if problems.is_empty() && errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
