//! Issue 15's decoding candidates: build with exactly one feature (see Cargo.toml). Each
//! exports `decode_groups`, which decodes a WAHA `GET /api/{session}/groups` answer (any
//! engine's shape) into neutral groups and hands them to JS as plain objects.

#[cfg(not(any(
    feature = "baseline",
    feature = "normalise",
    feature = "serde_json",
    feature = "swb",
    feature = "miniserde",
    feature = "reflect",
    feature = "reflect_json",
    feature = "reflect_idx",
    feature = "reflect_sniff"
)))]
compile_error!(
    "build with one feature: baseline, normalise, serde_json, swb, miniserde, reflect, reflect_json, reflect_idx or reflect_sniff"
);

#[cfg(not(feature = "baseline"))]
mod neutral;
#[cfg(not(feature = "baseline"))]
mod raw;
#[cfg(feature = "serde-derive")]
mod serde_de;

#[cfg(any(
    feature = "reflect_json",
    feature = "reflect_idx",
    feature = "reflect_sniff"
))]
mod json_out;
#[cfg(feature = "miniserde")]
mod mini;
#[cfg(feature = "reflect-read")]
mod reflect;

use wasm_bindgen::prelude::*;

/// The floor: the same wasm-bindgen set-up, one export that returns a constant.
#[cfg(feature = "baseline")]
#[wasm_bindgen]
pub fn decode_groups(_input: JsValue) -> JsValue {
    JsValue::NULL
}

/// Today's design: the response text through serde_json into the raw structs, normalised,
/// serialised again by serde_json and built into objects by the engine's `JSON.parse`
/// (`src/js/client.rs` `to_js_value`).
#[cfg(feature = "serde_json")]
#[wasm_bindgen]
pub fn decode_groups(input: &str) -> Result<JsValue, JsValue> {
    let list: raw::RawGroupList =
        serde_json::from_str(input).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let json = serde_json::to_string(&list.into_groups())
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    js_sys::JSON::parse(&json)
}

/// serde-wasm-bindgen: the `JSON.parse` (or `Response.json()`) result read into the same
/// derive structs, the result written as JS objects.
#[cfg(feature = "swb")]
#[wasm_bindgen]
pub fn decode_groups(input: JsValue) -> Result<JsValue, JsValue> {
    use serde::Serialize;
    let list: raw::RawGroupList = serde_wasm_bindgen::from_value(input)?;
    let groups = list.into_groups();
    Ok(groups.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

/// miniserde: the response text into the raw structs (hand-written `Map` impls, for the
/// aliases and the string-or-object ids), serialised by miniserde, built by `JSON.parse`.
#[cfg(feature = "miniserde")]
#[wasm_bindgen]
pub fn decode_groups(input: &str) -> Result<JsValue, JsValue> {
    let list: raw::RawGroupList = miniserde::json::from_str(input)
        .map_err(|_| JsValue::from_str("group list: not the JSON expected"))?;
    js_sys::JSON::parse(&miniserde::json::to_string(&list.into_groups()))
}

/// No serde: the `JSON.parse` result read field by field (`Reflect::get`), the result
/// built with `Object` + `Reflect::set`.
#[cfg(feature = "reflect")]
#[wasm_bindgen]
pub fn decode_groups(input: JsValue) -> Result<JsValue, JsValue> {
    let list = reflect::group_list(&input)?;
    Ok(reflect::to_js(&list.into_groups()))
}

/// `reflect`'s reader; the results written as JSON text by hand and built by `JSON.parse`
/// (`reflect_idx`: the same, reading with `obj[key]` instead of `Reflect::get`;
/// `reflect_sniff`: `reflect_idx` reading only WEBJS's fields on a WEBJS participant).
#[cfg(any(
    feature = "reflect_json",
    feature = "reflect_idx",
    feature = "reflect_sniff"
))]
#[wasm_bindgen]
pub fn decode_groups(input: JsValue) -> Result<JsValue, JsValue> {
    let list = reflect::group_list(&input)?;
    js_sys::JSON::parse(&json_out::groups(&list.into_groups()))
}

