use serde_json::json;

use super::*;
use crate::model::Role;

const GROUP: &str = "120363401234567890@g.us";
const WAVY_GROUP: &str = "5519900000000-1553784379";

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/", $name, ".json")).as_slice()
    };
}

fn one(provider: ProviderKind, payload: &[u8]) -> InboundEvent {
    let mut events = parse_inbound(provider, payload).expect("parses");
    assert_eq!(events.len(), 1, "{events:?}");
    events.remove(0)
}

fn waha(payload: &[u8]) -> InboundEvent {
    one(ProviderKind::Waha, payload)
}

fn group_id(events: &InboundEvent) -> Option<&str> {
    events.group_id.as_ref().map(GroupId::as_str)
}

fn ids(event: &InboundEvent) -> Vec<(&str, Option<&str>, Role)> {
    event
        .participants
        .iter()
        .map(|p| (p.id.as_str(), p.phone.as_deref(), p.role))
        .collect()
}

// --- WAHA group events -------------------------------------------------------------------

#[test]
fn waha_v2_participants_join_reads_the_reference_example() {
    let event = waha(fixture!("waha_v2_participants_join"));
    assert_eq!(event.kind, EventKind::ParticipantsChanged);
    assert_eq!(event.event.as_deref(), Some("group.v2.participants"));
    assert_eq!(group_id(&event), Some(GROUP));
    assert_eq!(event.action.as_deref(), Some("join"));
    assert_eq!(
        ids(&event),
        [("76699677012110@lid", Some("5511888880000"), Role::Member)]
    );
    // The payload's `Date.now()` (ms) wins over the envelope's, and becomes seconds.
    assert_eq!(event.timestamp, Some(1_757_000_000));
}

#[test]
fn waha_v2_demote_trusts_the_type_not_the_reported_role() {
    // NOWEB reports `admin` for demoted members.
    let event = waha(fixture!("waha_v2_participants_demote_noweb"));
    assert_eq!(event.kind, EventKind::ParticipantsChanged);
    assert_eq!(event.action.as_deref(), Some("demote"));
    assert_eq!(
        ids(&event),
        [
            ("5511777770000@c.us", Some("5511777770000"), Role::Member),
            ("5511666660000@c.us", Some("5511666660000"), Role::Member),
        ]
    );
    assert_eq!(event.timestamp, Some(1_741_000_000));
}

#[test]
fn waha_v2_promote_makes_admins() {
    let event = waha(fixture!("waha_v2_participants_promote"));
    assert_eq!(event.action.as_deref(), Some("promote"));
    assert_eq!(
        ids(&event),
        [("5511777770000@c.us", Some("5511777770000"), Role::Admin)]
    );
}

#[test]
fn waha_v2_leave_keeps_the_members_who_left() {
    let event = waha(fixture!("waha_v2_participants_leave"));
    assert_eq!(event.kind, EventKind::ParticipantsChanged);
    assert_eq!(event.action.as_deref(), Some("leave"));
    assert_eq!(
        ids(&event),
        [("76699677012110@lid", Some("5511888880000"), Role::Member)]
    );
    assert_eq!(event.timestamp, Some(1_741_000_002));
}

#[test]
fn waha_v2_join_carries_the_group() {
    let event = waha(fixture!("waha_v2_join"));
    assert_eq!(event.kind, EventKind::GroupJoined);
    assert_eq!(group_id(&event), Some(GROUP));
    assert_eq!(event.timestamp, Some(1_757_000_000));
    let group = event.group.expect("group");
    assert_eq!(group.id.as_str(), GROUP);
    assert_eq!(group.subject, "Team");
    assert_eq!(group.description.as_deref(), Some("Our team"));
    let members: Vec<_> = group
        .participants
        .iter()
        .map(|p| (p.id.as_str(), p.phone.as_deref(), p.role))
        .collect();
    assert_eq!(
        members,
        [
            ("5511999990000@c.us", Some("5511999990000"), Role::Member),
            (
                "76699677012110@lid",
                Some("5511888880000"),
                Role::Superadmin
            ),
            ("5511777770000@c.us", Some("5511777770000"), Role::Admin),
        ]
    );
}

