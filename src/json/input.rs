//! Reading a JS argument (an options object, a list of ids) out of its JSON, strictly: a
//! misspelt option is refused, not ignored, and every error names the argument.
//!
//! The messages follow the ones serde gives, which the JS API has always returned: "missing
//! field `subject`", "unknown field `sesion`, expected one of `baseUrl`, `apiKey`, …",
//! "invalid type: a number, expected a string".

use super::{Doc, Json, Kind};
use crate::error::{Error, Result};

/// A value read from a JS argument.
pub(crate) trait FromJson: Sized {
    /// What `self` is, for the message when another kind of value was found.
    const EXPECTED: &'static str;

    /// Reads `v`, `None` when it is the wrong kind of value (the caller says so).
    fn read(v: &Json<'_>, field: &str) -> Result<Option<Self>>;

    /// Reads `v`, naming `field` when it is not a `Self`.
    fn from_json(v: &Json<'_>, field: &str) -> Result<Self> {
        Self::read(v, field)?.ok_or_else(|| invalid_type(field, v, Self::EXPECTED))
    }
}

/// Parses the JSON text of the argument `field` (from `JSON.stringify`) and reads it.
pub(crate) fn from_text<T: FromJson>(field: &str, text: &str) -> Result<T> {
    let doc = Doc::parse(text.as_bytes()).map_err(|e| Error::invalid(field, e))?;
    T::from_json(&doc.root(), field)
}

pub(crate) fn invalid_type(field: &str, found: &Json<'_>, expected: &str) -> Error {
    Error::invalid(
        field,
        format!(
            "invalid type: {}, expected {expected}",
            found.kind().described()
        ),
    )
}

/// An object argument whose fields are read by name.
pub(crate) struct Object<'j, 'f> {
    v: Json<'j>,
    field: &'f str,
}

impl<'j, 'f> Object<'j, 'f> {
    /// `v` as an object (`expected` names it in the error) whose keys are all `known`.
    pub(crate) fn new(
        v: &Json<'j>,
        field: &'f str,
        expected: &str,
        known: &[&str],
    ) -> Result<Object<'j, 'f>> {
        if v.kind() != Kind::Object {
            return Err(invalid_type(field, v, expected));
        }
        for key in v.keys().unwrap_or_default() {
            if !known.contains(&key.as_str()) {
                let expected = known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(Error::invalid(
                    field,
                    format!("unknown field `{key}`, expected one of {expected}"),
                ));
            }
        }
        Ok(Object { v: *v, field })
    }

    /// The field `key`, which must be there.
    pub(crate) fn required<T: FromJson>(&self, key: &'static str) -> Result<T> {
        match self.v.get(key) {
            Some(v) => T::from_json(&v, self.field),
            None if self.v.has(key) => Err(Error::invalid(
                self.field,
                format!("invalid type: null, expected {}", T::EXPECTED),
            )),
            None => Err(Error::invalid(self.field, format!("missing field `{key}`"))),
        }
    }

    /// The field `key`, `None` when absent or `null`.
    pub(crate) fn optional<T: FromJson>(&self, key: &'static str) -> Result<Option<T>> {
        self.v
            .get(key)
            .map(|v| T::from_json(&v, self.field))
            .transpose()
    }
}

impl FromJson for String {
    const EXPECTED: &'static str = "a string";
    fn read(v: &Json<'_>, _: &str) -> Result<Option<String>> {
        Ok(v.string())
    }
}

impl FromJson for bool {
    const EXPECTED: &'static str = "a boolean";
    fn read(v: &Json<'_>, _: &str) -> Result<Option<bool>> {
        Ok(v.boolean())
    }
}

impl FromJson for f64 {
    const EXPECTED: &'static str = "a number";
    fn read(v: &Json<'_>, _: &str) -> Result<Option<f64>> {
        Ok(v.number())
    }
}

impl FromJson for u32 {
    const EXPECTED: &'static str = "a whole number from 0 to 4294967295";
    fn read(v: &Json<'_>, _: &str) -> Result<Option<u32>> {
        Ok(v.number()
            .and_then(super::whole_f64)
            .and_then(|n| u32::try_from(n).ok()))
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    const EXPECTED: &'static str = "an array";
    fn read(v: &Json<'_>, field: &str) -> Result<Option<Vec<T>>> {
        let Some(items) = v.items() else {
            return Ok(None);
        };
        items
            .iter()
            .map(|item| T::from_json(item, field))
            .collect::<Result<_>>()
            .map(Some)
    }
}

/// `FromJson` for a unit enum spelled as strings, refusing any other with the list.
macro_rules! from_json_enum {
    ($ty:ty { $first:ident = $first_name:literal $(, $variant:ident = $name:literal)* $(,)? }) => {
        impl $crate::json::input::FromJson for $ty {
            const EXPECTED: &'static str =
                concat!("one of `", $first_name, "`" $(, ", `", $name, "`")*);
            fn read(
                v: &$crate::json::Json<'_>,
                field: &str,
            ) -> $crate::error::Result<Option<$ty>> {
                let Some(s) = v.string() else { return Ok(None) };
                match s.as_str() {
                    $first_name => Ok(Some(<$ty>::$first)),
                    $($name => Ok(Some(<$ty>::$variant)),)*
                    other => Err($crate::error::Error::invalid(
                        field,
                        format!(
                            "unknown variant `{other}`, expected {}",
                            <Self as $crate::json::input::FromJson>::EXPECTED
                        ),
                    )),
                }
            }
        }
    };
}
pub(crate) use from_json_enum;
