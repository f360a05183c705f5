//! Abuse limits: requests counted per key (a client address, a booking code, a terminal) in
//! fixed windows, and the login throttle. The rules are pure functions of a key's state and
//! the time (`count_in_window`, `begin_attempt`); where the state lives is the `Limiter`'s:
//! this process's memory with SQLite (one server), the database with PostgreSQL, so that
//! several servers sharing it count as one.
//!
//! In memory every table is bounded: at most `MAX_KEYS` keys, the oldest dropped first, and a
//! request that is refused or only checked never adds a key — so no stream of requests,
//! however many keys it invents, grows the server's memory past a few megabytes. In the
//! database, rows are dropped by the hourly housekeeping.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use super::store::StoreError;

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
    /// Queue numbers one terminal may give per hour (a station's busiest hour is far below).
    pub tickets_per_terminal_per_hour: u32,
    /// The queue's live streams open at once (screens and phones); one more is told to wait.
    pub max_streams: usize,
    /// Questions to the station per client address per hour (a station's Wi-Fi shares one).
    pub questions_per_hour: u32,
    /// Questions one phone number may send per day.
    pub questions_per_phone_per_day: u32,
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
            tickets_per_terminal_per_hour: 300,
            max_streams: 1_500,
            questions_per_hour: 30,
            questions_per_phone_per_day: 5,
        }
    }
}

/// The most keys one table keeps. Each entry is well under 200 bytes (keys are addresses,
/// checked user names and codes), so a full table is a few megabytes.
pub const MAX_KEYS: usize = 20_000;

/// What a limit counts; each kind is a table of its own, so flooding one never pushes out
/// another's keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// API requests per client.
    Requests,
    /// New bookings per client.
    Bookings,
    /// Wrong codes or proofs: per booking code, per client, per terminal.
    ManageFailures,
    /// Wrong passwords per client, whatever the account.
    LoginFailures,
    /// Questions sent to the station: per client, per phone.
    Questions,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Requests,
        Kind::Bookings,
        Kind::ManageFailures,
        Kind::LoginFailures,
        Kind::Questions,
    ];

    /// Its name in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Requests => "requests",
            Kind::Bookings => "bookings",
            Kind::ManageFailures => "manage_failures",
            Kind::LoginFailures => "login_failures",
            Kind::Questions => "questions",
        }
    }
}

/// One key's window: when it started and how many it has counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub started_ms: i64,
    pub count: u32,
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// Seconds until `at`, at least 1 (a Retry-After of 0 would invite an immediate retry).
fn wait_secs(at_ms: i64, now_ms: i64) -> u64 {
    u64::try_from((at_ms - now_ms + 999) / 1000)
        .unwrap_or(0)
        .max(1)
}

/// Counts one event in a key's window: the window as it becomes, or `Err(seconds to wait)`
/// when it already holds `limit` (then nothing changes).
pub fn count_in_window(
    current: Option<Window>,
    now_ms: i64,
    limit: u32,
    window: Duration,
) -> Result<Window, u64> {
    match current {
        Some(w) if now_ms - w.started_ms < millis(window) => {
            if w.count >= limit {
                Err(wait_secs(w.started_ms + millis(window), now_ms))
            } else {
                Ok(Window {
                    count: w.count + 1,
                    ..w
                })
            }
        }
        _ => Ok(Window {
            started_ms: now_ms,
            count: 1,
        }),
    }
}

/// Whether a key's window is full, without counting.
pub fn over_limit(
    current: Option<Window>,
    now_ms: i64,
    limit: u32,
    window: Duration,
) -> Result<(), u64> {
    match current {
        Some(w) if now_ms - w.started_ms < millis(window) && w.count >= limit => {
            Err(wait_secs(w.started_ms + millis(window), now_ms))
        }
        _ => Ok(()),
    }
}

