//! Every request the Evolution provider builds, every answer it reads, and what it refuses
//! before sending. Fixtures follow research `evolution-and-meta-groups.md` §2 (Evolution
//! v2.3.6/2.3.7 source; Baileys 7 `GroupMetadata`).

use serde_json::{Value, json};

use super::*;
use crate::error::ErrorCode;
use crate::http::Body;
use crate::model::{RefusalReason, Role};

mod answers;

const GROUP: &str = "120363400000000001@g.us";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
const CODE: &str = "AbCdEfGhIjKlMnOpQrStUv";

fn evolution() -> Evolution {
    Evolution::new("sales", "instance-token").unwrap()
}

fn gid(id: &str) -> GroupId {
    GroupId::new("groupId", id).unwrap()
}

fn users(ids: &[&str]) -> Vec<UserId> {
    ids.iter()
        .map(|id| UserId::parse("participants", id).unwrap())
        .collect()
}

fn body_json(req: &HttpRequest) -> Value {
    match &req.body {
        Some(Body::Json(text)) => serde_json::from_str(text).unwrap(),
        other => panic!("expected a JSON body, got {other:?}"),
    }
}

/// Method, path, the `apikey` header (and nothing else), the query and the JSON body.
fn assert_request(
    req: &HttpRequest,
    method: Method,
    path: &str,
    query: &[(&str, &str)],
    body: Option<Value>,
) {
    assert_eq!(req.method, method, "{path}");
    assert_eq!(req.path, path);
    let got: Vec<(&str, &str)> = req.query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(got, query, "{path}");
    assert_eq!(
        req.headers,
        [("apikey", "instance-token".to_owned())],
        "{path}"
    );
    match body {
        Some(expected) => assert_eq!(body_json(req), expected, "{path}"),
        None => assert_eq!(req.body, None, "{path}"),
    }
}

fn ok(status: u16, body: Value) -> HttpResponse {
    HttpResponse::new(status, body.to_string())
}

/// Baileys 7 `GroupMetadata` as Evolution's `findGroupInfos` answers it: a LID-addressed
/// group, members by `@lid` with `phoneNumber`, and one listed by phone with its `lid`.
fn group_info() -> Value {
    json!({
        "id": GROUP, "subject": "Sales team", "subjectOwner": "5511900000000@s.whatsapp.net",
        "subjectTime": 1732526001, "pictureUrl": "https://pps.whatsapp.net/v/t61/icon.jpg",
        "size": 3, "creation": 1732526000, "owner": "5511900000000@s.whatsapp.net",
        "desc": "Leads and follow-ups", "descId": "3EB0ABC", "restrict": true, "announce": false,
        "participants": [
            {"id": "5511900000000@s.whatsapp.net", "lid": "38583300000013@lid", "admin": "superadmin"},
            {"id": "38583844390020@lid", "phoneNumber": "5511977770001@s.whatsapp.net", "admin": "admin"},
            {"id": "38583844390027@lid", "phoneNumber": "5511977770002@s.whatsapp.net", "admin": null}
        ],
        "isCommunity": false, "isCommunityAnnounce": false, "linkedParent": null
    })
}

#[test]
fn new_checks_the_instance_and_key_and_hides_the_key() {
    assert!(Evolution::new("", "k").is_err());
    assert!(Evolution::new("sales", " ").is_err());
    assert!(Evolution::new("sales", "k\u{e9}").is_err());
    assert!(!format!("{:?}", evolution()).contains("instance-token"));
    // An instance name is a path segment: encoded, never a way into another route.
    assert!(Evolution::new("team/../admin", "k").is_err());
    let odd = Evolution::new("team a", "k").unwrap();
    let req = odd.get_group(&gid(GROUP)).unwrap().request;
    assert_eq!(req.path, "/group/findGroupInfos/team%20a");
}

