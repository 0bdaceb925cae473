//! The one place an [`Error`] becomes a JS `GroupsError`.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::provider::ProviderKind;

#[wasm_bindgen(typescript_custom_section)]
const GROUPS_ERROR_TS: &str = r#"
/** The stable classification of a failure; branch on it, never on the message. */
export type ErrorCode =
  | "invalid_input" | "unauthorized" | "forbidden" | "not_found" | "conflict"
  | "rate_limited" | "unsupported" | "server" | "network" | "timeout" | "aborted" | "decode"
  | "budget_exceeded";

/**
 * Every failure of wa-groups: a real `Error` (with a stack) whose `name` is `"GroupsError"`.
 * Promises reject with it; factories such as `GroupsClient.waha` throw it.
 */
export interface GroupsError extends Error {
  /** Always `"GroupsError"`. */
  name: "GroupsError";
  /** What went wrong, as a stable code. */
  code: ErrorCode;
  /** The HTTP status, when the provider answered. */
  status?: number;
  /**
   * How long the provider asked to wait before retrying, in milliseconds; for
   * `budget_exceeded`, how long until the safety budget's next slot frees.
   */
  retryAfterMs?: number;
  /** The argument at fault, for `invalid_input` (`"subject"`, `"participants[2]"`, …). */
  field?: string;
  /** The method that failed (`"createGroup"`, …). */
  operation: string;
  /** The provider the client talks to. */
  provider: ProviderKind;
}
"#;

fn set(target: &JsValue, key: &str, value: impl Into<JsValue>) {
    // Setting a data property on a fresh Error object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), &value.into());
}

/// Builds the JS `GroupsError` for `err`, raised by `operation` on `provider`.
pub(crate) fn to_js(err: &Error, operation: &str, provider: ProviderKind) -> JsValue {
    let js = js_sys::Error::new(&err.to_string());
    js.set_name("GroupsError");
    let value: JsValue = js.into();
    set(&value, "code", err.code().as_str());
    if let Some(status) = err.status() {
        set(&value, "status", status);
    }
    if let Some(ms) = err.retry_after_ms() {
        set(&value, "retryAfterMs", ms as f64);
    }
    if let Error::InvalidInput { field, .. } = err {
        set(&value, "field", field.as_str());
    }
    set(&value, "operation", operation);
    set(&value, "provider", provider.as_str());
    value
}

/// Whether `value` is a `GroupsError` thrown or rejected by wa-groups.
#[wasm_bindgen(js_name = isGroupsError, unchecked_return_type = "value is GroupsError")]
pub fn is_groups_error(
    #[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue,
) -> JsValue {
    let is = value.is_instance_of::<js_sys::Error>()
        && Reflect::get(&value, &JsValue::from_str("name"))
            .ok()
            .and_then(|n| n.as_string())
            .as_deref()
            == Some("GroupsError")
        && Reflect::get(&value, &JsValue::from_str("code"))
            .map(|c| c.is_string())
            .unwrap_or(false);
    JsValue::from_bool(is)
}
