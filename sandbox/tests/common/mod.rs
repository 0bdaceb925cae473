//! Drives the sandbox in-process: raw HTTP requests, and the core's `Client` over a
//! transport that calls the router directly (no sockets), so provider ↔ sandbox agreement
//! is tested natively in milliseconds.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use wa_groups::http::{HttpRequest, HttpResponse, Transport};
use wa_groups_sandbox::{Config, app};

pub fn sandbox() -> Router {
    app(Config::default())
}

/// Sends one request and returns the status and the body as JSON (`Null` when empty).
pub async fn send(router: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
    };
    (status, body)
}

pub fn get(path: &str, key: Option<&str>) -> Request<Body> {
    let mut builder = Request::get(path);
    if let Some(key) = key {
        builder = builder.header("X-Api-Key", key);
    }
    builder.body(Body::empty()).unwrap()
}

pub fn post_json(path: &str, key: Option<&str>, body: Value) -> Request<Body> {
    let mut builder = Request::post(path).header("Content-Type", "application/json");
    if let Some(key) = key {
        builder = builder.header("X-Api-Key", key);
    }
    builder.body(Body::from(body.to_string())).unwrap()
}

/// The Wavy credentials of `Config::default()`.
pub const WAVY_USER: &str = "sandbox";
pub const WAVY_TOKEN: &str = "sandbox";

/// Adds Wavy's `userName` and `authenticationToken` headers (the defaults).
pub fn with_wavy_auth(builder: axum::http::request::Builder) -> axum::http::request::Builder {
    builder
        .header("userName", WAVY_USER)
        .header("authenticationToken", WAVY_TOKEN)
}

/// A request with a JSON body (or none), any method, no credentials.
pub fn json_request(method: &str, path: &str, body: Option<Value>) -> Request<Body> {
    let builder = Request::builder().method(method).uri(path);
    match body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
        None => builder.body(Body::empty()).unwrap(),
    }
}

pub fn put_json(path: &str, body: Value) -> Request<Body> {
    json_request("PUT", path, Some(body))
}

pub fn delete_json(path: &str, body: Value) -> Request<Body> {
    json_request("DELETE", path, Some(body))
}

/// A Wavy request with the default credentials: any method, an optional JSON body.
pub fn wavy(method: &str, path: &str, body: Option<Value>) -> Request<Body> {
    let (parts, body) = json_request(method, path, body).into_parts();
    let mut builder = with_wavy_auth(Request::builder().method(parts.method).uri(parts.uri));
    for (name, value) in &parts.headers {
        builder = builder.header(name, value);
    }
    builder.body(body).unwrap()
}

/// Sends one request and returns the status, the headers and the raw body.
pub async fn send_raw(
    router: &Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = router.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}

/// A `wa_groups` transport that hands each request to the router in-process.
#[derive(Clone)]
pub struct InProcess(pub Router);

impl Transport for InProcess {
    async fn send(&self, base_url: &str, request: HttpRequest) -> wa_groups::Result<HttpResponse> {
        let url = request.url(base_url);
        let path = url.strip_prefix(base_url).unwrap().to_owned();
        // As a browser would: the Host the sandbox builds its own URLs from (icons).
        let host = base_url.split("://").nth(1).unwrap_or(base_url).to_owned();
        let mut builder = Request::builder()
            .method(request.method.as_str())
            .uri(path)
            .header("host", host);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        let body = match &request.body {
            Some(body) => {
                builder = builder.header("Content-Type", body.content_type());
                Body::from(body.as_bytes().to_vec())
            }
            None => Body::empty(),
        };
        let response = self
            .0
            .clone()
            .oneshot(builder.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    v.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    async fn sleep(&self, ms: u64) -> wa_groups::Result<()> {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        Ok(())
    }

    fn random(&self) -> f64 {
        0.5
    }

    fn now_ms(&self) -> f64 {
        static START: std::sync::OnceLock<tokio::time::Instant> = std::sync::OnceLock::new();
        START
            .get_or_init(tokio::time::Instant::now)
            .elapsed()
            .as_secs_f64()
            * 1000.0
    }
}

pub fn client(router: &Router, key: &str, session: &str) -> wa_groups::Client<InProcess> {
    let provider = wa_groups::provider::waha::Waha::new(session, key).unwrap();
    wa_groups::Client::new(provider, InProcess(router.clone()), "http://sandbox.test").unwrap()
}

/// A sandbox with `config` (the defaults otherwise).
pub fn sandbox_with(config: Config) -> Router {
    app(config)
}

/// Serves `router` on a free loopback port; returns its base URL (`http://127.0.0.1:…`).
pub async fn serve(router: Router) -> String {
    let listener = wa_groups_sandbox::listen("127.0.0.1:0".parse().unwrap()).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    base
}

/// Sends `request` over real HTTP (its URI must be absolute); the status, headers and body.
pub async fn over_http(request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;
    let http: Client<_, Body> = Client::builder(TokioExecutor::new()).build_http();
    let response = http.request(request).await.expect("the sandbox answers");
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}

/// A WAHA request with the default key: any method, an optional JSON body.
pub fn waha(method: &str, path: &str, body: Option<Value>) -> Request<Body> {
    let (parts, body) = json_request(method, path, body).into_parts();
    let mut builder = Request::builder()
        .method(parts.method)
        .uri(parts.uri)
        .header("X-Api-Key", "sandbox");
    for (name, value) in &parts.headers {
        builder = builder.header(name, value);
    }
    builder.body(body).unwrap()
}

/// Creates a WAHA group on `session` (201) and returns its id, read from whichever field the
/// session's engine names it by (WEBJS `gid._serialized`, NOWEB `id`, GOWS `JID`).
pub async fn create_waha_group(router: &Router, session: &str, body: Value) -> String {
    let (status, created) = send(
        router,
        waha("POST", &format!("/api/{session}/groups"), Some(body)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    ["/gid/_serialized", "/id", "/JID"]
        .iter()
        .find_map(|p| created.pointer(p).and_then(Value::as_str))
        .unwrap()
        .to_owned()
}

/// `{"participants": [{"id": …}, …]}`.
pub fn participants(ids: &[&str]) -> Value {
    let list: Vec<Value> = ids.iter().map(|id| serde_json::json!({"id": id})).collect();
    serde_json::json!({ "participants": list })
}

/// A webhook receiver on a free loopback port; yields each delivery's headers and body.
pub async fn receiver() -> (
    String,
    tokio::sync::mpsc::UnboundedReceiver<(axum::http::HeaderMap, axum::body::Bytes)>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let tx = tx.clone();
                async move {
                    let _ = tx.send((headers, body));
                    StatusCode::OK
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, rx)
}

/// The next delivery to a [`receiver`], failing the test after 10 s rather than hanging.
pub async fn next_delivery(
    deliveries: &mut tokio::sync::mpsc::UnboundedReceiver<(
        axum::http::HeaderMap,
        axum::body::Bytes,
    )>,
) -> (axum::http::HeaderMap, axum::body::Bytes) {
    tokio::time::timeout(std::time::Duration::from_secs(10), deliveries.recv())
        .await
        .expect("a delivery within 10 s")
        .expect("the receiver is running")
}
