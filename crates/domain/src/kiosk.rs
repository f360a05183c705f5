//! Kiosk mode on a shared terminal: after a while without touch or key, a warning with a
//! countdown; with no answer, everything is erased. Pure: the caller says how long it has been.

/// Kiosk mode as the station configures it (the `kiosk_…` fields of station.json): the host
/// names its terminals open the app at, and the timings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KioskSettings {
    /// Host names (as in the address bar, without port) where the app always runs as a kiosk;
    /// `"*"` makes every address a kiosk (a deployment for terminals only).
    pub terminal_hosts: Vec<String>,
    pub idle_seconds: u32,
    pub warning_seconds: u32,
}

/// Seconds a timing may take: shorter would erase under a citizen's hands, longer would leave
/// the answers to the next person.
pub const TIMING_RANGE: std::ops::RangeInclusive<u32> = 5..=3600;

impl KioskSettings {
    /// True when a terminal at `hostname` is a kiosk by the station's choice.
    pub fn covers(&self, hostname: &str) -> bool {
        self.terminal_hosts
            .iter()
            .any(|host| host == "*" || host.eq_ignore_ascii_case(hostname))
    }
}

/// Read from the address at start: `/?kiosk=1` (optionally `&idle=90&warn=30`, seconds), or
/// `/?kiosk=station&…`, where the station's settings bring a terminal (`station_address`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KioskConfig {
    pub idle_seconds: u32,
    pub warning_seconds: u32,
    /// The timings are the station's (`kiosk=station` in the address) and follow its file when
    /// an administrator changes them; with `kiosk=1` they are the address's own.
    pub by_station: bool,
}

