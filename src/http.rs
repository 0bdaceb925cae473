//! Plain HTTP values exchanged between the sans-IO providers and a transport. No I/O here.

use std::fmt;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::error::{Error, Result};

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// The method's name on the wire.
    ///
    /// ```
    /// use wa_groups::http::Method;
    /// assert_eq!(Method::Delete.as_str(), "DELETE");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A request body.
#[derive(Clone, PartialEq)]
pub enum Body {
    /// A JSON document, already serialised.
    Json(String),
    /// Raw bytes with their content type (an icon upload, say).
    Bytes {
        /// The `Content-Type` to send.
        content_type: String,
        /// The bytes.
        data: Vec<u8>,
    },
}

impl Body {
    /// Serialises `value` as a JSON body.
    ///
    /// ```
    /// use wa_groups::http::Body;
    /// let body = Body::json(&["5511988880000@c.us"]);
    /// assert_eq!(body, Body::Json(r#"["5511988880000@c.us"]"#.into()));
    /// ```
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Body {
        // Serialising our own request types cannot fail: they hold only strings, numbers,
        // booleans, sequences and string-keyed maps.
        Body::Json(serde_json::to_string(value).expect("request bodies serialise"))
    }

    /// The `Content-Type` this body is sent with.
    ///
    /// ```
    /// use wa_groups::http::Body;
    /// assert_eq!(Body::json(&1).content_type(), "application/json");
    /// let png = Body::Bytes { content_type: "image/png".into(), data: vec![0x89] };
    /// assert_eq!(png.content_type(), "image/png");
    /// ```
    pub fn content_type(&self) -> &str {
        match self {
            Body::Json(_) => "application/json",
            Body::Bytes { content_type, .. } => content_type,
        }
    }

    /// The bytes sent on the wire.
    ///
    /// ```
    /// use wa_groups::http::Body;
    /// assert_eq!(Body::json(&[1, 2]).as_bytes(), b"[1,2]");
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Body::Json(text) => text.as_bytes(),
            Body::Bytes { data, .. } => data,
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Json(text) => f.debug_tuple("Json").field(text).finish(),
            Body::Bytes { content_type, data } => f
                .debug_struct("Bytes")
                .field("content_type", content_type)
                .field("len", &data.len())
                .finish(),
        }
    }
}

/// Header names whose values are credentials; their values never appear in `Debug` output.
const SECRET_HEADERS: &[&str] = &["x-api-key", "authenticationtoken", "authorization"];