#[test]
fn waha_v2_leave_names_the_group() {
    let event = waha(fixture!("waha_v2_leave"));
    assert_eq!(event.kind, EventKind::GroupLeft);
    assert_eq!(group_id(&event), Some(GROUP));
    assert_eq!(event.group, None);
    assert_eq!(event.timestamp, Some(1_741_000_100));
}

#[test]
fn waha_v2_update_carries_what_changed() {
    let event = waha(fixture!("waha_v2_update"));
    assert_eq!(event.kind, EventKind::GroupUpdated);
    assert_eq!(group_id(&event), Some(GROUP));
    assert_eq!(
        event.group.as_ref().map(|g| g.subject.as_str()),
        Some("New name")
    );
    assert_eq!(event.timestamp, Some(1_741_000_200));
}

#[test]
fn waha_v2_join_request_names_the_requester_and_phone() {
    let event = waha(fixture!("waha_v2_join_request"));
    assert_eq!(event.kind, EventKind::JoinRequest);
    assert_eq!(
        event.event.as_deref(),
        Some("group.v2.participants.join-request")
    );
    assert_eq!(group_id(&event), Some(GROUP));
    assert_eq!(event.action.as_deref(), Some("created"));
    assert_eq!(
        event.from.as_ref().map(UserId::as_str),
        Some("76699677012110@lid")
    );
    assert_eq!(
        ids(&event),
        [("76699677012110@lid", Some("5511888880000"), Role::Member)]
    );
    assert_eq!(event.timestamp, Some(1_757_000_000));
}

#[test]
fn waha_deprecated_webjs_group_join_of_someone_else_is_a_participant_change() {
    let event = waha(fixture!("waha_group_join_webjs"));
    assert_eq!(event.kind, EventKind::ParticipantsChanged);
    assert_eq!(event.event.as_deref(), Some("group.join"));
    assert_eq!(group_id(&event), Some(GROUP));
    assert_eq!(event.action.as_deref(), Some("join"));
    assert_eq!(
        event.from.as_ref().map(UserId::as_str),
        Some("5511777770000@c.us")
    );
    assert_eq!(
        ids(&event),
        [("5511888880000@c.us", Some("5511888880000"), Role::Member)]
    );
    assert_eq!(event.timestamp, Some(1_741_000_300));
}

#[test]
fn waha_deprecated_webjs_group_join_of_the_account_is_group_joined() {
    let event = waha(fixture!("waha_group_join_webjs_me"));
    assert_eq!(event.kind, EventKind::GroupJoined);
    assert_eq!(group_id(&event), Some(GROUP));
}

#[test]
fn waha_deprecated_webjs_group_leave_is_a_participant_change_or_group_left() {
    let event = waha(fixture!("waha_group_leave_webjs"));
    assert_eq!(event.kind, EventKind::ParticipantsChanged);
    assert_eq!(event.action.as_deref(), Some("leave"));
    assert_eq!(ids(&event)[0].0, "5511888880000@c.us");

    let mut envelope: serde_json::Value =
        serde_json::from_slice(fixture!("waha_group_leave_webjs")).unwrap();
    envelope["payload"]["recipientIds"] = json!(["5511999990000@c.us"]);
    let event = waha(envelope.to_string().as_bytes());
    assert_eq!(event.kind, EventKind::GroupLeft);
    assert_eq!(group_id(&event), Some(GROUP));
}

#[test]
fn waha_deprecated_noweb_group_join_reads_the_metadata_list() {
    let event = waha(fixture!("waha_group_join_noweb"));
    assert_eq!(event.kind, EventKind::GroupJoined);
    assert_eq!(event.event.as_deref(), Some("group.join"));
    assert_eq!(group_id(&event), Some(GROUP));
    let group = event.group.expect("group");
    assert_eq!(group.subject, "Team");
    assert_eq!(group.description.as_deref(), Some("Our team"));
    assert_eq!(
        group.creator.as_ref().map(UserId::as_str),
        Some("5511777770000@c.us")
    );
    assert_eq!(group.created_at, Some(1_741_000_000));
    assert_eq!(group.participants.len(), 2);
    assert_eq!(group.participants[0].role, Role::Superadmin);
    assert_eq!(group.participants[1].role, Role::Member);
}

