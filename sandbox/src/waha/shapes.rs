//! How each WAHA engine spells groups, participants, results and messages (REFERENCE.md A3,
//! A5; research `waha-lids-mentions-adds.md` §3–§4). The world keeps one neutral group, its
//! members by phone (`<digits>@c.us`, or `<digits>@lid` when only a LID is known); these
//! functions render it per engine and per addressing mode.

use serde_json::{Map, Value, json};

use crate::state::{Group, JoinRequest, Member, Message, Outcomes, Refusal, Role};
use crate::time::rfc3339;

/// How a session speaks: its engine, and whether its groups are LID-addressed (members
/// listed by `…@lid`, with their phone beside it), as 2025+ WhatsApp groups increasingly are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// The engine.
    pub engine: Engine,
    /// LID addressing (`addressingMode: "lid"`); phone addressing (`"pn"`) otherwise.
    pub lid: bool,
}

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

/// The member's phone id (`…@c.us`), when the world knows it.
fn phone(id: &str) -> Option<&str> {
    id.ends_with("@c.us").then_some(id)
}

/// The privacy id ("LID") the sandbox gives a phone number in LID-addressed sessions:
/// deterministic, so tests can send either spelling.
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

/// The id a session lists a member by (`participants/v2` `id`, webhook ids): the LID in
/// LID-addressed sessions, the `@c.us` id otherwise.
pub fn listed_id(d: Dialect, id: &str) -> String {
    if d.lid { lid_of(id) } else { id.to_owned() }
}

/// WEBJS spells ids as `{server, user, _serialized}`.
fn webjs_id(id: &str) -> Value {
    let (user, server) = id.split_once('@').unwrap_or((id, ""));
    json!({"server": server, "user": user, "_serialized": id})
}

/// A participant as the v1 `participants` route and group objects spell it.
pub fn participant(d: Dialect, m: &Member) -> Value {
    let admin = m.role != Role::Member;
    let superadmin = m.role == Role::Superadmin;
    match d.engine {
        Engine::Webjs => {
            json!({"id": webjs_id(&m.id), "isAdmin": admin, "isSuperAdmin": superadmin})
        }
        Engine::Noweb => {
            let role = match m.role {
                Role::Superadmin => json!("superadmin"),
                Role::Admin => json!("admin"),
                Role::Member => Value::Null,
            };
            // Baileys sets `phoneNumber` only beside a LID id (research §4).
            match phone(&m.id) {
                Some(pn) if d.lid => {
                    json!({"id": lid_of(&m.id), "phoneNumber": s_whatsapp(pn), "admin": role})
                }
                _ => json!({"id": s_whatsapp(&m.id), "admin": role}),
            }
        }
        Engine::Gows => gows_participant(m, admin, superadmin, 0, Value::Null),
    }
}

/// whatsmeow's `GroupParticipant`: `JID` = `LID` = the LID, `PhoneNumber` when known
/// (`""` otherwise, as whatsmeow serialises an empty JID).
fn gows_participant(m: &Member, admin: bool, superadmin: bool, error: u16, add: Value) -> Value {
    let lid = lid_of(&m.id);
    let pn = phone(&m.id).map(s_whatsapp).unwrap_or_default();
    json!({"JID": lid, "PhoneNumber": pn, "LID": lid, "IsAdmin": admin, "IsSuperAdmin": superadmin,
           "DisplayName": "", "Error": error, "AddRequest": add})
}

/// A participant of WAHA's own `participants/v2` (`{id, pn?, role}`), per engine
/// (research §4): WEBJS `pn` = the id when it is a phone, else `null`; NOWEB `pn` only
/// beside a LID (absent otherwise); GOWS `pn` from `PhoneNumber` (`""` when unknown).
pub fn participant_v2(d: Dialect, m: &Member) -> Value {
    let role = match m.role {
        Role::Superadmin => "superadmin",
        Role::Admin => "admin",
        Role::Member => "participant",
    };
    let id = listed_id(d, &m.id);
    match (d.engine, phone(&m.id)) {
        (Engine::Webjs, pn) => json!({"id": id, "pn": pn, "role": role}),
        (Engine::Noweb, Some(pn)) if d.lid => json!({"id": id, "pn": pn, "role": role}),
        (Engine::Noweb, _) => json!({"id": id, "role": role}),
        (Engine::Gows, pn) => json!({"id": id, "pn": pn.unwrap_or_default(), "role": role}),
    }
}

