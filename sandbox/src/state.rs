//! The sandbox's world: accounts, groups and their members, independent of any provider's
//! spelling. Both provider emulations (WAHA, Wavy) and the control API act on it, and it
//! enforces the rules of a real group: the creator is superadmin, only admins change
//! settings, only participants can be promoted, a revoked invite stops working.

use std::collections::{BTreeMap, HashMap, HashSet};

/// WAHA's "me" in every session.
pub const WAHA_ME: &str = "5511900000000@c.us";
/// The Wavy account's number (Wavy ids are bare digits).
pub const WAVY_ME: &str = "5519900000000";
/// The Evolution API instances' own number (each instance is the same WhatsApp account here).
pub const EVOLUTION_ME: &str = "5531900000000@c.us";

/// The WAHA sessions that exist (others answer 404, as an unknown session does).
pub const SESSIONS: &[&str] = &["default", "webjs", "noweb", "gows"];

/// Whose groups: a WAHA session, or the Wavy account.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Account {
    /// A WAHA session by name.
    Waha(String),
    /// The Wavy account.
    Wavy,
    /// An Evolution API instance by name.
    Evolution(String),
}

impl Account {
    /// The account's own member id.
    pub fn me(&self) -> &'static str {
        match self {
            Account::Waha(_) => WAHA_ME,
            Account::Wavy => WAVY_ME,
            Account::Evolution(_) => EVOLUTION_ME,
        }
    }
}

/// Numbers whose owners let only their contacts add them to groups (WhatsApp's privacy
/// setting): a direct add, or a create listing them, is refused with 403 and an
/// `add_request` (research `waha-lids-mentions-adds.md` §3). The US `555` range is
/// fictional, so no real number falls in it: `+1 555 403 …`.
pub const PRIVACY_RESTRICTED_PREFIX: &str = "1555403";

/// Whether `id` (`<digits>@…` or bare digits) belongs to a privacy-restricted number.
pub fn refuses_adds(id: &str) -> bool {
    id.starts_with(PRIVACY_RESTRICTED_PREFIX)
}

/// What `POST /_sandbox/people` says about one person (keyed by their digits). A person
/// never described has the defaults: privacy "everyone" (but see
/// [`PRIVACY_RESTRICTED_PREFIX`]), on WhatsApp, number visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Traits {
    /// Their privacy lets only their contacts add them to groups ("contacts").
    pub contacts_only: bool,
    /// They have a WhatsApp account.
    pub on_whatsapp: bool,
    /// WhatsApp hides their number from other members (they show as a `@lid`).
    pub hidden_number: bool,
}

/// The digits of a user id (`<digits>@…`, a device suffix dropped) or of bare digits.
pub fn digits_of(id: &str) -> &str {
    let user = id.split('@').next().unwrap_or(id);
    user.split(':').next().unwrap_or(user)
}

/// At most this many people in one request (create, add, remove, promote, demote, approve,
/// reject) and in one seeded group: keeps the work done under the state lock bounded.
pub const MAX_PARTICIPANTS: usize = 5_000;

/// WhatsApp's limit on a group's members (research `user-needs.md`, "Members per group"):
/// an add to a group this full is refused with 419 ("group full"). Seeding may go past it
/// (`/_sandbox/seed` builds bigger groups for load tests); such a group takes no more adds.
pub const MAX_GROUP_MEMBERS: usize = 1_024;

/// How long someone who left or was removed counts as having "recently left": an admin's
/// direct add of them is refused with 408 meanwhile, while an invite link still works
/// (research `user-needs.md`, "Re-adding someone who recently left"; WhatsApp does not
/// publish the period — the sandbox's choice, documented in the README).
pub const RECENTLY_LEFT: std::time::Duration = std::time::Duration::from_secs(60);

/// At most this many members seeded by one `/_sandbox/seed` call (groups × members).
pub const MAX_SEEDED_MEMBERS: usize = 1_000_000;

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

