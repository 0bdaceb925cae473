//! Wavy's error bodies and the one place its statuses become [`Error`]s.
//!
//! The documentation names statuses (400 phone not found, 404 group or icon not found) but
//! no error body; the sandbox answers `{"errorCode": <status>, "errorMessage": "…"}`, and a
//! plain `message`/`error` field or raw text is read too, in case the real service differs.

use crate::error::{Error, ErrorCode};
use crate::http::HttpResponse;
use crate::json::Doc;

/// Maps a non-2xx Wavy response to an [`Error`]: the code follows the HTTP status, the
/// message is Wavy's `errorMessage` (or the body's text).
pub(crate) fn error_from(resp: &HttpResponse) -> Error {
    // The first of the message fields that is a non-blank string; a body that is not JSON,
    // or has none, is quoted instead.
    let message = Doc::parse(&resp.body)
        .ok()
        .and_then(|doc| {
            let body = doc.root();
            ["errorMessage", "message", "error"]
                .into_iter()
                .filter_map(|key| body.get(key)?.string())
                .map(|m| m.trim().to_owned())
                .find(|m| !m.is_empty())
        })
        .unwrap_or_else(|| resp.text_excerpt());
    Error::Status {
        code: ErrorCode::from_status(resp.status),
        status: resp.status,
        message,
        retry_after_ms: resp.retry_after_ms(),
    }
}
