//! [`Client`]: a provider, a transport and a base URL; one async method per operation.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use futures_util::stream::{self, StreamExt};

use crate::cache::{Cache, Forget, Scope, Use};
use crate::error::{Error, ErrorCode, Result};
use crate::http::{HttpRequest, HttpResponse, Transport};
use crate::model::{
    Group, GroupId, GroupListing, GroupSettings, Icon, JoinRequest, ListGroupsOptions, NewGroup,
    Participant, ParticipantChange, ParticipantResult, SendOptions, SentMessage, Setting, SortBy,
    SortOrder, UserId,
};
use crate::pacing::Pacing;
use crate::provider::{Call, Capabilities, Provider, ProviderKind, Step};
use crate::retry::{Decision, RetryPolicy};

/// A group API client: builds each request with its provider and sends it with its transport.
pub struct Client<T> {
    provider: Rc<dyn Provider>,
    transport: T,
    base_url: String,
    retry: RetryPolicy,
    /// Shared by every copy ([`Client::with_transport`]); `None` unless asked for.
    pub(crate) cache: Option<Rc<Cache>>,
    /// Numbers learnt behind privacy ids, shared by every copy of this client.
    directory: Rc<std::cell::RefCell<crate::directory::LidDirectory>>,
    safety: Option<Rc<crate::safety::Safety>>,
}

impl<T> std::fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("provider", &self.provider.kind())
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// Checks a base URL and returns it without a trailing slash.
///
/// Only `http:` and `https:` URLs with a host and no query or fragment are accepted, so a
/// request path can simply be appended.
///
/// ```
/// use wa_groups::client::normalise_base_url;
/// assert_eq!(normalise_base_url(" https://waha.example/ ")?, "https://waha.example");
/// assert!(normalise_base_url("waha.example").is_err());
/// assert!(normalise_base_url("https://user:pw@waha.example").is_err());
/// # Ok::<(), wa_groups::Error>(())
/// ```
pub fn normalise_base_url(base_url: &str) -> Result<String> {
    let url = base_url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| Error::invalid("baseUrl", "must start with http:// or https://"))?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Err(Error::invalid("baseUrl", "has no host"));
    }
    if rest.contains(['?', '#']) {
        return Err(Error::invalid(
            "baseUrl",
            "must not have a query or a fragment",
        ));
    }
    if rest.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid("baseUrl", "must not contain spaces"));
    }
    if host.contains('@') {
        return Err(Error::invalid(
            "baseUrl",
            "must not carry credentials; pass them as options",
        ));
    }
    Ok(url.to_owned())
}

impl<T: Transport> Client<T> {
    /// A client for `provider` at `base_url`, sending with `transport`.
    ///
    /// ```no_run
    /// # fn example<T: wa_groups::http::Transport>(transport: T) -> wa_groups::Result<()> {
    /// use wa_groups::{Client, provider::waha::Waha};
    /// let client = Client::new(Waha::new("default", "sandbox")?, transport, "http://127.0.0.1:3000")?;
    /// # Ok(()) }
    /// ```
    pub fn new(
        provider: impl Provider + 'static,
        transport: T,
        base_url: &str,
    ) -> Result<Client<T>> {
        Ok(Client {
            provider: Rc::new(provider),
            transport,
            base_url: normalise_base_url(base_url)?,
            retry: RetryPolicy::default(),
            cache: None,
            directory: Rc::default(),
            safety: None,
        })
    }

    /// Replaces the retry policy ([`RetryPolicy::default`]: two retries of what is safe to
    /// repeat; [`RetryPolicy::none`] turns retrying off).
    ///
    /// ```no_run
    /// # fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) {
    /// use wa_groups::retry::RetryPolicy;
    /// let patient = client.with_retry(RetryPolicy { retries: 5, ..RetryPolicy::default() });
    /// let once = patient.with_retry(RetryPolicy::none());
    /// # }
    /// ```
    pub fn with_retry(mut self, retry: RetryPolicy) -> Client<T> {
        self.retry = retry;
        self
    }

    /// The retry policy in force.
    ///
    /// ```no_run
    /// # fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) {
    /// let policy = client.retry_policy();
    /// println!("up to {} retries, waiting at most {} ms", policy.retries, policy.max_delay_ms);
    /// # }
    /// ```
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// Which provider this client talks to.
    ///
    /// ```no_run
    /// # fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) {
    /// use wa_groups::provider::ProviderKind;
    /// if client.provider() == ProviderKind::Wavy {
    ///     println!("Wavy: members are phone numbers only");
    /// }
    /// # }
    /// ```
    pub fn provider(&self) -> ProviderKind {
        self.provider.kind()
    }

