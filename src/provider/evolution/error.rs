//! Evolution's error envelope and the one place its statuses become [`Error`]s.
//!
//! Evolution answers errors as `{status, error, response: {message: [...]}}` (research
//! `evolution-and-meta-groups.md` §2.1): `status` the HTTP status, `error` its reason
//! phrase, `message` the arguments of the exception — strings, or objects for some
//! service errors. A plain text body is read too.

use serde::Deserialize;

use crate::error::{Error, ErrorCode};
use crate::http::HttpResponse;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Envelope {
    error: Option<String>,
    response: Option<Inner>,
    message: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Inner {
    message: Option<serde_json::Value>,
}

/// The text of a `message` that may be a string, a list of strings or objects, or an object.
fn text_of(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    let text = match value {
        Value::String(s) => s.trim().to_owned(),
        Value::Array(items) => items
            .iter()
            .filter_map(text_of)
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(map) => map
            .get("message")
            .or_else(|| map.get("error"))
            .and_then(text_of)
            .unwrap_or_else(|| value.to_string()),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    (!text.is_empty()).then_some(text)
}

/// Maps a non-2xx Evolution response to an [`Error`]: the code follows the HTTP status
/// (a 400 saying a group or an invite was not found is `not_found`, as Evolution answers
/// some misses with 400), the message is the envelope's.
pub(crate) fn error_from(resp: &HttpResponse) -> Error {
    let parsed = serde_json::from_slice::<Envelope>(&resp.body);
    if resp.status == 400 && parsed.is_err() {
        // Evolution's 400s (its validation, its service's failures) always carry its
        // envelope; one that cannot be read says nothing about what was sent.
        return Error::Decode(format!(
            "an unreadable 400 answer: `{}`",
            resp.text_excerpt()
        ));
    }
    let body = parsed.unwrap_or_default();
    let message = body
        .response
        .and_then(|r| r.message)
        .or(body.message)
        .as_ref()
        .and_then(text_of)
        .or(body.error)
        .unwrap_or_else(|| resp.text_excerpt());
    let lower = message.to_ascii_lowercase();
    let code = match resp.status {
        400 if lower.contains("not found") || lower.contains("item-not-found") => {
            ErrorCode::NotFound
        }
        400 if lower.contains("not-authorized") || lower.contains("forbidden") => {
            ErrorCode::Forbidden
        }
        // The service's own failures ("Error updating participants", "Error creating
        // group"…) are 400s about WhatsApp's answer, not about what was sent.
        400 if lower.starts_with("error ") => ErrorCode::Server,
        500 if lower.contains("rate-overlimit") => ErrorCode::RateLimited,
        500 if lower.contains("not-authorized") => ErrorCode::Forbidden,
        status => ErrorCode::from_status(status),
    };
    Error::Status {
        code,
        status: resp.status,
        message,
        retry_after_ms: resp.retry_after_ms(),
    }
}
