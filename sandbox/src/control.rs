//! The control API under `/_sandbox/`: what only the other side of WhatsApp can do
//! (someone follows an invite link), and test housekeeping (reset).

use axum::Router;
use axum::body::Bytes;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::state::{
    Account, MAX_GROUPS_PER_ACCOUNT, MAX_PARTICIPANTS, MAX_SEEDED_MEMBERS, Refusal, Webhook, World,
};
use crate::webhook;

/// The control routes, mounted under `/_sandbox`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/reset", post(reset))
        .route("/join", post(join))
        .route("/icons/{group_id}", get(icon))
        .route("/webhook", post(register_webhook))
        .route("/seed", post(seed))
        .route("/faults", post(set_faults).delete(clear_faults))
        .route("/stats", get(stats))
        .route("/message", post(member_message))
        .route("/messages", get(messages))
        .route("/people", post(people))
}

/// `POST /_sandbox/people` `{"phone", "privacy"?: "everyone"|"contacts", "onWhatsApp"?:
/// bool, "hiddenNumber"?: bool, "name"?: string}` → 200 with the person's traits as now
/// set (an omitted trait takes its default: everyone, true, false, no name). `name` is
/// what WAHA's contacts answer as their `pushname`. Adds and creates in every WAHA
/// engine then answer for that person as WhatsApp would (see README); a hidden number
/// makes WAHA groups keep them by their LID only, from now on and in the groups they are
/// already in. Any other field, a wrong type or value, or a phone without 5 to 20 digits is
/// a 400 saying which.
async fn people(State(state): State<AppState>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Body {
        phone: String,
        #[serde(default)]
        privacy: Option<Privacy>,
        #[serde(default)]
        on_whats_app: Option<bool>,
        #[serde(default)]
        hidden_number: Option<bool>,
        /// The name they gave themselves (WAHA contacts' `pushname`).
        #[serde(default)]
        name: Option<String>,
    }
    #[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
    #[serde(rename_all = "lowercase")]
    enum Privacy {
        Everyone,
        Contacts,
    }
    let body: Body = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("people: {e}")),
    };
    let digits = body.phone.strip_prefix('+').unwrap_or(&body.phone);
    let digits = crate::state::digits_of(digits);
    if !(5..=20).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return error(
            StatusCode::BAD_REQUEST,
            format!(
                "phone must be 5 to 20 digits (optionally with + or @c.us), got {:?}",
                body.phone
            ),
        );
    }
    let traits = crate::state::Traits {
        contacts_only: body.privacy == Some(Privacy::Contacts),
        on_whatsapp: body.on_whats_app.unwrap_or(true),
        hidden_number: body.hidden_number.unwrap_or(false),
    };
    let name = body.name.filter(|n| !n.trim().is_empty());
    {
        let mut world = state.world();
        world.set_person(digits, traits);
        world.set_push_name(digits, name.clone());
    }
    let mut answer = json!({
        "phone": digits,
        "privacy": if traits.contacts_only { "contacts" } else { "everyone" },
        "onWhatsApp": traits.on_whatsapp,
        "hiddenNumber": traits.hidden_number,
    });
    if let Some(name) = name {
        answer["name"] = name.into();
    }
    axum::Json(answer).into_response()
}

/// `GET /_sandbox/messages?chatId=`: what the account sent to a chat (a group or a person)
/// through either provider's API, oldest first: `[{id, chatId, from, text, mentions,
/// timestamp}]`, `mentions` as sent (`["all"]`, or ids; `[]` for none).
async fn messages(
    State(state): State<AppState>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let Some(chat_id) = query.get("chatId") else {
        return error(StatusCode::BAD_REQUEST, "chatId is required");
    };
    let world = state.world();
    let list: Vec<serde_json::Value> = world
        .sent_to(chat_id)
        .map(|m| {
            json!({"id": m.id, "chatId": m.chat_id, "from": m.from, "text": m.text,
                   "mentions": m.mentions, "timestamp": m.at})
        })
        .collect();
    axum::Json(list).into_response()
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({"error": message.into()}))).into_response()
}

