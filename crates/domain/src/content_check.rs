//! Whether the content is still current on a given day: citations of repealed texts, content
//! not checked for longer than the station allows, fee reductions and exemptions that have
//! ended, and holiday lists that are missing a year or a day the law fixes. `check-data` runs it
//! with the office's date (so every build prints it); the app never does. Pure: today is given.

use chrono::{Datelike, Months, NaiveDate};

use super::catalog::{Catalog, Cite};
use super::editor_notes::{CatalogNotes, PlanNotes};
use super::schedule::{DayStatus, Plan};
use super::time::parse_iso_date;

/// How long content may go unchecked when the station sets nothing (station.json
/// `content_max_age_months`).
pub const DEFAULT_MAX_AGE_MONTHS: u32 = 6;

/// Public holidays on a fixed solar date (Bộ luật Lao động 2019, art. 112(1)), with the first
/// year each applies: Ngày Văn hóa Việt Nam, 24/11, from 2026 (Nghị quyết 28/2026/QH16).
/// The lunar ones (Tết, Hùng Kings) and the adjacent day of 2/9 change every year and are
/// entered from the government's announcement.
pub const FIXED_HOLIDAYS: [(u32, u32, i32, &str); 5] = [
    (1, 1, 0, "Tết Dương lịch"),
    (4, 30, 0, "Ngày Chiến thắng"),
    (5, 1, 0, "Ngày Quốc tế Lao động"),
    (9, 2, 0, "Quốc khánh"),
    (11, 24, 2026, "Ngày Văn hóa Việt Nam"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The build stops: citizens would be shown something wrong.
    Error,
    /// Printed for the content editor; the build goes on.
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// `at` cites a source that another repealed on or before today.
    CitesRepealed {
        at: String,
        number: String,
        by: String,
        from: NaiveDate,
    },
    /// `at` cites a source that another repeals from a day still to come.
    RepealComing {
        at: String,
        number: String,
        by: String,
        from: NaiveDate,
    },
    /// A procedure, or one of its fees, last checked longer ago than allowed.
    Stale {
        at: String,
        checked: NaiveDate,
        months: u32,
    },
    /// The holiday list was last checked longer ago than allowed, or never says when.
    HolidaysStale {
        checked: Option<NaiveDate>,
        months: u32,
    },
    /// A reduction or exemption whose last day has passed: no longer shown; remove or update it.
    AdjustmentEnded { at: String, until: NaiveDate },
    /// No holidays at all for a year that bookings will soon reach.
    NoHolidays { year: i32 },
    /// A year with holidays listed lacks one the law fixes: bookings would be offered on it.
    FixedHolidayMissing { date: NaiveDate, name: &'static str },
    /// An expected holiday in the coming weeks, not yet confirmed.
    HolidayUnconfirmed { date: NaiveDate },
    /// A break whose length is still to be announced, with the days in its widest proposed
    /// window that bookings can still take: when the announcement comes, these need closing.
    BreakAwaited {
        name: String,
        note: String,
        open_days: Vec<NaiveDate>,
    },
}

/// How close an unconfirmed holiday must be to be worth a warning.
const UNCONFIRMED_HORIZON_DAYS: u64 = 60;

impl Finding {
    pub fn severity(&self) -> Severity {
        match self {
            Finding::CitesRepealed { .. } | Finding::FixedHolidayMissing { .. } => Severity::Error,
            _ => Severity::Warning,
        }
    }
}

/// True when `checked` plus `months` is before `today`.
pub(crate) fn older_than(checked: NaiveDate, months: u32, today: NaiveDate) -> bool {
    checked
        .checked_add_months(Months::new(months))
        .is_some_and(|limit| limit < today)
}

/// The citations (with where each is) of sources repealed on or before `today`, or from a day
/// to come: the catalogue's, and the published answers' (`site_check`).
pub fn cited_repealed(
    citations: Vec<(String, &str)>,
    sources: &CatalogNotes,
    today: NaiveDate,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (at, citation) in citations {
        let Some(source) = sources.source(Cite(citation).source()) else {
            continue;
        };
        let (Some(by), Some(from)) = (
            source
                .repealed_by
                .as_deref()
                .and_then(|by| sources.source(by)),
            source.repealed_from.as_deref().and_then(parse_iso_date),
        ) else {
            continue;
        };
        let (number, by) = (source.number.clone(), by.number.clone());
        findings.push(if from <= today {
            Finding::CitesRepealed {
                at,
                number,
                by,
                from,
            }
        } else {
            Finding::RepealComing {
                at,
                number,
                by,
                from,
            }
        });
    }
    findings
}

/// Everything about the content that needs an editor's attention on `today`, errors first in
/// file order, from each file as the app reads it and its editors' notes. Files are assumed
/// valid (`data_file::read_data_file`): unreadable dates are skipped here.
pub fn check_content(
    (catalog, sources): &(Catalog, CatalogNotes),
    (plan, awaited): &(Plan, PlanNotes),
    max_age_months: u32,
    today: NaiveDate,
) -> Vec<Finding> {
    let mut findings = Vec::new();

    findings.extend(cited_repealed(catalog.citations(), sources, today));

    for procedure in &catalog.procedures {
        let procedure_checked = parse_iso_date(&procedure.checked);
        if let Some(checked) = procedure_checked.filter(|c| older_than(*c, max_age_months, today)) {
            findings.push(Finding::Stale {
                at: procedure.id.clone(),
                checked,
                months: max_age_months,
            });
        }
        for (i, fee) in procedure.fees.iter().enumerate() {
            let at = format!("{}.fees[{i}]", procedure.id);
            // A fee with its own date is judged by it; otherwise it went with the procedure.
            if let Some(checked) = fee
                .checked
                .as_deref()
                .and_then(parse_iso_date)
                .filter(|c| older_than(*c, max_age_months, today))
            {
                findings.push(Finding::Stale {
                    at: at.clone(),
                    checked,
                    months: max_age_months,
                });
            }
            for (j, adjustment) in fee.adjustments.iter().enumerate() {
                if let Some(until) = adjustment
                    .until
                    .as_deref()
                    .and_then(parse_iso_date)
                    .filter(|u| *u < today)
                {
                    findings.push(Finding::AdjustmentEnded {
                        at: format!("{at}.adjustments[{j}]"),
                        until,
                    });
                }
            }
        }
    }

    let holidays_checked = plan.holidays_checked.as_deref().and_then(parse_iso_date);
    if holidays_checked.is_none_or(|c| older_than(c, max_age_months, today)) {
        findings.push(Finding::HolidaysStale {
            checked: holidays_checked,
            months: max_age_months,
        });
    }
    let listed: Vec<(NaiveDate, bool)> = plan
        .holidays
        .iter()
        .filter_map(|h| Some((parse_iso_date(&h.date)?, h.confirmed)))
        .collect();
    let years: std::collections::BTreeSet<i32> = listed.iter().map(|(d, _)| d.year()).collect();
    for year in [today.year(), today.year() + 1] {
        if !years.contains(&year) {
            findings.push(Finding::NoHolidays { year });
        }
    }
    for &year in years.iter().filter(|y| **y >= today.year()) {
        for (month, day, since, name) in FIXED_HOLIDAYS {
            let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
                continue;
            };
            if year >= since && !listed.iter().any(|(d, _)| *d == date) {
                findings.push(Finding::FixedHolidayMissing { date, name });
            }
        }
    }
    let horizon = today + chrono::Days::new(UNCONFIRMED_HORIZON_DAYS);
    for (date, confirmed) in &listed {
        if !confirmed && today <= *date && *date <= horizon {
            findings.push(Finding::HolidayUnconfirmed { date: *date });
        }
    }

    for awaited in &awaited.awaiting {
        let (Some(from), Some(to)) = (parse_iso_date(&awaited.from), parse_iso_date(&awaited.to))
        else {
            continue;
        };
        if to < today {
            continue;
        }
        let open_days: Vec<NaiveDate> = from
            .iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| matches!(plan.day_status(*d), DayStatus::Open(_)))
            .collect();
        findings.push(Finding::BreakAwaited {
            name: awaited.name.clone(),
            note: awaited.note.clone(),
            open_days,
        });
    }

    findings.sort_by_key(|f| f.severity() != Severity::Error);
    findings
}
