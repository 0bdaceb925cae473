//! Talking to the gateway that served the panel (issue 13): finding out whether there is
//! one, signing in and out, the live event stream (`EventSource`, which resends
//! `Last-Event-ID` itself when it reconnects), the event history and the audit. A session
//! that ends (a 401 from the gateway, confirmed by `/_gateway/me`) brings the person back to
//! the sign-in form.
//!
//! Everything here goes to the page's own origin; the gateway keeps the provider keys, so
//! nothing secret is ever asked for or kept in the browser.

use std::cell::RefCell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wa_groups::http::{HttpRequest, HttpResponse, Method, Transport};
use wa_groups::transport::FetchTransport;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::activity::{AuditRow, LiveEvent, Me, merge, sign_in_refusal};
use crate::context::{self, LiveState, Mode};
use crate::logic::REQUEST_TIMEOUT_MS;
use crate::storage;

/// The most events the panel keeps in memory.
const KEPT_EVENTS: usize = 1000;
/// How long to wait before opening a stream again when the browser gave up on one.
const REOPEN_MS: u64 = 3000;

/// The page's origin (`http://host:port`), where the gateway answers.
pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

async fn call(request: HttpRequest) -> wa_groups::Result<HttpResponse> {
    // The sign-in and `/me` answer 401 as part of what they say; any other 401 is checked.
    let checked = !matches!(request.path.as_str(), "/_gateway/me" | "/_gateway/login");
    let response = FetchTransport::with_timeout(Some(REQUEST_TIMEOUT_MS))
        .send(&origin(), request)
        .await?;
    if checked && response.status == 401 {
        check_session();
    }
    Ok(response)
}

fn json(response: &HttpResponse) -> Option<Value> {
    serde_json::from_slice(&response.body).ok()
}

/// What `GET /_gateway/me` says about the page's origin.
pub enum Probe {
    SignedIn(Me),
    SignedOut,
    /// Not a gateway (the sandbox, a static server): the direct mode.
    NoGateway,
}

/// A gateway answers `/_gateway/me` with JSON: 200 and the user, or 401. Anything else
/// (404, a page, no answer) means no gateway.
pub async fn probe() -> Probe {
    let Ok(response) = call(HttpRequest::new(Method::Get, "/_gateway/me")).await else {
        return Probe::NoGateway;
    };
    let body = json(&response);
    match (response.status, body) {
        (200, Some(body)) => Me::from_json(&body).map_or(Probe::NoGateway, Probe::SignedIn),
        (401, Some(body)) if body.get("error").is_some() => Probe::SignedOut,
        _ => Probe::NoGateway,
    }
}

/// Finds out the mode once, at start; in gateway mode also who is signed in.
pub fn start() {
    spawn_local(async {
        match probe().await {
            Probe::NoGateway => context::mode().set(Mode::Direct),
            probe => {
                if let Probe::SignedIn(me) = probe {
                    signed_in(me);
                }
                context::mode().set(Mode::Gateway);
            }
        }
    });
}

fn signed_in(me: Me) {
    context::notice().set(None);
    context::me().set(Some(me));
    start_live();
}

/// `POST /_gateway/login`; on success the user is signed in. The error is a sentence.
pub async fn sign_in(user: String, password: String) -> Result<(), String> {
    let request = HttpRequest::new(Method::Post, "/_gateway/login")
        .json(&serde_json::json!({ "user": user, "password": password }));
    let response = call(request)
        .await
        .map_err(|_| "Could not reach the gateway: check that it is running.".to_owned())?;
    if response.status != 204 && response.status != 200 {
        return Err(sign_in_refusal(
            response.status,
            response.header("retry-after"),
        ));
    }
    match probe().await {
        Probe::SignedIn(me) => {
            signed_in(me);
            Ok(())
        }
        _ => Err("Signed in, but the gateway did not keep the session: are cookies allowed for this site?".into()),
    }
}

/// Forgets the signed-in state in the panel (the stream, the connection, the user).
fn forget_session(notice: Option<String>) {
    stop_live();
    storage::sign_out();
    context::use_connection().set(None);
    context::me().set(None);
    context::events().set(Vec::new());
    context::notice().set(notice);
}

/// `POST /_gateway/logout` (the session ends on the server), then the sign-in form.
pub async fn sign_out() {
    let _ = call(HttpRequest::new(Method::Post, "/_gateway/logout")).await;
    forget_session(None);
}

/// The session ended on the server (expired, revoked): back to the sign-in form, saying so.
pub fn session_ended() {
    if context::me().with_untracked(Option::is_some) {
        forget_session(Some(
            "Your session has ended. Sign in again to continue.".into(),
        ));
    }
}

/// A 401 met by a request to the gateway may mean that the session ended, or be a
/// provider's own 401 passed through: `/_gateway/me` says which, and only its 401 signs the
/// person out. Called by the panel's transport ([`crate::reuse`]) and by [`call`].
pub fn check_session() {
    if context::me().with_untracked(Option::is_some) {
        spawn_local(async {
            if let Probe::SignedOut = probe().await {
                session_ended();
            }
        });
    }
}

// ---- the live stream

struct Stream {
    source: web_sys::EventSource,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut()>,
}

thread_local! {
    static STREAM: RefCell<Option<Stream>> = const { RefCell::new(None) };
}

