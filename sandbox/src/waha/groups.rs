//! Group routes: create, list, count, get, delete, leave, subject, description, invites
//! and joining, and `sendText`.

use super::*;

// ---------------------------------------------------------------------------------------
// Groups

#[derive(Deserialize)]
struct CreateBody {
    name: Option<Value>,
    #[serde(default)]
    participants: Vec<IdRef>,
}

/// `POST /api/{session}/groups` → 201 with the engine's create result.
pub(super) async fn create_group(
    State(state): State<AppState>,
    Session {
        account,
        engine,
        dialect,
        ..
    }: Session,
    body: Bytes,
) -> Response {
    let body: CreateBody = or_respond!(parse_body(&body));
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
    if let Some(refusal) = too_many_participants(body.participants.len()) {
        return refusal;
    }
    // Ids that are no phone number at all are unknown to WhatsApp (WEBJS: 404).
    let (mut members, mut unknown) = (Vec::new(), Vec::new());
    for IdRef { id } in body.participants {
        match normalise_user_id(&id) {
            Some(id) => members.push(id),
            None if !unknown.contains(&id) => unknown.push(id),
            None => {}
        }
    }
    let created = state.world().create_group(&account, &subject, &members);
    match created {
        Ok((group, outcomes)) => (
            StatusCode::CREATED,
            axum::Json(shapes::created(dialect, &group, &outcomes, &unknown)),
        )
            .into_response(),
        Err(r) => refusal(engine, r),
    }
}

/// `GET /api/{session}/groups?limit&offset&sortBy&sortOrder&exclude`.
pub(super) async fn list_groups(
    State(state): State<AppState>,
    Session {
        account, dialect, ..
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
    let world = state.world();
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
    json_ok(shapes::group_list(dialect, page, !exclude_participants))
}

pub(super) async fn count_groups(
    State(state): State<AppState>,
    Session { account, .. }: Session,
) -> Response {
    json_ok(json!({"count": state.world().groups(&account).count()}))
}

pub(super) async fn refresh(_: Session) -> Response {
    json_ok(json!({"success": true}))
}

pub(super) async fn get_group(
    State(state): State<AppState>,
    GroupRoute {
        account,
        engine,
        dialect,
        id,
    }: GroupRoute,
) -> Response {
    match state.world().group(&account, &id) {
        Ok(g) => json_ok(shapes::group(dialect, g, true)),
        Err(r) => refusal(engine, r),
    }
}

pub(super) async fn delete_group(
    State(state): State<AppState>,
    GroupRoute {
        account,
        engine,
        id,
        ..
    }: GroupRoute,
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
    match state.world().delete_group(&account, &id) {
        Ok(()) => text("true"),
        Err(Refusal::NotAdmin) => text("false"),
        Err(r) => refusal(engine, r),
    }
}

pub(super) async fn leave_group(
    State(state): State<AppState>,
    GroupRoute {
        account,
        engine,
        id,
        ..
    }: GroupRoute,
) -> Response {
    match state.world().leave_group(&account, &id) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(r) => refusal(engine, r),
    }
}

/// The answer of WAHA routes that return WEBJS's boolean and nothing on other engines.
pub(super) fn applied(engine: Engine, outcome: Result<(), Refusal>) -> Response {
    match (engine, outcome) {
        (Engine::Webjs, Ok(())) => text("true"),
        (Engine::Webjs, Err(Refusal::NotAdmin)) => text("false"),
        (_, Ok(())) => StatusCode::OK.into_response(),
        (_, Err(r)) => refusal(engine, r),
    }
}

pub(super) async fn set_subject(
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
    struct Body {
        subject: String,
    }
    let body: Body = or_respond!(parse_body(&body));
    if body.subject.trim().is_empty() {
        return nest_error(
            StatusCode::BAD_REQUEST,
            format!("{} does not support empty group subject.", engine.name()),
        );
    }
    let outcome = state.world().set_subject(&account, &id, &body.subject);
    applied(engine, outcome)
}

pub(super) async fn set_description(
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
    struct Body {
        description: String,
    }
    let body: Body = or_respond!(parse_body(&body));
    if engine == Engine::Gows && body.description.is_empty() {
        return nest_error(
            StatusCode::BAD_REQUEST,
            "GOWS does not support empty group description.",
        );
    }
    let description = Some(body.description.as_str()).filter(|d| !d.is_empty());
    let outcome = state.world().set_description(&account, &id, description);
    applied(engine, outcome)
}

// ---------------------------------------------------------------------------------------
// Invites and joining

