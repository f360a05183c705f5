//! The station's service figures, drawn from the queue's event log (#27): per counter and per
//! procedure, tickets, waiting time (taken → first called) and service time (started, or called
//! when nobody pressed "Start", → done) as median and 90th percentile, citizens who did not come
//! or left, appointments kept against walk-ins, arrivals per hour; and what the service times
//! say about the working plan's slot length. Pure: the events and the plan are given.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::queue::EventKind;
use super::schedule::Plan;
use super::text::Lang;

/// One step of one ticket, as the event log keeps it with its ticket's facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub ticket: i64,
    pub procedure: String,
    /// The counter the step happened at (a transfer's is the counter sent to).
    pub counter: String,
    pub appointment: bool,
    pub event: EventKind,
    pub at_ms: i64,
}

/// A median and a 90th percentile, seconds; none without any measure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spread {
    pub count: u32,
    pub median_secs: Option<u32>,
    pub p90_secs: Option<u32>,
}

impl Spread {
    fn of(mut secs: Vec<u32>) -> Spread {
        secs.sort_unstable();
        let at = |p: f64| -> Option<u32> {
            if secs.is_empty() {
                return None;
            }
            // The nearest-rank percentile: the smallest value with at least p of them at or below.
            let rank = ((secs.len() as f64) * p).ceil() as usize;
            secs.get(rank.clamp(1, secs.len()) - 1).copied()
        };
        Spread {
            count: u32::try_from(secs.len()).unwrap_or(u32::MAX),
            median_secs: at(0.5),
            p90_secs: at(0.9),
        }
    }
}

/// The figures of one counter, for all its procedures (`procedure` None) or one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub counter: String,
    pub procedure: Option<String>,
    pub tickets: u32,
    pub appointments: u32,
    pub walk_ins: u32,
    pub served: u32,
    pub no_shows: u32,
    pub left: u32,
    pub wait: Spread,
    pub service: Spread,
}

/// The figures over a range of days.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Each counter's total first, then its procedures, in the order first seen.
    pub rows: Vec<Row>,
    /// Numbers taken (and appointments checked in) per office hour, 0–23.
    pub arrivals_by_hour: Vec<u32>,
    pub suggestions: Vec<Suggestion>,
}

/// What the service times say about the plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Suggestion {
    /// A counter's median service is longer than the slot: bookings will run late.
    SlotTooShort {
        counter: String,
        median_minutes: u32,
        slot_minutes: u16,
    },
    /// A counter's median service is under half the slot: it could take more bookings.
    SlotTooLong {
        counter: String,
        median_minutes: u32,
        slot_minutes: u16,
    },
}

/// Services needed at a counter before its times suggest anything.
pub const SUGGEST_AFTER: u32 = 10;

impl Suggestion {
    pub fn message(&self, lang: Lang, counter_name: &str) -> String {
        match (self, lang) {
            (Suggestion::SlotTooShort { median_minutes, slot_minutes, .. }, Lang::Vi) => format!(
                "{counter_name}: mỗi lượt mất khoảng {median_minutes} phút (trung vị), dài hơn một khung giờ hẹn ({slot_minutes} phút). Nên tăng slot_minutes hoặc giảm capacity_per_slot trong schedule.json."
            ),
            (Suggestion::SlotTooShort { median_minutes, slot_minutes, .. }, Lang::En) => format!(
                "{counter_name}: a citizen takes about {median_minutes} minutes (median), longer than a booking slot ({slot_minutes} minutes). Consider a longer slot_minutes or a smaller capacity_per_slot in schedule.json."
            ),
            (Suggestion::SlotTooLong { median_minutes, slot_minutes, .. }, Lang::Vi) => format!(
                "{counter_name}: mỗi lượt chỉ mất khoảng {median_minutes} phút (trung vị), chưa đến nửa khung giờ hẹn ({slot_minutes} phút). Có thể tăng capacity_per_slot trong schedule.json để nhận thêm lịch hẹn."
            ),
            (Suggestion::SlotTooLong { median_minutes, slot_minutes, .. }, Lang::En) => format!(
                "{counter_name}: a citizen takes only about {median_minutes} minutes (median), under half a booking slot ({slot_minutes} minutes). A larger capacity_per_slot in schedule.json would take more bookings."
            ),
        }
    }
}

