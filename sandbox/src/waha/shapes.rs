//! How each WAHA engine spells groups, participants, results and messages (REFERENCE.md A3,
//! A5). The world keeps one neutral group; these functions render it per engine.

use serde_json::{Value, json};

use crate::state::{Group, Member, Message, Role};

/// The engine behind a WAHA session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// whatsapp-web.js: camelCase, `{server,user,_serialized}` ids, arrays.
    Webjs,
    /// Baileys: flat camelCase, `@s.whatsapp.net` ids, the list keyed by id.
    Noweb,
    /// whatsmeow: PascalCase, `@lid` addressing with `PhoneNumber`.
    Gows,
}

impl Engine {
    /// Parses `--engine`.
    pub fn parse(name: &str) -> Option<Engine> {
        match name.to_ascii_uppercase().as_str() {
            "WEBJS" => Some(Engine::Webjs),
            "NOWEB" => Some(Engine::Noweb),
            "GOWS" => Some(Engine::Gows),
            _ => None,
        }
    }

    /// The name WAHA prints.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Webjs => "WEBJS",
            Engine::Noweb => "NOWEB",
            Engine::Gows => "GOWS",
        }
    }
}

/// The digits of a `<digits>@c.us` / `<digits>@lid` id.
fn user(id: &str) -> &str {
    id.split('@').next().unwrap_or(id)
}

/// Baileys/whatsmeow spell phone ids `@s.whatsapp.net`.
fn s_whatsapp(id: &str) -> String {
    if id.ends_with("@c.us") {
        format!("{}@s.whatsapp.net", user(id))
    } else {
        id.to_owned()
    }
}

/// The privacy id ("LID") the sandbox gives a phone number on GOWS: deterministic, so
/// tests can send either spelling.
pub fn lid_of(id: &str) -> String {
    if id.ends_with("@lid") {
        return id.to_owned();
    }
    let n: u64 = user(id).parse().unwrap_or(0);
    format!(
        "{}@lid",
        (n.wrapping_mul(7).wrapping_add(13)) % 100_000_000_000_000
    )
}

/// WEBJS spells ids as `{server, user, _serialized}`.
fn webjs_id(id: &str) -> Value {
    let (user, server) = id.split_once('@').unwrap_or((id, ""));
    json!({"server": server, "user": user, "_serialized": id})
}

fn rfc3339(secs: u64) -> String {
    // Days to civil date (Howard Hinnant's algorithm), UTC.
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A participant as the v1 `participants` route and group objects spell it.
pub fn participant(engine: Engine, m: &Member) -> Value {
    let admin = m.role != Role::Member;
    let superadmin = m.role == Role::Superadmin;
    match engine {
        Engine::Webjs => {
            json!({"id": webjs_id(&m.id), "isAdmin": admin, "isSuperAdmin": superadmin})
        }
        Engine::Noweb => {
            let role = match m.role {
                Role::Superadmin => json!("superadmin"),
                Role::Admin => json!("admin"),
                Role::Member => Value::Null,
            };
            json!({"id": s_whatsapp(&m.id), "admin": role})
        }
        Engine::Gows => {
            let phone = if m.id.ends_with("@c.us") {
                s_whatsapp(&m.id)
            } else {
                String::new()
            };
            json!({"JID": lid_of(&m.id), "PhoneNumber": phone, "LID": lid_of(&m.id),
                   "IsAdmin": admin, "IsSuperAdmin": superadmin, "DisplayName": "", "Error": 0, "AddRequest": null})
        }
    }
}

/// A participant of WAHA's own `participants/v2` (the same for every engine).
pub fn participant_v2(engine: Engine, m: &Member) -> Value {
    let role = match m.role {
        Role::Superadmin => "superadmin",
        Role::Admin => "admin",
        Role::Member => "participant",
    };
    let pn = m.id.ends_with("@c.us").then(|| m.id.clone());
    let id = if engine == Engine::Gows {
        lid_of(&m.id)
    } else {
        m.id.clone()
    };
    json!({"id": id, "pn": pn, "role": role})
}

/// A group as `GET /groups/{id}` (and each list item) returns it.
pub fn group(engine: Engine, g: &Group, with_participants: bool) -> Value {
    let participants: Vec<Value> = if with_participants {
        g.members.iter().map(|m| participant(engine, m)).collect()
    } else {
        Vec::new()
    };
    match engine {
        Engine::Webjs => {
            let mut metadata = json!({
                "id": webjs_id(&g.id), "creation": g.created_at, "owner": webjs_id(&g.creator),
                "subject": g.subject, "subjectTime": g.created_at,
                "restrict": g.settings.info_admin_only, "announce": g.settings.messages_admin_only,
                "membershipApprovalMode": g.settings.approval_required,
                "memberAddMode": if g.settings.members_can_add { "all_member_add" } else { "admin_add" },
                "size": g.members.len(), "isLidAddressingMode": false,
                "participants": participants, "pendingParticipants": [], "pastParticipants": [],
                "membershipApprovalRequests": [],
            });
            if let Some(desc) = &g.description {
                metadata["desc"] = desc.as_str().into();
            }
            json!({
                "groupMetadata": metadata, "id": webjs_id(&g.id), "name": g.subject, "isGroup": true,
                "isReadOnly": false, "unreadCount": 0, "timestamp": g.created_at, "archived": false,
                "pinned": false, "isMuted": false, "muteExpiration": 0,
            })
        }
        Engine::Noweb => json!({
            "id": g.id, "subject": g.subject, "subjectOwner": s_whatsapp(&g.creator),
            "subjectTime": g.created_at, "size": g.members.len(), "creation": g.created_at,
            "owner": s_whatsapp(&g.creator), "desc": g.description, "descId": g.description.as_ref().map(|_| "3EB0A1B2C3D4E5F6"),
            "restrict": g.settings.info_admin_only, "announce": g.settings.messages_admin_only,
            "isCommunity": false, "isCommunityAnnounce": false,
            "joinApprovalMode": g.settings.approval_required, "memberAddMode": g.settings.members_can_add,
            "participants": participants,
        }),
        Engine::Gows => json!({
            "JID": g.id, "OwnerJID": lid_of(&g.creator), "OwnerPN": s_whatsapp(&g.creator),
            "Name": g.subject, "NameSetAt": rfc3339(g.created_at), "NameSetBy": lid_of(&g.creator),
            "Topic": g.description.clone().unwrap_or_default(), "TopicID": "", "TopicSetAt": "0001-01-01T00:00:00Z",
            "TopicSetBy": "", "TopicDeleted": false,
            "IsLocked": g.settings.info_admin_only, "IsAnnounce": g.settings.messages_admin_only,
            "IsEphemeral": false, "DisappearingTimer": 0, "IsIncognito": false, "IsParent": false,
            "DefaultMembershipApprovalMode": "", "LinkedParentJID": "", "IsDefaultSubGroup": false,
            "IsJoinApprovalRequired": g.settings.approval_required, "AddressingMode": "lid",
            "GroupCreated": rfc3339(g.created_at), "CreatorCountryCode": "BR",
            "MemberAddMode": if g.settings.members_can_add { "all_member_add" } else { "admin_add" },
            "Participants": participants,
        }),
    }
}

/// `GET /groups`: an array (WEBJS, GOWS) or an object keyed by group id (NOWEB).
pub fn group_list<'a>(
    engine: Engine,
    groups: impl Iterator<Item = &'a Group>,
    with_participants: bool,
) -> Value {
    match engine {
        Engine::Noweb => Value::Object(
            groups
                .map(|g| (g.id.clone(), group(engine, g, with_participants)))
                .collect(),
        ),
        _ => Value::Array(
            groups
                .map(|g| group(engine, g, with_participants))
                .collect(),
        ),
    }
}

