//! `ecsdeck scale | deploy | rollback`: print the plan, ask (unless `--yes`), change the
//! service behind a fresh describe, and with `--wait` follow the rollout until it settles (the
//! service deployment stage by stage where the API is there, see `follow_deployment`).
//! Exit codes: 0 done (steady with `--wait`), 1 error, declined or failed rollout, 2 still in
//! progress when `--timeout-secs` ran out.

use super::ConnectionArgs;
use crate::aws::{self, Ecs};
use crate::model::changes::journal::JournalEntry;
use crate::model::changes::policy::{ChangeRules, decide};
use crate::model::changes::service_change::{
    ServiceSnapshot, ServiceUpdate, deploy_cli, parse_desired, scale_cli, scale_confirmation,
};
use crate::model::ecs::Service;
use crate::model::ecs::rollout::{Phase, ProgressClock, assess};
use crate::model::ecs::stopped_reasons::group;
use crate::model::task_defs::revisions::{family_revision, previous_revision};
use crate::model::task_defs::td_diff::diff;
use crate::model::task_defs::td_diff_render::to_text;
use crate::model::untrusted_text::{untrusted, untrusted_block};
use crate::model::{AwsError, TaskScope};
use clap::Args;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

/// Options shared by the service-changing commands.
#[derive(Debug, Clone, Args)]
pub struct ChangeArgs {
    /// Cluster name or ARN.
    #[arg(long)]
    pub cluster: String,
    /// Service name or ARN.
    #[arg(long)]
    pub service: String,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
    /// Follow the rollout until it settles or fails, printing each lifecycle stage.
    #[arg(long)]
    pub wait: bool,
    /// Wait only until the deployment reaches this lifecycle stage (e.g. BAKE_TIME); implies
    /// --wait.
    #[arg(long, value_parser = super::follow_deployment::parse_stage)]
    pub wait_until: Option<String>,
    /// Give up waiting after this many seconds (exit code 2).
    #[arg(long, default_value_t = 1800)]
    pub timeout_secs: u64,
    /// Seconds between checks while waiting.
    #[arg(long, default_value_t = 3.0)]
    pub poll_secs: f64,
    /// Show environment values in the plan (masked by default: plans get pasted).
    #[arg(long)]
    pub show_env: bool,
}

/// Exit code of a change the change policy refused.
pub const EXIT_REFUSED: u8 = 3;

/// What to change.
#[derive(Debug, Clone)]
pub enum ChangeKind {
    /// Set the desired count.
    Scale(String),
    /// Deploy a revision (`force` starts a new deployment even with the same one).
    Deploy {
        /// FAMILY, FAMILY:REV or ARN.
        revision: crate::model::task_defs::task_def_ref::TaskDefRef,
        /// Force a new deployment.
        force: bool,
    },
    /// Go back to the revision the service ran before.
    Rollback,
    /// Register a revision of the running one with new images, and deploy it.
    DeployImages(Vec<crate::model::task_defs::new_image::ImageChange>),
}

/// Runs a service-changing command.
pub fn run(kind: ChangeKind, args: &ChangeArgs, connection: &ConnectionArgs) -> ExitCode {
    run_with_rules(connection, async |ecs, connection, rules| {
        change(ecs, &kind, args, connection, rules).await
    })
}

/// Connects under the command's change rules (flags and saved settings) and runs `work`; an
/// AWS error goes to stderr with exit code 1.
pub(super) fn run_with_rules(
    connection: &ConnectionArgs,
    work: impl AsyncFnOnce(&Ecs, &crate::model::Connection, &ChangeRules) -> Result<ExitCode, AwsError>,
) -> ExitCode {
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
    let rules = connection.change_rules();
    let connection = connection.resolve();
    runtime.block_on(async {
        let shared = aws::change_gate::SharedRules::new(rules.clone());
        let meter = aws::throttle_meter::ThrottleMeter::default();
        let source = aws::ProfileSource::default();
        let ecs = aws::config::connect_metered(&connection, &source, meter, shared).await;
        match work(&ecs, &connection, &rules).await {
            Ok(code) => code,
            Err(error) => {
                eprintln!("error: {}", untrusted(&error.to_string()));
                ExitCode::FAILURE
            }
        }
    })
}

/// Refuses the change when the policy does, naming the rule and how to lift it.
pub(super) fn refused(
    rules: &ChangeRules,
    connection: &crate::model::Connection,
) -> Option<String> {
    let refusal = decide(rules, connection.profile.as_deref()).err()?;
    Some(if refusal.can_override() {
        format!("{refusal}; pass --read-write to change it")
    } else {
        refusal.to_string()
    })
}

