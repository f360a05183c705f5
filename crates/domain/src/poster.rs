//! A warning's A4 poster (#28): what it says, gathered from the station's files. The PDF module
//! lays it out (`pdf::render_poster`); the page builds it here and sends it as a
//! `pdf_job::PdfJob::Poster`. Vietnamese only: it hangs on a station's wall in Vietnam.

use serde::{Deserialize, Serialize};

use super::news::{NewsItem, NewsKind};
use super::station::{Channel, ChannelKind, Station};
use super::time::{format_date_vn, parse_iso_date};

/// Everything the poster prints, as plain text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poster {
    pub warning: bool,
    pub agency: String,
    pub station: String,
    pub title: String,
    /// "Seen since", as the poster prints a date (dd/mm/yyyy).
    pub since: Option<String>,
    pub published: String,
    pub body: String,
    pub advice: Option<String>,
    pub channels: Vec<PosterChannel>,
    /// The station's own number, beside 113.
    pub phone: String,
    /// The warning's page, where its QR code leads.
    pub link: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PosterChannel {
    /// "Zalo", "Facebook", "Trang web", "Điện thoại", "Thư điện tử".
    pub kind: String,
    pub name: String,
    pub address: String,
    pub recognise: Option<String>,
}

/// How a channel's kind reads on paper.
fn kind_on_paper(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::Zalo => "Zalo",
        ChannelKind::Facebook => "Facebook",
        ChannelKind::Website => "Trang web",
        ChannelKind::Hotline => "Điện thoại",
        ChannelKind::Email => "Thư điện tử",
    }
}

fn on_paper(channel: &Channel) -> PosterChannel {
    PosterChannel {
        kind: kind_on_paper(channel.kind).to_owned(),
        name: channel.name.vi.clone(),
        address: channel.address.clone(),
        recognise: channel.recognise.as_ref().map(|r| r.vi.clone()),
    }
}

fn paper_date(iso: &str) -> String {
    parse_iso_date(iso).map_or_else(|| iso.to_owned(), format_date_vn)
}

/// The poster of `item`, whose page is `site` (the station's address as citizens reach it, e.g.
/// `https://tanlap.example.vn`) followed by `/news#` and the item's anchor.
pub fn poster(station: &Station, item: &NewsItem, site: &str) -> Poster {
    Poster {
        warning: item.kind == NewsKind::Warning,
        agency: station.parent_agency.vi.clone(),
        station: station.name.vi.clone(),
        title: item.title.vi.clone(),
        since: item.since.as_deref().map(paper_date),
        published: paper_date(&item.published),
        body: item.body.vi.clone(),
        advice: item.advice.as_ref().map(|a| a.vi.clone()),
        channels: station.channels.iter().map(on_paper).collect(),
        phone: station.phone.clone(),
        link: format!("{}/news#{}", site.trim_end_matches('/'), item.anchor()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_poster_carries_the_warning_the_channels_and_the_link() {
        let station: Station =
            serde_json::from_str(include_str!("../../../public/data/station.json"))
                .expect("station");
        let news: super::super::news::News =
            serde_json::from_str(include_str!("../../../public/data/news.json")).expect("news");
        let mut item = news.items[0].clone();
        item.kind = NewsKind::Warning;
        item.since = Some("2026-11-20".to_owned());
        let poster = poster(&station, &item, "https://tanlap.example.vn/");
        assert!(poster.warning);
        assert_eq!(poster.station, station.name.vi);
        assert_eq!(poster.since.as_deref(), Some("20/11/2026"));
        assert_eq!(
            poster.link,
            format!("https://tanlap.example.vn/news#{}", item.anchor())
        );
        assert_eq!(poster.channels.len(), station.channels.len());
        assert_eq!(poster.channels[0].address, station.channels[0].address);
    }
}
