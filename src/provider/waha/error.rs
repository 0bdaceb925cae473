//! WAHA's error bodies (REFERENCE.md A4) and the one place its statuses become [`Error`]s.

use crate::error::{Error, ErrorCode};
use crate::http::HttpResponse;
use crate::json::{Doc, Json};

/// What an error body says, read field by field: NestJS `{statusCode, message, error}`, the
/// 500 filter's `{exception: {message, data, details}}`, and the 422 session body
/// `{error, status}`. A field of another type is left out; the others still count.
#[derive(Default)]
struct ErrorBody {
    /// `message`: a string, or a list of strings (validation), joined with `; `.
    message: Option<String>,
    error: Option<String>,
    exception_message: Option<String>,
    exception_details: Option<String>,
    /// `exception.data`: Baileys' status, 429 when rate-limited.
    exception_data: Option<f64>,
}

impl ErrorBody {
    fn read(v: &Json<'_>) -> ErrorBody {
        let text = |v: &Json<'_>, key| v.get(key).and_then(|t| t.string());
        let message = v.get("message").and_then(|m| {
            m.string().or_else(|| {
                let parts: Option<Vec<String>> = m.items()?.iter().map(Json::string).collect();
                parts.map(|parts| parts.join("; "))
            })
        });
        let exception = v.get("exception").filter(Json::is_object);
        ErrorBody {
            message,
            error: text(v, "error"),
            exception_message: exception.as_ref().and_then(|e| text(e, "message")),
            exception_details: exception.as_ref().and_then(|e| text(e, "details")),
            exception_data: exception
                .as_ref()
                .and_then(|e| e.get("data"))
                .and_then(|d| d.number()),
        }
    }
}

/// Maps a non-2xx WAHA response to an [`Error`].
pub(crate) fn error_from(resp: &HttpResponse) -> Error {
    let body = Doc::parse(&resp.body)
        .map(|doc| ErrorBody::read(&doc.root()))
        .unwrap_or_default();
    let message = body
        .message
        .or_else(
            || match (body.exception_message.as_deref(), body.exception_details) {
                (Some(m), Some(d)) if !d.is_empty() => Some(format!("{m}: {d}")),
                (m, _) => m.map(str::to_owned),
            },
        )
        .or(body.error)
        .unwrap_or_else(|| resp.text_excerpt());

    let lower = message.to_ascii_lowercase();
    let rate_overlimit = body.exception_message.as_deref() == Some("rate-overlimit")
        || body.exception_data == Some(429.0);
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
