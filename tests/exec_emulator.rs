//! ECS Exec and port forwarding end to end: the real App and worker against the project's
//! emulator (ExecuteCommand, SSM sessions and the IAM simulation over moto's state,
//! tests/support/exec_sessions.py), with the emulator's session-manager-plugin on a real PTY
//! (tests/support/session_plugin.py), driven through egui_kittest: preflight, shell, typing,
//! resizing, exit and reconnect, then a port forward carrying bytes and stopped.

use crate::support;

use ecsdeck::App;
use ecsdeck::app::settings::Settings;
use ecsdeck::model::exec::sessions::SessionKind;
use ecsdeck::model::exec::terminal::{SessionState, SharedTerminal};
use ecsdeck::model::{Action, Route};
use ecsdeck::worker::Worker;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::io::{Read, Write};
use std::sync::Arc;
use support::Emulator;
use support::exec_seed::{ExecSeeded, emulator_sessions, plugin_starts, seed_exec};
use support::harness::wait_for;

fn app(emulator: &Emulator, plugin: &std::path::Path) -> Harness<'static, App> {
    app_with_hook(emulator, plugin, Arc::new(|_| {}))
}

/// The app with a worker that calls `hook` before each request.
fn app_with_hook(
    emulator: &Emulator,
    plugin: &std::path::Path,
    hook: ecsdeck::worker::RequestHook,
) -> Harness<'static, App> {
    let worker =
        Worker::spawn_with_hook(Arc::new(|| {}), emulator.profile_source(), hook).expect("worker");
    let mut settings = Settings {
        connection: emulator.connection(),
        ..Settings::default()
    };
    settings.policy.read_only_profiles = Vec::new();
    settings.policy.auto_refresh = false;
    settings.policy.session_manager_plugin = Some(plugin.display().to_string());
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |_cc| App::with_backend(settings, Box::new(worker)))
}

fn terminal(harness: &Harness<'_, App>) -> SharedTerminal {
    match &harness.state().model().sessions.list[0].kind {
        SessionKind::Exec { terminal, .. } => terminal.clone(),
        SessionKind::Forward { .. } => panic!("the first session is the shell"),
    }
}

fn lines(terminal: &SharedTerminal) -> Vec<String> {
    terminal
        .contents()
        .lines()
        .map(|l| l.trim_end().to_owned())
        .collect()
}

/// Types a line into the focused terminal and presses Enter.
fn type_line(harness: &mut Harness<'_, App>, text: &str) {
    harness
        .get_by_label_contains("Terminal prod")
        .type_text(text);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
}

fn confirm(harness: &mut Harness<'_, App>) {
    wait_for(harness, "the confirmation", |h| {
        h.query_by_label("Confirm change").is_some()
    });
    harness.get_by_label("Confirm change").click();
    harness.run_steps(2);
}

/// The exec task's `web` container, on its page with the preflight passed.
fn exec_page(harness: &mut Harness<'_, App>, seeded: &ExecSeeded) {
    harness.state_mut().apply(Action::Navigate(Route::Exec {
        target: ecsdeck::model::exec::ExecTarget {
            cluster: seeded.cluster.clone(),
            task: seeded.exec_task.clone(),
            container: "web".into(),
        },
        service: None,
    }));
    wait_for(harness, "a passing preflight", |h| {
        h.query_by_label("Ready: a session can start.").is_some()
    });
}

fn open_shell(harness: &mut Harness<'_, App>, seeded: &ExecSeeded) {
    harness.state_mut().apply(Action::Navigate(Route::Task {
        cluster: seeded.cluster.clone(),
        service: None,
        task: seeded.exec_task.clone(),
    }));
    wait_for(harness, "the task page", |h| {
        h.query_by_label("Exec…").is_some()
    });
    harness.get_by_label("Exec…").click();
    wait_for(harness, "a passing preflight", |h| {
        h.query_by_label("Ready: a session can start.").is_some()
    });
    harness.get_by_label("Open shell").click();
    harness.run_steps(2);
    confirm(harness);
    wait_for(harness, "the shell's prompt", |h| {
        h.query_all_by_label_contains("/app #").next().is_some()
    });
}

