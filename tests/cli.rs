//! The `ecsdeck` binary's headless commands against the emulator, through the real
//! credential chain (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE).

use crate::support;

use std::process::{Command, Output};
use support::Emulator;
use support::emulator::dead_endpoint;
use support::seed::seed;

fn ecsdeck(emulator: &Emulator, args: &[&str]) -> Output {
    emulator.ecsdeck(args).output().expect("run ecsdeck")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clusters_services_and_tasks_print_as_table_and_json() {
    let emulator = Emulator::start();
    let seeded = seed(&emulator, 3).await;

    let table = stdout(&ecsdeck(&emulator, &["clusters"]));
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("NAME") && lines[0].contains("SERVICES"),
        "{table}"
    );
    assert!(
        lines[1].starts_with("prod ") && lines[1].contains("ACTIVE"),
        "{table}"
    );
    assert!(lines[2].starts_with("staging "), "{table}");

    let json: serde_json::Value = serde_json::from_str(&stdout(&ecsdeck(
        &emulator,
        &["clusters", "--output", "json"],
    )))
    .expect("json");
    assert_eq!(json[0]["name"], "prod");
    assert_eq!(json[0]["services_count"], 4);

    let services = stdout(&ecsdeck(&emulator, &["services", "--cluster", "prod"]));
    for name in &seeded.services {
        assert!(
            services.lines().any(|l| l.starts_with(name.as_str())),
            "{name} missing:\n{services}"
        );
    }
    assert!(services.contains("web:3"), "{services}");

    let tasks: serde_json::Value = serde_json::from_str(&stdout(&ecsdeck(
        &emulator,
        &[
            "tasks",
            "--cluster",
            "prod",
            "--service",
            "api",
            "--output",
            "json",
        ],
    )))
    .expect("json");
    assert_eq!(tasks.as_array().map(Vec::len), Some(2));
    assert_eq!(tasks[0]["group"], "service:api");
    let services: serde_json::Value = serde_json::from_str(&stdout(&ecsdeck(
        &emulator,
        &["services", "--cluster", "prod", "--output", "json"],
    )))
    .expect("json");
    let created = services[0]["deployments"][0]["created_at"]
        .as_str()
        .unwrap_or_default();
    assert!(
        humantime::parse_rfc3339(created).is_ok(),
        "RFC 3339 times, got {created:?}"
    );

    let instances = stdout(&ecsdeck(&emulator, &["instances", "--cluster", "prod"]));
    assert_eq!(instances.lines().count(), 3, "{instances}");
}

#[test]
fn a_failed_call_exits_non_zero_with_the_aws_error_on_stderr() {
    let emulator = Emulator::start();
    let output = ecsdeck(&emulator, &["services", "--cluster", "gone"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("ListServices failed: ClusterNotFoundException"),
        "{stderr}"
    );
    assert!(stderr.contains("request id"), "{stderr}");
    assert!(output.stdout.is_empty());

    let dead = Command::new(env!("CARGO_BIN_EXE_ecsdeck"))
        .args([
            "clusters",
            "--endpoint-url",
            &dead_endpoint(),
            "--region",
            "us-east-1",
        ])
        .envs(emulator.cli_env())
        .output()
        .expect("run");
    assert_eq!(dead.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&dead.stderr).contains("cannot reach the endpoint"));
}

#[test]
fn help_lists_the_gui_and_cli_modes() {
    let output = Command::new(env!("CARGO_BIN_EXE_ecsdeck"))
        .arg("--help")
        .output()
        .expect("run");
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    for word in [
        "GUI",
        "clusters",
        "services",
        "tasks",
        "instances",
        "--profile",
        "--region",
        "--endpoint-url",
    ] {
        assert!(help.contains(word), "--help lacks {word}:\n{help}");
    }
}

