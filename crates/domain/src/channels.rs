//! "Is this really the police?": a phone number, a link or a page's name that a citizen met,
//! compared with the station's official channels (station.json `channels` and `phone`).
//!
//! Both sides are read the same way before they are compared, so the forms people write one
//! channel in all compare equal: a phone's spaces, dots and +84; a link's scheme, `www.`/`m.`,
//! `fb.com`, query and trailing slash; a name's case, diacritics and punctuation. What is not
//! equal but close (a digit off, a letter off, our name inside a longer one) is the look-alike
//! a scammer uses, and the verdict says so. Nothing leaves the device: this runs on the data the
//! app already holds.

use super::station::{Channel, ChannelKind, Station, EMERGENCY_NUMBER};
use super::text::{fold_for_search, Localized};

/// One of the station's official channels, as the checker found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Official<'a> {
    pub kind: ChannelKind,
    /// The channel's label and how to recognise it; `None` for the station's own phone line,
    /// which the contact page lists without one.
    pub channel: Option<&'a Channel>,
    /// As the station writes it.
    pub address: &'a str,
}

impl Official<'_> {
    pub fn name(&self) -> Option<&Localized> {
        self.channel.map(|channel| &channel.name)
    }
}

/// The answer for what the citizen typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict<'a> {
    /// Nothing to compare (empty or only punctuation).
    Empty,
    /// One of the station's channels, written another way perhaps.
    Ours(Official<'a>),
    /// The national police emergency number: real, though not the station's own line.
    Emergency,
    /// Not one of the station's. `resembles` is the official channel it imitates, when it is
    /// close to one: the look-alike is the warning sign.
    NotOurs { resembles: Option<Official<'a>> },
}

/// How a channel is written, once read: what two writings of one channel share.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Written {
    /// Digits in the national form (leading 0 for +84).
    Phone(String),
    /// Host and path, lower case, without scheme, mobile prefixes, query or trailing slash.
    Link(String),
    /// Letters and digits only, folded (no case, no diacritics, no spaces or punctuation).
    Name(String),
}

impl Written {
    fn text(&self) -> &str {
        match self {
            Written::Phone(text) | Written::Link(text) | Written::Name(text) => text,
        }
    }
}

/// Compares `typed` with the station's official channels.
pub fn check_channel<'a>(station: &'a Station, typed: &str) -> Verdict<'a> {
    let Some(typed) = read(typed) else {
        return Verdict::Empty;
    };
    if typed == Written::Phone(EMERGENCY_NUMBER.to_owned()) {
        return Verdict::Emergency;
    }
    let officials = officials(station);
    let read_officials: Vec<(Official<'a>, Written)> = officials
        .into_iter()
        .filter_map(|official| read(official.address).map(|written| (official, written)))
        .collect();
    if let Some((official, _)) = read_officials.iter().find(|(_, written)| *written == typed) {
        return Verdict::Ours(*official);
    }
    let resembles = read_officials
        .iter()
        .filter_map(|(official, written)| resemblance(&typed, written).map(|far| (far, *official)))
        .min_by_key(|(far, _)| *far)
        .map(|(_, official)| official)
        .or_else(|| {
            // A page named after the station itself ("Công an phường … hỗ trợ") imitates it
            // even where no channel is a name.
            let station_name = compact(&station.name.vi);
            let typed_text = compact(typed.text());
            (station_name.len() >= MIN_INSIDE && typed_text.contains(&station_name))
                .then(|| read_officials.first().map(|(official, _)| *official))
                .flatten()
        });
    Verdict::NotOurs { resembles }
}

/// The channels a citizen may meet: the listed ones, then the station's phone line.
fn officials(station: &Station) -> Vec<Official<'_>> {
    let mut officials: Vec<Official<'_>> = station
        .channels
        .iter()
        .map(|channel| Official {
            kind: channel.kind,
            channel: Some(channel),
            address: &channel.address,
        })
        .collect();
    officials.push(Official {
        kind: ChannelKind::Hotline,
        channel: None,
        address: &station.phone,
    });
    officials
}

/// Shorter than this, "contains our name" says nothing.
const MIN_INSIDE: usize = 6;

/// How far `typed` is from looking like `ours`, smaller for closer; `None` when it does not.
fn resemblance(typed: &Written, ours: &Written) -> Option<usize> {
    let (a, b) = (typed.text(), ours.text());
    let same_kind = std::mem::discriminant(typed) == std::mem::discriminant(ours);
    // A digit or two off, swapped or missing is the classic spoofed number; a letter or three
    // the look-alike page.
    let limit = if matches!(ours, Written::Phone(_)) {
        2
    } else {
        3
    };
    if let Some(edits) = edits_within(a, b, limit).filter(|_| same_kind) {
        return Some(edits);
    }
    // Our handle or name inside a longer one: "…tanlap.mau.official", "… hỗ trợ".
    let (a, b) = (compact(a), compact(b));
    (b.len() >= MIN_INSIDE && a.contains(&b)).then_some(if same_kind { 4 } else { 5 })
}

/// Letters and digits only, folded: what is left of a name or link to look for inside another.
fn compact(text: &str) -> String {
    fold_for_search(text).replace(' ', "")
}

