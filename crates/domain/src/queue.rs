//! One queue for walk-ins and appointments (#27), as pure rules: the order in which a counter
//! calls the citizens waiting for it, what a checked-in appointment becomes when its citizen
//! arrives late, a ticket's label, when "did not come" may be pressed, and an estimated wait.
//! The store keeps the queue's events and numbers tickets; the time is given.

use serde::{Deserialize, Serialize};

/// How a station runs its queue: `queue` in schedule.json, each field optional.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueRules {
    /// The groups the station serves first, as the terminal lists them ("Người từ 75 tuổi trở
    /// lên", …), with the instruction or law behind them. Empty: the terminal offers priority
    /// in general words and the officer decides.
    pub priority_groups: Vec<crate::text::Localized>,
    /// A citizen who checks in more than this many minutes after the slot's start joins the
    /// walk-ins instead (the ticket says so).
    pub late_after_minutes: u16,
    /// Calls without an answer before an officer may mark the ticket "did not come".
    pub calls_before_no_show: u8,
    /// Minutes one citizen takes at a counter, for the estimated wait.
    pub minutes_per_citizen: u16,
}

impl Default for QueueRules {
    fn default() -> Self {
        QueueRules {
            priority_groups: Vec::new(),
            late_after_minutes: 15,
            calls_before_no_show: 3,
            minutes_per_citizen: 10,
        }
    }
}

/// Why a ticket is in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    WalkIn,
    /// A booking checked in on time; `start` is its slot's start (minutes after midnight).
    Appointment {
        start: u16,
    },
}

/// A ticket waiting for a counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub kind: Kind,
    /// For the groups the law gives priority (chosen by the officer or at the terminal).
    pub priority: bool,
    /// The order tickets were taken in (the station's sequence, kept across a transfer, so a
    /// citizen sent to another counter keeps their place there).
    pub taken: i64,
}

/// What a booking checked in at `arrived` (minutes after midnight) becomes in the queue.
pub fn kind_at_check_in(slot_start: u16, arrived: u16, rules: &QueueRules) -> Kind {
    if arrived > slot_start.saturating_add(rules.late_after_minutes) {
        Kind::WalkIn
    } else {
        Kind::Appointment { start: slot_start }
    }
}

/// The order in which `waiting` are called at `now` (minutes after midnight), as indices:
/// appointments whose time has come (earliest slot first), then priority tickets, then
/// walk-ins, each in the order taken; an appointment not yet due comes after them all, so a
/// counter with nobody else waiting never stands idle.
pub fn call_order(waiting: &[Waiting], now: u16) -> Vec<usize> {
    let mut order: Vec<usize> = (0..waiting.len()).collect();
    order.sort_by_key(|&i| {
        let ticket = &waiting[i];
        match ticket.kind {
            Kind::Appointment { start } if start <= now => (0, start, ticket.taken),
            Kind::Appointment { start } => (3, start, ticket.taken),
            Kind::WalkIn if ticket.priority => (1, 0, ticket.taken),
            Kind::WalkIn => (2, 0, ticket.taken),
        }
    });
    order
}

/// Whether an officer may mark a ticket called `calls` times as "did not come".
pub fn may_mark_no_show(calls: u8, rules: &QueueRules) -> bool {
    calls >= rules.calls_before_no_show
}

/// The estimated wait of a citizen with `ahead` people before them, `desks` counters serving.
pub fn estimated_wait_minutes(ahead: usize, desks: usize, rules: &QueueRules) -> u32 {
    let rounds = ahead.div_ceil(desks.max(1));
    u32::try_from(rounds)
        .unwrap_or(u32::MAX)
        .saturating_mul(u32::from(rules.minutes_per_citizen))
}

/// A ticket's label: the counter's letter and the day's number, e.g. "A012".
pub fn ticket_label(letter: char, number: u32) -> String {
    format!("{letter}{number:03}")
}

