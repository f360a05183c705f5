//! Every address inside the app, as a type: pages are chosen by parsing the address bar into a
//! `Route`, and links and navigation write a `Route` back, so an address is spelt in one place.
//! A kiosk's mode parameters are not part of a route: the router adds them (`KioskConfig`).

use std::fmt;

/// Where the citizen is in a guided form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// A step, counted from 0 (the address counts from 1).
    Step(usize),
    /// The page that shows every answer before the PDF.
    Review,
}

/// A stage, and whether the step's button returns to the review (after its "change" link).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    pub stage: Stage,
    pub then_review: bool,
}

impl Place {
    pub const START: Place = Place::at(Stage::Step(0));

    pub const fn at(stage: Stage) -> Place {
        Place {
            stage,
            then_review: false,
        }
    }
}

/// The pages served by the station bundle (staff desk, terminal, waiting-room screen, and the
/// phone's view of a queue ticket).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StationPage {
    Staff,
    CheckIn,
    /// "Take a number" at the terminal.
    TakeNumber,
    /// The waiting-room screen.
    Display,
    /// A queue ticket on the citizen's phone, by its token (the ticket's QR code).
    Ticket(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    Services,
    Procedure(String),
    /// Booking form: for a procedure, or moving an existing booking (its code).
    Book {
        procedure: Option<String>,
        moving: Option<String>,
    },
    Bookings,
    BookingSlip(String),
    Forms,
    /// A form at a step or its review. A step beyond the form's last is clamped by the page,
    /// which knows how many steps there are.
    Form {
        id: String,
        place: Place,
    },
    News,
    Contact,
    /// Asking the station a question (#29), about a procedure or not, and reading answers.
    Ask {
        procedure: Option<String>,
    },
    Station(StationPage),
    NotFound,
}

impl Route {
    /// The route for a path and a query string (without "?"). Unknown query keys are ignored.
    pub fn parse(path: &str, query: &str) -> Route {
        let path = path.trim_matches('/');
        let (first, rest) = path.split_once('/').unwrap_or((path, ""));
        let param = |key: &str| query_param(query, key);
        if rest.contains('/') {
            return Route::NotFound;
        }
        match (first, rest) {
            ("", "") => Route::Home,
            ("services", "") => Route::Services,
            ("services", id) => Route::Procedure(id.to_owned()),
            ("book", "") => Route::Book {
                procedure: param("procedure"),
                moving: param("move"),
            },
            ("bookings", "") => Route::Bookings,
            ("bookings", code) => Route::BookingSlip(code.to_owned()),
            ("forms", "") => Route::Forms,
            ("forms", id) => {
                let stage = match param("step").as_deref() {
                    Some("review") => Stage::Review,
                    Some(n) => match n.parse::<usize>() {
                        Ok(n) if n >= 1 => Stage::Step(n - 1),
                        _ => Stage::Step(0),
                    },
                    None => Stage::Step(0),
                };
                let then_review =
                    stage != Stage::Review && param("then").as_deref() == Some("review");
                Route::Form {
                    id: id.to_owned(),
                    place: Place { stage, then_review },
                }
            }
            ("news", "") => Route::News,
            ("contact", "") => Route::Contact,
            ("ask", "") => Route::Ask {
                procedure: param("procedure"),
            },
            ("staff", "") => Route::Station(StationPage::Staff),
            ("check-in", "") => Route::Station(StationPage::CheckIn),
            ("take-number", "") => Route::Station(StationPage::TakeNumber),
            ("display", "") => Route::Station(StationPage::Display),
            ("q", token) if !token.is_empty() => {
                Route::Station(StationPage::Ticket(token.to_owned()))
            }
            _ => Route::NotFound,
        }
    }
}

impl Route {
    /// The address of this page, as the address bar shows it.
    // Built by hand rather than with `write!`: about a kilobyte less of the browser's wasm.
    pub fn address(&self) -> String {
        let (path, id, query): (&str, Option<&str>, String) = match self {
            Route::Home => ("/", None, String::new()),
            Route::Services => ("/services", None, String::new()),
            Route::Procedure(id) => ("/services/", Some(id), String::new()),
            Route::Book { procedure, moving } => (
                "/book",
                None,
                match (procedure, moving) {
                    (Some(id), _) => "?procedure=".to_owned() + &encode(id),
                    (None, Some(code)) => "?move=".to_owned() + &encode(code),
                    (None, None) => String::new(),
                },
            ),
            Route::Bookings => ("/bookings", None, String::new()),
            Route::BookingSlip(code) => ("/bookings/", Some(code), String::new()),
            Route::Forms => ("/forms", None, String::new()),
            Route::Form { id, place } => (
                "/forms/",
                Some(id),
                match place.stage {
                    // The first step is the form's own address.
                    _ if *place == Place::START => String::new(),
                    Stage::Review => "?step=review".to_owned(),
                    Stage::Step(i) => {
                        let then = if place.then_review {
                            "&then=review"
                        } else {
                            ""
                        };
                        "?step=".to_owned() + &(i + 1).to_string() + then
                    }
                },
            ),
            Route::News => ("/news", None, String::new()),
            Route::Contact => ("/contact", None, String::new()),
            Route::Ask { procedure } => (
                "/ask",
                None,
                procedure
                    .as_ref()
                    .map(|id| "?procedure=".to_owned() + &encode(id))
                    .unwrap_or_default(),
            ),
            Route::Station(StationPage::Staff) => ("/staff", None, String::new()),
            Route::Station(StationPage::CheckIn) => ("/check-in", None, String::new()),
            Route::Station(StationPage::TakeNumber) => ("/take-number", None, String::new()),
            Route::Station(StationPage::Display) => ("/display", None, String::new()),
            Route::Station(StationPage::Ticket(token)) => ("/q/", Some(token), String::new()),
            Route::NotFound => ("/not-found", None, String::new()),
        };
        path.to_owned() + id.unwrap_or("") + &query
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.address())
    }
}

