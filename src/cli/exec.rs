//! `ecsdeck exec` and `ecsdeck port-forward`: the preflight, then ExecuteCommand or SSM
//! StartSession behind the change policy, journalled, and AWS's session-manager-plugin in
//! this terminal — started as the AWS CLI starts it.
//! Exit codes: the plugin's own once it ran; 1 not ready (the preflight's ✖ listed) or an AWS
//! error; 3 refused by the change policy.

use super::ConnectionArgs;
use super::service::{EXIT_REFUSED, journal, refused, run_with_rules};
use crate::aws::Ecs;
use crate::model::changes::aws_cli::{aws_command, quote};
use crate::model::changes::policy::ChangeRules;
use crate::model::exec::plugin::{exec_launch, forward_launch};
use crate::model::exec::preflight::{CheckStatus, Preflight};
use crate::model::exec::{DEFAULT_COMMAND, ExecSpec, ExecTarget, ForwardSpec};
use crate::model::untrusted_text::untrusted;
use crate::model::{AwsError, Connection};
use crate::worker::exec::plugin;
use clap::Args;
use std::process::ExitCode;

/// The container both commands reach, and the plugin that carries the session.
#[derive(Debug, Clone, Args)]
pub struct ContainerArgs {
    /// Cluster name or ARN.
    #[arg(long)]
    pub cluster: String,
    /// Task ID or ARN.
    #[arg(long)]
    pub task: String,
    /// Container name (needed when the task has more than one; for a forward, the one whose
    /// agent carries the traffic).
    #[arg(long)]
    pub container: Option<String>,
    /// The session-manager-plugin to use (default: the one set in the app's Settings, else
    /// PATH and AWS's install locations).
    #[arg(long)]
    pub plugin: Option<String>,
}

/// `ecsdeck exec`.
#[derive(Debug, Clone, Args)]
pub struct ExecArgs {
    /// Where.
    #[command(flatten)]
    pub place: ContainerArgs,
    /// Run the preflight only: exit 0 when a session can start, 1 with what is missing.
    #[arg(long)]
    pub check: bool,
    /// After a failure, wait for Enter before ending, so the terminal window the app opened
    /// for this session stays until its error is read.
    #[arg(long, hide = true)]
    pub hold: bool,
    /// The command to run (default /bin/sh), after `--`.
    #[arg(last = true)]
    pub command: Vec<String>,
}

/// `ecsdeck port-forward`.
#[derive(Debug, Clone, Args)]
pub struct PortForwardArgs {
    /// Through which container.
    #[command(flatten)]
    pub place: ContainerArgs,
    /// The port reached: the container's, or the one of --host.
    #[arg(long)]
    pub remote_port: u16,
    /// The local port to listen on (default: a free one, printed).
    #[arg(long)]
    pub local_port: Option<u16>,
    /// A host reachable from the task (a database, an internal endpoint).
    #[arg(long)]
    pub host: Option<String>,
}

/// Runs `ecsdeck exec`.
pub fn run_exec(args: &ExecArgs, connection: &ConnectionArgs) -> ExitCode {
    let code = run_with_rules(connection, async |ecs, connection, rules| {
        exec(ecs, args, connection, rules).await
    });
    if args.hold && code != ExitCode::SUCCESS {
        hold_window();
    }
    code
}

