//! Counting requests per key (a client address, a phone, a booking code, a user name) in fixed
//! windows, in this process's memory. Enough for one station server; limits reset when it
//! restarts, which is acceptable for abuse limits (the capacity rules live in the database).

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
    /// Failed logins per user name, and per client address, per 15 minutes.
    pub login_failures: u32,
    /// Largest request body, bytes.
    pub max_body_bytes: usize,
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
        }
    }
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
    /// Counts one event for `key`; `Err(seconds to wait)` when the window already holds `limit`.
    pub fn hit(&self, key: &str, limit: u32, window: Duration) -> Result<(), u64> {
        self.add(key, limit, window, true)
    }

    /// Whether `key` is over `limit`, without counting.
    pub fn check(&self, key: &str, limit: u32, window: Duration) -> Result<(), u64> {
        self.add(key, limit, window, false)
    }

    fn add(&self, key: &str, limit: u32, window: Duration, count: bool) -> Result<(), u64> {
        if limit == 0 {
            return Ok(());
        }
        let now = Instant::now();
        let Ok(mut windows) = self.windows.lock() else {
            return Ok(());
        };
        if windows.len() > 100_000 {
            windows.retain(|_, w| now.duration_since(w.started) < window);
        }
        let entry = windows.entry(key.to_owned()).or_insert(Window {
            started: now,
            count: 0,
        });
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
        if count {
            entry.count += 1;
        }
        Ok(())
    }

    pub fn clear(&self, key: &str) {
        if let Ok(mut windows) = self.windows.lock() {
            windows.remove(key);
        }
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
}