#[test]
fn a_shell_runs_in_a_terminal_tab_resizes_ends_and_reconnects() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let seeded = runtime.block_on(seed_exec(&emulator, dir.path()));
    let mut harness = app(&emulator, &seeded.plugin);
    open_shell(&mut harness, &seeded);
    harness.get_by_label_contains("Terminal prod").click();
    harness.run();
    type_line(&mut harness, "echo hello-from-the-test");
    let term = terminal(&harness);
    wait_for(&mut harness, "the echo's output", |_| {
        lines(&term).iter().any(|l| l == "hello-from-the-test")
    });

    // The terminal follows the window: the program sees the new size.
    harness.set_size(egui::vec2(1000.0, 640.0));
    harness.run_steps(3);
    let (rows, cols) = term.size();
    type_line(&mut harness, "size");
    wait_for(&mut harness, "the new size reported", |_| {
        lines(&term).iter().any(|l| *l == format!("{rows} {cols}"))
    });
    assert!(cols < 150, "narrower after the resize: {cols}");

    // exit: the session ends, says why, and offers Reconnect.
    type_line(&mut harness, "exit");
    wait_for(&mut harness, "the end of the session", |_| {
        matches!(term.state(), SessionState::Ended { .. })
    });
    wait_for(&mut harness, "Reconnect", |h| {
        h.query_by_label("Reconnect").is_some()
    });
    harness.get_by_label("session ended");
    harness.get_by_label("Reconnect").click();
    harness.run_steps(2);
    confirm(&mut harness);
    wait_for(&mut harness, "the second prompt", |_| {
        term.contents().contains("[reconnecting]")
            && matches!(term.state(), SessionState::Running { .. })
            && term.contents().matches("Starting session").count() == 2
    });
    assert_eq!(
        harness.state().model().sessions.list.len(),
        1,
        "the same tab"
    );

    // The plugin was started as the AWS CLI starts it, its token in the environment only.
    let starts = plugin_starts(&seeded.plugin_log);
    assert_eq!(starts.len(), 2, "{starts:?}");
    let task_id = seeded.exec_task.rsplit('/').next().expect("task id");
    for start in &starts {
        let args: Vec<&str> = start["args"]
            .as_array()
            .expect("args")
            .iter()
            .filter_map(|a| a.as_str())
            .collect();
        assert_eq!(args[0], "AWS_SSM_START_SESSION_RESPONSE", "{start}");
        assert_eq!(&args[1..4], ["us-east-1", "StartSession", ""], "{start}");
        assert_eq!(args[5], emulator.endpoint, "{start}");
        assert_eq!(start["tokenViaEnv"], true);
        assert_eq!(start["tokenInArgs"], false);
        assert_eq!(start["term"], "xterm-256color");
        let target = start["parameters"]["Target"].as_str().expect("target");
        assert!(
            target.starts_with(&format!("ecs:prod_{task_id}_{task_id}-")),
            "{target}"
        );
    }
    let sessions = emulator_sessions(&emulator);
    assert_eq!(sessions.len(), 2);
    assert!(
        sessions
            .iter()
            .all(|s| s["command"] == "/bin/sh" && s["container"] == "web")
    );

    // Closing the tab ends the session and terminates it in SSM.
    let id = harness.state().model().sessions.list[0].id;
    harness.state_mut().apply(Action::RemoveSession(id));
    harness.run();
    wait_for(&mut harness, "SSM TerminateSession", |_| {
        emulator_sessions(&emulator)
            .last()
            .is_some_and(|s| s["terminated"] == true)
    });
}

#[test]
fn a_port_forward_carries_bytes_counts_them_and_stops() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let seeded = runtime.block_on(seed_exec(&emulator, dir.path()));
    let mut harness = app(&emulator, &seeded.plugin);
    let local_port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    exec_page(&mut harness, &seeded);
    harness.state_mut().apply(Action::StartForward(Box::new(
        ecsdeck::model::exec::ForwardSpec {
            target: ecsdeck::model::exec::ExecTarget {
                cluster: seeded.cluster.clone(),
                task: seeded.exec_task.clone(),
                container: "web".into(),
            },
            service: None,
            remote_port: 5432,
            host: Some("db.internal".into()),
            local_port: Some(local_port),
        },
    )));
    confirm(&mut harness);
    let address = format!("127.0.0.1:{local_port}");
    wait_for(&mut harness, "the forward listening", |h| {
        h.query_by_label(&address).is_some()
    });
    // The relay waits for the plugin to listen: a connection made at once still gets through.
    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .expect("timeout");
    stream.write_all(b"ping-5432").expect("write");
    let mut echoed = [0u8; 9];
    stream.read_exact(&mut echoed).expect("the echo");
    assert_eq!(&echoed, b"ping-5432");
    wait_for(&mut harness, "the bytes counted", |h| {
        h.query_by_label("9 B / 9 B").is_some()
    });
    let start = plugin_starts(&seeded.plugin_log)
        .pop()
        .expect("a plugin start");
    let parameters = &start["parameters"];
    assert_eq!(
        parameters["DocumentName"],
        "AWS-StartPortForwardingSessionToRemoteHost"
    );
    assert_eq!(parameters["Parameters"]["host"][0], "db.internal");
    assert_eq!(parameters["Parameters"]["portNumber"][0], "5432");
    assert_ne!(
        parameters["Parameters"]["localPortNumber"][0],
        local_port.to_string(),
        "the plugin listens on a private port behind the relay"
    );
    drop(stream);
    harness.get_by_label("Stop").click();
    wait_for(&mut harness, "the forward stopped", |h| {
        h.query_by_label_contains("forward stopped").is_some()
    });
    assert!(
        std::net::TcpStream::connect(&address).is_err(),
        "nothing listens any more"
    );
    let sessions = emulator_sessions(&emulator);
    assert!(
        sessions
            .iter()
            .any(|s| s["kind"] == "port-forward" && s["terminated"] == true),
        "{sessions:?}"
    );
}

