//! The office's working plan (public/data/schedule.json) and the slots it offers. Pure: the
//! current office time and the bookings already taken are passed in.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::data_file::{FieldError, FieldErrors, FieldProblem, Validate};
use super::station::{ClockTime, Period, Weekday, WeeklyHours};
use super::text::Localized;
use super::time::parse_iso_date;

pub const SCHEDULE_FILE: &str = "data/schedule.json";
pub const SCHEDULE_SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub schema_version: u32,
    /// Length of one appointment slot.
    pub slot_minutes: u16,
    /// Bookings must start at least this long after "now".
    pub min_notice_minutes: u32,
    /// The last bookable day is today plus this many days.
    pub max_days_ahead: u32,
    /// Reception periods per weekday, local time; the gaps between periods are breaks (lunch).
    pub weekly: WeeklyHours,
    pub counters: Vec<Counter>,
    /// Public holidays, listed per year as the government announces them, including those on a
    /// Saturday or Sunday (a station open on Saturday mornings is closed on a Saturday holiday).
    pub holidays: Vec<Holiday>,
    /// When the holiday list was last checked against the announcements (YYYY-MM-DD). Only
    /// check-data reads it; the app carries it (a few bytes) rather than a view of its own.
    #[serde(default)]
    pub holidays_checked: Option<String>,
    /// Days that are normally off but are working days this year (announced swaps).
    #[serde(default)]
    pub make_up_days: Vec<MakeUpDay>,
    /// The station's own closures (training, elections…), inclusive ranges.
    #[serde(default)]
    pub closures: Vec<Closure>,
}

/// A break announced only as a proposal: the widest window proposed, inclusive (read by
/// check-data from `awaiting`, `editor_notes::PlanNotes`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwaitedBreak {
    pub name: String,
    pub from: String,
    pub to: String,
    /// What was proposed, and where it was read.
    pub note: String,
}

/// A service desk with its own capacity: e.g. two officers for ID cards take two people a slot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    pub id: String,
    pub name: Localized,
    pub capacity_per_slot: u32,
    /// Ids of the bookable procedures this counter serves.
    pub procedures: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: String,
    pub name: Localized,
    /// False while the date is expected but not yet announced: the office is treated as closed.
    #[serde(default = "yes")]
    pub confirmed: bool,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MakeUpDay {
    pub date: String,
    /// Which weekday's hours apply (usually "mon"…"fri").
    pub hours_of: Weekday,
    pub name: Localized,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub from: String,
    pub to: String,
    pub reason: Localized,
    /// "HH:MM-HH:MM": closed only for these hours of each day of the range ("closed this
    /// afternoon"); none for whole days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
}

impl Closure {
    fn covers(&self, date: NaiveDate) -> bool {
        matches!((parse_iso_date(&self.from), parse_iso_date(&self.to)), (Some(from), Some(to)) if from <= date && date <= to)
    }

    /// The hours a part-day closure takes out; none for a whole-day one. Hours that do not
    /// read (check-data refuses them) close the whole day: closed is the safe side.
    pub fn period(&self) -> Option<Period> {
        self.hours.as_deref().and_then(Period::parse)
    }
}

/// `periods` without the time in `cut`: a period is shortened, split in two, or gone.
fn without(periods: Vec<Period>, cut: Period) -> Vec<Period> {
    let mut left = Vec::with_capacity(periods.len() + 1);
    for period in periods {
        if !cut.overlaps(period) {
            left.push(period);
            continue;
        }
        if period.start < cut.start {
            left.push(Period {
                start: period.start,
                end: cut.start,
            });
        }
        if cut.end < period.end {
            left.push(Period {
                start: cut.end,
                end: period.end,
            });
        }
    }
    left
}

