//! Evolution API's group routes as the sandbox answers them, raw: the shapes, status codes
//! and error envelope of research `evolution-and-meta-groups.md` §2 (Evolution v2.3.6/2.3.7
//! source), including the quirks a client must absorb. The client's reading of them is the
//! shared conformance suite's job (`conformance.rs`, module `evolution`).

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

const MEMBER: &str = "5511966660101";
const ABSENT: &str = "5511966660102";

/// An Evolution request with the sandbox's key: any method, an optional JSON body.
fn evolution(
    method: &str,
    path: &str,
    body: Option<Value>,
) -> axum::http::Request<axum::body::Body> {
    evolution_with_key(method, path, body, Some("sandbox"))
}

fn evolution_with_key(
    method: &str,
    path: &str,
    body: Option<Value>,
    key: Option<&str>,
) -> axum::http::Request<axum::body::Body> {
    let (parts, body) = json_request(method, path, body).into_parts();
    let mut builder = axum::http::Request::builder()
        .method(parts.method)
        .uri(parts.uri);
    if let Some(key) = key {
        builder = builder.header("apikey", key);
    }
    for (name, value) in &parts.headers {
        builder = builder.header(name, value);
    }
    builder.body(body).unwrap()
}

fn envelope(status: u16, error: &str, message: Value) -> Value {
    json!({"status": status, "error": error, "response": {"message": message}})
}

