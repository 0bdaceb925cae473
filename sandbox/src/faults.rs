//! Fault injection, for testing clients against a misbehaving provider: added latency,
//! error statuses (with `Retry-After`), WAHA's `rate-overlimit` body, malformed or
//! truncated JSON, a stalled body, a dropped connection, and a request rate limit — per
//! route through `POST /_sandbox/faults`, or per request through the `X-Sandbox-Fault`
//! header (the same JSON). It also counts the side effects the providers' routes applied,
//! so a test can prove a POST was applied exactly once (`GET /_sandbox/stats`).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::AppState;

/// What a fault does to a matching request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fault {
    /// Only requests whose path starts with this (e.g. `/api/default/groups`); all if absent.
    #[serde(default)]
    pub route: Option<String>,
    /// Only this method (`GET`, `POST`, …); all if absent.
    #[serde(default)]
    pub method: Option<String>,
    /// Wait this long before answering.
    #[serde(default)]
    pub latency_ms: Option<u64>,
    /// Answer with this status instead of running the route (nothing is applied).
    #[serde(default)]
    pub status: Option<u16>,
    /// The `Retry-After` header of that answer.
    #[serde(default)]
    pub retry_after: Option<String>,
    /// The `Location` header of that answer: with a 3xx `status`, a redirect (neither
    /// provider redirects; a client must not follow one with its credentials).
    #[serde(default)]
    pub location: Option<String>,
    /// Damage the answer (see [`Damage`]).
    #[serde(default)]
    pub body: Option<Damage>,
    /// Apply to the next N matching requests only (every one when absent).
    #[serde(default)]
    pub times: Option<u32>,
    /// Allow at most this many matching requests a second; the rest get 429 + `Retry-After: 1`.
    #[serde(default)]
    pub rate_per_second: Option<u32>,
    /// Apply to this share of matching requests (0.0–1.0; every one when absent), drawn from
    /// a deterministic sequence so runs repeat.
    #[serde(default)]
    pub probability: Option<f64>,
}

/// How an answer is damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Damage {
    /// WAHA's 500 whose `exception` carries `rate-overlimit` / 429 (nothing is applied).
    RateOverlimit,
    /// A 200 whose body is not JSON (nothing is applied).
    Malformed,
    /// The route runs (its effect is applied), then its body is cut in half.
    Truncated,
    /// The route runs, the headers are sent, and the body never comes.
    Stall,
    /// The route runs; the headers and the first half of the body are sent, then the
    /// connection drops.
    Drop,
    /// The route runs, then the connection closes before any byte of the answer. (A
    /// browser may send the request again by itself on such a reset — Chromium does when
    /// the connection was a reused keep-alive one, POSTs included.)
    Reset,
}

/// The configured faults, the rate limiter's window, and the side-effect counter.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<Fault>,
    window: BTreeMap<usize, (Instant, u32)>,
    draws: u64,
    /// Applied side effects (2xx answers to non-GET provider requests), by `METHOD path`.
    pub side_effects: BTreeMap<String, u64>,
    /// Provider requests received, faulted or not, by `METHOD path`.
    pub requests: BTreeMap<String, u64>,
}

impl Fault {
    /// Whether the rule applies only to routes under `scope`.
    pub fn within(&self, scope: &str) -> bool {
        self.route.as_deref().is_some_and(|r| r.starts_with(scope))
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.route.as_deref().is_none_or(|r| path.starts_with(r))
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
    }
}

impl Faults {
    /// Replaces the configured faults.
    pub fn set(&mut self, rules: Vec<Fault>) {
        self.rules = rules;
        self.window.clear();
    }

    /// Replaces the rules under `scope` (those whose route starts with it) by `rules`,
    /// keeping every other rule; the new rules come first, so they win over broader ones.
    pub fn set_within(&mut self, scope: &str, rules: Vec<Fault>) {
        let mut kept: Vec<Fault> = std::mem::take(&mut self.rules)
            .into_iter()
            .filter(|r| !r.within(scope))
            .collect();
        self.rules = rules;
        self.rules.append(&mut kept);
        self.window.clear();
    }

