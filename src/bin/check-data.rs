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

/// Checks `root/file`; `root` is public/ by default, or the folder given (e.g. a built copy, `dist`).
fn check<T: DeserializeOwned + Validate>(root: &str, file: &'static str) -> Option<DataFileError> {
    let path = format!("{root}/{file}");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(_) => {
            return Some(DataFileError::Unavailable {
                file: file.to_owned(),
                status: None,
            })
        }
    };
    parse_data_file::<T>(file, &text).err()
}

fn main() -> ExitCode {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("{}/public", env!("CARGO_MANIFEST_DIR")));
    let problems: Vec<DataFileError> = [
        check::<Station>(&root, STATION_FILE),
        check::<News>(&root, NEWS_FILE),
        check::<Catalog>(&root, CATALOG_FILE),
        check::<Plan>(&root, SCHEDULE_FILE),
        check::<FormCatalog>(&root, FORMS_FILE),
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
