//! WAHA's group API: routes, `X-Api-Key` auth, NestJS error bodies, and the engine-raw
//! response shapes of WEBJS, NOWEB and GOWS (see `../shared/api/REFERENCE.md` A1–A5).

// Helpers return a finished error `Response` for handlers to send as is; boxing it would
// only add noise to a test server's cold paths.
#![allow(clippy::result_large_err)]

mod shapes;

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{Value, json};

pub use shapes::Engine;

use crate::AppState;
use crate::state::{Account, Group, Icon, MemberChange, Refusal, WAHA_ME, World};

/// The WAHA routes, mounted under `/api`.
pub(crate) fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/sendText", post(send_text))
        .route("/{session}/groups", get(list_groups).post(create_group))
        .route("/{session}/groups/count", get(count_groups))
        .route("/{session}/groups/join", post(join_group))
        .route("/{session}/groups/join-info", get(join_info))
        .route("/{session}/groups/refresh", post(refresh))
        .route(
            "/{session}/groups/{id}",
            get(get_group).delete(delete_group),
        )
        .route("/{session}/groups/{id}/leave", post(leave_group))
        .route("/{session}/groups/{id}/subject", put(set_subject))
        .route("/{session}/groups/{id}/description", put(set_description))
        .route(
            "/{session}/groups/{id}/picture",
            get(get_picture).put(set_picture).delete(delete_picture),
        )
        .route(
            "/{session}/groups/{id}/settings/security/{setting}",
            get(get_setting).put(put_setting),
        )
        .route("/{session}/groups/{id}/invite-code", get(invite_code))
        .route(
            "/{session}/groups/{id}/invite-code/revoke",
            post(revoke_invite),
        )
        .route("/{session}/groups/{id}/participants", get(participants_v1))
        .route("/{session}/groups/{id}/participants/", get(participants_v1))
        .route(
            "/{session}/groups/{id}/participants/v2",
            get(participants_v2),
        )
        .route(
            "/{session}/groups/{id}/participants/add",
            post(add_participants),
        )
        .route(
            "/{session}/groups/{id}/participants/remove",
            post(remove_participants),
        )
        .route("/{session}/groups/{id}/admin/promote", post(promote))
        .route("/{session}/groups/{id}/admin/demote", post(demote))
        .route(
            "/{session}/groups/{id}/participants/join-requests",
            get(join_requests),
        )
        .route(
            "/{session}/groups/{id}/participants/join-requests/approve",
            post(approve_requests),
        )
        .route(
            "/{session}/groups/{id}/participants/join-requests/reject",
            post(reject_requests),
        )
        .layer(middleware::from_fn_with_state(state, require_api_key))
}

// ---------------------------------------------------------------------------------------
// Auth, sessions, errors

/// A NestJS `HttpException` body: `{statusCode, message, error}`.
fn nest_error(status: StatusCode, message: impl Into<Value>) -> Response {
    let mut body = json!({"statusCode": status.as_u16(), "message": message.into()});
    if let Some(reason) = status.canonical_reason() {
        body["error"] = reason.into();
    }
    (status, axum::Json(body)).into_response()
}

/// What WAHA's exception filter makes of an engine error: a 500 with `exception`.
fn engine_error(engine: Engine, message: &str) -> Response {
    let body = json!({
        "statusCode": 500,
        "timestamp": "2026-08-02T12:00:00.000Z",
        "exception": {"message": message, "name": "Error", "stack": format!("Error: {message}")},
        "version": {"version": "2026.8.2", "engine": engine.name(), "tier": "CORE"},
    });
    (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response()
}

fn refusal(engine: Engine, refusal: Refusal) -> Response {
    match refusal {
        Refusal::UnknownGroup(id) => {
            engine_error(engine, &format!("Group with id '{id}' not found"))
        }
        Refusal::NotAdmin | Refusal::Superadmin(_) => engine_error(engine, "not-authorized"),
        Refusal::NotInGroup => engine_error(engine, "not-authorized"),
        Refusal::NotParticipant(id) => engine_error(engine, &format!("Participant {id} not found")),
        Refusal::AlreadyParticipant(id) => {
            engine_error(engine, &format!("{id} is already a participant (conflict)"))
        }
        Refusal::UnknownInvite => engine_error(engine, "item-not-found: invite code not found"),
        Refusal::NoIcon => engine_error(engine, "item-not-found: the group has no picture"),
        Refusal::TooManyGroups => engine_error(engine, "too many groups"),
    }
}

/// WAHA's API-key middleware: the `X-Api-Key` header, or the `x-api-key` query parameter.
async fn require_api_key(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let header = request
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let query = request.uri().query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| k.eq_ignore_ascii_case("x-api-key"))
            .map(|(_, v)| v.to_owned())
    });
    if header.or(query).as_deref() == Some(state.config.api_key.as_str()) {
        next.run(request).await
    } else {
        // [26.8] sends this exact body, with no `error` key.
        let body = json!({"statusCode": 401, "message": "Unauthorized"});
        (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response()
    }
}

