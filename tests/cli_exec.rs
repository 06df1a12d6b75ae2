//! `ecsdeck exec` and `ecsdeck port-forward` against the emulator, with the emulator's
//! session-manager-plugin: the preflight alone (`--check`: 0 ready, 1 with each ✖ and its
//! fix), a command run through the plugin exactly as the AWS CLI starts it and journalled
//! without its token, the change policy's refusal (exit 3), a forward carrying bytes, and
//! the arguments each refuses.

use crate::support;

use std::io::{Read, Write};
use std::process::{Output, Stdio};
use support::Emulator;
use support::exec_seed::{emulator_sessions, plugin_starts, seed_exec};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(emulator: &Emulator, args: &[&str]) -> Output {
    emulator
        .ecsdeck(args)
        .stdin(Stdio::null())
        .output()
        .expect("run ecsdeck")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_says_ready_or_lists_what_is_missing_with_each_fix() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let seeded = seed_exec(&emulator, dir.path()).await;
    let plugin = seeded.plugin.display().to_string();
    let ready = run(
        &emulator,
        &[
            "exec",
            "--cluster",
            "prod",
            "--task",
            &seeded.exec_task,
            "--check",
            "--plugin",
            &plugin,
        ],
    );
    let stdout = text(&ready.stdout);
    assert_eq!(
        ready.status.code(),
        Some(0),
        "{stdout}{}",
        text(&ready.stderr)
    );
    assert!(stdout.contains("✔ Exec enabled on the task"), "{stdout}");
    assert!(
        stdout.contains("✔ Task role allows ssmmessages"),
        "{stdout}"
    );
    assert!(
        stdout.contains("✔ session-manager-plugin installed: 1.2.650.0"),
        "{stdout}"
    );

    let missing = run(
        &emulator,
        &[
            "exec",
            "--cluster",
            "prod",
            "--task",
            &seeded.plain_task,
            "--check",
            "--plugin",
            "/nonexistent/smp",
        ],
    );
    let stdout = text(&missing.stdout);
    assert_eq!(missing.status.code(), Some(1), "{stdout}");
    assert!(
        stdout
            .contains("✖ Exec enabled on the task: the task was run without enableExecuteCommand"),
        "{stdout}"
    );
    assert!(
        stdout.contains("fix: Run a new task with --enable-execute-command"),
        "{stdout}"
    );
    assert!(
        stdout.contains("✖ session-manager-plugin installed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("docs.aws.amazon.com/systems-manager"),
        "{stdout}"
    );
    assert!(
        text(&missing.stderr).contains("not ready"),
        "{}",
        text(&missing.stderr)
    );
    assert!(
        emulator_sessions(&emulator).is_empty(),
        "a check opens nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_runs_the_command_through_the_plugin_and_journals_it_without_the_token() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let seeded = seed_exec(&emulator, dir.path()).await;
    let plugin = seeded.plugin.display().to_string();
    // The connection flags come first: everything after `--` is the command.
    let out = emulator
        .ecsdeck(&[
            "exec",
            "--cluster",
            "prod",
            "--task",
            &seeded.exec_task,
            "--container",
            "web",
            "--plugin",
            &plugin,
        ])
        .args(["--", "ls", "-la"])
        .stdin(Stdio::null())
        .output()
        .expect("run ecsdeck");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("aws ecs execute-command"),
        "{}",
        text(&out.stderr)
    );
    let sessions = emulator_sessions(&emulator);
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0]["command"], "ls -la");
    let starts = plugin_starts(&seeded.plugin_log);
    assert_eq!(starts.len(), 1);
    assert_eq!(starts[0]["tokenViaEnv"], true);
    assert_eq!(starts[0]["tokenInArgs"], false);
    assert_eq!(starts[0]["args"][2], "StartSession");
    let journal = std::fs::read_to_string(emulator.cli_journal_path()).expect("the journal");
    assert!(journal.contains("ExecuteCommand"), "{journal}");
    assert!(journal.contains("open `ls -la` in prod"), "{journal}");
    let token = std::fs::read_to_string(&seeded.tokens).expect("the plugin got a token");
    for token in token.lines() {
        assert!(
            !journal.contains(token),
            "the journal holds the session token"
        );
        assert!(!text(&out.stdout).contains(token) && !text(&out.stderr).contains(token));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_refuses_exec_and_forwarding_with_exit_code_3() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let seeded = seed_exec(&emulator, dir.path()).await;
    let plugin = seeded.plugin.display().to_string();
    let exec = run(
        &emulator,
        &[
            "exec",
            "--cluster",
            "prod",
            "--task",
            &seeded.exec_task,
            "--plugin",
            &plugin,
            "--read-only",
        ],
    );
    assert_eq!(exec.status.code(), Some(3), "{}", text(&exec.stderr));
    assert!(text(&exec.stderr).contains("read-only: --read-only was given"));
    let forward = run(
        &emulator,
        &[
            "port-forward",
            "--cluster",
            "prod",
            "--task",
            &seeded.exec_task,
            "--remote-port",
            "80",
            "--plugin",
            &plugin,
            "--read-only",
        ],
    );
    assert_eq!(forward.status.code(), Some(3), "{}", text(&forward.stderr));
    assert!(emulator_sessions(&emulator).is_empty(), "nothing opened");
    assert!(plugin_starts(&seeded.plugin_log).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn port_forward_carries_bytes_to_a_remote_host_and_ends_the_session() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let seeded = seed_exec(&emulator, dir.path()).await;
    let plugin = seeded.plugin.display().to_string();
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
        .to_string();
    let child = emulator
        .ecsdeck(&[
            "port-forward",
            "--cluster",
            "prod",
            "--task",
            &seeded.exec_task,
            "--remote-port",
            "5432",
            "--host",
            "db.internal",
            "--local-port",
            &port,
            "--plugin",
            &plugin,
        ])
        .env("ECSDECK_PLUGIN_EXIT_AFTER", "6")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ecsdeck");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut stream = loop {
        match std::net::TcpStream::connect(("127.0.0.1", port.parse::<u16>().expect("port"))) {
            Ok(stream) => break stream,
            Err(_) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(e) => panic!("the forward never listened: {e}"),
        }
    };
    stream.write_all(b"select 1").expect("write");
    let mut echoed = [0u8; 8];
    stream.read_exact(&mut echoed).expect("the echo");
    assert_eq!(&echoed, b"select 1");
    drop(stream);
    let out = child.wait_with_output().expect("ecsdeck ends");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&format!("Forwarding 127.0.0.1:{port} → db.internal:5432")));
    let start = plugin_starts(&seeded.plugin_log)
        .pop()
        .expect("a plugin start");
    assert_eq!(
        start["parameters"]["DocumentName"],
        "AWS-StartPortForwardingSessionToRemoteHost"
    );
    assert_eq!(
        start["parameters"]["Parameters"]["localPortNumber"][0],
        port.as_str()
    );
    let sessions = emulator_sessions(&emulator);
    assert!(
        sessions
            .iter()
            .any(|s| s["kind"] == "port-forward" && s["terminated"] == true),
        "{sessions:?}"
    );
}