/// Opens `GET /_gateway/events` unless it is open; new events join [`context::events`].
pub fn start_live() {
    if STREAM.with(|s| s.borrow().is_some()) {
        return;
    }
    let live = context::live();
    let Ok(source) = web_sys::EventSource::new("/_gateway/events") else {
        live.set(LiveState::Reconnecting);
        return;
    };
    live.set(LiveState::Connecting);
    let on_open = Closure::<dyn FnMut()>::new(move || {
        live.set(LiveState::Live);
        // What happened while no stream was open (or before this one) comes from the
        // history; ids keep each event once.
        spawn_local(async {
            let _ = load_history(context::gateway_connection_untracked(), None).await;
        });
    });
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |message: web_sys::MessageEvent| {
            let event = message
                .data()
                .as_string()
                .and_then(|text| serde_json::from_str::<Value>(&text).ok())
                .and_then(|value| LiveEvent::from_json(&value));
            if let Some(event) = event {
                // What the event changed is read again, not taken from the cache.
                context::use_connection().with_untracked(|c| {
                    if let Some(c) = c {
                        crate::reuse::forget_for(&c.client, &event.kind, event.group_id.as_deref());
                    }
                });
                context::events().update(|events| merge(events, [event], KEPT_EVENTS));
            }
        });
    let on_error = Closure::<dyn FnMut()>::new(move || {
        live.set(LiveState::Reconnecting);
        let closed = STREAM.with(|s| {
            s.borrow()
                .as_ref()
                .is_none_or(|s| s.source.ready_state() == web_sys::EventSource::CLOSED)
        });
        if closed {
            // The browser gave up (the gateway answered an error, not a stream): find out
            // why, then open a new stream, or go back to signing in.
            spawn_local(async {
                stop_live();
                context::live().set(LiveState::Reconnecting);
                let _ = FetchTransport::default().sleep(REOPEN_MS).await;
                match probe().await {
                    Probe::SignedOut => session_ended(),
                    _ if context::me().with_untracked(Option::is_some) => start_live(),
                    _ => {}
                }
            });
        }
    });
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    STREAM.with(|s| {
        *s.borrow_mut() = Some(Stream {
            source,
            _on_open: on_open,
            _on_message: on_message,
            _on_error: on_error,
        })
    });
}

/// Closes the stream (signing out).
pub fn stop_live() {
    if let Some(stream) = STREAM.with(|s| s.borrow_mut().take()) {
        stream.source.set_onopen(None);
        stream.source.set_onmessage(None);
        stream.source.set_onerror(None);
        stream.source.close();
    }
    context::live().set(LiveState::Off);
}

fn failure(response: &HttpResponse) -> String {
    let said = json(response)
        .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default();
    match response.status {
        403 => format!("The gateway refused: {said}."),
        _ => format!(
            "The gateway answered HTTP {}{}",
            response.status,
            if said.is_empty() {
                ".".to_owned()
            } else {
                format!(": {said}.")
            }
        ),
    }
}

const UNREACHABLE: &str = "Could not reach the gateway: check that it is running.";

/// `GET /_gateway/events/history` for a connection (and a group), merged into
/// [`context::events`].
pub async fn load_history(
    connection: Option<String>,
    group_id: Option<String>,
) -> Result<(), String> {
    let mut request = HttpRequest::new(Method::Get, "/_gateway/events/history");
    if let Some(connection) = connection {
        request = request.query("connection", connection);
    }
    if let Some(group_id) = group_id {
        request = request.query("groupId", group_id);
    }
    let response = call(request.query("limit", "200"))
        .await
        .map_err(|_| UNREACHABLE.to_owned())?;
    if !response.is_success() {
        return Err(failure(&response));
    }
    let found: Vec<LiveEvent> = json(&response)
        .and_then(|v| {
            v.as_array()
                .map(|list| list.iter().filter_map(LiveEvent::from_json).collect())
        })
        .unwrap_or_default();
    context::events().update(|events| merge(events, found, KEPT_EVENTS));
    Ok(())
}

/// `GET /_gateway/audit` (admins), newest first, for one group when `group_id` is given.
pub async fn audit(group_id: Option<String>) -> Result<Vec<AuditRow>, String> {
    let mut request = HttpRequest::new(Method::Get, "/_gateway/audit").query("limit", "200");
    if let Some(group_id) = group_id {
        request = request.query("groupId", group_id);
    }
    let response = call(request).await.map_err(|_| UNREACHABLE.to_owned())?;
    if !response.is_success() {
        return Err(failure(&response));
    }
    Ok(json(&response)
        .and_then(|v| {
            v.as_array()
                .map(|list| list.iter().filter_map(AuditRow::from_json).collect())
        })
        .unwrap_or_default())
}

/// A millisecond time as the person's browser writes a local date and time.
pub fn local_time_ms(ms: f64) -> String {
    let language = window()
        .navigator()
        .language()
        .unwrap_or_else(|| "en".to_owned());
    js_sys::Date::new(&ms.into())
        .to_locale_string(&language, &JsValue::UNDEFINED)
        .into()
}

/// The same time for machines (`<time datetime=…>`).
pub fn iso_time_ms(ms: f64) -> String {
    js_sys::Date::new(&ms.into()).to_iso_string().into()
}
