//! WAHA webhook envelopes from the sandbox (REFERENCE.md A6): `engine` and
//! `environment.engine` name the engine of the session the group belongs to, and in
//! LID-addressed sessions (`noweb`, GOWS) members appear by LID with their phone as `pn`,
//! as `participants/v2` lists them.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use wa_groups::events::{EventKind, parse_inbound};
use wa_groups::provider::ProviderKind;
use wa_groups_sandbox::Config;
use wa_groups_sandbox::waha::Engine;

async fn control(router: &axum::Router, path: &str, body: Value) -> (StatusCode, Value) {
    send(router, post_json(&format!("/_sandbox{path}"), None, body)).await
}

/// Creates a group in `session` with `member` (digits); its id and the member's v2 id.
async fn group_with(router: &axum::Router, session: &str, member: &str) -> (String, String) {
    let body = json!({"name": "Hooks", "participants": [{"id": format!("{member}@c.us")}]});
    let (status, created) = send(
        router,
        waha("POST", &format!("/api/{session}/groups"), Some(body)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["gid"]["_serialized"]
        .as_str()
        .or(created["id"].as_str())
        .or(created["JID"].as_str())
        .unwrap()
        .to_owned();
    (id.clone(), v2_id(router, session, &id, member).await)
}

/// The id `participants/v2` gives the member with phone `member` (digits).
async fn v2_id(router: &axum::Router, session: &str, group: &str, member: &str) -> String {
    let path = format!("/api/{session}/groups/{group}/participants/v2");
    let (_, v2) = send(router, waha("GET", &path, None)).await;
    v2.as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["pn"] == json!(format!("{member}@c.us")) || p["id"] == json!(format!("{member}@c.us"))
        })
        .unwrap_or_else(|| panic!("{member} in {v2}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn message_envelopes_name_the_sessions_engine_and_its_member_ids() {
    for (engine, session, expected, lid) in [
        (Engine::Webjs, "default", "WEBJS", false),
        (Engine::Gows, "default", "GOWS", true),
        (Engine::Webjs, "noweb", "NOWEB", true),
        (Engine::Webjs, "gows", "GOWS", true),
        (Engine::Noweb, "default", "NOWEB", false),
    ] {
        let router = sandbox_with(Config {
            engine,
            ..Default::default()
        });
        let (url, mut deliveries) = receiver().await;
        control(&router, "/webhook", json!({"url": url})).await;
        let (group, member) = group_with(&router, session, "5511977770030").await;
        assert_eq!(
            member.ends_with("@lid"),
            lid,
            "{session} on {expected}: {member}"
        );
        let (_, answer) = control(
            &router,
            "/message",
            json!({"groupId": group, "phone": "5511977770030", "text": "hi"}),
        )
        .await;
        assert_eq!(answer["delivered"], true, "{answer}");
        let (_, raw) = next_delivery(&mut deliveries).await;
        let envelope: Value = serde_json::from_slice(&raw).unwrap();
        assert_eq!(envelope["event"], "message");
        assert_eq!(envelope["session"], session);
        assert_eq!(envelope["engine"], expected, "{envelope}");
        assert_eq!(envelope["environment"]["engine"], expected, "{envelope}");
        assert_eq!(envelope["payload"]["from"], json!(group));
        assert_eq!(
            envelope["payload"]["participant"],
            json!(member),
            "{envelope}"
        );
        let events = parse_inbound(ProviderKind::Waha, &raw).unwrap();
        assert_eq!(events[0].kind, EventKind::GroupMessage);
    }
}

#[tokio::test]
async fn a_member_joining_by_link_is_a_group_v2_participants_event_with_lid_and_pn() {
    for (session, expected) in [("noweb", "NOWEB"), ("gows", "GOWS"), ("webjs", "WEBJS")] {
        let router = sandbox();
        let (url, mut deliveries) = receiver().await;
        control(&router, "/webhook", json!({"url": url})).await;
        let (group, _) = group_with(&router, session, "5511977770031").await;
        let (_, link) = send(
            &router,
            waha(
                "GET",
                &format!("/api/{session}/groups/{group}/invite-code"),
                None,
            ),
        )
        .await;
        let (status, joined) = control(
            &router,
            "/join",
            json!({"link": link, "phone": "5511977770032"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{joined}");
        assert_eq!(joined["delivered"], true, "{joined}");
        let joiner = v2_id(&router, session, &group, "5511977770032").await;

        let (_, raw) = next_delivery(&mut deliveries).await;
        let envelope: Value = serde_json::from_slice(&raw).unwrap();
        assert_eq!(envelope["event"], "group.v2.participants");
        assert_eq!(envelope["session"], session);
        assert_eq!(envelope["engine"], expected);
        assert_eq!(envelope["environment"]["engine"], expected);
        let payload = &envelope["payload"];
        assert_eq!(payload["group"], json!({"id": group}));
        assert_eq!(payload["type"], "join");
        assert_eq!(
            payload["participants"],
            json!([{"id": joiner, "pn": "5511977770032@c.us", "role": "participant"}]),
            "{session}"
        );
        let events = parse_inbound(ProviderKind::Waha, &raw).unwrap();
        assert_eq!(events[0].kind, EventKind::ParticipantsChanged);
    }
}

#[tokio::test]
async fn a_request_to_join_is_a_join_request_event_naming_the_lid() {
    let router = sandbox();
    let (url, mut deliveries) = receiver().await;
    control(&router, "/webhook", json!({"url": url})).await;
    let (group, _) = group_with(&router, "gows", "5511977770033").await;
    let (status, _) = send(
        &router,
        waha(
            "PUT",
            &format!("/api/gows/groups/{group}/settings/security/membership-approval"),
            Some(json!({"newMembersApprovalRequired": true})),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, link) = send(
        &router,
        waha(
            "GET",
            &format!("/api/gows/groups/{group}/invite-code"),
            None,
        ),
    )
    .await;
    let (_, joined) = control(
        &router,
        "/join",
        json!({"link": link, "phone": "5511977770034"}),
    )
    .await;
    assert_eq!(joined["joined"], false, "{joined}");
    let (_, pending) = send(
        &router,
        waha(
            "GET",
            &format!("/api/gows/groups/{group}/participants/join-requests"),
            None,
        ),
    )
    .await;
    let (_, raw) = next_delivery(&mut deliveries).await;
    let envelope: Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(envelope["event"], "group.v2.participants.join-request");
    assert_eq!(envelope["engine"], "GOWS");
    let payload = &envelope["payload"];
    assert_eq!(payload["group"], json!({"id": group}));
    assert_eq!(payload["action"], "created");
    assert_eq!(
        payload["requesterId"], pending[0]["requesterId"],
        "{envelope}"
    );
    assert!(payload["requesterId"].as_str().unwrap().ends_with("@lid"));
    assert_eq!(payload["requesterPn"], "5511977770034@c.us");
    assert_eq!(payload["requestMethod"], "invite_link");
    let events = parse_inbound(ProviderKind::Waha, &raw).unwrap();
    assert_eq!(events[0].kind, EventKind::JoinRequest);
}
