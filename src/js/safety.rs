//! The JS face of the safety budget and of `addParticipants`' invite options:
//! `safety: { addsPerDay?, createsPerDay?, joinsPerDay?, store? }` on the client,
//! `client.safetyBudget()`, and `{ inviteOnPrivacy?, inviteText? }` on an add.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::client::{GroupsClient, to_js_value};
use super::error::to_js;
use super::read::Options;
use crate::Client;
use crate::adds::AddOptions;
use crate::error::{Error, Result};
use crate::safety::{BudgetStore, MemoryStore, Safety, SafetyLimits};
use crate::transport::{FetchTransport, js_message};

#[wasm_bindgen(typescript_custom_section)]
const SAFETY_TS: &str = r#"
/**
 * A store for the safety budget's counts: synchronous `get`/`set` of strings by key (a
 * wrapper over a file, a database row you read up front, …). `get` returns `null` or
 * `undefined` for a key never set. Values are short opaque text (one line per use in the
 * last 24 hours); a value that is not one counts as no use. What it throws makes the call reject with
 * `invalid_input` naming `options.safety.store`, before anything is sent.
 */
export interface BudgetStore {
  get(key: string): string | null | undefined;
  set(key: string, value: string): void;
}

/**
 * A safety budget: at most so many adds, group creations and joins per rolling 24 hours
 * for this account (provider + base URL + session or user). Past it, an add, create or
 * join rejects with `budget_exceeded` before anything is sent (an add partly over budget
 * sends the people within it; the others come back with `reason: "budget_exceeded"`).
 * Every person an add is sent for counts, added or refused: WhatsApp sees the attempt. A
 * create counts one create plus one add per first member. Off unless given.
 *
 * @example
 * const client = GroupsClient.waha({ baseUrl, apiKey, safety: { addsPerDay: 50, joinsPerDay: 20 } });
 */
export interface SafetyOptions {
  /** People added per 24 hours (a whole number, 0 to 1000000); unlimited when omitted. */
  addsPerDay?: number;
  /** Groups created per 24 hours; unlimited when omitted. */
  createsPerDay?: number;
  /** Groups joined per 24 hours; unlimited when omitted. */
  joinsPerDay?: number;
  /**
   * Where the counts are kept. Default: `localStorage` where there is one (browsers), so
   * the budget survives a reload; otherwise memory (Node), for the life of the process.
   */
  store?: BudgetStore;
}

/** The last argument of `addParticipants`: the call options, and invites on privacy. */
export interface AddParticipantsOptions extends CallOptions {
  /**
   * For each person whose privacy refuses the add, send them the group's invite link
   * (`https://chat.whatsapp.com/…`, fetched once) as a direct message; their result says
   * `invited: true`, or `invited: false` with `inviteError`. Where the engine already
   * sent its own invite (WAHA WEBJS), nothing more is sent. Off by default.
   */
  inviteOnPrivacy?: boolean;
  /** The invite's text; `{link}` becomes the link (appended when absent). */
  inviteText?: string;
}
"#;

/// A [`BudgetStore`] over a JS object's two methods (`get`/`set`, or `localStorage`'s
/// `getItem`/`setItem`), every call caught.
struct JsStore {
    object: JsValue,
    get: &'static str,
    set: &'static str,
}

impl JsStore {
    fn method(&self, name: &str) -> Result<js_sys::Function> {
        js_sys::Reflect::get(&self.object, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .ok_or_else(|| {
                Error::invalid(format!("options.safety.store.{name}"), "must be a function")
            })
    }
}

impl BudgetStore for JsStore {
    fn get(&self, key: &str) -> Result<Option<String>> {
        let value = self
            .method(self.get)?
            .call1(&self.object, &JsValue::from_str(key))
            .map_err(|e| {
                Error::invalid(
                    "options.safety.store",
                    format!("get threw: {}", js_message(&e)),
                )
            })?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value.as_string().map(Some).ok_or_else(|| {
            Error::invalid(
                "options.safety.store",
                "get must return a string, null or undefined",
            )
        })
    }

    fn set(&self, key: &str, value: &str) -> Result<()> {
        self.method(self.set)?
            .call2(
                &self.object,
                &JsValue::from_str(key),
                &JsValue::from_str(value),
            )
            .map(|_| ())
            .map_err(|e| {
                Error::invalid(
                    "options.safety.store",
                    format!("set threw: {}", js_message(&e)),
                )
            })
    }
}

/// The default store: `localStorage` where the global has one, memory otherwise.
fn default_store() -> Rc<dyn BudgetStore> {
    let local = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("localStorage"))
        .ok()
        .filter(JsValue::is_object);
    match local {
        Some(object) => Rc::new(JsStore {
            object,
            get: "getItem",
            set: "setItem",
        }),
        None => Rc::new(MemoryStore::default()),
    }
}