/// The WAHA session named in the path: it exists, and answers with its engine's shapes.
/// Extracting it rejects an unknown session with WAHA's 404 body.
pub(crate) struct Session {
    name: String,
    account: Account,
    engine: Engine,
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Session, Response> {
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let name = params.get("session").cloned().unwrap_or_default();
        let (account, engine) = session(state, &name)?;
        Ok(Session {
            name,
            account,
            engine,
        })
    }
}

/// A session that exists, with its engine; otherwise WAHA's 404 body.
fn session(state: &AppState, name: &str) -> Result<(Account, Engine), Response> {
    let account = Account::Waha(name.to_owned());
    if !World::exists(&account) {
        return Err(nest_error(
            StatusCode::NOT_FOUND,
            format!(
                "We didn't find a session with name '{name}'.\nPlease start it first by using POST /api/sessions/{name}/start request"
            ),
        ));
    }
    let engine = match name {
        "webjs" => Engine::Webjs,
        "noweb" => Engine::Noweb,
        "gows" => Engine::Gows,
        _ => state.config.engine,
    };
    Ok((account, engine))
}

fn world(state: &AppState) -> std::sync::MutexGuard<'_, World> {
    state
        .world
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A string or boolean handler result: Express sends it as raw text/html, not JSON.
fn text(body: impl Into<String>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body.into(),
    )
        .into_response()
}

fn json_ok(value: Value) -> Response {
    axum::Json(value).into_response()
}

/// Parses a JSON body, answering NestJS's 400 for malformed JSON.
fn parse_body<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| nest_error(StatusCode::BAD_REQUEST, e.to_string()))
}

/// WAHA's `ensureSuffix` + `normalizeJid`: a bare number gets `@c.us`; `@s.whatsapp.net`
/// becomes `@c.us`; a device suffix is dropped. `None` when it is not a user id at all.
pub(crate) fn normalise_user_id(raw: &str) -> Option<String> {
    let (user, server) = raw.split_once('@').unwrap_or((raw, "c.us"));
    let user = user.split(':').next().unwrap_or(user);
    let server = match server {
        "c.us" | "s.whatsapp.net" => "c.us",
        "lid" => "lid",
        _ => return None,
    };
    let valid = (5..=20).contains(&user.len()) && user.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| format!("{user}@{server}"))
}

/// Resolves an id the client sent to the member id the world uses: a GOWS `@lid` maps back
/// to the phone id it was derived from.
fn resolve(group: Option<&Group>, id: &str) -> String {
    if id.ends_with("@lid") {
        if let Some(m) = group.and_then(|g| g.members.iter().find(|m| shapes::lid_of(&m.id) == id))
        {
            return m.id.clone();
        }
        if let Some(r) =
            group.and_then(|g| g.join_requests.iter().find(|r| shapes::lid_of(&r.id) == id))
        {
            return r.id.clone();
        }
    }
    id.to_owned()
}

#[derive(Deserialize)]
struct IdRef {
    id: String,
}

#[derive(Deserialize)]
struct ParticipantsBody {
    participants: Vec<IdRef>,
}

// ---------------------------------------------------------------------------------------
// Groups

#[derive(Deserialize)]
struct CreateBody {
    name: Option<Value>,
    #[serde(default)]
    participants: Vec<IdRef>,
}

