//! The sandbox's world: accounts, groups and their members, independent of any provider's
//! spelling. Both provider emulations (WAHA, Wavy) and the control API act on it, and it
//! enforces the rules of a real group: the creator is superadmin, only admins change
//! settings, only participants can be promoted, a revoked invite stops working.

use std::collections::BTreeMap;

/// WAHA's "me" in every session.
pub const WAHA_ME: &str = "5511900000000@c.us";
/// The Wavy account's number (Wavy ids are bare digits).
pub const WAVY_ME: &str = "5519900000000";

/// The WAHA sessions that exist (others answer 404, as an unknown session does).
pub const SESSIONS: &[&str] = &["default", "webjs", "noweb", "gows"];

/// Whose groups: a WAHA session, or the Wavy account.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Account {
    /// A WAHA session by name.
    Waha(String),
    /// The Wavy account.
    Wavy,
}

impl Account {
    /// The account's own member id.
    pub fn me(&self) -> &'static str {
        match self {
            Account::Waha(_) => WAHA_ME,
            Account::Wavy => WAVY_ME,
        }
    }
}

/// A member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The creator.
    Superadmin,
    /// An admin.
    Admin,
    /// A regular member.
    Member,
}

/// A member of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// `<digits>@c.us` / `<digits>@lid` (WAHA) or `<digits>` (Wavy).
    pub id: String,
    /// The member's role.
    pub role: Role,
}

/// A group's security settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Only admins edit subject, description, icon.
    pub info_admin_only: bool,
    /// Only admins send.
    pub messages_admin_only: bool,
    /// Members may add members.
    pub members_can_add: bool,
    /// Joining needs approval.
    pub approval_required: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            info_admin_only: false,
            messages_admin_only: false,
            members_can_add: true,
            approval_required: false,
        }
    }
}

/// An uploaded icon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Icon {
    /// Its MIME type.
    pub mime_type: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A pending request to join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRequest {
    /// Who asks.
    pub id: String,
    /// Unix seconds.
    pub at: u64,
}

/// A message sent to a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Its id.
    pub id: String,
    /// The sender.
    pub from: String,
    /// The text.
    pub text: String,
    /// Unix seconds.
    pub at: u64,
}

/// A group, as the sandbox keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// `120363…@g.us` (WAHA) or `<creator>-<unix seconds>` (Wavy).
    pub id: String,
    /// The name.
    pub subject: String,
    /// The description, if any.
    pub description: Option<String>,
    /// Who created it.
    pub creator: String,
    /// Unix seconds.
    pub created_at: u64,
    /// The members, the creator first.
    pub members: Vec<Member>,
    /// The current invite code.
    pub invite_code: String,
    /// The icon, if any.
    pub icon: Option<Icon>,
    /// Security settings.
    pub settings: Settings,
    /// Pending join requests.
    pub join_requests: Vec<JoinRequest>,
    /// Messages sent to the group.
    pub messages: Vec<Message>,
}

impl Group {
    /// The member with `id`.
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    /// Whether `id` is an admin (or the superadmin).
    pub fn is_admin(&self, id: &str) -> bool {
        self.member(id).is_some_and(|m| m.role != Role::Member)
    }
}

/// Why the world refused something; each provider maps it to its own status and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No such group for this account.
    UnknownGroup(String),
    /// The account is not an admin of the group.
    NotAdmin,
    /// The account is not in the group.
    NotInGroup,
    /// The person is not a member (promote, demote, remove).
    NotParticipant(String),
    /// The person is already a member.
    AlreadyParticipant(String),
    /// The superadmin cannot be demoted or removed.
    Superadmin(String),
    /// No group has this invite code (or it was revoked).
    UnknownInvite,
    /// There is no icon.
    NoIcon,
    /// Too many groups for this account.
    TooManyGroups,
}

/// How many groups one account may have (Wavy's documented "too many groups" error).
pub const MAX_GROUPS_PER_ACCOUNT: usize = 100_000;

/// Where member messages and group events are delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// The URL events are POSTed to.
    pub url: String,
    /// The HMAC key; deliveries are signed when set.
    pub secret: Option<String>,
}

