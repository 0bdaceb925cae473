//! Roles (a viewer only reads), the same-origin rule for writes, the audit of forwarded
//! writes, and a restart keeping users, sessions and the audit.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::json;

fn create_body() -> String {
    json!({"name": "Team", "participants": []}).to_string()
}

#[tokio::test]
async fn a_viewer_reads_but_every_write_is_403_and_never_forwarded() {
    let s = setup().await;
    let cookie = login(&s.gateway.base, VIEWER, VIEWER_PASSWORD).await;
    let c = json_as(&cookie);
    let read = get(
        &format!("{}/c/default/api/default/groups", s.gateway.base),
        &c,
    )
    .await;
    assert_eq!(read.status, StatusCode::OK);
    for (method, path) in [
        (Method::POST, "/c/default/api/default/groups"),
        (
            Method::PUT,
            "/c/default/api/default/groups/1203@g.us/subject",
        ),
        (Method::DELETE, "/c/default/api/default/groups/1203@g.us"),
        (Method::POST, "/c/wavy/v1/whatsapp/send"),
        (Method::PATCH, "/c/wavy/v1/whatsapp/groups/55-16/admins"),
    ] {
        let reply = call(
            method.clone(),
            &format!("{}{path}", s.gateway.base),
            &c,
            create_body(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(reply.json()["error"], "forbidden");
    }
    let audit = get(&format!("{}/_gateway/audit", s.gateway.base), &c).await;
    assert_eq!(
        audit.status,
        StatusCode::FORBIDDEN,
        "the audit is for admins"
    );
    let requests = sandbox_requests(&s.sandbox.base).await;
    assert_eq!(
        requests.keys().collect::<Vec<_>>(),
        ["GET /api/default/groups"]
    );
}

#[tokio::test]
async fn a_write_from_another_origin_is_403_and_a_same_origin_one_passes() {
    let s = setup().await;
    let cookie = login(&s.gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let url = format!("{}/c/default/api/default/groups", s.gateway.base);
    for origin in [
        "https://evil.example",
        "null",
        "http://127.0.0.1:1",
        &s.sandbox.base,
    ] {
        let reply = call(
            Method::POST,
            &url,
            &[
                ("cookie", &cookie),
                ("content-type", "application/json"),
                ("origin", origin),
            ],
            create_body(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{origin}");
    }
    // Sign-in and sign-out from another origin are refused too (login CSRF).
    let foreign = sign_in(
        &s.gateway.base,
        ADMIN,
        ADMIN_PASSWORD,
        &[("origin", "https://evil.example")],
    )
    .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert_eq!(total(&sandbox_requests(&s.sandbox.base).await), 0);

    // A read from elsewhere is not a write; the gateway's own origin may write.
    let read = get(
        &url,
        &[("cookie", &cookie), ("origin", "https://evil.example")],
    )
    .await;
    assert_eq!(read.status, StatusCode::OK);
    let own = s.gateway.base.clone();
    let write = call(
        Method::POST,
        &url,
        &[
            ("cookie", &cookie),
            ("content-type", "application/json"),
            ("origin", &own),
        ],
        create_body(),
    )
    .await;
    assert_eq!(write.status, StatusCode::CREATED, "{}", write.text());
}

#[tokio::test]
async fn the_audit_lists_forwarded_writes_newest_first_filtered_by_group() {
    let s = setup().await;
    let cookie = login(&s.gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let c = json_as(&cookie);
    let base = &s.gateway.base;
    let created = call(
        Method::POST,
        &format!("{base}/c/default/api/default/groups"),
        &c,
        create_body(),
    )
    .await;
    let id = created.json()["gid"]["_serialized"]
        .as_str()
        .unwrap()
        .to_owned();
    let subject = json!({"subject": "New"}).to_string();
    let renamed = call(
        Method::PUT,
        &format!("{base}/c/default/api/default/groups/{id}/subject"),
        &c,
        subject.clone(),
    )
    .await;
    assert!(renamed.status.is_success(), "{}", renamed.text());
    // A write the provider refuses is audited with the provider's status.
    let missing = call(
        Method::PUT,
        &format!("{base}/c/default/api/default/groups/999@g.us/subject"),
        &c,
        subject,
    )
    .await;
    assert!(!missing.status.is_success(), "{}", missing.text());
    get(&format!("{base}/c/default/api/default/groups/{id}"), &c).await; // a read: not audited

    let all = get(&format!("{base}/_gateway/audit"), &c).await.json();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0]["groupId"], "999@g.us");
    assert_eq!(all[0]["status"], missing.status.as_u16());
    assert_eq!(all[1]["operation"], "setSubject");
    assert_eq!(all[1]["method"], "PUT");
    assert_eq!(all[1]["path"], format!("/api/default/groups/{id}/subject"));
    assert_eq!(all[1]["user"], ADMIN);
    assert_eq!(all[1]["connection"], "default");
    assert!(all[1]["durationMs"].is_i64() && all[1]["atMs"].is_i64());
    assert_eq!(all[2]["operation"], "createGroup");

    let one = get(&format!("{base}/_gateway/audit?groupId={id}&limit=5"), &c)
        .await
        .json();
    assert_eq!(one.as_array().unwrap().len(), 1);
    let limited = get(&format!("{base}/_gateway/audit?limit=1"), &c)
        .await
        .json();
    assert_eq!(limited.as_array().unwrap().len(), 1);
    let bad = get(&format!("{base}/_gateway/audit?limit=many"), &c).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_restart_keeps_users_sessions_and_the_audit() {
    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    add_users(dir.path());
    let connections = || vec![waha_connection("default", &sandbox.base)];
    let gateway = gateway_in(dir.path(), connections(), test_options()).await;
    let cookie = login(&gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let created = call(
        Method::POST,
        &format!("{}/c/default/api/default/groups", gateway.base),
        &[("cookie", &cookie), ("content-type", "application/json")],
        create_body(),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    drop(gateway);

    let gateway = gateway_in(dir.path(), connections(), test_options()).await;
    let me = get(
        &format!("{}/_gateway/me", gateway.base),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(me.status, StatusCode::OK, "the session survived");
    login(&gateway.base, VIEWER, VIEWER_PASSWORD).await;
    let audit = get(
        &format!("{}/_gateway/audit", gateway.base),
        &[("cookie", &cookie)],
    )
    .await
    .json();
    assert_eq!(audit[0]["operation"], "createGroup");
}
