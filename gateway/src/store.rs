//! All SQL: one SQLite file (`gateway.db` in `--data`) with users, sessions and the audit.
//! Migrations are numbered by `PRAGMA user_version`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

/// The file inside `--data`.
pub const FILE_NAME: &str = "gateway.db";

/// Each step brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: users, sessions (only a hash of each id), audit.
    "CREATE TABLE users (
        name TEXT PRIMARY KEY NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
        password_hash TEXT NOT NULL,
        created_ms INTEGER NOT NULL
    );
    CREATE TABLE sessions (
        id_hash BLOB PRIMARY KEY NOT NULL,
        user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at_ms INTEGER NOT NULL,
        user TEXT NOT NULL,
        connection TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        operation TEXT NOT NULL,
        group_id TEXT,
        status INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL
    );
    CREATE INDEX audit_group ON audit(group_id, id);",
    // 2: webhook deliveries (each stored once) and the events they carried.
    "CREATE TABLE deliveries (
        connection TEXT NOT NULL,
        key TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        PRIMARY KEY (connection, key)
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        connection TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        group_id TEXT,
        kind TEXT NOT NULL,
        json TEXT NOT NULL
    );
    CREATE INDEX events_group ON events(group_id, id);",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        match raw {
            "admin" => Some(Role::Admin),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub name: String,
    pub role: Role,
    pub password_hash: String,
}

/// One forwarded write.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    pub at_ms: i64,
    pub user: String,
    pub connection: String,
    pub method: String,
    pub path: String,
    pub operation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    pub status: u16,
    pub duration_ms: i64,
}