#[test]
fn reads_build_the_documented_routes() {
    let e = evolution();
    let group = [("groupJid", GROUP)];
    assert_request(
        &e.get_group(&gid(GROUP)).unwrap().request,
        Method::Get,
        "/group/findGroupInfos/sales",
        &group,
        None,
    );
    assert_request(
        &e.list_groups(&ListGroupsOptions::default())
            .unwrap()
            .request,
        Method::Get,
        "/group/fetchAllGroups/sales",
        &[("getParticipants", "false")],
        None,
    );
    assert_request(
        &e.count_groups().unwrap().request,
        Method::Get,
        "/group/fetchAllGroups/sales",
        &[("getParticipants", "false")],
        None,
    );
    assert_request(
        &e.list_participants(&gid(GROUP)).unwrap().request,
        Method::Get,
        "/group/participants/sales",
        &group,
        None,
    );
    assert_request(
        &e.get_invite_link(&gid(GROUP)).unwrap().request,
        Method::Get,
        "/group/inviteCode/sales",
        &group,
        None,
    );
    assert_request(
        &e.get_join_info(&format!("https://chat.whatsapp.com/{CODE}"))
            .unwrap()
            .request,
        Method::Get,
        "/group/inviteInfo/sales",
        &[("inviteCode", CODE)],
        None,
    );
    assert_request(
        &e.get_settings(&gid(GROUP)).unwrap().request,
        Method::Get,
        "/group/findGroupInfos/sales",
        &group,
        None,
    );
    assert_request(
        &e.get_icon(&gid(GROUP)).unwrap().request,
        Method::Get,
        "/group/findGroupInfos/sales",
        &group,
        None,
    );
}

#[test]
fn writes_build_the_documented_routes_and_bodies() {
    let e = evolution();
    let id = gid(GROUP);
    assert_request(
        &e.create_group(&NewGroup {
            subject: "Sales team".into(),
            participants: vec![
                "+55 11 97777-0001".into(),
                "5511977770002@s.whatsapp.net".into(),
            ],
        })
        .unwrap()
        .request,
        Method::Post,
        "/group/create/sales",
        &[],
        Some(json!({"subject": "Sales team", "participants": ["5511977770001", "5511977770002"]})),
    );
    assert_request(
        &e.set_subject(&id, "New name").unwrap().request,
        Method::Post,
        "/group/updateGroupSubject/sales",
        &[],
        Some(json!({"groupJid": GROUP, "subject": "New name"})),
    );
    assert_request(
        &e.set_description(&id, "About us").unwrap().request,
        Method::Post,
        "/group/updateGroupDescription/sales",
        &[],
        Some(json!({"groupJid": GROUP, "description": "About us"})),
    );
    assert_request(
        &e.revoke_invite_link(&id).unwrap().request,
        Method::Post,
        "/group/revokeInviteCode/sales",
        &[],
        Some(json!({"groupJid": GROUP})),
    );
    assert_request(
        &e.join_group(CODE).unwrap().request,
        Method::Get,
        "/group/acceptInviteCode/sales",
        &[("inviteCode", CODE)],
        None,
    );
    assert_request(
        &e.leave_group(&id).unwrap().request,
        Method::Delete,
        "/group/leaveGroup/sales",
        &[("groupJid", GROUP)],
        None,
    );
    for (change, action) in [
        (ParticipantChange::Add, "add"),
        (ParticipantChange::Remove, "remove"),
        (ParticipantChange::Promote, "promote"),
        (ParticipantChange::Demote, "demote"),
    ] {
        assert_request(
            &e.change_participants(&id, change, &users(&["5511977770001"]))
                .unwrap()
                .request,
            Method::Post,
            "/group/updateParticipant/sales",
            &[],
            Some(json!({"groupJid": GROUP, "action": action, "participants": ["5511977770001"]})),
        );
    }
    for (setting, value, action) in [
        (Setting::InfoAdminOnly, true, "locked"),
        (Setting::InfoAdminOnly, false, "unlocked"),
        (Setting::MessagesAdminOnly, true, "announcement"),
        (Setting::MessagesAdminOnly, false, "not_announcement"),
    ] {
        assert_request(
            &e.set_setting(&id, setting, value).unwrap().request,
            Method::Post,
            "/group/updateSetting/sales",
            &[],
            Some(json!({"groupJid": GROUP, "action": action})),
        );
    }
    assert_request(
        &e.set_icon(&id, JPEG, "image/jpeg").unwrap().request,
        Method::Post,
        "/group/updateGroupPicture/sales",
        &[],
        Some(json!({"groupJid": GROUP, "image": "/9j/4AAQ"})),
    );
    assert_request(
        &e.send_text(&id, "Hello").unwrap().request,
        Method::Post,
        "/message/sendText/sales",
        &[],
        Some(json!({"number": GROUP, "text": "Hello"})),
    );
    let everyone = SendOptions {
        mentions: Some(Mentions::All),
    };
    assert_request(
        &e.send_text_with(&id, "All hands", &everyone)
            .unwrap()
            .request,
        Method::Post,
        "/message/sendText/sales",
        &[],
        Some(json!({"number": GROUP, "text": "All hands", "mentionsEveryOne": true})),
    );
}

