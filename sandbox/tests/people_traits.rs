//! `POST /_sandbox/people` sets a person's traits, and WAHA's adds and creates then answer
//! for them in each engine's shape (research `waha-lids-mentions-adds.md` §3): privacy
//! "contacts" → 403 with the engine's per-person invite (WEBJS `isInviteV4Sent: true`,
//! NOWEB an `add_request` node, GOWS `AddRequest`); not on WhatsApp → 404 (WEBJS "The phone
//! number is not registered on WhatsApp"; NOWEB/GOWS the same code, an emulator choice).
//! Nobody refused is added. Bad bodies are 400s that say what is wrong.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

const PRIVATE: &str = "5511966660001";
const ABSENT: &str = "5511966660002";
const FRIEND: &str = "5511966660003";

async fn set(router: &axum::Router, body: Value) -> (StatusCode, Value) {
    send(router, post_json("/_sandbox/people", None, body)).await
}

async fn group(router: &axum::Router, session: &str) -> String {
    create_waha_group(
        router,
        session,
        json!({"name": "Traits", "participants": []}),
    )
    .await
}

async fn add(router: &axum::Router, session: &str, gid: &str, ids: &[&str]) -> Value {
    let path = format!("/api/{session}/groups/{gid}/participants/add");
    let (status, body) = send(router, waha("POST", &path, Some(participants(ids)))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn listed(router: &axum::Router, session: &str, gid: &str) -> String {
    let path = format!("/api/{session}/groups/{gid}/participants/v2");
    let (_, body) = send(router, waha("GET", &path, None)).await;
    body.to_string()
}

async fn described() -> axum::Router {
    let router = sandbox();
    for body in [
        json!({"phone": PRIVATE, "privacy": "contacts"}),
        json!({"phone": format!("+{ABSENT}"), "onWhatsApp": false}),
        // A `1555403…` number refuses adds by default; described, it takes what it is told.
        json!({"phone": "15554030009", "privacy": "everyone"}),
    ] {
        let (status, answer) = set(&router, body.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}: {answer}");
    }
    router
}

#[tokio::test]
async fn the_route_validates_and_echoes_the_traits() {
    let router = sandbox();
    let (status, answer) = set(&router, json!({"phone": PRIVATE, "privacy": "contacts"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        answer,
        json!({"phone": PRIVATE, "privacy": "contacts", "onWhatsApp": true, "hiddenNumber": false})
    );
    for (body, says) in [
        (json!({}), "phone"),
        (json!({"phone": "12ab"}), "phone must be 5 to 20 digits"),
        (json!({"phone": 5511}), "invalid type"),
        (json!({"phone": PRIVATE, "privacy": "friends"}), "friends"),
        (
            json!({"phone": PRIVATE, "onWhatsApp": "no"}),
            "invalid type",
        ),
        (
            json!({"phone": PRIVATE, "hidden": true}),
            "unknown field `hidden`",
        ),
    ] {
        let (status, answer) = set(&router, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        let error = answer["error"].as_str().unwrap();
        assert!(error.contains(says), "{body}: {error}");
    }
}

#[tokio::test]
async fn webjs_adds_answer_privacy_and_not_on_whatsapp() {
    let router = described().await;
    let gid = group(&router, "webjs").await;
    let ids = [
        format!("{PRIVATE}@c.us"),
        format!("{ABSENT}@c.us"),
        format!("{FRIEND}@c.us"),
        "15554030009@c.us".to_owned(),
    ];
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let body = add(&router, "webjs", &gid, &ids).await;
    assert_eq!(
        body[ids[0]],
        json!({"code": 403, "isInviteV4Sent": true,
               "message": "The participant can be added by sending private invitation only"})
    );
    assert_eq!(
        body[ids[1]],
        json!({"code": 404, "isInviteV4Sent": false,
               "message": "The phone number is not registered on WhatsApp"})
    );
    assert_eq!(body[ids[2]]["code"], 200);
    assert_eq!(body[ids[3]]["code"], 200, "described as everyone: {body}");
    let members = listed(&router, "webjs", &gid).await;
    assert!(
        !members.contains(PRIVATE) && !members.contains(ABSENT),
        "{members}"
    );
    assert!(members.contains(FRIEND), "{members}");
}

#[tokio::test]
async fn noweb_adds_answer_privacy_and_not_on_whatsapp() {
    let router = described().await;
    let gid = group(&router, "noweb").await;
    let body = add(
        &router,
        "noweb",
        &gid,
        &[&format!("{PRIVATE}@c.us"), &format!("{ABSENT}@c.us")],
    )
    .await;
    let list = body.as_array().unwrap();
    assert_eq!(list[0]["status"], "403", "{body}");
    let request = &list[0]["content"]["content"][0];
    assert_eq!(request["tag"], "add_request");
    assert!(request["attrs"]["code"].is_string() && request["attrs"]["expiration"].is_string());
    assert_eq!(list[1]["status"], "404", "{body}");
    assert_eq!(list[1]["content"]["attrs"]["error"], "404");
    assert!(list[1]["content"].get("content").is_none());
    let members = listed(&router, "noweb", &gid).await;
    assert!(
        !members.contains(PRIVATE) && !members.contains(ABSENT),
        "{members}"
    );
}

#[tokio::test]
async fn gows_adds_answer_privacy_and_not_on_whatsapp() {
    let router = described().await;
    let gid = group(&router, "gows").await;
    let body = add(
        &router,
        "gows",
        &gid,
        &[&format!("{PRIVATE}@c.us"), &format!("{ABSENT}@c.us")],
    )
    .await;
    let list = body.as_array().unwrap();
    assert_eq!(list[0]["Error"], 403, "{body}");
    assert!(list[0]["AddRequest"]["Code"].is_string(), "{body}");
    assert_eq!(list[1]["Error"], 404, "{body}");
    assert_eq!(list[1]["AddRequest"], Value::Null);
    let members = listed(&router, "gows", &gid).await;
    assert!(
        !members.contains(PRIVATE) && !members.contains(ABSENT),
        "{members}"
    );
}

#[tokio::test]
async fn create_answers_for_described_people() {
    let router = described().await;
    let ids = [format!("{PRIVATE}@c.us"), format!("{ABSENT}@c.us")];
    let body = json!({"name": "Traits", "participants": [{"id": ids[0]}, {"id": ids[1]}]});
    let (status, created) = send(&router, waha("POST", "/api/webjs/groups", Some(body))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["participants"][&ids[0]]["statusCode"], 403);
    assert_eq!(created["participants"][&ids[0]]["isInviteV4Sent"], true);
    assert_eq!(created["participants"][&ids[1]]["statusCode"], 404);
    let gid = created["gid"]["_serialized"].as_str().unwrap();
    let members = listed(&router, "webjs", gid).await;
    assert!(
        !members.contains(PRIVATE) && !members.contains(ABSENT),
        "{members}"
    );
}
