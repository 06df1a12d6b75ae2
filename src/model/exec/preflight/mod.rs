//! Whether an exec session or a port forward can start, checked before anything is started:
//! each requirement of ECS Exec as ✔ or ✖ with the exact fix, from facts the worker read.

use super::plugin::{PLUGIN_NAME, PluginProbe, install_url};
use crate::model::AwsError;
use crate::model::ecs::Task;

/// The actions the task role needs for ECS Exec (the SSM agent's channels).
pub const SSM_MESSAGES_ACTIONS: [&str; 4] = [
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
];

/// The oldest Fargate Linux platform version with ECS Exec.
pub const MIN_FARGATE_LINUX: &str = "1.4.0";
/// The oldest ECS container agent with ECS Exec (EC2 and ECS Anywhere).
pub const MIN_AGENT: &str = "1.50.2";

/// The cluster's ECS Exec settings (`configuration.executeCommandConfiguration`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecConfig {
    /// The KMS key that encrypts the session, if any.
    pub kms_key_id: Option<String>,
    /// NONE, DEFAULT or OVERRIDE.
    pub logging: Option<String>,
    /// Where OVERRIDE sends the session's output: CloudWatch group, S3 bucket.
    pub log_group: Option<String>,
    /// The S3 bucket, when OVERRIDE logs there.
    pub s3_bucket: Option<String>,
}

/// What simulating the task role's permissions found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Permissions {
    /// Each action with whether it is allowed.
    Simulated(Vec<(String, bool)>),
    /// The simulation could not run (the caller may not simulate): why.
    Skipped(String),
}

/// Everything the preflight is judged from.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecFacts {
    /// The task, freshly described (with its managed agents).
    pub task: Task,
    /// The container chosen.
    pub container: String,
    /// The service the task belongs to: its name and whether it has exec on now (None when
    /// it could not be read).
    pub service: Option<(String, Option<bool>)>,
    /// The container instance's agent version (EC2 and EXTERNAL), or why it is unknown.
    pub agent_version: Option<Result<String, AwsError>>,
    /// The cluster's exec settings (None: not configured, the defaults).
    pub cluster_config: Result<Option<ExecConfig>, AwsError>,
    /// The plugin on this machine.
    pub plugin: PluginProbe,
    /// The task definition's task role, or why it could not be read.
    pub task_role: Result<Option<String>, AwsError>,
    /// The task role's permissions (None when there is no role to simulate).
    pub permissions: Option<Permissions>,
}

/// The facts read and the preflight judged from them (what the worker answers).
#[derive(Clone, Debug, PartialEq)]
pub struct ExecReport {
    /// What was read.
    pub facts: ExecFacts,
    /// The checks.
    pub preflight: Preflight,
}

/// How one requirement stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckStatus {
    /// Met.
    Pass,
    /// Not met: the session will fail.
    Fail,
    /// Could not be checked; the session may still work.
    Skipped,
}

/// One requirement: what, how it stands, in detail, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// What is required, in a few words.
    pub name: &'static str,
    /// Met, not met, not checked.
    pub status: CheckStatus,
    /// What was found.
    pub detail: String,
    /// The exact fix, when not met.
    pub fix: Option<String>,
    /// A page that helps (AWS's install page for the plugin).
    pub link: Option<&'static str>,
    /// Offers "Enable exec on this service".
    pub offers_enable: bool,
}

fn pass(name: &'static str, detail: impl Into<String>) -> Check {
    Check {
        name,
        status: CheckStatus::Pass,
        detail: detail.into(),
        fix: None,
        link: None,
        offers_enable: false,
    }
}

fn fail(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
    Check {
        name,
        status: CheckStatus::Fail,
        detail: detail.into(),
        fix: Some(fix.into()),
        link: None,
        offers_enable: false,
    }
}

/// The preflight: every check, in the order a user fixes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preflight {
    /// The checks.
    pub checks: Vec<Check>,
}

impl Preflight {
    /// Judges `facts`.
    pub fn of(facts: &ExecFacts) -> Self {
        Self {
            checks: vec![
                exec_enabled(facts),
                agent_running(facts),
                platform(facts),
                cluster_config(facts),
                plugin(&facts.plugin),
                task_role(facts),
            ],
        }
    }

