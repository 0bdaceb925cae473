//! Evolution's webhooks (research `evolution-and-meta-groups.md` §2.4): the envelope, the
//! three group events it forwards, participants as strings and as objects.

use serde_json::json;

use super::*;
use crate::model::Role;

fn parse(body: serde_json::Value) -> Vec<InboundEvent> {
    parse_inbound(ProviderKind::Evolution, body.to_string().as_bytes()).unwrap()
}

fn envelope(event: &str, data: serde_json::Value) -> serde_json::Value {
    json!({"event": event, "instance": "sales", "data": data,
           "destination": "https://hooks.example/evolution", "date_time": "2026-11-26T16:00:00.000Z",
           "sender": "5511900000000@s.whatsapp.net", "server_url": "http://localhost:8080",
           "apikey": "instance-token"})
}

#[test]
fn groups_upsert_is_one_joined_event_per_group() {
    let events = parse(envelope(
        "groups.upsert",
        json!([
            {"id": "120363400000000001@g.us", "subject": "Sales team", "creation": 1732526000,
             "owner": "38583300000013@lid", "ownerPn": "5511900000000@s.whatsapp.net",
             "participants": [{"id": "38583300000013@lid", "phoneNumber": "5511900000000@s.whatsapp.net", "admin": "superadmin"}]},
            {"id": "120363400000000002@g.us", "subject": "Support", "participants": []}
        ]),
    ));
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.kind == EventKind::GroupJoined));
    assert_eq!(events[0].event.as_deref(), Some("groups.upsert"));
    let group = events[0].group.as_ref().unwrap();
    assert_eq!(group.subject, "Sales team");
    assert_eq!(
        group.creator.as_ref().unwrap().as_str(),
        "5511900000000@c.us"
    );
    assert_eq!(
        group.participants[0].phone.as_deref(),
        Some("5511900000000")
    );
    assert_eq!(
        events[1].group_id.as_ref().unwrap().as_str(),
        "120363400000000002@g.us"
    );
}

#[test]
fn participants_update_reads_strings_and_objects() {
    // Baileys 6: JID strings.
    let strings = parse(envelope(
        "group-participants.update",
        json!({"id": "120363400000000001@g.us", "author": "5511900000000@s.whatsapp.net",
               "participants": ["5511977770001@s.whatsapp.net"], "action": "add"}),
    ));
    // Baileys 7: objects, by LID with the phone beside it.
    let objects = parse(envelope(
        "group-participants.update",
        json!({"id": "120363400000000001@g.us", "author": "38583300000013@lid",
               "authorPn": "5511900000000@s.whatsapp.net",
               "participants": [{"id": "38583844390020@lid", "phoneNumber": "5511977770001@s.whatsapp.net", "admin": null}],
               "action": "promote"}),
    ));
    for (events, action) in [(&strings, "add"), (&objects, "promote")] {
        assert_eq!(events.len(), 1);
        let event = &events[0];
        assert_eq!(event.kind, EventKind::ParticipantsChanged);
        assert_eq!(
            event.group_id.as_ref().unwrap().as_str(),
            "120363400000000001@g.us"
        );
        assert_eq!(event.action.as_deref(), Some(action));
        assert_eq!(event.from.as_ref().unwrap().as_str(), "5511900000000@c.us");
        assert_eq!(event.participants.len(), 1);
    }
    assert_eq!(strings[0].participants[0].id.as_str(), "5511977770001@c.us");
    let promoted = &objects[0].participants[0];
    assert_eq!(promoted.id.as_str(), "38583844390020@lid");
    assert_eq!(promoted.phone.as_deref(), Some("5511977770001"));
    assert_eq!(promoted.role, Role::Admin);
}

#[test]
fn a_group_message_is_answered_in_the_group() {
    let events = parse(envelope(
        "messages.upsert",
        json!({"key": {"remoteJid": "120363400000000001@g.us", "fromMe": false, "id": "3EB0AA",
                       "participant": "38583844390020@lid", "participantAlt": "5511977770001@s.whatsapp.net"},
               "pushName": "Ana", "message": {"conversation": "Hi all"},
               "messageType": "conversation", "messageTimestamp": 1732526100}),
    ));
    let event = &events[0];
    assert_eq!(event.kind, EventKind::GroupMessage);
    assert_eq!(
        event.group_id.as_ref().unwrap().as_str(),
        "120363400000000001@g.us"
    );
    let reply = event.reply_to.as_ref().unwrap();
    assert_eq!(reply.destination, "120363400000000001@g.us");
    assert_eq!(reply.recipient_type, RecipientType::Group);
    assert_eq!(event.from.as_ref().unwrap().as_str(), "5511977770001@c.us");
    assert_eq!(event.text.as_deref(), Some("Hi all"));
    assert_eq!(event.timestamp, Some(1732526100));
}

#[test]
fn direct_messages_statuses_and_other_events() {
    let direct = parse(envelope(
        "messages.upsert",
        json!({"key": {"remoteJid": "5511977770001@s.whatsapp.net", "fromMe": false, "id": "1"},
               "message": {"conversation": "hello"}, "messageTimestamp": 1732526100}),
    ));
    assert_eq!(direct[0].kind, EventKind::DirectMessage);
    assert_eq!(
        direct[0].reply_to.as_ref().unwrap().recipient_type,
        RecipientType::Individual
    );
    let status = parse(envelope(
        "messages.upsert",
        json!({"key": {"remoteJid": "status@broadcast", "id": "2"}, "message": {"conversation": "x"}}),
    ));
    assert_eq!(status[0].kind, EventKind::Unknown);
    let other = parse(envelope("connection.update", json!({"state": "open"})));
    assert_eq!(other[0].kind, EventKind::Unknown);
    assert_eq!(other[0].event.as_deref(), Some("connection.update"));
    let no_group = parse(envelope(
        "group-participants.update",
        json!({"participants": []}),
    ));
    assert_eq!(no_group[0].kind, EventKind::Unknown);
    assert!(parse_inbound(ProviderKind::Evolution, b"[1,").is_err());
}
