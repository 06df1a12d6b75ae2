//! The CLI under the change policy, against the emulator: the profile it really uses (from
//! AWS_PROFILE too) matched against the saved patterns, `--read-write`, exit code 3, saved
//! and unreadable settings, the journal it writes (as the CLI, 0600), and hostile text from
//! AWS and logs printed as visible escapes.

use crate::support;

use std::process::Output;
use support::Emulator;
use support::emulator::{TEST_KEY_ID, TEST_SECRET};
use support::log_seed::{create_streams, now_ms, put};
use support::seed::seed;

/// Profiles `default` and `prod-admin`, both with the emulator's test keys.
fn with_prod_profile(emulator: &Emulator) {
    let key = format!("aws_access_key_id = {TEST_KEY_ID}\naws_secret_access_key = {TEST_SECRET}\n");
    emulator.write_profile_files(
        "[default]\nregion = us-east-1\n[profile prod-admin]\nregion = us-east-1\n",
        &format!("[default]\n{key}[prod-admin]\n{key}"),
    );
}

fn ecsdeck(emulator: &Emulator, profile: Option<&str>, args: &[&str]) -> Output {
    let mut command = emulator.ecsdeck(args);
    if let Some(profile) = profile {
        command.env("AWS_PROFILE", profile);
    }
    command.output().expect("run ecsdeck")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const SCALE: [&str; 8] = [
    "scale",
    "--cluster",
    "prod",
    "--service",
    "api",
    "--count",
    "4",
    "--yes",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_production_profile_from_the_environment_is_refused_unless_read_write() {
    let emulator = Emulator::start();
    let seeded = seed(&emulator, 0).await;
    with_prod_profile(&emulator);
    let ecs = ecsdeck::aws::connect(&emulator.connection(), &emulator.profile_source()).await;
    let desired = || async {
        ecs.describe_service(&seeded.prod, "api")
            .await
            .unwrap()
            .desired
    };

    let out = ecsdeck(&emulator, Some("prod-admin"), &SCALE);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains(
            "profile prod-admin matches read-only pattern *prod*; pass --read-write to change it"
        ),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("Scale api: desired 2 → 4"));
    assert_eq!(desired().await, 2);
    assert!(
        !emulator.cli_journal_path().exists(),
        "a refusal sends nothing to journal"
    );

    // AWS_DEFAULT_PROFILE (as the AWS CLI reads it) names the profile too, for the policy and
    // for the calls alike.
    let out = emulator
        .ecsdeck(&SCALE)
        .env("AWS_DEFAULT_PROFILE", "prod-admin")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("profile prod-admin matches"));

    let mut args = SCALE.to_vec();
    args.push("--read-write");
    let out = ecsdeck(&emulator, Some("prod-admin"), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(desired().await, 4);

    // The same change twice is two entries, marked as the CLI's, in a private file.
    let out = ecsdeck(&emulator, Some("prod-admin"), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let journal = std::fs::read_to_string(emulator.cli_journal_path()).expect("journal");
    let entries: Vec<serde_json::Value> = journal
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(entries.len(), 2, "{journal}");
    for entry in &entries {
        assert_eq!(entry["via"], "cli");
        assert_eq!(entry["operation"], "UpdateService");
        assert_eq!(entry["profile"], "prod-admin");
        assert!(
            entry["result"].as_str().unwrap().starts_with("ok: "),
            "{entry}"
        );
    }
    assert_eq!(entries[0]["summary"], "desired count 2 → 4");
    assert_eq!(entries[1]["summary"], "desired count 4 → 4");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let path = emulator.cli_journal_path();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_settings_are_followed_and_unreadable_ones_refuse() {
    let emulator = Emulator::start();
    seed(&emulator, 0).await;
    let settings = emulator.cli_settings_path();
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();

    std::fs::write(&settings, r#"{"read_only":true,"read_only_profiles":[]}"#).unwrap();
    let out = ecsdeck(&emulator, None, &SCALE);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("saved settings"),
        "{}",
        text(&out.stderr)
    );

    // A pattern of the user's own applies to the default profile too.
    std::fs::write(
        &settings,
        r#"{"read_only":false,"read_only_profiles":["def*"]}"#,
    )
    .unwrap();
    let out = ecsdeck(&emulator, None, &SCALE);
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("profile default matches read-only pattern def*"));

    // Cut short by a crash: not the defaults, a refusal that says why.
    std::fs::write(&settings, r#"{"read_only":false,"read_only_prof"#).unwrap();
    let out = ecsdeck(&emulator, None, &SCALE);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("settings could not be read"),
        "{}",
        text(&out.stderr)
    );

    std::fs::write(
        &settings,
        r#"{"read_only":false,"read_only_profiles":["*prod*"]}"#,
    )
    .unwrap();
    let out = ecsdeck(&emulator, None, &SCALE);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_text_in_logs_and_stopped_reasons_is_printed_as_visible_escapes() {
    let emulator = Emulator::start();
    let seeded = seed(&emulator, 0).await;
    let hostile = "boom\u{1b}[2J\u{1b}]0;owned\u{7} \u{202e}txt.exe\u{200b} \u{9b}31m";
    emulator
        .ecs_client()
        .stop_task()
        .cluster(&seeded.prod)
        .task(&seeded.api_tasks[0])
        .reason(hostile)
        .send()
        .await
        .expect("stop");
    create_streams(&emulator, "/hostile", &["s1".to_owned()]).await;
    put(
        &emulator.logs_client(),
        "/hostile",
        "s1",
        [(now_ms() - 1_000, hostile.to_owned())],
    )
    .await;
    let dangerous = |s: &str| s.chars().any(ecsdeck::model::untrusted_text::is_hostile);

    let out = ecsdeck(&emulator, None, &["tasks", "--cluster", "prod"]);
    let table = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!dangerous(&table), "{table:?}");
    assert!(
        table.contains("boom\\x1b[2J\\x1b]0;owned\\x07 \\u{202e}txt.exe"),
        "{table}"
    );
    let out = ecsdeck(
        &emulator,
        None,
        &["tasks", "--cluster", "prod", "--output", "json"],
    );
    assert!(!dangerous(&text(&out.stdout)));
    serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("still JSON");

    for output in ["text", "json"] {
        let out = ecsdeck(
            &emulator,
            None,
            &[
                "logs",
                "--group",
                "/hostile",
                "--since",
                "1h",
                "--output",
                output,
                "--polling",
            ],
        );
        let lines = text(&out.stdout);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(lines.contains("boom"), "{lines}");
        assert!(!dangerous(&lines), "{output}: {lines:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploy_plans_mask_environment_values_unless_asked() {
    use aws_sdk_ecs::types::{ContainerDefinition, KeyValuePair};
    let emulator = Emulator::start();
    seed(&emulator, 0).await;
    let container = ContainerDefinition::builder()
        .name("web")
        .image("nginx:1.27")
        .memory(128)
        .environment(
            KeyValuePair::builder()
                .name("DB_PASSWORD")
                .value("hunter2-in-plan")
                .build(),
        )
        .build();
    let registered = emulator
        .ecs_client()
        .register_task_definition()
        .family("web")
        .container_definitions(container)
        .send()
        .await
        .expect("register");
    let arn = registered
        .task_definition()
        .and_then(|t| t.task_definition_arn())
        .expect("arn")
        .to_owned();
    let deploy = [
        "deploy",
        "--cluster",
        "prod",
        "--service",
        "api",
        "--revision",
        &arn,
    ];
    // Not a terminal and no --yes: the plan is printed and nothing changes.
    let out = ecsdeck(&emulator, None, &deploy);
    let plan = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(plan.contains("DB_PASSWORD"), "{plan}");
    assert!(!plan.contains("hunter2-in-plan"), "{plan}");
    assert!(plan.contains("--show-env shows them"), "{plan}");
    let mut shown = deploy.to_vec();
    shown.push("--show-env");
    let out = ecsdeck(&emulator, None, &shown);
    assert!(
        text(&out.stdout).contains("hunter2-in-plan"),
        "{}",
        text(&out.stdout)
    );
}
