//! The client's member operations: numbers behind privacy ids, names, and exports.
//! Lookups go a few at a time ([`LOOKUP_CONCURRENCY`]); what they find (and what they miss)
//! is kept in the client's [`LidDirectory`](crate::directory::LidDirectory).

use futures_util::stream::{self, StreamExt};

use super::{MemberRow, ParticipantsOptions};
use crate::Client;
use crate::directory::{Known, LOOKUP_CONCURRENCY};
use crate::error::{Error, Result};
use crate::http::Transport;
use crate::model::{GroupId, Participant, UserId};
use crate::provider::Call;

/// At most this many groups are read at once by [`Client::export_members`].
pub const EXPORT_CONCURRENCY: usize = 4;

impl<T: Transport> Client<T> {
    /// The phone number behind each id: a phone id is its own number; a privacy id
    /// (`…@lid`) is looked up in what the client has learnt, then asked of the provider
    /// (WAHA's `/lids` route, [`LOOKUP_CONCURRENCY`] at a time). `None` where WhatsApp hides
    /// the number or the server does not know it: never guessed. A miss is remembered for
    /// [`MISS_TTL_MS`](crate::directory::MISS_TTL_MS) and not asked again meanwhile. Wavy
    /// lists members by phone: nothing is sent.
    ///
    /// One `(id, phone)` pair per id, in the order given, the id as given. An id that is
    /// neither a phone number nor a user id is `invalid_input` naming `ids[i]`, before
    /// anything is sent.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// let phones = client.resolve_phones(&["76699677012110@lid".to_owned()]).await?;
    /// for (id, phone) in &phones {
    ///     match phone {
    ///         Some(phone) => println!("{id}: +{phone}"),
    ///         None => println!("{id}: number hidden"),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn resolve_phones(&self, ids: &[String]) -> Result<Vec<(String, Option<String>)>> {
        let parsed: Vec<UserId> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| UserId::parse(&format!("ids[{i}]"), id))
            .collect::<Result<_>>()?;
        self.look_up_lids(&parsed).await?;
        let now = self.transport().now_ms();
        let directory = self.directory().borrow();
        Ok(ids
            .iter()
            .zip(&parsed)
            .map(|(given, id)| {
                let phone = match directory.lookup(id, now) {
                    Known::Phone(phone) => Some(phone),
                    Known::Missed | Known::Unknown => None,
                };
                (given.clone(), phone)
            })
            .collect())
    }

    /// Teaches the client's LID directory the pairs these members carry (a LID with its
    /// phone), for instance the participants of an inbound event
    /// ([`InboundEvent::participants`](crate::events::InboundEvent::participants): WAHA's
    /// `group.v2.participants` webhooks name a member by LID with their `pn`). Later
    /// lookups of those LIDs are answered without a request.
    ///
    /// ```no_run
    /// # fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>, body: &[u8]) -> wa_groups::Result<()> {
    /// use wa_groups::provider::ProviderKind;
    /// for event in wa_groups::events::parse_inbound(ProviderKind::Waha, body)? {
    ///     client.learn_participants(&event.participants);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn learn_participants(&self, participants: &[Participant]) {
        self.directory().borrow_mut().learn_from(participants);
    }

    /// [`Client::list_participants`], filling in numbers behind privacy ids
    /// (`resolve_phones`) and names (`names`) when asked. Whatever the listing carries
    /// (the engines' twin fields, `pn`) is learnt either way.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// use wa_groups::members::ParticipantsOptions;
    /// let members = client.list_participants_with(&id, &ParticipantsOptions::new(true, true)).await?;
    /// for m in &members {
    ///     let number = m.phone.as_deref().map_or("number hidden".to_owned(), |p| format!("+{p}"));
    ///     println!("{} {number}", m.name.as_deref().unwrap_or(""));
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_participants_with(
        &self,
        id: &GroupId,
        options: &ParticipantsOptions,
    ) -> Result<Vec<Participant>> {
        let mut members = self.list_participants(id).await?;
        self.complete(&mut members, options).await?;
        Ok(members)
    }

    /// Learns from `members`, then fills in what `options` ask for.
    async fn complete(
        &self,
        members: &mut [Participant],
        options: &ParticipantsOptions,
    ) -> Result<()> {
        self.directory().borrow_mut().learn_from(members);
        if options.resolve_phones {
            let lids: Vec<UserId> = members
                .iter()
                .filter(|m| m.phone.is_none())
                .map(|m| m.lid.clone().unwrap_or_else(|| m.id.clone()))
                .collect();
            self.look_up_lids(&lids).await?;
            let now = self.transport().now_ms();
            self.directory().borrow().fill(members, now);
        }
        if options.names && self.provider_ref().knows_names() {
            self.look_up_names(members).await?;
        }
        Ok(())
    }

    /// Asks the provider about each LID among `ids` that is neither known nor recently
    /// missed, a few at a time; records each answer. The first failure ends the lookups
    /// (those in flight are dropped) and is returned.
    async fn look_up_lids(&self, ids: &[UserId]) -> Result<()> {
        if !self.provider_ref().resolves_lids() {
            return Ok(());
        }
        let now = self.transport().now_ms();
        let to_ask = self.directory().borrow().to_ask(ids, now);
        let provider = self.provider_ref();
        let answers = self
            .look_up(
                to_ask
                    .iter()
                    .map(|lid| provider.lid_to_phone(lid))
                    .collect(),
            )
            .await?;
        let now = self.transport().now_ms();
        let mut directory = self.directory().borrow_mut();
        for (lid, phone) in to_ask.iter().zip(answers) {
            match phone {
                Some(phone) => directory.learn(lid, &phone),
                None => directory.remember_miss(lid, now),
            }
        }
        Ok(())
    }

    /// The name WhatsApp shows for each person (address book, else their own), in order;
    /// `None` where unknown. WAHA: one contacts request per id, [`LOOKUP_CONCURRENCY`] at a
    /// time; Wavy knows no names: all `None`, nothing sent. (The panel asks for the members
    /// of the page on screen.)
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// use wa_groups::model::UserId;
    /// let names = client.names_of(&[UserId::parse("id", "5511988880000")?]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn names_of(&self, ids: &[UserId]) -> Result<Vec<Option<String>>> {
        if !self.provider_ref().knows_names() {
            return Ok(vec![None; ids.len()]);
        }
        let provider = self.provider_ref();
        self.look_up(ids.iter().map(|id| provider.contact_name(id)).collect())
            .await
    }

    /// Each member's name, a few lookups at a time.
    async fn look_up_names(&self, members: &mut [Participant]) -> Result<()> {
        let provider = self.provider_ref();
        let names = self
            .look_up(
                members
                    .iter()
                    .map(|m| provider.contact_name(&m.id))
                    .collect(),
            )
            .await?;
        for (member, name) in members.iter_mut().zip(names) {
            member.name = name;
        }
        Ok(())
    }

    /// Runs lookups [`LOOKUP_CONCURRENCY`] at a time; their answers in order. The first
    /// failure ends them all (those in flight are dropped) and is returned. One function
    /// for LIDs and names, so the `.wasm` carries one copy of the stream machinery.
    async fn look_up(
        &self,
        calls: Vec<Result<Call<Option<String>>>>,
    ) -> Result<Vec<Option<String>>> {
        let mut out = Vec::with_capacity(calls.len());
        let mut answers = stream::iter(calls)
            .map(|call| async move { self.run_paced(call?, None).await })
            .buffered(LOOKUP_CONCURRENCY);
        while let Some(answer) = answers.next().await {
            out.push(answer?);
        }
        Ok(out)
    }

    /// One row per membership of each group, in the order given (members in the order the
    /// provider lists them), numbers behind privacy ids resolved as
    /// [`Client::resolve_phones`] does. At most [`EXPORT_CONCURRENCY`] groups are read at
    /// once. A group that cannot be read fails the whole export with its error (no
    /// partial export passes for a complete one); an empty list is `invalid_input`.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// use wa_groups::members::members_to_csv;
    /// use wa_groups::model::GroupId;
    /// let groups = [GroupId::new("groupId", "120363000000000001@g.us")?];
    /// let csv = members_to_csv(&client.export_members(&groups).await?);
    /// # Ok(()) }
    /// ```
    pub async fn export_members(&self, group_ids: &[GroupId]) -> Result<Vec<MemberRow>> {
        if group_ids.is_empty() {
            return Err(Error::invalid("groupIds", "must not be empty"));
        }
        let mut groups = Vec::with_capacity(group_ids.len());
        {
            let mut read = stream::iter(group_ids)
                .map(|id| async move { self.get_group(id).await })
                .buffered(EXPORT_CONCURRENCY);
            while let Some(group) = read.next().await {
                groups.push(group?);
            }
        }
        let resolve = ParticipantsOptions::new(true, false);
        let mut everyone: Vec<Participant> = groups
            .iter()
            .flat_map(|g| g.participants.iter().cloned())
            .collect();
        self.complete(&mut everyone, &resolve).await?;
        let mut filled = everyone.into_iter();
        let mut rows = Vec::with_capacity(filled.len());
        for group in groups {
            for _ in 0..group.participants.len() {
                let Some(m) = filled.next() else { break };
                rows.push(MemberRow::new(
                    group.id.clone(),
                    group.subject.clone(),
                    m.id,
                    m.phone,
                    m.lid,
                    m.role,
                ));
            }
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};

    use super::*;
    use crate::ErrorCode;
    use crate::http::{HttpRequest, HttpResponse};
    use crate::model::Role;
    use crate::provider::waha::Waha;
    use crate::provider::wavy::Wavy;

    /// Answers by path (`answer(path) -> (status, body)`), records each path asked, and
    /// counts how many requests were in flight at most.
    struct Fake {
        answer: fn(&str) -> (u16, String),
        asked: RefCell<Vec<String>>,
        now: Cell<f64>,
    }

    impl Transport for Fake {
        async fn send(&self, _base: &str, request: HttpRequest) -> Result<HttpResponse> {
            let path = match request.query.first() {
                Some((k, v)) => format!("{}?{k}={v}", request.path),
                None => request.path.clone(),
            };
            self.asked.borrow_mut().push(path.clone());
            let (status, body) = (self.answer)(&path);
            Ok(HttpResponse::new(status, body))
        }
        async fn sleep(&self, _ms: u64) -> Result<()> {
            Ok(())
        }
        fn random(&self) -> f64 {
            0.5
        }
        fn now_ms(&self) -> f64 {
            self.now.get()
        }
    }

    fn waha(answer: fn(&str) -> (u16, String)) -> Client<Fake> {
        Client::new(
            Waha::new("default", "k").unwrap(),
            Fake {
                answer,
                asked: RefCell::default(),
                now: Cell::new(0.0),
            },
            "http://127.0.0.1:3000",
        )
        .unwrap()
    }

    /// A LID group as WEBJS lists it: ids only, `pn: null` for LIDs (research §4).
    fn lid_group(path: &str) -> (u16, String) {
        match path {
            "/api/default/groups/120363000000000001@g.us/participants/v2" => (
                200,
                r#"[{"id":"5511988880000@c.us","pn":"5511988880000@c.us","role":"superadmin"},
                    {"id":"11100000@lid","pn":null,"role":"participant"},
                    {"id":"22200000@lid","pn":null,"role":"admin"}]"#
                    .into(),
            ),
            "/api/default/lids/11100000" => (
                200,
                r#"{"lid":"11100000@lid","pn":"5511977770000@c.us"}"#.into(),
            ),
            "/api/default/lids/22200000" => (200, r#"{"lid":"22200000@lid","pn":null}"#.into()),
            "/api/contacts?contactId=5511988880000@c.us" => (
                200,
                r#"{"id":"5511988880000@c.us","name":"Ana","pushname":"A"}"#.into(),
            ),
            "/api/contacts?contactId=11100000@lid" => {
                (200, r#"{"id":"11100000@lid","pushname":"Bia"}"#.into())
            }
            "/api/contacts?contactId=22200000@lid" => (200, "null".into()),
            other => (
                404,
                format!(r#"{{"statusCode":404,"message":"no {other}"}}"#),
            ),
        }
    }

    fn map(
        pairs: Vec<(String, Option<String>)>,
    ) -> std::collections::HashMap<String, Option<String>> {
        pairs.into_iter().collect()
    }

    fn group() -> GroupId {
        GroupId::new("groupId", "120363000000000001@g.us").unwrap()
    }

    #[test]
    fn list_participants_resolves_lids_and_leaves_a_hidden_number_absent() {
        let client = waha(lid_group);
        let options = ParticipantsOptions::new(true, false);
        let members =
            pollster::block_on(client.list_participants_with(&group(), &options)).unwrap();
        let phones: Vec<Option<&str>> = members.iter().map(|m| m.phone.as_deref()).collect();
        assert_eq!(phones, [Some("5511988880000"), Some("5511977770000"), None]);
        assert_eq!(
            members[1].lid.as_ref().map(UserId::as_str),
            Some("11100000@lid")
        );
        let asked = client.transport().asked.borrow().clone();
        assert!(asked.contains(&"/api/default/lids/11100000".to_owned()));
        assert!(
            !asked.iter().any(|p| p.contains("/lids/5511")),
            "a phone is never looked up"
        );
    }

    #[test]
    fn a_pair_learnt_from_an_inbound_event_answers_without_a_request() {
        let client = waha(lid_group);
        let body = r#"{"event":"group.v2.participants","session":"default","payload":{
            "group":{"id":"120363000000000001@g.us"},"type":"join","timestamp":1757000000,
            "participants":[{"id":"33300000@lid","pn":"5511966660000@c.us","role":"participant"}]}}"#;
        let events =
            crate::events::parse_inbound(crate::provider::ProviderKind::Waha, body.as_bytes())
                .unwrap();
        for event in &events {
            client.learn_participants(&event.participants);
        }
        let phones =
            map(pollster::block_on(client.resolve_phones(&["33300000@lid".into()])).unwrap());
        assert_eq!(phones["33300000@lid"].as_deref(), Some("5511966660000"));
        assert!(client.transport().asked.borrow().is_empty());
    }

    #[test]
    fn without_the_option_nothing_is_looked_up() {
        let client = waha(lid_group);
        let members = pollster::block_on(client.list_participants(&group())).unwrap();
        assert_eq!(members[1].phone, None);
        assert_eq!(client.transport().asked.borrow().len(), 1);
    }

    #[test]
    fn a_miss_is_not_asked_again_until_its_ttl_passes_and_a_hit_never_again() {
        let client = waha(lid_group);
        let ids = ["11100000@lid".to_owned(), "22200000@lid".to_owned()];
        let first = map(pollster::block_on(client.resolve_phones(&ids)).unwrap());
        assert_eq!(first["11100000@lid"].as_deref(), Some("5511977770000"));
        assert_eq!(first["22200000@lid"], None);
        assert_eq!(client.transport().asked.borrow().len(), 2);
        // A copy of the client (a call's own signal/timeout) shares what was learnt.
        let copy = client.with_transport(Fake {
            answer: lid_group,
            asked: RefCell::default(),
            now: Cell::new(60_000.0),
        });
        pollster::block_on(copy.resolve_phones(&ids)).unwrap();
        assert!(
            copy.transport().asked.borrow().is_empty(),
            "both remembered"
        );
        copy.transport()
            .now
            .set(crate::directory::MISS_TTL_MS + 1.0);
        pollster::block_on(copy.resolve_phones(&ids)).unwrap();
        assert_eq!(
            *copy.transport().asked.borrow(),
            ["/api/default/lids/22200000"]
        );
    }

    #[test]
    fn resolve_phones_keys_by_the_ids_given_and_refuses_a_bad_one_before_sending() {
        let client = waha(lid_group);
        let phones = map(pollster::block_on(
            client.resolve_phones(&["+55 11 98888-0000".to_owned()]),
        )
        .unwrap());
        assert_eq!(
            phones["+55 11 98888-0000"].as_deref(),
            Some("5511988880000")
        );
        let err =
            pollster::block_on(client.resolve_phones(&["11100000@lid".into(), "x@g.us".into()]))
                .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert!(err.to_string().contains("ids[1]"), "{err}");
        assert!(client.transport().asked.borrow().is_empty());
    }

    #[test]
    fn lookups_go_a_few_at_a_time() {
        // 40 unknown LIDs: the stream never holds more than LOOKUP_CONCURRENCY in flight;
        // with a transport that answers at once we can only check each is asked once.
        let client = waha(|path| {
            let n = path.rsplit('/').next().unwrap_or("0");
            (200, format!(r#"{{"lid":"{n}@lid","pn":"55{n:0>9}@c.us"}}"#))
        });
        let ids: Vec<String> = (1_000_000..1_000_040).map(|n| format!("{n}@lid")).collect();
        let phones = map(pollster::block_on(client.resolve_phones(&ids)).unwrap());
        assert_eq!(phones["1000000@lid"].as_deref(), Some("55001000000"));
        assert_eq!(client.transport().asked.borrow().len(), 40);
    }

    #[test]
    fn a_failed_lookup_fails_the_call_with_its_typed_error() {
        let client = waha(|path| {
            if path.contains("/lids/") {
                (
                    400,
                    r#"{"statusCode":400,"message":"Enable NOWEB store"}"#.into(),
                )
            } else {
                lid_group(path)
            }
        });
        let err = pollster::block_on(
            client.list_participants_with(&group(), &ParticipantsOptions::new(true, false)),
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
    }

    #[test]
    fn names_are_read_from_contacts_only_when_asked() {
        let client = waha(lid_group);
        let members = pollster::block_on(
            client.list_participants_with(&group(), &ParticipantsOptions::new(false, true)),
        )
        .unwrap();
        let names: Vec<Option<&str>> = members.iter().map(|m| m.name.as_deref()).collect();
        assert_eq!(names, [Some("Ana"), Some("Bia"), None]);
    }

    #[test]
    fn wavy_knows_members_by_phone_so_nothing_is_sent() {
        let client = Client::new(
            Wavy::new("user", "token").unwrap(),
            Fake {
                answer: |_| (500, String::new()),
                asked: RefCell::default(),
                now: Cell::new(0.0),
            },
            "http://127.0.0.1:3000",
        )
        .unwrap();
        let phones = map(pollster::block_on(
            client.resolve_phones(&["5511988880000".into(), "10000001@lid".into()]),
        )
        .unwrap());
        assert_eq!(phones["5511988880000"].as_deref(), Some("5511988880000"));
        assert_eq!(phones["10000001@lid"], None);
        assert!(client.transport().asked.borrow().is_empty());
    }

    #[test]
    fn export_has_one_row_per_membership_with_numbers_resolved() {
        let client = waha(|path| {
            match path {
            "/api/default/groups/120363000000000001@g.us" => (
                200,
                r#"{"id":{"server":"g.us","user":"120363000000000001","_serialized":"120363000000000001@g.us"},
                    "name":"One","groupMetadata":{"participants":[
                      {"id":{"server":"c.us","user":"5511988880000","_serialized":"5511988880000@c.us"},"isAdmin":true,"isSuperAdmin":true},
                      {"id":{"server":"lid","user":"111","_serialized":"11100000@lid"},"isAdmin":false,"isSuperAdmin":false}]}}"#
                    .into(),
            ),
            "/api/default/groups/120363000000000002@g.us" => (
                200,
                r#"{"id":"120363000000000002@g.us","subject":"Two","addressingMode":"lid","participants":[
                      {"id":"22200000@lid","admin":null}]}"#
                    .into(),
            ),
            other => lid_group(other),
        }
        });
        let ids = [
            group(),
            GroupId::new("g", "120363000000000002@g.us").unwrap(),
        ];
        let rows = pollster::block_on(client.export_members(&ids)).unwrap();
        let flat: Vec<(&str, &str, Option<&str>, Role)> = rows
            .iter()
            .map(|r| {
                (
                    r.group_subject.as_str(),
                    r.id.as_str(),
                    r.phone.as_deref(),
                    r.role,
                )
            })
            .collect();
        assert_eq!(
            flat,
            [
                (
                    "One",
                    "5511988880000@c.us",
                    Some("5511988880000"),
                    Role::Superadmin
                ),
                ("One", "11100000@lid", Some("5511977770000"), Role::Member),
                ("Two", "22200000@lid", None, Role::Member),
            ]
        );
        assert_eq!(
            rows[2].lid.as_ref().map(UserId::as_str),
            Some("22200000@lid")
        );
        let err = pollster::block_on(client.export_members(&[])).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
    }

    #[test]
    fn export_fails_whole_when_a_group_cannot_be_read() {
        let client = waha(lid_group);
        let ids = [GroupId::new("g", "120363000000000009@g.us").unwrap()];
        let err = pollster::block_on(client.export_members(&ids)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound);
    }
}