    /// What the provider can do.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// if client.capabilities().delete_group {
    ///     client.delete_group(&id).await?;
    /// } else {
    ///     client.leave_group(&id).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn capabilities(&self) -> Capabilities {
        self.provider.capabilities()
    }

    /// The transport requests go through.
    ///
    /// ```no_run
    /// # fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) {
    /// use wa_groups::http::Transport;
    /// let started_ms = client.transport().now_ms();
    /// # }
    /// ```
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The same client over another transport (a cheap copy): how a single call gets its
    /// own timeout or abort signal.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>, impatient: T) -> wa_groups::Result<()> {
    /// // `impatient`: say, a `FetchTransport` with a 2-second timeout on wasm.
    /// let n = client.with_transport(impatient).count_groups().await?;
    /// # Ok(()) }
    /// ```
    pub fn with_transport<U: Transport>(&self, transport: U) -> Client<U> {
        Client {
            provider: Rc::clone(&self.provider),
            transport,
            base_url: self.base_url.clone(),
            retry: self.retry,
            cache: self.cache.clone(),
            directory: Rc::clone(&self.directory),
            safety: self.safety.clone(),
        }
    }

    /// The LID directory shared by this client's copies (see [`crate::directory`]).
    pub(crate) fn directory(&self) -> &std::cell::RefCell<crate::directory::LidDirectory> {
        &self.directory
    }

    /// Turns on a safety budget for adds, creates and joins (see [`crate::safety`]): past it,
    /// they fail with `budget_exceeded` before anything is sent. Off by default.
    ///
    /// ```no_run
    /// # fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) {
    /// use std::rc::Rc;
    /// use wa_groups::safety::{MemoryStore, Safety, SafetyLimits};
    /// let limits = SafetyLimits { adds_per_day: Some(50), ..Default::default() };
    /// let key = Safety::account_key(client.provider(), client.base_url(), "default");
    /// let client = client.with_safety(Safety::new(limits, Rc::new(MemoryStore::default()), key));
    /// # }
    /// ```
    pub fn with_safety(mut self, safety: crate::safety::Safety) -> Client<T> {
        self.safety = Some(Rc::new(safety));
        self
    }

    /// The safety budget in force, if any.
    pub fn safety(&self) -> Option<&crate::safety::Safety> {
        self.safety.as_deref()
    }

    /// The provider requests are built by.
    pub(crate) fn provider_ref(&self) -> &dyn Provider {
        self.provider.as_ref()
    }

    /// The base URL requests go to (no trailing slash).
    ///
    /// ```no_run
    /// # fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) {
    /// assert!(!client.base_url().ends_with('/'));
    /// # }
    /// ```
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Creates a group and returns it as the provider reports it.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// use wa_groups::model::NewGroup;
    /// let group = client
    ///     .create_group(&NewGroup { subject: "Team".into(), participants: vec!["5511988880000".into()] })
    ///     .await?;
    /// println!("created {}", group.id);
    /// # Ok(()) }
    /// ```
    pub async fn create_group(&self, group: &NewGroup) -> Result<Group> {
        let call = self.provider.create_group(group)?;
        let needs = crate::adds::create_needs(group);
        self.within_budget(&needs, self.write(Forget::Listings, call))
            .await
    }

    /// Lists the account's groups, paged and sorted. Where the provider lists only ids
    /// (Wavy), the page is cut from the ids first and its groups are then fetched with at
    /// most [`DETAIL_CONCURRENCY`] requests in flight.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// use wa_groups::model::ListGroupsOptions;
    /// let first_page = client
    ///     .list_groups(&ListGroupsOptions { limit: Some(50), ..Default::default() })
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn list_groups(&self, options: &ListGroupsOptions) -> Result<Vec<Group>> {
        match self
            .read(Scope::Listing, self.provider.list_groups(options)?)
            .await?
        {
            GroupListing::Groups(groups) => Ok(page_ignored_query(groups, options)),
            GroupListing::Ids(mut ids) => {
                let by_subject = options.sort_by == Some(SortBy::Subject);
                if !by_subject {
                    ids.sort_unstable();
                    if options.sort_order == Some(SortOrder::Desc) {
                        ids.reverse();
                    }
                    ids = page(ids, options);
                }
                let mut groups = self.groups_by_id(ids).await?;
                if options.participants == Some(false) {
                    // Wavy's details always carry them; honour the listing's request.
                    groups.iter_mut().for_each(|g| g.participants.clear());
                }
                if by_subject {
                    groups.sort_unstable_by(subject_then_id);
                    if options.sort_order == Some(SortOrder::Desc) {
                        groups.reverse();
                    }
                    groups = page(groups, options);
                }
                Ok(groups)
            }
        }
    }

    /// Fetches each group, keeping the order; a group that vanished meanwhile is skipped.
    async fn groups_by_id(&self, ids: Vec<GroupId>) -> Result<Vec<Group>> {
        let results: Vec<Result<Group>> = stream::iter(ids)
            .map(|id| async move { self.get_group(&id).await })
            .buffered(DETAIL_CONCURRENCY)
            .collect()
            .await;
        results
            .into_iter()
            .filter(|r| !matches!(r, Err(e) if e.code() == ErrorCode::NotFound))
            .collect()
    }

    /// How many groups the account is in.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// let n = client.count_groups().await?;
    /// println!("the account is in {n} groups");
    /// # Ok(()) }
    /// ```
    pub async fn count_groups(&self) -> Result<u64> {
        self.read(Scope::Listing, self.provider.count_groups()?)
            .await
    }

    /// One group, with its participants.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// use wa_groups::model::GroupId;
    /// let id = GroupId::new("groupId", "120363000000000001@g.us")?;
    /// let group = client.get_group(&id).await?;
    /// println!("{} has {} members", group.subject, group.participants.len());
    /// # Ok(()) }
    /// ```
    pub async fn get_group(&self, id: &GroupId) -> Result<Group> {
        self.read(Scope::Group(id.clone()), self.provider.get_group(id)?)
            .await
    }

    /// Deletes a group for everyone.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// client.delete_group(&id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_group(&self, id: &GroupId) -> Result<()> {
        self.write(Forget::Group(id), self.provider.delete_group(id)?)
            .await
    }

    /// Leaves a group (it goes on without the account).
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// client.leave_group(&id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn leave_group(&self, id: &GroupId) -> Result<()> {
        self.write(Forget::Group(id), self.provider.leave_group(id)?)
            .await
    }

    /// Asks the provider to re-read the groups from WhatsApp.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// client.refresh_groups().await?;
    /// let groups = client.list_groups(&Default::default()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn refresh_groups(&self) -> Result<()> {
        self.write(Forget::All, self.provider.refresh_groups()?)
            .await
    }

    /// Renames a group.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// client.set_subject(&id, "Team (2026)").await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_subject(&self, id: &GroupId, subject: &str) -> Result<()> {
        self.write(Forget::Group(id), self.provider.set_subject(id, subject)?)
            .await
    }

    /// Sets a group's description.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// client.set_description(&id, "Weekly sync, Mondays 9:00").await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_description(&self, id: &GroupId, description: &str) -> Result<()> {
        self.write(
            Forget::Group(id),
            self.provider.set_description(id, description)?,
        )
        .await
    }

    /// The group's invite link (only ever an `https:` link, or one on the server itself).
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// let link = client.get_invite_link(&id).await?;
    /// println!("join at {link}");
    /// # Ok(()) }
    /// ```
    pub async fn get_invite_link(&self, id: &GroupId) -> Result<String> {
        let link = self
            .read(Scope::Group(id.clone()), self.provider.get_invite_link(id)?)
            .await?;
        self.trusted_url("invite link", &link)?;
        Ok(link)
    }

    /// Invalidates the invite link; returns the new one where the provider gives it.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// if let Some(new_link) = client.revoke_invite_link(&id).await? {
    ///     println!("the new link is {new_link}");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn revoke_invite_link(&self, id: &GroupId) -> Result<Option<String>> {
        let link = self
            .write(Forget::Group(id), self.provider.revoke_invite_link(id)?)
            .await?;
        if let Some(link) = &link {
            self.trusted_url("invite link", link)?;
        }
        Ok(link)
    }

    /// Accepts a URL a provider handed us only when it is `https:` or on the server this
    /// client talks to (the sandbox serves icons over plain HTTP on loopback): anything
    /// else — `javascript:`, `data:`, another host over `http:` — is refused as `decode`.
    fn trusted_url(&self, what: &str, url: &str) -> Result<()> {
        let clean = !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'));
        let https = url.len() > "https://".len() && url.starts_with("https://");
        let origin = origin_of(&self.base_url);
        let ours = url
            .strip_prefix(origin)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        if clean && (https || ours) {
            Ok(())
        } else {
            Err(Error::Decode(format!(
                "the provider returned a {what} that is neither https: nor on {origin}: {}",
                url.chars().take(100).collect::<String>()
            )))
        }
    }

    /// Joins a group by invite code or link; returns the group's id.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// let id = client.join_group("https://chat.whatsapp.com/AbCdEf123456").await?;
    /// println!("joined {id}");
    /// # Ok(()) }
    /// ```
    pub async fn join_group(&self, code_or_link: &str) -> Result<GroupId> {
        let call = self.provider.join_group(code_or_link)?;
        let needs = [(crate::safety::BudgetKind::Joins, 1)];
        self.within_budget(&needs, self.write(Forget::Listings, call))
            .await
    }

    /// A preview of the group an invite code or link leads to.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// let preview = client.get_join_info("AbCdEf123456").await?;
    /// println!("{} ({} members)", preview.subject, preview.size.unwrap_or_default());
    /// # Ok(()) }
    /// ```
    pub async fn get_join_info(&self, code_or_link: &str) -> Result<Group> {
        self.read(Scope::Listing, self.provider.get_join_info(code_or_link)?)
            .await
    }

    /// The members of a group.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// use wa_groups::model::Role;
    /// let members = client.list_participants(&id).await?;
    /// let admins = members.iter().filter(|p| p.role != Role::Member).count();
    /// # Ok(()) }
    /// ```
    pub async fn list_participants(&self, id: &GroupId) -> Result<Vec<Participant>> {
        self.read(
            Scope::Group(id.clone()),
            self.provider.list_participants(id)?,
        )
        .await
    }

    /// Adds, removes, promotes or demotes members: phone numbers or user ids, one result
    /// per id in the order given. A participant the change did not apply to is a result
    /// with `ok: false`, not an error.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// use wa_groups::model::ParticipantChange;
    /// let people = ["+55 11 98888-0000".to_owned(), "5511988880001".to_owned()];
    /// let results = client.change_participants(&id, ParticipantChange::Add, &people).await?;
    /// for failed in results.iter().filter(|r| !r.ok) {
    ///     eprintln!("{} was not added: {:?}", failed.id, failed.message);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn change_participants(
        &self,
        id: &GroupId,
        change: ParticipantChange,
        participants: &[String],
    ) -> Result<Vec<ParticipantResult>> {
        if change == ParticipantChange::Add {
            let options = crate::adds::AddOptions::default();
            return self.add_participants(id, participants, &options).await;
        }
        let ids = parse_user_ids(participants)?;
        self.write(
            Forget::Group(id),
            self.provider.change_participants(id, change, &ids)?,
        )
        .await
    }

    /// The group's security settings.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// let settings = client.get_settings(&id).await?;
    /// if settings.messages_admin_only == Some(true) {
    ///     println!("only admins can post");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get_settings(&self, id: &GroupId) -> Result<GroupSettings> {
        self.read(Scope::Group(id.clone()), self.provider.get_settings(id)?)
            .await
    }

    /// Changes the settings present in `patch`, one request each, in a fixed order. If one
    /// fails, the error names the settings already applied.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// use wa_groups::model::GroupSettings;
    /// let patch = GroupSettings { messages_admin_only: Some(true), ..Default::default() };
    /// client.update_settings(&id, &patch).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_settings(&self, id: &GroupId, patch: &GroupSettings) -> Result<()> {
        let changes: Vec<(Setting, bool)> = patch.entries().collect();
        if changes.is_empty() {
            return Err(Error::invalid("patch", "sets no setting"));
        }
        // Build every request first, so a setting the provider lacks fails before any is sent.
        let calls = changes
            .iter()
            .map(|&(setting, value)| self.provider.set_setting(id, setting, value))
            .collect::<Result<Vec<_>>>()?;
        let mut applied: Vec<&str> = Vec::new();
        for (call, (setting, _)) in calls.into_iter().zip(&changes) {
            if let Err(err) = self.write(Forget::Group(id), call).await {
                return Err(match err {
                    Error::Status {
                        code,
                        status,
                        message,
                        retry_after_ms,
                    } if !applied.is_empty() => Error::Status {
                        code,
                        status,
                        message: format!("{message} (already applied: {})", applied.join(", ")),
                        retry_after_ms,
                    },
                    other => other,
                });
            }
            applied.push(setting_name(*setting));
        }
        Ok(())
    }

    /// Pending requests to join the group.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// for request in client.list_join_requests(&id).await? {
    ///     println!("{} asks to join", request.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_join_requests(&self, id: &GroupId) -> Result<Vec<JoinRequest>> {
        self.read(
            Scope::Group(id.clone()),
            self.provider.list_join_requests(id)?,
        )
        .await
    }

    /// Approves (`approve = true`) or rejects pending join requests; one result per id.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// let pending: Vec<String> =
    ///     client.list_join_requests(&id).await?.iter().map(|r| r.id.to_string()).collect();
    /// if !pending.is_empty() {
    ///     let results = client.answer_join_requests(&id, true, &pending).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn answer_join_requests(
        &self,
        id: &GroupId,
        approve: bool,
        participants: &[String],
    ) -> Result<Vec<ParticipantResult>> {
        let ids = parse_user_ids(participants)?;
        self.write(
            Forget::Group(id),
            self.provider.answer_join_requests(id, approve, &ids)?,
        )
        .await
    }

    /// Sets the group's icon (JPEG or PNG bytes).
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>, png: Vec<u8>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// // `png`: the bytes of a PNG file.
    /// client.set_icon(&id, &png, "image/png").await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_icon(&self, id: &GroupId, image: &[u8], mime_type: &str) -> Result<()> {
        self.write(
            Forget::Group(id),
            self.provider.set_icon(id, image, mime_type)?,
        )
        .await
    }

    /// The group's icon, `None` when it has none (its URL is `https:` or on the server).
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// match client.get_icon(&id).await? {
    ///     Some(icon) => println!("icon at {}", icon.url),
    ///     None => println!("no icon"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get_icon(&self, id: &GroupId) -> Result<Option<Icon>> {
        let icon = self
            .read(Scope::Group(id.clone()), self.provider.get_icon(id)?)
            .await?;
        if let Some(icon) = &icon {
            self.trusted_url("icon URL", &icon.url)?;
        }
        Ok(icon)
    }

    /// Removes the group's icon.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// client.remove_icon(&id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn remove_icon(&self, id: &GroupId) -> Result<()> {
        self.write(Forget::Group(id), self.provider.remove_icon(id)?)
            .await
    }

    /// Sends a text message to the group (never as a direct message).
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// let sent = client.send_text(&id, "Hello, team!").await?;
    /// println!("sent as {:?}", sent.id);
    /// # Ok(()) }
    /// ```
    pub async fn send_text(&self, id: &GroupId, text: &str) -> Result<SentMessage> {
        self.run(self.provider.send_text(id, text)?).await
    }

    /// Sends a text message to the group with options: `mentions` of everyone
    /// ([`Mentions::All`](crate::model::Mentions::All)) or of given members, who are checked to be in the group first (a
    /// non-member is `invalid_input` naming them, and nothing is sent). A provider that
    /// cannot mention (Wavy) fails with `unsupported` before sending.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(client: wa_groups::Client<T>) -> wa_groups::Result<()> {
    /// # let id = wa_groups::model::GroupId::new("groupId", "120363000000000001@g.us")?;
    /// use wa_groups::model::{Mentions, SendOptions};
    /// let everyone = SendOptions { mentions: Some(Mentions::All) };
    /// client.send_text_with(&id, "Meeting in 5 minutes", &everyone).await?;
    /// let two = SendOptions { mentions: Some(Mentions::Members(vec!["5511988880000".into(), "5511977770000".into()])) };
    /// client.send_text_with(&id, "Can you two take this?", &two).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_text_with(
        &self,
        id: &GroupId,
        text: &str,
        options: &SendOptions,
    ) -> Result<SentMessage> {
        self.run(self.provider.send_text_with(id, text, options)?)
            .await
    }

    /// Sends a call's requests until its parser is done.
    pub(crate) async fn run<R: 'static>(&self, call: Call<R>) -> Result<R> {
        self.run_paced(call, None).await
    }

    /// [`Client::run`], with a bulk job's pacing when given.
    pub(crate) async fn run_paced<R: 'static>(
        &self,
        call: Call<R>,
        pacing: Option<&Pacing>,
    ) -> Result<R> {
        self.run_in(call, pacing, None).await
    }

    /// [`Client::run_paced`], through the cache (if any) as `how` says.
    pub(crate) async fn run_in<R: 'static>(
        &self,
        call: Call<R>,
        pacing: Option<&Pacing>,
        how: Option<Use<'_>>,
    ) -> Result<R> {
        // A chain is at most a fallback or two; more means a provider bug, not a loop.
        const MAX_STEPS: usize = 4;
        let mut call = call;
        for _ in 0..MAX_STEPS {
            match self.attempt(&call, pacing, how.as_ref()).await? {
                Step::Done(value) => return Ok(value),
                Step::Next(next) => call = next,
            }
        }
        Err(Error::Decode(
            "the provider asked for too many requests".into(),
        ))
    }

    /// Sends one request, retrying as the policy decides; the parser reads each response,
    /// so a provider's own error mapping (WAHA's `rate-overlimit`, say) drives the retries.
    ///
    /// Under a bulk job's `pacing`, each send waits for its slot, and a rate-limited answer
    /// (which the server did not process) pauses the whole job for the wait it asked, then
    /// the request goes again, up to the job's `rate_limit_retries`.
    async fn attempt<R: 'static>(
        &self,
        call: &Call<R>,
        pacing: Option<&Pacing>,
        how: Option<&Use<'_>>,
    ) -> Result<Step<R>> {
        let mut out = None;
        {
            let mut parse = |response, repeated: bool| {
                let parse = match &call.repeat {
                    Some(repeat) if repeated => repeat,
                    _ => &call.parse,
                };
                out = Some(parse(response)?);
                Ok(())
            };
            self.exchange_through(how, &call.request, &mut parse, pacing)
                .await?;
        }
        out.ok_or_else(|| Error::Decode("no response was read".into()))
    }

    /// The request loop of [`Client::attempt`], once for every result type: `read` parses
    /// each response (its error drives the retries) and keeps what it parsed; it is told
    /// whether an earlier attempt may have applied (its answer was lost, or was a 5xx), so
    /// a repeat can take "already done" for success ([`Call::repeat`]). Boxed and
    /// type-erased on purpose — generic over the result, this loop and the fetch future
    /// inside it were compiled once per operation, a quarter of the core's `.wasm`.
    pub(crate) fn exchange<'a>(
        &'a self,
        request: &'a HttpRequest,
        read: &'a mut dyn FnMut(HttpResponse, bool) -> Result<()>,
        pacing: Option<&'a Pacing>,
    ) -> Pin<Box<dyn Future<Output = Result<()>> + 'a>> {
        Box::pin(async move {
            let mut attempt = 0;
            let mut throttled = 0;
            let mut maybe_applied = false;
            loop {
                if let Some(pacing) = pacing {
                    pacing.wait(&self.transport).await?;
                }
                let result = match self.transport.send(&self.base_url, request.clone()).await {
                    Ok(response) => read(response, maybe_applied),
                    Err(error) => Err(error),
                };
                let Err(error) = result else {
                    return Ok(());
                };
                // A rate limit says the request was not processed; anything else that is
                // retried (a lost answer, a 5xx) may have been.
                maybe_applied |= error.code() != ErrorCode::RateLimited;
                let random = self.transport.random();
                if let Some(pacing) = pacing
                    && let Some(wait) = pacing.throttle(&error, throttled, random)
                {
                    pacing.pause(self.transport.now_ms(), wait);
                    throttled += 1;
                    continue;
                }
                match self.retry.decide(request.method, attempt, &error, random) {
                    Decision::RetryAfter(ms) => {
                        // An abort during the wait ends the call at once.
                        self.transport.sleep(ms).await?;
                        attempt += 1;
                    }
                    Decision::GiveUp => return Err(error),
                }
            }
        })
    }
}

