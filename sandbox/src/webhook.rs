//! Delivery to the webhook registered with `POST /_sandbox/webhook`: what members write (a
//! WAHA `message` webhook for a WAHA group, a Wavy MO for a Wavy group) and, for WAHA
//! groups, people joining or asking to join (`group.v2.participants`,
//! `group.v2.participants.join-request`). Envelopes name the engine of the group's session
//! and list members as that session does (by LID, with `pn`, in LID-addressed sessions;
//! REFERENCE.md A6). Signed like WAHA (`X-Webhook-Hmac`: hex HMAC-SHA512 of the raw body)
//! when a secret is set.

use std::time::Duration;

use axum::body::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use sha2::Sha512;

use crate::Config;
use crate::state::{Account, EVOLUTION_ME, Member, Message, Role, WAHA_ME, Webhook};
use crate::waha::{Dialect, Engine, dialect_of, listed_id, participant_v2};

/// How long the sandbox waits for the receiver before reporting the delivery as failed.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);

/// WAHA's envelope around an event `payload` of `session` (REFERENCE.md A6, [26.8]): `id`,
/// `timestamp` in ms, and the session's real engine in `engine` and `environment.engine`.
fn envelope(event: &str, session: &str, d: Dialect, at: u64, seq: &str, payload: Value) -> Value {
    json!({
        "id": format!("evt_{}", seq.to_ascii_lowercase()),
        "timestamp": at * 1000,
        "event": event,
        "session": session,
        "me": {"id": WAHA_ME, "pushName": "Sandbox"},
        "engine": d.engine.name(),
        "environment": {"version": "2026.8.2", "engine": d.engine.name(), "tier": "CORE", "browser": null},
        "payload": payload,
    })
}

/// A v2 event payload's `timestamp`: the DTO says seconds, NOWEB and GOWS send `Date.now()`
/// milliseconds (REFERENCE.md A6).
fn event_time(d: Dialect, at: u64) -> u64 {
    if d.engine == Engine::Webjs {
        at
    } else {
        at * 1000
    }
}

/// The payload a provider would POST for `message`, written in group `group_id`.
pub fn payload(account: &Account, config: &Config, group_id: &str, message: &Message) -> Value {
    match account {
        Account::Waha(session) => {
            let dialect = dialect_of(config, session);
            // The sender as the session lists members: a LID in LID-addressed groups.
            let from = listed_id(dialect, &message.from);
            envelope(
                "message",
                session,
                dialect,
                message.at,
                &message.id,
                json!({
                    "id": format!("false_{group_id}_{}_{from}", message.id),
                    "timestamp": message.at,
                    "from": group_id,
                    "fromMe": false,
                    "to": WAHA_ME,
                    "participant": from,
                    "body": message.text,
                    "hasMedia": false,
                }),
            )
        }
        Account::Evolution(instance) => {
            let from = crate::waha::listed_id(EVOLUTION_DIALECT, &message.from);
            let alt = message
                .from
                .ends_with("@c.us")
                .then(|| message.from.replace("@c.us", "@s.whatsapp.net"));
            evolution_envelope(
                "messages.upsert",
                instance,
                message.at,
                json!({
                    "key": {"remoteJid": group_id, "fromMe": false, "id": message.id,
                            "participant": from.replace("@c.us", "@s.whatsapp.net"),
                            "participantAlt": alt},
                    "pushName": "", "status": "DELIVERY_ACK",
                    "message": {"conversation": message.text},
                    "messageType": "conversation", "messageTimestamp": message.at,
                    "instanceId": format!("sandbox-{instance}"), "source": "android",
                }),
            )
        }
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

/// `group.v2.participants` `type: "join"`: `person` joined WAHA group `group_id` of `session`
/// by its invite link; listed as `participants/v2` lists them (`{id, pn?, role}`).
pub fn joined(session: &str, d: Dialect, group_id: &str, person: &str, at: u64) -> Value {
    let member = Member {
        id: person.to_owned(),
        role: Role::Member,
    };
    envelope(
        "group.v2.participants",
        session,
        d,
        at,
        &format!("join{at:016X}"),
        json!({"group": {"id": group_id}, "type": "join", "timestamp": event_time(d, at),
               "participants": [participant_v2(d, &member)], "_data": {}}),
    )
}

/// `group.v2.participants.join-request` `action: "created"`: `person` asked to join WAHA
/// group `group_id` of `session` (it needs approval); the requester as the session's
/// join-request list names them.
pub fn join_requested(session: &str, d: Dialect, group_id: &str, person: &str, at: u64) -> Value {
    let pn = person.ends_with("@c.us").then_some(person);
    envelope(
        "group.v2.participants.join-request",
        session,
        d,
        at,
        &format!("request{at:016X}"),
        json!({"group": {"id": group_id}, "action": "created", "requesterId": listed_id(d, person),
               "requesterPn": pn, "requestMethod": "invite_link", "timestamp": event_time(d, at),
               "_data": {}}),
    )
}

/// How Evolution's Baileys channel lists members: Baileys 7, LID-addressed.
const EVOLUTION_DIALECT: Dialect = Dialect {
    engine: Engine::Noweb,
    lid: true,
};

/// Evolution's envelope `{event, instance, data, destination, date_time, sender,
/// server_url, apikey}` (research `evolution-and-meta-groups.md` §2.4).
fn evolution_envelope(event: &str, instance: &str, at: u64, data: Value) -> Value {
    json!({
        "event": event, "instance": instance, "data": data,
        "destination": "", "date_time": crate::time::rfc3339(at),
        "sender": EVOLUTION_ME.replace("@c.us", "@s.whatsapp.net"),
        "server_url": "http://127.0.0.1", "apikey": null,
    })
}

/// `group-participants.update` `action: "add"`: `person` joined Evolution group `group_id`
/// by its invite link; Baileys 7 lists participants as objects `{id, phoneNumber?, admin}`.
pub fn evolution_joined(instance: &str, group_id: &str, person: &str, at: u64) -> Value {
    let member = Member {
        id: person.to_owned(),
        role: Role::Member,
    };
    evolution_envelope(
        "group-participants.update",
        instance,
        at,
        json!({"id": group_id, "author": "", "action": "add",
               "participants": [crate::waha::participant_shape(EVOLUTION_DIALECT, &member)]}),
    )
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
