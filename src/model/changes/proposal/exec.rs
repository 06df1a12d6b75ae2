//! The confirmations of an exec session and a port forward: they change nothing in the
//! task's configuration, but they reach into a running container, so they are shown (and
//! journalled) like every change.

use super::{Parts, row};
use crate::model::Model;
use crate::model::changes::aws_cli::{aws_command, quote};
use crate::model::exec::{ExecSpec, ExecTarget, ForwardSpec};

/// `aws ecs execute-command … --interactive --command …`.
pub fn execute_command_cli(model: &Model, spec: &ExecSpec) -> String {
    format!(
        "{} --cluster {} --task {} --container {} --interactive --command {}",
        aws_command(&model.connection, "ecs", "execute-command"),
        quote(spec.target.cluster_name()),
        quote(spec.target.task_id()),
        quote(&spec.target.container),
        quote(&spec.command)
    )
}

/// The container's SSM target, with its runtime id when the preflight read it.
fn ssm_target(model: &Model, target: &ExecTarget) -> String {
    let runtime_id = model
        .store
        .exec_preflights
        .get(target)
        .and_then(|l| l.value())
        .and_then(|r| {
            r.facts
                .task
                .containers
                .iter()
                .find(|c| c.name == target.container)?
                .runtime_id
                .clone()
        })
        .unwrap_or_else(|| "<runtime id>".to_owned());
    target.ssm_target(&runtime_id)
}

/// `aws ssm start-session --target ecs:… --document-name … --parameters …`.
pub fn start_session_cli(model: &Model, spec: &ForwardSpec) -> String {
    let local = spec.local_port.unwrap_or(0);
    format!(
        "{} --target {} --document-name {} --parameters {}",
        aws_command(&model.connection, "ssm", "start-session"),
        quote(&ssm_target(model, &spec.target)),
        spec.document(),
        quote(&spec.document_parameters(local).to_string())
    )
}

pub(super) fn exec_session(model: &Model, spec: &ExecSpec, reconnect: Option<u64>) -> Parts {
    let verb = if reconnect.is_some() {
        "Reconnect"
    } else {
        "Open"
    };
    (
        format!("{verb} `{}` in {}", spec.command, spec.title()),
        Some(spec.target.task.clone()),
        vec![
            row(
                "Container",
                "",
                spec.target
                    .title(spec.service.as_deref().map(crate::model::ecs::short_id)),
            ),
            row("Session", "none", format!("interactive `{}`", spec.command)),
        ],
        vec![
            "The command runs inside the running container with its permissions; what you \
             type reaches production."
                .to_owned(),
            "The cluster's exec settings decide whether the session is logged.".to_owned(),
        ],
        Some(execute_command_cli(model, spec)),
        true,
    )
}

pub(super) fn exec_window(model: &Model, spec: &ExecSpec) -> Parts {
    let (_, arn, mut rows, mut notes, cli, risky) = exec_session(model, spec, None);
    rows.push(row("Where", "", "a terminal window (ecsdeck exec)"));
    notes.push(
        "The window runs ecsdeck exec, which checks and journals the session itself.".to_owned(),
    );
    (
        format!(
            "Open `{}` in a terminal window: {}",
            spec.command,
            spec.title()
        ),
        arn,
        rows,
        notes,
        cli,
        risky,
    )
}

pub(super) fn forward(model: &Model, spec: &ForwardSpec) -> Parts {
    let local = spec
        .local_port
        .map_or("any free port".to_owned(), |p| format!("127.0.0.1:{p}"));
    (
        format!("Forward {local} → {}", spec.remote_label()),
        Some(spec.target.task.clone()),
        vec![
            row("Through", "", spec.title()),
            row(
                "Local",
                "nothing listening",
                format!("{local}, this machine only"),
            ),
        ],
        vec![
            "Anything on this machine can connect to the local port while the forward runs."
                .to_owned(),
        ],
        Some(start_session_cli(model, spec)),
        true,
    )
}
