//! The connections the gateway serves: from the flags (one, named `default`) or from a TOML
//! file (several). Secrets are read from the environment only, at start.

use std::collections::BTreeSet;
use std::path::Path;

use hyper::Uri;
use serde::Deserialize;

/// Which provider API a connection speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Waha,
    Wavy,
    Evolution,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Waha => "waha",
            Provider::Wavy => "wavy",
            Provider::Evolution => "evolution",
        }
    }

    pub fn parse(raw: &str) -> Result<Provider, String> {
        match raw {
            "waha" => Ok(Provider::Waha),
            "wavy" => Ok(Provider::Wavy),
            "evolution" => Ok(Provider::Evolution),
            other => Err(format!(
                "unknown provider `{other}` (waha, wavy or evolution)"
            )),
        }
    }
}

/// A connection's upstream credentials. `Debug` never shows them.
#[derive(Clone)]
pub enum Credentials {
    Waha {
        api_key: String,
    },
    Wavy {
        user_name: String,
        token: String,
    },
    /// Evolution API: the server's global key or the instance's token, sent as `apikey`.
    Evolution {
        api_key: String,
    },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(<redacted>)")
    }
}

impl Credentials {
    /// The header names and values the upstream is called with.
    pub fn headers(&self) -> Vec<(&'static str, &str)> {
        match self {
            Credentials::Waha { api_key } => vec![("x-api-key", api_key.as_str())],
            Credentials::Wavy { user_name, token } => vec![
                ("username", user_name.as_str()),
                ("authenticationtoken", token.as_str()),
            ],
            Credentials::Evolution { api_key } => vec![("apikey", api_key.as_str())],
        }
    }

    /// Every secret value, for redaction.
    pub fn secrets(&self) -> Vec<&str> {
        self.headers().into_iter().map(|(_, v)| v).collect()
    }
}

/// The upstream's fixed origin and base path, e.g. `http://127.0.0.1:3000` + ``.
#[derive(Debug, Clone)]
pub struct Upstream {
    pub scheme: String,
    pub authority: String,
    /// Without a trailing `/`; empty for the root.
    pub base_path: String,
}

impl Upstream {
    pub fn parse(raw: &str) -> Result<Upstream, String> {
        let uri: Uri = raw
            .parse()
            .map_err(|_| format!("upstream `{raw}` is not a URL"))?;
        let scheme = match uri.scheme_str() {
            Some(s @ ("http" | "https")) => s.to_owned(),
            _ => {
                return Err(format!(
                    "upstream `{raw}` must start with http:// or https://"
                ));
            }
        };
        let authority = uri
            .authority()
            .ok_or_else(|| format!("upstream `{raw}` names no host"))?;
        if authority.as_str().contains('@') {
            return Err(format!("upstream `{raw}` must not carry credentials"));
        }
        if uri.query().is_some() {
            return Err(format!("upstream `{raw}` must not have a query"));
        }
        Ok(Upstream {
            scheme,
            authority: authority.as_str().to_owned(),
            base_path: uri.path().trim_end_matches('/').to_owned(),
        })
    }
}

