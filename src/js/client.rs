//! `GroupsClient`: the JS face of [`Client`].

use std::pin::Pin;
use std::rc::Rc;

use js_sys::Promise;
use tsify::Tsify;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::error::to_js;
use super::read::{Options, from_js, is_array};
use crate::Client;
use crate::error::{Error, Result};
use crate::json::ToJson;
use crate::json::input::{FromJson, Object};
use crate::model::{
    GroupId, GroupSettings, ListGroupsOptions, Mentions, NewGroup, ParticipantChange, SendOptions,
};
use crate::provider::ProviderKind;
use crate::provider::waha::{Engine, Waha};
use crate::provider::wavy::{self, Wavy};
use crate::retry::RetryPolicy;
use crate::transport::{FetchTransport, MAX_TIMER_MS};

/// How to reach a WAHA server.
#[derive(Debug, Tsify)]
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
    /// The server's engine, when known: sharpens `capabilities()` so that what the engine
    /// cannot do fails before sending. Responses of every engine are read either way.
    #[serde(default)]
    #[tsify(optional)]
    pub engine: Option<Engine>,
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

impl FromJson for WahaOptions {
    const EXPECTED: &'static str = "an object { baseUrl, apiKey, session?, engine?, … }";
    fn read(v: &crate::json::Json<'_>, field: &str) -> Result<Option<WahaOptions>> {
        let o = Object::new(
            v,
            field,
            Self::EXPECTED,
            &[
                "baseUrl",
                "apiKey",
                "session",
                "engine",
                "timeoutMs",
                "retries",
                "maxDelayMs",
                "cache",
                "safety",
            ],
        )?;
        Ok(Some(WahaOptions {
            base_url: o.required("baseUrl")?,
            api_key: o.required("apiKey")?,
            session: o.optional("session")?,
            engine: o.optional("engine")?,
            timeout_ms: o.optional("timeoutMs")?,
            retries: o.optional("retries")?,
            max_delay_ms: o.optional("maxDelayMs")?,
            cache: o.optional("cache")?,
            safety: None,
        }))
    }
}

/// How to reach the Wavy Messaging API.
#[derive(Debug, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WavyOptions {
    /// The API's URL; `https://api-messaging.wavy.global` when omitted.
    #[serde(default)]
    #[tsify(optional)]
    pub base_url: Option<String>,
    /// The Wavy user name (or e-mail).
    pub user_name: String,
    /// The Wavy authentication token.
    pub authentication_token: String,
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

impl FromJson for WavyOptions {
    const EXPECTED: &'static str = "an object { userName, authenticationToken, baseUrl?, … }";
    fn read(v: &crate::json::Json<'_>, field: &str) -> Result<Option<WavyOptions>> {
        let o = Object::new(
            v,
            field,
            Self::EXPECTED,
            &[
                "baseUrl",
                "userName",
                "authenticationToken",
                "timeoutMs",
                "retries",
                "maxDelayMs",
                "cache",
                "safety",
            ],
        )?;
        Ok(Some(WavyOptions {
            base_url: o.optional("baseUrl")?,
            user_name: o.required("userName")?,
            authentication_token: o.required("authenticationToken")?,
            timeout_ms: o.optional("timeoutMs")?,
            retries: o.optional("retries")?,
            max_delay_ms: o.optional("maxDelayMs")?,
            cache: o.optional("cache")?,
            safety: None,
        }))
    }
}

/// A WhatsApp group API client. Create one with `GroupsClient.waha(…)`, `GroupsClient.wavy(…)`
/// or `GroupsClient.evolution(…)`.
#[wasm_bindgen(typescript_custom_section)]
const CALL_OPTIONS_TS: &str = r#"
/** The optional last argument of every method. */
export interface CallOptions {
  /**
   * Aborting it cancels the request and any pending retry wait; the call rejects with
   * `aborted`. So does `bulkChangeParticipants`, whose changes already sent may have applied.
   */
  signal?: AbortSignal;
  /** This call's timeout in milliseconds, 1 to 2147483647 (overrides the client's `timeoutMs`). */
  timeoutMs?: number;
}

