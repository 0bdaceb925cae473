//! [`Client`]: a provider, a transport and a base URL; one async method per operation.

use crate::error::{Error, Result};
use crate::http::Transport;
use crate::model::{Group, ListGroupsOptions, NewGroup};
use crate::provider::{Call, Capabilities, Provider, ProviderKind};

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

    /// Lists the account's groups, paged and sorted where the provider supports it.
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
        self.run(self.provider.list_groups(options)?).await
    }

    async fn run<R>(&self, call: Call<R>) -> Result<R> {
        let Call { request, parse } = call;
        let response = self.transport.send(&self.base_url, request).await?;
        parse(response)
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
