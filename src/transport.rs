//! The fetch transport: sends [`HttpRequest`]s with the global `fetch`, so it works in a
//! window, a worker and Node ≥ 20 alike (no `window` needed).

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue, prelude::wasm_bindgen};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

use crate::error::{Error, Result};
use crate::http::{Body, HttpRequest, HttpResponse, Transport};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` of whatever scope we run in.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(request: &Request) -> std::result::Result<Promise, JsValue>;
}

/// Sends requests with the global `fetch`.
#[derive(Debug, Clone, Default)]
pub struct FetchTransport;

/// The message of a JS exception or rejection, for an error.
pub(crate) fn js_message(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

impl FetchTransport {
    fn build(base_url: &str, request: &HttpRequest) -> Result<Request> {
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
        Request::new_with_str_and_init(&request.url(base_url), &init)
            .map_err(|e| Error::invalid("baseUrl", js_message(&e)))
    }

    fn read_headers(response: &Response) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Ok(Some(entries)) = js_sys::try_iter(&response.headers()) {
            for entry in entries.flatten() {
                let pair: js_sys::Array = entry.unchecked_into();
                if let (Some(name), Some(value)) =
                    (pair.get(0).as_string(), pair.get(1).as_string())
                {
                    out.push((name, value));
                }
            }
        }
        out
    }
}

impl Transport for FetchTransport {
    async fn send(&self, base_url: &str, request: HttpRequest) -> Result<HttpResponse> {
        let js_request = Self::build(base_url, &request)?;
        let promise = global_fetch(&js_request).map_err(|e| Error::Network(js_message(&e)))?;
        let response: Response = JsFuture::from(promise)
            .await
            .map_err(|e| Error::Network(js_message(&e)))?
            .unchecked_into();
        let status = response.status();
        let headers = Self::read_headers(&response);
        let buffer = response
            .array_buffer()
            .map_err(|e| Error::Network(js_message(&e)))?;
        let buffer = JsFuture::from(buffer)
            .await
            .map_err(|e| Error::Network(format!("reading the body: {}", js_message(&e))))?;
        Ok(HttpResponse {
            status,
            headers,
            body: Uint8Array::new(&buffer).to_vec(),
        })
    }
}

impl crate::Client<FetchTransport> {
    /// A client for a WAHA server at `base_url`, using `session` and the `X-Api-Key` `api_key`.
    ///
    /// ```no_run
    /// # fn example() -> wa_groups::Result<()> {
    /// let client = wa_groups::Client::waha("http://127.0.0.1:3000", "sandbox", "default")?;
    /// # Ok(()) }
    /// ```
    pub fn waha(base_url: &str, api_key: &str, session: &str) -> Result<Self> {
        crate::Client::new(
            crate::provider::waha::Waha::new(session, api_key)?,
            FetchTransport,
            base_url,
        )
    }

    /// A client for the Wavy Messaging API at `base_url` (see
    /// [`crate::provider::wavy::DEFAULT_BASE_URL`]).
    ///
    /// ```no_run
    /// # fn example() -> wa_groups::Result<()> {
    /// use wa_groups::provider::wavy::DEFAULT_BASE_URL;
    /// let client = wa_groups::Client::wavy(DEFAULT_BASE_URL, "user@example.com", "token")?;
    /// # Ok(()) }
    /// ```
    pub fn wavy(base_url: &str, user_name: &str, authentication_token: &str) -> Result<Self> {
        crate::Client::new(
            crate::provider::wavy::Wavy::new(user_name, authentication_token)?,
            FetchTransport,
            base_url,
        )
    }
}
