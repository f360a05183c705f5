//! Kiosk mode on a shared terminal: after a while without touch or key, a warning with a
//! countdown; with no answer, everything is erased. Pure: the caller says how long it has been.

/// Set by the address the terminal opens: `/?kiosk=1` (optionally `&idle=90&warn=30`, seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KioskConfig {
    pub idle_seconds: u32,
    pub warning_seconds: u32,
}

impl Default for KioskConfig {
    fn default() -> Self {
        KioskConfig {
            idle_seconds: 90,
            warning_seconds: 30,
        }
    }
}

/// Where a terminal stands after `idle_ms` milliseconds without activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdlePhase {
    Active,
    /// Ask "are you still there?", erasing in this many seconds.
    Warning {
        seconds_left: u32,
    },
    /// Erase now.
    Expired,
}

impl KioskConfig {
    /// Reads the kiosk flag and timings from a query string; None when not in kiosk mode.
    /// Out-of-range timings fall back to the defaults rather than disabling the erasure.
    pub fn from_query(query: &str) -> Option<KioskConfig> {
        let get = |key: &str| {
            query.split('&').find_map(|pair| {
                pair.split_once('=')
                    .filter(|(k, _)| *k == key)
                    .map(|(_, v)| v)
            })
        };
        if get("kiosk") != Some("1") {
            return None;
        }
        let defaults = KioskConfig::default();
        let seconds = |key, default: u32| {
            get(key)
                .and_then(|v| v.parse().ok())
                .filter(|s| (5..=3600).contains(s))
                .unwrap_or(default)
        };
        Some(KioskConfig {
            idle_seconds: seconds("idle", defaults.idle_seconds),
            warning_seconds: seconds("warn", defaults.warning_seconds),
        })
    }

    pub fn phase(&self, idle_ms: f64) -> IdlePhase {
        let idle = f64::from(self.idle_seconds) * 1000.0;
        let end = idle + f64::from(self.warning_seconds) * 1000.0;
        if idle_ms < idle {
            IdlePhase::Active
        } else if idle_ms < end {
            IdlePhase::Warning {
                seconds_left: ((end - idle_ms) / 1000.0).ceil() as u32,
            }
        } else {
            IdlePhase::Expired
        }
    }

    /// The address to return to after erasing: home, still in kiosk mode with the same timings.
    pub fn home_address(&self) -> String {
        format!(
            "/?kiosk=1&idle={}&warn={}",
            self.idle_seconds, self.warning_seconds
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_flag_turns_kiosk_mode_on() {
        assert_eq!(KioskConfig::from_query(""), None);
        assert_eq!(KioskConfig::from_query("kiosk=0"), None);
        assert_eq!(
            KioskConfig::from_query("kiosk=1"),
            Some(KioskConfig::default())
        );
        assert_eq!(
            KioskConfig::from_query("idle=10&kiosk=1&warn=5"),
            Some(KioskConfig {
                idle_seconds: 10,
                warning_seconds: 5
            })
        );
        // A timing that would effectively switch erasure off is ignored.
        assert_eq!(
            KioskConfig::from_query("kiosk=1&idle=999999").map(|c| c.idle_seconds),
            Some(90)
        );
    }

    #[test]
    fn warning_counts_down_then_expires() {
        let config = KioskConfig {
            idle_seconds: 90,
            warning_seconds: 30,
        };
        assert_eq!(config.phase(89_999.0), IdlePhase::Active);
        assert_eq!(
            config.phase(90_000.0),
            IdlePhase::Warning { seconds_left: 30 }
        );
        assert_eq!(
            config.phase(119_001.0),
            IdlePhase::Warning { seconds_left: 1 }
        );
        assert_eq!(config.phase(120_000.0), IdlePhase::Expired);
        assert_eq!(config.home_address(), "/?kiosk=1&idle=90&warn=30");
    }
}