#[test]
fn what_evolution_cannot_do_fails_before_sending() {
    let e = evolution();
    let id = gid(GROUP);
    let unsupported = |r: Result<()>| match r {
        Err(Error::Unsupported { provider, .. }) => assert_eq!(provider, "evolution"),
        other => panic!("expected unsupported, got {other:?}"),
    };
    unsupported(e.delete_group(&id).map(drop));
    unsupported(e.refresh_groups().map(drop));
    unsupported(e.remove_icon(&id).map(drop));
    unsupported(e.list_join_requests(&id).map(drop));
    unsupported(
        e.answer_join_requests(&id, true, &users(&["5511977770001"]))
            .map(drop),
    );
    unsupported(e.set_setting(&id, Setting::MembersCanAdd, true).map(drop));
    unsupported(
        e.set_setting(&id, Setting::ApprovalRequired, true)
            .map(drop),
    );
    let caps = e.capabilities();
    assert!(!caps.delete_group && !caps.refresh_groups && !caps.join_requests && !caps.paging);
    assert!(!caps.remove_icon && !caps.settings_members_can_add && !caps.settings_approval);
    assert!(caps.add_participants && caps.create_with_participants && caps.settings);
}

#[test]
fn bad_input_is_refused_before_sending_naming_the_field() {
    let e = evolution();
    let field = |r: Result<()>| match r {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("expected invalid_input, got {other:?}"),
    };
    // Evolution's schema: a group id is `^[\d-]+@g.us$`.
    assert_eq!(field(e.get_group(&gid("abc@g.us")).map(drop)), "groupId");
    assert_eq!(field(e.get_group(&gid("120363@c.us")).map(drop)), "groupId");
    // At least one first member, by number.
    let empty = NewGroup {
        subject: "Team".into(),
        participants: vec![],
    };
    assert_eq!(field(e.create_group(&empty).map(drop)), "participants");
    let lid = NewGroup {
        subject: "Team".into(),
        participants: vec!["5511977770001".into(), "38583844390020@lid".into()],
    };
    assert_eq!(field(e.create_group(&lid).map(drop)), "participants[1]");
    // Numbers of fewer than 10 digits (the schema's minLength).
    let id = gid(GROUP);
    assert_eq!(
        field(
            e.change_participants(&id, ParticipantChange::Add, &users(&["551199999"]))
                .map(drop)
        ),
        "participants[0]"
    );
    assert_eq!(
        field(
            e.change_participants(&id, ParticipantChange::Add, &[])
                .map(drop)
        ),
        "participants"
    );
    // Invite codes are 22 letters or digits.
    assert_eq!(field(e.join_group("short").map(drop)), "code");
    let long = "x".repeat(101);
    assert_eq!(field(e.set_subject(&id, &long).map(drop)), "subject");
    assert_eq!(
        field(e.set_description(&id, &"x".repeat(2049)).map(drop)),
        "description"
    );
    assert_eq!(
        field(e.set_icon(&id, b"GIF89a", "image/gif").map(drop)),
        "mimeType"
    );
}

