//! WAHA's LID → phone lookup (`GET /api/{session}/lids/{lid}`, 2025.5.4+, every engine)
//! and its contact lookup for names (`GET /api/contacts?contactId=&session=`); research
//! `waha-lids-mentions-adds.md` §1 and §5.

use super::{Waha, success};
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::json::read::decode;
use crate::model::UserId;
use crate::provider::Call;

/// `GET /api/{session}/lids/{digits}`: WAHA appends `@lid` to a bare number, so the path
/// carries the digits only (nothing to encode).
pub(super) fn lid_to_phone(waha: &Waha, lid: &UserId) -> Result<Call<Option<String>>> {
    let digits = lid
        .as_str()
        .strip_suffix("@lid")
        .ok_or_else(|| Error::invalid("ids", format!("`{lid}` is not a privacy id (…@lid)")))?;
    let req = waha.authed(HttpRequest::new(
        Method::Get,
        format!("/api/{}/lids/{digits}", waha.session_segment),
    ));
    Ok(Call::new(req, phone_from))
}

fn phone_from(resp: HttpResponse) -> Result<Option<String>> {
    let resp = success(resp)?;
    // `LidToPhoneNumber`: `{lid, pn}`, `pn` in `@c.us` form, `null` when unknown (the route
    // never answers 404 for an unknown LID); GOWS may say `""`.
    let pn = decode(&resp, "lid", |v| Ok(v.get("pn").and_then(|pn| pn.string())))?;
    Ok(pn
        .map(|pn| UserId::from_provider(pn.trim()))
        .and_then(|pn| pn.phone().map(str::to_owned))
        .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())))
}

/// `GET /api/contacts?contactId=&session=`: the address-book name, else the one they set.
pub(super) fn contact_name(waha: &Waha, id: &UserId) -> Result<Call<Option<String>>> {
    let req = waha
        .authed(HttpRequest::new(Method::Get, "/api/contacts"))
        .query("contactId", id.as_str())
        .query("session", waha.session.clone());
    Ok(Call::new(req, name_from))
}

fn name_from(resp: HttpResponse) -> Result<Option<String>> {
    let resp = success(resp)?;
    // A contact of any engine: WEBJS and WPP carry `name` (address book) and `pushname`
    // (their own); NOWEB the same, or `null` for someone its store has never seen; GOWS
    // only `{id, name, pushname}`, `""` when unset.
    decode(&resp, "contact", |contact| {
        let usable = |key| {
            contact
                .get(key)
                .and_then(|name| name.string())
                .map(|name| name.trim().to_owned())
                .filter(|name| !name.is_empty())
        };
        Ok(usable("name").or_else(|| usable("pushname")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::Provider;

    fn waha() -> Waha {
        Waha::new("default", "key").unwrap()
    }

    fn lid() -> UserId {
        UserId::from_provider("76699677012110@lid")
    }

    #[test]
    fn lid_lookup_asks_the_lids_route_with_the_bare_number_and_the_key() {
        let call = waha().lid_to_phone(&lid()).unwrap();
        assert_eq!(call.request.path, "/api/default/lids/76699677012110");
        assert_eq!(call.request.method, Method::Get);
        assert!(
            call.request
                .headers
                .iter()
                .any(|(k, v)| *k == "X-Api-Key" && v == "key")
        );
    }

    #[test]
    fn lid_lookup_reads_the_number_and_a_null_pn_as_hidden() {
        let known = HttpResponse::new(200, include_str!("fixtures/lid_known.json"));
        let call = waha().lid_to_phone(&lid()).unwrap();
        assert_eq!(
            call.parse_final(known).unwrap().as_deref(),
            Some("5511988880000")
        );
        let unknown = HttpResponse::new(200, include_str!("fixtures/lid_unknown.json"));
        let call = waha().lid_to_phone(&lid()).unwrap();
        assert_eq!(call.parse_final(unknown).unwrap(), None);
        // GOWS may spell an unknown one as an empty JID.
        let empty = HttpResponse::new(200, r#"{"lid":"1@lid","pn":""}"#);
        let call = waha().lid_to_phone(&lid()).unwrap();
        assert_eq!(call.parse_final(empty).unwrap(), None);
    }

    #[test]
    fn lid_lookup_errors_are_typed() {
        // NOWEB without its store: 400.
        let body = r#"{"statusCode":400,"message":"Enable NOWEB store \"config.noweb.store.enabled=True\""}"#;
        let call = waha().lid_to_phone(&lid()).unwrap();
        let err = call.parse_final(HttpResponse::new(400, body)).unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
    }

    #[test]
    fn only_a_lid_is_looked_up() {
        let phone = UserId::from_provider("5511988880000@c.us");
        assert_eq!(
            waha().lid_to_phone(&phone).unwrap_err().code(),
            crate::ErrorCode::InvalidInput
        );
    }

    #[test]
    fn contact_lookup_asks_for_the_contact_by_id_and_session() {
        let call = waha()
            .contact_name(&UserId::from_provider("5511988880000@c.us"))
            .unwrap();
        assert_eq!(call.request.path, "/api/contacts");
        assert_eq!(
            call.request.query,
            vec![
                ("contactId", "5511988880000@c.us".to_owned()),
                ("session", "default".to_owned())
            ]
        );
    }

    #[test]
    fn contact_names_prefer_the_address_book_then_the_pushname() {
        let id = UserId::from_provider("5511988880000@c.us");
        let name = |body: &str| {
            waha()
                .contact_name(&id)
                .unwrap()
                .parse_final(HttpResponse::new(200, body.to_owned()))
                .unwrap()
        };
        assert_eq!(
            name(include_str!("fixtures/contact_webjs.json")).as_deref(),
            Some("Ana Souza")
        );
        assert_eq!(
            name(include_str!("fixtures/contact_gows.json")).as_deref(),
            Some("Ana")
        );
        assert_eq!(name("null"), None, "NOWEB: not in the store");
        assert_eq!(name(r#"{"id":"1@c.us","name":null,"pushname":null}"#), None);
    }
}