#[test]
fn waha_noweb_group_join_of_two_groups_yields_two_events() {
    let body = json!({"event": "group.join", "session": "default", "payload": [
        {"id": "1@g.us", "subject": "A", "participants": []},
        {"id": "2@g.us", "subject": "B", "participants": []},
    ]});
    let events = parse_inbound(ProviderKind::Waha, body.to_string().as_bytes()).unwrap();
    let groups: Vec<_> = events.iter().map(|e| (e.kind, group_id(e))).collect();
    assert_eq!(
        groups,
        [
            (EventKind::GroupJoined, Some("1@g.us")),
            (EventKind::GroupJoined, Some("2@g.us")),
        ]
    );
}

#[test]
fn waha_group_event_without_a_group_id_is_unknown() {
    for name in [
        "group.v2.join",
        "group.v2.leave",
        "group.v2.update",
        "group.v2.participants",
        "group.v2.participants.join-request",
        "group.join",
        "group.leave",
    ] {
        for payload in [
            json!({}),
            json!(null),
            json!(7),
            json!({"group": {"id": ""}}),
            json!([]),
        ] {
            let body = json!({"event": name, "payload": payload});
            let event = waha(body.to_string().as_bytes());
            assert_eq!(event.kind, EventKind::Unknown, "{body}");
            assert_eq!(event.event.as_deref(), Some(name));
        }
    }
}

// --- WAHA messages -----------------------------------------------------------------------

#[test]
fn waha_message_in_a_group_is_a_group_message_from_the_participant() {
    let event = waha(fixture!("waha_message_group"));
    assert_eq!(event.kind, EventKind::GroupMessage);
    assert_eq!(group_id(&event), Some(GROUP));
    assert_eq!(
        event.from.as_ref().map(UserId::as_str),
        Some("5511888880000@c.us")
    );
    assert_eq!(event.text.as_deref(), Some("Hi all"));
    assert_eq!(event.timestamp, Some(1_741_000_500));
    assert_eq!(
        event.reply_to,
        Some(ReplyTo::new(GROUP, RecipientType::Group))
    );
}

#[test]
fn waha_group_message_falls_back_to_the_author() {
    let body = json!({"event": "message", "payload": {
        "from": GROUP, "fromMe": false, "author": "5511888880000@s.whatsapp.net", "body": "x"}});
    let event = waha(body.to_string().as_bytes());
    assert_eq!(event.kind, EventKind::GroupMessage);
    assert_eq!(
        event.from.as_ref().map(UserId::as_str),
        Some("5511888880000@c.us")
    );
}

#[test]
fn waha_direct_message_is_answered_individually() {
    let event = waha(fixture!("waha_message_direct"));
    assert_eq!(event.kind, EventKind::DirectMessage);
    assert_eq!(event.group_id, None);
    assert_eq!(
        event.from.as_ref().map(UserId::as_str),
        Some("5511888880000@c.us")
    );
    assert_eq!(event.text.as_deref(), Some("Hello bot"));
    // NOWEB spells the timestamp as a string.
    assert_eq!(event.timestamp, Some(1_741_000_600));
    assert_eq!(
        event.reply_to,
        Some(ReplyTo::new(
            "5511888880000@c.us",
            RecipientType::Individual
        ))
    );
}

#[test]
fn waha_own_message_in_a_group_uses_to_and_is_never_direct() {
    let event = waha(fixture!("waha_message_any_own_group"));
    assert_eq!(event.kind, EventKind::GroupMessage);
    assert_eq!(event.event.as_deref(), Some("message.any"));
    assert_eq!(group_id(&event), Some(GROUP));
    assert_eq!(
        event.from.as_ref().map(UserId::as_str),
        Some("5511999990000@c.us")
    );
    assert_eq!(event.reply_to.unwrap().recipient_type, RecipientType::Group);
}

#[test]
fn waha_own_direct_message_replies_to_the_other_person() {
    let body = json!({"event": "message.any", "payload": {
        "from": "5511999990000@c.us", "fromMe": true, "to": "5511888880000@c.us", "body": "yo"}});
    let event = waha(body.to_string().as_bytes());
    assert_eq!(event.kind, EventKind::DirectMessage);
    assert_eq!(event.reply_to.unwrap().destination, "5511888880000@c.us");
}