/// `POST /_sandbox/reset`: forget everything (demo groups are seeded again if configured).
async fn reset(State(state): State<AppState>) -> StatusCode {
    let mut world = state.world();
    *state.faults() = crate::faults::Faults::default();
    *world = World::default();
    if state.config.seed_demo {
        world.seed_demo();
    }
    StatusCode::NO_CONTENT
}

/// `GET /_sandbox/icons/{groupId}`: the icon's bytes with their `Content-Type` (the URL both
/// providers' icon responses point at); 404 when the group has none. No auth: Wavy marks
/// icons public.
async fn icon(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let world = state.world();
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
        None => error(StatusCode::NOT_FOUND, "the group has no icon"),
    }
}

/// `POST /_sandbox/join {"link": "<invite link or code>", "phone": "5511999990001"}`: a
/// WhatsApp user follows an invite (either provider's). 200 `{"groupId", "joined",
/// "delivered"?}` where `joined` is false when the group requires approval (a join request
/// is pending); 404 for an unknown or revoked invite, 409 when already a member. For a WAHA
/// group, the registered webhook receives `group.v2.participants` (`type: "join"`) or
/// `group.v2.participants.join-request` (`action: "created"`), and `delivered` says whether
/// it took it.
async fn join(State(state): State<AppState>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    struct Body {
        link: String,
        phone: String,
    }
    let body: Body = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let digits: String = body.phone.chars().filter(char::is_ascii_digit).collect();
    if !(5..=20).contains(&digits.len()) {
        return error(StatusCode::BAD_REQUEST, "phone must have 5 to 20 digits");
    }
    let code = crate::waha::code_of(&body.link);
    let (owner, group_id, joined, at, hook, person) = {
        let mut world = state.world();
        let owner = match world.find_invite(code) {
            Ok((owner, _)) => owner,
            Err(_) => {
                return error(
                    StatusCode::NOT_FOUND,
                    "no group has this invite (unknown or revoked)",
                );
            }
        };
        // Each provider spells members its own way: WAHA `<digits>@c.us`, Wavy bare digits.
        let person = match owner {
            Account::Waha(_) | Account::Evolution(_) => {
                world.member_id(&owner, &format!("{digits}@c.us"))
            }
            Account::Wavy => digits.clone(),
        };
        match world.join_by_invite(code, &person) {
            Ok((_, group_id, joined)) => {
                let at = world.tick();
                let hook = world.webhooks.of(&owner);
                (owner, group_id, joined, at, hook, person)
            }
            Err(Refusal::AlreadyParticipant(_)) => {
                return error(StatusCode::CONFLICT, "already a member");
            }
            Err(_) => {
                return error(
                    StatusCode::NOT_FOUND,
                    "no group has this invite (unknown or revoked)",
                );
            }
        }
    };
    let mut answer = json!({"groupId": group_id, "joined": joined});
    let event = match (&owner, &hook) {
        (Account::Waha(session), Some(_)) => {
            let dialect = crate::waha::dialect_of(&state.config, session);
            Some(if joined {
                webhook::joined(session, dialect, &group_id, &person, at)
            } else {
                webhook::join_requested(session, dialect, &group_id, &person, at)
            })
        }
        // Evolution forwards no join requests (research §2.4), only the join itself.
        (Account::Evolution(instance), Some(_)) if joined => {
            Some(webhook::evolution_joined(instance, &group_id, &person, at))
        }
        _ => None,
    };
    if let (Some(event), Some(hook)) = (event, hook) {
        let status = webhook::deliver(&hook, &event).await;
        answer["delivered"] = status.is_ok_and(|s| (200..300).contains(&s)).into();
    }
    axum::Json(answer).into_response()
}

