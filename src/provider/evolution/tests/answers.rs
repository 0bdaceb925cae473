//! Evolution's own answers read field by field (issue 15): what each must hold, what it may
//! add, and the error envelope's `message` in each of its shapes.

use super::*;

/// The error `parse` gives, as its message.
fn decode_message<T: std::fmt::Debug>(result: Result<T>) -> String {
    match result {
        Err(Error::Decode(message)) => message,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn an_answer_without_what_it_must_hold_is_a_decode_error_naming_it() {
    let e = evolution();
    let id = gid(GROUP);
    assert_eq!(
        decode_message(
            e.join_group(CODE)
                .unwrap()
                .parse_final(ok(200, json!({"accepted": true})))
        ),
        "joined group: no groupJid"
    );
    assert_eq!(
        decode_message(
            e.get_invite_link(&id)
                .unwrap()
                .parse_final(ok(200, json!({"inviteCode": 22})))
        ),
        "invite link: expected `inviteCode` as a string, found a number"
    );
    assert_eq!(
        decode_message(
            e.revoke_invite_link(&id)
                .unwrap()
                .parse_final(ok(201, json!(true)))
        ),
        "revoked invite: expected an object, found a boolean"
    );
    assert_eq!(
        decode_message(
            e.send_text(&id, "Hello")
                .unwrap()
                .parse_final(ok(201, json!({"key": "3EB0C767D26A1D8E"})))
        ),
        "sent message: expected `key` as an object, found a string"
    );
    let change = e
        .change_participants(&id, ParticipantChange::Add, &users(&["5511977770001"]))
        .unwrap();
    assert_eq!(
        decode_message(change.parse_final(ok(201, json!({"update": "success"})))),
        "participant results: missing field `updateParticipants`"
    );
    let picture = e.get_icon(&id).unwrap();
    let message = decode_message(picture.parse_final(HttpResponse::new(200, "<html>")));
    assert!(
        message.starts_with("group picture: ") && message.ends_with("(status 200)"),
        "{message}"
    );
}

#[test]
fn fields_an_answer_adds_are_ignored() {
    let e = evolution();
    let id = gid(GROUP);
    // `findGroupInfos` in full: only `pictureUrl` is read for the icon.
    let icon = e
        .get_icon(&id)
        .unwrap()
        .parse_final(ok(200, group_info()))
        .unwrap();
    assert_eq!(
        icon.map(|i| i.url),
        Some("https://pps.whatsapp.net/v/t61/icon.jpg".to_owned())
    );
    let none = e
        .get_icon(&id)
        .unwrap()
        .parse_final(ok(200, json!({"id": GROUP, "pictureUrl": null})))
        .unwrap();
    assert_eq!(none, None);
    // `sendText`'s record with a Baileys 7 `participant` in its key.
    let sent = e
        .send_text(&id, "Hello")
        .unwrap()
        .parse_final(ok(
            201,
            json!({"key": {"remoteJid": GROUP, "fromMe": true, "id": "3EB0C767D26A1D8E",
                           "participant": "5511900000000@s.whatsapp.net"},
                   "messageTimestamp": 1732526100, "instanceId": "b5c1"}),
        ))
        .unwrap();
    assert_eq!(sent.id.as_deref(), Some("3EB0C767D26A1D8E"));
    // A record without a key says nothing of the id, and is no error.
    let bare = e
        .send_text(&id, "Hello")
        .unwrap()
        .parse_final(ok(201, json!({"status": "PENDING"})))
        .unwrap();
    assert_eq!(bare.id, None);
}

#[test]
fn the_envelope_message_is_read_in_each_of_its_shapes() {
    let e = evolution();
    let read = |status: u16, body: &str| {
        e.get_group(&gid(GROUP))
            .unwrap()
            .parse_final(HttpResponse::new(status, body))
            .unwrap_err()
    };
    let says = |status: u16, body: &str| match read(status, body) {
        Error::Status { message, .. } => message,
        other => panic!("expected a status error, got {other:?}"),
    };
    let cases = [
        (
            r#"{"status":404,"error":"Not Found","response":{"message":" No invite code "}}"#,
            "No invite code",
        ),
        (
            r#"{"status":404,"error":"Not Found","response":{"message":["Error fetching group",{"error":"item-not-found"},7]}}"#,
            "Error fetching group; item-not-found; 7",
        ),
        (
            r#"{"status":404,"error":"Not Found","response":{"message":{"code":404,"reason":"gone"}}}"#,
            r#"{"code":404,"reason":"gone"}"#,
        ),
        // An empty list says nothing: the reason phrase stands in.
        (
            r#"{"status":404,"error":"Not Found","response":{"message":[]}}"#,
            "Not Found",
        ),
        // A `message` at the top, when there is no `response`.
        (
            r#"{"status":404,"message":"Cannot GET /group/x"}"#,
            "Cannot GET /group/x",
        ),
    ];
    for (body, message) in cases {
        assert_eq!(says(404, body), message, "{body}");
    }
    // A 400 that is not the envelope (its `error` no text, or no object at all) is `decode`.
    for body in [
        r#"{"status":400,"error":400,"response":{"message":["bad"]}}"#,
        r#"{"status":400,"error":"Bad Request","response":"bad"}"#,
        r#"["Bad Request"]"#,
        "null",
    ] {
        assert_eq!(read(400, body).code(), ErrorCode::Decode, "{body}");
    }
    // Any other status quotes such a body.
    assert_eq!(says(502, r#"{"error":502}"#), r#"{"error":502}"#);
}

#[test]
fn request_bodies_are_json_text_in_the_documented_order() {
    let e = evolution();
    let id = gid(GROUP);
    let text = |req: &HttpRequest| match &req.body {
        Some(Body::Json(text)) => text.clone(),
        other => panic!("expected a JSON body, got {other:?}"),
    };
    assert_eq!(
        text(&e.set_subject(&id, "Sales \"A\"").unwrap().request),
        r#"{"groupJid":"120363400000000001@g.us","subject":"Sales \"A\""}"#
    );
    let everyone = SendOptions {
        mentions: Some(Mentions::All),
    };
    assert_eq!(
        text(
            &e.send_text_with(&id, "All\nhands", &everyone)
                .unwrap()
                .request
        ),
        r#"{"number":"120363400000000001@g.us","text":"All\nhands","mentionsEveryOne":true}"#
    );
    let create = e
        .create_group(&NewGroup {
            subject: "Sales team".into(),
            participants: vec!["5511977770001".into()],
        })
        .unwrap();
    assert_eq!(
        text(&create.request),
        r#"{"subject":"Sales team","participants":["5511977770001"]}"#
    );
}
