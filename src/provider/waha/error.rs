//! WAHA's error bodies (REFERENCE.md A4) and the one place its statuses become [`Error`]s.

use serde::Deserialize;

use crate::error::{Error, ErrorCode};
use crate::http::HttpResponse;

/// NestJS `{statusCode, message, error}`, the 500 filter's `{exception: {message, data,
/// details}}`, and the 422 session body `{error, status}`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ErrorBody {
    message: Option<Message>,
    error: Option<String>,
    exception: Option<Exception>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Message {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Exception {
    message: Option<String>,
    data: Option<serde_json::Value>,
    details: Option<String>,
}

/// Maps a non-2xx WAHA response to an [`Error`].
pub(crate) fn error_from(resp: &HttpResponse) -> Error {
    let body: ErrorBody = serde_json::from_slice(&resp.body).unwrap_or_default();
    let exception = body.exception.unwrap_or_default();
    let message = match body.message {
        Some(Message::One(m)) => Some(m),
        Some(Message::Many(ms)) => Some(ms.join("; ")),
        None => None,
    }
    .or_else(|| match (exception.message.as_deref(), exception.details) {
        (Some(m), Some(d)) if !d.is_empty() => Some(format!("{m}: {d}")),
        (m, _) => m.map(str::to_owned),
    })
    .or(body.error)
    .unwrap_or_else(|| resp.text_excerpt());

    let lower = message.to_ascii_lowercase();
    let rate_overlimit = exception.message.as_deref() == Some("rate-overlimit")
        || exception.data.as_ref().and_then(serde_json::Value::as_u64) == Some(429);
    let code = match resp.status {
        _ if rate_overlimit => ErrorCode::RateLimited,
        422 | 501 if lower.contains("not implemented") => ErrorCode::Unsupported,
        // 422 without "not implemented" is the session not being WORKING yet.
        422 => ErrorCode::Conflict,
        // WAHA has no 404 for groups: engines throw, and the filter makes it a 500.
        500 if lower.contains("not found") || lower.contains("item-not-found") => {
            ErrorCode::NotFound
        }
        500 if lower.contains("not-authorized") || lower.contains("forbidden") => {
            ErrorCode::Forbidden
        }
        status => ErrorCode::from_status(status),
    };
    Error::Status {
        code,
        status: resp.status,
        message,
        retry_after_ms: resp.retry_after_ms(),
    }
}
