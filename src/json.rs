//! JSON read field by field and written by hand, so that no JSON library ships in the
//! `.wasm`.
//!
//! Every answer, webhook payload and JS argument the core reads goes through [`Doc`] and
//! [`Json`]: a parsed document and a view of one value in it. In the browser (and Node) the
//! document is what the engine's own `JSON.parse` made, read with `obj[key]`; natively it is
//! a `serde_json::Value`. The readers above this module are written once against the view,
//! so the native tests run the very code the `.wasm` runs. `bench/findings.md` measured the
//! choice on our real shapes: this design is 4.3 KB of brotli where typed serde_json
//! decoding is 31.3 KB, at the same speed.
//!
//! What goes back to JS (and every request body) is written as JSON text by [`Out`], for
//! the engine's `JSON.parse`: the one crossing that is cheaper than building objects
//! across the boundary.
//!
//! The view is deliberately small. A number is an `f64` on both sides, as JavaScript reads
//! it (a whole number above 2⁵³ is rounded the same way natively and in the browser).

// What only the JS API reads and writes (its arguments, the types it returns).
#[cfg(any(test, all(target_arch = "wasm32", feature = "js")))]
pub(crate) mod input;
pub(crate) mod read;
#[cfg(any(test, all(target_arch = "wasm32", feature = "js")))]
mod shapes;
#[cfg(test)]
mod tests;
mod tree;

use tree::Node;

/// A parsed JSON document, whose strings borrow the text they were parsed from.
pub(crate) struct Doc<'t>(Node<'t>);

impl<'t> Doc<'t> {
    /// Parses `text` (UTF-8 JSON). The error says what was wrong and where, without the text.
    pub(crate) fn parse(text: &'t [u8]) -> Result<Doc<'t>, String> {
        tree::parse(text).map(Doc)
    }

    /// The document's top value.
    pub(crate) fn root(&self) -> Json<'_> {
        Json(&self.0)
    }
}

/// One value in a [`Doc`].
#[derive(Clone, Copy)]
pub(crate) struct Json<'a>(&'a Node<'a>);