/// Waits for Enter (or the end of input) so the window's last words can be read.
fn hold_window() {
    use std::io::Write;
    eprint!("\nEnded with an error (see above). Press Enter to close this window.");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

/// Runs `ecsdeck port-forward`.
pub fn run_port_forward(args: &PortForwardArgs, connection: &ConnectionArgs) -> ExitCode {
    run_with_rules(connection, async |ecs, connection, rules| {
        port_forward(ecs, args, connection, rules).await
    })
}

/// The plugin path: the flag, else the app's setting.
fn plugin_setting(flag: Option<&String>) -> Option<String> {
    flag.cloned().or_else(|| {
        let path = crate::jobs::settings_file::default_path()?;
        let text = std::fs::read_to_string(path).ok()?;
        let value: serde_json::Value = serde_json::from_str(&text).ok()?;
        value
            .get("session_manager_plugin")?
            .as_str()
            .map(str::to_owned)
    })
}

/// The container: the one named, else the task's only one.
async fn target_of(ecs: &Ecs, place: &ContainerArgs) -> Result<ExecTarget, AwsError> {
    let described = ecs.describe_task(&place.cluster, &place.task).await?;
    let container = place.container.as_ref();
    let names: Vec<&str> = described
        .containers
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let container = match (container, names.as_slice()) {
        (Some(name), _) => name.clone(),
        (None, [only]) => (*only).to_owned(),
        (None, _) => {
            return Err(AwsError::internal(
                "exec",
                format!(
                    "the task has {} containers: name one with --container ({})",
                    names.len(),
                    names.join(", ")
                ),
            ));
        }
    };
    Ok(ExecTarget {
        cluster: described.cluster_arn.clone(),
        task: described.arn.clone(),
        container,
    })
}

fn print_preflight(preflight: &Preflight) {
    for check in &preflight.checks {
        let mark = match check.status {
            CheckStatus::Pass => "✔",
            CheckStatus::Fail => "✖",
            CheckStatus::Skipped => "–",
        };
        println!("{mark} {}: {}", check.name, untrusted(&check.detail));
        if let Some(fix) = &check.fix {
            println!("    fix: {}", untrusted(fix));
        }
    }
}

/// Runs the preflight and prints it; the exit code when the session must not go ahead.
async fn preflight(
    ecs: &Ecs,
    target: &ExecTarget,
    plugin_path: Option<String>,
    check_only: bool,
) -> Result<Option<ExitCode>, AwsError> {
    let report = crate::worker::exec::preflight(ecs, target, plugin_path).await?;
    let ready = report.preflight.ready();
    if check_only || !ready {
        print_preflight(&report.preflight);
    }
    if !ready {
        let missing = report.preflight.missing().count();
        eprintln!("error: not ready: {missing} of the checks above failed; nothing was opened");
        return Ok(Some(ExitCode::FAILURE));
    }
    Ok(check_only.then_some(ExitCode::SUCCESS))
}

async fn exec(
    ecs: &Ecs,
    args: &ExecArgs,
    connection: &Connection,
    rules: &ChangeRules,
) -> Result<ExitCode, AwsError> {
    let target = target_of(ecs, &args.place).await?;
    let plugin_path = plugin_setting(args.place.plugin.as_ref());
    if let Some(code) = preflight(ecs, &target, plugin_path.clone(), args.check).await? {
        return Ok(code);
    }
    let command = if args.command.is_empty() {
        DEFAULT_COMMAND.to_owned()
    } else {
        args.command.join(" ")
    };
    let spec = ExecSpec {
        target: target.clone(),
        service: None,
        command,
    };
    eprintln!(
        "equivalent: {} --cluster {} --task {} --container {} --interactive --command {}",
        aws_command(connection, "ecs", "execute-command"),
        quote(target.cluster_name()),
        quote(target.task_id()),
        quote(&target.container),
        quote(&spec.command)
    );
    if let Some(why) = refused(rules, connection) {
        eprintln!("error: {why}");
        return Ok(ExitCode::from(EXIT_REFUSED));
    }
    let (path, version) = found(plugin_path)?;
    let summary = format!("open `{}` in {}", spec.command, spec.title());
    let opened = ecs.execute_command(&target, &spec.command).await;
    journal(
        connection,
        "ExecuteCommand",
        &target.task,
        &summary,
        opened.as_ref().map(|o| o.grant.session_id.as_str()),
    );
    let opened = opened?;
    let launch = exec_launch(&opened.grant, &opened.ssm_target, connection, &version);
    Ok(run_plugin(&path, &launch))
}

fn found(configured: Option<String>) -> Result<(std::path::PathBuf, String), AwsError> {
    use crate::model::exec::plugin::PluginProbe;
    match plugin::probe(configured.as_deref()) {
        PluginProbe::Found { path, version } => Ok((path.into(), version)),
        PluginProbe::Missing { looked_in } => Err(AwsError::internal(
            "exec",
            format!(
                "session-manager-plugin not found ({looked_in}); install it: {}",
                crate::model::exec::plugin::install_url()
            ),
        )),
        PluginProbe::Broken { path, why } => Err(AwsError::internal(
            "exec",
            format!("{path} does not run: {why}"),
        )),
    }
}

/// Runs the plugin in this terminal and returns its exit code; Ctrl-C goes to the plugin
/// (which passes it to the container or ends the forward), not to this process.
fn run_plugin(
    path: &std::path::Path,
    launch: &crate::model::exec::plugin::PluginLaunch,
) -> ExitCode {
    let _ignoring = IgnoreInterrupts::new();
    let status = std::process::Command::new(path)
        .args(&launch.args)
        .envs(launch.env.iter().map(|(k, v)| (k, v)))
        .status();
    match status {
        Ok(status) => ExitCode::from(u8::try_from(status.code().unwrap_or(1)).unwrap_or(1)),
        Err(e) => {
            eprintln!("error: {} did not start: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}

/// Windows: handles Ctrl+C and Ctrl+Break by doing nothing (the plugin acts on them).
#[cfg(windows)]
unsafe extern "system" fn ignore_ctrl(_event: u32) -> windows_sys::core::BOOL {
    1
}

/// Ignores Ctrl-C in this process while alive (the AWS CLI does the same around the plugin).
struct IgnoreInterrupts;

impl IgnoreInterrupts {
    fn new() -> Self {
        #[cfg(unix)]
        // SAFETY: setting SIGINT's disposition to ignore is async-signal-safe and undone in Drop.
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_IGN);
        }
        #[cfg(windows)]
        // SAFETY: registers a handler that only returns TRUE; removed in Drop. Unlike the
        // null handler, a handler is not inherited, so the plugin still gets Ctrl+C.
        unsafe {
            windows_sys::Win32::System::Console::SetConsoleCtrlHandler(Some(ignore_ctrl), 1);
        }
        Self
    }
}

impl Drop for IgnoreInterrupts {
    fn drop(&mut self) {
        #[cfg(unix)]
        // SAFETY: restores the default disposition set aside in `new`.
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
        }
        #[cfg(windows)]
        // SAFETY: removes the handler registered in `new`.
        unsafe {
            windows_sys::Win32::System::Console::SetConsoleCtrlHandler(Some(ignore_ctrl), 0);
        }
    }
}

async fn port_forward(
    ecs: &Ecs,
    args: &PortForwardArgs,
    connection: &Connection,
    rules: &ChangeRules,
) -> Result<ExitCode, AwsError> {
    let target = target_of(ecs, &args.place).await?;
    let plugin_path = plugin_setting(args.place.plugin.as_ref());
    if let Some(code) = preflight(ecs, &target, plugin_path.clone(), false).await? {
        return Ok(code);
    }
    let local_port = match args.local_port {
        Some(port) => port,
        None => std::net::TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.local_addr())
            .map_err(|e| AwsError::internal("port-forward", format!("no free local port: {e}")))?
            .port(),
    };
    let spec = ForwardSpec {
        target: target.clone(),
        service: None,
        remote_port: args.remote_port,
        host: args.host.clone(),
        local_port: Some(local_port),
    };
    let ssm_target = ecs.ssm_target(&target).await?;
    let parameters = spec.document_parameters(local_port);
    eprintln!(
        "equivalent: {} --target {} --document-name {} --parameters {}",
        aws_command(connection, "ssm", "start-session"),
        quote(&ssm_target),
        spec.document(),
        quote(&parameters.to_string())
    );
    if let Some(why) = refused(rules, connection) {
        eprintln!("error: {why}");
        return Ok(ExitCode::from(EXIT_REFUSED));
    }
    let (path, version) = found(plugin_path)?;
    let summary = format!(
        "forward local port {local_port} → {} via {}",
        spec.remote_label(),
        spec.title()
    );
    let grant = ecs
        .start_port_forward(&ssm_target, spec.document(), &parameters)
        .await;
    journal(
        connection,
        "StartSession",
        &target.task,
        &summary,
        grant.as_ref().map(|g| g.session_id.as_str()),
    );
    let grant = grant?;
    let sent = (ssm_target.as_str(), spec.document(), &parameters);
    let launch = forward_launch(&grant, sent, connection, &version);
    println!(
        "Forwarding 127.0.0.1:{local_port} → {} (Ctrl-C stops)",
        spec.remote_label()
    );
    let code = run_plugin(&path, &launch);
    // The plugin may have been stopped before it ended the session itself.
    let _ = ecs.terminate_session(&grant.session_id).await;
    Ok(code)
}
