//! serde over what the browser's `JSON.parse` returns, written for size: each type read costs
//! only the calls its visitor needs, what a value is is found once by one non-generic function
//! (`Kind::of`), and an error never formats a number with a fraction (Rust's float printing,
//! 14 KB of wasm, which serde-wasm-bindgen's errors pulled in). Unknown fields reach the
//! visitor, so `deny_unknown_fields` refuses them as serde_json does; an error names the
//! innermost field it was read for.

use std::fmt;

use host::{Keys, Raw, RawList, RawObject};
use serde::de::{
    self, DeserializeSeed, EnumAccess, Expected, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};

/// Why a parsed value is not of the type asked for, in serde's words.
#[derive(Debug)]
pub struct Error {
    pub message: String,
}

impl Error {
    fn new(message: String) -> Self {
        Error { message }
    }
}

thread_local! {
    /// The last field name read. Reading stops at the first error, so after one this is the
    /// innermost field it was read for — what serde_json's position tells natively — kept here
    /// rather than passed along, which would cost code in every type's reader.
    static LAST_KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Reads `value` as a `T`; on an error, also the field being read (None outside any object).
pub fn read<T: de::DeserializeOwned>(value: Raw) -> Result<T, (Error, Option<String>)> {
    LAST_KEY.with_borrow_mut(String::clear);
    T::deserialize(Value(value)).map_err(|error| {
        let key = LAST_KEY.with_borrow_mut(std::mem::take);
        (error, (!key.is_empty()).then_some(key))
    })
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error::new(message.to_string())
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Error::new(format!(
            "invalid type: {}, expected {expected}",
            described(unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Error::new(format!(
            "invalid value: {}, expected {expected}",
            described(unexpected)
        ))
    }
}

/// serde's own description of a value, but a fraction is never printed.
fn described(unexpected: Unexpected<'_>) -> String {
    match unexpected {
        Unexpected::Bool(value) => format!("boolean `{value}`"),
        Unexpected::Unsigned(value) => format!("integer `{value}`"),
        Unexpected::Signed(value) => format!("integer `{value}`"),
        Unexpected::Float(_) => "a number with a fraction".to_owned(),
        Unexpected::Char(value) => format!("character `{value}`"),
        Unexpected::Str(value) => format!("string \"{value}\""),
        Unexpected::Unit => "null".to_owned(),
        Unexpected::Seq => "a list".to_owned(),
        Unexpected::Map => "an object".to_owned(),
        Unexpected::Other(what) => what.to_owned(),
        _ => "another kind of value".to_owned(),
    }
}

/// What a parsed JSON value is.
enum Kind {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(RawList),
    Object(RawObject),
}

impl Kind {
    // Never inlined, as the helpers below: the code copied into each type's reader is then
    // only its visitor's calls.
    #[inline(never)]
    fn of(value: Raw) -> Kind {
        host::kind_of(value)
    }

    /// The error for a visitor that cannot take this value.
    #[inline(never)]
    fn refused(&self, expected: &dyn Expected) -> Error {
        let unexpected = match self {
            Kind::Null => Unexpected::Unit,
            Kind::Bool(value) => Unexpected::Bool(*value),
            Kind::Number(value) => match whole(*value) {
                Some(Whole::Unsigned(value)) => Unexpected::Unsigned(value),
                Some(Whole::Signed(value)) => Unexpected::Signed(value),
                None => Unexpected::Float(*value),
            },
            Kind::Text(value) => Unexpected::Str(value),
            Kind::List(_) => Unexpected::Seq,
            Kind::Object(_) => Unexpected::Map,
        };
        de::Error::invalid_type(unexpected, expected)
    }
}

enum Whole {
    Unsigned(u64),
    Signed(i64),
}

/// A number without a fraction, within what a double holds exactly.
fn whole(value: f64) -> Option<Whole> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if value.fract() != 0.0 || value.abs() > EXACT {
        None
    } else if value >= 0.0 {
        Some(Whole::Unsigned(value as u64))
    } else {
        Some(Whole::Signed(value as i64))
    }
}

/// One value of `JSON.parse`'s result, to be read as a Rust value.
pub struct Value(pub Raw);

impl Value {
    fn whole_number<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match Kind::of(self.0) {
            Kind::Number(value) => match whole(value) {
                Some(Whole::Unsigned(value)) => visitor.visit_u64(value),
                Some(Whole::Signed(value)) => visitor.visit_i64(value),
                None => Err(Kind::Number(value).refused(&visitor)),
            },
            other => Err(other.refused(&visitor)),
        }
    }

    fn text<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match Kind::of(self.0) {
            Kind::Text(value) => visitor.visit_string(value),
            other => Err(other.refused(&visitor)),
        }
    }

    fn list<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match Kind::of(self.0) {
            Kind::List(items) => visitor.visit_seq(List { items, next: 0 }),
            other => Err(other.refused(&visitor)),
        }
    }

    fn object<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match Kind::of(self.0) {
            Kind::Object(object) => visitor.visit_map(Fields::of(object)),
            other => Err(other.refused(&visitor)),
        }
    }
}

