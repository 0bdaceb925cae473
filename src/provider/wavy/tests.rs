//! The requests Wavy builds, and what is rejected before anything is sent.
//! Response parsing is in `tests/responses.rs`, error mapping in `tests/errors.rs`.

use serde_json::json;

use super::*;
use crate::model::GroupSettings;

mod errors;
mod responses;

const GROUP: &str = "5519900000000-1513616971";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];

fn wavy() -> Wavy {
    Wavy::new("sandbox-user", "sandbox-token").unwrap()
}

fn gid(id: &str) -> GroupId {
    GroupId::new("groupId", id).unwrap()
}

fn user(id: &str) -> UserId {
    UserId::parse("participants[0]", id).unwrap()
}

fn auth() -> Vec<(&'static str, String)> {
    vec![
        ("userName", "sandbox-user".to_owned()),
        ("authenticationToken", "sandbox-token".to_owned()),
    ]
}

fn body_json(req: &HttpRequest) -> serde_json::Value {
    match &req.body {
        Some(Body::Json(text)) => serde_json::from_str(text).unwrap(),
        other => panic!("expected a JSON body, got {other:?}"),
    }
}

/// Asserts method, path, the two credential headers (and nothing else), and the JSON body.
fn assert_request(req: &HttpRequest, method: Method, path: &str, body: Option<serde_json::Value>) {
    assert_eq!(req.method, method, "{path}");
    assert_eq!(req.path, path);
    assert!(req.query.is_empty(), "{path}: {:?}", req.query);
    assert_eq!(req.headers, auth(), "{path}");
    match body {
        Some(expected) => assert_eq!(body_json(req), expected, "{path}"),
        None => assert_eq!(req.body, None, "{path}"),
    }
}

fn assert_unsupported<T: std::fmt::Debug>(result: Result<T>, operation: &str) {
    match result {
        Err(Error::Unsupported {
            operation: op,
            provider,
        }) => {
            assert_eq!(op, operation);
            assert_eq!(provider, "wavy");
        }
        other => panic!("{operation}: expected unsupported, got {other:?}"),
    }
}

fn assert_invalid<T: std::fmt::Debug>(result: Result<T>, expected_field: &str) {
    match result {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, expected_field),
        other => panic!("expected invalid {expected_field}, got {other:?}"),
    }
}

#[test]
fn credentials_must_be_non_empty_printable_ascii() {
    assert!(Wavy::new("me@example.com", "tok-123").is_ok());
    assert_invalid(Wavy::new("", "tok"), "userName");
    assert_invalid(Wavy::new("   ", "tok"), "userName");
    assert_invalid(Wavy::new("josé", "tok"), "userName");
    assert_invalid(Wavy::new("me", ""), "authenticationToken");
    assert_invalid(Wavy::new("me", "tok\r\nX-Evil: 1"), "authenticationToken");
}

#[test]
fn debug_output_never_prints_the_token() {
    let wavy = Wavy::new("sandbox-user", "very-secret-token").unwrap();
    let shown = format!("{wavy:?}");
    assert!(!shown.contains("very-secret-token"), "{shown}");
    assert!(shown.contains("sandbox-user"), "{shown}");
    let call = wavy.get_group(&gid(GROUP)).unwrap();
    let shown = format!("{call:?}");
    assert!(!shown.contains("very-secret-token"), "{shown}");
}

#[test]
fn capabilities_report_exactly_what_wavy_supports() {
    let caps = wavy().capabilities();
    assert_eq!(
        serde_json::to_value(caps).unwrap(),
        json!({
            "paging": false, "createWithParticipants": false, "description": false,
            "deleteGroup": false, "refreshGroups": false, "joinGroup": false, "joinInfo": false,
            "addParticipants": false, "removeParticipants": true, "promoteAdmins": true,
            "demoteAdmins": true, "settings": false, "joinRequests": false, "icon": true,
            "revokeReturnsLink": false, "sendText": true, "removeIcon": true,
            "settingsMembersCanAdd": false, "settingsApproval": false,
        })
    );
    assert_eq!(wavy().kind(), ProviderKind::Wavy);
}

#[test]
fn create_group_posts_the_trimmed_subject() {
    let call = wavy()
        .create_group(&NewGroup {
            subject: "  group-subject ".into(),
            participants: vec![],
        })
        .unwrap();
    assert_request(
        &call.request,
        Method::Post,
        "/v1/whatsapp/groups",
        Some(json!({"subject": "group-subject"})),
    );
}

#[test]
fn create_group_with_participants_is_unsupported_before_sending() {
    let result = wavy().create_group(&NewGroup {
        subject: "Team".into(),
        participants: vec!["5511988880000".into()],
    });
    assert_unsupported(result, "createGroup");
}

#[test]
fn subject_over_25_chars_is_rejected_before_sending() {
    let long = "x".repeat(26);
    let create = wavy().create_group(&NewGroup {
        subject: long.clone(),
        participants: vec![],
    });
    assert_invalid(create, "subject");
    assert_invalid(wavy().set_subject(&gid(GROUP), &long), "subject");
    assert_invalid(wavy().set_subject(&gid(GROUP), "  "), "subject");
}

