//! Evolution API v2's group routes (its Baileys channel), on the same world as WAHA and Wavy:
//! `/group/<action>/{instance}` and `/message/sendText/{instance}`, the `apikey` header,
//! Evolution's status codes (201 for its POSTs), success bodies and error envelope
//! `{status, error, response: {message: [...]}}` — research `evolution-and-meta-groups.md`
//! §2, read from Evolution v2.3.6/2.3.7. Groups are Baileys' `GroupMetadata` in a
//! LID-addressed session (WAHA NOWEB's `noweb` dialect: members `{id: lid, phoneNumber,
//! admin}`). The quirks are kept, because clients must absorb them: `updateParticipant`
//! answers 201 whatever happened to each person, `create` drops numbers that are not on
//! WhatsApp without a word, `fetchAllGroups` neither pages nor counts. Where the source
//! leaves room, the choice is listed in `sandbox/README.md` ("Evolution emulator choices").

// Helpers return a finished error `Response` for handlers to send as is; boxing it would
// only add noise to a test server's cold paths (as in `waha`).
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::state::{Account, Group, Icon, MAX_PARTICIPANTS, MemberChange, Refusal};
use crate::waha::{Dialect, Engine, change_results, group_shape, participant_shape};

/// The instances the sandbox has; any other name is Evolution's 404.
pub const INSTANCES: &[&str] = &["default", "sales"];

/// How Evolution's Baileys channel spells groups: Baileys 7, LID-addressed.
const BAILEYS: Dialect = Dialect {
    engine: Engine::Noweb,
    lid: true,
};

/// The group routes, mounted under `/group`.
pub(crate) fn group_routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/create/{instance}", post(create))
        .route("/fetchAllGroups/{instance}", get(fetch_all))
        .route("/findGroupInfos/{instance}", get(find_group))
        .route("/participants/{instance}", get(participants))
        .route("/updateGroupSubject/{instance}", post(set_subject))
        .route("/updateGroupDescription/{instance}", post(set_description))
        .route("/updateGroupPicture/{instance}", post(set_picture))
        .route("/inviteCode/{instance}", get(invite_code))
        .route("/revokeInviteCode/{instance}", post(revoke))
        .route("/inviteInfo/{instance}", get(invite_info))
        .route("/acceptInviteCode/{instance}", get(accept))
        .route("/updateParticipant/{instance}", post(update_participant))
        .route("/updateSetting/{instance}", post(update_setting))
        .route("/leaveGroup/{instance}", delete(leave))
        .fallback(unknown_route)
        // Express answers a known path with another method as an unknown route.
        .method_not_allowed_fallback(unknown_route)
        .layer(middleware::from_fn_with_state(state, require_api_key))
}

/// `/message/sendText/{instance}`, mounted under `/message`.
pub(crate) fn message_routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/sendText/{instance}", post(send_text))
        .fallback(unknown_route)
        .method_not_allowed_fallback(unknown_route)
        .layer(middleware::from_fn_with_state(state, require_api_key))
}

/// Evolution's error envelope; the one place its statuses are written.
fn error(status: StatusCode, messages: Value) -> Response {
    let messages = match messages {
        Value::Array(_) => messages,
        other => json!([other]),
    };
    let reason = status.canonical_reason().unwrap_or("Error");
    let body =
        json!({"status": status.as_u16(), "error": reason, "response": {"message": messages}});
    (status, axum::Json(body)).into_response()
}

fn bad_request(message: impl Into<String>) -> Response {
    error(StatusCode::BAD_REQUEST, json!([message.into()]))
}

