//! Model-level fixtures of ECS Exec for the UI tests (no AWS, no plugin): a preflight that
//! passes or one with a ✖ of each kind, a terminal screen and a forward as a session shows
//! them.

use super::fixtures::tasks;
use ecsdeck::model::AwsError;
use ecsdeck::model::ErrorKind;
use ecsdeck::model::TaskScope;
use ecsdeck::model::ecs::ManagedAgent;
use ecsdeck::model::exec::ExecTarget;
use ecsdeck::model::exec::forward::SharedForward;
use ecsdeck::model::exec::plugin::PluginProbe;
use ecsdeck::model::exec::preflight::{
    ExecConfig, ExecFacts, ExecReport, Permissions, Preflight, SSM_MESSAGES_ACTIONS,
};
use ecsdeck::model::exec::terminal::{SessionState, SharedTerminal};

/// The SSM session every fixture opening answers.
pub const SESSION_ID: &str = "ecs-execute-command-0f1e2d3c4b5a6978";

/// The preflight of `target`: everything in place when `ready`, else the task of a service
/// without exec, no plugin, and a caller who may not simulate the task role.
pub fn report(target: &ExecTarget, ready: bool) -> ExecReport {
    let scope = TaskScope::cluster(&target.cluster);
    let mut task = tasks(&scope, 8)
        .into_iter()
        .find(|t| t.arn == target.task)
        .unwrap_or_else(|| tasks(&scope, 1).remove(0));
    task.enable_execute_command = ready;
    for container in &mut task.containers {
        if ready {
            container.managed_agents = vec![ManagedAgent {
                name: "ExecuteCommandAgent".into(),
                last_status: Some("RUNNING".into()),
                reason: None,
            }];
        }
    }
    let service = task.service_name().map(|s| (s.to_owned(), Some(ready)));
    let facts = ExecFacts {
        task,
        container: target.container.clone(),
        service,
        agent_version: None,
        cluster_config: Ok(Some(ExecConfig {
            kms_key_id: Some("alias/ecs-exec".into()),
            logging: Some("OVERRIDE".into()),
            log_group: Some("/ecs/exec-audit".into()),
            s3_bucket: None,
        })),
        plugin: if ready {
            PluginProbe::Found {
                path: "/usr/local/bin/session-manager-plugin".into(),
                version: "1.2.650.0".into(),
            }
        } else {
            PluginProbe::Missing {
                looked_in: "PATH and AWS's install locations".into(),
            }
        },
        task_role: Ok(Some(
            "arn:aws:iam::123456789012:role/checkout-api-task".into(),
        )),
        permissions: Some(if ready {
            Permissions::Simulated(
                SSM_MESSAGES_ACTIONS
                    .iter()
                    .map(|a| ((*a).to_owned(), true))
                    .collect(),
            )
        } else {
            Permissions::Skipped(
                "iam:SimulatePrincipalPolicy failed: AccessDenied not authorized".into(),
            )
        }),
    };
    let preflight = Preflight::of(&facts);
    ExecReport { facts, preflight }
}

/// What a shell shows after `ls`, running.
pub fn fill(terminal: &SharedTerminal) {
    terminal.process(
        format!(
            "\r\nStarting session with SessionId: {SESSION_ID}\r\n/app # ls\r\n\
             \x1b[1;34mconfig\x1b[0m  node_modules  package.json  server.js\r\n\
             /app # echo $APP_ENV\r\n\x1b[32mproduction\x1b[0m\r\n/app # "
        )
        .as_bytes(),
    );
    terminal.set_state(SessionState::Running {
        since: super::fixtures::now() - std::time::Duration::from_secs(95),
        session_id: SESSION_ID.into(),
    });
}

/// A forward listening on 127.0.0.1:15432 that moved a little.
pub fn listen(forward: &SharedForward) {
    forward.set_local_addr("127.0.0.1:15432".into());
    forward.set_state(SessionState::Running {
        since: super::fixtures::now() - std::time::Duration::from_secs(40),
        session_id: "ecsdeck-0a1b2c3d4e5f6071".into(),
    });
    forward.connection_opened();
    forward.count(true, 1_536);
    forward.count(false, 48_128);
}

/// AccessDenied as IAM says it.
pub fn denied() -> AwsError {
    AwsError {
        operation: "SimulatePrincipalPolicy".into(),
        code: "AccessDenied".into(),
        message: "not authorized".into(),
        request_id: None,
        kind: ErrorKind::AccessDenied,
    }
}