#[test]
fn subject_of_25_multibyte_chars_is_accepted() {
    let subject = "é".repeat(20) + "👍👍👍👍👍";
    assert_eq!(subject.chars().count(), 25);
    let create = wavy().create_group(&NewGroup {
        subject: subject.clone(),
        participants: vec![],
    });
    assert_eq!(
        body_json(&create.unwrap().request),
        json!({"subject": subject})
    );
    let call = wavy().set_subject(&gid(GROUP), &subject).unwrap();
    assert_request(
        &call.request,
        Method::Put,
        &format!("/v1/whatsapp/groups/{GROUP}"),
        Some(json!({"subject": subject})),
    );
}

#[test]
fn list_and_count_get_the_group_listing() {
    let options = ListGroupsOptions {
        limit: Some(5),
        offset: Some(10),
        ..Default::default()
    };
    let list = wavy().list_groups(&options).unwrap();
    assert_request(&list.request, Method::Get, "/v1/whatsapp/groups", None);
    let count = wavy().count_groups().unwrap();
    assert_request(&count.request, Method::Get, "/v1/whatsapp/groups", None);
}

#[test]
fn group_routes_use_the_id_as_one_path_segment() {
    let id = gid(GROUP);
    let base = format!("/v1/whatsapp/groups/{GROUP}");
    let w = wavy();
    let cases: Vec<(HttpRequest, Method, String)> = vec![
        (w.get_group(&id).unwrap().request, Method::Get, base.clone()),
        (
            w.list_participants(&id).unwrap().request,
            Method::Get,
            base.clone(),
        ),
        (
            w.get_invite_link(&id).unwrap().request,
            Method::Get,
            format!("{base}/invite"),
        ),
        (
            w.revoke_invite_link(&id).unwrap().request,
            Method::Delete,
            format!("{base}/invite"),
        ),
        (
            w.leave_group(&id).unwrap().request,
            Method::Post,
            format!("{base}/leave"),
        ),
        (
            w.get_icon(&id).unwrap().request,
            Method::Get,
            format!("{base}/icon"),
        ),
        (
            w.remove_icon(&id).unwrap().request,
            Method::Delete,
            format!("{base}/icon"),
        ),
    ];
    for (req, method, path) in cases {
        assert_request(&req, method, &path, None);
    }
}

#[test]
fn participant_changes_send_wa_ids_with_the_documented_method() {
    let ids = [user("5519900000001"), user("+55 19 90000-0002")];
    let cases = [
        (ParticipantChange::Remove, Method::Delete, "participants"),
        (ParticipantChange::Promote, Method::Patch, "admins"),
        (ParticipantChange::Demote, Method::Delete, "admins"),
    ];
    for (change, method, route) in cases {
        let call = wavy()
            .change_participants(&gid(GROUP), change, &ids)
            .unwrap();
        assert_request(
            &call.request,
            method,
            &format!("/v1/whatsapp/groups/{GROUP}/{route}"),
            Some(json!({"waIds": ["5519900000001", "5519900000002"]})),
        );
    }
}

#[test]
fn adding_participants_is_unsupported_before_sending() {
    let result = wavy().change_participants(
        &gid(GROUP),
        ParticipantChange::Add,
        &[user("5519900000001")],
    );
    assert_unsupported(result, "addParticipants");
}

#[test]
fn lid_participant_is_rejected_naming_its_index() {
    let ids = [user("5519900000001"), user("76699677012110@lid")];
    let result = wavy().change_participants(&gid(GROUP), ParticipantChange::Remove, &ids);
    assert_invalid(result, "participants[1]");
}

#[test]
fn empty_participant_list_is_rejected() {
    let result = wavy().change_participants(&gid(GROUP), ParticipantChange::Promote, &[]);
    assert_invalid(result, "participants");
}

#[test]
fn set_icon_posts_the_raw_image_with_its_type() {
    let call = wavy().set_icon(&gid(GROUP), JPEG, " Image/JPEG ").unwrap();
    let req = &call.request;
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, format!("/v1/whatsapp/groups/{GROUP}/icon"));
    assert_eq!(req.headers, auth());
    assert_eq!(
        req.body,
        Some(Body::Bytes {
            content_type: "image/jpeg".into(),
            data: JPEG.to_vec()
        })
    );
}

#[test]
fn set_icon_rejects_a_bad_image_before_sending() {
    assert_invalid(wavy().set_icon(&gid(GROUP), JPEG, "image/gif"), "mimeType");
    assert_invalid(
        wavy().set_icon(&gid(GROUP), b"not a png", "image/png"),
        "image",
    );
    assert_invalid(wavy().set_icon(&gid(GROUP), &[], "image/jpeg"), "image");
}

#[test]
fn send_text_posts_a_group_destination() {
    let call = wavy().send_text(&gid(GROUP), "Test message").unwrap();
    assert_request(
        &call.request,
        Method::Post,
        "/v1/whatsapp/send",
        Some(json!({
            "destinations": [{"destination": GROUP, "recipientType": "group"}],
            "message": {"messageText": "Test message"},
        })),
    );
    assert_invalid(wavy().send_text(&gid(GROUP), "  "), "text");
}

