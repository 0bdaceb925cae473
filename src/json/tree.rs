//! The parser: JSON text into a tree whose strings borrow the text wherever they have no
//! escape, in the `.wasm` and natively alike.
//!
//! Written here rather than taken from a crate because of what `cargo xtask bench` measured
//! (bench/findings.md): serde_json is 31 KB of brotli; reading the browser's `JSON.parse`
//! result across the boundary costs about a million calls for a 10,000-group listing;
//! json-event-parser, the small well-kept event parser, took 55 ms natively for the 9.8 MB
//! of such a listing before building anything, and 11 KB. This one is a few KB and parses
//! without calls into JS. `tests.rs` checks it against serde_json's verdict and values on
//! valid and broken texts, and the fuzz targets feed it every provider answer.
//!
//! Objects keep their keys in the text's order, as `JSON.parse` does; a repeated key keeps
//! its first place and takes its last value.

use std::borrow::Cow;
use std::collections::HashMap;

/// One parsed value.
#[derive(Debug, PartialEq)]
pub(super) enum Node<'a> {
    Null,
    Bool(bool),
    /// A number as written (JSON's grammar checked), read as an `f64` by [`number`].
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
}

/// Objects with more keys than this find a repeated key through a map while they are
/// built (a NOWEB group list is keyed by group id); smaller ones look back along the list.
/// A GOWS group has 26 keys: at 16, every one built a SipHash map, a quarter of the time
/// spent reading a GOWS listing (natively, 250 groups: 1.07 ms at 16, 0.78 ms at 32).
const SCAN: usize = 32;

/// Nesting deeper than this is refused: no provider answer comes near it, and a hostile
/// body must not exhaust the stack.
pub(super) const MAX_DEPTH: usize = 128;

/// Parses `bytes`, which must be one JSON value (surrounded by whitespace at most).
pub(super) fn parse(bytes: &[u8]) -> Result<Node<'_>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = position(bytes, e.valid_up_to());
        format!("invalid UTF-8 at line {line} column {column}")
    })?;
    let mut parser = Parser { text, at: 0 };
    let root = parser.value(0).map_err(|e| parser.error(e))?;
    parser.whitespace();
    if parser.at < text.len() {
        return Err(parser.error("trailing characters after the JSON value"));
    }
    Ok(root)
}

/// The line and column (from 1) of byte `at`.
fn position(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, column)
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

type Step<T> = Result<T, &'static str>;

impl<'a> Parser<'a> {
    fn error(&self, what: &str) -> String {
        let (line, column) = position(self.text.as_bytes(), self.at);
        format!("{what} at line {line} column {column}")
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn whitespace(&mut self) {
        let bytes = self.text.as_bytes();
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &str, node: Node<'a>) -> Step<Node<'a>> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(node)
        } else {
            Err("expected a value")
        }
    }

