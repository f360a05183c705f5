//! One station's data files checked together, as `check-data` checks them before a build and
//! the station server before the content desk publishes a change: each file's shape and values
//! (`data_file::read_data_file`), then the content review (`content_check::check_content`).
//! Pure: the files' texts and the office's date are given.

use chrono::NaiveDate;

use crate::catalog::{Catalog, CATALOG_FILE};
use crate::content_check::{check_content, Finding, Severity, DEFAULT_MAX_AGE_MONTHS};
use crate::data_file::{read_data_file, DataFile, DataFileError};
use crate::forms::{FormCatalog, FORMS_FILE};
use crate::news::{News, NEWS_FILE};
use crate::schedule::{Plan, SCHEDULE_FILE};
use crate::station::{Station, STATION_FILE};

/// What is wrong with a station's files: files that do not read, and the review's findings
/// (reviewed only when the station, procedures and working plan read).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteCheck {
    pub problems: Vec<DataFileError>,
    pub findings: Vec<Finding>,
}

impl SiteCheck {
    /// Whether nothing stops the files from being used (warnings may remain).
    pub fn passes(&self) -> bool {
        self.problems.is_empty()
            && !self
                .findings
                .iter()
                .any(|f| f.severity() == Severity::Error)
    }
}

/// Checks the files `text_of` gives by their names (`data/station.json`, …); a file it has no
/// text for is `Unavailable`.
pub fn check_site(text_of: impl Fn(&'static str) -> Option<String>, today: NaiveDate) -> SiteCheck {
    fn read<T: DataFile>(
        text_of: &impl Fn(&'static str) -> Option<String>,
        file: &'static str,
    ) -> Result<(T, T::Notes), DataFileError> {
        let text = text_of(file).ok_or_else(|| DataFileError::Unavailable {
            file: file.to_owned(),
            status: None,
        })?;
        read_data_file::<T>(file, &text)
    }
    let station = read::<Station>(&text_of, STATION_FILE);
    let catalog = read::<Catalog>(&text_of, CATALOG_FILE);
    let plan = read::<Plan>(&text_of, SCHEDULE_FILE);
    let problems: Vec<DataFileError> = [
        station.as_ref().err().cloned(),
        read::<News>(&text_of, NEWS_FILE).err(),
        catalog.as_ref().err().cloned(),
        plan.as_ref().err().cloned(),
        read::<FormCatalog>(&text_of, FORMS_FILE).err(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let findings = match (station, catalog, plan) {
        (Ok((station, _)), Ok(catalog), Ok(plan)) => {
            let max_age = station
                .content_max_age_months
                .unwrap_or(DEFAULT_MAX_AGE_MONTHS);
            check_content(&catalog, &plan, max_age, today)
        }
        _ => Vec::new(),
    };
    SiteCheck { problems, findings }
}
