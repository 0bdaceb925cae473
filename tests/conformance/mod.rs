//! One conformance suite of group operations, run against the sandbox for every provider
//! (WAHA with each engine, Wavy) and over every transport: natively in-process
//! (`sandbox/tests/conformance.rs`) and in a browser over `fetch` (`tests/browser.rs`).
//! In the manner of object_store's shared suite: each check asserts state through a second
//! call (promote, then `get_group` shows the role), and what a provider cannot do must fail
//! with `unsupported`.

#![allow(dead_code)]

pub mod cache;

use serde_json::{Value, json};
use wa_groups::http::{HttpRequest, Method, Transport};
use wa_groups::model::{
    GroupId, GroupSettings, Mentions, NewGroup, ParticipantChange, RefusalReason, Role, SendOptions,
};
use wa_groups::provider::ProviderKind;
use wa_groups::{Client, ErrorCode};

/// A client plus a way to reach the sandbox's control API.
pub struct Env<T> {
    /// The client under test.
    pub client: Client<T>,
    /// A transport to the sandbox itself (for `/_sandbox/...`).
    pub control: T,
    /// The sandbox's base URL.
    pub base_url: String,
    /// A tag making subjects and phone numbers unique per test.
    pub tag: u32,
}

impl<T: Transport> Env<T> {
    fn caps(&self) -> wa_groups::provider::Capabilities {
        self.client.capabilities()
    }

    fn subject(&self, name: &str) -> String {
        // Short enough for Wavy's 25-character limit.
        format!("{name} {:05}", self.tag % 100_000)
    }

    /// A phone number unique to this test (`n` tells several apart).
    pub fn phone(&self, n: u32) -> String {
        format!("55119{:04}{:04}", self.tag % 10_000, n)
    }

    async fn control(&self, path: &str, body: Value) -> (u16, Value) {
        let request = HttpRequest::new(Method::Post, format!("/_sandbox{path}")).json(&body);
        let response = self
            .control
            .send(&self.base_url, request)
            .await
            .expect("control API reachable");
        let value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        (response.status, value)
    }

    /// What the account sent to `chat_id`, as the sandbox recorded it.
    pub async fn messages(&self, chat_id: &str) -> Vec<Value> {
        let request =
            HttpRequest::new(Method::Get, "/_sandbox/messages").query("chatId", chat_id.to_owned());
        let response = self
            .control
            .send(&self.base_url, request)
            .await
            .expect("control API reachable");
        assert_eq!(response.status, 200);
        serde_json::from_slice(&response.body).expect("a list of messages")
    }

    /// A WhatsApp user follows an invite link (the control API).
    pub async fn user_joins(&self, link: &str, phone: &str) -> (u16, Value) {
        self.control("/join", json!({"link": link, "phone": phone}))
            .await
    }

    async fn new_group(&self, name: &str) -> GroupId {
        let participants = if self.caps().create_with_participants {
            vec![self.phone(1)]
        } else {
            vec![]
        };
        self.client
            .create_group(&NewGroup {
                subject: self.subject(name),
                participants,
            })
            .await
            .expect("create_group")
            .id
    }

    /// Makes `phone` a member: added directly where the provider can, else through the link.
    async fn add_member(&self, id: &GroupId, phone: &str) {
        if self.caps().add_participants {
            let results = self
                .client
                .change_participants(id, ParticipantChange::Add, &[phone.to_owned()])
                .await
                .expect("add_participants");
            assert!(results[0].ok, "{results:?}");
        } else {
            let link = self.client.get_invite_link(id).await.expect("invite link");
            let (status, body) = self.user_joins(&link, phone).await;
            assert_eq!(status, 200, "{body}");
        }
    }

