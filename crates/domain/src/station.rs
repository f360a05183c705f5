//! The station's own facts (public/data/station.json): name, address, phones, opening hours and
//! official channels. An administrator edits the file; nothing here is compiled in.

use serde::{Deserialize, Serialize};

use super::data_file::{FieldError, FieldErrors, FieldProblem, Validate};
use super::kiosk::{KioskConfig, KioskSettings, TIMING_RANGE};
use super::phone::parse_phone;
use super::text::Localized;

pub const STATION_FILE: &str = "data/station.json";
pub const STATION_SCHEMA_VERSION: u32 = 1;

/// The police emergency number, the same everywhere in Vietnam; not station data.
pub const EMERGENCY_NUMBER: &str = "113";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Station {
    pub schema_version: u32,
    /// True for the demonstration data shipped with the app; the UI says so plainly.
    #[serde(default)]
    pub sample: bool,
    pub name: Localized,
    /// The provincial police the station belongs to.
    pub parent_agency: Localized,
    pub address: Localized,
    pub phone: String,
    #[serde(default)]
    pub email: Option<String>,
    pub opening_hours: WeeklyHours,
    /// E.g. "except public holidays".
    pub hours_note: Localized,
    pub channels: Vec<Channel>,
    /// Host names where the app runs as a kiosk, and its timings (see `kiosk_settings`).
    /// Three flat fields rather than one object: each nested object costs the app a parser.
    #[serde(default)]
    pub kiosk_terminal_hosts: Vec<String>,
    #[serde(default)]
    pub kiosk_idle_seconds: Option<u32>,
    #[serde(default)]
    pub kiosk_warning_seconds: Option<u32>,
    /// How many months content may go unchecked before `check-data` warns (default 6). Only
    /// check-data reads it; the app carries it (a few bytes) rather than a view of its own.
    #[serde(default)]
    pub content_max_age_months: Option<u32>,
}

/// Reception periods per weekday, each written "HH:MM-HH:MM" in the office's local time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyHours {
    pub mon: Vec<String>,
    pub tue: Vec<String>,
    pub wed: Vec<String>,
    pub thu: Vec<String>,
    pub fri: Vec<String>,
    pub sat: Vec<String>,
    pub sun: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

crate::named::named_enum!(Weekday { "mon" => Mon, "tue" => Tue, "wed" => Wed, "thu" => Thu, "fri" => Fri, "sat" => Sat, "sun" => Sun });

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    fn key(self) -> &'static str {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][self as usize]
    }
}

/// Minutes after local midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ClockTime(pub u16);

impl ClockTime {
    /// Reads "HH:MM" (24-hour).
    pub fn parse(text: &str) -> Option<ClockTime> {
        let (h, m) = text.trim().split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60).then_some(ClockTime(h * 60 + m))
    }
}

impl std::fmt::Display for ClockTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// An opening period, start inclusive, end exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub start: ClockTime,
    pub end: ClockTime,
}

impl Period {
    pub fn parse(text: &str) -> Option<Period> {
        let (start, end) = text.split_once('-')?;
        let period = Period {
            start: ClockTime::parse(start)?,
            end: ClockTime::parse(end)?,
        };
        (period.start < period.end).then_some(period)
    }

    /// Whether the two share any minute (ends are exclusive).
    pub fn overlaps(self, other: Period) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}–{}", self.start, self.end)
    }
}

/// Consecutive weekdays that share the same periods, for a compact timetable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayRange {
    pub first: Weekday,
    pub last: Weekday,
    /// Empty when the office is closed on these days.
    pub periods: Vec<Period>,
}

impl WeeklyHours {
    pub fn raw(&self, day: Weekday) -> &[String] {
        match day {
            Weekday::Mon => &self.mon,
            Weekday::Tue => &self.tue,
            Weekday::Wed => &self.wed,
            Weekday::Thu => &self.thu,
            Weekday::Fri => &self.fri,
            Weekday::Sat => &self.sat,
            Weekday::Sun => &self.sun,
        }
    }