/// Where a ticket stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Waiting,
    /// Called to a counter, the citizen not there yet.
    Called,
    Serving,
    Done,
    /// Called the station's number of times without coming.
    NoShow,
    /// The citizen left the queue (from their phone).
    Left,
}

crate::named::named_enum!(TicketStatus { "waiting" => Waiting, "called" => Called, "serving" => Serving, "done" => Done, "no_show" => NoShow, "left" => Left });

impl TicketStatus {
    /// The word stored in the station's database and sent over the API.
    pub fn as_str(self) -> &'static str {
        crate::named::name_of(self)
    }

    pub fn parse(text: &str) -> Option<TicketStatus> {
        crate::named::parse(text)
    }

    /// Still in the queue or at a counter.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            TicketStatus::Waiting | TicketStatus::Called | TicketStatus::Serving
        )
    }
}

/// What happened to a ticket: one row of the queue's event log, from which the figures are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Taken,
    Called,
    Started,
    Done,
    NoShow,
    Transferred,
    Left,
}

crate::named::named_enum!(EventKind { "taken" => Taken, "called" => Called, "started" => Started, "done" => Done, "no_show" => NoShow, "transferred" => Transferred, "left" => Left });

impl EventKind {
    pub fn as_str(self) -> &'static str {
        crate::named::name_of(self)
    }

    pub fn parse(text: &str) -> Option<EventKind> {
        crate::named::parse(text)
    }
}

/// What an officer (or the citizen) does to one ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    CallAgain,
    Start,
    Done,
    NoShow,
    /// To another counter's queue; `taken` kept, so its place there follows the call order.
    Transfer {
        to: String,
    },
    /// The citizen leaves the queue.
    Leave,
}

/// Why a ticket cannot do what was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueError {
    /// Nobody waits at this counter.
    Empty,
    /// No ticket of the station's has this number or token.
    UnknownTicket,
    /// The ticket is not at a step that allows this (e.g. "Start" on a ticket not called).
    WrongStep(TicketStatus),
    /// "Did not come" before the station's number of calls.
    TooFewCalls { calls: u8, needed: u8 },
    /// The officer still has a citizen called or at the counter (its label).
    StillServing(String),
    /// A transfer to the counter the ticket already waits at, or to none of the station's.
    UnknownCounter,
    /// No counter of the station serves this procedure.
    NotServed,
    /// The station does not receive citizens today (a closure or a holiday); why, in Vietnamese
    /// and English.
    Closed { vi: String, en: String },
}

impl QueueError {
    /// The message in plain words, Vietnamese and English.
    pub fn message(&self, lang: crate::text::Lang) -> String {
        use crate::text::Lang;
        let vi = lang == Lang::Vi;
        match self {
            QueueError::Empty => {
                if vi {
                    "Không còn ai chờ ở quầy này.".into()
                } else {
                    "Nobody is waiting at this counter.".into()
                }
            }
            QueueError::UnknownTicket => {
                if vi {
                    "Không tìm thấy số thứ tự này.".into()
                } else {
                    "No such ticket.".into()
                }
            }
            QueueError::WrongStep(status) => {
                if vi {
                    format!(
                        "Số này đang ở bước “{}”, không làm được việc này.",
                        status_words(*status, lang)
                    )
                } else {
                    format!(
                        "This ticket is “{}”: that cannot be done now.",
                        status_words(*status, lang)
                    )
                }
            }
            QueueError::TooFewCalls { calls, needed } => {
                if vi {
                    format!(
                        "Mới gọi {calls} lần; cần gọi đủ {needed} lần mới được ghi “không đến”."
                    )
                } else {
                    format!("Called {calls} times; “did not come” needs {needed} calls.")
                }
            }
            QueueError::StillServing(label) => {
                if vi {
                    format!("Hãy xong số {label} trước (“Xong” hoặc “Không đến”).")
                } else {
                    format!("Finish {label} first (“Done” or “Did not come”).")
                }
            }
            QueueError::UnknownCounter => {
                if vi {
                    "Không có quầy này để chuyển đến.".into()
                } else {
                    "There is no such counter to send it to.".into()
                }
            }
            QueueError::NotServed => {
                if vi {
                    "Không quầy nào nhận thủ tục này.".into()
                } else {
                    "No counter serves this procedure.".into()
                }
            }
            QueueError::Closed {
                vi: why_vi,
                en: why_en,
            } => {
                if vi {
                    format!(
                        "Hôm nay trụ sở không tiếp dân: {why_vi}. Hãy hỏi cán bộ trực ban nếu cần."
                    )
                } else {
                    format!("The station is not receiving citizens today: {why_en}. Ask the duty officer if you need help.")
                }
            }
        }
    }
}

