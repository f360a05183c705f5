//! Counting requests per key (a client address, a phone, a booking code, a user name) in fixed
//! windows, in this process's memory, and the login throttle. Enough for one station server;
//! limits reset when it restarts, which is acceptable for abuse limits (the capacity rules live
//! in the database).
//!
//! Every table here is bounded: at most `MAX_KEYS` keys, the oldest dropped first, and a
//! request that is refused or only checked never adds a key — so no stream of requests, however
//! many keys it invents, grows the server's memory past a few megabytes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The station's limits; 0 switches a limit off (benchmarks only).
#[derive(Clone, Debug)]
pub struct Limits {
    /// API requests per client address per minute.
    pub requests_per_minute: u32,
    /// New bookings per client address per hour (a station's Wi-Fi shares one address).
    pub bookings_per_hour: u32,
    /// Bookings one phone number may make on one day (in the database, cancelled ones count).
    pub bookings_per_phone_per_day: u32,
    /// Wrong phone numbers or tokens for one booking code, or unknown codes from one address,
    /// per hour.
    pub manage_failures_per_hour: u32,
    /// Wrong passwords for one account from one client address before each further attempt
    /// waits (a delay that doubles with every failure, up to `LOGIN_LONGEST_WAIT`).
    pub login_failures: u32,
    /// Largest request body, bytes.
    pub max_body_bytes: usize,
    /// How long a client may take to send a request's headers — and how long a kept-alive
    /// connection may sit idle before its next request.
    pub header_timeout: Duration,
    /// How long a request may take to arrive and be answered, its body read included.
    pub request_timeout: Duration,
    /// The longest one connection is kept, however busy (then closed; the browser opens another).
    pub connection_lifetime: Duration,
    /// Connections open at once; one more is closed as soon as it is accepted.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            requests_per_minute: 600,
            bookings_per_hour: 120,
            bookings_per_phone_per_day: 3,
            manage_failures_per_hour: 10,
            login_failures: 5,
            max_body_bytes: 16 * 1024,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            connection_lifetime: Duration::from_secs(5 * 60),
            max_connections: 2_000,
        }
    }
}

/// The most keys one table keeps. Each entry is well under 200 bytes (keys are addresses,
/// checked user names and codes), so a full table is a few megabytes.
pub const MAX_KEYS: usize = 20_000;

/// Makes room for one more key: drops what has expired and, if that is not enough, the oldest
/// tenth — so an attacker's invented keys push out the oldest ones, never grow the table.
fn make_room<V>(
    table: &mut HashMap<String, V>,
    started: impl Fn(&V) -> Instant,
    expired: impl Fn(&V) -> bool,
) {
    if table.len() < MAX_KEYS {
        return;
    }
    table.retain(|_, v| !expired(v));
    if table.len() < MAX_KEYS {
        return;
    }
    let mut ages: Vec<Instant> = table.values().map(&started).collect();
    let cut = ages.len() / 10;
    let (_, oldest_kept, _) = ages.select_nth_unstable(cut);
    let oldest_kept = *oldest_kept;
    table.retain(|_, v| started(v) >= oldest_kept);
}

struct Window {
    started: Instant,
    count: u32,
}

#[derive(Default)]
pub struct Counter {
    windows: Mutex<HashMap<String, Window>>,
}

impl Counter {
    /// Counts one event for `key`; `Err(seconds to wait)` when the window already holds `limit`
    /// (then nothing is counted or stored).
    pub fn hit(&self, key: &str, limit: u32, window: Duration) -> Result<(), u64> {
        if limit == 0 {
            return Ok(());
        }
        let now = Instant::now();
        let Ok(mut windows) = self.windows.lock() else {
            return Ok(());
        };
        if let Some(entry) = windows.get_mut(key) {
            if now.duration_since(entry.started) >= window {
                *entry = Window {
                    started: now,
                    count: 0,
                };
            }
            if entry.count >= limit {
                let wait = window.saturating_sub(now.duration_since(entry.started));
                return Err(wait.as_secs().max(1));
            }
            entry.count += 1;
            return Ok(());
        }
        make_room(
            &mut windows,
            |w| w.started,
            |w| now.duration_since(w.started) >= window,
        );
        windows.insert(
            key.to_owned(),
            Window {
                started: now,
                count: 1,
            },
        );
        Ok(())
    }

