//! Secrets hygiene over a full session against moto with static credentials (access key id,
//! secret key and session token in the credentials file): the headless commands with the
//! most verbose log (`RUST_LOG=trace`) and the desktop app in-process (real worker, drafts,
//! journal, settings, a crash report, every log record captured through the app's masking
//! logger) edit a task definition with a secret in its environment, register it, deploy it
//! and tail the service's logs; the CLI also opens an ECS Exec session through the emulator's
//! plugin. Then nothing the session left — the data directory, the settings, the journal, the
//! crash report, the log output — may hold the access key id, the secret key, the session
//! token, the secret value or the exec session's token.

use crate::support;
use crate::ui_task_defs::draft_on_disk;

use ecsdeck::App;
use ecsdeck::app::log::RedactingLogger;
use ecsdeck::app::settings::Settings;
use ecsdeck::jobs::drafts::DraftStore;
use ecsdeck::worker::Worker;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use support::Emulator;
use support::harness::wait_for;
use support::log_seed::{log_service, now_ms, put};

const KEY_ID: &str = "AKIASECRETSCANTEST01";
const SECRET_KEY: &str = "sEcReTsCaNkEy/0123456789+abcdefghijklmnop";
const SESSION_TOKEN: &str = "IQoJb3JpZ2luX2VjESecretScanSessionToken//////////wEaCXVzLWVhc3QtMSJH";
/// Typed into a draft's environment in the app.
const GUI_SECRET: &str = "correct-horse-battery-staple";
/// In the environment of the revision the headless deploy sends.
const CLI_SECRET: &str = "hunter2-swordfish";

const SECRETS: [&str; 5] = [KEY_ID, SECRET_KEY, SESSION_TOKEN, GUI_SECRET, CLI_SECRET];

/// Every log record, as the app's own logger would print it (masked).
struct Capture(Arc<Mutex<String>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let mut text = self.0.lock().unwrap();
        text.push_str(&format!(
            "{} {} {}\n",
            record.level(),
            record.target(),
            record.args()
        ));
    }
    fn flush(&self) {}
}

fn assert_clean(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} holds {secret}");
    }
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn wait_for_label(harness: &mut Harness<'_, App>, label: &str) {
    wait_for(harness, label, |h| h.query_by_label(label).is_some());
}

fn wait_for_text(harness: &mut Harness<'_, App>, text: &str) {
    wait_for(harness, text, |h| h.query_by_label_contains(text).is_some());
}

