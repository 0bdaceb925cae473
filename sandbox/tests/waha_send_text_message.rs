//! `POST /api/sendText` answers the message each engine's library made, as WAHA passes it
//! through (`ChattingController.sendText` returns `whatsapp.sendText(request)`; REFERENCE.md
//! A5): WEBJS whatsapp-web.js's `Message` (the fields of WAHA's `WAMessage` schema, read
//! from the OpenAPI file, with `id` as the library's object), NOWEB Baileys' `WebMessageInfo`
//! (`generateWAMessageFromContent`: `participant` = the account in groups, mentions in
//! `contextInfo.mentionedJid`), GOWS `{id, _data}` (`messageResponse` + `buildMessageId`: the
//! sender ends the id in groups only). Ids sent to a person carry no sender part.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

const ME: &str = "5511900000000@c.us";
const MEMBER: &str = "5511977770001@c.us";
const PERSON: &str = "5511977770005@c.us";

fn wa_message_schema() -> Value {
    let path = format!(
        "{}/../../shared/api/waha-openapi-2024.9.2.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    spec["components"]["schemas"]["WAMessage"].clone()
}

async fn group(router: &axum::Router, session: &str) -> String {
    create_waha_group(
        router,
        session,
        json!({"name": "Chat", "participants": [{"id": MEMBER}]}),
    )
    .await
}

async fn send_text(router: &axum::Router, session: &str, chat: &str, mentions: &[&str]) -> Value {
    let mut body = json!({"session": session, "chatId": chat, "text": "Hello"});
    if !mentions.is_empty() {
        body["mentions"] = json!(mentions);
    }
    let (status, answer) = send(router, waha("POST", "/api/sendText", Some(body))).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    answer
}

/// Every property the WEBJS message has that `WAMessage` documents has the documented type
/// (and `ack` one of its values); `id` is whatsapp-web.js's object (REFERENCE.md A5).
fn check_against_schema(message: &Value, schema: &Value) {
    let properties = schema["properties"].as_object().unwrap();
    for (key, value) in message.as_object().unwrap() {
        let Some(property) = properties.get(key) else {
            continue;
        };
        if key == "id" {
            continue;
        }
        if let Some(values) = property.get("enum") {
            assert!(values.as_array().unwrap().contains(value), "{key}: {value}");
        }
        let ok = match property["type"].as_str() {
            Some("string") => value.is_string(),
            Some("number") => value.is_number(),
            Some("boolean") => value.is_boolean(),
            Some("array") => value.is_array(),
            Some("object") => value.is_object(),
            _ => true,
        };
        assert!(ok, "{key} is {value}, documented {property}");
    }
}

#[tokio::test]
async fn webjs_answers_whatsapp_web_js_message() {
    let router = sandbox();
    let schema = wa_message_schema();
    let gid = group(&router, "webjs").await;
    let m = send_text(&router, "webjs", &gid, &[MEMBER]).await;
    // The fields the issue names, all present, as WAMessage documents them.
    for key in [
        "id",
        "timestamp",
        "from",
        "fromMe",
        "to",
        "body",
        "hasMedia",
        "ack",
    ] {
        assert!(m.get(key).is_some(), "{key} missing: {m}");
        assert!(
            schema["properties"].get(key).is_some(),
            "{key} not in WAMessage"
        );
    }
    check_against_schema(&m, &schema);
    let short = m["id"]["id"].as_str().unwrap();
    assert_eq!(m["id"]["fromMe"], true);
    assert_eq!(m["id"]["remote"], gid.as_str());
    assert_eq!(
        m["id"]["_serialized"],
        format!("true_{gid}_{short}_{ME}").as_str()
    );
    assert_eq!(m["from"], ME);
    assert_eq!(m["to"], gid.as_str());
    assert_eq!(m["author"], ME, "a group message names its author");
    assert_eq!(m["fromMe"], true);
    assert_eq!(m["body"], "Hello");
    assert_eq!(m["type"], "chat");
    assert_eq!(m["hasMedia"], false);
    assert_eq!(m["mentionedIds"], json!([MEMBER]));
    assert!(m["timestamp"].as_u64().unwrap() > 1_700_000_000);
    assert_eq!(m["_data"]["body"], "Hello");

    let direct = send_text(&router, "webjs", PERSON, &[]).await;
    check_against_schema(&direct, &schema);
    let short = direct["id"]["id"].as_str().unwrap();
    assert_eq!(
        direct["id"]["_serialized"],
        format!("true_{PERSON}_{short}").as_str()
    );
    assert_eq!(direct["to"], PERSON);
    assert!(direct.get("author").is_none(), "{direct}");
    assert_eq!(direct["mentionedIds"], json!([]));
}

#[tokio::test]
async fn noweb_answers_baileys_web_message_info() {
    let router = sandbox();
    let gid = group(&router, "noweb").await;
    let m = send_text(&router, "noweb", &gid, &[MEMBER]).await;
    assert_eq!(m["key"]["remoteJid"], gid.as_str());
    assert_eq!(m["key"]["fromMe"], true);
    assert!(m["key"]["id"].is_string());
    assert_eq!(m["participant"], "5511900000000@s.whatsapp.net");
    let text = &m["message"]["extendedTextMessage"];
    assert_eq!(text["text"], "Hello");
    assert_eq!(
        text["contextInfo"]["mentionedJid"],
        json!(["5511977770001@s.whatsapp.net"])
    );
    let at = m["messageTimestamp"].as_str().unwrap();
    assert!(at.parse::<u64>().unwrap() > 1_700_000_000, "{at}");
    assert_eq!(m["status"], "PENDING");

    // `["all"]`: every member but the account, as the LID-addressed session lists them.
    let all = send_text(&router, "noweb", &gid, &["all"]).await;
    let mentioned = &all["message"]["extendedTextMessage"]["contextInfo"]["mentionedJid"];
    let mentioned = mentioned.as_array().unwrap();
    assert_eq!(mentioned.len(), 1, "{all}");
    assert!(mentioned[0].as_str().unwrap().ends_with("@lid"), "{all}");

    let direct = send_text(&router, "noweb", PERSON, &[]).await;
    assert_eq!(direct["key"]["remoteJid"], "5511977770005@s.whatsapp.net");
    assert!(direct.get("participant").is_none(), "{direct}");
    assert!(
        direct["message"]["extendedTextMessage"]
            .get("contextInfo")
            .is_none()
    );
}

#[tokio::test]
async fn gows_answers_id_and_data() {
    let router = sandbox();
    let gid = group(&router, "gows").await;
    let m = send_text(&router, "gows", &gid, &[]).await;
    let id = m["id"].as_str().unwrap();
    let rest = id.strip_prefix(&format!("true_{gid}_")).unwrap();
    assert!(rest.ends_with(&format!("_{ME}")), "{id}");
    assert!(m.get("_data").is_some(), "{m}");
    let keys: Vec<&String> = m.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["_data", "id"]);

    let direct = send_text(&router, "gows", PERSON, &[]).await;
    let id = direct["id"].as_str().unwrap();
    let short = id.strip_prefix(&format!("true_{PERSON}_")).unwrap();
    assert!(!short.contains('_'), "no sender part in a direct id: {id}");
}

#[tokio::test]
async fn the_core_reads_the_message_id_on_every_engine() {
    let router = sandbox();
    for session in ["webjs", "noweb", "gows"] {
        let gid = group(&router, session).await;
        let client = client(&router, "sandbox", session);
        let id = wa_groups::model::GroupId::new("id", gid.clone()).unwrap();
        let sent = client.send_text(&id, "Hi").await.unwrap();
        let id = sent.id.expect(session);
        assert!(id.starts_with(&format!("true_{gid}_")), "{session}: {id}");
    }
}