async fn create(router: &axum::Router, participants: &[&str]) -> Value {
    let (status, body) = send(
        router,
        evolution(
            "POST",
            "/group/create/default",
            Some(
                json!({"subject": "Evolution team", "participants": participants,
                        "description": "Set after creation"}),
            ),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

#[tokio::test]
async fn refusals_before_any_route_work() {
    let router = sandbox();
    let path = "/group/fetchAllGroups/default?getParticipants=false";
    let (status, body) = send(&router, evolution_with_key("GET", path, None, None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, envelope(401, "Unauthorized", json!(["Unauthorized"])));
    let (status, _) = send(
        &router,
        evolution_with_key("GET", path, None, Some("wrong")),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, body) = send(
        &router,
        evolution(
            "GET",
            "/group/fetchAllGroups/nope?getParticipants=false",
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body,
        envelope(
            404,
            "Not Found",
            json!(["The \"nope\" instance does not exist"])
        )
    );

    // The public docs say PUT; the code routes POST (issue evolution-api#1039).
    let (status, body) = send(
        &router,
        evolution("PUT", "/group/updateParticipant/default", Some(json!({}))),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body["response"]["message"],
        json!(["Cannot PUT /group/updateParticipant/default"])
    );

    // `fetchAllGroups` needs `getParticipants`; group routes need `groupJid`.
    let (status, body) = send(
        &router,
        evolution("GET", "/group/fetchAllGroups/default", None),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = send(
        &router,
        evolution("GET", "/group/findGroupInfos/default", None),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        envelope(
            400,
            "Bad Request",
            json!(["The group id needs to be informed in the query"])
        )
    );
}

#[tokio::test]
async fn create_drops_numbers_not_on_whatsapp_silently_and_answers_baileys_metadata() {
    let router = sandbox();
    let (status, _) = send(
        &router,
        post_json(
            "/_sandbox/people",
            None,
            json!({"phone": ABSENT, "onWhatsApp": false}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let created = create(&router, &[MEMBER, ABSENT]).await;
    let id = created["id"].as_str().unwrap();
    assert!(id.ends_with("@g.us"), "{created}");
    assert_eq!(created["subject"], "Evolution team");
    assert_eq!(created["desc"], "Set after creation");
    assert_eq!(created["addressingMode"], "lid");
    let participants = created["participants"].as_array().unwrap();
    // The account (superadmin) and the one member on WhatsApp; the other, gone without a word.
    assert_eq!(participants.len(), 2, "{created}");
    assert_eq!(participants[0]["admin"], "superadmin");
    assert!(participants[1]["id"].as_str().unwrap().ends_with("@lid"));
    assert_eq!(
        participants[1]["phoneNumber"],
        format!("{MEMBER}@s.whatsapp.net")
    );
    assert!(!created.to_string().contains(ABSENT));

    // Schema: digits, at least 10, at least one, unique.
    for participants in [
        json!([]),
        json!(["123"]),
        json!([MEMBER, MEMBER]),
        json!([5511966660101u64]),
    ] {
        let (status, body) = send(
            &router,
            evolution(
                "POST",
                "/group/create/default",
                Some(json!({"subject": "x", "participants": participants})),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{participants}: {body}");
        assert_eq!(body["status"], 400);
    }
}

#[tokio::test]
async fn update_participant_answers_201_with_each_persons_status() {
    let router = sandbox();
    let (status, _) = send(
        &router,
        post_json(
            "/_sandbox/people",
            None,
            json!({"phone": "5511966660103", "privacy": "contacts"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let id = create(&router, &[MEMBER]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = send(
        &router,
        evolution(
            "POST",
            "/group/updateParticipant/default",
            Some(json!({"groupJid": id, "action": "add",
                        "participants": [MEMBER, "5511966660103", "5511966660104"]})),
        ),
    )
    .await;
    // 201, even though two of the three were not added.
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let list = body["updateParticipants"].as_array().unwrap();
    let statuses: Vec<&str> = list.iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["409", "403", "200"]);
    assert_eq!(list[1]["content"]["content"][0]["tag"], "add_request");
    assert_eq!(
        list[2]["content"]["attrs"]["phone_number"],
        "5511966660104@s.whatsapp.net"
    );
    // A bad action is the schema's 400.
    let (status, _) = send(
        &router,
        evolution(
            "POST",
            "/group/updateParticipant/default",
            Some(json!({"groupJid": id, "action": "kick", "participants": [MEMBER]})),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn reads_and_writes_answer_evolutions_shapes_and_codes() {
    let router = sandbox();
    let id = create(&router, &[MEMBER]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let q = format!("groupJid={}", id.replace('@', "%40"));

    let (status, info) = send(
        &router,
        evolution("GET", &format!("/group/findGroupInfos/default?{q}"), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let keys: Vec<&str> = info
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "id",
        "subject",
        "subjectOwner",
        "subjectTime",
        "pictureUrl",
        "size",
        "creation",
        "owner",
        "desc",
        "descId",
        "restrict",
        "announce",
        "participants",
        "isCommunity",
        "isCommunityAnnounce",
        "linkedParent",
    ] {
        assert!(keys.contains(&key), "{key} missing: {info}");
    }
    // Baileys has these; Evolution's object does not pass them through.
    assert!(info.get("memberAddMode").is_none() && info.get("joinApprovalMode").is_none());
    assert_eq!(info["pictureUrl"], Value::Null);

    let (status, all) = send(
        &router,
        evolution(
            "GET",
            "/group/fetchAllGroups/default?getParticipants=false",
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(all[0].get("participants").is_none(), "{all}");
    let (_, with) = send(
        &router,
        evolution(
            "GET",
            "/group/fetchAllGroups/default?getParticipants=true",
            None,
        ),
    )
    .await;
    assert_eq!(with[0]["participants"].as_array().unwrap().len(), 2);

    let (status, members) = send(
        &router,
        evolution("GET", &format!("/group/participants/default?{q}"), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(members["participants"].as_array().unwrap().len(), 2);

    let post = |path: &str, body: Value| evolution("POST", path, Some(body));
    for (path, body) in [
        (
            "/group/updateGroupSubject/default",
            json!({"groupJid": id, "subject": "Renamed"}),
        ),
        (
            "/group/updateGroupDescription/default",
            json!({"groupJid": id, "description": "About"}),
        ),
        (
            "/group/updateGroupPicture/default",
            json!({"groupJid": id, "image": "iVBORw0KGgo="}),
        ),
    ] {
        let (status, answer) = send(&router, post(path, body)).await;
        assert_eq!(
            (status, answer),
            (StatusCode::CREATED, json!({"update": "success"})),
            "{path}"
        );
    }
    let (status, answer) = send(
        &router,
        post(
            "/group/updateSetting/default",
            json!({"groupJid": id, "action": "locked"}),
        ),
    )
    .await;
    assert_eq!((status, answer), (StatusCode::CREATED, json!({})));

    let (status, invite) = send(
        &router,
        evolution("GET", &format!("/group/inviteCode/default?{q}"), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let code = invite["inviteCode"].as_str().unwrap().to_owned();
    assert_eq!(
        invite["inviteUrl"],
        format!("https://chat.whatsapp.com/{code}")
    );
    let (status, revoked) = send(
        &router,
        post("/group/revokeInviteCode/default", json!({"groupJid": id})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(revoked["revoked"], true);
    assert_ne!(revoked["inviteCode"], code.as_str());
    let (status, body) = send(
        &router,
        evolution(
            "GET",
            &format!("/group/inviteInfo/default?inviteCode={code}"),
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a revoked code: {body}");

    let (status, sent) = send(
        &router,
        post(
            "/message/sendText/default",
            json!({"number": id, "text": "Hi", "mentionsEveryOne": true}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(sent["key"]["remoteJid"], id.as_str());
    assert_eq!(sent["message"]["conversation"], "Hi");
    let (_, recorded) = send(
        &router,
        get(
            &format!("/_sandbox/messages?chatId={}", id.replace('@', "%40")),
            None,
        ),
    )
    .await;
    assert_eq!(recorded[0]["mentions"], json!(["all"]));

    let (status, left) = send(
        &router,
        evolution("DELETE", &format!("/group/leaveGroup/default?{q}"), None),
    )
    .await;
    assert_eq!(
        (status, left),
        (StatusCode::OK, json!({"groupJid": id, "leave": true}))
    );
    let (status, body) = send(
        &router,
        evolution("GET", &format!("/group/findGroupInfos/default?{q}"), None),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["response"]["message"][0], "Error fetching group");
}