/// At most this many group-detail requests are in flight while listing Wavy groups.
pub const DETAIL_CONCURRENCY: usize = 6;

/// `scheme://host[:port]` of a base URL (which [`normalise_base_url`] has checked).
fn origin_of(base_url: &str) -> &str {
    let after_scheme = base_url.find("://").map_or(0, |i| i + 3);
    match base_url[after_scheme..].find('/') {
        Some(slash) => &base_url[..after_scheme + slash],
        None => base_url,
    }
}

/// A server that pages (WAHA) but answered with more groups than `limit` ignored the
/// query, as WAHA before 2024.10 does: sort and page here, so the caller gets the page it
/// asked for instead of the whole account each time.
/// Subject order, ties by id. Ids are unique within a listing, so an unstable sort gives the
/// one order there is (and one sort compiled, where a stable one per call site cost 2–4 KB
/// of `.wasm` each).
fn subject_then_id(a: &Group, b: &Group) -> std::cmp::Ordering {
    a.subject.cmp(&b.subject).then_with(|| a.id.cmp(&b.id))
}

fn page_ignored_query(mut groups: Vec<Group>, options: &ListGroupsOptions) -> Vec<Group> {
    let Some(limit) = options.limit else {
        return groups;
    };
    if groups.len() as u64 <= u64::from(limit) {
        return groups;
    }
    match options.sort_by {
        Some(SortBy::Subject) => groups.sort_unstable_by(subject_then_id),
        Some(SortBy::Id) => groups.sort_unstable_by(|a, b| a.id.cmp(&b.id)),
        None => {}
    }
    if options.sort_by.is_some() && options.sort_order == Some(SortOrder::Desc) {
        groups.reverse();
    }
    page(groups, options)
}

