//! An `evolution` connection, from outside over HTTP: the core's Evolution client works
//! through the gateway with the gateway's key (never the caller's), only the routes the core
//! sends pass — its own instance, `groupJid` a group — a viewer cannot write (not even by
//! Evolution's joining GET), writes are audited, and Evolution's webhooks become live events
//! only with the connection's URL token.

mod common;

use axum::Json;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::any;
use common::*;
use serde_json::{Value, json};
use wa_groups::model::{GroupSettings, NewGroup, ParticipantChange};
use wa_groups::provider::evolution::Evolution;

const GROUP: &str = "120363000000000001@g.us";
/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

fn client(gateway: &str, cookie: &str) -> wa_groups::Client<CookieTransport> {
    // The panel's placeholder key: the gateway must put its own in its place.
    wa_groups::Client::new(
        Evolution::new("sales", "gateway").unwrap(),
        CookieTransport {
            cookie: cookie.to_owned(),
        },
        &format!("{gateway}/c/evo"),
    )
    .unwrap()
}

#[tokio::test]
async fn every_evolution_route_the_core_sends_is_forwarded_with_the_gateways_key_and_audited() {
    let s = setup().await;
    let cookie = login(&s.gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let client = client(&s.gateway.base, &cookie);

    let group = client
        .create_group(&NewGroup {
            subject: "Evolution team".into(),
            participants: vec!["5511988880000".into()],
        })
        .await
        .unwrap();
    client.set_subject(&group.id, "Renamed").await.unwrap();
    client.set_description(&group.id, "About us").await.unwrap();
    assert_eq!(
        client.get_group(&group.id).await.unwrap().subject,
        "Renamed"
    );
    assert_eq!(
        client.list_groups(&Default::default()).await.unwrap().len(),
        1
    );
    assert_eq!(client.count_groups().await.unwrap(), 1);
    client.set_icon(&group.id, PNG, "image/png").await.unwrap();
    // (`get_icon` reads `findGroupInfos`, as `get_group` does: the sandbox's icon URL is on
    // the sandbox's origin, which the core rightly refuses behind a gateway.)
    client
        .update_settings(
            &group.id,
            &GroupSettings {
                info_admin_only: Some(true),
                messages_admin_only: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    client.get_settings(&group.id).await.unwrap();
    let link = client.get_invite_link(&group.id).await.unwrap();
    assert!(link.starts_with("https://chat.whatsapp.com/"), "{link}");
    client.get_join_info(&link).await.unwrap();
    let link = client.revoke_invite_link(&group.id).await.unwrap().unwrap();
    let members = ["5511977770000".to_owned()];
    for change in [
        ParticipantChange::Add,
        ParticipantChange::Promote,
        ParticipantChange::Demote,
        ParticipantChange::Remove,
    ] {
        let results = client
            .change_participants(&group.id, change, &members)
            .await
            .unwrap();
        assert_eq!(results.len(), 1, "{change:?}");
    }
    assert!(
        !client
            .list_participants(&group.id)
            .await
            .unwrap()
            .is_empty()
    );
    client.send_text(&group.id, "hello").await.unwrap();
    client.leave_group(&group.id).await.unwrap();
    let joined = client.join_group(&link).await.unwrap();
    assert_eq!(joined, group.id);

    // Every route the core sends reached Evolution — with the gateway's key, or the sandbox
    // would have answered 401 to the panel's placeholder.
    let requests = sandbox_requests(&s.sandbox.base).await;
    let mut routes: Vec<&str> = requests.keys().map(String::as_str).collect();
    routes.sort_unstable();
    assert_eq!(
        routes,
        [
            "DELETE /group/leaveGroup/sales",
            "GET /group/acceptInviteCode/sales",
            "GET /group/fetchAllGroups/sales",
            "GET /group/findGroupInfos/sales",
            "GET /group/inviteCode/sales",
            "GET /group/inviteInfo/sales",
            "GET /group/participants/sales",
            "POST /group/create/sales",
            "POST /group/revokeInviteCode/sales",
            "POST /group/updateGroupDescription/sales",
            "POST /group/updateGroupPicture/sales",
            "POST /group/updateGroupSubject/sales",
            "POST /group/updateParticipant/sales",
            "POST /group/updateSetting/sales",
            "POST /message/sendText/sales",
        ]
    );

    // Each write is audited with the core's operation (`updateParticipant`'s from its
    // action), newest first; reads are not.
    let audit = get(
        &format!("{}/_gateway/audit", s.gateway.base),
        &[("cookie", &cookie)],
    )
    .await
    .json();
    let ops: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        ops,
        [
            "createGroup",
            "setSubject",
            "setDescription",
            "setIcon",
            "updateSettings",
            "updateSettings",
            "revokeInviteLink",
            "addParticipants",
            "promoteAdmins",
            "demoteAdmins",
            "removeParticipants",
            "sendText",
            "leaveGroup",
            "joinGroup",
        ]
    );
    for entry in audit.as_array().unwrap() {
        assert_eq!(entry["connection"], "evo");
        assert_eq!(entry["user"], ADMIN);
        assert!(entry["status"].as_u64().unwrap() < 300, "{entry}");
        if entry["operation"] != "joinGroup" && entry["operation"] != "createGroup" {
            assert_eq!(entry["groupId"], group.id.as_str(), "{entry}");
        }
    }
    assert_no_secret(&audit.to_string());
}

/// An upstream that answers every request with what it received.
async fn echo_upstream() -> Server {
    async fn echo(method: Method, uri: axum::http::Uri, headers: HeaderMap) -> Json<Value> {
        let seen: serde_json::Map<String, Value> = headers
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), json!(v.to_str().unwrap_or_default())))
            .collect();
        Json(json!({"method": method.as_str(), "uri": uri.to_string(), "headers": seen}))
    }
    serve(axum::Router::new().fallback(any(echo))).await
}

