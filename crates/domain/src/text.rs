//! Bilingual text and the folding that makes search ignore case and diacritics.

use serde::{Deserialize, Serialize};

/// The two languages every string and every piece of content exists in. Vietnamese comes first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>` and `lang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// A piece of content written in both languages. Both are required: a data file missing one
/// is rejected when it is read, so the UI never has to fall back silently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    pub vi: String,
    pub en: String,
}

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    /// True when either language is empty or only whitespace.
    pub fn has_blank(&self) -> bool {
        self.vi.trim().is_empty() || self.en.trim().is_empty()
    }
}

/// Precomposed Vietnamese letters grouped by the plain letter they fold to. Combining marks
/// (U+0300–U+036F) are dropped separately, so text in NFC, NFD or a mix folds the same way.
/// Both cases are listed so folding needs no Unicode case tables in the wasm.
const FOLD_GROUPS: [(char, &str); 7] = [
    ('a', "àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ"),
    ('d', "đĐ"),
    ('e', "èéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆ"),
    ('i', "ìíỉĩịÌÍỈĨỊ"),
    ('o', "òóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"),
    ('u', "ùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰ"),
    ('y', "ỳýỷỹỵỲÝỶỸỴ"),
];

fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

fn plain_letter(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    FOLD_GROUPS
        .iter()
        .find(|(_, marked)| marked.contains(c))
        .map_or(c, |(plain, _)| *plain)
}

/// Letters and digits count; ASCII punctuation, spaces and general punctuation separate words.
/// (Any other non-ASCII character is kept as part of a word: enough for Vietnamese and English
/// without shipping Unicode's tables.)
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        !matches!(
            c,
            '\u{00A0}' | '\u{2000}'..='\u{206F}' | '\u{3000}' | '\u{00AB}' | '\u{00BB}'
        )
    }
}

/// Folds text for search: lower case, no diacritics, words separated by single spaces.
/// "Cấp lại CĂN CƯỚC" and "cap  lai can cuoc" fold to the same string.
pub fn fold_for_search(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if is_combining_mark(c) {
            continue;
        }
        if is_word_char(c) {
            if pending_space && !folded.is_empty() {
                folded.push(' ');
            }
            pending_space = false;
            folded.push(plain_letter(c));
        } else {
            pending_space = true;
        }
    }
    folded
}

/// `text` safe inside HTML or SVG markup, as element text or a quoted attribute value (the QR
/// code's label, a page's title drawn ahead).
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_tones_and_case() {
        assert_eq!(fold_for_search("Cấp lại CĂN CƯỚC"), "cap lai can cuoc");
        assert_eq!(fold_for_search("Đăng ký tạm trú"), "dang ky tam tru");
    }

    // Guards against search missing text typed on keyboards that produce decomposed letters.
    #[test]
    fn nfc_and_nfd_fold_alike() {
        let nfc = "Nguyễn Thị Hồng Nhung";
        let nfd = "Nguye\u{302}\u{303}n Thi\u{323} Ho\u{302}\u{300}ng Nhung";
        assert_ne!(nfc, nfd);
        assert_eq!(fold_for_search(nfc), fold_for_search(nfd));
        assert_eq!(fold_for_search(nfd), "nguyen thi hong nhung");
    }

    #[test]
    fn punctuation_and_runs_of_space_become_one_space() {
        assert_eq!(
            fold_for_search("  tạm-trú,   tạm vắng! "),
            "tam tru tam vang"
        );
    }

    #[test]
    fn localized_reports_blank_language() {
        let text = Localized {
            vi: "Xin chào".into(),
            en: "  ".into(),
        };
        assert!(text.has_blank());
        assert_eq!(text.get(Lang::Vi), "Xin chào");
    }
}
