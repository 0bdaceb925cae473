//! One webhook per provider (`POST /_sandbox/webhook` with `"provider"`), as a real WAHA
//! server and a real Wavy account are each given their own URL: WAHA events reach the WAHA
//! URL only, signed with its secret, Wavy MOs the Wavy URL only; without `provider` one
//! registration serves both, as before.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use wa_groups::events::{EventKind, parse_inbound, verify_webhook};
use wa_groups::model::{GroupId, NewGroup};
use wa_groups::provider::ProviderKind;

async fn control(router: &axum::Router, path: &str, body: Value) -> (StatusCode, Value) {
    send(router, post_json(&format!("/_sandbox{path}"), None, body)).await
}

/// A WAHA group with `5511999990010` in it, and a Wavy group `5511999990011` joined.
async fn two_groups(router: &axum::Router) -> (GroupId, GroupId) {
    let waha = client(router, "sandbox", "default")
        .create_group(&NewGroup {
            subject: "WAHA side".into(),
            participants: vec!["5511999990010".into()],
        })
        .await
        .unwrap();
    let wavy_client = wa_groups::Client::new(
        wa_groups::provider::wavy::Wavy::new(WAVY_USER, WAVY_TOKEN).unwrap(),
        InProcess(router.clone()),
        "http://sandbox.test",
    )
    .unwrap();
    let wavy = wavy_client
        .create_group(&NewGroup {
            subject: "Wavy side".into(),
            participants: vec![],
        })
        .await
        .unwrap();
    let link = wavy_client.get_invite_link(&wavy.id).await.unwrap();
    let (status, _) = control(
        router,
        "/join",
        json!({"link": link, "phone": "5511999990011"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    (waha.id, wavy.id)
}

async fn say(router: &axum::Router, group: &GroupId, phone: &str, text: &str) -> Value {
    let (status, body) = control(
        router,
        "/message",
        json!({"groupId": group.as_str(), "phone": phone, "text": text}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn each_provider_delivers_to_its_own_webhook_signed_with_its_own_secret() {
    let router = sandbox();
    let (waha_group, wavy_group) = two_groups(&router).await;
    let (waha_url, mut waha_hook) = receiver().await;
    let (wavy_url, mut wavy_hook) = receiver().await;
    let (status, _) = control(
        &router,
        "/webhook",
        json!({"url": waha_url, "secret": "waha-secret", "provider": "waha"}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = control(
        &router,
        "/webhook",
        json!({"url": wavy_url, "secret": "wavy-secret", "provider": "wavy"}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // A WAHA member writes: WAHA's `message`, at the WAHA URL, signed with its secret.
    let answer = say(&router, &waha_group, "5511999990010", "from WAHA").await;
    assert_eq!(answer["delivered"], json!(true), "{answer}");
    let (headers, raw) = next_delivery(&mut waha_hook).await;
    let signature = headers["x-webhook-hmac"].to_str().unwrap();
    assert!(verify_webhook(b"waha-secret", &raw, signature));
    let envelope: Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(envelope["event"], "message");
    let events = parse_inbound(ProviderKind::Waha, &raw).unwrap();
    assert_eq!(events[0].kind, EventKind::GroupMessage);
    assert_eq!(events[0].text.as_deref(), Some("from WAHA"));

    // A Wavy member writes: an MO with `waGroupId`, at the Wavy URL, signed with its secret.
    let answer = say(&router, &wavy_group, "5511999990011", "from Wavy").await;
    assert_eq!(answer["delivered"], json!(true), "{answer}");
    let (headers, raw) = next_delivery(&mut wavy_hook).await;
    let signature = headers["x-webhook-hmac"].to_str().unwrap();
    assert!(verify_webhook(b"wavy-secret", &raw, signature));
    let mo: Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(mo["data"][0]["message"]["waGroupId"], wavy_group.as_str());
    let events = parse_inbound(ProviderKind::Wavy, &raw).unwrap();
    assert_eq!(events[0].kind, EventKind::GroupMessage);
    assert_eq!(events[0].text.as_deref(), Some("from Wavy"));

    // Someone joins the WAHA group: `group.v2.participants`, at the WAHA URL.
    let waha = client(&router, "sandbox", "default");
    let link = waha.get_invite_link(&waha_group).await.unwrap();
    let (status, joined) = control(
        &router,
        "/join",
        json!({"link": link, "phone": "5511999990012"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(joined["delivered"], json!(true), "{joined}");
    let (headers, raw) = next_delivery(&mut waha_hook).await;
    assert!(verify_webhook(
        b"waha-secret",
        &raw,
        headers["x-webhook-hmac"].to_str().unwrap()
    ));
    let envelope: Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(envelope["event"], "group.v2.participants");
    assert_eq!(
        parse_inbound(ProviderKind::Waha, &raw).unwrap()[0].kind,
        EventKind::ParticipantsChanged
    );

    // Nothing went to the other provider's URL.
    assert!(waha_hook.try_recv().is_err(), "one delivery each");
    assert!(
        wavy_hook.try_recv().is_err(),
        "WAHA events never reach Wavy's URL"
    );
}

#[tokio::test]
async fn unregistering_one_provider_keeps_the_other_and_no_provider_means_both() {
    let router = sandbox();
    let (waha_group, wavy_group) = two_groups(&router).await;
    let (url, mut hook) = receiver().await;
    // Without `provider`: one URL for both, as before.
    control(&router, "/webhook", json!({"url": url})).await;
    assert_eq!(
        say(&router, &waha_group, "5511999990010", "a").await["delivered"],
        json!(true)
    );
    assert_eq!(
        say(&router, &wavy_group, "5511999990011", "b").await["delivered"],
        json!(true)
    );
    next_delivery(&mut hook).await;
    next_delivery(&mut hook).await;

    // Unregistering Wavy's leaves WAHA's.
    let (status, _) = control(
        &router,
        "/webhook",
        json!({"url": null, "provider": "wavy"}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let answer = say(&router, &wavy_group, "5511999990011", "c").await;
    assert_eq!(answer["delivered"], json!(false), "{answer}");
    assert_eq!(
        say(&router, &waha_group, "5511999990010", "d").await["delivered"],
        json!(true)
    );
    let (_, raw) = next_delivery(&mut hook).await;
    assert_eq!(
        parse_inbound(ProviderKind::Waha, &raw).unwrap()[0]
            .text
            .as_deref(),
        Some("d")
    );

    // Unregistering without `provider` removes both.
    control(&router, "/webhook", json!({"url": null})).await;
    let answer = say(&router, &waha_group, "5511999990010", "e").await;
    assert_eq!(answer["delivered"], json!(false), "{answer}");
}

#[tokio::test]
async fn an_unknown_provider_is_refused() {
    let router = sandbox();
    let (url, _hook) = receiver().await;
    let (status, body) =
        control(&router, "/webhook", json!({"url": url, "provider": "meta"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn evolution_instances_deliver_evolution_envelopes_to_their_own_webhook() {
    let router = sandbox();
    let evolution = wa_groups::Client::new(
        wa_groups::provider::evolution::Evolution::new("default", "sandbox").unwrap(),
        InProcess(router.clone()),
        "http://sandbox.test",
    )
    .unwrap();
    let group = evolution
        .create_group(&NewGroup {
            subject: "Evolution side".into(),
            participants: vec!["5511999990020".into()],
        })
        .await
        .unwrap();
    let (url, mut hook) = receiver().await;
    let (status, _) = control(
        &router,
        "/webhook",
        json!({"url": url, "provider": "evolution"}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // A member writes: Evolution's `messages.upsert`, which the core reads as a group message.
    let answer = say(&router, &group.id, "5511999990020", "from Evolution").await;
    assert_eq!(answer["delivered"], json!(true), "{answer}");
    let (_, raw) = next_delivery(&mut hook).await;
    let envelope: Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(envelope["event"], "messages.upsert");
    assert_eq!(envelope["instance"], "default");
    let events = parse_inbound(ProviderKind::Evolution, &raw).unwrap();
    assert_eq!(events[0].kind, EventKind::GroupMessage);
    assert_eq!(events[0].group_id.as_ref(), Some(&group.id));
    assert_eq!(
        events[0].from.as_ref().unwrap().as_str(),
        "5511999990020@c.us"
    );
    assert_eq!(events[0].text.as_deref(), Some("from Evolution"));

    // Someone joins by the link: `group-participants.update`, participants as objects.
    let link = evolution.get_invite_link(&group.id).await.unwrap();
    let (status, joined) = control(
        &router,
        "/join",
        json!({"link": link, "phone": "5511999990021"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(joined["delivered"], json!(true), "{joined}");
    let (_, raw) = next_delivery(&mut hook).await;
    let events = parse_inbound(ProviderKind::Evolution, &raw).unwrap();
    assert_eq!(events[0].kind, EventKind::ParticipantsChanged);
    assert_eq!(events[0].action.as_deref(), Some("add"));
    assert_eq!(
        events[0].participants[0].phone.as_deref(),
        Some("5511999990021")
    );
}
