//! Checks every file under public/data the way the test suite does (shape and values) and
//! prints each problem naming the file and the field, in Vietnamese and English. Trunk runs it
//! before every build (Trunk.toml), so a site is never built from data the browser would
//! misread: the browser itself checks only the shape (`domain::data_file::parse_data_shape`).

use std::process::ExitCode;

use civic_kiosk::domain::catalog::{Catalog, CATALOG_FILE};
use civic_kiosk::domain::data_file::{parse_data_file, DataFileError, Validate};
use civic_kiosk::domain::forms::{FormCatalog, FORMS_FILE};
use civic_kiosk::domain::news::{News, NEWS_FILE};
use civic_kiosk::domain::schedule::{Plan, SCHEDULE_FILE};
use civic_kiosk::domain::station::{Station, STATION_FILE};
use civic_kiosk::domain::text::Lang;
use serde::de::DeserializeOwned;

fn check<T: DeserializeOwned + Validate>(file: &'static str) -> Option<DataFileError> {
    let path = format!("{}/public/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(_) => return Some(DataFileError::Unavailable { file: file.to_owned(), status: None }),
    };
    parse_data_file::<T>(file, &text).err()
}

fn main() -> ExitCode {
    let problems: Vec<DataFileError> = [
        check::<Station>(STATION_FILE),
        check::<News>(NEWS_FILE),
        check::<Catalog>(CATALOG_FILE),
        check::<Plan>(SCHEDULE_FILE),
        check::<FormCatalog>(FORMS_FILE),
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
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
