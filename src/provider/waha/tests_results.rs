//! Results that tell the truth (issue 11, items 1–6 and 18): per-person outcomes matched by
//! any id an engine names a person by, no success read into an answer that says nothing,
//! WEBJS's refusals, join-request answers without ids, create's per-person outcomes, and
//! one odd number never failing a whole listing. Fixtures follow REFERENCE.md A2–A3 and
//! research/waha-lids-mentions-adds.md §3–§4.

use super::tests_ops::{BASE, assert_bare, change, gid, ids, member, resp, text, user, waha};
use super::*;
use crate::model::Role;

fn failed(id: &str, status: Option<u16>) -> impl Fn(&ParticipantResult) -> bool + '_ {
    move |r| r.id.as_str() == id && !r.ok && r.status == status && r.message.is_some()
}

// ---------------------------------------------------------------- 1. GOWS, by LID

#[test]
fn gows_change_by_the_lids_it_lists_is_reported_applied() {
    // GOWS lists members by `@lid`; a promote by those ids answers entries whose JID is the
    // LID and whose PhoneNumber is the phone: either id must match.
    let results = change(
        ParticipantChange::Promote,
        &["92965187932215@lid", "11122233344455@lid"],
        resp(
            200,
            include_str!("fixtures/gows_lid_change_participants.json"),
        ),
    )
    .unwrap();
    assert_eq!(
        results[0],
        ParticipantResult::ok(user("92965187932215@lid"))
    );
    assert!(failed("11122233344455@lid", Some(404))(&results[1]));
}

#[test]
fn gows_change_by_phone_still_matches_the_phone_twin() {
    let results = change(
        ParticipantChange::Promote,
        &["558192980000@c.us"],
        resp(
            200,
            include_str!("fixtures/gows_lid_change_participants.json"),
        ),
    )
    .unwrap();
    // The result carries the id as requested, so the caller can match it.
    assert_eq!(
        results,
        vec![ParticipantResult::ok(user("558192980000@c.us"))]
    );
}

// ---------------------------------------------------------------- 2. NOWEB LID groups

#[test]
fn noweb_lid_result_matches_a_change_requested_by_phone() {
    // Baileys names the person by LID and puts the phone in `content.attrs.phone_number`.
    let results = change(
        ParticipantChange::Add,
        &["5511888880000@c.us", "5511777770000@c.us"],
        resp(
            200,
            include_str!("fixtures/noweb_lid_change_participants.json"),
        ),
    )
    .unwrap();
    assert_eq!(
        results[0],
        ParticipantResult::ok(user("5511888880000@c.us"))
    );
    assert!(failed("5511777770000@c.us", Some(403))(&results[1]));
    // And by LID.
    let results = change(
        ParticipantChange::Add,
        &["76699677012110@lid"],
        resp(
            200,
            include_str!("fixtures/noweb_lid_change_participants.json"),
        ),
    )
    .unwrap();
    assert!(results[0].ok);
}

// ---------------------------------------------------------------- 3. fail closed