fn page<T>(items: Vec<T>, options: &ListGroupsOptions) -> Vec<T> {
    let offset = options.offset.unwrap_or(0) as usize;
    let limit = options.limit.map_or(usize::MAX, |l| l as usize);
    items.into_iter().skip(offset).take(limit).collect()
}

pub(crate) fn parse_user_ids(participants: &[String]) -> Result<Vec<UserId>> {
    if participants.is_empty() {
        return Err(Error::invalid("participants", "must not be empty"));
    }
    participants
        .iter()
        .enumerate()
        .map(|(i, p)| UserId::parse(&format!("participants[{i}]"), p))
        .collect()
}

fn setting_name(setting: Setting) -> &'static str {
    match setting {
        Setting::InfoAdminOnly => "infoAdminOnly",
        Setting::MessagesAdminOnly => "messagesAdminOnly",
        Setting::MembersCanAdd => "membersCanAdd",
        Setting::ApprovalRequired => "approvalRequired",
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::ErrorCode;
    use crate::http::{HttpRequest, HttpResponse};
    use crate::model::GroupId;
    use crate::provider::waha::Waha;

    /// Records what it is asked to send and to sleep, and answers with scripted responses
    /// (the last one repeats).
    struct Canned {
        sent: RefCell<Vec<String>>,
        slept: RefCell<Vec<u64>>,
        answers: RefCell<Vec<Result<HttpResponse>>>,
    }

    impl Canned {
        fn new(answers: Vec<Result<HttpResponse>>) -> Canned {
            Canned {
                sent: RefCell::default(),
                slept: RefCell::default(),
                answers: RefCell::new(answers),
            }
        }
    }

    impl Transport for Canned {
        async fn send(&self, base_url: &str, request: HttpRequest) -> Result<HttpResponse> {
            self.sent.borrow_mut().push(format!(
                "{} {}",
                request.method.as_str(),
                request.url(base_url)
            ));
            let mut answers = self.answers.borrow_mut();
            if answers.len() > 1 {
                answers.remove(0)
            } else {
                answers[0].clone()
            }
        }
        async fn sleep(&self, ms: u64) -> Result<()> {
            self.slept.borrow_mut().push(ms);
            Ok(())
        }
        fn random(&self) -> f64 {
            0.5
        }
        fn now_ms(&self) -> f64 {
            self.slept.borrow().iter().sum::<u64>() as f64
        }
    }

    fn client(answer: HttpResponse) -> Client<Canned> {
        scripted(vec![Ok(answer)])
    }

    fn scripted(answers: Vec<Result<HttpResponse>>) -> Client<Canned> {
        let transport = Canned::new(answers);
        Client::new(
            Waha::new("default", "k").unwrap(),
            transport,
            "http://127.0.0.1:3000/",
        )
        .unwrap()
    }

    #[test]
    fn base_url_is_checked_and_trimmed() {
        assert_eq!(
            normalise_base_url(" https://waha.example/ ").unwrap(),
            "https://waha.example"
        );
        assert_eq!(
            normalise_base_url("http://h:3000/prefix/").unwrap(),
            "http://h:3000/prefix"
        );
        for bad in [
            "",
            "waha.example",
            "ftp://h",
            "http://",
            "http://h?x=1",
            "http://u:p@h",
            "http://h /x",
        ] {
            let err = normalise_base_url(bad).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput { field, .. } if field == "baseUrl"),
                "{bad:?}: {err:?}"
            );
        }
    }

    #[test]
    fn list_groups_sends_to_the_base_url_and_parses() {
        let c = client(HttpResponse::new(200, "[]"));
        let groups = pollster::block_on(c.list_groups(&Default::default())).unwrap();
        assert!(groups.is_empty());
        assert_eq!(
            c.transport.sent.borrow().as_slice(),
            ["GET http://127.0.0.1:3000/api/default/groups"]
        );
    }

    #[test]
    fn invalid_input_sends_nothing() {
        let c = client(HttpResponse::new(201, "{}"));
        let err = pollster::block_on(c.create_group(&NewGroup::default())).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert!(c.transport.sent.borrow().is_empty());
    }

    fn status(code: u16) -> Result<HttpResponse> {
        Ok(HttpResponse::new(code, ""))
    }

    #[test]
    fn a_get_hit_by_5xx_is_retried_with_backoff_then_succeeds() {
        let c = scripted(vec![
            status(503),
            status(502),
            Ok(HttpResponse::new(200, "[]")),
        ]);
        let groups = pollster::block_on(c.list_groups(&Default::default())).unwrap();
        assert!(groups.is_empty());
        assert_eq!(c.transport.sent.borrow().len(), 3);
        // Full jitter at 0.5: half of 500 ms, then half of 1,000 ms.
        assert_eq!(c.transport.slept.borrow().as_slice(), [250, 500]);
    }

    #[test]
    fn a_post_hit_by_a_500_is_not_repeated() {
        let c = scripted(vec![status(500), Ok(HttpResponse::new(201, "{}"))]);
        let err = pollster::block_on(c.create_group(&NewGroup {
            subject: "x".into(),
            participants: vec![],
        }))
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Server);
        assert_eq!(c.transport.sent.borrow().len(), 1, "sent exactly once");
        assert!(c.transport.slept.borrow().is_empty());
    }

    #[test]
    fn a_post_hit_by_429_waits_retry_after_and_is_sent_again() {
        let mut limited = HttpResponse::new(429, "");
        limited.headers.push(("retry-after".into(), "1".into()));
        let created = r#"{"title":"x","gid":{"_serialized":"1@g.us"},"participants":{}}"#;
        let c = scripted(vec![Ok(limited), Ok(HttpResponse::new(201, created))]);
        let group = pollster::block_on(c.create_group(&NewGroup {
            subject: "x".into(),
            participants: vec![],
        }))
        .unwrap();
        assert_eq!(group.id.as_str(), "1@g.us");
        assert_eq!(c.transport.slept.borrow().as_slice(), [1_000]);
    }

    #[test]
    fn network_failures_of_a_get_are_retried_but_bounded() {
        let c = scripted(vec![Err(Error::Network("reset".into()))]);
        let err = pollster::block_on(c.list_groups(&Default::default())).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Network);
        assert_eq!(
            c.transport.sent.borrow().len(),
            3,
            "the first try and two retries"
        );
    }

    #[test]
    fn retries_zero_sends_once() {
        let c = scripted(vec![status(503)]).with_retry(RetryPolicy::none());
        let err = pollster::block_on(c.list_groups(&Default::default())).unwrap_err();
        assert_eq!(err.status(), Some(503));
        assert_eq!(c.transport.sent.borrow().len(), 1);
    }

    fn wavy(answers: Vec<Result<HttpResponse>>) -> Client<Canned> {
        Client::new(
            crate::provider::wavy::Wavy::new("u", "t").unwrap(),
            Canned::new(answers),
            "http://127.0.0.1:3000",
        )
        .unwrap()
    }

    fn waha_not_found() -> Result<HttpResponse> {
        Ok(HttpResponse::new(
            500,
            include_str!("provider/waha/fixtures/error_group_not_found.json"),
        ))
    }

    #[test]
    fn a_repeated_delete_that_finds_it_done_succeeds() {
        let id = GroupId::new("id", "120363401234567890@g.us").unwrap();
        // The first DELETE's answer is lost; the repeat finds no group: it was deleted.
        let c = scripted(vec![Err(Error::Network("reset".into())), waha_not_found()]);
        pollster::block_on(c.delete_group(&id)).unwrap();
        assert_eq!(c.transport.sent.borrow().len(), 2);
        // Without a lost attempt, not-found stays an error.
        let c = scripted(vec![waha_not_found()]);
        let err = pollster::block_on(c.delete_group(&id)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound);
    }

    #[test]
    fn a_repeated_wavy_remove_that_finds_the_numbers_gone_succeeds() {
        let id = GroupId::new("id", "5519900000000-1513616971").unwrap();
        let people = ["5511988880000".to_owned(), "5511988880001".to_owned()];
        let phone_not_found = || {
            Ok(HttpResponse::new(
                400,
                r#"{"errorCode":400,"errorMessage":"phone not found"}"#,
            ))
        };
        for change in [ParticipantChange::Remove, ParticipantChange::Demote] {
            let c = wavy(vec![Err(Error::Timeout(5_000)), phone_not_found()]);
            let results = pollster::block_on(c.change_participants(&id, change, &people)).unwrap();
            assert!(results.iter().all(|r| r.ok), "{change:?}: {results:?}");
            // A repeat after a 429 (not processed) proves nothing was applied.
            let mut limited = HttpResponse::new(429, "");
            limited.headers.push(("retry-after".into(), "1".into()));
            let c = wavy(vec![Ok(limited), phone_not_found()]);
            let err = pollster::block_on(c.change_participants(&id, change, &people)).unwrap_err();
            assert_eq!(err.status(), Some(400), "{change:?}");
        }
    }

    #[test]
    fn a_webjs_bare_status_is_read_back_through_the_client() {
        let id = GroupId::new("id", "120363401234567890@g.us").unwrap();
        let c = scripted(vec![
            Ok(HttpResponse::new(200, r#"{"status":200}"#)),
            Ok(HttpResponse::new(
                200,
                include_str!("provider/waha/fixtures/webjs_participants_v1.json"),
            )),
        ]);
        let results = pollster::block_on(c.change_participants(
            &id,
            ParticipantChange::Demote,
            &["85288888888".to_owned()],
        ))
        .unwrap();
        assert!(!results[0].ok, "the owner cannot be demoted: {results:?}");
        assert_eq!(
            c.transport.sent.borrow().as_slice(),
            [
                "POST http://127.0.0.1:3000/api/default/groups/120363401234567890@g.us/admin/demote",
                "GET http://127.0.0.1:3000/api/default/groups/120363401234567890@g.us/participants"
            ]
        );
    }

    #[test]
    fn a_server_that_ignores_limit_and_offset_is_paged_here() {
        let groups = r#"[{"id":"4@g.us","subject":"d"},{"id":"1@g.us","subject":"a"},
                         {"id":"3@g.us","subject":"c"},{"id":"2@g.us","subject":"b"}]"#;
        let c = client(HttpResponse::new(200, groups));
        let page = pollster::block_on(c.list_groups(&ListGroupsOptions {
            limit: Some(2),
            offset: Some(1),
            sort_by: Some(SortBy::Subject),
            ..Default::default()
        }))
        .unwrap();
        let subjects: Vec<&str> = page.iter().map(|g| g.subject.as_str()).collect();
        assert_eq!(subjects, ["b", "c"]);
        // A server that honoured the query is taken at its word.
        let c = client(HttpResponse::new(200, groups));
        let all = pollster::block_on(c.list_groups(&ListGroupsOptions {
            limit: Some(4),
            ..Default::default()
        }))
        .unwrap();
        assert_eq!(all.len(), 4);
        assert_eq!(all[0].subject, "d", "its order is kept");
    }

    #[test]
    fn links_and_icons_must_be_https_or_on_the_server() {
        let icon = |url: &str| Ok(HttpResponse::new(200, format!(r#"{{"url":"{url}"}}"#)));
        let id = GroupId::new("id", "1@g.us").unwrap();
        for good in [
            "https://cdn.example/i.jpg",
            "http://127.0.0.1:3000/_sandbox/icons/1@g.us",
        ] {
            let c = scripted(vec![icon(good)]);
            assert!(
                pollster::block_on(c.get_icon(&id)).unwrap().is_some(),
                "{good}"
            );
        }
        for bad in [
            "javascript:alert(1)",
            "http://evil.example/x.jpg",
            "data:image/png;base64,AA",
            "https://",
            "http://127.0.0.1:30001/x",
        ] {
            let c = scripted(vec![icon(bad)]);
            let err = pollster::block_on(c.get_icon(&id)).unwrap_err();
            assert_eq!(err.code(), ErrorCode::Decode, "{bad}");
        }
    }

    #[test]
    fn origins_are_scheme_host_and_port() {
        assert_eq!(origin_of("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
        assert_eq!(origin_of("https://h/prefix/x"), "https://h");
    }

    #[test]
    fn credentials_never_show_in_debug_output_or_errors() {
        let secret = "s3cr3t-key-123";
        let waha = Waha::new("default", secret).unwrap();
        let wavy = crate::provider::wavy::Wavy::new("user@example.com", secret).unwrap();
        let transport = Canned::new(vec![Ok(HttpResponse::new(
            401,
            r#"{"statusCode":401,"message":"Unauthorized"}"#,
        ))]);
        let client = Client::new(waha.clone(), transport, "http://127.0.0.1:3000").unwrap();
        let call = waha.list_groups(&Default::default()).unwrap();
        let err = pollster::block_on(client.list_groups(&Default::default())).unwrap_err();
        for shown in [
            format!("{waha:?}"),
            format!("{wavy:?}"),
            format!("{client:?}"),
            format!("{call:?}"),
            format!("{err:?}"),
            err.to_string(),
            call.request.url("http://127.0.0.1:3000"),
        ] {
            assert!(!shown.contains(secret), "{shown}");
        }
        // And the key goes in a header, never in the URL.
        assert!(
            client
                .transport
                .sent
                .borrow()
                .iter()
                .all(|u| !u.contains(secret))
        );
        let err = Client::new(
            Waha::new("default", "k").unwrap(),
            Canned::new(vec![]),
            "http://u:pw@h",
        )
        .unwrap_err();
        assert_eq!(
            err.code(),
            ErrorCode::InvalidInput,
            "credentials in a base URL are refused"
        );
    }
}
