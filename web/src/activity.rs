//! What a gateway tells the panel, read and put in an admin's words: who is signed in
//! (`/_gateway/me`), the live events, the audit, a refused sign-in; and which provider a
//! pasted webhook payload came from (issue 12, item 17). Pure, so it is tested natively.

use serde_json::Value;
use wa_groups::provider::ProviderKind;

use crate::logic::{operation_words, unix_ms, written_phone};

fn text(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A provider as the gateway spells it (`waha`, `wavy`, `evolution`).
pub fn provider_of(name: &str) -> Option<ProviderKind> {
    match name {
        "waha" => Some(ProviderKind::Waha),
        "wavy" => Some(ProviderKind::Wavy),
        "evolution" => Some(ProviderKind::Evolution),
        _ => None,
    }
}

/// A provider as an admin knows it.
pub fn provider_label(provider: ProviderKind) -> &'static str {
    match provider {
        ProviderKind::Waha => "WAHA",
        ProviderKind::Wavy => "Wavy",
        ProviderKind::Evolution => "Evolution API",
    }
}

/// One connection a gateway serves (never with its credentials: the gateway keeps them).
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayConnection {
    pub name: String,
    pub provider: ProviderKind,
    /// WAHA: the session; Evolution API: the instance.
    pub session: Option<String>,
}

/// The signed-in user, as `GET /_gateway/me` answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Me {
    pub user: String,
    pub role: String,
    pub connections: Vec<GatewayConnection>,
}

impl Me {
    /// `{"user","role","connections":[{"name","provider","session"?}]}`; a connection of a
    /// provider the panel does not know is left out.
    pub fn from_json(value: &Value) -> Option<Me> {
        let connections = value
            .get("connections")?
            .as_array()?
            .iter()
            .filter_map(|c| {
                Some(GatewayConnection {
                    name: text(c, "name")?,
                    provider: provider_of(c.get("provider")?.as_str()?)?,
                    session: text(c, "session"),
                })
            })
            .collect();
        Some(Me {
            user: text(value, "user")?,
            role: text(value, "role")?,
            connections,
        })
    }

    pub fn is_admin(&self) -> bool {
        self.role == "admin"
    }

    /// Why this user may not change anything, or `None` when they may.
    pub fn write_denied(&self) -> Option<&'static str> {
        match self.role.as_str() {
            "admin" => None,
            "viewer" => Some("Your role (viewer) can only read"),
            _ => Some("Your role can only read"),
        }
    }
}

/// Why a sign-in failed, from the gateway's status and `Retry-After` (seconds).
pub fn sign_in_refusal(status: u16, retry_after: Option<&str>) -> String {
    match status {
        401 => "Wrong user name or password.".to_owned(),
        429 => match retry_after.and_then(|s| s.trim().parse::<u64>().ok()) {
            Some(secs) => format!("Too many failed sign-ins: try again in {secs}\u{a0}s."),
            None => "Too many failed sign-ins: try again in a minute.".to_owned(),
        },
        400 => "Type a user name and a password.".to_owned(),
        _ => format!("The gateway could not sign you in (HTTP {status}). Try again."),
    }
}

/// A person as an event names them: a phone id (`5511…@c.us`, or bare digits as Wavy
/// sends them) as people write the number; anything else (a LID) as it is.
pub fn person_text(id: &str) -> String {
    let digits = id.strip_suffix("@c.us").unwrap_or(id);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        written_phone(digits)
    } else {
        id.to_owned()
    }
}

/// One event from the gateway (`/_gateway/events`, `/_gateway/events/history`): the core's
/// `InboundEvent` with the gateway's `id`, `connection` and `receivedMs`.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveEvent {
    /// The gateway's id: strictly increasing, so also the order.
    pub id: i64,
    pub connection: String,
    pub kind: String,
    /// `join`, `leave`, `promote`, `demote` (members); `created`… (join requests).
    pub action: Option<String>,
    pub group_id: Option<String>,
    pub group_subject: Option<String>,
    pub from: Option<String>,
    /// The members concerned, as people write them.
    pub people: Vec<String>,
    pub text: Option<String>,
    /// When it happened (the provider's time, else when the gateway received it), in ms.
    pub at_ms: f64,
}

