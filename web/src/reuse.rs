//! The panel's transport and its use of the core's metadata cache ([`wa_groups::cache`]).
//!
//! - Every request has the panel's time limit ([`REQUEST_TIMEOUT_MS`]).
//! - Through a gateway, every answer is looked at first ([`State::fetch`]): a 401 may mean
//!   the session ended (the gateway's `/_gateway/me` says for sure), and the gateway's own
//!   403 is marked so that it is told from a provider's ([`crate::logic::mark_gateway_refusal`]).
//! - Reads are shared and reused by the client's cache ([`cache_policy`]): a link starts the
//!   read its page needs when it is pressed ([`warm`]), and the page, rendered after the
//!   click, joins that read or finds its answer; the group page's settings card reads the
//!   group the page just read (WAHA keeps the settings in the group) from the cache; coming
//!   back to a group or to the list within [`CACHE_TTL_MS`] sends nothing. Every change the
//!   panel makes forgets what it changes (the core does it), and a live event about a group
//!   forgets that group ([`forget_for`]).

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;

use wa_groups::cache::CachePolicy;
use wa_groups::http::{HttpRequest, HttpResponse, Transport};
use wa_groups::transport::FetchTransport;
use wa_groups::{Client, Result};

use crate::logic::{REQUEST_TIMEOUT_MS, mark_gateway_refusal};

/// How long the panel reuses a read's answer. Long enough to go back and forth between the
/// list and a few groups without a request; short enough that a change made elsewhere
/// (another admin, a phone) shows soon. A change made in the panel shows at once.
pub const CACHE_TTL_MS: u64 = 30_000;

/// The `localStorage` key that turns the cache off for this browser (`"off"`): only the
/// request-count measurement uses it (`tests/e2e/cache.test.mjs`).
const CACHE_SWITCH: &str = "wa-groups.cache";

/// The panel's cache policy: [`CACHE_TTL_MS`], unless switched off for a measurement.
pub fn cache_policy() -> Option<CachePolicy> {
    let off = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(CACHE_SWITCH).ok().flatten())
        .is_some_and(|v| v == "off");
    (!off).then_some(CachePolicy {
        ttl_ms: CACHE_TTL_MS,
    })
}

struct State {
    /// Every request has the panel's time limit ([`REQUEST_TIMEOUT_MS`]).
    inner: FetchTransport,
    /// Whether the requests go through the gateway that served the panel.
    gateway: bool,
}

impl State {
    /// Sends `request`; through a gateway, looks at the answer first (see the module's doc).
    async fn fetch(&self, base_url: &str, request: HttpRequest) -> Result<HttpResponse> {
        let mut result = self.inner.send(base_url, request).await;
        if let (true, Ok(response)) = (self.gateway, &mut result) {
            if response.status == 401 {
                // A provider's own 401 passes through the gateway too (a wrong key in its
                // configuration): only the gateway can say whether the session ended.
                crate::gateway::check_session();
            } else if let Some(body) = mark_gateway_refusal(response.status, &response.body) {
                response.body = body;
            }
        }
        result
    }
}

impl Default for State {
    fn default() -> State {
        State {
            inner: FetchTransport::with_timeout(Some(REQUEST_TIMEOUT_MS)),
            gateway: false,
        }
    }
}

#[derive(Clone, Default)]
pub struct PanelTransport {
    state: Rc<State>,
    /// Hands each answer over in the browser's idle time (see [`in_background`]).
    background: bool,
}

impl PanelTransport {
    /// The transport of a connection through the gateway that served the panel.
    pub fn through_gateway() -> PanelTransport {
        PanelTransport {
            state: Rc::new(State {
                gateway: true,
                ..State::default()
            }),
            ..PanelTransport::default()
        }
    }
}

/// The panel's client for reads nobody waits for (the rest of a long listing): each answer
/// is handed over, and so decoded, when the browser is idle between frames, at most one a
/// frame and not while the page scrolls ([`one_idle_frame`]), so that loading in the
/// background does not make scrolling stutter.
pub fn in_background(client: &Client<PanelTransport>) -> Client<PanelTransport> {
    client.with_transport(PanelTransport {
        state: client.transport().state.clone(),
        background: true,
    })
}