#[test]
fn a_group_reads_with_lid_members_their_phones_roles_and_settings() {
    let e = evolution();
    let group = e
        .get_group(&gid(GROUP))
        .unwrap()
        .parse_final(ok(200, group_info()))
        .unwrap();
    assert_eq!(group.id.as_str(), GROUP);
    assert_eq!(group.subject, "Sales team");
    assert_eq!(group.description.as_deref(), Some("Leads and follow-ups"));
    assert_eq!(group.created_at, Some(1732526000));
    assert_eq!(group.size, Some(3));
    let roles: Vec<(&str, Option<&str>, Role)> = group
        .participants
        .iter()
        .map(|p| (p.id.as_str(), p.phone.as_deref(), p.role))
        .collect();
    assert_eq!(
        roles,
        [
            (
                "5511900000000@c.us",
                Some("5511900000000"),
                Role::Superadmin
            ),
            ("38583844390020@lid", Some("5511977770001"), Role::Admin),
            ("38583844390027@lid", Some("5511977770002"), Role::Member),
        ]
    );
    let settings = e
        .get_settings(&gid(GROUP))
        .unwrap()
        .parse_final(ok(200, group_info()))
        .unwrap();
    assert_eq!(settings.info_admin_only, Some(true));
    assert_eq!(settings.messages_admin_only, Some(false));
    assert_eq!(settings.members_can_add, None);
    assert_eq!(settings.approval_required, None);
    let icon = e
        .get_icon(&gid(GROUP))
        .unwrap()
        .parse_final(ok(200, group_info()))
        .unwrap()
        .unwrap();
    assert_eq!(icon.url, "https://pps.whatsapp.net/v/t61/icon.jpg");
    let mut no_picture = group_info();
    no_picture["pictureUrl"] = Value::Null;
    let none = e
        .get_icon(&gid(GROUP))
        .unwrap()
        .parse_final(ok(200, no_picture));
    assert_eq!(none.unwrap(), None);
}

#[test]
fn participants_come_wrapped_with_names_from_the_contacts() {
    let answer = json!({"participants": [
        {"id": "38583844390020@lid", "phoneNumber": "5511977770001@s.whatsapp.net",
         "admin": "admin", "name": "Ana", "imgUrl": null},
        {"id": "5511977770002@s.whatsapp.net", "lid": "38583844390027@lid", "admin": null}
    ]});
    let members = evolution()
        .list_participants(&gid(GROUP))
        .unwrap()
        .parse_final(ok(200, answer))
        .unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(members[0].id.as_str(), "38583844390020@lid");
    assert_eq!(members[0].phone.as_deref(), Some("5511977770001"));
    assert_eq!(members[0].role, Role::Admin);
    assert_eq!(members[0].name.as_deref(), Some("Ana"));
    assert_eq!(members[1].name, None);
    assert_eq!(members[1].id.as_str(), "5511977770002@c.us");
    assert_eq!(members[1].role, Role::Member);
}

#[test]
fn listing_and_counting_read_fetch_all_groups() {
    let mut other = group_info();
    other["id"] = json!("120363400000000002@g.us");
    other["subject"] = json!("Support");
    // One entry without an id does not fail the listing.
    let list = json!([group_info(), other, {"subject": "no id"}]);
    let e = evolution();
    let listed = e
        .list_groups(&ListGroupsOptions::default())
        .unwrap()
        .parse_final(ok(200, list.clone()))
        .unwrap();
    let GroupListing::Groups(groups) = listed else {
        panic!("expected groups")
    };
    let subjects: Vec<&str> = groups.iter().map(|g| g.subject.as_str()).collect();
    assert_eq!(subjects, ["Sales team", "Support"]);
    assert_eq!(
        e.count_groups()
            .unwrap()
            .parse_final(ok(200, list))
            .unwrap(),
        2
    );
}

#[test]
fn create_reports_the_numbers_evolution_silently_dropped() {
    let e = evolution();
    let call = e
        .create_group(&NewGroup {
            subject: "Sales team".into(),
            participants: vec!["5511977770001".into(), "5511977779999".into()],
        })
        .unwrap();
    // 201 with the new group's metadata: 5511977779999 (not on WhatsApp) is just absent.
    let created = json!({
        "id": GROUP, "subject": "Sales team", "addressingMode": "lid", "creation": 1732526000,
        "owner": "38583300000013@lid", "ownerPn": "5511900000000@s.whatsapp.net", "size": 2,
        "participants": [
            {"id": "38583300000013@lid", "phoneNumber": "5511900000000@s.whatsapp.net", "admin": "superadmin"},
            {"id": "38583844390020@lid", "phoneNumber": "5511977770001@s.whatsapp.net", "admin": null}
        ]
    });
    let group = call.parse_final(ok(201, created)).unwrap();
    let added = group.added.unwrap();
    assert!(added[0].ok, "{added:?}");
    assert!(!added[1].ok, "{added:?}");
    assert_eq!(added[1].id.as_str(), "5511977779999@c.us");
    assert_eq!(added[1].reason, Some(RefusalReason::Other));
    assert_eq!(group.creator.unwrap().as_str(), "5511900000000@c.us");
}