pub(super) async fn invite_code(
    State(state): State<AppState>,
    GroupRoute {
        account,
        engine,
        id,
        ..
    }: GroupRoute,
) -> Response {
    match state.world().invite_code(&account, &id) {
        Ok(code) => text(shapes::invite(engine, &code)),
        Err(r) => refusal(engine, r),
    }
}

pub(super) async fn revoke_invite(
    State(state): State<AppState>,
    GroupRoute {
        account,
        engine,
        id,
        ..
    }: GroupRoute,
) -> Response {
    match state.world().revoke_invite(&account, &id) {
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

pub(super) async fn join_group(
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
    let body: Body = or_respond!(parse_body(&body));
    match state.world().account_joins(&account, code_of(&body.code)) {
        Ok(id) => json_ok(json!({"id": id})),
        Err(r) => refusal(engine, r),
    }
}

pub(super) async fn join_info(
    State(state): State<AppState>,
    Session {
        engine, dialect, ..
    }: Session,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(code) = query.get("code") else {
        return nest_error(StatusCode::BAD_REQUEST, json!(["code must be a string"]));
    };
    let world = state.world();
    match world.find_invite(code_of(code)) {
        Ok((_, group)) => json_ok(shapes::group(dialect, group, true)),
        Err(r) => refusal(engine, r),
    }
}

// ---------------------------------------------------------------------------------------
// Messages

/// `POST /api/sendText` → 201 with the engine's message, to a group or a person (each send is
/// recorded, with its `mentions`, for `GET /_sandbox/messages`). The session comes from the body
/// and WAHA applies no defaults there (no ValidationPipe): a missing or empty `session` is
/// its 422 `{"error": "Session name is required", "session": …}`, where `session` echoes
/// what was sent and is absent when nothing was (JSON.stringify drops `undefined`;
/// research `waha-lids-mentions-adds.md` §0, §2).
pub(super) async fn send_text(State(state): State<AppState>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        chat_id: String,
        text: String,
        #[serde(default)]
        mentions: Option<Vec<String>>,
    }
    let raw: Value = or_respond!(parse_body(&body));
    let name = match raw.get("session") {
        Some(Value::String(name)) if !name.is_empty() => name.clone(),
        sent => {
            let mut error = json!({"error": "Session name is required"});
            if let Some(sent) = sent {
                error["session"] = sent.clone();
            }
            return (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(error)).into_response();
        }
    };
    let body: Body = or_respond!(parse_body(&body));
    let (account, dialect) = or_respond!(session(&state, &name));
    let engine = dialect.engine;
    let mentions = body.mentions.unwrap_or_default();
    let group = body.chat_id.ends_with("@g.us");
    if !group && mentions.iter().any(|m| m == "all") {
        // WAHA 2025.11.1+ (research `waha-lids-mentions-adds.md` §2).
        return nest_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "\"mentions\":[\"all\"] can be used only in group chats, not in '{}'",
                body.chat_id
            ),
        );
    }
    let mut world = state.world();
    if !group {
        // A direct message: WEBJS's `ensureSuffix` makes a bare number `…@c.us`.
        let Some(to) = super::normalise_user_id(&body.chat_id) else {
            return nest_error(
                StatusCode::BAD_REQUEST,
                format!("'{}' is not a chat id", body.chat_id),
            );
        };
        let sent = world.record_sent(&to, WAHA_ME, &body.text, mentions.clone(), None);
        let m = crate::state::Message {
            id: sent.id,
            from: sent.from,
            text: sent.text,
            at: sent.at,
        };
        return (
            StatusCode::CREATED,
            axum::Json(shapes::sent(engine, &to, WAHA_ME, &m, &mentions)),
        )
            .into_response();
    }
    // `["all"]` reaches the engine as every member but the account, spelled as
    // `participants/v2` lists them (`resolveMentionsAll`; research §2).
    let mentioned = match world.group(&account, &body.chat_id) {
        Err(r) => return refusal(engine, r),
        Ok(g) if mentions.iter().any(|m| m == "all") => g
            .members
            .iter()
            .filter(|m| m.id != WAHA_ME)
            .map(|m| listed_id(dialect, &m.id))
            .collect(),
        Ok(_) => mentions.clone(),
    };
    match world.post_message(&account, &body.chat_id, WAHA_ME, &body.text) {
        Ok(m) => {
            let answer = shapes::sent(engine, &body.chat_id, WAHA_ME, &m, &mentioned);
            world.record_sent(&body.chat_id, WAHA_ME, &body.text, mentions, Some(&m));
            (StatusCode::CREATED, axum::Json(answer)).into_response()
        }
        Err(r) => refusal(engine, r),
    }
}
