//! The provider-neutral model: what every provider's responses normalise into.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

mod ops;

pub use ops::{
    GroupListing, GroupSettings, Icon, JoinRequest, Mentions, ParticipantChange, ParticipantResult,
    RefusalReason, SendOptions, SentMessage, Setting,
};

/// A group id, as the provider spells it: `120363…@g.us` on WAHA, `5519…-1513616971` on Wavy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(transparent)]
pub struct GroupId(String);

impl GroupId {
    /// Wraps a provider's group id, rejecting an empty or blank one.
    ///
    /// ```
    /// use wa_groups::model::GroupId;
    /// let id = GroupId::new("groupId", "120363000000000001@g.us")?;
    /// assert_eq!(id.to_string(), "120363000000000001@g.us");
    /// assert!(GroupId::new("groupId", "  ").is_err());
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn new(field: &str, id: impl Into<String>) -> Result<GroupId> {
        let id = id.into();
        if id.trim().is_empty() {
            return Err(Error::invalid(field, "must not be empty"));
        }
        Ok(GroupId(id))
    }

    /// The id as the provider spells it.
    ///
    /// ```
    /// use wa_groups::model::GroupId;
    /// let id = GroupId::new("groupId", "5519900000000-1513616971")?;
    /// assert_eq!(id.as_str(), "5519900000000-1513616971");
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id exactly as given, unchecked: what serde's `transparent` reads (an id the
    /// crate wrote itself, read back).
    #[cfg(any(test, all(target_arch = "wasm32", feature = "js")))]
    pub(crate) fn from_raw(id: String) -> Self {
        Self(id)
    }
}

impl std::fmt::Display for GroupId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A user id: `5511999990000@c.us` (a phone number) or `76699677012110@lid` (a privacy id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(transparent)]
pub struct UserId(String);

