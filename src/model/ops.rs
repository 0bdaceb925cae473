//! What the operations beyond create/list take and return: settings, participant changes,
//! icons, join requests, sent messages.

use serde::{Deserialize, Serialize};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

use super::{GroupId, UserId};

/// A group's security settings. A field is absent where the provider does not report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GroupSettings {
    /// Only admins may edit the subject, description and icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub info_admin_only: Option<bool>,
    /// Only admins may send messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub messages_admin_only: Option<bool>,
    /// Members (not only admins) may add new members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub members_can_add: Option<bool>,
    /// New members need an admin's approval to join.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub approval_required: Option<bool>,
}

impl GroupSettings {
    /// The settings this value sets, in a fixed order.
    ///
    /// ```
    /// use wa_groups::model::{GroupSettings, Setting};
    /// let patch = GroupSettings {
    ///     approval_required: Some(false),
    ///     messages_admin_only: Some(true),
    ///     ..Default::default()
    /// };
    /// let entries: Vec<(Setting, bool)> = patch.entries().collect();
    /// assert_eq!(entries, [(Setting::MessagesAdminOnly, true), (Setting::ApprovalRequired, false)]);
    /// ```
    pub fn entries(&self) -> impl Iterator<Item = (Setting, bool)> {
        [
            (Setting::InfoAdminOnly, self.info_admin_only),
            (Setting::MessagesAdminOnly, self.messages_admin_only),
            (Setting::MembersCanAdd, self.members_can_add),
            (Setting::ApprovalRequired, self.approval_required),
        ]
        .into_iter()
        .filter_map(|(setting, value)| value.map(|v| (setting, v)))
    }
}

/// One security setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    /// See [`GroupSettings::info_admin_only`].
    InfoAdminOnly,
    /// See [`GroupSettings::messages_admin_only`].
    MessagesAdminOnly,
    /// See [`GroupSettings::members_can_add`].
    MembersCanAdd,
    /// See [`GroupSettings::approval_required`].
    ApprovalRequired,
}

/// A change to a group's membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParticipantChange {
    /// Add members.
    Add,
    /// Remove members.
    Remove,
    /// Make members admins.
    Promote,
    /// Make admins regular members.
    Demote,
}

impl ParticipantChange {
    /// The operation's name in the JS API.
    ///
    /// ```
    /// use wa_groups::model::ParticipantChange;
    /// assert_eq!(ParticipantChange::Promote.operation(), "promoteAdmins");
    /// ```
    pub const fn operation(self) -> &'static str {
        match self {
            ParticipantChange::Add => "addParticipants",
            ParticipantChange::Remove => "removeParticipants",
            ParticipantChange::Promote => "promoteAdmins",
            ParticipantChange::Demote => "demoteAdmins",
        }
    }
}

/// The outcome of a participant change for one id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ParticipantResult {
    /// The participant, normalised (`…@c.us`, `…@lid`).
    pub id: UserId,
    /// Whether the change applied to this participant.
    pub ok: bool,
    /// The provider's per-participant status, when it reports one (e.g. 403, 409).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub status: Option<u16>,
    /// The provider's message for this participant, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub message: Option<String>,
    /// Why an add was refused, from the engine's per-person answer; only on a failed add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub reason: Option<RefusalReason>,
    /// Whether an invite link was sent to someone whose privacy refused the add: `true`
    /// when it was (by this client with `inviteOnPrivacy`, or by the engine itself, as
    /// WAHA WEBJS does), `false` when sending it failed (see `invite_error`); absent when
    /// no invite was tried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub invited: Option<bool>,
    /// Why the invite could not be sent, when `invited` is `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub invite_error: Option<String>,
}

/// Why WhatsApp refused to add someone (WhatsApp's per-person codes, as each WAHA engine
/// reports them: research `waha-lids-mentions-adds.md` §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// Their privacy settings refuse adds by this account (403): invite them instead.
    Privacy,
    /// They are already a member (409).
    AlreadyMember,
    /// They left or were removed recently (408).
    RecentlyLeft,
    /// The group is full (419).
    GroupFull,
    /// The number is not on WhatsApp (404).
    NotOnWhatsapp,
    /// The account may not add members to this group (401).
    NotAdmin,
    /// Anything else (a community restriction 417, awaiting approval 421, no code at all…).
    Other,
    /// Not sent at all: the client's safety budget for adds was used up (see
    /// [`crate::safety`]). WhatsApp was not asked.
    BudgetExceeded,
}

impl RefusalReason {
    /// The reason for WhatsApp's per-person code in the answer to an add.
    ///
    /// ```
    /// use wa_groups::model::RefusalReason;
    /// assert_eq!(RefusalReason::from_add_code(Some(403)), RefusalReason::Privacy);
    /// assert_eq!(RefusalReason::from_add_code(Some(409)), RefusalReason::AlreadyMember);
    /// assert_eq!(RefusalReason::from_add_code(None), RefusalReason::Other);
    /// ```
    pub fn from_add_code(code: Option<u16>) -> RefusalReason {
        match code {
            Some(403) => RefusalReason::Privacy,
            Some(409) => RefusalReason::AlreadyMember,
            Some(408) => RefusalReason::RecentlyLeft,
            Some(419) => RefusalReason::GroupFull,
            Some(404) => RefusalReason::NotOnWhatsapp,
            Some(401) => RefusalReason::NotAdmin,
            _ => RefusalReason::Other,
        }
    }
}

