//! The browser's view: the value `JSON.parse` made, read with `Reflect.get`.

use std::cell::RefCell;
use std::marker::PhantomData;

use js_sys::{Array, JsString, Object};
use wasm_bindgen::{JsCast, JsValue};

use super::Kind;

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

/// How many property names the cache holds: a few times the few dozen the readers use.
const SLOTS: usize = 512;

thread_local! {
    /// The property names read so far, as JS strings: made once, not at every read (a
    /// listing of 10,000 groups reads about a million fields). Direct-mapped by the address
    /// of the `&'static str` literal; a name whose slot another holds is simply made again.
    static KEYS: RefCell<Vec<Option<(usize, usize, JsValue)>>> =
        RefCell::new(vec![None; SLOTS]);
}

fn with_key<R>(key: &'static str, read: impl FnOnce(&JsValue) -> R) -> R {
    let address = key.as_ptr() as usize;
    let slot = (address ^ (address >> 9) ^ key.len()) % SLOTS;
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        match &keys[slot] {
            Some((at, len, js)) if *at == address && *len == key.len() => read(js),
            _ => {
                let js = JsValue::from_str(key);
                let out = read(&js);
                keys[slot] = Some((address, key.len(), js));
                out
            }
        }
    })
}

/// `v[key]`, `None` when `v` is not an object or has no `key` (`undefined`). The keys are
/// the readers' field names, none of which `Object.prototype` has, so an inherited
/// `constructor` or `toString` is never read. `Reflect.get` throws for a value that is not
/// an object, which is how that case is told apart in a single call.
pub(super) fn get<'a>(v: &Ref<'a>, key: &'static str) -> Option<Ref<'a>> {
    let value = with_key(key, |key| js_sys::Reflect::get(&v.0, key)).ok()?;
    (!value.is_undefined()).then_some(Ref(value, PhantomData))
}

/// [`get`], `None` for `null` too: one call fewer than `get` then [`is_null`].
pub(super) fn get_present<'a>(v: &Ref<'a>, key: &'static str) -> Option<Ref<'a>> {
    let value = with_key(key, |key| js_sys::Reflect::get(&v.0, key)).ok()?;
    (!value.is_null_or_undefined()).then_some(Ref(value, PhantomData))
}

pub(super) fn is_object(v: &Ref<'_>) -> bool {
    v.0.is_object() && !Array::is_array(&v.0)
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
