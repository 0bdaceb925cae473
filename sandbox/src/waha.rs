//! WAHA's group API: routes, `X-Api-Key` auth, NestJS error bodies, and the engine-raw
//! response shapes (WEBJS for now; see `../shared/api/REFERENCE.md` A2–A4).

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::state::{Account, Group, Member, Role, World};

/// The WAHA routes, mounted under `/api`.
pub(crate) fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/{session}/groups", get(list_groups).post(create_group))
        .layer(middleware::from_fn_with_state(state, require_api_key))
}

/// A NestJS `HttpException` body: `{statusCode, message, error}`.
fn nest_error(status: StatusCode, message: impl Into<Value>) -> Response {
    let mut body = json!({"statusCode": status.as_u16(), "message": message.into()});
    if let Some(reason) = status.canonical_reason() {
        body["error"] = reason.into();
    }
    (status, axum::Json(body)).into_response()
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
        (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"statusCode": 401, "message": "Unauthorized"})),
        )
            .into_response()
    }
}

fn session_not_found(session: &str) -> Response {
    nest_error(
        StatusCode::NOT_FOUND,
        format!(
            "We didn't find a session with name '{session}'.\nPlease start it first by using POST /api/sessions/{session}/start request"
        ),
    )
}

/// WEBJS spells ids as `{server, user, _serialized}`.
fn webjs_id(id: &str) -> Value {
    let (user, server) = id.split_once('@').unwrap_or((id, ""));
    json!({"server": server, "user": user, "_serialized": id})
}

fn webjs_participant(member: &Member) -> Value {
    json!({
        "id": webjs_id(&member.id),
        "isAdmin": member.role != Role::Member,
        "isSuperAdmin": member.role == Role::Superadmin,
    })
}

/// A WEBJS `GroupChat`, as `GET /groups` and `GET /groups/{id}` return it.
fn webjs_group(group: &Group, with_participants: bool) -> Value {
    let participants: Vec<Value> = if with_participants {
        group.members.iter().map(webjs_participant).collect()
    } else {
        Vec::new()
    };
    let mut metadata = json!({
        "id": webjs_id(&group.id),
        "creation": group.created_at,
        "owner": webjs_id(&group.creator),
        "subject": group.subject,
        "subjectTime": group.created_at,
        "restrict": false,
        "announce": false,
        "membershipApprovalMode": false,
        "size": group.members.len(),
        "isLidAddressingMode": false,
        "participants": participants,
        "pendingParticipants": [],
        "pastParticipants": [],
        "membershipApprovalRequests": [],
    });
    if let Some(desc) = &group.description {
        metadata["desc"] = desc.as_str().into();
    }
    json!({
        "groupMetadata": metadata,
        "id": webjs_id(&group.id),
        "name": group.subject,
        "isGroup": true,
        "isReadOnly": false,
        "unreadCount": 0,
        "timestamp": group.created_at,
        "archived": false,
        "pinned": false,
        "isMuted": false,
        "muteExpiration": 0,
    })
}

#[derive(Deserialize)]
struct CreateBody {
    name: Option<Value>,
    #[serde(default)]
    participants: Vec<IdRef>,
}

#[derive(Deserialize)]
struct IdRef {
    id: String,
}

/// WAHA's `ensureSuffix` + `normalizeJid`: a bare number gets `@c.us`; `@s.whatsapp.net`
/// becomes `@c.us`; a device suffix is dropped. `None` when it is not a user id at all.
fn normalise_user_id(raw: &str) -> Option<String> {
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

/// `POST /api/{session}/groups` → 201 with WEBJS's `createGroup` result.
async fn create_group(
    State(state): State<AppState>,
    Path(session): Path<String>,
    body: Bytes,
) -> Response {
    let body: CreateBody = match serde_json::from_slice(&body) {
        Ok(body) => body,
        Err(e) => return nest_error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let name = match body.name {
        Some(Value::String(name)) if !name.trim().is_empty() => name,
        _ => {
            return nest_error(
                StatusCode::BAD_REQUEST,
                json!(["name must be a string", "name should not be empty"]),
            );
        }
    };
    let account = Account::Waha(session.clone());
    if !World::exists(&account) {
        return session_not_found(&session);
    }
    let mut world = state.world.lock().expect("sandbox state lock");
    let mut results = serde_json::Map::new();
    let mut members = Vec::new();
    for IdRef { id } in body.participants {
        match normalise_user_id(&id) {
            Some(id) => {
                results.insert(
                    id.clone(),
                    json!({"statusCode": 200, "message": "The participant was added successfully",
                           "isGroupCreator": false, "isInviteV4Sent": false}),
                );
                members.push(id);
            }
            None => {
                results.insert(
                    id,
                    json!({"statusCode": 400, "message": "The participant id is not valid",
                           "isGroupCreator": false, "isInviteV4Sent": false}),
                );
            }
        }
    }
    let Ok(group) = world.create_group(&account, &name, &members) else {
        return nest_error(StatusCode::INTERNAL_SERVER_ERROR, "too many groups");
    };
    let body = json!({"title": group.subject, "gid": webjs_id(&group.id), "participants": results});
    (StatusCode::CREATED, axum::Json(body)).into_response()
}

/// `GET /api/{session}/groups?limit&offset&sortBy&sortOrder&exclude` → WEBJS array.
async fn list_groups(
    State(state): State<AppState>,
    Path(session): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut problems = Vec::new();
    let number = |name: &str, problems: &mut Vec<String>| -> Option<usize> {
        let raw = query.get(name)?;
        match raw.parse::<usize>() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.push(format!(
                    "{name} must be a number conforming to the specified constraints"
                ));
                None
            }
        }
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

    let account = Account::Waha(session.clone());
    if !World::exists(&account) {
        return session_not_found(&session);
    }
    let world = state.world.lock().expect("sandbox state lock");
    let mut groups: Vec<&Group> = world.groups(&account).collect();
    match sort_by {
        Some("subject") => groups.sort_by(|a, b| a.subject.cmp(&b.subject)),
        _ => groups.sort_by(|a, b| a.id.cmp(&b.id)),
    }
    if sort_order == Some("desc") {
        groups.reverse();
    }
    let page: Vec<Value> = groups
        .into_iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .map(|g| webjs_group(g, !exclude_participants))
        .collect();
    axum::Json(Value::Array(page)).into_response()
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
}
