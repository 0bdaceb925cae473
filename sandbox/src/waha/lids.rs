//! WAHA's LID ↔ phone-number routes, `/api/{session}/lids…` (research
//! `waha-lids-mentions-adds.md` §1: `src/api/lids.controller.ts`, `src/structures/lids.dto.ts`,
//! WAHA 2025.5.4+, unchanged through 2026.5.1). Every engine implements the four routes and
//! answers the same DTO, `{lid, pn}`: `lid` in `@lid` form, `pn` in `@c.us` form.
//!
//! What a session knows: the mappings of the members of its groups (itself included), as
//! WA Web's `lidPnCache` (WEBJS), the NOWEB store (filled from groups; the sandbox's NOWEB
//! store counts as enabled) and whatsmeow's LID store (GOWS) learn them from group
//! metadata. A member whose number WhatsApp hides has no mapping: lookups miss for them.

use std::collections::BTreeMap;

use super::*;

/// WAHA's `LimitOffsetParams`: `limit` (default 100) and `offset` (default 0).
#[derive(Deserialize)]
pub(super) struct Paging {
    limit: Option<String>,
    offset: Option<String>,
}

/// The session's known mappings, LID → phone id, in the controller's order (`sortBy='lid'`,
/// `sortOrder='asc'`). The member ids are copied under the lock; the rest is done after.
fn mappings(state: &AppState, account: &Account) -> BTreeMap<String, String> {
    let phones: Vec<String> = {
        let world = state.world();
        world
            .groups(account)
            .flat_map(|g| g.members.iter())
            .filter(|m| m.id.ends_with("@c.us") && !world.traits(&m.id).hidden_number)
            .map(|m| m.id.clone())
            .collect()
    };
    phones
        .into_iter()
        .map(|pn| (shapes::lid_of(&pn), pn))
        .collect()
}

/// A query number: absent → the default; otherwise a non-negative integer, or
/// class-validator's 400.
fn number(name: &str, raw: Option<&str>, default: usize) -> Result<usize, Response> {
    match raw {
        None | Some("") => Ok(default),
        Some(raw) => raw.parse().map_err(|_| {
            nest_error(
                StatusCode::BAD_REQUEST,
                json!([format!(
                    "{name} must be a number conforming to the specified constraints"
                )]),
            )
        }),
    }
}

/// `GET /api/{session}/lids?limit=&offset=` → `[{lid, pn}, …]`.
pub(super) async fn list_lids(
    State(state): State<AppState>,
    Session { account, .. }: Session,
    Query(paging): Query<Paging>,
) -> Response {
    let limit = or_respond!(number("limit", paging.limit.as_deref(), 100));
    let offset = or_respond!(number("offset", paging.offset.as_deref(), 0));
    let page: Vec<Value> = mappings(&state, &account)
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|(lid, pn)| json!({"lid": lid, "pn": pn}))
        .collect();
    json_ok(Value::Array(page))
}

/// `GET /api/{session}/lids/count` → `{count}` (`CountResponse`).
pub(super) async fn count_lids(
    State(state): State<AppState>,
    Session { account, .. }: Session,
) -> Response {
    json_ok(json!({"count": mappings(&state, &account).len()}))
}

/// `GET /api/{session}/lids/{lid}` → `{lid, pn}`; `pn: null` when unknown (never 404). A
/// bare number gets `@lid`; any other server is WAHA's 422.
pub(super) async fn lid_to_pn(
    State(state): State<AppState>,
    Session { account, .. }: Session,
    Path((_, lid)): Path<(String, String)>,
) -> Response {
    let lid = if lid.contains('@') {
        lid
    } else {
        format!("{lid}@lid")
    };
    if !lid.ends_with("@lid") {
        return nest_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid LID - it must end with @lid",
        );
    }
    let pn = mappings(&state, &account).remove(&lid);
    json_ok(json!({"lid": lid, "pn": pn}))
}

/// `GET /api/{session}/lids/pn/{phoneNumber}` → `{lid, pn}`; `lid: null` when unknown
/// (never 404). `123`, `123@c.us` and `123@s.whatsapp.net` all mean `123@c.us`; a value
/// already ending in `@lid` comes back as `{lid: <value>, pn: null}` without a lookup.
pub(super) async fn pn_to_lid(
    State(state): State<AppState>,
    Session { account, .. }: Session,
    Path((_, number)): Path<(String, String)>,
) -> Response {
    if number.ends_with("@lid") {
        return json_ok(json!({"lid": number, "pn": Value::Null}));
    }
    let (user, _) = number.split_once('@').unwrap_or((&number, ""));
    let pn = format!("{}@c.us", user.split(':').next().unwrap_or(user));
    let lid = mappings(&state, &account)
        .into_iter()
        .find(|(_, known)| *known == pn)
        .map(|(lid, _)| lid);
    json_ok(json!({"lid": lid, "pn": pn}))
}