/// Every refusal of the world as Evolution answers it: its service wraps Baileys' errors in
/// a 400 (`BadRequestException("Error …", error.toString())`), a missing group in a 404.
fn refusal(what: &str, refusal: Refusal) -> Response {
    match refusal {
        Refusal::UnknownGroup(_) | Refusal::NotInGroup => error(
            StatusCode::NOT_FOUND,
            json!([format!("Error {what}"), "item-not-found"]),
        ),
        Refusal::UnknownInvite => error(StatusCode::NOT_FOUND, json!(["No invite info"])),
        Refusal::NoIcon => error(StatusCode::NOT_FOUND, json!(["No icon"])),
        Refusal::NotAdmin | Refusal::Superadmin(_) => error(
            StatusCode::BAD_REQUEST,
            json!([format!("Error {what}"), "Error: not-authorized"]),
        ),
        other => error(
            StatusCode::BAD_REQUEST,
            json!([format!("Error {what}"), format!("Error: {other:?}")]),
        ),
    }
}

/// `apikey`, the server's global key (the sandbox's `--evolution-key`); else 401.
async fn require_api_key(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let key = request
        .headers()
        .get("apikey")
        .and_then(|v| v.to_str().ok());
    if key == Some(state.config.evolution_key.as_str()) {
        next.run(request).await
    } else {
        error(StatusCode::UNAUTHORIZED, json!("Unauthorized"))
    }
}

/// Express's 404 for a route Evolution does not have (`PUT /group/updateParticipant`, say).
async fn unknown_route(request: Request) -> Response {
    // The path as sent, before nesting stripped `/group` or `/message` from it.
    let uri: &Uri = request
        .extensions()
        .get::<OriginalUri>()
        .map_or(request.uri(), |original| &original.0);
    let message = format!("Cannot {} {}", request.method(), uri.path());
    error(StatusCode::NOT_FOUND, json!([message]))
}

/// The instance named in the path, if it exists (`instanceExistsGuard`).
fn instance(name: &str) -> Result<Account, Response> {
    if INSTANCES.contains(&name) {
        Ok(Account::Evolution(name.to_owned()))
    } else {
        Err(error(
            StatusCode::NOT_FOUND,
            json!([format!("The \"{name}\" instance does not exist")]),
        ))
    }
}

macro_rules! or_respond {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(response) => return response,
        }
    };
}

fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| bad_request(e.to_string()))
}

/// `groupJid` from the body, else the query; `@g.us` appended when absent; Evolution's
/// `groupJidSchema` pattern `^[\d-]+@g.us$`.
fn group_jid(body: Option<&Value>, query: &HashMap<String, String>) -> Result<String, Response> {
    let raw = body
        .and_then(|b| b.get("groupJid"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| query.get("groupJid").cloned())
        .filter(|j| !j.is_empty())
        .ok_or_else(|| bad_request("The group id needs to be informed in the query"))?;
    let jid = if raw.contains('@') {
        raw
    } else {
        format!("{raw}@g.us")
    };
    let valid = jid.strip_suffix("@g.us").is_some_and(|user| {
        !user.is_empty() && user.bytes().all(|b| b.is_ascii_digit() || b == b'-')
    });
    if !valid {
        return Err(bad_request(format!(
            "groupJid does not match pattern \"^[\\\\d-]+@g.us$\": {jid}"
        )));
    }
    Ok(jid)
}

/// A participants/numbers list as Evolution's schema wants it: strings of digits, at least
/// 10, unique, at least one. Each becomes the id the world keeps (`<digits>@c.us`).
fn numbers(value: Option<&Value>, field: &str) -> Result<Vec<String>, Response> {
    let list = value
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| bad_request(format!("{field} is required and must have at least 1 item")))?;
    if list.len() > MAX_PARTICIPANTS {
        return Err(bad_request(format!(
            "{field} must NOT have more than {MAX_PARTICIPANTS} items"
        )));
    }
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for item in list {
        let digits = item
            .as_str()
            .filter(|s| s.len() >= 10 && s.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                bad_request(format!(
                    "{field} items must be strings of at least 10 digits: {item}"
                ))
            })?;
        let id = format!("{digits}@c.us");
        if out.contains(&id) {
            return Err(bad_request(format!("{field} must have unique items")));
        }
        out.push(id);
    }
    Ok(out)
}

