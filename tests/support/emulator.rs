//! Spawns `tests/support/aws_emulator.py` (moto + the CloudWatch CBOR bridge) on a free port
//! and kills it on drop. It also exits by itself when the test process dies (stdin closes).

use ecsdeck::aws::ProfileSource;
use ecsdeck::model::Connection;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Static keys the emulator accepts; not secrets.
pub const TEST_KEY_ID: &str = "AKIDTESTTESTTEST";
/// Static secret the emulator accepts; not a secret.
pub const TEST_SECRET: &str = "test-secret";

/// A running emulator on 127.0.0.1.
pub struct Emulator {
    child: Child,
    _stdin: ChildStdin,
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    /// The port.
    pub port: u16,
    /// Holds the profile files of `profile_source`.
    pub dir: tempfile::TempDir,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("ECSDECK_TEST_PYTHON") {
        return python.into();
    }
    // A Windows venv keeps its interpreter in Scripts\.
    let venv = if cfg!(windows) {
        repo().join(".venv/Scripts/python.exe")
    } else {
        repo().join(".venv/bin/python")
    };
    assert!(
        venv.exists(),
        "no {}: run scripts/test (it creates the venv) or scripts/setup-venv",
        venv.display()
    );
    venv
}

impl Emulator {
    /// Starts a fresh emulator and waits until it listens; task state transitions are frozen
    /// so tasks stay in the state they were created in.
    pub fn start() -> Self {
        let mut child = Command::new(python())
            .arg(repo().join("tests/support/aws_emulator.py"))
            .args(["--host", "127.0.0.1", "--port", "0"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the emulator");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            // Keep draining so the child never blocks on a full pipe.
            for _ in lines {}
        });
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("emulator did not start in 60 s");
        let port: u16 = line
            .strip_prefix("READY ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("unexpected emulator output: {line}"));
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("config"), "[default]\nregion = us-east-1\n")
            .expect("config");
        std::fs::write(
            dir.path().join("credentials"),
            format!("[default]\naws_access_key_id = {TEST_KEY_ID}\naws_secret_access_key = {TEST_SECRET}\n"),
        )
        .expect("credentials");
        let emulator = Self {
            child,
            _stdin: stdin,
            endpoint: format!("http://127.0.0.1:{port}"),
            port,
            dir,
        };
        emulator.post(
            "/moto-api/state-manager/set-transition",
            r#"{"model_name":"ecs::task","transition":{"progression":"manual","times":1000000}}"#,
        );
        emulator
    }

    /// Profile files with a `[default]` profile holding static test keys.
    pub fn profile_source(&self) -> ProfileSource {
        ProfileSource::files(
            self.dir.path().join("config"),
            self.dir.path().join("credentials"),
        )
    }

    /// Replaces the `[default]` profile's keys (and session token) in the credentials file.
    pub fn set_credentials(&self, key_id: &str, secret: &str, session_token: &str) {
        std::fs::write(
            self.dir.path().join("credentials"),
            format!(
                "[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\naws_session_token = {session_token}\n"
            ),
        )
        .expect("credentials");
    }

    /// Replaces both profile files (a user re-configuring, or logging in again).
    pub fn write_profile_files(&self, config: &str, credentials: &str) {
        std::fs::write(self.dir.path().join("config"), config).expect("config");
        std::fs::write(self.dir.path().join("credentials"), credentials).expect("credentials");
    }

    /// Adds profiles to the config file (e.g. one whose credential_process fails).
    pub fn add_config(&self, text: &str) {
        let path = self.dir.path().join("config");
        let mut config = std::fs::read_to_string(&path).expect("read config");
        config.push_str(text);
        std::fs::write(path, config).expect("write config");
    }

    /// The default profile, us-east-1, this endpoint.
    pub fn connection(&self) -> Connection {
        Connection {
            profile: None,
            region: "us-east-1".into(),
            endpoint_url: Some(self.endpoint.clone()),
        }
    }

    /// An ECS client with static test keys and no retries (moto's HTML 500s fail fast).
    pub fn ecs_client(&self) -> aws_sdk_ecs::Client {
        self.ecs_client_at(&self.endpoint)
    }