    /// Applies `change` to one person and returns their result (a transport or provider
    /// error fails the test, naming the change).
    async fn change_one(
        &self,
        id: &GroupId,
        change: ParticipantChange,
        who: &str,
    ) -> Vec<wa_groups::model::ParticipantResult> {
        self.client
            .change_participants(id, change, &[who.to_owned()])
            .await
            .unwrap_or_else(|e| panic!("{change:?}: {e}"))
    }

    async fn role_of(&self, id: &GroupId, phone: &str) -> Option<Role> {
        let group = self.client.get_group(id).await.expect("get_group");
        group
            .participants
            .iter()
            .find(|p| p.phone.as_deref() == Some(phone))
            .map(|p| p.role)
    }
}

fn assert_code<V: std::fmt::Debug>(result: wa_groups::Result<V>, code: ErrorCode) {
    match result {
        Err(e) => assert_eq!(e.code(), code, "{e}"),
        Ok(v) => panic!("expected {code}, got Ok({v:?})"),
    }
}

pub async fn create_then_get_list_and_count<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Create").await;
    let group = env.client.get_group(&id).await.expect("get_group");
    assert_eq!(group.subject, env.subject("Create"));
    assert!(
        group
            .participants
            .iter()
            .any(|p| p.role == Role::Superadmin),
        "{group:?}"
    );
    if env.caps().create_with_participants {
        assert_eq!(env.role_of(&id, &env.phone(1)).await, Some(Role::Member));
    }
    let listed = env
        .client
        .list_groups(&Default::default())
        .await
        .expect("list_groups");
    assert!(
        listed
            .iter()
            .any(|g| g.id == id && g.subject == env.subject("Create"))
    );
    let count = env.client.count_groups().await.expect("count_groups");
    assert_eq!(count, listed.len() as u64);
}

pub async fn rename_shows_in_get<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Rename").await;
    env.client
        .set_subject(&id, &env.subject("Renamed"))
        .await
        .expect("set_subject");
    assert_eq!(
        env.client.get_group(&id).await.unwrap().subject,
        env.subject("Renamed")
    );
    assert_code(
        env.client.set_subject(&id, &"x".repeat(101)).await,
        ErrorCode::InvalidInput,
    );
}

pub async fn description_where_supported<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Describe").await;
    let result = env.client.set_description(&id, "Weekly ops sync").await;
    if env.caps().description {
        result.expect("set_description");
        let group = env.client.get_group(&id).await.unwrap();
        assert_eq!(group.description.as_deref(), Some("Weekly ops sync"));
    } else {
        assert_code(result, ErrorCode::Unsupported);
    }
}

pub async fn invite_join_and_revoke<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Invite").await;
    let link = env
        .client
        .get_invite_link(&id)
        .await
        .expect("get_invite_link");
    assert!(link.starts_with("https://chat.whatsapp.com/"), "{link}");
    let joiner = env.phone(7);
    let (status, body) = env.user_joins(&link, &joiner).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(env.role_of(&id, &joiner).await, Some(Role::Member));

    let new_link = env
        .client
        .revoke_invite_link(&id)
        .await
        .expect("revoke_invite_link");
    if let Some(new_link) = new_link {
        assert_ne!(new_link, link);
    }
    let (status, _) = env.user_joins(&link, &env.phone(8)).await;
    assert_eq!(status, 404, "a revoked link stops working");
    let current = env.client.get_invite_link(&id).await.unwrap();
    assert_ne!(current, link);
}

pub async fn promote_demote_remove<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Roles").await;
    let member = env.phone(2);
    env.add_member(&id, &member).await;
    assert_eq!(env.role_of(&id, &member).await, Some(Role::Member));

    let promoted = env
        .change_one(&id, ParticipantChange::Promote, &member)
        .await;
    assert!(promoted.iter().all(|r| r.ok), "{promoted:?}");
    assert_eq!(env.role_of(&id, &member).await, Some(Role::Admin));

    env.change_one(&id, ParticipantChange::Demote, &member)
        .await;
    assert_eq!(env.role_of(&id, &member).await, Some(Role::Member));

    env.change_one(&id, ParticipantChange::Remove, &member)
        .await;
    assert_eq!(env.role_of(&id, &member).await, None);
}

