//! Starts a sandbox and a gateway in front of it on loopback port 0, and talks to both over
//! real HTTP.

#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use tokio::task::JoinHandle;
use wa_groups::http::{HttpRequest, HttpResponse, Transport};
use wa_groups_gateway::{
    AppState, Connection, Credentials, Options, Provider, Role, Store, Upstream, app, auth,
};

/// The sandbox's secrets: distinct strings, so a leak is found by searching for them.
pub const WAHA_KEY: &str = "waha-key-7f3a9c21";
pub const WAVY_USER: &str = "wavy-user-51d2e8";
pub const WAVY_TOKEN: &str = "wavy-token-c0ffee99";
/// The connections' webhook secrets (WAHA's HMAC key, Wavy's URL token).
pub const WAHA_HOOK_SECRET: &str = "waha-hook-secret-0b5e";
pub const WAVY_HOOK_TOKEN: &str = "wavyhooktoken4d1f";
/// The sandbox's Evolution API key, and the Evolution connection's webhook URL token.
pub const EVOLUTION_KEY: &str = "evolution-key-9e4b17";
pub const EVOLUTION_HOOK_TOKEN: &str = "evohooktoken5a2c";
pub const SECRETS: &[&str] = &[
    WAHA_KEY,
    WAVY_USER,
    WAVY_TOKEN,
    WAHA_HOOK_SECRET,
    WAVY_HOOK_TOKEN,
    EVOLUTION_KEY,
    EVOLUTION_HOOK_TOKEN,
];

pub const ADMIN: &str = "ana";
pub const ADMIN_PASSWORD: &str = "ana's long password";
pub const VIEWER: &str = "vic";
pub const VIEWER_PASSWORD: &str = "vic's long password";

/// A server task, aborted when dropped.
pub struct Server {
    pub base: String,
    task: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn serve(router: axum::Router) -> Server {
    let listener = wa_groups_gateway::listen("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Server { base, task }
}

/// A sandbox with [`WAHA_KEY`], [`WAVY_USER`], [`WAVY_TOKEN`] and [`EVOLUTION_KEY`].
pub async fn sandbox() -> Server {
    serve(wa_groups_sandbox::app(wa_groups_sandbox::Config {
        api_key: WAHA_KEY.into(),
        wavy_user: WAVY_USER.into(),
        wavy_token: WAVY_TOKEN.into(),
        evolution_key: EVOLUTION_KEY.into(),
        ..Default::default()
    }))
    .await
}

pub fn waha_connection(name: &str, upstream: &str) -> Connection {
    Connection {
        name: name.into(),
        provider: Provider::Waha,
        upstream: Upstream::parse(upstream).unwrap(),
        session: Some("default".into()),
        credentials: Credentials::Waha {
            api_key: WAHA_KEY.into(),
        },
        webhook_secret: Some(WAHA_HOOK_SECRET.into()),
    }
}

pub fn wavy_connection(name: &str, upstream: &str) -> Connection {
    Connection {
        name: name.into(),
        provider: Provider::Wavy,
        upstream: Upstream::parse(upstream).unwrap(),
        session: None,
        credentials: Credentials::Wavy {
            user_name: WAVY_USER.into(),
            token: WAVY_TOKEN.into(),
        },
        webhook_secret: Some(WAVY_HOOK_TOKEN.into()),
    }
}

/// An Evolution API connection to instance `instance` (the sandbox has `default`, `sales`).
pub fn evolution_connection(name: &str, upstream: &str, instance: &str) -> Connection {
    Connection {
        name: name.into(),
        provider: Provider::Evolution,
        upstream: Upstream::parse(upstream).unwrap(),
        session: Some(instance.into()),
        credentials: Credentials::Evolution {
            api_key: EVOLUTION_KEY.into(),
        },
        webhook_secret: Some(EVOLUTION_HOOK_TOKEN.into()),
    }
}

/// Adds the admin and the viewer to the store in `dir`.
pub fn add_users(dir: &Path) {
    let store = Store::open(dir).unwrap();
    for (name, role, password) in [
        (ADMIN, Role::Admin, ADMIN_PASSWORD),
        (VIEWER, Role::Viewer, VIEWER_PASSWORD),
    ] {
        store
            .add_user(name, role, &auth::hash_password(password).unwrap(), 0)
            .unwrap();
    }
}

/// Short timeouts, so the failure tests stay bounded.
pub fn test_options() -> Options {
    Options {
        upstream_timeout: Duration::from_millis(800),
        connect_timeout: Duration::from_millis(800),
        ..Options::default()
    }
}

/// A gateway over `connections`, with its data in `dir` (users added by the caller).
pub async fn gateway_in(dir: &Path, connections: Vec<Connection>, options: Options) -> Server {
    let store = Store::open(dir).unwrap();
    serve(app(AppState::new(connections, store, options))).await
}

/// A sandbox, and a gateway with a WAHA connection `default`, a Wavy one `wavy` and an
/// Evolution one `evo` (instance `sales`) in front of it, with the admin and the viewer.
pub struct Setup {
    pub sandbox: Server,
    pub gateway: Server,
    pub dir: tempfile::TempDir,
}

pub async fn setup() -> Setup {
    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    add_users(dir.path());
    let connections = vec![
        waha_connection("default", &sandbox.base),
        wavy_connection("wavy", &sandbox.base),
        evolution_connection("evo", &sandbox.base, "sales"),
    ];
    let gateway = gateway_in(dir.path(), connections, test_options()).await;
    Setup {
        sandbox,
        gateway,
        dir,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The response with its headers, as text, for leak checks.
    pub fn everything(&self) -> String {
        let mut all = format!("{}\n", self.status);
        for (name, value) in &self.headers {
            all.push_str(&format!(
                "{name}: {}\n",
                String::from_utf8_lossy(value.as_bytes())
            ));
        }
        all + &self.text()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }
}

fn http() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new()).build_http()
}

/// One request over real HTTP: `url` is absolute; `headers` as given; bounded in time.
pub async fn call(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Reply {
    let mut builder = Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder.body(Full::new(body.into())).unwrap();
    let response = tokio::time::timeout(Duration::from_secs(20), http().request(request))
        .await
        .expect("the server answers in time")
        .expect("the server answers");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes().to_vec();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

pub async fn get(url: &str, headers: &[(&str, &str)]) -> Reply {
    call(Method::GET, url, headers, Bytes::new()).await
}

/// Signs in; returns the `Cookie` header value for later requests.
/// The headers of a signed-in JSON request: the session cookie and the content type.
pub fn json_as(cookie: &str) -> [(&'static str, &str); 2] {
    [("cookie", cookie), ("content-type", "application/json")]
}

pub async fn login(gateway: &str, user: &str, password: &str) -> String {
    let reply = sign_in(gateway, user, password, &[]).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text());
    cookie_of(&reply)
}

pub async fn sign_in(gateway: &str, user: &str, password: &str, headers: &[(&str, &str)]) -> Reply {
    let body = serde_json::json!({ "user": user, "password": password }).to_string();
    let mut all = vec![("content-type", "application/json")];
    all.extend_from_slice(headers);
    call(
        Method::POST,
        &format!("{gateway}/_gateway/login"),
        &all,
        body,
    )
    .await
}

/// `name=value` of the `Set-Cookie` of `reply`.
pub fn cookie_of(reply: &Reply) -> String {
    let set = reply.header("set-cookie").expect("a session cookie");
    set.split(';').next().unwrap().to_owned()
}

/// The sandbox's count of provider requests received, by `METHOD path`.
pub async fn sandbox_requests(sandbox: &str) -> serde_json::Map<String, Value> {
    let reply = get(&format!("{sandbox}/_sandbox/stats"), &[]).await;
    reply.json()["requests"]
        .as_object()
        .cloned()
        .unwrap_or_default()
}

pub fn total(requests: &serde_json::Map<String, Value>) -> u64 {
    requests.values().map(|v| v.as_u64().unwrap()).sum()
}

/// Asserts that no known secret appears in `text`.
pub fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "a credential leaked: {text}");
    }
}

