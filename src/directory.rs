//! The LID directory: what a client has learnt about the phone numbers behind privacy ids
//! (`…@lid`), so that members listed by LID can be shown with their number.
//!
//! Pure and synchronous: it is fed by what the client already reads (the engines' twin
//! fields, `participants/v2`'s `pn`) and by WAHA's `GET /api/{session}/lids/{lid}` answers,
//! and it decides which LIDs are still worth asking about. A miss (WhatsApp hides the
//! number, or the server does not know it yet) is remembered for [`MISS_TTL_MS`], so the
//! same LID is not asked again at once; a number is never guessed.

use std::collections::HashMap;

use crate::model::{Participant, UserId};

/// How long a LID whose number was not found is not asked about again: 10 minutes.
pub const MISS_TTL_MS: f64 = 10.0 * 60.0 * 1000.0;

/// At most this many LID (or contact) lookups are in flight at once: WAHA has no batch
/// route for them, and its engines answer each from a store or from WhatsApp.
pub const LOOKUP_CONCURRENCY: usize = 4;

/// What the directory says about one LID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    /// The number behind it (digits, E.164 without `+`).
    Phone(String),
    /// Asked recently and not found: hidden, or not known to the server.
    Missed,
    /// Never asked, or the miss has expired: worth asking.
    Unknown,
}

/// LID → phone number, with remembered misses. One per client, shared by its calls.
#[derive(Debug, Clone)]
pub struct LidDirectory {
    /// One map for both (a second map type would cost the `.wasm` its own copy of the
    /// hash table code).
    entries: HashMap<UserId, Entry>,
    miss_ttl_ms: f64,
}

#[derive(Debug, Clone)]
enum Entry {
    Phone(String),
    /// A miss, remembered until this `Transport::now_ms` time.
    MissUntil(f64),
}

impl Default for LidDirectory {
    fn default() -> Self {
        LidDirectory::new(MISS_TTL_MS)
    }
}

impl LidDirectory {
    /// An empty directory remembering misses for `miss_ttl_ms`.
    ///
    /// ```
    /// use wa_groups::directory::{Known, LidDirectory};
    /// use wa_groups::model::UserId;
    /// let mut directory = LidDirectory::new(60_000.0);
    /// let lid = UserId::parse("id", "76699677012110@lid")?;
    /// directory.learn(&lid, "5511988880000");
    /// assert_eq!(directory.lookup(&lid, 0.0), Known::Phone("5511988880000".into()));
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn new(miss_ttl_ms: f64) -> LidDirectory {
        LidDirectory {
            entries: HashMap::new(),
            miss_ttl_ms,
        }
    }

    /// Records the number behind `lid` (ignored unless `lid` is a `…@lid` id and `phone`
    /// digits only); a remembered miss for it is forgotten.
    pub fn learn(&mut self, lid: &UserId, phone: &str) {
        if !lid.is_lid() || phone.is_empty() || !phone.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        self.entries
            .insert(lid.clone(), Entry::Phone(phone.to_owned()));
    }

    /// Learns from members as a provider listed them: each one with both a LID and a
    /// phone (the twin fields, `pn`) teaches the directory that pair.
    ///
    /// ```
    /// use wa_groups::directory::{Known, LidDirectory};
    /// use wa_groups::model::{Participant, Role, UserId};
    /// let lid = UserId::parse("id", "76699677012110@lid")?;
    /// let mut member = Participant::new(lid.clone(), Role::Member);
    /// member.phone = Some("5511988880000".into());
    /// let mut directory = LidDirectory::default();
    /// directory.learn_from(&[member]);
    /// assert_eq!(directory.lookup(&lid, 0.0), Known::Phone("5511988880000".into()));
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn learn_from(&mut self, participants: &[Participant]) {
        for p in participants {
            if let (Some(lid), Some(phone)) = (&p.lid, &p.phone) {
                self.learn(lid, phone);
            }
        }
    }

    /// Remembers that asking about `lid` at `now_ms` found no number.
    pub fn remember_miss(&mut self, lid: &UserId, now_ms: f64) {
        if let Some(Entry::Phone(_)) = self.entries.get(lid) {
            return;
        }
        self.entries
            .insert(lid.clone(), Entry::MissUntil(now_ms + self.miss_ttl_ms));
    }

    /// What is known about `lid` at `now_ms`. A phone id (`…@c.us`) is its own number.
    ///
    /// ```
    /// use wa_groups::directory::{Known, LidDirectory};
    /// use wa_groups::model::UserId;
    /// let mut directory = LidDirectory::new(1_000.0);
    /// let hidden = UserId::parse("id", "123456789@lid")?;
    /// assert_eq!(directory.lookup(&hidden, 0.0), Known::Unknown);
    /// directory.remember_miss(&hidden, 0.0);
    /// assert_eq!(directory.lookup(&hidden, 999.0), Known::Missed);
    /// assert_eq!(directory.lookup(&hidden, 1_000.0), Known::Unknown); // worth asking again
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn lookup(&self, lid: &UserId, now_ms: f64) -> Known {
        if let Some(phone) = lid.phone() {
            return Known::Phone(phone.to_owned());
        }
        match self.entries.get(lid) {
            Some(Entry::Phone(phone)) => Known::Phone(phone.clone()),
            Some(Entry::MissUntil(expires)) if now_ms < *expires => Known::Missed,
            _ => Known::Unknown,
        }
    }