/// A message the account sent through a provider's API, to a group or a person, as
/// `GET /_sandbox/messages?chatId=` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The message id.
    pub id: String,
    /// Where it went: a group id, or a person's id (`…@c.us`, or Wavy's digits).
    pub chat_id: String,
    /// The sender (the account).
    pub from: String,
    /// The text.
    pub text: String,
    /// The `mentions` as sent (`["all"]`, or ids); empty when none.
    pub mentions: Vec<String>,
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
    /// The member with `id` (a scan: for one look-up; many use a hashed index instead).
    pub fn member(&self, id: &str) -> Option<&Member> {
        #[cfg(test)]
        tests::count_scan();
        self.members.iter().find(|m| m.id == id)
    }

    /// Each member's position by id: one pass, so a request naming k people of a group of
    /// n costs O(n + k), never O(n × k), while it holds the state lock.
    fn positions(&self) -> HashMap<&str, usize> {
        #[cfg(test)]
        tests::count_scan();
        self.members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect()
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
    /// The person's privacy settings refuse direct adds: WhatsApp answers 403 with a
    /// per-person invite (`add_request`) the admin may send them instead.
    AddRequest {
        /// Who was asked for.
        id: String,
        /// The invite code of the `add_request`.
        code: String,
        /// When it expires, unix seconds.
        expiration: u64,
    },
    /// The person has no WhatsApp account (`POST /_sandbox/people` `onWhatsApp: false`).
    NotOnWhatsApp(String),
    /// The person left the group or was removed less than [`RECENTLY_LEFT`] ago: WhatsApp
    /// answers 408 to a direct add (an invite still works).
    RecentlyLeft(String),
    /// The group has [`MAX_GROUP_MEMBERS`] members: WhatsApp answers 419.
    GroupFull(String),
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

/// The webhook of each provider: a real WAHA server and a real Wavy account are configured
/// separately, each with its own URL (a gateway gives each connection its own).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Webhooks {
    /// Where WAHA sessions' events go.
    pub waha: Option<Webhook>,
    /// Where the Wavy account's MOs go.
    pub wavy: Option<Webhook>,
    /// Where Evolution instances' events go.
    pub evolution: Option<Webhook>,
}

impl Webhooks {
    /// The webhook events of `account` go to.
    pub fn of(&self, account: &Account) -> Option<Webhook> {
        match account {
            Account::Waha(_) => self.waha.clone(),
            Account::Wavy => self.wavy.clone(),
            Account::Evolution(_) => self.evolution.clone(),
        }
    }
}

/// Everything the sandbox knows.
#[derive(Debug, Default)]
pub struct World {
    accounts: BTreeMap<Account, BTreeMap<String, Group>>,
    next_group: u64,
    codes_issued: u64,
    clock: u64,
    /// Where events go, per provider, when registered.
    pub webhooks: Webhooks,
    /// Every message the account sent through an API, oldest first.
    sent: Vec<Sent>,
    /// People described by `POST /_sandbox/people`, by digits.
    people: HashMap<String, Traits>,
    /// Who left or was removed from which group, and when: (group id, member id as kept).
    left: HashMap<(String, String), std::time::Instant>,
    /// The names people gave themselves (`POST /_sandbox/people` `name`), by digits.
    push_names: HashMap<String, String>,
}

impl World {
    /// Sets (or, with `None`, clears) the name the person with these digits gave themselves.
    pub fn set_push_name(&mut self, digits: &str, name: Option<String>) {
        match name {
            Some(name) => self.push_names.insert(digits.to_owned(), name),
            None => self.push_names.remove(digits),
        };
    }

    /// The name of the person `id` (`…@c.us`, or the `…@lid` the sandbox gives them).
    pub fn push_name(&self, id: &str) -> Option<String> {
        if let Some(digits) = id.strip_suffix("@c.us") {
            return self.push_names.get(digits).cloned();
        }
        self.push_names
            .iter()
            .find(|(digits, _)| crate::waha::lid_of(&format!("{digits}@c.us")) == id)
            .map(|(_, name)| name.clone())
    }