#[test]
fn waha_status_broadcasts_are_not_direct_messages() {
    let event = waha(fixture!("waha_message_status"));
    assert_eq!(event.kind, EventKind::Unknown);
    assert_eq!(event.event.as_deref(), Some("message"));
    assert_eq!(event.reply_to, None);
}

#[test]
fn waha_unknown_event_is_unknown_with_its_name() {
    let event = waha(fixture!("waha_session_status"));
    assert_eq!(event.kind, EventKind::Unknown);
    assert_eq!(event.event.as_deref(), Some("session.status"));
    assert_eq!(event.group_id, None);
}

#[test]
fn waha_envelope_timestamp_is_used_when_the_payload_has_none() {
    let body = json!({"event": "group.v2.leave", "timestamp": 1_757_000_000_123_u64,
        "payload": {"group": {"id": GROUP}}});
    assert_eq!(
        waha(body.to_string().as_bytes()).timestamp,
        Some(1_757_000_000)
    );
}

// --- timestamps --------------------------------------------------------------------------

#[test]
fn timestamps_in_seconds_and_milliseconds_both_become_seconds() {
    use super::json::unix_seconds;
    let cases = [
        (json!(1_741_000_000), Some(1_741_000_000)),
        (json!(1_741_000_000_123_u64), Some(1_741_000_000)),
        (json!(253_402_300_798_u64), Some(253_402_300_798)),
        // Below 10¹² is seconds, and that far is past the year 9999.
        (json!(999_999_999_999_u64), None),
        (json!(1_000_000_000_000_u64), Some(1_000_000_000)),
        (json!("1741000000"), Some(1_741_000_000)),
        (json!(" 1741000000123 "), Some(1_741_000_000)),
        (json!(1_741_000_000.75), Some(1_741_000_000)),
        (json!(0), None),
        (json!(-5), None),
        (json!("soon"), None),
        (json!(null), None),
        (json!(1e300), None),
        (json!(f64::MAX), None),
    ];
    for (raw, expected) in cases {
        let text = raw.to_string();
        let doc = crate::json::Doc::parse(text.as_bytes()).unwrap();
        assert_eq!(unix_seconds(Some(doc.root())), expected, "{raw}");
    }
}

// --- Wavy MOs ----------------------------------------------------------------------------

#[test]
fn wavy_group_mo_is_a_group_message_never_direct() {
    let event = one(ProviderKind::Wavy, fixture!("wavy_group_mo"));
    assert_eq!(event.kind, EventKind::GroupMessage);
    assert_eq!(group_id(&event), Some(WAVY_GROUP));
    assert_eq!(
        event.from.as_ref().map(UserId::as_str),
        Some("5419900000000")
    );
    assert_eq!(event.text.as_deref(), Some("Hello"));
    assert_eq!(
        event.reply_to,
        Some(ReplyTo::new(WAVY_GROUP, RecipientType::Group))
    );
    assert_eq!(event.event, None);
}

#[test]
fn wavy_direct_mo_is_answered_to_the_source() {
    let event = one(ProviderKind::Wavy, fixture!("wavy_direct_mo"));
    assert_eq!(event.kind, EventKind::DirectMessage);
    assert_eq!(event.group_id, None);
    assert_eq!(
        event.from.as_ref().map(UserId::as_str),
        Some("5419900000000")
    );
    assert_eq!(event.text.as_deref(), Some("Hi there"));
    assert_eq!(event.timestamp, Some(1_741_000_900));
    assert_eq!(
        event.reply_to,
        Some(ReplyTo::new("5419900000000", RecipientType::Individual))
    );
}

#[test]
fn wavy_empty_or_blank_wa_group_id_is_direct() {
    for blank in [json!(""), json!("   "), json!(null)] {
        let body = json!({"total": 1, "data": [{"source": "5419900000000",
            "message": {"type": "TEXT", "messageText": "hi", "waGroupId": blank}}]});
        let event = one(ProviderKind::Wavy, body.to_string().as_bytes());
        assert_eq!(event.kind, EventKind::DirectMessage, "{body}");
        assert_eq!(
            event.reply_to.unwrap().recipient_type,
            RecipientType::Individual
        );
    }
}