    /// The periods of a day; entries that do not parse are left out (validation reports them).
    pub fn periods(&self, day: Weekday) -> Vec<Period> {
        self.raw(day)
            .iter()
            .filter_map(|p| Period::parse(p))
            .collect()
    }

    /// Groups Monday..Sunday into runs with identical periods: Mon–Fri, Sat, Sun.
    pub fn grouped(&self) -> Vec<DayRange> {
        let mut ranges: Vec<DayRange> = Vec::new();
        for day in Weekday::ALL {
            let periods = self.periods(day);
            match ranges.last_mut() {
                Some(range) if range.periods == periods => range.last = day,
                _ => ranges.push(DayRange {
                    first: day,
                    last: day,
                    periods,
                }),
            }
        }
        ranges
    }

    pub(crate) fn check(&self, errors: &mut FieldErrors) {
        for day in Weekday::ALL {
            let mut previous_end: Option<ClockTime> = None;
            for (index, raw) in self.raw(day).iter().enumerate() {
                let field = format!("opening_hours.{}[{index}]", day.key());
                match Period::parse(raw) {
                    None => errors.push(field, FieldProblem::BadPeriod(raw.clone())),
                    Some(period) => {
                        if previous_end.is_some_and(|end| period.start < end) {
                            errors.push(field, FieldProblem::PeriodsOverlap);
                        }
                        previous_end = Some(period.end);
                    }
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    Zalo,
    Facebook,
    Website,
    Hotline,
    Email,
}

crate::named::named_enum!(ChannelKind { "zalo" => Zalo, "facebook" => Facebook, "website" => Website, "hotline" => Hotline, "email" => Email });

/// An official channel of the station. Listed so citizens can tell the real pages from fakes;
/// shown as text, not as links, so a kiosk never leaves the app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub kind: ChannelKind,
    pub name: Localized,
    /// How a citizen tells it from a copy ("the blue tick", "answers only from this number"),
    /// shown beside it and when the channel checker finds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognise: Option<Localized>,
    /// What to look for: a page name, a number, an address.
    pub address: String,
}

impl Station {
    /// The station's kiosk settings, with the default timings where it gives none.
    pub fn kiosk_settings(&self) -> KioskSettings {
        let defaults = KioskConfig::default();
        KioskSettings {
            terminal_hosts: self.kiosk_terminal_hosts.clone(),
            idle_seconds: self.kiosk_idle_seconds.unwrap_or(defaults.idle_seconds),
            warning_seconds: self
                .kiosk_warning_seconds
                .unwrap_or(defaults.warning_seconds),
        }
    }
}

impl super::data_file::DataFile for Station {
    type Notes = super::data_file::NoNotes;
}

impl Validate for Station {
    fn validate(&self) -> Vec<FieldError> {
        let mut errors = FieldErrors::default();
        errors.check_version(self.schema_version, STATION_SCHEMA_VERSION);
        errors.check_text("name", &self.name);
        errors.check_text("parent_agency", &self.parent_agency);
        errors.check_text("address", &self.address);
        errors.check_text("hours_note", &self.hours_note);
        if parse_phone(&self.phone).is_err() {
            errors.push("phone", FieldProblem::BadPhone(self.phone.clone()));
        }
        self.opening_hours.check(&mut errors);
        for (index, channel) in self.channels.iter().enumerate() {
            errors.check_text(format!("channels[{index}].name"), &channel.name);
            if let Some(recognise) = &channel.recognise {
                errors.check_text(format!("channels[{index}].recognise"), recognise);
            }
            if channel.kind == ChannelKind::Hotline && parse_phone(&channel.address).is_err() {
                errors.push(
                    format!("channels[{index}].address"),
                    FieldProblem::BadPhone(channel.address.clone()),
                );
            }
        }
        check_kiosk(&self.kiosk_settings(), &mut errors);
        if let Some(months) = self.content_max_age_months {
            if !(1..=36).contains(&months) {
                errors.push(
                    "content_max_age_months",
                    FieldProblem::OutOfRange {
                        value: months.into(),
                        min: 1,
                        max: 36,
                    },
                );
            }
        }
        errors.0
    }
}

fn check_kiosk(kiosk: &KioskSettings, errors: &mut FieldErrors) {
    for (index, host) in kiosk.terminal_hosts.iter().enumerate() {
        let plain = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
        if host != "*" && (host.is_empty() || !host.chars().all(plain)) {
            errors.push(
                format!("kiosk_terminal_hosts[{index}]"),
                FieldProblem::BadHost(host.clone()),
            );
        }
    }
    for (field, seconds) in [
        ("kiosk_idle_seconds", kiosk.idle_seconds),
        ("kiosk_warning_seconds", kiosk.warning_seconds),
    ] {
        if !TIMING_RANGE.contains(&seconds) {
            errors.push(
                field,
                FieldProblem::OutOfRange {
                    value: seconds.into(),
                    min: (*TIMING_RANGE.start()).into(),
                    max: (*TIMING_RANGE.end()).into(),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(weekdays: &[&str], sat: &[&str]) -> WeeklyHours {
        let owned = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        WeeklyHours {
            mon: owned(weekdays),
            tue: owned(weekdays),
            wed: owned(weekdays),
            thu: owned(weekdays),
            fri: owned(weekdays),
            sat: owned(sat),
            sun: vec![],
        }
    }

    #[test]
    fn clock_times_are_24_hour_hh_mm() {
        assert_eq!(ClockTime::parse("07:30"), Some(ClockTime(450)));
        assert_eq!(
            ClockTime::parse("23:59").map(|t| t.to_string()),
            Some("23:59".into())
        );
        for bad in ["24:00", "7:30", "07:60", "0730", "ab:cd"] {
            assert_eq!(ClockTime::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn periods_need_start_before_end() {
        assert!(Period::parse("07:30-11:30").is_some());
        assert!(Period::parse("11:30-07:30").is_none());
        assert!(Period::parse("11:30-11:30").is_none());
    }

    #[test]
    fn weekdays_group_into_runs() {
        let week = hours(&["07:30-11:30", "13:30-17:00"], &["07:30-11:30"]);
        let groups = week.grouped();
        assert_eq!(groups.len(), 3);
        assert_eq!(
            (groups[0].first, groups[0].last),
            (Weekday::Mon, Weekday::Fri)
        );
        assert_eq!(groups[0].periods.len(), 2);
        assert_eq!(
            (groups[1].first, groups[1].last),
            (Weekday::Sat, Weekday::Sat)
        );
        assert!(groups[2].periods.is_empty());
    }

    #[test]
    fn kiosk_settings_name_the_bad_host_and_timing() {
        let kiosk = KioskSettings {
            terminal_hosts: vec![
                "quay-1.example".into(),
                "*".into(),
                "http://quay.example:8080/".into(),
                "".into(),
            ],
            idle_seconds: 2,
            warning_seconds: 30,
        };
        let mut errors = FieldErrors::default();
        check_kiosk(&kiosk, &mut errors);
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "kiosk_terminal_hosts[2]",
                "kiosk_terminal_hosts[3]",
                "kiosk_idle_seconds"
            ]
        );
    }

    #[test]
    fn overlapping_and_malformed_periods_are_named_by_field() {
        let mut week = hours(&["07:30-11:30"], &[]);
        week.tue = vec!["07:30-11:30".into(), "11:00-12:00".into()];
        week.sat = vec!["8h-11h".into()];
        let mut errors = FieldErrors::default();
        week.check(&mut errors);
        assert_eq!(
            errors.0,
            vec![
                FieldError {
                    field: "opening_hours.tue[1]".into(),
                    problem: FieldProblem::PeriodsOverlap
                },
                FieldError {
                    field: "opening_hours.sat[0]".into(),
                    problem: FieldProblem::BadPeriod("8h-11h".into())
                },
            ]
        );
    }
}
