//! Load, bounded in count and time: 100 signed-in clients reading and writing at once
//! through the gateway (both providers, admins and viewers), while 1,000 webhook deliveries
//! (WAHA signed with HMAC, Wavy by URL token, 100 of them delivered twice) arrive and three
//! event streams are open. Every answer is checked; every accepted delivery is seen exactly
//! once on every stream, in strictly increasing ids, and once in the history; the audit has
//! every write. No time is asserted, only that the whole test ends within a minute.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::*;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use wa_groups::ErrorCode;
use wa_groups::model::NewGroup;
use wa_groups::provider::{waha::Waha, wavy::Wavy};

const CLIENTS: usize = 100;
const DELIVERIES: usize = 1_000;
/// Every tenth delivery is sent twice, as a provider retrying would.
const REPEAT_EVERY: usize = 10;
const STREAMS: usize = 3;
/// Webhook POSTs in flight at once.
const HOOK_CONCURRENCY: usize = 50;

const WAHA_GROUP: &str = "120363000000000777@g.us";
const WAVY_GROUP: &str = "5511900000777-1700000000";

fn sign(secret: &str, body: &str) -> String {
    let mut mac = Hmac::<sha2::Sha512>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The text that names delivery `n`.
fn text_of(n: usize) -> String {
    format!("load {n:04}")
}

/// Delivery `n`: even ones a WAHA `message` webhook (with its envelope `id`), odd ones a Wavy
/// MO (no envelope id: the gateway knows a repeat by its body).
fn delivery(n: usize) -> (String, Vec<(&'static str, String)>, String) {
    if n.is_multiple_of(2) {
        let body = json!({
            "id": format!("evt_load_{n}"),
            "timestamp": 1_757_000_000_000u64 + n as u64,
            "event": "message",
            "session": "default",
            "payload": {"id": format!("false_{WAHA_GROUP}_{n}"), "timestamp": 1_757_000_000u64,
                        "from": WAHA_GROUP, "fromMe": false, "participant": "5511977770001@c.us",
                        "body": text_of(n), "hasMedia": false},
        })
        .to_string();
        let signature = sign(WAHA_HOOK_SECRET, &body);
        (
            "/_gateway/hooks/default".to_owned(),
            vec![("x-webhook-hmac", signature)],
            body,
        )
    } else {
        let body = json!({"total": 1, "data": [{
            "id": format!("mo-{n}"), "source": "5511977770002", "origin": "5511977770002",
            "receivedAt": 1_757_000_000_000u64 + n as u64,
            "message": {"type": "TEXT", "messageText": text_of(n), "waGroupId": WAVY_GROUP},
        }]})
        .to_string();
        (
            format!("/_gateway/hooks/wavy/{WAVY_HOOK_TOKEN}"),
            Vec::new(),
            body,
        )
    }
}

/// Sends every delivery (the repeated ones twice), `HOOK_CONCURRENCY` at a time; each must
/// be answered 200.
async fn deliver_all(gateway: String) {
    let gate = Arc::new(Semaphore::new(HOOK_CONCURRENCY));
    let mut tasks = Vec::new();
    for n in 0..DELIVERIES {
        let times = if n % REPEAT_EVERY == 0 { 2 } else { 1 };
        for _ in 0..times {
            let permit = gate.clone().acquire_owned().await.unwrap();
            let gateway = gateway.clone();
            tasks.push(tokio::spawn(async move {
                let (path, headers, body) = delivery(n);
                let mut all: Vec<(&str, &str)> = vec![("content-type", "application/json")];
                all.extend(headers.iter().map(|(k, v)| (*k, v.as_str())));
                let reply = call(Method::POST, &format!("{gateway}{path}"), &all, body).await;
                drop(permit);
                assert_eq!(
                    reply.status,
                    StatusCode::OK,
                    "delivery {n}: {}",
                    reply.text()
                );
            }));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
}

/// Reads `DELIVERIES` events from `stream`: their ids and texts, in the order received.
async fn read_all(mut stream: EventStream) -> Vec<(i64, String, String)> {
    let mut seen = Vec::with_capacity(DELIVERIES);
    while seen.len() < DELIVERIES {
        let (id, data) = stream.next().await;
        assert_eq!(data["id"], id, "{data}");
        assert_eq!(data["kind"], "groupMessage", "{data}");
        seen.push((
            id,
            data["text"].as_str().unwrap_or_default().to_owned(),
            data["connection"].as_str().unwrap_or_default().to_owned(),
        ));
    }
    seen
}

/// One signed-in client: reads, and writes as an admin (a viewer's write must be refused).
async fn client_session(gateway: String, i: usize) -> usize {
    let admin = i % 4 != 3;
    let (user, password) = if admin {
        (ADMIN, ADMIN_PASSWORD)
    } else {
        (VIEWER, VIEWER_PASSWORD)
    };
    let cookie = login(&gateway, user, password).await;
    let me = get(&format!("{gateway}/_gateway/me"), &[("cookie", &cookie)]).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["user"], user);

    let subject = format!("Load {i:03}");
    let new = NewGroup {
        subject: subject.clone(),
        participants: vec![],
    };
    let transport = CookieTransport { cookie };
    let wavy = i % 2 == 1;
    macro_rules! session {
        ($client:expr) => {{
            let client = $client;
            let listed = client.list_groups(&Default::default()).await.unwrap();
            assert!(listed.len() >= 4, "the seeded groups: {}", listed.len());
            if !admin {
                let refused = client.create_group(&new).await.unwrap_err();
                assert_eq!(refused.code(), ErrorCode::Forbidden, "{refused}");
                return 0;
            }
            let group = client.create_group(&new).await.unwrap();
            let fetched = client.get_group(&group.id).await.unwrap();
            assert_eq!(fetched.subject, subject);
            let renamed = format!("{subject} renamed");
            client.set_subject(&group.id, &renamed).await.unwrap();
            assert_eq!(client.get_group(&group.id).await.unwrap().subject, renamed);
            2
        }};
    }
    if wavy {
        session!(
            wa_groups::Client::new(
                Wavy::new("placeholder", "placeholder").unwrap(),
                transport,
                &format!("{gateway}/c/wavy"),
            )
            .unwrap()
        )
    } else {
        session!(
            wa_groups::Client::new(
                Waha::new("default", "").unwrap(),
                transport,
                &format!("{gateway}/c/default"),
            )
            .unwrap()
        )
    }
}

async fn history(gateway: &str, cookie: &str, connection: &str) -> Vec<Value> {
    let reply = get(
        &format!("{gateway}/_gateway/events/history?connection={connection}&limit=1000"),
        &[("cookie", cookie)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.json().as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_clients_and_a_thousand_webhooks_at_once_lose_and_repeat_nothing() {
    tokio::time::timeout(Duration::from_secs(60), run())
        .await
        .expect("the load test ends within a minute");
}

async fn run() {
    let s = setup().await;
    let gw = s.gateway.base.clone();
    for seed in [json!({"groups": 4}), json!({"wavy": true, "groups": 4})] {
        let seeded = call(
            Method::POST,
            &format!("{}/_sandbox/seed", s.sandbox.base),
            &[("content-type", "application/json")],
            seed.to_string(),
        )
        .await;
        assert_eq!(seeded.status, StatusCode::OK, "{}", seeded.text());
    }
    let watcher = login(&gw, VIEWER, VIEWER_PASSWORD).await;
    let mut streams = Vec::new();
    for _ in 0..STREAMS {
        streams.push(tokio::spawn(read_all(
            open_events(&gw, &watcher, None).await,
        )));
    }

    // Everything at once: the clients (the core's client is not `Send`: polled together in
    // this task) and the deliveries (spawned).
    let hooks = tokio::spawn(deliver_all(gw.clone()));
    let clients = (0..CLIENTS).map(|i| client_session(gw.clone(), i));
    let writes: usize = futures_util::future::join_all(clients)
        .await
        .into_iter()
        .sum();
    hooks.await.expect("every delivery is answered 200");

    // Each stream: every delivery exactly once, ids strictly increasing.
    let expected: BTreeSet<String> = (0..DELIVERIES).map(text_of).collect();
    let mut first: Option<Vec<(i64, String, String)>> = None;
    for stream in streams {
        let seen = stream.await.expect("every stream gets every event");
        assert!(
            seen.windows(2).all(|w| w[0].0 < w[1].0),
            "ids strictly increasing"
        );
        let texts: BTreeSet<String> = seen.iter().map(|(_, t, _)| t.clone()).collect();
        assert_eq!(texts.len(), DELIVERIES, "no event twice on a stream");
        assert_eq!(texts, expected, "no event lost on a stream");
        for (_, text, connection) in &seen {
            let n: usize = text[5..].parse().unwrap();
            let want = if n.is_multiple_of(2) {
                "default"
            } else {
                "wavy"
            };
            assert_eq!(connection, want, "{text}");
        }
        match &first {
            Some(first) => assert_eq!(&seen, first, "every stream sees the same events"),
            None => first = Some(seen),
        }
    }

    // The history: each delivery stored once (the repeats too), per connection.
    let waha = history(&gw, &watcher, "default").await;
    let wavy = history(&gw, &watcher, "wavy").await;
    assert_eq!(waha.len() + wavy.len(), DELIVERIES, "stored once each");
    let stored: BTreeSet<String> = waha
        .iter()
        .chain(&wavy)
        .map(|e| e["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(stored, expected);
    let mut ids: Vec<i64> = waha
        .iter()
        .chain(&wavy)
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    let streamed: Vec<i64> = first.unwrap().iter().map(|(id, _, _)| *id).collect();
    assert_eq!(ids, streamed, "the stream's ids are the history's");

    // The audit: every forwarded write, once.
    let admin = login(&gw, ADMIN, ADMIN_PASSWORD).await;
    let audit = get(
        &format!("{gw}/_gateway/audit?limit=1000"),
        &[("cookie", &admin)],
    )
    .await;
    assert_eq!(audit.status, StatusCode::OK);
    let audit = audit.json();
    let entries = audit.as_array().unwrap();
    assert_eq!(entries.len(), writes, "every write audited once");
    assert!(
        entries
            .iter()
            .all(|e| e["user"] == ADMIN && e["status"].as_u64().unwrap() < 300)
    );
}