/// `POST /api/{session}/groups` → 201 with the engine's create result.
async fn create_group(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    body: Bytes,
) -> Response {
    let body: CreateBody = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let subject = match body.name {
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        _ => {
            return nest_error(
                StatusCode::BAD_REQUEST,
                json!(["name must be a string", "name should not be empty"]),
            );
        }
    };
    if engine == Engine::Gows && subject.trim().is_empty() {
        return nest_error(
            StatusCode::BAD_REQUEST,
            "GOWS does not support empty group subject.",
        );
    }
    let mut members = Vec::new();
    let mut rejected = Vec::new();
    for IdRef { id } in body.participants {
        match normalise_user_id(&id) {
            Some(id) => members.push(id),
            None => rejected.push((id, 400)),
        }
    }
    let mut world = world(&state);
    match world.create_group(&account, &subject, &members) {
        Ok(group) => (
            StatusCode::CREATED,
            axum::Json(shapes::created(engine, &group, &rejected)),
        )
            .into_response(),
        Err(r) => refusal(engine, r),
    }
}

/// `GET /api/{session}/groups?limit&offset&sortBy&sortOrder&exclude`.
async fn list_groups(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut problems = Vec::new();
    let number = |key: &str, problems: &mut Vec<String>| -> Option<usize> {
        let raw = query.get(key)?;
        raw.parse::<usize>()
            .map_err(|_| {
                problems.push(format!(
                    "{key} must be a number conforming to the specified constraints"
                ))
            })
            .ok()
    };
    let limit = number("limit", &mut problems);
    let offset = number("offset", &mut problems).unwrap_or(0);
    let sort_by = query.get("sortBy").map(String::as_str);
    if !matches!(sort_by, None | Some("id" | "subject")) {
        problems.push("sortBy must be one of the following values: id, subject".into());
    }
    let sort_order = query.get("sortOrder").map(String::as_str);
    if !matches!(sort_order, None | Some("asc" | "desc")) {
        problems.push("sortOrder must be one of the following values: desc, asc".into());
    }
    let exclude_participants = query
        .get("exclude")
        .is_some_and(|e| e.split(',').any(|x| x == "participants"));
    if !problems.is_empty() {
        return nest_error(StatusCode::BAD_REQUEST, json!(problems));
    }
    let world = world(&state);
    let mut groups: Vec<&Group> = world.groups(&account).collect();
    if sort_by == Some("subject") {
        groups.sort_by(|a, b| a.subject.cmp(&b.subject).then_with(|| a.id.cmp(&b.id)));
    }
    if sort_order == Some("desc") {
        groups.reverse();
    }
    let page = groups
        .into_iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX));
    json_ok(shapes::group_list(engine, page, !exclude_participants))
}

async fn count_groups(State(state): State<AppState>, Session { account, .. }: Session) -> Response {
    json_ok(json!({"count": world(&state).groups(&account).count()}))
}

async fn refresh(_: Session) -> Response {
    json_ok(json!({"success": true}))
}

async fn get_group(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    match world(&state).group(&account, &id) {
        Ok(g) => json_ok(shapes::group(engine, g, true)),
        Err(r) => refusal(engine, r),
    }
}

async fn delete_group(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    if engine != Engine::Webjs {
        return nest_error(
            StatusCode::NOT_IMPLEMENTED,
            format!(
                "The method is not implemented by '{}' engine. Check the docs and try another engine: https://waha.devlike.pro/",
                engine.name()
            ),
        );
    }
    match world(&state).delete_group(&account, &id) {
        Ok(()) => text("true"),
        Err(Refusal::NotAdmin) => text("false"),
        Err(r) => refusal(engine, r),
    }
}

async fn leave_group(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    match world(&state).leave_group(&account, &id) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(r) => refusal(engine, r),
    }
}

/// The answer of WAHA routes that return WEBJS's boolean and nothing on other engines.
fn applied(engine: Engine, outcome: Result<(), Refusal>) -> Response {
    match (engine, outcome) {
        (Engine::Webjs, Ok(())) => text("true"),
        (Engine::Webjs, Err(Refusal::NotAdmin)) => text("false"),
        (_, Ok(())) => StatusCode::OK.into_response(),
        (_, Err(r)) => refusal(engine, r),
    }
}

async fn set_subject(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    #[derive(Deserialize)]
    struct Body {
        subject: String,
    }
    let body: Body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if body.subject.trim().is_empty() {
        return nest_error(
            StatusCode::BAD_REQUEST,
            format!("{} does not support empty group subject.", engine.name()),
        );
    }
    let outcome = world(&state).set_subject(&account, &id, &body.subject);
    applied(engine, outcome)
}

