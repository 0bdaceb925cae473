//! WAHA's contacts route (names) and the core's member operations against it: numbers
//! behind LIDs resolved through `/lids`, a hidden number left absent, names from contacts,
//! and exports — on every engine's session.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use wa_groups::members::ParticipantsOptions;
use wa_groups::model::GroupId;

const NAMED: &str = "5511955550001";
const HIDDEN: &str = "5511955550002";
const PLAIN: &str = "5511955550003";

async fn people(router: &axum::Router) {
    for body in [
        json!({"phone": NAMED, "name": "Ana"}),
        json!({"phone": HIDDEN, "hiddenNumber": true, "name": "Bia"}),
    ] {
        let (status, answer) = send(router, post_json("/_sandbox/people", None, body)).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
}

/// The LID the session knows a visible member `digits` by (`/lids/pn/…`).
async fn lid_of(router: &axum::Router, session: &str, digits: &str) -> String {
    let (_, answer) = send(
        router,
        waha("GET", &format!("/api/{session}/lids/pn/{digits}"), None),
    )
    .await;
    answer["lid"]
        .as_str()
        .unwrap_or_else(|| panic!("{answer}"))
        .to_owned()
}

#[tokio::test]
async fn contacts_answer_each_engines_shape_with_the_given_name() {
    let router = sandbox();
    people(&router).await;
    let contact = |session: &str, id: &str| {
        waha(
            "GET",
            &format!("/api/contacts?contactId={id}&session={session}"),
            None,
        )
    };
    let (status, webjs) = send(&router, contact("webjs", NAMED)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(webjs["id"], format!("{NAMED}@c.us"));
    assert_eq!(webjs["pushname"], "Ana");
    assert_eq!(webjs["name"], Value::Null);
    let (_, noweb) = send(&router, contact("noweb", PLAIN)).await;
    assert_eq!(noweb, Value::Null, "NOWEB: not in its store");
    let (_, gows) = send(&router, contact("gows", PLAIN)).await;
    assert_eq!(gows["pushname"], "");
    // Asked by the LID of a hidden number: the name, never the number.
    let gid = create_waha_group(
        &router,
        "webjs",
        json!({"name": "G", "participants": [{"id": format!("{HIDDEN}@c.us")}]}),
    )
    .await;
    let (_, listed) = send(
        &router,
        waha(
            "GET",
            &format!("/api/webjs/groups/{gid}/participants/v2"),
            None,
        ),
    )
    .await;
    let lid = listed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["id"].as_str())
        .find(|id| id.ends_with("@lid"))
        .unwrap()
        .to_owned();
    let (_, hidden) = send(&router, contact("webjs", &lid)).await;
    assert_eq!(hidden["pushname"], "Bia");
    assert_eq!(hidden["number"], Value::Null);
    let (status, missing) = send(
        &router,
        waha("GET", &format!("/api/contacts?contactId={NAMED}"), None),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{missing}");
    let (status, _) = send(
        &router,
        get(
            &format!("/api/contacts?contactId={NAMED}&session=webjs"),
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn members_resolve_to_their_numbers_except_a_hidden_one_on_every_engine() {
    for session in ["webjs", "noweb", "gows", "default"] {
        let router = sandbox();
        people(&router).await;
        let gid = create_waha_group(
            &router,
            session,
            json!({"name": "Members", "participants": [{"id": format!("{NAMED}@c.us")}, {"id": format!("{HIDDEN}@c.us")}, {"id": format!("{PLAIN}@c.us")}]}),
        )
        .await;
        let client = client(&router, "sandbox", session);
        let id = GroupId::new("groupId", gid.clone()).unwrap();
        let members = client
            .list_participants_with(&id, &ParticipantsOptions::new(true, true))
            .await
            .unwrap();
        let find = |digits: &str| {
            members
                .iter()
                .find(|m| m.phone.as_deref() == Some(digits))
                .unwrap_or_else(|| panic!("{session}: {digits} in {members:?}"))
        };
        assert_eq!(find(NAMED).name.as_deref(), Some("Ana"), "{session}");
        assert_eq!(find(PLAIN).name, None, "{session}");
        let hidden: Vec<_> = members.iter().filter(|m| m.phone.is_none()).collect();
        assert_eq!(hidden.len(), 1, "{session}: {members:?}");
        assert!(hidden[0].id.is_lid(), "{session}");
        assert_eq!(hidden[0].name.as_deref(), Some("Bia"), "{session}");

        // A LID never seen in a listing is asked of `/lids`; a hidden one misses.
        let visible_lid = lid_of(&router, session, PLAIN).await;
        let phones = client
            .resolve_phones(&[visible_lid.clone(), hidden[0].id.to_string()])
            .await
            .unwrap()
            .into_iter()
            .collect::<std::collections::HashMap<_, _>>();
        assert_eq!(phones[&visible_lid].as_deref(), Some(PLAIN), "{session}");
        assert_eq!(phones[hidden[0].id.as_str()], None, "{session}");

        let rows = client.export_members(&[id]).await.unwrap();
        assert_eq!(rows.len(), 4, "{session}: the account and three members");
        assert_eq!(
            rows.iter().filter(|r| r.phone.is_none()).count(),
            1,
            "{session}"
        );
        assert!(rows.iter().all(|r| r.group_subject == "Members"));
    }
}
