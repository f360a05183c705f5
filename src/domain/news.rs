//! News and warnings (public/data/news.json), such as current scam warnings.

use serde::{Deserialize, Serialize};

use super::data_file::{FieldError, FieldErrors, Validate};
use super::text::Localized;

pub const NEWS_FILE: &str = "data/news.json";
pub const NEWS_SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct News {
    pub schema_version: u32,
    pub items: Vec<NewsItem>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NewsKind {
    Warning,
    Notice,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewsItem {
    pub kind: NewsKind,
    /// YYYY-MM-DD.
    pub published: String,
    pub title: Localized,
    pub body: Localized,
    /// Where the facts come from, when the item states any.
    #[serde(default)]
    pub source: Option<Localized>,
}

/// A calendar date as written in data files (YYYY-MM-DD), checked to be a real day.
pub fn parse_iso_date(text: &str) -> Option<chrono::NaiveDate> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// The ISO form, YYYY-MM-DD (for `<time datetime>` and stored data). Written by hand rather
/// than with chrono's formatter, which would add its whole format engine to the wasm.
pub fn format_iso_date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Serde for dates as "YYYY-MM-DD", without chrono's format engine.
pub mod iso_date_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        date: &chrono::NaiveDate,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format_iso_date(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<chrono::NaiveDate, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse_iso_date(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a date: {text}")))
    }
}

/// The Vietnamese way of writing a date: dd/mm/yyyy.
pub fn format_date_vn(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

impl News {
    /// Items newest first; an item whose date does not parse sorts last.
    pub fn newest_first(&self) -> Vec<&NewsItem> {
        let mut items: Vec<&NewsItem> = self.items.iter().collect();
        items.sort_by_key(|item| std::cmp::Reverse(parse_iso_date(&item.published)));
        items
    }
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
        }
        errors.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_must_be_real_days() {
        assert_eq!(
            parse_iso_date("2026-02-28").map(format_date_vn),
            Some("28/02/2026".into())
        );
        assert!(parse_iso_date("2028-02-29").is_some());
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "26-01-01",
            "2026-1-1",
            "2026-01-01-01",
            "",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }
}