/// Whether and why a day is open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DayStatus<'a> {
    Open(Vec<Period>),
    Holiday(&'a Holiday),
    Closed(&'a Closure),
    /// No reception hours on this weekday (usually Sunday).
    NoReception,
}

/// One bookable time at one counter.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SlotKey {
    pub counter: String,
    #[serde(with = "super::time::iso_date_serde")]
    pub date: NaiveDate,
    pub start: ClockTime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotInfo {
    pub start: ClockTime,
    pub end: ClockTime,
    pub capacity: u32,
    pub taken: u32,
    /// False for slots inside the minimum notice (or past); such slots are never offered.
    pub bookable: bool,
}

impl SlotInfo {
    pub fn free(&self) -> u32 {
        self.capacity.saturating_sub(self.taken)
    }

    pub fn offerable(&self) -> bool {
        self.bookable && self.free() > 0
    }
}

/// The weekday of a date, in the plan's terms.
pub fn weekday(date: NaiveDate) -> Weekday {
    Weekday::ALL[date.weekday().num_days_from_monday() as usize]
}

impl Plan {
    pub fn counter(&self, id: &str) -> Option<&Counter> {
        self.counters.iter().find(|c| c.id == id)
    }

    /// The counter that serves a procedure, if it can be booked at all.
    pub fn counter_for(&self, procedure_id: &str) -> Option<&Counter> {
        self.counters
            .iter()
            .find(|c| c.procedures.iter().any(|p| p == procedure_id))
    }

    /// Whether and why `date` is open: a holiday or a whole-day closure closes it; part-day
    /// closures take their hours out of its reception periods (and close it when none are left).
    pub fn day_status(&self, date: NaiveDate) -> DayStatus<'_> {
        let is = |text: &str| parse_iso_date(text) == Some(date);
        if let Some(holiday) = self.holidays.iter().find(|h| is(&h.date)) {
            return DayStatus::Holiday(holiday);
        }
        if let Some(closure) = self
            .closures
            .iter()
            .find(|c| c.covers(date) && c.period().is_none())
        {
            return DayStatus::Closed(closure);
        }
        let mut periods = self.reception(date);
        if periods.is_empty() {
            return DayStatus::NoReception;
        }
        let cuts = self.part_closures(date);
        for (cut, _) in &cuts {
            periods = without(periods, *cut);
        }
        match (periods.is_empty(), cuts.first()) {
            (true, Some((_, closure))) => DayStatus::Closed(closure),
            _ => DayStatus::Open(periods),
        }
    }

    /// The reception periods of `date`'s weekday (or of the weekday a make-up day works as).
    fn reception(&self, date: NaiveDate) -> Vec<Period> {
        let hours_of = self
            .make_up_days
            .iter()
            .find(|d| parse_iso_date(&d.date) == Some(date))
            .map_or(weekday(date), |d| d.hours_of);
        self.weekly.periods(hours_of)
    }

    /// The part-day closures on `date`, with the hours each takes out, in the file's order.
    pub fn part_closures(&self, date: NaiveDate) -> Vec<(Period, &Closure)> {
        self.closures
            .iter()
            .filter(|c| c.covers(date))
            .filter_map(|c| Some((c.period()?, c)))
            .collect()
    }

    /// Whether a part-day closure on the slot's day takes out any of its time.
    pub fn part_closed(&self, slot: &SlotKey) -> bool {
        let span = Period {
            start: slot.start,
            end: ClockTime(slot.start.0 + self.slot_minutes.max(1)),
        };
        self.part_closures(slot.date)
            .iter()
            .any(|(cut, _)| cut.overlaps(span))
    }

    /// The closure that has the station closed at `minute` (after midnight) of `date`, if any:
    /// a whole-day one, or a part-day one whose hours hold that minute.
    pub fn closure_at(&self, date: NaiveDate, minute: u16) -> Option<&Closure> {
        self.closures.iter().filter(|c| c.covers(date)).find(|c| {
            c.period()
                .is_none_or(|p| p.start.0 <= minute && minute < p.end.0)
        })
    }

    /// The last day that may be booked, counted from the office's today.
    pub fn last_bookable_day(&self, now: NaiveDateTime) -> NaiveDate {
        now.date() + TimeDelta::days(i64::from(self.max_days_ahead))
    }

    /// Every slot of a day at a counter, with how many places are taken. Slots are cut from each
    /// period; a slot that would run past the period's end (into a break) is not made.
    pub fn slots(
        &self,
        counter: &Counter,
        date: NaiveDate,
        now: NaiveDateTime,
        taken: impl Fn(&SlotKey) -> u32,
    ) -> Vec<SlotInfo> {
        if !matches!(self.day_status(date), DayStatus::Open(_)) {
            return Vec::new();
        }
        if date < now.date() || date > self.last_bookable_day(now) {
            return Vec::new();
        }
        // Cut from the whole reception periods, so a slot keeps its start whatever is closed;
        // a slot that overlaps a part-day closure is not made.
        let cuts = self.part_closures(date);
        let periods = self.reception(date);
        let earliest = now + TimeDelta::minutes(i64::from(self.min_notice_minutes));
        let step = self.slot_minutes.max(1);
        let mut slots = Vec::new();
        for period in periods {
            let mut start = period.start.0;
            while start + step <= period.end.0 {
                let span = Period {
                    start: ClockTime(start),
                    end: ClockTime(start + step),
                };
                if cuts.iter().any(|(cut, _)| cut.overlaps(span)) {
                    start += step;
                    continue;
                }
                let begins = date.and_hms_opt(u32::from(start / 60), u32::from(start % 60), 0);
                let key = SlotKey {
                    counter: counter.id.clone(),
                    date,
                    start: ClockTime(start),
                };
                slots.push(SlotInfo {
                    start: ClockTime(start),
                    end: ClockTime(start + step),
                    capacity: counter.capacity_per_slot,
                    taken: taken(&key),
                    bookable: begins.is_some_and(|b| b >= earliest),
                });
                start += step;
            }
        }
        slots
    }

    /// Up to `limit` offerable slots nearest in time to `wanted` (before or after it), for when
    /// the wanted one is full. One pass over the booking window keeping only the `limit` best:
    /// linear in the window's slots (a year of 5-minute slots is ~100,000), never a sort of
    /// them all.
    pub fn nearest_free(
        &self,
        counter: &Counter,
        wanted: &SlotKey,
        now: NaiveDateTime,
        taken: impl Fn(&SlotKey) -> u32,
        limit: usize,
    ) -> Vec<SlotKey> {
        let wanted_at = wanted
            .date
            .and_hms_opt(0, 0, 0)
            .map(|d| d + TimeDelta::minutes(i64::from(wanted.start.0)));
        let mut nearest: Vec<(i64, SlotKey)> = Vec::with_capacity(limit + 1);
        let mut date = now.date();
        while date <= self.last_bookable_day(now) {
            for slot in self.slots(counter, date, now, &taken) {
                let key = SlotKey {
                    counter: counter.id.clone(),
                    date,
                    start: slot.start,
                };
                if slot.offerable() && key != *wanted {
                    let at = date
                        .and_hms_opt(0, 0, 0)
                        .map(|d| d + TimeDelta::minutes(i64::from(slot.start.0)));
                    let distance = match (at, wanted_at) {
                        (Some(a), Some(w)) => (a - w).num_minutes().abs(),
                        _ => i64::MAX,
                    };
                    let candidate = (distance, key);
                    let place = nearest.partition_point(|kept| *kept < candidate);
                    if place < limit {
                        nearest.insert(place, candidate);
                        nearest.truncate(limit);
                    }
                }
            }
            date += TimeDelta::days(1);
        }
        nearest.into_iter().map(|(_, key)| key).collect()
    }
}