#[test]
fn wavy_batch_of_two_keeps_order_and_classifies_each() {
    let events = parse_inbound(ProviderKind::Wavy, fixture!("wavy_batch")).unwrap();
    let summary: Vec<_> = events
        .iter()
        .map(|e| (e.kind, group_id(e), e.text.as_deref(), e.reply_to.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                EventKind::GroupMessage,
                Some(WAVY_GROUP),
                Some("In the group"),
                Some(ReplyTo::new(WAVY_GROUP, RecipientType::Group)),
            ),
            (
                EventKind::DirectMessage,
                None,
                Some("Privately"),
                Some(ReplyTo::new("5419900000001", RecipientType::Individual)),
            ),
        ]
    );
}

#[test]
fn wavy_group_mo_without_text_is_still_a_group_message() {
    let body = json!({"total": 1, "data": [{"source": 5_419_900_000_000_u64,
        "message": {"type": "IMAGE", "waGroupId": WAVY_GROUP}}]});
    let event = one(ProviderKind::Wavy, body.to_string().as_bytes());
    assert_eq!(event.kind, EventKind::GroupMessage);
    assert_eq!(event.text, None);
    assert_eq!(
        event.from.as_ref().map(UserId::as_str),
        Some("5419900000000")
    );
}

#[test]
fn wavy_empty_batch_yields_no_events() {
    let events = parse_inbound(ProviderKind::Wavy, br#"{"total":0,"data":[]}"#).unwrap();
    assert!(events.is_empty());
}

#[test]
fn wavy_unknown_shapes_are_unknown() {
    for body in [
        json!({}),
        json!([]),
        json!("MO"),
        json!({"total": 1, "data": {"source": "1"}}),
        json!({"event": "message", "payload": {}}),
    ] {
        let event = one(ProviderKind::Wavy, body.to_string().as_bytes());
        assert_eq!(event.kind, EventKind::Unknown, "{body}");
    }
    let body = json!({"total": 2, "data": [{"source": "1"}, {"message": {"messageText": "x"}}]});
    let events = parse_inbound(ProviderKind::Wavy, body.to_string().as_bytes()).unwrap();
    assert!(
        events.iter().all(|e| e.kind == EventKind::Unknown),
        "{events:?}"
    );
}

#[test]
fn wavy_source_as_a_whole_number_in_any_spelling_is_the_sender() {
    // The group MO of `wavy-groups-api.md`, its `source` spelled as Wavy may send it.
    for source in [
        json!("5419900000000"),
        json!(5_419_900_000_000_u64),
        json!(5_419_900_000_000.0),
    ] {
        let body = json!({"total": 1, "data": [{"source": source, "origin": "5419900000000",
            "message": {"type": "TEXT", "messageText": "Hello", "waGroupId": WAVY_GROUP}}]});
        let event = one(ProviderKind::Wavy, body.to_string().as_bytes());
        assert_eq!(event.kind, EventKind::GroupMessage, "{body}");
        assert_eq!(
            event.from.as_ref().map(UserId::as_str),
            Some("5419900000000"),
            "{body}"
        );
    }
    let fraction = json!({"total": 1, "data": [{"source": 5_419_900_000_000.5,
        "message": {"type": "TEXT", "messageText": "Hello"}}]});
    let event = one(ProviderKind::Wavy, fraction.to_string().as_bytes());
    assert_eq!(event.kind, EventKind::Unknown, "a fraction is no sender");
}

#[test]
fn a_required_part_of_the_wrong_type_is_unknown_not_an_error() {
    // REFERENCE A6's `group.v2.participants`, its `group` a string instead of `{id}`.
    let body = json!({"event": "group.v2.participants", "session": "default",
        "payload": {"group": GROUP, "type": "join", "timestamp": 1_757_000_000_120_u64,
            "participants": [{"id": "76699677012110@lid", "pn": "5511888880000@c.us",
                              "role": "participant"}]}});
    assert_eq!(waha(body.to_string().as_bytes()).kind, EventKind::Unknown);
    // A Wavy MO whose `message` is text, not `{type, messageText, waGroupId?}`.
    let body = json!({"total": 1, "data": [{"source": "5419900000000", "message": "Hello"}]});
    let event = one(ProviderKind::Wavy, body.to_string().as_bytes());
    assert_eq!(event.kind, EventKind::Unknown);
}

#[test]
fn fields_the_readers_do_not_know_are_ignored_whatever_their_type() {
    // REFERENCE A6's envelope, with `metadata`, `environment` and `_data` beside what is read.
    let body = json!({"id": "evt_01jz8x6q3c4v5b6n7m8k9j0h1g", "timestamp": 1_757_000_000_123_u64,
        "event": "group.v2.participants", "session": "default", "metadata": {"user.id": "123"},
        "me": {"id": "5511999990000@c.us", "pushName": "Bot"}, "engine": "GOWS",
        "environment": {"version": "2026.8.2", "engine": "GOWS", "tier": "PLUS", "browser": null},
        "payload": {"group": {"id": GROUP}, "type": "join", "timestamp": 1_757_000_000_120_u64,
            "participants": [{"id": "76699677012110@lid", "pn": "5511888880000@c.us",
                              "role": "participant", "extra": [1, {"a": null}]}],
            "_data": {"nested": [true, 2.5, "x"]}}});
    let event = waha(body.to_string().as_bytes());
    assert_eq!(event.kind, EventKind::ParticipantsChanged);
    assert_eq!(group_id(&event), Some(GROUP));
    assert_eq!(
        ids(&event),
        [("76699677012110@lid", Some("5511888880000"), Role::Member)]
    );
    assert_eq!(event.timestamp, Some(1_757_000_000));
}

// --- malformed input ---------------------------------------------------------------------

#[test]
fn malformed_json_is_a_decode_error() {
    for provider in [ProviderKind::Waha, ProviderKind::Wavy] {
        for body in [
            &b""[..],
            b"{",
            b"not json",
            b"{\"event\":}",
            b"\xff\xfe",
            b"[1,]",
        ] {
            let err = parse_inbound(provider, body).unwrap_err();
            assert_eq!(err.code(), crate::ErrorCode::Decode, "{body:?}");
        }
    }
}

#[test]
fn waha_non_envelopes_are_unknown() {
    for body in [
        json!(null),
        json!(42),
        json!("x"),
        json!([]),
        json!({"payload": {}}),
    ] {
        let event = waha(body.to_string().as_bytes());
        assert_eq!(event.kind, EventKind::Unknown, "{body}");
        assert_eq!(event.event, None);
    }
}

/// A small deterministic generator (xorshift64*), so the test needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn parse_inbound_never_panics_on_arbitrary_or_mutated_input() {
    let seeds: [&[u8]; 8] = [
        fixture!("waha_v2_participants_join"),
        fixture!("waha_v2_join"),
        fixture!("waha_v2_join_request"),
        fixture!("waha_group_join_webjs"),
        fixture!("waha_group_join_noweb"),
        fixture!("waha_message_group"),
        fixture!("wavy_batch"),
        fixture!("wavy_group_mo"),
    ];
    // Bytes that steer mutations towards other valid JSON with different types.
    let tokens: [&[u8]; 12] = [
        b"null",
        b"[]",
        b"{}",
        b"0",
        b"-1",
        b"1e999",
        b"\"\"",
        b"\"@g.us\"",
        b"true",
        b"\"x@c.us\"",
        b"99999999999999999999",
        b"1.5",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut parsed, mut rejected) = (0, 0);
    for round in 0..6000 {
        let input: Vec<u8> = if round % 4 == 0 {
            (0..rng.below(64)).map(|_| rng.next() as u8).collect()
        } else {
            let mut bytes = seeds[rng.below(seeds.len())].to_vec();
            for _ in 0..=rng.below(3) {
                let at = rng.below(bytes.len() + 1);
                match rng.below(4) {
                    0 => bytes.truncate(at),
                    1 if at < bytes.len() => bytes[at] = rng.next() as u8,
                    2 => {
                        let token = tokens[rng.below(tokens.len())];
                        bytes.splice(at..at, token.iter().copied());
                    }
                    _ => {
                        // Replace a value after a `:` with a token of another type.
                        if let Some(colon) =
                            bytes[at.min(bytes.len())..].iter().position(|&b| b == b':')
                        {
                            let start = at + colon + 1;
                            let end = bytes[start..]
                                .iter()
                                .position(|&b| b == b',' || b == b'}')
                                .map_or(bytes.len(), |e| start + e);
                            let token = tokens[rng.below(tokens.len())];
                            bytes.splice(start..end, token.iter().copied());
                        }
                    }
                }
            }
            bytes
        };
        for provider in [ProviderKind::Waha, ProviderKind::Wavy] {
            match parse_inbound(provider, &input) {
                Ok(events) => {
                    parsed += 1;
                    serde_json::to_string(&events).expect("events serialise");
                }
                Err(err) => {
                    rejected += 1;
                    assert_eq!(err.code(), crate::ErrorCode::Decode);
                }
            }
        }
    }
    // Both paths were exercised, not just the decoder's.
    assert!(
        parsed > 1000 && rejected > 1000,
        "{parsed} parsed, {rejected} rejected"
    );
}