#[tokio::test]
async fn the_callers_apikey_is_never_passed_on_and_the_query_is_rebuilt() {
    let upstream = echo_upstream().await;
    let dir = tempfile::tempdir().unwrap();
    add_users(dir.path());
    let gateway = gateway_in(
        dir.path(),
        vec![evolution_connection("evo", &upstream.base, "sales")],
        test_options(),
    )
    .await;
    let cookie = login(&gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let hostile = [
        ("cookie", cookie.as_str()),
        ("apikey", "attacker-key"),
        ("x-api-key", "attacker-key"),
        ("content-type", "application/x-www-form-urlencoded"),
    ];

    let reply = get(
        &format!(
            "{}/c/evo/group/findGroupInfos/sales?apikey=attacker-key&groupJid={GROUP}&getParticipants=true",
            gateway.base
        ),
        &hostile,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let seen = reply.json();
    assert_eq!(seen["method"], "GET");
    assert_eq!(
        seen["uri"], "/group/findGroupInfos/sales?groupJid=120363000000000001%40g.us",
        "only the checked groupJid is passed on"
    );
    assert_eq!(
        seen["headers"]["apikey"], "<redacted>",
        "the connection's key was sent (and redacted in the answer)"
    );
    assert!(!reply.text().contains("attacker"), "{}", reply.text());

    // A body route: no query passes, the key is the gateway's, and the body goes as JSON
    // whatever type the caller claimed.
    let reply = call(
        Method::POST,
        &format!(
            "{}/c/evo/group/updateGroupSubject/sales?groupJid=999@g.us",
            gateway.base
        ),
        &hostile,
        json!({"groupJid": GROUP, "subject": "x"}).to_string(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let seen = reply.json();
    assert_eq!(seen["uri"], "/group/updateGroupSubject/sales");
    assert_eq!(seen["headers"]["apikey"], "<redacted>");
    assert_eq!(seen["headers"]["content-type"], "application/json");
    assert!(!reply.text().contains("attacker"), "{}", reply.text());
    assert_no_secret(&reply.everything());
}

#[tokio::test]
async fn refused_evolution_requests_get_404_and_never_reach_the_provider() {
    let s = setup().await;
    let cookie = login(&s.gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let c = json_as(&cookie);
    let g = GROUP;
    let code = "AbCdEfGhIjKlMnOpQrStUv";
    let body_of = |v: Value| v.to_string();
    let refused: Vec<(Method, String, String)> = vec![
        // Another instance, in any spelling.
        (
            Method::GET,
            format!("/group/findGroupInfos/default?groupJid={g}"),
            String::new(),
        ),
        (
            Method::GET,
            format!("/group/findGroupInfos/%73ales?groupJid={g}"),
            String::new(),
        ),
        (
            Method::GET,
            format!("/group/findGroupInfos/SALES?groupJid={g}"),
            String::new(),
        ),
        (
            Method::POST,
            "/group/updateGroupSubject/default".into(),
            body_of(json!({"groupJid": g, "subject": "x"})),
        ),
        (
            Method::POST,
            "/message/sendText/default".into(),
            body_of(json!({"number": g, "text": "hi"})),
        ),
        // groupJid that is not a group: a person, a bare number, missing, twice, as a list.
        (
            Method::GET,
            "/group/findGroupInfos/sales?groupJid=5511999990000@s.whatsapp.net".into(),
            String::new(),
        ),
        (
            Method::GET,
            "/group/participants/sales?groupJid=120363000000000001".into(),
            String::new(),
        ),
        (
            Method::GET,
            "/group/participants/sales".into(),
            String::new(),
        ),
        (
            Method::GET,
            format!("/group/participants/sales?groupJid={g}&groupJid=5511999990000@s.whatsapp.net"),
            String::new(),
        ),
        (
            Method::GET,
            format!("/group/participants/sales?groupJid[]={g}"),
            String::new(),
        ),
        (
            Method::GET,
            "/group/inviteCode/sales?groupJid=..%2F..%2Finstance".into(),
            String::new(),
        ),
        (
            Method::DELETE,
            "/group/leaveGroup/sales?groupJid=5511999990000@s.whatsapp.net".into(),
            String::new(),
        ),
        (
            Method::POST,
            "/group/updateGroupSubject/sales".into(),
            body_of(json!({"groupJid": "5511999990000@s.whatsapp.net", "subject": "x"})),
        ),
        (
            Method::POST,
            "/group/updateGroupSubject/sales".into(),
            body_of(json!({"subject": "x"})),
        ),
        (
            Method::POST,
            "/group/updateGroupSubject/sales".into(),
            "groupJid=120363000000000001@g.us&subject=x".into(),
        ),
        (
            Method::POST,
            "/group/updateGroupDescription/sales".into(),
            body_of(json!({"groupJid": ["1@g.us"], "description": "x"})),
        ),
        (
            Method::POST,
            "/group/revokeInviteCode/sales".into(),
            body_of(json!({"groupJid": "status@broadcast"})),
        ),
        // A query route takes no body (Evolution would read a body's groupJid first).
        (
            Method::DELETE,
            format!("/group/leaveGroup/sales?groupJid={g}"),
            body_of(json!({"groupJid": "5511999990000@s.whatsapp.net"})),
        ),
        // Sends reach groups only.
        (
            Method::POST,
            "/message/sendText/sales".into(),
            body_of(json!({"number": "5511999990000", "text": "hi"})),
        ),
        (
            Method::POST,
            "/message/sendText/sales".into(),
            body_of(json!({"text": "hi"})),
        ),
        // Body checks of the other writes.
        (
            Method::POST,
            "/group/updateParticipant/sales".into(),
            body_of(json!({"groupJid": g, "action": "kick", "participants": ["5511999990000"]})),
        ),
        (
            Method::POST,
            "/group/updateSetting/sales".into(),
            body_of(json!({"groupJid": g, "action": "unlocked_all"})),
        ),
        (
            Method::POST,
            "/group/updateGroupPicture/sales".into(),
            body_of(json!({"groupJid": g, "image": "http://169.254.169.254/latest/meta-data"})),
        ),
        // Invite codes: exactly 22 letters or digits.
        (
            Method::GET,
            "/group/inviteInfo/sales?inviteCode=short".into(),
            String::new(),
        ),
        (
            Method::GET,
            format!("/group/acceptInviteCode/sales?inviteCode={code}&inviteCode={code}"),
            String::new(),
        ),
        // Routes the core does not send.
        (
            Method::GET,
            "/instance/fetchInstances".into(),
            String::new(),
        ),
        (
            Method::DELETE,
            "/instance/logout/sales".into(),
            String::new(),
        ),
        (Method::GET, "/instance/connect/sales".into(), String::new()),
        (
            Method::POST,
            "/chat/findMessages/sales".into(),
            body_of(json!({})),
        ),
        (
            Method::POST,
            "/chat/whatsappNumbers/sales".into(),
            body_of(json!({"numbers": ["5511999990000"]})),
        ),
        (
            Method::POST,
            "/webhook/set/sales".into(),
            body_of(json!({"webhook": {"url": "http://evil.example"}})),
        ),
        (
            Method::POST,
            "/group/updateMemberAddMode/sales".into(),
            body_of(json!({"groupJid": g, "action": "all_member_add"})),
        ),
        (
            Method::POST,
            "/group/toggleEphemeral/sales".into(),
            body_of(json!({"groupJid": g, "expiration": 0})),
        ),
        (
            Method::POST,
            "/group/sendInvite/sales".into(),
            body_of(json!({"groupJid": g, "numbers": ["5511999990000"]})),
        ),
        (
            Method::GET,
            "/group/fetchAllGroups/sales?getParticipants=maybe".into(),
            String::new(),
        ),
        (
            Method::POST,
            "/message/sendMedia/sales".into(),
            body_of(json!({"number": g})),
        ),
        // Methods the core does not use on these routes.
        (
            Method::PUT,
            "/group/updateParticipant/sales".into(),
            body_of(json!({"groupJid": g, "action": "add", "participants": ["5511999990000"]})),
        ),
        (
            Method::POST,
            format!("/group/leaveGroup/sales?groupJid={g}"),
            String::new(),
        ),
        (Method::GET, "/message/sendText/sales".into(), String::new()),
        // Path tricks.
        (
            Method::GET,
            format!("/group/findGroupInfos/sales/../../instance/fetchInstances?groupJid={g}"),
            String::new(),
        ),
        (
            Method::GET,
            format!("/group/%2e%2e/instance/fetchInstances/sales?groupJid={g}"),
            String::new(),
        ),
        (
            Method::GET,
            format!("/group/findGroupInfos/sales%2F..%2F..%2Finstance?groupJid={g}"),
            String::new(),
        ),
        (
            Method::GET,
            format!("/group//findGroupInfos/sales?groupJid={g}"),
            String::new(),
        ),
        (
            Method::GET,
            format!("//group/findGroupInfos/sales?groupJid={g}"),
            String::new(),
        ),
        (
            Method::GET,
            format!("/group/findGroupInfos/sales/?groupJid={g}"),
            String::new(),
        ),
        (
            Method::GET,
            format!("/group/findGroupInfos/.sales?groupJid={g}"),
            String::new(),
        ),
        (
            Method::GET,
            format!("/group/findGroupInfos/sales%00?groupJid={g}"),
            String::new(),
        ),
        // The other providers' routes on the Evolution connection, and the reverse.
        (Method::GET, "/api/sales/groups".into(), String::new()),
        (Method::GET, "/v1/whatsapp/groups".into(), String::new()),
    ];
    for (method, path, body) in &refused {
        let reply = call(
            method.clone(),
            &format!("{}/c/evo{path}", s.gateway.base),
            &c,
            body.clone(),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{method} {path} {body}: {}",
            reply.text()
        );
    }
    // Evolution's routes on the WAHA connection.
    let reply = get(
        &format!(
            "{}/c/default/group/findGroupInfos/default?groupJid={g}",
            s.gateway.base
        ),
        &c,
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        total(&sandbox_requests(&s.sandbox.base).await),
        0,
        "nothing reached the provider"
    );
}

#[tokio::test]
async fn a_viewer_cannot_write_on_evolution_not_even_by_its_joining_get() {
    let s = setup().await;
    let cookie = login(&s.gateway.base, VIEWER, VIEWER_PASSWORD).await;
    let c = json_as(&cookie);
    let read = get(
        &format!(
            "{}/c/evo/group/fetchAllGroups/sales?getParticipants=false",
            s.gateway.base
        ),
        &c,
    )
    .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text());
    for (method, path, body) in [
        (
            Method::GET,
            "/group/acceptInviteCode/sales?inviteCode=AbCdEfGhIjKlMnOpQrStUv",
            String::new(),
        ),
        (
            Method::DELETE,
            "/group/leaveGroup/sales?groupJid=120363000000000001@g.us",
            String::new(),
        ),
        (
            Method::POST,
            "/group/create/sales",
            json!({"subject": "x", "participants": ["5511988880000"]}).to_string(),
        ),
        (
            Method::POST,
            "/message/sendText/sales",
            json!({"number": GROUP, "text": "hi"}).to_string(),
        ),
    ] {
        let reply = call(
            method.clone(),
            &format!("{}/c/evo{path}", s.gateway.base),
            &c,
            body,
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}");
    }
    // Joining by GET from another origin is refused to an admin too.
    let admin = login(&s.gateway.base, ADMIN, ADMIN_PASSWORD).await;
    let reply = get(
        &format!(
            "{}/c/evo/group/acceptInviteCode/sales?inviteCode=AbCdEfGhIjKlMnOpQrStUv",
            s.gateway.base
        ),
        &[("cookie", &admin), ("origin", "https://evil.example")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let requests = sandbox_requests(&s.sandbox.base).await;
    assert_eq!(
        requests.keys().collect::<Vec<_>>(),
        ["GET /group/fetchAllGroups/sales"]
    );
}

async fn history(gateway: &str, cookie: &str) -> Vec<Value> {
    let reply = get(
        &format!("{gateway}/_gateway/events/history"),
        &[("cookie", cookie)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json().as_array().unwrap().clone()
}

fn joined(instance: &str, person: &str) -> String {
    json!({
        "event": "group-participants.update", "instance": instance,
        "data": {"id": GROUP, "author": "", "action": "add", "participants": [person]},
        "destination": "", "date_time": "2026-11-26T10:00:00.000Z",
        // Evolution puts the instance's key here when its server exposes keys: never kept.
        "sender": "5511900000000@s.whatsapp.net", "server_url": "http://127.0.0.1", "apikey": EVOLUTION_KEY,
    })
    .to_string()
}

#[tokio::test]
async fn an_evolution_webhook_needs_the_url_token_and_becomes_a_live_event() {
    let s = setup().await;
    let gw = &s.gateway.base;
    let cookie = login(gw, VIEWER, VIEWER_PASSWORD).await;
    let body = joined("sales", "5511977770000@s.whatsapp.net");

    // Forged: no token, a wrong or near token, WAHA's signed route, another connection's.
    for path in [
        "/_gateway/hooks/evo".to_owned(),
        "/_gateway/hooks/evo/wrong".to_owned(),
        "/_gateway/hooks/evo/evohooktoken5a2".to_owned(),
        "/_gateway/hooks/evo/evohooktoken5a2c0".to_owned(),
        format!("/_gateway/hooks/evo/{WAVY_HOOK_TOKEN}"),
        format!("/_gateway/hooks/wavy/{EVOLUTION_HOOK_TOKEN}"),
        format!("/_gateway/hooks/default/{EVOLUTION_HOOK_TOKEN}"),
        format!("/_gateway/hooks/wavy/{WAVY_HOOK_TOKEN}/messages-upsert"),
    ] {
        let reply = call(
            Method::POST,
            &format!("{gw}{path}"),
            &[
                ("content-type", "application/json"),
                ("apikey", EVOLUTION_KEY),
            ],
            body.clone(),
        )
        .await;
        assert!(
            reply.status == StatusCode::NOT_FOUND || reply.status == StatusCode::UNAUTHORIZED,
            "{path}: {}",
            reply.status
        );
    }
    assert!(history(gw, &cookie).await.is_empty(), "nothing stored");

    let mut live = open_events(gw, &cookie, None).await;
    let url = format!("{gw}/_gateway/hooks/evo/{EVOLUTION_HOOK_TOKEN}");
    // Another instance's envelope (a server-wide webhook) is acknowledged, not stored.
    let other = joined("default", "5511966660000@s.whatsapp.net");
    assert_eq!(
        call(Method::POST, &url, &[], other).await.status,
        StatusCode::OK
    );
    assert_eq!(
        call(Method::POST, &url, &[], body.clone()).await.status,
        StatusCode::OK
    );
    let (_, event) = live.next().await;
    assert_eq!(event["connection"], "evo");
    assert_eq!(event["kind"], "participantsChanged");
    assert_eq!(event["groupId"], GROUP);
    // Evolution's "webhook by events" URL: the event's name as one more segment.
    let message = json!({
        "event": "messages.upsert", "instance": "sales",
        "data": {"key": {"remoteJid": GROUP, "fromMe": false, "id": "M1",
                         "participant": "5511977770000@s.whatsapp.net"},
                 "message": {"conversation": "hello"}, "messageType": "conversation",
                 "messageTimestamp": 1_764_150_000u64},
    })
    .to_string();
    assert_eq!(
        call(
            Method::POST,
            &format!("{url}/messages-upsert"),
            &[],
            message
        )
        .await
        .status,
        StatusCode::OK
    );
    let (_, event) = live.next().await;
    assert_eq!(event["kind"], "groupMessage");
    assert_eq!(event["text"], "hello");
    let stored = history(gw, &cookie).await;
    assert_eq!(stored.len(), 2);
    assert_no_secret(&serde_json::to_string(&stored).unwrap());
    assert_eq!(
        call(Method::POST, &url, &[], "not json").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_member_writing_on_the_sandbox_reaches_the_gateway_as_an_evolution_event() {
    let s = setup().await;
    let gw = &s.gateway.base;
    let cookie = login(gw, ADMIN, ADMIN_PASSWORD).await;
    let hook = json!({
        "url": format!("{gw}/_gateway/hooks/evo/{EVOLUTION_HOOK_TOKEN}"),
        "provider": "evolution",
    })
    .to_string();
    let registered = call(
        Method::POST,
        &format!("{}/_sandbox/webhook", s.sandbox.base),
        &[("content-type", "application/json")],
        hook,
    )
    .await;
    assert!(registered.status.is_success(), "{}", registered.text());

    let group = client(gw, &cookie)
        .create_group(&NewGroup {
            subject: "Live".into(),
            participants: vec!["5511988880000".into()],
        })
        .await
        .unwrap();
    let mut live = open_events(gw, &cookie, None).await;
    let sent = call(
        Method::POST,
        &format!("{}/_sandbox/message", s.sandbox.base),
        &[("content-type", "application/json")],
        json!({"groupId": group.id.as_str(), "phone": "5511988880000", "text": "from a member"})
            .to_string(),
    )
    .await;
    assert!(sent.status.is_success(), "{}", sent.text());
    assert_eq!(sent.json()["delivered"], true, "{}", sent.text());
    let (_, event) = live.next().await;
    assert_eq!(event["connection"], "evo");
    assert_eq!(event["kind"], "groupMessage");
    assert_eq!(event["groupId"], group.id.as_str());
    assert_eq!(event["text"], "from a member");
}