/// What kind of value a [`Json`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    /// "a string", "an object", …: for messages that say what was found.
    pub(crate) fn described(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

impl<'a> Json<'a> {
    pub(crate) fn kind(&self) -> Kind {
        match self.0 {
            Node::Null => Kind::Null,
            Node::Bool(_) => Kind::Bool,
            Node::Number(_) => Kind::Number,
            Node::String(_) => Kind::String,
            Node::Array(_) => Kind::Array,
            Node::Object(_) => Kind::Object,
        }
    }

    /// `self[key]`, `null` included.
    fn field(&self, key: &str) -> Option<&'a Node<'a>> {
        match self.0 {
            Node::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// `self[key]` when `self` is an object that has `key` with a value other than `null`.
    pub(crate) fn get(&self, key: &'static str) -> Option<Json<'a>> {
        self.field(key)
            .filter(|v| !matches!(v, Node::Null))
            .map(Json)
    }

    /// The first of `keys` that [`get`](Self::get) finds: one field spelled several ways.
    pub(crate) fn any(&self, keys: &[&'static str]) -> Option<Json<'a>> {
        keys.iter().find_map(|key| self.get(key))
    }

    /// Whether `self` is an object with `key` at all (even `null`).
    #[cfg(any(test, all(target_arch = "wasm32", feature = "js")))]
    pub(crate) fn has(&self, key: &'static str) -> bool {
        self.field(key).is_some()
    }

    pub(crate) fn string(&self) -> Option<String> {
        match self.0 {
            Node::String(s) => Some(s.as_ref().to_owned()),
            _ => None,
        }
    }

    pub(crate) fn number(&self) -> Option<f64> {
        match self.0 {
            Node::Number(n) => Some(tree::number(n)),
            _ => None,
        }
    }

    pub(crate) fn boolean(&self) -> Option<bool> {
        match self.0 {
            Node::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub(crate) fn is_object(&self) -> bool {
        matches!(self.0, Node::Object(_))
    }

    /// The elements, when `self` is an array.
    pub(crate) fn items(&self) -> Option<Vec<Json<'a>>> {
        match self.0 {
            Node::Array(items) => Some(items.iter().map(Json).collect()),
            _ => None,
        }
    }

    /// The keys, in the text's order, when `self` is an object.
    pub(crate) fn keys(&self) -> Option<Vec<String>> {
        self.entries()
            .map(|entries| entries.into_iter().map(|(key, _)| key).collect())
    }

    /// The fields, in the text's order, when `self` is an object: for an object keyed by
    /// what only the answer knows (groups by id, results by person). `null` values are kept.
    pub(crate) fn entries(&self) -> Option<Vec<(String, Json<'a>)>> {
        match self.0 {
            Node::Object(fields) => Some(
                fields
                    .iter()
                    .map(|(k, v)| (k.as_ref().to_owned(), Json(v)))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// `self` written back as compact JSON text.
    pub(crate) fn text(&self) -> String {
        tree::text(self.0)
    }

    /// A whole number in `T`'s range, from a JSON number or a numeric string; anything
    /// else (negative, fractional, too big, another type) is `None`. Providers spell the
    /// same count or status either way, and one odd value must not fail a whole answer.
    pub(crate) fn whole<T: TryFrom<u64>>(&self) -> Option<T> {
        let n = match self.number() {
            Some(n) => whole_f64(n)?,
            None => self.string()?.trim().parse().ok()?,
        };
        T::try_from(n).ok()
    }

    /// A string that is not blank; anything else is `None`.
    pub(crate) fn text_value(&self) -> Option<String> {
        self.string().filter(|s| !s.trim().is_empty())
    }

    /// An id spelled as a string or as a whole number (a phone number, a message id),
    /// as text. A fraction is no id.
    pub(crate) fn id_text(&self) -> Option<String> {
        match self.number() {
            Some(n) if n.fract() == 0.0 && n.is_finite() => {
                if n >= 0.0 {
                    whole_f64(n).map(|v| Out::integer_text(v, false))
                } else {
                    whole_f64(-n).map(|v| Out::integer_text(v, true))
                }
            }
            Some(_) => None,
            None => self.text_value(),
        }
    }
}

/// `n` as a `u64` when it is a whole number in range.
pub(crate) fn whole_f64(n: f64) -> Option<u64> {
    // 2^64 is exactly representable; anything at or above it does not fit.
    let whole =
        n.is_finite() && n.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&n);
    whole.then_some(n as u64)
}

/// JSON text being written: values, and objects whose fields are added in order.
///
/// ```ignore
/// let mut out = Out::new();
/// out.object(|o| {
///     o.field("subject", "Team");
///     o.field_opt("description", None::<&str>);
/// });
/// assert_eq!(out.finish(), r#"{"subject":"Team"}"#);
/// ```
#[derive(Default)]
pub(crate) struct Out(String);

/// A value [`Out`] can write.
pub(crate) trait ToJson {
    fn write_json(&self, out: &mut Out);

    /// `self` as JSON text.
    #[cfg(any(test, all(target_arch = "wasm32", feature = "js")))]
    fn to_json(&self) -> String {
        let mut out = Out::new();
        self.write_json(&mut out);
        out.finish()
    }
}

impl Out {
    pub(crate) fn new() -> Out {
        Out::default()
    }

    pub(crate) fn finish(self) -> String {
        self.0
    }

    /// Text that is already JSON.
    pub(crate) fn raw(&mut self, json: &str) {
        self.0.push_str(json);
    }

    pub(crate) fn null(&mut self) {
        self.0.push_str("null");
    }

    pub(crate) fn string(&mut self, s: &str) {
        // As serde_json escapes: quote, backslash and control characters only.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let out = &mut self.0;
        out.reserve(s.len() + 2);
        out.push('"');
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            let escape = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => continue,
            };
            out.push_str(&s[start..i]);
            if escape.is_empty() {
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            } else {
                out.push_str(escape);
            }
            start = i + 1;
        }
        out.push_str(&s[start..]);
        out.push('"');
    }

    pub(crate) fn bool(&mut self, b: bool) {
        self.0.push_str(if b { "true" } else { "false" });
    }

    /// A whole number, written without `core::fmt`.
    pub(crate) fn unsigned(&mut self, n: u64) {
        self.0.push_str(itoa::Buffer::new().format(n));
    }

    pub(crate) fn signed(&mut self, n: i64) {
        self.0.push_str(itoa::Buffer::new().format(n));
    }

    fn integer_text(n: u64, negative: bool) -> String {
        let mut buffer = itoa::Buffer::new();
        let digits = buffer.format(n);
        let mut text = String::with_capacity(digits.len() + 1);
        if negative && n != 0 {
            text.push('-');
        }
        text.push_str(digits);
        text
    }

    /// An array of `items`, each written by `write`.
    pub(crate) fn array<I: IntoIterator>(
        &mut self,
        items: I,
        mut write: impl FnMut(&mut Out, I::Item),
    ) {
        self.0.push('[');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            write(self, item);
        }
        self.0.push(']');
    }

    /// An object whose fields `fields` adds.
    pub(crate) fn object(&mut self, fields: impl FnOnce(&mut Fields<'_>)) {
        self.0.push('{');
        let mut f = Fields {
            out: self,
            first: true,
        };
        fields(&mut f);
        self.0.push('}');
    }
}

/// The fields of an object [`Out::object`] is writing.
pub(crate) struct Fields<'o> {
    out: &'o mut Out,
    first: bool,
}

impl Fields<'_> {
    /// Starts the field `name` and hands back the writer for its value.
    pub(crate) fn name(&mut self, name: &str) -> &mut Out {
        if !self.first {
            self.out.0.push(',');
        }
        self.first = false;
        self.out.string(name);
        self.out.0.push(':');
        self.out
    }

    pub(crate) fn field<T: ToJson + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        value.write_json(self.name(name));
        self
    }

    /// The field, or nothing at all when `value` is `None` (serde's `skip_serializing_if`).
    pub(crate) fn field_opt<T: ToJson + ?Sized>(
        &mut self,
        name: &str,
        value: Option<&T>,
    ) -> &mut Self {
        if let Some(value) = value {
            self.field(name, value);
        }
        self
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut Out) {
        out.string(self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut Out) {
        out.string(self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut Out) {
        out.bool(*self);
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut Out) {
                out.unsigned(*self as u64);
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, usize);

impl ToJson for i64 {
    fn write_json(&self, out: &mut Out) {
        out.signed(*self);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut Out) {
        match self {
            Some(value) => value.write_json(out),
            None => out.null(),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut Out) {
        out.array(self, |out, item| item.write_json(out));
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut Out) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut Out) {
        (**self).write_json(out);
    }
}

/// `ToJson` for a struct, written as serde's derive (and so tsify's TypeScript) spells it:
/// the fields in order; `#[opt]` ones left out when `None`, `#[nonempty]` ones when empty.
#[cfg(any(test, all(target_arch = "wasm32", feature = "js")))]
macro_rules! to_json_object {
    ($ty:ty { $($(#[$skip:ident])? $field:ident: $name:literal),+ $(,)? }) => {
        impl $crate::json::ToJson for $ty {
            fn write_json(&self, out: &mut $crate::json::Out) {
                out.object(|o| {
                    $($crate::json::to_json_object!(@field o, self.$field, $name $(, $skip)?);)+
                });
            }
        }
    };
    (@field $o:ident, $value:expr, $name:literal) => {
        $o.field($name, &$value);
    };
    (@field $o:ident, $value:expr, $name:literal, opt) => {
        $o.field_opt($name, $value.as_ref());
    };
    (@field $o:ident, $value:expr, $name:literal, nonempty) => {
        if !$value.is_empty() {
            $o.field($name, &$value);
        }
    };
}
#[cfg(any(test, all(target_arch = "wasm32", feature = "js")))]
pub(crate) use to_json_object;

/// `ToJson` for a unit enum written as a string.
#[cfg(any(test, all(target_arch = "wasm32", feature = "js")))]
macro_rules! to_json_enum {
    ($ty:ty { $($variant:ident = $name:literal),+ $(,)? }) => {
        impl $crate::json::ToJson for $ty {
            fn write_json(&self, out: &mut $crate::json::Out) {
                out.string(match self {
                    $(<$ty>::$variant => $name,)+
                });
            }
        }
    };
}
#[cfg(any(test, all(target_arch = "wasm32", feature = "js")))]
pub(crate) use to_json_enum;
