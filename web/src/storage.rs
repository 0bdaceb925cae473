//! Where the panel keeps the connection: sessionStorage, so credentials last for the tab
//! and never reach the URL or localStorage.

use gloo_storage::{SessionStorage, Storage};
use serde::{Deserialize, Serialize};

const KEY: &str = "wa-groups.connection";

/// What is needed to reconnect after a reload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedConnection {
    pub base_url: String,
    pub api_key: String,
    pub session: String,
}

pub fn load() -> Option<SavedConnection> {
    SessionStorage::get(KEY).ok()
}

pub fn save(connection: &SavedConnection) {
    // A full or disabled storage only costs the user a re-login after a reload.
    let _ = SessionStorage::set(KEY, connection);
}

pub fn clear() {
    SessionStorage::delete(KEY);
}