/// The longest a throttled login waits between attempts.
pub const LOGIN_LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// The first wait once the free attempts are used.
pub const LOGIN_FIRST_WAIT: Duration = Duration::from_secs(30);
/// A login key's failures are forgotten this long after its last one.
pub const LOGIN_MEMORY: Duration = Duration::from_secs(60 * 60);

/// Past the free attempts each one waits twice as long as the one before: 30 s, 1 min, 2 min,
/// … up to 15 minutes.
fn login_wait(past_free: u32) -> Duration {
    (LOGIN_FIRST_WAIT * (1u32 << past_free.min(10))).min(LOGIN_LONGEST_WAIT)
}

/// One (account, client address)'s login attempts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempts {
    /// Attempts begun and not followed by a success: a password being checked counts already.
    pub failures: u32,
    /// The next attempt may begin then.
    pub next_allowed_ms: i64,
    pub last_ms: i64,
}

/// Begins a login attempt: the attempts as they become — counted before the password is
/// checked, so attempts sent in parallel count like attempts in a row — or `Err(seconds to
/// wait)` (nothing changes). Once `free` attempts have failed or are under way, the next waits,
/// and each further failure doubles the wait.
pub fn begin_attempt(current: Option<Attempts>, now_ms: i64, free: u32) -> Result<Attempts, u64> {
    let current = current.filter(|a| now_ms - a.last_ms < millis(LOGIN_MEMORY));
    if let Some(a) = current {
        if a.next_allowed_ms > now_ms {
            return Err(wait_secs(a.next_allowed_ms, now_ms));
        }
    }
    let failures = current.map_or(0, |a| a.failures) + 1;
    let next_allowed_ms = if failures >= free {
        now_ms + millis(login_wait(failures - free))
    } else {
        now_ms
    };
    Ok(Attempts {
        failures,
        next_allowed_ms,
        last_ms: now_ms,
    })
}

/// Makes room for one more key: drops what has expired and, if that is not enough, the oldest
/// tenth — so an attacker's invented keys push out the oldest ones, never grow the table.
fn make_room<V>(
    table: &mut HashMap<String, V>,
    age: impl Fn(&V) -> i64,
    expired: impl Fn(&V) -> bool,
) {
    if table.len() < MAX_KEYS {
        return;
    }
    table.retain(|_, v| !expired(v));
    if table.len() < MAX_KEYS {
        return;
    }
    let mut ages: Vec<i64> = table.values().map(&age).collect();
    let cut = ages.len() / 10;
    let (_, oldest_kept, _) = ages.select_nth_unstable(cut);
    let oldest_kept = *oldest_kept;
    table.retain(|_, v| age(v) >= oldest_kept);
}

/// A bounded table of windows in this process's memory.
#[derive(Default)]
pub struct Counter {
    windows: Mutex<HashMap<String, Window>>,
}

impl Counter {
    /// Counts one event for `key`; `Err(seconds to wait)` when the window already holds `limit`
    /// (then nothing is counted or stored).
    pub fn hit(&self, key: &str, limit: u32, window: Duration, now_ms: i64) -> Result<(), u64> {
        if limit == 0 {
            return Ok(());
        }
        let Ok(mut windows) = self.windows.lock() else {
            return Ok(());
        };
        let counted = count_in_window(windows.get(key).copied(), now_ms, limit, window)?;
        if !windows.contains_key(key) {
            make_room(
                &mut windows,
                |w| w.started_ms,
                |w| now_ms - w.started_ms >= millis(window),
            );
        }
        windows.insert(key.to_owned(), counted);
        Ok(())
    }

    /// Whether `key` is over `limit`, without counting or storing anything.
    pub fn check(&self, key: &str, limit: u32, window: Duration, now_ms: i64) -> Result<(), u64> {
        if limit == 0 {
            return Ok(());
        }
        let Ok(windows) = self.windows.lock() else {
            return Ok(());
        };
        over_limit(windows.get(key).copied(), now_ms, limit, window)
    }