/** The last argument of `sendText`: the call options, and whom the message mentions. */
export interface SendTextOptions extends CallOptions {
  /**
   * `"all"`: everyone in the group (WAHA 2025.11.1+). Or members' phone numbers or user
   * ids: each is checked to be in the group first (a non-member rejects with
   * `invalid_input` naming `options.mentions[i]`, and nothing is sent). Wavy cannot
   * mention: `unsupported`, before sending.
   */
  mentions?: "all" | string[];
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const BULK_TS: &str = r#"
/** One change of a bulk job. */
export interface BulkItem {
  /** The group to change. */
  groupId: GroupId;
  /** What to do to the participant. */
  change: "add" | "remove" | "promote" | "demote";
  /** A phone number or user id. */
  participant: string;
}

/**
 * How a bulk job runs. Failed items are outcomes, not a rejection; only bad arguments and an
 * abort (`CallOptions.signal`: the call rejects with `aborted`) reject the call.
 */
export interface BulkOptions {
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Participants per request (default 20). */
  batchSize?: number;
  /**
   * At most this many requests start per second, evenly spaced (default: no limit of our
   * own; a server's 429 still pauses the whole job for its `Retry-After`).
   */
  requestsPerSecond?: number;
  /**
   * How many times a batch refused with `rate_limited` is sent again, after the pause the
   * server asked for, before its items fail with `rate_limited` (default 10).
   */
  rateLimitRetries?: number;
  /** Called as items complete. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Send nothing: resolve to the report of what would be done (each item `ok` with the
   * message "would add", "would remove"…, or failed where a check fails — a bad
   * participant, or `budget_exceeded` past the client's safety budget), `dryRun: true`.
   */
  dryRun?: boolean;
}
"#;

struct JsBulkItem {
    group_id: String,
    change: String,
    participant: String,
}

impl FromJson for JsBulkItem {
    const EXPECTED: &'static str = "an object { groupId, change, participant }";
    fn read(v: &crate::json::Json<'_>, field: &str) -> Result<Option<JsBulkItem>> {
        let o = Object::new(
            v,
            field,
            Self::EXPECTED,
            &["groupId", "change", "participant"],
        )?;
        Ok(Some(JsBulkItem {
            group_id: o.required("groupId")?,
            change: o.required("change")?,
            participant: o.required("participant")?,
        }))
    }
}

/// A client for one provider account: every group operation as a method returning a
/// Promise. Make one with `GroupsClient.waha(…)`, `GroupsClient.wavy(…)` or
/// `GroupsClient.evolution(…)`.
#[wasm_bindgen]
pub struct GroupsClient {
    pub(super) inner: Rc<Client<FetchTransport>>,
}

/// Converts a result for JS as plain objects: serialised once in Rust and built by the
/// engine's `JSON.parse`, far cheaper than creating every object across the boundary.
pub(super) fn to_js_value<T: ToJson + ?Sized>(value: &T) -> Result<JsValue> {
    js_sys::JSON::parse(&value.to_json())
        .map_err(|_| Error::Decode("result is not valid JSON".into()))
}

/// The retry policy from a client's options (defaults where omitted).
pub(super) fn retry_policy(retries: Option<u32>, max_delay_ms: Option<f64>) -> Result<RetryPolicy> {
    let default = RetryPolicy::default();
    Ok(RetryPolicy {
        retries: retries.unwrap_or(default.retries),
        max_delay_ms: timer_ms("options.maxDelayMs", max_delay_ms)?
            .map_or(default.max_delay_ms, u64::from),
        ..default
    })
}

/// A duration for a JS timer, in milliseconds: from 1 to [`MAX_TIMER_MS`] (a timer fires at
/// once for 0 or anything longer), a fraction rounded down.
pub(super) fn timer_ms(field: &str, ms: Option<f64>) -> Result<Option<u32>> {
    match ms {
        None => Ok(None),
        Some(ms) if (1.0..=f64::from(MAX_TIMER_MS)).contains(&ms) => Ok(Some(ms as u32)),
        Some(_) => Err(Error::invalid(
            field,
            "must be a number of milliseconds from 1 to 2147483647",
        )),
    }
}

/// The options every factory shares, read from its own options struct (the timeout is
/// the transport's, read before the client is made).
pub(super) struct Common<'a> {
    pub(super) retries: Option<u32>,
    pub(super) max_delay_ms: Option<f64>,
    pub(super) cache: Option<&'a super::cache::CacheOptions>,
    /// `options.safety` as `safety::split` took it out, and the account it counts for.
    pub(super) safety: (&'a JsValue, &'a str),
}

