//! Only the core's group routes are forwarded; everything else is a 404 that never reaches
//! the provider (the sandbox's `GET /_sandbox/stats` counts every provider request).

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::json;

#[tokio::test]
async fn refused_paths_get_404_and_never_reach_the_sandbox() {
    let s = setup().await;
    let cookie = login(&s.gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let c = [("cookie", cookie.as_str())];
    let refused = [
        (Method::GET, "/c/default/api/sessions"),
        (Method::POST, "/c/default/api/sessions/start"),
        (Method::GET, "/c/default/api/default/auth/qr"),
        (Method::GET, "/c/default/api/default/chats"),
        (Method::GET, "/c/default/api/screenshot?session=default"),
        (Method::GET, "/c/default/api/other/groups"),
        (
            Method::GET,
            "/c/default/api/default/groups/..%2F..%2Fsessions",
        ),
        (
            Method::GET,
            "/c/default/api/default/groups/%2e%2e/%2e%2e/sessions",
        ),
        (Method::GET, "/c/default/api/default/groups/../../sessions"),
        (
            Method::GET,
            "/c/default/api/default/groups/1203@g.us%2Fparticipants",
        ),
        (
            Method::GET,
            "/c/default/api/default/groups/1203@g.us%5C..%5Csessions",
        ),
        (Method::GET, "/c/default/api/default//groups"),
        (Method::GET, "/c/default/api/default/groups/"),
        (Method::GET, "/c/default//api/default/groups"),
        (Method::GET, "/c/default/api/default/groups/not-a-group"),
        (
            Method::PATCH,
            "/c/default/api/default/groups/1203@g.us/subject",
        ),
        (Method::GET, "/c/default/v1/whatsapp/groups"),
        (Method::GET, "/c/wavy/api/default/groups"),
        (Method::GET, "/c/wavy/v1/whatsapp/templates"),
        (
            Method::POST,
            "/c/wavy/v1/whatsapp/groups/55-16/participants",
        ),
        (Method::GET, "/c/wavy/v1/sms/send"),
        (Method::GET, "/c/nope/api/default/groups"),
        (Method::GET, "/c/default"),
        (Method::GET, "/c/"),
        (Method::GET, "/_sandbox/stats"),
        (Method::POST, "/_sandbox/reset"),
    ];
    for (method, path) in refused {
        let reply = call(method.clone(), &format!("{}{path}", s.gateway.base), &c, "").await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {}",
            reply.text()
        );
        assert_eq!(reply.json()["error"], "not_found", "{method} {path}");
    }
    // WAHA's sendText is forwarded only for this connection's own session.
    let other_session =
        json!({"session": "other", "chatId": "1203@g.us", "text": "hi"}).to_string();
    let reply = call(
        Method::POST,
        &format!("{}/c/default/api/sendText", s.gateway.base),
        &[("cookie", &cookie), ("content-type", "application/json")],
        other_session,
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // Sends reach groups only: never a person, several recipients, or a malformed body.
    let sends = [
        (
            "default",
            "/api/sendText",
            json!({"session": "default", "chatId": "5511999990000@c.us", "text": "hi"}),
        ),
        (
            "default",
            "/api/sendText",
            json!({"chatId": "1203@g.us", "text": "hi"}),
        ),
        (
            "default",
            "/api/sendText",
            json!({"session": "default", "chatId": "../1203@g.us", "text": "hi"}),
        ),
        (
            "wavy",
            "/v1/whatsapp/send",
            json!({"destinations": [{"destination": "5511999990000", "recipientType": "individual"}], "message": {"messageText": "hi"}}),
        ),
        (
            "wavy",
            "/v1/whatsapp/send",
            json!({"destinations": [{"destination": "5511999990000"}], "message": {"messageText": "hi"}}),
        ),
        (
            "wavy",
            "/v1/whatsapp/send",
            json!({"destinations": [
            {"destination": "55-16", "recipientType": "group"},
            {"destination": "5511999990000", "recipientType": "individual"}
        ], "message": {"messageText": "hi"}}),
        ),
    ];
    for (connection, path, body) in sends {
        let reply = call(
            Method::POST,
            &format!("{}/c/{connection}{path}", s.gateway.base),
            &[("cookie", &cookie), ("content-type", "application/json")],
            body.to_string(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{body}");
    }
    assert_eq!(
        total(&sandbox_requests(&s.sandbox.base).await),
        0,
        "nothing reached the provider"
    );

    // The same gateway does forward an allowed route.
    let ok = get(
        &format!("{}/c/default/api/default/groups", s.gateway.base),
        &c,
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    let requests = sandbox_requests(&s.sandbox.base).await;
    assert_eq!(
        requests.keys().collect::<Vec<_>>(),
        ["GET /api/default/groups"]
    );
}

#[tokio::test]
async fn the_host_header_and_an_absolute_uri_do_not_move_the_upstream() {
    let s = setup().await;
    let cookie = login(&s.gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let reply = get(
        &format!("{}/c/default/api/default/groups", s.gateway.base),
        &[
            ("cookie", &cookie),
            ("host", "evil.example"),
            ("x-forwarded-host", "evil.example"),
        ],
    )
    .await;
    // Answered by the sandbox, the connection's own upstream.
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(total(&sandbox_requests(&s.sandbox.base).await), 1);
}
