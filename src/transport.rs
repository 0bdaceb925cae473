//! The fetch transport: sends [`HttpRequest`]s with the global `fetch`, so it works in a
//! window, a worker and Node ≥ 20 alike (no `window` needed).

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue, prelude::wasm_bindgen};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

use crate::error::{Error, ErrorCode, Result};
use crate::http::{Body, HttpRequest, HttpResponse, Transport};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` of whatever scope we run in.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &RequestInit) -> std::result::Result<Promise, JsValue>;

    /// The global `setTimeout` (a number in browsers, an object in Node: kept opaque).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: f64) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// The longest delay a JS timer keeps: `setTimeout` fires at once for anything longer
/// (2^31 − 1 ms, about 24.8 days). Longer timeouts are cut to it; longer waits are slept
/// in steps of it.
pub const MAX_TIMER_MS: u32 = 2_147_483_647;

/// The response headers [`FetchTransport`] copies into [`HttpResponse::headers`]: the ones
/// the core reads (`Retry-After`, and `Date` to read an HTTP-date `Retry-After` against).
pub const KEPT_HEADERS: [&str; 3] = ["retry-after", "date", "content-type"];

/// Sends requests with the global `fetch`, each bounded by an optional timeout that also
/// covers a body that stalls after the headers.
///
/// Redirects are never followed — fetch would take the credentials (and, on 307/308, the
/// body) to whatever host `Location` names, and neither provider redirects. A 3xx fails
/// with [`ErrorCode::Server`], its status and a message naming the redirect; in a browser,
/// which hides a redirect from the page, the status is 0.
///
/// Written on `fetch` itself rather than on `gloo-net` (which the design once named): the
/// same transport built on `gloo-net` 0.6 made the core's `.wasm` 6.1 KB larger (1.9 KB
/// brotli; 701,401 against 695,317 bytes after `wasm-opt -Oz`), builds a `Request` object
/// per call where a URL and an init do, and reports failures as formatted strings where
/// the timeout, abort and network cases need telling apart.
#[derive(Debug, Clone, Default)]
pub struct FetchTransport {
    /// Abort a request (and its body) after this many milliseconds (at most
    /// [`MAX_TIMER_MS`]; a longer one is cut to it).
    pub timeout_ms: Option<u32>,
    /// The caller's signal: aborting it cancels the request and any pending backoff.
    pub signal: Option<web_sys::AbortSignal>,
}

impl FetchTransport {
    /// A transport whose requests time out after `timeout_ms` (none when `None`).
    ///
    /// ```no_run
    /// # #[cfg(target_arch = "wasm32")]
    /// # async fn example() -> wa_groups::Result<()> {
    /// use wa_groups::{Client, provider::waha::Waha, transport::FetchTransport};
    /// let waha = Waha::new("default", "sandbox")?;
    /// let client = Client::new(waha, FetchTransport::with_timeout(Some(10_000)), "http://127.0.0.1:3000")?;
    /// let n = client.count_groups().await?;
    /// # Ok(()) }
    /// ```
    pub fn with_timeout(timeout_ms: Option<u32>) -> FetchTransport {
        FetchTransport {
            timeout_ms,
            signal: None,
        }
    }

    fn aborted(&self) -> bool {
        self.signal
            .as_ref()
            .is_some_and(web_sys::AbortSignal::aborted)
    }

    /// One timer's wait (at most [`MAX_TIMER_MS`]), ended early by an abort. Whichever comes
    /// first, the other is undone when this returns: the timer cleared, the listener removed.
    async fn wait(&self, ms: u64) -> Result<()> {
        if self.aborted() {
            return Err(Error::Aborted);
        }
        let mut timer = None;
        let mut on_abort = None;
        let promise = Promise::new(&mut |resolve, reject| {
            timer = Some(Timer(set_timeout(&resolve, ms as f64)));
            on_abort = self.signal.as_ref().map(|signal| {
                OnAbort::new(signal, move || {
                    let _ = reject.call0(&JsValue::UNDEFINED);
                })
            });
        });
        let result = JsFuture::from(promise).await;
        drop((timer, on_abort));
        if result.is_err() || self.aborted() {
            return Err(Error::Aborted);
        }
        Ok(())
    }
}

/// Aborts a request when its time is up, and cancels that when dropped.
struct Deadline {
    handle: JsValue,
    fired: std::rc::Rc<std::cell::Cell<bool>>,
    _on_timeout: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl Deadline {
    fn start(ms: u32, controller: &web_sys::AbortController) -> Deadline {
        let fired = std::rc::Rc::new(std::cell::Cell::new(false));
        let (flag, controller) = (fired.clone(), controller.clone());
        let on_timeout = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            flag.set(true);
            controller.abort();
        });
        let handle = set_timeout(
            on_timeout.as_ref().unchecked_ref(),
            f64::from(ms.min(MAX_TIMER_MS)),
        );
        Deadline {
            handle,
            fired,
            _on_timeout: on_timeout,
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        clear_timeout(&self.handle);
    }
}