pub async fn add_where_supported<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Add").await;
    let (a, b) = (env.phone(3), env.phone(4));
    let result = env
        .client
        .change_participants(&id, ParticipantChange::Add, &[a.clone(), b.clone()])
        .await;
    if !env.caps().add_participants {
        return assert_code(result, ErrorCode::Unsupported);
    }
    let results = result.expect("add_participants");
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(|r| r.ok), "{results:?}");
    assert_eq!(env.role_of(&id, &a).await, Some(Role::Member));
    assert_eq!(env.role_of(&id, &b).await, Some(Role::Member));
    let participants = env
        .client
        .list_participants(&id)
        .await
        .expect("list_participants");
    assert!(
        participants
            .iter()
            .any(|p| p.phone.as_deref() == Some(a.as_str()))
    );
    // Adding someone twice is reported per participant, not silently dropped.
    let again = env.change_one(&id, ParticipantChange::Add, &a).await;
    assert_eq!(again.len(), 1);
    assert!(!again[0].ok, "{again:?}");
}

pub async fn settings_where_supported<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Settings").await;
    let caps = env.caps();
    let all = GroupSettings {
        info_admin_only: Some(true),
        messages_admin_only: Some(true),
        members_can_add: Some(false),
        approval_required: Some(true),
    };
    // What the provider can set, as `capabilities()` says; the rest is refused up front.
    let patch = GroupSettings {
        members_can_add: all
            .members_can_add
            .filter(|_| caps.settings_members_can_add),
        approval_required: all.approval_required.filter(|_| caps.settings_approval),
        ..all
    };
    let result = env.client.update_settings(&id, &all).await;
    if !caps.settings {
        assert_code(result, ErrorCode::Unsupported);
        return assert_code(env.client.get_settings(&id).await, ErrorCode::Unsupported);
    }
    if patch != all {
        // Refused before anything is sent: nothing changed.
        assert_code(result, ErrorCode::Unsupported);
        let untouched = env.client.get_settings(&id).await.expect("get_settings");
        assert_ne!(untouched.info_admin_only, Some(true), "{untouched:?}");
        env.client
            .update_settings(&id, &patch)
            .await
            .expect("update_settings of what the provider can set");
        return assert_eq!(
            env.client.get_settings(&id).await.expect("get_settings"),
            patch
        );
    }
    result.expect("update_settings");
    assert_eq!(
        env.client.get_settings(&id).await.expect("get_settings"),
        patch
    );
}

pub async fn join_requests_where_supported<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Requests").await;
    if !env.caps().join_requests {
        return assert_code(
            env.client.list_join_requests(&id).await,
            ErrorCode::Unsupported,
        );
    }
    let patch = GroupSettings {
        approval_required: Some(true),
        ..Default::default()
    };
    env.client
        .update_settings(&id, &patch)
        .await
        .expect("approval on");
    let link = env.client.get_invite_link(&id).await.unwrap();
    let (yes, no) = (env.phone(5), env.phone(6));
    for phone in [&yes, &no] {
        let (status, body) = env.user_joins(&link, phone).await;
        assert_eq!((status, &body["joined"]), (200, &json!(false)), "{body}");
    }
    let pending = env
        .client
        .list_join_requests(&id)
        .await
        .expect("list_join_requests");
    assert_eq!(pending.len(), 2, "{pending:?}");
    let approved = env
        .client
        .answer_join_requests(&id, true, std::slice::from_ref(&yes))
        .await
        .expect("approve");
    assert!(approved[0].ok, "{approved:?}");
    let rejected = env
        .client
        .answer_join_requests(&id, false, std::slice::from_ref(&no))
        .await
        .expect("reject");
    assert!(rejected[0].ok, "{rejected:?}");
    assert_eq!(env.role_of(&id, &yes).await, Some(Role::Member));
    assert_eq!(env.role_of(&id, &no).await, None);
    assert!(env.client.list_join_requests(&id).await.unwrap().is_empty());
}

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

