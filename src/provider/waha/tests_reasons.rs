//! Why an add was refused (issue 14, item 4): each engine's per-person answer, as research
//! `waha-lids-mentions-adds.md` §3 gives it, read into a `reason` on the failed results only.

use super::tests_ops::{change, resp, user, waha};
use super::*;
use crate::model::RefusalReason::{self, *};

const ASKED: [&str; 5] = [
    "5511100000001@c.us",
    "15554030001@c.us",
    "5511100000003@c.us",
    "5511100000005@c.us",
    "5511100000006@c.us",
];

fn reasons(results: &[ParticipantResult]) -> Vec<Option<RefusalReason>> {
    results.iter().map(|r| r.reason).collect()
}

#[test]
fn webjs_add_codes_become_reasons() {
    let asked = [
        "5511100000001@c.us",
        "15554030001@c.us",
        "5511100000003@c.us",
        "5511100000004@c.us",
        "5511100000005@c.us",
        "5511100000006@c.us",
        "5511100000007@c.us",
    ];
    let results = change(
        ParticipantChange::Add,
        &asked,
        resp(201, include_str!("fixtures/webjs_add_reasons.json")),
    )
    .unwrap();
    assert_eq!(
        reasons(&results),
        [
            None,
            Some(Privacy),
            Some(AlreadyMember),
            Some(NotOnWhatsapp),
            Some(RecentlyLeft),
            Some(GroupFull),
            Some(Other),
        ]
    );
    assert!(results[0].ok && !results[1].ok);
    assert_eq!(results[1].status, Some(403));
}

#[test]
fn noweb_string_statuses_become_reasons() {
    let results = change(
        ParticipantChange::Add,
        &ASKED,
        resp(200, include_str!("fixtures/noweb_add_reasons.json")),
    )
    .unwrap();
    assert_eq!(
        reasons(&results),
        [
            None,
            Some(Privacy),
            Some(AlreadyMember),
            Some(RecentlyLeft),
            Some(GroupFull)
        ]
    );
}

#[test]
fn gows_errors_become_reasons() {
    let results = change(
        ParticipantChange::Add,
        &ASKED,
        resp(200, include_str!("fixtures/gows_add_reasons.json")),
    )
    .unwrap();
    assert_eq!(
        reasons(&results),
        [
            None,
            Some(Privacy),
            Some(AlreadyMember),
            Some(RecentlyLeft),
            Some(GroupFull)
        ]
    );
    assert_eq!(
        results[0],
        ParticipantResult::ok(user("5511100000001@c.us"))
    );
}

#[test]
fn wpp_codes_become_reasons() {
    let results = change(
        ParticipantChange::Add,
        &[
            "5511100000001@c.us",
            "15554030001@c.us",
            "5511100000003@c.us",
            "5511100000008@c.us",
        ],
        resp(201, include_str!("fixtures/wpp_add_reasons.json")),
    )
    .unwrap();
    assert_eq!(
        reasons(&results),
        [None, Some(Privacy), Some(AlreadyMember), Some(Other)]
    );
}

#[test]
fn an_add_nobody_reported_is_other() {
    let results = change(
        ParticipantChange::Add,
        &["5511100000001@c.us", "5511100000009@c.us"],
        resp(200, include_str!("fixtures/gows_add_reasons.json")),
    )
    .unwrap();
    assert_eq!(reasons(&results), [None, Some(Other)]);
}

#[test]
fn only_adds_carry_a_reason() {
    // A 404 to a promote is "not a member", not "not on WhatsApp": no add, no reason.
    let results = change(
        ParticipantChange::Promote,
        &["92965187932215@lid", "11122233344455@lid"],
        resp(
            200,
            include_str!("fixtures/gows_lid_change_participants.json"),
        ),
    )
    .unwrap();
    assert!(!results[1].ok);
    assert_eq!(reasons(&results), [None, None]);
}

#[test]
fn create_reports_why_a_first_member_was_not_added() {
    let created = waha()
        .create_group(&crate::model::NewGroup {
            subject: "Team".into(),
            participants: vec!["5511100000001".into(), "15554030001".into()],
        })
        .unwrap()
        .parse_final(resp(
            201,
            r#"{"title":"Team","gid":{"server":"g.us","user":"120363000000000001","_serialized":"120363000000000001@g.us"},
                "participants":{"5511100000001@c.us":{"statusCode":200,"message":"The participant was added successfully","isGroupCreator":false,"isInviteV4Sent":false},
                                "15554030001@c.us":{"statusCode":403,"message":"The participant can be added by sending private invitation only","isGroupCreator":false,"isInviteV4Sent":true}}}"#,
        ))
        .unwrap();
    assert_eq!(reasons(&created.added.unwrap()), [None, Some(Privacy)]);
}
