//! `/c/{connection}/…`: the allow-listed provider routes, forwarded to that connection's
//! fixed upstream with its own credentials, every write audited.
//!
//! The upstream client is hyper-util's pooled client (the one axum's reverse-proxy example
//! uses) with hyper-rustls: the same hyper that axum serves with, so no second HTTP stack;
//! it never follows redirects (a 3xx passes back as it is, without its `Location`), and
//! bodies are plain bytes we cap ourselves.

use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::AppState;
use crate::allow;
use crate::auth::{Caller, SignedIn};
use crate::config::Connection;
use crate::error::ApiError;
use crate::store::AuditEntry;

/// Request bodies: icons (base64 in JSON for WAHA, raw bytes for Wavy) up to 5 MiB.
pub const ICON_BODY_LIMIT: usize = 5 * 1024 * 1024;
/// Every other request body.
pub const BODY_LIMIT: usize = 1024 * 1024;
/// The upstream's answers (a group list with participants can be large).
const RESPONSE_LIMIT: usize = 32 * 1024 * 1024;

/// The client headers passed on; everything else (credentials, cookies, `Host`, …) is not.
const FORWARDED_REQUEST_HEADERS: &[HeaderName] = &[header::CONTENT_TYPE, header::ACCEPT];
/// The upstream headers passed back.
const FORWARDED_RESPONSE_HEADERS: &[HeaderName] =
    &[header::CONTENT_TYPE, header::RETRY_AFTER, header::DATE];

/// The pooled client every connection shares.
#[derive(Clone)]
pub struct UpstreamClient(Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>);

impl UpstreamClient {
    pub fn new(connect_timeout: Duration) -> UpstreamClient {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(connect_timeout));
        http.set_nodelay(true);
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        UpstreamClient(Client::builder(TokioExecutor::new()).build(https))
    }
}

/// Any unknown route: 401 without a session (nothing is revealed to strangers), else 404.
pub async fn unknown(_: SignedIn) -> ApiError {
    ApiError::NotFound
}

/// `ANY /c/{connection}/{provider path}`.
pub async fn forward(
    State(state): State<AppState>,
    Caller(user): Caller,
    request: Request,
) -> Result<Response, ApiError> {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let (connection, path) = target(&state, parts.uri.path()).ok_or(ApiError::NotFound)?;
    let mut route = allow::match_route(connection, &parts.method, &path, parts.uri.query())
        .ok_or(ApiError::NotFound)?;

    let limit = if route.icon {
        ICON_BODY_LIMIT
    } else {
        BODY_LIMIT
    };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::PayloadTooLarge(limit));
    }
    let body = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return Err(ApiError::PayloadTooLarge(limit));
        }
        Err(_) => {
            return Err(ApiError::BadRequest(
                "the request body could not be read".into(),
            ));
        }
    };
    let mut headers = parts.headers.clone();
    if let Some(check) = route.body {
        let checked = allow::check_body(connection, check, &body).ok_or(ApiError::NotFound)?;
        if checked.group_id.is_some() {
            route.group_id = checked.group_id;
        }
        if let Some(operation) = checked.operation {
            route.operation = operation;
        }
        // What was checked as JSON is what the provider reads (never as a form).
        if checked.json {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
    }

    let result = send_upstream(
        &state,
        connection,
        &parts.method,
        &path,
        route.query.as_deref(),
        &headers,
        body,
    )
    .await;

    if route.write {
        let status = match &result {
            Ok(r) => r.status().as_u16(),
            Err(ApiError::GatewayTimeout) => 504,
            Err(_) => 502,
        };
        // The write has happened upstream: a failure to record it is logged, and the
        // caller still gets the provider's answer (a 500 would invite a repeat).
        let recorded = state.store.add_audit(&AuditEntry {
            id: 0,
            at_ms: crate::now_ms(),
            user: user.name,
            connection: connection.name.clone(),
            method: parts.method.to_string(),
            path,
            operation: route.operation.into(),
            group_id: route.group_id.clone(),
            status,
            duration_ms: started.elapsed().as_millis() as i64,
        });
        if let Err(e) = recorded {
            eprintln!("wa-groups-gateway: audit not recorded: {e}");
        }
    }
    result
}

