//! `POST /_sandbox/people` `"hiddenNumber": true` (issue 14, "The sandbox"): a person whose
//! number WhatsApp hides is in WAHA groups by their `@lid` id only, with no phone anywhere a
//! session answers — group objects, participants v1 and v2, webhooks — and the `/lids`
//! lookups miss for them as research `waha-lids-mentions-adds.md` §1 documents a miss
//! (`GET /lids/{lid}` → 200 `"pn": null`; `GET /lids/pn/{phone}` → 200 `"lid": null`).

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

const SESSIONS: [&str; 4] = ["webjs", "noweb", "gows", "default"];
const HIDDEN: &str = "5511944440001";
const LATE: &str = "5511944440002";
const JOINER: &str = "5511944440003";
const VISIBLE: &str = "5511944440009";

async fn hide(router: &axum::Router, phone: &str, hidden: bool) {
    let body = json!({"phone": phone, "hiddenNumber": hidden});
    let (status, answer) = send(router, post_json("/_sandbox/people", None, body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["hiddenNumber"], hidden, "{answer}");
}

async fn ok(router: &axum::Router, method: &str, path: &str, body: Option<Value>) -> Value {
    let (status, answer) = send(router, waha(method, path, body)).await;
    assert!(status.is_success(), "{method} {path}: {status} {answer}");
    answer
}

async fn create(router: &axum::Router, session: &str, members: &[String]) -> String {
    let ids: Vec<&str> = members.iter().map(String::as_str).collect();
    let mut body = participants(&ids);
    body["name"] = json!("Hidden");
    let created = ok(
        router,
        "POST",
        &format!("/api/{session}/groups"),
        Some(body),
    )
    .await;
    ["/gid/_serialized", "/id", "/JID"]
        .iter()
        .find_map(|p| created.pointer(p).and_then(Value::as_str))
        .unwrap_or_else(|| panic!("a group id in {created}"))
        .to_owned()
}

/// Every answer a session gives about group `gid`, as text.
async fn everything(router: &axum::Router, session: &str, gid: &str) -> String {
    let mut all = String::new();
    for path in [
        format!("/api/{session}/groups"),
        format!("/api/{session}/groups/{gid}"),
        format!("/api/{session}/groups/{gid}/participants"),
        format!("/api/{session}/groups/{gid}/participants/v2"),
        format!("/api/{session}/lids?limit=1000"),
    ] {
        all.push_str(&ok(router, "GET", &path, None).await.to_string());
    }
    all
}

/// The LID `participants/v2` lists for the member that is not `known` (phones shown).
async fn lids_listed(router: &axum::Router, session: &str, gid: &str) -> Vec<String> {
    let v2 = ok(
        router,
        "GET",
        &format!("/api/{session}/groups/{gid}/participants/v2"),
        None,
    )
    .await;
    v2.as_array()
        .unwrap()
        .iter()
        .filter(|p| p["pn"].as_str().is_none_or(str::is_empty))
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_hidden_number_is_a_lid_with_no_phone_on_every_engine() {
    let router = sandbox();
    hide(&router, HIDDEN, true).await;
    hide(&router, LATE, true).await;
    for session in SESSIONS {
        let gid = create(
            &router,
            session,
            &[format!("{HIDDEN}@c.us"), format!("{VISIBLE}@c.us")],
        )
        .await;
        let add = format!("/api/{session}/groups/{gid}/participants/add");
        ok(&router, "POST", &add, Some(participants(&[LATE]))).await;

        let text = everything(&router, session, &gid).await;
        for phone in [HIDDEN, LATE] {
            assert!(!text.contains(phone), "{session} shows {phone}: {text}");
        }
        assert!(text.contains(VISIBLE), "{session} still shows the others");

        let hidden = lids_listed(&router, session, &gid).await;
        assert_eq!(hidden.len(), 2, "{session}: {hidden:?}");
        for lid in &hidden {
            assert!(lid.ends_with("@lid"), "{session}: {lid}");
            let answer = ok(&router, "GET", &format!("/api/{session}/lids/{lid}"), None).await;
            assert_eq!(answer, json!({"lid": lid, "pn": null}), "{session}");
        }
        for phone in [HIDDEN, LATE] {
            let path = format!("/api/{session}/lids/pn/{phone}");
            let answer = ok(&router, "GET", &path, None).await;
            assert_eq!(answer, json!({"lid": null, "pn": format!("{phone}@c.us")}));
        }

        // Adding them again is "already a member"; they can be removed by their LID.
        let again = ok(&router, "POST", &add, Some(participants(&[HIDDEN]))).await;
        assert!(again.to_string().contains("409"), "{session}: {again}");
        let remove = format!("/api/{session}/groups/{gid}/participants/remove");
        ok(&router, "POST", &remove, Some(participants(&[&hidden[0]]))).await;
        assert_eq!(
            lids_listed(&router, session, &gid).await.len(),
            1,
            "{session}"
        );
    }
}

#[tokio::test]
async fn hiding_a_member_rekeys_them_and_showing_them_again_undoes_it() {
    let router = sandbox();
    let gid = create(&router, "gows", &[format!("{HIDDEN}@c.us")]).await;
    assert!(everything(&router, "gows", &gid).await.contains(HIDDEN));
    hide(&router, HIDDEN, true).await;
    assert!(!everything(&router, "gows", &gid).await.contains(HIDDEN));
    assert_eq!(lids_listed(&router, "gows", &gid).await.len(), 1);
    hide(&router, HIDDEN, false).await;
    assert!(everything(&router, "gows", &gid).await.contains(HIDDEN));
    assert!(lids_listed(&router, "gows", &gid).await.is_empty());
}

#[tokio::test]
async fn webhooks_name_a_hidden_member_by_lid_only() {
    let router = sandbox();
    let (url, mut hook) = receiver().await;
    let (status, _) = send(
        &router,
        post_json(
            "/_sandbox/webhook",
            None,
            json!({"url": url, "provider": "waha"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    hide(&router, JOINER, true).await;
    for session in SESSIONS {
        let gid = create(&router, session, &[format!("{VISIBLE}@c.us")]).await;
        let code = ok(
            &router,
            "GET",
            &format!("/api/{session}/groups/{gid}/invite-code"),
            None,
        )
        .await;
        let link = code.as_str().unwrap_or_else(|| panic!("{code}"));
        let body = json!({"link": link, "phone": JOINER});
        let (status, answer) = send(&router, post_json("/_sandbox/join", None, body)).await;
        assert_eq!(status, StatusCode::OK, "{session}: {answer}");
        let (_, joined) = next_delivery(&mut hook).await;
        let joined = String::from_utf8_lossy(&joined).into_owned();
        assert!(joined.contains("@lid"), "{session}: {joined}");
        assert!(
            !joined.contains(JOINER),
            "{session} shows the joiner: {joined}"
        );

        let body = json!({"groupId": gid, "phone": JOINER, "text": "hi"});
        let (status, answer) = send(&router, post_json("/_sandbox/message", None, body)).await;
        assert_eq!(status, StatusCode::OK, "{session}: {answer}");
        assert_eq!(answer["delivered"], true, "{session}: {answer}");
        let (_, message) = next_delivery(&mut hook).await;
        let message = String::from_utf8_lossy(&message).into_owned();
        assert!(message.contains("@lid"), "{session}: {message}");
        assert!(
            !message.contains(JOINER),
            "{session} shows the sender: {message}"
        );
    }
}
