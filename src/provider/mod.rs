//! Sans-IO providers: each operation becomes an [`HttpRequest`] plus a parser for its
//! [`HttpResponse`]. Nothing here performs I/O, so every provider is tested natively.

pub mod waha;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::http::{HttpRequest, HttpResponse};
use crate::model::{Group, ListGroupsOptions, NewGroup};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// Which provider a client talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// WAHA, the WhatsApp HTTP API.
    Waha,
    /// The Wavy Messaging WhatsApp Groups API.
    Wavy,
}

impl ProviderKind {
    /// The provider's name in the JS API (`"waha"`, `"wavy"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Waha => "waha",
            ProviderKind::Wavy => "wavy",
        }
    }
}

/// Parses a provider's response into the neutral model (or a typed error).
pub type Parser<T> = Box<dyn FnOnce(HttpResponse) -> Result<T>>;

/// One operation, ready to send: the request, and how to read its response.
pub struct Call<T> {
    /// The request to send.
    pub request: HttpRequest,
    /// Turns the response, whatever its status, into the result.
    pub parse: Parser<T>,
}

impl<T> Call<T> {
    /// Pairs a request with its parser.
    pub fn new(
        request: HttpRequest,
        parse: impl FnOnce(HttpResponse) -> Result<T> + 'static,
    ) -> Call<T> {
        Call {
            request,
            parse: Box::new(parse),
        }
    }
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

/// What a provider can do, so callers can hide what it cannot before trying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Capabilities {
    /// Groups can be listed with `limit`/`offset`/sorting on the provider's side.
    pub paging: bool,
    /// Members can be added at creation.
    pub create_with_participants: bool,
}

/// The operations of a group API, as pure request builders and response parsers.
pub trait Provider {
    /// Which provider this is.
    fn kind(&self) -> ProviderKind;

    /// What this provider can do.
    fn capabilities(&self) -> Capabilities;

    /// Creates a group.
    fn create_group(&self, group: &NewGroup) -> Result<Call<Group>>;

    /// Lists the groups the account is in.
    fn list_groups(&self, options: &ListGroupsOptions) -> Result<Call<Vec<Group>>>;
}