#[test]
fn a_2xx_with_nothing_per_person_is_never_all_applied() {
    for (body, what) in [
        (r#""done""#, "a JSON string"),
        (r#"{"foo":1}"#, "unknown keys"),
        (r#"{"status":200,"extra":true}"#, "a status with more"),
        (r#"{"status":500}"#, "a status that is not 200"),
        ("42", "a number"),
        ("[1,2]", "entries that are not objects"),
        ("ok", "plain text"),
    ] {
        let err = change(
            ParticipantChange::Promote,
            &["5511888880000@c.us"],
            resp(200, body),
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Decode, "{what}: {err:?}");
    }
    // Entries that name nobody, or say nothing: not applied, per person. A success that
    // names nobody cannot be attributed to anyone.
    for body in [
        "[{}]",
        r#"[{"unknown":1}]"#,
        r#"{"5511888880000@c.us":{}}"#,
        r#"[{"Error":0}]"#,
        r#"[{"status":"200"}]"#,
    ] {
        let results = change(
            ParticipantChange::Add,
            &["5511888880000@c.us"],
            resp(200, body),
        )
        .unwrap();
        assert_eq!(results.len(), 1);
        assert!(!results[0].ok, "{body}: {results:?}");
    }
}

#[test]
fn an_entry_without_an_outcome_is_not_applied() {
    // An engine entry that names the person but carries no status said nothing.
    let results = change(
        ParticipantChange::Add,
        &["5511888880000@c.us"],
        resp(200, r#"[{"jid":"5511888880000@s.whatsapp.net"}]"#),
    )
    .unwrap();
    assert!(!results[0].ok);
}

#[test]
fn webjs_200_text_refusal_is_forbidden() {
    // research §3: HTTP 200 with the library's error as plain text.
    let err = change(
        ParticipantChange::Add,
        &["5511888880000@c.us"],
        text(
            200,
            "AddParticipantsError: You have no admin rights to add a participant to a group",
        ),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden);
    assert!(err.to_string().contains("no admin rights"), "{err}");
    // Its other refusal is a typed error too, never a success.
    let err = change(
        ParticipantChange::Add,
        &["5511888880000@c.us"],
        text(
            200,
            "AddParticipantsError: The participant can't be added to an empty group",
        ),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Server);
    // `false` is WEBJS's refusal on boolean routes.
    let err = change(
        ParticipantChange::Promote,
        &["5511888880000@c.us"],
        text(200, "false"),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden);
}

// ---------------------------------------------------------------- 4. join requests

fn answer(approve: bool, requested: &[&str], body: &str) -> Vec<ParticipantResult> {
    waha()
        .answer_join_requests(&gid(), approve, &ids(requested))
        .unwrap()
        .parse_final(resp(200, body))
        .unwrap()
}

#[test]
fn join_request_answers_without_ids_are_kept_and_paired_by_position() {
    let results = answer(
        true,
        &["5511888880000@c.us", "5511777770000@c.us"],
        include_str!("fixtures/join_request_results_null.json"),
    );
    assert_eq!(
        results[0],
        ParticipantResult::ok(user("5511888880000@c.us"))
    );
    // `{requesterId: null, success: false, error: 404}` is the second person's outcome.
    assert!(failed("5511777770000@c.us", Some(404))(&results[1]));
    // Alone, too.
    let results = answer(
        false,
        &["5511777770000@c.us"],
        r#"[{"requesterId":null,"success":false,"error":404}]"#,
    );
    assert!(failed("5511777770000@c.us", Some(404))(&results[0]));
}

#[test]
fn an_empty_join_request_answer_is_not_success() {
    let results = answer(true, &["5511777770000@c.us"], "[]");
    assert!(!results[0].ok);
    // Nor an entry that does not say `success`.
    let results = answer(
        true,
        &["5511777770000@c.us"],
        r#"[{"requesterId":"5511777770000@c.us"}]"#,
    );
    assert!(!results[0].ok);
}

// ---------------------------------------------------------------- 5. create

fn create(participants: &[&str], r: HttpResponse) -> Group {
    waha()
        .create_group(&NewGroup {
            subject: "Team".into(),
            participants: participants.iter().map(|p| (*p).to_owned()).collect(),
        })
        .unwrap()
        .parse_final(r)
        .unwrap()
}

#[test]
fn webjs_create_reports_each_add_and_no_size_or_members() {
    let group = create(
        &["85299999999@c.us", "85277777777@c.us", "85266666666@c.us"],
        resp(201, include_str!("fixtures/webjs_create_refused.json")),
    );
    let added = group.added.expect("per-person outcomes");
    assert_eq!(added[0], ParticipantResult::ok(user("85299999999@c.us")));
    assert!(failed("85277777777@c.us", Some(403))(&added[1]));
    assert!(
        added[1]
            .message
            .as_deref()
            .unwrap()
            .contains("private invitation")
    );
    // Not in the answer at all: not added.
    assert!(failed("85266666666@c.us", None)(&added[2]));
    // The answer lists only whom it tried to add, not the creator: neither the member
    // list nor the size can be read from it.
    assert!(group.participants.is_empty(), "{:?}", group.participants);
    assert_eq!(group.size, None);
}

#[test]
fn gows_create_leaves_out_refused_adds_and_reports_them() {
    let group = create(
        &["558192980000@c.us", "558193330000@c.us"],
        resp(201, include_str!("fixtures/gows_create_refused.json")),
    );
    assert_eq!(
        group.participants,
        vec![
            member(
                "180002129735765@lid",
                Role::Superadmin,
                Some("558181390000")
            ),
            member("92965187932215@lid", Role::Member, Some("558192980000")),
        ]
    );
    assert_eq!(group.size, Some(2));
    let added = group.added.unwrap();
    assert_eq!(added[0], ParticipantResult::ok(user("558192980000@c.us")));
    assert!(failed("558193330000@c.us", Some(403))(&added[1]));
}

#[test]
fn noweb_create_reports_who_is_in_the_new_group() {
    let noweb: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/noweb_groups.json")).unwrap();
    let inner = noweb["120363401234567890@g.us"].to_string();
    let group = create(
        &["5511888880000@c.us", "5511555550000@c.us"],
        resp(201, &inner),
    );
    let added = group.added.unwrap();
    // Listed by LID with its phone twin: added.
    assert_eq!(added[0], ParticipantResult::ok(user("5511888880000@c.us")));
    assert!(!added[1].ok);
    // No first members asked for: nothing to report.
    assert_eq!(create(&[], resp(201, &inner)).added, None);
}

// ---------------------------------------------------------------- 6. read back

/// Runs a change whose answer says nothing per person: it must ask for the members
/// (`GET …/participants`) and report what that read shows.
fn read_back(
    kind: ParticipantChange,
    requested: &[&str],
    answer: HttpResponse,
    members: &str,
) -> Vec<ParticipantResult> {
    let call = waha()
        .change_participants(&gid(), kind, &ids(requested))
        .unwrap();
    match (call.parse)(answer).unwrap() {
        Step::Done(results) => panic!("{kind:?}: took a bare answer for results: {results:?}"),
        Step::Next(next) => {
            assert_bare(&next.request, Method::Get, &format!("{BASE}/participants"));
            next.parse_final(resp(200, members)).unwrap()
        }
    }
}

/// WEBJS members after the change: the owner is still the owner.
const WEBJS_AFTER: &str = include_str!("fixtures/webjs_participants_v1.json");

#[test]
fn webjs_bare_status_is_checked_against_the_members() {
    let bare = || resp(200, r#"{"status":200}"#);
    // Demoting or removing the owner: WEBJS says 200, WhatsApp did nothing.
    let results = read_back(
        ParticipantChange::Demote,
        &["85288888888@c.us"],
        bare(),
        WEBJS_AFTER,
    );
    assert!(failed("85288888888@c.us", None)(&results[0]), "{results:?}");
    assert!(results[0].message.as_deref().unwrap().contains("owner"));
    let results = read_back(
        ParticipantChange::Remove,
        &["85288888888@c.us"],
        bare(),
        WEBJS_AFTER,
    );
    assert!(!results[0].ok);
    // What did happen is reported as applied.
    let results = read_back(
        ParticipantChange::Promote,
        &["85277777777@c.us", "85299999999@c.us"],
        bare(),
        WEBJS_AFTER,
    );
    assert!(results[0].ok);
    assert!(failed("85299999999@c.us", None)(&results[1]));
    let results = read_back(
        ParticipantChange::Remove,
        &["85211111111@c.us"],
        bare(),
        WEBJS_AFTER,
    );
    assert_eq!(
        results,
        vec![ParticipantResult::ok(user("85211111111@c.us"))]
    );
    let results = read_back(
        ParticipantChange::Demote,
        &["85299999999@c.us"],
        bare(),
        WEBJS_AFTER,
    );
    assert!(results[0].ok);
}

#[test]
fn empty_bodies_and_true_are_checked_too() {
    for answer in [
        resp(201, ""),
        resp(200, "[]"),
        text(200, "true"),
        resp(200, r#"{"status":"200"}"#),
    ] {
        let results = read_back(
            ParticipantChange::Add,
            &["85266666666@c.us"],
            answer,
            WEBJS_AFTER,
        );
        assert!(!results[0].ok);
    }
}

#[test]
fn read_back_matches_lid_members_by_their_phone() {
    // NOWEB lists a LID member with its phone twin; a change asked by phone finds them.
    let results = read_back(
        ParticipantChange::Add,
        &["5511888880000@c.us"],
        resp(200, ""),
        include_str!("fixtures/noweb_participants_v1.json"),
    );
    assert!(results[0].ok, "{results:?}");
}

// ---------------------------------------------------------------- 18. odd numbers

#[test]
fn an_odd_number_in_one_group_does_not_fail_the_listing() {
    let list = r#"[
        {"id":{"_serialized":"1@g.us"},"groupMetadata":{"id":{"_serialized":"1@g.us"},"subject":"Big","size":4294967296,"creation":-5}},
        {"id":"2@g.us","subject":"Frac","size":2.5,"creation":1732526981.5},
        {"id":"3@g.us","subject":"Fine","size":"3","creation":1732526981}
    ]"#;
    let GroupListing::Groups(groups) = waha()
        .list_groups(&Default::default())
        .unwrap()
        .parse_final(resp(200, list))
        .unwrap()
    else {
        panic!("WAHA lists groups")
    };
    assert_eq!(groups.len(), 3);
    assert_eq!((groups[0].size, groups[0].created_at), (None, None));
    assert_eq!((groups[1].size, groups[1].created_at), (None, None));
    assert_eq!(
        (groups[2].size, groups[2].created_at),
        (Some(3), Some(1_732_526_981))
    );
    // A join request's odd timestamp too.
    let requests = waha()
        .list_join_requests(&gid())
        .unwrap()
        .parse_final(resp(
            200,
            r#"[{"requesterId":"5511777770000@c.us","timestamp":-1}]"#,
        ))
        .unwrap();
    assert_eq!(requests[0].requested_at, None);
}

// ---------------------------------------------------------------- 4. answers by another id

/// Runs an approve/reject whose answer names the requester by LID while the caller asked by
/// phone: it must check what shows now, at `path`, and report that.
fn answer_by_twin(approve: bool, path: &str, now: &str) -> Vec<ParticipantResult> {
    let call = waha()
        .answer_join_requests(&gid(), approve, &ids(&["5511888880000@c.us"]))
        .unwrap();
    let answer = resp(
        200,
        r#"[{"requesterId":"76699677012110@lid","success":true}]"#,
    );
    match (call.parse)(answer).unwrap() {
        Step::Done(results) => panic!("took a stranger's success for the caller's: {results:?}"),
        Step::Next(next) => {
            assert_bare(&next.request, Method::Get, &format!("{BASE}{path}"));
            next.parse_final(resp(200, now)).unwrap()
        }
    }
}

#[test]
fn a_join_request_answered_by_lid_for_a_phone_is_checked() {
    // Approved: the member list shows the LID with its phone twin.
    let members = include_str!("fixtures/noweb_participants_v1.json");
    let results = answer_by_twin(true, "/participants", members);
    assert_eq!(
        results,
        vec![ParticipantResult::ok(user("5511888880000@c.us"))]
    );
    // Not a member after all: not applied.
    let results = answer_by_twin(true, "/participants", "[]");
    assert!(!results[0].ok);
    // Rejected: no longer pending.
    let path = "/participants/join-requests";
    assert!(answer_by_twin(false, path, "[]")[0].ok);
    let pending = r#"[{"requesterId":"76699677012110@lid","requesterPn":"5511888880000@c.us"}]"#;
    assert!(!answer_by_twin(false, path, pending)[0].ok);
}