/// Everything the sandbox knows.
#[derive(Debug, Default)]
pub struct World {
    accounts: BTreeMap<Account, BTreeMap<String, Group>>,
    next_group: u64,
    codes_issued: u64,
    clock: u64,
    /// Where events go, when registered.
    pub webhook: Option<Webhook>,
}

impl World {
    /// Whether `account` exists (unknown WAHA sessions do not).
    pub fn exists(account: &Account) -> bool {
        match account {
            Account::Waha(session) => SESSIONS.contains(&session.as_str()),
            Account::Wavy => true,
        }
    }

    /// The account's groups that it is still a member of, by id.
    pub fn groups(&self, account: &Account) -> impl Iterator<Item = &Group> {
        let me = account.me();
        self.accounts
            .get(account)
            .into_iter()
            .flat_map(|groups| groups.values())
            .filter(move |g| g.member(me).is_some())
    }

    /// A group the account is in.
    pub fn group(&self, account: &Account, id: &str) -> Result<&Group, Refusal> {
        self.accounts
            .get(account)
            .and_then(|groups| groups.get(id))
            .filter(|g| g.member(account.me()).is_some())
            .ok_or_else(|| Refusal::UnknownGroup(id.to_owned()))
    }

    fn group_mut(&mut self, account: &Account, id: &str) -> Result<&mut Group, Refusal> {
        let me = account.me();
        self.accounts
            .get_mut(account)
            .and_then(|groups| groups.get_mut(id))
            .filter(|g| g.member(me).is_some())
            .ok_or_else(|| Refusal::UnknownGroup(id.to_owned()))
    }

    /// A group the account administers.
    fn admin_group_mut(&mut self, account: &Account, id: &str) -> Result<&mut Group, Refusal> {
        let me = account.me();
        let group = self.group_mut(account, id)?;
        if group.is_admin(me) {
            Ok(group)
        } else {
            Err(Refusal::NotAdmin)
        }
    }

    /// A deterministic, increasing "now", so responses are reproducible.
    pub fn tick(&mut self) -> u64 {
        self.clock += 1;
        1_732_526_000 + self.clock
    }

    /// A fresh 22-character invite code, deterministic per sandbox run.
    fn new_code(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        self.codes_issued += 1;
        let mut n = self.codes_issued.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5DEE_CE66_D1CE_4E5B;
        (0..22)
            .map(|_| {
                n = n
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                ALPHABET[(n >> 33) as usize % ALPHABET.len()] as char
            })
            .collect()
    }

    /// Creates a group with the account as superadmin and `members` as members.
    pub fn create_group(
        &mut self,
        account: &Account,
        subject: &str,
        members: &[String],
    ) -> Result<Group, Refusal> {
        if self.accounts.get(account).map_or(0, BTreeMap::len) >= MAX_GROUPS_PER_ACCOUNT {
            return Err(Refusal::TooManyGroups);
        }
        self.next_group += 1;
        let created_at = self.tick();
        let me = account.me().to_owned();
        let id = match account {
            Account::Waha(_) => format!("120363{:012}@g.us", self.next_group),
            // Wavy's legacy form: creator number, dash, creation time (kept unique).
            Account::Wavy => format!("{me}-{}", created_at + self.next_group),
        };
        let mut all = vec![Member {
            id: me.clone(),
            role: Role::Superadmin,
        }];
        for member in members {
            if !all.iter().any(|m| &m.id == member) {
                all.push(Member {
                    id: member.clone(),
                    role: Role::Member,
                });
            }
        }
        let invite_code = self.new_code();
        let group = Group {
            id: id.clone(),
            subject: subject.to_owned(),
            description: None,
            creator: me,
            created_at,
            members: all,
            invite_code,
            icon: None,
            settings: Settings::default(),
            join_requests: Vec::new(),
            messages: Vec::new(),
        };
        self.accounts
            .entry(account.clone())
            .or_default()
            .insert(id, group.clone());
        Ok(group)
    }

    /// Deletes a group for everyone (superadmin only).
    pub fn delete_group(&mut self, account: &Account, id: &str) -> Result<(), Refusal> {
        self.admin_group_mut(account, id)?;
        if let Some(groups) = self.accounts.get_mut(account) {
            groups.remove(id);
        }
        Ok(())
    }