    /// Sets what the sandbox knows of the person with these digits.
    /// Hiding or showing a number also re-keys the person's existing WAHA memberships and
    /// join requests (phone id ↔ LID), so every answer follows at once.
    pub fn set_person(&mut self, digits: &str, traits: Traits) {
        let was_hidden = self.traits(digits).hidden_number;
        self.people.insert(digits.to_owned(), traits);
        if was_hidden == traits.hidden_number {
            return;
        }
        let phone = format!("{digits}@c.us");
        let lid = crate::waha::lid_of(&phone);
        let (from, to) = if traits.hidden_number {
            (&phone, &lid)
        } else {
            (&lid, &phone)
        };
        let waha = self
            .accounts
            .iter_mut()
            .filter(|(account, _)| matches!(account, Account::Waha(_)));
        for group in waha.flat_map(|(_, groups)| groups.values_mut()) {
            for member in group.members.iter_mut().filter(|m| m.id == *from) {
                member.id.clone_from(to);
            }
            for request in group.join_requests.iter_mut().filter(|r| r.id == *from) {
                request.id.clone_from(to);
            }
        }
    }

    /// The person's traits: as described, else the defaults (a `1555403…` number lets only
    /// contacts add it).
    pub fn traits(&self, id: &str) -> Traits {
        let digits = digits_of(id);
        self.people.get(digits).copied().unwrap_or(Traits {
            contacts_only: refuses_adds(digits),
            on_whatsapp: true,
            hidden_number: false,
        })
    }

    /// The id a WAHA group keeps `person` (`<digits>@c.us`) by: their LID when WhatsApp
    /// hides their number, so no engine's answer can show the phone; else `person`. Wavy
    /// knows members by phone: unchanged there.
    pub fn member_id(&self, account: &Account, person: &str) -> String {
        let hidden = matches!(account, Account::Waha(_) | Account::Evolution(_))
            && person.ends_with("@c.us")
            && self.traits(person).hidden_number;
        if hidden {
            crate::waha::lid_of(person)
        } else {
            person.to_owned()
        }
    }

    /// Why a direct add of `person` fails before anything else is checked: not on
    /// WhatsApp, or their privacy (an `add_request`); `None` when it can go ahead.
    fn refuse_add(&mut self, person: &str) -> Option<Refusal> {
        let traits = self.traits(person);
        if !traits.on_whatsapp {
            Some(Refusal::NotOnWhatsApp(person.to_owned()))
        } else if traits.contacts_only {
            Some(self.add_request(person))
        } else {
            None
        }
    }

    /// Whether `member` (as the group keeps them) left group `group` or was removed from it
    /// less than [`RECENTLY_LEFT`] ago.
    fn left_recently(&self, group: &str, member: &str) -> bool {
        self.left
            .get(&(group.to_owned(), member.to_owned()))
            .is_some_and(|at| at.elapsed() < RECENTLY_LEFT)
    }

    /// Remembers that `members` just left group `group` (and forgets departures too old to
    /// matter, so the map stays small).
    fn mark_left(&mut self, group: &str, members: Vec<String>) {
        self.left.retain(|_, at| at.elapsed() < RECENTLY_LEFT);
        let now = std::time::Instant::now();
        for member in members {
            self.left.insert((group.to_owned(), member), now);
        }
    }

