//! Seeds the emulator for ECS Exec through the real SDKs — a task with exec on whose task role
//! allows ssmmessages, and one without exec — and writes the emulator's session-manager-plugin
//! (tests/support/session_plugin.py) as an executable for the app and the CLI to start.

use super::emulator::{TEST_KEY_ID, TEST_SECRET};
use super::{Emulator, emulator};
use aws_sdk_ecs::types::{ContainerDefinition, LaunchType};
use std::path::{Path, PathBuf};

/// What `seed_exec` created.
pub struct ExecSeeded {
    /// ARN of the `prod` cluster.
    pub cluster: String,
    /// A task with exec on (container `web`).
    pub exec_task: String,
    /// A task without exec (container `web`).
    pub plain_task: String,
    /// The plugin to start (a script running session_plugin.py).
    pub plugin: PathBuf,
    /// Where the plugin logs each start (arguments, token hidden).
    pub plugin_log: PathBuf,
    /// Where the plugin writes the tokens it got (outside everything scanned).
    pub tokens: PathBuf,
}

/// An IAM client with the test keys, at the emulator.
pub fn iam_client(emulator: &Emulator) -> aws_sdk_iam::Client {
    let config = aws_sdk_iam::Config::builder()
        .behavior_version(aws_sdk_iam::config::BehaviorVersion::latest())
        .region(aws_sdk_iam::config::Region::new("us-east-1"))
        .endpoint_url(&emulator.endpoint)
        .credentials_provider(aws_sdk_iam::config::Credentials::new(
            TEST_KEY_ID,
            TEST_SECRET,
            None,
            None,
            "test",
        ))
        .build();
    aws_sdk_iam::Client::from_conf(config)
}

async fn task_role(emulator: &Emulator) -> String {
    let iam = iam_client(emulator);
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let role = iam
        .create_role()
        .role_name("web-task")
        .assume_role_policy_document(trust)
        .send()
        .await
        .expect("create role");
    iam.put_role_policy()
        .role_name("web-task")
        .policy_name("exec")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssmmessages:*","Resource":"*"}]}"#,
        )
        .send()
        .await
        .expect("put role policy");
    role.role().map(|r| r.arn().to_owned()).expect("role arn")
}

async fn run(client: &aws_sdk_ecs::Client, cluster: &str, exec: bool) -> String {
    client
        .run_task()
        .cluster(cluster)
        .task_definition("shell")
        .group("family:shell")
        .launch_type(LaunchType::Ec2)
        .enable_execute_command(exec)
        .send()
        .await
        .expect("run task")
        .tasks()
        .first()
        .and_then(|t| t.task_arn())
        .expect("task arn")
        .to_owned()
}

/// The plugin script in `dir`: the emulator's Python running session_plugin.py, logging to
/// `dir`.
pub fn write_plugin(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/session_plugin.py");
    let (log, tokens) = (dir.join("plugin.jsonl"), dir.join("tokens.txt"));
    let plugin = dir.join("session-manager-plugin");
    std::fs::write(
        &plugin,
        format!(
            "#!/bin/sh\nECSDECK_PLUGIN_LOG='{}' ECSDECK_PLUGIN_TOKENS='{}' exec '{}' '{}' \"$@\"\n",
            log.display(),
            tokens.display(),
            emulator::python().display(),
            script.display()
        ),
    )
    .expect("write plugin");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755))
            .expect("chmod plugin");
    }
    (plugin, log, tokens)
}

/// The `shell` family, whose task role allows ssmmessages, and a task of it with exec on
/// in `cluster` (which has container instances); its ARN.
pub async fn exec_task(emulator: &Emulator, cluster: &str) -> String {
    let client = emulator.ecs_client();
    let role = task_role(emulator).await;
    client
        .register_task_definition()
        .family("shell")
        .task_role_arn(role)
        .container_definitions(
            ContainerDefinition::builder()
                .name("web")
                .image("registry.example.com/web:2.0")
                .memory(256)
                .essential(true)
                .build(),
        )
        .send()
        .await
        .expect("register shell");
    run(&client, cluster, true).await
}

/// `prod` (with container instances, by `seed`), the `shell` family with a task role that
/// allows ssmmessages, a task with exec on and one without; the plugin in `dir`.
pub async fn seed_exec(emulator: &Emulator, dir: &Path) -> ExecSeeded {
    let seeded = super::seed::seed(emulator, 0).await;
    let exec_task = exec_task(emulator, "prod").await;
    let plain_task = run(&emulator.ecs_client(), "prod", false).await;
    let (plugin, plugin_log, tokens) = write_plugin(dir);
    ExecSeeded {
        cluster: seeded.prod,
        exec_task,
        plain_task,
        plugin,
        plugin_log,
        tokens,
    }
}

/// Every start the plugin logged.
pub fn plugin_starts(log: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("plugin log line"))
        .collect()
}

/// The sessions the emulator opened (GET /_ecsdeck/exec/sessions).
pub fn emulator_sessions(emulator: &Emulator) -> Vec<serde_json::Value> {
    let body = emulator.get("/_ecsdeck/exec/sessions");
    let value: serde_json::Value = serde_json::from_str(&body).expect("sessions JSON");
    value["sessions"].as_array().cloned().unwrap_or_default()
}