async fn set_description(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    #[derive(Deserialize)]
    struct Body {
        description: String,
    }
    let body: Body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if engine == Engine::Gows && body.description.is_empty() {
        return nest_error(
            StatusCode::BAD_REQUEST,
            "GOWS does not support empty group description.",
        );
    }
    let description = Some(body.description.as_str()).filter(|d| !d.is_empty());
    let outcome = world(&state).set_description(&account, &id, description);
    applied(engine, outcome)
}

// ---------------------------------------------------------------------------------------
// Picture

async fn get_picture(
    State(state): State<AppState>,
    headers: HeaderMap,
    Session {
        account, engine, ..
    }: Session,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    match world(&state).group(&account, &id) {
        Ok(g) if g.icon.is_some() => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("127.0.0.1");
            let encoded: String = g.id.replace('@', "%40");
            json_ok(json!({"url": format!("http://{host}/_sandbox/icons/{encoded}")}))
        }
        Ok(_) => json_ok(json!({"url": null})),
        Err(r) => refusal(engine, r),
    }
}

async fn set_picture(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    #[derive(Deserialize)]
    struct File {
        mimetype: String,
        data: Option<String>,
        url: Option<String>,
    }
    #[derive(Deserialize)]
    struct Body {
        file: File,
    }
    let body: Body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if !matches!(body.file.mimetype.as_str(), "image/jpeg" | "image/png") {
        return nest_error(
            StatusCode::BAD_REQUEST,
            "file.mimetype must be image/jpeg or image/png",
        );
    }
    let bytes = match (body.file.data, body.file.url) {
        (Some(data), _) => match base64::engine::general_purpose::STANDARD.decode(data.trim()) {
            Ok(bytes) if !bytes.is_empty() => bytes,
            _ => {
                return nest_error(
                    StatusCode::BAD_REQUEST,
                    "file.data must be non-empty base64",
                );
            }
        },
        // The sandbox has no network: a URL is recorded as a one-byte placeholder.
        (None, Some(url)) if url.starts_with("https://") => url.into_bytes(),
        _ => {
            return nest_error(
                StatusCode::BAD_REQUEST,
                "file must have data (base64) or an https url",
            );
        }
    };
    let icon = Icon {
        mime_type: body.file.mimetype,
        bytes,
    };
    match world(&state).set_icon(&account, &id, Some(icon)) {
        Ok(()) => json_ok(json!({"success": true})),
        Err(r) => refusal(engine, r),
    }
}

async fn delete_picture(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    match world(&state).set_icon(&account, &id, None) {
        // Removing a picture that is not there succeeds on WhatsApp.
        Ok(()) | Err(Refusal::NoIcon) => json_ok(json!({"success": true})),
        Err(r) => refusal(engine, r),
    }
}

// ---------------------------------------------------------------------------------------
// Settings

/// The JSON key of each security setting route.
fn setting_key(setting: &str) -> Option<&'static str> {
    match setting {
        "info-admin-only" | "messages-admin-only" => Some("adminsOnly"),
        "member-add-mode" => Some("membersCanAddNewMember"),
        "membership-approval" => Some("newMembersApprovalRequired"),
        _ => None,
    }
}

async fn get_setting(
    State(state): State<AppState>,
    Session {
        account,
        engine,
        name,
    }: Session,
    Path((_, id, setting)): Path<(String, String, String)>,
) -> Response {
    let Some(key) = setting_key(&setting) else {
        return nest_error(
            StatusCode::NOT_FOUND,
            format!("Cannot GET /api/{name}/groups/{id}/settings/security/{setting}"),
        );
    };
    let world = world(&state);
    let group = match world.group(&account, &id) {
        Ok(g) => g,
        Err(r) => return refusal(engine, r),
    };
    let s = group.settings;
    let value = match setting.as_str() {
        "info-admin-only" => s.info_admin_only,
        "messages-admin-only" => s.messages_admin_only,
        "member-add-mode" => s.members_can_add,
        _ => s.approval_required,
    };
    json_ok(json!({ key: value }))
}