#[test]
fn a_full_session_leaves_no_credential_or_secret_behind() {
    let emulator = Emulator::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let service = runtime.block_on(log_service(&emulator, "prod", "api", 1, true));
    let logs = emulator.logs_client();
    runtime.block_on(put(
        &logs,
        &service.group,
        &service.streams[0],
        (0..5).map(|i| (now_ms() - 60_000 + i, format!("request {i} served"))),
    ));
    // A revision carrying a secret in plain text, as a careless user would register it.
    let ecs = emulator.ecs_client();
    runtime.block_on(async {
        use aws_sdk_ecs::types::{ContainerDefinition, KeyValuePair};
        ecs.register_task_definition()
            .family("api")
            .container_definitions(
                ContainerDefinition::builder()
                    .name("app")
                    .image("registry.example.com/api:2")
                    .memory(256)
                    .environment(
                        KeyValuePair::builder()
                            .name("DB_PASSWORD")
                            .value(CLI_SECRET)
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    emulator.set_credentials(KEY_ID, SECRET_KEY, SESSION_TOKEN);

    // Headless: show, deploy and tail with every log line on.
    let cli = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_ecsdeck"))
            .args(args)
            .args([
                "--endpoint-url",
                &emulator.endpoint,
                "--region",
                "us-east-1",
            ])
            .envs(emulator.cli_env())
            .env("RUST_LOG", "trace")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_SESSION_TOKEN")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{args:?}: {stderr}");
        stderr
    };
    let mut cli_log = String::new();
    cli_log += &cli(&["taskdef", "show", "api:2"]);
    cli_log += &cli(&[
        "deploy",
        "--cluster",
        "prod",
        "--service",
        "api",
        "--revision",
        "api:2",
        "--yes",
    ]);
    cli_log += &cli(&[
        "logs",
        "--cluster",
        "prod",
        "--service",
        "api",
        "--since",
        "1h",
    ]);
    // An exec session: its token goes to the plugin (which writes it where this test can
    // read it) and nowhere else.
    let plugin_dir = tempfile::tempdir().unwrap();
    let exec_task = runtime.block_on(support::exec_seed::exec_task(&emulator, "prod"));
    let (plugin, _, tokens) = support::exec_seed::write_plugin(plugin_dir.path());
    let plugin = plugin.display().to_string();
    cli_log += &cli(&[
        "exec",
        "--cluster",
        "prod",
        "--task",
        &exec_task,
        "--plugin",
        &plugin,
    ]);
    let tokens: Vec<String> = std::fs::read_to_string(&tokens)
        .expect("the plugin got the session's token")
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(tokens.len(), 1);
    assert!(
        cli_log.contains("ExecuteCommand"),
        "the log describes the exec call"
    );
    for token in &tokens {
        assert!(
            !cli_log.contains(token.as_str()),
            "the CLI's log holds the session token"
        );
    }
    assert!(
        cli_log.lines().count() > 200 && cli_log.contains("[redacted]"),
        "trace logging was on and masked something: {} lines",
        cli_log.lines().count()
    );
    assert!(
        cli_log.contains("RegisterTaskDefinition") || cli_log.contains("UpdateService"),
        "the log describes the calls"
    );
    assert_clean("the headless commands' log", &cli_log);
    // The CLI's own files (its journal of the deploy) hold no secret either.
    let cli_files = files_under(&emulator.home());
    assert!(
        cli_files.iter().any(|f| f.ends_with("journal.jsonl")),
        "{cli_files:?}"
    );
    for file in &cli_files {
        let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        for token in &tokens {
            assert!(
                !text.contains(token.as_str()),
                "{} holds the session token",
                file.display()
            );
        }
        assert_clean(&file.display().to_string(), &text);
    }

    // The desktop app, its log captured through the same masking logger.
    let captured = Arc::new(Mutex::new(String::new()));
    log::set_boxed_logger(Box::new(RedactingLogger::new(Capture(captured.clone()))))
        .expect("no other test installs a logger");
    log::set_max_level(log::LevelFilter::Trace);
    let data = tempfile::tempdir().unwrap();
    let drafts = data.path().join("drafts");
    let reports = data.path().join("crash-reports");
    ecsdeck::app::crash_report::install(Some(reports.clone()));
    let worker = Worker::spawn_with(Arc::new(|| {}), emulator.profile_source()).unwrap();
    let settings = Settings {
        connection: ecsdeck::model::Connection {
            profile: None,
            region: "us-east-1".into(),
            endpoint_url: Some(emulator.endpoint.clone()),
        },
        policy: ecsdeck::model::workspace::policy::Policy {
            read_only_profiles: Vec::new(),
            ..Default::default()
        },
        ..Settings::default()
    };
    let store_dir = drafts.clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |_cc| {
            App::with_backend(settings, Box::new(worker))
                .with_drafts(DraftStore::spawn(store_dir, Arc::new(|| {})).unwrap())
        });
    session_ui(&mut harness, &drafts);
    // The settings as eframe would store them, then a crash.
    std::fs::write(
        data.path().join("settings.json"),
        harness.state().current_settings().to_json(),
    )
    .unwrap();
    harness.ctx.on_begin_pass(
        "crash",
        Arc::new(|_| panic!("injected at the end of the session")),
    );
    let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| harness.run()));
    assert!(crashed.is_err());
    std::mem::forget(harness);
    log::set_max_level(log::LevelFilter::Off);

    let files = files_under(data.path());
    let names: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(data.path()).unwrap().display().to_string())
        .collect();
    assert!(names.iter().any(|n| n == "journal.jsonl"), "{names:?}");
    assert!(
        names.iter().any(|n| n.starts_with("crash-reports/crash-")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n == "settings.json"), "{names:?}");
    for file in &files {
        let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        assert_clean(&file.display().to_string(), &text);
    }
    let app_log = captured.lock().unwrap().clone();
    assert!(
        app_log.contains("[redacted]"),
        "the SDK's trace output passed the mask"
    );
    assert_clean("the app's log", &app_log);
}