/// Runs `on_abort` when `signal` aborts (at once when it already has), until dropped.
///
/// How the caller's signal reaches a request that has its own timeout: it aborts the
/// request's controller. (`AbortSignal.any` would do, but needs Node ≥ 20.3 and Chromium
/// 116; a listener works everywhere.) Dropping removes the listener, so a signal shared by
/// many calls does not collect one per call.
struct OnAbort {
    signal: web_sys::AbortSignal,
    listener: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl OnAbort {
    fn new(signal: &web_sys::AbortSignal, on_abort: impl FnOnce() + 'static) -> OnAbort {
        let mut on_abort = Some(on_abort);
        let listener = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = on_abort.take() {
                f();
            }
        });
        if signal.aborted() {
            let _ = listener
                .as_ref()
                .unchecked_ref::<js_sys::Function>()
                .call0(&JsValue::NULL);
        } else {
            let _ =
                signal.add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
        }
        OnAbort {
            signal: signal.clone(),
            listener,
        }
    }
}

impl Drop for OnAbort {
    fn drop(&mut self) {
        let _ = self
            .signal
            .remove_event_listener_with_callback("abort", self.listener.as_ref().unchecked_ref());
    }
}

/// A pending `setTimeout`, cleared when dropped: a wait cut short by an abort must not leave
/// its timer behind (in Node a pending timer keeps the process alive until it fires).
struct Timer(JsValue);

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.0);
    }
}