impl UserId {
    /// Parses what a person would type for a member: a phone number (`+55 11 98888-0000`,
    /// `5511988880000`) or a WhatsApp user id (`…@c.us`, `…@s.whatsapp.net`, `…@lid`).
    ///
    /// Phone numbers become `<digits>@c.us`; `@s.whatsapp.net` becomes `@c.us` and a device
    /// suffix (`:12`) is dropped, as WAHA does, so the same person always has the same id.
    ///
    /// ```
    /// use wa_groups::model::UserId;
    /// assert_eq!(UserId::parse("participant", "+55 11 98888-0000")?.as_str(), "5511988880000@c.us");
    /// assert_eq!(UserId::parse("participant", "5511988880000@s.whatsapp.net")?.as_str(), "5511988880000@c.us");
    /// assert_eq!(UserId::parse("participant", "76699677012110@lid")?.as_str(), "76699677012110@lid");
    /// assert!(UserId::parse("participant", "120363@g.us").is_err());
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn parse(field: &str, input: &str) -> Result<UserId> {
        let input = input.trim();
        let (user, server) = match input.split_once('@') {
            Some((user, server)) => (user, server),
            None => (input, "c.us"),
        };
        let server = match server {
            "c.us" | "s.whatsapp.net" => "c.us",
            "lid" => "lid",
            other => {
                return Err(Error::invalid(
                    field,
                    format!("`{input}`: `@{other}` is not a user id (expected @c.us or @lid)"),
                ));
            }
        };
        let user = user.split(':').next().unwrap_or_default();
        let digits: String = if server == "c.us" && !input.contains('@') {
            // A typed phone number: allow a leading `+` and the usual separators.
            let cleaned = user.strip_prefix('+').unwrap_or(user);
            if cleaned
                .chars()
                .any(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.')))
            {
                return Err(Error::invalid(
                    field,
                    format!("`{input}` is not a phone number or a user id"),
                ));
            }
            cleaned.chars().filter(char::is_ascii_digit).collect()
        } else {
            if !user.chars().all(|c| c.is_ascii_digit()) {
                return Err(Error::invalid(
                    field,
                    format!("`{input}`: the part before `@` must be digits"),
                ));
            }
            user.to_owned()
        };
        if !(5..=20).contains(&digits.len()) {
            return Err(Error::invalid(
                field,
                format!("`{input}` must have 5 to 20 digits"),
            ));
        }
        Ok(UserId(format!("{digits}@{server}")))
    }

    /// Wraps an id a provider returned, normalising `@s.whatsapp.net` to `@c.us` and
    /// dropping a device suffix; anything else is kept as the provider spelled it.
    ///
    /// ```
    /// use wa_groups::model::UserId;
    /// let id = UserId::from_provider("5511988880000:12@s.whatsapp.net");
    /// assert_eq!(id.as_str(), "5511988880000@c.us");
    /// ```
    pub fn from_provider(raw: &str) -> UserId {
        let (user, server) = raw.split_once('@').unwrap_or((raw, ""));
        let user = user.split(':').next().unwrap_or(user);
        match server {
            "s.whatsapp.net" | "c.us" => UserId(format!("{user}@c.us")),
            "" => UserId(user.to_owned()),
            _ => UserId(format!("{user}@{server}")),
        }
    }

    /// The id as a string.
    ///
    /// ```
    /// use wa_groups::model::UserId;
    /// assert_eq!(UserId::parse("p", "5511988880000")?.as_str(), "5511988880000@c.us");
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id exactly as given, unchecked: what serde's `transparent` reads (an id the
    /// crate wrote itself, read back).
    #[cfg(any(test, all(target_arch = "wasm32", feature = "js")))]
    pub(crate) fn from_raw(id: String) -> Self {
        Self(id)
    }

    /// The phone number (digits only), when this id is one (`…@c.us`); `None` for `@lid`.
    ///
    /// ```
    /// use wa_groups::model::UserId;
    /// assert_eq!(UserId::parse("p", "5511988880000")?.phone(), Some("5511988880000"));
    /// assert_eq!(UserId::parse("p", "76699677012110@lid")?.phone(), None);
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn phone(&self) -> Option<&str> {
        self.0.strip_suffix("@c.us")
    }

    /// Whether this is a privacy id (`…@lid`), behind which WhatsApp may hide a number.
    ///
    /// ```
    /// use wa_groups::model::UserId;
    /// assert!(UserId::parse("p", "76699677012110@lid")?.is_lid());
    /// assert!(!UserId::parse("p", "5511988880000")?.is_lid());
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn is_lid(&self) -> bool {
        self.0.ends_with("@lid")
    }
}

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A participant's role in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The group's creator (an admin who cannot be demoted).
    Superadmin,
    /// An admin.
    Admin,
    /// A regular member.
    Member,
}

/// A member of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Participant {
    /// The participant's id (`…@c.us` or `…@lid`).
    pub id: UserId,
    /// The phone number, digits only, when the provider knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub phone: Option<String>,
    /// The participant's privacy id (`…@lid`), when the provider knows it: the id itself
    /// for a member listed by LID, or the LID twin the engine gives beside a phone id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub lid: Option<UserId>,
    /// The name WhatsApp shows for them (the address-book name, else the one they set
    /// themselves), only when asked for (`names: true`) and the provider knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub name: Option<String>,
    /// The participant's role.
    pub role: Role,
}

impl Participant {
    /// A participant with a role; the phone is taken from the id when it is a phone id.
    ///
    /// ```
    /// use wa_groups::model::{Participant, Role, UserId};
    /// let admin = Participant::new(UserId::parse("p", "5511988880000")?, Role::Admin);
    /// assert_eq!(admin.phone.as_deref(), Some("5511988880000"));
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn new(id: UserId, role: Role) -> Participant {
        let phone = id.phone().map(str::to_owned);
        let lid = id.is_lid().then(|| id.clone());
        Participant {
            id,
            phone,
            lid,
            name: None,
            role,
        }
    }
}

