//! [`Client`]: a provider, a transport and a base URL; one async method per operation.

use futures_util::stream::{self, StreamExt};

use crate::error::{Error, ErrorCode, Result};
use crate::http::Transport;
use crate::model::{
    Group, GroupId, GroupListing, GroupSettings, Icon, JoinRequest, ListGroupsOptions, NewGroup,
    Participant, ParticipantChange, ParticipantResult, SentMessage, Setting, SortBy, SortOrder,
    UserId,
};
use crate::provider::{Call, Capabilities, Provider, ProviderKind, Step};

/// A group API client: builds each request with its provider and sends it with its transport.
pub struct Client<T> {
    provider: Box<dyn Provider>,
    transport: T,
    base_url: String,
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
            provider: Box::new(provider),
            transport,
            base_url: normalise_base_url(base_url)?,
        })
    }

    /// Which provider this client talks to.
    pub fn provider(&self) -> ProviderKind {
        self.provider.kind()
    }

    /// What the provider can do.
    pub fn capabilities(&self) -> Capabilities {
        self.provider.capabilities()
    }

    /// The base URL requests go to (no trailing slash).
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
        self.run(self.provider.create_group(group)?).await
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
        match self.run(self.provider.list_groups(options)?).await? {
            GroupListing::Groups(groups) => Ok(groups),
            GroupListing::Ids(mut ids) => {
                let by_subject = options.sort_by == Some(SortBy::Subject);
                if !by_subject {
                    ids.sort();
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
                    groups.sort_by(|a, b| a.subject.cmp(&b.subject).then_with(|| a.id.cmp(&b.id)));
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
    pub async fn count_groups(&self) -> Result<u64> {
        self.run(self.provider.count_groups()?).await
    }

    /// One group, with its participants.
    pub async fn get_group(&self, id: &GroupId) -> Result<Group> {
        self.run(self.provider.get_group(id)?).await
    }

    /// Deletes a group for everyone.
    pub async fn delete_group(&self, id: &GroupId) -> Result<()> {
        self.run(self.provider.delete_group(id)?).await
    }

    /// Leaves a group (it goes on without the account).
    pub async fn leave_group(&self, id: &GroupId) -> Result<()> {
        self.run(self.provider.leave_group(id)?).await
    }

    /// Asks the provider to re-read the groups from WhatsApp.
    pub async fn refresh_groups(&self) -> Result<()> {
        self.run(self.provider.refresh_groups()?).await
    }

    /// Renames a group.
    pub async fn set_subject(&self, id: &GroupId, subject: &str) -> Result<()> {
        self.run(self.provider.set_subject(id, subject)?).await
    }

    /// Sets a group's description.
    pub async fn set_description(&self, id: &GroupId, description: &str) -> Result<()> {
        self.run(self.provider.set_description(id, description)?)
            .await
    }

    /// The group's invite link.
    pub async fn get_invite_link(&self, id: &GroupId) -> Result<String> {
        self.run(self.provider.get_invite_link(id)?).await
    }

    /// Invalidates the invite link; returns the new one where the provider gives it.
    pub async fn revoke_invite_link(&self, id: &GroupId) -> Result<Option<String>> {
        self.run(self.provider.revoke_invite_link(id)?).await
    }

    /// Joins a group by invite code or link; returns the group's id.
    pub async fn join_group(&self, code_or_link: &str) -> Result<GroupId> {
        self.run(self.provider.join_group(code_or_link)?).await
    }

    /// A preview of the group an invite code or link leads to.
    pub async fn get_join_info(&self, code_or_link: &str) -> Result<Group> {
        self.run(self.provider.get_join_info(code_or_link)?).await
    }

    /// The members of a group.
    pub async fn list_participants(&self, id: &GroupId) -> Result<Vec<Participant>> {
        self.run(self.provider.list_participants(id)?).await
    }

    /// Adds, removes, promotes or demotes members: phone numbers or user ids, one result
    /// per id in the order given. A participant the change did not apply to is a result
    /// with `ok: false`, not an error.
    pub async fn change_participants(
        &self,
        id: &GroupId,
        change: ParticipantChange,
        participants: &[String],
    ) -> Result<Vec<ParticipantResult>> {
        let ids = parse_user_ids(participants)?;
        self.run(self.provider.change_participants(id, change, &ids)?)
            .await
    }

    /// The group's security settings.
    pub async fn get_settings(&self, id: &GroupId) -> Result<GroupSettings> {
        self.run(self.provider.get_settings(id)?).await
    }

    /// Changes the settings present in `patch`, one request each, in a fixed order. If one
    /// fails, the error names the settings already applied.
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
            if let Err(err) = self.run(call).await {
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
    pub async fn list_join_requests(&self, id: &GroupId) -> Result<Vec<JoinRequest>> {
        self.run(self.provider.list_join_requests(id)?).await
    }

    /// Approves (`approve = true`) or rejects pending join requests; one result per id.
    pub async fn answer_join_requests(
        &self,
        id: &GroupId,
        approve: bool,
        participants: &[String],
    ) -> Result<Vec<ParticipantResult>> {
        let ids = parse_user_ids(participants)?;
        self.run(self.provider.answer_join_requests(id, approve, &ids)?)
            .await
    }

    /// Sets the group's icon (JPEG or PNG bytes).
    pub async fn set_icon(&self, id: &GroupId, image: &[u8], mime_type: &str) -> Result<()> {
        self.run(self.provider.set_icon(id, image, mime_type)?)
            .await
    }

    /// The group's icon, `None` when it has none.
    pub async fn get_icon(&self, id: &GroupId) -> Result<Option<Icon>> {
        self.run(self.provider.get_icon(id)?).await
    }

    /// Removes the group's icon.
    pub async fn remove_icon(&self, id: &GroupId) -> Result<()> {
        self.run(self.provider.remove_icon(id)?).await
    }

    /// Sends a text message to the group (never as a direct message).
    pub async fn send_text(&self, id: &GroupId, text: &str) -> Result<SentMessage> {
        self.run(self.provider.send_text(id, text)?).await
    }

    /// Sends a call's requests until its parser is done.
    async fn run<R: 'static>(&self, call: Call<R>) -> Result<R> {
        // A chain is at most a fallback or two; more means a provider bug, not a loop.
        const MAX_STEPS: usize = 4;
        let mut call = call;
        for _ in 0..MAX_STEPS {
            let Call { request, parse } = call;
            let response = self.transport.send(&self.base_url, request).await?;
            match parse(response)? {
                Step::Done(value) => return Ok(value),
                Step::Next(next) => call = next,
            }
        }
        Err(Error::Decode(
            "the provider asked for too many requests".into(),
        ))
    }
}

/// At most this many group-detail requests are in flight while listing Wavy groups.
pub const DETAIL_CONCURRENCY: usize = 6;

fn page<T>(items: Vec<T>, options: &ListGroupsOptions) -> Vec<T> {
    let offset = options.offset.unwrap_or(0) as usize;
    let limit = options.limit.map_or(usize::MAX, |l| l as usize);
    items.into_iter().skip(offset).take(limit).collect()
}

fn parse_user_ids(participants: &[String]) -> Result<Vec<UserId>> {
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
    use crate::provider::waha::Waha;

    /// Records what it is asked to send and answers with a canned response.
    struct Canned {
        sent: RefCell<Vec<String>>,
        answer: HttpResponse,
    }

    impl Transport for Canned {
        async fn send(&self, base_url: &str, request: HttpRequest) -> Result<HttpResponse> {
            self.sent.borrow_mut().push(request.url(base_url));
            Ok(self.answer.clone())
        }
    }

    fn client(answer: HttpResponse) -> Client<Canned> {
        let transport = Canned {
            sent: RefCell::default(),
            answer,
        };
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
            ["http://127.0.0.1:3000/api/default/groups"]
        );
    }

    #[test]
    fn invalid_input_sends_nothing() {
        let c = client(HttpResponse::new(201, "{}"));
        let err = pollster::block_on(c.create_group(&NewGroup::default())).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert!(c.transport.sent.borrow().is_empty());
    }
}
