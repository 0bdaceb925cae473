//! Wavy's error bodies and the one place its statuses become [`Error`]s.
//!
//! The documentation names statuses (400 phone not found, 404 group or icon not found) but
//! no error body; the sandbox answers `{"errorCode": <status>, "errorMessage": "…"}`, and a
//! plain `message`/`error` field or raw text is read too, in case the real service differs.

use serde::Deserialize;

use crate::error::{Error, ErrorCode};
use crate::http::HttpResponse;

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ErrorBody {
    error_message: Option<String>,
    message: Option<String>,
    error: Option<String>,
}

/// At most this many characters of a body without a recognised message are kept.
const RAW_MESSAGE_MAX_CHARS: usize = 200;

/// Seconds in a `Retry-After` header, as milliseconds.
fn retry_after_ms(resp: &HttpResponse) -> Option<u64> {
    resp.header("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| s.saturating_mul(1000))
}

/// Maps a non-2xx Wavy response to an [`Error`]: the code follows the HTTP status, the
/// message is Wavy's `errorMessage` (or the body's text).
pub(crate) fn error_from(resp: &HttpResponse) -> Error {
    let body: ErrorBody = serde_json::from_slice(&resp.body).unwrap_or_default();
    let message = [body.error_message, body.message, body.error]
        .into_iter()
        .flatten()
        .map(|m| m.trim().to_owned())
        .find(|m| !m.is_empty())
        .unwrap_or_else(|| {
            let text = String::from_utf8_lossy(&resp.body);
            let text = text.trim();
            if text.is_empty() {
                format!("HTTP {}", resp.status)
            } else {
                text.chars().take(RAW_MESSAGE_MAX_CHARS).collect()
            }
        });
    Error::Status {
        code: ErrorCode::from_status(resp.status),
        status: resp.status,
        message,
        retry_after_ms: retry_after_ms(resp),
    }
}