async fn put_setting(
    State(state): State<AppState>,
    Session {
        account,
        engine,
        name,
    }: Session,
    Path((_, id, setting)): Path<(String, String, String)>,
    body: Bytes,
) -> Response {
    let Some(key) = setting_key(&setting) else {
        return nest_error(
            StatusCode::NOT_FOUND,
            format!("Cannot PUT /api/{name}/groups/{id}/settings/security/{setting}"),
        );
    };
    let body: Value = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(value) = body.get(key).and_then(Value::as_bool) else {
        return nest_error(
            StatusCode::BAD_REQUEST,
            json!([format!("{key} must be a boolean value")]),
        );
    };
    let outcome = world(&state).update_settings(&account, &id, |s| match setting.as_str() {
        "info-admin-only" => s.info_admin_only = value,
        "messages-admin-only" => s.messages_admin_only = value,
        "member-add-mode" => s.members_can_add = value,
        _ => s.approval_required = value,
    });
    applied(engine, outcome.map(drop))
}

// ---------------------------------------------------------------------------------------
// Invites and joining

async fn invite_code(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    match world(&state).invite_code(&account, &id) {
        Ok(code) => text(shapes::invite(engine, &code)),
        Err(r) => refusal(engine, r),
    }
}

async fn revoke_invite(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    match world(&state).revoke_invite(&account, &id) {
        Ok(code) => text(shapes::invite(engine, &code)),
        Err(r) => refusal(engine, r),
    }
}

/// The code in a code or an invite link (WAHA's `parseGroupInviteLink`: the last segment).
pub(crate) fn code_of(code_or_link: &str) -> &str {
    code_or_link
        .trim()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
}

async fn join_group(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    body: Bytes,
) -> Response {
    #[derive(Deserialize)]
    struct Body {
        code: String,
    }
    let body: Body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    match world(&state).account_joins(&account, code_of(&body.code)) {
        Ok(id) => json_ok(json!({"id": id})),
        Err(r) => refusal(engine, r),
    }
}

async fn join_info(
    State(state): State<AppState>,
    Session {
        account: _, engine, ..
    }: Session,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(code) = query.get("code") else {
        return nest_error(StatusCode::BAD_REQUEST, json!(["code must be a string"]));
    };
    let world = world(&state);
    match world.find_invite(code_of(code)) {
        Ok((_, group)) => json_ok(shapes::group(engine, group, true)),
        Err(r) => refusal(engine, r),
    }
}

// ---------------------------------------------------------------------------------------
// Participants

async fn participants_v1(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    match world(&state).group(&account, &id) {
        Ok(g) => json_ok(Value::Array(
            g.members
                .iter()
                .map(|m| shapes::participant(engine, m))
                .collect(),
        )),
        Err(r) => refusal(engine, r),
    }
}

async fn participants_v2(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    match world(&state).group(&account, &id) {
        Ok(g) => json_ok(Value::Array(
            g.members
                .iter()
                .map(|m| shapes::participant_v2(engine, m))
                .collect(),
        )),
        Err(r) => refusal(engine, r),
    }
}

/// The WhatsApp status of one participant's outcome.
fn status_of(outcome: &Result<(), Refusal>) -> u16 {
    match outcome {
        Ok(()) => 200,
        Err(Refusal::AlreadyParticipant(_)) => 409,
        Err(Refusal::NotParticipant(_)) => 404,
        Err(_) => 403,
    }
}

/// Reads `{participants:[{id}]}` and resolves each id to a world member id.
fn requested_ids(
    state: &AppState,
    account: &Account,
    group_id: &str,
    body: &Bytes,
) -> Result<Vec<String>, Response> {
    let body: ParticipantsBody = parse_body(body)?;
    let world = world(state);
    let group = world.group(account, group_id).ok();
    body.participants
        .iter()
        .map(|p| {
            normalise_user_id(&p.id)
                .map(|id| resolve(group, &id))
                .ok_or_else(|| {
                    nest_error(
                        StatusCode::BAD_REQUEST,
                        format!("'{}' is not a valid participant id", p.id),
                    )
                })
        })
        .collect()
}

async fn change(
    state: AppState,
    Session {
        account, engine, ..
    }: Session,
    id: String,
    body: Bytes,
    change: Option<MemberChange>,
) -> Response {
    let people = match requested_ids(&state, &account, &id, &body) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let mut world = world(&state);
    let outcomes = match change {
        None => world.add_members(&account, &id, &people),
        Some(c) => world.change_members(&account, &id, &people, c),
    };
    match outcomes {
        Ok(outcomes) => {
            let coded: Vec<(String, u16)> = outcomes
                .iter()
                .map(|(id, o)| (id.clone(), status_of(o)))
                .collect();
            json_ok(shapes::change_results(engine, change.is_none(), &coded))
        }
        Err(r) => refusal(engine, r),
    }
}

