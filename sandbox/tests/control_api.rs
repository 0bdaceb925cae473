//! The control API: member messages reach the registered webhook as each provider would
//! send them, signed, and the core classifies them as group messages.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use wa_groups::events::{EventKind, parse_inbound, verify_webhook};
use wa_groups::provider::ProviderKind;

async fn control(router: &axum::Router, path: &str, body: Value) -> (StatusCode, Value) {
    send(router, post_json(&format!("/_sandbox{path}"), None, body)).await
}

#[tokio::test]
async fn a_wavy_member_message_arrives_as_a_signed_group_mo() {
    let router = sandbox();
    let (url, mut deliveries) = receiver().await;
    control(&router, "/webhook", json!({"url": url, "secret": "s3cret"})).await;
    let client = wa_groups::Client::new(
        wa_groups::provider::wavy::Wavy::new("sandbox", "sandbox").unwrap(),
        InProcess(router.clone()),
        "http://sandbox.test",
    )
    .unwrap();
    let group = client
        .create_group(&wa_groups::model::NewGroup {
            subject: "Hooks".into(),
            participants: vec![],
        })
        .await
        .unwrap();
    let link = client.get_invite_link(&group.id).await.unwrap();
    control(
        &router,
        "/join",
        json!({"link": link, "phone": "5511999990001"}),
    )
    .await;

    let (status, body) = control(
        &router,
        "/message",
        json!({"groupId": group.id.as_str(), "phone": "5511999990001", "text": "Hi all"}),
    )
    .await;
    assert_eq!(
        (status, &body["delivered"]),
        (StatusCode::OK, &json!(true)),
        "{body}"
    );

    let (headers, raw) = deliveries.recv().await.unwrap();
    let signature = headers["x-webhook-hmac"].to_str().unwrap();
    assert!(verify_webhook(b"s3cret", &raw, signature));
    let events = parse_inbound(ProviderKind::Wavy, &raw).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].kind,
        EventKind::GroupMessage,
        "never a direct message"
    );
    assert_eq!(events[0].group_id.as_ref(), Some(&group.id));
    assert_eq!(events[0].text.as_deref(), Some("Hi all"));
}

#[tokio::test]
async fn a_waha_member_message_arrives_as_a_message_webhook() {
    let router = sandbox();
    let (url, mut deliveries) = receiver().await;
    control(&router, "/webhook", json!({"url": url})).await;
    let client = client(&router, "sandbox", "default");
    let group = client
        .create_group(&wa_groups::model::NewGroup {
            subject: "Hooks".into(),
            participants: vec!["5511999990002".into()],
        })
        .await
        .unwrap();
    let (_, body) = control(
        &router,
        "/message",
        json!({"groupId": group.id.as_str(), "phone": "5511999990002", "text": "Hello"}),
    )
    .await;
    assert_eq!(body["delivered"], json!(true), "{body}");
    let (headers, raw) = deliveries.recv().await.unwrap();
    assert!(
        headers.get("x-webhook-hmac").is_none(),
        "unsigned without a secret"
    );
    let events = parse_inbound(ProviderKind::Waha, &raw).unwrap();
    assert_eq!(events[0].kind, EventKind::GroupMessage);
    assert_eq!(events[0].group_id.as_ref(), Some(&group.id));
    assert_eq!(
        events[0].from.as_ref().map(|f| f.as_str()),
        Some("5511999990002@c.us")
    );
}

#[tokio::test]
async fn strangers_cannot_write_and_unknown_groups_are_404() {
    let router = sandbox();
    let group = client(&router, "sandbox", "default")
        .create_group(&wa_groups::model::NewGroup {
            subject: "Closed".into(),
            participants: vec![],
        })
        .await
        .unwrap();
    let (status, _) = control(
        &router,
        "/message",
        json!({"groupId": group.id.as_str(), "phone": "5511999990003", "text": "let me in"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = control(
        &router,
        "/message",
        json!({"groupId": "1@g.us", "phone": "55119", "text": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_a_webhook_the_message_is_recorded_but_not_delivered() {
    let router = sandbox();
    let group = client(&router, "sandbox", "default")
        .create_group(&wa_groups::model::NewGroup {
            subject: "Quiet".into(),
            participants: vec!["5511999990004".into()],
        })
        .await
        .unwrap();
    let (status, body) = control(
        &router,
        "/message",
        json!({"groupId": group.id.as_str(), "phone": "5511999990004", "text": "anyone?"}),
    )
    .await;
    assert_eq!(
        (status, &body["delivered"]),
        (StatusCode::OK, &json!(false))
    );
}

#[tokio::test]
async fn seed_creates_many_groups_and_one_big_group() {
    let router = sandbox();
    let (status, body) = control(
        &router,
        "/seed",
        json!({"session": "noweb", "groups": 300, "membersPerGroup": 2, "bigGroupMembers": 1024}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let client = client(&router, "sandbox", "noweb");
    assert_eq!(client.count_groups().await.unwrap(), 301);
    let big = wa_groups::model::GroupId::new("id", body["bigGroupId"].as_str().unwrap()).unwrap();
    assert_eq!(
        client.get_group(&big).await.unwrap().participants.len(),
        1025
    );
    let (status, _) = control(&router, "/seed", json!({"groups": 1_000_000})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