pub async fn icon_set_get_remove<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Icon").await;
    assert_eq!(
        env.client.get_icon(&id).await.expect("get_icon (none)"),
        None
    );
    env.client
        .set_icon(&id, PNG, "image/png")
        .await
        .expect("set_icon");
    let icon = env
        .client
        .get_icon(&id)
        .await
        .expect("get_icon")
        .expect("an icon after set_icon");
    assert!(icon.url.starts_with("http"), "{icon:?}");
    if env.caps().remove_icon {
        env.client.remove_icon(&id).await.expect("remove_icon");
        assert_eq!(env.client.get_icon(&id).await.unwrap(), None);
    } else {
        assert_code(env.client.remove_icon(&id).await, ErrorCode::Unsupported);
        assert!(env.client.get_icon(&id).await.unwrap().is_some());
    }
    assert_code(
        env.client.set_icon(&id, b"GIF89a", "image/gif").await,
        ErrorCode::InvalidInput,
    );
}

pub async fn send_text_to_the_group<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Send").await;
    env.client
        .send_text(&id, "Hello group")
        .await
        .expect("send_text");
    assert_code(
        env.client.send_text(&id, "   ").await,
        ErrorCode::InvalidInput,
    );
}

/// `mentions: "all"` reaches WAHA as `["all"]`; Wavy cannot mention, and sends nothing.
pub async fn mention_all_is_delivered<T: Transport>(env: &Env<T>) {
    let id = env.new_group("All").await;
    let everyone = SendOptions {
        mentions: Some(Mentions::All),
    };
    let result = env
        .client
        .send_text_with(&id, "Meeting now", &everyone)
        .await;
    let sent = env.messages(id.as_str()).await;
    if env.client.provider() == ProviderKind::Wavy {
        assert_code(result, ErrorCode::Unsupported);
        return assert!(sent.is_empty(), "{sent:?}");
    }
    result.expect("send_text_with mentions all");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["text"], "Meeting now");
    assert_eq!(sent[0]["mentions"], json!(["all"]));
}

/// Members are mentioned by the ids the group lists them by; a non-member is refused as
/// `invalid_input` naming them, and nothing is sent.
pub async fn mentions_of_members_are_checked_first<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Mention").await;
    let (a, b, stranger) = (env.phone(2), env.phone(3), env.phone(9));
    env.add_member(&id, &a).await;
    env.add_member(&id, &b).await;
    let options = |people: &[&String]| SendOptions {
        mentions: Some(Mentions::Members(
            people.iter().map(|p| (*p).clone()).collect(),
        )),
    };
    let refused = env
        .client
        .send_text_with(&id, "You three?", &options(&[&a, &stranger]))
        .await;
    if env.client.provider() == ProviderKind::Wavy {
        assert_code(refused, ErrorCode::Unsupported);
        let result = env.client.send_text_with(&id, "Two", &options(&[&a])).await;
        assert_code(result, ErrorCode::Unsupported);
        return assert!(env.messages(id.as_str()).await.is_empty());
    }
    match refused {
        Err(wa_groups::Error::InvalidInput { field, reason }) => {
            assert_eq!(field, "options.mentions[1]");
            assert!(reason.contains(&stranger), "{reason}");
        }
        other => panic!("expected invalid_input, got {other:?}"),
    }
    assert!(env.messages(id.as_str()).await.is_empty());
    env.client
        .send_text_with(&id, "You two?", &options(&[&a, &b]))
        .await
        .expect("send_text_with mentions");
    let listed = env
        .client
        .list_participants(&id)
        .await
        .expect("participants");
    let listed_id = |phone: &String| {
        listed
            .iter()
            .find(|p| p.phone.as_ref() == Some(phone))
            .map(|p| p.id.to_string())
            .expect("a member")
    };
    let sent = env.messages(id.as_str()).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    // WAHA mentions members by the ids the group lists; Evolution by number.
    let expected = if env.client.provider() == ProviderKind::Evolution {
        json!([format!("{a}@c.us"), format!("{b}@c.us")])
    } else {
        json!([listed_id(&a), listed_id(&b)])
    };
    assert_eq!(sent[0]["mentions"], expected);
}