    /// The account leaves; the group goes on without it.
    pub fn leave_group(&mut self, account: &Account, id: &str) -> Result<(), Refusal> {
        let me = account.me();
        let group = self.group_mut(account, id)?;
        group.members.retain(|m| m.id != me);
        // A group never stays without an admin: the longest-standing member takes over.
        if !group.members.iter().any(|m| m.role != Role::Member)
            && let Some(first) = group.members.first_mut()
        {
            first.role = Role::Admin;
        }
        Ok(())
    }

    /// Renames a group (admins only when `info_admin_only`).
    pub fn set_subject(
        &mut self,
        account: &Account,
        id: &str,
        subject: &str,
    ) -> Result<(), Refusal> {
        self.info_group_mut(account, id)?.subject = subject.to_owned();
        Ok(())
    }

    /// Sets or clears the description.
    pub fn set_description(
        &mut self,
        account: &Account,
        id: &str,
        description: Option<&str>,
    ) -> Result<(), Refusal> {
        self.info_group_mut(account, id)?.description = description.map(str::to_owned);
        Ok(())
    }

    /// Sets or clears the icon.
    pub fn set_icon(
        &mut self,
        account: &Account,
        id: &str,
        icon: Option<Icon>,
    ) -> Result<(), Refusal> {
        let group = self.info_group_mut(account, id)?;
        if icon.is_none() && group.icon.is_none() {
            return Err(Refusal::NoIcon);
        }
        group.icon = icon;
        Ok(())
    }

    fn info_group_mut(&mut self, account: &Account, id: &str) -> Result<&mut Group, Refusal> {
        let me = account.me();
        let group = self.group_mut(account, id)?;
        if group.settings.info_admin_only && !group.is_admin(me) {
            return Err(Refusal::NotAdmin);
        }
        Ok(group)
    }

    /// Changes the security settings (admins only).
    pub fn update_settings(
        &mut self,
        account: &Account,
        id: &str,
        change: impl FnOnce(&mut Settings),
    ) -> Result<Settings, Refusal> {
        let group = self.admin_group_mut(account, id)?;
        change(&mut group.settings);
        Ok(group.settings)
    }

    /// The invite code (admins only).
    pub fn invite_code(&mut self, account: &Account, id: &str) -> Result<String, Refusal> {
        Ok(self.admin_group_mut(account, id)?.invite_code.clone())
    }

    /// Replaces the invite code; the old one stops working (admins only).
    pub fn revoke_invite(&mut self, account: &Account, id: &str) -> Result<String, Refusal> {
        let code = self.new_code();
        self.admin_group_mut(account, id)?.invite_code = code.clone();
        Ok(code)
    }

    /// The group (of any account) an invite code leads to.
    pub fn find_invite(&self, code: &str) -> Result<(Account, &Group), Refusal> {
        self.accounts
            .iter()
            .flat_map(|(account, groups)| groups.values().map(move |g| (account, g)))
            .find(|(_, g)| g.invite_code == code)
            .map(|(account, g)| (account.clone(), g))
            .ok_or(Refusal::UnknownInvite)
    }

    /// `person` follows an invite: joins, or asks to when approval is required. Returns
    /// the account that owns the group, its id, and whether `person` is now a member.
    pub fn join_by_invite(
        &mut self,
        code: &str,
        person: &str,
    ) -> Result<(Account, String, bool), Refusal> {
        let (account, group) = self.find_invite(code)?;
        let id = group.id.clone();
        let at = self.tick();
        let group = self
            .accounts
            .get_mut(&account)
            .and_then(|g| g.get_mut(&id))
            .ok_or(Refusal::UnknownInvite)?;
        if group.member(person).is_some() {
            return Err(Refusal::AlreadyParticipant(person.to_owned()));
        }
        let joined = !group.settings.approval_required;
        if joined {
            group.members.push(Member {
                id: person.to_owned(),
                role: Role::Member,
            });
        } else if !group.join_requests.iter().any(|r| r.id == person) {
            group.join_requests.push(JoinRequest {
                id: person.to_owned(),
                at,
            });
        }
        Ok((account, id, joined))
    }