/// A ticket's step in plain words.
pub fn status_words(status: TicketStatus, lang: crate::text::Lang) -> &'static str {
    let vi = lang == crate::text::Lang::Vi;
    match status {
        TicketStatus::Waiting => {
            if vi {
                "đang chờ"
            } else {
                "waiting"
            }
        }
        TicketStatus::Called => {
            if vi {
                "đã gọi"
            } else {
                "called"
            }
        }
        TicketStatus::Serving => {
            if vi {
                "đang làm thủ tục"
            } else {
                "at the counter"
            }
        }
        TicketStatus::Done => {
            if vi {
                "đã xong"
            } else {
                "done"
            }
        }
        TicketStatus::NoShow => {
            if vi {
                "không đến"
            } else {
                "did not come"
            }
        }
        TicketStatus::Left => {
            if vi {
                "đã rời hàng"
            } else {
                "left the queue"
            }
        }
    }
}

/// A ticket's step after `action`, with how many times it has been called; or why not.
pub fn after(
    status: TicketStatus,
    calls: u8,
    action: &Action,
    rules: &QueueRules,
) -> Result<(TicketStatus, u8), QueueError> {
    use TicketStatus::*;
    match (action, status) {
        (Action::CallAgain, Called) => Ok((Called, calls.saturating_add(1))),
        (Action::Start, Called) => Ok((Serving, calls)),
        (Action::Done, Called | Serving) => Ok((Done, calls)),
        (Action::NoShow, Called) if may_mark_no_show(calls, rules) => Ok((NoShow, calls)),
        (Action::NoShow, Called) => Err(QueueError::TooFewCalls {
            calls,
            needed: rules.calls_before_no_show,
        }),
        (Action::Transfer { .. }, Waiting | Called | Serving) => Ok((Waiting, 0)),
        (Action::Leave, Waiting | Called) => Ok((Left, calls)),
        (_, status) => Err(QueueError::WrongStep(status)),
    }
}

/// A ticket as the station keeps it: the staff's view. The queue keeps no name or phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: i64,
    pub label: String,
    /// The counter whose queue it is in (another after a transfer).
    pub counter: String,
    pub procedure: String,
    pub priority: bool,
    pub kind: Kind,
    pub status: TicketStatus,
    pub calls: u8,
    /// The account that called it, while called or served.
    pub officer: Option<String>,
    pub taken_ms: i64,
    pub updated_ms: i64,
}

impl Ticket {
    fn waiting(&self) -> Waiting {
        Waiting {
            kind: self.kind,
            priority: self.priority,
            taken: self.id,
        }
    }
}

/// The waiting tickets of `counter` in the order they will be called at `now`.
pub fn queue_at<'t>(tickets: &'t [Ticket], counter: &str, now: u16) -> Vec<&'t Ticket> {
    let waiting: Vec<&Ticket> = tickets
        .iter()
        .filter(|t| t.status == TicketStatus::Waiting && t.counter == counter)
        .collect();
    let order = call_order(
        &waiting.iter().map(|t| t.waiting()).collect::<Vec<_>>(),
        now,
    );
    order.into_iter().map(|i| waiting[i]).collect()
}

