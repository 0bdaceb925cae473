//! The Wavy Messaging WhatsApp Groups API (`../shared/api/wavy-groups-api.md`, REFERENCE.md
//! Part B): routes under `/v1/whatsapp`, `userName` + `authenticationToken` auth, and the
//! documented response shapes. Where the doc is silent, the choice made here is listed in
//! `sandbox/README.md` ("Wavy emulator choices").

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::AppState;
use crate::state::{Account, Group, Icon, MemberChange, Refusal, Role, WAVY_ME};

/// The documented limit of a subject, in characters (not bytes).
const SUBJECT_MAX_CHARS: usize = 25;

/// The Wavy routes, mounted under `/v1/whatsapp`.
pub(crate) fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/send", post(send))
        .route("/groups", get(list_groups).post(create_group))
        .route("/groups/{id}", get(group_info).put(set_subject))
        .route(
            "/groups/{id}/invite",
            get(invite_link).delete(revoke_invite),
        )
        .route("/groups/{id}/participants", delete(remove_participants))
        .route("/groups/{id}/leave", post(leave))
        .route(
            "/groups/{id}/icon",
            get(icon).post(set_icon).delete(remove_icon),
        )
        .route("/groups/{id}/admins", patch(promote).delete(demote))
        .fallback(unknown_route)
        .layer(middleware::from_fn_with_state(state, require_credentials))
}

type Answer = Result<Response, WavyError>;

/// A failed request: the emulator's error body (the doc shows none),
/// `{"errorCode": <status>, "errorMessage": "…"}`.
#[derive(Debug)]
pub(crate) struct WavyError {
    status: StatusCode,
    message: String,
}

fn wavy_error(status: StatusCode, message: impl Into<String>) -> WavyError {
    WavyError {
        status,
        message: message.into(),
    }
}

fn bad_request(message: impl Into<String>) -> WavyError {
    wavy_error(StatusCode::BAD_REQUEST, message)
}

impl IntoResponse for WavyError {
    fn into_response(self) -> Response {
        let body = json!({"errorCode": self.status.as_u16(), "errorMessage": self.message});
        (self.status, Json(body)).into_response()
    }
}

/// Every refusal of the world, as Wavy answers it. The one place statuses are chosen.
impl From<Refusal> for WavyError {
    fn from(refusal: Refusal) -> WavyError {
        use StatusCode as S;
        match refusal {
            Refusal::UnknownGroup(_) | Refusal::NotInGroup => {
                wavy_error(S::NOT_FOUND, "group not found")
            }
            Refusal::NotAdmin => wavy_error(S::FORBIDDEN, "only group admins can do this"),
            // The doc's wording for promote, demote, remove and leave.
            Refusal::NotParticipant(_) => bad_request("phone not found"),
            Refusal::AlreadyParticipant(_) => bad_request("phone already in the group"),
            Refusal::Superadmin(_) => bad_request("the group creator cannot be removed or demoted"),
            Refusal::UnknownInvite => wavy_error(S::NOT_FOUND, "invite not found"),
            Refusal::NoIcon => wavy_error(S::NOT_FOUND, "group has no icon"),
            Refusal::TooManyGroups => bad_request("too many groups"),
            // Wavy cannot add anyone directly (only through the invite link).
            Refusal::NotOnWhatsApp(_) => bad_request("phone is not on WhatsApp"),
            Refusal::RecentlyLeft(_) => bad_request("phone left the group recently"),
            Refusal::GroupFull(_) => bad_request("the group is full"),
            Refusal::AddRequest { .. } => {
                wavy_error(S::FORBIDDEN, "this person's privacy settings refuse adds")
            }
        }
    }
}

