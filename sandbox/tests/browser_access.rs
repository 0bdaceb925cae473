//! Who may use the sandbox from a browser, tested from outside as an attacking page would:
//! only loopback pages (and the sandbox's own origin when it serves the panel) get CORS
//! answers; any other `Origin` is refused outright, preflight or not, so a foreign page
//! can neither read nor change anything. Browsers may read `Retry-After` and `Date`, and
//! every answer carries a `Date`.

mod common;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use common::*;
use serde_json::json;
use wa_groups_sandbox::Config;

fn with_origin(method: &str, path: &str, origin: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header("X-Api-Key", "sandbox")
        .header("Origin", origin)
        .body(Body::empty())
        .unwrap()
}

fn preflight(path: &str, origin: &str) -> Request<Body> {
    Request::builder()
        .method("OPTIONS")
        .uri(path)
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "x-api-key,content-type")
        .body(Body::empty())
        .unwrap()
}

const FOREIGN: &[&str] = &[
    "https://evil.example",
    "http://evil.example:3000",
    "http://127.0.0.1.evil.example",
    "http://localhost.evil.example:8000",
    "http://192.168.1.20:3000",
    "https://127.0.0.1:8000",
    "null",
];

const LOOPBACK: &[&str] = &[
    "http://127.0.0.1:8000",
    "http://127.0.0.1",
    "http://localhost:5173",
    "http://localhost",
    "http://[::1]:9000",
];

#[tokio::test]
async fn a_foreign_origin_gets_no_cors_answer_and_is_refused() {
    let router = sandbox();
    for origin in FOREIGN {
        for request in [
            with_origin("GET", "/api/default/groups", origin),
            preflight("/api/default/groups", origin),
            preflight("/v1/whatsapp/groups", origin),
            with_origin("GET", "/_sandbox/stats", origin),
        ] {
            let what = format!("{} {} from {origin}", request.method(), request.uri());
            let (status, headers, body) = send_raw(&router, request).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{what}");
            assert!(
                headers.get("access-control-allow-origin").is_none(),
                "{what}: {headers:?}"
            );
            assert!(headers.contains_key("date"), "{what}: {headers:?}");
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert!(
                body["error"].as_str().unwrap().contains("loopback"),
                "{what}: {body}"
            );
        }
    }
}