    /// Whether `key` is over `limit`, without counting or storing anything.
    pub fn check(&self, key: &str, limit: u32, window: Duration) -> Result<(), u64> {
        if limit == 0 {
            return Ok(());
        }
        let now = Instant::now();
        let Ok(windows) = self.windows.lock() else {
            return Ok(());
        };
        match windows.get(key) {
            Some(entry) if now.duration_since(entry.started) < window && entry.count >= limit => {
                let wait = window.saturating_sub(now.duration_since(entry.started));
                Err(wait.as_secs().max(1))
            }
            _ => Ok(()),
        }
    }

    pub fn clear(&self, key: &str) {
        if let Ok(mut windows) = self.windows.lock() {
            windows.remove(key);
        }
    }

    /// How many keys are kept (for tests and figures).
    pub fn len(&self) -> usize {
        self.windows.lock().map_or(0, |w| w.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The longest a throttled login waits between attempts.
pub const LOGIN_LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// The first wait once the free attempts are used.
pub const LOGIN_FIRST_WAIT: Duration = Duration::from_secs(30);

/// Past the free attempts each one waits twice as long as the one before: 30 s, 1 min, 2 min,
/// … up to 15 minutes.
fn login_wait(past_free: u32) -> Duration {
    (LOGIN_FIRST_WAIT * (1u32 << past_free.min(10))).min(LOGIN_LONGEST_WAIT)
}

/// A login key's failures are forgotten this long after its last one.
const LOGIN_MEMORY: Duration = Duration::from_secs(60 * 60);

struct Attempts {
    /// Attempts begun and not followed by a success: a password being checked counts already.
    failures: u32,
    /// The next attempt may begin at this instant.
    next_allowed: Instant,
    last: Instant,
}

/// Login attempts per (station, account, client address). An attempt is counted when it
/// begins — before its password is checked, under the table's lock — so attempts sent in
/// parallel are counted like attempts sent one after another: once `free` attempts have
/// failed or are in flight, the next must wait, and each further failure doubles the wait.
/// Keys carry the client's address, so a stranger's guesses never lock the owner out of
/// their own account from their own address; an admin can lift an account's waits.
#[derive(Default)]
pub struct LoginThrottle {
    attempts: Mutex<HashMap<String, Attempts>>,
}

/// What one account's key looks like: "station\nusername\n" then the client address.
pub fn login_key(station: &str, username: &str, client: &str) -> String {
    format!("{station}\n{username}\n{client}")
}

impl LoginThrottle {
    /// Begins an attempt: `Err(seconds to wait)` if this key must wait (nothing is stored then);
    /// otherwise the attempt is counted as a failure until `succeeded` says otherwise.
    pub fn begin(&self, key: &str, free: u32) -> Result<(), u64> {
        if free == 0 {
            return Ok(());
        }
        let now = Instant::now();
        let Ok(mut attempts) = self.attempts.lock() else {
            return Ok(());
        };
        if let Some(entry) = attempts.get_mut(key) {
            if now.duration_since(entry.last) >= LOGIN_MEMORY {
                entry.failures = 0;
                entry.next_allowed = now;
            }
            if entry.next_allowed > now {
                return Err(entry.next_allowed.duration_since(now).as_secs().max(1));
            }
            entry.failures += 1;
            entry.last = now;
            if entry.failures >= free {
                entry.next_allowed = now + login_wait(entry.failures - free);
            }
            return Ok(());
        }
        make_room(
            &mut attempts,
            |a| a.last,
            |a| now.duration_since(a.last) >= LOGIN_MEMORY,
        );
        attempts.insert(
            key.to_owned(),
            Attempts {
                failures: 1,
                next_allowed: if free <= 1 { now + login_wait(0) } else { now },
                last: now,
            },
        );
        Ok(())
    }

    /// The attempt begun for `key` had the right password: its count is forgotten.
    pub fn succeeded(&self, key: &str) {
        if let Ok(mut attempts) = self.attempts.lock() {
            attempts.remove(key);
        }
    }

    /// Lifts every wait on one account, whatever address it came from (an admin's unlock).
    /// Returns how many addresses were waiting.
    pub fn lift(&self, station: &str, username: &str) -> usize {
        let prefix = login_key(station, username, "");
        let Ok(mut attempts) = self.attempts.lock() else {
            return 0;
        };
        let before = attempts.len();
        attempts.retain(|key, _| !key.starts_with(&prefix));
        before - attempts.len()
    }

    /// The accounts of `station` held back from some address (its free attempts used), with
    /// the longest wait still to run (0 once it has run, until a success or an admin's lift).
    pub fn held_back(&self, station: &str, free: u32) -> Vec<(String, u64)> {
        let now = Instant::now();
        let Ok(attempts) = self.attempts.lock() else {
            return Vec::new();
        };
        let mut waits: HashMap<String, u64> = HashMap::new();
        for (key, entry) in attempts.iter() {
            let mut parts = key.splitn(3, '\n');
            if parts.next() != Some(station) || free == 0 || entry.failures < free {
                continue;
            }
            if let Some(username) = parts.next() {
                let wait = entry.next_allowed.saturating_duration_since(now).as_secs();
                let longest = waits.entry(username.to_owned()).or_insert(0);
                *longest = (*longest).max(wait);
            }
        }
        let mut waits: Vec<_> = waits.into_iter().collect();
        waits.sort();
        waits
    }

    pub fn len(&self) -> usize {
        self.attempts.lock().map_or(0, |a| a.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_refused_past_its_limit_and_others_are_not() {
        let counter = Counter::default();
        let minute = Duration::from_secs(60);
        assert!(counter.hit("a", 2, minute).is_ok());
        assert!(counter.hit("a", 2, minute).is_ok());
        let wait = counter.hit("a", 2, minute).expect_err("third refused");
        assert!((1..=60).contains(&wait));
        assert!(
            counter.hit("b", 2, minute).is_ok(),
            "another key is counted apart"
        );
        assert!(
            counter.check("b", 2, minute).is_ok(),
            "check does not count"
        );
        counter.clear("a");
        assert!(counter.hit("a", 2, minute).is_ok());
        assert!(
            counter.hit("a", 0, minute).is_ok() && counter.hit("a", 0, minute).is_ok(),
            "0 is off"
        );
    }

    // Guards against the login table that kept every attacker-chosen key, even on a refusal.
    #[test]
    fn checking_stores_nothing_and_the_table_never_grows_past_its_cap() {
        let counter = Counter::default();
        let hour = Duration::from_secs(3600);
        for n in 0..1000 {
            assert!(counter.check(&format!("never-{n}"), 5, hour).is_ok());
        }
        assert!(counter.is_empty(), "a check stored {} keys", counter.len());
        for n in 0..(MAX_KEYS * 3) {
            let _ = counter.hit(&format!("invented-{n}"), 5, hour);
        }
        assert!(counter.len() <= MAX_KEYS, "{} keys kept", counter.len());
        assert!(
            counter
                .check(&format!("invented-{}", MAX_KEYS * 3 - 1), 1, hour)
                .is_err(),
            "the newest key is kept"
        );
    }

    #[test]
    fn logins_are_counted_when_they_begin_and_wait_longer_after_each_failure() {
        let throttle = LoginThrottle::default();
        let key = login_key("s", "admin", "203.0.113.9");
        // Five begun at once (in flight, none finished): the sixth waits.
        for _ in 0..5 {
            assert!(throttle.begin(&key, 5).is_ok());
        }
        let wait = throttle.begin(&key, 5).expect_err("sixth waits");
        assert!((29..=30).contains(&wait), "{wait}");
        // The owner from another address is not held up.
        let owner = login_key("s", "admin", "198.51.100.7");
        assert!(throttle.begin(&owner, 5).is_ok());
        throttle.succeeded(&owner);
        let held = throttle.held_back("s", 5);
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].0, "admin");
        assert!((29..=30).contains(&held[0].1));
        assert!(throttle.held_back("other", 5).is_empty());
        // Each further failure waits twice as long, up to the longest.
        assert_eq!(login_wait(1), LOGIN_FIRST_WAIT * 2);
        assert_eq!(login_wait(40), LOGIN_LONGEST_WAIT);
        assert_eq!(throttle.lift("s", "admin"), 1);
        assert!(throttle.begin(&key, 5).is_ok(), "lifted");
        assert!(throttle.begin(&key, 0).is_ok(), "0 is off");
    }

    #[test]
    fn the_login_table_is_bounded_too() {
        let throttle = LoginThrottle::default();
        for n in 0..(MAX_KEYS * 2) {
            let _ = throttle.begin(&login_key("s", "admin", &format!("10.0.{n}")), 5);
        }
        assert!(throttle.len() <= MAX_KEYS, "{} keys kept", throttle.len());
    }
}
