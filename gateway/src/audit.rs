//! `GET /_gateway/audit?groupId=&limit=` (admins only): the forwarded writes, newest first.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;

use crate::AppState;
use crate::auth::Admin;
use crate::error::ApiError;
use crate::store::AuditEntry;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditQuery {
    group_id: Option<String>,
    limit: Option<u32>,
}

pub async fn list(
    State(state): State<AppState>,
    _: Admin,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let Query(query) =
        query.map_err(|_| ApiError::BadRequest("groupId is text, limit a number".into()))?;
    let limit = query.limit.unwrap_or(100).clamp(1, 1000);
    Ok(Json(state.store.audit(query.group_id.as_deref(), limit)?))
}
