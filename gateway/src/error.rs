//! The one error type of the gateway's handlers; it owns the status mapping, and every body
//! is `{"error": code, "message": text}`. No text here ever holds a credential.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub enum ApiError {
    /// No session, an expired one, or a failed sign-in.
    Unauthorized,
    /// Signed in, but not allowed (a viewer's write, a foreign `Origin`, not an admin).
    Forbidden(&'static str),
    /// Not a route, or not one the gateway forwards.
    NotFound,
    BadRequest(String),
    PayloadTooLarge(usize),
    /// Too many failed sign-ins; retry after this many seconds.
    TooManyRequests(u64),
    /// The upstream could not be reached (or answered something unusable).
    BadGateway(String),
    GatewayTimeout,
    Internal(String),
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "sign in first".into(),
            ),
            ApiError::Forbidden(why) => (StatusCode::FORBIDDEN, "forbidden", (*why).into()),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "no such route (the gateway forwards only the group routes wa-groups uses)".into(),
            ),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, "invalid_input", m.clone()),
            ApiError::PayloadTooLarge(limit) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("the body is over {limit} bytes"),
            ),
            ApiError::TooManyRequests(secs) => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many failed sign-ins; retry in {secs} s"),
            ),
            ApiError::BadGateway(m) => (StatusCode::BAD_GATEWAY, "upstream_unreachable", m.clone()),
            ApiError::GatewayTimeout => (
                StatusCode::GATEWAY_TIMEOUT,
                "upstream_timeout",
                "the provider did not answer in time".into(),
            ),
            ApiError::Internal(m) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", m.clone()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        if status.is_server_error() {
            eprintln!("wa-groups-gateway: {status}: {message}");
        }
        let mut response =
            (status, Json(json!({ "error": code, "message": message }))).into_response();
        if let ApiError::TooManyRequests(secs) = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        response
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        ApiError::Internal(e.0)
    }
}
