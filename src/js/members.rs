//! `resolvePhones`, `exportMembers`, the `resolvePhones`/`names` options of
//! `listParticipants`, and the pure `membersToCsv` / `parseMembersCsv`: the JS face of
//! [`crate::members`].

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::client::{GroupsClient, to_js_value};
use super::error::to_js;
use super::read::{Options, from_js, is_array};
use crate::error::{Error, Result};
use crate::members::{self, MemberRow, ParticipantsOptions};
use crate::model::GroupId;
use crate::provider::ProviderKind;

#[wasm_bindgen(typescript_custom_section)]
const MEMBERS_TS: &str = r#"
/** The last argument of `listParticipants`: the call options, and what to fill in. */
export interface ListParticipantsOptions extends CallOptions {
  /**
   * Fill in `phone` for members listed by privacy id (`…@lid`) whose number the listing
   * lacks, from what the client has learnt and WAHA's `/lids` lookups (a few at a time;
   * misses remembered for 10 minutes). A number WhatsApp hides stays absent — never
   * guessed. Wavy lists members by phone: nothing to do.
   */
  resolvePhones?: boolean;
  /**
   * Fill in `name` (address-book name, else the one they set) from WAHA's contacts: one
   * request per member, four at a time. Wavy knows no names: nothing is asked.
   */
  names?: boolean;
}
"#;

/// The options `listParticipants` reads beside `signal` and `timeoutMs`.
pub(super) const LIST_PARTICIPANTS_OPTIONS: [&str; 2] = ["resolvePhones", "names"];

/// `options.<key>`: `undefined` → `false`, a boolean, or `invalid_input` naming it.
fn flag(options: &Options, key: &str) -> Result<bool> {
    let value = options.get(key)?;
    if value.is_undefined() {
        return Ok(false);
    }
    value
        .as_bool()
        .ok_or_else(|| Error::invalid(format!("options.{key}"), "must be a boolean"))
}

/// The `listParticipants` options in the last argument (none when it is absent).
pub(super) fn participants_options(options: Option<&Options>) -> Result<ParticipantsOptions> {
    Ok(match options {
        Some(o) => ParticipantsOptions::new(flag(o, "resolvePhones")?, flag(o, "names")?),
        None => ParticipantsOptions::default(),
    })
}

/// An array of strings, named `field`.
fn strings(field: &str, value: JsValue) -> Result<Vec<String>> {
    if !is_array(&value) {
        return Err(Error::invalid(field, "must be an array of strings"));
    }
    from_js(field, value)
}

#[wasm_bindgen]
impl GroupsClient {
    /// The phone number behind each id, keyed by the ids as given: a phone id is its own
    /// number; a privacy id (`…@lid`) is looked up (WAHA's `/lids` route, four at a time,
    /// what is found and missed remembered by the client). `null` where WhatsApp hides the
    /// number — never guessed. Wavy knows members by phone: nothing is sent.
    ///
    /// ```js
    /// const phones = await client.resolvePhones(["76699677012110@lid"]);
    /// console.log(phones["76699677012110@lid"] ?? "number hidden");
    /// ```
    #[wasm_bindgen(
        js_name = resolvePhones,
        unchecked_return_type = "Promise<Record<string, string | null>>"
    )]
    pub fn resolve_phones(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn_with("resolvePhones", call_options, &[], move |client, _| {
            let ids = strings("ids", ids)?;
            Ok(async move {
                // A plain object built here: a `BTreeMap` would cost the `.wasm` a sort and
                // a B-tree for nothing. A repeated id keeps one key.
                let object = js_sys::Object::new();
                for (id, phone) in client.resolve_phones(&ids).await? {
                    let phone = phone.map_or(JsValue::NULL, |p| JsValue::from_str(&p));
                    js_sys::Reflect::set(&object, &JsValue::from_str(&id), &phone)
                        .map_err(|_| Error::Decode("could not build the result".into()))?;
                }
                Ok(JsValue::from(object))
            })
        })
    }

    /// One row per membership of each group (`{ groupId, groupSubject, id, phone?, lid?,
    /// role }`), numbers resolved as `resolvePhones` does; four groups are read at a time.
    /// A group that cannot be read rejects the whole call with its error.
    ///
    /// ```js
    /// const rows = await client.exportMembers(["120363000000000001@g.us"]);
    /// const csv = membersToCsv(rows);
    /// ```
    #[wasm_bindgen(js_name = exportMembers, unchecked_return_type = "Promise<MemberRow[]>")]
    pub fn export_members(
        &self,
        #[wasm_bindgen(js_name = "groupIds", unchecked_param_type = "GroupId[]")]
        group_ids: JsValue,
        #[wasm_bindgen(js_name = "callOptions", unchecked_optional_param_type = "CallOptions")]
        call_options: JsValue,
    ) -> Promise {
        self.spawn_with("exportMembers", call_options, &[], move |client, _| {
            let ids: Vec<GroupId> = strings("groupIds", group_ids)?
                .into_iter()
                .enumerate()
                .map(|(i, id)| GroupId::new(&format!("groupIds[{i}]"), id))
                .collect::<Result<_>>()?;
            Ok(async move { to_js_value(&client.export_members(&ids).await?) })
        })
    }
}

/// Writes export rows as CSV (RFC 4180, CRLF, a header row `groupId,groupSubject,id,phone,
/// lid,role`). A cell starting with `=`, `+`, `-`, `@`, a tab or CR is prefixed with `'`
/// so a spreadsheet cannot run it as a formula. Throws a `GroupsError` (`invalid_input`)
/// for rows that are not `MemberRow`s.
///
/// ```js
/// const csv = membersToCsv(await client.exportMembers([groupId]));
/// ```
#[wasm_bindgen(js_name = membersToCsv)]
pub fn members_to_csv(
    #[wasm_bindgen(unchecked_param_type = "MemberRow[]")] rows: JsValue,
) -> std::result::Result<String, JsValue> {
    let read = || -> Result<String> {
        if !is_array(&rows) {
            return Err(Error::invalid("rows", "must be an array of MemberRow"));
        }
        let rows: Vec<MemberRow> = from_js("rows", rows)?;
        Ok(members::members_to_csv(&rows))
    };
    read().map_err(|e| to_js(&e, "membersToCsv", ProviderKind::Waha))
}

/// Reads a `phone,action` list (`add|remove|promote|demote`; an empty action is `add`;
/// header optional — with one, the `phone` and `action` columns are found by name, so an
/// export reads back as a list to add; quoted cells, CRLF or LF, a BOM). Bad rows come
/// back in `errors` with their line and reason; nothing is dropped.
///
/// ```js
/// const { rows, errors } = parseMembersCsv("phone,action\n+55 11 98888-0000,add\n");
/// ```
#[wasm_bindgen(js_name = parseMembersCsv, unchecked_return_type = "ParsedMembers")]
pub fn parse_members_csv(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> std::result::Result<JsValue, JsValue> {
    let read = || -> Result<JsValue> {
        let text = text
            .as_string()
            .ok_or_else(|| Error::invalid("text", "must be a string"))?;
        to_js_value(&members::parse_members_csv(&text))
    };
    read().map_err(|e| to_js(&e, "parseMembersCsv", ProviderKind::Waha))
}