/// How many citizens `counter` is serving now (called or at the counter), at least one for the
/// estimate: a counter nobody has opened yet is expected to open.
pub fn desks_busy(tickets: &[Ticket], counter: &str) -> usize {
    tickets
        .iter()
        .filter(|t| {
            t.counter == counter && matches!(t.status, TicketStatus::Called | TicketStatus::Serving)
        })
        .count()
}

/// A counter as citizens see it: its letter on tickets and its number on the screen ("A", 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterSign {
    pub id: String,
    pub letter: char,
    pub number: u8,
}

/// The counters of a plan in order: the first is A and counter 1, the next B and 2, …
pub fn counter_signs(counters: &[crate::schedule::Counter]) -> Vec<CounterSign> {
    counters
        .iter()
        .zip('A'..='Z')
        .zip(1u8..)
        .map(|((counter, letter), number)| CounterSign {
            id: counter.id.clone(),
            letter,
            number,
        })
        .collect()
}

/// The counter whose queue a procedure's tickets join: the first that serves it.
pub fn counter_for<'c>(
    counters: &'c [crate::schedule::Counter],
    procedure: &str,
) -> Option<&'c crate::schedule::Counter> {
    counters
        .iter()
        .find(|c| c.procedures.iter().any(|p| p == procedure))
}

/// A ticket as its citizen sees it (the terminal's slip, the phone): no officer, no id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    pub label: String,
    pub counter: CounterSign,
    pub procedure: String,
    pub priority: bool,
    /// The slot's start for an appointment checked in on time (minutes after midnight).
    pub appointment: Option<u16>,
    pub status: TicketStatus,
    /// Citizens to be called before this one, while waiting.
    pub ahead: Option<u32>,
    pub wait_minutes: Option<u32>,
    pub calls: u8,
    /// The station's rule printed on the ticket: an appointment this many minutes late joins
    /// the walk-ins.
    pub late_after_minutes: u16,
}

/// The citizen's view of `ticket` among the day's `tickets` at `now`.
pub fn view_of(
    ticket: &Ticket,
    tickets: &[Ticket],
    signs: &[CounterSign],
    now: u16,
    rules: &QueueRules,
) -> Option<TicketView> {
    let counter = signs.iter().find(|s| s.id == ticket.counter)?.clone();
    let ahead = (ticket.status == TicketStatus::Waiting).then(|| {
        queue_at(tickets, &ticket.counter, now)
            .iter()
            .position(|t| t.id == ticket.id)
            .unwrap_or(0)
    });
    Some(TicketView {
        label: ticket.label.clone(),
        counter,
        procedure: ticket.procedure.clone(),
        priority: ticket.priority,
        appointment: match ticket.kind {
            Kind::Appointment { start } => Some(start),
            Kind::WalkIn => None,
        },
        status: ticket.status,
        ahead: ahead.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
        wait_minutes: ahead
            .map(|n| estimated_wait_minutes(n, desks_busy(tickets, &ticket.counter), rules)),
        calls: ticket.calls,
        late_after_minutes: rules.late_after_minutes,
    })
}

/// The waiting-room screen: what each counter serves now and how many wait, and the latest
/// calls. Labels and counter numbers only: nothing about who or what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub counters: Vec<BoardCounter>,
    /// Newest first.
    pub calls: Vec<Call>,
    /// The newest event the board includes: a stream resumes after it.
    pub last_event: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardCounter {
    pub sign: CounterSign,
    /// Labels called or at the counter.
    pub serving: Vec<String>,
    pub waiting: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    pub label: String,
    pub counter: u8,
    pub calls: u8,
    pub at_ms: i64,
}

/// How many calls the screen lists.
pub const BOARD_CALLS: usize = 6;