async fn add_participants(
    State(state): State<AppState>,
    session: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    change(state, session, id, body, None).await
}

async fn remove_participants(
    State(state): State<AppState>,
    session: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    change(state, session, id, body, Some(MemberChange::Remove)).await
}

async fn promote(
    State(state): State<AppState>,
    session: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    change(state, session, id, body, Some(MemberChange::Promote)).await
}

async fn demote(
    State(state): State<AppState>,
    session: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    change(state, session, id, body, Some(MemberChange::Demote)).await
}

async fn join_requests(
    State(state): State<AppState>,
    Session {
        account, engine, ..
    }: Session,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    match world(&state).group(&account, &id) {
        Ok(g) => json_ok(Value::Array(
            g.join_requests
                .iter()
                .map(|r| {
                    let requester = if engine == Engine::Gows { shapes::lid_of(&r.id) } else { r.id.clone() };
                    json!({"requesterId": requester, "requesterPn": r.id, "addedById": null,
                           "parentGroupId": null, "requestMethod": "invite_link", "timestamp": r.at})
                })
                .collect(),
        )),
        Err(r) => refusal(engine, r),
    }
}

async fn answer(
    state: AppState,
    Session {
        account, engine, ..
    }: Session,
    id: String,
    body: Bytes,
    approve: bool,
) -> Response {
    let people = match requested_ids(&state, &account, &id, &body) {
        Ok(p) => p,
        Err(r) => return r,
    };
    match world(&state).answer_join_requests(&account, &id, &people, approve) {
        Ok(outcomes) => json_ok(Value::Array(
            outcomes
                .iter()
                .map(|(id, o)| match o {
                    Ok(()) => json!({"requesterId": id, "success": true}),
                    Err(_) => json!({"requesterId": id, "success": false, "error": 404}),
                })
                .collect(),
        )),
        Err(r) => refusal(engine, r),
    }
}

async fn approve_requests(
    State(state): State<AppState>,
    session: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    answer(state, session, id, body, true).await
}

async fn reject_requests(
    State(state): State<AppState>,
    session: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    answer(state, session, id, body, false).await
}

// ---------------------------------------------------------------------------------------
// Messages

/// `POST /api/sendText` → 201 with the engine's message.
async fn send_text(State(state): State<AppState>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        #[serde(default)]
        session: Option<String>,
        chat_id: String,
        text: String,
    }
    let body: Body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let name = body.session.unwrap_or_else(|| "default".into());
    let (account, engine) = match session(&state, &name) {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !body.chat_id.ends_with("@g.us") {
        // Direct chats are outside the sandbox's scope: it emulates groups.
        return nest_error(
            StatusCode::BAD_REQUEST,
            "the sandbox only delivers to groups (…@g.us)",
        );
    }
    let mut world = world(&state);
    if let Err(r) = world.group(&account, &body.chat_id) {
        return refusal(engine, r);
    }
    match world.post_message(&account, &body.chat_id, WAHA_ME, &body.text) {
        Ok(m) => (
            StatusCode::CREATED,
            axum::Json(shapes::sent(engine, &body.chat_id, WAHA_ME, &m)),
        )
            .into_response(),
        Err(r) => refusal(engine, r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_normalise_like_waha() {
        assert_eq!(
            normalise_user_id("5511988880000").as_deref(),
            Some("5511988880000@c.us")
        );
        assert_eq!(
            normalise_user_id("5511988880000:3@s.whatsapp.net").as_deref(),
            Some("5511988880000@c.us")
        );
        assert_eq!(
            normalise_user_id("766996770121@lid").as_deref(),
            Some("766996770121@lid")
        );
        assert_eq!(normalise_user_id("1@g.us"), None);
        assert_eq!(normalise_user_id("abc"), None);
    }

    #[test]
    fn invite_links_reduce_to_their_code() {
        assert_eq!(code_of("https://chat.whatsapp.com/AbC123"), "AbC123");
        assert_eq!(code_of("AbC123"), "AbC123");
    }
}