#[tokio::test]
async fn a_foreign_page_cannot_change_anything_with_a_simple_request() {
    let router = sandbox();
    let (status, _) = send(
        &router,
        post_json("/_sandbox/seed", None, json!({"groups": 3})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A form-style POST needs no preflight: it must still not reach the route.
    let reset = Request::post("/_sandbox/reset")
        .header("Origin", "https://evil.example")
        .header("Content-Type", "text/plain")
        .body(Body::empty())
        .unwrap();
    let (status, _, _) = send_raw(&router, reset).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, count) = send(&router, get("/api/default/groups/count", Some("sandbox"))).await;
    assert_eq!(count, json!({"count": 3}), "nothing was reset");
}

fn exposed(headers: &HeaderMap) -> String {
    headers["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase()
}

#[tokio::test]
async fn loopback_pages_get_their_origin_back_and_may_read_retry_after_and_date() {
    let router = sandbox();
    for origin in LOOPBACK {
        let (status, headers, _) =
            send_raw(&router, preflight("/api/default/groups", origin)).await;
        assert!(status.is_success(), "{origin}: {status}");
        assert_eq!(headers["access-control-allow-origin"], *origin);
        let allowed = headers["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase();
        assert!(allowed.contains("x-api-key") || allowed == "*", "{allowed}");

        let (status, headers, _) =
            send_raw(&router, with_origin("GET", "/api/default/groups", origin)).await;
        assert_eq!(status, StatusCode::OK, "{origin}");
        assert_eq!(headers["access-control-allow-origin"], *origin);
        let exposed = exposed(&headers);
        assert!(
            exposed.contains("retry-after") && exposed.contains("date"),
            "{exposed}"
        );
    }
}

#[tokio::test]
async fn a_rate_limited_answer_exposes_retry_after_to_loopback_pages() {
    let router = sandbox();
    let mut request = with_origin("GET", "/api/default/groups", "http://127.0.0.1:8000");
    request.headers_mut().insert(
        "x-sandbox-fault",
        r#"{"status": 429, "retryAfter": "3"}"#.parse().unwrap(),
    );
    let (status, headers, _) = send_raw(&router, request).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers["retry-after"], "3");
    assert!(exposed(&headers).contains("retry-after"));
    assert!(headers.get("date").is_some());
}

#[tokio::test]
async fn the_panels_own_origin_is_admitted_when_the_sandbox_serves_it() {
    let dir = std::env::temp_dir().join(format!("wa-groups-sandbox-static-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>panel</title>",
    )
    .unwrap();
    let own = |router: &axum::Router| {
        let router = router.clone();
        async move {
            let request = Request::get("/api/default/groups")
                .header("Host", "192.168.1.20:3000")
                .header("Origin", "http://192.168.1.20:3000")
                .header("X-Api-Key", "sandbox")
                .body(Body::empty())
                .unwrap();
            send_raw(&router, request).await
        }
    };
    let serving = sandbox_with(Config {
        static_dir: Some(dir.clone()),
        ..Default::default()
    });
    let (status, headers, _) = own(&serving).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["access-control-allow-origin"],
        "http://192.168.1.20:3000"
    );
    // Without a panel to serve, the sandbox has no page of its own at that origin.
    let (status, headers, _) = own(&sandbox()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(headers.get("access-control-allow-origin").is_none());
    let _ = std::fs::remove_dir_all(dir);
}

fn is_http_date(value: &str) -> bool {
    // IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    let bytes = value.as_bytes();
    value.len() == 29
        && value.ends_with(" GMT")
        && bytes[3] == b','
        && value[5..7].bytes().all(|b| b.is_ascii_digit())
        && value[12..16].bytes().all(|b| b.is_ascii_digit())
}

#[tokio::test]
async fn every_answer_carries_a_date_in_process_and_over_http() {
    let router = sandbox();
    for request in [
        get("/api/default/groups", Some("sandbox")),
        get("/api/default/groups", None),
        get("/_sandbox/stats", None),
        wavy("GET", "/v1/whatsapp/groups", None),
    ] {
        let what = request.uri().to_string();
        let (_, headers, _) = send_raw(&router, request).await;
        let date = headers.get("date").map(|d| d.to_str().unwrap().to_owned());
        assert!(
            date.as_deref().is_some_and(is_http_date),
            "{what}: {date:?}"
        );
    }
    let base = serve(router).await;
    let (status, headers, _) = over_http(
        Request::get(format!("{base}/api/default/groups/count"))
            .header("X-Api-Key", "sandbox")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let dates: Vec<_> = headers.get_all("date").iter().collect();
    assert_eq!(dates.len(), 1, "one Date header: {dates:?}");
    assert!(is_http_date(dates[0].to_str().unwrap()));
}

#[tokio::test]
async fn webhooks_go_to_loopback_only() {
    let router = sandbox();
    for url in [
        "http://example.com/hook",
        "http://127.0.0.1@evil.example/hook",
        "http://localhost.evil.example/hook",
        "http://10.0.0.1:8080/hook",
        "http://0.0.0.0:8080/hook",
        "https://127.0.0.1/hook",
        "ftp://127.0.0.1/hook",
        "127.0.0.1:9/hook",
    ] {
        let (status, body) = send(
            &router,
            post_json("/_sandbox/webhook", None, json!({"url": url})),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}");
        let message = body["error"].as_str().unwrap();
        assert!(message.contains("loopback"), "{url}: {message}");
    }
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
        "http://[::1]:9/hook",
        "http://LOCALHOST/hook",
    ] {
        let (status, body) = send(
            &router,
            post_json("/_sandbox/webhook", None, json!({"url": url})),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{url}: {body}");
    }
}

#[tokio::test]
async fn seeding_beyond_a_cap_is_a_400_naming_it() {
    let router = sandbox();
    for (body, cap) in [
        (json!({"groups": 100_001}), "groups is at most 100000"),
        (
            json!({"groups": 1, "membersPerGroup": 5_001}),
            "membersPerGroup is at most 5000",
        ),
        (
            json!({"groups": 0, "bigGroupMembers": 5_001}),
            "bigGroupMembers is at most 5000",
        ),
        (
            json!({"groups": 1_001, "membersPerGroup": 1_000}),
            "at most 1000000 seeded members",
        ),
    ] {
        let (status, answer) = send(&router, post_json("/_sandbox/seed", None, body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let message = answer["error"].as_str().unwrap();
        assert!(message.contains(cap), "{body}: {message}");
    }
    let (_, count) = send(&router, get("/api/default/groups/count", Some("sandbox"))).await;
    assert_eq!(count, json!({"count": 0}), "a refused seed creates nothing");
}

#[tokio::test]
async fn a_participants_list_beyond_the_cap_is_wahas_400_naming_it() {
    let router = sandbox();
    let huge: Vec<String> = (0..5_001).map(|n| format!("5521{n:09}@c.us")).collect();
    let huge: Vec<&str> = huge.iter().map(String::as_str).collect();
    let mut create = participants(&huge);
    create["name"] = json!("Huge");
    let (status, body) = send(&router, waha("POST", "/api/default/groups", Some(create))).await;
    let refusal = json!({"statusCode": 400,
        "message": ["participants must contain no more than 5000 elements"], "error": "Bad Request"});
    assert_eq!((status, &body), (StatusCode::BAD_REQUEST, &refusal));

    let (_, created) = send(
        &router,
        waha(
            "POST",
            "/api/default/groups",
            Some(json!({"name": "Small", "participants": []})),
        ),
    )
    .await;
    let group = created["gid"]["_serialized"].as_str().unwrap();
    for route in [
        "participants/add",
        "admin/promote",
        "participants/join-requests/approve",
    ] {
        let path = format!("/api/default/groups/{group}/{route}");
        let (status, body) = send(&router, waha("POST", &path, Some(participants(&huge)))).await;
        assert_eq!(
            (status, &body),
            (StatusCode::BAD_REQUEST, &refusal),
            "{route}"
        );
    }
    let (_, count) = send(&router, get("/api/default/groups/count", Some("sandbox"))).await;
    assert_eq!(count, json!({"count": 1}));
}
