//! Members across groups: export rows, the CSV they are written as, and the `phone,action`
//! lists an import reads ([`members_to_csv`], [`parse_members_csv`]: pure, no I/O). The
//! client methods that fill them ([`Client::export_members`](crate::Client::export_members),
//! [`Client::resolve_phones`](crate::Client::resolve_phones),
//! [`Client::list_participants_with`](crate::Client::list_participants_with)) are in
//! `members/client.rs`.

mod client;
mod csv;

use serde::{Deserialize, Serialize};

use crate::model::{GroupId, ParticipantChange, Role, UserId};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

pub use client::EXPORT_CONCURRENCY;
pub use csv::{MEMBERS_CSV_HEADER, members_to_csv, parse_members_csv};

/// What `listParticipants` fills in beyond what the provider lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParticipantsOptions {
    /// Look up the number behind each member listed by privacy id (`…@lid`) whose number
    /// the listing did not carry (WAHA's `/lids` route; remembered by the client). A
    /// number WhatsApp hides stays `None`.
    pub resolve_phones: bool,
    /// Look up each member's name (WAHA contacts: one request per member, a few at a
    /// time). Wavy knows no names: nothing is asked.
    pub names: bool,
}

impl ParticipantsOptions {
    /// Options with numbers resolved (`resolve_phones`) and, when `names`, names looked up.
    ///
    /// ```
    /// use wa_groups::members::ParticipantsOptions;
    /// let options = ParticipantsOptions::new(true, false);
    /// assert!(options.resolve_phones && !options.names);
    /// ```
    pub fn new(resolve_phones: bool, names: bool) -> ParticipantsOptions {
        ParticipantsOptions {
            resolve_phones,
            names,
        }
    }
}

/// One membership of an export: who is in which group, with which role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct MemberRow {
    /// The group.
    pub group_id: GroupId,
    /// The group's name.
    pub group_subject: String,
    /// The member's id (`…@c.us` or `…@lid`).
    pub id: UserId,
    /// The member's number (digits, E.164 without `+`); absent when WhatsApp hides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub phone: Option<String>,
    /// The member's privacy id (`…@lid`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub lid: Option<UserId>,
    /// The member's role.
    pub role: Role,
}

impl MemberRow {
    /// A row.
    ///
    /// ```
    /// use wa_groups::members::MemberRow;
    /// use wa_groups::model::{GroupId, Role, UserId};
    /// let row = MemberRow::new(
    ///     GroupId::new("groupId", "120363000000000001@g.us")?,
    ///     "Team",
    ///     UserId::parse("id", "5511988880000")?,
    ///     Some("5511988880000".into()),
    ///     None,
    ///     Role::Admin,
    /// );
    /// assert_eq!(row.group_subject, "Team");
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn new(
        group_id: GroupId,
        group_subject: impl Into<String>,
        id: UserId,
        phone: Option<String>,
        lid: Option<UserId>,
        role: Role,
    ) -> MemberRow {
        MemberRow {
            group_id,
            group_subject: group_subject.into(),
            id,
            phone,
            lid,
            role,
        }
    }
}

/// What an import row asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum MemberAction {
    /// Add the person.
    Add,
    /// Remove them.
    Remove,
    /// Make them an admin.
    Promote,
    /// Make them a regular member.
    Demote,
}

impl MemberAction {
    /// The participant change this action is.
    ///
    /// ```
    /// use wa_groups::members::MemberAction;
    /// use wa_groups::model::ParticipantChange;
    /// assert_eq!(MemberAction::Promote.change(), ParticipantChange::Promote);
    /// ```
    pub fn change(self) -> ParticipantChange {
        match self {
            MemberAction::Add => ParticipantChange::Add,
            MemberAction::Remove => ParticipantChange::Remove,
            MemberAction::Promote => ParticipantChange::Promote,
            MemberAction::Demote => ParticipantChange::Demote,
        }
    }

    /// The action's name in a CSV (`add`, `remove`, `promote`, `demote`).
    ///
    /// ```
    /// use wa_groups::members::MemberAction;
    /// assert_eq!(MemberAction::Demote.as_str(), "demote");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            MemberAction::Add => "add",
            MemberAction::Remove => "remove",
            MemberAction::Promote => "promote",
            MemberAction::Demote => "demote",
        }
    }
}

/// One valid row of an imported list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ImportRow {
    /// The line the row starts on (1 = the file's first line, header included).
    pub line: u32,
    /// The number, digits only (E.164 without `+`).
    pub phone: String,
    /// What to do.
    pub action: MemberAction,
}

/// One row of an imported list that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ImportError {
    /// The line the row starts on.
    pub line: u32,
    /// Why it was refused, for a person to read.
    pub reason: String,
}

/// What [`parse_members_csv`] read: the usable rows and the refused ones, each in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ParsedMembers {
    /// Rows to act on.
    pub rows: Vec<ImportRow>,
    /// Rows refused, with their line and reason.
    pub errors: Vec<ImportError>,
}