/// A factory's options without `safety` (read as JSON: a store object need not be), and
/// `safety` itself (`undefined` when absent).
pub(super) fn split(options: JsValue) -> Result<(JsValue, JsValue)> {
    if !options.is_object() {
        return Ok((options, JsValue::UNDEFINED));
    }
    let key = JsValue::from_str("safety");
    let safety = js_sys::Reflect::get(&options, &key).map_err(|e| {
        Error::invalid(
            "options.safety",
            format!("could not be read: {}", js_message(&e)),
        )
    })?;
    if safety.is_undefined() {
        return Ok((options, safety));
    }
    let copy = js_sys::Object::assign(&js_sys::Object::new(), options.unchecked_ref());
    let _ = js_sys::Reflect::delete_property(&copy, &key);
    Ok((copy.into(), safety))
}

/// Gives `client` the budget in `value` (the factory's `safety` option), if any; `account`
/// is the WAHA session or the Wavy user.
pub(super) fn attach(
    client: Client<FetchTransport>,
    value: &JsValue,
    account: &str,
) -> Result<Client<FetchTransport>> {
    let known = ["addsPerDay", "createsPerDay", "joinsPerDay", "store"];
    let Some(safety) = Options::read("options.safety", value, &known)? else {
        return Ok(client);
    };
    let count = |key: &str| {
        safety
            .number(
                key,
                |n| n.fract() == 0.0 && (0.0..=1_000_000.0).contains(&n),
                "must be a whole number from 0 to 1000000",
            )
            .map(|n| n.map(|n| n as u32))
    };
    let limits = SafetyLimits {
        adds_per_day: count("addsPerDay")?,
        creates_per_day: count("createsPerDay")?,
        joins_per_day: count("joinsPerDay")?,
    };
    let store = match safety.get("store")? {
        v if v.is_undefined() || v.is_null() => default_store(),
        v if v.is_object() => {
            let store = JsStore {
                object: v,
                get: "get",
                set: "set",
            };
            store.method("get")?;
            store.method("set")?;
            Rc::new(store)
        }
        _ => {
            return Err(Error::invalid(
                "options.safety.store",
                "must be an object { get(key), set(key, value) }",
            ));
        }
    };
    let key = Safety::account_key(client.provider(), client.base_url(), account);
    Ok(client.with_safety(Safety::new(limits, store, key)))
}

/// `addParticipants`' own options (`inviteOnPrivacy`, `inviteText`).
pub(super) fn add_options(options: Option<&Options>) -> Result<AddOptions> {
    let Some(options) = options else {
        return Ok(AddOptions::default());
    };
    let invite_on_privacy = match options.get("inviteOnPrivacy")? {
        v if v.is_undefined() => false,
        v => v
            .as_bool()
            .ok_or_else(|| Error::invalid("options.inviteOnPrivacy", "must be a boolean"))?,
    };
    let invite_text = match options.get("inviteText")? {
        v if v.is_undefined() => None,
        v => Some(
            v.as_string()
                .ok_or_else(|| Error::invalid("options.inviteText", "must be a string"))?,
        ),
    };
    if invite_text.is_some() && !invite_on_privacy {
        return Err(Error::invalid(
            "options.inviteText",
            "only applies with inviteOnPrivacy: true",
        ));
    }
    Ok(AddOptions {
        invite_on_privacy,
        invite_text,
    })
}

#[wasm_bindgen]
impl GroupsClient {
    /// What is left of the safety budget (`safety` option) and when each kind's next slot
    /// frees (`refillsAt`, ms since the epoch); `null` without a budget. Throws a
    /// `GroupsError` (`invalid_input`) when the budget's store throws.
    ///
    /// ```js
    /// const left = client.safetyBudget()?.adds?.left; // e.g. 38
    /// ```
    #[wasm_bindgen(js_name = safetyBudget, unchecked_return_type = "SafetyBudget | null")]
    pub fn safety_budget(&self) -> std::result::Result<JsValue, JsValue> {
        let provider = self.inner.provider();
        let budget = self
            .inner
            .safety_budget()
            .and_then(|b| match b {
                Some(b) => to_js_value(&b),
                None => Ok(JsValue::NULL),
            })
            .map_err(|e| to_js(&e, "safetyBudget", provider))?;
        Ok(budget)
    }
}