    /// The account itself joins by invite (WAHA `POST /groups/join`).
    pub fn account_joins(&mut self, account: &Account, code: &str) -> Result<String, Refusal> {
        let (owner, group) = self.find_invite(code)?;
        let (id, mut copy) = (group.id.clone(), group.clone());
        let me = account.me();
        if copy.member(me).is_some() && owner == *account {
            return Err(Refusal::AlreadyParticipant(me.to_owned()));
        }
        // Another account's group: in the sandbox each account has its own view of a
        // group, so joining copies it into the joining account with "me" as a member.
        copy.members.retain(|m| m.id != me);
        copy.members.push(Member {
            id: me.to_owned(),
            role: Role::Member,
        });
        if let Some(g) = self.accounts.get_mut(&owner).and_then(|g| g.get_mut(&id))
            && g.member(me).is_none()
        {
            g.members.push(Member {
                id: me.to_owned(),
                role: Role::Member,
            });
        }
        if owner != *account {
            self.accounts
                .entry(account.clone())
                .or_default()
                .insert(id.clone(), copy);
        }
        Ok(id)
    }

    /// Adds members (admins, or anyone when `members_can_add`). Per-person outcome.
    pub fn add_members(
        &mut self,
        account: &Account,
        id: &str,
        people: &[String],
    ) -> Result<Outcomes, Refusal> {
        let me = account.me();
        let group = self.group_mut(account, id)?;
        if !group.settings.members_can_add && !group.is_admin(me) {
            return Err(Refusal::NotAdmin);
        }
        Ok(people
            .iter()
            .map(|person| {
                let outcome = if group.member(person).is_some() {
                    Err(Refusal::AlreadyParticipant(person.clone()))
                } else {
                    group.members.push(Member {
                        id: person.clone(),
                        role: Role::Member,
                    });
                    group.join_requests.retain(|r| &r.id != person);
                    Ok(())
                };
                (person.clone(), outcome)
            })
            .collect())
    }

    /// Removes, promotes or demotes members (admins only). Per-person outcome.
    pub fn change_members(
        &mut self,
        account: &Account,
        id: &str,
        people: &[String],
        change: MemberChange,
    ) -> Result<Outcomes, Refusal> {
        let group = self.admin_group_mut(account, id)?;
        Ok(people
            .iter()
            .map(|person| {
                let outcome = match group.members.iter().position(|m| &m.id == person) {
                    None => Err(Refusal::NotParticipant(person.clone())),
                    Some(i)
                        if group.members[i].role == Role::Superadmin
                            && change != MemberChange::Promote =>
                    {
                        Err(Refusal::Superadmin(person.clone()))
                    }
                    Some(i) => {
                        match change {
                            MemberChange::Remove => {
                                group.members.remove(i);
                            }
                            MemberChange::Promote => {
                                if group.members[i].role == Role::Member {
                                    group.members[i].role = Role::Admin;
                                }
                            }
                            MemberChange::Demote => group.members[i].role = Role::Member,
                        }
                        Ok(())
                    }
                };
                (person.clone(), outcome)
            })
            .collect())
    }

    /// Approves or rejects pending join requests (admins only). Per-person outcome.
    pub fn answer_join_requests(
        &mut self,
        account: &Account,
        id: &str,
        people: &[String],
        approve: bool,
    ) -> Result<Outcomes, Refusal> {
        let group = self.admin_group_mut(account, id)?;
        Ok(people
            .iter()
            .map(|person| {
                let outcome = match group.join_requests.iter().position(|r| &r.id == person) {
                    None => Err(Refusal::NotParticipant(person.clone())),
                    Some(i) => {
                        group.join_requests.remove(i);
                        if approve {
                            group.members.push(Member {
                                id: person.clone(),
                                role: Role::Member,
                            });
                        }
                        Ok(())
                    }
                };
                (person.clone(), outcome)
            })
            .collect())
    }