    /// The LIDs among `ids` worth asking the server about at `now_ms` (neither known nor
    /// recently missed), each once, in the order given.
    ///
    /// ```
    /// use wa_groups::directory::LidDirectory;
    /// use wa_groups::model::UserId;
    /// let ids: Vec<UserId> = ["5511988880000", "11@lid", "11@lid", "22@lid"]
    ///     .iter().map(|s| UserId::from_provider(s)).collect();
    /// let mut directory = LidDirectory::default();
    /// directory.remember_miss(&ids[3], 0.0);
    /// assert_eq!(directory.to_ask(&ids, 1.0), vec![ids[1].clone()]);
    /// ```
    pub fn to_ask(&self, ids: &[UserId], now_ms: f64) -> Vec<UserId> {
        let mut out: Vec<UserId> = Vec::new();
        for id in ids {
            if id.is_lid() && self.lookup(id, now_ms) == Known::Unknown && !out.contains(id) {
                out.push(id.clone());
            }
        }
        out
    }

    /// Fills in each member's phone from what is known (members whose number stays
    /// unknown keep `phone: None`).
    pub fn fill(&self, participants: &mut [Participant], now_ms: f64) {
        for p in participants.iter_mut().filter(|p| p.phone.is_none()) {
            let lid = p.lid.clone().unwrap_or_else(|| p.id.clone());
            if let Known::Phone(phone) = self.lookup(&lid, now_ms) {
                p.phone = Some(phone);
            }
        }
    }

    /// How many numbers the directory knows.
    pub fn len(&self) -> usize {
        self.entries
            .values()
            .filter(|e| matches!(e, Entry::Phone(_)))
            .count()
    }

    /// Whether it knows none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    fn id(s: &str) -> UserId {
        UserId::from_provider(s)
    }

    #[test]
    fn a_phone_id_is_its_own_number_and_is_never_asked_about() {
        let d = LidDirectory::default();
        assert_eq!(
            d.lookup(&id("5511988880000@c.us"), 0.0),
            Known::Phone("5511988880000".into())
        );
        assert!(d.to_ask(&[id("5511988880000@c.us")], 0.0).is_empty());
    }

    #[test]
    fn a_miss_is_remembered_for_its_ttl_then_asked_again() {
        let mut d = LidDirectory::new(100.0);
        let lid = id("42@lid");
        assert_eq!(d.to_ask(std::slice::from_ref(&lid), 0.0), vec![lid.clone()]);
        d.remember_miss(&lid, 10.0);
        assert!(d.to_ask(std::slice::from_ref(&lid), 109.0).is_empty());
        assert_eq!(
            d.to_ask(std::slice::from_ref(&lid), 110.0),
            vec![lid.clone()]
        );
    }

    #[test]
    fn learning_a_number_forgets_the_miss_and_a_miss_never_erases_a_number() {
        let mut d = LidDirectory::default();
        let lid = id("42@lid");
        d.remember_miss(&lid, 0.0);
        d.learn(&lid, "5511988880000");
        assert_eq!(d.lookup(&lid, 1.0), Known::Phone("5511988880000".into()));
        d.remember_miss(&lid, 2.0);
        assert_eq!(d.lookup(&lid, 3.0), Known::Phone("5511988880000".into()));
    }

    #[test]
    fn only_lid_to_digits_pairs_are_learnt() {
        let mut d = LidDirectory::default();
        d.learn(&id("5511988880000@c.us"), "5511988880000");
        d.learn(&id("42@lid"), "");
        d.learn(&id("43@lid"), "55 11");
        assert!(d.is_empty());
    }

    #[test]
    fn learning_from_twins_fills_other_members_listed_by_lid_only() {
        // NOWEB's phone-addressed listing: a phone id with its `lid` twin.
        let mut twin = Participant::new(id("5511988880000@c.us"), Role::Member);
        twin.lid = Some(id("42@lid"));
        let mut d = LidDirectory::default();
        d.learn_from(&[twin]);
        assert_eq!(d.len(), 1);
        // Elsewhere (a LID-addressed listing without `pn`, as WEBJS and WPP give).
        let mut members = vec![
            Participant::new(id("42@lid"), Role::Admin),
            Participant::new(id("99@lid"), Role::Member),
        ];
        d.fill(&mut members, 0.0);
        assert_eq!(members[0].phone.as_deref(), Some("5511988880000"));
        assert_eq!(members[1].phone, None, "an unknown number is never guessed");
        assert_eq!(
            d.to_ask(&[members[0].id.clone(), members[1].id.clone()], 0.0),
            vec![id("99@lid")]
        );
    }
}
