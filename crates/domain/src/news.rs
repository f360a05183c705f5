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
    #[serde(default)]
    pub source: Option<Localized>,
}

impl News {
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
        }
        errors.0
    }
}