    /// Whether `account` exists (unknown WAHA sessions do not).
    pub fn exists(account: &Account) -> bool {
        match account {
            Account::Waha(session) => SESSIONS.contains(&session.as_str()),
            Account::Wavy => true,
            Account::Evolution(instance) => {
                crate::evolution::INSTANCES.contains(&instance.as_str())
            }
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

    /// Creates a group with the account as superadmin and `members` as members. Returns
    /// the group and, for each distinct person asked for (the account itself aside), whether
    /// they were added: a privacy-restricted number is refused with an `add_request`.
    pub fn create_group(
        &mut self,
        account: &Account,
        subject: &str,
        members: &[String],
    ) -> Result<(Group, Outcomes), Refusal> {
        if self.accounts.get(account).map_or(0, BTreeMap::len) >= MAX_GROUPS_PER_ACCOUNT {
            return Err(Refusal::TooManyGroups);
        }
        self.next_group += 1;
        let created_at = self.tick();
        let me = account.me().to_owned();
        let id = match account {
            Account::Waha(_) | Account::Evolution(_) => {
                format!("120363{:012}@g.us", self.next_group)
            }
            // Wavy's legacy form: creator number, dash, creation time (kept unique).
            Account::Wavy => format!("{me}-{}", created_at + self.next_group),
        };
        let mut all = vec![Member {
            id: me.clone(),
            role: Role::Superadmin,
        }];
        let mut outcomes = Vec::new();
        // Duplicates are dropped through a set: linear in the list, whatever its length.
        let mut seen: HashSet<&str> = HashSet::from([me.as_str()]);
        for member in members {
            if !seen.insert(member) {
                continue;
            }
            let outcome = if let Some(refusal) = self.refuse_add(member) {
                Err(refusal)
            } else {
                all.push(Member {
                    id: self.member_id(account, member),
                    role: Role::Member,
                });
                Ok(())
            };
            outcomes.push((member.clone(), outcome));
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
        Ok((group, outcomes))
    }

    /// The refusal of a direct add of a privacy-restricted `person`: a fresh per-person
    /// invite, valid for 7 days.
    fn add_request(&mut self, person: &str) -> Refusal {
        Refusal::AddRequest {
            id: person.to_owned(),
            code: self.new_code(),
            expiration: self.tick() + 7 * 86_400,
        }
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
        // An invite is how someone who recently left comes back (never refused as such).
        self.left.remove(&(id.clone(), person.to_owned()));
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

    /// Adds members (admins, or anyone when `members_can_add`). Per-person outcome; the
    /// work is linear in the group and the list (one hashed index of the members).
    pub fn add_members(
        &mut self,
        account: &Account,
        id: &str,
        people: &[String],
    ) -> Result<Outcomes, Refusal> {
        let me = account.me();
        let group = self.group(account, id)?;
        if !group.settings.members_can_add && !group.is_admin(me) {
            return Err(Refusal::NotAdmin);
        }
        // Each person as the group would keep them (a hidden number by its LID).
        let stored: Vec<String> = people.iter().map(|p| self.member_id(account, p)).collect();
        let mut present: HashSet<String> = {
            let positions = group.positions();
            stored
                .iter()
                .filter(|p| positions.contains_key(p.as_str()))
                .cloned()
                .collect()
        };
        let mut room = MAX_GROUP_MEMBERS.saturating_sub(group.members.len());
        let mut outcomes = Vec::with_capacity(people.len());
        let mut added = Vec::new();
        for (person, kept) in people.iter().zip(stored) {
            let outcome = if present.contains(&kept) {
                Err(Refusal::AlreadyParticipant(person.clone()))
            } else if let Some(refusal) = self.refuse_add(person) {
                Err(refusal)
            } else if self.left_recently(id, &kept) {
                Err(Refusal::RecentlyLeft(person.clone()))
            } else if room == 0 {
                Err(Refusal::GroupFull(person.clone()))
            } else {
                room -= 1;
                present.insert(kept.clone());
                added.push(kept);
                Ok(())
            };
            outcomes.push((person.clone(), outcome));
        }
        let group = self.group_mut(account, id)?;
        let newcomers: HashSet<&str> = added.iter().map(String::as_str).collect();
        group
            .join_requests
            .retain(|r| !newcomers.contains(r.id.as_str()));
        group.members.extend(added.iter().map(|person| Member {
            id: person.clone(),
            role: Role::Member,
        }));
        Ok(outcomes)
    }

    /// Removes, promotes or demotes members (admins only). Per-person outcome; linear in
    /// the group and the list.
    pub fn change_members(
        &mut self,
        account: &Account,
        id: &str,
        people: &[String],
        change: MemberChange,
    ) -> Result<Outcomes, Refusal> {
        // WhatsApp finds a member by phone even when the group keeps them by LID.
        let kept: Vec<String> = people.iter().map(|p| self.member_id(account, p)).collect();
        let group = self.admin_group_mut(account, id)?;
        let positions: HashMap<String, usize> = {
            let all = group.positions();
            people
                .iter()
                .zip(&kept)
                .filter_map(|(p, k)| all.get(k.as_str()).map(|&i| (p.clone(), i)))
                .collect()
        };
        let mut removed = HashSet::new();
        let outcomes = people
            .iter()
            .map(|person| {
                let outcome = match positions.get(person) {
                    Some(&i) if !removed.contains(&i) => {
                        let member = &mut group.members[i];
                        match change {
                            _ if member.role == Role::Superadmin
                                && change != MemberChange::Promote =>
                            {
                                Err(Refusal::Superadmin(person.clone()))
                            }
                            MemberChange::Remove => {
                                removed.insert(i);
                                Ok(())
                            }
                            MemberChange::Promote => {
                                if member.role == Role::Member {
                                    member.role = Role::Admin;
                                }
                                Ok(())
                            }
                            MemberChange::Demote => {
                                member.role = Role::Member;
                                Ok(())
                            }
                        }
                    }
                    _ => Err(Refusal::NotParticipant(person.clone())),
                };
                (person.clone(), outcome)
            })
            .collect();
        if !removed.is_empty() {
            let mut gone = Vec::with_capacity(removed.len());
            let mut i = 0;
            group.members.retain(|m| {
                i += 1;
                let stays = !removed.contains(&(i - 1));
                if !stays {
                    gone.push(m.id.clone());
                }
                stays
            });
            self.mark_left(id, gone);
        }
        Ok(outcomes)
    }

    /// Approves or rejects pending join requests (admins only). Per-person outcome; linear
    /// in the requests, the members and the list.
    pub fn answer_join_requests(
        &mut self,
        account: &Account,
        id: &str,
        people: &[String],
        approve: bool,
    ) -> Result<Outcomes, Refusal> {
        let group = self.admin_group_mut(account, id)?;
        let mut pending: HashSet<String> = {
            let wanted: HashSet<&str> = people.iter().map(String::as_str).collect();
            group
                .join_requests
                .iter()
                .filter(|r| wanted.contains(r.id.as_str()))
                .map(|r| r.id.clone())
                .collect()
        };
        let mut answered = HashSet::new();
        let outcomes: Outcomes = people
            .iter()
            .map(|person| {
                let outcome = if pending.remove(person) {
                    answered.insert(person.clone());
                    Ok(())
                } else {
                    Err(Refusal::NotParticipant(person.clone()))
                };
                (person.clone(), outcome)
            })
            .collect();
        group.join_requests.retain(|r| !answered.contains(&r.id));
        if approve {
            // In the order they were asked for.
            group.members.extend(
                outcomes
                    .iter()
                    .filter(|(_, o)| o.is_ok())
                    .map(|(person, _)| Member {
                        id: person.clone(),
                        role: Role::Member,
                    }),
            );
        }
        Ok(outcomes)
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

    /// Records a message the account sent to `chat_id` (a group, after
    /// [`World::post_message`], or a person); `id` and `at` come from that message, or are
    /// made here for a direct one.
    pub fn record_sent(
        &mut self,
        chat_id: &str,
        from: &str,
        text: &str,
        mentions: Vec<String>,
        message: Option<&Message>,
    ) -> Sent {
        let (id, at) = match message {
            Some(m) => (m.id.clone(), m.at),
            None => {
                let at = self.tick();
                (format!("3EB1{:016X}", self.clock), at)
            }
        };
        let sent = Sent {
            id,
            chat_id: chat_id.to_owned(),
            from: from.to_owned(),
            text: text.to_owned(),
            mentions,
            at,
        };
        self.sent.push(sent.clone());
        sent
    }

    /// What was sent to `chat_id`, oldest first.
    pub fn sent_to<'a>(&'a self, chat_id: &'a str) -> impl Iterator<Item = &'a Sent> + 'a {
        self.sent.iter().filter(move |s| s.chat_id == chat_id)
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
    use std::cell::Cell;

    thread_local! {
        /// Linear passes over a group's members made on this thread.
        static SCANS: Cell<usize> = const { Cell::new(0) };
    }

    pub(super) fn count_scan() {
        SCANS.with(|s| s.set(s.get() + 1));
    }

    /// The member passes made by `work`.
    fn scans(work: impl FnOnce()) -> usize {
        let before = SCANS.with(Cell::get);
        work();
        SCANS.with(Cell::get) - before
    }

    #[test]
    fn an_atomic_member_change_with_one_stranger_changes_no_one() {
        let mut world = World::default();
        let (group, _) = world.create_group(&Account::Wavy, "Team", &[]).unwrap();
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

    /// Work done under the state lock stays linear: a request naming k people of a group of
    /// n passes over the members a constant number of times, never once per person.
    #[test]
    fn requests_naming_many_people_pass_over_the_members_a_constant_number_of_times() {
        const K: usize = 2_000;
        let account = Account::Waha("default".into());
        let mut world = World::default();
        let people: Vec<String> = (0..K).map(|n| format!("5521{n:09}@c.us")).collect();
        let (group, _) = world.create_group(&account, "Big", &[]).unwrap();
        let id = group.id;
        let bounded = |n: usize, what: &str| assert!(n <= 4, "{what}: {n} passes for {K} people");

        bounded(
            scans(|| {
                let doubled: Vec<String> = people.iter().chain(&people).cloned().collect();
                world.create_group(&account, "Twice", &doubled).unwrap();
            }),
            "create",
        );
        bounded(
            scans(|| drop(world.add_members(&account, &id, &people).unwrap())),
            "add",
        );
        bounded(
            scans(|| drop(world.add_members(&account, &id, &people).unwrap())),
            "add again (all already members)",
        );
        for change in [
            MemberChange::Promote,
            MemberChange::Demote,
            MemberChange::Remove,
        ] {
            bounded(
                scans(|| {
                    drop(
                        world
                            .change_members(&account, &id, &people, change)
                            .unwrap(),
                    )
                }),
                &format!("{change:?}"),
            );
        }
        world
            .update_settings(&account, &id, |s| s.approval_required = true)
            .unwrap();
        let code = world.invite_code(&account, &id).unwrap();
        for person in &people {
            world.join_by_invite(&code, person).unwrap();
        }
        bounded(
            scans(|| {
                drop(
                    world
                        .answer_join_requests(&account, &id, &people, true)
                        .unwrap(),
                )
            }),
            "approve",
        );
        let group = world.group(&account, &id).unwrap();
        assert_eq!(group.members.len(), K + 1);
        assert!(group.join_requests.is_empty());
    }

    #[test]
    fn bulk_changes_apply_once_per_person_in_order() {
        let account = Account::Waha("default".into());
        let mut world = World::default();
        let (a, b) = (
            "5511988880001@c.us".to_owned(),
            "5511988880002@c.us".to_owned(),
        );
        let (group, created) = world
            .create_group(&account, "Team", &[a.clone(), b.clone(), a.clone()])
            .unwrap();
        assert_eq!(created.len(), 2, "each person once: {created:?}");
        let people = [
            a.clone(),
            a.clone(),
            WAHA_ME.to_owned(),
            "5511988880009@c.us".into(),
        ];
        let outcomes = world
            .change_members(&account, &group.id, &people, MemberChange::Remove)
            .unwrap();
        let refusals: Vec<_> = outcomes.into_iter().map(|(_, o)| o.err()).collect();
        assert_eq!(
            refusals,
            [
                None,
                Some(Refusal::NotParticipant(a.clone())),
                Some(Refusal::Superadmin(WAHA_ME.into())),
                Some(Refusal::NotParticipant("5511988880009@c.us".into())),
            ]
        );
        let ids: Vec<&str> = world
            .group(&account, &group.id)
            .unwrap()
            .members
            .iter()
            .map(|m| m.id.as_str())
            .collect();
        assert_eq!(ids, [WAHA_ME, b.as_str()]);
    }
}