impl Validate for Plan {
    fn validate(&self) -> Vec<FieldError> {
        let mut errors = FieldErrors::default();
        errors.check_version(self.schema_version, SCHEDULE_SCHEMA_VERSION);
        if !(5..=240).contains(&self.slot_minutes) {
            errors.push(
                "slot_minutes",
                FieldProblem::OutOfRange {
                    value: i64::from(self.slot_minutes),
                    min: 5,
                    max: 240,
                },
            );
        }
        if self.max_days_ahead == 0 || self.max_days_ahead > 366 {
            errors.push(
                "max_days_ahead",
                FieldProblem::OutOfRange {
                    value: i64::from(self.max_days_ahead),
                    min: 1,
                    max: 366,
                },
            );
        }
        let mut weekly_errors = FieldErrors::default();
        self.weekly.check(&mut weekly_errors);
        for error in weekly_errors.0 {
            errors.push(
                error.field.replacen("opening_hours", "weekly", 1),
                error.problem,
            );
        }
        if self.counters.is_empty() {
            errors.push("counters", FieldProblem::EmptyList);
        }
        for (i, counter) in self.counters.iter().enumerate() {
            errors.check_text(format!("counters[{i}].name"), &counter.name);
            if counter.capacity_per_slot == 0 {
                errors.push(
                    format!("counters[{i}].capacity_per_slot"),
                    FieldProblem::OutOfRange {
                        value: 0,
                        min: 1,
                        max: 100,
                    },
                );
            }
        }
        if let Some(checked) = &self.holidays_checked {
            errors.check_date("holidays_checked", checked);
        }
        for (i, holiday) in self.holidays.iter().enumerate() {
            errors.check_date(format!("holidays[{i}].date"), &holiday.date);
            errors.check_text(format!("holidays[{i}].name"), &holiday.name);
        }
        for (i, day) in self.make_up_days.iter().enumerate() {
            errors.check_date(format!("make_up_days[{i}].date"), &day.date);
            errors.check_text(format!("make_up_days[{i}].name"), &day.name);
        }
        for (i, closure) in self.closures.iter().enumerate() {
            errors.check_range(&format!("closures[{i}]"), &closure.from, &closure.to);
            errors.check_text(format!("closures[{i}].reason"), &closure.reason);
            if let Some(hours) = &closure.hours {
                if Period::parse(hours).is_none() {
                    errors.push(
                        format!("closures[{i}].hours"),
                        FieldProblem::BadPeriod(hours.clone()),
                    );
                }
            }
        }
        errors.0
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::data_file::parse_data_file;

    /// Mon–Fri 07:30–11:30 and 13:30–17:00, Sat morning, 30-minute slots, 2 places, 2 h notice,
    /// 30 days ahead; 1 Jan and 30 Apr holidays; Sunday 2026-06-28 a make-up working day.
    pub(crate) fn plan() -> Plan {
        let text = r#"{
          "schema_version": 1, "slot_minutes": 30, "min_notice_minutes": 120, "max_days_ahead": 30,
          "weekly": {"mon": ["07:30-11:30", "13:30-17:00"], "tue": ["07:30-11:30", "13:30-17:00"],
                     "wed": ["07:30-11:30", "13:30-17:00"], "thu": ["07:30-11:30", "13:30-17:00"],
                     "fri": ["07:30-11:30", "13:30-17:00"], "sat": ["07:30-11:30"], "sun": []},
          "counters": [{"id": "id-card", "name": {"vi": "Quầy căn cước", "en": "ID desk"}, "capacity_per_slot": 2,
                        "procedures": ["id-card-replace"]}],
          "holidays": [{"date": "2027-01-01", "name": {"vi": "Tết Dương lịch", "en": "New Year"}},
                       {"date": "2026-04-30", "name": {"vi": "30/4", "en": "30 April"}, "confirmed": false}],
          "make_up_days": [{"date": "2026-06-28", "hours_of": "mon", "name": {"vi": "Làm bù", "en": "Make-up day"}}],
          "closures": [{"from": "2026-12-24", "to": "2026-12-25", "reason": {"vi": "Tập huấn", "en": "Training"}}]
        }"#;
        match parse_data_file::<Plan>(SCHEDULE_FILE, text) {
            Ok(plan) => plan,
            Err(e) => panic!("{e}"),
        }
    }