impl LiveEvent {
    pub fn from_json(value: &Value) -> Option<LiveEvent> {
        let id = value.get("id")?.as_i64()?;
        let received = value.get("receivedMs").and_then(Value::as_f64);
        let at_ms = value
            .get("timestamp")
            .and_then(Value::as_u64)
            .map(unix_ms)
            .or(received)
            .unwrap_or(0.0);
        let people = value
            .get("participants")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|p| {
                        text(p, "phone")
                            .map(|phone| person_text(&phone))
                            .or_else(|| text(p, "id").map(|id| person_text(&id)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(LiveEvent {
            id,
            connection: text(value, "connection").unwrap_or_default(),
            kind: text(value, "kind").unwrap_or_else(|| "unknown".into()),
            action: text(value, "action"),
            group_id: text(value, "groupId"),
            group_subject: value.get("group").and_then(|g| text(g, "subject")),
            from: text(value, "from").map(|f| person_text(&f)),
            people,
            text: text(value, "text"),
            at_ms,
        })
    }

    /// A member joined, left, was promoted or demoted: what the group's timeline shows.
    pub fn is_membership(&self) -> bool {
        self.kind == "participantsChanged"
            && matches!(
                self.action.as_deref(),
                Some("join" | "leave" | "promote" | "demote" | "add" | "remove")
            )
    }

    /// The event as a sentence: who did what.
    pub fn sentence(&self) -> String {
        let people = match self.people.as_slice() {
            [] => "Someone".to_owned(),
            [one] => one.clone(),
            many => many.join(", "),
        };
        let plural = self.people.len() > 1;
        let mut said = match (self.kind.as_str(), self.action.as_deref()) {
            ("participantsChanged", Some("join")) => format!("{people} joined"),
            ("participantsChanged", Some("add")) => format!("{people} added"),
            ("participantsChanged", Some("leave")) => format!("{people} left"),
            ("participantsChanged", Some("remove")) => format!("{people} removed"),
            ("participantsChanged", Some("promote")) => format!(
                "{people} {} made {}",
                if plural { "were" } else { "was" },
                if plural { "admins" } else { "an admin" }
            ),
            ("participantsChanged", Some("demote")) => format!(
                "{people} {} no longer {}",
                if plural { "are" } else { "is" },
                if plural { "admins" } else { "an admin" }
            ),
            ("participantsChanged", action) => {
                format!("{people}: {}", action.unwrap_or("changed"))
            }
            ("groupMessage" | "directMessage", _) => {
                let who = self.from.clone().unwrap_or_else(|| "Someone".into());
                let to = if self.kind == "directMessage" {
                    " to the account"
                } else {
                    ""
                };
                match &self.text {
                    Some(text) => format!("{who} wrote{to}: “{text}”"),
                    None => format!("{who} wrote{to}"),
                }
            }
            ("groupJoined", _) => "The account joined the group".to_owned(),
            ("groupLeft", _) => "The account left the group".to_owned(),
            ("groupUpdated", _) => match &self.group_subject {
                Some(subject) => format!("The group was renamed “{subject}”"),
                None => "The group's details changed".to_owned(),
            },
            ("joinRequest", Some("created") | None) => format!("{people} asked to join"),
            ("joinRequest", Some("revoked")) => format!("{people} withdrew a request to join"),
            ("joinRequest", Some("rejected")) => {
                format!("{people}'s request to join was rejected")
            }
            ("joinRequest", Some(other)) => format!("{people}: join request {other}"),
            _ => "An event the panel does not read".to_owned(),
        };
        let by_someone_else = self.kind == "participantsChanged"
            && self
                .from
                .as_ref()
                .is_some_and(|from| !self.people.contains(from));
        if by_someone_else && let Some(from) = &self.from {
            said.push_str(&format!(" (by {from})"));
        }
        said
    }

    /// The group as the admin knows it: its subject when the event names it, else its id.
    pub fn group_label(&self) -> Option<String> {
        self.group_subject.clone().or_else(|| self.group_id.clone())
    }
}

/// Adds `new` to `events` (newest first, by id), each id once, keeping the newest `cap`.
pub fn merge(events: &mut Vec<LiveEvent>, new: impl IntoIterator<Item = LiveEvent>, cap: usize) {
    let mut changed = false;
    for event in new {
        if let Err(at) = events.binary_search_by(|e| event.id.cmp(&e.id)) {
            events.insert(at, event);
            changed = true;
        }
    }
    if changed && events.len() > cap {
        events.truncate(cap);
    }
}

/// One forwarded write, as `GET /_gateway/audit` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub id: i64,
    pub at_ms: f64,
    pub user: String,
    pub connection: String,
    pub operation: String,
    pub method: String,
    pub path: String,
    pub group_id: Option<String>,
    pub status: u64,
    pub duration_ms: i64,
}

impl AuditRow {
    /// `{id, atMs, user, connection, method, path, operation, groupId?, status,
    /// durationMs}`.
    pub fn from_json(value: &Value) -> Option<AuditRow> {
        Some(AuditRow {
            id: value.get("id")?.as_i64()?,
            at_ms: value.get("atMs")?.as_f64()?,
            user: text(value, "user").unwrap_or_default(),
            connection: text(value, "connection").unwrap_or_default(),
            operation: text(value, "operation").unwrap_or_default(),
            method: text(value, "method").unwrap_or_default(),
            path: text(value, "path").unwrap_or_default(),
            group_id: text(value, "groupId"),
            status: value.get("status").and_then(Value::as_u64).unwrap_or(0),
            duration_ms: value.get("durationMs").and_then(Value::as_i64).unwrap_or(0),
        })
    }
}

/// What the provider's answer to an audited change means, in an admin's words; the status
/// is shown beside it. The gateway records 502 when the provider could not be reached and
/// 504 when it did not answer in time (the change may have applied). A 2xx says the
/// provider accepted the request, not that every member of it was added (WEBJS answers 200
/// naming those it could not add), so it is "Accepted", not "Done".
pub fn result_label(status: u64) -> &'static str {
    match status {
        200..=299 => "Accepted",
        400 | 422 => "Refused as invalid",
        401 => "Refused: the provider did not accept the key",
        403 => "Refused: not allowed",
        404 => "Not found",
        409 => "Refused: conflicts with the group's state",
        429 => "Refused: too many requests",
        502 => "Provider unreachable",
        504 => "No answer in time (it may have applied)",
        400..=499 => "Refused",
        500..=599 => "Provider error",
        _ => "Answered",
    }
}

/// An operation the audit records (`createGroup`) as an admin says it ("Created a group").
/// One the panel does not know is spelled out in words (`fooBar` → "Foo bar").
pub fn operation_label(operation: &str) -> String {
    let known = match operation {
        "createGroup" => "Created a group",
        "deleteGroup" => "Deleted a group",
        "joinGroup" => "Joined a group",
        "leaveGroup" => "Left a group",
        "refreshGroups" => "Refreshed the groups from WhatsApp",
        "setSubject" => "Renamed a group",
        "setDescription" => "Changed a description",
        "updateSettings" => "Changed a group's settings",
        "setIcon" => "Changed an icon",
        "removeIcon" => "Removed an icon",
        "revokeInviteLink" => "Reset an invite link",
        "addParticipants" => "Added members",
        "removeParticipants" => "Removed members",
        "promoteAdmins" => "Made members admins",
        "demoteAdmins" => "Made admins members",
        "answerJoinRequests" => "Answered join requests",
        "sendText" => "Sent a message",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    let words = operation_words(operation);
    let mut chars = words.trim_start().chars();
    match chars.next() {
        // ASCII only: Unicode's case tables would weigh more than the rest of this file.
        Some(first) => format!("{}{}", first.to_ascii_uppercase(), chars.as_str()),
        None => "A change".to_owned(),
    }
}

/// An event's kind (and, for members, its action) as an admin says it: `groupMessage` →
/// "Message in group", `participantsChanged` + `join` → "Joined".
pub fn event_label(kind: &str, action: Option<&str>) -> &'static str {
    match (kind, action) {
        ("participantsChanged", Some("join")) => "Joined",
        ("participantsChanged", Some("add")) => "Added",
        ("participantsChanged", Some("leave")) => "Left",
        ("participantsChanged", Some("remove")) => "Removed",
        ("participantsChanged", Some("promote")) => "Made admin",
        ("participantsChanged", Some("demote")) => "No longer admin",
        ("participantsChanged", _) => "Members changed",
        ("groupMessage", _) => "Message in group",
        ("directMessage", _) => "Message to the account",
        ("groupJoined", _) => "The account joined a group",
        ("groupLeft", _) => "The account left a group",
        ("groupUpdated", _) => "Group details changed",
        ("joinRequest", _) => "Request to join",
        _ => "Not a group event",
    }
}

/// Why a pasted payload could not be read, for an admin (the parser's words are the
/// technical detail).
pub fn payload_unreadable(provider: ProviderKind) -> String {
    format!(
        "This is not a payload {} sends: paste the raw body of the request, as it arrived.",
        provider_label(provider)
    )
}

/// Which provider sent a pasted payload, by its shape: a Wavy MO batch
/// `{"total","data":[…]}`, or a WAHA webhook envelope `{"event","session","payload"}`.
/// `None` when it is neither (or not JSON).
pub fn payload_shape(payload: &str) -> Option<ProviderKind> {
    let value: Value = serde_json::from_str(payload).ok()?;
    let object = value.as_object()?;
    let named = object.get("event").is_some_and(Value::is_string);
    // Evolution's envelope names its instance (its `data` may be a list, like Wavy's batch).
    if named && object.contains_key("instance") && object.contains_key("data") {
        return Some(ProviderKind::Evolution);
    }
    if object.get("data").is_some_and(Value::is_array) {
        return Some(ProviderKind::Wavy);
    }
    if named && (object.contains_key("payload") || object.contains_key("session")) {
        return Some(ProviderKind::Waha);
    }
    None
}

/// When a pasted payload has the other provider's shape: what it looks like and what the
/// provider it is read as sends instead. `connected` says whether `expected` is the
/// current connection's provider (else the person picked it).
pub fn payload_mismatch(payload: &str, expected: ProviderKind, connected: bool) -> Option<String> {
    let found = payload_shape(payload)?;
    if found == expected {
        return None;
    }
    let looks = match found {
        ProviderKind::Wavy => "This looks like a Wavy MO message",
        ProviderKind::Waha => "This looks like a WAHA webhook",
        ProviderKind::Evolution => "This looks like an Evolution API webhook",
    };
    let chosen = if connected {
        "you are connected to"
    } else {
        "you chose"
    };
    let sends = match expected {
        ProviderKind::Waha => {
            "WAHA, which sends webhook JSON like {\"event\": \"group.v2.participants\", \
             \"session\": \"default\", \"payload\": {…}}"
        }
        ProviderKind::Wavy => {
            "Wavy, which sends MO batches like {\"total\": 1, \"data\": [{\"source\": \"…\", \
             \"message\": {\"type\": \"TEXT\", \"messageText\": \"…\", \"waGroupId\": \"…\"}}]}"
        }
        ProviderKind::Evolution => {
            "Evolution API, which sends webhook JSON like {\"event\": \"group-participants.update\", \
             \"instance\": \"…\", \"data\": {…}}"
        }
    };
    Some(format!(
        "{looks}; {chosen} {sends}. To read it as {} anyway, choose {} as the provider above.",
        provider_label(found),
        provider_label(found)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn me_lists_the_connections_without_credentials_and_says_who_may_write() {
        let me = Me::from_json(&json!({"user": "ana", "role": "viewer", "connections": [
            {"name": "main", "provider": "waha", "session": "default"},
            {"name": "sales", "provider": "wavy"},
            {"name": "evo", "provider": "evolution", "session": "sales"},
            {"name": "later", "provider": "meta"},
        ]}))
        .unwrap();
        assert_eq!(me.user, "ana");
        assert_eq!(me.connections.len(), 3, "the unknown kind is left out");
        assert_eq!(me.connections[0].session.as_deref(), Some("default"));
        assert_eq!(me.connections[1].provider, ProviderKind::Wavy);
        assert_eq!(me.connections[2].provider, ProviderKind::Evolution);
        assert_eq!(me.connections[2].session.as_deref(), Some("sales"));
        assert_eq!(me.write_denied(), Some("Your role (viewer) can only read"));
        assert!(!me.is_admin());
        let admin = Me::from_json(&json!({"user": "bo", "role": "admin", "connections": []}));
        assert_eq!(admin.unwrap().write_denied(), None);
        assert!(Me::from_json(&json!({"error": "unauthorized"})).is_none());
    }

    #[test]
    fn a_refused_sign_in_says_why_and_how_long_to_wait() {
        assert_eq!(sign_in_refusal(401, None), "Wrong user name or password.");
        assert_eq!(
            sign_in_refusal(429, Some("42")),
            "Too many failed sign-ins: try again in 42\u{a0}s."
        );
        assert!(sign_in_refusal(502, None).contains("HTTP 502"));
    }

    #[test]
    fn a_waha_join_reads_as_who_joined_which_group_and_when() {
        let event = LiveEvent::from_json(&json!({
            "id": 7, "connection": "main", "kind": "participantsChanged", "action": "join",
            "groupId": "120363000000000001@g.us", "timestamp": 1_757_000_000u64,
            "participants": [{"id": "5511999990001@c.us", "role": "member"}],
            "receivedMs": 1_757_000_001_000u64
        }))
        .unwrap();
        assert!(event.is_membership());
        assert_eq!(event.sentence(), "+55 11 99999-0001 joined");
        assert_eq!(event.at_ms, 1_757_000_000_000.0);
        assert_eq!(
            event.group_label().as_deref(),
            Some("120363000000000001@g.us")
        );
    }

    #[test]
    fn promotions_name_everyone_and_who_did_it() {
        let event = LiveEvent::from_json(&json!({
            "id": 8, "connection": "main", "kind": "participantsChanged", "action": "promote",
            "from": "5511900000000@c.us",
            "participants": [{"id": "1@lid", "phone": "5511999990001", "role": "admin"},
                             {"id": "5511999990002@c.us", "role": "admin"}],
            "receivedMs": 5
        }))
        .unwrap();
        assert_eq!(
            event.sentence(),
            "+55 11 99999-0001, +55 11 99999-0002 were made admins (by +55 11 90000-0000)"
        );
        assert_eq!(event.at_ms, 5.0, "no provider time: when it was received");
    }

    #[test]
    fn a_wavy_group_message_names_the_sender_and_the_text() {
        let event = LiveEvent::from_json(&json!({
            "id": 9, "connection": "sales", "kind": "groupMessage", "from": "5511999990001",
            "text": "Hello", "groupId": "5519900000000-1553784379", "receivedMs": 1
        }))
        .unwrap();
        assert!(!event.is_membership());
        assert_eq!(event.sentence(), "+55 11 99999-0001 wrote: “Hello”");
    }

    #[test]
    fn merging_keeps_each_id_once_newest_first_within_the_cap() {
        let at = |id| LiveEvent::from_json(&json!({"id": id, "kind": "unknown"})).unwrap();
        let mut events = vec![];
        merge(&mut events, [at(3), at(1), at(2)], 10);
        merge(&mut events, [at(2), at(4), at(3)], 10);
        let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
        assert_eq!(ids, [4, 3, 2, 1]);
        merge(&mut events, [at(5)], 3);
        let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
        assert_eq!(ids, [5, 4, 3]);
    }

    #[test]
    fn an_audit_row_reads_the_gateway_fields() {
        let row = AuditRow::from_json(&json!({"id": 1, "atMs": 1000, "user": "ana",
            "connection": "main", "method": "POST", "path": "/api/default/groups",
            "operation": "createGroup", "status": 201, "durationMs": 12}))
        .unwrap();
        assert_eq!(row.operation, "createGroup");
        assert_eq!((row.status, row.duration_ms, row.group_id), (201, 12, None));
    }

    const WAVY_MO: &str = r#"{"total":1,"data":[{"source":"5511999990001","message":{"type":"TEXT","messageText":"Hi","waGroupId":"5519900000000-1553784379"}}]}"#;
    const WAHA_HOOK: &str = r#"{"event":"message","session":"default","payload":{"body":"Hi"}}"#;

    #[test]
    fn a_wavy_mo_pasted_while_on_waha_says_what_waha_sends() {
        assert_eq!(payload_shape(WAVY_MO), Some(ProviderKind::Wavy));
        let said = payload_mismatch(WAVY_MO, ProviderKind::Waha, true).unwrap();
        assert!(said.starts_with(
            "This looks like a Wavy MO message; you are connected to WAHA, which sends webhook JSON like {"
        ), "{said}");
        assert_eq!(payload_mismatch(WAVY_MO, ProviderKind::Wavy, true), None);
    }

    #[test]
    fn a_waha_webhook_pasted_while_on_wavy_says_what_wavy_sends() {
        assert_eq!(payload_shape(WAHA_HOOK), Some(ProviderKind::Waha));
        let said = payload_mismatch(WAHA_HOOK, ProviderKind::Wavy, false).unwrap();
        assert!(
            said.starts_with(
                "This looks like a WAHA webhook; you chose Wavy, which sends MO batches like {"
            ),
            "{said}"
        );
        assert_eq!(payload_mismatch(WAHA_HOOK, ProviderKind::Waha, false), None);
        assert_eq!(
            payload_mismatch("{\"other\":1}", ProviderKind::Waha, true),
            None
        );
        assert_eq!(payload_mismatch("not json", ProviderKind::Wavy, true), None);
    }

    #[test]
    fn the_audit_and_the_events_speak_an_admins_words() {
        assert_eq!(operation_label("createGroup"), "Created a group");
        assert_eq!(operation_label("promoteAdmins"), "Made members admins");
        assert_eq!(operation_label("setSubject"), "Renamed a group");
        assert_eq!(operation_label("archiveChat"), "Archive chat");
        assert_eq!(operation_label(""), "A change");
        assert_eq!(operation_label("étatDuGroupe"), "état du groupe");
        assert_eq!(event_label("groupMessage", None), "Message in group");
        assert_eq!(event_label("participantsChanged", Some("join")), "Joined");
        assert_eq!(
            event_label("participantsChanged", Some("demote")),
            "No longer admin"
        );
        assert_eq!(event_label("unknown", None), "Not a group event");
        assert!(
            payload_unreadable(ProviderKind::Wavy).starts_with("This is not a payload Wavy sends")
        );
    }

    #[test]
    fn an_audited_answer_is_said_in_words() {
        assert_eq!(result_label(201), "Accepted");
        assert_eq!(result_label(200), "Accepted");
        assert_eq!(result_label(403), "Refused: not allowed");
        assert_eq!(result_label(429), "Refused: too many requests");
        assert_eq!(result_label(418), "Refused");
        assert_eq!(result_label(502), "Provider unreachable");
        assert_eq!(result_label(504), "No answer in time (it may have applied)");
        assert_eq!(result_label(500), "Provider error");
        assert_eq!(result_label(0), "Answered");
    }
}
