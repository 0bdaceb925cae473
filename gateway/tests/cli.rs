//! The binary as an operator runs it: users from the command line, clear errors at start,
//! the listening line, and no secret in anything it prints.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};

use axum::http::StatusCode;
use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_wa-groups-gateway");

fn gateway_command(data: &std::path::Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .env_remove("WAHA_API_KEY")
        .env_remove("WAVY_USER_NAME")
        .env_remove("WAVY_AUTH_TOKEN")
        .env_remove("EVOLUTION_API_KEY")
        .env_remove("EVOLUTION_WEBHOOK_TOKEN")
        .arg("--data")
        .arg(data);
    command
}

/// Runs `user …` with `stdin`; the exit status, stdout and stderr.
fn user(data: &std::path::Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = gateway_command(data)
        .arg("user")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A started gateway process; killed when dropped.
struct Running {
    child: Child,
    base: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    /// Stops it; everything it printed.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut all = String::new();
        if let Some(mut out) = self.child.stdout.take() {
            out.read_to_string(&mut all).unwrap();
        }
        if let Some(mut err) = self.child.stderr.take() {
            err.read_to_string(&mut all).unwrap();
        }
        all
    }
}

fn start(mut command: Command) -> Running {
    let mut child = command
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    let base = line
        .strip_prefix("wa-groups-gateway listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .trim_end()
        .to_owned();
    assert!(
        base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"),
        "{base}"
    );
    child.stdout = Some(stdout.into_inner());
    Running { child, base }
}

#[test]
fn users_are_added_listed_and_removed_from_the_command_line() {
    let data = tempfile::tempdir().unwrap();
    let (ok, out, _) = user(
        data.path(),
        &["add", "ana", "--role", "admin"],
        "a long password\n",
    );
    assert!(ok);
    assert_eq!(out, "added ana (admin)\n");
    let (ok, _, _) = user(
        data.path(),
        &["add", "vic", "--role", "viewer"],
        "another password",
    );
    assert!(ok);
    let (ok, _, err) = user(
        data.path(),
        &["add", "ana", "--role", "viewer"],
        "a long password",
    );
    assert!(!ok && err.contains("already exists"), "{err}");
    let (ok, _, err) = user(data.path(), &["add", "bob", "--role", "admin"], "short\n");
    assert!(!ok && err.contains("at least 8"), "{err}");
    let (_, out, _) = user(data.path(), &["list"], "");
    assert_eq!(out, "ana\tadmin\nvic\tviewer\n");
    let (ok, _, _) = user(data.path(), &["remove", "vic"], "");
    assert!(ok);
    let (ok, _, err) = user(data.path(), &["remove", "vic"], "");
    assert!(!ok && err.contains("no user"), "{err}");
    let (_, out, _) = user(data.path(), &["list"], "");
    assert_eq!(out, "ana\tadmin\n");
}

#[test]
fn start_refuses_clearly_without_a_secret_a_usable_data_dir_or_a_user() {
    let data = tempfile::tempdir().unwrap();
    let run = |command: &mut Command| {
        let out = command.stdin(Stdio::null()).output().unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = run(gateway_command(data.path()).args([
        "--provider",
        "waha",
        "--upstream",
        "http://127.0.0.1:9",
    ]));
    assert!(err.contains("WAHA_API_KEY"), "{err}");
    let err = run(gateway_command(data.path()).args([
        "--provider",
        "wavy",
        "--upstream",
        "http://127.0.0.1:9",
    ]));
    assert!(err.contains("WAVY_USER_NAME"), "{err}");

    let err = run(gateway_command(data.path())
        .env("WAHA_API_KEY", WAHA_KEY)
        .args(["--provider", "waha", "--upstream", "http://127.0.0.1:9"]));
    assert!(
        err.contains("wa-groups-gateway user add admin --role admin"),
        "{err}"
    );
    assert_no_secret(&err);

    let file = data.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let err = run(Command::new(BIN)
        .env("WAHA_API_KEY", WAHA_KEY)
        .args([
            "--provider",
            "waha",
            "--upstream",
            "http://127.0.0.1:9",
            "--data",
        ])
        .arg(&file));
    assert!(err.contains("data dir"), "{err}");
}

#[tokio::test]
async fn it_prints_the_listening_line_serves_a_config_file_and_logs_no_secret() {
    let data = tempfile::tempdir().unwrap();
    assert!(
        user(
            data.path(),
            &["add", "ana", "--role", "admin"],
            "a long password"
        )
        .0
    );
    // Nothing listens at the upstreams: every forward fails, and its error is printed.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let config = data.path().join("gateway.toml");
    std::fs::write(
        &config,
        format!(
            "[[connection]]\nname = \"main\"\nprovider = \"waha\"\nupstream = \"http://{dead}\"\nsession = \"s1\"\napi_key_env = \"MAIN_KEY\"\n\n\
             [[connection]]\nname = \"wavy\"\nprovider = \"wavy\"\nupstream = \"http://{dead}\"\nuser_name_env = \"WU\"\nauth_token_env = \"WT\"\n"
        ),
    )
    .unwrap();
    let mut command = gateway_command(data.path());
    command
        .env("MAIN_KEY", WAHA_KEY)
        .env("WU", WAVY_USER)
        .env("WT", WAVY_TOKEN)
        .arg("--config")
        .arg(&config);
    let running = start(command);
    let cookie = login(&running.base, "ana", "a long password").await;
    let me = get(
        &format!("{}/_gateway/me", running.base),
        &[("cookie", &cookie)],
    )
    .await
    .json();
    assert_eq!(
        me["connections"][0],
        serde_json::json!({"name": "main", "provider": "waha", "session": "s1"})
    );
    assert_eq!(me["connections"][1]["name"], "wavy");
    for path in ["/c/main/api/s1/groups", "/c/wavy/v1/whatsapp/groups"] {
        let reply = get(&format!("{}{path}", running.base), &[("cookie", &cookie)]).await;
        assert_eq!(reply.status, StatusCode::BAD_GATEWAY);
        assert_no_secret(&reply.everything());
    }
    let printed = running.stop();
    assert!(
        printed.contains("could not be reached"),
        "the failures were logged: {printed}"
    );
    assert_no_secret(&printed);
}

#[tokio::test]
async fn an_evolution_instance_is_served_from_the_flags_with_its_key_from_the_environment() {
    let data = tempfile::tempdir().unwrap();
    let sandbox = sandbox().await;
    let flags = [
        "--provider",
        "evolution",
        "--upstream",
        sandbox.base.as_str(),
        "--instance",
        "sales",
    ];
    let out = gateway_command(data.path())
        .args(flags)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("EVOLUTION_API_KEY"),
        "{err}"
    );
    assert!(
        user(
            data.path(),
            &["add", "ana", "--role", "admin"],
            "a long password"
        )
        .0
    );
    let mut command = gateway_command(data.path());
    command.env("EVOLUTION_API_KEY", EVOLUTION_KEY).args(flags);
    let running = start(command);
    let cookie = login(&running.base, "ana", "a long password").await;
    let me = get(
        &format!("{}/_gateway/me", running.base),
        &[("cookie", &cookie)],
    )
    .await
    .json();
    assert_eq!(
        me["connections"],
        serde_json::json!([{"name": "default", "provider": "evolution", "session": "sales"}])
    );
    let reply = get(
        &format!(
            "{}/c/default/group/fetchAllGroups/sales?getParticipants=false",
            running.base
        ),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_no_secret(&running.stop());
}
