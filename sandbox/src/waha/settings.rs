//! The group picture and the security settings.

use super::*;

// ---------------------------------------------------------------------------------------
// Picture

pub(super) async fn get_picture(
    State(state): State<AppState>,
    headers: HeaderMap,
    GroupRoute {
        account,
        engine,
        id,
        ..
    }: GroupRoute,
) -> Response {
    match state.world().group(&account, &id) {
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

pub(super) async fn set_picture(
    State(state): State<AppState>,
    GroupRoute {
        account,
        engine,
        id,
        ..
    }: GroupRoute,
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
    let body: Body = or_respond!(parse_body(&body));
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
    match state.world().set_icon(&account, &id, Some(icon)) {
        Ok(()) => json_ok(json!({"success": true})),
        Err(r) => refusal(engine, r),
    }
}

pub(super) async fn delete_picture(
    State(state): State<AppState>,
    GroupRoute {
        account,
        engine,
        id,
        ..
    }: GroupRoute,
) -> Response {
    match state.world().set_icon(&account, &id, None) {
        // Removing a picture that is not there succeeds on WhatsApp.
        Ok(()) | Err(Refusal::NoIcon) => json_ok(json!({"success": true})),
        Err(r) => refusal(engine, r),
    }
}

// ---------------------------------------------------------------------------------------
// Settings

/// The JSON key of each security setting route.
pub(super) fn setting_key(setting: &str) -> Option<&'static str> {
    match setting {
        "info-admin-only" | "messages-admin-only" => Some("adminsOnly"),
        "member-add-mode" => Some("membersCanAddNewMember"),
        "membership-approval" => Some("newMembersApprovalRequired"),
        _ => None,
    }
}

pub(super) async fn get_setting(
    State(state): State<AppState>,
    Session {
        account,
        engine,
        name,
        ..
    }: Session,
    Path((_, id, setting)): Path<(String, String, String)>,
) -> Response {
    let Some(key) = setting_key(&setting) else {
        return nest_error(
            StatusCode::NOT_FOUND,
            format!("Cannot GET /api/{name}/groups/{id}/settings/security/{setting}"),
        );
    };
    let world = state.world();
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

pub(super) async fn put_setting(
    State(state): State<AppState>,
    Session {
        account,
        engine,
        name,
        ..
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
    let body: Value = or_respond!(parse_body(&body));
    let Some(value) = body.get(key).and_then(Value::as_bool) else {
        return nest_error(
            StatusCode::BAD_REQUEST,
            json!([format!("{key} must be a boolean value")]),
        );
    };
    let outcome = state
        .world()
        .update_settings(&account, &id, |s| match setting.as_str() {
            "info-admin-only" => s.info_admin_only = value,
            "messages-admin-only" => s.messages_admin_only = value,
            "member-add-mode" => s.members_can_add = value,
            _ => s.approval_required = value,
        });
    applied(engine, outcome.map(drop))
}