    /// The same client for `endpoint` (the emulator or a proxy in front of it).
    pub fn ecs_client_at(&self, endpoint: &str) -> aws_sdk_ecs::Client {
        let config = aws_sdk_ecs::Config::builder()
            .behavior_version(aws_sdk_ecs::config::BehaviorVersion::latest())
            .region(aws_sdk_ecs::config::Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .credentials_provider(aws_sdk_ecs::config::Credentials::new(
                TEST_KEY_ID,
                TEST_SECRET,
                None,
                None,
                "test",
            ))
            .retry_config(aws_sdk_ecs::config::retry::RetryConfig::disabled())
            .build();
        aws_sdk_ecs::Client::from_conf(config)
    }

    /// A CloudWatch client with static test keys, no retries, and `interceptor` (e.g. a call
    /// counter).
    pub fn cloudwatch_client(
        &self,
        interceptor: impl aws_smithy_runtime_api::client::interceptors::Intercept + 'static,
    ) -> aws_sdk_cloudwatch::Client {
        let config = aws_sdk_cloudwatch::Config::builder()
            .behavior_version(aws_sdk_cloudwatch::config::BehaviorVersion::latest())
            .region(aws_sdk_cloudwatch::config::Region::new("us-east-1"))
            .endpoint_url(&self.endpoint)
            .credentials_provider(aws_sdk_cloudwatch::config::Credentials::new(
                TEST_KEY_ID,
                TEST_SECRET,
                None,
                None,
                "test",
            ))
            .retry_config(aws_sdk_cloudwatch::config::retry::RetryConfig::disabled())
            .interceptor(interceptor)
            .build();
        aws_sdk_cloudwatch::Client::from_conf(config)
    }

    /// A CloudWatch Logs client with static test keys and no retries.
    pub fn logs_client(&self) -> aws_sdk_cloudwatchlogs::Client {
        self.logs_client_at(&self.endpoint)
    }

    /// A CloudWatch Logs client for `endpoint` (the emulator or a proxy in front of it),
    /// which sends Live Tail there too, as the app's own client does.
    pub fn logs_client_at(&self, endpoint: &str) -> aws_sdk_cloudwatchlogs::Client {
        let config = aws_sdk_cloudwatchlogs::Config::builder()
            .behavior_version(aws_sdk_cloudwatchlogs::config::BehaviorVersion::latest())
            .region(aws_sdk_cloudwatchlogs::config::Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .interceptor(ecsdeck::aws::logs::live_tail::StripStreamHost)
            .credentials_provider(aws_sdk_cloudwatchlogs::config::Credentials::new(
                TEST_KEY_ID,
                TEST_SECRET,
                None,
                None,
                "test",
            ))
            .retry_config(aws_sdk_cloudwatchlogs::config::retry::RetryConfig::disabled())
            .build();
        aws_sdk_cloudwatchlogs::Client::from_conf(config)
    }

    /// Raw POST to the emulator's control API.
    pub fn post(&self, path: &str, body: &str) -> String {
        self.raw_post(path, "application/json", "", body)
    }

    /// GETs one of the emulator's control paths; the body of the answer.
    pub fn get(&self, path: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).expect("write");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        assert!(response.starts_with("HTTP/1.1 2"), "{path}: {response}");
        response
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_owned())
            .unwrap_or_default()
    }

    /// Starts an EC2 instance (EC2's Query API, so the tests need no EC2 SDK); returns its id.
    /// moto checks that a registered container instance's EC2 instance exists.
    pub fn run_ec2_instance(&self) -> String {
        let auth = format!(
            "Authorization: AWS4-HMAC-SHA256 Credential={TEST_KEY_ID}/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0\r\n"
        );
        let body = "Action=RunInstances&Version=2016-11-15&ImageId=ami-0d75e18107f482a72&MinCount=1&MaxCount=1&InstanceType=c5.xlarge";
        let response = self.raw_post("/", "application/x-www-form-urlencoded", &auth, body);
        let start = response
            .find("<instanceId>")
            .expect("instanceId in RunInstances reply")
            + "<instanceId>".len();
        let end = start + response[start..].find('<').expect("closing tag");
        response[start..end].to_owned()
    }

    fn raw_post(&self, path: &str, content_type: &str, extra_headers: &str, body: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n{extra_headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).expect("write");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        assert!(
            response.starts_with("HTTP/1.1 2") || response.starts_with("HTTP/1.0 2"),
            "{path}: {response}"
        );
        response
    }

    /// Environment for running the `ecsdeck` binary against this emulator.
    pub fn cli_env(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "AWS_CONFIG_FILE",
                self.dir.path().join("config").display().to_string(),
            ),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                self.dir.path().join("credentials").display().to_string(),
            ),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
            // The CLI reads saved settings and writes the journal: never the caller's own.
            ("HOME", self.home().display().to_string()),
            (
                "XDG_CONFIG_HOME",
                self.home().join(".config").display().to_string(),
            ),
            (
                "XDG_DATA_HOME",
                self.home().join(".local/share").display().to_string(),
            ),
        ]
    }

    /// `ecsdeck` pointed at this emulator (endpoint, region, [`Self::cli_env`]), with no
    /// profile or keys from the caller's environment; add the subcommand's arguments.
    pub fn ecsdeck(&self, args: &[&str]) -> std::process::Command {
        self.ecsdeck_at(&self.endpoint, args)
    }

    /// [`Self::ecsdeck`] with another endpoint (a proxy in front of the emulator).
    pub fn ecsdeck_at(&self, endpoint: &str, args: &[&str]) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ecsdeck"));
        command
            .args(args)
            .args(["--endpoint-url", endpoint, "--region", "us-east-1"])
            .envs(self.cli_env())
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_DEFAULT_PROFILE")
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY");
        command
    }

    /// The home directory the CLI runs with (its settings and journal live under it).
    pub fn home(&self) -> std::path::PathBuf {
        self.dir.path().join("home")
    }

    /// Where the CLI run with [`Self::cli_env`] reads its settings (Linux layout).
    pub fn cli_settings_path(&self) -> std::path::PathBuf {
        self.home().join(".config/ecsdeck/settings.json")
    }

    /// Where the CLI run with [`Self::cli_env`] writes its journal (Linux layout).
    pub fn cli_journal_path(&self) -> std::path::PathBuf {
        self.home().join(".local/share/ecsdeck/journal.jsonl")
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A local port with nothing listening (for dead-endpoint tests).
pub fn dead_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
