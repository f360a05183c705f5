//! JSON text written straight from serde, for the browser build: what serde_json writes, for
//! every value this app writes (tested against serde_json natively), without building
//! JavaScript values for `JSON.stringify` first as serde-wasm-bindgen did (docs/size.md). Floats are refused: no type written here has one, and float printing would cost
//! the wasm more than this whole writer.

use std::fmt::{self, Write as _};

use serde::ser::{self, Serialize};

/// `value` as JSON text, or None where JSON cannot hold it (a float, a map key that is neither
/// text nor a whole number, a 128-bit number).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    let mut out = String::new();
    value.serialize(Writer { out: &mut out }).ok()?;
    Some(out)
}

/// A value JSON text cannot hold here; the caller says what that means to its user.
#[derive(Debug)]
pub struct Unwritable;

impl fmt::Display for Unwritable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not writable as JSON")
    }
}

impl std::error::Error for Unwritable {}

impl ser::Error for Unwritable {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unwritable
    }
}

/// Writes `text` as a JSON string, escaped as serde_json and `JSON.stringify` escape it.
fn write_text(out: &mut String, text: &str) {
    out.push('"');
    let mut written = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[written..at]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{byte:04x}");
        } else {
            out.push_str(escape);
        }
        written = at + 1;
    }
    out.push_str(&text[written..]);
    out.push('"');
}

/// Writes `{"variant":`, which the variant's data follows and `}` ends (serde_json's form).
fn write_tag(out: &mut String, variant: &str) {
    out.push('{');
    write_text(out, variant);
    out.push(':');
}

struct Writer<'a> {
    out: &'a mut String,
}

impl<'a> Writer<'a> {
    fn number(self, number: impl fmt::Display) -> Result<(), Unwritable> {
        write!(self.out, "{number}").map_err(|_| Unwritable)
    }