impl ParticipantResult {
    /// A participant the change applied to.
    ///
    /// ```
    /// use wa_groups::model::{ParticipantResult, UserId};
    /// let result = ParticipantResult::ok(UserId::parse("p", "5511988880000")?);
    /// assert!(result.ok && result.status.is_none());
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn ok(id: UserId) -> ParticipantResult {
        ParticipantResult {
            id,
            ok: true,
            status: None,
            message: None,
            reason: None,
            invited: None,
            invite_error: None,
        }
    }

    /// A participant the change did not apply to.
    ///
    /// ```
    /// use wa_groups::model::{ParticipantResult, UserId};
    /// let id = UserId::parse("p", "5511988880000")?;
    /// let result = ParticipantResult::failed(id, Some(403), "not an admin");
    /// assert!(!result.ok);
    /// assert_eq!(result.message.as_deref(), Some("not an admin"));
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn failed(
        id: UserId,
        status: Option<u16>,
        message: impl Into<String>,
    ) -> ParticipantResult {
        ParticipantResult {
            id,
            ok: false,
            status,
            message: Some(message.into()),
            reason: None,
            invited: None,
            invite_error: None,
        }
    }

    /// The same failed result with why it was refused.
    ///
    /// ```
    /// use wa_groups::model::{ParticipantResult, RefusalReason, UserId};
    /// let id = UserId::parse("p", "5511988880000")?;
    /// let result = ParticipantResult::failed(id, Some(409), "already a member")
    ///     .with_reason(RefusalReason::AlreadyMember);
    /// assert_eq!(result.reason, Some(RefusalReason::AlreadyMember));
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn with_reason(mut self, reason: RefusalReason) -> ParticipantResult {
        if !self.ok {
            self.reason = Some(reason);
        }
        self
    }
}

/// A group's icon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Icon {
    /// Where the image can be downloaded.
    pub url: String,
    /// The image's MIME type, when the provider says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub mime_type: Option<String>,
}

impl Icon {
    /// An icon at `url`.
    ///
    /// ```
    /// use wa_groups::model::Icon;
    /// let icon = Icon::new("https://cdn.example/icon.jpg", Some("image/jpeg".into()));
    /// assert_eq!(icon.url, "https://cdn.example/icon.jpg");
    /// ```
    pub fn new(url: impl Into<String>, mime_type: Option<String>) -> Icon {
        Icon {
            url: url.into(),
            mime_type,
        }
    }
}

/// A request to join a group that needs an admin's approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct JoinRequest {
    /// Who asks to join.
    pub id: UserId,
    /// Their phone number, digits only, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub phone: Option<String>,
    /// How they asked (`invite_link`, `linked_group_join`, `non_admin_add`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub method: Option<String>,
    /// When, in Unix seconds, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub requested_at: Option<u64>,
}

impl JoinRequest {
    /// A join request from `id`.
    ///
    /// ```
    /// use wa_groups::model::{JoinRequest, UserId};
    /// let request = JoinRequest::new(UserId::parse("p", "5511988880000")?);
    /// assert_eq!(request.phone.as_deref(), Some("5511988880000"));
    /// assert!(request.method.is_none());
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn new(id: UserId) -> JoinRequest {
        let phone = id.phone().map(str::to_owned);
        JoinRequest {
            id,
            phone,
            method: None,
            requested_at: None,
        }
    }
}

/// A message the provider accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SentMessage {
    /// The provider's message id (opaque), when it returns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub id: Option<String>,
}

impl SentMessage {
    /// A sent message with the provider's id.
    ///
    /// ```
    /// use wa_groups::model::SentMessage;
    /// let sent = SentMessage::new(Some("true_120363000000000001@g.us_3EB0".into()));
    /// assert!(sent.id.is_some());
    /// ```
    pub fn new(id: Option<String>) -> SentMessage {
        SentMessage { id }
    }
}

/// Whom a message mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mentions {
    /// Everyone in the group (WAHA's `"mentions": ["all"]`, WAHA 2025.11.1 and later).
    All,
    /// These members: phone numbers or user ids, as for a participant change. Each is
    /// checked to be a member of the group before anything is sent.
    Members(Vec<String>),
}

/// The options of a send beyond its text.
///
/// ```
/// use wa_groups::model::{Mentions, SendOptions};
/// let everyone = SendOptions { mentions: Some(Mentions::All) };
/// assert_eq!(SendOptions::default().mentions, None);
/// # let _ = everyone;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SendOptions {
    /// Whom the message mentions (WhatsApp notifies them); nobody when `None`.
    pub mentions: Option<Mentions>,
}

/// What a provider's group listing holds: whole groups (WAHA), or only ids whose details
/// must be fetched one by one (Wavy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupListing {
    /// The groups, complete.
    Groups(Vec<super::Group>),
    /// Only the ids; each needs a `get_group`.
    Ids(Vec<GroupId>),
}