/// An invite code as Evolution's schema wants it: 22 letters or digits.
fn invite_code_of(query: &HashMap<String, String>) -> Result<String, Response> {
    query
        .get("inviteCode")
        .filter(|c| c.len() == 22 && c.bytes().all(|b| b.is_ascii_alphanumeric()))
        .cloned()
        .ok_or_else(|| bad_request("inviteCode does not match pattern \"^[a-zA-Z0-9]{22}$\""))
}

/// `findGroupInfos`' object: the fields Evolution picks from Baileys' metadata, plus
/// `pictureUrl` (the sandbox's icon URL, or `null`).
fn group_info(host: &str, g: &Group, with_participants: bool) -> Value {
    let full = group_shape(BAILEYS, g, with_participants);
    let mut info = json!({});
    for key in [
        "id",
        "subject",
        "subjectOwner",
        "subjectTime",
        "size",
        "creation",
        "owner",
        "desc",
        "descId",
        "restrict",
        "announce",
        "isCommunity",
        "isCommunityAnnounce",
    ] {
        info[key] = full.get(key).cloned().unwrap_or(Value::Null);
    }
    info["pictureUrl"] = match &g.icon {
        Some(_) => format!("http://{host}/_sandbox/icons/{}", g.id.replace('@', "%40")).into(),
        None => Value::Null,
    };
    info["linkedParent"] = Value::Null;
    if with_participants {
        info["participants"] = full["participants"].clone();
    }
    info
}

async fn create(State(state): State<AppState>, Path(name): Path<String>, body: Bytes) -> Response {
    let account = or_respond!(instance(&name));
    let body: Value = or_respond!(parse(&body));
    let Some(subject) = body
        .get("subject")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
    else {
        return bad_request("subject is required");
    };
    let members = or_respond!(numbers(body.get("participants"), "participants"));
    let description = body.get("description").and_then(Value::as_str);
    let mut world = state.world();
    // `whatsappNumber` first: numbers not on WhatsApp are dropped without a word, and
    // Baileys' create then adds the rest (a privacy refusal is simply not a member).
    let on_whatsapp: Vec<String> = members
        .into_iter()
        .filter(|m| world.traits(m).on_whatsapp)
        .collect();
    let (group, _) = match world.create_group(&account, subject, &on_whatsapp) {
        Ok(created) => created,
        Err(r) => return refusal("creating group", r),
    };
    let group = match description {
        Some(desc) if !desc.is_empty() => {
            if let Err(r) = world.set_description(&account, &group.id, Some(desc)) {
                return refusal("creating group", r);
            }
            world.group(&account, &group.id).cloned().unwrap_or(group)
        }
        _ => group,
    };
    (
        StatusCode::CREATED,
        axum::Json(group_shape(BAILEYS, &group, true)),
    )
        .into_response()
}

/// The host the request came to: where the sandbox serves icons (`/_sandbox/icons/…`).
fn host_of(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_owned()
}

async fn fetch_all(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let account = or_respond!(instance(&name));
    let with_participants = match query.get("getParticipants").map(String::as_str) {
        Some("true") => true,
        Some("false") => false,
        _ => {
            return bad_request("The getParticipants needs to be informed in the query");
        }
    };
    let world = state.world();
    let list: Vec<Value> = world
        .groups(&account)
        .map(|g| group_info(&host_of(&headers), g, with_participants))
        .collect();
    axum::Json(Value::Array(list)).into_response()
}

async fn find_group(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let account = or_respond!(instance(&name));
    let jid = or_respond!(group_jid(None, &query));
    let world = state.world();
    match world.group(&account, &jid) {
        Ok(g) => axum::Json(group_info(&host_of(&headers), g, true)).into_response(),
        Err(r) => refusal("fetching group", r),
    }
}

async fn participants(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let account = or_respond!(instance(&name));
    let jid = or_respond!(group_jid(None, &query));
    let world = state.world();
    match world.group(&account, &jid) {
        Ok(g) => {
            let list: Vec<Value> = g
                .members
                .iter()
                .map(|m| {
                    let mut p = participant_shape(BAILEYS, m);
                    // Filled from the contacts database, which the sandbox has not.
                    p["imgUrl"] = Value::Null;
                    p
                })
                .collect();
            axum::Json(json!({"participants": list})).into_response()
        }
        Err(r) => refusal("fetching participants", r),
    }
}

