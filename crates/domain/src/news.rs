//! News and warnings (public/data/news.json), such as current scam warnings.

use serde::{Deserialize, Serialize};

use super::data_file::{FieldError, FieldErrors, Validate};
use super::text::Localized;
use super::time::parse_iso_date;

pub const NEWS_FILE: &str = "data/news.json";
pub const NEWS_SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct News {
    pub schema_version: u32,
    pub items: Vec<NewsItem>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NewsKind {
    Warning,
    Notice,
}

crate::named::named_enum!(NewsKind { "warning" => Warning, "notice" => Notice });

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewsItem {
    pub kind: NewsKind,
    /// YYYY-MM-DD.
    pub published: String,
    pub title: Localized,
    pub body: Localized,
    /// Where the facts come from, when the item states any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Localized>,
    /// Shown above the others (and the poster's first choice) while it matters most.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pinned: bool,
    /// YYYY-MM-DD: the last day citizens see it; none for an item that stays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// A warning's "seen since" (YYYY-MM-DD): when the scam began to be reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// A warning's "what to do".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advice: Option<Localized>,
}

fn is_false(value: &bool) -> bool {
    !value
}

impl NewsItem {
    /// The item's anchor on the news page (`/news#…`), from its date and Vietnamese title: the
    /// address a warning's poster points its QR code at.
    pub fn anchor(&self) -> String {
        let title = super::text::fold_for_search(&self.title.vi).replace(' ', "-");
        format!("n{}-{title}", self.published.replace('-', ""))
    }
}

impl News {
    /// What citizens see on `today`: expired items left out, pinned ones first, each group
    /// newest first.
    pub fn shown(&self, today: chrono::NaiveDate) -> Vec<&NewsItem> {
        let mut items = self.newest_first();
        items.retain(|item| {
            let expiry = item.expires.as_deref().and_then(parse_iso_date);
            expiry.is_none_or(|last| last >= today)
        });
        // Stable: newest first within the pinned and the others.
        super::small_sort::sort_by(&mut items, |a, b| b.pinned.cmp(&a.pinned));
        items
    }

    /// Items newest first; an item whose date does not parse sorts last.
    pub fn newest_first(&self) -> Vec<&NewsItem> {
        let mut items: Vec<&NewsItem> = self.items.iter().collect();
        super::small_sort::sort_by(&mut items, |a, b| {
            parse_iso_date(&b.published).cmp(&parse_iso_date(&a.published))
        });
        items
    }
}

impl super::data_file::DataFile for News {
    type Notes = super::data_file::NoNotes;
}

impl Validate for News {
    fn validate(&self) -> Vec<FieldError> {
        let mut errors = FieldErrors::default();
        errors.check_version(self.schema_version, NEWS_SCHEMA_VERSION);
        for (index, item) in self.items.iter().enumerate() {
            errors.check_date(format!("items[{index}].published"), &item.published);
            errors.check_text(format!("items[{index}].title"), &item.title);
            errors.check_text(format!("items[{index}].body"), &item.body);
            if let Some(source) = &item.source {
                errors.check_text(format!("items[{index}].source"), source);
            }
            if let Some(advice) = &item.advice {
                errors.check_text(format!("items[{index}].advice"), advice);
            }
            for (field, date) in [("expires", &item.expires), ("since", &item.since)] {
                if let Some(date) = date {
                    errors.check_date(format!("items[{index}].{field}"), date);
                }
            }
        }
        errors.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(published: &str, pinned: bool, expires: Option<&str>) -> NewsItem {
        let text = Localized {
            vi: published.to_owned(),
            en: published.to_owned(),
        };
        NewsItem {
            kind: NewsKind::Warning,
            published: published.to_owned(),
            title: text.clone(),
            body: text,
            source: None,
            pinned,
            expires: expires.map(str::to_owned),
            since: None,
            advice: None,
        }
    }

    #[test]
    fn shown_leaves_out_the_expired_and_puts_the_pinned_first() {
        let news = News {
            schema_version: NEWS_SCHEMA_VERSION,
            items: vec![
                item("2026-11-01", false, None),
                item("2026-10-01", true, None),
                item("2026-12-01", false, Some("2026-12-03")),
                item("2026-11-20", false, Some("2026-12-04")),
                item("2026-09-01", true, Some("2026-12-10")),
            ],
        };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).expect("a date");
        let shown: Vec<&str> = news
            .shown(today)
            .iter()
            .map(|item| item.published.as_str())
            .collect();
        // The one that expired yesterday is gone; the one expiring today is still shown.
        assert_eq!(
            shown,
            ["2026-10-01", "2026-09-01", "2026-11-20", "2026-11-01"]
        );
    }

    #[test]
    fn an_anchor_is_plain_and_stable() {
        let mut warning = item("2026-11-01", false, None);
        warning.title.vi = "Giả danh công an gọi điện: \"đọc mã OTP\"!".to_owned();
        assert_eq!(
            warning.anchor(),
            "n20261101-gia-danh-cong-an-goi-dien-doc-ma-otp"
        );
    }

    #[test]
    fn a_bad_expiry_or_since_is_a_field_problem() {
        let mut bad = item("2026-11-01", false, Some("4/12/2026"));
        bad.since = Some("last week".to_owned());
        let news = News {
            schema_version: NEWS_SCHEMA_VERSION,
            items: vec![bad],
        };
        let fields: Vec<String> = news.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["items[0].expires", "items[0].since"]);
    }
}