/// The number of single-character edits that turn `a` into `b` (Levenshtein), when it is at
/// most `limit`.
fn edits_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    Some(previous[b.len()]).filter(|edits| *edits <= limit)
}

/// Reads a channel as written: a phone when it is digits (with the usual separators), a link
/// when it names a site, a name otherwise. `None` when nothing is left to compare.
fn read(text: &str) -> Option<Written> {
    let text = text.trim();
    if let Some(digits) = phone_digits(text) {
        return Some(Written::Phone(digits));
    }
    if let Some(link) = link(text) {
        return Some(Written::Link(link));
    }
    let name = compact(text);
    (!name.is_empty()).then_some(Written::Name(name))
}

/// The digits of a phone number in the national form, or `None` when `text` is not one.
pub(crate) fn phone_digits(text: &str) -> Option<String> {
    let (international, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut digits = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '.' | '-' | '(' | ')' | '\u{00A0}' => {}
            _ => return None,
        }
    }
    if digits.len() < 3 {
        return None;
    }
    // +84 912…, 0084 912…, 84 912… (a mobile's 11 digits, a landline's 12) all mean 0912….
    let national = if let Some(rest) = digits.strip_prefix("0084") {
        Some(rest)
    } else if international || (digits.starts_with("84") && matches!(digits.len(), 11 | 12)) {
        digits.strip_prefix("84")
    } else {
        None
    };
    Some(match national {
        Some(rest) => format!("0{rest}"),
        None => digits,
    })
}

/// Prefixes that open the same page on another device or app.
const SAME_SITE_PREFIXES: [&str; 6] = ["www.", "m.", "mobile.", "web.", "mbasic.", "touch."];
/// Short names for the same site.
const SITE_ALIASES: [(&str, &str); 3] = [
    ("fb.com", "facebook.com"),
    ("fb.me", "facebook.com"),
    ("chat.zalo.me", "zalo.me"),
];