    // Guards the day ranges of closures and awaited breaks: a range backwards or a date that
    // is not one names its field.
    #[test]
    fn a_backwards_or_unreadable_range_names_its_field() {
        use crate::data_file::DataFile;
        use crate::editor_notes::PlanNotes;
        let mut broken = plan();
        broken.closures[0].from = "2026-12-26".into();
        let notes = PlanNotes {
            awaiting: vec![AwaitedBreak {
                name: "Tết".into(),
                from: "2027-02-31".into(),
                to: "2027-02-14".into(),
                note: String::new(),
            }],
            queue: crate::queue::QueueRules {
                calls_before_no_show: 0,
                ..Default::default()
            },
        };
        let fields: Vec<String> = (broken.validate().into_iter())
            .chain(broken.validate_notes(&notes))
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "closures[0].to",
                "queue.calls_before_no_show",
                "awaiting[0].from"
            ]
        );
        assert!(plan().validate().is_empty());
        assert!(plan().validate_notes(&PlanNotes::default()).is_empty());
    }

    pub(crate) fn at(date: &str, hour: u32, minute: u32) -> NaiveDateTime {
        parse_iso_date(date)
            .and_then(|d| d.and_hms_opt(hour, minute, 0))
            .expect("valid")
    }

    pub(crate) fn day(date: &str) -> NaiveDate {
        parse_iso_date(date).expect("valid")
    }

    fn none_taken(_: &SlotKey) -> u32 {
        0
    }

    #[test]
    fn a_weekday_has_slots_in_both_periods_and_none_in_the_lunch_break() {
        let plan = plan();
        let counter = &plan.counters[0];
        let slots = plan.slots(
            counter,
            day("2026-11-30"),
            at("2026-11-24", 8, 0),
            none_taken,
        );
        assert_eq!(
            slots.len(),
            8 + 7,
            "07:30–11:30 is 8 slots, 13:30–17:00 is 7"
        );
        assert_eq!(slots[0].start.to_string(), "07:30");
        assert_eq!(slots[7].end.to_string(), "11:30");
        assert_eq!(slots[8].start.to_string(), "13:30");
        assert!(
            slots
                .iter()
                .all(|s| !(ClockTime(690)..ClockTime(810)).contains(&s.start)),
            "nothing starts 11:30–13:30"
        );
    }

    #[test]
    fn saturday_morning_sunday_closed_make_up_sunday_open() {
        let plan = plan();
        let counter = &plan.counters[0];
        let now = at("2026-06-01", 8, 0);
        assert_eq!(
            plan.slots(counter, day("2026-06-06"), now, none_taken)
                .len(),
            8
        );
        assert!(plan
            .slots(counter, day("2026-06-07"), now, none_taken)
            .is_empty());
        assert_eq!(plan.day_status(day("2026-06-07")), DayStatus::NoReception);
        assert_eq!(
            plan.slots(counter, day("2026-06-28"), now, none_taken)
                .len(),
            15,
            "make-up Sunday uses Monday's hours"
        );
    }

    #[test]
    fn holidays_even_unconfirmed_and_closures_offer_nothing() {
        let plan = plan();
        let counter = &plan.counters[0];
        assert!(plan
            .slots(
                counter,
                day("2026-04-30"),
                at("2026-04-20", 8, 0),
                none_taken
            )
            .is_empty());
        assert!(
            matches!(plan.day_status(day("2026-04-30")), DayStatus::Holiday(h) if !h.confirmed)
        );
        assert!(plan
            .slots(
                counter,
                day("2026-12-24"),
                at("2026-12-20", 8, 0),
                none_taken
            )
            .is_empty());
        assert!(plan
            .slots(
                counter,
                day("2026-12-25"),
                at("2026-12-20", 8, 0),
                none_taken
            )
            .is_empty());
        assert_eq!(
            plan.slots(
                counter,
                day("2026-12-26"),
                at("2026-12-20", 8, 0),
                none_taken
            )
            .len(),
            8
        );
    }

    fn part_day(from: &str, to: &str, hours: &str) -> Closure {
        Closure {
            from: from.into(),
            to: to.into(),
            reason: Localized {
                vi: "Tập huấn".into(),
                en: "Training".into(),
            },
            hours: Some(hours.into()),
        }
    }

    // "Closed this afternoon": the afternoon's slots go, the morning's stay with their starts;
    // an hour cut out of the morning leaves the slots around it; a closure over all of a day's
    // hours closes the day with its reason; the queue is closed only inside those hours.
    #[test]
    fn a_part_day_closure_takes_out_its_hours_only() {
        let mut plan = plan();
        plan.closures = vec![
            part_day("2026-12-14", "2026-12-14", "13:30-17:00"),
            part_day("2026-12-15", "2026-12-15", "09:00-10:00"),
            part_day("2026-12-19", "2026-12-19", "07:00-12:00"),
        ];
        let counter = plan.counters[0].clone();
        let now = at("2026-12-10", 8, 0);
        let starts = |date: &str| -> Vec<String> {
            plan.slots(&counter, day(date), now, none_taken)
                .iter()
                .map(|s| s.start.to_string())
                .collect()
        };
        assert_eq!(
            starts("2026-12-14"),
            ["07:30", "08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00"]
        );
        let tuesday = starts("2026-12-15");
        assert!(tuesday.contains(&"08:30".to_owned()) && tuesday.contains(&"10:00".to_owned()));
        assert!(!tuesday.contains(&"09:00".to_owned()) && !tuesday.contains(&"09:30".to_owned()));
        assert_eq!(tuesday.len(), 8 - 2 + 7);
        assert!(matches!(plan.day_status(day("2026-12-15")), DayStatus::Open(p) if p.len() == 3));
        assert!(matches!(
            plan.day_status(day("2026-12-19")),
            DayStatus::Closed(c) if c.reason.vi == "Tập huấn"
        ));
        assert!(starts("2026-12-19").is_empty());
        assert_eq!(plan.part_closures(day("2026-12-14")).len(), 1);
        let slot_at = |date: &str, start: u16| SlotKey {
            counter: counter.id.clone(),
            date: day(date),
            start: ClockTime(start),
        };
        // 13:00–13:30 touches nothing; 13:15 would run into the closure; 17:00 is after it.
        assert!(!plan.part_closed(&slot_at("2026-12-14", 13 * 60)));
        assert!(plan.part_closed(&slot_at("2026-12-14", 13 * 60 + 15)));
        assert!(!plan.part_closed(&slot_at("2026-12-14", 17 * 60)));
        assert!(plan.closure_at(day("2026-12-14"), 11 * 60).is_none());
        assert!(plan.closure_at(day("2026-12-14"), 13 * 60 + 30).is_some());
        assert!(plan.closure_at(day("2026-12-14"), 17 * 60).is_none());
        assert!(plan.closure_at(day("2026-12-13"), 14 * 60).is_none());
    }

    #[test]
    fn part_day_hours_must_read_as_a_period() {
        let mut plan = plan();
        plan.closures = vec![part_day("2026-12-14", "2026-12-14", "chiều")];
        let fields: Vec<String> = plan.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["closures[0].hours"]);
        // Unreadable hours close the whole day: closed is the safe side.
        assert!(matches!(
            plan.day_status(day("2026-12-14")),
            DayStatus::Closed(_)
        ));
    }

    #[test]
    fn past_slots_and_slots_inside_the_notice_are_not_bookable() {
        let plan = plan();
        let counter = &plan.counters[0];
        // 09:10 now: everything before 11:10 is past or inside the two hours' notice.
        let slots = plan.slots(
            counter,
            day("2026-11-24"),
            at("2026-11-24", 9, 10),
            none_taken,
        );
        let bookable: Vec<String> = slots
            .iter()
            .filter(|s| s.bookable)
            .map(|s| s.start.to_string())
            .collect();
        assert_eq!(bookable.first().map(String::as_str), Some("13:30"));
        assert!(slots
            .iter()
            .filter(|s| s.start < ClockTime(11 * 60 + 10))
            .all(|s| !s.bookable));
        // Exactly two hours ahead is allowed.
        let edge = plan.slots(
            counter,
            day("2026-11-24"),
            at("2026-11-24", 11, 30),
            none_taken,
        );
        assert!(edge
            .iter()
            .find(|s| s.start.to_string() == "13:30")
            .is_some_and(|s| s.bookable));
        // Yesterday has nothing.
        assert!(plan
            .slots(
                counter,
                day("2026-11-23"),
                at("2026-11-24", 9, 10),
                none_taken
            )
            .is_empty());
    }

    #[test]
    fn booking_window_crosses_month_and_year_ends() {
        let plan = plan();
        let counter = &plan.counters[0];
        let now = at("2026-12-30", 16, 0);
        assert_eq!(plan.last_bookable_day(now), day("2027-01-29"));
        assert!(
            plan.slots(counter, day("2027-01-01"), now, none_taken)
                .is_empty(),
            "New Year holiday"
        );
        assert_eq!(
            plan.slots(counter, day("2027-01-02"), now, none_taken)
                .len(),
            8,
            "Saturday 2 Jan"
        );
        assert_eq!(
            plan.slots(counter, day("2027-01-29"), now, none_taken)
                .len(),
            15,
            "last day in the window"
        );
        assert!(
            plan.slots(counter, day("2027-01-30"), now, none_taken)
                .is_empty(),
            "one day beyond"
        );
        // 28 Feb → 1 Mar in a non-leap year.
        let feb = at("2027-02-27", 8, 0);
        assert_eq!(
            plan.slots(counter, day("2027-03-01"), feb, none_taken)
                .len(),
            15
        );
    }

    #[test]
    fn capacity_counts_and_the_nearest_free_slots_are_offered() {
        let plan = plan();
        let counter = &plan.counters[0];
        let now = at("2026-11-24", 8, 0);
        let wanted = SlotKey {
            counter: "id-card".into(),
            date: day("2026-11-30"),
            start: ClockTime(8 * 60),
        };
        let full = |key: &SlotKey| if key == &wanted { 2 } else { 0 };
        let slots = plan.slots(counter, wanted.date, now, full);
        let eight = slots
            .iter()
            .find(|s| s.start == wanted.start)
            .expect("08:00");
        assert_eq!((eight.free(), eight.offerable()), (0, false));
        let nearest = plan.nearest_free(counter, &wanted, now, full, 2);
        let starts: Vec<String> = nearest.iter().map(|k| k.start.to_string()).collect();
        assert_eq!(starts, ["07:30", "08:30"]);
        assert!(nearest.iter().all(|k| k.date == wanted.date));
    }

    // Guards against the nearest-free search sorting every slot of the window (it ran on the
    // server's request thread): the one-pass search gives what a full sort would, in order,
    // whatever is full, on a window of ~25,000 five-minute slots.
    #[test]
    fn the_nearest_free_slots_are_those_a_full_sort_would_give() {
        let mut plan = plan();
        plan.slot_minutes = 5;
        plan.max_days_ahead = 366;
        let counter = &plan.counters[0];
        let now = at("2026-11-24", 8, 0);
        let wanted = SlotKey {
            counter: "id-card".into(),
            date: day("2027-03-10"),
            start: ClockTime(9 * 60),
        };
        // Everything within three hours of the wanted time is full, and every third slot.
        let taken = |key: &SlotKey| {
            let near = key.date == wanted.date && key.start.0.abs_diff(wanted.start.0) <= 180;
            if near || key.start.0 % 15 == 0 {
                counter.capacity_per_slot
            } else {
                0
            }
        };
        let mut all: Vec<(i64, SlotKey)> = Vec::new();
        let mut date = now.date();
        while date <= plan.last_bookable_day(now) {
            for slot in plan.slots(counter, date, now, taken) {
                let key = SlotKey {
                    counter: counter.id.clone(),
                    date,
                    start: slot.start,
                };
                if slot.offerable() && key != wanted {
                    let minutes = |k: &SlotKey| {
                        (k.date - day("2026-01-01")).num_days() * 1440 + i64::from(k.start.0)
                    };
                    all.push(((minutes(&key) - minutes(&wanted)).abs(), key));
                }
            }
            date += TimeDelta::days(1);
        }
        assert!(all.len() > 15_000, "{} candidates", all.len());
        all.sort();
        for limit in [1, 3, 10] {
            let expected: Vec<SlotKey> = all.iter().take(limit).map(|(_, k)| k.clone()).collect();
            assert_eq!(
                plan.nearest_free(counter, &wanted, now, taken, limit),
                expected
            );
        }
        assert!(plan
            .nearest_free(counter, &wanted, now, taken, 0)
            .is_empty());
    }
}
