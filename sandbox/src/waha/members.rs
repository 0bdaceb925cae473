//! Participants (v1 and v2), their changes, and join requests.

use super::*;

// ---------------------------------------------------------------------------------------
// Participants

pub(super) async fn participants_v1(
    State(state): State<AppState>,
    GroupRoute {
        account,
        engine,
        dialect,
        id,
    }: GroupRoute,
) -> Response {
    match state.world().group(&account, &id) {
        Ok(g) => json_ok(Value::Array(
            g.members
                .iter()
                .map(|m| shapes::participant(dialect, m))
                .collect(),
        )),
        Err(r) => refusal(engine, r),
    }
}

pub(super) async fn participants_v2(
    State(state): State<AppState>,
    GroupRoute {
        account,
        engine,
        dialect,
        id,
    }: GroupRoute,
) -> Response {
    match state.world().group(&account, &id) {
        Ok(g) => json_ok(Value::Array(
            g.members
                .iter()
                .map(|m| shapes::participant_v2(dialect, m))
                .collect(),
        )),
        Err(r) => refusal(engine, r),
    }
}

/// Reads `{participants:[{id}]}`: each id normalised as WAHA does, at most
/// [`MAX_PARTICIPANTS`] of them. No lock is taken.
fn participant_ids(body: &Bytes) -> Result<Vec<String>, Response> {
    let body: ParticipantsBody = parse_body(body)?;
    if let Some(refusal) = too_many_participants(body.participants.len()) {
        return Err(refusal);
    }
    body.participants
        .iter()
        .map(|p| {
            normalise_user_id(&p.id).ok_or_else(|| {
                nest_error(
                    StatusCode::BAD_REQUEST,
                    format!("'{}' is not a valid participant id", p.id),
                )
            })
        })
        .collect()
}

pub(super) async fn change(
    state: AppState,
    Session {
        account,
        engine,
        dialect,
        ..
    }: Session,
    id: String,
    body: Bytes,
    change: Option<MemberChange>,
) -> Response {
    let ids = or_respond!(participant_ids(&body));
    let outcomes = {
        let mut world = state.world();
        let people = resolve(world.group(&account, &id).ok(), ids);
        match change {
            None => world.add_members(&account, &id, &people),
            Some(c) => world.change_members(&account, &id, &people, c),
        }
    };
    match outcomes {
        Ok(outcomes) => json_ok(shapes::change_results(dialect, change.is_none(), &outcomes)),
        // whatsapp-web.js checks the rights itself and returns this string, which Express
        // sends as text with status 200 (research §3).
        Err(Refusal::NotAdmin) if engine == Engine::Webjs && change.is_none() => {
            text("AddParticipantsError: You have no admin rights to add a participant to a group")
        }
        Err(r) => refusal(engine, r),
    }
}

pub(super) async fn add_participants(
    State(state): State<AppState>,
    session: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    change(state, session, id, body, None).await
}

pub(super) async fn remove_participants(
    State(state): State<AppState>,
    session: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    change(state, session, id, body, Some(MemberChange::Remove)).await
}

pub(super) async fn promote(
    State(state): State<AppState>,
    session: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    change(state, session, id, body, Some(MemberChange::Promote)).await
}

pub(super) async fn demote(
    State(state): State<AppState>,
    session: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    change(state, session, id, body, Some(MemberChange::Demote)).await
}

pub(super) async fn join_requests(
    State(state): State<AppState>,
    GroupRoute {
        account,
        engine,
        dialect,
        id,
    }: GroupRoute,
) -> Response {
    match state.world().group(&account, &id) {
        Ok(g) => json_ok(Value::Array(
            g.join_requests
                .iter()
                .map(|r| shapes::join_request(dialect, r))
                .collect(),
        )),
        Err(r) => refusal(engine, r),
    }
}

pub(super) async fn answer(
    state: AppState,
    Session {
        account,
        engine,
        dialect,
        ..
    }: Session,
    id: String,
    body: Bytes,
    approve: bool,
) -> Response {
    let ids = or_respond!(participant_ids(&body));
    let outcomes = {
        let mut world = state.world();
        let people = resolve(world.group(&account, &id).ok(), ids);
        world.answer_join_requests(&account, &id, &people, approve)
    };
    match outcomes {
        Ok(outcomes) => json_ok(Value::Array(
            outcomes
                .iter()
                .map(|(id, o)| shapes::join_result(dialect, id, o))
                .collect(),
        )),
        Err(r) => refusal(engine, r),
    }
}

pub(super) async fn approve_requests(
    State(state): State<AppState>,
    session: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    answer(state, session, id, body, true).await
}

pub(super) async fn reject_requests(
    State(state): State<AppState>,
    session: Session,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    answer(state, session, id, body, false).await
}
