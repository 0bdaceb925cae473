//! `GroupsClient.evolution(…)`: a client for an Evolution API v2 instance.

use tsify::Tsify;
use wasm_bindgen::prelude::*;

use super::client::{Common, GroupsClient, client_with, transport};
use super::error::to_js;
use super::read::from_js;
use crate::Client;
use crate::provider::ProviderKind;
use crate::provider::evolution::Evolution;

/// How to reach an Evolution API server.
#[derive(Debug, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EvolutionOptions {
    /// The server's URL, e.g. `http://127.0.0.1:8080`.
    pub base_url: String,
    /// The `apikey` to send: the server's global key or the instance's token.
    pub api_key: String,
    /// The instance name (`/group/…/{instance}`).
    pub instance: String,
    /// Abort a request that takes longer than this, in milliseconds (also a body that
    /// stalls after the headers); it then rejects with `timeout`. From 1 to 2147483647
    /// (2^31 − 1, the longest a JS timer waits). No limit when omitted.
    #[serde(default)]
    #[tsify(optional)]
    pub timeout_ms: Option<f64>,
    /// How many times to retry what is safe to retry (default 2; 0 turns retrying off).
    #[serde(default)]
    #[tsify(optional)]
    pub retries: Option<u32>,
    /// The longest wait between retries, in milliseconds (default 10,000; from 1 to
    /// 2147483647). A `Retry-After` asking for longer makes the call fail at once instead.
    #[serde(default)]
    #[tsify(optional)]
    pub max_delay_ms: Option<f64>,
    /// A metadata cache for reads (off when omitted).
    #[serde(default)]
    #[tsify(optional)]
    pub cache: Option<super::cache::CacheOptions>,
    /// A safety budget for adds, creates and joins (see `SafetyOptions`); off when omitted.
    /// Only for the type: `safety::split` takes it out before these options are read.
    #[allow(dead_code)]
    #[serde(default)]
    #[tsify(optional, type = "SafetyOptions")]
    pub safety: Option<serde::de::IgnoredAny>,
}

impl crate::json::input::FromJson for EvolutionOptions {
    const EXPECTED: &'static str = "an object { baseUrl, apiKey, instance, … }";
    fn read(
        v: &crate::json::Json<'_>,
        field: &str,
    ) -> crate::error::Result<Option<EvolutionOptions>> {
        let o = crate::json::input::Object::new(
            v,
            field,
            Self::EXPECTED,
            &[
                "baseUrl",
                "apiKey",
                "instance",
                "timeoutMs",
                "retries",
                "maxDelayMs",
                "cache",
                "safety",
            ],
        )?;
        Ok(Some(EvolutionOptions {
            base_url: o.required("baseUrl")?,
            api_key: o.required("apiKey")?,
            instance: o.required("instance")?,
            timeout_ms: o.optional("timeoutMs")?,
            retries: o.optional("retries")?,
            max_delay_ms: o.optional("maxDelayMs")?,
            cache: o.optional("cache")?,
            safety: None,
        }))
    }
}

#[wasm_bindgen]
impl GroupsClient {
    /// A client for an Evolution API v2 instance. Throws a `GroupsError` (`invalid_input`)
    /// for bad options. What Evolution cannot do (delete a group, remove its icon, join
    /// requests, the member-add and approval settings) rejects with `unsupported` before
    /// anything is sent, as `capabilities()` says.
    pub fn evolution(
        #[wasm_bindgen(unchecked_param_type = "EvolutionOptions")] options: JsValue,
    ) -> std::result::Result<GroupsClient, JsValue> {
        let build = || {
            let (options, safety) = super::safety::split(options)?;
            let options: EvolutionOptions = from_js("options", options)?;
            let provider = Evolution::new(&options.instance, &options.api_key)?;
            let client = Client::new(provider, transport(options.timeout_ms)?, &options.base_url)?;
            let common = Common {
                retries: options.retries,
                max_delay_ms: options.max_delay_ms,
                cache: options.cache.as_ref(),
                safety: (&safety, &options.instance),
            };
            client_with(client, common)
        };
        build().map_err(|e| to_js(&e, "evolution", ProviderKind::Evolution))
    }
}