/// One provider account the gateway stands in front of. `Debug` shows no secret.
#[derive(Clone)]
pub struct Connection {
    pub name: String,
    pub provider: Provider,
    pub upstream: Upstream,
    /// The WAHA session, or the Evolution API instance (`None` for Wavy).
    pub session: Option<String>,
    pub credentials: Credentials,
    /// WAHA's webhook HMAC secret, or Wavy's or Evolution's webhook URL token.
    pub webhook_secret: Option<String>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("name", &self.name)
            .field("provider", &self.provider)
            .field("upstream", &self.upstream)
            .field("session", &self.session)
            .field("credentials", &self.credentials)
            .field(
                "webhook_secret",
                &self.webhook_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl Connection {
    /// The WAHA session or Evolution instance as the core puts it in a path
    /// (percent-encoded).
    pub fn session_segment(&self) -> Option<String> {
        self.session
            .as_deref()
            .and_then(|s| wa_groups::http::path_segment("session", s).ok())
    }
}

/// Reads an environment variable that must hold a secret.
fn secret(env: &dyn Fn(&str) -> Option<String>, var: &str, what: &str) -> Result<String, String> {
    match env(var) {
        Some(value) if !value.trim().is_empty() => Ok(value),
        _ => Err(format!(
            "{what}: the environment variable {var} is not set (secrets come only from the environment)"
        )),
    }
}

fn optional(env: &dyn Fn(&str) -> Option<String>, var: &str) -> Option<String> {
    env(var).filter(|v| !v.trim().is_empty())
}

/// Flag mode: one connection named `default`, secrets from `WAHA_API_KEY`,
/// `WAVY_USER_NAME` + `WAVY_AUTH_TOKEN`, or `EVOLUTION_API_KEY` (webhook secrets, optional:
/// `WAHA_WEBHOOK_SECRET`, `WAVY_WEBHOOK_TOKEN`, `EVOLUTION_WEBHOOK_TOKEN`). `session` is
/// WAHA's session or Evolution's instance (default `default` for both).
pub fn from_flags(
    provider: Provider,
    upstream: &str,
    session: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Connection>, String> {
    let upstream = Upstream::parse(upstream)?;
    let what = "connection `default`";
    let (credentials, session, webhook_secret) = match provider {
        Provider::Waha => (
            Credentials::Waha {
                api_key: secret(env, "WAHA_API_KEY", what)?,
            },
            Some(session.unwrap_or("default").to_owned()),
            optional(env, "WAHA_WEBHOOK_SECRET"),
        ),
        Provider::Wavy => {
            if session.is_some() {
                return Err("--session is for WAHA and Evolution only".into());
            }
            (
                Credentials::Wavy {
                    user_name: secret(env, "WAVY_USER_NAME", what)?,
                    token: secret(env, "WAVY_AUTH_TOKEN", what)?,
                },
                None,
                optional(env, "WAVY_WEBHOOK_TOKEN"),
            )
        }
        Provider::Evolution => (
            Credentials::Evolution {
                api_key: secret(env, "EVOLUTION_API_KEY", what)?,
            },
            Some(session.unwrap_or("default").to_owned()),
            optional(env, "EVOLUTION_WEBHOOK_TOKEN"),
        ),
    };
    let connection = Connection {
        name: "default".into(),
        provider,
        upstream,
        session,
        credentials,
        webhook_secret,
    };
    check_session(&connection)?;
    Ok(vec![connection])
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(rename = "connection", default)]
    connections: Vec<FileConnection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConnection {
    name: String,
    provider: Provider,
    upstream: String,
    /// WAHA's session or Evolution's instance (`instance` is accepted for Evolution).
    #[serde(alias = "instance")]
    session: Option<String>,
    /// WAHA, Evolution: the variable holding the API key.
    api_key_env: Option<String>,
    /// Wavy: the variables holding the user name and the token.
    user_name_env: Option<String>,
    auth_token_env: Option<String>,
    /// WAHA's webhook secret / Wavy's or Evolution's webhook URL token.
    webhook_secret_env: Option<String>,
}

/// `--config FILE`: `[[connection]]` tables, each naming the environment variables that hold
/// its secrets (see the README).
pub fn from_file(
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Connection>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the config file {}: {e}", path.display()))?;
    let file: FileConfig =
        toml::from_str(&text).map_err(|e| format!("config file {}: {e}", path.display()))?;
    if file.connections.is_empty() {
        return Err(format!("config file {}: no [[connection]]", path.display()));
    }
    let mut names = BTreeSet::new();
    let mut out = Vec::new();
    for c in file.connections {
        let what = format!("connection `{}`", c.name);
        let valid_name = !c.name.is_empty()
            && c.name.len() <= 64
            && c.name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid_name {
            return Err(format!("{what}: a name is 1-64 of A-Z a-z 0-9 - _"));
        }
        if !names.insert(c.name.clone()) {
            return Err(format!("{what} is named twice"));
        }
        let need = |field: &Option<String>, key: &str| {
            field.clone().ok_or_else(|| {
                format!("{what}: `{key}` (the environment variable's name) is required")
            })
        };
        let credentials = match c.provider {
            Provider::Waha => Credentials::Waha {
                api_key: secret(env, &need(&c.api_key_env, "api_key_env")?, &what)?,
            },
            Provider::Wavy => Credentials::Wavy {
                user_name: secret(env, &need(&c.user_name_env, "user_name_env")?, &what)?,
                token: secret(env, &need(&c.auth_token_env, "auth_token_env")?, &what)?,
            },
            Provider::Evolution => Credentials::Evolution {
                api_key: secret(env, &need(&c.api_key_env, "api_key_env")?, &what)?,
            },
        };
        let session = match c.provider {
            Provider::Waha | Provider::Evolution => {
                Some(c.session.unwrap_or_else(|| "default".into()))
            }
            Provider::Wavy if c.session.is_some() => {
                return Err(format!("{what}: `session` is for WAHA and Evolution only"));
            }
            Provider::Wavy => None,
        };
        let webhook_secret = match &c.webhook_secret_env {
            Some(var) => Some(secret(env, var, &what)?),
            None => None,
        };
        let connection = Connection {
            upstream: Upstream::parse(&c.upstream).map_err(|e| format!("{what}: {e}"))?,
            name: c.name,
            provider: c.provider,
            session,
            credentials,
            webhook_secret,
        };
        check_session(&connection)?;
        out.push(connection);
    }
    Ok(out)
}

fn check_session(connection: &Connection) -> Result<(), String> {
    if let Some(session) = &connection.session {
        wa_groups::http::path_segment("session", session)
            .map_err(|e| format!("connection `{}`: {e}", connection.name))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_keeps_origin_and_base_path() {
        let u = Upstream::parse("https://waha.example:8443/base/").unwrap();
        assert_eq!(u.scheme, "https");
        assert_eq!(u.authority, "waha.example:8443");
        assert_eq!(u.base_path, "/base");
        assert!(Upstream::parse("ftp://x").is_err());
        assert!(Upstream::parse("http://user:pw@x").is_err());
        assert!(Upstream::parse("http://x/?a=b").is_err());
    }

    #[test]
    fn a_missing_secret_names_its_variable() {
        let err = from_flags(Provider::Wavy, "http://x", None, &|_| None).unwrap_err();
        assert!(err.contains("WAVY_USER_NAME"), "{err}");
        let err = from_flags(Provider::Waha, "http://x", None, &|_| None).unwrap_err();
        assert!(err.contains("WAHA_API_KEY"), "{err}");
        let err = from_flags(Provider::Evolution, "http://x", None, &|_| None).unwrap_err();
        assert!(err.contains("EVOLUTION_API_KEY"), "{err}");
    }

    #[test]
    fn an_evolution_connection_takes_its_key_and_instance() {
        let env = |v: &str| match v {
            "EVOLUTION_API_KEY" => Some("evo-key".to_owned()),
            "EVOLUTION_WEBHOOK_TOKEN" => Some("evo-token".to_owned()),
            _ => None,
        };
        let c = from_flags(Provider::Evolution, "http://x", Some("sales"), &env).unwrap();
        assert_eq!(c[0].session.as_deref(), Some("sales"));
        assert_eq!(c[0].credentials.headers(), vec![("apikey", "evo-key")]);
        assert_eq!(c[0].webhook_secret.as_deref(), Some("evo-token"));
        assert!(from_flags(Provider::Evolution, "http://x", Some("a/b"), &env).is_err());

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        let write = |text: &str| std::fs::write(&path, text).unwrap();
        write(
            "[[connection]]\nname = \"evo\"\nprovider = \"evolution\"\nupstream = \"https://evo.example\"\ninstance = \"sales\"\napi_key_env = \"EVOLUTION_API_KEY\"\n",
        );
        let c = from_file(&path, &env).unwrap();
        assert_eq!(c[0].provider, Provider::Evolution);
        assert_eq!(c[0].session.as_deref(), Some("sales"));
        assert_eq!(c[0].credentials.secrets(), vec!["evo-key"]);
        write(
            "[[connection]]\nname = \"evo\"\nprovider = \"evolution\"\nupstream = \"https://evo.example\"\n",
        );
        let err = from_file(&path, &env).unwrap_err();
        assert!(err.contains("api_key_env"), "{err}");
    }

    #[test]
    fn a_config_file_reads_secrets_from_the_named_variables() {
        let dir = std::env::temp_dir().join(format!("gw-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.toml");
        std::fs::write(
            &path,
            r#"
[[connection]]
name = "main"
provider = "waha"
upstream = "http://127.0.0.1:3000"
session = "s1"
api_key_env = "K1"
webhook_secret_env = "H"

[[connection]]
name = "wavy"
provider = "wavy"
upstream = "https://api-messaging.wavy.global"
user_name_env = "U"
auth_token_env = "T"
"#,
        )
        .unwrap();
        let env = |v: &str| match v {
            "K1" => Some("k".to_owned()),
            "U" => Some("u".to_owned()),
            "T" => Some("t".to_owned()),
            "H" => Some("hook-secret".to_owned()),
            _ => None,
        };
        let connections = from_file(&path, &env).unwrap();
        assert_eq!(connections.len(), 2);
        assert_eq!(connections[0].session.as_deref(), Some("s1"));
        assert_eq!(connections[1].credentials.secrets(), vec!["u", "t"]);
        let shown = format!("{connections:?}");
        assert!(
            !shown.contains("\"k\"") && !shown.contains("\"t\""),
            "{shown}"
        );
        assert!(!shown.contains("hook-secret"), "{shown}");
        assert_eq!(
            connections[0].webhook_secret.as_deref(),
            Some("hook-secret")
        );
        let err = from_file(&path, &|_| None).unwrap_err();
        assert!(err.contains("K1"), "{err}");
    }
}
