//! Reading every documented Wavy response, and mapping its errors.

use super::*;
use crate::error::ErrorCode;
use crate::model::Role;

const CREATE: &str = include_str!("../fixtures/create.json");
const LIST: &str = include_str!("../fixtures/list.json");
const GROUP_INFO: &str = include_str!("../fixtures/group.json");
const INVITE: &str = include_str!("../fixtures/invite.json");
const ICON: &str = include_str!("../fixtures/icon.json");
const NOT_FOUND: &str = include_str!("../fixtures/error_not_found.json");

fn resp(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body)
}

fn member(digits: &str, role: Role) -> Participant {
    Participant::new(UserId::from_provider(&format!("{digits}@c.us")), role)
}

fn status_of(err: &Error) -> (ErrorCode, Option<u16>) {
    (err.code(), err.status())
}

#[test]
fn create_answer_gives_the_new_group_with_the_subject_sent() {
    let call = wavy()
        .create_group(&NewGroup {
            subject: "group-subject".into(),
            participants: vec![],
        })
        .unwrap();
    let group = call.parse_final(resp(200, CREATE)).unwrap();
    let mut expected = Group::new(gid(GROUP), "group-subject");
    expected.created_at = Some(1513616971);
    assert_eq!(group, expected);
}

#[test]
fn create_answer_without_a_group_is_a_decode_error() {
    let create = || {
        wavy()
            .create_group(&NewGroup {
                subject: "x".into(),
                participants: vec![],
            })
            .unwrap()
    };
    for body in [
        r#"{"groups":[]}"#,
        "{}",
        r#"{"groups":[{"creation_time":1}]}"#,
    ] {
        let err = create().parse_final(resp(200, body)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Decode, "{body}");
    }
}

#[test]
fn listing_reads_ids_and_an_empty_list() {
    let call = wavy().list_groups(&Default::default()).unwrap();
    assert_eq!(
        call.parse_final(resp(200, LIST)).unwrap(),
        GroupListing::Ids(vec![gid(GROUP)])
    );
    for empty in [r#"{"groups":[]}"#, r#"{"groups":null}"#, "{}"] {
        let call = wavy().list_groups(&Default::default()).unwrap();
        assert_eq!(
            call.parse_final(resp(200, empty)).unwrap(),
            GroupListing::Ids(vec![]),
            "{empty}"
        );
    }
}

#[test]
fn count_is_the_number_of_listed_ids() {
    let two = r#"{"groups":[{"id":"1-2"},{"id":"3-4"}]}"#;
    assert_eq!(
        wavy().count_groups().unwrap().parse_final(resp(200, two)),
        Ok(2)
    );
    assert_eq!(
        wavy().count_groups().unwrap().parse_final(resp(200, LIST)),
        Ok(1)
    );
}

#[test]
fn group_info_marks_the_creator_superadmin() {
    let call = wavy().get_group(&gid(GROUP)).unwrap();
    let group = call.parse_final(resp(200, GROUP_INFO)).unwrap();
    assert_eq!(group.id, gid(GROUP));
    assert_eq!(group.subject, "group-subject");
    assert_eq!(group.created_at, Some(1513616971));
    assert_eq!(
        group.creator,
        Some(UserId::from_provider("5519900000000@c.us"))
    );
    assert_eq!(
        group.participants,
        vec![member("5519900000000", Role::Superadmin)]
    );
    assert_eq!(
        group.participants[0].phone.as_deref(),
        Some("5519900000000")
    );
}

#[test]
fn group_info_gives_admins_and_members_their_roles() {
    let body = r#"{"groups":[{"admins":["5519900000000","5519900000002"],
        "creation_time":1513616971,"creator":"5519900000000","id":"5519900000000-1513616971",
        "participants":["5519900000000","5519900000001","5519900000002"],"subject":"s"}]}"#;
    let expected = vec![
        member("5519900000000", Role::Superadmin),
        member("5519900000001", Role::Member),
        member("5519900000002", Role::Admin),
    ];
    let group = wavy()
        .get_group(&gid(GROUP))
        .unwrap()
        .parse_final(resp(200, body))
        .unwrap();
    assert_eq!(group.participants, expected);
    let listed = wavy()
        .list_participants(&gid(GROUP))
        .unwrap()
        .parse_final(resp(200, body))
        .unwrap();
    assert_eq!(listed, expected);
}