    /// A deterministic draw in [0, 1).
    fn draw(&mut self) -> f64 {
        self.draws = self
            .draws
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.draws >> 11) as f64 / (1u64 << 53) as f64
    }

    /// The fault to apply to this request, if any (consuming one of its `times`).
    fn pick(&mut self, method: &str, path: &str) -> Option<Fault> {
        let index = self.rules.iter().position(|f| f.matches(method, path))?;
        if let Some(limit) = self.rules[index].rate_per_second {
            let now = Instant::now();
            let (start, count) = self.window.entry(index).or_insert((now, 0));
            if now.duration_since(*start) >= Duration::from_secs(1) {
                *start = now;
                *count = 0;
            }
            *count += 1;
            if *count <= limit {
                return None;
            }
            return Some(Fault {
                status: Some(429),
                retry_after: Some("1".into()),
                ..Fault::default()
            });
        }
        if let Some(p) = self.rules[index].probability
            && self.draw() >= p
        {
            return None;
        }
        let fault = self.rules[index].clone();
        if let Some(times) = fault.times {
            if times <= 1 {
                self.rules.remove(index);
            } else {
                self.rules[index].times = Some(times - 1);
            }
        }
        Some(fault)
    }
}

fn rate_overlimit() -> Response {
    let body = json!({"statusCode": 500, "exception": {"message": "rate-overlimit", "data": 429,
        "isBoom": true, "isServer": true, "output": {}, "name": "Error"}});
    (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response()
}

/// The middleware over the providers' routes.
pub(crate) async fn inject(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let from_header = request
        .headers()
        .get("x-sandbox-fault")
        .and_then(|v| v.to_str().ok())
        .map(serde_json::from_str::<Fault>);
    let fault = match from_header {
        Some(Ok(fault)) => Some(fault),
        Some(Err(e)) => {
            let body = json!({"error": format!("X-Sandbox-Fault: {e}")});
            return (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
        }
        None => state.faults().pick(&method, &path),
    };
    *state
        .faults()
        .requests
        .entry(format!("{method} {path}"))
        .or_default() += 1;
    let fault = fault.unwrap_or_default();
    if let Some(ms) = fault.latency_ms {
        tokio::time::sleep(Duration::from_millis(ms.min(30_000))).await;
    }
    if let Some(status) = fault.status {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (
            status,
            axum::Json(json!({"statusCode": status.as_u16(), "message": "injected fault"})),
        )
            .into_response();
        if let Some(retry_after) = fault
            .retry_after
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            response.headers_mut().insert("retry-after", retry_after);
        }
        if let Some(location) = fault
            .location
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            response.headers_mut().insert("location", location);
        }
        return response;
    }
    match fault.body {
        Some(Damage::RateOverlimit) => return rate_overlimit(),
        Some(Damage::Malformed) => {
            return (StatusCode::OK, "{\"groups\": [{\"id\": tru").into_response();
        }
        _ => {}
    }
    let response = next.run(request).await;
    if method != "GET" && response.status().is_success() {
        let mut faults = state.faults();
        *faults
            .side_effects
            .entry(format!("{method} {path}"))
            .or_default() += 1;
    }
    match fault.body {
        Some(Damage::Truncated) => {
            let (parts, body) = response.into_parts();
            let bytes = body
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            let half = Bytes::copy_from_slice(&bytes[..bytes.len() / 2]);
            let mut response = Response::from_parts(parts, Body::from(half));
            response.headers_mut().remove("content-length");
            response
        }
        Some(Damage::Stall) => {
            let (parts, _) = response.into_parts();
            let pending = futures_stall();
            Response::from_parts(parts, Body::from_stream(pending))
        }
        Some(Damage::Drop) => {
            let (parts, body) = response.into_parts();
            let bytes = body
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            let half = bytes.slice(..bytes.len() / 2);
            let mut response = Response::from_parts(parts, Body::from_stream(cut_after(half)));
            response.headers_mut().remove("content-length");
            response
        }
        Some(Damage::Reset) => {
            let (parts, _) = response.into_parts();
            let failing = tokio_stream_error();
            Response::from_parts(parts, Body::from_stream(failing))
        }
        _ => response,
    }
}

/// A body stream that never yields.
fn futures_stall() -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    futures_util::stream::pending()
}

/// A body stream that yields `first` (given time to reach the client), then fails, so the
/// server drops the connection mid-body.
fn cut_after(
    first: Bytes,
) -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    use futures_util::StreamExt;
    futures_util::stream::once(async move { Ok(first) }).chain(futures_util::stream::once(async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        Err(std::io::Error::other("injected: connection dropped"))
    }))
}

/// A body stream that fails at once, so the server drops the connection.
fn tokio_stream_error() -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    futures_util::stream::once(async { Err(std::io::Error::other("injected: connection dropped")) })
}
