//! One queue for walk-ins and appointments (#27), as pure rules: the order in which a counter
//! calls the citizens waiting for it, what a checked-in appointment becomes when its citizen
//! arrives late, a ticket's label, when "did not come" may be pressed, and an estimated wait.
//! The store keeps the queue's events and numbers tickets; the time is given.

use serde::{Deserialize, Serialize};

/// How a station runs its queue (a station setting).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRules {
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
    /// The order tickets were taken in (the day's sequence, kept across a transfer, so a
    /// citizen sent to another counter keeps their place there).
    pub taken: u32,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn walk_in(taken: u32) -> Waiting {
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
}