/// The connection and the provider path of a raw `/c/{connection}/{path}` (the raw path:
/// axum's `Path` would decode `%2F`).
pub fn target<'a>(state: &'a AppState, raw: &str) -> Option<(&'a Connection, String)> {
    let (name, rest) = raw.strip_prefix("/c/")?.split_once('/')?;
    Some((state.connection(name)?, format!("/{rest}")))
}

async fn send_upstream(
    state: &AppState,
    connection: &Connection,
    method: &Method,
    path: &str,
    query: Option<&str>,
    incoming: &axum::http::HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let upstream = &connection.upstream;
    let mut target = format!(
        "{}://{}{}{}",
        upstream.scheme, upstream.authority, upstream.base_path, path
    );
    if let Some(query) = query {
        target.push('?');
        target.push_str(query);
    }
    let uri: Uri = target.parse().map_err(|_| ApiError::NotFound)?;
    // Belt and braces: the host is the connection's, whatever the path held.
    if uri.authority().map(|a| a.as_str()) != Some(upstream.authority.as_str()) {
        return Err(ApiError::NotFound);
    }
    let mut builder = hyper::Request::builder().method(method.clone()).uri(uri);
    for name in FORWARDED_REQUEST_HEADERS {
        if let Some(value) = incoming.get(name) {
            builder = builder.header(name, value);
        }
    }
    for (name, value) in connection.credentials.headers() {
        builder = builder.header(name, value);
    }
    let request = builder
        .body(Full::new(body))
        .map_err(|_| ApiError::Internal("the upstream request could not be built".into()))?;

    let unreachable = || {
        ApiError::BadGateway(format!(
            "connection `{}`: the provider at {}://{} could not be reached",
            connection.name, upstream.scheme, upstream.authority
        ))
    };
    let exchange = async {
        let response = state
            .upstream
            .0
            .request(request)
            .await
            .map_err(|_| unreachable())?;
        let (parts, body) = response.into_parts();
        let bytes = Limited::new(body, RESPONSE_LIMIT)
            .collect()
            .await
            .map_err(|_| unreachable())?
            .to_bytes();
        Ok::<_, ApiError>((parts, bytes))
    };
    let (parts, bytes) = tokio::time::timeout(state.options.upstream_timeout, exchange)
        .await
        .map_err(|_| ApiError::GatewayTimeout)??;

    let mut response = Response::new(Body::from(redact(&state.secrets, bytes)));
    *response.status_mut() =
        StatusCode::from_u16(parts.status.as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    for name in FORWARDED_RESPONSE_HEADERS {
        if let Some(value) = parts.headers.get(name) {
            let text = String::from_utf8_lossy(value.as_bytes());
            if !state.secrets.iter().any(|s| text.contains(s.as_str())) {
                response.headers_mut().insert(name, value.clone());
            }
        }
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response.into_response())
}

/// `body` with every known secret replaced by `<redacted>` (an upstream may echo the key
/// back in its error text).
pub fn redact(secrets: &[String], body: Bytes) -> Bytes {
    let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    if !secrets.iter().any(|s| contains(&body, s.as_bytes())) {
        return body;
    }
    let mut out = body.to_vec();
    for secret in secrets {
        let needle = secret.as_bytes();
        let mut result = Vec::with_capacity(out.len());
        let mut i = 0;
        while i < out.len() {
            if out[i..].starts_with(needle) {
                result.extend_from_slice(b"<redacted>");
                i += needle.len();
            } else {
                result.push(out[i]);
                i += 1;
            }
        }
        out = result;
    }
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_replaces_every_occurrence() {
        let secrets = vec!["s3cret".to_owned()];
        let out = redact(
            &secrets,
            Bytes::from_static(b"{\"error\":\"bad key s3cret, s3cret\"}"),
        );
        assert_eq!(&out[..], b"{\"error\":\"bad key <redacted>, <redacted>\"}");
    }
}
