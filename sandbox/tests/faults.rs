//! Injected faults, and the core client's behaviour under them: what is retried, what is
//! not, and proof from the side-effect counter that a POST was applied exactly once.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use wa_groups::ErrorCode;
use wa_groups::model::NewGroup;
use wa_groups::retry::RetryPolicy;

async fn faults(router: &axum::Router, rules: Value) {
    let (status, body) = send(router, post_json("/_sandbox/faults", None, rules)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
}

async fn side_effects(router: &axum::Router) -> Value {
    send(router, get("/_sandbox/stats", None)).await.1
}

fn fast(router: &axum::Router) -> wa_groups::Client<InProcess> {
    client(router, "sandbox", "default").with_retry(RetryPolicy {
        retries: 2,
        base_delay_ms: 1,
        max_delay_ms: 2_000,
    })
}

fn new_group() -> NewGroup {
    NewGroup {
        subject: "Faulty".into(),
        participants: vec![],
    }
}

#[tokio::test]
async fn a_get_hit_by_503s_is_retried_until_it_succeeds() {
    let router = sandbox();
    faults(
        &router,
        json!([{"route": "/api/default/groups", "method": "GET", "status": 503, "times": 2}]),
    )
    .await;
    let groups = fast(&router)
        .list_groups(&Default::default())
        .await
        .unwrap();
    assert!(groups.is_empty());
}

#[tokio::test]
async fn a_post_hit_by_rate_overlimit_is_rate_limited_not_repeated_and_not_applied() {
    let router = sandbox();
    faults(
        &router,
        json!([{"route": "/api/default/groups", "method": "POST", "body": "rateOverlimit"}]),
    )
    .await;
    let err = fast(&router).create_group(&new_group()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::RateLimited);
    assert_eq!(side_effects(&router).await["total"], 0);
}

#[tokio::test]
async fn a_post_whose_answer_is_truncated_was_applied_exactly_once() {
    let router = sandbox();
    faults(
        &router,
        json!([{"route": "/api/default/groups", "method": "POST", "body": "truncated"}]),
    )
    .await;
    let err = fast(&router).create_group(&new_group()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Decode);
    let stats = side_effects(&router).await;
    assert_eq!(
        stats["sideEffects"]["POST /api/default/groups"], 1,
        "{stats}"
    );
}

#[tokio::test]
async fn a_post_hit_by_429_is_sent_again_after_retry_after() {
    let router = sandbox();
    faults(&router, json!([{"route": "/api/default/groups", "method": "POST", "status": 429, "retryAfter": "0", "times": 1}])).await;
    fast(&router).create_group(&new_group()).await.unwrap();
    assert_eq!(side_effects(&router).await["total"], 1);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let router = sandbox();
    faults(&router, json!([{"body": "malformed", "times": 5}])).await;
    let err = fast(&router)
        .list_groups(&Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Decode);
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after_beyond_its_rate() {
    let router = sandbox();
    faults(&router, json!([{"ratePerSecond": 2}])).await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let response =
            tower::ServiceExt::oneshot(router.clone(), get("/api/default/groups", Some("sandbox")))
                .await
                .unwrap();
        statuses.push((
            response.status().as_u16(),
            response.headers().get("retry-after").is_some(),
        ));
    }
    assert_eq!(
        statuses,
        [(200, false), (200, false), (429, true), (429, true)]
    );
}

#[tokio::test]
async fn a_request_header_injects_a_fault_for_that_request_only() {
    let router = sandbox();
    let mut request = get("/api/default/groups", Some("sandbox"));
    request
        .headers_mut()
        .insert("x-sandbox-fault", r#"{"status": 502}"#.parse().unwrap());
    assert_eq!(send(&router, request).await.0, StatusCode::BAD_GATEWAY);
    assert_eq!(
        send(&router, get("/api/default/groups", Some("sandbox")))
            .await
            .0,
        StatusCode::OK
    );
    let mut bad = get("/api/default/groups", Some("sandbox"));
    bad.headers_mut()
        .insert("x-sandbox-fault", r#"{"stauts": 502}"#.parse().unwrap());
    assert_eq!(
        send(&router, bad).await.0,
        StatusCode::BAD_REQUEST,
        "a misspelt fault is refused"
    );
}

#[tokio::test]
async fn reset_clears_faults_and_counts() {
    let router = sandbox();
    faults(&router, json!([{"status": 500}])).await;
    send(&router, post_json("/_sandbox/reset", None, json!({}))).await;
    fast(&router).create_group(&new_group()).await.unwrap();
    assert_eq!(side_effects(&router).await["total"], 1);
}

/// Whether `GET /api/{session}/groups/count` is answered 503 (by a fault).
async fn served_503(router: &axum::Router, session: &str) -> bool {
    let (status, _) = send(
        router,
        get(&format!("/api/{session}/groups/count"), Some("sandbox")),
    )
    .await;
    status == StatusCode::SERVICE_UNAVAILABLE
}

#[tokio::test]
async fn scoped_faults_replace_and_clear_only_the_rules_under_their_scope() {
    let router = sandbox();
    let scoped = |scope: &str, rules: Value| {
        post_json(&format!("/_sandbox/faults?scope={scope}"), None, rules)
    };
    for session in ["one", "two"] {
        let rule = json!([{"route": format!("/api/{session}/"), "status": 503}]);
        let (status, body) = send(&router, scoped(&format!("/api/{session}/"), rule)).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    // Both scopes hold their rule: the second POST did not replace the first.
    assert!(served_503(&router, "one").await);
    assert!(served_503(&router, "two").await);

    // A rule outside its scope (or with no route) is refused, and nothing changes.
    for rule in [
        json!({"route": "/api/two/", "status": 500}),
        json!({"status": 500}),
    ] {
        let (status, body) = send(&router, scoped("/api/one/", json!([rule]))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body.to_string().contains("outside the scope"), "{body}");
    }
    assert!(served_503(&router, "one").await);

    let clear = |path: &str| {
        axum::http::Request::delete(path)
            .body(axum::body::Body::empty())
            .unwrap()
    };
    // Clearing one scope leaves the other's rule in place.
    let (status, _) = send(&router, clear("/_sandbox/faults?scope=/api/one/")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(!served_503(&router, "one").await);
    assert!(served_503(&router, "two").await);

    // Without a scope, DELETE still clears everything.
    let (status, _) = send(&router, clear("/_sandbox/faults")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(!served_503(&router, "two").await);
}