/// Appends the change to the action journal, marked as the CLI's; a failure is reported.
pub(super) fn journal(
    connection: &crate::model::Connection,
    operation: &str,
    resource: &str,
    summary: &str,
    result: Result<&str, &AwsError>,
) {
    let Some(path) = crate::jobs::journal_file::default_path() else {
        eprintln!("warning: no data directory: the change is not in the action journal");
        return;
    };
    let entry = JournalEntry::of_cli(
        connection,
        operation,
        resource,
        summary,
        result,
        SystemTime::now(),
    );
    if let Err(e) = crate::jobs::journal_file::append(&path, &entry) {
        eprintln!(
            "warning: cannot write the action journal {}: {e}",
            path.display()
        );
    }
}

/// After the plan is shown: the exit code when the change must not go ahead (the change
/// policy refuses it, or the user does not confirm), None when it may.
pub(super) fn may_apply(
    rules: &ChangeRules,
    connection: &crate::model::Connection,
    yes: bool,
) -> Option<ExitCode> {
    if let Some(why) = refused(rules, connection) {
        // The plan is still shown: read-only users may look, not touch.
        eprintln!("error: {why}");
        println!("Nothing changed.");
        return Some(ExitCode::from(EXIT_REFUSED));
    }
    if !yes && !confirm("Apply this change?") {
        println!("Nothing changed.");
        return Some(ExitCode::FAILURE);
    }
    None
}

fn confirm(question: &str) -> bool {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        eprintln!("{question} — not a terminal: pass --yes to confirm");
        return false;
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = stdin.lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes" | "YES")
}

async fn change(
    ecs: &Ecs,
    kind: &ChangeKind,
    args: &ChangeArgs,
    connection: &crate::model::Connection,
    rules: &ChangeRules,
) -> Result<ExitCode, AwsError> {
    let service = ecs.describe_service(&args.cluster, &args.service).await?;
    let (mut update, cli, warning, pending) = match kind {
        ChangeKind::DeployImages(changes) => {
            let planned =
                super::deploy_image::plan(ecs, &service, changes, connection, args.show_env)
                    .await?;
            let cli = planned.cli.clone();
            (ServiceUpdate::default(), cli, None, Some(planned))
        }
        _ => {
            let (update, cli, warning) =
                plan(ecs, kind, &service, connection, args.show_env).await?;
            (update, cli, warning, None)
        }
    };
    if let Some(warning) = &warning {
        println!("Note: {}", untrusted(warning));
    }
    println!("Equivalent: {}", untrusted(&cli));
    if let Some(stop) = may_apply(rules, connection, args.yes) {
        return Ok(stop);
    }
    if let Some(planned) = &pending {
        let arn = super::deploy_image::register(ecs, connection, planned).await?;
        update.task_definition = Some(arn);
    }
    let summary = summary_of(&service, &update);
    let deploys = update.task_definition.is_some() || update.force_new_deployment;
    let wait = args.wait || args.wait_until.is_some();
    // The newest deployment before, so the one this change starts can be found after.
    let before = if wait && deploys {
        super::follow_deployment::newest_before(ecs, args).await
    } else {
        None
    };
    let sent = ecs
        .update_service(
            &args.cluster,
            &args.service,
            &update,
            &ServiceSnapshot::of(&service),
        )
        .await;
    journal(
        connection,
        "UpdateService",
        &service.arn,
        &summary,
        sent.as_ref().map(|s| s.arn.as_str()),
    );
    let updated = sent?;
    println!(
        "Sent: {} runs {} with desired {}.",
        untrusted(&updated.name),
        untrusted(family_revision(&updated.task_definition)),
        updated.desired
    );
    if !wait {
        return Ok(ExitCode::SUCCESS);
    }
    match before {
        Some(before) => super::follow_deployment::follow(ecs, args, connection, before).await,
        // No service deployments API here (or a scale): follow the counts.
        None => follow(ecs, args).await,
    }
}

/// Prints the plan; returns the update, its `aws` command and a warning worth confirming.
async fn plan(
    ecs: &Ecs,
    kind: &ChangeKind,
    service: &Service,
    connection: &crate::model::Connection,
    show_env: bool,
) -> Result<(ServiceUpdate, String, Option<String>), AwsError> {
    let name = &service.name;
    let cluster = &service.cluster_arn;
    match kind {
        ChangeKind::Scale(count) => {
            let count = parse_desired(count).map_err(|e| AwsError::internal("scale", e))?;
            println!(
                "Scale {}: desired {} → {count} (running {}).",
                untrusted(name),
                service.desired,
                service.running
            );
            let update = ServiceUpdate {
                desired: Some(count),
                ..ServiceUpdate::default()
            };
            let cli = scale_cli(connection, cluster, name, count);
            Ok((update, cli, scale_confirmation(service.desired, count)))
        }
        ChangeKind::Deploy { revision, force } => {
            let revision = revision.to_string();
            let how = (*force, show_env);
            deploy_plan(ecs, service, &revision, how, connection, "Deploy").await
        }
        ChangeKind::DeployImages(_) => Err(AwsError::internal(
            "deploy",
            "images are planned by deploy_image",
        )),
        ChangeKind::Rollback => {
            let previous = service
                .deployments
                .iter()
                .find(|d| d.status == "ACTIVE" && d.task_definition != service.task_definition)
                .map(|d| d.task_definition.clone())
                .or_else(|| previous_revision(&service.task_definition))
                .ok_or_else(|| {
                    AwsError::internal("rollback", "there is no earlier revision to go back to")
                })?;
            let how = (false, show_env);
            deploy_plan(ecs, service, &previous, how, connection, "Roll back to").await
        }
    }
}