#[test]
fn a_201_with_failures_becomes_each_persons_result() {
    let e = evolution();
    let requested = users(&[
        "5511977770001",
        "5511977770002",
        "5511977770003",
        "5511977770004",
    ]);
    let call = e
        .change_participants(&gid(GROUP), ParticipantChange::Add, &requested)
        .unwrap();
    // Baileys' nodes: 200 (named by LID, the phone in attrs), 403 with an add_request,
    // 409, and 408 — all in one HTTP 201.
    let answer = json!({"updateParticipants": [
        {"status": "200", "jid": "38583844390020@lid",
         "content": {"tag": "participant", "attrs": {"jid": "38583844390020@lid",
                     "phone_number": "5511977770001@s.whatsapp.net"}}},
        {"status": "403", "jid": "5511977770002@s.whatsapp.net",
         "content": {"tag": "participant", "attrs": {"jid": "5511977770002@s.whatsapp.net", "error": "403"},
                     "content": [{"tag": "add_request", "attrs": {"code": "Xy12", "expiration": "1733130800"}}]}},
        {"status": "409", "jid": "5511977770003@s.whatsapp.net",
         "content": {"tag": "participant", "attrs": {"jid": "5511977770003@s.whatsapp.net", "error": "409"}}},
        {"status": "408", "jid": "5511977770004@s.whatsapp.net",
         "content": {"tag": "participant", "attrs": {"jid": "5511977770004@s.whatsapp.net", "error": "408"}}}
    ]});
    let results = call.parse_final(ok(201, answer)).unwrap();
    let got: Vec<(bool, Option<u16>, Option<RefusalReason>)> =
        results.iter().map(|r| (r.ok, r.status, r.reason)).collect();
    assert_eq!(
        got,
        [
            (true, None, None),
            (false, Some(403), Some(RefusalReason::Privacy)),
            (false, Some(409), Some(RefusalReason::AlreadyMember)),
            (false, Some(408), Some(RefusalReason::RecentlyLeft)),
        ]
    );
    // Someone the answer leaves out is not taken as done.
    let silent = e
        .change_participants(&gid(GROUP), ParticipantChange::Remove, &requested[..2])
        .unwrap()
        .parse_final(ok(
            201,
            json!({"updateParticipants": [
                {"status": "200", "jid": "5511977770001@s.whatsapp.net"}
            ]}),
        ))
        .unwrap();
    assert!(silent[0].ok && !silent[1].ok, "{silent:?}");
    assert_eq!(silent[1].reason, None, "reasons are for adds only");
    // An answer without the list is a decode error, never "all applied".
    let odd = e
        .change_participants(&gid(GROUP), ParticipantChange::Add, &requested[..1])
        .unwrap()
        .parse_final(ok(201, json!({"update": "success"})));
    assert_eq!(odd.unwrap_err().code(), ErrorCode::Decode);
}

#[test]
fn invite_links_are_links_from_codes_and_urls() {
    let e = evolution();
    let link = e
        .get_invite_link(&gid(GROUP))
        .unwrap()
        .parse_final(ok(
            200,
            json!({"inviteUrl": format!("https://chat.whatsapp.com/{CODE}"), "inviteCode": CODE}),
        ))
        .unwrap();
    assert_eq!(link, format!("https://chat.whatsapp.com/{CODE}"));
    // The revoke answers the new code only.
    let fresh = e
        .revoke_invite_link(&gid(GROUP))
        .unwrap()
        .parse_final(ok(
            201,
            json!({"revoked": true, "inviteCode": "ZyXwVuTsRqPoNmLkJiHgFe"}),
        ))
        .unwrap();
    assert_eq!(
        fresh.as_deref(),
        Some("https://chat.whatsapp.com/ZyXwVuTsRqPoNmLkJiHgFe")
    );
    let joined = e
        .join_group(CODE)
        .unwrap()
        .parse_final(ok(200, json!({"accepted": true, "groupJid": GROUP})))
        .unwrap();
    assert_eq!(joined.as_str(), GROUP);
    let preview = e
        .get_join_info(CODE)
        .unwrap()
        .parse_final(ok(200, group_info()))
        .unwrap();
    assert_eq!(preview.subject, "Sales team");
}