/// One ticket's story, from its steps in order.
#[derive(Default)]
struct Story {
    procedure: String,
    counter: String,
    appointment: bool,
    taken: Option<i64>,
    first_called: Option<i64>,
    service_from: Option<i64>,
    done: Option<i64>,
    no_show: bool,
    left: bool,
}

/// A row's counter and procedure (None: the counter's total).
type RowKey = (String, Option<String>);
/// A row being gathered, with its waits and services (seconds).
type Gathered = (Row, Vec<u32>, Vec<u32>);

fn secs_between(from: i64, to: i64) -> Option<u32> {
    u32::try_from((to - from) / 1000).ok()
}

/// The figures of `steps` (in the order they happened), with suggestions against `plan`.
/// `hour_of` gives a moment's office hour (the caller's clock conversion).
pub fn figures(steps: &[Step], plan: &Plan, hour_of: impl Fn(i64) -> Option<u32>) -> Figures {
    let mut stories: BTreeMap<i64, Story> = BTreeMap::new();
    let mut arrivals = vec![0u32; 24];
    for step in steps {
        let story = stories.entry(step.ticket).or_default();
        story.procedure.clone_from(&step.procedure);
        story.counter.clone_from(&step.counter);
        story.appointment = step.appointment;
        match step.event {
            EventKind::Taken => {
                story.taken = Some(step.at_ms);
                if let Some(hour) = hour_of(step.at_ms).and_then(|h| arrivals.get_mut(h as usize)) {
                    *hour += 1;
                }
            }
            EventKind::Called => {
                story.first_called.get_or_insert(step.at_ms);
                // A call again restarts the wait for the citizen to come; service starts at the
                // last call unless "Start" is pressed.
                story.service_from = Some(step.at_ms);
            }
            EventKind::Started => story.service_from = Some(step.at_ms),
            EventKind::Done => story.done = Some(step.at_ms),
            EventKind::NoShow => story.no_show = true,
            EventKind::Left => story.left = true,
            // A transfer waits again at the other counter; its wait there counts from here.
            EventKind::Transferred => {
                story.first_called = None;
                story.service_from = None;
            }
        }
    }
    let mut order: Vec<RowKey> = Vec::new();
    let mut found: BTreeMap<RowKey, Gathered> = BTreeMap::new();
    for story in stories.values() {
        for key in [
            (story.counter.clone(), None),
            (story.counter.clone(), Some(story.procedure.clone())),
        ] {
            let (row, waits, services) = found.entry(key.clone()).or_insert_with(|| {
                order.push(key.clone());
                (
                    Row {
                        counter: key.0.clone(),
                        procedure: key.1.clone(),
                        ..Row::default()
                    },
                    Vec::new(),
                    Vec::new(),
                )
            });
            row.tickets += 1;
            if story.appointment {
                row.appointments += 1;
            } else {
                row.walk_ins += 1;
            }
            row.no_shows += u32::from(story.no_show);
            row.left += u32::from(story.left);
            if let (Some(taken), Some(called)) = (story.taken, story.first_called) {
                waits.extend(secs_between(taken, called));
            }
            if let (Some(from), Some(done)) = (story.service_from, story.done) {
                row.served += 1;
                services.extend(secs_between(from, done));
            }
        }
    }
    // Each counter's total, then its procedures.
    order.sort_by_key(|(counter, procedure)| {
        let at = plan
            .counters
            .iter()
            .position(|c| &c.id == counter)
            .unwrap_or(usize::MAX);
        (at, counter.clone(), procedure.is_some())
    });
    let rows: Vec<Row> = order
        .into_iter()
        .filter_map(|key| found.remove(&key))
        .map(|(mut row, waits, services)| {
            row.wait = Spread::of(waits);
            row.service = Spread::of(services);
            row
        })
        .collect();
    let suggestions = rows
        .iter()
        .filter(|row| row.procedure.is_none() && row.service.count >= SUGGEST_AFTER)
        .filter_map(|row| {
            let median_minutes = row.service.median_secs?.div_ceil(60);
            let slot_minutes = plan.slot_minutes;
            if median_minutes > u32::from(slot_minutes) {
                Some(Suggestion::SlotTooShort {
                    counter: row.counter.clone(),
                    median_minutes,
                    slot_minutes,
                })
            } else if median_minutes * 2 < u32::from(slot_minutes) {
                Some(Suggestion::SlotTooLong {
                    counter: row.counter.clone(),
                    median_minutes,
                    slot_minutes,
                })
            } else {
                None
            }
        })
        .collect();
    Figures {
        rows,
        arrivals_by_hour: arrivals,
        suggestions,
    }
}