/// `--hold` (the app's terminal window): a failed exec waits for Enter before it ends, so
/// the window stays until its error is read.
fn held_until_enter(emulator: &Emulator) {
    let args = [
        "exec",
        "--hold",
        "--cluster",
        "prod",
        "--task",
        "0123456789abcdef",
    ];
    let mut child = emulator
        .ecsdeck(&args)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("run ecsdeck");
    let mut stderr = child.stderr.take().expect("stderr");
    let mut said = Vec::new();
    let mut chunk = [0u8; 256];
    while !text(&said).contains("Press Enter to close this window") {
        let n = stderr.read(&mut chunk).expect("read stderr");
        assert!(n > 0, "ended without holding: {}", text(&said));
        said.extend_from_slice(&chunk[..n]);
    }
    assert!(
        text(&said).contains("DescribeTasks failed"),
        "{}",
        text(&said)
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        child.try_wait().expect("poll").is_none(),
        "the window closed before Enter"
    );
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"\n")
        .expect("press Enter");
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_arguments_are_refused_before_anything_is_opened() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let seeded = seed_exec(&emulator, dir.path()).await;
    let no_port = run(
        &emulator,
        &[
            "port-forward",
            "--cluster",
            "prod",
            "--task",
            &seeded.exec_task,
        ],
    );
    assert_eq!(no_port.status.code(), Some(2));
    assert!(
        text(&no_port.stderr).contains("--remote-port"),
        "{}",
        text(&no_port.stderr)
    );
    let bad_port = run(
        &emulator,
        &[
            "port-forward",
            "--cluster",
            "prod",
            "--task",
            &seeded.exec_task,
            "--remote-port",
            "70000",
        ],
    );
    assert_eq!(
        bad_port.status.code(),
        Some(2),
        "{}",
        text(&bad_port.stderr)
    );
    let no_task = run(
        &emulator,
        &[
            "exec",
            "--cluster",
            "prod",
            "--task",
            "0123456789abcdef",
            "--check",
        ],
    );
    assert_eq!(no_task.status.code(), Some(1));
    assert!(
        text(&no_task.stderr).contains("DescribeTasks failed"),
        "{}",
        text(&no_task.stderr)
    );
    assert!(!text(&no_task.stderr).contains("Press Enter"));
    held_until_enter(&emulator);
    let wrong = run(
        &emulator,
        &[
            "exec",
            "--cluster",
            "prod",
            "--task",
            &seeded.exec_task,
            "--container",
            "sidecar",
            "--check",
        ],
    );
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        text(&wrong.stdout).contains("the task has no container sidecar"),
        "{}",
        text(&wrong.stdout)
    );
    assert!(emulator_sessions(&emulator).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_plugin_gets_the_session_on_its_command_line_as_it_needs() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let seeded = seed_exec(&emulator, dir.path()).await;
    let plugin = seeded.plugin.display().to_string();
    let out = emulator
        .ecsdeck(&[
            "exec",
            "--cluster",
            "prod",
            "--task",
            &seeded.exec_task,
            "--plugin",
            &plugin,
        ])
        .env("ECSDECK_PLUGIN_VERSION", "1.2.463.0")
        .stdin(Stdio::null())
        .output()
        .expect("run ecsdeck");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let start = plugin_starts(&seeded.plugin_log)
        .pop()
        .expect("a plugin start");
    assert_eq!(start["tokenViaEnv"], false);
    assert_eq!(
        start["tokenInArgs"], true,
        "1.2.463.0 reads the session from its arguments"
    );
}
