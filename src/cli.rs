//! Command line: no subcommand opens the desktop app; subcommands run headless over the same code.

use crate::aws;
pub use crate::cli_connection::ConnectionArgs;
pub(crate) use crate::cli_output::{opt, print_json, print_table};
use crate::model::ecs::{family_revision, short_id};
use crate::model::time_format::short_utc;
use crate::model::{AwsError, Connection, TaskScope};
use clap::{Parser, Subcommand, ValueEnum};
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
    /// A headless command; none opens the GUI.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Output format of the headless commands.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum Output {
    /// Aligned columns.
    #[default]
    Table,
    /// JSON array with every field.
    Json,
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
        output: crate::cli_diff::DiffOutput,
        /// Show environment values as ••••••, for sharing a screen.
        #[arg(long)]
        mask_env: bool,
    },
    /// Set a service's desired count (prints the plan, asks unless --yes).
    Scale {
        /// Service and options.
        #[command(flatten)]
        args: crate::cli_service::ChangeArgs,
        /// The new desired count.
        #[arg(long)]
        count: String,
    },
    /// Deploy a revision to a service (prints the semantic diff, asks unless --yes).
    Deploy {
        /// Service and options.
        #[command(flatten)]
        args: crate::cli_service::ChangeArgs,
        /// FAMILY (its newest revision), FAMILY:REV or an ARN.
        #[arg(long)]
        revision: crate::model::task_def_ref::TaskDefRef,
        /// Start a new deployment even with the running revision (pull a moved image tag).
        #[arg(long)]
        force: bool,
    },
    /// Redeploy the revision a service ran before (prints the diff, asks unless --yes).
    Rollback {
        /// Service and options.
        #[command(flatten)]
        args: crate::cli_service::ChangeArgs,
    },
    /// CloudWatch CPU and memory of a cluster or service over a range, as CSV or JSON.
    Metrics(crate::cli_metrics::MetricsArgs),
    /// Container logs of a task, one or more services (merged) or a log group.
    Logs(crate::cli_logs::LogsArgs),
    /// Task definitions.
    Taskdef {
        /// What to do.
        #[command(subcommand)]
        command: crate::cli_taskdef::TaskdefCommand,
    },
}

/// Runs a headless command; the exit code is 1 with the AWS error on stderr when a call fails.
pub fn run(command: Command, connection: &ConnectionArgs) -> ExitCode {
    match command {
        Command::Taskdef { command } => return crate::cli_taskdef::run(command, connection),
        Command::Diff {
            old,
            new,
            output,
            mask_env,
        } => return crate::cli_diff::run(&old, &new, output, mask_env, connection),
        Command::Scale { args, count } => {
            let kind = crate::cli_service::ChangeKind::Scale(count);
            return crate::cli_service::run(kind, &args, connection);
        }
        Command::Deploy {
            args,
            revision,
            force,
        } => {
            let kind = crate::cli_service::ChangeKind::Deploy { revision, force };
            return crate::cli_service::run(kind, &args, connection);
        }
        Command::Rollback { args } => {
            return crate::cli_service::run(
                crate::cli_service::ChangeKind::Rollback,
                &args,
                connection,
            );
        }
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
            eprintln!("error: {error}");
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
        | Command::Rollback { .. } => {}
        Command::Metrics(args) => crate::cli_metrics::run(&ecs, args).await?,
        Command::Logs(args) => crate::cli_logs::run(&ecs, args).await?,
        Command::Clusters { output } => {
            let clusters = ecs.clusters().await?;
            match output {
                Output::Json => print_json(&clusters)?,
                Output::Table => print_table(
                    &[
                        "NAME",
                        "STATUS",
                        "SERVICES",
                        "RUNNING",
                        "PENDING",
                        "INSTANCES",
                        "CAPACITY PROVIDERS",
                    ],
                    clusters
                        .iter()
                        .map(|c| {
                            vec![
                                c.name.clone(),
                                c.status.clone(),
                                c.services_count.to_string(),
                                c.running_tasks.to_string(),
                                c.pending_tasks.to_string(),
                                c.container_instances.to_string(),
                                c.capacity_providers.join(","),
                            ]
                        })
                        .collect(),
                ),
            }
        }
        Command::Services { cluster, output } => {
            let mut services = ecs.services(&cluster).await?;
            services.sort_by(|a, b| a.name.cmp(&b.name));
            match output {
                Output::Json => print_json(&services)?,
                Output::Table => print_table(
                    &[
                        "NAME",
                        "STATUS",
                        "LAUNCH",
                        "DESIRED",
                        "RUNNING",
                        "PENDING",
                        "TASK DEFINITION",
                        "ROLLOUT",
                    ],
                    services
                        .iter()
                        .map(|s| {
                            vec![
                                s.name.clone(),
                                s.status.clone(),
                                s.capacity_label(),
                                s.desired.to_string(),
                                s.running.to_string(),
                                s.pending.to_string(),
                                family_revision(&s.task_definition).to_owned(),
                                opt(s.rollout_state()),
                            ]
                        })
                        .collect(),
                ),
            }
        }
        Command::Tasks {
            cluster,
            service,
            output,
        } => {
            let scope = match &service {
                Some(service) => TaskScope::service(&cluster, service),
                None => TaskScope::cluster(&cluster),
            };
            let mut tasks = ecs.tasks(&scope).await?;
            tasks.sort_by(|a, b| a.arn.cmp(&b.arn));
            match output {
                Output::Json => print_json(&tasks)?,
                Output::Table => print_table(
                    &[
                        "ID",
                        "LAST",
                        "DESIRED",
                        "HEALTH",
                        "TASK DEFINITION",
                        "LAUNCH",
                        "AZ",
                        "STARTED",
                        "STOPPED REASON",
                    ],
                    tasks
                        .iter()
                        .map(|t| {
                            vec![
                                t.id().to_owned(),
                                t.last_status.clone(),
                                t.desired_status.clone(),
                                opt(t.health_status.as_deref()),
                                family_revision(&t.task_definition).to_owned(),
                                opt(t.launch_type.as_deref()),
                                opt(t.availability_zone.as_deref()),
                                t.started_at.map_or_else(|| "-".to_owned(), short_utc),
                                opt(t.stopped_reason.as_deref()),
                            ]
                        })
                        .collect(),
                ),
            }
        }
        Command::Instances { cluster, output } => {
            let instances = ecs.container_instances(&cluster).await?;
            match output {
                Output::Json => print_json(&instances)?,
                Output::Table => print_table(
                    &[
                        "ID",
                        "INSTANCE",
                        "STATUS",
                        "AGENT",
                        "VERSION",
                        "TASKS",
                        "CPU FREE/TOTAL",
                        "MEMORY FREE/TOTAL",
                    ],
                    instances
                        .iter()
                        .map(|i| {
                            vec![
                                short_id(&i.arn).to_owned(),
                                opt(i.ec2_instance_id.as_deref()),
                                i.status.clone(),
                                if i.agent_connected {
                                    "connected"
                                } else {
                                    "disconnected"
                                }
                                .to_owned(),
                                opt(i.agent_version.as_deref()),
                                i.running_tasks.to_string(),
                                format!("{}/{}", i.remaining_cpu, i.registered_cpu),
                                format!("{}/{}", i.remaining_memory_mib, i.registered_memory_mib),
                            ]
                        })
                        .collect(),
                ),
            }
        }
    }
    Ok(())
}
