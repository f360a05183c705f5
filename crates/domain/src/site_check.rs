//! One station's data files checked together, as `check-data` checks them before a build and
//! the station server before the content desk publishes a change: each file's shape and values
//! (`data_file::read_data_file`), then the content review (`content_check::check_content`).
//! Pure: the files' texts and the office's date are given.

use chrono::NaiveDate;

use crate::catalog::{Catalog, CATALOG_FILE};
use crate::content_check::{
    check_content, cited_repealed, Finding, Severity, DEFAULT_MAX_AGE_MONTHS,
};
use crate::data_file::{read_data_file, DataFile, DataFileError};
use crate::forms::{FormCatalog, FORMS_FILE};
use crate::news::{News, NEWS_FILE};
use crate::public_answers::{check_against, PublicAnswers, ANSWERS_FILE, EMPTY_ANSWERS};
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
/// text for is `Unavailable`, except the published answers, which a station has none of until
/// its first (`EMPTY_ANSWERS`).
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
    let answers = read_data_file::<PublicAnswers>(
        ANSWERS_FILE,
        &text_of(ANSWERS_FILE).unwrap_or_else(|| EMPTY_ANSWERS.to_owned()),
    );
    // What the answers say about the other files: procedures and sources that exist, nothing
    // personal beyond the station's own numbers.
    let answers_against = match (&answers, &station, &catalog) {
        (Ok((answers, _)), Ok((station, _)), Ok((catalog, _))) => {
            let errors = check_against(answers, catalog, station);
            (!errors.is_empty()).then(|| DataFileError::Invalid {
                file: ANSWERS_FILE.to_owned(),
                errors,
            })
        }
        _ => None,
    };
    let problems: Vec<DataFileError> = [
        station.as_ref().err().cloned(),
        read::<News>(&text_of, NEWS_FILE).err(),
        catalog.as_ref().err().cloned(),
        plan.as_ref().err().cloned(),
        read::<FormCatalog>(&text_of, FORMS_FILE).err(),
        answers.as_ref().err().cloned(),
        answers_against,
    ]
    .into_iter()
    .flatten()
    .collect();
    let findings = match (station, catalog, plan) {
        (Ok((station, _)), Ok(catalog), Ok(plan)) => {
            let max_age = station
                .content_max_age_months
                .unwrap_or(DEFAULT_MAX_AGE_MONTHS);
            let mut findings = check_content(&catalog, &plan, max_age, today);
            if let Ok((answers, _)) = &answers {
                let cited = crate::public_answers::citations(answers);
                findings.extend(cited_repealed(cited, &catalog.1, today));
                findings.extend(crate::public_answers::stale(answers, max_age, today));
            }
            findings
        }
        _ => Vec::new(),
    };
    SiteCheck { problems, findings }
}
