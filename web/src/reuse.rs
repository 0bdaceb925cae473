//! The panel's transport: `fetch` with a time limit on every request, with reads shared.
//!
//! - Reads of the same URL at the same time share one request: a link starts the read its
//!   page needs when it is pressed ([`warm`]), and the page, rendered after the click,
//!   joins that read instead of sending its own.
//! - A page may read the same resource twice in a moment: the group page reads the group,
//!   then its settings card reads the group again (WAHA keeps the settings in the group).
//!   So a successful read of one resource (a URL without a query; listings are not read
//!   twice) answers one more identical read within [`KEEP_MS`].
//!
//! Any other request (a change) forgets what is kept and stops sharing the reads already
//! under way, when it is sent and again when it is answered, so what a change affects is
//! always read again from the server after it.
//!
//! Through a gateway, every answer is looked at first ([`State::fetch`]): a 401 may mean the
//! session ended (the gateway's `/_gateway/me` says for sure), and the gateway's own 403 is
//! marked so that it is told from a provider's ([`crate::logic::mark_gateway_refusal`]).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use wa_groups::http::{HttpRequest, HttpResponse, Method, Transport};
use wa_groups::transport::FetchTransport;
use wa_groups::{Client, Error, Result};

use crate::logic::{REQUEST_TIMEOUT_MS, mark_gateway_refusal};

/// How long a read's answer may be reused.
const KEEP_MS: f64 = 1_000.0;

/// One read under way; whoever asked for it waits on the same slot.
#[derive(Default)]
struct Slot {
    result: Option<Result<HttpResponse>>,
    wakers: Vec<Waker>,
}

struct State {
    /// Every request has the panel's time limit ([`REQUEST_TIMEOUT_MS`]).
    inner: FetchTransport,
    under_way: RefCell<HashMap<String, Rc<RefCell<Slot>>>>,
    kept: RefCell<Vec<(String, f64, HttpResponse)>>,
    /// Bumped by every change, so an answer to a read sent before it is not kept.
    changes: Cell<u32>,
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
            under_way: RefCell::default(),
            kept: RefCell::default(),
            changes: Cell::default(),
            gateway: false,
        }
    }
}

#[derive(Clone, Default)]
pub struct PanelTransport {
    state: Rc<State>,
    /// Only starts reads and answers at once with [`Error::Aborted`] (see [`warm`]).
    warm_only: bool,
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
/// is handed over, and so decoded, when the browser is idle between frames, so that
/// loading in the background does not make scrolling stutter.
pub fn in_background(client: &Client<PanelTransport>) -> Client<PanelTransport> {
    client.with_transport(PanelTransport {
        state: client.transport().state.clone(),
        warm_only: false,
        background: true,
    })
}

/// Resolves in the browser's next idle period (or after `IDLE_WAIT_MS` at the latest).
async fn idle() {
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

/// Starts, without waiting for it or decoding it, the read `op` makes with the panel's
/// client: a page about to be shown finds its data on the way.
pub fn warm<T: 'static>(
    client: &Client<PanelTransport>,
    op: impl AsyncFnOnce(&Client<PanelTransport>) -> Result<T> + 'static,
) {
    let warm = client.with_transport(PanelTransport {
        state: client.transport().state.clone(),
        warm_only: true,
        background: false,
    });
    leptos::task::spawn_local(async move {
        let _ = op(&warm).await;
    });
}

/// Waits for a shared read; the last one waiting takes the answer without a copy.
struct Wait(Option<Rc<RefCell<Slot>>>);

impl Future for Wait {
    type Output = Result<HttpResponse>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let slot = self.0.as_ref().expect("polled after completion");
        if slot.borrow().result.is_none() {
            slot.borrow_mut().wakers.push(cx.waker().clone());
            return Poll::Pending;
        }
        let slot = self.0.take().expect("checked above");
        Poll::Ready(match Rc::try_unwrap(slot) {
            Ok(only) => only.into_inner().result.expect("checked above"),
            Err(shared) => shared.borrow().result.clone().expect("checked above"),
        })
    }
}

impl PanelTransport {
    /// Joins the read of `url` under way, or starts it.
    fn read(&self, base_url: &str, url: String, request: HttpRequest) -> Wait {
        if let Some(slot) = self.state.under_way.borrow().get(&url) {
            return Wait(Some(slot.clone()));
        }
        let slot = Rc::new(RefCell::new(Slot::default()));
        self.state
            .under_way
            .borrow_mut()
            .insert(url.clone(), slot.clone());
        let state = self.state.clone();
        let base_url = base_url.to_owned();
        let waiting = slot.clone();
        // Sent by a task of its own, so no reader going away can cancel it for the others.
        leptos::task::spawn_local(async move {
            let changes = state.changes.get();
            let one_resource = request.query.is_empty();
            let result = state.fetch(&base_url, request).await;
            let mut under_way = state.under_way.borrow_mut();
            if under_way.get(&url).is_some_and(|s| Rc::ptr_eq(s, &slot)) {
                under_way.remove(&url);
            }
            drop(under_way);
            if let Ok(response) = &result
                && one_resource
                && response.is_success()
                && state.changes.get() == changes
            {
                let now = state.inner.now_ms();
                state.kept.borrow_mut().push((url, now, response.clone()));
            }
            let wakers = {
                let mut slot = slot.borrow_mut();
                slot.result = Some(result);
                std::mem::take(&mut slot.wakers)
            };
            drop(slot);
            wakers.into_iter().for_each(Waker::wake);
        });
        Wait(Some(waiting))
    }
}

impl Transport for PanelTransport {
    async fn send(&self, base_url: &str, request: HttpRequest) -> Result<HttpResponse> {
        let state = &self.state;
        if request.method != Method::Get {
            if self.warm_only {
                return Err(Error::Aborted);
            }
            let forget = || {
                state.changes.set(state.changes.get().wrapping_add(1));
                state.kept.borrow_mut().clear();
                state.under_way.borrow_mut().clear();
            };
            forget();
            let result = state.fetch(base_url, request).await;
            // Again once it is done: a read answered while the change was under way may
            // predate it, and must answer no read that follows the change.
            forget();
            return result;
        }
        let url = request.url(base_url);
        {
            let now = self.now_ms();
            let mut kept = state.kept.borrow_mut();
            kept.retain(|(_, at, _)| now - at < KEEP_MS);
            if let Some(i) = kept.iter().position(|(u, _, _)| *u == url) {
                if self.warm_only {
                    return Err(Error::Aborted);
                }
                return Ok(kept.swap_remove(i).2);
            }
        }
        let wait = self.read(base_url, url, request);
        if self.warm_only {
            return Err(Error::Aborted);
        }
        let response = wait.await;
        if self.background {
            idle().await;
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
