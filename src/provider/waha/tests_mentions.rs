//! Mentions in `sendText` (issue 14, item 3): WAHA's `mentions` body field, `["all"]`
//! (research `waha-lids-mentions-adds.md` §2, WAHA 2025.11.1+) or members' ids, each
//! checked against a read of the group's members before anything is sent.

use serde_json::json;

use super::tests_ops::{BASE, GID, body_json, gid, invalid_field, resp, waha};
use super::*;
use crate::model::{Mentions, SendOptions};

const SENT: &str = include_str!("fixtures/gows_send_text.json");

fn mentioning(mentions: Mentions) -> SendOptions {
    SendOptions {
        mentions: Some(mentions),
    }
}

fn members(list: &[&str]) -> SendOptions {
    mentioning(Mentions::Members(
        list.iter().map(|s| (*s).to_owned()).collect(),
    ))
}

#[test]
fn mention_all_sends_waha_s_all_at_once() {
    let call = waha()
        .send_text_with(&gid(), "Meeting now", &mentioning(Mentions::All))
        .unwrap();
    assert_eq!(call.request.path, "/api/sendText");
    assert_eq!(
        body_json(&call.request),
        json!({"session": "default", "chatId": GID, "text": "Meeting now", "mentions": ["all"]})
    );
    assert!(call.parse_final(resp(201, SENT)).unwrap().id.is_some());
}

#[test]
fn without_mentions_the_body_has_none() {
    let call = waha()
        .send_text_with(&gid(), "Hello", &SendOptions::default())
        .unwrap();
    assert_eq!(
        body_json(&call.request),
        json!({"session": "default", "chatId": GID, "text": "Hello"})
    );
}

/// The members are read first; the send follows with the ids the group lists them by.
fn chained(options: &SendOptions, members: &str) -> Result<HttpRequest> {
    let call = waha().send_text_with(&gid(), "Can you?", options).unwrap();
    assert_eq!(call.request.method, Method::Get);
    assert_eq!(call.request.path, format!("{BASE}/participants"));
    assert!(call.request.body.is_none());
    match (call.parse)(resp(200, members))? {
        Step::Next(send) => {
            let request = send.request.clone();
            assert!(send.parse_final(resp(201, SENT)).unwrap().id.is_some());
            Ok(request)
        }
        Step::Done(_) => panic!("expected the send to follow the read"),
    }
}

#[test]
fn members_are_checked_then_mentioned() {
    let send = chained(
        &members(&["+852 9999 9999", "85277777777@c.us"]),
        include_str!("fixtures/webjs_participants_v1.json"),
    )
    .unwrap();
    assert_eq!(send.method, Method::Post);
    assert_eq!(send.path, "/api/sendText");
    assert_eq!(
        body_json(&send)["mentions"],
        json!(["85299999999@c.us", "85277777777@c.us"])
    );
}

#[test]
fn a_member_asked_by_phone_is_mentioned_by_the_lid_the_group_lists() {
    let send = chained(
        &members(&["5511888880000"]),
        include_str!("fixtures/noweb_participants_v1.json"),
    )
    .unwrap();
    assert_eq!(body_json(&send)["mentions"], json!(["76699677012110@lid"]));
}

#[test]
fn a_non_member_is_invalid_input_naming_them_and_nothing_is_sent() {
    let err = chained(
        &members(&["85299999999", "5511000000000"]),
        include_str!("fixtures/webjs_participants_v1.json"),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("options.mentions[1]"), "{err}");
    assert!(err.to_string().contains("5511000000000@c.us"), "{err}");
}

#[test]
fn bad_or_empty_mentions_are_refused_before_sending() {
    assert_eq!(
        invalid_field(waha().send_text_with(&gid(), "x", &members(&["85299999999", "nope"]))),
        "options.mentions[1]"
    );
    assert_eq!(
        invalid_field(waha().send_text_with(&gid(), "x", &members(&[]))),
        "options.mentions"
    );
    assert_eq!(
        invalid_field(waha().send_text_with(&gid(), " ", &mentioning(Mentions::All))),
        "text"
    );
}

#[test]
fn a_failed_read_of_the_members_is_that_error() {
    let call = waha()
        .send_text_with(&gid(), "x", &members(&["85299999999"]))
        .unwrap();
    let err = match (call.parse)(resp(
        500,
        include_str!("fixtures/error_group_not_found.json"),
    )) {
        Err(e) => e,
        Ok(_) => panic!("expected an error"),
    };
    assert_ne!(err.code(), ErrorCode::InvalidInput);
}