#[test]
fn mentions_are_unsupported_before_sending() {
    use crate::model::{Mentions, SendOptions};
    for mentions in [
        Mentions::All,
        Mentions::Members(vec!["5519900000000".into()]),
    ] {
        let options = SendOptions {
            mentions: Some(mentions),
        };
        let err = wavy()
            .send_text_with(&gid(GROUP), "Hi all", &options)
            .unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Unsupported, "{err}");
    }
    // Without mentions it is the plain group send.
    let plain = wavy()
        .send_text_with(&gid(GROUP), "Hi", &Default::default())
        .unwrap();
    assert_eq!(plain.request.path, "/v1/whatsapp/send");
}

#[test]
fn malformed_group_ids_are_rejected_before_sending() {
    let w = wavy();
    let ids = [
        "".to_owned(),
        ".".into(),
        "..".into(),
        "a/b".into(),
        "x@g.us".into(),
        "1-2-3".into(),
        format!("{GROUP}@g.us"),
        "-1513616971".into(),
        "5519900000000-".into(),
        "5519900000000".into(),
        "5519900000000-15136?16971".into(),
    ];
    let one = [user("5519900000001")];
    for raw in ids {
        // `GroupId::new` refuses an empty id itself; build the rest unchecked by the model.
        let Ok(id) = GroupId::new("groupId", raw.clone()) else {
            assert!(raw.is_empty());
            continue;
        };
        let results: Vec<Result<()>> = vec![
            w.get_group(&id).map(drop),
            w.list_participants(&id).map(drop),
            w.set_subject(&id, "ok").map(drop),
            w.leave_group(&id).map(drop),
            w.get_invite_link(&id).map(drop),
            w.revoke_invite_link(&id).map(drop),
            w.change_participants(&id, ParticipantChange::Remove, &one)
                .map(drop),
            w.change_participants(&id, ParticipantChange::Promote, &one)
                .map(drop),
            w.change_participants(&id, ParticipantChange::Demote, &one)
                .map(drop),
            w.set_icon(&id, JPEG, "image/jpeg").map(drop),
            w.get_icon(&id).map(drop),
            w.remove_icon(&id).map(drop),
            w.send_text(&id, "hello").map(drop),
        ];
        for (i, result) in results.into_iter().enumerate() {
            assert!(
                matches!(&result, Err(Error::InvalidInput { field, .. }) if field == "groupId"),
                "{raw:?} op #{i} gave {result:?}"
            );
        }
    }
}

#[test]
fn unsupported_operations_fail_before_sending() {
    let w = wavy();
    let id = gid(GROUP);
    let one = [user("5519900000001")];
    assert_unsupported(w.set_description(&id, "about"), "setDescription");
    assert_unsupported(w.delete_group(&id), "deleteGroup");
    assert_unsupported(w.refresh_groups(), "refreshGroups");
    assert_unsupported(
        w.join_group("https://chat.whatsapp.com/AbC123"),
        "joinGroup",
    );
    assert_unsupported(w.get_join_info("AbC123"), "getJoinInfo");
    assert_unsupported(w.get_settings(&id), "getSettings");
    let every = GroupSettings {
        info_admin_only: Some(true),
        messages_admin_only: Some(true),
        members_can_add: Some(true),
        approval_required: Some(true),
    };
    for (setting, _) in every.entries() {
        assert_unsupported(w.set_setting(&id, setting, true), "updateSettings");
    }
    assert_unsupported(w.list_join_requests(&id), "listJoinRequests");
    assert_unsupported(
        w.answer_join_requests(&id, true, &one),
        "approveJoinRequests",
    );
    assert_unsupported(
        w.answer_join_requests(&id, false, &one),
        "rejectJoinRequests",
    );
}

#[test]
fn request_bodies_are_the_documented_json_text() {
    let text = |req: &HttpRequest| match &req.body {
        Some(Body::Json(text)) => text.clone(),
        other => panic!("expected a JSON body, got {other:?}"),
    };
    let w = wavy();
    let create = w
        .create_group(&NewGroup {
            subject: "group-\"subject\"".into(),
            participants: vec![],
        })
        .unwrap();
    assert_eq!(text(&create.request), r#"{"subject":"group-\"subject\""}"#);
    let ids = [user("5519900000000"), user("5519900000001")];
    let remove = w
        .change_participants(&gid(GROUP), ParticipantChange::Remove, &ids)
        .unwrap();
    assert_eq!(
        text(&remove.request),
        r#"{"waIds":["5519900000000","5519900000001"]}"#
    );
    let send = w.send_text(&gid(GROUP), "Test\nmessage").unwrap();
    assert_eq!(
        text(&send.request),
        r#"{"destinations":[{"destination":"5519900000000-1513616971","recipientType":"group"}],"message":{"messageText":"Test\nmessage"}}"#
    );
}
