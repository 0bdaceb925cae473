//! WAHA create/list on the sandbox: the wire contract, and the core client against it.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::json;
use wa_groups::ErrorCode;
use wa_groups::model::{ListGroupsOptions, NewGroup, Role, SortBy, SortOrder};

#[tokio::test]
async fn requests_without_the_api_key_get_wahas_401_body() {
    let router = sandbox();
    for key in [None, Some("wrong")] {
        let (status, body) = send(&router, get("/api/default/groups", key)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body, json!({"statusCode": 401, "message": "Unauthorized"}));
    }
}

#[tokio::test]
async fn the_api_key_may_come_as_a_query_parameter() {
    let (status, _) = send(
        &sandbox(),
        get("/api/default/groups?x-api-key=sandbox", None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn create_returns_201_with_the_webjs_create_result() {
    let router = sandbox();
    let (status, body) = send(
        &router,
        post_json(
            "/api/default/groups",
            Some("sandbox"),
            json!({"name": "Team", "participants": [{"id": "85299999999@c.us"}]}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["title"], "Team");
    assert!(
        body["gid"]["_serialized"]
            .as_str()
            .unwrap()
            .ends_with("@g.us")
    );
    assert_eq!(body["participants"]["85299999999@c.us"]["statusCode"], 200);
}

#[tokio::test]
async fn create_without_a_name_is_a_400() {
    let (status, body) = send(
        &sandbox(),
        post_json(
            "/api/default/groups",
            Some("sandbox"),
            json!({"participants": []}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["statusCode"], 400);
}

#[tokio::test]
async fn unknown_sessions_are_wahas_404() {
    let (status, body) = send(&sandbox(), get("/api/nobody/groups", Some("sandbox"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["message"].as_str().unwrap().contains("'nobody'"));
}

#[tokio::test]
async fn list_rejects_an_unknown_sort_field_like_waha() {
    let (status, body) = send(
        &sandbox(),
        get("/api/default/groups?sortBy=size", Some("sandbox")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["message"],
        json!(["sortBy must be one of the following values: id, subject"])
    );
}

#[tokio::test]
async fn cors_preflight_admits_the_api_key_header() {
    let preflight = Request::builder()
        .method("OPTIONS")
        .uri("/api/default/groups")
        .header("Origin", "http://127.0.0.1:8000")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "x-api-key,content-type")
        .body(Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(sandbox(), preflight)
        .await
        .unwrap();
    assert!(response.status().is_success());
    let headers = response.headers();
    // A loopback page gets its own origin back (sandbox/tests/browser_access.rs).
    assert_eq!(
        headers["access-control-allow-origin"],
        "http://127.0.0.1:8000"
    );
    let allowed = headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("x-api-key") || allowed == "*", "{allowed}");
}

#[tokio::test]
async fn client_creates_a_group_and_finds_it_in_the_list() {
    let router = sandbox();
    let client = client(&router, "sandbox", "default");
    let created = client
        .create_group(&NewGroup {
            subject: "Team".into(),
            participants: vec!["+55 11 98888-0000".into()],
        })
        .await
        .unwrap();
    assert_eq!(created.subject, "Team");
    let listed = client
        .list_groups(&ListGroupsOptions::default())
        .await
        .unwrap();
    let found = listed
        .iter()
        .find(|g| g.id == created.id)
        .expect("created group is listed");
    assert_eq!(found.subject, "Team");
    let roles: Vec<(&str, Role)> = found
        .participants
        .iter()
        .map(|p| (p.id.as_str(), p.role))
        .collect();
    assert_eq!(
        roles,
        vec![
            ("5511900000000@c.us", Role::Superadmin),
            ("5511988880000@c.us", Role::Member)
        ]
    );
    assert_eq!(
        found.creator.as_ref().map(|c| c.as_str()),
        Some("5511900000000@c.us")
    );
}

#[tokio::test]
async fn client_pages_and_sorts() {
    let router = sandbox();
    let client = client(&router, "sandbox", "default");
    for subject in ["b", "c", "a", "d"] {
        client
            .create_group(&NewGroup {
                subject: subject.into(),
                participants: vec![],
            })
            .await
            .unwrap();
    }
    let page = client
        .list_groups(&ListGroupsOptions {
            limit: Some(2),
            offset: Some(1),
            sort_by: Some(SortBy::Subject),
            sort_order: Some(SortOrder::Desc),
            ..Default::default()
        })
        .await
        .unwrap();
    let subjects: Vec<&str> = page.iter().map(|g| g.subject.as_str()).collect();
    assert_eq!(subjects, ["c", "b"]);
}

#[tokio::test]
async fn client_reports_a_wrong_key_as_unauthorized() {
    let router = sandbox();
    let err = client(&router, "wrong", "default")
        .list_groups(&Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized);
    assert_eq!(err.status(), Some(401));
}

#[tokio::test]
async fn sessions_keep_separate_groups() {
    let router = sandbox();
    client(&router, "sandbox", "webjs")
        .create_group(&NewGroup {
            subject: "Only here".into(),
            participants: vec![],
        })
        .await
        .unwrap();
    let default = client(&router, "sandbox", "default")
        .list_groups(&Default::default())
        .await
        .unwrap();
    assert!(default.is_empty());
}

#[tokio::test]
async fn demo_seed_has_groups() {
    let router = wa_groups_sandbox::app(wa_groups_sandbox::Config {
        seed_demo: true,
        ..Default::default()
    });
    let groups = client(&router, "sandbox", "default")
        .list_groups(&Default::default())
        .await
        .unwrap();
    assert!(groups.len() >= 3);
    assert!(groups.iter().any(|g| g.description.is_some()));
}
