//! The control API under `/_sandbox/…`: what a test or the demo needs that no provider
//! offers — serving uploaded icons at a URL, and people following invite links.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::state::Refusal;

fn control_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"error": message.into()}))).into_response()
}

/// `GET /_sandbox/icons/{groupId}`: the icon's bytes with their `Content-Type` (the URL the
/// Wavy icon response points at); 404 when the group has none. No auth: Wavy marks it public.
pub(crate) async fn icon(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let world = state.world.lock().expect("sandbox state lock");
    match world.icon_of(&id) {
        Some(icon) => (
            [
                (header::CONTENT_TYPE, icon.mime_type.clone()),
                // The same URL serves the next icon after a change.
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            icon.bytes.clone(),
        )
            .into_response(),
        None => control_error(StatusCode::NOT_FOUND, "group has no icon"),
    }
}

#[derive(Deserialize)]
struct JoinBody {
    id: String,
}

/// `POST /_sandbox/invites/{code}/join` `{"id": "<person>"}`: someone follows an invite
/// link (the only way into a Wavy group). 200 `{"groupId", "joined"}` (`joined` is false when
/// the group needs approval), 404 for an unknown or revoked code, 409 when already in.
pub(crate) async fn join(
    State(state): State<AppState>,
    Path(code): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body: JoinBody = match body
        .map_err(|e| e.body_text())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(body) => body,
        Err(e) => return control_error(StatusCode::BAD_REQUEST, e),
    };
    let mut world = state.world.lock().expect("sandbox state lock");
    match world.join_by_invite(&code, &body.id) {
        Ok((_, group_id, joined)) => {
            Json(json!({"groupId": group_id, "joined": joined})).into_response()
        }
        Err(Refusal::AlreadyParticipant(_)) => {
            control_error(StatusCode::CONFLICT, "already in the group")
        }
        Err(_) => control_error(StatusCode::NOT_FOUND, "no group has this invite code"),
    }
}