/// A terminal window stand-in: runs the command line it is given with this test's home and
/// AWS files, as a terminal would run it with the user's. Its first word is the running
/// program — here the test binary, standing in for the app — so the ecsdeck binary runs
/// the rest.
fn terminal_stand_in(emulator: &Emulator, dir: &std::path::Path) -> std::path::PathBuf {
    let env: String = emulator
        .cli_env()
        .into_iter()
        .map(|(k, v)| format!("{k}='{v}' "))
        .collect();
    let log = dir.join("window.log");
    let script = dir.join("terminal-window");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nshift\n{env}exec '{}' \"$@\" </dev/null >>'{}' 2>&1\n",
            env!("CARGO_BIN_EXE_ecsdeck"),
            log.display()
        ),
    )
    .expect("write the terminal stand-in");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    script
}

#[test]
fn a_terminal_window_runs_ecsdeck_exec_for_the_same_container() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let seeded = runtime.block_on(seed_exec(&emulator, dir.path()));
    let terminal = terminal_stand_in(&emulator, dir.path());
    let mut harness = app(&emulator, &seeded.plugin);
    harness.state_mut().apply(Action::SetSystemTerminal(Some(
        terminal.display().to_string(),
    )));
    exec_page(&mut harness, &seeded);
    harness.get_by_label("Open in a terminal window").click();
    harness.run_steps(2);
    confirm(&mut harness);
    wait_for(&mut harness, "the window opened", |h| {
        h.query_by_label_contains("Opened in a terminal window (")
            .is_some()
    });
    assert!(
        harness.state().model().sessions.list.is_empty(),
        "no tab: the window has it"
    );
    // The window's ecsdeck exec opened the session itself, through the same plugin.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while plugin_starts(&seeded.plugin_log).is_empty() {
        let log = std::fs::read_to_string(dir.path().join("window.log")).unwrap_or_default();
        assert!(
            std::time::Instant::now() < deadline,
            "the window's session never started; its output:\n{log}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let sessions = emulator_sessions(&emulator);
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(sessions[0]["command"], "/bin/sh");
    let journal = std::fs::read_to_string(emulator.cli_journal_path()).expect("the CLI's journal");
    assert!(journal.contains("ExecuteCommand"), "{journal}");
}

/// A shell still opening when the user switches region: the worker cancels the old
/// connection's loads but not the session, which opens with the connection it was confirmed
/// on (the worker's request hook holds the opening until the switch is made).
#[test]
fn a_shell_opening_during_a_connection_switch_still_opens_on_its_own_connection() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let seeded = runtime.block_on(seed_exec(&emulator, dir.path()));
    let released = Arc::new(AtomicBool::new(false));
    let hold = released.clone();
    let hook: ecsdeck::worker::RequestHook = Arc::new(move |request| {
        if matches!(request, ecsdeck::model::Request::OpenExec { .. }) {
            while !hold.load(Ordering::SeqCst) {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    });
    let mut harness = app_with_hook(&emulator, &seeded.plugin, hook);
    exec_page(&mut harness, &seeded);
    harness.get_by_label("Open shell").click();
    harness.run_steps(2);
    confirm(&mut harness);
    let opened_on = emulator.connection();
    let mut elsewhere = opened_on.clone();
    elsewhere.region = "eu-west-1".into();
    harness.state_mut().apply(Action::SetConnection(elsewhere));
    harness.run_steps(2);
    released.store(true, Ordering::SeqCst);
    let term = terminal(&harness);
    wait_for(&mut harness, "the shell's prompt", |_| {
        lines(&term).iter().any(|l| l.contains("/app #"))
    });
    let session = harness.state().model().sessions.list[0].clone();
    assert_eq!(session.connection, opened_on);
    let outcome = harness.state().model().outcome.clone().expect("an outcome");
    assert_eq!(
        outcome.result,
        Ok(format!(
            "goes on opening with {}: see Sessions",
            opened_on.source_label()
        ))
    );
    assert_eq!(emulator_sessions(&emulator).len(), 1);
    harness.state_mut().apply(Action::CloseSession(session.id));
}