impl From<Route> for String {
    fn from(route: Route) -> String {
        route.address()
    }
}

/// A query value made safe: ids and codes are letters, digits and dashes, so anything else is
/// percent-encoded byte by byte.
fn encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 15)] as char);
        }
    }
    out
}

/// The value of `key` in a query string, percent-decoded ("+" is a space); None when absent.
pub fn query_param(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == key).then(|| decode(v))
    })
}

fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| {
            bytes
                .get(at)
                .and_then(|b| char::from(*b).to_digit(16))
                .map(|d| d as u8)
        };
        match bytes[i] {
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    // Not UTF-8 once decoded: kept as written.
    String::from_utf8(out).unwrap_or_else(|_| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(id: &str, stage: Stage, then_review: bool) -> Route {
        Route::Form {
            id: id.into(),
            place: Place { stage, then_review },
        }
    }

    #[test]
    fn every_route_reads_back_from_its_own_address() {
        let routes = [
            Route::Home,
            Route::Services,
            Route::Procedure("id-card-replace".into()),
            Route::Book {
                procedure: None,
                moving: None,
            },
            Route::Book {
                procedure: Some("id-card".into()),
                moving: None,
            },
            Route::Book {
                procedure: None,
                moving: Some("K7M2-9QX4".into()),
            },
            Route::Bookings,
            Route::BookingSlip("K7M2-9QX4".into()),
            Route::Forms,
            form("DC02", Stage::Step(0), false),
            form("DC02", Stage::Step(2), true),
            form("CT01", Stage::Review, false),
            Route::News,
            Route::Contact,
            Route::Ask { procedure: None },
            Route::Ask {
                procedure: Some("id-card-replace".into()),
            },
            Route::Station(StationPage::Staff),
            Route::Station(StationPage::CheckIn),
            Route::Station(StationPage::TakeNumber),
            Route::Station(StationPage::Display),
            Route::Station(StationPage::Ticket("0a1b2c".into())),
            Route::NotFound,
        ];
        for route in routes {
            let address = route.to_string();
            let (path, query) = address.split_once('?').unwrap_or((&address, ""));
            assert_eq!(Route::parse(path, query), route, "{address}");
        }
    }

    #[test]
    fn addresses_as_the_app_has_always_written_them() {
        assert_eq!(
            form("CT01", Stage::Step(0), false).to_string(),
            "/forms/CT01"
        );
        assert_eq!(
            form("CT01", Stage::Step(1), false).to_string(),
            "/forms/CT01?step=2"
        );
        assert_eq!(
            form("CT01", Stage::Step(1), true).to_string(),
            "/forms/CT01?step=2&then=review"
        );
        assert_eq!(
            form("CT01", Stage::Review, false).to_string(),
            "/forms/CT01?step=review"
        );
        assert_eq!(
            Route::Book {
                procedure: Some("id-card".into()),
                moving: None
            }
            .to_string(),
            "/book?procedure=id-card"
        );
    }

    #[test]
    fn odd_addresses_land_somewhere_sensible() {
        // Trailing slashes, a kiosk's own parameters, a bad step number.
        assert_eq!(Route::parse("/services/", ""), Route::Services);
        assert_eq!(
            Route::parse("/forms/DC02", "step=x&kiosk=1&idle=90"),
            form("DC02", Stage::Step(0), false)
        );
        assert_eq!(
            Route::parse("/forms/DC02", "step=0"),
            form("DC02", Stage::Step(0), false)
        );
        assert_eq!(
            Route::parse("/forms/DC02", "step=review&then=review"),
            form("DC02", Stage::Review, false)
        );
        assert_eq!(Route::parse("/services/a/b", ""), Route::NotFound);
        assert_eq!(Route::parse("/staff/x", ""), Route::NotFound);
    }

    #[test]
    fn query_values_are_percent_decoded_and_encoded() {
        assert_eq!(
            query_param("a=1&procedure=id%2Dcard+x&b", "procedure").as_deref(),
            Some("id-card x")
        );
        assert_eq!(query_param("b", "b").as_deref(), Some(""));
        assert_eq!(query_param("a=%E1%BA%A3&c=%zz", "a").as_deref(), Some("ả"));
        // Escapes that do not make UTF-8: the value as written.
        assert_eq!(query_param("a=%E1x", "a").as_deref(), Some("%E1x"));
        assert_eq!(query_param("c=%zz", "c").as_deref(), Some("%zz"));
        assert_eq!(query_param("a=1", "b"), None);
        let odd = Route::Book {
            procedure: Some("a b&c=ả".into()),
            moving: None,
        };
        assert_eq!(odd.to_string(), "/book?procedure=a%20b%26c%3D%E1%BA%A3");
        assert_eq!(
            Route::parse("/book", "procedure=a%20b%26c%3D%E1%BA%A3"),
            odd
        );
    }
}