// --- serialisation -----------------------------------------------------------------------

#[test]
fn events_serialise_camel_case_and_omit_unknowns() {
    let event = one(ProviderKind::Wavy, fixture!("wavy_group_mo"));
    assert_eq!(
        serde_json::to_value(&event).unwrap(),
        json!({
            "kind": "groupMessage",
            "groupId": WAVY_GROUP,
            "from": "5419900000000",
            "text": "Hello",
            "replyTo": {"destination": WAVY_GROUP, "recipientType": "group"},
        })
    );
    let event = waha(fixture!("waha_v2_participants_join"));
    assert_eq!(
        serde_json::to_value(&event).unwrap(),
        json!({
            "kind": "participantsChanged",
            "groupId": GROUP,
            "action": "join",
            "participants": [{"id": "76699677012110@lid", "phone": "5511888880000", "lid": "76699677012110@lid", "role": "member"}],
            "timestamp": 1_757_000_000,
            "event": "group.v2.participants",
        })
    );
    assert_eq!(
        serde_json::to_value(InboundEvent::new(EventKind::JoinRequest)).unwrap(),
        json!({"kind": "joinRequest"})
    );
}

// --- HMAC --------------------------------------------------------------------------------

const HMAC_BODY: &[u8] = br#"{"event":"message","session":"default","engine":"WEBJS"}"#;
const HMAC_KEY: &[u8] = b"my-secret-key";
const HMAC_HEX: &str = "208f8a55dde9e05519e898b10b89bf0d0b3b0fdf11fdbf09b6b90476301b98d8097c462b2b17a6ce93b6b47a136cf2e78a33a63f6752c2c1631777076153fa89";

