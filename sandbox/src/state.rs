//! The sandbox's world: groups and their members, independent of any provider's spelling.

use std::collections::BTreeMap;

/// The account the sandbox acts as (WAHA's "me").
pub const ME: &str = "5511900000000@c.us";

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
    /// `<digits>@c.us` or `<digits>@lid`.
    pub id: String,
    /// The member's role.
    pub role: Role,
}

/// A group, as the sandbox keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// `120363…@g.us`.
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
}

/// Everything the sandbox knows, per WAHA session.
#[derive(Debug, Default)]
pub struct World {
    /// Groups by id, per session name.
    sessions: BTreeMap<String, BTreeMap<String, Group>>,
    next_group: u64,
    clock: u64,
}

/// The WAHA sessions that exist (others answer 404, as an unknown session does).
pub const SESSIONS: &[&str] = &["default", "webjs", "noweb", "gows"];

impl World {
    /// The groups of `session`, if the session exists.
    pub fn groups(&self, session: &str) -> Option<impl Iterator<Item = &Group>> {
        if !SESSIONS.contains(&session) {
            return None;
        }
        Some(
            self.sessions
                .get(session)
                .into_iter()
                .flat_map(|g| g.values()),
        )
    }

    /// A deterministic, increasing "now", so responses are reproducible.
    fn tick(&mut self) -> u64 {
        self.clock += 1;
        1_732_526_000 + self.clock
    }

    /// Creates a group in `session` with the account as superadmin and `members` as members.
    pub fn create_group(&mut self, session: &str, subject: &str, members: &[String]) -> Group {
        self.next_group += 1;
        let id = format!("120363{:012}@g.us", self.next_group);
        let mut all = vec![Member {
            id: ME.to_owned(),
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
        let group = Group {
            id: id.clone(),
            subject: subject.to_owned(),
            description: None,
            creator: ME.to_owned(),
            created_at: self.tick(),
            members: all,
        };
        self.sessions
            .entry(session.to_owned())
            .or_default()
            .insert(id, group.clone());
        group
    }

    /// A few groups for the demo, in the `default` session.
    pub fn seed_demo(&mut self) {
        let demo = [
            ("Family", &["5511988880001@c.us", "5511988880002@c.us"][..]),
            ("Ops on-call", &["5511988880003@c.us"][..]),
            (
                "Book club",
                &[
                    "5511988880004@c.us",
                    "5511988880005@c.us",
                    "5511988880006@c.us",
                ][..],
            ),
        ];
        for (subject, members) in demo {
            let members: Vec<String> = members.iter().map(|m| (*m).to_owned()).collect();
            self.create_group("default", subject, &members);
        }
        if let Some(group) = self
            .sessions
            .get_mut("default")
            .and_then(|g| g.values_mut().next())
        {
            group.description = Some("Weekend plans and photos".into());
        }
    }
}