/// A request a provider wants sent, relative to the client's base URL.
#[derive(Clone, PartialEq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The path, starting with `/`, every dynamic segment already percent-encoded.
    pub path: String,
    /// Query parameters, not yet encoded.
    pub query: Vec<(&'static str, String)>,
    /// Request headers (the body's `Content-Type` is added by the transport).
    pub headers: Vec<(&'static str, String)>,
    /// The body, if any.
    pub body: Option<Body>,
}

impl HttpRequest {
    /// A request with no query, headers or body.
    ///
    /// ```
    /// use wa_groups::http::{HttpRequest, Method};
    /// let request = HttpRequest::new(Method::Get, "/api/default/groups");
    /// assert!(request.query.is_empty() && request.headers.is_empty() && request.body.is_none());
    /// ```
    pub fn new(method: Method, path: impl Into<String>) -> HttpRequest {
        HttpRequest {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Adds a header.
    ///
    /// ```
    /// use wa_groups::http::{HttpRequest, Method};
    /// let request = HttpRequest::new(Method::Get, "/api/sessions").header("X-Api-Key", "s3cret");
    /// assert_eq!(request.headers, [("X-Api-Key", "s3cret".to_owned())]);
    /// // Credentials never show in `Debug` output.
    /// assert!(!format!("{request:?}").contains("s3cret"));
    /// ```
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> HttpRequest {
        self.headers.push((name, value.into()));
        self
    }

    /// Adds a query parameter.
    ///
    /// ```
    /// use wa_groups::http::{HttpRequest, Method};
    /// let request = HttpRequest::new(Method::Get, "/api/default/groups").query("limit", "10");
    /// assert_eq!(request.url("http://127.0.0.1:3000"), "http://127.0.0.1:3000/api/default/groups?limit=10");
    /// ```
    pub fn query(mut self, name: &'static str, value: impl Into<String>) -> HttpRequest {
        self.query.push((name, value.into()));
        self
    }

    /// Sets a JSON body.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use wa_groups::http::{HttpRequest, Method};
    /// let body = BTreeMap::from([("subject", "Team")]);
    /// let request = HttpRequest::new(Method::Put, "/api/default/groups/1@g.us/subject").json(&body);
    /// assert_eq!(request.body.unwrap().as_bytes(), br#"{"subject":"Team"}"#);
    /// ```
    pub fn json<T: serde::Serialize + ?Sized>(mut self, body: &T) -> HttpRequest {
        self.body = Some(Body::json(body));
        self
    }

    /// The full URL of this request under `base_url` (which has no trailing slash).
    ///
    /// ```
    /// use wa_groups::http::{HttpRequest, Method};
    /// let request = HttpRequest::new(Method::Get, "/api/default/groups/join-info")
    ///     .query("code", "https://chat.whatsapp.com/AbC");
    /// assert_eq!(
    ///     request.url("http://127.0.0.1:3000"),
    ///     "http://127.0.0.1:3000/api/default/groups/join-info?code=https%3A%2F%2Fchat.whatsapp.com%2FAbC"
    /// );
    /// ```
    pub fn url(&self, base_url: &str) -> String {
        let mut url = String::with_capacity(base_url.len() + self.path.len() + 16);
        url.push_str(base_url);
        url.push_str(&self.path);
        for (i, (name, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.extend(utf8_percent_encode(name, QUERY_COMPONENT));
            url.push('=');
            url.extend(utf8_percent_encode(value, QUERY_COMPONENT));
        }
        url
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a [(&'static str, String)]);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut map = f.debug_map();
                for (name, value) in self.0 {
                    if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                        map.entry(name, &"<redacted>");
                    } else {
                        map.entry(name, value);
                    }
                }
                map.finish()
            }
        }
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &Headers(&self.headers))
            .field("body", &self.body)
            .finish()
    }
}

/// A response as the transport received it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// Response headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with a status and a body and no headers.
    ///
    /// ```
    /// use wa_groups::http::HttpResponse;
    /// let response = HttpResponse::new(200, "[]");
    /// assert!(response.is_success() && response.headers.is_empty());
    /// ```
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> HttpResponse {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// The first value of a header (`name` in lower case).
    ///
    /// ```
    /// use wa_groups::http::HttpResponse;
    /// let mut response = HttpResponse::new(429, "");
    /// response.headers.push(("retry-after".into(), "2".into()));
    /// assert_eq!(response.header("retry-after"), Some("2"));
    /// assert_eq!(response.header("date"), None);
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the status is 2xx.
    ///
    /// ```
    /// use wa_groups::http::HttpResponse;
    /// assert!(HttpResponse::new(204, "").is_success());
    /// assert!(!HttpResponse::new(404, "").is_success());
    /// ```
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// How long `Retry-After` asks to wait, in milliseconds: seconds, or an HTTP date taken
    /// relative to the response's own `Date` header (so the two clocks agree).
    ///
    /// ```
    /// use wa_groups::http::HttpResponse;
    /// let mut response = HttpResponse::new(429, "");
    /// response.headers.push(("retry-after".into(), "2".into()));
    /// assert_eq!(response.retry_after_ms(), Some(2_000));
    /// ```
    pub fn retry_after_ms(&self) -> Option<u64> {
        let now = self.header("date").and_then(parse_http_date_ms);
        parse_retry_after(self.header("retry-after")?, now)
    }

    /// The body as a short message for an error: its trimmed text (at most 200 characters),
    /// or `HTTP <status>` when it is empty.
    ///
    /// ```
    /// use wa_groups::http::HttpResponse;
    /// assert_eq!(HttpResponse::new(400, " bad subject\n").text_excerpt(), "bad subject");
    /// assert_eq!(HttpResponse::new(502, "").text_excerpt(), "HTTP 502");
    /// ```
    pub fn text_excerpt(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let text = text.trim();
        if text.is_empty() {
            format!("HTTP {}", self.status)
        } else {
            text.chars().take(200).collect()
        }
    }

    /// The body decoded as JSON into `T`, or a [`Error::Decode`] naming what was expected.
    ///
    /// ```
    /// use wa_groups::http::HttpResponse;
    /// let ids: Vec<String> = HttpResponse::new(200, r#"["1@g.us"]"#).json("group ids")?;
    /// assert_eq!(ids, ["1@g.us"]);
    /// let err = HttpResponse::new(200, "<html>").json::<Vec<String>>("group ids").unwrap_err();
    /// assert_eq!(err.code(), wa_groups::ErrorCode::Decode);
    /// # Ok::<(), wa_groups::Error>(())
    /// ```
    pub fn json<'a, T: serde::Deserialize<'a>>(&'a self, what: &str) -> Result<T> {
        serde_json::from_slice(&self.body)
            .map_err(|e| Error::Decode(format!("{what}: {e} (status {})", self.status)))
    }
}

/// Reads a `Retry-After` value — seconds, or an HTTP date — as milliseconds from `now`
/// (an HTTP date, in Unix milliseconds; take the response's own `Date` header so the two
/// clocks agree). A date in the past is 0; anything unreadable is `None`.
///
/// ```
/// use wa_groups::http::{parse_http_date_ms, parse_retry_after};
/// assert_eq!(parse_retry_after("2", None), Some(2_000));
/// let now = parse_http_date_ms("Wed, 21 Oct 2015 07:28:00 GMT");
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), Some(30_000));
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now_unix_ms: Option<u64>) -> Option<u64> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds.saturating_mul(1000));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let at_ms = at.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis() as u64;
    Some(at_ms.saturating_sub(now_unix_ms?))
}

