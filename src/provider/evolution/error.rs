//! Evolution's error envelope and the one place its statuses become [`Error`]s.
//!
//! Evolution answers errors as `{status, error, response: {message: [...]}}` (research
//! `evolution-and-meta-groups.md` §2.1): `status` the HTTP status, `error` its reason
//! phrase, `message` the arguments of the exception — strings, or objects for some
//! service errors. A plain text body is read too.

use crate::error::{Error, ErrorCode};
use crate::http::HttpResponse;
use crate::json::{Doc, Json, Kind};

/// Evolution's error envelope, `{status, error, response: {message}}` (or `message` at
/// the top), when the body is one: an object whose `error` is a string and whose
/// `response` is an object, where they are present.
fn envelope<'a>(body: &Json<'a>) -> Option<Envelope<'a>> {
    if body.kind() != Kind::Object {
        return None;
    }
    let error = match body.get("error") {
        None => None,
        Some(e) => Some(e.string()?),
    };
    let response = match body.get("response") {
        Some(r) if !r.is_object() => return None,
        r => r,
    };
    Some(Envelope {
        error,
        message: response
            .and_then(|r| r.get("message"))
            .or_else(|| body.get("message")),
    })
}

/// What an error envelope says.
struct Envelope<'a> {
    /// The reason phrase (`"Bad Request"`).
    error: Option<String>,
    /// `response.message`, else a top-level `message`: a string, a list, or an object.
    message: Option<Json<'a>>,
}

/// The text of a `message` that may be a string, a list of strings or objects, or an object.
fn text_of(value: &Json<'_>) -> Option<String> {
    let text = match value.kind() {
        Kind::String => value.string().unwrap_or_default().trim().to_owned(),
        Kind::Array => value
            .items()
            .unwrap_or_default()
            .iter()
            .filter_map(text_of)
            .collect::<Vec<_>>()
            .join("; "),
        Kind::Object => value
            .any(&["message", "error"])
            .and_then(|m| text_of(&m))
            .unwrap_or_else(|| value.text()),
        Kind::Null => String::new(),
        Kind::Bool | Kind::Number => value.text(),
    };
    (!text.is_empty()).then_some(text)
}

/// Maps a non-2xx Evolution response to an [`Error`]: the code follows the HTTP status
/// (a 400 saying a group or an invite was not found is `not_found`, as Evolution answers
/// some misses with 400), the message is the envelope's.
pub(crate) fn error_from(resp: &HttpResponse) -> Error {
    let doc = Doc::parse(&resp.body).ok();
    let parsed = doc.as_ref().and_then(|doc| envelope(&doc.root()));
    if resp.status == 400 && parsed.is_none() {
        // Evolution's 400s (its validation, its service's failures) always carry its
        // envelope; one that cannot be read says nothing about what was sent.
        return Error::Decode(format!(
            "an unreadable 400 answer: `{}`",
            resp.text_excerpt()
        ));
    }
    let message = parsed
        .and_then(|body| body.message.as_ref().and_then(text_of).or(body.error))
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