    /// Records a message in a group (from the account, or from a member via control API).
    pub fn post_message(
        &mut self,
        account: &Account,
        id: &str,
        from: &str,
        text: &str,
    ) -> Result<Message, Refusal> {
        let at = self.tick();
        let seq = self.clock;
        let group = self
            .accounts
            .get_mut(account)
            .and_then(|g| g.get_mut(id))
            .ok_or_else(|| Refusal::UnknownGroup(id.to_owned()))?;
        if group.member(from).is_none() {
            return Err(Refusal::NotParticipant(from.to_owned()));
        }
        if group.settings.messages_admin_only && !group.is_admin(from) {
            return Err(Refusal::NotAdmin);
        }
        let message = Message {
            id: format!("3EB0{seq:016X}"),
            from: from.to_owned(),
            text: text.to_owned(),
            at,
        };
        group.messages.push(message.clone());
        Ok(message)
    }

    /// Like [`World::change_members`], but all or nothing: when any person is refused, the
    /// group is left exactly as it was and the first refusal is returned (Wavy answers one
    /// status for the whole batch, so it must not apply part of it).
    pub fn change_members_atomically(
        &mut self,
        account: &Account,
        id: &str,
        people: &[String],
        change: MemberChange,
    ) -> Result<(), Refusal> {
        let before = self.group(account, id)?.clone();
        let outcomes = self.change_members(account, id, people, change)?;
        if let Some(refusal) = outcomes.into_iter().find_map(|(_, outcome)| outcome.err()) {
            if let Some(group) = self.accounts.get_mut(account).and_then(|g| g.get_mut(id)) {
                *group = before;
            }
            return Err(refusal);
        }
        Ok(())
    }

    /// The icon of group `id`, whichever account holds it (the control API serves it).
    pub fn icon_of(&self, id: &str) -> Option<&Icon> {
        self.accounts
            .values()
            .find_map(|groups| groups.get(id))
            .and_then(|group| group.icon.as_ref())
    }

    /// The account that owns group `id`, whichever it is (for the control API).
    pub fn owner_of(&self, id: &str) -> Option<Account> {
        self.accounts
            .iter()
            .find(|(_, groups)| groups.contains_key(id))
            .map(|(account, _)| account.clone())
    }

    /// A few groups for the demo: in WAHA's `default` session and in the Wavy account.
    pub fn seed_demo(&mut self) {
        let waha = Account::Waha("default".into());
        let demo: [(&str, &[&str]); 3] = [
            ("Family", &["5511988880001@c.us", "5511988880002@c.us"]),
            ("Ops on-call", &["5511988880003@c.us"]),
            (
                "Book club",
                &[
                    "5511988880004@c.us",
                    "5511988880005@c.us",
                    "5511988880006@c.us",
                ],
            ),
        ];
        for (subject, members) in demo {
            let members: Vec<String> = members.iter().map(|m| (*m).to_owned()).collect();
            let _ = self.create_group(&waha, subject, &members);
        }
        if let Some(first) = self
            .accounts
            .get_mut(&waha)
            .and_then(|g| g.values_mut().next())
        {
            first.description = Some("Weekend plans and photos".into());
        }
        for subject in ["Customers", "Field team"] {
            let _ = self.create_group(&Account::Wavy, subject, &[]);
        }
    }
}

/// Each person a change was asked for, with whether it applied to them.
pub type Outcomes = Vec<(String, Result<(), Refusal>)>;

/// A change to existing members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberChange {
    /// Remove them.
    Remove,
    /// Make them admins.
    Promote,
    /// Make them members.
    Demote,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_member_change_with_one_stranger_changes_no_one() {
        let mut world = World::default();
        let group = world.create_group(&Account::Wavy, "Team", &[]).unwrap();
        let code = world.invite_code(&Account::Wavy, &group.id).unwrap();
        world.join_by_invite(&code, "5519900000001").unwrap();
        let people = ["5519900000001".to_owned(), "5519900000009".to_owned()];
        let refusal = world
            .change_members_atomically(&Account::Wavy, &group.id, &people, MemberChange::Remove)
            .unwrap_err();
        assert_eq!(refusal, Refusal::NotParticipant("5519900000009".into()));
        let after = world.group(&Account::Wavy, &group.id).unwrap();
        assert!(after.member("5519900000001").is_some());
    }
}
