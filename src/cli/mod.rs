//! Command line: no subcommand opens the desktop app; subcommands run headless over the same code.

mod clusters;
pub(crate) mod connection;
pub mod deploy_image;
pub mod deployment_config;
pub mod diff;
pub mod exec;
pub mod fleet;
mod follow_deployment;
pub mod incident;
mod instances;
pub mod logs;
pub mod metrics;
pub mod output;
pub mod service;
mod services;
pub mod taskdef;
mod tasks;

use crate::aws;
use crate::model::{AwsError, Connection};
use clap::{Parser, Subcommand};
pub use connection::ConnectionArgs;
pub use output::Output;
use std::process::ExitCode;

/// ECS Deck: a desktop console for Amazon ECS.
#[derive(Debug, Parser)]
#[command(
    name = "ecsdeck",
    version,
    about,
    long_about = "ECS Deck: a desktop console for Amazon ECS.\n\n\
        Without a subcommand it opens the desktop app (GUI mode); the connection flags then\n\
        override the profile, region and endpoint saved from the last session.\n\
        With a subcommand it runs headless (CLI mode), prints and exits non-zero on failure."
)]
pub struct Cli {
    /// Which AWS to talk to.
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// GUI: exit 0 once the cluster list is drawn, 1 on failure (start-up check under Xvfb).
    #[arg(long, hide = true)]
    pub smoke_test: bool,
    /// GUI: start on this cluster's service (with --open-service; a fleet row's window).
    #[arg(long, hide = true, requires = "open_service")]
    pub open_cluster: Option<String>,
    /// GUI: start on this service (with --open-cluster).
    #[arg(long, hide = true, requires = "open_cluster")]
    pub open_service: Option<String>,
    /// GUI: save no settings this run (a window opened from the fleet for one service).
    #[arg(long, hide = true)]
    pub transient: bool,
    /// A headless command; none opens the GUI.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List clusters with service, task and container-instance counts.
    Clusters {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        output: Output,
    },
    /// List the services of a cluster.
    Services {
        /// Cluster name or ARN.
        #[arg(long)]
        cluster: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        output: Output,
    },
    /// List the running and recently stopped tasks of a cluster or one of its services.
    Tasks {
        /// Cluster name or ARN.
        #[arg(long)]
        cluster: String,
        /// Only the tasks of this service (name or ARN).
        #[arg(long)]
        service: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        output: Output,
    },
    /// List the container instances (EC2 and EXTERNAL) of a cluster.
    Instances {
        /// Cluster name or ARN.
        #[arg(long)]
        cluster: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        output: Output,
    },
    /// Semantic diff of two task definitions: revisions (FAMILY, FAMILY:REV, ARN) or JSON
    /// files. Exit code 0 when equal, 1 when different, 2 on error.
    Diff {
        /// The old definition.
        old: String,
        /// The new definition.
        new: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        output: diff::DiffOutput,
        /// Show environment values as ••••••, for sharing a screen.
        #[arg(long)]
        mask_env: bool,
    },
    /// Set a service's desired count (prints the plan, asks unless --yes).
    Scale {
        /// Service and options.
        #[command(flatten)]
        args: service::ChangeArgs,
        /// The new desired count.
        #[arg(long)]
        count: String,
    },
    /// Deploy a revision to a service (prints the semantic diff, asks unless --yes).
    Deploy {
        /// Service and options.
        #[command(flatten)]
        args: service::ChangeArgs,
        /// FAMILY (its newest revision), FAMILY:REV or an ARN.
        #[arg(long, required_unless_present = "image", conflicts_with = "image")]
        revision: Option<crate::model::task_defs::task_def_ref::TaskDefRef>,
        /// CONTAINER=IMAGE: register a revision of the running one with this image (repeat for
        /// more containers), then deploy it.
        #[arg(long, value_parser = crate::model::task_defs::new_image::parse_image_arg)]
        image: Vec<crate::model::task_defs::new_image::ImageChange>,
        /// Start a new deployment even with the running revision (pull a moved image tag).
        #[arg(long)]
        force: bool,
    },
    /// Print a service's deployment configuration, or change the fields named (asks unless
    /// --yes; everything else is sent back as it is).
    DeploymentConfig(deployment_config::DeploymentConfigArgs),
    /// Redeploy the revision a service ran before (prints the diff, asks unless --yes).
    Rollback {
        /// Service and options.
        #[command(flatten)]
        args: service::ChangeArgs,
    },
    /// CloudWatch CPU and memory of a cluster or service over a range, as CSV or JSON.
    Metrics(metrics::MetricsArgs),
    /// Container logs of a task, one or more services (merged) or a log group.
    Logs(logs::LogsArgs),
    /// The postmortem report of services or a cluster over a range: deployments with what
    /// they changed, why tasks stopped, the timeline.
    Incident(incident::IncidentArgs),
    /// A shell (or COMMAND) in a container through ECS Exec and AWS's session-manager-plugin,
    /// after a preflight that names anything missing (--check: only the preflight, exit 0
    /// when ready, 1 otherwise).
    Exec(exec::ExecArgs),
    /// Forward a local port to a container's port, or to a host reachable from the task,
    /// through SSM (Ctrl-C stops).
    PortForward(exec::PortForwardArgs),
    /// Every service of several profiles × regions, what needs attention first (exit 0 when
    /// none printed is unhealthy, 1 when one is, 2 when a pair could not be read).
    Fleet(fleet::FleetArgs),
    /// Task definitions.
    Taskdef {
        /// What to do.
        #[command(subcommand)]
        command: taskdef::TaskdefCommand,
    },
}

