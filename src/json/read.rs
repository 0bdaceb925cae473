//! Reading an answer field by field through [`Json`], with errors that say what was
//! expected and where (`[2].Participants[0].JID: expected a string, found a number`).

use std::fmt;

use crate::error::{Error, Result};
use crate::http::HttpResponse;
use crate::json::{Doc, Json, Kind};

/// Why a value could not be read, and where it sits in the answer.
#[derive(Debug)]
pub(crate) struct Bad {
    /// `.key` and `[index]` steps from the top of the answer, outermost first.
    path: String,
    message: String,
}

/// A value read from an answer, or why not.
pub(crate) type Read<T> = std::result::Result<T, Bad>;

impl Bad {
    /// `expected {what}, found {kind}`.
    pub(crate) fn expected(what: &str, found: Kind) -> Bad {
        Bad::new(format!("expected {what}, found {}", found.described()))
    }

    /// A required field that is absent or `null`.
    pub(crate) fn missing(key: &str) -> Bad {
        Bad::new(format!("missing field `{key}`"))
    }

    fn new(message: String) -> Bad {
        Bad {
            path: String::new(),
            message,
        }
    }

    /// This error, found inside field `key`.
    pub(crate) fn at_key(mut self, key: &str) -> Bad {
        self.path.insert_str(0, key);
        self.path.insert(0, '.');
        self
    }

    /// This error, found inside element `index`.
    pub(crate) fn at_index(mut self, index: usize) -> Bad {
        let step = format!("[{index}]");
        self.path.insert_str(0, &step);
        self
    }
}

impl fmt::Display for Bad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.path.strip_prefix('.').unwrap_or(&self.path) {
            "" => f.write_str(&self.message),
            path => write!(f, "{path}: {}", self.message),
        }
    }
}

/// Parses a 2xx body; `what` names the response in a decode error.
pub(crate) fn document<'r>(resp: &'r HttpResponse, what: &str) -> Result<Doc<'r>> {
    Doc::parse(&resp.body)
        .map_err(|e| Error::Decode(format!("{what}: {e} (status {})", resp.status)))
}

/// A decode error saying what `found` should have been: `{what}: expected {wanted}, found
/// a number`.
pub(crate) fn expected(what: &str, wanted: &str, found: &Json<'_>) -> Error {
    Error::Decode(format!(
        "{what}: expected {wanted}, found {}",
        found.kind().described()
    ))
}

/// `value[key]` as a string; missing or `null` is `None`, another type a decode error.
pub(crate) fn string_field(
    value: &Json<'_>,
    key: &'static str,
    what: &str,
) -> Result<Option<String>> {
    match value.get(key) {
        None => Ok(None),
        Some(v) => v
            .string()
            .map(Some)
            .ok_or_else(|| expected(what, &format!("`{key}` as a string"), &v)),
    }
}