/// The routes that answer `{update: "success"}` with 201.
fn updated(outcome: Result<(), Refusal>, what: &str) -> Response {
    match outcome {
        Ok(()) => (
            StatusCode::CREATED,
            axum::Json(json!({"update": "success"})),
        )
            .into_response(),
        Err(r) => refusal(what, r),
    }
}

async fn set_subject(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let account = or_respond!(instance(&name));
    let body: Value = or_respond!(parse(&body));
    let jid = or_respond!(group_jid(Some(&body), &query));
    let Some(subject) = body.get("subject").and_then(Value::as_str) else {
        return bad_request("subject is required");
    };
    let outcome = state.world().set_subject(&account, &jid, subject);
    updated(outcome, "updating group subject")
}

async fn set_description(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let account = or_respond!(instance(&name));
    let body: Value = or_respond!(parse(&body));
    let jid = or_respond!(group_jid(Some(&body), &query));
    let Some(description) = body.get("description").and_then(Value::as_str) else {
        return bad_request("description is required");
    };
    let description = (!description.is_empty()).then_some(description);
    let outcome = state.world().set_description(&account, &jid, description);
    updated(outcome, "updating group description")
}

async fn set_picture(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let account = or_respond!(instance(&name));
    let body: Value = or_respond!(parse(&body));
    let jid = or_respond!(group_jid(Some(&body), &query));
    let Some(image) = body.get("image").and_then(Value::as_str) else {
        return bad_request("image is required");
    };
    // A URL is fetched by Evolution; the sandbox takes only the base64 of the image (a URL
    // would mean a request off loopback), as the emulator's choice.
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(image.trim()) else {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!([
                "Error updating group picture",
                "Image is not a URL or a base64"
            ]),
        );
    };
    let mime_type = if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else {
        "image/jpeg"
    };
    let icon = Icon {
        mime_type: mime_type.into(),
        bytes,
    };
    let outcome = state.world().set_icon(&account, &jid, Some(icon));
    updated(outcome, "updating group picture")
}

async fn invite_code(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let account = or_respond!(instance(&name));
    let jid = or_respond!(group_jid(None, &query));
    match state.world().invite_code(&account, &jid) {
        Ok(code) => axum::Json(json!({
            "inviteUrl": format!("https://chat.whatsapp.com/{code}"), "inviteCode": code
        }))
        .into_response(),
        Err(r) => refusal("fetching invite code", r),
    }
}

async fn revoke(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let account = or_respond!(instance(&name));
    let body: Value = if body.is_empty() {
        Value::Null
    } else {
        or_respond!(parse(&body))
    };
    let jid = or_respond!(group_jid(Some(&body), &query));
    match state.world().revoke_invite(&account, &jid) {
        Ok(code) => (
            StatusCode::CREATED,
            axum::Json(json!({"revoked": true, "inviteCode": code})),
        )
            .into_response(),
        Err(r) => refusal("revoking invite code", r),
    }
}

async fn invite_info(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    or_respond!(instance(&name));
    let code = or_respond!(invite_code_of(&query));
    let world = state.world();
    match world.find_invite(&code) {
        Ok((_, g)) => axum::Json(group_shape(BAILEYS, g, true)).into_response(),
        Err(_) => error(StatusCode::NOT_FOUND, json!(["No invite info", code])),
    }
}

async fn accept(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let account = or_respond!(instance(&name));
    let code = or_respond!(invite_code_of(&query));
    match state.world().account_joins(&account, &code) {
        Ok(id) => axum::Json(json!({"accepted": true, "groupJid": id})).into_response(),
        Err(r) => refusal("accepting invite code", r),
    }
}