macro_rules! whole_numbers {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.whole_number(visitor)
        })*
    };
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = Error;

    /// Only for types that take any value (untagged enums, `serde_json::Value`-like types).
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match Kind::of(self.0) {
            Kind::Null => visitor.visit_unit(),
            Kind::Bool(value) => visitor.visit_bool(value),
            Kind::Number(value) => match whole(value) {
                Some(Whole::Unsigned(value)) => visitor.visit_u64(value),
                Some(Whole::Signed(value)) => visitor.visit_i64(value),
                None => visitor.visit_f64(value),
            },
            Kind::Text(value) => visitor.visit_string(value),
            Kind::List(items) => visitor.visit_seq(List { items, next: 0 }),
            Kind::Object(object) => visitor.visit_map(Fields::of(object)),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match Kind::of(self.0) {
            Kind::Bool(value) => visitor.visit_bool(value),
            other => Err(other.refused(&visitor)),
        }
    }

    whole_numbers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match Kind::of(self.0) {
            Kind::Number(value) => visitor.visit_f64(value),
            other => Err(other.refused(&visitor)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.text(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.text(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.text(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.text(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.list(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.list(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if host::is_absent(&self.0) {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match Kind::of(self.0) {
            Kind::Null => visitor.visit_unit(),
            other => Err(other.refused(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.list(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.list(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.list(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.object(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.object(visitor)
    }

    /// `"name"` is a variant without data; `{"name": data}` one with.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match Kind::of(self.0) {
            Kind::Text(tag) => visitor.visit_enum(Variant {
                tag,
                data: host::absent(),
            }),
            Kind::Object(object) => {
                let keys = host::keys(&object);
                if host::count(&keys) != 1 {
                    return Err(de::Error::invalid_length(
                        host::count(&keys) as usize,
                        &visitor,
                    ));
                }
                visitor.visit_enum(Variant {
                    tag: host::key(&keys, 0),
                    data: host::field(&object, &keys, 0),
                })
            }
            other => Err(other.refused(&visitor)),
        }
    }

    /// A field this type does not read: nothing to look at.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// The items of a list, in order.
struct List {
    items: RawList,
    next: u32,
}

impl List {
    #[inline(never)]
    fn take(&mut self) -> Option<Raw> {
        if self.next >= host::length(&self.items) {
            return None;
        }
        self.next += 1;
        Some(host::item(&self.items, self.next - 1))
    }
}

impl<'de> SeqAccess<'de> for List {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.take() {
            Some(item) => seed.deserialize(Value(item)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some((host::length(&self.items) - self.next) as usize)
    }
}

/// An object's fields, in their order in the text.
struct Fields {
    object: RawObject,
    keys: Keys,
    next: u32,
}

impl Fields {
    fn of(object: RawObject) -> Fields {
        Fields {
            keys: host::keys(&object),
            object,
            next: 0,
        }
    }

    #[inline(never)]
    fn take_key(&self) -> Option<String> {
        if self.next >= host::count(&self.keys) {
            return None;
        }
        let key = host::key(&self.keys, self.next);
        LAST_KEY.with_borrow_mut(|last| last.clone_from(&key));
        Some(key)
    }

    #[inline(never)]
    fn take_value(&mut self) -> Raw {
        self.next += 1;
        host::field(&self.object, &self.keys, self.next - 1)
    }
}

impl<'de> MapAccess<'de> for Fields {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.take_key() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(Value(self.take_value()))
    }

    fn size_hint(&self) -> Option<usize> {
        Some((host::count(&self.keys) - self.next) as usize)
    }
}

/// An enum's variant name and its data (undefined for a variant without).
struct Variant {
    tag: String,
    data: Raw,
}

impl<'de> EnumAccess<'de> for Variant {
    type Error = Error;
    type Variant = Value;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Value), Error> {
        let tag = seed.deserialize(self.tag.into_deserializer())?;
        Ok((tag, Value(self.data)))
    }
}

impl<'de> VariantAccess<'de> for Value {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.list(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.object(visitor)
    }
}

/// What the reader needs of a parsed value: in the browser `JSON.parse`'s result; natively (for
/// the tests only) a `serde_json::Value` made to look like it — every number a double, as the
/// browser gives it.
#[cfg(target_arch = "wasm32")]
mod host {
    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    use super::Kind;

    pub type Raw = JsValue;
    pub type RawList = Array;
    pub type RawObject = Object;
    pub type Keys = Array;

    pub fn kind_of(value: Raw) -> Kind {
        if value.is_null() || value.is_undefined() {
            Kind::Null
        } else if let Some(value) = value.as_bool() {
            Kind::Bool(value)
        } else if let Some(value) = value.as_f64() {
            Kind::Number(value)
        } else if let Some(value) = value.as_string() {
            Kind::Text(value)
        } else if Array::is_array(&value) {
            Kind::List(value.unchecked_into())
        } else {
            // JSON.parse makes nothing else.
            Kind::Object(value.unchecked_into())
        }
    }

    pub fn absent() -> Raw {
        JsValue::UNDEFINED
    }

    pub fn is_absent(value: &Raw) -> bool {
        value.is_null() || value.is_undefined()
    }

    pub fn length(list: &RawList) -> u32 {
        list.length()
    }

    pub fn item(list: &RawList, at: u32) -> Raw {
        list.get(at)
    }

    pub fn keys(object: &RawObject) -> Keys {
        Object::keys(object)
    }

    pub fn count(keys: &Keys) -> u32 {
        keys.length()
    }

    pub fn key(keys: &Keys, at: u32) -> String {
        keys.get(at).as_string().unwrap_or_default()
    }

    pub fn field(object: &RawObject, keys: &Keys, at: u32) -> Raw {
        Reflect::get(object, &keys.get(at)).unwrap_or(JsValue::UNDEFINED)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod host {
    use serde_json::{Map, Value};

    use super::Kind;

    pub type Raw = Value;
    pub type RawList = Vec<Value>;
    pub type RawObject = Map<String, Value>;
    pub type Keys = Vec<String>;

    pub fn kind_of(value: Raw) -> Kind {
        match value {
            Value::Null => Kind::Null,
            Value::Bool(value) => Kind::Bool(value),
            // As JSON.parse gives it: a double, whatever the text said.
            Value::Number(value) => Kind::Number(value.as_f64().unwrap_or(f64::NAN)),
            Value::String(value) => Kind::Text(value),
            Value::Array(items) => Kind::List(items),
            Value::Object(object) => Kind::Object(object),
        }
    }

    pub fn absent() -> Raw {
        Value::Null
    }

    pub fn is_absent(value: &Raw) -> bool {
        value.is_null()
    }

    pub fn length(list: &RawList) -> u32 {
        u32::try_from(list.len()).unwrap_or(u32::MAX)
    }

    pub fn item(list: &RawList, at: u32) -> Raw {
        list.get(at as usize).cloned().unwrap_or(Value::Null)
    }

    pub fn keys(object: &RawObject) -> Keys {
        object.keys().cloned().collect()
    }

    pub fn count(keys: &Keys) -> u32 {
        u32::try_from(keys.len()).unwrap_or(u32::MAX)
    }

    pub fn key(keys: &Keys, at: u32) -> String {
        keys.get(at as usize).cloned().unwrap_or_default()
    }

    pub fn field(object: &RawObject, keys: &Keys, at: u32) -> Raw {
        keys.get(at as usize)
            .and_then(|key| object.get(key))
            .cloned()
            .unwrap_or(Value::Null)
    }
}

// The reader driven natively over the same texts as serde_json: what the browser reads must be
// what the server and check-data read, and where they differ the difference is pinned here.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::collections::BTreeMap;
    use std::fmt::Debug;

    use serde::de::DeserializeOwned;
    use serde::Deserialize;

    /// (what the browser's reader makes of `text`, what serde_json makes of it).
    fn both<T: DeserializeOwned>(text: &str) -> (Result<T, String>, Result<T, String>) {
        let parsed: serde_json::Value = serde_json::from_str(text).expect("JSON text");
        let browser = super::read::<T>(parsed).map_err(|(e, field)| format!("{e} @ {field:?}"));
        let native = serde_json::from_str::<T>(text).map_err(|e| e.to_string());
        (browser, native)
    }

    fn same<T: DeserializeOwned + PartialEq + Debug>(text: &str) {
        let (browser, native) = both::<T>(text);
        match (&browser, &native) {
            (Ok(b), Ok(n)) => assert_eq!(b, n, "{text}"),
            (Err(_), Err(_)) => {}
            _ => panic!("{text}: the browser read {browser:?}, serde_json {native:?}"),
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Booking {
        code: String,
        #[serde(default)]
        note: Option<String>,
        slots: Vec<u16>,
        kept: bool,
        #[serde(default)]
        extra: BTreeMap<String, i32>,
    }

    /// As a draft's answers are kept: text, ticked options or a yes/no.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum Answer {
        Text(String),
        Many(Vec<String>),
        YesNo(bool),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    enum Status {
        Booked,
        Moved { to: u16 },
        Note(String),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Node {
        #[serde(default)]
        child: Option<Box<Node>>,
    }

    #[test]
    fn reads_what_serde_json_reads() {
        same::<Booking>(r#"{"code":"K7M4QX9","slots":[480,510],"kept":true}"#);
        same::<Booking>(r#"{"code":"K","note":null,"slots":[],"kept":false,"extra":{"a":-3}}"#);
        same::<Booking>(r#"{"code":"K","note":"ở trường “họ tên”","slots":[1],"kept":true}"#);
        same::<Vec<Answer>>(r#"["Nguyễn Thị Hồng Nhung", ["a","b"], true]"#);
        same::<Vec<Status>>(r#"["Booked", {"Moved":{"to":540}}, {"Note":"x"}]"#);
        same::<BTreeMap<String, Option<u32>>>(r#"{"a":1,"b":null}"#);
        same::<(u8, i64, String)>(r#"[255, -9007199254740992, ""]"#);
        // Deep nesting: 120 levels read alike.
        let deep = format!("{}{{}}{}", r#"{"child":"#.repeat(120), "}".repeat(120));
        same::<Node>(&deep);
    }

    #[test]
    fn refuses_what_serde_json_refuses_and_names_the_field() {
        for text in [
            r#"{"code":"K","slots":[],"kept":true,"surprise":1}"#,
            r#"{"code":5,"slots":[],"kept":true}"#,
            r#"{"code":"K","slots":[70000],"kept":true}"#,
            r#"{"code":"K","slots":[1.5],"kept":true}"#,
            r#"{"slots":[],"kept":true}"#,
        ] {
            same::<Booking>(text);
        }
        same::<Status>(r#"{"Booked":null,"Moved":{"to":1}}"#);
        same::<Answer>("3");
        let (browser, _) = both::<Booking>(r#"{"code":5,"slots":[],"kept":true}"#);
        assert!(browser.is_err_and(|e| e.ends_with(r#"@ Some("code")"#)));
    }

    // Where JSON.parse and serde_json part ways, pinned: the browser never sees a repeated key
    // (the last one wins before the reader runs), and its numbers are doubles.
    #[test]
    fn the_differences_are_the_browsers_parse_not_the_reader() {
        let (browser, native) =
            both::<Booking>(r#"{"code":"A","code":"B","slots":[],"kept":true}"#);
        assert_eq!(browser.map(|b| b.code), Ok("B".to_owned()));
        assert!(native.is_err_and(|e| e.contains("duplicate field")));
        // Past 2^53 a whole number is not exact in a double: refused rather than read rounded.
        let (browser, native) = both::<u64>("1152921504606846976");
        assert!(browser.is_err());
        assert_eq!(native, Ok(1 << 60));
        // Up to 2^53 it is exact and read alike.
        same::<u64>("9007199254740992");
    }
}