/// A failure of the store; its text names no secret.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(format!("database: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The database, shared by every request. Each query is short, so one connection behind a
/// mutex serves the load of an admin panel.
#[derive(Clone)]
pub struct Store {
    db: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) `DIR/gateway.db` and migrates it; a clear error when the
    /// directory cannot be made or written.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError(format!("data dir {}: cannot create it: {e}", dir.display()))
        })?;
        let path = dir.join(FILE_NAME);
        let db = Connection::open(&path)
            .map_err(|e| StoreError(format!("data file {}: {e}", path.display())))?;
        db.execute_batch("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")?;
        // WAL is not available everywhere (e.g. some network file systems); fine without.
        let wal = db
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            .is_ok_and(|mode| mode.eq_ignore_ascii_case("wal"));
        if wal {
            // In WAL mode, NORMAL syncs at checkpoints instead of at every commit: a crash of
            // the gateway loses nothing and the file stays consistent through a power cut,
            // which may roll back the last commits. A commit then costs microseconds instead
            // of an fsync (0.2 ms median, 4 ms p99 on the benchmark machine, far more while
            // other programs write): at 1,000 webhooks a second, with every commit waiting
            // on the one before, those fsyncs queued deliveries for up to 200 ms.
            db.execute_batch("PRAGMA synchronous = NORMAL;")?;
        }
        let version: i64 = db.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (i, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            db.execute_batch(&format!(
                "BEGIN; {step}; PRAGMA user_version = {}; COMMIT;",
                i + 1
            ))
            .map_err(|e| {
                StoreError(format!(
                    "data file {}: migration {}: {e}",
                    path.display(),
                    i + 1
                ))
            })?;
        }
        // A read-only file or directory fails here, at start, not at the first sign-in.
        db.execute_batch("BEGIN IMMEDIATE; COMMIT;")
            .map_err(|e| StoreError(format!("data file {}: not writable: {e}", path.display())))?;
        Ok(Store {
            db: Arc::new(Mutex::new(db)),
            path,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn db(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (each statement is atomic).
        self.db.lock().unwrap_or_else(|e| e.into_inner())
    }

    // ---- users

    /// Adds a user; false when the name is taken.
    pub fn add_user(
        &self,
        name: &str,
        role: Role,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<bool> {
        let n = self.db().execute(
            "INSERT OR IGNORE INTO users (name, role, password_hash, created_ms) VALUES (?1, ?2, ?3, ?4)",
            params![name, role.as_str(), password_hash, now_ms],
        )?;
        Ok(n == 1)
    }

    pub fn user(&self, name: &str) -> Result<Option<User>> {
        Ok(self
            .db()
            .query_row(
                "SELECT name, role, password_hash FROM users WHERE name = ?1",
                params![name],
                row_user,
            )
            .optional()?)
    }

    pub fn users(&self) -> Result<Vec<User>> {
        let db = self.db();
        let mut stmt = db.prepare("SELECT name, role, password_hash FROM users ORDER BY name")?;
        let rows = stmt.query_map([], row_user)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes a user and their sessions; false when there was none.
    pub fn remove_user(&self, name: &str) -> Result<bool> {
        Ok(self
            .db()
            .execute("DELETE FROM users WHERE name = ?1", params![name])?
            == 1)
    }

    pub fn user_count(&self) -> Result<i64> {
        Ok(self
            .db()
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?)
    }

    // ---- sessions (by the SHA-256 of the id the browser holds)

    pub fn add_session(
        &self,
        id_hash: &[u8],
        user: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> Result<()> {
        let db = self.db();
        db.execute(
            "DELETE FROM sessions WHERE expires_ms <= ?1",
            params![now_ms],
        )?;
        db.execute(
            "INSERT INTO sessions (id_hash, user, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4)",
            params![id_hash, user, now_ms, expires_ms],
        )?;
        Ok(())
    }

    /// The user of a live session.
    pub fn session_user(&self, id_hash: &[u8], now_ms: i64) -> Result<Option<User>> {
        Ok(self
            .db()
            .query_row(
                "SELECT u.name, u.role, u.password_hash FROM sessions s JOIN users u ON u.name = s.user
                 WHERE s.id_hash = ?1 AND s.expires_ms > ?2",
                params![id_hash, now_ms],
                row_user,
            )
            .optional()?)
    }

    pub fn remove_session(&self, id_hash: &[u8]) -> Result<()> {
        self.db()
            .execute("DELETE FROM sessions WHERE id_hash = ?1", params![id_hash])?;
        Ok(())
    }

    // ---- audit

    pub fn add_audit(&self, e: &AuditEntry) -> Result<()> {
        self.db().execute(
            "INSERT INTO audit (at_ms, user, connection, method, path, operation, group_id, status, duration_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                e.at_ms,
                e.user,
                e.connection,
                e.method,
                e.path,
                e.operation,
                e.group_id,
                e.status,
                e.duration_ms
            ],
        )?;
        Ok(())
    }

    /// Newest first; only `group_id`'s when given.
    pub fn audit(&self, group_id: Option<&str>, limit: u32) -> Result<Vec<AuditEntry>> {
        let db = self.db();
        let mut stmt = db.prepare(
            "SELECT id, at_ms, user, connection, method, path, operation, group_id, status, duration_ms
             FROM audit WHERE (?1 IS NULL OR group_id = ?1) ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![group_id, limit], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at_ms: r.get(1)?,
                user: r.get(2)?,
                connection: r.get(3)?,
                method: r.get(4)?,
                path: r.get(5)?,
                operation: r.get(6)?,
                group_id: r.get(7)?,
                status: r.get(8)?,
                duration_ms: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// An event as stored: the core's `InboundEvent` as JSON, and where and when it came in.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub id: i64,
    pub connection: String,
    pub at_ms: i64,
    pub json: String,
}

/// One event of a delivery, ready to store.
pub struct NewEvent {
    pub group_id: Option<String>,
    pub kind: String,
    pub json: String,
}

impl Store {
    /// Stores a delivery's events once: `None` when `(connection, key)` was stored before
    /// (a repeated delivery), else the id of the last event stored (0 for none).
    pub fn add_delivery(
        &self,
        connection: &str,
        key: &str,
        events: &[NewEvent],
        now_ms: i64,
    ) -> Result<Option<i64>> {
        let mut db = self.db();
        let tx = db.transaction()?;
        let fresh = tx.execute(
            "INSERT OR IGNORE INTO deliveries (connection, key, at_ms) VALUES (?1, ?2, ?3)",
            params![connection, key, now_ms],
        )? == 1;
        if !fresh {
            return Ok(None);
        }
        let mut last = 0;
        for e in events {
            tx.execute(
                "INSERT INTO events (connection, at_ms, group_id, kind, json) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![connection, now_ms, e.group_id, e.kind, e.json],
            )?;
            last = tx.last_insert_rowid();
        }
        tx.commit()?;
        Ok(Some(last))
    }

    /// The newest event's id (0 when there is none).
    pub fn last_event_id(&self) -> Result<i64> {
        Ok(self
            .db()
            .query_row("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get(0))?)
    }

    /// Events after `after`, oldest first, at most `limit`.
    pub fn events_after(&self, after: i64, limit: u32) -> Result<Vec<StoredEvent>> {
        let db = self.db();
        let mut stmt = db.prepare(
            "SELECT id, connection, at_ms, json FROM events WHERE id > ?1 ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after, limit], row_event)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Newest first, filtered by connection and group when given.
    pub fn event_history(
        &self,
        connection: Option<&str>,
        group_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<StoredEvent>> {
        let db = self.db();
        let mut stmt = db.prepare(
            "SELECT id, connection, at_ms, json FROM events
             WHERE (?1 IS NULL OR connection = ?1) AND (?2 IS NULL OR group_id = ?2)
             ORDER BY id DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![connection, group_id, limit], row_event)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn row_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredEvent> {
    Ok(StoredEvent {
        id: r.get(0)?,
        connection: r.get(1)?,
        at_ms: r.get(2)?,
        json: r.get(3)?,
    })
}

fn row_user(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    let role: String = r.get(1)?;
    Ok(User {
        name: r.get(0)?,
        role: Role::parse(&role).unwrap_or(Role::Viewer),
        password_hash: r.get(2)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_sessions_and_audit_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let (mode, sync): (String, i64) = {
            let db = store.db();
            (
                db.query_row("PRAGMA journal_mode", [], |r| r.get(0))
                    .unwrap(),
                db.query_row("PRAGMA synchronous", [], |r| r.get(0))
                    .unwrap(),
            )
        };
        assert_eq!(
            (mode.as_str(), sync),
            ("wal", 1),
            "WAL, synced at checkpoints (NORMAL), not at every commit"
        );
        assert!(store.add_user("ana", Role::Admin, "$hash", 1).unwrap());
        assert!(!store.add_user("ana", Role::Viewer, "$hash", 1).unwrap());
        store.add_session(b"h", "ana", 10, 100).unwrap();
        store
            .add_audit(&AuditEntry {
                id: 0,
                at_ms: 5,
                user: "ana".into(),
                connection: "default".into(),
                method: "PUT".into(),
                path: "/x".into(),
                operation: "setSubject".into(),
                group_id: Some("1@g.us".into()),
                status: 200,
                duration_ms: 3,
            })
            .unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.user("ana").unwrap().unwrap().role, Role::Admin);
        assert_eq!(store.session_user(b"h", 50).unwrap().unwrap().name, "ana");
        assert!(store.session_user(b"h", 100).unwrap().is_none(), "expired");
        assert_eq!(store.audit(Some("1@g.us"), 10).unwrap().len(), 1);
        assert_eq!(store.audit(Some("2@g.us"), 10).unwrap().len(), 0);
        let event = || NewEvent {
            group_id: Some("1@g.us".into()),
            kind: "groupJoined".into(),
            json: "{}".into(),
        };
        assert_eq!(
            store
                .add_delivery("default", "evt_1", &[event(), event()], 1)
                .unwrap(),
            Some(2)
        );
        assert_eq!(
            store
                .add_delivery("default", "evt_1", &[event()], 2)
                .unwrap(),
            None,
            "stored once"
        );
        assert_eq!(
            store.add_delivery("other", "evt_1", &[event()], 2).unwrap(),
            Some(3)
        );
        assert_eq!(store.events_after(1, 10).unwrap().len(), 2);
        assert_eq!(
            store.event_history(Some("other"), None, 10).unwrap()[0].id,
            3
        );
        assert_eq!(store.last_event_id().unwrap(), 3);
        assert!(store.remove_user("ana").unwrap());
        assert!(
            store.session_user(b"h", 50).unwrap().is_none(),
            "sessions go with the user"
        );
    }
}