/// Runs a headless command; the exit code is 1 with the AWS error on stderr when a call fails.
pub fn run(command: Command, connection: &ConnectionArgs) -> ExitCode {
    match command {
        Command::Taskdef { command } => return taskdef::run(command, connection),
        Command::Diff {
            old,
            new,
            output,
            mask_env,
        } => return diff::run(&old, &new, output, mask_env, connection),
        Command::Scale { args, count } => {
            let kind = service::ChangeKind::Scale(count);
            return service::run(kind, &args, connection);
        }
        Command::Deploy {
            args,
            revision,
            image,
            force,
        } => {
            let kind = match revision {
                Some(revision) => service::ChangeKind::Deploy { revision, force },
                None => service::ChangeKind::DeployImages(image),
            };
            return service::run(kind, &args, connection);
        }
        Command::Rollback { args } => {
            return service::run(service::ChangeKind::Rollback, &args, connection);
        }
        Command::DeploymentConfig(args) => return deployment_config::run(&args, connection),
        Command::Exec(args) => return exec::run_exec(&args, connection),
        Command::PortForward(args) => return exec::run_port_forward(&args, connection),
        Command::Fleet(args) => return fleet::run(&args, connection),
        _ => {}
    }
    let connection = connection.resolve();
    block_on(execute(command, &connection))
}

/// Runs `work` on a small runtime; an error goes to stderr with exit code 1.
pub(crate) fn block_on(work: impl Future<Output = Result<(), AwsError>>) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(work) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let text = error.to_string();
            eprintln!("error: {}", crate::model::untrusted_text::untrusted(&text));
            ExitCode::FAILURE
        }
    }
}

async fn execute(command: Command, connection: &Connection) -> Result<(), AwsError> {
    let ecs = aws::connect(connection, &aws::ProfileSource::default()).await;
    match command {
        // Handled by `run` before a connection is made.
        Command::Taskdef { .. }
        | Command::Diff { .. }
        | Command::Scale { .. }
        | Command::Deploy { .. }
        | Command::DeploymentConfig(_)
        | Command::Exec(_)
        | Command::PortForward(_)
        | Command::Fleet(_)
        | Command::Rollback { .. } => Ok(()),
        Command::Metrics(args) => metrics::run(&ecs, args).await,
        Command::Logs(args) => logs::run(&ecs, args).await,
        Command::Incident(args) => incident::run(&ecs, args).await,
        Command::Clusters { output } => clusters::run(&ecs, output).await,
        Command::Services { cluster, output } => services::run(&ecs, &cluster, output).await,
        Command::Tasks {
            cluster,
            service,
            output,
        } => tasks::run(&ecs, &cluster, service.as_deref(), output).await,
        Command::Instances { cluster, output } => instances::run(&ecs, &cluster, output).await,
    }
}