    /// No check failed (skipped ones may still fail at the start).
    pub fn ready(&self) -> bool {
        self.checks.iter().all(|c| c.status != CheckStatus::Fail)
    }

    /// The checks not met, for the CLI's `--check` and messages.
    pub fn missing(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status == CheckStatus::Fail)
    }
}

fn exec_enabled(facts: &ExecFacts) -> Check {
    const NAME: &str = "Exec enabled on the task";
    if facts.task.enable_execute_command {
        return pass(NAME, "the task was started with enableExecuteCommand");
    }
    match &facts.service {
        Some((service, Some(true))) => fail(
            NAME,
            format!("service {service} has exec on, but this task started before it was turned on"),
            "Pick a task of the newest deployment, or start one: Force new deployment.",
        ),
        Some((service, known)) => {
            let state = match known {
                Some(_) => "has enableExecuteCommand off, so its tasks start without exec",
                None => "could not be read; the task started without exec",
            };
            let mut check = fail(
                NAME,
                format!("service {service} {state}"),
                "Enable exec on this service: UpdateService with enableExecuteCommand and a new \
                 deployment; the tasks it starts accept exec.",
            );
            check.offers_enable = true;
            check
        }
        None => fail(
            NAME,
            "the task was run without enableExecuteCommand",
            "Run a new task with --enable-execute-command (Run task… → Exec on).",
        ),
    }
}

fn agent_running(facts: &ExecFacts) -> Check {
    const NAME: &str = "ExecuteCommandAgent running";
    let container = facts
        .task
        .containers
        .iter()
        .find(|c| c.name == facts.container);
    let Some(container) = container else {
        return fail(
            NAME,
            format!("the task has no container {}", facts.container),
            "Pick one of the task's containers.",
        );
    };
    let agent = container
        .managed_agents
        .iter()
        .find(|a| a.name == "ExecuteCommandAgent");
    let reach = "The agent reaches ssmmessages over HTTPS: give the task a route out (NAT \
                 gateway, public IP) or a VPC endpoint com.amazonaws.<region>.ssmmessages, \
                 and the task role the ssmmessages permissions below; then start a new task.";
    match agent.and_then(|a| a.last_status.as_deref()) {
        Some("RUNNING") => pass(NAME, format!("in container {}", container.name)),
        Some("PENDING") => fail(
            NAME,
            format!("still starting in container {}", container.name),
            "Wait a few seconds and check again.",
        ),
        Some(status) => {
            let why = agent
                .and_then(|a| a.reason.clone())
                .map_or(String::new(), |r| format!(": {r}"));
            fail(
                NAME,
                format!("{status} in container {}{why}", container.name),
                reach,
            )
        }
        None if !facts.task.enable_execute_command => fail(
            NAME,
            format!("no agent in container {} (exec is off)", container.name),
            "It starts with tasks that have exec on (above).",
        ),
        None => fail(
            NAME,
            format!("ECS reports no agent in container {}", container.name),
            reach,
        ),
    }
}

fn platform(facts: &ExecFacts) -> Check {
    const NAME: &str = "Platform supports exec";
    let task = &facts.task;
    let windows = task
        .platform_family
        .as_deref()
        .is_some_and(|f| f.to_ascii_uppercase().starts_with("WINDOWS"));
    if task.launch_type.as_deref() == Some("FARGATE") || task.platform_version.is_some() {
        let version = task.platform_version.as_deref().unwrap_or("unknown");
        let min = if windows { "1.0.0" } else { MIN_FARGATE_LINUX };
        let ok = version == "LATEST"
            || version.trim_start_matches('v') == min
            || super::plugin::version_newer_than(version.trim_start_matches('v'), min);
        return if ok {
            pass(NAME, format!("Fargate platform {version}"))
        } else {
            fail(
                NAME,
                format!("Fargate platform {version}; ECS Exec needs {min} or newer"),
                format!("Set the service's platformVersion to LATEST (or {min}) and deploy."),
            )
        };
    }
    match &facts.agent_version {
        Some(Ok(version)) => {
            let bare = version.trim_start_matches('v');
            if bare == MIN_AGENT || super::plugin::version_newer_than(bare, MIN_AGENT) {
                pass(NAME, format!("ECS agent {version}"))
            } else {
                fail(
                    NAME,
                    format!("ECS agent {version}; ECS Exec needs {MIN_AGENT} or newer"),
                    "Update the container agent on the instance (a current ECS-optimized AMI).",
                )
            }
        }
        Some(Err(e)) => skipped(NAME, format!("agent version unknown: {e}")),
        None => pass(NAME, "not Fargate; no container instance to check"),
    }
}