/// The board of the day's `tickets`.
pub fn board(tickets: &[Ticket], signs: &[CounterSign], last_event: i64) -> Board {
    let counters = signs
        .iter()
        .map(|sign| BoardCounter {
            sign: sign.clone(),
            serving: tickets
                .iter()
                .filter(|t| {
                    t.counter == sign.id
                        && matches!(t.status, TicketStatus::Called | TicketStatus::Serving)
                })
                .map(|t| t.label.clone())
                .collect(),
            waiting: u32::try_from(
                tickets
                    .iter()
                    .filter(|t| t.counter == sign.id && t.status == TicketStatus::Waiting)
                    .count(),
            )
            .unwrap_or(u32::MAX),
        })
        .collect();
    let mut called: Vec<&Ticket> = tickets
        .iter()
        .filter(|t| matches!(t.status, TicketStatus::Called | TicketStatus::Serving))
        .collect();
    called.sort_by_key(|t| std::cmp::Reverse((t.updated_ms, t.id)));
    let calls = called
        .into_iter()
        .filter_map(|t| {
            let sign = signs.iter().find(|s| s.id == t.counter)?;
            Some(Call {
                label: t.label.clone(),
                counter: sign.number,
                calls: t.calls,
                at_ms: t.updated_ms,
            })
        })
        .take(BOARD_CALLS)
        .collect();
    Board {
        counters,
        calls,
        last_event,
    }
}

/// One change of the queue as the stream sends it: labels and counters only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEvent {
    pub id: i64,
    pub label: String,
    pub event: EventKind,
    pub counter: String,
    pub at_ms: i64,
}

/// What the screen says for a call: "Mời số A012 đến quầy 2".
pub fn call_words(label: &str, counter: u8, lang: crate::text::Lang) -> String {
    match lang {
        crate::text::Lang::Vi => format!("Mời số {label} đến quầy {counter}"),
        crate::text::Lang::En => format!("Number {label}, please go to counter {counter}"),
    }
}

/// `POST /api/v1/stations/{station}/queue/tickets` (a terminal): a number for a procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TakeNumber {
    pub procedure: String,
    #[serde(default)]
    pub priority: bool,
}

/// The answer: the ticket and the token its QR code carries to the citizen's phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketTaken {
    pub ticket: TicketView,
    pub token: String,
}

/// `POST /api/v1/staff/queue/call-next`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallNext {
    pub counter: String,
}

/// `POST /api/v1/staff/queue/tickets/{id}/transfer`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferTo {
    pub counter: String,
}