pub async fn leave_removes_the_group_from_the_list<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Leave").await;
    env.client.leave_group(&id).await.expect("leave_group");
    let listed = env.client.list_groups(&Default::default()).await.unwrap();
    assert!(listed.iter().all(|g| g.id != id));
    assert_code(env.client.get_group(&id).await, ErrorCode::NotFound);
}

pub async fn delete_where_supported<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Delete").await;
    let result = env.client.delete_group(&id).await;
    if env.caps().delete_group && result.is_ok() {
        assert_code(env.client.get_group(&id).await, ErrorCode::NotFound);
    } else {
        // Known up front, or learnt from WAHA's 501 for engines without delete.
        assert_code(result, ErrorCode::Unsupported);
    }
}

pub async fn join_by_link_and_preview_where_supported<T: Transport>(
    env: &Env<T>,
    other: &Client<T>,
) {
    if !env.caps().join_group {
        assert_code(
            env.client
                .join_group("https://chat.whatsapp.com/AbCdEf123")
                .await,
            ErrorCode::Unsupported,
        );
        return assert_code(
            env.client.get_join_info("AbCdEf123").await,
            ErrorCode::Unsupported,
        );
    }
    // A group of another account, joined through its link.
    let theirs = other
        .create_group(&NewGroup {
            subject: env.subject("Theirs"),
            participants: vec![],
        })
        .await
        .unwrap();
    // Only admins may add (checked once joined, below).
    other
        .update_settings(
            &theirs.id,
            &GroupSettings {
                members_can_add: Some(false),
                ..Default::default()
            },
        )
        .await
        .expect("only admins add");
    let link = other.get_invite_link(&theirs.id).await.unwrap();
    let preview = env
        .client
        .get_join_info(&link)
        .await
        .expect("get_join_info");
    assert_eq!(preview.subject, env.subject("Theirs"));
    let joined = env.client.join_group(&link).await.expect("join_group");
    assert_eq!(joined, theirs.id);
    assert!(
        env.client
            .list_groups(&Default::default())
            .await
            .unwrap()
            .iter()
            .any(|g| g.id == theirs.id)
    );
    // So a plain member cannot (WEBJS answers 200 with `AddParticipantsError: You have no
    // admin rights…`, the others a 500 `not-authorized`): forbidden, never a success.
    assert_code(
        env.client
            .change_participants(&theirs.id, ParticipantChange::Add, &[env.phone(5)])
            .await,
        ErrorCode::Forbidden,
    );
}

/// Changes made with the ids the provider itself lists (`…@lid` on GOWS and in NOWEB's LID
/// groups) are reported as applied, and so are changes asked by phone.
pub async fn changes_by_the_ids_the_provider_lists<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Listed").await;
    let member = env.phone(2);
    env.add_member(&id, &member).await;
    let listed = env
        .client
        .list_participants(&id)
        .await
        .expect("list_participants")
        .into_iter()
        .find(|p| p.phone.as_deref() == Some(member.as_str()))
        .expect("the member is listed with their phone");
    let by_listed_id = listed.id.to_string();
    let promoted = env
        .change_one(&id, ParticipantChange::Promote, &by_listed_id)
        .await;
    assert!(promoted[0].ok, "{promoted:?}");
    assert_eq!(
        promoted[0].id, listed.id,
        "the result carries the id asked by"
    );
    assert_eq!(env.role_of(&id, &member).await, Some(Role::Admin));
    let demoted = env
        .change_one(&id, ParticipantChange::Demote, &member)
        .await;
    assert!(demoted[0].ok, "{demoted:?}");
    assert_eq!(env.role_of(&id, &member).await, Some(Role::Member));
    let removed = env
        .change_one(&id, ParticipantChange::Remove, &by_listed_id)
        .await;
    assert!(removed[0].ok, "{removed:?}");
    assert_eq!(env.role_of(&id, &member).await, None);
}