/// `userName` and `authenticationToken` must both match (header names are case-insensitive).
async fn require_credentials(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    // A block, so no borrow of the (non-`Sync`) request is held across the await.
    let authorised = {
        let headers = request.headers();
        let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
        header("username") == Some(state.config.wavy_user.as_str())
            && header("authenticationtoken") == Some(state.config.wavy_token.as_str())
    };
    if authorised {
        next.run(request).await
    } else {
        wavy_error(
            StatusCode::UNAUTHORIZED,
            "invalid userName or authenticationToken",
        )
        .into_response()
    }
}

async fn unknown_route() -> WavyError {
    wavy_error(StatusCode::NOT_FOUND, "no such route")
}

/// A JSON body; an unreadable or malformed one is a 400 (a too-large one, axum's 413).
fn json_body<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, WavyError> {
    let bytes = raw_body(body)?;
    serde_json::from_slice(&bytes).map_err(|e| bad_request(format!("malformed JSON: {e}")))
}

fn raw_body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, WavyError> {
    body.map_err(|rejection| wavy_error(rejection.status(), rejection.body_text()))
}

/// A subject: required, not blank, at most 25 characters.
fn subject(subject: Option<String>) -> Result<String, WavyError> {
    match subject {
        Some(s) if s.chars().count() > SUBJECT_MAX_CHARS => {
            Err(bad_request("subject is limited to 25 characters"))
        }
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(bad_request("subject is required")),
    }
}

/// Wavy's legacy group id: `<digits>-<digits>`.
fn looks_like_group_id(id: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    id.split_once('-')
        .is_some_and(|(creator, time)| digits(creator) && digits(time))
}