/// The shared part alone: the normalisation of raw structs filled from one opaque string
/// (every branch of `into_group` reachable), no decoding and no hand-over.
#[cfg(feature = "normalise")]
#[wasm_bindgen]
pub fn decode_groups(input: JsValue) -> JsValue {
    use raw::{Jid, RawGroup, RawGroupList, RawParticipant, RawParticipants};
    let s = input.as_string().unwrap_or_default();
    let jid = || Some(Jid(s.clone()));
    let text = || Some(s.clone());
    let participant = RawParticipant {
        id: jid(),
        is_admin: s.len() > 3,
        is_super_admin: s.len() > 4,
        admin: text(),
        role: text(),
        phone_number: jid(),
        lid: jid(),
        outcome: s.parse().ok(),
        name: text(),
        ..RawParticipant::default()
    };
    let group = RawGroup {
        id: jid(),
        gid: jid(),
        metadata: None,
        subject: text(),
        name: text(),
        desc: text(),
        owner: jid(),
        owner_pn: jid(),
        creation: s.parse().ok(),
        group_created: text(),
        participants: Some(RawParticipants {
            list: vec![participant],
            outcomes_only: s.len() > 5,
        }),
        size: s.parse().ok(),
    };
    let chat = RawGroup {
        metadata: (s.len() > 6).then(|| Box::new(group)),
        id: jid(),
        name: text(),
        ..RawGroup::default()
    };
    let groups = RawGroupList(vec![chat]).into_groups();
    // Everything normalised is used, so none of it is optimised away.
    let used: usize = groups
        .iter()
        .map(|g| {
            g.id.len()
                + g.subject.len()
                + g.description.as_ref().map_or(0, String::len)
                + g.creator.as_ref().map_or(0, String::len)
                + g.created_at.unwrap_or(0) as usize
                + g.size.unwrap_or(0) as usize
                + g.participants
                    .iter()
                    .map(|p| {
                        p.id.len()
                            + p.phone.as_ref().map_or(0, String::len)
                            + p.lid.as_ref().map_or(0, String::len)
                            + p.name.as_ref().map_or(0, String::len)
                            + p.role as usize
                    })
                    .sum::<usize>()
        })
        .sum();
    JsValue::from_f64(used as f64)
}

/// With `split`: the decoding and normalisation alone, without the hand-over to JS (the
/// number of participants decoded), so the two halves can be timed apart.
#[cfg(all(feature = "split", feature = "serde_json"))]
#[wasm_bindgen]
pub fn decode_only(input: &str) -> Result<usize, JsValue> {
    let list: raw::RawGroupList =
        serde_json::from_str(input).map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(count(&list.into_groups()))
}

#[cfg(all(feature = "split", feature = "swb"))]
#[wasm_bindgen]
pub fn decode_only(input: JsValue) -> Result<usize, JsValue> {
    let list: raw::RawGroupList = serde_wasm_bindgen::from_value(input)?;
    Ok(count(&list.into_groups()))
}

#[cfg(all(feature = "split", feature = "miniserde"))]
#[wasm_bindgen]
pub fn decode_only(input: &str) -> Result<usize, JsValue> {
    let list: raw::RawGroupList = miniserde::json::from_str(input)
        .map_err(|_| JsValue::from_str("group list: not the JSON expected"))?;
    Ok(count(&list.into_groups()))
}

#[cfg(all(feature = "split", feature = "reflect-read"))]
#[wasm_bindgen]
pub fn decode_only(input: JsValue) -> Result<usize, JsValue> {
    Ok(count(&reflect::group_list(&input)?.into_groups()))
}

#[cfg(all(
    feature = "split",
    any(
        feature = "serde_json",
        feature = "swb",
        feature = "miniserde",
        feature = "reflect-read"
    )
))]
fn count(groups: &[neutral::Group]) -> usize {
    groups.iter().map(|g| g.participants.len()).sum()
}
