//! Events out: `GET /_gateway/events` (Server-Sent Events, resumable with `Last-Event-ID`)
//! and `GET /_gateway/events/history?connection=&groupId=&limit=`.
//!
//! Every stream reads the store, so ids are the store's (strictly increasing), a resumed
//! stream continues right after the id it names, and nothing is lost or repeated; a
//! `watch` channel only wakes streams when something new was stored.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Deserialize;
use serde_json::Value;

use crate::AppState;
use crate::auth::SignedIn;
use crate::error::ApiError;
use crate::store::StoredEvent;

/// The event as sent: the core's `InboundEvent`, with its `id`, `connection` and `receivedMs`.
fn to_json(e: &StoredEvent) -> Value {
    let mut value: Value =
        serde_json::from_str(&e.json).unwrap_or_else(|_| Value::Object(Default::default()));
    if let Value::Object(map) = &mut value {
        map.insert("id".into(), e.id.into());
        map.insert("connection".into(), e.connection.clone().into());
        map.insert("receivedMs".into(), e.at_ms.into());
    }
    value
}

struct Cursor {
    state: AppState,
    last: i64,
    wake: tokio::sync::watch::Receiver<i64>,
    ready: VecDeque<StoredEvent>,
}

/// `GET /_gateway/events`: new events from now on, or after `Last-Event-ID`.
pub async fn stream(
    State(state): State<AppState>,
    _: SignedIn,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let wake = state.events.subscribe();
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let last = match resume {
        Some(id) => id.max(0),
        None => state.store.last_event_id()?,
    };
    let cursor = Cursor {
        state,
        last,
        wake,
        ready: VecDeque::new(),
    };
    let events = futures_util::stream::unfold(cursor, |mut c| async move {
        loop {
            if c.state.closing.load(Ordering::SeqCst) {
                return None;
            }
            if let Some(e) = c.ready.pop_front() {
                let event = Event::default()
                    .id(e.id.to_string())
                    .data(to_json(&e).to_string());
                return Some((Ok(event), c));
            }
            c.wake.borrow_and_update();
            match c.state.store.events_after(c.last, 200) {
                Ok(found) if !found.is_empty() => {
                    c.last = found.last().map_or(c.last, |e| e.id);
                    c.ready.extend(found);
                }
                Ok(_) => {
                    if c.wake.changed().await.is_err() {
                        return None;
                    }
                }
                Err(e) => {
                    eprintln!("wa-groups-gateway: events stream: {e}");
                    return None;
                }
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryQuery {
    connection: Option<String>,
    group_id: Option<String>,
    limit: Option<u32>,
}

/// `GET /_gateway/events/history?connection=&groupId=&limit=`: newest first.
pub async fn history(
    State(state): State<AppState>,
    _: SignedIn,
    query: Result<Query<HistoryQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<Value>>, ApiError> {
    let Query(q) = query.map_err(|_| ApiError::BadRequest("limit is a number".into()))?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let events =
        state
            .store
            .event_history(q.connection.as_deref(), q.group_id.as_deref(), limit)?;
    Ok(Json(events.iter().map(to_json).collect()))
}
