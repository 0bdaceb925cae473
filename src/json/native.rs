//! The native view: a `serde_json::Value`.

use serde_json::Value;

use super::Kind;

pub(super) type Owned = Value;
pub(super) type Ref<'a> = &'a Value;

pub(super) fn parse(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

pub(super) fn root(owned: &Value) -> Ref<'_> {
    owned
}

pub(super) fn kind(v: &Ref<'_>) -> Kind {
    match v {
        Value::Null => Kind::Null,
        Value::Bool(_) => Kind::Bool,
        Value::Number(_) => Kind::Number,
        Value::String(_) => Kind::String,
        Value::Array(_) => Kind::Array,
        Value::Object(_) => Kind::Object,
    }
}

pub(super) fn get<'a>(v: &&'a Value, key: &str) -> Option<Ref<'a>> {
    v.as_object()?.get(key)
}

pub(super) fn is_null(v: &Ref<'_>) -> bool {
    v.is_null()
}

pub(super) fn string(v: &Ref<'_>) -> Option<String> {
    v.as_str().map(str::to_owned)
}

pub(super) fn number(v: &Ref<'_>) -> Option<f64> {
    v.as_f64()
}

pub(super) fn boolean(v: &Ref<'_>) -> Option<bool> {
    v.as_bool()
}

pub(super) fn items<'a>(v: &&'a Value) -> Option<Vec<Ref<'a>>> {
    Some(v.as_array()?.iter().collect())
}

pub(super) fn keys(v: &Ref<'_>) -> Option<Vec<String>> {
    Some(v.as_object()?.keys().cloned().collect())
}

pub(super) fn text(v: &Ref<'_>) -> String {
    v.to_string()
}
