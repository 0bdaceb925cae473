//! The fetch transport: sends [`HttpRequest`]s with the global `fetch`, so it works in a
//! window, a worker and Node ≥ 20 alike (no `window` needed).

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue, prelude::wasm_bindgen};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

use crate::error::{Error, Result};
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

    /// `AbortSignal.any` (Chromium 116+, Node 20.3+): aborts when any of them does.
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = any)]
    fn abort_signal_any(signals: &js_sys::Array) -> web_sys::AbortSignal;
}

/// The response headers [`FetchTransport`] copies into [`HttpResponse::headers`]: the ones
/// the core reads (`Retry-After`, and `Date` to read an HTTP-date `Retry-After` against).
pub const KEPT_HEADERS: [&str; 3] = ["retry-after", "date", "content-type"];

/// Sends requests with the global `fetch`, each bounded by an optional timeout that also
/// covers a body that stalls after the headers.
#[derive(Debug, Clone, Default)]
pub struct FetchTransport {
    /// Abort a request (and its body) after this many milliseconds.
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
        let handle = set_timeout(on_timeout.as_ref().unchecked_ref(), f64::from(ms));
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
        let signal = match (controller.as_ref().map(|c| c.signal()), &self.signal) {
            (Some(ours), Some(theirs)) => {
                Some(abort_signal_any(&js_sys::Array::of2(&ours, theirs)))
            }
            (ours, theirs) => ours.or_else(|| theirs.clone()),
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
        if self.aborted() {
            return Err(Error::Aborted);
        }
        let signal = self.signal.clone();
        let mut on_abort = None;
        let promise = Promise::new(&mut |resolve, reject| {
            set_timeout(&resolve, ms as f64);
            if let Some(signal) = &signal {
                // Reject at once when the caller aborts during the wait.
                let reject = reject.clone();
                let closure = wasm_bindgen::closure::Closure::once(move || {
                    let _ = reject.call0(&JsValue::UNDEFINED);
                });
                let _ = signal
                    .add_event_listener_with_callback("abort", closure.as_ref().unchecked_ref());
                on_abort = Some(closure);
            }
        });
        let result = JsFuture::from(promise).await;
        if let (Some(signal), Some(closure)) = (&signal, &on_abort) {
            let _ = signal
                .remove_event_listener_with_callback("abort", closure.as_ref().unchecked_ref());
        }
        drop(on_abort);
        if result.is_err() || self.aborted() {
            return Err(Error::Aborted);
        }
        Ok(())
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
}
