//! Participants (v1 and v2), their changes, and join requests.

use super::*;

// ---------------------------------------------------------------------------------------
// Participants

pub(super) async fn participants_v1(
    State(state): State<AppState>,
    GroupRoute {
        account,
        engine,
        id,
    }: GroupRoute,
) -> Response {
    match state.world().group(&account, &id) {
        Ok(g) => json_ok(Value::Array(
            g.members
                .iter()
                .map(|m| shapes::participant(engine, m))
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
        id,
    }: GroupRoute,
) -> Response {
    match state.world().group(&account, &id) {
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
pub(super) fn status_of(outcome: &Result<(), Refusal>) -> u16 {
    match outcome {
        Ok(()) => 200,
        Err(Refusal::AlreadyParticipant(_)) => 409,
        Err(Refusal::NotParticipant(_)) => 404,
        Err(_) => 403,
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
        account, engine, ..
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
        id,
    }: GroupRoute,
) -> Response {
    match state.world().group(&account, &id) {
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

pub(super) async fn answer(
    state: AppState,
    Session {
        account, engine, ..
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
                .map(|(id, o)| match o {
                    Ok(()) => json!({"requesterId": id, "success": true}),
                    Err(_) => json!({"requesterId": id, "success": false, "error": 404}),
                })
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
