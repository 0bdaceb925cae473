//! Bodies written by hand and answers read field by field (issue 15): the request text is
//! the one `json!` wrote, and what an answer's reader accepts, tolerates and refuses.
//! Shapes from REFERENCE.md A2–A5 and WAHA's OpenAPI file.

use serde_json::json;

use super::tests_ops::{GID, gid, resp, waha};
use super::*;
use crate::http::Body;
use crate::model::{Mentions, Role};

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

fn decode_message<T: std::fmt::Debug>(r: Result<T>) -> String {
    match r.unwrap_err() {
        Error::Decode(message) => message,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

fn groups(body: &str) -> Result<Vec<Group>> {
    let call = waha().list_groups(&Default::default()).unwrap();
    match call.parse_final(resp(200, body))? {
        GroupListing::Groups(groups) => Ok(groups),
        other => panic!("WAHA lists whole groups, got {other:?}"),
    }
}

fn participants_v1(body: &str) -> Result<Vec<Participant>> {
    let call = waha().list_participants(&gid()).unwrap();
    match (call.parse)(resp(404, "")).unwrap() {
        Step::Next(v1) => v1.parse_final(resp(200, body)),
        Step::Done(_) => panic!("expected the fallback to v1"),
    }
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

#[test]
fn a_wrong_typed_id_is_decode_naming_where_it_is() {
    let err = decode_message(groups(
        r#"[{"id":"120363401234567890@g.us","subject":"Team"},{"id":120363401234567891}]"#,
    ));
    assert_eq!(
        err,
        "group list: [1].id: expected a WhatsApp id, as a string or as \
         {server, user, _serialized}, found a number (status 200)"
    );
    // GOWS: a member's `JID` inside the group's `Participants`.
    let err = decode_message(groups(
        r#"[{"JID":"120363431849092219@g.us","Name":"Team","Participants":[{"JID":true,"IsAdmin":false}]}]"#,
    ));
    assert!(
        err.starts_with("group list: [0].Participants[0].JID: expected a WhatsApp id"),
        "{err}"
    );
    // NOWEB's map: the path names the group by its key.
    let err = decode_message(groups(
        r#"{"120363401234567890@g.us":{"id":"120363401234567890@g.us","owner":["5511999990000@s.whatsapp.net"]}}"#,
    ));
    assert!(
        err.starts_with("group list: 120363401234567890@g.us.owner: expected a WhatsApp id"),
        "{err}"
    );
    // WEBJS: an id object whose parts are not strings.
    let err = decode_message(participants_v1(
        r#"[{"id":{"server":"c.us","user":85288888888},"isAdmin":true}]"#,
    ));
    assert_eq!(
        err,
        "participants: [0].id.user: expected a string, found a number (status 200)"
    );
}

#[test]
fn a_missing_required_field_is_decode_naming_it() {
    let count = waha().count_groups().unwrap();
    assert_eq!(
        decode_message(count.parse_final(resp(200, "{}"))),
        "group count: missing field `count` (status 200)"
    );
    let count = waha().count_groups().unwrap();
    assert_eq!(
        decode_message(count.parse_final(resp(200, r#"{"count":"42"}"#))),
        "group count: count: expected a whole number, found a string (status 200)"
    );
    let join = waha().join_group("AbC123").unwrap();
    assert_eq!(
        decode_message(join.parse_final(resp(200, r#"{"success":true}"#))),
        "joined group: missing field `id` (status 200)"
    );
    let requests = waha().list_join_requests(&gid()).unwrap();
    let err = requests.parse_final(resp(
        200,
        r#"[{"requesterId":"76699677012110@lid","timestamp":1757000000},
            {"requesterPn":"5511888880000@c.us","requestMethod":"invite_link","timestamp":1757000000}]"#,
    ));
    assert_eq!(
        decode_message(err),
        "join requests: [1]: missing field `requesterId` (status 200)"
    );
}

#[test]
fn answers_of_another_shape_say_what_was_found() {
    assert_eq!(
        decode_message(groups(r#""groups""#)),
        "group list: expected a list of groups or a map of groups keyed by id, \
         found a string (status 200)"
    );
    assert_eq!(
        decode_message(groups(r#"{"120363401234567890@g.us":null}"#)),
        "group list: 120363401234567890@g.us: expected a group (an object), found null \
         (status 200)"
    );
    let results = waha().list_join_requests(&gid()).unwrap();
    assert_eq!(
        decode_message(results.parse_final(resp(200, r#"{"requesterId":"1@lid"}"#))),
        "join requests: expected an array, found an object (status 200)"
    );
    assert!(decode_message(groups("[{")).starts_with("group list: "));
}

#[test]
fn unknown_fields_are_ignored() {
    // NOWEB with newer Baileys' extra fields, and a field no engine sends yet.
    let body = r#"{"120363401234567890@g.us":{"id":"120363401234567890@g.us","subject":"Team",
        "addressingMode":"lid","isCommunity":false,"descId":"3EB0A1B2C3D4E5F6",
        "somethingNew":{"nested":[1,{"deep":null}]},
        "participants":[{"id":"76699677012110@lid","phoneNumber":"5511888880000@s.whatsapp.net",
            "admin":null,"somethingNew":[true]}]}}"#;
    let listed = groups(body).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].subject, "Team");
    assert_eq!(listed[0].participants.len(), 1);
    assert_eq!(
        listed[0].participants[0].phone.as_deref(),
        Some("5511888880000")
    );
}

#[test]
fn null_is_absent_and_the_first_spelling_present_wins() {
    let listed = groups(
        r#"[{"id":"120363401234567890@g.us","JID":"999@g.us","subject":"Team","Name":"Other",
            "desc":null,"owner":null,"size":null,"participants":null}]"#,
    )
    .unwrap();
    assert_eq!(listed[0].id.as_str(), "120363401234567890@g.us");
    assert_eq!(listed[0].subject, "Team");
    assert_eq!(listed[0].description, None);
    assert_eq!(listed[0].size, None);
    // A null role flag is no flag; a flag of another type is still refused.
    let members = participants_v1(
        r#"[{"id":"5511999990000@c.us","isAdmin":null,"isSuperAdmin":true},
            {"JID":"76699677012110@lid","IsAdmin":null}]"#,
    )
    .unwrap();
    assert_eq!(members[0].role, Role::Superadmin);
    assert_eq!(members[1].role, Role::Member);
    let err = decode_message(participants_v1(
        r#"[{"id":"5511999990000@c.us","isAdmin":"yes"}]"#,
    ));
    assert_eq!(
        err,
        "participants: [0].isAdmin: expected a boolean, found a string (status 200)"
    );
}

#[test]
fn settings_flags_must_be_booleans_and_an_odd_add_mode_is_unknown() {
    let read = |body: &str| {
        waha()
            .get_settings(&gid())
            .unwrap()
            .parse_final(resp(200, body))
    };
    for odd in [r#"1"#, r#""""#, r#"[true]"#] {
        let body = format!(r#"{{"JID":"{GID}","IsLocked":true,"MemberAddMode":{odd}}}"#);
        let settings = read(&body).unwrap();
        assert_eq!(settings.info_admin_only, Some(true));
        assert_eq!(settings.members_can_add, None, "{odd}");
    }
    assert_eq!(
        decode_message(read(r#"{"groupMetadata":{"restrict":"no"}}"#)),
        "group settings: groupMetadata.restrict: expected a boolean, found a string (status 200)"
    );
}

#[test]
fn error_bodies_are_read_field_by_field() {
    // A `message` of an unexpected type no longer hides the other fields.
    let err = error_from(&resp(
        400,
        r#"{"statusCode":400,"message":7,"error":"Bad Request"}"#,
    ));
    assert_eq!(
        err.to_string(),
        error_from(&resp(400, r#"{"error":"Bad Request"}"#)).to_string()
    );
    assert!(err.to_string().contains("Bad Request"), "{err}");
    let err = error_from(&resp(
        400,
        r#"{"statusCode":400,"message":["sortBy must be one of the following values: id, subject",3],"error":"Bad Request"}"#,
    ));
    assert!(err.to_string().contains("Bad Request"), "{err}");
    // Not JSON at all: the text itself.
    let err = error_from(&resp(502, "<html>Bad gateway</html>"));
    assert!(err.to_string().contains("Bad gateway"), "{err}");
}

#[test]
fn a_message_id_is_read_only_from_a_whole_id_or_key() {
    let id = |body: &str| raw::message_id(body.as_bytes());
    assert_eq!(
        id(r#"{"key":{"remoteJid":"120363401234567890@g.us","fromMe":true,"id":"3EB0"}}"#)
            .as_deref(),
        Some("true_120363401234567890@g.us_3EB0")
    );
    for odd in [
        r#"{"key":{"remoteJid":"120363401234567890@g.us","fromMe":true}}"#,
        r#"{"id":12345}"#,
        r#"{"id":{"fromMe":true,"remote":"120363401234567890@g.us"}}"#,
        r#""3EB0""#,
        "not json",
    ] {
        assert_eq!(id(odd), None, "{odd}");
    }
}

#[test]
fn a_result_map_with_a_null_entry_is_decode() {
    let call = waha()
        .change_participants(
            &gid(),
            ParticipantChange::Add,
            &[UserId::from_provider("85299999999@c.us")],
        )
        .unwrap();
    match (call.parse)(resp(200, r#"{"85299999999@c.us":null}"#)) {
        Err(Error::Decode(message)) => assert_eq!(
            message,
            "participant results: unexpected answer (no outcome per participant)"
        ),
        Err(other) => panic!("expected a decode error, got {other:?}"),
        Ok(_) => panic!("expected a decode error"),
    }
}