/// The transport for a factory's `timeoutMs`.
pub(super) fn transport(timeout_ms: Option<f64>) -> Result<FetchTransport> {
    Ok(FetchTransport::with_timeout(timer_ms(
        "options.timeoutMs",
        timeout_ms,
    )?))
}

/// `client` with the shared options: the retry policy, the cache and the safety budget (the
/// same order and checks for every provider). Not generic over the provider, so it is
/// compiled once.
pub(super) fn client_with(
    client: Client<FetchTransport>,
    common: Common<'_>,
) -> Result<GroupsClient> {
    let retry = retry_policy(common.retries, common.max_delay_ms)?;
    let cache = super::cache::cache_policy(common.cache)?;
    let client = client.with_retry(retry);
    let client = match cache {
        Some(cache) => client.with_cache(cache),
        None => client,
    };
    let (safety, account) = common.safety;
    Ok(GroupsClient {
        inner: Rc::new(super::safety::attach(client, safety, account)?),
    })
}

/// A string argument (a group id, a subject, …), rejected with `invalid_input` otherwise.
fn string_arg(field: &str, value: &JsValue) -> Result<String> {
    value
        .as_string()
        .ok_or_else(|| Error::invalid(field, "must be a string"))
}

fn group_id(value: &JsValue) -> Result<GroupId> {
    GroupId::new("groupId", string_arg("groupId", value)?)
}

fn id_list(value: JsValue) -> Result<Vec<String>> {
    if !is_array(&value) {
        return Err(Error::invalid(
            "participants",
            "must be an array of strings",
        ));
    }
    from_js("participants", value)
}

#[wasm_bindgen]
impl GroupsClient {
    /// A client for a WAHA server. Throws a `GroupsError` (`invalid_input`) for bad options.
    pub fn waha(
        #[wasm_bindgen(unchecked_param_type = "WahaOptions")] options: JsValue,
    ) -> std::result::Result<GroupsClient, JsValue> {
        let build = || {
            let (options, safety) = super::safety::split(options)?;
            let options: WahaOptions = from_js("options", options)?;
            let session = options.session.as_deref().unwrap_or("default");
            let provider =
                Waha::new(session, options.api_key.as_str())?.with_engine(options.engine);
            let client = Client::new(provider, transport(options.timeout_ms)?, &options.base_url)?;
            let common = Common {
                retries: options.retries,
                max_delay_ms: options.max_delay_ms,
                cache: options.cache.as_ref(),
                safety: (&safety, session),
            };
            client_with(client, common)
        };
        build().map_err(|e| to_js(&e, "waha", ProviderKind::Waha))
    }

    /// A client for the Wavy Messaging API. Throws a `GroupsError` (`invalid_input`) for bad
    /// options.
    pub fn wavy(
        #[wasm_bindgen(unchecked_param_type = "WavyOptions")] options: JsValue,
    ) -> std::result::Result<GroupsClient, JsValue> {
        let build = || {
            let (options, safety) = super::safety::split(options)?;
            let options: WavyOptions = from_js("options", options)?;
            let provider = Wavy::new(&options.user_name, &options.authentication_token)?;
            let base_url = options
                .base_url
                .as_deref()
                .unwrap_or(wavy::DEFAULT_BASE_URL);
            let client = Client::new(provider, transport(options.timeout_ms)?, base_url)?;
            let common = Common {
                retries: options.retries,
                max_delay_ms: options.max_delay_ms,
                cache: options.cache.as_ref(),
                safety: (&safety, &options.user_name),
            };
            client_with(client, common)
        };
        build().map_err(|e| to_js(&e, "wavy", ProviderKind::Wavy))
    }

    /// Which provider this client talks to.
    #[wasm_bindgen(getter, unchecked_return_type = "ProviderKind")]
    pub fn provider(&self) -> String {
        self.inner.provider().as_str().to_owned()
    }

    /// What the provider can do; operations it cannot do reject with `unsupported`.
    #[wasm_bindgen(unchecked_return_type = "Capabilities")]
    pub fn capabilities(&self) -> JsValue {
        to_js_value(&self.inner.capabilities()).unwrap_or(JsValue::NULL)
    }