async fn update_participant(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let account = or_respond!(instance(&name));
    let body: Value = or_respond!(parse(&body));
    let jid = or_respond!(group_jid(Some(&body), &query));
    let action = body.get("action").and_then(Value::as_str).unwrap_or("");
    let change = match action {
        "add" => None,
        "remove" => Some(MemberChange::Remove),
        "promote" => Some(MemberChange::Promote),
        "demote" => Some(MemberChange::Demote),
        _ => {
            return bad_request(
                "action must be equal to one of the allowed values: add, remove, promote, demote",
            );
        }
    };
    let people = or_respond!(numbers(body.get("participants"), "participants"));
    let mut world = state.world();
    let outcomes = match change {
        None => world.add_members(&account, &jid, &people),
        Some(change) => world.change_members(&account, &jid, &people, change),
    };
    match outcomes {
        // 201 whatever happened to each person: Baileys' nodes carry each one's status.
        Ok(outcomes) => (
            StatusCode::CREATED,
            axum::Json(json!({
                "updateParticipants": change_results(BAILEYS, change.is_none(), &outcomes)
            })),
        )
            .into_response(),
        Err(r) => refusal("updating participants", r),
    }
}

async fn update_setting(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let account = or_respond!(instance(&name));
    let body: Value = or_respond!(parse(&body));
    let jid = or_respond!(group_jid(Some(&body), &query));
    let action = body.get("action").and_then(Value::as_str).unwrap_or("");
    let change: fn(&mut crate::state::Settings) = match action {
        "announcement" => |s| s.messages_admin_only = true,
        "not_announcement" => |s| s.messages_admin_only = false,
        "locked" => |s| s.info_admin_only = true,
        "unlocked" => |s| s.info_admin_only = false,
        _ => {
            return bad_request(
                "action must be equal to one of the allowed values: announcement, not_announcement, locked, unlocked",
            );
        }
    };
    match state.world().update_settings(&account, &jid, change) {
        // `{updateSetting: <void>}`: the undefined key is dropped by JSON.
        Ok(_) => (StatusCode::CREATED, axum::Json(json!({}))).into_response(),
        Err(r) => refusal("updating setting", r),
    }
}

async fn leave(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let account = or_respond!(instance(&name));
    let jid = or_respond!(group_jid(None, &query));
    match state.world().leave_group(&account, &jid) {
        Ok(()) => axum::Json(json!({"groupJid": jid, "leave": true})).into_response(),
        Err(r) => refusal("leaving group", r),
    }
}

async fn send_text(
    State(state): State<AppState>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let account = or_respond!(instance(&name));
    let body: Value = or_respond!(parse(&body));
    let (Some(number), Some(text)) = (
        body.get("number").and_then(Value::as_str),
        body.get("text").and_then(Value::as_str),
    ) else {
        return bad_request("number and text are required");
    };
    let me = account.me();
    let everyone = body.get("mentionsEveryOne").and_then(Value::as_bool) == Some(true);
    let mut mentions: Vec<String> = body
        .get("mentioned")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(|n| format!("{n}@c.us"))
                .collect()
        })
        .unwrap_or_default();
    if everyone {
        mentions = vec!["all".into()];
    }
    let mut world = state.world();
    // `createJid`: `@g.us` stays a group; a bare number is a person.
    let (chat, message) = if number.ends_with("@g.us") {
        match world.post_message(&account, number, me, text) {
            Ok(m) => (number.to_owned(), Some(m)),
            Err(r) => return refusal("sending message", r),
        }
    } else {
        let digits = number.split('@').next().unwrap_or(number);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return bad_request(format!("'{number}' is not a number"));
        }
        (format!("{digits}@c.us"), None)
    };
    let sent = world.record_sent(&chat, me, text, mentions, message.as_ref());
    let remote = chat.replace("@c.us", "@s.whatsapp.net");
    (
        StatusCode::CREATED,
        axum::Json(json!({
            "key": {"remoteJid": remote, "fromMe": true, "id": sent.id},
            "pushName": "", "status": "PENDING",
            "message": {"conversation": text},
            "messageType": "conversation", "messageTimestamp": sent.at,
            "instanceId": format!("sandbox-{name}"), "source": "unknown",
        })),
    )
        .into_response()
}