    /// Opens a list, object or tagged variant: `open` is what starts it, `close` what ends it.
    fn open(self, open: &str, close: &'static str) -> Compound<'a> {
        self.out.push_str(open);
        Compound {
            out: self.out,
            first: true,
            close,
        }
    }

    /// Opens a variant with data as `{"variant":` and what `open` starts; `close` ends both.
    fn open_variant(self, variant: &str, open: &str, close: &'static str) -> Compound<'a> {
        write_tag(self.out, variant);
        self.open(open, close)
    }
}

/// Whole numbers, written as Rust prints them (as JSON has them).
macro_rules! numbers {
    ($($method:ident: $type:ty),*) => {$(
        fn $method(self, value: $type) -> Result<(), Unwritable> {
            self.number(value)
        }
    )*};
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = Unwritable;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, value: bool) -> Result<(), Unwritable> {
        self.out.push_str(if value { "true" } else { "false" });
        Ok(())
    }
    numbers!(
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64
    );
    fn serialize_f32(self, _: f32) -> Result<(), Unwritable> {
        Err(Unwritable)
    }
    fn serialize_f64(self, _: f64) -> Result<(), Unwritable> {
        Err(Unwritable)
    }
    fn serialize_char(self, value: char) -> Result<(), Unwritable> {
        write_text(self.out, value.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, value: &str) -> Result<(), Unwritable> {
        write_text(self.out, value);
        Ok(())
    }
    fn serialize_bytes(self, value: &[u8]) -> Result<(), Unwritable> {
        ser::Serializer::collect_seq(self, value)
    }
    fn serialize_none(self) -> Result<(), Unwritable> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unwritable> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unwritable> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unwritable> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unwritable> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        let out = self.out;
        write_tag(out, variant);
        value.serialize(Writer { out: &mut *out })?;
        out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Unwritable> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Unwritable> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Unwritable> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unwritable> {
        Ok(self.open_variant(variant, "[", "]}"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Unwritable> {
        Ok(self.open("{", "}"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Unwritable> {
        Ok(self.open("{", "}"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unwritable> {
        Ok(self.open_variant(variant, "{", "}}"))
    }
}

/// A list or object being written: a comma before every item but the first.
struct Compound<'a> {
    out: &'a mut String,
    first: bool,
    close: &'static str,
}

impl Compound<'_> {
    fn comma(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        self.comma();
        value.serialize(Writer { out: self.out })
    }

    /// A field: its name, then its value.
    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Unwritable> {
        self.item(name)?;
        self.out.push(':');
        value.serialize(Writer { out: self.out })
    }

    fn close(self) -> Result<(), Unwritable> {
        self.out.push_str(self.close);
        Ok(())
    }
}

/// The list kinds, each an item at a time.
macro_rules! list {
    ($($kind:ident :: $method:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = Unwritable;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
                self.item(value)
            }
            fn end(self) -> Result<(), Unwritable> {
                self.close()
            }
        }
    )*};
}
list!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// The object kinds with named fields.
macro_rules! object {
    ($($kind:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = Unwritable;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Result<(), Unwritable> {
                self.field(name, value)
            }
            fn end(self) -> Result<(), Unwritable> {
                self.close()
            }
        }
    )*};
}
object!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unwritable;
    /// A key is written as text: text as it is, a whole number in quotes (as serde_json does).
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unwritable> {
        let mut written = String::new();
        key.serialize(Writer { out: &mut written })?;
        let quote = match written.as_bytes().first() {
            Some(b'"') => "",
            Some(b'-' | b'0'..=b'9') => "\"",
            _ => return Err(Unwritable),
        };
        self.comma();
        for part in [quote, &written, quote, ":"] {
            self.out.push_str(part);
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        value.serialize(Writer { out: self.out })
    }
    fn end(self) -> Result<(), Unwritable> {
        self.close()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::to_string;

    /// Every shape serde gives a writer, as derived types produce them.
    #[derive(Serialize)]
    enum Kind {
        Plain,
        Wrapped(u8),
        Pair(i64, String),
        Named { at: u16, note: Option<String> },
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Newtype(u32);

    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "kebab-case")]
    enum Tagged {
        Arrived { code: String },
    }

    #[derive(Serialize)]
    struct Everything {
        yes: bool,
        small: i8,
        big: u64,
        negative: i64,
        letter: char,
        bytes: Vec<u8>,
        absent: Option<u32>,
        present: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u32>,
        unit: (),
        unit_struct: Unit,
        newtype: Newtype,
        tuple: (u8, bool, String),
        kinds: Vec<Kind>,
        tagged: Tagged,
        by_name: BTreeMap<String, Vec<u32>>,
        by_number: BTreeMap<i32, bool>,
        empty_list: Vec<u8>,
        empty_map: BTreeMap<String, u8>,
        date: chrono::NaiveDate,
    }

    fn written_as_serde_json_writes<T: Serialize>(value: &T) {
        assert_eq!(to_string(value), serde_json::to_string(value).ok());
    }

    #[test]
    fn writes_every_shape_as_serde_json_does() {
        let text = "Nguyễn \"Văn\" A\\B\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f} / 😀 </script>";
        written_as_serde_json_writes(&Everything {
            yes: true,
            small: -128,
            big: u64::MAX,
            negative: i64::MIN,
            letter: '"',
            bytes: vec![0, 255],
            absent: None,
            present: Some(vec![text.into(), String::new()]),
            skipped: None,
            unit: (),
            unit_struct: Unit,
            newtype: Newtype(7),
            tuple: (1, false, text.into()),
            kinds: vec![
                Kind::Plain,
                Kind::Wrapped(2),
                Kind::Pair(-3, "ba".into()),
                Kind::Named { at: 4, note: None },
            ],
            tagged: Tagged::Arrived {
                code: "K7M4QX9".into(),
            },
            by_name: BTreeMap::from([(text.into(), vec![1, 2]), ("b".into(), vec![])]),
            by_number: BTreeMap::from([(-1, true), (20, false)]),
            empty_list: vec![],
            empty_map: BTreeMap::new(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date"),
        });
        for text in ["", "\"", "\\", "\u{0}", "ở trường “họ tên”", "a\u{2028}b"] {
            written_as_serde_json_writes(&text);
        }
    }

    #[test]
    fn refuses_what_json_here_does_not_hold() {
        assert_eq!(to_string(&1.5f64), None, "floats are not written here");
        assert_eq!(to_string(&BTreeMap::from([((1, 2), 3)])), None);
        assert_eq!(to_string(&BTreeMap::from([(true, 3)])), None);
        assert_eq!(to_string(&u128::MAX), None);
    }
}