    /// Creates a group; resolves to the group as the provider reports it.
    #[wasm_bindgen(js_name = createGroup, unchecked_return_type = "Promise<Group>")]
    pub fn create_group(
        &self,
        #[wasm_bindgen(unchecked_param_type = "NewGroup")] group: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("createGroup", call_options, move |client| {
            let group: NewGroup = from_js("group", group)?;
            Ok(async move { to_js_value(&client.create_group(&group).await?) })
        })
    }

    /// Lists the account's groups, optionally paged and sorted.
    #[wasm_bindgen(js_name = listGroups, unchecked_return_type = "Promise<Group[]>")]
    pub fn list_groups(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListGroupsOptions")] options: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("listGroups", call_options, move |client| {
            let options: ListGroupsOptions = if options.is_undefined() || options.is_null() {
                ListGroupsOptions::default()
            } else {
                from_js("options", options)?
            };
            Ok(async move { to_js_value(&client.list_groups(&options).await?) })
        })
    }

    /// How many groups the account is in.
    #[wasm_bindgen(js_name = countGroups, unchecked_return_type = "Promise<number>")]
    pub fn count_groups(
        &self,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("countGroups", call_options, |client| {
            Ok(async move { Ok(JsValue::from_f64(client.count_groups().await? as f64)) })
        })
    }

    /// One group, with its participants.
    #[wasm_bindgen(js_name = getGroup, unchecked_return_type = "Promise<Group>")]
    pub fn get_group(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("getGroup", call_options, move |client| {
            let id = group_id(&group_id_)?;
            Ok(async move { to_js_value(&client.get_group(&id).await?) })
        })
    }

    /// Renames a group.
    #[wasm_bindgen(js_name = setSubject, unchecked_return_type = "Promise<void>")]
    pub fn set_subject(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] subject: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("setSubject", call_options, move |client| {
            let id = group_id(&group_id_)?;
            let subject = string_arg("subject", &subject)?;
            Ok(async move {
                client.set_subject(&id, &subject).await?;
                Ok(JsValue::UNDEFINED)
            })
        })
    }

    /// Sets a group's description (`""` clears it where the provider allows).
    #[wasm_bindgen(js_name = setDescription, unchecked_return_type = "Promise<void>")]
    pub fn set_description(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] description: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("setDescription", call_options, move |client| {
            let id = group_id(&group_id_)?;
            let description = string_arg("description", &description)?;
            Ok(async move {
                client.set_description(&id, &description).await?;
                Ok(JsValue::UNDEFINED)
            })
        })
    }

    /// Leaves a group; it goes on without the account.
    #[wasm_bindgen(js_name = leaveGroup, unchecked_return_type = "Promise<void>")]
    pub fn leave_group(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("leaveGroup", call_options, move |client| {
            let id = group_id(&group_id_)?;
            Ok(async move {
                client.leave_group(&id).await?;
                Ok(JsValue::UNDEFINED)
            })
        })
    }

    /// Deletes a group for everyone (WAHA WEBJS only; `unsupported` elsewhere).
    #[wasm_bindgen(js_name = deleteGroup, unchecked_return_type = "Promise<void>")]
    pub fn delete_group(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("deleteGroup", call_options, move |client| {
            let id = group_id(&group_id_)?;
            Ok(async move {
                client.delete_group(&id).await?;
                Ok(JsValue::UNDEFINED)
            })
        })
    }

    /// Asks the provider to re-read the groups from WhatsApp (WAHA).
    #[wasm_bindgen(js_name = refreshGroups, unchecked_return_type = "Promise<void>")]
    pub fn refresh_groups(
        &self,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("refreshGroups", call_options, |client| {
            Ok(async move {
                client.refresh_groups().await?;
                Ok(JsValue::UNDEFINED)
            })
        })
    }

    /// The group's invite link (`https://chat.whatsapp.com/…` on WAHA).
    #[wasm_bindgen(js_name = getInviteLink, unchecked_return_type = "Promise<string>")]
    pub fn get_invite_link(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("getInviteLink", call_options, move |client| {
            let id = group_id(&group_id_)?;
            Ok(async move { Ok(JsValue::from_str(&client.get_invite_link(&id).await?)) })
        })
    }

    /// Invalidates the invite link; resolves to the new link, or `null` where the provider
    /// does not return one (Wavy: call `getInviteLink` for the next one).
    #[wasm_bindgen(js_name = revokeInviteLink, unchecked_return_type = "Promise<string | null>")]
    pub fn revoke_invite_link(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("revokeInviteLink", call_options, move |client| {
            let id = group_id(&group_id_)?;
            Ok(async move {
                Ok(match client.revoke_invite_link(&id).await? {
                    Some(link) => JsValue::from_str(&link),
                    None => JsValue::NULL,
                })
            })
        })
    }

    /// Joins a group by invite code or `https://chat.whatsapp.com/…` link; resolves to its id.
    #[wasm_bindgen(js_name = joinGroup, unchecked_return_type = "Promise<GroupId>")]
    pub fn join_group(
        &self,
        #[wasm_bindgen(js_name = "codeOrLink", unchecked_param_type = "string")]
        code_or_link: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("joinGroup", call_options, move |client| {
            let code = string_arg("code", &code_or_link)?;
            Ok(async move {
                let id = client.join_group(&code).await?;
                Ok(JsValue::from_str(id.as_str()))
            })
        })
    }

    /// A preview of the group an invite code or link leads to.
    #[wasm_bindgen(js_name = getJoinInfo, unchecked_return_type = "Promise<Group>")]
    pub fn get_join_info(
        &self,
        #[wasm_bindgen(js_name = "codeOrLink", unchecked_param_type = "string")]
        code_or_link: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("getJoinInfo", call_options, move |client| {
            let code = string_arg("code", &code_or_link)?;
            Ok(async move { to_js_value(&client.get_join_info(&code).await?) })
        })
    }

    /// The members of a group; `{ resolvePhones: true }` fills in numbers behind privacy
    /// ids, `{ names: true }` names (see `ListParticipantsOptions`).
    #[wasm_bindgen(js_name = listParticipants, unchecked_return_type = "Promise<Participant[]>")]
    pub fn list_participants(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(
            js_name = "options",
            unchecked_optional_param_type = "ListParticipantsOptions"
        )]
        options: JsValue,
    ) -> Promise {
        self.spawn_with(
            "listParticipants",
            options,
            &super::members::LIST_PARTICIPANTS_OPTIONS,
            move |client, options| {
                let id = group_id(&group_id_)?;
                let with = super::members::participants_options(options)?;
                Ok(async move { to_js_value(&client.list_participants_with(&id, &with).await?) })
            },
        )
    }

    /// Adds members (phone numbers or user ids); one result per id, in order.
    #[wasm_bindgen(js_name = addParticipants, unchecked_return_type = "Promise<ParticipantResult[]>")]
    pub fn add_participants(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue,
        #[wasm_bindgen(
            js_name = "options",
            unchecked_optional_param_type = "AddParticipantsOptions"
        )]
        options: JsValue,
    ) -> Promise {
        let extra = ["inviteOnPrivacy", "inviteText"];
        self.spawn_with(
            "addParticipants",
            options,
            &extra,
            move |client, options| {
                let id = group_id(&group_id_)?;
                let ids = id_list(ids)?;
                let add = super::safety::add_options(options)?;
                Ok(async move { to_js_value(&client.add_participants(&id, &ids, &add).await?) })
            },
        )
    }

    /// Removes members; one result per id, in order.
    #[wasm_bindgen(js_name = removeParticipants, unchecked_return_type = "Promise<ParticipantResult[]>")]
    pub fn remove_participants(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.change(
            "removeParticipants",
            call_options,
            ParticipantChange::Remove,
            group_id_,
            ids,
        )
    }

    /// Makes members admins; one result per id, in order.
    #[wasm_bindgen(js_name = promoteAdmins, unchecked_return_type = "Promise<ParticipantResult[]>")]
    pub fn promote_admins(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.change(
            "promoteAdmins",
            call_options,
            ParticipantChange::Promote,
            group_id_,
            ids,
        )
    }

    /// Makes admins regular members; one result per id, in order.
    #[wasm_bindgen(js_name = demoteAdmins, unchecked_return_type = "Promise<ParticipantResult[]>")]
    pub fn demote_admins(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.change(
            "demoteAdmins",
            call_options,
            ParticipantChange::Demote,
            group_id_,
            ids,
        )
    }

    /// The group's security settings.
    #[wasm_bindgen(js_name = getSettings, unchecked_return_type = "Promise<GroupSettings>")]
    pub fn get_settings(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("getSettings", call_options, move |client| {
            let id = group_id(&group_id_)?;
            Ok(async move { to_js_value(&client.get_settings(&id).await?) })
        })
    }

    /// Changes the settings present in `patch` (one request each, in a fixed order).
    #[wasm_bindgen(js_name = updateSettings, unchecked_return_type = "Promise<void>")]
    pub fn update_settings(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "GroupSettings")] patch: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("updateSettings", call_options, move |client| {
            let id = group_id(&group_id_)?;
            let patch: GroupSettings = from_js("patch", patch)?;
            Ok(async move {
                client.update_settings(&id, &patch).await?;
                Ok(JsValue::UNDEFINED)
            })
        })
    }

    /// Pending requests to join (WAHA).
    #[wasm_bindgen(js_name = listJoinRequests, unchecked_return_type = "Promise<JoinRequest[]>")]
    pub fn list_join_requests(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("listJoinRequests", call_options, move |client| {
            let id = group_id(&group_id_)?;
            Ok(async move { to_js_value(&client.list_join_requests(&id).await?) })
        })
    }

    /// Approves pending join requests; one result per id, in order.
    #[wasm_bindgen(js_name = approveJoinRequests, unchecked_return_type = "Promise<ParticipantResult[]>")]
    pub fn approve_join_requests(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.answer("approveJoinRequests", call_options, true, group_id_, ids)
    }

    /// Rejects pending join requests; one result per id, in order.
    #[wasm_bindgen(js_name = rejectJoinRequests, unchecked_return_type = "Promise<ParticipantResult[]>")]
    pub fn reject_join_requests(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.answer("rejectJoinRequests", call_options, false, group_id_, ids)
    }

    /// Sets the group's icon from JPEG or PNG bytes.
    #[wasm_bindgen(js_name = setIcon, unchecked_return_type = "Promise<void>")]
    pub fn set_icon(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
        #[wasm_bindgen(
            js_name = "mimeType",
            unchecked_param_type = "\"image/jpeg\" | \"image/png\""
        )]
        mime_type: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("setIcon", call_options, move |client| {
            let id = group_id(&group_id_)?;
            let bytes = bytes
                .dyn_into::<js_sys::Uint8Array>()
                .map_err(|_| Error::invalid("bytes", "must be a Uint8Array"))?
                .to_vec();
            let mime_type = string_arg("mimeType", &mime_type)?;
            Ok(async move {
                client.set_icon(&id, &bytes, &mime_type).await?;
                Ok(JsValue::UNDEFINED)
            })
        })
    }

    /// The group's icon, or `null` when it has none.
    #[wasm_bindgen(js_name = getIcon, unchecked_return_type = "Promise<Icon | null>")]
    pub fn get_icon(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("getIcon", call_options, move |client| {
            let id = group_id(&group_id_)?;
            Ok(async move {
                match client.get_icon(&id).await? {
                    Some(icon) => to_js_value(&icon),
                    None => Ok(JsValue::NULL),
                }
            })
        })
    }

    /// Removes the group's icon.
    #[wasm_bindgen(js_name = removeIcon, unchecked_return_type = "Promise<void>")]
    pub fn remove_icon(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("removeIcon", call_options, move |client| {
            let id = group_id(&group_id_)?;
            Ok(async move {
                client.remove_icon(&id).await?;
                Ok(JsValue::UNDEFINED)
            })
        })
    }

    /// Adds, removes, promotes or demotes many participants across many groups, in
    /// batches with bounded concurrency; resolves to one outcome per item, in order (a
    /// failed item is an outcome with its `code`, never a rejection). Aborting the call's
    /// `signal` rejects with `aborted`, as every method does.
    #[wasm_bindgen(js_name = bulkChangeParticipants, unchecked_return_type = "Promise<BulkReport>")]
    pub fn bulk_change_participants(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BulkItem[]")] items: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "BulkOptions")] options: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn("bulkChangeParticipants", call_options, move |client| {
            let (items, options, on_progress) = bulk_job(items, &options)?;
            Ok(async move {
                let report = client
                    .bulk_change_participants(&items, options, |done, total| {
                        if let Some(f) = &on_progress {
                            // A throwing callback must not stop the job.
                            let _ = f.call2(
                                &JsValue::NULL,
                                &JsValue::from_f64(done as f64),
                                &JsValue::from_f64(total as f64),
                            );
                        }
                    })
                    .await;
                // Aborting rejects, as with every other method; the items already sent may
                // have applied.
                if client
                    .transport()
                    .signal
                    .as_ref()
                    .is_some_and(web_sys::AbortSignal::aborted)
                {
                    return Err(Error::Aborted);
                }
                to_js_value(&report)
            })
        })
    }

    /// Sends a text message to the group (the group send of each provider; never a
    /// direct message).
    #[wasm_bindgen(js_name = sendText, unchecked_return_type = "Promise<SentMessage>")]
    pub fn send_text(
        &self,
        #[wasm_bindgen(js_name = "groupId", unchecked_param_type = "GroupId")] group_id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "SendTextOptions")]
        options: JsValue,
    ) -> Promise {
        self.spawn_with(
            "sendText",
            options,
            &["mentions"],
            move |client, options| {
                let id = group_id(&group_id_)?;
                let text = string_arg("text", &text)?;
                let send = SendOptions {
                    mentions: match options {
                        Some(options) => mentions(options.get("mentions")?)?,
                        None => None,
                    },
                };
                Ok(async move { to_js_value(&client.send_text_with(&id, &text, &send).await?) })
            },
        )
    }
}