    fn value(&mut self, depth: usize) -> Step<Node<'a>> {
        self.whitespace();
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Node::String),
            Some(b't') => self.literal("true", Node::Bool(true)),
            Some(b'f') => self.literal("false", Node::Bool(false)),
            Some(b'n') => self.literal("null", Node::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(Node::Number),
            Some(_) => Err("expected a value"),
            None => Err("the text ends before the value does"),
        }
    }

    fn nested(depth: usize) -> Step<usize> {
        if depth + 1 >= MAX_DEPTH {
            Err("nested too deep")
        } else {
            Ok(depth + 1)
        }
    }

    fn array(&mut self, depth: usize) -> Step<Node<'a>> {
        let depth = Self::nested(depth)?;
        self.at += 1; // [
        let mut items = Vec::new();
        self.whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Node::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Node::Array(items));
                }
                _ => return Err("expected `,` or `]`"),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Step<Node<'a>> {
        let depth = Self::nested(depth)?;
        self.at += 1; // {
        let mut fields: Vec<(Cow<'a, str>, Node<'a>)> = Vec::new();
        let mut index: Option<HashMap<Cow<'a, str>, usize>> = None;
        self.whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Node::Object(fields));
        }
        loop {
            self.whitespace();
            if self.peek() != Some(b'"') {
                return Err("expected a key (a string)");
            }
            let key = self.string()?;
            self.whitespace();
            if self.peek() != Some(b':') {
                return Err("expected `:`");
            }
            self.at += 1;
            let value = self.value(depth)?;
            let seen = match &index {
                Some(index) => index.get(&key).copied(),
                None => fields.iter().position(|(k, _)| *k == key),
            };
            match seen {
                Some(at) => fields[at].1 = value,
                None => {
                    if let Some(index) = &mut index {
                        index.insert(key.clone(), fields.len());
                    }
                    fields.push((key, value));
                    if index.is_none() && fields.len() > SCAN {
                        index = Some(
                            fields
                                .iter()
                                .enumerate()
                                .map(|(i, (k, _))| (k.clone(), i))
                                .collect(),
                        );
                    }
                }
            }
            self.whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Node::Object(fields));
                }
                _ => return Err("expected `,` or `}`"),
            }
        }
    }

    /// A string, at its opening quote: borrowed when it has no escape.
    fn string(&mut self) -> Step<Cow<'a, str>> {
        self.at += 1; // "
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            let Some(&b) = bytes.get(self.at) else {
                return Err("the text ends inside a string");
            };
            match b {
                b'"' => {
                    let tail = &self.text[run..self.at];
                    self.at += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..self.at]);
                    self.at += 1;
                    let escape = bytes.get(self.at).copied();
                    self.at += 1;
                    match escape {
                        Some(b'"') => s.push('"'),
                        Some(b'\\') => s.push('\\'),
                        Some(b'/') => s.push('/'),
                        Some(b'b') => s.push('\u{8}'),
                        Some(b'f') => s.push('\u{c}'),
                        Some(b'n') => s.push('\n'),
                        Some(b'r') => s.push('\r'),
                        Some(b't') => s.push('\t'),
                        Some(b'u') => s.push(self.unicode_escape()?),
                        _ => return Err("invalid escape"),
                    }
                    run = self.at;
                }
                0..=0x1f => return Err("control character in a string"),
                _ => self.at += 1,
            }
        }
    }

    fn hex4(&mut self) -> Step<u32> {
        let digits = self
            .text
            .as_bytes()
            .get(self.at..self.at + 4)
            .ok_or("the text ends inside an escape")?;
        let mut n = 0;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err("invalid `\\u` escape"),
            };
            n = n * 16 + u32::from(v);
        }
        self.at += 4;
        Ok(n)
    }

    /// After `\u`: one character, or a surrogate pair. A lone surrogate, which `JSON.parse`
    /// keeps but no Rust string can hold, becomes U+FFFD rather than failing the answer.
    fn unicode_escape(&mut self) -> Step<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.text[self.at..].starts_with("\\u") {
            let save = self.at;
            self.at += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
            }
            self.at = save;
        }
        Ok(char::from_u32(first).unwrap_or('\u{fffd}'))
    }

    /// A number's text, its grammar checked.
    fn number(&mut self) -> Step<&'a str> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let digits = |p: &mut Self| {
            let from = p.at;
            while let Some(b'0'..=b'9') = bytes.get(p.at) {
                p.at += 1;
            }
            p.at - from
        };
        if bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let whole_start = self.at;
        let whole = digits(self);
        if whole == 0 || (whole > 1 && bytes[whole_start] == b'0') {
            return Err("invalid number");
        }
        if bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if digits(self) == 0 {
                return Err("invalid number");
            }
        }
        if let Some(b'e' | b'E') = bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = bytes.get(self.at) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err("invalid number");
            }
        }
        Ok(&self.text[start..self.at])
    }
}

/// `v` as compact JSON text, as `JSON.stringify` writes it.
pub(super) fn text(v: &Node<'_>) -> String {
    let mut out = super::Out::new();
    write(v, &mut out);
    out.finish()
}

fn write(v: &Node<'_>, out: &mut super::Out) {
    match v {
        Node::Null => out.null(),
        Node::Bool(b) => out.bool(*b),
        Node::Number(n) => out.raw(n),
        Node::String(s) => out.string(s),
        Node::Array(items) => out.array(items, |out, item| write(item, out)),
        Node::Object(fields) => out.object(|o| {
            for (key, value) in fields {
                write(value, o.name(key));
            }
        }),
    }
}

/// The value of a number's text (which [`parse`] checked): whole numbers that fit a `u64`
/// (ids, counts, timestamps) without the general float parser, whose result for them is
/// the same (`u64` to `f64` rounds to nearest, as decimal parsing does); too large is ±∞,
/// as `JSON.parse` gives.
pub(super) fn number(text: &str) -> f64 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.len() <= 19 && digits.bytes().all(|d| d.is_ascii_digit()) {
        let n = digits
            .bytes()
            .fold(0u64, |n, d| n * 10 + u64::from(d - b'0')) as f64;
        return if negative { -n } else { n };
    }
    text.parse().unwrap_or(f64::NAN)
}
