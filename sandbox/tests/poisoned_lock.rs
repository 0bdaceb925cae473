//! A panic while the state lock is held poisons it; every route must go on answering
//! (recovering the state), never cascade the panic into every later request.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

#[tokio::test]
async fn every_route_answers_after_the_state_lock_was_poisoned() {
    let (router, world) = wa_groups_sandbox::app_and_world(Default::default());
    let poison = std::thread::spawn(move || {
        let _held = world.lock().unwrap();
        panic!("a handler panicked while holding the lock");
    });
    assert!(poison.join().is_err(), "the lock is now poisoned");

    let (status, created) = send(
        &router,
        waha(
            "POST",
            "/api/default/groups",
            Some(json!({"name": "After", "participants": [{"id": "5511977770040@c.us"}]})),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let group = created["gid"]["_serialized"].as_str().unwrap().to_owned();
    let (_, code) = send(
        &router,
        waha(
            "GET",
            &format!("/api/default/groups/{group}/invite-code"),
            None,
        ),
    )
    .await;
    for (request, expected) in [
        (waha("GET", "/api/default/groups", None), StatusCode::OK),
        (
            waha(
                "GET",
                &format!("/api/default/groups/{group}/participants/v2"),
                None,
            ),
            StatusCode::OK,
        ),
        (
            waha(
                "POST",
                "/api/sendText",
                Some(json!({"session": "default", "chatId": group, "text": "hi"})),
            ),
            StatusCode::CREATED,
        ),
        (
            wavy(
                "POST",
                "/v1/whatsapp/groups",
                Some(json!({"subject": "Wavy"})),
            ),
            StatusCode::OK,
        ),
        (wavy("GET", "/v1/whatsapp/groups", None), StatusCode::OK),
        (
            post_json(
                "/_sandbox/join",
                None,
                json!({"link": code, "phone": "5511977770041"}),
            ),
            StatusCode::OK,
        ),
        (
            post_json(
                "/_sandbox/message",
                None,
                json!({"groupId": group, "phone": "5511977770040", "text": "hi"}),
            ),
            StatusCode::OK,
        ),
        (
            post_json("/_sandbox/seed", None, json!({"groups": 2})),
            StatusCode::OK,
        ),
        (
            post_json("/_sandbox/webhook", None, json!({"url": null})),
            StatusCode::NO_CONTENT,
        ),
        (get("/_sandbox/stats", None), StatusCode::OK),
        (
            get(&format!("/_sandbox/icons/{group}"), None),
            StatusCode::NOT_FOUND,
        ),
        (
            post_json("/_sandbox/reset", None, json!({})),
            StatusCode::NO_CONTENT,
        ),
    ] {
        let what = format!("{} {}", request.method(), request.uri());
        let (status, body) = send(&router, request).await;
        assert_eq!(status, expected, "{what}: {body}");
    }
}