/// The Unix milliseconds of an HTTP date (a response's `Date` header).
///
/// ```
/// use wa_groups::http::parse_http_date_ms;
/// assert_eq!(parse_http_date_ms("Thu, 01 Jan 1970 00:00:01 GMT"), Some(1_000));
/// assert_eq!(parse_http_date_ms("yesterday"), None);
/// ```
pub fn parse_http_date_ms(value: &str) -> Option<u64> {
    let at = httpdate::parse_http_date(value.trim()).ok()?;
    Some(at.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis() as u64)
}

/// What a path segment must escape: everything but RFC 3986 unreserved characters and `@`
/// (which is legal in a segment and how WhatsApp ids are spelled).
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'$')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*')
    .add(b'+')
    .add(b',')
    .add(b'/')
    .add(b':')
    .add(b';')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// What a query name or value must escape.
const QUERY_COMPONENT: &AsciiSet = &PATH_SEGMENT.add(b'@').add(b'!');

/// Percent-encodes one path segment, rejecting the values that would change the path's shape.
///
/// `field` names the argument in the error (`groupId`, `session`, …).
///
/// ```
/// use wa_groups::http::path_segment;
/// assert_eq!(path_segment("session", "my session")?, "my%20session");
/// assert_eq!(path_segment("groupId", "120363@g.us")?, "120363@g.us");
/// assert!(path_segment("groupId", "../admin").is_err());
/// # Ok::<(), wa_groups::Error>(())
/// ```
pub fn path_segment(field: &str, value: &str) -> Result<String> {
    if value.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if value == "." || value == ".." {
        return Err(Error::invalid(field, "must not be `.` or `..`"));
    }
    if let Some(c) = value.chars().find(|c| matches!(c, '/' | '?' | '#' | '\\')) {
        return Err(Error::invalid(field, format!("must not contain `{c}`")));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, "must not contain control characters"));
    }
    Ok(utf8_percent_encode(value, PATH_SEGMENT).to_string())
}