/// `POST /groups`: WEBJS's `createGroup` result; the other engines return the group.
pub fn created(engine: Engine, g: &Group, rejected: &[(String, u16)]) -> Value {
    match engine {
        Engine::Webjs => {
            let mut results = serde_json::Map::new();
            for m in g.members.iter().skip(1) {
                results.insert(
                    m.id.clone(),
                    json!({"statusCode": 200, "message": "The participant was added successfully",
                           "isGroupCreator": false, "isInviteV4Sent": false}),
                );
            }
            for (id, status) in rejected {
                results.insert(
                    id.clone(),
                    json!({"statusCode": status, "message": "The participant could not be added",
                           "isGroupCreator": false, "isInviteV4Sent": false}),
                );
            }
            json!({"title": g.subject, "gid": webjs_id(&g.id), "participants": results})
        }
        _ => group(engine, g, true),
    }
}

/// Per-participant results of add/remove/promote/demote (REFERENCE.md A3, last paragraph).
/// `outcomes` holds each requested id with its WhatsApp status (200 = applied).
pub fn change_results(engine: Engine, adding: bool, outcomes: &[(String, u16)]) -> Value {
    match engine {
        Engine::Webjs if adding => Value::Object(
            outcomes
                .iter()
                .map(|(id, code)| {
                    let message = if *code == 200 { "The participant was added successfully" } else { "The participant could not be added" };
                    (id.clone(), json!({"code": code, "message": message, "isInviteV4Sent": false}))
                })
                .collect(),
        ),
        // whatsapp-web.js reports nothing per participant for these.
        Engine::Webjs => json!({"status": 200}),
        Engine::Noweb => Value::Array(
            outcomes
                .iter()
                .map(|(id, code)| json!({"status": code.to_string(), "jid": s_whatsapp(id), "content": {}}))
                .collect(),
        ),
        Engine::Gows => Value::Array(
            outcomes
                .iter()
                .map(|(id, code)| {
                    let error = if *code == 200 { 0 } else { *code };
                    json!({"JID": lid_of(id), "PhoneNumber": s_whatsapp(id), "LID": lid_of(id), "IsAdmin": false,
                           "IsSuperAdmin": false, "DisplayName": "", "Error": error, "AddRequest": null})
                })
                .collect(),
        ),
    }
}

/// The invite code as `GET invite-code` returns it: WEBJS/NOWEB the code, GOWS the link.
pub fn invite(engine: Engine, code: &str) -> String {
    match engine {
        Engine::Gows => format!("https://chat.whatsapp.com/{code}"),
        _ => code.to_owned(),
    }
}

/// A sent message, as `POST /api/sendText` returns it.
pub fn sent(engine: Engine, group_id: &str, me: &str, m: &Message) -> Value {
    let serialized = format!("true_{group_id}_{}_{me}", m.id);
    match engine {
        Engine::Webjs => json!({
            "id": {"fromMe": true, "remote": group_id, "id": m.id, "_serialized": serialized},
            "body": m.text, "type": "chat", "timestamp": m.at, "from": me, "to": group_id,
        }),
        Engine::Noweb => json!({
            "key": {"remoteJid": group_id, "fromMe": true, "id": m.id},
            "message": {"extendedTextMessage": {"text": m.text}},
            "messageTimestamp": m.at.to_string(), "status": "PENDING",
        }),
        Engine::Gows => json!({"id": serialized, "_data": {}}),
    }
}
