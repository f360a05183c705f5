//! The booking page's flow, pure: which procedure, day and time are chosen, what the station's
//! counts say, what a full time offers instead, when a request is sent and with which
//! idempotency key, and what each answer leads to. The page (`ui::pages::book`) draws it and
//! runs the commands it returns (ask the station, send, open the slip); nothing here touches
//! the clock, the network or the DOM — the office's time, the plan and a fresh key are given.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::booking::{check_contact, format_slot, BookingError, BookingRequest, ContactField};
use super::schedule::{weekday, Counter, DayStatus, Plan, SlotInfo, SlotKey};
use super::station::{Period, Weekday};
use super::station_api::Availability;
use super::text::Localized;

/// How many free times a full one offers instead.
pub const NEAREST_OFFERED: usize = 3;

/// A new booking, or moving one this device keeps (it keeps its procedure).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    New,
    Move { code: String },
}

/// What the station said about the places taken for the chosen procedure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Counts {
    /// Asked, not answered yet: no counts are shown until they are known.
    Asking,
    Known(Availability),
    /// The station could not say: the days are offered and the station decides when booking.
    Unknown,
}

/// Where on the page a problem belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Name,
    Phone,
    Consent,
    Time,
}

/// Why an attempt did not go through, kept untranslated until drawn (i18n words it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    Refused(BookingError),
    ConsentMissing,
}

/// What the citizen typed and ticked, read when they send.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Details {
    pub name: String,
    pub phone: String,
    pub consent: bool,
    /// Keep the booking on this device (with the citizen's consent; never on a kiosk).
    pub keep: bool,
}

/// Work for the page to do; its outcome comes back through `counts_answered` or `answered`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Ask the station for the places taken for this procedure.
    AskCounts(String),
    /// Send to the station; its answer comes back through `answered`.
    Send(Sending),
    /// Move the focus to the nearest free times just offered.
    ShowNearest,
    /// Done: open the slip of this booking.
    OpenSlip(String),
}

/// What is sent to the station.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sending {
    /// A new booking; a resend of the same request carries the same key, so a lost answer
    /// never books twice.
    Book {
        request: BookingRequest,
        key: String,
        keep: bool,
    },
    Move {
        code: String,
        slot: SlotKey,
    },
}

