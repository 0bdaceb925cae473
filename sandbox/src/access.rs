//! Who may use the sandbox from a browser, and where it may send webhooks.
//!
//! The sandbox has no authentication worth the name (the control API has none), and it runs
//! on a developer's machine while they browse. So:
//! - only pages on loopback (`http://127.0.0.1:*`, `http://localhost:*`, `http://[::1]:*`)
//!   and, when it serves the panel (`--static`), its own origin get CORS answers; a request
//!   carrying any other `Origin` is refused with 403 before it reaches a route, preflight
//!   or not, so a foreign page can neither read an answer nor cause a side effect with a
//!   "simple" request that needs no preflight;
//! - browsers may read `Retry-After` and `Date` (a client needs both to honour a rate
//!   limit), and every answer carries a `Date`;
//! - webhooks are delivered to loopback URLs only, so the sandbox cannot be made to POST
//!   to other hosts.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

use crate::Config;

/// Whether `host` (as in a URL, IPv6 in brackets) names this machine.
fn is_loopback_host(host: &str) -> bool {
    host == "127.0.0.1" || host == "[::1]" || host.eq_ignore_ascii_case("localhost")
}

/// `http://<loopback host>` with an optional port, and nothing else (no path, no userinfo).
fn is_loopback_origin(origin: &str) -> bool {
    let Some(rest) = origin.strip_prefix("http://") else {
        return false;
    };
    let (host, port) = match rest.strip_prefix("[::1]") {
        Some(port) => ("[::1]", port),
        None => rest.split_at(rest.find(':').unwrap_or(rest.len())),
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    is_loopback_host(host) && port_ok
}

/// Whether a page at `origin` may call the sandbox: loopback pages, and the sandbox's own
/// origin (`http://<Host>`) when it serves the panel.
fn origin_allowed(config: &Config, origin: &HeaderValue, headers: &HeaderMap) -> bool {
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if is_loopback_origin(origin) {
        return true;
    }
    config.static_dir.is_some()
        && headers
            .get(header::HOST)
            .and_then(|host| host.to_str().ok())
            .is_some_and(|host| origin.strip_prefix("http://") == Some(host))
}

/// The CORS answers: the allowed origin echoed back, any method and header, and
/// `Retry-After` and `Date` readable by the page.
pub(crate) fn cors(config: Arc<Config>) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, parts| {
            origin_allowed(&config, origin, &parts.headers)
        }))
        .allow_methods(Any)
        .allow_headers(Any)
        .expose_headers([header::RETRY_AFTER, header::DATE])
}

/// Refuses, before anything else runs, a request whose `Origin` may not use the sandbox.
/// Requests without `Origin` (curl, Node, same-origin GETs) pass.
pub(crate) async fn refuse_foreign_origins(
    State(config): State<Arc<Config>>,
    request: Request,
    next: Next,
) -> Response {
    let refused = request
        .headers()
        .get(header::ORIGIN)
        .filter(|origin| !origin_allowed(&config, origin, request.headers()))
        .map(|origin| String::from_utf8_lossy(origin.as_bytes()).into_owned());
    match refused {
        None => next.run(request).await,
        Some(origin) => {
            let what = if request.method() == Method::OPTIONS {
                "preflight"
            } else {
                "request"
            };
            let body = json!({"error": format!(
                "{what} from origin `{origin}` refused: the sandbox answers pages on loopback \
                 (http://127.0.0.1, http://localhost, http://[::1], any port) and the panel it serves"
            )});
            (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
        }
    }
}

/// Adds a `Date` header to answers that have none (hyper adds one on the wire, but not to
/// answers handed over in-process, and clients read it to turn an HTTP-date `Retry-After`
/// into a wait).
pub(crate) async fn date(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if !response.headers().contains_key(header::DATE)
        && let Ok(value) = HeaderValue::from_str(&crate::time::http_date(crate::time::now()))
    {
        response.headers_mut().insert(header::DATE, value);
    }
    response
}

/// Why a webhook URL is refused: it must be `http://` to a loopback host.
pub(crate) fn check_webhook_url(url: &str) -> Result<(), String> {
    let refuse = |why: &str| {
        Err(format!(
            "webhook url `{url}` refused: {why}; the sandbox delivers to loopback only \
             (http://127.0.0.1, http://localhost or http://[::1], any port)"
        ))
    };
    let Ok(uri) = url.parse::<Uri>() else {
        return refuse("not a URL");
    };
    if uri.scheme_str() != Some("http") {
        return refuse("not http://");
    }
    let Some(authority) = uri.authority() else {
        return refuse("no host");
    };
    if authority.as_str().contains('@') {
        return refuse("credentials in the URL");
    }
    if !is_loopback_host(authority.host()) {
        return refuse("not a loopback host");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_origins_are_exactly_the_three_hosts_on_any_port() {
        for ok in [
            "http://127.0.0.1:8000",
            "http://127.0.0.1",
            "http://localhost:5173",
            "http://localhost",
            "http://[::1]:9000",
            "http://[::1]",
        ] {
            assert!(is_loopback_origin(ok), "{ok}");
        }
        for refused in [
            "https://127.0.0.1:8000",
            "http://127.0.0.1.evil.example",
            "http://localhost.evil.example:8000",
            "http://127.0.0.1:80/path",
            "http://127.0.0.1:",
            "http://127.0.0.1:123456",
            "http://[::1].evil.example",
            "http://user@127.0.0.1",
            "http://evil.example",
            "null",
        ] {
            assert!(!is_loopback_origin(refused), "{refused}");
        }
    }
}