/// `GET /api/v1/staff/queue`: the day's open tickets with what the desk needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    pub signs: Vec<CounterSign>,
    /// Every open ticket, each counter's waiting ones in call order.
    pub tickets: Vec<Ticket>,
    pub rules: QueueRules,
    pub last_event: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk_in(taken: i64) -> Waiting {
        Waiting {
            kind: Kind::WalkIn,
            priority: false,
            taken,
        }
    }

    fn at(hour: u16, minute: u16) -> u16 {
        hour * 60 + minute
    }

    #[test]
    fn due_appointments_then_priority_then_walk_ins_each_in_the_order_taken() {
        let waiting = [
            walk_in(1),
            Waiting {
                priority: true,
                ..walk_in(4)
            },
            Waiting {
                kind: Kind::Appointment { start: at(9, 0) },
                ..walk_in(5)
            },
            walk_in(2),
            Waiting {
                kind: Kind::Appointment { start: at(8, 30) },
                ..walk_in(6)
            },
            Waiting {
                kind: Kind::Appointment { start: at(10, 0) },
                ..walk_in(3)
            },
        ];
        // At 9:00 both appointments are due (the earlier slot first); the 10:00 one waits
        // behind everyone else.
        assert_eq!(call_order(&waiting, at(9, 0)), [4, 2, 1, 0, 3, 5]);
        // At 8:45 only the 8:30 one is.
        assert_eq!(call_order(&waiting, at(8, 45)), [4, 1, 0, 3, 2, 5]);
        assert_eq!(call_order(&[], at(9, 0)), Vec::<usize>::new());
    }

    #[test]
    fn a_transferred_ticket_keeps_its_place_by_the_order_it_was_taken() {
        // Taken 2nd at another counter, sent here after two walk-ins took numbers here.
        let waiting = [walk_in(7), walk_in(9), walk_in(2)];
        assert_eq!(call_order(&waiting, at(10, 0)), [2, 0, 1]);
    }

    #[test]
    fn an_appointment_checked_in_too_late_joins_the_walk_ins() {
        let rules = QueueRules::default();
        let start = at(9, 0);
        assert_eq!(
            kind_at_check_in(start, at(8, 40), &rules),
            Kind::Appointment { start }
        );
        assert_eq!(
            kind_at_check_in(start, at(9, 15), &rules),
            Kind::Appointment { start }
        );
        assert_eq!(kind_at_check_in(start, at(9, 16), &rules), Kind::WalkIn);
    }

    #[test]
    fn did_not_come_only_after_the_stations_number_of_calls() {
        let rules = QueueRules {
            calls_before_no_show: 2,
            ..QueueRules::default()
        };
        assert!(!may_mark_no_show(0, &rules));
        assert!(!may_mark_no_show(1, &rules));
        assert!(may_mark_no_show(2, &rules));
    }

    #[test]
    fn the_wait_counts_rounds_of_the_open_counters() {
        let rules = QueueRules::default();
        assert_eq!(estimated_wait_minutes(0, 2, &rules), 0);
        assert_eq!(estimated_wait_minutes(1, 2, &rules), 10);
        assert_eq!(estimated_wait_minutes(4, 2, &rules), 20);
        assert_eq!(estimated_wait_minutes(5, 2, &rules), 30);
        // No counter open: counted as one, never a division by zero.
        assert_eq!(estimated_wait_minutes(3, 0, &rules), 30);
    }

    #[test]
    fn a_ticket_is_its_counters_letter_and_the_days_number() {
        assert_eq!(ticket_label('A', 12), "A012");
        assert_eq!(ticket_label('B', 1), "B001");
        assert_eq!(ticket_label('C', 1234), "C1234");
    }

    fn ticket(id: i64, counter: &str, status: TicketStatus) -> Ticket {
        Ticket {
            id,
            label: ticket_label('A', u32::try_from(id).unwrap_or(0)),
            counter: counter.into(),
            procedure: "p".into(),
            priority: false,
            kind: Kind::WalkIn,
            status,
            calls: 0,
            officer: None,
            taken_ms: id,
            updated_ms: id,
        }
    }

    fn signs() -> Vec<CounterSign> {
        vec![
            CounterSign {
                id: "a".into(),
                letter: 'A',
                number: 1,
            },
            CounterSign {
                id: "b".into(),
                letter: 'B',
                number: 2,
            },
        ]
    }

    #[test]
    fn each_step_allows_only_what_comes_next() {
        use TicketStatus::*;
        let rules = QueueRules {
            calls_before_no_show: 2,
            ..QueueRules::default()
        };
        assert_eq!(
            after(Called, 1, &Action::CallAgain, &rules),
            Ok((Called, 2))
        );
        assert_eq!(after(Called, 1, &Action::Start, &rules), Ok((Serving, 1)));
        assert_eq!(after(Serving, 1, &Action::Done, &rules), Ok((Done, 1)));
        assert_eq!(after(Called, 2, &Action::NoShow, &rules), Ok((NoShow, 2)));
        assert_eq!(
            after(Called, 1, &Action::NoShow, &rules),
            Err(QueueError::TooFewCalls {
                calls: 1,
                needed: 2
            })
        );
        let transfer = Action::Transfer { to: "b".into() };
        assert_eq!(after(Serving, 3, &transfer, &rules), Ok((Waiting, 0)));
        assert_eq!(after(Waiting, 0, &Action::Leave, &rules), Ok((Left, 0)));
        // Nothing after the end, and no start before a call.
        for done in [Done, NoShow, Left] {
            for action in [
                Action::CallAgain,
                Action::Start,
                Action::Done,
                Action::Leave,
                transfer.clone(),
            ] {
                assert_eq!(
                    after(done, 3, &action, &rules),
                    Err(QueueError::WrongStep(done))
                );
            }
        }
        assert_eq!(
            after(Waiting, 0, &Action::Start, &rules),
            Err(QueueError::WrongStep(Waiting))
        );
        assert_eq!(
            after(Serving, 1, &Action::Leave, &rules),
            Err(QueueError::WrongStep(Serving))
        );
    }

    #[test]
    fn a_citizen_sees_how_many_are_ahead_and_the_wait() {
        let rules = QueueRules::default();
        let mut tickets = vec![
            ticket(1, "a", TicketStatus::Serving),
            ticket(2, "a", TicketStatus::Waiting),
            ticket(3, "b", TicketStatus::Waiting),
            ticket(4, "a", TicketStatus::Waiting),
            ticket(5, "a", TicketStatus::Waiting),
        ];
        tickets[4].priority = true;
        let view = view_of(&tickets[3], &tickets, &signs(), at(9, 0), &rules).expect("a view");
        // The priority ticket and the one taken earlier are ahead; one desk busy.
        assert_eq!(view.ahead, Some(2));
        assert_eq!(view.wait_minutes, Some(20));
        assert_eq!(view.counter.number, 1);
        let first = view_of(&tickets[4], &tickets, &signs(), at(9, 0), &rules).expect("a view");
        assert_eq!((first.ahead, first.wait_minutes), (Some(0), Some(0)));
        let serving = view_of(&tickets[0], &tickets, &signs(), at(9, 0), &rules).expect("a view");
        assert_eq!((serving.ahead, serving.wait_minutes), (None, None));
        // A ticket of a counter the plan no longer has shows nothing rather than a wrong sign.
        assert_eq!(
            view_of(
                &ticket(9, "gone", TicketStatus::Waiting),
                &tickets,
                &signs(),
                0,
                &rules
            ),
            None
        );
    }

    #[test]
    fn the_board_shows_labels_and_counters_newest_call_first() {
        let mut tickets = vec![
            ticket(1, "a", TicketStatus::Serving),
            ticket(2, "b", TicketStatus::Called),
            ticket(3, "a", TicketStatus::Waiting),
            ticket(4, "a", TicketStatus::Done),
            ticket(5, "b", TicketStatus::Waiting),
            ticket(6, "b", TicketStatus::Waiting),
        ];
        tickets[0].updated_ms = 50;
        tickets[1].updated_ms = 60;
        let board = board(&tickets, &signs(), 17);
        assert_eq!(board.counters[0].serving, ["A001"]);
        assert_eq!(
            (board.counters[0].waiting, board.counters[1].waiting),
            (1, 2)
        );
        let calls: Vec<(&str, u8)> = board
            .calls
            .iter()
            .map(|c| (c.label.as_str(), c.counter))
            .collect();
        assert_eq!(calls, [("A002", 2), ("A001", 1)]);
        assert_eq!(board.last_event, 17);
    }

    #[test]
    fn counters_are_lettered_and_numbered_in_the_plans_order() {
        let counter = |id: &str, procedures: &[&str]| crate::schedule::Counter {
            id: id.into(),
            name: crate::text::Localized {
                vi: id.into(),
                en: id.into(),
            },
            capacity_per_slot: 1,
            procedures: procedures.iter().map(|p| (*p).into()).collect(),
        };
        let counters = [
            counter("ids", &["cccd"]),
            counter("residence", &["tam-tru", "thuong-tru"]),
        ];
        let signs = counter_signs(&counters);
        assert_eq!((signs[1].letter, signs[1].number), ('B', 2));
        assert_eq!(
            counter_for(&counters, "thuong-tru").map(|c| c.id.as_str()),
            Some("residence")
        );
        assert_eq!(counter_for(&counters, "passport"), None);
        assert_eq!(
            call_words("A012", 2, crate::text::Lang::Vi),
            "Mời số A012 đến quầy 2"
        );
    }
}