/// `options.mentions`: `"all"` or an array of member ids (`undefined`: nobody).
fn mentions(value: JsValue) -> Result<Option<Mentions>> {
    const RULE: &str = "must be \"all\" or an array of member ids";
    if value.is_undefined() {
        return Ok(None);
    }
    if let Some(text) = value.as_string() {
        return match text.as_str() {
            "all" => Ok(Some(Mentions::All)),
            _ => Err(Error::invalid("options.mentions", RULE)),
        };
    }
    if !is_array(&value) {
        return Err(Error::invalid("options.mentions", RULE));
    }
    Ok(Some(Mentions::Members(from_js("options.mentions", value)?)))
}

/// A bulk job's items, options and progress callback, read from JS (before the job starts).
fn bulk_job(
    items: JsValue,
    options: &JsValue,
) -> Result<(
    Vec<crate::bulk::BulkItem>,
    crate::bulk::BulkOptions,
    Option<js_sys::Function>,
)> {
    const KNOWN: [&str; 6] = [
        "concurrency",
        "batchSize",
        "requestsPerSecond",
        "rateLimitRetries",
        "onProgress",
        "dryRun",
    ];
    let defaults = crate::bulk::BulkOptions::default();
    let mut bulk_options = defaults;
    let mut on_progress = None;
    if let Some(options) = Options::read("options", options, &KNOWN)? {
        const FROM_1_TO_1000: &str = "must be a number from 1 to 1000";
        let in_1_to_1000 = |n: f64| (1.0..=1000.0).contains(&n);
        bulk_options = crate::bulk::BulkOptions {
            concurrency: options
                .number("concurrency", in_1_to_1000, FROM_1_TO_1000)?
                .map_or(defaults.concurrency, |n| n as usize),
            batch_size: options
                .number("batchSize", in_1_to_1000, FROM_1_TO_1000)?
                .map_or(defaults.batch_size, |n| n as usize),
            requests_per_second: options.number(
                "requestsPerSecond",
                |n| n > 0.0 && n <= 10_000.0,
                "must be a number above 0, at most 10000",
            )?,
            rate_limit_retries: options
                .number(
                    "rateLimitRetries",
                    |n| n.fract() == 0.0 && (0.0..=100.0).contains(&n),
                    "must be a whole number from 0 to 100",
                )?
                .map_or(defaults.rate_limit_retries, |n| n as u32),
            dry_run: match options.get("dryRun")? {
                v if v.is_undefined() => false,
                v => v
                    .as_bool()
                    .ok_or_else(|| Error::invalid("options.dryRun", "must be a boolean"))?,
            },
        };
        on_progress = options
            .get("onProgress")?
            .dyn_into::<js_sys::Function>()
            .ok();
    }
    let raw: Vec<JsBulkItem> = from_js("items", items)?;
    let mut parsed = Vec::with_capacity(raw.len());
    for (i, item) in raw.into_iter().enumerate() {
        let change = match item.change.as_str() {
            "add" => ParticipantChange::Add,
            "remove" => ParticipantChange::Remove,
            "promote" => ParticipantChange::Promote,
            "demote" => ParticipantChange::Demote,
            other => {
                return Err(Error::invalid(
                    format!("items[{i}].change"),
                    format!("`{other}` is not add, remove, promote or demote"),
                ));
            }
        };
        parsed.push(crate::bulk::BulkItem {
            group: GroupId::new(&format!("items[{i}].groupId"), item.group_id)?,
            change,
            participant: item.participant,
        });
    }
    Ok((parsed, bulk_options, on_progress))
}

