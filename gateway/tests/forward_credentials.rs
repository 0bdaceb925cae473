//! The gateway drops the caller's credentials and cookies, adds the connection's own, and
//! no known secret ever shows in an answer — even when the upstream echoes it back.

mod common;

use axum::Json;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::any;
use common::*;
use serde_json::{Value, json};

/// An upstream that answers every request with what it received — and, like a careless
/// provider, puts the API key it got into its error text and a header.
async fn echo_upstream() -> Server {
    async fn echo(
        method: Method,
        uri: axum::http::Uri,
        headers: HeaderMap,
    ) -> (StatusCode, HeaderMap, Json<Value>) {
        let seen: serde_json::Map<String, Value> = headers
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), json!(v.to_str().unwrap_or_default())))
            .collect();
        let key = headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let mut out = HeaderMap::new();
        out.insert("x-echo-key", key.parse().unwrap());
        out.insert("retry-after", "7".parse().unwrap());
        out.insert("set-cookie", "upstream=1".parse().unwrap());
        let body = json!({
            "method": method.as_str(),
            "uri": uri.to_string(),
            "headers": seen,
            "message": format!("invalid key {key}"),
        });
        (StatusCode::TOO_MANY_REQUESTS, out, Json(body))
    }
    serve(axum::Router::new().fallback(any(echo))).await
}

#[tokio::test]
async fn caller_credentials_are_stripped_and_the_connections_own_are_added() {
    let upstream = echo_upstream().await;
    let dir = tempfile::tempdir().unwrap();
    add_users(dir.path());
    let gateway = gateway_in(
        dir.path(),
        vec![
            waha_connection("default", &upstream.base),
            wavy_connection("wavy", &upstream.base),
        ],
        test_options(),
    )
    .await;
    let cookie = login(&gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let hostile = [
        ("cookie", cookie.as_str()),
        ("x-api-key", "attacker-key"),
        ("authorization", "Bearer attacker"),
        ("username", "attacker-user"),
        ("authenticationtoken", "attacker-token"),
        ("x-sandbox-fault", "{\"status\":500}"),
        ("x-forwarded-for", "10.0.0.1"),
    ];

    let reply = get(
        &format!(
            "{}/c/default/api/default/groups?limit=5&x-api-key=attacker-key&sortBy=subject",
            gateway.base
        ),
        &hostile,
    )
    .await;
    // Status, Retry-After and body pass through; the echoed key is redacted.
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.header("retry-after").as_deref(), Some("7"));
    assert!(
        reply.header("set-cookie").is_none(),
        "the upstream's cookies stay there"
    );
    assert!(reply.header("x-echo-key").is_none());
    let seen = reply.json();
    assert_eq!(seen["uri"], "/api/default/groups?limit=5&sortBy=subject");
    assert_eq!(seen["message"], "invalid key <redacted>");
    assert_eq!(
        seen["headers"]["x-api-key"], "<redacted>",
        "the connection's key was sent"
    );
    let sent = seen["headers"].as_object().unwrap();
    for name in [
        "authorization",
        "username",
        "authenticationtoken",
        "cookie",
        "x-sandbox-fault",
        "x-forwarded-for",
    ] {
        assert!(!sent.contains_key(name), "{name} was forwarded: {sent:?}");
    }
    assert!(!reply.text().contains("attacker"), "{}", reply.text());
    assert_no_secret(&reply.everything());

    let reply = get(
        &format!("{}/c/wavy/v1/whatsapp/groups", gateway.base),
        &hostile,
    )
    .await;
    let sent = reply.json()["headers"].clone();
    assert_eq!(sent["username"], "<redacted>");
    assert_eq!(sent["authenticationtoken"], "<redacted>");
    assert!(sent.get("x-api-key").is_none());
    assert!(!reply.text().contains("attacker"));
    assert_no_secret(&reply.everything());
}

#[tokio::test]
async fn no_answer_of_the_gateway_carries_a_credential() {
    let s = setup().await;
    let cookie = login(&s.gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let c = json_as(&cookie);
    let base = &s.gateway.base;
    let replies = [
        call(
            Method::POST,
            &format!("{base}/c/default/api/default/groups"),
            &c,
            json!({"name": "x", "participants": []}).to_string(),
        )
        .await,
        get(&format!("{base}/c/default/api/default/groups"), &c).await,
        get(&format!("{base}/c/default/api/default/groups/999@g.us"), &c).await,
        call(
            Method::POST,
            &format!("{base}/c/wavy/v1/whatsapp/groups"),
            &c,
            json!({"subject": "x"}).to_string(),
        )
        .await,
        get(&format!("{base}/c/wavy/v1/whatsapp/groups"), &c).await,
        get(&format!("{base}/c/wavy/v1/whatsapp/groups/55-16"), &c).await,
        get(&format!("{base}/c/default/api/sessions"), &c).await,
        get(&format!("{base}/_gateway/me"), &c).await,
        get(&format!("{base}/_gateway/audit"), &c).await,
    ];
    for reply in replies {
        assert_no_secret(&reply.everything());
    }
}
