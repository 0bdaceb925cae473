//! No serde: the value `JSON.parse` (or `Response.json()`) made, read field by field with
//! `Reflect::get` — each engine's spelling tried in turn while a field is absent — into the
//! same raw structs; the neutral groups are then built as JS objects with `Reflect::set`.
//! (`reflect_json` and `reflect_idx` write them as JSON text instead, see `json_out.rs`;
//! `reflect_idx` reads with an `obj[key]` import instead of `Reflect::get`; `reflect_sniff`
//! is `reflect_idx` that skips the other engines' fields on a WEBJS participant.)
//! Property keys are JS strings made once. Only what `into_group` reads is read: a
//! participant's `content`, `isInviteV4Sent` and `message` (change results only) are not.

use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

#[cfg(any(feature = "reflect_idx", feature = "reflect_sniff"))]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// Any object `JSON.parse` made.
    #[wasm_bindgen(extends = Object)]
    type Obj;
    /// `obj[key]`: the read `Reflect.get` does, without the try/catch wasm-bindgen puts
    /// around `Reflect::get` (which can throw); only ever called on objects.
    #[wasm_bindgen(method, structural, indexing_getter)]
    fn get(this: &Obj, key: &JsValue) -> JsValue;
}

#[cfg(feature = "reflect")]
use crate::neutral::Group;
use crate::raw::{Jid, RawGroup, RawGroupList, RawParticipant, RawParticipants, whole_f64};

macro_rules! keys {
    ($($field:ident = $name:literal),* $(,)?) => {
        /// Every property name read or written, as JS strings.
        #[cfg_attr(not(feature = "reflect"), allow(dead_code))]
        struct Keys { $($field: JsValue),* }
        impl Keys {
            fn new() -> Keys {
                Keys { $($field: JsValue::from_str($name)),* }
            }
        }
    };
}

keys! {
    id = "id", jid_upper = "JID", jid = "jid", gid = "gid", serialized = "_serialized",
    user = "user", server = "server", group_metadata = "groupMetadata", subject = "subject",
    name_upper = "Name", name = "name", title = "title", desc = "desc", topic = "Topic",
    owner = "owner", owner_jid = "OwnerJID", owner_pn = "ownerPn", owner_pn_upper = "OwnerPN",
    creation = "creation", group_created = "GroupCreated", participants = "participants",
    participants_upper = "Participants", size = "size", is_admin = "isAdmin",
    is_admin_upper = "IsAdmin", is_super_admin = "isSuperAdmin",
    is_super_admin_upper = "IsSuperAdmin", admin = "admin", role = "role",
    phone_number = "phoneNumber", phone_number_upper = "PhoneNumber", pn = "pn", lid = "lid",
    lid_upper = "LID", error = "Error", status = "status", code = "code",
    status_code = "statusCode",
    // The neutral model's names.
    description = "description", creator = "creator", created_at = "createdAt",
    phone = "phone", superadmin = "superadmin", admin_role = "admin", member = "member",
}

thread_local! {
    static KEYS: Keys = Keys::new();
}

type Result<T> = std::result::Result<T, JsValue>;

fn fail(what: &str) -> JsValue {
    JsValue::from_str(what)
}

/// The first of `names` present (neither `undefined` nor `null`) on `obj`.
fn first(obj: &JsValue, names: &[&JsValue]) -> Option<JsValue> {
    #[cfg(any(feature = "reflect_idx", feature = "reflect_sniff"))]
    let get = |name: &JsValue| Some(obj.unchecked_ref::<Obj>().get(name));
    #[cfg(not(any(feature = "reflect_idx", feature = "reflect_sniff")))]
    let get = |name: &JsValue| js_sys::Reflect::get(obj, name).ok();
    names.iter().find_map(|name| {
        let v = get(name)?;
        (!v.is_undefined() && !v.is_null()).then_some(v)
    })
}

