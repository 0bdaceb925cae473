//! Join-request answers that name no one, and `sendText` without a session, as WAHA sends
//! them (REFERENCE.md A2 `GroupJoinRequestResult = {requesterId|null, success, error?}`;
//! research `waha-lids-mentions-adds.md` §0 and §2: no ValidationPipe on `sendText`, so a
//! missing `session` is WAHA's 422 "Session name is required").

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

#[tokio::test]
async fn answering_a_request_nobody_made_names_no_requester_on_every_engine() {
    let router = sandbox();
    for session in ["webjs", "noweb", "gows"] {
        let (status, created) = send(
            &router,
            waha(
                "POST",
                &format!("/api/{session}/groups"),
                Some(json!({"name": "Requests", "participants": []})),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["gid"]["_serialized"]
            .as_str()
            .or(created["id"].as_str())
            .or(created["JID"].as_str())
            .unwrap()
            .to_owned();
        for action in ["approve", "reject"] {
            let path = format!("/api/{session}/groups/{id}/participants/join-requests/{action}");
            let (status, body) = send(
                &router,
                waha("POST", &path, Some(participants(&["5511977770020@c.us"]))),
            )
            .await;
            assert_eq!(
                (status, body),
                (
                    StatusCode::OK,
                    json!([{"requesterId": null, "success": false, "error": 404}])
                ),
                "{session} {action}"
            );
        }
    }
}

#[tokio::test]
async fn send_text_without_a_session_is_wahas_422_and_sends_nothing() {
    let router = sandbox();
    let (_, created) = send(
        &router,
        waha(
            "POST",
            "/api/default/groups",
            Some(json!({"name": "Chat", "participants": []})),
        ),
    )
    .await;
    let group = created["gid"]["_serialized"].as_str().unwrap();
    let text = json!({"chatId": group, "text": "hello"});
    let (status, body) = send(&router, waha("POST", "/api/sendText", Some(text.clone()))).await;
    // `session: undefined` is dropped by JSON.stringify: the key is absent.
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"error": "Session name is required"})
        )
    );
    for empty in [json!(null), json!("")] {
        let mut request = text.clone();
        request["session"] = empty.clone();
        let (status, body) = send(&router, waha("POST", "/api/sendText", Some(request))).await;
        assert_eq!(
            (status, body),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": "Session name is required", "session": empty})
            )
        );
    }
    let (_, stats) = send(&router, get("/_sandbox/stats", None)).await;
    assert!(
        stats["sideEffects"].get("POST /api/sendText").is_none(),
        "{stats}"
    );
    let mut named = text;
    named["session"] = json!("default");
    let (status, _) = send(&router, waha("POST", "/api/sendText", Some(named))).await;
    assert_eq!(status, StatusCode::CREATED);
}

/// `mentions` as WAHA 2025.11.1+ takes them (research §2): `["all"]` only in a group (a
/// direct chat is its 422, nothing sent); every send, to a group or a person, is recorded
/// with its text and mentions for `GET /_sandbox/messages?chatId=`.
#[tokio::test]
async fn mentions_are_recorded_and_all_is_for_groups_only() {
    let router = sandbox();
    let (_, created) = send(
        &router,
        waha(
            "POST",
            "/api/default/groups",
            Some(json!({"name": "Chat", "participants": []})),
        ),
    )
    .await;
    let group = created["gid"]["_serialized"].as_str().unwrap();
    let all = json!({"session": "default", "chatId": "5511988880000@c.us", "text": "hi", "mentions": ["all"]});
    let (status, body) = send(&router, waha("POST", "/api/sendText", Some(all))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["message"],
        "\"mentions\":[\"all\"] can be used only in group chats, not in '5511988880000@c.us'"
    );
    let messages = |chat: &str| get(&format!("/_sandbox/messages?chatId={chat}"), None);
    let (_, direct) = send(&router, messages("5511988880000@c.us")).await;
    assert_eq!(direct, json!([]));

    for (chat, mentions) in [
        (group, json!(["all"])),
        (group, json!(["5511988880000@c.us"])),
        ("5511988880000", json!(["5511988880000@c.us"])),
    ] {
        let request =
            json!({"session": "default", "chatId": chat, "text": "hey", "mentions": mentions});
        let (status, body) = send(&router, waha("POST", "/api/sendText", Some(request))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let plain = json!({"session": "default", "chatId": group, "text": "plain"});
    send(&router, waha("POST", "/api/sendText", Some(plain))).await;
    let (status, sent) = send(&router, messages(group)).await;
    assert_eq!(status, StatusCode::OK);
    let seen: Vec<_> = sent
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["text"].clone(),
                m["mentions"].clone(),
                m["chatId"].clone(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (json!("hey"), json!(["all"]), json!(group)),
            (json!("hey"), json!(["5511988880000@c.us"]), json!(group)),
            (json!("plain"), json!([]), json!(group)),
        ]
    );
    // A direct message, recorded under the person's normalised id.
    let (_, direct) = send(&router, messages("5511988880000@c.us")).await;
    assert_eq!(direct.as_array().unwrap().len(), 1, "{direct}");
    assert_eq!(direct[0]["from"], sent[0]["from"]);
    let (status, _) = send(&router, get("/_sandbox/messages", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
