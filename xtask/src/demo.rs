//! `cargo xtask demo`: the panel served by the gateway, in front of a sandbox with demo
//! groups, through three connections (the WAHA session `default`, the Wavy account and the
//! Evolution API instance `default`), the
//! sandbox's webhooks pointed at the gateway, and a demo admin. Ctrl-C stops both servers
//! (the terminal sends SIGINT to the whole foreground process group; both shut down on it).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::process::{Server, exec};
use crate::root;
use crate::setup;
use crate::test::{build_panel, build_servers_release, release_binary};

/// The demo admin; the password is printed, it guards nothing but a loopback demo.
const USER: &str = "demo";
const PASSWORD: &str = "demo-password";
/// The sandbox's credentials (its defaults), which only the gateway holds.
const SANDBOX_KEY: &str = "sandbox";
/// Where the gateway listens unless `--port` says otherwise.
const DEFAULT_PORT: u16 = 3000;

pub fn run(args: &[String]) -> Result<(), String> {
    let port = match args {
        [] => DEFAULT_PORT,
        [flag, port] if flag == "--port" => port
            .parse()
            .map_err(|_| format!("--port {port}: not a port number"))?,
        _ => return Err("usage: cargo xtask demo [--port N]".into()),
    };
    setup::run_all()?;
    exec(&mut build_panel())?;
    build_servers_release()?;
    let gateway_bin = release_binary("wa-groups-gateway");
    let sandbox_bin = release_binary("wa-groups-sandbox");

    // The sandbox serves the panel too, for the direct mode (no gateway, no sign-in).
    let sandbox = Server::start(
        "wa-groups-sandbox",
        Command::new(&sandbox_bin).current_dir(root()).args([
            "--addr",
            "127.0.0.1:0",
            "--seed-demo",
            "--static",
            "dist",
        ]),
    )?;
    let data = root().join("target/demo");
    // A fresh data file each time: the demo admin is created anew, no old events linger.
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
    let config = data.join("gateway.toml");
    write(&config, &config_toml(&sandbox.url))?;
    let waha_secret = random_hex();
    let wavy_token = random_hex();
    let evolution_token = random_hex();
    let secrets = [
        ("DEMO_WAHA_API_KEY", SANDBOX_KEY.to_owned()),
        ("DEMO_WAHA_WEBHOOK_SECRET", waha_secret.clone()),
        ("DEMO_WAVY_USER_NAME", SANDBOX_KEY.to_owned()),
        ("DEMO_WAVY_AUTH_TOKEN", SANDBOX_KEY.to_owned()),
        ("DEMO_WAVY_WEBHOOK_TOKEN", wavy_token.clone()),
        ("DEMO_EVOLUTION_API_KEY", SANDBOX_KEY.to_owned()),
        ("DEMO_EVOLUTION_WEBHOOK_TOKEN", evolution_token.clone()),
    ];

    add_user(&gateway_bin, &data)?;
    let origin = format!("http://127.0.0.1:{port}");
    // The sandbox delivers each provider's events to its connection's hook URL.
    post_json(
        &format!("{}/_sandbox/webhook", sandbox.url),
        &format!(
            r#"{{"provider":"waha","url":"{origin}/_gateway/hooks/waha","secret":"{waha_secret}"}}"#
        ),
    )?;
    post_json(
        &format!("{}/_sandbox/webhook", sandbox.url),
        &format!(r#"{{"provider":"wavy","url":"{origin}/_gateway/hooks/wavy/{wavy_token}"}}"#),
    )?;
    post_json(
        &format!("{}/_sandbox/webhook", sandbox.url),
        &format!(
            r#"{{"provider":"evolution","url":"{origin}/_gateway/hooks/evolution/{evolution_token}"}}"#
        ),
    )?;
    let (book_club, link) = group_and_link(&sandbox.url, "Book club")?;

    let mut gateway = Command::new(&gateway_bin);
    gateway
        .current_dir(root())
        .arg("--config")
        .arg(&config)
        .arg("--data")
        .arg(&data)
        .args(["--addr", &format!("127.0.0.1:{port}"), "--static", "dist"])
        .envs(secrets.iter().map(|(k, v)| (k, v)));
    let gateway = Server::start("wa-groups-gateway", &mut gateway)
        .map_err(|e| format!("{e}; if port {port} is taken, try `cargo xtask demo --port N`"))?;

    eprintln!(
        "
The demo is running (Ctrl-C stops it).

  Open      {gateway}
  Sign in   user `{USER}`, password `{PASSWORD}`
            connections: `waha` (WAHA session `default`), `wavy` (the Wavy account)
            and `evolution` (Evolution API instance `default`)

  A member joins \"Book club\" (WAHA); it appears live on the Events page:
    curl -X POST {sandbox}/_sandbox/join -H 'content-type: application/json' -d '{{\"link\":\"{link}\",\"phone\":\"5511999990001\"}}'
  (another phone number for the next join). A member writes there:
    curl -X POST {sandbox}/_sandbox/message -H 'content-type: application/json' -d '{{\"groupId\":\"{book_club}\",\"phone\":\"5511988880004\",\"text\":\"hello\"}}'

  Direct mode (no gateway): open {sandbox} and connect with API key `{SANDBOX_KEY}`, session `default`
            (or Wavy: user name and token `{SANDBOX_KEY}`).
  Data: {data} (gateway.db: users, sessions, events, audit)
",
        gateway = gateway.url,
        sandbox = sandbox.url,
        data = data.display(),
    );
    // Runs until either server stops; dropping both then stops the other.
    let stopped = Server::wait_any(&mut [sandbox, gateway]);
    Err(format!("{stopped} stopped; the demo is over"))
}

/// The `--config` file: three connections to the sandbox, secrets named, not written.
fn config_toml(sandbox: &str) -> String {
    format!(
        r#"# Written by `cargo xtask demo`. Secrets are read from the environment variables named here.
[[connection]]
name = "waha"
provider = "waha"
upstream = "{sandbox}"
session = "default"
api_key_env = "DEMO_WAHA_API_KEY"
webhook_secret_env = "DEMO_WAHA_WEBHOOK_SECRET"

[[connection]]
name = "wavy"
provider = "wavy"
upstream = "{sandbox}"
user_name_env = "DEMO_WAVY_USER_NAME"
auth_token_env = "DEMO_WAVY_AUTH_TOKEN"
webhook_secret_env = "DEMO_WAVY_WEBHOOK_TOKEN"

[[connection]]
name = "evolution"
provider = "evolution"
upstream = "{sandbox}"
instance = "default"
api_key_env = "DEMO_EVOLUTION_API_KEY"
webhook_secret_env = "DEMO_EVOLUTION_WEBHOOK_TOKEN"
"#
    )
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `wa-groups-gateway user add demo --role admin`, the password on standard input.
fn add_user(gateway: &PathBuf, data: &Path) -> Result<(), String> {
    let mut child = Command::new(gateway)
        .args(["user", "add", USER, "--role", "admin", "--data"])
        .arg(data)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", gateway.display()))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .map_err(|e| format!("writing the password: {e}"))?;
    drop(stdin);
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`wa-groups-gateway user add {USER}` failed ({status})"
        ))
    }
}