fn cluster_config(facts: &ExecFacts) -> Check {
    const NAME: &str = "Cluster exec settings readable";
    match &facts.cluster_config {
        Ok(None) => pass(
            NAME,
            "defaults: no KMS key; output logged as the container's awslogs, if any",
        ),
        Ok(Some(config)) => {
            let mut parts = Vec::new();
            match &config.kms_key_id {
                Some(key) => parts.push(format!(
                    "KMS key {key} (you need kms:Decrypt on it, the task role kms:Decrypt too)"
                )),
                None => parts.push("no KMS key".to_owned()),
            }
            let logging = config.logging.as_deref().unwrap_or("DEFAULT");
            let mut to = Vec::new();
            if let Some(group) = &config.log_group {
                to.push(format!("CloudWatch group {group}"));
            }
            if let Some(bucket) = &config.s3_bucket {
                to.push(format!("S3 bucket {bucket}"));
            }
            if to.is_empty() {
                parts.push(format!("logging {logging}"));
            } else {
                parts.push(format!("logging {logging} → {}", to.join(", ")));
            }
            pass(NAME, parts.join("; "))
        }
        Err(e) => fail(
            NAME,
            e.to_string(),
            "Your identity needs ecs:DescribeClusters on the cluster.",
        ),
    }
}

fn plugin(probe: &PluginProbe) -> Check {
    const NAME: &str = "session-manager-plugin installed";
    match probe {
        PluginProbe::Found { path, version } => pass(NAME, format!("{version} at {path}")),
        PluginProbe::Missing { looked_in } => Check {
            link: Some(install_url()),
            ..fail(
                NAME,
                format!("{PLUGIN_NAME} not found ({looked_in})"),
                format!(
                    "Install AWS's Session Manager plugin ({}), or set its path in Settings.",
                    install_url()
                ),
            )
        },
        PluginProbe::Broken { path, why } => Check {
            link: Some(install_url()),
            ..fail(
                NAME,
                format!("{path} does not run: {why}"),
                "Reinstall AWS's Session Manager plugin, or set its path in Settings.",
            )
        },
    }
}

fn task_role(facts: &ExecFacts) -> Check {
    const NAME: &str = "Task role allows ssmmessages";
    let policy = format!(
        "Add to the task role: {{\"Effect\": \"Allow\", \"Action\": [{}], \"Resource\": \"*\"}}",
        SSM_MESSAGES_ACTIONS.map(|a| format!("\"{a}\"")).join(", ")
    );
    let role = match &facts.task_role {
        Err(e) => {
            return skipped(NAME, format!("task definition unreadable: {e}"));
        }
        Ok(None) => {
            return fail(
                NAME,
                "the task definition has no task role",
                format!("Set taskRoleArn to a role with the ssmmessages actions. {policy}"),
            );
        }
        Ok(Some(role)) => role,
    };
    match &facts.permissions {
        Some(Permissions::Simulated(decisions)) => {
            let denied: Vec<&str> = decisions
                .iter()
                .filter(|(_, allowed)| !allowed)
                .map(|(action, _)| action.as_str())
                .collect();
            if denied.is_empty() {
                pass(NAME, format!("{role} allows the ssmmessages actions"))
            } else {
                fail(
                    NAME,
                    format!("{role} is denied {}", denied.join(", ")),
                    policy,
                )
            }
        }
        Some(Permissions::Skipped(why)) => skipped(NAME, format!("{role}: not simulated ({why})")),
        None => skipped(NAME, format!("{role}: not simulated")),
    }
}

fn skipped(name: &'static str, detail: impl Into<String>) -> Check {
    Check {
        name,
        status: CheckStatus::Skipped,
        detail: detail.into(),
        fix: None,
        link: None,
        offers_enable: false,
    }
}

#[cfg(test)]
mod tests;