/// The figures as CSV (RFC 4180, a header line, minutes with one decimal), for a spreadsheet.
pub fn to_csv(figures: &Figures) -> String {
    fn minutes(secs: Option<u32>) -> String {
        secs.map(|s| format!("{:.1}", f64::from(s) / 60.0))
            .unwrap_or_default()
    }
    fn field(text: &str) -> String {
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    }
    let mut out = String::from(
        "counter,procedure,tickets,appointments,walk_ins,served,no_shows,left,wait_median_min,wait_p90_min,service_median_min,service_p90_min\r\n",
    );
    for row in &figures.rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            field(&row.counter),
            field(row.procedure.as_deref().unwrap_or("*")),
            row.tickets,
            row.appointments,
            row.walk_ins,
            row.served,
            row.no_shows,
            row.left,
            minutes(row.wait.median_secs),
            minutes(row.wait.p90_secs),
            minutes(row.service.median_secs),
            minutes(row.service.p90_secs),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn step(ticket: i64, procedure: &str, event: EventKind, at_min: i64) -> Step {
        Step {
            ticket,
            procedure: procedure.into(),
            counter: "id-card".into(),
            appointment: false,
            event,
            at_ms: at_min * MIN,
        }
    }

    fn plan() -> Plan {
        crate::schedule::tests::plan()
    }

    /// A ticket taken at `taken`, called at `called`, started at `start`, done at `done`.
    fn served(
        ticket: i64,
        procedure: &str,
        taken: i64,
        called: i64,
        start: i64,
        done: i64,
    ) -> Vec<Step> {
        vec![
            step(ticket, procedure, EventKind::Taken, taken),
            step(ticket, procedure, EventKind::Called, called),
            step(ticket, procedure, EventKind::Started, start),
            step(ticket, procedure, EventKind::Done, done),
        ]
    }

    #[test]
    fn waits_and_services_are_medians_and_90th_percentiles_per_counter_and_procedure() {
        let mut steps = Vec::new();
        // Waits 10, 20, 30 minutes; services 5, 10, 15.
        steps.extend(served(1, "id-card-replace", 0, 10, 11, 16));
        steps.extend(served(2, "id-card-replace", 0, 20, 20, 30));
        steps.extend(served(3, "id-card-exchange", 0, 30, 31, 46));
        steps.push(step(4, "id-card-exchange", EventKind::Taken, 5));
        steps.push(step(4, "id-card-exchange", EventKind::Called, 40));
        steps.push(step(4, "id-card-exchange", EventKind::Called, 42));
        steps.push(step(4, "id-card-exchange", EventKind::NoShow, 45));
        let figures = figures(&steps, &plan(), |_| Some(8));
        let total = &figures.rows[0];
        assert_eq!(
            (
                total.procedure.as_deref(),
                total.tickets,
                total.served,
                total.no_shows
            ),
            (None, 4, 3, 1)
        );
        // Waits 10, 20, 30 and the no-show's 35 minutes.
        assert_eq!(total.wait.median_secs, Some(20 * 60));
        assert_eq!(total.wait.p90_secs, Some(35 * 60));
        assert_eq!(total.service.median_secs, Some(10 * 60));
        assert_eq!(total.service.p90_secs, Some(15 * 60));
        let replace = figures
            .rows
            .iter()
            .find(|r| r.procedure.as_deref() == Some("id-card-replace"))
            .expect("a row");
        assert_eq!(
            (replace.tickets, replace.service.median_secs),
            (2, Some(5 * 60))
        );
        assert_eq!(figures.arrivals_by_hour[8], 4);
        assert_eq!(figures.arrivals_by_hour.iter().sum::<u32>(), 4);
    }

    #[test]
    fn service_counts_from_the_last_call_when_nobody_pressed_start_and_a_transfer_waits_again() {
        let steps = vec![
            step(1, "p", EventKind::Taken, 0),
            step(1, "p", EventKind::Called, 5),
            step(1, "p", EventKind::Called, 7),
            step(1, "p", EventKind::Done, 19),
            step(2, "p", EventKind::Taken, 0),
            step(2, "p", EventKind::Called, 10),
            step(2, "p", EventKind::Transferred, 12),
            step(2, "p", EventKind::Called, 30),
            step(2, "p", EventKind::Done, 40),
        ];
        let figures = figures(&steps, &plan(), |_| None);
        let total = &figures.rows[0];
        // Services 12 and 10 minutes; waits 5 and (after the transfer) 30.
        assert_eq!(total.service.median_secs, Some(10 * 60));
        assert_eq!(total.service.p90_secs, Some(12 * 60));
        assert_eq!(total.wait.p90_secs, Some(30 * 60));
        assert_eq!(
            figures.arrivals_by_hour.iter().sum::<u32>(),
            0,
            "no hour known"
        );
    }

    #[test]
    fn appointments_kept_and_walk_ins_are_told_apart() {
        let mut steps = served(1, "p", 0, 1, 1, 2);
        for s in &mut steps {
            s.appointment = true;
        }
        steps.extend(served(2, "p", 0, 3, 3, 4));
        let total = &figures(&steps, &plan(), |_| None).rows[0];
        assert_eq!((total.appointments, total.walk_ins), (1, 1));
    }

    #[test]
    fn the_slot_length_is_questioned_only_after_enough_services() {
        // The plan's slots are 30 minutes.
        let long: Vec<Step> = (0..SUGGEST_AFTER as i64)
            .flat_map(|i| served(i, "p", 0, 1, 1, 41))
            .collect();
        let figures_long = figures(&long, &plan(), |_| None);
        assert!(matches!(
            figures_long.suggestions.as_slice(),
            [Suggestion::SlotTooShort {
                median_minutes: 40,
                slot_minutes: 30,
                ..
            }]
        ));
        assert!(figures_long.suggestions[0]
            .message(Lang::Vi, "Quầy 1")
            .contains("40 phút"));
        let quick: Vec<Step> = (0..SUGGEST_AFTER as i64)
            .flat_map(|i| served(i, "p", 0, 1, 1, 8))
            .collect();
        assert!(matches!(
            figures(&quick, &plan(), |_| None).suggestions.as_slice(),
            [Suggestion::SlotTooLong { .. }]
        ));
        let few: Vec<Step> = (0..3).flat_map(|i| served(i, "p", 0, 1, 1, 41)).collect();
        assert!(figures(&few, &plan(), |_| None).suggestions.is_empty());
        let right: Vec<Step> = (0..SUGGEST_AFTER as i64)
            .flat_map(|i| served(i, "p", 0, 1, 1, 21))
            .collect();
        assert!(figures(&right, &plan(), |_| None).suggestions.is_empty());
    }

    #[test]
    fn the_csv_has_a_header_a_line_per_row_and_quotes_what_needs_it() {
        let mut steps = served(1, "a,b", 0, 10, 10, 25);
        steps.push(step(2, "p", EventKind::Taken, 0));
        let csv = to_csv(&figures(&steps, &plan(), |_| None));
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[0].starts_with("counter,procedure,tickets"));
        assert_eq!(lines[1], "id-card,*,2,0,2,1,0,0,10.0,10.0,15.0,15.0");
        assert!(
            lines.iter().any(|l| l.starts_with("id-card,\"a,b\",1,")),
            "{csv}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("id-card,p,1,0,1,0,0,0,,,,")),
            "{csv}"
        );
    }
}
