//! `GroupsClient`: the JS face of [`Client`].

use std::rc::Rc;

use js_sys::Promise;
use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::error::to_js;
use crate::Client;
use crate::error::{Error, Result};
use crate::model::{ListGroupsOptions, NewGroup};
use crate::provider::ProviderKind;
use crate::transport::FetchTransport;

/// How to reach a WAHA server.
#[derive(Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WahaOptions {
    /// The server's URL, e.g. `http://127.0.0.1:3000`.
    pub base_url: String,
    /// The `X-Api-Key` to send (empty for a server without a key).
    pub api_key: String,
    /// The WAHA session name; `"default"` when omitted.
    #[serde(default)]
    #[tsify(optional)]
    pub session: Option<String>,
}

/// A WhatsApp group API client. Create one with `GroupsClient.waha(…)`.
#[wasm_bindgen]
pub struct GroupsClient {
    inner: Rc<Client<FetchTransport>>,
}

/// Reads a JS argument into `T`, naming it in the error.
///
/// Arguments cross as JSON: they are small, and serde_json enforces `deny_unknown_fields`,
/// so a misspelt option (`sesion`) is an `invalid_input` instead of being silently ignored.
pub(super) fn from_js<T: for<'de> Deserialize<'de>>(field: &str, value: JsValue) -> Result<T> {
    let json = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| Error::invalid(field, "is required (an object)"))?;
    serde_json::from_str(&json).map_err(|e| {
        let message = e.to_string();
        // serde_json appends a position in the JSON text, which means nothing to the caller.
        let message = message.split(" at line ").next().unwrap_or(&message);
        Error::invalid(field, message)
    })
}

/// Converts a result for JS as plain objects: serialised once in Rust and built by the
/// engine's `JSON.parse`, far cheaper than creating every object across the boundary.
pub(super) fn to_js_value<T: Serialize>(value: &T) -> Result<JsValue> {
    let json = serde_json::to_string(value).map_err(|e| Error::Decode(e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|_| Error::Decode("result is not valid JSON".into()))
}

#[wasm_bindgen]
impl GroupsClient {
    /// A client for a WAHA server. Throws a `GroupsError` (`invalid_input`) for bad options.
    pub fn waha(
        #[wasm_bindgen(unchecked_param_type = "WahaOptions")] options: JsValue,
    ) -> std::result::Result<GroupsClient, JsValue> {
        let build = || {
            let options: WahaOptions = from_js("options", options)?;
            let session = options.session.as_deref().unwrap_or("default");
            Client::waha(&options.base_url, &options.api_key, session)
        };
        build()
            .map(|client| GroupsClient {
                inner: Rc::new(client),
            })
            .map_err(|e| to_js(&e, "waha", ProviderKind::Waha))
    }

    /// Which provider this client talks to.
    #[wasm_bindgen(getter, unchecked_return_type = "ProviderKind")]
    pub fn provider(&self) -> String {
        self.inner.provider().as_str().to_owned()
    }

    /// Creates a group; resolves to the group as the provider reports it.
    #[wasm_bindgen(js_name = createGroup, unchecked_return_type = "Promise<Group>")]
    pub fn create_group(
        &self,
        #[wasm_bindgen(unchecked_param_type = "NewGroup")] group: JsValue,
    ) -> Promise {
        self.spawn("createGroup", move |client| async move {
            let group: NewGroup = from_js("group", group)?;
            to_js_value(&client.create_group(&group).await?)
        })
    }

    /// Lists the account's groups, optionally paged and sorted.
    #[wasm_bindgen(js_name = listGroups, unchecked_return_type = "Promise<Group[]>")]
    pub fn list_groups(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListGroupsOptions")] options: JsValue,
    ) -> Promise {
        self.spawn("listGroups", move |client| async move {
            let options: ListGroupsOptions = if options.is_undefined() || options.is_null() {
                ListGroupsOptions::default()
            } else {
                from_js("options", options)?
            };
            to_js_value(&client.list_groups(&options).await?)
        })
    }
}

impl GroupsClient {
    /// Runs one operation as a Promise that resolves with its value or rejects with a
    /// `GroupsError` naming `operation`. Argument errors reject too; nothing throws.
    fn spawn<F, Fut>(&self, operation: &'static str, run: F) -> Promise
    where
        F: FnOnce(Rc<Client<FetchTransport>>) -> Fut,
        Fut: std::future::Future<Output = Result<JsValue>> + 'static,
    {
        let client = Rc::clone(&self.inner);
        let provider = client.provider();
        let fut = run(client);
        future_to_promise(async move { fut.await.map_err(|e| to_js(&e, operation, provider)) })
    }
}
