//! JSON text to values and back: the one codec every reader and writer of JSON here goes
//! through (data files, the station's answers, what the browser keeps).
//!
//! Natively that is serde_json. In the browser it is the browser's own `JSON.parse` with a
//! small serde reader of the values it gives (`browser.rs`), and a small writer of JSON text
//! (`writer.rs`: serde_json's output, without serde_json's code): serde_json's parser, copied
//! into every type it reads, was an eighth of the app's code (measured with twiggy;
//! docs/size.md). Both are pure functions of the text, so the domain still calls nothing of
//! the outside world. They differ only in how an error is located: natively by line, in the
//! browser by the field being read.
//!
//! **What the hand-written parts save, and how to drop them** (the one place this is said):
//! the reader and the writer keep serde_json's parser and printer out of the browser's wasm
//! (−14 KB brotli of the first load when they came in; docs/size.md). Both are tested natively
//! against serde_json: the reader over serde_json's values made to look like `JSON.parse`'s
//! (`browser.rs` tests: the same texts, the same values or both refused; where they differ —
//! a repeated key, integers past 2^53 — the difference is pinned), the writer over every shape
//! serde gives and the station's requests (`writer.rs`, `domain::station_api`). The writer
//! refuses floats (no type written here has one). To drop them: make the wasm `imp` below call
//! `serde_json::from_str` and `serde_json::to_string` as the native one does, and delete
//! `browser.rs` and `writer.rs`.

// The browser's reader; compiled natively for its tests, which drive it over serde_json's
// values made to look like JSON.parse's.
#[cfg(any(target_arch = "wasm32", test))]
mod browser;
// Used by the browser build; public natively too, where it is tested against serde_json (here
// and, for the station's requests, in `domain::station_api`).
pub mod writer;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a text could not be read as the value asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON at all. Line and column are 1-based; 0 when the parser did not say.
    Syntax { line: usize, column: usize },
    /// JSON, but not of the expected shape: the parser's own words ("missing field `sat`"),
    /// the line when the parser knows it (natively), and the field when the reader knows it
    /// (in the browser).
    Shape {
        detail: String,
        line: Option<usize>,
        column: usize,
        field: Option<String>,
    },
}

/// Reads `text` as a `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    imp::from_str(text)
}

/// Writes `value` as JSON text, fields in their declared order, absent options as `null`
/// (what serde_json writes). None only for a value JSON cannot hold (a map with keys that are
/// not text).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    imp::to_string(value)
}

/// Reads `text` as a `T` as `from_str` does natively, and lists the keys `T` passed over, by
/// path (`procedures[3].fees[0].chekced`), up to the error if there is one (a misspelt key is
/// often why a field is missing): a data file's types read what they use and pass over the
/// rest, so the one who checks a file (`domain::data_file::read_data_file`) is told which keys
/// nothing read. serde_json on every target: only native tools call it, so it never reaches
/// the browser's wasm.
pub fn from_str_noting_unread<T: DeserializeOwned>(
    text: &str,
) -> (Result<T, JsonError>, Vec<String>) {
    let mut unread = Vec::new();
    let mut reader = serde_json::Deserializer::from_str(text);
    let value = serde_ignored::deserialize(&mut reader, |path| unread.push(path_text(&path)))
        .and_then(|value| reader.end().map(|()| value))
        .map_err(from_serde_json);
    (value, unread)
}

/// A path as data-file problems name fields: keys joined by dots, list positions in brackets.
fn path_text(path: &serde_ignored::Path) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", path_text(parent)),
        Path::Map { parent, key } => match path_text(parent) {
            parent if parent.is_empty() => key.clone(),
            parent => format!("{parent}.{key}"),
        },
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => path_text(parent),
    }
}