/// The Promise of one operation's (boxed) work. Not generic, so `future_to_promise` and the
/// error mapping are compiled once instead of once per method (27 copies before).
fn promise_of(
    operation: &'static str,
    provider: crate::provider::ProviderKind,
    work: Pin<Box<dyn std::future::Future<Output = Result<JsValue>>>>,
) -> Promise {
    future_to_promise(async move { work.await.map_err(|e| to_js(&e, operation, provider)) })
}

impl GroupsClient {
    /// Runs one operation as a Promise that resolves with its value or rejects with a
    /// `GroupsError` naming `operation`. `start` reads the arguments and returns the work;
    /// it runs now, before any future, so that whatever JS hands us is read while nothing
    /// is pending (every read catches). Argument errors reject too; nothing throws.
    fn spawn<F, Fut>(&self, operation: &'static str, call_options: JsValue, start: F) -> Promise
    where
        F: FnOnce(Rc<Client<FetchTransport>>) -> Result<Fut>,
        Fut: std::future::Future<Output = Result<JsValue>> + 'static,
    {
        self.spawn_with(operation, call_options, &[], |client, _| start(client))
    }

    /// [`GroupsClient::spawn`] for a method whose last argument takes options of its own
    /// (`extra`) beside `signal` and `timeoutMs`; `start` also gets that object to read them.
    pub(super) fn spawn_with<F, Fut>(
        &self,
        operation: &'static str,
        call_options: JsValue,
        extra: &[&str],
        start: F,
    ) -> Promise
    where
        F: FnOnce(Rc<Client<FetchTransport>>, Option<&Options>) -> Result<Fut>,
        Fut: std::future::Future<Output = Result<JsValue>> + 'static,
    {
        let provider = self.inner.provider();
        let known: Vec<&str> = ["signal", "timeoutMs"]
            .iter()
            .chain(extra)
            .copied()
            .collect();
        let begin = || {
            let options = Options::read("options", &call_options, &known)?;
            let client = self.for_call(options.as_ref())?;
            start(client, options.as_ref())
        };
        let work: Pin<Box<dyn std::future::Future<Output = Result<JsValue>>>> = match begin() {
            Ok(work) => Box::pin(work),
            Err(e) => Box::pin(std::future::ready(Err(e))),
        };
        promise_of(operation, provider, work)
    }

    /// The client for one call: the shared one, or a copy with the call's own timeout and
    /// abort signal (`{ signal?: AbortSignal, timeoutMs?: number }`).
    fn for_call(&self, options: Option<&Options>) -> Result<Rc<Client<FetchTransport>>> {
        let Some(options) = options else {
            return Ok(Rc::clone(&self.inner));
        };
        let signal = match options.get("signal")? {
            v if v.is_undefined() || v.is_null() => None,
            v => Some(
                v.dyn_into::<web_sys::AbortSignal>()
                    .map_err(|_| Error::invalid("options.signal", "must be an AbortSignal"))?,
            ),
        };
        let timeout_ms = match options.get("timeoutMs")? {
            v if v.is_undefined() || v.is_null() => self.inner.transport().timeout_ms,
            v => timer_ms("options.timeoutMs", Some(v.as_f64().unwrap_or(f64::NAN)))?,
        };
        Ok(Rc::new(
            self.inner
                .with_transport(FetchTransport { timeout_ms, signal }),
        ))
    }

    fn change(
        &self,
        operation: &'static str,
        call_options: JsValue,
        change: ParticipantChange,
        group: JsValue,
        ids: JsValue,
    ) -> Promise {
        self.spawn(operation, call_options, move |client| {
            let id = group_id(&group)?;
            let ids = id_list(ids)?;
            Ok(async move { to_js_value(&client.change_participants(&id, change, &ids).await?) })
        })
    }

    fn answer(
        &self,
        operation: &'static str,
        call_options: JsValue,
        approve: bool,
        group: JsValue,
        ids: JsValue,
    ) -> Promise {
        self.spawn(operation, call_options, move |client| {
            let id = group_id(&group)?;
            let ids = id_list(ids)?;
            Ok(async move { to_js_value(&client.answer_join_requests(&id, approve, &ids).await?) })
        })
    }
}
