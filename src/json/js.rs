//! The browser's view: the value `JSON.parse` made, read with `obj[key]`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::marker::PhantomData;

use js_sys::{Array, JsString, Object};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::Kind;

#[wasm_bindgen]
extern "C" {
    /// An object `JSON.parse` made.
    #[wasm_bindgen(extends = Object)]
    type Parsed;

    /// `obj[key]`. Without the try/catch `Reflect.get` needs: `JSON.parse`'s objects have no
    /// getters or traps, so the read cannot throw.
    #[wasm_bindgen(method, structural, indexing_getter)]
    fn get(this: &Parsed, key: &JsValue) -> JsValue;
}

pub(super) type Owned = JsValue;

/// A value of the document: JS values are not borrowed, the lifetime only keeps the
/// native and browser views interchangeable.
#[derive(Clone)]
pub(super) struct Ref<'a>(JsValue, PhantomData<&'a ()>);

pub(super) fn parse(text: &str) -> Result<JsValue, String> {
    js_sys::JSON::parse(text).map_err(|e| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "it is not JSON".to_owned())
    })
}

pub(super) fn root(owned: &JsValue) -> Ref<'_> {
    Ref(owned.clone(), PhantomData)
}

pub(super) fn kind(v: &Ref<'_>) -> Kind {
    let v = &v.0;
    if v.as_bool().is_some() {
        Kind::Bool
    } else if v.as_f64().is_some() {
        Kind::Number
    } else if v.is_string() {
        Kind::String
    } else if Array::is_array(v) {
        Kind::Array
    } else if v.is_object() {
        Kind::Object
    } else {
        Kind::Null
    }
}

thread_local! {
    /// The property names read so far, as JS strings: made once, not at every read. Keyed by
    /// the address of the `&'static str` (the names are literals in the readers).
    static KEYS: RefCell<HashMap<(usize, usize), JsValue>> = RefCell::default();
}

fn with_key<R>(key: &'static str, read: impl FnOnce(&JsValue) -> R) -> R {
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        let js = keys
            .entry((key.as_ptr() as usize, key.len()))
            .or_insert_with(|| JsValue::from_str(key));
        read(js)
    })
}

/// `v[key]`, when `v` is an object (an array has no named fields: `undefined`). The keys
/// are the readers' field names, none of which `Object.prototype` has, so an inherited
/// `constructor` or `toString` is never read.
pub(super) fn get<'a>(v: &Ref<'a>, key: &'static str) -> Option<Ref<'a>> {
    if !v.0.is_object() {
        return None;
    }
    let value = with_key(key, |key| v.0.unchecked_ref::<Parsed>().get(key));
    (!value.is_undefined()).then_some(Ref(value, PhantomData))
}

pub(super) fn is_null(v: &Ref<'_>) -> bool {
    v.0.is_null()
}

pub(super) fn string(v: &Ref<'_>) -> Option<String> {
    v.0.as_string()
}

pub(super) fn number(v: &Ref<'_>) -> Option<f64> {
    v.0.as_f64()
}

pub(super) fn boolean(v: &Ref<'_>) -> Option<bool> {
    v.0.as_bool()
}

pub(super) fn items<'a>(v: &Ref<'a>) -> Option<Vec<Ref<'a>>> {
    let array = v.0.dyn_ref::<Array>()?;
    Some(array.iter().map(|item| Ref(item, PhantomData)).collect())
}

pub(super) fn entries<'a>(v: &Ref<'a>) -> Option<Vec<(String, Ref<'a>)>> {
    if kind(v) != Kind::Object {
        return None;
    }
    let entries = Object::entries(v.0.unchecked_ref::<Object>());
    Some(
        entries
            .iter()
            .filter_map(|pair| {
                let pair = pair.unchecked_into::<Array>();
                Some((pair.get(0).as_string()?, Ref(pair.get(1), PhantomData)))
            })
            .collect(),
    )
}

pub(super) fn text(v: &Ref<'_>) -> String {
    js_sys::JSON::stringify(&v.0)
        .ok()
        .and_then(|s| s.dyn_into::<JsString>().ok())
        .map(String::from)
        .unwrap_or_default()
}