#[test]
fn writes_accept_evolutions_success_bodies() {
    let e = evolution();
    let id = gid(GROUP);
    let update = ok(201, json!({"update": "success"}));
    e.set_subject(&id, "x")
        .unwrap()
        .parse_final(update.clone())
        .unwrap();
    e.set_description(&id, "x")
        .unwrap()
        .parse_final(update.clone())
        .unwrap();
    e.set_icon(&id, JPEG, "image/jpeg")
        .unwrap()
        .parse_final(update)
        .unwrap();
    // `{updateSetting: undefined}` reaches the wire as `{}`.
    e.set_setting(&id, Setting::InfoAdminOnly, true)
        .unwrap()
        .parse_final(ok(201, json!({})))
        .unwrap();
    e.leave_group(&id)
        .unwrap()
        .parse_final(ok(200, json!({"groupJid": GROUP, "leave": true})))
        .unwrap();
    // A repeated leave (the first answer was lost) that finds no group: the first one left.
    let gone = ok(
        404,
        json!({"status": 404, "error": "Not Found",
                              "response": {"message": ["Error leaving group", "item-not-found"]}}),
    );
    let leave = e.leave_group(&id).unwrap();
    assert!((leave.repeat.as_ref().unwrap())(gone.clone()).is_ok());
    assert_eq!(
        leave.parse_final(gone).unwrap_err().code(),
        ErrorCode::NotFound
    );
    let sent = e
        .send_text(&id, "Hello")
        .unwrap()
        .parse_final(ok(
            201,
            json!({"key": {"remoteJid": GROUP, "fromMe": true, "id": "3EB0C767D26A1D8E"},
                   "pushName": "", "status": "PENDING", "message": {"conversation": "Hello"},
                   "messageType": "conversation", "messageTimestamp": 1732526100,
                   "instanceId": "b5c1", "source": "unknown"}),
        ))
        .unwrap();
    assert_eq!(sent.id.as_deref(), Some("3EB0C767D26A1D8E"));
}

#[test]
fn mentioning_members_checks_them_first_and_names_them_by_number() {
    let e = evolution();
    let options = SendOptions {
        mentions: Some(Mentions::Members(vec![
            "38583844390020@lid".into(),
            "+55 11 97777-0002".into(),
        ])),
    };
    let call = e.send_text_with(&gid(GROUP), "You two", &options).unwrap();
    assert_eq!(call.request.path, "/group/participants/sales");
    let members = ok(200, json!({"participants": group_info()["participants"]}));
    let Step::Next(send) = (call.parse)(members.clone()).unwrap() else {
        panic!("expected the send")
    };
    assert_eq!(
        body_json(&send.request),
        json!({"number": GROUP, "text": "You two", "mentioned": ["5511977770001", "5511977770002"]})
    );
    let stranger = SendOptions {
        mentions: Some(Mentions::Members(vec!["5511911112222".into()])),
    };
    let call = e.send_text_with(&gid(GROUP), "Hi", &stranger).unwrap();
    match (call.parse)(members) {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "options.mentions[0]"),
        Ok(_) => panic!("a non-member must not be mentioned"),
        Err(other) => panic!("expected invalid_input, got {other:?}"),
    }
}

