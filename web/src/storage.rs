//! Where the panel keeps connections. The current one lives in sessionStorage (this tab
//! only, gone when it closes); a person may opt in to remembering connections in
//! localStorage. Credentials never go in the URL.

use gloo_storage::{LocalStorage, SessionStorage, Storage};
use serde::{Deserialize, Serialize};
use wa_groups::provider::ProviderKind;
use wa_groups::provider::waha::Engine;

const CURRENT: &str = "wa-groups.connection";
const REMEMBERED: &str = "wa-groups.remembered";

/// What is needed to connect again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedConnection {
    pub provider: ProviderKind,
    pub base_url: String,
    /// WAHA: the session name.
    #[serde(default)]
    pub session: String,
    /// WAHA: the API key.
    #[serde(default)]
    pub api_key: String,
    /// WAHA: the session's engine, when the person said (it decides what can be offered:
    /// only WEBJS deletes groups).
    #[serde(default)]
    pub engine: Option<Engine>,
    /// Wavy: the user name.
    #[serde(default)]
    pub user_name: String,
    /// Wavy: the authentication token.
    #[serde(default)]
    pub token: String,
    /// Evolution API: the instance name (its key is `api_key`).
    #[serde(default)]
    pub instance: String,
    /// Through a gateway: the connection's name there (`base_url` is `{origin}/c/{name}`
    /// and no credential is kept: the gateway holds them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
}

impl SavedConnection {
    /// How the connection is shown in lists (never with its secret).
    pub fn label(&self) -> String {
        if let Some(name) = &self.gateway {
            return match self.provider {
                ProviderKind::Waha => format!("{name} · WAHA · {}", self.session),
                ProviderKind::Wavy => format!("{name} · Wavy"),
                ProviderKind::Evolution => format!("{name} · Evolution API · {}", self.instance),
            };
        }
        match self.provider {
            ProviderKind::Waha => match self.engine {
                Some(engine) => format!(
                    "WAHA · {} · {} ({})",
                    self.base_url,
                    self.session,
                    engine.as_str()
                ),
                None => format!("WAHA · {} · {}", self.base_url, self.session),
            },
            ProviderKind::Wavy => format!("Wavy · {} · {}", self.base_url, self.user_name),
            ProviderKind::Evolution => {
                format!("Evolution API · {} · {}", self.base_url, self.instance)
            }
        }
    }
}

pub fn current() -> Option<SavedConnection> {
    SessionStorage::get(CURRENT).ok()
}

pub fn set_current(connection: &SavedConnection) {
    // A full or disabled storage only costs the person a reconnect after a reload.
    let _ = SessionStorage::set(CURRENT, connection);
}

pub fn remembered() -> Vec<SavedConnection> {
    LocalStorage::get(REMEMBERED).unwrap_or_default()
}

/// Adds (or replaces, by label) a remembered connection.
pub fn remember(connection: &SavedConnection) {
    let mut all = remembered();
    all.retain(|c| c.label() != connection.label());
    all.insert(0, connection.clone());
    let _ = LocalStorage::set(REMEMBERED, all);
}

pub fn forget(label: &str) {
    let mut all = remembered();
    all.retain(|c| c.label() != label);
    if all.is_empty() {
        LocalStorage::delete(REMEMBERED);
    } else {
        let _ = LocalStorage::set(REMEMBERED, all);
    }
}

/// Sign out: the tab's connection goes; remembered ones stay until forgotten.
pub fn sign_out() {
    SessionStorage::delete(CURRENT);
}
