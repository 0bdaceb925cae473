//! LID-addressed groups (research `waha-lids-mentions-adds.md` §3–§4, REFERENCE.md A3): the
//! `noweb` session's groups are LID-addressed (Baileys `addressingMode: "lid"`, members
//! `{id: "…@lid", phoneNumber}`, results with `jid` = the LID and the phone in
//! `content.attrs.phone_number`); GOWS lists `JID` = the LID with its `PhoneNumber` and
//! answers changes with the same ids, whichever spelling was asked for. The `default`
//! session on NOWEB stays phone-addressed, so both Baileys shapes occur.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

const ME_PHONE: &str = "5511900000000";

async fn create(router: &axum::Router, session: &str, members: &[&str]) -> Value {
    let mut body = participants(members);
    body["name"] = json!("Team");
    let (status, created) = send(
        router,
        waha("POST", &format!("/api/{session}/groups"), Some(body)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

async fn call(router: &axum::Router, method: &str, path: &str, body: Option<Value>) -> Value {
    let (status, answer) = send(router, waha(method, path, body)).await;
    assert_eq!(status, StatusCode::OK, "{method} {path}: {answer}");
    answer
}

/// The LID a NOWEB LID group lists for `phone` (digits).
fn noweb_lid(members: &Value, phone: &str) -> String {
    let member = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["phoneNumber"] == json!(format!("{phone}@s.whatsapp.net")))
        .unwrap_or_else(|| panic!("{phone} is listed with its phoneNumber: {members}"));
    let lid = member["id"].as_str().unwrap().to_owned();
    assert!(lid.ends_with("@lid") && !lid.contains(phone), "{member}");
    lid
}

#[tokio::test]
async fn noweb_session_groups_are_lid_addressed() {
    let router = sandbox();
    let group = create(&router, "noweb", &["5511977770010@c.us"]).await;
    assert_eq!(group["addressingMode"], "lid", "{group}");
    let members = &group["participants"];
    let me = noweb_lid(members, ME_PHONE);
    let other = noweb_lid(members, "5511977770010");
    assert_eq!(
        *members,
        json!([
            {"id": me, "phoneNumber": format!("{ME_PHONE}@s.whatsapp.net"), "admin": "superadmin"},
            {"id": other, "phoneNumber": "5511977770010@s.whatsapp.net", "admin": null},
        ])
    );
    assert_eq!(group["owner"], json!(me));
    assert_eq!(
        group["ownerPn"],
        json!(format!("{ME_PHONE}@s.whatsapp.net"))
    );

    let id = group["id"].as_str().unwrap();
    let v1 = call(
        &router,
        "GET",
        &format!("/api/noweb/groups/{id}/participants"),
        None,
    )
    .await;
    assert_eq!(v1, *members, "v1 participants are the metadata's");
    let v2 = call(
        &router,
        "GET",
        &format!("/api/noweb/groups/{id}/participants/v2"),
        None,
    )
    .await;
    assert_eq!(
        v2,
        json!([
            {"id": me, "pn": format!("{ME_PHONE}@c.us"), "role": "superadmin"},
            {"id": other, "pn": "5511977770010@c.us", "role": "participant"},
        ])
    );
}

#[tokio::test]
async fn noweb_lid_results_name_the_lid_with_the_phone_in_the_attrs() {
    let router = sandbox();
    let group = create(&router, "noweb", &["5511977770011@c.us"]).await;
    let id = group["id"].as_str().unwrap();
    let lid_11 = noweb_lid(&group["participants"], "5511977770011");

    // Added by phone: reported by LID, the phone in `content.attrs.phone_number`.
    let added = call(
        &router,
        "POST",
        &format!("/api/noweb/groups/{id}/participants/add"),
        Some(participants(&["5511977770012@c.us"])),
    )
    .await;
    let members = call(
        &router,
        "GET",
        &format!("/api/noweb/groups/{id}/participants"),
        None,
    )
    .await;
    let lid_12 = noweb_lid(&members, "5511977770012");
    assert_eq!(
        added,
        json!([{"status": "200", "jid": lid_12, "content": {"tag": "participant",
            "attrs": {"jid": lid_12, "phone_number": "5511977770012@s.whatsapp.net"}}}])
    );

    // Promoted by LID: the same spelling back.
    let promoted = call(
        &router,
        "POST",
        &format!("/api/noweb/groups/{id}/admin/promote"),
        Some(participants(&[&lid_11])),
    )
    .await;
    assert_eq!(
        promoted,
        json!([{"status": "200", "jid": lid_11, "content": {"tag": "participant",
            "attrs": {"jid": lid_11, "phone_number": "5511977770011@s.whatsapp.net"}}}])
    );
    let members = call(
        &router,
        "GET",
        &format!("/api/noweb/groups/{id}/participants"),
        None,
    )
    .await;
    let promoted = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == json!(lid_11))
        .unwrap();
    assert_eq!(promoted["admin"], "admin");
}

#[tokio::test]
async fn noweb_privacy_refusal_carries_the_add_request() {
    let router = sandbox();
    let group = create(&router, "noweb", &[]).await;
    let id = group["id"].as_str().unwrap();
    let added = call(
        &router,
        "POST",
        &format!("/api/noweb/groups/{id}/participants/add"),
        Some(participants(&["15554030002@c.us"])),
    )
    .await;
    let entry = &added[0];
    assert_eq!(entry["status"], "403", "{added}");
    let lid = entry["jid"].as_str().unwrap();
    assert!(lid.ends_with("@lid"), "{added}");
    assert_eq!(
        entry["content"]["attrs"],
        json!({"jid": lid, "phone_number": "15554030002@s.whatsapp.net", "error": "403"})
    );
    let request = &entry["content"]["content"][0];
    assert_eq!(request["tag"], "add_request", "{added}");
    assert_eq!(request["attrs"]["code"].as_str().unwrap().len(), 22);
    assert!(
        request["attrs"]["expiration"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .is_ok(),
        "unix seconds as a string: {added}"
    );
    let members = call(
        &router,
        "GET",
        &format!("/api/noweb/groups/{id}/participants"),
        None,
    )
    .await;
    assert_eq!(members.as_array().unwrap().len(), 1, "not added: {members}");
}

#[tokio::test]
async fn noweb_default_session_stays_phone_addressed() {
    let router = sandbox_with(wa_groups_sandbox::Config {
        engine: wa_groups_sandbox::waha::Engine::Noweb,
        ..Default::default()
    });
    let group = create(&router, "default", &["5511977770013@c.us"]).await;
    assert_eq!(group["addressingMode"], "pn", "{group}");
    assert_eq!(
        group["participants"],
        json!([
            {"id": format!("{ME_PHONE}@s.whatsapp.net"), "admin": "superadmin"},
            {"id": "5511977770013@s.whatsapp.net", "admin": null},
        ])
    );
    let id = group["id"].as_str().unwrap();
    let added = call(
        &router,
        "POST",
        &format!("/api/default/groups/{id}/participants/add"),
        Some(participants(&["5511977770014@c.us"])),
    )
    .await;
    assert_eq!(
        added,
        json!([{"status": "200", "jid": "5511977770014@s.whatsapp.net", "content": {"tag": "participant",
            "attrs": {"jid": "5511977770014@s.whatsapp.net"}}}])
    );
    // WAHA's v2 sets `pn` only from Baileys' `phoneNumber`, which PN members lack.
    let v2 = call(
        &router,
        "GET",
        &format!("/api/default/groups/{id}/participants/v2"),
        None,
    )
    .await;
    assert_eq!(
        v2[1],
        json!({"id": "5511977770013@c.us", "role": "participant"})
    );
}

/// GOWS lists `{JID: lid, PhoneNumber, LID: lid}`; the LID of `phone` (digits).
fn gows_lid(members: &Value, phone: &str) -> String {
    let member = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["PhoneNumber"] == json!(format!("{phone}@s.whatsapp.net")))
        .unwrap_or_else(|| panic!("{phone} is listed: {members}"));
    assert_eq!(member["JID"], member["LID"], "{member}");
    member["JID"].as_str().unwrap().to_owned()
}

fn gows_result(lid: &str, phone: &str, error: u16) -> Value {
    json!({"JID": lid, "PhoneNumber": phone, "LID": lid, "IsAdmin": false, "IsSuperAdmin": false,
           "DisplayName": "", "Error": error, "AddRequest": null})
}

#[tokio::test]
async fn gows_answers_changes_with_the_ids_it_lists_whichever_was_asked_for() {
    let router = sandbox();
    let group = create(&router, "gows", &["5511977770015@c.us"]).await;
    let id = group["JID"].as_str().unwrap();
    let lid = gows_lid(&group["Participants"], "5511977770015");
    assert!(lid.ends_with("@lid"));
    let phone = "5511977770015@s.whatsapp.net";

    let by_lid = call(
        &router,
        "POST",
        &format!("/api/gows/groups/{id}/admin/promote"),
        Some(participants(&[&lid])),
    )
    .await;
    assert_eq!(by_lid, json!([gows_result(&lid, phone, 0)]));
    let by_phone = call(
        &router,
        "POST",
        &format!("/api/gows/groups/{id}/admin/demote"),
        Some(participants(&["5511977770015@c.us"])),
    )
    .await;
    assert_eq!(by_phone, json!([gows_result(&lid, phone, 0)]));

    let v2 = call(
        &router,
        "GET",
        &format!("/api/gows/groups/{id}/participants/v2"),
        None,
    )
    .await;
    assert_eq!(
        v2[1],
        json!({"id": lid, "pn": "5511977770015@c.us", "role": "participant"})
    );

    // A LID nobody in the group has: WhatsApp knows no phone for it.
    let unknown = call(
        &router,
        "POST",
        &format!("/api/gows/groups/{id}/participants/remove"),
        Some(participants(&["999999999@lid"])),
    )
    .await;
    assert_eq!(unknown, json!([gows_result("999999999@lid", "", 404)]));
}

#[tokio::test]
async fn gows_privacy_refusal_carries_the_add_request() {
    let router = sandbox();
    let group = create(&router, "gows", &[]).await;
    let id = group["JID"].as_str().unwrap();
    let added = call(
        &router,
        "POST",
        &format!("/api/gows/groups/{id}/participants/add"),
        Some(participants(&["15554030003@c.us"])),
    )
    .await;
    let entry = &added[0];
    assert_eq!(entry["Error"], 403, "{added}");
    assert_eq!(entry["PhoneNumber"], "15554030003@s.whatsapp.net");
    assert_eq!(entry["AddRequest"]["Code"].as_str().unwrap().len(), 22);
    assert!(
        entry["AddRequest"]["Expiration"]
            .as_str()
            .unwrap()
            .ends_with('Z'),
        "RFC 3339: {added}"
    );
}

#[tokio::test]
async fn gows_join_requests_are_listed_and_answered_by_lid() {
    let router = sandbox();
    let group = create(&router, "gows", &[]).await;
    let id = group["JID"].as_str().unwrap();
    call(
        &router,
        "PUT",
        &format!("/api/gows/groups/{id}/settings/security/membership-approval"),
        Some(json!({"newMembersApprovalRequired": true})),
    )
    .await;
    let link = call(
        &router,
        "GET",
        &format!("/api/gows/groups/{id}/invite-code"),
        None,
    )
    .await;
    let (status, body) = send(
        &router,
        post_json(
            "/_sandbox/join",
            None,
            json!({"link": link, "phone": "5511977770016"}),
        ),
    )
    .await;
    assert_eq!((status, &body["joined"]), (StatusCode::OK, &json!(false)));
    let pending = call(
        &router,
        "GET",
        &format!("/api/gows/groups/{id}/participants/join-requests"),
        None,
    )
    .await;
    let lid = pending[0]["requesterId"].as_str().unwrap().to_owned();
    assert!(lid.ends_with("@lid"), "{pending}");
    assert_eq!(pending[0]["requesterPn"], "5511977770016@c.us");
    let approved = call(
        &router,
        "POST",
        &format!("/api/gows/groups/{id}/participants/join-requests/approve"),
        Some(participants(&["5511977770016@c.us"])),
    )
    .await;
    assert_eq!(approved, json!([{"requesterId": lid, "success": true}]));
}