fn ecsdeck_offline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ecsdeck"))
        .args(args)
        .output()
        .expect("run ecsdeck")
}

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/task-definitions/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn taskdef_validate_passes_a_good_file_and_fails_a_bad_one_with_reasons() {
    let good = ecsdeck_offline(&["taskdef", "validate", &fixture("01-fargate-web-app.json")]);
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(String::from_utf8_lossy(&good.stdout).contains("is valid"));

    let dir = tempfile::tempdir().unwrap();
    let invalid = dir.path().join("invalid.json");
    std::fs::write(
        &invalid,
        r#"{"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "bridge",
            "cpu": "256", "memory": "512",
            "containerDefinitions": [{"name": "web", "image": "nginx:latest",
              "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}]}]}"#,
    )
    .unwrap();
    let out = ecsdeck_offline(&["taskdef", "validate", invalid.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error: networkMode"), "{stderr}");
    assert!(
        stderr.contains("warning: containers[web].environment[DB_PASSWORD]: Looks like a secret"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("hunter2"),
        "a secret value is never echoed: {stderr}"
    );

    let malformed = dir.path().join("malformed.json");
    std::fs::write(&malformed, "{\n  \"family\": \"web\",\n  \"cpu\": 256,,\n}").unwrap();
    let out = ecsdeck_offline(&["taskdef", "validate", malformed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("malformed.json:3:"), "{stderr}");

    let out = ecsdeck_offline(&["taskdef", "validate", "/nonexistent/file.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn taskdef_show_prints_a_summary_or_the_document() {
    let emulator = Emulator::start();
    let seeded = seed(&emulator, 0).await;
    let _ = seeded;
    let text = stdout(&ecsdeck(&emulator, &["taskdef", "show", "web:3"]));
    assert!(text.starts_with("web:3  ACTIVE"), "{text}");
    assert!(
        text.contains("CONTAINER") && text.contains("IMAGE"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&ecsdeck(
        &emulator,
        &["taskdef", "show", "web", "--output", "json"],
    )))
    .expect("json");
    assert_eq!(json["family"], "web");
    assert!(json["containerDefinitions"].is_array());

    let out = ecsdeck(&emulator, &["taskdef", "show", "no-such-family:1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("DescribeTaskDefinition"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn taskdef_history_says_what_each_revision_changed() {
    use aws_sdk_ecs::types::{ContainerDefinition, PortMapping};
    let emulator = Emulator::start();
    let _ = seed(&emulator, 0).await;
    // web:4 re-registers web:3 with defaults written out: no change at all.
    emulator
        .ecs_client()
        .register_task_definition()
        .family("web")
        .container_definitions(
            ContainerDefinition::builder()
                .name("web")
                .image("registry.example.com/web:1.2.0")
                .memory(256)
                .cpu(0)
                .essential(true)
                .readonly_root_filesystem(false)
                .port_mappings(
                    PortMapping::builder()
                        .container_port(8080)
                        .host_port(0)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("register web:4");
    let text = stdout(&ecsdeck(&emulator, &["taskdef", "history", "web"]));
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("REVISION") && lines[0].contains("WHAT CHANGED"),
        "{text}"
    );
    let line = |revision: &str| {
        lines
            .iter()
            .find(|l| l.split_whitespace().next() == Some(revision))
            .copied()
            .unwrap_or_else(|| panic!("revision {revision}: {text}"))
    };
    assert!(line("4").ends_with("no changes"), "{text}");
    assert!(line("3").ends_with("image web: 1.1.0 → 1.2.0"), "{text}");
    assert!(line("2").ends_with("image web: 1.0.0 → 1.1.0"), "{text}");
    assert!(line("1").ends_with("first revision"), "{text}");
    assert!(text.find(line("4")) < text.find(line("1")), "newest first");

    let json: serde_json::Value = serde_json::from_str(&stdout(&ecsdeck(
        &emulator,
        &["taskdef", "history", "web", "--output", "json"],
    )))
    .expect("json");
    assert_eq!(json[0]["revision"], 4);
    assert_eq!(json[0]["changes"], "no changes");
    assert_eq!(json[1]["changes"], "image web: 1.1.0 → 1.2.0");

    let out = ecsdeck(&emulator, &["taskdef", "history", "no-such-family"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-family has no revisions"));
}

#[test]
fn diff_of_two_files_exits_like_diff() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    let reordered = dir.path().join("reordered.json");
    std::fs::write(
        &old,
        r#"{"family": "f", "memory": "512", "containerDefinitions": [
            {"name": "web", "image": "r/web:1.4.2", "essential": true},
            {"name": "log", "image": "fluent-bit:2", "essential": false}]}"#,
    )
    .unwrap();
    std::fs::write(
        &new,
        r#"{"family": "f", "memory": "1024", "containerDefinitions": [
            {"name": "web", "image": "r/web:1.5.0",
             "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}]},
            {"name": "log", "image": "fluent-bit:2", "essential": false}]}"#,
    )
    .unwrap();
    std::fs::write(
        &reordered,
        r#"{"containerDefinitions": [{"name": "log", "image": "fluent-bit:2", "essential": false},
            {"image": "r/web:1.4.2", "name": "web"}], "memory": 512, "family": "f"}"#,
    )
    .unwrap();
    let (old, new, reordered) = (
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        reordered.to_str().unwrap(),
    );

    let same = ecsdeck_offline(&["diff", old, reordered]);
    assert_eq!(same.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&same.stdout).contains("no differences"));

    let out = ecsdeck_offline(&["diff", old, new, "--mask-env"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with("image web: 1.4.2 → 1.5.0; +1 env; memory 512 → 1024"),
        "{text}"
    );
    assert!(!text.contains("hunter2"), "masked: {text}");

    let out = ecsdeck_offline(&["diff", old, new, "--output", "markdown"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("| ~ | `memory` | `512` | `1024` |"));
    let out = ecsdeck_offline(&["diff", old, new, "--output", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["equal"], false);
    assert_eq!(json["changes"].as_array().unwrap().len(), 3);

    // Not a task definition, and a file that is not there: exit 2 with the reason.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "[1, 2,").unwrap();
    let out = ecsdeck_offline(&["diff", old, bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a task definition"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diff_of_revisions_in_ecs_and_of_a_revision_against_a_file() {
    let emulator = Emulator::start();
    let _ = seed(&emulator, 0).await;
    let out = ecsdeck(&emulator, &["diff", "web:1", "web:3"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("web:1 → web:3: image web: 1.0.0 → 1.2.0"),
        "{text}"
    );
    assert_eq!(
        ecsdeck(&emulator, &["diff", "web:2", "web:2"])
            .status
            .code(),
        Some(0)
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("web3.json");
    let shown = stdout(&ecsdeck(
        &emulator,
        &["taskdef", "show", "web:3", "--output", "json"],
    ));
    std::fs::write(&file, shown).unwrap();
    let out = ecsdeck(&emulator, &["diff", "web:3", file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let out = ecsdeck(&emulator, &["diff", "web:3", "web:99"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("DescribeTaskDefinition"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scale_deploy_and_rollback_print_the_plan_and_change_the_service() {
    let emulator = Emulator::start();
    let seeded = seed(&emulator, 0).await;
    let describe = |ecs: &ecsdeck::aws::Ecs| {
        let ecs = ecs.clone();
        let cluster = seeded.prod.clone();
        async move { ecs.describe_service(&cluster, "api").await.unwrap() }
    };
    let ecs = ecsdeck::aws::connect(&emulator.connection(), &emulator.profile_source()).await;
    let base = ["--cluster", "prod", "--service", "api"];
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = extra.to_vec();
        args.extend(base);
        ecsdeck(&emulator, &args)
    };

    // Without a terminal and without --yes nothing changes.
    let out = run(&["scale", "--count", "0"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Scale api: desired 2 → 0"), "{text}");
    assert!(
        text.contains("Note: Scaling to 0 stops all 2 running tasks"),
        "{text}"
    );
    assert!(text.contains("Nothing changed."), "{text}");
    assert_eq!(describe(&ecs).await.desired, 2);

    // Read-only mode shows the plan and refuses, even with --yes (and --read-write).
    let out = run(&[
        "scale",
        "--count",
        "5",
        "--yes",
        "--read-only",
        "--read-write",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Scale api: desired 2 → 5"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--read-only was given"));
    assert_eq!(describe(&ecs).await.desired, 2);

    let out = run(&["scale", "--count", "5", "--yes"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(describe(&ecs).await.desired, 5);

    let out = run(&["scale", "--count=-1", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("negative"));

    let out = run(&["deploy", "--revision", "web:2", "--yes"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Deploy web:2 on api (runs web:3): image web: 1.2.0 → 1.1.0"),
        "{text}"
    );
    assert!(
        text.contains("Equivalent: aws ecs update-service"),
        "{text}"
    );
    assert!(describe(&ecs).await.task_definition.ends_with("web:2"));

    let out = run(&["deploy", "--revision", "web:2", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already runs web:2"));

    let out = run(&["rollback", "--yes"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Roll back to web:"));

    // An INACTIVE revision is refused before anything is sent.
    ecs.deregister_task_definition("web:1").await.unwrap();
    let out = run(&["deploy", "--revision", "web:1", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("web:1 is INACTIVE"));

    // A scale starts no deployment: --wait follows the counts, and gives up with exit code 2.
    let out = run(&[
        "scale",
        "--count",
        "3",
        "--yes",
        "--wait",
        "--timeout-secs",
        "1",
        "--poll-secs",
        "1",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Still in progress after 1 s"));
}

#[test]
fn a_malformed_revision_reference_is_refused_before_any_call() {
    // `--endpoint-url` points nowhere: the refusal must come from the parser, not from AWS.
    let dead = dead_endpoint();
    let run = |args: &[&str]| {
        let output = ecsdeck_offline(&[args, &["--endpoint-url", &dead]].concat());
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let show = run(&["taskdef", "show", "web:0"]);
    assert!(
        show.contains("\"0\" is not a revision: a whole number from 1"),
        "{show}"
    );
    let deploy = run(&[
        "deploy",
        "--cluster",
        "prod",
        "--service",
        "web",
        "--revision",
        "my web:3",
    ]);
    assert!(
        deploy.contains("\"my web\" is not a family name"),
        "{deploy}"
    );
    let diff = run(&[
        "diff",
        "arn:aws:ecs:us-east-1:42:task-definition/web:1",
        "web:2",
    ]);
    assert!(
        diff.contains("no such file, and not a task-definition ARN (the account is not 12 digits)"),
        "{diff}"
    );
}
