//! Webhooks in: `POST /_gateway/hooks/{connection}` (WAHA, signed with `X-Webhook-Hmac`) and
//! `POST /_gateway/hooks/{connection}/{token}` (Wavy and Evolution API, which sign nothing:
//! the token in the URL is the secret). No session: providers call these. Payloads are read
//! by the core's own `parse_inbound` and HMAC check, stored once per delivery, then
//! answered 200.
//!
//! Evolution's envelope carries an `apikey`, but only when its server exposes keys, and then
//! it is the instance's key to the whole API: a URL token is the sturdier proof, and the
//! same as Wavy's. With Evolution's "webhook by events", its URL gets the event's name as
//! one more segment (`…/{token}/group-participants-update`), which is accepted too. An
//! envelope for another instance (a server-wide webhook) is acknowledged and not stored.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use wa_groups::events::{parse_inbound, verify_webhook};
use wa_groups::provider::ProviderKind;

use crate::config::{Connection, Provider};
use crate::error::ApiError;
use crate::store::NewEvent;
use crate::{AppState, now_ms};

/// The largest webhook body accepted.
pub const HOOK_BODY_LIMIT: usize = 1024 * 1024;

fn hooked(
    state: &AppState,
    name: &str,
    provider: Provider,
) -> Result<(Connection, String), ApiError> {
    let connection = state
        .connection(name)
        .filter(|c| c.provider == provider)
        .ok_or(ApiError::NotFound)?;
    // A connection without a webhook secret takes no webhooks.
    let secret = connection
        .webhook_secret
        .clone()
        .ok_or(ApiError::NotFound)?;
    Ok((connection.clone(), secret))
}

/// `POST /_gateway/hooks/{connection}` (WAHA): 401 unless `X-Webhook-Hmac` is the
/// HMAC-SHA512 of the raw body under the connection's webhook secret.
pub async fn waha(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let (connection, secret) = hooked(&state, &name, Provider::Waha)?;
    let signature = headers
        .get("x-webhook-hmac")
        .and_then(|v| v.to_str().ok())
        .ok_or(ApiError::Unauthorized)?;
    if !verify_webhook(secret.as_bytes(), &body, signature) {
        return Err(ApiError::Unauthorized);
    }
    store(&state, &connection, ProviderKind::Waha, &body)
}

/// `POST /_gateway/hooks/{connection}/{token}` (Wavy, Evolution): 404 unless the token is
/// the connection's (compared in constant time, over digests so the length does not show).
pub async fn with_token(
    State(state): State<AppState>,
    Path((name, token)): Path<(String, String)>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    by_token(&state, &name, &token, None, &body)
}

/// `POST /_gateway/hooks/{connection}/{token}/{event}` (Evolution's webhook by events):
/// as [`with_token`], the event segment being Evolution's name for the envelope's event.
pub async fn with_token_and_event(
    State(state): State<AppState>,
    Path((name, token, event)): Path<(String, String, String)>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    by_token(&state, &name, &token, Some(&event), &body)
}

fn by_token(
    state: &AppState,
    name: &str,
    token: &str,
    event: Option<&str>,
    body: &Bytes,
) -> Result<StatusCode, ApiError> {
    let provider = match state.connection(name).map(|c| c.provider) {
        Some(p @ Provider::Wavy) if event.is_none() => p,
        Some(p @ Provider::Evolution) => p,
        _ => return Err(ApiError::NotFound),
    };
    let (connection, secret) = hooked(state, name, provider)?;
    let given = Sha256::digest(token.as_bytes());
    let expected = Sha256::digest(secret.as_bytes());
    if !bool::from(given.as_slice().ct_eq(expected.as_slice())) {
        return Err(ApiError::NotFound);
    }
    match provider {
        Provider::Evolution => {
            if body.len() > HOOK_BODY_LIMIT {
                return Err(ApiError::PayloadTooLarge(HOOK_BODY_LIMIT));
            }
            let envelope: serde_json::Value = serde_json::from_slice(body)
                .map_err(|_| ApiError::BadRequest("the payload is not JSON".into()))?;
            let instance = envelope.get("instance").and_then(|v| v.as_str());
            if instance.is_some_and(|i| Some(i) != connection.session.as_deref()) {
                return Ok(StatusCode::OK);
            }
            store(state, &connection, ProviderKind::Evolution, body)
        }
        _ => store(state, &connection, ProviderKind::Wavy, body),
    }
}

/// Classifies and stores a delivery, once: a delivery is known by the provider's event `id`
/// when it has one, else by the SHA-256 of its body.
fn store(
    state: &AppState,
    connection: &Connection,
    provider: ProviderKind,
    body: &Bytes,
) -> Result<StatusCode, ApiError> {
    if body.len() > HOOK_BODY_LIMIT {
        return Err(ApiError::PayloadTooLarge(HOOK_BODY_LIMIT));
    }
    let events = parse_inbound(provider, body)
        .map_err(|_| ApiError::BadRequest("the payload is not JSON".into()))?;
    let envelope: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let key = match envelope.get("id").and_then(|v| v.as_str()) {
        Some(id) if !id.is_empty() => format!("id:{id}"),
        _ => format!("sha256:{}", hex::encode(Sha256::digest(body))),
    };
    let rows: Vec<NewEvent> = events
        .iter()
        .map(|e| NewEvent {
            group_id: e.group_id.as_ref().map(|g| g.as_str().to_owned()),
            kind: serde_json::to_value(e.kind)
                .ok()
                .and_then(|k| k.as_str().map(str::to_owned))
                .unwrap_or_else(|| "unknown".into()),
            json: serde_json::to_string(e).unwrap_or_else(|_| "{}".into()),
        })
        .collect();
    if let Some(last) = state
        .store
        .add_delivery(&connection.name, &key, &rows, now_ms())?
        && last > 0
    {
        state.events.send_replace(last);
    }
    Ok(StatusCode::OK)
}
