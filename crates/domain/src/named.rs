//! Unit enums read from JSON by their names through one shared path. serde's derive gives every
//! enum a visitor of its own (~1.1 KB of wasm each, measured); this reads a string and looks it
//! up in the enum's table, failing with serde's own "unknown variant … expected one of …", so the
//! messages a data file's author sees are the same. Writing stays with serde's derive.

use serde::de::{Deserialize, Deserializer, Error};

/// A unit enum and the names its variants are written as (what `Serialize` writes).
pub trait Named: Copy + 'static {
    const NAMES: &'static [&'static str];
    /// The variants, in the order of `NAMES`.
    const VALUES: &'static [Self];
}

pub fn deserialize<'de, D: Deserializer<'de>, T: Named>(deserializer: D) -> Result<T, D::Error> {
    let name = String::deserialize(deserializer)?;
    parse(&name).ok_or_else(|| D::Error::unknown_variant(&name, T::NAMES))
}

/// The variant written as `name`, if any: what a database column or an address holds.
pub fn parse<T: Named>(name: &str) -> Option<T> {
    T::NAMES
        .iter()
        .position(|n| *n == name)
        .map(|i| T::VALUES[i])
}

/// The name a variant is written as in the data files.
pub fn name_of<T: Named + PartialEq>(value: T) -> &'static str {
    T::VALUES
        .iter()
        .position(|v| *v == value)
        .map_or("", |i| T::NAMES[i])
}

/// `named_enum!(Weekday { "mon" => Mon, … })`: the `Named` table and `Deserialize` through it.
macro_rules! named_enum {
    ($ty:ident { $($name:literal => $variant:ident),+ $(,)? }) => {
        impl $crate::named::Named for $ty {
            const NAMES: &'static [&'static str] = &[$($name),+];
            const VALUES: &'static [Self] = &[$($ty::$variant),+];
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::named::deserialize(deserializer)
            }
        }
        /// Every variant is in the table: adding one without its name fails to compile here.
        const _: () = {
            #[allow(dead_code)]
            fn all_named(value: $ty) {
                match value {
                    $($ty::$variant)|+ => {}
                }
            }
        };
    };
}
pub(crate) use named_enum;

#[cfg(test)]
mod tests {
    use super::Named;
    use crate::booking::BookingStatus;
    use crate::catalog::{FeeKind, NoteKind, ProcessingKind};
    use crate::forms::FieldKind;
    use crate::news::NewsKind;
    use crate::station::{ChannelKind, Weekday};

    /// Each name reads back as the variant that `Serialize` writes under it.
    fn round_trips<
        T: Named + serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    >() {
        for (name, value) in T::NAMES.iter().zip(T::VALUES) {
            assert_eq!(
                serde_json::to_value(value).ok(),
                Some(serde_json::Value::from(*name))
            );
            assert_eq!(
                serde_json::from_str::<T>(&format!("\"{name}\""))
                    .ok()
                    .as_ref(),
                Some(value)
            );
        }
        assert_eq!(T::NAMES.len(), T::VALUES.len());
    }

    #[test]
    fn every_named_enum_reads_what_it_writes() {
        round_trips::<Weekday>();
        round_trips::<ChannelKind>();
        round_trips::<ProcessingKind>();
        round_trips::<FeeKind>();
        round_trips::<NoteKind>();
        round_trips::<NewsKind>();
        round_trips::<FieldKind>();
        round_trips::<BookingStatus>();
    }

    #[test]
    fn an_unknown_name_gets_serdes_own_message() {
        let error = serde_json::from_str::<NewsKind>("\"warn\"")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("unknown variant `warn`, expected `warning` or `notice`"),
            "{error}"
        );
        assert!(serde_json::from_str::<NewsKind>("3").is_err());
    }
}