/// The I/O edge of a [`crate::Client`]: sends an [`HttpRequest`] and returns the
/// [`HttpResponse`], and provides the clock and the randomness the retry policy needs, so
/// that everything else stays pure.
///
/// The crate ships one for wasm (`FetchTransport`, over the global `fetch`); tests use
/// in-memory ones. A transport reports only network-level failures (and timeouts) as
/// errors; every status, 4xx and 5xx included, is a response for the provider to interpret —
/// except a redirect, which `FetchTransport` refuses to follow and reports as an error.
///
/// An in-memory transport, and a client over it:
///
/// ```
/// use wa_groups::http::{HttpRequest, HttpResponse, Transport};
/// use wa_groups::{Client, Result, provider::waha::Waha};
///
/// /// Answers every request with an empty group list, at once.
/// struct NoGroups;
///
/// impl Transport for NoGroups {
///     async fn send(&self, _base_url: &str, _request: HttpRequest) -> Result<HttpResponse> {
///         Ok(HttpResponse::new(200, "[]"))
///     }
///     async fn sleep(&self, _ms: u64) -> Result<()> {
///         Ok(())
///     }
///     fn random(&self) -> f64 {
///         0.5
///     }
///     fn now_ms(&self) -> f64 {
///         0.0
///     }
/// }
///
/// let client = Client::new(Waha::new("default", "my-api-key")?, NoGroups, "http://127.0.0.1:3000")?;
/// let groups = pollster::block_on(client.list_groups(&Default::default()))?;
/// assert!(groups.is_empty());
/// # Ok::<(), wa_groups::Error>(())
/// ```
#[allow(async_fn_in_trait)] // futures from `fetch` are not `Send`; callers are single-threaded.
pub trait Transport {
    /// Sends `request` to `base_url` + its path and returns the response.
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(transport: T) -> wa_groups::Result<()> {
    /// use wa_groups::http::{HttpRequest, Method};
    /// let request = HttpRequest::new(Method::Get, "/api/sessions");
    /// let response = transport.send("http://127.0.0.1:3000", request).await?;
    /// println!("HTTP {}", response.status);
    /// # Ok(()) }
    /// ```
    async fn send(&self, base_url: &str, request: HttpRequest) -> Result<HttpResponse>;

    /// Waits `ms` milliseconds (between retries); an abort ends the wait with
    /// [`Error::Aborted`].
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(transport: T) -> wa_groups::Result<()> {
    /// transport.sleep(500).await?;
    /// # Ok(()) }
    /// ```
    async fn sleep(&self, ms: u64) -> Result<()>;

    /// A uniform random number in `[0, 1)` (for backoff jitter).
    ///
    /// ```no_run
    /// # fn example<T: wa_groups::http::Transport>(transport: T) {
    /// let jitter = transport.random();
    /// assert!((0.0..1.0).contains(&jitter));
    /// # }
    /// ```
    fn random(&self) -> f64;

    /// A clock in milliseconds, only ever compared with itself (for pacing bulk jobs).
    ///
    /// ```no_run
    /// # async fn example<T: wa_groups::http::Transport>(transport: T) -> wa_groups::Result<()> {
    /// let started = transport.now_ms();
    /// transport.sleep(100).await?;
    /// println!("waited {} ms", transport.now_ms() - started);
    /// # Ok(()) }
    /// ```
    fn now_ms(&self) -> f64;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_joins_base_path_and_encoded_query() {
        let req = HttpRequest::new(Method::Get, "/api/default/groups")
            .query("limit", "10")
            .query("code", "https://chat.whatsapp.com/AbC");
        assert_eq!(
            req.url("http://127.0.0.1:3000"),
            "http://127.0.0.1:3000/api/default/groups?limit=10&code=https%3A%2F%2Fchat.whatsapp.com%2FAbC"
        );
    }

    #[test]
    fn path_segment_keeps_at_and_escapes_the_rest() {
        assert_eq!(
            path_segment("groupId", "120363@g.us").unwrap(),
            "120363@g.us"
        );
        assert_eq!(
            path_segment("session", "my session").unwrap(),
            "my%20session"
        );
        assert_eq!(path_segment("session", "a%b").unwrap(), "a%25b");
    }

    #[test]
    fn path_segment_rejects_shape_changing_values() {
        for hostile in ["", ".", "..", "a/b", "a?b", "a#b", "a\\b", "a\nb"] {
            let err = path_segment("groupId", hostile).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput { field, .. } if field == "groupId"),
                "{hostile:?} gave {err:?}"
            );
        }
    }

    #[test]
    fn debug_output_never_shows_credentials() {
        let req = HttpRequest::new(Method::Get, "/x")
            .header("X-Api-Key", "super-secret")
            .header("authenticationToken", "other-secret");
        let shown = format!("{req:?}");
        assert!(!shown.contains("super-secret"), "{shown}");
        assert!(!shown.contains("other-secret"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(parse_retry_after("1", None), Some(1_000));
        assert_eq!(parse_retry_after(" 120 ", None), Some(120_000));
        let now = parse_http_date_ms("Sun, 22 Nov 2026 02:00:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after("Sun, 22 Nov 2026 02:00:03 GMT", Some(now)),
            Some(3_000)
        );
        assert_eq!(
            parse_retry_after("Sun, 22 Nov 2026 01:59:00 GMT", Some(now)),
            Some(0),
            "a past date: now"
        );
        assert_eq!(
            parse_retry_after("Sun, 22 Nov 2026 02:00:03 GMT", None),
            None,
            "a date needs a now"
        );
        for junk in ["", "soon", "-1", "1.5", "Sun, 99 Nov 2026 02:00:03 GMT"] {
            assert_eq!(parse_retry_after(junk, Some(now)), None, "{junk:?}");
        }
    }
}
