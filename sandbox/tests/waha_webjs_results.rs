//! WEBJS's per-participant answers, as whatsapp-web.js gives them to WAHA (research
//! `waha-lids-mentions-adds.md` §3, REFERENCE.md A3): an add refused for want of admin
//! rights is HTTP 200 with a plain-text error; remove/promote/demote are `{"status":200}`
//! whatever WhatsApp did; the create result lists only the requested members, refusals
//! included, never the creator.

mod common;

use axum::http::{StatusCode, header};
use common::*;
use serde_json::{Value, json};

const ME: &str = "5511900000000@c.us";
/// A number whose privacy settings refuse direct adds (sandbox/README.md).
const PRIVATE: &str = "15554030001@c.us";

async fn create(router: &axum::Router, session: &str, members: &[&str]) -> (StatusCode, Value) {
    let mut body = participants(members);
    body["name"] = json!("Team");
    send(
        router,
        waha("POST", &format!("/api/{session}/groups"), Some(body)),
    )
    .await
}

/// The id of a group the WEBJS session `default` created.
async fn webjs_group(router: &axum::Router, members: &[&str]) -> String {
    let (status, body) = create(router, "default", members).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["gid"]["_serialized"].as_str().unwrap().to_owned()
}

async fn roles(router: &axum::Router, session: &str, group: &str) -> Vec<(String, String)> {
    let path = format!("/api/{session}/groups/{group}/participants/v2");
    let (status, body) = send(router, waha("GET", &path, None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_owned(),
                p["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn webjs_add_without_admin_rights_is_200_with_the_add_participants_error_text() {
    let router = sandbox();
    // The `webjs` session owns a group where only admins may add; `default` (WEBJS) joins
    // it through its invite, as a plain member.
    let (_, created) = create(&router, "webjs", &[]).await;
    let group = created["gid"]["_serialized"].as_str().unwrap().to_owned();
    let (status, _) = send(
        &router,
        waha(
            "PUT",
            &format!("/api/webjs/groups/{group}/settings/security/member-add-mode"),
            Some(json!({"membersCanAddNewMember": false})),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, code) = send(
        &router,
        waha(
            "GET",
            &format!("/api/webjs/groups/{group}/invite-code"),
            None,
        ),
    )
    .await;
    let (status, joined) = send(
        &router,
        waha(
            "POST",
            "/api/default/groups/join",
            Some(json!({"code": code})),
        ),
    )
    .await;
    assert_eq!((status, &joined["id"]), (StatusCode::OK, &json!(group)));

    let path = format!("/api/default/groups/{group}/participants/add");
    let (status, headers, body) = send_raw(
        &router,
        waha("POST", &path, Some(participants(&["5511977770001@c.us"]))),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "text/html; charset=utf-8",
        "Express sends a returned string as text"
    );
    assert_eq!(
        String::from_utf8(body).unwrap(),
        "AddParticipantsError: You have no admin rights to add a participant to a group"
    );
    let after = roles(&router, "default", &group).await;
    assert!(
        after.iter().all(|(id, _)| id != "5511977770001@c.us"),
        "nothing was added: {after:?}"
    );
}

#[tokio::test]
async fn webjs_refused_remove_promote_demote_still_answer_status_200_and_change_nothing() {
    let router = sandbox();
    let group = webjs_group(&router, &["5511977770002@c.us"]).await;
    for (route, who) in [
        ("admin/demote", ME),
        ("participants/remove", ME),
        ("admin/promote", "5511977770099@c.us"),
        ("participants/remove", "5511977770099@c.us"),
    ] {
        let path = format!("/api/default/groups/{group}/{route}");
        let (status, body) = send(&router, waha("POST", &path, Some(participants(&[who])))).await;
        assert_eq!(
            (status, body),
            (StatusCode::OK, json!({"status": 200})),
            "{route} {who}"
        );
    }
    assert_eq!(
        roles(&router, "default", &group).await,
        vec![
            (ME.to_owned(), "superadmin".to_owned()),
            ("5511977770002@c.us".to_owned(), "participant".to_owned()),
        ],
        "WhatsApp refused: the owner is still the owner, no stranger appeared"
    );
}

#[tokio::test]
async fn webjs_create_lists_only_the_requested_members_with_each_outcome() {
    let router = sandbox();
    let (status, body) = create(
        &router,
        "default",
        &[
            "5511977770003@c.us",
            PRIVATE,
            "not-a-number",
            "5511977770003",
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["title"], "Team");
    assert_eq!(
        body["participants"],
        json!({
            "5511977770003@c.us": {"statusCode": 200, "message": "The participant was added successfully",
                                   "isGroupCreator": false, "isInviteV4Sent": false},
            PRIVATE: {"statusCode": 403, "message": "The participant can be added by sending private invitation only",
                      "isGroupCreator": false, "isInviteV4Sent": true},
            "not-a-number": {"statusCode": 404, "message": "The phone number is not registered on WhatsApp",
                             "isGroupCreator": false, "isInviteV4Sent": false},
        }),
        "the creator is not in the create result"
    );
    let group = body["gid"]["_serialized"].as_str().unwrap();
    assert_eq!(
        roles(&router, "default", group).await,
        vec![
            (ME.to_owned(), "superadmin".to_owned()),
            ("5511977770003@c.us".to_owned(), "participant".to_owned()),
        ],
        "the refused number was not added"
    );
}

#[tokio::test]
async fn webjs_add_reports_each_requested_id_with_its_code_and_message() {
    let router = sandbox();
    let group = webjs_group(&router, &["5511977770004@c.us"]).await;
    let path = format!("/api/default/groups/{group}/participants/add");
    let (status, body) = send(
        &router,
        waha(
            "POST",
            &path,
            Some(participants(&[
                "5511977770004@c.us",
                PRIVATE,
                "5511977770005@c.us",
            ])),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "5511977770004@c.us": {"code": 409, "message": "The participant is already a group member", "isInviteV4Sent": false},
            PRIVATE: {"code": 403, "message": "The participant can be added by sending private invitation only", "isInviteV4Sent": true},
            "5511977770005@c.us": {"code": 200, "message": "The participant was added successfully", "isInviteV4Sent": false},
        })
    );
    let after = roles(&router, "default", &group).await;
    assert_eq!(after.len(), 3, "only the new member was added: {after:?}");
}
