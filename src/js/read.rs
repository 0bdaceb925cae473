//! Reading what JS hands us without trusting it. Every read catches: a Proxy's traps, a
//! getter or a `toJSON` can throw, and what they throw becomes an `invalid_input` naming the
//! argument — never an exception escaping through wasm (which, inside a future's poll, would
//! crash Node). And a number JSON cannot carry (`NaN`, `±Infinity`, which `JSON.stringify`
//! writes as `null`, silently turning an option off) is refused.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;

use crate::error::{Error, Result};
use crate::json::input::FromJson;
use crate::transport::js_message;

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, which throws for a Proxy whose `ownKeys` trap does (or a revoked one).
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(object: &JsValue) -> std::result::Result<js_sys::Array, JsValue>;

    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn array_is_array(value: &JsValue) -> std::result::Result<bool, JsValue>;
}

/// `field` could not be read: whatever JS threw while we looked.
fn unreadable(field: &str, thrown: &JsValue) -> Error {
    Error::invalid(field, format!("could not be read: {}", js_message(thrown)))
}

/// `field.key`, or `field[key]` for an array index (`key` is what `JSON.stringify` passed
/// its replacer: `""` for the value itself).
fn path(field: &str, key: &str) -> String {
    match key {
        "" => field.to_owned(),
        index if index.bytes().all(|b| b.is_ascii_digit()) => format!("{field}[{index}]"),
        name => format!("{field}.{name}"),
    }
}

/// `JSON.stringify(value)`, refusing a non-finite number anywhere in it and catching what
/// it throws (a trap, a getter, a BigInt, a cycle).
pub(super) fn to_json(field: &str, value: &JsValue) -> Result<String> {
    let non_finite: Rc<RefCell<Option<String>>> = Rc::default();
    let found = Rc::clone(&non_finite);
    let replacer =
        Closure::<dyn Fn(JsValue, JsValue) -> JsValue>::new(move |key: JsValue, value: JsValue| {
            if value.as_f64().is_some_and(|n| !n.is_finite()) && found.borrow().is_none() {
                *found.borrow_mut() = Some(key.as_string().unwrap_or_default());
            }
            value
        });
    let json = js_sys::JSON::stringify_with_replacer(value, replacer.as_ref())
        .map_err(|e| unreadable(field, &e))?;
    if let Some(key) = non_finite.borrow_mut().take() {
        let at = locate_non_finite(value, 8)
            .map(|at| format!("{field}{at}"))
            .unwrap_or_else(|| path(field, &key));
        return Err(Error::invalid(at, "must be a finite number"));
    }
    // `undefined`, a function or a symbol has no JSON.
    json.as_string()
        .ok_or_else(|| Error::invalid(field, "is required (an object)"))
}

/// Where in `value` a non-finite number sits (`.participants[1]`; `""` for `value` itself),
/// looked for only once `JSON.stringify` met one, which tells only the last key. `None` when
/// it cannot be found within `depth` levels (or only a `toJSON` made it).
fn locate_non_finite(value: &JsValue, depth: u8) -> Option<String> {
    if value.as_f64().is_some_and(|n| !n.is_finite()) {
        return Some(String::new());
    }
    if depth == 0 || !value.is_object() {
        return None;
    }
    for key in object_keys(value).ok()?.iter() {
        let child = js_sys::Reflect::get(value, &key).ok()?;
        if let Some(rest) = locate_non_finite(&child, depth - 1) {
            return Some(format!("{}{rest}", path("", &key.as_string()?)));
        }
    }
    None
}

/// Reads a JS argument into `T`, naming it in the error.
///
/// Arguments cross as JSON text (they are small), which is read strictly: a misspelt option
/// (`sesion`) is an `invalid_input` instead of being silently ignored.
pub(super) fn from_js<T: FromJson>(field: &str, value: JsValue) -> Result<T> {
    let json = to_json(field, &value)?;
    crate::json::input::from_text(field, &json)
}

/// Whether `value` is an array (`false` for what cannot even be asked: a revoked Proxy).
pub(super) fn is_array(value: &JsValue) -> bool {
    array_is_array(value).unwrap_or(false)
}

/// An options object (`{ … }`) read key by key, every read caught.
pub(super) struct Options<'a> {
    field: &'a str,
    object: &'a JsValue,
}

impl<'a> Options<'a> {
    /// The options in `object`, `None` when it is `undefined` or `null`. Anything else must
    /// be an object whose own keys are all `known`: a misspelt option is an error naming it.
    pub(super) fn read(
        field: &'a str,
        object: &'a JsValue,
        known: &[&str],
    ) -> Result<Option<Options<'a>>> {
        if object.is_undefined() || object.is_null() {
            return Ok(None);
        }
        if !object.is_object() {
            return Err(Error::invalid(
                field,
                format!("must be an object {{ {}? }}", known.join("?, ")),
            ));
        }
        let keys = object_keys(object).map_err(|e| unreadable(field, &e))?;
        for key in keys.iter() {
            let key = key.as_string().unwrap_or_default();
            if !known.contains(&key.as_str()) {
                return Err(Error::invalid(
                    format!("{field}.{key}"),
                    format!("is not an option; use one of {}", known.join(", ")),
                ));
            }
        }
        Ok(Some(Options { field, object }))
    }

    /// `options[key]` (`undefined` when absent).
    pub(super) fn get(&self, key: &str) -> Result<JsValue> {
        js_sys::Reflect::get(self.object, &JsValue::from_str(key))
            .map_err(|e| unreadable(&format!("{}.{key}", self.field), &e))
    }

    /// `options[key]` as a number: `None` when absent (`undefined`), `invalid_input` naming
    /// `field.key` with `rule` when present but not `accept`ed. NaN and ±Infinity never are.
    pub(super) fn number(
        &self,
        key: &str,
        accept: impl Fn(f64) -> bool,
        rule: &str,
    ) -> Result<Option<f64>> {
        match self.get(key)? {
            v if v.is_undefined() => Ok(None),
            v => v
                .as_f64()
                .filter(|n| n.is_finite() && accept(*n))
                .map(Some)
                .ok_or_else(|| Error::invalid(format!("{}.{key}", self.field), rule)),
        }
    }
}