/// One day of the booking window as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayChoice {
    pub date: NaiveDate,
    pub weekday: Weekday,
    pub offer: DayOffer,
    /// Hours of an open day a part-day closure takes out, with its reason ("closed this
    /// afternoon: training").
    pub closed_hours: Option<(Period, Localized)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DayOffer {
    /// Open with this many free places over the day.
    Free(u32),
    Holiday(Localized),
    Closed(Localized),
    NoReception,
    Full,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BookingFlow {
    pub purpose: Purpose,
    pub procedure: Option<String>,
    pub day: Option<NaiveDate>,
    pub slot: Option<SlotKey>,
    pub counts: Counts,
    /// Counts the changes of what the day and time lists are drawn from (the procedure and
    /// its counts): the page redraws those lists only then.
    pub lists_version: u32,
    pub nearest: Vec<SlotKey>,
    pub sending: bool,
    /// The last attempt's problems, errors first as found.
    pub problems: Vec<(Field, Problem)>,
    /// Counts the changes of `problems`: the same problems again are still a new report (the
    /// page moves the focus to them each time).
    pub problems_version: u32,
    /// The last new-booking request sent and its key: a resend after a lost answer reuses it,
    /// a changed request gets the fresh key offered with it.
    sent: Option<(String, String)>,
}

impl BookingFlow {
    /// The page opened, with a procedure already chosen (from a procedure page, or the one of
    /// the booking being moved) or none.
    pub fn new(purpose: Purpose, procedure: Option<String>) -> (Self, Option<Command>) {
        let ask = procedure.clone().map(Command::AskCounts);
        let flow = BookingFlow {
            purpose,
            counts: if ask.is_some() {
                Counts::Asking
            } else {
                Counts::Unknown
            },
            procedure,
            lists_version: 0,
            day: None,
            slot: None,
            nearest: Vec::new(),
            sending: false,
            problems: Vec::new(),
            problems_version: 0,
            sent: None,
        };
        (flow, ask)
    }

    /// The station's counts are asked for and not answered yet.
    pub fn asking(&self) -> bool {
        matches!(self.counts, Counts::Asking)
    }

    pub fn is_move(&self) -> bool {
        matches!(self.purpose, Purpose::Move { .. })
    }

    /// Places the station counts as taken in a slot (0 while unknown: the station decides).
    pub fn taken(&self, slot: &SlotKey) -> u32 {
        match &self.counts {
            Counts::Known(availability) => availability.taken(slot),
            Counts::Asking | Counts::Unknown => 0,
        }
    }

    /// Another procedure: the day and time chosen for the last one no longer hold.
    pub fn choose_procedure(&mut self, id: String) -> Command {
        self.procedure = Some(id.clone());
        self.day = None;
        self.slot = None;
        self.nearest.clear();
        self.counts = Counts::Asking;
        self.lists_version += 1;
        Command::AskCounts(id)
    }

    /// The station's counts (or `None` when it could not say). An answer for a procedure no
    /// longer chosen is dropped.
    pub fn counts_answered(&mut self, procedure: &str, counts: Option<Availability>) {
        if self.procedure.as_deref() != Some(procedure) {
            return;
        }
        self.counts = counts.map_or(Counts::Unknown, Counts::Known);
        self.lists_version += 1;
    }

    pub fn choose_day(&mut self, date: NaiveDate) {
        self.day = Some(date);
        self.slot = None;
        self.nearest.clear();
    }

    /// A time was pressed: a free one is chosen; a full one says so and offers the nearest
    /// free times instead.
    pub fn choose_time(
        &mut self,
        plan: &Plan,
        now: NaiveDateTime,
        key: SlotKey,
    ) -> Option<Command> {
        let counter = self.counter(plan)?;
        let free = plan
            .slots(counter, key.date, now, |s| self.taken(s))
            .iter()
            .find(|s| s.start == key.start)
            .is_some_and(|s| s.offerable());
        if free {
            self.nearest.clear();
            self.slot = Some(key);
            None
        } else {
            self.slot = None;
            self.nearest =
                plan.nearest_free(counter, &key, now, |s| self.taken(s), NEAREST_OFFERED);
            Some(Command::ShowNearest)
        }
    }

    /// One of the nearest free times offered instead of a full one.
    pub fn choose_nearest(&mut self, key: SlotKey) {
        self.day = Some(key.date);
        self.slot = Some(key);
        self.nearest.clear();
    }

    /// The citizen sends. Problems with what they typed are all reported at once and nothing
    /// is sent; while a request is on its way, pressing again does nothing.
    pub fn submit(&mut self, details: &Details, fresh_key: String) -> Option<Command> {
        if self.sending {
            return None;
        }
        let slot = self.slot.clone()?;
        let command = match &self.purpose {
            Purpose::Move { code } => Sending::Move {
                code: code.clone(),
                slot,
            },
            Purpose::New => {
                let mut found: Vec<(Field, Problem)> = check_contact(&details.name, &details.phone)
                    .into_iter()
                    .map(|(field, problem)| {
                        let field = match field {
                            ContactField::Name => Field::Name,
                            ContactField::Phone => Field::Phone,
                        };
                        (field, Problem::Refused(problem))
                    })
                    .collect();
                if !details.consent {
                    found.push((Field::Consent, Problem::ConsentMissing));
                }
                if !found.is_empty() {
                    self.report(found);
                    return None;
                }
                let request = BookingRequest {
                    procedure: self.procedure.clone()?,
                    slot,
                    name: details.name.clone(),
                    phone: details.phone.clone(),
                };
                let signature = [
                    request.procedure.as_str(),
                    &format_slot(&request.slot),
                    &request.name,
                    &request.phone,
                ]
                .join("\u{1f}");
                let key = match &self.sent {
                    Some((sent, key)) if *sent == signature => key.clone(),
                    _ => {
                        self.sent = Some((signature, fresh_key.clone()));
                        fresh_key
                    }
                };
                Sending::Book {
                    request,
                    key,
                    keep: details.keep,
                }
            }
        };
        if !self.problems.is_empty() {
            self.report(Vec::new());
        }
        self.sending = true;
        Some(Command::Send(command))
    }

    /// The station's answer to what was sent (the booking's code, or why not). A full time
    /// offers the nearest free ones and asks for fresh counts.
    pub fn answered(&mut self, outcome: Result<String, BookingError>) -> Option<Command> {
        self.sending = false;
        match outcome {
            Ok(code) => Some(Command::OpenSlip(code)),
            Err(error) => {
                let field = match &error {
                    BookingError::NameMissing | BookingError::NameInvalid => Field::Name,
                    BookingError::PhoneInvalid => Field::Phone,
                    _ => Field::Time,
                };
                let mut ask = None;
                if let BookingError::SlotFull { nearest } = &error {
                    self.nearest = nearest.clone();
                    if let Some(procedure) = &self.procedure {
                        self.counts = Counts::Asking;
                        self.lists_version += 1;
                        ask = Some(Command::AskCounts(procedure.clone()));
                    }
                }
                self.report(vec![(field, Problem::Refused(error))]);
                ask
            }
        }
    }

    fn report(&mut self, problems: Vec<(Field, Problem)>) {
        self.problems = problems;
        self.problems_version += 1;
    }

    /// The counter that serves the chosen procedure.
    pub fn counter<'p>(&self, plan: &'p Plan) -> Option<&'p Counter> {
        plan.counter_for(self.procedure.as_deref()?)
    }

    /// The booking window's days, each open with its free places or why not. Empty until a
    /// procedure is chosen and its counts are answered.
    pub fn days(&self, plan: &Plan, now: NaiveDateTime) -> Vec<DayChoice> {
        let Some(counter) = self.counter(plan) else {
            return Vec::new();
        };
        if self.asking() {
            return Vec::new();
        }
        let mut days = Vec::new();
        let mut date = now.date();
        while date <= plan.last_bookable_day(now) {
            let offer = match plan.day_status(date) {
                DayStatus::Holiday(holiday) => DayOffer::Holiday(holiday.name.clone()),
                DayStatus::Closed(closure) => DayOffer::Closed(closure.reason.clone()),
                DayStatus::NoReception => DayOffer::NoReception,
                DayStatus::Open(_) => {
                    let free: u32 = self
                        .offered(plan, counter, date, now)
                        .iter()
                        .map(SlotInfo::free)
                        .sum();
                    if free > 0 {
                        DayOffer::Free(free)
                    } else {
                        DayOffer::Full
                    }
                }
            };
            let closed_hours = match offer {
                DayOffer::Free(_) | DayOffer::Full => plan
                    .part_closures(date)
                    .first()
                    .map(|(hours, closure)| (*hours, closure.reason.clone())),
                _ => None,
            };
            days.push(DayChoice {
                date,
                weekday: weekday(date),
                offer,
                closed_hours,
            });
            date += TimeDelta::days(1);
        }
        days
    }

    /// The chosen day's times: full ones stay listed (pressing one offers the nearest), those
    /// inside the notice period or past are never offered, not even greyed out.
    pub fn times(&self, plan: &Plan, now: NaiveDateTime) -> Option<Vec<SlotInfo>> {
        let (counter, date) = (self.counter(plan)?, self.day?);
        (!self.asking()).then(|| self.offered(plan, counter, date, now))
    }

    fn offered(
        &self,
        plan: &Plan,
        counter: &Counter,
        date: NaiveDate,
        now: NaiveDateTime,
    ) -> Vec<SlotInfo> {
        plan.slots(counter, date, now, |s| self.taken(s))
            .into_iter()
            .filter(|s| s.bookable)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::tests::{at, plan};
    use crate::station::ClockTime;
    use crate::station_api::DayCount;

    fn date(text: &str) -> NaiveDate {
        crate::time::parse_iso_date(text).expect("date")
    }

    /// The first counter of the test plan and a procedure it serves.
    fn counter_and_procedure() -> (String, String) {
        let plan = plan();
        let counter = &plan.counters[0];
        (counter.id.clone(), counter.procedures[0].clone())
    }

    fn slot(day: &str, start: &str) -> SlotKey {
        SlotKey {
            counter: counter_and_procedure().0,
            date: date(day),
            start: ClockTime::parse(start).expect("time"),
        }
    }

    /// The station's counts with one slot taken `taken` times.
    fn counts(full: &SlotKey, taken: u32) -> Availability {
        let (counter, procedure) = counter_and_procedure();
        Availability {
            procedure,
            counter,
            capacity: plan().counters[0].capacity_per_slot,
            days: vec![DayCount {
                date: full.date,
                starts: vec![full.start],
                taken: vec![taken],
            }],
        }
    }

    fn details() -> Details {
        Details {
            name: "Nguyễn Thị Hồng Nhung".into(),
            phone: "0912 345 678".into(),
            consent: true,
            keep: false,
        }
    }

    /// Opened from a procedure page, counts answered with nothing taken.
    fn opened() -> BookingFlow {
        let (_, procedure) = counter_and_procedure();
        let (mut flow, ask) = BookingFlow::new(Purpose::New, Some(procedure.clone()));
        assert_eq!(ask, Some(Command::AskCounts(procedure.clone())));
        assert_eq!(flow.counts, Counts::Asking);
        flow.counts_answered(&procedure, None);
        flow
    }

    // The journey the e2e test walks: procedure, day, time, details, sent, slip.
    #[test]
    fn a_booking_goes_from_procedure_to_slip() {
        let plan = plan();
        let now = at("2026-06-29", 8, 0);
        let mut flow = opened();
        let days = flow.days(&plan, now);
        assert_eq!(days.len(), 31, "today and 30 days ahead");
        assert!(matches!(days[0].offer, DayOffer::Free(_)));
        flow.choose_day(date("2026-06-30"));
        let chosen = slot("2026-06-30", "08:00");
        assert_eq!(flow.choose_time(&plan, now, chosen.clone()), None);
        assert_eq!(flow.slot, Some(chosen.clone()));
        let Some(Command::Send(Sending::Book { request, key, keep })) =
            flow.submit(&details(), "key-1".into())
        else {
            panic!("sent");
        };
        assert_eq!((request.slot, key.as_str(), keep), (chosen, "key-1", false));
        assert!(flow.sending);
        // A second press while sending does nothing.
        assert_eq!(flow.submit(&details(), "key-2".into()), None);
        assert_eq!(
            flow.answered(Ok("K7M4QX9".into())),
            Some(Command::OpenSlip("K7M4QX9".into()))
        );
        assert!(!flow.sending);
    }

    // Guards the idempotency key: a resend after a lost answer reuses it (never books twice);
    // a changed request gets a new one.
    #[test]
    fn a_resend_reuses_the_key_and_a_changed_request_gets_a_new_one() {
        let plan = plan();
        let now = at("2026-06-29", 8, 0);
        let mut flow = opened();
        flow.choose_day(date("2026-06-30"));
        flow.choose_time(&plan, now, slot("2026-06-30", "08:00"));
        let key_of = |command: Option<Command>| match command {
            Some(Command::Send(Sending::Book { key, .. })) => key,
            other => panic!("expected a booking, got {other:?}"),
        };
        assert_eq!(key_of(flow.submit(&details(), "first".into())), "first");
        assert_eq!(flow.answered(Err(BookingError::Unreachable)), None);
        assert_eq!(
            flow.problems,
            vec![(Field::Time, Problem::Refused(BookingError::Unreachable))]
        );
        assert_eq!(key_of(flow.submit(&details(), "second".into())), "first");
        flow.answered(Err(BookingError::Unreachable));
        let changed = Details {
            phone: "0987 654 321".into(),
            ..details()
        };
        assert_eq!(key_of(flow.submit(&changed, "third".into())), "third");
        flow.answered(Err(BookingError::Unreachable));
        flow.choose_time(&plan, now, slot("2026-06-30", "08:30"));
        assert_eq!(key_of(flow.submit(&changed, "fourth".into())), "fourth");
    }

    #[test]
    fn every_problem_with_the_details_is_reported_at_once_and_nothing_is_sent() {
        let plan = plan();
        let now = at("2026-06-29", 8, 0);
        let mut flow = opened();
        flow.choose_day(date("2026-06-30"));
        flow.choose_time(&plan, now, slot("2026-06-30", "08:00"));
        let wrong = Details {
            name: String::new(),
            phone: "12345".into(),
            consent: false,
            keep: false,
        };
        assert_eq!(flow.submit(&wrong, "k".into()), None);
        assert_eq!(flow.submit(&wrong, "k".into()), None);
        assert_eq!(
            flow.problems_version, 2,
            "the same problems again are a new report"
        );
        assert_eq!(
            flow.problems,
            vec![
                (Field::Name, Problem::Refused(BookingError::NameMissing)),
                (Field::Phone, Problem::Refused(BookingError::PhoneInvalid)),
                (Field::Consent, Problem::ConsentMissing),
            ]
        );
        assert!(!flow.sending);
        // Fixed, it goes, and the old problems are gone.
        assert!(flow.submit(&details(), "k".into()).is_some());
        assert!(flow.problems.is_empty());
    }

    // Guards the full time: pressing it offers the nearest free ones; the station refusing a
    // time that filled meanwhile does the same and asks for fresh counts.
    #[test]
    fn a_full_time_offers_the_nearest_free_ones() {
        let plan = plan();
        let now = at("2026-06-29", 8, 0);
        let (_, procedure) = counter_and_procedure();
        let full = slot("2026-06-30", "08:00");
        let (mut flow, _) = BookingFlow::new(Purpose::New, Some(procedure.clone()));
        flow.counts_answered(&procedure, Some(counts(&full, 2)));
        flow.choose_day(full.date);
        let times = flow.times(&plan, now).expect("times");
        assert!(times.iter().any(|t| t.start == full.start && t.free() == 0));
        assert_eq!(
            flow.choose_time(&plan, now, full.clone()),
            Some(Command::ShowNearest)
        );
        assert_eq!(flow.slot, None);
        assert_eq!(flow.nearest.len(), NEAREST_OFFERED);
        assert!(!flow.nearest.contains(&full));
        let other = flow.nearest[0].clone();
        flow.choose_nearest(other.clone());
        assert_eq!(
            (flow.day, flow.slot.clone()),
            (Some(other.date), Some(other))
        );
        assert!(flow.nearest.is_empty());

        // Filled between the counts and the sending.
        flow.submit(&details(), "k".into());
        let offered = vec![slot("2026-06-30", "09:00")];
        let ask = flow.answered(Err(BookingError::SlotFull {
            nearest: offered.clone(),
        }));
        assert_eq!(ask, Some(Command::AskCounts(procedure)));
        assert_eq!(flow.counts, Counts::Asking);
        assert_eq!(flow.nearest, offered);
        assert!(matches!(
            flow.problems.as_slice(),
            [(Field::Time, Problem::Refused(BookingError::SlotFull { .. }))]
        ));
    }

    #[test]
    fn already_booked_and_offline_are_said_beside_the_time() {
        let plan = plan();
        let now = at("2026-06-29", 8, 0);
        let mut flow = opened();
        flow.choose_day(date("2026-06-30"));
        flow.choose_time(&plan, now, slot("2026-06-30", "08:00"));
        for error in [
            BookingError::AlreadyBooked,
            BookingError::Unreachable,
            BookingError::TooMany,
        ] {
            flow.submit(&details(), "k".into());
            assert_eq!(flow.answered(Err(error.clone())), None);
            assert_eq!(flow.problems, vec![(Field::Time, Problem::Refused(error))]);
            assert!(!flow.sending);
        }
        // The station's own check of the name lands beside the name.
        flow.submit(&details(), "k".into());
        flow.answered(Err(BookingError::NameInvalid));
        assert_eq!(flow.problems[0].0, Field::Name);
    }

    #[test]
    fn a_move_keeps_its_procedure_and_sends_no_details() {
        let plan = plan();
        let now = at("2026-06-29", 8, 0);
        let (_, procedure) = counter_and_procedure();
        let (mut flow, ask) = BookingFlow::new(
            Purpose::Move {
                code: "K7M4QX9".into(),
            },
            Some(procedure.clone()),
        );
        assert!(flow.is_move() && ask.is_some());
        flow.counts_answered(&procedure, None);
        flow.choose_day(date("2026-07-01"));
        let chosen = slot("2026-07-01", "13:30");
        flow.choose_time(&plan, now, chosen.clone());
        // No name, phone or consent is asked for a move.
        assert_eq!(
            flow.submit(&Details::default(), "k".into()),
            Some(Command::Send(Sending::Move {
                code: "K7M4QX9".into(),
                slot: chosen
            }))
        );
        assert_eq!(
            flow.answered(Ok("K7M4QX9".into())),
            Some(Command::OpenSlip("K7M4QX9".into()))
        );
    }

    // Guards the race the page had in closures: counts for a procedure no longer chosen never
    // replace the chosen one's, and a new procedure forgets the day and time.
    #[test]
    fn a_late_answer_for_another_procedure_is_dropped() {
        let mut plan = plan();
        plan.counters[0].procedures.push("id-card-exchange".into());
        let now = at("2026-06-29", 8, 0);
        let (first, second) = ("id-card-replace".to_owned(), "id-card-exchange".to_owned());
        let (mut flow, _) = BookingFlow::new(Purpose::New, Some(first.clone()));
        flow.counts_answered(&first, None);
        flow.choose_day(date("2026-06-30"));
        assert_eq!(
            flow.choose_procedure(second.clone()),
            Command::AskCounts(second.clone())
        );
        assert_eq!((flow.day, flow.slot.clone()), (None, None));
        let full = slot("2026-06-30", "08:00");
        flow.counts_answered(&first, Some(counts(&full, 2)));
        assert_eq!(
            flow.counts,
            Counts::Asking,
            "the first procedure's answer is dropped"
        );
        assert!(
            flow.days(&plan, now).is_empty(),
            "no days until the counts are known"
        );
        let before = flow.lists_version;
        flow.choose_day(date("2026-06-30"));
        assert_eq!(
            flow.lists_version, before,
            "a day chosen does not redraw the lists"
        );
        flow.counts_answered(&second, None);
        assert_eq!(flow.counts, Counts::Unknown);
        assert_eq!(flow.lists_version, before + 1);
        assert!(
            !flow.days(&plan, now).is_empty(),
            "the station decides when booking"
        );
    }

    #[test]
    fn closed_days_say_why_and_no_procedure_lists_nothing() {
        let plan = plan();
        let (flow, ask) = BookingFlow::new(Purpose::New, None);
        assert_eq!((ask, &flow.counts), (None, &Counts::Unknown));
        assert!(flow.days(&plan, at("2026-12-20", 8, 0)).is_empty());
        let flow = opened();
        let days = flow.days(&plan, at("2026-12-20", 8, 0));
        let offer = |d: &str| {
            days.iter()
                .find(|c| c.date == date(d))
                .map(|c| c.offer.clone())
        };
        assert_eq!(offer("2026-12-20"), Some(DayOffer::NoReception), "a Sunday");
        assert!(matches!(offer("2026-12-24"), Some(DayOffer::Closed(_))));
        assert!(matches!(offer("2027-01-01"), Some(DayOffer::Holiday(_))));
    }

    // "Closed this afternoon": the day stays bookable, says which hours are closed and why, and
    // offers only the morning's times.
    #[test]
    fn a_part_day_closure_is_said_beside_the_day_and_its_times_are_not_offered() {
        let mut plan = plan();
        plan.closures.push(crate::schedule::Closure {
            from: "2026-12-22".into(),
            to: "2026-12-22".into(),
            reason: Localized {
                vi: "Tập huấn".into(),
                en: "Training".into(),
            },
            hours: Some("13:30-17:00".into()),
        });
        let mut flow = opened();
        let now = at("2026-12-20", 8, 0);
        let days = flow.days(&plan, now);
        let tuesday = days
            .iter()
            .find(|c| c.date == date("2026-12-22"))
            .expect("Tuesday listed");
        assert!(matches!(tuesday.offer, DayOffer::Free(_)));
        let (hours, reason) = tuesday.closed_hours.clone().expect("hours said");
        assert_eq!(
            (hours.to_string(), reason.vi.as_str()),
            ("13:30–17:00".to_owned(), "Tập huấn")
        );
        assert!(days
            .iter()
            .filter(|c| c.date != date("2026-12-22"))
            .all(|c| c.closed_hours.is_none()));
        flow.choose_day(date("2026-12-22"));
        let times = flow.times(&plan, now).expect("times");
        assert!(!times.is_empty());
        assert!(times.iter().all(|t| t.start.0 < 13 * 60 + 30));
    }
}
