//! The native view: a tree serde_json parses, whose objects keep their keys in the text's
//! order, as `JSON.parse` does (a repeated key keeps its first place and its last value).

use std::fmt;

use indexmap::IndexMap;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::Kind;

/// One parsed value.
#[derive(Debug)]
pub(super) enum Node {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Node>),
    Object(IndexMap<String, Node>),
}

pub(super) type Owned = Node;
pub(super) type Ref<'a> = &'a Node;

pub(super) fn parse(text: &str) -> Result<Node, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

pub(super) fn root(owned: &Node) -> Ref<'_> {
    owned
}

pub(super) fn kind(v: &Ref<'_>) -> Kind {
    match v {
        Node::Null => Kind::Null,
        Node::Bool(_) => Kind::Bool,
        Node::Number(_) => Kind::Number,
        Node::String(_) => Kind::String,
        Node::Array(_) => Kind::Array,
        Node::Object(_) => Kind::Object,
    }
}

pub(super) fn get<'a>(v: &&'a Node, key: &str) -> Option<Ref<'a>> {
    match v {
        Node::Object(map) => map.get(key),
        _ => None,
    }
}

pub(super) fn get_present<'a>(v: &&'a Node, key: &str) -> Option<Ref<'a>> {
    get(v, key).filter(|v| !matches!(v, Node::Null))
}

pub(super) fn is_object(v: &Ref<'_>) -> bool {
    matches!(v, Node::Object(_))
}

pub(super) fn is_null(v: &Ref<'_>) -> bool {
    matches!(v, Node::Null)
}

pub(super) fn string(v: &Ref<'_>) -> Option<String> {
    match v {
        Node::String(s) => Some(s.clone()),
        _ => None,
    }
}

pub(super) fn number(v: &Ref<'_>) -> Option<f64> {
    match v {
        Node::Number(n) => Some(*n),
        _ => None,
    }
}

pub(super) fn boolean(v: &Ref<'_>) -> Option<bool> {
    match v {
        Node::Bool(b) => Some(*b),
        _ => None,
    }
}

pub(super) fn items<'a>(v: &&'a Node) -> Option<Vec<Ref<'a>>> {
    match v {
        Node::Array(items) => Some(items.iter().collect()),
        _ => None,
    }
}

pub(super) fn entries<'a>(v: &&'a Node) -> Option<Vec<(String, Ref<'a>)>> {
    match v {
        Node::Object(map) => Some(map.iter().map(|(k, v)| (k.clone(), v)).collect()),
        _ => None,
    }
}

pub(super) fn text(v: &Ref<'_>) -> String {
    let mut out = super::Out::new();
    write(v, &mut out);
    out.finish()
}

fn write(v: &Node, out: &mut super::Out) {
    match v {
        Node::Null => out.null(),
        Node::Bool(b) => out.bool(*b),
        Node::Number(n) => out.raw(&number_text(*n)),
        Node::String(s) => out.string(s),
        Node::Array(items) => out.array(items, |out, item| write(item, out)),
        Node::Object(map) => out.object(|o| {
            for (key, value) in map {
                write(value, o.name(key));
            }
        }),
    }
}

/// A number as `JSON.stringify` writes it, for the numbers answers hold: whole numbers
/// without a fraction, others as Rust's shortest round-trip form.
fn number_text(n: f64) -> String {
    match super::whole_f64(n.abs()) {
        Some(whole) if n.abs() < 1e21 => {
            let sign = if n < 0.0 { "-" } else { "" };
            format!("{sign}{whole}")
        }
        _ => n.to_string(),
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Node, E> {
        Ok(Node::Bool(b))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Node, E> {
        Ok(Node::Number(n as f64))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Node, E> {
        Ok(Node::Number(n as f64))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Node, E> {
        Ok(Node::Number(n))
    }
    fn visit_str<E>(self, s: &str) -> Result<Node, E> {
        Ok(Node::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Node, E> {
        Ok(Node::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut object = IndexMap::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            object.insert(key, value);
        }
        Ok(Node::Object(object))
    }
}