/// serde_json's error in our terms.
fn from_serde_json(error: serde_json::Error) -> JsonError {
    if error.is_syntax() || error.is_eof() {
        return JsonError::Syntax {
            line: error.line(),
            column: error.column(),
        };
    }
    // serde_json appends " at line L column C"; the line is given apart.
    let detail = error.to_string();
    let detail = detail
        .split(" at line ")
        .next()
        .unwrap_or(&detail)
        .to_owned();
    JsonError::Shape {
        detail,
        line: Some(error.line()),
        column: error.column(),
        field: None,
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::JsonError;
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
        serde_json::from_str(text).map_err(super::from_serde_json)
    }

    pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Option<String> {
        serde_json::to_string(value).ok()
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::JsonError;
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
        let value = js_sys::JSON::parse(text).map_err(|error| {
            let message = js_sys::Error::from(error).message().as_string();
            let (line, column) = message
                .as_deref()
                .and_then(|message| super::syntax_position(message, text))
                .unwrap_or((0, 0));
            JsonError::Syntax { line, column }
        })?;
        super::browser::read(value).map_err(|(error, field)| JsonError::Shape {
            detail: error.message,
            line: None,
            column: 0,
            field,
        })
    }

    pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Option<String> {
        super::writer::to_string(value)
    }
}

/// Where the browser's JSON.parse message says the text went wrong, as 1-based line and
/// column: "… (line 3 column 5)", or "… at position 41" counted in UTF-16 units.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn syntax_position(message: &str, text: &str) -> Option<(usize, usize)> {
    let number_after = |marker: &str| -> Option<usize> {
        let start = message.find(marker)? + marker.len();
        let digits: String = message[start..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    if let (Some(line), Some(column)) = (number_after("(line "), number_after(" column ")) {
        return Some((line, column));
    }
    let position = number_after("at position ")?;
    let mut units = 0;
    let (mut line, mut column) = (1, 1);
    for c in text.chars() {
        if units >= position {
            break;
        }
        units += c.len_utf16();
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    Some((line, column))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        name: String,
        count: u32,
        note: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Lenient {
        name: String,
        items: Vec<Item>,
        note: Option<Item>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        id: u32,
    }

    #[test]
    fn the_keys_a_type_passes_over_are_listed_by_path() {
        let text = r#"{"name": "A", "extra": [1], "items": [{"id": 1}, {"id": 2, "idd": 3}],
                       "note": {"id": 4, "more": {"deep": true}}}"#;
        let (value, unread) = from_str_noting_unread::<Lenient>(text);
        let value = value.expect("reads");
        assert_eq!(value.items.len(), 2);
        assert_eq!(value.note, Some(Item { id: 4 }));
        assert_eq!(unread, ["extra", "items[1].idd", "note.more"]);
        // Errors are those of `from_str`, trailing text included; keys passed over before
        // the error are still listed.
        let text = r#"{"nmae": "A", "items": []}"#;
        let (value, unread) = from_str_noting_unread::<Lenient>(text);
        assert_eq!(value.map(|_| ()), from_str::<Lenient>(text).map(|_| ()));
        assert_eq!(unread, ["nmae"]);
        assert!(matches!(
            from_str_noting_unread::<Item>(r#"{"id": 1} x"#).0,
            Err(JsonError::Syntax { line: 1, .. })
        ));
    }

    #[test]
    fn reads_what_it_writes_with_absent_options_as_null() {
        let sample = Sample {
            name: "Nguyễn Văn A".into(),
            count: 3,
            note: None,
        };
        let text = to_string(&sample).expect("writes");
        assert_eq!(text, r#"{"name":"Nguyễn Văn A","count":3,"note":null}"#);
        assert_eq!(from_str::<Sample>(&text), Ok(sample));
    }

    #[test]
    fn a_syntax_error_gives_its_line_and_a_shape_error_the_parsers_words() {
        assert_eq!(
            from_str::<Sample>("{\n  \"name\": \"A\",\n  oops"),
            Err(JsonError::Syntax { line: 3, column: 3 })
        );
        match from_str::<Sample>("{\"name\": \"A\"}") {
            Err(JsonError::Shape { detail, line, .. }) => {
                assert_eq!(detail, "missing field `count`");
                assert_eq!(line, Some(1));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_browsers_position_becomes_a_line_and_column() {
        let text = "{\n  \"name\": \"Đ\",\n  x}";
        assert_eq!(
            syntax_position(
                "Expected double-quoted property name in JSON at position 19 (line 3 column 3)",
                text
            ),
            Some((3, 3))
        );
        // Older messages give the position only, counted in UTF-16 units.
        assert_eq!(
            syntax_position("Unexpected token x in JSON at position 19", text),
            Some((3, 3))
        );
        assert_eq!(syntax_position("Unexpected end of JSON input", text), None);
    }
}