/// Clusters → prod → api; Task definitions → api → newest → draft with a secret → register;
/// back to the service → deploy it → logs.
fn session_ui(harness: &mut Harness<'_, App>, drafts: &Path) {
    wait_for_label(harness, "prod");
    harness.get_by_label("Task definitions").click();
    wait_for_label(harness, "api");
    harness.get_by_label("api").click();
    harness.step();
    harness.key_press(egui::Key::Enter);
    // The revision list (its Compare ticks), not the family list's counts.
    wait_for_label(harness, "Compare :2");
    harness.get_by_label("2").click();
    harness.step();
    harness.key_press(egui::Key::Enter);
    wait_for_label(harness, "Edit as new draft");
    harness.get_by_label("Edit as new draft").click();
    wait_for(harness, "the draft", |h| {
        matches!(h.state().model().route, ecsdeck::model::Route::Draft { .. })
    });
    harness.run();
    wait_for_text(harness, "app — ");
    harness.get_by_label_contains("app — ").click();
    harness.step();
    harness.get_by_label("+ Variable").click();
    harness.step();
    let last = |h: &Harness<'_, App>, label: &str| h.get_all_by_label(label).count() - 1;
    let name = last(harness, "Variable");
    harness
        .get_all_by_label("Variable")
        .nth(name)
        .unwrap()
        .focus();
    harness.step();
    harness
        .get_all_by_label("Variable")
        .nth(name)
        .unwrap()
        .type_text("API_TOKEN");
    harness.step();
    let value = last(harness, "Value");
    harness
        .get_all_by_label("Value")
        .nth(value)
        .unwrap()
        .focus();
    harness.step();
    harness
        .get_all_by_label("Value")
        .nth(value)
        .unwrap()
        .type_text(GUI_SECRET);
    harness.step();
    // The unregistered draft is on disk (0600) until it is registered.
    wait_for(harness, "the draft on disk", |_| {
        draft_on_disk(drafts, GUI_SECRET)
    });
    harness.get_by_label("Register as new revision…").click();
    wait_for_label(harness, "Register");
    harness.get_by_label("Register").click();
    wait_for_label(harness, "Confirm change");
    harness.get_by_label("Confirm change").click();
    wait_for(harness, "the draft removed once registered", |_| {
        !draft_on_disk(drafts, GUI_SECRET)
    });
    wait_for_label(harness, "Edit as new draft");

    harness.get_by_label("Clusters").click();
    wait_for_label(harness, "prod");
    harness.get_by_label("prod").click();
    harness.step();
    harness.key_press(egui::Key::Enter);
    wait_for_label(harness, "api");
    harness.get_by_label("api").click();
    harness.step();
    harness.key_press(egui::Key::Enter);
    wait_for_label(harness, "Deploy…");
    harness.get_by_label("Deploy…").click();
    wait_for_label(harness, "Deploy api:3");
    harness.get_by_label("Deploy api:3").click();
    wait_for_label(harness, "Confirm change");
    harness.get_by_label("Confirm change").click();
    harness.step();
    wait_for_label(harness, "Logs");
    harness.get_by_label("Logs").click();
    wait_for_text(harness, "request 4 served");
}
