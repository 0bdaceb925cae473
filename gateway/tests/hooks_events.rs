//! Webhooks in (WAHA's HMAC, Wavy's URL token, each delivery stored once) and events out
//! (Server-Sent Events resumable with `Last-Event-ID`, the history), end to end with the
//! sandbox delivering to the gateway.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};

const GROUP: &str = "120363000000000001@g.us";

fn waha_event(id: &str, event: &str) -> String {
    json!({
        "id": id,
        "timestamp": 1_757_000_000_123u64,
        "event": event,
        "session": "default",
        "payload": {"group": {"id": GROUP}},
    })
    .to_string()
}

fn sign(secret: &str, body: &str) -> String {
    let mut mac = Hmac::<sha2::Sha512>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

async fn deliver_waha(gateway: &str, body: &str, signature: Option<&str>) -> Reply {
    let mut headers = vec![("content-type", "application/json")];
    if let Some(signature) = signature {
        headers.push(("x-webhook-hmac", signature));
    }
    call(
        Method::POST,
        &format!("{gateway}/_gateway/hooks/default"),
        &headers,
        body.to_owned(),
    )
    .await
}

async fn history(gateway: &str, cookie: &str, query: &str) -> Vec<Value> {
    let reply = get(
        &format!("{gateway}/_gateway/events/history{query}"),
        &[("cookie", cookie)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json().as_array().unwrap().clone()
}

#[tokio::test]
async fn a_waha_webhook_needs_the_hmac_and_a_repeated_delivery_is_stored_once() {
    let s = setup().await;
    let gw = &s.gateway.base;
    let cookie = login(gw, VIEWER, VIEWER_PASSWORD).await;
    let body = waha_event("evt_01", "group.v2.leave");

    for signature in [
        None,
        Some("00"),
        Some(sign("another-secret", &body)).as_deref(),
        Some("not hex"),
    ] {
        let reply = deliver_waha(gw, &body, signature).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{signature:?}");
    }
    // A signature of another body does not carry over.
    let other = waha_event("evt_02", "group.v2.leave");
    assert_eq!(
        deliver_waha(gw, &body, Some(&sign(WAHA_HOOK_SECRET, &other)))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert!(history(gw, &cookie, "").await.is_empty(), "nothing stored");

    let signature = sign(WAHA_HOOK_SECRET, &body);
    assert_eq!(
        deliver_waha(gw, &body, Some(&signature)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        deliver_waha(gw, &body, Some(&signature)).await.status,
        StatusCode::OK,
        "a repeat is acknowledged"
    );
    let events = history(gw, &cookie, "").await;
    assert_eq!(events.len(), 1, "stored once: {events:?}");
    assert_eq!(events[0]["kind"], "groupLeft");
    assert_eq!(events[0]["groupId"], GROUP);
    assert_eq!(events[0]["connection"], "default");

    // Not JSON, though signed: 400, nothing stored. Unknown connection or the Wavy one: 404.
    assert_eq!(
        deliver_waha(gw, "nope", Some(&sign(WAHA_HOOK_SECRET, "nope")))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let wrong = call(
        Method::POST,
        &format!("{gw}/_gateway/hooks/nope"),
        &[("x-webhook-hmac", &signature)],
        body.clone(),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let wrong = call(
        Method::POST,
        &format!("{gw}/_gateway/hooks/wavy"),
        &[("x-webhook-hmac", &signature)],
        body.clone(),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(history(gw, &cookie, "").await.len(), 1);
}

#[tokio::test]
async fn a_wavy_webhook_needs_the_token_and_history_filters_and_survives_a_restart() {
    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    add_users(dir.path());
    let connections = || {
        vec![
            waha_connection("default", &sandbox.base),
            wavy_connection("wavy", &sandbox.base),
        ]
    };
    let gateway = gateway_in(dir.path(), connections(), test_options()).await;
    let gw = &gateway.base;
    let cookie = login(gw, ADMIN, ADMIN_PASSWORD).await;
    let mo = json!({"id": "mo-1", "source": "5511999990000", "waGroupId": "5511900000000-1700000000", "messageText": "hi"}).to_string();

    for token in ["wrong", "wavyhooktoken4d1", "wavyhooktoken4d1f0"] {
        let reply = call(
            Method::POST,
            &format!("{gw}/_gateway/hooks/wavy/{token}"),
            &[],
            mo.clone(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{token}");
    }
    let reply = call(
        Method::POST,
        &format!("{gw}/_gateway/hooks/default/{WAVY_HOOK_TOKEN}"),
        &[],
        mo.clone(),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::NOT_FOUND,
        "the WAHA connection takes no token"
    );
    assert!(history(gw, &cookie, "").await.is_empty());

    let url = format!("{gw}/_gateway/hooks/wavy/{WAVY_HOOK_TOKEN}");
    assert_eq!(
        call(Method::POST, &url, &[], mo.clone()).await.status,
        StatusCode::OK
    );
    assert_eq!(
        call(Method::POST, &url, &[], mo.clone()).await.status,
        StatusCode::OK
    );
    let body = waha_event("evt_09", "group.v2.leave");
    assert_eq!(
        deliver_waha(gw, &body, Some(&sign(WAHA_HOOK_SECRET, &body)))
            .await
            .status,
        StatusCode::OK
    );

    let all = history(gw, &cookie, "").await;
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(
        all[0]["id"].as_i64() > all[1]["id"].as_i64(),
        "newest first"
    );
    assert_eq!(all[1]["connection"], "wavy");
    assert_eq!(history(gw, &cookie, "?connection=wavy").await.len(), 1);
    assert_eq!(
        history(gw, &cookie, &format!("?groupId={GROUP}"))
            .await
            .len(),
        1
    );
    assert_eq!(history(gw, &cookie, "?limit=1").await.len(), 1);
    assert_eq!(
        get(&format!("{gw}/_gateway/events/history"), &[])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    drop(gateway);

    let gateway = gateway_in(dir.path(), connections(), test_options()).await;
    assert_eq!(
        history(&gateway.base, &cookie, "").await,
        all,
        "kept across a restart"
    );
}

#[tokio::test]
async fn events_stream_live_and_resume_after_last_event_id_with_nothing_lost_or_repeated() {
    let s = setup().await;
    let gw = &s.gateway.base;
    let cookie = login(gw, VIEWER, VIEWER_PASSWORD).await;
    assert_eq!(
        get(&format!("{gw}/_gateway/events"), &[]).await.status,
        StatusCode::UNAUTHORIZED
    );

    // One event before anyone listens: a stream without Last-Event-ID starts after it.
    let early = waha_event("evt_early", "group.v2.leave");
    deliver_waha(gw, &early, Some(&sign(WAHA_HOOK_SECRET, &early))).await;
    let mut live = open_events(gw, &cookie, None).await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        let body = waha_event(&format!("evt_{n}"), "group.v2.leave");
        assert_eq!(
            deliver_waha(gw, &body, Some(&sign(WAHA_HOOK_SECRET, &body)))
                .await
                .status,
            StatusCode::OK
        );
    }
    for _ in 0..3 {
        let (id, data) = live.next().await;
        assert_eq!(data["id"], id);
        assert_eq!(data["connection"], "default");
        assert_eq!(data["kind"], "groupLeft");
        ids.push(id);
    }
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "strictly increasing: {ids:?}"
    );

    // Resuming after the first: the second and third, then what comes next, nothing else.
    let mut resumed = open_events(gw, &cookie, Some(ids[0])).await;
    assert_eq!(resumed.next().await.0, ids[1]);
    assert_eq!(resumed.next().await.0, ids[2]);
    let body = waha_event("evt_4", "group.v2.leave");
    deliver_waha(gw, &body, Some(&sign(WAHA_HOOK_SECRET, &body))).await;
    let (fourth, _) = resumed.next().await;
    assert!(fourth > ids[2]);
    assert_eq!(live.next().await.0, fourth);
}

#[tokio::test]
async fn a_member_joining_on_the_sandbox_reaches_the_gateway_signed_and_streams_out() {
    let s = setup().await;
    let gw = &s.gateway.base;
    let cookie = login(gw, ADMIN, ADMIN_PASSWORD).await;
    let c = json_as(&cookie);
    let hook = json!({"url": format!("{gw}/_gateway/hooks/default"), "secret": WAHA_HOOK_SECRET})
        .to_string();
    let registered = call(
        Method::POST,
        &format!("{}/_sandbox/webhook", s.sandbox.base),
        &[("content-type", "application/json")],
        hook,
    )
    .await;
    assert!(registered.status.is_success(), "{}", registered.text());

    let created = call(
        Method::POST,
        &format!("{gw}/c/default/api/default/groups"),
        &c,
        json!({"name": "Live", "participants": []}).to_string(),
    )
    .await;
    let id = created.json()["gid"]["_serialized"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = get(
        &format!("{gw}/c/default/api/default/groups/{id}/invite-code"),
        &c,
    )
    .await
    .text();
    let code = code.trim_matches('"').to_owned();
    let link = if code.starts_with("https://") {
        code
    } else {
        format!("https://chat.whatsapp.com/{code}")
    };

    let mut live = open_events(gw, &cookie, None).await;
    let joined = call(
        Method::POST,
        &format!("{}/_sandbox/join", s.sandbox.base),
        &[("content-type", "application/json")],
        json!({"link": link, "phone": "5511988887777"}).to_string(),
    )
    .await;
    assert!(joined.status.is_success(), "{}", joined.text());
    let (_, event) = live.next().await;
    assert_eq!(event["groupId"], id.as_str());
    assert_eq!(event["kind"], "participantsChanged");
    assert_eq!(event["action"], "join");
    let timeline = history(gw, &cookie, &format!("?groupId={id}")).await;
    assert_eq!(timeline.len(), 1);
}