/// WhatsApp neither demotes nor removes a group's owner, whatever an engine answers
/// (WEBJS says `{"status":200}`): the result is never `ok`, and the owner stays.
pub async fn the_owner_is_never_reported_demoted_or_removed<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Owner").await;
    let owner = env
        .client
        .get_group(&id)
        .await
        .expect("get_group")
        .participants
        .into_iter()
        .find(|p| p.role == Role::Superadmin)
        .expect("the creator is the owner");
    for change in [ParticipantChange::Demote, ParticipantChange::Remove] {
        match env
            .client
            .change_participants(&id, change, &[owner.id.to_string()])
            .await
        {
            Ok(results) => assert!(!results[0].ok, "{change:?}: {results:?}"),
            Err(e) => assert_ne!(e.code(), ErrorCode::Decode, "{change:?}: {e}"),
        }
        let role = env
            .client
            .get_group(&id)
            .await
            .unwrap()
            .participants
            .into_iter()
            .find(|p| p.id == owner.id)
            .map(|p| p.role);
        assert_eq!(role, Some(Role::Superadmin), "{change:?}");
    }
}

/// `createGroup` reports each first member: someone whose privacy settings refuse adds
/// (the sandbox's `1555403…` numbers) is not added, and says so.
pub async fn create_reports_each_first_member<T: Transport>(env: &Env<T>) {
    if !env.caps().create_with_participants {
        return;
    }
    let (welcome, private) = (env.phone(1), format!("1555403{:04}", env.tag % 10_000));
    let group = env
        .client
        .create_group(&NewGroup {
            subject: env.subject("First"),
            participants: vec![welcome.clone(), private.clone()],
        })
        .await
        .expect("create_group");
    let added = group.added.expect("one outcome per first member");
    assert_eq!(added.len(), 2);
    assert!(added[0].ok, "{added:?}");
    // WEBJS and GOWS say 403; NOWEB's answer simply does not list them.
    assert!(!added[1].ok, "{added:?}");
    assert!(matches!(added[1].status, Some(403) | None), "{added:?}");
    assert_eq!(env.role_of(&group.id, &welcome).await, Some(Role::Member));
    assert_eq!(env.role_of(&group.id, &private).await, None);
}

/// A refused add says why: someone whose privacy settings refuse adds (the sandbox's
/// `1555403…` numbers) is `privacy`, someone already in the group `already_member`; an add
/// that worked has no reason.
pub async fn add_refusals_say_why<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Why").await;
    let (member, newcomer) = (env.phone(5), env.phone(6));
    let private = format!("1555403{:04}", env.tag % 10_000);
    env.add_member(&id, &member).await;
    let result = env
        .client
        .change_participants(
            &id,
            ParticipantChange::Add,
            &[private.clone(), member.clone(), newcomer.clone()],
        )
        .await;
    if !env.caps().add_participants {
        return assert_code(result, ErrorCode::Unsupported);
    }
    let results = result.expect("add_participants");
    let reasons: Vec<_> = results.iter().map(|r| r.reason).collect();
    assert_eq!(
        reasons,
        [
            Some(RefusalReason::Privacy),
            Some(RefusalReason::AlreadyMember),
            None
        ],
        "{results:?}"
    );
    assert!(
        !results[0].ok && !results[1].ok && results[2].ok,
        "{results:?}"
    );
    assert_eq!(env.role_of(&id, &private).await, None);
}