#[test]
fn verify_webhook_accepts_the_reference_vector() {
    assert!(verify_webhook(HMAC_KEY, HMAC_BODY, HMAC_HEX));
}

#[test]
fn verify_webhook_accepts_uppercase_hex_and_surrounding_space() {
    assert!(verify_webhook(
        HMAC_KEY,
        HMAC_BODY,
        &HMAC_HEX.to_ascii_uppercase()
    ));
    assert!(verify_webhook(
        HMAC_KEY,
        HMAC_BODY,
        &format!(" {HMAC_HEX}\n")
    ));
}

#[test]
fn verify_webhook_rejects_a_wrong_key_body_or_signature() {
    assert!(!verify_webhook(b"my-secret-kez", HMAC_BODY, HMAC_HEX));
    assert!(!verify_webhook(b"", HMAC_BODY, HMAC_HEX));
    let mut body = HMAC_BODY.to_vec();
    body.push(b' ');
    assert!(!verify_webhook(HMAC_KEY, &body, HMAC_HEX));
    let mut flipped = HMAC_HEX.to_owned();
    flipped.replace_range(0..1, "3");
    assert!(!verify_webhook(HMAC_KEY, HMAC_BODY, &flipped));
}

#[test]
fn verify_webhook_rejects_malformed_hex_without_panicking() {
    let truncated = &HMAC_HEX[..HMAC_HEX.len() - 2];
    let odd = &HMAC_HEX[..HMAC_HEX.len() - 1];
    let non_hex = format!("{}zz", &HMAC_HEX[..HMAC_HEX.len() - 2]);
    let doubled = format!("{HMAC_HEX}{HMAC_HEX}");
    let multibyte = format!("é{}", &HMAC_HEX[2..]);
    for bad in [
        "", "sha512=", truncated, odd, &non_hex, &doubled, &multibyte, "0x00",
    ] {
        assert!(!verify_webhook(HMAC_KEY, HMAC_BODY, bad), "{bad:?}");
    }
}