/// A `wa_groups` transport over real HTTP that carries the session cookie, as the panel's
/// browser would.
#[derive(Clone)]
pub struct CookieTransport {
    pub cookie: String,
}

impl Transport for CookieTransport {
    async fn send(&self, base_url: &str, request: HttpRequest) -> wa_groups::Result<HttpResponse> {
        let url = request.url(base_url);
        let mut headers: Vec<(&str, String)> = request
            .headers
            .iter()
            .map(|(n, v)| (*n, v.clone()))
            .collect();
        headers.push(("cookie", self.cookie.clone()));
        let body = match &request.body {
            Some(body) => {
                headers.push(("content-type", body.content_type().to_owned()));
                Bytes::from(body.as_bytes().to_vec())
            }
            None => Bytes::new(),
        };
        let borrowed: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let method = Method::from_bytes(request.method.as_str().as_bytes()).unwrap();
        let reply = call(method, &url, &borrowed, body).await;
        Ok(HttpResponse {
            status: reply.status.as_u16(),
            headers: reply
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        v.to_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
            body: reply.body,
        })
    }

    async fn sleep(&self, ms: u64) -> wa_groups::Result<()> {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        Ok(())
    }

    fn random(&self) -> f64 {
        0.5
    }

    fn now_ms(&self) -> f64 {
        wa_groups_gateway::now_ms() as f64
    }
}

/// An open `GET /_gateway/events`.
pub struct EventStream {
    body: hyper::body::Incoming,
    buffer: String,
}

pub async fn open_events(gateway: &str, cookie: &str, last_event_id: Option<i64>) -> EventStream {
    let mut builder =
        hyper::Request::get(format!("{gateway}/_gateway/events")).header("cookie", cookie);
    if let Some(id) = last_event_id {
        builder = builder.header("last-event-id", id.to_string());
    }
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http();
    let response = client
        .request(builder.body(Full::new(Bytes::new())).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    EventStream {
        body: response.into_body(),
        buffer: String::new(),
    }
}

impl EventStream {
    /// The next event's id and data (keep-alive comments skipped), within a bound.
    pub async fn next(&mut self) -> (i64, Value) {
        tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                if let Some(end) = self.buffer.find("\n\n") {
                    let block: String = self.buffer.drain(..end + 2).collect();
                    let mut id = None;
                    let mut data = None;
                    for line in block.lines() {
                        if let Some(v) = line.strip_prefix("id:") {
                            id = Some(v.trim().parse().unwrap());
                        } else if let Some(v) = line.strip_prefix("data:") {
                            data = Some(serde_json::from_str::<Value>(v.trim()).unwrap());
                        }
                    }
                    if let (Some(id), Some(data)) = (id, data) {
                        return (id, data);
                    }
                    continue;
                }
                let frame = self
                    .body
                    .frame()
                    .await
                    .expect("the stream stays open")
                    .unwrap();
                if let Ok(data) = frame.into_data() {
                    self.buffer.push_str(&String::from_utf8_lossy(&data));
                }
            }
        })
        .await
        .expect("an event arrives in time")
    }
}