/// Approving or rejecting someone who asked nothing is not applied.
pub async fn answering_a_request_nobody_made_is_not_ok<T: Transport>(env: &Env<T>) {
    if !env.caps().join_requests {
        return;
    }
    let id = env.new_group("Nobody").await;
    for approve in [true, false] {
        let results = env
            .client
            .answer_join_requests(&id, approve, &[env.phone(9)])
            .await
            .expect("answer_join_requests");
        assert!(!results[0].ok, "approve {approve}: {results:?}");
    }
}

pub async fn refresh_where_supported<T: Transport>(env: &Env<T>) {
    let result = env.client.refresh_groups().await;
    if env.caps().refresh_groups {
        result.expect("refresh_groups");
    } else {
        assert_code(result, ErrorCode::Unsupported);
    }
}

pub async fn bad_ids_are_invalid_input<T: Transport>(env: &Env<T>) {
    for bad in ["", "..", "a/b", "x?y"] {
        let id = GroupId::new("groupId", bad);
        if let Ok(id) = id {
            assert_code(env.client.get_group(&id).await, ErrorCode::InvalidInput);
        }
    }
    let id = env.new_group("Ids").await;
    assert_code(
        env.client
            .change_participants(&id, ParticipantChange::Promote, &["not-a-phone".into()])
            .await,
        ErrorCode::InvalidInput,
    );
}

/// Every member's number is known after `resolve_phones` — except one WhatsApp hides
/// (WAHA), which stays absent; an export has one row per membership with those numbers.
/// Wavy knows members by phone: nothing to resolve, same rows.
pub async fn members_resolve_and_export<T: Transport>(env: &Env<T>) {
    let id = env.new_group("Export").await;
    let visible = env.phone(5);
    env.add_member(&id, &visible).await;
    let hidden = env.phone(6);
    let hides = env.client.provider() == ProviderKind::Waha;
    if hides {
        let (status, body) = env
            .control("/people", json!({"phone": hidden, "hiddenNumber": true}))
            .await;
        assert_eq!(status, 200, "{body}");
        env.add_member(&id, &hidden).await;
    }
    let options = wa_groups::members::ParticipantsOptions::new(true, false);
    let members = env
        .client
        .list_participants_with(&id, &options)
        .await
        .expect("list_participants_with");
    assert!(
        members
            .iter()
            .any(|m| m.phone.as_deref() == Some(&*visible)),
        "{members:?}"
    );
    let unknown: Vec<_> = members.iter().filter(|m| m.phone.is_none()).collect();
    assert_eq!(unknown.len(), usize::from(hides), "{members:?}");
    assert!(!members.iter().any(|m| m.phone.as_deref() == Some(&*hidden)));

    let ids: Vec<String> = members.iter().map(|m| m.id.to_string()).collect();
    let phones = env
        .client
        .resolve_phones(&ids)
        .await
        .expect("resolve_phones")
        .into_iter()
        .collect::<std::collections::HashMap<_, _>>();
    for m in &members {
        assert_eq!(phones[m.id.as_str()], m.phone, "{m:?}");
    }

    let rows = env
        .client
        .export_members(std::slice::from_ref(&id))
        .await
        .expect("export_members");
    assert_eq!(rows.len(), members.len(), "{rows:?}");
    assert!(rows.iter().all(|r| r.group_id == id));
    let mut exported: Vec<Option<String>> = rows.iter().map(|r| r.phone.clone()).collect();
    let mut listed: Vec<Option<String>> = members.iter().map(|m| m.phone.clone()).collect();
    exported.sort();
    listed.sort();
    assert_eq!(exported, listed);
}