/// 16 random bytes as hex, from the operating system.
fn random_hex() -> String {
    let mut bytes = [0u8; 16];
    if let Ok(mut random) = std::fs::File::open("/dev/urandom") {
        let _ = random.read_exact(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The id and invite link of the sandbox's WAHA group named `subject`.
fn group_and_link(sandbox: &str, subject: &str) -> Result<(String, String), String> {
    let groups = request(
        "GET",
        &format!("{sandbox}/api/default/groups"),
        &[("X-Api-Key", SANDBOX_KEY)],
        "",
    )?;
    let id = group_id_in(&groups, subject)
        .ok_or_else(|| format!("no group `{subject}` in the sandbox's list: {groups}"))?;
    let code = request(
        "GET",
        &format!("{sandbox}/api/default/groups/{id}/invite-code"),
        &[("X-Api-Key", SANDBOX_KEY)],
        "",
    )?;
    let code = code.trim().trim_matches('"');
    let link = if code.starts_with("https://") {
        code.to_owned()
    } else {
        format!("https://chat.whatsapp.com/{code}")
    };
    Ok((id.to_owned(), link))
}

/// The id of the group named `subject` in a WEBJS group list:
/// `"groupMetadata":{…,"id":{"_serialized":"…@g.us",…},"participants":[{"id":{"_serialized":
/// "…@c.us",…}…}…],…,"subject":"Book club"`: the nearest group id (the only ids ending in
/// `@g.us`) before the subject.
fn group_id_in(listing: &str, subject: &str) -> Option<String> {
    let at = listing.find(&format!(r#""subject":"{subject}""#))?;
    listing[..at]
        .rsplit(r#""_serialized":""#)
        .filter_map(|rest| rest.split('"').next())
        .find(|id| id.ends_with("@g.us"))
        .map(str::to_owned)
}

fn post_json(url: &str, body: &str) -> Result<String, String> {
    request("POST", url, &[("Content-Type", "application/json")], body)
}

/// One HTTP/1.1 request to a loopback server (`Connection: close`, so the answer ends at
/// EOF); the body of a 2xx answer, else an error with the status line and body.
fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<String, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: not http://"))?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let mut stream = TcpStream::connect(host).map_err(|e| format!("{url}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body.as_bytes()))
        .map_err(|e| format!("{url}: {e}"))?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| format!("{url}: {e}"))?;
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("{url}: no HTTP answer"))?;
    let status_line = head.lines().next().unwrap_or_default();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return Err(format!(
            "{url}: a chunked answer, which this client does not read"
        ));
    }
    let ok = status_line
        .split(' ')
        .nth(1)
        .is_some_and(|code| code.starts_with('2'));
    if ok {
        Ok(body.to_owned())
    } else {
        Err(format!("{method} {url}: {status_line}: {body}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_group_id_is_the_groups_not_a_members() {
        // As the sandbox lists WEBJS groups: each member's id comes between the group's id
        // and its subject.
        let listing = r#"[{"groupMetadata":{"id":{"_serialized":"1@g.us"},"participants":[{"id":{"_serialized":"5511988880001@c.us"}}],"subject":"Family"},"id":{"_serialized":"1@g.us"},"name":"Family"},{"groupMetadata":{"id":{"_serialized":"3@g.us","server":"g.us"},"participants":[{"id":{"_serialized":"5511900000000@c.us"}},{"id":{"_serialized":"5511988880004@c.us"}}],"subject":"Book club"},"id":{"_serialized":"3@g.us"},"name":"Book club"}]"#;
        assert_eq!(group_id_in(listing, "Book club").as_deref(), Some("3@g.us"));
        assert_eq!(group_id_in(listing, "Family").as_deref(), Some("1@g.us"));
        assert_eq!(group_id_in(listing, "Nope"), None);
    }
}
