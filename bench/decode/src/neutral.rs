//! The neutral model of `src/model.rs`, reduced to what a group listing fills: ids are plain
//! strings here (`GroupId`/`UserId` are `#[serde(transparent)]` strings in the core).

/// A participant's role in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde-derive",
    derive(serde::Serialize),
    serde(rename_all = "lowercase")
)]
#[cfg_attr(feature = "miniserde", derive(miniserde::Serialize))]
pub enum Role {
    #[cfg_attr(feature = "miniserde", serde(rename = "superadmin"))]
    Superadmin,
    #[cfg_attr(feature = "miniserde", serde(rename = "admin"))]
    Admin,
    #[cfg_attr(feature = "miniserde", serde(rename = "member"))]
    Member,
}

/// A member of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde-derive",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
#[cfg_attr(feature = "miniserde", derive(miniserde::Serialize))]
pub struct Participant {
    pub id: String,
    #[cfg_attr(
        feature = "serde-derive",
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub phone: Option<String>,
    #[cfg_attr(
        feature = "serde-derive",
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub lid: Option<String>,
    #[cfg_attr(
        feature = "serde-derive",
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub name: Option<String>,
    pub role: Role,
}

impl Participant {
    /// A participant with a role; the phone is taken from the id when it is a phone id.
    pub fn new(id: String, role: Role) -> Participant {
        let phone = phone(&id).map(str::to_owned);
        let lid = is_lid(&id).then(|| id.clone());
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde-derive",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
#[cfg_attr(feature = "miniserde", derive(miniserde::Serialize))]
pub struct Group {
    pub id: String,
    pub subject: String,
    #[cfg_attr(
        feature = "serde-derive",
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub description: Option<String>,
    #[cfg_attr(
        feature = "serde-derive",
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub creator: Option<String>,
    #[cfg_attr(
        feature = "serde-derive",
        serde(skip_serializing_if = "Option::is_none")
    )]
    #[cfg_attr(feature = "miniserde", serde(rename = "createdAt"))]
    pub created_at: Option<u64>,
    #[cfg_attr(
        feature = "serde-derive",
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub size: Option<u32>,
    pub participants: Vec<Participant>,
}

impl Group {
    pub fn new(id: String, subject: String) -> Group {
        Group {
            id,
            subject,
            description: None,
            creator: None,
            created_at: None,
            size: None,
            participants: Vec::new(),
        }
    }
}

/// `UserId::from_provider`: `@s.whatsapp.net` becomes `@c.us`, a device suffix is dropped.
pub fn from_provider(raw: &str) -> String {
    let (user, server) = raw.split_once('@').unwrap_or((raw, ""));
    let user = user.split(':').next().unwrap_or(user);
    match server {
        "s.whatsapp.net" | "c.us" => format!("{user}@c.us"),
        "" => user.to_owned(),
        _ => format!("{user}@{server}"),
    }
}

/// `UserId::phone`: the digits of a `…@c.us` id.
pub fn phone(id: &str) -> Option<&str> {
    id.strip_suffix("@c.us")
}

/// `UserId::is_lid`.
pub fn is_lid(id: &str) -> bool {
    id.ends_with("@lid")
}
