//! Delivery of what members write to the webhook registered with `POST /_sandbox/webhook`:
//! a WAHA `message` webhook for a WAHA group, a Wavy MO for a Wavy group, signed like WAHA
//! (`X-Webhook-Hmac`: hex HMAC-SHA512 of the raw body) when a secret is set.

use std::time::Duration;

use axum::body::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use sha2::Sha512;

use crate::state::{Account, Message, WAHA_ME, Webhook};

/// How long the sandbox waits for the receiver before reporting the delivery as failed.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);

/// The payload a provider would POST for `message`, written in group `group_id`.
pub fn payload(account: &Account, group_id: &str, message: &Message) -> Value {
    match account {
        Account::Waha(session) => json!({
            "id": format!("evt_{}", message.id.to_ascii_lowercase()),
            "timestamp": message.at * 1000,
            "event": "message",
            "session": session,
            "me": {"id": WAHA_ME, "pushName": "Sandbox"},
            "engine": "WEBJS",
            "environment": {"version": "2026.8.2", "engine": "WEBJS", "tier": "CORE", "browser": null},
            "payload": {
                "id": format!("false_{group_id}_{}_{}", message.id, message.from),
                "timestamp": message.at,
                "from": group_id,
                "fromMe": false,
                "to": WAHA_ME,
                "participant": message.from,
                "body": message.text,
                "hasMedia": false,
            },
        }),
        Account::Wavy => {
            let source = message.from.split('@').next().unwrap_or(&message.from);
            json!({"total": 1, "data": [{
                "id": message.id,
                "source": source,
                "origin": source,
                "receivedAt": message.at * 1000,
                "message": {"type": "TEXT", "messageText": message.text, "waGroupId": group_id},
            }]})
        }
    }
}

/// The hex HMAC-SHA512 of `body` under `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha512>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// POSTs `payload` to the webhook; the receiver's status, or why it could not be reached.
pub async fn deliver(webhook: &Webhook, payload: &Value) -> Result<u16, String> {
    let body = Bytes::from(payload.to_string());
    let mut request = axum::http::Request::post(&webhook.url)
        .header("content-type", "application/json")
        .header("user-agent", "wa-groups-sandbox");
    if let Some(secret) = &webhook.secret {
        request = request
            .header("x-webhook-hmac", sign(secret, &body))
            .header("x-webhook-hmac-algorithm", "sha512");
    }
    let request = request.body(Full::new(body)).map_err(|e| e.to_string())?;
    let client = Client::builder(TokioExecutor::new()).build_http();
    match tokio::time::timeout(DELIVERY_TIMEOUT, client.request(request)).await {
        Ok(Ok(response)) => Ok(response.status().as_u16()),
        Ok(Err(e)) => Err(format!("cannot reach {}: {e}", webhook.url)),
        Err(_) => Err(format!(
            "{} did not answer within {DELIVERY_TIMEOUT:?}",
            webhook.url
        )),
    }
}
