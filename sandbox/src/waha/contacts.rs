//! WAHA's contact lookup, `GET /api/contacts?contactId=&session=` (research
//! `waha-lids-mentions-adds.md` §5, `src/api/contacts.controller.ts`): "always returns
//! result, even if not registered", in each engine's contact shape. The name a contact
//! carries is the one given with `POST /_sandbox/people {"phone", "name"}`, as the
//! person's own `pushname` (the account's address book is empty: `name` stays unset).
//!
//! Per engine: WEBJS answers whatsapp-web.js's `Contact` (`pushname` `null` when unknown);
//! NOWEB answers `null` for someone its store has no name for, else Baileys' contact with
//! `notify` as `pushname`; GOWS only `{id, name, pushname}`, `""` when unset. A contact
//! asked by LID is found by that LID (the sandbox's LIDs are derived from numbers), and is
//! answered under the LID: a hidden number stays hidden here too.

use super::*;

/// The query: `contactId` and `session`, both required.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ContactQuery {
    contact_id: Option<String>,
    session: Option<String>,
}

/// `GET /api/contacts?contactId=&session=`.
pub(super) async fn get_contact(
    State(state): State<AppState>,
    Query(query): Query<ContactQuery>,
) -> Response {
    let Some(name) = query.session.filter(|s| !s.is_empty()) else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(json!({"error": "Session name is required"})),
        )
            .into_response();
    };
    let (_, dialect) = or_respond!(session(&state, &name));
    let Some(id) = query.contact_id.as_deref().and_then(normalise_user_id) else {
        return nest_error(
            StatusCode::BAD_REQUEST,
            json!(["contactId must be a phone number or a user id"]),
        );
    };
    let pushname = state.world().push_name(&id);
    json_ok(contact(dialect.engine, &id, pushname))
}

/// One engine's contact for `id` (`…@c.us` or `…@lid`).
fn contact(engine: Engine, id: &str, pushname: Option<String>) -> Value {
    let number = id.strip_suffix("@c.us");
    match engine {
        Engine::Webjs => json!({
            "id": id, "number": number, "isBusiness": false, "isEnterprise": false,
            "labels": [], "name": Value::Null, "pushname": pushname, "sectionHeader": Value::Null,
            "shortName": Value::Null, "statusMute": false, "type": "in",
            "verifiedLevel": Value::Null, "verifiedName": Value::Null, "isMe": false,
            "isUser": true, "isGroup": false, "isWAContact": true, "isMyContact": false,
            "isBlocked": false,
        }),
        Engine::Noweb => match pushname {
            None => Value::Null,
            Some(pushname) => {
                let mut c = json!({"id": id, "pushname": pushname});
                if let Some(n) = number {
                    c["lid"] = lid_of(&format!("{n}@c.us")).into();
                }
                c
            }
        },
        Engine::Gows => json!({"id": id, "name": "", "pushname": pushname.unwrap_or_default()}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_engine_spells_a_contact_its_own_way() {
        let id = "5511988880000@c.us";
        let webjs = contact(Engine::Webjs, id, Some("Ana".into()));
        assert_eq!(webjs["pushname"], "Ana");
        assert_eq!(webjs["name"], Value::Null);
        assert_eq!(webjs["number"], "5511988880000");
        assert_eq!(contact(Engine::Noweb, id, None), Value::Null);
        assert_eq!(
            contact(Engine::Noweb, id, Some("Ana".into()))["pushname"],
            "Ana"
        );
        let gows = contact(Engine::Gows, id, None);
        assert_eq!(gows, json!({"id": id, "name": "", "pushname": ""}));
        let hidden = contact(Engine::Webjs, "123456789@lid", Some("Bia".into()));
        assert_eq!(
            hidden["number"],
            Value::Null,
            "a hidden number stays hidden"
        );
    }
}