/// A WhatsApp group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Group {
    /// The group's id.
    pub id: GroupId,
    /// The group's name.
    pub subject: String,
    /// The group's description, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub description: Option<String>,
    /// Who created the group, when the provider says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub creator: Option<UserId>,
    /// When the group was created, in Unix seconds, when the provider says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub created_at: Option<u64>,
    /// How many members the group has, when the provider says (it does even where a listing
    /// leaves the members themselves out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub size: Option<u32>,
    /// The members. Empty when the listing left them out (`participants: false`), and in
    /// what `createGroup` returns where the provider's answer does not list the new group's
    /// members (WAHA WEBJS): read the group for them.
    pub participants: Vec<Participant>,
    /// `createGroup` only: the outcome for each first member asked for, in the order
    /// given (someone whose privacy settings refuse adds is `ok: false`, status 403).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub added: Option<Vec<ParticipantResult>>,
}

impl Group {
    /// A group with an id and a subject and nothing else known yet.
    ///
    /// ```
    /// use wa_groups::model::{Group, GroupId};
    /// let group = Group::new(GroupId::new("groupId", "120363000000000001@g.us")?, "Team");
    /// assert_eq!(group.subject, "Team");
    /// assert!(group.participants.is_empty() && group.description.is_none());
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn new(id: GroupId, subject: impl Into<String>) -> Group {
        Group {
            id,
            subject: subject.into(),
            description: None,
            creator: None,
            created_at: None,
            size: None,
            participants: Vec::new(),
            added: None,
        }
    }
}

/// What to create: a subject and, optionally, the first members.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewGroup {
    /// The group's name.
    pub subject: String,
    /// Phone numbers or user ids to add at creation.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub participants: Vec<String>,
}

/// The field a group listing is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub enum SortBy {
    /// By group id.
    Id,
    /// By subject.
    Subject,
}

/// A sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub enum SortOrder {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

/// Paging and sorting of a group listing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListGroupsOptions {
    /// At most this many groups.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub limit: Option<u32>,
    /// Skip this many groups first.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub offset: Option<u32>,
    /// The field to sort by.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub sort_by: Option<SortBy>,
    /// The sort direction.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub sort_order: Option<SortOrder>,
    /// `false` leaves each group's members out of the listing (WAHA's
    /// `exclude=participants`): far less to transfer and decode for a big account, while
    /// `size` still counts them where the provider reports it. Members are included when
    /// omitted.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub participants: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_phone_numbers_become_c_us_ids() {
        for typed in ["5511988880000", "+55 11 98888-0000", "(55) 11.98888.0000"] {
            assert_eq!(
                UserId::parse("participants[0]", typed).unwrap().as_str(),
                "5511988880000@c.us",
                "{typed}"
            );
        }
    }

    #[test]
    fn provider_spellings_normalise_to_one_id() {
        assert_eq!(
            UserId::parse("p", "5511988880000@s.whatsapp.net")
                .unwrap()
                .as_str(),
            "5511988880000@c.us"
        );
        assert_eq!(
            UserId::from_provider("5511988880000:12@s.whatsapp.net").as_str(),
            "5511988880000@c.us"
        );
        assert_eq!(
            UserId::parse("p", "76699677012110@lid").unwrap().as_str(),
            "76699677012110@lid"
        );
    }

    #[test]
    fn lid_ids_have_no_phone() {
        assert_eq!(UserId::from_provider("766996@lid").phone(), None);
        assert_eq!(
            UserId::from_provider("5511988880000@c.us").phone(),
            Some("5511988880000")
        );
    }

    #[test]
    fn malformed_user_ids_name_the_field() {
        for bad in [
            "",
            "abc",
            "123",
            "5511988880000@g.us",
            "55x11@c.us",
            "+55 11 9888a",
        ] {
            let err = UserId::parse("participants[3]", bad).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput { field, .. } if field == "participants[3]"),
                "{bad:?} gave {err:?}"
            );
        }
    }

    #[test]
    fn group_serialises_camel_case_and_omits_unknowns() {
        let mut group = Group::new(GroupId::new("id", "1@g.us").unwrap(), "Team");
        group.created_at = Some(7);
        let json = serde_json::to_value(&group).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": "1@g.us", "subject": "Team", "createdAt": 7, "participants": []})
        );
    }

    #[test]
    fn new_group_rejects_misspelled_fields() {
        let err = serde_json::from_str::<NewGroup>(r#"{"subjet":"x"}"#).unwrap_err();
        assert!(err.to_string().contains("subjet"), "{err}");
    }
}