#[derive(Deserialize)]
struct SendBody {
    #[serde(default)]
    destinations: Vec<Destination>,
    message: Option<MessageBody>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Destination {
    destination: Option<String>,
    recipient_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MessageBody {
    message_text: Option<String>,
}

/// `POST /send` → `[{"id"}]`, one per destination. Every destination is checked before any
/// message is recorded, so a refused request sends nothing.
async fn send(State(state): State<AppState>, body: Result<Bytes, BytesRejection>) -> Answer {
    let body: SendBody = json_body(body)?;
    let text = body
        .message
        .and_then(|m| m.message_text)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| bad_request("message.messageText is required"))?;
    if body.destinations.is_empty() {
        return Err(bad_request("destinations is required"));
    }
    let mut world = state.world();
    // `Some(id)` for a group, `None` for a direct message (recorded for `/_sandbox/messages`).
    let mut targets = Vec::new();
    for destination in &body.destinations {
        let to = destination
            .destination
            .as_deref()
            .filter(|d| !d.is_empty())
            .ok_or_else(|| bad_request("destinations[].destination is required"))?;
        if destination.recipient_type.as_deref() == Some("group") {
            let group = world.group(&Account::Wavy, to)?;
            if group.settings.messages_admin_only && !group.is_admin(WAVY_ME) {
                return Err(Refusal::NotAdmin.into());
            }
            targets.push(Some(to.to_owned()));
        } else if looks_like_group_id(to) {
            return Err(bad_request(
                "recipientType must be \"group\" for a group destination",
            ));
        } else if to.bytes().all(|b| b.is_ascii_digit()) {
            targets.push(None);
        } else {
            return Err(bad_request(
                "destination is not a phone number or a group id",
            ));
        }
    }
    let mut ids = Vec::new();
    for (target, destination) in targets.into_iter().zip(&body.destinations) {
        let id = match target {
            Some(group) => {
                let message = world.post_message(&Account::Wavy, &group, WAVY_ME, &text)?;
                world.record_sent(&group, WAVY_ME, &text, Vec::new(), Some(&message));
                message.id
            }
            None => {
                let to = destination.destination.as_deref().unwrap_or_default();
                world.record_sent(to, WAVY_ME, &text, Vec::new(), None).id
            }
        };
        ids.push(json!({"id": id}));
    }
    Ok(Json(Value::Array(ids)).into_response())
}

#[derive(Deserialize)]
struct SubjectBody {
    subject: Option<String>,
}

/// `POST /groups` → `{"groups":[{"creation_time","id"}]}`.
async fn create_group(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let body: SubjectBody = json_body(body)?;
    let subject = subject(body.subject)?;
    let (group, _) = state.world().create_group(&Account::Wavy, &subject, &[])?;
    let body = json!({"groups": [{"creation_time": group.created_at, "id": group.id}]});
    Ok(Json(body).into_response())
}

/// `GET /groups` → the ids of the groups the account is in.
async fn list_groups(State(state): State<AppState>) -> Response {
    let world = state.world();
    let groups: Vec<Value> = world
        .groups(&Account::Wavy)
        .map(|group| json!({"id": group.id}))
        .collect();
    Json(json!({"groups": groups})).into_response()
}

fn group_json(group: &Group) -> Value {
    let ids = |admins_only: bool| -> Vec<&str> {
        group
            .members
            .iter()
            .filter(|m| !admins_only || m.role != Role::Member)
            .map(|m| m.id.as_str())
            .collect()
    };
    json!({
        "admins": ids(true),
        "creation_time": group.created_at,
        "creator": group.creator,
        "id": group.id,
        "participants": ids(false),
        "subject": group.subject,
    })
}

/// `GET /groups/{id}` → `{"groups":[{admins, creation_time, creator, id, participants, subject}]}`.
async fn group_info(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    let world = state.world();
    let group = world.group(&Account::Wavy, &id)?;
    Ok(Json(json!({"groups": [group_json(group)]})).into_response())
}

/// `PUT /groups/{id}` `{"subject"}` → `null`.
async fn set_subject(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let body: SubjectBody = json_body(body)?;
    let subject = subject(body.subject)?;
    state.world().set_subject(&Account::Wavy, &id, &subject)?;
    Ok(Json(Value::Null).into_response())
}

/// `GET /groups/{id}/invite` → `{"groups":[{"link"}]}`.
async fn invite_link(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    let code = state.world().invite_code(&Account::Wavy, &id)?;
    let link = format!("https://chat.whatsapp.com/{code}");
    Ok(Json(json!({"groups": [{"link": link}]})).into_response())
}

/// `DELETE /groups/{id}/invite` → `{}`; the old link stops working.
async fn revoke_invite(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    state.world().revoke_invite(&Account::Wavy, &id)?;
    Ok(Json(json!({})).into_response())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WaIdsBody {
    wa_ids: Option<Vec<String>>,
}

/// Remove, promote or demote everyone in `{"waIds"}`, or no one → `null`.
async fn change_members(
    state: &AppState,
    id: &str,
    body: Result<Bytes, BytesRejection>,
    change: MemberChange,
) -> Answer {
    let body: WaIdsBody = json_body(body)?;
    let mut people: Vec<String> = Vec::new();
    for person in body.wa_ids.unwrap_or_default() {
        // The doc's own example repeats a number; once is enough.
        if !people.contains(&person) {
            people.push(person);
        }
    }
    if people.is_empty() {
        return Err(bad_request("waIds is required"));
    }
    state
        .world()
        .change_members_atomically(&Account::Wavy, id, &people, change)?;
    Ok(Json(Value::Null).into_response())
}

/// `DELETE /groups/{id}/participants` `{"waIds"}`.
async fn remove_participants(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    change_members(&state, &id, body, MemberChange::Remove).await
}

/// `PATCH /groups/{id}/admins` `{"waIds"}`.
async fn promote(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    change_members(&state, &id, body, MemberChange::Promote).await
}

/// `DELETE /groups/{id}/admins` `{"waIds"}`.
async fn demote(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    change_members(&state, &id, body, MemberChange::Demote).await
}

/// `POST /groups/{id}/leave` → `null`. A group the account has already left is the doc's
/// "phone not found" (400); one it never had is 404.
async fn leave(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    let mut world = state.world();
    match world.leave_group(&Account::Wavy, &id) {
        Ok(()) => Ok(Json(Value::Null).into_response()),
        Err(Refusal::UnknownGroup(_)) if world.owner_of(&id) == Some(Account::Wavy) => {
            Err(Refusal::NotParticipant(WAVY_ME.to_owned()).into())
        }
        Err(refusal) => Err(refusal.into()),
    }
}

/// The image types an icon may have, and the file extension each gets.
fn icon_extension(mime_type: &str) -> Option<&'static str> {
    match mime_type {
        "image/jpeg" => Some("jpeg"),
        "image/png" => Some("png"),
        _ => None,
    }
}

/// `POST /groups/{id}/icon` with the raw image and its `Content-Type` → `{}`.
async fn set_icon(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let bytes = raw_body(body)?;
    let mime_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase())
        .filter(|value| icon_extension(value).is_some())
        .ok_or_else(|| bad_request("Content-Type must be image/jpeg or image/png"))?;
    if bytes.is_empty() {
        return Err(bad_request("the image is empty"));
    }
    let icon = Icon {
        mime_type,
        bytes: bytes.to_vec(),
    };
    state.world().set_icon(&Account::Wavy, &id, Some(icon))?;
    Ok(Json(json!({})).into_response())
}