fn jid(v: Option<JsValue>, k: &Keys) -> Result<Option<Jid>> {
    let Some(v) = v else { return Ok(None) };
    if let Some(s) = v.as_string() {
        return Ok(Some(Jid(s)));
    }
    if !v.is_object() {
        return Err(fail(
            "an id is neither a string nor {server, user, _serialized}",
        ));
    }
    if let Some(s) = first(&v, &[&k.serialized]).and_then(|s| s.as_string()) {
        return Ok(Some(Jid(s)));
    }
    let part = |key: &JsValue| first(&v, &[key]).and_then(|s| s.as_string());
    match (part(&k.user), part(&k.server)) {
        (Some(u), Some(s)) => Ok(Some(Jid(format!("{u}@{s}")))),
        _ => Err(fail("an id object has no _serialized")),
    }
}

fn string(v: Option<JsValue>) -> Result<Option<String>> {
    match v {
        None => Ok(None),
        Some(v) => v
            .as_string()
            .map(Some)
            .ok_or_else(|| fail("expected a string")),
    }
}

fn boolean(v: Option<JsValue>) -> Result<bool> {
    match v {
        None => Ok(false),
        Some(v) => v.as_bool().ok_or_else(|| fail("expected a boolean")),
    }
}

/// `lenient::number`: a whole number or a numeric string; anything else is `None`.
fn number(v: Option<JsValue>) -> Option<u64> {
    let v = v?;
    match v.as_f64() {
        Some(n) => whole_f64(n),
        None => v.as_string()?.trim().parse().ok(),
    }
}

/// `lenient::text`: a non-blank string; anything else is `None`.
fn text(v: Option<JsValue>) -> Option<String> {
    v?.as_string().filter(|s| !s.trim().is_empty())
}

fn participant(p: &JsValue, k: &Keys) -> Result<RawParticipant> {
    if !p.is_object() {
        return Err(fail("a participant is not an object"));
    }
    let id = first(p, &[&k.id, &k.jid_upper, &k.jid]);
    // `reflect_sniff`: an id spelled as an object is WEBJS's (whatsapp-web.js
    // `GroupParticipant`: `{id: {…}, isAdmin, isSuperAdmin}`), which has none of the other
    // engines' fields, so they are not looked for. A narrowing the serde structs do not make.
    #[cfg(feature = "reflect_sniff")]
    if id.as_ref().is_some_and(JsValue::is_object) {
        return Ok(RawParticipant {
            id: jid(id, k)?,
            is_admin: boolean(first(p, &[&k.is_admin]))?,
            is_super_admin: boolean(first(p, &[&k.is_super_admin]))?,
            ..RawParticipant::default()
        });
    }
    Ok(RawParticipant {
        id: jid(id, k)?,
        is_admin: boolean(first(p, &[&k.is_admin, &k.is_admin_upper]))?,
        is_super_admin: boolean(first(p, &[&k.is_super_admin, &k.is_super_admin_upper]))?,
        admin: string(first(p, &[&k.admin]))?,
        role: string(first(p, &[&k.role]))?,
        phone_number: jid(
            first(p, &[&k.phone_number, &k.phone_number_upper, &k.pn]),
            k,
        )?,
        lid: jid(first(p, &[&k.lid, &k.lid_upper]), k)?,
        outcome: number(first(p, &[&k.error, &k.status, &k.code, &k.status_code]))
            .and_then(|n| u16::try_from(n).ok()),
        name: text(first(p, &[&k.name])),
        ..RawParticipant::default()
    })
}

fn participants(v: Option<JsValue>, k: &Keys) -> Result<Option<RawParticipants>> {
    let Some(v) = v else { return Ok(None) };
    if let Some(list) = v.dyn_ref::<Array>() {
        let mut out = Vec::with_capacity(list.length() as usize);
        for i in 0..list.length() {
            out.push(participant(&list.get(i), k)?);
        }
        return Ok(Some(RawParticipants {
            list: out,
            outcomes_only: false,
        }));
    }
    if !v.is_object() {
        return Err(fail("participants are neither a list nor a map"));
    }
    // WEBJS's create result: id → outcome.
    let entries = Object::entries(v.unchecked_ref());
    let mut out = Vec::with_capacity(entries.length() as usize);
    for i in 0..entries.length() {
        let pair: Array = entries.get(i).unchecked_into();
        let mut p = participant(&pair.get(1), k)?;
        p.id = pair.get(0).as_string().map(Jid);
        out.push(p);
    }
    Ok(Some(RawParticipants {
        list: out,
        outcomes_only: true,
    }))
}

