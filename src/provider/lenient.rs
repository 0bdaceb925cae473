//! Lenient readers for the numbers in provider answers.
//!
//! One group with an odd number (a `size` over 2³², a negative or fractional `creation`, a
//! status spelled as a string) must not fail a whole listing: such a field is read as
//! absent instead.
//!
//! Nothing reads through it since WAHA moved to `crate::json` (issue 15); it goes when the
//! move is done.
#![allow(dead_code)]

use std::fmt;

use serde::Deserializer;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Reads a whole number in `T`'s range from a JSON number or a numeric string; anything
/// else (negative, fractional, too big, another type, `null`) is `None`.
///
/// Use as `#[serde(default, deserialize_with = "lenient::number")]` on an `Option<T>`.
pub(crate) fn number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64>,
{
    Ok(deserializer
        .deserialize_any(Lenient)?
        .and_then(|n| T::try_from(n).ok()))
}

/// Reads a non-blank string; anything else (a number, an object, `null`) is `None`.
///
/// Use as `#[serde(default, deserialize_with = "lenient::text")]` on an `Option<String>`.
pub(crate) fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    struct Text;
    impl<'de> Visitor<'de> for Text {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok((!v.trim().is_empty()).then(|| v.to_owned()))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            Lenient.visit_seq(seq).map(|_| None)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            Lenient.visit_map(map).map(|_| None)
        }
    }
    deserializer.deserialize_any(Text)
}

struct Lenient;

impl<'de> Visitor<'de> for Lenient {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(u64::try_from(v).ok())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // 2^64 is exactly representable; anything at or above it does not fit.
        let whole =
            v.is_finite() && v.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&v);
        Ok(whole.then_some(v as u64))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.trim().parse().ok())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "super::number")]
        n: Option<u32>,
    }

    fn read(json: &str) -> Option<u32> {
        serde_json::from_str::<Probe>(json).unwrap().n
    }

    #[test]
    fn reads_whole_numbers_in_range_and_drops_the_rest() {
        assert_eq!(read(r#"{"n":7}"#), Some(7));
        assert_eq!(read(r#"{"n":"12"}"#), Some(12));
        assert_eq!(read(r#"{"n":3.0}"#), Some(3));
        for odd in [
            r#"{"n":4294967296}"#,
            r#"{"n":-1}"#,
            r#"{"n":1.5}"#,
            r#"{"n":1e300}"#,
            r#"{"n":"soon"}"#,
            r#"{"n":true}"#,
            r#"{"n":null}"#,
            r#"{"n":[1]}"#,
            r#"{"n":{"v":1}}"#,
            r#"{}"#,
        ] {
            assert_eq!(read(odd), None, "{odd}");
        }
    }
}
