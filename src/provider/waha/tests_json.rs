//! Bodies written by hand (issue 15): the request text is the one `json!` wrote.

use serde_json::json;

use super::tests_ops::{GID, gid, resp, waha};
use super::*;
use crate::http::Body;
use crate::model::Mentions;

fn body_text(req: &HttpRequest) -> &str {
    match &req.body {
        Some(Body::Json(text)) => text,
        other => panic!("expected a JSON body, got {other:?}"),
    }
}

/// The text `json!` (keys sorted, compact) made of `value`: what was sent before.
fn json_text(value: serde_json::Value) -> String {
    serde_json::to_string(&value).unwrap()
}

#[test]
fn request_bodies_are_the_text_json_wrote() {
    let people = ["5511988880000@c.us", "85299999999@c.us"];
    let ids: Vec<UserId> = people.iter().map(|p| UserId::from_provider(p)).collect();
    let listed = json!([{"id": people[0]}, {"id": people[1]}]);
    let w = waha();

    let create = w
        .create_group(&NewGroup {
            subject: "Team \"A\"\n".into(),
            participants: people.iter().map(|p| p.to_string()).collect(),
        })
        .unwrap();
    assert_eq!(
        body_text(&create.request),
        json_text(json!({"name": "Team \"A\"", "participants": listed}))
    );
    let subject = w.set_subject(&gid(), "Ação ✓").unwrap();
    assert_eq!(
        body_text(&subject.request),
        json_text(json!({"subject": "Ação ✓"}))
    );
    let description = w.set_description(&gid(), "line\tone\u{1}").unwrap();
    assert_eq!(
        body_text(&description.request),
        json_text(json!({"description": "line\tone\u{1}"}))
    );
    let join = w.join_group("https://chat.whatsapp.com/AbC123").unwrap();
    assert_eq!(
        body_text(&join.request),
        json_text(json!({"code": "AbC123"}))
    );
    for (setting, key) in [
        (Setting::InfoAdminOnly, "adminsOnly"),
        (Setting::MessagesAdminOnly, "adminsOnly"),
        (Setting::MembersCanAdd, "membersCanAddNewMember"),
        (Setting::ApprovalRequired, "newMembersApprovalRequired"),
    ] {
        for value in [true, false] {
            let call = w.set_setting(&gid(), setting, value).unwrap();
            assert_eq!(body_text(&call.request), json_text(json!({ key: value })));
        }
    }
    for change in [
        ParticipantChange::Add,
        ParticipantChange::Remove,
        ParticipantChange::Promote,
        ParticipantChange::Demote,
    ] {
        let call = w.change_participants(&gid(), change, &ids).unwrap();
        assert_eq!(
            body_text(&call.request),
            json_text(json!({"participants": listed}))
        );
    }
    for approve in [true, false] {
        let call = w.answer_join_requests(&gid(), approve, &ids).unwrap();
        assert_eq!(
            body_text(&call.request),
            json_text(json!({"participants": listed}))
        );
    }
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let icon = w.set_icon(&gid(), png, " IMAGE/PNG ").unwrap();
    assert_eq!(
        body_text(&icon.request),
        json_text(json!({"file": {
            "mimetype": "image/png",
            "filename": "icon.png",
            "data": "iVBORw0KGgoAAAANSUhEUg==",
        }}))
    );
}

#[test]
fn send_text_bodies_are_the_text_json_wrote() {
    let w = Waha::new("my team", "secret").unwrap();
    let plain = w.send_text(&gid(), "Olá \"all\"").unwrap();
    assert_eq!(
        body_text(&plain.request),
        json_text(json!({"session": "my team", "chatId": GID, "text": "Olá \"all\""}))
    );
    let all = w
        .send_text_with(
            &gid(),
            "Now",
            &SendOptions {
                mentions: Some(Mentions::All),
            },
        )
        .unwrap();
    assert_eq!(
        body_text(&all.request),
        json_text(json!({"session": "my team", "chatId": GID, "text": "Now", "mentions": ["all"]}))
    );
    let members = w
        .send_text_with(
            &gid(),
            "You",
            &SendOptions {
                mentions: Some(Mentions::Members(vec!["5511999990000".into()])),
            },
        )
        .unwrap();
    let listed = r#"[{"id":"5511999990000@c.us","isAdmin":true,"isSuperAdmin":false}]"#;
    let Step::Next(send) = (members.parse)(resp(200, listed)).unwrap() else {
        panic!("expected the send to follow the read");
    };
    assert_eq!(
        body_text(&send.request),
        json_text(json!({
            "session": "my team", "chatId": GID, "text": "You",
            "mentions": ["5511999990000@c.us"],
        }))
    );
    let direct = w
        .send_direct_text(&UserId::from_provider("76699677012110@lid"), "Hi")
        .unwrap();
    assert_eq!(
        body_text(&direct.request),
        json_text(json!({"session": "my team", "chatId": "76699677012110@lid", "text": "Hi"}))
    );
}