/// Reads `resp`'s body with `read`. A body that is not JSON, or that `read` refuses, is a
/// [`Error::Decode`] naming `what` and the status: `group list: expected …, found a string
/// (status 200)`.
pub(crate) fn decode<T>(
    resp: &HttpResponse,
    what: &str,
    read: impl FnOnce(&Json<'_>) -> Read<T>,
) -> Result<T> {
    let doc = document(resp, what)?;
    read(&doc.root())
        .map_err(|bad| Error::Decode(format!("{what}: {bad} (status {})", resp.status)))
}

/// The first of `keys` that `v` has with a value other than `null`, read by `read`; `None`
/// when there is none. One field spelled several ways, in order of preference.
pub(crate) fn field<'a, T>(
    v: &Json<'a>,
    keys: &[&'static str],
    read: impl FnOnce(&Json<'a>) -> Read<T>,
) -> Read<Option<T>> {
    for &key in keys {
        if let Some(value) = v.get(key) {
            return read(&value).map(Some).map_err(|bad| bad.at_key(key));
        }
    }
    Ok(None)
}

/// The field `key` of the object `v`, read by `read`; absent or `null` is an error.
pub(crate) fn required<'a, T>(
    v: &Json<'a>,
    key: &'static str,
    read: impl FnOnce(&Json<'a>) -> Read<T>,
) -> Read<T> {
    object(v)?;
    field(v, &[key], read)?.ok_or_else(|| Bad::missing(key))
}

/// Checks that `v` is an object.
pub(crate) fn object(v: &Json<'_>) -> Read<()> {
    if v.is_object() {
        Ok(())
    } else {
        Err(Bad::expected("an object", v.kind()))
    }
}

/// The elements of the array `v`, each read by `read`.
pub(crate) fn list<'a, T>(
    v: &Json<'a>,
    mut read: impl FnMut(&Json<'a>) -> Read<T>,
) -> Read<Vec<T>> {
    let items = v
        .items()
        .ok_or_else(|| Bad::expected("an array", v.kind()))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| read(item).map_err(|bad| bad.at_index(i)))
        .collect()
}

/// The fields of the object `v`, in order, each with its value (`None` for `null`); `None`
/// when `v` is not an object.
pub(crate) fn entries<'a>(v: &Json<'a>) -> Option<Vec<(String, Option<Json<'a>>)>> {
    let entries = v.entries()?;
    Some(
        entries
            .into_iter()
            .map(|(key, value)| {
                let value = (value.kind() != Kind::Null).then_some(value);
                (key, value)
            })
            .collect(),
    )
}

/// A string.
pub(crate) fn string(v: &Json<'_>) -> Read<String> {
    v.string()
        .ok_or_else(|| Bad::expected("a string", v.kind()))
}

/// A boolean.
pub(crate) fn boolean(v: &Json<'_>) -> Read<bool> {
    v.boolean()
        .ok_or_else(|| Bad::expected("a boolean", v.kind()))
}

/// A whole number that fits a `u64`, from a JSON number (not a string).
pub(crate) fn count(v: &Json<'_>) -> Read<u64> {
    v.number()
        .and_then(crate::json::whole_f64)
        .ok_or_else(|| match v.kind() {
            Kind::Number => Bad::new("expected a whole number from 0, found another number".into()),
            kind => Bad::expected("a whole number", kind),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T>(text: &str, read: impl FnOnce(&Json<'_>) -> Read<T>) -> Result<T> {
        decode(&HttpResponse::new(200, text), "thing", read)
    }

    fn message<T: fmt::Debug>(r: Result<T>) -> String {
        match r.unwrap_err() {
            Error::Decode(m) => m,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn errors_say_where_and_what() {
        let nested = |v: &Json<'_>| {
            list(v, |item| {
                required(item, "a", |a| field(a, &["x", "X"], string))
            })
        };
        assert_eq!(
            message(read(r#"[{"a":{}},{"a":{"X":1}}]"#, nested)),
            "thing: [1].a.X: expected a string, found a number (status 200)"
        );
        assert_eq!(
            message(read(r#"[{"b":1}]"#, nested)),
            "thing: [0]: missing field `a` (status 200)"
        );
        assert_eq!(
            message(read(r#"{"a":1}"#, nested)),
            "thing: expected an array, found an object (status 200)"
        );
        assert!(message(read("{", nested)).starts_with("thing: "));
        assert_eq!(
            read(r#"[{"a":{"x":"1","X":2}}]"#, nested).unwrap(),
            vec![Some("1".to_owned())],
            "the first spelling present wins"
        );
    }

    #[test]
    fn entries_keep_their_order_and_nulls() {
        let doc = Doc::parse(br#"{"b":1,"a":null}"#).unwrap();
        let all = entries(&doc.root()).unwrap();
        assert_eq!(all[0].0, "b");
        assert_eq!(all[0].1.as_ref().and_then(Json::number), Some(1.0));
        assert_eq!(all[1].0, "a");
        assert!(all[1].1.is_none());
        assert!(entries(&Doc::parse(b"[]").unwrap().root()).is_none());
    }

    #[test]
    fn counts_are_whole_json_numbers() {
        assert_eq!(read("42", count).unwrap(), 42);
        for odd in ["-1", "1.5", "\"3\"", "null"] {
            assert!(read(odd, count).is_err(), "{odd}");
        }
    }
}
