//! ECS Exec and port forwarding in the worker: the preflight's facts, an exec session's
//! ExecuteCommand and its plugin on a PTY, a port forward's session and relay. The plugin
//! gets the session's token in its environment (or its arguments, if old); nothing here
//! writes it anywhere else.

pub mod forward;
pub mod plugin;
pub mod pty;
pub mod system_terminal;

use crate::aws::Ecs;
use crate::model::AwsError;
use crate::model::connection::Connection;
use crate::model::exec::plugin::{PluginProbe, exec_launch};
use crate::model::exec::preflight::{ExecReport, Preflight};
use crate::model::exec::terminal::{SessionState, SharedTerminal};
use crate::model::exec::{ExecSpec, ExecTarget};
use crate::model::messages::Repaint;
use std::path::PathBuf;

/// The plugin found and its version, or the error an opening fails with.
async fn found_plugin(
    configured: Option<String>,
    operation: &str,
) -> Result<(PathBuf, String), AwsError> {
    let probe = tokio::task::spawn_blocking(move || plugin::probe(configured.as_deref()))
        .await
        .map_err(|e| AwsError::internal(operation, e.to_string()))?;
    match probe {
        PluginProbe::Found { path, version } => Ok((PathBuf::from(path), version)),
        PluginProbe::Missing { looked_in } => Err(AwsError::internal(
            operation,
            format!(
                "session-manager-plugin not found ({looked_in}): install it ({}) or set its \
                 path in Settings; nothing was opened",
                crate::model::exec::plugin::install_url()
            ),
        )),
        PluginProbe::Broken { path, why } => Err(AwsError::internal(
            operation,
            format!("{path} does not run: {why}; nothing was opened"),
        )),
    }
}

/// Reads the facts of `target` and judges them.
pub async fn preflight(
    ecs: &Ecs,
    target: &ExecTarget,
    configured_plugin: Option<String>,
) -> Result<ExecReport, AwsError> {
    let probe = tokio::task::spawn_blocking(move || plugin::probe(configured_plugin.as_deref()))
        .await
        .map_err(|e| AwsError::internal("preflight", e.to_string()))?;
    let facts = ecs.exec_facts(target, probe).await?;
    let preflight = Preflight::of(&facts);
    Ok(ExecReport { facts, preflight })
}

/// Opens an exec session into `terminal`: the plugin is found first (nothing is opened in
/// AWS without it), then ExecuteCommand, then the plugin on a PTY. Answers the session ID.
pub async fn open_exec(
    ecs: &Ecs,
    connection: &Connection,
    spec: &ExecSpec,
    terminal: &SharedTerminal,
    configured_plugin: Option<String>,
    repaint: Repaint,
) -> Result<String, AwsError> {
    const OPERATION: &str = "ExecuteCommand";
    let (plugin, version) = found_plugin(configured_plugin, OPERATION).await?;
    terminal.set_state(SessionState::Starting);
    let opened = ecs.execute_command(&spec.target, &spec.command).await?;
    let launch = exec_launch(&opened.grant, &opened.ssm_target, connection, &version);
    let session_id = opened.grant.session_id.clone();
    let on_end: pty::OnEnd = {
        let ecs = ecs.clone();
        let session_id = session_id.clone();
        let runtime = tokio::runtime::Handle::current();
        Box::new(move |asked| {
            // The plugin was killed before it could end the session itself.
            if asked {
                runtime.spawn(async move {
                    let _ = ecs.terminate_session(&session_id).await;
                });
            }
        })
    };
    if let Err(why) = pty::start(&plugin, &launch, terminal, &session_id, repaint, on_end) {
        // Opened in AWS but never carried: end it there too, as the AWS CLI does.
        let _ = ecs.terminate_session(&session_id).await;
        return Err(AwsError::internal(OPERATION, why));
    }
    Ok(session_id)
}

/// Opens a port forward; see [`forward::open`].
pub async fn open_forward(
    ecs: &Ecs,
    connection: &Connection,
    spec: &crate::model::exec::ForwardSpec,
    shared: &crate::model::exec::forward::SharedForward,
    configured_plugin: Option<String>,
    repaint: Repaint,
) -> Result<String, AwsError> {
    let (plugin, version) = found_plugin(configured_plugin, "StartSession").await?;
    forward::open(ecs, connection, spec, shared, (&plugin, &version), repaint).await
}
