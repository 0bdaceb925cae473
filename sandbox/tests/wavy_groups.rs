//! The Wavy Groups API on the sandbox: the wire contract of every route, the group rules,
//! and the emulator's documented choices (`sandbox/README.md`).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::{Value, json};

const ME: &str = "5519900000000";
const ALICE: &str = "5519900000001";
const BOB: &str = "5519900000002";

/// Creates a group and returns its id.
async fn create(router: &axum::Router, subject: &str) -> String {
    let (status, body) = send(
        router,
        wavy(
            "POST",
            "/v1/whatsapp/groups",
            Some(json!({"subject": subject})),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["groups"][0]["id"].as_str().unwrap().to_owned()
}

/// The one group of `GET /groups/{id}`.
async fn info(router: &axum::Router, id: &str) -> Value {
    let (status, body) = send(
        router,
        wavy("GET", &format!("/v1/whatsapp/groups/{id}"), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["groups"][0].clone()
}

async fn invite_link(router: &axum::Router, id: &str) -> String {
    let (status, body) = send(
        router,
        wavy("GET", &format!("/v1/whatsapp/groups/{id}/invite"), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["groups"][0]["link"].as_str().unwrap().to_owned()
}

/// `person` follows the group's invite link (through the control API).
async fn join(router: &axum::Router, id: &str, person: &str) {
    let link = invite_link(router, id).await;
    let (status, body) = send(
        router,
        post_json(
            "/_sandbox/join",
            None,
            json!({"link": link, "phone": person}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"groupId": id, "joined": true}));
}

async fn list_ids(router: &axum::Router) -> Vec<String> {
    let (status, body) = send(router, wavy("GET", "/v1/whatsapp/groups", None)).await;
    assert_eq!(status, StatusCode::OK);
    body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap().to_owned())
        .collect()
}

fn icon_upload(id: &str, content_type: &str, bytes: &[u8]) -> Request<Body> {
    with_wavy_auth(Request::post(format!("/v1/whatsapp/groups/{id}/icon")))
        .header("Content-Type", content_type)
        .header("Host", "sandbox.test:3000")
        .body(Body::from(bytes.to_vec()))
        .unwrap()
}

#[tokio::test]
async fn requests_without_valid_credentials_get_401_with_the_error_body() {
    let router = sandbox();
    let only_user = Request::get("/v1/whatsapp/groups")
        .header("userName", "sandbox")
        .body(Body::empty())
        .unwrap();
    let wrong_token = Request::get("/v1/whatsapp/groups")
        .header("userName", "sandbox")
        .header("authenticationToken", "wrong")
        .body(Body::empty())
        .unwrap();
    for request in [
        json_request("GET", "/v1/whatsapp/groups", None),
        only_user,
        wrong_token,
    ] {
        let (status, body) = send(&router, request).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["errorCode"], 401);
        assert!(body["errorMessage"].is_string());
    }
}

#[tokio::test]
async fn credential_header_names_are_case_insensitive() {
    let request = Request::get("/v1/whatsapp/groups")
        .header("username", "sandbox")
        .header("AUTHENTICATIONTOKEN", "sandbox")
        .body(Body::empty())
        .unwrap();
    let (status, body) = send(&sandbox(), request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"groups": []}));
}

#[tokio::test]
async fn configured_credentials_replace_the_defaults() {
    let router = wa_groups_sandbox::app(wa_groups_sandbox::Config {
        wavy_user: "ops@example.com".into(),
        wavy_token: "t0k3n".into(),
        ..Default::default()
    });
    let (status, _) = send(&router, wavy("GET", "/v1/whatsapp/groups", None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let request = Request::get("/v1/whatsapp/groups")
        .header("userName", "ops@example.com")
        .header("authenticationToken", "t0k3n")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&router, request).await.0, StatusCode::OK);
}

#[tokio::test]
async fn create_list_and_info_round_trip() {
    let router = sandbox();
    let (status, body) = send(
        &router,
        wavy(
            "POST",
            "/v1/whatsapp/groups",
            Some(json!({"subject": "Team"})),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let created = &body["groups"][0];
    let id = created["id"].as_str().unwrap();
    let (creator, time) = id.split_once('-').unwrap();
    assert_eq!(creator, ME);
    assert!(time.bytes().all(|b| b.is_ascii_digit()));
    assert!(created["creation_time"].is_u64());

    assert_eq!(list_ids(&router).await, vec![id.to_owned()]);
    assert_eq!(
        info(&router, id).await,
        json!({
            "admins": [ME],
            "creation_time": created["creation_time"],
            "creator": ME,
            "id": id,
            "participants": [ME],
            "subject": "Team",
        })
    );
}

#[tokio::test]
async fn subject_of_25_characters_is_accepted_and_26_is_a_400() {
    let router = sandbox();
    create(&router, &"é".repeat(25)).await;
    for body in [
        json!({"subject": "x".repeat(26)}),
        json!({"subject": ""}),
        json!({}),
    ] {
        let (status, body) = send(&router, wavy("POST", "/v1/whatsapp/groups", Some(body))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["errorCode"], 400);
    }
    assert_eq!(list_ids(&router).await.len(), 1);
}

#[tokio::test]
async fn malformed_json_is_a_400() {
    let request = with_wavy_auth(Request::post("/v1/whatsapp/groups"))
        .header("Content-Type", "application/json")
        .body(Body::from("{\"subject\":"))
        .unwrap();
    let (status, body) = send(&sandbox(), request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errorCode"], 400);
}

#[tokio::test]
async fn rename_answers_null_and_info_shows_the_new_subject() {
    let router = sandbox();
    let id = create(&router, "Old").await;
    let path = format!("/v1/whatsapp/groups/{id}");
    let request = wavy("PUT", &path, Some(json!({"subject": "New"})));
    let (status, _, bytes) = send_raw(&router, request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, b"null");
    assert_eq!(info(&router, &id).await["subject"], "New");

    let too_long = wavy("PUT", &path, Some(json!({"subject": "y".repeat(26)})));
    assert_eq!(send(&router, too_long).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(info(&router, &id).await["subject"], "New");
}

#[tokio::test]
async fn unknown_groups_are_404_on_every_group_route() {
    let router = sandbox();
    let id = "5519900000000-1";
    for (method, suffix, body) in [
        ("GET", "", None),
        ("PUT", "", Some(json!({"subject": "x"}))),
        ("GET", "/invite", None),
        ("DELETE", "/invite", None),
        ("DELETE", "/participants", Some(json!({"waIds": [ALICE]}))),
        ("POST", "/leave", None),
        ("GET", "/icon", None),
        ("DELETE", "/icon", None),
        ("PATCH", "/admins", Some(json!({"waIds": [ALICE]}))),
        ("DELETE", "/admins", Some(json!({"waIds": [ALICE]}))),
    ] {
        let path = format!("/v1/whatsapp/groups/{id}{suffix}");
        let (status, body) = send(&router, wavy(method, &path, body)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
        assert_eq!(body["errorCode"], 404);
    }
}

#[tokio::test]
async fn revoking_the_invite_changes_the_link() {
    let router = sandbox();
    let id = create(&router, "Team").await;
    let before = invite_link(&router, &id).await;
    assert!(before.starts_with("https://chat.whatsapp.com/"));
    let (status, body) = send(
        &router,
        wavy("DELETE", &format!("/v1/whatsapp/groups/{id}/invite"), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({}));
    let after = invite_link(&router, &id).await;
    assert_ne!(before, after);

    // The old code no longer lets anyone in.
    let (status, _) = send(
        &router,
        post_json(
            "/_sandbox/join",
            None,
            json!({"link": before, "phone": ALICE}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn removing_an_unknown_number_is_a_400_and_removes_no_one() {
    let router = sandbox();
    let id = create(&router, "Team").await;
    join(&router, &id, ALICE).await;
    let path = format!("/v1/whatsapp/groups/{id}/participants");
    let (status, body) = send(
        &router,
        wavy(
            "DELETE",
            &path,
            Some(json!({"waIds": [ALICE, "5519999999999"]})),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"errorCode": 400, "errorMessage": "phone not found"})
    );
    assert_eq!(info(&router, &id).await["participants"], json!([ME, ALICE]));

    let (status, body) = send(
        &router,
        wavy("DELETE", &path, Some(json!({"waIds": [ALICE]}))),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, Value::Null);
    assert_eq!(info(&router, &id).await["participants"], json!([ME]));
}

#[tokio::test]
async fn promoting_a_non_participant_is_a_400_and_promotes_no_one() {
    let router = sandbox();
    let id = create(&router, "Team").await;
    join(&router, &id, ALICE).await;
    let (status, body) = send(
        &router,
        wavy(
            "PATCH",
            &format!("/v1/whatsapp/groups/{id}/admins"),
            Some(json!({"waIds": [ALICE, BOB]})),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errorMessage"], "phone not found");
    assert_eq!(info(&router, &id).await["admins"], json!([ME]));
}

#[tokio::test]
async fn promoting_a_member_lists_them_in_admins_and_demoting_undoes_it() {
    let router = sandbox();
    let id = create(&router, "Team").await;
    join(&router, &id, ALICE).await;
    join(&router, &id, BOB).await;
    let path = format!("/v1/whatsapp/groups/{id}/admins");
    // The doc's example repeats a number; that is not an error.
    let (status, _) = send(
        &router,
        wavy("PATCH", &path, Some(json!({"waIds": [ALICE, ALICE]}))),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let group = info(&router, &id).await;
    assert_eq!(group["admins"], json!([ME, ALICE]));
    assert_eq!(group["participants"], json!([ME, ALICE, BOB]));

    let (status, _) = send(
        &router,
        wavy("DELETE", &path, Some(json!({"waIds": [ALICE]}))),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(info(&router, &id).await["admins"], json!([ME]));

    // Demoting someone who is not in the group: 400, nothing changes.
    let (status, body) = send(
        &router,
        wavy("DELETE", &path, Some(json!({"waIds": [BOB, "1"]}))),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errorMessage"], "phone not found");
}

#[tokio::test]
async fn the_creator_cannot_be_demoted_or_removed() {
    let router = sandbox();
    let id = create(&router, "Team").await;
    for (method, suffix) in [("DELETE", "admins"), ("DELETE", "participants")] {
        let path = format!("/v1/whatsapp/groups/{id}/{suffix}");
        let (status, _) = send(&router, wavy(method, &path, Some(json!({"waIds": [ME]})))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
    assert_eq!(info(&router, &id).await["admins"], json!([ME]));
}

#[tokio::test]
async fn member_changes_without_wa_ids_are_a_400() {
    let router = sandbox();
    let id = create(&router, "Team").await;
    for body in [json!({}), json!({"waIds": []})] {
        let path = format!("/v1/whatsapp/groups/{id}/admins");
        let (status, _) = send(&router, wavy("PATCH", &path, Some(body))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn icon_upload_get_and_remove_and_the_url_serves_the_same_bytes() {
    let router = sandbox();
    let id = create(&router, "Team").await;
    let png = b"\x89PNG\r\n\x1a\n-not-really-a-png".to_vec();
    let (status, body) = send(&router, icon_upload(&id, "image/png", &png)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({}));

    let path = format!("/v1/whatsapp/groups/{id}/icon");
    let request = with_wavy_auth(Request::get(&path))
        .header("Host", "sandbox.test:3000")
        .body(Body::empty())
        .unwrap();
    let (status, body) = send(&router, request).await;
    assert_eq!(status, StatusCode::OK);
    let url = format!("http://sandbox.test:3000/_sandbox/icons/{id}");
    assert_eq!(
        body,
        json!({
            "type": "URL",
            "mimeType": "image/png",
            "fileName": "groupIcon.png",
            "extraData": {
                "public": true,
                "Content-Type": "image/png",
                "Content-Length": png.len().to_string(),
            },
            "data": url,
        })
    );

    let served = url.strip_prefix("http://sandbox.test:3000").unwrap();
    let (status, headers, bytes) = send_raw(&router, json_request("GET", served, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(bytes, png);

    let (status, body) = send(&router, wavy("DELETE", &path, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({}));
    assert_eq!(
        send(&router, wavy("GET", &path, None)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&router, json_request("GET", served, None)).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_jpeg_icon_is_named_group_icon_jpeg() {
    let router = sandbox();
    let id = create(&router, "Team").await;
    let jpeg = b"\xff\xd8\xff\xe0jpeg".to_vec();
    let upload = icon_upload(&id, "image/jpeg", &jpeg);
    assert_eq!(send(&router, upload).await.0, StatusCode::OK);
    let (_, body) = send(
        &router,
        wavy("GET", &format!("/v1/whatsapp/groups/{id}/icon"), None),
    )
    .await;
    assert_eq!(body["fileName"], "groupIcon.jpeg");
    assert_eq!(body["extraData"]["Content-Length"], "8");
}

#[tokio::test]
async fn getting_or_removing_a_missing_icon_is_a_404() {
    let router = sandbox();
    let id = create(&router, "Team").await;
    let path = format!("/v1/whatsapp/groups/{id}/icon");
    for method in ["GET", "DELETE"] {
        let (status, body) = send(&router, wavy(method, &path, None)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["errorCode"], 404);
    }
}

#[tokio::test]
async fn icons_other_than_jpeg_or_png_and_empty_icons_are_a_400() {
    let router = sandbox();
    let id = create(&router, "Team").await;
    for (content_type, bytes) in [
        ("image/gif", &b"GIF89a"[..]),
        ("application/octet-stream", &b"\xff\xd8\xff"[..]),
        ("image/png", &b""[..]),
    ] {
        let (status, body) = send(&router, icon_upload(&id, content_type, bytes)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{content_type}");
        assert_eq!(body["errorCode"], 400);
    }
    let path = format!("/v1/whatsapp/groups/{id}/icon");
    assert_eq!(
        send(&router, wavy("GET", &path, None)).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn after_leaving_the_group_is_gone_from_the_list() {
    let router = sandbox();
    let id = create(&router, "Team").await;
    let other = create(&router, "Other").await;
    join(&router, &id, ALICE).await;
    let leave = format!("/v1/whatsapp/groups/{id}/leave");
    let (status, _, bytes) = send_raw(&router, wavy("POST", &leave, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, b"null");
    assert_eq!(list_ids(&router).await, vec![other]);
    let info_path = format!("/v1/whatsapp/groups/{id}");
    assert_eq!(
        send(&router, wavy("GET", &info_path, None)).await.0,
        StatusCode::NOT_FOUND
    );
    // Leaving again: the doc's "phone not found".
    let (status, body) = send(&router, wavy("POST", &leave, None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errorMessage"], "phone not found");
}

fn text_to(destination: &str, recipient_type: &str, text: &str) -> Value {
    json!({
        "destinations": [{"destination": destination, "recipientType": recipient_type}],
        "message": {"messageText": text},
    })
}

#[tokio::test]
async fn sending_to_a_group_answers_one_id_per_destination() {
    let router = sandbox();
    let id = create(&router, "Team").await;
    let (status, body) = send(
        &router,
        wavy(
            "POST",
            "/v1/whatsapp/send",
            Some(text_to(&id, "group", "Hello")),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let answers = body.as_array().unwrap();
    assert_eq!(answers.len(), 1);
    let first = answers[0]["id"].as_str().unwrap().to_owned();
    assert!(!first.is_empty());

    let (_, body) = send(
        &router,
        wavy(
            "POST",
            "/v1/whatsapp/send",
            Some(text_to(&id, "group", "Again")),
        ),
    )
    .await;
    assert_ne!(body[0]["id"].as_str().unwrap(), first);
}

#[tokio::test]
async fn sending_to_an_unknown_group_is_a_404() {
    let (status, body) = send(
        &sandbox(),
        wavy(
            "POST",
            "/v1/whatsapp/send",
            Some(text_to("5519900000000-1", "group", "Hello")),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["errorCode"], 404);
}

#[tokio::test]
async fn sending_to_a_group_needs_recipient_type_group_and_a_text() {
    let router = sandbox();
    let id = create(&router, "Team").await;
    for body in [
        text_to(&id, "individual", "Hello"),
        json!({"destinations": [{"destination": id}], "message": {"messageText": "Hi"}}),
        json!({"destinations": [{"destination": id, "recipientType": "group"}], "message": {}}),
        json!({"destinations": [], "message": {"messageText": "Hi"}}),
    ] {
        let (status, answer) = send(&router, wavy("POST", "/v1/whatsapp/send", Some(body))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert_eq!(answer["errorCode"], 400);
    }
}

#[tokio::test]
async fn sending_to_a_left_group_is_a_404() {
    let router = sandbox();
    let id = create(&router, "Team").await;
    join(&router, &id, ALICE).await;
    let leave = wavy("POST", &format!("/v1/whatsapp/groups/{id}/leave"), None);
    assert_eq!(send(&router, leave).await.0, StatusCode::OK);
    let (status, _) = send(
        &router,
        wavy(
            "POST",
            "/v1/whatsapp/send",
            Some(text_to(&id, "group", "Hi")),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_wavy_routes_are_a_404_with_the_error_body() {
    let (status, body) = send(&sandbox(), wavy("GET", "/v1/whatsapp/nothing", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["errorCode"], 404);
}

#[tokio::test]
async fn demo_seed_has_wavy_groups() {
    let router = wa_groups_sandbox::app(wa_groups_sandbox::Config {
        seed_demo: true,
        ..Default::default()
    });
    assert_eq!(list_ids(&router).await.len(), 2);
}

#[tokio::test]
async fn cors_preflight_admits_the_wavy_headers() {
    let request = Request::builder()
        .method("OPTIONS")
        .uri("/v1/whatsapp/groups")
        .header("Origin", "http://localhost:8080")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "username,authenticationtoken,content-type",
        )
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = send_raw(&sandbox(), request).await;
    assert_eq!(status, StatusCode::OK);
    // A loopback page gets its own origin back (sandbox/tests/browser_access.rs).
    assert_eq!(
        headers["access-control-allow-origin"],
        "http://localhost:8080"
    );
}
