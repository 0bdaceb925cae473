//! An upstream that cannot be reached (502) or never answers (504), and the body caps (413):
//! JSON errors naming no secret, and nothing oversized ever forwarded.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::json;

async fn gateway_for(upstream: &str) -> (Server, tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    add_users(dir.path());
    let gateway = gateway_in(
        dir.path(),
        vec![
            waha_connection("default", upstream),
            wavy_connection("wavy", upstream),
        ],
        test_options(),
    )
    .await;
    let cookie = login(&gateway.base, ADMIN, ADMIN_PASSWORD).await;
    (gateway, dir, cookie)
}

#[tokio::test]
async fn an_unreachable_upstream_is_502_as_json_and_the_write_is_audited() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (gateway, _dir, cookie) = gateway_for(&format!("http://127.0.0.1:{port}")).await;
    let reply = get(
        &format!("{}/c/default/api/default/groups", gateway.base),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_GATEWAY);
    assert_eq!(reply.json()["error"], "upstream_unreachable");
    assert_no_secret(&reply.everything());
    let write = call(
        Method::POST,
        &format!("{}/c/wavy/v1/whatsapp/groups", gateway.base),
        &[("cookie", &cookie), ("content-type", "application/json")],
        json!({"subject": "x"}).to_string(),
    )
    .await;
    assert_eq!(write.status, StatusCode::BAD_GATEWAY);
    assert_no_secret(&write.everything());
    let audit = get(
        &format!("{}/_gateway/audit", gateway.base),
        &[("cookie", &cookie)],
    )
    .await
    .json();
    assert_eq!(audit[0]["status"], 502);
}

#[tokio::test]
async fn an_upstream_that_never_answers_is_504_within_the_timeout() {
    // Accepts connections and reads nothing, answers nothing.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let (gateway, _dir, cookie) = gateway_for(&format!("http://{addr}")).await;
    let reply = get(
        &format!("{}/c/default/api/default/groups", gateway.base),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(reply.json()["error"], "upstream_timeout");
    assert_no_secret(&reply.everything());
    silent.abort();
}

#[tokio::test]
async fn bodies_over_the_caps_are_413_and_never_forwarded() {
    let s = setup().await;
    let cookie = login(&s.gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let c = json_as(&cookie);
    let base = &s.gateway.base;
    let mib = 1024 * 1024;
    let over = |n: usize| format!("{{\"subject\":\"{}\"}}", "a".repeat(n));

    let reply = call(
        Method::PUT,
        &format!("{base}/c/default/api/default/groups/1@g.us/subject"),
        &c,
        over(mib),
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.json()["error"], "too_large");
    let reply = call(
        Method::PUT,
        &format!("{base}/c/default/api/default/groups/1@g.us/picture"),
        &c,
        over(5 * mib),
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    let raw = [("cookie", cookie.as_str()), ("content-type", "image/png")];
    let reply = call(
        Method::POST,
        &format!("{base}/c/wavy/v1/whatsapp/groups/55-16/icon"),
        &raw,
        vec![0u8; 5 * mib + 1],
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(total(&sandbox_requests(&s.sandbox.base).await), 0);

    // An icon between the two caps is forwarded (the provider answers it).
    let reply = call(
        Method::PUT,
        &format!("{base}/c/default/api/default/groups/1@g.us/picture"),
        &c,
        over(mib + mib / 2),
    )
    .await;
    assert_ne!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    assert_eq!(total(&sandbox_requests(&s.sandbox.base).await), 1);
}

#[tokio::test]
async fn a_chunked_body_over_the_cap_is_413_too() {
    use http_body_util::{BodyExt, StreamBody};
    use hyper::body::Frame;
    let s = setup().await;
    let cookie = login(&s.gateway.base, ADMIN, ADMIN_PASSWORD).await;
    // No Content-Length: the cap is enforced while reading.
    let chunks = (0..17).map(|_| {
        Ok::<_, std::convert::Infallible>(Frame::data(axum::body::Bytes::from(vec![
            b'a';
            64 * 1024
        ])))
    });
    let body = StreamBody::new(futures_util_stream(chunks)).boxed();
    let request = hyper::Request::post(format!("{}/c/default/api/default/groups", s.gateway.base))
        .header("cookie", &cookie)
        .header("content-type", "application/json")
        .body(body)
        .unwrap();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http();
    let response = client.request(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(total(&sandbox_requests(&s.sandbox.base).await), 0);
}

/// A stream over an iterator, without pulling in a stream crate.
fn futures_util_stream<I: Iterator + Unpin>(iter: I) -> impl futures_core::Stream<Item = I::Item> {
    struct Iter<I>(I);
    impl<I: Iterator + Unpin> futures_core::Stream for Iter<I> {
        type Item = I::Item;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<I::Item>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
    Iter(iter)
}