impl Default for KioskConfig {
    fn default() -> Self {
        KioskConfig {
            idle_seconds: 90,
            warning_seconds: 30,
            by_station: false,
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
        let by_station = match query_value(query, "kiosk") {
            Some("1") => false,
            Some("station") => true,
            _ => return None,
        };
        Some(KioskConfig {
            by_station,
            ..KioskConfig::timings(query, KioskConfig::default())
        })
    }

    /// The timings in the query, each falling back to `defaults` when absent or out of range.
    fn timings(query: &str, defaults: KioskConfig) -> KioskConfig {
        let seconds = |key, default| {
            timing_or(
                query_value(query, key).and_then(|v| v.parse().ok()),
                default,
            )
        };
        KioskConfig {
            idle_seconds: seconds("idle", defaults.idle_seconds),
            warning_seconds: seconds("warn", defaults.warning_seconds),
            by_station: defaults.by_station,
        }
    }

    /// The query a page at `hostname` should have under the station's kiosk settings, when it
    /// differs from `query`: kiosk mode where the station makes this terminal a kiosk, with the
    /// station's timings — unless the address is flagged `kiosk=1` with timings of its own,
    /// which win. Other parameters are kept. Following it once is enough: for the query it
    /// returns, it returns None.
    pub fn station_address(
        query: &str,
        hostname: &str,
        settings: &KioskSettings,
    ) -> Option<String> {
        let current = KioskConfig::from_query(query);
        let own_timings = current.is_some_and(|c| !c.by_station)
            && (query_value(query, "idle").is_some() || query_value(query, "warn").is_some());
        if (current.is_none() && !settings.covers(hostname)) || own_timings {
            return None;
        }
        let defaults = KioskConfig::default();
        let wanted = KioskConfig {
            idle_seconds: timing_or(Some(settings.idle_seconds), defaults.idle_seconds),
            warning_seconds: timing_or(Some(settings.warning_seconds), defaults.warning_seconds),
            by_station: true,
        };
        if current == Some(wanted) {
            return None;
        }
        let mut address = String::new();
        for pair in query.split('&') {
            let key = pair.split('=').next().unwrap_or_default();
            if !pair.is_empty() && !matches!(key, "kiosk" | "idle" | "warn") {
                address.push_str(pair);
                address.push('&');
            }
        }
        address.push_str(&wanted.query());
        Some(address)
    }

    /// `kiosk=1&idle=…&warn=…`, or `kiosk=station&…` when the timings are the station's.
    fn query(&self) -> String {
        let flag = if self.by_station { "station" } else { "1" };
        format!(
            "kiosk={flag}&idle={}&warn={}",
            self.idle_seconds, self.warning_seconds
        )
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
        self.keep_in("/")
    }

    /// `address` (a path, perhaps with a query of its own) in this kiosk mode, for every
    /// address the app makes on a kiosk: a reload, a new tab, an update or a station page
    /// started from it is a kiosk too. An address that already says its mode is left alone.
    pub fn keep_in(&self, address: &str) -> String {
        let (path, query) = address.split_once('?').unwrap_or((address, ""));
        if query_value(query, "kiosk").is_some() {
            address.to_owned()
        } else if query.is_empty() {
            format!("{path}?{}", self.query())
        } else {
            format!("{path}?{query}&{}", self.query())
        }
    }
}

/// `seconds` if it is a timing in range, else `default`.
fn timing_or(seconds: Option<u32>, default: u32) -> u32 {
    seconds
        .filter(|s| TIMING_RANGE.contains(s))
        .unwrap_or(default)
}

fn query_value<'q>(query: &'q str, key: &str) -> Option<&'q str> {
    query.split('&').find_map(|pair| {
        pair.split_once('=')
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v)
    })
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
                warning_seconds: 5,
                by_station: false
            })
        );
        // A timing that would effectively switch erasure off is ignored.
        assert_eq!(
            KioskConfig::from_query("kiosk=1&idle=999999").map(|c| c.idle_seconds),
            Some(90)
        );
    }

    fn settings(hosts: &[&str], idle_seconds: u32, warning_seconds: u32) -> KioskSettings {
        KioskSettings {
            terminal_hosts: hosts.iter().map(|h| h.to_string()).collect(),
            idle_seconds,
            warning_seconds,
        }
    }

    #[test]
    fn the_station_makes_its_terminals_kiosks() {
        let station = settings(&["quay.example", "10.0.0.20"], 120, 20);
        let address = |query: &str, host: &str| KioskConfig::station_address(query, host, &station);
        // A terminal the station lists becomes a kiosk with the station's timings, other
        // parameters kept.
        assert_eq!(
            address("procedure=id-card", "quay.example").as_deref(),
            Some("procedure=id-card&kiosk=station&idle=120&warn=20")
        );
        assert_eq!(
            address("", "QUAY.example").as_deref(),
            Some("kiosk=station&idle=120&warn=20")
        );
        // Phones, at any other address, are left alone.
        assert_eq!(address("", "congan.example"), None);
        // "*": every address is a terminal.
        assert!(KioskConfig::station_address("", "anything", &settings(&["*"], 90, 30)).is_some());
        // A flag without timings takes the station's; timings in the address win.
        assert_eq!(
            address("kiosk=1", "phone.example").as_deref(),
            Some("kiosk=station&idle=120&warn=20")
        );
        assert_eq!(address("kiosk=1&idle=10&warn=5", "quay.example"), None);
        // The station's timings changed since the terminal started: it follows them.
        assert_eq!(
            address("kiosk=station&idle=90&warn=30", "quay.example").as_deref(),
            Some("kiosk=station&idle=120&warn=20")
        );
        // Timings out of range fall back to the defaults rather than switching erasure off.
        assert_eq!(
            KioskConfig::station_address(
                "",
                "quay.example",
                &settings(&["quay.example"], 0, 99_999)
            )
            .as_deref(),
            Some("kiosk=station&idle=90&warn=30")
        );
    }

    #[test]
    fn following_the_station_address_once_is_enough() {
        let station = settings(&["quay.example"], 120, 20);
        for query in [
            "",
            "a=1",
            "kiosk=1",
            "kiosk=0&b=2",
            "idle=7",
            "kiosk=station&idle=5",
            "kiosk=1&idle=999999&warn=10&step=2",
        ] {
            let once = KioskConfig::station_address(query, "quay.example", &station)
                .unwrap_or_else(|| query.to_owned());
            assert_eq!(
                KioskConfig::station_address(&once, "quay.example", &station),
                None,
                "{query}"
            );
            assert!(KioskConfig::from_query(&once).is_some(), "{query}");
        }
        // The erased terminal's home address is stable too.
        let home = KioskConfig {
            idle_seconds: 120,
            warning_seconds: 20,
            by_station: true,
        }
        .home_address();
        assert_eq!(home, "/?kiosk=station&idle=120&warn=20");
        assert_eq!(
            KioskConfig::station_address(&home[2..], "quay.example", &station),
            None
        );
    }

    #[test]
    fn warning_counts_down_then_expires() {
        let config = KioskConfig::default();
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

    #[test]
    fn every_address_made_on_a_kiosk_keeps_the_mode() {
        let config = KioskConfig::from_query("kiosk=1&idle=60&warn=20").unwrap_or_default();
        assert_eq!(
            config.keep_in("/services"),
            "/services?kiosk=1&idle=60&warn=20"
        );
        assert_eq!(
            config.keep_in("/book?procedure=id-card"),
            "/book?procedure=id-card&kiosk=1&idle=60&warn=20"
        );
        assert_eq!(
            config.keep_in("/?kiosk=station&idle=90&warn=30"),
            "/?kiosk=station&idle=90&warn=30",
            "already said"
        );
        assert_eq!(config.home_address(), "/?kiosk=1&idle=60&warn=20");
        // Read back, it is the same kiosk.
        let (_, query) = config
            .keep_in("/forms")
            .split_once('?')
            .map(|(p, q)| (p.to_owned(), q.to_owned()))
            .unwrap_or_default();
        assert_eq!(KioskConfig::from_query(&query), Some(config));
    }
}