/// A link's host and path, normalised; `None` when `text` names no site (no dot in its first
/// part, or spaces inside).
fn link(text: &str) -> Option<String> {
    // ASCII only: a site's address is ASCII (an internationalised one is punycode), and
    // Unicode's case tables would cost every phone's first download.
    let lower = text.to_ascii_lowercase();
    let mut rest = lower.as_str();
    for scheme in ["https://", "http://"] {
        if let Some(after) = rest.strip_prefix(scheme) {
            rest = after;
        }
    }
    if rest.contains(|c: char| c.is_ascii_whitespace() || c == '\u{00A0}') {
        return None;
    }
    let (address, query) = match rest.split_once('?') {
        Some((address, query)) => (address, Some(query)),
        None => (rest.split('#').next().unwrap_or(rest), None),
    };
    let (host, path) = address.split_once('/').unwrap_or((address, ""));
    let host = host.split(':').next().unwrap_or(host);
    if !host.contains('.') || host.starts_with('.') || host.ends_with('.') {
        return None;
    }
    let mut host = host;
    while let Some(shorter) = SAME_SITE_PREFIXES
        .iter()
        .find_map(|prefix| host.strip_prefix(prefix))
        .filter(|shorter| shorter.contains('.'))
    {
        host = shorter;
    }
    let host = SITE_ALIASES
        .iter()
        .find(|(alias, _)| *alias == host)
        .map_or(host, |(_, site)| site);
    let path = path.trim_end_matches('/');
    // A Facebook page without a user name is known only by its id: the one query kept.
    let id = query
        .filter(|_| path == "profile.php")
        .and_then(|query| {
            query
                .split(['&', '#'])
                .find_map(|pair| pair.strip_prefix("id="))
        })
        .map(|id| format!("?id={id}"))
        .unwrap_or_default();
    Some(if path.is_empty() {
        host.to_owned()
    } else {
        format!("{host}/{path}{id}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::station::Channel;

    fn localized(text: &str) -> Localized {
        Localized {
            vi: text.to_owned(),
            en: text.to_owned(),
        }
    }

    fn channel(kind: ChannelKind, address: &str) -> Channel {
        Channel {
            kind,
            name: localized("official"),
            recognise: None,
            address: address.to_owned(),
        }
    }

    fn station() -> Station {
        let json = include_str!("../../../public/data/station.json");
        let mut station: Station = json::from_str(json).expect("the sample station reads");
        station.name = localized("Công an phường Tân Lập");
        station.phone = "0262 3850 000".to_owned();
        station.channels = vec![
            channel(ChannelKind::Zalo, "Công an phường Tân Lập (mẫu)"),
            channel(ChannelKind::Facebook, "facebook.com/conganphuongtanlap.mau"),
            channel(ChannelKind::Hotline, "0912 345 678"),
            channel(
                ChannelKind::Website,
                "https://conganphuongtanlap.example.vn/",
            ),
            channel(
                ChannelKind::Facebook,
                "https://www.facebook.com/profile.php?id=100064512345678",
            ),
        ];
        station
    }

    fn ours(station: &Station, typed: &str) -> Option<String> {
        match check_channel(station, typed) {
            Verdict::Ours(official) => Some(official.address.to_owned()),
            _ => None,
        }
    }

    #[test]
    fn each_channel_is_ours_in_three_writings() {
        let station = station();
        let writings: [(&str, [&str; 3]); 6] = [
            (
                "Công an phường Tân Lập (mẫu)",
                [
                    "cong an phuong tan lap mau",
                    "CÔNG AN PHƯỜNG TÂN LẬP - MẪU",
                    "Công an phường Tân Lập (mẫu)",
                ],
            ),
            (
                "facebook.com/conganphuongtanlap.mau",
                [
                    "https://www.facebook.com/conganphuongtanlap.mau/",
                    "m.facebook.com/ConganphuongTanLap.mau?ref=share",
                    "fb.com/conganphuongtanlap.mau",
                ],
            ),
            (
                "0912 345 678",
                ["0912345678", "+84 912 345 678", "0084.912.345.678"],
            ),
            (
                "0262 3850 000",
                ["02623850000", "+84 262 3850 000", "(0262) 3850-000"],
            ),
            (
                "https://conganphuongtanlap.example.vn/",
                [
                    "conganphuongtanlap.example.vn",
                    "http://www.conganphuongtanlap.example.vn",
                    "CONGANPHUONGTANLAP.EXAMPLE.VN/#top",
                ],
            ),
            (
                "https://www.facebook.com/profile.php?id=100064512345678",
                [
                    "facebook.com/profile.php?id=100064512345678",
                    "https://m.facebook.com/profile.php?id=100064512345678&mibextid=abc",
                    "fb.com/profile.php?id=100064512345678",
                ],
            ),
        ];
        for (address, typed) in writings {
            for written in typed {
                assert_eq!(
                    ours(&station, written).as_deref(),
                    Some(address),
                    "{written}"
                );
            }
        }
    }

    fn resembles(station: &Station, typed: &str) -> Option<String> {
        match check_channel(station, typed) {
            Verdict::NotOurs { resembles } => resembles.map(|official| official.address.to_owned()),
            other => panic!("{typed}: expected not ours, got {other:?}"),
        }
    }

    #[test]
    fn near_misses_are_not_ours_and_say_what_they_imitate() {
        let station = station();
        for (typed, imitated) in [
            ("0912 345 679", "0912 345 678"),
            ("0912 345 78", "0912 345 678"),
            ("0262 3850 001", "0262 3850 000"),
            (
                "facebook.com/conganphuongtanlap.mau.official",
                "facebook.com/conganphuongtanlap.mau",
            ),
            (
                "facebook.com/conganphuongtanlap.rnau",
                "facebook.com/conganphuongtanlap.mau",
            ),
            (
                "Công an phường Tân Lạc (mẫu)",
                "Công an phường Tân Lập (mẫu)",
            ),
            (
                "Công an phường Tân Lập (mẫu) - Hỗ trợ hoàn tiền",
                "Công an phường Tân Lập (mẫu)",
            ),
            (
                "conganphuongtanlap.example.com",
                "https://conganphuongtanlap.example.vn/",
            ),
            (
                "facebook.com/profile.php?id=100064512345679",
                "https://www.facebook.com/profile.php?id=100064512345678",
            ),
        ] {
            assert_eq!(
                resembles(&station, typed).as_deref(),
                Some(imitated),
                "{typed}"
            );
        }
        // A page that only borrows the station's name imitates it too.
        assert!(resembles(&station, "Công an phường Tân Lập hỗ trợ").is_some());
        // Unrelated things are simply not ours.
        for typed in ["0987 654 321", "zalo.me/0987654321", "Shop quần áo Hoa Mai"] {
            assert_eq!(resembles(&station, typed), None, "{typed}");
        }
    }

    #[test]
    fn the_emergency_number_and_nothing() {
        let station = station();
        assert_eq!(check_channel(&station, " 113 "), Verdict::Emergency);
        assert_eq!(check_channel(&station, "  "), Verdict::Empty);
        assert_eq!(check_channel(&station, " - . "), Verdict::Empty);
    }

    #[test]
    fn phones_are_read_in_their_national_form() {
        for (typed, digits) in [
            ("+84 912 345 678", "0912345678"),
            ("84912345678", "0912345678"),
            ("0084 262 3850 000", "02623850000"),
            ("842623850000", "02623850000"),
            ("0912.345.678", "0912345678"),
            ("113", "113"),
        ] {
            assert_eq!(
                read(typed),
                Some(Written::Phone(digits.to_owned())),
                "{typed}"
            );
        }
        assert_eq!(read("12"), Some(Written::Name("12".to_owned())));
    }

    #[test]
    fn edits_are_counted() {
        assert_eq!(edits_within("abc", "abc", 0), Some(0));
        assert_eq!(edits_within("abc", "abd", 1), Some(1));
        assert_eq!(edits_within("abc", "abd", 0), None);
        assert_eq!(edits_within("kitten", "sitting", 3), Some(3));
        assert_eq!(edits_within("kitten", "sitting", 2), None);
        assert_eq!(edits_within("", "ab", 2), Some(2));
    }
}