    /// How many keys are kept (for tests and figures).
    pub fn len(&self) -> usize {
        self.windows.lock().map_or(0, |w| w.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Login attempts per (station, account, client address), in this process's memory.
#[derive(Default)]
pub struct LoginThrottle {
    attempts: Mutex<HashMap<String, Attempts>>,
}

/// One account's key: "station\nusername\n" then the client address.
fn login_key(station: &str, username: &str, client: &str) -> String {
    format!("{station}\n{username}\n{client}")
}

impl LoginThrottle {
    /// Begins an attempt (see `begin_attempt`); nothing is stored when it must wait.
    pub fn begin(
        &self,
        station: &str,
        username: &str,
        client: &str,
        free: u32,
        now_ms: i64,
    ) -> Result<(), u64> {
        if free == 0 {
            return Ok(());
        }
        let key = login_key(station, username, client);
        let Ok(mut attempts) = self.attempts.lock() else {
            return Ok(());
        };
        let begun = begin_attempt(attempts.get(&key).copied(), now_ms, free)?;
        if !attempts.contains_key(&key) {
            make_room(
                &mut attempts,
                |a| a.last_ms,
                |a| now_ms - a.last_ms >= millis(LOGIN_MEMORY),
            );
        }
        attempts.insert(key, begun);
        Ok(())
    }

    /// The attempt had the right password: its count is forgotten.
    pub fn succeeded(&self, station: &str, username: &str, client: &str) {
        if let Ok(mut attempts) = self.attempts.lock() {
            attempts.remove(&login_key(station, username, client));
        }
    }

    /// Lifts every wait on one account, whatever address it came from (an admin's unlock).
    pub fn lift(&self, station: &str, username: &str) -> u64 {
        let prefix = login_key(station, username, "");
        let Ok(mut attempts) = self.attempts.lock() else {
            return 0;
        };
        let before = attempts.len();
        attempts.retain(|key, _| !key.starts_with(&prefix));
        (before - attempts.len()) as u64
    }

    /// The accounts of `station` held back from some address (its free attempts used), with
    /// the longest wait still to run (0 once it has run, until a success or an admin's lift).
    pub fn held_back(&self, station: &str, free: u32, now_ms: i64) -> Vec<(String, u64)> {
        let Ok(attempts) = self.attempts.lock() else {
            return Vec::new();
        };
        held_back(
            attempts.iter().filter_map(|(key, a)| {
                let mut parts = key.splitn(3, '\n');
                (parts.next() == Some(station)).then(|| (parts.next().unwrap_or("").to_owned(), *a))
            }),
            free,
            now_ms,
        )
    }

    pub fn len(&self) -> usize {
        self.attempts.lock().map_or(0, |a| a.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Of one station's (account, attempts), the accounts held back and their longest wait, by name.
pub fn held_back(
    entries: impl Iterator<Item = (String, Attempts)>,
    free: u32,
    now_ms: i64,
) -> Vec<(String, u64)> {
    let mut waits: HashMap<String, u64> = HashMap::new();
    for (username, a) in entries {
        if free == 0 || a.failures < free || now_ms - a.last_ms >= millis(LOGIN_MEMORY) {
            continue;
        }
        let wait = u64::try_from((a.next_allowed_ms - now_ms).max(0) / 1000).unwrap_or(0);
        let longest = waits.entry(username).or_insert(0);
        *longest = (*longest).max(wait);
    }
    let mut waits: Vec<_> = waits.into_iter().collect();
    waits.sort();
    waits
}

/// The limits' state in this process's memory: one server (SQLite).
#[derive(Default)]
pub struct MemoryLimits {
    tables: [Counter; Kind::ALL.len()],
    logins: LoginThrottle,
}

impl MemoryLimits {
    fn table(&self, kind: Kind) -> &Counter {
        &self.tables[Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)]
    }
}

/// Where the limits' state is kept: this process's memory, or the database several servers
/// share.
pub enum Limiter {
    Memory(Box<MemoryLimits>),
    Postgres(super::store::postgres::PgLimits),
}

type Counted = Result<Result<(), u64>, StoreError>;

impl Limiter {
    /// Counts one event of `kind` for `key` (see `count_in_window`); 0 switches the limit off.
    pub async fn hit(&self, kind: Kind, key: &str, limit: u32, window: Duration) -> Counted {
        if limit == 0 {
            return Ok(Ok(()));
        }
        let now = super::now_ms();
        match self {
            Limiter::Memory(m) => Ok(m.table(kind).hit(key, limit, window, now)),
            Limiter::Postgres(pg) => pg.hit(kind, key, limit, window, now).await,
        }
    }

    /// Whether `key` is over `limit`, without counting or storing anything.
    pub async fn check(&self, kind: Kind, key: &str, limit: u32, window: Duration) -> Counted {
        if limit == 0 {
            return Ok(Ok(()));
        }
        let now = super::now_ms();
        match self {
            Limiter::Memory(m) => Ok(m.table(kind).check(key, limit, window, now)),
            Limiter::Postgres(pg) => pg.check(kind, key, limit, window, now).await,
        }
    }

    /// Begins a login attempt for (account, client) — see `begin_attempt`.
    pub async fn login_begin(
        &self,
        station: &str,
        username: &str,
        client: &str,
        free: u32,
    ) -> Counted {
        if free == 0 {
            return Ok(Ok(()));
        }
        let now = super::now_ms();
        match self {
            Limiter::Memory(m) => Ok(m.logins.begin(station, username, client, free, now)),
            Limiter::Postgres(pg) => pg.login_begin(station, username, client, free, now).await,
        }
    }

    pub async fn login_succeeded(
        &self,
        station: &str,
        username: &str,
        client: &str,
    ) -> Result<(), StoreError> {
        match self {
            Limiter::Memory(m) => {
                m.logins.succeeded(station, username, client);
                Ok(())
            }
            Limiter::Postgres(pg) => pg.login_succeeded(station, username, client).await,
        }
    }

    /// Lifts every wait on an account, from every address; how many addresses were held.
    pub async fn login_lift(&self, station: &str, username: &str) -> Result<u64, StoreError> {
        match self {
            Limiter::Memory(m) => Ok(m.logins.lift(station, username)),
            Limiter::Postgres(pg) => pg.login_lift(station, username).await,
        }
    }

    pub async fn logins_held_back(
        &self,
        station: &str,
        free: u32,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let now = super::now_ms();
        match self {
            Limiter::Memory(m) => Ok(m.logins.held_back(station, free, now)),
            Limiter::Postgres(pg) => pg.logins_held_back(station, free, now).await,
        }
    }

    /// Keys kept in this process's memory (none when the database keeps them).
    pub fn kept_in_memory(&self) -> usize {
        match self {
            Limiter::Memory(m) => m.tables.iter().map(Counter::len).sum::<usize>() + m.logins.len(),
            Limiter::Postgres(_) => 0,
        }
    }

    /// Drops windows and attempts long over (the database's; memory tables drop their own).
    pub async fn drop_expired(&self) -> Result<(), StoreError> {
        match self {
            Limiter::Memory(_) => Ok(()),
            Limiter::Postgres(pg) => {
                pg.drop_expired(super::now_ms() - millis(LOGIN_MEMORY))
                    .await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000_000;

    #[test]
    fn a_key_is_refused_past_its_limit_and_others_are_not() {
        let counter = Counter::default();
        let minute = Duration::from_secs(60);
        assert!(counter.hit("a", 2, minute, T0).is_ok());
        assert!(counter.hit("a", 2, minute, T0 + 10).is_ok());
        let wait = counter
            .hit("a", 2, minute, T0 + 1_000)
            .expect_err("third refused");
        assert_eq!(wait, 59);
        assert!(
            counter.hit("b", 2, minute, T0).is_ok(),
            "another key is counted apart"
        );
        assert!(
            counter.check("b", 2, minute, T0).is_ok(),
            "check does not count"
        );
        assert!(
            counter.hit("a", 2, minute, T0 + 60_000).is_ok(),
            "a new window"
        );
        assert!(
            counter.hit("a", 0, minute, T0).is_ok() && counter.hit("a", 0, minute, T0).is_ok(),
            "0 is off"
        );
    }

    // Guards against the login table that kept every attacker-chosen key, even on a refusal.
    #[test]
    fn checking_stores_nothing_and_the_table_never_grows_past_its_cap() {
        let counter = Counter::default();
        let hour = Duration::from_secs(3600);
        for n in 0..1000 {
            assert!(counter.check(&format!("never-{n}"), 5, hour, T0).is_ok());
        }
        assert!(counter.is_empty(), "a check stored {} keys", counter.len());
        for n in 0..(MAX_KEYS * 3) {
            let _ = counter.hit(&format!("invented-{n}"), 1, hour, T0 + n as i64);
        }
        assert!(counter.len() <= MAX_KEYS, "{} keys kept", counter.len());
        let newest = format!("invented-{}", MAX_KEYS * 3 - 1);
        assert!(
            counter
                .check(&newest, 1, hour, T0 + (MAX_KEYS * 3) as i64)
                .is_err(),
            "the newest key is kept"
        );
    }

    #[test]
    fn logins_are_counted_when_they_begin_and_wait_longer_after_each_failure() {
        let throttle = LoginThrottle::default();
        // Five begun at once (in flight, none finished): the sixth waits 30 s.
        for _ in 0..5 {
            assert!(throttle.begin("s", "admin", "203.0.113.9", 5, T0).is_ok());
        }
        assert_eq!(throttle.begin("s", "admin", "203.0.113.9", 5, T0), Err(30));
        // The owner from another address is not held up.
        assert!(throttle.begin("s", "admin", "198.51.100.7", 5, T0).is_ok());
        throttle.succeeded("s", "admin", "198.51.100.7");
        assert_eq!(
            throttle.held_back("s", 5, T0),
            vec![("admin".to_owned(), 30)]
        );
        assert!(throttle.held_back("other", 5, T0).is_empty());
        // After the wait, one more failure waits twice as long.
        assert!(throttle
            .begin("s", "admin", "203.0.113.9", 5, T0 + 30_000)
            .is_ok());
        assert_eq!(
            throttle.begin("s", "admin", "203.0.113.9", 5, T0 + 30_000),
            Err(60)
        );
        assert_eq!(login_wait(40), LOGIN_LONGEST_WAIT);
        assert_eq!(throttle.lift("s", "admin"), 1);
        assert!(
            throttle
                .begin("s", "admin", "203.0.113.9", 5, T0 + 30_000)
                .is_ok(),
            "lifted"
        );
        assert!(
            throttle.begin("s", "admin", "203.0.113.9", 0, T0).is_ok(),
            "0 is off"
        );
        // An hour after the last failure, all is forgotten.
        let fresh = begin_attempt(
            Some(Attempts {
                failures: 9,
                next_allowed_ms: T0,
                last_ms: T0,
            }),
            T0 + millis(LOGIN_MEMORY),
            5,
        );
        assert_eq!(fresh.map(|a| a.failures), Ok(1));
    }

    #[test]
    fn the_login_table_is_bounded_too() {
        let throttle = LoginThrottle::default();
        for n in 0..(MAX_KEYS * 2) {
            let _ = throttle.begin("s", "admin", &format!("10.0.{n}"), 5, T0 + n as i64);
        }
        assert!(throttle.len() <= MAX_KEYS, "{} keys kept", throttle.len());
    }
}
