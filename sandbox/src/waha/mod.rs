//! WAHA's group API: routes, `X-Api-Key` auth, NestJS error bodies, and the engine-raw
//! response shapes of WEBJS, NOWEB and GOWS (see `../shared/api/REFERENCE.md` A1–A5).

// Helpers return a finished error `Response` for handlers to send as is; boxing it would
// only add noise to a test server's cold paths.
#![allow(clippy::result_large_err)]

mod contacts;
mod groups;
mod lids;
mod members;
mod settings;
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
pub(crate) use shapes::{
    Dialect, change_results, group as group_shape, lid_of, listed_id,
    participant as participant_shape, participant_v2,
};

use crate::state::{Account, Group, Icon, MAX_PARTICIPANTS, MemberChange, Refusal, WAHA_ME, World};
use crate::{AppState, Config};
use contacts::*;
pub(crate) use groups::code_of;
use groups::*;
use lids::*;
use members::*;
use settings::*;

/// The WAHA routes, mounted under `/api`.
pub(crate) fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/sendText", post(send_text))
        .route("/contacts", get(get_contact))
        .route("/{session}/lids", get(list_lids))
        .route("/{session}/lids/count", get(count_lids))
        .route("/{session}/lids/pn/{phone_number}", get(pn_to_lid))
        .route("/{session}/lids/{lid}", get(lid_to_pn))
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
        Refusal::NotOnWhatsApp(id) => engine_error(engine, &format!("{id}: 404 not on WhatsApp")),
        Refusal::RecentlyLeft(id) => engine_error(engine, &format!("{id}: 408 recently left")),
        Refusal::GroupFull(id) => engine_error(engine, &format!("{id}: 419 group full")),
        Refusal::UnknownInvite => engine_error(engine, "item-not-found: invite code not found"),
        Refusal::NoIcon => engine_error(engine, "item-not-found: the group has no picture"),
        Refusal::TooManyGroups => engine_error(engine, "too many groups"),
        Refusal::AddRequest { id, .. } => engine_error(engine, &format!("{id}: 403 add_request")),
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
    dialect: Dialect,
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Session, Response> {
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let name = params.get("session").cloned().unwrap_or_default();
        let (account, dialect) = session(state, &name)?;
        Ok(Session {
            name,
            account,
            engine: dialect.engine,
            dialect,
        })
    }
}

/// A route under `/api/{session}/groups/{id}`: the session (as [`Session`]) and the
/// group id, percent-decoded.
pub(crate) struct GroupRoute {
    account: Account,
    engine: Engine,
    dialect: Dialect,
    id: String,
}

impl FromRequestParts<AppState> for GroupRoute {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<GroupRoute, Response> {
        let Session {
            account,
            engine,
            dialect,
            ..
        } = Session::from_request_parts(parts, state).await?;
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let id = params.get("id").cloned().unwrap_or_default();
        Ok(GroupRoute {
            account,
            engine,
            dialect,
            id,
        })
    }
}

/// Unwraps a `Result<T, Response>`, returning the response from the handler on `Err`.
macro_rules! or_respond {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(response) => return response,
        }
    };
}
pub(crate) use or_respond;

/// How session `name` speaks. `webjs`, `noweb` and `gows` always use their engine, any
/// other session `--engine`. GOWS groups are LID-addressed; so are the `noweb` session's
/// (Baileys `addressingMode: "lid"`), while `default` on NOWEB stays phone-addressed, so
/// both Baileys shapes can be met (research §4); WEBJS lists phones.
pub(crate) fn dialect_of(config: &Config, name: &str) -> Dialect {
    let engine = match name {
        "webjs" => Engine::Webjs,
        "noweb" => Engine::Noweb,
        "gows" => Engine::Gows,
        _ => config.engine,
    };
    let lid = match engine {
        Engine::Webjs => false,
        Engine::Noweb => name == "noweb",
        Engine::Gows => true,
    };
    Dialect { engine, lid }
}

/// A session that exists, with how it speaks; otherwise WAHA's 404 body.
fn session(state: &AppState, name: &str) -> Result<(Account, Dialect), Response> {
    let account = Account::Waha(name.to_owned());
    if !World::exists(&account) {
        return Err(nest_error(
            StatusCode::NOT_FOUND,
            format!(
                "We didn't find a session with name '{name}'.\nPlease start it first by using POST /api/sessions/{name}/start request"
            ),
        ));
    }
    Ok((account, dialect_of(&state.config, name)))
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

/// Resolves the ids a client sent to the ids the world uses: a `@lid` of a member (or of
/// someone asking to join) maps back to the phone id it was derived from. One hashed index
/// of the group, built only when a LID was sent: linear, whatever the list's length.
fn resolve(group: Option<&Group>, ids: Vec<String>) -> Vec<String> {
    let Some(group) = group.filter(|_| ids.iter().any(|id| id.ends_with("@lid"))) else {
        return ids;
    };
    let by_lid: HashMap<String, &str> = group
        .members
        .iter()
        .map(|m| m.id.as_str())
        .chain(group.join_requests.iter().map(|r| r.id.as_str()))
        .filter(|id| !id.ends_with("@lid"))
        .map(|id| (shapes::lid_of(id), id))
        .collect();
    ids.into_iter()
        .map(|id| match by_lid.get(&id) {
            Some(phone) => (*phone).to_owned(),
            None => id,
        })
        .collect()
}

/// NestJS's 400 for a participants list longer than the sandbox takes (class-validator's
/// `ArrayMaxSize` wording), before any work is done.
fn too_many_participants(count: usize) -> Option<Response> {
    (count > MAX_PARTICIPANTS).then(|| {
        nest_error(
            StatusCode::BAD_REQUEST,
            json!([format!(
                "participants must contain no more than {MAX_PARTICIPANTS} elements"
            )]),
        )
    })
}

#[derive(Deserialize)]
struct IdRef {
    id: String,
}

#[derive(Deserialize)]
struct ParticipantsBody {
    participants: Vec<IdRef>,
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
