//! Sign-in, its failures, the failed-sign-in limit, sessions (cookie flags, hashed storage,
//! revocation, expiry) and `GET /_gateway/me`.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::json;
use sha2::{Digest, Sha256};

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_session_cookie_and_me_answers() {
    let s = setup().await;
    let reply = sign_in(&s.gateway.base, ADMIN, ADMIN_PASSWORD, &[]).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let set = reply.header("set-cookie").unwrap();
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Strict"), "{set}");
    assert!(set.contains("Path=/"), "{set}");
    assert!(!set.contains("Secure"), "plain http: {set}");
    let cookie = cookie_of(&reply);
    let id = cookie.split_once('=').unwrap().1;
    assert_eq!(id.len(), 64, "256 random bits, hex");

    let me = get(
        &format!("{}/_gateway/me", s.gateway.base),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(
        me.json(),
        json!({
            "user": ADMIN,
            "role": "admin",
            "connections": [
                {"name": "default", "provider": "waha", "session": "default"},
                {"name": "wavy", "provider": "wavy"},
                // Evolution's instance is its `session`, as the panel reads it.
                {"name": "evo", "provider": "evolution", "session": "sales"},
            ],
        })
    );
    assert_no_secret(&me.everything());
}

#[tokio::test]
async fn the_cookie_is_secure_behind_a_tls_proxy() {
    let s = setup().await;
    let reply = sign_in(
        &s.gateway.base,
        VIEWER,
        VIEWER_PASSWORD,
        &[("x-forwarded-proto", "https")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert!(reply.header("set-cookie").unwrap().contains("; Secure"));
}

#[tokio::test]
async fn the_database_holds_only_a_hash_of_the_session_id() {
    let s = setup().await;
    let cookie = login(&s.gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let id = cookie.split_once('=').unwrap().1;
    let db = rusqlite::Connection::open(s.dir.path().join("gateway.db")).unwrap();
    let stored: Vec<u8> = db
        .query_row("SELECT id_hash FROM sessions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, Sha256::digest(id.as_bytes()).to_vec());
    let password: String = db
        .query_row(
            "SELECT password_hash FROM users WHERE name = ?1",
            [ADMIN],
            |r| r.get(0),
        )
        .unwrap();
    assert!(password.starts_with("$argon2id$"), "{password}");
}

#[tokio::test]
async fn an_unknown_user_and_a_wrong_password_get_the_same_401() {
    let s = setup().await;
    let wrong = sign_in(&s.gateway.base, ADMIN, "not the password", &[]).await;
    let unknown = sign_in(&s.gateway.base, "nobody", "not the password", &[]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert!(wrong.header("set-cookie").is_none());
    let malformed = call(
        Method::POST,
        &format!("{}/_gateway/login", s.gateway.base),
        &[],
        "{",
    )
    .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn more_than_five_failures_in_a_minute_get_429_with_retry_after_even_with_the_right_password()
{
    let s = setup().await;
    for _ in 0..5 {
        let reply = sign_in(&s.gateway.base, ADMIN, "guess", &[]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let limited = sign_in(&s.gateway.base, ADMIN, ADMIN_PASSWORD, &[]).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert!(limited.header("set-cookie").is_none());
    // Per user: the viewer still signs in; unknown names are limited the same way.
    login(&s.gateway.base, VIEWER, VIEWER_PASSWORD).await;
    for _ in 0..5 {
        sign_in(&s.gateway.base, "ghost", "guess", &[]).await;
    }
    assert_eq!(
        sign_in(&s.gateway.base, "ghost", "guess", &[]).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn logout_revokes_the_session_on_the_server() {
    let s = setup().await;
    let cookie = login(&s.gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let out = call(
        Method::POST,
        &format!("{}/_gateway/logout", s.gateway.base),
        &[("cookie", &cookie)],
        "",
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    // The same cookie, replayed as an attacker who kept it would.
    let me = get(
        &format!("{}/_gateway/me", s.gateway.base),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    let forwarded = get(
        &format!("{}/c/default/api/default/groups", s.gateway.base),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(forwarded.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_expired_session_is_refused() {
    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    add_users(dir.path());
    let options = wa_groups_gateway::Options {
        session_ttl: std::time::Duration::ZERO,
        ..test_options()
    };
    let gateway = gateway_in(
        dir.path(),
        vec![waha_connection("default", &sandbox.base)],
        options,
    )
    .await;
    let cookie = login(&gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let me = get(
        &format!("{}/_gateway/me", gateway.base),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn without_a_session_every_route_but_login_is_401_and_reaches_nothing() {
    let s = setup().await;
    let forged = "wa_gw_session=00000000000000000000000000000000000000000000000000000000000000ff";
    for cookie in ["", forged] {
        for (method, path) in [
            (Method::GET, "/_gateway/me"),
            (Method::POST, "/_gateway/logout"),
            (Method::GET, "/_gateway/audit"),
            (Method::GET, "/_gateway/unknown"),
            (Method::GET, "/c/default/api/default/groups"),
            (Method::POST, "/c/default/api/default/groups"),
            (Method::GET, "/c/default/api/sessions"),
            (Method::GET, "/c/nope/api/default/groups"),
            (Method::GET, "/c/wavy/v1/whatsapp/groups"),
            (Method::GET, "/nothing-here"),
        ] {
            let headers: Vec<(&str, &str)> = if cookie.is_empty() {
                vec![]
            } else {
                vec![("cookie", cookie)]
            };
            let reply = call(
                method.clone(),
                &format!("{}{path}", s.gateway.base),
                &headers,
                "",
            )
            .await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path}");
            assert_eq!(reply.json()["error"], "unauthorized");
        }
    }
    assert_eq!(total(&sandbox_requests(&s.sandbox.base).await), 0);
}