/// A spent safety budget refuses adds, creates and joins with `budget_exceeded` before
/// anything is sent, on every provider (the budget is the client's, not the provider's); an
/// operation the provider lacks is still `unsupported` first.
pub async fn a_spent_budget_refuses_before_sending<T: Transport + Clone>(env: &Env<T>) {
    use std::rc::Rc;
    use wa_groups::safety::{MemoryStore, Safety, SafetyLimits};
    // Evolution creates a group only with a first member, and a create's first members
    // count as adds: there, the one add the budget allows goes to that create.
    let first_members = |n: u32| {
        if env.client.provider() == ProviderKind::Evolution {
            vec![env.phone(n)]
        } else {
            vec![]
        }
    };
    let limits = SafetyLimits {
        adds_per_day: Some(first_members(4).len() as u32),
        creates_per_day: Some(1),
        joins_per_day: Some(0),
    };
    let client = env
        .client
        .with_transport(env.control.clone())
        .with_safety(Safety::new(
            limits,
            Rc::new(MemoryStore::default()),
            "k".into(),
        ));
    let first = client
        .create_group(&NewGroup {
            subject: env.subject("Budget"),
            participants: first_members(4),
        })
        .await
        .expect("the one create within budget");
    let second = env.subject("Over");
    assert_code(
        client
            .create_group(&NewGroup {
                subject: second.clone(),
                participants: first_members(5),
            })
            .await,
        ErrorCode::BudgetExceeded,
    );
    let added = client
        .change_participants(&first.id, ParticipantChange::Add, &[env.phone(3)])
        .await;
    let link = env.client.get_invite_link(&first.id).await.expect("link");
    let joined = client.join_group(&link).await;
    for (result, can) in [
        (added.map(|_| ()), env.caps().add_participants),
        (joined.map(|_| ()), env.caps().join_group),
    ] {
        let code = if can {
            ErrorCode::BudgetExceeded
        } else {
            ErrorCode::Unsupported
        };
        assert_code(result, code);
    }
    assert_eq!(
        env.role_of(&first.id, &env.phone(3)).await,
        None,
        "not added"
    );
    let subjects: Vec<String> = env
        .client
        .list_groups(&Default::default())
        .await
        .expect("list_groups")
        .into_iter()
        .map(|g| g.subject)
        .collect();
    assert!(
        !subjects.contains(&second),
        "no second create: {subjects:?}"
    );
    let budget = client.safety_budget().unwrap().unwrap();
    assert_eq!(budget.creates.unwrap().left, 0);
}

/// With `invite_on_privacy`, someone whose privacy refuses the add gets the group's invite
/// link as a direct message (or the engine's own invite, WEBJS) and the result says
/// `invited`; where adds are not offered (Wavy), `unsupported` before sending.
pub async fn privacy_refusals_are_invited_where_supported<T: Transport>(env: &Env<T>) {
    use wa_groups::adds::AddOptions;
    let id = env.new_group("Invite").await;
    let private = format!("1555403{:04}", env.tag % 10_000);
    let options = AddOptions {
        invite_on_privacy: true,
        invite_text: Some("Join us: {link}".into()),
    };
    let result = env
        .client
        .add_participants(&id, std::slice::from_ref(&private), &options)
        .await;
    if !env.caps().add_participants {
        assert_code(result, ErrorCode::Unsupported);
        return assert!(env.messages(&format!("{private}@c.us")).await.is_empty());
    }
    let results = result.expect("add_participants");
    assert_eq!(
        results[0].reason,
        Some(RefusalReason::Privacy),
        "{results:?}"
    );
    assert_eq!(results[0].invited, Some(true), "{results:?}");
    let sent = env.messages(&format!("{private}@c.us")).await;
    // WEBJS invited them itself: nothing more is sent. Elsewhere, the link went.
    if let Some(message) = sent.first() {
        let link = env.client.get_invite_link(&id).await.expect("link");
        assert_eq!(message["text"], format!("Join us: {link}"));
    }
    assert!(sent.len() <= 1, "{sent:?}");
}