async fn deploy_plan(
    ecs: &Ecs,
    service: &Service,
    revision: &str,
    (force, show_env): (bool, bool),
    connection: &crate::model::Connection,
    verb: &str,
) -> Result<(ServiceUpdate, String, Option<String>), AwsError> {
    let (old, new) = futures::try_join!(
        ecs.task_definition(&service.task_definition),
        ecs.task_definition(revision)
    )?;
    let target = new
        .text("taskDefinitionArn")
        .unwrap_or_else(|| revision.to_owned());
    if new.text("status").as_deref() == Some("INACTIVE") {
        return Err(AwsError::internal(
            "UpdateService",
            format!(
                "{} is INACTIVE; register it again to deploy it",
                family_revision(&target)
            ),
        ));
    }
    let same = target == service.task_definition;
    if same && !force {
        return Err(AwsError::internal(
            "UpdateService",
            format!(
                "{} already runs {}; pass --force to start a new deployment anyway",
                service.name,
                family_revision(&target)
            ),
        ));
    }
    let title = format!(
        "{verb} {} on {} (runs {})",
        family_revision(&target),
        service.name,
        family_revision(&service.task_definition)
    );
    // Environment values are masked unless asked for: plans get pasted into tickets.
    print!(
        "{}",
        untrusted_block(&to_text(&diff(&old, &new), &title, !show_env))
    );
    if !show_env {
        println!("(environment values masked; --show-env shows them)");
    }
    if force {
        println!("Every task is replaced (forced new deployment).");
    }
    let update = ServiceUpdate {
        task_definition: (!same).then(|| target.clone()),
        force_new_deployment: force,
        ..ServiceUpdate::default()
    };
    let cli = deploy_cli(
        connection,
        &service.cluster_arn,
        &service.name,
        &target,
        force,
    );
    Ok((update, cli, None))
}

/// What the change asks, in words (the journal's summary).
fn summary_of(service: &Service, update: &ServiceUpdate) -> String {
    let mut parts = Vec::new();
    if let Some(td) = &update.task_definition {
        parts.push(format!("deploy {}", family_revision(td)));
    }
    if let Some(desired) = update.desired {
        parts.push(format!("desired count {} → {desired}", service.desired));
    }
    if update.force_new_deployment {
        parts.push("force a new deployment".to_owned());
    }
    parts.join("; ")
}

/// Follows the rollout: 0 when steady, 1 when failed or stuck, 2 on timeout.
async fn follow(ecs: &Ecs, args: &ChangeArgs) -> Result<ExitCode, AwsError> {
    let started = Instant::now();
    let mut clock = ProgressClock::default();
    let mut last = String::new();
    loop {
        let service = ecs.describe_service(&args.cluster, &args.service).await?;
        let Some(rollout) = assess(&service, &mut clock, SystemTime::now()) else {
            return Ok(ExitCode::SUCCESS);
        };
        if rollout.message != last {
            println!("{}", untrusted(&rollout.message));
            last.clone_from(&rollout.message);
        }
        match rollout.phase {
            Phase::Steady | Phase::Completed => return Ok(ExitCode::SUCCESS),
            Phase::Failed {
                rolling_back_to: None,
            }
            | Phase::Stuck { .. } => {
                let scope = TaskScope::service(&args.cluster, &args.service);
                if let Ok(tasks) = ecs.tasks(&scope).await {
                    for stopped in group(&tasks) {
                        println!(
                            "  {} × {}: {}",
                            stopped.cause.label(),
                            stopped.count,
                            untrusted(&stopped.example)
                        );
                    }
                }
                return Ok(ExitCode::FAILURE);
            }
            _ => {}
        }
        if started.elapsed() >= Duration::from_secs(args.timeout_secs) {
            println!(
                "Still in progress after {} s; the rollout goes on without us.",
                args.timeout_secs
            );
            return Ok(ExitCode::from(2));
        }
        tokio::time::sleep(Duration::from_secs_f64(args.poll_secs.clamp(0.05, 3_600.0))).await;
    }
}
