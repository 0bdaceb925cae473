//! The JS face of the metadata cache: the `cache` option of `GroupsClient.waha(…)` and
//! `GroupsClient.wavy(…)`, and `forgetCached`.

use tsify::Tsify;
use wasm_bindgen::prelude::*;

use super::client::GroupsClient;
use crate::cache::CachePolicy;
use crate::error::{Error, Result};
use crate::model::GroupId;

/// A metadata cache for the client's reads (off when omitted): identical reads in flight
/// share one request; an answer is reused for `ttlMs`; a write to a group forgets that group
/// and the listings, creating or joining a group forgets the listings, `refreshGroups`
/// forgets everything. Errors are never kept.
///
/// ```text
/// const client = GroupsClient.waha({ baseUrl, apiKey, cache: { ttlMs: 30_000 } });
/// ```
#[derive(Debug, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CacheOptions {
    /// How long an answer is reused, in milliseconds, from 0 (share reads in flight only)
    /// to 2147483647.
    pub ttl_ms: f64,
}

impl crate::json::input::FromJson for CacheOptions {
    const EXPECTED: &'static str = "an object { ttlMs }";
    fn read(v: &crate::json::Json<'_>, field: &str) -> Result<Option<CacheOptions>> {
        let o = crate::json::input::Object::new(v, field, Self::EXPECTED, &["ttlMs"])?;
        Ok(Some(CacheOptions {
            ttl_ms: o.required("ttlMs")?,
        }))
    }
}

/// The cache policy from a client's `cache` option.
pub(super) fn cache_policy(options: Option<&CacheOptions>) -> Result<Option<CachePolicy>> {
    let Some(options) = options else {
        return Ok(None);
    };
    if !(0.0..=f64::from(crate::transport::MAX_TIMER_MS)).contains(&options.ttl_ms) {
        return Err(Error::invalid(
            "options.cache.ttlMs",
            "must be a number of milliseconds from 0 to 2147483647",
        ));
    }
    Ok(Some(CachePolicy {
        ttl_ms: options.ttl_ms as u64,
    }))
}

#[wasm_bindgen]
impl GroupsClient {
    /// Forgets what the cache holds of `groupId` and every listing (for a change made
    /// elsewhere: a webhook, another admin), or everything when called without it. Does
    /// nothing for a client without a cache. Throws `invalid_input` for a bad id.
    #[wasm_bindgen(js_name = forgetCached)]
    pub fn forget_cached(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_optional_param_type = "GroupId")]
        group_id: JsValue,
    ) -> std::result::Result<(), JsValue> {
        let provider = self.inner.provider();
        let forget = || -> Result<()> {
            let Some(cache) = self.inner.cache() else {
                return Ok(());
            };
            if group_id.is_undefined() {
                cache.forget_all();
                return Ok(());
            }
            let id = group_id
                .as_string()
                .ok_or_else(|| Error::invalid("groupId", "must be a string"))?;
            cache.forget_group(&GroupId::new("groupId", id)?);
            Ok(())
        };
        forget().map_err(|e| super::error::to_js(&e, "forgetCached", provider))
    }
}