/// The message of a JS exception or rejection, for an error.
pub(crate) fn js_message(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

impl FetchTransport {
    /// The `fetch` init of a request (a URL and an init, not a `Request` object: one object
    /// fewer per call).
    fn build(request: &HttpRequest, signal: Option<&web_sys::AbortSignal>) -> Result<RequestInit> {
        let headers = Headers::new().map_err(|e| Error::Network(js_message(&e)))?;
        for (name, value) in &request.headers {
            headers
                .set(name, value)
                .map_err(|e| Error::invalid(*name, js_message(&e)))?;
        }
        let init = RequestInit::new();
        init.set_method(request.method.as_str());
        // Never follow a redirect: fetch would send the credentials (X-Api-Key, Wavy's
        // userName and authenticationToken) and, on 307/308, the body to wherever `Location`
        // points. Neither provider redirects; a 3xx becomes an error in `send`.
        let _ = js_sys::Reflect::set(&init, &"redirect".into(), &"manual".into());
        if let Some(body) = &request.body {
            headers
                .set("Content-Type", body.content_type())
                .map_err(|e| Error::invalid("mimeType", js_message(&e)))?;
            match body {
                Body::Json(text) => init.set_body(&JsValue::from_str(text)),
                Body::Bytes { data, .. } => init.set_body(&Uint8Array::from(data.as_slice())),
            }
        }
        init.set_headers(&headers);
        if let Some(signal) = signal {
            init.set_signal(Some(signal));
        }
        Ok(init)
    }

    /// The error for a redirect, which is never followed (see [`FetchTransport`]): a 3xx
    /// (Node shows it as it is), or a browser's opaque redirect (status 0, its status and
    /// `Location` hidden).
    fn redirect_error(response: &Response) -> Option<Error> {
        let status = response.status();
        let opaque = js_sys::Reflect::get(response, &"type".into())
            .ok()
            .and_then(|t| t.as_string())
            .is_some_and(|t| t == "opaqueredirect");
        if !opaque && !(300..400).contains(&status) {
            return None;
        }
        let to = response
            .headers()
            .get("location")
            .ok()
            .flatten()
            .map(|l| format!(" to {l}"))
            .unwrap_or_default();
        Some(Error::Status {
            code: ErrorCode::Server,
            status,
            message: format!(
                "the server redirected{to}; redirects are not followed, so the credentials \
                 never leave the base URL's host (use the final URL as the base URL)"
            ),
            retry_after_ms: None,
        })
    }

    /// The response headers the providers read ([`KEPT_HEADERS`]); copying every header
    /// into wasm cost a dozen crossings per call for nothing.
    fn read_headers(response: &Response) -> Vec<(String, String)> {
        let headers = response.headers();
        KEPT_HEADERS
            .iter()
            .filter_map(|name| Some(((*name).to_owned(), headers.get(name).ok()??)))
            .collect()
    }
}

impl Transport for FetchTransport {
    async fn send(&self, base_url: &str, request: HttpRequest) -> Result<HttpResponse> {
        if self.aborted() {
            return Err(Error::Aborted);
        }
        let controller = match self.timeout_ms {
            Some(_) => {
                Some(web_sys::AbortController::new().map_err(|e| Error::Network(js_message(&e)))?)
            }
            None => None,
        };
        let deadline = self
            .timeout_ms
            .zip(controller.as_ref())
            .map(|(ms, c)| Deadline::start(ms, c));
        // With a timeout, the caller's signal aborts our controller; without one, it goes
        // to fetch as it is.
        let _forward = controller
            .as_ref()
            .zip(self.signal.as_ref())
            .map(|(ours, theirs)| {
                let ours = ours.clone();
                OnAbort::new(theirs, move || ours.abort())
            });
        let signal = match &controller {
            Some(ours) => Some(ours.signal()),
            None => self.signal.clone(),
        };
        let failed = |stage: &str, e: JsValue| {
            if self.aborted() {
                return Error::Aborted;
            }
            match (&deadline, self.timeout_ms) {
                (Some(d), Some(ms)) if d.fired.get() => Error::Timeout(ms),
                _ => Error::Network(format!("{stage}{}", js_message(&e))),
            }
        };
        let init = Self::build(&request, signal.as_ref())?;
        let promise = global_fetch(&request.url(base_url), &init).map_err(|e| failed("", e))?;
        let response: Response = JsFuture::from(promise)
            .await
            .map_err(|e| failed("", e))?
            .unchecked_into();
        let status = response.status();
        if let Some(error) = Self::redirect_error(&response) {
            return Err(error);
        }
        let headers = Self::read_headers(&response);
        let buffer = response.array_buffer().map_err(|e| failed("", e))?;
        let buffer = JsFuture::from(buffer)
            .await
            .map_err(|e| failed("reading the body: ", e))?;
        drop(deadline);
        Ok(HttpResponse {
            status,
            headers,
            body: Uint8Array::new(&buffer).to_vec(),
        })
    }

    async fn sleep(&self, ms: u64) -> Result<()> {
        // A JS timer fires at once beyond MAX_TIMER_MS: a longer wait goes in steps.
        let mut left = ms;
        loop {
            let step = left.min(u64::from(MAX_TIMER_MS));
            self.wait(step).await?;
            left -= step;
            if left == 0 {
                return Ok(());
            }
        }
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }
}

impl crate::Client<FetchTransport> {
    /// A client for a WAHA server at `base_url`, using `session` and the `X-Api-Key` `api_key`.
    ///
    /// ```no_run
    /// # #[cfg(target_arch = "wasm32")]
    /// # fn example() -> wa_groups::Result<()> {
    /// let client = wa_groups::Client::waha("http://127.0.0.1:3000", "sandbox", "default")?;
    /// # Ok(()) }
    /// ```
    pub fn waha(base_url: &str, api_key: &str, session: &str) -> Result<Self> {
        crate::Client::new(
            crate::provider::waha::Waha::new(session, api_key)?,
            FetchTransport::default(),
            base_url,
        )
    }

    /// A client for the Wavy Messaging API at `base_url` (see
    /// [`crate::provider::wavy::DEFAULT_BASE_URL`]).
    ///
    /// ```no_run
    /// # #[cfg(target_arch = "wasm32")]
    /// # fn example() -> wa_groups::Result<()> {
    /// use wa_groups::provider::wavy::DEFAULT_BASE_URL;
    /// let client = wa_groups::Client::wavy(DEFAULT_BASE_URL, "user@example.com", "token")?;
    /// # Ok(()) }
    /// ```
    pub fn wavy(base_url: &str, user_name: &str, authentication_token: &str) -> Result<Self> {
        crate::Client::new(
            crate::provider::wavy::Wavy::new(user_name, authentication_token)?,
            FetchTransport::default(),
            base_url,
        )
    }

    /// A client for the Evolution API v2 instance `instance` at `base_url`, authenticating
    /// with `api_key` (the server's global key or the instance's token).
    ///
    /// ```no_run
    /// # #[cfg(target_arch = "wasm32")]
    /// # fn example() -> wa_groups::Result<()> {
    /// let client = wa_groups::Client::evolution("http://127.0.0.1:8080", "api-key", "sales")?;
    /// # Ok(()) }
    /// ```
    pub fn evolution(base_url: &str, api_key: &str, instance: &str) -> Result<Self> {
        crate::Client::new(
            crate::provider::evolution::Evolution::new(instance, api_key)?,
            FetchTransport::default(),
            base_url,
        )
    }
}