/// Resolves in the browser's next idle period (or after `IDLE_WAIT_MS` at the latest).
pub(crate) async fn idle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let options = web_sys::IdleRequestOptions::new();
        options.set_timeout(IDLE_WAIT_MS);
        let asked = web_sys::window().map(|w| {
            w.request_idle_callback_with_options(&resolve, &options)
                .is_ok()
        });
        if asked != Some(true) {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The longest a background answer waits for an idle period.
const IDLE_WAIT_MS: u32 = 500;

/// One frame at 60 Hz, in ms.
const FRAME_MS: f64 = 1000.0 / 60.0;

/// How long after the page last scrolled a background answer waits to be handed over.
pub(crate) const QUIET_MS: f64 = 150.0;

/// The longest scrolling holds a background answer back: one that keeps scrolling still
/// sees the account load, a chunk at least every this often.
pub(crate) const MAX_HOLD_MS: f64 = 500.0;

thread_local! {
    /// When the last background answer was handed over (`Date.now()`, ms).
    static LAST_HANDOVER: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
    /// When the page (or anything in it) last scrolled, once [`watch_scrolling`] runs.
    static LAST_SCROLL: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
    static WATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Notes every scroll of the page or of an element in it (a capturing listener on the
/// window, for the page's life), for [`one_idle_frame`].
fn watch_scrolling() {
    if WATCHING.replace(true) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_scroll =
        wasm_bindgen::closure::Closure::<dyn FnMut()>::new(|| LAST_SCROLL.set(js_sys::Date::now()));
    let _ = window.add_event_listener_with_callback_and_bool(
        "scroll",
        on_scroll.as_ref().unchecked_ref(),
        true,
    );
    on_scroll.forget();
}

/// Resolves when a background answer may be handed over (and so decoded): in an idle
/// period, at least a frame after the last one, and once the page has not scrolled for
/// [`QUIET_MS`] (for at most [`MAX_HOLD_MS`]).
///
/// Decoding a 250-group chunk costs the main thread about 2-4 ms. A fast server (the
/// sandbox, a provider on the same network) answers one in a few ms, so without this two
/// or three landed in one idle period, and while the list scrolled a frame carried 5-9 ms
/// of script; a person scrolling the first page now meets none of it.
pub(crate) async fn one_idle_frame() {
    watch_scrolling();
    let asked = js_sys::Date::now();
    loop {
        idle().await;
        let now = js_sys::Date::now();
        let quiet = now - LAST_SCROLL.get() >= QUIET_MS || now - asked >= MAX_HOLD_MS;
        if quiet && now - LAST_HANDOVER.get() >= FRAME_MS {
            LAST_HANDOVER.set(now);
            return;
        }
    }
}

/// Prefetches: runs the read `op` with the panel's client without waiting for it, so that
/// its answer fills the cache and a page about to be shown finds its data on the way (it
/// joins the read under way, or finds the answer). Without a cache it does nothing: the
/// page would only read again.
pub fn warm<T: 'static>(
    client: &Client<PanelTransport>,
    op: impl AsyncFnOnce(&Client<PanelTransport>) -> Result<T> + 'static,
) {
    if client.cache().is_none() {
        return;
    }
    let client = client.with_transport(client.transport().clone());
    leptos::task::spawn_local(async move {
        let _ = op(&client).await;
    });
}

/// Forgets what the cache holds of the group a live event is about (all of it when the
/// event names no group). Messages change nothing the panel reads.
pub fn forget_for(client: &Client<PanelTransport>, kind: &str, group_id: Option<&str>) {
    let Some(cache) = client.cache() else {
        return;
    };
    if matches!(kind, "groupMessage" | "directMessage") {
        return;
    }
    match group_id.and_then(|id| wa_groups::model::GroupId::new("groupId", id).ok()) {
        Some(id) => cache.forget_group(&id),
        None => cache.forget_all(),
    }
}

impl Transport for PanelTransport {
    async fn send(&self, base_url: &str, request: HttpRequest) -> Result<HttpResponse> {
        let response = self.state.fetch(base_url, request).await;
        if self.background {
            one_idle_frame().await;
        }
        response
    }

    async fn sleep(&self, ms: u64) -> Result<()> {
        self.state.inner.sleep(ms).await
    }

    fn random(&self) -> f64 {
        self.state.inner.random()
    }

    fn now_ms(&self) -> f64 {
        self.state.inner.now_ms()
    }
}