#[test]
fn group_info_without_a_group_is_not_found() {
    let err = wavy()
        .get_group(&gid(GROUP))
        .unwrap()
        .parse_final(resp(200, r#"{"groups":[]}"#))
        .unwrap_err();
    assert_eq!(status_of(&err), (ErrorCode::NotFound, Some(200)));
}

#[test]
fn malformed_group_info_is_a_decode_error() {
    for body in ["", "not json", r#"{"groups":{"id":1}}"#] {
        let err = wavy()
            .get_group(&gid(GROUP))
            .unwrap()
            .parse_final(resp(200, body))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Decode, "{body:?}");
    }
}

#[test]
fn invite_answer_gives_the_link() {
    let call = wavy().get_invite_link(&gid(GROUP)).unwrap();
    assert_eq!(
        call.parse_final(resp(200, INVITE)).unwrap(),
        "group-invite-link"
    );
    let err = wavy()
        .get_invite_link(&gid(GROUP))
        .unwrap()
        .parse_final(resp(200, r#"{"groups":[{}]}"#))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Decode);
}

#[test]
fn routes_without_data_accept_null_empty_object_and_no_body() {
    let w = wavy();
    let id = gid(GROUP);
    let one = [user("5519900000001")];
    for body in ["null", "{}", "", " \n"] {
        let ok = resp(200, body);
        assert_eq!(
            w.set_subject(&id, "s").unwrap().parse_final(ok.clone()),
            Ok(())
        );
        assert_eq!(w.leave_group(&id).unwrap().parse_final(ok.clone()), Ok(()));
        assert_eq!(
            w.revoke_invite_link(&id).unwrap().parse_final(ok.clone()),
            Ok(None)
        );
        let icon = w.set_icon(&id, JPEG, "image/jpeg").unwrap();
        assert_eq!(icon.parse_final(ok.clone()), Ok(()));
        assert_eq!(w.remove_icon(&id).unwrap().parse_final(ok.clone()), Ok(()));
        for change in [
            ParticipantChange::Remove,
            ParticipantChange::Promote,
            ParticipantChange::Demote,
        ] {
            let call = w.change_participants(&id, change, &one).unwrap();
            assert_eq!(
                call.parse_final(ok.clone()),
                Ok(vec![ParticipantResult::ok(one[0].clone())]),
                "{change:?} {body:?}"
            );
        }
    }
}

#[test]
fn participant_change_success_marks_every_id_ok_in_order() {
    let ids = [user("5519900000002"), user("5519900000001")];
    let call = wavy()
        .change_participants(&gid(GROUP), ParticipantChange::Remove, &ids)
        .unwrap();
    let results = call.parse_final(resp(200, "{}")).unwrap();
    assert_eq!(
        results,
        vec![
            ParticipantResult::ok(ids[0].clone()),
            ParticipantResult::ok(ids[1].clone())
        ]
    );
}

#[test]
fn participant_change_failure_is_an_error() {
    let body = r#"{"errorCode":400,"errorMessage":"phone number not found"}"#;
    let err = wavy()
        .change_participants(
            &gid(GROUP),
            ParticipantChange::Promote,
            &[user("5519900000009")],
        )
        .unwrap()
        .parse_final(resp(400, body))
        .unwrap_err();
    assert_eq!(status_of(&err), (ErrorCode::InvalidInput, Some(400)));
    assert!(err.to_string().contains("phone number not found"), "{err}");
}

#[test]
fn icon_answer_gives_the_url_and_type() {
    let icon = wavy()
        .get_icon(&gid(GROUP))
        .unwrap()
        .parse_final(resp(200, ICON))
        .unwrap();
    assert_eq!(
        icon,
        Some(Icon::new(
            "https://chatclub-cdn.wavy.global/2019/03/25/ce425ffe-bc62-421f-9261-e6819a5eab43/groupIcon.jpeg",
            Some("image/jpeg".into())
        ))
    );
}

#[test]
fn missing_icon_is_none() {
    for (status, body) in [
        (404, NOT_FOUND),
        (404, ""),
        (200, "null"),
        (200, "{}"),
        (200, ""),
    ] {
        let icon = wavy()
            .get_icon(&gid(GROUP))
            .unwrap()
            .parse_final(resp(status, body));
        assert_eq!(icon, Ok(None), "{status} {body:?}");
    }
    let err = wavy()
        .get_icon(&gid(GROUP))
        .unwrap()
        .parse_final(resp(401, ""))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized);
}

#[test]
fn send_answer_gives_the_message_id_when_there_is_one() {
    let cases = [
        (r#"[{"id":"a1b2"}]"#, Some("a1b2")),
        (r#"{"id":"c3d4"}"#, Some("c3d4")),
        (
            r#"[{"id":"e5","correlationId":"x"},{"id":"f6"}]"#,
            Some("e5"),
        ),
        ("[]", None),
        ("{}", None),
        ("null", None),
        ("", None),
    ];
    for (body, id) in cases {
        let call = wavy().send_text(&gid(GROUP), "hi").unwrap();
        assert_eq!(
            call.parse_final(resp(200, body)),
            Ok(SentMessage::new(id.map(str::to_owned))),
            "{body:?}"
        );
    }
}

#[test]
fn a_group_without_its_id_or_with_an_odd_one_is_a_decode_error_naming_it() {
    let cases = [
        (
            r#"{"groups":[{"creation_time":1513616971}]}"#,
            "group list: a group has no id",
        ),
        (
            r#"{"groups":[{"id":5519900000000}]}"#,
            "group list: expected `id` as a string, found a number",
        ),
        (
            r#"{"groups":{"id":"5519900000000-1513616971"}}"#,
            "group list: expected `groups` as a list, found an object",
        ),
        (
            r#"{"groups":["5519900000000-1513616971"]}"#,
            "group list: expected each group as an object, found a string",
        ),
        (
            r#""groups""#,
            "group list: expected an object, found a string",
        ),
    ];
    for (body, message) in cases {
        let err = wavy()
            .list_groups(&Default::default())
            .unwrap()
            .parse_final(resp(200, body))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Decode, "{body}");
        assert_eq!(
            err.to_string(),
            format!("could not decode the response: {message}"),
            "{body}"
        );
    }
}

#[test]
fn members_that_are_not_a_list_of_numbers_are_a_decode_error() {
    for body in [
        r#"{"groups":[{"id":"5519900000000-1513616971","participants":"5519900000000"}]}"#,
        r#"{"groups":[{"id":"5519900000000-1513616971","admins":[{"waId":"5519900000000"}]}]}"#,
    ] {
        let err = wavy()
            .get_group(&gid(GROUP))
            .unwrap()
            .parse_final(resp(200, body))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Decode, "{body}");
        assert!(err.to_string().contains("phone numbers"), "{err}");
    }
}

#[test]
fn fields_a_route_does_not_read_are_ignored() {
    // The listing reads only ids: the full group of "Consulting Group Information" lists too.
    let call = wavy().list_groups(&Default::default()).unwrap();
    assert_eq!(
        call.parse_final(resp(200, GROUP_INFO)).unwrap(),
        GroupListing::Ids(vec![gid(GROUP)])
    );
    // The icon's `type`, `fileName` and `extraData` (an object, though typed a string).
    let icon = wavy().get_icon(&gid(GROUP)).unwrap();
    assert!(icon.parse_final(resp(200, ICON)).unwrap().is_some());
}

#[test]
fn an_odd_creation_time_or_subject_does_not_fail_the_group() {
    let odd = |time: &str, subject: &str| {
        format!(
            r#"{{"groups":[{{"admins":["5519900000000"],"creation_time":{time},
            "creator":"5519900000000","id":"5519900000000-1513616971",
            "participants":["5519900000000"],"subject":{subject}}}]}}"#
        )
    };
    for (time, subject, created_at, expected_subject) in [
        (r#""1513616971""#, r#""s""#, Some(1513616971), "s"),
        ("1513616971.5", r#""s""#, None, "s"),
        ("-1", "null", None, ""),
        ("1513616971", "7", Some(1513616971), ""),
    ] {
        let group = wavy()
            .get_group(&gid(GROUP))
            .unwrap()
            .parse_final(resp(200, &odd(time, subject)))
            .unwrap();
        assert_eq!(group.created_at, created_at, "{time}");
        assert_eq!(group.subject, expected_subject, "{subject}");
        assert_eq!(group.participants.len(), 1);
    }
}

#[test]
fn a_send_answer_that_is_no_object_or_list_is_a_decode_error() {
    for body in [r#""sent""#, "1", "true", "[1,"] {
        let err = wavy()
            .send_text(&gid(GROUP), "hi")
            .unwrap()
            .parse_final(resp(200, body))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Decode, "{body}");
        assert!(err.to_string().contains("sent message"), "{err}");
    }
    // A whole-number id is read as text.
    let call = wavy().send_text(&gid(GROUP), "hi").unwrap();
    assert_eq!(
        call.parse_final(resp(200, r#"[{"id":123456789}]"#)),
        Ok(SentMessage::new(Some("123456789".into())))
    );
}