fn group(g: &JsValue, k: &Keys) -> Result<RawGroup> {
    if !g.is_object() {
        return Err(fail("a group is not an object"));
    }
    if let Some(meta) = first(g, &[&k.group_metadata]) {
        // A WEBJS `GroupChat`: only its id and name are read besides the metadata.
        return Ok(RawGroup {
            metadata: Some(Box::new(group(&meta, k)?)),
            id: jid(first(g, &[&k.id, &k.jid_upper]), k)?,
            name: string(first(g, &[&k.name, &k.title]))?,
            ..RawGroup::default()
        });
    }
    Ok(RawGroup {
        id: jid(first(g, &[&k.id, &k.jid_upper]), k)?,
        gid: jid(first(g, &[&k.gid]), k)?,
        metadata: None,
        subject: string(first(g, &[&k.subject, &k.name_upper]))?,
        name: string(first(g, &[&k.name, &k.title]))?,
        desc: string(first(g, &[&k.desc, &k.topic]))?,
        owner: jid(first(g, &[&k.owner, &k.owner_jid]), k)?,
        owner_pn: jid(first(g, &[&k.owner_pn, &k.owner_pn_upper]), k)?,
        creation: number(first(g, &[&k.creation])),
        group_created: string(first(g, &[&k.group_created]))?,
        participants: participants(first(g, &[&k.participants, &k.participants_upper]), k)?,
        size: number(first(g, &[&k.size])).and_then(|n| u32::try_from(n).ok()),
    })
}

/// `GET /groups`: an array (WEBJS, GOWS) or an object keyed by group id (NOWEB).
pub fn group_list(v: &JsValue) -> Result<RawGroupList> {
    KEYS.with(|k| {
        let list: Array = if Array::is_array(v) {
            v.clone().unchecked_into()
        } else if v.is_object() {
            Object::values(v.unchecked_ref())
        } else {
            return Err(fail("group list: neither a list nor a map of groups"));
        };
        let mut out = Vec::with_capacity(list.length() as usize);
        for i in 0..list.length() {
            out.push(group(&list.get(i), k).map_err(|e| {
                fail(&format!(
                    "group list: {}",
                    e.as_string().unwrap_or_default()
                ))
            })?);
        }
        Ok(RawGroupList(out))
    })
}

#[cfg(feature = "reflect")]
fn set(obj: &Object, key: &JsValue, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, key, value);
}

#[cfg(feature = "reflect")]
/// The neutral groups as JS objects (absent options left out, as serde's
/// `skip_serializing_if` does).
pub fn to_js(groups: &[Group]) -> JsValue {
    KEYS.with(|k| {
        let out = Array::new_with_length(groups.len() as u32);
        for (i, g) in groups.iter().enumerate() {
            let o = Object::new();
            set(&o, &k.id, &JsValue::from_str(&g.id));
            set(&o, &k.subject, &JsValue::from_str(&g.subject));
            if let Some(d) = &g.description {
                set(&o, &k.description, &JsValue::from_str(d));
            }
            if let Some(c) = &g.creator {
                set(&o, &k.creator, &JsValue::from_str(c));
            }
            if let Some(t) = g.created_at {
                set(&o, &k.created_at, &JsValue::from_f64(t as f64));
            }
            if let Some(s) = g.size {
                set(&o, &k.size, &JsValue::from_f64(f64::from(s)));
            }
            let members = Array::new_with_length(g.participants.len() as u32);
            for (j, p) in g.participants.iter().enumerate() {
                let m = Object::new();
                set(&m, &k.id, &JsValue::from_str(&p.id));
                if let Some(phone) = &p.phone {
                    set(&m, &k.phone, &JsValue::from_str(phone));
                }
                if let Some(lid) = &p.lid {
                    set(&m, &k.lid, &JsValue::from_str(lid));
                }
                if let Some(name) = &p.name {
                    set(&m, &k.name, &JsValue::from_str(name));
                }
                let role = match p.role {
                    crate::neutral::Role::Superadmin => &k.superadmin,
                    crate::neutral::Role::Admin => &k.admin_role,
                    crate::neutral::Role::Member => &k.member,
                };
                set(&m, &k.role, role);
                members.set(j as u32, m.into());
            }
            set(&o, &k.participants, &members);
            out.set(i as u32, o.into());
        }
        out.into()
    })
}
