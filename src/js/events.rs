//! `parseInbound` and `verifyWebhook`: the JS face of [`crate::events`].

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::client::to_js_value;
use super::error::to_js;
use super::read::from_js;
use crate::error::{Error, Result};
use crate::events;
use crate::provider::ProviderKind;

/// The bytes of a `string | Uint8Array` argument; `None` for anything else.
fn bytes_of(value: &JsValue) -> Option<Vec<u8>> {
    if let Some(text) = value.as_string() {
        return Some(text.into_bytes());
    }
    value
        .dyn_ref::<js_sys::Uint8Array>()
        .map(js_sys::Uint8Array::to_vec)
}

/// Reads the body a provider POSTed to your webhook into events: one per Wavy MO, one for a
/// WAHA webhook. A string or `Uint8Array` is parsed as is; an object (already parsed JSON) is
/// `JSON.stringify`'d first.
///
/// A Wavy MO with `waGroupId` is a `groupMessage` whose `replyTo` is the group: answer it
/// there, never as a direct message. Throws a `GroupsError` (`decode`) for malformed JSON,
/// (`invalid_input`) for an unknown provider or an unusable payload; JSON of an unknown
/// shape is an event of kind `"unknown"`, not an error.
#[wasm_bindgen(js_name = parseInbound, unchecked_return_type = "InboundEvent[]")]
pub fn parse_inbound(
    #[wasm_bindgen(unchecked_param_type = "ProviderKind")] provider: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | object")] payload: JsValue,
) -> std::result::Result<JsValue, JsValue> {
    // An unknown provider has no kind to report; the error names the argument instead.
    let provider: ProviderKind =
        from_js("provider", provider).map_err(|e| to_js(&e, "parseInbound", ProviderKind::Waha))?;
    let parse = || -> Result<JsValue> {
        let bytes = match bytes_of(&payload) {
            Some(bytes) => bytes,
            None => js_sys::JSON::stringify(&payload)
                .ok()
                .and_then(|s| s.as_string())
                .ok_or_else(|| {
                    Error::invalid("payload", "must be a string, a Uint8Array or a JSON object")
                })?
                .into_bytes(),
        };
        to_js_value(&events::parse_inbound(provider, &bytes)?)
    };
    parse().map_err(|e| to_js(&e, "parseInbound", provider))
}

/// Checks WAHA's `X-Webhook-Hmac` header (hex HMAC-SHA512 of the raw body under the
/// webhook's `hmac.key`), in constant time. Pass the body exactly as received, before
/// parsing it; a string body is read as UTF-8. Returns `false` — never throws — for a wrong
/// or malformed signature, a missing one (`undefined` or `null`, as when the header is
/// absent), a secret that is empty or not a string, or a body that is neither a string nor
/// a `Uint8Array`.
#[wasm_bindgen(js_name = verifyWebhook)]
pub fn verify_webhook(
    #[wasm_bindgen(unchecked_param_type = "string")] secret: JsValue,
    #[wasm_bindgen(js_name = rawBody, unchecked_param_type = "string | Uint8Array")]
    raw_body: JsValue,
    #[wasm_bindgen(
        js_name = signatureHex,
        unchecked_param_type = "string | null | undefined"
    )]
    signature_hex: JsValue,
) -> bool {
    let (Some(secret), Some(signature)) = (secret.as_string(), signature_hex.as_string()) else {
        return false;
    };
    bytes_of(&raw_body)
        .is_some_and(|body| events::verify_webhook(secret.as_bytes(), &body, &signature))
}