/// `GET /groups/{id}/icon` → the doc's `{"type":"URL",…,"data":"<url>"}`, the URL being the
/// sandbox's own `/_sandbox/icons/{id}` on the host the request came to.
async fn icon(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Answer {
    let world = state.world();
    let group = world.group(&Account::Wavy, &id)?;
    let icon = group.icon.as_ref().ok_or(Refusal::NoIcon)?;
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .or_else(|| uri.authority().map(|a| a.to_string()))
        .unwrap_or_else(|| "127.0.0.1".into());
    let extension = icon_extension(&icon.mime_type).unwrap_or("jpeg");
    let body = json!({
        "type": "URL",
        "mimeType": icon.mime_type,
        "fileName": format!("groupIcon.{extension}"),
        "extraData": {
            "public": true,
            "Content-Type": icon.mime_type,
            "Content-Length": icon.bytes.len().to_string(),
        },
        "data": format!("http://{host}/_sandbox/icons/{id}"),
    });
    Ok(Json(body).into_response())
}

/// `DELETE /groups/{id}/icon` → `{}`; 404 when there is none.
async fn remove_icon(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    state.world().set_icon(&Account::Wavy, &id, None)?;
    Ok(Json(json!({})).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_ids_are_digits_dash_digits() {
        assert!(looks_like_group_id("5519900000000-1513616971"));
        assert!(!looks_like_group_id("5519900000000"));
        assert!(!looks_like_group_id("5519900000000-"));
        assert!(!looks_like_group_id("120363000000000001@g.us"));
        assert!(!looks_like_group_id("55a-1"));
    }

    #[test]
    fn subjects_are_counted_in_characters_not_bytes() {
        assert!(subject(Some("é".repeat(25))).is_ok());
        assert!(subject(Some("é".repeat(26))).is_err());
        assert!(subject(Some("   ".into())).is_err());
        assert!(subject(None).is_err());
    }

    #[test]
    fn every_refusal_has_an_error_status() {
        for (refusal, status) in [
            (Refusal::UnknownGroup("x".into()), StatusCode::NOT_FOUND),
            (Refusal::NotInGroup, StatusCode::NOT_FOUND),
            (Refusal::NotAdmin, StatusCode::FORBIDDEN),
            (Refusal::NotParticipant("1".into()), StatusCode::BAD_REQUEST),
            (
                Refusal::AlreadyParticipant("1".into()),
                StatusCode::BAD_REQUEST,
            ),
            (Refusal::Superadmin("1".into()), StatusCode::BAD_REQUEST),
            (Refusal::UnknownInvite, StatusCode::NOT_FOUND),
            (Refusal::NoIcon, StatusCode::NOT_FOUND),
            (Refusal::TooManyGroups, StatusCode::BAD_REQUEST),
        ] {
            assert_eq!(WavyError::from(refusal).status, status);
        }
    }
}