#[test]
fn the_error_envelope_maps_to_our_codes() {
    let e = evolution();
    let read = |status: u16, body: Value| {
        e.get_group(&gid(GROUP))
            .unwrap()
            .parse_final(ok(status, body))
            .unwrap_err()
    };
    let cases = [
        (
            401,
            json!({"status": 401, "error": "Unauthorized", "response": {"message": "Unauthorized"}}),
            ErrorCode::Unauthorized,
            "Unauthorized",
        ),
        (
            404,
            json!({"status": 404, "error": "Not Found", "response": {"message": ["The \"sales\" instance does not exist"]}}),
            ErrorCode::NotFound,
            "instance does not exist",
        ),
        (
            404,
            json!({"status": 404, "error": "Not Found", "response": {"message": ["Error fetching group", "item-not-found"]}}),
            ErrorCode::NotFound,
            "Error fetching group",
        ),
        (
            400,
            json!({"status": 400, "error": "Bad Request", "response": {"message": ["The group id needs to be informed in the query"]}}),
            ErrorCode::InvalidInput,
            "needs to be informed",
        ),
        (
            400,
            json!({"status": 400, "error": "Bad Request", "response": {"message": ["Error updating participants", "Error: not-authorized"]}}),
            ErrorCode::Forbidden,
            "not-authorized",
        ),
        (
            400,
            json!({"status": 400, "error": "Bad Request", "response": {"message": ["Error updating participants", "Error: Connection Closed"]}}),
            ErrorCode::Server,
            "Error updating participants",
        ),
        (
            500,
            json!({"status": 500, "error": "Internal Server Error", "response": {"message": ["rate-overlimit"]}}),
            ErrorCode::RateLimited,
            "rate-overlimit",
        ),
        (
            500,
            json!({"status": 500, "error": "Internal Server Error", "response": {"message": [{"message": "Connection Closed"}]}}),
            ErrorCode::Server,
            "Connection Closed",
        ),
    ];
    for (status, body, code, says) in cases {
        let error = read(status, body.clone());
        assert_eq!(error.code(), code, "{body}");
        assert!(error.to_string().contains(says), "{body}: {error}");
    }
    // A 400 is always Evolution's envelope: one that cannot be read is `decode`.
    let error = e
        .get_group(&gid(GROUP))
        .unwrap()
        .parse_final(HttpResponse::new(400, r#"{"status":400,"error":"Bad Req"#))
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::Decode);
    // Not JSON at all: the text.
    let error = e
        .get_group(&gid(GROUP))
        .unwrap()
        .parse_final(HttpResponse::new(502, "Bad gateway"))
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::Server);
}

#[test]
fn a_member_asked_for_by_lid_is_named_by_the_number_the_group_lists_beside_it() {
    let e = evolution();
    let asked = users(&["38583844390020@lid", "5511977770002"]);
    let call = e
        .change_participants(&gid(GROUP), ParticipantChange::Promote, &asked)
        .unwrap();
    // The group's listing first: it gives each LID's phone.
    assert_request(
        &call.request,
        Method::Get,
        "/group/participants/sales",
        &[("groupJid", GROUP)],
        None,
    );
    let members = ok(200, json!({"participants": group_info()["participants"]}));
    let Step::Next(send) = (call.parse)(members.clone()).unwrap() else {
        panic!("expected the update")
    };
    assert_eq!(
        body_json(&send.request),
        json!({"groupJid": GROUP, "action": "promote", "participants": ["5511977770001", "5511977770002"]})
    );
    // Results come back under the ids asked for.
    let results = send
        .parse_final(ok(
            201,
            json!({"updateParticipants": [
                {"status": "200", "jid": "38583844390020@lid",
                 "content": {"tag": "participant", "attrs": {"jid": "38583844390020@lid",
                             "phone_number": "5511977770001@s.whatsapp.net"}}},
                {"status": "200", "jid": "38583844390027@lid",
                 "content": {"tag": "participant", "attrs": {"jid": "38583844390027@lid",
                             "phone_number": "5511977770002@s.whatsapp.net"}}}
            ]}),
        ))
        .unwrap();
    assert_eq!(results[0].id.as_str(), "38583844390020@lid");
    assert!(results.iter().all(|r| r.ok), "{results:?}");
    // A LID the group does not list has no number to send: refused, nothing changed.
    let stranger = e
        .change_participants(
            &gid(GROUP),
            ParticipantChange::Remove,
            &users(&["99999999999@lid"]),
        )
        .unwrap();
    match (stranger.parse)(members) {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "participants[0]"),
        Ok(_) => panic!("a LID without a known number must not be sent"),
        Err(other) => panic!("expected invalid_input, got {other:?}"),
    }
    // A short number next to a LID is refused before the read.
    let short = e.change_participants(
        &gid(GROUP),
        ParticipantChange::Add,
        &users(&["38583844390020@lid", "551199999"]),
    );
    assert!(matches!(short, Err(Error::InvalidInput { field, .. }) if field == "participants[1]"));
}