/// A group as `GET /groups/{id}` (and each list item) returns it.
pub fn group(d: Dialect, g: &Group, with_participants: bool) -> Value {
    let participants: Vec<Value> = if with_participants {
        g.members.iter().map(|m| participant(d, m)).collect()
    } else {
        Vec::new()
    };
    match d.engine {
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
        Engine::Noweb => {
            let mut group = json!({
                "id": g.id, "subject": g.subject, "subjectOwner": s_whatsapp(&g.creator),
                "subjectTime": g.created_at, "size": g.members.len(), "creation": g.created_at,
                "owner": s_whatsapp(&g.creator), "desc": g.description, "descId": g.description.as_ref().map(|_| "3EB0A1B2C3D4E5F6"),
                "restrict": g.settings.info_admin_only, "announce": g.settings.messages_admin_only,
                "isCommunity": false, "isCommunityAnnounce": false,
                "joinApprovalMode": g.settings.approval_required, "memberAddMode": g.settings.members_can_add,
                "addressingMode": if d.lid { "lid" } else { "pn" },
                "participants": participants,
            });
            // In LID groups Baileys' owner fields are LIDs, each with a `…Pn` twin (§4).
            if d.lid {
                let (lid, pn) = (lid_of(&g.creator), s_whatsapp(&g.creator));
                for (key, value) in [
                    ("owner", &lid),
                    ("ownerPn", &pn),
                    ("subjectOwner", &lid),
                    ("subjectOwnerPn", &pn),
                ] {
                    group[key] = value.as_str().into();
                }
            }
            group
        }
        Engine::Gows => json!({
            "JID": g.id, "OwnerJID": lid_of(&g.creator), "OwnerPN": s_whatsapp(&g.creator),
            "Name": g.subject, "NameSetAt": rfc3339(g.created_at), "NameSetBy": lid_of(&g.creator),
            "NameSetByPN": s_whatsapp(&g.creator),
            "Topic": g.description.clone().unwrap_or_default(), "TopicID": "", "TopicSetAt": "0001-01-01T00:00:00Z",
            "TopicSetBy": "", "TopicSetByPN": "", "TopicDeleted": false,
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
    d: Dialect,
    groups: impl Iterator<Item = &'a Group>,
    with_participants: bool,
) -> Value {
    match d.engine {
        Engine::Noweb => Value::Object(
            groups
                .map(|g| (g.id.clone(), group(d, g, with_participants)))
                .collect(),
        ),
        _ => Value::Array(groups.map(|g| group(d, g, with_participants)).collect()),
    }
}

/// The WhatsApp status of one participant's outcome.
pub fn status_of(outcome: &Result<(), Refusal>) -> u16 {
    match outcome {
        Ok(()) => 200,
        Err(Refusal::AlreadyParticipant(_)) => 409,
        Err(Refusal::NotParticipant(_) | Refusal::NotOnWhatsApp(_)) => 404,
        Err(Refusal::RecentlyLeft(_)) => 408,
        Err(Refusal::GroupFull(_)) => 419,
        Err(_) => 403,
    }
}

/// whatsapp-web.js's message for an add's code (`GroupChat.addParticipants`,
/// `Client.createGroup`; "occupied" is theirs).
fn webjs_add_message(code: u16) -> &'static str {
    match code {
        200 => "The participant was added successfully",
        403 => "The participant can be added by sending private invitation only",
        404 => "The phone number is not registered on WhatsApp",
        409 => "The participant is already a group member",
        408 => "The participant can't be added because they left the group recently",
        419 => "The participant can't be added because the group is full",
        _ => "An unknown error occupied while adding a participant",
    }
}

/// `POST /groups`: WEBJS's `createGroup` result lists each requested member (never the
/// creator) with its code — a privacy refusal 403 (WEBJS then sends the invite itself:
/// `isInviteV4Sent`), an id WhatsApp does not know 404 (REFERENCE.md A3). NOWEB returns
/// the group; GOWS too, with each member it could not add carrying its `Error` and
/// `AddRequest`.
pub fn created(d: Dialect, g: &Group, outcomes: &Outcomes, unknown: &[String]) -> Value {
    match d.engine {
        Engine::Webjs => {
            let mut results = Map::new();
            for (id, outcome) in outcomes {
                let code = status_of(outcome);
                results.insert(
                    id.clone(),
                    json!({"statusCode": code, "message": webjs_add_message(code),
                           "isGroupCreator": false, "isInviteV4Sent": code == 403}),
                );
            }
            for id in unknown {
                results.insert(
                    id.clone(),
                    json!({"statusCode": 404, "message": webjs_add_message(404),
                           "isGroupCreator": false, "isInviteV4Sent": false}),
                );
            }
            json!({"title": g.subject, "gid": webjs_id(&g.id), "participants": results})
        }
        Engine::Gows => {
            let mut created = group(d, g, true);
            if let Some(list) = created["Participants"].as_array_mut() {
                list.extend(outcomes.iter().filter_map(|(id, outcome)| {
                    outcome
                        .as_ref()
                        .err()
                        .map(|refusal| gows_result(id, refusal))
                }));
            }
            created
        }
        Engine::Noweb => group(d, g, true),
    }
}

fn new_member(id: &str) -> Member {
    Member {
        id: id.to_owned(),
        role: Role::Member,
    }
}

/// One GOWS result entry: the participant with its `Error` (0 = applied) and, for a privacy
/// refusal, its `AddRequest` (research §3).
fn gows_result(id: &str, refusal: &Refusal) -> Value {
    let add = match refusal {
        Refusal::AddRequest {
            code, expiration, ..
        } => json!({"Code": code, "Expiration": rfc3339(*expiration)}),
        _ => Value::Null,
    };
    gows_participant(
        &new_member(id),
        false,
        false,
        status_of(&Err(refusal.clone())),
        add,
    )
}

/// One NOWEB result entry, Baileys' `{status, jid, content}` where `content` is the raw
/// `participant` node: `jid` is the LID in LID groups with the phone in
/// `attrs.phone_number`; a refusal has `attrs.error`, a privacy one an `add_request` child
/// (research §3, REFERENCE.md A3).
fn noweb_result(d: Dialect, id: &str, outcome: &Result<(), Refusal>) -> Value {
    let jid = if d.lid { lid_of(id) } else { s_whatsapp(id) };
    let mut attrs = json!({"jid": jid});
    if let Some(pn) = phone(id).filter(|_| d.lid) {
        attrs["phone_number"] = s_whatsapp(pn).into();
    }
    let status = status_of(outcome);
    let mut node = json!({"tag": "participant", "attrs": attrs});
    if status != 200 {
        node["attrs"]["error"] = status.to_string().into();
    }
    if let Err(Refusal::AddRequest {
        code, expiration, ..
    }) = outcome
    {
        node["content"] = json!([{"tag": "add_request",
            "attrs": {"code": code, "expiration": expiration.to_string()}}]);
    }
    json!({"status": status.to_string(), "jid": jid, "content": node})
}

/// Per-participant results of add/remove/promote/demote (REFERENCE.md A3, last paragraph;
/// research §3). WEBJS answers remove/promote/demote with `{"status":200}` whatever
/// WhatsApp did (whatsapp-web.js drops non-members and reports nothing per person).
pub fn change_results(d: Dialect, adding: bool, outcomes: &Outcomes) -> Value {
    match d.engine {
        Engine::Webjs if adding => Value::Object(
            outcomes
                .iter()
                .map(|(id, outcome)| {
                    let code = status_of(outcome);
                    let result = json!({"code": code, "message": webjs_add_message(code),
                                        "isInviteV4Sent": code == 403});
                    (id.clone(), result)
                })
                .collect(),
        ),
        Engine::Webjs => json!({"status": 200}),
        Engine::Noweb => Value::Array(
            outcomes
                .iter()
                .map(|(id, outcome)| noweb_result(d, id, outcome))
                .collect(),
        ),
        Engine::Gows => Value::Array(
            outcomes
                .iter()
                .map(|(id, outcome)| match outcome {
                    Ok(()) => gows_participant(&new_member(id), false, false, 0, Value::Null),
                    Err(refusal) => gows_result(id, refusal),
                })
                .collect(),
        ),
    }
}

/// A pending request as `GET …/participants/join-requests` lists it (REFERENCE.md A2).
pub fn join_request(d: Dialect, r: &JoinRequest) -> Value {
    json!({"requesterId": listed_id(d, &r.id), "requesterPn": phone(&r.id), "addedById": null,
           "parentGroupId": null, "requestMethod": "invite_link", "timestamp": r.at})
}

/// An approve/reject result, `GroupJoinRequestResult = {requesterId|null, success, error?}`
/// (REFERENCE.md A2). Emulator choice: an id with no pending request is answered in its
/// place with `requesterId: null`, `error: 404` (WhatsApp reports no requester for it).
pub fn join_result(d: Dialect, id: &str, outcome: &Result<(), Refusal>) -> Value {
    match outcome {
        Ok(()) => json!({"requesterId": listed_id(d, id), "success": true}),
        Err(_) => json!({"requesterId": null, "success": false, "error": 404}),
    }
}

/// The invite code as `GET invite-code` returns it: WEBJS/NOWEB the code, GOWS the link.
pub fn invite(engine: Engine, code: &str) -> String {
    match engine {
        Engine::Gows => format!("https://chat.whatsapp.com/{code}"),
        _ => code.to_owned(),
    }
}

/// A sent message, as `POST /api/sendText` returns it: WAHA passes each library's object
/// through (REFERENCE.md A5). `chat` is the group or the person (`…@c.us`), `mentions` the
/// ids asked for.
/// - WEBJS: whatsapp-web.js `Message` (`src/structures/Message.js` `_patch`: the object's
///   own enumerable fields; `undefined` ones are dropped by JSON), with `_data` a subset of
///   the WA Web model it was made from; `author` only in groups; `ack` 0 (pending) as
///   `sendMessage` returns before the server's ack.
/// - NOWEB: Baileys `generateWAMessageFromContent` → `WebMessageInfo` as protobufjs's JSON
///   (longs and enums as strings, empty repeated fields dropped): `participant` = the
///   account in groups, `extendedTextMessage.contextInfo.mentionedJid` when mentioning, JIDs
///   through `toJID` (`@s.whatsapp.net`).
/// - GOWS: `messageResponse` → `{id, _data}`, `buildMessageId` ending in the sender in groups
///   only. `_data` is gows's own JSON of the message (a closed binary): left empty here.
pub fn sent(engine: Engine, chat: &str, me: &str, m: &Message, mentions: &[String]) -> Value {
    let group = chat.ends_with("@g.us");
    let serialized = if group {
        format!("true_{chat}_{}_{me}", m.id)
    } else {
        format!("true_{chat}_{}", m.id)
    };
    let to_jid = |id: &str| id.replace("@c.us", "@s.whatsapp.net");
    match engine {
        Engine::Webjs => {
            let id = json!({"fromMe": true, "remote": chat, "id": m.id, "_serialized": serialized});
            let wid = |w: &str| {
                let (user, server) = w.split_once('@').unwrap_or((w, "c.us"));
                json!({"server": server, "user": user, "_serialized": w})
            };
            let mut data = json!({
                "id": id, "body": m.text, "type": "chat", "t": m.at, "from": wid(me),
                "to": wid(chat), "ack": 0, "isNewMsg": true, "local": true,
                "mentionedJidList": mentions, "groupMentions": [],
            });
            let mut message = json!({
                "_data": {}, "id": id, "ack": 0, "hasMedia": false, "body": m.text,
                "type": "chat", "timestamp": m.at, "from": me, "to": chat,
                "deviceType": "web", "forwardingScore": 0, "isStatus": false,
                "fromMe": true, "hasQuotedMsg": false, "hasReaction": false,
                "vCards": [], "mentionedIds": mentions, "groupMentions": [],
                "isGif": false, "links": [],
            });
            if group {
                data["author"] = wid(me);
                message["author"] = me.into();
            }
            message["_data"] = data;
            message
        }
        Engine::Noweb => {
            let mut text = json!({"text": m.text});
            if !mentions.is_empty() {
                let jids: Vec<String> = mentions.iter().map(|id| to_jid(id)).collect();
                text["contextInfo"] = json!({"mentionedJid": jids});
            }
            let mut message = json!({
                "key": {"remoteJid": to_jid(chat), "fromMe": true, "id": m.id},
                "message": {"extendedTextMessage": text},
                "messageTimestamp": m.at.to_string(), "status": "PENDING",
            });
            if group {
                message["participant"] = to_jid(me).into();
            }
            message
        }
        Engine::Gows => json!({"id": serialized, "_data": {}}),
    }
}