/// `POST /_sandbox/webhook {"url": "http://…", "secret"?: "…", "provider"?: "waha"|"wavy"}`:
/// where events are delivered: WAHA sessions' events with `"provider": "waha"`, the Wavy
/// account's MOs with `"provider": "wavy"`, both without `provider` (`{"url": null}`
/// unregisters the same way). 204; 400 for another provider, or a URL that is not
/// `http://` to a loopback host (see `access.rs`).
async fn register_webhook(State(state): State<AppState>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Provider {
        Waha,
        Wavy,
        Evolution,
    }
    #[derive(Deserialize)]
    struct Body {
        url: Option<String>,
        #[serde(default)]
        secret: Option<String>,
        #[serde(default)]
        provider: Option<Provider>,
    }
    let body: Body = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let webhook = match body.url {
        Some(url) => match crate::access::check_webhook_url(&url) {
            Ok(()) => Some(Webhook {
                url,
                secret: body.secret.filter(|s| !s.is_empty()),
            }),
            Err(why) => return error(StatusCode::BAD_REQUEST, why),
        },
        None => None,
    };
    let hooks = &mut state.world().webhooks;
    match body.provider {
        Some(Provider::Waha) => hooks.waha = webhook,
        Some(Provider::Wavy) => hooks.wavy = webhook,
        Some(Provider::Evolution) => hooks.evolution = webhook,
        None => {
            hooks.waha = webhook.clone();
            hooks.wavy = webhook.clone();
            hooks.evolution = webhook;
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

/// `POST /_sandbox/message {"groupId", "phone", "text"}`: a member writes in a group. The
/// message is recorded and delivered to the registered webhook as the group's provider
/// would (a WAHA `message` webhook, or a Wavy MO with `waGroupId`). 200
/// `{"delivered", "status"?, "error"?}`; 404 unknown group, 403 not a member (or not an
/// admin in an admins-only group).
async fn member_message(State(state): State<AppState>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        group_id: String,
        phone: String,
        text: String,
    }
    let body: Body = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let digits: String = body.phone.chars().filter(char::is_ascii_digit).collect();
    let (account, message, hook) = {
        let mut world = state.world();
        let Some(account) = world.owner_of(&body.group_id) else {
            return error(StatusCode::NOT_FOUND, "no such group");
        };
        let person = match account {
            Account::Waha(_) | Account::Evolution(_) => {
                world.member_id(&account, &format!("{digits}@c.us"))
            }
            Account::Wavy => digits,
        };
        match world.post_message(&account, &body.group_id, &person, &body.text) {
            Ok(message) => {
                let hook = world.webhooks.of(&account);
                (account, message, hook)
            }
            Err(Refusal::UnknownGroup(_)) => return error(StatusCode::NOT_FOUND, "no such group"),
            Err(_) => {
                return error(
                    StatusCode::FORBIDDEN,
                    "this person cannot write in the group",
                );
            }
        }
    };
    let Some(hook) = hook else {
        return axum::Json(json!({"delivered": false, "error": "no webhook registered"}))
            .into_response();
    };
    let payload = webhook::payload(&account, &state.config, &body.group_id, &message);
    match webhook::deliver(&hook, &payload).await {
        Ok(status) => {
            axum::Json(json!({"delivered": (200..300).contains(&status), "status": status}))
                .into_response()
        }
        Err(e) => axum::Json(json!({"delivered": false, "error": e})).into_response(),
    }
}

/// `POST /_sandbox/seed {"session"?: "default", "groups": N, "membersPerGroup"?: M,
/// "bigGroupMembers"?: K}`: creates N groups of M members each in a WAHA session (or in the
/// Wavy account with `"wavy": true`), plus one more with K members when asked — for load
/// tests and benchmarks. 200 `{"groups", "bigGroupId"?, "bigGroupMembers"?}`; 400 naming
/// the cap when N > 100,000, M or K > 5,000, or N × M > 1,000,000.
async fn seed(State(state): State<AppState>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        #[serde(default)]
        session: Option<String>,
        #[serde(default)]
        wavy: bool,
        groups: usize,
        #[serde(default)]
        members_per_group: usize,
        #[serde(default)]
        big_group_members: Option<usize>,
    }
    let body: Body = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let over = if body.groups > MAX_GROUPS_PER_ACCOUNT {
        Some(format!("groups is at most {MAX_GROUPS_PER_ACCOUNT}"))
    } else if body.members_per_group > MAX_PARTICIPANTS {
        Some(format!("membersPerGroup is at most {MAX_PARTICIPANTS}"))
    } else if body.big_group_members.unwrap_or(0) > MAX_PARTICIPANTS {
        Some(format!("bigGroupMembers is at most {MAX_PARTICIPANTS}"))
    } else if body.groups.saturating_mul(body.members_per_group) > MAX_SEEDED_MEMBERS {
        Some(format!(
            "groups × membersPerGroup: at most {MAX_SEEDED_MEMBERS} seeded members"
        ))
    } else {
        None
    };
    if let Some(cap) = over {
        return error(StatusCode::BAD_REQUEST, cap);
    }
    let account = if body.wavy {
        Account::Wavy
    } else {
        Account::Waha(body.session.unwrap_or_else(|| "default".into()))
    };
    if !World::exists(&account) {
        return error(StatusCode::NOT_FOUND, "no such session");
    }
    let member = |n: usize| match account {
        Account::Waha(_) | Account::Evolution(_) => format!("5521{n:09}@c.us"),
        Account::Wavy => format!("5521{n:09}"),
    };
    // The lock is taken per group, so other requests run between two seeded groups.
    let mut next = 0usize;
    for i in 0..body.groups {
        let members: Vec<String> = (next..next + body.members_per_group).map(member).collect();
        next += body.members_per_group;
        let subject = format!("Seeded group {i:05}");
        if state
            .world()
            .create_group(&account, &subject, &members)
            .is_err()
        {
            return error(StatusCode::BAD_REQUEST, "too many groups");
        }
    }
    let mut answer = json!({"groups": body.groups});
    if let Some(k) = body.big_group_members {
        let members: Vec<String> = (next..next + k).map(member).collect();
        match state
            .world()
            .create_group(&account, "Seeded big group", &members)
        {
            Ok((group, _)) => {
                answer["bigGroupId"] = group.id.into();
                answer["bigGroupMembers"] = k.into();
            }
            Err(_) => return error(StatusCode::BAD_REQUEST, "too many groups"),
        }
    }
    axum::Json(answer).into_response()
}

/// `?scope=PREFIX` on `POST` and `DELETE /_sandbox/faults`: only the rules whose `route`
/// starts with PREFIX are replaced or cleared, so tests of different providers (or
/// sessions) can inject faults side by side.
#[derive(Deserialize)]
struct Scope {
    scope: Option<String>,
}

/// `POST /_sandbox/faults[?scope=PREFIX] [{route?, method?, latencyMs?, status?,
/// retryAfter?, body?, times?, ratePerSecond?, probability?}]`: replaces the injected faults
/// (see `faults.rs`) — all of them, or with a scope those under it, where every rule given
/// must then have a `route` under it (400 otherwise). 204.
async fn set_faults(
    State(state): State<AppState>,
    axum::extract::Query(Scope { scope }): axum::extract::Query<Scope>,
    body: Bytes,
) -> Response {
    let rules: Vec<crate::faults::Fault> = match serde_json::from_slice(&body) {
        Ok(rules) => rules,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    match scope {
        None => state.faults().set(rules),
        Some(scope) => {
            if let Some(outside) = rules.iter().find(|r| !r.within(&scope)) {
                let route = outside.route.as_deref().unwrap_or("(every route)");
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("a rule's route {route} is outside the scope {scope}"),
                );
            }
            state.faults().set_within(&scope, rules);
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

/// `DELETE /_sandbox/faults[?scope=PREFIX]`: no more faults (with a scope: none left under
/// it). 204.
async fn clear_faults(
    State(state): State<AppState>,
    axum::extract::Query(Scope { scope }): axum::extract::Query<Scope>,
) -> StatusCode {
    match scope {
        None => state.faults().set(Vec::new()),
        Some(scope) => state.faults().set_within(&scope, Vec::new()),
    }
    StatusCode::NO_CONTENT
}

/// `GET /_sandbox/stats`: the side effects applied so far (2xx answers to provider
/// requests other than GET), by `METHOD path`, and their total; and every provider request
/// received, by `METHOD path`.
async fn stats(State(state): State<AppState>) -> Response {
    let faults = state.faults();
    let total: u64 = faults.side_effects.values().sum();
    axum::Json(json!({
        "sideEffects": faults.side_effects,
        "total": total,
        "requests": faults.requests,
    }))
    .into_response()
}
