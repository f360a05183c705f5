//! serde over what the browser's `JSON.parse` returns, written for size: each type read costs
//! only the calls its visitor needs, what a value is is found once by one non-generic function
//! (`Kind::of`), and an error never formats a number with a fraction (Rust's float printing,
//! 14 KB of wasm, which serde-wasm-bindgen's errors pulled in). Unknown fields reach the
//! visitor, so `deny_unknown_fields` refuses them as serde_json does; an error names the
//! innermost field it was read for.

use std::fmt;

use js_sys::{Array, Object, Reflect};
use serde::de::{
    self, DeserializeSeed, EnumAccess, Expected, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use wasm_bindgen::{JsCast, JsValue};

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
pub fn read<T: de::DeserializeOwned>(value: JsValue) -> Result<T, (Error, Option<String>)> {
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
    List(Array),
    Object(Object),
}

impl Kind {
    // Never inlined, as the helpers below: the code copied into each type's reader is then
    // only its visitor's calls.
    #[inline(never)]
    fn of(value: JsValue) -> Kind {
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
pub struct Value(pub JsValue);

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
        if self.0.is_null() || self.0.is_undefined() {
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
                data: JsValue::UNDEFINED,
            }),
            Kind::Object(object) => {
                let keys = Object::keys(&object);
                if keys.length() != 1 {
                    return Err(de::Error::invalid_length(keys.length() as usize, &visitor));
                }
                let key = keys.get(0);
                let data = Reflect::get(&object, &key).unwrap_or(JsValue::UNDEFINED);
                visitor.visit_enum(Variant {
                    tag: key.as_string().unwrap_or_default(),
                    data,
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
    items: Array,
    next: u32,
}

impl List {
    #[inline(never)]
    fn take(&mut self) -> Option<JsValue> {
        if self.next >= self.items.length() {
            return None;
        }
        self.next += 1;
        Some(self.items.get(self.next - 1))
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
        Some((self.items.length() - self.next) as usize)
    }
}

/// An object's fields, in their order in the text.
struct Fields {
    object: Object,
    keys: Array,
    next: u32,
}

impl Fields {
    fn of(object: Object) -> Fields {
        Fields {
            keys: Object::keys(&object),
            object,
            next: 0,
        }
    }

    #[inline(never)]
    fn take_key(&self) -> Option<String> {
        if self.next >= self.keys.length() {
            return None;
        }
        let key = self.keys.get(self.next).as_string().unwrap_or_default();
        LAST_KEY.with_borrow_mut(|last| last.clone_from(&key));
        Some(key)
    }

    #[inline(never)]
    fn take_value(&mut self) -> JsValue {
        let key = self.keys.get(self.next);
        self.next += 1;
        Reflect::get(&self.object, &key).unwrap_or(JsValue::UNDEFINED)
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
        Some((self.keys.length() - self.next) as usize)
    }
}

/// An enum's variant name and its data (undefined for a variant without).
struct Variant {
    tag: String,
    data: JsValue,
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
